//! The new front matter text for an edited table, touching only the entries that changed:
//! every other entry keeps its bytes, with its comments and the blank lines after it. A
//! changed entry whose value is a table laid out one key a line (a YAML block mapping, a TOML
//! `[table]` or dotted keys, a pretty JSON object) is edited the same way inside, so only its
//! changed entries are written afresh, at any depth; any other changed entry (a flow mapping,
//! an inline table, a one-line JSON object, a scalar) is written afresh whole by the format's
//! emitter, comments included.
//!
//! A table's lines are cut into segments at its keys' lines: a key's segment runs from the
//! comment lines right above it to the last line of its value; what follows up to the next
//! segment (blank lines, loose comments) is its gap, and stays. When the root's keys do not
//! each start their own line (a flow mapping, one-line JSON) there are no segments, and the
//! caller re-emits the whole block instead.

use std::ops::Range;

use super::fresh::{self, Level, TomlPlace, is_header};
use crate::document::{Format, LineEnding};
use crate::formats::EmitError;
use crate::load::Post;
use crate::value::{Entry, Node, Style, Table, Value};

/// A key renamed in place: its path in the edited value, and its path in the original.
pub type Renamed = (Vec<String>, Vec<String>);

/// The original block's lines.
struct Lines<'a> {
    block: &'a str,
    starts: Vec<usize>,
    /// The file line of the block's first line.
    first: u32,
}

impl<'a> Lines<'a> {
    fn new(block: &'a str, first: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(block.match_indices('\n').map(|(i, _)| i + 1));
        if *starts.last().unwrap_or(&0) == block.len() && starts.len() > 1 {
            starts.pop();
        }
        Lines {
            block,
            starts,
            first,
        }
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    fn line(&self, i: usize) -> &'a str {
        &self.block[self.at(i)..self.at(i + 1)]
    }

    /// The byte offset where line `i` starts (the block's end past the last line).
    fn at(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.block.len())
    }

    fn text(&self, lines: Range<usize>) -> &'a str {
        &self.block[self.at(lines.start)..self.at(lines.end)]
    }

    /// The index of a file line in the block.
    fn index(&self, file_line: u32) -> Option<usize> {
        let i = file_line.checked_sub(self.first)? as usize;
        (i < self.len()).then_some(i)
    }
}

/// One entry's lines in the original block (line indices).
#[derive(Clone)]
struct Segment {
    /// The first comment line above the key (or the key line).
    head: usize,
    /// The line after the value's last line.
    end: usize,
    /// The next segment's head: `end..next` is the gap.
    next: usize,
}

/// A table's lines cut at its keys: `prefix` before the first segment, `suffix` after the
/// last one's gap (JSON: the closing brace).
struct Cut {
    prefix: Range<usize>,
    segments: Vec<Segment>,
    suffix: Range<usize>,
}

/// How the new block came out.
pub struct Surgical {
    /// The text between the delimiters (JSON: the object).
    pub block: String,
    /// Entries (as paths) whose table value was written afresh though only part of it
    /// changed: the smallest entries that could not be edited line by line.
    pub reformatted: Vec<String>,
    /// Comment lines below a removed key's value (its gap), with the key: they go with it.
    pub dropped: Vec<(String, String)>,
}

struct Ctx<'a> {
    lines: Lines<'a>,
    /// The original and edited front matter, and the original's top-level segments: a key
    /// moved from the top level into a table (`tags=taxonomies.tags`) keeps its lines.
    old_root: &'a Table,
    new_root: &'a Table,
    root_segments: Vec<Segment>,
    root_indent: usize,
    format: Format,
    eol: LineEnding,
    renamed: &'a [Renamed],
    /// Whether changed tables are edited inside (else written afresh whole).
    deep: bool,
    json_unit: usize,
    reformatted: Vec<String>,
    dropped: Vec<(String, String)>,
}

