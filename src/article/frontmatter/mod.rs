//! The frontmatter block: which format it is written in, and its top-level
//! keys, each with its original lines. One small module per format finds the
//! block, cuts it into keys, parses values and validates; the rest of the
//! program asks [`Frontmatter`] and never the format's library.

pub mod inner;
pub mod json;
pub mod layout;
pub mod list;
pub mod plain_yaml;
pub mod toml;
pub mod written;
pub mod yaml;

use std::ops::Range;

use indexmap::IndexMap;

use crate::conflict::scan::split_eol;

use super::value::Value;
use layout::Layout;
use list::{ListStyle, ListText};
pub use written::{Kind, Span, StringStyle, StringText};

/// A value written alone that does not read in its format: the parser's
/// words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

/// Entries that do not read in their format: the 1-based line and the
/// parser's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct KeysError {
    /// 1-based line of the text read.
    pub line: usize,
    /// What the parser said.
    pub message: String,
}

/// The language a frontmatter block is written in.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// `---` ... `---` (or `...`): Jekyll, Astro, Docusaurus, Hugo. The
    /// default: what most sites write, assumed where no side has frontmatter.
    #[default]
    Yaml,
    /// `+++` ... `+++`: Hugo's default, the only one Zola reads.
    Toml,
    /// A JSON object at the top of the file, followed by the body (Hugo).
    Json,
}

impl Format {
    /// Every format, in the order a block at the top of a file is tried.
    pub const ALL: [Format; 3] = [Format::Yaml, Format::Toml, Format::Json];

    /// What the format does its own way. The one place that tells the
    /// formats apart: a new format is a new file and an arm here.
    pub fn syntax(self) -> &'static dyn Syntax {
        match self {
            Format::Yaml => &yaml::Yaml,
            Format::Toml => &toml::Toml,
            Format::Json => &json::Json,
        }
    }

    /// The format of the block at the top of `text` (a BOM aside), if a
    /// block opens there.
    pub fn detect(text: &str) -> Option<Format> {
        let text = text.trim_start_matches('\u{feff}');
        Format::ALL
            .into_iter()
            .find(|f| f.syntax().find(text).is_some())
    }

    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        self.syntax().name()
    }

    /// The file extension of the format, for temporary files an editor opens.
    pub fn extension(self) -> &'static str {
        self.syntax().extension()
    }

    /// How the block opens, for messages.
    pub fn opener(self) -> &'static str {
        self.syntax().opener()
    }

    /// A block of this format with no entries (CRLF line ends when `crlf`).
    pub fn empty_block(self, crlf: bool) -> &'static str {
        self.syntax().empty_block(crlf)
    }

    /// Parses a value written alone in this format (an edited field, say).
    pub fn parse_value(self, text: &str) -> Result<Value, ValueError> {
        self.syntax().parse_value(text)
    }

    /// Reads `text` as the inside of a frontmatter block of this format (the
    /// lines between the fences; for JSON the members without the braces):
    /// its keys with their values, in order, or an error with a 1-based line.
    pub fn parse_keys(self, text: &str) -> Result<Vec<(String, Value)>, KeysError> {
        self.syntax().parse_keys(text)
    }
}

/// What a frontmatter format does its own way, one implementation per
/// format file (`yaml.rs`, `toml.rs`, `json.rs`): how its block is found and
/// cut, how a value is read alone, where a value starts on its key line, how
/// a string is quoted, how entries are joined. Code outside `article/` asks
/// [`Format::syntax`] and never names a format (`tests/it/house.rs` checks
/// it). A new format is a new file with an implementation of this trait,
/// plus one arm in [`Format::syntax`].
///
/// ```text
/// format   opens  key sep  strings on the key line      entries cut by
/// YAML     ---    :        plain, '…', "…", >- and |    indentation
/// TOML     +++    =        "…", '…' (one line)          their syntax ([table] sections last)
/// JSON     {      :        "…"                          their syntax (commas between members)
/// ```
pub trait Syntax: Sync {
    /// The format's name, for messages (`YAML`).
    fn name(&self) -> &'static str;

    /// The file extension of the format, for temporary files an editor opens.
    fn extension(&self) -> &'static str;

    /// How the block opens, for messages.
    fn opener(&self) -> &'static str;

