//! `not-unique`: an array field with `unique-items = true` that repeats an item, reported at
//! the repeat and naming the first. Its page and its check in one unit.

use std::collections::HashMap;

use crate::check::fields::judged;
use crate::diagnostic::Diagnostic;
use crate::schema::json::node_to_json;
use crate::value::Value;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A value that must be unique and is not: an item repeated in an array field
with `unique-items = true` in `fmx.toml`, reported at the repeat and naming
the first one. Items are compared as JSON sees them."#,
        why: r#"A tag listed twice shows twice, or counts the post twice on the tag's
page; an author listed twice is credited twice."#,
        example: r#"$ cat fmx.toml
[fields.tags]
unique-items = true

$ cat post.md
---
tags: [rust, web, rust]
---

$ fmx check post.md
post.md:2:19: error[not-unique] `tags[2]` repeats `tags[0]` (string "rust") at 2:8"#,
        fix: r#"Remove the repeated item by hand: there is no automatic fix."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(post) = cx.post else {
        return;
    };
    for (name, node, spec) in judged(&post.table, cx.schema) {
        let (true, Value::Array(items)) = (spec.unique_items, &node.value) else {
            continue;
        };
        let mut first = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let key = node_to_json(item).to_string();
            let Some(&(j, pos)) = first.get(&key) else {
                first.insert(key, (i, item.pos));
                continue;
            };
            let pos: crate::value::Pos = pos;
            out.push(Diagnostic::new(
                Rule::NotUnique,
                item.pos,
                format!(
                    "`{name}[{i}]` repeats `{name}[{j}]` ({}) at {}:{}",
                    crate::load::describe(&item.value),
                    pos.line,
                    pos.col
                ),
            ));
        }
    }
}
