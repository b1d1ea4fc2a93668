//! The rule registry: every check's stable name, default severity, fixability and docs.

mod docs;
pub use docs::{render, render_list, render_markdown};

use serde::{Serialize, Serializer};

use crate::diagnostic::Severity;

macro_rules! rules {
    ($($variant:ident => $name:literal, $severity:expr, $fixable:literal, $summary:literal;)*) => {
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

            /// One line: what the rule reports.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }
        }
    };
}

const ERROR: Option<Severity> = Some(Severity::Error);
const WARN: Option<Severity> = Some(Severity::Warning);
const OFF: Option<Severity> = None;

rules! {
    NoFrontMatter => "no-front-matter", ERROR, false, "the file has no front matter block";
    UnclosedFrontMatter => "unclosed-front-matter", ERROR, false, "opening delimiter without a closing one";
    SyntaxError => "syntax-error", ERROR, false, "the block is not valid YAML/TOML/JSON";
    NotAMapping => "not-a-mapping", ERROR, false, "the block is a list or a scalar, not key/value pairs";
    DuplicateKey => "duplicate-key", ERROR, false, "the same key twice in one mapping";
    InvalidEncoding => "invalid-encoding", ERROR, false, "the front matter block is not UTF-8";
    UnreadableFile => "unreadable-file", ERROR, false, "a file found while walking could not be read";
    LimitExceeded => "limit-exceeded", ERROR, false, "the block is too large, too deep, or expands too many aliases";
    MissingField => "missing-field", ERROR, false, "a required field is absent";
    EmptyField => "empty-field", ERROR, false, "a required field is present but null or empty";
    WrongType => "wrong-type", ERROR, false, "a field's value is not of its configured type";
    UnknownField => "unknown-field", ERROR, false, "a field not in the schema, when `allow-unknown-fields = false`";
    NotOneOf => "not-one-of", ERROR, false, "a value outside the field's `one-of` list";
    InvalidUrl => "invalid-url", ERROR, false, "a `url` field that does not parse as an absolute URL";
    DateNotEpoch => "date-not-epoch", ERROR, true, "an `epoch` field that is not a number of seconds";
    DateNotFinite => "date-not-finite", ERROR, false, "an `epoch` field that is NaN or infinite";
    DateOutOfRange => "date-out-of-range", ERROR, false, "a date before `earliest` or after `latest`";
    DateInMilliseconds => "date-in-milliseconds", ERROR, false, "an epoch value that looks like milliseconds";
    DateInFuture => "date-in-future", WARN, false, "a date later than now";
    DelimiterWhitespace => "delimiter-whitespace", OFF, true, "trailing spaces or tabs on a delimiter line";
    Bom => "bom", OFF, true, "a UTF-8 byte-order mark";
    MixedLineEndings => "mixed-line-endings", WARN, false, "LF and CRLF in one front matter block";
    AmbiguousValue => "ambiguous-value", WARN, true, "a YAML plain scalar that YAML 1.1 and 1.2 readers read differently";
}

impl Rule {
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The rule's page: What it checks / Why / Example / Fix.
    pub fn doc(self) -> &'static RuleDoc {
        docs::doc(self)
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
