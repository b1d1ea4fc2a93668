//! fmx.toml: the schema rules, overrides, severities, fixes, bad configs, init and explain.

use std::path::Path;

use serde_json::Value;

use crate::support::{Output, corpus, fixture, fmx, run, write};

const JIGSAW: &str = r#"
required = ["title", "date", "extends", "section", "description"]
exclude = ["drafts/**"]
allow-unknown-fields = true

[fields.date]
type = "epoch"
earliest = "1990-01-01"
latest = "2100-01-01"

[fields.title]
type = "string"
min-length = 1

[fields.image]
type = "url"

[fields.section]
one-of = ["content", "news"]

[[overrides]]
paths = ["drafts/**"]
required = ["title"]

[rules]
delimiter-whitespace = "warn"
"#;

fn check_in(dir: &Path, args: &[&str]) -> Output {
    run(fmx()
        .current_dir(dir)
        .args(["check", "--color", "never"])
        .args(args))
}

fn json_diagnostics(out: &Output) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    doc["diagnostics"].as_array().unwrap().clone()
}

fn reference() -> String {
    std::fs::read_to_string(fixture("detained-canadians.md")).unwrap()
}

/// The reference post without the key on line `line` (1-based) and its continuation lines.
fn without_line(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if i + 1 == line {
            i += 1;
            while i < lines.len() && lines[i].starts_with("  ") {
                i += 1;
            }
            continue;
        }
        out.push_str(lines[i]);
        i += 1;
    }
    out
}

