//! The text of every rule's page for `fmx explain`.

use super::{Rule, RuleDoc};

pub(super) fn doc(_rule: Rule) -> &'static RuleDoc {
    todo!("rule docs")
}

pub fn render(_rule: Rule) -> String {
    todo!()
}
pub fn render_list() -> String {
    todo!()
}
