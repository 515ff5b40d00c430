//! The git edge of `check` and `install`: the repository around a folder,
//! staged and committed file contents, attributes, the hooks folder. Every
//! question goes to the `git` program, so what a hook sees is what git sees
//! (`GIT_INDEX_FILE` for `git commit -a` or `git commit PATH`, `core.hooksPath`,
//! worktrees).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{bail, Context, Result};

use crate::files::is_markdown;

/// A git work tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    /// The top of the work tree, absolute, as git prints it.
    pub root: PathBuf,
    /// False for a repository found from another folder than the current
    /// one: git's environment variables (`GIT_INDEX_FILE`, ...) are not its own.
    pub own_env: bool,
}

fn run(mut c: Command, what: &str) -> Result<Output> {
    c.output()
        .with_context(|| format!("cannot run git ({what}); is git installed?"))
}

fn ok(o: Output, what: &str) -> Result<Vec<u8>> {
    if !o.status.success() {
        bail!(
            "git {what} failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        );
    }
    Ok(o.stdout)
}

fn path_from_bytes(b: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(b))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(b).into_owned())
    }
}

fn trim_newline(mut b: Vec<u8>) -> Vec<u8> {
    while b.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        b.pop();
    }
    b
}

/// The repository whose work tree holds `dir`, or `None` outside one (and
/// in a bare repository). `own_env` says whether `dir` is the current
/// folder, whose git environment variables then apply.
pub fn discover(dir: &Path, own_env: bool) -> Result<Option<Repo>> {
    let mut c = Command::new("git");
    c.arg("rev-parse").arg("--show-toplevel").current_dir(dir);
    if !own_env {
        clear_env(&mut c);
    }
    let o = run(c, "rev-parse")?;
    if !o.status.success() {
        return Ok(None);
    }
    let root = path_from_bytes(&trim_newline(o.stdout));
    Ok(Some(Repo { root, own_env }))
}

fn clear_env(c: &mut Command) {
    for v in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_PREFIX",
        "GIT_COMMON_DIR",
    ] {
        c.env_remove(v);
    }
}

impl Repo {
    fn git(&self) -> Command {
        let mut c = Command::new("git");
        c.current_dir(&self.root).arg("--literal-pathspecs");
        if !self.own_env {
            clear_env(&mut c);
        }
        c
    }

