//! A YAML sequence entry as written, cut into its items, so that a merged
//! list can be written back in upstream's own style: its lines for the items
//! it keeps, new items written like its existing ones.
//!
//! ```text
//! tags:                  head          tags: [a, "b c"]    open  `tags: [`
//!   - a                  item 0                            items `a`, `"b c"`
//!   - b c                item 1                            sep   `, `
//!                                                          close `]\n`
//! ```
//!
//! Nothing is re-serialised: a result is accepted only when it parses back
//! to exactly the merged values; otherwise the key stays a conflict.

use crate::article::{Entry, Format, Value};
use crate::conflict::scan::{lines_with_offsets, split_eol};
use crate::conflict::sides::Side;

/// How a sequence is written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Style<'a> {
    /// `- item` lines; `prefix` is the first item's indent, dash and spaces.
    Block { prefix: &'a str, indent: usize },
    /// `[a, b]`; `sep` is the text between the first two items.
    Flow {
        open: &'a str,
        sep: &'a str,
        close: &'a str,
    },
}

/// A sequence entry cut into its pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeqText<'a> {
    /// The key line (and comments before the first item) for block style.
    head: &'a str,
    /// Each item's text: whole lines for block style, the bare element for flow.
    items: Vec<&'a str>,
    style: Style<'a>,
    /// The frontmatter format: how items are read and the result checked.
    format: Format,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The dash and spaces that open a block item on `line` at `indent`, if any.
fn item_prefix(line: &str, indent: usize) -> Option<&str> {
    let rest = line.get(indent..)?;
    if indent_of(line) != indent || !rest.starts_with('-') {
        return None;
    }
    let after = &rest[1..];
    let (content, _) = split_eol(after);
    let spaces = content.len() - content.trim_start_matches(' ').len();
    if content.is_empty() || spaces > 0 {
        Some(&line[..indent + 1 + spaces])
    } else {
        None
    }
}

impl<'a> SeqText<'a> {
    /// Cuts `entry` into items, checking each item against the parsed values.
    /// `None` when the entry is not a sequence written in a way we can follow.
    pub fn parse(entry: &Entry<'a>) -> Option<SeqText<'a>> {
        let values = entry.value.sequence()?;
        let format = entry.format;
        let seq = if format.syntax().indented() {
            Self::block(entry.text, format).or_else(|| Self::flow(entry.text, format))
        } else if entry.text.trim_end().contains('\n') {
            // Only arrays written on one line: a multi-line TOML or JSON
            // array would have to be re-laid out, so its merge is asked.
            None
        } else {
            Self::flow(entry.text, format)
        }?;
        let ok = seq.items.len() == values.len()
            && seq
                .items
                .iter()
                .zip(values)
                .all(|(t, v)| seq.item_value(t).as_ref() == Some(v));
        ok.then_some(seq)
    }

    fn block(text: &'a str, format: Format) -> Option<SeqText<'a>> {
        let mut lines = lines_with_offsets(text);
        let (_, first) = lines.next()?;
        let (content, _) = split_eol(first);
        let key_only = content.trim_end().ends_with(':')
            || content
                .split_once(": #")
                .is_some_and(|(k, _)| !k.contains(": "));
        if !key_only {
            return None;
        }
        let mut head_end = first.len();
        let mut style = None;
        let mut starts = Vec::new();
        for (off, line) in lines {
            match style {
                None if line.trim().is_empty() || line.trim_start().starts_with('#') => {
                    head_end = off + line.len();
                }
                None => {
                    let indent = indent_of(line);
                    let prefix = item_prefix(line, indent)?;
                    style = Some(Style::Block { prefix, indent });
                    starts.push(off);
                }
                Some(Style::Block { indent, .. }) => {
                    if item_prefix(line, indent).is_some() {
                        starts.push(off);
                    }
                }
                Some(Style::Flow { .. }) => unreachable!("block parsing only"),
            }
        }
        let style = style?;
        let items = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| &text[s..starts.get(i + 1).copied().unwrap_or(text.len())])
            .collect();
        Some(SeqText {
            head: &text[..head_end],
            items,
            style,
            format,
        })
    }

    fn flow(text: &'a str, format: Format) -> Option<SeqText<'a>> {
        let open_at = text.find('[')?;
        let assign = format.syntax().key_separator();
        if !text[..open_at].trim_end().ends_with(assign) || text[..open_at].contains('\n') {
            return None;
        }
        // Element spans, split at commas outside quotes and brackets.
        let mut spans = Vec::new();
        let (mut depth, mut start, mut quote, mut close_at) = (0usize, open_at + 1, None, None);
        let mut chars = text[open_at + 1..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let at = open_at + 1 + i;
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some('\''), '\'') if chars.peek().map(|p| p.1) == Some('\'') => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if text[start..at].trim().is_empty() => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') if depth > 0 => depth -= 1,
                (None, ']') => {
                    spans.push((start, at));
                    close_at = Some(at);
                    break;
                }
                (None, ',') if depth == 0 => {
                    spans.push((start, at));
                    start = at + 1;
                }
                (None, _) => {}
            }
        }
        let close_at = close_at?;
        // Trim each element; `[]` has one empty span and no items.
        let spans: Vec<(usize, usize)> = spans
            .into_iter()
            .map(|(s, e)| {
                let piece = &text[s..e];
                let lead = piece.len() - piece.trim_start().len();
                (s + lead, s + lead + piece.trim().len())
            })
            .collect();
        if spans.len() == 1 && spans[0].0 == spans[0].1 {
            return Some(SeqText {
                head: "",
                items: Vec::new(),
                style: Style::Flow {
                    open: &text[..open_at + 1],
                    sep: ", ",
                    close: &text[close_at..],
                },
                format,
            });
        }
        if spans.iter().any(|(s, e)| s == e) {
            return None; // a trailing or doubled comma
        }
        let first = spans.first()?;
        let last = spans.last()?;
        let sep = spans.get(1).map_or(", ", |second| &text[first.1..second.0]);
        Some(SeqText {
            head: "",
            items: spans.iter().map(|&(s, e)| &text[s..e]).collect(),
            style: Style::Flow {
                open: &text[..first.0],
                sep,
                close: &text[last.1..],
            },
            format,
        })
    }

