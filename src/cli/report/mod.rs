//! Human and JSON renderings of comparisons: the at-a-glance `diff` view.
//!
//! ```text
//! post.md: 2 conflicts (Updated upstream ↔ Stashed changes)
//!   title        changed  "Version A" → "Version B"
//!   author       same
//!   schema       changed: name, description
//!   body         changed  +102 −95 lines in 30 hunks
//!   links        3 only upstream, 3 only stashed
//! ```
//!
//! Everything shown to a person passes through [`escape`]'s functions: the
//! pieces that came from files, paths, labels and configs, and the printed
//! text as a whole ([`Stream::print`]).

mod escape;
pub(crate) mod index;
pub(crate) mod skipped;
pub(crate) mod wrap;

pub(crate) use escape::{errln, outln};
pub(crate) use escape::{
    error, escape, escape_in, escape_lines, json_text, path, print_json, Layout, Stream,
};
pub(crate) use wrap::wrap;

use std::borrow::Cow;
use std::path::Path;

use console::{measure_text_width, style, truncate_str};
use serde::Serialize;
use similar::DiffTag;

use crate::article::{Article, KeyPath, Value};
use crate::conflict::refine::shared_ends;
use crate::conflict::scan::Labels;
use crate::conflict::sides::{Side, Sides};
use crate::merge::compare::{BodyDiff, Change, Comparison, LinkStatus, DIFF_DEADLINE};

/// The body's line counts: the comparison's when it counted them, else
/// counted now (the overview and the body question show these same numbers).
pub(crate) fn body_counts<'a>(
    cmp: &'a Comparison,
    articles: &Sides<Article<'_>>,
) -> Cow<'a, BodyDiff> {
    if cmp.body.counted {
        Cow::Borrowed(&cmp.body)
    } else {
        Cow::Owned(crate::merge::compare::compare_body(
            articles.upstream.body,
            articles.stashed.body,
        ))
    }
}

/// A value on one line, as the overview quotes it.
fn one_line(v: &Value) -> String {
    v.display().replace('\n', " ")
}

/// Both values of a changed key, each at most `room` columns, quoted: when
/// they do not fit, the words that differ are shown and the common start and
/// end become `…`, so two long values never look the same.
///
/// ```text
/// "…подход: ключ к успеху…" → "…подход: как мы работаем в…"
/// ```
///
/// What screens add to two values that differ only in Unicode normalization
/// (they look the same: nothing else would tell them apart).
pub(crate) const NORMALIZATION_NOTE: &str =
    "the same text in another Unicode normalization (NFC against NFD): they differ only in how accented letters are encoded";

/// The third value is true when every change is shown whole.
pub(crate) fn changed_values(
    up: Option<&Value>,
    st: Option<&Value>,
    room: usize,
) -> (String, String, bool) {
    let inner = room.saturating_sub(2);
    // Escaped before they are cut: widths are then the shown ones.
    let shown = |v: &Value| escape(&one_line(v)).into_owned();
    match (up.map(shown), st.map(shown)) {
        (Some(a), Some(b)) => {
            let (a, b, whole) = excerpts_whole(&a, &b, inner);
            (format!("\"{a}\""), format!("\"{b}\""), whole)
        }
        (a, b) => {
            let whole = [&a, &b]
                .iter()
                .all(|v| v.as_ref().is_none_or(|v| measure_text_width(v) <= inner));
            let quote = |v: Option<String>| match v {
                None => "(absent)".to_owned(),
                Some(v) => format!("\"{}\"", truncate_str(&v, inner, "…")),
            };
            (quote(a), quote(b), whole)
        }
    }
}

/// The parts of `a` and `b` that differ, each cut to `room` columns: the
/// common start and end are replaced by `…` at word boundaries, keeping one
/// word of context before the change when it fits. Every change is shown:
/// where the words differ in several places, the common words between them
/// become `…` too. The flag: whether every change is shown whole (`false`:
/// some changed words had to be cut to fit).
///
/// ```text
/// "…опыт, качество сервиса,…"  →  "…обслуживания, клиентский сервис,…"   one change
/// "one two … six seven…"       →  "one 2 … six 7…"                        two changes
/// ```
pub(crate) fn excerpts_whole(a: &str, b: &str, room: usize) -> (String, String, bool) {
    if measure_text_width(a) <= room && measure_text_width(b) <= room {
        return (a.to_owned(), b.to_owned(), true);
    }
    // One stretch from the first change to the last, when it fits.
    let one = one_change(a, b, room);
    if one.2 {
        return one;
    }
    let parts = stretches(a, b);
    let count = |f: fn(&Stretch) -> usize| parts.iter().map(f).sum::<usize>();
    let changes = count(|p| usize::from(matches!(p, Stretch::Differ(..))));
    if changes < 2 {
        return one;
    }
    if let Some((a, b)) = several_whole(&parts, room) {
        return (a, b, true);
    }
    // A rewrite (a few common words scattered through new text) reads
    // better as one stretch cut short than as crumbs of every change.
    let last = parts.len() - 1;
    let kept: usize = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 0 && *i != last)
        .map(|(_, p)| match p {
            Stretch::Same(t) => words_of(t).len(),
            Stretch::Differ(..) => 0,
        })
        .sum();
    let changed = count(|p| match p {
        Stretch::Differ(x, y) => words_of(x).len().max(words_of(y).len()),
        Stretch::Same(_) => 0,
    });
    if kept * 3 < changed {
        return one;
    }
    let (a, b) = several_cut(&parts, room);
    (a, b, false)
}

