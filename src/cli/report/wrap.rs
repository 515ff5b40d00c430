//! Word wrapping: one rule for every text the command line fits to a
//! terminal (messages, the diff view, the picker's panes and hints).
//!
//! Rows break between words; a word (what runs between spaces, across styled
//! pieces) is cut only when it alone is wider than a row, and then exactly at
//! the row's width, so that every row fits:
//!
//! ```text
//! wrap("a long-long-long-word b", 10, "")   →   a
//!                                               long-long-
//!                                               long-word
//!                                               b
//! ```
//!
//! [`fill`] holds the rule; [`wrap`] fills plain (possibly coloured) text,
//! and callers with pieces of several kinds (the picker's marked words) build
//! [`units`] and call [`fill`] themselves.

use console::{measure_text_width, AnsiCodeIterator};

/// A word and the spaces after it, as pieces of kind `K` (the caller's:
/// plain, emphasised, a marker…).
pub(crate) type Unit<'t, K> = Vec<(K, &'t str)>;

/// The units of `pieces`: the text split after each run of characters for
/// which `space` holds, across pieces (a piece's end is no break). Spaces
/// before the first word belong to it, so a row's own indentation is kept.
pub(crate) fn units<'t, K: Copy>(
    pieces: &[(K, &'t str)],
    space: impl Fn(char) -> bool,
) -> Vec<Unit<'t, K>> {
    let mut out: Vec<Unit<'t, K>> = vec![Vec::new()];
    let mut words = 0;
    for &(kind, text) in pieces {
        let mut start = 0;
        let mut in_space = false;
        for (i, c) in text.char_indices() {
            let is_space = space(c);
            if in_space && !is_space {
                out.last_mut()
                    .expect("a unit")
                    .push((kind, &text[start..i]));
                start = i;
                if words > 0 {
                    out.push(Vec::new());
                }
            }
            words += usize::from(!is_space && !in_space);
            in_space = is_space;
        }
        if start < text.len() {
            out.last_mut().expect("a unit").push((kind, &text[start..]));
        }
        if in_space && words > 0 {
            out.push(Vec::new());
        }
    }
    out.retain(|u| !u.is_empty());
    out
}

/// Rows of `units`: the first at most `first` columns wide, the others at
/// most `rest` (escape codes take none). A unit goes on the current row when
/// it fits there without its trailing spaces, else it starts the next row;
/// one wider than a whole row is cut between characters, exactly at the
/// width. A piece for which `mark` holds (a `[-` or `+}` around a change) is
/// never cut: an opening one stays with the character after it, a closing one
/// with the character before. Rows keep their trailing spaces (the caller
/// trims them); a piece is merged with the one before it of the same kind.
pub(crate) fn fill<K: Copy + PartialEq>(
    units: &[Unit<'_, K>],
    first: usize,
    rest: usize,
    mark: impl Fn(K) -> bool,
) -> Vec<Vec<(K, String)>> {
    let mut rows: Vec<Vec<(K, String)>> = vec![Vec::new()];
    let mut used = 0;
    let room = |rows: &Vec<Vec<(K, String)>>| if rows.len() == 1 { first } else { rest }.max(1);
    let push = |rows: &mut Vec<Vec<(K, String)>>, kind: K, s: &str| {
        let row = rows.last_mut().expect("at least one row");
        match row.last_mut() {
            Some((k, t)) if *k == kind => t.push_str(s),
            _ => row.push((kind, s.to_owned())),
        }
    };
    for unit in units {
        let last = unit.len().saturating_sub(1);
        let w: usize = unit
            .iter()
            .enumerate()
            .map(|(i, (_, t))| measure_text_width(if i == last { t.trim_end() } else { t }))
            .sum();
        if used > 0 && used + w > room(&rows) {
            rows.push(Vec::new());
            used = 0;
        }
        if w <= room(&rows) {
            for (kind, t) in unit {
                push(&mut rows, *kind, t);
                used += measure_text_width(t);
            }
            continue;
        }
        for g in glyphs(unit, &mark) {
            let gw: usize = g.iter().map(|(_, t)| measure_text_width(t)).sum();
            if used > 0 && used + gw > room(&rows) {
                rows.push(Vec::new());
                used = 0;
            }
            for (kind, t) in g {
                push(&mut rows, kind, t);
            }
            used += gw;
        }
    }
    rows
}

/// The pieces of a unit that may not be cut apart: one character each, with
/// the escape codes and opening marks before it and the closing marks after it.
fn glyphs<'t, K: Copy>(unit: &[(K, &'t str)], mark: &impl Fn(K) -> bool) -> Vec<Unit<'t, K>> {
    let mut glyphs: Vec<Unit<'t, K>> = Vec::new();
    let mut opening: Unit<'t, K> = Vec::new();
    for &(kind, t) in unit {
        if mark(kind) {
            match glyphs.last_mut() {
                Some(g) if !t.starts_with(['[', '{']) => g.push((kind, t)),
                _ => opening.push((kind, t)),
            }
            continue;
        }
        for (part, is_code) in AnsiCodeIterator::new(t) {
            if is_code {
                opening.push((kind, part));
                continue;
            }
            for (i, c) in part.char_indices() {
                let mut g = std::mem::take(&mut opening);
                g.push((kind, &part[i..i + c.len_utf8()]));
                glyphs.push(g);
            }
        }
    }
    if !opening.is_empty() {
        glyphs.push(opening);
    }
    glyphs
}

