//! Flow values laid out: `[a, b]`, `{k: v}` in YAML, TOML inline tables and
//! arrays, JSON objects and arrays. Only where each child's text starts and
//! ends is read here; the data comes from the format's parser
//! ([`super::checked`]), so a misread layout is a leaf, never a wrong value.

use super::{Child, Kids, Layout, Node};
use crate::article::value::Value;
use crate::article::Format;

struct Scan<'t> {
    t: &'t str,
    b: &'t [u8],
    format: Format,
}

/// The end (one past the closing quote) of the double-quoted string opening
/// at `open`, escapes followed.
pub(super) fn string_end(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

impl<'t> Scan<'t> {
    /// Skips blanks, line ends and comments from `i`.
    fn ws(&self, mut i: usize) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'#' if self.format != Format::Json
                    && (self.format == Format::Toml
                        || i == 0
                        || matches!(self.b[i - 1], b' ' | b'\t' | b'\n')) =>
                {
                    while i < self.b.len() && self.b[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        i
    }

    /// The end of a quoted scalar opening at `i`.
    fn quoted(&self, i: usize) -> Option<usize> {
        let q = self.b[i];
        if self.format == Format::Toml && self.b[i..].starts_with(&[q, q, q]) {
            let close = [q, q, q];
            let from = i + 3;
            let rel = self.t[from..].find(std::str::from_utf8(&close).ok()?)?;
            let mut end = from + rel + 3;
            // Up to two more quotes belong to the string.
            while end < self.b.len() && self.b[end] == q && end < from + rel + 5 {
                end += 1;
            }
            return Some(end);
        }
        if q == b'"' {
            return string_end(self.b, i).map(|e| e + 1);
        }
        // Single quotes: YAML doubles them inside; TOML has no escapes.
        let mut j = i + 1;
        while j < self.b.len() {
            if self.b[j] == b'\'' {
                if self.format == Format::Yaml && self.b.get(j + 1) == Some(&b'\'') {
                    j += 2;
                    continue;
                }
                return Some(j + 1);
            }
            j += 1;
        }
        None
    }

    /// The end of a plain scalar (or a key when `key`) starting at `i`.
    fn plain(&self, i: usize, key: bool) -> Option<usize> {
        let mut j = i;
        while j < self.b.len() {
            let c = self.b[j];
            let next = self.b.get(j + 1).copied();
            let ends = match c {
                b',' | b']' | b'}' | b'\n' | b'\r' => true,
                b':' if self.format != Format::Toml => {
                    key && matches!(next, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b','))
                }
                b'=' if self.format == Format::Toml => key,
                b'#' => {
                    self.format != Format::Json && j > i && matches!(self.b[j - 1], b' ' | b'\t')
                }
                _ => false,
            };
            if ends {
                break;
            }
            j += 1;
        }
        let end = i + self.t[i..j].trim_end().len();
        (end > i).then_some(end)
    }

    /// One value from `i` (blanks skipped before): its node and end.
    fn value(&self, i: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        if depth > 64 {
            return None;
        }
        let i = self.ws(i);
        match *self.b.get(i)? {
            b'[' => self.seq(i, depth),
            b'{' => self.map(i, depth),
            b'"' | b'\'' => {
                let end = self.quoted(i)?;
                Some((Node::leaf(&self.t[i..end], Value::Null), end))
            }
            _ => {
                let end = self.plain(i, false)?;
                Some((Node::leaf(&self.t[i..end], Value::Null), end))
            }
        }
    }

    fn seq(&self, open: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        let mut kids = Vec::new();
        let mut i = self.ws(open + 1);
        loop {
            if *self.b.get(i)? == b']' {
                break;
            }
            let (node, end) = self.value(i, depth + 1)?;
            let start = crate::article::offset_in(self.t, node.text);
            kids.push(Child {
                key: None,
                outer: &self.t[start..end],
                node,
                section: false,
            });
            i = self.ws(end);
            match *self.b.get(i)? {
                b',' => i = self.ws(i + 1),
                b']' => break,
                _ => return None,
            }
        }
        let end = i + 1;
        Some((
            Node {
                text: &self.t[open..end],
                value: Value::Null,
                kids: Kids::Seq(Layout::Flow, kids),
            },
            end,
        ))
    }

    fn map(&self, open: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        let mut kids = Vec::new();
        let mut i = self.ws(open + 1);
        loop {
            if *self.b.get(i)? == b'}' {
                break;
            }
            let key_start = i;
            let (key, key_end) = match self.b[i] {
                b'"' | b'\'' => {
                    let end = self.quoted(i)?;
                    (unquote(&self.t[i..end], self.format)?, end)
                }
                _ => {
                    let end = self.plain(i, true)?;
                    // A dotted key inside an inline table is a path: not followed.
                    if self.format == Format::Toml && self.t[i..end].contains('.') {
                        return None;
                    }
                    (self.t[i..end].to_owned(), end)
                }
            };
            let mut j = key_end;
            while matches!(self.b.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            let sep = if self.format == Format::Toml {
                b'='
            } else {
                b':'
            };
            if *self.b.get(j)? != sep {
                return None;
            }
            let (node, end) = self.value(j + 1, depth + 1)?;
            kids.push(Child {
                key: Some(key),
                outer: &self.t[key_start..end],
                node,
                section: false,
            });
            i = self.ws(end);
            match *self.b.get(i)? {
                b',' => i = self.ws(i + 1),
                b'}' => break,
                _ => return None,
            }
        }
        let end = i + 1;
        Some((
            Node {
                text: &self.t[open..end],
                value: Value::Null,
                kids: Kids::Map(Layout::Flow, kids),
            },
            end,
        ))
    }
}

/// A quoted key's text, as the format reads it.
fn unquote(quoted: &str, format: Format) -> Option<String> {
    match format {
        Format::Json => serde_json::from_str(quoted).ok(),
        Format::Toml => {
            let v: Value = ::toml::from_str(&format!("{quoted} = 1")).ok()?;
            v.mapping()?.keys().next().cloned()
        }
        Format::Yaml => {
            if let Some(text) = yaml_verbatim(quoted) {
                return Some(text.to_owned());
            }
            match crate::article::frontmatter::yaml::parse_value(quoted).ok()? {
                Value::String(s) => Some(s),
                _ => None,
            }
        }
    }
}

/// A YAML quoted scalar's text when reading it changes nothing: between
/// its quotes only characters YAML takes as written (printable, no line
/// break, no tab), no escape and no quote of either kind. `None` for any
/// other, which the parser reads (a schema's keys are read without it).
fn yaml_verbatim(quoted: &str) -> Option<&str> {
    let q = *quoted.as_bytes().first()?;
    if quoted.len() < 2 || !matches!(q, b'"' | b'\'') || quoted.as_bytes()[quoted.len() - 1] != q {
        return None;
    }
    let inner = &quoted[1..quoted.len() - 1];
    inner
        .chars()
        .all(|c| match c {
            '\\' | '"' | '\'' => false,
            ' '..='~' => true,
            '\u{A0}'..='\u{FFFD}' => !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}'),
            _ => c >= '\u{10000}',
        })
        .then_some(inner)
}

/// The value written at `text[start..]` (blanks before it skipped): a flow
/// collection with its children, or a scalar leaf. Only blanks and a comment
/// may follow it; else `None` (the caller keeps the value whole).
pub(super) fn value<'t>(
    text: &'t str,
    start: usize,
    format: Format,
    _data: &Value,
) -> Option<Node<'t>> {
    let s = Scan {
        t: text,
        b: text.as_bytes(),
        format,
    };
    let (node, end) = s.value(start, 0)?;
    if s.ws(end) != text.len() {
        return None;
    }
    Some(node)
}

