//! What the user typed (clap) and its translation into the settings a command runs on.
//! The only module that knows about clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use fmx::commands::ConfigChoice;
use fmx::commands::check::{CheckSettings, FixMode};
use fmx::commands::convert::{ConvertSettings, Mode, ReportFormat};
use fmx::commands::edit::{EditSettings, RawOp};
use fmx::convert::DatesMode;
use fmx::document::Format;
use fmx::formats::yaml::YamlVersion;
use fmx::report::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "fmx",
    version,
    about = "Check and convert the front matter of static-site posts",
    long_about = "Check and convert the front matter (YAML ---, TOML +++, JSON {…}) of static-site posts.\n\nExit codes: 0 no errors; 1 errors found (or files refused, or something would change under --check); 2 fmx could not do its job (bad flags, bad config, missing path)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate posts and report every front matter problem at its line and column.
    Check(CheckArgs),
    /// Rewrite front matter in another format: a dry run with diffs unless --write.
    Convert(ConvertArgs),
    /// Edit front matter surgically (set, unset, rename, …): a dry run with diffs unless --write.
    Edit(EditArgs),
    /// Write a starter fmx.toml, or infer one from an existing archive.
    Init {
        /// Read these posts and propose the fields and types they share.
        #[arg(long, num_args = 1.., value_name = "PATH")]
        infer: Option<Vec<PathBuf>>,
        /// Print the config instead of writing fmx.toml.
        #[arg(long)]
        stdout: bool,
        /// Overwrite an existing fmx.toml.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script: `source <(fmx completions bash)`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `fmx man > fmx.1; man -l fmx.1`.
    Man,
    /// Run the language server (LSP 3.17 on stdin/stdout) for editors.
    Server,
    /// Print the JSON Schema (2020-12) equivalent to the fmx.toml schema for a post or folder.
    Schema(SchemaArgs),
    /// List the rules, or print one rule's documentation.
    Explain {
        /// A rule name, e.g. `date-not-epoch`.
        rule: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders are walked); `-` reads one post from stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Require a field, in addition to the config's `required` (repeatable).
    #[arg(long, value_name = "FIELD")]
    pub require: Vec<String>,
    /// Validate every post against this JSON Schema too (instead of the config's `schema`).
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub output_format: FormatArg,
    /// Print only errors, and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Apply the safe fixes (atomically), then report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the changes --fix would make; change nothing (exit 1 if there are any).
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// The name to use for the post read from stdin, in messages and override globs.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Which YAML reads the posts: 1.1 (Jekyll, PyYAML) or 1.2. Wins over `yaml` in fmx.toml.
    #[arg(long, value_name = "VERSION", value_parser = parse_yaml_version)]
    pub yaml: Option<YamlVersion>,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files or folders to convert (folders are walked).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: ToArg,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The flags `convert` and `edit` share: how files are read, written and reported.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Write the changes (atomically, file by file).
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Write nothing; exit 1 if any file would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// With --write: skip flushing the new files to disk. Still atomic if fmx is killed,
    /// about a quarter faster on a disk, but not durable across a power loss.
    #[arg(long, requires = "write")]
    pub no_fsync: bool,
    /// Date fields: keep them, or turn them into epoch seconds or RFC 3339 date-times.
    #[arg(long, value_enum, default_value_t = DatesArg::Keep)]
    pub dates: DatesArg,
    /// The IANA time zone (`Europe/Berlin`) in which local dates and date-times name an
    /// instant, so --dates converts them instead of refusing the file.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Which YAML reads the posts: 1.1 (Jekyll, PyYAML) or 1.2. Wins over `yaml` in fmx.toml.
    #[arg(long, value_name = "VERSION", value_parser = parse_yaml_version)]
    pub yaml: Option<YamlVersion>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ConvertFormatArg::Human)]
    pub output_format: ConvertFormatArg,
    /// Print only refusals and errors, and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Files or folders to edit (folders are walked).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Add or replace a value given as JSON: `draft=false`, `'tags=["a","b"]'`.
    #[arg(long, value_name = "KEY=JSON")]
    pub set: Vec<String>,
    /// Add or replace a string value, written without quotes: `author=Ann Smith`.
    #[arg(long, value_name = "KEY=TEXT")]
    pub set_str: Vec<String>,
    /// Remove a key (a missing key is not an error).
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
    /// Move a value to another key or path: `url=permalink`, `tags=taxonomies.tags`.
    #[arg(long, value_name = "FROM=TO")]
    pub rename: Vec<String>,
    /// Replace a string equal to OLD (or each such item of an array of strings) with NEW.
    #[arg(long, num_args = 3, value_names = ["KEY", "OLD", "NEW"])]
    pub replace: Vec<String>,
    /// Set KEY from a leading `YYYY-MM-DD-` in the file name, when KEY is absent.
    #[arg(long, value_name = "KEY")]
    pub date_from_filename: Vec<String>,
    /// Move every top-level key the fmx.toml schema does not list under TABLE.
    #[arg(long, value_name = "TABLE")]
    pub nest_unknown: Vec<String>,
    /// Remove every key whose value is null.
    #[arg(long)]
    pub drop_null: bool,
    /// Apply the ordered steps of a TOML recipe file.
    #[arg(long, value_name = "FILE")]
    pub recipe: Vec<PathBuf>,
    /// Convert to this format in the same pass, after the edits.
    #[arg(long, value_enum)]
    pub to: Option<ToArg>,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

impl EditArgs {
    /// The settings; `matches` (this subcommand's) gives the operations' command-line order.
    pub fn settings(&self, matches: &clap::ArgMatches) -> EditSettings {
        // Without --to, `to` is unused: each file keeps its own format.
        let to = self.to.unwrap_or(ToArg::Yaml).format();
        EditSettings {
            base: self.batch.settings(&self.paths, to, &self.common),
            ops: self.ops_in_order(matches),
            to: self.to.map(ToArg::format),
        }
    }

