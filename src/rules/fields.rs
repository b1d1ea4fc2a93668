//! The field rules: `missing-field`, `empty-field`, `wrong-type`, `unknown-field`,
//! `not-one-of`, `invalid-url`: their pages, and the one check that judges each field of a
//! post against its `[fields]` spec. The date rules (`dates.rs`) are of this family: a
//! field's type decides which of them apply, so this check reports them too.

use std::collections::HashSet;

use crate::config::{FieldSpec, FieldType, Schema, field_name};
use crate::diagnostic::Diagnostic;
use crate::document::Layout;
use crate::keypath::{KeyPath, Segment};
use crate::load::describe;
use crate::shown;
use crate::value::{DateTimeKind, Node, Pos, Table, Value};

use super::dates;
use super::{Context, Family, Rule, RuleDoc, Unit};

pub static FAMILY: Family = Family {
    rules: &[
        Rule::MissingField,
        Rule::EmptyField,
        Rule::WrongType,
        Rule::UnknownField,
        Rule::NotOneOf,
        Rule::InvalidUrl,
        Rule::DateNotEpoch,
        Rule::DateNotFinite,
        Rule::DateOutOfRange,
        Rule::DateInMilliseconds,
        Rule::DateInFuture,
    ],
    check,
};

// Each page string starts right after its opening quote and continues flush left, so that
// what is printed is exactly what is written here.

pub static MISSING_FIELD: Unit = Unit::page_only(RuleDoc {
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
});

pub static EMPTY_FIELD: Unit = Unit::page_only(RuleDoc {
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
});

pub static WRONG_TYPE: Unit = Unit::page_only(RuleDoc {
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
});

pub static UNKNOWN_FIELD: Unit = Unit::page_only(RuleDoc {
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
});

pub static NOT_ONE_OF: Unit = Unit::page_only(RuleDoc {
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
});

pub static INVALID_URL: Unit = Unit::page_only(RuleDoc {
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
});

/// What judging a value needs besides its spec: the time that counts as now and, when the
/// post's bytes are at hand, where a fix would write.
pub(super) struct Judge<'a> {
    pub now: i64,
    pub source: Option<(&'a [u8], &'a Layout)>,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(post) = cx.post else {
        return;
    };
    let judge = Judge {
        now: cx.now,
        source: Some((cx.bytes, &post.layout)),
    };
    judge_table(&post.table, cx.schema, post.layout.open_pos(), &judge, out);
}

/// Checks the top-level table against `schema`. `open` is where a missing key is reported.
/// No fixes are attached: there are no bytes to edit.
pub fn check_table(table: &Table, schema: &Schema, open: Pos, now: i64, out: &mut Vec<Diagnostic>) {
    let judge = Judge { now, source: None };
    judge_table(table, schema, open, &judge, out);
}

/// Every [fields] rule on a table, the value rules that are units of their own included:
/// what a post's fields alone make of it (for tools that judge tables, not files).
pub fn check_values(
    table: &Table,
    schema: &Schema,
    open: Pos,
    now: i64,
    out: &mut Vec<Diagnostic>,
) {
    check_table(table, schema, open, now, out);
    super::wrong_length::check_table(table, schema, out);
    super::pattern_mismatch::check_table(table, schema, out);
    super::not_unique::check_table(table, schema, out);
}

fn judge_table(
    table: &Table,
    schema: &Schema,
    open: Pos,
    judge: &Judge,
    out: &mut Vec<Diagnostic>,
) {
    required_fields(table, schema, open, out);
    if !schema.allow_unknown_fields {
        unknown_fields(table, schema, out);
    }
    for (name, spec) in &schema.fields {
        let Some(found) = spec.path.resolve(table) else {
            continue;
        };
        let required = schema.required.contains(&spec.path);
        // An optional field left null (`image:`) is treated as absent; a required one was
        // reported as empty above.
        if matches!(found.node.value, Value::Null) || (required && is_empty(&found.node.value)) {
            continue;
        }
        check_field(name, found.node, spec, judge, out);
    }
}

