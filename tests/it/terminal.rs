//! Escape sequences from a repository never reach the terminal raw (repro
//! 21): values, file names, marker labels, branch names and commit subjects
//! are shown with their control characters escaped in every human output;
//! JSON stays exact. A property test runs the binary over arbitrary bytes.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::process::Output;

use proptest::prelude::*;

use crate::common::{bin, code, stderr, stdout, Repo};

/// Window title, OSC 52 clipboard write, screen clear: as YAML escapes.
const YAML_PAYLOAD: &str = r"T \e]0;pwned\a\e]52;c;cHduZWQ=\a\e[2J";
/// The same bytes, raw.
const RAW: &str = "T \u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J";
/// How they are shown.
const SHOWN: &str = r"T \x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J";

/// Any ESC, BEL, C1 or other control character but a newline or tab: with
/// colour off, the tool writes none of its own.
fn raw_controls(text: &str) -> Vec<char> {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect()
}

fn assert_clean(what: &str, o: &Output) {
    for (stream, text) in [("stdout", stdout(o)), ("stderr", stderr(o))] {
        let raw = raw_controls(&text);
        assert!(raw.is_empty(), "{what} {stream} holds {raw:?}: {text:?}");
    }
}

/// A merge of `topic`, whose title holds the payload, into `main`.
fn merged_payload() -> Repo {
    let r = Repo::new();
    r.branches(
        "post.md",
        "---\ntitle: \"Base\"\n---\nbody\n",
        "---\ntitle: \"Main\"\n---\nbody\n",
        &format!("---\ntitle: \"{YAML_PAYLOAD}\"\n---\nbody\n"),
    );
    let _ = r.git_output(&["merge", "topic"]);
    r
}

#[test]
fn diff_shows_a_value_escaped_and_json_exact() {
    let r = merged_payload();
    let o = r.run("", &["diff"]);
    assert_clean("diff", &o);
    assert!(stdout(&o).contains(SHOWN), "{}", stdout(&o));
    let o = r.run("", &["diff", "--json"]);
    assert_clean("diff --json", &o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.to_string().contains("pwned"), "{v}");
    assert!(
        v[0]["parts"][0]["changes"][0]["stashed"]
            .as_str()
            .is_some_and(|s| s.contains(RAW)),
        "{v:#}"
    );
}

#[test]
fn resolve_summaries_and_dry_run_diffs_are_escaped() {
    let r = merged_payload();
    // A dry run's diff of lines that hold the bytes themselves.
    r.write(
        "raw.md",
        "---\ntitle: x\n---\n<<<<<<< HEAD \u{1b}]0;t\u{7}\na \u{1b}[2J\r\n=======\nb\n>>>>>>> y\n",
    );
    let o = r.run("", &["--dry-run", "--prefer", "theirs", "raw.md"]);
    assert_clean("--dry-run", &o);
    assert!(
        stdout(&o).contains(r"-<<<<<<< HEAD \x1b]0;t\x07"),
        "{}",
        stdout(&o)
    );
    // A line's CRLF ending is layout, kept.
    assert!(stdout(&o).contains("-a \\x1b[2J\r\n"), "{}", stdout(&o));
    // --stdout is the file's bytes, exact.
    let o = r.run("", &["--stdout", "--prefer", "upstream", "raw.md"]);
    assert!(stdout(&o).contains("a \u{1b}[2J\r\n"), "{:?}", stdout(&o));
    std::fs::remove_file(r.path().join("raw.md")).unwrap();
    // Without --prefer: the summary naming what needs a decision.
    let o = r.run("", &[]);
    assert_clean("resolve", &o);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
}

/// A name with a window-title sequence, a marker label with a screen clear.
fn hostile_file(dir: &std::path::Path) -> std::path::PathBuf {
    let name = std::ffi::OsStr::from_bytes(b"x\x1b]0;owned\x07.md");
    let path = dir.join(name);
    fs::write(
        &path,
        "---\ntitle: x\n---\n<<<<<<< HEAD \u{1b}[2J\u{9b}2J\na\n=======\nb\n>>>>>>> y\u{7}\n",
    )
    .unwrap();
    path
}

