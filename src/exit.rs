//! Exit codes, in one place (documented in the README).

/// Everything asked for was done.
pub const OK: i32 = 0;
/// Some file could not be resolved (or `check` found errors).
pub const FAILED: i32 = 1;
/// Usage or fatal error, or some file was left for a decision.
pub const USAGE: i32 = 2;
/// Interrupted (Ctrl-C, Esc, quit): nothing was written.
pub const INTERRUPTED: i32 = 130;
