//! The format-neutral ordered value that every format parses into and emits from.
//!
//! A [`Node`] carries its position in the *file* (not in the front matter block), the
//! presentation facts a converter must keep (scalar style, original number text) and, on
//! table entries, the comments that belong to a key. Equality for round-trip verification is
//! [`Node::same_value`]: it compares data only, never positions, styles or comments.

use indexmap::IndexMap;
use serde::Serialize;

/// A position in a file: 1-based line, 1-based column counted in characters (not bytes).
/// A UTF-8 BOM is not counted as a column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Self { line, col }
    }
}

/// How a scalar was written in the source. Only YAML distinguishes most of these; other
/// formats use `Plain` for bare values and `Quoted` for strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// A YAML flow collection (`[a, b]`, `{a: 1}`) or a TOML inline table / array.
    Flow,
    /// A YAML block collection or a TOML `[table]`.
    Block,
}

impl Style {
    pub fn is_quoted(self) -> bool {
        matches!(self, Style::SingleQuoted | Style::DoubleQuoted)
    }
}

/// One value with where it stands in the file and how it was written.
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    pub style: Style,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Self {
            value,
            pos,
            style: Style::Plain,
        }
    }

    pub fn with_style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Data equality: what every reader of the file sees. Positions, styles and comments do
    /// not count; key order does (a converter must keep it, or report each move).
    pub fn same_value(&self, other: &Node) -> bool {
        self.value.same_value(&other.value)
    }
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(Int),
    Float(Float),
    String(String),
    DateTime(DateTime),
    Array(Vec<Node>),
    Table(Table),
}

impl Value {
    /// The word used for this kind of value in messages (`found string "2020-10-10"`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::DateTime(d) => d.kind.name(),
            Value::Array(_) => "array",
            Value::Table(_) => "table",
        }
    }

    pub fn same_value(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a.value == b.value,
            (Value::Float(a), Value::Float(b)) => a.same_value(b),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::DateTime(a), Value::DateTime(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_value(y))
            }
            (Value::Table(a), Value::Table(b)) => a.same_value(b),
            _ => false,
        }
    }

    pub fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// An integer. YAML and JSON may hold integers wider than TOML's i64; i128 holds every
/// integer a post plausibly carries, and the parsers refuse (as a syntax error naming the
/// number) anything wider rather than rounding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Int {
    pub value: i128,
}

/// A float and the decimal text it was written as, so that `1602377984.4306138` is written
/// back as exactly those digits in every format, and digits beyond f64's precision survive.
#[derive(Clone, Debug)]
pub struct Float {
    pub value: f64,
    /// Canonical decimal text: `-?D+(.D+)?(e[+-]D+)?` — no `+` sign, no `_`, no leading
    /// zeros in the integer part, a digit on both sides of the point. `None` for NaN and the
    /// infinities, and for floats computed rather than read.
    pub text: Option<Box<str>>,
}

impl Float {
    /// A float from source text in any of our formats' decimal notations (`+1.5`, `.5`,
    /// `1_000.0`, `1E5`, `1.`). Returns `None` if the text is not a finite decimal.
    pub fn from_decimal_text(text: &str) -> Option<Float> {
        let canon = canonical_decimal(text)?;
        let value: f64 = canon.parse().ok()?;
        if !value.is_finite() {
            return None;
        }
        Some(Float {
            value,
            text: Some(canon.into_boxed_str()),
        })
    }

    pub fn from_f64(value: f64) -> Float {
        Float { value, text: None }
    }

    /// Data equality: the same f64 (NaN equals NaN, -0.0 differs from 0.0) and, where both
    /// sides kept their digits, the same exact decimal.
    pub fn same_value(&self, other: &Float) -> bool {
        let same_f64 = if self.value.is_nan() {
            other.value.is_nan()
        } else {
            self.value.to_bits() == other.value.to_bits()
        };
        same_f64
            && match (&self.text, &other.text) {
                (Some(a), Some(b)) => same_decimal(a, b),
                _ => true,
            }
    }

