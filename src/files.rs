//! The file edge: finding Markdown files, reading them, writing atomically.
//!
//! Writes go to a temporary file in the target's own folder, which is then
//! renamed over the target: a reader sees the old or the new content, never a
//! mix. A symlink is written through (its target is replaced, the link kept),
//! permissions and owner are kept, and a file that changed since it was read
//! is refused. Reads are bounded by [`MAX_FILE_SIZE`] and [`MAX_LINES`].
//!
//! A repository's content is not trusted to choose what else is read or
//! written: folder walks follow a symlink only to a target inside the same
//! work tree (or under the folder named), not hidden there and not a file
//! git ignores ([`links_to_skip`]: git, asked by the caller, says which),
//! and files a command finds in the repository to write (`.frontmerge.toml`,
//! `.gitattributes`) are written only as regular files, never through a
//! symlink ([`own_file`]).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What went wrong reading or writing a file. Each message is the sentence
/// a person reads, naming the file; an I/O failure's reason follows it in
/// `{:#}` chains.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// An I/O call failed: what was being done (`cannot read a.md`).
    #[error("{doing}")]
    Io {
        /// What was being done, with the path.
        doing: String,
        /// The system's reason.
        #[source]
        source: io::Error,
    },
    /// An I/O call failed, and the system's reason says it all.
    #[error(transparent)]
    Os(#[from] io::Error),
    /// Over [`MAX_FILE_SIZE`] bytes or [`MAX_LINES`] lines.
    #[error(transparent)]
    OverLimit(#[from] OverLimit),
    /// The file is left as it is, for the reason given (not a regular file,
    /// read-only, changed by another process…).
    #[error("{0}")]
    Refused(String),
}

/// This module's results.
type Result<T, E = FileError> = std::result::Result<T, E>;

/// An I/O result, said in a person's words on failure.
trait Doing<T> {
    /// The error says `doing` (the path in it), the system's reason after it.
    fn doing(self, doing: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Doing<T> for io::Result<T> {
    fn doing(self, doing: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| FileError::Io {
            doing: doing(),
            source,
        })
    }
}

/// Refuses with `message` (a [`FileError::Refused`]).
macro_rules! refuse {
    ($($arg:tt)*) => {
        return Err(FileError::Refused(format!($($arg)*)))
    };
}

/// Extensions of the files frontmerge walks into.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "mdx", "markdown"];

/// Files larger than this are refused rather than read (see docs/guarantees.md).
///
/// Articles are kilobytes; peak memory is about 4-5 times the file size, so
/// 16 MiB keeps a run under ~100 MB and well under a second (release build).
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Files with more lines than this are refused rather than processed: memory
/// for line diffs grows with the line count (~28 bytes a line), not the size.
pub const MAX_LINES: usize = 1_000_000;

/// True for `*.md`, `*.mdx`, `*.markdown`.
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        MARKDOWN_EXTENSIONS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(e))
    })
}

/// One path the user named, or found below a folder they named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The path as shown to the user.
    pub path: PathBuf,
    /// The file itself (symlinks resolved) when a walk reached it through
    /// a symlink inside a work tree, which git may ignore (see
    /// [`links_to_skip`]); `None` for a path named or walked to plainly.
    pub real: Option<PathBuf>,
}

/// What a walk left out, by reason, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Hidden folders and Markdown files (name starting with `.`; `.git` is
    /// not counted), as shown.
    pub hidden: Vec<PathBuf>,
    /// Git-ignored folders and Markdown files (`.gitignore`, `.ignore`,
    /// `.git/info/exclude`, the global excludes file), as shown.
    pub ignored: Vec<PathBuf>,
    /// Symlinks that lead back into themselves or a folder above them.
    pub cycles: Vec<PathBuf>,
    /// Symlinks to nothing, and entries that could not be read.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Symlinks whose target is outside the work tree and the folder named,
    /// or hidden there (see [`link_away`]): a clone's links do not choose
    /// what else is read or written.
    pub outside: Vec<PathBuf>,
    /// Symlinks whose target is a file git ignores, or whose target git
    /// could not be asked about (see [`links_to_skip`]).
    pub ignored_links: Vec<PathBuf>,
    /// Markdown names that are no regular file: a FIFO, a socket, a device
    /// (reading one could block or never end).
    pub not_files: Vec<PathBuf>,
    /// Paths that reach a file already taken through another path.
    pub duplicates: usize,
    /// What was skipped with a warning, in the order found: the path as
    /// shown and why (`cli` says `warning: PATH: WHY; skipped`).
    pub warnings: Vec<(PathBuf, String)>,
}

impl Skipped {
    /// Records a symlink found in the repository (not named by the person)
    /// that is not followed, with a warning saying `why` (see [`link_away`]).
    pub fn away_link(&mut self, path: &Path, why: &str) {
        self.warn(path, why);
        self.outside.push(path.to_path_buf());
    }

    /// Records a symlink found in the repository (not named by the person)
    /// whose target git ignores, with a warning saying `why`.
    pub fn ignored_link(&mut self, path: &Path, why: &str) {
        self.warn(path, why);
        self.ignored_links.push(path.to_path_buf());
    }

    /// Records the warning that `path` was skipped, and why.
    fn warn(&mut self, path: &Path, why: &str) {
        self.warnings
            .push((shown(path).to_path_buf(), why.to_owned()));
    }

    /// The warnings recorded since the last call, in order.
    pub fn take_warnings(&mut self) -> Vec<(PathBuf, String)> {
        std::mem::take(&mut self.warnings)
    }

    /// How many entries were skipped in all.
    pub fn total(&self) -> usize {
        self.hidden.len()
            + self.ignored.len()
            + self.cycles.len()
            + self.unreadable.len()
            + self.outside.len()
            + self.ignored_links.len()
            + self.not_files.len()
            + self.duplicates
    }
}

/// Expands the user's paths: files as given (any extension), folders walked
/// for Markdown files (see [`expand_counting`], asking nothing of git).
/// Paths that do not exist are returned as errors, in order, without
/// stopping the others.
pub fn expand(paths: &[PathBuf]) -> (Vec<Found>, Vec<(PathBuf, String)>) {
    let (found, errors, _) = expand_counting(paths, |targets| vec![None; targets.len()]);
    (found, errors)
}

