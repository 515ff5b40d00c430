//! The three versions of each unmerged path, and git's own merge of them,
//! for many paths at once.
//!
//! ```text
//! index copy ──checkout-index --stage=all --temp──▶ base, ours, theirs (filters applied)
//!            ──checkout --conflict=diff3──────────▶ git's line merge, diff3 style
//! ```
//!
//! Everything happens in a temporary work tree outside the repository, with
//! a copy of the index: the real work tree and index are never touched, and
//! hooks do not run. Two or three git processes for any number of paths
//! (a process per file would double the time of a batch `resolve`).

use std::path::{Path, PathBuf};

use super::{command, nul_input, path_from_bytes, run, GitError, Repo, Result};

/// The versions of one unmerged path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageTexts {
    /// Stage 1 (the base), 2 (ours) and 3 (theirs), as they would be checked
    /// out (line endings and smudge filters applied); `None` where absent.
    pub stages: [Option<Vec<u8>>; 3],
    /// git's line merge of them in diff3 style (labels `ours`, `base`,
    /// `theirs`), at the path's `conflict-marker-size`.
    pub diff3: Option<Vec<u8>>,
}

impl Repo {
    /// The path of the index this repository uses.
    fn index_file(&self) -> PathBuf {
        match std::env::var_os("GIT_INDEX_FILE").filter(|_| self.own_env) {
            Some(f) => {
                let f = PathBuf::from(f);
                if f.is_absolute() {
                    f
                } else {
                    self.top.join(f)
                }
            }
            None => self.git_dir.join("index"),
        }
    }

    /// A git command on a temporary work tree `wt` with the index copy
    /// `index`: hooks and file monitors off, pathspecs literal.
    fn scratch_git(&self, wt: &Path, index: &Path) -> std::process::Command {
        let mut c = command(wt, false);
        c.arg(format!("--git-dir={}", self.git_dir.display()))
            .arg(format!("--work-tree={}", wt.display()))
            .arg("--literal-pathspecs")
            .args(["-c", "core.hooksPath=/dev/null"])
            .args(["-c", "core.fsmonitor=false"])
            .args(["-c", "core.sparseCheckout=false"])
            // The scratch work tree is empty: nothing to lstat ahead in
            // threads (git would start a dozen per call).
            .args(["-c", "core.preloadIndex=false"])
            .env("GIT_INDEX_FILE", index);
        c
    }

    /// The versions of each path of `rels` (unmerged, with both sides'
    /// stages) and git's merge of them. A path git could not write gets
    /// empty fields: its caller merges it from its markers.
    pub fn stage_texts(&self, rels: &[PathBuf]) -> Result<Vec<StageTexts>> {
        let mut out = vec![StageTexts::default(); rels.len()];
        if rels.is_empty() {
            return Ok(out);
        }
        let scratch = |what: &str| {
            let what = what.to_owned();
            move |source| GitError::Scratch { what, source }
        };
        let tmp = super::scratch_dir("frontmerge-stages-")
            .map_err(scratch("create a folder for git's merge of the stages"))?;
        let wt = tmp.path().join("wt");
        std::fs::create_dir(&wt).map_err(scratch("create a scratch work tree"))?;
        let index = tmp.path().join("index");
        std::fs::copy(self.index_file(), &index).map_err(scratch("copy the index"))?;
        let input = nul_input(rels);

        // The stages, through the work tree's filters.
        let mut c = self.scratch_git(&wt, &index);
        c.args(["checkout-index", "--stage=all", "--temp", "-z", "--stdin"]);
        let listed = run(c, Some(&input))?;
        for record in listed.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let rel = path_from_bytes(&record[tab + 1..]);
            let Some(i) = rels.iter().position(|r| *r == rel) else {
                continue;
            };
            let names = String::from_utf8_lossy(&record[..tab]).into_owned();
            for (k, name) in names.split(' ').enumerate().take(3) {
                if name == "." {
                    continue;
                }
                let temp = wt.join(name);
                out[i].stages[k] = std::fs::read(&temp).ok();
                let _ = std::fs::remove_file(&temp);
            }
        }

        // git's merge of them, in diff3 style.
        let both: Vec<PathBuf> = rels
            .iter()
            .zip(&out)
            .filter(|(_, t)| t.stages[1].is_some() && t.stages[2].is_some())
            .map(|(r, _)| r.clone())
            .collect();
        let mut c = self.scratch_git(&wt, &index);
        c.args([
            "checkout",
            "--conflict=diff3",
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ]);
        // A path git refuses is left out below; the others are written.
        run(c, Some(&nul_input(&both)))?;
        for (i, rel) in rels.iter().enumerate() {
            out[i].diff3 = std::fs::read(wt.join(rel)).ok();
        }
        Ok(out)
    }
}

/// An unmerged path's versions and git's merge of them (see
/// [`Repo::stage_texts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Stage 1, when there is a common ancestor.
    pub base: Option<String>,
    /// Stage 2.
    pub ours: String,
    /// Stage 3.
    pub theirs: String,
    /// git's line merge of them, diff3 style (labels `ours`/`base`/`theirs`).
    pub diff3: String,
}
