//! What a YAML scalar means: strict YAML 1.2 core resolution of plain scalars, explicit tags,
//! and how YAML 1.1 readers (PyYAML, Ruby's Psych behind Jekyll, go-yaml v2) would read the
//! same text differently.

use granit_parser::{ScalarStyle, StructureStyle, Tag};

use super::timestamp::{Timestamp, timestamp};
use super::yaml11::yaml11_reading;
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

// ---------------------------------------------------------------------------------------------
// Reading the same text as YAML 1.1 readers do

/// For the text of a PLAIN scalar: `Some(explanation)` when a YAML 1.1 reader (PyYAML, Ruby's
/// Psych behind Jekyll, go-yaml v2) reads it as another type or value than fmx's strict
/// YAML 1.2 reading does.
pub fn yaml11_ambiguity(plain: &str) -> Option<String> {
    let ours = resolve_plain(plain).ok()?;
    let (readers, theirs) = yaml11_reading(plain, &ours)?;
    let verb = if readers.ends_with("readers") || readers.contains("readers ") {
        "read"
    } else {
        "reads"
    };
    Some(format!(
        "`{plain}` is {} here, but {readers} {verb} it as {theirs}",
        describe(plain, &ours)
    ))
}

/// What the `ambiguous-value` rule reports: [`yaml11_ambiguity`] less the date shapes that
/// only Ruby's Psych takes for times (`2013-09-14 20:46:50 -0400`). Jekyll parses a date
/// string itself, so those read the same either way, and flagging every Jekyll post's date
/// would bury the findings that matter. The emitter still quotes them ([`plain_is_safe`]).
pub fn lint_ambiguity(plain: &str) -> Option<String> {
    let ours = resolve_plain(plain).ok()?;
    let (readers, theirs) = yaml11_reading(plain, &ours)?;
    if readers == super::yaml11::PSYCH && theirs == "a date or time" {
        return None;
    }
    yaml11_ambiguity(plain)
}

pub(super) fn describe(plain: &str, value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Int(i) => format!("the integer {}", i.value),
        Value::Float(_) => format!("the float {plain}"),
        Value::DateTime(d) => format!("a {}", d.kind.name()),
        _ => format!("the string {plain:?}"),
    }
}

/// Whether `s` can be written as a plain scalar (a block mapping value or sequence item, on
/// one line) that every reader, YAML 1.2 core and YAML 1.1 alike, reads back as this string.
pub fn plain_is_safe(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    if matches!(first, ' ' | '\t') || matches!(last, ' ' | '\t' | ':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.starts_with("...") {
        return false;
    }
    let unsafe_char = |c: char| {
        c == '\t'
            || c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            )
    };
    if s.chars().any(unsafe_char) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    // A YAML 1.2 core reader also takes `09` and `012` for integers, which fmx reads strictly.
    let core_number = is_core_float(s) || is_digits_int(s);
    !core_number
        && matches!(resolve_plain(s), Ok(Value::String(_)))
        && yaml11_ambiguity(s).is_none()
}

