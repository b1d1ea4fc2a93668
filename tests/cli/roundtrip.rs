//! Every post of the real corpus converted to each other format and back: the same value
//! after the round trip, or a refusal with a reason; the body bytes identical every time.

use std::collections::BTreeMap;
use std::path::Path;

use fmx::convert::{ConvertOptions, DatesMode, Status, convert_bytes};
use fmx::document::{self, Format, Split};
use fmx::formats::Limits;
use fmx::value::{Node, Table, Value};

use crate::support::corpus;

fn options(to: Format) -> ConvertOptions {
    ConvertOptions {
        to,
        dates: DatesMode::Keep,
        date_fields: vec![],
        limits: Limits::default(),
        yaml: None,
    }
}

fn table_of(bytes: &[u8]) -> Option<(Format, Table, Vec<u8>)> {
    let Split::Found(layout) = document::split(bytes, true, 1 << 20) else {
        return None;
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).ok()?;
    let parsed = fmx::check::parse_block(&layout, text, &Limits::default()).ok()?;
    match parsed.root.value {
        Value::Table(t) => Some((layout.format, t, bytes[layout.body.clone()].to_vec())),
        _ => None,
    }
}

/// Data equality, except that a date-time that went through JSON comes back as its
/// RFC 3339 string (the one change the SPEC makes, and reports).
fn same(a: &Node, b: &Node, via_json: bool) -> bool {
    match (&a.value, &b.value) {
        (Value::Table(x), Value::Table(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, e)| y.get(k).is_some_and(|f| same(&e.node, &f.node, via_json)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(m, n)| same(m, n, via_json))
        }
        (Value::DateTime(d), Value::String(s)) if via_json => &d.text == s,
        (x, y) => x.same_value(y),
    }
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path
            .extension()
            .is_some_and(|e| ["md", "markdown", "mdx", "html"].contains(&e.to_str().unwrap_or("")))
        {
            files.push(path);
        }
    }
}

#[test]
fn every_corpus_post_round_trips_or_is_refused() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let mut table: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Some((from, original, body)) = table_of(&bytes) else {
            continue;
        };
        for to in [Format::Yaml, Format::Toml, Format::Json] {
            if to == from {
                continue;
            }
            let direction = format!("{} → {} → {}", from.name(), to.name(), from.name());
            let there = convert_bytes(&bytes, &options(to));
            let cell = match there.status() {
                Status::Converted => {
                    let new = there.new_bytes().unwrap().to_vec();
                    assert!(
                        new.ends_with(&body),
                        "{}: body changed going to {to}",
                        path.display()
                    );
                    let back = convert_bytes(&new, &options(from));
                    match back.status() {
                        Status::Converted => {
                            let round = back.new_bytes().unwrap().to_vec();
                            assert!(
                                round.ends_with(&body),
                                "{}: body changed coming back",
                                path.display()
                            );
                            let (_, again, _) = table_of(&round).unwrap();
                            let a = Node::new(Value::Table(original.clone()), Default::default());
                            let b = Node::new(Value::Table(again), Default::default());
                            if !same(&a, &b, to == Format::Json) {
                                failures.push(format!(
                                    "{}: {direction} changed a value",
                                    path.display()
                                ));
                            }
                            "converted".to_string()
                        }
                        Status::Refused => {
                            format!("refused back: {}", reason_kind(back.reason().as_deref()))
                        }
                        s => {
                            failures.push(format!(
                                "{}: {direction}: {s:?} coming back: {:?}",
                                path.display(),
                                back.reason()
                            ));
                            "error back".into()
                        }
                    }
                }
                Status::Refused => format!("refused: {}", reason_kind(there.reason().as_deref())),
                Status::Unchanged => "unchanged".into(),
                Status::Error => {
                    failures.push(format!(
                        "{}: {direction}: error {:?}",
                        path.display(),
                        there.reason()
                    ));
                    "error".into()
                }
            };
            *table.entry(direction).or_default().entry(cell).or_default() += 1;
        }
    }
    eprintln!("round trips over the corpus: {table:#?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        table
            .values()
            .map(|c| c.get("converted").copied().unwrap_or(0))
            .sum::<usize>()
            > 2000
    );
}

/// The reason with the key names taken out, to count refusals by kind.
fn reason_kind(reason: Option<&str>) -> String {
    let r = reason.unwrap_or("");
    match r.split_once("`: ") {
        Some((_, kind)) => kind.to_string(),
        None => r.to_string(),
    }
}
