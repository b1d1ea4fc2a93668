//! The rule registry: every rule's stable name, default severity, fixability, SARIF tags,
//! summary and unit (its page and check, in its own file), and the run of the checks.

mod ambiguous_value;
mod bom;
pub mod dates;
mod delimiter_whitespace;
pub mod fields;
mod fix_failed;
mod key_order;
mod mixed_line_endings;
pub mod not_unique;
pub mod pattern_mismatch;
mod render;
mod schema_violation;
mod structural;
mod toml_11_syntax;
pub mod wrong_length;
pub use render::{render, render_list, render_markdown};

use serde::{Serialize, Serializer};

use crate::config::Schema;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Layout;
use crate::load::{LoadError, Post};

macro_rules! rules {
    ($($variant:ident => $name:literal, $severity:expr, $fixable:literal, [$($tag:literal),*],
        $summary:literal, unit = $unit:path;)*) => {
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

            /// The rule as one unit: its page, and its check with its fix (or, in a family,
            /// its page, the family's check reporting it).
            pub fn unit(self) -> &'static Unit {
                match self { $(Rule::$variant => &$unit),* }
            }
        }
    };
}

const ERROR: Option<Severity> = Some(Severity::Error);
const WARN: Option<Severity> = Some(Severity::Warning);
const OFF: Option<Severity> = None;

// The registry: one line per rule, naming its unit. A family's check is registered once, in
// `FAMILIES` below.
rules! {
    NoFrontMatter => "no-front-matter", ERROR, false, ["front-matter", "syntax"], "the file has no front matter block", unit = structural::NO_FRONT_MATTER;
    UnclosedFrontMatter => "unclosed-front-matter", ERROR, false, ["front-matter", "syntax"], "opening delimiter without a closing one", unit = structural::UNCLOSED_FRONT_MATTER;
    SyntaxError => "syntax-error", ERROR, false, ["front-matter", "syntax"], "the block is not valid YAML/TOML/JSON", unit = structural::SYNTAX_ERROR;
    NotAMapping => "not-a-mapping", ERROR, false, ["front-matter", "syntax"], "the block is a list or a scalar, not key/value pairs", unit = structural::NOT_A_MAPPING;
    DuplicateKey => "duplicate-key", ERROR, false, ["front-matter", "syntax"], "the same key twice in one mapping", unit = structural::DUPLICATE_KEY;
    InvalidEncoding => "invalid-encoding", ERROR, false, ["front-matter", "syntax"], "the front matter block is not UTF-8", unit = structural::INVALID_ENCODING;
    UnreadableFile => "unreadable-file", ERROR, false, ["front-matter", "io"], "a file found while walking could not be read", unit = structural::UNREADABLE_FILE;
    FixFailed => "fix-failed", ERROR, false, ["front-matter", "io"], "`--fix` verified its fixes but could not write the file", unit = fix_failed::UNIT;
    LimitExceeded => "limit-exceeded", ERROR, false, ["front-matter", "syntax"], "the block is too large, too deep, or expands too many aliases", unit = structural::LIMIT_EXCEEDED;
    MissingField => "missing-field", ERROR, false, ["front-matter", "schema"], "a required field is absent", unit = fields::MISSING_FIELD;
    EmptyField => "empty-field", ERROR, false, ["front-matter", "schema"], "a required field is present but null or empty", unit = fields::EMPTY_FIELD;
    WrongType => "wrong-type", ERROR, false, ["front-matter", "schema"], "a field's value is not of its configured type", unit = fields::WRONG_TYPE;
    UnknownField => "unknown-field", ERROR, false, ["front-matter", "schema"], "a field not in the schema, when `allow-unknown-fields = false`", unit = fields::UNKNOWN_FIELD;
    SchemaViolation => "schema-violation", ERROR, false, ["front-matter", "schema"], "a value the JSON Schema for the post rejects", unit = schema_violation::UNIT;
    WrongLength => "wrong-length", ERROR, false, ["front-matter", "schema"], "a string or array longer or shorter than its field allows", unit = wrong_length::UNIT;
    PatternMismatch => "pattern-mismatch", ERROR, false, ["front-matter", "schema"], "a string that does not match its field's `pattern`", unit = pattern_mismatch::UNIT;
    NotUnique => "not-unique", ERROR, false, ["front-matter", "schema"], "a value that must be unique is repeated", unit = not_unique::UNIT;
    NotOneOf => "not-one-of", ERROR, false, ["front-matter", "schema"], "a value outside the field's `one-of` list", unit = fields::NOT_ONE_OF;
    InvalidUrl => "invalid-url", ERROR, false, ["front-matter", "schema"], "a `url` field that does not parse as an absolute URL", unit = fields::INVALID_URL;
    DateNotEpoch => "date-not-epoch", ERROR, true, ["front-matter", "schema", "dates"], "an `epoch` field that is not a number of seconds", unit = dates::DATE_NOT_EPOCH;
    DateNotFinite => "date-not-finite", ERROR, false, ["front-matter", "schema", "dates"], "an `epoch` field that is NaN or infinite", unit = dates::DATE_NOT_FINITE;
    DateOutOfRange => "date-out-of-range", ERROR, false, ["front-matter", "schema", "dates"], "a date before `earliest` or after `latest`", unit = dates::DATE_OUT_OF_RANGE;
    DateInMilliseconds => "date-in-milliseconds", ERROR, false, ["front-matter", "schema", "dates"], "an epoch value that looks like milliseconds", unit = dates::DATE_IN_MILLISECONDS;
    DateInFuture => "date-in-future", WARN, false, ["front-matter", "schema", "dates"], "a date later than now", unit = dates::DATE_IN_FUTURE;
    DelimiterWhitespace => "delimiter-whitespace", OFF, true, ["front-matter", "style"], "trailing spaces or tabs on a delimiter line", unit = delimiter_whitespace::UNIT;
    Bom => "bom", OFF, true, ["front-matter", "style"], "a UTF-8 byte-order mark", unit = bom::UNIT;
    MixedLineEndings => "mixed-line-endings", WARN, false, ["front-matter", "style"], "LF and CRLF in one front matter block", unit = mixed_line_endings::UNIT;
    AmbiguousValue => "ambiguous-value", WARN, true, ["front-matter", "yaml", "portability"], "a YAML plain scalar that YAML 1.1 and 1.2 readers read differently", unit = ambiguous_value::UNIT;
    KeyOrder => "key-order", OFF, true, ["front-matter", "style"], "top-level keys not in the order `key-order` gives", unit = key_order::UNIT;
    Toml11Syntax => "toml-1.1-syntax", WARN, false, ["front-matter", "toml", "portability"], "TOML 1.1 syntax that TOML 1.0 readers (Hugo, tomllib) reject", unit = toml_11_syntax::UNIT;
}

