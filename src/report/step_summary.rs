//! The GitHub Actions job summary (`--output-format github` with `GITHUB_STEP_SUMMARY` set),
//! and the order of the annotations.
//!
//! GitHub shows only the first few annotations of a step (10 errors and 10 warnings), and a
//! real site can give thousands. So the summary carries the whole picture — the counts per
//! rule, the first [`FIRST_PER_RULE`] findings of each rule with `path:line:col`, the exit
//! status — and the annotations come most useful first: errors before warnings, and within
//! a severity one finding of each rule before a second of any (each such round in path
//! order), so the ones GitHub shows cover as many different problems as they can.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::Summary;
use crate::diagnostic::{Diagnostic, FileReport, Severity};

/// Findings listed per rule in the summary; the rest are counted.
pub const FIRST_PER_RULE: usize = 10;

/// Every diagnostic with its path, in annotation order (see the module's docs).
pub fn annotation_order(files: &[FileReport]) -> Vec<(&str, &Diagnostic)> {
    let mut order = Vec::new();
    for severity in [Severity::Error, Severity::Warning] {
        let mut by_rule: BTreeMap<&str, Vec<(&str, &Diagnostic)>> = BTreeMap::new();
        for file in files {
            for d in file.diagnostics.iter().filter(|d| d.severity == severity) {
                by_rule
                    .entry(d.rule.name())
                    .or_default()
                    .push((file.path.as_str(), d));
            }
        }
        // Round k holds the k-th finding of every rule, in path order.
        let longest = by_rule.values().map(Vec::len).max().unwrap_or(0);
        for k in 0..longest {
            let start = order.len();
            order.extend(by_rule.values().filter_map(|list| list.get(k).copied()));
            order[start..].sort_by_key(|(path, d)| (*path, d.line, d.column));
        }
    }
    order
}

/// Appends the summary to the file `GITHUB_STEP_SUMMARY` names, when it is set. A summary
/// that cannot be written is a warning on `err`, not a failed check: the findings are
/// already in the annotations.
pub fn append_from_env(
    files: &[FileReport],
    summary: &Summary,
    exit_code: u8,
    err: &mut dyn Write,
) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let text = render(files, summary, exit_code);
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(e) = appended {
        writeln!(
            err,
            "warning: cannot write the job summary to {}: {e}",
            escape(&path.to_string_lossy())
        )?;
    }
    Ok(())
}

/// The summary's Markdown.
pub fn render(files: &[FileReport], summary: &Summary, exit_code: u8) -> String {
    let mut md = String::new();
    let verdict = if summary.errors > 0 {
        "failed"
    } else {
        "passed"
    };
    let _ = writeln!(md, "### fmx check {verdict} (exit {exit_code})\n");
    let _ = writeln!(md, "{}\n", escape(&super::summary_line(summary)));
    let mut by_rule: BTreeMap<(Severity, &str), Vec<(&str, &Diagnostic)>> = BTreeMap::new();
    for file in files {
        for d in &file.diagnostics {
            by_rule
                .entry((d.severity, d.rule.name()))
                .or_default()
                .push((&file.path, d));
        }
    }
    if by_rule.is_empty() {
        return md;
    }
    // Errors first, then rules by name (the key sorts warnings before errors, so reverse).
    let mut rules: Vec<_> = by_rule.into_iter().collect();
    rules.sort_by(|((sa, ra), _), ((sb, rb), _)| sb.cmp(sa).then(ra.cmp(rb)));
    md.push_str("| rule | severity | findings |\n|---|---|--:|\n");
    for ((severity, rule), list) in &rules {
        let _ = writeln!(md, "| {rule} | {severity} | {} |", list.len());
    }
    for ((severity, rule), list) in &rules {
        let _ = writeln!(md, "\n#### {rule} ({severity}, {})\n", list.len());
        for (path, d) in list.iter().take(FIRST_PER_RULE) {
            let _ = writeln!(
                md,
                "- {}:{}:{}: {}",
                escape(path),
                d.line,
                d.column,
                escape(&d.message)
            );
        }
        if list.len() > FIRST_PER_RULE {
            let _ = writeln!(md, "- … and {} more", list.len() - FIRST_PER_RULE);
        }
    }
    md
}

/// User text made inert in Markdown: ASCII punctuation is backslash-escaped (so `|` cannot
/// end a table cell nor a backtick open code), `<`, `>` and `&` become entities (no HTML),
/// and control characters such as a newline in a file name are shown as `\n`, `\u{1b}`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\\\n"),
            '\r' => out.push_str("\\\\r"),
            '\t' => out.push_str("\\\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\\\u{{{:x}}}", c as u32);
            }
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_data;
    use crate::rules::Rule;
    use crate::value::Pos;

    #[test]
    fn escape_makes_markdown_inert() {
        assert_eq!(escape("a|b`c`"), r"a\|b\`c\`");
        assert_eq!(escape("<img src=x>&"), r"&lt;img src\=x&gt;&amp;");
        assert_eq!(escape("two\nlines\u{1b}"), r"two\\nlines\\u{1b}");
        assert_eq!(escape("plain text é"), "plain text é");
    }

    #[test]
    fn annotations_errors_first_then_one_per_rule_per_round() {
        let d = |rule, line| Diagnostic::new(rule, Pos::new(line, 1), "m");
        let files = vec![
            FileReport {
                path: "a.md".into(),
                diagnostics: vec![
                    Diagnostic {
                        severity: Severity::Warning,
                        ..d(Rule::DateInFuture, 1)
                    },
                    d(Rule::MissingField, 1),
                    d(Rule::MissingField, 2),
                ],
            },
            FileReport {
                path: "b.md".into(),
                diagnostics: vec![d(Rule::MissingField, 1), d(Rule::DateNotEpoch, 3)],
            },
        ];
        let order: Vec<_> = annotation_order(&files)
            .into_iter()
            .map(|(p, d)| format!("{p}:{}:{}", d.line, d.rule))
            .collect();
        assert_eq!(
            order,
            [
                "a.md:1:missing-field",
                "b.md:3:date-not-epoch",
                "a.md:2:missing-field",
                "b.md:1:missing-field",
                "a.md:1:date-in-future",
            ]
        );
    }

    #[test]
    fn summary_counts_rules_and_lists_findings() {
        let md = render(&test_data::files(), &test_data::summary(), 1);
        assert!(md.starts_with("### fmx check failed (exit 1)\n"), "{md}");
        assert!(md.contains("| date-not-epoch | error | 1 |\n"), "{md}");
        assert!(md.contains("| date-in-future | warning | 1 |\n"), "{md}");
        assert!(md.contains(r"- content\/a\.md:9:7: \`date\` must"), "{md}");
    }
}
