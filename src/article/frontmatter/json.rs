//! JSON frontmatter: a JSON object at the very top of the file, followed by
//! the body, as Hugo reads it. Every call into the JSON library for articles
//! lives here.
//!
//! ```text
//! {                                     open (with its line ending)
//!   "title": "A",                       entry "title": lead "  ", text without the comma
//!   "tags": ["a", "b"]                  entry "tags": lead ",\n  "
//! }                                     trailer "\n", close "}\n"
//! Body
//! ```
//!
//! The comma between two members opens the next member's lead, so a member
//! spliced to another place brings no comma of its own (see [`Syntax::join_members`]).

use crate::article::value::Value;

use super::layout::Layout;
use super::{duplicate, line_col, ArticleError, Block, Entry, Format};
use super::{KeysError, Syntax, ValueError};

/// Finds a JSON object at the top of `text` (BOM already removed): it opens
/// with `{` as the first character, then a `"` or `}` (a Hugo shortcode
/// `{{< x >}}` is body).
pub(super) fn find(text: &str) -> Option<Result<Block, ArticleError>> {
    let rest = text.strip_prefix('{')?;
    let next = rest.trim_start().bytes().next();
    if !matches!(next, Some(b'"' | b'}')) {
        return None;
    }
    let Some(close) = matching_brace(text) else {
        return Some(Err(ArticleError::UnclosedFrontmatter {
            line: 1,
            format: Format::Json,
        }));
    };
    let line_end = |from: usize| -> usize {
        let after = &text[from..];
        match after.find('\n') {
            Some(i) if after[..i].trim().is_empty() => from + i + 1,
            None if after.trim().is_empty() => text.len(),
            _ => from,
        }
    };
    Some(Ok(Block {
        open_end: line_end(1),
        close_start: close,
        close_end: line_end(close + 1),
    }))
}

