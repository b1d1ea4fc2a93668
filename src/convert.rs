//! One post in another format: transform dates, emit, parse back, compare, assemble.
//!
//! Lossless or refused: the new block is parsed back with the target's own parser and
//! compared with the value it was meant to hold (the original, plus only the changes that
//! were asked for or that the SPEC names); any difference refuses the file. The body bytes
//! are copied, never decoded.

use serde::Serialize;

use crate::config::FieldType;
use crate::document::{self, Format, Layout, LineEnding};
use crate::epoch;
use crate::formats::yaml::{self, YamlVersion};
use crate::formats::{self, DuplicateKey, Limits, Note, ParseError};
use crate::load::{LoadError, Post};
use crate::value::{DateTime, DateTimeKind, Node, Pos, Table, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatesMode {
    Keep,
    Epoch,
    Rfc3339,
}

#[derive(Clone, Debug)]
pub struct ConvertOptions {
    pub to: Format,
    pub dates: DatesMode,
    /// Top-level keys whose values are dates, and their configured type.
    pub date_fields: Vec<(String, FieldType)>,
    pub limits: Limits,
    /// The YAML reading named (`--yaml`, `yaml = "…"`); `None`: a YAML value that YAML 1.1
    /// and 1.2 readers read apart refuses the file.
    pub yaml: Option<YamlVersion>,
}

/// How one file came out, as the report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Converted,
    Unchanged,
    Refused,
    Error,
}

/// What kind of value-level change a conversion makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A key written after others (TOML wants plain keys before tables).
    Moved,
    CommentDropped,
    DatetimeToString,
    DateToEpoch,
    DateToRfc3339,
    /// A plain string Psych (Jekyll) reads as a time, written as a date-time (`--yaml 1.1`).
    PsychTime,
    // `fmx edit`'s changes, one per operation that changed a value.
    Set,
    Unset,
    Renamed,
    Replaced,
    DroppedNull,
    Nested,
    DateFromFilename,
    /// An entry re-emitted whole because the edit could not touch only its lines.
    Reformatted,
    /// A comment removed with its key.
    CommentRemoved,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Moved => "moved",
            ChangeKind::CommentDropped => "comment-dropped",
            ChangeKind::DatetimeToString => "datetime-to-string",
            ChangeKind::DateToEpoch => "date-to-epoch",
            ChangeKind::DateToRfc3339 => "date-to-rfc3339",
            ChangeKind::PsychTime => "psych-time",
            ChangeKind::Set => "set",
            ChangeKind::Unset => "unset",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Replaced => "replaced",
            ChangeKind::DroppedNull => "dropped-null",
            ChangeKind::Nested => "nested",
            ChangeKind::DateFromFilename => "date-from-filename",
            ChangeKind::Reformatted => "reformatted",
            ChangeKind::CommentRemoved => "comment-removed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value-level change the conversion makes, for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub key: String,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Why a date field cannot be converted exactly.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "{kind} {text} has no UTC offset, so it names no single instant (`--tz ZONE` names the zone it was written in)"
    )]
    NoOffset { kind: &'static str, text: String },
    #[error("a {0} is not a date")]
    NotADate(&'static str),
    #[error("{0:?} is not an epoch number or an RFC 3339 date-time")]
    NotEpochOrRfc3339(String),
    #[error("NaN or infinity is not a date")]
    NotFinite,
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("{text} looks like milliseconds: as seconds it would be {as_date}")]
    Milliseconds { text: String, as_date: String },
    #[error(transparent)]
    Epoch(#[from] epoch::EpochError),
}

/// Why a post that loads is not converted: lossless or refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("duplicate key `{}` at line {} (first at line {}): readers disagree on which one wins", .0.key, .0.pos.line, .0.first.line)]
    DuplicateKey(DuplicateKey),
    #[error("{}:{}: `{key}`: {error}", pos.line, pos.col)]
    Date {
        key: String,
        pos: Pos,
        error: DateError,
    },
    #[error("{}{error}", at(*pos))]
    Emit {
        error: formats::EmitError,
        /// Where the value stands, when its path leads to it.
        pos: Option<Pos>,
    },
    #[error("the {to} written would not read back: {error}")]
    DoesNotReadBack { to: Format, error: LoadError },
    #[error("the {0} written does not read back as the same keys")]
    NotTheSameKeys(Format),
    #[error("the {0} written would not keep the body as it is")]
    BodyMoved(Format),
    #[error("`{path}` would read back differently from {to}")]
    ValueDiffers { path: String, to: Format },
    #[error(
        "{}:{}: {message}{}; name the reading with `--yaml 1.1` or `--yaml 1.2` (or `yaml = \"1.1\"` in fmx.toml)",
        pos.line,
        pos.col,
        more_readings(*more)
    )]
    YamlReadings {
        pos: Pos,
        message: String,
        /// How many other values of the block are read apart too.
        more: usize,
    },
    #[error("the YAML cannot be read the YAML 1.1 way: {0}")]
    Yaml11(ParseError),
}

