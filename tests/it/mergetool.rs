//! `git mergetool --tool=frontmerge` (issue 23), end to end: `install
//! --mergetool` registers the tool in git's config, then real `git
//! mergetool` in a real pseudo-terminal runs the picker on a real merge
//! conflict, and what it writes is what the picker writes run directly.

use std::fs;
use std::process::Command;

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};

use crate::common::Repo;
use crate::picker::{answer, finish};
use crate::picker_answers::plain;

/// A merge whose title both sides changed: `git merge topic` conflicts.
fn conflicted() -> Repo {
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
