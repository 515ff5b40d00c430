//! One test per exit code (src/exit.rs): what a script sees for each outcome,
//! the most serious outcome winning, and the table in `--help` and in docs/resolving.md.
//! 130 (quit or Ctrl-C in the picker) is tested in a real terminal in `picker`.

use std::fs;
use std::path::Path;
use std::process::{Output, Stdio};

use frontmerge::cli::exit;

use crate::common::{bin, stderr, Repo};

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
    assert_eq!(exit::OK, 0);
}

#[test]
fn failed_1_when_a_file_could_not_be_handled() {
    let d = folder(&[("a.md", UNCLOSED)]);
    let o = run(d.path(), &["--prefer", "stashed", "a.md"]);
    assert_eq!(o.status.code(), Some(exit::FAILED), "{}", stderr(&o));
    assert_eq!(exit::FAILED, 1);
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
    assert_eq!(exit::USAGE, 2);
    assert_eq!(fs::read_to_string(d.path().join("a.md")).unwrap(), CONFLICT);
}

#[test]
fn decide_3_when_a_file_was_left_for_a_decision() {
    let d = folder(&[("a.md", CONFLICT)]);
    let o = run(d.path(), &["a.md"]);
    assert_eq!(o.status.code(), Some(exit::DECIDE), "{}", stderr(&o));
    assert_eq!(exit::DECIDE, 3);
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
    assert_eq!(exit::NOT_MARKED, 4);
    assert!(repo.read_string("post.md").contains("title: \"Stashed\""));
    assert!(err.contains("index.lock"), "{err}");
    fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    assert!(!repo.git(&["ls-files", "-u"]).is_empty(), "still unmerged");
}

#[test]
fn signal_codes_follow_the_shell() {
    assert_eq!(exit::INTERRUPTED, 130);
    assert_eq!(exit::signal(15), 143);
    assert_eq!(exit::signal(1), 129);
}

#[test]
fn help_and_readme_show_the_one_table() {
    let o = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains(exit::TABLE), "{help}");
    for sub in ["resolve", "diff"] {
        let o = bin().args([sub, "--help"]).output().unwrap();
        assert!(
            String::from_utf8_lossy(&o.stdout).contains(exit::TABLE),
            "{sub}"
        );
    }
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/resolving.md");
    assert!(
        fs::read_to_string(guide).unwrap().contains(exit::TABLE),
        "docs/resolving.md shows exit::TABLE verbatim"
    );
}
