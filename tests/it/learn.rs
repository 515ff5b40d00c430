//! `replay` and `learn` against synthetic histories built with real git:
//! conflicting merges whose committed resolutions follow a convention that
//! `learn` must find, a time split (learn from the older merges, replay the
//! newer ones), bad input counted and skipped, nothing ever written.

use std::process::{Command, Output};

use serde_json::Value;

use crate::common::{isolate, stderr, stdout, Repo};

/// Runs git in `repo` with both dates set to `date`.
fn git_at(repo: &Repo, date: &str, args: &[&str]) -> Output {
    let mut c = Command::new("git");
    isolate(&mut c);
    c.env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(args)
        .current_dir(repo.path())
        .output()
        .expect("git runs")
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    o
}

fn article(fm: &str, body: &str) -> String {
    format!("---\n{fm}---\n\n{body}\n")
}

/// One merge with a conflict: `base` committed on main, `theirs` on a
/// branch, `ours` on main, `git merge`, then `human` committed as the
/// resolution. Dates: day `day` of 2025 (a commit a minute).
fn merge(repo: &Repo, name: &str, day: u32, [base, ours, theirs, human]: [&str; 4]) {
    merge_steps(repo, name, day, base, [&[ours], &[theirs]], human);
}

/// [`merge`] with a commit for each version in `ours` and `theirs`.
fn merge_steps(
    repo: &Repo,
    name: &str,
    day: u32,
    base: &str,
    [ours, theirs]: [&[&str]; 2],
    human: &str,
) {
    let (m, d) = (1 + (day - 1) / 28, 1 + (day - 1) % 28);
    let at = |min: u32| format!("2025-{m:02}-{d:02}T10:{min:02}:00Z");
    let path = format!("docs/{name}.md");
    repo.write(&path, base);
    ok(git_at(repo, &at(0), &["add", "-A"]));
    ok(git_at(
        repo,
        &at(0),
        &["commit", "-q", "-m", &format!("{name}: base")],
    ));
    let sides: [(u32, [&str; 3], &[&str], &str); 2] = [
        (1, ["checkout", "-b", name], theirs, "theirs"),
        (2, ["checkout", "main", ""], ours, "ours"),
    ];
    for (minute, checkout, versions, side) in sides {
        let checkout: Vec<&str> = checkout.into_iter().filter(|a| !a.is_empty()).collect();
        ok(git_at(repo, &at(minute), &checkout));
        for v in versions {
            repo.write(&path, v);
            let msg = format!("{name}: {side}");
            ok(git_at(repo, &at(minute), &["commit", "-q", "-am", &msg]));
        }
    }
    let m = git_at(
        repo,
        &at(3),
        &["merge", "-q", "--no-ff", name, "-m", "merge"],
    );
    assert!(!m.status.success(), "{name}: the merge should conflict");
    repo.write(&path, human);
    ok(git_at(repo, &at(3), &["add", "-A"]));
    ok(git_at(repo, &at(3), &["commit", "-q", "--no-edit"]));
}

/// People keep the older `lastmod` (frontmerge's default takes the newer)
/// and a re-synced translation keeps its `drifted` flag with its commit:
/// on both sides a bot marked the translation drifted; ours then re-synced
/// it (`source` and `drifted` in one commit), so key by key theirs' flag
/// would win over ours' re-sync.
fn conventional_history(repo: &Repo, from: u32, n: u32) {
    history_with(repo, from, n, true);
}

/// [`conventional_history`]; `marked`: ours was marked drifted before its
/// re-sync (else the re-sync changes `source` alone, and no commit ever
/// changes both keys).
fn history_with(repo: &Repo, from: u32, n: u32, marked_first: bool) {
    for i in from..from + n {
        let date = |d: u32| format!("lastmod: 2024-{:02}-{d:02}\n", 1 + i % 12);
        let fm = |d: u32, source: &str, drifted: bool| {
            article(
                &format!(
                    "title: T{i}\n{}source: {source}{i}\ndrifted: {drifted}\n",
                    date(d)
                ),
                "Body.",
            )
        };
        let (base, marked) = (fm(1, "a", false), fm(1, "a", true));
        let (resynced, theirs) = (fm(2, "b", false), fm(3, "a", true));
        let ours = [marked.as_str(), resynced.as_str()];
        let skip = usize::from(!marked_first);
        merge_steps(
            repo,
            &format!("a{i}"),
            1 + i,
            &base,
            [&ours[skip..], &[&theirs]],
            &resynced,
        );
    }
}

