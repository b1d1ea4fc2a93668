//! Exact conversions between epoch seconds written as decimal digits and RFC 3339 text.
//!
//! Never through f64: `1602377984.4306138` has 17 significant digits, and the nearest f64 is
//! not that number. The conversions work on the digits: the integer part and up to nine
//! fraction digits (nanoseconds), and keep the number of fraction digits as written.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::value::canonical_decimal;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EpochError {
    #[error("`{0}` is not a decimal number of seconds")]
    NotDecimal(String),
    #[error("`{0}` has more than nine fraction digits: finer than a nanosecond")]
    TooPrecise(String),
    #[error("`{0}` is outside the years -9999 to 9999")]
    OutOfRange(String),
    #[error("`{0}` is not an RFC 3339 date-time with a UTC offset")]
    NotRfc3339(String),
}

/// Epoch seconds (any decimal notation our formats allow) → RFC 3339 in UTC, with exactly
/// the fraction digits of the input: `1602377984.4306138` → `2020-10-11T00:59:44.4306138Z`.
pub fn to_rfc3339(epoch: &str) -> Result<String, EpochError> {
    let (scaled, digits) = parse_scaled(epoch)?;
    let scale = 10i128.pow(digits);
    let secs = scaled.div_euclid(scale);
    let frac = scaled.rem_euclid(scale);
    let secs_i64 = i64::try_from(secs).map_err(|_| EpochError::OutOfRange(epoch.to_string()))?;
    let ts =
        Timestamp::from_second(secs_i64).map_err(|_| EpochError::OutOfRange(epoch.to_string()))?;
    let dt = TimeZone::UTC.to_datetime(ts);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if digits > 0 {
        out.push_str(&format!(".{:0width$}", frac, width = digits as usize));
    }
    out.push('Z');
    Ok(out)
}

/// RFC 3339 date-time with an offset (`Z`, `+01:00`; `T`, `t` or a space between date and
/// time) → epoch seconds with the fraction digits as written: `2020-10-11T00:59:44.4306138Z`
/// → `1602377984.4306138`; no fraction gives an integer (`1602377984`).
pub fn from_rfc3339(text: &str) -> Result<String, EpochError> {
    let err = || EpochError::NotRfc3339(text.to_string());
    let trimmed = text.trim();
    if !looks_like_rfc3339(trimmed) {
        return Err(err());
    }
    let ts: Timestamp = trimmed.parse().map_err(|_| err())?;
    let frac = fraction_digits(trimmed);
    if frac.len() > 9 {
        return Err(EpochError::TooPrecise(text.to_string()));
    }
    // jiff truncates toward zero; the digits as written sit above the floor.
    let secs = i128::from(ts.as_second()) - i128::from(ts.subsec_nanosecond() < 0);
    if frac.is_empty() {
        return Ok(secs.to_string());
    }
    let digits = frac.len() as u32;
    let scaled = secs * 10i128.pow(digits) + frac.parse::<i128>().map_err(|_| err())?;
    Ok(format_scaled(scaled, digits))
}

/// Epoch seconds of a date string as a post's readers take it: RFC 3339 with an offset, or
/// a shape Ruby's Psych (Jekyll) reads as a time with an offset (`2013-06-27 11:00:01
/// +0000` → `1372330801`). For `--dates epoch` on a YAML post, in place of `from_rfc3339`.
pub fn from_date_text(text: &str) -> Result<String, EpochError> {
    from_rfc3339(text).or_else(|err| match crate::formats::yaml::psych_time(text.trim()) {
        Some(d) if d.kind == crate::value::DateTimeKind::Offset => from_rfc3339(&d.text),
        _ => Err(err),
    })
}

/// Whether `text` is an RFC 3339 date-time with an offset (the shape `from_rfc3339` takes).
pub fn is_rfc3339(text: &str) -> bool {
    from_rfc3339(text).is_ok()
}

fn looks_like_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && (s.ends_with(['Z', 'z']) || b[b.len() - 3] == b':')
}

/// The fraction-of-second digits as written in an RFC 3339 text (`""` if none).
fn fraction_digits(s: &str) -> &str {
    let time = &s[11..];
    match time.find('.') {
        Some(i) => {
            let rest = &time[i + 1..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            &rest[..end]
        }
        None => "",
    }
}

/// Epoch text → (value × 10^digits, digits), digits ≤ 9.
fn parse_scaled(epoch: &str) -> Result<(i128, u32), EpochError> {
    let not_decimal = || EpochError::NotDecimal(epoch.to_string());
    let canon = canonical_decimal(epoch).ok_or_else(not_decimal)?;
    let (neg, rest) = match canon.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, canon.as_str()),
    };
    let (mantissa, exp) = match rest.split_once('e') {
        Some((m, e)) => (m, exponent(e).ok_or_else(not_decimal)?),
        None => (rest, 0),
    };
    let (int_part, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Shift the decimal point by the exponent, on the digits.
    let mut digits = format!("{int_part}{frac}");
    let mut point = (int_part.len() as i64).saturating_add(exp);
    // The zeros the shift would pad with are bounded before any is written: a zero needs
    // none, and a digit more than nine places after the point is finer than a nanosecond.
    if exp != 0 && digits.bytes().all(|b| b == b'0') {
        return Ok((0, 0));
    }
    if point < -9 {
        return Err(EpochError::TooPrecise(epoch.to_string()));
    }
    if point < 0 {
        digits.insert_str(0, &"0".repeat((-point) as usize));
        point = 0;
    }
    let point = point as usize;
    if digits.len() < point {
        if point > 40 {
            return Err(EpochError::OutOfRange(epoch.to_string()));
        }
        digits.push_str(&"0".repeat(point - digits.len()));
    }
    let (int_digits, frac_digits) = digits.split_at(point);
    let frac_digits = if exp != 0 {
        frac_digits.trim_end_matches('0')
    } else {
        frac_digits
    };
    if frac_digits.len() > 9 {
        return Err(EpochError::TooPrecise(epoch.to_string()));
    }
    let int_digits = int_digits.trim_start_matches('0');
    if int_digits.len() > 30 {
        return Err(EpochError::OutOfRange(epoch.to_string()));
    }
    let all = format!("{int_digits}{frac_digits}");
    let magnitude: i128 = if all.is_empty() {
        0
    } else {
        all.parse().map_err(|_| not_decimal())?
    };
    Ok((
        if neg { -magnitude } else { magnitude },
        frac_digits.len() as u32,
    ))
}

