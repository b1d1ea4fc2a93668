//! `--recipe FILE`: a reviewed TOML file of ordered `[[step]]`s, each one operation,
//! optionally limited to files matching `paths` globs:
//!
//! ```toml
//! [[step]]
//! rename = { from = "tags", to = "taxonomies.tags" }
//!
//! [[step]]
//! paths = ["content/blog/**"]
//! set = { key = "draft", value = false }
//! ```
//!
//! Operations: `set = { key, value }`, `unset = "KEY"`, `rename = { from, to }`,
//! `replace = { key, old, new }`, `date-from-filename = "KEY"`, `nest-unknown = "TABLE"`,
//! `drop-null = true`.

use std::path::{Path, PathBuf};

use super::Step;
use super::ops::{Op, OpParseError, parse_path};
use crate::document::Format;
use crate::formats::{self, Limits};
use crate::value::{Pos, Table, Value};

/// Why a recipe cannot be used (exit 2), with the line it is about.
#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    #[error("cannot read the recipe {}: {error}", .path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{}:{}: {message}", .path.display(), .pos.line, .pos.col)]
    Invalid {
        path: PathBuf,
        pos: Pos,
        message: String,
    },
}

const OPERATIONS: &str = "set, unset, rename, replace, date-from-filename, nest-unknown, drop-null";

/// Reads the steps of the recipe at `path`.
pub fn load(path: &Path) -> Result<Vec<Step>, RecipeError> {
    let text = std::fs::read_to_string(path).map_err(|error| RecipeError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let invalid = |pos: Pos, message: String| RecipeError::Invalid {
        path: path.to_path_buf(),
        pos,
        message,
    };
    let parsed = formats::parse(Format::Toml, &text, 1, &Limits::default())
        .map_err(|e| invalid(e.pos(), e.to_string()))?;
    let Value::Table(root) = parsed.root.value else {
        return Err(invalid(Pos::new(1, 1), "a recipe is a TOML table".into()));
    };
    let mut steps = Vec::new();
    for (key, entry) in root.iter() {
        let Value::Array(items) =
            (key == "step")
                .then_some(&entry.node.value)
                .ok_or_else(|| {
                    invalid(
                        entry.key_pos,
                        format!("unknown key `{key}`: a recipe holds `[[step]]` tables"),
                    )
                })?
        else {
            return Err(invalid(
                entry.key_pos,
                "`step` is an array of tables: `[[step]]`".into(),
            ));
        };
        for item in items {
            let Value::Table(t) = &item.value else {
                return Err(invalid(item.pos, "each step is a table: `[[step]]`".into()));
            };
            steps.push(step(t, item.pos).map_err(|(pos, m)| invalid(pos, m))?);
        }
    }
    Ok(steps)
}

type Invalid = (Pos, String);

fn step(table: &Table, at: Pos) -> Result<Step, Invalid> {
    let mut op = None;
    let mut paths = None;
    for (key, entry) in table.iter() {
        let pos = entry.key_pos;
        let value = &entry.node.value;
        if key == "paths" {
            paths = Some(globs(value).map_err(|m| (pos, m))?);
            continue;
        }
        if op.is_some() {
            return Err((
                pos,
                format!("one operation per step; `{key}` is a second one"),
            ));
        }
        op = Some(operation(key, value).map_err(|m| (pos, m))?);
    }
    let op = op.ok_or((at, format!("a step names one operation: {OPERATIONS}")))?;
    Ok(Step { op, paths })
}

fn operation(key: &str, value: &Value) -> Result<Op, String> {
    let path = |v: &Value| -> Result<_, String> {
        let text = v.as_str().ok_or("a key path is a string")?;
        parse_path(text).map_err(|e: OpParseError| e.to_string())
    };
    let field = |name: &str| -> Result<&Value, String> {
        value
            .as_table()
            .and_then(|t| t.get(name))
            .map(|e| &e.node.value)
            .ok_or_else(|| format!("`{key}` needs `{name}`"))
    };
    let text = |name: &str| -> Result<String, String> {
        field(name)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{key}.{name}` is a string"))
    };
    Ok(match key {
        "set" => Op::Set {
            path: path(field("key")?)?,
            value: field("value")?.clone(),
        },
        "unset" => Op::Unset(path(value)?),
        "rename" => Op::Rename {
            from: path(field("from")?)?,
            to: path(field("to")?)?,
        },
        "replace" => Op::Replace {
            path: path(field("key")?)?,
            old: text("old")?,
            new: text("new")?,
        },
        "date-from-filename" => Op::DateFromFilename(path(value)?),
        "nest-unknown" => Op::NestUnknown(
            value
                .as_str()
                .ok_or("`nest-unknown` names a table: a string")?
                .to_string(),
        ),
        "drop-null" => match value {
            Value::Bool(true) => Op::DropNull,
            _ => return Err("`drop-null = true` is the only form".into()),
        },
        other => {
            return Err(format!(
                "unknown operation `{other}`: the operations are {OPERATIONS}"
            ));
        }
    })
}

fn globs(value: &Value) -> Result<globset::GlobSet, String> {
    let Value::Array(items) = value else {
        return Err("`paths` is an array of globs".into());
    };
    let mut set = globset::GlobSetBuilder::new();
    for item in items {
        let text = item.value.as_str().ok_or("`paths` holds strings")?;
        // A pattern without `/` matches at any depth, as in `fmx.toml`.
        let pattern = if text.contains('/') {
            text.to_string()
        } else {
            format!("**/{text}")
        };
        set.add(globset::Glob::new(&pattern).map_err(|e| format!("glob `{text}`: {e}"))?);
    }
    set.build().map_err(|e| e.to_string())
}
