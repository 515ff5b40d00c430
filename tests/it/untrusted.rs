//! A cloned repository is not trusted (repro 20): its `.frontmerge.toml`,
//! its symlinks and its articles cannot make frontmerge read, print or write
//! anything outside its work tree. Each test here backs a line of the
//! threat model in docs/guarantees.md.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::{code, stderr, stdout, Repo};

const SECRET: &str = "TOKEN=s3cr3t-value";

/// A folder outside the repository holding a secret file.
fn outside() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("secret"), format!("{SECRET}\n")).unwrap();
    d
}

fn all_output(o: &std::process::Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

#[test]
fn a_config_symlinked_outside_the_work_tree_is_refused_unread() {
    let out = outside();
    let r = Repo::new();
    symlink(out.path().join("secret"), r.path().join(".frontmerge.toml")).unwrap();
    r.write("a.md", "---\ntitle: a\n---\nbody\n");
    r.commit_all("x");
    for args in [
        &["check"][..],
        &["diff", "a.md"],
        &["--prefer", "stashed", "a.md"],
    ] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(
            !all.contains("s3cr3t"),
            "{args:?} printed the target: {all}"
        );
        assert!(
            all.contains(".frontmerge.toml") && all.contains("outside the work tree"),
            "{args:?}: {all}"
        );
        assert_eq!(code(&o), 2, "{args:?}: {all}");
    }
}

#[test]
fn a_config_symlinked_inside_the_work_tree_is_read() {
    let r = Repo::new();
    r.write("conf/frontmerge.toml", "[rules]\ntitle = \"stashed\"\n");
    symlink("conf/frontmerge.toml", r.path().join(".frontmerge.toml")).unwrap();
    // The repository's own file: tracked.
    r.commit_all("config");
    r.write(
        "a.md",
        "---\n<<<<<<< Updated upstream\ntitle: U\n=======\ntitle: S\n>>>>>>> Stashed changes\n---\nbody\n",
    );
    r.run_exits(&["a.md"], 0);
    assert_eq!(r.read_string("a.md"), "---\ntitle: S\n---\nbody\n");
}

/// Found by an attacker's trial: `.frontmerge.toml` committed as a link to
/// `.env` (git-ignored, the person's secrets) or `.git/config`, inside the
/// work tree, was read, and `check`'s parse error quoted a line of it. A
/// link must lead to a file the repository tracks; anything else is refused
/// unread.
#[test]
fn a_config_symlinked_to_an_untracked_or_git_file_is_refused_unread() {
    for target in [".env", ".git/config", "notes/untracked.txt"] {
        let r = Repo::new();
        r.write(".gitignore", ".env\n");
        r.write("a.md", "---\ntitle: a\n---\nbody\n");
        symlink(target, r.path().join(".frontmerge.toml")).unwrap();
        r.commit_all("x");
        if target != ".git/config" {
            r.write(target, format!("{SECRET}\n"));
        } else {
            r.git(&["config", "user.token", "s3cr3t-value"]);
        }
        for args in [&["check"][..], &["diff", "a.md"]] {
            let o = r.run("", args);
            let all = all_output(&o);
            assert!(!all.contains("s3cr3t"), "{target} {args:?}: {all}");
            assert_eq!(code(&o), 2, "{target} {args:?}: {all}");
            assert!(all.contains("does not track"), "{target} {args:?}: {all}");
        }
    }
}

#[test]
fn a_config_named_on_the_command_line_is_the_persons_choice() {
    let out = tempfile::tempdir().unwrap();
    let conf = out.path().join("mine.toml");
    fs::write(&conf, "[rules]\ntitle = \"stashed\"\n").unwrap();
    let r = Repo::new();
    r.write(
        "a.md",
        "---\n<<<<<<< Updated upstream\ntitle: U\n=======\ntitle: S\n>>>>>>> Stashed changes\n---\nbody\n",
    );
    r.run_exits(&["--config", conf.to_str().unwrap(), "a.md"], 0);
    assert_eq!(r.read_string("a.md"), "---\ntitle: S\n---\nbody\n");
}

