//! Comments at any depth of a post's lists and tables: carried by `convert` where the target
//! can hold them, otherwise listed one by one as `comment-dropped` with the target's limit.

use std::path::Path;

use crate::support::{Output, fmx, run, write};

/// A list in a list and a mapping in a list, each with a comment inside.
const NESTED_YAML: &str = "---\ntitle: a\nm:\n  - - 1\n    # inner\n    - 2\n  - x: 1\n    # in map\n    y: 2\n---\nbody\n";

fn convert(dir: &Path, to: &str, extra: &[&str]) -> Output {
    let mut args = vec!["convert", "--no-config", "--no-progress", "--to", to];
    args.extend_from_slice(extra);
    args.push("p.md");
    run(fmx().current_dir(dir).args(&args))
}

/// (key, comment, reason) of each `comment-dropped` change of the JSON report.
fn dropped(out: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    report["files"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["kind"] == "comment-dropped")
        .map(|c| {
            let field = |name: &str| c[name].as_str().unwrap_or_default().to_string();
            (field("key"), field("from"), field("detail"))
        })
        .collect()
}

fn triple(key: &str, text: &str, reason: &str) -> (String, String, String) {
    (key.into(), text.into(), reason.into())
}

#[test]
fn a_comment_in_a_list_in_a_list_travels_to_toml_and_one_in_an_inline_table_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("p.md"), NESTED_YAML);
    let out = convert(dir.path(), "toml", &["--output-format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        dropped(&out),
        [triple(
            "m[1].y",
            "# in map",
            "a TOML inline table holds no comment: TOML 1.0 writes it on one line"
        )],
        "{}",
        out.stdout
    );
    assert_eq!(convert(dir.path(), "toml", &["--write"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "+++\ntitle = \"a\"\nm = [\n  [\n    1,\n    # inner\n    2,\n  ],\n  { x = 1, y = 2 },\n]\n+++\nbody\n"
    );
    // And back: YAML holds the comment where it stood.
    assert_eq!(convert(dir.path(), "yaml", &["--write"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "---\ntitle: a\nm:\n  - - 1\n    # inner\n    - 2\n  - x: 1\n    \"y\": 2\n---\nbody\n"
    );
}

#[test]
fn json_lists_each_comment_of_nested_lists_and_maps_at_its_path() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("p.md"), NESTED_YAML);
    let out = convert(dir.path(), "json", &["--output-format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        dropped(&out),
        [
            triple("m[0]", "# inner", "JSON has no comments"),
            triple("m[1].y", "# in map", "JSON has no comments"),
        ],
        "{}",
        out.stdout
    );
    // The human report says the same.
    let human = convert(dir.path(), "json", &[]);
    assert!(
        human
            .stdout
            .contains("p.md: note: `m[0]` comment-dropped: # inner (JSON has no comments)"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_toml_comment_in_a_nested_array_stays_at_its_item_in_yaml_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "+++\nm = [\n  [\n    1, # one\n    2,\n  ],\n  # between\n  [3],\n]\n+++\nbody\n";
    write(&dir.path().join("p.md"), toml);
    let out = convert(dir.path(), "yaml", &["--write"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "---\nm:\n  - - 1 # one\n    - 2\n  # between\n  - - 3\n---\nbody\n"
    );
    assert_eq!(convert(dir.path(), "toml", &["--write"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        toml
    );
}

#[test]
fn comments_between_toml_arrays_of_tables_travel_to_yaml_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "+++\n[[a]]\nx = 1\n\n# second\n[[a]] # on its header\nx = 2\n+++\nbody\n";
    write(&dir.path().join("p.md"), toml);
    let out = convert(dir.path(), "yaml", &["--write"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "---\na:\n  - x: 1\n  # second\n  # on its header\n  - x: 2\n---\nbody\n"
    );
    let out = convert(dir.path(), "toml", &["--output-format", "json"]);
    assert_eq!(dropped(&out), [], "{}", out.stdout);
}

#[test]
fn a_comment_after_the_bracket_of_a_yaml_flow_list_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("p.md"),
        "---\na: [ # first\n  1, 2]\n---\nbody\n",
    );
    assert_eq!(convert(dir.path(), "toml", &["--write"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "+++\na = [\n  # first\n  1,\n  2,\n]\n+++\nbody\n"
    );
}
