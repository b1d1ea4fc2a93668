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