/// A stretch of two values compared word by word.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stretch {
    /// Words equal on both sides.
    Same(String),
    /// Words that differ: `a`'s, then `b`'s (either may be empty).
    Differ(String, String),
}

/// `a` and `b` cut into equal and differing stretches, word by word: a
/// word is compared without the spaces after it, and only words anchor, so
/// two changes a space apart are one.
fn stretches(a: &str, b: &str) -> Vec<Stretch> {
    let (wa, wb) = (words(a), words(b));
    let (ta, tb): (Vec<&str>, Vec<&str>) = (
        wa.iter().map(|w| w.trim_end()).collect(),
        wb.iter().map(|w| w.trim_end()).collect(),
    );
    let deadline = std::time::Instant::now() + DIFF_DEADLINE;
    let ops =
        similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &ta, &tb, Some(deadline));
    let mut out: Vec<Stretch> = Vec::new();
    for op in ops {
        let (x, y) = (wa[op.old_range()].concat(), wb[op.new_range()].concat());
        match (op.tag(), out.last_mut()) {
            (DiffTag::Equal, _) => out.push(Stretch::Same(x)),
            (_, Some(Stretch::Differ(pa, pb))) => {
                pa.push_str(&x);
                pb.push_str(&y);
            }
            _ => out.push(Stretch::Differ(x, y)),
        }
    }
    out
}

/// What an excerpt is made of: kept text, or a `…` for common words left out.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Bit {
    Text(String),
    Gap,
}

/// Splits text into words, each with the whitespace that follows it
/// (whitespace before the first word is a piece of its own).
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The words of `text` without the whitespace in front.
fn words_of(text: &str) -> Vec<&str> {
    words(text.trim_start())
}

/// The first `n` words of `text` (with the spaces around them).
fn first_words(text: &str, n: usize) -> String {
    let lead = &text[..text.len() - text.trim_start().len()];
    format!("{lead}{}", words_of(text)[..n].concat())
}

/// The last `n` words of `text`.
fn last_words(text: &str, n: usize) -> String {
    let w = words_of(text);
    w[w.len() - n..].concat()
}

/// One side's excerpt when the values differ in several places: every
/// change, with `context` common words on either side of it, the rest `…`,
/// each change at most `cap` columns.
fn several(parts: &[Stretch], side: usize, context: usize, cap: usize) -> String {
    let last = parts.len() - 1;
    let mut bits: Vec<Bit> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        match part {
            Stretch::Same(text) => {
                let n = words_of(text).len();
                if i == 0 && n > context {
                    bits.extend([Bit::Gap, Bit::Text(last_words(text, context))]);
                } else if i == last && n > context {
                    bits.extend([Bit::Text(first_words(text, context)), Bit::Gap]);
                } else if i != 0 && i != last && n > 2 * context + 1 {
                    bits.extend([
                        Bit::Text(first_words(text, context)),
                        Bit::Gap,
                        Bit::Text(last_words(text, context)),
                    ]);
                } else {
                    bits.push(Bit::Text(text.clone()));
                }
            }
            Stretch::Differ(x, y) => {
                let t = if side == 0 { x } else { y };
                // A cut change keeps the space after it.
                let word = t.trim_end();
                let cut = truncate_str(word, cap, "…");
                bits.push(Bit::Text(format!("{cut}{}", &t[word.len()..])));
            }
        }
    }
    join_bits(&bits)
}

/// Both excerpts with every change whole and the same common words on both
/// sides, as many as fit in `room` columns; `None` when the changes alone
/// are too wide.
fn several_whole(parts: &[Stretch], room: usize) -> Option<(String, String)> {
    [2, 1, 0].into_iter().find_map(|context| {
        let (a, b) = (
            several(parts, 0, context, usize::MAX),
            several(parts, 1, context, usize::MAX),
        );
        (measure_text_width(&a) <= room && measure_text_width(&b) <= room).then_some((a, b))
    })
}

