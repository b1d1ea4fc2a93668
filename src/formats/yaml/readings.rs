//! Where YAML 1.1 readers (Jekyll's Psych, PyYAML, go-yaml v2) and fmx's YAML 1.2 core
//! reading part ways: every plain scalar, value or key, whose readings differ, with its
//! position and both readings; and the block read the YAML 1.1 way when the user says so.
//!
//! fmx cannot know which reader a site uses, so the converter refuses such a value unless
//! the reading is named (`--yaml 1.1|1.2`): [`readings`] finds them, [`parse_as`] applies
//! the chosen one.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle};

use super::read::syntax;
use super::scalar::{describe, resolve_plain};
use super::yaml11::{PSYCH, pyyaml_value, yaml11_reading};
use crate::formats::{DuplicateKey, Limits, ParseError, Parsed, key_path};
use crate::value::{DateTime, Node, Pos, Style, Table, Value};

/// Which YAML reads the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum YamlVersion {
    /// YAML 1.2's core schema, strictly: `no` and `on` are strings, `012` is twelve, `1e3`
    /// is a float. What fmx reads by default (Hugo, Zola, YAML 1.2 libraries).
    #[default]
    Core12,
    /// YAML 1.1 as PyYAML resolves it, which Jekyll's Psych follows nearly everywhere:
    /// `no` is false, `on` true, `012` eight-and-two, `1:20` eighty, `1e3` a string.
    Yaml11,
}

/// `"1.1"` or `"1.2"` (as `--yaml` and `yaml = "…"` take it) was something else.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown YAML version `{0}`: expected 1.1 or 1.2")]
pub struct UnknownYamlVersion(pub String);

impl std::str::FromStr for YamlVersion {
    type Err = UnknownYamlVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1.2" => Ok(YamlVersion::Core12),
            "1.1" => Ok(YamlVersion::Yaml11),
            _ => Err(UnknownYamlVersion(s.to_owned())),
        }
    }
}

/// One plain scalar that YAML 1.1 and YAML 1.2 readers read differently.
#[derive(Clone, Debug)]
pub struct Reading {
    /// Where the scalar starts, in file coordinates.
    pub pos: Pos,
    /// The scalar as written.
    pub text: String,
    /// A mapping key (fmx reads every key as its text).
    pub key: bool,
    /// fmx's reading (YAML 1.2 core); for a key, the string.
    pub yaml12: Value,
    /// PyYAML's reading, when it differs from fmx's and fmx can hold it. `None` where only
    /// Psych or go-yaml v2 differ, or where PyYAML refuses the scalar.
    pub yaml11: Option<Value>,
    /// Who reads it otherwise (`YAML 1.1 readers (Jekyll, PyYAML)`, `Ruby's Psych (Jekyll)`).
    pub readers: &'static str,
    /// Their reading in words (`the boolean false`, `the string "1e3"`).
    pub theirs: String,
}

impl Reading {
    /// What the `ambiguous-value` rule and `convert` count as read apart: neither a merge key
    /// `<<` (fmx merges it as YAML 1.1 readers do) nor a key that keeps its text.
    pub fn reads_apart(&self) -> bool {
        !(self.key_keeps_its_text() || self.key && self.text == "<<")
    }

    /// A key whose YAML 1.1 value is written as the key's own text (`1:` is the integer 1).
    pub fn key_keeps_its_text(&self) -> bool {
        self.key
            && self.yaml11.as_ref().is_some_and(|v| match v {
                Value::Bool(b) => b.to_string() == self.text,
                Value::Int(i) => i.value.to_string() == self.text,
                Value::String(s) => *s == self.text,
                _ => false,
            })
    }

    /// `` `no` is the string "no" to fmx (YAML 1.2), but YAML 1.1 readers (Jekyll, PyYAML)
    /// read it as the boolean false `` — both readings named.
    pub fn message(&self) -> String {
        let what = if self.key { "key" } else { "value" };
        format!(
            "{what} `{}` is {} to fmx (YAML 1.2), but {} read it as {}",
            self.text,
            describe(&self.text, &self.yaml12),
            self.readers,
            self.theirs
        )
    }

