//! YAML frontmatter (`---` ... `---` or `...`): every call into the YAML
//! library lives here.
//!
//! The crate is `serde_yaml` by name (see Cargo.toml for which fork).
//! Frontmatter is never re-serialised: YAML is parsed only to validate and
//! to compare values.

use std::collections::{HashMap, HashSet};

use crate::article::value::{KeyNames, Value};
use crate::conflict::scan::{lines_with_offsets, split_eol};

use super::list::{self, ListStyle, ListText};
use super::written::{self, double_quoted, Kind, StringStyle, StringText};
use super::{is_fence, ArticleError, Block, Entry, RawEntry};
use super::{KeysError, SecondBlock, Syntax, ValueError};

/// The lines that close a YAML block.
const CLOSERS: &[&str] = &["---", "..."];

/// Finds a `---` block at the top of `text` (BOM already removed): the
/// opening fence, the YAML and the closing fence, or `None` when the text
/// does not open with `---`.
pub(super) fn find(text: &str) -> Option<Result<Block, ArticleError>> {
    super::fenced_block(text, "---", CLOSERS, super::Format::Yaml)
}

/// Cuts the YAML between the fences into entries with their values.
pub(super) fn entries(yaml_text: &str, values: bool) -> Result<Vec<Entry<'_>>, ArticleError> {
    attach_values(yaml_text, segment_entries(yaml_text, 2)?, values)
}

/// A YAML syntax error, with a 1-based line relative to the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text, when the library knows it.
    pub line: Option<usize>,
    /// The library's message.
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn error(e: serde_yaml::Error) -> YamlError {
    // The library's positions count from the start of the parsed text, not
    // the file; callers report the file line, so they are dropped here.
    static POSITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r" at line \d+ column \d+").expect("valid regex")
    });
    let mut message = POSITION.replace_all(&e.to_string(), "").into_owned();
    if message.contains("repetition limit exceeded") {
        message = "aliases (`*name`) expand to too much data (repetition limit exceeded)".into();
    }
    YamlError {
        line: e.location().map(|l| l.line()),
        message,
    }
}

/// How deep `[`/`{` may nest. The library refuses documents nested deeper
/// than 128 levels, but only after its scanner has spent time quadratic in
/// the depth (100,000 nested `[` took 90 s): [`check_depth`] refuses first.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Refuses text whose `[`/`{` nest deeper than [`MAX_FLOW_DEPTH`], counting
/// every bracket (also in strings: an over-estimate only for text with more
/// than a hundred unmatched brackets inside quotes). Linear time.
pub fn check_depth(text: &str) -> Result<(), YamlError> {
    // Fewer brackets than the limit cannot nest past it: the usual case,
    // found at memory speed.
    if memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count() <= MAX_FLOW_DEPTH {
        return Ok(());
    }
    let (mut depth, mut line) = (0usize, 1);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
        if depth > MAX_FLOW_DEPTH {
            return Err(YamlError {
                line: Some(line),
                message: format!("`[`/`{{` nested deeper than {MAX_FLOW_DEPTH} levels"),
            });
        }
    }
    Ok(())
}

/// Values a document of `len` bytes may hold once its aliases are
/// expanded. Without aliases a value takes at least a byte or two of text
/// (`[1,1]`); reused mappings (`<<: *defaults`) a few times more. The
/// library's own repetition limit lets millions through (a 50 KB article
/// of a 1,000-item list aliased 2,000 times: 2 million values, and
/// gigabytes in the merge and its screens, found by an attacker's trial).
fn expansion_limit(len: usize) -> usize {
    16 * len + 100_000
}

/// Refuses a document whose aliases expand past [`expansion_limit`].
fn check_expansion(text: &str, value: &Value) -> Result<(), YamlError> {
    fn count(v: &Value, budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match v {
            Value::Seq(items) => items.iter().all(|i| count(i, budget)),
            Value::Map(m) => m.values().all(|i| count(i, budget)),
            Value::Tagged(_, inner) => count(inner, budget),
            _ => true,
        }
    }
    // No alias, no expansion: values are bounded by the text already.
    if !text.contains('*') {
        return Ok(());
    }
    let mut budget = expansion_limit(text.len());
    if count(value, &mut budget) {
        return Ok(());
    }
    Err(YamlError {
        line: None,
        message: format!(
            "aliases (`*name`) expand to too much data (over {} values)",
            expansion_limit(text.len())
        ),
    })
}

/// True for a document of blank lines and comments only (`# Do not remove
/// front matter.`): an empty mapping, as for every YAML reader.
fn holds_nothing(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .all(|l| l.is_empty() || l.starts_with('#'))
}

/// Parses a frontmatter document into its top-level keys and values, in order.
///
/// An empty document is an empty mapping. Duplicate keys, a document that is
/// not a mapping, and syntax errors are errors.
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    if holds_nothing(text) {
        return Ok(Vec::new());
    }
    check_depth(text)?;
    let value: Value = serde_yaml::from_str(text).map_err(error)?;
    check_expansion(text, &value)?;
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Map(m) => Ok(m.into_iter().collect()),
        _ => Err(YamlError {
            line: Some(1),
            message: "frontmatter is not a mapping of keys to values".into(),
        }),
    }
}

