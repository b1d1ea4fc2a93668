//! `bom`: a UTF-8 byte-order mark before the front matter; the fix removes it.

use crate::diagnostic::Diagnostic;
use crate::document::BOM;
use crate::edit::{Edit, Fix};
use crate::value::Pos;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A UTF-8 byte-order mark (the bytes EF BB BF) at the start of the file.
fmx accepts it and keeps it. Off by default."#,
        why: r#"UTF-8 has no byte order, so the mark carries no information, and some
editors on Windows add it without saying so. A tool that checks whether a
file starts with `---` byte for byte (a shell script, some generators)
does not see the front matter behind it, and the mark is invisible in
most editors."#,
        example: r#"$ cat fmx.toml
[rules]
bom = "warn"

$ cat -A post.md
M-oM-;M-?---$
title: Hello$
date: 1602377984$
---$

$ fmx check post.md
post.md:1:1: warning[bom] the file starts with a UTF-8 byte-order mark
  help: `fmx check --fix` removes it"#,
        fix: r#"`fmx check --fix` removes the three bytes and changes nothing else."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.bytes.starts_with(BOM) {
        return;
    }
    let d = Diagnostic::new(
        Rule::Bom,
        Pos::new(1, 1),
        "the file starts with a UTF-8 byte-order mark",
    )
    .with_help("`fmx check --fix` removes it");
    // Without a front matter block there is nothing to verify a fix against.
    out.push(match cx.layout {
        Some(_) => d.with_fix(Fix {
            edits: vec![Edit {
                range: 0..BOM.len(),
                replacement: String::new(),
                rule: Rule::Bom,
            }],
            reorder: None,
            values: Default::default(),
        }),
        None => d.fixable(true),
    });
}
