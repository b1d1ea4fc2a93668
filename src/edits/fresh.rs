//! Entries written afresh by the format's emitter, placed where a surgical edit needs them:
//! at a table's indentation, under a TOML `[table]` header or after a dotted-key prefix,
//! as a member of a pretty JSON object; and a key's text as the emitter writes it.

use crate::document::{Format, LineEnding};
use crate::formats::{self, EmitError};
use crate::value::{Entry, Int, Node, Pos, Style, Table, Value};

/// How a TOML table's own entries are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlPlace {
    /// The front matter itself.
    Root,
    /// Under a `[path]` header; `explicit` when that header is in the file (an implicit
    /// table, known only from `[path.sub]`, has no place for plain keys).
    Header { explicit: bool },
    /// As dotted keys: each line starts with this prefix (`params.`, indentation included).
    Dotted(String),
}

/// Where a table's entries go in the file, for those written afresh.
#[derive(Clone, Debug)]
pub struct Level {
    /// The table's keys from the root, as the edited value names them.
    pub path: Vec<String>,
    /// The indentation of the table's entries (YAML, JSON, TOML plain keys).
    pub indent: String,
    pub toml: TomlPlace,
}

impl Level {
    /// The path as messages show it (`params."a b"`).
    pub fn shown(&self, key: &str) -> String {
        let parent = self
            .path
            .iter()
            .fold(String::new(), |p, k| formats::key_path(&p, k));
        formats::key_path(&parent, key)
    }
}

/// `key` and its entry written afresh at `level`, comments included, in the file's line
/// endings; `None` when the format cannot write it there (a TOML table in a dotted-key table,
/// a plain key in a table that has no header).
pub fn entry(
    format: Format,
    level: &Level,
    key: &str,
    entry: &Entry,
    eol: LineEnding,
    json_unit: usize,
) -> Result<Option<String>, EmitError> {
    let alone = emit(format, &one(key, entry.clone()), eol)?;
    let text = match format {
        Format::Json => Some(json_member(&alone, json_unit, level.indent.len())),
        // Block collections and block scalars stay valid when every line moves right alike.
        Format::Yaml => Some(
            alone
                .split_inclusive('\n')
                .map(|l| format!("{}{l}", level.indent))
                .collect(),
        ),
        Format::Toml => toml_entry(level, key, entry, alone, eol)?,
    };
    Ok(text.map(|t| match eol {
        LineEnding::Lf => t,
        LineEnding::Crlf => t.replace('\n', "\r\n"),
    }))
}

fn toml_entry(
    level: &Level,
    key: &str,
    entry: &Entry,
    alone: String,
    eol: LineEnding,
) -> Result<Option<String>, EmitError> {
    let table = is_header(&alone);
    Ok(match (&level.toml, table) {
        (TomlPlace::Root, _) => Some(alone),
        (TomlPlace::Header { .. }, true) => {
            // A sub-table's header names its whole path: `[params.sub]`.
            let mut table = one(key, entry.clone());
            for k in level.path.iter().rev() {
                let node = Node::new(Value::Table(table), Pos::default());
                table = one(k, Entry::new(Pos::default(), node.with_style(Style::Block)));
            }
            let text = emit(Format::Toml, &table, eol)?;
            Some(text.trim_start_matches(['\n', '\r']).to_string())
        }
        (TomlPlace::Header { explicit: true }, false) => Some(prefixed(&alone, &level.indent)),
        (TomlPlace::Dotted(lead), false) => Some(prefixed(&alone, lead)),
        (TomlPlace::Header { explicit: false }, false) | (TomlPlace::Dotted(_), true) => None,
    })
}

/// Lines up to and including the key line (comments above it, then the key) start with
/// `lead`'s text; a multi-line string's later lines are part of its value and stay as they are.
pub fn prefixed(text: &str, lead: &str) -> String {
    let indent: String = lead.chars().take_while(|c| c.is_whitespace()).collect();
    let mut out = String::with_capacity(text.len() + lead.len());
    let mut key_seen = false;
    for line in text.split_inclusive('\n') {
        if key_seen {
            out.push_str(line);
        } else if line.trim_start().starts_with('#') {
            out.push_str(&indent);
            out.push_str(line);
        } else {
            out.push_str(lead);
            out.push_str(line);
            key_seen = true;
        }
    }
    out
}

fn one(key: &str, entry: Entry) -> Table {
    let mut t = Table::default();
    t.entries.insert(key.to_string(), entry);
    t
}

/// Whether a TOML entry's text is a `[table]` (its first line that is not a comment).
pub fn is_header(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('['))
}

/// In a CRLF file a TOML multi-line string's raw line breaks would become part of its value
/// (readers differ on folding them), so such strings are written on one line there.
pub fn emit(format: Format, table: &Table, eol: LineEnding) -> Result<String, EmitError> {
    let emitted = match (format, eol) {
        (Format::Toml, LineEnding::Crlf) => formats::toml::write::emit_with(
            table,
            formats::toml::write::Options {
                multiline_strings: false,
            },
        )?,
        _ => formats::emit(format, table)?,
    };
    Ok(emitted.text)
}

/// The member lines of a one-member JSON object: its first level at `base` spaces, each
/// deeper level `unit` more.
fn json_member(object: &str, unit: usize, base: usize) -> String {
    let lines: Vec<&str> = object.lines().collect();
    let inner = &lines[1..lines.len().saturating_sub(1)];
    let mut out = String::new();
    for line in inner {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        // The emitter indents two spaces a level.
        let level = (spaces / 2).max(1);
        out.push_str(&" ".repeat(base + (level - 1) * unit.max(1)));
        out.push_str(line.trim_start_matches(' '));
        out.push('\n');
    }
    out
}

/// A key as the format's emitter writes it (`title`, `"a b"`, `'x'`).
pub fn key_text(format: Format, key: &str) -> Result<String, EmitError> {
    let zero = Node::new(Value::Int(Int { value: 0 }), Pos::default());
    let text = formats::emit(format, &one(key, Entry::new(Pos::default(), zero)))?.text;
    let line = text.lines().find(|l| l.contains('0')).unwrap_or_default();
    let line = line.trim();
    let key = match format {
        Format::Yaml | Format::Json => line.strip_suffix(": 0").or(line.strip_suffix(":0")),
        Format::Toml => line.strip_suffix(" = 0"),
    };
    Ok(key.unwrap_or(line).to_string())
}
