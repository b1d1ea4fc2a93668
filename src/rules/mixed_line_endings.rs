//! `mixed-line-endings`: LF and CRLF in one front matter block. Its page and its check in
//! one unit; there is no fix (which style is right is the project's choice).

use crate::diagnostic::Diagnostic;
use crate::document::LineEnding;
use crate::value::Pos;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A front matter block, its delimiter lines included, in which some lines
end with LF and others with CRLF. The diagnostic points at the first line
whose ending differs from the opening line's."#,
        why: r#"It is usually the trace of an edit on another system or a script that
joined files. Readers that split lines on LF alone keep a stray carriage
return at the end of values, and fmx, which writes a block in the style
of its opening line, would change the other lines' endings on any
rewrite, making diffs noisy."#,
        example: r#"$ cat -A post.md
---^M$
title: Hello^M$
date: 1602377984$
---^M$

$ fmx check post.md
post.md:3:1: warning[mixed-line-endings] this line ends in LF, but the front matter opens with CRLF line endings"#,
        fix: r#"Choose one style for the file and convert it with your editor or a tool
such as `dos2unix` (mind that it converts the body too). A
`.gitattributes` line such as `*.md text eol=lf` keeps it that way. fmx
does not fix this itself: which style is right is a choice for the
project."#,
    },
    check,
};

/// LF and CRLF in one block, its delimiter lines included; reported at the first line whose
/// ending differs from the opening line's.
fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(layout) = cx.layout else {
        return;
    };
    let bytes = cx.bytes;
    let end = (layout.close.end + 1).min(bytes.len());
    let block = &bytes[layout.open.start..end];
    let opening_crlf = layout.line_ending == LineEnding::Crlf;
    let mut line = layout.open_line;
    for (i, &b) in block.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let crlf = i > 0 && block[i - 1] == b'\r';
        if crlf != opening_crlf {
            let (this, that) = if crlf { ("CRLF", "LF") } else { ("LF", "CRLF") };
            out.push(Diagnostic::new(
                Rule::MixedLineEndings,
                Pos::new(line, 1),
                format!(
                    "this line ends in {this}, but the front matter opens with {that} line endings"
                ),
            ));
            return;
        }
        line += 1;
    }
}
