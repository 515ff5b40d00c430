//! The kind of merge a conflict comes from (the git operation and the branch
//! being merged), for conditional rules (`rules::when`).
//!
//! ```text
//! where                  operation                        branch being merged
//! merge driver           GITHEAD_<oid> set: a merge       its value (`topic`, `origin/main`);
//!                                                         an oid (`git pull`): FETCH_HEAD's line
//!                        labels Updated upstream/         -
//!                          Stashed changes: stash pop
//!                        rebase-merge/, rebase-apply/     -
//!                        base label `parent of X`:        -
//!                          cherry-pick; other label
//!                          `parent of X`: revert
//! resolve, diff          the state files (Operation)      MERGE_MSG's first line
//! replay                 a merge                          the merge commit's subject
//! ```
//!
//! git runs a merge driver before it writes MERGE_HEAD, MERGE_MSG or
//! CHERRY_PICK_HEAD, so the driver cannot read them; `git merge` exports
//! `GITHEAD_<oid>=<name>` for the merged commit (its markers' label) and
//! that is what the driver reads.

use std::path::Path;

use super::Operation;

/// The kind of merge a conflict comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeKind {
    /// The git operation.
    pub operation: Operation,
    /// The names of the branch being merged (empty: not known, or a commit).
    pub merging: Vec<String>,
}

impl MergeKind {
    /// A kind with the branch named in a merge message's first line.
    pub fn from_message(operation: Operation, message: &str) -> MergeKind {
        MergeKind {
            operation,
            merging: merged_names(message.lines().next().unwrap_or("")),
        }
    }
}

/// The text between the first pair of single quotes after `prefix`.
fn quoted_after<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(prefix)?.strip_prefix('\'')?;
    let end = rest.find('\'')?;
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

/// The name, and the name without its first segment (`origin/main`: `main`).
fn with_short(name: &str) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    if let Some((_, short)) = name.split_once('/') {
        if !short.is_empty() {
            out.push(short.to_owned());
        }
    }
    out
}

/// The names of the branch a merge message's subject says is merged;
/// empty for a commit, an octopus or a message git did not write.
pub fn merged_names(subject: &str) -> Vec<String> {
    let s = subject.trim();
    if let Some(name) = quoted_after(s, "Merge remote-tracking branch ") {
        return with_short(name);
    }
    if let Some(name) = quoted_after(s, "Merge branch ") {
        return vec![name.to_owned()];
    }
    if let Some(name) = quoted_after(s, "Merge tag ") {
        return vec![name.to_owned()];
    }
    if let Some(rest) = s.strip_prefix("Merge pull request #") {
        // `Merge pull request #12 from octo/feature`
        if let Some((_, from)) = rest.split_once(" from ") {
            let name = from.split_whitespace().next().unwrap_or("");
            if !name.is_empty() {
                return with_short(name);
            }
        }
    }
    Vec::new()
}

/// `GITHEAD_<oid>` variables: (oid, name).
fn githeads(vars: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    vars.filter_map(|(k, v)| Some((k.strip_prefix("GITHEAD_")?.to_owned(), v)))
        .collect()
}

fn is_oid(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The branch a `FETCH_HEAD` line names for `oid` (`git pull`):
/// `<oid>\t\tbranch 'main' of https://host/o/r`.
fn fetched_names(fetch_head: &str, oid: &str) -> Vec<String> {
    fetch_head
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            let (id, _, what) = (f.next()?, f.next()?, f.next()?);
            (id.eq_ignore_ascii_case(oid)).then(|| merged_names(&format!("Merge {what}")))
        })
        .next()
        .unwrap_or_default()
}

/// A file in the repository's own git folder, else in its common folder
/// (a linked work tree shares FETCH_HEAD's folder with its main one).
fn read_git_file(git_dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(git_dir.join(name))
        .ok()
        .or_else(|| {
            let common = std::fs::read_to_string(git_dir.join("commondir")).ok()?;
            std::fs::read_to_string(git_dir.join(common.trim()).join(name)).ok()
        })
}

/// The kind of merge a merge driver runs in, from its environment, its
/// labels as git passed them (`%X`, `%S`, `%Y`) and the repository around
/// `cwd`; `None` when nothing tells.
pub fn in_driver(cwd: &Path, [current, base, other]: [&str; 3]) -> Option<MergeKind> {
    in_driver_with(cwd, [current, base, other], std::env::vars())
}