/// Both excerpts with each side's changes cut to what fits, every one shown.
fn several_cut(parts: &[Stretch], room: usize) -> (String, String) {
    let cut = |side: usize| {
        (1..=room)
            .rev()
            .map(|cap| several(parts, side, 0, cap))
            .find(|t| measure_text_width(t) <= room)
            .unwrap_or_else(|| truncate_str(&several(parts, side, 0, 1), room, "…").into_owned())
    };
    (cut(0), cut(1))
}

/// The bits as one line: a `…` at the start or end is joined to its
/// neighbour (`…word`, `word…`), one between two texts stands between
/// spaces; nothing but spaces between two gaps makes them one.
fn join_bits(bits: &[Bit]) -> String {
    let mut merged: Vec<Bit> = Vec::new();
    for bit in bits {
        match (merged.last_mut(), bit) {
            (Some(Bit::Gap), Bit::Gap) => {}
            (Some(Bit::Text(t)), Bit::Text(u)) => t.push_str(u),
            _ => merged.push(bit.clone()),
        }
    }
    // Spaces alone between gaps, or at an end next to a gap, say nothing.
    let blank = |b: &Bit| matches!(b, Bit::Text(t) if t.trim().is_empty());
    let mut i = 0;
    while i < merged.len() {
        if blank(&merged[i]) {
            merged.remove(i);
            if i > 0 && i < merged.len() && merged[i - 1] == Bit::Gap && merged[i] == Bit::Gap {
                merged.remove(i);
            }
        } else {
            i += 1;
        }
    }
    let last = merged.len().saturating_sub(1);
    let mut out = String::new();
    for (i, bit) in merged.iter().enumerate() {
        match bit {
            Bit::Text(t) => {
                let t = if i > 0 { t.trim_start() } else { t.as_str() };
                let t = if i < last { t.trim_end() } else { t };
                out.push_str(t);
            }
            // A change cut short already ends in `…`.
            Bit::Gap if out.ends_with('…') => {}
            Bit::Gap if i == 0 || i == last => out.push('…'),
            Bit::Gap => out.push_str(" … "),
        }
    }
    out
}

/// [`excerpts_whole`] with everything from the first change to the last as
/// one stretch.
fn one_change(a: &str, b: &str, room: usize) -> (String, String, bool) {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (mut pre, mut suf) = shared_ends(&ca, &cb);
    // Whole words: the common start ends after a space, the common end
    // starts with one (a changed word is shown whole).
    while pre > 0 && !ca[pre - 1].is_whitespace() {
        pre -= 1;
    }
    while suf > 0 && !ca[ca.len() - suf].is_whitespace() {
        suf -= 1;
    }
    // One word of context before the change, when there is a common start.
    let mut ctx = pre;
    if pre > 0 {
        ctx -= 1;
        while ctx > 0 && !ca[ctx - 1].is_whitespace() {
            ctx -= 1;
        }
    }
    let cut = |cs: &[char], from: usize| -> String {
        let middle: String = cs[from..cs.len() - suf].iter().collect();
        let lead = if from > 0 { "…" } else { "" };
        let tail = if suf > 0 { "…" } else { "" };
        let whole = format!("{lead}{middle}{tail}");
        if measure_text_width(&whole) <= room {
            whole
        } else {
            let keep = room.saturating_sub(measure_text_width(lead));
            format!("{lead}{}", truncate_str(&middle, keep, "…"))
        }
    };
    let fits = |from: usize| {
        [&ca, &cb].iter().all(|cs| {
            let middle = cs.len() - suf - from;
            let marks = usize::from(from > 0) + usize::from(suf > 0);
            measure_text_width(&cs[from..from + middle].iter().collect::<String>()) + marks <= room
        })
    };
    // The change itself too wide at word boundaries (one long word such as a
    // timestamp): start a few characters before the first that differs.
    let raw = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let from = if pre > 0 && fits(ctx) {
        ctx
    } else if fits(pre) || raw - pre < 4 {
        pre
    } else {
        raw.saturating_sub(3)
    };
    (cut(&ca, from), cut(&cb, from), fits(pre))
}

pub(crate) use crate::conflict::sides::SideNames;

/// One line describing a change, coloured.
pub(crate) fn change_word(change: Change, names: SideNames) -> String {
    match change {
        Change::Same => style("same").dim().to_string(),
        Change::Changed => style("changed").yellow().to_string(),
        Change::OnlyUpstream => style(format!("only {}", names.upstream)).red().to_string(),
        Change::OnlyStashed => style(format!("only {}", names.stashed)).green().to_string(),
    }
}

