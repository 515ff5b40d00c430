//! The body question: upstream whole, stashed whole, hunk by hunk, the full
//! diff in a pager, or the editor.
//!
//! Hunk by hunk, each changed region is shown with a little context and
//! settled on its own (upstream, stashed, both, or edited); the unchanged
//! lines between hunks are kept as they are. The assembled body becomes
//! [`Resolution::Text`], or `Take(side)` when it equals one side's body.

use anyhow::Result;
use similar::DiffTag;

use super::edit::{self, EditJob, Edited};
use super::text::{
    self, against, columns, excerpt, inline_blocks, inline_lines, paint_lines, plain_lines,
    side_by_side, Line, SIDE_BY_SIDE, THREE_COLUMNS,
};
use super::{previous_key, Ctx, How, Menu, Prompter, Reply, Step};
use crate::cli::report;
use crate::conflict::sides::Side;
use crate::decide::{Decisions, Resolution};
use crate::merge::compare::{line_diff, BodyDiff, Part};
use crate::pipeline::render;

/// One changed region of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hunk {
    /// Upstream's lines of the region.
    pub(crate) up: String,
    /// The stash's lines of the region.
    pub(crate) st: String,
    /// Where the region stands in upstream's body, in lines.
    pub(crate) lines: std::ops::Range<usize>,
}

/// The body cut into unchanged runs and hunks, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Lines equal on both sides.
    Same(String),
    /// A changed region.
    Hunk(Hunk),
}

/// Cuts two bodies into unchanged runs and hunks (adjacent changes join).
pub(crate) fn pieces(up: &str, st: &str) -> Vec<Piece> {
    let diff = line_diff(up, st);
    let (old, new) = (diff.old_slices(), diff.new_slices());
    let mut out: Vec<Piece> = Vec::new();
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            out.push(Piece::Same(old[op.old_range()].concat()));
            continue;
        }
        let (u, s) = (old[op.old_range()].concat(), new[op.new_range()].concat());
        match out.last_mut() {
            Some(Piece::Hunk(h)) => {
                h.up.push_str(&u);
                h.st.push_str(&s);
                h.lines.end = op.old_range().end;
            }
            _ => out.push(Piece::Hunk(Hunk {
                up: u,
                st: s,
                lines: op.old_range(),
            })),
        }
    }
    out
}

/// How one hunk was settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HunkChoice {
    /// Upstream's lines.
    Upstream,
    /// The stash's lines.
    Stashed,
    /// Upstream's lines, then the stash's.
    Both,
    /// Written by hand.
    Edited(String),
    /// Left between conflict markers: the file stays conflicted.
    Unresolved,
}

#[cfg(test)]
/// The body from the pieces and one choice per hunk; a hunk left
/// unresolved is written as `conflict` writes both its versions.
pub(crate) fn assemble(pieces: &[Piece], choices: &[HunkChoice]) -> String {
    assemble_with(pieces, choices, &|h: &Hunk| format!("{}{}", h.up, h.st))
}

/// [`assemble`], with `conflict` writing a hunk left unresolved.
fn assemble_with(
    pieces: &[Piece],
    choices: &[HunkChoice],
    conflict: &dyn Fn(&Hunk) -> String,
) -> String {
    let mut out = String::new();
    let mut choice = choices.iter();
    for p in pieces {
        match p {
            Piece::Same(t) => out.push_str(t),
            Piece::Hunk(h) => match choice.next() {
                Some(HunkChoice::Upstream) | None => out.push_str(&h.up),
                Some(HunkChoice::Stashed) => out.push_str(&h.st),
                Some(HunkChoice::Both) => {
                    out.push_str(&h.up);
                    out.push_str(&h.st);
                }
                Some(HunkChoice::Edited(t)) => out.push_str(t),
                Some(HunkChoice::Unresolved) => out.push_str(&conflict(h)),
            },
        }
    }
    out
}

/// `Take(side)` when `text` is exactly one side's body, else the text.
fn resolution_of<P: Prompter>(cx: &Ctx<'_, P>, text: String, how: How) -> Step {
    if how == How::Unresolved {
        // Some hunks left between markers: the file stays conflicted.
        return Step::Decided(Resolution::Partly(text), How::Unresolved);
    }
    for side in Side::BOTH {
        if cx.file.articles.get(side).body == text {
            return Step::Decided(Resolution::Take(side), How::Side);
        }
    }
    Step::Decided(Resolution::Text(text), how)
}

