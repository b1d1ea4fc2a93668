//! `wrong-length`: a string or array outside its field's `min-length`/`max-length`, or an
//! array outside its `min-items`/`max-items`. Its page and its check in one unit.

use super::fields::judged;
use crate::config::Schema;
use crate::diagnostic::Diagnostic;
use crate::value::{Table, Value};

use super::{Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A field whose value is too short or too long for its spec in `fmx.toml`:
`min-length` and `max-length` count the characters of a string (Unicode
scalar values) and the items of an array; `min-items` and `max-items` count
the items of an array. A null or empty required field is `empty-field`."#,
        why: r#"Titles and descriptions have limits where they are shown: a search result
cuts a description after about 160 characters, a social card a title after
about 70. A list of tags or authors may need at least one item."#,
        example: r#"$ cat fmx.toml
[fields.title]
type = "string"
max-length = 10

[fields.tags]
min-items = 1

$ cat post.md
---
title: A title that is far too long
tags: []
---

$ fmx check post.md
post.md:2:8: error[wrong-length] `title` is longer than its max-length 10 (length 28)
post.md:3:7: error[wrong-length] `tags` has 0 items, fewer than its min-items 1"#,
        fix: r#"Shorten or lengthen the value by hand: there is no automatic fix."#,
    },
    check: |cx, out| super::on_table(cx, out, check_table),
};

/// The check on a post's table (also run by `fields::check_values`).
pub fn check_table(table: &Table, schema: &Schema, out: &mut Vec<Diagnostic>) {
    for (name, node, spec) in judged(table, schema) {
        let len = match &node.value {
            Value::String(s) => s.chars().count(),
            Value::Array(a) => a.len(),
            _ => continue,
        };
        let at = |message: String| Diagnostic::new(Rule::WrongLength, node.pos, message);
        if let Some(min) = spec.min_length.filter(|&m| len < m) {
            out.push(at(format!(
                "`{name}` is shorter than its min-length {min} (length {len})"
            )));
        }
        if let Some(max) = spec.max_length.filter(|&m| len > m) {
            out.push(at(format!(
                "`{name}` is longer than its max-length {max} (length {len})"
            )));
        }
        if !matches!(node.value, Value::Array(_)) {
            continue;
        }
        if let Some(min) = spec.min_items.filter(|&m| len < m) {
            out.push(at(format!(
                "`{name}` has {len} items, fewer than its min-items {min}"
            )));
        }
        if let Some(max) = spec.max_items.filter(|&m| len > m) {
            out.push(at(format!(
                "`{name}` has {len} items, more than its max-items {max}"
            )));
        }
    }
}
