//! The property `fmx edit` promises: for random YAML and TOML posts (flat, and with a nested
//! table) and random operation sequences, the edited file reads back as an independent model
//! of the edits says, the body is unchanged, and every line of an entry no operation touched,
//! top-level or nested, is still there, in order.

use proptest::prelude::*;

use super::ops::Op;
use super::{EditOptions, EditVerdict, Step, edit_bytes};
use crate::convert::DatesMode;
use crate::document::Format;
use crate::formats::Limits;
use crate::keypath::KeyPath;
use crate::load::Post;
use crate::value::{Int, Table, Value};

/// A scalar as the model holds it.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(i64),
    Str(String),
    Null,
}

#[derive(Clone, Debug)]
struct Line {
    key: String,
    val: Val,
    comment_above: bool,
    trailing_comment: bool,
    blank_after: bool,
    quoted: bool,
}

#[derive(Clone, Debug)]
enum ModelOp {
    Set(String, i64),
    Unset(String),
    Rename(String, String),
    Replace(String, String, String),
    DropNull,
}

fn key() -> impl Strategy<Value = String> {
    (0..6u8).prop_map(|i| format!("k{i}"))
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        (-1000i64..1000).prop_map(Val::Int),
        prop_oneof![Just("a"), Just("b"), Just("x y"), Just("b ")].prop_map(|s| Val::Str(s.into())),
        Just(Val::Null),
    ]
}

