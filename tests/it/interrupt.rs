//! End-to-end: Ctrl-C, SIGTERM and SIGHUP during a batch after a real
//! `git stash pop` (repro 11): the run stops between files, every file holds
//! its old or its new content, the files written are marked resolved, no
//! temporary file is left, and the exit code and message say what happened.
//! The debug binary's test hook pauses the first writes so that the signal
//! arrives mid-batch every time (see `files::test_hook`).

use crate::common::{stderr, Paused, Repo};

const FILES: usize = 150;

fn name(i: usize) -> String {
    format!("p{i:03}.md")
}

fn article(i: usize, title: &str) -> String {
    let body: String = (0..(i % 7) * 5)
        .map(|k| format!("Para {k} of {i}\n"))
        .collect();
    format!("---\ntitle: {title} {i}\n---\n{body}")
}

/// FILES articles, each conflicting after `git stash pop`.
fn popped() -> Repo {
    let r = Repo::new();
    for i in 0..FILES {
        r.write(&name(i), article(i, "base"));
    }
    r.commit_all("base");
    for i in 0..FILES {
        r.write(&name(i), article(i, "stash"));
    }
    r.git(&["stash", "-q"]);
    for i in 0..FILES {
        r.write(&name(i), article(i, "up"));
    }
    r.commit_all("up");
    let o = r.git_output(&["stash", "pop"]);
    assert!(!o.status.success(), "the pop conflicts");
    r
}

fn unmerged_names(r: &Repo) -> std::collections::HashSet<String> {
    r.unmerged()
        .lines()
        .filter_map(|l| l.split('\t').nth(1).map(str::to_owned))
        .collect()
}

#[test]
fn a_signal_stops_a_batch_between_files_and_marks_what_was_written() {
    for (sig, code, said) in [
        (libc::SIGINT, 130, "Ctrl-C (SIGINT)"),
        (libc::SIGTERM, 143, "SIGTERM"),
        (libc::SIGHUP, 129, "SIGHUP"),
    ] {
        let r = popped();
        let conflicted: Vec<Vec<u8>> = (0..FILES).map(|i| r.read(&name(i))).collect();
        let mut c = r.frontmerge();
        c.args(["--prefer", "stashed"]);
        let paused = Paused::start(c);
        // SAFETY: sending a signal to our own child.
        assert_eq!(unsafe { libc::kill(paused.child.id() as i32, sig) }, 0);
        let o = paused.resume();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{said}: {err}");

        let mut written = Vec::new();
        for (i, before) in conflicted.iter().enumerate() {
            let now = r.read(&name(i));
            if now != *before {
                assert_eq!(now, article(i, "stash").into_bytes(), "whole new content");
                written.push(name(i));
            }
        }
        assert!(
            !written.is_empty() && written.len() < FILES,
            "{said}: {}",
            written.len()
        );
        let n = written.len();
        assert!(
            err.contains(&format!(
                "interrupted by {said}: {n} file(s) written ({n} marked resolved in git), {} not started",
                FILES - n
            )),
            "{err}"
        );
        let unmerged = unmerged_names(&r);
        for w in &written {
            assert!(!unmerged.contains(w), "{w} marked resolved");
        }
        assert_eq!(unmerged.len(), FILES - n, "the others still unmerged");
        assert_eq!(temporaries(&r), 0, "no temporary file");

        // The rerun finishes the job.
        let o = r.run("", &["--prefer", "stashed"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(err.contains("git stash drop"), "{err}");
        assert_eq!(r.unmerged(), "");
        for i in 0..FILES {
            assert_eq!(r.read_string(&name(i)), article(i, "stash"));
        }
    }
}

/// The temporary files of writes (`.frontmerge-*.tmp`) in the repository.
fn temporaries(r: &Repo) -> usize {
    crate::common::count_named(r.path(), ".frontmerge-")
}

#[test]
fn a_second_signal_stops_at_once_leaving_every_file_and_no_temporary_behind() {
    use std::io::{BufRead, BufReader, Read};
    for (sig, code, said) in [
        (libc::SIGTERM, 143, "SIGTERM"),
        (libc::SIGINT, 130, "Ctrl-C (SIGINT)"),
    ] {
        let r = popped();
        let conflicted: Vec<Vec<u8>> = (0..FILES).map(|i| r.read(&name(i))).collect();
        // Scratch folders go to a TMPDIR of the test's own, to be seen.
        let tmpdir = tempfile::tempdir().unwrap();
        let mut c = r.frontmerge();
        c.args(["--prefer", "stashed"]).env("TMPDIR", tmpdir.path());
        // Held before its first rename, its temporary file written: the
        // pause lasts up to 30 s, so only a stop at once ends it first.
        let mut paused = Paused::start(c);
        assert!(temporaries(&r) > 0, "a write is under way");
        let pid = paused.child.id() as i32;
        let mut err = BufReader::new(paused.child.stderr.take().unwrap());
        // SAFETY: sending a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
        // The first is answered at once (and heard before the second is
        // sent: two alike pending would be one).
        let heard = format!("{said} received: stopping after the files being written");
        let mut before = String::new();
        while !before.contains(&heard) {
            assert!(err.read_line(&mut before).unwrap() > 0, "{before}");
        }
        // SAFETY: as above.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
        let status = paused.child.wait().unwrap();
        let mut rest = String::new();
        err.read_to_string(&mut rest).unwrap();
        assert_eq!(status.code(), Some(code), "{said}: {rest}");
        assert!(
            rest.contains(&format!("stopped at once by a second {said}")),
            "{rest}"
        );
        for (i, before) in conflicted.iter().enumerate() {
            assert_eq!(&r.read(&name(i)), before, "{}: untouched", name(i));
        }
        assert_eq!(temporaries(&r), 0, "no temporary file");
        let left: Vec<_> = std::fs::read_dir(tmpdir.path()).unwrap().collect();
        assert!(left.is_empty(), "no scratch folder: {left:?}");
        assert_eq!(unmerged_names(&r).len(), FILES, "nothing marked");

        // The rerun does the whole job.
        let o = r.run("", &["--prefer", "stashed"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(r.unmerged(), "");
        for i in 0..FILES {
            assert_eq!(r.read_string(&name(i)), article(i, "stash"));
        }
    }
}

#[test]
fn a_second_signal_stops_at_once_even_when_standard_error_is_gone() {
    // A terminal closed (SIGHUP) or a reader gone: writing the messages
    // fails, and the stop must not fail with them (a panic there left the
    // run holding its locks).
    let r = popped();
    let conflicted: Vec<Vec<u8>> = (0..FILES).map(|i| r.read(&name(i))).collect();
    let mut c = r.frontmerge();
    c.args(["--prefer", "stashed"]);
    let mut paused = Paused::start(c);
    drop(paused.child.stderr.take());
    let pid = paused.child.id() as i32;
    for _ in 0..2 {
        // SAFETY: sending a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
        // Delivered before the next (two alike pending would be one).
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let status = paused.child.wait().unwrap();
    assert_eq!(status.code(), Some(129));
    for (i, before) in conflicted.iter().enumerate() {
        assert_eq!(&r.read(&name(i)), before, "{}: untouched", name(i));
    }
    assert_eq!(temporaries(&r), 0, "no temporary file");
}
