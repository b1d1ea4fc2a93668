//! `fmx check`: every rule at its exact position, every output format, every exit code.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::support::{check, fixture, fixtures, fmx, run};

/// The one diagnostic line for `file`, in human format without colour.
fn only_line(file: &str) -> (i32, String) {
    let out = check(&["--color", "never", file]);
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with("  "))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one diagnostic for {file}, got:\n{}",
        out.stdout
    );
    (out.code, lines[0].to_string())
}

fn assert_rule_at(file: &str, position: &str, severity_rule: &str) {
    let (code, line) = only_line(file);
    let prefix = format!("{file}:{position}: {severity_rule} ");
    assert!(
        line.starts_with(&prefix),
        "expected `{prefix}…`, got `{line}`"
    );
    let expected_code = if severity_rule.starts_with("error") {
        1
    } else {
        0
    };
    assert_eq!(code, expected_code, "exit code for {file}");
}

#[test]
fn reference_post_checks_clean() {
    let out = check(&["detained-canadians.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("checked 1 file"), "{}", out.stderr);
}

#[test]
fn clean_posts_in_every_format() {
    let out = check(&["clean"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("checked 2 files"), "{}", out.stderr);
}

#[test]
fn reference_post_without_title_is_missing_a_field() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(fixture("detained-canadians.md")).unwrap();
    let text = String::from_utf8(original).unwrap();
    // Drop the `title: >` line and its folded continuation.
    let without: String = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i != 4 && *i != 5)
        .map(|(_, l)| l)
        .collect();
    assert!(!without.contains("title:"));
    std::fs::write(dir.path().join("post.md"), without).unwrap();
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-config", "post.md"]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("post.md:1:1: error[missing-field] required field `title` is missing"),
        "{}",
        out.stdout
    );
}

#[test]
fn structure_rules_at_their_positions() {
    assert_rule_at("rules/no-front-matter.md", "1:1", "error[no-front-matter]");
    assert_rule_at(
        "rules/unclosed-front-matter.md",
        "1:1",
        "error[unclosed-front-matter]",
    );
    assert_rule_at("rules/not-a-mapping.md", "2:1", "error[not-a-mapping]");
    assert_rule_at("rules/duplicate-key.md", "4:1", "error[duplicate-key]");
    assert_rule_at(
        "rules/invalid-encoding.md",
        "2:11",
        "error[invalid-encoding]",
    );
    assert_rule_at("rules/empty-field.md", "2:8", "error[empty-field]");
}

#[test]
fn syntax_errors_point_where_a_person_would() {
    // The unterminated quote opens on line 2.
    assert_rule_at("rules/syntax-error-yaml.md", "2:8", "error[syntax-error]");
    // `author = ` has no value: line 4, after the `=`.
    assert_rule_at("rules/syntax-error-toml.md", "4:10", "error[syntax-error]");
    // The missing comma is after the value on line 3.
    let (_, line) = only_line("rules/syntax-error-json.md");
    assert!(
        line.starts_with("rules/syntax-error-json.md:3:")
            || line.starts_with("rules/syntax-error-json.md:4:3:"),
        "{line}"
    );
}

#[test]
fn date_rules_at_the_value() {
    assert_rule_at("rules/date-not-epoch.md", "3:7", "error[date-not-epoch]");
    assert_rule_at("rules/date-not-finite.md", "3:7", "error[date-not-finite]");
    assert_rule_at(
        "rules/date-out-of-range.md",
        "3:7",
        "error[date-out-of-range]",
    );
    assert_rule_at(
        "rules/date-in-milliseconds.md",
        "3:7",
        "error[date-in-milliseconds]",
    );
    assert_rule_at("rules/date-in-future.md", "3:7", "warning[date-in-future]");
}

#[test]
fn date_not_epoch_message_names_what_was_found() {
    let (_, line) = only_line("rules/date-not-epoch.md");
    assert!(
        line.ends_with(
            "`date` must be Unix epoch seconds as a number, found local date 2020-10-10"
        ),
        "{line}"
    );
}

#[test]
fn line_ending_and_yaml_warnings() {
    assert_rule_at(
        "rules/mixed-line-endings.md",
        "2:1",
        "warning[mixed-line-endings]",
    );
    assert_rule_at(
        "rules/ambiguous-value.md",
        "4:12",
        "warning[ambiguous-value]",
    );
}

#[test]
fn positions_under_bom_and_crlf() {
    // The BOM is not a column; CRLF does not shift lines. The RFC 3339 string is fixable.
    let out = check(&["--color", "never", "rules/bom-crlf.md"]);
    assert_eq!(out.code, 1);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("rules/bom-crlf.md:3:7: error[date-not-epoch]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1602377984.4306138"), "{}", out.stdout);
}

