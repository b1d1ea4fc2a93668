//! `fmx convert`'s report: a line (and a diff, in a dry run) per file for people, or one
//! JSON document whose `files` list is streamed and whose summary comes last.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::convert::{Change, Status};
use crate::document::Format;
use crate::shown;

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
            if std::mem::take(&mut self.first) {
                self.open_json()?;
            } else {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *self.out, r)?;
            return Ok(());
        }
        human_file(&self.settings, r, self.out)
    }

    /// The JSON document's head. `dry_run` says whether anything was written: a `converted`
    /// status in a dry run or under `--check` is what would be written.
    fn open_json(&mut self) -> std::io::Result<()> {
        let dry_run = self.settings.mode != Mode::Write;
        write!(
            self.out,
            "{{\"version\":1,\"dry_run\":{dry_run},\"files\":["
        )
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
                self.open_json()?;
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
                        shown::escaped(&r.path),
                        settings.to
                    )?,
                    Action::Edit => writeln!(
                        out,
                        "{bold}{}{bold:#}: would be edited",
                        shown::escaped(&r.path)
                    )?,
                }
            }
            if !settings.quiet {
                for c in &r.changes {
                    writeln!(
                        out,
                        "{bold}{}{bold:#}: {yellow}note{yellow:#}: {}",
                        shown::escaped(&r.path),
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
                shown::escaped(&r.path),
                shown::escaped(r.reason.as_deref().unwrap_or(""))
            )?;
        }
        Status::Unchanged => {}
    }
    Ok(())
}

/// A change as a note: the key and the values quoted bounded and escaped.
fn describe(c: &Change) -> String {
    let mut s = format!("`{}` {}", shown::bounded(&c.key), c.kind);
    if let (Some(from), Some(to)) = (&c.from, &c.to) {
        s.push_str(&format!(
            ": {} → {}",
            shown::bounded(from),
            shown::bounded(to)
        ));
    } else if let Some(from) = &c.from {
        s.push_str(&format!(": {}", shown::bounded(from)));
    } else if let Some(to) = &c.to {
        s.push_str(&format!(": → {}", shown::bounded(to)));
    }
    if let Some(d) = &c.detail {
        s.push_str(&format!(" ({})", shown::escaped(d)));
    }
    s
}