/// Validates a frontmatter document like [`parse_mapping`] and returns its
/// top-level keys in order, each with `Value::Null`: the same errors
/// (syntax, not a mapping, duplicate keys) without building values, for
/// callers that only check.
pub fn parse_keys(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    if holds_nothing(text) {
        return Ok(Vec::new());
    }
    // Most frontmatter is plain enough to read without the library.
    if let Some(keys) = super::plain_yaml::keys(text) {
        return Ok(keys.into_iter().map(|k| (k, Value::Null)).collect());
    }
    check_depth(text)?;
    match serde_yaml::from_str::<Keys>(text) {
        Ok(keys) => Ok(keys.0),
        Err(e) if e.to_string().contains("a mapping of keys to values") => Err(YamlError {
            line: Some(1),
            message: "frontmatter is not a mapping of keys to values".into(),
        }),
        Err(e) => Err(error(e)),
    }
}

/// The top-level keys of a document, read by [`parse_keys`].
struct Keys(Vec<(String, Value)>);

/// A value walked only to find what [`parse_mapping`] would refuse in it:
/// duplicate keys in nested mappings. Scalars are not kept.
struct Checked;

/// Checks a mapping's keys are unique, walking its values; returns the keys.
fn unique_keys<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Vec<String>, A::Error> {
    let mut keys: Vec<String> = Vec::new();
    let mut names = KeyNames::default();
    while let Some(key) = map.next_key::<Value>()? {
        let name = names.add(&key).map_err(serde::de::Error::custom)?;
        if let Some((old, new)) = name.renamed {
            if let Some(k) = keys.iter_mut().find(|k| **k == old) {
                *k = new;
            }
        }
        map.next_value::<Checked>()?;
        keys.push(name.name);
    }
    Ok(keys)
}

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Keys, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Keys, A::Error> {
                let keys = unique_keys(map)?;
                Ok(Keys(keys.into_iter().map(|k| (k, Value::Null)).collect()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        use serde::de::{EnumAccess, SeqAccess, VariantAccess};
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Checked;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_unit<E>(self) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
                while seq.next_element::<Checked>()?.is_some() {}
                Ok(Checked)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Checked, A::Error> {
                unique_keys(map).map(|_| Checked)
            }
            // A tagged value (`!tag x`).
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Checked, A::Error> {
                let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
                variant.newtype_variant::<Checked>()
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses one value in isolation (a field edited by the user, say).
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    check_depth(text)?;
    serde_yaml::from_str(text).map_err(error)
}

/// True when `line` can start a top-level entry: not indented, not a
/// comment, a sequence item, a blank line or a closing bracket.
pub fn starts_key(line: &str) -> bool {
    let Some(&b) = line.as_bytes().first() else {
        return false;
    };
    !matches!(b, b' ' | b'\t' | b'#' | b'-' | b'\r' | b'\n' | b'}' | b']')
}

/// How a block scalar opened at the end of a line (`note: |+`, `- >-`,
/// `key: !!str &a |2+ # c`) ends: `Some(true)` where it keeps its final
/// line breaks (`+`: its trailing empty lines are its text), `Some(false)`
/// for the other chomping indicators, `None` where the line opens none.
pub(crate) fn opens_block_scalar(line: &str) -> Option<bool> {
    let content = split_eol(line).0;
    // The tokens before a comment (a `#` after a blank).
    let mut tokens: Vec<&str> = content
        .split([' ', '\t'])
        .filter(|t| !t.is_empty())
        .take_while(|t| !t.starts_with('#'))
        .collect();
    let header = tokens.pop()?;
    let indicators = header.strip_prefix(['|', '>'])?;
    if indicators.len() > 2 || !indicators.bytes().all(|b| b"+-123456789".contains(&b)) {
        return None;
    }
    // Before the header: a key, a dash, tags and anchors only (`a |+` is a
    // plain scalar).
    while tokens.last().is_some_and(|t| t.starts_with(['!', '&'])) {
        tokens.pop();
    }
    let opens = match tokens.last() {
        Some(t) => t.ends_with(':') || *t == "-",
        None => false,
    };
    opens.then(|| indicators.contains('+'))
}

/// Cuts the YAML between the fences into entries: a key line at column 0 and
/// its continuation lines; blank lines and column-0 comments go with the key
/// that follows them, or with the trailer after the last key. Empty lines
/// after a block scalar that keeps them (`|+`) are its text: its entry's.
fn segment_entries(yaml: &str, first_line: usize) -> Result<Vec<RawEntry>, ArticleError> {
    let mut entries: Vec<RawEntry> = Vec::new();
    let mut pending: Option<usize> = None; // start of a blank/comment run
                                           // The indentation of the line whose `|+` scalar the lines now read are in.
    let mut kept: Option<usize> = None;
    for (n, (off, line)) in lines_with_offsets(yaml).enumerate() {
        let line_no = first_line + n;
        let indent = line.len() - line.trim_start_matches(' ').len();
        if starts_key(line) {
            entries.push(RawEntry {
                lead: pending.take().unwrap_or(off),
                start: off,
                end: off + line.len(),
                line: line_no,
            });
            kept = (opens_block_scalar(line) == Some(true)).then_some(0);
        } else if let (Some(_), None, Some(last), true) =
            (kept, pending, entries.last_mut(), line.trim().is_empty())
        {
            last.end = off + line.len();
        } else if line.trim().is_empty()
            || line.starts_with('#')
            || (entries.is_empty() && line.trim_start().starts_with('#'))
        {
            // An indented comment before the first key is a comment too.
            pending.get_or_insert(off);
        } else if let Some(last) = entries.last_mut() {
            // An indented or `- ` continuation: blank lines before it are the entry's.
            pending = None;
            last.end = off + line.len();
            if kept.is_none_or(|k| indent <= k) {
                kept = (opens_block_scalar(line) == Some(true)).then_some(indent);
            }
        } else {
            return Err(ArticleError::Yaml {
                line: line_no,
                message: "frontmatter does not start with a `key:` line".into(),
            });
        }
    }
    Ok(entries)
}

fn attach_values<'a>(
    yaml_text: &'a str,
    raw: Vec<RawEntry>,
    values: bool,
) -> Result<Vec<Entry<'a>>, ArticleError> {
    let parsed = if values {
        parse_mapping(yaml_text)
    } else {
        parse_keys(yaml_text)
    };
    let values = parsed.map_err(|e| {
        if e.message.contains("duplicate") {
            if let Some(dup) = duplicate_in(yaml_text, &raw) {
                return dup;
            }
        }
        // The library notices an error where it stops reading, often lines
        // later; the first key that does not parse on its own is the culprit.
        // Its line, unless the library's line falls inside that key's lines
        // (a tab or a bad indent in a continuation line): that is sharper.
        let reported = e.line.map(|l| l + 1);
        let culprit = raw
            .iter()
            .find(|r| parse_mapping(&yaml_text[r.start..r.end]).is_err())
            .map(|r| {
                let last = r.line + yaml_text[r.start..r.end].matches('\n').count();
                reported
                    .filter(|l| (r.line..last).contains(l))
                    .unwrap_or(r.line)
            });
        ArticleError::Yaml {
            line: culprit.unwrap_or_else(|| reported.unwrap_or(2)),
            message: e.message,
        }
    })?;
    let raw = if raw.len() == values.len() {
        raw
    } else {
        merge_segments(yaml_text, raw)
    };
    if raw.len() != values.len() {
        return Err(ArticleError::Yaml {
            line: raw.first().map_or(2, |e| e.line),
            message: format!(
                "could not tell the {} top-level keys apart line by line",
                values.len()
            ),
        });
    }
    Ok(raw
        .into_iter()
        .zip(values)
        .map(|(r, (key, value))| Entry {
            key,
            lead: &yaml_text[r.lead..r.start],
            text: &yaml_text[r.start..r.end],
            value,
            line: r.line,
            format: super::Format::Yaml,
            section: false,
        })
        .collect())
}

/// The key of `text` when it is a mapping of exactly one key.
pub fn single_key(text: &str) -> Option<String> {
    let m = parse_mapping(text).ok()?;
    (m.len() == 1).then(|| m.into_iter().next().map(|(k, _)| k))?
}

fn duplicate_in(yaml_text: &str, raw: &[RawEntry]) -> Option<ArticleError> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for r in raw {
        let Some(k) = single_key(&yaml_text[r.start..r.end]) else {
            continue;
        };
        if let Some(&line) = first.get(&k) {
            return Some(ArticleError::DuplicateKey {
                key: k,
                line: r.line,
                first: line,
            });
        }
        first.insert(k, r.line);
    }
    None
}