    /// A block with no entries, its lines ended with CRLF when `crlf`.
    fn empty_block(&self, crlf: bool) -> &'static str;

    /// The lines (without their line ending and trailing spaces) that close
    /// the block: `---` and `...` for YAML.
    fn closers(&self) -> &'static [&'static str];

    /// Whether `line` still belongs to the entry whose key is on
    /// `key_line`, read line by line in a text that does not parse (to cut
    /// out a key defined twice): here, a line indented more than the key.
    fn continues_entry(&self, key_line: &str, line: &str) -> bool {
        !line.trim().is_empty() && indent(line) > indent(key_line)
    }

    /// A block collection with nothing left in it, written empty after its
    /// key (`key_line` without its line ending; `seq` for a list), where it
    /// would otherwise read as something else; `None` where an empty
    /// collection needs no such line. `below` asks for the empty
    /// collection on a line of its own (joined with `eol`), the key line
    /// kept as it is: a side of a conflict whose other side keeps items
    /// under that key line.
    fn emptied_collection(
        &self,
        _key_line: &str,
        _seq: bool,
        _below: bool,
        _eol: &str,
    ) -> Option<String> {
        None
    }

    /// What closes the block, for a hint after "add": "the closing `---` line".
    fn closer_hint(&self) -> String {
        format!("the closing `{}` line", self.opener())
    }

    /// The code of a finding about a block of this format that does not
    /// parse (`invalid-yaml`).
    fn invalid_code(&self) -> &'static str;

    /// The block at the top of `text` (BOM already removed), if it opens
    /// with this format's opener; an error when it is never closed.
    fn find(&self, text: &str) -> Option<Result<Block, ArticleError>>;

    /// The block's top-level entries (values parsed when `values`).
    fn entries<'a>(
        &self,
        text: &'a str,
        block: &Block,
        values: bool,
    ) -> Result<Vec<Entry<'a>>, ArticleError>;

    /// Parses a value written alone in this format (an edited field, say).
    fn parse_value(&self, text: &str) -> Result<Value, ValueError>;

    /// Reads `text` as the inside of a frontmatter block of this format (the
    /// lines between the fences; for JSON the members without the braces):
    /// its keys with their values, in order, or an error with a 1-based line.
    fn parse_keys(&self, text: &str) -> Result<Vec<(String, Value)>, KeysError>;

    /// How the block lays its top-level entries out.
    fn layout(&self) -> Layout {
        Layout::Lines
    }

    /// Whether `text`, an entry's lines that read as one key (an edit),
    /// is also cut as one entry once it stands in a block. Always where
    /// entries are cut by their syntax (TOML, JSON); an error when the
    /// block does not read.
    fn cut_as_one_entry(&self, _text: &str) -> Result<bool, ArticleError> {
        Ok(true)
    }

    /// True when another list written into `text` (a list entry's text)
    /// would have to re-lay it out: here, a list spread over lines, which
    /// is cut by its syntax and cannot be rewritten item by item.
    fn list_relaid(&self, text: &str) -> bool {
        text.trim_end().contains('\n')
    }

    /// `text` (an article) with the lines of the entry whose key is on
    /// `line` (1-based) emptied, line endings kept, so that a key defined
    /// twice does not hide what follows it; `None` where the format's
    /// library stops at its first fault (TOML, JSON), so that one finding
    /// is all a block gives.
    fn without_entry(&self, _text: &str, _line: usize) -> Option<String> {
        None
    }

    /// `text` (an article) with the lines inside its block emptied, line
    /// endings kept, so that the body is still read after a block that does
    /// not parse; `None` where the format's library stops at its first fault.
    fn without_block(&self, _text: &str) -> Option<String> {
        None
    }

    /// A second block of this format right after the one that opens `text`
    /// (blank lines between allowed) that shares a key with the first: the
    /// trace of keeping both sides' frontmatter. `None` here.
    fn second_block(&self, _text: &str) -> Option<SecondBlock> {
        None
    }

    /// The texts of [`Layout::Members`] (each member's lead holding what
    /// separates it from the member before, or not) joined as the block
    /// writes them, one a line when `lines`. Here: one after the other.
    fn join_members(&self, pieces: &[String], _eol: &str, _lines: bool) -> String {
        pieces.concat()
    }

    /// The character between a key and its value (`:` or `=`).
    fn key_separator(&self) -> char {
        ':'
    }

    /// Byte offset in `text` (an entry's lines) where the value of `key`
    /// starts on the key line: after the key's separator and the spaces
    /// that follow.
    fn value_start(&self, text: &str, _key: &str) -> Option<usize> {
        written::value_after_separator(text, self.key_separator())
    }

    /// The quotes a one-line string value may open with, as
    /// [`Syntax::string_text`] follows them by default.
    fn string_quotes(&self) -> &'static [u8] {
        b"\""
    }

    /// What opens a comment that runs to the end of the line (`#`), if the
    /// format has comments.
    fn line_comment(&self) -> Option<char> {
        None
    }

    /// A string entry's text (`key`'s) cut around its value, so that
    /// another value can be written the same way; `None` for a layout not
    /// followed. Here: one string in [`Syntax::string_quotes`] on the key
    /// line (no multi-line string), then spaces or a comment.
    fn string_text<'a>(&self, text: &'a str, key: &str) -> Option<StringText<'a>> {
        written::one_line_string(self, text, key)
    }

    /// The entry cut as `cut` with `value` written in `style`; `None` when
    /// the style cannot hold it.
    fn string_written(
        &self,
        cut: &StringText<'_>,
        style: StringStyle<'_>,
        value: &str,
    ) -> Option<String> {
        written::string_written(self, cut, style, value)
    }

    /// `s` in single quotes, as the format writes them; `None` when the
    /// format has none or they cannot hold `s`.
    fn single_quoted(&self, _s: &str) -> Option<String> {
        None
    }

    /// `value` written as a string like one written `kind`: single quotes
    /// where the format has them and they hold it, else double quotes.
    fn write_string(&self, kind: Kind, value: &str) -> String {
        (kind == Kind::Single)
            .then(|| self.single_quoted(value))
            .flatten()
            .unwrap_or_else(|| written::double_quoted(value))
    }

    /// Where the inner value at the dotted `path` is written in `entry`'s
    /// text (read as flow or block YAML, which JSON is too).
    fn locate(&self, entry: &Entry<'_>, path: &str) -> Option<Span> {
        inner::locate_yaml(entry, path)
    }

    /// A list entry's text cut into its items; `None` when it is not
    /// written in a way that can be followed item by item. Here: a list in
    /// brackets on the key line (one spread over lines would have to be
    /// re-laid out, so its merge is asked).
    fn list_text<'a>(&self, text: &'a str) -> Option<ListText<'a>> {
        if text.trim_end().contains('\n') {
            None
        } else {
            list::flow(text, self.key_separator())
        }
    }

    /// The value of `item`, one of `list`'s items as cut by
    /// [`Syntax::list_text`].
    fn list_item_value(&self, list: &ListText<'_>, item: &str) -> Option<Value> {
        match list.style {
            ListStyle::Flow { .. } => list::flow_item_value(self, item),
            ListStyle::Lines { .. } => None,
        }
    }

    /// Item `i` of the list `from` written in the style of the list `to`
    /// (both of this format), with `eol` for a line it ends; `None` when it
    /// cannot be.
    fn list_item_moved(
        &self,
        to: &ListText<'_>,
        from: &ListText<'_>,
        i: usize,
        _eol: &str,
    ) -> Option<String> {
        match (&to.style, &from.style) {
            (ListStyle::Flow { .. }, ListStyle::Flow { .. }) => Some(from.items[i].to_owned()),
            _ => None,
        }
    }

    /// `list`'s entry with no item left: the brackets with nothing between.
    fn empty_list(&self, list: &ListText<'_>, _eol: &str) -> String {
        list.joined(&[])
    }

    /// An array of tables left with no table, written as a plain key
    /// (`key = []`) so that the key stays; `None` in formats without
    /// sections.
    fn empty_sections(&self, _key: &str, _eol: &str) -> Option<String> {
        None
    }

    /// An entry's text as it reads alone: a JSON member without the comma
    /// that joins it to the member before.
    fn alone<'t>(&self, text: &'t str) -> &'t str {
        text
    }

    /// False where an entry's text does not end its line (a JSON member,
    /// which the comma or the closing brace follows).
    fn entries_end_lines(&self) -> bool {
        true
    }

    /// True where a key's indentation says which mapping it is in (YAML):
    /// an inner key written at the left edge is another key.
    fn indentation_nests(&self) -> bool {
        false
    }

    /// Entries' texts (as the block holds them) joined to be edited
    /// together: as they stand in a block, each separator in place.
    fn join_entries(&self, entries: &[String], _eol: &str) -> String {
        entries.concat()
    }

    /// A whole block holding `entries` (texts joined by
    /// [`Syntax::join_entries`]), to be read as an article's frontmatter.
    fn block_around(&self, entries: &str, eol: &str) -> String {
        let fence = self.opener();
        format!("{fence}{eol}{entries}{fence}{eol}")
    }
}

