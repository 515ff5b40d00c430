//! Which git operation left the conflicts, told apart the way git itself
//! does, and what follows from it: how a resolved file is marked, what to
//! run next, and what the two sides are.
//!
//! Git's own state files come first (`wt-status.c` reads the same ones):
//! `rebase-apply/applying` is `git am`, any other `rebase-apply/` or
//! `rebase-merge/` a rebase, then `MERGE_HEAD`, `CHERRY_PICK_HEAD`,
//! `REVERT_HEAD` (also left by `revert -n`), `SQUASH_MSG` (only
//! `merge --squash` writes it), and a `MERGE_MSG` with none of those heads
//! (`cherry-pick -n`). `git stash pop/apply`, `git apply -3` and
//! `git checkout -m` leave no state file at all; the only exact trace they
//! leave is the labels git hard-codes into the conflict markers:
//! `Updated upstream`/`Stashed changes` (builtin/stash.c), `ours`/`theirs`
//! (apply.c), and `local` as the other side (builtin/checkout.c). A stash
//! entry or its reflog proves nothing (a stash may be kept for weeks), so
//! they are not looked at; when no file carries markers, the operation is
//! [`Operation::Unknown`], which is never treated as a stash.

use std::fmt;
use std::path::Path;

use crate::conflict::scan::{lines_with_offsets, marker_of_any_size, MarkerKind};
use crate::conflict::sides::SideNames;

/// The operation that left the conflicts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `git merge` (or `git pull`): `MERGE_HEAD`.
    Merge,
    /// `git merge --squash`: `SQUASH_MSG`, no `MERGE_HEAD`.
    SquashMerge,
    /// `git cherry-pick`: `CHERRY_PICK_HEAD`.
    CherryPick,
    /// `git cherry-pick -n`: `MERGE_MSG` without any head.
    CherryPickNoCommit,
    /// `git revert` (with or without `-n`): `REVERT_HEAD`.
    Revert,
    /// `git rebase`: `rebase-merge/`, or `rebase-apply/` without `applying`.
    Rebase,
    /// `git am -3`: `rebase-apply/applying`.
    Am,
    /// `git apply -3`: no state file, markers labelled `ours`/`theirs`.
    ApplyThreeWay,
    /// `git stash pop` or `git stash apply`: no state file, markers labelled
    /// `Updated upstream`/`Stashed changes`.
    Stash,
    /// `git checkout -m BRANCH`: no state file, the other side labelled `local`.
    CheckoutMerge,
    /// Unmerged entries and nothing that says which operation made them.
    Unknown,
}

/// How a resolved file is marked in the index.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Marking {
    /// `git add`: the result is staged, as git stages cleanly merged files.
    Add,
    /// `git reset -q -- FILE`: the unmerged entries go back to HEAD and the
    /// result stays in the work tree only, as after a clean stash pop.
    ResetToHead,
}

/// What the labels of a file's conflict markers say.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MarkerLabels {
    /// `Updated upstream` / `Stashed changes`.
    Stash,
    /// `ours` / `theirs`.
    OursTheirs,
    /// The other side is `local`.
    Local,
    /// Markers with other labels (branch names, commits).
    Other,
}

impl MarkerLabels {
    /// What one conflict's labels (`<<<<<<< ours`, `>>>>>>> theirs`) say
    /// about the operation that wrote them.
    pub fn of(ours: &[u8], theirs: &[u8]) -> MarkerLabels {
        match (ours, theirs) {
            (b"Updated upstream", b"Stashed changes") => MarkerLabels::Stash,
            (b"ours", b"theirs") => MarkerLabels::OursTheirs,
            (_, b"local") => MarkerLabels::Local,
            _ => MarkerLabels::Other,
        }
    }
}

/// Reads the labels of the first conflict in `text`; `None` without markers.
/// Any marker length is accepted: the labels alone are compared (a marker
/// without a label is passed over).
pub fn marker_labels(text: &[u8]) -> Option<MarkerLabels> {
    let text = String::from_utf8_lossy(text);
    let mut open: Option<&str> = None;
    for (_, line) in lines_with_offsets(&text) {
        let Some((kind, size, label)) = marker_of_any_size(line) else {
            continue;
        };
        if line.as_bytes().get(size.get()) != Some(&b' ') {
            continue;
        }
        let label = label.strip_suffix('\r').unwrap_or(label);
        match (open, kind) {
            (None, MarkerKind::Open) => open = Some(label),
            (Some(ours), MarkerKind::Close) => {
                return Some(MarkerLabels::of(ours.as_bytes(), label.as_bytes()))
            }
            _ => {}
        }
    }
    None
}

