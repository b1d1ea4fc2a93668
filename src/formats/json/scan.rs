//! The byte-level half of the JSON reader: whitespace, strings, numbers, literals, and the
//! file position of the cursor.
//!
//! Positions are counted as the cursor moves: JSON has line breaks only in whitespace, so
//! the scanner knows the current line, and a column costs only the characters since the last
//! column asked for. Error positions (rare) are computed afresh with a [`LineIndex`].

use crate::document::LineIndex;
use crate::formats::ParseError;
use crate::value::{Float, Int, Pos, Value};

pub(super) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the cursor.
    pub(super) at: usize,
    first_line: u32,
    /// File line of the cursor.
    line: u32,
    /// The last offset a column was computed for (on the current line), and that column.
    col_at: usize,
    col: u32,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str, first_line: u32) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            at: 0,
            first_line,
            line: first_line,
            col_at: 0,
            col: 1,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over `byte` if it is next.
    pub(super) fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    pub(super) fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line = self.line.saturating_add(1);
                    self.col_at = self.at;
                    self.col = 1;
                }
                _ => break,
            }
        }
    }

    /// The file position of `offset`, which is on the cursor's line at or after the last
    /// offset asked for.
    pub(super) fn pos(&mut self, offset: usize) -> Pos {
        if offset < self.col_at {
            return self.error_pos(offset);
        }
        let from = self.col_at;
        self.col += self.bytes[from..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count() as u32;
        self.col_at = offset;
        Pos::new(self.line, self.col)
    }

    fn error_pos(&self, offset: usize) -> Pos {
        LineIndex::new(self.text, self.first_line).pos(offset)
    }

    pub(super) fn error(&self, offset: usize, message: &str) -> ParseError {
        ParseError::Syntax {
            pos: self.error_pos(offset),
            message: message.to_owned(),
        }
    }

    /// A separator is missing after the token that ended at `end` and before the cursor: a
    /// person fixes it where the token ends if the next token is on a later line (or there
    /// is none), else at the next token.
    pub(super) fn missing(&self, end: usize, message: &str) -> ParseError {
        let gap = &self.bytes[end.min(self.at)..self.at];
        let at = if self.at >= self.bytes.len() || gap.contains(&b'\n') {
            end
        } else {
            self.at
        };
        self.error(at, message)
    }

    /// `word` (`true`, `false`, `null`) at the cursor.
    pub(super) fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(self.at, &format!("expected `{word}`")))
        }
    }

    /// A number at the cursor: an integer literal (no fraction, no exponent) becomes an
    /// [`Int`], anything else a [`Float`] that keeps its digits.
    pub(super) fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        let b = self.bytes;
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = start + usize::from(b[start] == b'-');
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i),
            _ => return Err(self.error(i, "invalid number")),
        }
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(self.error(start, "invalid number: leading zero"));
        }
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            integer = false;
            let end = digits(i + 1);
            if end == i + 1 {
                return Err(self.error(end, "invalid number: expected a digit after `.`"));
            }
            i = end;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let end = digits(i);
            if end == i {
                return Err(self.error(end, "invalid number: expected a digit in the exponent"));
            }
            i = end;
        }
        let text = &self.text[start..i];
        let value = if integer {
            match text.parse::<i128>() {
                Ok(value) => Value::Int(Int { value }),
                Err(_) => return Err(self.error(start, &format!("integer `{text}` is too large"))),
            }
        } else {
            match Float::from_decimal_text(text) {
                Some(f) => Value::Float(f),
                None => return Err(self.error(start, &format!("number `{text}` is out of range"))),
            }
        };
        self.at = i;
        Ok(value)
    }

    /// A string at the cursor (its opening `"`). Allocates once; escapes are decoded into
    /// the same buffer.
    pub(super) fn string(&mut self) -> Result<String, ParseError> {
        let open = self.at;
        let b = self.bytes;
        let mut i = open + 1;
        let mut chunk = i;
        let mut decoded: Option<String> = None;
        loop {
            match b.get(i) {
                None => return Err(self.error(open, "unterminated string")),
                Some(b'"') => {
                    let rest = &self.text[chunk..i];
                    self.at = i + 1;
                    return Ok(match decoded {
                        Some(mut s) => {
                            s.push_str(rest);
                            s
                        }
                        None => rest.to_owned(),
                    });
                }
                Some(b'\\') => {
                    let s = decoded.get_or_insert_with(|| String::with_capacity(i - open + 16));
                    s.push_str(&self.text[chunk..i]);
                    i = self.escape(open, i, s)?;
                    chunk = i;
                }
                Some(0x00..=0x1F) => return Err(self.error(i, "control character in string")),
                Some(_) => i += 1,
            }
        }
    }

    /// Decodes the escape whose `\` is at `at` into `out`; returns the offset after it.
    fn escape(&self, open: usize, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let simple = match self.bytes.get(at + 1) {
            None => return Err(self.error(open, "unterminated string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let (c, next) = self.unicode_escape(at)?;
                out.push(c);
                return Ok(next);
            }
            Some(_) => return Err(self.error(at, "invalid escape")),
        };
        out.push(simple);
        Ok(at + 2)
    }

    /// `\uXXXX` at `at`, or a surrogate pair `\uD83D\uDE00`.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize), ParseError> {
        let hi = self
            .hex4(at + 2)
            .ok_or_else(|| self.error(at, "invalid \\u escape"))?;
        let lone = || self.error(at, "lone surrogate in \\u escape");
        let (code, next) = match hi {
            0xD800..=0xDBFF => {
                if !self.bytes[at + 6..].starts_with(b"\\u") {
                    return Err(lone());
                }
                let lo = self
                    .hex4(at + 8)
                    .ok_or_else(|| self.error(at + 6, "invalid \\u escape"))?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(lone());
                }
                (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), at + 12)
            }
            0xDC00..=0xDFFF => return Err(lone()),
            _ => (hi, at + 6),
        };
        char::from_u32(code).map(|c| (c, next)).ok_or_else(lone)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits
            .iter()
            .try_fold(0u32, |acc, &d| Some(acc * 16 + char::from(d).to_digit(16)?))
    }
}
