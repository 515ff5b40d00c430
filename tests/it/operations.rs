//! End-to-end: every git operation that leaves conflicts, told apart the way
//! git does. For each: the announced operation, how the resolved file is
//! marked (`git add`, or reset to HEAD only after a real stash pop/apply),
//! the next-step hint, and that the hinted step then works in git.

use std::process::Output;

use crate::common::{stderr, Repo};

const BASE: &str = "---\ntitle: Base\ndate: 2025-01-01\n---\nbody\n";

fn titled(t: &str) -> String {
    BASE.replace("title: Base", &format!("title: {t}"))
}

/// `main` sets the title to Main, branch `topic` to Topic; main checked out.
fn diverged() -> Repo {
    let r = Repo::new();
    r.write("post.md", BASE);
    r.write("other.md", "v1\n");
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    r.write("post.md", titled("Topic"));
    r.write("other.md", "v2\n");
    r.commit_all("topic");
    r.git(&["checkout", "-q", "main"]);
    r.write("post.md", titled("Main"));
    r.commit_all("main");
    r
}

/// Runs `args` in git, which must leave post.md unmerged.
fn conflict(r: &Repo, args: &[&str]) {
    let o = r.git_output(args);
    assert!(
        r.unmerged().contains("post.md"),
        "git {args:?} left no conflict: {}",
        stderr(&o)
    );
}

/// `git frontmerge --prefer stashed`, which must resolve post.md.
fn resolve(r: &Repo) -> String {
    let o: Output = r.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(r.unmerged(), "", "{err}");
    err
}

fn staged(r: &Repo) -> String {
    r.git(&["diff", "--cached", "--name-only"])
}

/// Checks the announced operation, a `git add` marking and the hint.
fn added(r: &Repo, op: &str, hint: &str) -> String {
    let err = resolve(r);
    assert!(err.contains(&format!("git: {op} in progress")), "{err}");
    assert!(staged(r).contains("post.md"), "git add: {err}");
    assert!(err.contains(hint), "hint {hint:?}: {err}");
    // "stashed" names a side (the tool's word for theirs); a stash itself
    // is never mentioned.
    for word in ["git stash", "stash pop", "unstaged"] {
        assert!(!err.contains(word), "no {word:?} here: {err}");
    }
    err
}

#[test]
fn merge_is_added_and_committed() {
    let r = diverged();
    conflict(&r, &["merge", "topic"]);
    added(&r, "merge", "`git commit` to conclude the merge");
    r.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(r.read_string("post.md"), titled("Topic"));
}

#[test]
fn squash_merge_is_added_and_never_mentions_an_unrelated_stash() {
    let r = diverged();
    // An older, unrelated stash.
    r.write("notes.txt", "unrelated\n");
    r.git(&["add", "notes.txt"]);
    r.git(&["stash", "-q"]);
    conflict(&r, &["merge", "--squash", "topic"]);
    added(&r, "squash merge", "`git commit`");
    r.git(&["commit", "-q", "-m", "squash topic"]);
    let files = r.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        files.contains("post.md"),
        "the commit holds post.md: {files}"
    );
    assert_eq!(r.git(&["stash", "list"]).lines().count(), 1, "stash kept");
    assert_eq!(r.git(&["status", "--short"]), "");
}

