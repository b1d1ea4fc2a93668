//! The human format: `path:line:col: error[rule] message` lines an editor can jump to.
//!
//! Styles are always written; the caller's `anstream::AutoStream` strips them when colour
//! is off (`--color never`, `NO_COLOR`, output not a terminal).

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};

use super::{Reporter, Summary};
use crate::diagnostic::{FileReport, Severity};
use crate::shown;

const LOCATION: Style = Style::new().bold();
const ERROR: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Red)))
    .bold();
const WARNING: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Yellow)))
    .bold();
const RULE: Style = Style::new().dimmed();
const HELP: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Cyan)));

/// Lines of a help text after the first are indented under its first word.
const HELP_INDENT: &str = "        ";

pub(super) struct Human;

impl Reporter for Human {
    fn report(&self, files: &[FileReport], _: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for file in files {
            for d in &file.diagnostics {
                let severity = match d.severity {
                    Severity::Error => ERROR,
                    Severity::Warning => WARNING,
                };
                // A post's keys and values and a file's name reach every message: nothing
                // they hold may act on the terminal or the CI log reading this.
                writeln!(
                    out,
                    "{LOCATION}{}:{}:{}:{LOCATION:#} {severity}{}{severity:#}{RULE}[{}]{RULE:#} {}",
                    shown::escaped(&file.path),
                    d.line,
                    d.column,
                    d.severity,
                    d.rule,
                    shown::escaped(&d.message),
                )?;
                if let Some(help) = &d.help {
                    let mut lines = help.lines();
                    writeln!(
                        out,
                        "  {HELP}help:{HELP:#} {}",
                        shown::escaped(lines.next().unwrap_or_default())
                    )?;
                    for line in lines {
                        writeln!(out, "{HELP_INDENT}{}", shown::escaped(line))?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_data;

    fn styled() -> String {
        let mut out = Vec::new();
        Human
            .report(&test_data::files(), &test_data::summary(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_lines_when_styles_are_stripped() {
        let plain = anstream::adapter::strip_str(&styled()).to_string();
        assert_eq!(
            plain,
            "content/a.md:1:1: error[missing-field] required field `title` is missing\n\
             content/a.md:9:7: error[date-not-epoch] `date` must be Unix epoch seconds as a \
             number, found string \"2020-10-10\"\n  \
             help: write 1602288000\n\
             content/b.md:3:7: warning[date-in-future] `date` is later than now\n"
        );
    }

    #[test]
    fn styles_mark_location_severity_rule_and_help() {
        let styled = styled();
        let bold = "\x1b[1m";
        let reset = "\x1b[0m";
        let red = "\x1b[31m";
        let yellow = "\x1b[33m";
        let cyan = "\x1b[36m";
        let dim = "\x1b[2m";
        let first = styled.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "{bold}content/a.md:1:1:{reset} {bold}{red}error{reset}{dim}[missing-field]{reset} \
                 required field `title` is missing"
            )
        );
        assert!(styled.contains(&format!("{bold}{yellow}warning{reset}")));
        assert!(styled.contains(&format!("\n  {cyan}help:{reset} write 1602288000\n")));
    }

    #[test]
    fn multi_line_help_is_indented() {
        let mut files = test_data::files();
        files.truncate(1);
        files[0].diagnostics[1].help = Some("first\nsecond".into());
        let mut out = Vec::new();
        Human
            .report(&files, &test_data::summary(), &mut out)
            .unwrap();
        let plain = anstream::adapter::strip_str(std::str::from_utf8(&out).unwrap()).to_string();
        assert!(
            plain.ends_with("\n  help: first\n        second\n"),
            "{plain}"
        );
    }
}
