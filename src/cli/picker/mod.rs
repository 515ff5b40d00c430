//! The interactive picker: a person decides, part by part, which side wins.
//!
//! ```text
//! diff view ─▶ each differing key (key order) ─▶ body ─▶ links ─▶ summary ─▶ confirm
//!                   ▲─────────────── back ◀──────────────────────────────────┘
//! ```
//!
//! The picker is a [`Decider`] built on the [`Prompter`] trait: the terminal
//! ([`terminal::TerminalPrompter`], on console's raw keys) and a script for
//! the unit tests (`scripted::Scripted`) implement it, and neither the picker nor the
//! pipeline knows which one it talks to. Nothing is written before the
//! confirmation: the picker only fills in [`Decisions`]; quitting returns
//! [`Flow::Quit`] and the file is left as it was.

mod body;
mod edit;
mod keys;
mod links;
#[cfg(test)]
mod recorded;
#[cfg(test)]
pub(crate) mod scripted;
pub(crate) mod terminal;
mod text;

use std::collections::BTreeMap;

use anyhow::Result;

#[cfg(test)]
pub(crate) use scripted::Scripted;
pub(crate) use terminal::TerminalPrompter;
pub(crate) use text::Look;

use crate::cli::report::{self, SideNames};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::sides::Side;
use crate::decide::{
    DecideError, Decider, Decision, Decisions, FileView, Flow, LinksPolicy, Reason, Resolution,
};
use crate::merge::compare::{Change, Part};
use crate::pipeline::derived;
use crate::pipeline::render::{self, MarkerStyle};
use crate::pipeline::{self, Options};

/// A prompter's answer: a value, the user quit (Esc, Ctrl-C), or the
/// terminal changed under the question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reply<T> {
    /// The answer.
    Given(T),
    /// The user quit: write nothing.
    Quit,
    /// No answer yet: the terminal was resized, or the picker resumed after
    /// Ctrl-Z. The question is laid out again at the width the terminal
    /// has now (columns or stacked) and asked again.
    Redraw,
}

/// One entry of a [`Menu`]: its shortcut letter and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Choice {
    /// The shortcut, shown on screen.
    pub(crate) key: char,
    /// What the entry does.
    pub(crate) label: String,
}

/// A question with one answer out of a few.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Menu {
    /// The question, one line.
    pub(crate) prompt: String,
    /// The entries, in order.
    pub(crate) choices: Vec<Choice>,
    /// The entry selected at first.
    pub(crate) default: usize,
}

impl Menu {
    /// A menu without entries yet.
    pub(crate) fn new(prompt: impl Into<String>) -> Menu {
        Menu {
            prompt: prompt.into(),
            choices: Vec::new(),
            default: 0,
        }
    }

    /// Adds "leave unresolved" (`l`) with `label`, unless the file is
    /// kept only when written whole ([`PickerOptions::whole`]).
    pub(crate) fn leave(self, opts: &PickerOptions, label: &str) -> Menu {
        if opts.whole {
            return self;
        }
        self.choice('l', label)
    }

    /// Adds an entry.
    pub(crate) fn choice(mut self, key: char, label: impl Into<String>) -> Menu {
        self.choices.push(Choice {
            key,
            label: label.into(),
        });
        self
    }

    /// Selects the entry with shortcut `key` at first (when there is one).
    pub(crate) fn default_key(mut self, key: Option<char>) -> Menu {
        if let Some(i) = key.and_then(|k| self.position(k)) {
            self.default = i;
        }
        self
    }

    /// Adds the undo entry (`z`) before `q` when there is an answer to
    /// undo; `last` says which.
    pub(crate) fn undo(mut self, last: Option<&str>) -> Menu {
        if let Some(last) = last {
            let at = self.position('q').unwrap_or(self.choices.len());
            self.choices.insert(
                at,
                Choice {
                    key: 'z',
                    label: format!("undo the last answer ({last})"),
                },
            );
        }
        self
    }

    /// The index of the entry with shortcut `key`.
    pub(crate) fn position(&self, key: char) -> Option<usize> {
        self.choices.iter().position(|c| c.key == key)
    }
}

