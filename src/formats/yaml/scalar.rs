//! What a YAML scalar means: strict YAML 1.2 core resolution of plain scalars, and explicit
//! tags.

use granit_parser::{ScalarStyle, StructureStyle, Tag};

use super::timestamp::{Timestamp, timestamp};
use crate::value::{Float, Int, Style, Value};

const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// The tags fmx honours. Anything else is refused: fmx never constructs objects from tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    /// No tag: plain scalars are resolved, other scalars are strings.
    Untagged,
    /// The non-specific `!`: a string for scalars, nothing for collections.
    NonSpecific,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Timestamp,
    Map,
    Seq,
}

impl TagKind {
    fn name(self) -> &'static str {
        match self {
            TagKind::Untagged | TagKind::NonSpecific => "!",
            TagKind::Str => "!!str",
            TagKind::Int => "!!int",
            TagKind::Float => "!!float",
            TagKind::Bool => "!!bool",
            TagKind::Null => "!!null",
            TagKind::Timestamp => "!!timestamp",
            TagKind::Map => "!!map",
            TagKind::Seq => "!!seq",
        }
    }
}

/// Sorts a node's tag into what fmx supports; `Err` is the message for any other tag.
pub(super) fn classify_tag(tag: Option<&Tag>) -> Result<TagKind, String> {
    let Some(tag) = tag else {
        return Ok(TagKind::Untagged);
    };
    if tag.handle().is_empty() && tag.suffix() == "!" {
        return Ok(TagKind::NonSpecific);
    }
    let kind = match tag.suffix_in_namespace(CORE_PREFIX).as_deref() {
        Some("str") => TagKind::Str,
        Some("int") => TagKind::Int,
        Some("float") => TagKind::Float,
        Some("bool") => TagKind::Bool,
        Some("null") => TagKind::Null,
        Some("timestamp") => TagKind::Timestamp,
        Some("map") => TagKind::Map,
        Some("seq") => TagKind::Seq,
        _ => return Err(format!("unsupported YAML tag `{}`", tag.original())),
    };
    Ok(kind)
}

/// Checks that a collection's tag fits it: `!!map` on a mapping, `!!seq` on a sequence.
pub(super) fn check_collection_tag(kind: TagKind, is_map: bool) -> Result<(), String> {
    match (kind, is_map) {
        (TagKind::Untagged | TagKind::NonSpecific, _)
        | (TagKind::Map, true)
        | (TagKind::Seq, false) => Ok(()),
        _ => Err(format!(
            "tag `{}` cannot be applied to a {}",
            kind.name(),
            if is_map { "mapping" } else { "sequence" }
        )),
    }
}

/// The value of a scalar with its style and tag. `Err` is a message for the scalar's position.
pub(super) fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: TagKind,
) -> Result<Value, String> {
    let wrong = |what: &str| Err(format!("`{}` value {text:?} is not {what}", tag.name()));
    match tag {
        TagKind::Untagged if style == ScalarStyle::Plain => resolve_plain(text),
        TagKind::Untagged | TagKind::NonSpecific | TagKind::Str => Ok(Value::String(text.into())),
        TagKind::Int => match int(text) {
            Some(r) => r.map(|value| Value::Int(Int { value })),
            None => wrong("an integer"),
        },
        TagKind::Float => {
            if let Some(f) = special_float(text).or_else(|| decimal_float(text)) {
                Ok(Value::Float(f))
            } else if is_decimal_int(text) {
                // `!!float 1`: the same number, written as a float.
                match Float::from_decimal_text(&format!("{text}.0")) {
                    Some(f) => Ok(Value::Float(f)),
                    None => wrong("a float"),
                }
            } else {
                wrong("a float")
            }
        }
        TagKind::Bool => bool_word(text).map_or_else(|| wrong("a boolean"), |b| Ok(Value::Bool(b))),
        TagKind::Null if is_null(text) => Ok(Value::Null),
        TagKind::Null => wrong("null"),
        TagKind::Timestamp => match timestamp(text) {
            Timestamp::Valid(d) => Ok(Value::DateTime(d)),
            _ => wrong("a valid timestamp"),
        },
        TagKind::Map | TagKind::Seq => Err(format!(
            "tag `{}` cannot be applied to a scalar",
            tag.name()
        )),
    }
}

