//! What a post means, and what reading it may cost, hold for every input: nesting and
//! number bounds, format conformance, and the readings other YAML and TOML readers take.

use std::path::Path;

use crate::support::{Output, fmx, run, write};

/// The deepest `max-depth` a config may give.
const NO_LIMIT: &str = "[limits]\nmax-depth = 256\n";

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    run(fmx().current_dir(dir).args(args))
}

/// `n` arrays inside each other and `n` mappings inside each other, as YAML and as JSON.
fn deep_posts(dir: &Path, n: usize) {
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    let (yopen, jopen, shut) = ("{x: ".repeat(n), "{\"x\": ".repeat(n), "}".repeat(n));
    write(
        &dir.join("y.md"),
        &format!("---\na: {open}{close}\nb: {yopen}1{shut}\n---\nBody\n"),
    );
    write(
        &dir.join("j.md"),
        &format!("{{\"a\": {open}{close}, \"b\": {jopen}1{shut}}}\nBody\n"),
    );
}

#[test]
fn a_max_depth_above_the_ceiling_is_a_config_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        "required = []\n[limits]\nmax-depth = 1000000\n",
    );
    deep_posts(dir.path(), 300);
    for args in [&["check", "y.md"][..], &["convert", "--to", "json", "y.md"]] {
        let out = in_dir(dir.path(), args);
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "fmx.toml:3:13: `max-depth` = 1000000 is above 256, the deepest nesting fmx converts and compares safely"
            ),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn nesting_beyond_the_ceiling_is_a_diagnostic_at_the_deepest_max_depth() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), NO_LIMIT);
    for n in [5_000, 40_000] {
        deep_posts(dir.path(), n);
        for post in ["y.md", "j.md"] {
            let out = in_dir(dir.path(), &["check", post]);
            assert_eq!(out.code, 1, "{post} at {n}: {}{}", out.stdout, out.stderr);
            assert!(
                out.stdout
                    .contains("error[limit-exceeded] nesting deeper than 256 levels"),
                "{}",
                out.stdout
            );
            for to in ["yaml", "toml", "json"] {
                // `run` fails the test if fmx died of a signal (a stack overflow aborts).
                let out = in_dir(dir.path(), &["convert", "--to", to, post]);
                assert!(
                    out.stdout.contains("nesting deeper than 256 levels"),
                    "{post} at {n} to {to}: {}{}",
                    out.stdout,
                    out.stderr
                );
            }
        }
    }
}

#[test]
fn nesting_at_the_ceiling_converts_in_every_direction() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), NO_LIMIT);
    // The root counts as a level: 255 arrays inside it are 256 levels.
    deep_posts(dir.path(), 255);
    for post in ["y.md", "j.md"] {
        let out = in_dir(dir.path(), &["check", post]);
        assert!(!out.stdout.contains("limit-exceeded"), "{}", out.stdout);
        for to in ["yaml", "json", "toml"] {
            let copy = format!("{to}-{post}");
            std::fs::copy(dir.path().join(post), dir.path().join(&copy)).unwrap();
            let out = in_dir(dir.path(), &["convert", "--to", to, "--write", &copy]);
            // TOML readers stop at 80 levels: fmx refuses rather than write what they reject.
            if to == "toml" {
                assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
                assert!(out.stdout.contains("refused"), "{}", out.stdout);
                continue;
            }
            assert_eq!(out.code, 0, "{post} to {to}: {}{}", out.stdout, out.stderr);
            let out = in_dir(dir.path(), &["check", &copy]);
            assert!(!out.stdout.contains("error["), "{to}: {}", out.stdout);
        }
    }
    deep_posts(dir.path(), 256);
    let deeper = in_dir(dir.path(), &["check", "y.md"]);
    assert!(
        deeper.stdout.contains("limit-exceeded"),
        "{}",
        deeper.stdout
    );
}

/// Runs `fmx ARGS` in `dir` under a 1 GiB address-space limit, so that a run that would
/// take gigabytes fails fast instead of taking the machine with it.
fn bounded(dir: &Path, args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("fmx");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.current_dir(dir)
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args);
    run(&mut cmd)
}

#[test]
fn a_huge_negative_exponent_is_refused_without_padding_zeros() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("p.md"),
        "---\ntitle: T\ndate: 1e-2147483648\n---\nBody\n",
    );
    for to in ["toml", "json", "yaml"] {
        let out = bounded(
            dir.path(),
            &[
                "convert",
                "--no-config",
                "--yaml",
                "1.2",
                "--dates",
                "rfc3339",
                "--to",
                to,
                "p.md",
            ],
        );
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(
                "p.md: refused: 3:7: `date`: `1.0e-2147483648` has more than nine fraction digits"
            ),
            "{}",
            out.stdout
        );
    }
}

/// `fmx check --no-config POST` on `text`, returning its human output.
fn check_text(text: &[u8]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), text).unwrap();
    in_dir(dir.path(), &["check", "--no-config", "p.md"])
}