/// `3:12: `, the prefix of a reason that has a position.
fn at(pos: Option<Pos>) -> String {
    pos.map(|p| format!("{}:{}: ", p.line, p.col))
        .unwrap_or_default()
}

fn more_readings(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more value)".to_string(),
        n => format!(" (and {n} more values)"),
    }
}

/// What happened to one file.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The format the file opened with, when it has front matter.
    pub from: Option<Format>,
    /// The changes made (or that would have been made), for the report.
    pub changes: Vec<Change>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug)]
pub enum Verdict {
    /// Already in the wanted form.
    Unchanged,
    /// No front matter: nothing to convert (never an error: a folder holds other files).
    NoFrontMatter,
    Converted(NewFile),
    Refused(Refusal),
    /// The post does not load.
    Failed(LoadError),
}

/// A converted file, verified.
#[derive(Clone, Debug)]
pub struct NewFile {
    /// The whole new file.
    pub bytes: Vec<u8>,
    pub to: Format,
    /// Where the old front matter stands in the input (delimiters included) and the new
    /// one's text: kept raw, since only a dry run turns them into a diff.
    old_block: std::ops::Range<usize>,
    new_block: String,
}

impl Outcome {
    fn new(from: Option<Format>, verdict: Verdict) -> Self {
        Outcome {
            from,
            changes: Vec::new(),
            verdict,
        }
    }

    fn refused(mut self, reason: Refusal) -> Self {
        self.verdict = Verdict::Refused(reason);
        self
    }

    pub fn status(&self) -> Status {
        match self.verdict {
            Verdict::Unchanged | Verdict::NoFrontMatter => Status::Unchanged,
            Verdict::Converted(_) => Status::Converted,
            Verdict::Refused(_) => Status::Refused,
            Verdict::Failed(_) => Status::Error,
        }
    }

    /// The reason the report gives, for every verdict but a plain conversion or no change.
    pub fn reason(&self) -> Option<String> {
        match &self.verdict {
            Verdict::Unchanged | Verdict::Converted(_) => None,
            Verdict::NoFrontMatter => Some("no front matter: nothing to convert".to_string()),
            Verdict::Refused(r) => Some(r.to_string()),
            Verdict::Failed(e @ LoadError::Block { error, .. }) => {
                let p = e.pos();
                Some(format!("line {}, column {}: {error}", p.line, p.col))
            }
            Verdict::Failed(e) => Some(e.to_string()),
        }
    }

    /// The new file's bytes, when the file was converted.
    pub fn new_bytes(&self) -> Option<&[u8]> {
        match &self.verdict {
            Verdict::Converted(new) => Some(&new.bytes),
            _ => None,
        }
    }
}

impl NewFile {
    /// A unified diff of the front matter, old → new, labelled with `path`; `bytes` is the
    /// input the outcome came from.
    pub fn diff(&self, path: &str, bytes: &[u8]) -> String {
        let old = bytes.get(self.old_block.clone()).unwrap_or_default();
        let old = String::from_utf8_lossy(old).replace("\r\n", "\n");
        let new = match self.to.delimiter() {
            Some(d) => format!("{d}\n{}{d}\n", self.new_block),
            None => format!("{}\n", self.new_block),
        };
        crate::report::diff::unified(path, &old, &new)
    }
}

/// Converts the post in `bytes` (the whole file).
pub fn convert_bytes(bytes: &[u8], opts: &ConvertOptions) -> Outcome {
    let post = match Post::load(bytes, &opts.limits) {
        Ok(post) => post,
        Err(LoadError::NoFrontMatter) => return Outcome::new(None, Verdict::NoFrontMatter),
        Err(e) => return Outcome::new(e.format(), Verdict::Failed(e)),
    };
    let mut outcome = Outcome::new(Some(post.layout.format), Verdict::Unchanged);
    if let Some(d) = post.duplicates.first() {
        return outcome.refused(Refusal::DuplicateKey(d.clone()));
    }
    let Post {
        layout,
        table,
        yaml_readings,
        ..
    } = post;
    if layout.format == opts.to && opts.dates == DatesMode::Keep {
        return outcome;
    }
    let mut expected = table;
    if layout.format == Format::Yaml {
        match yaml_reading(bytes, &layout, expected, yaml_readings, opts) {
            Ok((table, changes)) => {
                expected = table;
                outcome.changes = changes;
            }
            Err(reason) => return outcome.refused(reason),
        }
    }
    match transform_dates(&mut expected, opts) {
        Ok(changes) => outcome.changes.extend(changes),
        Err(reason) => return outcome.refused(reason),
    }
    if layout.format == opts.to && outcome.changes.is_empty() {
        return outcome;
    }
    let emitted = match emit(opts.to, &expected, layout.line_ending) {
        Ok(e) => e,
        Err(error) => {
            let pos = crate::keypath::KeyPath::parse(&error.key)
                .ok()
                .and_then(|path| path.resolve(&expected))
                .map(|found| found.key_pos.unwrap_or(found.node.pos));
            return outcome.refused(Refusal::Emit { error, pos });
        }
    };
    outcome
        .changes
        .extend(emitted.notes.iter().map(note_change));
    let unlisted = unlisted_comments(bytes, &layout, opts.to, &emitted, &expected);
    outcome.changes.extend(unlisted);
    if opts.to == Format::Json {
        // JSON has no date-time type; the SPEC accepts that one change, and it is listed.
        strings_for_datetimes(&mut expected);
    }
    let new_bytes = assemble(bytes, &layout, opts.to, &emitted.text);
    if let Err(reason) = verify(&new_bytes, &layout, bytes, opts.to, &expected, &opts.limits) {
        return outcome.refused(reason);
    }
    if new_bytes != bytes {
        outcome.verdict = Verdict::Converted(NewFile {
            bytes: new_bytes,
            to: opts.to,
            old_block: layout.open.start..layout.body.start,
            new_block: emitted.text,
        });
    }
    outcome
}

