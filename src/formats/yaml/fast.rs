//! A fast path for the common front matter shape: one top-level block mapping of simple keys
//! to one-line plain or quoted scalars and simple `>`/`|` block scalars.
//!
//! [`parse_seeing`] answers only when it is certain to build exactly the tree [`super::read::read`]
//! builds (values, positions, styles, no comments, no duplicates); on anything else it
//! returns `None` and the full reader takes over. It never resolves a scalar itself: plain
//! scalars go through the same [`resolve_plain`] as the full reader.

use indexmap::IndexMap;

use super::scalar::resolve_plain;
use crate::formats::{Limits, Parsed};
use crate::value::{Entry, Node, Pos, Style, Table, Value};

/// Shown each plain scalar: its text, whether it is a key, its position, a value's value.
pub(super) type PlainSeen<'a> = dyn FnMut(&str, bool, Pos, Option<&Value>) + 'a;

/// Keys longer than this go to the full reader (YAML bounds implicit keys at 1024 characters).
const MAX_KEY_LEN: usize = 256;

/// One line of the block: its text without the line feed, and whether a line feed ended it.
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// 0-based index of the line in the block.
    index: usize,
    terminated: bool,
}

impl Line<'_> {
    /// Empty or only spaces (tabs never reach here).
    fn is_blank(&self) -> bool {
        self.text.bytes().all(|b| b == b' ')
    }

    fn indent(&self) -> usize {
        self.text.bytes().take_while(|&b| b == b' ').count()
    }
}

struct Lines<'a> {
    rest: &'a str,
    index: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (text, terminated, rest) = match self.rest.split_once('\n') {
            Some((text, rest)) => (text, true, rest),
            None => (self.rest, false, ""),
        };
        self.rest = rest;
        let line = Line {
            text,
            index: self.index,
            terminated,
        };
        self.index += 1;
        Some(line)
    }
}

/// The fast reading of `text`, or `None` when the block is outside the subset this path is
/// sure about. `Some` is always identical to what [`super::read::read`] returns.
///
/// It shows `plain_seen` every plain scalar (its text, whether it is a key, its position,
/// and a value's resolved value) in source order, so that the YAML 1.1 readings need no
/// second parser for the blocks this path reads. After `None`, what it was shown is void.
pub(super) fn parse_seeing(
    text: &str,
    first_line: u32,
    limits: &Limits,
    plain_seen: &mut PlainSeen<'_>,
) -> Option<Parsed> {
    if limits.max_depth == 0 || text.len() > limits.max_block_bytes || !plain_chars(text) {
        return None;
    }
    let pos = |index: usize, col: usize| -> Option<Pos> {
        let line = u32::try_from(index).ok()?;
        let col = u32::try_from(col).ok()?.checked_add(1)?;
        Some(Pos::new(first_line.saturating_add(line), col))
    };
    let mut entries: IndexMap<String, Entry> = IndexMap::new();
    let mut root_pos = Pos::new(first_line, 1);
    let mut lines = Lines {
        rest: text,
        index: 0,
    }
    .peekable();
    while let Some(line) = lines.next() {
        if line.is_blank() {
            continue;
        }
        let (key, colon_col, after) = key(line.text)?;
        let key_pos = pos(line.index, 0)?;
        plain_seen(key, true, key_pos, None);
        let value = after.trim_start_matches(' ');
        // Only spaces between the colon and the value.
        let value_col = colon_col + 1 + (after.len() - value.len());
        let value = value.trim_end_matches(' ');
        let node = match value.as_bytes().first() {
            // `key:` alone: a zero-width plain null where the colon stands.
            None => Node::new(Value::Null, pos(line.index, colon_col)?),
            Some(b'|' | b'>') => block_scalar(value, &mut lines, &pos)?,
            Some(_) => {
                let at = pos(line.index, value_col)?;
                one_line_scalar(value, at, plain_seen)?
            }
        };
        // A value line must not be continued by an indented line (multi-line plain or quoted
        // scalar, nested collection): the next non-blank line starts in column 1.
        if !matches!(node.style, Style::Literal | Style::Folded) && !next_is_key_or_end(&mut lines)
        {
            return None;
        }
        if entries.is_empty() {
            root_pos = key_pos;
        }
        if entries.contains_key(key) {
            // Duplicates: the full reader reports them.
            return None;
        }
        entries.insert(key.to_owned(), Entry::new(key_pos, node));
    }
    let table = Table {
        entries,
        trailing_comments: Vec::new(),
    };
    Some(Parsed {
        root: Node::new(Value::Table(table), root_pos).with_style(Style::Block),
        duplicates: Vec::new(),
        toml11: Vec::new(),
        yaml_readings: None,
    })
}

