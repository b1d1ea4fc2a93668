//! `fmx check --fix`: the safe fixes, as byte edits verified by parsing the result again.
//!
//! A fix never touches the body and never changes any value but the one it fixes: after the
//! edits, the file is split and parsed again, the body compared byte for byte and every
//! value compared with what the fixes meant to write. Any difference and the file is left
//! as it was.

use std::ops::Range;

use crate::check::{fields, parse_block};
use crate::config::{FieldType, Schema};
use crate::document::{self, Layout, Split};
use crate::formats::Limits;
use crate::rules::Rule;
use crate::value::{Node, Pos, Table, Value};

/// One replacement of bytes in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
    pub rule: Rule,
}

/// The fixed file, or `None` when there is nothing to fix (or no fix survives checking).
pub struct Fixed {
    pub bytes: Vec<u8>,
    pub edits: Vec<Edit>,
}

/// Computes and verifies the fixes for the enabled fixable rules.
pub fn fix(bytes: &[u8], schema: &Schema, limits: &Limits) -> Option<Fixed> {
    let Split::Found(layout) = document::split(bytes, true, limits.max_block_bytes) else {
        return None;
    };
    let on = |rule: Rule| schema.severity(rule).is_some();
    let mut edits = Vec::new();
    if on(Rule::Bom) && layout.bom {
        edits.push(Edit {
            range: 0..document::BOM.len(),
            replacement: String::new(),
            rule: Rule::Bom,
        });
    }
    if on(Rule::DelimiterWhitespace)
        && let Some(delim) = layout.format.delimiter()
    {
        for range in [&layout.open, &layout.close] {
            if range.len() > delim.len() {
                edits.push(Edit {
                    range: range.start + delim.len()..range.end,
                    replacement: String::new(),
                    rule: Rule::DelimiterWhitespace,
                });
            }
        }
    }
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).ok()?;
    let parsed = parse_block(&layout, text, limits).ok()?;
    let Value::Table(table) = &parsed.root.value else {
        return finish(bytes, &layout, edits, None, limits);
    };
    let mut expected = table.clone();
    if on(Rule::DateNotEpoch) {
        for (key, spec) in &schema.fields {
            if spec.ty != Some(FieldType::Epoch) {
                continue;
            }
            let Some(entry) = expected.entries.get_mut(key) else {
                continue;
            };
            let Some(digits) = fields::epoch_fix(&entry.node.value) else {
                continue;
            };
            let Some(range) = value_range(bytes, &layout, &entry.node) else {
                continue;
            };
            edits.push(Edit {
                range,
                replacement: digits.clone(),
                rule: Rule::DateNotEpoch,
            });
            entry.node.value = Value::number(&digits)?;
        }
    }
    if on(Rule::AmbiguousValue) && layout.format == document::Format::Yaml {
        for (node, s, _) in crate::check::ambiguous_strings(&parsed.root) {
            let Some(start) = offset_of(bytes, &layout, node.pos) else {
                continue;
            };
            if bytes.get(start..start + s.len()) != Some(s.as_bytes()) {
                continue;
            }
            edits.push(Edit {
                range: start..start + s.len(),
                replacement: serde_json::to_string(s).ok()?,
                rule: Rule::AmbiguousValue,
            });
        }
    }
    finish(bytes, &layout, edits, Some(&expected), limits)
}

fn finish(
    bytes: &[u8],
    layout: &Layout,
    mut edits: Vec<Edit>,
    expected: Option<&Table>,
    limits: &Limits,
) -> Option<Fixed> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.range.start);
    if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in &edits {
        out.extend_from_slice(&bytes[at..e.range.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.range.end;
    }
    out.extend_from_slice(&bytes[at..]);

    // Verify: same body bytes, and the values read back as intended.
    let Split::Found(new_layout) = document::split(&out, true, limits.max_block_bytes) else {
        return None;
    };
    if out[new_layout.body.clone()] != bytes[layout.body.clone()] {
        return None;
    }
    if let Some(expected) = expected {
        let text = std::str::from_utf8(&out[new_layout.content.clone()]).ok()?;
        let reread = parse_block(&new_layout, text, limits).ok()?;
        let Value::Table(back) = &reread.root.value else {
            return None;
        };
        if !back.same_value(expected) {
            return None;
        }
    }
    Some(Fixed { bytes: out, edits })
}

/// The byte offset in the file of a position inside the front matter.
fn offset_of(bytes: &[u8], layout: &Layout, pos: Pos) -> Option<usize> {
    let block = layout.content.clone();
    let mut line = layout.content_line;
    let mut start = block.start;
    while line < pos.line {
        start += bytes[start..block.end].iter().position(|&b| b == b'\n')? + 1;
        line += 1;
    }
    let text = std::str::from_utf8(&bytes[start..block.end]).ok()?;
    let skip = text
        .char_indices()
        .nth(pos.col.checked_sub(1)? as usize)
        .map(|(i, _)| i)?;
    Some(start + skip)
}

/// The bytes a single-line scalar value occupies: a quoted string to its closing quote, a
/// bare value to the end of its line (before a comment).
fn value_range(bytes: &[u8], layout: &Layout, node: &Node) -> Option<Range<usize>> {
    let start = offset_of(bytes, layout, node.pos)?;
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
