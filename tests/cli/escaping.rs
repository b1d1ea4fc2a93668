//! Text from a post or a file name is shown escaped in every human output: a post cannot put
//! a live GitHub workflow command into a CI log, a terminal escape sequence on a screen, or a
//! forged hunk into a saved diff; and one message cannot quote a whole megabyte.

use crate::support::{fmx, run, write};

/// Every control character a post could smuggle into a line, except the line ends and the
/// colour codes fmx itself writes (off here: `CLICOLOR=0`).
fn assert_clean(what: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        assert!(
            !line.starts_with("::"),
            "{what}: line {} is a workflow command: {line:?}",
            n + 1
        );
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{what}: line {} carries a raw control character: {line:?}",
            n + 1
        );
    }
}

const STRICT: &str = "allow-unknown-fields = false\nrequired = [\"title\"]\n[fields.title]\ntype = \"string\"\n[fields.n]\ntype = \"integer\"\n";

fn site(post: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), STRICT);
    write(&dir.path().join("post.md"), post);
    dir
}

#[test]
fn a_key_with_newlines_cannot_inject_workflow_commands_into_human_output() {
    let dir = site("---\ntitle: T\n\"x\\n::add-mask::S\\n::error::boom\": 1\n---\nBody\n");
    let out = run(fmx().current_dir(dir.path()).args(["check", "post.md"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("unknown-field"), "{}", out.stdout);
    assert!(
        out.stdout.contains(r"x\n::add-mask::S\n::error::boom"),
        "{}",
        out.stdout
    );
    assert_clean("check", &out.stdout);
    assert_clean("summary", &out.stderr);
}

#[test]
fn terminal_escape_sequences_in_values_are_shown_escaped() {
    let dir = site(
        "---\ntitle: \"\\e]8;;https://evil\\aclick\\e]8;;\\a\\e[2J\"\nn: \"\\e[31mred\"\n---\nBody\n",
    );
    let out = run(fmx().current_dir(dir.path()).args(["check", "post.md"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("wrong-type"), "{}", out.stdout);
    assert!(out.stdout.contains(r"\u{1b}[31mred"), "{}", out.stdout);
    assert_clean("check", &out.stdout);
}

#[test]
fn a_file_name_with_a_newline_cannot_forge_a_diff_hunk() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\n+++ forged.md\n@@ -1 +1 @@\nx.md";
    write(
        &dir.path().join(name),
        "---\ntitle: T\ndate: 1602377984.4306138\n---\nBody\n",
    );
    let out =
        run(fmx()
            .current_dir(dir.path())
            .args(["convert", "--no-config", "--to", "toml", "."]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.lines().any(|l| l == "+++ forged.md"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(r"a\n+++ forged.md"), "{}", out.stdout);
    let out = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--require",
        "missing",
        ".",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_clean("check", &out.stdout);
}

#[test]
fn one_message_never_quotes_a_whole_key_or_number() {
    let key = "k".repeat(100_000);
    let digits = "9".repeat(100_000);
    let dir = site(&format!(
        "+++\ntitle = \"T\"\n{key} = 1\nn = 1.{digits}\n+++\nBody\n"
    ));
    let out = run(fmx().current_dir(dir.path()).args(["check", "post.md"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("unknown-field"), "{}", out.stdout);
    assert!(out.stdout.contains("wrong-type"), "{}", out.stdout);
    for line in out.stdout.lines() {
        assert!(
            line.chars().count() < 400,
            "a line of {} characters",
            line.len()
        );
    }
}

#[test]
fn machine_formats_keep_escaping_in_their_own_way() {
    let dir = site("---\ntitle: T\n\"x\\n::add-mask::S\\n::error::boom\": 1\n---\nBody\n");
    let out =
        run(fmx()
            .current_dir(dir.path())
            .args(["check", "--output-format", "github", "post.md"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    for line in out.stdout.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning "),
            "a workflow command from the post: {line:?}\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("::add-mask::S"), "{}", out.stdout);
    for format in ["json", "sarif"] {
        let out = run(fmx().current_dir(dir.path()).args([
            "check",
            "--output-format",
            format,
            "post.md",
        ]));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_clean(format, &out.stdout);
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(
            doc.to_string().contains("add-mask"),
            "{format}: {}",
            out.stdout
        );
    }
}

#[test]
fn an_unknown_rule_name_is_shown_escaped() {
    let out = run(fmx().args(["explain", "x\u{1b}[2Jy"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(r"x\u{1b}[2Jy"), "{}", out.stderr);
    assert_clean("explain", &out.stderr);
}