/// The block for `intended`, reusing the original lines of `post` (from `bytes`) wherever
/// an entry is unchanged; with `deep`, inside changed tables too. `None` when the block
/// cannot be cut into per-key lines.
pub fn rewrite(
    bytes: &[u8],
    post: &Post,
    intended: &Table,
    renamed: &[Renamed],
    deep: bool,
) -> Option<Result<Surgical, EmitError>> {
    let block = std::str::from_utf8(&bytes[post.layout.content.clone()]).ok()?;
    let lines = Lines::new(block, post.layout.content_line);
    let format = post.layout.format;
    let cut = cut_root(&lines, format, &post.table)?;
    let first_indent = post
        .table
        .iter()
        .next()
        .map_or(0, |(_, e)| e.key_pos.col.saturating_sub(1) as usize);
    let json_unit = if first_indent == 0 { 2 } else { first_indent };
    let root = Level {
        path: Vec::new(),
        indent: " ".repeat(match format {
            Format::Yaml => first_indent,
            Format::Json => json_unit,
            Format::Toml => 0,
        }),
        toml: TomlPlace::Root,
    };
    let mut ctx = Ctx {
        lines,
        old_root: &post.table,
        new_root: intended,
        root_segments: cut.segments.clone(),
        root_indent: root.indent.len(),
        format,
        eol: post.layout.line_ending,
        renamed,
        deep,
        json_unit,
        reformatted: Vec::new(),
        dropped: Vec::new(),
    };
    Some(
        assemble(&mut ctx, &cut, &post.table, intended, &root).map(|block| Surgical {
            // The root can always be written: every place admits its own entries.
            block: block.unwrap_or_default(),
            reformatted: ctx.reformatted,
            dropped: ctx.dropped,
        }),
    )
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn cut_root(lines: &Lines<'_>, format: Format, table: &Table) -> Option<Cut> {
    let n = lines.len();
    if format == Format::Json {
        // The object's braces stand alone on the first and last lines.
        if lines.line(0).trim() != "{" || n < 2 || lines.line(n - 1).trim() != "}" {
            return None;
        }
        return cut_keys(lines, format, table, 0..n - 1, 1, n);
    }
    cut_keys(lines, format, table, 0..n, 0, n)
}

/// Cuts the lines `region` at the keys of `table`, each of which must start its own line at
/// or after `floor`; the suffix runs from the region's end to `end`.
fn cut_keys(
    lines: &Lines<'_>,
    format: Format,
    table: &Table,
    region: Range<usize>,
    floor: usize,
    end: usize,
) -> Option<Cut> {
    let mut keys = Vec::with_capacity(table.len());
    for entry in table.entries.values() {
        let i = lines.index(entry.key_pos.line)?;
        if i < floor || i >= region.end || keys.last().is_some_and(|&k| k >= i) {
            return None;
        }
        if !key_starts_line(lines.line(i), entry.key_pos.col, format) {
            return None;
        }
        keys.push(i);
    }
    let heads = heads(&keys, format, floor, lines);
    let mut segments = Vec::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        let next = heads.get(i + 1).copied().unwrap_or(region.end);
        let mut end = next;
        while end > k + 1 && (is_blank(lines.line(end - 1)) || is_comment(lines.line(end - 1))) {
            end -= 1;
        }
        segments.push(Segment {
            head: heads[i],
            end,
            next,
        });
    }
    Some(Cut {
        prefix: region.start..heads.first().copied().unwrap_or(region.end),
        segments,
        suffix: region.end..end,
    })
}

/// Where each key's segment starts: the comment lines right above it, at its indentation.
fn heads(keys: &[usize], format: Format, floor: usize, lines: &Lines<'_>) -> Vec<usize> {
    let mut heads = Vec::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        let above = if i == 0 { floor } else { keys[i - 1] + 1 };
        let mut h = k;
        let indent = indent_of(lines.line(k));
        while h > above
            && format != Format::Json
            && is_comment(lines.line(h - 1))
            && indent_of(lines.line(h - 1)) == indent
        {
            h -= 1;
        }
        heads.push(h);
    }
    heads
}

/// Whether the key at column `col` starts its line, so the line belongs to that key alone:
/// after indentation only, or in TOML after `[` of a header and after the dotted prefix of
/// its table (`[params.sub]`, `params.author = …`).
fn key_starts_line(line: &str, col: u32, format: Format) -> bool {
    let before: String = line.chars().take(col.saturating_sub(1) as usize).collect();
    let lead = before.trim();
    if lead.is_empty() {
        return true;
    }
    format == Format::Toml && {
        let rest = lead.trim_start_matches('[');
        (rest.is_empty() && lead.len() <= 2) || rest.trim_end().ends_with('.')
    }
}

