//! TOML frontmatter (`+++` ... `+++`, Hugo and Zola): every call into the
//! TOML library for articles lives here.
//!
//! ```text
//! +++
//! title = "A"                 entry "title"
//! tags = [                    entry "tags" (a multi-line array)
//!   "a", "b",
//! ]
//! # Zola's taxonomies         entry "taxonomies" (lead: the comment)
//! [taxonomies]                  the table with all its lines
//! tags = ["x"]
//! [extra.social]              a sub-table right after it: still "extra"...
//! +++
//! ```
//!
//! Each top-level key is one entry: a `key = value` line (with the lines a
//! multi-line string or array continues on), or a `[table]` / `[[array]]`
//! section with its sub-tables, up to the next section of another key.

use crate::conflict::scan::lines_with_offsets;

use super::written::Span;
use super::{duplicate, line_col, ArticleError, Block, Entry, Format};
use super::{KeysError, Syntax, ValueError};
use crate::article::value::Value;

/// Finds a `+++` block at the top of `text` (BOM already removed).
pub(super) fn find(text: &str) -> Option<Result<Block, ArticleError>> {
    super::fenced_block(text, "+++", &["+++"], Format::Toml)
}

/// Where a line leaves the lexer: inside a multi-line string, or how deep in
/// brackets. Only what it takes to know whether the next line starts a key.
#[derive(Clone, Copy, Default)]
pub(super) struct Lexer {
    /// Inside `"""` (basic) or `'''` (literal) multi-line string.
    multi: Option<u8>,
    /// `[` and `{` open in a value.
    depth: usize,
}

impl Lexer {
    pub(super) fn at_top(&self) -> bool {
        self.multi.is_none() && self.depth == 0
    }

