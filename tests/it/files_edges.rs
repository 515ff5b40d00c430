//! End-to-end: the file edges of a write — two runs on the same files, a
//! FIFO swapped in, hard links and extended attributes — through the built
//! binary (a debug build, whose test hook can pause a write right before
//! its last look at the file; see `files::test_hook`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, stderr};

fn conflict(i: usize) -> String {
    format!(
        "---\n<<<<<<< Updated upstream\ntitle: \"Upstream {i}\"\n=======\ntitle: \"Stashed {i}\"\n>>>>>>> Stashed changes\n---\nbody\n"
    )
}

fn resolved(side: &str, i: usize) -> String {
    format!("---\ntitle: \"{side} {i}\"\n---\nbody\n")
}

fn spawn(dir: &Path, args: &[&str], pause: Option<&Path>) -> Child {
    let mut c = bin();
    c.current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = pause {
        c.env("FRONTMERGE_TEST_PAUSE_BEFORE_RENAME", p);
    }
    c.spawn().unwrap()
}

fn wait_paused(hook: &Path) {
    let start = Instant::now();
    while !hook.join("paused").exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "never paused");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".frontmerge-"))
        .collect()
}

/// `path: resolved` lines of a run's report.
fn reported_resolved(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter_map(|l| l.split_once(": resolved ").map(|(p, _)| p.to_owned()))
        .collect()
}

#[test]
fn two_runs_at_once_write_each_file_at_most_once() {
    let d = tempfile::tempdir().unwrap();
    let n = 600;
    for i in 0..n {
        fs::write(d.path().join(format!("p{i:04}.md")), conflict(i)).unwrap();
    }
    let a = spawn(d.path(), &["--prefer", "upstream", "."], None);
    let b = spawn(d.path(), &["--prefer", "stashed", "."], None);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (ra, rb) = (reported_resolved(&a), reported_resolved(&b));
    for i in 0..n {
        let name = format!("p{i:04}.md");
        let by_a = ra.iter().any(|p| p.ends_with(&name));
        let by_b = rb.iter().any(|p| p.ends_with(&name));
        let now = fs::read_to_string(d.path().join(&name)).unwrap();
        assert!(!(by_a && by_b), "{name} reported resolved by both runs");
        assert!(
            by_a || by_b,
            "{name} resolved by neither: {}{}",
            stderr(&a),
            stderr(&b)
        );
        let want = resolved(if by_a { "Upstream" } else { "Stashed" }, i);
        assert_eq!(
            now, want,
            "{name} holds what the run that reported it wrote"
        );
    }
    // The other run said why it left each file: changed meanwhile, or
    // already resolved by the time it read it.
    let both = format!("{}{}", stderr(&a), stderr(&b));
    let left = both.matches("changed by another process").count()
        + both.matches("no conflicts, left alone").count();
    assert_eq!(left, n, "{both}");
    assert!(leftovers(d.path()).is_empty());
}

#[test]
fn a_run_holding_the_file_makes_the_second_leave_it() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.md");
    fs::write(&f, conflict(1)).unwrap();
    let hook = tempfile::tempdir().unwrap();
    let first = spawn(
        d.path(),
        &["--prefer", "upstream", "a.md"],
        Some(hook.path()),
    );
    wait_paused(hook.path());
    let second = spawn(d.path(), &["--prefer", "stashed", "a.md"], None)
        .wait_with_output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("changed by another process"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        conflict(1),
        "the second wrote nothing"
    );
    fs::write(hook.path().join("resume"), b"").unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(fs::read_to_string(&f).unwrap(), resolved("Upstream", 1));
    assert!(leftovers(d.path()).is_empty());
}

#[test]
fn a_fifo_swapped_in_neither_hangs_nor_leaves_files() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("big.md");
    fs::write(&f, conflict(1)).unwrap();
    let hook = tempfile::tempdir().unwrap();
    let run = spawn(
        d.path(),
        &["--prefer", "stashed", "big.md"],
        Some(hook.path()),
    );
    wait_paused(hook.path());
    fs::remove_file(&f).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&f)
        .status()
        .unwrap();
    assert!(made.success());
    fs::write(hook.path().join("resume"), b"").unwrap();
    // A hang would never return here; the harness's own timeout catches it.
    let o = run.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("big.md: changed by another process"),
        "{}",
        stderr(&o)
    );
    assert!(leftovers(d.path()).is_empty(), "{:?}", leftovers(d.path()));
    // And named directly, a FIFO is refused at once.
    let o = spawn(d.path(), &["--prefer", "stashed", "big.md"], None)
        .wait_with_output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn hard_links_stay_linked() {
    use std::os::unix::fs::MetadataExt;
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.md");
    let other = d.path().join("elsewhere.md");
    fs::write(&f, conflict(1)).unwrap();
    fs::hard_link(&f, &other).unwrap();
    let ino = fs::metadata(&f).unwrap().ino();
    let o = spawn(d.path(), &["--prefer", "stashed", "a.md"], None)
        .wait_with_output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&other).unwrap(), resolved("Stashed", 1));
    let m = fs::metadata(&f).unwrap();
    assert_eq!(
        (m.ino(), m.nlink()),
        (ino, 2),
        "the same file, still linked"
    );
    assert!(leftovers(d.path()).is_empty());
}

#[test]
fn extended_attributes_are_kept() {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.md");
    fs::write(&f, conflict(1)).unwrap();
    let path = CString::new(f.as_os_str().as_bytes()).unwrap();
    let name = CString::new("user.frontmerge-test").unwrap();
    let value = b"kept";
    // SAFETY: NUL-terminated strings and a buffer of the given length.
    let set = unsafe {
        libc::setxattr(
            path.as_ptr(),
            name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    assert_eq!(
        set, 0,
        "this file system takes user attributes (ext4, xfs, btrfs, tmpfs)"
    );
    let o = spawn(d.path(), &["--prefer", "stashed", "a.md"], None)
        .wait_with_output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&f).unwrap(), resolved("Stashed", 1));
    let mut buf = [0u8; 16];
    // SAFETY: as above.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    assert_eq!(n, 4, "the attribute survives the write");
    assert_eq!(&buf[..4], value);
}
