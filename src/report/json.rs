//! The JSON format: one compact document with a flat `diagnostics` list, so that
//! `jq '.diagnostics[]'` walks every finding.
//!
//! ```json
//! {"version":1,"summary":{"files":3,"files_with_problems":1,"errors":1,"warnings":0,"fixed":0},
//!  "diagnostics":[{"path":"a.md","rule":"missing-field","severity":"error","line":1,
//!  "column":1,"message":"…","fixable":false}]}
//! ```
//! `help` is present only where a diagnostic has one. Columns count characters.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Summary};
use crate::diagnostic::{FileReport, Severity};
use crate::rules::Rule;

/// Bumped when a field changes meaning or goes away; new fields do not bump it.
const VERSION: u32 = 1;

pub(super) struct Json;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Counts,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Counts {
    files: usize,
    files_with_problems: usize,
    errors: usize,
    warnings: usize,
    fixed: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    rule: Rule,
    severity: Severity,
    line: u32,
    column: u32,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    fixable: bool,
}

impl Reporter for Json {
    fn report(
        &self,
        files: &[FileReport],
        summary: &Summary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let diagnostics = files
            .iter()
            .flat_map(|file| {
                file.diagnostics.iter().map(|d| Entry {
                    path: &file.path,
                    rule: d.rule,
                    severity: d.severity,
                    line: d.line,
                    column: d.column,
                    message: &d.message,
                    help: d.help.as_deref(),
                    fixable: d.fixable,
                })
            })
            .collect();
        let document = Document {
            version: VERSION,
            summary: Counts {
                files: summary.files,
                files_with_problems: summary.files_with_problems,
                errors: summary.errors,
                warnings: summary.warnings,
                fixed: summary.fixed,
            },
            diagnostics,
        };
        serde_json::to_writer(&mut *out, &document)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_data;
    use serde_json::{Value, json};

    fn output() -> String {
        let mut out = Vec::new();
        Json.report(&test_data::files(), &test_data::summary(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_compact_line() {
        let text = output();
        assert!(text.ends_with("}\n"));
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn summary_and_flat_diagnostics() {
        let doc: Value = serde_json::from_str(&output()).unwrap();
        assert_eq!(doc["version"], 1);
        assert_eq!(
            doc["summary"],
            json!({"files": 3, "files_with_problems": 2, "errors": 2, "warnings": 1, "fixed": 0})
        );
        let diagnostics = doc["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 3);
        assert_eq!(
            diagnostics[1],
            json!({
                "path": "content/a.md",
                "rule": "date-not-epoch",
                "severity": "error",
                "line": 9,
                "column": 7,
                "message": "`date` must be Unix epoch seconds as a number, found string \"2020-10-10\"",
                "help": "write 1602288000",
                "fixable": true,
            })
        );
        // No help: the key is absent, not null.
        assert!(diagnostics[0].get("help").is_none());
        assert_eq!(diagnostics[0]["fixable"], false);
        assert_eq!(diagnostics[2]["path"], "content/b.md");
        assert_eq!(diagnostics[2]["severity"], "warning");
        assert_eq!(diagnostics[2]["rule"], "date-in-future");
    }
}