/// `missing-field` and `empty-field`.
fn required_fields(table: &Table, schema: &Schema, open: Pos, out: &mut Vec<Diagnostic>) {
    for path in &schema.required {
        let name = field_name(path);
        match path.resolve(table) {
            None => out.push(Diagnostic::new(
                Rule::MissingField,
                open,
                format!("required field `{name}` is missing"),
            )),
            Some(found) if is_empty(&found.node.value) => out.push(Diagnostic::new(
                Rule::EmptyField,
                found.node.pos,
                format!(
                    "required field `{name}` is empty ({})",
                    describe(&found.node.value)
                ),
            )),
            Some(_) => {}
        }
    }
}

/// Top-level keys that no field or required path starts with.
fn unknown_fields(table: &Table, schema: &Schema, out: &mut Vec<Diagnostic>) {
    let first = |p: &KeyPath| match p.segments().first() {
        Some(Segment::Key(k)) => Some(k.clone()),
        _ => None,
    };
    let known: HashSet<String> = (schema.fields.values().map(|f| &f.path))
        .chain(&schema.required)
        .filter_map(first)
        .collect();
    for (key, entry) in table.iter() {
        if !known.contains(key) {
            out.push(
                Diagnostic::new(
                    Rule::UnknownField,
                    entry.key_pos,
                    format!("field `{}` is not in the schema", shown::bounded(key)),
                )
                .with_help("add it under [fields] in fmx.toml, or set allow-unknown-fields = true"),
            );
        }
    }
}

fn check_field(key: &str, node: &Node, spec: &FieldSpec, judge: &Judge, out: &mut Vec<Diagnostic>) {
    let value = &node.value;
    if let Some(ty) = spec.ty
        && !check_type(key, node, ty, spec, judge, out)
    {
        out.push(Diagnostic::new(
            Rule::WrongType,
            node.pos,
            format!("`{key}` must be {}, found {}", ty.name(), describe(value)),
        ));
        return;
    }
    if let Some(allowed) = &spec.one_of
        && !allowed.iter().any(|a| same_as_toml(value, a))
    {
        let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        out.push(Diagnostic::new(
            Rule::NotOneOf,
            node.pos,
            format!(
                "`{key}` must be one of {}, found {}",
                list.join(", "),
                describe(value)
            ),
        ));
    }
    if let (Some(items), Value::Array(array)) = (&spec.items, value) {
        for (i, item) in array.iter().enumerate() {
            check_field(&format!("{key}[{i}]"), item, items, judge, out);
        }
    }
}

/// The fields of a post that the value rules (`wrong-length`, `pattern-mismatch`,
/// `not-unique`) judge, by name: present, not null, not a required field left empty (that
/// is `empty-field`), and of the configured type (else `wrong-type` said so).
pub fn judged<'a>(
    table: &'a Table,
    schema: &'a Schema,
) -> impl Iterator<Item = (&'a str, &'a Node, &'a FieldSpec)> {
    schema.fields.iter().filter_map(|(name, spec)| {
        let node = spec.path.resolve(table)?.node;
        let required = schema.required.contains(&spec.path);
        let skip = matches!(node.value, Value::Null) || (required && is_empty(&node.value));
        (!skip && fits(node, spec)).then_some((name.as_str(), node, spec))
    })
}

/// The items of an array field that are of the `items` type, with their names (`tags[2]`).
pub fn judged_items<'a>(
    name: &'a str,
    node: &'a Node,
    items: &'a FieldSpec,
) -> impl Iterator<Item = (String, &'a Node)> {
    let array = match &node.value {
        Value::Array(a) => a.as_slice(),
        _ => &[],
    };
    (array.iter().enumerate())
        .filter(|(_, item)| fits(item, items))
        .map(move |(i, item)| (format!("{name}[{i}]"), item))
}

