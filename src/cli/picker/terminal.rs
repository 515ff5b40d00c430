//! The terminal prompter: menus with arrow keys and shortcut letters and the
//! links checklist (console's raw keys), git's editor and the pager.
//! Everything is drawn on standard error, every row within the terminal's
//! width (a word wider than a row broken at it, never by the terminal).
//!
//! A resize (SIGWINCH) or `fg` after Ctrl-Z while a menu waits answers
//! [`Reply::Redraw`]: the picker lays the question out again at the new
//! width at once. The checklist lays itself out again in place. The editor
//! and the pager own the terminal while they run and redraw themselves.
//!
//! Ctrl-C must not kill the process half-way through a prompt (the cursor
//! would stay hidden): a handler turns SIGINT into a flag, prompts answer
//! [`Reply::Quit`], the cursor is shown again and the run ends with exit 130
//! without writing.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use anyhow::{Context, Result};
use console::{measure_text_width, style, Key, Term};

use super::{Checklist, Menu, Prompter, Reply};
use crate::cli::report::{escape, escape_in, escape_lines, Layout};

/// Set by the SIGINT handler; read (and cleared) before every prompt.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set by the SIGWINCH handler while a menu waits for a key: redraw it.
static RESIZED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_resize(_: libc::c_int) {
    RESIZED.store(true, Ordering::SeqCst);
}

/// While it lives, a resize of the terminal wakes the key read of a menu or
/// the checklist (the read returns as interrupted, [`RESIZED`] says why) so
/// that it redraws at the new width. Outside them (the editor, the pager)
/// the default disposition stands: a resize there must not read as Ctrl-C.
struct ResizeWatch {
    old: libc::sigaction,
}

impl ResizeWatch {
    fn new() -> ResizeWatch {
        RESIZED.store(false, Ordering::SeqCst);
        // SAFETY: sigaction with a handler that only stores to an atomic;
        // both structs are fully initialised before the call.
        unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = on_resize as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut new.sa_mask);
            // No SA_RESTART: the wait for a key must return.
            new.sa_flags = 0;
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGWINCH, &new, &mut old);
            ResizeWatch { old }
        }
    }
}

impl Drop for ResizeWatch {
    fn drop(&mut self) {
        // SAFETY: restores the disposition saved by `new`.
        unsafe {
            libc::sigaction(libc::SIGWINCH, &self.old, std::ptr::null_mut());
        }
    }
}

/// Stops the job as Ctrl-Z does outside raw mode (the menu reads keys raw,
/// so the terminal sends no SIGTSTP): the whole process group, as the
/// terminal would (under `git mergetool` that is git and its shell too, so
/// the shell gets the terminal back). Returns once continued (`fg`). In a
/// process group no shell controls, the kernel ignores it.
fn suspend() {
    // SAFETY: sending a signal with its default action (stop) to our own
    // process group is sound.
    unsafe {
        libc::kill(0, libc::SIGTSTP);
    }
}

/// True when a person can be asked: standard input and standard error are
/// terminals.
pub(crate) fn attended() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Installs the SIGINT handler once per process.
fn catch_interrupts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Without the handler, console raises SIGINT on Ctrl-C inside a prompt
        // and the default action kills the process with the cursor hidden.
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