#[test]
fn a_bare_carriage_return_in_toml_is_a_syntax_error() {
    // toml-test `invalid/control/bare-cr` as front matter, in an LF and in a CRLF file: a
    // lone CR before a CRLF used to fold into a CRLF and pass.
    let comment = "# The following line contains a single carriage return control character";
    for (text, line) in [
        (
            format!("+++\ntitle = \"T\"\n{comment}\r\n\r\r\n+++\nBody\n"),
            4,
        ),
        (
            format!("+++\r\ntitle = \"T\"\r\n{comment}\r\n\r\r\n+++\r\n"),
            4,
        ),
        ("+++\ntitle = \"T\"\nx = 1\n\r \n+++\n".to_string(), 4),
    ] {
        let out = check_text(text.as_bytes());
        assert!(
            out.stdout.contains(&format!(
                "p.md:{line}:1: error[syntax-error] invalid TOML: a carriage return not \
                 followed by a line feed"
            )),
            "{text:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_tab_where_indentation_is_expected_is_a_yaml_syntax_error() {
    let needs = "invalid YAML: a tab where indentation is expected: a quoted scalar's \
                 continuation line must be indented by at least";
    for (block, at) in [
        // yaml-test-suite DK95/01, at the top level and nested.
        ("foo: \"bar\n\tbaz\"\n", "4:1"),
        ("x:\n  foo: 'bar\n  \tbaz'\n", "5:3"),
    ] {
        let out = check_text(format!("---\ntitle: T\n{block}---\nBody\n").as_bytes());
        assert!(
            out.stdout
                .contains(&format!("p.md:{at}: error[syntax-error] {needs}")),
            "{block:?}: {}",
            out.stdout
        );
    }
    // DK95/02 and /08: spaces first, then tabs, are fine. QB6E (too few spaces, no tab) is
    // an error to YAML 1.2 but read by Jekyll's and Hugo's readers: accepted.
    for block in [
        "foo: \"bar\n  \tbaz\"\n",
        "foo: \"bar\n \t \t baz \t \t \"\n",
        "quoted: \"a\nb\nc\"\n",
    ] {
        let out = check_text(format!("---\ntitle: T\n{block}---\nBody\n").as_bytes());
        assert!(!out.stdout.contains("syntax-error"), "{}", out.stdout);
    }
}

#[test]
fn a_closed_block_with_a_line_over_the_limit_names_the_limit() {
    // Longer than the prefix `check` reads (the limit and 64 KiB).
    let long = "a".repeat(2 << 20);
    let out = check_text(format!("---\ntitle: T\nx: {long}\n---\nBody\n").as_bytes());
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("p.md:1:1: error[limit-exceeded] YAML front matter opened at line 1 is larger than 1 MiB"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1 MiB"), "{}", out.stdout);
    assert!(!out.stdout.contains("unclosed"), "{}", out.stdout);
}

#[test]
fn comments_inside_arrays_travel_or_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    let toml = "+++\ntitle = \"T\"\nauthors = [\n  \"a\", # first\n  # add yourself here\n]\n\
                tags = [\n  # none yet\n]\n+++\nBody\n";
    write(&post, toml);
    let convert = |to: &str, extra: &[&str]| {
        let mut args = vec!["convert", "--no-config", "--no-progress", "--to", to];
        args.extend_from_slice(extra);
        args.push("p.md");
        in_dir(dir.path(), &args)
    };
    // JSON cannot hold them: each is listed.
    let out = convert("json", &["--output-format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let dropped: Vec<(&str, &str)> = report["files"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "comment-dropped")
        .map(|c| (c["key"].as_str().unwrap(), c["from"].as_str().unwrap()))
        .collect();
    assert_eq!(
        dropped,
        [
            ("authors", "# first"),
            ("authors", "# add yourself here"),
            ("tags", "# none yet")
        ],
        "{}",
        out.stdout
    );
    // YAML holds them where they stood, and TOML again on the way back.
    assert_eq!(convert("yaml", &["--write"]).code, 0);
    let yaml = std::fs::read_to_string(&post).unwrap();
    assert_eq!(
        yaml,
        "---\ntitle: T\nauthors:\n  - a # first\n  # add yourself here\ntags: [\n  # none yet\n]\n\
         ---\nBody\n"
    );
    assert_eq!(convert("toml", &["--write"]).code, 0);
    assert_eq!(std::fs::read_to_string(&post).unwrap(), toml);
}

// ---- the YAML reading: named, or refused -----------------------------------------------------

const JEKYLL: &str = "---\ntitle: T\npublished: no\n---\nBody\n";

#[test]
fn a_value_yaml_11_and_12_read_apart_is_refused_until_a_reading_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("p.md"), JEKYLL);
    let out = in_dir(
        dir.path(),
        &["convert", "--no-config", "--to", "toml", "p.md"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "p.md: refused: 3:12: value `no` is the string \"no\" to fmx (YAML 1.2), but YAML 1.1 \
         readers (Jekyll, PyYAML) read it as the boolean false; name the reading with \
         `--yaml 1.1` or `--yaml 1.2` (or `yaml = \"1.1\"` in fmx.toml)\n"
    );
    let write_as = |args: &[&str]| {
        write(&dir.path().join("p.md"), JEKYLL);
        let mut all = vec!["convert", "--to", "toml", "--write", "p.md"];
        all.extend_from_slice(args);
        let out = in_dir(dir.path(), &all);
        assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
        std::fs::read_to_string(dir.path().join("p.md")).unwrap()
    };
    let jekyll = "+++\ntitle = \"T\"\npublished = false\n+++\nBody\n";
    let core = "+++\ntitle = \"T\"\npublished = \"no\"\n+++\nBody\n";
    assert_eq!(write_as(&["--no-config", "--yaml", "1.1"]), jekyll);
    assert_eq!(write_as(&["--no-config", "--yaml", "1.2"]), core);
    write(&dir.path().join("fmx.toml"), "yaml = \"1.1\"\n");
    assert_eq!(write_as(&[]), jekyll);
    // The command line wins over the config.
    assert_eq!(write_as(&["--yaml", "1.2"]), core);
    write(&dir.path().join("fmx.toml"), "yaml = \"1.3\"\n");
    let out = in_dir(dir.path(), &["convert", "--to", "toml", "p.md"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("fmx.toml:1:8: unknown YAML version `1.3`: expected 1.1 or 1.2"),
        "{}",
        out.stderr
    );
}

#[test]
fn ambiguous_value_catches_floats_octals_and_keys_yaml_11_reads_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("p.md"),
        "---\ntitle: T\na: 1e3\nb: 1.0e3\nc: 1.6e9\nd: -.5\ne: +.5\nf: 0o12\nyes: 1\non: 2\n---\n",
    );
    let out = in_dir(
        dir.path(),
        &["check", "--no-config", "--require", "title", "p.md"],
    );
    let found: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("warning[ambiguous-value]"))
        .map(|l| l.split(": warning").next().unwrap())
        .collect();
    assert_eq!(
        found,
        [
            "p.md:3:4",
            "p.md:4:4",
            "p.md:5:4",
            "p.md:6:4",
            "p.md:7:4",
            "p.md:8:4",
            "p.md:9:1",
            "p.md:10:1"
        ],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("key `yes` is the string \"yes\" to fmx (YAML 1.2), but YAML 1.1 readers (Jekyll, PyYAML) read it as the boolean true"),
        "{}",
        out.stdout
    );
}

#[test]
fn fix_writes_the_named_reading_and_without_one_leaves_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let post = "---\ntitle: T\ndate: 1602377984\npublished: no\nsize: 1e3\n---\nBody\n";
    let fixed = |args: &[&str]| {
        write(&dir.path().join("p.md"), post);
        let mut all = vec![
            "check",
            "--no-config",
            "--require",
            "title",
            "--fix",
            "p.md",
        ];
        all.extend_from_slice(args);
        let out = in_dir(dir.path(), &all);
        (
            out,
            std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        )
    };
    let (out, text) = fixed(&["--yaml", "1.1"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        text,
        "---\ntitle: T\ndate: 1602377984\npublished: false\nsize: \"1e3\"\n---\nBody\n"
    );
    let (out, text) = fixed(&["--yaml", "1.2"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        text,
        "---\ntitle: T\ndate: 1602377984\npublished: \"no\"\nsize: 1.0e+3\n---\nBody\n"
    );
    let (out, text) = fixed(&[]);
    assert_eq!(text, post, "no reading named: nothing is rewritten");
    assert_eq!(
        out.stdout.matches("warning[ambiguous-value]").count(),
        2,
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains("fixed"), "{}", out.stderr);
}

#[test]
fn a_psych_time_keeps_jekylls_reading_under_yaml_11_and_dates_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let post = "---\ntitle: T\ndate: 2013-06-27 11:00:01 +0000\n---\nBody\n";
    write(&dir.path().join("p.md"), post);
    let out = in_dir(
        dir.path(),
        &["convert", "--no-config", "--to", "toml", "p.md"],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("3:7: value `2013-06-27 11:00:01 +0000` is the string"),
        "{}",
        out.stdout
    );
    let out = in_dir(
        dir.path(),
        &[
            "convert",
            "--no-config",
            "--yaml",
            "1.1",
            "--to",
            "toml",
            "--write",
            "p.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "p.md: note: `date` psych-time: \"2013-06-27 11:00:01 +0000\" → 2013-06-27T11:00:01+00:00"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "+++\ntitle = \"T\"\ndate = 2013-06-27T11:00:01+00:00\n+++\nBody\n"
    );
    for (dates, want) in [
        ("epoch", "date = 1372330801\n"),
        ("rfc3339", "date = 2013-06-27T11:00:01+00:00\n"),
    ] {
        write(&dir.path().join("p.md"), post);
        let out = in_dir(
            dir.path(),
            &[
                "convert",
                "--no-config",
                "--dates",
                dates,
                "--to",
                "toml",
                "--write",
                "p.md",
            ],
        );
        assert_eq!(out.code, 0, "{dates}: {}{}", out.stdout, out.stderr);
        let text = std::fs::read_to_string(dir.path().join("p.md")).unwrap();
        assert!(text.contains(want), "{dates}: {text}");
    }
}
