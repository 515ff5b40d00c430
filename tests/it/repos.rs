//! End-to-end: each file is handled with its own repository, wherever the
//! command runs — named from outside, in a submodule, in another work tree,
//! with `GIT_DIR`/`GIT_WORK_TREE` — with the same result as from inside;
//! a path with a newline gets its base like any other.

use std::path::Path;
use std::process::Output;

use crate::common::{bin, stderr, Repo};

const BASE: &str = "---\ntitle: Base\ndate: 2025-01-01\n---\nbody\n";
/// The current branch changes the title only, topic the date only: a three-way merge
/// with the index base takes both; without the base the title would be lost.
const MERGED: &str = "---\ntitle: Main\ndate: 2025-02-02\n---\nbody\n";

/// Commits `names` in `r`, changes the date on topic and the title on the
/// current branch,
/// and merges topic, which conflicts on each file.
fn merge_conflict(r: &Repo, names: &[&str]) {
    for n in names {
        r.write(n, BASE);
    }
    r.commit_all("base");
    let branch = r.git(&["rev-parse", "--abbrev-ref", "HEAD"]);
    r.git(&["checkout", "-q", "-b", "topic"]);
    for n in names {
        r.write(n, BASE.replace("2025-01-01", "2025-02-02"));
    }
    r.commit_all("topic");
    r.git(&["checkout", "-q", branch.trim()]);
    for n in names {
        r.write(n, BASE.replace("title: Base", "title: Main"));
    }
    r.commit_all("main");
    let o = r.git_output(&["merge", "topic"]);
    assert!(!o.status.success(), "git alone conflicts");
}

/// frontmerge in `dir` (any folder) with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn assert_resolved_and_marked(r: &Repo, rel: &str, o: &Output) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(r.read_string(rel), MERGED, "three-way with the base: {err}");
    assert_eq!(r.unmerged(), "", "marked resolved: {err}");
}

#[test]
fn a_file_named_from_outside_its_repository() {
    let r = Repo::new();
    merge_conflict(&r, &["post.md"]);
    let outside = tempfile::tempdir().unwrap();
    let file = r.path().join("post.md");
    let o = run_in(
        outside.path(),
        &["--prefer", "stashed", file.to_str().unwrap()],
    );
    assert_resolved_and_marked(&r, "post.md", &o);
    assert!(stderr(&o).contains("`git commit` to conclude the merge"));
}

#[test]
fn files_of_two_repositories_in_one_run() {
    let (a, b) = (Repo::new(), Repo::new());
    merge_conflict(&a, &["post.md"]);
    merge_conflict(&b, &["post.md"]);
    let outside = tempfile::tempdir().unwrap();
    let (fa, fb) = (a.path().join("post.md"), b.path().join("post.md"));
    let o = run_in(
        outside.path(),
        &[
            "--prefer",
            "stashed",
            fa.to_str().unwrap(),
            fb.to_str().unwrap(),
        ],
    );
    assert_resolved_and_marked(&a, "post.md", &o);
    assert_resolved_and_marked(&b, "post.md", &o);
}

#[test]
fn a_submodules_file_from_the_superproject() {
    let sub = Repo::new();
    sub.write("seed.txt", "x\n");
    sub.commit_all("seed");
    let sup = Repo::new();
    let url = sub.path().to_str().unwrap();
    sup.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        url,
        "sub",
    ]);
    sup.commit_all("submodule");
    let inner = Repo::at(sup.path().join("sub"));
    inner.git(&["checkout", "-q", "-B", "work"]);
    merge_conflict(&inner, &["post.md"]);
    let o = run_in(sup.path(), &["--prefer", "stashed", "sub/post.md"]);
    assert_resolved_and_marked(&inner, "post.md", &o);
}

#[test]
fn a_linked_work_tree() {
    let r = Repo::new();
    r.write("seed.txt", "x\n");
    r.commit_all("seed");
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    r.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "side",
        wt_path.to_str().unwrap(),
    ]);
    let w = Repo::at(wt_path.clone());
    merge_conflict(&w, &["post.md"]);
    // From the main work tree, naming the linked one's file.
    let file = wt_path.join("post.md");
    let o = run_in(r.path(), &["--prefer", "stashed", file.to_str().unwrap()]);
    assert_resolved_and_marked(&w, "post.md", &o);
}

#[test]
fn git_dir_and_work_tree_set_from_outside() {
    let r = Repo::new();
    merge_conflict(&r, &["post.md"]);
    let store = tempfile::tempdir().unwrap();
    let git_dir = store.path().join("store.git");
    std::fs::rename(r.path().join(".git"), &git_dir).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let o = bin()
        .current_dir(elsewhere.path())
        .env("GIT_DIR", &git_dir)
        .env("GIT_WORK_TREE", r.path())
        .args(["--prefer", "stashed"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(r.read_string("post.md"), MERGED, "{err}");
    let mut git = std::process::Command::new("git");
    crate::common::isolate(&mut git);
    let left = git
        .env("GIT_DIR", &git_dir)
        .env("GIT_WORK_TREE", r.path())
        .args(["ls-files", "-u"])
        .output()
        .unwrap();
    assert!(left.stdout.is_empty(), "marked resolved: {err}");
}

#[test]
fn a_path_with_a_newline_gets_its_base() {
    let r = Repo::new();
    merge_conflict(&r, &["plain.md", "new\nline.md"]);
    let o = r.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(r.read_string("plain.md"), MERGED, "{err}");
    assert_eq!(r.read_string("new\nline.md"), MERGED, "{err}");
    assert_eq!(r.unmerged(), "", "{err}");
}
