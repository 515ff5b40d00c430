//! Values inside a mapping key's text, found by dotted path, so that one
//! inner value can be replaced without touching any other byte of the entry.
//!
//! ```text
//! schema: {"@type":"HowTo","name":"Old title","image":{"url":"a.jpg"}}
//!                                 └── name ───┘              └image.url┘
//! seo:
//!   title: Old title              a block mapping: one scalar per line
//!   image: {"url": "a.jpg"}       a flow value inside it
//! ```
//!
//! TOML entries are read by [`toml`]: keys of a `[table]` and its
//! sub-tables, dotted keys, inline tables. JSON members are read as the flow
//! YAML they are.
//!
//! Every change is checked by parsing the new entry: it must hold exactly the
//! old value with the intended inner values replaced, or it is refused.

pub mod toml;

use crate::article::{Entry, Format, Value};
use crate::conflict::scan::{lines_with_offsets, split_eol};

use super::written::{Kind, Span};
use super::yaml::value_start;

/// A flow (JSON-like) value, parsed only for its spans.
enum Node {
    Map(Vec<(String, Node)>, Span),
    Seq(Span),
    Scalar(Span),
}

impl Node {
    fn span(&self) -> Span {
        match self {
            Node::Map(_, s) | Node::Seq(s) | Node::Scalar(s) => *s,
        }
    }
}

struct Flow<'t> {
    t: &'t str,
    b: &'t [u8],
    i: usize,
    /// Span of the last collection parsed.
    last: (usize, usize),
}

impl<'t> Flow<'t> {
    fn new(t: &'t str, at: usize) -> Flow<'t> {
        Flow {
            t,
            b: t.as_bytes(),
            i: at,
            last: (at, at),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                b'#' if self.i > 0 && matches!(self.b[self.i - 1], b' ' | b'\t' | b'\n') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn quoted(&mut self, q: u8) -> Option<(usize, usize)> {
        let start = self.i;
        self.i += 1;
        loop {
            match (q, self.peek()?) {
                (b'"', b'\\') => self.i += 2,
                (b'\'', b'\'') if self.b.get(self.i + 1) == Some(&b'\'') => self.i += 2,
                (_, c) if c == q => {
                    self.i += 1;
                    return Some((start, self.i));
                }
                _ => self.i += 1,
            }
        }
    }

    fn plain(&mut self, key: bool) -> Option<(usize, usize)> {
        let start = self.i;
        while let Some(c) = self.peek() {
            let colon_ends = key
                && c == b':'
                && matches!(
                    self.b.get(self.i + 1),
                    None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
                );
            if matches!(c, b',' | b']' | b'}') || colon_ends {
                break;
            }
            self.i += 1;
        }
        let text = &self.t[start..self.i];
        let end = start + text.trim_end().len();
        (end > start).then_some((start, end))
    }

    fn key(&mut self) -> Option<String> {
        let (s, e) = match self.peek()? {
            q @ (b'"' | b'\'') => self.quoted(q)?,
            _ => self.plain(true)?,
        };
        Some(decode(&self.t[s..e]))
    }

    fn value(&mut self) -> Option<Node> {
        self.ws();
        let start = self.i;
        match self.peek()? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        self.i += 1;
                        break;
                    }
                    let k = self.key()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    let v = self.value()?;
                    members.push((k, v));
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                self.last = (start, self.i);
                Some(Node::Map(members, self.collection()))
            }
            b'[' => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == b']' {
                        self.i += 1;
                        break;
                    }
                    self.value()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                self.last = (start, self.i);
                Some(Node::Seq(self.collection()))
            }
            q @ (b'"' | b'\'') => {
                let (s, e) = self.quoted(q)?;
                let kind = if q == b'"' {
                    Kind::Double
                } else {
                    Kind::Single
                };
                Some(Node::Scalar(Span {
                    start: s,
                    end: e,
                    kind,
                }))
            }
            _ => {
                let (s, e) = self.plain(false)?;
                Some(Node::Scalar(Span {
                    start: s,
                    end: e,
                    kind: Kind::Plain,
                }))
            }
        }
    }

    /// The span of the collection just parsed.
    fn collection(&self) -> Span {
        Span {
            start: self.last.0,
            end: self.last.1,
            kind: Kind::Collection,
        }
    }

    /// Parses the value at the cursor and finds `path` in it.
    fn find(mut self, path: &str) -> Option<Span> {
        fn walk(node: &Node, path: &str) -> Option<Span> {
            let Node::Map(members, _) = node else {
                return None;
            };
            for (k, v) in members {
                if k == path {
                    return Some(v.span());
                }
                if let Some(rest) = path
                    .strip_prefix(k.as_str())
                    .and_then(|r| r.strip_prefix('.'))
                {
                    if let Some(s) = walk(v, rest) {
                        return Some(s);
                    }
                }
            }
            None
        }
        let root = self.value()?;
        walk(&root, path)
    }
}

