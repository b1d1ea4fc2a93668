//! `key-order`: top-level keys in the order `key-order = [...]` in `fmx.toml` gives. Its
//! page, its check, and its fix (the keys' lines moved as whole segments) in one unit.

use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::edit::{Edit, Fix};
use crate::load::Post;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"Top-level keys that are not in the order `key-order` in `fmx.toml` gives.
The keys it lists come first, in its order; keys it does not list follow
them, in the order they are written. The diagnostic points at the first
key out of place."#,
        why: r#"When every post lists `title`, `date` and `tags` in the same order, a
reader finds them at a glance and a diff between two posts shows what
differs, not where it was written."#,
        example: r#"$ cat fmx.toml
key-order = ["title", "date"]

[rules]
key-order = "warn"

$ cat post.md
---
date: 1602377984
title: Hello
---

$ fmx check post.md
post.md:3:1: warning[key-order] `title` should come before `date`
  help: `fmx check --fix` reorders the keys"#,
        fix: r#"`fmx check --fix` moves each top-level key with the lines that follow it up
to the next key (its value, and comment lines after it), in YAML and TOML
blocks whose keys each start a line; the values are read back and compared
before the file is replaced. Reorder JSON front matter by hand."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(post) = cx.post else {
        return;
    };
    let Some(wanted) = wanted_order(post, &cx.schema.key_order) else {
        return;
    };
    let keys: Vec<&String> = post.table.entries.keys().collect();
    let Some(i) = (0..keys.len()).find(|&i| *keys[i] != wanted[i]) else {
        return;
    };
    let misplaced = &wanted[i];
    let Some(entry) = post.table.get(misplaced) else {
        return;
    };
    let d = Diagnostic::new(
        Rule::KeyOrder,
        entry.key_pos,
        format!("`{misplaced}` should come before `{}`", keys[i]),
    );
    out.push(match reorder_edit(cx.bytes, post, &wanted) {
        Some(edit) => d
            .with_help("`fmx check --fix` reorders the keys")
            .with_fix(Fix {
                edits: vec![edit],
                reorder: Some(wanted),
                values: Default::default(),
            }),
        None => d,
    });
}

/// The keys in the wanted order, or `None` when they are in it already.
fn wanted_order(post: &Post, order: &[String]) -> Option<Vec<String>> {
    if order.is_empty() {
        return None;
    }
    let table = &post.table;
    let mut wanted: Vec<String> = order
        .iter()
        .filter(|k| table.get(k).is_some())
        .cloned()
        .collect();
    wanted.extend(table.entries.keys().filter(|k| !order.contains(k)).cloned());
    let same = table.entries.keys().eq(wanted.iter());
    (!same).then_some(wanted)
}

/// One edit rewriting the run of top-level entries with their segments in the wanted
/// order. A segment runs from its key's line to the next key's line, so comment lines
/// above a key move with it. `None` when the keys do not each start a line (a flow
/// mapping, JSON): then there is no fix.
fn reorder_edit(bytes: &[u8], post: &Post, wanted: &[String]) -> Option<Edit> {
    let layout = &post.layout;
    if layout.format == Format::Json {
        return None;
    }
    let content = layout.content.clone();
    let mut starts = Vec::with_capacity(post.table.len());
    let mut at = content.start;
    let mut line = layout.content_line;
    for (_, entry) in post.table.iter() {
        if entry.key_pos.col != 1 || entry.key_pos.line < line {
            return None;
        }
        while line < entry.key_pos.line {
            at += bytes[at..content.end].iter().position(|&b| b == b'\n')? + 1;
            line += 1;
        }
        starts.push(at);
    }
    // Comment lines above the first key stay where they are.
    let first = *starts.first()?;
    if !bytes[..content.end].ends_with(b"\n") {
        return None;
    }
    let keys: Vec<&String> = post.table.entries.keys().collect();
    let segment = |i: usize| {
        let end = starts.get(i + 1).copied().unwrap_or(content.end);
        &bytes[starts[i]..end]
    };
    let mut text = Vec::with_capacity(content.end - first);
    for key in wanted {
        let i = keys.iter().position(|k| *k == key)?;
        text.extend_from_slice(segment(i));
    }
    Some(Edit {
        range: first..content.end,
        replacement: String::from_utf8(text).ok()?,
        rule: Rule::KeyOrder,
    })
}
