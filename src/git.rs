//! The git edge: every call to the `git` program lives here.
//!
//! Output is read NUL-separated (`-z`) and paths are passed as bytes with
//! `--literal-pathspecs`, so names with spaces, quotes, glob characters or
//! non-ASCII letters come through exactly as they are. Paths are relative
//! to the current folder, as git prints them (`../other.md` from a subfolder).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{bail, Context, Result};

/// Runs git in `cwd`, feeding `stdin`; the output whatever the exit code.
fn run(cwd: &Path, args: &[&OsStr], stdin: Option<&[u8]>) -> Result<Output> {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("cannot run git (is it installed?)")?;
    let pipe = child.stdin.take();
    // Feed stdin from another thread while this one drains stdout: with
    // thousands of paths both pipes fill up, and one thread would deadlock.
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || match (stdin, pipe) {
            (Some(input), Some(mut pipe)) => pipe.write_all(input),
            _ => Ok(()),
        });
        let out = child.wait_with_output().context("git did not finish")?;
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("writing to git failed"))?
            .context("cannot write to git")?;
        Ok(out)
    })
}

/// Runs git and returns its stdout, or fails with git's own message.
fn ok(cwd: &Path, args: &[&OsStr], stdin: Option<&[u8]>) -> Result<Vec<u8>> {
    let out = run(cwd, args, stdin)?;
    if !out.status.success() {
        let shown: Vec<_> = args.iter().map(|a| a.to_string_lossy()).collect();
        bail!(
            "`git {}` failed: {}",
            shown.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// Splits `-z` output into its NUL-terminated fields.
fn fields(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes
        .strip_suffix(b"\0")
        .unwrap_or(bytes)
        .split(|&b| b == 0)
        .filter(|f| !f.is_empty())
}

/// `git config --get KEY` (`--global` when `global`), `None` when unset.
pub fn config_get(cwd: &Path, global: bool, key: &str) -> Option<String> {
    let mut args = vec![os("config")];
    if global {
        args.push(os("--global"));
    }
    args.extend([os("--get"), os(key)]);
    let out = run(cwd, &args, None).ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
}

/// `git config [--global] KEY VALUE`.
pub fn config_set(cwd: &Path, global: bool, key: &str, value: &str) -> Result<()> {
    let mut args = vec![os("config")];
    if global {
        args.push(os("--global"));
    }
    args.extend([os(key), os(value)]);
    ok(cwd, &args, None).map(|_| ())
}

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

impl Operation {
    /// True when a resolved file is marked with `git add` (stash: reset instead).
    pub fn stages_result(self) -> bool {
        self != Operation::StashApply
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

/// One unmerged path of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmerged {
    /// The path relative to the current folder, as git prints it.
    pub path: PathBuf,
    /// Object ids of stage 1 (base), 2 (ours: upstream), 3 (theirs: stashed).
    pub stages: [Option<String>; 3],
}

impl Unmerged {
    /// The base's object id, when the path has one (not for add/add conflicts).
    pub fn base(&self) -> Option<&str> {
        self.stages[0].as_deref()
    }
}

/// Parses `git ls-files -u -z`: `<mode> <oid> <stage>\t<path>\0`, grouped by path.
pub fn parse_unmerged(bytes: &[u8]) -> Vec<Unmerged> {
    let mut out: Vec<Unmerged> = Vec::new();
    for rec in fields(bytes) {
        let Some(tab) = rec.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let meta = String::from_utf8_lossy(&rec[..tab]);
        let path = PathBuf::from(OsString::from_vec(rec[tab + 1..].to_vec()));
        let mut meta = meta.split(' ');
        let (Some(_mode), Some(oid), Some(stage)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        let Some(slot) = stage.parse::<usize>().ok().and_then(|s| s.checked_sub(1)) else {
            continue;
        };
        if slot > 2 {
            continue;
        }
        if out.last().is_none_or(|u| u.path != path) {
            out.push(Unmerged {
                path,
                stages: Default::default(),
            });
        }
        if let Some(u) = out.last_mut() {
            u.stages[slot] = Some(oid.to_owned());
        }
    }
    out
}

/// Parses `git check-attr -z conflict-marker-size`: `<path>\0<attr>\0<value>\0`.
pub fn parse_marker_sizes(bytes: &[u8]) -> Vec<(PathBuf, Option<usize>)> {
    let f: Vec<&[u8]> = bytes
        .strip_suffix(b"\0")
        .unwrap_or(bytes)
        .split(|&b| b == 0)
        .collect();
    f.chunks_exact(3)
        .map(|c| {
            let size = std::str::from_utf8(c[2])
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|&n| n > 0);
            (PathBuf::from(OsStr::from_bytes(c[0])), size)
        })
        .collect()
}

/// A repository, seen from the current folder.
#[derive(Clone, Debug)]
pub struct Repo {
    /// The work tree's top folder.
    pub top: PathBuf,
    /// The git folder of this work tree (where `MERGE_HEAD` and friends live).
    pub git_dir: PathBuf,
    cwd: PathBuf,
}

impl Repo {
    /// The repository `cwd` is in; `None` outside a work tree or without git.
    pub fn discover(cwd: &Path) -> Option<Repo> {
        let out = run(
            cwd,
            &[
                os("rev-parse"),
                os("--show-toplevel"),
                os("--absolute-git-dir"),
            ],
            None,
        )
        .ok()?;
        if !out.status.success() {
            return None;
        }
        let mut lines = out.stdout.split(|&b| b == b'\n');
        let top = PathBuf::from(OsStr::from_bytes(lines.next()?));
        let git_dir = PathBuf::from(OsStr::from_bytes(lines.next()?));
        if top.as_os_str().is_empty() || git_dir.as_os_str().is_empty() {
            return None;
        }
        Some(Repo {
            top,
            git_dir,
            cwd: cwd.to_path_buf(),
        })
    }

    /// Every unmerged path of the repository, relative to the current folder.
    pub fn unmerged(&self) -> Result<Vec<Unmerged>> {
        let out = ok(
            &self.cwd,
            &[os("ls-files"), os("-u"), os("-z"), os("--"), os(":/")],
            None,
        )?;
        Ok(parse_unmerged(&out))
    }

    /// The operation in progress, judged by its state files.
    pub fn operation(&self) -> Operation {
        let has = |name: &str| self.git_dir.join(name).exists();
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

    /// The `conflict-marker-size` attribute of each path (inside the work tree).
    pub fn marker_sizes(&self, paths: &[PathBuf]) -> Result<Vec<(PathBuf, Option<usize>)>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = Vec::new();
        for p in paths {
            input.extend_from_slice(p.as_os_str().as_bytes());
            input.push(0);
        }
        let out = ok(
            &self.cwd,
            &[
                os("check-attr"),
                os("-z"),
                os("--stdin"),
                os("conflict-marker-size"),
            ],
            Some(&input),
        )?;
        Ok(parse_marker_sizes(&out))
    }

    /// The base (index stage 1) of each path as it would be checked out
    /// (line endings and smudge filters applied, like the work-tree file),
    /// streamed to `each(index in paths, text)`; `None` where git has no
    /// base. Paths no filter applies to (the usual case) are read raw in one
    /// `git cat-file --batch`; the others through one
    /// `git checkout-index --temp`, which applies the filters: git writes each
    /// base to a temporary file at the top of the work tree, read and removed
    /// at once.
    pub fn base_texts(
        &self,
        paths: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<()>,
    ) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let top = std::fs::canonicalize(&self.top).unwrap_or_else(|_| self.top.clone());
        let mut rels = Vec::with_capacity(paths.len());
        for p in paths {
            let abs = std::fs::canonicalize(self.cwd.join(p))
                .with_context(|| format!("cannot resolve {}", p.display()))?;
            let rel = abs
                .strip_prefix(&top)
                .with_context(|| format!("{} is outside the work tree", p.display()))?
                .to_path_buf();
            rels.push(rel);
        }
        let filtered = self.need_filters(&rels)?;
        let (raw, cooked): (Vec<usize>, Vec<usize>) = (0..rels.len())
            .partition(|&i| !filtered[i] && rels[i].to_str().is_some_and(|r| !r.contains('\n')));
        // `:1:path` names the path from the top in batch mode.
        let specs: Vec<String> = raw
            .iter()
            .map(|&i| format!(":1:{}", rels[i].to_string_lossy()))
            .collect();
        let refs: Vec<&String> = specs.iter().collect();
        let mut git = Command::new("git");
        git.current_dir(&self.top);
        let mut k = 0;
        crate::git_index::cat_file_batch(git, &[], &refs, |blob| {
            k += 1;
            each(raw[k - 1], blob)
        })?;
        let cooked_rels: Vec<PathBuf> = cooked.iter().map(|&i| rels[i].clone()).collect();
        self.checked_out_bases(&cooked_rels, |k, blob| each(cooked[k], blob))
    }

    /// Which paths (relative to the top) git converts on checkout: an eol,
    /// text, filter, ident or working-tree-encoding attribute, or
    /// `core.autocrlf`/`core.eol` asking for CRLF. One `git check-attr`.
    fn need_filters(&self, rels: &[PathBuf]) -> Result<Vec<bool>> {
        let autocrlf = config_get(&self.top, false, "core.autocrlf").is_some_and(|v| v == "true");
        let eol_crlf = config_get(&self.top, false, "core.eol").is_some_and(|v| v == "crlf");
        let mut input = Vec::new();
        for r in rels {
            input.extend_from_slice(r.as_os_str().as_bytes());
            input.push(0);
        }
        let out = ok(
            &self.top,
            &[
                os("check-attr"),
                os("-z"),
                os("--stdin"),
                os("text"),
                os("eol"),
                os("filter"),
                os("ident"),
                os("working-tree-encoding"),
            ],
            Some(&input),
        )?;
        let mut need = vec![false; rels.len()];
        let fields: Vec<&[u8]> = out.split(|&b| b == 0).collect();
        for triple in fields.chunks_exact(3) {
            let path = PathBuf::from(OsStr::from_bytes(triple[0]));
            let (attr, value) = (triple[1], triple[2]);
            let converts = match attr {
                // Unset `text` (binary) converts nothing; set or auto
                // converts line endings when CRLF is asked for.
                b"text" => match value {
                    b"unset" => false,
                    b"unspecified" => autocrlf,
                    _ => autocrlf || eol_crlf,
                },
                _ => value != b"unspecified" && value != b"unset",
            };
            if converts {
                if let Some(i) = rels.iter().position(|r| *r == path) {
                    need[i] = true;
                }
            }
        }
        Ok(need)
    }

    /// Bases through `git checkout-index --stage=1 --temp`, which applies
    /// the work tree's filters (see [`Repo::base_texts`]).
    fn checked_out_bases(
        &self,
        rels: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<()>,
    ) -> Result<()> {
        if rels.is_empty() {
            return Ok(());
        }
        let mut input = Vec::new();
        for rel in rels {
            input.extend_from_slice(rel.as_os_str().as_bytes());
            input.push(0);
        }
        let out = run(
            &self.top,
            &[
                os("checkout-index"),
                os("--stage=1"),
                os("--temp"),
                os("-z"),
                os("--stdin"),
            ],
            Some(&input),
        )?;
        // `TEMP \t PATH \0` for each path git could write.
        let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
        for record in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            if let Some(tab) = record.iter().position(|&b| b == b'\t') {
                let temp = self.top.join(OsStr::from_bytes(&record[..tab]));
                temps.push((temp, PathBuf::from(OsStr::from_bytes(&record[tab + 1..]))));
            }
        }
        let mut result = Ok(());
        let mut seen = vec![false; rels.len()];
        for (temp, rel) in &temps {
            let content = std::fs::read(temp);
            let _ = std::fs::remove_file(temp);
            if result.is_err() {
                continue; // still remove the other temporary files
            }
            if let Some(i) = rels.iter().position(|r| r == rel) {
                seen[i] = true;
                result = content
                    .with_context(|| {
                        format!("cannot read git's copy of the base of {}", rel.display())
                    })
                    .and_then(|c| each(i, Some(c)));
            }
        }
        result?;
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
            each(i, None)?;
        }
        Ok(())
    }

    /// Marks many resolved paths in one git call (see [`Repo::mark_resolved`]);
    /// returns the paths git still lists as unmerged afterwards.
    pub fn mark_resolved_many(&self, paths: &[PathBuf], op: Operation) -> Result<Vec<PathBuf>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec![os("--literal-pathspecs")];
        if op.stages_result() {
            args.push(os("add"));
        } else {
            args.extend([os("reset"), os("-q")]);
        }
        // Paths on stdin: no argument-length limit, any byte in a name.
        args.extend([os("--pathspec-from-file=-"), os("--pathspec-file-nul")]);
        let mut input = Vec::new();
        for p in paths {
            input.extend_from_slice(p.as_os_str().as_bytes());
            input.push(0);
        }
        let out = run(&self.cwd, &args, Some(&input))?;
        let canonical =
            |p: &Path| std::fs::canonicalize(self.cwd.join(p)).unwrap_or_else(|_| p.to_path_buf());
        let asked: std::collections::HashSet<PathBuf> =
            paths.iter().map(|p| canonical(p)).collect();
        let still: Vec<PathBuf> = self
            .unmerged()?
            .into_iter()
            .map(|u| u.path)
            .filter(|p| asked.contains(&canonical(p)))
            .collect();
        // `git reset` exits 1 when other paths still need merging; `git add`
        // failing is an error of its own.
        if op.stages_result() && !out.status.success() && still.is_empty() {
            bail!(
                "`git add` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(still)
    }

    /// Marks a resolved path in the index: `git add` after a merge, rebase,
    /// cherry-pick or revert; after a stash pop/apply the unmerged entries are
    /// reset to HEAD so that the change stays unstaged, as after a clean pop.
    pub fn mark_resolved(&self, path: &Path, op: Operation) -> Result<()> {
        let verb = if op.stages_result() {
            vec![os("add")]
        } else {
            vec![os("reset"), os("-q")]
        };
        let mut args = vec![os("--literal-pathspecs")];
        args.extend(verb);
        args.extend([os("--"), path.as_os_str()]);
        let out = run(&self.cwd, &args, None)?;
        // `git reset` also lists the other unmerged paths ("needs merge") and
        // may exit 1 for that alone; what counts is that this path is merged now.
        let still = parse_unmerged(&ok(
            &self.cwd,
            &[
                os("--literal-pathspecs"),
                os("ls-files"),
                os("-u"),
                os("-z"),
                os("--"),
                path.as_os_str(),
            ],
            None,
        )?);
        if !still.is_empty() || (op.stages_result() && !out.status.success()) {
            bail!(
                "could not mark {} resolved: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    }
}

/// `git merge-file`: git's own line merge of `current` (overwritten), `base`
/// and `other`, with labels in that order. Returns git's exit code (the
/// number of conflicts, negative on error).
pub fn merge_file(
    cwd: &Path,
    labels: [&str; 3],
    marker_size: usize,
    files: [&Path; 3],
) -> Result<i32> {
    let size = format!("--marker-size={marker_size}");
    let mut args = vec![os("merge-file")];
    for l in &labels {
        args.extend([os("-L"), os(l)]);
    }
    args.push(os(&size));
    args.extend(files.iter().map(|f| f.as_os_str()));
    let out = run(cwd, &args, None)?;
    let _ = std::io::stderr().write_all(&out.stderr);
    Ok(out.status.code().unwrap_or(-1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmerged_entries_group_by_path_and_keep_odd_names() {
        let raw = b"100644 aaa 1\tdir \xc3\xa9/my post.md\x00100644 bbb 2\tdir \xc3\xa9/my post.md\x00\
                    100644 ccc 3\tdir \xc3\xa9/my post.md\x00100644 ddd 2\tnew.md\x00100644 eee 3\tnew.md\x00";
        let u = parse_unmerged(raw);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].path, Path::new("dir é/my post.md"));
        assert_eq!(u[0].base(), Some("aaa"));
        assert_eq!(u[1].base(), None, "add/add has no base");
        assert_eq!(u[1].stages[2].as_deref(), Some("eee"));
    }

    #[test]
    fn marker_size_attributes() {
        let raw = b"a b.md\x00conflict-marker-size\x0012\x00c.md\x00conflict-marker-size\x00unspecified\x00";
        assert_eq!(
            parse_marker_sizes(raw),
            [
                (PathBuf::from("a b.md"), Some(12)),
                (PathBuf::from("c.md"), None)
            ]
        );
    }

    #[test]
    fn many_paths_through_stdin_do_not_deadlock() {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(ok.success());
        let repo = Repo::discover(dir.path()).expect("a repository");
        let paths: Vec<PathBuf> = (0..20_000)
            .map(|i| PathBuf::from(format!("folder with spaces/article {i}.md")))
            .collect();
        let sizes = repo.marker_sizes(&paths).unwrap();
        assert_eq!(sizes.len(), paths.len());
        assert!(sizes.iter().all(|(_, s)| s.is_none()));
    }

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
        assert!(!Operation::StashApply.stages_result());
        assert!(Operation::Rebase.stages_result());
    }
}
