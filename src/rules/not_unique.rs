//! `not-unique`: an array field with `unique-items = true` that repeats an item, or a
//! `unique = true` field whose value another post the config covers has too; reported at
//! the repeat, naming the first. Its page, its in-post check, and the [`Archive`] of values
//! across posts.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::check::read_front;
use crate::config::{Config, Schema};
use crate::diagnostic::{Diagnostic, Related};
use crate::load::Post;
use crate::rules::fields::judged;
use crate::schema::json::node_to_json;
use crate::value::{Pos, Table, Value};
use crate::walk::{Input, WalkError, Walker};

use super::{Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A value that must be unique and is not: an item repeated in an array field
with `unique-items = true` in `fmx.toml`, reported at the repeat and naming
the first one (items are compared as JSON sees them); or the value of a
`unique = true` field that an earlier post (in path order) has too, judged
over every post the config covers, even when one file is named, and among
the posts of the `[[overrides]]` block that sets it."#,
        why: r#"A tag listed twice shows twice, or counts the post twice on the tag's
page; an author listed twice is credited twice. Two posts with one slug,
alias or URL overwrite each other's page, depending on build order."#,
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
    check: |cx, out| super::on_table(cx, out, check_table),
};

/// The check on a post's table (also run by `rules::fields::check_values`).
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

/// `unique = true` across the archive, in one read per post: the check names each file it
/// visits ([`Gatherer::visit`]) and hands over each post it loads ([`Gatherer::see`]);
/// [`Gatherer::finish`] reads only the posts of the config's folder the check did not visit
/// (a pre-commit run names one post; the rest of the archive is still judged), then judges.
///
/// What is held per post is its name, once, in one buffer, and per value a 128-bit hash
/// and where it was: a value's text is kept only once a second post has it, and paths are
/// normalised and sorted only within such a group. Values are told apart by the hash
/// (two random 64-bit SipHash keys per run: a false collision is about 2^-128 per pair).
#[derive(Debug, Default)]
pub struct Gatherer {
    state: Mutex<State>,
    hashers: [RandomState; 2],
}

/// The later occurrences, by the name the check gave the file.
pub type Findings = Vec<(String, Vec<Diagnostic>)>;

/// A file's index among the names [`Gatherer::visit`] and the gathering gave out.
pub type FileId = u32;

#[derive(Debug, Default)]
struct State {
    files: Files,
    values: HashMap<[u64; 2], Slot>,
}

/// The files' names in one buffer (file `i` is `text[ends[i - 1]..ends[i]]`), and what
/// each is: checked (its findings are reported) or gathered, inside the archive or not.
#[derive(Debug, Default)]
struct Files {
    text: String,
    ends: Vec<usize>,
    checked: Vec<bool>,
    covered: Vec<bool>,
}

impl Files {
    fn push(&mut self, name: &str, checked: bool) -> FileId {
        self.text.push_str(name);
        self.ends.push(self.text.len());
        self.checked.push(checked);
        self.covered.push(!checked);
        // Ids wrap past 4 billion files, which the names alone could not fit in memory.
        (self.ends.len() - 1) as FileId
    }

    fn name(&self, id: FileId) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// A value's first sighting, and the others once there are any.
#[derive(Debug)]
struct Slot {
    first: Seen,
    more: Option<Box<Group>>,
}

/// A value more than one post has (or one post twice): its field, its text, the others.
#[derive(Debug)]
struct Group {
    field: String,
    text: String,
    more: Vec<Seen>,
}

/// Where a value was seen.
#[derive(Clone, Copy, Debug)]
struct Seen {
    file: FileId,
    pos: Pos,
}

/// Where a post is: what tells which block of the config (the base or an override) each of
/// its unique fields comes from, since values are judged among the posts of one block.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub config: &'a Config,
    pub cwd: &'a Path,
    pub path: &'a Path,
}

/// One unique field's value in a post, before it is judged.
struct Unique<'p> {
    /// [`Config::field_source`] of the field.
    block: usize,
    field: &'p str,
    text: Cow<'p, str>,
    pos: Pos,
}

impl Gatherer {
    /// `None` when no schema of the config has a `unique` field.
    pub fn new(config: &Config) -> Option<Gatherer> {
        config.has_unique_fields().then(Gatherer::default)
    }

    /// The id of a file the check visits, by the name it shows: the gathering after the
    /// check does not read it again, even when it does not load.
    pub fn visit(&self, display: &str) -> FileId {
        self.lock().files.push(display, true)
    }

