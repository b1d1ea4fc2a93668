//! toml front matter ⇄ [`Node`](crate::value::Node).
//!
//! Reading: the `toml` crate parses (with spans) and judges validity; `toml_parser`'s event
//! stream, walked once in [`outline`], adds what the crate does not keep: nesting depth
//! checked before the crate runs, comments, and the first of two duplicate keys.

#[cfg(test)]
mod differential;
mod outline;
mod pos;
#[cfg(test)]
mod tests;
mod v11;

use toml::Spanned;
use toml::de::{DeFloat, DeInteger, DeTable, DeValue};
use toml::value::Datetime;
use toml_parser::Source;

use super::{DuplicateKey, Limits, ParseError, Parsed};
use crate::value::{DateTime, DateTimeKind, Entry, Float, Int, Node, Pos, Style, Table, Value};
use outline::{CommentMap, Seg};
use pos::Positions;
pub use v11::{Toml11Construct, Toml11Syntax};

/// Parses a TOML block whose first character stands at column 1 of file line `first_line`.
///
/// Duplicate keys and redefined tables are fatal in TOML: they come back as
/// [`ParseError::Duplicate`] with both positions, so `Parsed::duplicates` is always empty.
pub fn parse(text: &str, first_line: u32, limits: &Limits) -> Result<Parsed, ParseError> {
    if text.len() > limits.max_block_bytes {
        return Err(ParseError::Limit {
            pos: Pos::new(first_line, 1),
            message: format!("front matter larger than {} bytes", limits.max_block_bytes),
        });
    }
    let positions = Positions::new(text, first_line);
    // The caller folded every CRLF to LF, so a CR left in `text` stood alone in the file
    // (toml-test `invalid/control/bare-cr`). A CR before a CRLF is folded into a CRLF
    // again, which the crate would accept: it is refused here.
    if let Some(at) = memchr::memchr(b'\r', text.as_bytes()) {
        return Err(ParseError::Syntax {
            pos: positions.at(at),
            message: "a carriage return not followed by a line feed (TOML allows CR only in \
                      a CRLF line ending)"
                .to_owned(),
        });
    }
    // The `toml` crate skips a byte order mark at the start of what it is given, but here
    // that is the start of the block, not of the file: TOML readers (tomllib, go-toml)
    // refuse it there (toml-test `invalid/encoding/bom-not-at-start-02`).
    if text.starts_with('\u{feff}') {
        return Err(ParseError::Syntax {
            pos: positions.at(0),
            message: "a byte order mark (U+FEFF) is allowed only at the start of the file"
                .to_owned(),
        });
    }
    let source = Source::new(text);
    let events = outline::events(source, limits.max_depth);
    let outline = outline::walk(source, &events, limits.max_depth, false);
    if let Some(at) = outline.too_deep {
        return Err(too_deep(positions.at(at), limits.max_depth));
    }
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(err) => return Err(crate_error(&err, source, &events, &positions, limits)),
    };
    let root_pos = positions.at(table.span().start);
    let toml11 = v11::find(source, &events, &positions);
    let mut reader = Reader {
        text,
        positions: Some(positions),
        comments: outline.comments,
    };
    let mut root = reader.table(table.into_inner())?;
    root.trailing_comments = std::mem::take(&mut reader.comments.root);
    let root = Node::new(Value::Table(root), root_pos).with_style(Style::Block);
    Ok(Parsed {
        root,
        duplicates: Vec::new(),
        toml11,
        yaml_readings: None,
    })
}

/// Every comment of a block, in order: its position and the text after `#` (for counting,
/// as [`yaml::comments_in`](crate::formats::yaml::comments_in)).
pub fn comments_in(text: &str, first_line: u32) -> Vec<(Pos, String)> {
    let positions = Positions::new(text, first_line);
    Source::new(text)
        .lex()
        .filter(|token| token.kind() == toml_parser::lexer::TokenKind::Comment)
        .map(|token| {
            let span = token.span();
            let body = text.get(span.start() + 1..span.end()).unwrap_or("");
            (positions.at(span.start()), body.to_owned())
        })
        .collect()
}

/// Values only, without positions or comments: for reading back the TOML fmx wrote, where
/// only values are compared. Nesting is bounded by the crate's own recursion limit (the
/// text was written from a value already within `max_depth`).
pub fn parse_values(text: &str) -> Result<Parsed, ParseError> {
    let table = DeTable::parse(text).map_err(|err| ParseError::Syntax {
        pos: Positions::new(text, 1).at(err.span().map_or(0, |s| s.start)),
        message: err.message().trim().to_owned(),
    })?;
    let mut reader = Reader {
        text,
        positions: None,
        comments: CommentMap::default(),
    };
    let root = reader.table(table.into_inner())?;
    Ok(Parsed {
        root: Node::new(Value::Table(root), Pos::default()).with_style(Style::Block),
        duplicates: Vec::new(),
        toml11: Vec::new(),
        yaml_readings: None,
    })
}

fn too_deep(pos: Pos, max_depth: usize) -> ParseError {
    ParseError::Limit {
        pos,
        message: format!("nesting deeper than {max_depth} levels"),
    }
}

