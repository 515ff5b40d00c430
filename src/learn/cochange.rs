//! Which frontmatter keys change together in the same commits: for some
//! conflicted articles of a replay, the commits between the merge base and
//! either side that modified it, and the keys each one changed. For `learn`
//! this only supports a key group found from how people resolved (a
//! re-sync on one branch and a flag set on the other are never one commit);
//! it is looked at for a sample of each group's files.
//!
//! ```text
//! per merge    one `git log --raw A...B -- <its conflicted articles>` (History::file_commits)
//! all merges   one `git cat-file --batch` for every blob before and after (each read once)
//! per blob pair  the keys whose values differ (added or removed keys too), parsed once
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::article::{self, ArticleOptions};
use crate::files::MAX_FILE_SIZE;

use super::history::{FileCommit, History, HistoryError};

/// Keys changed per commit, for each conflicted article (merge, path).
#[derive(Clone, Debug, Default)]
pub(crate) struct CoChange {
    /// (merge, path) -> for each commit that changed two or more keys, those keys.
    sets: HashMap<(String, String), Vec<BTreeSet<String>>>,
}

/// The keys whose values differ between two versions of an article; empty
/// when either is not a readable article.
pub(crate) fn changed_keys(old: &str, new: &str) -> BTreeSet<String> {
    let opts = ArticleOptions::default();
    let (Ok(a), Ok(b)) = (article::parse(old, &opts), article::parse(new, &opts)) else {
        return BTreeSet::new();
    };
    a.keys()
        .chain(b.keys())
        .filter(|k| a.value(k) != b.value(k))
        .map(str::to_owned)
        .collect()
}

impl CoChange {
    /// Records the key sets of the commits that changed one article.
    pub(crate) fn insert(&mut self, merge: &str, path: &str, commits: Vec<BTreeSet<String>>) {
        let keep: Vec<BTreeSet<String>> = commits.into_iter().filter(|s| s.len() >= 2).collect();
        if !keep.is_empty() {
            self.sets
                .entry((merge.to_owned(), path.to_owned()))
                .or_default()
                .extend(keep);
        }
    }

    /// Whether one commit behind this article's merge changed both `a` and `b`.
    pub(crate) fn together(&self, merge: &str, path: &str, a: &str, b: &str) -> bool {
        self.sets
            .get(&(merge.to_owned(), path.to_owned()))
            .is_some_and(|v| v.iter().any(|s| s.contains(a) && s.contains(b)))
    }

    /// Whether one commit behind this article's merge changed `leader` and
    /// one of `followers`.
    pub(crate) fn any_together(
        &self,
        merge: &str,
        path: &str,
        leader: &str,
        followers: &[&str],
    ) -> bool {
        followers
            .iter()
            .any(|f| *f != leader && self.together(merge, path, leader, f))
    }

    /// Looks at the commits behind the (merge, path) `files` (merges in
    /// parallel; `parents` holds each merge's two parents); a merge whose
    /// log cannot be read simply adds nothing.
    pub(crate) fn collect(
        history: &History,
        files: &[(&str, &str)],
        parents: &BTreeMap<String, [String; 2]>,
    ) -> Result<CoChange, HistoryError> {
        let mut paths: HashMap<&str, Vec<&str>> = HashMap::new();
        for (merge, path) in files {
            paths.entry(merge).or_default().push(path);
        }
        let logs: Vec<(&str, Vec<FileCommit>)> = paths
            .into_par_iter()
            .filter_map(|(merge, paths)| {
                let [p1, p2] = parents.get(merge)?;
                let commits = history.file_commits([p1, p2], &paths).ok()?;
                Some((merge, commits))
            })
            .collect();
        // Every blob once, in one batch.
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for fc in logs.iter().flat_map(|(_, v)| v) {
            for oid in [&fc.old, &fc.new] {
                index.entry(oid.as_str()).or_insert_with(|| {
                    names.push(oid.clone());
                    names.len() - 1
                });
            }
        }
        let blobs = history.read_objects(&names, MAX_FILE_SIZE)?;
        let text = |oid: &str| -> Option<&str> {
            let bytes = blobs.get(*index.get(oid)?)?.as_ref().ok()?;
            std::str::from_utf8(bytes).ok()
        };
        // Each (old, new) pair parsed once, in parallel.
        let pairs: BTreeSet<(&str, &str)> = logs
            .iter()
            .flat_map(|(_, v)| v)
            .map(|fc| (fc.old.as_str(), fc.new.as_str()))
            .collect();
        let changed: HashMap<(&str, &str), BTreeSet<String>> = pairs
            .into_par_iter()
            .map(|(o, n)| {
                let keys = match (text(o), text(n)) {
                    (Some(a), Some(b)) => changed_keys(a, b),
                    _ => BTreeSet::new(),
                };
                ((o, n), keys)
            })
            .collect();
        let mut co = CoChange::default();
        for (merge, commits) in &logs {
            let mut by_path: HashMap<&str, Vec<BTreeSet<String>>> = HashMap::new();
            for fc in commits {
                if let Some(keys) = changed.get(&(fc.old.as_str(), fc.new.as_str())) {
                    by_path
                        .entry(fc.path.as_str())
                        .or_default()
                        .push(keys.clone());
                }
            }
            for (path, sets) in by_path {
                co.insert(merge, path, sets);
            }
        }
        Ok(co)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_changed_between_two_versions() {
        let old = "---\ntitle: A\nsource: a\ndrifted: true\n---\nbody\n";
        let new = "---\ntitle: A\nsource: b\ndrifted: false\nnew: 1\n---\nother body\n";
        let keys: Vec<String> = changed_keys(old, new).into_iter().collect();
        assert_eq!(keys, ["drifted", "new", "source"]);
        assert!(changed_keys("---\na: [\n---\n", new).is_empty());
    }

    #[test]
    fn together_means_one_commit_changed_both() {
        let mut co = CoChange::default();
        let set = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        co.insert(
            "m",
            "a.md",
            vec![
                set(&["source", "drifted"]),
                set(&["title"]),
                set(&["lastmod", "title"]),
            ],
        );
        assert!(co.together("m", "a.md", "drifted", "source"));
        assert!(co.together("m", "a.md", "title", "lastmod"));
        assert!(!co.together("m", "a.md", "source", "title"));
        assert!(!co.together("m", "b.md", "drifted", "source"));
    }
}