/// A checklist: which items to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Checklist {
    /// The question, one line.
    pub(crate) prompt: String,
    /// The items, one line each.
    pub(crate) items: Vec<String>,
    /// Which items are checked at first.
    pub(crate) checked: Vec<bool>,
}

/// How the picker talks to a person (or to a script standing in for one).
pub(crate) trait Prompter {
    /// Columns available for text.
    fn width(&self) -> usize;
    /// Whether text may be coloured.
    fn colors(&self) -> bool;
    /// Shows a block of text: a question's context, a message.
    fn show(&mut self, text: &str) -> Result<()>;
    /// Asks for one entry of `menu`; the index of the entry, or
    /// [`Reply::Redraw`] when the question must be laid out again.
    fn choose(&mut self, menu: &Menu) -> Result<Reply<usize>>;
    /// Asks which items of `list` to keep; their indexes, in order.
    fn checklist(&mut self, list: &Checklist) -> Result<Reply<Vec<usize>>>;
    /// Lets the user edit `text` in their editor (`suffix` ends the file
    /// name); the edited text, or `None` when the editor failed.
    fn edit(&mut self, text: &str, suffix: &str) -> Result<Reply<Option<String>>>;
    /// Shows long text in a pager.
    fn page(&mut self, text: &str) -> Result<Reply<()>>;
}

/// What the picker needs to know besides the file.
#[derive(Clone, Debug)]
pub(crate) struct PickerOptions {
    /// `--links`: which links the checklist starts with checked (`None`: union).
    pub(crate) links: Option<LinksPolicy>,
    /// Marker size and article options, to render previews and check edits.
    pub(crate) pipeline: Options,
    /// True when the confirmed result is written to the file (not printed).
    pub(crate) writes: bool,
    /// What the sides are called: git's words for the operation in progress.
    pub(crate) names: SideNames,
    /// The file is kept only when written whole (`git mergetool` puts the
    /// whole conflict back otherwise, answers and all): no part can be left
    /// unresolved, so the picker does not offer it.
    pub(crate) whole: bool,
}

/// The interactive picker, a [`Decider`] that asks through a [`Prompter`].
pub(crate) struct Picker<P> {
    prompter: P,
    options: PickerOptions,
}

impl<P: Prompter> Picker<P> {
    /// A picker asking through `prompter`.
    pub(crate) fn new(prompter: P, options: PickerOptions) -> Picker<P> {
        Picker { prompter, options }
    }

    /// Names the sides for the next file (git's words for its operation).
    pub(crate) fn set_names(&mut self, names: SideNames) {
        self.options.names = names;
    }

    /// The next file's marker size (its `conflict-marker-size` attribute):
    /// the markers the picker writes around what is left open, and looks
    /// for in an edit, are the ones git wrote in that file, or the next run
    /// would refuse it.
    pub(crate) fn set_marker_size(&mut self, size: MarkerSize) {
        self.options.pipeline.marker_size = size;
    }

    /// The prompter (a script's transcript, say).
    #[cfg(test)]
    pub(crate) fn prompter(&self) -> &P {
        &self.prompter
    }
}

impl<P: Prompter> Decider for Picker<P> {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> std::result::Result<Flow, DecideError> {
        // The terminal's failures are the command line's: handed on whole.
        self.ask_all(file, decisions)
            .map_err(|e| DecideError::Outside(e.into()))
    }
}

impl<P: Prompter> Picker<P> {
    /// Asks about every open part of `file`, then confirms.
    fn ask_all(&mut self, file: &FileView<'_, '_>, decisions: &mut Decisions) -> Result<Flow> {
        let mut cx = Ctx {
            look: Look {
                color: self.prompter.colors(),
                against_base: false,
            },
            p: &mut self.prompter,
            opts: &self.options,
            file,
            hows: BTreeMap::new(),
            last: None,
            intro: None,
        };
        cx.run(decisions)
    }
}

/// One question of the picker: a part, or a key group held for one decision.
enum Question {
    /// One part, asked on its own.
    One(Part),
    /// A key group both sides changed: its name and its open keys, settled together.
    Group(String, Vec<Part>),
}

impl Question {
    /// The parts the answer settles.
    fn parts(&self) -> &[Part] {
        match self {
            Question::One(p) => std::slice::from_ref(p),
            Question::Group(_, ps) => ps,
        }
    }