/// The links line, e.g. `2 in both, 3 only upstream, 3 only stashed`.
pub(crate) fn links_summary(cmp: &Comparison, names: SideNames) -> String {
    let count = |s: LinkStatus| cmp.links.links.iter().filter(|l| l.status == s).count();
    let mut parts = Vec::new();
    for (s, word) in [
        (LinkStatus::Both, "in both".to_owned()),
        (LinkStatus::Retitled, "retitled".to_owned()),
        (LinkStatus::OnlyUpstream, format!("only {}", names.upstream)),
        (LinkStatus::OnlyStashed, format!("only {}", names.stashed)),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// The at-a-glance comparison of one conflicted file, `width` columns wide:
/// what `diff` prints ([`diff_header`], [`diff_rows`]) without its counts of
/// answers and marks. For the tests and the fuzz target (`cli::fuzzing`).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn diff_view(
    path: &Path,
    conflicts: usize,
    labels: Labels<'_>,
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    width: usize,
) -> String {
    diff_header(path, conflicts, 0, labels, width)
        + &diff_rows((articles, articles), cmp, width, &[], SideNames::STASH)
}

/// `9 decisions, 1 answered by a rule`: the questions the picker asks (a
/// key group is one), and how many of them a field rule has an answer for.
/// The same words in `diff` and in the picker.
pub(crate) fn decisions_said(decisions: usize, answered: usize) -> String {
    let mut s = format!(
        "{decisions} decision{}",
        if decisions == 1 { "" } else { "s" }
    );
    if answered > 0 {
        s += &format!(", {answered} answered by a rule");
    }
    s
}

/// The view's first line, `post.md: 2 decisions (Updated upstream ↔ Stashed
/// changes)`: the questions the picker asks about (see [`decisions_said`]).
/// Wrapped at words to `width` columns.
pub(crate) fn diff_header(
    path: &Path,
    decisions: usize,
    answered: usize,
    labels: Labels<'_>,
    width: usize,
) -> String {
    wrap(
        &format!(
            "{}: {} ({} ↔ {})",
            style(self::path(path)).bold(),
            decisions_said(decisions, answered),
            style(escape(labels.upstream)).red(),
            style(escape(labels.stashed)).green(),
        ),
        width,
        "  ",
    )
}

/// The rows of the diff view below its [`diff_header`]: one per key, then body and links;
/// `marks` pairs a key with a mark after it, e.g. `[newest from defaults → stashed]`.
pub(crate) fn diff_rows(
    (articles, keyed): (&Sides<Article<'_>>, &Sides<Article<'_>>),
    cmp: &Comparison,
    width: usize,
    marks: &[(String, String)],
    names: SideNames,
) -> String {
    let mut out = String::new();
    let name_w = cmp
        .keys
        .values()
        .map(|k| measure_text_width(&escape(&k.key.to_string())))
        .chain([5])
        .max()
        .unwrap_or(5)
        // Long key paths are cut, not the rows: a third of the screen at
        // most, so that `body  changed  +60 −62 lines in 34 hunks` fits.
        .min(24)
        .min((width / 3).max(5));
    // Padded to display columns: a wide character (标题, 🎉) takes two.
    let pad = |s: &str| console::pad_str(s, name_w, console::Alignment::Left, None).into_owned();
    for k in cmp.keys.values() {
        let mut line = format!(
            "  {}  {}",
            pad(&truncate_str(&escape(&k.key.to_string()), name_w, "…")),
            change_word(k.change, names)
        );
        let mark = marks
            .iter()
            .find(|(key, _)| *key == k.key.to_string())
            .map(|(_, m)| format!("[{m}]"));
        if let Some(m) = &mark {
            line.push_str(&format!("  {}", style(escape(m)).cyan()));
        }
        let indent = name_w + 4;
        if k.change == Change::Changed && k.inner.is_empty() {
            changed_value(&mut line, keyed, cmp, &k.key, width, indent, names);
            out.push_str(&line);
        } else if k.change == Change::Changed {
            line.push(':');
            let inner: Vec<String> = k.inner.iter().map(|i| escape(i).into_owned()).collect();
            out.push_str(&wrap_list(&line, &inner, width, indent));
        } else {
            out.push_str(&truncate_str(&line, width.max(20), "…"));
        }
        out.push('\n');
    }
    let b = body_counts(cmp, articles);
    let body = match b.change {
        Change::Same => change_word(Change::Same, names),
        c => format!(
            "{}  {} {} lines in {} hunk{}",
            change_word(c, names),
            style(format!("+{}", b.added)).green(),
            style(format!("−{}", b.removed)).red(),
            b.hunks,
            if b.hunks == 1 { "" } else { "s" }
        ),
    };
    // How the base or a rule settles the body and the links, when it does.
    let mark = |part: &str| {
        marks
            .iter()
            .find(|(p, _)| p == part)
            .map(|(_, m)| format!("  {}", style(format!("[{}]", escape(m))).cyan()))
            .unwrap_or_default()
    };
    // Rows wrap at spaces under their values, the names' column kept.
    let under = " ".repeat(name_w + 4);
    out.push_str(&wrap(
        &format!("  {}  {body}{}", pad("body"), mark("body")),
        width,
        &under,
    ));
    let links = match cmp.links.change {
        Change::Same if cmp.links.links.is_empty() => style("none").dim().to_string(),
        Change::Same => format!(
            "{}  {}",
            change_word(Change::Same, names),
            links_summary(cmp, names)
        ),
        c => format!("{}  {}", change_word(c, names), links_summary(cmp, names)),
    };
    out.push_str(&wrap(
        &format!("  {}  {links}{}", pad("links"), mark("links")),
        width,
        &under,
    ));
    out
}

/// The values of `key`, changed on both sides (no inner keys), after its
/// name in `line`: beside it when both values get 20 columns, else one row
/// each under it (`indent` columns in), named, with the whole width for the
/// words that differ; and a note when they differ only in Unicode
/// normalization.
/// Below this many columns for a changed value's excerpt, the two sides'
/// rows start at the left and wrap (see [`changed_value`]).
const NARROW_VALUES: usize = 30;

fn changed_value(
    line: &mut String,
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    key: &KeyPath,
    width: usize,
    indent: usize,
    names: SideNames,
) {
    let (up, st) = (
        cmp.value_on(articles, key, Side::Upstream),
        cmp.value_on(articles, key, Side::Stashed),
    );
    let beside = width.saturating_sub(measure_text_width(line) + 2 + 3) / 2;
    let (a, b, whole) = changed_values(up, st, beside);
    if whole {
        line.push_str(&format!("  {} → {}", style(a).red(), style(b).green()));
    } else {
        let name_w = measure_text_width(names.upstream).max(measure_text_width(names.stashed));
        // Under the value column; where that cuts a changed word on a
        // narrow terminal, from the left, and over up to three rows when
        // that shows every change whole.
        let mut room = width.saturating_sub(indent + name_w + 1);
        let (mut a, mut b, whole) = changed_values(up, st, room);
        let mut indent = indent;
        if !whole && room < NARROW_VALUES {
            indent = 4;
            room = width.saturating_sub(indent + name_w + 1);
            (a, b) = match changed_values(up, st, 3 * room) {
                (a3, b3, true) => (a3, b3),
                _ => {
                    let (a1, b1, _) = changed_values(up, st, room);
                    (a1, b1)
                }
            };
        }
        let lead = " ".repeat(indent);
        let hang = " ".repeat(indent + name_w + 1);
        for (name, value, red) in [(names.upstream, a, true), (names.stashed, b, false)] {
            let name = console::pad_str(name, name_w, console::Alignment::Left, None);
            let row = format!("{lead}{name} {value}");
            let row = wrap(&row, width, &hang);
            let row = row.trim_end_matches('\n');
            line.push('\n');
            line.push_str(&if red {
                style(row).red().to_string()
            } else {
                style(row).green().to_string()
            });
        }
    }
    if let (Some(a), Some(b)) = (up, st) {
        if crate::merge::tree::same_but_normalization(a, b) {
            line.push_str(&format!(
                "\n{}{}",
                " ".repeat(indent),
                style(format!("note: {NORMALIZATION_NOTE}")).dim()
            ));
        }
    }
}

/// `text` with every row wider than `width` wrapped at spaces, its rows
/// after the first indented two columns deeper than it: what a terminal of
/// `width` columns shows without cutting a word (but one wider than a row,
/// cut at the width: see [`wrap`]). Rows that fit are left exactly as they are.
pub(crate) fn fit_rows(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let row = line.trim_end_matches(['\r', '\n']);
        if measure_text_width(row) <= width {
            out.push_str(line);
            continue;
        }
        let lead = row.len() - row.trim_start_matches(' ').len();
        let indent = " ".repeat((lead + 2).min(width / 3));
        let wrapped = wrap(row, width, &indent);
        out.push_str(if line.ends_with('\n') {
            &wrapped
        } else {
            wrapped.trim_end_matches('\n')
        });
    }
    out
}

