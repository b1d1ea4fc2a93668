//! `fmx check`: every post under the given paths against its schema, in parallel, reported
//! in path order.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::{CommandError, ConfigChoice, ExitStatus, is_broken_pipe, load_config};
use crate::check::{check_bytes, check_bytes_seeing, read_front, read_front_from};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::report::{OutputFormat, Summary, reporter, summary_line};
use crate::rules::Rule;
use crate::rules::not_unique::{Findings, Gatherer, Place};
use crate::value::Pos;
use crate::walk::Input;

/// What `fmx check` was asked to do, resolved from the command line.
#[derive(Clone, Debug)]
pub struct CheckSettings {
    pub paths: Vec<PathBuf>,
    pub config: ConfigChoice,
    pub require: Vec<String>,
    /// `--schema PATH`: the JSON Schema every post is validated against.
    pub schema: Option<PathBuf>,
    pub output_format: OutputFormat,
    pub quiet: bool,
    pub jobs: Option<usize>,
    pub exclude: Vec<String>,
    pub stdin_filename: Option<String>,
    pub fix: FixMode,
    pub progress: bool,
    /// `--yaml`: the YAML reading named on the command line.
    pub yaml: Option<crate::formats::yaml::YamlVersion>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Off,
    /// `--fix`: apply the safe fixes, then report what is left.
    Apply,
    /// `--diff`: print what `--fix` would change; change nothing.
    Diff,
}

/// One input's findings and what fixing did.
#[derive(Default)]
struct Checked {
    path: String,
    report: Option<FileReport>,
    fixed: usize,
    diff: String,
}

/// Runs the check and writes the report to `out`, the summary to `err`.
pub fn run(
    settings: &CheckSettings,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let config = check_config(settings, &cwd)?;
    let walker = super::walker(&config, &cwd, &settings.exclude)?;
    // `unique = true` is judged over every post the config covers, not only those named:
    // the check keeps the values of the posts it loads, the rest are read after it.
    let gatherer = Gatherer::new(&config);
    let archive = gatherer.as_ref();

    // Files are checked as the walk finds them, in parallel; only findings are kept, so
    // memory does not grow with the archive. They are sorted by path at the end.
    let now = jiff::Timestamp::now().as_second();
    let files = AtomicUsize::new(0);
    let kept: Mutex<Vec<Checked>> = Mutex::new(Vec::new());
    let bar = crate::progress::counter(settings.progress && !settings.quiet, "checking");
    let check = |input: &Input, stdin: Option<Vec<u8>>, fix: FixMode| {
        files.fetch_add(1, Ordering::Relaxed);
        let checked = check_input(input, &config, &cwd, now, stdin, fix, archive);
        if checked.report.is_some() || checked.fixed > 0 || !checked.diff.is_empty() {
            kept.lock().unwrap_or_else(|p| p.into_inner()).push(checked);
        }
    };
    let visited = walker.visit(&settings.paths, settings.jobs.unwrap_or(0), &|input| {
        check(&input, None, settings.fix);
        bar.inc(1);
    });
    bar.finish_and_clear();
    visited?;
    if let Some((input, bytes)) = read_stdin(settings, &config, stdin)? {
        check(&input, Some(bytes), FixMode::Off);
    }
    let mut results = kept.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(gatherer) = gatherer {
        let walk = (&walker, &settings.paths[..], settings.jobs.unwrap_or(0));
        let findings = gatherer.finish(&config, &cwd, walk)?;
        add_not_unique(findings, &config, &cwd, &mut results);
    }
    results.sort_by(|a, b| a.path.cmp(&b.path));
    summarise(settings, results, files.into_inner(), started, out, err)
}

/// The config the check runs under: found or named, with the command line's `--require`,
/// `--yaml` and `--schema` applied.
fn check_config(settings: &CheckSettings, cwd: &Path) -> Result<Config, CommandError> {
    let mut config = load_config(&settings.config, cwd)?;
    config.require(&settings.require)?;
    config.set_yaml(settings.yaml);
    if let Some(path) = &settings.schema {
        config
            .use_json_schema(path)
            .map_err(crate::config::ConfigError::from)?;
    }
    Ok(config)
}

