use std::time::{Duration, Instant};

use super::*;
use crate::value::{Float, Int};

fn parse_at(text: &str, first_line: u32) -> Parsed {
    match parse(text, first_line, &Limits::default()) {
        Ok(parsed) => parsed,
        Err(err) => panic!("{err:?} in {text:?}"),
    }
}

fn root(text: &str) -> Table {
    match parse_at(text, 1).root.value {
        Value::Table(t) => t,
        other => panic!("root is {other:?}"),
    }
}

fn err(text: &str) -> ParseError {
    match parse(text, 3, &Limits::default()) {
        Ok(parsed) => panic!("expected an error, got {:?}", parsed.root),
        Err(err) => err,
    }
}

fn float(node: &Node) -> &Float {
    match &node.value {
        Value::Float(f) => f,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_value_kind_with_styles() {
    let t = root(
        r#"{"s": "x", "i": -42, "f": 1.5, "t": true, "no": false, "n": null,
            "a": [1, "two", []], "o": {"k": {}}}"#,
    );
    let kinds: Vec<_> = t
        .iter()
        .map(|(k, e)| (k.as_str(), e.node.value.kind_name(), e.node.style))
        .collect();
    assert_eq!(
        kinds,
        [
            ("s", "string", Style::DoubleQuoted),
            ("i", "integer", Style::Plain),
            ("f", "float", Style::Plain),
            ("t", "boolean", Style::Plain),
            ("no", "boolean", Style::Plain),
            ("n", "null", Style::Plain),
            ("a", "array", Style::Flow),
            ("o", "table", Style::Flow),
        ]
    );
    assert!(matches!(
        t.get("i").unwrap().node.value,
        Value::Int(Int { value: -42 })
    ));
    assert!(matches!(
        t.get("no").unwrap().node.value,
        Value::Bool(false)
    ));
}

#[test]
fn root_need_not_be_an_object_and_whitespace_is_tolerated() {
    let parsed = parse_at(" \r\n [1, 2] \r\n\t", 1);
    assert!(matches!(&parsed.root.value, Value::Array(items) if items.len() == 2));
    assert_eq!(parsed.root.pos, Pos::new(2, 2));
    assert!(matches!(parse_at("\"x\"", 1).root.value, Value::String(_)));
    assert!(matches!(
        parse_at("7", 1).root.value,
        Value::Int(Int { value: 7 })
    ));
}

#[test]
fn numbers_keep_their_digits() {
    let t = root(
        r#"{"date": 1602377984.4306138, "e": 1E5, "neg": -0.5e-3, "long": 0.1000000000000000000001,
            "big": 170141183460469231731687303715884105727, "small": -12345678901234567890}"#,
    );
    let date = float(&t.get("date").unwrap().node);
    assert_eq!(date.text.as_deref(), Some("1602377984.4306138"));
    assert_eq!(date.value, 1602377984.4306138);
    assert_eq!(
        float(&t.get("e").unwrap().node).text.as_deref(),
        Some("1.0e+5")
    );
    assert_eq!(
        float(&t.get("neg").unwrap().node).text.as_deref(),
        Some("-0.5e-3")
    );
    assert_eq!(
        float(&t.get("long").unwrap().node).text.as_deref(),
        Some("0.1000000000000000000001")
    );
    assert!(matches!(
        t.get("big").unwrap().node.value,
        Value::Int(Int { value: i128::MAX })
    ));
    assert!(matches!(
        t.get("small").unwrap().node.value,
        Value::Int(Int {
            value: -12345678901234567890
        })
    ));
    let e = err("{\"a\": 170141183460469231731687303715884105728}");
    assert_eq!(e.pos(), Pos::new(3, 7));
    assert_eq!(
        e.to_string(),
        "integer `170141183460469231731687303715884105728` is too large"
    );
    assert!(matches!(err("[1e400]"), ParseError::Syntax { .. }));
}