/// The table a YAML post is converted from, under the reading the user named. Without one,
/// a value YAML 1.1 and 1.2 readers read apart refuses the file: fmx cannot know which
/// reader the site uses. A Psych time in a date field that `--dates` rewrites is no such
/// value: both readings name the same instant there.
fn yaml_reading(
    bytes: &[u8],
    layout: &Layout,
    table: Table,
    known: Option<Vec<yaml::Reading>>,
    opts: &ConvertOptions,
) -> Result<(Table, Vec<Change>), Refusal> {
    let raw = std::str::from_utf8(&bytes[layout.content.clone()]).unwrap_or_default();
    let text = raw.replace("\r\n", "\n");
    let first_line = layout.content_line;
    match opts.yaml {
        Some(YamlVersion::Core12) => Ok((table, Vec::new())),
        None => {
            let dated: Vec<Pos> = if opts.dates == DatesMode::Keep {
                Vec::new()
            } else {
                opts.date_fields
                    .iter()
                    .filter_map(|(k, _)| table.get(k).map(|e| e.node.pos))
                    .collect()
            };
            let found = match known {
                Some(found) => apart(found),
                None => yaml_readings(&text, first_line, &opts.limits).map_err(Refusal::Yaml11)?,
            };
            let apart: Vec<yaml::Reading> = found
                .into_iter()
                .filter(|r| {
                    changes_the_output(r) && !(r.only_psych_time() && dated.contains(&r.pos))
                })
                .collect();
            match apart.first() {
                Some(r) => Err(Refusal::YamlReadings {
                    pos: r.pos,
                    message: crate::shown::escaped(&r.message()).into_owned(),
                    more: apart.len() - 1,
                }),
                None => Ok((table, Vec::new())),
            }
        }
        Some(YamlVersion::Yaml11) => {
            let mut parsed = yaml::parse_as(&text, first_line, &opts.limits, YamlVersion::Yaml11)
                .map_err(Refusal::Yaml11)?;
            if let Some(d) = parsed.duplicates.first() {
                return Err(Refusal::DuplicateKey(d.clone()));
            }
            let changes = yaml::retype_psych_times(&mut parsed.root)
                .into_iter()
                .map(|r| Change {
                    key: r.key,
                    kind: ChangeKind::PsychTime,
                    from: Some(format!("{:?}", r.text)),
                    to: Some(r.to.text),
                    detail: Some(
                        "Psych (Jekyll) reads it as a time; YAML 1.2 readers read a string".into(),
                    ),
                })
                .collect();
            match parsed.root.value {
                Value::Table(t) => Ok((t, changes)),
                _ => Ok((table, changes)),
            }
        }
    }
}

/// The scalars of a YAML block that YAML 1.1 and 1.2 readers read apart, less a merge key
/// `<<` (fmx merges it as YAML 1.1 readers do) and a key whose YAML 1.1 value is written
/// as its own text (`1:`). `text` and `first_line` as for [`yaml::readings`].
pub fn yaml_readings(
    text: &str,
    first_line: u32,
    limits: &Limits,
) -> Result<Vec<yaml::Reading>, ParseError> {
    Ok(apart(yaml::readings(text, first_line, limits)?))
}

/// [`yaml_readings`] from what [`yaml::readings`] found.
fn apart(mut found: Vec<yaml::Reading>) -> Vec<yaml::Reading> {
    found.retain(yaml::Reading::reads_apart);
    found
}