/// The editor git would use: `git var GIT_EDITOR` (core.editor, GIT_EDITOR,
/// VISUAL, EDITOR), else `$VISUAL`, `$EDITOR`, `vi`.
pub(crate) fn editor() -> String {
    let git = Command::new("git")
        .args(["var", "GIT_EDITOR"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    if let Ok(o) = git {
        let e = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        if o.status.success() && !e.is_empty() {
            return e;
        }
    }
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// The pager: `$PAGER`, else `less -R`.
pub(crate) fn pager() -> String {
    std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -R".to_owned())
}

/// Why the pager showed nothing, from how it ended; `None` when it ran.
/// `sh` exits 127 when the pager is not found and 126 when it cannot be
/// run; any other exit code but 0 is a pager that failed too (less, more
/// and most exit 0 when quit). A pager ended by a signal was stopped by the
/// person reading it (Ctrl-C in `more`): it ran.
fn pager_failed(status: std::process::ExitStatus, pager: &str) -> Option<String> {
    let why = match status.code()? {
        0 => return None,
        127 => "not found".to_owned(),
        126 => "cannot be run".to_owned(),
        code => format!("exit status {code}"),
    };
    Some(format!("the pager ({pager}) failed: {why}"))
}

/// The [`Prompter`] for a person at a terminal.
pub(crate) struct TerminalPrompter {
    term: Term,
    /// What was shown since the last question was asked: the editor's
    /// explanation, drawn again when the terminal is resized while a
    /// graphical editor has the file.
    screen: String,
    /// `TERM=dumb` (Emacs' shell, some CI consoles): no cursor moves, no
    /// line erased, no key read raw; menus are printed once and answered
    /// with a line (see [`TerminalPrompter::choose_by_line`]).
    dumb: bool,
    /// The menu a resize or Ctrl-Z interrupted, and the entry selected in
    /// it: asked again ([`Reply::Redraw`]), it starts from that entry, not
    /// its default (↓ to theirs, a wider window, Enter must answer theirs).
    interrupted_at: Option<(Menu, usize)>,
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self::new()
    }
}

impl TerminalPrompter {
    /// A prompter on standard error; installs the Ctrl-C handler.
    pub(crate) fn new() -> TerminalPrompter {
        catch_interrupts();
        TerminalPrompter {
            term: Term::stderr(),
            screen: String::new(),
            dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
            interrupted_at: None,
        }
    }

    /// True (once) when Ctrl-C was pressed outside a prompt.
    fn interrupted(&self) -> bool {
        INTERRUPTED.swap(false, Ordering::SeqCst)
    }

    /// Cursor visible, colours reset.
    fn restore(&self) {
        if self.dumb {
            return;
        }
        let _ = self.term.show_cursor();
        if console::colors_enabled_stderr() {
            let _ = self.term.write_str("\u{1b}[0m");
        }
        let _ = self.term.flush();
    }

    fn quit<T>(&self) -> Result<Reply<T>> {
        self.restore();
        Ok(Reply::Quit)
    }

    fn menu_rows(&self, menu: &Menu, sel: usize) -> Vec<String> {
        let room = self.width().saturating_sub(1);
        // The prompt is never cut: the key hint goes first when it does not
        // fit, then the prompt wraps at spaces.
        let hint = "(↑/↓ Enter, or a letter)";
        let menu_prompt = escape(&menu.prompt);
        let with_hint = measure_text_width(&menu_prompt) + 4 + measure_text_width(hint) <= room;
        let prompt = format!(
            "{} {}{}",
            style("?").for_stderr().yellow().bold(),
            style(&menu_prompt).for_stderr().bold(),
            if with_hint {
                format!("  {}", style(hint).for_stderr().dim())
            } else {
                String::new()
            }
        );
        let mut rows: Vec<String> = rows_of(&prompt, room, "  ");
        for (i, c) in menu.choices.iter().enumerate() {
            let label = escape(&c.label);
            let row = if i == sel {
                format!(
                    "{} {}  {}",
                    style("❯").for_stderr().cyan().bold(),
                    style(c.key).for_stderr().cyan().bold(),
                    style(&label).for_stderr().cyan()
                )
            } else {
                format!("  {}  {}", style(c.key).for_stderr().bold(), label)
            };
            rows.extend(rows_of(&row, room, "     "));
        }
        // Every row fits (a long word broken at the width), so the
        // redraw, which counts rows, stays in step.
        rows
    }

    /// The menu in three rows or so, for a terminal too short for it and
    /// what the question showed above it: the prompt, the entry selected,
    /// and every entry's key (↑/↓ shows each in turn).
    fn compact_menu_rows(&self, menu: &Menu, sel: usize) -> Vec<String> {
        let room = self.width().saturating_sub(1);
        let prompt = format!(
            "{} {}",
            style("?").for_stderr().yellow().bold(),
            style(escape(&menu.prompt)).for_stderr().bold()
        );
        let mut rows = rows_of(&prompt, room, "  ");
        let c = &menu.choices[sel];
        rows.extend(rows_of(
            &format!(
                "{} {}  {}",
                style("❯").for_stderr().cyan().bold(),
                style(c.key).for_stderr().cyan().bold(),
                style(escape(&c.label)).for_stderr().cyan()
            ),
            room,
            "     ",
        ));
        let keys: Vec<String> = menu.choices.iter().map(|c| c.key.to_string()).collect();
        rows.extend(rows_of(
            &style(format!("  {}   ↑/↓ shows each", keys.join(" ")))
                .for_stderr()
                .dim()
                .to_string(),
            room,
            "  ",
        ));
        rows
    }

    /// The menu's rows: whole, unless the `above` rows the question showed
    /// and the menu would not fit the terminal's height (the top of what is
    /// being decided would scroll away): then compact.
    fn fitting_menu_rows(&self, menu: &Menu, sel: usize, above: usize) -> Vec<String> {
        let rows = self.menu_rows(menu, sel);
        let height = usize::from(self.term.size().0);
        if above + rows.len() < height {
            return rows;
        }
        self.compact_menu_rows(menu, sel)
    }
}

/// The terminal's line discipline now (canonical mode and echo), to tell
/// whether a program took the terminal over; `None` without a terminal.
fn line_mode() -> Option<libc::tcflag_t> {
    // SAFETY: tcgetattr writes one termios into memory we own.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0)
            .then_some(t.c_lflag & (libc::ICANON | libc::ECHO))
    }
}

/// The longest escape sequence read to its end; a longer one is no key.
const MAX_SEQUENCE: usize = 16;

/// Whether a byte waits on the terminal, or arrives within a few
/// milliseconds: the rest of an escape sequence, sent in one write.
fn key_waiting() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll reads and writes one pollfd we own, for the call.
    unsafe { libc::poll(&mut fd, 1, 50) == 1 }
}

