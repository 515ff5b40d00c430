//! The article model: BOM, frontmatter keys with their original lines, body,
//! and the trailing related-links section, all borrowed from one side's text.
//!
//! ```text
//! \u{feff}                          bom (optional)
//! ---                              frontmatter.open
//! # comment                        entry.lead  ┐ entry "title"
//! title: "A"                       entry.text  ┘
//! description: >-                  entry.text  ┐ entry "description"
//!   folded                                     ┘
//! ---                              frontmatter.close
//! # Heading                        body
//! ...
//! ## Related                       links.heading
//!
//! *   [One](/blog/one/)            links.items[0]
//! *   [Two](/blog/two/)            links.items[1]
//!                                  links.tail
//! ```
//!
//! Concatenating the pieces in order gives the side's text back, byte for byte.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::conflict::scan::{lines_rev, lines_with_offsets, split_eol};
use crate::yaml::{self, YamlValue};

/// Headings that open a related-links section, compared case-insensitively.
pub const DEFAULT_LINK_HEADINGS: &[&str] = &[
    "Читайте также",
    "Похожие статьи",
    "См. также",
    "Смотрите также",
    "Related",
    "Related posts",
    "Related articles",
    "Related links",
    "See also",
    "Read also",
    "Read more",
];

/// How articles are recognised.
#[derive(Clone, Debug)]
pub struct ArticleOptions {
    /// Heading texts that open the trailing related-links section.
    pub link_headings: Vec<String>,
    /// False to validate the frontmatter without building values (every
    /// entry's value is then `Null`): what `check` needs, at a fraction of
    /// the allocations.
    pub values: bool,
}

impl Default for ArticleOptions {
    fn default() -> Self {
        ArticleOptions {
            link_headings: DEFAULT_LINK_HEADINGS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            values: true,
        }
    }
}

/// One side of a conflict, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Article<'a> {
    /// The whole text.
    pub text: &'a str,
    /// `"\u{feff}"` when the text starts with a byte order mark, else empty.
    pub bom: &'a str,
    /// The `---` fenced YAML block at the top, when there is one.
    pub frontmatter: Option<Frontmatter<'a>>,
    /// Everything between the frontmatter and the related-links section.
    pub body: &'a str,
    /// The trailing related-links section, when there is one.
    pub links: Option<Links<'a>>,
    /// The line ending of the first line (`"\n"` or `"\r\n"`), used for new lines.
    pub eol: &'static str,
}

impl Article<'_> {
    /// The pieces concatenated in order: the side's text again, byte for
    /// byte (the invariant the parser keeps, checked by tests and fuzzing).
    pub fn reassembled(&self) -> String {
        let mut s = String::with_capacity(self.text.len());
        s.push_str(self.bom);
        if let Some(fm) = &self.frontmatter {
            s.push_str(fm.open);
            for e in &fm.entries {
                s.push_str(e.lead);
                s.push_str(e.text);
            }
            s.push_str(fm.trailer);
            s.push_str(fm.close);
        }
        s.push_str(self.body);
        if let Some(l) = &self.links {
            s.push_str(l.heading);
            for i in &l.items {
                s.push_str(i.text);
            }
            s.push_str(l.tail);
        }
        s
    }
}

/// The frontmatter block.
#[derive(Clone, Debug, PartialEq)]
pub struct Frontmatter<'a> {
    /// The opening fence line, `---` and its line ending.
    pub open: &'a str,
    /// Top-level keys in order.
    pub entries: Vec<Entry<'a>>,
    /// Blank lines and comments after the last key.
    pub trailer: &'a str,
    /// The closing fence line (`---` or `...`).
    pub close: &'a str,
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Entry index by key, so lookups stay O(1) in loops over every key.
    index: HashMap<String, usize>,
}

impl<'a> Frontmatter<'a> {
    /// The entry for `key`.
    pub fn get(&self, key: &str) -> Option<&Entry<'a>> {
        self.index.get(key).map(|&i| &self.entries[i])
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
    pub value: YamlValue,
    /// 1-based line of the key in the side's text.
    pub line: usize,
}