/// The text of a table (`new`) at `level`, from the original `old` cut as `cut`; `None`
/// when an entry cannot be written afresh at that level.
fn assemble(
    ctx: &mut Ctx<'_>,
    cut: &Cut,
    old: &Table,
    new: &Table,
    level: &Level,
) -> Result<Option<String>, EmitError> {
    let mut pieces: Vec<Piece> = Vec::with_capacity(new.len());
    for (key, entry) in new.iter() {
        match piece(ctx, cut, old, level, key, entry)? {
            Some(p) => pieces.push(p),
            None => return Ok(None),
        }
    }
    if ctx.format == Format::Toml {
        // Plain keys first: after a `[table]` header a key would belong to that table.
        pieces.sort_by_key(|p| is_header(&p.text));
    }
    // A new entry goes above the blank lines that set off what follows it.
    for i in 1..pieces.len() {
        if pieces[i].new && pieces[i].gap.is_empty() && is_blank(&pieces[i - 1].gap) {
            pieces[i].gap = std::mem::take(&mut pieces[i - 1].gap);
        }
    }
    let mut block = ctx.lines.text(cut.prefix.clone()).to_string();
    let eol = match ctx.eol {
        LineEnding::Lf => "\n",
        LineEnding::Crlf => "\r\n",
    };
    let count = pieces.len();
    for (i, p) in pieces.into_iter().enumerate() {
        let after_blank = block.is_empty() || block.ends_with("\n\n") || block.ends_with("\n\r\n");
        if ctx.format == Format::Toml && p.set_off && is_header(&p.text) && !after_blank {
            block.push_str(eol);
        }
        if ctx.format == Format::Json {
            block.push_str(&json_comma(&p.text, i + 1 < count));
        } else {
            block.push_str(&p.text);
        }
        block.push_str(&p.gap);
    }
    block.push_str(ctx.lines.text(cut.suffix.clone()));
    dropped_comments(ctx, cut, old, new, level);
    Ok(Some(block))
}

/// One entry's new text and the gap after it.
struct Piece {
    text: String,
    gap: String,
    /// A `[table]` set off by a blank line (or a new one) keeps that blank line above it
    /// when the entry it followed is gone.
    set_off: bool,
    /// Not in the original table.
    new: bool,
}

fn piece(
    ctx: &mut Ctx<'_>,
    cut: &Cut,
    old: &Table,
    level: &Level,
    key: &str,
    entry: &Entry,
) -> Result<Option<Piece>, EmitError> {
    let was = ctx.was(&level.path, key).unwrap_or(key).to_string();
    let Some((i, _, o)) = old.entries.get_full(&was) else {
        let text = match moved_here(ctx, level, key, entry) {
            Some(text) => Some(text),
            None => fresh::entry(ctx.format, level, key, entry, ctx.eol, ctx.json_unit)?,
        };
        return Ok(text.map(|text| Piece {
            text,
            gap: String::new(),
            set_off: true,
            new: true,
        }));
    };
    let seg = cut.segments[i].clone();
    let mut text = None;
    if o.node.same_value(&entry.node) && o.comments == entry.comments {
        let original = ctx.lines.text(seg.head..seg.end);
        text = if was == key {
            Some(original.to_string())
        } else {
            rekey(original, o, ctx.format, &was, key)?
        };
    } else if ctx.deep {
        text = nested(ctx, &seg, o, entry, level, key, &was)?;
    }
    let text = match text {
        Some(t) => t,
        None => {
            let both_tables = matches!(
                (&o.node.value, &entry.node.value),
                (Value::Table(_), Value::Table(_))
            );
            if both_tables {
                ctx.reformatted.push(level.shown(key));
            }
            match fresh::entry(ctx.format, level, key, entry, ctx.eol, ctx.json_unit)? {
                Some(t) => t,
                None => return Ok(None),
            }
        }
    };
    let blank_above = seg.head > 0 && is_blank(ctx.lines.line(seg.head - 1));
    // An inline table written afresh becomes a `[table]`: set off like the others.
    let set_off = blank_above || !is_header(ctx.lines.text(seg.head..seg.end));
    Ok(Some(Piece {
        text,
        gap: ctx.lines.text(seg.end..seg.next).to_string(),
        set_off,
        new: false,
    }))
}