/// What a key read brought.
enum Input {
    /// A key.
    Key(Key),
    /// The terminal was resized while waiting.
    Resized,
    /// Esc, Ctrl-C, or the read interrupted by a signal.
    Quit,
}

impl TerminalPrompter {
    /// Waits for a key, as [`Input`]; the terminal is restored on an error.
    fn read_key(&mut self) -> Result<Input> {
        // A resize before the read began is seen here, not lost.
        if RESIZED.swap(false, Ordering::SeqCst) {
            return Ok(Input::Resized);
        }
        let key = self.term.read_key_raw();
        // A resize wakes the read as if interrupted: not Ctrl-C.
        if RESIZED.swap(false, Ordering::SeqCst)
            && matches!(&key, Ok(Key::CtrlC))
                | matches!(&key, Err(e) if e.kind() == io::ErrorKind::Interrupted)
        {
            return Ok(Input::Resized);
        }
        match key {
            Ok(Key::CtrlC | Key::Escape) => Ok(Input::Quit),
            Ok(Key::UnknownEscSeq(seq)) => self.rest_of_sequence(seq),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(Input::Quit),
            Err(e) => {
                self.restore();
                Err(e).context("reading a key from the terminal")
            }
            Ok(k) => Ok(Input::Key(k)),
        }
    }

    /// A key sent as an escape sequence console does not know, read to its
    /// end: console stops after `ESC O` (SS3) and after three characters
    /// of `ESC [` (CSI), and what follows would be read as keys of their
    /// own (F2, `ESC O Q`, as `q`: quit). The arrows in application cursor
    /// mode (`ESC O A`) and with a modifier (`ESC [ 1 ; 5 A`) are the
    /// arrows, the keypad's Enter (`ESC O M`) is Enter; any other sequence
    /// (F1–F12, the keypad's other keys) is no key here.
    fn rest_of_sequence(&mut self, mut seq: Vec<char>) -> Result<Input> {
        let ss3 = seq == ['O'];
        let csi = seq.first() == Some(&'[');
        // A CSI sequence ends at its final byte (`@` to `~`), after
        // parameter and intermediate bytes; SS3 takes one character.
        let ended = |seq: &[char]| {
            if ss3 {
                seq.len() > 1
            } else {
                csi && seq.len() > 1 && seq.last().is_some_and(|c| ('@'..='~').contains(c))
            }
        };
        // The rest was sent with the start: what does not follow at once
        // is a key of its own (Alt+O, then a letter typed later).
        while (ss3 || csi) && !ended(&seq) && seq.len() < MAX_SEQUENCE && key_waiting() {
            match self.term.read_key_raw() {
                Ok(Key::Char(c)) if (' '..='~').contains(&c) => seq.push(c),
                // No part of a sequence: the sequence was cut short.
                Ok(_) | Err(_) => break,
            }
        }
        let arrow = match seq.last() {
            Some('A') => Key::ArrowUp,
            Some('B') => Key::ArrowDown,
            Some('C') => Key::ArrowRight,
            Some('D') => Key::ArrowLeft,
            Some('H') => Key::Home,
            Some('F') => Key::End,
            // The keypad's Enter in application keypad mode.
            Some('M') if ss3 => Key::Enter,
            _ => Key::UnknownEscSeq(seq.clone()),
        };
        Ok(Input::Key(if ended(&seq) {
            arrow
        } else {
            Key::UnknownEscSeq(seq)
        }))
    }

