//! Which key a comment belongs to. granit says where a comment stands (on its own line, or at
//! the end of a line); own-line comments wait here until the key below them turns up.

use granit_parser::{Event, Parser};

use crate::value::{Comments, Pos};

/// Every comment of a block, in order: its position and the text after `#`. Not where it
/// belongs: the converter counts them to list any that a target could not hold. A block
/// that stops parsing gives the comments before the error.
pub fn comments_in(text: &str, first_line: u32) -> Vec<(Pos, String)> {
    let mut found = Vec::new();
    for next in Parser::new_from_str(text) {
        let Ok((event, span)) = next else {
            break;
        };
        if let Event::Comment(body, _) = event {
            let m = span.start;
            let line = u32::try_from(m.line())
                .unwrap_or(u32::MAX)
                .saturating_sub(1);
            let col = u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1);
            found.push((
                Pos::new(first_line.saturating_add(line), col),
                body.into_owned(),
            ));
        }
    }
    found
}

/// Own-line comments waiting for the key below them, with their columns.
#[derive(Default)]
pub(super) struct Pending(Vec<(String, u32)>);

impl Pending {
    pub(super) fn push(&mut self, text: String, col: u32) {
        self.0.push((text, col));
    }

    /// All of them: they stand above the key that just appeared.
    pub(super) fn take(&mut self) -> Vec<String> {
        self.0.drain(..).map(|(text, _)| text).collect()
    }

    /// The leading run of comments at or right of column `min_col`: those that lie inside the
    /// collection being closed. The rest wait for the next key further out.
    pub(super) fn take_inside(&mut self, min_col: u32) -> Vec<String> {
        let n = self.0.iter().take_while(|(_, col)| *col >= min_col).count();
        self.0.drain(..n).map(|(text, _)| text).collect()
    }
}

/// The bytes of comment text an entry carries (an alias copies them).
pub(super) fn comment_bytes(c: &Comments) -> usize {
    c.texts().map(String::len).fold(0, usize::saturating_add)
}
