//! Validates posts against a JSON Schema with fmx's schema module and prints one verdict a
//! line, for `scripts/schema-differential.py` to compare with another validator.
//!
//! Usage: `schema_validate SCHEMA.json POST...` → `POST\tok`, `POST\tfail\tKEYWORD,…` or
//! `POST\terror\tREASON` (no front matter, not UTF-8, does not parse, not a table).
//! `schema_validate fmx.toml POST...` judges the posts by the config's `[fields]` instead
//! (`fail` lists rule names), and `schema_validate --export fmx.toml` prints the JSON Schema
//! `schema::export` makes of that config.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use fmx::config::{Config, Schema};
use fmx::document::{self, Split};
use fmx::formats::{self, Limits};
use fmx::schema::JsonSchema;
use fmx::value::{Pos, Table};

/// Judges one post's table: `None` if it passes, else the names of what failed.
enum Judge {
    Json(JsonSchema),
    Fields(std::sync::Arc<Schema>),
}

impl Judge {
    fn load(path: &str) -> Result<Self, String> {
        if path.ends_with(".toml") {
            let config = Config::load(Path::new(path)).map_err(|e| e.to_string())?;
            return Ok(Judge::Fields(config.base));
        }
        JsonSchema::load(Path::new(path))
            .map(Judge::Json)
            .map_err(|e| e.to_string())
    }

    fn failures(&self, table: &Table) -> Vec<String> {
        match self {
            Judge::Json(schema) => schema
                .validate(table)
                .into_iter()
                .map(|v| v.keyword)
                .collect(),
            Judge::Fields(schema) => {
                let mut out = Vec::new();
                // No date is in the future: that check is relative to the day of the run.
                fmx::rules::fields::check_values(table, schema, Pos::new(1, 1), i64::MAX, &mut out);
                out.into_iter().map(|d| d.rule.name().to_string()).collect()
            }
        }
    }
}

fn export(config: &str) -> ExitCode {
    match Config::load(Path::new(config)) {
        Ok(config) => {
            let schema = fmx::schema::export::export(&config.base);
            println!("{schema:#}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((schema, posts)) = args.split_first() else {
        eprintln!("usage: schema_validate SCHEMA.json|fmx.toml POST... | --export fmx.toml");
        return ExitCode::from(2);
    };
    if schema == "--export" {
        return export(posts.first().map_or("fmx.toml", String::as_str));
    }
    let judge = match Judge::load(schema) {
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
                let failures = judge.failures(&table);
                if failures.is_empty() {
                    "ok".to_string()
                } else {
                    format!("fail\t{}", failures.join(","))
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
