//! `fmx check --fix`: the fixes the enabled rules' checks attach to their diagnostics,
//! applied and verified by `edit.rs`.
//!
//! A fix never touches the body and never changes any value but the one it fixes: after the
//! edits, the file is loaded again, the body compared byte for byte and every value compared
//! with what the fixes state they write. Any difference and the file is left as it was.

use crate::config::Schema;
pub use crate::edit::Edit;
use crate::edit::{self, Edited, Expected};
use crate::formats::Limits;
use crate::load::{BlockError, LoadError, Post};
use crate::rules::{self, Context, Rule};

/// The fixed file, or `None` when there is nothing to fix (or no fix survives checking).
pub type Fixed = Edited;

/// Computes and verifies the fixes for the enabled fixable rules.
pub fn fix(bytes: &[u8], schema: &Schema, limits: &Limits) -> Option<Fixed> {
    let loaded = Post::load(bytes, limits);
    // A block that is not a mapping can still be fixed around (a BOM, a delimiter's
    // trailing spaces); any other failure leaves nothing to verify the edits against.
    let (layout, found) = match &loaded {
        Ok(post) => (&post.layout, None),
        Err(LoadError::Block {
            layout,
            error: BlockError::NotAMapping { found, .. },
        }) => (&**layout, Some(found.as_str())),
        Err(_) => return None,
    };
    let post = loaded.as_ref().ok();
    let on = |rule: Rule| schema.severity(rule).is_some();
    let cx = Context {
        bytes,
        layout: Some(layout),
        post,
        error: loaded.as_ref().err(),
        schema,
        // No fix depends on the clock.
        now: i64::MAX,
    };
    let mut found_diagnostics = Vec::new();
    rules::run(
        &cx,
        |rule| rule.fixable() && on(rule),
        &mut found_diagnostics,
    );
    let mut expected = post.map(|post| post.table.clone());
    let mut edits = Vec::new();
    for fix in found_diagnostics
        .into_iter()
        .filter(|d| on(d.rule))
        .filter_map(|d| d.fix)
    {
        if let Some(table) = expected.as_mut() {
            fix.apply_to(table);
        }
        edits.extend(fix.edits);
    }
    if edits.is_empty() {
        return None;
    }
    let expect = match (&expected, post) {
        (Some(table), Some(post)) => Expected::Table {
            table,
            duplicates: post.duplicates.len(),
        },
        _ => Expected::NotAMapping(found.unwrap_or_default()),
    };
    let body = layout.body.clone();
    edit::apply(bytes, layout.format, body, edits, expect, limits).ok()
}
