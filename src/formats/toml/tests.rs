use std::time::{Duration, Instant};

use super::*;
use crate::value::Pos;

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
    match parse(text, 2, &Limits::default()) {
        Ok(parsed) => panic!("expected an error, got {:?}", parsed.root),
        Err(err) => err,
    }
}

fn entry<'t>(table: &'t Table, path: &str) -> &'t Entry {
    let mut parts = path.split('.');
    let mut entry = table.get(parts.next().unwrap()).expect(path);
    for part in parts {
        entry = match &entry.node.value {
            Value::Table(t) => t.get(part).expect(path),
            other => panic!("{path}: {other:?}"),
        };
    }
    entry
}

fn dt(kind: DateTimeKind, text: &str) -> DateTime {
    DateTime {
        kind,
        text: text.to_owned(),
    }
}

#[test]
fn every_value_kind_with_styles() {
    let t = root(concat!(
        "s = \"basic\\tö\"\n",
        "l = 'C:\\path'\n",
        "ml = \"\"\"\nline one\nline two\"\"\"\n",
        "mll = '''\nraw # not a comment\n'''\n",
        "i = -42\n",
        "hex = 0xff\n",
        "b = true\n",
        "f = 1602377984.4306138\n",
        "arr = [1, \"two\", [3]]\n",
        "inline = { x = 1 }\n",
    ));
    let kinds: Vec<_> = t.iter().map(|(k, e)| (k.as_str(), e.node.style)).collect();
    assert_eq!(
        kinds,
        [
            ("s", Style::DoubleQuoted),
            ("l", Style::SingleQuoted),
            ("ml", Style::DoubleQuoted),
            ("mll", Style::SingleQuoted),
            ("i", Style::Plain),
            ("hex", Style::Plain),
            ("b", Style::Plain),
            ("f", Style::Plain),
            ("arr", Style::Flow),
            ("inline", Style::Flow),
        ]
    );
    assert_eq!(t.get("s").unwrap().node.value.as_str(), Some("basic\tö"));
    assert_eq!(t.get("l").unwrap().node.value.as_str(), Some("C:\\path"));
    assert_eq!(
        t.get("ml").unwrap().node.value.as_str(),
        Some("line one\nline two")
    );
    assert_eq!(
        t.get("mll").unwrap().node.value.as_str(),
        Some("raw # not a comment\n")
    );
    assert!(matches!(
        t.get("i").unwrap().node.value,
        Value::Int(Int { value: -42 })
    ));
    assert!(matches!(
        t.get("hex").unwrap().node.value,
        Value::Int(Int { value: 255 })
    ));
    assert!(matches!(t.get("b").unwrap().node.value, Value::Bool(true)));
    let Value::Float(f) = &t.get("f").unwrap().node.value else {
        panic!()
    };
    assert_eq!(f.text.as_deref(), Some("1602377984.4306138"));
    assert_eq!(f.value, 1602377984.4306138);
    let Value::Array(items) = &t.get("arr").unwrap().node.value else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].style, Style::Flow);
}