/// The piped post when `-` is among the paths, read on this thread, once, and only as far as
/// a file's front matter would be.
fn read_stdin(
    settings: &CheckSettings,
    config: &Config,
    stdin: &mut dyn Read,
) -> Result<Option<(Input, Vec<u8>)>, CommandError> {
    if !settings.paths.iter().any(|p| p.as_os_str() == "-") {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    let cap = config.limits.max_block_bytes as u64 + 64 * 1024;
    stdin.take(cap).read_to_end(&mut bytes)?;
    let display = settings
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "-".into());
    Ok(Some((Input::Stdin { display }, bytes)))
}

/// Prints the diffs, the report and the summary line; the exit status.
fn summarise(
    settings: &CheckSettings,
    results: Vec<Checked>,
    files: usize,
    started: Instant,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, CommandError> {
    let fixed: usize = results.iter().map(|c| c.fixed).sum();
    let mut diffs = results.iter().filter(|c| !c.diff.is_empty());
    match diffs.try_for_each(|c| crate::report::diff::write(out, &c.diff)) {
        Err(e) if is_broken_pipe(&e) => return Ok(ExitStatus::Failure),
        other => other?,
    }
    let reports: Vec<FileReport> = results.into_iter().filter_map(|c| c.report).collect();

    let summary = Summary {
        files,
        files_with_problems: reports.len(),
        errors: reports.iter().map(|r| r.count(Severity::Error)).sum(),
        warnings: reports.iter().map(|r| r.count(Severity::Warning)).sum(),
        // `--diff` writes nothing: nothing is counted as fixed.
        fixed: if settings.fix == FixMode::Diff {
            0
        } else {
            fixed
        },
        elapsed: started.elapsed(),
    };
    let status = if summary.errors > 0 || (settings.fix == FixMode::Diff && fixed > 0) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    let shown = if settings.quiet && settings.output_format == OutputFormat::Human {
        errors_only(reports)
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
        return Err(e.into());
    }
    if settings.output_format == OutputFormat::Github {
        crate::report::step_summary::append_from_env(&shown, &summary, status.code(), err)?;
    }
    if !settings.quiet {
        let mut line = summary_line(&summary);
        if settings.fix == FixMode::Diff && fixed > 0 {
            line.push_str(&format!(
                " ({fixed} fixable, nothing written: --fix applies the diff)"
            ));
        }
        writeln!(err, "{line}")?;
    }
    Ok(status)
}

/// The bytes to check and their split: the front matter only, or the whole file when it may
/// be fixed. `None` for stdin that was not read.
fn read_input(
    input: &Input,
    stdin: Option<Vec<u8>>,
    fix: FixMode,
    config: &Config,
) -> Option<std::io::Result<(Vec<u8>, crate::document::Split)>> {
    Some(match (input, stdin) {
        (Input::Stdin { .. }, Some(bytes)) => read_front_from(&bytes[..], &config.limits),
        (Input::File { path, .. }, _) if fix != FixMode::Off => read_whole(path, &config.limits)
            .map(|bytes| {
                let split = crate::document::split(&bytes, true, config.limits.max_block_bytes);
                (bytes, split)
            }),
        (Input::File { path, .. }, _) => read_front(path, &config.limits),
        (Input::Unreadable { message, .. }, _) => Err(std::io::Error::other(message.clone())),
        (Input::Stdin { .. }, None) => return None,
    })
}

/// What `--quiet` shows: errors only.
fn errors_only(reports: Vec<FileReport>) -> Vec<FileReport> {
    reports
        .into_iter()
        .filter_map(|mut r| {
            r.diagnostics.retain(|d| d.severity == Severity::Error);
            (!r.diagnostics.is_empty()).then_some(r)
        })
        .collect()
}

/// One input's report (`None` when it has nothing to say), after fixing if asked.
fn check_input(
    input: &Input,
    config: &Config,
    cwd: &Path,
    now: i64,
    stdin: Option<Vec<u8>>,
    fix: FixMode,
    archive: Option<&Gatherer>,
) -> Checked {
    let display = input.display().to_string();
    let schema = config.schema_for_file(cwd, Path::new(&display));
    let mut checked = Checked {
        path: display.clone(),
        ..Checked::default()
    };
    // Visited, even when it does not load: the gathering after the check skips it.
    let file = archive.map(|a| a.visit(&display));
    let Some(read) = read_input(input, stdin, fix, config) else {
        return checked;
    };
    let diagnostics = match read {
        Ok((bytes, split)) => {
            let mut see = |post: &crate::load::Post| {
                if let (Some(archive), Some(file)) = (archive, file) {
                    let path = Path::new(&display);
                    archive.see(Place { config, cwd, path }, &schema, file, post);
                }
            };
            let mut diagnostics =
                check_bytes_seeing(&bytes, &split, &schema, &config.limits, now, &mut see);
            if fix != FixMode::Off
                && diagnostics.iter().any(|d| d.fixable)
                && let Some(fixed) = crate::fix::fix(&bytes, &schema, &config.limits)
            {
                let Input::File { path, .. } = input else {
                    return checked;
                };
                let recheck = |bytes: &[u8]| {
                    let split = crate::document::split(bytes, true, config.limits.max_block_bytes);
                    check_bytes(bytes, &split, &schema, &config.limits, now)
                };
                apply_fix(
                    path,
                    &bytes,
                    &fixed,
                    fix,
                    &mut checked,
                    &mut diagnostics,
                    recheck,
                );
            }
            diagnostics
        }
        Err(e) => vec![unreadable(&e)],
    };
    checked.report = (!diagnostics.is_empty()).then_some(FileReport {
        path: display,
        diagnostics,
    });
    checked
}

/// The `not-unique` findings added to the reports of the files they are on, with each
/// file's severity for the rule (none when it is off there).
fn add_not_unique(findings: Findings, config: &Config, cwd: &Path, results: &mut Vec<Checked>) {
    let mut at: std::collections::HashMap<String, usize> = results
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.clone(), i))
        .collect();
    for (display, found) in findings {
        let schema = config.schema_for_file(cwd, Path::new(&display));
        let Some(severity) = schema.severity(Rule::NotUnique) else {
            continue;
        };
        let i = *at.entry(display.clone()).or_insert_with(|| {
            results.push(Checked {
                path: display.clone(),
                ..Checked::default()
            });
            results.len() - 1
        });
        let report = results[i].report.get_or_insert_with(|| FileReport {
            path: display,
            diagnostics: Vec::new(),
        });
        report
            .diagnostics
            .extend(found.into_iter().map(|d| Diagnostic { severity, ..d }));
        report
            .diagnostics
            .sort_by_key(|d| (d.line, d.column, d.rule));
    }
}