/// A key is a string whatever its tag, but a collection tag cannot stand on it.
pub(super) fn check_key_tag(kind: TagKind) -> Result<(), String> {
    match kind {
        TagKind::Map => Err("tag `!!map` cannot be applied to a scalar".into()),
        TagKind::Seq => Err("tag `!!seq` cannot be applied to a scalar".into()),
        _ => Ok(()),
    }
}

pub(super) fn scalar_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

pub(super) fn structure_style(style: StructureStyle) -> Style {
    match style {
        StructureStyle::Block => Style::Block,
        StructureStyle::Flow => Style::Flow,
    }
}

/// A plain scalar under the strict YAML 1.2 core schema, with YAML 1.1 timestamps.
pub(super) fn resolve_plain(text: &str) -> Result<Value, String> {
    if is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = bool_word(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(r) = int(text) {
        return r.map(|value| Value::Int(Int { value }));
    }
    if let Some(f) = special_float(text).or_else(|| decimal_float(text)) {
        return Ok(Value::Float(f));
    }
    if let Timestamp::Valid(d) = timestamp(text) {
        return Ok(Value::DateTime(d));
    }
    Ok(Value::String(text.into()))
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn bool_word(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

pub(super) fn all_in(s: &str, f: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(f)
}

pub(super) fn strip_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// `[-+]?(0|[1-9][0-9]*)`
fn is_decimal_int(text: &str) -> bool {
    let (_, digits) = strip_sign(text);
    digits == "0" || (all_in(digits, |b| b.is_ascii_digit()) && !digits.starts_with('0'))
}

/// A YAML 1.2 core integer: `None` if `text` is not one, `Err` if it does not fit an i128.
fn int(text: &str) -> Option<Result<i128, String>> {
    let parsed = if is_decimal_int(text) {
        text.parse::<i128>()
    } else if let Some(oct) = text
        .strip_prefix("0o")
        .filter(|d| all_in(d, |b| matches!(b, b'0'..=b'7')))
    {
        i128::from_str_radix(oct, 8)
    } else if let Some(hex) = text
        .strip_prefix("0x")
        .filter(|d| all_in(d, |b| b.is_ascii_hexdigit()))
    {
        i128::from_str_radix(hex, 16)
    } else {
        return None;
    };
    Some(parsed.map_err(|_| format!("integer `{text}` is too large")))
}

/// `[-+]?\.(inf|Inf|INF)` and `\.(nan|NaN|NAN)`.
pub(super) fn special_float(text: &str) -> Option<Float> {
    let (neg, rest) = strip_sign(text);
    match rest {
        ".inf" | ".Inf" | ".INF" => Some(Float::from_f64(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        })),
        ".nan" | ".NaN" | ".NAN" if rest.len() == text.len() => Some(Float::from_f64(f64::NAN)),
        _ => None,
    }
}

/// The core float form `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, with a `.` or an
/// exponent (digits alone are an integer or, with a leading zero, a string).
fn decimal_float(text: &str) -> Option<Float> {
    if !is_core_float(text) {
        return None;
    }
    // A finite decimal keeps its digits; one too large for an f64 is what every reader sees.
    Float::from_decimal_text(text).or_else(|| text.parse::<f64>().ok().map(Float::from_f64))
}

fn is_core_float(text: &str) -> bool {
    let (_, rest) = strip_sign(text);
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && digits(frac),
        Some((int, frac)) => all_in(int, |b| b.is_ascii_digit()) && digits(frac),
        None => exp.is_some() && all_in(mantissa, |b| b.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| all_in(strip_sign(e).1, |b| b.is_ascii_digit()));
    mantissa_ok && exp_ok
}