/// Two blocks at the top of a text, one right after the other: the 1-based
/// lines of each one's opening and closing fences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondBlock {
    /// The first block's fence lines.
    pub first: (usize, usize),
    /// The second block's fence lines.
    pub second: (usize, usize),
}

/// The second block right after the frontmatter of `text`, when it shares a
/// key with the first ([`Syntax::second_block`]).
pub fn second_block(text: &str) -> Option<SecondBlock> {
    Format::ALL
        .into_iter()
        .find_map(|f| f.syntax().second_block(text))
}

/// A block that does not read in its format, as a finding tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The block's format.
    pub format: Format,
    /// Line in the side's text.
    pub line: usize,
    /// 1-based column, in characters (1 where the library's is not kept).
    pub column: usize,
    /// The library's words, without the places it counts from the block
    /// rather than the file.
    pub message: String,
}

/// The width of `line`'s leading whitespace, in bytes.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
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

    /// The same block read from `to`, a text with the same bytes as `from`
    /// (the text this block was read from) up to the block's end: every
    /// piece at the same place in `to`. What a second reading of `to` would
    /// give, without reading it. `None` when a piece with text is not
    /// `from`'s (then only a reading tells).
    pub(crate) fn rebased<'b>(&self, from: &str, to: &'b str) -> Option<Frontmatter<'b>> {
        let at = |piece: &str| -> Option<&'b str> {
            let (start, at) = (from.as_ptr() as usize, piece.as_ptr() as usize);
            if at >= start && at + piece.len() <= start + from.len() {
                to.get(at - start..at - start + piece.len())
            } else {
                // A piece the reader made up (an empty lead) stays as it is.
                piece.is_empty().then_some("")
            }
        };
        let mut entries = IndexMap::with_capacity(self.entries.len());
        for (k, e) in &self.entries {
            let entry = Entry {
                key: e.key.clone(),
                lead: at(e.lead)?,
                text: at(e.text)?,
                format: e.format,
                section: e.section,
                value: e.value.clone(),
                line: e.line,
            };
            entries.insert(k.clone(), entry);
        }
        Some(Frontmatter {
            format: self.format,
            open: at(self.open)?,
            trailer: at(self.trailer)?,
            close: at(self.close)?,
            source: at(self.source)?,
            entries,
        })
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

