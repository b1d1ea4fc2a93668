//! What JSON Schema validation adds to reading a post: times split + parse of every post in
//! a folder, then split + parse + validate, and prints the cost per post and the ratio.
//!
//! Usage: `cargo run --release --example schema_bench -- SCHEMA.json DIR [ROUNDS]`
//! (for instance `fixtures/schemas/bench-20-keywords.schema.json` over a folder made by
//! `../shared/tools/gen-corpus.py --n 20000 --format mixed`). The files are read into
//! memory first, so the figures leave out the disk, which `check` pays on both sides.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use fmx::document::{self, Split};
use fmx::formats::{self, Limits};
use fmx::schema::JsonSchema;
use fmx::schema::json::table_to_json;
use fmx::value::Value;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(schema), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: schema_bench SCHEMA.json DIR [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds: u32 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let schema = match JsonSchema::load(Path::new(schema)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let posts = match read_posts(Path::new(dir)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{dir}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut parse = Duration::MAX;
    let mut convert = Duration::MAX;
    let mut validate = Duration::MAX;
    let mut violations = 0;
    for _ in 0..rounds {
        parse = parse.min(time(|| {
            std::hint::black_box(run(&posts, Step::Parse));
        }));
        convert = convert.min(time(|| {
            std::hint::black_box(run(&posts, Step::ToJson));
        }));
        validate = validate.min(time(|| violations = run(&posts, Step::Validate(&schema))));
    }
    let per = |d: Duration| d.as_nanos() as f64 / posts.len() as f64 / 1000.0;
    println!(
        "{} posts, best of {rounds}: parse {:.2} µs/post, parse+validate {:.2} µs/post \
         (validation {:.2} µs/post; copying a table into a serde_json value would cost {:.2}), \
         ratio {:.2}; \
         {violations} violations",
        posts.len(),
        per(parse),
        per(validate),
        per(validate) - per(parse),
        per(convert) - per(parse),
        validate.as_secs_f64() / parse.as_secs_f64()
    );
    ExitCode::SUCCESS
}

fn read_posts(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths.iter().map(std::fs::read).collect()
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// How far to take each post.
#[derive(Clone, Copy)]
enum Step<'a> {
    Parse,
    ToJson,
    Validate(&'a JsonSchema),
}

/// Splits and parses every post and takes each table as far as `step` says. Returns the
/// number of violations found (or of tables, if not validating).
fn run(posts: &[Vec<u8>], step: Step<'_>) -> usize {
    let limits = Limits::default();
    let mut count = 0;
    for bytes in posts {
        let Split::Found(layout) = document::split(bytes, true, limits.max_block_bytes) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(&bytes[layout.content.clone()]) else {
            continue;
        };
        let Ok(parsed) = formats::parse(layout.format, text, layout.content_line, &limits) else {
            continue;
        };
        if let Value::Table(table) = &parsed.root.value {
            count += match step {
                Step::Parse => 1,
                Step::ToJson => std::hint::black_box(table_to_json(table)).is_object() as usize,
                Step::Validate(schema) => schema.validate(table).len(),
            };
        }
    }
    count
}
