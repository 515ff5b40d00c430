//! `git cat-file --batch`: many blobs through one git process, streamed one
//! at a time, and the one-by-one reader for names a batch line cannot carry.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// Runs `git cat-file --batch` (plus `extra` arguments) on `git`, feeding it
/// `specs` and streaming each answer to `each`, in order: `None` for a
/// missing object. One blob is in memory at a time. A spec must not hold a
/// newline (see [`cat_file_one`]).
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

/// One blob named `prefix` + `rel` (`:1:`, `:`, `HEAD:`) through
/// `git cat-file blob`, which takes the name as an argument: any byte in the
/// name works, newlines included. `None` when git has no such object.
pub fn cat_file_one(mut git: Command, prefix: &str, rel: &Path) -> Result<Option<Vec<u8>>> {
    let mut spec = OsStr::new(prefix).to_os_string();
    spec.push(rel.as_os_str());
    git.args([OsStr::new("cat-file"), OsStr::new("blob"), &spec]);
    let o = super::run(git, None)?;
    Ok(o.status.success().then_some(o.stdout))
}

/// True when `rel` can be named on a `--batch` line: UTF-8 (the specs are
/// strings) and no newline (which ends a batch line).
pub fn batchable(rel: &Path) -> bool {
    rel.to_str().is_some_and(|r| !r.contains('\n'))
}