/// `head` followed by `items` separated by commas, wrapped at `width`
/// between items (an item is never broken at its own spaces); continuation
/// rows start `indent` columns in.
fn wrap_list(head: &str, items: &[String], width: usize, indent: usize) -> String {
    let last = items.len().saturating_sub(1);
    let mut units: Vec<wrap::Unit<'_, ()>> = vec![vec![((), head), ((), " ")]];
    for (i, item) in items.iter().enumerate() {
        units.push(vec![
            ((), item.as_str()),
            ((), if i < last { ", " } else { "" }),
        ]);
    }
    let rows = wrap::fill(&units, width, width.saturating_sub(indent), |()| false);
    let rows: Vec<String> = rows
        .iter()
        .map(|r| r.iter().map(|(_, t)| t.as_str()).collect::<String>())
        .collect();
    rows.iter()
        .map(|r| r.trim_end_matches(' '))
        .collect::<Vec<_>>()
        .join(&format!("\n{}", " ".repeat(indent)))
}

/// The JSON form of one file's comparison: what the screen shows, with the
/// sides named as the operation names them.
#[derive(Serialize)]
pub(crate) struct DiffJson<'a> {
    /// The file.
    pub(crate) path: String,
    /// The git operation in progress (`merge`, `rebase`, `stash pop/apply`…),
    /// `null` outside one.
    pub(crate) operation: Option<&'static str>,
    /// What the sides are called: `upstream`/`stashed` after a stash pop,
    /// `ours`/`theirs` in a merge, rebase or cherry-pick.
    pub(crate) sides: SideNamesJson,
    /// Number of conflict hunks in the file itself (its `<<<<<<<` lines).
    pub(crate) conflicts: usize,
    /// Number of decisions: the questions the picker asks (a key group is
    /// one; a key a rule answers is asked with that answer preselected).
    pub(crate) decisions: usize,
    /// Of those, how many a field rule has an answer for.
    pub(crate) answered: usize,
    /// Every differing part settled without asking: by the base or a rule, and how.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) settled: Vec<RuleJson>,
    /// Labels git wrote.
    pub(crate) labels: LabelsJson<'a>,
    /// The comparison.
    #[serde(flatten)]
    pub(crate) comparison: &'a Comparison,
    /// The keys a field rule would settle.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) rules: Vec<RuleJson>,
    /// Rules that cannot settle their key, and why (sides named).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
    /// Every differing part, in the screen's order: open (a decision) or
    /// settled, and how.
    pub(crate) parts: Vec<PartJson>,
}

