//! How a rule's page is printed: `fmx explain RULE` (text), SARIF's help (Markdown), and
//! `fmx explain --list`. The pages themselves live in the rules' units; the tests hold every
//! page to the registry (severity, fixability) and to the output format.

use std::fmt::Write as _;

use super::{Rule, RuleDoc};
use crate::diagnostic::Severity;

pub fn render(rule: Rule) -> String {
    let doc = rule.doc();
    let mut out = format!(
        "{} (default: {}, fixable: {})\n{}\n",
        rule.name(),
        severity_name(rule.default_severity()),
        if rule.fixable() { "yes" } else { "no" },
        sentence(rule.summary()),
    );
    for (heading, body) in sections(doc) {
        out.push('\n');
        out.push_str(heading);
        out.push('\n');
        push_indented(&mut out, body);
    }
    push_indented(&mut out, &configure_note(rule));
    out
}

/// Appends `text` indented by two spaces, leaving blank lines blank.
fn push_indented(out: &mut String, text: &str) {
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The same page as Markdown, for SARIF's `help.markdown`: the example is a code block.
pub fn render_markdown(rule: Rule) -> String {
    let doc = rule.doc();
    let mut out = format!(
        "**{}** (default: {}, fixable: {})\n\n{}\n",
        rule.name(),
        severity_name(rule.default_severity()),
        if rule.fixable() { "yes" } else { "no" },
        sentence(rule.summary()),
    );
    for (heading, body) in sections(doc) {
        let _ = write!(out, "\n## {heading}\n\n");
        if heading == "Example" {
            let _ = writeln!(out, "```text\n{body}\n```");
        } else {
            let _ = writeln!(out, "{body}");
        }
    }
    let _ = writeln!(out, "{}", configure_note(rule));
    out
}

/// One line per rule: name, default severity, `fix` if fixable, summary; aligned.
pub fn render_list() -> String {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for &rule in Rule::ALL {
        let _ = writeln!(
            out,
            "{:width$}  {:5}  {:3}  {}",
            rule.name(),
            severity_name(rule.default_severity()),
            if rule.fixable() { "fix" } else { "" },
            rule.summary(),
        );
    }
    out
}

/// The names `fmx.toml` `[rules]` uses: `error`, `warn`, `off`.
fn severity_name(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warn",
        None => "off",
    }
}

fn sections(doc: &RuleDoc) -> [(&'static str, &'static str); 4] {
    [
        ("What it checks", doc.what),
        ("Why", doc.why),
        ("Example", doc.example),
        ("Fix", doc.fix),
    ]
}

/// The last paragraph of every Fix section: the default and how to change it.
fn configure_note(rule: Rule) -> String {
    let name = rule.name();
    match rule.default_severity() {
        None => format!(
            "\nOff by default. To turn it on, in `fmx.toml`:\n\n    \
             [rules]\n    {name} = \"warn\"   # or \"error\""
        ),
        Some(severity) => format!(
            "\nDefault severity: {}. To change it, in `fmx.toml`:\n\n    \
             [rules]\n    {name} = \"{}\"   # off | warn | error",
            severity_name(Some(severity)),
            if severity == Severity::Error {
                "warn"
            } else {
                "error"
            },
        ),
    }
}