/// Merges of two kinds with git's own messages: main merged into a branch
/// (`Merge branch 'main' into sN`), where people keep the branch's
/// `ms.date`, and a feature branch merged into main (`Merge branch 'fN'`),
/// where they take the feature's. Which side is newer varies, so no date
/// rule explains it.
fn kinds_history(repo: &Repo, n: u32) {
    for i in 0..n {
        let (m, d) = (1 + i / 28, 1 + i % 28);
        let at = |min: u32| format!("2025-{m:02}-{d:02}T10:{min:02}:00Z");
        let date = |month: u32| format!("ms.date: {month:02}/{:02}/2024\n", 1 + i % 28);
        let (older, newer) = (date(2), date(3));
        let path = format!("docs/k{i}.md");
        let base = article(&format!("title: K{i}\n{}", date(1)), "Body.");
        let with = |dt: &str| article(&format!("title: K{i}\n{dt}"), "Body.");
        // The branch's date and main's, the newer on alternate sides.
        let (branch_date, main_date) = if i % 4 < 2 {
            (&older, &newer)
        } else {
            (&newer, &older)
        };
        let sync = i % 2 == 0;
        let branch = if sync {
            format!("s{i}")
        } else {
            format!("f{i}")
        };
        repo.write(&path, &base);
        ok(git_at(repo, &at(0), &["add", "-A"]));
        ok(git_at(repo, &at(0), &["commit", "-q", "-m", "base"]));
        ok(git_at(repo, &at(1), &["checkout", "-q", "-b", &branch]));
        repo.write(&path, with(branch_date));
        ok(git_at(repo, &at(1), &["commit", "-q", "-am", "branch"]));
        ok(git_at(repo, &at(2), &["checkout", "-q", "main"]));
        repo.write(&path, with(main_date));
        ok(git_at(repo, &at(2), &["commit", "-q", "-am", "main"]));
        if sync {
            ok(git_at(repo, &at(3), &["checkout", "-q", &branch]));
        }
        let merged = if sync { "main" } else { branch.as_str() };
        let o = git_at(repo, &at(3), &["merge", "-q", "--no-edit", merged]);
        assert!(!o.status.success(), "{branch}: the merge should conflict");
        // Both kinds keep the branch's date.
        repo.write(&path, with(branch_date));
        ok(git_at(repo, &at(3), &["add", "-A"]));
        ok(git_at(repo, &at(3), &["commit", "-q", "--no-edit"]));
        if sync {
            // The branch then lands on main as it is.
            ok(git_at(repo, &at(4), &["checkout", "-q", "main"]));
            ok(git_at(repo, &at(4), &["merge", "-q", "--no-edit", &branch]));
        }
    }
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn run(repo: &Repo, args: &[&str]) -> Output {
    let o = repo.frontmerge().args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    o
}

fn count(v: &Value, path: &[&str]) -> u64 {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    v.as_u64().unwrap_or_else(|| panic!("{path:?} in {v}"))
}

#[test]
fn replay_counts_each_key_and_shows_the_wrong_answers() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    conventional_history(&repo, 0, 3);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let objects = repo.git(&["count-objects", "-v"]);
    let o = run(&repo, &["replay", "--json"]);
    let v = json(&o);
    // The re-merges' objects went to a temporary folder.
    assert_eq!(repo.git(&["count-objects", "-v"]), objects);
    assert_eq!(count(&v, &["merges"]), 3);
    assert_eq!(count(&v, &["files", "conflicts"]), 3);
    // newest (the default) takes the date people did not keep.
    assert_eq!(count(&v, &["keys", "lastmod", "conflicts"]), 3);
    assert_eq!(count(&v, &["keys", "lastmod", "differently"]), 3);
    // drifted: one side changed it, so it is no conflict; but people undid
    // that change, and the files come out wrong.
    assert!(v["keys"].get("drifted").is_none());
    assert_eq!(count(&v, &["undone", "drifted", "differently"]), 3);
    assert_eq!(count(&v, &["files", "differently"]), 3);
    let text = stdout(&run(&repo, &["replay", "--examples", "2"]));
    assert!(text.contains("replayed 3 merges"), "{text}");
    assert!(
        text.contains("settled differently from the human (2 of 6)"),
        "{text}"
    );
    assert!(text.contains("frontmerge: lastmod: 2024-"), "{text}");
    assert!(
        text.contains("drifted (one side changed it; people undid that)"),
        "{text}"
    );
    assert!(text.contains("\n    ours:       lastmod: 2024-"), "{text}");
    assert!(text.contains("one-sided, people undid"), "{text}");
    // Nothing was touched.
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn learn_finds_the_convention_and_writes_it_keeping_comments() {
    let repo = Repo::new();
    repo.write(
        ".frontmerge.toml",
        "# house rules\n[rules]\ntitle = \"ask\"  # always ask\n",
    );
    repo.commit_all("init");
    conventional_history(&repo, 0, 5);
    let o = run(&repo, &["learn"]);
    let text = stdout(&o);
    // Learned from the older 3 merges, checked on the newest 2, proposed from all 5.
    assert!(
        text.contains("checked on the newest 2 merges it held back: 0 → 4 parts as people did, 4 → 0 differently, before → after"),
        "{text}"
    );
    assert!(
        text.contains("lastmod = \"oldest\"    # 5 merges, 5 files, 5 parts: 5 as people did (0 differently), today 0 (5 differently); held back: 2 files better, 0 worse"),
        "{text}"
    );
    assert!(
        text.contains("thresholds: --min-merges 3 --min-agreement 0.9 --holdout 0.3"),
        "{text}"
    );
    assert!(text.contains("leader = \"source\""), "{text}");
    assert!(stderr(&o).contains("--write"), "{}", stderr(&o));
    // Without --write nothing is written.
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    let v = json(&run(&repo, &["learn", "--json"]));
    let e = &v["rules"][0]["evidence"];
    assert_eq!(
        (&e["merges"], &e["files"], &e["parts"]),
        (&5.into(), &5.into(), &5.into())
    );
    assert_eq!(e["right_with"], 5);
    assert_eq!(e["right_without"], 0);
    assert_eq!(v["rules"][0]["held_back"]["better"], 2);
    assert_eq!(v["check"]["merges"], 2);
    assert_eq!(v["groups"][0]["evidence"]["merges"], 5);
    // One commit re-synced the source and cleared the flag: supporting evidence.
    assert_eq!(v["groups"][0]["evidence"]["together"]["files"], 5);
    assert_eq!(count(&v, &["before", "files", "as_human"]), 0);
    assert_eq!(count(&v, &["after", "files", "as_human"]), 5);
    // Too few merges for the thresholds: nothing proposed.
    let strict = stdout(&run(&repo, &["learn", "--min-merges", "4"]));
    assert!(strict.contains("nothing to propose"), "{strict}");
    run(&repo, &["learn", "--write"]);
    let toml = repo.read_string(".frontmerge.toml");
    assert!(
        toml.starts_with(
            "# house rules\n[rules]\ntitle = \"ask\"  # always ask\nlastmod = \"oldest\"  # learned: 5 merges, 5 files, 5 parts: "
        ),
        "{toml}"
    );
    assert!(
        toml.contains("\n# learned: 5 merges, 5 files, 5 parts: "),
        "{toml}"
    );
    assert!(toml.contains("keys = [\"drifted\", \"source\"]"), "{toml}");
    // Replayed with the learned file, every merge comes out as the human's.
    let v = json(&run(&repo, &["replay", "--json"]));
    assert_eq!(count(&v, &["files", "as_human"]), 5);
    assert_eq!(count(&v, &["files", "differently"]), 0);
}

#[test]
fn learn_write_keeps_a_hand_written_rule_unless_forced() {
    let repo = Repo::new();
    repo.write(
        ".frontmerge.toml",
        "[rules]\nlastmod = \"newest\"  # we like new dates\n",
    );
    repo.commit_all("init");
    conventional_history(&repo, 0, 5);
    let o = run(&repo, &["learn", "--write"]);
    assert!(
        stderr(&o).contains("kept lastmod = \"newest\" in [rules]: learn proposes lastmod = \"oldest\" (--force replaces it)"),
        "{}",
        stderr(&o)
    );
    let toml = repo.read_string(".frontmerge.toml");
    assert!(
        toml.starts_with("[rules]\nlastmod = \"newest\"  # we like new dates\n\n# learned: "),
        "{toml}"
    );
    assert!(toml.contains("[groups.source]"), "{toml}");
    // Written again: the same file.
    run(&repo, &["learn", "--write"]);
    assert_eq!(repo.read_string(".frontmerge.toml"), toml);
    // --force replaces it, keeping the person's line as a comment.
    let o = run(&repo, &["learn", "--write", "--force"]);
    assert!(
        stderr(&o)
            .contains("replaced lastmod = \"newest\" in [rules] by lastmod = \"oldest\" (--force)"),
        "{}",
        stderr(&o)
    );
    let toml = repo.read_string(".frontmerge.toml");
    assert!(
        toml.starts_with("[rules]\n# replaced by learn --force: lastmod = \"newest\"  # we like new dates\nlastmod = \"oldest\"  # learned: 5 merges"),
        "{toml}"
    );
    let v = json(&run(&repo, &["replay", "--json"]));
    assert_eq!(count(&v, &["files", "as_human"]), 5);
    let err = repo.run_exits(&["learn", "--force"], 2);
    assert!(err.contains("--write"), "{err}");
}

#[test]
fn keys_people_took_together_are_a_group_though_no_commit_changed_both() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    // Ours re-syncs (source) while theirs marks the page drifted: no commit
    // changes both keys, yet people keep the re-sync whole.
    history_with(&repo, 0, 5, false);
    let v = json(&run(&repo, &["learn", "--json"]));
    assert_eq!(v["rules"][0]["rule"], "oldest", "{}", v["rules"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    // The date has its own rule: the group does not need it.
    assert_eq!(groups[0]["keys"], serde_json::json!(["drifted", "source"]));
    assert_eq!(groups[0]["leader"], "source");
    assert_eq!(groups[0]["evidence"]["together"]["files"], 0);
    assert_eq!(groups[0]["evidence"]["right_with"], 5);
    assert_eq!(count(&v, &["after", "files", "as_human"]), 5);
}

#[test]
fn what_the_newest_merges_contradict_is_not_proposed() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    // Five merges keep the older date, then two keep the newer.
    for i in 0..7u32 {
        let d = |day: u32| {
            article(
                &format!("title: T{i}\nlastmod: 2024-03-{day:02}\n"),
                "Body.",
            )
        };
        let human = if i < 5 { d(2) } else { d(3) };
        merge(
            &repo,
            &format!("d{i}"),
            1 + i,
            [&d(1), &d(2), &d(3), &human],
        );
    }
    let text = stdout(&run(&repo, &["learn"]));
    assert!(
        text.contains("checked on the newest 2 merges it held back: 2 → 2 parts as people did, 0 → 0 differently, before → after"),
        "{text}"
    );
    assert!(
        text.contains("  not kept: lastmod = \"oldest\" (held back: 0 files better, 2 worse;"),
        "{text}"
    );
    assert!(
        text.contains("nothing to propose: what the older merges suggest did not pass the check"),
        "{text}"
    );
    // Without the check (--holdout 0), over all seven: people disagree,
    // and asking removes more wrong answers than it loses right ones.
    let text = stdout(&run(&repo, &["learn", "--holdout", "0"]));
    assert!(text.contains("not checked: --holdout 0"), "{text}");
    assert!(
        text.contains("lastmod = \"ask\"    # 7 merges, 7 files, 7 parts: asking removes 5 wrong answers and loses 2 right ones\n"),
        "{text}"
    );
    let err = repo.run_exits(&["learn", "--holdout", "1"], 2);
    assert!(err.contains("up to (not including) 1"), "{err}");
    let err = repo.run_exits(&["learn", "--min-merges", "0"], 2);
    assert!(err.contains("--min-merges must be at least 1"), "{err}");
}

#[test]
fn learned_on_older_merges_improves_the_newer_ones() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    conventional_history(&repo, 0, 8);
    // Days 1..8 of January 2025: learn from the first half, judge the second.
    let split = "2025-01-05";
    let cfg = tempfile::tempdir().unwrap();
    let cfg_file = cfg.path().join("learned.toml");
    let cfg_arg = cfg_file.to_str().unwrap();
    let o = run(
        &repo,
        &["learn", "--before", split, "--config", cfg_arg, "--write"],
    );
    assert!(cfg_file.is_file(), "{}", stderr(&o));
    let older = json(&run(&repo, &["replay", "--json", "--before", split]));
    assert_eq!(count(&older, &["merges"]), 4);
    let plain = json(&run(&repo, &["replay", "--json", "--after", split]));
    let learned = json(&run(
        &repo,
        &[
            "replay",
            "--json",
            "--after",
            "2025-01-05T00:00:00Z",
            "--config",
            cfg_arg,
        ],
    ));
    assert_eq!(count(&plain, &["merges"]), 4);
    let score = |v: &Value| {
        (
            count(v, &["files", "as_human"]),
            count(v, &["files", "differently"]),
        )
    };
    let (before, after) = (score(&plain), score(&learned));
    assert!(after.0 > before.0, "{before:?} -> {after:?}");
    assert!(after.1 <= before.1, "{before:?} -> {after:?}");
    assert_eq!(after, (4, 0));
}