/// Whether a value is of its spec's type (any value when the spec names none).
fn fits(node: &Node, spec: &FieldSpec) -> bool {
    let judge = Judge {
        now: i64::MAX,
        source: None,
    };
    spec.ty
        .is_none_or(|ty| check_type("", node, ty, spec, &judge, &mut Vec::new()))
}

/// Whether the value is of the configured type; the date and URL types report their own
/// finer rules here.
fn check_type(
    key: &str,
    node: &Node,
    ty: FieldType,
    spec: &FieldSpec,
    judge: &Judge,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let value = &node.value;
    match ty {
        FieldType::Epoch => {
            dates::check_epoch(key, node, spec, judge, out);
            true
        }
        FieldType::Datetime => dates::check_datetime(key, node, spec, judge.now, out),
        FieldType::Date => match value {
            Value::String(s) => is_calendar_date(s),
            Value::DateTime(d) => d.kind == DateTimeKind::Date,
            _ => false,
        },
        FieldType::Url => match value {
            Value::String(s) => {
                if !is_absolute_url(s) {
                    out.push(invalid_url(key, node));
                }
                true
            }
            _ => false,
        },
        FieldType::String => matches!(value, Value::String(_)),
        FieldType::Integer => matches!(value, Value::Int(_)),
        FieldType::Float => matches!(value, Value::Float(_)),
        FieldType::Number => matches!(value, Value::Int(_) | Value::Float(_)),
        FieldType::Boolean => matches!(value, Value::Bool(_)),
        FieldType::Array => matches!(value, Value::Array(_)),
        FieldType::Table => matches!(value, Value::Table(_)),
        FieldType::Any => true,
    }
}

fn invalid_url(key: &str, node: &Node) -> Diagnostic {
    Diagnostic::new(
        Rule::InvalidUrl,
        node.pos,
        format!(
            "`{key}` must be an absolute URL, found {}",
            describe(&node.value)
        ),
    )
    .with_help("write the scheme and host, e.g. https://example.com/image.jpg")
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Table(t) => t.is_empty(),
        _ => false,
    }
}

fn same_as_toml(value: &Value, allowed: &toml::Value) -> bool {
    match (value, allowed) {
        (Value::String(a), toml::Value::String(b)) => a == b,
        (Value::Int(a), toml::Value::Integer(b)) => a.value == i128::from(*b),
        (Value::Float(a), toml::Value::Float(b)) => a.value == *b,
        (Value::Int(a), toml::Value::Float(b)) => a.value as f64 == *b,
        (Value::Bool(a), toml::Value::Boolean(b)) => a == b,
        _ => false,
    }
}

/// `YYYY-MM-DD` naming a real day.
fn is_calendar_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

/// An absolute URL: a scheme, `:`, and for the web schemes `//` and a host; no spaces.
pub fn is_absolute_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() || s.chars().any(char::is_whitespace) {
        return false;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "ftp" | "ws" | "wss" => rest
            .strip_prefix("//")
            .and_then(|r| r.split(['/', '?', '#']).next())
            .is_some_and(|host| !host.is_empty() && !host.starts_with(':')),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Float;

    #[test]
    fn urls() {
        assert!(is_absolute_url("https://s.abcnews.com/images/x.jpg"));
        assert!(is_absolute_url("mailto:someone@example.com"));
        assert!(!is_absolute_url("/images/x.jpg"));
        assert!(!is_absolute_url("https://"));
        assert!(!is_absolute_url("https:/x"));
        assert!(!is_absolute_url("https://a b"));
        assert!(!is_absolute_url("example.com/x"));
    }

    #[test]
    fn descriptions() {
        assert_eq!(
            describe(&Value::String("2020-10-10".into())),
            "string \"2020-10-10\""
        );
        assert_eq!(
            describe(&Value::Float(Float::from_decimal_text("1.50").unwrap())),
            "float 1.50"
        );
        assert_eq!(describe(&Value::Float(Float::from_f64(f64::NAN))), "NaN");
    }
}