/// Checks that report several rules, each run once per post when any of its rules is on.
/// Every rule of a family still has a unit of its own (its page, `Unit::page_only`).
static FAMILIES: &[&Family] = &[&structural::FAMILY, &fields::FAMILY];

/// A rule in one file: its page, and its check, which attaches its fix (as edits) to the
/// diagnostics it makes. `check` and `--fix` both run the check: nothing is detected twice.
pub struct Unit {
    pub page: RuleDoc,
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

impl Unit {
    /// The unit of a rule something else reports (its family's check; the walk for
    /// `unreadable-file`, the writer for `fix-failed`): its page, and no check of its own.
    pub const fn page_only(page: RuleDoc) -> Unit {
        Unit {
            page,
            check: reported_elsewhere,
        }
    }
}

fn reported_elsewhere(_: &Context<'_>, _: &mut Vec<Diagnostic>) {}

/// The check of a unit that judges only the post's table against its schema.
fn on_table(
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    check: fn(&crate::value::Table, &Schema, &mut Vec<Diagnostic>),
) {
    if let Some(post) = cx.post {
        check(&post.table, cx.schema, out);
    }
}

/// One check that reports several rules (the structural rules are one mapping from
/// `LoadError`; the field rules, dates among them, judge each field once).
pub struct Family {
    pub rules: &'static [Rule],
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// What a check sees: the file's bytes (as far as they were read), its front matter layout
/// when a block was found, the post when it also loaded (else why it did not), the file's
/// schema, and the time that counts as now (Unix seconds).
pub struct Context<'a> {
    pub bytes: &'a [u8],
    pub layout: Option<&'a Layout>,
    pub post: Option<&'a Post>,
    pub error: Option<&'a LoadError>,
    pub schema: &'a Schema,
    pub now: i64,
}

/// Runs every check that reports a rule `wanted` accepts: each unit's when its rule is
/// wanted, each family's once when any of its rules is.
pub fn run(cx: &Context<'_>, wanted: impl Fn(Rule) -> bool, out: &mut Vec<Diagnostic>) {
    for &rule in Rule::ALL {
        if wanted(rule) {
            (rule.unit().check)(cx, out);
        }
    }
    for family in FAMILIES {
        if family.rules.iter().any(|&rule| wanted(rule)) {
            (family.check)(cx, out);
        }
    }
}

impl Rule {
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The rule's page: What it checks / Why / Example / Fix.
    pub fn doc(self) -> &'static RuleDoc {
        &self.unit().page
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
