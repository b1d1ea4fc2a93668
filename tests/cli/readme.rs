//! Every shell command the README shows works as written: each `sh` block's lines are run
//! with bash in a folder laid out like the README assumes (the fixtures, a `content/` and an
//! `archive/` of posts), with `fmx` on the PATH. Cargo commands are the set-up itself and
//! are left to CI, and `scripts/bench` takes half an hour and installs the peers from the
//! registries, so it is run by hand; the others must exit 0 or 1 — never 2 (a usage
//! error), never a crash.

use std::path::Path;

use crate::support::fixtures;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn shell_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block && line.trim() == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        let command = match line.find(" #") {
            Some(i) if !line[..i].contains('\'') => &line[..i],
            _ => line,
        }
        .trim();
        if !command.is_empty() && !command.starts_with('#') {
            commands.push(command.to_string());
        }
    }
    commands
}

#[test]
fn readme_commands_work_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = shell_commands(&readme);
    assert!(
        commands.len() > 10,
        "found only {} commands",
        commands.len()
    );
    let bin = assert_cmd::cargo::cargo_bin("fmx");
    let bin_dir = bin.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        if command.starts_with("cargo ") || command.contains("scripts/bench") {
            continue;
        }
        if command.contains("jq ") && which("jq").is_none() {
            eprintln!("note: jq is not installed; skipped `{command}`");
            continue;
        }
        if command.contains("man -l") && which("man").is_none() {
            eprintln!("note: man is not installed; skipped `{command}`");
            continue;
        }
        // A fresh folder per command: the migration steps change the archive.
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures(), &dir.path().join("fixtures"));
        copy_dir(&fixtures().join("clean"), &dir.path().join("content"));
        copy_dir(&fixtures().join("clean"), &dir.path().join("archive"));
        copy_dir(&root.join("recipes"), &dir.path().join("recipes"));
        std::fs::copy(
            fixtures().join("detained-canadians.md"),
            dir.path().join("archive/post.md"),
        )
        .unwrap();
        let out = std::process::Command::new("bash")
            .args(["-o", "pipefail", "-c", &command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("MANPAGER", "cat")
            .output()
            .unwrap();
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(code, Some(0 | 1)),
            "README command `{command}` exited {code:?}:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "`{command}`: {stderr}");
    }
}

fn which(tool: &str) -> Option<()> {
    std::process::Command::new("bash")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
}

/// Undoes `cat -A`/`cat -v` markings: `M-x` is the byte 0x80 + x, `^M` a carriage return,
/// `^I` a tab; under `-A` a line's `$` is its line break (a line without one has none).
fn uncat(lines: &[&str], dollar_ends: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        let (text, eol) = match line.strip_suffix('$') {
            Some(t) if dollar_ends => (t, true),
            _ => (*line, !dollar_ends),
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
                (b'M', Some(b'-'), Some(&c)) => {
                    out.push(0x80 | c);
                    i += 3;
                }
                (b'^', Some(b'M'), _) if dollar_ends || text.ends_with("^M") => {
                    out.push(b'\r');
                    i += 2;
                }
                (b'^', Some(b'I'), _) => {
                    out.push(b'\t');
                    i += 2;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        if eol {
            out.push(b'\n');
        }
    }
    out
}

/// One transcript step: a command and the lines under it up to the next blank line
/// followed by a command (a post may hold blank lines of its own).
fn transcript(example: &str) -> Vec<(String, Vec<&str>)> {
    let mut steps: Vec<(String, Vec<&str>)> = Vec::new();
    for line in example.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            if let Some((_, lines)) = steps.last_mut()
                && lines.last() == Some(&"")
            {
                lines.pop();
            }
            steps.push((command.to_string(), Vec::new()));
        } else if let Some((_, lines)) = steps.last_mut() {
            lines.push(line);
        }
    }
    steps
}

/// Every `fmx explain` example is replayed: its files written as `cat` shows them, made
/// read-only where it says `chmod a-w` (fmx's writer checks the mode itself, so this holds
/// as root too), its `fmx check` run, and the output must be exactly what the page shows.
/// The one example that cannot be replayed here (an unreadable file, where the tests may
/// run as root) is named, so a new one cannot slip through.
#[test]
fn every_explain_example_prints_what_its_page_shows() {
    let mut wrong = Vec::new();
    for &rule in fmx::rules::Rule::ALL {
        let dir = tempfile::tempdir().unwrap();
        let steps = transcript(rule.doc().example);
        if steps.iter().any(|(c, _)| c.starts_with("chmod 000")) {
            assert_eq!(
                rule.name(),
                "unreadable-file",
                "only this page may use chmod"
            );
            continue;
        }
        let mut checked = false;
        for (command, lines) in &steps {
            let words: Vec<&str> = command.split_whitespace().collect();
            match words.as_slice() {
                ["cat", flag, file] => {
                    std::fs::write(dir.path().join(file), uncat(lines, *flag == "-A")).unwrap()
                }
                ["cat", file] => {
                    std::fs::write(dir.path().join(file), uncat(lines, false)).unwrap()
                }
                ["chmod", "a-w", file] => {
                    let path = dir.path().join(file);
                    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
                    permissions.set_readonly(true);
                    std::fs::set_permissions(&path, permissions).unwrap();
                }
                ["fmx", "check", args @ ..] => {
                    let mut cmd = crate::support::fmx();
                    cmd.current_dir(dir.path()).args([
                        "check",
                        "--color",
                        "never",
                        "--no-progress",
                    ]);
                    if !dir.path().join("fmx.toml").exists() {
                        cmd.arg("--no-config");
                    }
                    let out = crate::support::run(cmd.args(args));
                    let shown = lines.join("\n") + "\n";
                    if out.stdout != shown {
                        wrong.push(format!(
                            "{rule}: the page shows\n{shown}fmx prints\n{}",
                            out.stdout
                        ));
                    }
                    checked = true;
                }
                other => panic!("{rule}: a step the replay does not know: {other:?}"),
            }
        }
        assert!(checked, "{rule}: the example runs no `fmx check`");
    }
    assert!(
        wrong.is_empty(),
        "{} pages are wrong:\n\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The README's rule table lists exactly the registry's rules, each with its default.
#[test]
fn readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string(fixtures().join("../README.md")).unwrap();
    let rows: Vec<(String, String)> = readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let default = *cells.get(2)?;
            matches!(default, "error" | "warn" | "off")
                .then(|| (name.to_string(), default.to_string()))
        })
        .collect();
    let registry: Vec<(String, String)> = fmx::rules::Rule::ALL
        .iter()
        .map(|r| {
            let default = match r.default_severity() {
                Some(fmx::diagnostic::Severity::Error) => "error",
                Some(fmx::diagnostic::Severity::Warning) => "warn",
                None => "off",
            };
            (r.name().to_string(), default.to_string())
        })
        .collect();
    assert_eq!(rows, registry);
}
