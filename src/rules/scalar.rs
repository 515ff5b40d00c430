//! A string entry as a side wrote it, so that a merged value can be written
//! back the same way: the same key line, the same quoting, the same comment.
//!
//! ```text
//! keywords: "a, b, c"  # seo      head `keywords: `  double quotes  tail `  # seo`
//! cSpell:ignore: foo bar          head `cSpell:ignore: `  plain
//! note: 'it''s'                   single quotes
//! description: >-                 head `description: `  block `>-`, content indent 2
//!   folded text
//! ```
//!
//! What is written is parsed back before it is used: a value that does not
//! read back as exactly the intended string is refused (then double quotes
//! are tried, then the caller falls back to asking).

use crate::article::frontmatter::written::{double_quoted, quoted_end};
use crate::article::{Entry, Format};
use crate::conflict::scan::{lines_with_offsets, split_eol};

/// How a scalar is quoted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Style<'a> {
    /// `key: text`.
    Plain,
    /// `key: 'text'`.
    Single,
    /// `key: "text"`.
    Double,
    /// `key: >-` or `key: |` and indented lines.
    Block {
        /// The indicator, e.g. `>-`.
        header: &'a str,
        /// The content lines' indent.
        indent: usize,
    },
}

/// A scalar entry cut into the text around its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarText<'a> {
    key: String,
    format: Format,
    /// Everything before the value: the key line up to the value (or the key
    /// line and the next line's indent when the value starts there).
    head: &'a str,
    /// The quoting.
    pub style: Style<'a>,
    /// After the value on its last line, before the line ending: spaces, a comment.
    tail: &'a str,
    eol: &'static str,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Where the comment on a line of plain text starts (with the spaces before it).
fn comment_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let hash = (1..b.len()).find(|&i| b[i] == b'#' && matches!(b[i - 1], b' ' | b'\t'))?;
    Some(s[..hash].trim_end_matches([' ', '\t']).len())
}

impl<'a> ScalarText<'a> {
    /// Cuts a string entry; `None` for anything else or a layout not followed
    /// (tags, anchors, explicit indentation indicators).
    pub fn parse(entry: &Entry<'a>) -> Option<ScalarText<'a>> {
        entry.value.as_str()?;
        let text = entry.text;
        let syntax = entry.format.syntax();
        let vs = syntax.value_start(text, &entry.key)?;
        let mut lines = lines_with_offsets(text);
        let (_, first) = lines.next()?;
        let (first_content, first_eol) = split_eol(first);
        // A JSON member's text has no line ending of its own.
        let eol = match first_eol {
            "\r\n" => "\r\n",
            "" => "",
            _ => "\n",
        };
        let rest = &first_content[vs..];
        let later: Vec<(usize, &str)> = lines.collect();
        let content_line = |(_, l): &&(usize, &str)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        };
        // The value starts on the key line, or on the next content line.
        let (start, on_first) = if rest.trim().is_empty() || rest.starts_with('#') {
            let (off, line) = *later.iter().find(content_line)?;
            (off + indent_of(line), false)
        } else {
            (vs, true)
        };
        let only_blank_after = |end: usize| {
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            text[line_end..].lines().all(|l| l.trim().is_empty())
        };
        let tail_at = |end: usize| {
            let line_end = text[end..]
                .find(['\r', '\n'])
                .map_or(text.len(), |i| end + i);
            &text[end..line_end]
        };
        let tail_ok = |t: &str| t.trim().is_empty() || t.trim_start().starts_with('#');
        let first_char = text[start..].bytes().next()?;
        // TOML and JSON: one string on the key line, `"..."` (which both
        // write with the escapes of YAML's double quotes) or a TOML literal
        // string `'...'`; no multi-line string.
        let not_followed = syntax.string_quotes().is_some_and(|quotes| {
            !quotes.contains(&first_char)
                || !on_first
                || text[start..].starts_with("\"\"\"")
                || text[start..].starts_with("'''")
        });
        if not_followed {
            return None;
        }
        let (style, tail) = match first_char {
            q @ (b'"' | b'\'') => {
                let end = quoted_end(text, start, q)?;
                let tail = tail_at(end);
                if !tail_ok(tail) || !only_blank_after(end) {
                    return None;
                }
                let style = if q == b'"' {
                    Style::Double
                } else {
                    Style::Single
                };
                (style, tail)
            }
            b'|' | b'>' if on_first => {
                let header_len = rest
                    .bytes()
                    .take_while(|b| matches!(b, b'|' | b'>' | b'-' | b'+'))
                    .count();
                let header = &rest[..header_len];
                let tail = &rest[header_len..];
                if !tail_ok(tail) {
                    return None; // an explicit indentation indicator or stray text
                }
                let (_, line) = *later.iter().find(content_line)?;
                let style = Style::Block {
                    header,
                    indent: indent_of(line),
                };
                (style, tail)
            }
            b'!' | b'&' | b'*' | b'[' | b'{' | b'?' | b'%' | b'@' | b'`' | b'|' | b'>' => {
                return None
            }
            b'-' if matches!(
                text.as_bytes().get(start + 1),
                None | Some(b' ' | b'\n' | b'\r')
            ) =>
            {
                return None
            }
            _ => {
                let continued = later.iter().filter(content_line).count() > usize::from(!on_first);
                if continued {
                    // A plain scalar over several lines: no comment may hide in it.
                    if text[start..].lines().any(|l| comment_start(l).is_some()) {
                        return None;
                    }
                    (Style::Plain, "")
                } else {
                    let line = tail_at(start);
                    let value_end = comment_start(line)
                        .unwrap_or_else(|| line.trim_end_matches([' ', '\t']).len());
                    (Style::Plain, &line[value_end..])
                }
            }
        };
        Some(ScalarText {
            key: entry.key.clone(),
            format: entry.format,
            head: &text[..start],
            style,
            tail,
            eol,
        })
    }

