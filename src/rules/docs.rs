//! The text of every rule's page for `fmx explain`, and the renderers that print it.
//!
//! The pages are data: prose wrapped at 76 columns, each example a shell transcript (the
//! post, then the diagnostic line `fmx check` prints for it). This file is longer than most
//! because of that prose; the renderers follow the pages, then tests that hold the pages to
//! the registry (severity, fixability) and to the output format.

use std::fmt::Write as _;

use super::{Rule, RuleDoc};
use crate::diagnostic::Severity;

/// The pages of the rules that do not live in a unit of their own.
pub(super) fn doc(rule: Rule) -> &'static RuleDoc {
    match rule {
        Rule::NoFrontMatter => &NO_FRONT_MATTER,
        Rule::UnclosedFrontMatter => &UNCLOSED_FRONT_MATTER,
        Rule::SyntaxError => &SYNTAX_ERROR,
        Rule::NotAMapping => &NOT_A_MAPPING,
        Rule::DuplicateKey => &DUPLICATE_KEY,
        Rule::InvalidEncoding => &INVALID_ENCODING,
        Rule::UnreadableFile => &UNREADABLE_FILE,
        Rule::LimitExceeded => &LIMIT_EXCEEDED,
        Rule::MissingField => &MISSING_FIELD,
        Rule::EmptyField => &EMPTY_FIELD,
        Rule::WrongType => &WRONG_TYPE,
        Rule::UnknownField => &UNKNOWN_FIELD,
        Rule::NotOneOf => &NOT_ONE_OF,
        Rule::InvalidUrl => &INVALID_URL,
        Rule::DateNotEpoch => &DATE_NOT_EPOCH,
        Rule::DateNotFinite => &DATE_NOT_FINITE,
        Rule::DateOutOfRange => &DATE_OUT_OF_RANGE,
        Rule::DateInMilliseconds => &DATE_IN_MILLISECONDS,
        Rule::DateInFuture => &DATE_IN_FUTURE,
        Rule::MixedLineEndings => &MIXED_LINE_ENDINGS,
        // A unit's page is in its file; the replay of every example finds a missing one.
        _ => &NO_PAGE,
    }
}

static NO_PAGE: RuleDoc = RuleDoc {
    what: "",
    why: "",
    example: "",
    fix: "",
};

// Each string starts right after its opening quote and continues flush left, so that what
// is printed is exactly what is written here.

static NO_FRONT_MATTER: RuleDoc = RuleDoc {
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
};

static UNCLOSED_FRONT_MATTER: RuleDoc = RuleDoc {
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
};

static SYNTAX_ERROR: RuleDoc = RuleDoc {
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
};

static NOT_A_MAPPING: RuleDoc = RuleDoc {
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
};

static DUPLICATE_KEY: RuleDoc = RuleDoc {
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
};

static INVALID_ENCODING: RuleDoc = RuleDoc {
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
};

static UNREADABLE_FILE: RuleDoc = RuleDoc {
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
};

static LIMIT_EXCEEDED: RuleDoc = RuleDoc {
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
};

static MISSING_FIELD: RuleDoc = RuleDoc {
    what: r#"A required field that is absent from the front matter. Required fields are
`required` in `fmx.toml` (with `[[overrides]]` for some paths) plus any
`--require FIELD`. Without a config they are `title` and `date`; a config
file replaces that default with its own list. The diagnostic points at
the opening delimiter."#,
    why: r#"Templates, feeds and sorting rely on these fields. A post without a `date`
sorts first or last, or drops out of the feed; one without a `title`
renders with an empty heading. The generator rarely says so."#,
    example: r#"$ cat post.md
---
date: 1602377984
---

$ fmx check post.md
post.md:1:1: error[missing-field] required field `title` is missing"#,
    fix: r#"Add the field. If it is not needed for these files, remove it from
`required`, or relax it for some paths with `[[overrides]]`."#,
};

static EMPTY_FIELD: RuleDoc = RuleDoc {
    what: r#"A required field that is present but has no value: null (`~`, `null`, or
nothing after the colon), an empty string, an empty list or an empty
table."#,
    why: r#"An empty value satisfies a presence check and breaks the page the same way
as a missing one: an empty title, a post with no date."#,
    example: r#"$ cat post.md
---
title: ""
date: 1602377984
---

$ fmx check post.md
post.md:2:8: error[empty-field] required field `title` is empty (string "")"#,
    fix: r#"Give the field a value, or remove it from `required` if it may be empty."#,
};

