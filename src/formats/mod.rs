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
    match format {
        Format::Yaml => yaml::parse(text, first_line, limits),
        Format::Toml => toml::parse(text, first_line, limits),
        Format::Json => json::parse(text, first_line, limits),
    }
}
