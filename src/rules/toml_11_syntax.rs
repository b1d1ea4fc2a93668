//! `toml-1.1-syntax`: TOML 1.1 syntax that TOML 1.0 readers (Hugo's go-toml, Python's
//! `tomllib` before 3.15) reject; one finding per construct, at its position.

use crate::diagnostic::Diagnostic;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"TOML front matter written with TOML 1.1 syntax (released December
2025), which fmx reads but TOML 1.0 readers reject:
- a time without seconds (`07:32`, `1979-05-27T07:32Z`);
- an inline table over several lines, or with a trailing comma;
- the escapes `\e` and `\xHH` in a string."#,
        why: r#"Hugo (go-toml) and Python's `tomllib` before 3.15 read TOML 1.0: a post
using any of these fails to build there, although fmx and TOML 1.1
readers accept it."#,
        example: r#"$ cat post.md
+++
title = "Hello"
date = 1602377984
note = { a = 1, }
+++

$ fmx check post.md
post.md:4:15: warning[toml-1.1-syntax] a trailing comma in an inline table is TOML 1.1: TOML 1.0 readers (Hugo, Python's tomllib before 3.15) reject it
  help: write it as TOML 1.0 has it (`fmx explain toml-1.1-syntax` shows how)"#,
        fix: r#"Write the value in TOML 1.0: seconds on every time (`07:32:00`), an
inline table on one line without a trailing comma (or a `[table]`),
`\u001B` for `\e` and `\u00HH` for `\xHH`. fmx's own TOML output is
always TOML 1.0."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(post) = cx.post else {
        return;
    };
    for found in &post.toml11 {
        out.push(
            Diagnostic::new(
                Rule::Toml11Syntax,
                found.pos,
                format!(
                    "{} is TOML 1.1: TOML 1.0 readers (Hugo, Python's tomllib before 3.15) reject it",
                    found.construct.describe()
                ),
            )
            .with_help("write it as TOML 1.0 has it (`fmx explain toml-1.1-syntax` shows how)"),
        );
    }
}
