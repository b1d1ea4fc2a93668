//! `fmx.toml`: the schema posts are checked against, found up the tree, with overrides.
//!
//! Unknown keys, wrong types, unknown rule names and bad globs are errors that name the line
//! of the mistake; the caller stops with exit 2. Without a config file the schema is
//! `required = ["title", "date"]` with `date` of type `epoch`; a config file replaces that
//! default entirely.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::Glob;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::formats::Limits;
use crate::formats::yaml::YamlVersion;
use crate::keypath::{KeyPath, KeyPathError, Segment};
use crate::rules::Rule;
use crate::schema::{JsonSchema, SchemaError};

pub const FILE_NAMES: [&str; 2] = ["fmx.toml", ".fmx.toml"];
pub const DEFAULT_EXTENSIONS: [&str; 5] = ["md", "markdown", "mdx", "html", "htm"];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        path: PathBuf,
        line: u32,
        col: u32,
        message: String,
    },
    /// A `schema = "…"` (or `--schema`) file that cannot be used.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("--require `{text}` is not a field path: {source}")]
    Require { text: String, source: KeyPathError },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Float,
    Number,
    Boolean,
    Array,
    Table,
    Url,
    Epoch,
    Datetime,
    Date,
    Any,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Integer => "an integer",
            FieldType::Float => "a float",
            FieldType::Number => "a number",
            FieldType::Boolean => "a boolean",
            FieldType::Array => "an array",
            FieldType::Table => "a table",
            FieldType::Url => "an absolute URL",
            FieldType::Epoch => "Unix epoch seconds as a number",
            FieldType::Datetime => "an RFC 3339 date-time",
            FieldType::Date => "a date (YYYY-MM-DD)",
            FieldType::Any => "any value",
        }
    }

    /// Types whose values `--dates` converts.
    pub fn is_date(self) -> bool {
        matches!(self, FieldType::Epoch | FieldType::Datetime)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    required: Option<Vec<Spanned<String>>>,
    /// A JSON Schema file, relative to the config's folder.
    schema: Option<String>,
    /// The order of top-level keys for the `key-order` rule.
    key_order: Option<Vec<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    allow_unknown_fields: Option<bool>,
    extensions: Option<Vec<String>>,
    #[serde(default)]
    fields: IndexMap<Spanned<String>, RawField>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    rules: IndexMap<Spanned<String>, Level>,
    limits: Option<RawLimits>,
    /// Which YAML reads the posts: `"1.1"` (Jekyll, PyYAML) or `"1.2"`.
    yaml: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawField {
    #[serde(rename = "type")]
    ty: Option<FieldType>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<toml::Value>>,
    pattern: Option<Spanned<String>>,
    earliest: Option<Spanned<String>>,
    latest: Option<Spanned<String>>,
    items: Option<RawItems>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    #[serde(default)]
    unique_items: bool,
    #[serde(default)]
    unique: bool,
}

/// What each item of an array field must be.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawItems {
    #[serde(rename = "type")]
    ty: Option<FieldType>,
    one_of: Option<Vec<toml::Value>>,
    pattern: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    required: Option<Vec<Spanned<String>>>,
    schema: Option<String>,
    allow_unknown_fields: Option<bool>,
    #[serde(default)]
    fields: IndexMap<Spanned<String>, RawField>,
    #[serde(default)]
    rules: IndexMap<Spanned<String>, Level>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_depth: Option<Spanned<usize>>,
    max_alias_nodes: Option<usize>,
    max_front_matter_bytes: Option<usize>,
}

/// What one field must be.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSpec {
    /// Where the field is: a top-level key, or a path into nested tables.
    pub path: KeyPath,
    pub ty: Option<FieldType>,
    /// Characters of a string, items of an array.
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub one_of: Option<Vec<toml::Value>>,
    /// A regex a string value must match somewhere (anchor it with `^…$` for all of it).
    pub pattern: Option<Pattern>,
    /// Bounds as epoch seconds.
    pub earliest: Option<i64>,
    pub latest: Option<i64>,
    /// What each item of an array must be (its type, one-of and pattern).
    pub items: Option<Box<FieldSpec>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    /// No two posts the config covers may share a value (an array's every item counts).
    pub unique: bool,
}

