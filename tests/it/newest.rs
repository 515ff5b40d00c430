//! `--prefer newest` end to end: modification dates before publication dates,
//! a tie falls through to the next date key, `--date-field` adds to the
//! defaults, and when no date decides the file is a decision with a note.

use std::fs;
use std::process::{Output, Stdio};

use crate::common::{bin, stderr};

/// A conflict on the title and the dates: `up`/`st` are each side's date lines.
fn conflict(up: &str, st: &str) -> String {
    format!(
        "---\n<<<<<<< Updated upstream\ntitle: Upstream\n{up}=======\ntitle: Stashed\n{st}>>>>>>> Stashed changes\n---\nBody.\n"
    )
}

fn run(text: &str, args: &[&str]) -> (Output, String) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("a.md");
    fs::write(&p, text).unwrap();
    let o = bin()
        .current_dir(d.path())
        .args(["--prefer", "newest"])
        .args(args)
        .arg("a.md")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let after = fs::read_to_string(&p).unwrap();
    (o, after)
}

#[test]
fn a_tie_on_the_modification_date_falls_through_to_the_publication_date() {
    let text = conflict(
        "updatedDate: 2025-03-01\npubDate: 2024-01-01\n",
        "updatedDate: 2025-03-01\npubDate: 2024-02-01\n",
    );
    let (o, after) = run(&text, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(after.contains("title: Stashed"), "{after}");
    assert!(
        err.contains("newest: pubDate 2024-02-01 > 2024-01-01"),
        "{err}"
    );
}

#[test]
fn the_modification_date_comes_before_the_publication_date() {
    // Astro's updatedDate says upstream, pubDate would say stashed.
    let text = conflict(
        "updatedDate: 2025-03-02\npubDate: 2024-01-01\n",
        "updatedDate: 2025-03-01\npubDate: 2024-02-01\n",
    );
    let (o, after) = run(&text, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(after.contains("title: Upstream"), "{after}");
    assert!(
        err.contains("newest: updatedDate 2025-03-02 > 2025-03-01"),
        "{err}"
    );
    // Hugo's lastmod and Microsoft Docs' ms.date are defaults too.
    for key in ["lastmod", "ms.date", "modified"] {
        let text = conflict(
            &format!("{key}: 2025-01-01\ndate: 2025-06-01\n"),
            &format!("{key}: 2025-02-01\ndate: 2025-05-01\n"),
        );
        let (o, after) = run(&text, &[]);
        assert!(after.contains("title: Stashed"), "{key}: {}", stderr(&o));
    }
}

#[test]
fn when_no_date_decides_the_file_is_a_decision_with_a_note() {
    let text = conflict(
        "updatedDate: 2025-03-01\npubDate: 2024-01-01\n",
        "updatedDate: 2025-03-01\npubDate: 2024-01-01T00:00:00Z\n",
    );
    let (o, after) = run(&text, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert_eq!(after, text, "untouched");
    assert!(err.contains("needs a decision on title"), "{err}");
    assert!(
        err.contains("--prefer newest: no date tells the sides apart: `updatedDate` is the same date on both sides (2025-03-01); `pubDate` is the same date on both sides"),
        "{err}"
    );
    assert!(
        !err.contains("newest: updatedDate"),
        "a tie is not reported as newest: {err}"
    );
}

#[test]
fn date_field_is_looked_at_first_and_the_defaults_still_apply() {
    let text = conflict(
        "reviewed: 2025-09-01\nupdatedDate: 2025-01-01\n",
        "reviewed: 2025-08-01\nupdatedDate: 2025-02-01\n",
    );
    let (o, after) = run(&text, &["--date-field", "reviewed"]);
    assert!(after.contains("title: Upstream"), "{}", stderr(&o));
    // A file without that key: the defaults decide.
    let text = conflict("updatedDate: 2025-01-01\n", "updatedDate: 2025-02-01\n");
    let (o, after) = run(&text, &["--date-field", "reviewed"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(after.contains("title: Stashed"), "{}", stderr(&o));
}
