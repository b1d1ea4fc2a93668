//! Tests of aliases and limits, comments, tags, merge keys, syntax errors and odd input.

use std::time::{Duration, Instant};

use super::{err, err_with, get, root, string, syntax, value};
use crate::formats::yaml::parse;
use crate::formats::{Limits, ParseError};
use crate::value::{Pos, Value};

#[test]
fn aliases_and_limits() {
    let t = root("a: &x {k: [1, 2]}\nb: *x\n");
    let b = get(&t, "b");
    assert_eq!(b.pos, Pos::new(3, 4));
    assert!(b.same_value(get(&t, "a")));
    assert!(matches!(err("a: *nope\n"), ParseError::Syntax { .. }));

    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, name) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let start = Instant::now();
    match err(&bomb) {
        ParseError::Limit { message, pos } => {
            assert_eq!(message, "alias expansion exceeds 10000 nodes");
            assert!(pos.line > 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(2));

    let limits = Limits {
        max_alias_nodes: 3,
        ..Limits::default()
    };
    assert!(parse("a: &a [1, 2]\nb: *a\n", 1, &limits).is_ok());
    assert!(matches!(
        err_with("a: &a [1, 2]\nb: *a\nc: *a\n", &limits),
        ParseError::Limit {
            pos: Pos { line: 4, col: 4 },
            ..
        }
    ));
}

#[test]
fn deep_nesting_is_refused_fast() {
    let n = 100_000;
    let cases = [
        format!("a: {}", "[".repeat(n)),
        format!("a: {}", "{a: ".repeat(n)),
        format!("{}x\n", "- ".repeat(n)),
        (0..1200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect(),
    ];
    for text in &cases {
        let start = Instant::now();
        match err(text) {
            ParseError::Limit { message, .. } => {
                assert_eq!(message, "nesting deeper than 64 levels");
            }
            ParseError::Syntax { .. } => {}
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(2));
    }
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(parse("a: {b: [1]}\n", 1, &limits).is_ok());
    assert!(matches!(
        err_with("a: {b: [[1]]}\n", &limits),
        ParseError::Limit { .. }
    ));
    assert!(matches!(
        err_with("a:\n  b:\n    c:\n      d: 1\n", &limits),
        ParseError::Limit { .. }
    ));
}

#[test]
fn comments_attach_to_keys() {
    let text = "\
# about a
#  second line
a: 1 # right of a

# free standing
b: # right of b
  # about x
  x: 1
  y: [1,
    2] # after y
  # end of b
# about c
c: >  # header
  text
d: [1, 2] # right of d
# the end
";
    let t = root(text);
    let a = t.get("a").unwrap();
    assert_eq!(a.comments.before, [" about a", "  second line"]);
    assert_eq!(a.comments.trailing.as_deref(), Some(" right of a"));
    let b = t.get("b").unwrap();
    assert_eq!(b.comments.before, [" free standing"]);
    assert_eq!(b.comments.trailing.as_deref(), Some(" right of b"));
    let inner = b.node.value.as_table().unwrap();
    assert_eq!(inner.get("x").unwrap().comments.before, [" about x"]);
    assert_eq!(
        inner.get("y").unwrap().comments.trailing.as_deref(),
        Some(" after y")
    );
    assert_eq!(inner.trailing_comments, [" end of b"]);
    let c = t.get("c").unwrap();
    assert_eq!(c.comments.before, [" about c"]);
    assert_eq!(c.comments.trailing.as_deref(), Some(" header"));
    assert_eq!(
        t.get("d").unwrap().comments.trailing.as_deref(),
        Some(" right of d")
    );
    assert_eq!(t.trailing_comments, [" the end"]);
}

#[test]
fn comments_in_sequences_do_not_move_to_keys() {
    let t = root("tags:\n  # first\n  - a # right\n  # between\n  - b\n  # after b\ntitle: x\n");
    let title = t.get("title").unwrap();
    assert!(title.comments.before.is_empty(), "{:?}", title.comments);
    let t = root("tags:\n- a\n# about title\ntitle: x\n");
    assert_eq!(t.get("title").unwrap().comments.before, [" about title"]);
}

#[test]
fn tags() {
    assert_eq!(string(&value("!!str 12")), "12");
    assert_eq!(string(&value("! 12")), "12");
    assert_eq!(string(&value("!!str")), "");
    assert!(matches!(value("!!int '12'"), Value::Int(i) if i.value == 12));
    assert!(matches!(value("!!float 1"), Value::Float(f) if f.text.as_deref() == Some("1.0")));
    assert!(matches!(value("!!bool \"true\""), Value::Bool(true)));
    assert!(matches!(value("!!null ''"), Value::Null));
    assert!(matches!(
        value("!!timestamp '2020-10-10'"),
        Value::DateTime(_)
    ));
    assert!(matches!(value("!!map {a: 1}"), Value::Table(_)));
    assert!(matches!(value("!!seq [1]"), Value::Array(_)));
    assert!(matches!(
        value("!<tag:yaml.org,2002:str> 1"),
        Value::String(_)
    ));

    let (pos, message) = syntax("a: 1\nb: !!int abc\n");
    assert_eq!(pos, Pos::new(3, 4));
    assert!(message.contains("!!int"), "{message}");
    for (text, tag) in [
        ("x: !foo bar\n", "!foo"),
        ("x: !!binary aGVsbG8=\n", "!!binary"),
        ("x: !!set {a}\n", "!!set"),
        (
            "x: !!python/object:os.system [ls]\n",
            "!!python/object:os.system",
        ),
        ("x: !ruby/object:Foo\n  a: 1\n", "!ruby/object:Foo"),
    ] {
        let (pos, message) = syntax(text);
        assert_eq!(message, format!("unsupported YAML tag `{tag}`"));
        assert_eq!(pos, Pos::new(2, 4));
    }
    assert!(matches!(err("x: !!map [1]\n"), ParseError::Syntax { .. }));
    assert!(matches!(err("x: !!str [1]\n"), ParseError::Syntax { .. }));
}

#[test]
fn merge_keys() {
    let text = "\
base: &base
  a: 1
  b: 2
other: &other
  b: 20
  c: 30
one:
  <<: *base
  b: 3
many:
  d: 4
  <<: [*base, *other]
quoted:
  '<<': *base
";
    let t = root(text);
    let keys = |n: &str| -> Vec<String> {
        get(&t, n)
            .value
            .as_table()
            .unwrap()
            .entries
            .keys()
            .cloned()
            .collect()
    };
    let int = |n: &str, k: &str| match &get(get(&t, n).value.as_table().unwrap(), k).value {
        Value::Int(i) => i.value,
        other => panic!("{other:?}"),
    };
    assert_eq!(keys("one"), ["a", "b"]);
    assert_eq!((int("one", "a"), int("one", "b")), (1, 3));
    assert_eq!(keys("many"), ["d", "a", "b", "c"]);
    assert_eq!(int("many", "b"), 2);
    assert_eq!(int("many", "c"), 30);
    assert_eq!(keys("quoted"), ["<<"]);
    let (_, message) = syntax("a: &a 1\nb:\n  <<: *a\n");
    assert!(message.contains("merge"), "{message}");
}

#[test]
fn syntax_error_positions() {
    for (text, pos) in [
        ("key: value: other\n", Pos::new(2, 11)),
        ("a: 1\n  b: 2\n", Pos::new(3, 4)),
        ("a:\n\tb: 1\n", Pos::new(3, 2)),
        ("a: 1\nb: \"unclosed\nc: 2\n", Pos::new(3, 4)),
        ("a:\n  - 1\n - 2\n", Pos::new(4, 2)),
        ("title: `x`\n", Pos::new(2, 8)),
    ] {
        let (got, message) = syntax(text);
        assert_eq!(got, pos, "{text:?}: {message}");
        assert!(!message.contains("line"), "{message}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "\u{feff}a: 1",
        "a: \u{0}",
        "? \n",
        ": x",
        "[",
        "]",
        "{a: 1",
        "&a",
        "*a",
        "!",
        "a: !<> x",
        "- - -",
        "a: |\n\tb",
        "%YAML 1.1\n",
        "a: 'x\n",
        "\"\\uD800\"",
        "a:\n- b\n-",
        "<<: 1",
        "<<: [1]",
        "a: &x [*x]",
        "? ? ? a",
        "{? a}",
        "[a: b]",
    ] {
        let _ = parse(text, 1, &Limits::default());
    }
}

#[test]
fn alias_of_long_text_is_bounded_by_bytes() {
    let big = "x".repeat(100_000);
    let refs = vec!["*a"; 50].join(", ");
    let start = Instant::now();
    match err(&format!("a: &a {big}\nb: [{refs}]\n")) {
        ParseError::Limit { message, pos } => {
            assert_eq!(message, "alias expansion exceeds 1048576 bytes");
            assert_eq!(pos.line, 3);
        }
        other => panic!("{other:?}"),
    }
    // Comments travel with an aliased mapping, so they count too.
    let comments = format!("#{big}\n").repeat(3);
    let text = format!("a: &a\n{comments}  k: 1 #{big}\nb: [{refs}]\n");
    assert!(matches!(err(&text), ParseError::Limit { .. }));
    assert!(start.elapsed() < Duration::from_secs(2));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn any_yamlish_text_parses_or_errs(text in "[-:?,\\[\\]{}#&*!|>'\"%@ \t\na-c0-2.~<=\u{e9}]{0,60}") {
        let _ = parse(&text, 1, &Limits::default());
    }
}

proptest::proptest! {
    // Generating these is slow in debug builds; fewer cases still cover the shapes.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn structured_yamlish_text_parses_or_errs(
        lines in proptest::collection::vec("( {0,4})(- |\\? |: )?([a-c]{1,2}|&a|\\*a|!!str|!x|<<|'q'|\"d\"|\\[|\\]|\\{|\\}|, |: |#c| ){0,6}", 0..12)
    ) {
        let text = lines.join("\n");
        let _ = parse(&text, 1, &Limits::default());
        let _ = crate::formats::yaml::yaml11_ambiguity(&text);
        let _ = crate::formats::yaml::plain_is_safe(&text);
    }
}
