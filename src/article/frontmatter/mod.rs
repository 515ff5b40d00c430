//! The frontmatter block: which format it is written in, and its top-level
//! keys, each with its original lines. One small module per format finds the
//! block, cuts it into keys, parses values and validates; the rest of the
//! program asks [`Frontmatter`] and never the format's library.

pub mod json;
pub mod layout;
pub mod plain_yaml;
pub mod toml;
pub mod yaml;

use std::ops::Range;

use indexmap::IndexMap;

use crate::conflict::scan::split_eol;

use super::value::Value;

/// The language a frontmatter block is written in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `---` ... `---` (or `...`): Jekyll, Astro, Docusaurus, Hugo.
    Yaml,
    /// `+++` ... `+++`: Hugo's default, the only one Zola reads.
    Toml,
    /// A JSON object at the top of the file, followed by the body (Hugo).
    Json,
}

impl Format {
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }

    /// The file extension of the format, for temporary files an editor opens.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    /// How the block opens, for messages.
    pub fn opener(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
            Format::Json => "{",
        }
    }

    /// Parses a value written alone in this format (an edited field, say).
    pub fn parse_value(self, text: &str) -> Result<Value, String> {
        match self {
            Format::Yaml => yaml::parse_value(text).map_err(|e| e.message),
            Format::Toml => toml::parse_value(text),
            Format::Json => json::parse_value(text),
        }
    }

    /// Reads `text` as the inside of a frontmatter block of this format (the
    /// lines between the fences; for JSON the members without the braces):
    /// its keys with their values, in order, or an error with a 1-based line.
    pub fn parse_keys(self, text: &str) -> Result<Vec<(String, Value)>, (usize, String)> {
        let err = |e: ArticleError| (e.line(), e.to_string());
        match self {
            Format::Yaml => yaml::parse_mapping(text).map_err(|e| (e.line.unwrap_or(1), e.message)),
            Format::Toml => {
                let entries = toml::entries(text, 1, true).map_err(err)?;
                Ok(entries.into_iter().map(|e| (e.key, e.value)).collect())
            }
            Format::Json => {
                let doc = format!("{{{text}}}");
                let entries = json::entries(&doc, 1..doc.len() - 1, 1, true).map_err(err)?;
                Ok(entries.into_iter().map(|e| (e.key, e.value)).collect())
            }
        }
    }
}

/// The frontmatter block.
#[derive(Clone, Debug, PartialEq)]
pub struct Frontmatter<'a> {
    /// The language of the block.
    pub format: Format,
    /// The opening fence line, `---` or `+++` and its line ending; for JSON
    /// the `{` (and the line ending right after it).
    pub open: &'a str,
    /// Blank lines and comments after the last key.
    pub trailer: &'a str,
    /// The closing fence line (`---` or `...`, `+++`; for JSON the `}` and
    /// the rest of its line).
    pub close: &'a str,
    /// The text between the fences (for JSON between the braces).
    pub source: &'a str,
    /// Top-level keys in order, each with its entry.
    entries: IndexMap<String, Entry<'a>>,
}

impl<'a> Frontmatter<'a> {
    /// The entry for `key`.
    pub fn get(&self, key: &str) -> Option<&Entry<'a>> {
        self.entries.get(key)
    }

    /// The entries, in order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = &Entry<'a>> + '_ {
        self.entries.values()
    }

    /// The top-level keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.keys().map(String::as_str)
    }

    /// The entry at position `i`.
    pub fn entry_at(&self, i: usize) -> Option<&Entry<'a>> {
        self.entries.get_index(i).map(|(_, e)| e)
    }

    /// The number of top-level keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The same block as one entry, [`super::WHOLE_FRONTMATTER`], whose text
    /// is the whole block `text` (fences included) on `line`: for sides that
    /// write their frontmatter in different formats.
    pub(crate) fn as_whole(&self, text: &'a str, line: usize) -> Frontmatter<'a> {
        let key = super::WHOLE_FRONTMATTER.to_owned();
        let entry = Entry {
            key: key.clone(),
            lead: "",
            text,
            format: self.format,
            section: false,
            value: Value::String(text.to_owned()),
            line,
        };
        Frontmatter {
            format: self.format,
            open: "",
            trailer: "",
            close: "",
            source: text,
            entries: IndexMap::from([(key, entry)]),
        }
    }

    /// True when the block holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One top-level frontmatter key with its original lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    /// The key, unquoted.
    pub key: String,
    /// Blank lines and column-0 comments right before the key line.
    pub lead: &'a str,
    /// The key line and its continuation lines (block scalars, sequences);
    /// a TOML table with all its lines; a JSON member without the comma.
    pub text: &'a str,
    /// The format the entry is written in: text-level merges follow it.
    pub format: Format,
    /// True for a TOML `[table]` or `[[array of tables]]` section, which
    /// must come after every plain `key = value` line.
    pub section: bool,
    /// The parsed value.
    pub value: Value,
    /// 1-based line of the key in the side's text.
    pub line: usize,
}

/// Where a block sits in the text: byte offsets.
pub(super) struct Block {
    /// End of the opening fence line.
    open_end: usize,
    /// Start of the closing fence line.
    close_start: usize,
    /// End of the closing fence line: where the body starts.
    close_end: usize,
}

impl Block {
    fn inner(&self) -> Range<usize> {
        self.open_end..self.close_start
    }
}

/// An entry before its value is known: byte offsets into the block's text.
#[derive(Clone, Copy)]
struct RawEntry {
    lead: usize,
    start: usize,
    end: usize,
    line: usize,
}