/// A field's `pattern`, compiled once when the config is read.
#[derive(Clone, Debug)]
pub struct Pattern(pub regex::Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// The schema and rule levels one file is checked against.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub required: Vec<KeyPath>,
    /// Top-level keys in the order the `key-order` rule wants (empty: no order).
    pub key_order: Vec<String>,
    pub allow_unknown_fields: bool,
    /// By name: a top-level key as it is, a nested field as its path's display.
    pub fields: IndexMap<String, FieldSpec>,
    /// The JSON Schema (`schema = "…"`) posts are also validated against.
    pub json_schema: Option<Arc<JsonSchema>>,
    severities: Vec<Option<Severity>>,
    /// The YAML reading named (`yaml = "1.1"` or `--yaml`); `None`: fmx does not know which
    /// reader the site uses, so it neither converts nor fixes a value the two read apart.
    pub yaml: Option<YamlVersion>,
}

impl Schema {
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.severities[rule as usize]
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.get(name)
    }

    /// Fields whose values are dates (`epoch` or `datetime`).
    pub fn date_fields(&self) -> impl Iterator<Item = (&str, FieldType)> {
        // Only top-level keys: the date conversions work on the top-level table.
        (self.fields.iter())
            .filter(|(_, f)| f.path.segments().len() == 1)
            .filter_map(|(k, f)| f.ty.filter(|t| t.is_date()).map(|t| (k.as_str(), t)))
    }

    fn default_schema() -> Schema {
        let mut fields = IndexMap::new();
        fields.insert(
            "date".to_string(),
            FieldSpec {
                path: KeyPath::key("date"),
                ty: Some(FieldType::Epoch),
                ..FieldSpec::default()
            },
        );
        Schema {
            required: vec![KeyPath::key("title"), KeyPath::key("date")],
            key_order: Vec::new(),
            allow_unknown_fields: true,
            fields,
            json_schema: None,
            severities: Rule::ALL.iter().map(|r| r.default_severity()).collect(),
            yaml: None,
        }
    }
}

/// A loaded configuration: the base schema, overrides by glob, walking settings.
#[derive(Debug)]
pub struct Config {
    /// The file it came from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    /// The folder that `exclude` and override `paths` are relative to.
    pub root: PathBuf,
    pub base: Arc<Schema>,
    overrides: Vec<Override>,
    pub exclude: Vec<String>,
    pub extensions: Vec<String>,
    pub limits: Limits,
}

#[derive(Debug)]
struct Override {
    globs: PathMatcher,
    required: Option<Vec<KeyPath>>,
    allow_unknown_fields: Option<bool>,
    fields: IndexMap<String, FieldSpec>,
    json_schema: Option<Arc<JsonSchema>>,
    rules: Vec<(Rule, Option<Severity>)>,
}

impl Config {
    /// The built-in defaults, as with `--no-config`.
    pub fn defaults(root: PathBuf) -> Config {
        Config {
            path: None,
            root,
            base: Arc::new(Schema::default_schema()),
            overrides: Vec::new(),
            exclude: Vec::new(),
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            limits: Limits::default(),
        }
    }

