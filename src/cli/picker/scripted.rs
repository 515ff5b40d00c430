//! A prompter that answers from a script: the picker's tests, and the
//! fixture cases' `decisions` files.
//!
//! A script has one answer per line; `#` starts a comment:
//!
//! ```text
//! s              # a menu: the entry with shortcut `s`
//! enter          # a menu: the entry selected at first (Enter)
//! check          # a checklist: keep what is checked at first
//! check 0 2      # a checklist: keep items 0 and 2 (0-based)
//! edit title.yaml  # the editor: the file's content becomes the edited text
//! fail           # the editor: it fails (exits non-zero)
//! quit           # any question: the user presses Esc or Ctrl-C
//! resize 60      # a menu: the terminal becomes 60 columns wide (asked again)
//! ```
//!
//! Everything shown, asked and answered goes to a transcript, without colour.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use super::{Checklist, Menu, Prompter, Reply};

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Picks the menu entry with this shortcut.
    Pick(char),
    /// Presses Enter: the entry selected at first.
    Enter,
    /// Keeps these checklist items, 0-based (`None`: what is checked at first).
    Check(Option<Vec<usize>>),
    /// The editor returns this text (`None`: the editor fails).
    Edit(Option<String>),
    /// Esc or Ctrl-C.
    Quit,
    /// A menu: the terminal is resized to this many columns before any
    /// key (the question is laid out again and asked again).
    Resize(usize),
}

/// A [`Prompter`] that answers from a list of [`Step`]s.
#[derive(Clone, Debug)]
pub(crate) struct Scripted {
    steps: VecDeque<Step>,
    transcript: String,
    width: usize,
    answered: usize,
}

impl Scripted {
    /// A prompter answering with `steps`, 80 columns wide (the stacked views).
    pub(crate) fn new(steps: impl IntoIterator<Item = Step>) -> Scripted {
        Scripted {
            steps: steps.into_iter().collect(),
            transcript: String::new(),
            width: 80,
            answered: 0,
        }
    }

    /// The same, in a terminal `width` columns wide (80 by default).
    #[cfg(test)]
    pub(crate) fn with_width(mut self, width: usize) -> Scripted {
        self.width = width;
        self
    }

    /// Parses a script; `edit FILE` reads FILE relative to `dir`.
    pub(crate) fn parse(script: &str, dir: &Path) -> Result<Scripted> {
        let mut steps = Vec::new();
        for (n, raw) in script.lines().enumerate() {
            let line = raw.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            let rest: Vec<&str> = words.collect();
            let step = match (first, rest.as_slice()) {
                ("check", []) => Step::Check(None),
                ("check", items) => Step::Check(Some(
                    items
                        .iter()
                        .map(|i| i.parse::<usize>())
                        .collect::<Result<_, _>>()
                        .with_context(|| {
                            format!("script line {}: `check` takes item numbers", n + 1)
                        })?,
                )),
                ("edit", [file]) => {
                    let path = dir.join(file);
                    let text = std::fs::read_to_string(&path).with_context(|| {
                        format!("script line {}: reading {}", n + 1, path.display())
                    })?;
                    Step::Edit(Some(text))
                }
                ("fail", []) => Step::Edit(None),
                ("enter", []) => Step::Enter,
                ("resize", [cols]) => Step::Resize(cols.parse().with_context(|| {
                    format!("script line {}: `resize` takes a column count", n + 1)
                })?),
                ("quit", []) => Step::Quit,
                (key, []) if key.chars().count() == 1 => {
                    Step::Pick(key.chars().next().unwrap_or('?'))
                }
                _ => bail!("script line {}: cannot read `{line}`", n + 1),
            };
            steps.push(step);
        }
        Ok(Scripted::new(steps))
    }

    /// Everything shown, asked and answered so far, without colour.
    pub(crate) fn transcript(&self) -> &str {
        &self.transcript
    }

    /// How many steps are left unused.
    pub(crate) fn remaining(&self) -> usize {
        self.steps.len()
    }

    fn next(&mut self, asked: &str) -> Result<Step> {
        self.answered += 1;
        self.steps.pop_front().ok_or_else(|| {
            anyhow!(
                "the script ran out at answer {} ({asked}); transcript:\n{}",
                self.answered,
                self.transcript
            )
        })
    }

    fn log(&mut self, text: &str) {
        self.transcript.push_str(&console::strip_ansi_codes(text));
    }
}

impl Prompter for Scripted {
    fn width(&self) -> usize {
        self.width
    }

    fn colors(&self) -> bool {
        false
    }

    fn show(&mut self, text: &str) -> Result<()> {
        self.log(text);
        Ok(())
    }

