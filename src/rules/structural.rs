//! The structural rules: every way a post can fail to load (`no-front-matter` …
//! `not-a-mapping`, `limit-exceeded`) is one mapping from [`LoadError`], plus each duplicate
//! key of a post that loaded; and `unreadable-file`, which the walk reports. Their pages and
//! their one check.

use crate::diagnostic::Diagnostic;
use crate::formats::DuplicateKey;
use crate::load::{BlockError, LoadError};

use super::{Context, Family, Rule, RuleDoc, Unit};

pub static FAMILY: Family = Family {
    rules: &[
        Rule::NoFrontMatter,
        Rule::UnclosedFrontMatter,
        Rule::SyntaxError,
        Rule::NotAMapping,
        Rule::DuplicateKey,
        Rule::InvalidEncoding,
        Rule::LimitExceeded,
    ],
    check,
};

// Each page string starts right after its opening quote and continues flush left, so that
// what is printed is exactly what is written here.

pub static NO_FRONT_MATTER: Unit = Unit::page_only(RuleDoc {
    what: r#"A post file whose first line (after any blank lines and a byte-order mark)
is not a front matter opening: `---` for YAML, `+++` for TOML, or `{` for
JSON."#,
    why: r#"Every site generator takes a page's title, date and layout from its front
matter. A post without one is published with no title and no date, or
skipped, or rendered as a plain file, depending on the generator, and
nothing tells you. Often the opening line was lost in an edit or a merge."#,
    example: r#"$ cat post.md
# Hello

Just a body, no front matter.

$ fmx check post.md
post.md:1:1: error[no-front-matter] no front matter: the file does not start with `---`, `+++` or `{`
  help: add a front matter block at the top of the file"#,
    fix: r#"Add a front matter block at the top of the file. If the folder holds files
that are not posts (a README, a partial), exclude them with `exclude` in
`fmx.toml` or `--exclude`, or turn the rule off."#,
});

pub static UNCLOSED_FRONT_MATTER: Unit = Unit::page_only(RuleDoc {
    what: r#"An opening delimiter (`---` or `+++`, or the `{` of a JSON block) with no
closing line (`---` or `...` for YAML, `+++` for TOML, the matching `}` for
JSON) before the end of the file."#,
    why: r#"Without a closing line there is no telling where the front matter ends and
the body begins: read literally, the whole body belongs to the block.
Generators then fail, or print the front matter as text at the top of the
page. fmx does not guess where the block was meant to end, and never
rewrites such a file."#,
    example: r#"$ cat post.md
---
title: Hello
date: 1602377984

The closing line is missing, so this body is part of the block.

$ fmx check post.md
post.md:1:1: error[unclosed-front-matter] YAML front matter opened at line 1 is never closed
  help: add a `---` line after the last front matter line"#,
    fix: r#"Add the closing line (`---` for YAML, `+++` for TOML) after the last key,
or close the JSON object."#,
});

