//! `fmx check` for one post, as orchestration: read the front matter, load it once, run the
//! rules' checks (`src/rules/`), apply the schema's severities, sort.
//!
//! [`read_front`] reads a file only as far as the end of its front matter, so a post's body
//! costs nothing; [`check_bytes`] turns those bytes into sorted diagnostics.

use std::io::Read;
use std::path::Path;

use crate::config::Schema;
use crate::diagnostic::Diagnostic;
use crate::document::{self, Split};
use crate::formats::Limits;
use crate::load::Post;
use crate::rules::{self, Context};

/// Kept where tests and the fuzz target outside `src/` reach for it.
pub use crate::load::parse_block;

/// The first read; most front matter blocks fit in it.
const FIRST_READ: usize = 8 * 1024;

/// Reads `path` until the front matter has been split (or the file ends), never further
/// than the block size limit allows. Returns the bytes read and the split.
pub fn read_front(path: &Path, limits: &Limits) -> std::io::Result<(Vec<u8>, Split)> {
    let file = std::fs::File::open(path)?;
    read_front_from(file, limits)
}

pub fn read_front_from(
    mut reader: impl Read,
    limits: &Limits,
) -> std::io::Result<(Vec<u8>, Split)> {
    let mut buf = Vec::with_capacity(FIRST_READ);
    let mut want = FIRST_READ;
    // Enough to hold the opening line, a block of the largest allowed size and the close.
    let cap = limits.max_block_bytes.saturating_add(64 * 1024);
    loop {
        let at_eof = fill(&mut reader, &mut buf, want)?;
        let split = document::split(&buf, at_eof, limits.max_block_bytes);
        if !matches!(split, Split::NeedMore) {
            return Ok((buf, split));
        }
        if buf.len() >= cap {
            // A line longer than the limit with no closing delimiter yet.
            let split = document::split(&buf, true, limits.max_block_bytes);
            return Ok((buf, split));
        }
        want = (want * 4).min(cap);
    }
}

/// Reads until `buf` holds `want` bytes or the reader ends; returns whether it ended.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let need = want.saturating_sub(buf.len());
    if need == 0 {
        return Ok(false);
    }
    buf.reserve(need);
    // `take` + `read_to_end` fills spare capacity without zeroing it first.
    let got = reader.by_ref().take(need as u64).read_to_end(buf)?;
    Ok(got < need)
}

/// Everything that can be said about one file's bytes, sorted by position, with the
/// schema's severities applied (rules that are off are gone).
pub fn check_bytes(
    bytes: &[u8],
    split: &Split,
    schema: &Schema,
    limits: &Limits,
    now: i64,
) -> Vec<Diagnostic> {
    check_bytes_seeing(bytes, split, schema, limits, now, &mut |_| {})
}

/// [`check_bytes`], also handing the loaded post (when it loads) to `see`, so that a caller
/// who needs more of it (`unique = true` values) does not parse the block again.
pub fn check_bytes_seeing(
    bytes: &[u8],
    split: &Split,
    schema: &Schema,
    limits: &Limits,
    now: i64,
    see: &mut dyn FnMut(&Post),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    run_rules(bytes, split, schema, limits, now, see, &mut out);
    out.retain_mut(|d| match schema.severity(d.rule) {
        Some(severity) => {
            d.severity = severity;
            true
        }
        None => false,
    });
    out.sort_by_key(|d| (d.line, d.column, d.rule));
    out
}

/// Loads the post once and runs every check that reports a rule the schema turns on.
fn run_rules(
    bytes: &[u8],
    split: &Split,
    schema: &Schema,
    limits: &Limits,
    now: i64,
    see: &mut dyn FnMut(&Post),
    out: &mut Vec<Diagnostic>,
) {
    let loaded = Post::from_split(bytes, split.clone(), limits);
    if let Ok(post) = &loaded {
        see(post);
    }
    let cx = Context {
        bytes,
        layout: match &loaded {
            Ok(post) => Some(&post.layout),
            Err(e) => e.layout(),
        },
        post: loaded.as_ref().ok(),
        error: loaded.as_ref().err(),
        schema,
        now,
    };
    rules::run(&cx, |rule| schema.severity(rule).is_some(), out);
}
