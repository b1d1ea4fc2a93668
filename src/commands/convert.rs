//! `fmx convert --to FORMAT`: a dry run with diffs by default, `--write` to apply,
//! `--check` for CI. Files are converted in parallel and reported in path order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anstyle::{AnsiColor, Style};
use rayon::prelude::*;
use serde::Serialize;

use super::{ConfigChoice, ExitStatus, is_broken_pipe, load_config};
use crate::config::{Config, FieldType};
use crate::convert::{Change, ConvertOptions, DatesMode, Status, convert_bytes, diff};
use crate::document::Format;
use crate::walk::{Input, Walker};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Print the diffs; write nothing.
    DryRun,
    Write,
    /// Write nothing; exit 1 if anything would change.
    Check,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Human,
    Json,
}

#[derive(Clone, Debug)]
pub struct ConvertSettings {
    pub paths: Vec<PathBuf>,
    pub to: Format,
    pub mode: Mode,
    pub dates: DatesMode,
    pub config: ConfigChoice,
    pub output_format: ReportFormat,
    pub quiet: bool,
    pub jobs: Option<usize>,
    pub exclude: Vec<String>,
    pub progress: bool,
    /// fsync each file before its rename (the default; `--no-fsync` turns it off).
    pub fsync: bool,
}

/// One file's line in the report.
#[derive(Debug, Serialize)]
struct FileResult {
    path: String,
    from: Option<Format>,
    to: Format,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    changes: Vec<Change>,
    #[serde(skip)]
    diff: String,
}

#[derive(Debug, Default, Serialize)]
struct Totals {
    files: usize,
    converted: usize,
    unchanged: usize,
    refused: usize,
    errors: usize,
}

