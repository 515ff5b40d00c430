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
//! Where each statement is written comes from the TOML library's spans
//! (`toml_edit`, [`statements`]); nothing is lexed by hand. The same parse
//! gives the values ([`values_and_statements`]), read as the `toml` crate
//! reads them. A text it
//! refuses for a key defined twice is read statement by statement
//! ([`all_statements`]) to name both definitions.

use super::written::Span;
use super::{duplicate, line_col, ArticleError, Block, Entry, Format};
use super::{KeysError, Syntax, ValueError};
use crate::article::value::Value;

/// The line that closes a TOML block.
const CLOSERS: &[&str] = &["+++"];

/// Finds a `+++` block at the top of `text` (BOM already removed).
pub(super) fn find(text: &str) -> Option<Result<Block, ArticleError>> {
    super::fenced_block(text, "+++", CLOSERS, Format::Toml)
}

/// One TOML statement as the TOML library read it, by whole lines: a
/// `key = value` with the lines its value continues on, or a table header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Statement {
    /// Byte offset of the start of its first line.
    pub(super) start: usize,
    /// Byte offset just after its last line (its line end included).
    pub(super) end: usize,
    /// The key as written, unquoted: a header's whole table path
    /// (`[extra.social]`: `extra`, `social`), a key line's path under its
    /// table (`seo.title = 1`: `seo`, `title`).
    pub(super) path: Vec<String>,
    /// For a header: `Some(true)` for `[[array]]`, `Some(false)` for
    /// `[table]`; `None` for a key line.
    pub(super) header: Option<bool>,
    /// For a key line: where its value starts.
    pub(super) value_at: usize,
}

/// The statements of `source` in the order they are written, from the
/// spans the TOML library gives (`toml_edit`); `None` when it is not TOML.
pub(super) fn statements(source: &str) -> Option<Vec<Statement>> {
    read(source, &toml_edit::Document::parse(source).ok()?)
}

/// The statements of `doc`, the TOML library's reading of `source`, in
/// the order they are written.
fn read(source: &str, doc: &toml_edit::Document<&str>) -> Option<Vec<Statement>> {
    let mut out = Vec::new();
    collect(source, doc.as_table(), &mut Vec::new(), &mut out)?;
    out.sort_by_key(|s| s.start);
    Some(out)
}

