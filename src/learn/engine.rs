//! The one place `replay` and `learn` call the merge engine: the merge
//! driver's automatic three-way merge of one past conflict, exactly as the
//! driver would have run it during that merge.

use std::path::Path;

use crate::conflict::scan::Labels;
use crate::conflict::sides::Sides;
use crate::pipeline::driver::{merge_three, DriverSettings};
use crate::pipeline::Outcome;

/// The driver's merge of a past conflict's three `versions` of `path` under
/// `settings` (the sides labelled ours and theirs, as in a merge). An error
/// means the driver would have fallen back to git's line merge.
pub(crate) fn merge(
    path: &str,
    versions: Sides<&str>,
    settings: &DriverSettings,
) -> Result<Outcome, crate::error::Error> {
    let labels = Labels {
        upstream: "ours",
        base: None,
        stashed: "theirs",
    };
    merge_three(Path::new(path), versions, labels, settings)
}

/// Remembers git's line merge of each file while the guard lives: replaying
/// the same conflicts under many candidate rules then starts git once per
/// file, not once per file and rule (the line merge does not depend on the
/// rules).
pub(crate) fn remember_line_merges() -> crate::git::LineMergeMemo {
    crate::git::remember_line_merges()
}