/// Asked once, with the files that symlinks found in a repository lead to
/// (symlinks resolved): for each, why its link is not followed (git ignores
/// the file), or `None` to follow it. This module runs no git: the caller
/// asks it.
pub trait Vetting: FnOnce(&[PathBuf]) -> Vec<Option<String>> {}

impl<F: FnOnce(&[PathBuf]) -> Vec<Option<String>>> Vetting for F {}

/// [`expand`], also saying what the walks skipped. Folders are walked as
/// ripgrep does (hidden entries, `.git` and git-ignored ones skipped);
/// symlinks are followed, so a linked article is taken through its target,
/// once: the same file reached twice (two links, or a link and the file) is
/// kept at its first path. A symlink cycle is skipped and named, and so is
/// a symlink whose target is outside both the folder walked and the work
/// tree holding it, and one whose target `ignored` says git ignores (asked
/// once, before duplicates are told, so that a file also reached by its own
/// path keeps it). Paths named themselves are taken as they are: the person
/// chose them.
pub fn expand_counting(
    paths: &[PathBuf],
    ignored: impl Vetting,
) -> (Vec<Found>, Vec<(PathBuf, String)>, Skipped) {
    let mut taken = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Skipped::default();
    for p in paths {
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = walk(p, &mut skipped);
                found.sort_by(|a, b| a.path.cmp(&b.path));
                taken.extend(found);
            }
            Ok(_) => taken.push(Found {
                path: p.clone(),
                real: None,
            }),
            Err(e) => {
                let why = match fs::symlink_metadata(p) {
                    Ok(m) if m.file_type().is_symlink() => format!("broken symlink: {e}"),
                    _ => e.to_string(),
                };
                errors.push((p.clone(), why));
            }
        }
    }
    let links: Vec<(PathBuf, PathBuf)> = taken
        .iter()
        .filter_map(|f| Some((f.path.clone(), f.real.clone()?)))
        .collect();
    let left_out = links_to_skip(&links, &mut skipped, ignored);
    let mut seen = Seen::default();
    let mut out = Vec::new();
    for f in taken.into_iter().filter(|f| !left_out.contains(&f.path)) {
        if seen.first(&f.path) {
            out.push(f);
        } else {
            skipped.duplicates += 1;
        }
    }
    (out, errors, skipped)
}

/// Which of `links` (each a path as shown and the file it leads to) are
/// not followed, each recorded in `skipped` with why `ignored` gives.
/// `ignored` is asked once, with every target, and not at all when there
/// is no link: a run without symlinks runs no git for them.
pub fn links_to_skip(
    links: &[(PathBuf, PathBuf)],
    skipped: &mut Skipped,
    ignored: impl Vetting,
) -> HashSet<PathBuf> {
    let mut out = HashSet::new();
    if links.is_empty() {
        return out;
    }
    let targets: Vec<PathBuf> = links.iter().map(|(_, t)| t.clone()).collect();
    let answers = ignored(&targets);
    for (i, (path, _)) in links.iter().enumerate() {
        // An answer missing is no answer: not followed.
        let why = match answers.get(i) {
            Some(why) => why.clone(),
            None => Some(NOT_TOLD.to_owned()),
        };
        if let Some(why) = why {
            skipped.ignored_link(path, &why);
            out.insert(path.clone());
        }
    }
    out
}

/// Why a link is not followed when nothing said whether git ignores its
/// target.
const NOT_TOLD: &str = "a symlink whose target git was not asked about";

/// The files a walk took, to take each once however reached.
#[derive(Default)]
struct Seen(HashMap<(u64, u64), PathBuf>);

impl Seen {
    /// Whether `p` is a file not taken yet. The same file is the same
    /// device and inode, however reached: one `stat`, where resolving the
    /// path costs one per component. An inode is only the same file while
    /// the path taken first still has it: another process writing the
    /// folder meanwhile (another `resolve` replacing files by renames) frees
    /// inodes that new files then get, and a new file is no duplicate.
    fn first(&mut self, p: &Path) -> bool {
        let id = |p: &Path| fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        let Some(key) = id(p) else {
            return true;
        };
        match self.0.get(&key) {
            Some(taken) if id(taken) == Some(key) => false,
            _ => {
                self.0.insert(key, p.to_path_buf());
                true
            }
        }
    }
}

/// Links a walk leaves out, noted while it walks (from its threads).
type Noted = Arc<Mutex<Vec<PathBuf>>>;

/// Links a walk follows inside a work tree, each with its target (resolved).
type Followed = Arc<Mutex<Vec<(PathBuf, PathBuf)>>>;

/// [`Noted`], each with why.
type NotedWhy = Arc<Mutex<Vec<(PathBuf, &'static str)>>>;

/// Why a link leading to `target` (canonical) is not followed from the
/// folder `root` walked (canonical) in the work tree `top`: the target is
/// outside both, or hidden below the one holding it (a name starting with
/// `.`: `.git/config`, a git-ignored `.env` of the person's), which a walk
/// itself skips. A clone's link does not choose what else is read, quoted
/// in an error or rewritten.
fn away(target: &Path, root: &Path, top: Option<&Path>) -> Option<&'static str> {
    let within = [Some(root), top]
        .into_iter()
        .flatten()
        .find(|d| target.starts_with(d));
    let Some(within) = within else {
        return Some("a symlink to outside the work tree");
    };
    let hidden = target
        .strip_prefix(within)
        .ok()?
        .components()
        .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
    hidden.then_some(
        "a symlink to a hidden file or folder of the work tree (such as .git or .env, which walks skip)",
    )
}

