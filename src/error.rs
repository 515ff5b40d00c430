//! Typed errors of the library, each naming the line where it can. Crate-private:
//! the pipeline re-exports [`Error`] and [`decode`], `decide` the deciders' errors.

use crate::article::ArticleError;
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::ScanError;
use crate::conflict::sides::{Side, SideNames};

/// Why one file could not be resolved. The file is left untouched.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed conflict markers.
    #[error("{0}")]
    Scan(#[from] ScanError),
    /// One side is not a readable article.
    // `error`, not `source`: the message already includes it, and a source
    // would print it twice in `{:#}` chains.
    #[error("on {}: {error}", side_name(*side, SideNames::STASH))]
    Article {
        /// Which side (`None`: the base).
        side: Option<Side>,
        /// Line in the file.
        line: usize,
        /// What is wrong, with file lines.
        error: ArticleError,
    },
    /// Conflict markers of another size than the one asked for.
    #[error(
        "conflict markers here are {found} characters long, not {expected}; \
         pass --marker-size {found} (git's conflict-marker-size attribute)"
    )]
    MarkerSize {
        /// Line of the first opening marker.
        line: usize,
        /// Their size.
        found: MarkerSize,
        /// The size asked for.
        expected: MarkerSize,
    },
    /// The bytes are not UTF-8.
    #[error("not valid UTF-8; frontmerge only edits UTF-8 text")]
    NotUtf8 {
        /// Line of the first invalid byte.
        line: usize,
    },
    /// A NUL byte: a binary file.
    #[error("binary file (NUL byte); not an article")]
    Binary {
        /// Line of the first NUL byte.
        line: usize,
    },
    /// Past the size frontmerge agrees to hold in memory.
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The resolution would produce a broken file.
    #[error("the result would be invalid: {0}")]
    InvalidResult(String),
    /// A decider failed (e.g. `--prefer newest` found no dates).
    #[error("{}", chain(.0))]
    Decide(DecideError),
}

/// Why a decider could not decide. The file is left untouched.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// `--prefer` could not pick a side (`--prefer newest` found no dates
    /// to compare): why.
    #[error(transparent)]
    Prefer(PreferError),
    /// What a decider relies on outside the library failed: git's line
    /// merge, the terminal a person answers at. Boxed: those errors belong
    /// to layers above this one (`git`, the command line).
    #[error(transparent)]
    Outside(Box<dyn std::error::Error + Send + Sync>),
}

/// Why `--prefer` picks no side for a file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreferError {
    /// `--prefer newest`: no date tells the sides apart.
    #[error("--prefer newest: {0}")]
    Newest(#[from] NoNewest),
}

/// Why no date field tells which side is newer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoNewest {
    /// None of the fields is on both sides.
    #[error("no date field found on both sides (looked for {})", .looked.join(", "))]
    NoField {
        /// The fields looked for, in order.
        looked: Vec<String>,
    },
    /// Fields on both sides, none telling them apart.
    #[error("no date tells the sides apart: {}", join(.passed))]
    NoneApart {
        /// What each field found.
        passed: Vec<DateTie>,
    },
}

/// A date field on both sides that does not tell them apart.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateTie {
    /// The same date on both.
    #[error("`{field}` is the same date on both sides ({date})")]
    Same {
        /// The field.
        field: String,
        /// The date, as upstream writes it.
        date: String,
    },
    /// Not a date on both.
    #[error("`{field}` is not a date on both sides ({upstream:?}, {stashed:?})")]
    NotDates {
        /// The field.
        field: String,
        /// Upstream's value.
        upstream: String,
        /// The stash's value.
        stashed: String,
    },
}

/// The ties, `; ` between them.
fn join(ties: &[DateTie]) -> String {
    ties.iter()
        .map(DateTie::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A side as an error names it: `upstream`, `stashed` (or as `names` says),
/// `the base`.
fn side_name(side: Option<Side>, names: SideNames) -> &'static str {
    side.map_or("the base", |s| names.get(s))
}

impl Error {
    /// The message with the sides called as `names` says (`ours`/`theirs`
    /// in a merge); `Display` calls them `upstream`/`stashed`.
    pub fn named(&self, names: SideNames) -> String {
        match self {
            Error::Article { side, error, .. } => {
                format!("on {}: {error}", side_name(*side, names))
            }
            other => other.to_string(),
        }
    }

    /// The 1-based file line the error points at, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Scan(e) => Some(e.line),
            Error::Article { line, .. }
            | Error::MarkerSize { line, .. }
            | Error::NotUtf8 { line }
            | Error::Binary { line } => Some(*line),
            Error::TooLarge { .. } | Error::InvalidResult(_) | Error::Decide(_) => None,
        }
    }
}

impl Error {
    /// The 1-based column (in characters) the error points at, when it
    /// knows one: invalid TOML or JSON frontmatter.
    pub fn column(&self) -> Option<usize> {
        match self {
            Error::Article {
                error: crate::article::ArticleError::Syntax { column, .. },
                ..
            } => Some(*column),
            _ => None,
        }
    }
}

/// `e` with its causes after it, each after `: `, as anyhow's `{:#}` shows
/// them: a typed error said on one line (`cannot run git (is it
/// installed?): No such file or directory (os error 2)`).
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// Line number (1-based) of byte offset `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Checks that `bytes` are UTF-8 text (no NUL) and returns them as `&str`.
pub fn decode(bytes: &[u8]) -> Result<&str, Error> {
    if let Some(p) = memchr::memchr(0, bytes) {
        return Err(Error::Binary {
            line: line_of(bytes, p),
        });
    }
    // Fast SIMD check first; std's validator only to locate the bad byte.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        line: line_of(bytes, e.valid_up_to()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_is_said_as_anyhow_says_it() {
        // anyhow's `{:#}`: each cause after `: `.
        let e =
            crate::git::GitError::Spawn(std::io::Error::new(std::io::ErrorKind::NotFound, "gone"));
        assert_eq!(chain(&e), "cannot run git (is it installed?): gone");
        let e = Error::Decide(DecideError::Outside(Box::new(e)));
        assert_eq!(e.to_string(), "cannot run git (is it installed?): gone");
    }

    #[test]
    fn decode_names_the_line() {
        assert!(matches!(decode(b"a\nb\0"), Err(Error::Binary { line: 2 })));
        assert!(matches!(
            decode(b"a\n\nb\xff"),
            Err(Error::NotUtf8 { line: 3 })
        ));
        assert_eq!(decode("ok\n".as_bytes()).unwrap(), "ok\n");
    }
}
