//! End-to-end: the merge driver's edges — the installed line falls back to
//! git's own merge when the binary cannot run, `%L` shares the bound of
//! `--marker-size`, and no argument makes the driver die by a signal or a
//! panic.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

use crate::common::{bin, binary, isolate, stderr, Repo};

const BASE: &str = "---\ntitle: Base\n---\nbody\n";

/// main and topic change the title; main checked out.
fn diverged(r: &Repo) {
    r.write("post.md", BASE);
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    r.write("post.md", BASE.replace("Base", "Topic"));
    r.commit_all("topic");
    r.git(&["checkout", "-q", "main"]);
    r.write("post.md", BASE.replace("Base", "Main"));
    r.commit_all("main");
}

/// PATH without any folder holding a `git-frontmerge`.
fn path_without_bin() -> std::ffi::OsString {
    let dirs: Vec<_> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("git-frontmerge").exists())
        .filter(|d| Some(d.as_path()) != binary().parent())
        .collect();
    std::env::join_paths(dirs).unwrap()
}

fn git_without_bin(r: &Repo, args: &[&str]) -> Output {
    let mut c = Command::new("git");
    isolate(&mut c);
    c.env("PATH", path_without_bin())
        .args(args)
        .current_dir(r.path())
        .output()
        .unwrap()
}

/// git passes `-X theirs` only to its own line merge, never to a driver:
/// `install` says so in one line and names the driver's own `--prefer`,
/// and the one-merge way docs/merge-driver.md gives (the installed line
/// with `--prefer theirs`, through `git -c`) settles what `-X theirs` would.
#[test]
fn install_says_that_git_merge_x_never_reaches_the_driver() {
    let r = Repo::new();
    diverged(&r);
    let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let said: Vec<&str> = err.lines().filter(|l| l.contains("-X")).collect();
    assert_eq!(said.len(), 1, "{err}");
    assert!(
        said[0].contains("install --merge-driver --prefer theirs"),
        "{err}"
    );
    let o = r.git_with_bin(&["merge", "-X", "theirs", "topic"]);
    assert!(!o.status.success(), "-X never reaches the driver");
    r.git(&["merge", "--abort"]);
    let line = r.git(&["config", "merge.frontmerge.driver"]);
    let line = line
        .trim_end()
        .replacen(" merge-driver ", " merge-driver --prefer theirs ", 1);
    let one_off = format!("merge.frontmerge.driver={line}");
    let o = r.git_with_bin(&["-c", &one_off, "merge", "--no-edit", "topic"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(r.read_string("post.md"), BASE.replace("Base", "Topic"));
}

#[test]
fn install_prints_its_line_and_git_merges_without_the_binary() {
    let r = Repo::new();
    diverged(&r);
    let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = r.git(&["config", "merge.frontmerge.driver"]);
    let line = line.trim_end();
    assert!(line.starts_with("git-frontmerge merge-driver "), "{line}");
    assert!(
        stderr(&o).contains(line),
        "install prints the line it wrote: {}",
        stderr(&o)
    );

    // Where the binary is not on PATH (an IDE, a GUI client, CI).
    let o = git_without_bin(&r, &["merge", "topic"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "a real conflict: {err}");
    assert!(err.contains("the merge driver could not run"), "{err}");
    let text = r.read_string("post.md");
    assert_eq!(
        text, "---\n<<<<<<< HEAD\ntitle: Main\n=======\ntitle: Topic\n>>>>>>> topic\n---\nbody\n",
        "git's own conflict, both sides kept"
    );

    // With the binary, the driver itself merges (exit 1: conflict left).
    r.git(&["merge", "--abort"]);
    let o = r.git_with_bin(&["merge", "topic"]);
    let err = stderr(&o);
    assert!(!err.contains("could not run"), "{err}");
    assert!(r.read_string("post.md").contains("title: Topic"), "{err}");
}

#[test]
fn an_absurd_marker_size_attribute_falls_back_within_the_bound() {
    let r = Repo::new();
    r.write(".gitattributes", "*.md conflict-marker-size=2000000000\n");
    diverged(&r);
    r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    let o = r.git_with_bin(&["merge", "topic"]);
    let err = stderr(&o);
    assert!(err.contains("outside 3..=64"), "{err}");
    let text = r.read_string("post.md");
    let open = format!("{} HEAD\n", "<".repeat(64));
    assert!(text.contains(&open), "{text}");
}

/// Runs the driver with `args` in `dir`; the status must be a code, never
/// a signal, and nothing may panic.
fn driver(dir: &Path, args: &[String]) -> Output {
    let o = bin()
        .current_dir(dir)
        .arg("merge-driver")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.code().is_some(), "killed by a signal: {args:?}");
    assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    o
}

fn files(dir: &Path) {
    for (n, t) in [("O", "Base"), ("A", "Main"), ("B", "Topic")] {
        std::fs::write(dir.join(n), BASE.replace("Base", t)).unwrap();
    }
}

#[test]
fn huge_percent_l_is_bounded() {
    let d = tempfile::tempdir().unwrap();
    for size in [
        "18446744073709551615",
        "2000000000",
        "99999999999999999999999999999",
        "0",
    ] {
        files(d.path());
        let args: Vec<String> = ["O", "A", "B", size, "p.md"].map(String::from).to_vec();
        let o = driver(d.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{size}: {}", stderr(&o));
        let text = std::fs::read_to_string(d.path().join("A")).unwrap();
        assert!(
            text.contains("title: Main") && text.contains("title: Topic"),
            "{text}"
        );
    }
}

/// Argument strings: the real file names, numbers of any size, git's
/// placeholders, flags, and anything at all.
fn argument() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "O", "A", "B", "missing", "-L", "%L", "%X", "--prefer", "--", "-"
        ])
        .prop_map(String::from),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[0-9]{15,60}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_argument_kills_the_driver(args in prop::collection::vec(argument(), 0..7)) {
        let d = tempfile::tempdir().unwrap();
        files(d.path());
        // NUL cannot be passed as an argument at all.
        let args: Vec<String> = args.into_iter().map(|a| a.replace('\0', "")).collect();
        let o = driver(d.path(), &args);
        prop_assert!(matches!(o.status.code(), Some(0..=2)), "{:?}: {:?}", args, o.status);
    }
}

