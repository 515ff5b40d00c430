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
use crate::picker_answers::{editor, plain};

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