static WRONG_TYPE: RuleDoc = RuleDoc {
    what: r#"A field whose value is not of the type set by `type` under
`[fields.NAME]` in `fmx.toml`: `string`, `integer`, `float`, `number`,
`boolean`, `array`, `table`, `url`, `epoch`, `datetime` (an RFC 3339
string or a TOML date-time), `date` (YYYY-MM-DD) or `any`. A field typed
`epoch` that is not a number is reported by `date-not-epoch` instead."#,
    why: r#"Templates treat values by type: a `draft` flag written as the string "no"
is a non-empty string, which Liquid, Go templates and Jinja all take as
true, so a template that tests it treats the post as a draft."#,
    example: r#"$ cat fmx.toml
required = ["title"]
[fields.draft]
type = "boolean"

$ cat post.md
---
title: Hello
draft: "no"
---

$ fmx check post.md
post.md:3:8: error[wrong-type] `draft` must be a boolean, found string "no""#,
    fix: r#"Write the value in the configured type (`draft: false`), or change the
field's `type` if the config is what is wrong."#,
};

static UNKNOWN_FIELD: RuleDoc = RuleDoc {
    what: r#"A field that is neither in `required` nor under `[fields]`, when `fmx.toml`
sets `allow-unknown-fields = false`. The diagnostic points at the key."#,
    why: r#"A misspelt key (`tilte`, `decription`) is silently ignored by generators,
and the field it was meant to be is then missing or takes its default. A
closed schema turns such typos into errors."#,
    example: r#"$ cat fmx.toml
required = ["title", "date"]
allow-unknown-fields = false

$ cat post.md
---
title: Hello
date: 1602377984
decription: A short post
---

$ fmx check post.md
post.md:4:1: error[unknown-field] field `decription` is not in the schema
  help: add it under [fields] in fmx.toml, or set allow-unknown-fields = true"#,
    fix: r#"Correct the key's spelling, or declare the field under `[fields]` (with
`type = "any"` if its type does not matter)."#,
};

static NOT_ONE_OF: RuleDoc = RuleDoc {
    what: r#"A field whose value is not in the list given by `one-of` under
`[fields.NAME]` in `fmx.toml`. The comparison is exact: case and spaces
count."#,
    why: r#"Fields such as `section`, `layout` or `lang` select templates and menus. A
value outside the known set puts the post in a section that does not
exist, and it disappears from the site's lists."#,
    example: r#"$ cat fmx.toml
required = ["title"]
[fields.section]
one-of = ["content", "news"]

$ cat post.md
---
title: Hello
section: blog
---

$ fmx check post.md
post.md:3:10: error[not-one-of] `section` must be one of "content", "news", found string "blog""#,
    fix: r#"Use one of the listed values, or add the new value to `one-of`."#,
};

static INVALID_URL: RuleDoc = RuleDoc {
    what: r#"A field typed `url` in `fmx.toml` whose value does not parse as an absolute
URL (a scheme such as `https:` followed by the rest of the address)."#,
    why: r#"Front matter URLs end up in places where a relative address breaks:
Open Graph and Twitter card images, feeds, canonical links. A relative
path resolves differently on every page and in every reader, and a typo
such as `htps//` produces a dead link."#,
    example: r#"$ cat fmx.toml
required = ["title"]
[fields.image]
type = "url"

$ cat post.md
---
title: Hello
image: /images/cover.jpg
---

$ fmx check post.md
post.md:3:8: error[invalid-url] `image` must be an absolute URL, found string "/images/cover.jpg"
  help: write the scheme and host, e.g. https://example.com/image.jpg"#,
    fix: r#"Write the full address (`https://example.com/images/cover.jpg`), or change
the field's `type` to `string` if relative paths are intended."#,
};

static DATE_NOT_EPOCH: RuleDoc = RuleDoc {
    what: r#"A field of type `epoch` (by default, `date`) whose value is not a number of
seconds since 1970-01-01T00:00:00Z: a string, a boolean, a list, or a
YAML or TOML date-time."#,
    why: r#"A site whose templates expect epoch seconds (`date: 1602377984.4306138`)
sorts and formats posts by that number. A date written as text sorts
wrongly, shows up as the raw text, or stops the build."#,
    example: r#"$ cat post.md
---
date: "2020-10-11T00:59:44Z"
title: Hello
---

$ fmx check post.md
post.md:2:7: error[date-not-epoch] `date` must be Unix epoch seconds as a number, found string "2020-10-11T00:59:44Z"
  help: write it as `1602377984` (`fmx check --fix` does)"#,
    fix: r#"Write the number of seconds. `fmx check --fix` does it where the string is
a number (`"1602377984"` becomes `1602377984`) or an RFC 3339 date-time
with an offset (`"2020-10-11T00:59:44Z"` becomes `1602377984`; fractions
of a second are kept). Anything else, such as a bare date `2020-10-10`
(which time? which zone?) or `October 10, 2020`, is left to you.
`fmx convert --dates epoch` does the same over a whole archive."#,
};