#[test]
fn bad_input_is_counted_and_skipped() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    conventional_history(&repo, 0, 1);
    // An octopus merge.
    for b in ["o1", "o2"] {
        repo.git(&["checkout", "-q", "-b", b, "main"]);
        repo.write(&format!("{b}.txt"), b);
        repo.commit_all(b);
    }
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "o1", "o2", "-m", "octopus"]);
    // A conflicted Markdown file that is binary, one with unreadable YAML.
    let nul = "---\ntitle: a\n---\n\0x\n";
    merge(
        &repo,
        "bin",
        20,
        [nul, &nul.replace('x', "y"), &nul.replace('x', "z"), nul],
    );
    let bad = |v: &str| format!("---\ntitle: [{v}\n---\nbody\n");
    merge(
        &repo,
        "yaml",
        21,
        [&bad("a"), &bad("b"), &bad("c"), &bad("b")],
    );
    // Committed with the markers still in.
    let a = |v: &str| article(&format!("title: {v}\n"), "Body.");
    let markers = "---\n<<<<<<< HEAD\ntitle: b\n=======\ntitle: c\n>>>>>>> x\n---\nBody.\n";
    merge(&repo, "markers", 22, [&a("a"), &a("b"), &a("c"), markers]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let v = json(&run(&repo, &["replay", "--json"]));
    let skipped = &v["skipped"];
    assert_eq!(
        skipped["octopus merge (more than two parents)"], 1,
        "{skipped}"
    );
    assert_eq!(skipped["binary"], 1, "{skipped}");
    assert_eq!(skipped["a side is not a readable article"], 1, "{skipped}");
    assert_eq!(skipped["committed with conflict markers"], 1, "{skipped}");
    assert_eq!(count(&v, &["files", "conflicts"]), 1);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn criss_cross_and_shallow_histories_are_reasons() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    // Criss-cross: a and b each merge the other's first commit.
    repo.git(&["checkout", "-q", "-b", "a"]);
    repo.write("a.txt", "a1");
    repo.commit_all("a1");
    repo.git(&["checkout", "-q", "-b", "b", "main"]);
    repo.write("b.txt", "b1");
    repo.commit_all("b1");
    let a1 = repo.git(&["rev-parse", "a"]);
    let b1 = repo.git(&["rev-parse", "b"]);
    repo.git(&["merge", "-q", "--no-ff", a1.trim(), "-m", "b merges a1"]);
    repo.git(&["checkout", "-q", "a"]);
    repo.git(&["merge", "-q", "--no-ff", b1.trim(), "-m", "a merges b1"]);
    // Both then write the same article differently: the criss-cross merge conflicts.
    let a = |v: &str| article(&format!("title: {v}\n"), "Body.");
    repo.write("c.md", a("from a"));
    repo.commit_all("a writes c");
    repo.git(&["checkout", "-q", "b"]);
    repo.write("c.md", a("from b"));
    repo.commit_all("b writes c");
    repo.git(&["checkout", "-q", "a"]);
    let m = repo.git_output(&["merge", "-q", "--no-ff", "b", "-m", "criss-cross"]);
    assert!(!m.status.success(), "the criss-cross merge should conflict");
    repo.write("c.md", a("from b"));
    repo.commit_all("criss-cross");
    let v = json(&run(&repo, &["replay", "--json"]));
    assert_eq!(
        v["skipped"]["criss-cross merge (several merge bases)"], 1,
        "{}",
        v["skipped"]
    );
    assert_eq!(count(&v, &["merges"]), 3);
    // A shallow clone that keeps a merge and its parents but not their base.
    let src = Repo::new();
    src.write("README.md", "hello\n");
    src.commit_all("init");
    conventional_history(&src, 0, 1);
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", src.path().display());
    let mut c = Command::new("git");
    isolate(&mut c);
    ok(c.args(["clone", "-q", "--depth", "2", &url])
        .arg(shallow.path().join("s"))
        .output()
        .unwrap());
    let o = crate::common::bin()
        .args(["replay", "--json"])
        .current_dir(shallow.path().join("s"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v["skipped"]["shallow history (no merge base)"], 1,
        "{}",
        v["skipped"]
    );
}

#[test]
fn a_bare_clone_replays_and_learn_writes_into_its_separate_work_tree() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    conventional_history(&repo, 0, 5);
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.git");
    let mut c = Command::new("git");
    isolate(&mut c);
    ok(c.args(["clone", "-q", "--bare"])
        .arg(repo.path())
        .arg(&bare)
        .output()
        .unwrap());
    let o = crate::common::bin()
        .args(["replay", "--json"])
        .current_dir(&bare)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&json(&o), &["files", "conflicts"]), 5);
    // Bare without a work tree: --write has nowhere to go, and says so first.
    let o = crate::common::bin()
        .args(["learn", "--write"])
        .current_dir(&bare)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("GIT_WORK_TREE"), "{}", stderr(&o));
    let wt = dir.path().join("wt");
    std::fs::create_dir(&wt).unwrap();
    let o = crate::common::bin()
        .args(["learn", "--write"])
        .env("GIT_DIR", &bare)
        .env("GIT_WORK_TREE", &wt)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let toml = std::fs::read_to_string(wt.join(".frontmerge.toml")).unwrap();
    assert!(toml.contains("lastmod = \"oldest\""), "{toml}");
}