/// The original lines of a top-level entry moved, unchanged and under the same key, into
/// the table at `level`, indented for it; `None` when they cannot be reused there.
fn moved_here(ctx: &Ctx<'_>, level: &Level, key: &str, entry: &Entry) -> Option<String> {
    if level.path.is_empty() || ctx.new_root.entries.contains_key(key) {
        return None;
    }
    let (i, _, o) = ctx.old_root.entries.get_full(key)?;
    if !o.node.same_value(&entry.node) || o.comments != entry.comments {
        return None;
    }
    let seg = &ctx.root_segments[i];
    let text = ctx.lines.text(seg.head..seg.end);
    let deeper = |extra: usize| -> String {
        let pad = " ".repeat(extra);
        text.split_inclusive('\n')
            .map(|l| match l.trim_end_matches(['\r', '\n']).is_empty() {
                true => l.to_string(),
                false => format!("{pad}{l}"),
            })
            .collect()
    };
    match (ctx.format, &level.toml) {
        // Block collections and scalars stay valid when every line moves right alike.
        (Format::Yaml | Format::Json, _) => {
            let extra = level.indent.len().checked_sub(ctx.root_indent)?;
            (level.indent.trim().is_empty()).then(|| deeper(extra))
        }
        (Format::Toml, _) if is_header(text) => None,
        (Format::Toml, TomlPlace::Header { explicit: true }) => {
            Some(fresh::prefixed(text, &level.indent))
        }
        (Format::Toml, TomlPlace::Dotted(lead)) => Some(fresh::prefixed(text, lead)),
        (Format::Toml, _) => None,
    }
}

impl Ctx<'_> {
    /// The original key of the entry `key` of the table at `path`, when renamed in place.
    fn was<'r>(&'r self, path: &[String], key: &str) -> Option<&'r str> {
        self.renamed.iter().find_map(|(new, old)| {
            let (last, parent) = new.split_last()?;
            (parent == path && last == key)
                .then(|| old.last().map(String::as_str))
                .flatten()
        })
    }
}

/// A changed table laid out one key a line, edited inside: its own lines kept, its entries
/// reused or written afresh. `None` when it is not laid out so (the caller writes it whole).
fn nested(
    ctx: &mut Ctx<'_>,
    seg: &Segment,
    old: &Entry,
    new: &Entry,
    level: &Level,
    key: &str,
    was: &str,
) -> Result<Option<String>, EmitError> {
    let (Value::Table(old_table), Value::Table(new_table)) = (&old.node.value, &new.node.value)
    else {
        return Ok(None);
    };
    if old.comments != new.comments || new_table.is_empty() {
        return Ok(None);
    }
    let Some((cut, inner)) = cut_nested(ctx, seg, old, level, key) else {
        return Ok(None);
    };
    // The entries written so far at this depth stay if the table is written whole after all.
    let (reformatted, dropped) = (ctx.reformatted.len(), ctx.dropped.len());
    let Some(text) = assemble(ctx, &cut, old_table, new_table, &inner)? else {
        ctx.reformatted.truncate(reformatted);
        ctx.dropped.truncate(dropped);
        return Ok(None);
    };
    if was == key {
        return Ok(Some(text));
    }
    rekey(&text, old, ctx.format, was, key)
}