/// Asks about the body.
pub(super) fn ask<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    pos: &str,
    prev: Option<&Resolution>,
    decisions: &Decisions,
) -> Result<Step> {
    let arts = cx.file.articles;
    let (up, st) = (arts.upstream.body, arts.stashed.body);
    let cuts = pieces(up, st);
    let hunks = cuts.iter().filter(|p| matches!(p, Piece::Hunk(_))).count();
    // The comparison may hold only whether the body changed: count here,
    // the same way the overview does, so both show the same numbers.
    let b = report::body_counts(cx.file.comparison, arts);
    // Laid out at the width the terminal has when it is drawn.
    let screen = |cx: &Ctx<'_, P>| body_screen(cx, pos, &cuts, hunks, &b);
    loop {
        let kept = kept_answer(cx, prev);
        let menu = body_menu(
            cx,
            pos,
            hunks,
            kept.as_ref().map(|(_, _, said)| *said),
            prev,
        );
        match cx.ask(&screen, &menu)? {
            Some('k') => {
                if let Some((r, how, _)) = kept {
                    return Ok(Step::Decided(r, how));
                }
            }
            Some('u') => return Ok(Step::Decided(Resolution::Take(Side::Upstream), How::Side)),
            Some('s') => return Ok(Step::Decided(Resolution::Take(Side::Stashed), How::Side)),
            Some('l') => return Ok(Step::Decided(Resolution::Unresolved, How::Unresolved)),
            Some('b') => return Ok(Step::Back),
            Some('z') => return Ok(Step::Undo),
            Some('v') => {
                if page_diff(cx)? == Reply::Quit {
                    return Ok(Step::Quit);
                }
            }
            Some('h') => match by_hunk(cx, pos, &cuts)? {
                Walk::Done(text, how) => return Ok(resolution_of(cx, text, how)),
                Walk::Back => {}
                Walk::Quit => return Ok(Step::Quit),
            },
            Some('e') => {
                if let Some(step) = edit_body(cx, &cuts, kept.as_ref(), decisions)? {
                    return Ok(step);
                }
            }
            _ => return Ok(Step::Quit),
        }
    }
}

/// The body question's screen: the body's counts, the sides' titles and
/// the first hunk (what the body's change looks like).
fn body_screen<P: Prompter>(
    cx: &Ctx<'_, P>,
    pos: &str,
    cuts: &[Piece],
    hunks: usize,
    b: &BodyDiff,
) -> String {
    let look = cx.look;
    let mut head = format!(
        "\n{} {}  {}  {} {} lines in {} hunk{}\n  {}  {}\n",
        look.head(pos),
        look.bold("body"),
        look.change(b.change, cx.opts.names),
        look.side(Side::Stashed, &format!("+{}", b.added)),
        look.side(Side::Upstream, &format!("−{}", b.removed)),
        hunks,
        if hunks == 1 { "" } else { "s" },
        look.side(Side::Upstream, "−"),
        cx.side_title(Side::Upstream),
    ) + &format!(
        "  {}  {}\n",
        look.side(Side::Stashed, "+"),
        cx.side_title(Side::Stashed)
    );
    if let Some(first) = cuts.iter().position(|p| matches!(p, Piece::Hunk(_))) {
        head.push_str(&show_hunk(cx, pos, cuts, first, 1, hunks));
    }
    head
}

/// An answer given before (going back to it) that is neither side's whole
/// body, with how it was reached and its menu entry: offered again,
/// preselected.
fn kept_answer<P: Prompter>(
    cx: &Ctx<'_, P>,
    prev: Option<&Resolution>,
) -> Option<(Resolution, How, &'static str)> {
    match prev {
        Some(r @ (Resolution::Text(_) | Resolution::Partly(_))) => {
            let how = cx.hows.get(&Part::Body).copied().unwrap_or(How::Merged);
            let said = match how {
                How::Edited => "keep your edit of the body",
                How::Unresolved => "keep your hunks (some left unresolved)",
                _ => "keep your hunk-by-hunk answer",
            };
            Some((r.clone(), how, said))
        }
        _ => None,
    }
}