#[test]
fn floats_keep_digits_and_specials() {
    let t =
        root("a = +1_000.50\nb = 1e5\nc = -0.0\nd = nan\ne = -inf\nf = 0.1000000000000000000001\n");
    let f = |k: &str| match &t.get(k).unwrap().node.value {
        Value::Float(f) => f.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(f("a").text.as_deref(), Some("1000.50"));
    assert_eq!(f("b").text.as_deref(), Some("1.0e+5"));
    assert_eq!(f("c").text.as_deref(), Some("-0.0"));
    assert!(f("d").value.is_nan() && f("d").text.is_none());
    assert_eq!(f("e").value, f64::NEG_INFINITY);
    assert_eq!(f("f").text.as_deref(), Some("0.1000000000000000000001"));
}

#[test]
fn big_integers() {
    let t = root("max = 9223372036854775807\nmin = -9223372036854775808\n");
    assert!(matches!(
        t.get("max").unwrap().node.value,
        Value::Int(Int { value }) if value == i64::MAX as i128
    ));
    assert!(matches!(
        t.get("min").unwrap().node.value,
        Value::Int(Int { value }) if value == i64::MIN as i128
    ));
    let e = err("a = 1\nbig = 9223372036854775808\n");
    assert_eq!(e.pos(), Pos::new(3, 7));
    assert!(e.to_string().contains("out of range"), "{e}");
}

#[test]
fn datetimes_of_all_four_kinds() {
    let t = root(concat!(
        "odt = 1979-05-27T07:32:00Z\n",
        "odt2 = 1979-05-27 07:32:00.999999-07:00\n",
        "odt3 = 1979-05-27t07:32:00.500z\n",
        "ldt = 1979-05-27T07:32:00.120\n",
        "ld = 1979-05-27\n",
        "lt = 07:32:00\n",
        "short = 1979-05-27 07:32\n",
        "short_time = 07:32\n",
    ));
    let d = |k: &str| match &t.get(k).unwrap().node.value {
        Value::DateTime(d) => d.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(d("odt"), dt(DateTimeKind::Offset, "1979-05-27T07:32:00Z"));
    assert_eq!(
        d("odt2"),
        dt(DateTimeKind::Offset, "1979-05-27T07:32:00.999999-07:00")
    );
    assert_eq!(
        d("odt3"),
        dt(DateTimeKind::Offset, "1979-05-27T07:32:00.500Z")
    );
    assert_eq!(d("ldt"), dt(DateTimeKind::Local, "1979-05-27T07:32:00.120"));
    assert_eq!(d("ld"), dt(DateTimeKind::Date, "1979-05-27"));
    assert_eq!(d("lt"), dt(DateTimeKind::Time, "07:32:00"));
    assert_eq!(d("short"), dt(DateTimeKind::Local, "1979-05-27T07:32:00"));
    assert_eq!(d("short_time"), dt(DateTimeKind::Time, "07:32:00"));
    assert_eq!(t.get("odt2").unwrap().node.style, Style::Plain);
}

#[test]
fn positions_are_file_positions_in_characters() {
    let text = concat!(
        "title = \"Ünïcödé\"\n",
        "[extra]\n",
        "\"názov\" = \"é\"\n",
        "list = [\"ä\", \"ö\", { \"ü\" = 1 }]\n",
        "a.b.c = 2\n",
    );
    let parsed = parse_at(text, 10);
    let Value::Table(t) = &parsed.root.value else {
        panic!()
    };
    assert_eq!(parsed.root.pos, Pos::new(10, 1));
    assert_eq!(entry(t, "title").node.pos, Pos::new(10, 9));
    let extra = entry(t, "extra");
    assert_eq!(extra.key_pos, Pos::new(11, 2));
    assert_eq!(extra.node.pos, Pos::new(11, 1));
    assert_eq!(extra.node.style, Style::Block);
    let nazov = entry(t, "extra.názov");
    assert_eq!(
        (nazov.key_pos, nazov.node.pos),
        (Pos::new(12, 1), Pos::new(12, 11))
    );
    let Value::Array(items) = &entry(t, "extra.list").node.value else {
        panic!()
    };
    assert_eq!(items[0].pos, Pos::new(13, 9));
    assert_eq!(items[1].pos, Pos::new(13, 14));
    assert_eq!(items[2].pos, Pos::new(13, 19));
    let Value::Table(inline) = &items[2].value else {
        panic!()
    };
    let u = inline.get("ü").unwrap();
    assert_eq!(
        (u.key_pos, u.node.pos),
        (Pos::new(13, 21), Pos::new(13, 27))
    );
    // Dotted keys: each part is an entry with its own key position.
    assert_eq!(entry(t, "extra.a").key_pos, Pos::new(14, 1));
    assert_eq!(entry(t, "extra.a.b").key_pos, Pos::new(14, 3));
    let c = entry(t, "extra.a.b.c");
    assert_eq!((c.key_pos, c.node.pos), (Pos::new(14, 5), Pos::new(14, 9)));
}

#[test]
fn key_order_and_arrays_of_tables() {
    let t = root(concat!(
        "z = 1\n",
        "a = 2\n",
        "[[extra.see_also]]\n",
        "title = \"one\"\n",
        "[[extra.see_also]]\n",
        "title = \"two\"\n",
        "[taxonomies]\n",
        "tags = [\"rust\"]\n",
    ));
    let keys: Vec<_> = t.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["z", "a", "extra", "taxonomies"]);
    let see_also = entry(&t, "extra.see_also");
    assert_eq!(see_also.node.style, Style::Block);
    assert_eq!(see_also.key_pos, Pos::new(3, 9));
    let Value::Array(items) = &see_also.node.value else {
        panic!()
    };
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].pos, Pos::new(5, 1));
    assert_eq!(items[1].style, Style::Block);
    let Value::Table(second) = &items[1].value else {
        panic!()
    };
    assert_eq!(
        second.get("title").unwrap().node.value.as_str(),
        Some("two")
    );
    // An inline array of arrays is not an array of tables.
    assert_eq!(
        root("a = [[1], [2]]\n").get("a").unwrap().node.style,
        Style::Flow
    );
}

