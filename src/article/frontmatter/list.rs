//! A list entry as written, cut into its items ([`ListText`]): what
//! `merge/seq.rs` needs to write a merged list in a side's own style. How
//! a format writes its lists is its [`Syntax`]'s (`list_text`,
//! `list_item_value`, `list_item_moved`, `empty_list`); the list in
//! brackets, `[a, "b c"]`, reads alike in every format and is cut here.
//!
//! ```text
//! tags:                  head          tags: [a, "b c"]    open  `tags: [`
//!   - a                  item 0                            items `a`, `"b c"`
//!   - b c                item 1                            sep   `, `
//!                                                          close `]\n`
//! ```

use super::{Syntax, Value};

/// How a list is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListStyle<'a> {
    /// One item (or more lines) a line under the key line; `prefix` is the
    /// first item's indent and marker, `indent` its indent.
    Lines {
        /// The first item's indent, marker and spaces (`  - `).
        prefix: &'a str,
        /// The first item's indent.
        indent: usize,
    },
    /// `[a, b]`; `sep` is the text between the first two items.
    Flow {
        /// Everything before the first item.
        open: &'a str,
        /// The text between the first two items (`, ` when there are fewer).
        sep: &'a str,
        /// Everything after the last item.
        close: &'a str,
    },
}

/// A list entry cut into its pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListText<'a> {
    /// The key line (and comments before the first item) for
    /// [`ListStyle::Lines`]; empty for a flow list.
    pub head: &'a str,
    /// Each item's text: whole lines for [`ListStyle::Lines`], the bare
    /// element for a flow list.
    pub items: Vec<&'a str>,
    /// How the list is written.
    pub style: ListStyle<'a>,
}

impl ListText<'_> {
    /// The list written with `pieces` (items in this list's style) for its
    /// items: the head and the lines, or the brackets and separators.
    pub fn joined(&self, pieces: &[String]) -> String {
        match &self.style {
            ListStyle::Lines { .. } => format!("{}{}", self.head, pieces.concat()),
            ListStyle::Flow { open, sep, close } => format!("{open}{}{close}", pieces.join(sep)),
        }
    }
}

/// A list in brackets after the key's `separator` on the key line, split
/// at commas outside quotes and brackets; `None` for anything else (a
/// trailing or doubled comma, an unclosed bracket).
pub fn flow(text: &str, separator: char) -> Option<ListText<'_>> {
    let open_at = text.find('[')?;
    if !text[..open_at].trim_end().ends_with(separator) || text[..open_at].contains('\n') {
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
        return Some(ListText {
            head: "",
            items: Vec::new(),
            style: ListStyle::Flow {
                open: &text[..open_at + 1],
                sep: ", ",
                close: &text[close_at..],
            },
        });
    }
    if spans.iter().any(|(s, e)| s == e) {
        return None; // a trailing or doubled comma
    }
    let first = spans.first()?;
    let last = spans.last()?;
    let sep = spans.get(1).map_or(", ", |second| &text[first.1..second.0]);
    Some(ListText {
        head: "",
        items: spans.iter().map(|&(s, e)| &text[s..e]).collect(),
        style: ListStyle::Flow {
            open: &text[..first.0],
            sep,
            close: &text[last.1..],
        },
    })
}

/// The value of a flow list's item: read in brackets, since alone a plain
/// YAML item could read as something else (`a: b` a mapping, `- x` a list).
pub fn flow_item_value<S: Syntax + ?Sized>(syntax: &S, item: &str) -> Option<Value> {
    let v = syntax.parse_value(&format!("[{item}]")).ok()?;
    match v.sequence()? {
        [one] => Some(one.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_lists_are_cut_at_commas_outside_quotes_and_brackets() {
        let l = flow("t = ['a, b', [1, 2], {x = 1}]  # c\n", '=').unwrap();
        assert_eq!(l.items, ["'a, b'", "[1, 2]", "{x = 1}"]);
        assert_eq!(
            l.style,
            ListStyle::Flow {
                open: "t = [",
                sep: ", ",
                close: "]  # c\n"
            }
        );
        assert_eq!(l.joined(&["x".into(), "y".into()]), "t = [x, y]  # c\n");
        let empty = flow("\"t\": [ ]", ':').unwrap();
        assert!(empty.items.is_empty());
        assert_eq!(empty.joined(&[]), "\"t\": []");
        assert_eq!(flow("t: [a, ]\n", ':'), None, "a trailing comma");
        assert_eq!(flow("t: [a\n", ':'), None, "never closed");
        assert_eq!(flow("t = [a]\n", ':'), None, "not after the separator");
    }
}
