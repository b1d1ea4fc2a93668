//! Output formats for check results, one per file behind one trait.
//!
//! A reporter writes the diagnostics of a run to the stream it is given (stdout, in the
//! binary) and prints nothing itself. The summary line is not part of any format: the
//! caller prints [`summary_line`] to stderr, so that stdout stays machine-readable.

pub mod convert;
pub mod diff;
mod github;
mod human;
mod json;
mod sarif;
pub mod step_summary;
pub mod stream;

use std::io::{self, Write};
use std::time::Duration;

use crate::diagnostic::FileReport;

/// Counts for a whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files checked, with or without problems.
    pub files: usize,
    /// Files with at least one diagnostic left.
    pub files_with_problems: usize,
    /// Diagnostics left at each severity (after `--fix`, those it could not repair).
    pub errors: usize,
    pub warnings: usize,
    /// Problems repaired by `--fix`.
    pub fixed: usize,
    pub elapsed: Duration,
}

/// One output format.
pub trait Reporter {
    /// Writes the whole report. `files` are sorted by path and each file's diagnostics by
    /// position; files without diagnostics may be included and are skipped.
    fn report(
        &self,
        files: &[FileReport],
        summary: &Summary,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// `path:line:col: error[rule] message` lines, styled for a terminal.
    Human,
    /// One JSON document with a flat `diagnostics` list.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

pub fn reporter(format: OutputFormat) -> Box<dyn Reporter> {
    match format {
        OutputFormat::Human => Box::new(human::Human),
        OutputFormat::Json => Box::new(json::Json),
        OutputFormat::Github => Box::new(github::Github),
        OutputFormat::Sarif => Box::new(sarif::Sarif),
    }
}

/// The line printed to stderr after a check:
/// `checked 10000 files in 0.41s: 3 errors, 1 warning in 2 files`.
pub fn summary_line(summary: &Summary) -> String {
    let mut line = format!(
        "checked {} in {:.2}s: ",
        count(summary.files, "file"),
        summary.elapsed.as_secs_f64(),
    );
    let mut problems = Vec::new();
    if summary.errors > 0 {
        problems.push(count(summary.errors, "error"));
    }
    if summary.warnings > 0 {
        problems.push(count(summary.warnings, "warning"));
    }
    if problems.is_empty() {
        line.push_str("no problems");
    } else {
        line.push_str(&problems.join(", "));
        line.push_str(" in ");
        line.push_str(&count(summary.files_with_problems, "file"));
    }
    if summary.fixed > 0 {
        line.push_str(&format!(" ({} fixed)", summary.fixed));
    }
    line
}

/// `1 file`, `2 files`, `0 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
pub(crate) mod test_data {
    //! Diagnostics shared by the reporters' tests.

    use super::Summary;
    use crate::diagnostic::{Diagnostic, FileReport, Severity};
    use crate::rules::Rule;
    use crate::value::Pos;
    use std::time::Duration;

    pub fn files() -> Vec<FileReport> {
        vec![
            FileReport {
                path: "content/a.md".into(),
                diagnostics: vec![
                    Diagnostic::new(
                        Rule::MissingField,
                        Pos::new(1, 1),
                        "required field `title` is missing",
                    ),
                    Diagnostic::new(
                        Rule::DateNotEpoch,
                        Pos::new(9, 7),
                        "`date` must be Unix epoch seconds as a number, found string \"2020-10-10\"",
                    )
                    .with_help("write 1602288000")
                    .fixable(true),
                ],
            },
            FileReport {
                path: "content/clean.md".into(),
                diagnostics: vec![],
            },
            FileReport {
                path: "content/b.md".into(),
                diagnostics: vec![Diagnostic {
                    severity: Severity::Warning,
                    ..Diagnostic::new(Rule::DateInFuture, Pos::new(3, 7), "`date` is later than now")
                }],
            },
        ]
    }

    pub fn summary() -> Summary {
        Summary {
            files: 3,
            files_with_problems: 2,
            errors: 2,
            warnings: 1,
            fixed: 0,
            elapsed: Duration::from_millis(410),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(files: usize, with: usize, errors: usize, warnings: usize, fixed: usize) -> String {
        summary_line(&Summary {
            files,
            files_with_problems: with,
            errors,
            warnings,
            fixed,
            elapsed: Duration::from_millis(410),
        })
    }

    #[test]
    fn summary_line_wording() {
        assert_eq!(
            line(10000, 2, 3, 1, 0),
            "checked 10000 files in 0.41s: 3 errors, 1 warning in 2 files"
        );
        assert_eq!(
            summary_line(&Summary {
                files: 1,
                ..Summary::default()
            }),
            "checked 1 file in 0.00s: no problems"
        );
        assert_eq!(line(0, 0, 0, 0, 0), "checked 0 files in 0.41s: no problems");
        assert_eq!(
            line(5, 1, 1, 0, 0),
            "checked 5 files in 0.41s: 1 error in 1 file"
        );
        assert_eq!(
            line(5, 3, 0, 4, 0),
            "checked 5 files in 0.41s: 4 warnings in 3 files"
        );
        assert_eq!(
            line(5, 1, 1, 1, 0),
            "checked 5 files in 0.41s: 1 error, 1 warning in 1 file"
        );
        assert_eq!(
            line(5, 0, 0, 0, 2),
            "checked 5 files in 0.41s: no problems (2 fixed)"
        );
        assert_eq!(
            line(5, 1, 1, 0, 1),
            "checked 5 files in 0.41s: 1 error in 1 file (1 fixed)"
        );
    }

    #[test]
    fn every_format_handles_no_files() {
        for format in [
            OutputFormat::Human,
            OutputFormat::Json,
            OutputFormat::Github,
            OutputFormat::Sarif,
        ] {
            let mut out = Vec::new();
            reporter(format)
                .report(&[], &Summary::default(), &mut out)
                .unwrap();
            let text = String::from_utf8(out).unwrap();
            match format {
                OutputFormat::Human | OutputFormat::Github => assert_eq!(text, ""),
                OutputFormat::Json | OutputFormat::Sarif => {
                    serde_json::from_str::<serde_json::Value>(&text).unwrap();
                }
            }
        }
    }
}