/// Turns the `toml` crate's error into ours: its short message at its span, or a duplicate
/// key with the first occurrence found by walking the keys.
fn crate_error(
    err: &toml::de::Error,
    source: Source<'_>,
    events: &[toml_parser::parser::Event],
    positions: &Positions<'_>,
    limits: &Limits,
) -> ParseError {
    let message = err.message().trim();
    let span = err.span();
    let pos = positions.at(span.as_ref().map_or(0, |s| s.start));
    if message == "recursion limit" || message.starts_with("cannot recurse further") {
        return too_deep(pos, limits.max_depth.min(80));
    }
    let redefined =
        message == "duplicate key" || message.starts_with("cannot extend value of type");
    if let (true, Some(span)) = (redefined, span) {
        let outline = outline::walk(source, events, usize::MAX, true);
        if let Some((first, second)) = outline::first_definition(&outline.keys, span.start) {
            let key = match second.id.last() {
                Some(Seg::Key(name)) => name.to_string(),
                _ => String::new(),
            };
            return ParseError::Duplicate(DuplicateKey {
                key,
                pos: positions.at(second.span.start),
                first: positions.at(first.span.start),
            });
        }
    }
    ParseError::Syntax {
        pos,
        message: message.to_owned(),
    }
}

/// Builds [`Node`]s from the crate's spanned values.
struct Reader<'a> {
    text: &'a str,
    /// `None` when positions are not wanted (every position is then the default).
    positions: Option<Positions<'a>>,
    comments: CommentMap,
}

impl Reader<'_> {
    fn at(&self, offset: usize) -> Pos {
        self.positions
            .as_ref()
            .map_or_else(Pos::default, |p| p.at(offset))
    }

    fn table(&mut self, table: DeTable<'_>) -> Result<Table, ParseError> {
        let mut out = Table::default();
        out.entries.reserve(table.len());
        for (key, value) in table {
            let key_start = key.span().start;
            let mut entry = Entry::new(self.at(key_start), self.node(value)?);
            if let Some(comments) = self.comments.keys.remove(&key_start) {
                entry.comments = comments;
            }
            out.entries.insert(key.into_inner().into_owned(), entry);
        }
        Ok(out)
    }

    fn node(&mut self, value: Spanned<DeValue<'_>>) -> Result<Node, ParseError> {
        let span = value.span();
        let pos = self.at(span.start);
        let first = self.text.as_bytes().get(span.start).copied();
        let raw = self.text.get(span.clone()).unwrap_or("");
        let (value, style) = match value.into_inner() {
            DeValue::String(s) => {
                let style = if first == Some(b'\'') {
                    Style::SingleQuoted
                } else {
                    Style::DoubleQuoted
                };
                (Value::String(s.into_owned()), style)
            }
            DeValue::Integer(i) => (Value::Int(integer(&i, raw, pos)?), Style::Plain),
            DeValue::Float(f) => (Value::Float(float(&f, raw, pos)?), Style::Plain),
            DeValue::Boolean(b) => (Value::Bool(b), Style::Plain),
            DeValue::Datetime(d) => (Value::DateTime(datetime(&d, raw)), Style::Plain),
            DeValue::Array(array) => {
                // An array of tables shares its span with its first `[[header]]` table.
                let of_tables = array.first().is_some_and(|t| {
                    t.span().start == span.start && matches!(t.get_ref(), DeValue::Table(_))
                });
                let mut items = Vec::with_capacity(array.len());
                for item in array {
                    items.push(self.node(item)?);
                }
                let style = if of_tables { Style::Block } else { Style::Flow };
                (Value::Array(items), style)
            }
            DeValue::Table(table) => {
                let out = self.table(table)?;
                let style = if first == Some(b'{') {
                    Style::Flow
                } else {
                    Style::Block
                };
                (Value::Table(out), style)
            }
        };
        Ok(Node::new(value, pos).with_style(style))
    }
}

/// TOML integers are 64-bit; the crate leaves the range check to its deserializer.
fn integer(i: &DeInteger<'_>, raw: &str, pos: Pos) -> Result<Int, ParseError> {
    match i64::from_str_radix(i.as_str(), i.radix()) {
        Ok(value) => Ok(Int {
            value: i128::from(value),
        }),
        Err(_) => Err(ParseError::Syntax {
            pos,
            message: format!("integer `{raw}` is out of range for a 64-bit integer"),
        }),
    }
}

fn float(f: &DeFloat<'_>, raw: &str, pos: Pos) -> Result<Float, ParseError> {
    let text = f.as_str();
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let special = match unsigned {
        "nan" => Some(f64::NAN),
        "inf" => Some(f64::INFINITY),
        _ => None,
    };
    if let Some(value) = special {
        return Ok(Float::from_f64(if negative { -value } else { value }));
    }
    Float::from_decimal_text(text).ok_or_else(|| ParseError::Syntax {
        pos,
        message: format!("float `{raw}` is out of range"),
    })
}

/// RFC 3339 text of a TOML date-time: upper-case `T` and `Z`, a space separator turned into
/// `T`, seconds added where TOML 1.1 let them be left out, fraction digits as written.
fn datetime(d: &Datetime, raw: &str) -> DateTime {
    let kind = match (d.date.is_some(), d.time.is_some(), d.offset.is_some()) {
        (true, true, true) => DateTimeKind::Offset,
        (true, true, false) => DateTimeKind::Local,
        (true, false, _) => DateTimeKind::Date,
        _ => DateTimeKind::Time,
    };
    let mut text = raw.trim().to_ascii_uppercase();
    if d.date.is_some() && d.time.is_some() && text.len() > 10 && text.is_char_boundary(11) {
        text.replace_range(10..11, "T");
    }
    if let Some(time) = &d.time
        && time.second.is_none()
    {
        // `HH:MM` stands right after the date and its separator, or at the start.
        let at = if d.date.is_some() { 16 } else { 5 };
        if text.len() >= at && text.is_char_boundary(at) {
            text.insert_str(at, ":00");
        }
    }
    DateTime { kind, text }
}
pub mod write;