/// The body question's menu; `kept` is the entry of an answer given
/// before ([`kept_answer`]), preselected.
fn body_menu<P: Prompter>(
    cx: &Ctx<'_, P>,
    pos: &str,
    hunks: usize,
    kept: Option<&'static str>,
    prev: Option<&Resolution>,
) -> Menu {
    let mut menu = Menu::new(format!("{pos} body: which version?"))
        .choice('u', format!("{}: the whole body", cx.name(Side::Upstream)))
        .choice('s', format!("{}: the whole body", cx.name(Side::Stashed)));
    if let Some(said) = kept {
        menu = menu.choice('k', said);
    }
    menu.choice(
        'h',
        format!("hunk by hunk ({hunks}), from the first one above"),
    )
    .choice('v', "view the full diff in a pager")
    .choice('e', "edit")
    .leave(
        cx.opts,
        "leave unresolved (conflict markers around the body)",
    )
    .choice('b', "back")
    .choice('q', "quit without writing")
    .undo(cx.last.as_deref())
    .default_key(match kept {
        Some(_) => Some('k'),
        None => previous_key(prev),
    })
}

/// The full diff of the two bodies in the pager.
fn page_diff<P: Prompter>(cx: &mut Ctx<'_, P>) -> Result<Reply<()>> {
    let arts = cx.file.articles;
    let a = format!("{} ({})", cx.name(Side::Upstream), cx.label(Side::Upstream));
    let b = format!("{} ({})", cx.name(Side::Stashed), cx.label(Side::Stashed));
    let diff = text::unified(arts.upstream.body, arts.stashed.body, &a, &b, cx.look);
    cx.p.page(&diff)
}

/// The body in the editor: both sides' lines between conflict markers at
/// each hunk, or the edit given before (`kept`) again. `None` when the
/// edit is cancelled: back to the body question.
fn edit_body<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    cuts: &[Piece],
    kept: Option<&(Resolution, How, &'static str)>,
    decisions: &Decisions,
) -> Result<Option<Step>> {
    let arts = cx.file.articles;
    let (up, st) = (arts.upstream.body, arts.stashed.body);
    let body = match kept {
        // Going back to an edit: the editor opens on it again.
        Some((Resolution::Text(t), How::Edited, _)) => t.clone(),
        _ => {
            let mut body = String::new();
            for p in cuts {
                match p {
                    Piece::Same(t) => body.push_str(t),
                    Piece::Hunk(h) => {
                        body.push_str(&edit::both(&h.up, &h.st, &cx.markers(), arts.upstream.eol))
                    }
                }
            }
            body
        }
    };
    let job = EditJob {
        what: "the body",
        rule: "The result is the new body (Markdown), without conflict markers.",
        body,
        suffix: ".md",
        final_eol: up.ends_with('\n') || st.ends_with('\n'),
        clean: clean_bodies(cx),
    };
    Ok(
        match edit::edit_loop(cx, job, |cx, text| {
            cx.check_whole(decisions, &Part::Body, &Resolution::Text(text.to_owned()))?;
            Ok(text.to_owned())
        })? {
            Edited::Done(text) => Some(resolution_of(cx, text, How::Edited)),
            Edited::Cancelled => None,
            Edited::Quit => Some(Step::Quit),
        },
    )
}

/// The sides' bodies and the base's: the clean versions whose fenced
/// examples of git's markers an edit of the body may keep.
fn clean_bodies<'c, P: Prompter>(cx: &Ctx<'c, P>) -> Vec<&'c str> {
    let arts = cx.file.articles;
    let mut clean = vec![arts.upstream.body, arts.stashed.body];
    clean.extend(arts.base.as_ref().map(|b| b.body));
    clean
}

/// How a walk through the hunks ended.
enum Walk {
    /// The assembled body, and how: merged, with an edited hunk, or with
    /// a hunk left unresolved.
    Done(String, How),
    /// Back to the body question.
    Back,
    /// The user quit.
    Quit,
}

/// The last `n` lines of `text` (`from_end`) or its first `n`.
fn some_lines(text: &str, n: usize, from_end: bool) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let picked = if from_end {
        &lines[lines.len().saturating_sub(n)..]
    } else {
        &lines[..n.min(lines.len())]
    };
    picked.concat()
}

