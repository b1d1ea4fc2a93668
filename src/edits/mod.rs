//! `fmx edit` on one post: operations on the value, the new text written surgically (only
//! changed entries re-emitted), the result loaded again and compared with the intended value,
//! then, with `--to` or `--dates`, converted in the same pass.

mod fresh;
pub mod ops;
pub mod recipe;
pub mod surgical;

use std::ops::Range;

use crate::convert::{Change, ChangeKind, ConvertOptions, DatesMode, Status, Verdict};
use crate::document::{Format, LineEnding};
use crate::edit::EditError;
use crate::formats::{DuplicateKey, EmitError, Limits};
use crate::load::{LoadError, Post};
use crate::value::{DateTime, DateTimeKind, Table, Value};

pub use ops::Op;

/// An operation and the files it applies to (a recipe step may name some; `None`: all).
#[derive(Clone, Debug)]
pub struct Step {
    pub op: Op,
    pub paths: Option<globset::GlobSet>,
}

/// Everything one file's edit needs.
#[derive(Clone, Debug)]
pub struct EditOptions<'a> {
    pub steps: &'a [Step],
    /// `--to`: convert after editing.
    pub to: Option<Format>,
    pub dates: DatesMode,
    /// `--tz`: the zone local dates of date fields are read in, for `--dates`.
    pub tz: Option<&'a jiff::tz::TimeZone>,
    pub date_fields: Vec<(String, crate::config::FieldType)>,
    pub known: Vec<String>,
    pub limits: Limits,
    /// The YAML reading named (`--yaml`, `yaml = "…"`), for the conversion after the edit.
    pub yaml: Option<crate::formats::yaml::YamlVersion>,
}

/// Why a post that loads is not edited.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Op(#[from] ops::OpError),
    #[error("duplicate key `{}` at line {} (first at line {}): readers disagree on which one wins", .0.key, .0.pos.line, .0.first.line)]
    DuplicateKey(DuplicateKey),
    #[error("{0}")]
    Emit(#[from] EmitError),
    #[error("the edited file would not read back as intended: {0}")]
    Verify(#[from] EditError),
    #[error("`{key}`: {message}")]
    Zone { key: String, message: String },
    #[error("`{0}` would read back differently from what the edits intend")]
    ValueDiffers(String),
    #[error("{0}")]
    Convert(String),
}

/// One file's edit.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub from: Option<Format>,
    pub changes: Vec<Change>,
    pub verdict: EditVerdict,
}

#[derive(Clone, Debug)]
pub enum EditVerdict {
    Unchanged,
    NoFrontMatter,
    /// The whole new file, verified, and how long its header (all before the body) is.
    Edited {
        bytes: Vec<u8>,
        header: usize,
    },
    Refused(Refusal),
    Failed(LoadError),
}

impl Outcome {
    pub fn status(&self) -> Status {
        match self.verdict {
            EditVerdict::Unchanged | EditVerdict::NoFrontMatter => Status::Unchanged,
            EditVerdict::Edited { .. } => Status::Converted,
            EditVerdict::Refused(_) => Status::Refused,
            EditVerdict::Failed(_) => Status::Error,
        }
    }

    pub fn reason(&self) -> Option<String> {
        match &self.verdict {
            EditVerdict::Unchanged | EditVerdict::Edited { .. } => None,
            EditVerdict::NoFrontMatter => Some("no front matter: nothing to edit".into()),
            EditVerdict::Refused(r) => Some(r.to_string()),
            EditVerdict::Failed(e @ LoadError::Block { error, .. }) => {
                let p = e.pos();
                Some(format!("line {}, column {}: {error}", p.line, p.col))
            }
            EditVerdict::Failed(e) => Some(e.to_string()),
        }
    }

    fn refused(mut self, reason: impl Into<Refusal>) -> Self {
        self.verdict = EditVerdict::Refused(reason.into());
        self
    }
}

