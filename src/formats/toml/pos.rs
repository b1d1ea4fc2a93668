//! Byte offsets in a TOML block → file positions, fast enough for one call per key and value.
//!
//! Gives the same answers as [`LineIndex`](crate::document::LineIndex), but a column on an
//! all-ASCII line costs nothing and columns on one long non-ASCII line are counted onward
//! from the previous answer, so a megabyte-long inline array is not quadratic.

use std::cell::Cell;

use crate::value::Pos;

pub(super) struct Positions<'a> {
    text: &'a str,
    first_line: u32,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Whether each line is pure ASCII (then column = byte distance + 1).
    ascii: Vec<bool>,
    /// The last non-ASCII answer: (line index, byte offset, column).
    last: Cell<(usize, usize, u32)>,
}

impl<'a> Positions<'a> {
    pub(super) fn new(text: &'a str, first_line: u32) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        for end in memchr::memchr_iter(b'\n', bytes) {
            let start = starts[starts.len() - 1];
            ascii.push(bytes[start..end].is_ascii());
            starts.push(end + 1);
        }
        ascii.push(bytes[starts[starts.len() - 1]..].is_ascii());
        Self {
            text,
            first_line,
            starts,
            ascii,
            last: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// The file position of the character at byte `offset` (clamped to the text; an offset
    /// inside a multi-byte character counts as that character).
    pub(super) fn at(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let line_no = self.first_line.saturating_add(line as u32);
        if self.ascii[line] {
            return Pos::new(line_no, (offset - start) as u32 + 1);
        }
        let (last_line, last_offset, last_col) = self.last.get();
        let (from, col) = if last_line == line && last_offset <= offset {
            (last_offset, last_col)
        } else {
            (start, 1)
        };
        let col = col + count_chars(&self.text.as_bytes()[from..offset]);
        self.last.set((line, offset, col));
        Pos::new(line_no, col)
    }
}

/// Characters that start within `bytes` (UTF-8 continuation bytes do not count).
fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::LineIndex;

    #[test]
    fn agrees_with_line_index_in_any_order() {
        let text = "a = 1\nbé = \"ü\" # ñ\n\nlong = [\"é\", \"ö\", 3]\nx";
        let positions = Positions::new(text, 7);
        let index = LineIndex::new(text, 7);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(positions.at(o), index.pos(o), "offset {o}");
        }
    }
}
