//! The date rules: `date-not-epoch` (fixable), `date-not-finite`, `date-out-of-range`,
//! `date-in-milliseconds`, `date-in-future`. Their pages, and the judging of `epoch` and
//! `datetime` fields that the field rules' check (`fields.rs`, whose family they are in)
//! calls when a field has one of those types. The fix of `date-not-epoch` is an edit on the
//! diagnostic that states the number it writes, which `edit.rs` verifies.

use crate::config::FieldSpec;
use crate::diagnostic::Diagnostic;
use crate::edit::{self, Edit, Fix, Values};
use crate::epoch;
use crate::load::describe;
use crate::shown;
use crate::value::{DateTimeKind, Node, Value};

use super::fields::Judge;
use super::{Rule, RuleDoc, Unit};

/// 1970-01-01 and 2100-01-01, the default bounds of an `epoch` or `datetime` field.
pub const DEFAULT_EARLIEST: i64 = 0;
pub const DEFAULT_LATEST: i64 = 4_102_444_800;

// Each page string starts right after its opening quote and continues flush left, so that
// what is printed is exactly what is written here.

pub static DATE_NOT_EPOCH: Unit = Unit::page_only(RuleDoc {
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
});

pub static DATE_NOT_FINITE: Unit = Unit::page_only(RuleDoc {
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
});

pub static DATE_OUT_OF_RANGE: Unit = Unit::page_only(RuleDoc {
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
});

pub static DATE_IN_MILLISECONDS: Unit = Unit::page_only(RuleDoc {
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
});

pub static DATE_IN_FUTURE: Unit = Unit::page_only(RuleDoc {
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
});

/// An `epoch` field: a number of seconds, finite, in range, not milliseconds, not ahead.
pub(super) fn check_epoch(
    key: &str,
    node: &Node,
    spec: &FieldSpec,
    judge: &Judge,
    out: &mut Vec<Diagnostic>,
) {
    let secs = match &node.value {
        Value::Int(i) => i.value as f64,
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
        Value::Float(f) => f.value,
        _ => {
            out.push(not_epoch(key, node, spec, judge));
            return;
        }
    };
    out.extend(epoch_seconds(key, node, secs, spec, judge.now));
}

/// An epoch number's exact digits, as a message quotes them. Only made for a diagnostic:
/// every post's date passes here.
fn epoch_text(value: &Value) -> String {
    match value {
        Value::Int(i) => i.value.to_string(),
        Value::Float(f) => shown::bounded(&f.decimal_text().unwrap_or_default()),
        _ => String::new(),
    }
}

/// `date-not-epoch`, with the fix when the value can be written as seconds and its bytes
/// found.
fn not_epoch(key: &str, node: &Node, spec: &FieldSpec, judge: &Judge) -> Diagnostic {
    let d = Diagnostic::new(
        Rule::DateNotEpoch,
        node.pos,
        format!(
            "`{key}` must be Unix epoch seconds as a number, found {}",
            describe(&node.value)
        ),
    );
    let Some(digits) = epoch_fix(&node.value, spec) else {
        return d;
    };
    let fix = judge.source.and_then(|(bytes, layout)| {
        let range = edit::scalar_range(bytes, layout, node.pos)?;
        Some(Fix {
            edits: vec![Edit {
                range,
                replacement: digits.clone(),
                rule: Rule::DateNotEpoch,
            }],
            reorder: None,
            values: Values(vec![(node.pos, Value::number(&digits)?)]),
        })
    });
    match fix {
        Some(fix) => d
            .with_help(format!("write it as `{digits}` (`fmx check --fix` does)"))
            .with_fix(fix),
        None => d.with_help(format!("write it as `{digits}`")),
    }
}

/// The rules on an epoch value that is a number: milliseconds, range, future.
fn epoch_seconds(
    key: &str,
    node: &Node,
    secs: f64,
    spec: &FieldSpec,
    now: i64,
) -> Option<Diagnostic> {
    let text = || epoch_text(&node.value);
    let earliest = spec.earliest.unwrap_or(DEFAULT_EARLIEST);
    let latest = spec.latest.unwrap_or(DEFAULT_LATEST);
    let in_range = |s: f64| s >= earliest as f64 && s <= latest as f64;
    if secs > 1e11 && in_range(secs / 1000.0) {
        let as_date =
            epoch::to_rfc3339(&format!("{}", (secs / 1000.0).floor() as i64)).unwrap_or_default();
        Some(
            Diagnostic::new(
                Rule::DateInMilliseconds,
                node.pos,
                format!(
                    "`{key}` {} looks like milliseconds: as seconds it would be {as_date}",
                    text()
                ),
            )
            .with_help("divide it by 1000: epoch values are in seconds"),
        )
    } else if !in_range(secs) {
        let text = text();
        let when = epoch::to_rfc3339(&text).unwrap_or_else(|_| "far outside any calendar".into());
        Some(Diagnostic::new(
            Rule::DateOutOfRange,
            node.pos,
            format!(
                "`{key}` {text} is {when}, outside {} to {}",
                bound_text(earliest),
                bound_text(latest)
            ),
        ))
    } else if secs > now as f64 {
        let text = text();
        let when = epoch::to_rfc3339(&text).unwrap_or_default();
        Some(Diagnostic::new(
            Rule::DateInFuture,
            node.pos,
            format!("`{key}` {text} is {when}, in the future"),
        ))
    } else {
        None
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

/// A `datetime` field: of the type (RFC 3339 with an offset, or a local date-time), and for
/// an instant, in range and not ahead. Returns whether it is of the type.
pub(super) fn check_datetime(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::DateTime;

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
}
