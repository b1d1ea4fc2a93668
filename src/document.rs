//! One post file: where its BOM, front matter block and body are, and its line endings.
//!
//! The splitter works on bytes and may be handed only a prefix of the file (`check` reads no
//! further than the end of the front matter); it then answers [`Split::NeedMore`] until it
//! has seen the closing delimiter or the end of the file. Nothing here parses the block.

use std::ops::Range;

use crate::value::Pos;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    /// The delimiter line text, for formats that have one.
    pub fn delimiter(self) -> Option<&'static str> {
        match self {
            Format::Yaml => Some("---"),
            Format::Toml => Some("+++"),
            Format::Json => None,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    Crlf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::Crlf => "\r\n",
        }
    }
}

/// Where the parts of a post with front matter are, as byte ranges into the file.
///
/// `prefix` (blank lines before the opening delimiter) + `open` line + `content` + `close`
/// line + `body`. For JSON the opening and closing lines are empty ranges and `content` is
/// the object itself, braces included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub format: Format,
    pub bom: bool,
    /// The style of the opening line's ending; a file without any line break is LF.
    pub line_ending: LineEnding,
    /// Blank lines before the opening delimiter (Hugo and Zola accept them).
    pub prefix: Range<usize>,
    /// The opening delimiter line, trailing whitespace included, line ending excluded.
    pub open: Range<usize>,
    /// The block text between the delimiter lines (JSON: the object).
    pub content: Range<usize>,
    /// The closing delimiter line, trailing whitespace included, line ending excluded.
    pub close: Range<usize>,
    /// Everything after the closing line's line ending. Never parsed, never changed.
    pub body: Range<usize>,
    /// File line (1-based) of the opening delimiter, of the first content line, and of the
    /// closing delimiter.
    pub open_line: u32,
    pub content_line: u32,
    pub close_line: u32,
}

