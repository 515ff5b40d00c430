//! Conditional rules: `[when.NAME]` in `.frontmerge.toml` holds rules that
//! apply only in merges of a given kind, told by the git operation and the
//! branch being merged (the name git writes in the merge message).
//!
//! ```toml
//! [when.main-into-branch]      # a name of your choosing
//! operation = "merge"          # or a list; any operation when absent
//! merging = "main"             # glob(s) on the branch being merged
//! rules = { "ms.date" = "upstream" }
//! ```
//!
//! ```text
//! message (MERGE_MSG, the merge commit's subject)      the branch being merged
//! Merge branch 'main' into feature                      main
//! Merge branch 'main' of https://host/o/r               main
//! Merge remote-tracking branch 'origin/main'            origin/main, main
//! Merge pull request #12 from octo/feature              octo/feature, feature
//! Merge branch 'feature' into 'main'   (GitLab)         feature
//! Merge tag 'v1.2'                                      v1.2
//! Merge commit '1a2b3c'                                 (none: a commit is no kind)
//! ```
//!
//! The merge driver learns the kind from what git gives it (`GITHEAD_*`,
//! `FETCH_HEAD`, the state files, the marker labels: see
//! `git::operation::driver_kind`); `resolve` and `diff` from the state files
//! and `MERGE_MSG`; `replay` from the merge commit's subject. Where the kind
//! is unknown, conditional rules do not apply.

use std::fmt;

use serde::Serialize;

use crate::git::Operation;

pub use crate::git::kind::{merged_names, MergeKind};

/// The operations a condition names, as `.frontmerge.toml` spells them.
const OPERATIONS: [(&str, &[Operation]); 9] = [
    ("merge", &[Operation::Merge]),
    ("squash", &[Operation::SquashMerge]),
    (
        "cherry-pick",
        &[Operation::CherryPick, Operation::CherryPickNoCommit],
    ),
    ("revert", &[Operation::Revert]),
    ("rebase", &[Operation::Rebase]),
    ("am", &[Operation::Am]),
    ("stash", &[Operation::Stash]),
    ("apply", &[Operation::ApplyThreeWay]),
    ("checkout", &[Operation::CheckoutMerge]),
];

/// Why a `[when.NAME]` condition does not hold together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConditionError {
    /// An operation name that names no operation (as written).
    #[error("unknown operation `{0}` (expected {names})", names = operation_names())]
    UnknownOperation(String),
    /// Neither `operation` nor `merging` given.
    #[error("give `operation` or `merging` (rules for every merge go under [rules])")]
    Empty,
}

/// Every operation name, for messages.
fn operation_names() -> String {
    let names: Vec<&str> = OPERATIONS.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

/// The operations `name` stands for.
pub fn parse_operation(name: &str) -> Result<&'static [Operation], ConditionError> {
    OPERATIONS
        .iter()
        .find(|(n, _)| *n == name.trim())
        .map(|(_, ops)| *ops)
        .ok_or_else(|| ConditionError::UnknownOperation(name.to_owned()))
}

/// The name `.frontmerge.toml` uses for an operation.
fn operation_name(op: Operation) -> Option<&'static str> {
    OPERATIONS
        .iter()
        .find(|(_, ops)| ops.contains(&op))
        .map(|(n, _)| *n)
}

/// When a conditional rule applies: every part given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// Operation names (`merge`, `rebase`, …); empty: any operation.
    #[serde(rename = "operation")]
    pub operations: Vec<String>,
    /// Globs on the branch being merged (`*`, `?`); empty: any branch.
    pub merging: Vec<String>,
}

impl Condition {
    /// Whether a merge of `kind` meets the condition.
    pub fn matches(&self, kind: &MergeKind) -> bool {
        let op_ok = self.operations.is_empty()
            || operation_name(kind.operation)
                .is_some_and(|n| self.operations.iter().any(|o| o == n));
        let branch_ok = self.merging.is_empty()
            || self
                .merging
                .iter()
                .any(|g| kind.merging.iter().any(|n| super::glob_match(g, n)));
        op_ok && branch_ok
    }

