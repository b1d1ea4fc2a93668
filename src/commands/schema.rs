//! `fmx schema [PATH]`: the JSON Schema (2020-12) equivalent to the `fmx.toml` schema that
//! applies to a post or folder, for editors and other validators.

use std::io::Write;
use std::path::PathBuf;

use super::{CommandError, ConfigChoice, ExitStatus, load_config};
use crate::schema::export::export;

#[derive(Clone, Debug)]
pub struct SchemaSettings {
    /// A post or folder: the overrides that match it apply. `None`: the base schema.
    pub path: Option<PathBuf>,
    pub config: ConfigChoice,
}

pub fn run(settings: &SchemaSettings, out: &mut dyn Write) -> Result<ExitStatus, CommandError> {
    let cwd = std::env::current_dir()?;
    let config = load_config(&settings.config, &cwd)?;
    let schema = match &settings.path {
        Some(path) => config.schema_for_file(&cwd, path),
        None => std::sync::Arc::clone(&config.base),
    };
    let json = serde_json::to_string_pretty(&export(&schema)).map_err(std::io::Error::other)?;
    writeln!(out, "{json}")?;
    Ok(ExitStatus::Success)
}