/// The base's lines for the region `r` of upstream's body `up`: where the
/// region stands once the base is aligned with upstream by lines.
fn base_lines(base: &str, up: &str, r: std::ops::Range<usize>) -> String {
    let diff = line_diff(base, up);
    let old = diff.old_slices();
    let n_up = diff.new_slices().len();
    // For each line of upstream: where it starts and ends in the base (a
    // changed line stands for the whole changed run of the base).
    let (mut start, mut end) = (vec![0; n_up], vec![0; n_up]);
    for op in diff.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        for (k, u) in n.enumerate() {
            (start[u], end[u]) = match op.tag() {
                DiffTag::Equal => (o.start + k, o.start + k + 1),
                _ => (o.start, o.end),
            };
        }
    }
    let (from, to) = if r.is_empty() {
        let at = r
            .start
            .checked_sub(1)
            .and_then(|i| end.get(i).copied())
            .unwrap_or(0);
        (at, at)
    } else {
        (
            start.get(r.start).copied().unwrap_or(old.len()),
            end.get(r.end - 1).copied().unwrap_or(old.len()),
        )
    };
    let from = from.min(old.len());
    old[from..to.clamp(from, old.len())].concat()
}

/// Hunk `n` of `total` (at `at` among `cuts`) as shown: its heading, two
/// unchanged lines before and after it, and its two versions, laid out for
/// the terminal's width (with the base's lines where there is a base).
fn show_hunk<P: Prompter>(
    cx: &Ctx<'_, P>,
    pos: &str,
    cuts: &[Piece],
    at: usize,
    n: usize,
    total: usize,
) -> String {
    let look = cx.look;
    let Piece::Hunk(h) = &cuts[at] else {
        unreachable!("hunk index points at a hunk")
    };
    let mut s = format!(
        "\n{} {}  hunk {n}/{total}\n",
        look.head(pos),
        look.bold("body")
    );
    if let Some(Piece::Same(t)) = at.checked_sub(1).map(|i| &cuts[i]) {
        s.push_str(&context(cx, &some_lines(t, 2, true)));
    }
    // The base below the sides (narrower than three columns) comes after
    // the unchanged lines that follow the hunk: before them, those read as
    // base lines (the same indentation, and no colour to tell them apart).
    let (sides, below) = match &cx.file.articles.base {
        Some(base) => against_base(cx, h, base.body),
        None if cx.width() >= SIDE_BY_SIDE => (paragraphs_side_by_side(cx, h), String::new()),
        None => {
            let (lu, ls) = inline_lines(&h.up, &h.st);
            let sides = one_above_other(cx, cx.look, [&lu, &ls], nothing_on(cx, h));
            (sides, String::new())
        }
    };
    s.push_str(&sides);
    if let Some(Piece::Same(t)) = cuts.get(at + 1) {
        s.push_str(&context(cx, &some_lines(t, 2, false)));
    }
    s.push_str(&below);
    s
}

/// Unchanged lines next to a hunk, dimmed.
fn context<P: Prompter>(cx: &Ctx<'_, P>, text: &str) -> String {
    let look = cx.look;
    paint_lines(&plain_lines(text), None, look, cx.width(), "    ")
        .lines()
        .map(|l| look.dim(l) + "\n")
        .collect()
}

/// Each side's column title: its sign and its name, in its colour.
fn side_titles<P: Prompter>(cx: &Ctx<'_, P>) -> [String; 2] {
    Side::BOTH.map(|side| {
        let sign = if side == Side::Upstream { "−" } else { "+" };
        format!("{} {}", cx.look.side(side, sign), cx.side_title(side))
    })
}

/// For each side with no lines in hunk `h`: `(nothing on …)`.
fn nothing_on<P: Prompter>(cx: &Ctx<'_, P>, h: &Hunk) -> [Option<String>; 2] {
    [(Side::Upstream, &h.up), (Side::Stashed, &h.st)].map(|(side, text)| {
        text.is_empty()
            .then(|| format!("(nothing on {})", cx.name(side)))
    })
}