impl Operation {
    /// Judges the operation by git's state files in `git_dir`; `labels` is
    /// asked (lazily: it reads the conflicted files) only when no state file
    /// says it.
    pub fn detect(git_dir: &Path, labels: impl FnOnce() -> Option<MarkerLabels>) -> Operation {
        let has = |name: &str| git_dir.join(name).exists();
        if has("rebase-apply/applying") {
            Operation::Am
        } else if has("rebase-apply") || has("rebase-merge") {
            Operation::Rebase
        } else if has("MERGE_HEAD") {
            Operation::Merge
        } else if has("CHERRY_PICK_HEAD") {
            Operation::CherryPick
        } else if has("REVERT_HEAD") {
            Operation::Revert
        } else if has("SQUASH_MSG") {
            Operation::SquashMerge
        } else if has("MERGE_MSG") {
            Operation::CherryPickNoCommit
        } else {
            match labels() {
                Some(MarkerLabels::Stash) => Operation::Stash,
                Some(MarkerLabels::OursTheirs) => Operation::ApplyThreeWay,
                Some(MarkerLabels::Local) => Operation::CheckoutMerge,
                Some(MarkerLabels::Other) | None => Operation::Unknown,
            }
        }
    }

    /// How a resolved file is marked: reset to HEAD only after a stash
    /// pop/apply; everything else (an unknown operation too: staging a
    /// file never drops it from the next commit) is `git add`ed.
    pub fn marking(self) -> Marking {
        match self {
            Operation::Stash => Marking::ResetToHead,
            _ => Marking::Add,
        }
    }

    /// A short name, as git's own status messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Merge => "merge",
            Operation::SquashMerge => "squash merge",
            Operation::CherryPick => "cherry-pick",
            Operation::CherryPickNoCommit => "cherry-pick --no-commit",
            Operation::Revert => "revert",
            Operation::Rebase => "rebase",
            Operation::Am => "git am",
            Operation::ApplyThreeWay => "git apply --3way",
            Operation::Stash => "stash pop/apply",
            Operation::CheckoutMerge => "checkout --merge",
            Operation::Unknown => "unknown operation",
        }
    }

    /// What the two sides of the markers are: `[upstream, stashed]`, that
    /// is `[ours (stage 2), theirs (stage 3)]` in git's words.
    pub fn sides(self) -> [&'static str; 2] {
        match self {
            Operation::Merge => ["HEAD (your branch)", "MERGE_HEAD (the branch being merged)"],
            Operation::SquashMerge => ["HEAD (your branch)", "the branch being squashed in"],
            Operation::CherryPick | Operation::CherryPickNoCommit => {
                ["HEAD (your branch)", "the commit being picked"]
            }
            Operation::Revert => ["HEAD (your branch)", "the revert of the commit"],
            Operation::Rebase => [
                "HEAD (the branch you rebase onto)",
                "your commit being replayed",
            ],
            Operation::Am => ["HEAD (your branch)", "the patch being applied"],
            Operation::ApplyThreeWay => ["ours (your files)", "theirs (the patch)"],
            Operation::Stash => [
                "HEAD (\"Updated upstream\")",
                "your stash (\"Stashed changes\")",
            ],
            Operation::CheckoutMerge => [
                "the branch you switched to",
                "local (your uncommitted changes)",
            ],
            Operation::Unknown => ["ours (index stage 2)", "theirs (index stage 3)"],
        }
    }

    /// The sides' short names on screen: `upstream`/`stashed` for a stash,
    /// git's `ours`/`theirs` (as in `git checkout --ours`) for everything else;
    /// [`Operation::sides`] says what each one is.
    pub fn side_names(self) -> [&'static str; 2] {
        match self {
            Operation::Stash => ["upstream", "stashed"],
            _ => ["ours", "theirs"],
        }
    }

    /// The next step once every conflict is resolved. Never mentions a
    /// stash unless the operation was one, and never drops it.
    pub fn next_step(self) -> &'static str {
        match self {
            Operation::Merge => "`git commit` to conclude the merge",
            Operation::SquashMerge => "`git commit` to record the squashed changes",
            Operation::CherryPick => "`git cherry-pick --continue`",
            Operation::CherryPickNoCommit => {
                "the picked changes are staged: `git commit` when you are ready"
            }
            Operation::Revert => "`git revert --continue`",
            Operation::Rebase => "`git rebase --continue`",
            Operation::Am => "`git am --continue`",
            Operation::ApplyThreeWay => "the patch is applied and staged",
            // Which entry was applied is not recorded, and a bare `git
            // stash drop` drops stash@{0}: see `next_step_for`.
            Operation::Stash => {
                "the stash was kept: check the result, then find the entry you applied in \
                 `git stash list` and drop it with `git stash drop stash@{N}`"
            }
            Operation::CheckoutMerge => {
                "your local changes are carried over (staged; `git restore --staged FILE` unstages one)"
            }
            Operation::Unknown => "check `git status` for the next step",
        }
    }

    /// [`Operation::next_step`], naming the stash entry `applied` after a
    /// stash pop/apply when it is known (`stash@{1}`).
    pub fn next_step_for(self, applied: Option<&str>) -> std::borrow::Cow<'static, str> {
        match (self, applied) {
            (Operation::Stash, Some(entry)) => format!(
                "the stash was kept: check the result, then drop it with `git stash drop {entry}`"
            )
            .into(),
            _ => self.next_step().into(),
        }
    }

    // `SideNames` is data in `conflict::sides`; what each operation calls its
    // sides is git's knowledge, so the constructor from an operation lives here.
}

