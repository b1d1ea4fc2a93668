//! `fmx server`: the language server on stdin/stdout (see [`crate::server`]).

use super::{CommandError, ExitStatus};
use crate::server::{self, Ended};

/// Serves until the client sends `exit`: status 0 after `shutdown`, 1 without (the spec's
/// exit codes).
pub fn run() -> Result<ExitStatus, CommandError> {
    match server::run_stdio()? {
        Ended::Clean => Ok(ExitStatus::Success),
        Ended::ExitWithoutShutdown => Ok(ExitStatus::Failure),
    }
}
