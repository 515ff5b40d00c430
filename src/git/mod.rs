//! The only place that runs git: one [`Repo`] per work tree, found per file
//! ([`discover`], [`Repos`]), and one way to run git ([`command`]) that keeps
//! git's environment variables for the repository they belong to and clears
//! them for any other.
//!
//! Output is read NUL-separated (`-z`) and paths are passed as bytes with
//! `--literal-pathspecs`, so names with spaces, quotes, glob characters,
//! newlines or non-ASCII letters come through exactly as they are. Every
//! path handed to a [`Repo`] is relative to its top.

pub mod attrs;
pub mod batch;
pub mod config;
pub mod hooks;
pub mod ignored;
pub mod index;
pub mod kind;
pub mod operation;
pub mod session;
pub mod stages;
mod stash;

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::conflict::marker_size::MarkerSize;
use crate::conflict::refine;

pub use config::{config_get, config_set, config_values};
pub use index::{Unmerged, Version};
pub use operation::{Marking, Operation};

/// What went wrong running git, or reading what it answered. Each message is
/// the whole sentence a person reads (a source, when there is one, follows
/// it in `{:#}` chains).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git could not be started.
    #[error("cannot run git (is it installed?)")]
    Spawn(#[source] io::Error),
    /// Waiting for git to finish failed.
    #[error("git did not finish")]
    Wait(#[source] io::Error),
    /// The thread feeding git's stdin panicked.
    #[error("writing to git failed")]
    WriterPanicked,
    /// Feeding git's stdin failed while git went on.
    #[error("cannot write to git")]
    Write(#[source] io::Error),
    /// git ran and said no: the command as run and git's own message.
    #[error("`git {command}` failed: {said}")]
    Failed {
        /// The arguments, space-separated.
        command: String,
        /// What git wrote on stderr, trimmed.
        said: String,
    },
    /// `git merge-file` ended with an error, not a number of conflicts.
    #[error("git merge-file failed: {said}")]
    MergeFile {
        /// What git wrote on stderr, trimmed.
        said: String,
    },
    /// `git merge-file` wrote bytes that are not UTF-8.
    #[error("git merge-file wrote invalid UTF-8")]
    MergeFileUtf8(#[source] std::string::FromUtf8Error),
    /// `git cat-file` could not be started.
    #[error("cannot run git (cat-file); is git installed?")]
    CatFileSpawn(#[source] io::Error),
    /// `git cat-file --batch` answered with a header that is not
    /// `<oid> <type> <size>`.
    #[error("git cat-file: bad header `{header}`")]
    CatFileHeader {
        /// The header line.
        header: String,
        /// Why its size did not read.
        #[source]
        source: std::num::ParseIntError,
    },
    /// `git cat-file --batch` said something it never says, or failed.
    #[error("{0}")]
    CatFile(String),
    /// git's temporary copy of a file could not be read.
    #[error("cannot read git's copy of the base of {}", path.display())]
    TempCopy {
        /// The file whose base it is.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// `git add` failed and the paths are not left unmerged: git's words.
    #[error("`git add` failed: {0}")]
    Add(String),
    /// No repository here and no paths named: nothing to work on.
    #[error(
        "not inside a git repository, and no paths given: name the conflicted files or folders"
    )]
    NoRepository,
    /// Reading from git, or the current folder, failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A scratch folder or file for git could not be made.
    #[error("cannot {what}")]
    Scratch {
        /// What could not be done: `create a folder for git merge-file`.
        what: String,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// This module's results.
type Result<T, E = GitError> = std::result::Result<T, E>;

/// The variables by which git points a command at a repository; they belong
/// to the repository of the current folder and to no other.
const REPO_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_NAMESPACE",
];

/// The options git commands start with (see [`command`]); not shown in
/// messages naming the command.
const SAFE_DISCOVERY: [&str; 2] = ["-c", "safe.bareRepository=explicit"];

/// A `git` command run in `dir`; unless `own_env`, without git's repository
/// variables (see [`REPO_VARIABLES`]).
pub fn command(dir: &Path, own_env: bool) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir);
    // A folder a clone committed can look like a git folder (`HEAD`,
    // `objects/`, `refs/`, a `config` naming a `core.fsmonitor` command);
    // git's discovery would take it for a bare repository and obey its
    // config. So git discovers no bare repository (git 2.38 and later;
    // older ones ignore the key): only a `.git` entry or GIT_DIR names one.
    // Except in the person's own folder outside any work tree, which may
    // be a bare repository of theirs, found as git itself finds it.
    if !own_env || dir.ancestors().any(has_dot_git) {
        c.args(SAFE_DISCOVERY);
    }
    // A process group of its own: Ctrl-C at the terminal reaches frontmerge
    // alone, which stops between files and still runs git to mark what it
    // wrote (see `interrupt`); git never prompts, so it needs no terminal.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    if !own_env {
        for v in REPO_VARIABLES {
            c.env_remove(v);
        }
    }
    c
}

/// The version of the git on PATH, `(major, minor)`, from `git --version`
/// (`git version 2.39.3 (Apple Git-146)` included); `None` when it cannot be told.
pub fn version(dir: &Path) -> Option<(u32, u32)> {
    // No repository is asked, so none of [`command`]'s options: `--version`
    // alone, first, as any wrapper script in front of git expects it.
    let mut c = Command::new("git");
    c.current_dir(dir).arg("--version");
    let out = run(c, None).ok()?;
    parse_version(&String::from_utf8_lossy(&out.stdout))
}

/// `git version 2.44.1` → `(2, 44)`.
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let number = text.trim().strip_prefix("git version ")?;
    let mut parts = number.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Runs `cmd`, feeding `stdin`; the output whatever the exit code.
pub fn run(mut cmd: Command, stdin: Option<&[u8]>) -> Result<Output> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(GitError::Spawn)?;
    let pipe = child.stdin.take();
    // Feed stdin from another thread while this one drains stdout: with
    // thousands of paths both pipes fill up, and one thread would deadlock.
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || match (stdin, pipe) {
            (Some(input), Some(mut pipe)) => pipe.write_all(input),
            _ => Ok(()),
        });
        let out = child.wait_with_output().map_err(GitError::Wait)?;
        match writer.join().map_err(|_| GitError::WriterPanicked)? {
            // Git stopped before reading it all (an index.lock, a bad
            // argument): its status and message say why, not the pipe.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && !out.status.success() => {}
            written => written.map_err(GitError::Write)?,
        }
        Ok(out)
    })
}

