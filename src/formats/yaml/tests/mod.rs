//! Tests of the YAML reader: the reference post, scalar resolution, keys, positions and
//! duplicates here; aliases, limits, comments, tags, merge keys and errors in [`structure`].

mod fast;
pub(super) mod readers;
mod structure;

use super::parse;
use crate::document::{Split, split};
use crate::formats::{DuplicateKey, Limits, ParseError, Parsed};
use crate::value::{DateTimeKind, Node, Pos, Style, Table, Value};

fn ok(text: &str) -> Parsed {
    match parse(text, 2, &Limits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{text:?}: {e:?}"),
    }
}

fn root(text: &str) -> Table {
    match ok(text).root.value {
        Value::Table(t) => t,
        other => panic!("not a table: {other:?}"),
    }
}

fn get<'a>(t: &'a Table, key: &str) -> &'a Node {
    &t.get(key).unwrap_or_else(|| panic!("no key {key}")).node
}

fn value(text: &str) -> Value {
    get(&root(&format!("v: {text}\n")), "v").value.clone()
}

fn err(text: &str) -> ParseError {
    err_with(text, &Limits::default())
}

fn err_with(text: &str, limits: &Limits) -> ParseError {
    match parse(text, 2, limits) {
        Ok(p) => panic!("{text:?} parsed: {:?}", p.root),
        Err(e) => e,
    }
}

fn syntax(text: &str) -> (Pos, String) {
    match err(text) {
        ParseError::Syntax { pos, message } => (pos, message),
        other => panic!("{text:?}: {other:?}"),
    }
}

fn string(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

#[test]
fn reference_post() {
    let bytes = include_bytes!("../../../../fixtures/detained-canadians.md");
    let Split::Found(layout) = split(bytes, true, 1 << 20) else {
        panic!("no front matter");
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).unwrap();
    let parsed = parse(text, layout.content_line, &Limits::default()).unwrap();
    assert!(parsed.duplicates.is_empty());
    let t = parsed.root.value.as_table().unwrap();
    let keys: Vec<&str> = t.entries.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "extends",
            "section",
            "image",
            "title",
            "description",
            "date"
        ]
    );
    assert_eq!(t.get("extends").unwrap().key_pos, Pos::new(2, 1));
    let title = get(t, "title");
    assert_eq!(
        string(&title.value),
        "Detained Canadians in China get rare consular access \n"
    );
    assert_eq!(title.style, Style::Folded);
    let date = get(t, "date");
    // File line 9: the block's eighth line, the block starting on line 2.
    assert_eq!(date.pos, Pos::new(9, 7));
    match &date.value {
        Value::Float(f) => {
            assert_eq!(f.text.as_deref(), Some("1602377984.4306138"));
            assert_eq!(f.value, 1602377984.4306138);
        }
        other => panic!("date: {other:?}"),
    }
    assert_eq!(string(&get(t, "extends").value), "_layouts.post");
}

#[test]
fn nulls_bools_and_strings() {
    for text in ["~", "null", "Null", "NULL", ""] {
        assert!(matches!(value(text), Value::Null), "{text}");
    }
    for (text, b) in [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("false", false),
    ] {
        assert!(matches!(value(text), Value::Bool(x) if x == b), "{text}");
    }
    for text in [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "tRUE",
        "nULL",
        "012",
        "1_000",
        "0b101",
        "10:00",
        "-0x1F",
        "0x",
        "1.2.3",
        "hello world",
        ".",
        "+",
        "2020-1-5",
        ".Inf.",
    ] {
        assert_eq!(string(&value(text)), text);
    }
    for text in ["'true'", "\"1\"", "'~'", "\"2020-10-10\""] {
        let v = value(text);
        assert_eq!(string(&v), &text[1..text.len() - 1]);
    }
    assert_eq!(string(&value("|\n  12\n")), "12\n");
}

