//! Which files git ignores, asked for the targets of the symlinks a run
//! finds (walks, the tracked list, the unmerged list): a committed link to
//! an untracked file git ignores (the person's `secrets.md`,
//! `config/credentials.yaml`) is not the repository's article, and is
//! never followed. Links are rare: git is asked only when there is one,
//! once per repository holding targets, all of them in one batch.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::{command, nul_input, ok_codes, GitError, Repo, Repos, Result};

/// Why a link to a file git ignores is not followed.
pub const IGNORED: &str =
    "a symlink to a file git ignores (walks skip such files: they may be your own, such as secrets)";

/// The variables that turn every pathspec into one with a magic
/// `git check-ignore` refuses (`literal`, `icase`, `glob`): its paths are
/// given as `./path`, which no magic reads anyway.
const PATHSPEC_VARIABLES: [&str; 4] = [
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
];

impl Repos {
    /// For each of `targets` (files symlinks lead to, symlinks resolved),
    /// why the link is not followed, or `None` to follow it: the file is
    /// untracked and ignored by the repository holding it (see
    /// [`Repo::ignored`]), or git could not say. A target in no repository
    /// is followed: nothing ignores it. One `git check-ignore` per
    /// repository holding targets; none for no targets.
    pub fn ignored_targets(&mut self, targets: &[PathBuf]) -> Vec<Option<String>> {
        let mut out = vec![None; targets.len()];
        let mut by_repo: HashMap<usize, Vec<(usize, PathBuf)>> = HashMap::new();
        for (i, t) in targets.iter().enumerate() {
            match self.for_file(t) {
                Ok(Some((ri, rel))) => by_repo.entry(ri).or_default().push((i, rel)),
                Ok(None) => {}
                Err(e) => out[i] = Some(not_asked(&e)),
            }
        }
        for (ri, asked) in by_repo {
            let rels: Vec<PathBuf> = asked.iter().map(|(_, r)| r.clone()).collect();
            match self.list[ri].ignored(&rels) {
                Ok(ignored) => {
                    for (i, rel) in asked {
                        if ignored.contains(&rel) {
                            out[i] = Some(IGNORED.to_owned());
                        }
                    }
                }
                // Unknown is not followed: the target may be a secret.
                Err(e) => {
                    for (i, _) in asked {
                        out[i] = Some(not_asked(&e));
                    }
                }
            }
        }
        out
    }
}

/// Why a link is not followed when git could not say whether it ignores
/// the target.
fn not_asked(e: &GitError) -> String {
    format!("a symlink whose target git could not check against its ignore rules ({e})")
}

impl Repo {
    /// Which of `rels` (relative to the top) git ignores: untracked and
    /// matched by `.gitignore`, `.git/info/exclude` or the global excludes
    /// file, in one `git check-ignore`. Without `--no-index`: a file git
    /// tracks is the repository's own content, whatever the patterns say.
    pub fn ignored(&self, rels: &[PathBuf]) -> Result<HashSet<PathBuf>> {
        if rels.is_empty() {
            return Ok(HashSet::new());
        }
        // `./` in front: check-ignore reads pathspecs, and a name starting
        // with `:` would otherwise be magic (`:(top)`, `:!`); it refuses
        // `--literal-pathspecs`, so that option and its variables are out.
        let given: Vec<PathBuf> = rels.iter().map(|r| PathBuf::from(".").join(r)).collect();
        let mut c = command(&self.top, self.own_env);
        for v in PATHSPEC_VARIABLES {
            c.env_remove(v);
        }
        c.args(["check-ignore", "--stdin", "-z"]);
        // Exit 1: none of them is ignored.
        let out = ok_codes(c, Some(&nul_input(&given)), &[0, 1])?;
        Ok(said_ignored(&out, &given, rels))
    }
}

/// The `rels` whose `given` form (same order) git's NUL-separated answer
/// names: it echoes each ignored path as it was given.
fn said_ignored(out: &[u8], given: &[PathBuf], rels: &[PathBuf]) -> HashSet<PathBuf> {
    let named: HashSet<&[u8]> = out.split(|&b| b == 0).filter(|p| !p.is_empty()).collect();
    given
        .iter()
        .zip(rels)
        .filter(|(g, _)| named.contains(g.as_os_str().as_encoded_bytes()))
        .map(|(_, r)| r.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_paths_git_names_are_the_ignored_ones() {
        let rels: Vec<PathBuf> = ["secrets.md", ":odd\nname.md", "post.md"]
            .map(PathBuf::from)
            .to_vec();
        let given: Vec<PathBuf> = rels.iter().map(|r| Path::new(".").join(r)).collect();
        let out = b"./secrets.md\0./:odd\nname.md\0";
        let ignored = said_ignored(out, &given, &rels);
        assert_eq!(ignored, HashSet::from([rels[0].clone(), rels[1].clone()]));
        assert!(said_ignored(b"", &given, &rels).is_empty());
    }

    #[test]
    fn a_repository_says_which_untracked_files_it_ignores() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        let git = |args: &[&str]| {
            let mut c = command(top, false);
            c.args(args);
            crate::git::ok(c, None).unwrap();
        };
        git(&["init", "-q"]);
        std::fs::write(top.join(".gitignore"), "secrets.md\n:*.md\nkept.md\n").unwrap();
        for f in ["secrets.md", ":x.md", "kept.md", "post.md"] {
            std::fs::write(top.join(f), "x").unwrap();
        }
        git(&["add", "-f", "kept.md"]);
        let repo = crate::git::discover(top, false).unwrap().unwrap();
        let rels: Vec<PathBuf> = ["secrets.md", ":x.md", "kept.md", "post.md"]
            .map(PathBuf::from)
            .to_vec();
        let ignored = repo.ignored(&rels).unwrap();
        assert_eq!(ignored, HashSet::from([rels[0].clone(), rels[1].clone()]));
        assert!(repo.ignored(&rels[2..]).unwrap().is_empty());
    }
}