/// Runs `cmd` and returns its stdout, or fails with git's own message.
pub fn ok(cmd: Command, stdin: Option<&[u8]>) -> Result<Vec<u8>> {
    ok_codes(cmd, stdin, &[0])
}

/// [`ok`] for a command whose exit `codes` all mean success (`git
/// check-ignore` exits 1 when it matched nothing).
pub fn ok_codes(cmd: Command, stdin: Option<&[u8]>, codes: &[i32]) -> Result<Vec<u8>> {
    let mut shown: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if shown.starts_with(&SAFE_DISCOVERY.map(String::from)) {
        shown.drain(..SAFE_DISCOVERY.len());
    }
    let out = run(cmd, stdin)?;
    if !out.status.code().is_some_and(|c| codes.contains(&c)) {
        return Err(GitError::Failed {
            command: shown.join(" "),
            said: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(out.stdout)
}

/// Paths as NUL-terminated records, the way `--stdin -z` and
/// `--pathspec-file-nul` read them.
pub fn nul_input<P: AsRef<Path>>(paths: &[P]) -> Vec<u8> {
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p.as_ref().as_os_str().as_encoded_bytes());
        input.push(0);
    }
    input
}

/// A path from git's bytes.
pub fn path_from_bytes(b: &[u8]) -> PathBuf {
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

/// The non-empty NUL-separated paths of `-z` output.
pub fn nul_paths(out: &[u8]) -> impl Iterator<Item = PathBuf> + '_ {
    out.split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(path_from_bytes)
}

/// A git work tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    /// The top of the work tree, absolute, as git prints it.
    pub top: PathBuf,
    /// The git folder of this work tree (where `MERGE_HEAD` and friends live).
    pub git_dir: PathBuf,
    /// False for a repository found from another folder than the current
    /// one: git's environment variables (`GIT_INDEX_FILE`, ...) are not its own.
    pub own_env: bool,
    /// `top` with symlinks resolved, once: paths are compared with it for
    /// every file (a `readlink` per component each time, otherwise).
    canon_top: PathBuf,
    /// The configuration a checkout of the stages depends on, read once
    /// (see [`Repo::checkout_attrs`], asked for each batch).
    checkout_config: std::sync::OnceLock<attrs::CheckoutConfig>,
    /// `core.sparseCheckout`, read once (see [`Repo::sparse`]).
    sparse: std::sync::OnceLock<bool>,
}