#[test]
fn a_config_error_quotes_only_the_offending_line() {
    let r = Repo::new();
    r.write(
        ".frontmerge.toml",
        "# first-line-secret\n[rules]\ntitle = \n# third-line-secret\n",
    );
    r.write("a.md", "---\ntitle: a\n---\nbody\n");
    let o = r.run("", &["check", "a.md"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("title = "), "{err}");
    assert!(
        !err.contains("first-line-secret") && !err.contains("third-line-secret"),
        "{err}"
    );
    // A key quoted in a message stays on the message's one line.
    r.write(
        ".frontmerge.toml",
        "[rules]\n\"x\\nforged: line\" = \"bogus\"\n",
    );
    let o = r.run("", &["check", "a.md"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("x\\nforged: line"), "{err}");
}

/// Three merges where the person took theirs' title: `learn` proposes
/// `title = "stashed"`.
fn learned_history(r: &Repo) {
    for i in 1..=3 {
        r.write(
            &format!("p{i}.md"),
            format!("---\ntitle: \"b{i}\"\n---\nx\n"),
        );
    }
    r.commit_all("base");
    for i in 1..=3 {
        let (p, b) = (format!("p{i}.md"), format!("b{i}"));
        r.git(&["checkout", "-q", "-b", &b, "main"]);
        r.write(&p, format!("---\ntitle: \"theirs{i}\"\n---\nx\n"));
        r.commit_all("t");
        r.git(&["checkout", "-q", "main"]);
        r.write(&p, format!("---\ntitle: \"ours{i}\"\n---\nx\n"));
        r.commit_all("o");
        let _ = r.git_output(&["merge", "-q", &b]);
        r.write(&p, format!("---\ntitle: \"theirs{i}\"\n---\nx\n"));
        r.commit_all(&format!("Merge branch '{b}'"));
    }
}

#[test]
fn learn_write_never_writes_through_a_symlinked_config() {
    let out = tempfile::tempdir().unwrap();
    let victim = out.path().join("victim");
    fs::write(&victim, "").unwrap();
    let r = Repo::new();
    learned_history(&r);
    symlink(&victim, r.path().join(".frontmerge.toml")).unwrap();
    let o = r.run("", &["learn", "--write"]);
    assert_eq!(code(&o), 2, "{}", all_output(&o));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "", "written outside");
    // A link inside the work tree is not written through either.
    fs::remove_file(r.path().join(".frontmerge.toml")).unwrap();
    r.write("inner.toml", "");
    symlink("inner.toml", r.path().join(".frontmerge.toml")).unwrap();
    let o = r.run("", &["learn", "--write"]);
    assert_eq!(code(&o), 2, "{}", all_output(&o));
    assert!(stderr(&o).contains("a symlink"), "{}", stderr(&o));
    assert_eq!(r.read_string("inner.toml"), "");
    // The regular file is written (of three merges, holding one back leaves
    // too few to learn from).
    fs::remove_file(r.path().join(".frontmerge.toml")).unwrap();
    let o = r.run("", &["learn", "--write", "--holdout", "0"]);
    assert_eq!(code(&o), 0, "{}", all_output(&o));
    assert!(r.read_string(".frontmerge.toml").contains("title"));
}

#[test]
fn install_never_writes_a_symlinked_gitattributes() {
    let out = tempfile::tempdir().unwrap();
    let victim = out.path().join("victim");
    fs::write(&victim, "").unwrap();
    let r = Repo::new();
    symlink(&victim, r.path().join(".gitattributes")).unwrap();
    let o = r.run("", &["install", "--merge-driver"]);
    assert_eq!(code(&o), 2, "{}", all_output(&o));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "");
}

const MARKED: &str = "---\ntitle: o\n---\n<<<<<<< Updated upstream\nMY NOTES A\n=======\nMY NOTES B\n>>>>>>> Stashed changes\n";

/// A repository with a committed `link.md` to an article outside it.
fn linked_outside() -> (Repo, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("notes.md"), MARKED).unwrap();
    let r = Repo::new();
    r.write("a.md", "---\ntitle: a\n---\nbody\n");
    symlink(out.path().join("notes.md"), r.path().join("link.md")).unwrap();
    r.commit_all("link");
    (r, out)
}

fn notes(out: &Path) -> String {
    fs::read_to_string(out.join("notes.md")).unwrap()
}

#[test]
fn a_walk_does_not_follow_a_symlink_to_outside_the_work_tree() {
    let (r, out) = linked_outside();
    let o = r.run("", &["--prefer", "stashed", "."]);
    let all = all_output(&o);
    assert_eq!(notes(out.path()), MARKED, "resolve . wrote outside: {all}");
    assert!(
        all.contains("link.md: a symlink to outside the work tree; skipped"),
        "{all}"
    );
    assert!(
        all.contains("1 symlinked outside the work tree or hidden (link.md)"),
        "{all}"
    );
    for args in [&["check", "."][..], &["check"], &["diff", "."]] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(
            !all.contains("MY NOTES"),
            "{args:?} quoted the outside file: {all}"
        );
        assert!(
            all.contains("link.md: a symlink to outside the work tree"),
            "{args:?}: {all}"
        );
        assert_eq!(code(&o), 0, "{args:?}: {all}");
    }
}

#[test]
fn a_symlink_the_person_names_is_followed() {
    let (r, out) = linked_outside();
    r.run_exits(&["--prefer", "stashed", "link.md"], 0);
    assert_eq!(notes(out.path()), "---\ntitle: o\n---\nMY NOTES B\n");
}