/// Whether the two readings convert to different values: a value YAML 1.1 readers hold as
/// another value fmx can write, a Psych time, a key they read as other text.
fn changes_the_output(r: &yaml::Reading) -> bool {
    match &r.yaml11 {
        Some(_) if r.key => !r.key_keeps_its_text(),
        Some(_) => true,
        None => !r.key && r.only_psych_time(),
    }
}

/// End to end: the assembled file is loaded exactly as a later run will load it, and must
/// be a post of the target format holding `expected`, with the same body bytes.
fn verify(
    new_bytes: &[u8],
    layout: &Layout,
    old_bytes: &[u8],
    to: Format,
    expected: &Table,
    limits: &Limits,
) -> Result<(), Refusal> {
    let back =
        Post::load(new_bytes, limits).map_err(|error| Refusal::DoesNotReadBack { to, error })?;
    if back.layout.format != to || !back.duplicates.is_empty() {
        return Err(Refusal::NotTheSameKeys(to));
    }
    if back.body(new_bytes) != &old_bytes[layout.body.clone()] {
        return Err(Refusal::BodyMoved(to));
    }
    match first_difference(expected, &back.table, "") {
        Some(path) => Err(Refusal::ValueDiffers { path, to }),
        None => Ok(()),
    }
}

/// In a CRLF file a TOML multi-line string's raw line breaks would become part of its
/// value (readers differ on folding them), so such strings are written on one line there.
fn emit(
    to: Format,
    table: &Table,
    line_ending: LineEnding,
) -> Result<formats::Emitted, formats::EmitError> {
    match (to, line_ending) {
        (Format::Toml, LineEnding::Crlf) => formats::toml::write::emit_with(
            table,
            formats::toml::write::Options {
                multiline_strings: false,
            },
        ),
        _ => formats::emit(to, table),
    }
}

/// BOM + blank lines before + the new block with its delimiters + the body, byte for byte.
fn assemble(bytes: &[u8], layout: &Layout, to: Format, block: &str) -> Vec<u8> {
    let eol = layout.line_ending.as_str();
    let block = match layout.line_ending {
        LineEnding::Lf => block.to_string(),
        LineEnding::Crlf => block.replace('\n', "\r\n"),
    };
    let body = &bytes[layout.body.clone()];
    // A file that ended right at the closing delimiter (no line break) keeps ending there.
    let close_has_eol = layout.body.start > layout.close.end;
    let mut out = Vec::with_capacity(bytes.len() + block.len());
    if layout.bom {
        out.extend_from_slice(document::BOM);
    }
    out.extend_from_slice(&bytes[layout.prefix.clone()]);
    match to.delimiter() {
        Some(delim) => {
            out.extend_from_slice(delim.as_bytes());
            out.extend_from_slice(eol.as_bytes());
            out.extend_from_slice(block.as_bytes());
            out.extend_from_slice(delim.as_bytes());
        }
        None => out.extend_from_slice(block.as_bytes()),
    }
    if close_has_eol || !body.is_empty() {
        out.extend_from_slice(eol.as_bytes());
    }
    out.extend_from_slice(body);
    out
}

/// Comments of the old block that are neither in the new one nor listed by the emitter: a
/// comment the reader found no key for, or one the writer had no line for. Counted by
/// text, so no comment leaves without a word whatever the reader and writer know; each is
/// listed at the value it follows.
fn unlisted_comments(
    bytes: &[u8],
    layout: &Layout,
    to: Format,
    emitted: &formats::Emitted,
    table: &Table,
) -> Vec<Change> {
    let old = &bytes[layout.content.clone()];
    if memchr::memchr(b'#', old).is_none() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(old).replace("\r\n", "\n");
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let written = formats::comments_in(to, &emitted.text, 1);
    let listed = emitted.notes.iter().filter_map(|n| match n {
        Note::DroppedComment { text, .. } => Some(text.clone()),
        _ => None,
    });
    for text in written.into_iter().map(|(_, t)| t).chain(listed) {
        *kept.entry(text).or_default() += 1;
    }
    let reason = match to {
        Format::Json => formats::JSON_HAS_NO_COMMENTS.to_string(),
        _ => format!("fmx has no place for a comment here in {to}"),
    };
    let mut changes = Vec::new();
    for (pos, text) in formats::comments_in(layout.format, &text, layout.content_line) {
        match kept.get_mut(&text) {
            Some(n) if *n > 0 => *n -= 1,
            _ => changes.push(Change {
                key: value_before(table, pos),
                kind: ChangeKind::CommentDropped,
                from: Some(format!("#{text}")),
                to: None,
                detail: Some(reason.clone()),
            }),
        }
    }
    changes
}

/// The key path of the last key or list item that starts before `pos` (the first one when
/// none does; empty for an empty table).
fn value_before(table: &Table, pos: Pos) -> String {
    let mut best = None;
    table_before(table, "", pos, &mut best);
    best.unwrap_or_default()
}

