//! [`Table`](crate::value::Table) → TOML text: the lines between the `+++` delimiters.
//!
//! The layout is what a person (or `toml_edit`) writes: `key = value` lines, then `[table]`
//! and `[[array]]` sections, each after one blank line, with a header only where one is
//! needed. TOML forces plain keys before sub-tables; each key that has to move for it is
//! listed as a [`Note::Moved`]. Anything TOML cannot hold exactly (null, integers beyond
//! i64) is refused with its key path instead of being written differently.

use crate::formats::{EmitError, Emitted, Note, dropped_comments, key_path};
use crate::value::{Comments, DateTime, Float, ItemComments, Node, Table, Value};

const MOVED_REASON: &str = "TOML writes plain keys before tables";

/// Why a comment inside a table that TOML writes inline is dropped.
const IN_INLINE_TABLE: &str =
    "a TOML inline table holds no comment: TOML 1.0 writes it on one line";

/// How to write what TOML offers two ways of writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Write a top-level string value that holds a line break as a multi-line basic string
    /// (`"""`) rather than one line with `\n` escapes. Turn this off for a file whose line
    /// endings are CRLF: a multi-line string's raw line breaks are part of its value, and
    /// TOML readers differ on whether they fold a CRLF there to LF.
    pub multiline_strings: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            multiline_strings: true,
        }
    }
}

/// Why a null refuses a file, and the step that resolves it.
const NO_NULL: &str = "TOML has no null (`fmx edit --drop-null` removes null keys first)";

/// Writes `table` as TOML with the default [`Options`].
pub fn emit(table: &Table) -> Result<Emitted, EmitError> {
    emit_with(table, Options::default())
}

/// Writes `table` as TOML, choosing between equivalent notations by `options`.
pub fn emit_with(table: &Table, options: Options) -> Result<Emitted, EmitError> {
    let mut writer = Writer {
        // Most posts' front matter fits: the text is not grown and copied a few times over.
        out: String::with_capacity(2048),
        notes: Vec::new(),
        options,
    };
    writer.table_body(table, &[], "")?;
    Ok(Emitted {
        text: writer.out,
        notes: writer.notes,
    })
}

/// How an entry is laid out in a table written with headers.
enum Layout<'a> {
    /// `key = value` on the table's own lines.
    Plain,
    /// A `[a.b]` section.
    Table(&'a Table),
    /// `[[a.b]]` sections, one per element.
    ArrayOfTables(&'a [Node]),
}

fn layout(node: &Node) -> Layout<'_> {
    match &node.value {
        Value::Table(t) => Layout::Table(t),
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|n| n.value.as_table().is_some()) =>
        {
            Layout::ArrayOfTables(items)
        }
        _ => Layout::Plain,
    }
}

struct Writer {
    out: String,
    notes: Vec<Note>,
    options: Options,
}

impl Writer {
    /// The plain keys of `table`, then its sections. `header` is the table's own header path
    /// (empty for the root), `path` its key path for notes and errors.
    fn table_body(&mut self, table: &Table, header: &[&str], path: &str) -> Result<(), EmitError> {
        let mut after_section = false;
        for (key, entry) in table.iter() {
            if !matches!(layout(&entry.node), Layout::Plain) {
                after_section = true;
                continue;
            }
            let entry_path = key_path(path, key);
            if after_section {
                self.notes.push(Note::Moved {
                    key: entry_path.clone(),
                    reason: MOVED_REASON.to_string(),
                });
            }
            self.comment_lines(&entry.comments.before);
            write_key(&mut self.out, key);
            self.out.push_str(" = ");
            match &entry.node.value {
                Value::Array(items) if !entry.comments.items.is_empty() => {
                    self.commented_array(items, &entry.comments, &entry_path)?;
                }
                _ => {
                    self.value(&entry.node, &entry_path, true)?;
                    self.end_line(entry.comments.trailing.as_deref());
                }
            }
        }
        for (key, entry) in table.iter() {
            let mut parts = header.to_vec();
            parts.push(key);
            let entry_path = key_path(path, key);
            match layout(&entry.node) {
                Layout::Plain => {}
                Layout::Table(sub) => {
                    // A table whose keys are all sections is created by their headers; it
                    // needs its own only to exist when empty or to carry its comments.
                    let has_plain = sub
                        .iter()
                        .any(|(_, e)| matches!(layout(&e.node), Layout::Plain));
                    if has_plain || sub.is_empty() || !entry.comments.is_empty() {
                        self.header(&parts, false, &entry.comments);
                    }
                    self.table_body(sub, &parts, &entry_path)?;
                }
                Layout::ArrayOfTables(items) => {
                    self.array_of_tables(items, &parts, &entry.comments, &entry_path)?;
                }
            }
        }
        self.comment_lines(&table.trailing_comments);
        Ok(())
    }

    /// `[[a.b]]` sections, one per table. The key's comments go with the first header;
    /// those between its tables above the header of the table below them (or on its line),
    /// and those after the last table below its keys.
    fn array_of_tables(
        &mut self,
        items: &[Node],
        parts: &[&str],
        comments: &Comments,
        path: &str,
    ) -> Result<(), EmitError> {
        let around = |i: usize| comments.items.iter().find(|c| c.index == i);
        for (i, item) in items.iter().enumerate() {
            let mut own = if i == 0 {
                Comments {
                    before: comments.before.clone(),
                    trailing: comments.trailing.clone(),
                    items: Vec::new(),
                }
            } else {
                Comments::default()
            };
            if let Some(c) = around(i) {
                own.before.extend(c.before.iter().cloned());
                match (&own.trailing, &c.trailing) {
                    (None, Some(t)) => own.trailing = Some(t.clone()),
                    (Some(_), Some(t)) => own.before.push(t.clone()),
                    _ => {}
                }
            }
            self.header(parts, true, &own);
            if let Value::Table(element) = &item.value {
                self.table_body(element, parts, &format!("{path}[{i}]"))?;
            }
        }
        if let Some(c) = around(items.len()) {
            self.comment_lines(&c.before);
            self.comment_lines(c.trailing.as_slice());
        }
        Ok(())
    }