#[test]
fn integers() {
    for (text, v) in [
        ("0", 0),
        ("-0", 0),
        ("+12", 12),
        ("-1234", -1234),
        ("0o17", 15),
        ("0x1F", 31),
        ("0xff", 255),
        ("170141183460469231731687303715884105727", i128::MAX),
    ] {
        match value(text) {
            Value::Int(i) => assert_eq!(i.value, v, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    let (pos, message) = syntax("a: 1\nbig: 170141183460469231731687303715884105728\n");
    assert_eq!(pos, Pos::new(3, 6));
    assert!(message.contains("too large"), "{message}");
    assert!(matches!(
        err("x: 0x1000000000000000000000000000000000"),
        ParseError::Syntax { .. }
    ));
}

#[test]
fn floats() {
    for (text, canon) in [
        ("1.5", "1.5"),
        ("-1.50", "-1.50"),
        (".5", "0.5"),
        ("1.", "1.0"),
        ("1e5", "1.0e+5"),
        ("+1.5E-3", "1.5e-3"),
        ("012.5", "12.5"),
        ("1602377984.4306138", "1602377984.4306138"),
    ] {
        match value(text) {
            Value::Float(f) => assert_eq!(f.text.as_deref(), Some(canon), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    for (text, v) in [
        (".inf", f64::INFINITY),
        ("-.Inf", f64::NEG_INFINITY),
        ("+.INF", f64::INFINITY),
    ] {
        assert!(matches!(value(text), Value::Float(f) if f.value == v && f.text.is_none()));
    }
    for text in [".nan", ".NaN", ".NAN"] {
        assert!(matches!(value(text), Value::Float(f) if f.value.is_nan()));
    }
    assert!(matches!(value("-.nan"), Value::String(_)));
}

#[test]
fn timestamps() {
    for (text, kind, norm) in [
        ("2002-12-14", DateTimeKind::Date, "2002-12-14"),
        (
            "2001-12-14 21:59:43.10 -5",
            DateTimeKind::Offset,
            "2001-12-14T21:59:43.10-05:00",
        ),
        (
            "2021-10-29 0:00:00",
            DateTimeKind::Local,
            "2021-10-29T00:00:00",
        ),
        (
            "2001-12-14t21:59:43Z",
            DateTimeKind::Offset,
            "2001-12-14T21:59:43Z",
        ),
    ] {
        match value(text) {
            Value::DateTime(d) => {
                assert_eq!(d.kind, kind, "{text}");
                assert_eq!(d.text, norm);
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    for text in ["2020-25-11", "2017-02-29 11:00:00", "'2020-10-10'"] {
        assert!(matches!(value(text), Value::String(_)), "{text}");
    }
}

#[test]
fn keys_are_source_text() {
    let t = root("1: a\ntrue: b\n~: c\n'q k': d\n\"2\": e\n? complex\n: f\n");
    let keys: Vec<&str> = t.entries.keys().map(String::as_str).collect();
    assert_eq!(keys, ["1", "true", "~", "q k", "2", "complex"]);
    let (pos, message) = syntax("a: 1\n? [a, b]\n: 1\n");
    assert_eq!(pos, Pos::new(3, 3));
    assert_eq!(message, "only scalar keys are supported");
    assert!(matches!(err("{[a]: 1}"), ParseError::Syntax { .. }));
    let (_, message) = syntax("x: &k [1]\n*k : 2\n");
    assert_eq!(message, "only scalar keys are supported");
}

#[test]
fn positions_of_nested_keys_and_items() {
    let t = root("top:\n  inner: 1\n  list:\n    - a\n    - {k: v}\nflow: [x, 'y']\nempty:\n");
    let top = get(&t, "top");
    assert_eq!(top.style, Style::Block);
    let inner = top.value.as_table().unwrap();
    assert_eq!(inner.get("inner").unwrap().key_pos, Pos::new(3, 3));
    assert_eq!(get(inner, "inner").pos, Pos::new(3, 10));
    let Value::Array(items) = &get(inner, "list").value else {
        panic!("list");
    };
    assert_eq!(items[0].pos, Pos::new(5, 7));
    assert_eq!(items[1].pos, Pos::new(6, 7));
    assert_eq!(items[1].style, Style::Flow);
    let k = items[1].value.as_table().unwrap();
    assert_eq!(k.get("k").unwrap().key_pos, Pos::new(6, 8));
    assert_eq!(get(k, "k").pos, Pos::new(6, 11));
    let flow = get(&t, "flow");
    assert_eq!(flow.pos, Pos::new(7, 7));
    let Value::Array(items) = &flow.value else {
        panic!("flow");
    };
    assert_eq!(
        (items[1].pos, items[1].style),
        (Pos::new(7, 11), Style::SingleQuoted)
    );
    let empty = get(&t, "empty");
    assert!(matches!(empty.value, Value::Null));
    assert_eq!(empty.pos.line, 8);
}

#[test]
fn columns_count_characters() {
    let t = root("é: ü\nb: [ä, ö]\n");
    assert_eq!(get(&t, "é").pos, Pos::new(2, 4));
    let Value::Array(items) = &get(&t, "b").value else {
        panic!()
    };
    assert_eq!(items[1].pos, Pos::new(3, 8));
}

#[test]
fn duplicates_later_wins() {
    let p = ok("a: 1\nb: 2\na: 3\nn:\n  x: 1\n  x: 2\n");
    let t = p.root.value.as_table().unwrap();
    let keys: Vec<&str> = t.entries.keys().map(String::as_str).collect();
    assert_eq!(keys, ["a", "b", "n"]);
    assert!(matches!(get(t, "a").value, Value::Int(i) if i.value == 3));
    assert_eq!(
        p.duplicates,
        [
            DuplicateKey {
                key: "a".into(),
                pos: Pos::new(4, 1),
                first: Pos::new(2, 1)
            },
            DuplicateKey {
                key: "x".into(),
                pos: Pos::new(7, 3),
                first: Pos::new(6, 3)
            },
        ]
    );
}

#[test]
fn empty_scalar_sequence_and_multi_document() {
    for text in ["", "\n\n", "# only a comment\n\n# another\n"] {
        let p = ok(text);
        assert_eq!(p.root.pos, Pos::new(2, 1));
        assert!(p.root.value.as_table().unwrap().is_empty());
    }
    let t = root("# one\n# two\n");
    assert_eq!(t.trailing_comments, [" one", " two"]);
    assert!(matches!(ok("just text\n").root.value, Value::String(_)));
    assert!(matches!(ok("- a\n- b\n").root.value, Value::Array(_)));
    let (pos, message) = syntax("a: 1\n...\n---\nb: 2\n");
    assert_eq!(message, "more than one YAML document");
    assert_eq!(pos.line, 4);
}
