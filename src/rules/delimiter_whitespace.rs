//! `delimiter-whitespace`: spaces or tabs after `---`/`+++` on a delimiter line; the fix
//! removes them.

use crate::diagnostic::Diagnostic;
use crate::edit::{Edit, Fix};
use crate::value::Pos;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"Spaces or tabs after the delimiter on the opening or the closing line:
`--- ` instead of `---`. Off by default."#,
        why: r#"fmx reads such delimiters, and archives are full of them (editors and
exporters leave them), which is why the rule is off by default. But not
every reader accepts them: one that compares the line with `---` exactly
sees no front matter at all. The whitespace is also invisible in most
editors, so the problem is hard to spot."#,
        example: r#"$ cat fmx.toml
[rules]
delimiter-whitespace = "warn"

$ cat -A post.md
--- $
title: Hello$
date: 1602377984$
--- $

$ fmx check post.md
post.md:1:4: warning[delimiter-whitespace] trailing whitespace after the `---` delimiter
  help: `fmx check --fix` removes it
post.md:4:4: warning[delimiter-whitespace] trailing whitespace after the `---` delimiter
  help: `fmx check --fix` removes it"#,
        fix: r#"`fmx check --fix` removes the trailing spaces and tabs from the delimiter
lines and changes nothing else."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(layout) = cx.layout else {
        return;
    };
    let Some(delim) = layout.format.delimiter() else {
        return;
    };
    for (range, line) in [
        (&layout.open, layout.open_line),
        (&layout.close, layout.close_line),
    ] {
        if range.len() <= delim.len() {
            continue;
        }
        let shown = String::from_utf8_lossy(&cx.bytes[range.start..range.start + delim.len()]);
        out.push(
            Diagnostic::new(
                Rule::DelimiterWhitespace,
                Pos::new(line, delim.len() as u32 + 1),
                format!("trailing whitespace after the `{shown}` delimiter"),
            )
            .with_help("`fmx check --fix` removes it")
            .with_fix(Fix {
                edits: vec![Edit {
                    range: range.start + delim.len()..range.end,
                    replacement: String::new(),
                    rule: Rule::DelimiterWhitespace,
                }],
                reorder: None,
                values: Default::default(),
            }),
        );
    }
}
