//! `git mergetool --tool=frontmerge` (issue 23), end to end: `install
//! --mergetool` registers the tool in git's config, then real `git
//! mergetool` in a real pseudo-terminal runs the picker on a real merge
//! conflict, and what it writes is what the picker writes run directly. The
//! tool reads git's `$BASE $LOCAL $REMOTE $MERGED` files, not the index: an
//! add/add conflict (an empty `$BASE`), a `$MERGED` a person edited, and a
//! tool whose git sees no index at all.

use std::fs;
use std::process::Command;

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};

use crate::common::Repo;
use crate::picker::{answer, finish};
use crate::picker_answers::plain;

/// A merge whose title both sides changed: `git merge topic` conflicts.
pub(crate) fn conflicted() -> Repo {
    let repo = Repo::new();
    repo.branches(
        "post.md",
        "---\ntitle: Base\ntags: [a]\n---\nBody.\n",
        "---\ntitle: Ours\ntags: [a]\n---\nBody.\n",
        "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n",
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

/// `program args` in `repo`, in a pseudo-terminal 120 columns wide, the
/// built binary on PATH, the user's configuration kept away.
fn in_terminal(repo: &Repo, line: &str) -> PtySession {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("stty rows 40 cols 120 && exec {line}"));
    crate::common::isolate(&mut c);
    c.current_dir(repo.path())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("PATH", crate::common::path_with_bin());
    let options = Options {
        timeout_ms: Some(60_000),
        strip_ansi_escape_codes: false,
    };
    spawn_with_options(c, options).expect("spawned in a pseudo-terminal")
}

#[test]
fn git_mergetool_runs_the_picker_and_writes_what_the_picker_writes() {
    let repo = conflicted();
    let o = repo.run("", &["install", "--mergetool"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    let cmd = repo.git(&["config", "mergetool.frontmerge.cmd"]);
    for arg in [
        "mergetool",
        "\"$BASE\"",
        "\"$LOCAL\"",
        "\"$REMOTE\"",
        "\"$MERGED\"",
    ] {
        assert!(cmd.contains(arg), "{cmd}");
    }
    assert_eq!(
        repo.git(&["config", "mergetool.frontmerge.trustExitCode"])
            .trim(),
        "true"
    );
    let mut p = in_terminal(&repo, "git mergetool --no-prompt --tool=frontmerge");
    let shown = answer(&mut p, "[1/1] title: which version?", "s");
    answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    let text = plain(&(shown + &rest));
    assert_eq!(code, 0, "{text}");
    // git took the tool's word: the path is resolved in the index.
    assert_eq!(repo.unmerged(), "", "{text}");
    let via_git = repo.read("post.md");

    // The picker run directly on the same conflict, the same answer.
    let twin = conflicted();
    let mut p = in_terminal(&twin, "git-frontmerge post.md");
    answer(&mut p, "[1/1] title: which version?", "s");
    answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{}", plain(&rest));
    assert!(
        via_git == twin.read("post.md"),
        "git mergetool wrote:\n{}\nthe picker writes:\n{}",
        String::from_utf8_lossy(&via_git),
        twin.read_string("post.md")
    );
    assert_eq!(
        String::from_utf8_lossy(&via_git),
        "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n"
    );
}

#[test]
fn quitting_the_picker_in_git_mergetool_leaves_the_conflict() {
    let repo = conflicted();
    let before = repo.read("post.md");
    let o = repo.run("", &["install", "--mergetool"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    let mut p = in_terminal(&repo, "git mergetool --no-prompt --tool=frontmerge");
    answer(&mut p, "[1/1] title: which version?", "q");
    let (rest, code) = finish(p);
    assert_ne!(code, 0, "{}", plain(&rest));
    assert!(repo.unmerged().contains("post.md"), "{}", plain(&rest));
    assert!(repo.read("post.md") == before, "the file changed");
    let _ = fs::remove_file(repo.path().join("post.md.orig"));
}

#[test]
fn under_git_mergetool_no_part_is_offered_as_left_unresolved() {
    // git puts the whole conflict back unless the tool writes the file
    // whole: a part "left unresolved" there would lose every answer given.
    let repo = conflicted();
    let o = repo.run("", &["install", "--mergetool"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    let mut p = in_terminal(&repo, "git mergetool --no-prompt --tool=frontmerge");
    answer(&mut p, "[1/1] title: which version?", "");
    // The whole menu, then `l` (nothing there) and the stashed title.
    let menu = plain(&answer(&mut p, "quit without writing", "l"));
    assert!(!menu.contains("leave unresolved"), "{menu}");
    thread_sleep();
    answer(&mut p, "", "s");
    answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{}", plain(&rest));
    assert_eq!(repo.unmerged(), "", "{}", plain(&rest));
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n"
    );
    let _ = fs::remove_file(repo.path().join("post.md.orig"));

    // Run directly, the same question offers it.
    let twin = conflicted();
    let mut p = in_terminal(&twin, "git-frontmerge post.md");
    answer(&mut p, "[1/1] title: which version?", "");
    let menu = plain(&answer(&mut p, "quit without writing", "q"));
    assert!(menu.contains("leave unresolved"), "{menu}");
    let _ = finish(p);
}

fn thread_sleep() {
    std::thread::sleep(std::time::Duration::from_millis(100));
}

/// Runs `git mergetool --tool=frontmerge` in `repo` (installed first), giving
/// `keys[i]` at `prompts[i]` and then `w`; the text shown and the exit code.
fn through_mergetool(repo: &Repo, prompts: &[&str], keys: &[&str]) -> (String, i32) {
    let o = repo.run("", &["install", "--mergetool"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    let p = in_terminal(repo, "git mergetool --no-prompt --tool=frontmerge");
    answer_all(p, prompts, keys)
}

/// The picker run directly on `repo`'s conflicted `post.md`, the same answers.
fn directly(repo: &Repo, prompts: &[&str], keys: &[&str]) -> (String, i32) {
    let p = in_terminal(repo, "git-frontmerge post.md");
    answer_all(p, prompts, keys)
}

fn answer_all(mut p: PtySession, prompts: &[&str], keys: &[&str]) -> (String, i32) {
    let mut shown = String::new();
    for (q, k) in prompts.iter().zip(keys) {
        shown.push_str(&answer(&mut p, q, k));
    }
    shown.push_str(&answer(&mut p, "Write post.md?", "w"));
    let (rest, code) = finish(p);
    (plain(&(shown + &rest)), code)
}

/// main and topic each add `post.md`, with no common ancestor for it:
/// `git merge topic` leaves an add/add conflict (no stage 1, an empty $BASE).
fn added_on_both_sides() -> Repo {
    let repo = Repo::new();
    repo.write("other.md", "---\ntitle: Other\n---\nx\n");
    repo.commit_all("root");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n");
    repo.commit_all("topic adds post.md");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", "---\ntitle: Ours\ntags: [a]\n---\nBody.\n");
    repo.commit_all("main adds post.md");
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    assert!(
        !repo.unmerged().contains(" 1\tpost.md"),
        "{}",
        repo.unmerged()
    );
    repo
}

#[test]
fn an_add_add_conflict_has_an_empty_base_and_is_merged_as_the_picker_merges_it() {
    // Key by key: every key is new on both sides; `tags` has the answer of
    // its rule preselected (Enter takes it).
    let prompts = ["[1/2] title: which version?", "[2/2] tags: which version?"];
    let repo = added_on_both_sides();
    let (text, code) = through_mergetool(&repo, &prompts, &["s", "\r"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.unmerged(), "", "{text}");
    let twin = added_on_both_sides();
    let (text, code) = directly(&twin, &prompts, &["s", "\r"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.read_string("post.md"), twin.read_string("post.md"));
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n"
    );
}

/// Both sides change the title; main also changes the next line: git's one
/// conflict holds both lines, and only the base tells that `description`
/// is main's change alone.
fn base_decides_description() -> Repo {
    let repo = Repo::new();
    repo.branches(
        "post.md",
        "---\ntitle: Base\ndescription: Same\n---\nBody.\n",
        "---\ntitle: Ours\ndescription: Changed by main\n---\nBody.\n",
        "---\ntitle: Theirs\ndescription: Same\n---\nBody.\n",
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

#[test]
fn the_tool_reads_gits_files_not_the_index() {
    let repo = base_decides_description();
    let o = repo.run("", &["install", "--mergetool"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    // The tool's git sees an index without the path's stages (as under a
    // front end that has no git index): only the files tell the base.
    repo.git(&[
        "config",
        "mergetool.frontmerge.cmd",
        "GIT_INDEX_FILE=\"$PWD/.git/no-such-index\" git-frontmerge mergetool \"$BASE\" \"$LOCAL\" \"$REMOTE\" \"$MERGED\"",
    ]);
    let p = in_terminal(&repo, "git mergetool --no-prompt --tool=frontmerge");
    // With the base, description is main's change alone: one question.
    let (text, code) = answer_all(p, &["[1/1] title: which version?"], &["s"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.unmerged(), "", "{text}");
    let twin = base_decides_description();
    let (text, code) = directly(&twin, &["[1/1] title: which version?"], &["s"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.read_string("post.md"), twin.read_string("post.md"));
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: Theirs\ndescription: Changed by main\n---\nBody.\n"
    );
}

/// A conflict in the title and one in the body, the body's resolved by a
/// person in the file before any tool runs.
fn edited_by_a_person() -> Repo {
    let repo = Repo::new();
    let art = |t: &str, b: &str| format!("---\ntitle: {t}\n---\nIntro.\n\nA\n\nB\n\n{b}\n");
    repo.branches(
        "post.md",
        &art("Base", "Body."),
        &art("Ours", "Body, ours."),
        &art("Theirs", "Body, theirs."),
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    let text = repo.read_string("post.md");
    let start = text.rfind("<<<<<<<").unwrap();
    let end = text.rfind(">>>>>>> topic\n").unwrap() + ">>>>>>> topic\n".len();
    assert!(text[..start].contains("<<<<<<<"), "two conflicts: {text}");
    repo.write(
        "post.md",
        format!("{}Body, by hand.\n{}", &text[..start], &text[end..]),
    );
    repo
}

#[test]
fn a_merged_file_a_person_edited_keeps_the_edit_as_the_picker_does() {
    let prompts = ["[1/1] title: which version?"];
    let repo = edited_by_a_person();
    let (text, code) = through_mergetool(&repo, &prompts, &["s"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(repo.unmerged(), "", "{text}");
    let twin = edited_by_a_person();
    let (text, code) = directly(&twin, &prompts, &["s"]);
    assert_eq!(code, 0, "{text}");
    let got = repo.read_string("post.md");
    assert_eq!(got, twin.read_string("post.md"));
    assert!(
        got.contains("title: Theirs\n") && got.contains("Body, by hand.\n"),
        "{got}"
    );
    assert!(!got.contains("<<<<<<<"), "{got}");
}
