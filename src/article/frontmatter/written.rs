//! Where and how a value is written in an entry's text: the [`Span`] of
//! an inner value and its [`Kind`], and the quoting the formats share
//! (double quotes read alike in YAML, JSON and a TOML basic string).

use crate::conflict::scan::{lines_with_offsets, split_eol};

use super::Syntax;

/// How an inner value is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `"text"` (JSON strings too).
    Double,
    /// `'text'`.
    Single,
    /// Bare text, a number, `true`.
    Plain,
    /// A `{…}` or `[…]` value.
    Collection,
    /// A TOML multi-line string, `"""…"""` or `'''…'''`.
    Multiline,
}

/// Where an inner value's text is, in bytes of the entry text.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// How it is written.
    pub kind: Kind,
}

/// Byte offset in an entry's `text` where its value starts: after the
/// first `separator` outside quotes on the key line, and the spaces after it.
pub(super) fn value_after_separator(text: &str, separator: char) -> Option<usize> {
    let (line, _) = split_eol(lines_with_offsets(text).next()?.1);
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => i = quoted_end(line, i, q)?,
            c if char::from(c) == separator => {
                let after = &line[i + 1..];
                return Some(i + 1 + after.len() - after.trim_start_matches([' ', '\t']).len());
            }
            _ => i += 1,
        }
    }
    None
}

/// The end (exclusive) of a quoted scalar opening at `start`: `"…"` with
/// backslash escapes, `'…'` with doubled quotes.
pub fn quoted_end(text: &str, start: usize, quote: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start + 1;
    while i < b.len() {
        match (quote, b[i]) {
            (b'"', b'\\') => i += 2,
            (b'"', b'"') => return Some(i + 1),
            (b'\'', b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            (b'\'', b'\'') => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Escapes a string for double quotes, the same in YAML, JSON and a TOML
/// basic string.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How a string value is written on its entry's lines.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StringStyle<'a> {
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

/// A string entry cut into the text around its value.
///
/// ```text
/// keywords: "a, b, c"  # seo      head `keywords: `  double quotes  tail `  # seo`
/// cSpell:ignore: foo bar          head `cSpell:ignore: `  plain
/// note: 'it''s'                   single quotes
/// description: >-                 head `description: `  block `>-`, content indent 2
///   folded text
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StringText<'a> {
    /// Everything before the value: the key line up to the value (or the key
    /// line and the next line's indent when the value starts there).
    pub head: &'a str,
    /// The quoting.
    pub style: StringStyle<'a>,
    /// After the value on its last line, before the line ending: spaces, a comment.
    pub tail: &'a str,
    /// The key line's ending (none for a JSON member, which has none of its own).
    pub eol: &'static str,
}

/// The key line's ending of an entry's `text`, as a static string.
pub(super) fn first_eol(text: &str) -> Option<&'static str> {
    let (_, first) = lines_with_offsets(text).next()?;
    Some(match split_eol(first).1 {
        "\r\n" => "\r\n",
        "" => "",
        _ => "\n",
    })
}

/// Whether `text` holds only blank lines after the line `end` is on.
pub(super) fn only_blank_after(text: &str, end: usize) -> bool {
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    text[line_end..].lines().all(|l| l.trim().is_empty())
}

/// The rest of the line from `end`, without its line ending.
pub(super) fn rest_of_line(text: &str, end: usize) -> &str {
    let line_end = text[end..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| end + i);
    &text[end..line_end]
}

/// Whether `tail`, after a value on its line, is spaces or a comment.
pub(super) fn tail_ok<S: Syntax + ?Sized>(syntax: &S, tail: &str) -> bool {
    tail.trim().is_empty()
        || syntax
            .line_comment()
            .is_some_and(|c| tail.trim_start().starts_with(c))
}

/// A string entry written as one quoted string on its key line (in one of
/// `syntax`'s [`Syntax::string_quotes`], a multi-line string aside), then
/// spaces or a comment, and nothing on the lines after.
pub(super) fn one_line_string<'a, S: Syntax + ?Sized>(
    syntax: &S,
    text: &'a str,
    key: &str,
) -> Option<StringText<'a>> {
    let start = syntax.value_start(text, key)?;
    let eol = first_eol(text)?;
    let rest = &text[start..];
    let q = rest.bytes().next()?;
    if !syntax.string_quotes().contains(&q) || rest.starts_with("\"\"\"") || rest.starts_with("'''")
    {
        return None;
    }
    let end = quoted_end(text, start, q)?;
    let tail = rest_of_line(text, end);
    if !tail_ok(syntax, tail) || !only_blank_after(text, end) {
        return None;
    }
    let style = if q == b'"' {
        StringStyle::Double
    } else {
        StringStyle::Single
    };
    Some(StringText {
        head: &text[..start],
        style,
        tail,
        eol,
    })
}

/// `cut`'s entry with `value` in `style`, plain or quoted on the key line;
/// `None` for a style that cannot hold `value` (or a block scalar, which
/// the format that has them writes).
pub(super) fn string_written<S: Syntax + ?Sized>(
    syntax: &S,
    cut: &StringText<'_>,
    style: StringStyle<'_>,
    value: &str,
) -> Option<String> {
    let StringText {
        head, tail, eol, ..
    } = *cut;
    Some(match style {
        StringStyle::Plain => {
            if value.is_empty() || value.contains(['\n', '\r']) || value != value.trim() {
                return None;
            }
            format!("{head}{value}{tail}{eol}")
        }
        StringStyle::Single => format!("{head}{}{tail}{eol}", syntax.single_quoted(value)?),
        StringStyle::Double => format!("{head}{}{tail}{eol}", double_quoted(value)),
        StringStyle::Block { .. } => return None,
    })
}