/// The registry's summaries are lower-case fragments; the page shows one as a sentence.
fn sentence(summary: &str) -> String {
    let mut chars = summary.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic_lines(example: &str) -> Vec<&str> {
        example
            .lines()
            .filter(|l| l.starts_with("post.md:"))
            .collect()
    }

    /// The post shown by `$ cat post.md` (or `cat -A`, `cat -v`), as the file's lines with
    /// `cat`'s markings undone far enough to count columns.
    fn post_lines(example: &str) -> Vec<String> {
        let mut lines = example
            .lines()
            .skip_while(|l| !(l.starts_with("$ cat") && l.ends_with(" post.md")));
        let Some(command) = lines.next() else {
            return Vec::new();
        };
        let shown = command.contains(" -A ");
        let mut post: Vec<String> = lines
            .take_while(|l| !l.starts_with("$ "))
            .map(|l| {
                let mut l = l.to_string();
                if shown {
                    l = l.strip_suffix('$').unwrap_or(&l).to_string();
                    l = l.strip_suffix("^M").unwrap_or(&l).to_string();
                    l = l.replace("M-oM-;M-?", "");
                }
                l.replace("M-i", "é")
            })
            .collect();
        while post.last().is_some_and(|l| l.is_empty()) {
            post.pop();
        }
        post
    }

    #[test]
    fn every_rule_has_a_full_page() {
        for &rule in Rule::ALL {
            let doc = rule.doc();
            for (heading, text) in sections(doc) {
                assert!(!text.trim().is_empty(), "{rule}: empty {heading}");
                assert_eq!(text, text.trim(), "{rule}: {heading} has outer whitespace");
            }
        }
    }

    #[test]
    fn examples_show_the_rule_at_its_default_severity() {
        for &rule in Rule::ALL {
            let example = rule.doc().example;
            let lines = diagnostic_lines(example);
            let label = match rule.default_severity() {
                Some(Severity::Error) => "error",
                Some(Severity::Warning) => "warning",
                None => {
                    // An off rule's example turns it on in the config first.
                    let on = format!("[rules]\n{} = \"warn\"", rule.name());
                    assert!(example.contains(&on), "{rule}: example does not turn it on");
                    "warning"
                }
            };
            // Another rule's line may show what the example is about (`fix-failed`: the
            // problem whose fix was not written); the rule's own lines carry its default.
            let tag = format!(": {label}[{}] ", rule.name());
            let own: Vec<&str> = (lines.into_iter())
                .filter(|l| l.contains(&format!("[{}] ", rule.name())))
                .collect();
            assert!(!own.is_empty(), "{rule}: no diagnostic line of its own");
            for line in own {
                assert!(line.contains(&tag), "{rule}: {line}");
            }
        }
    }

    #[test]
    fn example_positions_fall_inside_the_post() {
        for &rule in Rule::ALL {
            let example = rule.doc().example;
            let post = post_lines(example);
            assert!(post.len() >= 2, "{rule}: no post in the example");
            for diag in diagnostic_lines(example) {
                let mut parts = diag.split(':').skip(1);
                let line: usize = parts.next().and_then(|p| p.parse().ok()).unwrap();
                let col: usize = parts.next().and_then(|p| p.parse().ok()).unwrap();
                assert!(line >= 1 && line <= post.len(), "{rule}: {diag}");
                let chars = post[line - 1].chars().count();
                assert!(col >= 1 && col <= chars + 1, "{rule}: {diag}");
            }
        }
    }

    #[test]
    fn fixable_rules_say_that_fix_repairs_them() {
        for &rule in Rule::ALL {
            let fix = rule.doc().fix;
            assert_eq!(
                fix.contains("`fmx check --fix`"),
                rule.fixable(),
                "{rule}: fix text and registry disagree"
            );
        }
    }

    #[test]
    fn page_has_title_summary_and_fixed_headings() {
        let page = render(Rule::DateNotEpoch);
        assert!(page.starts_with(
            "date-not-epoch (default: error, fixable: yes)\n\
             An `epoch` field that is not a number of seconds.\n\n\
             What it checks\n  A field of type `epoch`"
        ));
        let headings: Vec<&str> = page
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(' '))
            .skip(2)
            .collect();
        assert_eq!(headings, ["What it checks", "Why", "Example", "Fix"]);
        assert!(page.contains("\n  post.md:2:7: error[date-not-epoch] `date` must be"));
        assert!(page.ends_with(
            "\n  Default severity: error. To change it, in `fmx.toml`:\n\n\
             \x20     [rules]\n\
             \x20     date-not-epoch = \"warn\"   # off | warn | error\n"
        ));

        let off = render(Rule::Bom);
        assert!(off.starts_with("bom (default: off, fixable: yes)\n"));
        assert!(off.contains("Off by default. To turn it on, in `fmx.toml`:"));
        assert!(off.contains("\n      bom = \"warn\"   # or \"error\"\n"));
        let warn = render(Rule::MixedLineEndings);
        assert!(warn.starts_with("mixed-line-endings (default: warn, fixable: no)\n"));
        assert!(warn.contains("Default severity: warn."));
    }

    #[test]
    fn pages_are_tidy() {
        for &rule in Rule::ALL {
            let page = render(rule);
            let mut in_example = false;
            for line in page.lines() {
                assert_eq!(line, line.trim_end(), "{rule}: trailing whitespace");
                if !line.starts_with(' ') && !line.is_empty() {
                    in_example = line == "Example";
                }
                // Diagnostic lines in examples are as long as fmx prints them.
                if !in_example {
                    assert!(line.chars().count() <= 80, "{rule}: long line: {line}");
                }
            }
        }
    }

    #[test]
    fn markdown_page_fences_the_example() {
        let md = render_markdown(Rule::AmbiguousValue);
        assert!(md.starts_with("**ambiguous-value** (default: warn, fixable: yes)\n\n"));
        for heading in ["What it checks", "Why", "Example", "Fix"] {
            assert!(md.contains(&format!("\n## {heading}\n\n")), "{heading}");
        }
        assert!(md.contains("```text\n$ cat post.md\n---\ntitle: Norway\n"));
    }

    #[test]
    fn list_has_one_aligned_line_per_rule() {
        let list = render_list();
        let lines: Vec<&str> = list.lines().collect();
        assert_eq!(lines.len(), Rule::ALL.len());
        let summary_col = lines[0].find(Rule::ALL[0].summary()).unwrap();
        for (&rule, line) in Rule::ALL.iter().zip(&lines) {
            assert!(line.starts_with(rule.name()), "{line}");
            assert_eq!(line.find(rule.summary()), Some(summary_col), "{line}");
            assert_eq!(*line, line.trim_end());
            let fields: Vec<&str> = line[..summary_col].split_whitespace().collect();
            let severity = match rule.default_severity() {
                Some(Severity::Error) => "error",
                Some(Severity::Warning) => "warn",
                None => "off",
            };
            assert_eq!(fields[1], severity, "{line}");
            assert_eq!(fields.get(2) == Some(&"fix"), rule.fixable(), "{line}");
        }
        assert!(list.contains(
            "date-not-epoch         error  fix  an `epoch` field that is not a number of seconds\n"
        ));
    }
}
