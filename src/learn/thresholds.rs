//! How much history a proposal of `learn` needs, and how much is held back
//! to check it: shared by the per-key rules and the key groups.

use serde::Serialize;

/// How much history a proposal needs, and how much is held back to check it.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Thresholds {
    /// At least this many distinct merges behind a rule or group.
    pub(crate) min_merges: usize,
    /// At least this share of its conflicts settled as people did.
    pub(crate) min_agreement: f64,
    /// The share of the conflicted merges (the newest) held back to check
    /// what was learned from the others; 0: no check.
    pub(crate) holdout: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_merges: 3,
            min_agreement: 0.9,
            holdout: 0.3,
        }
    }
}
