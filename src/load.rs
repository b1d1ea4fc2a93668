//! The one way in: a post's bytes → split, decoded, CRLF folded, parsed, a table — or the
//! one [`LoadError`] that says why not.
//!
//! `check`, `--fix`, `convert`, `init` and every verification of a file fmx is about to write
//! load through here, so a file that passes verification is exactly a file the next run reads.

use std::borrow::Cow;

use crate::document::{self, Format, Layout, LineIndex, Split};
use crate::formats::{self, DuplicateKey, Limits, ParseError, Parsed};
use crate::value::{Node, Pos, Table, Value};

/// A post whose front matter is a table.
#[derive(Clone, Debug)]
pub struct Post {
    pub layout: Layout,
    pub table: Table,
    /// Where the table starts (the root node's position).
    pub root_pos: Pos,
    /// Duplicate keys the parser survived (YAML, JSON: the later one wins).
    pub duplicates: Vec<DuplicateKey>,
    /// TOML 1.1 syntax the block uses, each at its position (TOML only).
    pub toml11: Vec<formats::toml::Toml11Syntax>,
    /// YAML: the plain scalars YAML 1.1 readers read apart, when the parse found them on its
    /// way; `None`: ask `formats::yaml::readings`.
    pub yaml_readings: Option<Vec<formats::yaml::Reading>>,
}

/// Why a post's front matter cannot be read as a table. One message per failure: its
/// `Display` is what `check` reports and what `convert` gives as its reason.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LoadError {
    #[error("no front matter: the file does not start with `---`, `+++` or `{{`")]
    NoFrontMatter,
    #[error("{format} front matter opened at line {open_line} is never closed")]
    Unclosed { format: Format, open_line: u32 },
    #[error(
        "{format} front matter opened at line {open_line} is larger than {}, or not closed within it (the front matter size limit, `[limits] max-front-matter-bytes`)",
        human_bytes(*limit)
    )]
    TooLarge {
        format: Format,
        open_line: u32,
        limit: usize,
    },
    /// Only a prefix of the file was read and the split needs more (a reader's bug).
    #[error("internal: the read stopped before the front matter ended")]
    Incomplete,
    /// The block was found; its text is not a table. The layout is kept: the rules about
    /// delimiters and line endings still apply to it.
    #[error("{error}")]
    Block {
        layout: Box<Layout>,
        error: BlockError,
    },
}

/// What is wrong inside a block that was found.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BlockError {
    #[error("the front matter is not valid UTF-8 (byte 0x{byte:02X})")]
    InvalidEncoding { pos: Pos, byte: u8 },
    #[error("invalid {format}: {error}")]
    Syntax { format: Format, error: ParseError },
    /// A duplicate key the format's parser cannot survive (TOML).
    #[error("duplicate key `{}` (first defined at line {}, column {})", .0.key, .0.first.line, .0.first.col)]
    Duplicate(DuplicateKey),
    /// Nesting, alias expansion or size beyond [`Limits`].
    #[error("{message}")]
    Limit { pos: Pos, message: String },
    #[error("the front matter is {found}, not key/value pairs")]
    NotAMapping { pos: Pos, found: String },
}

impl LoadError {
    /// Where the failure is, in file coordinates.
    pub fn pos(&self) -> Pos {
        match self {
            LoadError::NoFrontMatter | LoadError::Incomplete => Pos::new(1, 1),
            LoadError::Unclosed { open_line, .. } | LoadError::TooLarge { open_line, .. } => {
                Pos::new(*open_line, 1)
            }
            LoadError::Block { error, .. } => error.pos(),
        }
    }

    /// The front matter's layout, when the block was found.
    pub fn layout(&self) -> Option<&Layout> {
        match self {
            LoadError::Block { layout, .. } => Some(layout),
            _ => None,
        }
    }

    /// The format the file opens with, when it opens with one.
    pub fn format(&self) -> Option<Format> {
        match self {
            LoadError::Unclosed { format, .. } | LoadError::TooLarge { format, .. } => {
                Some(*format)
            }
            LoadError::Block { layout, .. } => Some(layout.format),
            LoadError::NoFrontMatter | LoadError::Incomplete => None,
        }
    }
}

impl BlockError {
    pub fn pos(&self) -> Pos {
        match self {
            BlockError::InvalidEncoding { pos, .. } | BlockError::NotAMapping { pos, .. } => *pos,
            BlockError::Limit { pos, .. } => *pos,
            BlockError::Syntax { error, .. } => error.pos(),
            BlockError::Duplicate(d) => d.pos,
        }
    }
}

