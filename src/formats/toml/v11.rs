//! TOML 1.1 syntax in a block: what the `toml` crate accepts and TOML 1.0 readers (Hugo's
//! go-toml, Python's `tomllib` before 3.15) reject. Found on `toml_parser`'s events, with
//! the position of each construct, for a rule to report.

use toml_parser::Source;
use toml_parser::parser::{Event, EventKind};

use super::pos::Positions;
use crate::value::Pos;

/// A TOML 1.1 construct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Toml11Construct {
    /// `07:32`, `1979-05-27T07:32Z`: a time without seconds.
    TimeWithoutSeconds,
    /// An inline table spread over several lines (or holding a comment).
    MultiLineInlineTable,
    /// `{ a = 1, }`
    InlineTableTrailingComma,
    /// `\e` in a basic string.
    EscapeE,
    /// `\xHH` in a basic string.
    EscapeX,
}

impl Toml11Construct {
    /// What it is, for a message: "a time without seconds".
    pub fn describe(self) -> &'static str {
        match self {
            Toml11Construct::TimeWithoutSeconds => "a time without seconds",
            Toml11Construct::MultiLineInlineTable => "an inline table over several lines",
            Toml11Construct::InlineTableTrailingComma => "a trailing comma in an inline table",
            Toml11Construct::EscapeE => "the escape `\\e`",
            Toml11Construct::EscapeX => "a `\\xHH` escape",
        }
    }
}

/// One TOML 1.1 construct and where it starts in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Toml11Syntax {
    pub pos: Pos,
    pub construct: Toml11Construct,
}

/// Every TOML 1.1 construct among `events`, in source order.
pub(super) fn find(
    source: Source<'_>,
    events: &[Event],
    positions: &Positions<'_>,
) -> Vec<Toml11Syntax> {
    let text = source.input();
    let mut found: Vec<(usize, Toml11Construct)> = Vec::new();
    // Open arrays and inline tables: for an inline table, its `{` offset and whether its
    // spreading over lines was already recorded.
    let mut open: Vec<Option<(usize, bool)>> = Vec::new();
    let mut prev: Option<(EventKind, usize)> = None;
    for event in events {
        let span = event.span();
        let raw = text.get(span.start()..span.end()).unwrap_or("");
        match event.kind() {
            EventKind::Whitespace => continue,
            EventKind::Newline | EventKind::Comment => {
                if let Some(Some((at, seen))) = open.last_mut()
                    && !*seen
                {
                    *seen = true;
                    found.push((*at, Toml11Construct::MultiLineInlineTable));
                }
                continue;
            }
            EventKind::InlineTableOpen => open.push(Some((span.start(), false))),
            EventKind::ArrayOpen => open.push(None),
            EventKind::ArrayClose => {
                open.pop();
            }
            EventKind::InlineTableClose => {
                open.pop();
                if let Some((EventKind::ValueSep, comma)) = prev {
                    found.push((comma, Toml11Construct::InlineTableTrailingComma));
                }
            }
            EventKind::Scalar | EventKind::SimpleKey if raw.starts_with('"') => {
                escapes(raw, span.start(), &mut found);
            }
            EventKind::Scalar => {
                if let Some(at) = time_without_seconds(raw) {
                    found.push((span.start() + at, Toml11Construct::TimeWithoutSeconds));
                }
            }
            _ => {}
        }
        prev = Some((event.kind(), span.start()));
    }
    found.sort_by_key(|&(at, _)| at);
    found
        .into_iter()
        .map(|(at, construct)| Toml11Syntax {
            pos: positions.at(at),
            construct,
        })
        .collect()
}

/// `\e` and `\xHH` in a basic string's raw text (quotes included) starting at `start`.
fn escapes(raw: &str, start: usize, found: &mut Vec<(usize, Toml11Construct)>) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'e') => found.push((start + i, Toml11Construct::EscapeE)),
            Some(b'x') => found.push((start + i, Toml11Construct::EscapeX)),
            _ => {}
        }
        // The escaped character is never the start of another escape (`\\x` is `\` + `x`).
        i += 2;
    }
}

/// Where a time of day without seconds starts in a bare scalar: `07:32`, or after a date
/// and its `T`, `t` or space.
fn time_without_seconds(raw: &str) -> Option<usize> {
    let b = raw.as_bytes();
    let is_date = b.len() > 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ');
    let at = if is_date { 11 } else { 0 };
    let time = b.get(at..at + 5)?;
    let hh_mm = time[..2].iter().all(u8::is_ascii_digit)
        && time[2] == b':'
        && time[3..].iter().all(u8::is_ascii_digit);
    (hh_mm && b.get(at + 5) != Some(&b':')).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Limits;
    use Toml11Construct::*;

    fn constructs(text: &str) -> Vec<(u32, u32, Toml11Construct)> {
        let parsed = super::super::parse(text, 2, &Limits::default())
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        parsed
            .toml11
            .iter()
            .map(|s| (s.pos.line, s.pos.col, s.construct))
            .collect()
    }

    #[test]
    fn each_construct_at_its_position() {
        assert_eq!(constructs("t = 07:32\n"), [(2, 5, TimeWithoutSeconds)]);
        assert_eq!(
            constructs("a = 1979-05-27T07:32Z\nb = 1979-05-27 07:32\n"),
            [(2, 16, TimeWithoutSeconds), (3, 16, TimeWithoutSeconds)]
        );
        assert_eq!(
            constructs("x = { a = 1, b = 2, }\n"),
            [(2, 19, InlineTableTrailingComma)]
        );
        assert_eq!(
            constructs("x = {\n  a = 1, # c\n  b = 2\n}\n"),
            [(2, 5, MultiLineInlineTable)]
        );
        assert_eq!(
            constructs("s = \"esc \\e and \\x41 but \\\\x not\"\n\"k\\e\" = 1\n"),
            [(2, 10, EscapeE), (2, 17, EscapeX), (3, 3, EscapeE)]
        );
    }

    /// What the detector finds is exactly what a TOML 1.0 reader (Python's `tomllib`)
    /// rejects.
    #[test]
    fn tomllib_rejects_what_is_found_and_only_that() {
        let cases = [
            "t = 07:32\n",
            "a = 1979-05-27T07:32Z\n",
            "x = { a = 1, }\n",
            "x = {\n  a = 1\n}\n",
            "s = \"\\e\"\n",
            "s = \"\\x41\"\n",
            "a = 07:32:00\n",
            "c = { x = [\n  1,\n] }\n",
            "d = '\\e'\n",
            "s = \"\\\\x41\"\n",
        ];
        let texts: Vec<String> = cases.iter().map(|s| s.to_string()).collect();
        let Some(errors) = crate::formats::toml::write::tests::tomllib_errors(&texts) else {
            return;
        };
        for (text, error) in texts.iter().zip(errors) {
            let found = !constructs(text).is_empty();
            assert_eq!(found, error.is_some(), "{text:?}: tomllib says {error:?}");
        }
    }

    #[test]
    fn toml_1_0_has_none() {
        let text = "a = 07:32:00\nb = 1979-05-27T07:32:00+01:00\nc = { x = [\n  1,\n  2,\n] }\n\
                    d = '\\e \\x41'\ne = \"\"\"\\\n  \\u001B\"\"\"\nf = [1, 2,]\n";
        assert_eq!(constructs(text), []);
    }
}
