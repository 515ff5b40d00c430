//! A sequence entry as written, cut into its items, so that a merged list
//! can be written back in upstream's own style: its lines for the items it
//! keeps, new items written like its existing ones. How the format writes a
//! list (item lines, brackets, an emptied list) is the format's
//! ([`crate::article::frontmatter::list`], `Syntax::list_text` and the
//! methods beside it); this module picks the items and checks the result.
//!
//! Nothing is re-serialised: a result is accepted only when it parses back
//! to exactly the merged values; otherwise the key stays a conflict.

use crate::article::frontmatter::list::ListText;
use crate::article::{Entry, Format, Value};
use crate::conflict::sides::Side;

/// A sequence entry cut into its pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeqText<'a> {
    /// The head, the items and how they are written.
    list: ListText<'a>,
    /// The frontmatter format: how items are read and the result checked.
    format: Format,
}

impl<'a> SeqText<'a> {
    /// Cuts `entry` into items, checking each item against the parsed values.
    /// `None` when the entry is not a sequence written in a way we can follow.
    pub fn parse(entry: &Entry<'a>) -> Option<SeqText<'a>> {
        let values = entry.value.sequence()?;
        let syntax = entry.format.syntax();
        let list = syntax.list_text(entry.text)?;
        let ok = list.items.len() == values.len()
            && list
                .items
                .iter()
                .zip(values)
                .all(|(t, v)| syntax.list_item_value(&list, t).as_ref() == Some(v));
        ok.then_some(SeqText {
            list,
            format: entry.format,
        })
    }
}

/// Writes `key`'s merged list in upstream's style: `items` are
/// `(side, index)` into `upstream` and `stashed`. `None` when the result
/// would not read back as exactly the merged values.
pub fn write_merged(
    key: &str,
    upstream: &SeqText<'_>,
    stashed: &SeqText<'_>,
    items: &[(Side, usize)],
    expected: &[&Value],
    eol: &str,
) -> Option<String> {
    let syntax = upstream.format.syntax();
    let pieces = items
        .iter()
        .map(|&(side, i)| match side {
            Side::Upstream => Some(upstream.list.items[i].to_owned()),
            Side::Stashed => syntax.list_item_moved(&upstream.list, &stashed.list, i, eol),
        })
        .collect::<Option<Vec<String>>>()?;
    let text = if pieces.is_empty() {
        syntax.empty_list(&upstream.list, eol)
    } else {
        upstream.list.joined(&pieces)
    };
    let parsed = upstream.format.parse_keys(&text).ok()?;
    let [(k, v)] = parsed.as_slice() else {
        return None;
    };
    let same = k == key && v.sequence()?.iter().eq(expected.iter().copied());
    same.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::merge::sets::set_merge;

    fn first<'a>(a: &crate::article::Article<'a>) -> Entry<'a> {
        a.entries().next().unwrap().clone()
    }

    fn merged(base: &str, up: &str, st: &str) -> Option<String> {
        let o = ArticleOptions::default();
        let wrap = |s: &str| format!("---\n{s}---\n");
        let (b, u, s) = (wrap(base), wrap(up), wrap(st));
        let (b, u, s) = (
            parse(&b, &o).unwrap(),
            parse(&u, &o).unwrap(),
            parse(&s, &o).unwrap(),
        );
        let (be, ue, se) = (first(&b), first(&u), first(&s));
        let (bs, us, ss) = (
            be.value.sequence().unwrap(),
            ue.value.sequence().unwrap(),
            se.value.sequence().unwrap(),
        );
        let m = set_merge(bs, us, ss);
        let expected: Vec<&Value> = m
            .items
            .iter()
            .map(|&(side, i)| match side {
                Side::Upstream => &us[i],
                Side::Stashed => &ss[i],
            })
            .collect();
        let (useq, sseq) = (SeqText::parse(&ue)?, SeqText::parse(&se)?);
        write_merged(&ue.key, &useq, &sseq, &m.items, &expected, "\n")
    }

    #[test]
    fn block_lists_keep_upstream_lines_and_style() {
        let got = merged(
            "tags:\n  - a\n  - b\n",
            "tags:\n  - a\n  - b\n  - \"u\" # upstream's\n",
            "tags:\n- a\n- b\n- s\n- 't'\n",
        );
        assert_eq!(
            got.as_deref(),
            Some("tags:\n  - a\n  - b\n  - \"u\" # upstream's\n  - s\n  - 't'\n")
        );
    }

    #[test]
    fn flow_lists_and_mixed_styles() {
        assert_eq!(
            merged("t: [a, b]\n", "t: [a, b, \"c, d\"]\n", "t: [b, e]\n").as_deref(),
            Some("t: [b, \"c, d\", e]\n")
        );
        assert_eq!(
            merged("t: [a]\n", "t: [a, u]\n", "t:\n  - a\n  - s x\n").as_deref(),
            Some("t: [a, u, s x]\n")
        );
        assert_eq!(
            merged("t:\n- a\n", "t:\n  - a\n  - u\n", "t: [a, 's']\n").as_deref(),
            Some("t:\n  - a\n  - u\n  - 's'\n")
        );
        assert_eq!(
            merged("t: [a, b]\n", "t: [a]\n", "t: [b]\n").as_deref(),
            Some("t: []\n")
        );
        assert_eq!(
            merged("t:\n  - a\n", "t:\n  - a\n", "t: []\n").as_deref(),
            Some("t: []\n")
        );
    }

    #[test]
    fn multi_line_items_move_with_their_content_column() {
        let got = merged(
            "a:\n  - name: x\n    url: /x\n",
            "a:\n  - name: x\n    url: /x\n  - name: u\n    url: /u\n",
            "a:\n- name: x\n  url: /x\n- name: s\n  url: /s\n",
        );
        assert_eq!(
            got.as_deref(),
            Some("a:\n  - name: x\n    url: /x\n  - name: u\n    url: /u\n  - name: s\n    url: /s\n")
        );
    }

    #[test]
    fn what_cannot_be_followed_is_refused() {
        // A flow element that is not valid in a flow list cannot be moved into one.
        assert_eq!(
            merged("t: [a]\n", "t: [a, u]\n", "t:\n  - a\n  - s, t\n"),
            None
        );
        // Not a sequence.
        let o = ArticleOptions::default();
        let a = parse("---\nt: x\n---\n", &o).unwrap();
        assert!(SeqText::parse(a.entries().next().unwrap()).is_none());
    }
}
