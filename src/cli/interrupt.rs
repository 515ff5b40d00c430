//! Ctrl-C, SIGTERM and SIGHUP during a batch: noted, not obeyed at once, so
//! that the run stops between files. A file being written is finished (its
//! rename is atomic either way), the files written so far are marked
//! resolved in git, no temporary file is left behind, and the run exits
//! with 128 + the signal's number, saying how many files it wrote.
//!
//! The first signal is answered at once on the terminal (the stop may wait
//! for a long file); a second one stops the run at once: a write in place
//! is let finish, the temporary files and scratch folders are removed
//! ([`crate::files::in_flight`]), and the process ends with 128 + that
//! signal's number. Files written but not yet marked stay unmerged in git.
//!
//! The handler only stores to an atomic and writes a byte to a pipe (both
//! async-signal-safe); a thread reading the pipe does the rest.

use std::sync::atomic::{AtomicI32, Ordering};

/// The first signal received, 0 for none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// The write end of the pipe the handler tells the watcher through, -1
/// before [`catch`].
static PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn note(sig: libc::c_int) {
    // SAFETY: errno is this thread's; kept for the code the signal cut into.
    let errno = unsafe { *libc::__errno_location() };
    let _ = RECEIVED.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    let fd = PIPE.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = sig as u8;
        // SAFETY: write(2) is async-signal-safe; one byte from the stack.
        unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// From now on SIGINT, SIGTERM and SIGHUP are noted instead of ending the
/// process; see [`received`]. A second one ends it at once (see the module).
pub(crate) fn catch() {
    install(&[libc::SIGINT, libc::SIGTERM, libc::SIGHUP], Stop::Second);
}

/// For the picker, which reads Ctrl-C as a key of its own: SIGTERM and
/// SIGHUP (the terminal closed) end the run at once, as a second signal
/// ends a batch, the file of an edit in the editor removed too (nothing is
/// written before the person confirms).
pub(crate) fn stop_on_termination() {
    install(&[libc::SIGTERM, libc::SIGHUP], Stop::First);
}

/// Which signal ends the run at once.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The first: nothing is under way that a stop between files would finish.
    First,
    /// The second: the first stops the batch between files.
    Second,
}

fn install(signals: &[libc::c_int], stop: Stop) {
    let mut fds = [0; 2];
    // SAFETY: a two-int array for pipe2; close-on-exec keeps the ends out
    // of git and editors started later.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } == 0 {
        let read_end = fds[0];
        PIPE.store(fds[1], Ordering::SeqCst);
        std::thread::spawn(move || watch(read_end, stop));
    }
    for &sig in signals {
        // SAFETY: a zeroed sigaction with a handler that only stores to an
        // atomic and writes to a pipe; SA_RESTART keeps reads and writes going.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = note as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// The watcher: says the first signal was heard, stops at the second (or
/// at the first, `Stop::First`).
fn watch(read_end: libc::c_int, stop: Stop) {
    let mut heard = 0;
    loop {
        let mut byte = 0u8;
        // SAFETY: one byte into a local.
        let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
        if n != 1 {
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        heard += 1;
        let sig = i32::from(byte);
        if heard == 1 && stop == Stop::Second {
            say(format_args!(
                "frontmerge: {} received: stopping after the files being written \
                 (send it again to stop at once)",
                name(sig)
            ));
            continue;
        }
        let removed = crate::files::in_flight::stop();
        let term = console::Term::stderr();
        if term.is_term() {
            // The picker may have hidden it.
            let _ = term.show_cursor();
        }
        match stop {
            Stop::Second => say(format_args!(
                "frontmerge: stopped at once by a second {}: files being written were left as \
                 they were ({removed} temporary file(s) or folder(s) removed); files written \
                 before stay written, and any not yet marked resolved stay unmerged in git. Run \
                 the same command again to go on.",
                name(sig)
            )),
            Stop::First => say(format_args!(
                "frontmerge: stopped by {}: the file being asked about is left as it was \
                 ({removed} temporary file(s) or folder(s) removed); files written before stay \
                 written.",
                name(sig)
            )),
        }
        // SAFETY: ends the process now, without running other threads'
        // code or destructors (they may hold what `stop` holds).
        unsafe { libc::_exit(128 + sig) };
    }
}

/// A line on standard error, never a panic: after SIGHUP the terminal may
/// be gone, and the watcher must still end the process.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The signal received since [`catch`], if any.
pub(crate) fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

/// The signal's usual name, for messages.
pub(crate) fn name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "Ctrl-C (SIGINT)",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
