//! End-to-end: the built binary against real git repositories — stash pop
//! conflicts in default and diff3 style, the index base, marking resolved,
//! the merge driver installed into a repository.

use std::fs;
use std::process::{Output, Stdio};

use crate::common::{stderr, stdout, Repo};

const BASE: &str = "---
title: \"Old title\"
description: \"Old description\"
tags:
  - rent
  - guide
pubDate: \"2025-07-01\"
---
# Heading

First paragraph.

Second paragraph.

Third paragraph.

## Related

- [A](/a/)
- [B](/b/)
";

/// BASE with each `(from, to)` replaced once.
fn edit(pairs: &[(&str, &str)]) -> String {
    crate::common::edit(BASE, pairs)
}

const NEW_TITLE: (&str, &str) = ("title: \"Old title\"", "title: \"New title\"");
const NEW_DESC: (&str, &str) = (
    "description: \"Old description\"",
    "description: \"New description\"",
);

fn assert_pop_conflicted(repo: &Repo, pop: &Output) {
    assert!(!pop.status.success(), "git alone should conflict");
    assert!(!repo.unmerged().is_empty(), "git left no unmerged path");
}

/// `git merge topic` through the installed driver: it succeeds and the
/// driver says `said`.
fn merge_topic_saying(repo: &Repo, said: &str) {
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    let err = stderr(&merged);
    assert!(merged.status.success(), "{err}");
    assert!(err.contains(said), "{err}");
}

