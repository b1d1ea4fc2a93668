//! `not-unique`: an array field with `unique-items = true` that repeats an item, or a
//! `unique = true` field whose value another post the config covers has too; reported at
//! the repeat, naming the first. Its page, its in-post check, and the [`Archive`] of values
//! across posts.

use std::collections::{HashMap, HashSet};
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

/// `unique = true` across the archive, in one read per post: the check hands each post it
/// loads to [`Gatherer::see`], which keeps only the unique fields' values; [`Gatherer::finish`]
/// then walks the config's folder and reads only the posts the check did not visit (a
/// pre-commit run names one post; the rest of the archive is still judged). Only those
/// values are held, with where each was seen.
#[derive(Debug, Default)]
pub struct Gatherer {
    seen: Mutex<Vec<Seen>>,
    /// The files the check visited (absolute, lexically normal path), with the names it gave
    /// them; their values are in `seen` already.
    visited: Mutex<Visited>,
}

/// Each visited file, with the names the check gave it.
type Visited = HashMap<Key, (Arc<File>, Vec<String>)>;

/// The later occurrences, by the name the check gave the file.
pub type Findings = Vec<(String, Vec<Diagnostic>)>;

/// One value of a unique field in one post.
#[derive(Debug)]
struct Seen {
    field: Arc<str>,
    value: String,
    file: Arc<File>,
    pos: Pos,
}

/// A post's file: its absolute, lexically normal path, so that the same file named two ways
/// (`posts/a.md`, `./site/../posts/a.md`) is one, and that path as a [`Key`].
#[derive(Debug)]
pub struct File {
    key: Key,
}

/// A normal path's bytes with each separator made 0: they hash as bytes, not component by
/// component, and sort as the paths do (`a/b` before `a.b`), at a fraction of the cost.
type Key = Box<[u8]>;

impl File {
    fn new(cwd: &Path, display: &Path) -> File {
        File {
            key: key(&normal(cwd, display)),
        }
    }

    /// The path as messages show it: relative to `cwd` when under it.
    fn shown(&self, cwd: &Path) -> String {
        let cwd = key(cwd);
        let rest = match self.key.strip_prefix(&cwd[..]) {
            Some([0, rest @ ..]) => rest,
            _ => &self.key[..],
        };
        let sep = std::path::MAIN_SEPARATOR as u8;
        let bytes: Vec<u8> = rest.iter().map(|&b| if b == 0 { sep } else { b }).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn key(path: &Path) -> Key {
    let sep = std::path::MAIN_SEPARATOR as u8;
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| if b == sep { 0 } else { b })
        .collect()
}

impl Gatherer {
    /// `None` when no schema of the config has a `unique` field.
    pub fn new(config: &Config) -> Option<Gatherer> {
        config.has_unique_fields().then(Gatherer::default)
    }

    /// Marks `display` as visited by the check; the file's normal path when it is the first
    /// visit (a file named twice is one post: its values count once).
    pub fn visit(&self, cwd: &Path, display: &str) -> Option<Arc<File>> {
        let file = Arc::new(File::new(cwd, Path::new(display)));
        let mut visited = self.visited.lock().unwrap_or_else(|p| p.into_inner());
        let (_, names) = visited
            .entry(file.key.clone())
            .or_insert_with(|| (Arc::clone(&file), Vec::new()));
        names.push(display.to_string());
        (names.len() == 1).then_some(file)
    }

    /// The unique values of a post the check loaded, `file` as [`Gatherer::visit`] gave it.
    pub fn see(&self, schema: &Schema, file: &Arc<File>, post: &Post) {
        let mut mine = values(schema, post, file);
        self.keep(&mut mine);
    }

    fn keep(&self, mine: &mut Vec<Seen>) {
        if !mine.is_empty() {
            self.seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .append(mine);
        }
    }