/// `text` wrapped at spaces to `width` columns (escape codes take none), each
/// row after the first starting with `indent`, ending in a newline; a newline
/// in `text` starts a new row. See [`fill`] for the rule.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let rest = width.saturating_sub(measure_text_width(indent));
    let mut out = String::new();
    for (n, para) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let units = units(&[((), para)], |c| c == ' ');
        for (r, row) in fill(&units, width, rest, |()| false).iter().enumerate() {
            if r > 0 {
                out.push('\n');
                out.push_str(indent);
            }
            let row: String = row.iter().map(|(_, t)| t.as_str()).collect();
            out.push_str(row.trim_end_matches(' '));
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_break_between_words_and_keep_the_spaces_inside() {
        assert_eq!(wrap("  a  b", 40, ""), "  a  b\n");
        assert_eq!(wrap("one two three", 8, "  "), "one two\n  three\n");
        assert_eq!(wrap("a\nb", 8, "  "), "a\nb\n");
        assert_eq!(wrap("", 8, "  "), "\n");
        for row in wrap(&"word ".repeat(40), 60, "    ").lines() {
            assert!(measure_text_width(row) <= 60, "{row:?}");
        }
    }

    #[test]
    fn a_word_wider_than_a_row_is_cut_at_the_width() {
        assert_eq!(
            wrap(&"x".repeat(50), 40, "  "),
            format!("{}\n  {}\n", "x".repeat(40), "x".repeat(10))
        );
        assert_eq!(
            wrap("a long-long-long-word b", 10, "  "),
            "a\n  long-lon\n  g-long-w\n  ord b\n"
        );
        assert_eq!(
            wrap("a long-long-long-word b", 10, ""),
            "a\nlong-long-\nlong-word\nb\n"
        );
    }

    #[test]
    fn escape_codes_take_no_room_and_are_never_cut() {
        let red = console::Style::new().red().force_styling(true);
        let word = red.apply_to("abcdef").to_string();
        let rows = wrap(&word, 4, "");
        for row in rows.lines() {
            assert!(measure_text_width(row) <= 4, "{row:?}");
        }
        assert_eq!(console::strip_ansi_codes(&rows), "abcd\nef\n");
        assert!(rows.starts_with("\u{1b}[31m"), "{rows:?}");
        assert!(rows.ends_with("\u{1b}[0m\n"), "{rows:?}");
    }

    #[test]
    fn marks_go_with_their_characters() {
        #[derive(Copy, Clone, PartialEq, Debug)]
        enum K {
            Text,
            Mark,
        }
        let pieces = [(K::Mark, "[-"), (K::Text, "abcdef"), (K::Mark, "-]")];
        let rows = fill(&units(&pieces, char::is_whitespace), 4, 4, |k| k == K::Mark);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(shown, ["[-ab", "cde", "f-]"]);
    }
}
