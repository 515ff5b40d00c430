//! The terminal prompter: menus with arrow keys and shortcut letters
//! (console), the links checklist (dialoguer's MultiSelect), git's editor and
//! the pager. Everything is drawn on standard error.
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
use console::{measure_text_width, style, truncate_str, Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::MultiSelect;

use super::{Checklist, Menu, Prompter, Reply};
use crate::cli::report::{escape, escape_in, escape_lines, Layout};

/// Set by the SIGINT handler; read (and cleared) before every prompt.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set by the SIGWINCH handler while a menu waits for a key: redraw it.
static RESIZED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_resize(_: libc::c_int) {
    RESIZED.store(true, Ordering::SeqCst);
}

/// While it lives, a resize of the terminal wakes the menu's key read (the
/// read returns as interrupted, [`RESIZED`] says why) so that it redraws at
/// the new width. Outside menus (the checklist, the editor, the pager) the
/// default disposition stands: a resize there must not read as Ctrl-C.
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

/// `item` cut to fit one checklist row of a `width`-column terminal.
///
/// dialoguer 0.12 decides how many rows to erase on redraw from an item's
/// length in bytes, not columns: an item longer in bytes than the terminal
/// is wide (any long Cyrillic title) makes it erase rows above the checklist.
/// So the item must fit in both columns (after the `> [x] ` prefix) and bytes.
fn fit(item: &str, width: usize) -> String {
    let mut room = width.saturating_sub(7);
    loop {
        let cut = truncate_str(item, room, "…");
        if cut.len() <= width.saturating_sub(1) || room == 0 {
            return cut.into_owned();
        }
        room -= 1;
    }
}

/// The checklist's look with a cursor mark (`❯`, or `>` without colour) in
/// front of the current item: colour alone does not show where it is.
struct CursorTheme {
    inner: Box<dyn Theme>,
    color: bool,
}

impl Theme for CursorTheme {
    fn format_multi_select_prompt(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
    ) -> std::fmt::Result {
        self.inner.format_multi_select_prompt(f, prompt)
    }

    fn format_multi_select_prompt_selection(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
        selections: &[&str],
    ) -> std::fmt::Result {
        self.inner
            .format_multi_select_prompt_selection(f, prompt, selections)
    }

    fn format_multi_select_prompt_item(
        &self,
        f: &mut dyn std::fmt::Write,
        text: &str,
        checked: bool,
        active: bool,
    ) -> std::fmt::Result {
        if !self.color {
            // The plain theme marks the cursor with `>` already.
            return self
                .inner
                .format_multi_select_prompt_item(f, text, checked, active);
        }
        let mark = if active {
            style("❯").for_stderr().cyan().bold().to_string()
        } else {
            " ".to_owned()
        };
        write!(f, "{mark} ")?;
        self.inner
            .format_multi_select_prompt_item(f, text, checked, active)
    }
}

/// The [`Prompter`] for a person at a terminal.
pub(crate) struct TerminalPrompter {
    term: Term,
    /// What was shown since the last answer: drawn again after a resize or
    /// a suspension, at the terminal's width then.
    screen: String,
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
        }
    }

    /// True (once) when Ctrl-C was pressed outside a prompt.
    fn interrupted(&self) -> bool {
        INTERRUPTED.swap(false, Ordering::SeqCst)
    }

    /// Cursor visible, colours reset.
    fn restore(&self) {
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
        // Every row fits, so the redraw, which counts rows, stays in step.
        rows.into_iter()
            .map(|r| truncate_str(&r, room, "…").into_owned())
            .collect()
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
        if self.interrupted() || menu.choices.is_empty() {
            return self.quit();
        }
        let n = menu.choices.len();
        let mut sel = menu.default.min(n - 1);
        let mut drawn = 0;
        self.term.hide_cursor()?;
        let watch = ResizeWatch::new();
        // The question and its menu drawn again, at the width the terminal
        // has now: after a resize, or after Ctrl-Z and `fg`.
        let redraw = |this: &mut Self, drawn: &mut usize| -> Result<()> {
            this.term.clear_last_lines(*drawn)?;
            *drawn = 0;
            let screen = std::mem::take(&mut this.screen);
            this.show(&screen)?;
            Ok(())
        };
        let chosen = loop {
            if drawn > 0 {
                self.term.clear_last_lines(drawn)?;
            }
            let rows = self.menu_rows(menu, sel);
            for r in &rows {
                self.term.write_line(r)?;
            }
            drawn = rows.len();
            self.term.flush()?;
            let key = self.term.read_key_raw();
            // A resize wakes the read as if interrupted: not Ctrl-C.
            if RESIZED.swap(false, Ordering::SeqCst)
                && matches!(&key, Ok(Key::CtrlC))
                    | matches!(&key, Err(e) if e.kind() == io::ErrorKind::Interrupted)
            {
                self.term.write_line("")?;
                redraw(self, &mut drawn)?;
                continue;
            }
            match key {
                Ok(Key::Char('\u{1a}')) => {
                    // Ctrl-Z: the terminal as the shell expects it, stop;
                    // on `fg`, the question again.
                    self.term.clear_last_lines(drawn)?;
                    drawn = 0;
                    self.restore();
                    suspend();
                    self.term.hide_cursor()?;
                    self.term.write_line("")?;
                    redraw(self, &mut drawn)?;
                }
                Ok(Key::CtrlC | Key::Escape) => {
                    self.term.clear_last_lines(drawn)?;
                    return self.quit();
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    self.term.clear_last_lines(drawn)?;
                    return self.quit();
                }
                Err(e) => {
                    self.restore();
                    return Err(e).context("reading a key from the terminal");
                }
                Ok(Key::ArrowUp | Key::BackTab) => sel = (sel + n - 1) % n,
                Ok(Key::ArrowDown | Key::Tab) => sel = (sel + 1) % n,
                Ok(Key::Home) => sel = 0,
                Ok(Key::End) => sel = n - 1,
                Ok(Key::Enter) => break sel,
                Ok(Key::Char(c)) => {
                    if let Some(i) = menu.position(c.to_ascii_lowercase()) {
                        break i;
                    }
                }
                Ok(_) => {}
            }
        };
        drop(watch);
        self.screen.clear();
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
        let theme = CursorTheme {
            inner: if self.colors() {
                Box::new(ColorfulTheme::default())
            } else {
                Box::new(SimpleTheme)
            },
            color: self.colors(),
        };
        let room = self.width().saturating_sub(1);
        // The widget cuts a long prompt: its name goes to the widget, the
        // whole prompt (with the keys) is written above it, wrapped.
        let list_prompt = escape(&list.prompt);
        let (name, keys) = list_prompt
            .split_once(" (")
            .map_or((&*list_prompt, ""), |(n, k)| (n, k));
        let above = if keys.is_empty() {
            Vec::new()
        } else {
            rows_of(
                &style(format!("({keys}")).for_stderr().dim().to_string(),
                room,
                "",
            )
        };
        for row in &above {
            self.term.write_line(row)?;
        }
        let items: Vec<String> = list
            .items
            .iter()
            .map(|i| fit(&escape(i), self.width()))
            .collect();
        let rows = usize::from(self.term.size().0);
        let answer = MultiSelect::with_theme(&theme)
            .with_prompt(truncate_str(name, room.saturating_sub(4), "…"))
            .items(&items)
            .defaults(&list.checked)
            .max_length(rows.saturating_sub(4 + above.len()).max(3))
            .report(false)
            .interact_on_opt(&self.term);
        let _ = self.term.clear_last_lines(above.len());
        match answer {
            Ok(Some(kept)) => {
                let done = format!(
                    "{} {}: {}",
                    style("✔").for_stderr().green(),
                    list_prompt.split(" (").next().unwrap_or_default(),
                    style(format!("{} of {} kept", kept.len(), list.items.len()))
                        .for_stderr()
                        .bold()
                );
                for row in rows_of(&done, room, "  ") {
                    self.term.write_line(&row)?;
                }
                Ok(Reply::Given(kept))
            }
            Ok(None) => self.quit(),
            Err(dialoguer::Error::IO(e)) if e.kind() == io::ErrorKind::Interrupted => {
                // console raised SIGINT to us; the handler set the flag.
                INTERRUPTED.store(false, Ordering::SeqCst);
                self.quit()
            }
            Err(e) => {
                self.restore();
                Err(e).context("asking for the links")
            }
        }
    }

    fn edit(&mut self, text: &str, suffix: &str) -> Result<Reply<Option<String>>> {
        if self.interrupted() {
            return self.quit();
        }
        let file = tempfile::Builder::new()
            .prefix("frontmerge-")
            .suffix(suffix)
            .tempfile()
            .context("creating the file for the editor")?;
        std::fs::write(file.path(), text).context("writing the file for the editor")?;
        let editor = editor();
        self.term.show_cursor()?;
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
            .status();
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
        self.screen.clear();
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
                Err(e) if e.is::<crate::files::OverLimit>() => fail(self, format!("{e}")),
                Err(e) => fail(self, format!("cannot read the edited file: {e:#}")),
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
        if !io::stdout().is_terminal() {
            self.term.write_str(&text)?;
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
        match command.spawn() {
            Ok(mut child) => {
                if let Some(mut input) = child.stdin.take() {
                    // The pager may quit before reading everything: not an error.
                    let _ = input.write_all(text.as_bytes());
                }
                let _ = child.wait();
            }
            Err(e) => {
                self.term.write_line(&escape_lines(&format!(
                    "cannot start the pager ({pager}): {e}"
                )))?;
                self.term.write_str(&text)?;
            }
        }
        INTERRUPTED.store(false, Ordering::SeqCst);
        Ok(Reply::Given(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_items_fit_in_columns_and_bytes() {
        let cyrillic = "both      Юридические риски при субаренде для собственника  /blog/yuridicheskie-riski/";
        let f = fit(cyrillic, 60);
        assert!(f.len() <= 59, "{} bytes: {f}", f.len());
        assert!(console::measure_text_width(&f) <= 53);
        assert!(f.ends_with('…') && f.starts_with("both      Юридические"));
        assert_eq!(fit("short", 60), "short");
    }
}
