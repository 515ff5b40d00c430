//! Frontmatter findings of one side's text: unclosed, invalid or duplicated
//! keys, and a second frontmatter block left from keeping both sides.

use std::collections::HashSet;

use super::links::link_findings;
use super::{Code, Finding, Severity};
use crate::article::frontmatter::{self, SecondBlock};
use crate::article::{self, ArticleError, ArticleOptions, Format};

/// Frontmatter and related-links findings of one side's text. Lines are
/// mapped to file lines with `map`. Each frontmatter error is reported, then
/// the lines at fault are blanked and the text read again, so one broken key
/// does not hide the next, where the format allows it (line numbers stay:
/// the lines are emptied, their endings kept).
pub(super) fn article_findings(
    text: &str,
    opts: &ArticleOptions,
    map: &dyn Fn(usize) -> usize,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // Copied only when a broken key must be blanked for another round.
    let mut work = std::borrow::Cow::Borrowed(text);
    let mut seen = HashSet::new();
    if let Some(f) = second_frontmatter(text, map) {
        out.push(f);
    }
    loop {
        let next = match article::parse(&work, opts) {
            Ok(a) => {
                out.extend(link_findings(&a, map));
                None
            }
            Err(ArticleError::UnclosedFrontmatter { line, format }) => {
                let message = format!(
                    "frontmatter opened with `{}` is never closed: add {}",
                    format.opener(),
                    format.syntax().closer_hint()
                );
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    1,
                    Code::UnclosedFrontmatter,
                    message,
                ));
                None
            }
            Err(ArticleError::DuplicateKey { key, line, first }) => {
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    1,
                    Code::DuplicateKey,
                    format!(
                        "duplicate frontmatter key `{key}` (first at line {}): keep one",
                        map(first)
                    ),
                ));
                // The format says whether the entry can be blanked and the
                // block read again.
                Format::detect(&work).and_then(|f| f.syntax().without_entry(&work, line))
            }
            // A block that does not parse: read again without it where the
            // format allows (one finding per block where it does not).
            Err(e) => e.fault().and_then(|fault| {
                out.push(Finding::new(
                    Severity::Error,
                    map(fault.line),
                    fault.column,
                    Code::Invalid(fault.format),
                    format!(
                        "frontmatter is not valid {}: {}",
                        fault.format.name(),
                        fault.message
                    ),
                ));
                fault.format.syntax().without_block(&work)
            }),
        };
        match next {
            // Each round blanks at least one more line; stop if it did not.
            Some(n) if n != *work && seen.insert(n.clone()) => work = std::borrow::Cow::Owned(n),
            _ => break,
        }
    }
    out
}

/// A second block right after the frontmatter that shares a key with the
/// first: the trace of keeping both sides' frontmatter.
pub(super) fn second_frontmatter(text: &str, map: &dyn Fn(usize) -> usize) -> Option<Finding> {
    let SecondBlock { first, second } = frontmatter::second_block(text)?;
    Some(Finding::new(
        Severity::Error,
        map(second.0),
        1,
        Code::SecondFrontmatter,
        format!(
            "a second frontmatter block (lines {}-{}) follows the first (lines {}-{}): keep one",
            map(second.0),
            map(second.1),
            map(first.0),
            map(first.1)
        ),
    ))
}
