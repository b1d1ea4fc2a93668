//! `fmx convert --to FORMAT`: a dry run with diffs by default, `--write` to apply,
//! `--check` for CI. Files are converted in parallel and reported in path order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anstyle::{AnsiColor, Style};
use rayon::prelude::*;
use serde::Serialize;

use super::{ConfigChoice, ExitStatus, is_broken_pipe, load_config};
use crate::config::{Config, FieldType};
use crate::convert::{Change, ConvertOptions, DatesMode, Status, convert_bytes};
use crate::document::Format;
use crate::walk::{Input, Walker};
use crate::write::{Replacement, Snapshot, Writer};

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
    /// Flush new files to disk before their renames (the default; `--no-fsync` turns it off).
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
    if settings.paths.iter().any(|p| p.as_os_str() == "-") {
        writeln!(
            err,
            "error: `fmx convert` works on files; `-` (stdin) is not supported"
        )?;
        return Ok(ExitStatus::Error);
    }
    let walker = match Walker::new(
        &config.extensions,
        &config.root,
        &config.exclude,
        &cwd,
        &settings.exclude,
    ) {
        Ok(w) => w,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    if settings.mode == Mode::Write {
        crate::progress::stop_on_ctrl_c();
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // A durable write waits on the disk once per batch: one more batch in flight per core
    // keeps the CPU busy meanwhile.
    let io_bound = settings.mode == Mode::Write && settings.fsync;
    let threads = settings
        .jobs
        .unwrap_or(if io_bound { cores * 2 } else { cores });
    // Each file of a batch holds an open temporary file until the batch is renamed: about
    // 512 in all, whatever the thread count, is far below the usual limit of 1024.
    let batch = if settings.mode == Mode::Write {
        (512 / threads.max(1)).clamp(1, 64)
    } else {
        4
    };
    let writer = Writer::new(settings.fsync);
    let show_progress = settings.progress && !settings.quiet;
    let mut totals = Totals::default();
    let mut printer = Printer::new(settings, out);

    let streamed: std::io::Result<()> = if printer.every_file() {
        // Every file has output (a diff, a JSON entry), in path order: take the paths a
        // sorted window at a time, convert a chunk at a time in parallel, print it in order
        // and drop it. Only one window of paths is held, however large the archive.
        let mut windows = match walker.sorted_windows(&settings.paths, SORTED_WINDOW) {
            Ok(w) => w,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(ExitStatus::Error);
            }
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(std::io::Error::other)?;
        let mut bar = None;
        let mut result = Ok(());
        'windows: while !crate::progress::interrupted() {
            let Some(window) = windows.next_window() else {
                break;
            };
            let bar =
                bar.get_or_insert_with(|| crate::progress::counter(show_progress, "converting"));
            for from in (0..window.len()).step_by(256) {
                if crate::progress::interrupted() {
                    break 'windows;
                }
                let chunk = window.slice(from, 256);
                let results: Vec<FileResult> = pool.install(|| {
                    chunk
                        .par_chunks(batch)
                        .flat_map_iter(|inputs| {
                            convert_batch(inputs, settings, &config, &cwd, &writer)
                        })
                        .collect()
                });
                bar.inc(results.len() as u64);
                for r in &results {
                    totals.add(r);
                    if result.is_ok() {
                        result = printer.file(r);
                    }
                }
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        result
    } else {
        // Only refusals, errors and notes are printed: convert files as the walk finds
        // them, keep just those lines, sort them at the end.
        let kept: Mutex<(Totals, Vec<FileResult>)> = Mutex::new((Totals::default(), Vec::new()));
        let bar = crate::progress::counter(show_progress, "converting");
        let visited = walker.visit_batches(&settings.paths, threads, &|inputs| {
            for inputs in inputs.chunks(batch) {
                let results = convert_batch(inputs, settings, &config, &cwd, &writer);
                bar.inc(results.len() as u64);
                let mut guard = kept.lock().unwrap_or_else(|p| p.into_inner());
                for r in results {
                    guard.0.add(&r);
                    if r.status != Status::Unchanged
                        && (r.status != Status::Converted
                            || settings.mode == Mode::Check
                            || !r.changes.is_empty())
                    {
                        guard.1.push(r);
                    }
                }
            }
        });
        bar.finish_and_clear();
        if let Err(e) = visited {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
        let (t, mut results) = kept.into_inner().unwrap_or_else(|p| p.into_inner());
        totals = t;
        results.sort_by(|a, b| a.path.cmp(&b.path));
        results.iter().try_for_each(|r| printer.file(r))
    };
    // Every rename is made durable before the summary says the files are converted.
    let synced = writer.finish();
    let finished = streamed.and_then(|()| printer.finish(&totals));
    match finished {
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
    if let Err(e) = &synced {
        writeln!(err, "error: {e}")?;
    }
    if crate::progress::interrupted() {
        writeln!(
            err,
            "interrupted: {} files were processed, the others not; each file is either as it was or fully converted",
            totals.files
        )?;
        return Ok(ExitStatus::Interrupted);
    }
    let failed = totals.refused + totals.errors > 0 || synced.is_err();
    let would_change = settings.mode == Mode::Check && totals.converted > 0;
    Ok(if failed || would_change {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

impl Totals {
    fn add(&mut self, r: &FileResult) {
        self.files += 1;
        match r.status {
            Status::Converted => self.converted += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Refused => self.refused += 1,
            Status::Error => self.errors += 1,
        }
    }
}

/// Writes the report as results arrive: human lines and diffs, or one JSON document whose
/// `files` list is streamed and whose summary comes last.
struct Printer<'a> {
    settings: &'a ConvertSettings,
    out: &'a mut dyn Write,
    first: bool,
}

impl<'a> Printer<'a> {
    fn new(settings: &'a ConvertSettings, out: &'a mut dyn Write) -> Self {
        Printer {
            settings,
            out,
            first: true,
        }
    }

    /// Whether every file produces output (then files are visited in path order).
    fn every_file(&self) -> bool {
        self.settings.mode == Mode::DryRun || self.settings.output_format == ReportFormat::Json
    }

    fn file(&mut self, r: &FileResult) -> std::io::Result<()> {
        if self.settings.output_format == ReportFormat::Json {
            let sep = if std::mem::take(&mut self.first) {
                "{\"version\":1,\"files\":["
            } else {
                ","
            };
            self.out.write_all(sep.as_bytes())?;
            serde_json::to_writer(&mut *self.out, r)?;
            return Ok(());
        }
        human_file(self.settings, r, self.out)
    }

    fn finish(&mut self, totals: &Totals) -> std::io::Result<()> {
        if self.settings.output_format == ReportFormat::Json {
            if self.first {
                self.out.write_all(b"{\"version\":1,\"files\":[")?;
            }
            self.out.write_all(b"],\"summary\":")?;
            serde_json::to_writer(&mut *self.out, totals)?;
            self.out.write_all(b"}\n")?;
        }
        self.out.flush()
    }
}

/// Paths handed out at once by the one sorted walk of a run that reports every file in
/// order (about 100 bytes a path).
const SORTED_WINDOW: usize = 16_384;

/// A converted file waiting for its batch to be written.
struct Pending {
    path: PathBuf,
    snapshot: Snapshot,
    new: Vec<u8>,
}

/// Converts a batch of files in order and then writes those that changed, together (see
/// [`Writer::replace_all`]). After Ctrl-C no new file starts; the batch's files already
/// converted are still written.
fn convert_batch(
    inputs: &[Input],
    settings: &ConvertSettings,
    config: &Config,
    cwd: &Path,
    writer: &Writer,
) -> Vec<FileResult> {
    let mut results = Vec::with_capacity(inputs.len());
    let mut pending: Vec<(usize, Pending)> = Vec::new();
    let mut held = 0;
    for input in inputs {
        if crate::progress::interrupted() {
            break;
        }
        let (result, write) = convert_input(input, settings, config, cwd);
        if let Some(write) = write {
            held += write.snapshot.bytes.len() + write.new.len();
            pending.push((results.len(), write));
        }
        results.push(result);
        // Large posts are written sooner: a thread holds at most about this much.
        if held > BATCH_BYTES {
            write_pending(std::mem::take(&mut pending), &mut results, writer);
            held = 0;
        }
    }
    write_pending(pending, &mut results, writer);
    results
}

/// The bytes (old and new) a batch may hold before it is written.
const BATCH_BYTES: usize = 32 << 20;

fn write_pending(pending: Vec<(usize, Pending)>, results: &mut [FileResult], writer: &Writer) {
    if pending.is_empty() {
        return;
    }
    let items: Vec<Replacement<'_>> = pending
        .iter()
        .map(|(_, p)| Replacement {
            path: &p.path,
            snapshot: &p.snapshot,
            new: &p.new,
        })
        .collect();
    let written = writer.replace_all(&items);
    for ((index, _), outcome) in pending.iter().zip(written) {
        if let Err(e) = outcome {
            results[*index].status = Status::Error;
            results[*index].reason = Some(format!("not written: {e}"));
        }
    }
}

/// Reads and converts one file; in `--write` mode a changed file comes back to be written.
fn convert_input(
    input: &Input,
    settings: &ConvertSettings,
    config: &Config,
    cwd: &Path,
) -> (FileResult, Option<Pending>) {
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
            return (result, None);
        }
        Input::Stdin { .. } => return (result, None),
    };
    let snapshot = match Snapshot::read(file, crate::write::max_post_bytes(&config.limits)) {
        Ok(s) => s,
        Err(e) => {
            result.reason = Some(format!("cannot read the file: {e}"));
            return (result, None);
        }
    };
    let bytes = &snapshot.bytes;
    let opts = ConvertOptions {
        to: settings.to,
        dates: settings.dates,
        date_fields: date_fields(config, cwd, Path::new(&path)),
        limits: config.limits,
    };
    let mut outcome = convert_bytes(bytes, &opts);
    if settings.mode == Mode::DryRun && outcome.new_bytes.is_some() {
        result.diff = outcome.diff(&path, bytes);
    }
    result.from = outcome.from;
    result.status = outcome.status;
    result.reason = outcome.reason.take();
    result.changes = std::mem::take(&mut outcome.changes);
    let write = match outcome.new_bytes {
        Some(new) if settings.mode == Mode::Write => Some(Pending {
            path: file.clone(),
            snapshot,
            new,
        }),
        _ => None,
    };
    (result, write)
}

/// Fields that `--dates` converts: those the config types `epoch` or `datetime`, else `date`.
fn date_fields(config: &Config, cwd: &Path, path: &Path) -> Vec<(String, FieldType)> {
    let schema = config.schema_for_file(cwd, path);
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

fn human_file(
    settings: &ConvertSettings,
    r: &FileResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let bold = Style::new().bold();
    let red = AnsiColor::Red.on_default().bold();
    let yellow = AnsiColor::Yellow.on_default();
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