/// A quoted or plain scalar on one line (trailing spaces trimmed), standing at `at`.
fn one_line_scalar(value: &str, at: Pos, plain_seen: &mut PlainSeen<'_>) -> Option<Node> {
    Some(match value.as_bytes().first()? {
        b'\'' => {
            Node::new(Value::String(single_quoted(value)?), at).with_style(Style::SingleQuoted)
        }
        b'"' => Node::new(Value::String(double_quoted(value)?.to_owned()), at)
            .with_style(Style::DoubleQuoted),
        _ => {
            let node = Node::new(plain(value)?, at);
            plain_seen(value, false, at, Some(&node.value));
            node
        }
    })
}

/// No tab, CR or other control character, no BOM, nothing YAML does not allow or reads as a
/// line break (NEL, LS, PS).
fn plain_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A branch-free pass the compiler vectorises: control characters, and the lead bytes of
    // the only multi-byte characters refused (C2 80..9F, E2 80 A8/A9, EF BB BF, EF BF BE/BF).
    let mut suspect = false;
    for chunk in bytes.chunks(64) {
        let (control, lead) = chunk.iter().fold((false, false), |(c, l), &b| {
            (
                c | ((b < 0x20) & (b != b'\n')) | (b == 0x7f),
                l | (b == 0xc2) | (b == 0xe2) | (b == 0xef),
            )
        });
        if control {
            return false;
        }
        suspect |= lead;
    }
    !suspect || !(bytes.windows(3).any(refused_char) || matches!(bytes, [.., 0xc2, 0x80..=0x9f]))
}

/// Whether `w` starts with the UTF-8 encoding of a character [`plain_chars`] refuses.
fn refused_char(w: &[u8]) -> bool {
    match *w {
        [0xc2, b, _] => (0x80..=0x9f).contains(&b),
        [0xe2, 0x80, b] => b == 0xa8 || b == 0xa9,
        [0xef, 0xbb, 0xbf] | [0xef, 0xbf, 0xbe | 0xbf] => true,
        _ => false,
    }
}

/// `key:` at column 1 followed by a space or the end of the line: the key, the column (0-based,
/// in characters) of the colon, and what follows the colon. A key starts with a letter, digit,
/// `_` or non-ASCII character and goes on with those, `.`, `-` and spaces; spaces before the
/// colon are not part of it (`title : x`).
fn key(line: &str) -> Option<(&str, usize, &str)> {
    let bytes = line.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_alphanumeric() || first == b'_' || first >= 0x80) {
        return None;
    }
    let len = bytes
        .iter()
        .take_while(|&&b| {
            b.is_ascii_alphanumeric() || b >= 0x80 || matches!(b, b'_' | b'.' | b'-' | b' ')
        })
        .count();
    if len > MAX_KEY_LEN || bytes.get(len) != Some(&b':') {
        return None;
    }
    let after = line.get(len + 1..)?;
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let raw = line.get(..len)?;
    let colon_col = if raw.is_ascii() {
        len
    } else {
        raw.chars().count()
    };
    Some((raw.trim_end_matches(' '), colon_col, after))
}

/// After a one-line value: the next non-blank line is a key line (or there is none).
fn next_is_key_or_end<'a>(lines: &mut std::iter::Peekable<Lines<'a>>) -> bool {
    while let Some(line) = lines.peek() {
        if !line.is_blank() {
            return !line.text.starts_with(' ');
        }
        lines.next();
    }
    true
}

/// A one-line plain scalar (trailing spaces already trimmed), resolved as the full reader
/// does. `None` for anything that might not be a complete one-line plain scalar.
fn plain(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    let indicator = b"-?:,[]{}#&*!|>'\"%@`".contains(&first);
    // `-1`, `-foo` are plain; `- x` and `-` are not.
    let dash_ok = first == b'-' && bytes.get(1).is_some_and(|&b| b != b' ');
    if indicator && !dash_ok {
        return None;
    }
    if text.contains('#') || text.contains(": ") || text.ends_with(':') {
        return None;
    }
    // A scalar the full reader refuses (an integer too large) is its error to report.
    resolve_plain(text).ok()
}