/// Whether `path` (absolute, symlinks resolved) is a file `repo` tracks:
/// in its index. A path inside the git folder never is.
pub fn is_tracked(repo: &Repo, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(&repo.canon_top) else {
        return false;
    };
    if rel.starts_with(".git") {
        return false;
    }
    let mut c = command(&repo.top, repo.own_env);
    c.args([
        "--literal-pathspecs",
        "ls-files",
        "--error-unmatch",
        "-z",
        "--",
    ])
    .arg(rel);
    run(c, None).is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// The repository whose work tree holds `dir`, or `None` outside one (and
/// in a bare repository). `own_env`: `dir` is the current folder, whose git
/// environment variables then apply (`GIT_DIR`/`GIT_WORK_TREE`, the hook's
/// `GIT_INDEX_FILE`). Fails only when git cannot be run.
pub fn discover(dir: &Path, own_env: bool) -> Result<Option<Repo>> {
    // Asked from the nearest folder holding `.git`: git would stop below
    // it at a committed folder shaped like a git folder, and refuse it
    // (see [`command`]) instead of finding the work tree around it. Where
    // GIT_DIR or GIT_WORK_TREE apply, they name the repository, from `dir`.
    let named = own_env
        && ["GIT_DIR", "GIT_WORK_TREE"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
    let start = match named {
        true => dir,
        false => dir.ancestors().find(|d| has_dot_git(d)).unwrap_or(dir),
    };
    let mut c = command(start, own_env);
    c.args(["rev-parse", "--show-toplevel", "--absolute-git-dir"]);
    let out = run(c, None)?;
    if !out.status.success() {
        return Ok(None);
    }
    // Each answer on its own line; a top folder whose name holds a newline
    // would be cut here, so check it is a folder.
    let mut lines = out
        .stdout
        .strip_suffix(b"\n")
        .unwrap_or(&out.stdout)
        .rsplitn(2, |&b| b == b'\n');
    let (Some(git_dir), Some(top)) = (lines.next(), lines.next()) else {
        return Ok(None);
    };
    let (top, git_dir) = (path_from_bytes(top), path_from_bytes(git_dir));
    if top.as_os_str().is_empty() || !top.is_dir() {
        return Ok(None);
    }
    Ok(Some(Repo {
        canon_top: canonical_lenient(&top),
        top,
        git_dir,
        own_env,
        checkout_config: std::sync::OnceLock::new(),
        sparse: std::sync::OnceLock::new(),
    }))
}

impl Repo {
    /// A git command at the top of the work tree, pathspecs taken literally.
    pub fn git(&self) -> Command {
        let mut c = command(&self.top, self.own_env);
        c.arg("--literal-pathspecs");
        c
    }

    /// True in a sparse checkout (`core.sparseCheckout`): a path outside its
    /// cone is staged only by `git add --sparse`.
    /// Asked once per run: every unmerged file's message wants it, and a
    /// git process per file cost batch `resolve` 1.6x its time.
    pub fn sparse(&self) -> bool {
        *self.sparse.get_or_init(|| {
            let mut c = self.git();
            c.args(["config", "--bool", "--get", "core.sparseCheckout"]);
            run(c, None).is_ok_and(|o| o.stdout.starts_with(b"true"))
        })
    }

    /// `path` (absolute) relative to the work tree's top, when it is inside.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        self.relative_canonical(&canonical_lenient(path))
    }

    /// [`Repo::relative`] of a path already canonical.
    fn relative_canonical(&self, canon: &Path) -> Option<PathBuf> {
        canon
            .strip_prefix(&self.canon_top)
            .ok()
            .map(Path::to_path_buf)
    }
}

/// The repositories met so far, found once per folder: each file is handled
/// with its own (work trees, submodules, files named from outside).
#[derive(Debug)]
pub struct Repos {
    here: Option<usize>,
    /// Every repository found, the current folder's first.
    pub list: Vec<Repo>,
    by_dir: HashMap<PathBuf, Option<usize>>,
    /// Each path's answer: a run asks for the same file several times
    /// (contexts, operation, marking), and each answer costs a `readlink`
    /// per path component.
    by_path: HashMap<PathBuf, Option<(usize, PathBuf)>>,
    /// Folders as given, resolved (see [`Repos::for_file`]).
    canon_dirs: HashMap<PathBuf, PathBuf>,
}

impl Repos {
    /// Starts with the repository of the current folder `cwd`, which keeps
    /// git's environment variables.
    pub fn new(cwd: &Path) -> Result<Repos> {
        let here = discover(cwd, true)?;
        Ok(Repos {
            here: here.as_ref().map(|_| 0),
            list: here.into_iter().collect(),
            by_dir: HashMap::new(),
            canon_dirs: HashMap::new(),
            by_path: HashMap::new(),
        })
    }

    /// The repository of the current folder.
    pub fn here(&self) -> Option<&Repo> {
        self.here.map(|i| &self.list[i])
    }

    /// True when `ri` is the current folder's repository.
    pub fn is_here(&self, ri: usize) -> bool {
        self.here == Some(ri)
    }

    /// The repository holding work-tree file `path` (index into
    /// [`Repos::list`]) and the path inside it; `None` outside any.
    pub fn for_file(&mut self, path: &Path) -> Result<Option<(usize, PathBuf)>> {
        if let Some(known) = self.by_path.get(path) {
            return Ok(known.clone());
        }
        let found = self.find_file(path, true)?;
        self.by_path.insert(path.to_path_buf(), found.clone());
        Ok(found)
    }

    /// [`Repos::for_file`] of a symlink itself, where it stands, not the
    /// file it points to: an unmerged link is the index's own path.
    pub fn for_link_itself(&mut self, path: &Path) -> Result<Option<(usize, PathBuf)>> {
        self.find_file(path, false)
    }

    /// [`Repos::for_file`], looked up; `follow`: a link is where the file it
    /// points to is.
    fn find_file(&mut self, path: &Path, follow: bool) -> Result<Option<(usize, PathBuf)>> {
        // A plain file is where its folder is: one folder resolved for all
        // its files (a walk of thousands); a link is resolved itself.
        let plain =
            !follow || std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink());
        let abs = match (plain, path.parent(), path.file_name()) {
            (true, Some(parent), Some(name)) => {
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                match self.canon_dirs.get(parent) {
                    Some(c) => c.join(name),
                    None => {
                        let c = canonical_lenient(parent);
                        self.canon_dirs.insert(parent.to_path_buf(), c.clone());
                        c.join(name)
                    }
                }
            }
            _ => canonical_lenient(path),
        };
        let dir = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
        let idx = match self.by_dir.get(&dir) {
            Some(i) => *i,
            None => {
                // A folder under a repository already found, with no `.git`
                // between it and that repository's top, is that repository:
                // [`discover`] walks up the same way. Saves a `git rev-parse`
                // per folder of a site.
                let known =
                    (0..self.list.len()).find(|&i| plainly_inside(&dir, &self.list[i].canon_top));
                if let Some(i) = known {
                    self.by_dir.insert(dir, Some(i));
                    return Ok(self.list[i].relative_canonical(&abs).map(|rel| (i, rel)));
                }
                let found = if dir.is_dir() {
                    discover(&dir, false)?
                } else {
                    None
                };
                let here = self.here().filter(|h| h.relative_canonical(&abs).is_some());
                // The current repository (with GIT_DIR/GIT_WORK_TREE, or the
                // hook's GIT_INDEX_FILE) owns its files unless a repository
                // nested inside it (a submodule) holds them.
                let found = match (found, here) {
                    (Some(f), Some(h))
                        if f.canon_top.starts_with(&h.canon_top) && f.canon_top != h.canon_top =>
                    {
                        Some(f)
                    }
                    (_, Some(h)) => Some(h.clone()),
                    (f, None) => f,
                };
                let i = found.map(|r| match self.list.iter().position(|k| k.top == r.top) {
                    Some(i) => i,
                    None => {
                        self.list.push(r);
                        self.list.len() - 1
                    }
                });
                self.by_dir.insert(dir, i);
                i
            }
        };
        Ok(idx.and_then(|i| self.list[i].relative_canonical(&abs).map(|rel| (i, rel))))
    }
}

