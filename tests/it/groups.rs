//! End-to-end: key groups (`[groups]` in `.frontmerge.toml`) through the
//! built binary, with real `git stash pop` and `git merge` and the merge
//! driver: a leader settles the whole group from its side; without one, a
//! group both sides changed is one decision (exit 3, or `--prefer` takes
//! the whole group from one side), never settled key by key.

use crate::common::{code, edit, stderr, stdout, Repo};
use crate::picker::{answer, finish, spawn_sized};

const BASE: &str = "---
title: Guide
source_commit: aaa111
drifted: true
lastmod: 2025-01-01
---
# Guide

Body.
";

const LED: &str =
    "[groups.sync]\nkeys = [\"source_commit\", \"drifted\"]\nleader = \"source_commit\"\n";
const LEADERLESS: &str = "[groups.sync]\nkeys = [\"source_commit\", \"drifted\"]\n";

/// The translation re-synced: new source commit, `drifted` dropped.
fn resynced() -> String {
    edit(
        BASE,
        &[
            ("source_commit: aaa111", "source_commit: bbb222"),
            ("drifted: true\n", ""),
        ],
    )
}

/// Only the `drifted` flag changed (and the body, which git merges alone).
fn flag_changed() -> String {
    edit(
        BASE,
        &[
            ("drifted: true", "drifted: partly"),
            ("Body.", "Body, edited."),
        ],
    )
}

/// A stash pop of `stashed` over `upstream`, with `config` committed in the base.
fn popped(config: &str, upstream: &str, stashed: &str) -> Repo {
    let repo = Repo::new();
    if !config.is_empty() {
        repo.write(".frontmerge.toml", config);
    }
    let pop = repo.stash_pop_conflict("post.md", BASE, upstream, stashed, "diff3");
    assert!(!pop.status.success(), "git alone should conflict");
    repo
}

