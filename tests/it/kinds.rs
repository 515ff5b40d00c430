//! Conditional rules (`[when.NAME]`) in real git: the merge driver honours
//! them in `git merge` of the named branch (local, remote-tracking, pulled)
//! and not in other merges; `resolve` honours them after a merge stopped.

use std::process::Command;

use crate::common::{code, edit, isolate, stderr, Repo};

const CONFIG: &str = "[when.sync]        # merging main into a branch keeps the branch's date\n\
operation = \"merge\"\n\
merging = \"main\"\n\
rules = { \"ms.date\" = \"upstream\" }\n";

const BASE: &str = "---\ntitle: Post\nms.date: 01/01/2024\n---\n\nBody.\n";

/// `topic` (the branch, checked out) dated February, `main` March, `other`
/// April; the default rule (`newest`) would take the later date. `driver`:
/// the merge driver is installed.
fn branches(driver: bool) -> Repo {
    let repo = Repo::new();
    repo.write(".frontmerge.toml", CONFIG);
    repo.write("post.md", BASE);
    repo.commit_all("base");
    for (branch, date) in [("topic", "02/01/2024"), ("other", "04/01/2024")] {
        repo.git(&["checkout", "-q", "-b", branch, "main"]);
        repo.write("post.md", edit(BASE, &[("01/01/2024", date)]));
        repo.commit_all(branch);
    }
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", edit(BASE, &[("01/01/2024", "03/01/2024")]));
    repo.commit_all("main: March");
    repo.git(&["checkout", "-q", "topic"]);
    if driver {
        let o = repo.run("", &["install", "--merge-driver"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    repo
}

fn date(repo: &Repo) -> String {
    let text = repo.read_string("post.md");
    let line = text.lines().find(|l| l.starts_with("ms.date: "));
    line.unwrap_or_else(|| panic!("{text}")).to_owned()
}

#[test]
fn the_driver_keeps_the_branchs_date_when_main_is_merged_into_it() {
    let repo = branches(true);
    let m = repo.git_with_bin(&["merge", "--no-edit", "main"]);
    assert!(m.status.success(), "{}", stderr(&m));
    assert_eq!(date(&repo), "ms.date: 02/01/2024");
    assert!(
        stderr(&m).contains("in a merge of main"),
        "the driver names the rule: {}",
        stderr(&m)
    );
    // Another branch merged: the condition does not hold, `newest` applies.
    let m = repo.git_with_bin(&["merge", "--no-edit", "other"]);
    assert!(m.status.success(), "{}", stderr(&m));
    assert_eq!(date(&repo), "ms.date: 04/01/2024");
}

#[test]
fn the_driver_knows_a_remote_tracking_and_a_pulled_main() {
    let upstream = branches(false);
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let mut c = Command::new("git");
    isolate(&mut c);
    let o = c
        .args(["clone", "-q", "-b", "topic"])
        .arg(upstream.path())
        .arg(&clone)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let repo = Repo::at(clone);
    let o = repo.run("", &["install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let m = repo.git_with_bin(&["merge", "--no-edit", "origin/main"]);
    assert!(m.status.success(), "{}", stderr(&m));
    assert_eq!(date(&repo), "ms.date: 02/01/2024");
    repo.git(&["reset", "-q", "--hard", "origin/topic"]);
    let m = repo.git_with_bin(&["pull", "--no-rebase", "--no-edit", "origin", "main"]);
    assert!(m.status.success(), "{}", stderr(&m));
    assert_eq!(date(&repo), "ms.date: 02/01/2024");
    repo.git(&["reset", "-q", "--hard", "origin/topic"]);
    let m = repo.git_with_bin(&["pull", "--no-rebase", "--no-edit", "origin", "other"]);
    assert!(m.status.success(), "{}", stderr(&m));
    assert_eq!(date(&repo), "ms.date: 04/01/2024");
}

#[test]
fn resolve_honours_the_condition_after_a_merge_stopped() {
    let repo = branches(false);
    // No driver: git stops on the conflict, MERGE_MSG names main.
    let m = repo.git_output(&["merge", "--no-edit", "main"]);
    assert!(!m.status.success());
    let d = repo.run("", &["diff"]);
    assert!(
        String::from_utf8_lossy(&d.stdout).contains("in a merge of main"),
        "{}",
        String::from_utf8_lossy(&d.stdout)
    );
    let o = repo.run("", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(date(&repo), "ms.date: 02/01/2024");
    assert_eq!(repo.unmerged(), "");
}
