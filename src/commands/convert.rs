//! `fmx convert --to FORMAT`: a dry run with diffs by default, `--write` to apply,
//! `--check` for CI. Files are converted in parallel and reported in path order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use super::{CommandError, ConfigChoice, ExitStatus, is_broken_pipe, load_config};
use crate::config::{Config, FieldType, Schema};
use crate::convert::{ConvertOptions, DatesMode, Status, Verdict, convert_bytes};
use crate::document::Format;
pub use crate::report::convert::Action;
pub(crate) use crate::report::convert::FileResult;
pub use crate::report::convert::{Mode, ReportFormat};
use crate::report::convert::{Printer, ReportSettings, Totals};
use crate::walk::{Input, Walker};
use crate::write::{Replacement, Snapshot, Writer};

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
    /// `--yaml`: the YAML reading named on the command line.
    pub yaml: Option<crate::formats::yaml::YamlVersion>,
    /// `--tz`: the IANA zone in which local dates of date fields name an instant, for `--dates`.
    pub tz: Option<String>,
}

pub fn run(
    settings: &ConvertSettings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let Some(tz) = super::edit::time_zone(settings.tz.as_deref())? else {
        return drive(settings, Action::Convert, &convert_input, out, err);
    };
    // Local dates read in the zone first, then converted: `fmx edit` with no operation.
    let process = |input: &Input, s: &ConvertSettings, config: &Config, cwd: &Path| {
        super::edit::edit_input(input, s, config, cwd, &[], Some(s.to), Some(&tz))
    };
    drive(settings, Action::Convert, &process, out, err)
}

/// Reads one file and makes its new bytes; in `--write` mode a changed file comes back to be
/// written. `convert` and `edit` differ only here.
pub(crate) type Process<'p> =
    dyn Fn(&Input, &ConvertSettings, &Config, &Path) -> (FileResult, Option<Pending>) + Sync + 'p;