    /// The digits to write: the source text if it was kept, else the shortest text that
    /// reads back as the same f64. Always has a `.` or an exponent... or is a special.
    pub fn decimal_text(&self) -> Option<String> {
        if let Some(text) = &self.text {
            return Some(text.to_string());
        }
        if !self.value.is_finite() {
            return None;
        }
        // `{:?}` prints the shortest round-trip digits and always marks a float (`1.0`,
        // `1e300`); canonicalise its exponent form.
        canonical_decimal(&format!("{:?}", self.value))
    }
}

impl Value {
    /// A number from decimal digits: an integer when there is no point or exponent, else a
    /// float keeping the digits (`1602377984` → Int, `1602377984.4306138` → Float).
    pub fn number(digits: &str) -> Option<Value> {
        if !digits.contains(['.', 'e', 'E'])
            && let Ok(i) = digits.parse::<i128>()
        {
            return Some(Value::Int(Int { value: i }));
        }
        Float::from_decimal_text(digits).map(Value::Float)
    }
}

/// `+1_000.50E5` → `1000.50e+5`; `.5` → `0.5`; `1.` → `1.0`. `None` if not a decimal.
pub fn canonical_decimal(text: &str) -> Option<String> {
    let text = text.trim();
    let (neg, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let rest: String = rest.chars().filter(|&c| c != '_').collect();
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest.as_str(), None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !frac_part.is_none_or(all_digits) {
        return None;
    }
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 3);
    if neg {
        out.push('-');
    }
    let int_trimmed = int_part.trim_start_matches('0');
    out.push_str(if int_trimmed.is_empty() {
        "0"
    } else {
        int_trimmed
    });
    match frac_part {
        Some(f) if !f.is_empty() => {
            out.push('.');
            out.push_str(f);
        }
        Some(_) => out.push_str(".0"),
        None => {}
    }
    if let Some(exp) = exponent {
        let (sign, digits) = match exp.as_bytes().first()? {
            b'-' => ('-', &exp[1..]),
            b'+' => ('+', &exp[1..]),
            _ => ('+', exp),
        };
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        if frac_part.is_none() {
            // YAML 1.1 reads `1e5` as a string; `1.0e+5` is a float everywhere.
            out.push_str(".0");
        }
        out.push('e');
        out.push(sign);
        let d = digits.trim_start_matches('0');
        out.push_str(if d.is_empty() { "0" } else { d });
    }
    Some(out)
}

/// Two canonical decimals denote the same number (`1.50` = `1.5`, `1.0e+2` = `100.0`).
fn same_decimal(a: &str, b: &str) -> bool {
    a == b || exact_decimal(a) == exact_decimal(b)
}

/// (negative, significant digits, power of ten of the last digit) with trailing zeros folded.
fn exact_decimal(text: &str) -> Option<(bool, String, i64)> {
    let (neg, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exp) = match rest.find('e') {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = format!("{int_part}{frac}");
    let mut power = exp - frac.len() as i64;
    let trimmed = digits.trim_end_matches('0').len();
    power += (digits.len() - trimmed) as i64;
    digits.truncate(trimmed);
    let digits = digits.trim_start_matches('0').to_string();
    if digits.is_empty() {
        return Some((neg, String::new(), 0));
    }
    Some((neg, digits, power))
}

/// A date-time as TOML types it. The text is RFC 3339 with an upper-case `T` and `Z`
/// (`1979-05-27T07:32:00Z`, `1979-05-27T07:32:00`, `1979-05-27`, `07:32:00`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub kind: DateTimeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateTimeKind {
    Offset,
    Local,
    Date,
    Time,
}

impl DateTimeKind {
    pub fn name(self) -> &'static str {
        match self {
            DateTimeKind::Offset => "offset date-time",
            DateTimeKind::Local => "local date-time",
            DateTimeKind::Date => "local date",
            DateTimeKind::Time => "local time",
        }
    }
}

/// An ordered mapping from string keys to entries.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub entries: IndexMap<String, Entry>,
    /// Comments after the last entry (YAML/TOML own-line comments with no key below them).
    pub trailing_comments: Vec<String>,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.entries.iter()
    }

    pub fn same_value(&self, other: &Table) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|((ka, a), (kb, b))| ka == kb && a.node.same_value(&b.node))
    }
}

/// One key of a table: where the key stands, its value, and the comments that belong to it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key_pos: Pos,
    pub node: Node,
    pub comments: Comments,
}