    /// In merges of the branch `name` (what `learn` proposes: replay sees merges only).
    pub fn merging(name: &str) -> Condition {
        Condition {
            operations: vec!["merge".to_owned()],
            merging: vec![name.to_owned()],
        }
    }

    /// A name for its `[when.NAME]` table: `merging-main`, `merging-release-x`.
    pub fn table_name(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.merging.is_empty() {
            parts.extend(self.operations.iter().map(String::as_str));
        } else {
            parts.push("merging");
            parts.extend(self.merging.iter().map(String::as_str));
        }
        let raw = parts.join("-");
        let mut out = String::new();
        for c in raw.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            };
            if !(c == '-' && out.ends_with('-')) {
                out.push(c);
            }
        }
        out.trim_matches('-').to_owned()
    }

    /// Checks the operation names; at least one part must be given.
    pub fn validate(&self) -> Result<(), ConditionError> {
        if self.operations.is_empty() && self.merging.is_empty() {
            return Err(ConditionError::Empty);
        }
        for o in &self.operations {
            parse_operation(o)?;
        }
        Ok(())
    }
}

impl fmt::Display for Condition {
    /// `in a merge of main`, `in a rebase`, `in a merge or rebase of release/*`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ops = if self.operations.is_empty() {
            "merge".to_owned()
        } else {
            self.operations.join(" or ")
        };
        write!(f, "in a {ops}")?;
        if !self.merging.is_empty() {
            write!(f, " of {}", self.merging.join(" or "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_messages_name_the_merged_branch() {
        for (subject, names) in [
            ("Merge branch 'main' into feature", &["main"][..]),
            ("Merge branch 'main'", &["main"]),
            ("Merge branch 'main' of https://github.com/o/r", &["main"]),
            (
                "Merge remote-tracking branch 'origin/main' into x",
                &["origin/main", "main"],
            ),
            (
                "Merge pull request #12 from octo/feature-x",
                &["octo/feature-x", "feature-x"],
            ),
            ("Merge branch 'feature' into 'main'", &["feature"]),
            ("Merge tag 'v1.2'", &["v1.2"]),
            ("Merge commit '1a2b3c4'", &[]),
            ("Merge branches 'a' and 'b'", &[]),
            ("Merged PR 12: docs", &[]),
            ("fix typo", &[]),
        ] {
            assert_eq!(merged_names(subject), names, "{subject}");
        }
        let k = MergeKind::from_message(Operation::Merge, "Merge branch 'main'\n\n# Conflicts:\n");
        assert_eq!(k.merging, ["main"]);
    }

    #[test]
    fn conditions_need_every_part() {
        let kind = |op, names: &[&str]| MergeKind {
            operation: op,
            merging: names.iter().map(|s| s.to_string()).collect(),
        };
        let main = Condition {
            operations: vec!["merge".into()],
            merging: vec!["main".into()],
        };
        assert!(main.matches(&kind(Operation::Merge, &["origin/main", "main"])));
        assert!(!main.matches(&kind(Operation::Merge, &["feature"])));
        assert!(!main.matches(&kind(Operation::Rebase, &["main"])));
        assert!(!main.matches(&kind(Operation::Merge, &[])));
        let release = Condition {
            merging: vec!["release/*".into()],
            ..Condition::default()
        };
        assert!(release.matches(&kind(Operation::Merge, &["release/2.0"])));
        let picks = Condition {
            operations: vec!["cherry-pick".into(), "rebase".into()],
            ..Condition::default()
        };
        assert!(picks.matches(&kind(Operation::CherryPickNoCommit, &[])));
        assert!(picks.matches(&kind(Operation::Rebase, &[])));
        assert!(!picks.matches(&kind(Operation::Stash, &[])));
        assert_eq!(picks.to_string(), "in a cherry-pick or rebase");
        assert_eq!(main.to_string(), "in a merge of main");
        assert!(Condition::default().validate().is_err());
        assert_eq!(
            Condition::merging("origin/release-*").table_name(),
            "merging-origin-release"
        );
        assert_eq!(picks.table_name(), "cherry-pick-rebase");
        let bad = Condition {
            operations: vec!["pull".into()],
            ..Condition::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("unknown operation `pull`"));
    }
}