    fn header(&mut self, parts: &[&str], array: bool, comments: &Comments) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.comment_lines(&comments.before);
        self.out.push_str(if array { "[[" } else { "[" });
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.out.push('.');
            }
            write_key(&mut self.out, part);
        }
        self.out.push_str(if array { "]]" } else { "]" });
        self.end_line(comments.trailing.as_deref());
    }

    /// An array with comments between its items, one item a line (TOML 1.0 allows line
    /// breaks, comments and a trailing comma in arrays); the key's own end-of-line comment
    /// goes after `[`.
    fn commented_array(
        &mut self,
        items: &[Node],
        comments: &Comments,
        path: &str,
    ) -> Result<(), EmitError> {
        self.out.push('[');
        self.end_line(comments.trailing.as_deref());
        self.commented_items(items, &comments.items, path, 1)?;
        self.out.push_str("]\n");
        Ok(())
    }

    /// The items of a list one a line at `depth` indents, each with its comments; a list in
    /// the list that holds comments of its own spreads over lines the same way.
    fn commented_items(
        &mut self,
        items: &[Node],
        comments: &[ItemComments],
        path: &str,
        depth: usize,
    ) -> Result<(), EmitError> {
        let indent = "  ".repeat(depth);
        for i in 0..=items.len() {
            let around = comments.iter().find(|c| c.index == i);
            for text in around.into_iter().flat_map(|c| &c.before) {
                for line in comment_segments(text) {
                    self.out.push_str(&indent);
                    self.out.push('#');
                    self.out.push_str(&line);
                    self.out.push('\n');
                }
            }
            let trailing = around.and_then(|c| c.trailing.as_deref());
            let Some(item) = items.get(i) else {
                // After the last item there is no line of its own to end.
                self.comment_lines_at(trailing.into_iter(), &indent);
                break;
            };
            let item_path = format!("{path}[{i}]");
            self.out.push_str(&indent);
            match (&item.value, around) {
                (Value::Array(inner), Some(c)) if !c.inner.iter().all(ItemComments::is_empty) => {
                    self.out.push_str("[\n");
                    self.commented_items(inner, &c.inner, &item_path, depth + 1)?;
                    self.out.push_str(&indent);
                    self.out.push(']');
                }
                _ => self.value(item, &item_path, false)?,
            }
            self.out.push(',');
            self.end_line(trailing);
        }
        Ok(())
    }

    fn comment_lines_at<'t>(&mut self, texts: impl Iterator<Item = &'t str>, indent: &str) {
        for text in texts {
            for line in comment_segments(text) {
                self.out.push_str(indent);
                self.out.push('#');
                self.out.push_str(&line);
                self.out.push('\n');
            }
        }
    }

    /// Full-line comments; a comment text holding line breaks becomes several lines.
    fn comment_lines(&mut self, comments: &[String]) {
        for text in comments {
            for line in comment_segments(text) {
                self.out.push('#');
                self.out.push_str(&line);
                self.out.push('\n');
            }
        }
    }

    /// Ends the current line with its comment, if any. Any line after the first of a
    /// multi-line comment text has to go on lines of its own below.
    fn end_line(&mut self, trailing: Option<&str>) {
        let Some(text) = trailing else {
            self.out.push('\n');
            return;
        };
        let mut lines = comment_segments(text).into_iter();
        self.out.push_str(" #");
        self.out.push_str(&lines.next().unwrap_or_default());
        self.out.push('\n');
        for line in lines {
            self.out.push('#');
            self.out.push_str(&line);
            self.out.push('\n');
        }
    }

    /// Writes one value. `top` is true for the value of a `key = value` line, where a
    /// multi-line string may be used; inside arrays and inline tables everything stays on
    /// one line.
    fn value(&mut self, node: &Node, path: &str, top: bool) -> Result<(), EmitError> {
        match &node.value {
            Value::Null => return Err(refuse(path, NO_NULL.to_string())),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => match i64::try_from(i.value) {
                Ok(v) => self.out.push_str(&v.to_string()),
                Err(_) => {
                    return Err(refuse(
                        path,
                        format!("integer {} does not fit TOML's 64-bit integers", i.value),
                    ));
                }
            },
            Value::Float(f) => self.out.push_str(&float_text(f, path)?),
            Value::String(s) => {
                if top
                    && self.options.multiline_strings
                    && s.contains('\n')
                    && !has_delimiter_line(s)
                {
                    write_multiline_string(&mut self.out, s);
                } else {
                    write_basic_string(&mut self.out, s);
                }
            }
            Value::DateTime(d) => self.out.push_str(datetime_text(d, path)?),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(item, &format!("{path}[{i}]"), false)?;
                }
                self.out.push(']');
            }
            Value::Table(table) => self.inline_table(table, path)?,
        }
        Ok(())
    }

    /// `{ k = v, … }`. An inline table has no room for comments: each one is listed as
    /// dropped rather than lost silently.
    fn inline_table(&mut self, table: &Table, path: &str) -> Result<(), EmitError> {
        if table.is_empty() {
            self.out.push_str("{}");
        } else {
            self.out.push_str("{ ");
            for (i, (key, entry)) in table.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                let entry_path = key_path(path, key);
                dropped_comments(
                    &entry.comments,
                    &entry_path,
                    IN_INLINE_TABLE,
                    &mut self.notes,
                );
                write_key(&mut self.out, key);
                self.out.push_str(" = ");
                self.value(&entry.node, &entry_path, false)?;
            }
            self.out.push_str(" }");
        }
        for text in &table.trailing_comments {
            self.notes.push(Note::DroppedComment {
                key: Some(path.to_string()),
                text: text.clone(),
                reason: IN_INLINE_TABLE,
            });
        }
        Ok(())
    }
}

fn refuse(path: &str, reason: String) -> EmitError {
    EmitError {
        key: if path.is_empty() { "<root>" } else { path }.to_string(),
        reason,
    }
}

