//! [`Table`](crate::value::Table) → YAML text: the lines between the `---` delimiters.
//!
//! The layout is what a person writes: block mappings and sequences indented two spaces,
//! `- k: v` for mappings in a sequence, `{}` and `[]` for empty collections, strings plain
//! where every reader — YAML 1.1 (Jekyll, PyYAML, older Hugo) and YAML 1.2 alike — reads them
//! back as the same string, else double-quoted; a string of several lines as a literal block
//! (`|`) where that is exact. Date-times are written as unquoted YAML timestamps so they stay
//! date-times. Anything YAML cannot hold exactly (a TOML local time) is refused with its key
//! path instead of being written differently.

use super::plain_is_safe;
use super::scalar::resolve_plain;
use super::yaml11_ambiguity;
use crate::formats::{EmitError, Emitted, key_path};
use crate::value::{
    DateTime, DateTimeKind, Float, ItemComments, Node, Table, Value, canonical_decimal,
};

/// Spaces per nesting level.
const INDENT: usize = 2;

/// YAML caps an implicit key (`key: value`) at 1024 characters, quotes included, and granit
/// and PyYAML enforce it; a longer key is written as an explicit `? key` with room to spare.
const LONGEST_IMPLICIT_KEY: usize = 1000;

pub fn emit(table: &Table) -> Result<Emitted, EmitError> {
    let mut writer = Writer { out: String::new() };
    // The root is a block mapping at column 0; an empty one is no lines at all (plus its
    // comments), which every reader takes for an empty mapping.
    writer.mapping(table, 0, false, "")?;
    Ok(Emitted {
        text: writer.out,
        notes: Vec::new(),
    })
}