static DATE_NOT_FINITE: RuleDoc = RuleDoc {
    what: r#"A field of type `epoch` whose value is NaN or infinite (YAML `.nan`,
`.inf`, `-.inf`; TOML `nan`, `inf`, `-inf`)."#,
    why: r#"NaN and infinity are numbers to a parser but name no moment in time: they
break sorting and date formatting, and JSON cannot hold them at all, so
the post could not be converted to JSON."#,
    example: r#"$ cat post.md
---
date: .nan
title: Hello
---

$ fmx check post.md
post.md:2:7: error[date-not-finite] `date` must be a finite number of seconds, found NaN"#,
    fix: r#"Write the real date as epoch seconds."#,
};

static DATE_OUT_OF_RANGE: RuleDoc = RuleDoc {
    what: r#"A date field (one typed `epoch` or `datetime` in `fmx.toml`; without a
config, `date`) whose value lies before `earliest` or after `latest`, set
under `[fields.NAME]` as YYYY-MM-DD dates. The defaults are 1970-01-01
and 2100-01-01."#,
    why: r#"A date outside the range a site can have is a mistake: a digit too many or
too few, a placeholder such as `-1`, or seconds confused with another
unit. Such posts sort to the very start or end of every list."#,
    example: r#"$ cat post.md
---
date: -86400
title: Hello
---

$ fmx check post.md
post.md:2:7: error[date-out-of-range] `date` -86400 is 1969-12-31T00:00:00Z, outside 1970-01-01 to 2100-01-01"#,
    fix: r#"Correct the date. If the range is too narrow for the site (an archive of
older texts, say), widen it:

    [fields.date]
    type = "epoch"
    earliest = "1900-01-01""#,
};

static DATE_IN_MILLISECONDS: RuleDoc = RuleDoc {
    what: r#"A field of type `epoch` whose value is above 10^11 (100 000 000 000
seconds is in the year 5138) and which, divided by 1000, falls between
`earliest` and `latest`."#,
    why: r#"JavaScript's `Date.now()`, Java's `currentTimeMillis()` and many APIs count
milliseconds. Pasted into front matter as seconds, such a value dates the
post some 50 000 years from now. The value is also after `latest`; this
rule names the likely cause."#,
    example: r#"$ cat post.md
---
date: 1602377984430
title: Hello
---

$ fmx check post.md
post.md:2:7: error[date-in-milliseconds] `date` 1602377984430 looks like milliseconds: as seconds it would be 2020-10-11T00:59:44Z
  help: divide it by 1000: epoch values are in seconds"#,
    fix: r#"Divide the value by 1000 (`1602377984.43`). This is not done
automatically: the rule's reading is a likely guess, not a certainty, so
check where the value came from."#,
};

static DATE_IN_FUTURE: RuleDoc = RuleDoc {
    what: r#"A date field (one typed `epoch` or `datetime` in `fmx.toml`; without a
config, `date`) whose value is later than the moment `fmx` runs."#,
    why: r#"Generators hold back posts dated in the future (Hugo unless
`buildFuture` is set, Jekyll unless `future` is set), so a wrongly typed
year makes a post silently disappear from the site. It is a warning, not
an error, because scheduling a post is also a real use."#,
    example: r#"$ cat post.md
---
date: 4083955200
title: Hello
---

$ fmx check post.md
post.md:2:7: warning[date-in-future] `date` 4083955200 is 2099-06-01T00:00:00Z, in the future"#,
    fix: r#"Correct the date. If posts are scheduled on purpose, turn the rule off
(`date-in-future = "off"` under `[rules]`)."#,
};

static MIXED_LINE_ENDINGS: RuleDoc = RuleDoc {
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
};

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
            assert!(!lines.is_empty(), "{rule}: no diagnostic line");
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
            let tag = format!(": {label}[{}] ", rule.name());
            for line in lines {
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