impl Post {
    /// Loads a whole file.
    pub fn load(bytes: &[u8], limits: &Limits) -> Result<Post, LoadError> {
        let split = document::split(bytes, true, limits.max_block_bytes);
        Post::from_split(bytes, split, limits)
    }

    /// Loads from a split already made (`check` reads only as far as the block ends).
    pub fn from_split(bytes: &[u8], split: Split, limits: &Limits) -> Result<Post, LoadError> {
        let layout = match split {
            Split::Found(layout) => layout,
            Split::NoFrontMatter => return Err(LoadError::NoFrontMatter),
            Split::Unclosed { format, open_line } => {
                return Err(LoadError::Unclosed { format, open_line });
            }
            Split::TooLarge {
                format,
                open_line,
                limit,
            } => {
                return Err(LoadError::TooLarge {
                    format,
                    open_line,
                    limit,
                });
            }
            Split::NeedMore => return Err(LoadError::Incomplete),
        };
        match parse_table(bytes, &layout, limits) {
            Ok(loaded) => Ok(Post {
                layout,
                table: loaded.table,
                root_pos: loaded.root_pos,
                duplicates: loaded.duplicates,
                toml11: loaded.toml11,
                yaml_readings: loaded.yaml_readings,
            }),
            Err(error) => Err(LoadError::Block {
                layout: Box::new(layout),
                error,
            }),
        }
    }

    /// The body: everything after the closing delimiter's line, never decoded.
    pub fn body<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        &bytes[self.layout.body.clone()]
    }
}

/// Parses the block of `layout` (whose text is `text`), folding CRLF to LF first. The step
/// of [`Post::load`] after decoding; the fuzz target and older tests call it directly.
pub fn parse_block(layout: &Layout, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // Parsers see LF only; line and column numbers are unchanged by the folding.
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    formats::parse(layout.format, &text, layout.content_line, limits)
}

/// A post's parts that come from its block.
struct Loaded {
    table: Table,
    root_pos: Pos,
    duplicates: Vec<DuplicateKey>,
    toml11: Vec<formats::toml::Toml11Syntax>,
    yaml_readings: Option<Vec<formats::yaml::Reading>>,
}

fn parse_table(bytes: &[u8], layout: &Layout, limits: &Limits) -> Result<Loaded, BlockError> {
    let raw = &bytes[layout.content.clone()];
    let text = std::str::from_utf8(raw).map_err(|e| {
        // `valid` is UTF-8 by construction.
        let valid = std::str::from_utf8(&raw[..e.valid_up_to()]).unwrap_or_default();
        BlockError::InvalidEncoding {
            pos: LineIndex::new(valid, layout.content_line).pos(valid.len()),
            byte: raw[e.valid_up_to()],
        }
    })?;
    let parsed = parse_block(layout, text, limits).map_err(|error| match error {
        ParseError::Syntax { .. } => BlockError::Syntax {
            format: layout.format,
            error,
        },
        ParseError::Duplicate(d) => BlockError::Duplicate(d),
        ParseError::Limit { pos, message } => BlockError::Limit { pos, message },
    })?;
    let Node { value, pos, .. } = parsed.root;
    match value {
        Value::Table(table) => Ok(Loaded {
            table,
            root_pos: pos,
            duplicates: parsed.duplicates,
            toml11: parsed.toml11,
            yaml_readings: parsed.yaml_readings,
        }),
        other => Err(BlockError::NotAMapping {
            pos,
            found: describe(&other),
        }),
    }
}

/// A short description of a value for messages: its kind, and the value when it is short.
// A value as messages show it: `string "2020-10-10"`, `integer 42`, `local date 2017-11-20`.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Int(i) => format!("integer {}", i.value),
        Value::Float(f) => match f.decimal_text() {
            Some(t) => format!("float {}", crate::shown::bounded(&t)),
            None if f.value.is_nan() => "NaN".into(),
            None if f.value > 0.0 => "infinity".into(),
            None => "-infinity".into(),
        },
        Value::String(s) => {
            // Debug quoting escapes quotes and control characters alike.
            let shown: String = s.chars().take(crate::shown::QUOTED_CHARS).collect();
            let more = if s.chars().count() > crate::shown::QUOTED_CHARS {
                "…"
            } else {
                ""
            };
            format!("string {:?}", format!("{shown}{more}"))
        }
        Value::DateTime(d) => format!("{} {}", d.kind.name(), crate::shown::bounded(&d.text)),
        Value::Array(a) => format!("an array of {}", count(a.len(), "item")),
        Value::Table(t) => format!("a table of {}", count(t.len(), "key")),
    }
}

/// `1 key`, `2 keys`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub(crate) fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}