/// A canonical exponent (`+5`, `-2147483648`, `+99999999999999999999`), held within
/// ±10^18 so that shifting by it cannot overflow: any exponent that large is out of range
/// (or too precise) all the same.
fn exponent(text: &str) -> Option<i64> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits
        .parse::<i64>()
        .unwrap_or(i64::MAX)
        .min(1_000_000_000_000_000_000);
    Some(if neg { -magnitude } else { magnitude })
}

fn format_scaled(scaled: i128, digits: u32) -> String {
    let scale = 10i128.pow(digits);
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let scale = scale as u128;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_post_date_both_ways() {
        assert_eq!(
            to_rfc3339("1602377984.4306138").unwrap(),
            "2020-10-11T00:59:44.4306138Z"
        );
        assert_eq!(
            from_rfc3339("2020-10-11T00:59:44.4306138Z").unwrap(),
            "1602377984.4306138"
        );
    }

    #[test]
    fn fraction_digits_are_kept_as_written() {
        assert_eq!(to_rfc3339("0.50").unwrap(), "1970-01-01T00:00:00.50Z");
        assert_eq!(to_rfc3339("86400").unwrap(), "1970-01-02T00:00:00Z");
        assert_eq!(from_rfc3339("1970-01-01T00:00:00.500Z").unwrap(), "0.500");
        assert_eq!(from_rfc3339("2020-10-11T00:59:44Z").unwrap(), "1602377984");
    }

    #[test]
    fn offsets_and_separators() {
        assert_eq!(
            from_rfc3339("2020-10-11T02:59:44.25+02:00").unwrap(),
            "1602377984.25"
        );
        assert_eq!(from_rfc3339("2020-10-11 00:59:44Z").unwrap(), "1602377984");
    }

    #[test]
    fn psych_times_name_their_instant() {
        assert_eq!(
            from_date_text("2013-06-27 11:00:01 +0000").unwrap(),
            "1372330801"
        );
        assert_eq!(
            from_date_text("2013-06-27 13:00:01.5 +0200").unwrap(),
            "1372330801.5"
        );
        assert_eq!(
            from_date_text("2020-10-11T00:59:44Z").unwrap(),
            "1602377984"
        );
        // No offset, no instant: the machine's zone is not the site's.
        assert!(from_date_text("2013-06-27 11:00:01").is_err());
        assert!(from_date_text("2020-1-5").is_err());
    }

    #[test]
    fn before_1970() {
        assert_eq!(to_rfc3339("-0.5").unwrap(), "1969-12-31T23:59:59.5Z");
        assert_eq!(from_rfc3339("1969-12-31T23:59:59.5Z").unwrap(), "-0.5");
    }

    #[test]
    fn exponent_notation_is_exact() {
        assert_eq!(
            to_rfc3339("1.6023779844306138e9").unwrap(),
            "2020-10-11T00:59:44.4306138Z"
        );
    }

    /// `1e-2147483648` once padded two billion zeros (7 s, 4 GB): the work is bounded by the
    /// digits that matter, and the answers are those the padding gave.
    #[test]
    fn huge_exponents_cost_nothing() {
        let start = std::time::Instant::now();
        for (text, expected) in [
            (
                "1e-2147483648",
                Err(EpochError::TooPrecise("1e-2147483648".into())),
            ),
            (
                "-1.5e-99999999999999999999",
                Err(EpochError::TooPrecise("-1.5e-99999999999999999999".into())),
            ),
            ("0e-2147483648", Ok("1970-01-01T00:00:00Z".to_string())),
            ("0.0e2147483647", Ok("1970-01-01T00:00:00Z".to_string())),
            (
                "1e2147483647",
                Err(EpochError::OutOfRange("1e2147483647".into())),
            ),
            ("1e-9", Ok("1970-01-01T00:00:00.000000001Z".to_string())),
            ("10e-10", Ok("1970-01-01T00:00:00.000000001Z".to_string())),
        ] {
            assert_eq!(to_rfc3339(text), expected, "{text}");
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            to_rfc3339("1.0000000001"),
            Err(EpochError::TooPrecise(_))
        ));
        assert!(matches!(to_rfc3339("abc"), Err(EpochError::NotDecimal(_))));
        assert!(matches!(to_rfc3339("1e30"), Err(EpochError::OutOfRange(_))));
        assert!(matches!(
            to_rfc3339("1e99999999999999999999"),
            Err(EpochError::OutOfRange(_))
        ));
        assert!(from_rfc3339("2020-10-11T00:59:44").is_err());
        assert!(from_rfc3339("2020-10-11").is_err());
        assert!(from_rfc3339("2020-10-11T00:59:44.1234567891Z").is_err());
    }
}