/// Hunk `h` with the base (`base`, the base's body): each side's words
/// marked against the base's lines, and those shown too, a column of their
/// own from [`THREE_COLUMNS`], else below the sides: the sides, and what
/// goes below them (empty with three columns).
fn against_base<P: Prompter>(cx: &Ctx<'_, P>, h: &Hunk, base: &str) -> (String, String) {
    let look = cx.look.against_base();
    let b = base_lines(base, cx.file.articles.upstream.body, h.lines.clone());
    let (lb, lu, ls) = (plain_lines(&b), against(&b, &h.up), against(&b, &h.st));
    let lb: Vec<_> = lb.into_iter().map(excerpt).collect();
    let titles = side_titles(cx);
    let nothing = nothing_on(cx, h);
    let gone = [nothing[0].as_deref(), nothing[1].as_deref()];
    let no_base = b.is_empty().then_some("(nothing in the base)");
    let base_title = look.dim("base");
    if cx.width() >= THREE_COLUMNS {
        let three = columns(
            &[&base_title, &titles[0], &titles[1]],
            &[
                (&lb, None, no_base),
                (&lu, Some(Side::Upstream), gone[0]),
                (&ls, Some(Side::Stashed), gone[1]),
            ],
            look,
            cx.width(),
            "  ",
        );
        return (three, String::new());
    }
    let sides = if cx.width() >= SIDE_BY_SIDE {
        columns(
            &[&titles[0], &titles[1]],
            &[
                (&lu, Some(Side::Upstream), gone[0]),
                (&ls, Some(Side::Stashed), gone[1]),
            ],
            look,
            cx.width(),
            "  ",
        )
    } else {
        one_above_other(cx, look, [&lu, &ls], nothing)
    };
    let mut below = format!("  {base_title}\n");
    match no_base {
        Some(what) => below.push_str(&format!("    {}\n", look.dim(what))),
        None => below.push_str(&paint_lines(&lb, None, look, cx.width(), "    ")),
    }
    (sides, below)
}

/// Hunk `h` without a base, wide enough for two columns: its two versions
/// side by side, paragraph against paragraph, the words that differ marked.
fn paragraphs_side_by_side<P: Prompter>(cx: &Ctx<'_, P>, h: &Hunk) -> String {
    let titles = side_titles(cx);
    let nothing = nothing_on(cx, h);
    side_by_side(
        [&titles[0], &titles[1]],
        &inline_blocks(&h.up, &h.st),
        [nothing[0].as_deref(), nothing[1].as_deref()],
        cx.look,
        cx.width(),
        "  ",
    )
}

/// Upstream's `lines` above the stash's, each line under its side's sign;
/// for a side with none, what `nothing` says in its place.
fn one_above_other<P: Prompter>(
    cx: &Ctx<'_, P>,
    look: super::Look,
    lines: [&[Line]; 2],
    nothing: [Option<String>; 2],
) -> String {
    let mut s = String::new();
    for ((side, sign), (lines, none)) in [(Side::Upstream, "  − "), (Side::Stashed, "  + ")]
        .into_iter()
        .zip(lines.into_iter().zip(nothing))
    {
        match none {
            Some(what) => s.push_str(&format!("{}{}\n", look.side(side, sign), look.dim(&what))),
            None => s.push_str(&paint_lines(
                lines,
                Some(side),
                look,
                cx.width(),
                &look.side(side, sign),
            )),
        }
    }
    s
}

