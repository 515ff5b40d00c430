//! The scanner: finds git conflict markers in text and cuts it into chunks.
//!
//! Markers are recognised exactly as git writes them (here with the default
//! marker size 7):
//!
//! ```text
//! <<<<<<< Updated upstream      open, with the upstream ("ours") label
//! upstream lines
//! ||||||| Stash base            optional base section (diff3 / zdiff3)
//! base lines
//! =======                       separator
//! stashed lines
//! >>>>>>> Stashed changes       close, with the stashed ("theirs") label
//! ```
//!
//! A marker is a line that starts with exactly `marker_size` copies of its
//! character, followed by a space and a label, or by the end of the line (LF or
//! CRLF). `|||||||`, `=======` and `>>>>>>>` count only inside an open
//! conflict and in that order, so a Markdown setext underline `=======` outside
//! a conflict is text; so is `|||||||` without a label (a table row of six
//! empty cells) outside a conflict's upstream section, or beside a line that
//! starts with `|`. Anything else that looks half like a conflict is an
//! error with a line number, never a guess.
//!
//! One recogniser, two modes: the strict [`scan_except`] (`resolve`, `diff`,
//! the merge driver) stops at the first malformed marker; the lenient
//! [`lenient`] (`check`) groups every marker line and never stops. Both read
//! the lines of fenced examples known to a clean version of the file
//! ([`Examples`]) as text:
//!
//! ````text
//! ```text
//! <<<<<<< HEAD                  text when HEAD (or the base) has this line
//! our line                      inside this fenced code block
//! =======
//! their line
//! >>>>>>> feature
//! ```
//! ````

use std::fmt;
use std::ops::Range;

use super::examples::Examples;
use super::marker_size::MarkerSize;

/// The four kinds of conflict marker lines.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// `<<<<<<<`: opens a conflict; the upstream side follows.
    Open,
    /// `|||||||`: the base section follows (diff3, zdiff3).
    Base,
    /// `=======`: the stashed side follows.
    Separator,
    /// `>>>>>>>`: closes the conflict.
    Close,
}

impl MarkerKind {
    /// The character the marker repeats.
    pub fn char(self) -> char {
        match self {
            MarkerKind::Open => '<',
            MarkerKind::Base => '|',
            MarkerKind::Separator => '=',
            MarkerKind::Close => '>',
        }
    }

    /// The marker string of the given size, e.g. `<<<<<<<`.
    pub fn repeat(self, size: MarkerSize) -> String {
        std::iter::repeat_n(self.char(), size.get()).collect()
    }
}

/// The labels git wrote after the markers of one conflict.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Labels<'a> {
    /// After `<<<<<<<`, e.g. `Updated upstream` or `HEAD`.
    pub upstream: &'a str,
    /// After `|||||||`, e.g. `Stash base`.
    pub base: Option<&'a str>,
    /// After `>>>>>>>`, e.g. `Stashed changes` or a branch name.
    pub stashed: &'a str,
}

/// One conflict hunk, borrowing its sections from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict<'a> {
    /// The upstream section, line endings included.
    pub upstream: &'a str,
    /// The base section, when the markers have one.
    pub base: Option<&'a str>,
    /// The stashed section.
    pub stashed: &'a str,
    /// The labels of this conflict.
    pub labels: Labels<'a>,
    /// 1-based line of the `<<<<<<<` marker.
    pub line: usize,
    /// 1-based line of the `>>>>>>>` marker.
    pub end_line: usize,
    /// Byte range of the whole conflict, markers included.
    pub span: Range<usize>,
}

/// A piece of scanned input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// Text outside any conflict, common to every side.
    Text {
        /// The text.
        text: &'a str,
        /// 1-based line where it starts.
        line: usize,
    },
    /// A conflict hunk.
    Conflict(Conflict<'a>),
}

/// What is wrong with malformed conflict markers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ScanErrorKind {
    /// A conflict opened and never closed.
    Unterminated,
    /// `>>>>>>>` outside a conflict.
    CloseWithoutOpening {
        /// A lone `=======` seen before it, which was probably meant to be a separator.
        separator: Option<usize>,
    },
    /// `|||||||` outside a conflict.
    BaseWithoutOpening,
    /// `<<<<<<<` inside a conflict opened at `opened`.
    NestedOpening,
    /// `|||||||` after the `=======` separator, or a second base section.
    MisplacedBase,
    /// A second `=======` in one conflict.
    SecondSeparator,
    /// `>>>>>>>` before any `=======`.
    CloseBeforeSeparator,
}