/// Why a side could not be read as an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleError {
    /// The block at the top has no closing fence (or brace).
    UnclosedFrontmatter {
        /// Line of the opening fence.
        line: usize,
        /// The block's format.
        format: Format,
    },
    /// The frontmatter is not valid YAML.
    Yaml {
        /// Line in the side's text.
        line: usize,
        /// The YAML library's message.
        message: String,
    },
    /// The frontmatter is not valid TOML or JSON.
    Syntax {
        /// The block's format.
        format: Format,
        /// Line in the side's text.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// The library's message.
        message: String,
    },
    /// A key appears twice.
    DuplicateKey {
        /// The key.
        key: String,
        /// Line of the second occurrence.
        line: usize,
        /// Line of the first occurrence.
        first: usize,
    },
}

impl ArticleError {
    /// The side-relative line the error points at.
    pub fn line(&self) -> usize {
        match self {
            ArticleError::UnclosedFrontmatter { line, .. }
            | ArticleError::Yaml { line, .. }
            | ArticleError::Syntax { line, .. }
            | ArticleError::DuplicateKey { line, .. } => *line,
        }
    }

    /// The same error with every line it names passed through `f` (side
    /// lines to file lines), so the message agrees with the location.
    pub fn map_lines(self, f: impl Fn(usize) -> usize) -> ArticleError {
        match self {
            ArticleError::UnclosedFrontmatter { line, format } => {
                ArticleError::UnclosedFrontmatter {
                    line: f(line),
                    format,
                }
            }
            ArticleError::Syntax {
                format,
                line,
                column,
                message,
            } => ArticleError::Syntax {
                format,
                line: f(line),
                column,
                message,
            },
            ArticleError::Yaml { line, message } => ArticleError::Yaml {
                line: f(line),
                message,
            },
            ArticleError::DuplicateKey { key, line, first } => ArticleError::DuplicateKey {
                key,
                line: f(line),
                first: f(first),
            },
        }
    }
}

impl std::fmt::Display for ArticleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArticleError::UnclosedFrontmatter { format, .. } => match format {
                Format::Json => f.write_str("frontmatter opened with `{` is never closed"),
                _ => write!(
                    f,
                    "frontmatter opened with `{}` is never closed",
                    format.opener()
                ),
            },
            ArticleError::Syntax {
                format, message, ..
            } => write!(f, "frontmatter is not valid {}: {message}", format.name()),
            ArticleError::Yaml { message, .. } => {
                write!(f, "frontmatter is not valid YAML: {message}")
            }
            ArticleError::DuplicateKey { key, first, .. } => {
                write!(
                    f,
                    "duplicate frontmatter key `{key}` (first at line {first})"
                )
            }
        }
    }
}

impl std::error::Error for ArticleError {}

/// The block at the top of `text` (BOM already removed) that opens with the
/// fence `open` and closes with the first of `closes`; `None` when `text`
/// does not open with it, an error when it is never closed. What YAML's
/// `---` and TOML's `+++` blocks share.
fn fenced_block(
    text: &str,
    open: &str,
    closes: &[&str],
    format: Format,
) -> Option<Result<Block, ArticleError>> {
    let mut lines = crate::conflict::scan::lines_with_offsets(text);
    let (_, first) = lines.next()?;
    if !is_fence(first, open) {
        return None;
    }
    for (off, line) in lines {
        if closes.iter().any(|c| is_fence(line, c)) {
            return Some(Ok(Block {
                open_end: first.len(),
                close_start: off,
                close_end: off + line.len(),
            }));
        }
    }
    Some(Err(ArticleError::UnclosedFrontmatter { line: 1, format }))
}

/// True when `line` is the fence `fence` (`---`, `...`), trailing blanks and
/// line ending aside: how the frontmatter and `check` find its edges.
pub fn is_fence(line: &str, fence: &str) -> bool {
    split_eol(line).0.trim_end() == fence
}

/// 1-based line and column (in characters) of byte `at` in `text`, counting
/// lines from `first_line`.
fn line_col(text: &str, at: usize, first_line: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = first_line + before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + before[start..].chars().count())
}

/// The first key that two entries share, as a [`ArticleError::DuplicateKey`].
fn duplicate(entries: &[Entry<'_>]) -> Option<ArticleError> {
    let mut first: IndexMap<&str, usize> = IndexMap::new();
    for e in entries {
        if let Some(&line) = first.get(e.key.as_str()) {
            return Some(ArticleError::DuplicateKey {
                key: e.key.clone(),
                line: e.line,
                first: line,
            });
        }
        first.insert(&e.key, e.line);
    }
    None
}

/// Finds and reads the frontmatter at the top of `text` (BOM removed);
/// returns it and the offset where the body starts.
pub(super) fn parse(
    text: &str,
    values: bool,
) -> Result<(Option<Frontmatter<'_>>, usize), ArticleError> {
    let found = yaml::find(text)
        .map(|b| (Format::Yaml, b))
        .or_else(|| toml::find(text).map(|b| (Format::Toml, b)))
        .or_else(|| json::find(text).map(|b| (Format::Json, b)));
    let Some((format, block)) = found else {
        return Ok((None, 0));
    };
    let block = block?;
    let source = &text[block.inner()];
    let entries = match format {
        Format::Yaml => yaml::entries(source, values)?,
        Format::Toml => toml::entries(source, 2, values)?,
        Format::Json => json::entries(text, block.inner(), 1, values)?,
    };
    let trailer = &source[entries
        .last()
        .map_or(0, |e| super::offset_in(source, e.text) + e.text.len())..];
    let mut index = IndexMap::with_capacity(entries.len());
    for e in entries {
        index.entry(e.key.clone()).or_insert(e);
    }
    Ok((
        Some(Frontmatter {
            format,
            open: &text[..block.open_end],
            trailer,
            close: &text[block.close_start..block.close_end],
            source,
            entries: index,
        }),
        block.close_end,
    ))
}
