//! The commands, each run on resolved settings with the streams it may write to.

pub mod check;
pub mod convert;
pub mod edit;
pub mod explain;
pub mod init;
pub mod schema;
pub mod server;

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::walk::{WalkError, Walker};

/// Why a command could not do its job. Only `main` prints it (`error: …`, exit 2); a closed
/// output pipe is not an error (see [`CommandError::is_broken_pipe`]).
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("`fmx convert` works on files; `-` (stdin) is not supported")]
    StdinNotSupported,
    #[error("unknown rule `{0}`\n  help: `fmx explain` lists the rules")]
    UnknownRule(String),
    #[error("{} already exists\n  help: --force overwrites it; --stdout prints the config instead", .0.display())]
    ConfigExists(PathBuf),
    #[error("no post with readable front matter under the given paths")]
    NothingToInfer,
    /// A bug, not a user error: caught before anything is written.
    #[error("the generated fmx.toml does not read back as meant ({0}); nothing was written")]
    InferredConfigDiffers(&'static str),
    #[error("cannot start the worker threads: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
    #[error(transparent)]
    Server(#[from] crate::server::ServerError),
    #[error(transparent)]
    Edit(#[from] edit::EditFlagError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl CommandError {
    /// The reader of our output went away (`fmx check | head`): a quiet success.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CommandError::Io(e) if is_broken_pipe(e))
    }
}

/// The exit-code contract (see the README): 0 clean, 1 problems found, 2 fmx could not do
/// its job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors (warnings allowed); nothing would change under `--check`.
    Success = 0,
    /// Errors found, files refused, or something would change under `--check`.
    Failure = 1,
    /// Bad flags, bad config, unreadable path argument.
    Error = 2,
    /// Stopped by Ctrl-C before every file was processed (128 + SIGINT, as shells expect).
    Interrupted = 130,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Which configuration to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `fmx.toml`/`.fmx.toml` from the working directory up, else the defaults.
    Discover,
    File(PathBuf),
    /// `--no-config`: the built-in defaults.
    Defaults,
}

/// The walker for a run: the config's extensions and excludes (relative to its folder), then
/// the command line's `--exclude` (relative to the working directory).
pub fn walker(config: &Config, cwd: &Path, exclude: &[String]) -> Result<Walker, WalkError> {
    Walker::new(
        &config.extensions,
        &config.root,
        &config.exclude,
        cwd,
        exclude,
    )
}

/// Loads the configuration `choice` names, relative to `cwd`.
pub fn load_config(choice: &ConfigChoice, cwd: &Path) -> Result<Config, ConfigError> {
    let path = match choice {
        ConfigChoice::Defaults => None,
        ConfigChoice::File(p) => Some(crate::walk::absolute(cwd, p)),
        ConfigChoice::Discover => Config::discover(cwd),
    };
    match path {
        Some(p) => Config::load(&p),
        None => Ok(Config::defaults(cwd.to_path_buf())),
    }
}

/// Whether an I/O error means the reader of our output went away (`fmx check | head`).
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}
