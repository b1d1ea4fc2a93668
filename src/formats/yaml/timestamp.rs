//! YAML 1.1 timestamps (`2001-12-14 21:59:43.10 -5`), read as TOML-style date-times.
//!
//! Hugo, Jekyll and symfony/yaml read an unquoted scalar of the YAML 1.1 timestamp form as a
//! date-time, so fmx does too; its text is normalised to RFC 3339 as TOML writes it.

use crate::value::{DateTime, DateTimeKind};

/// What a scalar is as a YAML 1.1 timestamp.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Timestamp {
    /// Not of the timestamp form.
    NotOne,
    /// Of the form, but not a real calendar date or time (`2020-25-11`).
    Invalid,
    Valid(DateTime),
}

/// A small cursor over ASCII bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Between `min` and `max` ASCII digits, as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let start = self.at;
        let mut value = 0u32;
        while self.at - start < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.at += 1;
                }
                _ => break,
            }
        }
        let n = self.at - start;
        (n >= min).then_some((value, n))
    }

    fn blanks(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
        self.at - start
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// Reads `text` as a YAML 1.1 timestamp:
/// `YYYY-MM-DD`, or `YYYY-M?M-D?D([Tt]|[ \t]+)H?H:MM:SS(\.frac)?([ \t]*(Z|[-+]H?H(:MM)?))?`.
pub(super) fn timestamp(text: &str) -> Timestamp {
    match shape(text) {
        None => Timestamp::NotOne,
        Some(parts) => parts
            .validate()
            .map_or(Timestamp::Invalid, Timestamp::Valid),
    }
}

struct Parts<'a> {
    year: u32,
    month: u32,
    day: u32,
    time: Option<Time<'a>>,
}

struct Time<'a> {
    hour: u32,
    minute: u32,
    second: u32,
    fraction: &'a str,
    zone: Option<Zone>,
}

enum Zone {
    Utc,
    Offset {
        negative: bool,
        hours: u32,
        minutes: u32,
    },
}

fn shape(text: &str) -> Option<Parts<'_>> {
    let mut c = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let (year, _) = c.digits(4, 4)?;
    c.eat(b'-').then_some(())?;
    let (month, month_len) = c.digits(1, 2)?;
    c.eat(b'-').then_some(())?;
    let (day, day_len) = c.digits(1, 2)?;
    if c.done() {
        // The date-only form needs two-digit month and day.
        return (month_len == 2 && day_len == 2).then_some(Parts {
            year,
            month,
            day,
            time: None,
        });
    }
    if !(c.eat(b'T') || c.eat(b't') || c.blanks() > 0) {
        return None;
    }
    let (hour, _) = c.digits(1, 2)?;
    c.eat(b':').then_some(())?;
    let (minute, _) = c.digits(2, 2)?;
    c.eat(b':').then_some(())?;
    let (second, _) = c.digits(2, 2)?;
    let fraction = if c.eat(b'.') {
        let start = c.at;
        while matches!(c.peek(), Some(b'0'..=b'9')) {
            c.at += 1;
        }
        text.get(start..c.at)?
    } else {
        ""
    };
    let zone = if c.done() {
        None
    } else {
        c.blanks();
        if c.eat(b'Z') {
            Some(Zone::Utc)
        } else {
            let negative = match c.peek() {
                Some(b'-') => true,
                Some(b'+') => false,
                _ => return None,
            };
            c.at += 1;
            let (hours, _) = c.digits(1, 2)?;
            let minutes = if c.eat(b':') { c.digits(2, 2)?.0 } else { 0 };
            Some(Zone::Offset {
                negative,
                hours,
                minutes,
            })
        }
    };
    c.done().then_some(Parts {
        year,
        month,
        day,
        time: Some(Time {
            hour,
            minute,
            second,
            fraction,
            zone,
        }),
    })
}