    /// Reads one line (from `from`, a byte offset: headers and keys are
    /// read from their start, values after the `=`).
    pub(super) fn line(&mut self, line: &str) {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if let Some(q) = self.multi {
                if b[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if b[i..].starts_with(&[q, q, q]) {
                    // Up to two more quotes belong to the string.
                    let mut j = i + 3;
                    while j < b.len() && b[j] == q && j < i + 5 {
                        j += 1;
                    }
                    self.multi = None;
                    i = j;
                    continue;
                }
                i += 1;
                continue;
            }
            match b[i] {
                b'#' => return,
                q @ (b'"' | b'\'') if b[i..].starts_with(&[q, q, q]) => {
                    self.multi = Some(q);
                    i += 3;
                }
                q @ (b'"' | b'\'') => {
                    i += 1;
                    while i < b.len() && b[i] != q && b[i] != b'\n' {
                        if q == b'"' && b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                b'[' | b'{' => {
                    self.depth += 1;
                    i += 1;
                }
                b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }
}

/// The first segment of a dotted key at the start of `s`, unquoted, and
/// whether more segments follow (`a.b = 1`, `[extra.social]`).
fn first_segment(s: &str) -> Option<(String, bool)> {
    let s = s.trim_start();
    let (key, rest) = match s.as_bytes().first()? {
        b'"' => {
            let mut end = None;
            let mut esc = false;
            for (i, c) in s.char_indices().skip(1) {
                match c {
                    '\\' if !esc => esc = true,
                    '"' if !esc => {
                        end = Some(i);
                        break;
                    }
                    _ => esc = false,
                }
            }
            let end = end?;
            let key: String = ::toml::from_str::<Value>(&format!("{} = 1", &s[..=end]))
                .ok()
                .and_then(|v| v.mapping().and_then(|m| m.keys().next().cloned()))?;
            (key, &s[end + 1..])
        }
        b'\'' => {
            let end = 1 + s[1..].find('\'')?;
            (s[1..end].to_owned(), &s[end + 1..])
        }
        _ => {
            let end = s
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(s.len());
            if end == 0 {
                return None;
            }
            (s[..end].to_owned(), &s[end..])
        }
    };
    Some((key, rest.trim_start().starts_with('.')))
}

/// The segments of the dotted key at the start of `s` (`a`, `a.b`,
/// `"x.y".z`), unquoted.
pub(super) fn key_path(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let (seg, more) = first_segment(rest)?;
        out.push(seg);
        if !more {
            return Some(out);
        }
        // After the segment: blanks, the dot, the next segment.
        let t = rest.trim_start();
        let len = match t.as_bytes().first()? {
            b'"' => {
                let mut esc = false;
                1 + t[1..]
                    .char_indices()
                    .find(|&(_, c)| {
                        let end = c == '"' && !esc;
                        esc = c == '\\' && !esc;
                        end
                    })?
                    .0
                    + 1
            }
            b'\'' => 2 + t[1..].find('\'')?,
            _ => t
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(t.len()),
        };
        rest = t[len..].trim_start().strip_prefix('.')?;
    }
}

/// The key the TOML library found defined twice, by its full dotted path
/// (`extra.image`, a table `[extra]` opened twice): where each definition is.
fn duplicate_path(source: &str, first_line: usize) -> Option<ArticleError> {
    let mut seen: std::collections::HashMap<Vec<String>, usize> = Default::default();
    let mut table: Vec<String> = Vec::new();
    let mut arrays = 0usize;
    let mut lexer = Lexer::default();
    for (n, (_, line)) in lines_with_offsets(source).enumerate() {
        let line_no = first_line + n;
        let top = lexer.at_top();
        lexer.line(line);
        let t = line.trim();
        if !top || t.is_empty() || t.starts_with('#') {
            continue;
        }
        let path = if let Some(h) = t.strip_prefix("[[") {
            // Each element of an array of tables has keys of its own.
            arrays += 1;
            table = key_path(h)?;
            table.push(format!("[{arrays}]"));
            continue;
        } else if let Some(h) = t.strip_prefix('[') {
            table = key_path(h)?;
            table.clone()
        } else {
            let mut p = table.clone();
            p.extend(key_path(t)?);
            p
        };
        if let Some(&first) = seen.get(&path) {
            let key = path
                .iter()
                .filter(|s| !s.starts_with('['))
                .cloned()
                .collect::<Vec<_>>()
                .join(".");
            return Some(ArticleError::DuplicateKey {
                key,
                line: line_no,
                first,
            });
        }
        seen.insert(path, line_no);
    }
    None
}

/// One entry being cut.
struct Cut {
    key: String,
    lead: usize,
    start: usize,
    end: usize,
    line: usize,
    section: bool,
    dotted: bool,
}

/// Cuts the TOML between the fences into entries with their values.
/// `first_line` is the line of the text's first line in the side.
pub(super) fn entries(
    source: &str,
    first_line: usize,
    values: bool,
) -> Result<Vec<Entry<'_>>, ArticleError> {
    let _ = values; // TOML is small and checked whole: values are always built.
    let entries: Vec<Entry<'_>> = cut(source, first_line)
        .iter()
        .map(|c| Entry {
            key: c.key.clone(),
            lead: &source[c.lead..c.start],
            text: &source[c.start..c.end],
            format: Format::Toml,
            section: c.section,
            value: Value::Null,
            line: c.line,
        })
        .collect();
    let table = parse_table(source, first_line, &entries)?;
    if duplicate(&entries).is_some() {
        // Valid TOML with one key's lines in two places (`extra.a`, `title`,
        // `extra.b`; `[a.x]`, `[b]`, `[a.y]`): no line belongs to one key
        // alone, so the block is one entry, decided as a whole.
        return Ok(vec![Entry {
            key: crate::article::WHOLE_FRONTMATTER.to_owned(),
            lead: "",
            text: source,
            format: Format::Toml,
            section: false,
            value: Value::String(source.to_owned()),
            line: first_line,
        }]);
    }
    let mut table = table;
    let mut out = Vec::with_capacity(entries.len());
    for mut e in entries {
        let Some(v) = table.shift_remove(&e.key) else {
            return Err(ArticleError::Syntax {
                format: Format::Toml,
                line: e.line,
                column: 1,
                message: format!("could not tell where the key `{}` is written", e.key),
            });
        };
        e.value = v;
        out.push(e);
    }
    Ok(out)
}

/// The top-level keys' lines: a key line with the lines a multi-line value
/// continues on, a dotted key's lines while they follow each other, a
/// section with its sub-tables; blank lines and comments before a key go
/// with it.
fn cut(source: &str, first_line: usize) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    let mut pending: Option<usize> = None;
    let mut lexer = Lexer::default();
    let mut in_section = false;
    for (n, (off, line)) in lines_with_offsets(source).enumerate() {
        let line_no = first_line + n;
        if !lexer.at_top() {
            lexer.line(line);
            if let Some(last) = cuts.last_mut() {
                last.end = off + line.len();
            }
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            pending.get_or_insert(off);
            continue;
        }
        lexer.line(line);
        let header = t.starts_with('[');
        let parsed = if header {
            first_segment(t.trim_start_matches('['))
        } else {
            first_segment(t)
        };
        let Some((key, dotted)) = parsed else {
            // Not a key line: the library names the fault below.
            if let Some(last) = cuts.last_mut() {
                last.end = off + line.len();
                pending = None;
            }
            continue;
        };
        let extends = match cuts.last() {
            Some(last) if header => last.section && last.key == key,
            Some(last) => in_section || (dotted && last.dotted && last.key == key),
            None => false,
        };
        if extends {
            let last = cuts.last_mut().expect("checked above");
            last.end = off + line.len();
            pending = None;
        } else {
            cuts.push(Cut {
                key,
                lead: pending.take().unwrap_or(off),
                start: off,
                end: off + line.len(),
                line: line_no,
                section: header,
                dotted,
            });
        }
        in_section |= header;
    }
    cuts
}

/// The block read whole by the TOML library; its error at the side's line
/// and column (a duplicate key named at both its lines).
fn parse_table(
    source: &str,
    first_line: usize,
    entries: &[Entry<'_>],
) -> Result<indexmap::IndexMap<String, Value>, ArticleError> {
    match ::toml::from_str::<Value>(source) {
        Ok(Value::Map(m)) => Ok(m),
        Ok(_) => unreachable!("a TOML document is a table"),
        Err(e) => {
            let message = e.message().trim_end().to_owned();
            if message.contains("duplicate") {
                if let Some(dup) = duplicate(entries).or_else(|| duplicate_path(source, first_line))
                {
                    return Err(dup);
                }
            }
            let at = e.span().map_or(0, |s| s.start);
            let (line, column) = line_col(source, at, first_line);
            Err(ArticleError::Syntax {
                format: Format::Toml,
                line,
                column,
                message,
            })
        }
    }
}

/// Parses a TOML value written alone (`"x"`, `[1, 2]`, `2025-01-02`).
pub fn parse_value(text: &str) -> Result<Value, ValueError> {
    let doc = format!("v = {}\n", text.trim());
    let none = || ValueError("no value".to_owned());
    match ::toml::from_str::<Value>(&doc) {
        Ok(Value::Map(mut m)) => m.shift_remove("v").ok_or_else(none),
        Ok(_) => Err(none()),
        Err(e) => Err(ValueError(e.message().trim_end().to_owned())),
    }
}

/// TOML's behaviour (see [`Syntax`]).
pub struct Toml;

impl Syntax for Toml {
    fn name(&self) -> &'static str {
        "TOML"
    }

    fn extension(&self) -> &'static str {
        "toml"
    }

