//! "Never worse than git", end to end with real git and the real binary:
//! the reproductions 02-driver-layout.sh, 02b-stash-comment.sh and
//! 03-driver-deadline.sh of ../shared/repro, each asserting what must happen.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{isolate, stderr, Repo};

fn run(repo: &Repo, args: &[&str]) -> Output {
    repo.frontmerge()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

/// `git merge-file -p current base other`: git's own line merge.
fn git_merge_file(dir: &Path, current: &str, base: &str, other: &str) -> (i32, Vec<u8>) {
    let mut c = Command::new("git");
    isolate(&mut c);
    let o = c
        .args(["merge-file", "-p", current, base, other])
        .current_dir(dir)
        .output()
        .expect("git runs");
    (o.status.code().expect("exit code"), o.stdout)
}

#[test]
fn driver_keeps_one_sided_comment_quoting_and_list_style() {
    // 02-driver-layout.sh: main edits only the layout of its frontmatter,
    // topic only the body. Plain git merges this cleanly; so must the driver.
    let repo = Repo::new();
    let o = run(&repo, &["install", "--merge-driver"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    repo.write(
        "post.md",
        "---\ntitle: A\ndate: 2025-01-01\ntags: [a, b]\n---\nbody\n",
    );
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write(
        "post.md",
        "---\ntitle: A\ndate: 2025-01-01\ntags: [a, b]\n---\nbody edited on topic\n",
    );
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    let main = "---\n# draft: legal must sign off before publishing\ntitle: A\ndate: \"2025-01-01\"\ntags:\n  - a\n  - b\n---\n";
    repo.write("post.md", format!("{main}body\n"));
    repo.commit_all("main");
    let merged = repo.git_output(&["merge", "topic", "-m", "merged"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(
        repo.read_string("post.md"),
        format!("{main}body edited on topic\n")
    );
}

#[test]
fn stash_pop_keeps_the_stashs_quoting_and_comment() {
    // 02b-stash-comment.sh: the stash quotes a date (now a string) and adds a
    // comment; upstream changes the title. Each edit is one-sided: all stay.
    for style in ["merge", "diff3"] {
        let repo = Repo::new();
        let pop = repo.stash_pop_conflict(
            "post.md",
            "---\ntitle: A\ndate: 2025-01-01\ndraft: false\n---\nbody\n",
            "---\ntitle: Upstream\ndate: 2025-01-01\ndraft: false\n---\nbody\n",
            "---\ntitle: A\ndate: \"2025-01-01\"\ndraft: false # keep unpublished until legal review\n---\nbody\n",
            style,
        );
        assert!(!pop.status.success(), "git alone conflicts ({style})");
        let o = run(&repo, &[]);
        assert_eq!(o.status.code(), Some(0), "{style}: {}", stderr(&o));
        assert_eq!(
            repo.read_string("post.md"),
            "---\ntitle: Upstream\ndate: \"2025-01-01\"\ndraft: false # keep unpublished until legal review\n---\nbody\n",
            "{style}"
        );
        // The summary names and counts what was kept from the stash.
        let err = stderr(&o);
        assert!(
            err.contains("(1 from upstream, 2 from stashed"),
            "{style}: {err}"
        );
        assert!(err.contains("date, draft ← stashed"), "{style}: {err}");
    }
}

/// A small deterministic generator (no dependency needed for a test body).
fn lcg(seed: &mut u64) -> usize {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*seed >> 33) as usize
}

#[test]
fn driver_merges_a_long_body_exactly_like_git() {
    // 03-driver-deadline.sh: 100,000 lines, 2,500 separate edits per side.
    // Git merges it cleanly; the driver must give git's bytes, with or
    // without --prefer, however long the diff takes.
    const N: usize = 100_000;
    let words = ["", "text", "- item", "---", "more"];
    let mut seed = 2;
    let base: Vec<String> = (0..N)
        .map(|_| format!("{}\n", words[lcg(&mut seed) % words.len()]))
        .collect();
    let (mut up, mut st) = (base.clone(), base.clone());
    for i in (0..N).step_by(40) {
        up[i] = format!("UP edit {i}\n");
    }
    for i in (20..N).step_by(40) {
        st[i] = format!("ST edit {i}\n");
    }
    let fm = "---\ntitle: A\ndate: 2025-01-01\n---\n";
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, lines: &[String]| {
        fs::write(dir.path().join(name), format!("{fm}{}", lines.concat())).unwrap()
    };
    write("O", &base);
    write("A", &up);
    write("B", &st);
    let (code, want) = git_merge_file(dir.path(), "A", "O", "B");
    assert_eq!(code, 0, "git merges it cleanly");
    for prefer in [None, Some("stashed")] {
        fs::copy(dir.path().join("A"), dir.path().join("A1")).unwrap();
        let mut c = crate::common::bin();
        c.current_dir(dir.path()).arg("merge-driver");
        if let Some(p) = prefer {
            c.args(["--prefer", p]);
        }
        let o = c.args(["O", "A1", "B", "7", "post.md"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{prefer:?}: {}", stderr(&o));
        let got = fs::read(dir.path().join("A1")).unwrap();
        assert!(
            got == want,
            "{prefer:?}: the driver's result differs from git's"
        );
    }
}

#[test]
fn diff_counts_the_decisions_resolve_will_ask_and_says_how_the_rest_is_settled() {
    // Git's default style has no base section: diff takes the index's, as
    // resolve does. Title and description sit in one hunk, but only the
    // title and the date were changed on both sides: two decisions, the
    // date's answered by a rule (the picker asks it, preselected).
    let repo = Repo::new();
    let pop = repo.stash_pop_conflict(
        "post.md",
        "---\ntitle: A\ndescription: D\nlastmod: 2025-01-01\n---\nbody\n",
        "---\ntitle: Up\ndescription: D\nlastmod: 2025-02-01\n---\nbody\n",
        "---\ntitle: St\ndescription: D2\nlastmod: 2025-03-01\n---\nbody\n",
        "merge",
    );
    assert!(!pop.status.success());
    let o = run(&repo, &["diff", "post.md"]);
    let out = crate::common::stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.starts_with(
            "post.md: 2 decisions, 1 answered by a rule (Updated upstream ↔ Stashed changes)"
        ),
        "{out}"
    );
    assert!(
        out.contains("[base: only stashed changed it → stashed]"),
        "{out}"
    );
    assert!(out.contains("[newest from defaults → stashed]"), "{out}");
    let o = run(&repo, &["diff", "--json", "post.md"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json[0]["decisions"], 2, "{json}");
    assert_eq!(json[0]["answered"], 1, "{json}");
    assert_eq!(
        json[0]["settled"].as_array().map(Vec::len),
        Some(2),
        "{json}"
    );
    // Without a terminal, resolve then needs exactly the title.
    let o = run(&repo, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("title"), "{}", stderr(&o));
}
