//! What the fuzz targets in `fuzz/` reach of the command line (the `fuzzing`
//! feature only): text escaped for the terminal in each layout, and the diff
//! view. Thin wrappers, so that `report` stays crate-private.

use std::path::Path;

use crate::article::Article;
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