fn table_before(table: &Table, path: &str, pos: Pos, best: &mut Option<String>) {
    for (key, entry) in table.iter() {
        let entry_path = formats::key_path(path, key);
        if entry.key_pos > pos {
            best.get_or_insert(entry_path);
            return;
        }
        *best = Some(entry_path.clone());
        node_before(&entry.node, &entry_path, pos, best);
    }
}

fn node_before(node: &Node, path: &str, pos: Pos, best: &mut Option<String>) {
    match &node.value {
        Value::Table(t) => table_before(t, path, pos, best),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.pos > pos {
                    return;
                }
                let item_path = format!("{path}[{i}]");
                *best = Some(item_path.clone());
                node_before(item, &item_path, pos, best);
            }
        }
        _ => {}
    }
}

fn note_change(note: &Note) -> Change {
    match note {
        Note::Moved { key, reason } => Change {
            key: key.clone(),
            kind: ChangeKind::Moved,
            from: None,
            to: None,
            detail: Some(reason.clone()),
        },
        Note::DroppedComment { key, text, reason } => Change {
            key: key.clone().unwrap_or_default(),
            kind: ChangeKind::CommentDropped,
            from: Some(format!("#{text}")),
            to: None,
            detail: Some((*reason).into()),
        },
        Note::DateTimeToString { key, text } => Change {
            key: key.clone(),
            kind: ChangeKind::DatetimeToString,
            from: Some(text.clone()),
            to: Some(format!("{text:?}")),
            detail: Some("JSON has no date-time type".into()),
        },
    }
}

/// Applies `--dates` to the date fields; every change is returned for the report. A date
/// that cannot be converted exactly refuses the file.
fn transform_dates(table: &mut Table, opts: &ConvertOptions) -> Result<Vec<Change>, Refusal> {
    let mut changes = Vec::new();
    if opts.dates == DatesMode::Keep {
        return Ok(changes);
    }
    for (key, _) in &opts.date_fields {
        let Some(entry) = table.entries.get_mut(key) else {
            continue;
        };
        let node = &mut entry.node;
        let before = shown(&node.value);
        let new = match opts.dates {
            DatesMode::Epoch => to_epoch(&node.value),
            DatesMode::Rfc3339 => to_rfc3339(&node.value, opts.to),
            DatesMode::Keep => Ok(None),
        }
        .map_err(|error| Refusal::Date {
            key: key.clone(),
            pos: node.pos,
            error,
        })?;
        if let Some(value) = new {
            node.value = value;
            changes.push(Change {
                key: key.clone(),
                kind: match opts.dates {
                    DatesMode::Epoch => ChangeKind::DateToEpoch,
                    _ => ChangeKind::DateToRfc3339,
                },
                from: Some(before),
                to: Some(shown(&node.value)),
                detail: None,
            });
        }
    }
    Ok(changes)
}

/// `None`: already in the wanted form.
fn to_epoch(value: &Value) -> Result<Option<Value>, DateError> {
    let text = match value {
        Value::Int(_) | Value::Float(_) => return Ok(None),
        Value::String(s) => s.as_str(),
        Value::DateTime(d) if d.kind == DateTimeKind::Offset => d.text.as_str(),
        Value::DateTime(d) => {
            return Err(DateError::NoOffset {
                kind: d.kind.name(),
                text: d.text.clone(),
            });
        }
        other => return Err(DateError::NotADate(other.kind_name())),
    };
    let digits = epoch::from_date_text(text)?;
    match Value::number(&digits) {
        Some(value) => Ok(Some(value)),
        None => Err(DateError::NotANumber(digits)),
    }
}

fn to_rfc3339(value: &Value, to: Format) -> Result<Option<Value>, DateError> {
    let text = match value {
        Value::Int(i) => seconds_to_rfc3339(&i.value.to_string(), i.value as f64)?,
        Value::Float(f) => {
            let digits = f.decimal_text().ok_or(DateError::NotFinite)?;
            seconds_to_rfc3339(&digits, f.value)?
        }
        Value::String(s) if epoch::is_rfc3339(s) => {
            if to == Format::Json {
                return Ok(None);
            }
            normalise_rfc3339(s)
        }
        Value::DateTime(_) => return Ok(None),
        Value::String(s) => match yaml::psych_time(s.trim()) {
            Some(d) if d.kind == DateTimeKind::Offset => {
                if to == Format::Json {
                    return Ok(Some(Value::String(d.text)));
                }
                return Ok(Some(Value::DateTime(d)));
            }
            _ => return Err(DateError::NotEpochOrRfc3339(s.clone())),
        },
        other => return Err(DateError::NotADate(other.kind_name())),
    };
    Ok(Some(if to == Format::Json {
        Value::String(text)
    } else {
        Value::DateTime(DateTime {
            kind: DateTimeKind::Offset,
            text,
        })
    }))
}