#[test]
fn stash_pop_adjacent_keys_resolve_without_a_question_in_both_styles() {
    for style in ["merge", "diff3"] {
        let repo = Repo::new();
        let stashed = edit(&[NEW_DESC]);
        let pop = repo.stash_pop_conflict("post.md", BASE, &edit(&[NEW_TITLE]), &stashed, style);
        assert_pop_conflicted(&repo, &pop);
        let o = repo.run("", &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{style}: {err}");
        assert_eq!(
            repo.read_string("post.md"),
            edit(&[NEW_TITLE, NEW_DESC]),
            "{style}"
        );
        assert!(err.contains("stash pop/apply in progress"), "{err}");
        assert!(
            err.contains("title ← upstream (base: only upstream changed it)"),
            "{err}"
        );
        assert!(
            err.contains("description ← stashed (base: only stashed changed it)"),
            "{err}"
        );
        assert!(err.contains("git stash drop"), "{err}");
        // Resolved in the index, the change unstaged as after a clean pop,
        // and the stash kept.
        assert_eq!(repo.unmerged(), "", "{style}");
        assert_eq!(repo.git(&["diff", "--name-only", "--diff-filter=U"]), "");
        assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
        assert_eq!(repo.git(&["diff", "--name-only"]), "post.md\n");
        assert_eq!(
            repo.git(&["stash", "list"]).lines().count(),
            1,
            "stash kept"
        );
    }
}

#[test]
fn tags_added_on_both_sides_merge_as_a_set() {
    let repo = Repo::new();
    let pop = repo.stash_pop_conflict(
        "post.md",
        BASE,
        &edit(&[("  - guide\n", "  - guide\n  - spb\n")]),
        &edit(&[(
            "  - guide\n",
            "  - guide\n  - invest\n  - \"passive income\"\n",
        )]),
        "merge",
    );
    assert_pop_conflicted(&repo, &pop);
    let o = repo.run("", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[(
            "  - guide\n",
            "  - guide\n  - spb\n  - invest\n  - \"passive income\"\n"
        )])
    );
    // The set merge is the default `union` rule's answer.
    assert!(
        stderr(&o).contains(
            "tags ← merged (rule: union from defaults, merged as a set (+1 from upstream, +2 from stashed))"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn body_edits_merge_by_paragraph_and_only_the_shared_one_needs_a_decision() {
    let repo = Repo::new();
    let upstream = edit(&[
        ("First paragraph.", "First paragraph, upstream."),
        ("Third paragraph.", "Third paragraph, upstream."),
    ]);
    let stashed = edit(&[
        ("Second paragraph.", "Second paragraph, stashed."),
        ("Third paragraph.", "Third paragraph, stashed."),
    ]);
    let pop = repo.stash_pop_conflict("post.md", BASE, &upstream, &stashed, "merge");
    assert_pop_conflicted(&repo, &pop);
    let before = repo.read("post.md");

    // Without --prefer: only the body is asked about, the file stays as it is.
    let o = repo.run("", &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("needs a decision on body (Updated upstream ↔ Stashed changes);"),
        "{}",
        stderr(&o)
    );
    assert_eq!(repo.read("post.md"), before);
    assert!(!repo.unmerged().is_empty());

    let o = repo.run("", &["--prefer", "stashed"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[
            ("First paragraph.", "First paragraph, upstream."),
            ("Second paragraph.", "Second paragraph, stashed."),
            ("Third paragraph.", "Third paragraph, stashed."),
        ])
    );
    assert_eq!(repo.unmerged(), "");
}

#[test]
fn a_true_conflict_on_one_key_is_settled_by_prefer_stashed() {
    let repo = Repo::new();
    let upstream = edit(&[NEW_TITLE, NEW_DESC]);
    let stashed = edit(&[("title: \"Old title\"", "title: \"Stashed title\"")]);
    let pop = repo.stash_pop_conflict("post.md", BASE, &upstream, &stashed, "diff3");
    assert_pop_conflicted(&repo, &pop);

    let o = repo.run("", &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("needs a decision on title (Updated upstream ↔ Stashed changes);"),
        "only the title: {}",
        stderr(&o)
    );

    let o = repo.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[
            ("title: \"Old title\"", "title: \"Stashed title\""),
            NEW_DESC
        ])
    );
    assert!(err.contains("title ← stashed (--prefer)"), "{err}");
    assert!(
        err.contains("description ← upstream (base: only upstream changed it)"),
        "{err}"
    );
}

#[test]
fn paths_with_spaces_and_non_ascii_relative_to_the_current_folder() {
    let repo = Repo::new();
    repo.write("notes/keep.txt", "x\n");
    let names = ["статьи/my post.md", "notes/other file.md"];
    for n in names {
        repo.write(n, BASE);
    }
    repo.write("data.txt", "a\n");
    repo.commit_all("base");
    for n in names {
        repo.write(n, edit(&[NEW_DESC]));
    }
    repo.write("data.txt", "stashed\n");
    repo.git(&["stash", "-q"]);
    for n in names {
        repo.write(n, edit(&[NEW_TITLE]));
    }
    repo.write("data.txt", "upstream\n");
    repo.commit_all("upstream");
    let pop = repo.git_output(&["stash", "pop"]);
    assert_pop_conflicted(&repo, &pop);

    let o = repo.run("notes", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("../статьи/my post.md: resolved"), "{err}");
    assert!(err.contains("other file.md: resolved"), "{err}");
    assert!(
        err.contains("not Markdown") && err.contains("../data.txt"),
        "{err}"
    );
    for n in names {
        assert_eq!(repo.read_string(n), edit(&[NEW_TITLE, NEW_DESC]), "{n}");
    }
    // data.txt is git's to settle: still unmerged, and no "stash drop" yet.
    assert!(repo.unmerged().contains("data.txt"));
    assert!(!repo.unmerged().contains(".md"));
    assert!(err.contains("1 path(s) still unmerged"), "{err}");
    assert!(!err.contains("git stash drop"), "{err}");
}

#[test]
fn no_index_writes_the_file_and_leaves_the_index_alone() {
    let repo = Repo::new();
    let pop = repo.stash_pop_conflict(
        "post.md",
        BASE,
        &edit(&[NEW_TITLE]),
        &edit(&[NEW_DESC]),
        "merge",
    );
    assert_pop_conflicted(&repo, &pop);
    let o = repo.run("", &["--no-index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), edit(&[NEW_TITLE, NEW_DESC]));
    assert!(repo.unmerged().contains("post.md"), "still unmerged");
}

#[test]
fn outside_a_repository_without_paths_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = crate::common::bin()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not inside a git repository"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn marker_size_comes_from_the_attribute_unless_given() {
    let repo = Repo::new();
    repo.write(".gitattributes", "*.md conflict-marker-size=10\n");
    let pop = repo.stash_pop_conflict(
        "post.md",
        BASE,
        &edit(&[NEW_TITLE]),
        &edit(&[NEW_DESC]),
        "merge",
    );
    assert_pop_conflicted(&repo, &pop);
    assert!(repo
        .read_string("post.md")
        .contains("<<<<<<<<<< Updated upstream"));
    // An explicit size wins: with 7 the size-10 markers are named as such,
    // and the file is left as it is.
    let before = repo.read("post.md");
    let o = repo.run("", &["--marker-size", "7"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("conflict markers here are 10 characters long, not 7"),
        "{}",
        stderr(&o)
    );
    assert_eq!(repo.read("post.md"), before);
    let o = repo.run("", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), edit(&[NEW_TITLE, NEW_DESC]));
}

#[test]
fn cherry_pick_conflicts_are_marked_with_git_add() {
    let repo = Repo::new();
    repo.write("post.md", BASE);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", edit(&[NEW_DESC]));
    repo.commit_all("topic: description");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", edit(&[NEW_TITLE]));
    repo.commit_all("main: title");
    let pick = repo.git_output(&["cherry-pick", "topic"]);
    assert_pop_conflicted(&repo, &pick);
    let o = repo.run("", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("cherry-pick in progress"), "{err}");
    assert!(err.contains("git cherry-pick --continue"), "{err}");
    assert_eq!(repo.unmerged(), "");
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "post.md\n");
}

/// `main` changes `main_edits`, branch `topic` changes `topic_edits`.
fn two_branches(main_edits: &[(&str, &str)], topic_edits: &[(&str, &str)]) -> Repo {
    let repo = Repo::new();
    repo.write("post.md", BASE);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", edit(topic_edits));
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", edit(main_edits));
    repo.commit_all("main");
    repo
}

fn install(repo: &Repo) {
    let o = repo.run("", &["install", "--merge-driver"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let attrs = repo.read_string(".gitattributes");
    for ext in ["md", "mdx", "markdown"] {
        assert!(
            attrs.contains(&format!("*.{ext} merge=frontmerge\n")),
            "{attrs}"
        );
    }
    let driver = repo.git(&["config", "merge.frontmerge.driver"]);
    assert!(
        driver.contains("merge-driver -L %X -L %S -L %Y -- %O %A %B %L %P"),
        "{driver}"
    );
    // Installing twice changes nothing.
    let o = repo.run("", &["install", "--merge-driver"]);
    assert!(stderr(&o).contains("already set up"), "{}", stderr(&o));
    assert_eq!(repo.read_string(".gitattributes"), attrs);
}

#[test]
fn merge_driver_merges_what_git_alone_conflicts_on() {
    let repo = two_branches(
        &[NEW_TITLE, ("First paragraph.", "First paragraph, main.")],
        &[NEW_DESC, ("Second paragraph.", "Second paragraph, topic.")],
    );
    let plain = repo.git_output(&["merge", "-q", "topic", "-m", "merge"]);
    assert_pop_conflicted(&repo, &plain);
    repo.git(&["merge", "--abort"]);

    install(&repo);
    merge_topic_saying(&repo, "merged field by field");
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[
            NEW_TITLE,
            NEW_DESC,
            ("First paragraph.", "First paragraph, main."),
            ("Second paragraph.", "Second paragraph, topic."),
        ])
    );
    assert_eq!(repo.unmerged(), "");
}

#[test]
fn merge_driver_leaves_markers_around_only_the_conflicting_key() {
    let main = [NEW_TITLE, ("Third paragraph.", "Third paragraph, main.")];
    let topic = [
        ("title: \"Old title\"", "title: \"Topic title\""),
        NEW_DESC,
        ("- [B](/b/)\n", "- [B](/b/)\n- [C](/c/)\n"),
    ];
    for style in ["merge", "diff3"] {
        let repo = two_branches(&main, &topic);
        install(&repo);
        let cfg = format!("merge.conflictStyle={style}");
        let merged = repo.git_output(&["-c", &cfg, "merge", "topic", "-m", "merge"]);
        assert_eq!(merged.status.code(), Some(1), "{}", stderr(&merged));
        let base_section = if style == "diff3" {
            format!("||||||| {}\ntitle: \"Old title\"\n", short_base(&repo))
        } else {
            String::new()
        };
        let want = edit(&[
            (
                "title: \"Old title\"\n",
                &format!(
                    "<<<<<<< HEAD\ntitle: \"New title\"\n{base_section}=======\ntitle: \"Topic title\"\n>>>>>>> topic\n"
                ),
            ),
            NEW_DESC,
            ("Third paragraph.", "Third paragraph, main."),
            ("- [B](/b/)\n", "- [B](/b/)\n- [C](/c/)\n"),
        ]);
        assert_eq!(repo.read_string("post.md"), want, "{style}");

        // The index keeps git's stages: frontmerge settles the key afterwards.
        let o = repo.run("", &["--prefer", "stashed"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(err.contains("merge in progress"), "{err}");
        assert!(err.contains("git commit"), "{err}");
        assert_eq!(
            repo.read_string("post.md"),
            edit(&[
                ("title: \"Old title\"", "title: \"Topic title\""),
                NEW_DESC,
                ("Third paragraph.", "Third paragraph, main."),
                ("- [B](/b/)\n", "- [B](/b/)\n- [C](/c/)\n"),
            ])
        );
        assert_eq!(repo.unmerged(), "");
    }
}

/// The label git gives the merge base in diff3 markers (its short hash).
fn short_base(repo: &Repo) -> String {
    repo.git(&["rev-parse", "--short", "main~1"])
        .trim()
        .to_owned()
}

#[test]
fn merge_driver_falls_back_to_git_on_unreadable_input() {
    let repo = two_branches(
        &[("title: \"Old title\"", "title: [broken")],
        &[("Third paragraph.", "Third paragraph, topic.")],
    );
    install(&repo);
    // Git's own line merge comes first, and it is clean here: its bytes,
    // without reading the broken frontmatter at all.
    merge_topic_saying(&repo, "merged by lines, as git does");
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[
            ("title: \"Old title\"", "title: [broken"),
            ("Third paragraph.", "Third paragraph, topic.")
        ])
    );
}

#[test]
fn install_global_writes_the_users_config_and_attributes() {
    let home = tempfile::tempdir().unwrap();
    let repo = Repo::new();
    let o = repo
        .frontmerge()
        .args([
            "install",
            "--merge-driver",
            "--global",
            "--prefer",
            "stashed",
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let attrs = fs::read_to_string(home.path().join(".config/git/attributes")).unwrap();
    assert!(attrs.contains("*.md merge=frontmerge\n"), "{attrs}");
    let config = fs::read_to_string(home.path().join(".gitconfig")).unwrap();
    assert!(
        config.contains("merge-driver --prefer stashed -L %X"),
        "{config}"
    );
    assert!(!repo.path().join(".gitattributes").exists());
}

#[test]
fn bases_get_the_work_trees_line_endings_under_autocrlf() {
    // With core.autocrlf=true the work tree has CRLF while the blobs have
    // LF; bases are read through git's filters to match the sides.
    let repo = Repo::new();
    repo.git(&["config", "core.autocrlf", "true"]);
    let crlf = |s: &str| s.replace('\n', "\r\n");
    // The whole flow under autocrlf: CRLF sides, bases read through git's
    // filters, three-way keys and a body settled by --prefer upstream while
    // the stash's separate edit of paragraph 2 is kept. (Git merged that
    // edit into both sides itself here; no case was found where a base with
    // LF endings would change the outcome, so this guards the flow, not the
    // filter choice alone.)
    let up = edit(&[
        NEW_TITLE,
        ("First paragraph.", "First paragraph, upstream."),
        ("Third paragraph.", "Third paragraph, upstream."),
    ]);
    let st = edit(&[
        NEW_DESC,
        ("First paragraph.", "First paragraph, stashed."),
        ("Second paragraph.", "Second paragraph, stashed."),
        ("Third paragraph.", "Third paragraph, stashed."),
    ]);
    let pop = repo.stash_pop_conflict("post.md", &crlf(BASE), &crlf(&up), &crlf(&st), "merge");
    assert_pop_conflicted(&repo, &pop);
    let conflicted = repo.read_string("post.md");
    assert!(conflicted.contains("\r\n"));
    let o = repo.run("", &["--prefer", "upstream"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        crlf(&edit(&[
            NEW_TITLE,
            NEW_DESC,
            ("First paragraph.", "First paragraph, upstream."),
            ("Second paragraph.", "Second paragraph, stashed."),
            ("Third paragraph.", "Third paragraph, upstream."),
        ]))
    );
    assert_eq!(repo.unmerged(), "");
}

/// Loose objects in the repository's store (`git count-objects`).
fn loose_objects(repo: &Repo) -> String {
    repo.git(&["count-objects", "-v"])
        .lines()
        .find(|l| l.starts_with("count:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn git_merge_of_the_stages_leaves_nothing_in_the_object_store() {
    // `git checkout --conflict` stores each merge result as an object: the
    // scratch merge keeps those out of the repository.
    let repo = Repo::new();
    let upstream = edit(&[NEW_TITLE, NEW_DESC]);
    let stashed = edit(&[("title: \"Old title\"", "title: \"Stashed title\"")]);
    let pop = repo.stash_pop_conflict("post.md", BASE, &upstream, &stashed, "merge");
    assert_pop_conflicted(&repo, &pop);
    let before = loose_objects(&repo);
    let o = repo.run("", &["--prefer", "stashed"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("title ← stashed (--prefer)"), "{err}");
    assert_eq!(loose_objects(&repo), before, "{err}");
}

/// Runs frontmerge with `args` at the top of `repo`, the built binary on
/// PATH (the merge driver runs it), with `GIT_TRACE`: its output and the
/// trace of the git commands it ran.
pub(crate) fn traced(repo: &Repo, args: &[&str]) -> (Output, String) {
    let traces = tempfile::tempdir().unwrap();
    let trace = traces.path().join("trace.txt");
    let o = repo
        .frontmerge()
        .env("PATH", crate::common::path_with_bin())
        .env("GIT_TRACE", &trace)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (o, fs::read_to_string(&trace).unwrap())
}

#[test]
fn a_stash_pops_joined_conflicts_need_no_line_merge_of_their_own() {
    // Both sides change the title and the tags' last item, three lines
    // apart in the base: git's default style joins the two into one
    // conflict (at most three lines between them), diff3 and zdiff3 styles
    // keep two. That is still
    // git's merge of the stages that resolve reads in one batch: no `git
    // merge-file` per file (one per file was most of a batch resolve's
    // time, bench.py's 2,000 stash-popped articles each paying one).
    for style in ["merge", "diff3", "zdiff3"] {
        let repo = Repo::new();
        let upstream = edit(&[
            NEW_TITLE,
            ("pubDate: \"2025-07-01\"", "pubDate: \"2025-07-03\""),
        ]);
        let stashed = edit(&[
            ("title: \"Old title\"", "title: \"Stashed title\""),
            ("pubDate: \"2025-07-01\"", "pubDate: \"2025-07-02\""),
        ]);
        let stashed = stashed.replace("  - guide\n", "  - guides\n");
        let upstream = upstream.replace("  - guide\n", "  - guide\n  - more\n");
        let pop = repo.stash_pop_conflict("post.md", BASE, &upstream, &stashed, style);
        assert_pop_conflicted(&repo, &pop);
        let file = repo.read_string("post.md");
        let conflicts = file.matches("<<<<<<< ").count();
        let (o, trace) = traced(
            &repo,
            &["resolve", "--prefer", "newest", "--stdout", "post.md"],
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{style}: {err}");
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.contains("pubDate: \"2025-07-03\"\n"), "{style}: {out}");
        assert!(trace.contains("checkout --conflict=diff3"), "{trace}");
        assert!(
            !trace.contains("merge-file"),
            "{style}, {conflicts} conflicts in the file:\n{trace}"
        );
        if style == "merge" {
            assert_eq!(conflicts, 1, "{file}");
        }
    }
}

#[test]
fn git_s_merge_of_the_stages_is_git_s_own_where_a_merge_driver_is_set() {
    // The recommended set-up: the driver installed and `.gitattributes`
    // committed. The merge's driver leaves a conflict; resolve then reads
    // git's line merge of the stages, and a scratch `checkout --conflict`
    // would run the path's merge driver (a frontmerge inside frontmerge,
    // one per file, its result taken for git's). The driver is never run
    // for git's merge; resolve settles the file as it does without one.
    // The same where `merge.default` names the driver.
    for by_default in [false, true] {
        let repo = Repo::new();
        repo.write("post.md", BASE);
        repo.commit_all("base");
        let o = repo.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        if by_default {
            // No attribute: `merge.default` names the driver.
            fs::remove_file(repo.path().join(".gitattributes")).unwrap();
            repo.git(&["config", "merge.default", "frontmerge"]);
        } else {
            repo.commit_all("attributes");
        }
        repo.git(&["checkout", "-q", "-b", "topic"]);
        repo.write(
            "post.md",
            edit(&[
                ("title: \"Old title\"", "title: \"Their title\""),
                ("First paragraph.", "Their paragraph."),
            ]),
        );
        repo.commit_all("theirs");
        repo.git(&["checkout", "-q", "main"]);
        repo.write(
            "post.md",
            edit(&[NEW_TITLE, ("First paragraph.", "Our paragraph.")]),
        );
        repo.commit_all("ours");
        let merged = repo.git_with_bin(&["merge", "topic", "-m", "merge"]);
        assert!(!merged.status.success(), "{}", stderr(&merged));
        assert!(stderr(&merged).contains("post.md"), "{}", stderr(&merged));
        let (o, trace) = traced(
            &repo,
            &["resolve", "--prefer", "theirs", "--stdout", "post.md"],
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(!trace.contains("merge-driver"), "{trace}");
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            edit(&[
                ("title: \"Old title\"", "title: \"Their title\""),
                ("First paragraph.", "Their paragraph.")
            ])
        );
        assert!(err.contains("title, body ← theirs (--prefer)"), "{err}");
    }
}

/// The git processes a batch `resolve` starts do not grow with the files:
/// a `git config` per unmerged file (asking whether the checkout is
/// sparse) cost bench.py's 2,000 stash-popped articles 1.6x their time.
#[test]
fn git_processes_of_a_batch_do_not_grow_with_its_files() {
    let processes = |n: usize| {
        let repo = Repo::new();
        let name = |i: usize| format!("p{i}.md");
        for i in 0..n {
            repo.write(&name(i), BASE);
        }
        repo.commit_all("base");
        for i in 0..n {
            repo.write(
                &name(i),
                edit(&[("title: \"Old title\"", "title: \"Stashed\"")]),
            );
        }
        repo.git(&["stash", "-q"]);
        for i in 0..n {
            repo.write(&name(i), edit(&[NEW_TITLE]));
        }
        repo.commit_all("upstream");
        assert!(!repo.git_output(&["stash", "pop"]).status.success());
        let (o, trace) = traced(&repo, &["resolve", "--prefer", "upstream"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        trace
            .lines()
            .filter(|l| l.contains("built-in: git"))
            .count()
    };
    assert_eq!(processes(2), processes(12));
}

#[test]
fn a_conflict_rewritten_by_git_checkout_is_merged_from_its_stages_however_git_aligned_it() {
    // git's merges align the sides with the histogram diff, `git checkout
    // --conflict` with Myers': for these bodies the two cut different
    // hunks. Both files are git's merge of the stages: neither is taken for
    // a person's edit.
    let article = |lines: &str| format!("---\ntitle: Post\n---\n{}", lines.replace('|', "\n"));
    let base = article("a|a|{|{|c|a||x|{|}|{|}|");
    let ours = article("a|a|{|{|a|c|a||x|{|}|{|}|");
    let theirs = article("}|a|{|}|c|a||x|{|x|}|{|}|");
    let repo = Repo::new();
    repo.branches("post.md", &base, &ours, &theirs);
    let merged = repo.git_output(&["merge", "-q", "topic"]);
    assert!(!merged.status.success(), "the merge conflicts");
    let by_merge = repo.read_string("post.md");
    repo.git(&["checkout", "--conflict=merge", "--", "post.md"]);
    let by_checkout = repo.read_string("post.md");
    let labelled = by_merge
        .replace("<<<<<<< HEAD\n", "<<<<<<< ours\n")
        .replace(">>>>>>> topic\n", ">>>>>>> theirs\n");
    assert_ne!(
        labelled, by_checkout,
        "the two alignments cut the same hunks"
    );
    let mut results = Vec::new();
    for file in [by_merge, by_checkout] {
        repo.write("post.md", &file);
        let o = repo.run("", &["--prefer", "theirs", "--stdout", "post.md"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{file}\n{err}");
        assert!(!err.contains("edited since"), "{file}\n{err}");
        results.push(stdout(&o));
    }
    // The same three versions, the same result: theirs' changes, and the
    // line only ours added (after the second `{`) kept.
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], article("}|a|{|}|a|c|a||x|{|x|}|{|}|"));
}
