//! Text ⇄ [`Node`] for each front matter format: one file per format, both directions.
//!
//! Parsers receive the block's text with CRLF already folded to LF (line and column numbers
//! are unchanged by that) and the file line on which the text starts; every position they
//! return is in file coordinates. They never panic and never run code: depth, alias
//! expansion and size are bounded by [`Limits`].

pub mod json;
pub mod toml;
pub mod yaml;

use crate::document::Format;
use crate::value::{Node, Pos};

/// Bounds on what one block may cost to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of arrays and tables.
    pub max_depth: usize,
    /// Most nodes that YAML alias expansion may add to one block (alias bombs).
    pub max_alias_nodes: usize,
    /// Largest front matter block, in bytes.
    pub max_block_bytes: usize,
}

impl Limits {
    /// The deepest nesting any configuration may ask for. Emitting, comparing and checking
    /// a value recurse once per level; at this depth each stage uses well under a tenth of
    /// a 2 MiB thread stack even in a debug build (measured: a debug build still converts
    /// 800 levels in every direction, and aborts near 1,600).
    pub const MAX_DEPTH: usize = 256;

    /// These limits with `max_depth` held to [`Limits::MAX_DEPTH`], whatever was configured.
    pub fn clamped(&self) -> Limits {
        Limits {
            max_depth: self.max_depth.min(Self::MAX_DEPTH),
            ..*self
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_alias_nodes: 10_000,
            max_block_bytes: 1 << 20,
        }
    }
}

/// A block that parsed, with the problems that did not stop the parse.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub root: Node,
    pub duplicates: Vec<DuplicateKey>,
    /// TOML 1.1 syntax that TOML 1.0 readers reject, each at its position (TOML only).
    pub toml11: Vec<toml::Toml11Syntax>,
    /// YAML: the plain scalars YAML 1.1 readers read apart (as [`yaml::readings`] gives
    /// them), when the reader found them on its way (the fast path); `None`: ask
    /// [`yaml::readings`].
    pub yaml_readings: Option<Vec<yaml::Reading>>,
}

/// The same key twice in one mapping. The later occurrence wins, as in most readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The second occurrence.
    pub pos: Pos,
    /// The first occurrence.
    pub first: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The parser's own message, at the position it names (mapped into the file).
    #[error("{message}")]
    Syntax { pos: Pos, message: String },
    /// A duplicate key that the format's parser treats as fatal (TOML).
    #[error("duplicate key `{}`", .0.key)]
    Duplicate(DuplicateKey),
    /// Nesting, alias expansion or size beyond [`Limits`].
    #[error("{message}")]
    Limit { pos: Pos, message: String },
}

impl ParseError {
    pub fn pos(&self) -> Pos {
        match self {
            ParseError::Syntax { pos, .. } | ParseError::Limit { pos, .. } => *pos,
            ParseError::Duplicate(d) => d.pos,
        }
    }
}

/// Parses a block of `format` whose first character stands at column 1 of `first_line`.
pub fn parse(
    format: Format,
    text: &str,
    first_line: u32,
    limits: &Limits,
) -> Result<Parsed, ParseError> {
    let limits = &limits.clamped();
    match format {
        Format::Yaml => yaml::parse(text, first_line, limits),
        Format::Toml => toml::parse(text, first_line, limits),
        Format::Json => json::parse(text, first_line, limits),
    }
}

/// Every comment of a block of `format`, in order, with its position (JSON has none).
pub fn comments_in(format: Format, text: &str, first_line: u32) -> Vec<(Pos, String)> {
    match format {
        Format::Yaml => yaml::comments_in(text, first_line),
        Format::Toml => toml::comments_in(text, first_line),
        Format::Json => Vec::new(),
    }
}

/// Reads back a block fmx wrote, for comparing its values with those meant: positions and
/// comments are left out where that is cheaper (TOML).
pub fn parse_back(format: Format, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    let limits = &limits.clamped();
    match format {
        Format::Toml => toml::parse_values(text),
        _ => parse(format, text, 1, limits),
    }
}

/// Something the converter did that the report must list: nothing is changed silently.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Note {
    /// TOML writes plain keys before tables: this plain key moved ahead of the tables it
    /// used to follow.
    Moved { key: String, reason: String },
    /// The target has no place for this comment (JSON has no comments; a TOML inline table
    /// holds none): dropped, and listed with the limit that dropped it.
    DroppedComment {
        key: Option<String>,
        text: String,
        reason: &'static str,
    },
    /// The target has no date-time type (JSON): written as its RFC 3339 string.
    DateTimeToString { key: String, text: String },
}

/// Why JSON drops a comment.
pub const JSON_HAS_NO_COMMENTS: &str = "JSON has no comments";

/// A note for each comment of the entry at `path`: its own (above it, at its line's end) and
/// those between the items of its list, listed at the list's path (`m`), or at the path of
/// the item they stand in for a list in a list (`m[0]`).
pub fn dropped_comments(
    comments: &crate::value::Comments,
    path: &str,
    reason: &'static str,
    notes: &mut Vec<Note>,
) {
    let key = (!path.is_empty()).then(|| path.to_string());
    for text in comments.before.iter().chain(&comments.trailing) {
        notes.push(Note::DroppedComment {
            key: key.clone(),
            text: text.clone(),
            reason,
        });
    }
    dropped_item_comments(&comments.items, path, reason, notes);
}

/// Notes for the comments between the items of the list at `path`, and inside its items.
pub fn dropped_item_comments(
    items: &[crate::value::ItemComments],
    path: &str,
    reason: &'static str,
    notes: &mut Vec<Note>,
) {
    for item in items {
        for text in item.before.iter().chain(&item.trailing) {
            notes.push(Note::DroppedComment {
                key: (!path.is_empty()).then(|| path.to_string()),
                text: text.clone(),
                reason,
            });
        }
        let inner = format!("{path}[{}]", item.index);
        dropped_item_comments(&item.inner, &inner, reason, notes);
    }
}

/// A value the target format cannot hold; the file is refused with this reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}`: {reason}")]
pub struct EmitError {
    /// Where: a key path such as `extra.authors[0].name` (`<root>` for the block itself).
    pub key: String,
    pub reason: String,
}

/// The new block's text and what the conversion did to get there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emitted {
    /// YAML/TOML: the lines between the delimiters, each ending in `\n`. JSON: the object,
    /// from `{` to `}`, with no line break after it.
    pub text: String,
    pub notes: Vec<Note>,
}

/// Writes `table` as a block of `format`, keeping key order where the format allows,
/// the original digits of every number, and comments where the format has them.
pub fn emit(format: Format, table: &crate::value::Table) -> Result<Emitted, EmitError> {
    match format {
        Format::Yaml => yaml::write::emit(table),
        Format::Toml => toml::write::emit(table),
        Format::Json => json::write::emit(table),
    }
}

/// `a.b[2].c`-style path to a value, quoting keys that are not bare words.
pub fn key_path(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}
