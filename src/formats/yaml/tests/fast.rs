//! The fast path against the full reader: whenever it answers, the tree must be identical —
//! values, key order, positions, styles, float digits, comments and duplicates.

use proptest::prelude::*;

use super::super::{fast, read};
use crate::document::{Format, Split, split};
use crate::formats::{Limits, Parsed};
use crate::value::{Node, Table, Value};

/// Where two trees differ, as a path and both sides.
fn diff_node(path: &str, a: &Node, b: &Node) -> Option<String> {
    if a.pos != b.pos {
        return Some(format!("{path}: pos {:?} vs {:?}", a.pos, b.pos));
    }
    if a.style != b.style {
        return Some(format!("{path}: style {:?} vs {:?}", a.style, b.style));
    }
    let same = match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => {
            x.value.to_bits() == y.value.to_bits() && x.text == y.text
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::DateTime(x), Value::DateTime(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} vs {} items", x.len(), y.len()));
            }
            return x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| diff_node(&format!("{path}[{i}]"), p, q));
        }
        (Value::Table(x), Value::Table(y)) => return diff_table(path, x, y),
        _ => false,
    };
    (!same).then(|| format!("{path}: {:?} vs {:?}", a.value, b.value))
}

fn diff_table(path: &str, a: &Table, b: &Table) -> Option<String> {
    let keys_a: Vec<&String> = a.entries.keys().collect();
    let keys_b: Vec<&String> = b.entries.keys().collect();
    if keys_a != keys_b {
        return Some(format!("{path}: keys {keys_a:?} vs {keys_b:?}"));
    }
    if a.trailing_comments != b.trailing_comments {
        return Some(format!("{path}: trailing comments differ"));
    }
    a.entries
        .iter()
        .zip(&b.entries)
        .find_map(|((k, x), (_, y))| {
            let path = format!("{path}.{k}");
            if x.key_pos != y.key_pos {
                Some(format!(
                    "{path}: key_pos {:?} vs {:?}",
                    x.key_pos, y.key_pos
                ))
            } else if x.comments != y.comments {
                Some(format!(
                    "{path}: comments {:?} vs {:?}",
                    x.comments, y.comments
                ))
            } else {
                diff_node(&path, &x.node, &y.node)
            }
        })
}

fn diff_parsed(a: &Parsed, b: &Parsed) -> Option<String> {
    if a.duplicates != b.duplicates {
        return Some(format!(
            "duplicates {:?} vs {:?}",
            a.duplicates, b.duplicates
        ));
    }
    diff_node("$", &a.root, &b.root)
}

/// Runs both readers; if the fast path answers, the full reader must give the same tree.
/// Returns whether the fast path answered.
pub(super) fn assert_same_with(text: &str, first_line: u32, limits: &Limits) -> bool {
    let Some(fast) = fast::parse_seeing(text, first_line, limits, &mut |_, _, _, _| {}) else {
        return false;
    };
    match read::read(text, first_line, limits) {
        Ok(full) => {
            if let Some(d) = diff_parsed(&fast, &full) {
                panic!("{text:?}: fast vs full: {d}");
            }
        }
        Err(e) => panic!("{text:?}: fast path answered, full reader failed: {e:?}"),
    }
    true
}

pub(super) fn assert_same(text: &str) -> bool {
    assert_same_with(text, 2, &Limits::default())
}

fn fast_path(text: &str) {
    assert!(assert_same(text), "{text:?} should take the fast path");
}

fn full_path(text: &str) {
    assert!(
        fast::parse_seeing(text, 2, &Limits::default(), &mut |_, _, _, _| {}).is_none(),
        "{text:?} should go to the full reader"
    );
}

#[test]
fn reference_post_takes_the_fast_path() {
    let bytes = include_bytes!("../../../../fixtures/detained-canadians.md");
    let Split::Found(layout) = split(bytes, true, 1 << 20) else {
        panic!("no front matter");
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).unwrap();
    assert!(assert_same_with(
        text,
        layout.content_line,
        &Limits::default()
    ));
}

/// Every YAML fixture: the same tree whenever the fast path answers.
#[test]
fn fixtures_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = vec![root];
    let mut yaml_blocks = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Split::Found(layout) = split(&bytes, true, 1 << 20) else {
                continue;
            };
            if layout.format != Format::Yaml {
                continue;
            }
            let Ok(text) = std::str::from_utf8(&bytes[layout.content.clone()]) else {
                continue;
            };
            let text = text.replace("\r\n", "\n");
            yaml_blocks += 1;
            assert_same_with(&text, layout.content_line, &Limits::default());
        }
    }
    assert!(yaml_blocks > 5, "{yaml_blocks}");
}