#[test]
fn jigsaw_config_passes_the_reference_post_and_fails_each_missing_field() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), JIGSAW);
    write(&dir.path().join("post.md"), &reference());
    let ok = check_in(dir.path(), &["post.md"]);
    // The reference post's delimiters carry a trailing space: a warning, exit 0.
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(
        ok.stdout
            .contains("post.md:1:4: warning[delimiter-whitespace]"),
        "{}",
        ok.stdout
    );
    assert!(
        ok.stdout
            .contains("post.md:10:4: warning[delimiter-whitespace]"),
        "{}",
        ok.stdout
    );
    for (line, field) in [
        (2, "extends"),
        (3, "section"),
        (5, "title"),
        (7, "description"),
        (9, "date"),
    ] {
        write(
            &dir.path().join("post.md"),
            &without_line(&reference(), line),
        );
        let out = check_in(dir.path(), &["--output-format", "json", "post.md"]);
        assert_eq!(out.code, 1, "without {field}");
        let diags = json_diagnostics(&out);
        let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert_eq!(errors.len(), 1, "without {field}: {errors:?}");
        assert_eq!(errors[0]["rule"], "missing-field");
        assert_eq!(errors[0]["line"], 1);
        assert_eq!(errors[0]["column"], 1);
        assert!(
            errors[0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{field}`"))
        );
    }
}

#[test]
fn every_type_and_the_value_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        r#"
required = []
allow-unknown-fields = false
[fields.s]
type = "string"
[fields.i]
type = "integer"
[fields.f]
type = "float"
[fields.n]
type = "number"
[fields.b]
type = "boolean"
[fields.a]
type = "array"
[fields.t]
type = "table"
[fields.u]
type = "url"
[fields.e]
type = "epoch"
[fields.dt]
type = "datetime"
[fields.d]
type = "date"
[fields.x]
type = "any"
[fields.o]
one-of = ["red", "green"]
"#,
    );
    let good = "---\ns: text\ni: 3\nf: 1.5\nn: 2\nb: true\na: [1]\nt: {k: v}\nu: https://example.com/x\ne: 1602377984.4306138\ndt: 2020-10-11T00:59:44Z\nd: 2020-10-11\nx: [anything]\no: red\n---\n";
    write(&dir.path().join("good.md"), good);
    let out = check_in(dir.path(), &["good.md"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let bad = "---\ns: 3\ni: 1.5\nf: 2\nn: x\nb: yes\na: {}\nt: []\nu: /relative\ne: \"soon\"\ndt: 2020-10-11\nd: \"11/10/2020\"\no: blue\nzzz: 1\n---\n";
    write(&dir.path().join("bad.md"), bad);
    let out = check_in(dir.path(), &["--output-format", "json", "bad.md"]);
    assert_eq!(out.code, 1);
    let found: Vec<(String, u64, u64)> = json_diagnostics(&out)
        .iter()
        .filter(|d| d["rule"] != "ambiguous-value")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("wrong-type", 2, 4),
        ("wrong-type", 3, 4),
        ("wrong-type", 4, 4),
        ("wrong-type", 5, 4),
        ("wrong-type", 6, 4),
        ("wrong-type", 7, 4),
        ("wrong-type", 8, 4),
        ("invalid-url", 9, 4),
        ("date-not-epoch", 10, 4),
        ("wrong-type", 11, 5),
        ("wrong-type", 12, 4),
        ("not-one-of", 13, 4),
        ("unknown-field", 14, 1),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(r, l, c)| (r.to_string(), *l, *c))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn date_bounds_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), JIGSAW);
    let old = reference().replace("date: 1602377984.4306138", "date: 500000000");
    write(&dir.path().join("post.md"), &old);
    let out = check_in(dir.path(), &["post.md"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("post.md:9:7: error[date-out-of-range]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1985-11-05"), "{}", out.stdout);
}

#[test]
fn overrides_later_ones_win_and_exclude_applies_to_walks() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        r#"
required = ["title", "author"]
exclude = ["skip/**"]
[[overrides]]
paths = ["news/**"]
required = ["title"]
[[overrides]]
paths = ["news/special/**"]
required = ["title", "editor"]
[overrides.rules]
missing-field = "warn"
"#,
    );
    for d in ["posts", "news", "news/special", "skip"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    let post = "---\ntitle: x\n---\n";
    for f in ["posts/a.md", "news/a.md", "news/special/a.md", "skip/a.md"] {
        write(&dir.path().join(f), post);
    }
    let out = check_in(dir.path(), &["."]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("posts/a.md:1:1: error[missing-field] required field `author`"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("news/a.md"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("news/special/a.md:1:1: warning[missing-field] required field `editor`"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("skip/"), "{}", out.stdout);
    // An explicit path is always checked; --require adds to every list.
    let out = check_in(dir.path(), &["--require", "slug", "skip/a.md"]);
    assert!(out.stdout.contains("`slug`"), "{}", out.stdout);
    assert!(out.stdout.contains("`author`"), "{}", out.stdout);
    // --exclude is relative to the working directory.
    let out = check_in(dir.path(), &["--exclude", "posts/", "."]);
    assert!(!out.stdout.contains("posts/a.md"), "{}", out.stdout);
}

#[test]
fn every_severity_setting() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("post.md"),
        "---\ntitle: x\ndate: 2020-10-10\n---\n",
    );
    for (level, code, shown) in [
        ("off", 0, None),
        ("warn", 0, Some("warning")),
        ("error", 1, Some("error")),
    ] {
        write(
            &dir.path().join("fmx.toml"),
            &format!(
                "required = [\"title\"]\n[fields.date]\ntype = \"epoch\"\n[rules]\ndate-not-epoch = \"{level}\"\n"
            ),
        );
        let out = check_in(dir.path(), &["post.md"]);
        assert_eq!(out.code, code, "{level}: {}", out.stdout);
        match shown {
            None => assert_eq!(out.stdout, ""),
            Some(s) => assert!(
                out.stdout.contains(&format!("{s}[date-not-epoch]")),
                "{}",
                out.stdout
            ),
        }
    }
}

#[test]
fn bad_configs_exit_2_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("post.md"), "---\ntitle: x\n---\n");
    for (config, line, word) in [
        ("required = [\"title\"]\nrequird = []\n", 2, "requird"),
        ("required = \"title\"\n", 1, "required"),
        ("[fields.a]\ntype = \"strng\"\n", 2, "strng"),
        ("[rules]\nno-such-rule = \"warn\"\n", 2, "no-such-rule"),
        ("\n\n[[overrides]]\npaths = [\"[\"]\n", 4, "glob"),
        ("[fields.d]\nearliest = \"yesterday\"\n", 2, "yesterday"),
    ] {
        write(&dir.path().join("fmx.toml"), config);
        let out = check_in(dir.path(), &["post.md"]);
        assert_eq!(out.code, 2, "{config}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("fmx.toml:{line}:")),
            "{config}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(word), "{config}: {}", out.stderr);
    }
    // --no-config ignores it; --config names another.
    assert_eq!(check_in(dir.path(), &["--no-config", "post.md"]).code, 1);
    write(&dir.path().join("other.toml"), "required = [\"title\"]\n");
    assert_eq!(
        check_in(dir.path(), &["--config", "other.toml", "post.md"]).code,
        0
    );
}

#[test]
fn fixes_exact_bytes_and_diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        "required = [\"title\", \"date\"]\nyaml = \"1.2\"\n[fields.date]\ntype = \"epoch\"\n[rules]\nbom = \"warn\"\ndelimiter-whitespace = \"warn\"\n",
    );
    let cases = [
        (
            "\u{feff}--- \ntitle: x\ndate: \"2020-10-11T00:59:44.4306138Z\"\npublished: yes\n---\t\nbody \n",
            "---\ntitle: x\ndate: 1602377984.4306138\npublished: \"yes\"\n---\nbody \n",
        ),
        (
            "+++\ntitle = \"x\"\ndate = \"1602377984\" # when\n+++\nbody",
            "+++\ntitle = \"x\"\ndate = 1602377984 # when\n+++\nbody",
        ),
        (
            "{\n  \"title\": \"x\",\n  \"date\": \"2020-10-11T02:59:44+02:00\"\n}\nbody\n",
            "{\n  \"title\": \"x\",\n  \"date\": 1602377984\n}\nbody\n",
        ),
    ];
    for (before, after) in cases {
        write(&dir.path().join("post.md"), before);
        let diff = check_in(dir.path(), &["--diff", "post.md"]);
        assert_eq!(diff.code, 1, "--diff with fixes exits 1: {}", diff.stdout);
        assert!(diff.stdout.contains("+++ b/post.md"), "{}", diff.stdout);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("post.md")).unwrap(),
            before
        );
        let fixed = check_in(dir.path(), &["--fix", "post.md"]);
        assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
        assert!(fixed.stderr.contains("fixed"), "{}", fixed.stderr);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("post.md")).unwrap(),
            after
        );
    }
    // Not fixable: a bare calendar date stays, and is still reported.
    let before = "---\ntitle: x\ndate: 2020-10-10\n---\n";
    write(&dir.path().join("post.md"), before);
    let out = check_in(dir.path(), &["--fix", "post.md"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("post.md")).unwrap(),
        before
    );
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(fmx().current_dir(dir.path()).arg("init"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    write(&dir.path().join("post.md"), &reference());
    assert_eq!(check_in(dir.path(), &["post.md"]).code, 0);
    let again = run(fmx().current_dir(dir.path()).arg("init"));
    assert_eq!(again.code, 2, "an existing fmx.toml is not overwritten");
}

#[test]
fn init_infer_on_the_hugo_docs_gives_a_config_they_pass() {
    let Some(corpus) = corpus() else { return };
    let docs = corpus.join("hugodocs");
    let dir = tempfile::tempdir().unwrap();
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--stdout", "--infer"])
        .arg(&docs));
    assert_eq!(out.code, 0, "{}", out.stderr);
    eprintln!("inferred config for the Hugo docs:\n{}", out.stdout);
    assert!(out.stdout.contains("required = ["), "{}", out.stdout);
    write(&dir.path().join("fmx.toml"), &out.stdout);
    let check = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--output-format", "json"])
        .arg(&docs));
    let diags = json_diagnostics(&check);
    let schema_errors: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "missing-field" || d["rule"] == "wrong-type")
        .collect();
    assert!(schema_errors.is_empty(), "{schema_errors:#?}");
}

#[test]
fn explain_lists_and_prints_every_rule() {
    let list = run(fmx().arg("explain"));
    assert_eq!(list.code, 0);
    for rule in fmx::rules::Rule::ALL {
        assert!(list.stdout.contains(rule.name()), "{}", rule.name());
        let page = run(fmx().args(["explain", rule.name()]));
        assert_eq!(page.code, 0);
        for heading in ["What it checks", "Why", "Example", "Fix"] {
            assert!(page.stdout.contains(heading), "{}: {heading}", rule.name());
        }
    }
    assert_eq!(run(fmx().args(["explain", "no-such-rule"])).code, 2);
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for rule in fmx::rules::Rule::ALL {
        let default = match rule.default_severity() {
            Some(fmx::diagnostic::Severity::Error) => "error",
            Some(fmx::diagnostic::Severity::Warning) => "warn",
            None => "off",
        };
        let row = format!("| `{}` | {default} |", rule.name());
        assert!(readme.contains(&row), "README lacks the row `{row}`");
    }
}

#[test]
fn completions_load_in_bash_and_the_man_page_renders() {
    let bin = assert_cmd::cargo::cargo_bin("fmx");
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "source <('{}' completions bash) && complete -p fmx",
                bin.display()
            ),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("fmx"));
    let man = run(fmx().arg("man"));
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH fmx"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(run(fmx().arg("--version")).stdout.starts_with("fmx "));
}

/// Override `paths` are gitignore patterns, as `exclude` is: `drafts` names the folder and
/// everything below it (a hand-made glob translation matched only a file named `drafts`).
#[test]
fn override_paths_match_a_folder_like_exclude_does() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        "required = [\"title\", \"date\"]\n\n[[overrides]]\npaths = [\"drafts\"]\nrequired = [\"title\"]\n",
    );
    for folder in ["drafts", "posts"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
    }
    write(&dir.path().join("drafts/a.md"), "---\ntitle: Draft\n---\n");
    write(&dir.path().join("posts/b.md"), "---\ntitle: Post\n---\n");
    let out = check_in(dir.path(), &["--no-progress", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("posts/b.md:1:1: error[missing-field] required field `date` is missing"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("drafts/a.md"), "{}", out.stdout);
}

/// `key-order` (off by default) reports the first key out of the configured order, and
/// `--fix` moves whole entries, values and comments after them included, body untouched.
#[test]
fn key_order_is_reported_and_fixed_in_yaml_and_toml() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        "key-order = [\"title\", \"date\", \"tags\"]\n\n[rules]\nkey-order = \"warn\"\n",
    );
    let yaml = "---\n# kept on top\ndraft: true\ntags:\n  - a\n  - b\ndate: 1602377984 # when\ntitle: Hello\n---\nBody\n  kept\n";
    let toml = "+++\ndate = 1602377984\ntitle = \"Hello\"\n+++\nBody\n";
    let json = "{\n  \"date\": 1602377984,\n  \"title\": \"Hello\"\n}\nBody\n";
    write(&dir.path().join("a.md"), yaml);
    write(&dir.path().join("b.md"), toml);
    write(&dir.path().join("c.md"), json);
    let out = check_in(dir.path(), &["--no-progress", "a.md", "b.md", "c.md"]);
    assert_eq!(
        out.stdout,
        "a.md:8:1: warning[key-order] `title` should come before `draft`\n  \
         help: `fmx check --fix` reorders the keys\n\
         b.md:3:1: warning[key-order] `title` should come before `date`\n  \
         help: `fmx check --fix` reorders the keys\n\
         c.md:3:3: warning[key-order] `title` should come before `date`\n"
    );
    let fixed = check_in(
        dir.path(),
        &["--no-progress", "--fix", "a.md", "b.md", "c.md"],
    );
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("a.md"),
        "---\n# kept on top\ntitle: Hello\ndate: 1602377984 # when\ntags:\n  - a\n  - b\ndraft: true\n---\nBody\n  kept\n"
    );
    assert_eq!(
        read("b.md"),
        "+++\ntitle = \"Hello\"\ndate = 1602377984\n+++\nBody\n"
    );
    assert_eq!(read("c.md"), json, "JSON is reported, not reordered");
    assert_eq!(
        fixed.stdout,
        "c.md:3:3: warning[key-order] `title` should come before `date`\n"
    );
}