/// Malformed conflict markers, with the line where it was detected.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    /// 1-based line of the offending marker (or the last line, when unterminated).
    pub line: usize,
    /// Line of the `<<<<<<<` of the conflict being read, when there was one.
    pub opened_at: Option<usize>,
    /// What is wrong.
    pub kind: ScanErrorKind,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opened = self
            .opened_at
            .map(|l| format!(" (conflict opened at line {l})"))
            .unwrap_or_default();
        match self.kind {
            ScanErrorKind::Unterminated => {
                write!(f, "conflict never closed: no `>>>>>>>` marker{opened}")
            }
            ScanErrorKind::CloseWithoutOpening { separator: Some(sep) } => write!(
                f,
                "`>>>>>>>` end marker without an opening `<<<<<<<` (a separator `=======` stands at line {sep})"
            ),
            ScanErrorKind::CloseWithoutOpening { separator: None } => {
                write!(f, "`>>>>>>>` end marker without an opening `<<<<<<<`")
            }
            ScanErrorKind::BaseWithoutOpening => {
                write!(f, "`|||||||` base marker without an opening `<<<<<<<`")
            }
            ScanErrorKind::NestedOpening => {
                write!(f, "second `<<<<<<<` opening inside a conflict{opened}")
            }
            ScanErrorKind::MisplacedBase => write!(
                f,
                "`|||||||` base marker after the separator or a second base section{opened}"
            ),
            ScanErrorKind::SecondSeparator => write!(
                f,
                "second `=======` separator in one conflict{opened}; if it is a setext heading, \
                 git was run with a larger conflict-marker-size: pass --marker-size"
            ),
            ScanErrorKind::CloseBeforeSeparator => {
                write!(f, "`>>>>>>>` end marker before the `=======` separator{opened}")
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// Splits `line` into its content and its line ending (`\n`, `\r\n` or none).
pub fn split_eol(line: &str) -> (&str, &str) {
    if let Some(s) = line.strip_suffix("\r\n") {
        (s, "\r\n")
    } else if let Some(s) = line.strip_suffix('\n') {
        (s, "\n")
    } else {
        (line, "")
    }
}

/// Iterates over lines with their line endings, and the byte offset of each.
pub fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        pos = end;
        Some((start, &text[start..end]))
    })
}

/// Iterates over lines from the last to the first, with their offsets: for
/// looking at the end of a long text without reading all of it.
pub fn lines_rev(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = text.len();
    std::iter::from_fn(move || {
        if end == 0 {
            return None;
        }
        // This line's own `\n` is at `end - 1` (or there is none): skip it.
        let start = memchr::memrchr(b'\n', &text.as_bytes()[..end - 1]).map_or(0, |i| i + 1);
        let line = &text[start..end];
        end = start;
        Some((start, line))
    })
}

/// Recognises a marker line; returns its kind and label (empty when none).
///
/// The line must start with exactly `size` marker characters followed by a
/// space or the end of the line.
pub fn marker(line: &str, size: MarkerSize) -> Option<(MarkerKind, &str)> {
    let size = size.get();
    let (content, _) = split_eol(line);
    let kind = match content.as_bytes().first()? {
        b'<' => MarkerKind::Open,
        b'|' => MarkerKind::Base,
        b'=' => MarkerKind::Separator,
        b'>' => MarkerKind::Close,
        _ => return None,
    };
    let c = content.as_bytes()[0];
    let bytes = content.as_bytes();
    if bytes.len() < size || !bytes[..size].iter().all(|&b| b == c) {
        return None;
    }
    match bytes.get(size) {
        None => Some((kind, "")),
        Some(b' ') => Some((kind, &content[size + 1..])),
        Some(_) => None,
    }
}

/// Recognises a marker line of any size (at least three marker characters,
/// then a space or the end of the line), for readers that do not know the
/// size: its kind, its size and its label (empty when none).
pub fn marker_of_any_size(line: &str) -> Option<(MarkerKind, MarkerSize, &str)> {
    let c = *line.as_bytes().first()?;
    let run = line.bytes().take_while(|&b| b == c).count();
    let size = MarkerSize::new(run).filter(|_| run >= 3)?;
    marker(line, size).map(|(kind, label)| (kind, size, label))
}

/// A base marker without a label: git labels the ones it writes; bare
/// pipes are a Markdown table row of empty cells (`|||||||`: six) wherever
/// no base marker can stand, or beside another row.
fn bare(label: &str) -> bool {
    label.trim().is_empty()
}

