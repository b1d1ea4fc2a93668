//! `fmx edit`'s operations on values: each turns the table a post holds into the table it
//! is meant to hold, and names what it changed. Bytes are not touched here (see
//! [`super::surgical`]).

use crate::convert::{Change, ChangeKind};
use crate::document::Format;
use crate::formats::{self, Limits};
use crate::keypath::{KeyPath, KeyPathError, Segment};
use crate::load::describe;
use crate::value::{DateTime, DateTimeKind, Entry, Node, Pos, Style, Table, Value};

/// One operation, as the command line or a recipe step names it.
#[derive(Clone, Debug)]
pub enum Op {
    Set {
        path: KeyPath,
        value: Value,
    },
    Unset(KeyPath),
    Rename {
        from: KeyPath,
        to: KeyPath,
    },
    Replace {
        path: KeyPath,
        old: String,
        new: String,
    },
    DateFromFilename(KeyPath),
    /// Move every top-level key the schema does not list under this table.
    NestUnknown(String),
    DropNull,
}

/// Why an operation's text is not an operation (exit 2: a bad flag or recipe).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OpParseError {
    #[error("`{0}`: expected KEY=VALUE")]
    NoEquals(String),
    #[error("key path `{text}`: {error}")]
    Path { text: String, error: KeyPathError },
    #[error("key path `{0}`: `fmx edit` names keys, not array items")]
    Index(String),
    #[error(
        "`{text}` is not a JSON value ({error}); write a string as `'\"text\"'` or use --set-str"
    )]
    Json { text: String, error: String },
}

/// Why an operation cannot be applied to one post: the file is refused, the batch goes on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    #[error("cannot rename `{from}` to `{to}`: `{to}` already exists")]
    TargetExists { from: String, to: String },
    #[error("`{path}` is {found}, not a table, so `{key}` cannot go inside it")]
    NotATable {
        path: String,
        key: String,
        found: String,
    },
}

/// What an operation needs to know about the file it edits.
#[derive(Clone, Debug)]
pub struct FileFacts<'a> {
    pub format: Format,
    /// The file's name (not its folder): `2019-05-03-title.md`.
    pub name: &'a str,
    /// Top-level keys the applicable schema lists.
    pub known: &'a [String],
}

/// Parses a key path for an operation: keys only.
pub fn parse_path(text: &str) -> Result<KeyPath, OpParseError> {
    let path = KeyPath::parse(text).map_err(|error| OpParseError::Path {
        text: text.to_string(),
        error,
    })?;
    if path
        .segments()
        .iter()
        .any(|s| matches!(s, Segment::Index(_)))
    {
        return Err(OpParseError::Index(text.to_string()));
    }
    Ok(path)
}

/// Splits `KEY=REST` at the first `=` outside a quoted key.
pub fn split_assignment(text: &str) -> Result<(KeyPath, &str), OpParseError> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '=' if !quoted => return Ok((parse_path(&text[..i])?, &text[i + 1..])),
            _ => {}
        }
    }
    Err(OpParseError::NoEquals(text.to_string()))
}

/// A JSON value read by fmx's own JSON reader, so numbers keep their digits.
pub fn parse_json_value(text: &str) -> Result<Value, OpParseError> {
    formats::parse(Format::Json, text, 1, &Limits::default())
        .map(|parsed| parsed.root.value)
        .map_err(|e| OpParseError::Json {
            text: text.to_string(),
            error: e.to_string(),
        })
}

/// Applies `op` to `table`, adding what it changed to `changes`.
pub fn apply(
    op: &Op,
    table: &mut Table,
    facts: &FileFacts<'_>,
    changes: &mut Vec<Change>,
) -> Result<(), OpError> {
    match op {
        Op::Set { path, value } => set(table, path, value.clone(), ChangeKind::Set, changes),
        Op::Unset(path) => {
            unset(table, path, changes);
            Ok(())
        }
        Op::Rename { from, to } => rename(table, from, to, changes),
        Op::Replace { path, old, new } => {
            replace(table, path, old, new, changes);
            Ok(())
        }
        Op::DateFromFilename(path) => date_from_filename(table, path, facts, changes),
        Op::NestUnknown(under) => nest_unknown(table, under, facts.known, changes),
        Op::DropNull => {
            drop_null(table, "", changes);
            Ok(())
        }
    }
}

