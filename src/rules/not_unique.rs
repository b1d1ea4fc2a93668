//! `not-unique`: an array field with `unique-items = true` that repeats an item, or a
//! `unique = true` field whose value another post the config covers has too; reported at
//! the repeat, naming the first. Its page, its in-post check, and the [`Archive`] of values
//! across posts.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::check::fields::judged;
use crate::check::read_front;
use crate::config::{Config, Schema};
use crate::diagnostic::{Diagnostic, Related};
use crate::load::Post;
use crate::schema::json::node_to_json;
use crate::value::{Pos, Table, Value};
use crate::walk::{Input, WalkError, Walker};

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A value that must be unique and is not: an item repeated in an array field
with `unique-items = true` in `fmx.toml`, reported at the repeat and naming
the first one. Items are compared as JSON sees them."#,
        why: r#"A tag listed twice shows twice, or counts the post twice on the tag's
page; an author listed twice is credited twice."#,
        example: r#"$ cat fmx.toml
[fields.tags]
unique-items = true

$ cat post.md
---
tags: [rust, web, rust]
---

$ fmx check post.md
post.md:2:19: error[not-unique] `tags[2]` repeats `tags[0]` (string "rust") at 2:8"#,
        fix: r#"Remove the repeated item by hand: there is no automatic fix."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(post) = cx.post {
        check_table(&post.table, cx.schema, out);
    }
}

/// The check on a post's table (also run by `check::fields::check_values`).
pub fn check_table(table: &Table, schema: &Schema, out: &mut Vec<Diagnostic>) {
    for (name, node, spec) in judged(table, schema) {
        let (true, Value::Array(items)) = (spec.unique_items, &node.value) else {
            continue;
        };
        let mut first = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let key = node_to_json(item).to_string();
            let Some(&(j, pos)) = first.get(&key) else {
                first.insert(key, (i, item.pos));
                continue;
            };
            let pos: crate::value::Pos = pos;
            out.push(Diagnostic::new(
                Rule::NotUnique,
                item.pos,
                format!(
                    "`{name}[{i}]` repeats `{name}[{j}]` ({}) at {}:{}",
                    crate::load::describe(&item.value),
                    pos.line,
                    pos.col
                ),
            ));
        }
    }
}

/// `unique = true` across the archive: the values of the unique fields of every post the
/// config covers, gathered before the check by a walk of the config's folder that reads
/// front matter only, so that a run on one new post still sees the old ones. Only those
/// values are held, with where each was first seen.
#[derive(Debug, Default)]
pub struct Archive {
    /// The later occurrences, by file (absolute, lexically normal path).
    repeats: HashMap<PathBuf, Vec<Diagnostic>>,
}

/// One value of a unique field in one post.
struct Seen {
    field: Arc<str>,
    value: String,
    file: PathBuf,
    pos: Pos,
}

impl Archive {
    /// `None` when no schema of the config has a `unique` field.
    pub fn gather(
        config: &Config,
        cwd: &Path,
        walker: &Walker,
        threads: usize,
    ) -> Result<Option<Archive>, WalkError> {
        if !config.has_unique_fields() {
            return Ok(None);
        }
        let seen: Mutex<Vec<Seen>> = Mutex::new(Vec::new());
        walker.visit(std::slice::from_ref(&config.root), threads, &|input| {
            let Input::File { path, display } = &input else {
                return;
            };
            let file = normal(cwd, Path::new(display));
            let mut mine = values(config, cwd, path, &file);
            if !mine.is_empty() {
                seen.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .append(&mut mine);
            }
        })?;
        let mut seen = seen.into_inner().unwrap_or_else(|p| p.into_inner());
        seen.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
        Ok(Some(Archive::from_seen(seen, cwd)))
    }

    fn from_seen(seen: Vec<Seen>, cwd: &Path) -> Archive {
        let mut first: HashMap<(Arc<str>, String), (PathBuf, Pos)> = HashMap::new();
        let mut repeats: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for s in seen {
            let key = (Arc::clone(&s.field), s.value);
            let Some((file, pos)) = first.get(&key) else {
                first.insert(key, (s.file, s.pos));
                continue;
            };
            let shown = file.strip_prefix(cwd).unwrap_or(file);
            let d = Diagnostic::new(
                Rule::NotUnique,
                s.pos,
                format!(
                    "`{}` {:?} is not unique: {}:{}:{} has it too",
                    s.field,
                    key.1,
                    shown.display(),
                    pos.line,
                    pos.col
                ),
            )
            .with_help("`unique = true` in fmx.toml: each post needs its own value");
            let d = Diagnostic {
                related: Some(Related {
                    path: shown.display().to_string(),
                    line: pos.line,
                    column: pos.col,
                }),
                ..d
            };
            repeats.entry(s.file).or_default().push(d);
        }
        Archive { repeats }
    }

    /// The `not-unique` findings for the file at `display` (as the walk names it).
    pub fn findings(&self, cwd: &Path, display: &str) -> Vec<Diagnostic> {
        self.repeats
            .get(&normal(cwd, Path::new(display)))
            .cloned()
            .unwrap_or_default()
    }
}

/// The values of the unique fields in one post: a string, a number's digits, or each string
/// or number in an array (so two posts' `aliases` collide on any shared item).
fn values(config: &Config, cwd: &Path, path: &Path, file: &Path) -> Vec<Seen> {
    let schema = config.schema_for_file(cwd, file);
    if !schema.fields.values().any(|f| f.unique) {
        return Vec::new();
    }
    let Ok((bytes, split)) = read_front(path, &config.limits) else {
        return Vec::new();
    };
    let Ok(post) = Post::from_split(&bytes, split, &config.limits) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, spec) in schema.fields.iter().filter(|(_, f)| f.unique) {
        let Some(found) = spec.path.resolve(&post.table) else {
            continue;
        };
        let field: Arc<str> = Arc::from(name.as_str());
        let nodes = match &found.node.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![found.node],
        };
        for node in nodes {
            if let Some(value) = scalar_text(&node.value) {
                out.push(Seen {
                    field: Arc::clone(&field),
                    value,
                    file: file.to_path_buf(),
                    pos: node.pos,
                });
            }
        }
    }
    out
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Int(i) => Some(i.value.to_string()),
        Value::Float(f) => f.decimal_text(),
        _ => None,
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved by name, so the same file
/// named two ways (`posts/a.md`, `./site/../posts/a.md`) is one key.
fn normal(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in crate::walk::absolute(cwd, path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