    /// Only Psych differs, by taking a date-shaped string for a time (`2013-06-27 11:00:01
    /// +0000`): what the `ambiguous-value` rule leaves out, since Jekyll reads a date
    /// string itself.
    pub fn only_psych_time(&self) -> bool {
        self.readers == PSYCH && self.theirs == "a date or time"
    }
}

/// Every plain, untagged scalar of a YAML block (value or key) whose YAML 1.1 reading
/// differs from fmx's, in source order. `text` and `first_line` as for
/// [`super::parse`]; a block that does not parse gives the parser's error.
pub fn readings(text: &str, first_line: u32, limits: &Limits) -> Result<Vec<Reading>, ParseError> {
    let limits = limits.clamped();
    let mut found = Vec::new();
    // Most blocks are read by the fast path: its plain scalars are all there is to judge, at
    // a fraction of the full parser's cost (this runs on every YAML post `check` reads).
    let fast = super::fast::parse_seeing(text, first_line, &limits, &mut |text, key, pos, v| {
        found.extend(reading(text, key, pos, v));
    });
    if fast.is_some() {
        return Ok(found);
    }
    full_readings(text, first_line, &limits)
}

/// [`readings`] by the full parser, for any block.
fn full_readings(text: &str, first_line: u32, limits: &Limits) -> Result<Vec<Reading>, ParseError> {
    let mut found = Vec::new();
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = limits.max_depth;
    options.block_nesting_limit = limits.max_depth;
    // Per open collection: `Some(next node is a key)` for a mapping, `None` for a sequence.
    let mut stack: Vec<Option<bool>> = Vec::new();
    let to_pos = |line: usize, col: usize| {
        let line = u32::try_from(line).unwrap_or(u32::MAX).saturating_sub(1);
        let col = u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1);
        Pos::new(first_line.saturating_add(line), col)
    };
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            syntax(to_pos(m.line(), m.col()), e.kind().to_string())
        })?;
        match event {
            Event::Scalar(value, style, _, tag) => {
                let key = node_starts(&mut stack);
                let empty = span.start.index() == span.end.index();
                if style == ScalarStyle::Plain && tag.is_none() && !empty {
                    let pos = to_pos(span.start.line(), span.start.col());
                    found.extend(reading(&value, key, pos, None));
                }
            }
            Event::SequenceStart(..) => {
                node_starts(&mut stack);
                stack.push(None);
            }
            Event::MappingStart(..) => {
                node_starts(&mut stack);
                stack.push(Some(true));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            Event::Alias(_) => {
                node_starts(&mut stack);
            }
            _ => {}
        }
    }
    Ok(found)
}

/// A node begins in the innermost collection: whether it is a mapping's key.
fn node_starts(stack: &mut [Option<bool>]) -> bool {
    match stack.last_mut() {
        Some(Some(next_is_key)) => {
            let key = *next_is_key;
            *next_is_key = !key;
            key
        }
        _ => false,
    }
}

/// The scalar's two readings when they differ; `resolved` is fmx's reading of a value when
/// the caller has it.
pub(super) fn reading(
    text: &str,
    key: bool,
    pos: Pos,
    resolved: Option<&Value>,
) -> Option<Reading> {
    if cannot_diverge(text) {
        return None;
    }
    read_both_ways(text, key, pos, resolved)
}

/// A plain scalar no YAML 1.1 reader takes for anything but the string fmx reads: one that
/// starts with a letter no YAML 1.1 word (`yes`, `no`, `on`, `off`, `y`, `n`, Psych's
/// `true`/`false`/`null` in any case) starts with, or with a non-ASCII character. Most
/// titles, tags and slugs: they skip the resolvers.
fn cannot_diverge(text: &str) -> bool {
    text.as_bytes()
        .first()
        .is_some_and(|&b| b >= 0x80 || (b.is_ascii_alphabetic() && !b"yYnNoOtTfF".contains(&b)))
}