/// True when `dir` is `top` or below it with no folder on the way (`dir`
/// included, `top` excluded) holding `.git`: a nested repository (a
/// submodule, a clone inside) always has one, and git never lets a commit
/// add it. A folder merely shaped like a git folder (`HEAD`, `objects`,
/// `refs`) is content, not a repository (see [`command`]).
fn plainly_inside(dir: &Path, top: &Path) -> bool {
    if !dir.starts_with(top) {
        return false;
    }
    dir.ancestors()
        .take_while(|d| *d != top)
        .all(|d| d.is_dir() && !has_dot_git(d))
}

/// Whether folder `d` holds a `.git` entry (a folder, a file, a link).
fn has_dot_git(d: &Path) -> bool {
    d.join(".git").symlink_metadata().is_ok()
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
    // Its folder resolved, not the name itself: a symlink stays the link,
    // never the file it points to (which may lie outside the work tree).
    let path = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical_lenient(parent).join(name)
        }
        _ => canonical_lenient(path),
    };
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

/// `git merge-file`: git's own line merge of `current` (overwritten), `base`
/// and `other`, with labels in that order, aligned with the histogram diff
/// as git's merges align (where this git's `merge-file` takes the option):
/// what `git merge` would have written had no driver run. (One difference
/// stays, git's to keep: `merge-file` also joins conflicts that only
/// punctuation or blank lines part, `git merge` only those three lines or
/// fewer apart.) Returns git's exit code (the number of conflicts,
/// negative on error) and what git wrote on stderr (its words name files:
/// the caller shows them as any text from a repository).
pub fn merge_file(
    cwd: &Path,
    labels: [&str; 3],
    marker_size: MarkerSize,
    files: [&Path; 3],
) -> Result<(i32, String)> {
    let attempt = |histogram: bool| {
        let mut c = command(cwd, true);
        c.arg("merge-file");
        if histogram {
            c.arg("--diff-algorithm=histogram");
        }
        for l in &labels {
            c.args(["-L", l]);
        }
        c.arg(format!("--marker-size={marker_size}"));
        c.args(files);
        run(c, None)
    };
    let out = histogram_or_older(attempt)?;
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok((out.status.code().unwrap_or(-1), said))
}

