//! `fmx init [--infer PATH...]`: a starter `fmx.toml`, or one inferred from an archive.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;

use super::{CommandError, ExitStatus};
use crate::check::read_front;
use crate::config::{self, Config};
use crate::epoch;
use crate::keypath::KeyPath;
use crate::load::Post;
use crate::rules::fields::is_absolute_url;
use crate::value::{DateTimeKind, Value};
use crate::walk::{Input, Walker};

#[derive(Clone, Debug)]
pub struct InitSettings {
    /// `--infer PATH...`: read these posts and propose their shared schema.
    pub infer: Option<Vec<PathBuf>>,
    /// Print the config instead of writing `fmx.toml`.
    pub stdout: bool,
    /// Overwrite an existing `fmx.toml`.
    pub force: bool,
}

const STARTER: &str = r#"# fmx.toml: the schema `fmx check` holds posts to.
# Every key is optional; `fmx explain` lists the rules.

# Fields every post must have.
required = ["title", "date"]

# Walked paths to leave out (gitignore-style, relative to this file).
exclude = []

# Set to false to report fields that are not listed under [fields].
allow-unknown-fields = true

# Types: string integer float number boolean array table url epoch datetime date any
[fields.date]
type = "epoch"            # Unix seconds as a number: 1602377984.4306138
earliest = "1970-01-01"
latest = "2100-01-01"

[fields.title]
type = "string"
min-length = 1

# Per-folder rules; later overrides win.
# [[overrides]]
# paths = ["drafts/**"]
# required = ["title"]

[rules]
# delimiter-whitespace = "warn"   # off | warn | error
# bom = "warn"
"#;