/// The sides' names, as JSON.
#[derive(Serialize)]
pub(crate) struct SideNamesJson {
    /// The `<<<<<<<` side's name.
    pub(crate) upstream: &'static str,
    /// The `>>>>>>>` side's name.
    pub(crate) stashed: &'static str,
}

impl From<SideNames> for SideNamesJson {
    fn from(n: SideNames) -> Self {
        SideNamesJson {
            upstream: n.upstream,
            stashed: n.stashed,
        }
    }
}

/// One differing part, as JSON.
#[derive(Serialize)]
pub(crate) struct PartJson {
    /// The key, or `body`, `links`.
    pub(crate) part: String,
    /// How it differs.
    pub(crate) change: Change,
    /// `open` (left for a decision) or `settled`.
    pub(crate) status: &'static str,
    /// Settled: `upstream`, `stashed`, `base` or `merged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<&'static str>,
    /// Settled by taking a side: that side's name for the operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) side: Option<&'static str>,
    /// Settled: by what (`base`, `rule`…, see `Reason::by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) by: Option<&'static str>,
    /// Settled: the reason as the screen words it, sides named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
    /// For a key whose two values are text: the stretches of words that
    /// differ, in order, each side's words (what the excerpts show).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) changes: Vec<WordsJson>,
}

/// One stretch of words that differ between the sides' values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct WordsJson {
    /// The `<<<<<<<` side's words (may be empty).
    pub(crate) upstream: String,
    /// The `>>>>>>>` side's words (may be empty).
    pub(crate) stashed: String,
}

/// The stretches of words that differ between two one-line values, in
/// order, spaces at their ends trimmed.
pub(crate) fn changed_words(a: &str, b: &str) -> Vec<WordsJson> {
    stretches(a, b)
        .into_iter()
        .filter_map(|s| match s {
            Stretch::Differ(x, y) => Some(WordsJson {
                upstream: x.trim().to_owned(),
                stashed: y.trim().to_owned(),
            }),
            Stretch::Same(_) => None,
        })
        .collect()
}

/// The word changes of `key`, when both sides hold it as a value with no
/// inner keys listed instead.
pub(crate) fn key_changes(
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    key: &KeyPath,
) -> Vec<WordsJson> {
    let Some(k) = cmp.keys.get(key) else {
        return Vec::new();
    };
    match (
        cmp.value_on(articles, key, Side::Upstream),
        cmp.value_on(articles, key, Side::Stashed),
    ) {
        (Some(a), Some(b)) if k.change == Change::Changed && k.inner.is_empty() => {
            changed_words(&one_line(a), &one_line(b))
        }
        _ => Vec::new(),
    }
}

/// A key a field rule would settle, as JSON.
#[derive(Serialize)]
pub(crate) struct RuleJson {
    /// The key (or `body`, `links`).
    pub(crate) key: String,
    /// `upstream`, `stashed` or `merged`.
    pub(crate) result: String,
    /// The rule, where it comes from, and what it found.
    pub(crate) reason: String,
}

/// Labels as JSON.
#[derive(Serialize)]
pub(crate) struct LabelsJson<'a> {
    /// After `<<<<<<<`.
    pub(crate) upstream: &'a str,
    /// After `|||||||`.
    pub(crate) base: Option<&'a str>,
    /// After `>>>>>>>`.
    pub(crate) stashed: &'a str,
}