/// The trailing related-links section.
#[derive(Clone, Debug, PartialEq)]
pub struct Links<'a> {
    /// The heading line and the blank lines before the first item.
    pub heading: &'a str,
    /// The list items.
    pub items: Vec<LinkItem<'a>>,
    /// Blank lines after the last item.
    pub tail: &'a str,
    /// 1-based line of the heading.
    pub line: usize,
}

impl Links<'_> {
    /// The whole section's text.
    pub fn text_len(&self) -> usize {
        self.heading.len()
            + self.items.iter().map(|i| i.text.len()).sum::<usize>()
            + self.tail.len()
    }
}

/// One related link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkItem<'a> {
    /// The item's lines, blank lines up to the next item included.
    pub text: &'a str,
    /// The list marker and the spaces after it, e.g. `*   ` or `- `.
    pub bullet: &'a str,
    /// The link text.
    pub title: &'a str,
    /// The link target, the key links are compared by.
    pub url: &'a str,
    /// 1-based line in the side's text.
    pub line: usize,
}

impl LinkItem<'_> {
    /// True when the title is only a YAML block-scalar indicator such as `>-`,
    /// the trace of a generator that copied a folded `title: >-` literally.
    pub fn title_is_scalar_indicator(&self) -> bool {
        is_block_scalar_indicator(self.title)
    }
}

/// True for `>`, `>-`, `|`, `|+`, `>2-` and the like.
pub fn is_block_scalar_indicator(s: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[>|](?:[1-9]?[+-]?|[+-][1-9])$").expect("valid regex"));
    RE.is_match(s.trim())
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

fn is_fence(line: &str, fence: &str) -> bool {
    split_eol(line).0.trim_end() == fence
}

/// Parses one side's text.
pub fn parse<'a>(text: &'a str, opts: &ArticleOptions) -> Result<Article<'a>, ArticleError> {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let rest = &text[bom.len()..];
    let eol = match rest.find('\n') {
        Some(i) if rest[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let (frontmatter, body_start) = parse_frontmatter(rest, opts.values)?;
    let body_all = &rest[body_start..];
    let body_line = 1 + rest[..body_start].matches('\n').count();
    let links = find_links(body_all, body_line, opts);
    let body_end = body_all.len() - links.as_ref().map_or(0, |l| l.text_len());
    Ok(Article {
        text,
        bom,
        frontmatter,
        body: &body_all[..body_end],
        links,
        eol,
    })
}

fn parse_frontmatter(
    text: &str,
    values: bool,
) -> Result<(Option<Frontmatter<'_>>, usize), ArticleError> {
    let mut lines = lines_with_offsets(text);
    let Some((_, first)) = lines.next() else {
        return Ok((None, 0));
    };
    if !is_fence(first, "---") {
        return Ok((None, 0));
    }
    let open = first;
    let mut close = None;
    for (off, line) in lines {
        if is_fence(line, "---") || is_fence(line, "...") {
            close = Some((off, line));
            break;
        }
    }
    let Some((close_off, close_line)) = close else {
        return Err(ArticleError::UnclosedFrontmatter { line: 1 });
    };
    let yaml_text = &text[open.len()..close_off];
    let entries = attach_values(yaml_text, segment_entries(yaml_text, 2)?, values)?;
    let trailer = &yaml_text[entries
        .last()
        .map_or(0, |e| offset_in(yaml_text, e.text) + e.text.len())..];
    let mut index = HashMap::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        index.entry(e.key.clone()).or_insert(i);
    }
    Ok((
        Some(Frontmatter {
            open,
            entries,
            trailer,
            close: close_line,
            yaml: yaml_text,
            index,
        }),
        close_off + close_line.len(),
    ))
}

/// An entry before its value is known: byte offsets into the YAML text.
#[derive(Clone, Copy)]
struct RawEntry {
    lead: usize,
    start: usize,
    end: usize,
    line: usize,
}