/// Line merges remembered while a [`LineMergeMemo`] lives: the whole
/// input is the key, git's answer the value.
struct LineMerges {
    /// Live guards; the answers are dropped with the last.
    users: usize,
    answers: HashMap<Vec<u8>, (Vec<u8>, usize)>,
}

static LINE_MERGES: std::sync::Mutex<Option<LineMerges>> = std::sync::Mutex::new(None);

/// While one lives, [`merge_file_texts`] answers a repeated question from
/// memory instead of starting git again: `learn` replays the same three
/// versions of each past conflict under every candidate rule, and git's
/// line merge of them does not depend on the rules. Dropping the last guard
/// forgets every answer.
#[derive(Debug)]
#[must_use = "line merges are remembered only while the guard lives"]
pub struct LineMergeMemo(());

/// Starts remembering line merges (see [`LineMergeMemo`]).
pub fn remember_line_merges() -> LineMergeMemo {
    let mut m = LINE_MERGES.lock().unwrap_or_else(|e| e.into_inner());
    m.get_or_insert_with(|| LineMerges {
        users: 0,
        answers: HashMap::new(),
    })
    .users += 1;
    LineMergeMemo(())
}

impl Drop for LineMergeMemo {
    fn drop(&mut self) {
        let mut m = LINE_MERGES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lm) = m.as_mut() {
            lm.users -= 1;
            if lm.users == 0 {
                *m = None;
            }
        }
    }
}

