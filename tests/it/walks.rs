//! Walks of named folders (`files::expand`): symlinked articles, cycles,
//! hidden folders, and the count of what was skipped (repro 14).

use std::os::unix::fs::symlink;

use crate::common::{code, stderr, stdout, Repo};

const CONFLICT: &str = "---\n<<<<<<< Updated upstream\ntitle: U\n=======\ntitle: S\n>>>>>>> Stashed changes\n---\nbody\n";

/// Repro 14's setup: `shared/post.md` in conflict, linked from `content/`,
/// and a hidden `.changeset/note.md` in conflict.
fn setup() -> Repo {
    let r = Repo::new();
    r.write("shared/post.md", CONFLICT);
    r.write(".changeset/note.md", CONFLICT);
    std::fs::create_dir_all(r.path().join("content")).unwrap();
    symlink("../shared/post.md", r.path().join("content/post.md")).unwrap();
    r
}

#[test]
fn check_follows_a_symlinked_article() {
    let r = setup();
    let o = r.run("", &["check", "content"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    assert!(out.contains("content/post.md:2"), "{out}");
    assert!(out.contains("checked 1 file"), "{out}");
}

#[test]
fn resolve_writes_through_a_symlinked_article() {
    let r = setup();
    let o = r.run("", &["--prefer", "upstream", "content"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(std::fs::symlink_metadata(r.path().join("content/post.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        r.read_string("shared/post.md"),
        "---\ntitle: U\n---\nbody\n"
    );
}

#[test]
fn the_same_target_twice_is_handled_once() {
    let r = setup();
    symlink("post.md", r.path().join("content/again.md")).unwrap();
    let o = r.run("", &["check", "content", "shared"]);
    let out = stdout(&o);
    assert!(out.contains("; skipped 2:"), "{out}");
    assert!(out.contains("2 already reached by another path"), "{out}");
    assert_eq!(out.matches("<<<<<<<").count(), 1, "{out}");
}

#[test]
fn a_symlink_cycle_is_named_and_skipped() {
    let r = setup();
    symlink("b.md", r.path().join("content/a.md")).unwrap();
    symlink("a.md", r.path().join("content/b.md")).unwrap();
    symlink("..", r.path().join("content/up")).unwrap();
    let o = r.run("", &["check", "content"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(out.contains("; skipped 3:"), "{out}");
    assert!(out.contains("3 symlink cycles"), "{out}");
    assert!(err.contains("content/a.md: symlink cycle"), "{err}");
    assert!(err.contains("content/up: symlink cycle"), "{err}");
}

#[test]
fn hidden_and_ignored_are_counted_alike_by_check_and_resolve() {
    let r = setup();
    r.write(".gitignore", "drafts/\n");
    r.write("drafts/x.md", CONFLICT);
    let o = r.run("", &["check", "."]);
    let out = stdout(&o);
    assert!(
        out.contains("checked 1 file: 3 errors, 0 warnings; skipped 3: 1 hidden (.changeset), 1 git-ignored (drafts), 1 already reached by another path"),
        "{out}"
    );
    let o = r.run("", &["--prefer", "upstream", "--dry-run", "."]);
    let err = stderr(&o);
    assert!(
        err.contains("skipped 3: 1 hidden (.changeset), 1 git-ignored (drafts), 1 already"),
        "{err}"
    );
    // `diff` walks the same way and says so too, on stderr (stdout is the diff
    // or its JSON).
    for args in [&["diff", "."][..], &["diff", "--json", "."]] {
        let o = r.run("", args);
        let err = stderr(&o);
        assert!(
            err.contains("skipped 3: 1 hidden (.changeset), 1 git-ignored (drafts), 1 already"),
            "{args:?}: {err}"
        );
        assert!(!stdout(&o).contains("skipped"), "{args:?}");
    }
    assert_eq!(r.read_string(".changeset/note.md"), CONFLICT);
}

#[test]
fn a_fifo_named_like_an_article_is_said_and_counted_never_read() {
    let r = setup();
    let fifo = std::ffi::CString::new(
        r.path()
            .join("content/pipe.md")
            .into_os_string()
            .into_encoded_bytes(),
    )
    .unwrap();
    // SAFETY: a valid C path; mkfifo touches nothing else.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    // Opened for reading, a FIFO with no writer would block the run forever.
    for args in [
        &["check", "content"][..],
        &["--prefer", "upstream", "content"],
    ] {
        let o = r.run("", args);
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(
            err.contains("content/pipe.md: a FIFO, not a regular file; skipped"),
            "{args:?}: {err}"
        );
        assert!(
            format!("{out}{err}").contains("skipped 1: 1 not a regular file (content/pipe.md)"),
            "{args:?}: {out}{err}"
        );
    }
    assert_eq!(
        r.read_string("shared/post.md"),
        "---\ntitle: U\n---\nbody\n"
    );
}