#[test]
fn json_output_parses_with_every_field() {
    let out = check(&[
        "--output-format",
        "json",
        "rules/date-not-epoch.md",
        "detained-canadians.md",
    ]);
    assert_eq!(out.code, 1);
    let doc: Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(d["path"], "rules/date-not-epoch.md");
    assert_eq!(d["rule"], "date-not-epoch");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], 7);
    assert!(d["message"].as_str().unwrap().contains("epoch"));
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["errors"], 1);
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let out = check(&[
        "--output-format",
        "sarif",
        "rules/duplicate-key.md",
        "rules/date-in-future.md",
    ]);
    assert_eq!(out.code, 1);
    let doc: Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "date-not-epoch"));
    assert!(
        rules
            .iter()
            .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()))
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let dup = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-key")
        .unwrap();
    assert_eq!(dup["level"], "error");
    let index = dup["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "duplicate-key");
    let loc = &dup["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "rules/duplicate-key.md");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 1);
    let future = results
        .iter()
        .find(|r| r["ruleId"] == "date-in-future")
        .unwrap();
    assert_eq!(future["level"], "warning");
}

#[test]
fn github_annotations() {
    let out = check(&["--output-format", "github", "rules/date-not-epoch.md"]);
    assert_eq!(out.code, 1);
    let line = out.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::error file=rules/date-not-epoch.md,line=3,col=7,title=fmx(date-not-epoch)::"
        ),
        "{line}"
    );
}

#[test]
fn human_output_is_sorted_by_path_then_position() {
    let out = check(&["--color", "never", "rules"]);
    assert_eq!(out.code, 1);
    let keys: Vec<(String, u32, u32)> = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with("  "))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next().unwrap().to_string();
            let line = parts.next().unwrap().parse().unwrap();
            let col = parts.next().unwrap().parse().unwrap();
            (path, line, col)
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(out.stderr.contains("errors"), "{}", out.stderr);
}

#[test]
fn colour_only_when_asked() {
    let plain = check(&["rules/date-not-epoch.md"]);
    assert!(!plain.stdout.contains('\x1b'), "not a terminal: no colour");
    let coloured = check(&["--color", "always", "rules/date-not-epoch.md"]);
    assert!(coloured.stdout.contains('\x1b'));
    let no_color = run(fmx().current_dir(fixtures()).env("NO_COLOR", "1").args([
        "check",
        "--no-config",
        "rules/date-not-epoch.md",
    ]));
    assert!(!no_color.stdout.contains('\x1b'));
}

#[test]
fn quiet_prints_errors_only_and_no_summary() {
    let out = check(&[
        "--quiet",
        "rules/date-in-future.md",
        "rules/date-not-epoch.md",
    ]);
    assert_eq!(out.code, 1);
    assert!(!out.stdout.contains("date-in-future"));
    assert!(out.stdout.contains("date-not-epoch"));
    assert_eq!(out.stderr, "");
}

#[test]
fn exit_codes() {
    assert_eq!(check(&["detained-canadians.md"]).code, 0);
    assert_eq!(check(&["rules/date-in-future.md"]).code, 0, "warnings only");
    assert_eq!(check(&["rules/date-not-epoch.md"]).code, 1);
    let missing = check(&["no/such/file.md"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no/such/file.md"),
        "{}",
        missing.stderr
    );
    assert_eq!(check(&["--output-format", "xml", "."]).code, 2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fmx.toml"),
        "required = [\"title\"]\nrequird = 1\n",
    )
    .unwrap();
    let bad = run(fmx().current_dir(dir.path()).args(["check", "."]));
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("fmx.toml:2:"), "{}", bad.stderr);
    assert!(bad.stderr.contains("requird"), "{}", bad.stderr);
}

#[test]
fn stdin_with_a_name() {
    let bytes = std::fs::read(fixture("rules/date-not-epoch.md")).unwrap();
    let out = run(fmx()
        .args([
            "check",
            "--no-config",
            "--color",
            "never",
            "-",
            "--stdin-filename",
            "posts/new.md",
        ])
        .write_stdin(bytes));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("posts/new.md:3:7: error[date-not-epoch]"),
        "{}",
        out.stdout
    );
    let clean = run(fmx()
        .args(["check", "--no-config", "-"])
        .write_stdin(std::fs::read(fixture("detained-canadians.md")).unwrap()));
    assert_eq!(clean.code, 0);
}