/// The full YAML 1.2 core int form `[-+]?[0-9]+`, leading zeros included.
fn is_digits_int(text: &str) -> bool {
    all_in(strip_sign(text).1, |b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ambiguity(plain: &str) -> String {
        yaml11_ambiguity(plain).unwrap_or_else(|| panic!("{plain} should be ambiguous"))
    }

    #[test]
    fn yaml11_booleans() {
        assert_eq!(
            ambiguity("yes"),
            "`yes` is the string \"yes\" here, but YAML 1.1 readers (Jekyll, PyYAML) read it as \
             the boolean true"
        );
        for word in ["Yes", "YES", "on", "On", "ON"] {
            assert!(ambiguity(word).ends_with("the boolean true"), "{word}");
        }
        for word in ["no", "No", "NO", "off", "Off", "OFF", "n", "N"] {
            assert!(ambiguity(word).ends_with("the boolean false"), "{word}");
        }
        assert!(ambiguity("y").contains("go-yaml v2"));
        assert!(ambiguity("tRUE").contains("Psych"));
        assert!(ambiguity("nULL").ends_with("as null"));
        assert!(ambiguity(".INf").ends_with("reads it as infinity"));
    }

    #[test]
    fn yaml11_numbers() {
        assert!(ambiguity("012").ends_with("the octal integer 10"));
        assert!(ambiguity("00").ends_with("the octal integer 0"));
        assert_eq!(
            ambiguity("0o17"),
            "`0o17` is the integer 15 here, but YAML 1.1 readers (Jekyll, PyYAML) read it as the \
             string \"0o17\""
        );
        assert!(ambiguity("1_000").ends_with("the integer 1000"));
        assert!(ambiguity("10:00").ends_with(
            "the sexagesimal (base 60) integer 600 (PyYAML), or the integer 36000 (Psych)"
        ));
        assert!(ambiguity("1:02:03").ends_with("the sexagesimal (base 60) integer 3723"));
        assert!(ambiguity("1:30:00").ends_with("integer 5400"));
        assert!(ambiguity("-1:30").ends_with("integer -90 (PyYAML), or the integer -1800 (Psych)"));
        assert!(ambiguity("01:30").contains("Psych"));
        assert!(ambiguity("0b101").ends_with("the binary integer 5"));
        assert!(ambiguity("-0x1F").ends_with("the integer -31"));
        assert!(ambiguity("1,000").ends_with("the integer 1000"));
        assert!(ambiguity("1e5").ends_with("the string \"1e5\""));
        assert!(ambiguity("1.0e5").ends_with("the string \"1.0e5\""));
        assert!(ambiguity("-.5").contains("PyYAML reads it as the string"));
        assert!(ambiguity("1_000.5").ends_with("the float 1000.5"));
        assert!(ambiguity("1:30.5").ends_with("the sexagesimal (base 60) float 90.5"));
        assert!(ambiguity("1,000.5").contains("Psych"));
    }

    #[test]
    fn yaml11_other() {
        assert!(ambiguity("=").contains("PyYAML"));
        assert!(ambiguity("<<").contains("merge key"));
        assert!(ambiguity("2020-25-11").contains("timestamp"));
        assert!(ambiguity("2017-02-29 11:00:00").contains("timestamp"));
        assert!(ambiguity("2020-1-5").contains("Psych"));
        assert!(ambiguity(":foo").contains("symbol"));
    }

    #[test]
    fn unambiguous() {
        for plain in [
            "hello",
            "1.5",
            "1.10",
            ".5",
            "1.",
            "-1.5",
            "+1.5",
            "1.5e+5",
            "true",
            "True",
            "FALSE",
            "null",
            "~",
            "Null",
            "12",
            "-0",
            "+12",
            "0",
            "0x1F",
            ".inf",
            "-.Inf",
            ".NaN",
            "2020-10-10",
            "2020-10-10 10:00:00",
            "2001-12-14t21:59:43.10-05:00",
            "09",
            "a:b",
            "yess",
            "noon",
            "_",
            "-",
            "0x",
            "1.2.3",
            "10:60",
            "Jekyll",
            "https://x.y/z",
        ] {
            assert_eq!(yaml11_ambiguity(plain), None, "{plain}");
        }
    }

    #[test]
    fn safe_plain_strings() {
        for s in [
            "hello",
            "Hello world",
            "a:b",
            "a#b",
            "_layouts.post",
            "https://example.com/a?b=c",
            "content",
            "C++",
            "x-y",
            "1.2.3",
            "é",
            "a, b",
            "say \"hi\"",
            "it's",
        ] {
            assert!(plain_is_safe(s), "{s}");
        }
    }

    #[test]
    fn unsafe_plain_strings() {
        for s in [
            "",
            " a",
            "a ",
            "\ta",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "Y",
            "NO",
            "012",
            "09",
            "1.10",
            "10:00",
            "null",
            "Null",
            "~",
            "true",
            "1e5",
            "0o7",
            ".inf",
            "-.5",
            "12",
            "1_000",
            "2020-10-10",
            "2020-10-10 10:00:00",
            "2020-25-11",
            "2020-1-5",
            "- a",
            "-a",
            "?",
            ":a",
            ",a",
            "[a]",
            "]",
            "{a}",
            "}",
            "#a",
            "&a",
            "*a",
            "!a",
            "|",
            ">",
            "'a'",
            "\"a\"",
            "%a",
            "@a",
            "`a`",
            "a: b",
            "a #b",
            "a:",
            "a\u{0}b",
            "a\nb",
            "a\rb",
            "\u{feff}a",
            "---",
            "...",
            "...a",
            "a\tb",
            "a\u{85}b",
            "a\u{2028}b",
            "=",
            "<<",
            "tRUE",
            ":foo",
            "1,000",
        ] {
            assert!(!plain_is_safe(s), "{s:?}");
        }
    }
}