impl Parts<'_> {
    fn validate(&self) -> Option<DateTime> {
        let leap = self.year.is_multiple_of(4)
            && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400));
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if self.day == 0 || self.day > days {
            return None;
        }
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        let Some(t) = &self.time else {
            return Some(DateTime {
                kind: DateTimeKind::Date,
                text: date,
            });
        };
        if t.hour > 23 || t.minute > 59 || t.second > 59 {
            return None;
        }
        let mut text = format!("{date}T{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
        if !t.fraction.is_empty() {
            text.push('.');
            text.push_str(t.fraction);
        }
        let kind = match t.zone {
            None => DateTimeKind::Local,
            Some(Zone::Utc) => {
                text.push('Z');
                DateTimeKind::Offset
            }
            Some(Zone::Offset {
                negative,
                hours,
                minutes,
            }) => {
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let sign = if negative { '-' } else { '+' };
                text.push_str(&format!("{sign}{hours:02}:{minutes:02}"));
                DateTimeKind::Offset
            }
        };
        Some(DateTime { kind, text })
    }
}

/// Whether Ruby's Psych (Jekyll) takes `text` for a date or time even though it is not a
/// YAML 1.1 timestamp: a date with one-digit month or day (`2020-1-5`), a negative year, an
/// offset without a colon (`+0530`).
pub(super) fn psych_timestamp_shape(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let mut c = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let date = c.digits(4, 4).is_some()
        && c.eat(b'-')
        && c.digits(1, 2).is_some()
        && c.eat(b'-')
        && c.digits(1, 2).is_some();
    if !date {
        return false;
    }
    if c.done() {
        return true;
    }
    let sep = c.eat(b'T') || c.eat(b't') || c.blanks() > 0;
    let time = sep
        && c.digits(1, 2).is_some()
        && c.eat(b':')
        && c.digits(2, 2).is_some()
        && c.eat(b':')
        && c.digits(2, 2).is_some();
    if !time {
        return false;
    }
    if c.eat(b'.') {
        while matches!(c.peek(), Some(b'0'..=b'9')) {
            c.at += 1;
        }
    }
    c.blanks();
    if c.done() || (c.eat(b'Z') && c.done()) {
        return true;
    }
    if !(c.eat(b'-') || c.eat(b'+')) || c.digits(1, 2).is_none() {
        return false;
    }
    c.eat(b':');
    let _ = c.digits(2, 2);
    c.done()
}

