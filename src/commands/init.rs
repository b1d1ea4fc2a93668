//! `fmx init [--infer PATH...]`: a starter `fmx.toml`, or one inferred from an archive.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;

use super::{CommandError, ExitStatus};
use crate::check::{fields::is_absolute_url, read_front};
use crate::config::{self, Config};
use crate::epoch;
use crate::load::Post;
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
    let target = Path::new(config::FILE_NAMES[0]);
    if target.exists() && !settings.force {
        return Err(CommandError::ConfigExists(target.to_path_buf()));
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
    files: usize,
    shapes: BTreeMap<&'static str, usize>,
}

fn infer(paths: &[PathBuf]) -> Result<(String, String), CommandError> {
    let cwd = std::env::current_dir()?;
    let defaults = Config::defaults(cwd.clone());
    let walker = Walker::new(&defaults.extensions, &cwd, &[], &cwd, &[])?;
    let inputs = walker.collect(paths, None)?;
    let limits = defaults.limits;
    let per_file: Vec<Option<Vec<(String, &'static str)>>> = inputs
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
                    .map(|(k, e)| (k.clone(), shape(&e.node.value)))
                    .collect(),
            )
        })
        .collect();
    let parsed: Vec<_> = per_file.into_iter().flatten().collect();
    if parsed.is_empty() {
        return Err(CommandError::NothingToInfer);
    }
    let mut keys: IndexMap<String, KeyStats> = IndexMap::new();
    for file in &parsed {
        for (key, shape) in file {
            let stats = keys.entry(key.clone()).or_default();
            stats.files += 1;
            *stats.shapes.entry(shape).or_default() += 1;
        }
    }
    keys.sort_by(|_, a, _, b| b.files.cmp(&a.files));
    let total = parsed.len();
    let required: Vec<&String> = keys
        .iter()
        .filter(|(_, s)| s.files == total)
        .map(|(k, _)| k)
        .collect();
    let text = render_inferred(&keys, &required, total);
    let summary = format!(
        "read {} of {} files ({} without readable front matter); {} fields, {} required",
        total,
        inputs.len(),
        inputs.len() - total,
        keys.len(),
        required.len()
    );
    Ok((text, summary))
}

/// The inferred config's text: required fields, the optional ones with their share, and a
/// type per field where one fits.
fn render_inferred(
    keys: &IndexMap<String, KeyStats>,
    required: &[&String],
    total: usize,
) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "# fmx.toml inferred by `fmx init --infer` from {total} posts.\n# Review it: it states what the archive does, not what it should do.\n\n"
    ));
    text.push_str(&format!("required = {}\n", toml_list(required)));
    text.push_str("allow-unknown-fields = true\n");
    let optional: Vec<_> = keys.iter().filter(|(_, s)| s.files < total).collect();
    if !optional.is_empty() {
        text.push_str("\n# Optional fields, with the share of posts that carry them:\n");
        for (key, stats) in &optional {
            text.push_str(&format!(
                "#   {} {:.0}%\n",
                toml_key(key),
                100.0 * stats.files as f64 / total as f64
            ));
        }
    }
    for (key, stats) in keys {
        let seen: Vec<String> = stats
            .shapes
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        match field_type(&stats.shapes) {
            Some(ty) => text.push_str(&format!(
                "\n[fields.{}]\ntype = \"{ty}\"  # seen: {}\n",
                toml_key(key),
                seen.join(", ")
            )),
            None => text.push_str(&format!(
                "\n# [fields.{}]: no single type fits; seen: {}\n",
                toml_key(key),
                seen.join(", ")
            )),
        }
    }
    text
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
        toml::Value::String(key.to_string()).to_string()
    }
}

fn toml_list(items: &[&String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| toml::Value::String(s.to_string()).to_string())
        .collect();
    format!("[{}]", quoted.join(", "))
}