/// How a value is laid out after `key:` or `- `.
enum Shape<'a> {
    /// A non-empty block mapping.
    Mapping(&'a Table),
    /// A non-empty block sequence.
    Sequence(&'a [Node]),
    Scalar(Scalar<'a>),
}

/// A value that starts on the line of its key or dash.
enum Scalar<'a> {
    /// Text on that line: a plain or double-quoted scalar, `{}` or `[]`.
    Inline(String),
    /// A literal block scalar: its header (`|`, `|-`, `|2+`, …) and its text.
    Literal(String, &'a str),
    /// An empty mapping that carries comments: `{`, its comments, `}` over several lines.
    EmptyWithComments(&'a [String]),
}

struct Writer {
    out: String,
}

impl Writer {
    /// The entries of `table` at column `col`, then its trailing comments. `inline`: the line
    /// is already open at `col` (after `- `), so the first key goes there.
    fn mapping(
        &mut self,
        table: &Table,
        col: usize,
        mut inline: bool,
        path: &str,
    ) -> Result<(), EmitError> {
        for (key, entry) in table.iter() {
            let entry_path = key_path(path, key);
            let trailing = entry.comments.trailing.as_deref();
            // On an open line (after `- `) the sequence has written the first key's comments
            // above its dash.
            if !inline {
                self.comment_lines(&entry.comments.before, col);
                self.indent(col);
            }
            inline = false;
            let shape = shape(&entry.node, &entry_path, trailing.is_none_or(one_line))?;
            let key_text = key_text(key);
            let mut after_key = trailing;
            if key_text.chars().count() > LONGEST_IMPLICIT_KEY {
                // The comment goes on the `?` line, where readers attach it to the key.
                self.out.push_str("? ");
                self.out.push_str(&key_text);
                self.end_line(trailing, col);
                self.indent(col);
                self.out.push(':');
                after_key = None;
            } else {
                self.out.push_str(&key_text);
                self.out.push(':');
            }
            match shape {
                Shape::Mapping(t) => {
                    self.end_line(after_key, col + INDENT);
                    self.mapping(t, col + INDENT, false, &entry_path)?;
                }
                Shape::Sequence(items) => {
                    self.end_line(after_key, col + INDENT);
                    let comments = &entry.comments.items;
                    self.sequence(items, col + INDENT, false, &entry_path, comments)?;
                }
                Shape::Scalar(Scalar::Inline(text))
                    if text == "[]" && !entry.comments.items.is_empty() =>
                {
                    self.empty_list(&entry.comments.items, after_key, col);
                }
                Shape::Scalar(scalar) => {
                    self.out.push(' ');
                    self.scalar(scalar, after_key, col, col + INDENT);
                }
            }
        }
        self.comment_lines(&table.trailing_comments, col);
        Ok(())
    }

    /// The items of a sequence whose dashes stand at column `col`. `inline`: the line is
    /// already open at `col` (a sequence in a sequence: `- - a`), and the comments above its
    /// first item stand above that line. `comments`: those between the items, and inside
    /// the items that are lists.
    fn sequence(
        &mut self,
        items: &[Node],
        col: usize,
        inline: bool,
        path: &str,
        comments: &[ItemComments],
    ) -> Result<(), EmitError> {
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let shape = shape(item, &item_path, true)?;
            let around = comments.iter().find(|c| c.index == i);
            let inner = around.map_or(&[][..], |c| &c.inner);
            let mut trailing = around.and_then(|c| c.trailing.as_deref());
            if !(inline && i == 0) {
                self.comment_lines(around.map_or(&[][..], |c| &c.before), col);
                self.comment_lines(&lead_comments(item, inner), col);
                self.indent(col);
            }
            self.out.push_str("- ");
            let content = col + INDENT;
            // Only a scalar ends on its dash's line; other items' end-of-line comments go
            // above them.
            if !matches!(shape, Shape::Scalar(_))
                && let Some(text) = trailing.take()
            {
                let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
                let dash_line = self.out.split_off(line_start);
                self.comment_lines(&[text.to_owned()], col);
                self.out.push_str(&dash_line);
            }
            match shape {
                Shape::Mapping(t) => self.mapping(t, content, true, &item_path)?,
                Shape::Sequence(items) => {
                    self.sequence(items, content, true, &item_path, inner)?;
                }
                Shape::Scalar(Scalar::Inline(text)) if text == "[]" && !inner.is_empty() => {
                    self.out.pop();
                    self.empty_list(inner, trailing, content);
                }
                Shape::Scalar(scalar) => self.scalar(scalar, trailing, col, content),
            }
        }
        let after = self.item_comments(comments, items.len(), col);
        self.comment_lines(after.map(str::to_owned).as_slice(), col);
        Ok(())
    }

    /// An empty list holding comments (`# add yourself here`) after `key:`: a flow sequence
    /// over several lines keeps them.
    fn empty_list(&mut self, comments: &[ItemComments], trailing: Option<&str>, col: usize) {
        self.out.push_str(" [");
        self.end_line(trailing, col + INDENT);
        let after = self.item_comments(comments, 0, col + INDENT);
        self.comment_lines(after.map(str::to_owned).as_slice(), col + INDENT);
        self.indent(col);
        self.out.push_str("]\n");
    }

    /// Full-line comments for the items of an entry's sequence at `index` (`index` = the
    /// length: after the last), and the first end-of-line comment among them.
    fn item_comments<'c>(
        &mut self,
        comments: &'c [ItemComments],
        index: usize,
        col: usize,
    ) -> Option<&'c str> {
        let mut trailing = None;
        for c in comments.iter().filter(|c| c.index == index) {
            self.comment_lines(&c.before, col);
            if trailing.is_none() {
                trailing = c.trailing.as_deref();
            } else {
                self.comment_lines(c.trailing.as_slice(), col);
            }
        }
        trailing
    }

    /// Writes a value that starts on the current line, and ends its line(s). `parent` is the
    /// column of its key or dash; lines it continues on stand at `content`.
    fn scalar(
        &mut self,
        scalar: Scalar<'_>,
        trailing: Option<&str>,
        parent: usize,
        content: usize,
    ) {
        match scalar {
            Scalar::Inline(text) => {
                self.out.push_str(&text);
                self.end_line(trailing, parent);
            }
            Scalar::Literal(header, text) => {
                self.out.push_str(&header);
                self.end_line(trailing, parent);
                self.literal_lines(text, content);
            }
            Scalar::EmptyWithComments(comments) => {
                // A flow mapping may span lines indented past its parent. The key's own
                // comment goes after `}`, where readers attach it to the key.
                self.out.push_str("{\n");
                self.comment_lines(comments, content);
                self.indent(content);
                self.out.push('}');
                self.end_line(trailing, parent);
            }
        }
    }

    /// The lines of a literal block scalar at column `col`: empty lines stay empty, and the
    /// line breaks after the last line are those the header's chomping keeps.
    fn literal_lines(&mut self, text: &str, col: usize) {
        let body = text.trim_end_matches('\n');
        for line in body.split('\n') {
            if !line.is_empty() {
                self.indent(col);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        let breaks = text.len() - body.len();
        for _ in 1..breaks {
            self.out.push('\n');
        }
    }

    /// Full-line comments at column `col`; a text holding line breaks becomes several lines.
    fn comment_lines(&mut self, comments: &[String], col: usize) {
        for text in comments {
            for line in comment_segments(text) {
                self.indent(col);
                self.out.push('#');
                self.out.push_str(&line);
                self.out.push('\n');
            }
        }
    }

    /// Ends the current line with its comment, if any. Lines after the first of a multi-line
    /// comment text go on lines of their own at column `col`.
    fn end_line(&mut self, trailing: Option<&str>, col: usize) {
        let Some(text) = trailing else {
            self.out.push('\n');
            return;
        };
        let mut lines = comment_segments(text).into_iter();
        self.out.push_str(" #");
        self.out.push_str(&lines.next().unwrap_or_default());
        self.out.push('\n');
        for line in lines {
            self.indent(col);
            self.out.push('#');
            self.out.push_str(&line);
            self.out.push('\n');
        }
    }

    fn indent(&mut self, col: usize) {
        self.out.extend(std::iter::repeat_n(' ', col));
    }
}

/// The comments above the first key of the mapping a sequence item opens with (`- k: v`,
/// `- - k: v`), or above the first item of the list it is (`inner`: that list's comments):
/// written above the item's dash, where a person puts them, since the first key or item
/// stands on the dash's own line.
fn lead_comments(node: &Node, inner: &[ItemComments]) -> Vec<String> {
    match &node.value {
        Value::Table(t) => t
            .entries
            .first()
            .map_or(Vec::new(), |(_, e)| e.comments.before.clone()),
        Value::Array(items) => {
            let first = inner.iter().find(|c| c.index == 0);
            let mut lead = first.map_or(Vec::new(), |c| c.before.clone());
            if let Some(item) = items.first() {
                lead.extend(lead_comments(item, first.map_or(&[][..], |c| &c.inner)));
            }
            lead
        }
        _ => Vec::new(),
    }
}

/// How `node` is written. `literal_ok`: a literal block scalar may be used (its header line
/// has room for no more than a one-line comment).
fn shape<'a>(node: &'a Node, path: &str, literal_ok: bool) -> Result<Shape<'a>, EmitError> {
    let text = match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.value.to_string(),
        Value::Float(f) => float_text(f, path)?,
        Value::String(s) => {
            if plain_is_safe(s) {
                s.clone()
            } else if let Some(header) = literal_ok.then(|| literal_header(s)).flatten() {
                return Ok(Shape::Scalar(Scalar::Literal(header, s)));
            } else {
                double_quoted(s)
            }
        }
        Value::DateTime(d) => datetime_text(d, path)?.to_string(),
        Value::Array(items) if items.is_empty() => "[]".to_string(),
        Value::Array(items) => return Ok(Shape::Sequence(items)),
        Value::Table(t) if !t.is_empty() => return Ok(Shape::Mapping(t)),
        Value::Table(t) if !t.trailing_comments.is_empty() => {
            return Ok(Shape::Scalar(Scalar::EmptyWithComments(
                &t.trailing_comments,
            )));
        }
        Value::Table(_) => "{}".to_string(),
    };
    Ok(Shape::Scalar(Scalar::Inline(text)))
}

fn refuse(path: &str, reason: String) -> EmitError {
    EmitError {
        key: if path.is_empty() { "<root>" } else { path }.to_string(),
        reason,
    }
}

/// A key plain where it reads back as the same string everywhere, else double-quoted.
fn key_text(key: &str) -> String {
    if key == "<<" {
        // Psych (Jekyll) merges a `<<` key's mapping even when the key is quoted; only an
        // explicit tag keeps it a string there.
        return "!!str \"<<\"".to_string();
    }
    if plain_is_safe(key) {
        key.to_string()
    } else {
        double_quoted(key)
    }
}

/// The float's digits (`1602377984.4306138`, `1.0e+5`: a `.` and a signed exponent, as YAML
/// 1.1 needs), or `.nan`/`.inf`/`-.inf`. Checked to read back as the same float, in YAML 1.1
/// readers too.
fn float_text(f: &Float, path: &str) -> Result<String, EmitError> {
    if f.value.is_nan() {
        return Ok(".nan".to_string());
    }
    if f.value.is_infinite() {
        return Ok(if f.value < 0.0 { "-.inf" } else { ".inf" }.to_string());
    }
    let digits = f
        .decimal_text()
        .ok_or_else(|| refuse(path, format!("float {} has no decimal text", f.value)))?;
    let mut text = canonical_decimal(&digits).unwrap_or(digits);
    // `5` would read back as an integer; canonical text with an exponent has its `.0`.
    if !text.contains(['.', 'e']) {
        text.push_str(".0");
    }
    let same = matches!(resolve_plain(&text), Ok(Value::Float(back)) if back.same_value(f));
    if same && yaml11_ambiguity(&text).is_none() {
        Ok(text)
    } else {
        Err(refuse(
            path,
            format!("float {text} has no YAML form that every reader reads as the same float"),
        ))
    }
}