    /// Waits for the editor. While it runs, a resize draws the editor's
    /// explanation and `waiting` again at the new width, unless the editor
    /// took the terminal over (raw mode: vi, nano), which redraws itself: a
    /// graphical editor (`code --wait`) leaves the terminal to us.
    fn wait_for_editor(
        &mut self,
        mut child: std::process::Child,
        waiting: &str,
    ) -> io::Result<std::process::ExitStatus> {
        let ours = line_mode();
        let _watch = ResizeWatch::new();
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if RESIZED.swap(false, Ordering::SeqCst) && ours.is_some() && line_mode() == ours {
                let room = self.width();
                let said =
                    crate::cli::report::fit_rows(&escape_in(&self.screen, Layout::Styled), room);
                self.term.write_line("")?;
                self.term.write_str(&said)?;
                for row in rows_of(waiting, room.saturating_sub(1), "") {
                    self.term.write_line(&row)?;
                }
                self.term.flush()?;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Ctrl-Z: the terminal as the shell expects it, stop; returns on `fg`
    /// with the cursor hidden again and a blank row to draw under.
    fn stop(&mut self) -> Result<()> {
        self.restore();
        suspend();
        if !self.dumb {
            self.term.hide_cursor()?;
        }
        self.term.write_line("")?;
        Ok(())
    }

    /// The checklist's rows at the terminal's size now: its keys and its
    /// prompt wrapped, then as many items as fit (from `top`, moved so that
    /// the cursor's item shows), each wrapped under its box, a long word
    /// broken at the width.
    fn checklist_rows(
        &self,
        list: &Checklist,
        checked: &[bool],
        sel: usize,
        top: &mut usize,
    ) -> Vec<String> {
        let room = self.width().saturating_sub(1).max(20);
        let color = self.colors();
        let list_prompt = escape(&list.prompt);
        let (name, keys) = list_prompt
            .split_once(" (")
            .map_or((&*list_prompt, ""), |(n, k)| (n, k));
        let mut rows = Vec::new();
        if !keys.is_empty() {
            rows.extend(rows_of(
                &style(format!("({keys}")).for_stderr().dim().to_string(),
                room,
                "",
            ));
        }
        let prompt = format!(
            "{} {}:",
            style("?").for_stderr().yellow().bold(),
            style(name).for_stderr().bold()
        );
        rows.extend(rows_of(&prompt, room, "  "));
        let item_rows = |i: usize| -> Vec<String> {
            let active = i == sel;
            let text = escape(&list.items[i]);
            let (lead, hang) = if color {
                let mark = if active {
                    style("❯").for_stderr().cyan().bold().to_string()
                } else {
                    " ".to_owned()
                };
                let boxed = if checked[i] {
                    style("✔").for_stderr().green().to_string()
                } else {
                    style("⬚").for_stderr().dim().to_string()
                };
                let text = if active {
                    style(&*text).for_stderr().cyan().to_string()
                } else {
                    text.into_owned()
                };
                (format!("{mark} {boxed} {text}"), "    ")
            } else {
                let mark = if active { '>' } else { ' ' };
                let boxed = if checked[i] { 'x' } else { ' ' };
                (format!("{mark} [{boxed}] {text}"), "      ")
            };
            rows_of(&lead, room, hang)
        };
        let height = usize::from(self.term.size().0);
        // Rows for items: the terminal's height less the rows above, one
        // row for the line the cursor rests on, at least one item.
        let space = height.saturating_sub(rows.len() + 1).max(1);
        let n = list.items.len();
        let laid: Vec<Vec<String>> = (0..n).map(item_rows).collect();
        *top = (*top).min(sel);
        // Move the window down until the cursor's item fits in it.
        loop {
            let used: usize = laid[*top..=sel.min(n.saturating_sub(1))]
                .iter()
                .map(Vec::len)
                .sum();
            if used <= space || *top >= sel {
                break;
            }
            *top += 1;
        }
        let mut used = 0;
        for item in laid.iter().skip(*top) {
            if used > 0 && used + item.len() > space {
                break;
            }
            used += item.len();
            rows.extend(item.iter().cloned());
        }
        rows
    }
}

/// `TERM=dumb`: each question printed once, answered by a line typed and
/// Enter; nothing on the screen is moved or erased.
impl TerminalPrompter {
    /// One line typed at the terminal, trimmed; `None` at the end of input
    /// (Ctrl-D) or after Ctrl-C.
    fn read_answer(&mut self) -> Result<Option<String>> {
        self.term.write_str("> ")?;
        self.term.flush()?;
        let mut line = String::new();
        let n = io::stdin()
            .read_line(&mut line)
            .context("reading an answer from the terminal")?;
        if n == 0 || self.interrupted() {
            self.term.write_line("")?;
            return Ok(None);
        }
        Ok(Some(line.trim().to_owned()))
    }

    /// A menu as rows once (the default marked), then a letter and Enter
    /// (Enter alone: the default); anything else asks again.
    fn choose_by_line(&mut self, menu: &Menu) -> Result<Reply<usize>> {
        let room = self.width().saturating_sub(1);
        let n = menu.choices.len();
        let default = menu.default.min(n - 1);
        let mut rows = rows_of(
            &format!(
                "? {}  (a letter, then Enter; Enter alone: ⏎)",
                escape(&menu.prompt)
            ),
            room,
            "  ",
        );
        for (i, c) in menu.choices.iter().enumerate() {
            let mark = if i == default { "⏎" } else { " " };
            rows.extend(rows_of(
                &format!("{mark} {}  {}", c.key, escape(&c.label)),
                room,
                "     ",
            ));
        }
        for r in &rows {
            self.term.write_line(r)?;
        }
        loop {
            let Some(line) = self.read_answer()? else {
                return self.quit();
            };
            let mut chars = line.chars();
            let chosen = match (chars.next(), chars.next()) {
                (None, _) => Some(default),
                (Some(c), None) => menu.position(c.to_ascii_lowercase()),
                _ => None,
            };
            if let Some(i) = chosen {
                let done = format!(
                    "✔ {} {}",
                    escape(&menu.prompt),
                    escape(&menu.choices[i].label)
                );
                for row in rows_of(&done, room, "  ") {
                    self.term.write_line(&row)?;
                }
                return Ok(Reply::Given(i));
            }
            let keys: String = menu.choices.iter().map(|c| c.key).collect();
            self.term
                .write_line(&format!("(one of {keys}, or Enter alone for ⏎)"))?;
        }
    }

    /// A checklist as numbered rows, then lines of numbers to check or
    /// uncheck (`a`: all on, or off when all are on), Enter alone when done,
    /// `q` to quit; the list is printed again after each change.
    fn checklist_by_line(&mut self, list: &Checklist) -> Result<Reply<Vec<usize>>> {
        let room = self.width().saturating_sub(1).max(20);
        let n = list.items.len();
        let mut checked: Vec<bool> = (0..n)
            .map(|i| list.checked.get(i).copied().unwrap_or(false))
            .collect();
        let name = escape(&list.prompt)
            .split_once(" (")
            .map_or_else(|| escape(&list.prompt).into_owned(), |(n, _)| n.to_owned());
        loop {
            let mut rows = rows_of(
                &format!(
                    "? {name}  (numbers to check or uncheck, a for all, Enter alone when done, \
                     q to quit)"
                ),
                room,
                "  ",
            );
            for (i, item) in list.items.iter().enumerate() {
                let boxed = if checked[i] { 'x' } else { ' ' };
                rows.extend(rows_of(
                    &format!("{:>3} [{boxed}] {}", i + 1, escape(item)),
                    room,
                    "        ",
                ));
            }
            for r in &rows {
                self.term.write_line(r)?;
            }
            let Some(line) = self.read_answer()? else {
                return self.quit();
            };
            match line.as_str() {
                "" => break,
                "q" | "Q" => return self.quit(),
                "a" | "A" => {
                    let all = checked.iter().all(|c| *c);
                    checked.iter_mut().for_each(|c| *c = !all);
                }
                numbers => {
                    let picked: Option<Vec<usize>> = numbers
                        .split([' ', ','])
                        .filter(|w| !w.is_empty())
                        .map(|w| w.parse::<usize>().ok().filter(|k| (1..=n).contains(k)))
                        .collect();
                    match picked {
                        Some(ks) => ks
                            .into_iter()
                            .for_each(|k| checked[k - 1] = !checked[k - 1]),
                        None => self.term.write_line(&format!(
                            "(numbers from 1 to {n}, a, q, or Enter alone)"
                        ))?,
                    }
                }
            }
        }
        let kept: Vec<usize> = (0..n).filter(|&i| checked[i]).collect();
        self.term
            .write_line(&format!("✔ {name}: {} of {n} kept", kept.len()))?;
        Ok(Reply::Given(kept))
    }
}

/// `text` wrapped at spaces into rows of `room` columns, continuation rows
/// starting with `indent`.
fn rows_of(text: &str, room: usize, indent: &str) -> Vec<String> {
    crate::cli::report::wrap(text, room, indent)
        .lines()
        .map(str::to_owned)
        .collect()
}

impl Drop for TerminalPrompter {
    fn drop(&mut self) {
        self.restore();
    }
}

impl Prompter for TerminalPrompter {
    fn width(&self) -> usize {
        usize::from(self.term.size().1)
    }

    fn colors(&self) -> bool {
        console::colors_enabled_stderr()
    }

    fn show(&mut self, text: &str) -> Result<()> {
        self.screen.push_str(text);
        // Every row fits the terminal as it is now: no word cut by it.
        let shown = crate::cli::report::fit_rows(&escape_in(text, Layout::Styled), self.width());
        self.term.write_str(&shown)?;
        self.term.flush()?;
        Ok(())
    }

    fn choose(&mut self, menu: &Menu) -> Result<Reply<usize>> {
        // The rows the question showed above the menu (see `fitting_menu_rows`).
        let shown =
            crate::cli::report::fit_rows(&escape_in(&self.screen, Layout::Styled), self.width())
                .lines()
                .count();
        self.screen.clear();
        if self.interrupted() || menu.choices.is_empty() {
            return self.quit();
        }
        if self.dumb {
            return self.choose_by_line(menu);
        }
        let n = menu.choices.len();
        let mut sel = match self.interrupted_at.take() {
            Some((m, sel)) if m == *menu => sel,
            _ => menu.default,
        }
        .min(n - 1);
        let mut drawn = 0;
        self.term.hide_cursor()?;
        let _watch = ResizeWatch::new();
        let chosen = loop {
            if drawn > 0 {
                self.term.clear_last_lines(drawn)?;
            }
            let rows = self.fitting_menu_rows(menu, sel, shown);
            for r in &rows {
                self.term.write_line(r)?;
            }
            drawn = rows.len();
            self.term.flush()?;
            let key = self.read_key()?;
            match key {
                Input::Resized => {
                    // The question again, laid out for the new width.
                    self.term.clear_last_lines(drawn)?;
                    self.term.write_line("")?;
                    self.interrupted_at = Some((menu.clone(), sel));
                    return Ok(Reply::Redraw);
                }
                Input::Key(Key::Char('\u{1a}')) => {
                    // Ctrl-Z: the terminal as the shell expects it, stop;
                    // on `fg`, the question again.
                    self.term.clear_last_lines(drawn)?;
                    self.stop()?;
                    self.interrupted_at = Some((menu.clone(), sel));
                    return Ok(Reply::Redraw);
                }
                Input::Quit => {
                    self.term.clear_last_lines(drawn)?;
                    return self.quit();
                }
                Input::Key(Key::ArrowUp | Key::BackTab) => sel = (sel + n - 1) % n,
                Input::Key(Key::ArrowDown | Key::Tab) => sel = (sel + 1) % n,
                Input::Key(Key::Home) => sel = 0,
                Input::Key(Key::End) => sel = n - 1,
                Input::Key(Key::Enter) => break sel,
                Input::Key(Key::Char(c)) => {
                    if let Some(i) = menu.position(c.to_ascii_lowercase()) {
                        break i;
                    }
                }
                Input::Key(_) => {}
            }
        };
        self.term.clear_last_lines(drawn)?;
        let done = format!(
            "{} {} {}",
            style("✔").for_stderr().green(),
            escape(&menu.prompt),
            style(escape(&menu.choices[chosen].label))
                .for_stderr()
                .bold()
        );
        let room = self.width().saturating_sub(1);
        for row in rows_of(&done, room, "  ") {
            self.term.write_line(&row)?;
        }
        self.term.show_cursor()?;
        Ok(Reply::Given(chosen))
    }

    fn checklist(&mut self, list: &Checklist) -> Result<Reply<Vec<usize>>> {
        self.screen.clear();
        if self.interrupted() {
            return self.quit();
        }
        if self.dumb {
            return self.checklist_by_line(list);
        }
        let n = list.items.len();
        let mut checked: Vec<bool> = (0..n)
            .map(|i| list.checked.get(i).copied().unwrap_or(false))
            .collect();
        let mut sel = 0;
        let mut top = 0;
        let mut drawn = 0;
        self.term.hide_cursor()?;
        let _watch = ResizeWatch::new();
        let list_prompt = escape(&list.prompt);
        let name = list_prompt
            .split_once(" (")
            .map_or(&*list_prompt, |(n, _)| n)
            .to_owned();
        loop {
            if drawn > 0 {
                self.term.clear_last_lines(drawn)?;
            }
            // Laid out at the width and height the terminal has now.
            let rows = self.checklist_rows(list, &checked, sel, &mut top);
            for r in &rows {
                self.term.write_line(r)?;
            }
            drawn = rows.len();
            self.term.flush()?;
            match self.read_key()? {
                Input::Resized => {}
                Input::Key(Key::Char('\u{1a}')) => {
                    self.term.clear_last_lines(drawn)?;
                    drawn = 0;
                    self.stop()?;
                }
                Input::Quit | Input::Key(Key::Char('q')) => {
                    self.term.clear_last_lines(drawn)?;
                    return self.quit();
                }
                Input::Key(Key::ArrowUp | Key::BackTab | Key::Char('k')) if n > 0 => {
                    sel = (sel + n - 1) % n;
                }
                Input::Key(Key::ArrowDown | Key::Tab | Key::Char('j')) if n > 0 => {
                    sel = (sel + 1) % n;
                }
                Input::Key(Key::Home | Key::PageUp) => sel = 0,
                Input::Key(Key::End | Key::PageDown) => sel = n.saturating_sub(1),
                Input::Key(Key::Char(' ')) if n > 0 => checked[sel] = !checked[sel],
                Input::Key(Key::Char('a')) => {
                    // All on, or all off when all are on already.
                    let all = checked.iter().all(|c| *c);
                    checked.iter_mut().for_each(|c| *c = !all);
                }
                Input::Key(Key::Enter) => break,
                Input::Key(_) => {}
            }
        }
        self.term.clear_last_lines(drawn)?;
        let kept: Vec<usize> = (0..n).filter(|&i| checked[i]).collect();
        let done = format!(
            "{} {name}: {}",
            style("✔").for_stderr().green(),
            style(format!("{} of {n} kept", kept.len()))
                .for_stderr()
                .bold()
        );
        for row in rows_of(&done, self.width().saturating_sub(1), "  ") {
            self.term.write_line(&row)?;
        }
        self.term.show_cursor()?;
        Ok(Reply::Given(kept))
    }

    fn edit(&mut self, text: &str, suffix: &str) -> Result<Reply<Option<String>>> {
        if self.interrupted() {
            return self.quit();
        }
        // Listed while it exists: a SIGTERM or SIGHUP meanwhile removes it.
        let (file, _listed) = crate::files::in_flight::made(
            || {
                tempfile::Builder::new()
                    .prefix("frontmerge-")
                    .suffix(suffix)
                    .tempfile()
            },
            |f| f.path(),
        )
        .context("creating the file for the editor")?;
        std::fs::write(file.path(), text).context("writing the file for the editor")?;
        let editor = editor();
        if !self.dumb {
            self.term.show_cursor()?;
        }
        let waiting = style(format!(
            "Waiting for your editor ({editor}) to close the file…"
        ))
        .for_stderr()
        .dim()
        .to_string();
        for row in rows_of(&waiting, self.width().saturating_sub(1), "") {
            self.term.write_line(&row)?;
        }
        // Like git: the editor string may hold arguments, so the shell runs it.
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg(&editor)
            .arg(file.path())
            .spawn()
            .and_then(|child| self.wait_for_editor(child, &waiting));
        self.screen.clear();
        // A Ctrl-C typed inside the editor was meant for the editor.
        INTERRUPTED.store(false, Ordering::SeqCst);
        let fail = |this: &mut Self, why: String| -> Result<Reply<Option<String>>> {
            this.term.write_line(&format!(
                "{} {}",
                style("!").for_stderr().yellow().bold(),
                escape_lines(&why)
            ))?;
            Ok(Reply::Given(None))
        };
        // Held to the bounds of every file read: an edit too large to read
        // back later is refused here, and the question asked again.
        let read = || {
            let f = std::fs::File::open(file.path())?;
            let size = f.metadata()?.len();
            crate::files::read_limited(f, Some(size), "your edit", "refused, nothing changed")
        };
        match status {
            Ok(s) if s.success() => match read().map(String::from_utf8) {
                Ok(Ok(t)) => Ok(Reply::Given(Some(t))),
                Ok(Err(_)) => fail(self, "the edited file is not UTF-8".into()),
                Err(e @ crate::files::FileError::OverLimit(_)) => fail(self, format!("{e}")),
                Err(e) => fail(
                    self,
                    format!("cannot read the edited file: {:#}", anyhow::Error::from(e)),
                ),
            },
            Ok(s) => fail(self, format!("the editor ({editor}) failed: {s}")),
            Err(e) => fail(self, format!("cannot start the editor ({editor}): {e}")),
        }
    }

    fn page(&mut self, text: &str) -> Result<Reply<()>> {
        self.screen.clear();
        if self.interrupted() {
            return self.quit();
        }
        // The pager draws on standard output; when that is not the terminal
        // (--stdout > file), the text goes to standard error instead.
        let text = escape_in(text, Layout::Styled);
        // Shown here instead, every row wrapped at the width (a long word
        // broken at it), as every other screen.
        let here = |this: &Self| crate::cli::report::fit_rows(&text, this.width());
        if !io::stdout().is_terminal() || self.dumb {
            self.term.write_str(&here(self))?;
            return Ok(Reply::Given(()));
        }
        let pager = pager();
        self.term.show_cursor()?;
        let mut command = Command::new("sh");
        command.arg("-c").arg(&pager).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            // As git does: quit at once when it fits, keep colours, leave it on screen.
            command.env("LESS", "FRX");
        }
        let failed = match command.spawn() {
            Ok(mut child) => {
                if let Some(mut input) = child.stdin.take() {
                    // The pager may quit before reading everything: not an error.
                    let _ = input.write_all(text.as_bytes());
                }
                match child.wait() {
                    Ok(status) => pager_failed(status, &pager),
                    Err(e) => Some(format!("the pager ({pager}) failed: {e}")),
                }
            }
            Err(e) => Some(format!("cannot start the pager ({pager}): {e}")),
        };
        if let Some(why) = failed {
            self.term.write_line(&format!(
                "{} {}; the preview is shown here instead",
                style("!").for_stderr().yellow().bold(),
                escape_lines(&why)
            ))?;
            self.term.write_str(&here(self))?;
        }
        INTERRUPTED.store(false, Ordering::SeqCst);
        Ok(Reply::Given(()))
    }
}