impl SideNames {
    /// The names for `op` (none: [`SideNames::STASH`]).
    pub fn of(op: Option<Operation>) -> SideNames {
        op.map_or(SideNames::STASH, |op| {
            let [upstream, stashed] = op.side_names();
            SideNames { upstream, stashed }
        })
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [up, st] = self.sides();
        let [up_name, st_name] = self.side_names();
        write!(
            f,
            "{} in progress: {up_name} = {up}, {st_name} = {st}",
            self.name()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_operations_without_state_files() {
        let m = |s: &str| marker_labels(s.as_bytes());
        assert_eq!(
            m("a\n<<<<<<< Updated upstream\nx\n=======\ny\n>>>>>>> Stashed changes\n"),
            Some(MarkerLabels::Stash)
        );
        assert_eq!(
            m("<<<<<<< ours\r\nx\r\n||||||| base\r\n=======\r\ny\r\n>>>>>>> theirs\r\n"),
            Some(MarkerLabels::OursTheirs)
        );
        assert_eq!(
            m("<<<<<<<<<< main\nx\n==========\ny\n>>>>>>>>>> local\n"),
            Some(MarkerLabels::Local)
        );
        assert_eq!(
            m("<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> topic\n"),
            Some(MarkerLabels::Other)
        );
        assert_eq!(m("no markers\n<<<<<<<\n"), None);
    }

    #[test]
    fn state_files_come_first_and_only_a_stash_resets() {
        let d = tempfile::tempdir().unwrap();
        let g = d.path();
        let stash = || Some(MarkerLabels::Stash);
        assert_eq!(Operation::detect(g, stash), Operation::Stash);
        assert_eq!(Operation::detect(g, || None), Operation::Unknown);
        std::fs::write(g.join("MERGE_MSG"), "").unwrap();
        assert_eq!(Operation::detect(g, stash), Operation::CherryPickNoCommit);
        std::fs::write(g.join("SQUASH_MSG"), "").unwrap();
        assert_eq!(Operation::detect(g, stash), Operation::SquashMerge);
        std::fs::write(g.join("MERGE_HEAD"), "").unwrap();
        assert_eq!(Operation::detect(g, stash), Operation::Merge);
        std::fs::create_dir(g.join("rebase-apply")).unwrap();
        assert_eq!(Operation::detect(g, stash), Operation::Rebase);
        std::fs::write(g.join("rebase-apply/applying"), "").unwrap();
        assert_eq!(Operation::detect(g, stash), Operation::Am);
        for op in [
            Operation::Merge,
            Operation::SquashMerge,
            Operation::CherryPick,
            Operation::CherryPickNoCommit,
            Operation::Revert,
            Operation::Rebase,
            Operation::Am,
            Operation::ApplyThreeWay,
            Operation::CheckoutMerge,
            Operation::Unknown,
        ] {
            assert_eq!(op.marking(), Marking::Add, "{op:?}");
            assert!(!op.next_step().contains("stash"), "{op:?}");
            let s = op.to_string();
            assert!(s.contains("ours = ") && s.contains("theirs = "), "{s}");
        }
        assert_eq!(Operation::Stash.marking(), Marking::ResetToHead);
        // A bare `git stash drop` drops stash@{0}, whichever was applied.
        assert!(!Operation::Stash.next_step().contains("`git stash drop`"));
        let named = Operation::Stash.next_step_for(Some("stash@{1}"));
        assert!(named.contains("`git stash drop stash@{1}`"), "{named}");
        assert_eq!(
            Operation::Merge.next_step_for(Some("stash@{1}")),
            Operation::Merge.next_step()
        );
        let s = Operation::Stash.to_string();
        assert!(s.contains("upstream = ") && s.contains("stashed = "), "{s}");
    }
}
