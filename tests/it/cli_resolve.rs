//! End-to-end tests of `resolve` and `diff` through the built binary: every
//! flag and exit code of the core, on loose files (no repository).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::{bin, fixtures, stderr, stdout};

const CONFLICT: &str = "---\n<<<<<<< Updated upstream\ntitle: \"Upstream title\"\npubDate: 2025-07-25\n=======\ntitle: \"Stashed title\"\npubDate: 2025-07-26\n>>>>>>> Stashed changes\nauthor: A\n---\nBody.\n\n## Related\n\n<<<<<<< Updated upstream\n*   [One](/one/)\n=======\n- [Two](/two/)\n>>>>>>> Stashed changes\n";
const UPSTREAM: &str = "---\ntitle: \"Upstream title\"\npubDate: 2025-07-25\nauthor: A\n---\nBody.\n\n## Related\n\n*   [One](/one/)\n";
const STASHED: &str = "---\ntitle: \"Stashed title\"\npubDate: 2025-07-26\nauthor: A\n---\nBody.\n\n## Related\n\n- [Two](/two/)\n";

fn temp_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let p = dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn prefer_each_side_and_git_synonyms() {
    for (flag, want) in [
        ("upstream", UPSTREAM),
        ("ours", UPSTREAM),
        ("stashed", STASHED),
        ("theirs", STASHED),
    ] {
        let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
        let o = run(d.path(), &["--prefer", flag, "a.md"]);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", stderr(&o));
        assert_eq!(read(d.path(), "a.md"), want, "--prefer {flag}");
        assert!(stderr(&o).contains("a.md: resolved"), "{}", stderr(&o));
    }
}

#[test]
fn explicit_resolve_subcommand_is_the_same() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(d.path(), &["resolve", "--prefer", "stashed", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(d.path(), "a.md"), STASHED);
}