    fn render(&self, style: Style<'_>, value: &str) -> Option<String> {
        let (head, tail, eol) = (self.head, self.tail, self.eol);
        Some(match style {
            Style::Plain => {
                if value.is_empty() || value.contains(['\n', '\r']) || value != value.trim() {
                    return None;
                }
                format!("{head}{value}{tail}{eol}")
            }
            Style::Single => format!(
                "{head}{}{tail}{eol}",
                self.format.syntax().single_quoted(value)?
            ),
            Style::Double => format!("{head}{}{tail}{eol}", double_quoted(value)),
            Style::Block { header, indent } => {
                if header.starts_with('>') && value.contains('\n') {
                    return None; // folding would turn line breaks into spaces
                }
                let mut s = format!("{head}{header}{tail}{eol}");
                for line in value.trim_end_matches('\n').split('\n') {
                    if !line.is_empty() {
                        s.push_str(&" ".repeat(indent));
                        s.push_str(line);
                    }
                    s.push_str(eol);
                }
                s
            }
        })
    }

    fn reads_back(&self, text: &str, value: &str, block: bool) -> bool {
        let Ok(map) = self.format.parse_keys(text) else {
            return false;
        };
        let [(k, v)] = map.as_slice() else {
            return false;
        };
        let Some(got) = v.as_str() else {
            return false;
        };
        k == &self.key
            && (got == value
                || (block && got.trim_end_matches('\n') == value.trim_end_matches('\n')))
    }