#[test]
fn comments_attach_to_keys_and_tables() {
    let t = root(concat!(
        "# Title of the post\n",
        "#   with two lines\n",
        "title = \"x # not a comment\" # trailing\n",
        "\n",
        "# separated by a blank line\n",
        "date = 2017-01-01T00:00:00\n",
        "ml = \"\"\"\n# inside a string\n\"\"\" # after the string\n",
        "tags = [ # on the key line\n",
        "  \"a\", # inside the array: no key\n",
        "]\n",
        "# Optional featured image.\n",
        "[header] # header trailing\n",
        "# image comment\n",
        "image = \"\"\n",
        "#end of header\n",
        "# end of document\n",
    ));
    let title = &t.get("title").unwrap().comments;
    assert_eq!(title.before, [" Title of the post", "   with two lines"]);
    assert_eq!(title.trailing.as_deref(), Some(" trailing"));
    assert_eq!(
        t.get("title").unwrap().node.value.as_str(),
        Some("x # not a comment")
    );
    assert_eq!(
        t.get("date").unwrap().comments.before,
        [" separated by a blank line"]
    );
    let ml = &t.get("ml").unwrap().comments;
    assert!(ml.before.is_empty());
    assert_eq!(ml.trailing.as_deref(), Some(" after the string"));
    let tags = &t.get("tags").unwrap().comments;
    assert_eq!(tags.trailing.as_deref(), Some(" on the key line"));
    let header = t.get("header").unwrap();
    assert_eq!(header.comments.before, [" Optional featured image."]);
    assert_eq!(
        header.comments.trailing.as_deref(),
        Some(" header trailing")
    );
    let image = entry(&t, "header.image");
    assert_eq!(image.comments.before, [" image comment"]);
    assert_eq!(t.trailing_comments, ["end of header", " end of document"]);
}

/// Comments above a later `[[item]]` header and on its line are that element's: the TOML
/// writer puts them back there, and YAML above the element's dash.
#[test]
fn comments_at_a_repeated_array_table_header_belong_to_its_element() {
    use crate::value::ItemComments;
    let t = root(concat!(
        "# first\n",
        "[[item]]\n",
        "a = 1\n",
        "# second\n",
        "[[item]] # on the header\n",
        "a = 2\n",
    ));
    let item = t.get("item").unwrap();
    assert_eq!(item.comments.before, [" first"]);
    assert_eq!(
        item.comments.items,
        [ItemComments {
            index: 1,
            before: vec![" second".into()],
            trailing: Some(" on the header".into()),
            inner: Vec::new(),
        }]
    );
    let Value::Array(items) = &item.node.value else {
        panic!()
    };
    let Value::Table(first) = &items[0].value else {
        panic!()
    };
    assert!(first.trailing_comments.is_empty());
}

#[test]
fn comments_on_dotted_keys_go_to_the_last_part() {
    let t = root("# about b\na.b = 1 # b\n# about c\na.c = 2\n");
    assert_eq!(entry(&t, "a.b").comments.before, [" about b"]);
    assert_eq!(entry(&t, "a.b").comments.trailing.as_deref(), Some(" b"));
    assert_eq!(entry(&t, "a.c").comments.before, [" about c"]);
    assert!(t.get("a").unwrap().comments.is_empty());
}

#[test]
fn empty_and_comment_only_blocks() {
    let parsed = parse_at("", 4);
    assert_eq!(parsed.root.pos, Pos::new(4, 1));
    assert!(parsed.root.value.as_table().unwrap().is_empty());
    let t = root("# only a comment\n\n");
    assert!(t.is_empty());
    assert_eq!(t.trailing_comments, [" only a comment"]);
}

#[test]
fn duplicate_keys_are_fatal_with_both_positions() {
    let dup = |text: &str| match err(text) {
        ParseError::Duplicate(d) => d,
        other => panic!("{other:?}"),
    };
    let d = dup("title = 1\ntitle = 2\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("title", Pos::new(3, 1), Pos::new(2, 1))
    );
    let d = dup("[extra]\na = 1\n[other]\n[extra]\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("extra", Pos::new(5, 2), Pos::new(2, 2))
    );
    let d = dup("[extra]\nmenu.main = 1\nmenu.main = 2\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("main", Pos::new(4, 6), Pos::new(3, 6))
    );
    let d = dup("a = { b = 1, \"b\" = 2 }\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("b", Pos::new(2, 14), Pos::new(2, 7))
    );
    let d = dup("a.b = 1\n[a]\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("a", Pos::new(3, 2), Pos::new(2, 1))
    );
    let d = dup("a = 1\na.b = 2\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("a", Pos::new(3, 1), Pos::new(2, 1))
    );
    // The same key in two elements of an array of tables is no duplicate; twice in one is.
    let d = dup("[[x]]\nb = 1\n[[x]]\nb = 1\nb = 2\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("b", Pos::new(6, 1), Pos::new(5, 1))
    );
    // `[a]` after `[a.b]` is allowed once.
    let d = dup("[a.b]\n[a]\n[a]\n");
    assert_eq!(
        (d.key.as_str(), d.pos, d.first),
        ("a", Pos::new(4, 2), Pos::new(3, 2))
    );
}

