//! What a person runs: argument parsing, the subcommands, the picker, the
//! reports a person reads, exit codes and interruption.

pub mod app;
pub mod args;
pub mod cmd;
pub mod exit;
pub mod interrupt;
pub mod picker;
pub mod report;