    /// The nearest `fmx.toml` or `.fmx.toml` from `start` upwards. The climb stops at a
    /// repository root (a folder with `.git`), at the home directory, and before another
    /// filesystem. A file another user could have put in the way ends the climb without
    /// being taken: one that others may write, one in a folder that others may write (a
    /// shared `/tmp`), and one owned by someone other than root, the user running fmx and
    /// the owner of `start` (the posts' owner, as in a container running as root).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|h| h.is_absolute() && h.as_os_str() != "/");
        let trust = Trust::of(start, home.as_deref());
        for dir in start.ancestors() {
            if !trust.same_filesystem(dir) {
                return None;
            }
            for name in FILE_NAMES {
                let candidate = dir.join(name);
                let Ok(meta) = std::fs::metadata(&candidate) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                return trust.allows(dir, &meta).then_some(candidate);
            }
            if dir.join(".git").exists() || home.as_deref() == Some(dir) {
                return None;
            }
        }
        None
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Config::parse(&text, path, root)
    }

    pub fn parse(text: &str, path: &Path, root: PathBuf) -> Result<Config, ConfigError> {
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, col) = line_col(text, span.start);
            // Show the line: a type error names the value, and the line names the key.
            let source = text.lines().nth(line as usize - 1).unwrap_or("").trim_end();
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                col,
                message: format!("{message}\n  {line} | {source}"),
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            at(
                e.span().unwrap_or(0..0),
                e.message().trim_end().replace('\n', "; "),
            )
        })?;

        let mut severities: Vec<Option<Severity>> =
            Rule::ALL.iter().map(|r| r.default_severity()).collect();
        for (rule, level) in resolve_rules(&raw.rules, &at)? {
            severities[rule as usize] = level;
        }
        let fields = resolve_fields(&raw.fields, &at)?;
        let mut schemas = SchemaCache::default();
        let base = Schema {
            required: resolve_required(raw.required.as_deref(), &at)?.unwrap_or_default(),
            key_order: raw.key_order.unwrap_or_default(),
            allow_unknown_fields: raw.allow_unknown_fields.unwrap_or(true),
            fields,
            json_schema: schemas.load(&root, raw.schema.as_deref())?,
            severities,
            yaml: match &raw.yaml {
                Some(v) => Some(
                    v.get_ref()
                        .parse::<YamlVersion>()
                        .map_err(|e| at(v.span(), e.to_string()))?,
                ),
                None => None,
            },
        };

        let overrides = resolve_overrides(&raw.overrides, &root, &mut schemas, &at)?;
        let mut exclude = Vec::new();
        if let Some(patterns) = &raw.exclude {
            PathMatcher::new(&root, patterns).map_err(|(i, e)| at(patterns[i].span(), e))?;
            exclude.extend(patterns.iter().map(|p| p.get_ref().clone()));
        }
        let limits = resolve_limits(raw.limits, &at)?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            root,
            base: Arc::new(base),
            overrides,
            exclude,
            extensions: raw
                .extensions
                .unwrap_or_else(|| DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect()),
            limits,
        })
    }

    /// Adds `--require` fields (key paths, as in `fmx.toml`) to every schema.
    pub fn require(&mut self, texts: &[String]) -> Result<(), ConfigError> {
        if texts.is_empty() {
            return Ok(());
        }
        let fields = texts
            .iter()
            .map(|t| {
                KeyPath::parse_field(t).map_err(|source| ConfigError::Require {
                    text: t.clone(),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let base = Arc::make_mut(&mut self.base);
        for f in &fields {
            if !base.required.contains(f) {
                base.required.push(f.clone());
            }
        }
        for o in &mut self.overrides {
            if let Some(req) = &mut o.required {
                for f in &fields {
                    if !req.contains(f) {
                        req.push(f.clone());
                    }
                }
            }
        }
        Ok(())
    }

    /// `--schema PATH`: every file is validated against this JSON Schema, whatever the
    /// config's `schema` settings say.
    pub fn use_json_schema(&mut self, path: &Path) -> Result<(), SchemaError> {
        let schema = Some(Arc::new(JsonSchema::load(path)?));
        Arc::make_mut(&mut self.base).json_schema = schema.clone();
        for o in &mut self.overrides {
            if o.json_schema.is_some() {
                o.json_schema = schema.clone();
            }
        }
        Ok(())
    }

    /// Whether the base or any override has a `unique = true` field.
    pub fn has_unique_fields(&self) -> bool {
        let unique = |fields: &IndexMap<String, FieldSpec>| fields.values().any(|f| f.unique);
        unique(&self.base.fields) || self.overrides.iter().any(|o| unique(&o.fields))
    }

    /// `--yaml`: the reading named on the command line wins over the config's.
    pub fn set_yaml(&mut self, version: Option<YamlVersion>) {
        if version.is_some() {
            Arc::make_mut(&mut self.base).yaml = version;
        }
    }

    /// The YAML reading named for every file.
    pub fn yaml(&self) -> Option<YamlVersion> {
        self.base.yaml
    }

    /// Whether any file's schema can differ from the base one.
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// The schema for the file at `path` (as given, relative to `cwd` or absolute): the
    /// overrides' globs are matched against its path relative to [`Config::root`].
    pub fn schema_for_file(&self, cwd: &Path, path: &Path) -> Arc<Schema> {
        if !self.has_overrides() {
            return Arc::clone(&self.base);
        }
        let abs = crate::walk::absolute(cwd, path);
        let root = crate::walk::absolute(cwd, &self.root);
        match abs.strip_prefix(&root) {
            Ok(relative) => self.schema_for(relative),
            Err(_) => self.schema_for(path),
        }
    }

    /// Which block's spec of `field` applies to the file at `path` (as for
    /// [`Config::schema_for_file`]): 0 for the base, `i + 1` for the `i`th override, the last
    /// matching one that names the field. `unique` is judged among the posts of one block.
    pub fn field_source(&self, cwd: &Path, path: &Path, field: &str) -> usize {
        if !self.has_overrides() {
            return 0;
        }
        let abs = crate::walk::absolute(cwd, path);
        let root = crate::walk::absolute(cwd, &self.root);
        let relative = abs.strip_prefix(&root).unwrap_or(path);
        self.overrides
            .iter()
            .rposition(|o| o.fields.contains_key(field) && o.globs.is_match(relative))
            .map_or(0, |i| i + 1)
    }

    /// The schema for a file, at `path` relative to [`Config::root`]: the base with every
    /// matching override applied in order, so later overrides win.
    pub fn schema_for(&self, relative: &Path) -> Arc<Schema> {
        let mut schema: Option<Schema> = None;
        for o in &self.overrides {
            if !o.globs.is_match(relative) {
                continue;
            }
            let s = schema.get_or_insert_with(|| (*self.base).clone());
            if let Some(r) = &o.required {
                s.required = r.clone();
            }
            if let Some(a) = o.allow_unknown_fields {
                s.allow_unknown_fields = a;
            }
            if let Some(j) = &o.json_schema {
                s.json_schema = Some(Arc::clone(j));
            }
            for (k, f) in &o.fields {
                s.fields.insert(k.clone(), f.clone());
            }
            for &(rule, level) in &o.rules {
                s.severities[rule as usize] = level;
            }
        }
        schema.map_or_else(|| Arc::clone(&self.base), Arc::new)
    }
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> ConfigError + 'a;

/// Each distinct schema file compiled once per config, however many overrides name it.
#[derive(Default)]
struct SchemaCache(std::collections::HashMap<PathBuf, Arc<JsonSchema>>);

impl SchemaCache {
    /// The schema at `relative` (to the config's folder), compiled on first use.
    fn load(
        &mut self,
        root: &Path,
        relative: Option<&str>,
    ) -> Result<Option<Arc<JsonSchema>>, SchemaError> {
        let Some(relative) = relative else {
            return Ok(None);
        };
        let path = root.join(relative);
        if let Some(found) = self.0.get(&path) {
            return Ok(Some(Arc::clone(found)));
        }
        let schema = Arc::new(JsonSchema::load(&path)?);
        self.0.insert(path, Arc::clone(&schema));
        Ok(Some(schema))
    }
}

fn resolve_overrides(
    raw: &[RawOverride],
    root: &Path,
    schemas: &mut SchemaCache,
    at: &At<'_>,
) -> Result<Vec<Override>, ConfigError> {
    let mut overrides = Vec::new();
    for o in raw {
        let globs = PathMatcher::new(root, &o.paths).map_err(|(i, e)| at(o.paths[i].span(), e))?;
        overrides.push(Override {
            globs,
            required: resolve_required(o.required.as_deref(), at)?,
            fields: resolve_fields(&o.fields, at)?,
            allow_unknown_fields: o.allow_unknown_fields,
            json_schema: schemas.load(root, o.schema.as_deref())?,
            rules: resolve_rules(&o.rules, at)?,
        });
    }
    Ok(overrides)
}

fn resolve_rules(
    rules: &IndexMap<Spanned<String>, Level>,
    at: &At<'_>,
) -> Result<Vec<(Rule, Option<Severity>)>, ConfigError> {
    rules
        .iter()
        .map(|(name, level)| {
            let rule = Rule::from_name(name.get_ref()).ok_or_else(|| {
                at(
                    name.span(),
                    format!(
                        "unknown rule `{}` (`fmx explain` lists the rules)",
                        name.get_ref()
                    ),
                )
            })?;
            Ok((rule, level.severity()))
        })
        .collect()
}

/// A field name or `required` entry as a key path, an error at its place in the config.
fn field_path(text: &Spanned<String>, at: &At<'_>) -> Result<KeyPath, ConfigError> {
    KeyPath::parse_field(text.get_ref()).map_err(|e| {
        at(
            text.span(),
            format!("`{}` is not a field path: {e}", text.get_ref()),
        )
    })
}

/// The name a field is listed under: a single key as it is, a nested path as displayed.
pub fn field_name(path: &KeyPath) -> String {
    match path.segments() {
        [Segment::Key(key)] => key.clone(),
        _ => path.to_string(),
    }
}

/// `[limits]`, each unset one at its default; a depth beyond what fmx compares safely refused.
fn resolve_limits(raw: Option<RawLimits>, at: &At<'_>) -> Result<Limits, ConfigError> {
    let defaults = Limits::default();
    let Some(raw) = raw else {
        return Ok(defaults);
    };
    if let Some(depth) = &raw.max_depth
        && *depth.get_ref() > Limits::MAX_DEPTH
    {
        return Err(at(
            depth.span(),
            format!(
                "`max-depth` = {} is above {}, the deepest nesting fmx converts and compares safely",
                depth.get_ref(),
                Limits::MAX_DEPTH
            ),
        ));
    }
    Ok(Limits {
        max_depth: raw.max_depth.map_or(defaults.max_depth, |d| d.into_inner()),
        max_alias_nodes: raw.max_alias_nodes.unwrap_or(defaults.max_alias_nodes),
        max_block_bytes: raw
            .max_front_matter_bytes
            .unwrap_or(defaults.max_block_bytes),
    })
}

fn resolve_required(
    raw: Option<&[Spanned<String>]>,
    at: &At<'_>,
) -> Result<Option<Vec<KeyPath>>, ConfigError> {
    raw.map(|list| list.iter().map(|t| field_path(t, at)).collect())
        .transpose()
}

fn resolve_fields(
    raw: &IndexMap<Spanned<String>, RawField>,
    at: &At<'_>,
) -> Result<IndexMap<String, FieldSpec>, ConfigError> {
    let mut fields: IndexMap<String, FieldSpec> = IndexMap::new();
    for (text, f) in raw {
        let path = field_path(text, at)?;
        let name = field_name(&path);
        // A top-level key `"a.b"` and the nested `a.b` would share a name.
        if fields.get(&name).is_some_and(|other| other.path != path) {
            return Err(at(
                text.span(),
                format!(
                    "`{}` names two different fields: quote the key that holds a dot",
                    text.get_ref()
                ),
            ));
        }
        let mut spec = resolve_field(f, at)?;
        spec.path = path;
        fields.insert(name, spec);
    }
    Ok(fields)
}

fn resolve_field(raw: &RawField, at: &At<'_>) -> Result<FieldSpec, ConfigError> {
    let bound = |b: &Option<Spanned<String>>| -> Result<Option<i64>, ConfigError> {
        b.as_ref()
            .map(|s| {
                parse_bound(s.get_ref()).ok_or_else(|| {
                    at(
                        s.span(),
                        format!(
                            "`{}` is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
                            s.get_ref()
                        ),
                    )
                })
            })
            .transpose()
    };
    let items = raw
        .items
        .as_ref()
        .map(|i| -> Result<Box<FieldSpec>, ConfigError> {
            Ok(Box::new(FieldSpec {
                ty: i.ty,
                one_of: i.one_of.clone(),
                pattern: pattern(i.pattern.as_ref(), at)?,
                ..FieldSpec::default()
            }))
        })
        .transpose()?;
    Ok(FieldSpec {
        path: KeyPath::root(),
        ty: raw.ty,
        min_length: raw.min_length,
        max_length: raw.max_length,
        one_of: raw.one_of.clone(),
        pattern: pattern(raw.pattern.as_ref(), at)?,
        earliest: bound(&raw.earliest)?,
        latest: bound(&raw.latest)?,
        items,
        min_items: raw.min_items,
        max_items: raw.max_items,
        unique_items: raw.unique_items,
        unique: raw.unique,
    })
}

/// A `pattern`, compiled here so a bad one is a config error at its line.
fn pattern(raw: Option<&Spanned<String>>, at: &At<'_>) -> Result<Option<Pattern>, ConfigError> {
    raw.map(|p| {
        regex::Regex::new(p.get_ref()).map(Pattern).map_err(|e| {
            let reason = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            at(
                p.span(),
                format!("`{}` is not a valid pattern: {reason}", p.get_ref()),
            )
        })
    })
    .transpose()
}

/// `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time → epoch seconds.
pub fn parse_bound(text: &str) -> Option<i64> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    let ts = jiff::tz::TimeZone::UTC
        .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unambiguous()
        .ok()?;
    Some(ts.as_second())
}

/// Gitignore-style patterns relative to a root: the one matcher for override `paths` and
/// `exclude` (the walker applies `exclude` with the same `ignore` matcher), so `drafts`
/// means the folder and everything below it in both.
#[derive(Debug)]
pub struct PathMatcher(Gitignore);

impl PathMatcher {
    /// On error, the index of the bad pattern and why.
    pub fn new(root: &Path, patterns: &[Spanned<String>]) -> Result<Self, (usize, String)> {
        let mut builder = GitignoreBuilder::new(root);
        for (i, p) in patterns.iter().enumerate() {
            let p = p.get_ref();
            gitignore_glob(p).map_err(|e| (i, e))?;
            builder
                .add_line(None, p.trim())
                .map_err(|e| (i, format!("bad glob `{p}`: {e}")))?;
        }
        let matcher = builder.build().map_err(|e| (0, e.to_string()))?;
        Ok(PathMatcher(matcher))
    }

    /// Whether `path` (relative to the root) or a folder above it matches. A path outside
    /// the root (absolute) is matched as it stands.
    pub fn is_match(&self, path: &Path) -> bool {
        if path.has_root() {
            self.0.matched(path, false).is_ignore()
        } else {
            self.0.matched_path_or_any_parents(path, false).is_ignore()
        }
    }
}

/// A gitignore-style pattern as a glob: without a `/` it matches at any depth; a leading
/// `/` anchors it to the root; `dir/` matches everything below `dir`.
pub fn gitignore_glob(pattern: &str) -> Result<Glob, String> {
    let p = pattern.trim();
    if p.is_empty() {
        return Err("an empty glob matches nothing".into());
    }
    let anchored = p.starts_with('/') || p.trim_end_matches('/').contains('/');
    let mut glob = p.trim_start_matches('/').to_string();
    if glob.ends_with('/') {
        glob.push_str("**");
    }
    if !anchored {
        glob = format!("**/{glob}");
    }
    globset::GlobBuilder::new(&glob)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("bad glob `{pattern}`: {}", e.kind()))
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let idx = crate::document::LineIndex::new(text, 1);
    let p = idx.pos(offset);
    (p.line, p.col)
}

/// Who may have put a config file where [`Config::discover`] finds it.
struct Trust {
    #[cfg(unix)]
    device: Option<u64>,
    #[cfg(unix)]
    owners: Vec<u32>,
}

impl Trust {
    fn of(start: &Path, home: Option<&Path>) -> Trust {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let start_meta = std::fs::metadata(start).ok();
            // The effective user owns its `/proc/self`; elsewhere the home directory's
            // owner stands for the user.
            let user = std::fs::metadata("/proc/self")
                .ok()
                .or_else(|| std::fs::metadata(home?).ok())
                .map(|m| m.uid());
            let mut owners = vec![0];
            owners.extend(user);
            owners.extend(start_meta.as_ref().map(|m| m.uid()));
            Trust {
                device: start_meta.map(|m| m.dev()),
                owners,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = (start, home);
            Trust {}
        }
    }

    fn same_filesystem(&self, dir: &Path) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(dir).map(|m| m.dev()).ok() == self.device
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            true
        }
    }

    fn allows(&self, dir: &Path, file: &std::fs::Metadata) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let shared_folder = std::fs::metadata(dir).is_ok_and(|m| m.mode() & 0o002 != 0);
            self.owners.contains(&file.uid()) && file.mode() & 0o002 == 0 && !shared_folder
        }
        #[cfg(not(unix))]
        {
            let _ = (dir, file);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("fmx.toml"), PathBuf::from("."))
    }

    fn invalid_line(text: &str) -> (u32, String) {
        match parse(text) {
            Err(ConfigError::Invalid { line, message, .. }) => (line, message),
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    #[test]
    fn spec_example_loads() {
        let c = parse(
            r#"
required = ["title", "date", "extends", "section", "description"]
exclude = ["drafts/**"]
allow-unknown-fields = true

[fields.date]
type = "epoch"
earliest = "1990-01-01"
latest = "2100-01-01"

[fields.title]
type = "string"
min-length = 1

[fields.image]
type = "url"

[fields.section]
one-of = ["content", "news"]

[[overrides]]
paths = ["drafts/**"]
required = ["title"]

[rules]
delimiter-whitespace = "warn"
"#,
        )
        .unwrap();
        assert_eq!(c.base.required.len(), 5);
        assert_eq!(c.base.field("date").unwrap().earliest, Some(631152000));
        assert_eq!(
            c.base.severity(Rule::DelimiterWhitespace),
            Some(Severity::Warning)
        );
        let drafts = c.schema_for(Path::new("drafts/a.md"));
        assert_eq!(drafts.required, vec![KeyPath::key("title")]);
        let posts = c.schema_for(Path::new("posts/a.md"));
        assert_eq!(posts.required.len(), 5);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let (line, message) = invalid_line("required = []\nrequird = [\"x\"]\n");
        assert_eq!(line, 2);
        assert!(message.contains("requird"), "{message}");
    }

    #[test]
    fn unknown_field_property_and_rule_and_type() {
        assert_eq!(invalid_line("[fields.a]\ntype = \"strng\"\n").0, 2);
        assert_eq!(invalid_line("[fields.a]\nmin_len = 1\n").0, 2);
        assert_eq!(invalid_line("[rules]\nno-such-rule = \"off\"\n").0, 2);
        assert_eq!(invalid_line("[rules]\nbom = \"loud\"\n").0, 2);
        assert_eq!(invalid_line("[fields.d]\nearliest = \"yesterday\"\n").0, 2);
        assert_eq!(invalid_line("\n[[overrides]]\npaths = [\"a/[\"]\n").0, 3);
    }

    #[test]
    fn later_overrides_win() {
        let c = parse(
            r#"
required = ["title"]
[[overrides]]
paths = ["*.md"]
required = ["a"]
[[overrides]]
paths = ["news/**"]
required = ["b"]
"#,
        )
        .unwrap();
        let required = |p: &str| c.schema_for(Path::new(p)).required.clone();
        assert_eq!(required("x/y.md"), [KeyPath::key("a")]);
        assert_eq!(required("news/y.md"), [KeyPath::key("b")]);
        assert_eq!(required("x/y.html"), [KeyPath::key("title")]);
    }

    #[test]
    fn gitignore_style_globs() {
        let m = |p: &str, path: &str| gitignore_glob(p).unwrap().compile_matcher().is_match(path);
        assert!(m("*.md", "a/b/c.md"));
        assert!(m("drafts/**", "drafts/x/y.md"));
        assert!(!m("drafts/**", "posts/drafts/y.md"));
        assert!(m("drafts/", "drafts/y.md"));
        assert!(m("/top.md", "top.md"));
        assert!(!m("/top.md", "a/top.md"));
    }
}