/// A unified diff of everything before the body, old → new.
pub fn diff(path: &str, old: &[u8], old_header: usize, new: &[u8], new_header: usize) -> String {
    let old = String::from_utf8_lossy(&old[..old_header]).replace("\r\n", "\n");
    let new = String::from_utf8_lossy(&new[..new_header]).replace("\r\n", "\n");
    crate::report::diff::unified(path, &old, &new)
}

/// Edits the post in `bytes`, whose path as the report shows it is `path`.
pub fn edit_bytes(bytes: &[u8], path: &str, opts: &EditOptions<'_>) -> Outcome {
    let post = match Post::load(bytes, &opts.limits) {
        Ok(post) => post,
        Err(LoadError::NoFrontMatter) => {
            return Outcome {
                from: None,
                changes: Vec::new(),
                verdict: EditVerdict::NoFrontMatter,
            };
        }
        Err(e) => {
            return Outcome {
                from: e.format(),
                changes: Vec::new(),
                verdict: EditVerdict::Failed(e),
            };
        }
    };
    let mut outcome = Outcome {
        from: Some(post.layout.format),
        changes: Vec::new(),
        verdict: EditVerdict::Unchanged,
    };
    if let Some(d) = post.duplicates.first() {
        return outcome.refused(Refusal::DuplicateKey(d.clone()));
    }
    let edited = match edit_post(bytes, &post, path, opts, &mut outcome.changes) {
        Ok(edited) => edited,
        Err(reason) => return outcome.refused(reason),
    };
    let (new, header) = match edited {
        Some(new) => {
            let header = new.len() - post.layout.body.len();
            (new, header)
        }
        None => (bytes.to_vec(), post.layout.body.start),
    };
    let converted = match convert_after(&new, &post, opts, &mut outcome.changes) {
        Ok(c) => c,
        Err(reason) => return outcome.refused(reason),
    };
    let (new, header) = converted.unwrap_or((new, header));
    if new != bytes {
        outcome.verdict = EditVerdict::Edited { bytes: new, header };
    }
    outcome
}

/// The steps applied to the post's table, the new file assembled and verified; `None` when
/// the steps change no value.
fn edit_post(
    bytes: &[u8],
    post: &Post,
    path: &str,
    opts: &EditOptions<'_>,
    changes: &mut Vec<Change>,
) -> Result<Option<Vec<u8>>, Refusal> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let facts = ops::FileFacts {
        format: post.layout.format,
        name,
        known: &opts.known,
    };
    let mut intended = post.table.clone();
    let mut renamed: Vec<surgical::Renamed> = Vec::new();
    for step in opts.steps {
        if step.paths.as_ref().is_some_and(|g| !g.is_match(path)) {
            continue;
        }
        let before = changes.len();
        ops::apply(&step.op, &mut intended, &facts, changes)?;
        if let (Op::Rename { from, to }, true) = (&step.op, changes.len() > before) {
            track_rename(&mut renamed, from, to);
        }
    }
    if opts.dates != DatesMode::Keep
        && let Some(tz) = opts.tz
    {
        zone_local_dates(&mut intended, tz, &opts.date_fields, changes)?;
    }
    if intended.same_value(&post.table) && same_comments(&intended, &post.table) {
        return Ok(None);
    }
    write_verified(bytes, post, &intended, &renamed, opts, changes).map(Some)
}

fn same_comments(a: &Table, b: &Table) -> bool {
    a.iter()
        .zip(b.iter())
        .all(|((_, x), (_, y))| x.comments == y.comments)
}

