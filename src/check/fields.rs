//! The schema rules: required fields, types, allowed values, URLs and dates.

use std::collections::HashSet;

use crate::config::{FieldSpec, FieldType, Schema, field_name};
use crate::diagnostic::Diagnostic;
use crate::epoch;
use crate::keypath::{KeyPath, Segment};
use crate::load::describe;
use crate::rules::Rule;
use crate::shown;
use crate::value::{DateTimeKind, Node, Pos, Table, Value};

/// 1970-01-01 and 2100-01-01, the default bounds of an `epoch` or `datetime` field.
pub const DEFAULT_EARLIEST: i64 = 0;
pub const DEFAULT_LATEST: i64 = 4_102_444_800;

/// Checks the top-level table against `schema`. `open` is where a missing key is reported.
pub fn check_table(table: &Table, schema: &Schema, open: Pos, now: i64, out: &mut Vec<Diagnostic>) {
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
        check_field(name, found.node, spec, now, out);
    }
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
    crate::rules::wrong_length::check_table(table, schema, out);
    crate::rules::pattern_mismatch::check_table(table, schema, out);
    crate::rules::not_unique::check_table(table, schema, out);
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

fn check_field(key: &str, node: &Node, spec: &FieldSpec, now: i64, out: &mut Vec<Diagnostic>) {
    let value = &node.value;
    if let Some(ty) = spec.ty
        && !check_type(key, node, ty, spec, now, out)
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
            check_field(&format!("{key}[{i}]"), item, items, now, out);
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
    spec.ty
        .is_none_or(|ty| check_type("", node, ty, spec, i64::MAX, &mut Vec::new()))
}

