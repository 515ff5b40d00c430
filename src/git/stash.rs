//! Which entry of the stash list a `git stash pop`/`apply` in progress
//! applied. git records none of it (see [`super::operation`]), and a bare
//! `git stash drop` drops `stash@{0}`, which after `git stash pop stash@{1}`
//! is a stash never applied: the hint names the entry only when the files
//! tell it, never by guess.
//!
//! ```text
//! stage 3 of each conflicted path == stash@{N}:path  for exactly one N  →  stash@{N}
//! ```

use std::path::PathBuf;

use super::batch::batchable;
use super::{ok, run, Repo};

/// How many conflicted paths are compared: enough to tell stashes apart,
/// few enough that a long stash list stays one quick `cat-file`.
const PATHS_COMPARED: usize = 16;

impl Repo {
    /// The stash entry (`stash@{N}`) the pop or apply in progress took its
    /// side from: the one whose work tree holds, at each of `theirs` (paths
    /// and the object ids of their stage 3, the stashed side), that very
    /// blob. `None` when no entry or several do, or git cannot tell.
    pub fn applied_stash(&self, theirs: &[(PathBuf, String)]) -> Option<String> {
        let theirs: Vec<(&str, &str)> = theirs
            .iter()
            .filter(|(p, _)| batchable(p))
            .filter_map(|(p, id)| Some((p.to_str()?, id.as_str())))
            .take(PATHS_COMPARED)
            .collect();
        if theirs.is_empty() {
            return None;
        }
        // The stash list, newest first: line N is stash@{N}.
        let mut c = self.git();
        c.args(["log", "-g", "--format=%H", "refs/stash", "--"]);
        let listed = String::from_utf8(ok(c, None).ok()?).ok()?;
        let entries: Vec<&str> = listed.lines().collect();
        let specs: String = entries
            .iter()
            .flat_map(|e| theirs.iter().map(move |(p, _)| format!("{e}:{p}\n")))
            .collect();
        let mut c = self.git();
        c.args(["cat-file", "--batch-check=%(objectname)"]);
        let out = run(c, Some(specs.as_bytes())).ok()?;
        if !out.status.success() {
            return None;
        }
        let answers = String::from_utf8(out.stdout).ok()?;
        let answers: Vec<&str> = answers.lines().collect();
        if answers.len() != entries.len() * theirs.len() {
            return None;
        }
        let mut applied = answers
            .chunks(theirs.len())
            .enumerate()
            .filter(|(_, ids)| ids.iter().zip(&theirs).all(|(id, (_, want))| id == want))
            .map(|(n, _)| n);
        match (applied.next(), applied.next()) {
            (Some(n), None) => Some(format!("stash@{{{n}}}")),
            _ => None,
        }
    }
}
