//! What the fuzz targets in `fuzz/` reach of the command line (the `fuzzing`
//! feature only): text escaped for the terminal in each layout, the diff
//! view, and `check`'s errors. Thin wrappers, so that `report` and `check`
//! stay crate-private.

use std::path::Path;

use crate::article::Article;
use crate::check::{check, Committed, Severity};
use crate::cli::report::{self, Layout};
use crate::conflict::scan::Labels;
use crate::conflict::sides::Sides;
use crate::merge::compare::Comparison;

/// `text` as shown inside a line (a path, a value): every control character escaped.
pub fn escape_inline(text: &str) -> String {
    report::escape_in(text, Layout::Inline).into_owned()
}

/// `text` as shown as lines: newlines, tabs and CRLF endings kept.
pub fn escape_lines(text: &str) -> String {
    report::escape_in(text, Layout::Lines).into_owned()
}

/// `text` as shown as styled lines: as [`escape_lines`], and with colours on,
/// colour (SGR) sequences kept.
pub fn escape_styled(text: &str) -> String {
    report::escape_in(text, Layout::Styled).into_owned()
}

/// The errors `check` finds in `text` alone (not in a repository), reading
/// frontmatter with its values or its keys only (`values`): each one's line
/// and code.
pub fn check_errors(text: &str, values: bool) -> Vec<(usize, &'static str)> {
    let mut opts = crate::pipeline::Options::default();
    opts.article.values = values;
    check(text, &opts, Committed::NoRepository)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.line, f.code.as_str()))
        .collect()
}

/// The diff view of one conflicted file, `width` columns wide.
pub fn diff_view(
    path: &Path,
    conflicts: usize,
    labels: Labels<'_>,
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    width: usize,
) -> String {
    report::diff_view(path, conflicts, labels, articles, cmp, width)
}
