//! The new front matter text for an edited table, touching only the entries that changed:
//! every other top-level entry keeps its bytes, with its comments and the blank lines after
//! it. A changed entry is written afresh by the format's emitter, comments included.
//!
//! The block is cut into segments at the top-level keys' lines: a key's segment runs from the
//! comment lines right above it to the last line of its value; what follows up to the next
//! segment (blank lines, loose comments) is its gap, and stays. When the keys do not each
//! start their own line (a flow mapping, one-line JSON) there are no segments, and the
//! caller re-emits the whole block instead.

use crate::document::{Format, LineEnding};
use crate::formats::{self, EmitError};
use crate::load::Post;
use crate::value::{Entry, Int, Node, Pos, Table, Value};

/// One top-level entry's lines in the original block.
struct Segment {
    /// The comment lines above the key, the key line and the value's lines.
    text: std::ops::Range<usize>,
    /// Blank and comment lines after it, up to the next segment.
    gap: std::ops::Range<usize>,
}

/// The original block cut at its top-level keys.
struct Cut<'a> {
    block: &'a str,
    prefix: std::ops::Range<usize>,
    segments: Vec<Segment>,
    suffix: std::ops::Range<usize>,
}

/// How the new block came out.
pub struct Surgical {
    /// The text between the delimiters (JSON: the object).
    pub block: String,
    /// Top-level keys whose table value was written afresh though only part of it changed.
    pub reformatted: Vec<String>,
    /// Comment lines below a removed key's value (its gap), with the key: they go with it.
    pub dropped: Vec<(String, String)>,
}

/// The block for `intended`, reusing the original lines of `post` (from `bytes`) wherever
/// an entry is unchanged. `renamed` maps new top-level keys to the keys they had. `None`
/// when the block cannot be cut into per-key lines.
pub fn rewrite(
    bytes: &[u8],
    post: &Post,
    intended: &Table,
    renamed: &[(String, String)],
) -> Option<Result<Surgical, EmitError>> {
    let block = std::str::from_utf8(&bytes[post.layout.content.clone()]).ok()?;
    let cut = cut(block, post)?;
    Some(assemble(&cut, post, intended, renamed))
}

fn line_starts(block: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(block.match_indices('\n').map(|(i, _)| i + 1));
    if *starts.last().unwrap_or(&0) == block.len() && starts.len() > 1 {
        starts.pop();
    }
    starts
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn cut<'a>(block: &'a str, post: &Post) -> Option<Cut<'a>> {
    let format = post.layout.format;
    let starts = line_starts(block);
    let line = |i: usize| {
        let end = starts.get(i + 1).copied().unwrap_or(block.len());
        &block[starts[i]..end]
    };
    let mut region_end = starts.len();
    if format == Format::Json {
        // The object's braces stand alone on the first and last lines.
        if line(0).trim() != "{" || starts.len() < 2 || line(starts.len() - 1).trim() != "}" {
            return None;
        }
        region_end -= 1;
    }
    let first_line = post.layout.content_line;
    let mut keys = Vec::with_capacity(post.table.len());
    for (key, entry) in post.table.iter() {
        let index = entry.key_pos.line.checked_sub(first_line)? as usize;
        if index >= region_end || keys.last().is_some_and(|&k| k >= index) {
            return None;
        }
        if !key_starts_line(line(index), entry.key_pos.col, format, key) {
            return None;
        }
        keys.push(index);
    }
    let heads = heads(&keys, format, &line);
    let mut segments = Vec::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        let next = heads.get(i + 1).copied().unwrap_or(region_end);
        let mut end = next;
        while end > k + 1 && (is_blank(line(end - 1)) || is_comment(line(end - 1))) {
            end -= 1;
        }
        segments.push(Segment {
            text: offset(&starts, block, heads[i])..offset(&starts, block, end),
            gap: offset(&starts, block, end)..offset(&starts, block, next),
        });
    }
    let body_start = heads.first().copied().unwrap_or(region_end);
    Some(Cut {
        block,
        prefix: 0..offset(&starts, block, body_start),
        segments,
        suffix: offset(&starts, block, region_end)..block.len(),
    })
}

/// Where each key's segment starts: the comment lines right above it, at its indentation.
fn heads<'a>(keys: &[usize], format: Format, line: &dyn Fn(usize) -> &'a str) -> Vec<usize> {
    let floor = usize::from(format == Format::Json);
    let mut heads = Vec::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        let above = if i == 0 { floor } else { keys[i - 1] + 1 };
        let mut h = k;
        let indent = indent_of(line(k));
        while h > above
            && format != Format::Json
            && is_comment(line(h - 1))
            && indent_of(line(h - 1)) == indent
        {
            h -= 1;
        }
        heads.push(h);
    }
    heads
}

fn offset(starts: &[usize], block: &str, line: usize) -> usize {
    starts.get(line).copied().unwrap_or(block.len())
}

