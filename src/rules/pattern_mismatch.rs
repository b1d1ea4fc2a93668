//! `pattern-mismatch`: a string that does not match its field's `pattern` (or an array item
//! that does not match `items.pattern`). Its page and its check in one unit; the regexes
//! are compiled once, when the config is read.

use super::fields::{judged, judged_items};
use crate::config::Pattern;
use crate::config::Schema;
use crate::diagnostic::Diagnostic;
use crate::load::describe;
use crate::value::{Node, Table, Value};

use super::{Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A string field that does not match its `pattern` in `fmx.toml`, or an
item of an array field that does not match `items = { pattern = "…" }`.
A pattern is a regular expression (Rust's `regex` syntax) that must match
somewhere in the value, as in JSON Schema: anchor it with `^…$` to judge
the whole value. Values of other types are not judged."#,
        why: r#"Slugs, identifiers and tags often follow a shape the site relies on:
lowercase words and dashes in a URL, a ticket number, a language code. A
value of another shape makes a broken link or a page in the wrong place."#,
        example: r#"$ cat fmx.toml
[fields.slug]
pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"

[fields.tags]
items = { pattern = "^[a-z]+$" }

$ cat post.md
---
slug: Hello World
tags: [rust, Web]
---

$ fmx check post.md
post.md:2:7: error[pattern-mismatch] `slug` does not match the pattern `^[a-z0-9]+(-[a-z0-9]+)*$`, found string "Hello World"
post.md:3:14: error[pattern-mismatch] `tags[1]` does not match the pattern `^[a-z]+$`, found string "Web""#,
        fix: r#"Change the value to the expected shape by hand: there is no automatic
fix."#,
    },
    check: |cx, out| super::on_table(cx, out, check_table),
};

/// The check on a post's table (also run by `fields::check_values`).
pub fn check_table(table: &Table, schema: &Schema, out: &mut Vec<Diagnostic>) {
    for (name, node, spec) in judged(table, schema) {
        if let Some(pattern) = &spec.pattern {
            mismatch(name, node, pattern, out);
        }
        if let Some(items) = &spec.items
            && let Some(pattern) = &items.pattern
        {
            for (item_name, item) in judged_items(name, node, items) {
                mismatch(&item_name, item, pattern, out);
            }
        }
    }
}

fn mismatch(name: &str, node: &Node, pattern: &Pattern, out: &mut Vec<Diagnostic>) {
    if let Value::String(s) = &node.value
        && !pattern.0.is_match(s)
    {
        out.push(Diagnostic::new(
            Rule::PatternMismatch,
            node.pos,
            format!(
                "`{name}` does not match the pattern `{}`, found {}",
                pattern.0.as_str(),
                describe(&node.value)
            ),
        ));
    }
}