fn by_hunk<P: Prompter>(cx: &mut Ctx<'_, P>, pos: &str, cuts: &[Piece]) -> Result<Walk> {
    let at: Vec<usize> = (0..cuts.len())
        .filter(|&i| matches!(cuts[i], Piece::Hunk(_)))
        .collect();
    let mut choices: Vec<Option<HunkChoice>> = vec![None; at.len()];
    let mut j = 0;
    // The body question showed the first hunk already.
    let mut shown_first = true;
    while j < at.len() {
        // The first hunk is on screen already, under the body question;
        // the others (and the first after a resize) laid out when drawn.
        let quiet = std::cell::Cell::new(j == 0 && shown_first);
        shown_first = false;
        let here = j;
        let screen = |cx: &Ctx<'_, P>| {
            if quiet.replace(false) {
                String::new()
            } else {
                show_hunk(cx, pos, cuts, at[here], here + 1, at.len())
            }
        };
        let default = match &choices[j] {
            Some(HunkChoice::Stashed) => Some('s'),
            Some(HunkChoice::Both) => Some('a'),
            Some(HunkChoice::Edited(_)) => Some('e'),
            Some(HunkChoice::Unresolved) => Some('l'),
            _ => None,
        };
        let menu = Menu::new(format!(
            "{pos} body, hunk {}/{}: which lines?",
            j + 1,
            at.len()
        ))
        .choice('u', cx.name(Side::Upstream))
        .choice('s', cx.name(Side::Stashed))
        .choice(
            'a',
            format!(
                "both: {}, then {}",
                cx.name(Side::Upstream),
                cx.name(Side::Stashed)
            ),
        )
        .choice('e', "edit")
        .leave(
            cx.opts,
            "leave this hunk unresolved (conflict markers around it)",
        )
        .choice(
            'b',
            if j == 0 {
                "back to the body question"
            } else {
                "back to the previous hunk"
            },
        )
        .choice('q', "quit without writing")
        .default_key(default);
        let choice = match cx.ask(&screen, &menu)? {
            Some('u') => HunkChoice::Upstream,
            Some('s') => HunkChoice::Stashed,
            Some('a') => HunkChoice::Both,
            Some('l') => HunkChoice::Unresolved,
            Some('b') if j == 0 => return Ok(Walk::Back),
            Some('b') => {
                j -= 1;
                continue;
            }
            Some('e') => {
                let Piece::Hunk(h) = &cuts[at[j]] else {
                    unreachable!("hunk index points at a hunk")
                };
                let job = EditJob {
                    what: &format!("hunk {} of the body", j + 1),
                    rule: "The result replaces these lines of the body, without conflict markers.",
                    body: edit::both(&h.up, &h.st, &cx.markers(), cx.file.articles.upstream.eol),
                    suffix: ".md",
                    final_eol: h.up.ends_with('\n') || h.st.ends_with('\n'),
                    clean: clean_bodies(cx),
                };
                match edit::edit_loop(cx, job, |_, text| Ok(text.to_owned()))? {
                    Edited::Done(t) => HunkChoice::Edited(t),
                    Edited::Cancelled => continue,
                    Edited::Quit => return Ok(Walk::Quit),
                }
            }
            _ => return Ok(Walk::Quit),
        };
        choices[j] = Some(choice);
        j += 1;
    }
    let chosen: Vec<HunkChoice> = choices
        .into_iter()
        .map(|c| c.unwrap_or(HunkChoice::Upstream))
        .collect();
    let how = if chosen.contains(&HunkChoice::Unresolved) {
        How::Unresolved
    } else if chosen.iter().any(|c| matches!(c, HunkChoice::Edited(_))) {
        How::Edited
    } else {
        How::Merged
    };
    // A hunk left open is written as git writes a conflict in this file:
    // its marker size, and in diff3 style (a base label) the base's lines
    // of the hunk between `|||||||` and `=======`.
    let markers = cx.markers();
    let arts = cx.file.articles;
    let conflict = |h: &Hunk| {
        let base = arts
            .base
            .as_ref()
            .map(|b| base_lines(b.body, arts.upstream.body, h.lines.clone()));
        let mut s = String::new();
        render::conflict(
            &mut s,
            &markers,
            arts.upstream.eol,
            &h.up,
            base.as_deref(),
            &h.st,
        );
        s
    };
    Ok(Walk::Done(assemble_with(cuts, &chosen, &conflict), how))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: &str = "a\nb\nc\nd\ne\n";
    const ST: &str = "a\nB\nc\nd\nE\nf\n";

    #[test]
    fn pieces_rebuild_each_side() {
        let p = pieces(UP, ST);
        let hunks = p.iter().filter(|p| matches!(p, Piece::Hunk(_))).count();
        assert_eq!(hunks, 2);
        assert_eq!(
            assemble(&p, &[HunkChoice::Upstream, HunkChoice::Upstream]),
            UP
        );
        assert_eq!(
            assemble(&p, &[HunkChoice::Stashed, HunkChoice::Stashed]),
            ST
        );
        assert_eq!(
            assemble(&p, &[HunkChoice::Both, HunkChoice::Edited("x\n".into())]),
            "a\nb\nB\nc\nd\nx\n"
        );
    }

    #[test]
    fn a_hunk_finds_its_lines_in_the_base() {
        let base = "a\nb\nc\nd\n";
        let up = "a\nB\nc\nd\nnew\n";
        // Upstream's line 1 (`B`) stands where the base has `b`.
        assert_eq!(base_lines(base, up, 1..2), "b\n");
        // Upstream's added last line: nothing in the base, at its end.
        assert_eq!(base_lines(base, up, 4..5), "");
        // An empty region (the other side added lines) is empty in the base.
        assert_eq!(base_lines(base, up, 2..2), "");
        assert_eq!(base_lines(base, up, 0..4), base);
        let p = pieces(UP, ST);
        let Piece::Hunk(h) = &p[1] else {
            panic!("{p:?}")
        };
        assert_eq!(h.lines, 1..2);
    }

    #[test]
    fn context_lines() {
        assert_eq!(some_lines("1\n2\n3\n", 2, true), "2\n3\n");
        assert_eq!(some_lines("1\n2\n3\n", 2, false), "1\n2\n");
        assert_eq!(some_lines("1\n", 2, false), "1\n");
    }
}