/// Joins a segment to its predecessor while it does not parse on its own as
/// one key: covers multi-line flow values that return to column 0.
fn merge_segments(yaml_text: &str, raw: Vec<RawEntry>) -> Vec<RawEntry> {
    let mut out: Vec<RawEntry> = Vec::new();
    for r in raw {
        match out.last_mut() {
            Some(prev) if single_key(&yaml_text[r.start..r.end]).is_none() => prev.end = r.end,
            _ => out.push(r),
        }
    }
    out
}

/// YAML's behaviour (see [`Syntax`]).
pub struct Yaml;

impl Syntax for Yaml {
    fn name(&self) -> &'static str {
        "YAML"
    }

    fn indentation_nests(&self) -> bool {
        true
    }

    fn extension(&self) -> &'static str {
        "yaml"
    }

    fn opener(&self) -> &'static str {
        "---"
    }

    fn empty_block(&self, crlf: bool) -> &'static str {
        if crlf {
            "---\r\n---\r\n"
        } else {
            "---\n---\n"
        }
    }

    fn invalid_code(&self) -> &'static str {
        "invalid-yaml"
    }

    fn closers(&self) -> &'static [&'static str] {
        CLOSERS
    }

    /// Indented more, or a `- item` line at the key's column under a key
    /// line that opens a block.
    fn continues_entry(&self, key_line: &str, line: &str) -> bool {
        let indent = |l: &str| l.len() - l.trim_start().len();
        let t = line.trim();
        !t.is_empty()
            && (indent(line) > indent(key_line)
                || (key_line.trim_end().ends_with(':')
                    && indent(line) == indent(key_line)
                    && t.starts_with("- ")))
    }

    /// A block list or mapping with nothing in it reads as null: written
    /// `key: []` or `key: {}`; below the key line, indented past its key,
    /// where asked or where that line ends in a comment (`tags: # c []`
    /// would be null again).
    fn emptied_collection(
        &self,
        key_line: &str,
        seq: bool,
        below: bool,
        eol: &str,
    ) -> Option<String> {
        let empty = if seq { "[]" } else { "{}" };
        let last = key_line.rsplit('\n').next().unwrap_or(key_line);
        // A `#` after a blank may open a comment (or sit in a quoted key:
        // the empty collection below its line reads alike).
        let comment =
            !last.trim_end().ends_with(':') && (last.contains(" #") || last.contains("\t#"));
        if below || comment {
            // Past the key's column, and past the dash of an item's first
            // key (`- tags:`).
            let column = last.len() - last.trim_start_matches([' ', '-']).len();
            let indent = " ".repeat(column + 2);
            return Some(format!(
                "{}{eol}{indent}{empty}",
                key_line.trim_end_matches([' ', '\t'])
            ));
        }
        let sep = if key_line.ends_with(' ') { "" } else { " " };
        Some(format!("{key_line}{sep}{empty}"))
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
        entries(&text[block.inner()], values)
    }

    fn parse_value(&self, text: &str) -> Result<Value, ValueError> {
        parse_value(text).map_err(|e| ValueError(e.message))
    }

    fn parse_keys(&self, text: &str) -> Result<Vec<(String, Value)>, KeysError> {
        parse_mapping(text).map_err(|e| KeysError {
            line: e.line.unwrap_or(1),
            message: e.message,
        })
    }

    /// Entries are cut by indentation: the lines that continue the key
    /// must be indented for the edit to stay one entry.
    fn cut_as_one_entry(&self, text: &str) -> Result<bool, ArticleError> {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let doc = self.block_around(text, eol);
        let entries = crate::article::parse(&doc, &crate::article::ArticleOptions::default())?
            .frontmatter
            .map_or(0, |f| f.len());
        Ok(entries == 1)
    }

    /// Block lists are rewritten item by item: never re-laid out.
    fn list_relaid(&self, _text: &str) -> bool {
        false
    }

    fn without_entry(&self, text: &str, line: usize) -> Option<String> {
        Some(blank_entry(text, line))
    }

    fn without_block(&self, text: &str) -> Option<String> {
        Some(blank_block(text))
    }

    fn second_block(&self, text: &str) -> Option<SecondBlock> {
        second_block(text)
    }

    fn list_text<'a>(&self, text: &'a str) -> Option<ListText<'a>> {
        block_list(text).or_else(|| list::flow(text, ':'))
    }

    fn list_item_value(&self, list: &ListText<'_>, item: &str) -> Option<Value> {
        match list.style {
            ListStyle::Lines { indent, .. } => {
                let v = parse_value(&dedent(item, indent)?).ok()?;
                match v.sequence()? {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            }
            ListStyle::Flow { .. } => list::flow_item_value(self, item),
        }
    }

    fn list_item_moved(
        &self,
        to: &ListText<'_>,
        from: &ListText<'_>,
        i: usize,
        eol: &str,
    ) -> Option<String> {
        list_item_moved(to, from, i, eol)
    }

    /// A block list emptied is written `key: []`.
    fn empty_list(&self, list: &ListText<'_>, eol: &str) -> String {
        match list.style {
            ListStyle::Lines { .. } => {
                let (line, _) = split_eol(list.head);
                let name = line.rsplit_once(':').map_or(line, |(k, _)| k);
                format!("{name}: []{eol}")
            }
            ListStyle::Flow { .. } => list.joined(&[]),
        }
    }

    fn value_start(&self, text: &str, key: &str) -> Option<usize> {
        value_start(text, key)
    }

    fn line_comment(&self) -> Option<char> {
        Some('#')
    }

    fn string_text<'a>(&self, text: &'a str, key: &str) -> Option<StringText<'a>> {
        string_text(text, key)
    }

    fn string_written(
        &self,
        cut: &StringText<'_>,
        style: StringStyle<'_>,
        value: &str,
    ) -> Option<String> {
        match style {
            StringStyle::Block { header, indent } => block_scalar(cut, header, indent, value),
            _ => written::string_written(self, cut, style, value),
        }
    }

    fn single_quoted(&self, s: &str) -> Option<String> {
        single_quoted(s)
    }

    fn write_string(&self, kind: Kind, value: &str) -> String {
        match kind {
            Kind::Single => single_quoted(value).unwrap_or_else(|| double_quoted(value)),
            Kind::Plain => {
                let bare = !value.is_empty()
                    && value == value.trim()
                    && !value.contains(|c: char| ":#,[]{}&*!|>'\"%@`\n\r\t".contains(c))
                    && !value.starts_with(['-', '?'])
                    && parse_value(value).is_ok_and(|v| v.as_str() == Some(value));
                if bare {
                    value.to_owned()
                } else {
                    double_quoted(value)
                }
            }
            Kind::Double | Kind::Collection | Kind::Multiline => double_quoted(value),
        }
    }
}