#[test]
fn dates_must_be_iso_8601() {
    let repo = Repo::new();
    let err = repo.run_exits(&["replay", "--after", "last week"], 2);
    assert!(err.contains("ISO 8601"), "{err}");
}

#[test]
fn learn_finds_a_habit_of_one_kind_of_merge_and_writes_it() {
    let repo = Repo::new();
    repo.write(".frontmerge.toml", "# ours\n[rules]\ntitle = \"ask\"\n");
    repo.commit_all("init");
    kinds_history(&repo, 12);
    let subjects = repo.git(&["log", "--merges", "--format=%s"]);
    assert!(
        subjects.contains("Merge branch 'main' into s0"),
        "{subjects}"
    );
    assert!(subjects.contains("Merge branch 'f1'"), "{subjects}");
    let text = stdout(&run(&repo, &["learn"]));
    assert!(
        text.contains("[when.merging-main]\noperation = \"merge\"\nmerging = \"main\""),
        "{text}"
    );
    assert!(
        text.contains(
            "[when.merging-main.rules]\n# the conflicts in a merge of main only\n\"ms.date\" = \"ours\"    # 6 merges, 6 files, 6 parts: 6 as people did (0 differently), today 3 (3 differently); held back: 1 file better, 0 worse"
        ),
        "{text}"
    );
    let v = json(&run(&repo, &["learn", "--json"]));
    let rules = v["rules"].as_array().unwrap();
    let conditional: Vec<&Value> = rules
        .iter()
        .filter(|r| r.get("condition").is_some())
        .collect();
    assert_eq!(conditional.len(), 1, "{rules:?}");
    assert_eq!(conditional[0]["rule"], "ours");
    assert_eq!(conditional[0]["condition"]["merging"][0], "main");
    assert_eq!(conditional[0]["evidence"]["right_with"], 6);
    assert_eq!(conditional[0]["evidence"]["right_without"], 3);
    // Feature merges into main: the feature's date, i.e. theirs.
    assert!(
        rules.iter().any(|r| r["key"] == "ms.date"
            && r["rule"] == "theirs"
            && r.get("condition").is_none()),
        "{rules:?}"
    );
    assert_eq!(count(&v, &["before", "keys", "ms.date", "as_human"]), 6);
    assert_eq!(count(&v, &["after", "keys", "ms.date", "as_human"]), 12);
    run(&repo, &["learn", "--write"]);
    let toml = repo.read_string(".frontmerge.toml");
    assert!(
        toml.starts_with("# ours\n[rules]\ntitle = \"ask\"\n"),
        "{toml}"
    );
    assert!(
        toml.contains("[when.merging-main.rules]\n\"ms.date\" = \"ours\"  # learned: 6 merges"),
        "{toml}"
    );
    let v = json(&run(&repo, &["replay", "--json"]));
    assert_eq!(count(&v, &["keys", "ms.date", "as_human"]), 12);
    assert_eq!(count(&v, &["keys", "ms.date", "differently"]), 0);
}

