//! What the server knows between requests: the open documents (the editor's buffers) and
//! the configurations that apply to them, found as the CLI finds them.
//!
//! A configuration is loaded with [`Config::load`], the CLI's loader, and kept until a
//! configuration change is announced; a broken one is remembered with its error so that it
//! can be shown on the file, and the documents under it are checked with the defaults.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, ConfigError, DEFAULT_EXTENSIONS, Schema};

/// One open document.
pub struct Document {
    pub text: String,
    pub version: i32,
    /// The file it stands for, when its URI is a `file:` one.
    pub path: Option<PathBuf>,
    pub language: String,
}

/// The configuration a document is checked under, and the schema for its path.
pub struct Applied {
    pub config: Arc<Config>,
    pub schema: Arc<Schema>,
}

#[derive(Default)]
pub struct Workspace {
    /// The folder the client opened; untitled documents use its configuration.
    pub root: Option<PathBuf>,
    pub documents: HashMap<String, Document>,
    /// Loaded configurations by file; an error stays until the next change.
    configs: HashMap<PathBuf, Result<Arc<Config>, Arc<ConfigError>>>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>) -> Self {
        Workspace {
            root,
            ..Workspace::default()
        }
    }

    /// Forgets every loaded configuration (one changed).
    pub fn forget_configs(&mut self) {
        self.configs.clear();
    }

    /// The configuration for `uri`'s document: the nearest `fmx.toml` from the document's
    /// folder up (as `fmx check` run there finds it), else the workspace root's, else the
    /// defaults. A broken one gives the defaults.
    pub fn applied(&mut self, uri: &str) -> Applied {
        let path = self.documents.get(uri).and_then(|d| d.path.clone());
        let start = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.root.clone());
        let found = start.as_deref().and_then(Config::discover);
        let config = match found {
            Some(file) => match self.load(&file) {
                Ok(config) => config,
                Err(_) => Arc::new(Config::defaults(parent_of(&file))),
            },
            None => Arc::new(Config::defaults(
                start.unwrap_or_else(|| PathBuf::from(".")),
            )),
        };
        let schema = match &path {
            Some(p) => config.schema_for_file(&config.root, p),
            None => Arc::clone(&config.base),
        };
        Applied { config, schema }
    }

    fn load(&mut self, file: &Path) -> Result<Arc<Config>, Arc<ConfigError>> {
        self.configs
            .entry(file.to_path_buf())
            .or_insert_with(|| Config::load(file).map(Arc::new).map_err(Arc::new))
            .clone()
    }

    /// Every configuration file loaded so far, with its error if it is broken.
    pub fn config_errors(&self) -> Vec<(PathBuf, Option<Arc<ConfigError>>)> {
        self.configs
            .iter()
            .map(|(path, loaded)| (path.clone(), loaded.as_ref().err().cloned()))
            .collect()
    }

    /// Whether fmx checks this document: Markdown, HTML or MDX by the editor's language,
    /// or a file with one of the configuration's extensions.
    pub fn is_post(&self, uri: &str, config: &Config) -> bool {
        let Some(doc) = self.documents.get(uri) else {
            return false;
        };
        if matches!(doc.language.as_str(), "markdown" | "html" | "mdx") {
            return true;
        }
        let ext = doc
            .path
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .unwrap_or("");
        config.extensions.iter().any(|e| e == ext)
            || (config.path.is_none() && DEFAULT_EXTENSIONS.contains(&ext))
    }
}

fn parent_of(file: &Path) -> PathBuf {
    file.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Whether a path names a configuration file.
pub fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n))
}

/// The file a `file:` URI names (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let mut it = rest.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next()?, it.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file:` URI of a path, percent-encoding what a URI path cannot hold.
pub fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_spaces_and_non_ascii() {
        let path = Path::new("/tmp/a dir/été.md");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/a%20dir/%C3%A9t%C3%A9.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///bad%zz"), None);
    }
}
