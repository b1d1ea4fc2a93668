//! Positions between fmx and an editor: fmx counts characters (1-based, a BOM is no column),
//! LSP counts code units of the negotiated encoding (0-based).
//!
//! Lines are split at `\n` as fmx splits them, so a line number means the same to both.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The position encoding agreed with the client at `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that fmx speaks; UTF-16 when it offers none
    /// (the spec's default, and the one every client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// A document's line starts, for converting in both directions.
pub struct LineMap<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap {
            text,
            starts,
            encoding,
        }
    }

    /// The text of 0-based `line`, without its line ending.
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e - 1);
        self.text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&self.text[start..end])
    }

    /// The byte offset where 0-based `line` starts (the text's end past the last line).
    fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = self.text[self.starts[line]..offset]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position::new(line as u32, character)
    }

    /// The byte offset of a position; a column past the line's end is its end.
    pub fn offset(&self, pos: Position) -> usize {
        let start = self.line_start(pos.line as usize);
        let line = self.line(pos.line as usize);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= pos.character {
                return start + i;
            }
            units += self.encoding.units(c);
        }
        start + line.len()
    }

    /// Where fmx's 1-based line and character column stand.
    pub fn fmx_position(&self, line: u32, column: u32) -> Position {
        let index = line.saturating_sub(1) as usize;
        if index >= self.starts.len() {
            return self.position(self.text.len());
        }
        let text = self.line(index);
        // fmx does not count a BOM as a column; the editor's buffer may hold one.
        let skip = usize::from(index == 0 && text.starts_with('\u{feff}'));
        let chars = column.saturating_sub(1) as usize + skip;
        let character = text
            .chars()
            .take(chars)
            .map(|c| self.encoding.units(c))
            .sum();
        Position::new(index as u32, character)
    }

    /// A diagnostic's range: from fmx's position to the end of the word there (a word runs
    /// to whitespace, `:` or `=`), at least one character when the line has one.
    pub fn fmx_range(&self, line: u32, column: u32) -> Range {
        let start = self.fmx_position(line, column);
        let text = self.line(start.line as usize);
        let from = self.offset(start) - self.line_start(start.line as usize);
        let rest = &text[from.min(text.len())..];
        let word = rest
            .char_indices()
            .find(|&(i, c)| i > 0 && (c.is_whitespace() || c == ':' || c == '='))
            .map_or(rest.len(), |(i, _)| i);
        let end_offset = self.line_start(start.line as usize) + from + word;
        Range::new(start, self.position(end_offset))
    }

    /// The range of the whole text.
    pub fn whole(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: \"😀 日本 x\": y\n---\n";

    #[test]
    fn negotiation_takes_the_first_known_and_defaults_to_utf16() {
        let kinds = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF32,
        ];
        assert_eq!(Encoding::negotiate(Some(&kinds)), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF8, PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
    }

    #[test]
    fn a_column_after_emoji_and_cjk_in_each_encoding() {
        // fmx's column 16 is the `:` after the closing quote (1-based characters): 15
        // characters before it, one emoji (4 UTF-8 bytes, 2 UTF-16 units), two CJK (3, 1).
        let line = TEXT.lines().nth(1).unwrap();
        assert_eq!(line.chars().nth(15), Some(':'));
        for (encoding, character) in [
            (Encoding::Utf8, 15 + 3 + 2 * 2),
            (Encoding::Utf16, 15 + 1),
            (Encoding::Utf32, 15),
        ] {
            let map = LineMap::new(TEXT, encoding);
            let pos = map.fmx_position(2, 16);
            assert_eq!(pos, Position::new(1, character), "{encoding:?}");
            assert_eq!(&TEXT[map.offset(pos)..][..1], ":", "{encoding:?}");
            assert_eq!(map.position(map.offset(pos)), pos, "{encoding:?}");
        }
    }

    #[test]
    fn a_bom_is_no_fmx_column_but_is_an_editor_character() {
        let text = "\u{feff}---\ntitle: x\n---\n";
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(map.fmx_position(1, 1), Position::new(0, 1));
        assert_eq!(map.fmx_position(2, 1), Position::new(1, 0));
    }

    #[test]
    fn ranges_cover_the_word_and_stay_on_the_line() {
        let map = LineMap::new(TEXT, Encoding::Utf16);
        assert_eq!(
            map.fmx_range(2, 1),
            Range::new(Position::new(1, 0), Position::new(1, 5))
        );
        let crlf = "---\r\ndate: 12\r\n---\r\n";
        let map = LineMap::new(crlf, Encoding::Utf16);
        assert_eq!(
            map.fmx_range(2, 7),
            Range::new(Position::new(1, 6), Position::new(1, 8))
        );
        assert_eq!(map.line(1), "date: 12");
        // Past the end of the text: an empty range at its end, no panic.
        let end = map.whole().end;
        assert_eq!(map.fmx_range(40, 3), Range::new(end, end));
    }
}