#[test]
fn cherry_pick_continues() {
    let r = diverged();
    conflict(&r, &["cherry-pick", "topic"]);
    added(&r, "cherry-pick", "`git cherry-pick --continue`");
    let o = r.git_output(&["-c", "core.editor=true", "cherry-pick", "--continue"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn cherry_pick_without_commit_is_added_for_a_later_commit() {
    let r = diverged();
    conflict(&r, &["cherry-pick", "-n", "topic"]);
    added(&r, "cherry-pick --no-commit", "`git commit`");
    r.git(&["commit", "-q", "-m", "picked"]);
    assert_eq!(r.git(&["status", "--short"]), "");
}

/// On topic, a later commit changes the title again; reverting the first
/// one conflicts.
fn revert_conflict(no_commit: bool) -> Repo {
    let r = diverged();
    r.git(&["checkout", "-q", "topic"]);
    r.write("post.md", titled("Later"));
    r.commit_all("later");
    let mut args = vec!["revert"];
    args.push(if no_commit { "-n" } else { "--no-edit" });
    args.push("HEAD~1");
    conflict(&r, &args);
    r
}

#[test]
fn revert_with_and_without_commit_continues() {
    for no_commit in [false, true] {
        let r = revert_conflict(no_commit);
        added(&r, "revert", "`git revert --continue`");
        let o = r.git_output(&["-c", "core.editor=true", "revert", "--continue"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[test]
fn rebase_continues() {
    let r = diverged();
    r.git(&["checkout", "-q", "topic"]);
    conflict(&r, &["rebase", "main"]);
    added(&r, "rebase", "`git rebase --continue`");
    let o = r.git_output(&["-c", "core.editor=true", "rebase", "--continue"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn am_continues_with_am_not_rebase() {
    let r = diverged();
    let patches = tempfile::tempdir().unwrap();
    let dir = patches.path().to_str().unwrap();
    r.git(&["format-patch", "-q", "-1", "topic", "-o", dir]);
    let patch = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    conflict(&r, &["am", "-3", patch.to_str().unwrap()]);
    let err = added(&r, "git am", "`git am --continue`");
    assert!(!err.contains("rebase"), "{err}");
    let o = r.git_output(&["am", "--continue"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(r.read_string("post.md"), titled("Topic"));
}

#[test]
fn apply_three_way_is_added() {
    let r = diverged();
    let patch = r.git(&["diff", "main~1", "topic", "--", "post.md"]);
    // Inside .git: beside the work tree would be the system temp folder,
    // and the tests leave nothing there.
    r.write(".git/topic.patch", &patch);
    conflict(&r, &["apply", "-3", ".git/topic.patch"]);
    added(&r, "git apply --3way", "the patch is applied");
}

#[test]
fn checkout_merge_is_added() {
    let r = diverged();
    r.git(&["checkout", "-q", "topic"]);
    r.write("post.md", titled("Local"));
    conflict(&r, &["checkout", "-m", "main"]);
    let err = added(&r, "checkout --merge", "local changes are carried over");
    assert_eq!(r.read_string("post.md"), titled("Local"), "{err}");
}

#[test]
fn only_a_real_stash_pop_or_apply_resets_to_head() {
    for verb in ["pop", "apply"] {
        let r = diverged();
        r.git(&["checkout", "-q", "main~1"]);
        r.write("post.md", titled("Stashed"));
        r.git(&["stash", "-q"]);
        r.git(&["checkout", "-q", "main"]);
        conflict(&r, &["stash", verb]);
        let err = resolve(&r);
        assert!(err.contains("git: stash pop/apply in progress"), "{err}");
        assert_eq!(staged(&r), "", "reset to HEAD, nothing staged: {err}");
        assert!(r.git(&["diff", "--name-only"]).contains("post.md"));
        assert!(err.contains("git stash drop"), "{err}");
        assert_eq!(r.read_string("post.md"), titled("Stashed"));
    }
}

#[test]
fn written_but_not_marked_is_its_own_outcome_with_the_command_to_run() {
    let r = diverged();
    conflict(&r, &["merge", "topic"]);
    // Another git holds the index: the file is written, `git add` cannot run.
    std::fs::write(r.path().join(".git/index.lock"), "").unwrap();
    let o = r.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(
        err.contains("post.md: written, but git could not mark it resolved"),
        "{err}"
    );
    assert!(err.contains("index.lock"), "git's own message: {err}");
    assert!(err.contains("\n    git add -- post.md"), "{err}");
    assert!(!err.contains("untouched"), "{err}");
    assert_eq!(r.read_string("post.md"), titled("Topic"));
    std::fs::remove_file(r.path().join(".git/index.lock")).unwrap();
    r.git(&["add", "--", "post.md"]);
    assert_eq!(r.unmerged(), "");
}

/// A merge where one side deleted `p.md` and the other changed it.
fn modify_delete(ours_deletes: bool) -> Repo {
    let r = Repo::new();
    r.write("p.md", "---\ntitle: a\n---\nbody\n");
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    let change = |r: &Repo| {
        r.write("p.md", "---\ntitle: changed\n---\nbody\n");
        r.commit_all("change");
    };
    let delete = |r: &Repo| {
        r.git(&["rm", "-q", "p.md"]);
        r.commit_all("delete");
    };
    if ours_deletes {
        change(&r);
    } else {
        delete(&r);
    }
    r.git(&["checkout", "-q", "main"]);
    if ours_deletes {
        delete(&r);
    } else {
        change(&r);
    }
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    r
}

#[test]
fn modify_delete_says_what_git_add_and_git_rm_keep() {
    for (ours_deletes, said) in [
        (true, "ours deleted it and theirs changed it"),
        (false, "theirs deleted it and ours changed it"),
    ] {
        let r = modify_delete(ours_deletes);
        for prefer in ["ours", "theirs"] {
            let o = r.run("", &["--prefer", prefer]);
            let err = stderr(&o);
            assert!(err.contains(said), "{prefer}: {err}");
            assert!(err.contains("`git rm -- p.md` keeps the deletion"), "{err}");
            assert!(!err.contains("then `git add` it"), "{err}");
        }
    }
}

/// A modify/delete conflict holds no markers and is still a conflict: no
/// screen calls it "no conflicts", resolve leaves it for the person (exit 3,
/// no hint to pass `--prefer`, which cannot choose between add and rm), and
/// check says a side deleted it.
#[test]
fn modify_delete_is_a_conflict_on_every_screen() {
    let r = modify_delete(false);
    let said = "theirs deleted it and ours changed it";
    let d = r.run("", &["diff"]);
    let out = String::from_utf8_lossy(&d.stdout).into_owned();
    assert!(out.contains(said) && !out.contains("no conflicts"), "{out}");
    let c = r.run("", &["check"]);
    assert_eq!(c.status.code(), Some(1));
    let out = String::from_utf8_lossy(&c.stdout).into_owned();
    assert!(
        out.contains(&format!("still unmerged in the index: {said}")),
        "{out}"
    );
    for args in [&[][..], &["--prefer", "theirs"][..]] {
        let o = r.run("", args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains(&format!("p.md: left for you: {said}")),
            "{err}"
        );
        assert!(!err.contains("no conflicts"), "{err}");
        assert!(!err.contains("pass --prefer"), "{err}");
        assert!(err.contains("1 deleted on one side"), "{err}");
    }
    assert!(r.unmerged().contains("p.md"));
    assert_eq!(r.read("p.md"), b"---\ntitle: changed\n---\nbody\n");
}

/// A merge where both sides renamed `p.md`, ours to `hello-world.md` and
/// theirs to `hello.md`: git leaves `p.md` deleted on both sides (its base
/// alone in the index, no file) and each new name added on one side.
fn rename_rename() -> Repo {
    let r = Repo::new();
    r.write("p.md", "---\ntitle: Hello\nauthor: ann\n---\n\nBody.\n");
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    r.git(&["mv", "p.md", "hello.md"]);
    r.commit_all("rename to hello.md");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["mv", "p.md", "hello-world.md"]);
    r.commit_all("rename to hello-world.md");
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    r
}

/// A rename/rename conflict is no file to read and no modify/delete: every
/// screen names the old path and the two names, resolve leaves all three
/// for the person (exit 3, the index untouched whatever `--prefer` says),
/// and the way out it gives (keep one name) is one git accepts.
#[test]
fn rename_rename_is_a_conflict_on_every_screen() {
    let r = rename_rename();
    let entries = r.unmerged();
    let keep_ours = "`git add -- hello-world.md && git rm -- hello.md p.md`";
    let keep_theirs = "`git add -- hello.md && git rm -- hello-world.md p.md`";
    let d = r.run("", &["diff"]);
    let (out, err) = (String::from_utf8_lossy(&d.stdout), stderr(&d));
    assert_eq!(d.status.code(), Some(0), "{out}{err}");
    assert!(!err.contains("cannot read"), "{err}");
    assert!(
        out.contains("p.md: both sides renamed it: ours to hello-world.md, theirs to hello.md"),
        "{out}"
    );
    assert!(
        out.contains("hello.md: theirs renamed p.md to hello.md and ours renamed it to hello-world.md (a rename/rename conflict"),
        "{out}"
    );
    assert!(!out.contains("deleted it and"), "{out}");
    let c = r.run("", &["check"]);
    let out = String::from_utf8_lossy(&c.stdout).into_owned();
    assert_eq!(c.status.code(), Some(1), "{out}");
    assert!(
        out.contains("still unmerged in the index: ours renamed p.md to hello-world.md"),
        "{out}"
    );
    assert!(!out.contains("deleted it and"), "{out}");
    for args in [&[][..], &["--prefer", "theirs"][..]] {
        let o = r.run("", args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(!err.contains("cannot read"), "{err}");
        for path in ["p.md", "hello.md", "hello-world.md"] {
            assert!(err.contains(&format!("{path}: left for you: ")), "{err}");
        }
        assert!(
            err.contains(keep_ours) && err.contains(keep_theirs),
            "{err}"
        );
        assert!(!err.contains("deleted it and"), "{err}");
        assert!(err.contains("3 in a rename/rename conflict"), "{err}");
        assert!(!err.contains("pass --prefer"), "{err}");
        assert_eq!(r.unmerged(), entries, "{args:?}: the index untouched");
    }
    let mut sh = std::process::Command::new("sh");
    crate::common::isolate(&mut sh);
    let o = sh
        .args(["-c", keep_theirs.trim_matches('`')])
        .current_dir(r.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(r.unmerged(), "");
    r.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(r.git(&["ls-files"]), "hello.md\n");
}

/// The old name of a rename/rename conflict named on the command line (it
/// has no file): the same conflict as without paths, never "no such
/// file"; `diff` and `check` name it too.
#[test]
fn rename_rename_s_old_name_given_is_the_same_conflict() {
    let r = rename_rename();
    let entries = r.unmerged();
    for args in [&["p.md"][..], &["--prefer", "theirs", "p.md"][..]] {
        let o = r.run("", args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(!err.contains("No such file"), "{err}");
        assert!(
            err.contains("p.md: left for you: both sides renamed it: ours to hello-world.md, theirs to hello.md"),
            "{err}"
        );
        assert!(err.contains("1 in a rename/rename conflict"), "{err}");
        assert_eq!(r.unmerged(), entries, "{args:?}: the index untouched");
    }
    let d = r.run("", &["diff", "p.md"]);
    let (out, err) = (String::from_utf8_lossy(&d.stdout), stderr(&d));
    assert!(!err.contains("No such file"), "{out}{err}");
    assert!(
        out.contains("p.md: both sides renamed it: ours to hello-world.md, theirs to hello.md"),
        "{out}{err}"
    );
    let c = r.run("", &["check", "p.md"]);
    let (out, err) = (String::from_utf8_lossy(&c.stdout), stderr(&c));
    assert_eq!(c.status.code(), Some(1), "{out}{err}");
    assert!(!err.contains("No such file"), "{out}{err}");
    assert!(out.contains("p.md"), "{out}{err}");
}

/// Two stashes, and the older one popped: `p.md` (changed in the older)
/// conflicts with HEAD. `same` stashes the same change of `p.md` in the
/// newer one too (which then cannot be told from the older by its files).
fn older_stash_popped(same: bool) -> Repo {
    let r = Repo::new();
    r.write("p.md", BASE);
    r.write("notes.txt", "notes\n");
    r.commit_all("base");
    r.write("p.md", titled("Older stash"));
    r.git(&["stash", "push", "-q", "-m", "older"]);
    r.write("notes.txt", "notes\nprecious unrelated work\n");
    if same {
        r.write("p.md", titled("Older stash"));
    }
    r.git(&["stash", "push", "-q", "-m", "newer"]);
    r.write("p.md", titled("Upstream"));
    r.commit_all("upstream");
    let o = r.git_output(&["stash", "pop", "stash@{1}"]);
    assert!(r.unmerged().contains("p.md"), "{}", stderr(&o));
    r
}

/// After `git stash pop stash@{1}` the stash kept is stash@{1}: the hint
/// names it (a bare `git stash drop` drops stash@{0}, never applied), and
/// following it drops the applied one. When the stash list cannot tell
/// which entry was applied, the hint says how to find it instead.
#[test]
fn stash_drop_names_the_stash_that_was_applied() {
    let r = older_stash_popped(false);
    let err = resolve(&r);
    let hint = "drop it with `git stash drop stash@{1}`";
    assert!(err.contains(hint), "{err}");
    r.git(&["stash", "drop", "stash@{1}"]);
    let left = r.git(&["stash", "list"]);
    assert!(left.contains("newer") && !left.contains("older"), "{left}");

    let r = older_stash_popped(true);
    let err = resolve(&r);
    assert!(!err.contains("`git stash drop`"), "{err}");
    assert!(
        !err.contains("stash@{0}") && !err.contains("stash@{1}`"),
        "{err}"
    );
    assert!(err.contains("`git stash list`"), "{err}");
}

/// After a stash pop, `check` calls the sides of a modify/delete conflict
/// as every other screen does then: upstream and stashed, as the markers
/// of another file tell (it said ours and theirs, looking up no operation).
#[test]
fn check_names_the_sides_of_a_stash_pop_as_the_stash_does() {
    let r = Repo::new();
    r.write("p.md", "---\ntitle: A\n---\nbody\n");
    r.write("q.md", "---\ntitle: A\n---\nbody\n");
    r.commit_all("base");
    r.git(&["rm", "-q", "p.md"]);
    r.write("q.md", "---\ntitle: Stashed\n---\nbody\n");
    r.git(&["stash", "-q"]);
    r.write("p.md", "---\ntitle: B\n---\nbody\n");
    r.write("q.md", "---\ntitle: Upstream\n---\nbody\n");
    r.commit_all("upstream");
    assert!(!r.git_output(&["stash", "pop"]).status.success());
    let said = "stashed deleted it and upstream changed it";
    let c = r.run("", &["check"]);
    assert_eq!(c.status.code(), Some(1));
    let out = String::from_utf8_lossy(&c.stdout).into_owned();
    assert!(
        out.contains(&format!("still unmerged in the index: {said}")),
        "{out}"
    );
    let d = r.run("", &["diff"]);
    let out = String::from_utf8_lossy(&d.stdout).into_owned();
    assert!(out.contains(said), "diff says it alike: {out}");
}
