//! `fmx edit`: operations on front matter across an archive, through `convert`'s walking,
//! dry run, `--write`, `--check`, report and exit codes (see [`super::convert::drive`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::convert::{ConvertSettings, FileResult, Pending, date_fields, drive, process_file};
use super::{CommandError, ExitStatus};
use crate::config::Config;
use crate::document::Format;
use crate::edits::ops::{self, Op, OpParseError};
use crate::edits::{self, EditOptions, EditVerdict, Step, recipe};
use crate::keypath::Segment;
use crate::report::convert::Mode;
use crate::walk::Input;

pub use crate::report::convert::Action;

/// An operation as typed, in command-line order.
#[derive(Clone, Debug)]
pub enum RawOp {
    Set(String),
    SetStr(String),
    Unset(String),
    Rename(String),
    Replace(String, String, String),
    DateFromFilename(String),
    NestUnknown(String),
    DropNull,
    Recipe(PathBuf),
}

#[derive(Clone, Debug)]
pub struct EditSettings {
    /// Walking, mode, report: as for `convert` (its `to` is unused without `--to`).
    pub base: ConvertSettings,
    pub ops: Vec<RawOp>,
    pub to: Option<Format>,
}

/// Why `fmx edit`'s flags or recipe cannot be used (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum EditFlagError {
    #[error(transparent)]
    Op(#[from] OpParseError),
    #[error(transparent)]
    Recipe(#[from] recipe::RecipeError),
    #[error("unknown time zone `{0}`: give an IANA name such as `Europe/Berlin`")]
    Zone(String),
    #[error(
        "no operation: give --set, --set-str, --unset, --rename, --replace, --date-from-filename, --nest-unknown, --drop-null or --recipe"
    )]
    NoOperation,
}

pub fn run(
    settings: &EditSettings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let steps = steps(&settings.ops)?;
    if steps.is_empty() && settings.to.is_none() {
        return Err(EditFlagError::NoOperation.into());
    }
    let tz = time_zone(settings.base.tz.as_deref())?;
    let mut base = settings.base.clone();
    if let Some(to) = settings.to {
        base.to = to;
    }
    let process = |input: &Input, s: &ConvertSettings, config: &Config, cwd: &Path| {
        edit_input(input, s, config, cwd, &steps, settings.to, tz.as_ref())
    };
    drive(&base, Action::Edit, &process, out, err)
}

/// The zone `--tz` names (for `edit` and `convert`).
pub(crate) fn time_zone(name: Option<&str>) -> Result<Option<jiff::tz::TimeZone>, EditFlagError> {
    name.map(|name| jiff::tz::TimeZone::get(name).map_err(|_| EditFlagError::Zone(name.into())))
        .transpose()
}

/// The flags' operations, recipes expanded, in the order given.
fn steps(raw: &[RawOp]) -> Result<Vec<Step>, EditFlagError> {
    let mut steps = Vec::new();
    let all = |op| Step { op, paths: None };
    for op in raw {
        match op {
            RawOp::Set(text) => {
                let (path, json) = ops::split_assignment(text)?;
                let value = ops::parse_json_value(json)?;
                steps.push(all(Op::Set { path, value }));
            }
            RawOp::SetStr(text) => {
                let (path, s) = ops::split_assignment(text)?;
                let value = crate::value::Value::String(s.to_string());
                steps.push(all(Op::Set { path, value }));
            }
            RawOp::Unset(key) => steps.push(all(Op::Unset(ops::parse_path(key)?))),
            RawOp::Rename(text) => {
                let (from, to) = ops::split_assignment(text)?;
                let to = ops::parse_path(to)?;
                steps.push(all(Op::Rename { from, to }));
            }
            RawOp::Replace(key, old, new) => steps.push(all(Op::Replace {
                path: ops::parse_path(key)?,
                old: old.clone(),
                new: new.clone(),
            })),
            RawOp::DateFromFilename(key) => {
                steps.push(all(Op::DateFromFilename(ops::parse_path(key)?)));
            }
            RawOp::NestUnknown(table) => steps.push(all(Op::NestUnknown(table.clone()))),
            RawOp::DropNull => steps.push(all(Op::DropNull)),
            RawOp::Recipe(path) => steps.extend(recipe::load(path)?),
        }
    }
    Ok(steps)
}

/// Top-level keys the schema for `path` names: the first key of each field and required path.
fn known_keys(config: &Config, cwd: &Path, path: &Path) -> Vec<String> {
    let schema = config.schema_for_file(cwd, path);
    let mut known: Vec<String> = Vec::new();
    let paths = schema
        .fields
        .values()
        .map(|f| &f.path)
        .chain(&schema.required);
    for path in paths {
        if let Some(Segment::Key(first)) = path.segments().first()
            && !known.contains(first)
        {
            known.push(first.clone());
        }
    }
    known
}

/// Reads and edits one file (with no steps and `to`: converts it, local dates read in `tz`).
pub(crate) fn edit_input(
    input: &Input,
    settings: &ConvertSettings,
    config: &Config,
    cwd: &Path,
    steps: &[Step],
    to: Option<Format>,
    tz: Option<&jiff::tz::TimeZone>,
) -> (FileResult, Option<Pending>) {
    process_file(input, settings, config, |bytes, result| {
        let path = Path::new(&result.path);
        let opts = EditOptions {
            steps,
            to,
            dates: settings.dates,
            tz,
            date_fields: date_fields(&config.schema_for_file(cwd, path)),
            known: known_keys(config, cwd, path),
            limits: config.limits,
            yaml: config.yaml(),
        };
        let outcome = edits::edit_bytes(bytes, &result.path, &opts);
        result.from = outcome.from;
        result.to = to.or(outcome.from).unwrap_or(settings.to);
        result.status = outcome.status();
        result.reason = outcome.reason();
        result.changes = outcome.changes;
        let EditVerdict::Edited { bytes: new, header } = outcome.verdict else {
            return None;
        };
        if settings.mode == Mode::DryRun {
            let old_header = bytes.len() - (new.len() - header);
            result.diff = edits::diff(&result.path, bytes, old_header, &new, header);
        }
        Some(new)
    })
}