#[test]
fn a_walk_outside_any_repository_stays_under_the_folder_named() {
    let top = tempfile::tempdir().unwrap();
    let (dir, elsewhere) = (top.path().join("dir"), top.path().join("elsewhere"));
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(dir.join("sub/a.md"), MARKED).unwrap();
    fs::write(elsewhere.join("b.md"), MARKED).unwrap();
    symlink("sub/a.md", dir.join("in.md")).unwrap();
    symlink("../elsewhere/b.md", dir.join("out.md")).unwrap();
    let o = crate::common::bin()
        .current_dir(top.path())
        .args(["check", "dir"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(out.contains("dir/in.md:4"), "{out}");
    assert!(!out.contains("out.md:"), "{out}");
    assert!(
        out.contains("1 symlinked outside the work tree or hidden (dir/out.md)"),
        "{out}"
    );
}

/// Found by an attacker's trial: a branch that turns an article into a
/// symlink to a file outside the clone (or changes a committed link's
/// target) leaves an unmerged path whose work-tree copy is that link.
/// `resolve` and `diff`, listing unmerged files or named the path, read,
/// showed and rewrote the file outside. A path with a symlink or a
/// submodule on a side is no article: named as git's to resolve, never
/// followed, and the file outside stays as it was.
#[test]
fn an_unmerged_symlink_is_git_s_and_never_followed() {
    let out = tempfile::tempdir().unwrap();
    let victim = out.path().join("post.md");
    let private = "---\n<<<<<<< HEAD\ntitle: private draft\n=======\ntitle: other\n>>>>>>> x\n---\nprivate body\n";
    fs::write(&victim, private).unwrap();
    // The branch makes post.md a link; main edits post.md.
    let r = Repo::new();
    r.write("post.md", "---\ntitle: A\n---\nbody\n");
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "pr"]);
    fs::remove_file(r.path().join("post.md")).unwrap();
    symlink(&victim, r.path().join("post.md")).unwrap();
    r.commit_all("link");
    r.git(&["checkout", "-q", "main"]);
    r.write("post.md", "---\ntitle: B\n---\nbody\n");
    r.commit_all("edit");
    let o = r.git_output(&["merge", "pr"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(fs::symlink_metadata(r.path().join("post.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    for args in [
        &["diff"][..],
        &["--prefer", "theirs"],
        &["diff", "post.md"],
        &["--prefer", "theirs", "post.md"],
    ] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(!all.contains("private"), "{args:?}: {all}");
        assert!(
            all.contains("a symlink or a submodule on a side"),
            "{args:?}: {all}"
        );
        assert_eq!(fs::read_to_string(&victim).unwrap(), private, "{args:?}");
    }
    // A submodule conflict at a path that looks like an article: git's.
    let r = Repo::new();
    let commit = |r: &Repo, msg: &str| {
        r.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        r.git(&["rev-parse", "HEAD"]).trim().to_owned()
    };
    let sub = Repo::new();
    let ids: Vec<String> = ["a", "b", "c"].iter().map(|m| commit(&sub, m)).collect();
    let link = |id: &str| {
        r.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{id},sub.md"),
        ]);
        r.git(&["commit", "-q", "-m", id]);
    };
    link(&ids[0]);
    r.git(&["checkout", "-q", "-b", "topic"]);
    link(&ids[1]);
    r.git(&["checkout", "-q", "main"]);
    link(&ids[2]);
    let o = r.git_output(&["merge", "topic"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let o = r.run("", &["diff"]);
    let all = all_output(&o);
    assert!(all.contains("a symlink or a submodule on a side"), "{all}");
    assert!(!all.contains("no base in the index"), "{all}");
}

/// Found by an attacker's trial: a committed folder laid out like a git
/// folder (`HEAD`, `objects/`, `refs/`, a `config` setting
/// `core.fsmonitor` to a shell command) was taken for a nested repository,
/// and git, run there, ran the command. A folder without a `.git` entry is
/// never a repository of its own (git never lets a commit add `.git`), so it
/// stays the clone's: from the top, from inside it, and from outside.
#[test]
fn a_committed_folder_shaped_like_a_repository_is_never_run_as_one() {
    let r = Repo::new();
    let canary = r.path().join("PWNED");
    r.write("post.md", "---\ntitle: A\n---\nbody\n");
    r.write("docs/vendor/HEAD", "ref: refs/heads/main\n");
    r.write("docs/vendor/objects/info/.keep", "");
    r.write("docs/vendor/refs/heads/.keep", "");
    r.write(
        "docs/vendor/config",
        format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = \"echo ran >> '{}'; false\"\n",
            canary.display()
        ),
    );
    r.write("docs/vendor/readme.md", "---\ntitle: hi\n---\nbody\n");
    r.commit_all("vendor docs");
    let outside = tempfile::tempdir().unwrap();
    let named = r.path().join("docs/vendor/readme.md");
    let named = named.to_str().unwrap();
    let runs: [(&Path, &[&str]); 8] = [
        (r.path(), &["check", "."]),
        (r.path(), &["diff", "."]),
        (r.path(), &["resolve", "--prefer", "ours", "."]),
        (r.path(), &["check", "docs/vendor/readme.md"]),
        (&r.path().join("docs/vendor"), &["check"]),
        (&r.path().join("docs/vendor"), &["check", "readme.md"]),
        (outside.path(), &["check", named]),
        (outside.path(), &["diff", named]),
    ];
    for (dir, args) in runs {
        let o = r.frontmerge().current_dir(dir).args(args).output().unwrap();
        assert!(
            !canary.exists(),
            "{args:?} in {} ran the folder's fsmonitor: {}",
            dir.display(),
            all_output(&o)
        );
        assert!(
            code(&o) <= 1,
            "{args:?} in {}: {}",
            dir.display(),
            all_output(&o)
        );
    }
}

/// Found by an attacker's trial: the driver line passed `%P` (the path,
/// a name the repository chooses) where options were still parsed, so a
/// tracked `--config=.env` made the driver read the person's ignored
/// `.env` as its rules and quote it, and `--help` printed help and exited
/// 0, which git took for a clean merge of ours alone. Every %-argument is
/// positional: in the line `install` writes now, and in the line an older
/// version wrote, without `--`.
#[test]
fn a_path_shaped_like_an_option_is_only_a_path_to_the_merge_driver() {
    let names = ["--config=.env", "--help", "-notes.md"];
    let r = Repo::new();
    let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line = r.git(&["config", "merge.frontmerge.driver"]);
    let old_line = line.trim_end().replacen(" -- %O", " %O", 1);
    assert_ne!(
        old_line,
        line.trim_end(),
        "the line names its files after `--`"
    );
    r.write(".gitattributes", "-* merge=frontmerge\n");
    r.write(".gitignore", ".env\n");
    let (base, main, topic) = (
        "---\ntitle: A\ndesc: D\n---\nbody\n",
        "---\ntitle: B\ndesc: D\n---\nbody\n",
        "---\ntitle: A\ndesc: E\n---\nbody\n",
    );
    for (side, text) in [("base", base), ("topic", topic), ("main", main)] {
        if side == "main" {
            r.git(&["checkout", "-q", "main"]);
        }
        for n in names {
            r.write(n, text);
        }
        r.commit_all(side);
        if side == "base" {
            r.git(&["checkout", "-q", "-b", "topic"]);
        }
    }
    r.write(".env", format!("{SECRET}\n"));
    for driver in [line.trim_end(), &old_line] {
        r.git(&["config", "merge.frontmerge.driver", driver]);
        let o = r.git_with_bin(&["merge", "-q", "--no-edit", "topic"]);
        let all = all_output(&o);
        assert!(!all.contains("s3cr3t"), "{driver}: {all}");
        assert_eq!(code(&o), 0, "{driver}: {all}");
        for n in names {
            assert_eq!(
                r.read_string(n),
                "---\ntitle: B\ndesc: E\n---\nbody\n",
                "{driver}: {n} merged field by field: {all}"
            );
        }
        r.git(&["reset", "-q", "--hard", "HEAD~"]);
    }
}

/// Found by an attacker's trial: with `core.hooksPath` inside the work tree
/// (husky's `.husky/_`, a `.githooks` folder), `install --hook --force`
/// kept the old hook under a name a committed dangling link held
/// (`pre-commit.old` → a file outside, created there) and read a hook
/// committed as a link to a file outside, copying it into the work tree as
/// `.old`. Nothing in the hooks folder is read or written through a link,
/// and a hooks folder that is a link to outside is refused.
#[test]
fn install_hook_never_follows_a_link_in_the_hooks_folder() {
    let out = outside();
    let login = out.path().join("login");
    let r = Repo::new();
    r.write(".githooks/pre-commit", "#!/bin/sh\necho project hook\n");
    symlink(&login, r.path().join(".githooks/pre-commit.old")).unwrap();
    symlink(
        out.path().join("secret"),
        r.path().join(".githooks/pre-merge-commit"),
    )
    .unwrap();
    r.commit_all("project hooks");
    r.git(&["config", "core.hooksPath", ".githooks"]);
    let o = r.run("", &["install", "--hook", "--force"]);
    let all = all_output(&o);
    assert!(!login.exists(), "wrote outside through a link: {all}");
    assert!(!all.contains("s3cr3t"), "{all}");
    assert!(
        all.contains("pre-merge-commit") && all.contains("symbolic link"),
        "{all}"
    );
    assert_ne!(code(&o), 0, "{all}");
    let listed = r.git(&["ls-files", "--others", "-z"]);
    for name in listed.split('\0').filter(|n| !n.is_empty()) {
        assert!(
            !r.read_string(name).contains("s3cr3t"),
            "{name} holds the secret"
        );
    }
    // The project's own pre-commit, a file, is still replaced and kept.
    assert!(r
        .read_string(".githooks/pre-commit")
        .contains("frontmerge check"));

    // A hooks folder committed as a link to a folder outside.
    let r = Repo::new();
    symlink(out.path(), r.path().join(".husky")).unwrap();
    r.commit_all("husky");
    r.git(&["config", "core.hooksPath", ".husky"]);
    let o = r.run("", &["install", "--hook", "--force"]);
    let all = all_output(&o);
    assert!(!out.path().join("pre-commit").exists(), "{all}");
    assert!(!out.path().join("pre-merge-commit").exists(), "{all}");
    assert!(all.contains(".husky") && all.contains("outside"), "{all}");
    assert_eq!(code(&o), 2, "{all}");
}

/// Found by an attacker's trial: the 16 MiB limit held for the work-tree
/// file only; git's stages of an unmerged path were read whole (and merged
/// by git in a scratch work tree) first, so a huge blob that compresses to
/// little (a few MB in `.git`) took memory in proportion and aborted under
/// a memory cap. A stage over the limit is never read: the file is refused
/// for its size, untouched, under an address-space cap far below what
/// reading it would take.
#[test]
fn a_stage_over_the_size_limit_is_refused_before_it_is_read() {
    let r = Repo::new();
    let line = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let huge = format!(
        "---\ntitle: B\n---\n{}",
        line.repeat(60_000_000 / line.len())
    );
    r.branches(
        "post.md",
        "---\ntitle: A\n---\nbody\n",
        "---\ntitle: C\n---\nbody\n",
        &huge,
    );
    drop(huge);
    assert!(!r.git_output(&["merge", "-q", "topic"]).status.success());
    let before = r.read("post.md");
    for args in [
        &["diff"][..],
        &["check", "post.md"],
        &["--prefer", "ours", "post.md"],
    ] {
        let o = under_memory_cap(&r, args);
        let all = all_output(&o);
        assert_eq!(code(&o), 1, "{args:?}: {all}");
        assert!(
            all.contains("post.md") && all.contains("over the limit"),
            "{args:?}: {all}"
        );
        assert!(r.read("post.md") == before, "{args:?} changed the file");
    }
}

/// frontmerge with `args` in `r`, its address space capped at 150 MB
/// (`ulimit -v`): far below what reading a 60 MB version whole takes.
fn under_memory_cap(r: &Repo, args: &[&str]) -> std::process::Output {
    let mut c = r.frontmerge();
    c.arg("-c")
        .arg("ulimit -v 150000 && exec \"$0\" \"$@\"")
        .arg(crate::common::binary())
        .args(args);
    let mut sh = std::process::Command::new("sh");
    sh.args(c.get_args()).current_dir(r.path());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    sh.output().unwrap()
}

/// The merge driver's versions are held to the same limit: one over it is
/// not read, and git's own line merge does the merge.
#[test]
fn the_merge_driver_reads_no_version_over_the_size_limit() {
    let d = tempfile::tempdir().unwrap();
    let line = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let huge = format!(
        "---\ntitle: B\n---\n{}",
        line.repeat(17_000_000 / line.len())
    );
    fs::write(d.path().join("O"), "---\ntitle: A\n---\nbody\n").unwrap();
    fs::write(d.path().join("A"), "---\ntitle: C\n---\nbody\n").unwrap();
    fs::write(d.path().join("B"), &huge).unwrap();
    let o = crate::common::bin()
        .current_dir(d.path())
        .args(["merge-driver", "--", "O", "A", "B", "7", "post.md"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("post.md") && err.contains("over the limit") && err.contains("git merge-file"),
        "{err}"
    );
}

/// The picker's `r` preview (the whole result, as it will be written) shows
/// an escape sequence the article holds as text, like every other screen:
/// `ESC[8m` (concealed) reached the terminal raw and hid what follows in
/// the very view meant to review it.
#[test]
fn the_whole_result_preview_shows_escape_sequences_as_text() {
    let r = Repo::new();
    let base = "---\ntitle: A\n---\nbody\n";
    let topic = "---\ntitle: A\n---\nSee the docs.\u{1b}[8m <script src=//evil.example/x.js></script>\u{1b}[0m\n";
    r.branches("post.md", base, "---\ntitle: A\n---\nbody2\n", topic);
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    let env = [("PAGER", "cat")];
    let mut p = crate::picker::spawn_sized(r.path(), &["post.md"], &env, true, 120);
    crate::picker::answer(&mut p, "body: which version?", "s");
    crate::picker::answer(&mut p, "Write post.md?", "r");
    // The page, up to the end of the article's line.
    let shown = crate::picker::answer(&mut p, "x.js></script>", "");
    crate::picker::answer(&mut p, "Write post.md?", "w");
    let (rest, code) = crate::picker::finish(p);
    assert_eq!(code, 0, "{rest}");
    let line = &shown[shown.rfind("See the docs.").expect(&shown)..];
    assert!(!line.contains("\u{1b}[8m"), "{line:?}");
    assert!(line.contains("\\x1b[8m <script"), "{line:?}");
    assert_eq!(r.read_string("post.md"), topic, "written as chosen");
}

/// The clean versions git knows of a file (HEAD, the index's stages), read
/// to tell fenced examples of markers from real ones, are held to the size
/// limit too: a committed HEAD version far over it (compressing to a few
/// MB) was read whole by `check` and `diff` of a small work-tree file with
/// a fenced example, and aborted under a memory cap.
#[test]
fn a_clean_version_over_the_size_limit_is_not_read() {
    let r = Repo::new();
    let line = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let huge = format!(
        "---\ntitle: B\n---\n{}",
        line.repeat(60_000_000 / line.len())
    );
    r.write("post.md", &huge);
    drop(huge);
    r.commit_all("huge");
    r.write(
        "post.md",
        "---\ntitle: A\n---\n```text\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n```\n",
    );
    for args in [&["check", "post.md"][..], &["diff", "post.md"]] {
        let o = under_memory_cap(&r, args);
        let all = all_output(&o);
        assert!(
            matches!(code(&o), 0 | 1) && !all.contains("memory allocation"),
            "{args:?}: {} {all}",
            code(&o)
        );
    }
}

/// An attacker's trial: a clone commits articles that are links to a
/// hidden file of the work tree (`notes.md -> .env`, the person's own,
/// git-ignored) or into the git folder (`config.md -> .git/config`). Walks
/// and `check` used to follow them (the target is inside the work tree):
/// `check` quoted the secrets file's keys and `resolve .` rewrote it. A
/// link to what a walk skips as hidden is skipped and named, never read.
#[test]
fn an_article_linked_to_a_hidden_file_or_into_git_is_never_read() {
    let r = Repo::new();
    r.write(".gitignore", ".env\n");
    symlink(".env", r.path().join("notes.md")).unwrap();
    symlink(".git/config", r.path().join("config.md")).unwrap();
    r.write("post.md", "---\ntitle: A\n---\nBody.\n");
    r.commit_all("init");
    let secret = "---\nAWS_SECRET_ACCESS_KEY: \"wJalr\"\nAWS_SECRET_ACCESS_KEY: \"dup\"\n---\n<<<<<<< mine\nDB_PASSWORD=hunter2\n=======\nDB_PASSWORD=letmein\n>>>>>>> theirs\n";
    r.write(".env", secret);
    let config = r.read(".git/config");
    for args in [&["check"][..], &["check", "."][..], &["diff", "."][..]] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(!all.contains("AWS_SECRET"), "{args:?}: {all}");
        assert!(!all.contains("DB_PASSWORD"), "{args:?}: {all}");
        assert!(!all.contains("[core]"), "{args:?}: {all}");
        assert!(
            all.contains("notes.md") && all.contains("a symlink to a hidden file"),
            "{args:?}: {all}"
        );
    }
    let o = r.run("", &["resolve", ".", "--prefer", "theirs"]);
    let all = all_output(&o);
    assert!(!all.contains("DB_PASSWORD"), "{all}");
    assert_eq!(r.read_string(".env"), secret, "{all}");
    assert_eq!(r.read(".git/config"), config);
    // The article beside them is checked as ever.
    let o = r.run("", &["check", "post.md"]);
    assert_eq!(code(&o), 0, "{}", all_output(&o));
}

/// A secrets file of the person's, shaped so that `check` would quote it:
/// a duplicate key and a conflict whose marker line holds [`IGNORED_SECRET`].
const IGNORED_SECRET: &str = "SECRET123";
const SECRETS: &str = "---\napi_key: SECRET123\napi_key: SECRET123-again\n---\n<<<<<<< mine SECRET123\ndb_password: SECRET123-hunter2\n=======\ndb_password: SECRET123-letmein\n>>>>>>> theirs\n";

/// A clone committing `notes.md -> secrets.md` (listed in its
/// `.gitignore`) and `creds.md -> config/credentials.yaml` (a folder the
/// person's `.git/info/exclude` lists), beside `post.md`; the person has
/// both files locally, holding [`SECRETS`].
fn linked_to_ignored() -> Repo {
    let r = Repo::new();
    r.write(".gitignore", "secrets.md\n");
    fs::write(r.path().join(".git/info/exclude"), "config/\n").unwrap();
    symlink("secrets.md", r.path().join("notes.md")).unwrap();
    symlink("config/credentials.yaml", r.path().join("creds.md")).unwrap();
    r.write("post.md", "---\ntitle: A\n---\nBody.\n");
    r.write("secrets.md", SECRETS);
    r.write("config/credentials.yaml", SECRETS);
    r.commit_all("init");
    assert!(r.git(&["ls-files"]).contains("notes.md"));
    assert!(!r.git(&["ls-files"]).contains("secrets.md"));
    r
}

/// An attacker's trial: a clone commits `notes.md -> secrets.md` (or
/// `-> config/credentials.yaml`), a name its `.gitignore` or the person's
/// `.git/info/exclude` lists: a file of the person's own, not hidden by
/// its name. `check` followed the link and quoted the secrets file's keys
/// and lines, and `resolve .` rewrote it. A link found by a walk or in the
/// tracked list whose target is a file git ignores is skipped and named,
/// as a link to a hidden file is: never read, quoted or written.
#[test]
fn an_article_linked_to_a_file_git_ignores_is_never_read() {
    let r = linked_to_ignored();
    for args in [
        &["check"][..],
        &["check", "."],
        &["diff", "."],
        &["resolve", ".", "--prefer", "theirs"],
        &["resolve", ".", "--dry-run", "--prefer", "theirs"],
    ] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(!all.contains(IGNORED_SECRET), "{args:?}: {all}");
        for link in ["notes.md", "creds.md"] {
            assert!(
                all.contains(&format!("{link}: a symlink to a file git ignores")),
                "{args:?}: {all}"
            );
        }
        assert_eq!(r.read_string("secrets.md"), SECRETS, "{args:?}: {all}");
        assert_eq!(
            r.read_string("config/credentials.yaml"),
            SECRETS,
            "{args:?}: {all}"
        );
    }
    for args in [&["check", "."][..], &["resolve", ".", "--prefer", "theirs"]] {
        let all = all_output(&r.run("", args));
        assert!(
            all.contains("2 symlinked to a file git ignores (creds.md, notes.md)"),
            "{args:?}: {all}"
        );
    }
    let o = r.run("", &["check"]);
    assert_eq!(code(&o), 0, "{}", all_output(&o));
}

/// The person's own choice, as for a link to a hidden file or outside: a
/// link named on the command line is followed wherever it leads.
#[test]
fn a_link_to_a_file_git_ignores_the_person_names_is_followed() {
    let r = linked_to_ignored();
    let o = r.run("", &["check", "notes.md"]);
    assert_eq!(code(&o), 1, "{}", all_output(&o));
    assert!(stdout(&o).contains("notes.md:"), "{}", all_output(&o));
}

/// A link to a file git tracks is the repository's own article, whatever
/// `.gitignore` says (a file added with `git add -f`): followed as ever,
/// by walks and the tracked list, and resolved through the link.
#[test]
fn an_article_linked_to_a_tracked_file_is_still_followed() {
    let r = Repo::new();
    r.write(".gitignore", "drafts/\n");
    r.write("drafts/kept.md", MARKED);
    r.git(&["add", "-f", "drafts/kept.md"]);
    symlink("drafts/kept.md", r.path().join("keep.md")).unwrap();
    r.commit_all("init");
    for args in [&["check"][..], &["check", "."]] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert_eq!(code(&o), 1, "{args:?}: {all}");
        assert!(stdout(&o).contains("keep.md:4"), "{args:?}: {all}");
        assert!(!all.contains("git ignores"), "{args:?}: {all}");
    }
    r.run_exits(&["--prefer", "stashed", "."], 0);
    assert_eq!(
        r.read_string("drafts/kept.md"),
        "---\ntitle: o\n---\nMY NOTES B\n"
    );
}

