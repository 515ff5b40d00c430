//! The file edge: finding Markdown files, reading them, writing atomically.
//!
//! Writes go to a temporary file in the target's own folder, which is then
//! renamed over the target: a reader sees the old or the new content, never a
//! mix. A symlink is written through (its target is replaced, the link kept),
//! permissions and owner are kept, and a file that changed since it was read
//! is refused. Reads are bounded by [`MAX_FILE_SIZE`] and [`MAX_LINES`].

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Extensions of the files frontmerge walks into.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "mdx", "markdown"];

/// Files larger than this are refused rather than read (see the README).
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
}

/// Expands the user's paths: files as given (any extension), folders walked
/// for Markdown files (skipping hidden and git-ignored files, as ripgrep
/// does). The same file named twice is kept once. Paths that do not exist
/// are returned as errors, in order, without stopping the others.
pub fn expand(paths: &[PathBuf]) -> (Vec<Found>, Vec<(PathBuf, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |p: PathBuf, out: &mut Vec<Found>| {
        let key = fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            out.push(Found { path: p });
        }
    };
    for p in paths {
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                    .build()
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_markdown(e.path()))
                    .map(|e| e.into_path())
                    .collect();
                found.sort();
                for f in found {
                    push(f, &mut out);
                }
            }
            Ok(_) => push(p.clone(), &mut out),
            Err(e) => {
                let why = match fs::symlink_metadata(p) {
                    Ok(m) if m.file_type().is_symlink() => format!("broken symlink: {e}"),
                    _ => e.to_string(),
                };
                errors.push((p.clone(), why));
            }
        }
    }
    (out, errors)
}

/// Reads a file whole, refusing anything but a regular file, and files over
/// [`MAX_FILE_SIZE`] bytes or [`MAX_LINES`] lines.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    // Checked by path first: opening a FIFO would block until a writer comes.
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        bail!("{}: not a regular file; left untouched", path.display());
    }
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let too_large = |size: u64| {
        anyhow::anyhow!(
            "{}: file is {size} bytes, over the limit of {MAX_FILE_SIZE} bytes (16 MiB); left untouched",
            path.display(),
        )
    };
    let size = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_FILE_SIZE {
        return Err(too_large(size));
    }
    // `take` bounds memory even if the file grows while it is being read.
    // One byte more than the size: `read_to_end` needs room to see the end
    // of the file, and would otherwise double the buffer for it.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    // A file with fewer bytes than the line limit cannot exceed it.
    let lines = if bytes.len() > MAX_LINES {
        memchr::memchr_iter(b'\n', &bytes).count()
    } else {
        0
    };
    if lines > MAX_LINES {
        bail!(
            "{}: file has {lines} lines, over the limit of {MAX_LINES} lines; left untouched",
            path.display()
        );
    }
    Ok(bytes)
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
/// permissions and owner are kept. Nothing is changed when this fails.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8], opts: WriteOptions) -> Result<()> {
    let target =
        fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let dir = target
        .parent()
        .with_context(|| format!("{} has no parent folder", target.display()))?;
    let meta =
        fs::metadata(&target).with_context(|| format!("cannot stat {}", target.display()))?;
    let perms = meta.permissions();
    // Mode bits, not access(2): root may write anything, but a file or folder
    // without write bits was made read-only on purpose, by someone.
    if perms.readonly() {
        bail!("{}: file is read-only; left untouched", path.display());
    }
    let dir_meta = fs::metadata(dir).with_context(|| format!("cannot stat {}", dir.display()))?;
    if dir_meta.permissions().readonly() {
        bail!(
            "{}: its folder {} is read-only (frontmerge writes a temporary file there and \
             renames it over the file); left untouched",
            path.display(),
            dir.display()
        );
    }
    let owner = Owner::of(&meta);
    if opts.backup {
        let mut orig = target.clone().into_os_string();
        orig.push(".orig");
        write_backup(Path::new(&orig), dir, original, &perms, owner, opts.fsync)?;
    }
    let tmp = temp_with(path, dir, new, &perms, owner, opts.fsync)?;
    test_hook::pause_before_last_look();
    // Last look before the rename: another process may have written the file
    // since we read it (an editor, a second frontmerge). Never overwrite that.
    let mut now = Vec::with_capacity(original.len());
    fs::File::open(&target)
        .and_then(|f| f.take(original.len() as u64 + 1).read_to_end(&mut now))
        .with_context(|| format!("cannot re-read {}", path.display()))?;
    if now != original {
        bail!(
            "{}: changed by another process while frontmerge was working; left as it is now",
            path.display()
        );
    }
    tmp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    if opts.fsync {
        sync_dir(dir);
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

/// A temporary file (synced with `fsync`) in `dir` holding `content`, with `perms` and
/// `owner`; `path` names the file being replaced in messages.
fn temp_with(
    path: &Path,
    dir: &Path,
    content: &[u8],
    perms: &fs::Permissions,
    owner: Owner,
    fsync: bool,
) -> Result<tempfile::NamedTempFile> {
    let failed = |e: io::Error| {
        anyhow::anyhow!(
            "{}: cannot write a temporary file in {}: {e}; left untouched",
            path.display(),
            dir.display()
        )
    };
    // Hidden and not `*.md`: a leftover after a kill is never taken for an article.
    let mut tmp = tempfile::Builder::new()
        .prefix(".frontmerge-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    tmp.write_all(content).map_err(failed)?;
    let created = Owner::of(&tmp.as_file().metadata().map_err(failed)?);
    if created != owner {
        std::os::unix::fs::fchown(tmp.as_file(), Some(owner.uid), Some(owner.gid)).map_err(
            |e| {
                anyhow::anyhow!(
                    "{}: owned by uid {} gid {}, and its replacement could not be given that \
                     owner ({e}); left untouched",
                    path.display(),
                    owner.uid,
                    owner.gid
                )
            },
        )?;
    }
    // After the chown, which may clear set-id bits.
    tmp.as_file()
        .set_permissions(perms.clone())
        .map_err(failed)?;
    if fsync {
        tmp.as_file().sync_all().map_err(failed)?;
    }
    Ok(tmp)
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
) -> Result<()> {
    let tmp = temp_with(orig, dir, content, perms, owner, fsync)?;
    match tmp.persist_noclobber(orig) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            if fs::read(orig).is_ok_and(|old| old == content) {
                return Ok(());
            }
            bail!(
                "{} already exists and holds something else; move it away or drop --backup; \
                 left untouched",
                orig.display()
            )
        }
        Err(e) => Err(e.error).with_context(|| format!("cannot write backup {}", orig.display())),
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; failure here loses nothing already written.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A pause inside the race window, for tests. Debug builds only: release
/// builds (`cargo install`) compile it to nothing and never read the variable.
mod test_hook {
    /// With `FRONTMERGE_TEST_PAUSE_BEFORE_RENAME=DIR`, creates `DIR/paused`
    /// and waits (up to 30 s) for `DIR/resume` before the last look at the
    /// target, so a test can change the file from another process.
    #[cfg(debug_assertions)]
    pub fn pause_before_last_look() {
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
    pub fn pause_before_last_look() {}
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
        assert_eq!(found, [Found { path: a }]);
        assert_eq!(errors.len(), 1);
    }
}
