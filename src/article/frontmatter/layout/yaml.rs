//! YAML block layouts: mappings and sequences by indentation, each child on
//! whole lines, flow values and scalars inside them.
//!
//! ```text
//! params:              ← the entry; its value starts on the next line
//!   # a note           ← lead of "author"
//!   author: Nina       ← child "author", value "Nina"
//!   tags:              ← child "tags": a block sequence at the same column
//!   - a
//!   - b
//! authors:
//!   - name: A          ← an item whose mapping starts after "- "
//!     email: a@x
//! ```
//!
//! Anything else (anchors, tags, complex keys, multi-line plain scalars,
//! block scalars) is a leaf: merged whole.

use super::{flow, Child, Kids, Layout, Node};
use crate::article::value::Value;
use crate::article::Format;
use crate::conflict::scan::{lines_with_offsets, split_eol};

/// The value of a top-level entry (`key: ...` and its continuation lines).
pub(super) fn entry_value<'a>(text: &'a str, _value: &Value) -> Option<Node<'a>> {
    let first = split_eol(text.lines().next()?).0;
    let (_, colon) = key_colon(first)?;
    value_after(text, colon + 1, 0, 0)
}

/// One line of a region: where it starts, its content without the line
/// ending, its indentation, and whether it holds nothing but blanks or a
/// comment.
struct Line<'a> {
    start: usize,
    end: usize,
    content: &'a str,
    indent: usize,
    blank: bool,
}

fn lines(text: &str, from: usize) -> Vec<Line<'_>> {
    lines_with_offsets(&text[from..])
        .map(|(off, l)| {
            let content = split_eol(l).0;
            let indent = content.len() - content.trim_start_matches(' ').len();
            let rest = content.trim_start();
            Line {
                start: from + off,
                end: from + off + l.len(),
                content,
                indent,
                blank: rest.is_empty() || rest.starts_with('#'),
            }
        })
        .collect()
}

/// The key of a block mapping's line content and the byte index of its
/// colon: `title: x` → ("title", 5); quoted keys unquoted. `None` when the
/// line is no `key:` line (an item, a flow value, a complex key...).
pub(super) fn key_colon(content: &str) -> Option<(String, usize)> {
    let t = content.trim_start();
    let lead = content.len() - t.len();
    let b = t.as_bytes();
    match *b.first()? {
        b'-' if matches!(b.get(1), None | Some(b' ' | b'\t')) => None,
        b'[' | b'{' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'?' | b'%' | b'@' | b'`' => None,
        q @ (b'"' | b'\'') => {
            let mut i = 1;
            let end = loop {
                match *b.get(i)? {
                    b'\\' if q == b'"' => i += 2,
                    c if c == q => {
                        if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break i;
                    }
                    _ => i += 1,
                }
            };
            let mut j = end + 1;
            while matches!(b.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            if b.get(j) != Some(&b':') || !matches!(b.get(j + 1), None | Some(b' ' | b'\t')) {
                return None;
            }
            let key = match crate::article::frontmatter::yaml::parse_value(&t[..=end]).ok()? {
                Value::String(s) => s,
                _ => return None,
            };
            Some((key, lead + j))
        }
        _ => {
            let mut i = 0;
            while i < b.len() {
                if b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ' | b'\t')) {
                    let key = t[..i].trim_end();
                    if key.is_empty() || key.contains(" #") {
                        return None;
                    }
                    return Some((key.to_owned(), lead + i));
                }
                if b[i] == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t') {
                    return None;
                }
                i += 1;
            }
            None
        }
    }
}

/// Where a single-line scalar ends before a comment (`Nina  # c` → 4).
fn scalar_end(content: &str) -> usize {
    let b = content.as_bytes();
    let end = match b.first() {
        Some(q @ (b'"' | b'\'')) => {
            let mut i = 1;
            loop {
                match b.get(i) {
                    None => break content.len(),
                    Some(b'\\') if *q == b'"' => i += 2,
                    Some(c) if c == q => {
                        if *q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break i + 1;
                    }
                    _ => i += 1,
                }
            }
        }
        _ => {
            let mut i = 0;
            loop {
                if i >= b.len() {
                    break content.len();
                }
                if b[i] == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t') {
                    break i;
                }
                i += 1;
            }
        }
    };
    content[..end.min(content.len())].trim_end().len()
}

