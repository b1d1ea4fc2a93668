//! Byte edits on a post: apply them, load the result again through [`Post::load`], and hand
//! it on only if the body is byte for byte the same and every value is what the edits meant.
//!
//! `check --fix`, `check --diff` and the server's code actions use it; the rules that fix a
//! value find its bytes with [`scalar_range`].

use std::ops::Range;

use crate::document::{Format, Layout};
use crate::formats::Limits;
use crate::load::{BlockError, LoadError, Post};
use crate::rules::Rule;
use crate::value::{Node, Pos, Table, Value};

/// One replacement of bytes in the file, and the rule it fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
    pub rule: Rule,
}

/// A diagnostic's repair: its edits, and what they do to the values (for verification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    /// The top-level keys in their new order, when the edits reorder them.
    pub reorder: Option<Vec<String>>,
    /// Values the edits change, by the position of their node (a `--fix` under a named
    /// YAML reading writes the value that reading sees).
    pub values: Values,
}

/// New values by node position; equal when the same nodes get the same values.
#[derive(Clone, Debug, Default)]
pub struct Values(pub Vec<(Pos, Value)>);

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((p, v), (q, w))| p == q && v.same_value(w))
    }
}

impl Eq for Values {}

impl Fix {
    /// What the fix does to the values: `table` (the values before) gets the new order and
    /// the new values, for [`Expected::Table`].
    pub fn apply_to(&self, table: &mut Table) {
        if let Some(order) = &self.reorder {
            let mut entries = std::mem::take(&mut table.entries);
            for key in order {
                if let Some(entry) = entries.shift_remove(key) {
                    table.entries.insert(key.clone(), entry);
                }
            }
            table.entries.extend(entries);
        }
        for (pos, value) in &self.values.0 {
            set_at(table, *pos, value.clone());
        }
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

/// What the edited file must read as.
#[derive(Clone, Copy, Debug)]
pub enum Expected<'a> {
    /// A table with exactly these values, and as many duplicate keys as before (edits
    /// never add one).
    Table { table: &'a Table, duplicates: usize },
    /// Still the same non-table front matter (a fix of the BOM, say, on a block that is a
    /// list): the block is not a post's key/value pairs before or after.
    NotAMapping(&'a str),
}

/// An edited file that verified, with the edits that made it.
#[derive(Clone, Debug)]
pub struct Edited {
    pub bytes: Vec<u8>,
    pub edits: Vec<Edit>,
}

/// Why edits were not applied.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("two edits overlap")]
    Overlap,
    #[error("the edited file would not read back: {0}")]
    DoesNotLoad(LoadError),
    #[error("the edited file would change the body")]
    BodyChanged,
    #[error("the edited file would read back with different values")]
    ValuesChanged,
}

/// The byte offset in the file of a position inside the front matter.
pub fn offset_of(bytes: &[u8], layout: &Layout, pos: Pos) -> Option<usize> {
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

/// Applies `edits` to `bytes` (a post whose format is `format` and whose body is `body`) and
/// verifies the result by loading it as a later run will.
pub fn apply(
    bytes: &[u8],
    format: Format,
    body: Range<usize>,
    mut edits: Vec<Edit>,
    expected: Expected<'_>,
    limits: &Limits,
) -> Result<Edited, EditError> {
    edits.sort_by_key(|e| e.range.start);
    if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
        return Err(EditError::Overlap);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in &edits {
        out.extend_from_slice(&bytes[at..e.range.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.range.end;
    }
    out.extend_from_slice(&bytes[at..]);
    verify(&out, format, &bytes[body], expected, limits)?;
    Ok(Edited { bytes: out, edits })
}

/// Loads `new` and checks it against what it must read as.
pub fn verify(
    new: &[u8],
    format: Format,
    body: &[u8],
    expected: Expected<'_>,
    limits: &Limits,
) -> Result<(), EditError> {
    let layout = match (Post::load(new, limits), expected) {
        (Ok(post), Expected::Table { table, duplicates }) => {
            if !post.table.same_value(table) || post.duplicates.len() != duplicates {
                return Err(EditError::ValuesChanged);
            }
            post.layout
        }
        (Err(LoadError::Block { layout, error }), Expected::NotAMapping(want)) => match error {
            BlockError::NotAMapping { found, .. } if found == want => *layout,
            error => return Err(EditError::DoesNotLoad(LoadError::Block { layout, error })),
        },
        (Ok(_), Expected::NotAMapping(_)) => return Err(EditError::ValuesChanged),
        (Err(e), _) => return Err(EditError::DoesNotLoad(e)),
    };
    if layout.format != format {
        return Err(EditError::ValuesChanged);
    }
    if &new[layout.body.clone()] != body {
        return Err(EditError::BodyChanged);
    }
    Ok(())
}

/// The bytes the single-line scalar value at `pos` occupies: a quoted string to its closing
/// quote, a bare value to the end of its line (before a comment). `None` for a value that
/// runs over several lines (a triple-quoted TOML string, an unclosed quote on the line).
pub fn scalar_range(bytes: &[u8], layout: &Layout, pos: Pos) -> Option<Range<usize>> {
    let start = offset_of(bytes, layout, pos)?;
    let rest = &bytes[start..layout.content.end];
    let line_end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let line = &rest[..line_end];
    let len = match line.first()? {
        b'"' => double_quoted_len(line)?,
        b'\'' => single_quoted_len(line)?,
        _ => bare_len(line),
    };
    Some(start..start + len)
}

/// A `"…"` string with backslash escapes, to its closing quote.
fn double_quoted_len(line: &[u8]) -> Option<usize> {
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
    Some(close + 1)
}

/// A `'…'` string, where `''` is a quote inside it, to its closing quote.
fn single_quoted_len(line: &[u8]) -> Option<usize> {
    if line.starts_with(b"'''") {
        return None;
    }
    let mut i = 1;
    loop {
        match line.get(i)? {
            b'\'' if line.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// A bare value: up to a ` #` comment, without trailing blanks or a flow's comma.
fn bare_len(line: &[u8]) -> usize {
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