/// The start of the line `at` is on.
fn line_start(source: &str, at: usize) -> usize {
    source[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Just after the end of the line `at` is on.
fn line_end(source: &str, at: usize) -> usize {
    source[at..].find('\n').map_or(source.len(), |i| at + i + 1)
}

/// The statements written inside `table`, whose whole path is `path`.
fn collect(
    source: &str,
    table: &toml_edit::Table,
    path: &mut Vec<String>,
    out: &mut Vec<Statement>,
) -> Option<()> {
    use toml_edit::Item;
    for (k, item) in table.iter() {
        path.push(k.to_owned());
        match item {
            Item::Value(v) => out.push(key_line(source, v.span()?)?),
            Item::Table(t) => {
                // A table of dotted keys (`site.name = 1`) or an implicit
                // one (`a` of `[a.b]`) has no header of its own.
                if !t.is_dotted() && !t.is_implicit() {
                    out.push(header(source, t, path, false)?);
                }
                collect(source, t, path, out)?;
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    out.push(header(source, t, path, true)?);
                    collect(source, t, path, out)?;
                }
            }
            Item::None => {}
        }
        path.pop();
    }
    Some(())
}

/// The header of table `t` at `path`: `[path]`, or `[[path]]` for an
/// `array` item.
fn header(source: &str, t: &toml_edit::Table, path: &[String], array: bool) -> Option<Statement> {
    let span = t.span()?;
    Some(Statement {
        start: line_start(source, span.start),
        end: line_end(source, span.end),
        path: path.to_vec(),
        header: Some(array),
        value_at: span.start,
    })
}

/// The `key = value` statement whose value is at `value`: its key as
/// written before the `=` (a dotted key's segments under its table).
fn key_line(source: &str, value: std::ops::Range<usize>) -> Option<Statement> {
    let start = line_start(source, value.start);
    let key = source[start..value.start].trim_end().strip_suffix('=')?;
    let path = toml_edit::Key::parse(key.trim()).ok()?;
    Some(Statement {
        start,
        end: line_end(source, value.end),
        path: path.iter().map(|k| k.get().to_owned()).collect(),
        header: None,
        value_at: value.start,
    })
}

/// Every statement of `source`, also of a text the TOML library refuses
/// for a key defined twice: the statement it stops at is read alone (where
/// it can be) and blanked out, and the rest read again, until it reads.
/// A line with another fault is no statement: it is blanked too, and where
/// the first such line starts comes with the answer. A fault on no line of
/// its own (a bracket or string left open to the end) ends the reading:
/// the lines before it that read, then the statement left open, to the end.
fn all_statements(source: &str) -> (Vec<Statement>, Option<usize>) {
    let mut text = source.to_owned();
    let mut found = Vec::new();
    let mut unread: Option<usize> = None;
    loop {
        let at = match toml_edit::Document::parse(text.as_str()) {
            Ok(doc) => {
                found.extend(read(&text, &doc).unwrap_or_default());
                break;
            }
            Err(e) => e.span().map_or(text.len(), |s| s.start),
        };
        let start = line_start(&text, at);
        let (end, no_statement) = match statement_at(&text, start) {
            Some(st) => {
                let end = st.end;
                found.push(st);
                (end, false)
            }
            None => (line_end(&text, at), true),
        };
        if text[start..end].bytes().all(|b| b.is_ascii_whitespace()) {
            found.extend(left_open(&text, start));
            break;
        }
        if no_statement {
            unread = Some(unread.map_or(start, |u| u.min(start)));
        }
        // Spaces for every byte but line ends: offsets and lines stay.
        let blank: String = text[start..end]
            .bytes()
            .map(|b| match b {
                b'\n' | b'\r' => b as char,
                _ => ' ',
            })
            .collect();
        text.replace_range(start..end, &blank);
    }
    found.sort_by_key(|s| s.start);
    // A statement inside the lines of one left open is none of its own.
    let mut end = 0;
    found.retain(|st| {
        let own = st.start >= end;
        end = end.max(st.end);
        own
    });
    (found, unread)
}

/// The statements of `text` before `fault` (a fault on no line of its
/// own): the longest run of whole lines that reads, then the statement
/// after it, left open to the end of the text.
fn left_open(text: &str, fault: usize) -> Vec<Statement> {
    let ends = text[..fault].match_indices('\n').map(|(i, _)| i + 1);
    let Some((before, mut found)) = std::iter::once(0).chain(ends).rev().find_map(|end| {
        let doc = toml_edit::Document::parse(&text[..end]).ok()?;
        Some((end, read(&text[..end], &doc)?))
    }) else {
        return Vec::new();
    };
    let open = text[before..]
        .find(|c: char| !c.is_ascii_whitespace())
        .and_then(|i| statement_at(text, line_start(text, before + i)));
    found.extend(open.map(|st| Statement {
        end: text.len(),
        ..st
    }));
    found
}

/// The one statement that starts at `start` (a line's start) of `text`,
/// read alone: its first lines that the TOML library reads as one statement.
fn statement_at(text: &str, start: usize) -> Option<Statement> {
    // Read alone, a byte order mark would be at the start, where TOML
    // allows one.
    if text[start..].starts_with('\u{feff}') {
        return None;
    }
    // Read from its line on, the text's first fault is as far as it can go.
    let limit = match toml_edit::Document::parse(&text[start..]) {
        Ok(_) => text.len(),
        Err(e) => line_end(text, start + e.span().map_or(0, |s| s.start)),
    };
    let ends = text[start..limit]
        .match_indices('\n')
        .map(|(i, _)| start + i + 1)
        .chain((!text[..limit].ends_with('\n')).then_some(limit));
    for end in ends {
        let piece = &text[start..end];
        if let Ok(doc) = toml_edit::Document::parse(piece) {
            let [one] = <[Statement; 1]>::try_from(read(piece, &doc)?).ok()?;
            return Some(Statement {
                start,
                end,
                value_at: start + one.value_at,
                ..one
            });
        }
    }
    // A value refused even alone (a key twice in an inline table): its
    // line's key, read with a stand-in value after one `=` after another.
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let line = &text[start..end];
    line.match_indices('=').find_map(|(k, _)| {
        let alone = statements(&format!("{}= 0\n", &line[..k]))?;
        let [one] = <[Statement; 1]>::try_from(alone).ok()?;
        one.header.is_none().then(|| Statement {
            start,
            end,
            value_at: start + k + 1,
            ..one
        })
    })
}

/// The first key defined twice among `stmts`, by its full dotted path
/// (`extra.image`, a table `[extra]` opened twice): where each definition is.
fn duplicate_path(source: &str, stmts: &[Statement], first_line: usize) -> Option<ArticleError> {
    // A first line with a byte order mark before its key is no key line:
    // no path is named.
    if source.starts_with('\u{feff}') {
        return None;
    }
    let mut seen: std::collections::HashMap<Vec<String>, usize> = Default::default();
    let mut table: Vec<String> = Vec::new();
    let mut arrays = 0usize;
    let mut lines = Lines::new(source, first_line);
    for st in stmts {
        let line_no = lines.of(st.start);
        let path = match st.header {
            Some(true) => {
                // Each element of an array of tables has keys of its own.
                arrays += 1;
                table = st.path.clone();
                table.push(format!("[{arrays}]"));
                continue;
            }
            Some(false) => {
                table = st.path.clone();
                table.clone()
            }
            None => {
                let mut p = table.clone();
                p.extend(st.path.iter().cloned());
                p
            }
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

/// The line numbers of offsets in a text, asked in increasing order: each
/// counted on from the one before.
struct Lines<'s> {
    text: &'s [u8],
    /// The line `at` is on.
    line: usize,
    at: usize,
}

impl<'s> Lines<'s> {
    /// Counting from `first_line`, the line of the text's start.
    fn new(text: &'s str, first_line: usize) -> Self {
        Lines {
            text: text.as_bytes(),
            line: first_line,
            at: 0,
        }
    }

    /// The line `at` (not before the last offset asked) is on.
    fn of(&mut self, at: usize) -> usize {
        self.line += memchr::memchr_iter(b'\n', &self.text[self.at..at]).count();
        self.at = at;
        self.line
    }
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
    let (mut table, stmts) = values_and_statements(source, first_line)?;
    let entries: Vec<Entry<'_>> = cut_entries(source, &stmts, first_line);
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
    let mut out = Vec::with_capacity(entries.len());
    for mut e in entries {
        let Some(v) = table.swap_remove(&e.key) else {
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

/// The block's values and statements, from one parse where `toml_edit`
/// reads it (its spans for the statements, its document for the values,
/// as the `toml` crate gives them); else the `toml` crate's reading, for
/// its values or its error, and as many statements as can be read.
fn values_and_statements(
    source: &str,
    first_line: usize,
) -> Result<(indexmap::IndexMap<String, Value>, Vec<Statement>), ArticleError> {
    use serde::Deserialize;
    if let Ok(doc) = toml_edit::Document::parse(source) {
        if let Some(stmts) = read(source, &doc) {
            if let Ok(Value::Map(m)) = Value::deserialize(toml_edit::de::Deserializer::from(doc)) {
                return Ok((m, stmts));
            }
        }
    }
    let table = parse_table(source, first_line)?;
    let stmts = statements(source).unwrap_or_else(|| all_statements(source).0);
    Ok((table, stmts))
}

/// The entries [`cut`] finds, without their values.
fn cut_entries<'s>(source: &'s str, stmts: &[Statement], first_line: usize) -> Vec<Entry<'s>> {
    cut(source, stmts, first_line)
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
        .collect()
}

/// The top-level keys' lines, from the statements: a key line with the
/// lines a multi-line value continues on, a dotted key's lines while they
/// follow each other, a section with its sub-tables; blank lines and
/// comments before a key go with it.
fn cut(source: &str, stmts: &[Statement], first_line: usize) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    let mut in_section = false;
    // A first line with a byte order mark before its key (TOML allows one
    // at the start; an article's is taken off before) is no key line: it
    // is left out, with the lines its statement continues on.
    let skip = match stmts.first() {
        _ if !source.starts_with('\u{feff}') => 0,
        Some(st) if st.start == 0 => st.end,
        _ => line_end(source, 0),
    };
    // Where the blank and comment lines after the last statement start.
    let mut after = skip;
    let mut lines = Lines::new(source, first_line);
    for st in stmts {
        let line = lines.of(st.start);
        let Some(key) = st.path.first().filter(|_| st.start >= skip) else {
            continue;
        };
        let header = st.header.is_some();
        let dotted = st.path.len() > 1;
        let extends = match cuts.last() {
            Some(last) if header => last.section && last.key == *key,
            Some(last) => in_section || (dotted && last.dotted && last.key == *key),
            None => false,
        };
        if extends {
            cuts.last_mut().expect("checked above").end = st.end;
        } else {
            cuts.push(Cut {
                key: key.clone(),
                lead: after,
                start: st.start,
                end: st.end,
                line,
                section: header,
                dotted,
            });
        }
        after = st.end;
        in_section |= header;
    }
    cuts
}

/// The block read whole by the TOML library; its error at the side's line
/// and column (a duplicate key named at both its lines).
fn parse_table(
    source: &str,
    first_line: usize,
) -> Result<indexmap::IndexMap<String, Value>, ArticleError> {
    match ::toml::from_str::<Value>(source) {
        Ok(Value::Map(m)) => Ok(m),
        Ok(_) => unreachable!("a TOML document is a table"),
        Err(e) => {
            let message = e.message().trim_end().to_owned();
            if message.contains("duplicate") {
                if let Some(dup) = duplicate_in(source, first_line) {
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

/// The key defined twice, named at both its lines: the top-level key two
/// entries share, else the full path defined twice.
fn duplicate_in(source: &str, first_line: usize) -> Option<ArticleError> {
    let (stmts, unread) = all_statements(source);
    duplicate(&cut_entries(source, &stmts, first_line)).or_else(|| {
        // A line that is no statement leaves the paths after it unknown.
        let known = stmts.partition_point(|st| unread.is_none_or(|u| st.start < u));
        duplicate_path(source, &stmts[..known], first_line)
    })
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

    fn empty_block(&self, crlf: bool) -> &'static str {
        if crlf {
            "+++\r\n+++\r\n"
        } else {
            "+++\n+++\n"
        }
    }

    fn invalid_code(&self) -> &'static str {
        "invalid-toml"
    }

    fn closers(&self) -> &'static [&'static str] {
        CLOSERS
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

    fn string_quotes(&self) -> &'static [u8] {
        b"\"'"
    }

    fn line_comment(&self) -> Option<char> {
        Some('#')
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
        let paths: Vec<Vec<String>> = statements("a . \"b.c\" .'d' = 1\n")
            .unwrap()
            .into_iter()
            .map(|s| s.path)
            .collect();
        assert_eq!(paths, [vec!["a", "b.c", "d"]]);
    }

    /// `(key, lead, text, line, section)` of each entry of `inner` (the
    /// lines between the fences, from line 2).
    fn cuts(inner: &str) -> Vec<(String, String, String, usize, bool)> {
        entries(inner, 2, true)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.lead.into(), e.text.into(), e.line, e.section))
            .collect()
    }

    fn cut_of(
        key: &str,
        lead: &str,
        text: &str,
        line: usize,
        section: bool,
    ) -> (String, String, String, usize, bool) {
        (key.into(), lead.into(), text.into(), line, section)
    }

    fn keys(inner: &str) -> Vec<String> {
        cuts(inner).into_iter().map(|c| c.0).collect()
    }

    #[test]
    fn dotted_keys_are_cut_by_their_first_key_while_they_follow_each_other() {
        let site = "site.name = \"n\"\nsite . url = \"u\"\nsite.social.x = 1\n";
        assert_eq!(
            cuts(&format!("{site}title = \"T\"\n")),
            [
                cut_of("site", "", site, 2, false),
                cut_of("title", "", "title = \"T\"\n", 5, false),
            ]
        );
        // Split by another key: one key's lines in two places, one entry.
        let split = "site.a = 1\ntitle = 2\nsite.b = 3\n";
        assert_eq!(
            cuts(split),
            [cut_of(
                crate::article::WHOLE_FRONTMATTER,
                "",
                split,
                2,
                false
            )]
        );
    }

    #[test]
    fn quoted_keys_are_unquoted() {
        let t = r#""a.b" = 1
'lit' = 2
"q"."r s" = 3
"\u0042" = 4
"#;
        assert_eq!(keys(t), ["a.b", "lit", "q", "B"]);
        let t = "[\"x y\".z]\nk = 1\n[[ 'arr' ]]\nn = 1\n";
        assert_eq!(keys(t), ["x y", "arr"]);
    }

    #[test]
    fn comments_and_blank_lines_go_with_the_key_after_them() {
        let t = r#"# top

title = "A" # same line

# about tags
tags = [
  "a", # one
  # between
  "b",
]

# section
[extra]

# inside
x = 1

# trailing
"#;
        let tags = "tags = [\n  \"a\", # one\n  # between\n  \"b\",\n]\n";
        assert_eq!(
            cuts(t),
            [
                cut_of(
                    "title",
                    "# top\n\n",
                    "title = \"A\" # same line\n",
                    4,
                    false
                ),
                cut_of("tags", "\n# about tags\n", tags, 7, false),
                cut_of(
                    "extra",
                    "\n# section\n",
                    "[extra]\n\n# inside\nx = 1\n",
                    14,
                    true
                ),
            ]
        );
        // What follows the last statement is the block's trailer.
        let whole = format!("+++\n{t}+++\nbody\n");
        let a = parse(&whole, &ArticleOptions::default()).unwrap();
        assert_eq!(a.frontmatter.as_ref().unwrap().trailer, "\n# trailing\n");
        assert_eq!(a.reassembled(), whole);
    }

    #[test]
    fn arrays_of_tables_and_sub_tables_stay_with_their_key() {
        let menu = "[[menu]]\nname = \"a\"\n[menu.sub]\nx = 1\n\n[[menu]]\nname = \"b\"\n";
        let other = "[[other]]\ny = 2\n[other.deep.er]\nz = 3\n";
        assert_eq!(
            cuts(&format!("{menu}{other}")),
            [
                cut_of("menu", "", menu, 2, true),
                cut_of("other", "", other, 9, true),
            ]
        );
        // Multi-line strings hide what looks like keys and headers.
        let t = r#"s = '''
[not] = 1
'''
b = """
x = \"""
"""
[t]
"#;
        assert_eq!(keys(t), ["s", "b", "t"]);
    }

    #[test]
    fn a_first_line_with_a_byte_order_mark_is_no_key_line() {
        assert_eq!(
            cuts("\u{feff}a = 1\nb = 2\n"),
            [cut_of("b", "", "b = 2\n", 3, false)]
        );
        // Left out with the lines its value continues on.
        assert_eq!(
            cuts("\u{feff}a = [\n1,\n]\n# c\nb = 2\n"),
            [cut_of("b", "# c\n", "b = 2\n", 6, false)]
        );
    }

    #[test]
    fn a_key_twice_is_named_beside_other_faults_before_them() {
        let err = |t: &str| entries(t, 2, true).unwrap_err();
        let dup = |key: &str, line, first| ArticleError::DuplicateKey {
            key: key.into(),
            line,
            first,
        };
        // A key twice in an inline table: its line is still a statement.
        let inline = "a = { p = 1, p = 2 }\n";
        assert_eq!(
            err(&format!("{inline}b.c = 1\nb.c = 2\n")),
            dup("b.c", 4, 3)
        );
        // A line that is no statement leaves the paths after it unknown.
        assert!(matches!(
            err(&format!("{inline}= 1\nb.c = 1\nb.c = 2\n")),
            ArticleError::Syntax {
                line: 2,
                column: 14,
                ..
            }
        ));
        // A string left open to the end: what comes before it.
        assert_eq!(
            err("t = 1\n[x]\ny = 1\ny = 2\ns = \"\"\"\n"),
            dup("x.y", 5, 4)
        );
        // A multi-line value where a key is defined twice.
        let t = "[[a]]\n\"a\".a = 1\n\"a\" = [\n  1, # c\n  # d\n  2,\n]\n\"a\" = 1\n";
        assert_eq!(err(t), dup("a.a", 9, 4));
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

    const POOL: &[&str] = &[
        "a = 1",
        "a = 2",
        "b = \"x\\u00e9\\U0001F600\\e\\x41\"",
        "c = 'lit\\'",
        "d = 1979-05-27",
        "e = 07:32:00",
        "e2 = 07:32",
        "f = 1979-05-27T07:32:00.999999-07:00",
        "g = 1979-05-27 07:32:00",
        "h = 1979-05-27T07:32:00Z",
        "i = nan",
        "j = -inf",
        "k = +1_000.5e+3",
        "l = 0x1F",
        "m = 0o7",
        "n = 0b1",
        "o = 9223372036854775808",
        "p = -9223372036854775808",
        "q = 1e400",
        "r = 0.1",
        "s = -0.0",
        "t = 3.14159265358979323846",
        "u = \"\"\"\nline \\\n  cont\"\"\"",
        "v = '''\nraw\n'''",
        "\"\" = 1",
        "'q k' = 2",
        "a.b = 1",
        "a.c = 2",
        "x.y.z = 3",
        "[a]",
        "[a.b]",
        "[x]",
        "[x.y]",
        "[[arr]]",
        "[[arr]]",
        "[arr]",
        "[[a]]",
        "name = \"n\"",
        "inl = { a = 1, b = [1, 2] }",
        "inl.c = 3",
        "[inl.d]",
        "nl = { a = 1,\n b = 2 }",
        "arr2 = [1, 'a', {x=1}, [2]]",
        "arr3 = [\n  1,\n  2, # c\n]",
        "# comment",
        "",
        "bad = ",
        "= 1",
        "[",
        "t = true",
        "tt = tru",
        "ws =   \"x\"   # trailing",
        "[ a . b ]",
        "dup = 1\ndup = 2",
        "ld = 1979-05-27T00:00:00",
        "big = 1_2_3",
        "under = 1__2",
        "lead = 01",
        "fe = 1.",
        "fe2 = .5",
        "k\u{e9} = 1",
        "\"a.b\" = 4",
        "[\"a.b\"]",
        "tbl = {}",
        "tbl.x = 1",
        "[tbl]",
        "emptyarr = []",
        "date2 = 2024-02-30",
        "time = 24:00:00",
    ];

    /// One parse reads a block as the two did: the values `entries` takes
    /// from `toml_edit`'s document are the `toml` crate's (key order, dates
    /// and floats included), the statements the same, and a block refused
    /// gets the `toml` crate's error, on generated blocks.
    #[test]
    fn one_parse_reads_values_as_the_toml_crate_does() {
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut ok, mut bad) = (0, 0);
        for _ in 0..10_000 {
            let n = (next() % 10) as usize + 1;
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(POOL[(next() % POOL.len() as u64) as usize]);
                text.push_str(if next() % 9 == 0 { "\r\n" } else { "\n" });
            }
            // As `entries` read a block before: the `toml` crate's values
            // (or its error), then the statements from `toml_edit`'s spans.
            let old = parse_table(&text, 2).map(|t| {
                (
                    t,
                    statements(&text).unwrap_or_else(|| all_statements(&text).0),
                )
            });
            let new = values_and_statements(&text, 2);
            assert_eq!(format!("{new:?}"), format!("{old:?}"), "{text:?}");
            if old.is_ok() {
                ok += 1;
            } else {
                bad += 1;
            }
        }
        assert!(ok > 500 && bad > 500, "{ok} read, {bad} refused");
    }
}
