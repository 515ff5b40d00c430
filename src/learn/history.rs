//! The git side of `replay`: past merge commits, their re-merge with
//! `git merge-tree --write-tree` (no work tree, no index, no ref touched,
//! fine in a bare repository) and the blobs of each conflicted file. The
//! only place in `learn` that runs git (through `crate::git`'s runner).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::git;

/// The oldest git whose `merge-tree --write-tree` replay relies on.
pub(crate) const MIN_GIT: (u32, u32) = (2, 38);

/// git's well-known empty tree: as the attribute source it keeps a
/// repository's own merge drivers (frontmerge itself, perhaps) out of the
/// re-merge, so replay sees the conflicts plain git saw.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// A repository to read history from (`GIT_DIR` and `GIT_WORK_TREE` are
/// honoured, as git honours them). The objects a re-merge writes go to a
/// temporary folder, the repository's own objects being only read (as
/// alternates): replay leaves the repository exactly as it was.
#[derive(Debug)]
pub(crate) struct History {
    /// Where git runs.
    cwd: PathBuf,
    /// New objects (merge-tree's trees and merged blobs), removed on drop.
    scratch: tempfile::TempDir,
    /// The repository's object folder, absolute.
    objects: PathBuf,
    /// `--attr-source` is understood (git 2.40 and later).
    attr_source: bool,
    /// The merge drivers the person's configuration defines
    /// (`merge.NAME.driver`), each run as git's own line merge in
    /// re-merges (see [`History::command`]).
    drivers: Vec<String>,
    /// The commits a shallow clone cut off below (their parents are missing).
    shallow: bool,
}

/// One merge commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Merge {
    /// Its id.
    pub(crate) id: String,
    /// Its parents, first parent first.
    pub(crate) parents: Vec<String>,
    /// Committer date, seconds since the epoch.
    pub(crate) time: i64,
    /// The subject line.
    pub(crate) subject: String,
}

/// One file the re-merge left conflicted, with the blob ids git staged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Conflict {
    /// The path in the merge result.
    pub(crate) path: String,
    /// Stage 1 (the merge base's version), when there is one.
    pub(crate) base: Option<String>,
    /// Stage 2 (the first parent's), when there is one.
    pub(crate) ours: Option<String>,
    /// Stage 3 (the merged parent's), when there is one.
    pub(crate) theirs: Option<String>,
}

/// One commit's change to one file: the blobs before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileCommit {
    /// The commit.
    pub(crate) commit: String,
    /// The file.
    pub(crate) path: String,
    /// The blob before the commit.
    pub(crate) old: String,
    /// The blob after it.
    pub(crate) new: String,
}

