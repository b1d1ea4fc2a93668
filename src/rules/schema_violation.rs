//! `schema-violation`: a post's front matter against the JSON Schema `schema = "…"` in
//! `fmx.toml` (or `--schema`) names. Its page and its check in one unit; the validation and
//! the positions are `crate::schema`'s.

use crate::diagnostic::Diagnostic;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A value the JSON Schema for the post rejects. The schema is the file
`schema = "PATH"` in `fmx.toml` names (top level, or in an `[[overrides]]`
entry; relative to the config's folder), or `fmx check --schema PATH`.
Drafts 7, 2019-09 and 2020-12 are read (`$schema` decides; 2020-12 when
absent); `$ref` may point only inside the file; `format` is asserted for
`date`, `date-time`, `uri` and `email`. Each violation is reported at the
offending value; a missing top-level key at the opening delimiter; an extra
key (`additionalProperties`) at the key. The message names the key path and
the keyword."#,
        why: r#"Many sites already describe their front matter as JSON Schema: Astro
writes one per content collection (`.astro/collections/NAME.schema.json`),
Front Matter CMS and editors use them. Checking posts against the same file
keeps one description of the fields, and reports each problem at its line
and column, in YAML, TOML and JSON front matter alike. Dates are validated
as JSON sees them: TOML dates and YAML timestamps as RFC 3339 strings."#,
        example: r#"$ cat fmx.toml
schema = "post.schema.json"

$ cat post.schema.json
{
  "type": "object",
  "properties": {
    "title": {"type": "string", "maxLength": 20},
    "tags": {"type": "array", "items": {"enum": ["rust", "web"]}}
  },
  "required": ["title", "date"]
}

$ cat post.md
---
title: Hello
date: 1602377984
tags: [rust, go]
---

$ fmx check post.md
post.md:4:14: error[schema-violation] `tags[1]` must be one of "rust", "web" (enum)"#,
        fix: r#"Change the value (or the schema). A schema file that cannot be read, is
not JSON, or is not a valid schema stops `fmx check` with exit 2 and names
the file and the reason."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(post), Some(schema)) = (cx.post, cx.schema.json_schema.as_deref()) else {
        return;
    };
    let open = post.layout.open_pos();
    for v in schema.validate(&post.table) {
        out.push(Diagnostic::new(
            Rule::SchemaViolation,
            v.anchor.pos(open),
            v.message,
        ));
    }
}
