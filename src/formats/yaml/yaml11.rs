//! How YAML 1.1 readers read a plain scalar: PyYAML's resolver, Ruby's Psych (Jekyll) and the
//! spec's full boolean list (go-yaml v2). Models of their rules, for [`super::yaml11_ambiguity`].

use super::scalar::{all_in, special_float, strip_sign};
use super::timestamp::{Timestamp, psych_timestamp_shape, timestamp};
use crate::value::Value;

const YAML11: &str = "YAML 1.1 readers (Jekyll, PyYAML)";
pub(super) const PSYCH: &str = "Ruby's Psych (Jekyll)";
const PYYAML: &str = "PyYAML";
const FULL_BOOL_LIST: &str =
    "YAML 1.1 readers that follow the spec's full boolean list (go-yaml v2, older Hugo)";

/// Who reads `plain` differently from `ours`, and as what.
pub(super) fn yaml11_reading(plain: &str, ours: &Value) -> Option<(&'static str, String)> {
    let is_string = matches!(ours, Value::String(_));
    let string = || format!("the string {plain:?}");

    // Booleans and null.
    match plain {
        "y" | "Y" => return Some((FULL_BOOL_LIST, "the boolean true".into())),
        "n" | "N" => return Some((FULL_BOOL_LIST, "the boolean false".into())),
        "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Some((YAML11, "the boolean true".into()));
        }
        "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Some((YAML11, "the boolean false".into()));
        }
        "=" => return Some((PYYAML, "a YAML 1.1 value key, which it cannot load".into())),
        "<<" => {
            return Some((
                PYYAML,
                "a merge key, which it cannot load as a value".into(),
            ));
        }
        _ => {}
    }
    if is_string {
        let lower = plain.to_ascii_lowercase();
        match lower.as_str() {
            "yes" | "true" | "on" => return Some((PSYCH, "the boolean true".into())),
            "no" | "false" | "off" => return Some((PSYCH, "the boolean false".into())),
            "null" => return Some((PSYCH, "null".into())),
            ".inf" | "-.inf" | ".nan" => return Some((PSYCH, float_words(plain))),
            _ => {}
        }
    }

    // Integers.
    if let Some(int11) = yaml11_int(plain) {
        let same = matches!((ours, int11.value), (Value::Int(i), Some(v)) if i.value == v);
        let mut theirs = int11.describe();
        if let Some(psych) = psych_base60(plain).filter(|&p| Some(p) != int11.value) {
            theirs = format!("{theirs} (PyYAML), or the integer {psych} (Psych)");
        }
        return (!same).then_some((YAML11, theirs));
    }
    if let Some(int11) = psych_int(plain) {
        return (!matches!(ours, Value::Int(i) if Some(i.value) == int11.value))
            .then(|| (PSYCH, int11.describe()));
    }

    // Floats.
    let ours_float = matches!(ours, Value::Float(_));
    if yaml11_float(plain) {
        return (!ours_float).then(|| (YAML11, float_words(plain)));
    }
    if psych_float(plain) {
        // PyYAML reads these (`-.5`, `1,000.5`) as strings.
        return if ours_float {
            Some((PYYAML, string()))
        } else {
            Some((PSYCH, float_words(&plain.replace(',', ""))))
        };
    }
    if ours_float {
        // `1e5`, `1.0e5`: YAML 1.1 floats need a `.` and a signed exponent.
        return Some((YAML11, string()));
    }
    if matches!(ours, Value::Int(_)) {
        // `0o17`: YAML 1.1 has no `0o` prefix.
        return Some((YAML11, string()));
    }

    // Timestamps.
    if is_string {
        if timestamp(plain) == Timestamp::Invalid {
            // Psych rolls `2017-02-29 11:00:00` over to March 1st, or keeps `2020-14-12`
            // as a string; PyYAML stops with an error.
            return Some((
                PYYAML,
                "a timestamp and fails on a date or time that does not exist".into(),
            ));
        }
        if psych_timestamp_shape(plain) {
            return Some((PSYCH, "a date or time".into()));
        }
        if plain.len() > 1 && plain.starts_with(':') {
            return Some((
                PSYCH,
                format!("the symbol {plain}, which Jekyll refuses to load"),
            ));
        }
    }
    None
}