    /// The value of one item's text.
    fn item_value(&self, item: &str) -> Option<Value> {
        match self.style {
            Style::Block { indent, .. } => {
                let dedented = dedent(item, indent)?;
                let v = self.format.parse_value(&dedented).ok()?;
                match v.sequence()? {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            }
            // In brackets: alone, a plain YAML item could read as something
            // else (`a: b` a mapping, `- x` a list).
            Style::Flow { .. } => {
                let v = self.format.parse_value(&format!("[{item}]")).ok()?;
                match v.sequence()? {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            }
        }
    }

    /// Item `i` of another side's list `from`, written in `self`'s style.
    fn item_in_style(&self, from: &SeqText<'_>, i: usize, eol: &str) -> Option<String> {
        let item = from.items[i];
        match (&self.style, &from.style) {
            (
                Style::Block { prefix, indent },
                Style::Block {
                    prefix: their_prefix,
                    indent: their_indent,
                },
            ) => {
                let mut lines = lines_with_offsets(item).map(|(_, l)| l);
                let first = lines.next()?;
                let mut out = format!("{prefix}{}", &first[their_prefix.len()..]);
                // Continuation lines move with the item's content column.
                let shift = if prefix.ends_with(' ') && their_prefix.ends_with(' ') {
                    prefix.len() as isize - their_prefix.len() as isize
                } else {
                    *indent as isize - *their_indent as isize
                };
                for line in lines {
                    out.push_str(&reindent(line, shift)?);
                }
                Some(ensure_eol(out, eol))
            }
            (Style::Block { prefix, .. }, Style::Flow { .. }) => {
                Some(ensure_eol(format!("{prefix}{item}"), eol))
            }
            (Style::Flow { .. }, Style::Flow { .. }) => Some(item.to_owned()),
            (Style::Flow { .. }, Style::Block { prefix, .. }) => {
                let mut lines = lines_with_offsets(item).map(|(_, l)| l);
                let (first, _) = split_eol(lines.next()?);
                if lines.any(|l| !l.trim().is_empty()) {
                    return None; // a multi-line item does not fit in a flow list
                }
                Some(first[prefix.len()..].trim_end().to_owned())
            }
        }
    }
}

fn dedent(text: &str, n: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for (_, line) in lines_with_offsets(text) {
        if line.trim().is_empty() {
            out.push_str(split_eol(line).1);
        } else if indent_of(line) >= n {
            out.push_str(&line[n..]);
        } else {
            return None;
        }
    }
    Some(out)
}

fn reindent(line: &str, shift: isize) -> Option<String> {
    if line.trim().is_empty() || shift == 0 {
        return Some(line.to_owned());
    }
    if shift > 0 {
        return Some(format!("{}{line}", " ".repeat(shift as usize)));
    }
    let cut = shift.unsigned_abs();
    (indent_of(line) >= cut).then(|| line[cut..].to_owned())
}

fn ensure_eol(mut s: String, eol: &str) -> String {
    if !s.ends_with('\n') {
        s.push_str(eol);
    }
    s
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
    let pieces = items
        .iter()
        .map(|&(side, i)| match side {
            Side::Upstream => Some(upstream.items[i].to_owned()),
            Side::Stashed => upstream.item_in_style(stashed, i, eol),
        })
        .collect::<Option<Vec<String>>>()?;
    let text = match &upstream.style {
        Style::Block { .. } if pieces.is_empty() => {
            let (line, _) = split_eol(upstream.head);
            let name = line.rsplit_once(':').map_or(line, |(k, _)| k);
            format!("{name}: []{eol}")
        }
        Style::Block { .. } => format!("{}{}", upstream.head, pieces.concat()),
        Style::Flow { open, sep, close } => format!("{open}{}{close}", pieces.join(sep)),
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