#[test]
fn common_shapes_take_the_fast_path() {
    for text in [
        "",
        "\n\n",
        "a: 1\n",
        "a: 1",
        "\n\na: 1\n\n",
        "a:\nb: 2\n",
        "long_key.name-x:\nb: 2\n",
        "a:   \nb: x   \n   \nc: 'y'  \n",
        "title: > \n  Detained Canadians \ndate: 1602377984.4306138 \n",
        "a: >\n  x \n  y\nb: |-\n   p\n   q  \nc: >+\n  k\n",
        "a: |\n  x\n\n  \nb: 1\n",
        "a: 'it''s'\nb: \"dq 'x'\"\nc: ''\nd: \"\"\n",
        "a: -1\nb: -x\nc: yes\nd: 012\ne: ~\nf: 2020-10-10 10:00:00\ng: 1e5\nh: .inf\n",
        "a: x, y [z] {w}\nb: a:b\nc: é ü \u{a0}\nd: 🎉\n",
        "url: https://example.com/a?b=c&d=e\n",
        "online version: https://x.y\nModule Name: M\ntitle : x\nförfattare:\nलेखक: é\n",
        "a b:\nc  d :   x\n",
    ] {
        fast_path(text);
    }
}

#[test]
fn other_shapes_go_to_the_full_reader() {
    for text in [
        "# c\na: 1\n",
        "a: 1 # c\n",
        "a: x#y\n",
        "a: 1\na: 2\n",
        "a:\n  b: 1\n",
        "a:\n- 1\n",
        "a: [1]\n",
        "a: {b: 1}\n",
        "a: &x 1\n",
        "a: *x\n",
        "a: !!str 1\n",
        "? a\n: 1\n",
        "'a': 1\n",
        "a: b: c\n",
        "a: b:\n",
        "a: x\n  y\n",
        "a: 'x\n  y'\n",
        "a: \"x\\ny\"\n",
        "a: 'x' y\n",
        "a: >2\n  x\n",
        "a: > # c\n  x\n",
        "a: >\nb: 1\n",
        "a: >\n  x\n    y\n",
        "a: >\n  x\n\n  y\n",
        "a: |+\n  x\n\n",
        "a: |\n  x\n     \n",
        "a: |\n  x",
        "a: 1\r\n",
        "a:\t1\n",
        "\u{feff}a: 1\n",
        "a: x\u{85}y\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: @x\n",
        "a: `x`\n",
        "a: %x\n",
        "a: - x\n",
        "a: -\n",
        "a: 99999999999999999999999999999999999999999\n",
        "a:b\n",
        " a: 1\n",
        "- a\n",
        "a\n",
    ] {
        assert_same(text);
        full_path(text);
    }
}

#[test]
fn limits_and_first_line() {
    let text = "a: 1\nb: >\n  x\n";
    for max_depth in [0, 1, 2, 64] {
        let limits = Limits {
            max_depth,
            ..Limits::default()
        };
        assert_same_with(text, 1, &limits);
    }
    assert!(assert_same_with(text, 1, &Limits::default()));
    assert!(assert_same_with(text, 1000, &Limits::default()));
    let small = Limits {
        max_block_bytes: 4,
        ..Limits::default()
    };
    assert!(fast::parse_seeing(text, 1, &small, &mut |_, _, _, _| {}).is_none());
    let long_key = format!("{}: 1\n", "k".repeat(2000));
    assert_same(&long_key);
}

// ---------------------------------------------------------------------------------------------
// Generated block mappings: the subset and its near misses.

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z_][a-z0-9_.-]{0,8}",
        4 => prop::sample::select(vec!["title", "date", "a", "b", "tags", "x.y", "9", "true", "_k"])
            .prop_map(String::from),
        1 => prop::sample::select(vec![
            "-a", "a b", "'q'", "\"d\"", "?", "a#", "&a", "é", "<<", "~", "a:b", "[a]", "",
            "online version", "Module Name", "a  b", "title ", "a - b", "a -", "a .", "författare",
            "लेखक", "автор", "작성자", "🎉", "a\u{a0}b", "x y z", "a #b", "a,b", "a[b]", "a'b",
        ])
        .prop_map(String::from),
    ]
}

fn plain_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "", "x", "hello world", "~", "null", "Null", "true", "False", "yes", "no", "on",
            "012", "09", "0o17", "0x1F", "-0", "+12", "1_000", "1e5", "1.0e+5", "1.", ".5",
            "-.5", ".inf", "-.Inf", ".NaN", "1602377984.4306138", "0.1000000000000000000001",
            "99999999999999999999999999999999999999999", "2020-10-10", "2020-10-10 10:00:00",
            "2001-12-14t21:59:43.10-05:00", "2020-25-11", "10:00", "_layouts.post",
            "https://x.y/z?a=b#frag", "a:b", "a: b", "a #b", "a#b", "x:", "-1", "-x", "- x", "-",
            "--", "---", "...", "?x", "? x", ":x", "x, y", "[x]", "x]", "{x}", "x}", "&a x", "*a",
            "!!str x", "!x", "%x", "@x", "`x`", "<<", "=", "é ü", "\u{a0}x\u{a0}", "🎉", "\u{85}",
            "\u{feff}", "x\ty", "x\r", "\\", "a'b", "a\"b", "'", "\"", "|x", ">x",
        ])
        .prop_map(String::from),
        2 => "[a-zA-Z0-9 .:,#'\"-]{1,12}",
    ]
}