pub fn run(
    settings: &InitSettings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let target = Path::new(config::FILE_NAMES[0]);
    // Refused before the archive is read: an inference over 100k posts is not thrown away.
    if !settings.stdout && target.exists() && !settings.force {
        return Err(CommandError::ConfigExists(target.to_path_buf()));
    }
    let text = match &settings.infer {
        None => STARTER.to_string(),
        Some(paths) => {
            let (text, summary) = infer(paths)?;
            writeln!(err, "{summary}")?;
            text
        }
    };
    if settings.stdout {
        out.write_all(text.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let old = std::fs::read(target).unwrap_or_default();
    if target.exists() {
        crate::write::replace(target, &old, text.as_bytes())?;
    } else {
        crate::write::create(target, text.as_bytes())?;
    }
    writeln!(err, "wrote {}", target.display())?;
    Ok(ExitStatus::Success)
}

/// What was seen of one top-level key across the archive.
#[derive(Default)]
struct KeyStats {
    /// Posts that have the key.
    files: usize,
    /// Posts where it holds something: not null, not an empty string, list or table (what
    /// `empty-field` would report if the key were required).
    filled: usize,
    shapes: BTreeMap<&'static str, usize>,
    /// Hashes of its short string and URL values, and how many values were hashed.
    values: HashSet<u64>,
    hashed: usize,
}

/// `unique = true` is proposed for a key present in at least this many posts, every one
/// with a short string (or URL) value of its own: a slug, a URL, a title.
const UNIQUE_MIN_POSTS: usize = 20;
/// Longer values are prose (descriptions), not identifiers.
const UNIQUE_MAX_CHARS: usize = 200;

impl KeyStats {
    /// The count of distinct values when every post that has the key has its own.
    fn all_distinct(&self) -> Option<usize> {
        let distinct = self.values.len();
        (self.files >= UNIQUE_MIN_POSTS && self.hashed == self.files && distinct == self.files)
            .then_some(distinct)
    }
}

/// A short string value's hash, for the `unique` proposal.
fn value_hash(value: &Value) -> Option<u64> {
    let Value::String(s) = value else {
        return None;
    };
    if s.trim().is_empty() || s.chars().count() > UNIQUE_MAX_CHARS || epoch::is_rfc3339(s) {
        return None;
    }
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    Some(h.finish())
}

/// One key of one post: its name, its shape, whether it is filled, and its value's hash
/// when it could be an identifier.
type Seen = (String, &'static str, bool, Option<u64>);

/// What `init --infer` proposes, before it is written as TOML.
struct Proposal {
    total: usize,
    required: Vec<String>,
    /// Every key, most common first, with its type where one fits, what was seen, and the
    /// count of its values when all are distinct.
    fields: Vec<(String, Option<&'static str>, String, Option<usize>)>,
    /// Keys not filled in every post, with the count of posts that fill them.
    optional: Vec<(String, usize, usize)>,
}

fn infer(paths: &[PathBuf]) -> Result<(String, String), CommandError> {
    let cwd = std::env::current_dir()?;
    let defaults = Config::defaults(cwd.clone());
    let walker = Walker::new(&defaults.extensions, &cwd, &[], &cwd, &[])?;
    let inputs = walker.collect(paths, None)?;
    let limits = defaults.limits;
    let per_file: Vec<Option<Vec<Seen>>> = inputs
        .par_iter()
        .map(|input| {
            let Input::File { path, .. } = input else {
                return None;
            };
            let (bytes, split) = read_front(path, &limits).ok()?;
            let post = Post::from_split(&bytes, split, &limits).ok()?;
            Some(
                post.table
                    .iter()
                    .map(|(k, e)| {
                        let v = &e.node.value;
                        (k.clone(), shape(v), filled(v), value_hash(v))
                    })
                    .collect(),
            )
        })
        .collect();
    let parsed: Vec<_> = per_file.into_iter().flatten().collect();
    if parsed.is_empty() {
        return Err(CommandError::NothingToInfer);
    }
    let proposal = propose(&parsed);
    let text = render(&proposal);
    verify(&text, &proposal)?;
    let summary = format!(
        "read {} of {} files ({} without readable front matter); {} fields, {} required",
        proposal.total,
        inputs.len(),
        inputs.len() - proposal.total,
        proposal.fields.len(),
        proposal.required.len()
    );
    Ok((text, summary))
}

fn propose(parsed: &[Vec<Seen>]) -> Proposal {
    let mut keys: IndexMap<String, KeyStats> = IndexMap::new();
    for file in parsed {
        for (key, shape, filled, hash) in file {
            let stats = keys.entry(key.clone()).or_default();
            stats.files += 1;
            if let Some(h) = hash {
                stats.hashed += 1;
                stats.values.insert(*h);
            }
            stats.filled += usize::from(*filled);
            *stats.shapes.entry(shape).or_default() += 1;
        }
    }
    keys.sort_by(|_, a, _, b| b.files.cmp(&a.files));
    let total = parsed.len();
    let required = keys
        .iter()
        .filter(|(_, s)| s.filled == total)
        .map(|(k, _)| k.clone())
        .collect();
    let optional = keys
        .iter()
        .filter(|(_, s)| s.filled < total)
        .map(|(k, s)| (k.clone(), s.files, s.filled))
        .collect();
    let fields = keys
        .iter()
        .map(|(key, stats)| {
            let seen: Vec<String> = stats
                .shapes
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            let ty = field_type(&stats.shapes);
            let unique = stats.all_distinct().filter(|_| ty.is_some());
            (key.clone(), ty, seen.join(", "), unique)
        })
        .collect();
    Proposal {
        total,
        required,
        fields,
        optional,
    }
}

/// The proposal as `fmx.toml` text. Keys from posts appear only as single-line quoted TOML
/// keys, never raw: a key holding a newline cannot break out of a comment into a setting.
fn render(p: &Proposal) -> String {
    let mut text = format!(
        "# fmx.toml inferred by `fmx init --infer` from {} posts.\n# Review it: it states what the archive does, not what it should do.\n\n",
        p.total
    );
    let required: Vec<String> = p
        .required
        .iter()
        .map(|k| crate::formats::toml::write::basic_string(&field_text(k)))
        .collect();
    text.push_str(&format!("required = [{}]\n", required.join(", ")));
    text.push_str("allow-unknown-fields = true\n");
    if !p.optional.is_empty() {
        text.push_str("\n# Optional fields: the posts that have them, and that fill them:\n");
        for (key, files, filled) in &p.optional {
            text.push_str(&format!(
                "#   {}  present in {}, filled in {}\n",
                toml_key(key),
                share(*files, p.total),
                share(*filled, p.total)
            ));
        }
    }
    for (key, ty, seen, unique) in &p.fields {
        match ty {
            Some(ty) => text.push_str(&format!(
                "\n[fields.{}]\ntype = \"{ty}\"  # seen: {seen}\n",
                toml_key(&field_text(key))
            )),
            None => text.push_str(&format!(
                "\n# [fields.{}]: no single type fits; seen: {seen}\n",
                toml_key(&field_text(key))
            )),
        }
        if let Some(n) = unique {
            text.push_str(&format!(
                "unique = true  # all {n} values distinct: no two posts share one\n"
            ));
        }
    }
    text
}

/// Reads the generated text back as TOML and compares it with the proposal, so a key that
/// could change what the file says is caught before anything is written.
fn verify(text: &str, p: &Proposal) -> Result<(), CommandError> {
    let broken = CommandError::InferredConfigDiffers;
    let table: toml::Table = text.parse().map_err(|_| broken("not TOML"))?;
    let keys: Vec<&String> = table.keys().collect();
    let expected_keys = ["required", "allow-unknown-fields"]
        .into_iter()
        .chain(p.fields.iter().any(|f| f.1.is_some()).then_some("fields"));
    if !keys.iter().map(|k| k.as_str()).eq(expected_keys) {
        return Err(broken("top-level keys"));
    }
    let required: Option<Vec<&str>> = table["required"]
        .as_array()
        .and_then(|a| a.iter().map(|v| v.as_str()).collect());
    let names: Vec<String> = p.required.iter().map(|k| field_text(k)).collect();
    if required != Some(names.iter().map(String::as_str).collect()) {
        return Err(broken("required"));
    }
    let typed = p
        .fields
        .iter()
        .filter_map(|(k, ty, _, u)| Some((field_text(k), (*ty)?, u.is_some())));
    let fields = table.get("fields").and_then(|f| f.as_table());
    let read = fields.into_iter().flatten().map(|(k, spec)| {
        (
            k.clone(),
            spec.get("type").and_then(|t| t.as_str()).unwrap_or(""),
            spec.get("unique")
                .and_then(|u| u.as_bool())
                .unwrap_or(false),
        )
    });
    if !read.eq(typed) {
        return Err(broken("fields"));
    }
    Ok(())
}

/// A top-level key as `fmx.toml` names a field: as it is when it reads as that one key,
/// else quoted as a key path (`"a.b"` is the key `a.b`, not `b` inside `a`).
fn field_text(key: &str) -> String {
    let single = KeyPath::key(key);
    match KeyPath::parse_field(key) {
        Ok(path) if path == single => key.to_string(),
        _ => single.to_string(),
    }
}

/// `n of total posts (share)`, where the share never rounds a partial count to 0% or 100%.
fn share(n: usize, total: usize) -> String {
    let pct = 100.0 * n as f64 / total as f64;
    let shown = match n {
        _ if n == total => "100%".to_string(),
        0 => "0%".to_string(),
        _ if pct >= 99.95 => ">99.9%".to_string(),
        _ if pct < 0.05 => "<0.1%".to_string(),
        _ => format!("{pct:.1}%"),
    };
    format!("{n} of {total} posts ({shown})")
}

/// Whether a value holds something a required field would accept as filled.
fn filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Table(t) => !t.is_empty(),
        _ => true,
    }
}

/// A value's shape, finer than its type where dates and URLs are concerned.
fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "float",
        Value::String(s) if epoch::is_rfc3339(s) => "rfc3339 string",
        Value::String(s) if s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok() => {
            "date string"
        }
        Value::String(s) if is_absolute_url(s) => "url",
        Value::String(_) => "string",
        Value::DateTime(d) => match d.kind {
            DateTimeKind::Offset => "offset date-time",
            DateTimeKind::Local => "local date-time",
            DateTimeKind::Date => "local date",
            DateTimeKind::Time => "local time",
        },
        Value::Array(_) => "array",
        Value::Table(_) => "table",
    }
}

/// The one configured type every seen shape satisfies (nulls count as absent), if any.
fn field_type(shapes: &BTreeMap<&'static str, usize>) -> Option<&'static str> {
    let seen: Vec<&str> = shapes.keys().copied().filter(|s| *s != "null").collect();
    let all = |ok: &[&str]| !seen.is_empty() && seen.iter().all(|s| ok.contains(s));
    let candidates: [(&str, &[&str]); 10] = [
        ("boolean", &["boolean"]),
        ("integer", &["integer"]),
        ("number", &["integer", "float"]),
        ("url", &["url"]),
        ("date", &["date string", "local date"]),
        (
            "datetime",
            &["rfc3339 string", "offset date-time", "local date-time"],
        ),
        (
            "string",
            &["string", "url", "date string", "rfc3339 string"],
        ),
        ("array", &["array"]),
        ("table", &["table"]),
        ("float", &["float"]),
    ];
    candidates.iter().find(|(_, ok)| all(ok)).map(|(ty, _)| *ty)
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        crate::formats::toml::write::basic_string(key)
    }
}
