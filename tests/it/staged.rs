//! End-to-end: a file `git add`ed with its conflict markers still in it (no
//! unmerged entries left) is found by `resolve` with no paths and named; once
//! resolved, its staged copy is updated as the operation requires (or the
//! exact command is printed); the pre-commit check's hint names the command.

use crate::common::{code, stderr, Repo};

const BASE: &str = "---\ntitle: Base\ndate: 2025-01-01\n---\nbody\n";

fn titled(t: &str) -> String {
    BASE.replace("title: Base", &format!("title: {t}"))
}

/// A merge of `topic` into `main` that conflicts on post.md's title, then
/// `git add post.md` with the markers still in it.
fn merge_staged_with_markers() -> Repo {
    let r = Repo::new();
    r.write("post.md", BASE);
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    r.write("post.md", titled("Topic"));
    r.commit_all("topic");
    r.git(&["checkout", "-q", "main"]);
    r.write("post.md", titled("Main"));
    r.commit_all("main");
    r.git_output(&["merge", "topic"]);
    assert!(r.unmerged().contains("post.md"), "the merge conflicts");
    r.git(&["add", "post.md"]);
    assert_eq!(r.unmerged(), "", "staged: no unmerged entries left");
    assert!(index_copy(&r).contains("<<<<<<<"), "staged with markers");
    r
}

/// The staged (index stage 0) copy of post.md.
fn index_copy(r: &Repo) -> String {
    r.git(&["show", ":post.md"])
}

#[test]
fn resolve_without_paths_finds_a_file_staged_with_markers_and_restages_it() {
    let r = merge_staged_with_markers();
    let o = r.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("staged with conflict markers"), "named: {err}");
    assert!(err.contains("post.md"), "{err}");
    let work = r.read_string("post.md");
    assert!(
        !work.contains("<<<<<<<") && work.contains("title: Topic"),
        "{work}"
    );
    let staged = index_copy(&r);
    assert_eq!(staged, work, "the staged copy is the resolved file: {err}");
}

#[test]
fn resolving_a_file_staged_with_markers_by_name_restages_it() {
    let r = merge_staged_with_markers();
    let o = r.run("", &["--prefer", "upstream", "post.md"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    let work = r.read_string("post.md");
    assert!(work.contains("title: Main"), "{work}");
    assert_eq!(index_copy(&r), work, "{err}");
}

#[test]
fn after_a_stash_pop_the_changes_stay_unstaged_and_the_command_is_printed() {
    let r = Repo::new();
    let pop = r.stash_pop_conflict(
        "post.md",
        BASE,
        &titled("Upstream"),
        &titled("Stashed"),
        "merge",
    );
    assert!(r.unmerged().contains("post.md"), "{}", stderr(&pop));
    r.git(&["add", "post.md"]);
    let o = r.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("staged with conflict markers"), "{err}");
    assert!(r.read_string("post.md").contains("title: Stashed"), "{err}");
    // Not staged by the tool (a clean pop leaves its changes unstaged): the
    // exact command that puts the index back to HEAD is printed.
    assert!(err.contains("git reset -q -- post.md"), "{err}");
    let reset = r.git_output(&["reset", "-q", "--", "post.md"]);
    assert!(reset.status.success());
    assert_eq!(index_copy(&r), titled("Upstream"));
    assert!(r.git(&["diff"]).contains("+title: Stashed"));
}

#[test]
fn the_pre_commit_check_names_the_command_that_fixes_a_staged_conflict() {
    let r = merge_staged_with_markers();
    let o = r.run("", &["check", "--staged"]);
    let err = stderr(&o);
    assert_ne!(code(&o), 0, "{err}");
    assert!(err.contains("git frontmerge post.md"), "{err}");
    assert!(err.contains("git add -- post.md"), "{err}");
    // The hinted commands do fix it: the check then passes.
    let fixed = r.run("", &["--prefer", "stashed", "post.md"]);
    assert_eq!(code(&fixed), 0, "{}", stderr(&fixed));
    r.git(&["add", "post.md"]);
    let again = r.run("", &["check", "--staged"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
}

/// Two keys on adjacent lines, one changed on each branch (git puts them in
/// one hunk) and the title on both; `op` makes the conflict, then the file is
/// `git add`ed with its markers. `op`: `merge` or `cherry-pick`.
fn staged_during(op: &str) -> Repo {
    let base = "---\ntitle: Base\ndesc: D\ndate: 2025-01-01\n---\nbody\n";
    let r = Repo::new();
    r.write("post.md", base);
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    r.write(
        "post.md",
        base.replace("title: Base", "title: Topic")
            .replace("2025-01-01", "2025-03-01"),
    );
    r.commit_all("topic");
    r.git(&["checkout", "-q", "main"]);
    r.write(
        "post.md",
        base.replace("title: Base", "title: Main")
            .replace("desc: D", "desc: E"),
    );
    r.commit_all("main");
    r.git_output(&[op, "topic"]);
    assert!(r.unmerged().contains("post.md"), "{op} conflicts");
    r.git(&["add", "post.md"]);
    r
}

#[test]
fn a_staged_file_keeps_the_operations_names_and_merges_two_ways() {
    for op in ["merge", "cherry-pick"] {
        let r = staged_during(op);
        let o = r.run("", &["--prefer", "theirs", "post.md"]);
        let err = stderr(&o);
        assert_eq!(code(&o), 0, "{op}: {err}");
        // Its stages gone, the file is merged two ways from its markers:
        // the operation's base is not used, so every key that differs
        // between the sides (the title, ours' description, theirs' date)
        // is --prefer's to decide.
        assert_eq!(
            r.read_string("post.md"),
            "---\ntitle: Topic\ndesc: D\ndate: 2025-03-01\n---\nbody\n",
            "{op}: {err}"
        );
        assert!(
            err.contains(
                "post.md: resolved (0 from ours, 3 from theirs, 0 merged)\n  title, desc, date ← theirs (--prefer)\n"
            ),
            "{op}: {err}"
        );
        assert!(
            !err.contains("upstream") && !err.contains("stashed"),
            "{op}: {err}"
        );
        assert_eq!(index_copy(&r), r.read_string("post.md"), "{op}: restaged");
    }
}