    /// Reads the posts of the config's folder the check did not visit, and judges every
    /// value: the first in path order wins; the findings are on the visited files only.
    pub fn finish(
        self,
        config: &Config,
        cwd: &Path,
        (walker, named, threads): (&Walker, &[PathBuf], usize),
    ) -> Result<Findings, WalkError> {
        let visited = self.visited.into_inner().unwrap_or_else(|p| p.into_inner());
        let checked = self.seen.into_inner().unwrap_or_else(|p| p.into_inner());
        let root = normal(cwd, &config.root);
        let mut seen = if named.iter().any(|p| {
            let p = normal(cwd, p);
            root.starts_with(&p) && p.is_dir()
        }) {
            // The check walked the config's whole folder: nothing is left to read.
            let root = key(&root);
            let under = |k: &Key| k.starts_with(&root) && k.get(root.len()).is_none_or(|&b| b == 0);
            checked.into_iter().filter(|s| under(&s.file.key)).collect()
        } else {
            let gatherer = Gatherer::default();
            let covered = gatherer.rest(config, cwd, walker, threads, &visited)?;
            let mut seen = gatherer
                .seen
                .into_inner()
                .unwrap_or_else(|p| p.into_inner());
            seen.extend(
                checked
                    .into_iter()
                    .filter(|s| covered.contains(&s.file.key)),
            );
            seen
        };
        seen.sort_by(|a, b| (&a.file.key, a.pos).cmp(&(&b.file.key, b.pos)));
        let mut out = Vec::new();
        // Few values repeat: look their files up, rather than every visited file.
        for (key, found) in repeats(seen, cwd) {
            if let Some((_, names)) = visited.get(&key) {
                out.extend(names.iter().map(|name| (name.clone(), found.clone())));
            }
        }
        Ok(out)
    }

    /// Walks the config's folder, reading the posts the check did not visit; the visited
    /// ones it finds there are what the config covers (a named file outside its folder, or
    /// one its walk ignores, is checked, but its values are not the archive's).
    fn rest(
        &self,
        config: &Config,
        cwd: &Path,
        walker: &Walker,
        threads: usize,
        visited: &Visited,
    ) -> Result<HashSet<Key>, WalkError> {
        let covered: Mutex<HashSet<Key>> = Mutex::new(HashSet::new());
        walker.visit(std::slice::from_ref(&config.root), threads, &|input| {
            let Input::File { path, display } = &input else {
                return;
            };
            let abs = normal(cwd, Path::new(display));
            let file = File { key: key(&abs) };
            if visited.contains_key(&file.key) {
                covered
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(file.key);
            } else {
                self.keep(&mut read_values(config, cwd, (path, &abs), Arc::new(file)));
            }
        })?;
        Ok(covered.into_inner().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The later occurrences of each value, by file; `seen` is in path order.
fn repeats(seen: Vec<Seen>, cwd: &Path) -> HashMap<Key, Vec<Diagnostic>> {
    let mut first: HashMap<(Arc<str>, String), (Arc<File>, Pos)> = HashMap::new();
    let mut repeats: HashMap<Key, Vec<Diagnostic>> = HashMap::new();
    for s in seen {
        let key = (Arc::clone(&s.field), s.value);
        let Some((file, pos)) = first.get(&key) else {
            first.insert(key, (s.file, s.pos));
            continue;
        };
        let shown = file.shown(cwd);
        let d = Diagnostic::new(
            Rule::NotUnique,
            s.pos,
            format!(
                "`{}` {:?} is not unique: {}:{}:{} has it too",
                s.field, key.1, shown, pos.line, pos.col
            ),
        )
        .with_help("`unique = true` in fmx.toml: each post needs its own value");
        let d = Diagnostic {
            related: Some(Related {
                path: shown,
                line: pos.line,
                column: pos.col,
            }),
            ..d
        };
        repeats.entry(s.file.key.clone()).or_default().push(d);
    }
    repeats
}

/// The values of a post the check did not visit: its front matter read and parsed here.
fn read_values(
    config: &Config,
    cwd: &Path,
    (path, abs): (&Path, &Path),
    file: Arc<File>,
) -> Vec<Seen> {
    let schema = config.schema_for_file(cwd, abs);
    if !schema.fields.values().any(|f| f.unique) {
        return Vec::new();
    }
    let Ok((bytes, split)) = read_front(path, &config.limits) else {
        return Vec::new();
    };
    let Ok(post) = Post::from_split(&bytes, split, &config.limits) else {
        return Vec::new();
    };
    values(&schema, &post, &file)
}

/// The values of the unique fields in one post: a string, a number's digits, or each string
/// or number in an array (so two posts' `aliases` collide on any shared item).
fn values(schema: &Schema, post: &Post, file: &Arc<File>) -> Vec<Seen> {
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
                    file: Arc::clone(file),
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