fn read_both_ways(text: &str, key: bool, pos: Pos, resolved: Option<&Value>) -> Option<Reading> {
    let yaml12 = match resolved {
        _ if key => Value::String(text.to_owned()),
        Some(v) => v.clone(),
        None => resolve_plain(text).ok()?,
    };
    let (readers, theirs) = yaml11_reading(text, &yaml12)?;
    let yaml11 = pyyaml_value(text).filter(|v| !v.same_value(&yaml12));
    Some(Reading {
        pos,
        text: text.to_owned(),
        key,
        yaml12,
        yaml11,
        readers,
        theirs,
    })
}

/// A plain string that Ruby's Psych (Jekyll) reads as a date or time, given that type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retyped {
    /// Key path (`date`, `events[2].at`).
    pub key: String,
    pub pos: Pos,
    /// The scalar as written (`2013-06-27 11:00:01 +0000`).
    pub text: String,
    /// What it became (`2013-06-27T11:00:01+00:00`, an offset date-time).
    pub to: DateTime,
}

/// Gives each plain string of a YAML tree that Psych reads as a date or time that type
/// ([`super::psych_time`]), so a conversion keeps Jekyll's reading: TOML writes a date-time,
/// YAML an unquoted timestamp Psych reads as a time again, JSON its RFC 3339 text. fmx and
/// YAML 1.2 readers read a string there, so every change is returned for the report to list.
pub fn retype_psych_times(root: &mut Node) -> Vec<Retyped> {
    let mut changed = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((node, path)) = stack.pop() {
        let psych = match &node.value {
            Value::String(s) if node.style == Style::Plain => super::psych_time(s),
            _ => None,
        };
        if let Some(to) = psych {
            let old = std::mem::replace(&mut node.value, Value::DateTime(to.clone()));
            changed.push(Retyped {
                key: path,
                pos: node.pos,
                text: old.as_str().unwrap_or_default().to_owned(),
                to,
            });
            continue;
        }
        match &mut node.value {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    stack.push((item, format!("{path}[{i}]")));
                }
            }
            Value::Table(table) => {
                for (key, entry) in table.entries.iter_mut() {
                    stack.push((&mut entry.node, key_path(&path, key)));
                }
            }
            _ => {}
        }
    }
    changed.sort_by_key(|r| r.pos);
    changed
}

/// Parses a YAML block under `version`. [`YamlVersion::Core12`] is [`super::parse`];
/// [`YamlVersion::Yaml11`] then gives each plain scalar PyYAML's value, and each key
/// PyYAML reads as another type the text of that value (`yes:` → `true`, `012:` → `10`),
/// as a JSON or TOML writer of PyYAML's result would. Two keys that become one are a
/// duplicate, the later winning, as in PyYAML.
pub fn parse_as(
    text: &str,
    first_line: u32,
    limits: &Limits,
    version: YamlVersion,
) -> Result<Parsed, ParseError> {
    let mut parsed = super::parse(text, first_line, limits)?;
    if version == YamlVersion::Core12 {
        return Ok(parsed);
    }
    let mut values = HashMap::new();
    let mut keys = HashMap::new();
    for r in readings(text, first_line, limits)? {
        if let Some(v) = r.yaml11 {
            if r.key {
                keys.insert(r.pos, key_text(&v));
            } else {
                values.insert(r.pos, v);
            }
        }
    }
    let mut stack = vec![&mut parsed.root];
    while let Some(node) = stack.pop() {
        if node.style == Style::Plain
            && let Some(v) = values.get(&node.pos)
        {
            node.value = v.clone();
            continue;
        }
        match &mut node.value {
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Table(table) => {
                if table.iter().any(|(_, e)| keys.contains_key(&e.key_pos)) {
                    rename_keys(table, &keys, &mut parsed.duplicates);
                }
                stack.extend(table.entries.values_mut().map(|e| &mut e.node));
            }
            _ => {}
        }
    }
    Ok(parsed)
}

/// A YAML 1.1 key's value as text, as `json.dumps` writes a PyYAML key.
fn key_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.value.to_string(),
        Value::Float(f) => f.decimal_text().unwrap_or_else(|| f.value.to_string()),
        Value::DateTime(d) => d.text.clone(),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Table(_) => String::new(),
    }
}