/// `'text'` with quotes doubled; `None` for text with a line break.
pub fn single_quoted(s: &str) -> Option<String> {
    (!s.contains(['\n', '\r'])).then(|| format!("'{}'", s.replace('\'', "''")))
}

/// Byte offset in `text` (an entry's lines) where the value of `key` starts
/// on the key line: after `key:` and the spaces that follow.
pub fn value_start(text: &str, key: &str) -> Option<usize> {
    let (line, _) = split_eol(lines_with_offsets(text).next()?.1);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends_key = b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'));
        if !ends_key {
            continue;
        }
        let same = parse_mapping(&format!("{}: ~", &line[..i]))
            .is_ok_and(|m| m.len() == 1 && m[0].0 == key);
        if same {
            let after = &line[i + 1..];
            return Some(i + 1 + after.len() - after.trim_start_matches([' ', '\t']).len());
        }
    }
    None
}

// Lists: `- item` lines under the key line, or a flow list in brackets.

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The dash and spaces that open a block item on `line` at `indent`, if any.
fn item_prefix(line: &str, indent: usize) -> Option<&str> {
    let rest = line.get(indent..)?;
    if indent_of(line) != indent || !rest.starts_with('-') {
        return None;
    }
    let after = &rest[1..];
    let (content, _) = split_eol(after);
    let spaces = content.len() - content.trim_start_matches(' ').len();
    if content.is_empty() || spaces > 0 {
        Some(&line[..indent + 1 + spaces])
    } else {
        None
    }
}