/// Whether the value is of the configured type; the date and URL types report their own
/// finer rules here.
fn check_type(
    key: &str,
    node: &Node,
    ty: FieldType,
    spec: &FieldSpec,
    now: i64,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let value = &node.value;
    match ty {
        FieldType::Epoch => {
            check_epoch(key, node, spec, now, out);
            true
        }
        FieldType::Datetime => check_datetime(key, node, spec, now, out),
        FieldType::Date => match value {
            Value::String(s) => is_calendar_date(s),
            Value::DateTime(d) => d.kind == DateTimeKind::Date,
            _ => false,
        },
        FieldType::Url => match value {
            Value::String(s) => {
                if !is_absolute_url(s) {
                    out.push(
                        Diagnostic::new(
                            Rule::InvalidUrl,
                            node.pos,
                            format!("`{key}` must be an absolute URL, found {}", describe(value)),
                        )
                        .with_help("write the scheme and host, e.g. https://example.com/image.jpg"),
                    );
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

fn check_epoch(key: &str, node: &Node, spec: &FieldSpec, now: i64, out: &mut Vec<Diagnostic>) {
    let (secs, text) = match &node.value {
        Value::Int(i) => (i.value as f64, i.value.to_string()),
        Value::Float(f) if !f.value.is_finite() => {
            out.push(Diagnostic::new(
                Rule::DateNotFinite,
                node.pos,
                format!(
                    "`{key}` must be a finite number of seconds, found {}",
                    describe(&node.value)
                ),
            ));
            return;
        }
        Value::Float(f) => (
            f.value,
            shown::bounded(&f.decimal_text().unwrap_or_default()),
        ),
        other => {
            let fix = epoch_fix(other, spec);
            let mut d = Diagnostic::new(
                Rule::DateNotEpoch,
                node.pos,
                format!(
                    "`{key}` must be Unix epoch seconds as a number, found {}",
                    describe(other)
                ),
            )
            .fixable(fix.is_some());
            if let Some(fix) = fix {
                d = d.with_help(format!("write it as `{fix}` (`fmx check --fix` does)"));
            }
            out.push(d);
            return;
        }
    };
    let earliest = spec.earliest.unwrap_or(DEFAULT_EARLIEST);
    let latest = spec.latest.unwrap_or(DEFAULT_LATEST);
    let in_range = |s: f64| s >= earliest as f64 && s <= latest as f64;
    if secs > 1e11 && in_range(secs / 1000.0) {
        let as_date =
            epoch::to_rfc3339(&format!("{}", (secs / 1000.0).floor() as i64)).unwrap_or_default();
        out.push(
            Diagnostic::new(
                Rule::DateInMilliseconds,
                node.pos,
                format!("`{key}` {text} looks like milliseconds: as seconds it would be {as_date}"),
            )
            .with_help("divide it by 1000: epoch values are in seconds"),
        );
    } else if !in_range(secs) {
        let when = epoch::to_rfc3339(&text).unwrap_or_else(|_| "far outside any calendar".into());
        out.push(Diagnostic::new(
            Rule::DateOutOfRange,
            node.pos,
            format!(
                "`{key}` {text} is {when}, outside {} to {}",
                bound_text(earliest),
                bound_text(latest)
            ),
        ));
    } else if secs > now as f64 {
        let when = epoch::to_rfc3339(&text).unwrap_or_default();
        out.push(Diagnostic::new(
            Rule::DateInFuture,
            node.pos,
            format!("`{key}` {text} is {when}, in the future"),
        ));
    }
}

/// What `--fix` would write for a non-number epoch value: a numeric string's digits, or an
/// RFC 3339 date-time (string or offset date-time) as exact epoch seconds.
///
/// A numeric string is taken for seconds only when a person would recognise the instant as
/// meant: within the field's range (by default 1970 to 2100) and not a bare year — `"2020"`
/// as seconds is 1970-01-01T00:33:40Z, so it stays reported.
pub fn epoch_fix(value: &Value, spec: &FieldSpec) -> Option<String> {
    match value {
        Value::String(s) => {
            let t = s.trim();
            // A numeric string: its digits, canonical (`+1_000` → `1000`), kept exact.
            if let Some(digits) = crate::value::canonical_decimal(t) {
                let whole = digits.trim_start_matches('-');
                let bare_year = !whole.contains(['.', 'e']) && whole.len() <= 4;
                let secs: f64 = digits.parse().ok()?;
                let earliest = spec.earliest.unwrap_or(DEFAULT_EARLIEST) as f64;
                let latest = spec.latest.unwrap_or(DEFAULT_LATEST) as f64;
                let meant = !bare_year && secs >= earliest && secs <= latest;
                return (meant && epoch::to_rfc3339(&digits).is_ok()).then_some(digits);
            }
            epoch::from_rfc3339(t).ok()
        }
        Value::DateTime(d) if d.kind == DateTimeKind::Offset => epoch::from_rfc3339(&d.text).ok(),
        _ => None,
    }
}

fn check_datetime(
    key: &str,
    node: &Node,
    spec: &FieldSpec,
    now: i64,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let text = match &node.value {
        Value::String(s) if epoch::is_rfc3339(s) => s.as_str(),
        Value::DateTime(d) if d.kind == DateTimeKind::Offset => d.text.as_str(),
        // A local date-time names no instant: it has the type, but no range to check.
        Value::DateTime(d) if d.kind == DateTimeKind::Local => return true,
        _ => return false,
    };
    let Ok(ts) = text.trim().parse::<jiff::Timestamp>() else {
        return false;
    };
    let secs = ts.as_second();
    let earliest = spec.earliest.unwrap_or(DEFAULT_EARLIEST);
    let latest = spec.latest.unwrap_or(DEFAULT_LATEST);
    if secs < earliest || secs > latest {
        out.push(Diagnostic::new(
            Rule::DateOutOfRange,
            node.pos,
            format!(
                "`{key}` {text} is outside {} to {}",
                bound_text(earliest),
                bound_text(latest)
            ),
        ));
    } else if secs > now {
        out.push(Diagnostic::new(
            Rule::DateInFuture,
            node.pos,
            format!("`{key}` {text} is in the future"),
        ));
    }
    true
}

fn bound_text(secs: i64) -> String {
    let s = epoch::to_rfc3339(&secs.to_string()).unwrap_or_default();
    s.strip_suffix("T00:00:00Z")
        .map(str::to_string)
        .unwrap_or(s)
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
    use crate::value::{DateTime, Float};

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
    fn epoch_fixes_are_exact() {
        let s = |t: &str| Value::String(t.into());
        let spec = FieldSpec::default();
        let epoch_fix = |v: &Value| epoch_fix(v, &spec);
        assert_eq!(
            epoch_fix(&s("1602377984.4306138")).unwrap(),
            "1602377984.4306138"
        );
        assert_eq!(epoch_fix(&s("1602377984")).unwrap(), "1602377984");
        assert_eq!(
            epoch_fix(&s("2020-10-11T00:59:44.4306138Z")).unwrap(),
            "1602377984.4306138"
        );
        assert!(epoch_fix(&s("2020-10-10")).is_none());
        assert!(epoch_fix(&s("yesterday")).is_none());
        let dt = Value::DateTime(DateTime {
            kind: DateTimeKind::Offset,
            text: "2020-10-11T00:59:44Z".into(),
        });
        assert_eq!(epoch_fix(&dt).unwrap(), "1602377984");
        // Not guessed: a bare year, and an instant outside the field's range.
        assert!(epoch_fix(&s("2020")).is_none());
        assert!(epoch_fix(&s("-5")).is_none());
        assert!(epoch_fix(&s("99999999999")).is_none());
        assert_eq!(epoch_fix(&s("86400")).unwrap(), "86400");
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