/// The value written from `text[at..]` to the end of `text`: the rest of a
/// key line (after its colon) or of an item line (after its dash), and the
/// lines that continue it. `indent` is the column of the key or the dash:
/// lines of a nested block are indented more (a sequence under a key may sit
/// at the key's own column).
fn value_after(text: &str, at: usize, indent: usize, depth: usize) -> Option<Node<'_>> {
    if depth > 64 {
        return None;
    }
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let rest = split_eol(&text[at..line_end]).0;
    let content = rest.trim_start();
    let content_at = at + (rest.len() - content.len());
    let more = line_end < text.len();
    if !content.is_empty() && !content.starts_with('#') {
        return inline_value(text, content_at, line_end, more, indent);
    }
    // The value is on the next lines: a block, or nothing (null).
    let below = lines(text, line_end);
    let Some(first) = below.iter().find(|l| !l.blank) else {
        return Some(Node::leaf(&text[content_at..content_at], Value::Null));
    };
    if is_item(first) && first.indent >= indent {
        return block_seq(text, &below, first.indent, depth);
    }
    if first.indent > indent && key_colon(first.content).is_some() {
        return block_map(text, &below, first.indent, None, depth);
    }
    None
}

/// A value that starts on its key's (or dash's) line at `at`; `indent` is
/// the column of the key or the dash.
fn inline_value(
    text: &str,
    at: usize,
    line_end: usize,
    more: bool,
    indent: usize,
) -> Option<Node<'_>> {
    let b = text.as_bytes();
    match b[at] {
        b'[' | b'{' => flow::collection(&text[..trim_end_len(text)], at, Format::Yaml),
        _ if more => Some(Node::leaf(
            &text[at..continued_end(text, at, line_end, indent)],
            Value::Null,
        )),
        b'|' | b'>' => Some(Node::leaf(&text[at..trim_end_len(text)], Value::Null)),
        // An anchor or a tag, then the value on the line: a comment after
        // it is the line's, as after any value (trial L: `x: &a foo # note`
        // read the comment as the value's, and theirs' new value dropped
        // it). An alias is a token that ends where a comment starts.
        b'&' | b'!' => {
            let content = split_eol(&text[at..line_end]).0;
            let mut rest = content;
            while rest.starts_with(['&', '!']) {
                let token = rest.find([' ', '\t']).unwrap_or(rest.len());
                rest = rest[token..].trim_start_matches([' ', '\t']);
            }
            let skipped = content.len() - rest.len();
            let end = if rest.is_empty() || rest.starts_with('#') {
                content[..skipped].trim_end().len()
            } else {
                skipped + scalar_end(rest)
            };
            Some(Node::leaf(&text[at..at + end], Value::Null))
        }
        _ => {
            let content = split_eol(&text[at..line_end]).0;
            let end = at + scalar_end(content);
            Some(Node::leaf(&text[at..end], Value::Null))
        }
    }
}