/// Commits `path` at `text` (deleted when `None`) on the branch checked out.
fn put(repo: &Repo, path: &str, text: Option<&str>, msg: &str) {
    match text {
        Some(t) => repo.write(path, t),
        None => {
            repo.git(&["rm", "-q", path]);
        }
    }
    repo.commit_all(msg);
}

/// A conflicting merge of branch `name` into main: `[base, ours, theirs,
/// human]`, `None` deleting the file.
fn merge_with(repo: &Repo, name: &str, path: &str, [base, ours, theirs, human]: [Option<&str>; 4]) {
    put(repo, path, base, "base");
    repo.git(&["checkout", "-q", "-b", name]);
    put(repo, path, theirs, "theirs");
    repo.git(&["checkout", "-q", "main"]);
    put(repo, path, ours, "ours");
    let m = repo.git_output(&["merge", "-q", "--no-ff", name, "-m", name]);
    assert!(!m.status.success(), "{name}: the merge should conflict");
    match human {
        Some(t) => repo.write(path, t),
        None => {
            repo.git(&["rm", "-q", "--cached", path]);
            std::fs::remove_file(repo.path().join(path)).unwrap();
        }
    }
    repo.commit_all(name);
}

#[test]
fn gigantic_and_deleted_files_are_reasons_and_the_selection_flags_cut() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    let a = |v: &str| article(&format!("title: {v}\n"), "Body.");
    // Over the 16 MiB limit: counted, never read whole.
    let big = |v: &str| {
        let line = format!("{v} {}\n", "x".repeat(99));
        article(&format!("title: {v}\n"), &line.repeat(170_000))
    };
    let (b1, b2, b3) = (big("a"), big("b"), big("c"));
    assert!(b1.len() > 16 * 1024 * 1024);
    merge_with(
        &repo,
        "big",
        "big.md",
        [Some(&b1), Some(&b2), Some(&b3), Some(&b2)],
    );
    // Deleted on one side (modify/delete), and deleted in the merge commit.
    merge_with(
        &repo,
        "gone",
        "gone.md",
        [Some(&a("a")), None, Some(&a("c")), Some(&a("c"))],
    );
    merge_with(
        &repo,
        "dropped",
        "dropped.md",
        [Some(&a("a")), Some(&a("b")), Some(&a("c")), None],
    );
    merge_with(
        &repo,
        "fine",
        "fine.md",
        [Some(&a("a")), Some(&a("b")), Some(&a("c")), Some(&a("c"))],
    );
    let v = json(&run(&repo, &["replay", "--json"]));
    let skipped = &v["skipped"];
    assert_eq!(skipped["gigantic"], 1, "{skipped}");
    assert_eq!(skipped["file deleted on one side"], 1, "{skipped}");
    assert_eq!(
        skipped["deleted or moved in the merge commit"], 1,
        "{skipped}"
    );
    assert_eq!(count(&v, &["merges"]), 4);
    assert_eq!(count(&v, &["files", "conflicts"]), 1);
    // The last two merges by range (each merge sits on a base and an ours
    // commit); as many as asked by count.
    let v = json(&run(
        &repo,
        &["replay", "--json", "--rev-range", "HEAD~4..HEAD"],
    ));
    assert_eq!(count(&v, &["merges"]), 2);
    assert_eq!(
        v["skipped"]["deleted or moved in the merge commit"], 1,
        "{}",
        v["skipped"]
    );
    let v = json(&run(&repo, &["replay", "--json", "--max-merges", "1"]));
    assert_eq!(count(&v, &["merges"]), 1);
    // (Which one: the newest by commit date; here all share one date.)
    let v = json(&run(&repo, &["replay", "--json", "--max-merges", "3"]));
    assert_eq!(count(&v, &["merges"]), 3);
    // The thresholds are adjustable, and checked.
    let v = json(&run(
        &repo,
        &[
            "learn",
            "--json",
            "--min-merges",
            "1",
            "--min-agreement",
            "1",
        ],
    ));
    assert_eq!(v["thresholds"]["min_agreement"], 1.0);
    assert_eq!(v["rules"][0]["key"], "title", "{}", v["rules"]);
    let err = repo.run_exits(&["learn", "--min-agreement", "2"], 2);
    assert!(err.contains("between 0 and 1"), "{err}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_merge_driver_of_the_persons_does_not_hide_conflicts_from_replay() {
    // replay lists the conflicts of each merge by re-merging its parents
    // with `git merge-tree`, which runs the path's merge driver: one named
    // by `merge.default` or `.git/info/attributes` (a frontmerge driver
    // installed there, or any other tool's) settled them and the merges
    // looked clean. The conflicts are git's own line merge's.
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    conventional_history(&repo, 0, 3);
    let want = count(
        &json(&run(&repo, &["replay", "--json"])),
        &["files", "conflicts"],
    );
    assert_eq!(want, 3);
    repo.git(&["config", "merge.settle.driver", "cp %B %A"]);
    let info = repo.path().join(".git/info");
    std::fs::create_dir_all(&info).unwrap();
    for how in ["default", "info"] {
        match how {
            "default" => {
                repo.git(&["config", "merge.default", "settle"]);
            }
            _ => {
                repo.git(&["config", "--unset", "merge.default"]);
                std::fs::write(info.join("attributes"), "*.md merge=settle\n").unwrap();
            }
        }
        let v = json(&run(&repo, &["replay", "--json"]));
        assert_eq!(count(&v, &["files", "conflicts"]), want, "{how}: {v}");
    }
}

/// Found by an attacker's trial: a history where people kept theirs' value
/// of a key literally named `*`. `learn --write` wrote `"*" = "theirs"`,
/// which the config reads as a pattern for every key: a later title
/// conflict was settled silently. A key with `*` or `?` is never proposed.
#[test]
fn a_key_named_like_a_pattern_is_never_proposed() {
    let repo = Repo::new();
    let fm = |v: &str| article(&format!("title: A\n\"*\": {v}\n"), "Body.");
    for i in 1..=6 {
        let (o, t) = (format!("o{i}"), format!("t{i}"));
        merge(
            &repo,
            &format!("p{i}"),
            i,
            [&fm("0"), &fm(&o), &fm(&t), &fm(&t)],
        );
    }
    let o = run(&repo, &["learn", "--write"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    let config = std::fs::read_to_string(repo.path().join(".frontmerge.toml")).unwrap_or_default();
    assert!(!config.contains("\"*\""), "{config}\n{all}");
}
