//! `fmx convert`'s report: a line (and a diff, in a dry run) per file for people, or one
//! JSON document whose `files` list is streamed and whose summary comes last.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::convert::{Change, Status};
use crate::document::Format;

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

/// What the run does to a file: the words its report uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Convert,
    Edit,
}

impl Action {
    pub fn past(self) -> &'static str {
        match self {
            Action::Convert => "converted",
            Action::Edit => "edited",
        }
    }

    pub fn progressive(self) -> &'static str {
        match self {
            Action::Convert => "converting",
            Action::Edit => "editing",
        }
    }
}

/// What the report needs to know about the run.
#[derive(Clone, Copy, Debug)]
pub struct ReportSettings {
    pub mode: Mode,
    pub format: ReportFormat,
    pub quiet: bool,
    pub to: Format,
    pub action: Action,
}

/// One file's line in the report.
#[derive(Debug, Serialize)]
pub struct FileResult {
    pub path: String,
    pub from: Option<Format>,
    pub to: Format,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub changes: Vec<Change>,
    #[serde(skip)]
    pub diff: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub files: usize,
    pub converted: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub errors: usize,
}

impl Totals {
    pub fn add(&mut self, r: &FileResult) {
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
pub struct Printer<'a> {
    settings: ReportSettings,
    out: &'a mut dyn Write,
    first: bool,
}

impl<'a> Printer<'a> {
    pub fn new(settings: ReportSettings, out: &'a mut dyn Write) -> Self {
        Printer {
            settings,
            out,
            first: true,
        }
    }

    /// Whether every file produces output (then files are visited in path order).
    pub fn every_file(&self) -> bool {
        self.settings.mode == Mode::DryRun || self.settings.format == ReportFormat::Json
    }

    pub fn file(&mut self, r: &FileResult) -> std::io::Result<()> {
        if self.settings.format == ReportFormat::Json {
            let sep = if std::mem::take(&mut self.first) {
                "{\"version\":1,\"files\":["
            } else {
                ","
            };
            self.out.write_all(sep.as_bytes())?;
            serde_json::to_writer(&mut *self.out, r)?;
            return Ok(());
        }
        human_file(&self.settings, r, self.out)
    }

    /// The line for stderr: what was (or would be) converted, with the counts.
    pub fn summary_line(&self, totals: &Totals, elapsed: std::time::Duration) -> String {
        let verb = match (self.settings.mode, self.settings.action) {
            (Mode::Write, Action::Convert) => "converted",
            (Mode::DryRun | Mode::Check, Action::Convert) => "would convert",
            (Mode::Write, Action::Edit) => "edited",
            (Mode::DryRun | Mode::Check, Action::Edit) => "would edit",
        };
        let tail = match self.settings.mode {
            Mode::DryRun => " (dry run: nothing written; --write applies it)",
            Mode::Check => " (--check: nothing written)",
            Mode::Write => "",
        };
        let to = match self.settings.action {
            Action::Convert => format!(" to {}", self.settings.to),
            Action::Edit => String::new(),
        };
        format!(
            "{verb} {} of {} files{to}: {} unchanged, {} refused, {} errors in {:.2}s{tail}",
            totals.converted,
            totals.files,
            totals.unchanged,
            totals.refused,
            totals.errors,
            elapsed.as_secs_f64()
        )
    }

    pub fn finish(&mut self, totals: &Totals) -> std::io::Result<()> {
        if self.settings.format == ReportFormat::Json {
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

fn human_file(
    settings: &ReportSettings,
    r: &FileResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let bold = Style::new().bold();
    let red = AnsiColor::Red.on_default().bold();
    let yellow = AnsiColor::Yellow.on_default();
    match r.status {
        Status::Converted => {
            if settings.mode == Mode::DryRun {
                crate::report::diff::write(out, &r.diff)?;
            } else if settings.mode == Mode::Check {
                match settings.action {
                    Action::Convert => writeln!(
                        out,
                        "{bold}{}{bold:#}: would be converted to {}",
                        r.path, settings.to
                    )?,
                    Action::Edit => writeln!(out, "{bold}{}{bold:#}: would be edited", r.path)?,
                }
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

fn describe(c: &Change) -> String {
    let mut s = format!("`{}` {}", c.key, c.kind);
    if let (Some(from), Some(to)) = (&c.from, &c.to) {
        s.push_str(&format!(": {from} → {to}"));
    } else if let Some(from) = &c.from {
        s.push_str(&format!(": {from}"));
    } else if let Some(to) = &c.to {
        s.push_str(&format!(": → {to}"));
    }
    if let Some(d) = &c.detail {
        s.push_str(&format!(" ({d})"));
    }
    s
}