/// What re-merging one merge commit gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Remerge {
    /// git merges it cleanly.
    Clean,
    /// These files conflict.
    Conflicts(Vec<Conflict>),
    /// Not replayable, and why (counted under this reason).
    Skipped(&'static str),
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    let v = text.trim().strip_prefix("git version ")?;
    let mut it = v.split(|c: char| !c.is_ascii_digit());
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// Why the history could not be read. Each message is the sentence a person
/// reads; an I/O failure's reason follows it in `{:#}` chains.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HistoryError {
    /// git could not be run.
    #[error(transparent)]
    Git(#[from] git::GitError),
    /// `git --version` said something else.
    #[error("cannot read git's version")]
    Version,
    /// git is older than `merge-tree --write-tree`.
    #[error(
        "replay needs git {}.{} or later (`git merge-tree --write-tree`); this is {}.{}",
        MIN_GIT.0,
        MIN_GIT.1,
        found.0,
        found.1
    )]
    TooOld {
        /// The git on PATH, `(major, minor)`.
        found: (u32, u32),
    },
    /// Not inside a repository: git's words.
    #[error("not a git repository: {0}")]
    NotARepository(String),
    /// A git command failed: the command and git's words.
    #[error("git {what}: {said}")]
    Failed {
        /// The command, without `git`.
        what: String,
        /// What git wrote on stderr, trimmed.
        said: String,
    },
    /// The scratch object folder could not be made.
    #[error("cannot create a temporary folder")]
    Scratch(#[source] std::io::Error),
    /// `git cat-file` could not be started.
    #[error("cannot run git cat-file")]
    CatFileSpawn(#[source] std::io::Error),
    /// `git cat-file` ended before answering every name.
    #[error("git cat-file stopped early")]
    CatFileEarly,
    /// A blob larger than memory can address.
    #[error("object too large")]
    ObjectTooLarge(#[source] std::num::TryFromIntError),
    /// The thread feeding `git cat-file` panicked.
    #[error("git cat-file writer panicked")]
    WriterPanicked,
    /// Feeding `git cat-file` failed.
    #[error("cannot write to git cat-file")]
    CatFileWrite(#[source] std::io::Error),
    /// Reading git's answers failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The names of the merge drivers in `git config -z --get-regexp
/// '^merge\..+\.driver$'`'s answer (`merge.NAME.driver\nVALUE\0` each).
fn driver_names(listed: &[u8]) -> Vec<String> {
    let mut names: Vec<String> = listed
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let key = entry.split(|&b| b == b'\n').next()?;
            let key = std::str::from_utf8(key).ok()?;
            Some(
                key.strip_prefix("merge.")?
                    .strip_suffix(".driver")?
                    .to_owned(),
            )
        })
        // `-c KEY=VALUE` ends the key at its first `=`.
        .filter(|name| !name.is_empty() && !name.contains('='))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// This module's results.
type Result<T, E = HistoryError> = std::result::Result<T, E>;

impl History {
    /// Opens the repository around `cwd`; errors when there is none or git
    /// is too old for `merge-tree --write-tree`.
    pub(crate) fn open(cwd: &Path) -> Result<History> {
        let mut c = git::command(cwd, true);
        c.arg("--version");
        let out = git::run(c, None)?;
        let version =
            parse_version(&String::from_utf8_lossy(&out.stdout)).ok_or(HistoryError::Version)?;
        if version < MIN_GIT {
            return Err(HistoryError::TooOld { found: version });
        }
        let plain = |args: &[&str]| -> Result<String> {
            let mut c = git::command(cwd, true);
            c.args(args);
            let out = git::run(c, None)?;
            if !out.status.success() {
                return Err(HistoryError::NotARepository(
                    String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                ));
            }
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        };
        let info = plain(&[
            "rev-parse",
            "--is-shallow-repository",
            "--path-format=absolute",
            "--git-path",
            "objects",
        ])?;
        let mut lines = info.lines();
        let shallow = lines.next() == Some("true");
        let objects = PathBuf::from(lines.next().unwrap_or_default());
        let mut c = git::command(cwd, true);
        c.args(["config", "-z", "--get-regexp", r"^merge\..+\.driver$"]);
        // None configured: exit 1 and nothing listed.
        let drivers = driver_names(&git::run(c, None)?.stdout);
        Ok(History {
            cwd: cwd.to_path_buf(),
            scratch: tempfile::tempdir().map_err(HistoryError::Scratch)?,
            objects,
            attr_source: version >= (2, 40),
            drivers,
            shallow,
        })
    }

    fn command(&self) -> Command {
        // The user's GIT_DIR and GIT_WORK_TREE count (own_env): they name the repository.
        let mut c = git::command(&self.cwd, true);
        c.env("GIT_OBJECT_DIRECTORY", self.scratch.path())
            .env("GIT_ALTERNATE_OBJECT_DIRECTORIES", &self.objects)
            .env("GIT_ATTR_NOSYSTEM", "1")
            .args(["-c", "core.attributesFile=/dev/null"]);
        if self.attr_source {
            c.arg(format!("--attr-source={EMPTY_TREE}"));
        }
        // A merge driver (named by `merge.default`, or by an attribute in
        // `.git/info/attributes`, which no attribute source leaves out)
        // would settle conflicts in `merge-tree`'s re-merge, and the merge
        // look clean: every driver merges as git's line merge does.
        c.args(["-c", "merge.default=text"]);
        for name in &self.drivers {
            c.arg("-c").arg(format!(
                "merge.{name}.driver=git merge-file -L %X -L %S -L %Y --marker-size=%L %A %O %B"
            ));
        }
        c
    }

    /// Runs git, returning stdout; a failure is an error with git's words.
    fn git(&self, args: &[&str]) -> Result<String> {
        let mut c = self.command();
        c.args(args);
        self.stdout(c, &args.join(" "))
    }

    /// Runs `c` (`what` names it), returning stdout; a failure is an error
    /// with git's words.
    fn stdout(&self, c: Command, what: &str) -> Result<String> {
        let out = git::run(c, None)?;
        if !out.status.success() {
            return Err(HistoryError::Failed {
                what: what.to_owned(),
                said: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The merge commits of `range` (all refs when `None`), newest first.
    pub(crate) fn merges(&self, range: Option<&str>) -> Result<Vec<Merge>> {
        let mut args = vec!["log", "-z", "--merges", "--format=%H%x01%P%x01%ct%x01%s"];
        match range {
            Some(r) => args.extend(["--end-of-options", r]),
            None => args.push("--all"),
        }
        let out = self.git(&args)?;
        Ok(out
            .split('\0')
            .filter(|r| !r.trim().is_empty())
            .filter_map(|record| {
                let mut f = record.trim_start_matches('\n').splitn(4, '\x01');
                let id = f.next()?.to_owned();
                let parents = f.next()?.split(' ').map(str::to_owned).collect();
                let time = f.next()?.trim().parse().ok()?;
                let subject = f.next().unwrap_or("").to_owned();
                Some(Merge {
                    id,
                    parents,
                    time,
                    subject,
                })
            })
            .collect())
    }

    /// Re-merges a merge commit's parents and lists the conflicted files.
    pub(crate) fn remerge(&self, merge: &Merge) -> Remerge {
        if merge.parents.len() > 2 {
            return Remerge::Skipped("octopus merge (more than two parents)");
        }
        let [p1, p2] = [&merge.parents[0], &merge.parents[1]];
        let mut c = self.command();
        c.args(["merge-tree", "--write-tree", "-z", "--no-messages", p1, p2]);
        let out = match git::run(c, None) {
            Ok(o) => o,
            Err(_) => return Remerge::Skipped("git merge-tree could not run"),
        };
        let conflicts = match out.status.code() {
            // Clean: nothing to judge, whatever its bases (merge-base is not run,
            // which saves a process for most merges).
            Some(0) => return Remerge::Clean,
            Some(1) => Some(parse_conflicts(&out.stdout)),
            _ => None,
        };
        let bases = match self.git(&["merge-base", "--all", p1, p2]) {
            Ok(b) => b.lines().filter(|l| !l.is_empty()).count(),
            Err(_) => 0,
        };
        match (bases, conflicts) {
            (0, _) if self.shallow => Remerge::Skipped("shallow history (no merge base)"),
            (0, _) => Remerge::Skipped("unrelated histories (no merge base)"),
            (1, Some(c)) => Remerge::Conflicts(c),
            (1, None) => Remerge::Skipped("git merge-tree failed (missing objects?)"),
            _ => Remerge::Skipped("criss-cross merge (several merge bases)"),
        }
    }

    /// The commits between the merge base and each of `parents` (either
    /// side, merges left out) that modified one of `paths`, with the blobs
    /// before and after: one `git log` for the whole merge. Files a commit
    /// added or deleted are left out (every key of them would look changed).
    pub(crate) fn file_commits(
        &self,
        parents: [&str; 2],
        paths: &[&str],
    ) -> Result<Vec<FileCommit>> {
        let range = format!("{}...{}", parents[0], parents[1]);
        let mut c = self.command();
        c.env("GIT_LITERAL_PATHSPECS", "1").args([
            "log",
            "--no-merges",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "-z",
            "--format=%x01%H",
            &range,
            "--",
        ]);
        c.args(paths);
        Ok(parse_raw_log(&self.stdout(c, &format!("log {range}"))?))
    }

    /// Reads many objects (`<oid>` or `<commit>:<path>`) in one
    /// `git cat-file --batch`; missing ones and those over `limit` bytes
    /// come back as `Err` with the reason.
    pub(crate) fn read_objects(
        &self,
        names: &[String],
        limit: u64,
    ) -> Result<Vec<Result<Vec<u8>, &'static str>>> {
        let mut child = self
            .command()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(HistoryError::CatFileSpawn)?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let requests: String = names.iter().map(|n| format!("{n}\n")).collect();
        // Written from another thread: git answers while we still ask.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut objects = Vec::with_capacity(names.len());
        let mut header = String::new();
        for _ in names {
            header.clear();
            if out.read_line(&mut header)? == 0 {
                return Err(HistoryError::CatFileEarly);
            }
            let fields: Vec<&str> = header.split_whitespace().collect();
            let size = match fields.as_slice() {
                [_, "blob", size] => size.parse::<u64>().ok(),
                _ => None,
            };
            let Some(size) = size else {
                // `missing`, `ambiguous`, or a tree/commit where a blob was asked.
                let n = match fields.as_slice() {
                    [_, kind, size] if *kind != "blob" => size.parse::<u64>().unwrap_or(0),
                    _ => 0,
                };
                skip(&mut out, n, n > 0)?;
                objects.push(Err("missing"));
                continue;
            };
            if size > limit {
                skip(&mut out, size, true)?;
                objects.push(Err("gigantic"));
                continue;
            }
            let mut buf = vec![0; usize::try_from(size).map_err(HistoryError::ObjectTooLarge)?];
            out.read_exact(&mut buf)?;
            skip(&mut out, 0, true)?;
            objects.push(Ok(buf));
        }
        writer
            .join()
            .map_err(|_| HistoryError::WriterPanicked)?
            .map_err(HistoryError::CatFileWrite)?;
        drop(out);
        child.wait()?;
        Ok(objects)
    }

    /// The top of the work tree (honours `GIT_WORK_TREE`); `None` in a bare
    /// repository without one.
    pub(crate) fn work_tree(&self) -> Option<PathBuf> {
        let top = self.git(&["rev-parse", "--show-toplevel"]).ok()?;
        let top = top.trim();
        (!top.is_empty()).then(|| PathBuf::from(top))
    }
}

/// Skips `n` bytes and, with `newline`, the newline after them.
fn skip(out: &mut impl BufRead, n: u64, newline: bool) -> Result<()> {
    std::io::copy(&mut out.take(n), &mut std::io::sink())?;
    if newline {
        let mut nl = [0u8; 1];
        out.read_exact(&mut nl)?;
    }
    Ok(())
}

/// Parses `git log --raw -z --format=%x01%H`: a commit's id after `\x01`,
/// then `:<modes> <old> <new> <status>` and the path, NUL-separated.
/// Only modifications (`M`) are kept.
fn parse_raw_log(text: &str) -> Vec<FileCommit> {
    let mut out = Vec::new();
    let mut commit = "";
    let mut tokens = text.split('\0');
    while let Some(t) = tokens.next() {
        let t = t.trim_start_matches('\n');
        if let Some(id) = t.strip_prefix('\x01') {
            commit = id.trim();
        } else if let Some(meta) = t.strip_prefix(':') {
            let Some(path) = tokens.next() else { break };
            let f: Vec<&str> = meta.split(' ').collect();
            if let [_, _, old, new, status] = f.as_slice() {
                if status.starts_with('M') {
                    out.push(FileCommit {
                        commit: commit.to_owned(),
                        path: path.to_owned(),
                        old: (*old).to_owned(),
                        new: (*new).to_owned(),
                    });
                }
            }
        }
    }
    out
}

/// Parses `merge-tree --write-tree -z --no-messages` output: the tree id,
/// then `<mode> <oid> <stage>\t<path>` records.
fn parse_conflicts(stdout: &[u8]) -> Vec<Conflict> {
    let text = String::from_utf8_lossy(stdout);
    let mut by_path: HashMap<String, Conflict> = HashMap::new();
    let mut order = Vec::new();
    for record in text.split('\0').skip(1) {
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut f = meta.split(' ');
        let (Some(_mode), Some(oid), Some(stage)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let c = by_path.entry(path.to_owned()).or_insert_with(|| {
            order.push(path.to_owned());
            Conflict {
                path: path.to_owned(),
                base: None,
                ours: None,
                theirs: None,
            }
        });
        let slot = match stage {
            "1" => &mut c.base,
            "2" => &mut c.ours,
            "3" => &mut c.theirs,
            _ => continue,
        };
        *slot = Some(oid.to_owned());
    }
    order
        .into_iter()
        .filter_map(|p| by_path.remove(&p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drivers_configured_are_named() {
        let listed = b"merge.frontmerge.driver\ngit-frontmerge merge-driver %O %A %B\0merge.a.b.driver\ncp %B %A\0merge.frontmerge.driver\nagain\0merge.x=y.driver\nz\0";
        assert_eq!(driver_names(listed), ["a.b", "frontmerge"]);
        assert!(driver_names(b"").is_empty());
    }

    #[test]
    fn reads_gits_version() {
        assert_eq!(parse_version("git version 2.47.3\n"), Some((2, 47)));
        assert_eq!(
            parse_version("git version 2.39.5 (Apple Git-154)"),
            Some((2, 39))
        );
        assert_eq!(parse_version("nonsense"), None);
    }

    #[test]
    fn groups_staged_blobs_by_path() {
        let out = b"tree1\x00100644 aaa 1\tdocs/a.md\x00100644 bbb 2\tdocs/a.md\x00100644 ccc 3\tdocs/a.md\x00100644 ddd 2\tb.md\x00\x00";
        let c = parse_conflicts(out);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].path, "docs/a.md");
        assert_eq!(
            (
                c[0].base.as_deref(),
                c[0].ours.as_deref(),
                c[0].theirs.as_deref()
            ),
            (Some("aaa"), Some("bbb"), Some("ccc"))
        );
        assert_eq!(
            (c[1].ours.as_deref(), c[1].theirs.as_deref()),
            (Some("ddd"), None)
        );
    }

    #[test]
    fn reads_each_commits_modified_files() {
        let raw = "\x01c1\0\n:100644 100644 aaa bbb M\0docs/a.md\0:000000 100644 000 ccc A\0new.md\0\x01c2\0\n:100644 100644 bbb ddd M\0docs/a b.md\0";
        let got = parse_raw_log(raw);
        assert_eq!(got.len(), 2);
        assert_eq!(
            (
                got[0].commit.as_str(),
                got[0].path.as_str(),
                got[0].old.as_str(),
                got[0].new.as_str()
            ),
            ("c1", "docs/a.md", "aaa", "bbb")
        );
        assert_eq!(
            (got[1].commit.as_str(), got[1].path.as_str()),
            ("c2", "docs/a b.md")
        );
    }
}