fn float_text(f: &Float, path: &str) -> Result<String, EmitError> {
    if f.value.is_nan() {
        return Ok("nan".to_string());
    }
    if f.value.is_infinite() {
        return Ok(if f.value < 0.0 { "-inf" } else { "inf" }.to_string());
    }
    let mut text = f
        .decimal_text()
        .ok_or_else(|| refuse(path, format!("float {} has no decimal text", f.value)))?;
    // Canonical text of a whole number read as a float may lack both; TOML would read
    // `5` as an integer.
    if !text.contains(['.', 'e']) {
        text.push_str(".0");
    }
    if !is_toml_float(&text) {
        return Err(refuse(path, format!("float {text} is not valid TOML")));
    }
    Ok(text)
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-]?[0-9]+)?` with a fraction or an exponent: the
/// subset of TOML's float grammar that canonical decimal text uses.
fn is_toml_float(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let text = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (text, None),
    };
    let (int_part, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let int_ok = digits(int_part) && (int_part == "0" || !int_part.starts_with('0'));
    let frac_ok = frac.is_none_or(digits);
    let exp_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    int_ok && frac_ok && exp_ok && (frac.is_some() || exponent.is_some())
}

/// The date-time's text, written bare. Its kinds are TOML's own; this only guards against
/// text that would break the line it stands on.
fn datetime_text<'a>(d: &'a DateTime, path: &str) -> Result<&'a str, EmitError> {
    let ok = d.text.starts_with(|c: char| c.is_ascii_digit())
        && d.text
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.+TZtz ".contains(c));
    if ok {
        Ok(&d.text)
    } else {
        Err(refuse(
            path,
            format!("{:?} is not a TOML date-time", d.text),
        ))
    }
}

/// A bare key when it can be one, else a basic string.
fn write_key(out: &mut String, key: &str) {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        out.push_str(key);
    } else {
        write_basic_string(out, key);
    }
}

/// Bytes a basic string cannot hold as they are: `"`, `\\` and the control characters.
const BASIC_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7f] = true;
    table
};

/// The same for a multi-line string, which holds line breaks and tabs as they are.
const MULTILINE_SPECIAL: [bool; 256] = {
    let mut table = BASIC_SPECIAL;
    table[b'\n' as usize] = false;
    table[b'\t' as usize] = false;
    table
};

/// `s` as a TOML basic string on one line, quotes included: every control character escaped.
pub fn basic_string(s: &str) -> String {
    let mut out = String::new();
    write_basic_string(&mut out, s);
    out
}

fn write_basic_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Runs of bytes that need no escape are copied whole; every byte that does is ASCII,
    // so the run boundaries are character boundaries.
    let mut run = 0;
    while let Some(offset) = bytes[run..].iter().position(|&b| BASIC_SPECIAL[b as usize]) {
        let i = run + offset;
        out.push_str(&s[run..i]);
        match bytes[i] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b => push_unicode_escape(out, char::from(b)),
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// `"""`, a line break (which readers trim), the text with its line breaks and tabs raw,
/// `"""`. Every third quote in a row is escaped so no run closes the string early, and
/// so are the quotes at the very end, which would otherwise touch the closing delimiter.
fn write_multiline_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 8);
    out.push_str("\"\"\"\n");
    let bytes = s.as_bytes();
    let closing_quotes = s.trim_end_matches('"').len();
    // Quotes written as they are, in a row ending just before `next_quote`.
    let (mut quote_run, mut next_quote) = (0, usize::MAX);
    let mut run = 0;
    while let Some(offset) = bytes[run..]
        .iter()
        .position(|&b| MULTILINE_SPECIAL[b as usize])
    {
        let i = run + offset;
        out.push_str(&s[run..i]);
        run = i + 1;
        let b = bytes[i];
        if b == b'"' {
            if i != next_quote {
                quote_run = 0;
            }
            next_quote = i + 1;
            if quote_run == 2 || i >= closing_quotes {
                out.push_str("\\\"");
                quote_run = 0;
            } else {
                out.push('"');
                quote_run += 1;
            }
            continue;
        }
        match b {
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b => push_unicode_escape(out, char::from(b)),
        }
    }
    out.push_str(&s[run..]);
    out.push_str("\"\"\"");
}

/// A line of `s` that a splitter could take for the block's closing `+++`. Hugo closes the
/// block at any line that starts with `+++`, fmx at `+++` and blanks: the stricter reading
/// is kept, so such a string goes on one line with `\n` escapes.
fn has_delimiter_line(s: &str) -> bool {
    s.split('\n').any(|line| line.starts_with("+++"))
}

/// The characters TOML allows neither in strings nor in comments (tab aside).
fn is_toml_control(c: char) -> bool {
    (c.is_ascii_control() && c != '\t') || c == '\u{7f}'
}

fn push_unicode_escape(out: &mut String, c: char) {
    out.push_str(&format!("\\u{:04X}", u32::from(c)));
}