/// A block sequence entry cut into its `- item` lines: the key line alone
/// (a comment after it aside), then items at one indent.
fn block_list(text: &str) -> Option<ListText<'_>> {
    let mut lines = lines_with_offsets(text);
    let (_, first) = lines.next()?;
    let (content, _) = split_eol(first);
    let key_only = content.trim_end().ends_with(':')
        || content
            .split_once(": #")
            .is_some_and(|(k, _)| !k.contains(": "));
    if !key_only {
        return None;
    }
    let mut head_end = first.len();
    let mut style = None;
    let mut starts = Vec::new();
    for (off, line) in lines {
        match style {
            None if line.trim().is_empty() || line.trim_start().starts_with('#') => {
                head_end = off + line.len();
            }
            None => {
                let indent = indent_of(line);
                let prefix = item_prefix(line, indent)?;
                style = Some(ListStyle::Lines { prefix, indent });
                starts.push(off);
            }
            Some(ListStyle::Lines { indent, .. }) => {
                if item_prefix(line, indent).is_some() {
                    starts.push(off);
                }
            }
            Some(ListStyle::Flow { .. }) => unreachable!("block parsing only"),
        }
    }
    let style = style?;
    let items = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| &text[s..starts.get(i + 1).copied().unwrap_or(text.len())])
        .collect();
    Some(ListText {
        head: &text[..head_end],
        items,
        style,
    })
}

fn dedent(text: &str, n: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for (_, line) in lines_with_offsets(text) {
        if line.trim().is_empty() {
            out.push_str(split_eol(line).1);
        } else if indent_of(line) >= n {
            out.push_str(&line[n..]);
        } else {
            return None;
        }
    }
    Some(out)
}

fn reindent(line: &str, shift: isize) -> Option<String> {
    if line.trim().is_empty() || shift == 0 {
        return Some(line.to_owned());
    }
    if shift > 0 {
        return Some(format!("{}{line}", " ".repeat(shift as usize)));
    }
    let cut = shift.unsigned_abs();
    (indent_of(line) >= cut).then(|| line[cut..].to_owned())
}

fn ensure_eol(mut s: String, eol: &str) -> String {
    if !s.ends_with('\n') {
        s.push_str(eol);
    }
    s
}

/// Item `i` of `from` written in `to`'s style: a block item's lines moved
/// to `to`'s dash and content column, a flow element given a dash, a
/// one-line block item taken without its dash.
fn list_item_moved(to: &ListText<'_>, from: &ListText<'_>, i: usize, eol: &str) -> Option<String> {
    let item = from.items[i];
    match (&to.style, &from.style) {
        (
            ListStyle::Lines { prefix, indent },
            ListStyle::Lines {
                prefix: their_prefix,
                indent: their_indent,
            },
        ) => {
            let mut lines = lines_with_offsets(item).map(|(_, l)| l);
            let first = lines.next()?;
            let mut out = format!("{prefix}{}", &first[their_prefix.len()..]);
            // Continuation lines move with the item's content column.
            let shift = if prefix.ends_with(' ') && their_prefix.ends_with(' ') {
                prefix.len() as isize - their_prefix.len() as isize
            } else {
                *indent as isize - *their_indent as isize
            };
            for line in lines {
                out.push_str(&reindent(line, shift)?);
            }
            Some(ensure_eol(out, eol))
        }
        (ListStyle::Lines { prefix, .. }, ListStyle::Flow { .. }) => {
            Some(ensure_eol(format!("{prefix}{item}"), eol))
        }
        (ListStyle::Flow { .. }, ListStyle::Flow { .. }) => Some(item.to_owned()),
        (ListStyle::Flow { .. }, ListStyle::Lines { prefix, .. }) => {
            let mut lines = lines_with_offsets(item).map(|(_, l)| l);
            let (first, _) = split_eol(lines.next()?);
            if lines.any(|l| !l.trim().is_empty()) {
                return None; // a multi-line item does not fit in a flow list
            }
            Some(first[prefix.len()..].trim_end().to_owned())
        }
    }
}

