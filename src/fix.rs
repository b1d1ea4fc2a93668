//! `fmx check --fix`: the safe fixes, as byte edits verified by parsing the result again.
//!
//! A fix never touches the body and never changes any value but the one it fixes: after the
//! edits, the file is split and parsed again, the body compared byte for byte and every
//! value compared with what the fixes meant to write. Any difference and the file is left
//! as it was.

use std::ops::Range;

use crate::check::fields;
use crate::config::{FieldType, Schema};
use crate::document::Layout;
pub use crate::edit::Edit;
use crate::edit::{self, Edited, Expected};
use crate::formats::Limits;
use crate::load::{BlockError, LoadError, Post};
use crate::rules::Rule;
use crate::value::{Node, Pos, Table, Value};

/// The fixed file, or `None` when there is nothing to fix (or no fix survives checking).
pub type Fixed = Edited;

/// Computes and verifies the fixes for the enabled fixable rules.
pub fn fix(bytes: &[u8], schema: &Schema, limits: &Limits) -> Option<Fixed> {
    let loaded = Post::load(bytes, limits);
    let layout = match &loaded {
        Ok(post) => &post.layout,
        Err(LoadError::Block {
            layout,
            error: BlockError::NotAMapping { .. },
        }) => layout,
        Err(_) => return None,
    };
    let on = |rule: Rule| schema.severity(rule).is_some();
    let mut edits = Vec::new();
    let duplicates = loaded.as_ref().map_or(0, |post| post.duplicates.len());
    let (expected, found) = match &loaded {
        Ok(post) => {
            let mut expected = post.table.clone();
            if on(Rule::DateNotEpoch) {
                epoch_edits(bytes, layout, schema, &mut expected, &mut edits)?;
            }
            (Some(expected), None)
        }
        Err(LoadError::Block {
            error: BlockError::NotAMapping { found, .. },
            ..
        }) => (None, Some(found.as_str())),
        Err(_) => return None,
    };
    let mut expected = expected;
    unit_edits(
        bytes,
        layout,
        loaded.as_ref().ok(),
        schema,
        expected.as_mut(),
        &mut edits,
    );
    if edits.is_empty() {
        return None;
    }
    let expect = match (&expected, found) {
        (Some(table), _) => Expected::Table { table, duplicates },
        (None, found) => Expected::NotAMapping(found.unwrap_or_default()),
    };
    edit::apply(
        bytes,
        layout.format,
        layout.body.clone(),
        edits,
        expect,
        limits,
    )
    .ok()
}

/// The fixes the unit rules attach to their diagnostics; `expected` takes what they do to
/// the values.
fn unit_edits(
    bytes: &[u8],
    layout: &Layout,
    post: Option<&Post>,
    schema: &Schema,
    mut expected: Option<&mut Table>,
    edits: &mut Vec<Edit>,
) {
    let mut found = Vec::new();
    crate::check::run_units(bytes, Some(layout), post, schema, &mut found);
    for fix in found.into_iter().filter_map(|d| d.fix) {
        if let (Some(order), Some(expected)) = (&fix.reorder, expected.as_deref_mut()) {
            let mut entries = std::mem::take(&mut expected.entries);
            for key in order {
                if let Some(entry) = entries.shift_remove(key) {
                    expected.entries.insert(key.clone(), entry);
                }
            }
            expected.entries.extend(entries);
        }
        if let Some(expected) = expected.as_deref_mut() {
            for (pos, value) in fix.values.0 {
                set_at(expected, pos, value);
            }
        }
        edits.extend(fix.edits);
    }
}

/// Gives the node at `pos` its new value.
fn set_at(table: &mut Table, pos: Pos, value: Value) {
    let mut stack: Vec<&mut Node> = table.entries.values_mut().map(|e| &mut e.node).collect();
    while let Some(node) = stack.pop() {
        if node.pos == pos && !matches!(node.value, Value::Table(_) | Value::Array(_)) {
            node.value = value;
            return;
        }
        match &mut node.value {
            Value::Table(t) => stack.extend(t.entries.values_mut().map(|e| &mut e.node)),
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
}

/// Date fields typed `epoch` whose value can be written as epoch seconds; `expected` gets
/// the new values. `None` when a new value is not a number (never expected).
fn epoch_edits(
    bytes: &[u8],
    layout: &Layout,
    schema: &Schema,
    expected: &mut Table,
    edits: &mut Vec<Edit>,
) -> Option<()> {
    for (key, spec) in &schema.fields {
        if spec.ty != Some(FieldType::Epoch) {
            continue;
        }
        let Some(entry) = expected.entries.get_mut(key) else {
            continue;
        };
        let Some(digits) = fields::epoch_fix(&entry.node.value, spec) else {
            continue;
        };
        let Some(range) = value_range(bytes, layout, &entry.node) else {
            continue;
        };
        edits.push(Edit {
            range,
            replacement: digits.clone(),
            rule: Rule::DateNotEpoch,
        });
        entry.node.value = Value::number(&digits)?;
    }
    Some(())
}

/// The bytes a single-line scalar value occupies: a quoted string to its closing quote, a
/// bare value to the end of its line (before a comment).
fn value_range(bytes: &[u8], layout: &Layout, node: &Node) -> Option<Range<usize>> {
    let start = edit::offset_of(bytes, layout, node.pos)?;
    let rest = &bytes[start..layout.content.end];
    let line_end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let line = &rest[..line_end];
    let len = match line.first()? {
        b'"' => {
            if line.starts_with(b"\"\"\"") {
                return None;
            }
            let mut escaped = false;
            let close = line.iter().enumerate().skip(1).find_map(|(i, &b)| {
                if escaped {
                    escaped = false;
                    None
                } else if b == b'\\' {
                    escaped = true;
                    None
                } else {
                    (b == b'"').then_some(i)
                }
            })?;
            close + 1
        }
        b'\'' => {
            if line.starts_with(b"'''") {
                return None;
            }
            let mut i = 1;
            loop {
                match line.get(i)? {
                    b'\'' if line.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break i + 1,
                    _ => i += 1,
                }
            }
        }
        _ => {
            let cut = line
                .windows(2)
                .position(|w| w[1] == b'#' && (w[0] == b' ' || w[0] == b'\t'))
                .unwrap_or(line.len());
            let mut end = cut;
            while end > 0 && matches!(line[end - 1], b' ' | b'\t' | b',') {
                end -= 1;
            }
            end
        }
    };
    Some(start..start + len)
}