/// The Markdown files below `root`, symlinks followed, recording in
/// `skipped` the cycles, unreadable entries, hidden and ignored ones. A
/// file reached through a symlink inside a work tree says its real path.
fn walk(root: &Path, skipped: &mut Skipped) -> Vec<Found> {
    let mut files = Vec::new();
    let mut dirs = HashSet::new();
    let (above, outside, followed) = (Noted::default(), NotedWhy::default(), Followed::default());
    for entry in walker(root, &above, &outside, &followed) {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) => {
                dirs.insert(e.into_path());
            }
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_markdown(e.path()) => {
                files.push(e.into_path());
            }
            // A FIFO, socket or device with an article's name: said, not read.
            Ok(e) if is_markdown(e.path()) && e.file_type().is_some_and(|t| !t.is_symlink()) => {
                let what = e.file_type().map_or("not a regular file", special_kind);
                skipped.warn(e.path(), &format!("{what}, not a regular file"));
                skipped.not_files.push(e.into_path());
            }
            Ok(_) => {}
            Err(err) => unreadable(root, &err, skipped),
        }
    }
    for path in above.lock().map(|v| v.clone()).unwrap_or_default() {
        skipped.warn(&path, "symlink cycle");
        skipped.cycles.push(path);
    }
    let mut away = outside.lock().map(|v| v.clone()).unwrap_or_default();
    away.sort();
    for (path, why) in &away {
        skipped.warn(path, why);
    }
    let outside: Vec<PathBuf> = away.into_iter().map(|(p, _)| p).collect();
    let cycles: HashSet<PathBuf> = skipped.cycles.iter().chain(&outside).cloned().collect();
    let (hidden, ignored) = filtered_out(&dirs, &files, &cycles);
    skipped.hidden.extend(hidden);
    skipped.ignored.extend(ignored);
    skipped.outside.extend(outside);
    let links = followed.lock().map(|v| v.clone()).unwrap_or_default();
    files
        .into_iter()
        .map(|path| Found {
            real: through_link(&path, &links),
            path,
        })
        .collect()
}

/// The real path of `path` when it is, or lies below, one of `links` (each
/// a symlink walked and its target, resolved): the innermost link's target
/// and the rest of the path below it, which holds no link (it would be an
/// inner link of `links`).
fn through_link(path: &Path, links: &[(PathBuf, PathBuf)]) -> Option<PathBuf> {
    links
        .iter()
        .filter_map(|(link, target)| Some((link, target, path.strip_prefix(link).ok()?)))
        .max_by_key(|(link, _, _)| link.components().count())
        .map(|(_, target, below)| match below.as_os_str().is_empty() {
            true => target.clone(),
            false => target.join(below),
        })
}

/// What a file type that is neither folder nor regular file is: `a FIFO`.
fn special_kind(t: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// The walk below `root`, symlinks followed but for a linked folder that
/// holds the root (noted in `above`: a cycle that ignore sees only one turn
/// later, after walking the files above the root) and a link leading out of
/// the root and of its work tree (noted in `outside` when it leads to a
/// folder or an article). A link followed in a work tree is noted in
/// `followed`, for git to say whether it ignores the target.
fn walker(root: &Path, above: &Noted, outside: &NotedWhy, followed: &Followed) -> ignore::Walk {
    let canonical_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let top = work_tree_of(&canonical_root);
    let (seen_above, seen_outside) = (Arc::clone(above), Arc::clone(outside));
    let seen_followed = Arc::clone(followed);
    ignore::WalkBuilder::new(root)
        .follow_links(true)
        .filter_entry(move |e| {
            if !e.path_is_symlink() {
                return true;
            }
            let target = fs::canonicalize(e.path());
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let holds_root = is_dir && target.as_ref().is_ok_and(|c| canonical_root.starts_with(c));
            if holds_root {
                if let Ok(mut v) = seen_above.lock() {
                    v.push(e.path().to_path_buf());
                }
                return false;
            }
            // A broken link is left to the walk, which names it unreadable.
            let Ok(target) = target else { return true };
            let why = away(&target, &canonical_root, top.as_deref());
            let counts = is_dir || is_markdown(e.path());
            if let (Some(why), true) = (why, counts) {
                if let Ok(mut v) = seen_outside.lock() {
                    v.push((e.path().to_path_buf(), why));
                }
            }
            // Outside a git repository nothing is ignored by git: the link
            // is followed as the walk finds it (under the folder named).
            if let (None, true, Some(_)) = (why, counts, &top) {
                if let Ok(mut v) = seen_followed.lock() {
                    v.push((e.path().to_path_buf(), target));
                }
            }
            why.is_none()
        })
        .build()
}

/// Records an entry the walk of `root` could not read: a symlink cycle, or
/// unreadable with the reason. Named here, once; the summary counts them.
fn unreadable(root: &Path, err: &ignore::Error, skipped: &mut Skipped) {
    let (path, is_loop) = walk_error_path(err);
    let path = path.unwrap_or_else(|| root.to_path_buf());
    if is_loop {
        skipped.warn(&path, "symlink cycle");
        skipped.cycles.push(path);
    } else {
        let why = match fs::metadata(&path) {
            Err(e) => e.to_string(),
            Ok(_) => err.to_string(),
        };
        skipped.warn(&path, &why);
        skipped.unreadable.push((path, why));
    }
}

/// What the walk filtered out of the folders `dirs` it entered, hidden
/// (`.name`) and ignored (`.gitignore` and the like), each sorted: ignore
/// does not say, so the entries it did not give (and are not `cycles` or
/// links leading outside) were filtered. Folders, and articles beside the
/// `files` it gave; `.git` is no news.
fn filtered_out(
    dirs: &HashSet<PathBuf>,
    files: &[PathBuf],
    cycles: &HashSet<PathBuf>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let taken: HashSet<&PathBuf> = files.iter().collect();
    let mut hidden = Vec::new();
    let mut ignored = Vec::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = dir.join(entry.file_name());
            // The folder listing's own type: a `stat` only for a link.
            let kind = match entry.file_type() {
                Ok(t) if t.is_symlink() => fs::metadata(&path).map(|m| m.file_type()),
                other => other,
            };
            let Ok(kind) = kind else {
                continue;
            };
            let left_out = if kind.is_dir() {
                !dirs.contains(&path) && !cycles.contains(&path)
            } else {
                kind.is_file()
                    && is_markdown(&path)
                    && !taken.contains(&path)
                    && !cycles.contains(&path)
            };
            let name = entry.file_name();
            if !left_out || name == ".git" {
                continue;
            }
            if name.as_encoded_bytes().starts_with(b".") {
                hidden.push(path);
            } else {
                ignored.push(path);
            }
        }
    }
    hidden.sort();
    ignored.sort();
    (hidden, ignored)
}

