//! The rule registry: every check's stable name, default severity, fixability and docs.

mod ambiguous_value;
mod bom;
mod delimiter_whitespace;
mod docs;
mod key_order;
pub mod not_unique;
pub mod pattern_mismatch;
mod schema_violation;
mod toml_11_syntax;
pub mod wrong_length;
pub use docs::{render, render_list, render_markdown};

use serde::{Serialize, Serializer};

use crate::config::Schema;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Layout;
use crate::load::Post;

macro_rules! rules {
    ($($variant:ident => $name:literal, $severity:expr, $fixable:literal, [$($tag:literal),*],
        $summary:literal $(, unit = $unit:path)?;)*) => {
        /// A check with a stable kebab-case name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name),* }
            }

            /// `None` means the rule is off unless a config turns it on.
            pub fn default_severity(self) -> Option<Severity> {
                match self { $(Rule::$variant => $severity),* }
            }

            pub fn fixable(self) -> bool {
                match self { $(Rule::$variant => $fixable),* }
            }

            /// Its SARIF tags (`fixable` is added for the fixable ones).
            pub fn tags(self) -> &'static [&'static str] {
                match self { $(Rule::$variant => &[$($tag),*]),* }
            }

            /// One line: what the rule reports.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }

            /// The rule as one unit (page, check, fix), for the rules that live in a file of
            /// their own under `src/rules/`.
            pub fn unit(self) -> Option<&'static Unit> {
                match self { $(Rule::$variant => rules!(@unit $($unit)?)),* }
            }
        }
    };
    (@unit) => { None };
    (@unit $unit:path) => { Some(&$unit) };
}

const ERROR: Option<Severity> = Some(Severity::Error);
const WARN: Option<Severity> = Some(Severity::Warning);
const OFF: Option<Severity> = None;

// The registry: one line per rule. A rule in a file of its own names it as its `unit`.
rules! {
    NoFrontMatter => "no-front-matter", ERROR, false, ["front-matter", "syntax"], "the file has no front matter block";
    UnclosedFrontMatter => "unclosed-front-matter", ERROR, false, ["front-matter", "syntax"], "opening delimiter without a closing one";
    SyntaxError => "syntax-error", ERROR, false, ["front-matter", "syntax"], "the block is not valid YAML/TOML/JSON";
    NotAMapping => "not-a-mapping", ERROR, false, ["front-matter", "syntax"], "the block is a list or a scalar, not key/value pairs";
    DuplicateKey => "duplicate-key", ERROR, false, ["front-matter", "syntax"], "the same key twice in one mapping";
    InvalidEncoding => "invalid-encoding", ERROR, false, ["front-matter", "syntax"], "the front matter block is not UTF-8";
    UnreadableFile => "unreadable-file", ERROR, false, ["front-matter", "io"], "a file found while walking could not be read";
    LimitExceeded => "limit-exceeded", ERROR, false, ["front-matter", "syntax"], "the block is too large, too deep, or expands too many aliases";
    MissingField => "missing-field", ERROR, false, ["front-matter", "schema"], "a required field is absent";
    EmptyField => "empty-field", ERROR, false, ["front-matter", "schema"], "a required field is present but null or empty";
    WrongType => "wrong-type", ERROR, false, ["front-matter", "schema"], "a field's value is not of its configured type";
    UnknownField => "unknown-field", ERROR, false, ["front-matter", "schema"], "a field not in the schema, when `allow-unknown-fields = false`";
    SchemaViolation => "schema-violation", ERROR, false, ["front-matter", "schema"], "a value the JSON Schema for the post rejects", unit = schema_violation::UNIT;
    WrongLength => "wrong-length", ERROR, false, ["front-matter", "schema"], "a string or array longer or shorter than its field allows", unit = wrong_length::UNIT;
    PatternMismatch => "pattern-mismatch", ERROR, false, ["front-matter", "schema"], "a string that does not match its field's `pattern`", unit = pattern_mismatch::UNIT;
    NotUnique => "not-unique", ERROR, false, ["front-matter", "schema"], "a value that must be unique is repeated", unit = not_unique::UNIT;
    NotOneOf => "not-one-of", ERROR, false, ["front-matter", "schema"], "a value outside the field's `one-of` list";
    InvalidUrl => "invalid-url", ERROR, false, ["front-matter", "schema"], "a `url` field that does not parse as an absolute URL";
    DateNotEpoch => "date-not-epoch", ERROR, true, ["front-matter", "schema", "dates"], "an `epoch` field that is not a number of seconds";
    DateNotFinite => "date-not-finite", ERROR, false, ["front-matter", "schema", "dates"], "an `epoch` field that is NaN or infinite";
    DateOutOfRange => "date-out-of-range", ERROR, false, ["front-matter", "schema", "dates"], "a date before `earliest` or after `latest`";
    DateInMilliseconds => "date-in-milliseconds", ERROR, false, ["front-matter", "schema", "dates"], "an epoch value that looks like milliseconds";
    DateInFuture => "date-in-future", WARN, false, ["front-matter", "schema", "dates"], "a date later than now";
    DelimiterWhitespace => "delimiter-whitespace", OFF, true, ["front-matter", "style"], "trailing spaces or tabs on a delimiter line", unit = delimiter_whitespace::UNIT;
    Bom => "bom", OFF, true, ["front-matter", "style"], "a UTF-8 byte-order mark", unit = bom::UNIT;
    MixedLineEndings => "mixed-line-endings", WARN, false, ["front-matter", "style"], "LF and CRLF in one front matter block";
    AmbiguousValue => "ambiguous-value", WARN, true, ["front-matter", "yaml", "portability"], "a YAML plain scalar that YAML 1.1 and 1.2 readers read differently", unit = ambiguous_value::UNIT;
    KeyOrder => "key-order", OFF, true, ["front-matter", "style"], "top-level keys not in the order `key-order` gives", unit = key_order::UNIT;
    Toml11Syntax => "toml-1.1-syntax", WARN, false, ["front-matter", "toml", "portability"], "TOML 1.1 syntax that TOML 1.0 readers (Hugo, tomllib) reject", unit = toml_11_syntax::UNIT;
}

/// A rule in one file: its page, and its check, which attaches its fix (as edits) to the
/// diagnostics it makes. `check` and `--fix` both run the check: nothing is detected twice.
pub struct Unit {
    pub page: RuleDoc,
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// What a unit's check sees: the file's bytes (as far as they were read), its front matter
/// layout when a block was found, the post when it also loaded, and the file's schema.
pub struct Context<'a> {
    pub bytes: &'a [u8],
    pub layout: Option<&'a Layout>,
    pub post: Option<&'a Post>,
    pub schema: &'a Schema,
}

impl Rule {
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The rule's page: What it checks / Why / Example / Fix.
    pub fn doc(self) -> &'static RuleDoc {
        match self.unit() {
            Some(unit) => &unit.page,
            None => docs::doc(self),
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A rule's documentation, printed by `fmx explain RULE` and used as SARIF help text.
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    /// A post (or block) that triggers the rule, and the diagnostic it gets.
    pub example: &'static str,
    /// How to fix it; says whether `fmx check --fix` does it.
    pub fix: &'static str,
}