#[test]
fn syntax_errors_point_at_the_mistake() {
    let cases = [
        (
            "title = \"open\ndate = 1\n",
            Pos::new(2, 14),
            "invalid basic string",
        ),
        (
            "a = 1\nb = [1,,2]\n",
            Pos::new(3, 8),
            "extra comma in array",
        ),
        // The crate reads `2 c` as one (bad) value and stops at the `=` after it.
        (
            "a = 1\nb = 2 c = 3\n",
            Pos::new(3, 9),
            "unexpected key or value",
        ),
        (
            "a = 1\n= 2\n",
            Pos::new(3, 1),
            "unquoted keys cannot be empty",
        ),
        ("a = \"\\q\"\n", Pos::new(2, 7), "missing escaped value"),
        (
            "a = 1e400\n",
            Pos::new(2, 5),
            "float `1e400` is out of range",
        ),
    ];
    for (text, pos, message) in cases {
        let e = err(text);
        assert!(matches!(e, ParseError::Syntax { .. }), "{e:?}");
        assert_eq!(e.pos(), pos, "{text:?}: {e}");
        assert!(e.to_string().starts_with(message), "{text:?}: {e}");
        assert!(!e.to_string().contains("TOML parse error"), "{e}");
    }
}

fn assert_limit_fast(text: &str) {
    let start = Instant::now();
    let e = parse(text, 1, &Limits::default()).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    match e {
        ParseError::Limit { message, .. } => assert_eq!(message, "nesting deeper than 64 levels"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn nesting_limit_at_100k_levels() {
    let n = 100_000;
    assert_limit_fast(&format!("a = {}{}\n", "[".repeat(n), "]".repeat(n)));
    assert_limit_fast(&format!("a = {}", "[".repeat(n)));
    assert_limit_fast(&format!("a = {}1{}\n", "{b = ".repeat(n), "}".repeat(n)));
    assert_limit_fast(&format!("a = {}", "[{b = ".repeat(n)));
    assert_limit_fast(&format!("a{} = 1\n", ".b".repeat(n)));
    assert_limit_fast(&format!("[a{}]\n", ".b".repeat(n)));
    assert_limit_fast(&format!("[[a{}]]\n", ".b".repeat(n)));
    // A huge limit does not let the crate recurse without bound either.
    let limits = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let deep = format!("a = {}{}\n", "[".repeat(n), "]".repeat(n));
    assert!(matches!(
        parse(&deep, 1, &limits),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn nesting_limit_counts_the_root_as_level_one() {
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(parse("a = [[1]]\n", 1, &limits).is_ok());
    let e = parse("a = [[[1]]]\n", 1, &limits).unwrap_err();
    assert_eq!(e.pos(), Pos::new(1, 7));
    assert!(parse("[a.b]\nc = 1\n", 1, &limits).is_ok());
    assert!(parse("[a.b]\nc = []\n", 1, &limits).is_err());
    assert!(parse("[[a]]\nc = 1\n", 1, &limits).is_ok());
    assert!(parse("[[a]]\nc.d = 1\n", 1, &limits).is_err());
    assert!(parse("x = 1\na.b.c = 1\n", 1, &limits).is_ok());
    assert_eq!(
        parse("a.b.c.d = 1\n", 1, &limits).unwrap_err().pos(),
        Pos::new(1, 5)
    );
}

#[test]
fn blocks_beyond_the_size_limit_are_refused() {
    let limits = Limits {
        max_block_bytes: 8,
        ..Limits::default()
    };
    assert!(matches!(
        parse("title = 'long'\n", 1, &limits),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn comments_between_array_items_belong_to_the_items() {
    use crate::value::ItemComments;
    let t = root(
        "# above\na = [ # key\n  1, # one\n  # before two\n  2,\n  [3,\n  # deep\n  4],\n  # after\n]\n\
         b = [1, 2] # end\nc = [] # empty\n",
    );
    let a = entry(&t, "a");
    assert_eq!(a.comments.before, [" above"]);
    assert_eq!(a.comments.trailing.as_deref(), Some(" key"));
    let item = |index: usize, before: &[&str], trailing: Option<&str>| ItemComments {
        index,
        before: before.iter().map(|s| s.to_string()).collect(),
        trailing: trailing.map(str::to_string),
        inner: Vec::new(),
    };
    assert_eq!(
        a.comments.items,
        [
            item(0, &[], Some(" one")),
            item(1, &[" before two"], None),
            ItemComments {
                inner: vec![item(1, &[" deep"], None)],
                ..item(2, &[], None)
            },
            item(3, &[" after"], None),
        ]
    );
    assert!(entry(&t, "b").comments.items.is_empty());
    assert_eq!(entry(&t, "b").comments.trailing.as_deref(), Some(" end"));
    assert_eq!(entry(&t, "c").comments.trailing.as_deref(), Some(" empty"));
}