fn starts_key(line: &str) -> bool {
    let Some(&b) = line.as_bytes().first() else {
        return false;
    };
    !matches!(b, b' ' | b'\t' | b'#' | b'-' | b'\r' | b'\n' | b'}' | b']')
}

/// Cuts the YAML between the fences into entries: a key line at column 0 and
/// its continuation lines; blank lines and column-0 comments go with the key
/// that follows them, or with the trailer after the last key.
fn segment_entries(yaml: &str, first_line: usize) -> Result<Vec<RawEntry>, ArticleError> {
    let mut entries: Vec<RawEntry> = Vec::new();
    let mut pending: Option<usize> = None; // start of a blank/comment run
    for (n, (off, line)) in lines_with_offsets(yaml).enumerate() {
        let line_no = first_line + n;
        if starts_key(line) {
            entries.push(RawEntry {
                lead: pending.take().unwrap_or(off),
                start: off,
                end: off + line.len(),
                line: line_no,
            });
        } else if line.trim().is_empty() || line.starts_with('#') {
            pending.get_or_insert(off);
        } else if let Some(last) = entries.last_mut() {
            // An indented or `- ` continuation: blank lines before it are the entry's.
            pending = None;
            last.end = off + line.len();
        } else {
            return Err(ArticleError::Yaml {
                line: line_no,
                message: "frontmatter does not start with a `key:` line".into(),
            });
        }
    }
    Ok(entries)
}

/// Byte offset of `part` inside `whole` (`part` must borrow from `whole`).
pub fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

fn attach_values<'a>(
    yaml_text: &'a str,
    raw: Vec<RawEntry>,
    values: bool,
) -> Result<Vec<Entry<'a>>, ArticleError> {
    let parsed = if values {
        yaml::parse_mapping(yaml_text)
    } else {
        yaml::parse_keys(yaml_text)
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
            .find(|r| yaml::parse_mapping(&yaml_text[r.start..r.end]).is_err())
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
        })
        .collect())
}

fn single_key(text: &str) -> Option<String> {
    let m = yaml::parse_mapping(text).ok()?;
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

fn heading_text(line: &str) -> Option<&str> {
    let (content, _) = split_eol(line);
    let t = content.trim_start_matches(' ');
    if content.len() - t.len() > 3 {
        return None;
    }
    let text = if let Some(rest) = t.strip_prefix('#') {
        let hashes = 1 + rest.len() - rest.trim_start_matches('#').len();
        if hashes > 6 {
            return None;
        }
        let rest = &t[hashes..];
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            return None;
        }
        rest.trim().trim_end_matches('#').trim()
    } else if t.len() > 4 && t.starts_with("**") && t.trim_end().ends_with("**") {
        t.trim_end()
            .trim_start_matches('*')
            .trim_end_matches('*')
            .trim()
    } else {
        return None;
    };
    Some(text)
}

fn heading_matches(text: &str, opts: &ArticleOptions) -> bool {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches([':', '.', '!'])
            .trim_matches('*')
            .trim()
            .to_lowercase()
    };
    let t = norm(text);
    opts.link_headings.iter().any(|h| norm(h) == t)
}

/// The list marker of an item line and the spaces after it (`*   `, `- `,
/// `12. `): up to 3 spaces of indent, `-`, `*`, `+` or 1 to 9 digits with
/// `.` or `)`, then at least one space or tab.
fn bullet(content: &str) -> Option<&str> {
    let b = content.as_bytes();
    let indent = b.iter().take_while(|&&c| c == b' ').count();
    if indent > 3 {
        return None;
    }
    let marker_end = match b.get(indent)? {
        b'-' | b'*' | b'+' => indent + 1,
        c if c.is_ascii_digit() => {
            let digits = b[indent..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits > 9 || !matches!(b.get(indent + digits), Some(b'.' | b')')) {
                return None;
            }
            indent + digits + 1
        }
        _ => return None,
    };
    let spaces = b[marker_end..]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    (spaces > 0).then(|| &content[..marker_end + spaces])
}

/// The first Markdown link `[title](url "optional title")` in `text`:
/// titles may hold one level of nested brackets, the URL may be in `<>`.
fn first_link(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'[', &b[from..]).map(|i| from + i) {
        from = open + 1;
        if let Some(found) = link_at(text, open) {
            return Some(found);
        }
    }
    None
}

