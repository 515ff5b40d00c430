//! The interactive picker end to end: the real binary in a real
//! pseudo-terminal (rexpect) on a copy of the seed article, and without a
//! terminal, where it must never wait for input.
//!
//! The terminal is fixed at 40 rows × 120 columns (`stty` before `exec`),
//! `TERM=xterm-256color`, and every wait has a generous timeout. Prompts are
//! matched on their ASCII part only: rexpect reads bytes one by one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use rexpect::process::wait::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use tempfile::TempDir;

const SEED: &str = "stash-pop-conflict.md";

/// A temporary folder holding a copy of the seed article as `post.md`.
pub(crate) fn seed_copy() -> (TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = fs::read(crate::common::fixtures().join("seeds").join(SEED)).unwrap();
    let path = dir.path().join("post.md");
    fs::write(&path, &bytes).unwrap();
    (dir, path, bytes)
}

/// The binary in a pseudo-terminal, in `dir`, with `args` and `env`.
fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)], color: bool) -> PtySession {
    spawn_sized(dir, args, env, color, 120)
}

/// [`spawn`] in a terminal `cols` columns wide.
pub(crate) fn spawn_sized(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    color: bool,
    cols: usize,
) -> PtySession {
    spawn_rows_cols(dir, args, env, color, 40, cols)
}