#[test]
fn strings_with_every_escape() {
    let t =
        root(r#"{"s": "q\" b\\ s\/ \b\f\n\r\t é \u00e9 \u20AC \ud83d\ude00 end", "plain": "ü"}"#);
    assert_eq!(
        t.get("s").unwrap().node.value.as_str(),
        Some("q\" b\\ s/ \u{8}\u{c}\n\r\t é é € 😀 end")
    );
    assert_eq!(t.get("plain").unwrap().node.value.as_str(), Some("ü"));
    assert!(root(r#"{"\u0041": 1}"#).get("A").is_some());
}

#[test]
fn positions_of_nested_keys_and_items_in_characters() {
    let text = "{\n  \"tïtle\" : \"Ünïcödé\",\n\t\"menu\": {\"docs\": {\"parent\": \"é\"}},\n  \"tags\": [\"ä\", \"ö\", {\"k\": 1}]\n}";
    let parsed = parse_at(text, 5);
    assert_eq!(parsed.root.pos, Pos::new(5, 1));
    let Value::Table(t) = &parsed.root.value else {
        panic!()
    };
    let title = t.get("tïtle").unwrap();
    assert_eq!(
        (title.key_pos, title.node.pos),
        (Pos::new(6, 3), Pos::new(6, 13))
    );
    let menu = t.get("menu").unwrap();
    assert_eq!(
        (menu.key_pos, menu.node.pos),
        (Pos::new(7, 2), Pos::new(7, 10))
    );
    let docs = menu.node.value.as_table().unwrap().get("docs").unwrap();
    assert_eq!(
        (docs.key_pos, docs.node.pos),
        (Pos::new(7, 11), Pos::new(7, 19))
    );
    let parent = docs.node.value.as_table().unwrap().get("parent").unwrap();
    assert_eq!(
        (parent.key_pos, parent.node.pos),
        (Pos::new(7, 20), Pos::new(7, 30))
    );
    let Value::Array(items) = &t.get("tags").unwrap().node.value else {
        panic!()
    };
    assert_eq!(items[0].pos, Pos::new(8, 12));
    assert_eq!(items[1].pos, Pos::new(8, 17));
    assert_eq!(items[2].pos, Pos::new(8, 22));
    let k = items[2].value.as_table().unwrap().get("k").unwrap();
    assert_eq!((k.key_pos, k.node.pos), (Pos::new(8, 23), Pos::new(8, 28)));
}

#[test]
fn duplicates_are_collected_and_the_later_value_wins_in_place() {
    let text = "{\n\"a\": 1,\n\"b\": 2,\n\"a\": 3,\n\"m\": {\"docs\": {\"parent\": \"x\", \"parent\": \"y\"}},\n\"a\": 4\n}";
    let parsed = parse_at(text, 1);
    let t = parsed.root.value.as_table().unwrap();
    let keys: Vec<_> = t.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["a", "b", "m"]);
    let a = t.get("a").unwrap();
    assert!(matches!(a.node.value, Value::Int(Int { value: 4 })));
    assert_eq!(a.key_pos, Pos::new(6, 1));
    let dups: Vec<_> = parsed
        .duplicates
        .iter()
        .map(|d| (d.key.as_str(), d.pos, d.first))
        .collect();
    assert_eq!(
        dups,
        [
            ("a", Pos::new(4, 1), Pos::new(2, 1)),
            ("parent", Pos::new(5, 31), Pos::new(5, 16)),
            ("a", Pos::new(6, 1), Pos::new(2, 1)),
        ]
    );
    let m = t.get("m").unwrap().node.value.as_table().unwrap();
    let docs = m.get("docs").unwrap().node.value.as_table().unwrap();
    assert_eq!(docs.get("parent").unwrap().node.value.as_str(), Some("y"));
    // The same key in sibling objects is no duplicate.
    assert!(parse_at(r#"[{"a": 1}, {"a": 2}]"#, 1).duplicates.is_empty());
}

#[test]
fn syntax_errors_point_where_a_person_would() {
    // Block starts on file line 3.
    let cases: &[(&str, Pos, &str)] = &[
        // A missing comma: at the end of the value that wants one, on its own line...
        (
            "{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}",
            Pos::new(5, 9),
            "expected ',' or '}'",
        ),
        ("[\n1\n2]", Pos::new(4, 2), "expected ',' or ']'"),
        // ...or at the next token on the same line, as serde_json does.
        ("{\"a\": 1 \"b\": 2}", Pos::new(3, 9), "expected ',' or '}'"),
        ("{\"a\": 1,\n}", Pos::new(3, 8), "trailing comma"),
        ("[1, 2, ]", Pos::new(3, 6), "trailing comma"),
        ("{\"a\" 1}", Pos::new(3, 6), "expected ':'"),
        ("{a: 1}", Pos::new(3, 2), "key must be a string"),
        ("{\"a\": }", Pos::new(3, 7), "expected value"),
        ("{\"a\": 'x'}", Pos::new(3, 7), "expected value"),
        ("{\"a\": tru}", Pos::new(3, 7), "expected `true`"),
        (
            "{\"a\": \"x\ny\"}",
            Pos::new(3, 9),
            "control character in string",
        ),
        (
            "{\"a\": \"tab\there\"}",
            Pos::new(3, 11),
            "control character in string",
        ),
        ("{\"a\": \"x", Pos::new(3, 7), "unterminated string"),
        ("{\"a\": \"\\x\"}", Pos::new(3, 8), "invalid escape"),
        ("{\"a\": \"\\u12g4\"}", Pos::new(3, 8), "invalid \\u escape"),
        (
            "{\"a\": \"\\ud800\"}",
            Pos::new(3, 8),
            "lone surrogate in \\u escape",
        ),
        (
            "{\"a\": \"\\ud800\\u0041\"}",
            Pos::new(3, 8),
            "lone surrogate in \\u escape",
        ),
        (
            "{\"a\": \"\\udc00\"}",
            Pos::new(3, 8),
            "lone surrogate in \\u escape",
        ),
        (
            "{\"a\": 01}",
            Pos::new(3, 7),
            "invalid number: leading zero",
        ),
        (
            "{\"a\": 1.}",
            Pos::new(3, 9),
            "invalid number: expected a digit after `.`",
        ),
        ("{\"a\": -}", Pos::new(3, 8), "invalid number"),
        (
            "{\"a\": 1e}",
            Pos::new(3, 9),
            "invalid number: expected a digit in the exponent",
        ),
        ("{\"a\": 1} x", Pos::new(3, 10), "trailing characters"),
        ("{\"a\": 1", Pos::new(3, 8), "expected ',' or '}'"),
        (
            "{",
            Pos::new(3, 2),
            "unexpected end of input, expected a key",
        ),
        (
            "",
            Pos::new(3, 1),
            "unexpected end of input, expected value",
        ),
        (
            "{\"é\": 1,, \"b\": 2}",
            Pos::new(3, 9),
            "key must be a string",
        ),
    ];
    for &(text, pos, message) in cases {
        let e = err(text);
        assert!(matches!(e, ParseError::Syntax { .. }), "{text:?}: {e:?}");
        assert_eq!(
            (e.pos(), e.to_string().as_str()),
            (pos, message),
            "{text:?}"
        );
    }
}

fn assert_limit_fast(text: &str, pos: Pos) {
    let start = Instant::now();
    let e = parse(text, 1, &Limits::default()).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        e,
        ParseError::Limit {
            pos,
            message: "nesting deeper than 64 levels".into()
        }
    );
}

#[test]
fn nesting_limit_at_100k_levels() {
    let n = 100_000;
    assert_limit_fast(
        &format!("{}{}", "[".repeat(n), "]".repeat(n)),
        Pos::new(1, 65),
    );
    assert_limit_fast(&"{\"a\":".repeat(n), Pos::new(1, 321));
    assert_limit_fast(&"[{\"a\":".repeat(n), Pos::new(1, 193));
    // Within the limit, deep nesting parses, and the root counts as level 1.
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(parse(&ok, 1, &Limits::default()).is_ok());
    // Without any limit, 100k levels still parse without recursion (and drop without
    // overflowing the stack is the caller's concern only for such configurations).
    let limits = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let start = Instant::now();
    let parsed = parse(&deep, 1, &limits).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
    // Take the deep tree apart iteratively: the default drop would recurse.
    let mut stack = vec![parsed.root];
    while let Some(node) = stack.pop() {
        if let Value::Array(items) = node.value {
            stack.extend(items);
        }
    }
}

#[test]
fn large_single_line_documents_are_linear() {
    let mut text = String::from("{");
    for i in 0..100_000 {
        text.push_str(&format!("\"ключ{i}\": [\"é\", {i}.5],"));
    }
    text.push_str("\"end\": 1}");
    let start = Instant::now();
    let t = parse(
        &text,
        1,
        &Limits {
            max_block_bytes: 1 << 24,
            ..Limits::default()
        },
    )
    .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let t = t.root.value.as_table().unwrap().clone();
    assert_eq!(t.len(), 100_001);
    let last = t.get("end").unwrap();
    assert_eq!(
        last.key_pos,
        crate::document::LineIndex::new(&text, 1).pos(text.len() - 9)
    );
}

#[test]
fn blocks_beyond_the_size_limit_are_refused() {
    let limits = Limits {
        max_block_bytes: 8,
        ..Limits::default()
    };
    assert!(matches!(
        parse("{\"a\": 12345}", 1, &limits),
        Err(ParseError::Limit { .. })
    ));
}