/// An integer as a YAML 1.1 reader constructs it.
struct Int11 {
    /// `None` when the digits do not fit (or the reader would fail on them).
    value: Option<i128>,
    base: &'static str,
}

impl Int11 {
    fn describe(&self) -> String {
        match self.value {
            Some(v) => format!("the {}integer {v}", self.base),
            None => format!("an {}integer", self.base),
        }
    }
}

/// PyYAML's int: `[-+]?0b[0-1_]+`, `[-+]?0[0-7_]+`, `[-+]?(0|[1-9][0-9_]*)`,
/// `[-+]?0x[0-9a-fA-F_]+`, `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`.
fn yaml11_int(plain: &str) -> Option<Int11> {
    let (neg, body) = strip_sign(plain);
    let (digits, radix, base) = if let Some(d) = body.strip_prefix("0b") {
        all_in(d, |b| matches!(b, b'0' | b'1' | b'_')).then_some((d, 2, "binary "))?
    } else if let Some(d) = body.strip_prefix("0x") {
        all_in(d, |b| b.is_ascii_hexdigit() || b == b'_').then_some((d, 16, ""))?
    } else if body == "0" {
        (body, 10, "")
    } else if let Some(d) = body.strip_prefix('0') {
        all_in(d, |b| matches!(b, b'0'..=b'7' | b'_')).then_some((d, 8, "octal "))?
    } else if body.starts_with(|c: char| c.is_ascii_digit()) && body.contains(':') {
        return sexagesimal(neg, body, false);
    } else {
        let ok = body.starts_with(|c: char| c.is_ascii_digit())
            && all_in(body, |b| b.is_ascii_digit() || b == b'_');
        ok.then_some((body, 10, ""))?
    };
    Some(Int11 {
        value: radix_value(neg, digits, radix),
        base,
    })
}

/// Psych's extras: commas as digit separators (`1,000`), and base 60 with a leading zero.
fn psych_int(plain: &str) -> Option<Int11> {
    let (neg, body) = strip_sign(plain);
    if body.starts_with(|c: char| c.is_ascii_digit()) && body.contains(':') {
        return sexagesimal(neg, body, true);
    }
    if !plain.contains(',') {
        return None;
    }
    let cleaned: String = plain.chars().filter(|&c| c != ',').collect();
    yaml11_int(&cleaned)
}

/// Psych's base-60 integer, which weighs the parts by 60 to the power of their distance
/// from the third (`1:20` is 4800, where PyYAML reads 80; three parts agree), the sign on
/// the first part only. `None` if `plain` is not of that form.
fn psych_base60(plain: &str) -> Option<i128> {
    let (neg, body) = strip_sign(plain);
    if !body.contains(':') {
        return None;
    }
    sexagesimal(neg, body, true)?;
    let mut total: i128 = 0;
    for (e, part) in body.split(':').enumerate() {
        let n: i128 = part.replace('_', "").parse().ok()?;
        let n = if e == 0 && neg { -n } else { n };
        let weight = 60i128.checked_pow(u32::try_from(e.abs_diff(2)).ok()?)?;
        total = total.checked_add(n.checked_mul(weight)?)?;
    }
    Some(total)
}

/// `[1-9][0-9_]*(:[0-5]?[0-9])+` (Psych also allows a leading `0`).
fn sexagesimal(neg: bool, body: &str, leading_zero: bool) -> Option<Int11> {
    let mut parts = body.split(':');
    let first = parts.next()?;
    let first_ok = all_in(first, |b| b.is_ascii_digit() || b == b'_')
        && first.starts_with(|c: char| c.is_ascii_digit())
        && (leading_zero || !first.starts_with('0'));
    if !first_ok {
        return None;
    }
    let mut value = radix_value(false, first, 10);
    for part in parts {
        let ok = match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => matches!(a, b'0'..=b'5') && b.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return None;
        }
        let n = radix_value(false, part, 10);
        value = value
            .zip(n)
            .and_then(|(v, n)| v.checked_mul(60)?.checked_add(n));
    }
    Some(Int11 {
        value: value.map(|v| if neg { -v } else { v }),
        base: "sexagesimal (base 60) ",
    })
}

