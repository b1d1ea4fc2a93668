//! [`Table`](crate::value::Table) → JSON text: the object from `{` to `}`, Hugo style.
//!
//! Pretty-printed with a two-space indent and keys in their original order. JSON has no
//! comments and no date-time type: every dropped comment and every date-time written as a
//! string is listed as a [`Note`]. NaN and the infinities have no JSON form and are refused.

use crate::formats::{EmitError, Emitted, JSON_HAS_NO_COMMENTS, Note, dropped_comments, key_path};
use crate::value::{Float, Node, Table, Value};

/// Longest array of scalars kept on one line, brackets included, in characters.
const ONE_LINE_ARRAY: usize = 60;

const INDENT: &str = "  ";

pub fn emit(table: &Table) -> Result<Emitted, EmitError> {
    let mut writer = Writer {
        out: String::new(),
        notes: Vec::new(),
    };
    writer.object(table, "", 0)?;
    Ok(Emitted {
        text: writer.out,
        notes: writer.notes,
    })
}

struct Writer {
    out: String,
    notes: Vec<Note>,
}

impl Writer {
    /// `table` as an object whose closing brace stands at `depth` indents.
    fn object(&mut self, table: &Table, path: &str, depth: usize) -> Result<(), EmitError> {
        if table.is_empty() {
            self.out.push_str("{}");
        } else {
            self.out.push_str("{\n");
            for (i, (key, entry)) in table.iter().enumerate() {
                let entry_path = key_path(path, key);
                dropped_comments(
                    &entry.comments,
                    &entry_path,
                    JSON_HAS_NO_COMMENTS,
                    &mut self.notes,
                );
                self.indent(depth + 1);
                write_string(&mut self.out, key);
                self.out.push_str(": ");
                self.value(&entry.node, &entry_path, depth + 1)?;
                if i + 1 < table.len() {
                    self.out.push(',');
                }
                self.out.push('\n');
            }
            self.indent(depth);
            self.out.push('}');
        }
        for text in &table.trailing_comments {
            self.notes.push(Note::DroppedComment {
                key: (!path.is_empty()).then(|| path.to_string()),
                text: text.clone(),
                reason: JSON_HAS_NO_COMMENTS,
            });
        }
        Ok(())
    }

    fn value(&mut self, node: &Node, path: &str, depth: usize) -> Result<(), EmitError> {
        match &node.value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => self.out.push_str(&i.value.to_string()),
            Value::Float(f) => self.out.push_str(&float_text(f, path)?),
            Value::String(s) => write_string(&mut self.out, s),
            Value::DateTime(d) => {
                self.notes.push(Note::DateTimeToString {
                    key: path.to_string(),
                    text: d.text.clone(),
                });
                write_string(&mut self.out, &d.text);
            }
            Value::Array(items) => self.array(items, path, depth)?,
            Value::Table(table) => self.object(table, path, depth)?,
        }
        Ok(())
    }

    /// An array of scalars short enough stays on one line; any other array has one element
    /// per line.
    fn array(&mut self, items: &[Node], path: &str, depth: usize) -> Result<(), EmitError> {
        if items.is_empty() {
            self.out.push_str("[]");
            return Ok(());
        }
        let all_scalars = items
            .iter()
            .all(|n| !matches!(n.value, Value::Array(_) | Value::Table(_)));
        if all_scalars {
            let (start, notes) = (self.out.len(), self.notes.len());
            self.out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.value(item, &format!("{path}[{i}]"), depth + 1)?;
            }
            self.out.push(']');
            if self.out[start..].chars().count() <= ONE_LINE_ARRAY {
                return Ok(());
            }
            // Too long: take it back and write it one element per line.
            self.out.truncate(start);
            self.notes.truncate(notes);
        }
        self.out.push_str("[\n");
        for (i, item) in items.iter().enumerate() {
            self.indent(depth + 1);
            self.value(item, &format!("{path}[{i}]"), depth + 1)?;
            self.out
                .push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
        }
        self.indent(depth);
        self.out.push(']');
        Ok(())
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }
}

fn refuse(path: &str, reason: String) -> EmitError {
    EmitError {
        key: if path.is_empty() { "<root>" } else { path }.to_string(),
        reason,
    }
}