/// The date-time's text as an unquoted YAML timestamp, which readers (fmx, Hugo, Jekyll,
/// PyYAML) take for a date-time. Checked to read back as the same kind and text.
fn datetime_text<'a>(d: &'a DateTime, path: &str) -> Result<&'a str, EmitError> {
    if d.kind == DateTimeKind::Time {
        return Err(refuse(
            path,
            "a TOML local time has no YAML form that keeps its type".to_string(),
        ));
    }
    let same = matches!(resolve_plain(&d.text), Ok(Value::DateTime(back)) if back == *d);
    if same && yaml11_ambiguity(&d.text).is_none() {
        Ok(&d.text)
    } else {
        Err(refuse(
            path,
            format!(
                "{} {:?} has no YAML timestamp form that reads back the same",
                d.kind.name(),
                d.text
            ),
        ))
    }
}

/// Whether a character must be escaped in a double-quoted scalar: what YAML does not allow
/// raw (controls, U+FFFE, U+FFFF) and what YAML 1.1 readers take for a line break (U+0085,
/// U+2028, U+2029) or a byte-order mark (U+FEFF).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// `"…"` with the escapes that YAML 1.1 and 1.2 share.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&hex_escape(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `\xXX` below U+0100, else `\uXXXX` (every character that needs it is in the BMP).
fn hex_escape(c: char) -> String {
    let code = u32::from(c);
    if code < 0x100 {
        format!("\\x{code:02X}")
    } else {
        format!("\\u{code:04X}")
    }
}

/// The header of a literal block scalar that reads back as exactly `s`, or `None` where a
/// literal block is not sure to be exact and the string is double-quoted instead.
///
/// Refused: a string without a line break (one line reads better quoted), one that is only
/// line breaks, any character that needs an escape (a `\r` among them), a line that holds
/// only spaces or tabs (whether its spaces are indentation or text depends on the lines
/// around it, and an editor may trim them) and a tab at the start of a line. The chomping indicator keeps the final line breaks: `-` for none, none for
/// one, `+` for more; an indentation indicator (`2`: content two columns right of the key
/// or dash) where the first line with text starts with a space.
fn literal_header(s: &str) -> Option<String> {
    let body = s.trim_end_matches('\n');
    if !s.contains('\n')
        || body.is_empty()
        || s.chars()
            .any(|c| !matches!(c, '\n' | '\t') && needs_escape(c))
    {
        return None;
    }
    let blank_line = |line: &str| !line.is_empty() && line.trim_matches([' ', '\t']).is_empty();
    if body
        .split('\n')
        .any(|line| blank_line(line) || line.starts_with('\t'))
    {
        return None;
    }
    let mut header = String::from("|");
    let first = body.split('\n').find(|line| !line.is_empty())?;
    if first.starts_with(' ') {
        header.push_str(&INDENT.to_string());
    }
    match s.len() - body.len() {
        0 => header.push('-'),
        1 => {}
        _ => header.push('+'),
    }
    Some(header)
}

fn one_line(comment: &str) -> bool {
    !comment.contains('\n')
}

