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
    side_by_side, SIDE_BY_SIDE, THREE_COLUMNS,
};
use super::{previous_key, Ctx, How, Menu, Prompter, Reply, Step};
use crate::cli::report;
use crate::conflict::sides::Side;
use crate::decide::{Decisions, Resolution};
use crate::diff::{line_diff, Part};

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
    let screen = |cx: &Ctx<'_, P>| {
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
        // The first hunk at once: what the body's change looks like.
        if let Some(first) = cuts.iter().position(|p| matches!(p, Piece::Hunk(_))) {
            head.push_str(&show_hunk(cx, pos, &cuts, first, 1, hunks));
        }
        head
    };
    loop {
        // An answer given before (going back to it) that is neither side's
        // whole body: an entry of its own, preselected.
        let kept = match prev {
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
        };
        let mut menu = Menu::new(format!("{pos} body: which version?"))
            .choice('u', format!("{}: the whole body", cx.name(Side::Upstream)))
            .choice('s', format!("{}: the whole body", cx.name(Side::Stashed)));
        if let Some((_, _, said)) = &kept {
            menu = menu.choice('k', *said);
        }
        let menu = menu
            .choice(
                'h',
                format!("hunk by hunk ({hunks}), from the first one above"),
            )
            .choice('v', "view the full diff in a pager")
            .choice('e', "edit")
            .choice('l', "leave unresolved (conflict markers around the body)")
            .choice('b', "back")
            .choice('q', "quit without writing")
            .undo(cx.last.as_deref())
            .default_key(match &kept {
                Some(_) => Some('k'),
                None => previous_key(prev),
            });
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
                let a = format!("{} ({})", cx.name(Side::Upstream), cx.label(Side::Upstream));
                let b = format!("{} ({})", cx.name(Side::Stashed), cx.label(Side::Stashed));
                let diff = text::unified(up, st, &a, &b, cx.look);
                if cx.p.page(&diff)? == Reply::Quit {
                    return Ok(Step::Quit);
                }
            }
            Some('h') => match by_hunk(cx, pos, &cuts)? {
                Walk::Done(text, how) => return Ok(resolution_of(cx, text, how)),
                Walk::Back => {}
                Walk::Quit => return Ok(Step::Quit),
            },
            Some('e') => {
                let mut body = String::new();
                // Going back to an edit: the editor opens on it again.
                let before = match &kept {
                    Some((Resolution::Text(t), How::Edited, _)) => Some(t.as_str()),
                    _ => None,
                };
                for p in cuts.iter().filter(|_| before.is_none()) {
                    match p {
                        Piece::Same(t) => body.push_str(t),
                        Piece::Hunk(h) => body.push_str(&edit::both(
                            &h.up,
                            &h.st,
                            &cx.markers(),
                            arts.upstream.eol,
                        )),
                    }
                }
                if let Some(t) = before {
                    body = t.to_owned();
                }
                let job = EditJob {
                    what: "the body",
                    rule: "The result is the new body (Markdown), without conflict markers.",
                    body,
                    suffix: ".md",
                    final_eol: up.ends_with('\n') || st.ends_with('\n'),
                };
                match edit::edit_loop(cx, job, |cx, text| {
                    cx.check_whole(decisions, &Part::Body, &Resolution::Text(text.to_owned()))?;
                    Ok(text.to_owned())
                })? {
                    Edited::Done(text) => return Ok(resolution_of(cx, text, How::Edited)),
                    Edited::Cancelled => {}
                    Edited::Quit => return Ok(Step::Quit),
                }
            }
            _ => return Ok(Step::Quit),
        }
    }
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
    let context = |t: &str| -> String {
        paint_lines(&plain_lines(t), None, look, cx.width(), "    ")
            .lines()
            .map(|l| look.dim(l) + "\n")
            .collect()
    };
    let mut s = format!(
        "\n{} {}  hunk {n}/{total}\n",
        look.head(pos),
        look.bold("body")
    );
    if let Some(Piece::Same(t)) = at.checked_sub(1).map(|i| &cuts[i]) {
        s.push_str(&context(&some_lines(t, 2, true)));
    }
    if let Some(base) = &cx.file.articles.base {
        // With the base: each side's words marked against it, and the base
        // shown too (a column of its own from 150 columns, else below).
        let b = base_lines(base.body, cx.file.articles.upstream.body, h.lines.clone());
        let (lb, lu, ls) = (plain_lines(&b), against(&b, &h.up), against(&b, &h.st));
        let lb: Vec<_> = lb.into_iter().map(excerpt).collect();
        let titles = Side::BOTH.map(|side| {
            let sign = if side == Side::Upstream { "−" } else { "+" };
            format!("{} {}", look.side(side, sign), cx.side_title(side))
        });
        let nothing = Side::BOTH.map(|side| format!("(nothing on {})", cx.name(side)));
        let empty = |t: &str, what: &'static str| t.is_empty().then_some(what);
        let gone = [
            h.up.is_empty().then_some(nothing[0].as_str()),
            h.st.is_empty().then_some(nothing[1].as_str()),
        ];
        let base_title = look.dim("base");
        if cx.width() >= THREE_COLUMNS {
            s.push_str(&columns(
                &[&base_title, &titles[0], &titles[1]],
                &[
                    (&lb, None, empty(&b, "(nothing in the base)")),
                    (&lu, Some(Side::Upstream), gone[0]),
                    (&ls, Some(Side::Stashed), gone[1]),
                ],
                look,
                cx.width(),
                "  ",
            ));
        } else {
            if cx.width() >= SIDE_BY_SIDE {
                s.push_str(&columns(
                    &[&titles[0], &titles[1]],
                    &[
                        (&lu, Some(Side::Upstream), gone[0]),
                        (&ls, Some(Side::Stashed), gone[1]),
                    ],
                    look,
                    cx.width(),
                    "  ",
                ));
            } else {
                for (side, lines, sign, none) in [
                    (Side::Upstream, &lu, "  − ", gone[0]),
                    (Side::Stashed, &ls, "  + ", gone[1]),
                ] {
                    match none {
                        Some(what) => {
                            s.push_str(&format!("{}{}\n", look.side(side, sign), look.dim(what)))
                        }
                        None => s.push_str(&paint_lines(
                            lines,
                            Some(side),
                            look,
                            cx.width(),
                            &look.side(side, sign),
                        )),
                    }
                }
            }
            s.push_str(&format!("  {base_title}\n"));
            match empty(&b, "(nothing in the base)") {
                Some(what) => s.push_str(&format!("    {}\n", look.dim(what))),
                None => s.push_str(&paint_lines(&lb, None, look, cx.width(), "    ")),
            }
        }
        if let Some(Piece::Same(t)) = cuts.get(at + 1) {
            s.push_str(&context(&some_lines(t, 2, false)));
        }
        return s;
    }
    if cx.width() >= SIDE_BY_SIDE {
        // Wide enough: the hunk's two versions side by side, paragraph
        // against paragraph, the words that differ marked.
        let titles = Side::BOTH.map(|side| {
            let sign = if side == Side::Upstream { "−" } else { "+" };
            format!("{} {}", look.side(side, sign), cx.side_title(side))
        });
        let nothing = Side::BOTH.map(|side| format!("(nothing on {})", cx.name(side)));
        let empty = [h.up.is_empty(), h.st.is_empty()];
        s.push_str(&side_by_side(
            [&titles[0], &titles[1]],
            &inline_blocks(&h.up, &h.st),
            [0, 1].map(|i| empty[i].then_some(nothing[i].as_str())),
            look,
            cx.width(),
            "  ",
        ));
        if let Some(Piece::Same(t)) = cuts.get(at + 1) {
            s.push_str(&context(&some_lines(t, 2, false)));
        }
        return s;
    }
    let (la, lb) = inline_lines(&h.up, &h.st);
    for (side, text, lines, sign) in [
        (Side::Upstream, &h.up, la, "  − "),
        (Side::Stashed, &h.st, lb, "  + "),
    ] {
        if text.is_empty() {
            s.push_str(&format!(
                "{}{}\n",
                look.side(side, sign),
                look.dim(&format!("(nothing on {})", cx.name(side)))
            ));
        } else {
            let first = look.side(side, sign);
            s.push_str(&paint_lines(&lines, Some(side), look, cx.width(), &first));
        }
    }
    if let Some(Piece::Same(t)) = cuts.get(at + 1) {
        s.push_str(&context(&some_lines(t, 2, false)));
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
        .choice(
            'l',
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
    let markers = cx.markers();
    let eol = cx.file.articles.upstream.eol;
    let conflict = |h: &Hunk| edit::both(&h.up, &h.st, &markers, eol);
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
