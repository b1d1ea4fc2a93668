//! `fmx check` for one post: split, decode, parse, then every rule, as data.
//!
//! [`read_front`] reads a file only as far as the end of its front matter, so a post's body
//! costs nothing; [`check_bytes`] turns those bytes into sorted diagnostics.

pub mod fields;

use std::io::Read;
use std::path::Path;

use crate::config::Schema;
use crate::diagnostic::Diagnostic;
use crate::document::{self, Layout, Split};
use crate::formats::{DuplicateKey, Limits};
use crate::load::{BlockError, LoadError, Post};
use crate::rules::{Context, Rule};
use crate::value::Pos;

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
    let layout = match &loaded {
        Ok(post) => Some(&post.layout),
        Err(e) => e.layout(),
    };
    run_units(bytes, layout, loaded.as_ref().ok(), schema, out);
    if let Some(layout) = layout {
        mixed_line_endings(bytes, layout, out);
    }
    let post = match loaded {
        Ok(post) => post,
        Err(LoadError::Incomplete) => return,
        Err(e) => {
            out.push(load_diagnostic(&e));
            return;
        }
    };
    for dup in &post.duplicates {
        out.push(duplicate(dup));
    }
    fields::check_table(&post.table, schema, post.layout.open_pos(), now, out);
}

/// The rules that are units of their own (page, check and fix in one file), when on.
/// `layout` is there when a block was found, `post` when it also loaded.
pub fn run_units(
    bytes: &[u8],
    layout: Option<&Layout>,
    post: Option<&Post>,
    schema: &Schema,
    out: &mut Vec<Diagnostic>,
) {
    let cx = Context {
        bytes,
        layout,
        post,
        schema,
    };
    for &rule in Rule::ALL {
        if let Some(unit) = rule.unit()
            && schema.severity(rule).is_some()
        {
            (unit.check)(&cx, out);
        }
    }
}

/// The structural rules: one diagnostic per way a post can fail to load.
pub fn load_diagnostic(e: &LoadError) -> Diagnostic {
    let (rule, help) = match e {
        LoadError::NoFrontMatter => (
            Rule::NoFrontMatter,
            Some("add a front matter block at the top of the file".to_string()),
        ),
        LoadError::Unclosed { format, .. } => (
            Rule::UnclosedFrontMatter,
            Some(format!(
                "add a `{}` line after the last front matter line",
                format.delimiter().unwrap_or("}")
            )),
        ),
        LoadError::TooLarge { .. } | LoadError::Incomplete => (Rule::LimitExceeded, None),
        LoadError::Block { error, .. } => match error {
            BlockError::InvalidEncoding { .. } => (
                Rule::InvalidEncoding,
                Some("re-save the file as UTF-8".to_string()),
            ),
            BlockError::Syntax { .. } => (Rule::SyntaxError, None),
            BlockError::Duplicate(d) => return duplicate(d),
            BlockError::Limit { .. } => (Rule::LimitExceeded, None),
            BlockError::NotAMapping { .. } => (Rule::NotAMapping, None),
        },
    };
    let d = Diagnostic::new(rule, e.pos(), e.to_string());
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

fn duplicate(d: &DuplicateKey) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateKey,
        d.pos,
        BlockError::Duplicate(d.clone()).to_string(),
    )
    .with_help("remove one of them: readers disagree on which one wins")
}

/// LF and CRLF in one block, its delimiter lines included; reported at the first line whose
/// ending differs from the opening line's.
fn mixed_line_endings(bytes: &[u8], layout: &Layout, out: &mut Vec<Diagnostic>) {
    let end = (layout.close.end + 1).min(bytes.len());
    let block = &bytes[layout.open.start..end];
    let opening_crlf = layout.line_ending == document::LineEnding::Crlf;
    let mut line = layout.open_line;
    for (i, &b) in block.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let crlf = i > 0 && block[i - 1] == b'\r';
        if crlf != opening_crlf {
            let (this, that) = if crlf { ("CRLF", "LF") } else { ("LF", "CRLF") };
            out.push(Diagnostic::new(
                Rule::MixedLineEndings,
                Pos::new(line, 1),
                format!(
                    "this line ends in {this}, but the front matter opens with {that} line endings"
                ),
            ));
            return;
        }
        line += 1;
    }
}