/// Renames in place (within one table), as new path → the path the original file has.
fn track_rename(
    renamed: &mut Vec<surgical::Renamed>,
    from: &crate::keypath::KeyPath,
    to: &crate::keypath::KeyPath,
) {
    let keys = |p: &crate::keypath::KeyPath| -> Vec<String> {
        p.segments()
            .iter()
            .filter_map(|s| match s {
                crate::keypath::Segment::Key(k) => Some(k.clone()),
                crate::keypath::Segment::Index(_) => None,
            })
            .collect()
    };
    let (f, t) = (keys(from), keys(to));
    if f.split_last().map(|(_, p)| p) != t.split_last().map(|(_, p)| p) {
        return;
    }
    match renamed.iter_mut().find(|(new, _)| *new == f) {
        Some(pair) => pair.0 = t,
        None => renamed.push((t, f)),
    }
}

/// The surgical text if it verifies (changed tables edited inside first, then written
/// whole); else the whole block re-emitted (listed as `reformatted`), if that verifies;
/// else the reason.
fn write_verified(
    bytes: &[u8],
    post: &Post,
    intended: &Table,
    renamed: &[surgical::Renamed],
    opts: &EditOptions<'_>,
    changes: &mut Vec<Change>,
) -> Result<Vec<u8>, Refusal> {
    let layout = &post.layout;
    for deep in [true, false] {
        let Some(Ok(s)) = surgical::rewrite(bytes, post, intended, renamed, deep) else {
            continue;
        };
        let new = splice(bytes, layout.content.clone(), &s.block);
        if let Ok(back) = verify(&new, post, bytes, intended, &opts.limits) {
            moved(intended, &back, "", changes);
            for key in s.reformatted {
                changes.push(note(key, ChangeKind::Reformatted, "re-emitted whole"));
            }
            for (key, text) in s.dropped {
                let from = Some(format!("#{text}"));
                let listed = changes
                    .iter()
                    .any(|c| c.kind == ChangeKind::CommentRemoved && c.from == from);
                if !listed {
                    changes.push(Change {
                        key,
                        kind: ChangeKind::CommentRemoved,
                        from,
                        to: None,
                        detail: None,
                    });
                }
            }
            return Ok(new);
        }
    }
    let text = surgical::emit(layout.format, intended, layout.line_ending)?;
    let text = match layout.line_ending {
        LineEnding::Lf => text,
        LineEnding::Crlf => text.replace('\n', "\r\n"),
    };
    let new = splice(bytes, layout.content.clone(), &text);
    let back = verify(&new, post, bytes, intended, &opts.limits)?;
    moved(intended, &back, "", changes);
    changes.push(note(
        "(front matter)".to_string(),
        ChangeKind::Reformatted,
        "the whole front matter re-emitted: its keys do not each start a line",
    ));
    Ok(new)
}

/// Loads `new` as a later run will: the same format, no duplicate key, the same body, and
/// every intended value (key order aside: TOML may move keys, and each move is listed).
fn verify(
    new: &[u8],
    post: &Post,
    old: &[u8],
    intended: &Table,
    limits: &Limits,
) -> Result<Table, Refusal> {
    let back = Post::load(new, limits).map_err(|e| Refusal::Verify(EditError::DoesNotLoad(e)))?;
    if back.layout.format != post.layout.format || !back.duplicates.is_empty() {
        return Err(Refusal::Verify(EditError::ValuesChanged));
    }
    if back.body(new) != post.body(old) {
        return Err(Refusal::Verify(EditError::BodyChanged));
    }
    match crate::convert::first_difference(intended, &back.table, "") {
        Some(path) => Err(Refusal::ValueDiffers(path)),
        None => Ok(back.table),
    }
}

fn note(key: String, kind: ChangeKind, detail: &str) -> Change {
    Change {
        key,
        kind,
        from: None,
        to: None,
        detail: Some(detail.to_string()),
    }
}

