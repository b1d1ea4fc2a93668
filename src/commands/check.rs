//! `fmx check`: every post under the given paths against its schema, in parallel, reported
//! in path order.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{ConfigChoice, ExitStatus, is_broken_pipe, load_config};
use crate::check::{check_bytes, read_front, read_front_from};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::report::{OutputFormat, Summary, reporter, summary_line};
use crate::rules::Rule;
use crate::value::Pos;
use crate::walk::{Input, Walker, absolute};

/// What `fmx check` was asked to do, resolved from the command line.
#[derive(Clone, Debug)]
pub struct CheckSettings {
    pub paths: Vec<PathBuf>,
    pub config: ConfigChoice,
    pub require: Vec<String>,
    pub output_format: OutputFormat,
    pub quiet: bool,
    pub jobs: Option<usize>,
    pub exclude: Vec<String>,
    pub stdin_filename: Option<String>,
}

/// Runs the check and writes the report to `out`, the summary to `err`.
pub fn run(
    settings: &CheckSettings,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let mut config = match load_config(&settings.config, &cwd) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    config.require(&settings.require);
    let walker = Walker::new(
        &config.extensions,
        &config.root,
        &config.exclude,
        &cwd,
        &settings.exclude,
    );
    let inputs =
        match walker.and_then(|w| w.collect(&settings.paths, settings.stdin_filename.as_deref())) {
            Ok(i) => i,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(ExitStatus::Error);
            }
        };

    let now = jiff::Timestamp::now().as_second();
    let check_one = |input: &Input| check_input(input, &config, &cwd, now, None);
    let mut reports: Vec<FileReport> = match settings.jobs {
        Some(1) => inputs.iter().filter_map(check_one).collect(),
        jobs => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.unwrap_or(0))
                .build()
                .map_err(std::io::Error::other)?;
            pool.install(|| {
                inputs
                    .par_iter()
                    .filter(|i| !matches!(i, Input::Stdin { .. }))
                    .filter_map(check_one)
                    .collect()
            })
        }
    };
    // Stdin is read on this thread, once.
    for input in &inputs {
        if let Input::Stdin { .. } = input {
            let mut bytes = Vec::new();
            stdin.read_to_end(&mut bytes)?;
            if let Some(r) = check_input(input, &config, &cwd, now, Some(bytes)) {
                reports.push(r);
            }
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));

    let summary = Summary {
        files: inputs.len(),
        files_with_problems: reports.len(),
        errors: reports.iter().map(|r| r.count(Severity::Error)).sum(),
        warnings: reports.iter().map(|r| r.count(Severity::Warning)).sum(),
        fixed: 0,
        elapsed: started.elapsed(),
    };
    let status = if summary.errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    let shown: Vec<FileReport> = if settings.quiet && settings.output_format == OutputFormat::Human
    {
        // `--quiet`: errors only, no summary.
        reports
            .into_iter()
            .filter_map(|mut r| {
                r.diagnostics.retain(|d| d.severity == Severity::Error);
                (!r.diagnostics.is_empty()).then_some(r)
            })
            .collect()
    } else {
        reports
    };
    match reporter(settings.output_format).report(&shown, &summary, out) {
        Err(e) if is_broken_pipe(&e) => return Ok(status),
        other => other?,
    }
    if let Err(e) = out.flush()
        && !is_broken_pipe(&e)
    {
        return Err(e);
    }
    if !settings.quiet {
        writeln!(err, "{}", summary_line(&summary))?;
    }
    Ok(status)
}

/// One input's report, or `None` when it has nothing to say.
fn check_input(
    input: &Input,
    config: &Config,
    cwd: &Path,
    now: i64,
    stdin: Option<Vec<u8>>,
) -> Option<FileReport> {
    let display = input.display().to_string();
    let relative = relative_to(&config.root, cwd, Path::new(&display));
    let schema = config.schema_for(&relative);
    let read = match (input, stdin) {
        (Input::Stdin { .. }, Some(bytes)) => read_front_from(&bytes[..], &config.limits),
        (Input::File { path, .. }, _) => read_front(path, &config.limits),
        (Input::Unreadable { message, .. }, _) => Err(std::io::Error::other(message.clone())),
        (Input::Stdin { .. }, None) => return None,
    };
    let diagnostics = match read {
        Ok((bytes, split)) => check_bytes(&bytes, &split, &schema, &config.limits, now),
        Err(e) => vec![unreadable(&e)],
    };
    (!diagnostics.is_empty()).then_some(FileReport {
        path: display,
        diagnostics,
    })
}

fn unreadable(e: &std::io::Error) -> Diagnostic {
    let mut message = e.to_string();
    if let Some(i) = message.find(" (os error") {
        message.truncate(i);
    }
    Diagnostic::new(
        Rule::UnreadableFile,
        Pos::new(1, 1),
        format!("cannot read the file: {message}"),
    )
}

/// `path` relative to the config folder, for matching override globs.
fn relative_to(root: &Path, cwd: &Path, path: &Path) -> PathBuf {
    let abs = absolute(cwd, path);
    let root = absolute(cwd, root);
    abs.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