/// Where a block sits in the text: byte offsets (what
/// [`Syntax::find`] found and [`Syntax::entries`] cuts).
pub struct Block {
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

    /// The fault of a block that does not parse in its format, for a
    /// finding at its line: YAML's words without their `at line L column C`
    /// (which count from the block), at column 1. `None` for the other
    /// errors.
    pub fn fault(&self) -> Option<Fault> {
        match self {
            ArticleError::Syntax {
                format,
                line,
                column,
                message,
            } => Some(Fault {
                format: *format,
                line: *line,
                column: *column,
                message: message.clone(),
            }),
            ArticleError::Yaml { line, message } => Some(Fault {
                format: Format::Yaml,
                line: *line,
                column: 1,
                message: yaml::without_location(message),
            }),
            ArticleError::UnclosedFrontmatter { .. } | ArticleError::DuplicateKey { .. } => None,
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
            ArticleError::UnclosedFrontmatter { format, .. } => write!(
                f,
                "frontmatter opened with `{}` is never closed",
                format.opener()
            ),
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
    let found = Format::ALL
        .into_iter()
        .find_map(|f| f.syntax().find(text).map(|b| (f, b)));
    let Some((format, block)) = found else {
        return Ok((None, 0));
    };
    let block = block?;
    let source = &text[block.inner()];
    let entries = format.syntax().entries(text, &block, values)?;
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
