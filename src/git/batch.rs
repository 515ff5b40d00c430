//! `git cat-file --batch`: many blobs through one git process, streamed one
//! at a time, and the one-by-one reader for names a batch line cannot carry.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::GitError;

/// Runs `git cat-file --batch` (plus `extra` arguments) on `git`, feeding it
/// `specs` and streaming each answer to `each`, in order: `None` for a
/// missing object. One blob is in memory at a time. A spec must not hold a
/// newline (see [`cat_file_one`]).
pub fn cat_file_batch<E: From<GitError>>(
    mut git: Command,
    extra: &[&str],
    specs: &[&String],
    mut each: impl FnMut(Option<Vec<u8>>) -> Result<(), E>,
) -> Result<(), E> {
    if specs.is_empty() {
        return Ok(());
    }
    git.args(["cat-file", "--batch"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = git.spawn().map_err(GitError::CatFileSpawn)?;
    let piped = |what: &str| GitError::CatFile(format!("git cat-file {what}"));
    let mut stdin = child.stdin.take().ok_or_else(|| piped("stdin"))?;
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    // Written from a thread: git answers while we write, and a full pipe
    // on both sides would block both.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or_else(|| piped("stdout"))?);
    let mut read_all = || -> Result<(), E> {
        for spec in specs {
            let mut header = Vec::new();
            reader
                .read_until(b'\n', &mut header)
                .map_err(GitError::from)?;
            let header = String::from_utf8_lossy(&header).trim_end().to_owned();
            if header.ends_with(" missing") || header.ends_with(" ambiguous") {
                each(None)?;
                continue;
            }
            // Found: `<oid> <type> <size>`, then the content and a newline.
            let fields: Vec<&str> = header.split(' ').collect();
            match fields.as_slice() {
                [_oid, kind, size] => {
                    let size: usize = size.parse().map_err(|source| GitError::CatFileHeader {
                        header: header.clone(),
                        source,
                    })?;
                    let mut body = vec![0; size + 1]; // the content and a newline
                    reader.read_exact(&mut body).map_err(GitError::from)?;
                    body.pop();
                    each((*kind == "blob").then_some(body))?;
                }
                _ => {
                    return Err(GitError::CatFile(format!(
                        "git cat-file: unexpected answer `{header}` for `{spec}`"
                    ))
                    .into())
                }
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
        .map_err(|_| GitError::CatFile("git cat-file writer panicked".into()))?
        .map_err(GitError::from)?;
    let status = child.wait().map_err(GitError::from)?;
    if !status.success() {
        return Err(GitError::CatFile("git cat-file --batch failed".into()).into());
    }
    Ok(())
}

/// The size of each object of `specs` (`git cat-file --batch-check`),
/// `None` for one git does not have: asked first, so that a blob over a
/// limit is never read. A spec must not hold a newline.
pub fn cat_file_sizes(mut git: Command, specs: &[&String]) -> Result<Vec<Option<u64>>, GitError> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    git.args(["cat-file", "--batch-check=%(objectsize)"]);
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    let out = super::ok(git, Some(input.as_bytes()))?;
    // A missing object answers `<spec> missing`: no number, `None`.
    let mut lines = out.split(|&b| b == b'\n');
    Ok(specs
        .iter()
        .map(|_| {
            let line = lines.next()?;
            std::str::from_utf8(line).ok()?.trim().parse().ok()
        })
        .collect())
}

/// One blob named `prefix` + `rel` (`:1:`, `:`, `HEAD:`) through
/// `git cat-file blob`, which takes the name as an argument: any byte in the
/// name works, newlines included. `None` when git has no such object.
pub fn cat_file_one(
    mut git: Command,
    prefix: &str,
    rel: &Path,
) -> Result<Option<Vec<u8>>, GitError> {
    let mut spec = OsStr::new(prefix).to_os_string();
    spec.push(rel.as_os_str());
    git.args([OsStr::new("cat-file"), OsStr::new("blob"), &spec]);
    let o = super::run(git, None)?;
    Ok(o.status.success().then_some(o.stdout))
}

/// The size of the blob `prefix` + `rel` (`None`: git has none), for a
/// path no `--batch` line can name (see [`batchable`]).
pub fn cat_file_size_one(
    mut git: Command,
    prefix: &str,
    rel: &Path,
) -> Result<Option<u64>, GitError> {
    let mut spec = OsStr::new(prefix).to_os_string();
    spec.push(rel.as_os_str());
    git.args([OsStr::new("cat-file"), OsStr::new("-s"), &spec]);
    let o = super::run(git, None)?;
    Ok(o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .flatten())
}

/// True when `rel` can be named on a `--batch` line: UTF-8 (the specs are
/// strings) and no newline (which ends a batch line).
pub fn batchable(rel: &Path) -> bool {
    rel.to_str().is_some_and(|r| !r.contains('\n'))
}