fn quoted_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "'[a-z '#:\\\\\"]{0,8}'",
        "\"[a-z '#:\\\\]{0,8}\"",
        prop::sample::select(vec![
            "'it''s'",
            "''",
            "''''",
            "'a''",
            "'x' y",
            "'x'#c",
            "\"\"",
            "\"a\\nb\"",
            "\"x\" y",
            "'unterminated",
            "\"unterminated",
            "'a'b'",
            "' x '",
            "\" x \"",
        ])
        .prop_map(String::from),
    ]
}

/// A block scalar: header and content lines (indentation, text).
fn block_value() -> impl Strategy<Value = (String, Vec<(usize, String)>, usize)> {
    let header = prop::sample::select(vec![
        ">", "|", ">-", "|-", ">+", "|+", ">2", "|1-", "> #c", ">x", "|-+",
    ])
    .prop_map(String::from);
    let text = prop_oneof![
        6 => "[a-zA-Z .]{1,10}( {0,2})",
        1 => prop::sample::select(vec![
            "", "# y", "a: b", "- z", "x #c", "  deeper", "---", "'q'", "\"d\"",
        ])
        .prop_map(String::from),
    ];
    // Mostly one indentation throughout; sometimes a line of its own.
    let line = (
        prop_oneof![8 => Just(None), 1 => (0usize..5).prop_map(Some)],
        text,
    );
    (
        header,
        1usize..4,
        prop::collection::vec(line, 0..4),
        0usize..3,
    )
        .prop_map(|(header, indent, lines, trailing_blanks)| {
            let lines = lines
                .into_iter()
                .map(|(own, text)| (own.unwrap_or(indent), text))
                .collect();
            (header, lines, trailing_blanks)
        })
}

fn entry() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        5 => plain_value().prop_map(|v| (v, Vec::new(), 0)),
        2 => quoted_value().prop_map(|v| (v, Vec::new(), 0)),
        3 => block_value(),
    ];
    (
        key(),
        prop::sample::select(vec![": ", ":", ":  ", " : ", ":\t"]),
        value,
        0usize..3,
        prop::sample::select(vec!["", "", "", " # c", "#c", "\r"]),
    )
        .prop_map(|(key, colon, (value, lines, blanks), trailing, comment)| {
            let mut s = format!("{key}{colon}{value}{}{comment}\n", " ".repeat(trailing));
            for (indent, text) in lines {
                s.push_str(&" ".repeat(indent));
                s.push_str(&text);
                s.push('\n');
            }
            for i in 0..blanks {
                s.push_str(&" ".repeat(i));
                s.push('\n');
            }
            s
        })
}

pub(super) fn block() -> impl Strategy<Value = String> {
    let noise = prop::sample::select(vec![
        "",
        "   ",
        "# comment",
        "  indented",
        "- item",
        "---",
        "...",
        "\t",
        "  - x",
        "  k: v",
    ])
    .prop_map(|s| format!("{s}\n"));
    let line = prop_oneof![12 => entry(), 1 => noise];
    (prop::collection::vec(line, 0..8), any::<bool>()).prop_map(|(lines, trim_end)| {
        let mut s = lines.concat();
        if trim_end {
            s.pop();
        }
        s
    })
}

/// Mostly the subset, with only the shapes of common posts.
pub(super) fn clean_block() -> impl Strategy<Value = String> {
    let key = "[a-z][a-z_]{0,6}";
    let value = prop_oneof![
        "[a-zA-Z0-9][a-zA-Z0-9 ./_-]{0,20}",
        "'[a-zA-Z0-9 ]{0,10}'",
        "\"[a-zA-Z0-9 ']{0,10}\"",
        "(>|\\|)[-+]?\n  [a-zA-Z0-9][a-zA-Z0-9 ]{0,20}(\n  [a-zA-Z0-9][a-zA-Z0-9 ]{0,20}){0,2}",
        Just(String::new()),
    ];
    prop::collection::vec((key, value, " {0,2}"), 0..8).prop_map(|entries| {
        let mut seen = std::collections::HashSet::new();
        let mut s = String::new();
        for (k, v, pad) in entries {
            if seen.insert(k.clone()) {
                s.push_str(&format!("{k}: {v}{pad}\n"));
            }
        }
        s
    })
}

/// 500 cases by default; `PROPTEST_CASES` raises it for a longer local run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn generated_blocks_agree(text in block(), first_line in 1u32..5) {
        assert_same_with(&text, first_line, &Limits::default());
    }

    #[test]
    fn clean_blocks_take_the_fast_path(text in clean_block()) {
        prop_assert!(assert_same(&text), "{:?}", text);
    }

    #[test]
    fn fast_path_never_panics(text in "[-:?,\\[\\]{}#&*!|>'\"%@ \t\r\na-c0-2.~<=\u{e9}\u{85}]{0,60}") {
        assert_same(&text);
    }
}
