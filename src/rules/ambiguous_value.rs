//! `ambiguous-value`: a plain YAML scalar that YAML 1.1 and YAML 1.2 readers read as
//! different values; the fix quotes it.

use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::edit::{self, Edit, Fix};
use crate::value::{Node, Style, Table, Value};

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A plain (unquoted) YAML scalar that YAML 1.1 readers and YAML 1.2 readers
read as different values. For example:
- `yes`, `no`, `on`, `off`, `y`, `n` in any of their spellings (`Yes`,
  `NO`, `On`, ...): booleans in YAML 1.1, strings in YAML 1.2;
- `012`: the octal number 10 in YAML 1.1, the integer 12 in YAML 1.2;
- `10:00`: the base-60 number 600 in YAML 1.1, a string in YAML 1.2;
- `1e5`: a string in YAML 1.1 (it wants a dot and a signed exponent),
  the float 100000 in YAML 1.2;
- `1_000`, `0b101`: numbers in YAML 1.1, strings in YAML 1.2; `0o12`:
  a number in YAML 1.2, a string in YAML 1.1."#,
        why: r#"Generators read front matter with both kinds of parser: Jekyll (Ruby's
Psych) and PyYAML follow YAML 1.1, newer libraries follow YAML 1.2. The
same post then means different things on different sites or after a
change of tool: `country: NO` is the country code in one and `false` in
the other, and `time: 10:00` becomes 600."#,
        example: r#"$ cat post.md
---
title: Norway
date: 1602377984
country: NO
---

$ fmx check post.md
post.md:4:10: warning[ambiguous-value] `NO` is the string "NO" here, but YAML 1.1 readers (Jekyll, PyYAML) read it as the boolean false
  help: quote it: "NO" (`fmx check --fix` does)"#,
        fix: r#"Quote the value (`country: "NO"`) so that every reader sees a string;
`fmx check --fix` does this. If a number or a boolean was meant, write it
in a form both versions agree on instead: `false`, `10`, `600`,
`1.0e+5`. `fmx convert` quotes such strings in the YAML it writes."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(layout), Some(post)) = (cx.layout, cx.post) else {
        return;
    };
    if layout.format != Format::Yaml {
        return;
    }
    for (node, s, why) in ambiguous_strings(&post.table) {
        let d = Diagnostic::new(Rule::AmbiguousValue, node.pos, why)
            .with_help(format!("quote it: \"{s}\" (`fmx check --fix` does)"))
            .fixable(true);
        // The quoted string is the same string: the values do not change.
        let quote = edit::offset_of(cx.bytes, layout, node.pos)
            .filter(|&start| cx.bytes.get(start..start + s.len()) == Some(s.as_bytes()))
            .zip(serde_json::to_string(s).ok());
        out.push(match quote {
            Some((start, replacement)) => d.with_fix(Fix {
                edits: vec![Edit {
                    range: start..start + s.len(),
                    replacement,
                    rule: Rule::AmbiguousValue,
                }],
                reorder: None,
            }),
            None => d,
        });
    }
}

/// The plain YAML strings that YAML 1.1 readers read otherwise, with why.
fn ambiguous_strings(table: &Table) -> Vec<(&Node, &str, String)> {
    let mut found = Vec::new();
    let mut stack: Vec<&Node> = table.iter().map(|(_, e)| &e.node).collect();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Table(t) => stack.extend(t.iter().map(|(_, e)| &e.node)),
            Value::Array(a) => stack.extend(a.iter()),
            Value::String(s) if node.style == Style::Plain => {
                if let Some(why) = crate::formats::yaml::lint_ambiguity(s) {
                    found.push((node, s.as_str(), why));
                }
            }
            _ => {}
        }
    }
    found
}