    /// `path` (absolute) relative to the work tree's top, when it is inside.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        let canon = canonical_lenient(path);
        let root = canonical_lenient(&self.root);
        canon.strip_prefix(&root).ok().map(Path::to_path_buf)
    }

    /// Markdown files staged for commit (added, copied, modified, renamed,
    /// unmerged; not deleted), relative to the top, limited to `pathspecs`
    /// (relative to the top) when given.
    pub fn staged_markdown(&self, pathspecs: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let mut c = self.git();
        c.args([
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=d",
            "--",
        ])
        .args(pathspecs);
        let out = ok(run(c, "diff --cached")?, "diff --cached")?;
        Ok(nul_paths(&out).filter(|p| is_markdown(p)).collect())
    }

    /// Every tracked Markdown file, relative to the top, once each.
    pub fn tracked_markdown(&self) -> Result<Vec<PathBuf>> {
        let mut c = self.git();
        c.args(["ls-files", "-z"]);
        let out = ok(run(c, "ls-files")?, "ls-files")?;
        let mut seen = HashSet::new();
        // An unmerged file is listed once per stage.
        Ok(nul_paths(&out)
            .filter(|p| is_markdown(p) && seen.insert(p.clone()))
            .collect())
    }

    /// Paths (relative to the top) whose staged (`staged`) or work-tree
    /// content differs from HEAD: one `git diff --name-only`, which trusts
    /// the index's stat data instead of reading unchanged files.
    pub fn changed_since_head(&self, staged: bool) -> Result<HashSet<PathBuf>> {
        let mut c = self.git();
        c.args(["diff", "--name-only", "-z", "--no-renames"]);
        if staged {
            c.arg("--cached");
        }
        c.args(["HEAD", "--"]);
        let out = ok(run(c, "diff --name-only")?, "diff --name-only")?;
        Ok(nul_paths(&out).collect())
    }

    /// True when `rel` has unmerged (conflicted) entries in the index.
    pub fn is_unmerged(&self, rel: &Path) -> Result<bool> {
        let mut c = self.git();
        c.args(["ls-files", "-u", "-z", "--"]).arg(rel);
        Ok(!ok(run(c, "ls-files -u")?, "ls-files -u")?.is_empty())
    }

    /// The contents of `rel` in the index (`staged`) or at HEAD, for each
    /// path: `None` where that version has no such file.
    pub fn blobs(&self, rels: &[PathBuf], version: Version) -> Result<Vec<Option<Vec<u8>>>> {
        let mut out = vec![None; rels.len()];
        self.each_blob(rels, version, |i, blob| {
            out[i] = blob;
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the contents of each path to `each(index in rels, content)`,
    /// one blob in memory at a time, in no promised order.
    pub fn each_blob(
        &self,
        rels: &[PathBuf],
        version: Version,
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<()>,
    ) -> Result<()> {
        let prefix = match version {
            Version::Index => ":",
            Version::Head => "HEAD:",
        };
        let specs: Vec<String> = rels
            .iter()
            .map(|r| format!("{prefix}{}", r.to_string_lossy()))
            .collect();
        // A path with a newline cannot be named on a `--batch` line; such
        // paths (and non-UTF-8 ones) are read one by one.
        let batchable = |i: usize| rels[i].to_str().is_some() && !specs[i].contains('\n');
        let (batch, single): (Vec<usize>, Vec<usize>) =
            (0..rels.len()).partition(|&i| batchable(i));
        let batch_specs: Vec<&String> = batch.iter().map(|&i| &specs[i]).collect();
        let mut k = 0;
        self.cat_file_batch(&batch_specs, |blob| {
            let i = batch[k];
            k += 1;
            each(i, blob)
        })?;
        for i in single {
            each(i, self.cat_file_one(prefix, &rels[i])?)?;
        }
        Ok(())
    }

    fn cat_file_one(&self, prefix: &str, rel: &Path) -> Result<Option<Vec<u8>>> {
        let mut spec = OsStr::new(prefix).to_os_string();
        spec.push(rel.as_os_str());
        let mut c = self.git();
        c.args(["cat-file", "blob"]).arg(spec);
        let o = run(c, "cat-file")?;
        Ok(o.status.success().then_some(o.stdout))
    }

    fn cat_file_batch(
        &self,
        specs: &[&String],
        each: impl FnMut(Option<Vec<u8>>) -> Result<()>,
    ) -> Result<()> {
        cat_file_batch(self.git(), &[], specs, each)
    }

    /// The `conflict-marker-size` attribute of each path (relative to the
    /// top), from the index's `.gitattributes` when `cached`.
    pub fn marker_sizes(&self, rels: &[PathBuf], cached: bool) -> Result<Vec<Option<usize>>> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.git();
        c.args(["check-attr", "-z"]);
        if cached {
            c.arg("--cached");
        }
        c.args(["conflict-marker-size", "--"]).args(rels);
        let out = ok(run(c, "check-attr")?, "check-attr")?;
        // Triples: path NUL attribute NUL value NUL, in the order asked.
        let fields: Vec<&[u8]> = out.split(|&b| b == 0).collect();
        let mut sizes = vec![None; rels.len()];
        for (i, triple) in fields.chunks(3).enumerate().take(rels.len()) {
            if let [_, _, value] = triple {
                sizes[i] = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|n| *n > 0);
            }
        }
        Ok(sizes)
    }

    /// The folder git runs hooks from: `core.hooksPath` when set (relative to
    /// the work tree's top, where hooks run), else the repository's `hooks`.
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let mut c = self.git();
        c.args(["rev-parse", "--git-path", "hooks"]);
        let out = ok(
            run(c, "rev-parse --git-path")?,
            "rev-parse --git-path hooks",
        )?;
        let p = path_from_bytes(&trim_newline(out));
        Ok(if p.is_absolute() {
            p
        } else {
            self.root.join(p)
        })
    }
}