/// The top of the git work tree holding `dir` (canonical): the nearest
/// folder, from `dir` up, with a `.git` entry. Found without running git,
/// as walks need it before any repository is opened; `None` outside one,
/// and then a walk stays under its own folder.
pub fn work_tree_of(dir: &Path) -> Option<PathBuf> {
    let dir = fs::canonicalize(dir).ok()?;
    dir.ancestors()
        .find(|d| fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// Why `path`, a file git tracks in the work tree `top`, is a symlink not
/// to follow: its target is outside `top` or hidden in it (see [`away`];
/// git tracks no path through a linked folder, so only the file itself can
/// be a link). `None` for a plain file (one `lstat`) or a link to an
/// article of the work tree.
pub fn link_away(path: &Path, top: &Path) -> Option<&'static str> {
    let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !link {
        return None;
    }
    match (fs::canonicalize(path), fs::canonicalize(top)) {
        (Ok(p), Ok(t)) => away(&p, &t, None),
        // A broken link reads as nothing; the read says so.
        (Err(_), _) => None,
        (Ok(_), Err(_)) => Some("a symlink to outside the work tree"),
    }
}

/// Refuses to write `path`, a file a command found in the repository (not
/// one the person named), unless it is a regular file or does not exist
/// yet: a committed symlink must not steer a write to another file, inside
/// the work tree or out of it.
pub fn own_file(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).doing(|| format!("cannot read {}", path.display())),
        Ok(m) if m.file_type().is_symlink() => refuse!(
            "{}: a symlink; frontmerge writes only a regular file it finds in the repository \
             (remove the link, or name the file to write)",
            path.display()
        ),
        Ok(m) if !m.is_file() => refuse!("{}: not a regular file; left untouched", path.display()),
        Ok(_) => Ok(()),
    }
}

/// A walked path as shown: without the `./` a walk of `.` puts in front.
pub fn shown(path: &Path) -> &Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// The path an error of the walk is about, and whether it is a cycle: a
/// folder loop, or a symlink chain that loops (`ELOOP`, asked of the path
/// itself, as ignore wraps the system's error in its own).
fn walk_error_path(err: &ignore::Error) -> (Option<PathBuf>, bool) {
    match err {
        ignore::Error::Loop { child, .. } => (Some(child.clone()), true),
        ignore::Error::WithPath { path, err } => {
            let (_, is_loop) = walk_error_path(err);
            let eloop = fs::metadata(path).is_err_and(|e| e.raw_os_error() == Some(libc::ELOOP));
            (Some(path.clone()), is_loop || eloop)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => (None, false),
    }
}

/// A file (or standard input) refused for its size or its line count:
/// over [`MAX_FILE_SIZE`] bytes or [`MAX_LINES`] lines. Its message names it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OverLimit(pub String);

/// Reads a file whole, refusing anything but a regular file, and files over
/// [`MAX_FILE_SIZE`] bytes or [`MAX_LINES`] lines ([`OverLimit`]).
pub fn read(path: &Path) -> Result<Vec<u8>> {
    // Checked by path first, then on what was opened: a FIFO swapped in
    // between would otherwise block the open until a writer comes.
    let meta = fs::metadata(path).doing(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        refuse!("{}: not a regular file; left untouched", path.display());
    }
    let file = open_regular(path).doing(|| format!("cannot read {}", path.display()))?;
    let size = file
        .metadata()
        .doing(|| format!("cannot read {}", path.display()))?
        .len();
    read_limited(
        file,
        Some(size),
        &path.display().to_string(),
        "left untouched",
    )
}

/// `over the limit of 16777216 bytes (16 MiB)`: how every refusal names
/// [`MAX_FILE_SIZE`].
pub fn over_the_limit() -> String {
    format!("over the limit of {MAX_FILE_SIZE} bytes (16 MiB)")
}

/// The refusal of `name`, of `size` bytes when known, for being over
/// [`MAX_FILE_SIZE`], saying `then` (what happens to it): the words for a
/// file, standard input or git's copy of a file (its size asked, unread).
pub fn too_large(name: &str, size: Option<u64>, then: &str) -> FileError {
    let what = size.map_or(String::new(), |s| format!("file is {s} bytes, "));
    FileError::OverLimit(OverLimit(format!(
        "{name}: {what}{}; {then}",
        over_the_limit()
    )))
}

/// Reads `from` to its end, at most [`MAX_FILE_SIZE`] bytes and
/// [`MAX_LINES`] lines: past either, an [`OverLimit`] error naming `name`
/// and saying `then` (what happens to it). `size`, when known, is refused
/// at once and sizes the buffer; a stream of unknown size grows its buffer
/// to at most twice the limit. The file growing meanwhile changes nothing.
pub fn read_limited(from: impl Read, size: Option<u64>, name: &str, then: &str) -> Result<Vec<u8>> {
    let too_large = |size: Option<u64>| too_large(name, size, then);
    if let Some(size) = size.filter(|&s| s > MAX_FILE_SIZE) {
        return Err(too_large(Some(size)));
    }
    // `take` bounds memory even if the file grows while it is being read.
    // One byte more than the size: `read_to_end` needs room to see the end
    // of the file, and would otherwise double the buffer for it.
    let capacity = size.map_or(64 * 1024, |s| s.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    from.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .doing(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(size.map(|_| bytes.len() as u64)));
    }
    // A file with fewer bytes than the line limit cannot exceed it.
    let lines = if bytes.len() > MAX_LINES {
        memchr::memchr_iter(b'\n', &bytes).count()
    } else {
        0
    };
    if lines > MAX_LINES {
        return Err(FileError::OverLimit(OverLimit(format!(
            "{name}: file has {lines} lines, over the limit of {MAX_LINES} lines; {then}"
        ))));
    }
    Ok(bytes)
}

/// Opens `path` for reading without ever blocking (a FIFO put in its place
/// opens at once) and refuses anything but a regular file.
pub fn open_regular(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file (any more)"));
    }
    Ok(file)
}

/// How a write should behave.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Keep the original content as `FILE.orig`.
    pub backup: bool,
    /// Flush the new content and the folder to disk before and after the
    /// rename (`--fsync`). The rename alone makes the write atomic for every
    /// process and after any crash of frontmerge; the flush adds survival of
    /// a power cut on filesystems that do not order data before renames, at
    /// several milliseconds per file.
    pub fsync: bool,
}

