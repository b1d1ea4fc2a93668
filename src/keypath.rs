//! Dotted key paths (`params.author`, `params."a.b"`, `tags[2]`): one syntax for field names
//! in `fmx.toml`, for the paths messages show, and for `fmx edit`.
//!
//! The syntax, exactly:
//! - A path is one or more segments. A key segment follows a `.` (or starts the path); an
//!   index segment `[N]` (decimal digits, no sign) follows any segment directly: `tags[2]`,
//!   `grid[0][1]`, `authors[0].name`. A path cannot start with an index.
//! - A **bare** key is one or more characters other than `.`, `"`, `'`, `[`, `]`, `\`,
//!   whitespace and control characters: `title`, `date-published`, `título`.
//! - Any other key — one with a dot, a quote, a space, or the empty key — is written in
//!   **double quotes**: `params."a.b"`, `""`. Inside quotes, `\"` is a quote, `\\` a
//!   backslash, `\n` `\r` `\t` those controls, `\u{1F600}` any character by its hex code
//!   (one to six digits); every other character stands for itself, and any other escape is
//!   an error. Single quotes are not quotes (TOML users write `[fields.'params."a.b"']`).
//! - [`KeyPath`]'s `Display` quotes a key unless it is made only of ASCII letters, digits,
//!   `_` and `-`, and escapes `"`, `\` and control characters, so that display → parse gives
//!   the same path back for every key.
//!
//! Errors carry the 1-based column (in characters) of the mistake in the path text.

use std::fmt;

use crate::value::{Node, Pos, Table, Value};

/// One step of a path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A parsed path. The empty path is the front matter itself; [`KeyPath::parse`] never
/// returns it, but validators build paths up from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyPath {
    segments: Vec<Segment>,
}

/// Why a path did not parse, and the column (1-based, in characters) where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column {col}: {kind}")]
pub struct KeyPathError {
    pub col: usize,
    pub kind: KeyPathErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyPathErrorKind {
    #[error("empty key: write `\"\"` for a key that is the empty string")]
    EmptyKey,
    #[error("`{0}` cannot appear in a bare key: put the key in double quotes")]
    NotBare(char),
    #[error("the quoted key opened here is never closed")]
    UnclosedQuote,
    #[error(
        "unknown escape `\\{0}`: inside quotes write `\\\"`, `\\\\`, `\\n`, `\\r`, `\\t` or `\\u{{HEX}}`"
    )]
    BadEscape(char),
    #[error("`\\u{{…}}` needs one to six hex digits naming a character")]
    BadUnicode,
    #[error("expected `.`, `[` or the end of the path, found `{0}`")]
    Unexpected(char),
    #[error("an array index is digits between `[` and `]`")]
    BadIndex,
    #[error("a path starts with a key, not an index")]
    LeadingIndex,
    #[error("an array index is not allowed here: name a key")]
    IndexNotAllowed,
}

impl KeyPath {
    pub fn root() -> Self {
        Self::default()
    }

    /// The path of one top-level key, whatever its characters.
    pub fn key(key: &str) -> Self {
        Self {
            segments: vec![Segment::Key(key.to_string())],
        }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// This path with one more segment.
    pub fn child(&self, segment: Segment) -> Self {
        let mut segments = self.segments.clone();
        segments.push(segment);
        Self { segments }
    }

    pub fn push(&mut self, segment: Segment) {
        self.segments.push(segment);
    }

    /// Parses a path that may hold array indexes (a path a message showed).
    pub fn parse(text: &str) -> Result<Self, KeyPathError> {
        Parser::new(text).path()
    }

    /// Parses a field name for `fmx.toml`: keys only, since a field applies to every post
    /// and an index would name one item of one array.
    pub fn parse_field(text: &str) -> Result<Self, KeyPathError> {
        let path = Self::parse(text)?;
        match index_column(text) {
            Some(col) => Err(KeyPathError {
                col,
                kind: KeyPathErrorKind::IndexNotAllowed,
            }),
            None => Ok(path),
        }
    }

    /// The node this path names in a front matter table, with the position of its key when
    /// the last step is a key. `None` when a step is missing or steps into a scalar.
    pub fn resolve<'a>(&self, table: &'a Table) -> Option<Found<'a>> {
        let (first, rest) = self.segments.split_first()?;
        let Segment::Key(key) = first else {
            return None;
        };
        let entry = table.get(key)?;
        let mut found = Found {
            node: &entry.node,
            key_pos: Some(entry.key_pos),
        };
        for segment in rest {
            found = step(found.node, segment)?;
        }
        Some(found)
    }
}

/// What a path resolved to.
#[derive(Clone, Copy, Debug)]
pub struct Found<'a> {
    pub node: &'a Node,
    /// Where the key stands, if the last step was a key (an array item has none).
    pub key_pos: Option<Pos>,
}