fn lines() -> impl Strategy<Value = Vec<Line>> {
    prop::collection::vec(
        (
            key(),
            val(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        0..6,
    )
    .prop_map(|raw| {
        let mut seen = Vec::new();
        raw.into_iter()
            .filter(|(k, ..)| {
                let new = !seen.contains(k);
                seen.push(k.clone());
                new
            })
            .map(
                |(key, val, comment_above, trailing_comment, blank_after, quoted)| Line {
                    key,
                    val,
                    comment_above,
                    trailing_comment,
                    blank_after,
                    quoted,
                },
            )
            .collect()
    })
}

fn op() -> impl Strategy<Value = ModelOp> {
    prop_oneof![
        (key(), -5i64..5).prop_map(|(k, v)| ModelOp::Set(k, v)),
        key().prop_map(ModelOp::Unset),
        (key(), key()).prop_map(|(a, b)| ModelOp::Rename(a, b)),
        key().prop_map(|k| ModelOp::Replace(k, "a".into(), "z".into())),
        Just(ModelOp::DropNull),
    ]
}

/// One entry's text, and the lines of it that must survive when no operation touches it.
fn render(line: &Line, format: Format) -> (String, Vec<String>) {
    let value = match (&line.val, format) {
        (Val::Int(i), _) => i.to_string(),
        (Val::Str(s), Format::Yaml) if line.quoted => format!("'{s}'"),
        (Val::Str(s), Format::Yaml) => format!("\"{s}\""),
        (Val::Str(s), _) if line.quoted => format!("'{s}'"),
        (Val::Str(s), _) => format!("\"{s}\""),
        (Val::Null, _) => String::new(),
    };
    let sep = if format == Format::Yaml { ":" } else { " =" };
    let mut key_line = format!("{}{sep}", line.key);
    if !value.is_empty() {
        key_line.push(' ');
        key_line.push_str(&value);
    }
    if line.trailing_comment {
        key_line.push_str("   # t ");
    }
    let mut kept = vec![key_line.clone()];
    let mut text = String::new();
    if line.comment_above {
        let c = format!("# about {}", line.key);
        text.push_str(&c);
        text.push('\n');
        kept.insert(0, c);
    }
    text.push_str(&key_line);
    text.push('\n');
    if line.blank_after {
        text.push('\n');
    }
    (text, kept)
}

/// Applies the operations to the model; the keys any of them touched.
type Model = (Vec<(String, Val)>, Vec<String>);

fn model(lines: &[Line], ops: &[ModelOp]) -> Option<Model> {
    let mut m: Vec<(String, Val)> = lines
        .iter()
        .map(|l| (l.key.clone(), l.val.clone()))
        .collect();
    let mut touched = Vec::new();
    for op in ops {
        match op {
            ModelOp::Set(k, v) => {
                touched.push(k.clone());
                match m.iter_mut().find(|(x, _)| x == k) {
                    Some(e) => e.1 = Val::Int(*v),
                    None => m.push((k.clone(), Val::Int(*v))),
                }
            }
            ModelOp::Unset(k) => {
                touched.push(k.clone());
                m.retain(|(x, _)| x != k);
            }
            ModelOp::Rename(a, b) => {
                if a == b || !m.iter().any(|(x, _)| x == a) {
                    continue;
                }
                if m.iter().any(|(x, _)| x == b) {
                    return None;
                }
                touched.push(a.clone());
                touched.push(b.clone());
                m.iter_mut().find(|(x, _)| x == a)?.0 = b.clone();
            }
            ModelOp::Replace(k, old, new) => {
                if let Some(e) = m
                    .iter_mut()
                    .find(|(x, v)| x == k && *v == Val::Str(old.clone()))
                {
                    e.1 = Val::Str(new.clone());
                    touched.push(k.clone());
                }
            }
            ModelOp::DropNull => {
                touched.extend(
                    m.iter()
                        .filter(|(_, v)| *v == Val::Null)
                        .map(|(k, _)| k.clone()),
                );
                m.retain(|(_, v)| *v != Val::Null);
            }
        }
    }
    Some((m, touched))
}

fn real(op: &ModelOp) -> Op {
    let p = |k: &str| KeyPath::parse(k).unwrap();
    match op {
        ModelOp::Set(k, v) => Op::Set {
            path: p(k),
            value: Value::Int(Int { value: *v as i128 }),
        },
        ModelOp::Unset(k) => Op::Unset(p(k)),
        ModelOp::Rename(a, b) => Op::Rename {
            from: p(a),
            to: p(b),
        },
        ModelOp::Replace(k, o, n) => Op::Replace {
            path: p(k),
            old: o.clone(),
            new: n.clone(),
        },
        ModelOp::DropNull => Op::DropNull,
    }
}

fn same(value: &Value, val: &Val) -> bool {
    match (value, val) {
        (Value::Int(i), Val::Int(j)) => i.value == *j as i128,
        (Value::String(s), Val::Str(t)) => s == t,
        (Value::Null, Val::Null) => true,
        _ => false,
    }
}

fn run(file: &str, ops: Vec<Op>) -> super::Outcome {
    let steps: Vec<Step> = ops.into_iter().map(|op| Step { op, paths: None }).collect();
    let opts = EditOptions {
        steps: &steps,
        to: None,
        dates: DatesMode::Keep,
        tz: None,
        date_fields: Vec::new(),
        known: Vec::new(),
        limits: Limits::default(),
        yaml: None,
    };
    edit_bytes(file.as_bytes(), "p.md", &opts)
}

/// The file as written (or as it was, when unchanged), its body untouched.
fn written(file: &str, verdict: EditVerdict) -> Result<Vec<u8>, TestCaseError> {
    let new = match verdict {
        EditVerdict::Edited { bytes, .. } => bytes,
        EditVerdict::Unchanged => file.as_bytes().to_vec(),
        other => return Err(TestCaseError::fail(format!("{other:?} for\n{file}"))),
    };
    prop_assert!(new.ends_with(b"\nbody  \n\n"));
    Ok(new)
}

/// Every line of an entry no operation touched is still in `text`, in order.
fn kept_in_order(
    text: &str,
    file: &str,
    kept: &[(String, Vec<String>)],
    touched: &[String],
) -> Result<(), TestCaseError> {
    let mut at = 0;
    for (key, lines) in kept {
        if touched.contains(key) {
            continue;
        }
        for line in lines {
            let found = text[at..].find(&format!("{line}\n"));
            prop_assert!(found.is_some(), "`{line}` lost from\n{text}\n(was\n{file})");
            at += found.unwrap() + line.len();
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn edits_read_back_as_the_model_and_keep_untouched_lines(
        lines in lines(),
        ops in prop::collection::vec(op(), 1..5),
        toml in any::<bool>(),
    ) {
        let format = if toml { Format::Toml } else { Format::Yaml };
        // TOML has no null: those posts hold no null lines.
        let lines: Vec<Line> = lines
            .into_iter()
            .filter(|l| format == Format::Yaml || l.val != Val::Null)
            .collect();
        let (file, kept) = nested_post(&lines, &[], format);
        let outcome = run(&file, ops.iter().map(real).collect());
        let Some((want, touched)) = model(&lines, &ops) else {
            prop_assert!(matches!(outcome.verdict, EditVerdict::Refused(_)), "{:?}", outcome.verdict);
            return Ok(());
        };
        let new = written(&file, outcome.verdict)?;
        let post = Post::load(&new, &Limits::default()).unwrap();
        let got: Vec<(&String, &Value)> = post.table.iter().map(|(k, e)| (k, &e.node.value)).collect();
        // TOML moves nothing here (no tables), so the order is the model's in both formats.
        prop_assert_eq!(got.len(), want.len(), "{}", String::from_utf8_lossy(&new));
        for ((k, v), (wk, wv)) in got.iter().zip(&want) {
            prop_assert_eq!(*k, wk);
            prop_assert!(same(v, wv), "{k}: {v:?} vs {wv:?}");
        }
        kept_in_order(&String::from_utf8(new).unwrap(), &file, &kept, &touched)?;
    }
}

/// A post with top-level entries and one nested table `p`, as the model holds it.
#[derive(Clone, Debug, Default)]
struct Nested {
    top: Vec<(String, Val)>,
    /// `p`'s entries; `None` while there is no `p`.
    p: Option<Vec<(String, Val)>>,
}

impl Nested {
    fn table(&mut self, nested: bool, create: bool) -> Option<&mut Vec<(String, Val)>> {
        if !nested {
            return Some(&mut self.top);
        }
        if create && self.p.is_none() {
            self.p = Some(Vec::new());
        }
        self.p.as_mut()
    }

    fn take(&mut self, path: &(bool, String)) -> Option<Val> {
        let t = self.table(path.0, false)?;
        let i = t.iter().position(|(k, _)| *k == path.1)?;
        Some(t.remove(i).1)
    }

    fn has(&mut self, path: &(bool, String)) -> bool {
        self.table(path.0, false)
            .is_some_and(|t| t.iter().any(|(k, _)| *k == path.1))
    }
}

/// A key path of the nested model: `(in p, key)`.
fn npath() -> impl Strategy<Value = (bool, String)> {
    (any::<bool>(), key())
}

#[derive(Clone, Debug)]
enum NestedOp {
    Set((bool, String), i64),
    Unset((bool, String)),
    Rename((bool, String), (bool, String)),
    Replace((bool, String)),
    DropNull,
}

fn nested_op() -> impl Strategy<Value = NestedOp> {
    prop_oneof![
        (npath(), -5i64..5).prop_map(|(k, v)| NestedOp::Set(k, v)),
        npath().prop_map(NestedOp::Unset),
        (npath(), npath()).prop_map(|(a, b)| NestedOp::Rename(a, b)),
        npath().prop_map(NestedOp::Replace),
        Just(NestedOp::DropNull),
    ]
}

fn shown(path: &(bool, String)) -> String {
    if path.0 {
        format!("p.{}", path.1)
    } else {
        path.1.clone()
    }
}

/// Applies the operations as `fmx edit` promises to; the paths any of them touched; `None`
/// when the file must be refused.
fn nested_model(start: &Nested, ops: &[NestedOp]) -> Option<(Nested, Vec<String>)> {
    let mut m = start.clone();
    let mut touched = Vec::new();
    for op in ops {
        match op {
            NestedOp::Set(path, v) => {
                touched.push(shown(path));
                let t = m.table(path.0, true)?;
                match t.iter_mut().find(|(k, _)| *k == path.1) {
                    Some(e) => e.1 = Val::Int(*v),
                    None => t.push((path.1.clone(), Val::Int(*v))),
                }
            }
            NestedOp::Unset(path) => {
                touched.push(shown(path));
                m.take(path);
            }
            NestedOp::Rename(a, b) => {
                if a == b || !m.has(a) {
                    continue;
                }
                if m.has(b) {
                    return None;
                }
                touched.extend([shown(a), shown(b)]);
                if a.0 == b.0 {
                    let t = m.table(a.0, false)?;
                    t.iter_mut().find(|(k, _)| *k == a.1)?.0 = b.1.clone();
                } else {
                    let v = m.take(a)?;
                    m.table(b.0, true)?.push((b.1.clone(), v));
                }
            }
            NestedOp::Replace(path) => {
                let hit = m.table(path.0, false).and_then(|t| {
                    t.iter_mut()
                        .find(|(k, v)| *k == path.1 && *v == Val::Str("a".into()))
                });
                if let Some(e) = hit {
                    e.1 = Val::Str("z".into());
                    touched.push(shown(path));
                }
            }
            NestedOp::DropNull => {
                for (nested, t) in [(false, Some(&mut m.top)), (true, m.p.as_mut())] {
                    let Some(t) = t else { continue };
                    for (k, _) in t.iter().filter(|(_, v)| *v == Val::Null) {
                        touched.push(shown(&(nested, k.clone())));
                    }
                    t.retain(|(_, v)| *v != Val::Null);
                }
            }
        }
    }
    Some((m, touched))
}

fn nested_real(op: &NestedOp) -> Op {
    let p = |path: &(bool, String)| KeyPath::parse(&shown(path)).unwrap();
    match op {
        NestedOp::Set(k, v) => Op::Set {
            path: p(k),
            value: Value::Int(Int { value: *v as i128 }),
        },
        NestedOp::Unset(k) => Op::Unset(p(k)),
        NestedOp::Rename(a, b) => Op::Rename {
            from: p(a),
            to: p(b),
        },
        NestedOp::Replace(k) => Op::Replace {
            path: p(k),
            old: "a".into(),
            new: "z".into(),
        },
        NestedOp::DropNull => Op::DropNull,
    }
}

/// The post: top-level lines, then `p` (YAML: a block mapping indented two spaces; TOML:
/// a `[p]` table), and for each entry the lines that must survive when nothing touches it.
fn nested_post(top: &[Line], p: &[Line], format: Format) -> (String, Vec<(String, Vec<String>)>) {
    let delim = if format == Format::Toml { "+++" } else { "---" };
    let mut file = format!("{delim}\n");
    let mut kept = Vec::new();
    for l in top {
        let (text, k) = render(l, format);
        file.push_str(&text);
        kept.push((l.key.clone(), k));
    }
    if !p.is_empty() {
        file.push_str(if format == Format::Toml {
            "[p]\n"
        } else {
            "p:\n"
        });
        let indent = if format == Format::Yaml { "  " } else { "" };
        for l in p {
            let (text, k) = render(l, format);
            for line in text.split_inclusive('\n') {
                if line == "\n" {
                    file.push_str(line);
                } else {
                    file.push_str(&format!("{indent}{line}"));
                }
            }
            let k = k.iter().map(|line| format!("{indent}{line}")).collect();
            kept.push((format!("p.{}", l.key), k));
        }
    }
    file.push_str(&format!("{delim}\nbody  \n\n"));
    (file, kept)
}

fn same_entries(got: &Table, want: &[(String, Val)], skip: Option<&str>) -> Result<(), String> {
    let got: Vec<(&String, &Value)> = got
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != skip)
        .map(|(k, e)| (k, &e.node.value))
        .collect();
    let ok = got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|((k, v), (wk, wv))| *k == wk && same(v, wv));
    ok.then_some(())
        .ok_or_else(|| format!("{got:?} vs {want:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn nested_edits_read_back_as_the_model_and_keep_untouched_lines(
        top in lines(),
        p in lines(),
        ops in prop::collection::vec(nested_op(), 1..5),
        toml in any::<bool>(),
    ) {
        let format = if toml { Format::Toml } else { Format::Yaml };
        // TOML has no null; a YAML key with no value and nothing indented below it is null.
        let keep = |l: &Line| format == Format::Yaml || l.val != Val::Null;
        let top: Vec<Line> = top.into_iter().filter(keep).collect();
        let p: Vec<Line> = p.into_iter().filter(keep).collect();
        let (file, kept) = nested_post(&top, &p, format);
        let start = Nested {
            top: top.iter().map(|l| (l.key.clone(), l.val.clone())).collect(),
            p: (!p.is_empty()).then(|| p.iter().map(|l| (l.key.clone(), l.val.clone())).collect()),
        };
        let outcome = run(&file, ops.iter().map(nested_real).collect());
        let Some((want, touched)) = nested_model(&start, &ops) else {
            prop_assert!(matches!(outcome.verdict, EditVerdict::Refused(_)), "{:?}", outcome.verdict);
            return Ok(());
        };
        let new = written(&file, outcome.verdict)?;
        let text = String::from_utf8(new.clone()).unwrap();
        let post = Post::load(&new, &Limits::default()).unwrap();
        let r = same_entries(&post.table, &want.top, Some("p"));
        prop_assert!(r.is_ok(), "{r:?} in\n{text}\n(was\n{file})");
        let got_p = post.table.get("p").and_then(|e| e.node.value.as_table());
        match (&want.p, got_p) {
            (Some(w), Some(g)) => {
                let r = same_entries(g, w, None);
                prop_assert!(r.is_ok(), "{r:?} in\n{text}\n(was\n{file})");
            }
            (None, None) => {}
            (w, g) => return Err(TestCaseError::fail(format!("p: {g:?} vs {w:?}\n{text}"))),
        }
        kept_in_order(&text, &file, &kept, &touched)?;
        // The nested table is edited line by line, never written afresh.
        let whole = outcome.changes.iter().any(|c| c.key == "p" && c.kind == crate::convert::ChangeKind::Reformatted);
        prop_assert!(!whole || want.p.as_ref().is_some_and(Vec::is_empty), "{:?}\n{text}", outcome.changes);
    }
}