impl Layout {
    /// Where to point a diagnostic about the block as a whole (a missing key, say).
    pub fn open_pos(&self) -> Pos {
        Pos::new(self.open_line, 1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Split {
    Found(Layout),
    /// The file does not start with a front matter delimiter.
    NoFrontMatter,
    /// An opening delimiter and no closing one before the end of the file.
    Unclosed {
        format: Format,
        open_line: u32,
    },
    /// The closing delimiter was not within `limit` bytes.
    TooLarge {
        format: Format,
        open_line: u32,
        limit: usize,
    },
    /// Only a prefix was given and the answer lies beyond it.
    NeedMore,
}

/// Splits `bytes` (the whole file if `at_eof`, else a prefix of it) into its parts.
/// `limit` bounds how far past the opening delimiter the closing one is looked for.
pub fn split(bytes: &[u8], at_eof: bool, limit: usize) -> Split {
    let bom = bytes.starts_with(BOM);
    let start = if bom { BOM.len() } else { 0 };
    let mut lines = Lines {
        bytes,
        pos: start,
        number: 0,
    };

    let (open_line, first) = match first_text_line(&mut lines, at_eof) {
        Ok(found) => found,
        Err(split) => return split,
    };
    let prefix = start..first.text.start;
    let line_ending = if first.crlf {
        LineEnding::Crlf
    } else {
        LineEnding::Lf
    };
    let text = &bytes[first.text.clone()];

    let format = if is_delimiter(text, b"---") {
        Format::Yaml
    } else if is_delimiter(text, b"+++") {
        Format::Toml
    } else if text.first() == Some(&b'{') && starts_json_object(&bytes[first.text.start..], limit) {
        return split_json(bytes, at_eof, limit, bom, prefix, open_line, line_ending);
    } else {
        return Split::NoFrontMatter;
    };
    if !first.complete {
        // `---` at the very end of the file, with no line break: an opening with nothing after.
        return if at_eof {
            Split::Unclosed { format, open_line }
        } else {
            Split::NeedMore
        };
    }
    let opening = Opening {
        format,
        bom,
        line_ending,
        prefix,
        first,
        open_line,
    };
    closing(lines, opening, at_eof, limit)
}

/// The first line that is not blank, and its number; what to answer when there is none yet.
fn first_text_line(lines: &mut Lines<'_>, at_eof: bool) -> Result<(u32, Line), Split> {
    loop {
        let Some(line) = lines.next() else {
            return Err(if at_eof {
                Split::NoFrontMatter
            } else {
                Split::NeedMore
            });
        };
        if !line.complete && !at_eof {
            return Err(Split::NeedMore);
        }
        if !is_blank(&lines.bytes[line.text.clone()]) {
            return Ok((lines.number, line));
        }
    }
}

/// A YAML or TOML block's opening line, as [`split`] found it.
struct Opening {
    format: Format,
    bom: bool,
    line_ending: LineEnding,
    prefix: Range<usize>,
    first: Line,
    open_line: u32,
}

/// The rest of a YAML or TOML split after its opening line: the closing line, or why there is
/// none (yet).
fn closing(mut lines: Lines<'_>, opening: Opening, at_eof: bool, limit: usize) -> Split {
    let Opening {
        format,
        bom,
        line_ending,
        prefix,
        first,
        open_line,
    } = opening;
    let bytes = lines.bytes;
    let content_start = first.end;
    while let Some(line) = lines.next() {
        if line.text.start - content_start > limit {
            return Split::TooLarge {
                format,
                open_line,
                limit,
            };
        }
        let t = &bytes[line.text.clone()];
        let closes = match format {
            Format::Yaml => is_delimiter(t, b"---") || is_delimiter(t, b"..."),
            _ => is_delimiter(t, b"+++"),
        };
        // A content line reaching past the limit makes the block too large, closed or not:
        // said as soon as it is seen, so that a reader holding only a bounded prefix (check)
        // does not take one long line for a block that never closes.
        // A line still being read may yet turn out to be the closing line: it is judged when
        // it is whole (the prefix `check` reads must answer as the whole file does).
        let may_close = !line.complete && !at_eof && may_become_delimiter(t, format);
        if !closes && !may_close && line.end - content_start > limit {
            return Split::TooLarge {
                format,
                open_line,
                limit,
            };
        }
        if !line.complete && !at_eof {
            return Split::NeedMore;
        }
        if closes {
            return Split::Found(Layout {
                format,
                bom,
                line_ending,
                prefix,
                open: first.text.clone(),
                content: content_start..line.text.start,
                close: line.text.clone(),
                body: line.end..bytes.len(),
                open_line,
                content_line: open_line + 1,
                close_line: lines.number,
            });
        }
    }
    if at_eof {
        Split::Unclosed { format, open_line }
    } else {
        Split::NeedMore
    }
}

fn split_json(
    bytes: &[u8],
    at_eof: bool,
    limit: usize,
    bom: bool,
    prefix: Range<usize>,
    open_line: u32,
    line_ending: LineEnding,
) -> Split {
    let start = prefix.end;
    let Some(end) = matching_brace(&bytes[start..], limit) else {
        if bytes.len() - start > limit {
            return Split::TooLarge {
                format: Format::Json,
                open_line,
                limit,
            };
        }
        return if at_eof {
            Split::Unclosed {
                format: Format::Json,
                open_line,
            }
        } else {
            Split::NeedMore
        };
    };
    let close_brace = start + end; // index one past `}`
    // The rest of the `}` line belongs to the block when it is only whitespace.
    let rest = &bytes[close_brace..];
    let eol = rest.iter().position(|&b| b == b'\n');
    let body_start = match eol {
        // A CRLF line ending belongs to the `}` line too, as the delimiter formats' do.
        Some(i) if is_blank(rest[..i].strip_suffix(b"\r").unwrap_or(&rest[..i])) => {
            close_brace + i + 1
        }
        // Only a prefix, ending in blanks (and maybe the `\r` of a CRLF): the line may still
        // end here.
        None if is_blank(rest)
            || (!at_eof && is_blank(rest.strip_suffix(b"\r").unwrap_or(rest))) =>
        {
            if !at_eof {
                return Split::NeedMore;
            }
            bytes.len()
        }
        _ => close_brace,
    };
    let close_line = open_line + count_newlines(&bytes[start..close_brace]);
    Split::Found(Layout {
        format: Format::Json,
        bom,
        line_ending,
        prefix,
        open: start..start,
        content: start..close_brace,
        close: close_brace..close_brace,
        body: body_start..bytes.len(),
        open_line,
        content_line: open_line,
        close_line,
    })
}

/// A `{` that opens a JSON object rather than a template tag (`{{`, `{%`): the next
/// non-space byte is `"` or `}`. Only what is available is looked at, and no further than
/// the block size limit (so a prefix of the file and the whole file agree).
fn starts_json_object(bytes: &[u8], limit: usize) -> bool {
    bytes[1..]
        .iter()
        .take(limit)
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|&b| b == b'"' || b == b'}')
}

/// Offset one past the `}` that closes the object opening at `bytes[0]`, skipping strings.
fn matching_brace(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().take(limit.saturating_add(1)) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn count_newlines(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// `---` followed only by spaces or tabs.
fn is_delimiter(line: &[u8], delim: &[u8]) -> bool {
    line.starts_with(delim) && is_blank(&line[delim.len()..])
}

/// Whether the start of a line, read so far, can still grow into a closing line of `format`
/// (a lone CR may be the first half of a CRLF).
fn may_become_delimiter(start: &[u8], format: Format) -> bool {
    let start = start.strip_suffix(b"\r").unwrap_or(start);
    let grows_into = |delim: &[u8]| {
        if start.len() <= delim.len() {
            delim.starts_with(start)
        } else {
            is_delimiter(start, delim)
        }
    };
    match format {
        Format::Yaml => grows_into(b"---") || grows_into(b"..."),
        _ => grows_into(b"+++"),
    }
}

struct Line {
    /// The line without its line ending.
    text: Range<usize>,
    /// Offset just past the line ending.
    end: usize,
    crlf: bool,
    /// Whether a line break ended it (false for the last line of the input).
    complete: bool,
}

struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    number: u32,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..];
        self.number += 1;
        Some(match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let crlf = i > 0 && rest[i - 1] == b'\r';
                self.pos = start + i + 1;
                Line {
                    text: start..start + i - usize::from(crlf),
                    end: self.pos,
                    crlf,
                    complete: true,
                }
            }
            None => {
                self.pos = self.bytes.len();
                Line {
                    text: start..self.bytes.len(),
                    end: self.bytes.len(),
                    crlf: false,
                    complete: false,
                }
            }
        })
    }
}