/// A comment's text split at its line breaks, with what a YAML comment may not hold (control
/// characters, and what YAML 1.1 takes for line breaks) written as `\uXXXX`: a comment is
/// for people; its text is not data.
fn comment_segments(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                if c != '\t' && needs_escape(c) {
                    out.push_str(&format!("\\u{:04X}", u32::from(c)));
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::document::{Split, split};
    use crate::formats::Limits;
    use crate::formats::toml::write::test_values::*;
    use crate::formats::yaml::tests::readers;
    use crate::value::{Comments, Entry, Int, Pos};

    /// Parses `text` with our YAML reader and panics unless it holds the data of `t`.
    fn reads_back(t: &Table, text: &str) -> Table {
        let back = parse_back(text).unwrap_or_else(|e| panic!("{e}\n--- text:\n{text}"));
        if let Err(why) = same_table(t, &back, "") {
            panic!("{why}\n--- text:\n{text}");
        }
        back
    }

    fn parse_back(text: &str) -> Result<Table, String> {
        let parsed = crate::formats::yaml::parse(text, 1, &Limits::default())
            .map_err(|e| format!("does not parse: {e:?}"))?;
        if !parsed.duplicates.is_empty() {
            return Err(format!("duplicate keys: {:?}", parsed.duplicates));
        }
        match parsed.root.value {
            Value::Table(t) => Ok(t),
            other => Err(format!("not a mapping: {other:?}")),
        }
    }

    /// Data equality, saying where the first difference is.
    fn same_table(ours: &Table, back: &Table, path: &str) -> Result<(), String> {
        let ours_keys: Vec<&String> = ours.entries.keys().collect();
        let back_keys: Vec<&String> = back.entries.keys().collect();
        if ours_keys != back_keys {
            return Err(format!(
                "`{path}`: keys {ours_keys:?} read back as {back_keys:?}"
            ));
        }
        for ((key, a), b) in ours.iter().zip(back.entries.values()) {
            same_node(&a.node, &b.node, &key_path(path, key))?;
        }
        Ok(())
    }

    fn same_node(ours: &Node, back: &Node, path: &str) -> Result<(), String> {
        match (&ours.value, &back.value) {
            (Value::Table(a), Value::Table(b)) => same_table(a, b, path),
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_node(x, y, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            (a, b) if a.same_value(b) => Ok(()),
            (a, b) => Err(format!("`{path}`: {a:?} read back as {b:?}")),
        }
    }

    fn text_of(t: &Table) -> String {
        let emitted = emit(t).unwrap_or_else(|e| panic!("refused: {e}"));
        assert_eq!(emitted.notes, []);
        assert!(emitted.text.is_empty() || emitted.text.ends_with('\n'));
        reads_back(t, &emitted.text);
        emitted.text
    }

    fn refused(t: &Table) -> (String, String) {
        let err = emit(t).expect_err("refused");
        (err.key, err.reason)
    }

    /// A one-key table `v: <node>`, written and read back; the text after `v: `.
    fn value_text(n: Node) -> String {
        let text = text_of(&table(vec![("v", n)]));
        text.strip_prefix("v: ")
            .unwrap_or_else(|| panic!("{text:?}"))
            .to_string()
    }

    fn str_text(s: &str) -> String {
        value_text(string(s))
    }

    // -----------------------------------------------------------------------------------------
    // Reference post, scalars

    #[test]
    fn reference_post_is_written_as_a_person_would() {
        let bytes = include_bytes!("../../../fixtures/detained-canadians.md");
        let Split::Found(layout) = split(bytes, true, 1 << 20) else {
            panic!("the sample has front matter");
        };
        let block = std::str::from_utf8(&bytes[layout.content.clone()]).expect("UTF-8");
        let parsed = crate::formats::yaml::parse(block, layout.content_line, &Limits::default())
            .expect("the sample parses");
        let t = parsed.root.value.as_table().expect("a mapping");
        let emitted = emit(t).unwrap();
        let expected = format!(
            "extends: _layouts.post\n\
             section: content\n\
             image: {IMAGE}\n\
             title: |\n  {}\n\
             description: |\n  {}\n\
             date: 1602377984.4306138\n",
            sample_line(5),
            sample_line(7),
        );
        assert_eq!(emitted.text, expected);
        assert!(
            emitted
                .text
                .contains("title: |\n  Detained Canadians in China get rare consular access \n")
        );
        assert_eq!(emitted.notes, []);
        let back = reads_back(t, &emitted.text);
        assert!(back.same_value(t));
        assert!(back.same_value(&reference_post()));
    }

    /// Strings that YAML 1.1 or 1.2 readers would read as something else, or that would not
    /// parse as plain scalars, with how each is written.
    const AMBIGUOUS: &[(&str, &str)] = &[
        ("yes", "\"yes\""),
        ("No", "\"No\""),
        ("on", "\"on\""),
        ("off", "\"off\""),
        ("y", "\"y\""),
        ("n", "\"n\""),
        ("true", "\"true\""),
        ("012", "\"012\""),
        ("09", "\"09\""),
        ("12", "\"12\""),
        ("1.10", "\"1.10\""),
        ("10:00", "\"10:00\""),
        ("1_000", "\"1_000\""),
        ("0x1F", "\"0x1F\""),
        ("null", "\"null\""),
        ("~", "\"~\""),
        ("", "\"\""),
        ("2020-10-10", "\"2020-10-10\""),
        ("2020-10-10 10:00:00", "\"2020-10-10 10:00:00\""),
        ("2020-1-5", "\"2020-1-5\""),
        ("1e5", "\"1e5\""),
        ("0o17", "\"0o17\""),
        (".inf", "\".inf\""),
        ("-.5", "\"-.5\""),
        ("<<", "\"<<\""),
        ("=", "\"=\""),
        (":foo", "\":foo\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("a: b", "\"a: b\""),
        ("a:", "\"a:\""),
        ("a #b", "\"a #b\""),
        ("#x", "\"#x\""),
        ("- x", "\"- x\""),
        ("-x", "\"-x\""),
        ("? x", "\"? x\""),
        ("*x", "\"*x\""),
        ("&x", "\"&x\""),
        ("!x", "\"!x\""),
        ("@x", "\"@x\""),
        ("`x`", "\"`x`\""),
        ("%x", "\"%x\""),
        ("|", "\"|\""),
        (">", "\">\""),
        ("[a]", "\"[a]\""),
        ("{a}", "\"{a}\""),
        ("'q'", "\"'q'\""),
        ("\"q\"", "\"\\\"q\\\"\""),
        ("---", "\"---\""),
        ("...", "\"...\""),
        ("a\tb", "\"a\\tb\""),
        ("\u{feff}x", "\"\\uFEFFx\""),
    ];

    #[test]
    fn ambiguous_strings_are_quoted_and_read_back_the_same() {
        for (s, written) in AMBIGUOUS {
            assert_eq!(str_text(s), format!("{written}\n"), "{s:?}");
            // As a key, and in a sequence, too.
            let t = table(vec![(s, array(vec![string(s)]))]);
            // Psych merges a quoted `<<` key's value: the key needs its tag.
            let key = if *s == "<<" { "!!str \"<<\"" } else { written };
            assert_eq!(text_of(&t), format!("{key}:\n  - {written}\n"), "{s:?}");
        }
    }

    #[test]
    fn safe_strings_stay_plain() {
        for s in [
            "hello world",
            "_layouts.post",
            "a:b",
            "a#b",
            "C++",
            "it's",
            "say \"hi\"",
            "1.2.3",
            "é 😀",
            "https://example.com/a?b=c#d",
        ] {
            assert_eq!(str_text(s), format!("{s}\n"));
        }
    }

    #[test]
    fn double_quoted_strings_escape_what_yaml_requires() {
        assert_eq!(
            str_text(
                "say \"hi\" \\ \0\t\r\u{1}\u{1b}\u{7f}\u{85}\u{9f}é😀\u{2028}\u{2029}\u{fffe}"
            ),
            "\"say \\\"hi\\\" \\\\ \\0\\t\\r\\x01\\x1B\\x7F\\x85\\x9Fé😀\\u2028\\u2029\\uFFFE\"\n"
        );
        // A line break among what a literal block cannot hold.
        assert_eq!(str_text("a\r\nb"), "\"a\\r\\nb\"\n");
    }

    #[test]
    fn multi_line_strings_are_literal_blocks_where_exact() {
        let cases = [
            ("one\ntwo\n", "|\n  one\n  two\n"),
            ("one\ntwo", "|-\n  one\n  two\n"),
            ("one\n\n\n", "|+\n  one\n\n\n"),
            ("trailing  \nspaces \n", "|\n  trailing  \n  spaces \n"),
            ("tab\t\nin\tside", "|-\n  tab\t\n  in\tside\n"),
            ("a\n\nb\n", "|\n  a\n\n  b\n"),
            ("\n\nafter blank lines", "|-\n\n\n  after blank lines\n"),
            (" indented\nfirst\n", "|2\n   indented\n  first\n"),
            (
                "\n  indented after a blank\n",
                "|2\n\n    indented after a blank\n",
            ),
            (
                "# not a comment\n--- not a marker\n",
                "|\n  # not a comment\n  --- not a marker\n",
            ),
            ("yes\n", "|\n  yes\n"),
            ("a: b\n- c\n", "|\n  a: b\n  - c\n"),
            ("  \n", "\"  \\n\"\n"),
            ("a\n \nb", "\"a\\n \\nb\"\n"),
            ("a\n\t\nb", "\"a\\n\\t\\nb\"\n"),
            ("a\n\tb", "\"a\\n\\tb\"\n"),
            ("\n", "\"\\n\"\n"),
            ("\n\n", "\"\\n\\n\"\n"),
            ("a\rb\n", "\"a\\rb\\n\"\n"),
            ("a\u{85}b\n", "\"a\\x85b\\n\"\n"),
            ("a\u{2028}b\n", "\"a\\u2028b\\n\"\n"),
        ];
        for (s, written) in cases {
            assert_eq!(str_text(s), written, "{s:?}");
        }
    }

    #[test]
    fn literal_blocks_indent_under_nested_keys_and_dashes() {
        let t = table(vec![
            ("m", sub(vec![("s", string(" x\ny\n"))])),
            (
                "l",
                array(vec![
                    string("a\nb"),
                    string(" lead\n"),
                    sub(vec![("k", string(" c\n\n"))]),
                    array(vec![string("d\n")]),
                ]),
            ),
        ]);
        assert_eq!(
            text_of(&t),
            "m:\n  s: |2\n     x\n    y\n\
             l:\n  - |-\n    a\n    b\n  - |2\n     lead\n  - k: |2+\n       c\n\n  - - |\n      d\n"
        );
    }

    #[test]
    fn numbers_booleans_and_null() {
        let t = table(vec![
            ("date", float_digits("1602377984.4306138")),
            ("kept", float_digits("1.50")),
            ("small", float_digits("1e-7")),
            ("big", float_digits("1E5")),
            ("computed", float(1e300)),
            ("tenth", float(0.1)),
            ("negzero", float(-0.0)),
            (
                "whole",
                node(Value::Float(Float {
                    value: 5.0,
                    text: Some("5".into()),
                })),
            ),
            ("nan", float(f64::NAN)),
            ("inf", float(f64::INFINITY)),
            ("ninf", float(f64::NEG_INFINITY)),
            ("int", int(-42)),
            ("huge", int(i128::MAX)),
            ("tiny", int(i128::MIN)),
            ("yes", boolean(true)),
            ("no", boolean(false)),
            ("nothing", null()),
        ]);
        assert_eq!(
            text_of(&t),
            format!(
                "date: 1602377984.4306138\nkept: 1.50\nsmall: 1.0e-7\nbig: 1.0e+5\n\
                 computed: 1.0e+300\ntenth: 0.1\nnegzero: -0.0\nwhole: 5.0\nnan: .nan\n\
                 inf: .inf\nninf: -.inf\nint: -42\nhuge: {}\ntiny: {}\n\"yes\": true\n\
                 \"no\": false\nnothing: null\n",
                i128::MAX,
                i128::MIN
            )
        );
    }

    #[test]
    fn float_text_that_reads_back_differently_is_refused() {
        let bad = node(Value::Float(Float {
            value: 1.0,
            text: Some("1.0.0".into()),
        }));
        let (key, reason) = refused(&table(vec![("f", bad)]));
        assert_eq!(key, "f");
        assert!(reason.contains("1.0.0"), "{reason}");
    }

    // -----------------------------------------------------------------------------------------
    // Date-times

    #[test]
    fn datetimes_are_unquoted_timestamps_of_the_same_kind() {
        let t = table(vec![
            (
                "offset",
                datetime(DateTimeKind::Offset, "1979-05-27T07:32:00Z"),
            ),
            (
                "frac",
                datetime(DateTimeKind::Offset, "1979-05-27T00:32:00.999999-07:00"),
            ),
            (
                "india",
                datetime(DateTimeKind::Offset, "2020-10-10T10:00:00+05:30"),
            ),
            (
                "local",
                datetime(DateTimeKind::Local, "1979-05-27T07:32:00"),
            ),
            (
                "local_frac",
                datetime(DateTimeKind::Local, "1979-05-27T07:32:00.5"),
            ),
            ("date", datetime(DateTimeKind::Date, "1979-05-27")),
            (
                "list",
                array(vec![datetime(DateTimeKind::Date, "2000-02-29")]),
            ),
        ]);
        let text = text_of(&t);
        assert_eq!(
            text,
            "offset: 1979-05-27T07:32:00Z\nfrac: 1979-05-27T00:32:00.999999-07:00\n\
             india: 2020-10-10T10:00:00+05:30\nlocal: 1979-05-27T07:32:00\n\
             local_frac: 1979-05-27T07:32:00.5\ndate: 1979-05-27\nlist:\n  - 2000-02-29\n"
        );
        // `same_value` compares kind and text.
        let back = parse_back(&text).unwrap();
        assert!(matches!(
            &back.get("local").unwrap().node.value,
            Value::DateTime(d) if d.kind == DateTimeKind::Local
        ));
    }

    #[test]
    fn a_local_time_is_refused_with_its_key_path() {
        let reason = "a TOML local time has no YAML form that keeps its type".to_string();
        let time = || datetime(DateTimeKind::Time, "07:32:00");
        assert_eq!(
            refused(&table(vec![("a", int(1)), ("at", time())])),
            ("at".to_string(), reason.clone())
        );
        let nested = table(vec![(
            "events",
            array(vec![sub(vec![]), sub(vec![("start time", time())])]),
        )]);
        assert_eq!(
            refused(&nested),
            ("events[1].\"start time\"".to_string(), reason)
        );
    }

    #[test]
    fn datetimes_that_would_read_back_differently_are_refused() {
        for (kind, text) in [
            (DateTimeKind::Offset, "1990-12-31T23:59:60Z"),
            (DateTimeKind::Offset, "1979-05-27t07:32:00z"),
            (DateTimeKind::Local, "1979-05-27 07:32:00"),
            (DateTimeKind::Date, "1979-05-27T07:32:00"),
            (DateTimeKind::Date, "2021-02-29"),
            (DateTimeKind::Date, "27.05.1979"),
        ] {
            let (key, reason) = refused(&table(vec![("d", datetime(kind, text))]));
            assert_eq!(key, "d");
            assert!(reason.contains(text), "{reason}");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Structure, keys, comments

    #[test]
    fn nested_mappings_sequences_and_empty_collections() {
        let t = table(vec![
            ("title", string("x")),
            (
                "extra",
                sub(vec![(
                    "authors",
                    array(vec![
                        sub(vec![
                            ("name", string("Ann")),
                            ("links", sub(vec![("web", string("a.example"))])),
                            ("tags", array(vec![string("a"), int(1)])),
                        ]),
                        sub(vec![]),
                        sub(vec![("name", string("Bo"))]),
                    ]),
                )]),
            ),
            ("empty", sub(vec![])),
            ("none", array(vec![])),
            (
                "mixed",
                array(vec![
                    int(1),
                    null(),
                    array(vec![string("a"), array(vec![]), sub(vec![("k", int(2))])]),
                    sub(vec![("e", sub(vec![])), ("l", array(vec![]))]),
                ]),
            ),
        ]);
        assert_eq!(
            text_of(&t),
            "title: x\n\
             extra:\n\
             \x20 authors:\n\
             \x20   - name: Ann\n\
             \x20     links:\n\
             \x20       web: a.example\n\
             \x20     tags:\n\
             \x20       - a\n\
             \x20       - 1\n\
             \x20   - {}\n\
             \x20   - name: Bo\n\
             empty: {}\n\
             none: []\n\
             mixed:\n\
             \x20 - 1\n\
             \x20 - null\n\
             \x20 - - a\n\
             \x20   - []\n\
             \x20   - k: 2\n\
             \x20 - e: {}\n\
             \x20   l: []\n"
        );
        assert_eq!(text_of(&Table::default()), "");
    }

    #[test]
    fn keys_are_plain_or_double_quoted() {
        let t = table(vec![
            ("ok_-9", int(0)),
            ("a b", int(1)),
            ("é", int(2)),
            ("", int(3)),
            ("a.b", int(4)),
            ("q\"\\\n", int(5)),
            ("1", int(6)),
            ("true", int(7)),
            ("a:b", int(8)),
        ]);
        assert_eq!(
            text_of(&t),
            "ok_-9: 0\na b: 1\né: 2\n\"\": 3\na.b: 4\n\"q\\\"\\\\\\n\": 5\n\"1\": 6\n\
             \"true\": 7\na:b: 8\n"
        );
    }

    #[test]
    fn keys_too_long_for_an_implicit_key_are_explicit() {
        let long = "k".repeat(LONGEST_IMPLICIT_KEY + 1);
        let quoted = format!("{} x", "é".repeat(LONGEST_IMPLICIT_KEY));
        let mut t = table(vec![
            (&long, int(1)),
            (&quoted, sub(vec![("a", int(2))])),
            ("list", array(vec![sub(vec![(&long, string("v\n"))])])),
        ]);
        comment(&mut t, &long, &[" above"], Some(" right"));
        let fits = "k".repeat(LONGEST_IMPLICIT_KEY);
        assert_eq!(
            text_of(&table(vec![(&fits, int(1))])),
            format!("{fits}: 1\n")
        );
        let text = text_of(&t);
        assert_eq!(
            text,
            format!(
                "# above\n? {long} # right\n: 1\n? {quoted}\n:\n  a: 2\nlist:\n  - ? {long}\n    : |\n      v\n"
            )
        );
        let back = parse_back(&text).unwrap();
        assert_eq!(
            back.get(&long).unwrap().comments,
            t.get(&long).unwrap().comments
        );
    }

    #[test]
    fn comments_round_trip() {
        let mut inner = table(vec![("x", int(1)), ("y", string("two\nlines\n"))]);
        comment(&mut inner, "x", &[" about x"], Some(" right of x"));
        comment(&mut inner, "y", &[" about y"], Some(" on the header"));
        inner.trailing_comments = vec![" end of b".into()];
        let mut item = table(vec![("n", int(1)), ("m", int(2))]);
        comment(&mut item, "n", &[], Some(" right of n"));
        comment(&mut item, "m", &[" about m"], None);
        item.trailing_comments = vec![" end of item".into()];
        let empty_with_comments = Table {
            trailing_comments: vec![" nothing yet".into()],
            ..Table::default()
        };
        let mut t = table(vec![
            ("a", int(1)),
            ("b", node(Value::Table(inner))),
            ("list", array(vec![node(Value::Table(item)), int(3)])),
            ("e", node(Value::Table(empty_with_comments))),
            ("s", string("multi\nline")),
        ]);
        comment(
            &mut t,
            "a",
            &[" about a", "", "  indented"],
            Some(" right of a"),
        );
        comment(&mut t, "b", &[" about b"], Some(" right of b"));
        comment(&mut t, "list", &[" about list"], Some(" right of list"));
        comment(&mut t, "e", &[" about e"], Some(" right of e"));
        comment(&mut t, "s", &[], Some(" right of s"));
        t.trailing_comments = vec![" the end".into()];
        let text = text_of(&t);
        // `y` and `n` are booleans to YAML 1.1 readers that follow the spec's full list.
        assert_eq!(
            text,
            "# about a\n\
             #\n\
             #  indented\n\
             a: 1 # right of a\n\
             # about b\n\
             b: # right of b\n\
             \x20 # about x\n\
             \x20 x: 1 # right of x\n\
             \x20 # about y\n\
             \x20 \"y\": | # on the header\n\
             \x20   two\n\
             \x20   lines\n\
             \x20 # end of b\n\
             # about list\n\
             list: # right of list\n\
             \x20 - \"n\": 1 # right of n\n\
             \x20   # about m\n\
             \x20   m: 2\n\
             \x20   # end of item\n\
             \x20 - 3\n\
             # about e\n\
             e: {\n\
             \x20 # nothing yet\n\
             \x20 } # right of e\n\
             s: |- # right of s\n\
             \x20 multi\n\
             \x20 line\n\
             # the end\n"
        );
        let back = parse_back(&text).unwrap();
        same_comments(&t, &back, "").unwrap();
    }

    #[test]
    fn comment_text_with_line_breaks_or_control_characters_stays_a_comment() {
        let mut t = table(vec![
            ("a", int(1)),
            ("b", string("x\ny")),
            ("c", sub(vec![("k", int(2))])),
        ]);
        comment(&mut t, "a", &["x\r\ny"], Some(" one\n two"));
        comment(
            &mut t,
            "b",
            &[" bell\u{7}\ttab\u{2028}"],
            Some(" three\n four"),
        );
        comment(&mut t, "c", &[], Some(" five\n six"));
        assert_eq!(
            text_of(&t),
            "#x\n#y\na: 1 # one\n# two\n# bell\\u0007\ttab\\u2028\nb: \"x\\ny\" # three\n# four\n\
             c: # five\n  # six\n  k: 2\n"
        );
    }

    #[test]
    fn comments_above_the_first_key_of_a_mapping_in_a_sequence_stand_above_its_dash() {
        let mut first = table(vec![("name", string("Ann"))]);
        comment(&mut first, "name", &[" the first author"], None);
        let first = node(Value::Table(first));
        let t = table(vec![
            ("authors", array(vec![first.clone(), first.clone()])),
            ("nested", array(vec![array(vec![first])])),
        ]);
        // Readers keep no comments between sequence items: the text has them, the data not.
        assert_eq!(
            text_of(&t),
            "authors:\n  # the first author\n  - name: Ann\n  # the first author\n  - name: Ann\n\
             nested:\n  # the first author\n  - - name: Ann\n"
        );
    }

    /// Compares every key's comments and every mapping's trailing comments. Readers keep no
    /// comments between sequence items, so those above the first key of a mapping that is a
    /// sequence item are expected to be lost.
    fn same_comments(ours: &Table, back: &Table, path: &str) -> Result<(), String> {
        same_comments_in(ours, back, path, false)
    }

    fn same_comments_in(
        ours: &Table,
        back: &Table,
        path: &str,
        in_sequence: bool,
    ) -> Result<(), String> {
        if ours.trailing_comments != back.trailing_comments {
            return Err(format!(
                "`{path}`: trailing comments {:?} read back as {:?}",
                ours.trailing_comments, back.trailing_comments
            ));
        }
        for (i, ((key, a), b)) in ours.iter().zip(back.entries.values()).enumerate() {
            let entry_path = key_path(path, key);
            let mut expected = a.comments.clone();
            if in_sequence && i == 0 {
                expected.before.clear();
            }
            // Comments above the first key of a mapping in the entry's sequence stand above
            // its dash, and read back as the item's own.
            if let Value::Array(items) = &a.node.value {
                expected.items.extend(lead_items(items, false));
            }
            if expected != b.comments {
                return Err(format!(
                    "`{entry_path}`: {expected:?} read back as {:?}",
                    b.comments
                ));
            }
            same_node_comments(&a.node, &b.node, &entry_path, false)?;
        }
        Ok(())
    }

    /// The item comments that the leading comments of `items` read back as: each stands
    /// above its item's dash, except the first item's of a list written on its parent's dash
    /// line (`inline`), which stand above that.
    fn lead_items(items: &[Node], inline: bool) -> Vec<ItemComments> {
        let mut found = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let before = if inline && index == 0 {
                Vec::new()
            } else {
                lead_comments(item, &[])
            };
            let inner = match &item.value {
                Value::Array(sub) => lead_items(sub, true),
                _ => Vec::new(),
            };
            if !before.is_empty() || !inner.is_empty() {
                found.push(ItemComments {
                    index,
                    before,
                    inner,
                    ..ItemComments::default()
                });
            }
        }
        found
    }

    fn same_node_comments(
        ours: &Node,
        back: &Node,
        path: &str,
        in_sequence: bool,
    ) -> Result<(), String> {
        match (&ours.value, &back.value) {
            (Value::Table(a), Value::Table(b)) => same_comments_in(a, b, path, in_sequence),
            (Value::Array(a), Value::Array(b)) => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_node_comments(x, y, &format!("{path}[{i}]"), true)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // PyYAML, a YAML 1.1 reader

    /// Loads each text with PyYAML's `safe_load` and returns its data with the types spelled
    /// out (`["str", "x"]`, `["map", [[key, value], …]]`, …), or `None` with a printed note
    /// when python3 or PyYAML is not available.
    #[allow(clippy::print_stderr)]
    /// Every table as fmx writes it, loaded by PyYAML (YAML 1.1), ruamel.yaml (YAML 1.2) and
    /// Psych (Jekyll): each reader gets back exactly the table.
    fn check_with_pyyaml(tables: &[Table]) {
        let texts: Vec<String> = tables
            .iter()
            .map(|t| emit(t).expect("emits").text)
            .collect();
        for reader in readers::ALL {
            let Some(loaded) = readers::load(reader, &texts) else {
                continue;
            };
            assert_eq!(loaded.len(), tables.len());
            for ((t, text), theirs) in tables.iter().zip(&texts).zip(&loaded) {
                if let Err(why) = readers::same_as(&Value::Table(t.clone()), theirs, "") {
                    panic!("{}: {why}\n--- text:\n{text}", reader.name());
                }
            }
        }
    }

    #[test]
    fn pyyaml_reads_ambiguous_strings_as_the_same_strings() {
        let strings: Vec<(String, Node)> = AMBIGUOUS
            .iter()
            .enumerate()
            .map(|(i, (s, _))| (format!("k{i}"), string(s)))
            .collect();
        let as_values = table(
            strings
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect(),
        );
        let as_keys = table(AMBIGUOUS.iter().map(|(s, _)| (*s, int(1))).collect());
        let as_items = table(vec![(
            "items",
            array(AMBIGUOUS.iter().map(|(s, _)| string(s)).collect()),
        )]);
        check_with_pyyaml(&[as_values, as_keys, as_items]);
    }

    #[test]
    fn pyyaml_reads_everything_else_the_same() {
        let tricky_strings = [
            "one\ntwo\n",
            "one\ntwo",
            "one\n\n\n",
            "trailing  \nspaces \n",
            "tab\t\nin\tside",
            "a\n\nb\n",
            "\n\nafter blank lines",
            " indented\nfirst\n",
            "\n  indented after a blank\n",
            "# not a comment\n--- not a marker\n",
            "  \n",
            "a\n \nb",
            "\n",
            "a\r\nb",
            "say \"hi\" \\ \0\t\r\u{1}\u{1b}\u{7f}\u{85}\u{9f}é😀\u{2028}\u{2029}\u{fffe}\u{feff}",
        ];
        let literals = table(vec![
            (
                "top",
                array(tricky_strings.iter().map(|s| string(s)).collect()),
            ),
            (
                "nested",
                sub(tricky_strings
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            [
                                "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                "n", "o",
                            ][i],
                            string(s),
                        )
                    })
                    .collect()),
            ),
            (
                "in_list",
                array(vec![sub(vec![
                    ("k", string(" lead\n")),
                    ("j", string("x\ny\n\n")),
                ])]),
            ),
        ]);
        let mut commented = table(vec![
            ("a", string("x\n")),
            (
                "e",
                node(Value::Table(Table {
                    trailing_comments: vec![" c".into()],
                    ..Table::default()
                })),
            ),
            ("l", array(vec![sub(vec![("k", int(1))])])),
        ]);
        comment(&mut commented, "a", &[" above"], Some(" right"));
        comment(&mut commented, "e", &[], Some(" right"));
        let long = "k".repeat(LONGEST_IMPLICIT_KEY + 5);
        let scalars = table(vec![
            ("date", float_digits("1602377984.4306138")),
            ("big", float_digits("1E5")),
            ("negzero", float(-0.0)),
            ("nan", float(f64::NAN)),
            ("inf", float(f64::INFINITY)),
            ("ninf", float(f64::NEG_INFINITY)),
            ("huge", int(i128::MAX)),
            ("t", boolean(true)),
            ("nothing", null()),
            (
                "offset",
                datetime(DateTimeKind::Offset, "1979-05-27T07:32:00Z"),
            ),
            (
                "frac",
                datetime(DateTimeKind::Offset, "1979-05-27T00:32:00.999999-07:00"),
            ),
            (
                "india",
                datetime(DateTimeKind::Offset, "2020-10-10T10:00:00+05:30"),
            ),
            (
                "local",
                datetime(DateTimeKind::Local, "1979-05-27T07:32:00"),
            ),
            ("day", datetime(DateTimeKind::Date, "1979-05-27")),
            (&long, int(1)),
        ]);
        check_with_pyyaml(&[
            reference_post(),
            literals,
            commented,
            scalars,
            Table::default(),
        ]);
    }

    // -----------------------------------------------------------------------------------------
    // Random tables

    /// Text biased towards what breaks YAML writers: indicators, the words YAML 1.1 reads as
    /// other types, line breaks, blank lines, trailing spaces, tabs and non-printables.
    fn yaml_text(max: usize) -> impl Strategy<Value = String> {
        let odd = prop::sample::select(vec![
            "\"",
            "'",
            "\\",
            "\n",
            "\n\n",
            " \n",
            "\t\n",
            "\r",
            "\r\n",
            "\t",
            " ",
            "  ",
            "\u{0}",
            "\u{1b}",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "\u{2028}",
            "\u{2029}",
            "\u{feff}",
            "\u{fffe}",
            "#",
            " #",
            ":",
            ": ",
            "-",
            "- ",
            "?",
            "? ",
            "*",
            "&",
            "!",
            "|",
            ">",
            "%",
            "@",
            "`",
            ",",
            "[",
            "]",
            "{",
            "}",
            "...",
            "---",
            "<<",
            "=",
            "~",
            "yes",
            "No",
            "on",
            "y",
            "null",
            "true",
            "012",
            "1.10",
            "10:00",
            "1e5",
            "0o17",
            "0x1F",
            ".inf",
            "1",
            "2020-10-10",
            " 10:00:00",
            "é",
            "😀",
            "a",
            "Z",
            "0",
            "_",
        ]);
        let piece = prop_oneof![
            4 => odd.prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
    }

    fn yaml_float() -> impl Strategy<Value = Node> {
        prop_oneof![
            8 => arb_float().prop_map(|f| node(Value::Float(f))),
            1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0])
                .prop_map(float),
        ]
    }

    fn yaml_datetime() -> impl Strategy<Value = Node> {
        let regex = |pattern: String| proptest::string::string_regex(&pattern).expect("a regex");
        let date = "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])";
        let time = "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?";
        let offset = "(Z|[+-](0[0-9]|1[0-3]):(00|30|45))";
        prop_oneof![
            regex(format!("{date}{time}{offset}")).prop_map(|t| datetime(DateTimeKind::Offset, &t)),
            regex(format!("{date}{time}")).prop_map(|t| datetime(DateTimeKind::Local, &t)),
            regex(date.to_string()).prop_map(|t| datetime(DateTimeKind::Date, &t)),
        ]
    }

    fn yaml_key() -> impl Strategy<Value = String> {
        prop_oneof![
            20 => yaml_text(6),
            1 => "[a-z ]{995,1010}",
        ]
    }

    /// Random tables nested up to three deep, with every kind of value YAML holds.
    fn yaml_table(comments: BoxedStrategy<Comments>) -> impl Strategy<Value = Table> {
        let scalar = prop_oneof![
            1 => Just(null()),
            1 => any::<bool>().prop_map(boolean),
            2 => any::<i128>().prop_map(int),
            2 => yaml_float(),
            6 => yaml_text(12).prop_map(|s| node(Value::String(s))),
            2 => yaml_datetime(),
        ];
        let trailing = comments.clone().prop_map(|c| c.before);
        let entries_of = move |value: BoxedStrategy<Node>| {
            entries(value, comments.clone(), trailing.clone().boxed())
        };
        let entries_inner = entries_of.clone();
        let value = scalar.boxed().prop_recursive(3, 48, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(array),
                prop::collection::vec(entries_inner(inner.clone()), 1..3).prop_map(|tables| {
                    array(tables.into_iter().map(|t| node(Value::Table(t))).collect())
                }),
                entries_inner(inner).prop_map(|t| node(Value::Table(t))),
            ]
            .boxed()
        });
        entries_of(value.boxed())
    }

    fn entries(
        value: BoxedStrategy<Node>,
        comments: BoxedStrategy<Comments>,
        trailing: BoxedStrategy<Vec<String>>,
    ) -> BoxedStrategy<Table> {
        (
            prop::collection::vec((yaml_key(), value, comments), 0..5),
            trailing,
        )
            .prop_map(|(entries, trailing_comments)| {
                let mut t = Table {
                    trailing_comments,
                    ..Table::default()
                };
                for (key, node, comments) in entries {
                    let mut entry = Entry::new(Pos::default(), node);
                    entry.comments = comments;
                    t.entries.entry(key).or_insert(entry);
                }
                t
            })
            .boxed()
    }

    /// Comments whose text YAML keeps as it is: one line of printable characters.
    fn clean_comments() -> BoxedStrategy<Comments> {
        let text = "[ -~é😀\t]{0,10}";
        prop_oneof![
            1 => Just(Comments::default()),
            2 => (
                prop::collection::vec(text, 0..3),
                prop::option::of(text),
            )
                .prop_map(|(before, trailing)| Comments { before, trailing, ..Comments::default() }),
        ]
        .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn random_tables_read_back_the_same(t in yaml_table(arb_comments().boxed())) {
            let emitted = emit(&t).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(emitted.text.is_empty() || emitted.text.ends_with('\n'));
            prop_assert!(emitted.notes.is_empty());
            let back = parse_back(&emitted.text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
            same_table(&t, &back, "")
                .map_err(|why| TestCaseError::fail(format!("{why}\n--- text:\n{}", emitted.text)))?;
        }

        #[test]
        fn random_comments_read_back_the_same(t in yaml_table(clean_comments())) {
            let emitted = emit(&t).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back = parse_back(&emitted.text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
            same_table(&t, &back, "")
                .and_then(|()| same_comments(&t, &back, ""))
                .map_err(|why| TestCaseError::fail(format!("{why}\n--- text:\n{}", emitted.text)))?;
        }
    }

    proptest! {
        /// Comments between list items come back from fmx's YAML where they were, and
        /// PyYAML, ruamel.yaml and Psych read the lists unchanged (checked in a batch below).
        #[test]
        fn comments_between_list_items_read_back(t in arb_commented_lists()) {
            let emitted = emit(&t).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back = parse_back(&emitted.text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
            for ((key, a), b) in t.iter().zip(back.entries.values()) {
                prop_assert_eq!(&a.comments, &b.comments, "{}\n--- text:\n{}", key, emitted.text);
            }
        }
    }

    #[test]
    fn yaml_readers_read_commented_lists_the_same() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = arb_commented_lists();
        let tables: Vec<Table> = (0..100)
            .map(|_| strategy.new_tree(&mut runner).expect("a table").current())
            .collect();
        check_with_pyyaml(&tables);
    }

    /// A batch of random tables through PyYAML in one process.
    #[test]
    fn pyyaml_reads_random_tables_the_same() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = yaml_table(arb_comments().boxed());
        let tables: Vec<Table> = (0..300)
            .map(|_| strategy.new_tree(&mut runner).expect("a table").current())
            .collect();
        check_with_pyyaml(&tables);
    }

    #[test]
    fn ints_are_decimal() {
        assert_eq!(value_text(node(Value::Int(Int { value: 0 }))), "0\n");
        assert_eq!(value_text(int(-7)), "-7\n");
    }
}