fn change(key: String, kind: ChangeKind, from: Option<String>, to: Option<String>) -> Change {
    Change {
        key,
        kind,
        from,
        to,
        detail: None,
    }
}

fn keys(path: &KeyPath) -> Vec<&str> {
    path.segments()
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
        .collect()
}

/// The table holding the last key of `path`, created (as a block table) where missing when
/// `create`; `Ok(None)` when it is missing and not created.
fn parent<'t>(
    table: &'t mut Table,
    path: &KeyPath,
    create: bool,
) -> Result<Option<&'t mut Table>, OpError> {
    let keys = keys(path);
    let mut at = table;
    for (depth, key) in keys[..keys.len() - 1].iter().enumerate() {
        if !at.entries.contains_key(*key) {
            if !create {
                return Ok(None);
            }
            let node = Node::new(Value::Table(Table::default()), Pos::default());
            at.entries.insert(
                key.to_string(),
                Entry::new(Pos::default(), node.with_style(Style::Block)),
            );
        }
        let entry = at.entries.get_mut(*key).expect("present or just inserted");
        match &mut entry.node.value {
            Value::Table(t) => at = t,
            other => {
                let found = describe(other);
                return Err(OpError::NotATable {
                    path: prefix(&keys[..=depth]),
                    key: keys[depth + 1].to_string(),
                    found,
                });
            }
        }
    }
    Ok(Some(at))
}

fn prefix(keys: &[&str]) -> String {
    let mut path = KeyPath::root();
    for k in keys {
        path.push(Segment::Key(k.to_string()));
    }
    path.to_string()
}

fn last(path: &KeyPath) -> &str {
    keys(path).last().copied().unwrap_or_default()
}

fn set(
    table: &mut Table,
    path: &KeyPath,
    value: Value,
    kind: ChangeKind,
    changes: &mut Vec<Change>,
) -> Result<(), OpError> {
    let at = parent(table, path, true)?.expect("created");
    let key = last(path);
    let shown = describe(&value);
    match at.entries.get_mut(key) {
        Some(entry) if entry.node.value.same_value(&value) => return Ok(()),
        Some(entry) => {
            let before = describe(&entry.node.value);
            entry.node = Node::new(value, entry.node.pos);
            changes.push(change(path.to_string(), kind, Some(before), Some(shown)));
        }
        None => {
            at.entries.insert(
                key.to_string(),
                Entry::new(Pos::default(), Node::new(value, Pos::default())),
            );
            changes.push(change(path.to_string(), kind, None, Some(shown)));
        }
    }
    Ok(())
}

/// Removes the key at `path` with its comments; each comment is listed.
fn take(table: &mut Table, path: &KeyPath) -> Option<Entry> {
    let at = parent(table, path, false).ok()??;
    at.entries.shift_remove(last(path))
}

fn unset(table: &mut Table, path: &KeyPath, changes: &mut Vec<Change>) {
    if let Some(entry) = take(table, path) {
        let key = path.to_string();
        changes.push(change(
            key.clone(),
            ChangeKind::Unset,
            Some(describe(&entry.node.value)),
            None,
        ));
        removed_comments(&key, &entry, changes);
    }
}

fn removed_comments(key: &str, entry: &Entry, changes: &mut Vec<Change>) {
    for text in entry.comments.texts() {
        changes.push(change(
            key.to_string(),
            ChangeKind::CommentRemoved,
            Some(format!("#{text}")),
            None,
        ));
    }
}