// Strings: plain, quoted and block scalars, with a comment after.

/// Where the comment on a line of plain text starts (with the spaces before it).
fn comment_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let hash = (1..b.len()).find(|&i| b[i] == b'#' && matches!(b[i - 1], b' ' | b'\t'))?;
    Some(s[..hash].trim_end_matches([' ', '\t']).len())
}

/// A string entry cut around its value: plain (on the key line or the next
/// lines), quoted, or a `|`/`>` block scalar; `None` for a layout not
/// followed (tags, anchors, explicit indentation indicators).
fn string_text<'a>(text: &'a str, key: &str) -> Option<StringText<'a>> {
    let vs = value_start(text, key)?;
    let eol = written::first_eol(text)?;
    let mut lines = lines_with_offsets(text);
    let (_, first) = lines.next()?;
    let (first_content, _) = split_eol(first);
    let rest = &first_content[vs..];
    let later: Vec<(usize, &str)> = lines.collect();
    let content_line = |(_, l): &&(usize, &str)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    // The value starts on the key line, or on the next content line.
    let (start, on_first) = if rest.trim().is_empty() || rest.starts_with('#') {
        let (off, line) = *later.iter().find(content_line)?;
        (off + indent_of(line), false)
    } else {
        (vs, true)
    };
    let tail_ok = |t: &str| written::tail_ok(&Yaml, t);
    let first_char = text[start..].bytes().next()?;
    let (style, tail) = match first_char {
        q @ (b'"' | b'\'') => {
            let end = written::quoted_end(text, start, q)?;
            let tail = written::rest_of_line(text, end);
            if !tail_ok(tail) || !written::only_blank_after(text, end) {
                return None;
            }
            let style = if q == b'"' {
                StringStyle::Double
            } else {
                StringStyle::Single
            };
            (style, tail)
        }
        b'|' | b'>' if on_first => {
            let header_len = rest
                .bytes()
                .take_while(|b| matches!(b, b'|' | b'>' | b'-' | b'+'))
                .count();
            let header = &rest[..header_len];
            let tail = &rest[header_len..];
            if !tail_ok(tail) {
                return None; // an explicit indentation indicator or stray text
            }
            let (_, line) = *later.iter().find(content_line)?;
            let style = StringStyle::Block {
                header,
                indent: indent_of(line),
            };
            (style, tail)
        }
        b'!' | b'&' | b'*' | b'[' | b'{' | b'?' | b'%' | b'@' | b'`' | b'|' | b'>' => return None,
        b'-' if matches!(
            text.as_bytes().get(start + 1),
            None | Some(b' ' | b'\n' | b'\r')
        ) =>
        {
            return None
        }
        _ => {
            let continued = later.iter().filter(content_line).count() > usize::from(!on_first);
            if continued {
                // A plain scalar over several lines: no comment may hide in it.
                if text[start..].lines().any(|l| comment_start(l).is_some()) {
                    return None;
                }
                (StringStyle::Plain, "")
            } else {
                let line = written::rest_of_line(text, start);
                let value_end =
                    comment_start(line).unwrap_or_else(|| line.trim_end_matches([' ', '\t']).len());
                (StringStyle::Plain, &line[value_end..])
            }
        }
    };
    Some(StringText {
        head: &text[..start],
        style,
        tail,
        eol,
    })
}

/// `value` as a block scalar under `cut`'s key line: `header`, then its
/// lines at `indent`; `None` for line breaks a folded scalar would lose.
fn block_scalar(cut: &StringText<'_>, header: &str, indent: usize, value: &str) -> Option<String> {
    let StringText {
        head, tail, eol, ..
    } = *cut;
    if header.starts_with('>') && value.contains('\n') {
        return None; // folding would turn line breaks into spaces
    }
    let mut s = format!("{head}{header}{tail}{eol}");
    for line in value.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            s.push_str(&" ".repeat(indent));
            s.push_str(line);
        }
        s.push_str(eol);
    }
    Some(s)
}

/// The YAML library's message without its `at line L column C` parts, whose
/// numbers count from the frontmatter, not the file.
pub(super) fn without_location(message: &str) -> String {
    let mut out = message.to_owned();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let n = digits(rest);
        let mut end = i + " at line ".len() + n;
        if let Some(col) = out[end..].strip_prefix(" column ") {
            end += " column ".len() + digits(col);
        }
        if n == 0 {
            break;
        }
        out.replace_range(i..end, "");
    }
    out
}

/// The lines of `text`, each with its line ending.
fn lines_of(text: &str) -> Vec<&str> {
    lines_with_offsets(text).map(|(_, l)| l).collect()
}

/// Index of the closing fence of the frontmatter that opens `lines`, if it
/// has one.
fn block_close(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?.trim_start_matches('\u{feff}');
    if !is_fence(first, "---") {
        return None;
    }
    (1..lines.len()).find(|&i| is_fence(lines[i], "---") || is_fence(lines[i], "..."))
}