fn float_text(f: &Float, path: &str) -> Result<String, EmitError> {
    let Some(mut text) = f.decimal_text().filter(|_| f.value.is_finite()) else {
        return Err(refuse(path, "JSON has no NaN or infinity".to_string()));
    };
    // Canonical text of a whole number read as a float may lack both; a JSON reader would
    // take `5` for an integer.
    if !text.contains(['.', 'e']) {
        text.push_str(".0");
    }
    if !is_json_number(&text) {
        return Err(refuse(
            path,
            format!("float {text} is not a valid JSON number"),
        ));
    }
    Ok(text)
}

/// RFC 8259 `number`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let text = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (text, None),
    };
    let (int_part, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    digits(int_part)
        && (int_part == "0" || !int_part.starts_with('0'))
        && frac.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// A JSON string: quotes, backslashes and control characters escaped; everything else,
/// non-ASCII included, written as is.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::formats::toml::write::test_values::*;
    use crate::value::DateTimeKind;

    fn text_of(t: &Table) -> String {
        let emitted = emit(t).expect("emits");
        reads_back(t, &emitted.text);
        emitted.text
    }

    fn dropped(key: Option<&str>, text: &str) -> Note {
        Note::DroppedComment {
            key: key.map(str::to_string),
            text: text.to_string(),
            reason: JSON_HAS_NO_COMMENTS,
        }
    }

    fn table_mut<'a>(t: &'a mut Table, key: &str) -> &'a mut Table {
        match &mut t.entries.get_mut(key).expect("the key").node.value {
            Value::Table(sub) => sub,
            _ => panic!("`{key}` is not a table"),
        }
    }

    /// Parses `text` with `serde_json` and panics unless it holds the data of `t`, keys in
    /// the same order.
    fn reads_back(t: &Table, text: &str) {
        let parsed: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n--- text:\n{text}"));
        if let Err(why) = same_object(t, &parsed, "") {
            panic!("{why}\n--- text:\n{text}");
        }
    }

    fn same_object(ours: &Table, theirs: &serde_json::Value, path: &str) -> Result<(), String> {
        let Some(theirs) = theirs.as_object() else {
            return Err(format!("`{path}`: an object read back as {theirs}"));
        };
        let ours_keys: Vec<&String> = ours.entries.keys().collect();
        let theirs_keys: Vec<&String> = theirs.keys().collect();
        if ours_keys != theirs_keys {
            return Err(format!(
                "`{path}`: keys {ours_keys:?} read back as {theirs_keys:?}"
            ));
        }
        for (key, entry) in ours.iter() {
            same_value(
                &entry.node.value,
                &theirs[key.as_str()],
                &key_path(path, key),
            )?;
        }
        Ok(())
    }

    fn same_value(ours: &Value, theirs: &serde_json::Value, path: &str) -> Result<(), String> {
        use serde_json::Value as J;
        let same = match (ours, theirs) {
            (Value::Null, J::Null) => true,
            (Value::Bool(a), J::Bool(b)) => a == b,
            (Value::Int(a), J::Number(n)) => {
                let read = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
                read == Some(a.value)
            }
            (Value::Float(a), J::Number(n)) => {
                n.is_f64() && n.as_f64().is_some_and(|b| b.to_bits() == a.value.to_bits())
            }
            (Value::String(a), J::String(b)) => a == b,
            (Value::DateTime(a), J::String(b)) => &a.text == b,
            (Value::Array(a), J::Array(b)) => {
                if a.len() != b.len() {
                    return Err(format!(
                        "`{path}`: {} elements read back as {}",
                        a.len(),
                        b.len()
                    ));
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_value(&x.value, y, &format!("{path}[{i}]"))?;
                }
                true
            }
            (Value::Table(a), b) => return same_object(a, b, path),
            _ => false,
        };
        if same {
            Ok(())
        } else {
            Err(format!("`{path}`: {ours:?} read back as {theirs}"))
        }
    }

    #[test]
    fn reference_post_is_pretty_printed() {
        let t = reference_post();
        let emitted = emit(&t).unwrap();
        let expected = format!(
            "{{\n  \"extends\": \"_layouts.post\",\n  \"section\": \"content\",\n  \
             \"image\": \"{IMAGE}\",\n  \"title\": \"{}\\n\",\n  \"description\": \"{}\\n\",\n  \
             \"date\": 1602377984.4306138\n}}",
            sample_line(5),
            sample_line(7),
        );
        assert_eq!(emitted.text, expected);
        assert!(expected.contains("\"Detained Canadians in China get rare consular access \\n\""));
        assert_eq!(emitted.notes, []);
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn key_order_is_kept_and_nesting_indents() {
        let t = table(vec![
            (
                "params",
                sub(vec![
                    ("deep", sub(vec![("k", boolean(true))])),
                    ("empty", sub(vec![])),
                ]),
            ),
            ("title", string("x")),
            (
                "tags",
                array(vec![
                    string("a"),
                    int(1),
                    float(2.5),
                    boolean(false),
                    null(),
                ]),
            ),
            ("none", array(vec![])),
            (
                "authors",
                array(vec![sub(vec![("name", string("Ann"))]), sub(vec![])]),
            ),
            (
                "matrix",
                array(vec![array(vec![int(1), int(2)]), array(vec![])]),
            ),
            ("draft", null()),
        ]);
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.text,
            r#"{
  "params": {
    "deep": {
      "k": true
    },
    "empty": {}
  },
  "title": "x",
  "tags": ["a", 1, 2.5, false, null],
  "none": [],
  "authors": [
    {
      "name": "Ann"
    },
    {}
  ],
  "matrix": [
    [1, 2],
    []
  ],
  "draft": null
}"#
        );
        assert_eq!(emitted.notes, []);
        reads_back(&t, &emitted.text);
        assert_eq!(text_of(&Table::default()), "{}");
    }

    #[test]
    fn long_arrays_of_scalars_take_one_line_per_element() {
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
        ];
        let t = table(vec![(
            "tags",
            array(words.iter().map(|w| string(w)).collect()),
        )]);
        assert_eq!(
            text_of(&t),
            "{\n  \"tags\": [\n    \"alpha\",\n    \"bravo\",\n    \"charlie\",\n    \"delta\",\n    \
             \"echo\",\n    \"foxtrot\",\n    \"golf\"\n  ]\n}"
        );
        // Just at the limit: `["…"]` of 60 characters stays on one line.
        let fits = "x".repeat(ONE_LINE_ARRAY - 4);
        let t = table(vec![("a", array(vec![string(&fits)]))]);
        assert_eq!(text_of(&t), format!("{{\n  \"a\": [\"{fits}\"]\n}}"));
    }

    #[test]
    fn strings_and_keys_are_escaped_per_rfc_8259() {
        let t = table(vec![(
            "k \"q\" \\ \n",
            string("\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀\u{2028}/"),
        )]);
        assert_eq!(
            text_of(&t),
            "{\n  \"k \\\"q\\\" \\\\ \\n\": \"\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\\u007fé😀\u{2028}/\"\n}"
        );
    }

    #[test]
    fn numbers_keep_their_digits() {
        let t = table(vec![
            ("date", float_digits("1602377984.4306138")),
            ("kept", float_digits("1.50")),
            ("small", float_digits("1e-7")),
            ("computed", float(1e300)),
            ("negzero", float(-0.0)),
            (
                "whole",
                node(Value::Float(Float {
                    value: 5.0,
                    text: Some("5".into()),
                })),
            ),
            ("int", int(-42)),
        ]);
        assert_eq!(
            text_of(&t),
            "{\n  \"date\": 1602377984.4306138,\n  \"kept\": 1.50,\n  \"small\": 1.0e-7,\n  \
             \"computed\": 1.0e+300,\n  \"negzero\": -0.0,\n  \"whole\": 5.0,\n  \"int\": -42\n}"
        );
        // JSON has no width limit; `serde_json` alone cannot read these back exactly.
        let huge = table(vec![("big", int(i128::MAX)), ("small", int(i128::MIN))]);
        assert_eq!(
            emit(&huge).unwrap().text,
            format!(
                "{{\n  \"big\": {},\n  \"small\": {}\n}}",
                i128::MAX,
                i128::MIN
            )
        );
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let t = table(vec![
                ("ok", int(1)),
                (
                    "stats",
                    sub(vec![("ratios", array(vec![float(0.5), float(bad)]))]),
                ),
            ]);
            let err = emit(&t).unwrap_err();
            assert_eq!(err.key, "stats.ratios[1]");
            assert_eq!(err.reason, "JSON has no NaN or infinity");
        }
        let err = emit(&table(vec![("my key", float(f64::NAN))])).unwrap_err();
        assert_eq!(err.key, "\"my key\"");
    }

    #[test]
    fn datetimes_become_strings_with_a_note() {
        let t = table(vec![
            (
                "date",
                datetime(DateTimeKind::Offset, "1979-05-27T07:32:00Z"),
            ),
            (
                "dates",
                array(vec![
                    datetime(DateTimeKind::Date, "1979-05-27"),
                    datetime(DateTimeKind::Local, "1979-05-27T07:32:00"),
                    datetime(DateTimeKind::Time, "07:32:00"),
                    datetime(DateTimeKind::Offset, "1979-05-27T00:32:00.999999-07:00"),
                ]),
            ),
        ]);
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.text,
            "{\n  \"date\": \"1979-05-27T07:32:00Z\",\n  \"dates\": [\n    \"1979-05-27\",\n    \
             \"1979-05-27T07:32:00\",\n    \"07:32:00\",\n    \"1979-05-27T00:32:00.999999-07:00\"\n  ]\n}"
        );
        let to_string = |key: &str, text: &str| Note::DateTimeToString {
            key: key.to_string(),
            text: text.to_string(),
        };
        // The array first tried one line and fell back: each note is listed once.
        assert_eq!(
            emitted.notes,
            [
                to_string("date", "1979-05-27T07:32:00Z"),
                to_string("dates[0]", "1979-05-27"),
                to_string("dates[1]", "1979-05-27T07:32:00"),
                to_string("dates[2]", "07:32:00"),
                to_string("dates[3]", "1979-05-27T00:32:00.999999-07:00"),
            ]
        );
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn every_comment_is_listed_as_dropped() {
        let mut t = table(vec![
            ("title", string("T")),
            ("extra", sub(vec![("a", int(1))])),
            ("list", array(vec![sub(vec![("n", int(1))])])),
        ]);
        comment(&mut t, "title", &[" one", " two"], Some(" end"));
        comment(&mut t, "extra", &[], Some(" header"));
        comment(table_mut(&mut t, "extra"), "a", &[" about a"], None);
        table_mut(&mut t, "extra").trailing_comments = vec![" end of extra".into()];
        if let Value::Array(items) = &mut t.entries.get_mut("list").unwrap().node.value
            && let Value::Table(element) = &mut items[0].value
        {
            element.trailing_comments = vec![" end of element".into()];
        }
        t.trailing_comments = vec![" the end".into()];
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.notes,
            [
                dropped(Some("title"), " one"),
                dropped(Some("title"), " two"),
                dropped(Some("title"), " end"),
                dropped(Some("extra"), " header"),
                dropped(Some("extra.a"), " about a"),
                dropped(Some("extra"), " end of extra"),
                dropped(Some("list[0]"), " end of element"),
                dropped(None, " the end"),
            ]
        );
        reads_back(&t, &emitted.text);
    }

    fn count(t: &Table, comments: &mut usize, datetimes: &mut usize) {
        *comments += t.trailing_comments.len();
        for (_, entry) in t.iter() {
            *comments +=
                entry.comments.before.len() + usize::from(entry.comments.trailing.is_some());
            count_value(&entry.node, comments, datetimes);
        }
    }

    fn count_value(node: &Node, comments: &mut usize, datetimes: &mut usize) {
        match &node.value {
            Value::DateTime(_) => *datetimes += 1,
            Value::Array(items) => items
                .iter()
                .for_each(|n| count_value(n, comments, datetimes)),
            Value::Table(t) => count(t, comments, datetimes),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn random_tables_read_back_the_same(t in arb_table(true)) {
            let emitted = emit(&t).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let parsed: serde_json::Value = serde_json::from_str(&emitted.text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
            same_object(&t, &parsed, "")
                .map_err(|why| TestCaseError::fail(format!("{why}\n--- text:\n{}", emitted.text)))?;
            let (mut comments, mut datetimes) = (0, 0);
            count(&t, &mut comments, &mut datetimes);
            let dropped = emitted.notes.iter().filter(|n| matches!(n, Note::DroppedComment { .. })).count();
            prop_assert_eq!(dropped, comments);
            prop_assert_eq!(emitted.notes.len() - dropped, datetimes);
        }
    }
}
