//! The GitHub format: one workflow command per diagnostic, which GitHub Actions shows as an
//! annotation on the file and line:
//!
//! `::error file=content/a.md,line=7,col=1,title=fmx(missing-field)::required field …`
//!
//! Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`,
//! CR and LF are percent-encoded; in property values `:` and `,` are too.

use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::diagnostic::{FileReport, Severity};

pub(super) struct Github;

impl Reporter for Github {
    fn report(&self, files: &[FileReport], _: &Summary, out: &mut dyn Write) -> io::Result<()> {
        // Most useful first: GitHub shows only a step's first annotations (see step_summary).
        for (path, d) in super::step_summary::annotation_order(files) {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let title = escape_property(&format!("fmx({})", d.rule));
            let message = match &d.help {
                Some(help) => escape_data(&format!("{}\nhelp: {help}", d.message)),
                None => escape_data(&d.message),
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},title={title}::{message}",
                escape_property(path),
                d.line,
                d.column,
            )?;
        }
        Ok(())
    }
}

/// The message after `::`.
fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// A `key=value` property value.
fn escape_property(text: &str) -> String {
    escape(text, true)
}

/// GitHub's workflow-command escaping: `%`, CR and LF always; `:` and `,` in a property.
fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::report::test_data;
    use crate::rules::Rule;
    use crate::value::Pos;

    fn output(files: &[FileReport]) -> String {
        let mut out = Vec::new();
        Github
            .report(files, &test_data::summary(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_command_per_diagnostic() {
        assert_eq!(
            output(&test_data::files()),
            "::error file=content/a.md,line=1,col=1,title=fmx(missing-field)::\
             required field `title` is missing\n\
             ::error file=content/a.md,line=9,col=7,title=fmx(date-not-epoch)::\
             `date` must be Unix epoch seconds as a number, found string \"2020-10-10\"\
             %0Ahelp: write 1602288000\n\
             ::warning file=content/b.md,line=3,col=7,title=fmx(date-in-future)::\
             `date` is later than now\n"
        );
    }

    #[test]
    fn escapes_message_and_properties() {
        let files = [FileReport {
            path: "posts/100%, done: part 1.md".into(),
            diagnostics: vec![
                Diagnostic::new(
                    Rule::SyntaxError,
                    Pos::new(2, 13),
                    "50% off: a, b\r\nsecond line",
                )
                .with_help("quote it: \"a: b\""),
            ],
        }];
        assert_eq!(
            output(&files),
            "::error file=posts/100%25%2C done%3A part 1.md,line=2,col=13,\
             title=fmx(syntax-error)::50%25 off: a, b%0D%0Asecond line%0Ahelp: quote it: \"a: b\"\n"
        );
    }

    #[test]
    fn escaping_functions() {
        assert_eq!(escape_data("a%b\nc\rd:e,f"), "a%25b%0Ac%0Dd:e,f");
        assert_eq!(escape_property("a%b\nc\rd:e,f"), "a%25b%0Ac%0Dd%3Ae%2Cf");
    }
}
