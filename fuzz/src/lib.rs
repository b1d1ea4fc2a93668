//! Helpers shared by the fuzz targets: a reader that hands out bytes in small pieces (so the
//! prefix-reading fast path is exercised), layout sanity checks, and value comparison that
//! allows the one change the SPEC names (a date-time becomes its RFC 3339 string in JSON).

use std::io::Read;

use fmx::document::{Layout, Split};
use fmx::formats::Limits;
use fmx::value::{Node, Table, Value};

/// Limits small enough that fuzz inputs (a few KiB) reach every limit path.
pub const SMALL: Limits = Limits {
    max_depth: 4,
    max_alias_nodes: 16,
    max_block_bytes: 40,
};

/// Hands out `data` at most `step` bytes per `read`.
pub struct Chunked<'a> {
    pub data: &'a [u8],
    pub step: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.max(1).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The ranges of a layout are in order, inside the file, and the body runs to its end.
pub fn assert_layout_sane(l: &Layout, len: usize) {
    let start = if l.bom { 3 } else { 0 };
    assert_eq!(l.prefix.start, start, "{l:?}");
    assert!(l.prefix.end <= l.open.start, "{l:?}");
    assert!(l.open.end <= l.content.start, "{l:?}");
    assert!(l.content.start <= l.content.end, "{l:?}");
    assert!(l.content.end <= l.close.start, "{l:?}");
    assert!(l.close.start <= l.close.end, "{l:?}");
    assert!(l.close.end <= l.body.start, "{l:?}");
    assert_eq!(l.body.end, len, "{l:?}");
    assert!(l.open_line >= 1 && l.open_line <= l.content_line, "{l:?}");
    assert!(l.content_line <= l.close_line.max(l.content_line), "{l:?}");
}

/// Two splits agree: equal, except that a layout found in a prefix ends its body at the end
/// of that prefix.
pub fn same_split(prefix: &Split, full: &Split) -> bool {
    match (prefix, full) {
        (Split::Found(a), Split::Found(b)) => {
            let mut a = a.clone();
            a.body.end = b.body.end;
            &a == b
        }
        (a, b) => a == b,
    }
}

/// What a value reads as after conversion to JSON: date-times become their RFC 3339 text.
pub fn json_view(value: &Value) -> Value {
    match value {
        Value::DateTime(d) => Value::String(d.text.clone()),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|n| Node::new(json_view(&n.value), n.pos))
                .collect(),
        ),
        Value::Table(t) => Value::Table(json_table(t)),
        other => other.clone(),
    }
}

pub fn json_table(t: &Table) -> Table {
    let mut out = t.clone();
    for (_, entry) in out.entries.iter_mut() {
        entry.node.value = json_view(&entry.node.value);
    }
    out
}

/// Data equality where table key order does not count (TOML moves plain keys before
/// tables, and the report lists each move). Written here, apart from the converter's own
/// comparison, so the oracle does not share its bugs.
pub fn same_data(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Table(x), Value::Table(y)) => same_table(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_data(&p.value, &q.value))
        }
        _ => a.same_value(b),
    }
}

pub fn same_table(x: &Table, y: &Table) -> bool {
    x.len() == y.len()
        && x.iter().all(|(k, e)| {
            y.get(k)
                .is_some_and(|f| same_data(&e.node.value, &f.node.value))
        })
}