    fn opener(&self) -> &'static str {
        "+++"
    }

    fn invalid_code(&self) -> &'static str {
        "invalid-toml"
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
        entries(&text[block.inner()], 2, values)
    }

    fn parse_value(&self, text: &str) -> Result<Value, ValueError> {
        parse_value(text)
    }

    fn parse_keys(&self, text: &str) -> Result<Vec<(String, Value)>, KeysError> {
        let entries = entries(text, 1, true).map_err(|e| KeysError {
            line: e.line(),
            message: e.to_string(),
        })?;
        Ok(entries.into_iter().map(|e| (e.key, e.value)).collect())
    }

    fn key_separator(&self) -> char {
        '='
    }

    fn string_quotes(&self) -> Option<&'static [u8]> {
        Some(b"\"'")
    }

    fn single_quoted(&self, s: &str) -> Option<String> {
        literal(s)
    }

    fn locate(&self, entry: &Entry<'_>, path: &str) -> Option<Span> {
        super::inner::toml::locate(entry.text, &entry.key, path)
    }

    fn empty_sections(&self, key: &str, eol: &str) -> Option<String> {
        let key = toml_edit::Key::new(key);
        Some(format!("{} = []{eol}", key.display_repr()))
    }
}

/// `'text'`, a TOML literal string, which has no escapes: `None` for text
/// with a quote, a line break or another control character.
pub fn literal(s: &str) -> Option<String> {
    let fits = !s.contains(|c: char| c == '\'' || (c.is_control() && c != '\t'));
    fits.then(|| format!("'{s}'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};

    const HUGO: &str = "+++\ntitle = \"A\"\ndate = 2025-07-25T20:24:28Z\ndraft = false\ntags = [\n  \"a\",\n  \"b\",\n]\naliases = ['/old/']\n\n# Zola\n[taxonomies]\ncategories = [\"x\"]\n\n[extra]\nimage = \"i.png\"\n[extra.social]\nx = 1\n[[extra.links]]\nu = \"/\"\n\n+++\nBody\n";

    #[test]
    fn keys_and_tables_are_entries_with_their_lines() {
        let a = parse(HUGO, &ArticleOptions::default()).unwrap();
        assert_eq!(a.reassembled(), HUGO);
        let keys: Vec<_> = a.keys().collect();
        assert_eq!(
            keys,
            [
                "title",
                "date",
                "draft",
                "tags",
                "aliases",
                "taxonomies",
                "extra"
            ]
        );
        assert_eq!(a.format(), Some(Format::Toml));
        assert_eq!(
            a.value("date"),
            Some(&Value::Date("2025-07-25T20:24:28Z".into()))
        );
        let tags = a.entry("tags").unwrap();
        assert_eq!(tags.text, "tags = [\n  \"a\",\n  \"b\",\n]\n");
        assert_eq!(tags.value.sequence().unwrap().len(), 2);
        let tax = a.entry("taxonomies").unwrap();
        assert!(tax.section);
        assert_eq!(tax.lead, "\n# Zola\n");
        assert_eq!(tax.line, 12);
        let extra = a.entry("extra").unwrap();
        assert!(extra.text.starts_with("[extra]\n") && extra.text.ends_with("u = \"/\"\n"));
        assert_eq!(extra.value.get_path("social.x"), Some(&Value::Int(1)));
        assert_eq!(a.frontmatter.as_ref().unwrap().trailer, "\n");
        assert_eq!(a.body, "Body\n");
    }

    #[test]
    fn multi_line_strings_and_dotted_keys() {
        let t = "+++\nsummary = \"\"\"\nnot = a key\n[nor] a table\n\"\"\"\nsite.name = \"n\"\nsite.url = \"u\"\nx = 'it\"s'\n+++\n";
        let a = parse(t, &ArticleOptions::default()).unwrap();
        let keys: Vec<_> = a.keys().collect();
        assert_eq!(keys, ["summary", "site", "x"]);
        assert_eq!(
            a.entry("site").unwrap().text,
            "site.name = \"n\"\nsite.url = \"u\"\n"
        );
        assert_eq!(a.reassembled(), t);
    }

    #[test]
    fn errors_name_line_and_column() {
        let o = ArticleOptions::default();
        let e = parse("+++\ntitle = \"a\"\nx = 1\ntitle = \"b\"\n+++\n", &o).unwrap_err();
        assert_eq!(
            e,
            ArticleError::DuplicateKey {
                key: "title".into(),
                line: 4,
                first: 2
            }
        );
        let e = parse("+++\ntitle = \"a\nx = 1\n+++\n", &o).unwrap_err();
        match e {
            ArticleError::Syntax {
                format: Format::Toml,
                line,
                column,
                ..
            } => assert_eq!((line, column), (2, 11), "{e:?}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("+++\ntitle = 1\n", &o).unwrap_err(),
            ArticleError::UnclosedFrontmatter {
                line: 1,
                format: Format::Toml
            }
        ));
    }

    #[test]
    fn keys_defined_twice_inside_tables_are_named_by_path() {
        let o = ArticleOptions::default();
        let dup = |t: &str| match parse(t, &o).unwrap_err() {
            ArticleError::DuplicateKey { key, line, first } => (key, line, first),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            dup("+++\ntitle = \"a\"\n[extra]\nimage = 1\ntoc = true\nimage = 2\n+++\n"),
            ("extra.image".into(), 6, 4)
        );
        assert_eq!(
            dup("+++\n[extra]\na = 1\n[extra]\nb = 2\n+++\n"),
            ("extra".into(), 4, 2)
        );
        assert_eq!(
            dup("+++\n[extra.seo]\n\"t\".x = 1\n't'.x = 2\n+++\n"),
            ("extra.seo.t.x".into(), 4, 3)
        );
        // Each element of an array of tables has keys of its own.
        let ok = "+++\n[[menu]]\nname = \"a\"\n[[menu]]\nname = \"b\"\n+++\n";
        assert!(parse(ok, &o).is_ok());
        assert_eq!(
            key_path("a . \"b.c\" .'d' = 1"),
            Some(vec!["a".into(), "b.c".into(), "d".into()])
        );
    }

    #[test]
    fn values_parse_alone() {
        assert_eq!(parse_value("\"x\"").unwrap(), Value::from("x"));
        assert_eq!(
            parse_value("2025-01-02").unwrap(),
            Value::Date("2025-01-02".into())
        );
        assert!(parse_value("[1,").is_err());
    }
}
