//! JSON Schema validation of front matter: load and compile a schema file once, validate
//! each post's table, and report every violation at a position in the post.
//!
//! Drafts 7, 2019-09 and 2020-12 are chosen by `$schema` (2020-12 when absent); `$ref` may
//! point only inside the schema file (`#/$defs/…`, `#/definitions/…`): nothing is fetched.
//! `format` is asserted (`date`, `date-time`, `uri`, `email`, and the other formats the
//! `jsonschema` crate knows); unknown formats such as Astro's `unix-time` are ignored.

pub mod export;
pub mod json;
mod message;
pub mod node;

use std::path::{Path, PathBuf};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;

use self::node::{FmxJson, FmxNode};

use crate::keypath::{KeyPath, Segment};
use crate::value::{Node, Pos, Table, Value};

/// A schema file that cannot be used. The CLI reports it with exit 2.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{}: cannot read the schema: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: the schema is not JSON: {reason}", path.display())]
    NotJson {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{}: not a valid JSON Schema: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
}

/// A compiled schema, ready to validate any number of posts (and share between threads).
#[derive(Debug)]
pub struct JsonSchema {
    path: PathBuf,
    validator: Validator<FmxJson>,
}

/// Where a violation is to be reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The block as a whole (a key missing from the top level): the rule reports it at the
    /// opening delimiter, as `missing-field` does.
    Opening,
    At(Pos),
}

impl Anchor {
    /// The position to report, given the block's opening delimiter position.
    pub fn pos(self, opening: Pos) -> Pos {
        match self {
            Anchor::Opening => opening,
            Anchor::At(pos) => pos,
        }
    }
}

/// One way a post fails the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The JSON Schema keyword that failed (`enum`, `required`, `additionalProperties`, …).
    pub keyword: String,
    /// The key the violation is about: for `required` and `additionalProperties`, the
    /// missing or extra key itself.
    pub path: KeyPath,
    /// The message in fmx's style: `` `tags[2]` must be one of "rust", "web" (enum) ``.
    pub message: String,
    pub anchor: Anchor,
}

/// Two compiled schemas are the same when they came from the same file: a config compiles
/// each distinct path once and shares it.
impl PartialEq for JsonSchema {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl JsonSchema {
    /// Reads and compiles the schema at `path`.
    pub fn load(path: &Path) -> Result<Self, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_text(path, &text)
    }

    /// Compiles schema `text`; `path` is only for messages.
    pub fn from_text(path: &Path, text: &str) -> Result<Self, SchemaError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SchemaError::NotJson {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                reason: strip_position(&e.to_string()),
            })?;
        let validator = jsonschema::options_for::<FmxJson>()
            .should_validate_formats(true)
            .build(&value)
            .map_err(|e| SchemaError::Invalid {
                path: path.to_path_buf(),
                reason: invalid_reason(&e),
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            validator,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every violation of the schema by a post's front matter, in the validator's order.
    pub fn validate(&self, table: &Table) -> Vec<Violation> {
        let mut out = Vec::new();
        for error in self.validator.iter_errors(FmxNode::Root(table)) {
            let (path, found) = locate(table, error.instance_path().iter());
            violations(&error, table, path, found, &mut out);
        }
        out
    }

    /// Whether the post passes, without building messages.
    pub fn is_valid(&self, table: &Table) -> bool {
        self.validator.is_valid(FmxNode::Root(table))
    }
}

/// serde_json ends its messages with "at line L column C", which the error already carries.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn invalid_reason(e: &jsonschema::ValidationError<'_>) -> String {
    let at = e.instance_path().as_str();
    if at.is_empty() {
        e.to_string()
    } else {
        format!("{e} (at `{at}` in the schema)")
    }
}