/// The memo's key: every input, each with its length before it.
fn line_merge_key(texts: [&[u8]; 3], labels: [&str; 3], marker_size: MarkerSize) -> Vec<u8> {
    let parts = texts.into_iter().chain(labels.map(str::as_bytes));
    let mut key = Vec::with_capacity(texts.iter().map(|t| t.len() + 8).sum::<usize>() + 64);
    key.extend((marker_size.get() as u64).to_le_bytes());
    for p in parts {
        key.extend((p.len() as u64).to_le_bytes());
        key.extend(p);
    }
    key
}

/// git's line merge of three versions in diff3 style, with labels, at a
/// marker size longer than any run of marker characters in them (and at
/// least `size`): `(text, marker size, conflicts)`.
pub fn line_merge(
    versions: [&str; 3],
    labels: [&str; 3],
    size: MarkerSize,
) -> Result<(String, MarkerSize, usize)> {
    let size = crate::conflict::scan::unambiguous_marker_size(&versions, size);
    let (merged, conflicts) = merge_file_texts(versions.map(str::as_bytes), labels, size)?;
    let merged = String::from_utf8(merged).map_err(GitError::MergeFileUtf8)?;
    Ok((merged, size, conflicts))
}

/// `git merge-file -p --diff3` over three texts held in memory (current,
/// base, other, labelled in that order): git's own line merge, as git
/// writes it, with the base section in every conflict. Returns the merged
/// bytes and the number of conflicts git reported. While a
/// [`LineMergeMemo`] lives, a repeated question is answered from memory.
pub fn merge_file_texts(
    texts: [&[u8]; 3],
    labels: [&str; 3],
    marker_size: MarkerSize,
) -> Result<(Vec<u8>, usize)> {
    let remembering = LINE_MERGES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_some();
    if !remembering {
        return run_merge_file(texts, labels, marker_size);
    }
    let key = line_merge_key(texts, labels, marker_size);
    let known = |m: &Option<LineMerges>| m.as_ref().and_then(|lm| lm.answers.get(&key).cloned());
    if let Some(answer) = known(&LINE_MERGES.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(answer);
    }
    let answer = run_merge_file(texts, labels, marker_size)?;
    if let Some(lm) = LINE_MERGES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_mut()
    {
        lm.answers.insert(key, answer.clone());
    }
    Ok(answer)
}

fn run_merge_file(
    texts: [&[u8]; 3],
    labels: [&str; 3],
    marker_size: MarkerSize,
) -> Result<(Vec<u8>, usize)> {
    merge_file_in(texts, labels, marker_size, Some(false))
}

/// Whether this git's `merge-file` takes `--diff-algorithm` (2.44 and
/// later); turned off at the first refusal.
static HISTOGRAM: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Runs a `git merge-file` (`attempt(histogram)`) aligned with the histogram
/// diff, as git's merges align; where this git refuses the option (before
/// 2.44: exit 129, before reading a file), again with its own (Myers)
/// alignment, and without the option from then on.
fn histogram_or_older(
    attempt: impl Fn(bool) -> Result<std::process::Output>,
) -> Result<std::process::Output> {
    use std::sync::atomic::Ordering;
    let histogram = HISTOGRAM.load(Ordering::Relaxed);
    let out = attempt(histogram)?;
    if histogram && out.status.code() == Some(129) {
        HISTOGRAM.store(false, Ordering::Relaxed);
        return attempt(false);
    }
    Ok(out)
}

/// A private temporary folder for git's scratch files (versions for `git
/// merge-file`, a scratch work tree): in memory (`/dev/shm`) where the
/// system has it, since creating thousands of small files on a disk costs
/// more than the merges themselves; else the system's temporary folder.
/// A `TMPDIR` the person set is theirs: it is used as it is. Removed when
/// dropped, or by a stop at once ([`crate::files::in_flight`]).
pub fn scratch_dir(prefix: &str) -> std::io::Result<Scratch> {
    let shm = Path::new("/dev/shm");
    let made = |make: &dyn Fn() -> std::io::Result<tempfile::TempDir>| {
        let (dir, _listed) = crate::files::in_flight::made(make, |d| d.path())?;
        Ok(Scratch { dir, _listed })
    };
    if cfg!(target_os = "linux") && std::env::var_os("TMPDIR").is_none() && shm.is_dir() {
        if let Ok(d) = made(&|| tempfile::Builder::new().prefix(prefix).tempdir_in(shm)) {
            return Ok(d);
        }
    }
    made(&|| tempfile::Builder::new().prefix(prefix).tempdir())
}

