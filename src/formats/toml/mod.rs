//! toml front matter ⇄ [`Node`](crate::value::Node).

use super::{Limits, ParseError, Parsed};

pub fn parse(_text: &str, _first_line: u32, _limits: &Limits) -> Result<Parsed, ParseError> {
    todo!("toml parser")
}
pub mod write;