/// What an instance path names in the post: the key path and, where it resolves, the node
/// and its key's position. Walks the table itself rather than trusting the pointer's
/// segment types, since a key made of digits reads like an index.
fn locate<'t, 'p>(
    table: &'t Table,
    segments: impl Iterator<Item = LocationSegment<'p>>,
) -> (KeyPath, Option<Located<'t>>) {
    let mut path = KeyPath::root();
    let mut at: Option<Located<'t>> = None;
    let mut current = Some(Cursor::Table(table));
    for segment in segments {
        let text = segment.to_string();
        let next = match current {
            Some(Cursor::Table(t)) => {
                path.push(Segment::Key(text.clone()));
                t.get(&text).map(|e| Located {
                    node: &e.node,
                    key_pos: Some(e.key_pos),
                })
            }
            Some(Cursor::Array(items)) => {
                let index = text.parse::<usize>().ok();
                path.push(index.map_or(Segment::Key(text), Segment::Index));
                index.and_then(|i| items.get(i)).map(|n| Located {
                    node: n,
                    key_pos: None,
                })
            }
            None => {
                path.push(Segment::Key(text));
                None
            }
        };
        current = next.and_then(|l| Cursor::of(l.node));
        at = next;
    }
    (path, at)
}

#[derive(Clone, Copy)]
enum Cursor<'t> {
    Table(&'t Table),
    Array(&'t [Node]),
}

impl<'t> Cursor<'t> {
    fn of(node: &'t Node) -> Option<Self> {
        match &node.value {
            Value::Table(t) => Some(Cursor::Table(t)),
            Value::Array(items) => Some(Cursor::Array(items)),
            _ => None,
        }
    }
}

/// A node the instance path reached, and its key's position when it is a table entry.
#[derive(Clone, Copy)]
struct Located<'t> {
    node: &'t Node,
    key_pos: Option<Pos>,
}

impl Located<'_> {
    /// Where to point for something about this node as a whole (a key missing from it):
    /// its key when it has one, else the node.
    fn container_anchor(self) -> Anchor {
        Anchor::At(self.key_pos.unwrap_or(self.node.pos))
    }

    /// The table entry `key` of this node, if it is a table that has it.
    fn entry_key_pos(self, key: &str) -> Option<Pos> {
        self.node.value.as_table()?.get(key).map(|e| e.key_pos)
    }
}

/// Turns one validator error into violations: one per extra key for the keywords that list
/// several, else one.
fn violations(
    error: &jsonschema::ValidationError<'_>,
    table: &Table,
    path: KeyPath,
    at: Option<Located<'_>>,
    out: &mut Vec<Violation>,
) {
    let kind = error.kind();
    let keyword = kind.keyword().to_string();
    // Extra keys are pointed at one by one, at the key (the value may be fine).
    let extra = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => Some(unexpected),
        _ => None,
    };
    if let Some(unexpected) = extra {
        for key in unexpected {
            let key_path = path.child(Segment::Key(key.clone()));
            let anchor = key_anchor(table, at, key, &path);
            let message = message::not_allowed(&key_path, &keyword);
            out.push(Violation {
                keyword: keyword.clone(),
                path: key_path,
                message,
                anchor,
            });
        }
        return;
    }
    let (path, anchor) = match kind {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            let anchor = match at {
                Some(l) if !path.is_root() => l.container_anchor(),
                _ => Anchor::Opening,
            };
            (path.child(Segment::Key(name)), anchor)
        }
        ValidationErrorKind::PropertyNames { error } => {
            let name = error.instance().as_str().unwrap_or_default().to_string();
            let anchor = key_anchor(table, at, &name, &path);
            (path.child(Segment::Key(name)), anchor)
        }
        _ => {
            let anchor = match at {
                Some(l) => Anchor::At(l.node.pos),
                None => Anchor::Opening,
            };
            (path, anchor)
        }
    };
    let message = message::describe(error, &path, at.map(|l| l.node));
    out.push(Violation {
        keyword,
        path,
        message,
        anchor,
    });
}

/// The position of key `key` in the table the error is about: the top level when the
/// error's path is the root, else the node the path reached.
fn key_anchor(table: &Table, at: Option<Located<'_>>, key: &str, path: &KeyPath) -> Anchor {
    let pos = if path.is_root() {
        table.get(key).map(|e| e.key_pos)
    } else {
        at.and_then(|l| l.entry_key_pos(key))
    };
    pos.map_or(Anchor::Opening, Anchor::At)
}

#[cfg(test)]
mod tests;