    /// The answer given before (going back), when every part has the same one.
    fn previous(&self, decisions: &Decisions) -> Option<Resolution> {
        let mut answers = self
            .parts()
            .iter()
            .map(|p| decisions.get(p).map(|d| d.resolution.clone()));
        let first = answers.next().flatten()?;
        answers.all(|a| a.as_ref() == Some(&first)).then_some(first)
    }
}

/// The questions for the open `parts`, in their order, as
/// [`crate::decide::questions`] counts them for every screen.
fn questions(parts: &[Part], held: &[(String, Vec<Part>)]) -> Vec<Question> {
    crate::decide::questions(parts, held)
        .into_iter()
        .map(|q| match q.group {
            Some(name) => Question::Group(name, q.parts),
            None => Question::One(q.parts.into_iter().next().expect("one part")),
        })
        .collect()
}

/// One answer as undo finds it: where it was given, and the state before it.
struct Answered {
    /// The question's index.
    question: usize,
    /// The decisions before the answer.
    decisions: Decisions,
    /// How each part was reached, before the answer.
    hows: BTreeMap<Part, How>,
    /// The answer in words.
    said: String,
}

/// How a part was settled in the picker, for the summary.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum How {
    /// One side's version.
    Side,
    /// Written by hand in the editor.
    Edited,
    /// Assembled from both (hunk by hunk, the links checklist).
    Merged,
    /// Left as a conflict.
    Unresolved,
}

/// Where a question leads.
enum Step {
    /// The part is decided.
    Decided(Resolution, How),
    /// Each part of a group decided on its own (the group edited by hand).
    DecidedEach(Vec<(Part, Resolution)>, How),
    /// Back to the previous question.
    Back,
    /// Undo the last answer: the decisions as they were before it, and
    /// that question again.
    Undo,
    /// Write nothing, stop.
    Quit,
    /// Confirmed: the decisions stand.
    Done,
}

/// One file's questions: the prompter, the file, and how to paint.
pub(crate) struct Ctx<'c, P> {
    p: &'c mut P,
    opts: &'c PickerOptions,
    file: &'c FileView<'c, 'c>,
    look: Look,
    hows: BTreeMap<Part, How>,
    /// The last answer, as the undo entry names it (`None`: nothing to undo).
    last: Option<String>,
    /// The file's overview while it heads the screen (until the first
    /// answer): laid out again with the question after a resize.
    intro: Option<Intro>,
}

/// What the overview says besides the comparison, worked out once: it is
/// laid out at whatever width the terminal has when it is drawn.
struct Intro {
    /// The keys a field rule has an answer for, and that answer.
    marks: Vec<(String, String)>,
    /// The questions, named.
    names: Vec<String>,
    /// How many questions a rule has an answer for.
    answered: usize,
}