/// An epoch number as RFC 3339; one that looks like milliseconds is named so, in the words
/// `check`'s `date-in-milliseconds` uses.
fn seconds_to_rfc3339(digits: &str, secs: f64) -> Result<String, DateError> {
    use crate::rules::dates::{DEFAULT_EARLIEST, DEFAULT_LATEST};
    let ms = secs / 1000.0;
    if secs > 1e11 && ms >= DEFAULT_EARLIEST as f64 && ms <= DEFAULT_LATEST as f64 {
        let as_date = epoch::to_rfc3339(&format!("{}", ms.floor() as i64)).unwrap_or_default();
        return Err(DateError::Milliseconds {
            text: crate::shown::bounded(digits),
            as_date,
        });
    }
    Ok(epoch::to_rfc3339(digits)?)
}

/// Upper-case `T` and `Z`, as our DateTime text is kept.
fn normalise_rfc3339(s: &str) -> String {
    let mut t: Vec<char> = s.trim().chars().collect();
    if let Some(c) = t.get_mut(10) {
        *c = 'T';
    }
    if let Some(last) = t.last_mut()
        && *last == 'z'
    {
        *last = 'Z';
    }
    t.into_iter().collect()
}

fn shown(value: &Value) -> String {
    match value {
        Value::Int(i) => i.value.to_string(),
        Value::Float(f) => f.decimal_text().unwrap_or_else(|| format!("{}", f.value)),
        Value::String(s) => format!("{s:?}"),
        Value::DateTime(d) => d.text.clone(),
        other => other.kind_name().to_string(),
    }
}

fn strings_for_datetimes(table: &mut Table) {
    let mut stack: Vec<&mut Node> = table.entries.values_mut().map(|e| &mut e.node).collect();
    while let Some(node) = stack.pop() {
        if let Value::DateTime(d) = &mut node.value {
            let text = std::mem::take(&mut d.text);
            node.value = Value::String(text);
            continue;
        }
        match &mut node.value {
            Value::Array(a) => stack.extend(a.iter_mut()),
            Value::Table(t) => stack.extend(t.entries.values_mut().map(|e| &mut e.node)),
            _ => {}
        }
    }
}

/// The path of the first value that differs, or `None` when the two read the same.
pub fn first_difference(a: &Table, b: &Table, parent: &str) -> Option<String> {
    // Paths cost an allocation per key; they are only built once a difference is known.
    if same_table(a, b) {
        return None;
    }
    first_difference_at(a, b, parent)
}

fn same_table(a: &Table, b: &Table) -> bool {
    a.len() == b.len()
        && a.iter().all(|(key, ea)| {
            b.get(key)
                .is_some_and(|eb| same_node(&ea.node.value, &eb.node.value))
        })
}

fn same_node(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Table(ta), Value::Table(tb)) => same_table(ta, tb),
        (Value::Array(xa), Value::Array(xb)) => {
            xa.len() == xb.len()
                && xa
                    .iter()
                    .zip(xb)
                    .all(|(x, y)| same_node(&x.value, &y.value))
        }
        (Value::Table(_) | Value::Array(_), _) | (_, Value::Table(_) | Value::Array(_)) => false,
        (va, vb) => va.same_value(vb),
    }
}

fn first_difference_at(a: &Table, b: &Table, parent: &str) -> Option<String> {
    for (key, ea) in a.iter() {
        let path = formats::key_path(parent, key);
        let Some(eb) = b.get(key) else {
            return Some(path);
        };
        if let Some(p) = node_difference(&ea.node, &eb.node, &path) {
            return Some(p);
        }
    }
    if let Some((key, _)) = b.iter().find(|(k, _)| a.get(k).is_none()) {
        return Some(formats::key_path(parent, key));
    }
    None
}