/// Where a value starting at `at` on a line of its own and followed by
/// more lines ends (`line_end`: the end of its first line; `indent`: the
/// column of its key or dash): after its last line of text. A block
/// scalar's (`|`, `>-`) are the lines indented more than `indent` (a `#`
/// among them is its text); a quoted scalar's run to its closing quote; a
/// plain scalar's continue on lines indented more, up to a comment line.
/// Comment lines after it, at any indentation, are not its text but the
/// lines after it (a comment edited on one side and the value on the
/// other are two changes).
fn continued_end(text: &str, at: usize, line_end: usize, indent: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let first = split_eol(&text[at..line_end]).0;
    let below = || {
        lines(text, line_end)
            .into_iter()
            .filter(|l| !l.content.trim().is_empty())
    };
    if let Some(keep) =
        crate::article::frontmatter::yaml::opens_block_scalar(&text[line_start..line_end])
    {
        let mut end = at + first.trim_end().len();
        for l in lines(text, line_end) {
            if l.content.trim().is_empty() {
                // Kept (`|+`), its trailing empty lines are its value: all
                // but the last one's line break (the line's own ending, as
                // for every value).
                if keep {
                    end = l.start;
                }
                continue;
            }
            if l.indent <= indent {
                break;
            }
            end = l.start + l.content.trim_end().len();
        }
        return end;
    }
    if let Some(close) = closing_quote(text, at) {
        return close;
    }
    let mut end = at + scalar_end(first);
    for l in below() {
        if l.indent <= indent || l.content.trim_start().starts_with('#') {
            break;
        }
        end = l.start + scalar_end(l.content);
    }
    end
}

/// Just after the quote that closes the quoted scalar opening at `at`
/// (`"…"` with `\` escapes, `'…'` with `''` for a quote); `None` when
/// `at` opens none or it is not closed.
fn closing_quote(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let q = *b.get(at).filter(|&&c| c == b'"' || c == b'\'')?;
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The length of `text` without its final line ending and blanks.
fn trim_end_len(text: &str) -> usize {
    text.trim_end_matches(['\n', '\r', ' ', '\t']).len()
}

/// Whether a line is a block sequence's item (`- a`, `-`).
fn is_item(l: &Line<'_>) -> bool {
    let t = l.content.trim_start();
    t.starts_with('-') && matches!(t.as_bytes().get(1), None | Some(b' ' | b'\t'))
}

/// Groups lines into children: each starts at a line of column `col` that
/// `starts` accepts; blank and comment lines before it are its lead; lines
/// indented more continue it. Returns (outer start, key line start, end)
/// per child; `None` when a line fits no child.
fn group(
    below: &[Line<'_>],
    col: usize,
    first_at: Option<usize>,
    starts: impl Fn(&Line<'_>) -> bool,
) -> Option<Vec<(usize, usize, usize)>> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    let mut pending: Option<usize> = None;
    if let Some(at) = first_at {
        // The first child starts mid-line (after an item's dash).
        let l = below.first()?;
        out.push((at, at, l.end));
    }
    // The block scalar (`note: |`) the lines now read may be in: the
    // indentation of the line that opened it and whether it keeps its final
    // line breaks (`|+`). Its lines are its text, a `#` line among them
    // (not a comment leading the next child), and so are its trailing empty
    // lines where it keeps them.
    let opened = |l: &Line<'_>| {
        crate::article::frontmatter::yaml::opens_block_scalar(l.content).map(|k| (l.indent, k))
    };
    let mut scalar = first_at.and_then(|_| below.first()).and_then(opened);
    for l in below.iter().skip(usize::from(first_at.is_some())) {
        let empty = l.content.trim().is_empty();
        let inside = scalar.is_some_and(|(at, keep)| {
            if empty {
                keep && pending.is_none()
            } else {
                l.indent > at
            }
        });
        if let (true, Some(last)) = (inside, out.last_mut()) {
            // (An empty line before it was the scalar's too.)
            pending = None;
            last.2 = l.end;
            continue;
        }
        if !empty {
            scalar = None;
        }
        if !l.blank && l.indent == col && starts(l) {
            let lead = pending.take().unwrap_or(l.start);
            out.push((lead, l.start, l.end));
            scalar = opened(l);
        } else if l.blank {
            pending.get_or_insert(l.start);
        } else if l.indent > col || (l.indent == col && is_item(l)) {
            // Indented more: the last child's; a `- ` item at the column
            // of a mapping's keys: the list of the key above it, written
            // without indenting its items (`kw:` then `- a` under it).
            let last = out.last_mut()?;
            pending = None;
            last.2 = l.end;
            scalar = opened(l);
        } else {
            return None;
        }
    }
    // Blank or comment lines after the last child stay with it.
    if let (Some(p), Some(last)) = (pending, out.last_mut()) {
        let _ = p;
        last.2 = below.last()?.end;
    }
    Some(out)
}

fn block_map<'a>(
    text: &'a str,
    below: &[Line<'a>],
    col: usize,
    first_at: Option<usize>,
    depth: usize,
) -> Option<Node<'a>> {
    let groups = group(below, col, first_at, |l| key_colon(l.content).is_some())?;
    let mut kids = Vec::with_capacity(groups.len());
    for (lead, start, end) in groups {
        let child_text = &text[..end];
        let line = split_eol(child_text[start..].lines().next()?).0;
        let (key, colon) = if first_at == Some(start) {
            let (k, c) = key_colon(line)?;
            (k, c)
        } else {
            key_colon(line)?
        };
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let key_col = start - line_start + (line.len() - line.trim_start().len());
        let node =
            value_after(child_text, start + colon + 1, key_col, depth + 1).unwrap_or_else(|| {
                Node::leaf(value_or_rest(child_text, start + colon + 1), Value::Null)
            });
        kids.push(Child {
            key: Some(key),
            outer: &text[lead..end],
            node,
            section: false,
        });
    }
    let start = kids.first()?.outer.as_ptr() as usize - text.as_ptr() as usize;
    let end = below.last()?.end;
    Some(Node {
        text: &text[start..end],
        value: Value::Null,
        kids: Kids::Map(Layout::Lines, kids),
    })
}

