//! Valid frontmatter is never an error (repro 22): files that Hugo, PyYAML
//! and tomllib read pass `check` and resolve like any other; standard input
//! is bounded like files; a lone-CR file with markers is not "no problems".

use std::io::Write;
use std::process::Stdio;

use crate::common::{bin, code, stderr, stdout, Repo};

/// The four files of repro 22: each valid, each once called an error.
const VALID: [(&str, &str); 4] = [
    (
        "split.md",
        "+++\nextra.a = 1\ntitle = \"t\"\nextra.b = 2\n+++\nbody\n",
    ),
    ("ind.md", "---\n  # note\ntitle: t\n---\nbody\n"),
    ("keys.md", "---\n1: a\n\"1\": b\ntitle: t\n---\nbody\n"),
    (
        "comment.md",
        "---\n# Do not remove front matter.\n---\n\nBody\n",
    ),
];

#[test]
fn valid_frontmatter_passes_check() {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in VALID {
        std::fs::write(d.path().join(name), text).unwrap();
        let o = bin()
            .current_dir(d.path())
            .args(["check", name])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{name}: {}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("no problems"), "{name}: {}", stdout(&o));
    }
}

/// `text` with its title (or body, for the file without keys) set to `to`.
fn edited(text: &str, to: &str) -> String {
    if text.contains("title") {
        text.replacen("title = \"t\"", &format!("title = \"{to}\""), 1)
            .replacen("title: t", &format!("title: {to}"), 1)
    } else {
        text.replacen("Body", to, 1)
    }
}

#[test]
fn valid_frontmatter_resolves_like_any_other() {
    for (name, text) in VALID {
        let r = Repo::new();
        r.branches(name, text, &edited(text, "Main"), &edited(text, "Topic"));
        let _ = r.git_output(&["merge", "topic"]);
        assert!(!r.unmerged().is_empty(), "{name}: git merged it cleanly");
        let o = r.run("", &["--prefer", "theirs", name]);
        assert_eq!(code(&o), 0, "{name}: {}{}", stdout(&o), stderr(&o));
        assert_eq!(r.read_string(name), edited(text, "Topic"), "{name}");
        assert!(r.unmerged().is_empty(), "{name}: not marked resolved");
        let o = r.run("", &["check", name]);
        assert_eq!(code(&o), 0, "{name}: {}", stdout(&o));
    }
}

#[test]
fn a_key_split_on_one_side_only_is_decided_as_a_whole() {
    // Main moves `title` between the lines of `extra`; topic edits `extra.b`.
    let r = Repo::new();
    let base = "+++\nextra.a = 1\nextra.b = 2\ntitle = \"t\"\n+++\nbody\n";
    let main = "+++\nextra.a = 1\ntitle = \"M\"\nextra.b = 2\n+++\nbody\n";
    let topic = "+++\nextra.a = 1\nextra.b = 3\ntitle = \"T\"\n+++\nbody\n";
    r.branches("p.md", base, main, topic);
    let _ = r.git_output(&["merge", "topic"]);
    let o = r.run("", &["diff", "p.md"]);
    assert!(stdout(&o).contains("(frontmatter)"), "{}", stdout(&o));
    assert!(stdout(&o).contains("two places"), "{}", stdout(&o));
    let o = r.run("", &["--prefer", "ours", "p.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(r.read_string("p.md"), main);
}

#[test]
fn standard_input_is_bounded_like_files() {
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // 64 MiB offered; the check stops reading past 16 MiB.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..64 {
            if input.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 not checked"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("<stdin>: over the limit of 16777216 bytes (16 MiB); not checked"),
        "{}",
        stderr(&o)
    );
    // Under the limit, read whole as before.
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"---\ntitle: a\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("<stdin>:4:1: error: conflict marker"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn markers_in_a_file_with_lone_cr_line_endings_are_reported() {
    let d = tempfile::tempdir().unwrap();
    let text = "---\rtitle: x\r---\r<<<<<<< HEAD\ra\r=======\rb\r>>>>>>> y\r";
    std::fs::write(d.path().join("mac.md"), text).unwrap();
    let o = bin()
        .current_dir(d.path())
        .args(["check", "mac.md"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}");
    assert!(!out.contains("no problems"), "{out}");
    assert!(out.contains("mac.md:4:1: error: conflict marker"), "{out}");
    assert!(out.contains("lone CR"), "{out}");
    // diff and resolve do not call it "no conflicts": the file is one they
    // cannot handle (exit 1), left byte for byte, with the line and the way out.
    for args in [
        &["diff", "mac.md"][..],
        &["mac.md", "--prefer", "theirs"][..],
    ] {
        let o = bin().current_dir(d.path()).args(args).output().unwrap();
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{args:?}: {err}");
        assert!(!stdout(&o).contains("no conflicts"), "{args:?}");
        assert!(
            err.contains("mac.md: line 4: conflict markers in lines that end in a lone CR"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(d.path().join("mac.md")).unwrap(),
        text
    );
}
