//! Where and how a value is written in an entry's text: the [`Span`] of
//! an inner value and its [`Kind`], and the quoting the formats share
//! (double quotes read alike in YAML, JSON and a TOML basic string).

use crate::conflict::scan::{lines_with_offsets, split_eol};
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