/// The link whose `[` is at byte `open`, if one starts there.
fn link_at(text: &str, open: usize) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    // Title: anything but brackets, or a nested `[...]` without brackets.
    let mut i = open + 1;
    loop {
        match *b.get(i)? {
            b']' => break,
            b'[' => {
                i += 1
                    + b[i + 1..]
                        .iter()
                        .position(|&c| c == b']' || c == b'[')
                        .filter(|&n| b[i + 1 + n] == b']')?
                    + 1
            }
            _ => i += 1,
        }
    }
    let title = &text[open + 1..i];
    if b.get(i + 1) != Some(&b'(') {
        return None;
    }
    let rest = &text[i + 2..];
    let after_ws = rest.trim_start();
    let (angle, after_angle) = match after_ws.strip_prefix('<') {
        Some(r) => (true, r),
        None => (false, after_ws),
    };
    let url_len = after_angle
        .find(|c: char| c == ')' || c == '>' || c.is_whitespace())
        .unwrap_or(after_angle.len());
    let url = &after_angle[..url_len];
    let mut tail = &after_angle[url_len..];
    if let Some(t) = tail.strip_prefix('>') {
        tail = t;
    } else if angle && tail.starts_with('>') {
        return None;
    }
    // Optional link title after at least one space: "..." or '...'.
    let trimmed = tail.trim_start();
    if trimmed.len() < tail.len() {
        if let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let close = trimmed[1..].find(q)?;
            tail = &trimmed[1 + close + 1..];
        }
    }
    tail.trim_start().starts_with(')').then_some((title, url))
}

/// Parses a list item line that holds a Markdown link: bullet, title, URL.
fn link_item(line: &str) -> Option<(&str, &str, &str)> {
    let (content, _) = split_eol(line);
    let bullet = bullet(content)?;
    let (title, url) = first_link(&content[bullet.len()..])?;
    Some((bullet, title, url))
}

