//! Which git operation left the conflicts, judged by git's state files, and
//! what follows from it: how a resolved file is marked and what the sides are.

use std::fmt;
use std::path::Path;

/// The operation that left the conflicts, which says what the two sides are.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// `git merge` (or `git pull`): `MERGE_HEAD` exists.
    Merge,
    /// `git rebase` or `git am`: `rebase-merge/` or `rebase-apply/` exists.
    Rebase,
    /// `git cherry-pick`: `CHERRY_PICK_HEAD` exists.
    CherryPick,
    /// `git revert`: `REVERT_HEAD` exists.
    Revert,
    /// Unmerged entries and none of the above: `git stash pop` or `apply`.
    StashApply,
}

/// How a resolved file is marked in the index.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Marking {
    /// `git add`.
    Add,
    /// `git reset -q -- FILE`: back to HEAD in the index, as after a clean stash pop.
    ResetToHead,
}

impl Operation {
    /// The operation in progress in `git_dir`, judged by its state files.
    pub fn detect(git_dir: &Path) -> Operation {
        let has = |name: &str| git_dir.join(name).exists();
        if has("rebase-merge") || has("rebase-apply") {
            Operation::Rebase
        } else if has("MERGE_HEAD") {
            Operation::Merge
        } else if has("CHERRY_PICK_HEAD") {
            Operation::CherryPick
        } else if has("REVERT_HEAD") {
            Operation::Revert
        } else {
            Operation::StashApply
        }
    }

    /// How a resolved file is marked (stash: reset instead of `git add`).
    pub fn marking(self) -> Marking {
        if self == Operation::StashApply {
            Marking::ResetToHead
        } else {
            Marking::Add
        }
    }

    /// The next step once every conflict is resolved.
    pub fn next_step(self) -> &'static str {
        match self {
            Operation::StashApply => {
                "the stash was kept: check the result, then drop it with `git stash drop`"
            }
            Operation::Merge => "`git commit` to conclude the merge",
            Operation::Rebase => "`git rebase --continue`",
            Operation::CherryPick => "`git cherry-pick --continue`",
            Operation::Revert => "`git revert --continue`",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Merge => {
                "merge in progress: upstream = HEAD (your branch), stashed = MERGE_HEAD (the branch being merged)"
            }
            Operation::Rebase => {
                "rebase in progress: upstream = HEAD (the branch you rebase onto), stashed = your commit being replayed"
            }
            Operation::CherryPick => {
                "cherry-pick in progress: upstream = HEAD (your branch), stashed = the commit being picked"
            }
            Operation::Revert => {
                "revert in progress: upstream = HEAD (your branch), stashed = the revert of the commit"
            }
            Operation::StashApply => {
                "stash pop/apply in progress: upstream = HEAD (\"Updated upstream\"), stashed = your stash (\"Stashed changes\")"
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_name_both_sides() {
        for op in [
            Operation::Merge,
            Operation::Rebase,
            Operation::CherryPick,
            Operation::Revert,
            Operation::StashApply,
        ] {
            let s = op.to_string();
            assert!(s.contains("upstream = ") && s.contains("stashed = "), "{s}");
        }
        assert_eq!(Operation::StashApply.marking(), Marking::ResetToHead);
        assert_eq!(Operation::Rebase.marking(), Marking::Add);
    }
}