/// True when `text` has a marker line of one of `kinds`: the fast path for
/// clean files. Only lines starting with a marker character are looked at,
/// and line ends are found with memchr, so a clean article costs a pass at
/// memory speed.
pub fn has_marker(text: &str, size: MarkerSize, kinds: &[MarkerKind]) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        if matches!(bytes[start], b'<' | b'|' | b'=' | b'>') {
            if let Some((kind, _)) = marker(&text[start..end], size) {
                if kinds.contains(&kind) {
                    return true;
                }
            }
        }
        start = end;
    }
    false
}

/// True when `text` has a line that opens a conflict.
pub fn has_open_marker(text: &str, size: MarkerSize) -> bool {
    has_marker(text, size, &[MarkerKind::Open])
}

/// Finds conflicts written with markers of another size than `size`: the
/// size and the line of the first opening marker of a size at which `text`
/// scans into at least one complete conflict. Lets a caller say "pass
/// `--marker-size N`" where it would otherwise report no conflicts.
pub fn other_marker_size(text: &str, size: MarkerSize) -> Option<(MarkerSize, usize)> {
    let mut tried = Vec::new();
    for (n, (_, line)) in lines_with_offsets(text).enumerate() {
        let run = line.bytes().take_while(|&b| b == b'<').count();
        let Some(run) = MarkerSize::new(run).filter(|r| r.get() >= 3) else {
            continue;
        };
        if run == size || tried.contains(&run) {
            continue;
        }
        tried.push(run);
        if !matches!(marker(line, run), Some((MarkerKind::Open, _))) {
            continue;
        }
        let complete = scan(text, run)
            .is_ok_and(|chunks| chunks.iter().any(|c| matches!(c, Chunk::Conflict(_))));
        if complete {
            return Some((run, n + 1));
        }
    }
    None
}

/// Cuts `text` into text chunks and conflicts.
///
/// Concatenating the chunks' text, with conflicts written back with their
/// markers, gives `text` again. Errors name the line of the offending marker.
pub fn scan(text: &str, marker_size: MarkerSize) -> Result<Vec<Chunk<'_>>, ScanError> {
    scan_except(text, marker_size, &Examples::none())
}

/// Every marker kind.
pub const ALL_KINDS: &[MarkerKind] = &[
    MarkerKind::Open,
    MarkerKind::Base,
    MarkerKind::Separator,
    MarkerKind::Close,
];

/// One marker line found by [`markers`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Found<'t> {
    /// 0-based line.
    index: usize,
    /// Byte offset of the line.
    offset: usize,
    /// The line, line ending included.
    line: &'t str,
    kind: MarkerKind,
    label: &'t str,
}

/// The marker lines of `text`, in order, except the `examples`: the one
/// recogniser ([`marker`]) that both the strict and the lenient scan read.
/// Only lines starting with a marker character are looked at.
fn markers<'t: 'e, 'e>(
    text: &'t str,
    size: MarkerSize,
    examples: &'e Examples,
) -> impl Iterator<Item = Found<'t>> + 'e {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut index = 0;
    // The first byte of the line before this one.
    let mut before = None;
    std::iter::from_fn(move || {
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
            let (offset, i) = (start, index);
            let after_row = before == Some(b'|');
            before = Some(bytes[offset]);
            start = end;
            index += 1;
            if !matches!(bytes[offset], b'<' | b'|' | b'=' | b'>') || examples.contains(i) {
                continue;
            }
            let line = &text[offset..end];
            if let Some((kind, label)) = marker(line, size) {
                // A bare `|||||||` beside a line that starts with `|` is a
                // Markdown table row of empty cells (git labels the base
                // markers it writes; a row beside this one makes it a table).
                let row_beside = after_row || bytes.get(end) == Some(&b'|');
                if kind == MarkerKind::Base && bare(label) && row_beside {
                    continue;
                }
                return Some(Found {
                    index: i,
                    offset,
                    line,
                    kind,
                    label,
                });
            }
        }
        None
    })
}

/// The number of lines of `text` (a last line without a line ending counts).
fn line_count(text: &str) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// [`scan`], with the `examples` (fenced code known to a clean version of the
/// file) read as text whatever they look like: the strict mode, for
/// `resolve`, `diff` and the merge driver.
pub fn scan_except<'t>(
    text: &'t str,
    marker_size: MarkerSize,
    examples: &Examples,
) -> Result<Vec<Chunk<'t>>, ScanError> {
    let mut strict = Strict::new(text);
    for found in markers(text, marker_size, examples) {
        strict.marker(found)?;
    }
    strict.finish()
}

