//! The picker and its terminal (issue 23): Ctrl-Z suspends it and `fg`
//! redraws the question (the `fg` typed answers nothing); a resize redraws at
//! the new width; an edit over the file size bound is refused and the
//! question asked again. Real binary, real pseudo-terminal, a real
//! interactive shell for job control.

use std::fs;
use std::process::Command;
use std::time::Duration;

use rexpect::reader::Options;
use rexpect::session::spawn_with_options;

use crate::picker::{answer, finish, seed_copy, spawn_sized, QUESTIONS};
use crate::picker_answers::{editor, joined, plain};

/// Sets the pseudo-terminal's size, as a terminal emulator does on a
/// resize: the kernel sends SIGWINCH to the program in the foreground.
fn resize(p: &rexpect::session::PtySession, cols: u16) {
    use std::os::fd::AsRawFd;
    let size = libc::winsize {
        ws_row: 40,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let fd = p.process.pty.as_raw_fd();
    // SAFETY: TIOCSWINSZ reads one winsize from the pointer, valid for the call.
    let done = unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &size) };
    assert_eq!(done, 0, "TIOCSWINSZ: {}", std::io::Error::last_os_error());
}

#[test]
fn ctrl_z_suspends_the_picker_and_fg_redraws_the_question() {
    let (dir, path, bytes) = seed_copy();
    // An interactive shell in the terminal: job control, as a person has it.
    let mut c = Command::new("bash");
    c.args(["--norc", "--noprofile", "-i"]);
    crate::common::isolate(&mut c);
    c.current_dir(dir.path())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("PS1", "shell$ ")
        .env("PATH", crate::common::path_with_bin());
    let options = Options {
        timeout_ms: Some(60_000),
        strip_ansi_escape_codes: false,
    };
    let mut p = spawn_with_options(c, options).expect("bash in a pseudo-terminal");
    p.exp_string("shell$ ").unwrap();
    p.send_line("stty rows 40 cols 120; git-frontmerge post.md")
        .unwrap();
    answer(&mut p, QUESTIONS[0], "");
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('z').unwrap();
    // Stopped: the shell has the terminal back.
    let stopped = p
        .exp_string("shell$ ")
        .expect("the shell's prompt after Ctrl-Z");
    assert!(plain(&stopped).contains("Stopped"), "{}", plain(&stopped));
    p.send_line("fg").unwrap();
    // Resumed: the question is on screen again, and `fg` answered nothing.
    let redrawn = answer(&mut p, QUESTIONS[0], "q");
    let text = plain(&redrawn);
    assert!(!text.contains("✔ [1/9]"), "fg answered the title:\n{text}");
    assert!(
        text.contains("[1/9] title  changed"),
        "not redrawn:\n{text}"
    );
    // A job stopped once leaves the rest of its command line: ask for its status.
    p.exp_string("shell$ ").unwrap();
    p.send_line("echo \"exit=$?\"").unwrap();
    p.exp_string("exit=").unwrap();
    let code = p.exp_regex("[0-9]+").unwrap().1;
    assert_eq!(code, "130");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    p.send_line("exit").unwrap();
}

#[test]
fn a_resize_redraws_the_question_and_later_screens_at_the_new_width() {
    let (dir, path, bytes) = seed_copy();
    let mut p = spawn_sized(dir.path(), &["post.md"], &[], false, 160);
    answer(&mut p, QUESTIONS[0], "");
    std::thread::sleep(Duration::from_millis(300));
    resize(&p, 60);
    // The question again, every row within the new width.
    let redrawn = plain(&answer(&mut p, QUESTIONS[0], "u"));
    let after = &redrawn[redrawn
        .rfind("[1/9] title  changed")
        .unwrap_or_else(|| panic!("not redrawn:\n{redrawn}"))..];
    let next = plain(&answer(&mut p, QUESTIONS[1], "q"));
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    for row in after.lines().chain(next.lines()) {
        let w = console::measure_text_width(row);
        assert!(
            w <= 60,
            "{w} columns after the resize: {row:?}\n{after}{next}"
        );
    }
    // The next question is laid out for 60 columns: stacked, no columns.
    assert!(!next.contains('│'), "{next}");
}