#[test]
fn links_policies() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(
        d.path(),
        &["--prefer", "upstream", "--links", "union", "a.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Union: upstream's links, then stashed's new URL written in upstream's list style.
    assert!(read(d.path(), "a.md").ends_with("## Related\n\n*   [One](/one/)\n*   [Two](/two/)\n"));

    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(
        d.path(),
        &["--prefer", "upstream", "--links", "stashed", "a.md"],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = read(d.path(), "a.md");
    assert!(out.starts_with("---\ntitle: \"Upstream title\""));
    assert!(out.ends_with("## Related\n\n- [Two](/two/)\n"));
}

#[test]
fn prefer_newest_says_which_side_and_fails_cleanly_without_dates() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(d.path(), &["--prefer", "newest", "a.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(d.path(), "a.md"), STASHED);
    assert!(
        stderr(&o).contains("newest: pubDate 2025-07-26 > 2025-07-25"),
        "{}",
        stderr(&o)
    );

    let o = run(
        d.path(),
        &["--prefer", "newest", "--date-field", "lastmod", "a.md"],
    );
    // Already resolved: nothing to do.
    assert_eq!(o.status.code(), Some(0));

    // --date-field adds to the defaults: without `lastmod`, pubDate decides.
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(
        d.path(),
        &["--prefer", "newest", "--date-field", "lastmod", "a.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(d.path(), "a.md"), STASHED);

    // No date at all: a decision, as without --prefer, and a note says so.
    let undated = CONFLICT
        .replace("pubDate: 2025-07-25\n", "")
        .replace("pubDate: 2025-07-26\n", "");
    let d = temp_with(&[("a.md", undated.as_bytes())]);
    let o = run(d.path(), &["--prefer", "newest", "a.md"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "no date field found on both sides (looked for updatedDate, updated, lastmod"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d.path(), "a.md"), undated);
}

#[test]
fn without_prefer_files_needing_a_decision_are_listed_and_untouched() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = bin()
        .current_dir(d.path())
        .arg("a.md")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains(
            "a.md: needs a decision on title, pubDate, links (Updated upstream ↔ Stashed changes)"
        ),
        "{err}"
    );
    assert!(err.contains("--prefer upstream|stashed|newest"), "{err}");
    assert_eq!(read(d.path(), "a.md"), CONFLICT);
}

#[test]
fn folders_are_walked_and_clean_files_left_alone() {
    let d = temp_with(&[
        ("blog/a.md", CONFLICT.as_bytes()),
        ("blog/sub/b.mdx", CONFLICT.as_bytes()),
        ("blog/c.markdown", b"# clean\n"),
        ("blog/notes.txt", CONFLICT.as_bytes()),
    ]);
    let o = run(d.path(), &["--prefer", "stashed", "blog"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(d.path(), "blog/a.md"), STASHED);
    assert_eq!(read(d.path(), "blog/sub/b.mdx"), STASHED);
    assert_eq!(read(d.path(), "blog/c.markdown"), "# clean\n");
    assert_eq!(
        read(d.path(), "blog/notes.txt"),
        CONFLICT,
        "non-Markdown files are not walked into"
    );
    let err = stderr(&o);
    assert!(
        err.contains("c.markdown: no conflicts, left alone"),
        "{err}"
    );
    assert!(err.contains("2 resolved, 1 without conflicts"), "{err}");
}

#[test]
fn an_error_in_one_file_does_not_stop_the_others() {
    let broken = "text\n<<<<<<< Updated upstream\nx\n=======\ny\n";
    let d = temp_with(&[("a.md", broken.as_bytes()), ("b.md", CONFLICT.as_bytes())]);
    let o = run(
        d.path(),
        &["--prefer", "upstream", "a.md", "b.md", "missing.md"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("a.md:5: conflict never closed"), "{err}");
    assert!(err.contains("(conflict opened at line 2)"), "{err}");
    assert!(err.contains("missing.md"), "{err}");
    assert_eq!(read(d.path(), "a.md"), broken);
    assert_eq!(read(d.path(), "b.md"), UPSTREAM);
}

#[test]
fn stdout_prints_and_writes_nothing() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes()), ("b.md", CONFLICT.as_bytes())]);
    let o = run(d.path(), &["--prefer", "stashed", "--stdout", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), STASHED);
    assert_eq!(read(d.path(), "a.md"), CONFLICT);
    let o = run(
        d.path(),
        &["--prefer", "stashed", "--stdout", "a.md", "b.md"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--stdout takes exactly one file"));
}

#[test]
fn dry_run_prints_a_unified_diff_and_writes_nothing() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(d.path(), &["--prefer", "upstream", "--dry-run", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("--- a/a.md\n+++ b/a.md\n"), "{out}");
    assert!(out.contains("-<<<<<<< Updated upstream\n"), "{out}");
    assert!(stderr(&o).contains("would resolve"));
    assert_eq!(read(d.path(), "a.md"), CONFLICT);
}

#[test]
fn backup_keeps_the_original() {
    let d = temp_with(&[("a.md", CONFLICT.as_bytes())]);
    let o = run(d.path(), &["--prefer", "upstream", "--backup", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(d.path(), "a.md"), UPSTREAM);
    assert_eq!(read(d.path(), "a.md.orig"), CONFLICT);
}

#[test]
fn non_utf8_and_binary_files_are_refused_untouched() {
    let mut latin1 = CONFLICT.as_bytes().to_vec();
    latin1.extend_from_slice(b"caf\xe9\n");
    let mut binary = CONFLICT.as_bytes().to_vec();
    binary.extend_from_slice(b"\0\x01");
    let d = temp_with(&[("l.md", &latin1), ("b.md", &binary)]);
    let o = run(d.path(), &["--prefer", "upstream", "l.md", "b.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("l.md:20: not valid UTF-8"), "{err}");
    assert!(err.contains("b.md:20: binary file"), "{err}");
    assert_eq!(fs::read(d.path().join("l.md")).unwrap(), latin1);
    assert_eq!(fs::read(d.path().join("b.md")).unwrap(), binary);
}

#[test]
fn symlinks_written_through_and_permissions_kept() {
    let d = temp_with(&[("real.md", CONFLICT.as_bytes())]);
    fs::set_permissions(d.path().join("real.md"), fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.md", d.path().join("link.md")).unwrap();
    let o = run(d.path(), &["--prefer", "stashed", "link.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(fs::symlink_metadata(d.path().join("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(d.path(), "real.md"), STASHED);
    let mode = fs::metadata(d.path().join("real.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn marker_size_flag() {
    let big = CONFLICT
        .replace("<<<<<<<", "<<<<<<<<<")
        .replace("=======", "=========")
        .replace(">>>>>>>", ">>>>>>>>>");
    let d = temp_with(&[("a.md", big.as_bytes())]);
    let o = run(d.path(), &["--prefer", "upstream", "a.md"]);
    // Size 7 sees no conflict, but says how to see the size-9 ones.
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "a.md:2: conflict markers here are 9 characters long, not 7; pass --marker-size 9"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d.path(), "a.md"), big);
    let o = run(
        d.path(),
        &["--prefer", "upstream", "--marker-size", "9", "a.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(d.path(), "a.md"), UPSTREAM);
}

#[test]
fn usage_errors_exit_2() {
    let o = bin()
        .args(["--prefer", "sideways", "a.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin()
        .args(["--links", "union", "a.md"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin().arg("-h").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--prefer"));
}

fn seed() -> PathBuf {
    fixtures().join("seeds/stash-pop-conflict.md")
}

#[test]
fn diff_view_on_the_seed() {
    let o = bin().arg("diff").arg(seed()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // One row per value that differs, at every depth (the picker's
    // questions), then body and links.
    assert!(
        out.contains("9 decisions (Updated upstream ↔ Stashed changes)"),
        "{out}"
    );
    for line in [
        "  title                     changed  \"…подход: ключ к успеху…\" → \"…подход: как мы работаем в…\"",
        "  pubDate                   changed  \"2025-07-25T20:24:28.496Z\" → \"2025-07-25T20:20:29.748Z\"",
        "  schema.name               changed  \"…подход: ключ к успеху…\" → \"…подход: как мы работаем в…\"",
        "  schema.description        changed",
        "  body                      changed  +60 −62 lines in 34 hunks",
        "  links                     changed  3 only upstream, 3 only stashed",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
    // The inner key's row names its old and new value.
    assert!(
        out.lines()
            .any(|l| l.starts_with("  schema.aggregateRating.")
                && l.ends_with("  changed  \"681\" → \"514\"")),
        "{out}"
    );
    // Keys both sides left alike (author, heroImage, the rest of schema)
    // are no decision and get no row.
    for same in ["author", "heroImage", "schema ", "schema.@type"] {
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with(same)),
            "{same:?} has a row in\n{out}"
        );
    }
    assert!(!out.contains('\u{1b}'), "NO_COLOR: no escapes");
    let o = bin()
        .args(["diff", "--color", "always"])
        .arg(seed())
        .output()
        .unwrap();
    assert!(stdout(&o).contains('\u{1b}'), "--color always colours");
}

#[test]
fn diff_json_names_a_file_it_cannot_compare() {
    // The stashed side repeats a key: not valid frontmatter.
    let broken = CONFLICT.replace(
        "pubDate: 2025-07-26\n",
        "pubDate: 2025-07-26\ntitle: again\n",
    );
    let d = temp_with(&[("a.md", CONFLICT.as_bytes()), ("b.md", broken.as_bytes())]);
    let o = run(d.path(), &["diff", "--json", "a.md", "b.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["path"], "a.md");
    assert!(v[0]["error"].is_null(), "{}", v[0]);
    assert_eq!(v[1]["path"], "b.md");
    let error = v[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("b.md:8: on stashed: duplicate frontmatter key `title`"),
        "{error}"
    );
    assert!(stderr(&o).contains(error), "{}", stderr(&o));
}

#[test]
fn diff_json_on_the_seed() {
    let o = bin().args(["diff", "--json"]).arg(seed()).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v[0];
    assert_eq!(f["conflicts"], 2);
    assert_eq!(f["decisions"], 9);
    assert_eq!(f["labels"]["upstream"], "Updated upstream");
    // The values that differ, at every depth, in the file's order; keys
    // both sides left alike (author, heroImage) are not listed.
    let keys: Vec<_> = f["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["key"].as_str().unwrap(), k["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [
            ("title", "changed"),
            ("description", "changed"),
            ("keywords", "changed"),
            ("pubDate", "changed"),
            ("schema.name", "changed"),
            ("schema.description", "changed"),
            ("schema.aggregateRating.reviewCount", "changed"),
        ]
    );
    assert_eq!(f["body"]["change"], "changed");
    assert_eq!(f["links"]["links"].as_array().unwrap().len(), 6);
}

/// `diff --json`'s "conflicts" counts the file's own conflicts (git's
/// hunks, as documented): its `<<<<<<<` lines. git's default style joins
/// conflicts a few lines apart that its diff3 re-merge of the stages (what
/// the versions are read from) keeps apart: 2 here, not that merge's 3.
#[test]
fn diff_json_counts_the_files_own_conflicts() {
    let r = crate::common::Repo::new();
    let article = |title: &str, author: &str, tag: &str, body: &str, link: &str| {
        format!(
            "---\ntitle: {title}\nauthor: {author}\ntags: [a{tag}]\n---\n\nBody one{body}.\n\n\
             ## See also\n\n- [A](/a/)\n{link}"
        )
    };
    r.branches(
        "p.md",
        &article("Hello", "ann", "", "", ""),
        &article("Hello main", "bob", ", m", " main", "- [M](/m/)\n"),
        &article("Hello topic", "ann", ", t", " topic", "- [T](/t/)\n"),
    );
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    let hunks = r
        .read_string("p.md")
        .lines()
        .filter(|l| l.starts_with("<<<<<<< "))
        .count();
    assert_eq!(hunks, 2);
    let o = r.run("", &["diff", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["conflicts"], 2, "{}", v[0]);
}