fn step<'a>(node: &'a Node, segment: &Segment) -> Option<Found<'a>> {
    match (&node.value, segment) {
        (Value::Table(t), Segment::Key(k)) => t.get(k).map(|e| Found {
            node: &e.node,
            key_pos: Some(e.key_pos),
        }),
        (Value::Array(items), Segment::Index(i)) => items.get(*i).map(|n| Found {
            node: n,
            key_pos: None,
        }),
        _ => None,
    }
}

/// The column of the first `[` outside quotes, if any (only called on a path that parsed).
fn index_column(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.chars().enumerate() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Whether a key can be displayed without quotes. Narrower than what the parser takes bare,
/// so that messages read the same as the rest of fmx's key paths.
fn displays_bare(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn parses_bare(c: char) -> bool {
    !matches!(c, '.' | '"' | '\'' | '[' | ']' | '\\') && !c.is_whitespace() && !c.is_control()
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write_key(f, key)?;
                }
            }
        }
        Ok(())
    }
}

fn write_key(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    if displays_bare(key) {
        return f.write_str(key);
    }
    f.write_str("\"")?;
    for c in key.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{{{:X}}}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// A cursor over the path's characters; `col` is the 1-based column of the next one.
struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    col: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().peekable(),
            col: 1,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        self.col += 1;
        Some(c)
    }

    fn error(&self, col: usize, kind: KeyPathErrorKind) -> KeyPathError {
        KeyPathError { col, kind }
    }

    fn path(mut self) -> Result<KeyPath, KeyPathError> {
        if self.chars.peek() == Some(&'[') {
            return Err(self.error(1, KeyPathErrorKind::LeadingIndex));
        }
        let mut path = KeyPath::root();
        loop {
            path.push(Segment::Key(self.key()?));
            while self.chars.peek() == Some(&'[') {
                path.push(Segment::Index(self.index()?));
            }
            match self.bump() {
                None => return Ok(path),
                Some('.') => {}
                Some(c) => {
                    return Err(self.error(self.col - 1, KeyPathErrorKind::Unexpected(c)));
                }
            }
        }
    }

    fn key(&mut self) -> Result<String, KeyPathError> {
        if self.chars.peek() == Some(&'"') {
            return self.quoted();
        }
        let mut key = String::new();
        while let Some(&c) = self.chars.peek() {
            if c == '.' || c == '[' {
                break;
            }
            if !parses_bare(c) {
                return Err(self.error(self.col, KeyPathErrorKind::NotBare(c)));
            }
            key.push(c);
            self.bump();
        }
        if key.is_empty() {
            return Err(self.error(self.col, KeyPathErrorKind::EmptyKey));
        }
        Ok(key)
    }

    fn quoted(&mut self) -> Result<String, KeyPathError> {
        let open = self.col;
        self.bump();
        let mut key = String::new();
        loop {
            let at = self.col;
            match self.bump() {
                None => return Err(self.error(open, KeyPathErrorKind::UnclosedQuote)),
                Some('\\') if self.chars.peek().is_none() => {
                    return Err(self.error(open, KeyPathErrorKind::UnclosedQuote));
                }
                Some('"') => break,
                Some('\\') => key.push(self.escape(at)?),
                Some(c) => key.push(c),
            }
        }
        match self.chars.peek() {
            None | Some('.') | Some('[') => Ok(key),
            Some(&c) => Err(self.error(self.col, KeyPathErrorKind::Unexpected(c))),
        }
    }

    /// The character an escape stands for; `at` is the backslash's column.
    fn escape(&mut self, at: usize) -> Result<char, KeyPathError> {
        match self.bump() {
            None => Err(self.error(at, KeyPathErrorKind::UnclosedQuote)),
            Some('"') => Ok('"'),
            Some('\\') => Ok('\\'),
            Some('n') => Ok('\n'),
            Some('r') => Ok('\r'),
            Some('t') => Ok('\t'),
            Some('u') => self.unicode(at),
            Some(c) => Err(self.error(at, KeyPathErrorKind::BadEscape(c))),
        }
    }

    fn unicode(&mut self, at: usize) -> Result<char, KeyPathError> {
        let bad = |p: &Self| p.error(at, KeyPathErrorKind::BadUnicode);
        if self.bump() != Some('{') {
            return Err(bad(self));
        }
        let mut hex = String::new();
        loop {
            match self.bump() {
                Some('}') => break,
                Some(c) if c.is_ascii_hexdigit() && hex.len() < 6 => hex.push(c),
                _ => return Err(bad(self)),
            }
        }
        u32::from_str_radix(&hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| bad(self))
    }

    fn index(&mut self) -> Result<usize, KeyPathError> {
        let open = self.col;
        self.bump();
        let mut digits = String::new();
        while let Some(&c) = self.chars.peek() {
            if !c.is_ascii_digit() {
                break;
            }
            digits.push(c);
            self.bump();
        }
        if self.bump() != Some(']') {
            return Err(self.error(open, KeyPathErrorKind::BadIndex));
        }
        digits
            .parse()
            .map_err(|_| self.error(open, KeyPathErrorKind::BadIndex))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(path: &str) -> Vec<Segment> {
        KeyPath::parse(path).unwrap().segments().to_vec()
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }

    fn err(path: &str) -> (usize, KeyPathErrorKind) {
        let e = KeyPath::parse(path).unwrap_err();
        (e.col, e.kind)
    }

    #[test]
    fn parses_bare_quoted_and_indexed_segments() {
        assert_eq!(keys("params.author"), [key("params"), key("author")]);
        assert_eq!(keys(r#"params."a.b""#), [key("params"), key("a.b")]);
        assert_eq!(keys(r#""""#), [key("")]);
        assert_eq!(
            keys("título.date-published"),
            [key("título"), key("date-published")]
        );
        assert_eq!(
            keys("authors[0].name"),
            [key("authors"), Segment::Index(0), key("name")]
        );
        assert_eq!(
            keys(r#""a\"b\\c\n\u{1F600}"[12][3]"#),
            [key("a\"b\\c\n😀"), Segment::Index(12), Segment::Index(3)]
        );
    }

    #[test]
    fn errors_name_the_column_of_the_mistake() {
        use KeyPathErrorKind::*;
        assert_eq!(err("a..b"), (3, EmptyKey));
        assert_eq!(err(".a"), (1, EmptyKey));
        assert_eq!(err("a."), (3, EmptyKey));
        assert_eq!(err(""), (1, EmptyKey));
        assert_eq!(err("params.'a.b'"), (8, NotBare('\'')));
        assert_eq!(err("my key"), (3, NotBare(' ')));
        assert_eq!(err(r#"a."b"#), (3, UnclosedQuote));
        assert_eq!(err(r#"a."b\"#), (3, UnclosedQuote));
        assert_eq!(err(r#"a."b"c"#), (6, Unexpected('c')));
        assert_eq!(err(r#""a\qb""#), (3, BadEscape('q')));
        assert_eq!(err(r#""\u{110000}""#), (2, BadUnicode));
        assert_eq!(err("tags[x]"), (5, BadIndex));
        assert_eq!(err("tags[-1]"), (5, BadIndex));
        assert_eq!(err("tags[1]x"), (8, Unexpected('x')));
        assert_eq!(err("[0]"), (1, LeadingIndex));
        let e = KeyPath::parse_field(r#""a[1]".b[2]"#).unwrap_err();
        assert_eq!((e.col, e.kind), (9, IndexNotAllowed));
        assert!(KeyPath::parse_field(r#"params."a[1]""#).is_ok());
    }

    #[test]
    fn displays_with_quotes_only_where_needed() {
        let path = KeyPath::root()
            .child(key("params"))
            .child(key("a.b"))
            .child(Segment::Index(2))
            .child(key("say \"hi\"\t"));
        assert_eq!(path.to_string(), r#"params."a.b"[2]."say \"hi\"\t""#);
        assert_eq!(KeyPath::parse("tags[2]").unwrap().to_string(), "tags[2]");
        assert_eq!(
            KeyPath::root().child(key("\u{7}")).to_string(),
            r#""\u{7}""#
        );
    }

    #[test]
    fn resolves_to_the_node_and_its_key_position() {
        let text = "params:\n  a.b: 1\ntags: [x, y, z]\n";
        let parsed = crate::formats::yaml::parse(text, 2, &Default::default()).unwrap();
        let table = parsed.root.value.as_table().unwrap();
        let found = KeyPath::parse(r#"params."a.b""#)
            .unwrap()
            .resolve(table)
            .unwrap();
        assert_eq!(found.key_pos, Some(Pos::new(3, 3)));
        assert_eq!(found.node.pos, Pos::new(3, 8));
        let item = KeyPath::parse("tags[2]").unwrap().resolve(table).unwrap();
        assert_eq!((item.node.pos, item.key_pos), (Pos::new(4, 14), None));
        assert!(KeyPath::parse("tags[3]").unwrap().resolve(table).is_none());
        assert!(KeyPath::parse("params.a").unwrap().resolve(table).is_none());
        assert!(KeyPath::parse("tags.x").unwrap().resolve(table).is_none());
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            3 => any::<String>().prop_map(Segment::Key),
            1 => "[a-z.\"\\\\\\[\\] ]{0,4}".prop_map(Segment::Key),
            1 => (0usize..1000).prop_map(Segment::Index),
        ]
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(first in any::<String>(), rest in prop::collection::vec(segment(), 0..5)) {
            let mut path = KeyPath::root().child(Segment::Key(first));
            for s in rest {
                path.push(s);
            }
            let shown = path.to_string();
            prop_assert_eq!(KeyPath::parse(&shown), Ok(path), "shown as {}", shown);
        }
    }
}