/// Walks, processes, writes and reports: everything `convert` and `edit` share.
pub(crate) fn drive(
    settings: &ConvertSettings,
    action: Action,
    process: &Process<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let mut config = load_config(&settings.config, &cwd)?;
    config.set_yaml(settings.yaml);
    if settings.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(CommandError::StdinNotSupported);
    }
    let walker = super::walker(&config, &cwd, &settings.exclude)?;
    if settings.mode == Mode::Write {
        crate::progress::stop_on_ctrl_c();
    }
    let plan = Plan::new(settings, &config, &cwd, process, action);
    let mut printer = Printer::new(
        ReportSettings {
            mode: settings.mode,
            format: settings.output_format,
            quiet: settings.quiet,
            to: settings.to,
            action,
        },
        out,
    );
    let (totals, streamed) = if printer.every_file() {
        plan.in_path_order(&walker, &mut printer)?
    } else {
        plan.as_found(&walker, &mut printer)?
    };
    // Every rename is made durable before the summary says the files are converted.
    let synced = plan.writer.finish();
    match streamed.and_then(|()| printer.finish(&totals)) {
        Err(e) if is_broken_pipe(&e) => {}
        other => other?,
    }
    if !settings.quiet {
        writeln!(err, "{}", printer.summary_line(&totals, started.elapsed()))?;
    }
    if let Err(e) = &synced {
        writeln!(err, "error: {e}")?;
    }
    if crate::progress::interrupted() {
        writeln!(
            err,
            "interrupted: {} files were processed, the others not; each file is either as it was or fully {}",
            totals.files,
            action.past()
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

/// How a run is driven: threads, batch size, the writer, what every batch needs.
struct Plan<'a> {
    settings: &'a ConvertSettings,
    process: &'a Process<'a>,
    action: Action,
    config: &'a Config,
    cwd: &'a Path,
    writer: Writer,
    threads: usize,
    batch: usize,
    show_progress: bool,
}

/// The totals, and how printing went (a closed pipe is not an error of the run).
type Driven = (Totals, std::io::Result<()>);

impl<'a> Plan<'a> {
    fn new(
        settings: &'a ConvertSettings,
        config: &'a Config,
        cwd: &'a Path,
        process: &'a Process<'a>,
        action: Action,
    ) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // A durable write waits on the disk once per batch: one more batch in flight per
        // core keeps the CPU busy meanwhile.
        let io_bound = settings.mode == Mode::Write && settings.fsync;
        let threads = settings
            .jobs
            .unwrap_or(if io_bound { cores * 2 } else { cores });
        // Each file of a batch holds an open temporary file until the batch is renamed:
        // about 512 in all, whatever the thread count, is far below the usual limit of 1024.
        let batch = if settings.mode == Mode::Write {
            (512 / threads.max(1)).clamp(1, 64)
        } else {
            4
        };
        Plan {
            settings,
            process,
            action,
            config,
            cwd,
            writer: Writer::new(settings.fsync),
            threads,
            batch,
            show_progress: settings.progress && !settings.quiet,
        }
    }

    fn batch(&self, inputs: &[Input]) -> Vec<FileResult> {
        let process = |input: &Input| (self.process)(input, self.settings, self.config, self.cwd);
        convert_batch(inputs, &process, &self.writer)
    }

    /// Every file has output (a diff, a JSON entry), in path order: take the paths a sorted
    /// window at a time, convert a chunk at a time in parallel, print it in order and drop
    /// it. Only one window of paths is held, however large the archive.
    fn in_path_order(
        &self,
        walker: &Walker,
        printer: &mut Printer<'_>,
    ) -> Result<Driven, CommandError> {
        let mut windows = walker.sorted_windows(&self.settings.paths, SORTED_WINDOW)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()?;
        let mut totals = Totals::default();
        let mut bar = None;
        let mut result = Ok(());
        'windows: while !crate::progress::interrupted() {
            let Some(window) = windows.next_window() else {
                break;
            };
            let bar = bar.get_or_insert_with(|| {
                crate::progress::counter(self.show_progress, self.action.progressive())
            });
            for from in (0..window.len()).step_by(256) {
                if crate::progress::interrupted() {
                    break 'windows;
                }
                let chunk = window.slice(from, 256);
                let results: Vec<FileResult> = pool.install(|| {
                    chunk
                        .par_chunks(self.batch)
                        .flat_map_iter(|inputs| self.batch(inputs))
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
        Ok((totals, result))
    }

    /// Only refusals, errors and notes are printed: convert files as the walk finds them,
    /// keep just those lines, sort them at the end.
    fn as_found(&self, walker: &Walker, printer: &mut Printer<'_>) -> Result<Driven, CommandError> {
        let kept: Mutex<(Totals, Vec<FileResult>)> = Mutex::new((Totals::default(), Vec::new()));
        let bar = crate::progress::counter(self.show_progress, self.action.progressive());
        let mode = self.settings.mode;
        let visited = walker.visit_batches(&self.settings.paths, self.threads, &|inputs| {
            for inputs in inputs.chunks(self.batch) {
                let results = self.batch(inputs);
                bar.inc(results.len() as u64);
                let mut guard = kept.lock().unwrap_or_else(|p| p.into_inner());
                for r in results {
                    guard.0.add(&r);
                    if r.status != Status::Unchanged
                        && (r.status != Status::Converted
                            || mode == Mode::Check
                            || !r.changes.is_empty())
                    {
                        guard.1.push(r);
                    }
                }
            }
        });
        bar.finish_and_clear();
        visited?;
        let (totals, mut results) = kept.into_inner().unwrap_or_else(|p| p.into_inner());
        results.sort_by(|a, b| a.path.cmp(&b.path));
        let printed = results.iter().try_for_each(|r| printer.file(r));
        Ok((totals, printed))
    }
}

/// Paths handed out at once by the one sorted walk of a run that reports every file in
/// order (about 100 bytes a path).
const SORTED_WINDOW: usize = 16_384;

/// A converted file waiting for its batch to be written.
pub(crate) struct Pending {
    pub path: PathBuf,
    pub snapshot: Snapshot,
    pub new: Vec<u8>,
}

/// Converts a batch of files in order and then writes those that changed, together (see
/// [`Writer::replace_all`]). After Ctrl-C no new file starts; the batch's files already
/// converted are still written.
fn convert_batch(
    inputs: &[Input],
    process: &dyn Fn(&Input) -> (FileResult, Option<Pending>),
    writer: &Writer,
) -> Vec<FileResult> {
    let mut results = Vec::with_capacity(inputs.len());
    let mut pending: Vec<(usize, Pending)> = Vec::new();
    let mut held = 0;
    for input in inputs {
        if crate::progress::interrupted() {
            break;
        }
        let (result, write) = process(input);
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
    process_file(input, settings, config, |bytes, result| {
        let opts = ConvertOptions {
            to: settings.to,
            dates: settings.dates,
            date_fields: date_fields(&config.schema_for_file(cwd, Path::new(&result.path))),
            limits: config.limits,
            yaml: config.yaml(),
        };
        let outcome = convert_bytes(bytes, &opts);
        result.from = outcome.from;
        result.status = outcome.status();
        result.reason = outcome.reason();
        result.changes = outcome.changes;
        let Verdict::Converted(new) = outcome.verdict else {
            return None;
        };
        if settings.mode == Mode::DryRun {
            result.diff = new.diff(&result.path, bytes);
        }
        Some(new.bytes)
    })
}

/// Reads one file and lets `make` fill in its report line from its bytes and return its new
/// bytes when it changes; in `--write` mode those come back to be written. `convert` and
/// `edit` differ only in `make`.
pub(crate) fn process_file(
    input: &Input,
    settings: &ConvertSettings,
    config: &Config,
    make: impl FnOnce(&[u8], &mut FileResult) -> Option<Vec<u8>>,
) -> (FileResult, Option<Pending>) {
    let (mut result, file, snapshot) = match open(input, settings.to, &config.limits) {
        Ok(opened) => opened,
        Err(result) => return (result, None),
    };
    let new = make(&snapshot.bytes, &mut result);
    let write = match new {
        Some(new) if settings.mode == Mode::Write => Some(Pending {
            path: file.clone(),
            snapshot,
            new,
        }),
        _ => None,
    };
    (result, write)
}

/// A file's report line (an error until it is processed), the file, and its bytes; or the
/// line for an input that cannot be read.
fn open<'i>(
    input: &'i Input,
    to: Format,
    limits: &crate::formats::Limits,
) -> Result<(FileResult, &'i PathBuf, Snapshot), FileResult> {
    let mut result = FileResult {
        path: input.display().to_string(),
        from: None,
        to,
        status: Status::Error,
        reason: None,
        changes: Vec::new(),
        diff: String::new(),
    };
    let file = match input {
        Input::File { path, .. } => path,
        Input::Unreadable { message, .. } => {
            result.reason = Some(message.clone());
            return Err(result);
        }
        Input::Stdin { .. } => return Err(result),
    };
    match Snapshot::read(file, crate::write::max_post_bytes(limits)) {
        Ok(s) => Ok((result, file, s)),
        Err(e) => {
            result.reason = Some(format!("cannot read the file: {e}"));
            Err(result)
        }
    }
}

/// Fields that `--dates` converts: those the schema types `epoch` or `datetime`, else `date`.
/// (The language server's conversions use it too.)
pub fn date_fields(schema: &Schema) -> Vec<(String, FieldType)> {
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
