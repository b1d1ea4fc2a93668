//! Adversarial inputs through the binary. Each ends in diagnostics and exit 0 or 1 (never a
//! crash, never exit 2 for a bad file), within a bounded time; the 100 MB file also within
//! bounded memory. Large inputs are generated in temp folders at test time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Output, fixtures, fmx};

/// Generous for a debug build on a busy two-core machine; the inputs take milliseconds.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs `cmd` with a time limit: killed past it, which fails the test as a hang.
fn bounded(cmd: &mut assert_cmd::Command) -> Output {
    let started = Instant::now();
    let out = cmd.timeout(TIME_LIMIT).output().expect("fmx runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some(code) = out.status.code() else {
        panic!(
            "fmx was killed after {:?} (a crash, or past the {TIME_LIMIT:?} limit): {stderr}",
            started.elapsed()
        );
    };
    assert!(!stderr.contains("panicked"), "{stderr}");
    Output {
        code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

/// `fmx check --no-config --output-format json FILE`: the exit code and the rules reported.
fn check_file(path: &Path) -> (i32, Vec<String>, Value) {
    let out = bounded(
        fmx()
            .args(["check", "--no-config", "--output-format", "json"])
            .arg(path),
    );
    assert!(
        matches!(out.code, 0 | 1),
        "exit {}: {}{}",
        out.code,
        out.stdout,
        out.stderr
    );
    let doc: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    let rules = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .filter(|r| r != "date-in-future")
        .collect();
    (out.code, rules, doc)
}

/// `fmx convert --no-config --output-format json --to TO FILE` (a dry run): exit code, the
/// file's status and its reason.
fn convert_file(path: &Path, to: &str) -> (i32, String, String) {
    let out = bounded(
        fmx()
            .args([
                "convert",
                "--no-config",
                "--output-format",
                "json",
                "--to",
                to,
            ])
            .arg(path),
    );
    assert!(
        matches!(out.code, 0 | 1),
        "exit {}: {}{}",
        out.code,
        out.stdout,
        out.stderr
    );
    let doc: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    let file = &doc["files"][0];
    (
        out.code,
        file["status"].as_str().unwrap_or_default().to_string(),
        file["reason"].as_str().unwrap_or_default().to_string(),
    )
}

/// A temp folder holding `name` with `bytes`.
fn input(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Checks `bytes` as `post.md`: exit code `code`, and exactly the rules `rules` (in
/// position order; `date-in-future` aside). Both conversions (dry runs) must end in exit 0
/// or 1 as well, with `status` for each.
fn expect(bytes: &[u8], code: i32, rules: &[&str], convert_status: &str) {
    let (_dir, path) = input("post.md", bytes);
    let (got_code, got_rules, doc) = check_file(&path);
    assert_eq!(got_rules, rules, "{doc:#}");
    assert_eq!(got_code, code, "{doc:#}");
    for to in ["toml", "json"] {
        // TODO(yaml emitter): add "yaml" here once `formats::yaml::write::emit` exists.
        let (_, status, reason) = convert_file(&path, to);
        assert_eq!(status, convert_status, "to {to}: {reason}");
    }
}

const HEAD: &str = "title: t\ndate: 1602377984\n";

fn yaml(extra: &str) -> Vec<u8> {
    format!("---\n{HEAD}{extra}---\nBody.\n").into_bytes()
}

// ---- alias bombs ------------------------------------------------------------------------

/// The billion laughs: nine levels of nine aliases each, 9^9 strings if expanded.
fn billion_laughs() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names: Vec<char> = "abcdefghi".chars().collect();
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        s.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    s
}

#[test]
fn an_alias_bomb_is_a_limit_not_a_hang() {
    expect(&yaml(&billion_laughs()), 1, &["limit-exceeded"], "error");
}

#[test]
fn an_alias_bomb_of_mappings_is_a_limit_too() {
    let mut s = String::from("a: &a {x: 1, y: 2, z: 3, w: 4}\n");
    let names: Vec<char> = "abcdefghijklmnop".chars().collect();
    for w in names.windows(2) {
        s.push_str(&format!(
            "{}: &{} {{p: *{a}, q: *{a}, r: *{a}, s: *{a}}}\n",
            w[1],
            w[1],
            a = w[0]
        ));
    }
    expect(&yaml(&s), 1, &["limit-exceeded"], "error");
}

// ---- 100k-deep nesting in each format -----------------------------------------------------

const DEEP: usize = 100_000;

#[test]
fn deep_yaml_flow_nesting_is_a_limit() {
    let nest = format!("x: {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    expect(&yaml(&nest), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_yaml_block_nesting_is_a_limit() {
    let nest = format!("x:\n  {}1\n", "- ".repeat(DEEP));
    expect(&yaml(&nest), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_yaml_mapping_nesting_is_a_limit() {
    let nest = format!("x: {}1{}\n", "{a: ".repeat(DEEP), "}".repeat(DEEP));
    expect(&yaml(&nest), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_toml_array_nesting_is_a_limit() {
    let text = format!(
        "+++\ntitle = 't'\ndate = 1602377984\nx = {}{}\n+++\nBody.\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    expect(text.as_bytes(), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_toml_inline_table_nesting_is_a_limit() {
    let text = format!(
        "+++\ntitle = 't'\ndate = 1602377984\nx = {}1{}\n+++\nBody.\n",
        "{a = ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    expect(text.as_bytes(), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_toml_dotted_keys_are_a_limit() {
    let key = vec!["a"; DEEP].join(".");
    let text = format!("+++\ntitle = 't'\ndate = 1602377984\n{key} = 1\n+++\nBody.\n");
    expect(text.as_bytes(), 1, &["limit-exceeded"], "error");
}

#[test]
fn deep_json_nesting_is_a_limit() {
    let text = format!(
        "{{\"title\": \"t\", \"date\": 1602377984, \"x\": {}{}}}\nBody.\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    expect(text.as_bytes(), 1, &["limit-exceeded"], "error");
    let objects = format!(
        "{{\"title\": \"t\", \"date\": 1602377984, \"x\": {}1{}}}\nBody.\n",
        "{\"a\": ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    expect(objects.as_bytes(), 1, &["limit-exceeded"], "error");
}

// ---- a 100 MB file ------------------------------------------------------------------------

const HUGE: usize = 100 << 20;

/// Peak resident memory of `fmx ARGS`, in KiB, measured by `/usr/bin/time -f %M`; `None`
/// (and a note) where that tool is missing.
fn peak_rss_kib(args: &[&std::ffi::OsStr]) -> Option<(Output, u64)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("note: /usr/bin/time is missing; peak memory not measured");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("rss");
    let out = bounded(
        assert_cmd::Command::new(time)
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&report)
            .arg(env!("CARGO_BIN_EXE_fmx"))
            .args(args),
    );
    let kib = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a number from /usr/bin/time");
    Some((out, kib))
}

#[test]
fn a_100_mb_post_is_checked_reading_only_its_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.md");
    let mut bytes = Vec::with_capacity(HUGE + 64);
    bytes.extend_from_slice(b"---\ntitle: Huge\ndate: 1602377984\n---\n");
    let line = b"All work and no play makes Jack a dull boy.\n";
    while bytes.len() < HUGE {
        bytes.extend_from_slice(line);
    }
    std::fs::write(&path, &bytes).unwrap();
    drop(bytes);

    let args = ["check".as_ref(), "--no-config".as_ref(), path.as_os_str()];
    let Some((out, kib)) = peak_rss_kib(&args) else {
        let out = bounded(fmx().args(args));
        assert_eq!(out.code, 0, "{}", out.stdout);
        return;
    };
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    eprintln!("check of a 100 MB post: peak RSS {kib} KiB");
    assert!(
        kib < 64 * 1024,
        "check of a 100 MB post peaked at {kib} KiB: it reads more than the front matter"
    );
}

#[test]
fn a_100_mb_file_of_front_matter_stops_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.md");
    let mut bytes = Vec::with_capacity(HUGE + 64);
    bytes.extend_from_slice(b"---\n");
    let mut i = 0u64;
    while bytes.len() < HUGE {
        bytes.extend_from_slice(format!("key{i}: value\n").as_bytes());
        i += 1;
    }
    std::fs::write(&path, &bytes).unwrap();
    drop(bytes);

    let args = [
        "check".as_ref(),
        "--no-config".as_ref(),
        "--output-format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ];
    if let Some((out, kib)) = peak_rss_kib(&args) {
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(out.stdout.contains("\"limit-exceeded\""), "{}", out.stdout);
        eprintln!("check of 100 MB of front matter: peak RSS {kib} KiB");
        assert!(kib < 64 * 1024, "peaked at {kib} KiB");
    }
    let (code, status, reason) = convert_file(&path, "toml");
    assert_eq!((code, status.as_str()), (1, "error"), "{reason}");
    assert!(reason.contains("limit"), "{reason}");
}

#[test]
fn a_100_mb_post_converts_with_its_body_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.md");
    let head = b"---\ntitle: Huge\ndate: 1602377984\n---\n";
    let mut bytes = Vec::with_capacity(HUGE + 64);
    bytes.extend_from_slice(head);
    let mut i = 0u64;
    while bytes.len() < HUGE {
        bytes.extend_from_slice(format!("line {i} of the body\n").as_bytes());
        i += 1;
    }
    std::fs::write(&path, &bytes).unwrap();
    let args = [
        "convert".as_ref(),
        "--no-config".as_ref(),
        "--to".as_ref(),
        "toml".as_ref(),
        "--write".as_ref(),
        path.as_os_str(),
    ];
    let out = match peak_rss_kib(&args) {
        Some((out, kib)) => {
            // Convert needs the body (it copies it): the file is held about three times
            // (as read, as written, and re-read to see that it did not change meanwhile).
            eprintln!("convert --write of a 100 MB post: peak RSS {kib} KiB");
            assert!(kib < 512 * 1024, "peaked at {kib} KiB");
            out
        }
        None => bounded(fmx().args(args)),
    };
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let after = std::fs::read(&path).unwrap();
    let new_head = b"+++\ntitle = \"Huge\"\ndate = 1602377984\n+++\n";
    assert_eq!(&after[..new_head.len()], new_head);
    assert!(
        after[new_head.len()..] == bytes[head.len()..],
        "the body changed"
    );
}

// ---- binary data, encodings, NUL, line endings ----------------------------------------------

#[test]
fn binary_data_with_a_post_extension_has_no_front_matter() {
    let bytes: Vec<u8> = (0..64 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    expect(&bytes, 1, &["no-front-matter"], "unchanged");
    // Binary data after a real opening delimiter: a block that is not UTF-8.
    let mut framed = b"---\n".to_vec();
    framed.extend_from_slice(&bytes);
    framed.extend_from_slice(b"\n---\n");
    let (_dir, path) = input("post.md", &framed);
    let (code, rules, _) = check_file(&path);
    assert_eq!(code, 1);
    assert_eq!(rules, ["invalid-encoding"]);
}

#[test]
fn non_utf8_in_the_block_is_invalid_encoding() {
    expect(
        b"---\ntitle: caf\xe9\ndate: 1602377984\n---\nBody.\n",
        1,
        &["invalid-encoding"],
        "error",
    );
}

#[test]
fn non_utf8_in_the_body_is_never_judged_and_survives_conversion() {
    let bytes = b"---\ntitle: t\ndate: 1602377984\n---\nbody \xff\xfe caf\xe9 \x80\n".to_vec();
    expect(&bytes, 0, &[], "converted");
    let (_dir, path) = input("post.md", &bytes);
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "json", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let after = std::fs::read(&path).unwrap();
    assert!(
        after.ends_with(b"\nbody \xff\xfe caf\xe9 \x80\n"),
        "{after:?}"
    );
}

#[test]
fn nul_bytes_in_the_block_are_a_syntax_error() {
    expect(
        b"---\ntitle: a\0b\ndate: 1602377984\n---\nBody.\n",
        1,
        &["syntax-error"],
        "error",
    );
    expect(
        b"+++\ntitle = \"a\0b\"\ndate = 1602377984\n+++\nBody.\n",
        1,
        &["syntax-error"],
        "error",
    );
    expect(
        b"{\"title\": \"a\0b\", \"date\": 1602377984}\nBody.\n",
        1,
        &["syntax-error"],
        "error",
    );
}

#[test]
fn nul_bytes_in_the_body_are_kept() {
    expect(
        b"---\ntitle: t\ndate: 1602377984\n---\n\0\0body\0\n",
        0,
        &[],
        "converted",
    );
}

/// A lone CR is not a line break in any of the three formats' front matter conventions:
/// the whole file is one line, which is not a delimiter.
#[test]
fn lone_cr_line_endings_are_not_front_matter() {
    expect(
        b"---\rtitle: t\rdate: 1602377984\r---\rBody.\r",
        1,
        &["no-front-matter"],
        "unchanged",
    );
    // CR inside an LF block: YAML reads it as a line break, so the block still parses.
    let (_dir, path) = input("post.md", b"---\ntitle: t\rdate: 1602377984\n---\nBody.\n");
    let (code, _, _) = check_file(&path);
    assert!(matches!(code, 0 | 1));
}

#[test]
fn a_closing_delimiter_at_end_of_file_without_newline_closes() {
    expect(b"---\ntitle: t\ndate: 1602377984\n---", 0, &[], "converted");
    for (bytes, to) in [
        (&b"+++\ntitle = \"t\"\ndate = 1602377984\n+++"[..], "json"),
        (b"{\"title\": \"t\", \"date\": 1602377984}", "toml"),
    ] {
        let (_dir, path) = input("post.md", bytes);
        let (code, rules, doc) = check_file(&path);
        assert_eq!((code, rules), (0, Vec::<String>::new()), "{doc}");
        let (_, status, reason) = convert_file(&path, to);
        assert_eq!(status, "converted", "{reason}");
    }
    // And the converted file keeps ending right at its closing delimiter.
    let (_dir, path) = input("post.md", b"---\ntitle: t\ndate: 1602377984\n---");
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "toml", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"+++\ntitle = \"t\"\ndate = 1602377984\n+++"
    );
}

#[test]
fn an_empty_file_has_no_front_matter() {
    expect(b"", 1, &["no-front-matter"], "unchanged");
}

#[test]
fn a_file_that_is_only_an_opening_delimiter_is_unclosed() {
    for bytes in [&b"---"[..], b"---\n", b"--- \r\n", b"+++", b"{"] {
        expect(bytes, 1, &["unclosed-front-matter"], "error");
    }
}

// ---- YAML features that do not map onto one value -----------------------------------------

#[test]
fn a_complex_key_is_a_syntax_error() {
    expect(&yaml("? [a, b]\n: c\n"), 1, &["syntax-error"], "error");
    expect(&yaml("[a, b]: c\n"), 1, &["syntax-error"], "error");
    expect(&yaml("{a: 1}: c\n"), 1, &["syntax-error"], "error");
}

/// A scalar key is a string key, as every site generator reads it: `1: x` is key "1".
#[test]
fn an_integer_key_reads_as_its_text() {
    expect(&yaml("1: x\n"), 0, &[], "converted");
    let (_dir, path) = input("post.md", &yaml("1: x\n"));
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "json", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"1\": \"x\""), "{text}");
}

#[test]
fn yaml_tags_are_refused_not_run() {
    for tag in [
        "pic: !!binary aGVsbG8=\n",
        "x: !foo bar\n",
        "x: !ruby/object:Gem::Installer\n  i: x\n",
        "x: !!python/object/apply:os.system [\"touch /tmp/fmx-pwned\"]\n",
        "x: !<tag:yaml.org,2002:js/function> 'function(){}'\n",
    ] {
        let (_dir, path) = input("post.md", &yaml(tag));
        let (code, rules, doc) = check_file(&path);
        assert_eq!(
            (code, rules),
            (1, vec!["syntax-error".to_string()]),
            "{doc}"
        );
        assert!(doc.to_string().contains("tag"), "{doc}");
        let (_, status, reason) = convert_file(&path, "toml");
        assert_eq!(status, "error", "{reason}");
    }
    assert!(!Path::new("/tmp/fmx-pwned").exists());
}

/// Standard tags that name the type a plain scalar already has are harmless.
#[test]
fn standard_scalar_tags_are_read() {
    let (_dir, path) = input("post.md", &yaml("n: !!str 012\n"));
    let (code, _, doc) = check_file(&path);
    assert!(matches!(code, 0 | 1), "{doc}");
}

#[test]
fn a_second_yaml_document_in_the_block_is_a_syntax_error() {
    // `--- text` is a document marker to YAML but no closing delimiter to the splitter.
    expect(&yaml("--- second\n"), 1, &["syntax-error"], "error");
    expect(&yaml("--- !!map\nb: 1\n"), 1, &["syntax-error"], "error");
    // A closing `---` or `...` ends the front matter: what follows is body, never parsed.
    expect(
        b"---\ntitle: t\ndate: 1602377984\n---\nsecond: doc\n---\n",
        0,
        &[],
        "converted",
    );
    expect(
        b"---\ntitle: t\ndate: 1602377984\n...\n---\nb: 1\n---\n",
        0,
        &[],
        "converted",
    );
}

#[test]
fn anchors_and_merge_keys_are_expanded() {
    let bytes = yaml("base: &b\n  x: 1\n  y: 2\nchild:\n  <<: *b\n  y: 3\nalias: *b\n");
    // The key `y` is the boolean true to go-yaml v2; the merge key is merged by every reader.
    expect(
        &bytes,
        0,
        &["ambiguous-value", "ambiguous-value"],
        "converted",
    );
    let (_dir, path) = input("post.md", &bytes);
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "json", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let text = std::fs::read_to_string(&path).unwrap();
    let json = &text[..text.rfind('}').unwrap() + 1];
    let doc: Value = serde_json::from_str(json).unwrap();
    assert_eq!(doc["child"], serde_json::json!({"x": 1, "y": 3}));
    assert_eq!(doc["alias"], serde_json::json!({"x": 1, "y": 2}));
}

#[test]
fn merge_keys_of_a_list_and_of_a_bad_value() {
    let list = yaml("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n");
    expect(&list, 0, &["ambiguous-value"], "converted");
    let (_dir, path) = input("post.md", &yaml("c:\n  <<: 5\n"));
    let (code, _, doc) = check_file(&path);
    assert!(matches!(code, 0 | 1), "{doc}");
}

#[test]
fn an_undefined_alias_is_a_syntax_error() {
    expect(&yaml("x: *nowhere\n"), 1, &["syntax-error"], "error");
}

// ---- limits are configurable ----------------------------------------------------------------

#[test]
fn limits_are_configurable_in_fmx_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fmx.toml"),
        "required = [\"title\"]\n[limits]\nmax-depth = 2\nmax-alias-nodes = 3\nmax-front-matter-bytes = 200\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("deep.md"),
        "---\ntitle: t\nx: [[[1]]]\n---\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("alias.md"),
        "---\ntitle: t\na: &a [1, 2]\nb: [*a, *a, *a]\n---\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("big.md"),
        format!("---\ntitle: t\nx: {}\n---\n", "y".repeat(300)),
    )
    .unwrap();
    // Depth counts the top-level table: `x: [1]` is two levels deep.
    std::fs::write(dir.path().join("fine.md"), "---\ntitle: t\nx: [1]\n---\n").unwrap();
    let out =
        bounded(
            fmx()
                .current_dir(dir.path())
                .args(["check", "--output-format", "json", "."]),
        );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut by_file: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_file.sort();
    let want: Vec<(String, String)> = ["alias.md", "big.md", "deep.md"]
        .iter()
        .map(|f| (f.to_string(), "limit-exceeded".to_string()))
        .collect();
    assert_eq!(by_file, want, "{}", out.stdout);
}

// ---- the regression fixtures the fuzzers found ----------------------------------------------

/// Every file under `fixtures/regressions/` is checked and converted without a crash.
#[test]
fn fuzz_regressions_are_handled() {
    let dir = fixtures().join("regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        check_file(&path);
        for to in ["toml", "json"] {
            convert_file(&path, to);
        }
        n += 1;
    }
    assert!(n > 0, "no regression fixtures in {}", dir.display());
}

/// Found by the `convert` fuzz target: in a CRLF file the line break after a JSON block's
/// closing `}` was taken as the start of the body, so JSON → TOML added a blank line.
#[test]
fn crlf_json_front_matter_converts_without_an_extra_line() {
    let (_dir, path) = input(
        "post.md",
        b"{\"title\": \"t\", \"date\": 1602377984}\r\nBody.\r\n",
    );
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "toml", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"+++\r\ntitle = \"t\"\r\ndate = 1602377984\r\n+++\r\nBody.\r\n"
    );
    let (_dir, path) = input(
        "post.md",
        &std::fs::read(fixtures().join("regressions/convert-crlf-json-close-line.md")).unwrap(),
    );
    let out = bounded(
        fmx()
            .args(["convert", "--no-config", "--to", "json", "--write"])
            .arg(&path),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{}\r\n\r\nNo `name` in front matter.\r\n"
    );
}

/// Every prefix of `bytes` split as a prefix either asks for more or gives the answer the
/// whole file gives: `check` reads only a prefix.
fn prefixes_agree(bytes: &[u8], limit: usize) {
    use fmx::document::{Split, split};
    let whole = split(bytes, true, limit);
    for cut in 0..bytes.len() {
        match (split(&bytes[..cut], false, limit), &whole) {
            (Split::NeedMore, _) => {}
            (Split::Found(mut a), Split::Found(b)) => {
                a.body.end = b.body.end;
                assert_eq!(&a, b, "prefix of {cut} bytes");
            }
            (a, b) => assert_eq!(&a, b, "prefix of {cut} bytes"),
        }
    }
}

/// Found by the `split` fuzz target (after the fix above): a prefix ending between the `\r`
/// and the `\n` after a JSON block's `}` must ask for more, not split there.
#[test]
fn a_prefix_ending_inside_a_crlf_after_json_asks_for_more() {
    let bytes = std::fs::read(fixtures().join("regressions/split-crlf-json-prefix.md")).unwrap();
    let limit = fmx::formats::Limits::default().max_block_bytes;
    assert!(matches!(
        fmx::document::split(&bytes, true, limit),
        fmx::document::Split::Found(_)
    ));
    prefixes_agree(&bytes, limit);
}

/// Found by the `split` fuzz target: `{` and then only whitespace up to the size limit is
/// a JSON block too large for it, whether the byte that follows the limit (here `,`, which
/// would make it no JSON at all) has been read or not.
#[test]
fn json_look_ahead_stops_at_the_size_limit() {
    let bytes = std::fs::read(fixtures().join("regressions/split-json-whitespace-beyond-limit.md"))
        .unwrap();
    for limit in [1, 10, 40, 100, 1 << 20] {
        prefixes_agree(&bytes, limit);
    }
}

/// Sixteen posts of 16 MiB in one folder, converted on one thread: a batch of writes holds
/// the old and new bytes of its files, and is written as soon as it holds 32 MiB, so the
/// run never holds the whole folder (512 MiB) at once.
#[test]
fn large_posts_are_written_before_a_batch_holds_them_all() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..16 {
        let path = dir.path().join(format!("big-{i:02}.md"));
        std::fs::write(&path, format!("---\ntitle: Big {i}\n---\n")).unwrap();
        // A sparse tail of NUL bytes: a body, as far as fmx is concerned.
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(16 << 20).unwrap();
    }
    let args = [
        "convert".as_ref(),
        "--no-config".as_ref(),
        "--no-fsync".as_ref(),
        "-j1".as_ref(),
        "--to".as_ref(),
        "toml".as_ref(),
        "--write".as_ref(),
        dir.path().as_os_str(),
    ];
    let Some((out, kib)) = peak_rss_kib(&args) else {
        return;
    };
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    eprintln!("16 posts of 16 MiB on one thread: peak RSS {kib} KiB");
    assert!(kib < 160 * 1024, "peaked at {kib} KiB");
    let head = std::fs::read(dir.path().join("big-15.md")).unwrap();
    assert!(head.starts_with(b"+++\ntitle = \"Big 15\"\n+++\n"));
    let grown = "+++\ntitle = \"Big 15\"\n+++\n".len() - "---\ntitle: Big 15\n---\n".len();
    assert_eq!(head.len(), (16 << 20) + grown, "the body was kept whole");
}