/// Byte offset of the `}` that closes the `{` at offset 0.
fn matching_brace(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < b.len() {
        match b[i] {
            b'"' => i = string_end(b, i)?,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return (b[i] == b'}').then_some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset of the `"` closing the string that opens at `open`.
fn string_end(b: &[u8], open: usize) -> Option<usize> {
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

/// Cuts the members of the object whose inside is `text[inner]` into
/// entries; `first_line` is the line of `text`'s first line in the side.
pub(super) fn entries(
    text: &str,
    inner: std::ops::Range<usize>,
    first_line: usize,
    values: bool,
) -> Result<Vec<Entry<'_>>, ArticleError> {
    let _ = values; // JSON is checked whole: values are always built.
    let body = &text[inner.clone()];
    let object = format!("{{{body}}}");
    let parsed = serde_json::from_str::<Value>(&object);
    let cut = cut(text, inner.clone(), first_line);
    let map = match parsed {
        Ok(Value::Map(m)) => m,
        Ok(_) => unreachable!("the text is an object"),
        Err(e) => {
            if e.to_string().contains("duplicate entry") {
                if let Some(dup) = cut.as_deref().ok().and_then(duplicate) {
                    return Err(dup);
                }
            }
            // The library counts from the `{` put before the inside; column
            // 0 is the line ending of the line before.
            let line_start: usize = object
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum();
            let at = match e.column() {
                0 => line_start.saturating_sub(1),
                c => line_start + c - 1,
            };
            let at = inner.start + at.saturating_sub(1).min(body.len());
            let (line, column) = line_col(text, at, first_line);
            let message = e.to_string();
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            return Err(ArticleError::Syntax {
                format: Format::Json,
                line,
                column,
                message,
            });
        }
    };
    let mut map = map;
    let mut out = cut?;
    for e in &mut out {
        e.value = map.swap_remove(&e.key).unwrap_or(Value::Null);
    }
    Ok(out)
}

/// The members of a valid object, with their leads and lines.
fn cut(
    text: &str,
    inner: std::ops::Range<usize>,
    first_line: usize,
) -> Result<Vec<Entry<'_>>, ArticleError> {
    let b = text.as_bytes();
    let ws = |mut i: usize| {
        while i < inner.end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let fail = |at: usize| {
        let (line, column) = line_col(text, at, first_line);
        ArticleError::Syntax {
            format: Format::Json,
            line,
            column,
            message: "could not tell the object's members apart".into(),
        }
    };
    let mut out = Vec::new();
    let mut lead = inner.start;
    let mut i = ws(inner.start);
    // Lines counted on from the last member's (from the top each time was
    // quadratic: 10,000 members took seconds).
    let mut counted = (0, first_line);
    while i < inner.end {
        if !out.is_empty() {
            if b[i] != b',' {
                return Err(fail(i));
            }
            i = ws(i + 1);
        }
        let start = i;
        if b.get(i) != Some(&b'"') {
            return Err(fail(i));
        }
        let key_end = string_end(b, i).ok_or_else(|| fail(i))?;
        let key: String = serde_json::from_str(&text[i..=key_end]).map_err(|_| fail(i))?;
        // The value runs to the `,` or the end at depth 0.
        let (mut depth, mut j, mut end) = (0usize, key_end + 1, key_end + 1);
        while j < inner.end {
            match b[j] {
                b'"' => {
                    j = string_end(b, j).ok_or_else(|| fail(j))?;
                    end = j + 1;
                }
                b'{' | b'[' => {
                    depth += 1;
                    end = j + 1;
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    end = j + 1;
                }
                b',' if depth == 0 => break,
                c if !c.is_ascii_whitespace() => end = j + 1,
                _ => {}
            }
            j += 1;
        }
        let line = counted.1 + text[counted.0..start].matches('\n').count();
        counted = (start, line);
        out.push(Entry {
            key,
            lead: &text[lead..start],
            text: &text[start..end],
            format: Format::Json,
            section: false,
            value: Value::Null,
            line,
        });
        lead = end;
        i = ws(end);
    }
    Ok(out)
}

/// Splices members into an object's inside: each piece is a member with the
/// lead it had (`"  "` for a first member, `",\n  "` for a later one); the
/// comma is dropped from the first piece and given to later pieces that had
/// none, on a line of their own when the object is written one member a line.
fn join(pieces: &[String], eol: &str, lines: bool) -> String {
    let mut out = String::new();
    let one_a_line = lines || pieces.iter().any(|p| p.contains('\n'));
    for (i, p) in pieces.iter().enumerate() {
        let (had_comma, rest) = match p.trim_start_matches([' ', '\t']).strip_prefix(',') {
            Some(r) => (true, r),
            None => (false, p.as_str()),
        };
        match (i, had_comma) {
            (0, true) => out.push_str(rest.trim_start_matches(['\r', '\n'])),
            (0, false) => out.push_str(p),
            (_, true) => out.push_str(p),
            (_, false) => {
                out.push(',');
                if one_a_line && !p.starts_with(['\r', '\n']) {
                    out.push_str(eol);
                }
                out.push_str(p);
            }
        }
    }
    out
}

/// A member's text with the comma that separated it from the previous
/// member (and the line ending right after that comma) taken away.
pub fn without_comma(piece: &str) -> &str {
    let rest = piece.trim_start_matches([' ', '\t']);
    match rest.strip_prefix(',') {
        Some(r) => r
            .strip_prefix("\r\n")
            .or_else(|| r.strip_prefix('\n'))
            .unwrap_or(r),
        None => piece,
    }
}

/// Parses a JSON value written alone.
pub fn parse_value(text: &str) -> Result<Value, ValueError> {
    serde_json::from_str(text).map_err(|e| ValueError(e.to_string()))
}

/// JSON's behaviour (see [`Syntax`]).
pub struct Json;

impl Syntax for Json {
    fn name(&self) -> &'static str {
        "JSON"
    }

    fn extension(&self) -> &'static str {
        "json"
    }

    fn opener(&self) -> &'static str {
        "{"
    }

    fn empty_block(&self, crlf: bool) -> &'static str {
        if crlf {
            "{\r\n}\r\n"
        } else {
            "{\n}\n"
        }
    }

    fn closer_hint(&self) -> String {
        "the closing `}`".to_owned()
    }

    fn invalid_code(&self) -> &'static str {
        "invalid-json"
    }

    /// The object's closing brace, on a line of its own.
    fn closers(&self) -> &'static [&'static str] {
        &["}"]
    }

    fn find(&self, text: &str) -> Option<Result<Block, ArticleError>> {
        find(text)
    }

    fn entries<'a>(
        &self,
        text: &'a str,
        block: &Block,
        values: bool,
    ) -> Result<Vec<Entry<'a>>, ArticleError> {
        entries(text, block.inner(), 1, values)
    }

    fn parse_value(&self, text: &str) -> Result<Value, ValueError> {
        parse_value(text)
    }

    fn parse_keys(&self, text: &str) -> Result<Vec<(String, Value)>, KeysError> {
        let doc = format!("{{{text}}}");
        let entries = entries(&doc, 1..doc.len() - 1, 1, true).map_err(|e| KeysError {
            line: e.line(),
            message: e.to_string(),
        })?;
        Ok(entries.into_iter().map(|e| (e.key, e.value)).collect())
    }

    fn layout(&self) -> Layout {
        Layout::Members
    }

    fn join_members(&self, pieces: &[String], eol: &str, lines: bool) -> String {
        join(pieces, eol, lines)
    }

    fn alone<'t>(&self, text: &'t str) -> &'t str {
        without_comma(text)
    }

    fn entries_end_lines(&self) -> bool {
        false
    }

    /// Members joined by commas, as they stand in an object.
    fn join_entries(&self, entries: &[String], eol: &str) -> String {
        let members: Vec<&str> = entries
            .iter()
            .map(|t| without_comma(t).trim_end_matches(['\r', '\n']))
            .collect();
        format!("{}{eol}", members.join(&format!(",{eol}")))
    }

    fn block_around(&self, entries: &str, eol: &str) -> String {
        format!(
            "{{{eol}{}{eol}}}{eol}",
            entries.trim_end_matches(['\r', '\n'])
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};

    const HUGO: &str = "{\n  \"title\": \"A, B\",\n  \"date\": \"2025-07-25\",\n  \"tags\": [\"a\", \"b\"],\n  \"extra\": {\"x\": {\"y\": 1}}\n}\n\nBody {x}\n";

    #[test]
    fn members_are_entries_with_their_text() {
        let a = parse(HUGO, &ArticleOptions::default()).unwrap();
        assert_eq!(a.reassembled(), HUGO);
        assert_eq!(a.format(), Some(Format::Json));
        let keys: Vec<_> = a.keys().collect();
        assert_eq!(keys, ["title", "date", "tags", "extra"]);
        let t = a.entry("title").unwrap();
        assert_eq!((t.lead, t.text, t.line), ("  ", "\"title\": \"A, B\"", 2));
        let d = a.entry("date").unwrap();
        assert_eq!((d.lead, d.line), (",\n  ", 3));
        assert_eq!(
            a.value("extra").unwrap().get_path("x.y"),
            Some(&Value::Int(1))
        );
        let fm = a.frontmatter.as_ref().unwrap();
        assert_eq!((fm.open, fm.trailer, fm.close), ("{\n", "\n", "}\n"));
        assert_eq!(a.body, "\nBody {x}\n");
        let one = "{\"a\":1,\"b\":[1,2]}\nx\n";
        let a = parse(one, &ArticleOptions::default()).unwrap();
        assert_eq!(a.reassembled(), one);
        assert_eq!(a.entry("b").unwrap().lead, ",");
    }

    #[test]
    fn shortcodes_and_text_are_not_frontmatter() {
        let a = parse("{{< figure >}}\ntext\n", &ArticleOptions::default()).unwrap();
        assert!(a.frontmatter.is_none());
        let a = parse("{not json}\n", &ArticleOptions::default()).unwrap();
        assert!(a.frontmatter.is_none());
    }

    #[test]
    fn members_carry_their_own_lines() {
        let o = ArticleOptions::default();
        let text =
            "{\n  \"a\": 1,\n\n  \"b\": {\n    \"c\": 2\n  }, \"d\": 3,\n  \"e\": 4\n}\nbody\n";
        let a = parse(text, &o).unwrap();
        let lines: Vec<(&str, usize)> = a.entries().map(|e| (e.key.as_str(), e.line)).collect();
        assert_eq!(lines, [("a", 2), ("b", 4), ("d", 6), ("e", 7)]);
    }

    #[test]
    fn errors_name_line_and_column() {
        let o = ArticleOptions::default();
        let e = parse("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}\n", &o).unwrap_err();
        assert_eq!(
            e,
            ArticleError::DuplicateKey {
                key: "a".into(),
                line: 4,
                first: 2
            }
        );
        let e = parse("{\n  \"a\": 1\n  \"b\": 2\n}\n", &o).unwrap_err();
        assert!(
            matches!(
                e,
                ArticleError::Syntax {
                    format: Format::Json,
                    line: 3,
                    column: 3,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(matches!(
            parse("{\n  \"a\": 1\n", &o).unwrap_err(),
            ArticleError::UnclosedFrontmatter {
                format: Format::Json,
                ..
            }
        ));
    }

    #[test]
    fn joining_moves_commas_with_the_places() {
        let p = |s: &str| s.to_owned();
        assert_eq!(
            join(&[p("  \"a\": 1"), p(",\n  \"b\": 2")], "\n", true),
            "  \"a\": 1,\n  \"b\": 2"
        );
        assert_eq!(
            join(&[p(",\n  \"b\": 2"), p("  \"a\": 1")], "\n", true),
            "  \"b\": 2,\n  \"a\": 1"
        );
        assert_eq!(
            join(&[p("\"a\":1"), p(",\"b\":2")], "\n", false),
            "\"a\":1,\"b\":2"
        );
        assert_eq!(
            join(&[p(",\"b\":2"), p("\"a\":1")], "\n", false),
            "\"b\":2,\"a\":1"
        );
        // Two members each first in its version, in an object written one
        // member a line: the second goes on a line of its own.
        assert_eq!(
            join(&[p("  \"t\": 1"), p("  \"a\": 1")], "\n", true),
            "  \"t\": 1,\n  \"a\": 1"
        );
    }
}