/// Whether the key at column `col` is the first thing on its line (after indentation, and
/// after `[` for a TOML table header), so the line belongs to that key alone.
fn key_starts_line(line: &str, col: u32, format: Format, key: &str) -> bool {
    let before: String = line.chars().take(col.saturating_sub(1) as usize).collect();
    let lead = before.trim_start();
    let ok_lead = lead.is_empty() || (format == Format::Toml && (lead == "[" || lead == "[["));
    // A TOML dotted key (`a.b = 1`) spreads one table over lines that need not be together.
    let dotted = format == Format::Toml && lead.is_empty() && !line.contains('[') && {
        let rest: String = line.chars().skip(col.saturating_sub(1) as usize).collect();
        rest.split('=')
            .next()
            .is_some_and(|k| k.trim() != key && k.contains('.'))
    };
    ok_lead && !dotted
}

fn assemble(
    cut: &Cut<'_>,
    post: &Post,
    intended: &Table,
    renamed: &[(String, String)],
) -> Result<Surgical, EmitError> {
    let format = post.layout.format;
    let mut pieces: Vec<(String, String, bool)> = Vec::new();
    let mut reformatted = Vec::new();
    for (key, entry) in intended.iter() {
        let was = renamed
            .iter()
            .find(|(new, _)| new == key)
            .map_or(key.as_str(), |(_, old)| old.as_str());
        let (text, gap, whole) = piece(cut, post, key, was, entry)?;
        // A `[table]` set off by a blank line (or a new one) keeps that blank line above it
        // when the entry it followed is gone.
        let set_off = match post.table.entries.get_index_of(was) {
            Some(i) => blank_before(cut.block, cut.segments[i].text.start),
            None => true,
        };
        if whole {
            reformatted.push(key.clone());
        }
        pieces.push((text, gap, set_off));
    }
    if format == Format::Toml {
        // Plain keys first: after a `[table]` header a key would belong to that table.
        pieces.sort_by_key(|(text, ..)| is_header(text));
    }
    let mut block = cut.block[cut.prefix.clone()].to_string();
    let count = pieces.len();
    let eol = match post.layout.line_ending {
        LineEnding::Lf => "\n",
        LineEnding::Crlf => "\r\n",
    };
    for (i, (text, gap, set_off)) in pieces.into_iter().enumerate() {
        let after_blank = block.is_empty() || block.ends_with("\n\n") || block.ends_with("\n\r\n");
        if format == Format::Toml && set_off && is_header(&text) && !after_blank {
            block.push_str(eol);
        }
        if format == Format::Json {
            block.push_str(&json_comma(&text, i + 1 < count));
        } else {
            block.push_str(&text);
        }
        block.push_str(&gap);
    }
    block.push_str(&cut.block[cut.suffix.clone()]);
    Ok(Surgical {
        block,
        reformatted,
        dropped: dropped_comments(cut, post, intended, renamed),
    })
}

/// The text and gap of `key` (which the original calls `was`), and whether a table value
/// that only partly changed was re-emitted whole.
fn piece(
    cut: &Cut<'_>,
    post: &Post,
    key: &str,
    was: &str,
    entry: &Entry,
) -> Result<(String, String, bool), EmitError> {
    let format = post.layout.format;
    let old = post.table.entries.get_full(was);
    let gap = |i: usize| cut.block[cut.segments[i].gap.clone()].to_string();
    match old {
        Some((i, _, o)) if o.node.same_value(&entry.node) && o.comments == entry.comments => {
            let text = &cut.block[cut.segments[i].text.clone()];
            let text = if was == key {
                Some(text.to_string())
            } else {
                rekey(text, o, post, was, key)?
            };
            Ok(match text {
                Some(t) => (t, gap(i), false),
                None => (fresh(format, key, entry, post)?, gap(i), false),
            })
        }
        Some((i, _, o)) => {
            let whole = matches!(
                (&o.node.value, &entry.node.value),
                (Value::Table(_), Value::Table(_))
            );
            Ok((fresh(format, key, entry, post)?, gap(i), whole))
        }
        None => Ok((fresh(format, key, entry, post)?, String::new(), false)),
    }
}

/// The comment lines in the gaps of the original keys that are gone.
fn dropped_comments(
    cut: &Cut<'_>,
    post: &Post,
    intended: &Table,
    renamed: &[(String, String)],
) -> Vec<(String, String)> {
    let mut dropped = Vec::new();
    for (i, key) in post.table.entries.keys().enumerate() {
        let renamed_away = renamed.iter().any(|(_, old)| old == key);
        if renamed_away || intended.entries.contains_key(key) {
            continue;
        }
        let gap = &cut.block[cut.segments[i].gap.clone()];
        for line in gap.lines().filter(|l| is_comment(l)) {
            let text = line
                .trim_start()
                .trim_start_matches('#')
                .trim_end_matches('\r');
            dropped.push((key.clone(), text.to_string()));
        }
    }
    dropped
}

fn blank_before(block: &str, at: usize) -> bool {
    let before = &block[..at];
    before.ends_with("\n\n") || before.ends_with("\n\r\n")
}

fn is_header(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('['))
}

