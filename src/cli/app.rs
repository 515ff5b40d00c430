//! Runs a parsed command line: dispatch to a subcommand and map failures to
//! exit codes. `main.rs` only calls [`main`].

use clap::{CommandFactory, Parser};
use console::style;

use crate::cli::args::{Cli, Command};
use crate::cli::cmd;
use crate::cli::exit;

/// Runs the parsed command line and returns the exit code.
pub(crate) fn run(cli: Cli) -> anyhow::Result<i32> {
    match &cli.command {
        None => cmd::resolve::run(&cli.resolve),
        Some(Command::Resolve(args)) => cmd::resolve::run(args),
        Some(Command::Diff(args)) => cmd::diff::run(args),
        Some(Command::Check(args)) => cmd::check::run(args),
        Some(Command::Install(args)) => cmd::install::run(args),
        Some(Command::MergeDriver(args)) => cmd::merge_driver::run(args),
        Some(Command::Mergetool(args)) => cmd::mergetool::run(args),
        Some(Command::Replay(args)) => cmd::replay::run(args),
        Some(Command::Learn(args)) => cmd::learn::run(args),
    }
}

/// The command line, unless its first path is a mistyped subcommand: a path
/// that does not exist, one edit away from a subcommand's name (`dif`), is a
/// usage error suggesting it, as git does for its own commands, instead of a
/// file that cannot be read.
fn not_a_mistyped_subcommand(cli: Cli) -> Result<Cli, clap::Error> {
    let Some(first) = cli.resolve.paths.first().filter(|_| cli.command.is_none()) else {
        return Ok(cli);
    };
    let typed = first.to_string_lossy();
    if first.symlink_metadata().is_ok() || typed.contains(std::path::MAIN_SEPARATOR) {
        return Ok(cli);
    }
    let mut cmd = Cli::command();
    let meant = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .find(|name| one_edit_apart(&typed, name));
    match meant {
        Some(meant) => Err(cmd.error(
            clap::error::ErrorKind::InvalidSubcommand,
            format!(
                "'{}' is neither a file nor a subcommand\n\n  \
                 tip: a similar subcommand exists: '{meant}'",
                crate::cli::report::escape(&typed)
            ),
        )),
        None => Ok(cli),
    }
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution, or swap
/// of two neighbours (`dif`, `diif`, `dff`, `idff` for `diff`).
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[start..], &b[start..]);
    match ra.len().abs_diff(rb.len()) {
        0 => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 if ra.len() > rb.len() => ra[1..] == *rb,
        1 => *ra == rb[1..],
        _ => false,
    }
}

/// The whole program: parse arguments, run, print a fatal error once.
pub(crate) fn main() -> i32 {
    let cli = match Cli::try_parse().and_then(not_a_mistyped_subcommand) {
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

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn one_edit_apart_is_one_edit() {
        for typed in ["dif", "difff", "dff", "idff", "dixf", "xdiff"] {
            assert!(one_edit_apart(typed, "diff"), "{typed}");
        }
        for typed in ["diff", "di", "check", "fidd", ""] {
            assert!(!one_edit_apart(typed, "diff"), "{typed}");
        }
    }
}