/// Replaces `path`'s content with `new`, atomically, provided the file still
/// holds `original` (what the caller read). Symlinks are written through;
/// permissions, owner and extended attributes (POSIX ACLs) are kept. Nothing
/// is changed when this fails.
///
/// At most one frontmerge run writes a file: the file is locked (`flock`)
/// from the first look to the rename, and the lock holder checks that the
/// path still names the file it locked and that its content is still
/// `original`. A second run either cannot take the lock or finds the path
/// pointing at the first run's new file: it leaves the file and says it
/// changed meanwhile. A file with more than one hard link is written in
/// place (a rename would cut it off from its other names), after a copy of
/// the original has been written and read back, and restored from it if
/// the write fails.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8], opts: WriteOptions) -> Result<()> {
    let target = fs::canonicalize(path).doing(|| format!("cannot resolve {}", path.display()))?;
    let dir = target
        .parent()
        .ok_or_else(|| FileError::Refused(format!("{} has no parent folder", target.display())))?;
    let locked = open_regular(&target)
        .doing(|| format!("{}: cannot open it again; left as it is", path.display()))?;
    // flock(2), released when `locked` closes. std's File::try_lock needs
    // Rust 1.89, above this crate's MSRV.
    // SAFETY: a valid open descriptor; flock touches nothing else.
    if unsafe { libc::flock(locked.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        // Another run holds it; any other failure is a file system without
        // locks, where the checks below still hold.
        if io::Error::last_os_error().raw_os_error() == Some(libc::EWOULDBLOCK) {
            refuse!(
                "{}: another frontmerge run is writing it (changed by another process \
                 meanwhile); left as it is",
                path.display()
            );
        }
    }
    let meta = locked
        .metadata()
        .doing(|| format!("cannot stat {}", target.display()))?;
    let perms = meta.permissions();
    // Mode bits, not access(2): root may write anything, but a file or folder
    // without write bits was made read-only on purpose, by someone.
    if perms.readonly() {
        refuse!("{}: file is read-only; left untouched", path.display());
    }
    let dir_meta = fs::metadata(dir).doing(|| format!("cannot stat {}", dir.display()))?;
    if dir_meta.permissions().readonly() {
        refuse!(
            "{}: its folder {} is read-only (frontmerge writes a temporary file there and \
             renames it over the file); left untouched",
            path.display(),
            dir.display()
        );
    }
    let unchanged = || -> Result<()> {
        let now_meta =
            fs::symlink_metadata(&target).doing(|| format!("cannot stat {}", path.display()))?;
        let same_file = now_meta.dev() == meta.dev() && now_meta.ino() == meta.ino();
        let mut now = Vec::with_capacity(original.len());
        (&locked)
            .seek(io::SeekFrom::Start(0))
            .and_then(|_| {
                (&locked)
                    .take(original.len() as u64 + 1)
                    .read_to_end(&mut now)
            })
            .doing(|| format!("cannot re-read {}", path.display()))?;
        if !same_file || now != original {
            refuse!(
                "{}: changed by another process while frontmerge was working; left as it is now",
                path.display()
            );
        }
        Ok(())
    };
    unchanged()?;
    let owner = Owner::of(&meta);
    if opts.backup {
        let mut orig = target.clone().into_os_string();
        orig.push(".orig");
        write_backup(
            Path::new(&orig),
            dir,
            original,
            &perms,
            owner,
            opts.fsync,
            &locked,
        )?;
    }
    if meta.nlink() > 1 {
        test_hook::pause_before_last_look();
        unchanged()?;
        return write_in_place(path, &target, dir, original, new, &perms, owner, &locked);
    }
    let (tmp, _listed) = temp_with(path, dir, new, &perms, owner, opts.fsync, &locked)?;
    test_hook::pause_before_last_look();
    // Last look before the rename: another process may have written the file
    // since we read it (an editor, which takes no lock). Never overwrite that.
    unchanged()?;
    tmp.persist(&target)
        .map_err(|e| e.error)
        .doing(|| format!("cannot replace {}", path.display()))?;
    if opts.fsync {
        sync_dir(dir);
    }
    Ok(())
}

/// Writes `new` into the file itself, keeping its inode and so its other
/// hard links: first a copy of `original` beside it, flushed and read back
/// whole; then the write; on failure the original is put back from memory,
/// and if even that fails the copy is kept and named.
#[allow(clippy::too_many_arguments)] // one private step of write_atomic, with its context
fn write_in_place(
    path: &Path,
    target: &Path,
    dir: &Path,
    original: &[u8],
    new: &[u8],
    perms: &fs::Permissions,
    owner: Owner,
    locked: &fs::File,
) -> Result<()> {
    // A stop at once waits for this write (the copy is the original's
    // only other place until it ends).
    let _in_place = in_flight::writing_in_place();
    let (copy, _listed) = temp_with(path, dir, original, perms, owner, true, locked)?;
    let back = fs::read(copy.path()).doing(|| {
        format!(
            "{}: cannot read back the copy of the original",
            path.display()
        )
    })?;
    if back != original {
        refuse!(
            "{}: the copy of the original did not read back whole; left untouched",
            path.display()
        );
    }
    let write = |content: &[u8]| -> io::Result<()> {
        let mut f = fs::OpenOptions::new().write(true).open(target)?;
        f.write_all(content)?;
        f.set_len(content.len() as u64)?;
        f.sync_all()
    };
    if let Err(e) = write(new) {
        if write(original).is_ok() {
            refuse!(
                "{}: cannot write it in place: {e}; left untouched",
                path.display()
            );
        }
        let kept = copy.into_temp_path().keep().map_err(|k| k.error)?;
        refuse!(
            "{}: cannot write it in place: {e}; the original is kept in {}",
            path.display(),
            kept.display()
        );
    }
    Ok(())
}

/// A file's owner, given to its replacement so a write by root (say, in a
/// container) does not take the file away from the user who owns it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Owner {
    uid: u32,
    gid: u32,
}

impl Owner {
    fn of(meta: &fs::Metadata) -> Owner {
        Owner {
            uid: meta.uid(),
            gid: meta.gid(),
        }
    }
}