/// Where the strict scan is: between conflicts, or in a conflict's section.
enum State {
    Outside,
    Upstream,
    Base,
    Stashed,
}

/// The conflict the strict scan is in: where its sections start and end.
struct Open<'t> {
    /// 1-based line of its opening marker.
    line: usize,
    /// Byte offset of its opening marker.
    start: usize,
    upstream_label: &'t str,
    upstream_start: usize,
    upstream_end: usize,
    base_label: Option<&'t str>,
    base_start: usize,
    base_end: Option<usize>,
    stashed_start: usize,
}

/// The strict scan of one text, marker by marker: the chunks so far, and
/// the text or conflict it is in.
struct Strict<'t> {
    text: &'t str,
    chunks: Vec<Chunk<'t>>,
    state: State,
    open: Option<Open<'t>>,
    /// Where the text after the last conflict starts, and its line.
    text_start: usize,
    text_line: usize,
    /// A `=======` between conflicts: named when a `>>>>>>>` follows.
    loose_separator: Option<usize>,
}

impl<'t> Strict<'t> {
    fn new(text: &'t str) -> Self {
        Strict {
            text,
            chunks: Vec::new(),
            state: State::Outside,
            open: None,
            text_start: 0,
            text_line: 1,
            loose_separator: None,
        }
    }

    /// Takes the next marker line; a marker out of order is an error.
    fn marker(&mut self, found: Found<'t>) -> Result<(), ScanError> {
        let Found {
            index,
            offset,
            line,
            kind,
            label,
        } = found;
        let line_no = index + 1;
        // Bare pipes where no base marker can stand: a table row.
        if kind == MarkerKind::Base && bare(label) && !matches!(self.state, State::Upstream) {
            return Ok(());
        }
        let end = offset + line.len();
        let opened_at = self.open.as_ref().map(|o| o.line);
        let err = |kind| ScanError {
            line: line_no,
            opened_at,
            kind,
        };
        match (&self.state, kind) {
            (State::Outside, MarkerKind::Open) => {
                if self.text_start < offset {
                    self.chunks.push(Chunk::Text {
                        text: &self.text[self.text_start..offset],
                        line: self.text_line,
                    });
                }
                self.open = Some(Open {
                    line: line_no,
                    start: offset,
                    upstream_label: label,
                    upstream_start: end,
                    upstream_end: end,
                    base_label: None,
                    base_start: end,
                    base_end: None,
                    stashed_start: end,
                });
                self.loose_separator = None;
                self.state = State::Upstream;
            }
            (State::Outside, MarkerKind::Separator) => self.loose_separator = Some(line_no),
            (State::Outside, MarkerKind::Close) => {
                return Err(err(ScanErrorKind::CloseWithoutOpening {
                    separator: self.loose_separator,
                }))
            }
            (State::Outside, MarkerKind::Base) => {
                return Err(err(ScanErrorKind::BaseWithoutOpening))
            }
            (_, MarkerKind::Open) => return Err(err(ScanErrorKind::NestedOpening)),
            (State::Upstream, MarkerKind::Base) => {
                let o = self.open.as_mut().expect("open conflict");
                o.upstream_end = offset;
                o.base_label = Some(label);
                o.base_start = end;
                self.state = State::Base;
            }
            (State::Upstream | State::Base, MarkerKind::Separator) => {
                let o = self.open.as_mut().expect("open conflict");
                if matches!(self.state, State::Upstream) {
                    o.upstream_end = offset;
                } else {
                    o.base_end = Some(offset);
                }
                o.stashed_start = end;
                self.state = State::Stashed;
            }
            (State::Upstream | State::Base, MarkerKind::Close) => {
                return Err(err(ScanErrorKind::CloseBeforeSeparator))
            }
            (State::Base | State::Stashed, MarkerKind::Base) => {
                return Err(err(ScanErrorKind::MisplacedBase))
            }
            (State::Stashed, MarkerKind::Separator) => {
                return Err(err(ScanErrorKind::SecondSeparator))
            }
            (State::Stashed, MarkerKind::Close) => {
                let o = self.open.take().expect("open conflict");
                let text = self.text;
                self.chunks.push(Chunk::Conflict(Conflict {
                    upstream: &text[o.upstream_start..o.upstream_end],
                    base: o.base_end.map(|e| &text[o.base_start..e]),
                    stashed: &text[o.stashed_start..offset],
                    labels: Labels {
                        upstream: o.upstream_label,
                        base: o.base_label,
                        stashed: label,
                    },
                    line: o.line,
                    end_line: line_no,
                    span: o.start..end,
                }));
                self.text_start = end;
                self.text_line = line_no + 1;
                self.state = State::Outside;
            }
        }
        Ok(())
    }