/// Where the driver cannot read a version (here: not UTF-8) it falls back
/// to git's line merge, and writes what git's own merge would have: aligned
/// with the histogram diff as `git merge` aligns (`git merge-file`'s own
/// default, Myers, puts these conflicts elsewhere). So does the installed
/// line where the binary cannot run.
#[test]
fn the_fallbacks_write_what_git_merge_writes() {
    let text = |lines: &[&str]| {
        let mut t = b"\xff\n".to_vec();
        t.extend_from_slice((lines.join("\n") + "\n").as_bytes());
        t
    };
    let base = text(&["", "a", "", "a", "x", "a", "c", "x", "{", "a"]);
    let main = text(&["a", "a", "", "}", "x", "a", "c", "x", "{", "a"]);
    let topic = text(&["", "x", "b", "a", "x", "a", "c", "x", "{", "a"]);
    let merged = |driver: bool, on_path: bool| {
        let r = Repo::new();
        if driver {
            let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
        r.branches_bytes("post.md", &base, &main, &topic);
        let args = ["merge", "--no-edit", "topic"];
        let o = if on_path {
            r.git_with_bin(&args)
        } else {
            git_without_bin(&r, &args)
        };
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        String::from_utf8_lossy(&r.read("post.md")).into_owned()
    };
    let git = merged(false, true);
    assert_eq!(merged(true, true), git, "the driver's fallback");
    // The installed line's, where git passes on its labels (2.44 and later:
    // merge-file's --diff-algorithm came with them).
    let r = Repo::new();
    r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    if r.git(&["config", "merge.frontmerge.driver"]).contains("%X") {
        assert_eq!(merged(true, false), git, "the installed line's fallback");
    }
}

/// Both sides moved `categories` to a line of their own and changed it
/// (bench/props.py seed 512921): git's line merge is clean and writes the
/// key twice. A key both sides wrote is a value both changed, and the
/// built-in set rule for `categories` settles it (docs/merge-driver.md):
/// one key, each side's additions and removals, a valid article; never
/// git's invalid bytes.
#[test]
fn a_set_both_sides_moved_and_changed_is_settled_by_its_rule_not_written_twice() {
    let base = "{\n  \"title\": \"Theta sigma\",\n  \"date\": \"2025-01-03\",\n  \"weight\": 5,\n  \"description\": \"Theta alpha\",\n  \"tags\": [\n    \"lambda\",\n    \"theta\",\n    \"alpha\"\n  ],\n  \"categories\": [\"omega\", \"zeta\"]\n}\n\nBody.\n";
    let ours = "{\n  \"title\": \"Theta sigma\",\n  \"categories\": [\"zeta\", \"delta\"],\n  \"date\": \"2025-01-03\",\n  \"weight\": 5,\n  \"description\": \"Theta alpha\",\n  \"tags\": [\n    \"lambda\",\n    \"theta\",\n    \"alpha\"\n  ]\n}\n\nBody.\n";
    let theirs = "{\n  \"title\": \"Theta sigma\",\n  \"date\": \"2025-01-03\",\n  \"weight\": 5,\n  \"categories\": [\"omega\", \"zeta\", \"omegax\"],\n  \"description\": \"Kappa theta\",\n  \"tags\": [\n    \"lambda\",\n    \"theta\",\n    \"alpha\"\n  ]\n}\n\nBody.\n";
    let want = "{\n  \"title\": \"Theta sigma\",\n  \"categories\": [\"zeta\", \"delta\", \"omegax\"],\n  \"date\": \"2025-01-03\",\n  \"weight\": 5,\n  \"description\": \"Kappa theta\",\n  \"tags\": [\n    \"lambda\",\n    \"theta\",\n    \"alpha\"\n  ]\n}\n\nBody.\n";
    let r = Repo::new();
    r.branches("post.md", base, ours, theirs);
    // git alone: clean, the key twice.
    let o = r.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        r.read_string("post.md").matches("\"categories\"").count(),
        2
    );
    r.git(&["reset", "-q", "--hard", "HEAD^"]);
    let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = r.git_with_bin(&["merge", "topic", "-m", "merge"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(r.read_string("post.md"), want);
}