/// Maps byte offsets within a text to file positions. The text's first byte stands at
/// column 1 of `first_line`.
pub struct LineIndex<'a> {
    text: &'a str,
    first_line: u32,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            text,
            first_line,
            starts,
        }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() as u32 + 1;
        Pos::new(self.first_line + line as u32, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(bytes: &[u8]) -> Layout {
        match split(bytes, true, 1 << 20) {
            Split::Found(l) => l,
            other => panic!("expected a front matter block, got {other:?}"),
        }
    }

    #[test]
    fn yaml_with_trailing_spaces_and_no_final_newline() {
        let src = b"--- \ntitle: x \n--- \nbody";
        let l = found(src);
        assert_eq!(l.format, Format::Yaml);
        assert_eq!(&src[l.content.clone()], b"title: x \n");
        assert_eq!(&src[l.body.clone()], b"body");
        assert_eq!((l.open_line, l.content_line, l.close_line), (1, 2, 3));
    }

    #[test]
    fn bom_crlf_and_blank_lines_before() {
        let src = b"\xEF\xBB\xBF\r\n+++\r\ntitle = 'x'\r\n+++\r\nbody\r\n";
        let l = found(src);
        assert!(l.bom);
        assert_eq!(l.line_ending, LineEnding::Crlf);
        assert_eq!(l.format, Format::Toml);
        assert_eq!(l.open_line, 2);
        assert_eq!(&src[l.content.clone()], b"title = 'x'\r\n");
        assert_eq!(&src[l.body.clone()], b"body\r\n");
    }

    #[test]
    fn yaml_closed_by_dots() {
        let l = found(b"---\na: 1\n...\nrest");
        assert_eq!(l.close_line, 3);
    }

    #[test]
    fn json_object_with_braces_in_strings() {
        let src = b"{\n  \"title\": \"a } b\",\n  \"x\": {\"y\": 1}\n}\n\nbody";
        let l = found(src);
        assert_eq!(l.format, Format::Json);
        assert_eq!(src[l.content.end - 1], b'}');
        assert_eq!(&src[l.body.clone()], b"\nbody");
        assert_eq!(l.close_line, 4);
    }

    #[test]
    fn template_braces_are_not_json() {
        assert_eq!(split(b"{{ partial }}\n", true, 1024), Split::NoFrontMatter);
        assert_eq!(split(b"{% raw %}\n", true, 1024), Split::NoFrontMatter);
    }

    #[test]
    fn unclosed_and_prefix_answers() {
        assert_eq!(
            split(b"---\na: 1\n", true, 1024),
            Split::Unclosed {
                format: Format::Yaml,
                open_line: 1
            }
        );
        assert_eq!(split(b"---\na: 1\n", false, 1024), Split::NeedMore);
        assert_eq!(
            split(b"---", true, 1024),
            Split::Unclosed {
                format: Format::Yaml,
                open_line: 1
            }
        );
        assert_eq!(split(b"", true, 1024), Split::NoFrontMatter);
        assert_eq!(split(b"# Title\n---\n", true, 1024), Split::NoFrontMatter);
    }

    #[test]
    fn too_large() {
        let mut src = b"---\n".to_vec();
        src.extend(std::iter::repeat_n(b"a: 1\n".as_slice(), 100).flatten());
        src.extend(b"---\n");
        assert!(matches!(split(&src, true, 64), Split::TooLarge { .. }));
    }

    /// One line longer than the limit in a closed block: too large, whether the splitter
    /// has the whole file or only a prefix that ends inside the long line.
    #[test]
    fn one_long_line_is_too_large_not_unclosed() {
        let mut src = b"---
x: "
        .to_vec();
        src.extend([b'a'; 100]);
        src.extend(b"\n---\nBody\n");
        let too_large = |s: &Split| matches!(s, Split::TooLarge { limit: 64, .. });
        assert!(too_large(&split(&src, true, 64)));
        assert!(too_large(&split(&src[..80], true, 64)));
        assert!(too_large(&split(&src[..80], false, 64)));
        // A closing line read only in part is not yet a long line (found by the fuzzer: a
        // 39-byte block under a 40-byte limit, the prefix cut inside its closing `---`).
        let closed = b"---\nlayout: index\nlang: de\npermalink: /de/\n---\n";
        assert!(matches!(split(closed, true, 40), Split::Found(_)));
        for cut in 0..closed.len() {
            let partial = split(&closed[..cut], false, 40);
            assert!(matches!(partial, Split::NeedMore), "{cut}: {partial:?}");
        }
        // Exactly at the limit is fine: the block is the line and its line break.
        let exact = b"---\nx: 12345\n---\n";
        assert!(matches!(split(exact, true, 9), Split::Found(_)));
        assert!(matches!(split(exact, true, 8), Split::TooLarge { .. }));
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("a: é\nbé: x", 5);
        assert_eq!(idx.pos(0), Pos::new(5, 1));
        assert_eq!(idx.pos(9), Pos::new(6, 3));
    }
}