pub fn run(
    settings: &ConvertSettings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let config = match load_config(&settings.config, &cwd) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    let inputs = match Walker::new(
        &config.extensions,
        &config.root,
        &config.exclude,
        &cwd,
        &settings.exclude,
    )
    .and_then(|w| w.collect(&settings.paths, None))
    {
        Ok(i) => i,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    if inputs.iter().any(|i| matches!(i, Input::Stdin { .. })) {
        writeln!(
            err,
            "error: `fmx convert` works on files; `-` (stdin) is not supported"
        )?;
        return Ok(ExitStatus::Error);
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .build()
        .map_err(std::io::Error::other)?;
    if settings.mode == Mode::Write {
        crate::progress::stop_on_ctrl_c();
    }
    let bar = crate::progress::bar(
        inputs.len(),
        settings.progress && !settings.quiet,
        "converting",
    );
    let results: Vec<FileResult> = pool.install(|| {
        inputs
            .par_iter()
            .filter_map(|i| {
                // After Ctrl-C no new file starts; those in flight finish.
                if crate::progress::interrupted() {
                    return None;
                }
                let r = convert_input(i, settings, &config);
                bar.inc(1);
                Some(r)
            })
            .collect()
    });
    bar.finish_and_clear();
    let not_processed = inputs.len() - results.len();

    let mut totals = Totals {
        files: results.len(),
        ..Totals::default()
    };
    for r in &results {
        match r.status {
            Status::Converted => totals.converted += 1,
            Status::Unchanged => totals.unchanged += 1,
            Status::Refused => totals.refused += 1,
            Status::Error => totals.errors += 1,
        }
    }
    match report(settings, &results, &totals, out) {
        Err(e) if is_broken_pipe(&e) => {}
        other => other?,
    }
    if !settings.quiet {
        let verb = match settings.mode {
            Mode::Write => "converted",
            Mode::DryRun | Mode::Check => "would convert",
        };
        let tail = match settings.mode {
            Mode::DryRun => " (dry run: nothing written; --write applies it)",
            Mode::Check => " (--check: nothing written)",
            Mode::Write => "",
        };
        writeln!(
            err,
            "{verb} {} of {} files to {}: {} unchanged, {} refused, {} errors in {:.2}s{tail}",
            totals.converted,
            totals.files,
            settings.to,
            totals.unchanged,
            totals.refused,
            totals.errors,
            started.elapsed().as_secs_f64()
        )?;
    }
    if not_processed > 0 {
        writeln!(
            err,
            "interrupted: {not_processed} of {} files were not processed; each file is either as it was or fully converted",
            inputs.len()
        )?;
        return Ok(ExitStatus::Interrupted);
    }
    let failed = totals.refused + totals.errors > 0;
    let would_change = settings.mode == Mode::Check && totals.converted > 0;
    Ok(if failed || would_change {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn convert_input(input: &Input, settings: &ConvertSettings, config: &Config) -> FileResult {
    let path = input.display().to_string();
    let mut result = FileResult {
        path: path.clone(),
        from: None,
        to: settings.to,
        status: Status::Error,
        reason: None,
        changes: Vec::new(),
        diff: String::new(),
    };
    let file = match input {
        Input::File { path, .. } => path,
        Input::Unreadable { message, .. } => {
            result.reason = Some(message.clone());
            return result;
        }
        Input::Stdin { .. } => return result,
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            result.reason = Some(format!("cannot read the file: {e}"));
            return result;
        }
    };
    let opts = ConvertOptions {
        to: settings.to,
        dates: settings.dates,
        date_fields: date_fields(config, Path::new(&path)),
        limits: config.limits,
    };
    let outcome = convert_bytes(&bytes, &opts);
    result.from = outcome.from;
    result.status = outcome.status;
    result.reason = outcome.reason;
    result.changes = outcome.changes;
    if let Some(new) = outcome.new_bytes {
        if settings.mode == Mode::DryRun {
            result.diff = diff(&path, &outcome.old_block, &outcome.new_block);
        }
        if settings.mode == Mode::Write
            && let Err(e) = crate::write::replace_with(file, &bytes, &new, settings.fsync)
        {
            result.status = Status::Error;
            result.reason = Some(format!("not written: {e}"));
        }
    }
    result
}

/// Fields that `--dates` converts: those the config types `epoch` or `datetime`, else `date`.
fn date_fields(config: &Config, relative: &Path) -> Vec<(String, FieldType)> {
    let schema = config.schema_for(relative);
    let fields: Vec<(String, FieldType)> = schema
        .date_fields()
        .map(|(k, t)| (k.to_string(), t))
        .collect();
    if fields.is_empty() {
        vec![("date".to_string(), FieldType::Epoch)]
    } else {
        fields
    }
}

fn report(
    settings: &ConvertSettings,
    results: &[FileResult],
    totals: &Totals,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if settings.output_format == ReportFormat::Json {
        #[derive(Serialize)]
        struct Report<'a> {
            version: u32,
            summary: &'a Totals,
            files: &'a [FileResult],
        }
        serde_json::to_writer(
            &mut *out,
            &Report {
                version: 1,
                summary: totals,
                files: results,
            },
        )?;
        writeln!(out)?;
        return Ok(());
    }
    let bold = Style::new().bold();
    let red = AnsiColor::Red.on_default().bold();
    let yellow = AnsiColor::Yellow.on_default();
    for r in results {
        match r.status {
            Status::Converted => {
                if settings.mode == Mode::DryRun {
                    write_diff(out, &r.diff)?;
                } else if settings.mode == Mode::Check {
                    writeln!(
                        out,
                        "{bold}{}{bold:#}: would be converted to {}",
                        r.path, settings.to
                    )?;
                }
                if !settings.quiet {
                    for c in &r.changes {
                        writeln!(
                            out,
                            "{bold}{}{bold:#}: {yellow}note{yellow:#}: {}",
                            r.path,
                            describe(c)
                        )?;
                    }
                }
            }
            Status::Refused | Status::Error => {
                let word = if r.status == Status::Refused {
                    "refused"
                } else {
                    "error"
                };
                writeln!(
                    out,
                    "{bold}{}{bold:#}: {red}{word}{red:#}: {}",
                    r.path,
                    r.reason.as_deref().unwrap_or("")
                )?;
            }
            Status::Unchanged => {}
        }
    }
    Ok(())
}

fn write_diff(out: &mut dyn Write, diff: &str) -> std::io::Result<()> {
    let red = AnsiColor::Red.on_default();
    let green = AnsiColor::Green.on_default();
    let cyan = AnsiColor::Cyan.on_default();
    let bold = Style::new().bold();
    for line in diff.split_inclusive('\n') {
        let style = if line.starts_with("+++ b/") || line.starts_with("--- a/") {
            bold
        } else if line.starts_with('+') {
            green
        } else if line.starts_with('-') {
            red
        } else if line.starts_with("@@") {
            cyan
        } else {
            Style::new()
        };
        write!(out, "{style}{}{style:#}", line.trim_end_matches('\n'))?;
        writeln!(out)?;
    }
    Ok(())
}

fn describe(c: &Change) -> String {
    let mut s = format!("`{}` {}", c.key, c.kind);
    if let (Some(from), Some(to)) = (&c.from, &c.to) {
        s.push_str(&format!(": {from} → {to}"));
    } else if let Some(from) = &c.from {
        s.push_str(&format!(": {from}"));
    }
    if let Some(d) = &c.detail {
        s.push_str(&format!(" ({d})"));
    }
    s
}
