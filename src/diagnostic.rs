//! Findings as data: one [`Diagnostic`] per problem, printed by the reporters.
//!
//! Positions are 1-based; the column counts characters, not bytes, and a UTF-8 BOM is not
//! a column. A diagnostic about the block as a whole points at the opening delimiter.

use serde::Serialize;

use crate::edit::Fix;
use crate::rules::Rule;
use crate::value::Pos;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// What to do about it, where a sentence helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether `fmx check --fix` can repair it.
    pub fixable: bool,
    /// The repair, for the rules whose check computes it (see [`crate::rules::Unit`]).
    #[serde(skip)]
    pub fix: Option<Box<Fix>>,
    /// Another place the finding is about: for `not-unique`, the post that has the value
    /// first (SARIF `relatedLocations`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Related>,
}

/// A position in another file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Diagnostic {
    pub fn new(rule: Rule, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.default_severity().unwrap_or(Severity::Error),
            line: pos.line,
            column: pos.col,
            message: message.into(),
            help: None,
            fixable: false,
            fix: None,
            related: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fixable(mut self, fixable: bool) -> Self {
        self.fixable = fixable;
        self
    }

    /// Attaches the repair: the diagnostic is then fixable.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixable = true;
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }
}

/// Everything found in one file, in position order.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}
