//! Text for the picker's questions: word-level emphasis on what changed
//! (similar's inline changes), wrapping to the terminal width, colours.
//!
//! Without colour, emphasis is written the way `git diff --word-diff=plain`
//! does it, so it survives NO_COLOR and pipes:
//!
//! ```text
//! upstream   Сервисный подход: [-ключ к успеху-] ButlerSPB
//! stashed    Сервисный подход: {+как мы работаем в+} ButlerSPB
//! ```

use console::{measure_text_width, Style};
use similar::{ChangeTag, TextDiff};

use crate::cli::report::SideNames;
use crate::cli::report::{escape, escape_lines, wrap};
use crate::conflict::sides::Side;
use crate::merge::compare::{Change, DIFF_DEADLINE};

/// How text is painted: with colour, or plain with word-diff markers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Look {
    /// Whether ANSI colours and styles are written.
    pub(crate) color: bool,
    /// The lines were marked against the base: without colour, each side's
    /// marked words are its additions (`{+…+}`), not upstream's removals
    /// (`[-…-]`) against the stash's additions as between the two sides.
    pub(crate) against_base: bool,
}

impl Look {
    /// The same look, for lines marked against the base.
    pub(crate) fn against_base(self) -> Look {
        Look {
            against_base: true,
            ..self
        }
    }
}

impl Look {
    fn paint(self, style: Style, text: &str) -> String {
        style.force_styling(self.color).apply_to(text).to_string()
    }

    fn side_style(side: Side) -> Style {
        match side {
            Side::Upstream => Style::new().red(),
            Side::Stashed => Style::new().green(),
        }
    }

    /// Text in the colour of a side (red upstream, green stashed).
    pub(crate) fn side(self, side: Side, text: &str) -> String {
        self.paint(Self::side_style(side), text)
    }

    /// Bold text.
    pub(crate) fn bold(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Dim text, for context and hints.
    pub(crate) fn dim(self, text: &str) -> String {
        self.paint(Style::new().dim(), text)
    }

    /// Yellow text, for warnings.
    pub(crate) fn warn(self, text: &str) -> String {
        self.paint(Style::new().yellow().bold(), text)
    }

    /// Cyan text, for headings.
    pub(crate) fn head(self, text: &str) -> String {
        self.paint(Style::new().cyan().bold(), text)
    }

    /// How a part differs, in words and colour.
    pub(crate) fn change(self, change: Change, names: SideNames) -> String {
        match change {
            Change::Same => self.dim("same"),
            Change::Changed => self.paint(Style::new().yellow(), "changed"),
            Change::OnlyUpstream => self.side(Side::Upstream, &format!("only {}", names.upstream)),
            Change::OnlyStashed => self.side(Side::Stashed, &format!("only {}", names.stashed)),
        }
    }

    fn piece(self, side: Option<Side>, kind: Kind, text: &str) -> String {
        match (kind, side) {
            (Kind::Mark, _) | (_, None) => text.to_owned(),
            (Kind::Plain, Some(s)) => self.side(s, text),
            (Kind::Emph, Some(s)) => self.paint(Self::side_style(s).bold().underlined(), text),
        }
    }
}

/// What a piece of a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// Unchanged words.
    Plain,
    /// Words that differ from the other side.
    Emph,
    /// A plain-text emphasis marker (`[-`, `-]`, `{+`, `+}`).
    Mark,
}

/// One line of a value: pieces, `true` where the words differ.
pub(crate) type Line = Vec<(bool, String)>;

/// The lines of `up` and `st`, with the words that differ marked, from
/// similar's inline changes. Lines equal on both sides appear in both.
pub(crate) fn inline_lines(up: &str, st: &str) -> (Vec<Line>, Vec<Line>) {
    let (mut ups, mut sts) = (Vec::new(), Vec::new());
    for (u, s) in inline_blocks(up, st) {
        ups.extend(u);
        sts.extend(s);
    }
    (ups, sts)
}

/// The narrowest terminal that shows the two sides of a value or a hunk
/// side by side; below it they are stacked.
pub(crate) const SIDE_BY_SIDE: usize = 100;

/// The narrowest terminal that shows the base, ours and theirs side by side;
/// below it (from [`SIDE_BY_SIDE`]) the base goes under the two sides.
pub(crate) const THREE_COLUMNS: usize = 150;