/// A scratch folder of [`scratch_dir`]: removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    // Declared first, dropped first: the folder goes, then its listing.
    dir: tempfile::TempDir,
    _listed: crate::files::in_flight::Listed,
}

impl Scratch {
    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// `git merge-file -p`, in diff3 style or git's default one, aligned with
/// the histogram diff as git's merges (`ort`) align them: the same hunks a
/// `git merge` or `git stash pop` would write.
/// `base`: `None` no base sections, `Some(false)` diff3's, `Some(true)`
/// zdiff3's (lines both sides share moved out of the conflict).
fn merge_file_in(
    texts: [&[u8]; 3],
    labels: [&str; 3],
    marker_size: MarkerSize,
    base: Option<bool>,
) -> Result<(Vec<u8>, usize)> {
    let dir = scratch_dir("frontmerge-merge-file-").map_err(|source| GitError::Scratch {
        what: "create a folder for git merge-file".into(),
        source,
    })?;
    let names = ["current", "base", "other"];
    for (name, text) in names.iter().zip(texts) {
        std::fs::write(dir.path().join(name), text).map_err(|source| GitError::Scratch {
            what: format!("write the {name} version for git merge-file"),
            source,
        })?;
    }
    let attempt = |histogram: bool| {
        let mut c = command(dir.path(), false);
        c.args(["merge-file", "-p"]);
        match base {
            Some(false) => _ = c.arg("--diff3"),
            Some(true) => _ = c.arg("--zdiff3"),
            None => {}
        }
        if histogram {
            c.arg("--diff-algorithm=histogram");
        }
        c.arg(format!("--marker-size={marker_size}"));
        for l in &labels {
            c.args(["-L", l]);
        }
        c.args(names);
        run(c, None)
    };
    let out = histogram_or_older(attempt)?;
    // 0..=127: the number of conflicts (capped by git); above: an error.
    match out.status.code() {
        Some(n @ 0..=127) => Ok((out.stdout, n as usize)),
        _ => Err(GitError::MergeFile {
            said: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
    }
}

/// git's line merge placing conflict markers between three texts that
/// differ only where a person has something to decide (the renderings of a
/// merged frontmatter with each open value from ours, theirs, the base):
/// git's own hunks, in diff3 style when `diff3`. `None` when git cannot run.
pub fn conflict_lines(
    texts: [&str; 3],
    labels: [&str; 3],
    marker_size: MarkerSize,
    diff3: bool,
) -> Option<String> {
    // Always diff3's hunks: the default style's come from them refined,
    // then joined where three lines or fewer apart, which would span lines
    // the engine merged (see `conflict::refine`).
    let (out, _) =
        merge_file_in(texts.map(str::as_bytes), labels, marker_size, Some(false)).ok()?;
    let out = String::from_utf8(out).ok()?;
    let ends = |out: String| refine::ends_as_sides(out, texts[0], texts[2], marker_size);
    let eof = [texts[0], texts[2]].map(refine::lacks_final_newline);
    if diff3 {
        // Where both sides put lines in (an empty base section), git's
        // alignment of the renderings may leave lines they share inside.
        return Some(ends(
            refine::both_added(&out, marker_size, eof).unwrap_or(out),
        ));
    }
    match refine::two_way(&out, marker_size, eof) {
        Some(two_way) => Some(ends(two_way)),
        None => {
            let (out, _) =
                merge_file_in(texts.map(str::as_bytes), labels, marker_size, None).ok()?;
            String::from_utf8(out).ok()
        }
    }
}

/// [`conflict_lines`] in zdiff3 style where base sections are asked for
/// (`merge.conflictStyle = zdiff3`): lines both sides share at a
/// conflict's edges stand outside it, as git writes them.
pub fn conflict_lines_zealous(
    texts: [&str; 3],
    labels: [&str; 3],
    marker_size: MarkerSize,
    diff3: bool,
) -> Option<String> {
    if !diff3 {
        return conflict_lines(texts, labels, marker_size, false);
    }
    let (out, _) = merge_file_in(texts.map(str::as_bytes), labels, marker_size, Some(true)).ok()?;
    String::from_utf8(out).ok()
}

/// The line merger for the repository at `dir`: zdiff3's where
/// `merge.conflictStyle` says so.
pub fn line_merger_for(dir: &Path) -> fn([&str; 3], [&str; 3], MarkerSize, bool) -> Option<String> {
    match config_get(dir, false, "merge.conflictStyle").as_deref() {
        Some("zdiff3") => conflict_lines_zealous,
        _ => conflict_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_versions_are_read() {
        assert_eq!(parse_version("git version 2.47.3\n"), Some((2, 47)));
        assert_eq!(
            parse_version("git version 2.39.3 (Apple Git-146)"),
            Some((2, 39))
        );
        assert_eq!(parse_version("git version 2.44.0.windows.1"), Some((2, 44)));
        assert_eq!(parse_version("not git"), None);
    }

    fn remembered(texts: [&[u8]; 3], labels: [&str; 3], size: MarkerSize) -> bool {
        let key = line_merge_key(texts, labels, size);
        LINE_MERGES
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|lm| lm.answers.contains_key(&key))
    }

    #[test]
    fn line_merges_are_remembered_while_a_guard_lives() {
        // A text of its own: other tests may remember line merges meanwhile.
        let texts: [&[u8]; 3] = [b"a\nmemo-ours\n", b"a\nmemo\n", b"a\nmemo-theirs\n"];
        let labels = ["ours", "base", "theirs"];
        let plain = merge_file_texts(texts, labels, MarkerSize::DEFAULT).unwrap();
        assert_eq!(plain.1, 1);
        assert!(!remembered(texts, labels, MarkerSize::DEFAULT));
        let guard = remember_line_merges();
        assert_eq!(
            merge_file_texts(texts, labels, MarkerSize::DEFAULT).unwrap(),
            plain
        );
        assert!(remembered(texts, labels, MarkerSize::DEFAULT));
        // Another marker size or label is another question.
        assert!(!remembered(
            texts,
            ["ours", "base", "other"],
            MarkerSize::DEFAULT
        ));
        assert!(!remembered(texts, labels, MarkerSize::new(8).unwrap()));
        assert_eq!(
            merge_file_texts(texts, labels, MarkerSize::DEFAULT).unwrap(),
            plain
        );
        drop(guard);
        assert!(
            !remembered(texts, labels, MarkerSize::DEFAULT)
                || LINE_MERGES.lock().unwrap().is_some()
        );
    }

    #[test]
    fn a_folder_is_plainly_inside_a_repository_until_git_would_stop() {
        let t = tempfile::tempdir().unwrap();
        let top = t.path().canonicalize().unwrap();
        let deep = top.join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        assert!(plainly_inside(&top, &top));
        assert!(plainly_inside(&deep, &top));
        assert!(!plainly_inside(&top, &deep), "above the top");
        assert!(
            !plainly_inside(&top.join("a/missing"), &top),
            "no such folder"
        );
        // A submodule's `.git` file in between: git stops there.
        std::fs::write(top.join("a/b/.git"), "gitdir: ../../.git/modules/b\n").unwrap();
        assert!(!plainly_inside(&deep, &top));
        assert!(plainly_inside(&top.join("a"), &top));
        std::fs::remove_file(top.join("a/b/.git")).unwrap();
        // A folder shaped like a git folder, with no `.git`: content a
        // clone can commit, never a repository of its own.
        std::fs::write(deep.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::create_dir(deep.join("objects")).unwrap();
        std::fs::create_dir(deep.join("refs")).unwrap();
        assert!(plainly_inside(&deep, &top));
    }

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

    #[test]
    fn many_paths_through_stdin_do_not_deadlock() {
        let dir = tempfile::tempdir().unwrap();
        let ok = command(dir.path(), false)
            .args(["init", "-q"])
            .status()
            .unwrap();
        assert!(ok.success());
        let repo = discover(dir.path(), false).unwrap().expect("a repository");
        let paths: Vec<PathBuf> = (0..20_000)
            .map(|i| PathBuf::from(format!("folder with spaces/article {i}.md")))
            .collect();
        let sizes = repo.marker_sizes(&paths, false).unwrap();
        assert_eq!(sizes.len(), paths.len());
        assert!(sizes.iter().all(|s| s.is_none()));
    }
}
