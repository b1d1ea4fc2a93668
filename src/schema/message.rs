//! Messages for schema violations in fmx's words: the key path, what it must be, what it is,
//! and the failing keyword in parentheses (`` `tags[2]` must be one of "rust", "web" (enum) ``).

use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value as Json;

use crate::keypath::KeyPath;
use crate::load::describe as describe_value;
use crate::value::{Node, Value};

/// How many enum options a message lists before it says how many more there are.
const MAX_LISTED: usize = 8;

/// A key that the schema does not allow (`additionalProperties`, `unevaluatedProperties`).
pub fn not_allowed(path: &KeyPath, keyword: &str) -> String {
    format!("field `{path}` is not allowed by the schema ({keyword})")
}

/// The message for any other error; `node` is the value the error is about, if found.
pub fn describe(error: &ValidationError<'_>, path: &KeyPath, node: Option<&Node>) -> String {
    let kind = error.kind();
    let keyword = kind.keyword();
    let subject = subject(path);
    match kind {
        Kind::Required { .. } => format!("required field {subject} is missing ({keyword})"),
        Kind::FalseSchema => format!("{subject} is not allowed by the schema (false)"),
        Kind::PropertyNames { error } => {
            let why = must(error.kind(), None).unwrap_or_else(|| error.to_string());
            format!("the key name {subject} {why} ({keyword})")
        }
        _ => {
            let why = must(kind, node).unwrap_or_else(|| error.to_string());
            format!("{subject} {why} ({keyword})")
        }
    }
}

fn subject(path: &KeyPath) -> String {
    if path.is_root() {
        "the front matter".to_string()
    } else {
        format!("`{path}`")
    }
}

/// The "must …" part, with what was found where that helps; `None` for kinds whose own
/// message is clearer than anything said here.
fn must(kind: &Kind, node: Option<&Node>) -> Option<String> {
    let found = |text: String| match node {
        Some(n) => format!("{text}, found {}", describe_value(&n.value)),
        None => text,
    };
    let counted = |text: String, count: Option<usize>| match count {
        Some(n) => format!("{text}, found {n}"),
        None => text,
    };
    Some(match kind {
        Kind::Type { kind } => found(format!("must be {}", type_names(kind))),
        Kind::Enum { options } => format!("must be one of {}", list(options)),
        Kind::Constant { expected_value } => format!("must be {}", short(expected_value)),
        Kind::Format { format } => found(format!("must be a valid {format}")),
        Kind::Pattern { pattern } => found(format!("must match the pattern `{pattern}`")),
        Kind::MinLength { limit } => counted(
            format!("must be at least {limit} characters long"),
            node.and_then(chars),
        ),
        Kind::MaxLength { limit } => counted(
            format!("must be at most {limit} characters long"),
            node.and_then(chars),
        ),
        Kind::MinItems { limit } => counted(
            format!("must have at least {limit} items"),
            node.and_then(items),
        ),
        Kind::MaxItems { limit } => counted(
            format!("must have at most {limit} items"),
            node.and_then(items),
        ),
        Kind::AdditionalItems { limit } => counted(
            format!("must have at most {limit} items"),
            node.and_then(items),
        ),
        Kind::MinProperties { limit } => format!("must have at least {limit} keys"),
        Kind::MaxProperties { limit } => format!("must have at most {limit} keys"),
        Kind::Minimum { limit } => found(format!("must be at least {limit}")),
        Kind::Maximum { limit } => found(format!("must be at most {limit}")),
        Kind::ExclusiveMinimum { limit } => found(format!("must be greater than {limit}")),
        Kind::ExclusiveMaximum { limit } => found(format!("must be less than {limit}")),
        Kind::MultipleOf { multiple_of } => found(format!("must be a multiple of {multiple_of}")),
        Kind::UniqueItems => "must not repeat an item".to_string(),
        Kind::Contains => "must contain an item that matches `contains`".to_string(),
        Kind::Not { .. } => "must not match the schema under `not`".to_string(),
        Kind::AnyOf { context } => found(format!("must match one of: {}", alternatives(context))),
        Kind::OneOfNotValid { context } => found(format!(
            "must match exactly one of: {}",
            alternatives(context)
        )),
        Kind::OneOfMultipleValid { .. } => {
            "must match exactly one alternative, but matches several".to_string()
        }
        _ => return None,
    })
}

/// Each alternative's first failure, without the "found …" the whole message ends with.
fn alternatives(context: &[Vec<ValidationError<'static>>]) -> String {
    let phrases: Vec<String> = context
        .iter()
        .map(|errors| match errors.first() {
            Some(e) => must(e.kind(), None).unwrap_or_else(|| e.to_string()),
            None => "(no error)".to_string(),
        })
        .map(|p| p.strip_prefix("must ").map(str::to_string).unwrap_or(p))
        .collect();
    phrases.join("; ")
}

fn type_names(kind: &TypeKind) -> String {
    let names: Vec<&str> = match kind {
        TypeKind::Single(t) => vec![type_name(*t)],
        TypeKind::Multiple(set) => set.iter().map(type_name).collect(),
    };
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Number => "a number",
        JsonType::String => "a string",
        JsonType::Array => "an array",
        JsonType::Object => "a table (object)",
    }
}

fn list(options: &Json) -> String {
    let Json::Array(options) = options else {
        return short(options);
    };
    let mut shown: Vec<String> = options.iter().take(MAX_LISTED).map(short).collect();
    if options.len() > MAX_LISTED {
        shown.push(format!("… ({} more)", options.len() - MAX_LISTED));
    }
    shown.join(", ")
}

/// A JSON value as the schema wrote it, cut short if long.
fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(60).collect();
    format!("{cut}…")
}

fn chars(node: &Node) -> Option<usize> {
    match &node.value {
        Value::String(s) => Some(s.chars().count()),
        _ => None,
    }
}

fn items(node: &Node) -> Option<usize> {
    match &node.value {
        Value::Array(a) => Some(a.len()),
        _ => None,
    }
}