impl<'a> From<Labels<'a>> for LabelsJson<'a> {
    fn from(l: Labels<'a>) -> Self {
        LabelsJson {
            upstream: l.upstream,
            base: l.base,
            stashed: l.stashed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::merge::compare::compare;

    /// The two excerpts of [`excerpts_whole`].
    fn excerpts(a: &str, b: &str, room: usize) -> (String, String) {
        let (a, b, _) = excerpts_whole(a, b, room);
        (a, b)
    }

    /// `diff`'s view of two versions (labelled `up` and `st`, no colours),
    /// `width` columns wide.
    fn view(up: &str, st: &str, decisions: usize, width: usize) -> String {
        console::set_colors_enabled(false);
        let o = ArticleOptions::default();
        let arts = Sides::new(parse(up, &o).unwrap(), parse(st, &o).unwrap(), None);
        let cmp = compare(arts.as_ref());
        let labels = Labels {
            upstream: "up",
            base: None,
            stashed: "st",
        };
        diff_view(Path::new("p.md"), decisions, labels, &arts, &cmp, width)
    }

    #[test]
    fn at_40_columns_no_changed_word_is_cut() {
        let long = "This is a long description that goes on and talks about many things and \
                    then ends with a link to https://example.com/a/path and then ends.";
        let up = long
            .replace("many things", "numerous things")
            .replace("then ends.", "finally ends.");
        let st = long
            .replace("many things", "several things")
            .replace("example.com", "example.org");
        let art = |v: &str| format!("---\ndescription: \"{v}\"\n---\nb\n");
        let v = view(&art(&up), &art(&st), 1, 40);
        for row in v.lines() {
            assert!(measure_text_width(row) <= 40, "{row:?}\n{v}");
        }
        let words: Vec<&str> = v.split_whitespace().collect();
        for changed in ["numerous", "several", "https://example.org/a/path"] {
            assert!(
                words.iter().any(|w| w.trim_matches(['"', '…']) == changed),
                "{changed}:\n{v}"
            );
        }
        assert!(v.contains("finally"), "{v}");
    }

    #[test]
    fn keys_with_wide_characters_are_padded_by_display_columns() {
        let v = view(
            "---\n标题: 上\nx: 1\n\"🎉e\": a\n---\nb\n",
            "---\n标题: 隐\nx: 2\n\"🎉e\": c\n---\nb\n",
            3,
            100,
        );
        let at: Vec<usize> = v
            .lines()
            .filter_map(|l| l.find("changed").map(|i| measure_text_width(&l[..i])))
            .collect();
        assert_eq!(at.len(), 3, "{v}");
        assert!(at.iter().all(|&c| c == at[0]), "{at:?}\n{v}");
    }

    #[test]
    fn one_line_per_key_then_body_and_links() {
        let v = view(
            "---\ntitle: A\nx: 1\n---\nb\n## Related\n- [a](/a)\n",
            "---\ntitle: B\nx: 1\n---\nc\n## Related\n- [b](/b)\n",
            1,
            100,
        );
        let lines: Vec<_> = v.lines().collect();
        assert_eq!(lines[0], "p.md: 1 decision (up ↔ st)");
        assert_eq!(lines[1], "  title  changed  \"A\" → \"B\"");
        assert_eq!(lines[2], "  x      same");
        assert_eq!(lines[3], "  body   changed  +1 −1 lines in 1 hunk");
        assert_eq!(
            lines[4],
            "  links  changed  1 only upstream, 1 only stashed"
        );
    }

    #[test]
    fn long_values_show_the_words_that_differ() {
        let (a, b) = excerpts(
            "Сервисный подход: ключ к успеху ButlerSPB",
            "Сервисный подход: как мы работаем в ButlerSPB",
            30,
        );
        assert_eq!(a, "…подход: ключ к успеху…");
        assert_eq!(b, "…подход: как мы работаем в…");
        // Short values are shown whole.
        assert_eq!(excerpts("A", "B", 30), ("A".into(), "B".into()));
        // A change at the end: no trailing ellipsis.
        let (a, b) = excerpts(
            "one two three four five six",
            "one two three four five seven",
            12,
        );
        assert_eq!((a.as_str(), b.as_str()), ("…five six", "…five seven"));
        // A change wider than the room is cut, still starting where it differs.
        let (a, b) = excerpts(
            "same start then alpha beta gamma",
            "same start then delta",
            12,
        );
        assert!(
            a.starts_with("…then alpha") || a.starts_with("…alpha"),
            "{a}"
        );
        assert!(
            measure_text_width(&a) <= 12 && measure_text_width(&b) <= 12,
            "{a} {b}"
        );
        assert_ne!(a, b);
    }

    #[test]
    fn every_change_is_shown_with_the_common_words_between_them_elided() {
        let a = "one two three four five six seven eight nine ten eleven twelve";
        let b = "one 2 three four five six seven eight nine ten 11 twelve";
        for room in [24, 30, 40] {
            let (x, y, whole) = excerpts_whole(a, b, room);
            assert!(whole, "{room}: {x} / {y}");
            assert!(x.contains("two") && x.contains("eleven"), "{room}: {x}");
            assert!(y.contains('2') && y.contains("11"), "{room}: {y}");
            assert!(x.contains(" … ") && y.contains(" … "), "{room}: {x} / {y}");
            assert!(measure_text_width(&x) <= room && measure_text_width(&y) <= room);
        }
        // With room, context words around each change, the same on both sides.
        assert_eq!(
            excerpts(a, b, 44),
            (
                "one two three four … nine ten eleven twelve".into(),
                "one 2 three four … nine ten 11 twelve".into()
            )
        );
        assert_eq!(
            excerpts(a, b, 40),
            (
                "one two three … ten eleven twelve".into(),
                "one 2 three … ten 11 twelve".into()
            )
        );
        assert_eq!(
            excerpts(a, b, 24),
            ("…two … eleven…".into(), "…2 … 11…".into())
        );
        // A comma-separated list with items changed in two places.
        let a = "alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota";
        let b = "alpha, BETA, gamma, delta, epsilon, zeta, eta, THETA, iota";
        let (x, y) = excerpts(a, b, 30);
        assert!(x.contains("beta") && x.contains("theta"), "{x}");
        assert!(y.contains("BETA") && y.contains("THETA"), "{y}");
        // Too narrow for whole changes: each is cut, none is dropped.
        let a = "same words here then alphabetical changes here and again more words then omega";
        let b = "same words here then numerical changes here and again more words then zulu";
        let (x, y, whole) = excerpts_whole(a, b, 14);
        assert!(!whole);
        assert!(x.starts_with("…alph") && x.contains("om"), "{x}");
        assert!(y.starts_with("…num") && y.contains("zulu"), "{y}");
        assert!(measure_text_width(&x) <= 14 && measure_text_width(&y) <= 14);
    }

    #[test]
    fn a_rewrite_is_one_stretch_not_crumbs() {
        let a =
            "Разбираем, что такое сервисный подход и почему он стал основой работы в ButlerSPB.";
        let b =
            "В ButlerSPB мы ставим клиента в центр всего. Сервисный подход — это не просто услуга.";
        let (x, y, whole) = excerpts_whole(a, b, 30);
        assert!(!whole);
        assert!(x.starts_with("Разбираем, что такое"), "{x}");
        assert!(y.starts_with("В ButlerSPB мы ставим"), "{y}");
        assert_eq!(x.matches('…').count(), 1, "{x}");
    }

    #[test]
    fn narrow_rows_stack_the_two_values_under_the_key() {
        console::set_colors_enabled(false);
        let o = ArticleOptions::default();
        let a = parse("---\nd: one two three four five six seven eight nine ten eleven twelve thirteen fourteen\n---\nb\n", &o).unwrap();
        let b = parse("---\nd: one 2 three four five six seven eight nine ten eleven twelve thirteen 14\n---\nb\n", &o).unwrap();
        let arts = Sides::new(a, b, None);
        let cmp = compare(arts.as_ref());
        let names = SideNames {
            upstream: "ours",
            stashed: "theirs",
        };
        let narrow = diff_rows((&arts, &arts), &cmp, 40, &[], names);
        let rows: Vec<&str> = narrow.lines().collect();
        assert_eq!(rows[0], "  d      changed");
        assert!(
            rows[1].starts_with("         ours   \"") && rows[1].contains("two"),
            "{narrow}"
        );
        assert!(
            rows[2].starts_with("         theirs \"") && rows[2].contains("14"),
            "{narrow}"
        );
        assert!(
            narrow.lines().all(|r| measure_text_width(r) <= 40),
            "{narrow}"
        );
        let wide = diff_rows((&arts, &arts), &cmp, 120, &[], names);
        assert!(wide.lines().next().unwrap().contains(" → "), "{wide}");
    }

    #[test]
    fn words_wrap_at_spaces_with_an_indent() {
        let w = wrap(
            "post.md: 7 parts to decide (Updated upstream ↔ Stashed changes)",
            40,
            "  ",
        );
        assert_eq!(
            w,
            "post.md: 7 parts to decide (Updated\n  upstream ↔ Stashed changes)\n"
        );
    }

    #[test]
    fn a_list_wraps_between_items_under_its_indent() {
        let items: Vec<String> = ["name", "long description", "url"].map(String::from).into();
        assert_eq!(
            wrap_list("  schema changed:", &items, 34, 4),
            "  schema changed: name,\n    long description, url"
        );
        assert_eq!(
            wrap_list("  k:", &items, 80, 4),
            "  k: name, long description, url"
        );
    }
}