/// Finds the trailing related-links section: the last matching heading after
/// which come only blank lines and list items holding links (with their
/// indented continuation lines).
fn find_links<'a>(body: &'a str, body_line: usize, opts: &ArticleOptions) -> Option<Links<'a>> {
    // Walk back from the end over list items, continuation and blank lines,
    // up to the line before them: the heading, if this is a links section.
    // Only the section's lines are read, not the whole body.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut found_heading = false;
    for (off, line) in lines_rev(body) {
        lines.push((off, line));
        let blank = line.trim().is_empty();
        let cont = line.starts_with([' ', '\t']) && !blank;
        if !(blank || cont || link_item(line).is_some()) {
            found_heading = true;
            break;
        }
    }
    if !found_heading {
        return None;
    }
    lines.reverse();
    let h = 0;
    let (h_off, h_line) = lines[h];
    if !heading_text(h_line).is_some_and(|t| heading_matches(t, opts)) {
        return None;
    }
    // Line numbers count from the body's first line.
    let body_line = body_line + memchr::memchr_iter(b'\n', &body.as_bytes()[..h_off]).count();
    // Continuation lines must follow an item, not the heading.
    let mut j = h + 1;
    while j < lines.len() && lines[j].1.trim().is_empty() {
        j += 1;
    }
    if j < lines.len() && link_item(lines[j].1).is_none() {
        return None;
    }
    let heading_end = lines.get(j).map_or(body.len(), |l| l.0);
    let mut items: Vec<LinkItem<'a>> = Vec::new();
    let mut k = j;
    while k < lines.len() {
        let (off, line) = lines[k];
        let (bullet, title, url) = link_item(line)?;
        let mut end = k + 1;
        while end < lines.len() && link_item(lines[end].1).is_none() {
            end += 1;
        }
        // Blank lines after the last item are the tail, not the item's.
        let mut text_end = end;
        if end == lines.len() {
            while text_end > k + 1 && lines[text_end - 1].1.trim().is_empty() {
                text_end -= 1;
            }
        }
        let end_off = lines.get(text_end).map_or(body.len(), |l| l.0);
        items.push(LinkItem {
            text: &body[off..end_off],
            bullet,
            title,
            url,
            line: body_line + k,
        });
        k = end;
    }
    let tail_start = items
        .last()
        .map_or(heading_end, |l| offset_in(body, l.text) + l.text.len());
    Some(Links {
        heading: &body[h_off..heading_end],
        items,
        tail: &body[tail_start..],
        line: body_line + h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(t: &str) -> Article<'_> {
        parse(t, &ArticleOptions::default()).unwrap()
    }

    const ARTICLE: &str = "---\ntitle: \"A\"\n# why\ndescription: >-\n  folded\n\n  more\ntags:\n- a\n- b\nschema: {\"name\":\"A\"}\n\n---\n# H\n\ntext\n\n---\n\n## Читайте также\n\n*   [One](/blog/one/)\n*   [>-](/blog/two/)\n\n";

    #[test]
    fn pieces_reassemble_to_the_text() {
        let a = parse_ok(ARTICLE);
        assert_eq!(a.reassembled(), ARTICLE);
        let fm = a.frontmatter.as_ref().unwrap();
        let keys: Vec<_> = fm.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "description", "tags", "schema"]);
        assert_eq!(fm.entries[1].lead, "# why\n");
        assert_eq!(fm.entries[1].text, "description: >-\n  folded\n\n  more\n");
        assert_eq!(fm.entries[2].text, "tags:\n- a\n- b\n");
        assert_eq!(fm.trailer, "\n");
        assert_eq!(fm.entries[1].line, 4);
        let links = a.links.as_ref().unwrap();
        assert_eq!(links.items.len(), 2);
        assert_eq!(links.items[0].url, "/blog/one/");
        assert!(links.items[1].title_is_scalar_indicator());
        assert_eq!(links.tail, "\n");
        assert_eq!(links.line, 20);
        assert!(a.body.ends_with("---\n\n"));
    }

    #[test]
    fn articles_without_frontmatter_or_links() {
        let a = parse_ok("# Title\n\nJust text.\n");
        assert!(a.frontmatter.is_none() && a.links.is_none());
        assert_eq!(a.body, "# Title\n\nJust text.\n");
        let a = parse_ok("");
        assert_eq!(a.body, "");
    }

    #[test]
    fn bom_and_crlf() {
        let t = "\u{feff}---\r\ntitle: a\r\n---\r\nbody\r\n## See also\r\n- [x](/x)\r\n";
        let a = parse_ok(t);
        assert_eq!(a.bom, "\u{feff}");
        assert_eq!(a.eol, "\r\n");
        assert_eq!(
            a.frontmatter.as_ref().unwrap().entries[0].text,
            "title: a\r\n"
        );
        assert_eq!(a.links.as_ref().unwrap().items[0].url, "/x");
        assert_eq!(a.reassembled(), t);
    }

    #[test]
    fn links_section_must_be_trailing() {
        let t = "---\na: 1\n---\n## Related\n\n- [x](/x)\n\nMore text after.\n";
        assert!(parse_ok(t).links.is_none());
        let t = "## Related\n\n";
        let a = parse_ok(t);
        assert_eq!(a.links.as_ref().unwrap().items.len(), 0);
        assert_eq!(a.reassembled(), t);
        let t = "## Something else\n- [x](/x)\n";
        assert!(parse_ok(t).links.is_none());
    }

    #[test]
    fn multi_line_items_and_bold_headings() {
        let t = "body\n**Read also:**\n1. [x](/x \"t\")\n   note\n2. [y](</y>)\n";
        let a = parse_ok(t);
        let l = a.links.as_ref().unwrap();
        assert_eq!(l.items[0].text, "1. [x](/x \"t\")\n   note\n");
        assert_eq!(l.items[1].url, "/y");
        assert_eq!(a.reassembled(), t);
    }

    #[test]
    fn frontmatter_errors_name_lines() {
        let o = ArticleOptions::default();
        assert_eq!(
            parse("---\ntitle: a\n", &o).unwrap_err(),
            ArticleError::UnclosedFrontmatter { line: 1 }
        );
        let e = parse("---\na: 1\nb: [1\n---\n", &o).unwrap_err();
        assert!(matches!(e, ArticleError::Yaml { .. }), "{e:?}");
        let e = parse("---\ntitle: a\nx: 1\ntitle: b\n---\n", &o).unwrap_err();
        assert_eq!(
            e,
            ArticleError::DuplicateKey {
                key: "title".into(),
                line: 4,
                first: 2
            }
        );
        let e = parse("---\n\ttitle: a\n---\n", &o).unwrap_err();
        assert!(matches!(e, ArticleError::Yaml { .. }), "{e:?}");
        // A bad continuation line is named, not just its key.
        let e = parse("---\na: 1\ntitle: A\n\tx: 1\n---\n", &o).unwrap_err();
        assert_eq!(e.line(), 4, "{e:?}");
        let e = parse("---\na: 1\ntitle: A\n  x: 1\n---\n", &o).unwrap_err();
        assert_eq!(e.line(), 4, "{e:?}");
        let e = parse("---\na: [1\nb: 2\n---\n", &o).unwrap_err();
        assert_eq!(e.line(), 2, "{e:?}");
    }

    #[test]
    fn flow_values_returning_to_column_zero() {
        let t = "---\nschema: {\n  \"a\": 1\n}\nt: x\n---\n";
        let a = parse_ok(t);
        let fm = a.frontmatter.as_ref().unwrap();
        assert_eq!(fm.entries.len(), 2);
        assert_eq!(fm.entries[0].text, "schema: {\n  \"a\": 1\n}\n");
        assert_eq!(a.reassembled(), t);
    }

    #[test]
    fn link_items_parse_like_the_markdown_grammar() {
        // The grammar this parser implements, as a regex: the test oracle.
        let item = Regex::new(r"^( {0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)(.*)$").unwrap();
        let link = Regex::new(
            r#"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"#,
        )
        .unwrap();
        let oracle = |l: &'static str| -> Option<(&'static str, &'static str, &'static str)> {
            let c = item.captures(l)?;
            let k = link.captures(c.get(2)?.as_str())?;
            Some((c.get(1)?.as_str(), k.get(1)?.as_str(), k.get(2)?.as_str()))
        };
        for l in [
            "*   [Долговая яма: как выбраться](/blog/dolgovaya-yama/)",
            "- [x](/x \"t\")",
            "- [x](/x 't' )",
            "1. [a [b] c](</y>)",
            "12) see [x](y) and [z](w)",
            "   + [](/empty-title)",
            "    - [too](/indented)",
            "-[x](/no-space)",
            "- [x] (/space-before-paren) [y](/z)",
            "- [a](b c)",
            "- [a [b [c]]](/deep)",
            "- [x](/x \"unclosed)",
            "1234567890. [x](/ten-digits)",
            "- text without a link",
            "* [>-](/blog/x/)",
            "- [a](</b>c)",
        ] {
            assert_eq!(link_item(l), oracle(l), "{l}");
        }
        // Random lines over the grammar's alphabet, deterministic.
        let alphabet: Vec<char> = "[]()<>\"' \t-*+.1)aяx/".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            let mut line = String::from(["- ", "* ", "1. ", " + ", ""][(state % 5) as usize]);
            for _ in 0..(state >> 59) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let line: &'static str = Box::leak(line.into_boxed_str());
            assert_eq!(link_item(line), oracle(line), "{line:?}");
        }
    }

    #[test]
    fn scalar_indicators() {
        for s in [">-", "|", ">", "|+", ">2-", " >- "] {
            assert!(is_block_scalar_indicator(s), "{s}");
        }
        for s in ["a", ">>", "-", ""] {
            assert!(!is_block_scalar_indicator(s), "{s}");
        }
    }
}
