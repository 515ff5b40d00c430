//! Runs a parsed command line: dispatch to a subcommand and map failures to
//! exit codes. `main.rs` only calls [`main`].

use clap::Parser;
use console::style;

use crate::cli::args::{Cli, Command};
use crate::cli::cmd;
use crate::cli::exit;

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match &cli.command {
        None => cmd::resolve::run(&cli.resolve),
        Some(Command::Resolve(args)) => cmd::resolve::run(args),
        Some(Command::Diff(args)) => cmd::diff::run(args),
        Some(Command::Check(args)) => cmd::check::run(args),
        Some(Command::Install(args)) => cmd::install::run(args),
        Some(Command::MergeDriver(args)) => cmd::merge_driver::run(args),
        Some(Command::Replay(args)) => cmd::replay::run(args),
        Some(Command::Learn(args)) => cmd::learn::run(args),
    }
}

/// The whole program: parse arguments, run, print a fatal error once.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            crate::cli::report::errln!(
                "{}: {}",
                style("error").red().bold(),
                crate::cli::report::error(&e)
            );
            exit::USAGE
        }
    }
}