fn node_difference(a: &Node, b: &Node, path: &str) -> Option<String> {
    match (&a.value, &b.value) {
        (Value::Table(ta), Value::Table(tb)) => first_difference_at(ta, tb, path),
        (Value::Array(xa), Value::Array(xb)) if xa.len() == xb.len() => xa
            .iter()
            .zip(xb)
            .enumerate()
            .find_map(|(i, (x, y))| node_difference(x, y, &format!("{path}[{i}]"))),
        (va, vb) if va.same_value(vb) => None,
        _ => Some(path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::formats::toml::write::test_values::arb_table;

    fn options(to: Format) -> ConvertOptions {
        ConvertOptions {
            to,
            dates: DatesMode::Keep,
            date_fields: vec![],
            limits: Limits::default(),
            yaml: None,
        }
    }

    fn read(bytes: &[u8]) -> Table {
        match Post::load(bytes, &Limits::default()) {
            Ok(post) => post.table,
            Err(e) => panic!("does not read back: {e}"),
        }
    }

    /// Data equality, key order aside (TOML's moves are reported), a date-time equal to
    /// the string of its text (the one change JSON makes, also reported).
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Table(x), Value::Table(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, e)| y.get(k).is_some_and(|f| same(&e.node.value, &f.node.value)))
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(m, n)| same(&m.value, &n.value))
            }
            (Value::DateTime(d), Value::String(s)) => &d.text == s,
            (x, y) => x.same_value(y),
        }
    }

    /// Whether YAML, TOML and JSON can all hold this value.
    fn every_target_holds(value: &Value) -> bool {
        match value {
            Value::Null => false,
            Value::Int(i) => i64::try_from(i.value).is_ok(),
            Value::Float(f) => f.value.is_finite(),
            Value::DateTime(d) => d.kind != DateTimeKind::Time,
            Value::Array(a) => a.iter().all(|n| every_target_holds(&n.value)),
            Value::Table(t) => t.iter().all(|(_, e)| every_target_holds(&e.node.value)),
            _ => true,
        }
    }

    /// Whatever an emitter writes, a block that would not read back is refused: here a TOML
    /// string line `+++` closes the block early.
    #[test]
    fn verification_loads_the_assembled_file() {
        let old = b"---\nnote: x\n---\nBody\n";
        let layout = match document::split(old, true, 1 << 20) {
            document::Split::Found(l) => l,
            other => panic!("{other:?}"),
        };
        let expected = read(b"+++\nnote = \"a\\n+++\\nb\"\n+++\nBody\n");
        let broken = b"+++\nnote = \"\"\"\na\n+++\nb\"\"\"\n+++\nBody\n";
        let refusal = verify(
            broken,
            &layout,
            old,
            Format::Toml,
            &expected,
            &Limits::default(),
        );
        assert!(
            matches!(refusal, Err(Refusal::DoesNotReadBack { .. })),
            "{refusal:?}"
        );
        let good = b"+++\nnote = \"a\\n+++\\nb\"\n+++\nBody\n";
        assert_eq!(
            verify(
                good,
                &layout,
                old,
                Format::Toml,
                &expected,
                &Limits::default()
            ),
            Ok(())
        );
    }

    /// Puts comments everywhere a reader can attach one, chosen by `seed`: above and after
    /// keys, between the items of lists (and of lists in lists), after a table's last key.
    /// Each text is unique (` c0`, ` c1`, …), so what the output holds can be counted.
    struct Decorator {
        seed: u64,
        next: usize,
    }

    impl Decorator {
        fn coin(&mut self) -> bool {
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            self.seed.is_multiple_of(3)
        }

        fn text(&mut self) -> String {
            self.next += 1;
            format!(" c{}", self.next)
        }

        fn maybe(&mut self) -> Option<String> {
            self.coin().then(|| self.text())
        }

        fn table(&mut self, t: &mut Table) {
            t.trailing_comments = self.maybe().into_iter().collect();
            for entry in t.entries.values_mut() {
                entry.comments = crate::value::Comments {
                    before: self.maybe().into_iter().collect(),
                    trailing: self.maybe(),
                    items: Vec::new(),
                };
                if let Value::Array(items) = &mut entry.node.value {
                    entry.comments.items = self.items(items);
                } else {
                    self.node(&mut entry.node);
                }
            }
        }

        fn items(&mut self, items: &mut [Node]) -> Vec<crate::value::ItemComments> {
            let len = items.len();
            let mut out = Vec::new();
            for index in 0..=len {
                let mut c = crate::value::ItemComments {
                    index,
                    before: self.maybe().into_iter().collect(),
                    trailing: if index < len { self.maybe() } else { None },
                    inner: Vec::new(),
                };
                if let Some(item) = items.get_mut(index) {
                    match &mut item.value {
                        Value::Array(sub) => c.inner = self.items(sub),
                        _ => self.node(item),
                    }
                }
                if !c.is_empty() {
                    out.push(c);
                }
            }
            out
        }

        fn node(&mut self, node: &mut Node) {
            if let Value::Table(t) = &mut node.value {
                self.table(t);
            }
        }
    }

    /// A comment the emitter neither wrote nor listed is still listed, at the value it
    /// follows, and one it wrote twice or listed counts once.
    #[test]
    fn comments_neither_written_nor_listed_are_listed_at_the_value_they_follow() {
        let bytes = b"---\na: 1 # kept\nb:\n  - 2\n  # lost\n  - 3\n---\nBody\n";
        let document::Split::Found(layout) = document::split(bytes, true, 1 << 20) else {
            panic!("front matter");
        };
        let table = read(bytes);
        let emitted = formats::Emitted {
            text: "a = 1 # kept\nb = [2, 3]\n".into(),
            notes: Vec::new(),
        };
        let changes = unlisted_comments(bytes, &layout, Format::Toml, &emitted, &table);
        assert_eq!(
            changes,
            [Change {
                key: "b[0]".into(),
                kind: ChangeKind::CommentDropped,
                from: Some("# lost".into()),
                to: None,
                detail: Some("fmx has no place for a comment here in TOML".into()),
            }]
        );
        let listed = formats::Emitted {
            notes: vec![Note::DroppedComment {
                key: Some("b".into()),
                text: " lost".into(),
                reason: formats::JSON_HAS_NO_COMMENTS,
            }],
            ..emitted
        };
        assert_eq!(
            unlisted_comments(bytes, &layout, Format::Toml, &listed, &table),
            []
        );
    }

    /// The comments of a file's front matter, by text.
    fn comments_of(bytes: &[u8]) -> Vec<String> {
        let document::Split::Found(layout) = document::split(bytes, true, 1 << 20) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(&bytes[layout.content.clone()]).replace("\r\n", "\n");
        formats::comments_in(layout.format, &text, 1)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    proptest! {
        /// Every comment of a YAML or TOML post, wherever it stands in nested lists and
        /// tables, is in the converted post or listed as dropped, and listed with the
        /// target's own limit: the emitters account for each (the count of unlisted
        /// comments in `convert_bytes` is only a net).
        #[test]
        fn every_comment_is_carried_or_listed(mut table in arb_table(false), seed in 1..u64::MAX) {
            Decorator { seed, next: 0 }.table(&mut table);
            for from in [Format::Yaml, Format::Toml] {
                let Ok(start) = formats::emit(from, &table) else { continue };
                let delim = from.delimiter().unwrap_or_default();
                let bytes = format!("{delim}\n{}{delim}\nBody\n", start.text).into_bytes();
                let source = comments_of(&bytes);
                for to in [Format::Yaml, Format::Toml, Format::Json] {
                    if to == from {
                        continue;
                    }
                    let mut opts = options(to);
                    opts.yaml = Some(YamlVersion::Core12);
                    let outcome = convert_bytes(&bytes, &opts);
                    let Some(new) = outcome.new_bytes() else {
                        prop_assert!(outcome.status() == Status::Refused, "{from} → {to}: {:?}", outcome.reason());
                        continue;
                    };
                    let mut kept = comments_of(new);
                    for c in &outcome.changes {
                        if c.kind == ChangeKind::CommentDropped {
                            let detail = c.detail.clone().unwrap_or_default();
                            prop_assert!(
                                !detail.starts_with("fmx has no place"),
                                "{from} → {to}: `{}` {:?} unaccounted by the emitter\n{}\n---\n{}",
                                c.key, c.from, String::from_utf8_lossy(&bytes), String::from_utf8_lossy(new)
                            );
                            kept.push(c.from.clone().unwrap_or_default().trim_start_matches('#').to_string());
                        }
                    }
                    for text in &source {
                        let at = kept.iter().position(|k| k == text);
                        prop_assert!(
                            at.is_some(),
                            "{from} → {to}: #{text} neither kept nor listed\n{}\n---\n{}",
                            String::from_utf8_lossy(&bytes), String::from_utf8_lossy(new)
                        );
                        kept.swap_remove(at.unwrap_or_default());
                    }
                }
            }
        }

        /// YAML → TOML → JSON → YAML gives back the input wherever every target can hold
        /// it, and is refused (never silently changed) otherwise; the body never moves.
        #[test]
        fn yaml_toml_json_yaml_round_trips_or_is_refused(table in arb_table(true)) {
            let Ok(start) = formats::emit(Format::Yaml, &table) else {
                // No YAML post can hold it (a TOML local time): nothing to start from.
                return Ok(());
            };
            let body: &[u8] = b"Body \xff\r\n  kept\n";
            let mut bytes = format!("---\n{}---\n", start.text).into_bytes();
            bytes.extend_from_slice(body);
            let original = read(&bytes);
            let mut refused = false;
            for to in [Format::Toml, Format::Json, Format::Yaml] {
                let outcome = convert_bytes(&bytes, &options(to));
                match outcome.status() {
                    Status::Converted => {
                        let new = outcome.new_bytes().expect("converted bytes").to_vec();
                        prop_assert!(new.ends_with(body), "the body moved going to {to}");
                        bytes = new;
                    }
                    Status::Unchanged => {}
                    Status::Refused => {
                        refused = true;
                        break;
                    }
                    Status::Error => prop_assert!(false, "error going to {to}: {:?}", outcome.reason()),
                }
            }
            let holds = every_target_holds(&Value::Table(original.clone()));
            if refused {
                prop_assert!(!holds, "refused a value every format can hold");
            } else {
                let back = read(&bytes);
                prop_assert!(
                    same(&Value::Table(original), &Value::Table(back)),
                    "the round trip changed a value"
                );
            }
        }
    }
}