    /// The entry with `value` in this style (double quotes when this style
    /// cannot hold it); `None` when neither reads back as `value`.
    pub fn write(&self, value: &str) -> Option<String> {
        for style in [self.style, Style::Double] {
            let block = matches!(style, Style::Block { .. });
            if let Some(t) = self.render(style, value) {
                if self.reads_back(&t, value, block) {
                    return Some(t);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::frontmatter::yaml::value_start;
    use crate::article::{parse, ArticleOptions};

    fn rewrite(entry: &str, value: &str) -> Option<String> {
        let doc = format!("---\n{entry}---\n");
        let a = parse(&doc, &ArticleOptions::default()).unwrap();
        let e = a.entries().next().unwrap();
        ScalarText::parse(e)?.write(value)
    }

    #[test]
    fn finds_where_the_value_starts() {
        assert_eq!(value_start("title: x\n", "title"), Some(7));
        assert_eq!(
            value_start("cSpell:ignore: a b\n", "cSpell:ignore"),
            Some(15)
        );
        assert_eq!(value_start("\"a: b\":   x\n", "a: b"), Some(10));
        assert_eq!(value_start("ms.date: 01/02/2025\n", "ms.date"), Some(9));
        assert_eq!(value_start("tags:\n  - a\n", "tags"), Some(5));
    }

    #[test]
    fn keeps_each_quoting_style_and_comment() {
        assert_eq!(
            rewrite("keywords: \"a, b\"  # seo\n", "a, b, c").as_deref(),
            Some("keywords: \"a, b, c\"  # seo\n")
        );
        assert_eq!(
            rewrite("cSpell:ignore: foo bar\n", "foo bar baz").as_deref(),
            Some("cSpell:ignore: foo bar baz\n")
        );
        assert_eq!(
            rewrite("k:   'it''s'\n", "it's ok").as_deref(),
            Some("k:   'it''s ok'\n")
        );
        assert_eq!(
            rewrite("k: a b # why\n", "a b c").as_deref(),
            Some("k: a b c # why\n")
        );
        assert_eq!(
            rewrite("d: >-\n  folded\n  text\n", "new text").as_deref(),
            Some("d: >-\n  new text\n")
        );
        assert_eq!(
            rewrite("d: |\n    one\n    two\n", "one\ntwo\nthree\n").as_deref(),
            Some("d: |\n    one\n    two\n    three\n")
        );
        assert_eq!(
            rewrite("d:\n  plain on the next line\n", "other").as_deref(),
            Some("d:\n  other\n")
        );
    }

    #[test]
    fn falls_back_to_double_quotes_when_the_style_cannot_hold_it() {
        assert_eq!(
            rewrite("k: a b\n", "a: b #c").as_deref(),
            Some("k: \"a: b #c\"\n")
        );
        assert_eq!(
            rewrite("k: 'x'\n", "line\nbreak").as_deref(),
            Some("k: \"line\\nbreak\"\n")
        );
        assert_eq!(
            rewrite("k: \"x\"\r\n", "q\"\\").as_deref(),
            Some("k: \"q\\\"\\\\\"\r\n")
        );
    }

    #[test]
    fn toml_literal_and_basic_strings_keep_their_quoting() {
        let rewrite = |entry: &str, value: &str| {
            let doc = format!("+++\n{entry}+++\n");
            let a = parse(&doc, &ArticleOptions::default()).unwrap();
            let e = a.entries().next().unwrap().clone();
            ScalarText::parse(&e)?.write(value)
        };
        assert_eq!(
            rewrite("k = 'a b'  # c\n", "a b c").as_deref(),
            Some("k = 'a b c'  # c\n")
        );
        assert_eq!(
            rewrite("k = 'a'\n", "it's").as_deref(),
            Some("k = \"it's\"\n"),
            "a literal string cannot hold a quote"
        );
        assert_eq!(
            rewrite("k = \"a\"\r\n", "x\\y").as_deref(),
            Some("k = \"x\\\\y\"\r\n")
        );
        assert_eq!(rewrite("k = '''\nlong\n'''\n", "x"), None);
        assert_eq!(
            rewrite("k = 2024-01-02\n", "x"),
            None,
            "a date is no string"
        );
    }

    #[test]
    fn what_cannot_be_followed_is_refused() {
        assert_eq!(rewrite("k: !!str x\n", "y"), None);
        assert_eq!(rewrite("k: &a x\n", "y"), None);
        assert_eq!(rewrite("k: [a]\n", "y"), None);
        assert_eq!(rewrite("k: 12\n", "y"), None, "not a string");
        assert_eq!(rewrite("k: |2\n  x\n", "y"), None);
    }
}