    /// The chunks, the text after the last conflict included; a conflict
    /// still open at the end is an error.
    fn finish(mut self) -> Result<Vec<Chunk<'t>>, ScanError> {
        if let Some(o) = self.open {
            return Err(ScanError {
                line: line_count(self.text),
                opened_at: Some(o.line),
                kind: ScanErrorKind::Unterminated,
            });
        }
        if self.text_start < self.text.len() {
            self.chunks.push(Chunk::Text {
                text: &self.text[self.text_start..],
                line: self.text_line,
            });
        }
        Ok(self.chunks)
    }
}

/// A whole conflict block found by the lenient scan: 0-based lines of its markers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The `<<<<<<<` line.
    pub open: usize,
    /// The `|||||||` line, when the block has a base section.
    pub base: Option<usize>,
    /// The `=======` line.
    pub sep: usize,
    /// The `>>>>>>>` line.
    pub close: usize,
}

impl Block {
    /// Its marker lines, in order.
    pub fn lines(&self) -> Vec<usize> {
        let mut v = vec![self.open];
        v.extend(self.base);
        v.extend([self.sep, self.close]);
        v
    }
}

/// Marker lines as the lenient scan groups them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Group {
    /// A whole conflict block.
    Block(Block),
    /// A single marker line (0-based) that belongs to no block.
    Lone(usize, MarkerKind),
}

impl Group {
    /// Its marker lines (0-based), in order.
    pub fn lines(&self) -> Vec<usize> {
        match self {
            Group::Block(b) => b.lines(),
            Group::Lone(l, _) => vec![*l],
        }
    }
}

/// The lenient mode, for `check`: unlike [`scan_except`] it never stops, and
/// groups every marker line (the `examples` excepted).
///
/// A block is `<<<<<<<`, an optional `|||||||`, `=======`, `>>>>>>>` in that
/// order; a second `=======` or `|||||||` after the separator is content. An
/// opening that another opening, a `>>>>>>>` before any separator, or the end
/// of the file cuts short is lone; so are `>>>>>>>` and `|||||||` outside a
/// block. `=======` outside a block is text (a setext heading underline).
pub fn lenient(text: &str, size: MarkerSize, examples: &Examples) -> Vec<Group> {
    struct Open {
        open: usize,
        base: Option<usize>,
        sep: Option<usize>,
    }
    let mut out = Vec::new();
    let mut cur: Option<Open> = None;
    let abandon = |o: Open, out: &mut Vec<Group>| {
        out.push(Group::Lone(o.open, MarkerKind::Open));
        if let Some(b) = o.base {
            out.push(Group::Lone(b, MarkerKind::Base));
        }
    };
    for Found {
        index: i,
        kind,
        label,
        ..
    } in markers(text, size, examples)
    {
        cur = match (cur, kind) {
            // Bare pipes outside a conflict: a table row.
            (None, MarkerKind::Base) if bare(label) => None,
            (None, MarkerKind::Open) => Some(Open {
                open: i,
                base: None,
                sep: None,
            }),
            (None, MarkerKind::Separator) => None,
            (None, k) => {
                out.push(Group::Lone(i, k));
                None
            }
            (Some(o), MarkerKind::Open) => {
                abandon(o, &mut out);
                Some(Open {
                    open: i,
                    base: None,
                    sep: None,
                })
            }
            (Some(mut o), MarkerKind::Base) => {
                if o.sep.is_none() && o.base.is_none() {
                    o.base = Some(i);
                }
                Some(o)
            }
            (Some(mut o), MarkerKind::Separator) => {
                o.sep.get_or_insert(i);
                Some(o)
            }
            (Some(o), MarkerKind::Close) => {
                match o.sep {
                    Some(sep) => out.push(Group::Block(Block {
                        open: o.open,
                        base: o.base,
                        sep,
                        close: i,
                    })),
                    None => {
                        abandon(o, &mut out);
                        out.push(Group::Lone(i, MarkerKind::Close));
                    }
                }
                None
            }
        };
    }
    if let Some(o) = cur {
        abandon(o, &mut out);
    }
    out
}