fn in_driver_with(
    cwd: &Path,
    [current, base, other]: [&str; 3],
    vars: impl Iterator<Item = (String, String)>,
) -> Option<MergeKind> {
    let heads = githeads(vars);
    let merge = |merging| {
        Some(MergeKind {
            operation: Operation::Merge,
            merging,
        })
    };
    if let [(oid, name)] = heads.as_slice() {
        if is_oid(name) {
            // `git pull`, or a merge of a commit: FETCH_HEAD names a fetched branch.
            let repo = super::discover(cwd, true).ok().flatten();
            let names = repo
                .and_then(|r| read_git_file(&r.git_dir, "FETCH_HEAD"))
                .map(|f| fetched_names(&f, oid))
                .unwrap_or_default();
            return merge(names);
        }
        let mut names = vec![name.clone()];
        // `git merge origin/main` names a remote-tracking branch: also `main`,
        // as the merge message (`Merge remote-tracking branch 'origin/main'`) does.
        if let Some((_, short)) = name.split_once('/') {
            let mut c = super::command(cwd, true);
            c.args(["rev-parse", "--verify", "-q", "--end-of-options"])
                .arg(format!("refs/remotes/{name}"));
            if super::run(c, None).is_ok_and(|o| o.status.success()) && !short.is_empty() {
                names.push(short.to_owned());
            }
        }
        return merge(names);
    }
    if !heads.is_empty() {
        // An octopus: a merge, of no one branch.
        return merge(Vec::new());
    }
    let kind = |operation| {
        Some(MergeKind {
            operation,
            merging: Vec::new(),
        })
    };
    if current == "Updated upstream" && other == "Stashed changes" {
        return kind(Operation::Stash);
    }
    let git_dir = super::discover(cwd, true).ok().flatten()?.git_dir;
    if git_dir.join("rebase-apply/applying").exists() {
        return kind(Operation::Am);
    }
    if git_dir.join("rebase-apply").exists() || git_dir.join("rebase-merge").exists() {
        return kind(Operation::Rebase);
    }
    if base.starts_with("parent of ") {
        return kind(Operation::CherryPick);
    }
    if other.starts_with("parent of ") {
        return kind(Operation::Revert);
    }
    None
}

/// The kind of the operation `op` in progress in the repository of
/// `git_dir` (after it stopped on conflicts): a merge's branch is read from
/// `MERGE_MSG`.
pub fn in_progress(git_dir: &Path, op: Operation) -> MergeKind {
    let merging = match op {
        Operation::Merge => read_git_file(git_dir, "MERGE_MSG")
            .map(|m| merged_names(m.lines().next().unwrap_or("")))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    MergeKind {
        operation: op,
        merging,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_driver_reads_githeads_then_labels_then_state_files() {
        let d = tempfile::tempdir().unwrap();
        let none = std::iter::empty;
        let labels = ["HEAD", "base", "topic"];
        let k = in_driver_with(
            d.path(),
            labels,
            vars(&[("GITHEAD_ab12", "topic"), ("PATH", "/x")]),
        );
        assert_eq!(
            k,
            Some(MergeKind {
                operation: Operation::Merge,
                merging: vec!["topic".into()]
            })
        );
        let stash = in_driver_with(
            d.path(),
            ["Updated upstream", "Stash base", "Stashed changes"],
            none(),
        );
        assert_eq!(stash.map(|k| k.operation), Some(Operation::Stash));
        // Outside a repository, and no trace: unknown.
        assert_eq!(in_driver_with(d.path(), labels, none()), None);
        let octopus = in_driver_with(
            d.path(),
            labels,
            vars(&[("GITHEAD_a", "x"), ("GITHEAD_b", "y")]),
        );
        assert_eq!(octopus.map(|k| k.merging), Some(vec![]));
    }

    #[test]
    fn fetch_head_names_a_pulled_branch() {
        let oid = "bde7b8a091a7416f3d43933c9c16998db905625a";
        let f = format!(
            "{oid}\t\tbranch 'main' of https://host/o/r\n1111111111111111111111111111111111111111\tnot-for-merge\tbranch 'x' of https://host/o/r\n"
        );
        assert_eq!(fetched_names(&f, oid), ["main"]);
        assert!(fetched_names(&f, "2222222222222222222222222222222222222222").is_empty());
        assert!(is_oid(oid) && !is_oid("main"));
    }

    #[test]
    fn merge_msg_names_the_branch_of_a_stopped_merge() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("MERGE_MSG"),
            "Merge branch 'main' into feature\n\n# Conflicts:\n",
        )
        .unwrap();
        assert_eq!(in_progress(d.path(), Operation::Merge).merging, ["main"]);
        assert!(in_progress(d.path(), Operation::Rebase).merging.is_empty());
    }
}
