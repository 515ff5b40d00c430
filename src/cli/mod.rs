//! What a person runs: argument parsing, the subcommands, the picker, the
//! reports a person reads, exit codes and interruption.
//!
//! Crate-private but for [`main`]: the library's surface is the core, and the
//! binary (`src/main.rs`) only calls this entry point.

mod app;
mod args;
mod cmd;
mod exit;
mod interrupt;
mod picker;
mod report;

// The fuzz target `escape` checks what the terminal is shown, which is the
// command line's business: escaping and the diff view stay in `report`, and
// this hidden module, compiled only with the `fuzzing` feature the fuzz crate
// turns on, is the one way in from outside. Not a core module: nothing but a
// person's terminal needs escaping. The fuzz target `check` reaches the
// crate-private `check` the same way.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

/// Runs `git-frontmerge` with the process's arguments and returns the exit
/// code (`cli/exit.rs` lists them).
pub fn main() -> i32 {
    app::main()
}