/// A marker size longer than any run of marker characters that starts a
/// line of `texts`, and at least `size`: git's markers written with it
/// cannot be mistaken for the articles' own lines (a documented conflict in
/// a fenced example, a setext underline).
pub fn unambiguous_marker_size(texts: &[&str], size: MarkerSize) -> MarkerSize {
    let longest = texts
        .iter()
        .flat_map(|t| {
            let b = t.as_bytes();
            // Where each line starts (marker characters are ASCII: a run
            // of them is as many bytes as characters).
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1))
                .map(move |start| marker_run(&b[start..]))
        })
        .max()
        .unwrap_or(0);
    MarkerSize::new(longest + 1).map_or(size, |longer| size.max(longer))
}

/// How many of one marker character (`<`, `=`, `>`, `|`) start `line`.
fn marker_run(line: &[u8]) -> usize {
    match line.first() {
        Some(&c) if b"<=>|".contains(&c) => line.iter().take_while(|&&x| x == c).count(),
        _ => 0,
    }
}

/// A text whose lines end in a lone CR (classic Mac), read with LF for each
/// lone CR: git, and every reader of lines, sees such a file as one line.
/// `None` when the text has no lone CR. CR and LF are one byte each, so
/// lines and columns of the result are the file's.
pub fn lone_cr_as_lf(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return None;
    }
    Some(
        text.char_indices()
            .map(|(i, c)| if c == '\r' && lone(i) { '\n' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEVEN: MarkerSize = MarkerSize::DEFAULT;

    fn size(n: usize) -> MarkerSize {
        MarkerSize::new(n).unwrap()
    }

    #[test]
    fn the_unambiguous_size_is_the_longest_run_at_a_line_start_plus_one() {
        // Read line by line with str::lines, on texts drawn from marker
        // characters, line endings and others.
        let by_lines = |texts: &[&str], size: MarkerSize| {
            let longest = texts
                .iter()
                .flat_map(|t| t.lines())
                .map(|l| {
                    let Some(c) = l.chars().next().filter(|c| "<=>|".contains(*c)) else {
                        return 0;
                    };
                    l.chars().take_while(|&x| x == c).count()
                })
                .max()
                .unwrap_or(0);
            MarkerSize::new(longest + 1).map_or(size, |longer| size.max(longer))
        };
        let pool = ["<", "=", ">", "|", "\n", "\r\n", "\r", "a", " ", "é"];
        let mut seed = 11u64;
        for case in 0..2000 {
            let mut text = |n: usize| -> String {
                (0..n)
                    .map(|_| *crate::testing::pick(&mut seed, &pool))
                    .collect()
            };
            let texts = [text(case % 40), text(case % 17), text(case % 9)];
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            for s in [SEVEN, size(3), size(12)] {
                assert_eq!(
                    unambiguous_marker_size(&texts, s),
                    by_lines(&texts, s),
                    "{texts:?}"
                );
            }
        }
        assert_eq!(unambiguous_marker_size(&["a\n========\n"], SEVEN), size(9));
    }

    fn conflicts<'a>(chunks: &'a [Chunk<'a>]) -> Vec<&'a Conflict<'a>> {
        chunks
            .iter()
            .filter_map(|c| match c {
                Chunk::Conflict(c) => Some(c),
                Chunk::Text { .. } => None,
            })
            .collect()
    }

    #[test]
    fn markers_need_exact_size_and_space_or_eol() {
        assert_eq!(
            marker("<<<<<<< HEAD\n", SEVEN),
            Some((MarkerKind::Open, "HEAD"))
        );
        assert_eq!(
            marker("=======\r\n", SEVEN),
            Some((MarkerKind::Separator, ""))
        );
        assert_eq!(marker(">>>>>>>", SEVEN), Some((MarkerKind::Close, "")));
        assert_eq!(marker("========\n", SEVEN), None);
        assert_eq!(marker("<<<<<<<x\n", SEVEN), None);
        assert_eq!(marker("<<<<<<\n", SEVEN), None);
        assert_eq!(marker(" <<<<<<< a\n", SEVEN), None);
        assert_eq!(
            marker("<<<<<<<<< a\n", size(9)),
            Some((MarkerKind::Open, "a"))
        );
        assert_eq!(marker("<<<<<<< a\n", size(9)), None);
    }

    #[test]
    fn scans_default_and_diff3_conflicts_with_labels() {
        let t = "a\n<<<<<<< Updated upstream\nu\n||||||| Stash base\nb\n=======\ns\n>>>>>>> Stashed changes\nz\n";
        let chunks = scan(t, SEVEN).unwrap();
        assert_eq!(chunks.len(), 3);
        let c = conflicts(&chunks)[0];
        assert_eq!((c.upstream, c.base, c.stashed), ("u\n", Some("b\n"), "s\n"));
        assert_eq!(c.labels.upstream, "Updated upstream");
        assert_eq!(c.labels.base, Some("Stash base"));
        assert_eq!(c.labels.stashed, "Stashed changes");
        assert_eq!((c.line, c.end_line), (2, 8));
        assert_eq!(&t[c.span.clone()], &t[2..t.len() - 2]);
        assert_eq!(
            chunks[2],
            Chunk::Text {
                text: "z\n",
                line: 9
            }
        );
    }

    #[test]
    fn crlf_labels_exclude_carriage_return() {
        let t = "<<<<<<< HEAD\r\nu\r\n=======\r\ns\r\n>>>>>>> branch\r\n";
        let chunks = scan(t, SEVEN).unwrap();
        let c = conflicts(&chunks)[0];
        assert_eq!(c.labels.upstream, "HEAD");
        assert_eq!(c.labels.stashed, "branch");
        assert_eq!((c.upstream, c.stashed), ("u\r\n", "s\r\n"));
    }

    #[test]
    fn empty_sections_and_missing_final_newline() {
        let t = "<<<<<<< a\n=======\ns\n>>>>>>> b";
        let chunks = scan(t, SEVEN).unwrap();
        let c = conflicts(&chunks)[0];
        assert_eq!((c.upstream, c.stashed), ("", "s\n"));
        assert_eq!(c.span, 0..t.len());
    }

    #[test]
    fn setext_underline_and_rules_outside_conflicts_are_text() {
        let t = "Title\n=======\n\n---\ntext\n";
        assert_eq!(
            scan(t, SEVEN).unwrap(),
            vec![Chunk::Text { text: t, line: 1 }]
        );
    }

    #[test]
    fn rows_of_empty_table_cells_are_text() {
        // A table of six columns with an empty header and empty rows
        // (MicrosoftDocs/OfficeDocs-Exchange, OfficeDocs-SharePoint): seven
        // pipes, no label, beside another row.
        let table = "|||||||\n|---|---|---|---|---|---|\n|a|b|c|d|e|f|\n|||||||\n";
        assert_eq!(
            scan(table, SEVEN).unwrap(),
            vec![Chunk::Text {
                text: table,
                line: 1
            }]
        );
        assert!(lenient(table, SEVEN, &Examples::none()).is_empty());
        // In a conflict's sides too.
        let t = format!("<<<<<<< a\n{table}=======\n{}>>>>>>> b\n", &table[8..]);
        let chunks = scan(&t, SEVEN).unwrap();
        let c = conflicts(&chunks)[0];
        assert_eq!((c.upstream, c.base, c.stashed), (table, None, &table[8..]));
        // Bare pipes where no base marker can stand are text, rows beside
        // them or not.
        let t = "x\n|||||||\ny\n";
        assert_eq!(
            scan(t, SEVEN).unwrap(),
            vec![Chunk::Text { text: t, line: 1 }]
        );
        assert!(lenient(t, SEVEN, &Examples::none()).is_empty());
        let t = "<<<<<<< a\nu\n=======\ns\n|||||||\n>>>>>>> b\n";
        let chunks = scan(t, SEVEN).unwrap();
        assert_eq!(conflicts(&chunks)[0].stashed, "s\n|||||||\n");
        // A base marker is one, labelled or not, away from table rows.
        let t = "<<<<<<< a\nu\n|||||||\nb\n=======\ns\n>>>>>>> b\n";
        let chunks = scan(t, SEVEN).unwrap();
        assert_eq!(conflicts(&chunks)[0].base, Some("b\n"));
        let t = "<<<<<<< a\n|u|\n||||||| base\n|b|\n=======\ns\n>>>>>>> b\n";
        let chunks = scan(t, SEVEN).unwrap();
        assert_eq!(conflicts(&chunks)[0].base, Some("|b|\n"));
    }

    #[test]
    fn malformed_markers_are_errors_with_lines() {
        let kind = |t: &str| scan(t, SEVEN).map(|_| ()).unwrap_err();
        let e = kind("x\n<<<<<<< a\nu\n=======\ns\n");
        assert_eq!(
            (e.line, e.opened_at, e.kind),
            (5, Some(2), ScanErrorKind::Unterminated)
        );
        let e = kind("a\n=======\nb\n>>>>>>> x\n");
        assert_eq!(
            (e.line, e.kind),
            (4, ScanErrorKind::CloseWithoutOpening { separator: Some(2) })
        );
        let e = kind("<<<<<<< a\n<<<<<<< b\n");
        assert_eq!((e.line, e.kind), (2, ScanErrorKind::NestedOpening));
        let e = kind("<<<<<<< a\n=======\n||||||| base\n>>>>>>> b\n");
        assert_eq!((e.line, e.kind), (3, ScanErrorKind::MisplacedBase));
        let e = kind("<<<<<<< a\nx\n=======\ny\n=======\n>>>>>>> b\n");
        assert_eq!((e.line, e.kind), (5, ScanErrorKind::SecondSeparator));
        let e = kind("<<<<<<< a\n>>>>>>> b\n");
        assert_eq!((e.line, e.kind), (2, ScanErrorKind::CloseBeforeSeparator));
        let e = kind("||||||| base\n");
        assert_eq!(e.kind, ScanErrorKind::BaseWithoutOpening);
        assert!(e.to_string().contains("base marker"));
    }

    #[test]
    fn reverse_lines_are_the_lines_reversed() {
        for t in ["", "a", "a\n", "a\nb", "a\r\n\nb\n", "\n\n"] {
            let mut fwd: Vec<_> = lines_with_offsets(t).collect();
            fwd.reverse();
            assert_eq!(lines_rev(t).collect::<Vec<_>>(), fwd, "{t:?}");
        }
    }

    #[test]
    fn fast_marker_probe_agrees_with_the_scanner() {
        let kinds = [MarkerKind::Open, MarkerKind::Close];
        assert!(!has_marker("Title\n=======\ntext\n", SEVEN, &kinds));
        assert!(has_marker("a\r\n>>>>>>> b\r\n", SEVEN, &kinds));
        assert!(has_marker("<<<<<<<", SEVEN, &kinds));
        assert!(!has_marker("<<<<<<<<\n", SEVEN, &kinds));
        assert!(has_open_marker("x\n<<<<<<< HEAD\n", SEVEN));
        assert!(!has_open_marker("x\n >>>>>>> HEAD\n", SEVEN));
    }

    #[test]
    fn markers_of_any_size_say_their_size() {
        assert_eq!(
            marker_of_any_size("<<<<<<<<< ours\n"),
            Some((MarkerKind::Open, size(9), "ours"))
        );
        assert_eq!(
            marker_of_any_size(">>> x\r\n"),
            Some((MarkerKind::Close, size(3), "x"))
        );
        assert_eq!(
            marker_of_any_size("=======\n"),
            Some((MarkerKind::Separator, SEVEN, ""))
        );
        assert_eq!(marker_of_any_size("<< x\n"), None);
        assert_eq!(marker_of_any_size("<<<<<<<x\n"), None);
        assert_eq!(marker_of_any_size("text\n"), None);
    }

    #[test]
    fn conflicts_of_another_marker_size_are_found() {
        let t = "a\n<<<<<<<<< HEAD\nu\n=========\ns\n>>>>>>>>> b\n";
        assert_eq!(other_marker_size(t, SEVEN), Some((size(9), 2)));
        assert_eq!(other_marker_size(t, size(9)), None);
        let t = "<<<<<< a\nu\n======\n>>>>>> b\n";
        assert_eq!(other_marker_size(t, SEVEN), Some((size(6), 1)));
        // An arrow in prose, or an opening never closed, is no conflict.
        assert_eq!(other_marker_size("<<<<<<<<< look\ntext\n", SEVEN), None);
        assert_eq!(other_marker_size("<<< a\n", SEVEN), None);
    }

    #[test]
    fn marker_size_is_honoured() {
        let t = "<<<<<<< a\n=======\n>>>>>>> b\n";
        assert_eq!(scan(t, size(9)).unwrap().len(), 1);
        let big = "<<<<<<<<< a\n=======\nx\n=========\n>>>>>>>>> b\n";
        let chunks = scan(big, size(9)).unwrap();
        assert_eq!(conflicts(&chunks)[0].upstream, "=======\nx\n");
    }
}
