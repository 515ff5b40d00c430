//! The file edge: finding Markdown files, reading them, writing atomically.
//!
//! Writes go to a temporary file in the target's own folder, which is then
//! renamed over the target: a reader sees the old or the new content, never a
//! mix. A symlink is written through (its target is replaced, the link kept),
//! permissions are kept, and a file that changed since it was read is refused.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Extensions of the files frontmerge walks into.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "mdx", "markdown"];

/// Files larger than this are refused rather than read (see the README).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

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

/// Reads a file whole, refusing files over [`MAX_FILE_SIZE`].
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        bail!("{}: not a regular file", path.display());
    }
    if meta.len() > MAX_FILE_SIZE {
        bail!(
            "{}: file is {} bytes, over the limit of {} bytes; left untouched",
            path.display(),
            meta.len(),
            MAX_FILE_SIZE
        );
    }
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
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
/// holds `original` (what the caller read). Symlinks are written through.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8], opts: WriteOptions) -> Result<()> {
    let target =
        fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let dir = target
        .parent()
        .with_context(|| format!("{} has no parent folder", target.display()))?;
    let perms = fs::metadata(&target)
        .with_context(|| format!("cannot stat {}", target.display()))?
        .permissions();
    if perms.readonly() {
        bail!("{}: file is read-only; left untouched", path.display());
    }
    if opts.backup {
        let mut orig = target.clone().into_os_string();
        orig.push(".orig");
        replace(Path::new(&orig), dir, original, &perms, opts.fsync)
            .with_context(|| format!("cannot write backup {}", Path::new(&orig).display()))?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".frontmerge-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(new)
        .and_then(|_| {
            if opts.fsync {
                tmp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    fs::set_permissions(tmp.path(), perms.clone())
        .with_context(|| format!("cannot set permissions in {}", dir.display()))?;
    // Last look before the rename: another process may have written the file
    // since we read it (an editor, a second frontmerge). Never overwrite that.
    let now = fs::read(&target).with_context(|| format!("cannot re-read {}", path.display()))?;
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

fn replace(
    path: &Path,
    dir: &Path,
    content: &[u8],
    perms: &fs::Permissions,
    fsync: bool,
) -> io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".frontmerge-")
        .tempfile_in(dir)?;
    tmp.write_all(content)?;
    if fsync {
        tmp.as_file().sync_all()?;
    }
    fs::set_permissions(tmp.path(), perms.clone())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; failure here loses nothing already written.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
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
