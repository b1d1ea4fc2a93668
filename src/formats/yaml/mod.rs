//! YAML front matter ⇄ [`Node`](crate::value::Node).
//!
//! Reading: granit-parser's events become one ordered tree ([`read`]); plain scalars resolve
//! under the strict YAML 1.2 core schema plus YAML 1.1 timestamps ([`scalar`]). The helpers
//! [`yaml11_ambiguity`] and [`plain_is_safe`] tell the checker and the emitter where YAML 1.1
//! readers (Jekyll, PyYAML, older Hugo) would read a plain scalar differently.

mod comments;
mod fast;
mod merge;
mod read;
pub mod readings;
mod scalar;
mod timestamp;
pub mod write;
mod yaml11;

#[cfg(test)]
mod tests;

pub use comments::comments_in;
pub use readings::{
    Reading, Retyped, UnknownYamlVersion, YamlVersion, parse_as, readings, retype_psych_times,
};
pub use scalar::{lint_ambiguity, plain_is_safe, yaml11_ambiguity};
pub use timestamp::psych_time;

use super::{Limits, ParseError, Parsed};
use crate::value::Pos;

/// Parses a YAML front matter block. `text` is the block between the delimiters with CRLF
/// folded to LF; its first character stands at column 1 of file line `first_line`, and every
/// position returned is in file coordinates.
pub fn parse(text: &str, first_line: u32, limits: &Limits) -> Result<Parsed, ParseError> {
    if text.len() > limits.max_block_bytes {
        return Err(ParseError::Limit {
            pos: Pos::new(first_line, 1),
            message: format!(
                "front matter is larger than {} bytes",
                limits.max_block_bytes
            ),
        });
    }
    // Most posts are a flat mapping of one-line and simple block scalars: read those
    // directly, and only hand the rest to granit.
    // It also notes the readings YAML 1.1 readers would differ on, so that the
    // `ambiguous-value` rule and `convert` need no second parse of the block.
    let mut found = Vec::new();
    let fast = fast::parse_seeing(text, first_line, limits, &mut |text, key, pos, v| {
        found.extend(readings::reading(text, key, pos, v));
    });
    if let Some(mut parsed) = fast {
        parsed.yaml_readings = Some(found);
        return Ok(parsed);
    }
    read::read(text, first_line, limits)
}
