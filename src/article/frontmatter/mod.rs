//! The frontmatter block: which format it is written in, and its top-level
//! keys, each with its original lines. One small module per format finds the
//! block, cuts it into keys, parses values and validates; the rest of the
//! program asks [`Frontmatter`] and never the format's library.

pub mod yaml;

use indexmap::IndexMap;

use crate::conflict::scan::split_eol;

use super::value::Value;

/// The language a frontmatter block is written in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `---` ... `---` (or `...`): Jekyll, Astro, Docusaurus, Hugo.
    Yaml,
}

impl Format {
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
        }
    }

    /// The file extension of the format, for temporary files an editor opens.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
        }
    }
}

/// The frontmatter block.
#[derive(Clone, Debug, PartialEq)]
pub struct Frontmatter<'a> {
    /// The language of the block.
    pub format: Format,
    /// The opening fence line, `---` and its line ending.
    pub open: &'a str,
    /// Blank lines and comments after the last key.
    pub trailer: &'a str,
    /// The closing fence line (`---` or `...`).
    pub close: &'a str,
    /// The text between the fences, as the format's library reads it.
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
    /// The key line and its continuation lines (block scalars, sequences).
    pub text: &'a str,
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
    /// The `---` at the top has no closing fence.
    UnclosedFrontmatter {
        /// Line of the opening fence.
        line: usize,
    },
    /// The frontmatter is not valid YAML.
    Yaml {
        /// Line in the side's text.
        line: usize,
        /// The YAML library's message.
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
            ArticleError::UnclosedFrontmatter { line }
            | ArticleError::Yaml { line, .. }
            | ArticleError::DuplicateKey { line, .. } => *line,
        }
    }

    /// The same error with every line it names passed through `f` (side
    /// lines to file lines), so the message agrees with the location.
    pub fn map_lines(self, f: impl Fn(usize) -> usize) -> ArticleError {
        match self {
            ArticleError::UnclosedFrontmatter { line } => {
                ArticleError::UnclosedFrontmatter { line: f(line) }
            }
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
            ArticleError::UnclosedFrontmatter { .. } => {
                f.write_str("frontmatter opened with `---` is never closed")
            }
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

/// True when `line` is the fence `fence` (`---`, `...`), trailing blanks and
/// line ending aside: how the frontmatter and `check` find its edges.
pub fn is_fence(line: &str, fence: &str) -> bool {
    split_eol(line).0.trim_end() == fence
}

/// Finds and reads the frontmatter at the top of `text` (BOM removed);
/// returns it and the offset where the body starts.
pub(super) fn parse(
    text: &str,
    values: bool,
) -> Result<(Option<Frontmatter<'_>>, usize), ArticleError> {
    let (format, block) = match yaml::find(text) {
        Some(b) => (Format::Yaml, b?),
        None => return Ok((None, 0)),
    };
    let source = &text[block.open_end..block.close_start];
    let entries = match format {
        Format::Yaml => yaml::entries(source, values)?,
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