fn rename(
    table: &mut Table,
    from: &KeyPath,
    to: &KeyPath,
    changes: &mut Vec<Change>,
) -> Result<(), OpError> {
    if from == to || KeyPath::resolve(from, table).is_none() {
        return Ok(());
    }
    if to.resolve(table).is_some() {
        return Err(OpError::TargetExists {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    let (from_keys, to_keys) = (keys(from), keys(to));
    let same_table = from_keys[..from_keys.len() - 1] == to_keys[..to_keys.len() - 1];
    let kind = if same_table {
        ChangeKind::Renamed
    } else {
        ChangeKind::Nested
    };
    if same_table {
        // The value keeps its place in the key order.
        let at = parent(table, from, false)?.expect("resolved");
        let index = at.entries.get_index_of(last(from)).expect("resolved");
        let (_, entry) = at.entries.shift_remove_index(index).expect("resolved");
        at.entries.shift_insert(index, last(to).to_string(), entry);
    } else {
        // Check the target's parents before taking the value, so a refusal changes nothing.
        parent(&mut table.clone(), to, true)?;
        let entry = take(table, from).expect("resolved");
        let at = parent(table, to, true)?.expect("created");
        at.entries.insert(last(to).to_string(), entry);
    }
    changes.push(change(
        from.to_string(),
        kind,
        None,
        Some(format!("`{to}`")),
    ));
    Ok(())
}

fn replace(table: &mut Table, path: &KeyPath, old: &str, new: &str, changes: &mut Vec<Change>) {
    let Ok(Some(at)) = parent(table, path, false) else {
        return;
    };
    let Some(entry) = at.entries.get_mut(last(path)) else {
        return;
    };
    let mut count = 0;
    match &mut entry.node.value {
        Value::String(s) if s == old => {
            *s = new.to_string();
            count = 1;
        }
        Value::Array(items) => {
            for item in items {
                if let Value::String(s) = &mut item.value
                    && s == old
                {
                    *s = new.to_string();
                    count += 1;
                }
            }
        }
        _ => {}
    }
    if count > 0 {
        let mut c = change(
            path.to_string(),
            ChangeKind::Replaced,
            Some(format!("{old:?}")),
            Some(format!("{new:?}")),
        );
        if count > 1 {
            c.detail = Some(format!("{count} items"));
        }
        changes.push(c);
    }
}

/// `YYYY-MM-DD` when the name starts with `YYYY-MM-DD-` and that is a real date.
fn date_in_name(name: &str) -> Option<&str> {
    let date = name.get(..10)?;
    if name.as_bytes().get(10) != Some(&b'-') {
        return None;
    }
    date.parse::<jiff::civil::Date>().ok()?;
    Some(date)
}

fn date_from_filename(
    table: &mut Table,
    path: &KeyPath,
    facts: &FileFacts<'_>,
    changes: &mut Vec<Change>,
) -> Result<(), OpError> {
    if path.resolve(table).is_some() {
        return Ok(());
    }
    let Some(date) = date_in_name(facts.name) else {
        return Ok(());
    };
    // JSON has no date type: the date is the string Hugo reads as one.
    let value = match facts.format {
        Format::Json => Value::String(date.to_string()),
        Format::Yaml | Format::Toml => Value::DateTime(DateTime {
            kind: DateTimeKind::Date,
            text: date.to_string(),
        }),
    };
    set(table, path, value, ChangeKind::DateFromFilename, changes)
}

fn nest_unknown(
    table: &mut Table,
    under: &str,
    known: &[String],
    changes: &mut Vec<Change>,
) -> Result<(), OpError> {
    let unknown: Vec<String> = table
        .entries
        .keys()
        .filter(|k| *k != under && !known.contains(k))
        .cloned()
        .collect();
    for key in unknown {
        let from = KeyPath::root().child(Segment::Key(key.clone()));
        let to = KeyPath::root()
            .child(Segment::Key(under.to_string()))
            .child(Segment::Key(key));
        rename(table, &from, &to, changes)?;
    }
    Ok(())
}

fn drop_null(table: &mut Table, parent: &str, changes: &mut Vec<Change>) {
    table.entries.retain(|key, entry| {
        let path = formats::key_path(parent, key);
        if let Value::Table(inner) = &mut entry.node.value {
            drop_null(inner, &path, changes);
        }
        if !matches!(entry.node.value, Value::Null) {
            return true;
        }
        changes.push(change(path.clone(), ChangeKind::DroppedNull, None, None));
        removed_comments(&path, entry, changes);
        false
    });
}