/// The cut of a table entry's own lines, and the level its entries are written at.
fn cut_nested(
    ctx: &Ctx<'_>,
    seg: &Segment,
    old: &Entry,
    level: &Level,
    key: &str,
) -> Option<(Cut, Level)> {
    let Value::Table(table) = &old.node.value else {
        return None;
    };
    let lines = &ctx.lines;
    if old.node.style == Style::Flow && ctx.format != Format::Json {
        return None;
    }
    let key_line = lines.index(old.key_pos.line)?;
    let first = table.iter().next();
    let first_line = first.and_then(|(_, e)| lines.index(e.key_pos.line));
    // TOML: `params.author = …` and `[params.sub]` name the table on its first entry's line.
    let same_line = ctx.format == Format::Toml && first_line == Some(key_line);
    // The TOML reader gives the comments above such a line to its last key: the first entry.
    let floor = if same_line { seg.head } else { key_line + 1 };
    let (region_end, end) = if ctx.format == Format::Json {
        let closing = seg.end.checked_sub(1)?;
        let opens = lines.line(key_line).trim_end().ends_with('{');
        let closes = lines.line(closing).trim_start().starts_with('}');
        if !opens || !closes || closing <= key_line {
            return None;
        }
        (closing, seg.end)
    } else {
        (seg.end, seg.end)
    };
    let cut = cut_keys(lines, ctx.format, table, seg.head..region_end, floor, end)?;
    for (s, (_, e)) in cut.segments.iter().zip(table.iter()) {
        let lo = ctx.lines.first + s.head as u32;
        let hi = ctx.lines.first + s.end as u32;
        if !within(&e.node, lo..hi) {
            return None;
        }
    }
    let mut path = level.path.clone();
    path.push(key.to_string());
    let indent = child_indent(ctx, old, &cut, key_line, level);
    let key_text = lines.line(key_line).trim_start();
    let toml = if !key_text.starts_with('[') && same_line {
        let (_, e) = first?;
        let prefix: String = lines
            .line(key_line)
            .chars()
            .take(e.key_pos.col.saturating_sub(1) as usize)
            .collect();
        TomlPlace::Dotted(prefix)
    } else {
        TomlPlace::Header {
            explicit: !same_line,
        }
    };
    Some((cut, Level { path, indent, toml }))
}

/// The indentation of a table's entries: its first plain entry's, else one step in.
fn child_indent(ctx: &Ctx<'_>, old: &Entry, cut: &Cut, key_line: usize, level: &Level) -> String {
    let Value::Table(table) = &old.node.value else {
        return String::new();
    };
    let plain = table.iter().zip(&cut.segments).find_map(|((_, e), _)| {
        let line = ctx.lines.line(ctx.lines.index(e.key_pos.line)?);
        (!line.trim_start().starts_with('[')).then(|| indent_of(line).to_string())
    });
    plain.unwrap_or_else(|| match ctx.format {
        Format::Toml => String::new(),
        Format::Yaml => format!("{}  ", indent_of(ctx.lines.line(key_line))),
        Format::Json => format!("{}{}", level.indent, " ".repeat(ctx.json_unit)),
    })
}

/// Whether every key and value below `node` stands on the file lines `lines`.
fn within(node: &Node, lines: Range<u32>) -> bool {
    let inside = |line: u32| line == 0 || lines.contains(&line);
    inside(node.pos.line)
        && match &node.value {
            Value::Table(t) => t
                .iter()
                .all(|(_, e)| inside(e.key_pos.line) && within(&e.node, lines.clone())),
            Value::Array(items) => items.iter().all(|n| within(n, lines.clone())),
            _ => true,
        }
}

/// The comment lines in the gaps of the original keys that are gone.
fn dropped_comments(ctx: &mut Ctx<'_>, cut: &Cut, old: &Table, new: &Table, level: &Level) {
    for (i, key) in old.entries.keys().enumerate() {
        let renamed_away = ctx.renamed.iter().any(|(_, was)| {
            was.split_last()
                .is_some_and(|(k, parent)| k == key && parent == level.path.as_slice())
        });
        if renamed_away || new.entries.contains_key(key) {
            continue;
        }
        let seg = &cut.segments[i];
        let gap = ctx.lines.text(seg.end..seg.next);
        for line in gap.lines().filter(|l| is_comment(l)) {
            let text = line
                .trim_start()
                .trim_start_matches('#')
                .trim_end_matches('\r');
            ctx.dropped.push((level.shown(key), text.to_string()));
        }
    }
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
    format: Format,
    old: &str,
    new: &str,
) -> Result<Option<String>, EmitError> {
    // The segment's first line is the first comment above the key.
    let skip = text
        .split_inclusive('\n')
        .take_while(|l| is_comment(l) && format != Format::Json)
        .map(str::len)
        .sum::<usize>();
    let col = entry.key_pos.col.saturating_sub(1) as usize;
    let at = skip + text[skip..].char_indices().nth(col).map_or(0, |(i, _)| i);
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
    let written = fresh::key_text(format, new)?;
    Ok(Some(format!(
        "{}{written}{}",
        &text[..at],
        &text[at + token.len()..]
    )))
}

/// The whole table written afresh (see [`fresh::emit`]).
pub fn emit(format: Format, table: &Table, eol: LineEnding) -> Result<String, EmitError> {
    fresh::emit(format, table, eol)
}