/// A temporary file (synced with `fsync`) in `dir` holding `content`, with
/// `perms`, `owner` and the extended attributes of `like`; `path` names the
/// file being replaced in messages.
fn temp_with(
    path: &Path,
    dir: &Path,
    content: &[u8],
    perms: &fs::Permissions,
    owner: Owner,
    fsync: bool,
    like: &fs::File,
) -> Result<(tempfile::NamedTempFile, in_flight::Listed)> {
    let failed = |e: io::Error| {
        FileError::Refused(format!(
            "{}: cannot write a temporary file in {}: {e}; left untouched",
            path.display(),
            dir.display()
        ))
    };
    // Hidden and not `*.md`: a leftover after a kill is never taken for an article.
    let (mut tmp, listed) = in_flight::made(
        || {
            tempfile::Builder::new()
                .prefix(".frontmerge-")
                .suffix(".tmp")
                .tempfile_in(dir)
        },
        |t| t.path(),
    )
    .map_err(failed)?;
    tmp.write_all(content).map_err(failed)?;
    let created = Owner::of(&tmp.as_file().metadata().map_err(failed)?);
    if created != owner {
        std::os::unix::fs::fchown(tmp.as_file(), Some(owner.uid), Some(owner.gid)).map_err(
            |e| {
                FileError::Refused(format!(
                    "{}: owned by uid {} gid {}, and its replacement could not be given that \
                     owner ({e}); left untouched",
                    path.display(),
                    owner.uid,
                    owner.gid
                ))
            },
        )?;
    }
    // After the chown, which may clear set-id bits; the ACL (an extended
    // attribute) after the mode, which would otherwise rewrite it.
    tmp.as_file()
        .set_permissions(perms.clone())
        .map_err(failed)?;
    xattrs::copy(like, tmp.as_file()).map_err(|(name, e)| {
        FileError::Refused(format!(
            "{}: its extended attribute {name} could not be given to its replacement ({e}); \
             left untouched",
            path.display()
        ))
    })?;
    if fsync {
        tmp.as_file().sync_all().map_err(failed)?;
    }
    Ok((tmp, listed))
}

/// Writes `FILE.orig`, never over an existing file that holds something else
/// (git's mergetool leaves `*.orig` files too).
fn write_backup(
    orig: &Path,
    dir: &Path,
    content: &[u8],
    perms: &fs::Permissions,
    owner: Owner,
    fsync: bool,
    like: &fs::File,
) -> Result<()> {
    let (tmp, _listed) = temp_with(orig, dir, content, perms, owner, fsync, like)?;
    match tmp.persist_noclobber(orig) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            match backup_made(orig, content) {
                Some(true) => Ok(()),
                Some(false) => refuse!(
                    "{} already exists and holds something else; move it away or drop \
                     --backup; left untouched",
                    orig.display()
                ),
                None => refuse!(
                    "{} already exists and is not a regular file (a link, a folder or a \
                     device: not read); move it away or drop --backup; left untouched",
                    orig.display()
                ),
            }
        }
        Err(e) => Err(e.error).doing(|| format!("cannot write backup {}", orig.display())),
    }
}

/// Whether the file already at `orig` holds `content` (a backup made by an
/// earlier run); `None` where it is no regular file of its own. A clone can
/// commit that name as a link (to `/dev/zero`, a FIFO, a file anywhere):
/// never followed, never read past the length a backup would have.
fn backup_made(orig: &Path, content: &[u8]) -> Option<bool> {
    use std::io::Read;
    let mut open = fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No link followed, and no wait for a FIFO's writer.
        open.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(orig).ok()?.file_type().is_symlink() {
        return None;
    }
    let file = open.open(orig).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.len() != content.len() as u64 {
        return Some(false);
    }
    let mut old = Vec::with_capacity(content.len());
    file.take(content.len() as u64 + 1)
        .read_to_end(&mut old)
        .ok()?;
    Some(old == content)
}

/// Extended attributes (where POSIX ACLs live), copied from one open file to
/// another through the Linux calls; elsewhere, and on file systems without
/// them, there is nothing to copy.
mod xattrs {
    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;