#[test]
fn an_edit_over_the_file_size_bound_is_refused_and_asked_again() {
    let (dir, path, bytes) = seed_copy();
    let ed = dir.path().join("big.sh");
    // 17 MiB: over the 16 MiB every file is held to.
    fs::write(
        &ed,
        "#!/bin/sh\n{ printf 'title: \"'; head -c 17825792 /dev/zero | tr '\\0' a; printf '\"\\n'; } > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&ed, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let _ = editor;
    let env = [("GIT_EDITOR", ed.to_str().unwrap())];
    let mut p = spawn_sized(dir.path(), &["post.md"], &env, false, 120);
    answer(&mut p, QUESTIONS[0], "e");
    // Refused, with the bound named; then the question again.
    p.exp_string("over the limit of").expect("refused");
    let again = plain(&answer(&mut p, QUESTIONS[0], "q"));
    assert!(again.contains("[1/9] title  changed"), "{again}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
}

/// A URL of 200 characters: one word wider than any terminal here.
fn long_url(tag: &str) -> String {
    let mut url = format!("https://example.com/{tag}/");
    while url.len() < 200 {
        url.push_str("segment-");
    }
    url
}

/// The article's path: one word wider than the terminal too.
fn long_path() -> String {
    format!("content/{}.md", "a-very-long-slug".repeat(6))
}

/// A merge whose path, title, description, body and a link each hold a
/// word wider than the terminal.
fn merge_with_long_words() -> crate::common::Repo {
    let art = |title: &str, desc: &str, para: &str, link: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndescription: \"{desc}\"\n---\n{para}\n\nMiddle.\n\n## Related\n\n- [A](/a/)\n- [{link}](/x/)\n"
        )
    };
    let repo = crate::common::Repo::new();
    repo.branches(
        &long_path(),
        &art("Base", "Base", "Intro.", "X"),
        &art(
            &format!("Ours {}", long_url("ours-title")),
            &format!("See {}", long_url("ours-desc")),
            &format!("Intro, see {}", long_url("ours-body")),
            &long_url("ours-link"),
        ),
        &art(
            "Theirs",
            &format!("Read {}", long_url("theirs-desc")),
            &format!("Intro, read {}", long_url("theirs-body")),
            "X theirs",
        ),
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

#[test]
fn a_word_wider_than_the_terminal_is_broken_at_the_width_on_every_screen() {
    let repo = merge_with_long_words();
    let ed = editor(repo.path(), "refuse.sh", "<<<<<<< a\nnot: resolved\n");
    let env = [("GIT_EDITOR", ed.as_str())];
    let path = long_path();
    let mut p = spawn_sized(repo.path(), &[&path], &env, false, 60);
    let mut shown = answer(&mut p, "title: which version?", "e");
    // The editor's explanation, then the refusal and its question.
    shown += &answer(&mut p, "Edit `title` again?", "b");
    shown += &answer(&mut p, "title: which version?", "u");
    shown += &answer(&mut p, "description: which version?", "s");
    shown += &answer(&mut p, "body: which version?", "h");
    shown += &answer(&mut p, "hunk 1/1: which lines?", "u");
    shown += &answer(&mut p, "links: which ones?", "c");
    shown += &answer(&mut p, "in write order", "\r");
    shown += &answer(&mut p, "preview: the whole result", "w");
    let (rest, code) = finish(p);
    let text = plain(&(shown + &rest));
    assert_eq!(code, 0, "{text}");
    for row in text.lines() {
        let w = console::measure_text_width(row);
        assert!(w <= 60, "{w} columns: {row:?}\n{text}");
    }
    // Broken, not cut: each long word is there whole once the rows are joined.
    let joined: String = text.split_whitespace().collect();
    for tag in [
        "ours-title",
        "ours-desc",
        "theirs-desc",
        "ours-body",
        "ours-link",
    ] {
        assert!(joined.contains(&long_url(tag)), "{tag}:\n{text}");
    }
    // The path too: in the overview's head and on the final line.
    assert!(joined.matches(&format!("{path}:")).count() >= 2, "{text}");
    assert_eq!(repo.unmerged(), "", "{text}");
}

/// Waits until the prompt is at its key read, then resizes the terminal.
fn resize_at(p: &rexpect::session::PtySession, cols: u16) {
    std::thread::sleep(Duration::from_millis(300));
    resize(p, cols);
}

/// How many column dividers each divided row of `screen` has.
fn bars(screen: &str) -> Vec<usize> {
    screen
        .lines()
        .filter(|l| l.contains('│'))
        .map(|l| l.matches('│').count())
        .collect()
}

/// Every row of `screen` fits in `cols` columns.
fn fits(screen: &str, cols: usize, what: &str) {
    for row in screen.lines() {
        let w = console::measure_text_width(row);
        assert!(w <= cols, "{what}: {w} columns: {row:?}\n{screen}");
    }
}

/// What was drawn since the last `[1/4] title  changed`.
fn last_title(text: &str) -> &str {
    let at = text
        .rfind("[1/4] title  changed")
        .unwrap_or_else(|| panic!("the title question is not drawn:\n{text}"));
    &text[at..]
}

/// A merge with four questions (title, description, body, links: both
/// sides retitled the same link), with long link titles.
fn merge_to_lay_out() -> crate::common::Repo {
    let art = |title: &str, para: &str, link: &str| {
        format!(
            "---\ntitle: \"{title} of the article\"\ndescription: \"What the {title} side says\"\n---\nIntro.\n\n{para}\n\nMiddle.\n\n## Related\n\n- [How to merge the frontmatter of many articles at once](/one/)\n- [{link}](/two/)\n"
        )
    };
    let repo = crate::common::Repo::new();
    repo.branches(
        "post.md",
        &art("Base", "The base paragraph.", "A second related article"),
        &art(
            "Ours",
            "Our paragraph, changed.",
            "A second related article, retitled on our side at length",
        ),
        &art(
            "Theirs",
            "Their paragraph, changed too.",
            "A second related article, retitled on their side at length",
        ),
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

const FOUR: [&str; 4] = [
    "[1/4] title: which version?",
    "[2/4] description: which version?",
    "[3/4] body: which version?",
    "[4/4] links: which ones?",
];

#[test]
fn a_resize_lays_out_every_screen_again_at_once_at_the_new_width() {
    let repo = merge_to_lay_out();
    let before = repo.read("post.md");
    // An editor whose edit is refused: the editor's prompt is on screen.
    let ed = editor(repo.path(), "refuse.sh", "<<<<<<< a\nnot: resolved\n");
    let env = [("GIT_EDITOR", ed.as_str())];
    let mut p = spawn_sized(repo.path(), &["post.md"], &env, false, 160);
    // 160 columns: base, ours and theirs side by side.
    let first = plain(&answer(&mut p, FOUR[0], ""));
    let wide = last_title(&first);
    assert!(
        !bars(wide).is_empty() && bars(wide).iter().all(|&n| n == 2),
        "{wide}"
    );

    // 120, while the question waits: at once two columns and the base below.
    resize_at(&p, 120);
    let redrawn = plain(&answer(&mut p, FOUR[0], ""));
    let mid = last_title(&redrawn);
    assert!(
        !bars(mid).is_empty() && bars(mid).iter().all(|&n| n == 1),
        "{mid}"
    );
    assert!(mid.lines().any(|l| l.trim() == "base"), "{mid}");
    fits(mid, 120, "120");

    // 60: stacked.
    resize_at(&p, 60);
    let redrawn = plain(&answer(&mut p, FOUR[0], "e"));
    let narrow = last_title(&redrawn);
    assert!(bars(narrow).is_empty(), "{narrow}");
    fits(narrow, 60, "60");

    // The editor's refusal and its question, then 160: one row again.
    let refused = "refused: conflict markers are still there (line 1 of your edit)";
    let at60 = plain(&answer(&mut p, "Edit `title` again?", ""));
    assert!(!at60.contains(refused), "wrapped at 60:\n{at60}");
    resize_at(&p, 160);
    let at160 = plain(&answer(&mut p, "Edit `title` again?", "b"));
    assert!(
        at160.contains(refused),
        "not laid out again at 160:\n{at160}"
    );

    // Back at the title: the keys and the body, then the checklist at 160,
    // resized to 60 while it waits: every item wrapped at 60.
    for q in &FOUR[..3] {
        answer(&mut p, q, "u");
    }
    answer(&mut p, FOUR[3], "c");
    let wide = plain(&answer(&mut p, "links to keep, in write order", ""));
    assert!(
        wide.lines().any(|l| console::measure_text_width(l) > 60),
        "the checklist at 160 is as narrow as at 60:\n{wide}"
    );
    resize_at(&p, 60);
    let checklist = plain(&answer(&mut p, "links to keep, in write order", "\r"));
    let at = checklist.rfind("(space toggles").unwrap_or(0);
    fits(&checklist[at..], 60, "the checklist");

    // The summary at 60, resized to 40 while asked: wrapped at 40.
    let summary = plain(&answer(&mut p, "Write post.md?", ""));
    assert!(summary.contains("Summary: "), "{summary}");
    resize_at(&p, 40);
    let again = plain(&answer(&mut p, "Write post.md?", "q"));
    let at = again
        .rfind("Summary:")
        .unwrap_or_else(|| panic!("the summary is not drawn again:\n{again}"));
    let summary40 = &again[at..];
    fits(summary40, 40, "the summary at 40");
    assert!(
        summary40
            .lines()
            .next()
            .is_some_and(|l| !l.contains("merged")),
        "the summary's head is not wrapped at 40:\n{summary40}"
    );
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(repo.read("post.md") == before, "the file changed");
}

#[test]
fn a_preview_shown_without_a_pager_wraps_at_the_width() {
    // --stdout to a file: the pager has no terminal, the preview goes to
    // the picker's screen instead, every row within 60 columns.
    let repo = merge_with_long_words();
    let path = long_path();
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(r#"stty rows 40 cols 60 && exec "$0" --stdout "$1" > out.md"#)
        .arg(env!("CARGO_BIN_EXE_git-frontmerge"))
        .arg(&path);
    crate::common::isolate(&mut c);
    c.current_dir(repo.path())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let options = Options {
        timeout_ms: Some(60_000),
        strip_ansi_escape_codes: false,
    };
    let mut p = spawn_with_options(c, options).expect("spawned in a pseudo-terminal");
    for q in [
        "title: which version?",
        "description: which version?",
        "body: which version?",
        "links: which ones?",
    ] {
        answer(&mut p, q, "u");
    }
    answer(&mut p, "Accept the result?", "r");
    // The answer's own line first, then the preview and the question again.
    p.exp_string("Accept the result?").unwrap();
    let shown = plain(&answer(&mut p, "Accept the result?", "w"));
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    assert!(
        shown.contains("title: \"Ours"),
        "the preview is not shown:\n{shown}"
    );
    fits(&shown, 60, "the preview");
    let joined: String = shown.split_whitespace().collect();
    assert!(joined.contains(&long_url("ours-body")), "{shown}");
}

#[test]
fn a_resize_while_a_graphical_editor_has_the_file_draws_the_explanation_again() {
    let repo = merge_to_lay_out();
    // An editor that leaves the terminal alone (as `code --wait` does): it
    // waits until the test says (a file `go`: no race with a busy
    // machine's clock), then writes an answer.
    let go = repo.path().join("go");
    let wait = format!("while [ ! -e '{}' ]; do sleep 0.05; done\n", go.display());
    let ed = repo.path().join("gui.sh");
    fs::write(
        &ed,
        format!("#!/bin/sh\n{wait}printf 'title: \"Edited\"\\n' > \"$1\"\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&ed, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = [("GIT_EDITOR", ed.to_str().unwrap())];
    let mut p = spawn_sized(repo.path(), &["post.md"], &env, false, 160);
    answer(&mut p, FOUR[0], "e");
    p.exp_string("Waiting for your editor").unwrap();
    resize_at(&p, 60);
    // Drawn again at 60 columns while the editor still has the file.
    let again = plain(
        &p.exp_string("Waiting for your editor")
            .expect("drawn again"),
    );
    let at = again
        .rfind("Edit `title`")
        .unwrap_or_else(|| panic!("the explanation is not drawn again:\n{again}"));
    fits(&again[at..], 60, "the editor's explanation");
    assert!(
        joined(&again[at..]).contains("in your editor, then save and close it."),
        "{again}"
    );
    // The edit is taken once the editor closes.
    fs::write(&go, "").unwrap();
    answer(&mut p, FOUR[1], "q");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");

    // An editor in the terminal (raw mode, as vi) redraws itself: nothing
    // of ours is drawn over it.
    let ed = repo.path().join("tui.sh");
    fs::write(
        &ed,
        format!(
            "#!/bin/sh\nstty raw -echo\n{wait}stty sane\nprintf 'title: \"Edited\"\\n' > \"$1\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&ed, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::remove_file(&go).unwrap();
    let env = [("GIT_EDITOR", ed.to_str().unwrap())];
    let mut p = spawn_sized(repo.path(), &["post.md"], &env, false, 160);
    answer(&mut p, FOUR[0], "e");
    p.exp_string("Waiting for your editor").unwrap();
    resize_at(&p, 60);
    // Time for a wrong redraw to show; a slow machine can only hide one.
    std::thread::sleep(Duration::from_millis(500));
    fs::write(&go, "").unwrap();
    let after = plain(&answer(&mut p, FOUR[1], "q"));
    assert!(
        !after.contains("Waiting for your editor"),
        "drawn over the editor:\n{after}"
    );
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
}

/// Found by the picker's trial: SIGTERM, or SIGHUP when the terminal
/// closes, while the editor holds an edit left the edit's file in the
/// temporary folder. The run now stops at once: that file removed, the
/// article as it was, exit 128 + the signal's number.
#[test]
fn sigterm_or_sighup_while_the_editor_is_open_leaves_no_file_behind() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let (dir, path, bytes) = seed_copy();
        let tmp = tempfile::tempdir().unwrap();
        let ed = dir.path().join("slow.sh");
        fs::write(&ed, "#!/bin/sh\nsleep 2\n").unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&ed, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let env = [
            ("GIT_EDITOR", ed.to_str().unwrap()),
            ("TMPDIR", tmp.path().to_str().unwrap()),
        ];
        let mut p = spawn_sized(dir.path(), &["post.md"], &env, false, 120);
        answer(&mut p, QUESTIONS[0], "e");
        p.exp_string("Waiting for your editor")
            .expect("the editor runs");
        let edits = || crate::common::count_named(tmp.path(), "frontmerge-");
        assert_eq!(edits(), 1, "the edit's file is there");
        // SAFETY: a signal to our own child (the picker: `exec`ed by sh).
        assert_eq!(unsafe { libc::kill(p.process.child_pid.as_raw(), sig) }, 0);
        let (rest, got) = finish(p);
        assert_eq!(got, code, "{}", plain(&rest));
        assert!(plain(&rest).contains("stopped by"), "{}", plain(&rest));
        assert_eq!(edits(), 0, "the edit's file removed");
        assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    }
}

/// Found by the picker's trial: with `TERM=dumb` (Emacs' shell) the picker
/// still moved the cursor, erased lines and hid the cursor. There, each
/// question is printed once and answered by a line: a letter and Enter.
#[test]
fn with_term_dumb_questions_are_printed_once_and_answered_by_lines() {
    // A merge whose title both sides changed.
    let repo = crate::mergetool::conflicted();
    let mut p = spawn_sized(repo.path(), &["post.md"], &[("TERM", "dumb")], false, 80);
    let mut shown = answer(&mut p, "[1/1] title: which version?", "x\n");
    // Not a choice: said, and asked again on the next line.
    shown += &answer(&mut p, "(one of", "s\n");
    shown += &answer(&mut p, "Write post.md?", "w\n");
    let (rest, code) = finish(p);
    shown += &rest;
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains('\u{1b}'), "an escape sequence: {shown:?}");
    let text = plain(&shown);
    assert!(
        text.contains("✔ [1/1] title: which version? theirs"),
        "{text}"
    );
    assert!(text.contains("⏎ u  ours"), "the default marked: {text}");
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: Theirs\ntags: [a, b]\n---\nBody.\n"
    );
    assert_eq!(repo.unmerged(), "");
}

/// `TERM=dumb`, the links checklist: numbered, toggled by lines of numbers.
#[test]
fn with_term_dumb_the_links_checklist_is_answered_by_numbers() {
    let (dir, path, _) = seed_copy();
    let mut p = spawn_sized(dir.path(), &["post.md"], &[("TERM", "dumb")], false, 120);
    let mut shown = String::new();
    for q in &QUESTIONS[..8] {
        shown += &answer(&mut p, q, "u\n");
    }
    shown += &answer(&mut p, QUESTIONS[8], "c\n");
    // All off, all on, the second off; then a wrong line, then done.
    shown += &answer(&mut p, "q to quit)", "a\n");
    shown += &answer(&mut p, "q to quit)", "a\n");
    shown += &answer(&mut p, "q to quit)", "2\n");
    shown += &answer(&mut p, "q to quit)", "99\n");
    shown += &answer(&mut p, "(numbers from 1 to", "\n");
    shown += &answer(&mut p, "Write post.md?", "q\n");
    let (rest, code) = finish(p);
    shown += &rest;
    let text = plain(&shown);
    assert_eq!(code, 130, "{text}");
    assert!(!shown.contains('\u{1b}'), "an escape sequence: {shown:?}");
    assert!(text.contains("  1 [ ] "), "all off by a: {text}");
    assert!(text.contains("  2 [ ] "), "{text}");
    assert!(
        text.contains("links to keep, in write order: 5 of 6 kept"),
        "{text}"
    );
    assert!(fs::read(&path).is_ok());
}

/// Found by the picker's trial: in a 40x12 terminal the menu filled the
/// screen and the hunk being decided scrolled away. Where the question and
/// its menu would not fit, the menu takes three rows: the entry selected
/// and every key.
#[test]
fn in_a_short_terminal_the_menu_shrinks_to_keep_the_hunk_in_sight() {
    let repo = crate::common::Repo::new();
    let base = "---\ntitle: Hello\n---\n\nIntro.\n\nPara A base.\n\nM1\nM2\nM3\nM4\n\nPara B base.\n\nEnd.\n";
    let up = base
        .replace("A base", "A upstream")
        .replace("B base", "B upstream");
    let st = base
        .replace("A base", "A stashed")
        .replace("B base", "B stashed");
    repo.branches("post.md", base, &up, &st);
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    let mut p = crate::picker::spawn_rows_cols(repo.path(), &["post.md"], &[], false, 12, 40);
    answer(&mut p, "[1/1] body: which version?", "h");
    answer(&mut p, "hunk 1/2: which lines?", "u");
    let hunk = plain(&answer(&mut p, "hunk 2/2: which lines?", ""));
    let menu = plain(&answer(&mut p, "shows each", "s"));
    let (rest, code) = finish_after_write(p);
    assert_eq!(code, 0, "{}", plain(&rest));
    let shown = &hunk[hunk.rfind("hunk 2/2").expect("the hunk's heading")..];
    assert!(shown.contains("− Para B {+upstream.+}"), "{shown}");
    // The prompt, the entry selected, the keys: not one row per entry.
    assert!(menu.contains("❯ u  ours"), "{menu}");
    assert!(menu.contains("u s a e l b q"), "{menu}");
    assert!(!menu.contains("  s  theirs"), "{menu}");
    assert!(repo.read_string("post.md").contains("Para B stashed."));
}

/// Confirms the write and waits for the end.
fn finish_after_write(mut p: rexpect::session::PtySession) -> (String, i32) {
    answer(&mut p, "Write post.md?", "w");
    finish(p)
}

/// A merge of three keys both sides changed: title, description, author.
fn three_keys() -> crate::common::Repo {
    let base = "---\ntitle: T\ndescription: D\nauthor: A\n---\n\nBody.\n";
    let side = |s: &str| {
        base.replace("T\n", &format!("T {s}\n"))
            .replace("D\n", &format!("D {s}\n"))
            .replace("A\n", &format!("A {s}\n"))
    };
    let repo = crate::common::Repo::new();
    repo.branches("post.md", base, &side("ours"), &side("theirs"));
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

/// Found by the picker's trial: keys sent as `ESC O x` (F1–F4; the arrows
/// in application cursor mode, as a shell that ran `tput smkx` leaves the
/// terminal) were read as their last letter: F2 quit, F4 answered theirs,
/// ESC O B went back. F-keys (and other sequences, `ESC [ 15 ~`) now do
/// nothing; ESC O A and ESC O B move the selection as the arrows do.
#[test]
fn function_keys_do_nothing_and_application_mode_arrows_move() {
    let repo = three_keys();
    let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, 100);
    answer(&mut p, "[1/3] title: which version?", "u");
    // F1–F4, F5 and Ctrl-F2: nothing; then ↓ (application mode) and Enter.
    answer(
        &mut p,
        "[2/3] description: which version?",
        "\u{1b}OP\u{1b}OQ\u{1b}OR\u{1b}OS\u{1b}[15~\u{1b}[1;5Q\u{1b}OB\r",
    );
    let shown = plain(&answer(
        &mut p,
        "[3/3] author: which version?",
        "\u{1b}OB\u{1b}OB\u{1b}OA\r",
    ));
    assert!(
        shown.contains("✔ [2/3] description: which version? theirs"),
        "{shown}"
    );
    let summary = plain(&answer(&mut p, "Write post.md?", "w"));
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{summary}{}", plain(&rest));
    assert!(
        summary.contains("✔ [3/3] author: which version? theirs"),
        "{summary}"
    );
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: T ours\ndescription: D theirs\nauthor: A theirs\n---\n\nBody.\n"
    );
}

/// Found by the picker's trial: a `$PAGER` that cannot run (a typo, not
/// installed: `sh` says "not found" and exits 127) left the previews empty,
/// and the fallback that prints the preview in the terminal fired only when
/// `sh` itself could not start. A pager that fails is now said, and the
/// preview printed in the terminal.
#[test]
fn a_pager_that_cannot_run_is_said_and_the_preview_shown_in_the_terminal() {
    for pager in ["lesss", "false"] {
        let repo = three_keys();
        let before = repo.read("post.md");
        let env = [("PAGER", pager)];
        let mut p = spawn_sized(repo.path(), &["post.md"], &env, false, 100);
        answer(&mut p, "[1/3] title: which version?", "u");
        answer(&mut p, "[2/3] description: which version?", "s");
        answer(&mut p, "[3/3] author: which version?", "s");
        answer(&mut p, "Write post.md?", "r");
        // The answer's own line first, then the preview and the question again.
        p.exp_string("Write post.md?").unwrap();
        let shown = plain(&answer(&mut p, "Write post.md?", "q"));
        let (rest, code) = finish(p);
        assert_eq!(code, 130, "{pager}: {}", plain(&rest));
        assert!(
            joined(&shown).contains(&format!("the pager ({pager}) failed")),
            "{pager}: {shown}"
        );
        assert!(
            joined(&shown).contains("--- title: T ours description: D theirs author: A theirs ---"),
            "{pager}: the preview is not shown:\n{shown}"
        );
        assert!(repo.read("post.md") == before, "the file changed");
    }
}

/// Found by the picker's trial: a resize while a menu waited selected its
/// default entry again (↓ to theirs, a wider window, Enter: ours). The
/// entry selected stays selected across the redraw.
#[test]
fn a_resize_keeps_the_entry_selected() {
    let repo = three_keys();
    let before = repo.read("post.md");
    let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, 90);
    // ↓: theirs; the resize once that is drawn; Enter once the question is
    // drawn again (the resize comes first: the wait below ends after it).
    let mut shown = answer(&mut p, "[1/3] title: which version?", "\u{1b}[B");
    resize_at(&p, 160);
    shown += &answer(&mut p, "[1/3] title: which version?", "\r");
    shown += &answer(&mut p, "[2/3] description: which version?", "q");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{}", plain(&rest));
    let text = plain(&shown);
    let redrawn = &text[text
        .rfind("[1/3] title  changed")
        .unwrap_or_else(|| panic!("not drawn:\n{text}"))..];
    assert!(
        text.matches("[1/3] title  changed").count() >= 2,
        "not redrawn:\n{text}"
    );
    // The menu drawn again with theirs selected, and Enter took theirs.
    let menu = &redrawn[redrawn.find("? [1/3] title").expect("the menu")..];
    assert!(menu.contains("❯ s  theirs"), "{menu}");
    assert!(
        redrawn.contains("✔ [1/3] title: which version? theirs"),
        "{redrawn}"
    );
    assert!(repo.read("post.md") == before, "the file changed");
}