/// TOML keeps plain keys before tables: a key written before one it followed is listed,
/// at any depth.
fn moved(intended: &Table, written: &Table, parent: &str, changes: &mut Vec<Change>) {
    let keys: Vec<&String> = written.entries.keys().collect();
    for (i, key) in keys.iter().enumerate() {
        let was = intended.entries.get_index_of(*key).unwrap_or(0);
        let jumped = keys[i + 1..]
            .iter()
            .any(|k| intended.entries.get_index_of(*k).is_some_and(|j| j < was));
        let path = crate::formats::key_path(parent, key);
        if jumped {
            changes.push(note(
                path.clone(),
                ChangeKind::Moved,
                "TOML puts plain keys before tables",
            ));
        }
        if let (Some(Value::Table(a)), Some(Value::Table(b))) = (
            intended.get(key).map(|e| &e.node.value),
            written.get(key).map(|e| &e.node.value),
        ) {
            moved(a, b, &path, changes);
        }
    }
}

fn splice(bytes: &[u8], range: Range<usize>, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + text.len());
    out.extend_from_slice(&bytes[..range.start]);
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&bytes[range.end..]);
    out
}

/// With `--tz`, a local date or date-time in a date field becomes the instant it names in
/// that zone (an offset date-time), which `--dates` then converts.
fn zone_local_dates(
    table: &mut Table,
    tz: &jiff::tz::TimeZone,
    fields: &[(String, crate::config::FieldType)],
    changes: &mut Vec<Change>,
) -> Result<(), Refusal> {
    for (key, _) in fields {
        let Some(entry) = table.entries.get_mut(key) else {
            continue;
        };
        let Value::DateTime(d) = &entry.node.value else {
            continue;
        };
        let civil: jiff::civil::DateTime = match d.kind {
            DateTimeKind::Date => d
                .text
                .parse::<jiff::civil::Date>()
                .map(|x| x.to_datetime(jiff::civil::Time::midnight())),
            DateTimeKind::Local => d.text.parse(),
            DateTimeKind::Offset | DateTimeKind::Time => continue,
        }
        .map_err(|e| Refusal::Zone {
            key: key.clone(),
            message: e.to_string(),
        })?;
        let zoned = civil
            .to_zoned_datetime(tz.clone())
            .map_err(|e| Refusal::Zone {
                key: key.clone(),
                message: e.to_string(),
            })?;
        let text = zoned
            .timestamp()
            .display_with_offset(zoned.offset())
            .to_string();
        // How fmx's readers write a UTC offset.
        let text = match text.strip_suffix("+00:00") {
            Some(t) => format!("{t}Z"),
            None => text,
        };
        let before = d.text.clone();
        entry.node.value = Value::DateTime(DateTime {
            kind: DateTimeKind::Offset,
            text: text.clone(),
        });
        changes.push(Change {
            key: key.clone(),
            kind: ChangeKind::Set,
            from: Some(before),
            to: Some(text),
            detail: Some("local date read in --tz".into()),
        });
    }
    Ok(())
}

/// With `--to` or `--dates`, the edited file converted (and verified) in the same run.
fn convert_after(
    new: &[u8],
    post: &Post,
    opts: &EditOptions<'_>,
    changes: &mut Vec<Change>,
) -> Result<Option<(Vec<u8>, usize)>, Refusal> {
    if opts.to.is_none() && opts.dates == DatesMode::Keep {
        return Ok(None);
    }
    let convert = ConvertOptions {
        to: opts.to.unwrap_or(post.layout.format),
        dates: opts.dates,
        date_fields: opts.date_fields.clone(),
        limits: opts.limits,
        yaml: opts.yaml,
    };
    let outcome = crate::convert::convert_bytes(new, &convert);
    let reason = outcome.reason();
    changes.extend(outcome.changes);
    match outcome.verdict {
        Verdict::Converted(file) => {
            let header = file.bytes.len() - post.layout.body.len();
            Ok(Some((file.bytes, header)))
        }
        Verdict::Unchanged | Verdict::NoFrontMatter => Ok(None),
        Verdict::Refused(_) | Verdict::Failed(_) => {
            Err(Refusal::Convert(reason.unwrap_or_default()))
        }
    }
}

#[cfg(test)]
mod tests;