/// Like [`value`], for a value that must be a flow collection: `None` for a
/// scalar (which the caller lays out itself).
pub(super) fn collection<'t>(text: &'t str, start: usize, format: Format) -> Option<Node<'t>> {
    let s = Scan {
        t: text,
        b: text.as_bytes(),
        format,
    };
    let i = s.ws(start);
    if !matches!(s.b.get(i), Some(b'[' | b'{')) {
        return None;
    }
    let (node, end) = s.value(i, 0)?;
    (s.ws(end) == text.len()).then_some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_key_taken_as_written_is_the_key_the_parser_reads() {
        // Every pair of characters from a set of plain and awkward ones,
        // in both quotes: where the key is taken as written, the parser
        // reads the same; it is taken as written for plain text.
        let chars = [
            "a", " ", "~", ":", "#", "@", "\\", "\"", "'", "\t", "\n", "\r", "\u{1}", "\u{7f}",
            "\u{85}", "\u{a0}", "é", "д", "\u{2028}", "\u{2029}", "\u{feff}", "\u{fffe}",
            "\u{d7ff}", "😀", "\\n", "''",
        ];
        let mut taken = 0;
        for a in chars {
            for b in chars {
                for q in ['"', '\''] {
                    let quoted = format!("{q}{a}{b}{q}");
                    let Some(text) = yaml_verbatim(&quoted) else {
                        continue;
                    };
                    taken += 1;
                    assert_eq!(
                        crate::article::frontmatter::yaml::parse_value(&quoted).ok(),
                        Some(Value::String(text.to_owned())),
                        "{quoted:?}"
                    );
                }
            }
        }
        assert!(taken > 100, "{taken}");
        assert_eq!(yaml_verbatim("\"@context\""), Some("@context"));
        assert_eq!(yaml_verbatim("'don''t'"), None);
        assert_eq!(yaml_verbatim("\"a\\tb\""), None);
    }

    fn kids(n: &Node<'_>) -> Vec<(Option<String>, String)> {
        n.children()
            .iter()
            .map(|c| (c.key.clone(), c.outer.to_owned()))
            .collect()
    }

    #[test]
    fn yaml_flows_with_plain_and_quoted_scalars() {
        let t = "{name: Alice B, 'e': \"a, b\", n: [1, 2]}  # c";
        let n = value(t, 0, Format::Yaml, &Value::Null).unwrap();
        assert_eq!(
            kids(&n),
            [
                (Some("name".into()), "name: Alice B".into()),
                (Some("e".into()), "'e': \"a, b\"".into()),
                (Some("n".into()), "n: [1, 2]".into())
            ]
        );
    }

    #[test]
    fn toml_arrays_with_comments_and_trailing_commas() {
        let t = "[\n  \"a\", # first\n  \"b\",\n]";
        let n = value(t, 0, Format::Toml, &Value::Null).unwrap();
        assert_eq!(kids(&n).len(), 2);
        let parts = super::super::flow_parts(&n).unwrap();
        assert_eq!(parts.seps, [", # first\n  "]);
        assert_eq!(parts.close, ",\n]");
        let t = "{ author = \"N\", toc = true }";
        let n = value(t, 0, Format::Toml, &Value::Null).unwrap();
        assert_eq!(kids(&n)[1], (Some("toc".into()), "toc = true".into()));
    }

    #[test]
    fn what_is_not_one_value_is_refused() {
        assert!(value("[1, 2] x", 0, Format::Json, &Value::Null).is_none());
        assert!(value("[1, 2", 0, Format::Json, &Value::Null).is_none());
        assert!(value("{a.b = 1}", 0, Format::Toml, &Value::Null).is_none());
    }
}
