//! One test per exit code (src/cli/exit.rs): what a script sees for each outcome,
//! the most serious outcome winning, and the table in `--help` and in docs/resolving.md.
//! 130 (quit or Ctrl-C in the picker) is tested in a real terminal in `picker`.

use std::fs;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::common::{bin, stderr, Repo};

/// The codes as a script sees them, written out: the documented numbers, not
/// the binary's own constants (src/cli/exit.rs, crate-private).
mod exit {
    pub(super) const OK: i32 = 0;
    pub(super) const FAILED: i32 = 1;
    pub(super) const USAGE: i32 = 2;
    pub(super) const DECIDE: i32 = 3;
    pub(super) const NOT_MARKED: i32 = 4;
}

const CONFLICT: &str = "---\n<<<<<<< Updated upstream\ntitle: \"Upstream title\"\n=======\ntitle: \"Stashed title\"\n>>>>>>> Stashed changes\n---\nBody.\n";
const UNCLOSED: &str = "---\ntitle: A\n---\n<<<<<<< Updated upstream\nBody.\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(d.path().join(name), text).unwrap();
    }
    d
}

#[test]
fn ok_0_when_everything_was_done() {
    let d = folder(&[("a.md", CONFLICT)]);
    let o = run(d.path(), &["--prefer", "stashed", "a.md"]);
    assert_eq!(o.status.code(), Some(exit::OK), "{}", stderr(&o));
}

#[test]
fn failed_1_when_a_file_could_not_be_handled() {
    let d = folder(&[("a.md", UNCLOSED)]);
    let o = run(d.path(), &["--prefer", "stashed", "a.md"]);
    assert_eq!(o.status.code(), Some(exit::FAILED), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(d.path().join("a.md")).unwrap(), UNCLOSED);
    let o = run(d.path(), &["diff", "a.md"]);
    assert_eq!(o.status.code(), Some(exit::FAILED), "{}", stderr(&o));
}

#[test]
fn usage_2_for_a_bad_flag_or_a_missing_repository() {
    let d = folder(&[("a.md", CONFLICT)]);
    for args in [
        &["--prefer", "sideways", "a.md"][..],
        &["--no-such-flag"],
        &["diff", "--no-such-flag", "a.md"],
        // No paths outside a repository: nothing to ask git for.
        &["--prefer", "stashed"],
    ] {
        let o = run(d.path(), args);
        assert_eq!(
            o.status.code(),
            Some(exit::USAGE),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(fs::read_to_string(d.path().join("a.md")).unwrap(), CONFLICT);
}

#[test]
fn decide_3_when_a_file_was_left_for_a_decision() {
    let d = folder(&[("a.md", CONFLICT)]);
    let o = run(d.path(), &["a.md"]);
    assert_eq!(o.status.code(), Some(exit::DECIDE), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("needs a decision on title"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(d.path().join("a.md")).unwrap(), CONFLICT);
    // The same with --stdout and --dry-run: a decision is still missing.
    for flag in ["--stdout", "--dry-run"] {
        let o = run(d.path(), &[flag, "a.md"]);
        assert_eq!(
            o.status.code(),
            Some(exit::DECIDE),
            "{flag}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn the_most_serious_outcome_wins() {
    // A decision left and a failure: 1 beats 3.
    let d = folder(&[("a.md", CONFLICT), ("b.md", UNCLOSED)]);
    let o = run(d.path(), &["a.md", "b.md"]);
    assert_eq!(o.status.code(), Some(exit::FAILED), "{}", stderr(&o));
    // A missing path is a file that could not be handled, not a usage error.
    let o = run(d.path(), &["a.md", "missing.md"]);
    assert_eq!(o.status.code(), Some(exit::FAILED), "{}", stderr(&o));
}

#[test]
fn not_marked_4_when_written_but_git_could_not_mark_it() {
    let repo = Repo::new();
    let base = "---\ntitle: \"Old\"\n---\nBody.\n";
    let pop = repo.stash_pop_conflict(
        "post.md",
        base,
        &base.replace("Old", "Upstream"),
        &base.replace("Old", "Stashed"),
        "merge",
    );
    assert!(!pop.status.success());
    // Another git process holds the index: `git add` cannot run.
    fs::write(repo.path().join(".git/index.lock"), "").unwrap();
    let o = repo
        .frontmerge()
        .args(["--prefer", "stashed"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(exit::NOT_MARKED), "{err}");
    assert!(repo.read_string("post.md").contains("title: \"Stashed\""));
    assert!(err.contains("index.lock"), "{err}");
    fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    assert!(!repo.git(&["ls-files", "-u"]).is_empty(), "still unmerged");
}

/// The exit-code table as docs/resolving.md shows it (the unit test
/// `cli::exit::tests::the_guide_shows_the_table` checks that it is
/// `exit::TABLE` verbatim).
fn table_in_the_guide() -> String {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/resolving.md");
    let text = fs::read_to_string(guide).unwrap();
    let start = text
        .find("Exit codes (when several apply")
        .expect("the table");
    let end = start + text[start..].find("1 conflicts left.").expect("its end");
    text[start..end + "1 conflicts left.".len()].to_owned()
}

#[test]
fn help_and_readme_show_the_one_table() {
    let table = table_in_the_guide();
    assert!(table.lines().count() > 8, "{table}");
    let o = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains(&table), "{help}");
    for sub in ["resolve", "diff"] {
        let o = bin().args([sub, "--help"]).output().unwrap();
        assert!(String::from_utf8_lossy(&o.stdout).contains(&table), "{sub}");
    }
}