/// A key as written (`"a"`, `'a'`, `a`), unquoted.
fn decode(raw: &str) -> String {
    if raw.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(raw) {
            return s;
        }
        return raw.trim_matches('"').to_owned();
    }
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    raw.trim().to_owned()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key of a block mapping line (`key: value`) and where its value starts.
fn block_key(line: &str) -> Option<(String, usize)> {
    let b = line.as_bytes();
    let colon = match b.first()? {
        q @ (b'"' | b'\'') => {
            let mut f = Flow::new(line, 0);
            let (_, e) = f.quoted(*q)?;
            let rest = &line[e..];
            e + rest.len() - rest.trim_start().len()
        }
        b'-' | b'#' => return None,
        _ => (0..b.len())
            .find(|&i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ' | b'\t')))?,
    };
    if b.get(colon) != Some(&b':') {
        return None;
    }
    let after = &line[colon + 1..];
    Some((
        decode(line[..colon].trim_end()),
        colon + 1 + after.len() - after.trim_start().len(),
    ))
}

/// The span of a one-line scalar starting at `at` in `text`, ending before `end`.
fn line_scalar(text: &str, at: usize, end: usize) -> Option<Span> {
    let b = text.as_bytes();
    match b.get(at)? {
        q @ (b'"' | b'\'') => {
            let mut f = Flow::new(text, at);
            let (s, e) = f.quoted(*q)?;
            let kind = if *q == b'"' {
                Kind::Double
            } else {
                Kind::Single
            };
            (e <= end).then_some(Span {
                start: s,
                end: e,
                kind,
            })
        }
        b'{' | b'[' => {
            let mut f = Flow::new(text, at);
            f.value()?;
            Some(Span {
                start: f.last.0,
                end: f.last.1,
                kind: Kind::Collection,
            })
        }
        b'|' | b'>' | b'&' | b'*' | b'!' => None,
        _ => {
            let line = &text[at..end];
            let cut = (1..line.len())
                .find(|&i| {
                    line.as_bytes()[i] == b'#' && matches!(line.as_bytes()[i - 1], b' ' | b'\t')
                })
                .unwrap_or(line.len());
            let value = line[..cut].trim_end();
            (!value.is_empty()).then_some(Span {
                start: at,
                end: at + value.len(),
                kind: Kind::Plain,
            })
        }
    }
}

/// Finds `path` in the block mapping whose lines start at `from`, indented
/// deeper than `parent`.
fn block_find(text: &str, from: usize, parent: Option<usize>, path: &str) -> Option<Span> {
    let lines: Vec<(usize, &str)> = lines_with_offsets(&text[from..])
        .map(|(o, l)| (from + o, l))
        .collect();
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let mut level: Option<usize> = None;
    for (n, &(off, line)) in lines.iter().enumerate() {
        if !content(line) {
            continue;
        }
        let indent = indent_of(line);
        if parent.is_some_and(|p| indent <= p) {
            break;
        }
        let lv = *level.get_or_insert(indent);
        if indent < lv {
            break;
        }
        if indent > lv {
            continue;
        }
        let (body, _) = split_eol(line);
        let (key, vstart) = block_key(&body[indent..])?;
        let vstart = indent + vstart;
        let next_deeper = lines[n + 1..]
            .iter()
            .find(|(_, l)| content(l))
            .is_some_and(|(_, l)| indent_of(l) > lv);
        let rest_empty = body[vstart..].trim().is_empty() || body[vstart..].starts_with('#');
        if key == path {
            if rest_empty || next_deeper {
                return None; // a nested block or a value over several lines
            }
            return line_scalar(text, off + vstart, off + body.len());
        }
        if let Some(rest) = path
            .strip_prefix(key.as_str())
            .and_then(|r| r.strip_prefix('.'))
        {
            if rest_empty {
                let next = lines.get(n + 1).map_or(text.len(), |(o, _)| *o);
                if let Some(s) = block_find(text, next, Some(lv), rest) {
                    return Some(s);
                }
            } else if body[vstart..].starts_with('{') {
                if let Some(s) = Flow::new(text, off + vstart).find(rest) {
                    return Some(s);
                }
            }
        }
    }
    None
}

/// Where the inner value at `path` is written in `entry`'s text.
pub fn locate(entry: &Entry<'_>, path: &str) -> Option<Span> {
    entry.format.syntax().locate(entry, path)
}

/// Where the inner value at `path` is written in `entry`'s text, read as
/// YAML: a block mapping or a flow value (JSON members are the flow YAML
/// they are).
pub(super) fn locate_yaml(entry: &Entry<'_>, path: &str) -> Option<Span> {
    let text = entry.text;
    let vs = value_start(text, &entry.key)?;
    let (first, _) = split_eol(lines_with_offsets(text).next()?.1);
    let rest = &first[vs..];
    if rest.starts_with('{') {
        Flow::new(text, vs).find(path)
    } else if rest.trim().is_empty() || rest.starts_with('#') {
        let next = text[vs..].find('\n').map_or(text.len(), |i| vs + i + 1);
        block_find(text, next, None, path)
    } else {
        None
    }
}

/// `text` with each span replaced; `None` when spans overlap.
fn splice(text: &str, mut edits: Vec<(Span, String)>) -> Option<String> {
    edits.sort_by_key(|(s, _)| s.start);
    if edits.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, new) in &edits {
        out.push_str(&text[at..s.start]);
        out.push_str(new);
        at = s.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Checks that `text` defines `key` as exactly `expected`.
fn holds(text: &str, format: Format, key: &str, expected: &Value) -> bool {
    format
        .parse_keys(text)
        .is_ok_and(|m| matches!(m.as_slice(), [(k, v)] if k == key && v == expected))
}

/// `entry`'s text with the string at each path set to its new value, every
/// other byte unchanged. Errors say which path could not be written.
pub fn set_strings(entry: &Entry<'_>, updates: &[(String, String)]) -> Result<String, SetError> {
    let mut edits = Vec::new();
    let mut expected = entry.value.clone();
    for (path, value) in updates {
        let span = locate(entry, path)
            .filter(|s| !matches!(s.kind, Kind::Collection | Kind::Multiline))
            .ok_or_else(|| SetError::NotOneLine {
                key: entry.key.clone(),
                path: path.clone(),
            })?;
        edits.push((span, entry.format.syntax().write_string(span.kind, value)));
        expected.set_path(path, Value::from(value.as_str()));
    }
    let text = splice(entry.text, edits).ok_or(SetError::Overlap)?;
    if holds(&text, entry.format, &entry.key, &expected) {
        Ok(text)
    } else {
        Err(SetError::WouldNotReadBack {
            key: entry.key.clone(),
        })
    }
}

/// Why [`set_strings`] could not write a value in place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The path is no one-line value inside the key's text.
    #[error("`{key}.{path}` is not a one-line value inside `{key}`'s text")]
    NotOneLine {
        /// The top-level key.
        key: String,
        /// The dotted path inside it.
        path: String,
    },
    /// Two of the values overlap in the text.
    #[error("two values overlap")]
    Overlap,
    /// The text written would not read back as the values set.
    #[error("the rewritten `{key}` would not read back as intended")]
    WouldNotReadBack {
        /// The top-level key.
        key: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, Article, ArticleOptions};

    fn article(fm: &str) -> String {
        format!("---\n{fm}---\n")
    }

    fn first<'a>(a: &'a Article<'a>) -> &'a Entry<'a> {
        a.entries().next().unwrap()
    }

    fn at(fm: &str, path: &str) -> Option<String> {
        let doc = article(fm);
        let a = parse(&doc, &ArticleOptions::default()).unwrap();
        let e = first(&a);
        locate(e, path).map(|s| e.text[s.start..s.end].to_owned())
    }

    #[test]
    fn finds_values_in_json_and_block_mappings() {
        let json = "schema: {\"@type\":\"HowTo\",\"name\":\"A \\\"q\\\"\",\"image\":{\"url\":\"u\"},\"n\":5,\"l\":[1,{\"x\":1}]}\n";
        assert_eq!(at(json, "name").as_deref(), Some("\"A \\\"q\\\"\""));
        assert_eq!(at(json, "image.url").as_deref(), Some("\"u\""));
        assert_eq!(at(json, "n").as_deref(), Some("5"));
        assert_eq!(at(json, "image").as_deref(), Some("{\"url\":\"u\"}"));
        assert_eq!(at(json, "l").as_deref(), Some("[1,{\"x\":1}]"));
        assert_eq!(at(json, "nope"), None);
        let block = "seo:\n  title: Old one # c\n  image:\n    url: 'u'\n  meta: {\"a\": \"b\"}\n";
        assert_eq!(at(block, "title").as_deref(), Some("Old one"));
        assert_eq!(at(block, "image.url").as_deref(), Some("'u'"));
        assert_eq!(at(block, "meta.a").as_deref(), Some("\"b\""));
        assert_eq!(at(block, "image"), None);
        let dotted = "m: {\"a.b\": 1, c: 'x'}\n";
        assert_eq!(at(dotted, "a.b").as_deref(), Some("1"));
        assert_eq!(at(dotted, "c").as_deref(), Some("'x'"));
    }

    #[test]
    fn strings_are_replaced_in_place() {
        let doc =
            article("schema: {\"name\":\"Old\",\"x\":\"Old\",\"image\":{\"url\":\"a\"}}  # keep\n");
        let a = parse(&doc, &ArticleOptions::default()).unwrap();
        let got = set_strings(
            first(&a),
            &[
                ("name".into(), "Новый \"title\"\\".into()),
                ("image.url".into(), "b".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            got,
            "schema: {\"name\":\"Новый \\\"title\\\"\\\\\",\"x\":\"Old\",\"image\":{\"url\":\"b\"}}  # keep\n"
        );
        let doc = article("seo:\n  title: Old\n  n: 'it''s'\n");
        let a = parse(&doc, &ArticleOptions::default()).unwrap();
        assert_eq!(
            set_strings(
                first(&a),
                &[
                    ("title".into(), "New: one".into()),
                    ("n".into(), "x'y".into())
                ]
            )
            .unwrap(),
            "seo:\n  title: \"New: one\"\n  n: 'x''y'\n"
        );
        assert!(set_strings(first(&a), &[("gone".into(), "x".into())])
            .unwrap_err()
            .to_string()
            .contains("seo.gone"));
    }
}