#[test]
fn limits_give_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "---\ntitle: x\ndate: 1\nnested: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("deep.md"), deep).unwrap();
    let bomb = "---\ntitle: x\ndate: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n";
    std::fs::write(dir.path().join("bomb.md"), bomb).unwrap();
    let big = format!("---\ntitle: x\n{}---\n", "k: v\n".repeat(300_000));
    std::fs::write(dir.path().join("big.md"), big).unwrap();
    let out =
        run(fmx()
            .current_dir(dir.path())
            .args(["check", "--no-config", "--color", "never", "."]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    for file in ["deep.md", "bomb.md", "big.md"] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(file) && l.contains("error[limit-exceeded]")),
            "{file}: {}",
            out.stdout
        );
    }
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        std::fs::write(dir.path().join(format!("p{i:04}.md")), "no front matter\n").unwrap();
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("fmx"))
        .current_dir(dir.path())
        .args(["check", "--no-config", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes, as with `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("no-front-matter"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    // The upstream schema's `language` pattern has a stray `]` that Rust's regex engines
    // reject when the schema itself is checked; it is mended in memory, not in the copy.
    let text = std::fs::read_to_string(schema_path)
        .unwrap()
        .replace("-[a-zA-Z]{2}]?$", "-[a-zA-Z]{2}?$");
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let out = check(&["--output-format", "sarif", "rules", "detained-canadians.md"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
}

/// `check --diff` prints its diff with the same printer as `convert`'s dry run: coloured
/// when colour is on (it was always plain), plain when it is off.
#[test]
fn check_diff_is_coloured_like_convert_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("post.md"),
        "---\ntitle: T\ndate: \"1602377984\"\n---\nBody\n",
    )
    .unwrap();
    let diff = |color: &str| {
        run(fmx().current_dir(dir.path()).args([
            "check",
            "--no-config",
            "--no-progress",
            "--diff",
            "--color",
            color,
            "post.md",
        ]))
    };
    let coloured = diff("always");
    assert_eq!(coloured.code, 1, "{}", coloured.stderr);
    assert!(
        coloured.stdout.contains("\x1b[32m+date: 1602377984\x1b[0m"),
        "{:?}",
        coloured.stdout
    );
    assert!(
        coloured
            .stdout
            .contains("\x1b[31m-date: \"1602377984\"\x1b[0m"),
        "{:?}",
        coloured.stdout
    );
    let plain = diff("never");
    assert!(
        plain.stdout.contains("\n+date: 1602377984\n"),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
}

/// Every rule has a fixture under `fixtures/rules/` (named after it, or `<rule>-<variant>`)
/// that reports it, checked with `fixtures/rules/fmx.toml` (the rules that are off turned on,
/// the schema the schema rules need). An unreadable file cannot be a committed fixture (the
/// tests may run as root); it is the one exception, named.
#[test]
fn every_rule_has_a_fixture_that_reports_it() {
    let dir = fixtures().join("rules");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    for &rule in fmx::rules::Rule::ALL {
        // Neither can a file --fix cannot write (a read-only mode or a second hard link is
        // not kept by git): `fix_that_cannot_be_written_is_fix_failed` makes one.
        if matches!(rule.name(), "unreadable-file" | "fix-failed") {
            continue;
        }
        let mine: Vec<&String> = names
            .iter()
            .filter(|n| {
                let stem = n.trim_end_matches(".md");
                stem == rule.name() || stem.starts_with(&format!("{}-", rule.name()))
            })
            .collect();
        assert!(!mine.is_empty(), "no fixture for {rule}");
        for name in mine {
            let out = run(fmx().args([
                "check",
                "--config",
                dir.join("fmx.toml").to_str().unwrap(),
                "--no-progress",
                "--output-format",
                "json",
                dir.join(name).to_str().unwrap(),
            ]));
            let doc: Value = serde_json::from_str(&out.stdout).expect("JSON report");
            let rules: Vec<&str> = doc["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["rule"].as_str())
                .collect();
            assert!(rules.contains(&rule.name()), "{name}: {rules:?}");
        }
    }
}

/// `--fix` turns a numeric string into epoch seconds only when the instant is one a person
/// would recognise: `"2020"` as seconds is 1970-01-01T00:33:40Z, so it stays reported.
#[test]
fn fix_does_not_take_a_year_or_an_instant_out_of_range_for_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    for (date, fixed) in [
        ("\"2020\"", None),
        ("\"99999999999\"", None),
        ("\"1602377984\"", Some("1602377984")),
    ] {
        let before = format!("---\ntitle: T\ndate: {date}\n---\nBody\n");
        std::fs::write(&path, &before).unwrap();
        let out =
            run(fmx()
                .current_dir(dir.path())
                .args(["check", "--no-config", "--fix", "p.md"]));
        let after = std::fs::read_to_string(&path).unwrap();
        match fixed {
            None => {
                assert_eq!(out.code, 1, "{date}: {}", out.stdout);
                assert!(
                    out.stdout.contains("p.md:3:7: error[date-not-epoch]"),
                    "{}",
                    out.stdout
                );
                assert_eq!(after, before, "{date} was rewritten");
            }
            Some(digits) => {
                assert_eq!(out.code, 0, "{date}: {}", out.stdout);
                assert_eq!(after, format!("---\ntitle: T\ndate: {digits}\n---\nBody\n"));
            }
        }
    }
}

/// `--diff` writes nothing, so its summary counts nothing as fixed.
#[test]
fn diff_does_not_say_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let before = "---\ntitle: T\ndate: \"1602377984\"\n---\nBody\n";
    std::fs::write(dir.path().join("p.md"), before).unwrap();
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-config", "--diff", "p.md"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("+date: 1602377984"), "{}", out.stdout);
    assert!(!out.stderr.contains("fixed)"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("(1 fixable, nothing written: --fix applies the diff)"),
        "{}",
        out.stderr
    );
    let json = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--diff",
        "--output-format",
        "json",
        "p.md",
    ]));
    let start = json.stdout.find("{\"version\"").expect("a JSON report");
    let doc: Value = serde_json::from_str(&json.stdout[start..]).unwrap();
    assert_eq!(doc["summary"]["fixed"], 0, "{}", json.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        before
    );
}

/// An `epoch` field nested in a table (`[fields."params.date"]`) is fixed where it is, in
/// each format, as a top-level one is; `--fix` used to call it fixable and leave it.
#[test]
fn fix_converts_a_nested_epoch_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fmx.toml"),
        "[fields.\"params.date\"]\ntype = \"epoch\"\n",
    )
    .unwrap();
    for (name, before, after) in [
        (
            "y.md",
            "---\ntitle: T\nparams:\n  date: \"2020-10-11T00:59:44Z\"\n---\nBody\n",
            "---\ntitle: T\nparams:\n  date: 1602377984\n---\nBody\n",
        ),
        (
            "t.md",
            "+++\ntitle = \"T\"\n[params]\ndate = 2020-10-11T00:59:44Z # when\n+++\nBody\n",
            "+++\ntitle = \"T\"\n[params]\ndate = 1602377984 # when\n+++\nBody\n",
        ),
        (
            "j.md",
            "{\n  \"title\": \"T\",\n  \"params\": {\"date\": \"2020-10-11T00:59:44Z\", \"x\": 1}\n}\nBody\n",
            "{\n  \"title\": \"T\",\n  \"params\": {\"date\": 1602377984, \"x\": 1}\n}\nBody\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, before).unwrap();
        let out =
            run(fmx()
                .current_dir(dir.path())
                .args(["check", "--no-progress", "--fix", name]));
        assert_eq!(out.code, 0, "{name}: {}{}", out.stdout, out.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), after, "{name}");
        assert!(out.stderr.contains("(1 fixed)"), "{name}: {}", out.stderr);
    }
}

/// A fix that verified but cannot be written (a read-only file, a file with two hard
/// links) is `fix-failed` at 1:1 with the writer's reason, not `unreadable-file`; the file
/// is left as it was, its problem still reported, and the rest of the batch is fixed.
#[test]
fn fix_that_cannot_be_written_is_fix_failed() {
    let dir = tempfile::tempdir().unwrap();
    let before = "---\ntitle: T\ndate: \"1602377984\"\n---\nBody\n";
    for name in ["a-ok.md", "b-linked.md", "c-read-only.md"] {
        std::fs::write(dir.path().join(name), before).unwrap();
    }
    std::fs::hard_link(dir.path().join("b-linked.md"), dir.path().join("link")).unwrap();
    let read_only = dir.path().join("c-read-only.md");
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    let out = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--no-progress",
        "--fix",
        "a-ok.md",
        "b-linked.md",
        "c-read-only.md",
    ]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        lines,
        [
            "b-linked.md:1:1: error[fix-failed] cannot write the fixes: has 2 hard links; a \
             rewrite would part this name from the others (they would keep the old text); not \
             written",
            "b-linked.md:3:7: error[date-not-epoch] `date` must be Unix epoch seconds as a \
             number, found string \"1602377984\"",
            "c-read-only.md:1:1: error[fix-failed] cannot write the fixes: is read-only (mode \
             0444); not written (`chmod u+w` it to allow the rewrite)",
            "c-read-only.md:3:7: error[date-not-epoch] `date` must be Unix epoch seconds as a \
             number, found string \"1602377984\"",
        ]
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("a-ok.md"),
        before.replace("\"1602377984\"", "1602377984")
    );
    assert_eq!(read("b-linked.md"), before);
    assert_eq!(read("c-read-only.md"), before);
    let json = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--no-progress",
        "--fix",
        "--output-format",
        "json",
        "c-read-only.md",
    ]));
    let doc: Value = serde_json::from_str(&json.stdout).expect("a JSON report");
    let rules: Vec<&str> = (doc["diagnostics"].as_array().unwrap().iter())
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(rules, ["fix-failed", "date-not-epoch"], "{}", json.stdout);
}
