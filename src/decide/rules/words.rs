//! A string of words as one value, merged as a set of words.
//!
//! ```text
//! cSpell:ignore: foo bar         words foo, bar           separator ` `
//! keywords: "a, b,c"             words a, b, c            separator `, ` (the first one)
//!
//! base      "a, b"
//! upstream  "a, b, u"            (preferred)
//! stashed   "a; s" → "a, s"      merged "a, u, s"         b: removed by the stash
//! ```
//!
//! Words separated by commas when the text has a comma, else by white space.
//! Order: the preferred side's words, then the other side's new ones; with a
//! base, a word either side removed is dropped.

use crate::conflict::sides::Side;
use crate::merge::sets::{set_merge, SetMerge};

/// The words of one string and how they are separated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words<'a> {
    /// The words, trimmed.
    pub items: Vec<&'a str>,
    /// The text between the first two words, when there are two.
    pub sep: Option<&'a str>,
    /// True when the words are separated by commas.
    pub commas: bool,
}

/// Cuts a string into words.
pub fn split(s: &str) -> Words<'_> {
    let commas = s.contains(',');
    let mut spans = Vec::new();
    if commas {
        let mut off = 0;
        for piece in s.split(',') {
            let lead = piece.len() - piece.trim_start().len();
            let t = piece.trim();
            if !t.is_empty() {
                spans.push((off + lead, off + lead + t.len()));
            }
            off += piece.len() + 1;
        }
    } else {
        let mut start = None;
        for (i, c) in s.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(st)) => {
                    spans.push((st, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(st) = start {
            spans.push((st, s.len()));
        }
    }
    let sep = match spans.as_slice() {
        [a, b, ..] => Some(&s[a.1..b.0]).filter(|sep| sep.matches(',').count() <= 1),
        _ => None,
    };
    Words {
        items: spans.iter().map(|&(a, b)| &s[a..b]).collect(),
        sep,
        commas,
    }
}

/// Two strings of words merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordsMerge {
    /// The merged string.
    pub text: String,
    /// The merged words, in order.
    pub words: Vec<String>,
    /// Which words came from where (first = the preferred side).
    pub merge: SetMerge,
}

/// Merges `first` (the preferred side) and `second` with their `base`, in
/// `first`'s separator; `None` when a word would not survive that separator
/// (a word with a space in a list separated by spaces).
pub fn merge(base: Option<&str>, first: &str, second: &str) -> Option<WordsMerge> {
    let (f, s) = (split(first), split(second));
    let b = base.map(split);
    let m = set_merge(
        b.as_ref().map_or(&[][..], |b| b.items.as_slice()),
        &f.items,
        &s.items,
    );
    let commas = f.commas || (f.items.len() < 2 && s.commas);
    let sep = match (f.sep, s.sep) {
        (Some(sep), _) => sep,
        (None, Some(sep)) if s.commas == commas => sep,
        _ if commas => ", ",
        _ => " ",
    };
    let words: Vec<String> = m
        .items
        .iter()
        .map(|&(side, i)| match side {
            Side::Upstream => f.items[i].to_owned(),
            Side::Stashed => s.items[i].to_owned(),
        })
        .collect();
    let text = words.join(sep);
    // The merged text must read back as exactly these words.
    let back = split(&text);
    (back.items == words.iter().map(String::as_str).collect::<Vec<_>>()).then_some(WordsMerge {
        text,
        words,
        merge: m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_commas_or_white_space() {
        let w = split("a, b,c ,  d");
        assert_eq!(w.items, ["a", "b", "c", "d"]);
        assert_eq!(w.sep, Some(", "));
        let w = split("  foo\tbar  baz ");
        assert_eq!(w.items, ["foo", "bar", "baz"]);
        assert_eq!(w.sep, Some("\t"));
        assert_eq!(split("one").sep, None);
        assert!(split("").items.is_empty());
        assert_eq!(split("a,,b").items, ["a", "b"]);
        assert_eq!(
            split("a,,b").sep,
            None,
            "a doubled comma is no separator to copy"
        );
    }

    #[test]
    fn merges_in_the_preferred_sides_separator() {
        let m = merge(None, "foo bar", "bar baz foo qux").unwrap();
        assert_eq!(m.text, "foo bar baz qux");
        let m = merge(None, "a,b", "a, c").unwrap();
        assert_eq!(m.text, "a,b,c");
        let m = merge(None, "x", "a, b").unwrap();
        assert_eq!(m.text, "x, a, b", "one word: the other side's separator");
        let m = merge(Some("a, b, c"), "a, b, c, u", "a, c, s").unwrap();
        assert_eq!(m.text, "a, c, u, s");
        assert_eq!(
            (
                m.merge.added_upstream,
                m.merge.added_stashed,
                m.merge.removed
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn words_that_a_separator_would_split_are_refused() {
        assert_eq!(merge(None, "foo bar", "machine learning, ai"), None);
    }
}