/// The date or date-time Ruby's Psych (Jekyll) reads from a plain scalar that is not a YAML
/// 1.1 timestamp but has a shape Psych takes for one: `2013-06-27 11:00:01 +0000` is the
/// instant `2013-06-27T11:00:01+00:00`, `2020-1-5` the date `2020-01-05`. `None` for any
/// other text, and for what has no exact reading here (a negative year, a date that does not
/// exist, which Psych rolls over).
pub fn psych_time(text: &str) -> Option<DateTime> {
    if text.starts_with('-') || !psych_timestamp_shape(text) {
        return None;
    }
    if timestamp(text) != Timestamp::NotOne {
        return None;
    }
    // Psych's offsets may lack the colon (`+0530`), and its date the leading zeros; YAML
    // 1.1's timestamp form is the same reading once both are added.
    let mut fixed = String::with_capacity(text.len() + 3);
    let (date, rest) = text.split_at(text.find([' ', '\t', 'T', 't']).unwrap_or(text.len()));
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    fixed.push_str(&format!("{y}-{m:0>2}-{d:0>2}"));
    let rest = rest.trim_end();
    let bytes = rest.as_bytes();
    let n = bytes.len();
    let bare_offset = n >= 5
        && matches!(bytes[n - 5], b'+' | b'-')
        && bytes[n - 4..].iter().all(u8::is_ascii_digit);
    if bare_offset {
        fixed.push_str(&rest[..n - 2]);
        fixed.push(':');
        fixed.push_str(&rest[n - 2..]);
    } else {
        fixed.push_str(rest);
    }
    match timestamp(&fixed) {
        Timestamp::Valid(d) => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> (DateTimeKind, String) {
        match timestamp(text) {
            Timestamp::Valid(d) => (d.kind, d.text),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn normalises_to_rfc3339() {
        use DateTimeKind::*;
        assert_eq!(valid("2002-12-14"), (Date, "2002-12-14".into()));
        assert_eq!(
            valid("2001-12-14t21:59:43.10-05:00"),
            (Offset, "2001-12-14T21:59:43.10-05:00".into())
        );
        assert_eq!(
            valid("2001-12-14 21:59:43.10 -5"),
            (Offset, "2001-12-14T21:59:43.10-05:00".into())
        );
        assert_eq!(
            valid("2001-12-15 2:59:43.10"),
            (Local, "2001-12-15T02:59:43.10".into())
        );
        assert_eq!(
            valid("2021-10-29 0:00:00"),
            (Local, "2021-10-29T00:00:00".into())
        );
        assert_eq!(
            valid("2001-12-15T02:59:43.1Z"),
            (Offset, "2001-12-15T02:59:43.1Z".into())
        );
        assert_eq!(
            valid("2001-1-5 10:00:00 Z"),
            (Offset, "2001-01-05T10:00:00Z".into())
        );
        assert_eq!(
            valid("2020-02-29 10:00:00."),
            (Local, "2020-02-29T10:00:00".into())
        );
        assert_eq!(
            valid("2020-10-10\t10:00:00+05:30"),
            (Offset, "2020-10-10T10:00:00+05:30".into())
        );
    }

    #[test]
    fn invalid_dates_and_other_shapes() {
        assert_eq!(timestamp("2020-25-11"), Timestamp::Invalid);
        assert_eq!(timestamp("2017-02-29 11:00:00"), Timestamp::Invalid);
        assert_eq!(timestamp("2020-10-10 24:00:00"), Timestamp::Invalid);
        assert_eq!(timestamp("2020-1-5"), Timestamp::NotOne);
        assert_eq!(timestamp("2020-10-10 10:00"), Timestamp::NotOne);
        assert_eq!(timestamp("2020-10-10 10:00:00 "), Timestamp::NotOne);
        assert_eq!(timestamp("2020-10-10 10:00:00 +0530"), Timestamp::NotOne);
        assert_eq!(timestamp("2020-10-10T10:00:00z"), Timestamp::NotOne);
        assert_eq!(timestamp("20201010"), Timestamp::NotOne);
        assert_eq!(timestamp("2020-10-10x"), Timestamp::NotOne);
    }

    #[test]
    fn psych_times_read_as_the_instant_they_name() {
        let read = |t: &str| psych_time(t).map(|d| (d.kind, d.text));
        use DateTimeKind::*;
        assert_eq!(
            read("2013-06-27 11:00:01 +0000"),
            Some((Offset, "2013-06-27T11:00:01+00:00".into()))
        );
        assert_eq!(
            read("2020-10-10 10:00:00.5 +0530"),
            Some((Offset, "2020-10-10T10:00:00.5+05:30".into()))
        );
        assert_eq!(read("2020-1-5"), Some((Date, "2020-01-05".into())));
        assert_eq!(
            read("2020-10-10 10:00:00 "),
            Some((Local, "2020-10-10T10:00:00".into()))
        );
        // YAML 1.1 timestamps are fmx's own date-times already; others are not times.
        assert_eq!(read("2013-06-27 11:00:01 +00:00"), None);
        assert_eq!(read("-2020-10-10 10:00:00"), None);
        assert_eq!(read("2017-2-29 11:00:00 +0000"), None);
        assert_eq!(read("hello"), None);
    }

    #[test]
    fn psych_shapes() {
        assert!(psych_timestamp_shape("2020-1-5"));
        assert!(psych_timestamp_shape("2020-10-10 10:00:00 +0530"));
        assert!(psych_timestamp_shape("-2020-10-10 10:00:00"));
        assert!(!psych_timestamp_shape("2020-10-10 10:00"));
        assert!(!psych_timestamp_shape("hello"));
    }
}