pub static SYNTAX_ERROR: Unit = Unit::page_only(RuleDoc {
    what: r#"A front matter block that is not valid YAML, TOML or JSON (by its
delimiters). The diagnostic points where the parser stopped and carries
its message."#,
    why: r#"A block that does not parse has no values at all: every generator rejects
the post or drops its front matter, and fmx can check nothing else in it."#,
    example: r#"$ cat post.md
---
title: Hello: world
date: 1602377984
---

$ fmx check post.md
post.md:2:13: error[syntax-error] invalid YAML: mapping values are not allowed in this context"#,
    fix: r#"Correct the syntax at the position given. In YAML the usual cause is a
value holding `: ` or starting with a character such as `@`, `` ` ``, `%`,
`*`, `&` or `[`; quote it: `title: "Hello: world"`."#,
});

pub static NOT_A_MAPPING: Unit = Unit::page_only(RuleDoc {
    what: r#"A front matter block that parses, but whose top level is a list or a single
value (a string, a number) instead of key/value pairs."#,
    why: r#"Front matter is a set of named fields: a generator looks up `title` and
`date` by name, and a list or a scalar has no names to look up."#,
    example: r#"$ cat post.md
---
- title
- date
---

$ fmx check post.md
post.md:2:1: error[not-a-mapping] the front matter is an array of 2 items, not key/value pairs"#,
    fix: r#"Write the block as `key: value` lines (YAML), `key = value` lines (TOML) or
one JSON object."#,
});

pub static DUPLICATE_KEY: Unit = Unit::page_only(RuleDoc {
    what: r#"The same key twice in one mapping, at the top level or in a nested table.
The diagnostic points at the second occurrence."#,
    why: r#"YAML requires keys to be unique and TOML forbids repeating them; JSON
leaves it open. Readers disagree on what a repeated key means: most keep
the last value, some the first, some stop with an error. The same post
then gets a different title in each tool, and a conversion may drop one
of the values."#,
    example: r#"$ cat post.md
---
title: Hello
date: 1602377984
title: Hello again
---

$ fmx check post.md
post.md:4:1: error[duplicate-key] duplicate key `title` (first defined at line 2, column 1)
  help: remove one of them: readers disagree on which one wins"#,
    fix: r#"Keep one of the two entries and delete the other."#,
});

pub static INVALID_ENCODING: Unit = Unit::page_only(RuleDoc {
    what: r#"A front matter block that is not valid UTF-8, such as an archive saved as
Latin-1 or Windows-1252. Only the block is judged: the body is bytes that
fmx never reads as text."#,
    why: r#"YAML, TOML and JSON are Unicode formats, and UTF-8 is the encoding every
generator reads. A title in another encoding shows up as mojibake or
stops the build. fmx does not guess encodings, so it cannot check or
convert such a block."#,
    example: r#"$ cat -v post.md
---
title: CafM-i
date: 1602377984
---

$ fmx check post.md
post.md:2:11: error[invalid-encoding] the front matter is not valid UTF-8 (byte 0xE9)
  help: re-save the file as UTF-8"#,
    fix: r#"Re-encode the file as UTF-8, for example with
`iconv -f WINDOWS-1252 -t UTF-8 post.md > post.utf8.md`, and check the
result before replacing the original."#,
});

pub static UNREADABLE_FILE: Unit = Unit::page_only(RuleDoc {
    what: r#"A file found while walking a folder that could not be opened or read:
no permission, a broken symbolic link, a folder that vanished mid-run.
A path given on the command line that does not exist is not this rule:
that stops the run with exit 2, because the command itself is wrong.

This rule is fmx's own: it has no counterpart in the SPEC's table."#,
    why: r#"A post that cannot be read cannot be checked. Reporting it as a
diagnostic (instead of stopping) lets one bad file fail the build with
its path, while every other file is still checked."#,
    example: r#"$ cat post.md
---
title: Hello
---
$ chmod 000 post.md
$ fmx check .
post.md:1:1: error[unreadable-file] cannot read the file: Permission denied"#,
    fix: r#"Make the file readable by the user running fmx, or exclude it with
`--exclude` or `exclude = [...]` in fmx.toml."#,
});

pub static LIMIT_EXCEEDED: Unit = Unit::page_only(RuleDoc {
    what: r#"A front matter block that fmx refuses to parse in full because it breaks
one of its limits:
- size: a block larger than 1 MiB (the closing line is looked for no
  further than that);
- depth: lists and tables nested deeper than 64 levels;
- aliases: YAML aliases (`*name`) that together would expand to more than
  10 000 nodes.

This rule is fmx's own: it has no counterpart in the formats' specs."#,
    why: r#"Parsing must stay fast and memory must stay bounded, however hostile the
input: a few lines of YAML aliases (a "billion laughs" bomb) can expand to
billions of nodes, and deep nesting can exhaust the stack. Real front
matter is a few kilobytes and a few levels deep, so a block that trips a
limit is damaged or malicious. The diagnostic is reported and the run
goes on with the next file."#,
    example: r#"$ cat post.md
---
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
---

$ fmx check post.md
post.md:6:8: error[limit-exceeded] alias expansion exceeds 10000 nodes"#,
    fix: r#"Find out how the block got that way. Long text belongs in the body, data
in a data file; a block of repeated aliases or deep nesting is almost
never intended."#,
});

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    match (cx.post, cx.error) {
        (Some(post), _) => out.extend(post.duplicates.iter().map(duplicate)),
        // A block cut short by the read limit is reported by the caller that read it.
        (None, Some(LoadError::Incomplete)) | (None, None) => {}
        (None, Some(e)) => out.push(load_diagnostic(e)),
    }
}

/// The structural rules: one diagnostic per way a post can fail to load.
pub fn load_diagnostic(e: &LoadError) -> Diagnostic {
    let (rule, help) = match e {
        LoadError::NoFrontMatter => (
            Rule::NoFrontMatter,
            Some("add a front matter block at the top of the file".to_string()),
        ),
        LoadError::Unclosed { format, .. } => (
            Rule::UnclosedFrontMatter,
            Some(format!(
                "add a `{}` line after the last front matter line",
                format.delimiter().unwrap_or("}")
            )),
        ),
        LoadError::TooLarge { .. } | LoadError::Incomplete => (Rule::LimitExceeded, None),
        LoadError::Block { error, .. } => match error {
            BlockError::InvalidEncoding { .. } => (
                Rule::InvalidEncoding,
                Some("re-save the file as UTF-8".to_string()),
            ),
            BlockError::Syntax { .. } => (Rule::SyntaxError, None),
            BlockError::Duplicate(d) => return duplicate(d),
            BlockError::Limit { .. } => (Rule::LimitExceeded, None),
            BlockError::NotAMapping { .. } => (Rule::NotAMapping, None),
        },
    };
    let d = Diagnostic::new(rule, e.pos(), e.to_string());
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

fn duplicate(d: &DuplicateKey) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateKey,
        d.pos,
        BlockError::Duplicate(d.clone()).to_string(),
    )
    .with_help("remove one of them: readers disagree on which one wins")
}
