//! No written block may hold a line that a later read takes for its closing delimiter: values
//! with `+++`, `---`, `...`, `{`, `}` lines (trailing blanks, CRLF) and control characters
//! go through every conversion direction and are read back from disk by the binary.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::support::{fmx, run, write};

/// `fmx convert --no-config --to TO --write FILE`, asserting it converted.
fn convert_write(path: &Path, to: &str) {
    let out = run(fmx()
        .args([
            "convert",
            "--no-config",
            "--no-progress",
            "--write",
            "--to",
            to,
        ])
        .arg(path));
    assert_eq!(
        out.code,
        0,
        "convert to {to}: {}{}\n--- file:\n{}",
        out.stdout,
        out.stderr,
        String::from_utf8_lossy(&std::fs::read(path).unwrap())
    );
}

/// The post's front matter and body as an independent JSON reader sees them, after fmx
/// converted a copy of it to JSON on disk (`fmx` reads the file as any later run would).
fn read_back(path: &Path) -> (Map<String, Value>, Vec<u8>) {
    let copy = path.with_extension("json.md");
    std::fs::copy(path, &copy).unwrap();
    convert_write(&copy, "json");
    let bytes = std::fs::read(&copy).unwrap();
    let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Map<String, Value>>();
    let table = stream.next().expect("a JSON object").expect("valid JSON");
    let mut end = stream.byte_offset();
    // The `}` line's line ending belongs to the block.
    if bytes[end..].starts_with(b"\r\n") {
        end += 2;
    } else if bytes[end..].starts_with(b"\n") {
        end += 1;
    }
    (table, bytes[end..].to_vec())
}

/// `fmx check` finds the block and parses it: no syntax, limit or unclosed-block diagnostic.
fn check_parses(path: &Path) {
    let out = run(fmx()
        .args(["check", "--no-config", "--output-format", "json"])
        .arg(path));
    let report: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let rule = d["rule"].as_str().unwrap_or_default();
        assert!(
            !["syntax-error", "unclosed-front-matter", "limit-exceeded"].contains(&rule),
            "{d}\n--- file:\n{}",
            String::from_utf8_lossy(&std::fs::read(path).unwrap())
        );
    }
}

#[test]
fn a_toml_string_with_a_delimiter_line_does_not_close_the_block() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    // The shape in the report (a double-quoted YAML string folds its lines), then the same
    // line kept as a line: top level, in a `[table]`, in an `[[array]]`, with trailing blanks.
    for source in [
        "---\ntitle: T\nnote: \"a\n+++\nb\"\n---\nBody\n",
        "---\ntitle: T\nnote: \"a\\n+++\\nb\"\nx:\n  y: \"c\\n+++ \\t\\nd\"\n\
         z:\n  - w: \"+++\\ne\"\n---\nBody\n",
    ] {
        write(&post, source);
        convert_write(&post, "toml");
        check_parses(&post);
        let (table, body) = read_back(&post);
        assert_eq!(body, b"Body\n");
        let note = table["note"].as_str().unwrap();
        assert!(note == "a\n+++\nb" || note == "a +++ b", "{note:?}");
        if let Some(x) = table.get("x") {
            assert_eq!(x["y"], "c\n+++ \t\nd");
            assert_eq!(table["z"][0]["w"], "+++\ne");
        }
    }
}

/// Lines a splitter might take for a delimiter, and text around them.
fn line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "---",
        "...",
        "+++",
        "{",
        "}",
        "--- ",
        "+++\t",
        "...  ",
        "}\t ",
        "+++x",
        "--- a",
        "",
        " +++",
        "a",
        "\u{1}",
        "\u{7f}",
        "\u{1b}[2J",
        "\u{0}",
        "\t",
        "é",
        "\"\"\"",
        "'''",
    ])
    .prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 1..5),
        prop::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
    )
        .prop_map(|(lines, eol, trailing)| {
            let mut s = lines.join(eol);
            if trailing {
                s.push_str(eol);
            }
            s
        })
}

/// A front matter with such strings at the top level, in a table, in an array of tables,
/// in a plain array and as a key: the places each emitter writes differently.
fn front_matter() -> impl Strategy<Value = Map<String, Value>> {
    (text(), text(), text(), text(), text()).prop_map(|(a, b, c, d, key)| {
        let mut m = Map::new();
        m.insert("title".into(), "T".into());
        m.insert("a".into(), a.into());
        m.insert("t".into(), serde_json::json!({ "b": b }));
        m.insert("list".into(), serde_json::json!([{ "c": c }]));
        m.insert("tags".into(), serde_json::json!([d]));
        m.insert(key, serde_json::json!({ "k": 1 }));
        m
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// JSON → YAML → TOML → JSON → TOML → YAML → JSON: every direction once. After each
    /// step the file on disk is checked and read back with the intended values and body.
    #[test]
    fn delimiter_lines_and_controls_survive_every_direction(
        table in front_matter(),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let post = dir.path().join("p.md");
        let eol = if crlf { "\r\n" } else { "\n" };
        let body = format!("+++{eol}---{eol}}}{eol}Body{eol}");
        let block = serde_json::to_string_pretty(&table).unwrap().replace('\n', eol);
        write(&post, &format!("{block}{eol}{body}"));
        for to in ["yaml", "toml", "json", "toml", "yaml", "json"] {
            convert_write(&post, to);
            check_parses(&post);
            let (back, back_body) = read_back(&post);
            prop_assert_eq!(&back, &table, "after converting to {}", to);
            prop_assert_eq!(String::from_utf8_lossy(&back_body), body.as_str());
        }
    }
}