/// The unmerged list: a conflicted article whose work-tree copy was made a
/// link to a file git ignores is skipped and named by `resolve` and `diff`,
/// the file left as it is.
#[test]
fn an_unmerged_article_linked_to_a_file_git_ignores_is_never_read() {
    let r = Repo::new();
    r.write(".gitignore", "secrets.md\n");
    r.branches(
        "post.md",
        "---\ntitle: base\n---\nbody\n",
        "---\ntitle: ours\n---\nbody\n",
        "---\ntitle: theirs\n---\nbody\n",
    );
    assert!(!r.git_output(&["merge", "-q", "topic"]).status.success());
    r.write("secrets.md", SECRETS);
    fs::remove_file(r.path().join("post.md")).unwrap();
    symlink("secrets.md", r.path().join("post.md")).unwrap();
    for args in [&["diff"][..], &["--prefer", "theirs"]] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert!(!all.contains(IGNORED_SECRET), "{args:?}: {all}");
        assert!(
            all.contains("post.md: a symlink to a file git ignores"),
            "{args:?}: {all}"
        );
        assert_eq!(r.read_string("secrets.md"), SECRETS, "{args:?}: {all}");
    }
}

/// Links are rare, so git is asked about ignored files only when a run
/// meets one, and then once: `git check-ignore` never runs without a
/// symlink, and runs once for two.
#[test]
fn git_is_asked_what_it_ignores_only_for_links_and_once() {
    let r = Repo::new();
    r.write("post.md", "---\ntitle: A\n---\nBody.\n");
    r.commit_all("init");
    let runs = |r: &Repo, args: &[&str]| {
        let trace = crate::git::traced(r, args).1;
        trace.matches(" check-ignore").count()
    };
    let commands: [&[&str]; 4] = [
        &["check"],
        &["check", "."],
        &["diff", "."],
        &["--dry-run", "."],
    ];
    for args in commands {
        assert_eq!(runs(&r, args), 0, "{args:?}");
    }
    let r = linked_to_ignored();
    for args in commands {
        assert_eq!(runs(&r, args), 1, "{args:?}");
    }
}