fn rename_keys(table: &mut Table, keys: &HashMap<Pos, String>, dups: &mut Vec<DuplicateKey>) {
    let old = std::mem::take(&mut table.entries);
    let mut first: HashMap<String, Pos> = HashMap::new();
    for (key, entry) in old {
        let key = keys.get(&entry.key_pos).cloned().unwrap_or(key);
        if let Some(&at) = first.get(&key) {
            dups.push(DuplicateKey {
                key: key.clone(),
                pos: entry.key_pos,
                first: at,
            });
            // The later value wins where the first key stood, as PyYAML's dict does.
            if let Some(slot) = table.entries.get_mut(&key) {
                *slot = entry;
            }
            continue;
        }
        first.insert(key.clone(), entry.key_pos);
        table.entries.insert(key, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(block: &str) -> Vec<(String, bool, Option<Value>)> {
        readings(block, 2, &Limits::default())
            .unwrap()
            .into_iter()
            .map(|r| (r.text, r.key, r.yaml11))
            .collect()
    }

    /// What a reading says, for comparing the fast path with the full parser.
    fn said(found: Vec<Reading>) -> Vec<(Pos, String, bool, String, String)> {
        found
            .into_iter()
            .map(|r| (r.pos, r.text, r.key, r.readers.to_owned(), r.theirs))
            .collect()
    }

    #[test]
    fn the_shortcut_keeps_every_yaml11_word() {
        for word in [
            "tRUE", "fAlSe", "nULL", "yes", "On", "n", "Y", "OFF", "no", ":sym",
        ] {
            assert!(!cannot_diverge(word), "{word}");
            assert!(
                reading(word, false, Pos::new(1, 1), None).is_some(),
                "{word}"
            );
        }
    }

    proptest::proptest! {
        /// The shortcut only skips scalars that have no second reading.
        #[test]
        fn what_cannot_diverge_has_one_reading(
            text in "[a-zA-Z\u{e9}\u{4e2d}][a-zA-Z0-9 .:,_+-]{0,12}",
            key in proptest::bool::ANY,
        ) {
            if cannot_diverge(&text) {
                proptest::prop_assert!(read_both_ways(&text, key, Pos::new(1, 1), None).is_none(), "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        /// The fast path must find exactly what the full parser finds, on the flat blocks it
        /// reads (and hand every other block over).
        #[test]
        fn fast_readings_are_the_full_parsers(
            lines in proptest::collection::vec(
                (
                    "(yes|on|No|y|n|title|1|012|_k|a b)",
                    "(yes|NO|off|012|0o12|1e3|-.5|\\+.5|1:20|1_000|0b101|2013-06-27 11:00:01 \\+0000|2020-01-02|~|null|true|x|'no'|\"on\"|1602377984.43|>\n  folded|)",
                ),
                0..8,
            )
        ) {
            let block: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            let limits = Limits::default();
            let fast = readings(&block, 3, &limits);
            let full = full_readings(&block, 3, &limits.clamped());
            // What the load found on its way, when it did, is the same again.
            let loaded = crate::formats::yaml::parse(&block, 3, &limits)
                .ok()
                .and_then(|p| p.yaml_readings);
            match (fast, full) {
                (Ok(a), Ok(b)) => {
                    if let Some(loaded) = loaded {
                        proptest::prop_assert_eq!(said(loaded), said(b.clone()));
                    }
                    proptest::prop_assert_eq!(said(a), said(b));
                }
                (a, b) => proptest::prop_assert_eq!(a.is_ok(), b.is_ok(), "{:?}", block),
            }
        }
    }

    #[test]
    fn numbers_yaml11_reads_as_strings_and_ambiguous_keys_are_found() {
        let block = "a: 1e3\nb: 1.0e3\nc: 1.6e9\nd: -.5\ne: +.5\nf: 0o12\nyes: 1\non: [no, 012]\n\
                     ok: fine\nn: 1:20\n";
        let texts: Vec<_> = found(block).into_iter().map(|(t, k, _)| (t, k)).collect();
        let expect = [
            ("1e3", false),
            ("1.0e3", false),
            ("1.6e9", false),
            ("-.5", false),
            ("+.5", false),
            ("0o12", false),
            ("yes", true),
            ("on", true),
            ("no", false),
            ("012", false),
            ("n", true),
            ("1:20", false),
        ];
        let expect: Vec<_> = expect.iter().map(|(t, k)| (t.to_string(), *k)).collect();
        assert_eq!(texts, expect);
    }

    #[test]
    fn readings_carry_positions_and_both_values() {
        let r = &readings("title: T\npublished: no\n", 2, &Limits::default()).unwrap()[0];
        assert_eq!(r.pos, Pos::new(3, 12));
        assert!(matches!(r.yaml12, Value::String(ref s) if s == "no"));
        assert!(matches!(r.yaml11, Some(Value::Bool(false))));
        assert_eq!(
            r.message(),
            "value `no` is the string \"no\" to fmx (YAML 1.2), but YAML 1.1 readers \
             (Jekyll, PyYAML) read it as the boolean false"
        );
    }

    #[test]
    fn quoted_and_tagged_scalars_read_the_same_everywhere() {
        assert!(found("a: \"no\"\nb: 'yes'\nc: !!str on\n\"on\": 1\n").is_empty());
    }

    fn value_of(parsed: &Parsed, key: &str) -> Value {
        parsed
            .root
            .value
            .as_table()
            .unwrap()
            .get(key)
            .unwrap()
            .node
            .value
            .clone()
    }

    #[test]
    fn parse_as_yaml11_gives_pyyaml_values_and_keys() {
        let block = "published: no\nn: 012\nt: 1:20\ne: 1e3\nyes: 1\nlist: [on, off, x]\n";
        let limits = Limits::default();
        let p = parse_as(block, 2, &limits, YamlVersion::Yaml11).unwrap();
        assert!(matches!(value_of(&p, "published"), Value::Bool(false)));
        assert!(matches!(value_of(&p, "n"), Value::Int(i) if i.value == 10));
        assert!(matches!(value_of(&p, "t"), Value::Int(i) if i.value == 80));
        assert!(matches!(value_of(&p, "e"), Value::String(s) if s == "1e3"));
        assert!(matches!(value_of(&p, "true"), Value::Int(i) if i.value == 1));
        let Value::Array(list) = value_of(&p, "list") else {
            panic!("a list")
        };
        assert!(matches!(list[0].value, Value::Bool(true)));
        assert!(matches!(list[1].value, Value::Bool(false)));
        let keys: Vec<_> = p
            .root
            .value
            .as_table()
            .unwrap()
            .entries
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["published", "n", "t", "e", "true", "list"]);
        let core = parse_as(block, 2, &limits, YamlVersion::Core12).unwrap();
        assert!(matches!(value_of(&core, "published"), Value::String(s) if s == "no"));
        assert!(matches!(value_of(&core, "e"), Value::Float(_)));
    }

    #[test]
    fn keys_that_become_one_are_a_duplicate() {
        let p = parse_as(
            "true: 1\nyes: 2\n",
            2,
            &Limits::default(),
            YamlVersion::Yaml11,
        )
        .unwrap();
        assert!(matches!(value_of(&p, "true"), Value::Int(i) if i.value == 2));
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!(p.duplicates[0].pos, Pos::new(3, 1));
    }

    /// Plain scalars against PyYAML and Psych: where `readings` finds nothing, both read
    /// what fmx reads; where it finds a PyYAML value, PyYAML reads exactly that.
    #[test]
    fn readings_agree_with_pyyaml_and_psych() {
        use crate::formats::yaml::tests::readers::{self, Reader};
        let scalars = [
            "1e3",
            "1.0e3",
            "1.6e9",
            "-.5",
            "+.5",
            "0o12",
            "012",
            "0x1F",
            "1_000",
            "1:20",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "true",
            "null",
            "~",
            "1.0e+3",
            ".5",
            "+1",
            "0b101",
            "1.5",
            "10",
            "-7",
            ".inf",
            "-.inf",
            ".nan",
            "hello",
            "2020-10-10",
            "2001-12-14t21:59:43.10-05:00",
            "1,000",
            "0.1_5",
        ];
        let texts: Vec<String> = scalars.iter().map(|s| format!("a: {s}\n")).collect();
        for reader in [Reader::PyYaml, Reader::Psych] {
            let Some(loaded) = readers::load(reader, &texts) else {
                continue;
            };
            for (plain, theirs) in scalars.iter().zip(&loaded) {
                let theirs = &theirs[1][0][1];
                let found = readings(&format!("a: {plain}\n"), 2, &Limits::default()).unwrap();
                let ours = resolve_plain(plain).unwrap();
                let same_as_ours = readers::same_as(&ours, theirs, plain).is_ok();
                match found.first() {
                    None => assert!(same_as_ours, "{}: {plain} read as {theirs}", reader.name()),
                    Some(r) if reader == Reader::PyYaml => match &r.yaml11 {
                        Some(v) => readers::same_as(v, theirs, plain).unwrap(),
                        None => assert!(same_as_ours || r.readers.contains("PyYAML")),
                    },
                    Some(r) => {
                        assert!(
                            !same_as_ours || !r.readers.contains("Psych"),
                            "{plain}: Psych reads {theirs} as fmx does, but {:?}",
                            r.message()
                        );
                        // An integer Jekyll reads is the one the message names.
                        if theirs[0] == "int" && r.readers.contains("Jekyll") {
                            let n = theirs[1].as_str().unwrap_or_default();
                            assert!(r.theirs.contains(n), "{plain}: Psych {n}, {}", r.theirs);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn psych_times_are_retyped_with_their_key_paths() {
        let block = "date: 2013-06-27 11:00:01 +0000\nq: \"2013-06-27 11:00:01 +0000\"\n\
                     l: [x, 2020-1-5]\nfine: 2020-10-10\n";
        let mut p = super::super::parse(block, 2, &Limits::default()).unwrap();
        let changed = retype_psych_times(&mut p.root);
        let summary: Vec<_> = changed
            .iter()
            .map(|r| (r.key.as_str(), r.to.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("date", "2013-06-27T11:00:01+00:00"),
                ("l[1]", "2020-01-05")
            ]
        );
        assert_eq!(changed[0].pos, Pos::new(2, 7));
        assert!(matches!(value_of(&p, "date"), Value::DateTime(_)));
        assert!(
            matches!(value_of(&p, "q"), Value::String(_)),
            "a quoted string stays"
        );
    }

    /// Psych reads each shape as the instant (or date) `psych_time` gives, and reads
    /// fmx's YAML of that date-time as a time again.
    #[test]
    fn psych_agrees_with_psych_time() {
        use crate::formats::yaml::tests::readers::{self, Reader};
        let shapes = [
            "2013-06-27 11:00:01 +0000",
            "2013-06-27 11:00:01.25 -0700",
            "2020-10-10T10:00:00 +0530",
            "2020-1-5",
        ];
        let mut texts: Vec<String> = shapes.iter().map(|s| format!("a: {s}\n")).collect();
        let written: Vec<DateTime> = shapes
            .iter()
            .map(|s| super::super::psych_time(s).unwrap())
            .collect();
        for d in &written {
            let t = crate::formats::toml::write::test_values::table(vec![(
                "a",
                Node::new(Value::DateTime(d.clone()), Pos::default()),
            )]);
            texts.push(super::super::write::emit(&t).unwrap().text);
        }
        let Some(loaded) = readers::load(Reader::Psych, &texts) else {
            return;
        };
        for (i, theirs) in loaded.iter().enumerate() {
            let ours = Value::DateTime(written[i % shapes.len()].clone());
            let theirs = &theirs[1][0][1];
            if let Err(why) = readers::same_as(&ours, theirs, &texts[i]) {
                panic!("{why}");
            }
            // To the second and the offset: the instant is the same.
            if let (Value::DateTime(d), Some(t)) = (&ours, theirs[1].as_str())
                && d.kind == crate::value::DateTimeKind::Offset
            {
                let a: jiff::Timestamp = d.text.parse().unwrap();
                let b: jiff::Timestamp = t.parse().unwrap();
                assert_eq!(a, b, "{}", texts[i]);
            }
        }
    }

    #[test]
    fn versions_parse_from_their_names() {
        assert_eq!("1.1".parse(), Ok(YamlVersion::Yaml11));
        assert_eq!("1.2".parse(), Ok(YamlVersion::Core12));
        assert!("1.3".parse::<YamlVersion>().is_err());
    }
}
