//! The `fmx` binary: parse the command line, run the command, exit with its status.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use anstream::AutoStream;
use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command};
use fmx::commands::{self, CommandError, ExitStatus};

/// The one place a command error is printed, and the one exit path.
fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let status = match run(cli, &matches) {
        Ok(status) => status,
        Err(e) if e.is_broken_pipe() => ExitStatus::Success,
        Err(e) => {
            eprintln!("error: {e}");
            ExitStatus::Error
        }
    };
    ExitCode::from(status.code())
}

// Stderr is never held locked for a whole command: the progress bar's tick thread draws on
// it, and a lock held here made the main thread wait for that thread forever on a terminal.
/// A reporting command on stdout (coloured, buffered when piped) and stderr, stdout flushed
/// before its status is known to be final.
fn streamed(
    color: anstream::ColorChoice,
    command: impl FnOnce(&mut dyn Write, &mut dyn Write) -> Result<ExitStatus, CommandError>,
) -> Result<ExitStatus, CommandError> {
    let mut out = fmx::report::stream::stdout(color);
    let mut err = AutoStream::new(std::io::stderr(), color);
    let status = command(&mut out, &mut err)?;
    out.flush()?;
    Ok(status)
}

fn run(cli: Cli, matches: &clap::ArgMatches) -> Result<ExitStatus, CommandError> {
    match cli.command {
        Command::Check(args) => streamed(args.common.color.choice(), |out, err| {
            commands::check::run(&args.settings(), &mut std::io::stdin().lock(), out, err)
        }),
        Command::Convert(args) => streamed(args.common.color.choice(), |out, err| {
            commands::convert::run(&args.settings(), out, err)
        }),
        Command::Edit(args) => streamed(args.common.color.choice(), |out, err| {
            let edit = matches.subcommand_matches("edit").unwrap_or(matches);
            commands::edit::run(&args.settings(edit), out, err)
        }),
        Command::Init {
            infer,
            stdout,
            force,
        } => {
            let settings = commands::init::InitSettings {
                infer,
                stdout,
                force,
            };
            commands::init::run(
                &settings,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr(),
            )
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "fmx", &mut std::io::stdout().lock());
            Ok(ExitStatus::Success)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
            Ok(ExitStatus::Success)
        }
        Command::Server => commands::server::run(),
        Command::Schema(args) => {
            commands::schema::run(&args.settings(), &mut std::io::stdout().lock())
        }
        Command::Explain { rule } => {
            let mut out = AutoStream::auto(std::io::stdout().lock());
            commands::explain::run(rule.as_deref(), &mut out)
        }
    }
}