/// An article of `front` (its frontmatter and `---` lines) and a body of
/// repeated text just over the 16 MiB limit: git compresses it to little.
fn just_over_the_limit(front: &str) -> String {
    let line = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let huge = format!("{front}{}", line.repeat(17_000_000 / line.len()));
    assert!(huge.len() > 16 * 1024 * 1024);
    huge
}

/// Found by an attacker's trial: `check --staged`, what the pre-commit hook
/// runs, read a staged copy of any size whole (300 MB compressing to 3 MB
/// in `.git`) and said "no problems". Its size is asked first: a copy over
/// the limit is refused unread, in the words and with the exit code of a
/// work-tree file over it.
#[test]
fn check_staged_refuses_a_staged_copy_over_the_size_limit_unread() {
    let r = Repo::new();
    r.write("post.md", "---\ntitle: a\n---\nbody\n");
    r.commit_all("init");
    let huge = just_over_the_limit("---\ntitle: a\n---\n");
    let size = huge.len();
    r.write("big.md", &huge);
    drop(huge);
    r.git(&["add", "big.md"]);
    let worded =
        format!("error: big.md: file is {size} bytes, over the limit of 16777216 bytes (16 MiB)");
    // The work-tree file, as the reference.
    let o = r.run("", &["check", "big.md"]);
    assert_eq!(code(&o), 1, "{}", all_output(&o));
    assert!(stderr(&o).contains(&worded), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 not checked"), "{}", stdout(&o));
    let work_tree = all_output(&o);
    for args in [&["check", "--staged"][..], &["check", "--staged", "big.md"]] {
        let o = r.run("", args);
        assert_eq!(code(&o), 1, "{args:?}: {}", all_output(&o));
        assert_eq!(all_output(&o), work_tree, "{args:?}: the same words");
    }
}

/// Found by an attacker's trial: `check` read HEAD's version of a changed
/// article whole to learn its mirrored fields (`schema.name` equal to
/// `title`), whatever its size. A committed version over the limit is not
/// read: no mirror is learnt from it, so no field is out of step with it;
/// the same edit against a committed version within the limit is warned of.
#[test]
fn check_learns_no_mirror_from_a_committed_version_over_the_size_limit() {
    let r = Repo::new();
    r.write(
        "post.md",
        just_over_the_limit("---\ntitle: a\nschema:\n  name: a\n---\n"),
    );
    r.commit_all("huge");
    let edited = "---\ntitle: b\nschema:\n  name: a\n---\nbody\n";
    r.write("post.md", edited);
    let staged = |r: &Repo| {
        r.git(&["add", "post.md"]);
        let o = r.run("", &["check", "--staged"]);
        r.git(&["reset", "-q"]);
        o
    };
    for o in [r.run("", &["check", "post.md"]), staged(&r)] {
        let all = all_output(&o);
        assert_eq!(code(&o), 0, "{all}");
        assert!(stdout(&o).contains("checked 1 file: no problems"), "{all}");
    }
    // The same edit against a committed version within the limit.
    r.write("post.md", "---\ntitle: a\nschema:\n  name: a\n---\nbody\n");
    r.commit_all("small");
    r.write("post.md", edited);
    for o in [r.run("", &["check", "post.md"]), staged(&r)] {
        let all = all_output(&o);
        assert!(all.contains("[derived-mismatch]"), "{all}");
    }
}

/// Found by an attacker's trial: a conflicted article whose base (index
/// stage 1) is over the limit while both sides and the work-tree file are
/// small. The stages were skipped for their size, then the base was read
/// whole anyway to merge the file from its markers, with a note that the
/// index had no conflict stages. A stage over the limit is never read:
/// the file is refused, named with the stage over the limit, untouched and
/// still unmerged.
#[test]
fn a_base_stage_over_the_size_limit_refuses_the_file_unread() {
    let r = Repo::new();
    r.branches(
        "post.md",
        &just_over_the_limit("---\ntitle: base\n---\n"),
        "---\ntitle: ours\n---\nshort body\n",
        "---\ntitle: theirs\n---\nshort body\n",
    );
    assert!(!r.git_output(&["merge", "-q", "topic"]).status.success());
    let before = r.read("post.md");
    assert!(before.len() < 1000, "git's merge is small");
    for args in [
        &["--prefer", "theirs"][..],
        &["--prefer", "theirs", "post.md"],
        &["diff"],
        &["diff", "post.md"],
    ] {
        let o = r.run("", args);
        let all = all_output(&o);
        assert_eq!(code(&o), 1, "{args:?}: {all}");
        assert!(
            all.contains("post.md")
                && all.contains("base")
                && all.contains("over the limit of 16777216 bytes (16 MiB)"),
            "{args:?}: {all}"
        );
        assert!(!all.contains("no conflict stages"), "{args:?}: {all}");
        assert!(r.read("post.md") == before, "{args:?} changed the file");
        assert!(!r.unmerged().is_empty(), "{args:?}: still unmerged");
    }
}
