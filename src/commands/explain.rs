//! `fmx explain [RULE]`: the rule list, or one rule's page.

use std::io::Write;

use super::{CommandError, ExitStatus};
use crate::rules::{self, Rule};

pub fn run(rule: Option<&str>, out: &mut dyn Write) -> Result<ExitStatus, CommandError> {
    match rule {
        None => {
            out.write_all(rules::render_list().as_bytes())?;
            Ok(ExitStatus::Success)
        }
        Some(name) => match Rule::from_name(name) {
            Some(rule) => {
                out.write_all(rules::render(rule).as_bytes())?;
                Ok(ExitStatus::Success)
            }
            None => Err(CommandError::UnknownRule(
                crate::shown::bounded(name).to_string(),
            )),
        },
    }
}