/// [`spawn_sized`] in a terminal `rows` high.
pub(crate) fn spawn_rows_cols(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    color: bool,
    rows: usize,
    cols: usize,
) -> PtySession {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!(r#"stty rows {rows} cols {cols} && exec "$0" "$@""#))
        .arg(env!("CARGO_BIN_EXE_git-frontmerge"))
        .args(args);
    crate::common::isolate(&mut c);
    c.current_dir(dir).env("TERM", "xterm-256color");
    if color {
        c.env_remove("NO_COLOR");
    } else {
        c.env("NO_COLOR", "1");
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let options = Options {
        timeout_ms: Some(60_000),
        strip_ansi_escape_codes: false,
    };
    spawn_with_options(c, options).expect("spawned in a pseudo-terminal")
}

/// Waits for `prompt`, then types `keys`. Returns what was shown before it.
pub(crate) fn answer(p: &mut PtySession, prompt: &str, keys: &str) -> String {
    let before = p
        .exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    // Let the prompt reach its key read; input typed earlier is kept anyway.
    thread::sleep(Duration::from_millis(50));
    p.send(keys).unwrap();
    p.flush().unwrap();
    before
}

/// Reads everything up to the end and returns it with the exit code.
pub(crate) fn finish(mut p: PtySession) -> (String, i32) {
    let rest = p
        .exp_eof()
        .unwrap_or_else(|e| panic!("waiting for the end: {e}"));
    match p.process.wait().unwrap() {
        WaitStatus::Exited(_, code) => (rest, code),
        other => panic!("ended by {other:?}; output:\n{rest}"),
    }
}

/// The seed's nine questions, answered `keys[i]` each (values, at every
/// depth of `schema`, then body and links menu).
pub(crate) const QUESTIONS: [&str; 9] = [
    "[1/9] title: which version?",
    "[2/9] description: which version?",
    "[3/9] keywords: which version?",
    "[4/9] pubDate: which version?",
    "[5/9] schema.name: which version?",
    "[6/9] schema.description: which version?",
    "[7/9] schema.aggregateRating.reviewCount: which version?",
    "[8/9] body: which version?",
    "[9/9] links: which ones?",
];

#[test]
fn mixed_choices_write_exactly_the_recorded_result() {
    let (dir, path, _) = seed_copy();
    let mut p = spawn(dir.path(), &["--links", "union", "post.md"], &[], false);
    // The at-a-glance view comes first.
    answer(&mut p, "9 decisions", "");
    for (q, k) in QUESTIONS
        .iter()
        .zip(["s", "u", "u", "u", "u", "u", "u", "u", "c"])
    {
        answer(&mut p, q, k);
    }
    // The checklist, preset to the union: Enter keeps it.
    answer(&mut p, "links to keep, in write order", "\r");
    // The title is the stash's, the schema upstream's: keep it as chosen.
    answer(&mut p, "Update them inside their key, in place?", "n");
    let summary = answer(&mut p, "Write post.md?", "w");
    assert!(
        summary.contains("Summary: 7 from upstream, 1 from stashed, 1 merged"),
        "{summary}"
    );
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    let want =
        fs::read(crate::common::fixtures().join("cases/seed-stash-pop/expected.decisions.md"))
            .unwrap();
    assert!(
        fs::read(&path).unwrap() == want,
        "the written file differs from expected.decisions.md"
    );
}

/// The cursor was shown after it was last hidden, and the last colour
/// sequence written resets the colours.
fn assert_terminal_restored(out: &str) {
    let hidden = out.rfind("\u{1b}[?25l");
    let shown = out.rfind("\u{1b}[?25h");
    assert!(
        shown.is_some() && shown > hidden,
        "cursor left hidden:\n{out:?}"
    );
    let sgr = regex::Regex::new("\u{1b}\\[([0-9;]*)m").unwrap();
    let last = sgr.captures_iter(out).last().expect("colour was on");
    assert!(
        matches!(&last[1], "" | "0"),
        "stray colour left on: {:?}",
        &last[0]
    );
}

#[test]
fn ctrl_c_midway_writes_nothing_and_exits_130() {
    let (dir, path, bytes) = seed_copy();
    let mut p = spawn(dir.path(), &["--color", "always", "post.md"], &[], true);
    let mut shown = answer(&mut p, QUESTIONS[0], "s");
    shown += &answer(&mut p, QUESTIONS[1], "");
    p.send_control('c').unwrap();
    let (rest, code) = finish(p);
    shown += &rest;
    assert_eq!(code, 130, "{rest}");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    assert!(rest.contains("nothing written"), "{rest}");
    assert_terminal_restored(&shown);
}

#[test]
fn ctrl_c_in_the_links_checklist_writes_nothing_and_exits_130() {
    let (dir, path, bytes) = seed_copy();
    let mut p = spawn(dir.path(), &["--color", "always", "post.md"], &[], true);
    let mut shown = String::new();
    for (q, k) in QUESTIONS
        .iter()
        .zip(["u", "u", "u", "u", "u", "u", "u", "u", "c"])
    {
        shown += &answer(&mut p, q, k);
    }
    shown += &answer(&mut p, "links to keep, in write order", "");
    p.send_control('c').unwrap();
    let (rest, code) = finish(p);
    shown += &rest;
    assert_eq!(code, 130, "{rest}");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    assert_terminal_restored(&shown);
}

#[test]
fn esc_or_quit_before_writing_leave_the_file_untouched() {
    for (keys, last) in [
        (&["u"][..], "\u{1b}"),
        (&["u", "u", "u", "u", "u", "u", "u", "u", "u"][..], "q"),
    ] {
        let (dir, path, bytes) = seed_copy();
        let mut p = spawn(dir.path(), &["post.md"], &[], false);
        for (q, k) in QUESTIONS.iter().zip(keys) {
            answer(&mut p, q, k);
        }
        let next = if keys.len() == QUESTIONS.len() {
            "Write post.md?"
        } else {
            QUESTIONS[keys.len()]
        };
        answer(&mut p, next, last);
        let (rest, code) = finish(p);
        assert_eq!(code, 130, "{rest}");
        assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    }
}

#[test]
fn a_field_edited_in_the_editor_is_validated_and_written() {
    let (dir, path, _) = seed_copy();
    let editor = dir.path().join("editor.sh");
    // First call: keep a copy of what the editor was given, write broken
    // YAML. Second call: a valid title.
    fs::write(
        &editor,
        "#!/bin/sh\nif [ -e \"$0.called\" ]; then\n  printf 'title: \"Edited by hand\"\\n' > \"$1\"\nelse\n  : > \"$0.called\"\n  cp \"$1\" \"$0.seen\"\n  printf 'title: [unclosed\\n' > \"$1\"\nfi\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = [("GIT_EDITOR", editor.to_str().unwrap())];
    let mut p = spawn(dir.path(), &["post.md"], &env, false);
    answer(&mut p, QUESTIONS[0], "e");
    let refused = answer(&mut p, "Edit `title` again?", "e");
    assert!(refused.contains("refused: not valid YAML"), "{refused}");
    for (q, k) in QUESTIONS[1..]
        .iter()
        .zip(["u", "u", "u", "u", "u", "u", "u", "u"])
    {
        answer(&mut p, q, k);
    }
    // schema.name still holds upstream's title: keep it as chosen.
    answer(&mut p, "Update them inside their key, in place?", "n");
    let summary = answer(&mut p, "Write post.md?", "w");
    assert!(summary.contains("1 edited"), "{summary}");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");

    let seen = fs::read_to_string(dir.path().join("editor.sh.seen")).unwrap();
    assert!(
        seen.contains("<<<<<<< Updated upstream\ntitle: \"Сервисный подход: ключ к успеху ButlerSPB\"\n=======\ntitle: \"Сервисный подход: как мы работаем в ButlerSPB\"\n>>>>>>> Stashed changes\n"),
        "{seen}"
    );
    // Everything else is upstream's, byte for byte.
    let upstream = crate::common::bin()
        .args(["--prefer", "upstream", "--stdout"])
        .arg(crate::common::fixtures().join("seeds").join(SEED))
        .output()
        .unwrap();
    let want = crate::common::stdout(&upstream).replace(
        "title: \"Сервисный подход: ключ к успеху ButlerSPB\"\n",
        "title: \"Edited by hand\"\n",
    );
    assert!(want.starts_with("---\ntitle: \"Edited by hand\"\n"));
    assert!(
        fs::read_to_string(&path).unwrap() == want,
        "the written file differs"
    );
}

#[test]
fn without_a_terminal_it_never_waits_for_input() {
    let (dir, path, bytes) = seed_copy();
    // Standard input stays open (a pipe nobody writes to): a prompt would hang.
    let mut c = crate::common::bin();
    let mut child = c
        .arg("post.md")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("waited for input without a terminal");
        }
        thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let err = crate::common::stderr(&out);
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(
        err.contains("needs a decision on title, description"),
        "{err}"
    );
    assert!(err.contains("run in a terminal"), "{err}");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");

    // --links alone presets the picker's checklist: without a terminal it is
    // a usage error, and still nothing is written.
    let o = crate::common::bin()
        .args(["--links", "union", "post.md"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        crate::common::stderr(&o).contains("--links needs --prefer"),
        "{}",
        crate::common::stderr(&o)
    );
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
}

#[test]
fn a_rules_answer_is_preselected_and_the_derived_field_offer_updates_schema() {
    let (dir, path, _) = seed_copy();
    let mut p = spawn(
        dir.path(),
        &["--rule", "title=stashed", "post.md"],
        &[],
        false,
    );
    // The overview marks the key the rule answers.
    answer(&mut p, "9 decisions", "");
    // Enter takes the preselected answer: the rule's.
    let title = answer(&mut p, QUESTIONS[0], "\r");
    // Matched on their ASCII parts: rexpect reads bytes one by one.
    assert!(title.contains("[rule "), "{title}");
    assert!(
        title.contains("rule: stashed from --rule ") && title.contains(" stashed (preselected)"),
        "{title}"
    );
    for (q, k) in QUESTIONS[1..]
        .iter()
        .zip(["u", "u", "u", "u", "u", "u", "u", "c"])
    {
        answer(&mut p, q, k);
    }
    answer(&mut p, "links to keep, in write order", "\r");
    let offer = answer(&mut p, "Update them inside their key, in place?", "y");
    assert!(
        offer.contains("schema.name no longer matches title"),
        "{offer}"
    );
    let summary = answer(&mut p, "Write post.md?", "w");
    assert!(summary.contains("rule: stashed from --rule"), "{summary}");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{title}\n{rest}");
    let out = fs::read_to_string(&path).unwrap();
    assert!(out.starts_with("---\ntitle: \"Сервисный подход: как мы работаем в ButlerSPB\"\n"));
    assert!(
        out.contains("\"@type\":\"HowTo\",\"name\":\"Сервисный подход: как мы работаем в ButlerSPB\",\"description\":\"Разбираем"),
        "schema keeps upstream's description, with the stashed title as its name"
    );
}
