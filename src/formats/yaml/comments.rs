//! Which key a comment belongs to. granit says where a comment stands (on its own line, or at
//! the end of a line); own-line comments wait here until the key below them turns up.

use crate::value::Comments;

/// Own-line comments waiting for the key below them, with their columns.
#[derive(Default)]
pub(super) struct Pending(Vec<(String, u32)>);

impl Pending {
    pub(super) fn push(&mut self, text: String, col: u32) {
        self.0.push((text, col));
    }

    /// Comments between sequence items: no key to go with, so they are dropped.
    pub(super) fn clear(&mut self) {
        self.0.clear();
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
