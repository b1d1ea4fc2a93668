//! Validates posts against a JSON Schema with fmx's schema module and prints one verdict a
//! line, for `scripts/schema-differential.py` to compare with another validator.
//!
//! Usage: `schema_validate SCHEMA.json POST...` → `POST\tok`, `POST\tfail\tKEYWORD,…` or
//! `POST\terror\tREASON` (no front matter, not UTF-8, does not parse, not a table).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use fmx::document::{self, Split};
use fmx::formats::{self, Limits};
use fmx::schema::JsonSchema;
use fmx::value::Table;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((schema, posts)) = args.split_first() else {
        eprintln!("usage: schema_validate SCHEMA.json POST...");
        return ExitCode::from(2);
    };
    let schema = match JsonSchema::load(Path::new(schema)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for post in posts {
        let verdict = match load(Path::new(post)) {
            Err(reason) => format!("error\t{reason}"),
            Ok(table) => {
                let violations = schema.validate(&table);
                if violations.is_empty() {
                    "ok".to_string()
                } else {
                    let keywords: Vec<&str> =
                        violations.iter().map(|v| v.keyword.as_str()).collect();
                    format!("fail\t{}", keywords.join(","))
                }
            }
        };
        if writeln!(out, "{post}\t{verdict}").is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The front matter table of the post at `path`, or why there is none.
fn load(path: &Path) -> Result<Table, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let Split::Found(layout) = document::split(&bytes, true, 1 << 20) else {
        return Err("no complete front matter block".into());
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).map_err(|e| e.to_string())?;
    let text = text.replace("\r\n", "\n");
    let parsed = formats::parse(
        layout.format,
        &text,
        layout.content_line,
        &Limits::default(),
    )
    .map_err(|e| format!("{}:{}: {e}", e.pos().line, e.pos().col))?;
    match parsed.root.value {
        fmx::value::Value::Table(t) => Ok(t),
        _ => Err("the front matter is not a table".into()),
    }
}