/// The JSON member with exactly one comma after it when another follows.
fn json_comma(text: &str, more: bool) -> String {
    let (body, eol) = match text.strip_suffix("\r\n") {
        Some(b) => (b, "\r\n"),
        None => (text.strip_suffix('\n').unwrap_or(text), "\n"),
    };
    let body = body.trim_end().strip_suffix(',').unwrap_or(body.trim_end());
    format!("{body}{}{eol}", if more { "," } else { "" })
}

/// The segment `text` of key `old` with the key written as `new`, or `None` when the key is
/// not written plainly at its position.
fn rekey(
    text: &str,
    entry: &Entry,
    post: &Post,
    old: &str,
    new: &str,
) -> Result<Option<String>, EmitError> {
    let format = post.layout.format;
    // The segment's first line is the first comment above the key.
    let comments_above = text
        .lines()
        .take_while(|l| is_comment(l) && format != Format::Json)
        .count();
    let skip = text
        .split_inclusive('\n')
        .take(comments_above)
        .map(str::len)
        .sum::<usize>();
    let key_line_start = skip;
    let col = entry.key_pos.col.saturating_sub(1) as usize;
    let at = key_line_start
        + text[key_line_start..]
            .char_indices()
            .nth(col)
            .map_or(0, |(i, _)| i);
    let rest = &text[at..];
    let token = [format!("\"{old}\""), format!("'{old}'"), old.to_string()]
        .into_iter()
        .find(|t| {
            rest.strip_prefix(t.as_str()).is_some_and(|after| {
                let after = after.trim_start_matches([' ', '\t']);
                match format {
                    Format::Yaml | Format::Json => after.starts_with(':'),
                    Format::Toml => after.starts_with('=') || after.starts_with(']'),
                }
            })
        });
    let Some(token) = token else {
        return Ok(None);
    };
    let written = key_text(format, new)?;
    Ok(Some(format!(
        "{}{written}{}",
        &text[..at],
        &text[at + token.len()..]
    )))
}

/// A key as the format's emitter writes it (`title`, `"a b"`, `'x'`).
fn key_text(format: Format, key: &str) -> Result<String, EmitError> {
    let mut one = Table::default();
    let zero = Node::new(Value::Int(Int { value: 0 }), Pos::default());
    one.entries
        .insert(key.to_string(), Entry::new(Pos::default(), zero));
    let text = formats::emit(format, &one)?.text;
    let line = text.lines().find(|l| l.contains('0')).unwrap_or_default();
    let line = line.trim();
    let key = match format {
        Format::Yaml | Format::Json => line.strip_suffix(": 0").or(line.strip_suffix(":0")),
        Format::Toml => line.strip_suffix(" = 0"),
    };
    Ok(key.unwrap_or(line).to_string())
}

/// `key` and its entry written afresh, comments included, in the file's line endings.
fn fresh(format: Format, key: &str, entry: &Entry, post: &Post) -> Result<String, EmitError> {
    let mut one = Table::default();
    one.entries.insert(key.to_string(), entry.clone());
    let text = emit(format, &one, post.layout.line_ending)?;
    let text = match format {
        Format::Json => json_member(&text, post),
        // A YAML root mapping may be indented (`  slug: x`): new entries line up with it.
        Format::Yaml => match first_indent(post) {
            0 => text,
            n => text
                .split_inclusive('\n')
                .map(|l| format!("{}{l}", " ".repeat(n)))
                .collect(),
        },
        Format::Toml => text,
    };
    Ok(match post.layout.line_ending {
        LineEnding::Lf => text,
        LineEnding::Crlf => text.replace('\n', "\r\n"),
    })
}

/// In a CRLF file a TOML multi-line string's raw line breaks would become part of its value
/// (readers differ on folding them), so such strings are written on one line there.
pub fn emit(format: Format, table: &Table, eol: LineEnding) -> Result<String, EmitError> {
    let emitted = match (format, eol) {
        (Format::Toml, LineEnding::Crlf) => formats::toml::write::emit_with(
            table,
            formats::toml::write::Options {
                multiline_strings: false,
            },
        )?,
        _ => formats::emit(format, table)?,
    };
    Ok(emitted.text)
}

/// The column (0-based) of the first top-level key.
fn first_indent(post: &Post) -> usize {
    post.table
        .iter()
        .next()
        .map_or(0, |(_, e)| e.key_pos.col.saturating_sub(1) as usize)
}

/// The member lines of a one-member JSON object, indented as the file's first member is.
fn json_member(object: &str, post: &Post) -> String {
    let indent = match first_indent(post) {
        0 => 2,
        n => n,
    };
    let lines: Vec<&str> = object.lines().collect();
    let inner = &lines[1..lines.len().saturating_sub(1)];
    let mut out = String::new();
    for line in inner {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        // The emitter indents two spaces a level; the file's first level sets the unit.
        let level = spaces / 2;
        out.push_str(&" ".repeat(level * indent.max(1)));
        out.push_str(line.trim_start_matches(' '));
        out.push('\n');
    }
    out
}