fn radix_value(neg: bool, digits: &str, radix: u32) -> Option<i128> {
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let v = i128::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// PyYAML's float: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`, `\.[0-9][0-9_]*([eE][-+][0-9]+)?`,
/// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`, `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
fn yaml11_float(plain: &str) -> bool {
    if special_float(plain).is_some() {
        return true;
    }
    let signed_exp_ok = |e: Option<&str>| {
        e.is_none_or(|e| {
            matches!(e.as_bytes().first(), Some(b'-' | b'+'))
                && all_in(&e[1..], |b| b.is_ascii_digit())
        })
    };
    let signed = plain.starts_with(['-', '+']);
    let (_, rest) = strip_sign(plain);
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let digits_ = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if let Some((int, frac)) = mantissa.split_once('.') {
        let base10 = if int.is_empty() {
            !signed && frac.starts_with(|c: char| c.is_ascii_digit()) && digits_(frac)
        } else if int.contains(':') {
            return exp.is_none() && digits_(frac) && sexagesimal(false, int, true).is_some();
        } else {
            int.starts_with(|c: char| c.is_ascii_digit()) && digits_(int) && digits_(frac)
        };
        return base10 && signed_exp_ok(exp);
    }
    false
}

/// How a YAML 1.1 float reads in a message: `the float 1000.5`, `infinity`, `NaN`.
fn float_words(plain: &str) -> String {
    let lower = plain.to_ascii_lowercase();
    match lower.trim_start_matches('+') {
        ".inf" => return "infinity".into(),
        "-.inf" => return "negative infinity".into(),
        ".nan" => return "NaN".into(),
        _ => {}
    }
    let clean = plain.replace('_', "");
    if let Some((int, frac)) = clean.split_once('.').filter(|(i, _)| i.contains(':')) {
        let (neg, body) = strip_sign(int);
        if let Some(Int11 { value: Some(v), .. }) = sexagesimal(neg, body, true) {
            let frac = if frac.is_empty() { "0" } else { frac };
            let sign = if neg && v == 0 { "-" } else { "" };
            return format!("the sexagesimal (base 60) float {sign}{v}.{frac}");
        }
    }
    format!("the float {clean}")
}

/// Psych's float: `[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?` (not `.` alone).
fn psych_float(plain: &str) -> bool {
    let (_, rest) = strip_sign(plain);
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let Some((int, frac)) = mantissa.split_once('.') else {
        return false;
    };
    let int_ok = int.is_empty()
        || (int.starts_with(|c: char| c.is_ascii_digit())
            && int
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'_' || b == b','));
    let exp_ok = exp.is_none_or(|e| {
        matches!(e.as_bytes().first(), Some(b'-' | b'+')) && all_in(&e[1..], |b| b.is_ascii_digit())
    });
    int_ok
        && frac.bytes().all(|b| b.is_ascii_digit())
        && exp_ok
        && !(int.is_empty() && frac.is_empty())
}

/// The value PyYAML's resolver (YAML 1.1) constructs from a plain scalar, where fmx can hold
/// it: `None` for what PyYAML refuses to load (`=`, `<<` as a value), for integers beyond
/// i128 and for base-60 floats.
pub(super) fn pyyaml_value(plain: &str) -> Option<Value> {
    match plain {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Some(Value::Bool(true));
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Some(Value::Bool(false));
        }
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "=" | "<<" => return None,
        _ => {}
    }
    if let Some(int11) = yaml11_int(plain) {
        return int11
            .value
            .map(|value| Value::Int(crate::value::Int { value }));
    }
    if yaml11_float(plain) {
        if let Some(f) = special_float(plain) {
            return Some(Value::Float(f));
        }
        let clean = plain.replace('_', "");
        if clean.contains(':') {
            return None;
        }
        return crate::value::Float::from_decimal_text(&clean).map(Value::Float);
    }
    // Timestamps read as fmx reads them (the YAML 1.1 timestamp type); all else is a string.
    match super::scalar::resolve_plain(plain) {
        Ok(v @ Value::DateTime(_)) => Some(v),
        _ => Some(Value::String(plain.to_owned())),
    }
}