/// `text` with the lines for which `blank` is true emptied (line endings kept).
fn blank_lines(text: &str, blank: impl Fn(usize, &str) -> bool) -> String {
    lines_of(text)
        .into_iter()
        .enumerate()
        .map(|(i, l)| if blank(i + 1, l) { split_eol(l).1 } else { l })
        .collect()
}

/// Blanks the frontmatter entry whose key is on `line` (1-based): the key line
/// and its continuation lines.
fn blank_entry(text: &str, line: usize) -> String {
    let lines = lines_of(text);
    let close = block_close(&lines).unwrap_or(lines.len());
    let end = (line..close)
        .find(|&i| starts_key(lines[i]))
        .unwrap_or(close);
    // `end` is a 0-based index: lines `line..=end` (1-based) are the entry.
    blank_lines(text, |n, _| n >= line && n <= end)
}

/// Blanks everything between the frontmatter fences.
fn blank_block(text: &str) -> String {
    let lines = lines_of(text);
    let Some(close) = block_close(&lines) else {
        return text.to_owned();
    };
    blank_lines(text, |n, _| n > 1 && n <= close)
}

/// Top-level keys named on column-0 lines of a YAML text, read line by line
/// so that a broken document still gives its keys.
fn keys_by_line(lines: &[&str]) -> HashSet<String> {
    lines
        .iter()
        .filter(|l| starts_key(l))
        .filter_map(|l| single_key(l))
        .collect()
}