/// A line longer than this many characters is shown as an excerpt around
/// what differs ([`excerpt`]).
const EXCERPT_OVER: usize = 240;

/// Characters of unchanged text kept on each side of a change in an excerpt.
const EXCERPT_CONTEXT: usize = 60;

/// `side`'s lines, the words that differ from `base` marked: what that side
/// changed against the base.
pub(crate) fn against(base: &str, side: &str) -> Vec<Line> {
    inline_lines(base, side).1
}

/// The first `n` characters of `s`, ended at a space when one is near.
fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    let cut = &s[..end];
    match cut.rfind(' ') {
        Some(i) if end < s.len() && end - i < 20 => &s[..i + 1],
        _ => cut,
    }
}

/// The last `n` characters of `s`, started at a space when one is near.
fn tail_chars(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    let start = s
        .char_indices()
        .nth(count.saturating_sub(n))
        .map_or(s.len(), |(i, _)| i);
    let cut = &s[start..];
    match cut.find(' ') {
        Some(i) if start > 0 && i < 20 => &cut[i..],
        _ => cut,
    }
}

/// A long line (over [`EXCERPT_OVER`] characters) cut to what differs: the
/// changed pieces with [`EXCERPT_CONTEXT`] characters of unchanged text on
/// each side, `…` where text is left out; a line with no change is cut
/// after its start. A 10,000-character value differing in one character
/// reads as that character and its neighbourhood.
pub(crate) fn excerpt(line: Line) -> Line {
    let chars: usize = line.iter().map(|(_, t)| t.chars().count()).sum();
    if chars <= EXCERPT_OVER {
        return line;
    }
    if line.iter().all(|(e, _)| !*e) {
        let all: String = line.into_iter().map(|(_, t)| t).collect();
        return vec![(false, format!("{}…", head_chars(&all, EXCERPT_OVER)))];
    }
    let n = line.len();
    let c = EXCERPT_CONTEXT;
    line.into_iter()
        .enumerate()
        .map(|(i, (emph, t))| {
            let len = t.chars().count();
            let t = match (emph, i == 0, i + 1 == n) {
                (true, _, _) if len > EXCERPT_OVER => {
                    format!("{}…", head_chars(&t, EXCERPT_OVER / 2))
                }
                (true, _, _) => t,
                (false, true, _) if len > c => format!("…{}", tail_chars(&t, c)),
                (false, _, true) if len > c => format!("{}…", head_chars(&t, c)),
                (false, _, _) if len > 2 * c + 3 => {
                    format!("{}…{}", head_chars(&t, c), tail_chars(&t, c))
                }
                _ => t,
            };
            (emph, t)
        })
        .collect()
}

/// The lines of `up` and `st` in aligned blocks for a side-by-side view:
/// an unchanged run (the same lines on both sides) or a changed one
/// (`up`'s lines against `st`'s), the words that differ marked.
pub(crate) fn inline_blocks(up: &str, st: &str) -> Vec<(Vec<Line>, Vec<Line>)> {
    let with_nl = |s: &str| {
        if s.is_empty() || s.ends_with('\n') {
            s.to_owned()
        } else {
            format!("{s}\n")
        }
    };
    // Shown only: escaped before they are compared and cut into lines.
    let (a, b) = (with_nl(&escape_lines(up)), with_nl(&escape_lines(st)));
    let diff = TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_lines(a.as_str(), b.as_str());
    let mut out = Vec::new();
    for op in diff.ops() {
        let (mut ups, mut sts): (Vec<Line>, Vec<Line>) = (Vec::new(), Vec::new());
        for change in diff.iter_inline_changes(op) {
            let mut line: Line = change
                .iter_strings_lossy()
                .map(|(e, s)| (e, s.into_owned()))
                .collect();
            if let Some((_, last)) = line.last_mut() {
                let trimmed = last.trim_end_matches(['\n', '\r']).len();
                last.truncate(trimmed);
            }
            match change.tag() {
                ChangeTag::Equal => {
                    ups.push(line.clone());
                    sts.push(line);
                }
                ChangeTag::Delete => ups.push(line),
                ChangeTag::Insert => sts.push(line),
            }
        }
        // similar marks no word of a line changed by more than half (`Hello,
        // Hugo` to `Hello, Hugo: a first look`): one line against one, the
        // words that differ are marked all the same.
        let plain = |ls: &[Line]| ls.iter().flatten().all(|(e, _)| !*e);
        if op.tag() == similar::DiffTag::Replace
            && ups.len() == 1
            && sts.len() == 1
            && plain(&ups)
            && plain(&sts)
        {
            let text = |l: &Line| l.iter().map(|(_, t)| t.as_str()).collect::<String>();
            let (u, s) = word_marks(&text(&ups[0]), &text(&sts[0]));
            // Marked only when a word is shared: two wholly different values
            // read better without every word marked.
            if u.iter().any(|(e, t)| !*e && !t.trim().is_empty()) {
                (ups, sts) = (vec![u], vec![s]);
            }
        }
        // Tabs shown once the words are marked: a tab still parts words.
        let shown = |ls: Vec<Line>| -> Vec<Line> {
            ls.into_iter()
                .map(|l| excerpt(join_emphasis(trailing_shown(tabs_shown(l)))))
                .collect()
        };
        out.push((shown(ups), shown(sts)));
    }
    out
}