/// A comment's text split at its line breaks, with the control characters a TOML comment
/// may not hold written as `\uXXXX` (a comment is for people; its text is not data).
fn comment_segments(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                if is_toml_control(c) {
                    push_unicode_escape(&mut out, c);
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect()
}

/// Values built by hand for the emitters' tests, and proptest strategies for random tables.
/// Shared with the JSON emitter's tests.
#[cfg(test)]
pub(crate) mod test_values {
    use proptest::prelude::*;

    use crate::value::{
        Comments, DateTime, DateTimeKind, Entry, Float, Int, Node, Pos, Table, Value,
    };

    pub fn node(value: Value) -> Node {
        Node::new(value, Pos::default())
    }

    pub fn string(s: &str) -> Node {
        node(Value::String(s.to_string()))
    }

    pub fn int(i: i128) -> Node {
        node(Value::Int(Int { value: i }))
    }

    /// A float as a parser reads it, keeping its digits.
    pub fn float_digits(text: &str) -> Node {
        node(Value::Float(
            Float::from_decimal_text(text).expect("a decimal"),
        ))
    }

    pub fn float(f: f64) -> Node {
        node(Value::Float(Float::from_f64(f)))
    }

    pub fn boolean(b: bool) -> Node {
        node(Value::Bool(b))
    }

    pub fn null() -> Node {
        node(Value::Null)
    }

    pub fn datetime(kind: DateTimeKind, text: &str) -> Node {
        node(Value::DateTime(DateTime {
            kind,
            text: text.to_string(),
        }))
    }

    pub fn array(items: Vec<Node>) -> Node {
        node(Value::Array(items))
    }

    pub fn table(entries: Vec<(&str, Node)>) -> Table {
        let mut t = Table::default();
        for (key, value) in entries {
            t.entries
                .insert(key.to_string(), Entry::new(Pos::default(), value));
        }
        t
    }

    pub fn sub(entries: Vec<(&str, Node)>) -> Node {
        node(Value::Table(table(entries)))
    }

    /// Sets the comments of `key` in `t`.
    pub fn comment(t: &mut Table, key: &str, before: &[&str], trailing: Option<&str>) {
        let entry = t.entries.get_mut(key).expect("the key is in the table");
        entry.comments = Comments {
            before: before.iter().map(|s| s.to_string()).collect(),
            trailing: trailing.map(str::to_string),
            ..Comments::default()
        };
    }

    const SAMPLE: &str = include_str!("../../../fixtures/detained-canadians.md");

    pub const IMAGE: &str = "https://s.abcnews.com/images/International/WireAP_8725217381c440cf90c80b61778b1cf1_16x9_992.jpg";

    /// A folded (`>`) scalar's one content line of the sample: its text, trailing space
    /// included, without the indent and the line break.
    pub fn sample_line(n: usize) -> &'static str {
        let line = SAMPLE.lines().nth(n).expect("the sample has the line");
        let text = line.strip_prefix("  ").expect("an indented folded line");
        assert!(
            text.ends_with(' '),
            "the sample's folded lines end in a space"
        );
        text
    }

    /// The sample post's front matter as a YAML parser reads it: `title` and `description`
    /// are folded scalars whose text ends in a space and a line break.
    pub fn reference_post() -> Table {
        table(vec![
            ("extends", string("_layouts.post")),
            ("section", string("content")),
            ("image", string(IMAGE)),
            ("title", string(&format!("{}\n", sample_line(5)))),
            ("description", string(&format!("{}\n", sample_line(7)))),
            ("date", float_digits("1602377984.4306138")),
        ])
    }

    /// Text with a bias towards what breaks writers: quotes, backslashes, line breaks,
    /// control characters, trailing spaces and tabs, and the characters keys must quote.
    pub fn odd_text(max: usize) -> impl Strategy<Value = String> {
        let odd = prop::sample::select(vec![
            "\"", "\"\"\"", "'", "\\", "\n", " \n", "\t\n", "\\\n", "\r", "\r\n", "\t", " ",
            "\u{0}", "\u{1b}", "\u{7f}", "\u{85}", "\u{2028}", ".", "#", "=", "[", "]", "{", "}",
            ",", "é", "😀", "a", "Z", "0", "-", "_",
        ]);
        let piece = prop_oneof![3 => odd.prop_map(str::to_string), 1 => any::<char>().prop_map(String::from)];
        prop::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
    }

    pub fn arb_float() -> impl Strategy<Value = Float> {
        prop_oneof![
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Float::from_f64),
            "-?[0-9]{1,12}\\.[0-9]{1,20}(e[+-]?[0-9]{1,2})?"
                .prop_filter_map("a finite decimal", |t| Float::from_decimal_text(&t)),
        ]
    }

    pub fn arb_datetime() -> impl Strategy<Value = Node> {
        prop::sample::select(vec![
            (DateTimeKind::Offset, "1979-05-27T07:32:00Z"),
            (DateTimeKind::Offset, "1979-05-27T00:32:00.999999-07:00"),
            (DateTimeKind::Local, "1979-05-27T07:32:00"),
            (DateTimeKind::Date, "1979-05-27"),
            (DateTimeKind::Time, "07:32:00"),
        ])
        .prop_map(|(kind, text)| datetime(kind, text))
    }

    pub fn arb_comments() -> impl Strategy<Value = Comments> {
        prop_oneof![
            3 => Just(Comments::default()),
            1 => (
                prop::collection::vec(odd_text(8), 0..3),
                prop::option::of(odd_text(8)),
            )
                .prop_map(|(before, trailing)| Comments { before, trailing, ..Comments::default() }),
        ]
    }

    /// Tables of lists (of strings and integers, or empty) with comments between their
    /// items: above an item, at the end of a scalar item's line, after the last one.
    pub fn arb_commented_lists() -> impl Strategy<Value = Table> {
        let text = "( [a-z]{1,6}){1,2}";
        let item = prop_oneof![
            "[a-z]{0,5}".prop_map(|s| string(&s)),
            any::<i64>().prop_map(|i| int(i128::from(i))),
        ];
        let list = (
            prop::collection::vec(item, 0..4),
            prop::collection::vec(
                (prop::collection::vec(text, 0..2), prop::option::of(text)),
                5,
            ),
        )
            .prop_map(|(items, comments)| {
                let len = items.len();
                let item_comments = comments
                    .into_iter()
                    .take(len + 1)
                    .enumerate()
                    .map(|(index, (before, trailing))| crate::value::ItemComments {
                        index,
                        before,
                        // After the last item there is no line to end.
                        trailing: trailing.filter(|_| index < len),
                        inner: Vec::new(),
                    })
                    .filter(|c| !c.before.is_empty() || c.trailing.is_some())
                    .collect::<Vec<_>>();
                (array(items), item_comments)
            });
        prop::collection::vec(list, 1..4).prop_map(|lists| {
            let mut t = Table::default();
            for (i, (node, items)) in lists.into_iter().enumerate() {
                let mut entry = Entry::new(Pos::default(), node);
                entry.comments.items = items;
                t.entries.insert(format!("k{i}"), entry);
            }
            t
        })
    }

    /// Random tables nested up to three deep; `nulls` adds nulls among the scalars.
    pub fn arb_table(nulls: bool) -> impl Strategy<Value = Table> {
        let scalar = prop_oneof![
            any::<bool>().prop_map(boolean),
            any::<i64>().prop_map(|i| int(i.into())),
            arb_float().prop_map(|f| node(Value::Float(f))),
            odd_text(12).prop_map(|s| node(Value::String(s))),
            arb_datetime(),
        ];
        let scalar = if nulls {
            prop_oneof![5 => scalar, 1 => Just(null())].boxed()
        } else {
            scalar.boxed()
        };
        let value = scalar.prop_recursive(3, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(array),
                // Arrays of tables, which TOML writes as `[[a]]` sections.
                prop::collection::vec(entries(inner.clone()), 1..3).prop_map(|tables| {
                    array(tables.into_iter().map(|t| node(Value::Table(t))).collect())
                }),
                entries(inner).prop_map(|t| node(Value::Table(t))),
            ]
        });
        entries(value)
    }

    fn entries(value: impl Strategy<Value = Node>) -> impl Strategy<Value = Table> {
        (
            prop::collection::vec((odd_text(6), value, arb_comments()), 0..5),
            prop::collection::vec(odd_text(8), 0..2),
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
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::test_values::*;
    use super::*;
    use crate::value::DateTimeKind;

    fn text_of(t: &Table) -> String {
        let emitted = emit(t).expect("emits");
        reads_back(t, &emitted.text);
        emitted.text
    }

    fn moved(key: &str) -> Note {
        Note::Moved {
            key: key.to_string(),
            reason: MOVED_REASON.to_string(),
        }
    }

    fn refused(t: &Table) -> (String, String) {
        let err = emit(t).expect_err("refused");
        (err.key, err.reason)
    }

    fn table_mut<'a>(t: &'a mut Table, key: &str) -> &'a mut Table {
        match &mut t.entries.get_mut(key).expect("the key").node.value {
            Value::Table(sub) => sub,
            _ => panic!("`{key}` is not a table"),
        }
    }

    /// Parses `text` with the `toml` crate and panics unless it holds the data of `t`.
    fn reads_back(t: &Table, text: &str) {
        let parsed: toml::Table =
            toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n--- text:\n{text}"));
        if let Err(why) = same_table(t, &parsed, "", false) {
            panic!("{why}\n--- text:\n{text}");
        }
    }

    /// Compares data and key order. A table written with headers has its plain keys first;
    /// an inline table keeps its order exactly.
    fn same_table(
        ours: &Table,
        theirs: &toml::Table,
        path: &str,
        inline: bool,
    ) -> Result<(), String> {
        let mut expected: Vec<(&String, &Node)> = ours.iter().map(|(k, e)| (k, &e.node)).collect();
        if !inline {
            expected.sort_by_key(|(_, n)| !matches!(layout(n), Layout::Plain));
        }
        let ours_keys: Vec<&String> = expected.iter().map(|(k, _)| *k).collect();
        let theirs_keys: Vec<&String> = theirs.keys().collect();
        if ours_keys != theirs_keys {
            return Err(format!(
                "`{path}`: keys {ours_keys:?} read back as {theirs_keys:?}"
            ));
        }
        for (key, node) in expected {
            let child_inline = inline || matches!(layout(node), Layout::Plain);
            same_value(
                &node.value,
                &theirs[key.as_str()],
                &key_path(path, key),
                child_inline,
            )?;
        }
        Ok(())
    }

    fn same_value(
        ours: &Value,
        theirs: &toml::Value,
        path: &str,
        inline: bool,
    ) -> Result<(), String> {
        let same = match (ours, theirs) {
            (Value::String(a), toml::Value::String(b)) => a == b,
            (Value::Int(a), toml::Value::Integer(b)) => a.value == i128::from(*b),
            (Value::Float(a), toml::Value::Float(b)) => {
                (a.value.is_nan() && b.is_nan()) || a.value.to_bits() == b.to_bits()
            }
            (Value::Bool(a), toml::Value::Boolean(b)) => a == b,
            (Value::DateTime(a), toml::Value::Datetime(b)) => a.text == b.to_string(),
            (Value::Array(a), toml::Value::Array(b)) => {
                if a.len() != b.len() {
                    return Err(format!(
                        "`{path}`: {} elements read back as {}",
                        a.len(),
                        b.len()
                    ));
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_value(&x.value, y, &format!("{path}[{i}]"), inline)?;
                }
                true
            }
            (Value::Table(a), toml::Value::Table(b)) => return same_table(a, b, path, inline),
            _ => false,
        };
        if same {
            Ok(())
        } else {
            Err(format!("`{path}`: {ours:?} read back as {theirs:?}"))
        }
    }

    #[test]
    fn reference_post_is_written_as_a_person_would() {
        let t = reference_post();
        let emitted = emit(&t).unwrap();
        let expected = format!(
            "extends = \"_layouts.post\"\n\
             section = \"content\"\n\
             image = \"{IMAGE}\"\n\
             title = \"\"\"\n{}\n\"\"\"\n\
             description = \"\"\"\n{}\n\"\"\"\n\
             date = 1602377984.4306138\n",
            sample_line(5),
            sample_line(7),
        );
        assert_eq!(emitted.text, expected);
        assert!(expected.contains(
            "title = \"\"\"\nDetained Canadians in China get rare consular access \n\"\"\"\n"
        ));
        assert_eq!(emitted.notes, []);
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn plain_keys_move_before_tables_with_a_note_each() {
        let t = table(vec![
            ("a", int(1)),
            (
                "t",
                sub(vec![
                    ("x", int(1)),
                    ("s", sub(vec![("y", int(2))])),
                    ("z", int(3)),
                ]),
            ),
            ("b", int(2)),
            ("list", array(vec![sub(vec![("n", int(1))])])),
            ("c", string("x")),
        ]);
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.text,
            "a = 1\nb = 2\nc = \"x\"\n\n[t]\nx = 1\nz = 3\n\n[t.s]\ny = 2\n\n[[list]]\nn = 1\n"
        );
        assert_eq!(emitted.notes, [moved("b"), moved("c"), moved("t.z")]);
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn keys_in_order_need_no_note() {
        let t = table(vec![
            ("a", int(1)),
            ("t", sub(vec![("x", int(1))])),
            ("u", sub(vec![])),
        ]);
        let emitted = emit(&t).unwrap();
        assert_eq!(emitted.text, "a = 1\n\n[t]\nx = 1\n\n[u]\n");
        assert_eq!(emitted.notes, []);
    }

    #[test]
    fn keys_are_bare_or_quoted() {
        let t = table(vec![
            ("ok_-9", int(0)),
            ("a b", int(1)),
            ("é", int(2)),
            ("", int(3)),
            ("a.b", int(4)),
            ("q\"\\\n", int(5)),
            ("a b", sub(vec![("c.d", sub(vec![("k", int(6))]))])),
        ]);
        // `a b` is inserted twice: the table replaces the integer in place.
        assert_eq!(
            text_of(&t),
            "ok_-9 = 0\n\"é\" = 2\n\"\" = 3\n\"a.b\" = 4\n\"q\\\"\\\\\\n\" = 5\n\n[\"a b\".\"c.d\"]\nk = 6\n"
        );
    }

    #[test]
    fn strings_escape_what_toml_requires() {
        let t = table(vec![(
            "s",
            string("say \"hi\" \\ \u{8}\t\u{c}\r\u{1}\u{1f}\u{7f}\u{85}é😀\u{2028}"),
        )]);
        assert_eq!(
            text_of(&t),
            "s = \"say \\\"hi\\\" \\\\ \\b\\t\\f\\r\\u0001\\u001F\\u007F\u{85}é😀\u{2028}\"\n"
        );
    }

    #[test]
    fn multiline_strings_keep_trailing_spaces_and_tabs() {
        let t = table(vec![(
            "s",
            string("line one  \nline two\t\n\tindented \t\n"),
        )]);
        assert_eq!(
            text_of(&t),
            "s = \"\"\"\nline one  \nline two\t\n\tindented \t\n\"\"\"\n"
        );
    }

    #[test]
    fn multiline_strings_escape_backslashes_quotes_and_carriage_returns() {
        let cases = [
            (
                "C:\\path\\\nnext \\",
                r#""""
C:\\path\\
next \\""""#,
            ),
            (
                "a \"\"\" b \"\"\"\" c\n",
                "\"\"\"\na \"\"\\\" b \"\"\\\"\" c\n\"\"\"",
            ),
            (
                "he said \"no\"\nand \"yes\"",
                "\"\"\"\nhe said \"no\"\nand \"yes\\\"\"\"\"",
            ),
            ("x\n\"\"", "\"\"\"\nx\n\\\"\\\"\"\"\""),
            ("\nfoo", "\"\"\"\n\nfoo\"\"\""),
            ("a\r\nb", "\"\"\"\na\\r\nb\"\"\""),
            ("\n", "\"\"\"\n\n\"\"\""),
            ("bell\u{7}\n\u{1b}", "\"\"\"\nbell\\u0007\n\\u001B\"\"\""),
        ];
        for (value, written) in cases {
            let t = table(vec![("s", string(value))]);
            assert_eq!(text_of(&t), format!("s = {written}\n"), "{value:?}");
        }
    }

    #[test]
    fn no_string_line_can_close_the_block() {
        for value in ["a\n+++\nb", "+++ \t\nb", "a\n+++\r\nb", "a\n+++x\n"] {
            let mut t = table(vec![("s", string(value))]);
            t.entries.insert(
                "x".to_string(),
                crate::value::Entry::new(Default::default(), sub(vec![("y", string(value))])),
            );
            let text = text_of(&t);
            assert!(
                text.lines().all(|line| !line.starts_with("+++")),
                "{value:?} written as\n{text}"
            );
            reads_back(&t, &text);
        }
    }

    #[test]
    fn multiline_strings_can_be_turned_off() {
        let t = table(vec![("s", string("a \n\tb\n"))]);
        let options = Options {
            multiline_strings: false,
        };
        let emitted = emit_with(&t, options).unwrap();
        assert_eq!(emitted.text, "s = \"a \\n\\tb\\n\"\n");
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn strings_inside_arrays_and_inline_tables_stay_on_one_line() {
        let t = table(vec![(
            "a",
            array(vec![
                string("x\ny"),
                sub(vec![("k", string("1\n2"))]),
                int(0),
            ]),
        )]);
        assert_eq!(text_of(&t), "a = [\"x\\ny\", { k = \"1\\n2\" }, 0]\n");
    }

    #[test]
    fn nested_tables_arrays_of_tables_and_inline_values() {
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
                        ]),
                        sub(vec![]),
                        sub(vec![
                            ("name", string("Bo")),
                            ("tags", array(vec![string("a"), int(1)])),
                        ]),
                    ]),
                )]),
            ),
            (
                "params",
                sub(vec![(
                    "deep",
                    sub(vec![("deeper", sub(vec![("k", boolean(true))]))]),
                )]),
            ),
            ("empty", sub(vec![])),
            ("none", array(vec![])),
            (
                "mixed",
                array(vec![
                    int(1),
                    string("two"),
                    sub(vec![("k", int(3)), ("t", sub(vec![]))]),
                    array(vec![float_digits("1.5"), array(vec![])]),
                    sub(vec![]),
                ]),
            ),
            ("nested", array(vec![array(vec![sub(vec![("a", int(1))])])])),
            (
                "pages",
                array(vec![sub(vec![("meta", sub(vec![("x", int(1))]))])]),
            ),
        ]);
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.text,
            "title = \"x\"\n\
             none = []\n\
             mixed = [1, \"two\", { k = 3, t = {} }, [1.5, []], {}]\n\
             nested = [[{ a = 1 }]]\n\
             \n\
             [[extra.authors]]\n\
             name = \"Ann\"\n\
             \n\
             [extra.authors.links]\n\
             web = \"a.example\"\n\
             \n\
             [[extra.authors]]\n\
             \n\
             [[extra.authors]]\n\
             name = \"Bo\"\n\
             tags = [\"a\", 1]\n\
             \n\
             [params.deep.deeper]\n\
             k = true\n\
             \n\
             [empty]\n\
             \n\
             [[pages]]\n\
             \n\
             [pages.meta]\n\
             x = 1\n"
        );
        assert_eq!(
            emitted.notes,
            [moved("none"), moved("mixed"), moved("nested")]
        );
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn an_empty_table_alone_is_still_written() {
        assert_eq!(text_of(&table(vec![("e", sub(vec![]))])), "[e]\n");
        assert_eq!(
            text_of(&table(vec![("a", sub(vec![("e", sub(vec![]))]))])),
            "[a.e]\n"
        );
        assert_eq!(text_of(&Table::default()), "");
    }

    #[test]
    fn comments_go_above_keys_and_headers_and_at_line_ends() {
        let mut t = table(vec![
            ("title", string("T")),
            ("body", string("one\ntwo")),
            ("extra", sub(vec![("a", int(1))])),
            ("group", sub(vec![("inner", sub(vec![("b", int(2))]))])),
            (
                "list",
                array(vec![sub(vec![("n", int(1))]), sub(vec![("n", int(2))])]),
            ),
        ]);
        comment(
            &mut t,
            "title",
            &[" The title", ""],
            Some(" shown in <title>"),
        );
        comment(&mut t, "body", &[], Some(" after the string"));
        comment(
            &mut t,
            "extra",
            &[" Extra settings"],
            Some(" on the header"),
        );
        comment(&mut t, "group", &[" forces a header"], None);
        comment(&mut t, "list", &[" the list"], Some(" first"));
        table_mut(&mut t, "extra").trailing_comments = vec![" end of extra".into()];
        t.trailing_comments = vec![" the end".into(), " two\n lines".into()];
        let emitted = emit(&t).unwrap();
        assert_eq!(
            emitted.text,
            "# The title\n\
             #\n\
             title = \"T\" # shown in <title>\n\
             body = \"\"\"\none\ntwo\"\"\" # after the string\n\
             \n\
             # Extra settings\n\
             [extra] # on the header\n\
             a = 1\n\
             # end of extra\n\
             \n\
             # forces a header\n\
             [group]\n\
             \n\
             [group.inner]\n\
             b = 2\n\
             \n\
             # the list\n\
             [[list]] # first\n\
             n = 1\n\
             \n\
             [[list]]\n\
             n = 2\n\
             # the end\n\
             # two\n\
             # lines\n"
        );
        assert_eq!(emitted.notes, []);
        reads_back(&t, &emitted.text);
    }

    #[test]
    fn comment_text_with_line_breaks_or_control_characters_stays_a_comment() {
        let mut t = table(vec![("a", int(1)), ("b", int(2))]);
        comment(&mut t, "a", &["x\r\ny"], Some(" one\n two"));
        comment(&mut t, "b", &[" bell\u{7}\ttab"], Some("\u{7f}"));
        assert_eq!(
            text_of(&t),
            "#x\n#y\na = 1 # one\n# two\n# bell\\u0007\ttab\nb = 2 #\\u007F\n"
        );
    }

    #[test]
    fn comments_inside_inline_tables_are_listed_as_dropped() {
        let mut inner = table(vec![("k", int(1))]);
        comment(&mut inner, "k", &[" above k"], Some(" after k"));
        inner.trailing_comments = vec![" last".into()];
        let t = table(vec![("a", array(vec![int(0), node(Value::Table(inner))]))]);
        let emitted = emit(&t).unwrap();
        assert_eq!(emitted.text, "a = [0, { k = 1 }]\n");
        let dropped = |key: &str, text: &str| Note::DroppedComment {
            key: Some(key.to_string()),
            text: text.to_string(),
            reason: IN_INLINE_TABLE,
        };
        assert_eq!(
            emitted.notes,
            [
                dropped("a[1].k", " above k"),
                dropped("a[1].k", " after k"),
                dropped("a[1]", " last")
            ]
        );
    }

    #[test]
    fn null_is_refused_wherever_it_stands() {
        let no_null = NO_NULL.to_string();
        let cases = [
            (table(vec![("a", int(1)), ("draft", null())]), "draft"),
            (
                table(vec![("tags", array(vec![string("a"), null()]))]),
                "tags[1]",
            ),
            (
                table(vec![(
                    "extra",
                    sub(vec![("authors", array(vec![sub(vec![("name", null())])]))]),
                )]),
                "extra.authors[0].name",
            ),
            (
                table(vec![(
                    "mixed",
                    array(vec![int(1), sub(vec![("b", null())])]),
                )]),
                "mixed[1].b",
            ),
            (table(vec![("my key", null())]), "\"my key\""),
        ];
        for (t, key) in cases {
            assert_eq!(refused(&t), (key.to_string(), no_null.clone()));
        }
    }

    #[test]
    fn integers_beyond_i64_are_refused() {
        let big = i128::from(i64::MAX) + 1;
        assert_eq!(
            refused(&table(vec![("n", sub(vec![("big", int(big))]))])),
            (
                "n.big".to_string(),
                "integer 9223372036854775808 does not fit TOML's 64-bit integers".to_string()
            )
        );
        assert_eq!(
            refused(&table(vec![("n", int(i128::from(i64::MIN) - 1))])).0,
            "n"
        );
        assert_eq!(
            text_of(&table(vec![
                ("max", int(i64::MAX.into())),
                ("min", int(i64::MIN.into()))
            ])),
            "max = 9223372036854775807\nmin = -9223372036854775808\n"
        );
    }

    #[test]
    fn floats_keep_their_digits() {
        let t = table(vec![
            ("date", float_digits("1602377984.4306138")),
            ("kept", float_digits("1.50")),
            ("small", float_digits("1e-7")),
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
        ]);
        assert_eq!(
            text_of(&t),
            "date = 1602377984.4306138\nkept = 1.50\nsmall = 1.0e-7\ncomputed = 1.0e+300\n\
             tenth = 0.1\nnegzero = -0.0\nwhole = 5.0\nnan = nan\ninf = inf\nninf = -inf\n"
        );
    }

    #[test]
    fn float_text_that_is_not_toml_is_refused() {
        let bad = node(Value::Float(Float {
            value: 1.0,
            text: Some("01.0".into()),
        }));
        assert_eq!(
            refused(&table(vec![("f", bad)])),
            ("f".to_string(), "float 01.0 is not valid TOML".to_string())
        );
        assert!(is_toml_float("0.5"));
        assert!(is_toml_float("1.0e+05"));
        assert!(!is_toml_float("1"));
        assert!(!is_toml_float(".5"));
        assert!(!is_toml_float("1."));
    }

    #[test]
    fn datetimes_are_written_bare() {
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
                "local",
                datetime(DateTimeKind::Local, "1979-05-27T07:32:00"),
            ),
            ("date", datetime(DateTimeKind::Date, "1979-05-27")),
            ("time", datetime(DateTimeKind::Time, "07:32:00")),
            ("bools", array(vec![boolean(true), boolean(false)])),
        ]);
        assert_eq!(
            text_of(&t),
            "offset = 1979-05-27T07:32:00Z\nfrac = 1979-05-27T00:32:00.999999-07:00\n\
             local = 1979-05-27T07:32:00\ndate = 1979-05-27\ntime = 07:32:00\n\
             bools = [true, false]\n"
        );
        let broken = table(vec![("d", datetime(DateTimeKind::Date, "1979-05-27\n[x]"))]);
        assert_eq!(refused(&broken).0, "d");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn random_tables_read_back_the_same(t in arb_table(false)) {
            for options in [Options::default(), Options { multiline_strings: false }] {
                let emitted = emit_with(&t, options)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(emitted.text.is_empty() || emitted.text.ends_with('\n'));
                let parsed: toml::Table = toml::from_str(&emitted.text)
                    .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
                same_table(&t, &parsed, "", false)
                    .map_err(|why| TestCaseError::fail(format!("{why}\n--- text:\n{}", emitted.text)))?;
                // TOML 1.0 readers (Hugo's go-toml, Python's tomllib) read all fmx writes.
                let ours = crate::formats::toml::parse(&emitted.text, 1, &crate::formats::Limits::default())
                    .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{}", emitted.text)))?;
                prop_assert!(ours.toml11.is_empty(), "{:?}\n--- text:\n{}", ours.toml11, emitted.text);
            }
        }
    }

    proptest! {
        /// Comments between list items come back from fmx's TOML where they were.
        #[test]
        fn comments_between_list_items_read_back(t in arb_commented_lists()) {
            let text = text_of(&t);
            let back = crate::formats::toml::parse(&text, 1, &crate::formats::Limits::default())
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{text}")))?;
            let back = back.root.value.as_table().expect("a table").clone();
            for ((key, a), b) in t.iter().zip(back.entries.values()) {
                prop_assert_eq!(&a.comments, &b.comments, "{}\n--- text:\n{}", key, text);
            }
        }
    }

    /// Python's `tomllib` (TOML 1.0 before Python 3.15) reads each text, or says why not:
    /// `None` when python3 or tomllib is missing.
    #[allow(clippy::print_stderr)]
    pub(crate) fn tomllib_errors(texts: &[String]) -> Option<Vec<Option<String>>> {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        const SCRIPT: &str = "import json, sys, tomllib\nout = []\n\
            for t in json.load(sys.stdin):\n    try:\n        tomllib.loads(t); out.append(None)\n\
            \x20   except Exception as e:\n        out.append(str(e))\nprint(json.dumps(out))\n";
        let child = Command::new("python3")
            .args(["-c", SCRIPT])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("note: tomllib check skipped: no python3");
            return None;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(serde_json::to_string(texts).expect("JSON").as_bytes());
        }
        let output = child.wait_with_output().expect("python3 runs");
        if !output.status.success() {
            eprintln!(
                "note: tomllib check skipped: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            return None;
        }
        Some(serde_json::from_slice(&output.stdout).expect("JSON from python3"))
    }

    #[test]
    fn tomllib_reads_everything_fmx_writes() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = arb_table(false);
        let texts: Vec<String> = (0..300)
            .map(|_| strategy.new_tree(&mut runner).expect("a table").current())
            .map(|t| emit(&t).expect("emits").text)
            .collect();
        let Some(errors) = tomllib_errors(&texts) else {
            return;
        };
        for (text, error) in texts.iter().zip(errors) {
            assert_eq!(error, None, "--- text:\n{text}");
        }
    }

    /// The escapes and layouts TOML 1.1 added are never written: ESC is `\u001B`, inline
    /// tables stay on one line with no trailing comma, times keep their seconds.
    #[test]
    fn output_is_toml_1_0() {
        let t = table(vec![
            ("esc", string("\u{1b}[0m \u{7f} \u{0}")),
            ("multi", string("line\n\u{1b}\n")),
            (
                "inline",
                array(vec![sub(vec![("a", int(1)), ("b", sub(vec![]))])]),
            ),
            ("time", datetime(DateTimeKind::Time, "07:32:00")),
        ]);
        let text = text_of(&t);
        let parsed =
            crate::formats::toml::parse(&text, 1, &crate::formats::Limits::default()).unwrap();
        assert_eq!(parsed.toml11, [], "{text}");
        assert!(!text.contains("\\e") && !text.contains("\\x"), "{text}");
    }
}