/// A value the layout cannot follow: from after its colon to the end of its
/// lines, whole.
fn value_or_rest(text: &str, at: usize) -> &str {
    let t = &text[at..trim_end_len(text).max(at)];
    let skip = t.len() - t.trim_start().len();
    &t[skip..]
}

fn block_seq<'a>(text: &'a str, below: &[Line<'a>], col: usize, depth: usize) -> Option<Node<'a>> {
    let groups = group(below, col, None, is_item)?;
    let mut kids = Vec::with_capacity(groups.len());
    for (lead, start, end) in groups {
        let item_text = &text[..end];
        // After the dash and its blanks.
        let dash = start + col;
        let mut at = dash + 1;
        while matches!(text.as_bytes().get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        let line_end = text[start..].find('\n').map_or(end, |i| start + i + 1);
        let rest = split_eol(&text[at..line_end]).0;
        let node = if !rest.is_empty() && !rest.starts_with('#') && key_colon(rest).is_some() {
            // A mapping that starts on the dash's line.
            let item_lines = lines(item_text, line_end);
            let mut all = vec![Line {
                start: at,
                end: line_end,
                content: rest,
                indent: at - start,
                blank: false,
            }];
            all.extend(item_lines);
            block_map(item_text, &all, at - start, Some(at), depth + 1)
        } else if rest.starts_with('-') {
            None
        } else {
            value_after(item_text, dash + 1, col, depth + 1)
        };
        let node = node?;
        kids.push(Child {
            key: None,
            outer: &text[lead..end],
            node,
            section: false,
        });
    }
    let start = kids.first()?.outer.as_ptr() as usize - text.as_ptr() as usize;
    let end = below.last()?.end;
    Some(Node {
        text: &text[start..end],
        value: Value::Null,
        kids: Kids::Seq(Layout::Lines, kids),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_with_their_colon() {
        assert_eq!(key_colon("title: x"), Some(("title".into(), 5)));
        assert_eq!(key_colon("  a b: x"), Some(("a b".into(), 5)));
        assert_eq!(key_colon("\"a: b\": x"), Some(("a: b".into(), 6)));
        assert_eq!(key_colon("ms.date: 2024"), Some(("ms.date".into(), 7)));
        assert_eq!(key_colon("- a: b"), None);
        assert_eq!(key_colon("url: http://x"), Some(("url".into(), 3)));
        assert_eq!(key_colon("just text"), None);
    }

    #[test]
    fn scalars_end_before_their_comment() {
        assert_eq!(scalar_end("Nina  # c"), 4);
        assert_eq!(scalar_end("\"a # b\" # c"), 7);
        assert_eq!(scalar_end("a#b"), 3);
    }

    #[test]
    fn sequences_at_the_keys_column_and_nested_maps() {
        let t = "tags:\n- a\n- b # c\n";
        let n = entry_value(t, &Value::Null).unwrap();
        let kids: Vec<&str> = n.children().iter().map(|c| c.node.text).collect();
        assert_eq!(kids, ["a", "b"]);
        assert_eq!(n.children()[1].outer, "- b # c\n");
        let t = "p:\n  a:\n    b: 1\n  c: 2\n";
        let n = entry_value(t, &Value::Null).unwrap();
        let a = &n.children()[0];
        assert_eq!(a.outer, "  a:\n    b: 1\n");
        assert_eq!(a.node.children()[0].outer, "    b: 1\n");
    }

    #[test]
    fn a_block_scalar_keeps_its_hash_lines_and_its_kept_empty_lines() {
        let outers = |t: &str| -> Vec<String> {
            let n = entry_value(t, &Value::Null).unwrap();
            n.children().iter().map(|c| c.outer.to_owned()).collect()
        };
        assert_eq!(
            outers("p:\n  note: |\n    line\n    # tail\n  x: 1\n"),
            ["  note: |\n    line\n    # tail\n", "  x: 1\n"]
        );
        // Kept (`|+`): the empty lines after it are its text; clipped, the
        // lead of the key after it.
        assert_eq!(
            outers("p:\n  note: |+\n    line\n\n  x: 1\n"),
            ["  note: |+\n    line\n\n", "  x: 1\n"]
        );
        assert_eq!(
            outers("p:\n  note: |\n    a\n\n    b\n\n  # c\n  x: 1\n"),
            ["  note: |\n    a\n\n    b\n", "\n  # c\n  x: 1\n"]
        );
        // A comment at the scalar's own indentation ends it.
        assert_eq!(
            outers("p:\n  note: |+\n    a\n  # c\n\n  x: 1\n"),
            ["  note: |+\n    a\n", "  # c\n\n  x: 1\n"]
        );
        // In a list item opening on the dash line.
        assert_eq!(outers("l:\n- |+\n  a\n\n- b\n"), ["- |+\n  a\n\n", "- b\n"]);
    }

    #[test]
    fn a_list_at_its_key_s_column_inside_a_mapping_is_that_key_s() {
        let n = entry_value("seo:\n  kw:\n  - a\n  - b\n  n: 1\n", &Value::Null).unwrap();
        let kids: Vec<&str> = n.children().iter().map(|c| c.outer).collect();
        assert_eq!(kids, ["  kw:\n  - a\n  - b\n", "  n: 1\n"]);
        let items: Vec<&str> = n.children()[0]
            .node
            .children()
            .iter()
            .map(|c| c.node.text)
            .collect();
        assert_eq!(items, ["a", "b"]);
    }

    #[test]
    fn a_value_over_lines_ends_at_its_last_line_of_text() {
        let text_of = |t: &str| entry_value(t, &Value::Null).unwrap().text.to_owned();
        assert_eq!(text_of("a: 1\n    # c\n"), "1");
        assert_eq!(text_of("a: one\n  two\n  # c\n"), "one\n  two");
        assert_eq!(text_of("a: \"x\n  # y\"\n  # c\n"), "\"x\n  # y\"");
        assert_eq!(text_of("a: 'it''s\n  # y'\n"), "'it''s\n  # y'");
        assert_eq!(text_of("a: |\n  x\n  # y\n# c\n"), "|\n  x\n  # y");
        assert_eq!(closing_quote("\"a\\\"b\" c", 0), Some(6));
        assert_eq!(closing_quote("'open", 0), None);
    }
}