impl Entry {
    pub fn new(key_pos: Pos, node: Node) -> Self {
        Self {
            key_pos,
            node,
            comments: Comments::default(),
        }
    }
}

/// Comments attached to a key: full-line comments directly above it and the comment at the
/// end of its line. The text is what follows `#`, as written (leading space kept).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    pub before: Vec<String>,
    pub trailing: Option<String>,
    /// Comments inside the key's value when it is an array (`# add yourself here` between
    /// the items of a TOML array or a YAML block sequence), by item, in item order.
    pub items: Vec<ItemComments>,
}

impl Comments {
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.trailing.is_none() && self.items.is_empty()
    }

    /// Every comment text, in order: for a target that cannot hold them and lists each.
    pub fn texts(&self) -> impl Iterator<Item = &String> {
        self.before
            .iter()
            .chain(&self.trailing)
            .chain(ItemComments::all_texts(&self.items))
    }
}

/// The comments of one array item: full-line comments above it and the comment at the end
/// of its line. `index` may equal the array's length: comments after the last item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemComments {
    pub index: usize,
    pub before: Vec<String>,
    pub trailing: Option<String>,
    /// When the item is itself a list (`- - 1`, `[[1, # one`): the comments between its own
    /// items, by item, to any depth.
    pub inner: Vec<ItemComments>,
}

impl ItemComments {
    /// Every comment text of `items` and of the lists inside them, in item order.
    pub fn all_texts(items: &[ItemComments]) -> Box<dyn Iterator<Item = &String> + '_> {
        Box::new(items.iter().flat_map(|i| {
            i.before
                .iter()
                .chain(&i.trailing)
                .chain(ItemComments::all_texts(&i.inner))
        }))
    }

    /// Whether this item and the lists inside it hold no comment.
    pub fn is_empty(&self) -> bool {
        self.before.is_empty()
            && self.trailing.is_none()
            && self.inner.iter().all(ItemComments::is_empty)
    }

    /// The comments of item `index` in `items`, added if missing.
    pub fn of(items: &mut Vec<ItemComments>, index: usize) -> &mut ItemComments {
        let at = match items.iter().position(|c| c.index == index) {
            Some(at) => at,
            None => {
                items.push(ItemComments {
                    index,
                    ..ItemComments::default()
                });
                items.len() - 1
            }
        };
        &mut items[at]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_decimal_normalises_every_notation() {
        assert_eq!(
            canonical_decimal("1602377984.4306138").unwrap(),
            "1602377984.4306138"
        );
        assert_eq!(canonical_decimal("+1_000.50E5").unwrap(), "1000.50e+5");
        assert_eq!(canonical_decimal(".5").unwrap(), "0.5");
        assert_eq!(canonical_decimal("1.").unwrap(), "1.0");
        assert_eq!(canonical_decimal("1e-7").unwrap(), "1.0e-7");
        assert_eq!(canonical_decimal("-007.25").unwrap(), "-7.25");
        assert!(canonical_decimal("1.2.3").is_none());
        assert!(canonical_decimal(".").is_none());
        assert!(canonical_decimal("1e").is_none());
        assert!(canonical_decimal("abc").is_none());
    }

    #[test]
    fn floats_compare_by_exact_decimal_where_both_kept_digits() {
        let a = Float::from_decimal_text("1.50").unwrap();
        let b = Float::from_decimal_text("1.5").unwrap();
        assert!(a.same_value(&b));
        let long_a = Float::from_decimal_text("0.1000000000000000000001").unwrap();
        let long_b = Float::from_decimal_text("0.1000000000000000000002").unwrap();
        assert_eq!(long_a.value, long_b.value);
        assert!(!long_a.same_value(&long_b));
        assert!(
            Float::from_decimal_text("1.0e+2")
                .unwrap()
                .same_value(&Float::from_decimal_text("100.0").unwrap())
        );
    }

    #[test]
    fn shortest_text_for_computed_floats() {
        assert_eq!(
            Float::from_f64(1602377984.4306138).decimal_text().unwrap(),
            "1602377984.4306138"
        );
        assert_eq!(Float::from_f64(1e300).decimal_text().unwrap(), "1.0e+300");
        assert_eq!(Float::from_f64(2.0).decimal_text().unwrap(), "2.0");
    }
}
