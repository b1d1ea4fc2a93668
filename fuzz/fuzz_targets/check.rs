//! The checker: never panics; checking the prefix `check` reads (the fast path) gives the
//! same diagnostics as checking the whole file; `--fix` never touches the body and its
//! result still splits.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use fmx::check::{check_bytes, read_front_from};
use fmx::config::{Config, Schema};
use fmx::document::{Split, split};
use fmx::fix::fix;
use fmx::formats::Limits;
use fmx_fuzz::{Chunked, SMALL};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000;

static SCHEMAS: LazyLock<[Arc<Schema>; 2]> = LazyLock::new(|| {
    let root = PathBuf::from(".");
    let all = Config::parse(
        "required = [\"title\", \"date\"]\n\
         [fields.date]\ntype = \"epoch\"\n\
         [rules]\nbom = \"warn\"\ndelimiter-whitespace = \"warn\"\n",
        Path::new("fmx.toml"),
        root.clone(),
    )
    .expect("the fuzz config parses");
    [
        Config::defaults(root).schema_for(Path::new("post.md")),
        all.schema_for(Path::new("post.md")),
    ]
});

fuzz_target!(|data: &[u8]| {
    for limits in [Limits::default(), SMALL] {
        let full = split(data, true, limits.max_block_bytes);
        let step = data.last().map_or(1, |b| usize::from(*b % 5) + 1);
        let (buf, fast) = read_front_from(Chunked { data, step }, &limits).expect("no I/O error");
        for schema in SCHEMAS.iter() {
            let whole = check_bytes(data, &full, schema, &limits, NOW);
            let prefix = check_bytes(&buf, &fast, schema, &limits, NOW);
            assert_eq!(
                whole, prefix,
                "the prefix read by `check` judges differently"
            );

            if let Some(fixed) = fix(data, schema, &limits) {
                let Split::Found(before) = &full else {
                    panic!("fixed a file without front matter");
                };
                let Split::Found(after) = split(&fixed.bytes, true, limits.max_block_bytes) else {
                    panic!("the fixed file no longer splits");
                };
                assert_eq!(
                    &data[before.body.clone()],
                    &fixed.bytes[after.body.clone()],
                    "--fix changed the body"
                );
            }
        }
    }
});