/// Which version of a file to read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// The index: what the next commit will hold.
    Index,
    /// The last commit.
    Head,
}

fn nul_paths(out: &[u8]) -> impl Iterator<Item = PathBuf> + '_ {
    out.split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(path_from_bytes)
}

/// `path` with symlinks resolved as far as the file system allows: the
/// longest existing ancestor is canonicalised, the rest appended.
pub fn canonical_lenient(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical_lenient(parent).join(name)
        }
        _ => path.to_path_buf(),
    }
}

/// `path` relative to `base` (both absolute), with `..` where needed: how
/// paths are shown, so that an editor opens them from the current folder.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path = canonical_lenient(path);
    let base = canonical_lenient(base);
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Runs `git cat-file --batch` (plus `extra` arguments) on `git`, feeding it
/// `specs` and streaming each answer to `each`, in order: `None` for a
/// missing object. One blob is in memory at a time.
pub fn cat_file_batch(
    mut git: Command,
    extra: &[&str],
    specs: &[&String],
    mut each: impl FnMut(Option<Vec<u8>>) -> Result<()>,
) -> Result<()> {
    if specs.is_empty() {
        return Ok(());
    }
    git.args(["cat-file", "--batch"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = git
        .spawn()
        .context("cannot run git (cat-file); is git installed?")?;
    let mut stdin = child.stdin.take().context("git cat-file stdin")?;
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    // Written from a thread: git answers while we write, and a full pipe
    // on both sides would block both.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().context("git cat-file stdout")?);
    let mut read_all = || -> Result<()> {
        for spec in specs {
            let mut header = Vec::new();
            reader.read_until(b'\n', &mut header)?;
            let header = String::from_utf8_lossy(&header).trim_end().to_owned();
            if header.ends_with(" missing") || header.ends_with(" ambiguous") {
                each(None)?;
                continue;
            }
            // Found: `<oid> <type> <size>`, then the content and a newline.
            let fields: Vec<&str> = header.split(' ').collect();
            match fields.as_slice() {
                [_oid, kind, size] => {
                    let size: usize = size
                        .parse()
                        .with_context(|| format!("git cat-file: bad header `{header}`"))?;
                    let mut body = vec![0; size + 1]; // the content and a newline
                    reader.read_exact(&mut body)?;
                    body.pop();
                    each((*kind == "blob").then_some(body))?;
                }
                _ => bail!("git cat-file: unexpected answer `{header}` for `{spec}`"),
            }
        }
        Ok(())
    };
    if let Err(e) = read_all() {
        // Stopped early (the consumer gave up, or git did): don't leave git behind.
        let _ = child.kill();
        let _ = child.wait();
        let _ = writer.join();
        return Err(e);
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("git cat-file writer panicked"))??;
    let status = child.wait()?;
    if !status.success() {
        bail!("git cat-file --batch failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_with_dotdot() {
        assert_eq!(
            relative_to(Path::new("/a/b/c.md"), Path::new("/a")),
            Path::new("b/c.md")
        );
        assert_eq!(
            relative_to(Path::new("/a/b/c.md"), Path::new("/a/x/y")),
            Path::new("../../b/c.md")
        );
        assert_eq!(
            relative_to(Path::new("/a"), Path::new("/a")),
            Path::new(".")
        );
    }

    #[test]
    fn nul_separated_paths() {
        let v: Vec<PathBuf> = nul_paths(b"a.md\0b c.md\0").collect();
        assert_eq!(v, [PathBuf::from("a.md"), PathBuf::from("b c.md")]);
    }
}