impl<P: Prompter> Ctx<'_, P> {
    /// Columns for text, as the terminal is now (it may have been resized).
    fn width(&self) -> usize {
        self.p.width().max(40)
    }

    /// Shows `screen`, laid out at the width the terminal has now, and
    /// asks `menu`; the chosen shortcut, or `None` when the user quit. When
    /// the terminal changes under the question (a resize, `fg` after
    /// Ctrl-Z), the screen is laid out again at once (columns or stacked,
    /// wrapped at the new width) and the menu asked again.
    fn ask(&mut self, screen: &dyn Fn(&Self) -> String, menu: &Menu) -> Result<Option<char>> {
        let mut again = false;
        loop {
            let mut text = match &self.intro {
                Some(intro) if again => self.render_intro(intro),
                _ => String::new(),
            };
            text.push_str(&screen(self));
            if !text.is_empty() {
                self.p.show(&text)?;
            }
            return Ok(match self.p.choose(menu)? {
                Reply::Redraw => {
                    again = true;
                    continue;
                }
                Reply::Given(i) => {
                    // Answered: the overview is no longer on the screen's head.
                    self.intro = None;
                    match menu.choices.get(i) {
                        Some(c) if c.key != 'q' => Some(c.key),
                        Some(_) => None,
                        None => anyhow::bail!(
                            "the prompter answered entry {i} of a {}-entry menu",
                            menu.choices.len()
                        ),
                    }
                }
                Reply::Quit => None,
            });
        }
    }

    /// [`Ctx::ask`] with nothing shown above the menu.
    fn choose(&mut self, menu: &Menu) -> Result<Option<char>> {
        self.ask(&|_| String::new(), menu)
    }

    fn markers(&self) -> MarkerStyle<'_> {
        MarkerStyle {
            size: self.opts.pipeline.marker_size,
            labels: self.file.labels,
            merger: self.opts.pipeline.line_merger,
        }
    }

    fn render(&self, decisions: &Decisions) -> String {
        render::render(
            self.file.articles,
            self.file.comparison,
            decisions,
            &self.markers(),
            self.file.fm,
        )
    }

    /// Checks that the file would still be valid with `part` resolved as
    /// `res` (parts not decided yet count as the frame side's).
    fn check_whole(
        &self,
        decisions: &Decisions,
        part: &Part,
        res: &Resolution,
    ) -> Result<(), String> {
        self.check_all(decisions, &[(part.clone(), res.clone())])
    }

    /// [`Ctx::check_whole`] with several parts resolved at once (a key group's edit).
    fn check_all(&self, decisions: &Decisions, parts: &[(Part, Resolution)]) -> Result<(), String> {
        let mut d = decisions.clone();
        for (part, res) in parts {
            d.set(part.clone(), user(res.clone()));
        }
        let frame = d.skeleton();
        for p in self.file.comparison.differing() {
            if d.get(&p).is_none() {
                d.set(p, user(Resolution::Take(frame)));
            }
        }
        let out = self.render(&d);
        pipeline::validate_with(
            &out,
            &pipeline::side_texts(self.file.articles),
            &self.opts.pipeline,
            d.has_unresolved(),
        )
        .map_err(|e| e.to_string())?;
        // Valid, yet perhaps not where it belongs (an inner key written at
        // the left edge reads as a top-level one): refused now, not when
        // the file is written and every answer would be lost.
        if !d.has_unresolved() {
            pipeline::reads_as_merged(&out, None, self.file.fm, &d, &self.opts.pipeline).map_err(
                |_| {
                    "as written it would not read where it goes (a key inside a mapping keeps \
                     the indentation of the lines around it)"
                        .to_owned()
                },
            )?;
        }
        Ok(())
    }

    fn label(&self, side: Side) -> std::borrow::Cow<'_, str> {
        crate::cli::report::escape(match side {
            Side::Upstream => self.file.labels.upstream,
            Side::Stashed => self.file.labels.stashed,
        })
    }

    /// What `side` is called on screen: `upstream`/`stashed`, or `ours`/`theirs`.
    fn name(&self, side: Side) -> &'static str {
        self.opts.names.get(side)
    }

    /// `upstream · Updated upstream`, in the side's colour.
    fn side_title(&self, side: Side) -> String {
        let label = self.label(side);
        let name = self.look.side(side, self.name(side));
        if label.is_empty() || *label == *self.name(side) {
            name
        } else {
            format!("{name} {}", self.look.dim(&format!("· {label}")))
        }
    }

    fn run(&mut self, decisions: &mut Decisions) -> Result<Flow> {
        let parts = decisions.open(self.file.comparison);
        let questions = questions(&parts, decisions.held());
        let intro = self.intro(&parts, &questions, decisions);
        self.p.show(&self.render_intro(&intro))?;
        self.intro = Some(intro);
        // No part differs, yet the sides do (a BOM, comments, quoting, the
        // links heading): the only decision is whose bytes to keep.
        // With a base, where each such piece takes the bytes of the side
        // that alone changed it (or everything is settled by the base, a
        // body merged by lines), the frame makes no difference: nothing to
        // ask, as `resolve` without a terminal asks nothing.
        let arts = self.file.articles;
        if parts.is_empty()
            && decisions.skeleton.is_none()
            && arts.upstream.text != arts.stashed.text
            && render::frame_matters(
                arts,
                self.file.comparison,
                decisions,
                &self.markers(),
                self.file.fm,
            )
        {
            match self.layout_side()? {
                Some(side) => decisions.skeleton = Some(side),
                None => return self.quit(),
            }
        }
        let mut i = 0;
        // Before each answer: the question, the decisions and how each part
        // was reached, and what the answer was; undo restores them exactly.
        let mut history: Vec<Answered> = Vec::new();
        loop {
            self.last = history.last().map(|a| a.said.clone());
            let step = match questions.get(i) {
                None => self.confirm(decisions)?,
                Some(q) => {
                    let pos = format!("[{}/{}]", i + 1, questions.len());
                    self.ask_question(q, &pos, decisions)?
                }
            };
            let answer = match step {
                Step::Decided(resolution, how) => {
                    let each = questions[i]
                        .parts()
                        .iter()
                        .map(|p| (p.clone(), resolution.clone()))
                        .collect();
                    Ok((each, how))
                }
                Step::DecidedEach(each, how) => Ok((each, how)),
                other => Err(other),
            };
            let step = match answer {
                Err(step) => step,
                Ok((each, how)) => {
                    // The answer a question already had, kept on the way
                    // back (`b`, then Enter): no new answer to undo.
                    let kept = each.iter().all(|(p, r)| {
                        decisions.get(p).is_some_and(|d| d.resolution == *r)
                            && self.hows.get(p) == Some(&how)
                    });
                    if !kept {
                        history.push(Answered {
                            question: i,
                            decisions: decisions.clone(),
                            hows: self.hows.clone(),
                            said: self.said(&questions[i], &each, how),
                        });
                    }
                    self.apply(decisions, each, how);
                    i += 1;
                    continue;
                }
            };
            match step {
                Step::Decided(..) | Step::DecidedEach(..) => unreachable!("applied above"),
                Step::Undo => self.undo(&mut history, decisions, &mut i)?,
                Step::Back if i == 0 => {
                    self.p.show(&format!(
                        "{}\n",
                        self.look.dim("(this is the first question)")
                    ))?;
                }
                Step::Back => i -= 1,
                Step::Done => return Ok(Flow::Continue),
                Step::Quit => return self.quit(),
            }
        }
    }

    /// The sides differ only in layout: whose version is kept (`None`:
    /// the user quit).
    fn layout_side(&mut self) -> Result<Option<Side>> {
        let labels = self.file.labels;
        let menu = Menu::new(
            "the sides differ only in layout (BOM, line endings, comments, quoting or the \
             links heading): whose version?",
        )
        .choice(
            'u',
            format!("{} · {}", self.name(Side::Upstream), labels.upstream),
        )
        .choice(
            's',
            format!("{} · {}", self.name(Side::Stashed), labels.stashed),
        )
        .choice('q', "quit without writing");
        Ok(match self.choose(&menu)? {
            Some('u') => Some(Side::Upstream),
            Some('s') => Some(Side::Stashed),
            _ => None,
        })
    }

    /// Asks question `q` (at `pos`, `[2/5]`), with the answer given to it
    /// before preselected.
    fn ask_question(&mut self, q: &Question, pos: &str, decisions: &Decisions) -> Result<Step> {
        let prev = q.previous(decisions);
        match q {
            Question::Group(name, keys) => {
                keys::ask_group(self, name, keys, pos, prev.as_ref(), decisions)
            }
            Question::One(Part::Key(k)) => keys::ask(self, k, pos, prev.as_ref(), decisions),
            Question::One(Part::Body) => body::ask(self, pos, prev.as_ref(), decisions),
            Question::One(Part::Links) => links::ask(self, pos, prev.as_ref(), decisions),
        }
    }

    /// Takes back the last answer: the decisions, how each part was
    /// reached and the question (`i`) as they were before it.
    fn undo(
        &mut self,
        history: &mut Vec<Answered>,
        decisions: &mut Decisions,
        i: &mut usize,
    ) -> Result<()> {
        match history.pop() {
            Some(a) => {
                *decisions = a.decisions;
                self.hows = a.hows;
                *i = a.question;
                self.p
                    .show(&format!("{} {}\n", self.look.warn("undone:"), a.said))
            }
            None => self
                .p
                .show(&format!("{}\n", self.look.dim("(nothing to undo)"))),
        }
    }

    /// The user quit: nothing is written.
    fn quit(&mut self) -> Result<Flow> {
        self.p.show(&format!(
            "{} {}: nothing written, the file is as it was\n",
            self.look.warn("quit:"),
            self.file.path.display()
        ))?;
        Ok(Flow::Quit)
    }

    /// An answer in words, for the undo entry: `title ← ours`.
    fn said(&self, q: &Question, each: &[(Part, Resolution)], how: How) -> String {
        let what = match (each.first().map(|(_, r)| r), how) {
            (_, How::Edited) => "edited".to_owned(),
            (Some(Resolution::Take(s)), _) => self.name(*s).to_owned(),
            (Some(Resolution::Unresolved), _) => "left unresolved".to_owned(),
            _ => "merged".to_owned(),
        };
        let name = match q {
            Question::One(p) => p.to_string(),
            Question::Group(name, _) => format!("group `{name}`"),
        };
        format!("{name} ← {what}")
    }

    /// Records the answer to one question: each part's resolution, and how
    /// it was reached, for the summary.
    fn apply(&mut self, decisions: &mut Decisions, each: Vec<(Part, Resolution)>, how: How) {
        for (part, resolution) in each {
            // Taking a rule's answer keeps the rule as the reason.
            let decision = match decisions.suggestion(&part) {
                Some(s) if s.resolution == resolution => s.clone(),
                _ if how == How::Edited => Decision {
                    resolution,
                    reason: Reason::Edited,
                },
                _ => user(resolution),
            };
            decisions.set(part.clone(), decision);
            self.hows.insert(part, how);
        }
    }

    /// What the file's overview says besides the comparison: the keys a
    /// field rule has an answer for, the questions, how many a rule answers.
    fn intro(&self, parts: &[Part], questions: &[Question], decisions: &Decisions) -> Intro {
        let marks: Vec<(String, String)> = parts
            .iter()
            .filter_map(|p| {
                let Part::Key(k) = p else { return None };
                let d = decisions.suggestion(p)?;
                let what = match &d.resolution {
                    Resolution::Take(s) => self.name(*s).to_owned(),
                    _ => "merged".to_owned(),
                };
                Some((k.to_string(), format!("rule → {what}")))
            })
            .collect();
        let names: Vec<String> = questions
            .iter()
            .map(|q| match q {
                Question::One(p) => p.to_string(),
                Question::Group(name, ps) => {
                    let keys: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                    format!("group `{name}` ({})", keys.join(", "))
                }
            })
            .collect();
        // The questions a rule has an answer for (preselected): counted as
        // `diff` counts them.
        let answered = questions
            .iter()
            .filter(|q| q.parts().iter().any(|p| decisions.suggestion(p).is_some()))
            .count();
        Intro {
            marks,
            names,
            answered,
        }
    }

    /// The file's at-a-glance comparison, headed by what will be asked; the
    /// keys a field rule has an answer for are marked. Laid out at the
    /// width the terminal has now.
    fn render_intro(&self, intro: &Intro) -> String {
        let f = self.file;
        let rows = report::diff_rows(
            (f.articles, f.keyed()),
            f.comparison,
            self.width(),
            &intro.marks,
            self.opts.names,
        );
        let w = self.width();
        format!(
            "{}{rows}{}{}",
            report::wrap(
                &format!(
                    "{}: {} ({} ↔ {})",
                    self.look
                        .bold(&report::escape(&f.path.display().to_string())),
                    report::decisions_said(intro.names.len(), intro.answered),
                    self.look.side(Side::Upstream, &self.label(Side::Upstream)),
                    self.look.side(Side::Stashed, &self.label(Side::Stashed)),
                ),
                w,
                "  "
            ),
            report::wrap(
                &self
                    .look
                    .dim(&format!("Asking about: {}.", intro.names.join(", "))),
                w,
                ""
            ),
            report::wrap(
                &self.look.dim(
                    "Keys: ↑/↓ and Enter, or the letter shown; b goes back, z undoes the last \
                     answer. Esc, Ctrl-C or q quits without writing anything."
                ),
                w,
                ""
            ),
        )
    }

    /// Derived fields the decisions break (`schema.name` still holding the
    /// other side's title): offers to update them in place, or does it with
    /// `--sync-derived`. `None`: go on to the summary.
    fn derived(&mut self, decisions: &mut Decisions) -> Result<Option<Step>> {
        let p = &self.opts.pipeline;
        let found = derived::find(
            self.file.articles,
            self.file.comparison,
            decisions,
            &p.derived,
            &p.article,
            &self.markers(),
            self.file.fm,
        );
        if found.is_empty() {
            return Ok(None);
        }
        let mut text = format!("\n{}\n", self.look.head("Derived fields out of step:"));
        for m in &found {
            text.push_str(&format!(
                "  {} no longer matches {}: {} ≠ {}\n",
                self.look.bold(&m.mirror.field()),
                self.look.bold(&m.mirror.source),
                derived::quote(&m.found),
                derived::quote(&m.wanted)
            ));
        }
        if p.derived.sync {
            self.p.show(&text)?;
        } else {
            let menu = Menu::new("Update them inside their key, in place?")
                .choice('y', "yes: change only those values")
                .choice('n', "no: keep them as chosen")
                .choice('b', "back to the last question")
                .choice('q', "quit without writing")
                .undo(self.last.as_deref());
            match self.ask(&|_| text.clone(), &menu)? {
                Some('y') => {}
                Some('n') => return Ok(None),
                Some('b') => return Ok(Some(Step::Back)),
                Some('z') => return Ok(Some(Step::Undo)),
                _ => return Ok(Some(Step::Quit)),
            }
        }
        let failed = derived::sync(
            self.file.articles,
            self.file.comparison,
            decisions,
            &found,
            &self.opts.pipeline.article,
            &self.markers(),
            self.file.fm,
        );
        for f in failed {
            self.p.show(&format!("{} {f}\n", self.look.warn("note:")))?;
        }
        Ok(None)
    }

    /// The summary, previews and the confirmation before anything is
    /// written. Going back (or undoing) from here takes the derived fields'
    /// update away with it: made from the answers as they were, it would
    /// override a leaf answered again (a `schema` updated in place whole).
    fn confirm(&mut self, decisions: &mut Decisions) -> Result<Step> {
        let before = decisions.clone();
        let step = self.confirm_synced(decisions)?;
        if matches!(step, Step::Back | Step::Undo) {
            *decisions = before;
        }
        Ok(step)
    }

    /// [`Ctx::confirm`] after updating derived fields.
    fn confirm_synced(&mut self, decisions: &mut Decisions) -> Result<Step> {
        if let Some(step) = self.derived(decisions)? {
            return Ok(step);
        }
        let output = self.render(decisions);
        if let Err(e) = pipeline::validate_with(
            &output,
            &pipeline::side_texts(self.file.articles),
            &self.opts.pipeline,
            decisions.has_unresolved(),
        ) {
            let refused = format!(
                "{} the result would not be valid: {e}\n",
                self.look.warn("refused:")
            );
            let menu = Menu::new("Go back and change a part?")
                .choice('b', "back to the last question")
                .choice('q', "quit without writing")
                .undo(self.last.as_deref());
            return Ok(match self.ask(&|_| refused.clone(), &menu)? {
                Some('b') => Step::Back,
                Some('z') => Step::Undo,
                _ => Step::Quit,
            });
        }
        let path = self.file.path.display().to_string();
        let accept = if self.opts.writes {
            format!("write {path}")
        } else {
            "accept the result".to_owned()
        };
        loop {
            let menu = Menu::new(if self.opts.writes {
                format!("Write {path}?")
            } else {
                "Accept the result?".to_owned()
            })
            .choice('w', accept.clone())
            .choice(
                'u',
                format!("preview: the result against {}", self.name(Side::Upstream)),
            )
            .choice(
                's',
                format!("preview: the result against {}", self.name(Side::Stashed)),
            )
            .choice('r', "preview: the whole result, as it will be written")
            .choice('b', "back to the last question")
            .choice('q', "quit without writing")
            .undo(self.last.as_deref());
            // The summary, wrapped at the width the terminal has when it is
            // drawn (again after a resize, and after a preview).
            match self.ask(&|cx| cx.summary(decisions), &menu)? {
                Some('w') => return Ok(Step::Done),
                Some('z') => return Ok(Step::Undo),
                Some(c @ ('u' | 's')) => {
                    let side = if c == 'u' {
                        Side::Upstream
                    } else {
                        Side::Stashed
                    };
                    let theirs = &self.file.articles.get(side).text;
                    let text = if *theirs == output {
                        format!("The result is exactly the {} side.\n", self.name(side))
                    } else {
                        let name = format!("{} ({})", self.name(side), self.label(side));
                        text::unified(theirs, &output, &name, "result", self.look)
                    };
                    if self.p.page(&text)? == Reply::Quit {
                        return Ok(Step::Quit);
                    }
                }
                Some('r') => {
                    // The article itself, frontmatter and body, before it is
                    // written: what a reader of the site will get. Its text
                    // escaped as lines (the pager keeps only the tool's own
                    // colours): an `ESC[8m` in it must not hide what follows.
                    let text = report::escape_lines(&output);
                    if self.p.page(&text)? == Reply::Quit {
                        return Ok(Step::Quit);
                    }
                }
                Some('b') => return Ok(Step::Back),
                _ => return Ok(Step::Quit),
            }
        }
    }

    fn summary(&self, decisions: &Decisions) -> String {
        let mut rows = String::new();
        let width = decisions
            .iter()
            .map(|(p, _)| console::measure_text_width(&p.to_string()))
            .max()
            .unwrap_or(4);
        for (part, d) in decisions.iter() {
            let how = self.hows.get(part).copied();
            let what = match (&d.resolution, how) {
                (Resolution::Take(s), _) => {
                    let dropped = matches!(
                        (self.file.comparison.change(part), s),
                        (Change::OnlyUpstream, Side::Stashed)
                            | (Change::OnlyStashed, Side::Upstream)
                    );
                    let name = self.look.side(*s, self.name(*s));
                    if dropped {
                        format!("dropped ({name})")
                    } else {
                        name
                    }
                }
                (Resolution::Unresolved, _) => self.look.warn("left unresolved (conflict markers)"),
                (Resolution::Partly(_), _) => self
                    .look
                    .warn("some hunks left unresolved (conflict markers around them)"),
                _ if d.reason == Reason::Edited || how == Some(How::Edited) => "edited".to_owned(),
                (Resolution::Links(refs), _) => {
                    format!("{} from both sides", crate::decide::links_count(refs.len()))
                }
                (Resolution::TakeBase, _) => "base".to_owned(),
                (Resolution::Text(_) | Resolution::Merged | Resolution::Both(_), _) => {
                    "merged from both sides".to_owned()
                }
            };
            let why = if matches!(d.reason, Reason::User | Reason::Edited) {
                String::new()
            } else {
                let reason = d.reason.named(self.opts.names);
                format!(" {}", self.look.dim(&format!("({reason})")))
            };
            // Padded to display columns: a wide character takes two.
            let name = part.to_string();
            let name = console::pad_str(&name, width, console::Alignment::Left, None);
            let row = format!("  {name}  ← {what}{why}");
            let hang = " ".repeat(width + 4);
            rows.push_str(&report::wrap(&row, self.width(), &hang));
        }
        // The counts the final line gives once the file is written.
        let tally = crate::decide::Tally::of(decisions);
        let counts = tally.named(self.opts.names);
        let unresolved = tally.unresolved;
        let head = format!("{} {counts}", self.look.head("Summary:"));
        let mut s = format!("{}{rows}", report::wrap(&head, self.width(), "  "));
        if unresolved > 0 {
            s.push_str(&self.look.dim(
                "  Parts left unresolved keep conflict markers around just that part: the file stays conflicted.\n",
            ));
        }
        s
    }
}

/// A decision made by the user.
fn user(resolution: Resolution) -> Decision {
    Decision {
        resolution,
        reason: Reason::User,
    }
}

/// The shortcut of a previous resolution, to select it again after "back".
fn previous_key(prev: Option<&Resolution>) -> Option<char> {
    match prev? {
        Resolution::Take(Side::Upstream) => Some('u'),
        Resolution::Take(Side::Stashed) => Some('s'),
        Resolution::Unresolved => Some('l'),
        Resolution::Partly(_)
        | Resolution::Text(_)
        | Resolution::Links(_)
        | Resolution::TakeBase
        | Resolution::Merged
        | Resolution::Both(_) => None,
    }
}

#[cfg(test)]
mod tests;