#[test]
fn check_escapes_file_names_and_marker_lines() {
    let d = tempfile::tempdir().unwrap();
    let path = hostile_file(d.path());
    let o = bin()
        .current_dir(d.path())
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_clean("check", &o);
    let out = stdout(&o);
    assert!(out.contains(r"x\x1b]0;owned\x07.md:4:1"), "{out}");
    assert!(out.contains(r"<<<<<<< HEAD \x1b[2J\u{9b}2J"), "{out}");
    let o = bin()
        .current_dir(d.path())
        .args(["check", "--json", "."])
        .output()
        .unwrap();
    assert_clean("check --json", &o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "./x\u{1b}]0;owned\u{7}.md");
    // A walk names it the same way; resolve, diff and their errors too.
    for args in [
        &["check", "."][..],
        &["diff", "."],
        &["--prefer", "upstream", "--dry-run", "."],
        &["--prefer", "upstream", "."],
        &["."],
    ] {
        let o = bin().current_dir(d.path()).args(args).output().unwrap();
        assert_clean(&format!("{args:?}"), &o);
        assert!(
            format!("{}{}", stdout(&o), stderr(&o)).contains(r"x\x1b]0;owned\x07.md"),
            "{args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}

#[test]
fn a_scan_error_quoting_a_line_is_escaped() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("p.md"),
        "---\ntitle: x\n---\n<<<<<<< HEAD\u{1b}]0;t\u{7}\na\n",
    )
    .unwrap();
    for args in [
        &["check", "p.md"][..],
        &["diff", "p.md"],
        &["--prefer", "upstream", "p.md"],
    ] {
        let o = bin().current_dir(d.path()).args(args).output().unwrap();
        assert_clean(&format!("{args:?}"), &o);
    }
}

#[test]
fn keys_paths_values_and_subjects_are_escaped_in_replay_and_learn() {
    let r = Repo::new();
    let bad = "b\u{1b}]0;t\u{7}";
    let name = |i: usize| format!("p{i}\u{1b}]0;t\u{7}.md");
    let article = |v: &str| format!("---\n\"k\\e[8m\": \"{v} \\e]0;x\\a\"\n---\nx\n");
    for i in 1..=3 {
        r.write(&name(i), article("base"));
    }
    r.commit_all("base");
    for i in 1..=3 {
        r.git(&["checkout", "-q", "-b", &format!("b{i}"), "main"]);
        r.write(&name(i), article("theirs"));
        r.commit_all(&format!("t {bad}"));
        r.git(&["checkout", "-q", "main"]);
        r.write(&name(i), article("ours"));
        r.commit_all("o");
        let _ = r.git_output(&["merge", "-q", &format!("b{i}")]);
        r.write(&name(i), article("theirs"));
        r.commit_all(&format!("Merge branch '{bad}{i}'"));
    }
    for args in [
        &["replay", "--examples", "5", "--rule", "k*=upstream"][..],
        // Three merges: holding one back would leave too few to learn from.
        &["learn", "--holdout", "0"],
    ] {
        let o = r.run("", args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        // replay shows the key escaped; learn as the TOML it would write.
        let out = stdout(&o);
        assert!(
            out.contains(r"k\x1b[8m") || out.contains(r"k\u001B[8m"),
            "{args:?}: {out}"
        );
        assert_clean(&format!("{args:?}"), &o);
    }
}

#[test]
fn with_colour_only_the_tools_own_colours_are_raw() {
    // SGR 8 (concealed text) is a colour sequence the tool never writes.
    let r = Repo::new();
    r.branches(
        "post.md",
        "---\ntitle: \"Base\"\n---\nbody\n",
        "---\ntitle: \"Main\"\n---\nbody\n",
        "---\ntitle: \"T \\e[8mhidden\\e]0;x\\a\"\n---\nbody\n",
    );
    let _ = r.git_output(&["merge", "topic"]);
    for args in [
        &["diff", "--color", "always"][..],
        &["check", "--color", "always"],
        &["--color", "always", "--dry-run", "--prefer", "theirs"],
        &["--color", "always"],
    ] {
        let o = r.run("", args);
        assert_ne!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("\u{1b}[") || stderr(&o).contains("\u{1b}["));
        for text in [stdout(&o), stderr(&o)] {
            assert!(!text.contains("\u{1b}[8m"), "{args:?}: {text:?}");
            assert!(!text.contains('\u{7}'), "{args:?}: {text:?}");
            assert!(!text.contains("\u{1b}]"), "{args:?}: {text:?}");
        }
    }
}

/// Characters that make up terminal sequences, and some that do not.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\u{1b}".to_owned()),
        Just("\u{7}".to_owned()),
        Just("\u{9b}".to_owned()),
        Just("\u{9d}".to_owned()),
        Just("\u{7f}".to_owned()),
        Just("\r".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("0;".to_owned()),
        Just("8m".to_owned()),
        Just("2J".to_owned()),
        "[a-z ]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

/// A YAML double-quoted scalar holding `s` exactly.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file name from `s`: no `/`, no NUL, not empty, ends in `.md`.
fn file_name(s: &str) -> std::ffi::OsString {
    let mut bytes: Vec<u8> = s.bytes().filter(|&b| b != b'/' && b != 0).collect();
    bytes.extend_from_slice(b".md");
    std::ffi::OsString::from(std::ffi::OsStr::from_bytes(&bytes))
}

/// A label from `s`: one line.
fn label(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Arbitrary bytes in a value, a key, a file name and the marker labels:
    /// no human output of check, diff, resolve (summary, dry run, needs a
    /// decision) holds a control character the tool did not write.
    #[test]
    fn no_human_output_holds_a_raw_control_character(
        value in hostile(),
        key in hostile(),
        name in hostile(),
        labels in (hostile(), hostile()),
    ) {
        let d = tempfile::tempdir().unwrap();
        let text = format!(
            "---\n<<<<<<< {}\ntitle: {}\n{}: 1\n=======\ntitle: b\n>>>>>>> {}\n---\nbody {}\n",
            label(&labels.0),
            yaml_quoted(&value),
            yaml_quoted(&key),
            label(&labels.1),
            label(&value),
        );
        fs::write(d.path().join(file_name(&name)), text).unwrap();
        for args in [
            &["check", "."][..],
            &["diff", "."],
            &["--dry-run", "--prefer", "upstream", "."],
            &["."],
            &["--prefer", "stashed", "."],
        ] {
            let o = bin().current_dir(d.path()).args(args).output().unwrap();
            for text in [stdout(&o), stderr(&o)] {
                let raw = raw_controls(&text);
                prop_assert!(raw.is_empty(), "{:?} wrote {:?}: {:?}", args, raw, text);
            }
        }
    }
}

#[test]
fn the_picker_shows_values_and_labels_escaped() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("post.md");
    fs::write(
        &path,
        "---\n<<<<<<< Updated upstream \u{1b}]0;label\u{7}\ntitle: \"A \\e]0;pwned\\a \\e[8mhidden\"\n=======\ntitle: \"B \\e]52;c;eA==\\a\"\n>>>>>>> Stashed changes\u{9b}2J\n---\nbody\n",
    )
    .unwrap();
    let mut p =
        crate::picker::spawn_sized(d.path(), &["--color", "always", "post.md"], &[], true, 120);
    let mut shown = crate::picker::answer(&mut p, "1 decision (", "");
    shown += &crate::picker::answer(&mut p, "title: which version?", "s");
    shown += &crate::picker::answer(&mut p, "Write post.md?", "w");
    let (rest, code) = crate::picker::finish(p);
    shown += &rest;
    assert_eq!(code, 0, "{rest}");
    for raw in ["\u{1b}]", "\u{7}", "\u{1b}[8m", "\u{9b}"] {
        assert!(
            !shown.contains(raw),
            "{raw:?} reached the terminal: {shown:?}"
        );
    }
    assert!(shown.contains(r"\x1b]0;pwned\x07"), "{shown:?}");
    assert!(shown.contains(r"\x1b]0;label\x07"), "{shown:?}");
}