/// One line against another, word by word: each side's words that the
/// other does not have marked.
fn word_marks(a: &str, b: &str) -> (Line, Line) {
    let diff = TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_words(a, b);
    let (mut left, mut right) = (Line::new(), Line::new());
    for change in diff.iter_all_changes() {
        let t = change.value().to_owned();
        match change.tag() {
            ChangeTag::Equal => {
                left.push((false, t.clone()));
                right.push((false, t));
            }
            ChangeTag::Delete => left.push((true, t)),
            ChangeTag::Insert => right.push((true, t)),
        }
    }
    (left, right)
}

/// Two columns side by side, each `width - indent - 3` halved, divided by
/// ` │ `: `titles` on the first row, then each aligned block of
/// [`inline_blocks`] painted for its side and wrapped in its column, the
/// shorter column of a block padded with blank rows. A side with nothing
/// says so in its column with its `absent` text, dimmed.
pub(crate) fn side_by_side(
    titles: [&str; 2],
    blocks: &[(Vec<Line>, Vec<Line>)],
    absent: [Option<&str>; 2],
    look: Look,
    width: usize,
    indent: &str,
) -> String {
    let col = width.saturating_sub(measure_text_width(indent) + 3 + 1) / 2;
    let bar = look.dim("│");
    let mut out = String::new();
    let mut row = |l: &str, r: &str| {
        let pad = col.saturating_sub(measure_text_width(l));
        let line = format!("{indent}{l}{} {bar} {r}", " ".repeat(pad));
        out.push_str(line.trim_end());
        out.push('\n');
    };
    let cut = |t: &str| console::truncate_str(t, col, "…").into_owned();
    row(&cut(titles[0]), &cut(titles[1]));
    let painted = |lines: &[Line], side: Side| -> Vec<String> {
        paint_lines(lines, Some(side), look, col, "")
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let mut first = true;
    for (ups, sts) in blocks {
        let mut cols = [painted(ups, Side::Upstream), painted(sts, Side::Stashed)];
        if first {
            for (c, gone) in cols.iter_mut().zip(absent) {
                if let Some(what) = gone {
                    c.insert(0, look.dim(what));
                }
            }
            first = false;
        }
        let n = cols[0].len().max(cols[1].len());
        for i in 0..n {
            row(
                cols[0].get(i).map_or("", String::as_str),
                cols[1].get(i).map_or("", String::as_str),
            );
        }
    }
    out
}

/// Columns side by side, divided by ` │ `, each `width - indent` shared
/// out: `titles` on the first row, then each column's lines painted for
/// its side (or plain for `None`) and wrapped in it. A column with nothing
/// says so with its `absent` text, dimmed. No row alignment between the
/// columns beyond the first: the base, ours and theirs of one value.
pub(crate) fn columns(
    titles: &[&str],
    cols: &[(&[Line], Option<Side>, Option<&str>)],
    look: Look,
    width: usize,
    indent: &str,
) -> String {
    let n = cols.len().max(1);
    let col = width.saturating_sub(measure_text_width(indent) + 3 * (n - 1) + 1) / n;
    let bar = look.dim("│");
    let cut = |t: &str| console::truncate_str(t, col, "…").into_owned();
    let painted: Vec<Vec<String>> = cols
        .iter()
        .map(|(lines, side, absent)| {
            let mut rows: Vec<String> = match absent {
                Some(what) => vec![look.dim(what)],
                None => Vec::new(),
            };
            rows.extend(
                paint_lines(lines, *side, look, col, "")
                    .lines()
                    .map(str::to_owned),
            );
            rows
        })
        .collect();
    let mut out = String::new();
    let mut row = |cells: Vec<String>| {
        let mut line = indent.to_owned();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                line.push_str(&format!(" {bar} "));
            }
            line.push_str(c);
            if i + 1 < cells.len() {
                line.push_str(&" ".repeat(col.saturating_sub(measure_text_width(c))));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    row(titles.iter().map(|t| cut(t)).collect());
    let height = painted.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..height {
        row(painted
            .iter()
            .map(|c| c.get(i).cloned().unwrap_or_default())
            .collect());
    }
    out
}

/// Joins emphasised words separated only by spaces into one run, so that a
/// changed phrase reads `[-ключ к успеху-]`, not `[-ключ-] [-к-] [-успеху-]`.
fn join_emphasis(line: Line) -> Line {
    let mut out: Line = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let (emph, text) = &line[i];
        let bridge = !*emph
            && text.trim().is_empty()
            && out.last().is_some_and(|(e, _)| *e)
            && line.get(i + 1).is_some_and(|(e, _)| *e);
        match out.last_mut() {
            Some((e, t)) if bridge || *e == *emph => t.push_str(text),
            _ => out.push((*emph, text.clone())),
        }
        i += 1;
    }
    out
}

/// `text` as the panes show it: escaped as lines are, and each tab written
/// `\t`, as the overview writes it. A raw tab would be widened by the
/// terminal to its next tab stop, which the layout cannot know: the row's
/// `│` would stand out of line with the others, and a tab would look like
/// the spaces it replaced.
fn shown(text: &str) -> String {
    escape_lines(text).replace('\t', "\\t")
}

/// A line's trailing spaces, where they are part of the change, written
/// `·`: a row ends without them (and without colour none would show), so
/// sides that differ only there (two spaces, a Markdown hard line break)
/// would read the same, the change marked around nothing.
fn trailing_shown(mut line: Line) -> Line {
    // An empty last piece is where the line's end was cut off.
    for (emph, t) in line.iter_mut().rev().skip_while(|(_, t)| t.is_empty()) {
        let body = t.trim_end_matches(' ').len();
        if *emph && body < t.len() {
            let dots = "·".repeat(t.len() - body);
            t.truncate(body);
            t.push_str(&dots);
        }
        // Up to the last piece with more than spaces in it.
        if !*emph || body > 0 {
            break;
        }
    }
    line
}

/// A line's pieces with each tab written `\t` (see [`shown`]).
fn tabs_shown(line: Line) -> Line {
    line.into_iter()
        .map(|(emph, t)| (emph, t.replace('\t', "\\t")))
        .collect()
}

/// Plain lines (nothing emphasised) of a text.
pub(crate) fn plain_lines(text: &str) -> Vec<Line> {
    shown(text)
        .lines()
        .map(|l| vec![(false, l.to_owned())])
        .collect()
}

/// Paints lines for `side` (or uncoloured context for `None`), each wrapped to
/// `width` columns: the first row of a line starts with `first`, the rows it
/// wraps onto with as many spaces. Returns the rows, each ending in `\n`.
pub(crate) fn paint_lines(
    lines: &[Line],
    side: Option<Side>,
    look: Look,
    width: usize,
    first: &str,
) -> String {
    let indent = " ".repeat(measure_text_width(first));
    let room = width.saturating_sub(indent.len()).max(16);
    let mut out = String::new();
    for line in lines {
        let mut pieces: Vec<(Kind, &str)> = Vec::new();
        for (emph, text) in line {
            if *emph && !look.color && side.is_some() {
                let (open, close) = match side {
                    Some(Side::Upstream) if !look.against_base => ("[-", "-]"),
                    _ => ("{+", "+}"),
                };
                // Spaces at either end go outside the markers, which then
                // touch the words they enclose (and wrap with them).
                let inner = text.trim();
                let before = &text[..text.len() - text.trim_start().len()];
                let after = &text[before.len() + inner.len()..];
                if !before.is_empty() {
                    pieces.push((Kind::Plain, before));
                }
                pieces.push((Kind::Mark, open));
                pieces.push((Kind::Emph, inner));
                pieces.push((Kind::Mark, close));
                if !after.is_empty() {
                    pieces.push((Kind::Plain, after));
                }
            } else {
                pieces.push((if *emph { Kind::Emph } else { Kind::Plain }, text));
            }
        }
        // Rows by the one rule (`wrap::fill`): between words, inside a word
        // only when it alone is wider than a row. A word runs between spaces
        // across pieces: a plain-text marker (`[-`, `+}`) is part of the word
        // it touches, so a row never ends in `[-` or starts with `+}`, and a
        // marker is never cut.
        let units = wrap::units(&pieces, char::is_whitespace);
        let rows = wrap::fill(&units, room, room, |k| k == Kind::Mark);
        for (n, row) in rows.into_iter().enumerate() {
            let lead = if n == 0 { first } else { &indent };
            if row.iter().all(|(_, t)| t.trim().is_empty()) {
                // No trailing blanks on an empty line.
                out.push_str(lead.trim_end_matches(' '));
                out.push('\n');
                continue;
            }
            out.push_str(lead);
            let last = row.len().saturating_sub(1);
            for (i, (kind, text)) in row.iter().enumerate() {
                let text = if i == last { text.trim_end() } else { text };
                out.push_str(&look.piece(side, *kind, text));
            }
            out.push('\n');
        }
    }
    out
}

/// A unified diff of two texts, coloured when `look` says so.
pub(crate) fn unified(a: &str, b: &str, a_name: &str, b_name: &str, look: Look) -> String {
    let (a, b) = (escape_lines(a), escape_lines(b));
    let diff = TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_lines(&*a, &*b);
    let patch = diff
        .unified_diff()
        .context_radius(3)
        .header(&escape(a_name), &escape(b_name))
        .to_string();
    if !look.color {
        return patch;
    }
    patch
        .lines()
        .map(|l| {
            let painted = if l.starts_with("---") || l.starts_with("+++") {
                look.bold(l)
            } else if l.starts_with("@@") {
                look.head(l)
            } else if l.starts_with('-') {
                look.side(Side::Upstream, l)
            } else if l.starts_with('+') {
                look.side(Side::Stashed, l)
            } else {
                l.to_owned()
            };
            painted + "\n"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_changed_by_more_than_half_still_has_its_new_words_marked() {
        let lines = against("Hello, Hugo", "Hello, Hugo: how this site is built");
        let marked: String = lines[0]
            .iter()
            .filter(|(e, _)| *e)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(marked.trim(), "Hugo: how this site is built", "{lines:?}");
        // Nothing in common: nothing marked, every word would be.
        let (up, st) = inline_lines("short", "an entirely different value");
        assert!(
            up[0].iter().chain(&st[0]).all(|(e, _)| !*e),
            "{up:?} {st:?}"
        );
    }

    const PLAIN: Look = Look {
        color: false,
        against_base: false,
    };

    #[test]
    fn changed_words_are_marked_on_each_side() {
        let (u, s) = inline_lines(
            "Сервисный подход: ключ к успеху\n",
            "Сервисный подход: как мы работаем\n",
        );
        let up = paint_lines(&u, Some(Side::Upstream), PLAIN, 80, "  ");
        let st = paint_lines(&s, Some(Side::Stashed), PLAIN, 80, "  ");
        assert_eq!(up, "  Сервисный подход: [-ключ к успеху-]\n");
        assert_eq!(st, "  Сервисный подход: {+как мы работаем+}\n");
    }

    #[test]
    fn long_lines_wrap_under_the_first_column() {
        let lines = plain_lines("one two three four five six seven eight nine ten");
        let out = paint_lines(&lines, None, PLAIN, 20, "- ");
        assert_eq!(
            out,
            "- one two three four\n  five six seven\n  eight nine ten\n"
        );
        assert_eq!(
            paint_lines(&plain_lines("a\n\nb"), None, PLAIN, 20, "    "),
            "    a\n\n    b\n"
        );
        for row in out.lines() {
            assert!(measure_text_width(row) <= 20, "{row:?}");
        }
        let long = plain_lines(&"x".repeat(40));
        let out = paint_lines(&long, None, PLAIN, 20, "");
        assert!(out.lines().all(|r| measure_text_width(r) <= 20), "{out}");
        assert_eq!(out.replace('\n', ""), "x".repeat(40));
    }

    #[test]
    fn markers_wrap_with_their_words_and_are_never_cut() {
        let (u, s) = inline_lines(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa\n",
            "alpha beta gamma delta epsilon ZETA eta theta iota KAPPA\n",
        );
        for width in 12..40 {
            for (lines, side) in [(&u, Side::Upstream), (&s, Side::Stashed)] {
                let out = paint_lines(lines, Some(side), PLAIN, width, "  ");
                let (open, close) = match side {
                    Side::Upstream => ("[-", "-]"),
                    Side::Stashed => ("{+", "+}"),
                };
                for row in out.lines() {
                    let row = row.trim();
                    assert!(!row.ends_with(open), "{width}: {row:?}\n{out}");
                    assert!(!row.starts_with(close), "{width}: {row:?}\n{out}");
                    assert!(
                        measure_text_width(row) + 2 <= width.max(18),
                        "{width}: {row:?}"
                    );
                }
                // Every marker whole, as many opened as closed.
                let joined = out.replace('\n', "");
                assert_eq!(joined.matches(open).count(), 2, "{width}:\n{out}");
                assert_eq!(joined.matches(close).count(), 2, "{width}:\n{out}");
            }
        }
        // A marked word wider than a row is cut between its characters, its
        // markers whole and touching it.
        let pieces = [
            (Kind::Plain, "ab "),
            (Kind::Mark, "{+"),
            (Kind::Emph, "abcdefghijklmnop"),
            (Kind::Mark, "+}"),
        ];
        let units = wrap::units(&pieces, char::is_whitespace);
        let rows: Vec<String> = wrap::fill(&units, 8, 8, |k| k == Kind::Mark)
            .into_iter()
            .map(|r| r.into_iter().map(|(_, t)| t).collect())
            .collect();
        assert_eq!(rows, ["ab ", "{+abcdef", "ghijklmn", "op+}"]);
        // Spaces around a marked stretch stay outside its markers.
        let out = paint_lines(
            &[vec![
                (false, "a".into()),
                (true, " b c ".into()),
                (false, "d".into()),
            ]],
            Some(Side::Stashed),
            PLAIN,
            80,
            "",
        );
        assert_eq!(out, "a {+b c+} d\n");
    }

    #[test]
    fn side_by_side_aligns_the_columns_block_by_block() {
        let up = "same line\nold words here and a long tail that has to wrap in its column\nend\n";
        let st = "same line\nnew words here\nextra\nend\n";
        let out = side_by_side(
            ["upstream", "stashed"],
            &inline_blocks(up, st),
            [None, None],
            PLAIN,
            60,
            "  ",
        );
        let rows: Vec<&str> = out.lines().collect();
        // The bar stands in one column on every row.
        let bar = rows[0].find('│').unwrap();
        for r in &rows {
            assert!(measure_text_width(r) <= 60, "{r:?}");
            assert_eq!(r.find('│'), Some(bar), "{out}");
        }
        assert!(rows[0].starts_with("  upstream") && rows[0].ends_with("│ stashed"));
        assert!(rows[1].starts_with("  same line") && rows[1].ends_with("│ same line"));
        assert!(
            rows[2].contains("old words") && rows[2].ends_with("│ new words here"),
            "{out}"
        );
        assert!(
            rows[3].ends_with("│ extra") && rows[4].ends_with('│'),
            "{out}"
        );
        // A line against a line: the words that differ marked in each column.
        let out = side_by_side(
            ["upstream", "stashed"],
            &inline_blocks("a b c\n", "a x c\n"),
            [None, None],
            PLAIN,
            60,
            "",
        );
        assert!(
            out.contains("a [-b-] c") && out.contains("│ a {+x+} c"),
            "{out}"
        );
        // The last line of both, on one row after the changed block.
        assert!(
            rows.last().unwrap().starts_with("  end") && rows.last().unwrap().ends_with("│ end")
        );
        let out = side_by_side(
            ["a", "b"],
            &inline_blocks("", "x\n"),
            [Some("(absent)"), None],
            PLAIN,
            60,
            "",
        );
        assert!(out.lines().nth(1).unwrap().starts_with("(absent)"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_to_what_differs() {
        let base: String = (0..2000).map(|i| format!("w{i} ")).collect();
        let (a, b) = (
            base.replacen("w999 ", "X ", 1),
            base.replacen("w999 ", "Y ", 1),
        );
        let (u, s) = inline_lines(&a, &b);
        let up: String = u[0].iter().map(|(_, t)| t.as_str()).collect();
        let st: String = s[0].iter().map(|(_, t)| t.as_str()).collect();
        assert!(up.chars().count() < 2 * EXCERPT_CONTEXT + 10, "{up}");
        assert!(
            up.starts_with('…') && up.ends_with('…') && up.contains(" X "),
            "{up}"
        );
        assert!(st.contains(" Y "), "{st}");
        // No change at all: the start, then `…`.
        let same = excerpt(vec![(false, base.clone())]);
        assert!(same[0].1.ends_with('…') && same[0].1.chars().count() <= EXCERPT_OVER + 1);
        // Short lines are left alone.
        assert_eq!(
            excerpt(vec![(false, "a b".into())]),
            vec![(false, "a b".into())]
        );
    }

    #[test]
    fn three_columns_share_the_width() {
        let out = columns(
            &["base", "ours", "theirs"],
            &[
                (&plain_lines("a b c"), None, None),
                (&against("a b c", "a x c"), Some(Side::Upstream), None),
                (&[], Some(Side::Stashed), Some("(absent)")),
            ],
            PLAIN,
            60,
            "  ",
        );
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(rows[0].matches('│').count(), 2, "{out}");
        assert!(
            rows[1].contains("a b c") && rows[1].contains("a [-x-] c"),
            "{out}"
        );
        assert!(rows[1].ends_with("│ (absent)"), "{out}");
        assert!(rows.iter().all(|r| measure_text_width(r) <= 60), "{out}");
    }

    #[test]
    fn colour_wraps_emphasis_in_escape_codes() {
        let (u, _) = inline_lines("a b\n", "a c\n");
        let color = Look {
            color: true,
            against_base: false,
        };
        let out = paint_lines(&u, Some(Side::Upstream), color, 80, "");
        assert!(out.contains("\u{1b}["), "{out:?}");
        assert_eq!(console::strip_ansi_codes(&out), "a b\n");
    }

    #[test]
    fn trailing_spaces_of_a_change_are_shown() {
        let text = |l: &Line| l.iter().map(|(_, t)| t.as_str()).collect::<String>();
        let (u, s) = inline_lines("First line  \n", "First line\n");
        assert_eq!(text(&u[0]), "First line··");
        assert_eq!(text(&s[0]), "First line");
        // Spaces the sides share, or inside the line, stay spaces.
        let l = trailing_shown(vec![(false, "a  ".into())]);
        assert_eq!(l, vec![(false, "a  ".to_owned())]);
        let l = trailing_shown(vec![(true, "b ".into()), (false, "c".into())]);
        assert_eq!(l[0].1, "b ");
    }

    #[test]
    fn tabs_are_shown_as_backslash_t_in_the_panes() {
        let (u, s) = inline_lines("a\tb\n", "a\tc\n");
        let text = |l: &Line| l.iter().map(|(_, t)| t.as_str()).collect::<String>();
        assert_eq!(text(&u[0]), "a\\tb");
        assert_eq!(text(&s[0]), "a\\tc");
        assert_eq!(plain_lines("\tx"), vec![vec![(false, "\\tx".to_owned())]]);
    }

    #[test]
    fn unified_diff_names_both_sides() {
        let d = unified("a\nb\n", "a\nc\n", "upstream", "result", PLAIN);
        assert!(d.starts_with("--- upstream\n+++ result\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }
}