    /// The unique values of a post the check loaded, `file` as [`Gatherer::visit`] gave it.
    pub fn see(&self, place: Place<'_>, schema: &Schema, file: FileId, post: &Post) {
        self.add(&values(place, schema, post), file);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Two 64-bit halves, not a `u128`, so that a map entry is 8-aligned (40 bytes, not 48).
    fn hash(&self, v: &Unique<'_>) -> [u64; 2] {
        let text: &str = &v.text;
        self.hashers
            .each_ref()
            .map(|h| h.hash_one((v.block, v.field, text)))
    }

    fn add(&self, values: &[Unique<'_>], file: FileId) {
        let hashes: Vec<[u64; 2]> = values.iter().map(|v| self.hash(v)).collect();
        self.lock().add(values, &hashes, file);
    }

    /// Reads the posts of the config's folder the check did not visit, and judges every
    /// value: a post the config covers is first in path order; a checked post it does not
    /// cover (outside its folder, or one its walk ignores, named on the command line) is
    /// judged after them, so it collides with the archive but never makes an archive post a
    /// repeat. The findings are on the checked files only.
    pub fn finish(
        self,
        config: &Config,
        cwd: &Path,
        (walker, named, threads): (&Walker, &[PathBuf], usize),
    ) -> Result<Findings, WalkError> {
        let root = normal(cwd, &config.root);
        let dot = [PathBuf::from(".")];
        let named = if named.is_empty() { &dot[..] } else { named };
        // Only folders that hold the config's whole folder were named: the check read every
        // post the config covers, and those are exactly the ones under it.
        let whole = named
            .iter()
            .all(|p| p.is_dir() && root.starts_with(normal(cwd, p)));
        if !whole {
            self.rest(config, cwd, walker, threads)?;
        }
        let root = whole.then(|| key(&root));
        let state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok(state.judge(cwd, root.as_deref()))
    }

    /// Walks the config's folder: a checked file found there is covered; any other post's
    /// values are read (gathered, never reported).
    fn rest(
        &self,
        config: &Config,
        cwd: &Path,
        walker: &Walker,
        threads: usize,
    ) -> Result<(), WalkError> {
        let checked = self.lock().files.by_path(cwd, &self.hashers[0]);
        walker.visit(std::slice::from_ref(&config.root), threads, &|input| {
            let Input::File { path, display } = &input else {
                return;
            };
            let abs = normal(cwd, Path::new(display));
            let key = key(&abs);
            if let Some(ids) = checked.get(&self.hashers[0].hash_one(&key)) {
                let mut state = self.lock();
                let same: Vec<FileId> = ids
                    .iter()
                    .copied()
                    .filter(|&id| key_of(cwd, state.files.name(id)) == key)
                    .collect();
                if !same.is_empty() {
                    same.iter()
                        .for_each(|&id| state.files.covered[id as usize] = true);
                    return;
                }
            }
            let schema = config.schema_for_file(cwd, &abs);
            if !schema.fields.values().any(|f| f.unique) {
                return;
            }
            let Some(post) = read_post(config, path) else {
                return;
            };
            let place = Place {
                config,
                cwd,
                path: &abs,
            };
            let values = values(place, &schema, &post);
            let file = self.lock().files.push(display, false);
            self.add(&values, file);
        })
    }
}

impl Files {
    /// The checked files by a hash of their normal path (several names may be one file).
    fn by_path(&self, cwd: &Path, hasher: &RandomState) -> HashMap<u64, Vec<FileId>> {
        let mut out: HashMap<u64, Vec<FileId>> = HashMap::new();
        for id in 0..self.ends.len() as FileId {
            let hash = hasher.hash_one(key_of(cwd, self.name(id)));
            out.entry(hash).or_default().push(id);
        }
        out
    }
}

impl State {
    fn add(&mut self, values: &[Unique<'_>], hashes: &[[u64; 2]], file: FileId) {
        for (v, &hash) in values.iter().zip(hashes) {
            let seen = Seen { file, pos: v.pos };
            match self.values.entry(hash) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(Slot {
                        first: seen,
                        more: None,
                    });
                }
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let group = e.get_mut().more.get_or_insert_with(|| {
                        Box::new(Group {
                            field: v.field.to_string(),
                            text: v.text.to_string(),
                            more: Vec::new(),
                        })
                    });
                    group.more.push(seen);
                }
            }
        }
    }