/// A second `---` block right after the frontmatter (blank lines between
/// allowed) that is YAML sharing a key with the first: the trace of keeping
/// both sides' frontmatter. A rule followed by a paragraph shares no key.
fn second_block(text: &str) -> Option<SecondBlock> {
    if !text.trim_start_matches('\u{feff}').starts_with("---") {
        return None;
    }
    // Lines are read only as far as needed: through the first block, and the
    // second one only when `---` follows right after it.
    fn upto<'t>(
        iter: &mut impl Iterator<Item = &'t str>,
        lines: &mut Vec<&'t str>,
        stop: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        loop {
            let l = iter.next()?;
            lines.push(l);
            if stop(l) {
                return Some(lines.len() - 1);
            }
        }
    }
    let mut iter = lines_with_offsets(text).map(|(_, l)| l);
    let mut lines: Vec<&str> = Vec::new();
    upto(&mut iter, &mut lines, |_| true)?;
    if !is_fence(lines[0].trim_start_matches('\u{feff}'), "---") {
        return None;
    }
    let close = upto(&mut iter, &mut lines, |l| {
        is_fence(l, "---") || is_fence(l, "...")
    })?;
    let start = upto(&mut iter, &mut lines, |l| !l.trim().is_empty())?;
    if !is_fence(lines[start], "---") {
        return None;
    }
    let end = upto(&mut iter, &mut lines, |l| is_fence(l, "---"))?;
    let second: String = lines[start + 1..end].concat();
    let keys = parse_mapping(&second).ok()?;
    let first = keys_by_line(&lines[1..close]);
    if !keys.iter().any(|(k, _)| first.contains(k)) {
        return None;
    }
    Some(SecondBlock {
        first: (1, close + 1),
        second: (start + 1, end + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalar_headers_are_told_with_their_chomping() {
        assert_eq!(opens_block_scalar("note: |+\n"), Some(true));
        assert_eq!(opens_block_scalar("note: |"), Some(false));
        assert_eq!(opens_block_scalar("  - >-"), Some(false));
        assert_eq!(opens_block_scalar("key: !!str &a |2+ # c"), Some(true));
        assert_eq!(opens_block_scalar("\"a key\": >+1"), Some(true));
        assert_eq!(opens_block_scalar("text: a |+"), None);
        assert_eq!(opens_block_scalar("note: '|+'"), None);
        assert_eq!(opens_block_scalar("|+"), None);
        assert_eq!(opens_block_scalar("note: |x"), None);
        assert_eq!(opens_block_scalar("note: # |+"), None);
    }

    #[test]
    fn library_positions_are_taken_out_of_a_message() {
        assert_eq!(
            without_location(
                "did not find key at line 3 column 1, while parsing at line 1 column 1"
            ),
            "did not find key, while parsing"
        );
        assert_eq!(without_location("at line x"), "at line x");
    }

    #[test]
    fn a_broken_entry_and_a_broken_block_are_blanked_line_endings_kept() {
        let t = "---\ntitle: A\ntags:\n  - a\ntitle: B\n---\nbody\n";
        assert_eq!(
            blank_entry(t, 3),
            "---\ntitle: A\n\n\ntitle: B\n---\nbody\n"
        );
        assert_eq!(
            blank_block("---\r\na: [1\r\n...\r\nb\r\n"),
            "---\r\n\r\n...\r\nb\r\n"
        );
        assert_eq!(blank_block("---\na: 1\n"), "---\na: 1\n", "never closed");
    }

    #[test]
    fn a_second_block_shares_a_key_with_the_first() {
        let t = "---\ntitle: A\n---\n\n---\ntitle: B\ndate: 2025-01-01\n---\n# Body\n";
        assert_eq!(
            second_block(t),
            Some(SecondBlock {
                first: (1, 3),
                second: (5, 8)
            })
        );
        assert_eq!(
            second_block("---\ntitle: A\n---\n---\nNote: a paragraph\n---\n"),
            None
        );
    }

    #[test]
    fn an_entry_continues_on_deeper_lines_and_its_list_items() {
        let y = Yaml;
        assert!(y.continues_entry("tags:\n", "  - a\n"));
        assert!(y.continues_entry("tags:\n", "- a\n"));
        assert!(!y.continues_entry("tags: x\n", "- a\n"), "no block opened");
        assert!(!y.continues_entry("tags:\n", "next: 1\n"));
        assert!(
            !y.continues_entry("tags:\n", "  \n"),
            "a blank line ends it"
        );
        assert!(!crate::article::Format::Toml
            .syntax()
            .continues_entry("a = 1 # x:\n", "- a\n"));
        let emptied = |key_line: &str, seq: bool, below: bool| {
            y.emptied_collection(key_line, seq, below, "\r\n").unwrap()
        };
        assert_eq!(emptied("tags:", true, false), "tags: []");
        assert_eq!(emptied("m: ", false, false), "m: {}");
        assert_eq!(emptied("  tags:", true, true), "  tags:\r\n    []");
        assert_eq!(emptied("- tags:", true, true), "- tags:\r\n    []");
        // After a comment, `[]` on the key line would be the comment's.
        assert_eq!(emptied("tags: # c", true, false), "tags: # c\r\n  []");
        assert_eq!(emptied("# note\ntags:", true, false), "# note\ntags: []");
        let empty = serde_yaml::Value::Sequence(vec![]);
        let read = |t: String| -> serde_yaml::Value {
            serde_yaml::from_str(&t.replace('\r', "")).unwrap()
        };
        assert_eq!(read(emptied("tags: # c", true, false))["tags"], empty);
        assert_eq!(read(emptied("- tags:", true, true))[0]["tags"], empty);
    }

    #[test]
    fn quoting_alone_does_not_change_a_value() {
        let a = parse_value("\"Привет\"").unwrap();
        let b = parse_value("'Привет'").unwrap();
        let c = parse_value("Привет").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_ne!(
            parse_value("\"2025\"").unwrap(),
            parse_value("2025").unwrap()
        );
    }

    #[test]
    fn mapping_keeps_key_order_and_rejects_duplicates() {
        let m = parse_mapping("b: 1\na: >-\n  folded\n  text\n").unwrap();
        assert_eq!(m[0].0, "b");
        assert_eq!(m[1], ("a".into(), Value::String("folded text".into())));
        let e = parse_mapping("title: a\ntitle: b\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert!(parse_mapping("- a\n- b\n").is_err());
        let e = parse_mapping("a: [1\n").unwrap_err();
        assert!(e.line.is_some());
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert!(parse_mapping("\n").unwrap().is_empty());
    }

    #[test]
    fn key_only_parse_agrees_with_the_full_parse() {
        for doc in [
            "b: 1\na: >-\n  folded\n  text\n",
            "title: a\ntitle: b\n",
            "- a\n- b\n",
            "a: [1\n",
            "\n",
            "x: &a {k: 1}\ny: *a\n",
            "schema: {\"@context\":\"https://schema.org\",\"n\":{\"x\":[1,2]}}\n",
            "just a string\n",
            "1: one\n",
            "schema: {\"a\": 1, \"a\": 2}\n",
            "x:\n  y: 1\n  y: 2\n",
            "x: [{a: 1}, {b: 1, b: 2}]\n",
            "x: !custom {a: 1}\ny: !!str 12\n",
            "x: 1.5\ny: -3\nz: ~\nw: true\n",
        ] {
            let full =
                parse_mapping(doc).map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
            let keys = parse_keys(doc).map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
            assert_eq!(full.is_ok(), keys.is_ok(), "{doc:?}: {full:?} vs {keys:?}");
            if let (Ok(a), Ok(b)) = (&full, &keys) {
                assert_eq!(a, b, "{doc:?}");
            }
            if let (Err(a), Err(b)) = (&full, &keys) {
                assert_eq!(
                    a.message.contains("duplicate"),
                    b.message.contains("duplicate"),
                    "{doc:?}"
                );
                assert_eq!(a.line.is_some(), b.line.is_some(), "{doc:?}");
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_the_library_sees_it() {
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let start = std::time::Instant::now();
        let e = parse_mapping(&deep).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert!(
            e.message.contains("nested deeper than 128"),
            "{}",
            e.message
        );
        let ok = format!("x: {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_mapping(&ok).is_ok());
        let flat = format!("x: [{}]\n", vec!["[1]"; 10_000].join(", "));
        assert!(parse_mapping(&flat).is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse_mapping(&doc).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
        // A wide fan-out under the library's own limit (a long list aliased
        // thousands of times): refused too; reuse of a little is not.
        let list: Vec<String> = (0..1000).map(|i| format!("i{i}")).collect();
        let mut doc = format!("a: &a [{}]\n", list.join(", "));
        for i in 0..2000 {
            doc.push_str(&format!("b{i}: *a\n"));
        }
        let e = parse_mapping(&doc).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
        let reuse = "d: &d {a: 1, b: 2}\nx:\n  <<: *d\n  c: 3\ny: *d\nz: *d\n";
        assert!(parse_mapping(reuse).is_ok());
    }
}