/// `--diff`: the fixes as a diff; `--fix`: written, then the file checked again (what is
/// left is reported). A failed write is reported on the file.
fn apply_fix(
    path: &Path,
    bytes: &[u8],
    fixed: &crate::fix::Fixed,
    fix: FixMode,
    checked: &mut Checked,
    diagnostics: &mut Vec<Diagnostic>,
    recheck: impl Fn(&[u8]) -> Vec<Diagnostic>,
) {
    if fix == FixMode::Diff {
        checked.diff = crate::report::diff::unified(
            &checked.path,
            &String::from_utf8_lossy(bytes),
            &String::from_utf8_lossy(&fixed.bytes),
        );
        checked.fixed = fixed.edits.len();
        return;
    }
    match crate::write::replace(path, bytes, &fixed.bytes) {
        Ok(()) => {
            checked.fixed = fixed.edits.len();
            *diagnostics = recheck(&fixed.bytes);
        }
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                Rule::FixFailed,
                Pos::new(1, 1),
                format!("cannot write the fixes: {e}"),
            ));
            diagnostics.sort_by_key(|d| (d.line, d.column, d.rule));
        }
    }
}

/// A whole file for `--fix`/`--diff`, within the size a rewritten post may have.
fn read_whole(path: &Path, limits: &crate::formats::Limits) -> std::io::Result<Vec<u8>> {
    crate::write::Snapshot::read(path, crate::write::max_post_bytes(limits)).map(|s| s.bytes)
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