    /// The later occurrences of each value seen more than once, by checked file. `root` is
    /// the config's folder when every post the check visited under it is covered.
    fn judge(self, cwd: &Path, root: Option<&[u8]>) -> Findings {
        let files = self.files;
        let cwd_key = key(cwd);
        let mut found: HashMap<FileId, Vec<Diagnostic>> = HashMap::new();
        for slot in self.values.into_values() {
            let Some(group) = slot.more else {
                continue;
            };
            // In path order, the archive's posts before the others; a file named twice is
            // one post, whose value is the first under both names or a repeat under both.
            let mut seen: Vec<(bool, Box<[u8]>, Pos, FileId)> = std::iter::once(slot.first)
                .chain(group.more)
                .map(|s| {
                    let key = key_of(cwd, files.name(s.file));
                    let covered = match root {
                        Some(root) => under(&key, root),
                        None => files.covered[s.file as usize],
                    };
                    (!covered, key, s.pos, s.file)
                })
                .collect();
            seen.sort();
            let (_, first, at, _) = &seen[0];
            let shown = shown(first, &cwd_key);
            for (_, key, pos, file) in &seen[1..] {
                if (key, pos) == (first, at) || !files.checked[*file as usize] {
                    continue;
                }
                let d = repeat(&group.field, &group.text, *pos, &shown, *at);
                found.entry(*file).or_default().push(d);
            }
        }
        found
            .into_iter()
            .map(|(file, found)| (files.name(file).to_string(), found))
            .collect()
    }
}

/// The finding at a later occurrence, naming the first.
fn repeat(field: &str, text: &str, pos: Pos, shown: &str, first: Pos) -> Diagnostic {
    let d = Diagnostic::new(
        Rule::NotUnique,
        pos,
        format!(
            "`{field}` {text:?} is not unique: {shown}:{}:{} has it too",
            first.line, first.col
        ),
    )
    .with_help("`unique = true` in fmx.toml: each post needs its own value");
    Diagnostic {
        related: Some(Related {
            path: shown.to_string(),
            line: first.line,
            column: first.col,
        }),
        ..d
    }
}

/// The front matter of a post the check did not visit, read and parsed here.
fn read_post(config: &Config, path: &Path) -> Option<Post> {
    let (bytes, split) = read_front(path, &config.limits).ok()?;
    Post::from_split(&bytes, split, &config.limits).ok()
}

/// The values of the unique fields in one post: a string, a number's digits, or each string
/// or number in an array (so two posts' `aliases` collide on any shared item).
fn values<'p>(place: Place<'_>, schema: &'p Schema, post: &'p Post) -> Vec<Unique<'p>> {
    let mut out = Vec::new();
    for (name, spec) in schema.fields.iter().filter(|(_, f)| f.unique) {
        let Some(found) = spec.path.resolve(&post.table) else {
            continue;
        };
        let block = place.config.field_source(place.cwd, place.path, name);
        let nodes = match &found.node.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![found.node],
        };
        for node in nodes {
            if let Some(text) = scalar_text(&node.value) {
                out.push(Unique {
                    block,
                    field: name,
                    text,
                    pos: node.pos,
                });
            }
        }
    }
    out
}

fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(Cow::Borrowed(s)),
        Value::Int(i) => Some(Cow::Owned(i.value.to_string())),
        Value::Float(f) => f.decimal_text().map(Cow::Owned),
        _ => None,
    }
}

/// A normal path's bytes with each separator made 0: they sort as the paths do (`a/b`
/// before `a.b`).
fn key(path: &Path) -> Box<[u8]> {
    let sep = std::path::MAIN_SEPARATOR as u8;
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| if b == sep { 0 } else { b })
        .collect()
}

/// The key of a file the check or the gathering named `name`.
fn key_of(cwd: &Path, name: &str) -> Box<[u8]> {
    key(&normal(cwd, Path::new(name)))
}

fn under(key: &[u8], root: &[u8]) -> bool {
    key.starts_with(root) && key.get(root.len()).is_none_or(|&b| b == 0)
}

/// The path as messages show it: relative to `cwd` when under it.
fn shown(key: &[u8], cwd: &[u8]) -> String {
    let rest = match key.strip_prefix(cwd) {
        Some([0, rest @ ..]) => rest,
        _ => key,
    };
    let sep = std::path::MAIN_SEPARATOR as u8;
    let bytes: Vec<u8> = rest.iter().map(|&b| if b == 0 { sep } else { b }).collect();
    String::from_utf8_lossy(&bytes).into_owned()
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