    fn choose(&mut self, menu: &Menu) -> Result<Reply<usize>> {
        let keys: String = menu.choices.iter().map(|c| c.key).collect();
        let asked = format!("? {} [{keys}]", menu.prompt);
        self.log(&asked);
        let step = self.next(&asked)?;
        match step {
            Step::Pick(k) => {
                let i = menu.position(k).ok_or_else(|| {
                    anyhow!("script answered `{k}` to `{}` [{keys}]", menu.prompt)
                })?;
                let _ = writeln!(self.transcript, " {k}: {}", menu.choices[i].label);
                Ok(Reply::Given(i))
            }
            Step::Enter => {
                let c = menu
                    .choices
                    .get(menu.default)
                    .ok_or_else(|| anyhow!("Enter on the empty menu `{}`", menu.prompt))?;
                let _ = writeln!(self.transcript, " ⏎ {}: {}", c.key, c.label);
                Ok(Reply::Given(menu.default))
            }
            Step::Quit => {
                self.log(" (quit)\n");
                Ok(Reply::Quit)
            }
            Step::Resize(cols) => {
                self.width = cols;
                let _ = writeln!(self.transcript, " (resized to {cols} columns)");
                Ok(Reply::Redraw)
            }
            other => bail!("script answered {other:?} to the menu `{}`", menu.prompt),
        }
    }

    fn checklist(&mut self, list: &Checklist) -> Result<Reply<Vec<usize>>> {
        let mut asked = format!("? {}\n", list.prompt);
        for (item, on) in list.items.iter().zip(&list.checked) {
            let _ = writeln!(asked, "  [{}] {item}", if *on { 'x' } else { ' ' });
        }
        self.log(&asked);
        match self.next(&list.prompt)? {
            Step::Check(None) => {
                let kept: Vec<usize> = (0..list.items.len()).filter(|&i| list.checked[i]).collect();
                let _ = writeln!(self.transcript, "  kept {kept:?}");
                Ok(Reply::Given(kept))
            }
            Step::Check(Some(kept)) => {
                if let Some(bad) = kept.iter().find(|&&i| i >= list.items.len()) {
                    bail!(
                        "script keeps item {bad} of a {}-item checklist",
                        list.items.len()
                    );
                }
                let _ = writeln!(self.transcript, "  kept {kept:?}");
                Ok(Reply::Given(kept))
            }
            Step::Quit => {
                self.log("  (quit)\n");
                Ok(Reply::Quit)
            }
            other => bail!(
                "script answered {other:?} to the checklist `{}`",
                list.prompt
            ),
        }
    }

    fn edit(&mut self, text: &str, suffix: &str) -> Result<Reply<Option<String>>> {
        let _ = write!(self.transcript, "[editor *{suffix}]\n{text}[/editor]\n");
        match self.next("the editor")? {
            Step::Edit(result) => Ok(Reply::Given(result)),
            Step::Quit => Ok(Reply::Quit),
            other => bail!("script answered {other:?} to the editor"),
        }
    }

    fn page(&mut self, text: &str) -> Result<Reply<()>> {
        self.log(&format!("[pager]\n{text}[/pager]\n"));
        Ok(Reply::Given(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_read_one_answer_a_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.yaml"), "title: x\n").unwrap();
        let s = Scripted::parse(
            "# a comment\ns   # stashed\n\ncheck\ncheck 2 0\nedit t.yaml\nfail\nenter\nquit\n",
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            s.steps,
            [
                Step::Pick('s'),
                Step::Check(None),
                Step::Check(Some(vec![2, 0])),
                Step::Edit(Some("title: x\n".into())),
                Step::Edit(None),
                Step::Enter,
                Step::Quit
            ]
        );
        assert!(Scripted::parse("maybe\n", dir.path()).is_err());
        assert!(Scripted::parse("edit missing.yaml\n", dir.path()).is_err());
    }

    #[test]
    fn wrong_answers_are_errors_not_guesses() {
        let menu = Menu::new("which?")
            .choice('u', "upstream")
            .choice('q', "quit");
        let mut s = Scripted::new([Step::Pick('x')]);
        assert!(s.choose(&menu).is_err());
        let mut s = Scripted::new([]);
        assert!(s.choose(&menu).unwrap_err().to_string().contains("ran out"));
        let mut s = Scripted::new([Step::Pick('u'), Step::Quit]);
        assert_eq!(s.choose(&menu).unwrap(), Reply::Given(0));
        assert_eq!(s.choose(&menu).unwrap(), Reply::Quit);
        assert!(s.transcript().contains("? which? [uq] u: upstream"));
    }
}