    /// Copies every attribute of `from` to `to`; the error names the
    /// attribute. `security.*` ones (SELinux labels) are the system's to
    /// set: the new file gets its own, and a refusal there is not an error.
    #[cfg(target_os = "linux")]
    pub(super) fn copy(from: &File, to: &File) -> Result<(), (String, io::Error)> {
        let names = list(from).map_err(|e| ("(list)".to_owned(), e))?;
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let shown = String::from_utf8_lossy(name).into_owned();
            let c = CString::new(name).map_err(|e| (shown.clone(), io::Error::other(e)))?;
            let value = get(from, &c).map_err(|e| (shown.clone(), e))?;
            // SAFETY: valid descriptor, NUL-terminated name, buffer of the given length.
            let r = unsafe {
                libc::fsetxattr(
                    to.as_raw_fd(),
                    c.as_ptr(),
                    value.as_ptr().cast(),
                    value.len(),
                    0,
                )
            };
            if r != 0 && !shown.starts_with("security.") {
                return Err((shown, io::Error::last_os_error()));
            }
        }
        Ok(())
    }

    /// Other systems: nothing copied (docs/guarantees.md says so).
    #[cfg(not(target_os = "linux"))]
    pub(super) fn copy(_: &File, _: &File) -> Result<(), (String, io::Error)> {
        Ok(())
    }

    /// Sizes asked first, then read; retried if the list grew in between.
    #[cfg(target_os = "linux")]
    fn list(f: &File) -> io::Result<Vec<u8>> {
        loop {
            // SAFETY: a null buffer of length 0 asks for the size only.
            let n = unsafe { libc::flistxattr(f.as_raw_fd(), std::ptr::null_mut(), 0) };
            if n < 0 {
                let e = io::Error::last_os_error();
                return match e.raw_os_error() {
                    Some(libc::ENOTSUP) => Ok(Vec::new()),
                    _ => Err(e),
                };
            }
            let mut buf = vec![0u8; n as usize];
            // SAFETY: the buffer has the length passed.
            let m = unsafe { libc::flistxattr(f.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if m >= 0 {
                buf.truncate(m as usize);
                return Ok(buf);
            }
            if io::Error::last_os_error().raw_os_error() != Some(libc::ERANGE) {
                return Err(io::Error::last_os_error());
            }
        }
    }

    #[cfg(target_os = "linux")]
    fn get(f: &File, name: &CString) -> io::Result<Vec<u8>> {
        loop {
            // SAFETY: a null buffer of length 0 asks for the size only.
            let n =
                unsafe { libc::fgetxattr(f.as_raw_fd(), name.as_ptr(), std::ptr::null_mut(), 0) };
            if n < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut buf = vec![0u8; n as usize];
            // SAFETY: the buffer has the length passed.
            let m = unsafe {
                libc::fgetxattr(
                    f.as_raw_fd(),
                    name.as_ptr(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                )
            };
            if m >= 0 {
                buf.truncate(m as usize);
                return Ok(buf);
            }
            if io::Error::last_os_error().raw_os_error() != Some(libc::ERANGE) {
                return Err(io::Error::last_os_error());
            }
        }
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; failure here loses nothing already written.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// What a stop at once (a second Ctrl-C or SIGTERM) must neither leave
/// behind nor cut short: the temporary files and scratch folders being
/// written, and writes into a file itself (a hard-linked file, written in
/// place). The stop ([`in_flight::stop`]) waits for a write in place to
/// end, removes the rest, and holds both locks so that nothing new starts
/// before the process ends.
pub mod in_flight {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

    /// The temporary files and folders that exist now.
    static LEFT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    /// Held (shared) through each write in place; the stop takes it whole.
    static IN_PLACE: RwLock<()> = RwLock::new(());

    fn left() -> MutexGuard<'static, Vec<PathBuf>> {
        // A thread that panicked holding it left the list as it was.
        LEFT.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A temporary path on the list until dropped (after the file is
    /// renamed, kept, or removed by its own drop).
    #[derive(Debug)]
    pub struct Listed(PathBuf);

    impl Drop for Listed {
        fn drop(&mut self) {
            let mut l = left();
            if let Some(i) = l.iter().rposition(|p| *p == self.0) {
                l.swap_remove(i);
            }
        }
    }

    /// Makes a temporary file or folder with `make` and lists it, the list
    /// held meanwhile: a stop never misses one made but not yet listed.
    pub fn made<T>(
        make: impl FnOnce() -> std::io::Result<T>,
        path: impl Fn(&T) -> &Path,
    ) -> std::io::Result<(T, Listed)> {
        let mut l = left();
        let t = make()?;
        let p = path(&t).to_owned();
        l.push(p.clone());
        Ok((t, Listed(p)))
    }

    /// Held through a write into a file itself: a stop waits for it.
    pub fn writing_in_place() -> RwLockReadGuard<'static, ()> {
        IN_PLACE.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for writes in place to end, then removes every listed file and
    /// folder; returns how many. Both locks stay held (leaked): the caller
    /// ends the process next, and no write starts meanwhile.
    pub fn stop() -> usize {
        std::mem::forget(IN_PLACE.write().unwrap_or_else(|e| e.into_inner()));
        let l = left();
        let mut removed = 0;
        for p in l.iter() {
            // A git process may still be writing into a scratch folder (it
            // is not ours to stop): tried again until it is gone, a second
            // at most.
            for _ in 0..50 {
                let gone = match std::fs::symlink_metadata(p) {
                    Ok(m) if m.is_dir() => std::fs::remove_dir_all(p).is_ok(),
                    Ok(_) => std::fs::remove_file(p).is_ok(),
                    Err(_) => break,
                };
                if gone {
                    removed += 1;
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        std::mem::forget(l);
        removed
    }
}

/// A pause inside the race window, for tests. Debug builds only: release
/// builds (`cargo install`) compile it to nothing and never read the variable.
mod test_hook {
    /// With `FRONTMERGE_TEST_PAUSE_BEFORE_RENAME=DIR`, creates `DIR/paused`
    /// and waits (up to 30 s) for `DIR/resume` before the last look at the
    /// target, so a test can change the file from another process.
    #[cfg(debug_assertions)]
    pub(super) fn pause_before_last_look() {
        use std::time::{Duration, Instant};
        let Some(dir) = std::env::var_os("FRONTMERGE_TEST_PAUSE_BEFORE_RENAME") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        if std::fs::write(dir.join("paused"), b"").is_err() {
            return;
        }
        let start = Instant::now();
        while !dir.join("resume").exists() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Release builds: nothing.
    #[cfg(not(debug_assertions))]
    pub(super) fn pause_before_last_look() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_extensions() {
        assert!(is_markdown(Path::new("a/b.md")));
        assert!(is_markdown(Path::new("b.MDX")));
        assert!(is_markdown(Path::new("b.markdown")));
        assert!(!is_markdown(Path::new("b.txt")));
    }

    #[test]
    fn atomic_write_keeps_mode_and_refuses_changed_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        fs::write(&f, "old").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(
            &f,
            b"old",
            b"new",
            WriteOptions {
                backup: true,
                fsync: true,
            },
        )
        .unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("a.md.orig")).unwrap(), b"old");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let e = write_atomic(&f, b"old", b"newer", WriteOptions::default()).unwrap_err();
        assert!(e.to_string().contains("changed by another process"));
        assert_eq!(fs::read(&f).unwrap(), b"new");
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 2, "no temporary files left behind");
    }

    #[test]
    fn symlinks_are_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"old", b"new", WriteOptions::default()).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn backup_never_clobbers_an_existing_orig() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        let orig = dir.path().join("a.md.orig");
        fs::write(&f, "conflict").unwrap();
        fs::write(&orig, "mergetool's backup").unwrap();
        let e = write_atomic(
            &f,
            b"conflict",
            b"new",
            WriteOptions {
                backup: true,
                fsync: true,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("a.md.orig already exists"), "{e}");
        assert_eq!(fs::read(&f).unwrap(), b"conflict");
        assert_eq!(fs::read(&orig).unwrap(), b"mergetool's backup");
        // The same content already there (a second run) is fine.
        fs::write(&orig, "conflict").unwrap();
        write_atomic(
            &f,
            b"conflict",
            b"new",
            WriteOptions {
                backup: true,
                fsync: true,
            },
        )
        .unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary files"
        );
    }

    #[test]
    fn read_only_folders_are_refused_even_for_root() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("ro");
        fs::create_dir(&sub).unwrap();
        let f = sub.join("a.md");
        fs::write(&f, "old").unwrap();
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
        let e = write_atomic(&f, b"old", b"new", WriteOptions::default()).unwrap_err();
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(e.to_string().contains("is read-only"), "{e}");
        assert_eq!(fs::read(&f).unwrap(), b"old");
        assert_eq!(fs::read_dir(&sub).unwrap().count(), 1);
    }

    #[test]
    fn owner_is_kept_when_root_writes_another_users_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        fs::write(&f, "old").unwrap();
        // Only root can give a file away; elsewhere there is nothing to check.
        if std::os::unix::fs::chown(&f, Some(65534), Some(65534)).is_err() {
            return;
        }
        write_atomic(&f, b"old", b"new", WriteOptions::default()).unwrap();
        let m = fs::metadata(&f).unwrap();
        assert_eq!((m.uid(), m.gid()), (65534, 65534));
        assert_eq!(fs::read(&f).unwrap(), b"new");
    }

    #[test]
    fn reads_are_bounded_by_size_and_lines() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.md");
        // Sparse: no 16 MiB written to disk.
        fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_SIZE + 1)
            .unwrap();
        let e = read(&big).unwrap_err().to_string();
        assert!(e.contains("over the limit of 16777216 bytes"), "{e}");
        let lines = dir.path().join("lines.md");
        fs::write(&lines, vec![b'\n'; MAX_LINES + 1]).unwrap();
        let e = read(&lines).unwrap_err().to_string();
        assert!(e.contains("over the limit of 1000000 lines"), "{e}");
        fs::write(&lines, vec![b'\n'; MAX_LINES]).unwrap();
        assert_eq!(read(&lines).unwrap().len(), MAX_LINES);
        let e = read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn a_walk_follows_links_once_and_stops_at_cycles() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join(".hidden")).unwrap();
        fs::write(d.join(".hidden/x.md"), "").unwrap();
        fs::write(d.join("real.md"), "").unwrap();
        std::os::unix::fs::symlink("real.md", d.join("link.md")).unwrap();
        std::os::unix::fs::symlink(d, d.join("self")).unwrap();
        let (found, errors, skipped) = expand_counting(&[d.to_path_buf()], |t| vec![None; t.len()]);
        assert_eq!(
            found,
            [Found {
                path: d.join("link.md"),
                real: None,
            }]
        );
        assert!(errors.is_empty());
        assert_eq!(skipped.hidden, [d.join(".hidden")]);
        assert_eq!(skipped.cycles, [d.join("self")]);
        assert_eq!(skipped.duplicates, 1);
    }

    #[test]
    fn a_path_through_links_is_real_below_the_innermost() {
        let links = [
            (PathBuf::from("./docs"), PathBuf::from("/w/content")),
            (PathBuf::from("./docs/n.md"), PathBuf::from("/w/secrets.md")),
            (
                PathBuf::from("./notes.md"),
                PathBuf::from("/w/private/a.md"),
            ),
        ];
        let real = |p: &str| through_link(Path::new(p), &links);
        assert_eq!(real("./notes.md"), Some(PathBuf::from("/w/private/a.md")));
        assert_eq!(
            real("./docs/a/b.md"),
            Some(PathBuf::from("/w/content/a/b.md"))
        );
        assert_eq!(real("./docs/n.md"), Some(PathBuf::from("/w/secrets.md")));
        assert_eq!(real("./docsx/a.md"), None);
        assert_eq!(real("./post.md"), None);
    }

    #[test]
    fn links_are_vetted_once_and_not_at_all_without_one() {
        let mut skipped = Skipped::default();
        let never = |_: &[PathBuf]| -> Vec<Option<String>> { panic!("asked without a link") };
        assert!(links_to_skip(&[], &mut skipped, never).is_empty());
        let links = [
            (PathBuf::from("notes.md"), PathBuf::from("/w/secrets.md")),
            (PathBuf::from("keep.md"), PathBuf::from("/w/kept.md")),
        ];
        let mut asked = 0;
        let left_out = links_to_skip(&links, &mut skipped, |t: &[PathBuf]| {
            asked += 1;
            assert_eq!(
                t,
                [PathBuf::from("/w/secrets.md"), PathBuf::from("/w/kept.md")]
            );
            vec![Some("ignored".to_owned()), None]
        });
        assert_eq!(asked, 1);
        assert_eq!(left_out, HashSet::from([PathBuf::from("notes.md")]));
        assert_eq!(skipped.ignored_links, [PathBuf::from("notes.md")]);
        assert_eq!(
            skipped.take_warnings(),
            [(PathBuf::from("notes.md"), "ignored".to_owned())]
        );
        // No answer for a link is no leave to follow it.
        let left_out = links_to_skip(&links, &mut Skipped::default(), |_: &[PathBuf]| vec![]);
        assert_eq!(left_out.len(), 2);
    }

    #[test]
    fn an_inode_freed_and_taken_again_is_another_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a.md"),
            dir.path().join("b.md"),
            dir.path().join("c.md"),
        );
        fs::write(&a, "a").unwrap();
        std::os::unix::fs::symlink(&a, &c).unwrap();
        let mut seen = Seen::default();
        assert!(seen.first(&a));
        // The same file through a link, or again: taken once.
        assert!(!seen.first(&c) && !seen.first(&a));
        // Another process moves a's inode to b and writes a new a: b now
        // has the inode a had when taken, and is another file.
        fs::rename(&a, &b).unwrap();
        fs::write(&a, "new").unwrap();
        assert!(seen.first(&b));
        assert!(seen.first(&a));
        assert!(!seen.first(&b));
    }

    #[test]
    fn expand_walks_folders_and_dedups() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/a.md"), "").unwrap();
        fs::write(dir.path().join("b.txt"), "").unwrap();
        let a = dir.path().join("sub/a.md");
        let (found, errors) = expand(&[
            dir.path().to_path_buf(),
            a.clone(),
            dir.path().join("nope.md"),
        ]);
        assert_eq!(
            found,
            [Found {
                path: a,
                real: None
            }]
        );
        assert_eq!(errors.len(), 1);
    }
}