/// `'...'` on one line, trailing spaces already trimmed; `''` is a quote.
fn single_quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    // Every quote inside must be doubled; the closing quote must be the last character.
    let mut out = String::with_capacity(inner.len());
    let mut parts = inner.split('\'');
    out.push_str(parts.next()?);
    loop {
        match (parts.next(), parts.next()) {
            (None, _) => break,
            // `''`: an empty part between two quotes, then the text after the pair.
            (Some(""), Some(after)) => {
                out.push('\'');
                out.push_str(after);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `"..."` on one line without escapes, trailing spaces already trimmed.
fn double_quoted(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains(['"', '\\']) {
        return None;
    }
    Some(inner)
}

/// A `>` or `|` block scalar with an optional chomping indicator and no indentation indicator,
/// whose content lines are all indented alike (no blank or more-indented lines inside). The
/// header is `text`; its content lines are taken from `lines`.
fn block_scalar<'a>(
    header: &str,
    lines: &mut std::iter::Peekable<Lines<'a>>,
    pos: &impl Fn(usize, usize) -> Option<Pos>,
) -> Option<Node> {
    let bytes = header.as_bytes();
    let style = match bytes.first()? {
        b'|' => Style::Literal,
        b'>' => Style::Folded,
        _ => return None,
    };
    #[derive(PartialEq)]
    enum Chomp {
        Clip,
        Strip,
        Keep,
    }
    let chomp = match bytes.get(1..)? {
        [] => Chomp::Clip,
        [b'-'] => Chomp::Strip,
        [b'+'] => Chomp::Keep,
        _ => return None,
    };
    // The first content line sets the indentation; an empty block scalar goes to the full
    // reader (its position is not that of a content line).
    let first = lines.next_if(|l| !l.is_blank() && l.text.starts_with(' '))?;
    let indent = first.indent();
    let node_pos = pos(first.index, indent)?;
    let mut value = String::with_capacity(first.text.len());
    let mut last = first;
    value.push_str(first.text.get(indent..)?);
    while let Some(line) = lines.next_if(|l| !l.is_blank() && l.text.starts_with(' ')) {
        if line.indent() != indent {
            return None;
        }
        value.push(if style == Style::Literal { '\n' } else { ' ' });
        value.push_str(line.text.get(indent..)?);
        last = line;
    }
    if !last.terminated {
        return None;
    }
    // Blank lines after the content: no more indented than the content (else they are
    // content), none at all under keep chomping, and no content after them.
    while let Some(line) = lines.next_if(Line::is_blank) {
        if chomp == Chomp::Keep || line.text.len() > indent {
            return None;
        }
    }
    if lines.peek().is_some_and(|l| l.text.starts_with(' ')) {
        return None;
    }
    if chomp != Chomp::Strip {
        value.push('\n');
    }
    Some(Node::new(Value::String(value), node_pos).with_style(style))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// [`super::plain_chars`] by its definition, one character at a time.
    fn plain_chars_by_char(text: &str) -> bool {
        !text.chars().any(|c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                )
        })
    }

    #[test]
    fn refused_characters() {
        for c in [
            '\t', '\r', '\0', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}', '\u{2028}', '\u{2029}',
            '\u{feff}', '\u{fffe}', '\u{ffff}',
        ] {
            for text in [
                format!("{c}"),
                format!("ab{c}"),
                format!("{c}ab"),
                format!("a{c}b"),
            ] {
                assert!(!super::plain_chars(&text), "{text:?}");
            }
        }
        for text in [
            "", "a\n", "\u{a0}", "é", "\u{2027}", "\u{202a}", "\u{fefe}", "\u{fffd}", "🎉", "’",
        ] {
            assert!(super::plain_chars(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn plain_chars_is_its_definition(text in any::<String>()) {
            prop_assert_eq!(super::plain_chars(&text), plain_chars_by_char(&text));
        }

        #[test]
        fn plain_chars_near_refused(text in "[a\n\u{7e}-\u{a1}\u{2027}-\u{202a}\u{feff}\u{fffd}-\u{ffff}]{0,8}") {
            prop_assert_eq!(super::plain_chars(&text), plain_chars_by_char(&text));
        }
    }
}
