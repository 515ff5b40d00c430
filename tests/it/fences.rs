//! Fenced examples of conflict markers are text for `resolve`, `diff`, the
//! merge driver and `check` alike (repro 01-fence.sh and its neighbours).

use std::process::{Output, Stdio};

use crate::common::{stderr, stdout, Repo};

/// An article that documents git's markers in a fenced code block.
const DOC: &str = "---\ntitle: A\n---\nGit writes this:\n\n```text\n<<<<<<< HEAD\nour line\n=======\ntheir line\n>>>>>>> feature\n```\n";

fn run(repo: &Repo, args: &[&str]) -> Output {
    repo.frontmerge()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn repro_01_a_committed_example_is_left_alone_by_every_command() {
    let repo = Repo::new();
    repo.write("post.md", DOC);
    repo.commit_all("base");

    let o = run(&repo, &["check"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));

    for args in [
        &["--prefer", "upstream", "."][..],
        &["--prefer", "stashed", "post.md"],
    ] {
        let o = run(&repo, args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no conflicts") && stderr(&o).contains("fenced"),
            "the message says why: {}",
            stderr(&o)
        );
        // The staged copy is HEAD's, examples and all: nothing to warn about.
        assert!(
            !stderr(&o).contains("staged copy"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(repo.read_string("post.md"), DOC, "{args:?}");
    }
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    let o = run(&repo, &["--stdout", "post.md"]);
    assert_eq!(stdout(&o), DOC);

    let o = run(&repo, &["diff", "post.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("no conflicts"), "{}", stdout(&o));
}

#[test]
fn a_real_conflict_next_to_an_example_is_resolved_and_the_example_kept() {
    for style in ["merge", "diff3"] {
        let repo = Repo::new();
        let pop = repo.stash_pop_conflict(
            "post.md",
            DOC,
            &DOC.replace("title: A", "title: Upstream"),
            &DOC.replace("title: A", "title: Stashed"),
            style,
        );
        assert!(!pop.status.success(), "git alone conflicts");
        let o = run(&repo, &["--prefer", "stashed"]);
        assert_eq!(code(&o), 0, "{style}: {}", stderr(&o));
        assert_eq!(
            repo.read_string("post.md"),
            DOC.replace("title: A", "title: Stashed"),
            "{style}"
        );
        let o = run(&repo, &["check"]);
        assert_eq!(code(&o), 0, "{}", stdout(&o));
    }
}

#[test]
fn a_real_conflict_inside_the_example_fence_is_resolved_around_the_example() {
    let base = DOC.replace("our line\n", "our line\nshared\n");
    let up = DOC.replace("our line\n", "our line\nupstream\n");
    let st = DOC.replace("our line\n", "our line\nstashed\n");
    for style in ["merge", "diff3"] {
        for (side, want) in [("upstream", &up), ("stashed", &st)] {
            let repo = Repo::new();
            let pop = repo.stash_pop_conflict("post.md", &base, &up, &st, style);
            assert!(!pop.status.success(), "git alone conflicts");
            let o = run(&repo, &["diff", "post.md"]);
            assert_eq!(code(&o), 0, "{}", stderr(&o));
            assert!(stdout(&o).contains("body"), "{}", stdout(&o));
            let o = run(&repo, &["--prefer", side]);
            assert_eq!(code(&o), 0, "{style} {side}: {}", stderr(&o));
            assert_eq!(&repo.read_string("post.md"), want, "{style} {side}");
        }
    }
}

#[test]
fn an_example_the_other_branch_added_is_text_too() {
    // `topic` adds the example, both change the title: the example is in
    // index stage 3 (theirs), not in HEAD.
    let repo = Repo::new();
    let plain = "---\ntitle: A\n---\nGit writes this:\n";
    repo.write("post.md", plain);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", DOC.replace("title: A", "title: Topic"));
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", plain.replace("title: A", "title: Main"));
    repo.commit_all("main");
    let merged = repo.git_output(&["merge", "-q", "topic", "-m", "merge"]);
    assert!(!merged.status.success(), "git alone conflicts");
    // `check` reads it as `resolve` does: git's three marker lines, no more.
    let o = run(&repo, &["check", "post.md"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert_eq!(
        stdout(&o).matches(": error: ").count(),
        3,
        "only the title conflict: {}",
        stdout(&o)
    );
    let o = run(&repo, &["--prefer", "upstream"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        DOC.replace("title: A", "title: Main")
    );
}

#[test]
fn the_merge_driver_merges_an_article_with_an_example_field_by_field() {
    let repo = Repo::new();
    let o = run(&repo, &["install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let base = DOC.replace("title: A\n", "title: A\ndescription: D\n");
    repo.write("post.md", &base);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write(
        "post.md",
        base.replace("description: D", "description: Topic"),
    );
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", base.replace("title: A", "title: Main"));
    repo.commit_all("main");
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert!(
        stderr(&merged).contains("merged field by field"),
        "the driver's own merge, not git's fallback: {}",
        stderr(&merged)
    );
    assert_eq!(
        repo.read_string("post.md"),
        base.replace("title: A", "title: Main")
            .replace("description: D", "description: Topic")
    );
}

#[test]
fn tilde_fences_and_backticks_inside_them_hold_examples() {
    let doc = "---\ntitle: A\n---\nHow it renders:\n\n~~~markdown\n```text\n<<<<<<< HEAD\nour line\n=======\ntheir line\n>>>>>>> feature\n```\n~~~\n";
    let repo = Repo::new();
    repo.write("post.md", doc);
    repo.commit_all("base");
    let o = run(&repo, &["check"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = run(&repo, &["--prefer", "upstream", "post.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), doc);
}

#[test]
fn markers_after_a_fence_opened_in_a_list_item_or_a_quote_are_not_examples() {
    // CommonMark: a column-0 line ends the list item (or the block quote)
    // and the fenced block with it, so these marker lines are not code: a
    // leftover, even though committed.
    for opener in ["1. Run:\n\n   ```text\n", "> ```text\n"] {
        let doc = format!(
            "---\ntitle: A\n---\n{opener}<<<<<<< HEAD\nour line\n=======\ntheir line\n>>>>>>> feature\n```\n"
        );
        let repo = Repo::new();
        repo.write("post.md", &doc);
        repo.commit_all("base");
        let o = run(&repo, &["check"]);
        assert_eq!(code(&o), 1, "{opener:?}: {}", stdout(&o));
        assert!(stdout(&o).contains("conflict-marker"), "{}", stdout(&o));
    }
    // Inside the item, indented, the example is code (and no marker at all).
    let doc = "---\ntitle: A\n---\n1. Run:\n\n   ```text\n   <<<<<<< HEAD\n   ```\n";
    let repo = Repo::new();
    repo.write("post.md", doc);
    repo.commit_all("base");
    let o = run(&repo, &["check"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = run(&repo, &["--prefer", "upstream", "post.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), doc);
}

#[test]
fn the_merge_driver_marks_only_the_real_conflict_and_resolve_then_keeps_the_example() {
    let repo = Repo::new();
    let o = run(&repo, &["install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    repo.write("post.md", DOC);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", DOC.replace("title: A", "title: Topic"));
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", DOC.replace("title: A", "title: Main"));
    repo.commit_all("main");
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert_eq!(merged.status.code(), Some(1), "{}", stderr(&merged));
    let out = repo.read_string("post.md");
    assert!(
        out.ends_with(&DOC[DOC.find("Git writes").unwrap()..]),
        "the example is intact: {out}"
    );
    assert_eq!(out.matches("<<<<<<<").count(), 2, "{out}");

    let o = run(&repo, &["check"]);
    assert_eq!(code(&o), 1, "the title conflict is caught: {}", stdout(&o));
    let o = run(&repo, &["--prefer", "stashed"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        DOC.replace("title: A", "title: Topic")
    );
}