#[test]
fn key_by_key_the_dropped_flag_against_the_changed_one_is_left_open() {
    // The baseline the group fixes: without it, `drifted` is a question.
    let repo = popped("", &resynced(), &flag_changed());
    let o = repo.run("", &[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(repo.read_string("post.md").contains("<<<<<<<"));
    assert_ne!(repo.unmerged(), "");
}

#[test]
fn a_stash_pop_takes_the_whole_group_from_the_leaders_side() {
    // Upstream re-synced the leader; stashed changed only the flag.
    let repo = popped(LED, &resynced(), &flag_changed());
    let o = repo.run("", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let want = edit(&resynced(), &[("Body.", "Body, edited.")]);
    assert_eq!(repo.read_string("post.md"), want);
    let err = stderr(&o);
    assert!(err.contains("group `sync`"), "{err}");
    assert_eq!(repo.unmerged(), "", "marked resolved");

    // The other way round: the stash re-synced, upstream changed the flag.
    let repo = popped(LED, &flag_changed(), &resynced());
    let o = repo.run("", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), want);
    assert_eq!(repo.unmerged(), "");
}

/// `config`, then `git merge topic` through the installed merge driver:
/// main re-synced the translation, topic changed the flag.
fn driver_merge(config: &str) -> (Repo, std::process::Output) {
    let repo = Repo::new();
    repo.write(".frontmerge.toml", config);
    repo.branches("post.md", BASE, &resynced(), &flag_changed());
    let o = repo.run("", &["install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let merged = repo.git_with_bin(&["merge", "topic", "-m", "merge"]);
    (repo, merged)
}

#[test]
fn the_merge_driver_takes_the_whole_group_from_the_leaders_side() {
    let (repo, merged) = driver_merge(LED);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(
        repo.read_string("post.md"),
        edit(&resynced(), &[("Body.", "Body, edited.")])
    );
    assert_eq!(repo.unmerged(), "");
}

#[test]
fn the_merge_driver_leaves_a_leaderless_group_both_changed_as_a_conflict() {
    let (repo, merged) = driver_merge(LEADERLESS);
    assert!(!merged.status.success(), "{}", stderr(&merged));
    let text = repo.read_string("post.md");
    assert!(text.contains("<<<<<<<"), "{text}");
    // Neither key was settled on its own: both sides' values are still there.
    assert!(text.contains("source_commit: bbb222"), "{text}");
    assert!(text.contains("drifted: partly"), "{text}");
    assert!(text.contains("Body, edited."), "{text}");
    assert_ne!(repo.unmerged(), "");
}

/// Both sides changed the group and nobody changed a leader: upstream
/// re-synced, stashed set its own flag.
fn both_changed_leaderless() -> Repo {
    popped(LEADERLESS, &resynced(), &flag_changed())
}

#[test]
fn a_leaderless_group_both_sides_changed_waits_for_one_decision() {
    let repo = both_changed_leaderless();
    let before = repo.read("post.md");
    let o = repo.run("", &[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("group `sync`"), "{err}");
    assert_eq!(repo.read("post.md"), before, "nothing written");
    assert_ne!(repo.unmerged(), "");
}

#[test]
fn prefer_takes_a_leaderless_group_whole_from_one_side() {
    // Key by key, `source_commit` would come from upstream (only it changed
    // it) and `drifted` from the stash: half a re-sync.
    let repo = both_changed_leaderless();
    let o = repo.run("", &["--prefer", "theirs"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), flag_changed());
    assert_eq!(repo.unmerged(), "");

    let repo = both_changed_leaderless();
    let o = repo.run("", &["--prefer", "ours"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        edit(&resynced(), &[("Body.", "Body, edited.")])
    );
    assert_eq!(repo.unmerged(), "");
}

#[test]
fn the_picker_asks_one_question_for_a_group_both_sides_changed() {
    // Both sides also changed the title: that one is still its own question.
    let up = edit(&resynced(), &[("title: Guide", "title: Guide (up)")]);
    let st = edit(&flag_changed(), &[("title: Guide", "title: Guide (st)")]);
    let repo = popped(LEADERLESS, &up, &st);
    // diff counts the group as the picker asks it: one decision.
    let diff = stdout(&repo.run("", &["diff", "post.md"]));
    assert!(diff.starts_with("post.md: 2 decisions ("), "{diff}");
    let mut p = spawn_sized(repo.path(), &[], &[], false, 120);
    answer(&mut p, "2 decisions (", "");
    let intro = answer(&mut p, "[1/2] title: which version?", "u");
    let shown = answer(
        &mut p,
        "[2/2] group `sync`: which side for all of source_commit, drifted?",
        "s",
    );
    assert!(
        intro.contains("Asking about: title, group `sync` (source_commit, drifted)."),
        "{intro}"
    );
    // Both sides' values of every key of the group are on screen.
    for v in ["bbb222", "aaa111", "partly", "(absent)"] {
        assert!(shown.contains(v), "{v} not shown:\n{shown}");
    }
    answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    // The whole group from the stash, the title from upstream.
    assert_eq!(
        repo.read_string("post.md"),
        edit(&st, &[("title: Guide (st)", "title: Guide (up)")])
    );
    assert_eq!(repo.unmerged(), "");
}

/// An editor that first writes a key outside the group (refused), then the
/// group's two keys by hand.
const GROUP_EDITOR: &str = "#!/bin/sh\nif [ -f \"$0.done\" ]; then\n  printf 'source_commit: ccc333\\ndrifted: false\\n' > \"$1\"\nelse\n  touch \"$0.done\"\n  printf 'title: Elsewhere\\n' > \"$1\"\nfi\n";

#[test]
fn the_group_question_edits_all_its_keys_together() {
    for (cols, color) in [(60, false), (120, true)] {
        let up = edit(&resynced(), &[("title: Guide", "title: Guide (up)")]);
        let st = edit(&flag_changed(), &[("title: Guide", "title: Guide (st)")]);
        let repo = popped(LEADERLESS, &up, &st);
        let dir = tempfile::tempdir().unwrap();
        let editor = dir.path().join("group-editor.sh");
        std::fs::write(&editor, GROUP_EDITOR).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let env = [("GIT_EDITOR", editor.to_str().unwrap())];
        let mut p = spawn_sized(repo.path(), &[], &env, color, cols);
        answer(&mut p, "[1/2] title: which version?", "u");
        answer(&mut p, "which side for all of", "e");
        let refused = answer(&mut p, "again?", "e");
        assert!(
            refused.contains("edit source_commit, drifted together"),
            "{refused}"
        );
        assert!(
            refused.contains("which is not in the group"),
            "{cols}: {refused}"
        );
        let summary = answer(&mut p, "Write post.md?", "w");
        assert!(summary.contains("edited"), "{summary}");
        let (rest, code) = finish(p);
        assert_eq!(code, 0, "{cols}: {rest}");
        // Both keys as written by hand, where the group stood; the rest as chosen.
        assert_eq!(
            repo.read_string("post.md"),
            edit(
                &up,
                &[
                    (
                        "source_commit: bbb222",
                        "source_commit: ccc333\ndrifted: false"
                    ),
                    ("Body.", "Body, edited."),
                ]
            )
        );
        assert_eq!(repo.unmerged(), "");
    }
}