    fn ops_in_order(&self, matches: &clap::ArgMatches) -> Vec<RawOp> {
        let mut ops: Vec<(usize, RawOp)> = Vec::new();
        let mut each = |id: &str, values: Vec<RawOp>| {
            let at: Vec<usize> = matches
                .indices_of(id)
                .map(Iterator::collect)
                .unwrap_or_default();
            // `--replace` takes three values: its position is its first value's.
            let step = at.len().checked_div(values.len()).unwrap_or(1).max(1);
            ops.extend(at.into_iter().step_by(step).zip(values));
        };
        each("set", self.set.iter().cloned().map(RawOp::Set).collect());
        each(
            "set_str",
            self.set_str.iter().cloned().map(RawOp::SetStr).collect(),
        );
        each(
            "unset",
            self.unset.iter().cloned().map(RawOp::Unset).collect(),
        );
        each(
            "rename",
            self.rename.iter().cloned().map(RawOp::Rename).collect(),
        );
        let replace = self
            .replace
            .chunks(3)
            .map(|c| RawOp::Replace(c[0].clone(), c[1].clone(), c[2].clone()))
            .collect();
        each("replace", replace);
        let dates = self.date_from_filename.iter().cloned();
        each(
            "date_from_filename",
            dates.map(RawOp::DateFromFilename).collect(),
        );
        let nest = self.nest_unknown.iter().cloned();
        each("nest_unknown", nest.map(RawOp::NestUnknown).collect());
        if self.drop_null {
            each("drop_null", vec![RawOp::DropNull]);
        }
        each(
            "recipe",
            self.recipe.iter().cloned().map(RawOp::Recipe).collect(),
        );
        ops.sort_by_key(|(at, _)| *at);
        ops.into_iter().map(|(_, op)| op).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ToArg {
    Yaml,
    Toml,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DatesArg {
    Keep,
    Epoch,
    Rfc3339,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConvertFormatArg {
    Human,
    Json,
}

impl ToArg {
    fn format(self) -> Format {
        match self {
            ToArg::Yaml => Format::Yaml,
            ToArg::Toml => Format::Toml,
            ToArg::Json => Format::Json,
        }
    }
}

impl ConvertArgs {
    pub fn settings(&self) -> ConvertSettings {
        self.batch
            .settings(&self.paths, self.to.format(), &self.common)
    }
}

impl BatchArgs {
    fn settings(&self, paths: &[PathBuf], to: Format, common: &CommonArgs) -> ConvertSettings {
        ConvertSettings {
            paths: paths.to_vec(),
            to,
            mode: if self.write {
                Mode::Write
            } else if self.check {
                Mode::Check
            } else {
                Mode::DryRun
            },
            dates: match self.dates {
                DatesArg::Keep => DatesMode::Keep,
                DatesArg::Epoch => DatesMode::Epoch,
                DatesArg::Rfc3339 => DatesMode::Rfc3339,
            },
            config: self.config.choice(),
            output_format: match self.output_format {
                ConvertFormatArg::Human => ReportFormat::Human,
                ConvertFormatArg::Json => ReportFormat::Json,
            },
            quiet: self.quiet,
            jobs: common.jobs,
            exclude: common.exclude.clone(),
            progress: !common.no_progress,
            fsync: !self.no_fsync,
            yaml: self.yaml,
            tz: self.tz.clone(),
        }
    }
}

fn parse_yaml_version(s: &str) -> Result<YamlVersion, String> {
    s.parse()
        .map_err(|e: fmx::formats::yaml::UnknownYamlVersion| e.to_string())
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The post or folder whose schema to print (overrides applied); default: the base one.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

impl SchemaArgs {
    pub fn settings(&self) -> fmx::commands::schema::SchemaSettings {
        fmx::commands::schema::SchemaSettings {
            path: self.path.clone(),
            config: self.config.choice(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file instead of looking for fmx.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any fmx.toml; use the built-in defaults.
    #[arg(long)]
    pub no_config: bool,
}

impl ConfigArgs {
    fn choice(&self) -> ConfigChoice {
        match (&self.config, self.no_config) {
            (Some(path), _) => ConfigChoice::File(path.clone()),
            (None, true) => ConfigChoice::Defaults,
            (None, false) => ConfigChoice::Discover,
        }
    }
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Worker threads (default: one per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Leave out walked paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// When to use colour; NO_COLOR is honoured under `auto`.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl ColorArg {
    pub fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorArg::Auto => anstream::ColorChoice::Auto,
            ColorArg::Always => anstream::ColorChoice::Always,
            ColorArg::Never => anstream::ColorChoice::Never,
        }
    }
}

impl CheckArgs {
    pub fn settings(&self) -> CheckSettings {
        CheckSettings {
            paths: self.paths.clone(),
            config: self.config.choice(),
            require: self.require.clone(),
            schema: self.schema.clone(),
            output_format: match self.output_format {
                FormatArg::Human => OutputFormat::Human,
                FormatArg::Json => OutputFormat::Json,
                FormatArg::Github => OutputFormat::Github,
                FormatArg::Sarif => OutputFormat::Sarif,
            },
            quiet: self.quiet,
            jobs: self.common.jobs,
            exclude: self.common.exclude.clone(),
            progress: !self.common.no_progress,
            stdin_filename: self.stdin_filename.clone(),
            yaml: self.yaml,
            fix: if self.fix {
                FixMode::Apply
            } else if self.diff {
                FixMode::Diff
            } else {
                FixMode::Off
            },
        }
    }
}
