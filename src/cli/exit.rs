//! Exit codes, in one place: the constants, the code for a signal, and how
//! several outcomes of one run combine (the README and `--help` show [`TABLE`]).
//!
//! ```text
//! 0    everything asked for was done
//! 1    some file could not be handled and was left untouched (check: errors found)
//! 2    usage or fatal error
//! 3    some file was left for a decision (untouched, or written with conflict markers on purpose)
//! 4    files were written but could not be marked resolved in git
//! 128+N interrupted by signal N (130 Ctrl-C or quit in the picker, 143 SIGTERM, 129 SIGHUP)
//! ```

/// Everything asked for was done.
pub(crate) const OK: i32 = 0;
/// Some file could not be handled and was left untouched (or `check` found errors).
pub(crate) const FAILED: i32 = 1;
/// Usage or fatal error: bad flag, unreadable config, not a repository when one is needed.
pub(crate) const USAGE: i32 = 2;
/// Some file was left for a decision: untouched, or written with markers around what is left.
pub(crate) const DECIDE: i32 = 3;
/// Files were written but could not be marked resolved in git (git add/reset failed).
pub(crate) const NOT_MARKED: i32 = 4;
/// Interrupted by Ctrl-C, or Esc/q in the picker (SIGINT's code).
pub(crate) const INTERRUPTED: i32 = signal(2);

/// The code for a run interrupted by signal `sig`: 128 + `sig`, the shell's convention
/// (SIGINT 2 → 130, SIGTERM 15 → 143, SIGHUP 1 → 129).
pub(crate) const fn signal(sig: i32) -> i32 {
    128 + sig
}

/// Whether `code` says the run was interrupted by a signal.
pub(crate) const fn is_interrupted(code: i32) -> bool {
    code > 128
}

/// How serious a code is: interrupted > usage > not marked > failed > decide > ok.
fn rank(code: i32) -> u8 {
    match code {
        c if is_interrupted(c) => 6,
        USAGE => 5,
        NOT_MARKED => 4,
        FAILED => 3,
        DECIDE => 2,
        OK => 0,
        // An unknown code is not hidden behind a known, milder one.
        _ => 1,
    }
}

/// The code of a run with both outcomes `a` and `b`: the most serious wins.
pub(crate) fn combine(a: i32, b: i32) -> i32 {
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// The code of a run with all these outcomes ([`OK`] for none).
pub(crate) fn most_serious(codes: impl IntoIterator<Item = i32>) -> i32 {
    codes.into_iter().fold(OK, combine)
}

/// The table shown by `--help` (after the options) and in the README.
pub(crate) const TABLE: &str = "\
Exit codes (when several apply, the first in this order wins: 128+N, 2, 4, 1, 3, 0):
  0      everything asked for was done
  1      some file could not be handled and was left untouched (check: errors found)
  2      usage or fatal error (bad flag, unreadable config, not a repository)
  3      some file was left for a decision: untouched, or written with conflict markers
         around what is left (--leave-conflicts, `leave unresolved` in the picker)
  4      files were written but could not be marked resolved in git
  128+N  interrupted by signal N: 130 Ctrl-C or quit in the picker, 143 SIGTERM, 129 SIGHUP
The merge driver follows git's convention instead: 0 merged, 1 conflicts left.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_agreed_values() {
        assert_eq!([OK, FAILED, USAGE, DECIDE, NOT_MARKED], [0, 1, 2, 3, 4]);
        assert_eq!(INTERRUPTED, 130);
        assert_eq!(signal(15), 143);
        assert_eq!(signal(1), 129);
    }

    #[test]
    fn the_most_serious_wins_in_the_agreed_order() {
        let order = [signal(15), USAGE, NOT_MARKED, FAILED, DECIDE, OK];
        for (i, &a) in order.iter().enumerate() {
            for &b in &order[i..] {
                assert_eq!(combine(a, b), a, "{a} vs {b}");
                assert_eq!(combine(b, a), a, "{b} vs {a}");
            }
        }
        assert_eq!(most_serious([]), OK);
        assert_eq!(most_serious([DECIDE, FAILED, OK]), FAILED);
        assert_eq!(most_serious([DECIDE, NOT_MARKED, FAILED]), NOT_MARKED);
        assert_eq!(most_serious([USAGE, INTERRUPTED]), INTERRUPTED);
    }

    #[test]
    fn the_guide_shows_the_table() {
        // The integration test `exit_codes` reads the table from the guide
        // and finds it in `--help`.
        let guide = include_str!("../../docs/resolving.md");
        assert!(
            guide.contains(TABLE),
            "docs/resolving.md shows TABLE verbatim"
        );
    }

    #[test]
    fn the_table_lists_every_code() {
        for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "128+N", "130", "143", "129"] {
            assert!(TABLE.contains(code), "{code}");
        }
    }
}
