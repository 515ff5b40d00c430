//! Fenced code blocks, found the way CommonMark finds them, and the
//! conflict-marker lines inside them that are examples, not markers.
//!
//! An article that documents git's markers shows them in a fenced code block.
//! Such a line is an example when a clean version of the file (HEAD, the
//! base, a side the merge driver was given) has the same line inside a fenced
//! code block: git's own markers are never in a clean version. Blocks are
//! found by `pulldown-cmark`, so fences inside list items and block quotes,
//! `~~~` fences and indentation follow CommonMark: a column-0 line after a
//! fence opened in a list item ends the item, and with it the block.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::marker_size::MarkerSize;
use super::scan::{
    has_marker, lenient, lines_with_offsets, marker, scan, scan_except, split_eol, Chunk, Group,
    MarkerKind, ALL_KINDS,
};
use super::split::split;

pub use super::examples::Examples;

/// Whether a fence that the end of its container or the document closes
/// (rather than a closing fence) counts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unclosed {
    /// Counts: CommonMark renders it as code.
    Count,
    /// Does not count: in a text that may hold leftovers, a stray fence
    /// opener must not turn the rest of the file into "examples".
    Skip,
}

/// The 0-based line ranges of the content of each fenced code block of a
/// Markdown text (the fence lines themselves excluded). Frontmatter is not
/// Markdown and holds no block.
pub fn fenced_lines(text: &str, unclosed: Unclosed) -> Vec<Range<usize>> {
    if !text.contains("```") && !text.contains("~~~") {
        return Vec::new();
    }
    let starts: Vec<usize> = lines_with_offsets(text).map(|(o, _)| o).collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = Vec::new();
    /// The fenced block being read: its byte range, its content's first and last line.
    struct Open {
        block: Range<usize>,
        content: Option<(usize, usize)>,
    }
    let mut open: Option<Open> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                open = Some(Open {
                    block: range,
                    content: None,
                })
            }
            Event::Text(_) if !range.is_empty() => {
                if let Some(o) = open.as_mut() {
                    let (first, last) = (line_of(range.start), line_of(range.end - 1));
                    o.content = Some(o.content.map_or((first, last), |(f, _)| (f, last)));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(Open {
                    block,
                    content: Some((first, last)),
                }) = open.take()
                {
                    // A closing fence is a line of the block after its content.
                    let closed = !block.is_empty() && line_of(block.end - 1) > last;
                    if closed || unclosed == Unclosed::Count {
                        out.push(first..last + 1);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Marker kinds that can be a leftover on their own; a lone `=======` is a
/// setext heading underline.
const LEFTOVER_KINDS: &[MarkerKind] = &[MarkerKind::Open, MarkerKind::Base, MarkerKind::Close];

/// True when some marker line of `text` may be a fenced example, so that
/// the clean versions of the file are worth fetching from git: a marker
/// line stands inside a fenced code block of the text as it is, or a
/// conflict's sections hold a fence (a conflict can move a fence, and with
/// it what is code), or the markers do not scan. An ordinary conflict in an
/// article whose code blocks it does not touch costs no git call.
pub fn may_hold_examples(text: &str, size: MarkerSize) -> bool {
    // Every clean file passes here (`check` of a whole site): the marker
    // test goes first (line starts only), and the fence test uses memchr's
    // vectorised search, several times faster than `str::contains`.
    let fence = |t: &str| {
        memchr::memmem::find(t.as_bytes(), b"```").is_some()
            || memchr::memmem::find(t.as_bytes(), b"~~~").is_some()
    };
    if !has_marker(text, size, LEFTOVER_KINDS) || !fence(text) {
        return false;
    }
    let lines: Vec<&str> = lines_with_offsets(text).map(|(_, l)| l).collect();
    let fenced_marker = fenced_lines(text, Unclosed::Count)
        .into_iter()
        .flatten()
        .any(|i| marker(lines[i], size).is_some());
    fenced_marker
        || match scan(text, size) {
            Err(_) => true,
            Ok(chunks) => chunks.iter().any(|c| match c {
                Chunk::Conflict(c) => {
                    fence(c.upstream) || fence(c.stashed) || c.base.is_some_and(fence)
                }
                Chunk::Text { .. } => false,
            }),
        }
}

// `Examples` is data the scanner reads (`examples.rs`); finding them
// needs the scanner and the splitter, hence its constructors live here.
impl Examples {
    /// The marker lines of `text` inside its own fenced code blocks (closed
    /// ones): what may be an example when no clean version is known.
    pub fn fenced(text: &str, size: MarkerSize) -> Examples {
        if !has_marker(text, size, ALL_KINDS) {
            return Examples::none();
        }
        let lines: Vec<&str> = lines_with_offsets(text).map(|(_, l)| l).collect();
        let lines = fenced_lines(text, Unclosed::Skip)
            .into_iter()
            .flatten()
            .filter(|&i| marker(lines[i], size).is_some())
            .collect();
        Examples::from_lines(lines)
    }

    /// The marker lines of `text` that a `clean` version of the file (HEAD,
    /// the base, a merge input) has, unchanged, inside a fenced code block.
    ///
    /// Lines are matched by a line diff of each clean version against `text`
    /// (line endings aside, so a work tree with CRLF still matches). When a
    /// marker line could match either of two equal lines (git's `=======`
    /// or `<<<<<<< HEAD` next to an example's), the diff is read both from
    /// the start and from the end, for each version and for all together,
    /// and the reading that leaves the remaining markers in whole blocks
    /// wins: git writes whole blocks.
    pub fn known(text: &str, size: MarkerSize, clean: &[&str]) -> Examples {
        if !has_marker(text, size, ALL_KINDS) {
            return Examples::none();
        }
        let lines: Vec<&str> = lines_with_offsets(text)
            .map(|(_, l)| split_eol(l).0)
            .collect();
        // Each clean version read both ways, and all versions together.
        let mut candidates: Vec<Vec<usize>> = Vec::new();
        let (mut forward, mut backward) = (Vec::new(), Vec::new());
        for c in clean {
            if !has_marker(c, size, ALL_KINDS) {
                continue;
            }
            let clean_lines: Vec<&str> = lines_with_offsets(c).map(|(_, l)| l).collect();
            let example: Vec<usize> = fenced_lines(c, Unclosed::Count)
                .into_iter()
                .flatten()
                .filter(|&i| marker(clean_lines[i], size).is_some())
                .collect();
            if example.is_empty() {
                continue;
            }
            let clean_lines: Vec<&str> = clean_lines.iter().map(|l| split_eol(l).0).collect();
            let f = matched(&clean_lines, &lines, &example, false);
            let b = matched(&clean_lines, &lines, &example, true);
            forward.extend(&f);
            backward.extend(&b);
            candidates.extend([f, b]);
        }
        // No clean version shows an example: nothing to weigh (the scoring
        // below scans and splits the whole file, for every conflicted file).
        if forward.is_empty() && backward.is_empty() {
            return Examples::none();
        }
        candidates.extend([forward, backward]);
        let tidy = |mut v: Vec<usize>| {
            v.sort_unstable();
            v.dedup();
            Examples::from_lines(v)
        };
        let mut candidates: Vec<Examples> = candidates.into_iter().map(tidy).collect();
        candidates.dedup();
        // Git writes whole, well-formed blocks whose sides are the versions
        // it merged: the reading whose remaining markers scan, with the
        // fewest lone markers, then the most sides equal to a clean version,
        // then the most examples, wins.
        let unix = |t: &str| t.replace("\r\n", "\n");
        let clean: Vec<String> = clean.iter().map(|c| unix(c)).collect();
        let score = |e: &Examples| {
            let lone = lenient(text, size, e)
                .iter()
                .filter(|g| matches!(g, Group::Lone(..)))
                .count();
            let (fails, known) = match scan_except(text, size, e) {
                Err(_) => (true, 0),
                Ok(chunks) => {
                    let sides = split(&chunks).sides;
                    let known = [
                        Some(&sides.upstream),
                        Some(&sides.stashed),
                        sides.base.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    .filter(|s| clean.contains(&unix(&s.text)))
                    .count();
                    (false, known)
                }
            };
            (
                fails,
                lone,
                std::cmp::Reverse(known),
                std::cmp::Reverse(e.len()),
            )
        };
        candidates.into_iter().min_by_key(score).unwrap_or_default()
    }
}

/// The lines of `new` that a line diff matches with the lines `wanted` of
/// `old`; `from_end`: the diff is run on both sequences reversed, which
/// prefers the later of two equal candidates.
fn matched(old: &[&str], new: &[&str], wanted: &[usize], from_end: bool) -> Vec<usize> {
    let (o, n) = (old.len(), new.len());
    let ops = if from_end {
        let old: Vec<&str> = old.iter().rev().copied().collect();
        let new: Vec<&str> = new.iter().rev().copied().collect();
        capture_diff_slices(Algorithm::Myers, &old, &new)
    } else {
        capture_diff_slices(Algorithm::Myers, old, new)
    };
    let mut out = Vec::new();
    for op in ops {
        let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        else {
            continue;
        };
        for k in 0..len {
            let (i, j) = if from_end {
                (o - 1 - (old_index + k), n - 1 - (new_index + k))
            } else {
                (old_index + k, new_index + k)
            };
            if wanted.binary_search(&i).is_ok() {
                out.push(j);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "<<<<<<< HEAD\nour line\n=======\ntheir line\n>>>>>>> feature\n";

    /// The blocks as (first, end) pairs.
    fn spans(text: &str, unclosed: Unclosed) -> Vec<(usize, usize)> {
        fenced_lines(text, unclosed)
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect()
    }

    fn doc(fence: &str) -> String {
        format!("---\ntitle: A\n---\nGit writes:\n\n{fence}text\n{EXAMPLE}{fence}\n")
    }

    #[test]
    fn fenced_blocks_follow_commonmark() {
        let t = doc("```");
        assert_eq!(spans(&t, Unclosed::Count), [(6, 11)]);
        // `~~~` fences, and a ``` line inside one, which does not close it.
        let t = "~~~markdown\n```text\nx\n```\n~~~\nafter\n";
        assert_eq!(spans(t, Unclosed::Count), [(1, 4)]);
        // Indented by up to 3 spaces: a fence; by 4: indented code, no fence.
        assert_eq!(spans("   ```\nx\n   ```\n", Unclosed::Count), [(1, 2)]);
        assert!(fenced_lines("    ```\n    x\n    ```\n", Unclosed::Count).is_empty());
        // A fence in a list item ends with the item: a column-0 line is not in it.
        let t = "- step:\n\n  ```text\n<<<<<<< HEAD\n  ```\n";
        let blocks = fenced_lines(t, Unclosed::Count);
        assert!(blocks.iter().all(|b| !b.contains(&3)), "{blocks:?}");
        assert_eq!(
            spans("- a\n\n  ```\n  x\n  ```\n", Unclosed::Count),
            [(3, 4)]
        );
        // Likewise in a block quote.
        let t = "> ```text\n<<<<<<< HEAD\n> ```\n";
        let blocks = fenced_lines(t, Unclosed::Count);
        assert!(blocks.iter().all(|b| !b.contains(&1)), "{blocks:?}");
        assert_eq!(spans("> ```\n> x\n> ```\n", Unclosed::Count), [(1, 2)]);
        // Unclosed: counted or not, as asked.
        assert_eq!(spans("```\nx\ny\n", Unclosed::Count), [(1, 3)]);
        assert!(fenced_lines("```\nx\ny\n", Unclosed::Skip).is_empty());
        // Frontmatter is no Markdown.
        assert!(fenced_lines("---\na: |\n  ```\n  x\n---\nbody\n", Unclosed::Count).is_empty());
    }

    #[test]
    fn a_committed_example_is_known_and_git_markers_are_not() {
        let t = doc("```");
        let e = Examples::known(&t, MarkerSize::DEFAULT, &[&t]);
        assert_eq!(e.lines(), [6, 8, 10]);
        // Not in the clean version: no example.
        assert!(Examples::known(&t, MarkerSize::DEFAULT, &["---\ntitle: A\n---\n"]).is_empty());
        assert!(Examples::known(&t, MarkerSize::DEFAULT, &[]).is_empty());
        // CRLF in the work tree, LF committed.
        let crlf = t.replace('\n', "\r\n");
        assert_eq!(
            Examples::known(&crlf, MarkerSize::DEFAULT, &[&t]).lines(),
            [6, 8, 10]
        );
        // Another marker size: these lines are no markers at all.
        assert!(Examples::known(&t, MarkerSize::new(9).unwrap(), &[&t]).is_empty());
    }

    #[test]
    fn git_separator_next_to_an_example_separator_is_told_apart() {
        // HEAD's example, and a real conflict inside it: git's `=======`
        // equals the example's; the reading with whole blocks wins.
        let head = doc("```").replace("our line\n", "our line\nupstream\n");
        let t = doc("```").replace(
            "our line\n",
            "our line\n<<<<<<< Updated upstream\nupstream\n=======\nstashed\n>>>>>>> Stashed changes\n",
        );
        let e = Examples::known(&t, MarkerSize::DEFAULT, &[&head]);
        let chunks = super::super::scan::scan_except(&t, MarkerSize::DEFAULT, &e).unwrap();
        let conflicts: Vec<_> = chunks
            .iter()
            .filter_map(|c| match c {
                super::super::scan::Chunk::Conflict(c) => Some((c.upstream, c.stashed)),
                _ => None,
            })
            .collect();
        assert_eq!(conflicts, [("upstream\n", "stashed\n")]);
    }

    #[test]
    fn clean_versions_are_fetched_only_when_an_example_is_possible() {
        // A marker line inside a fence: possible.
        assert!(may_hold_examples(&doc("```"), MarkerSize::DEFAULT));
        assert!(may_hold_examples(&doc("~~~"), MarkerSize::DEFAULT));
        // No fence, or no marker: not.
        assert!(!may_hold_examples(
            "<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n",
            MarkerSize::DEFAULT
        ));
        assert!(!may_hold_examples("```\ncode\n```\n", MarkerSize::DEFAULT));
        // An ordinary conflict next to a code block it does not touch: not.
        let t = "```\ncode\n```\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
        assert!(!may_hold_examples(t, MarkerSize::DEFAULT));
        // A conflict that moves a fence: possible.
        let t = "<<<<<<< a\n```text\n=======\n```\n>>>>>>> b\n<<<<<<< HEAD\n```\n";
        assert!(may_hold_examples(t, MarkerSize::DEFAULT));
    }

    #[test]
    fn own_fences_only_closed_ones() {
        let t = doc("```");
        assert_eq!(
            Examples::fenced(&t, MarkerSize::DEFAULT).lines(),
            [6, 8, 10]
        );
        let stray = "```\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
        assert!(Examples::fenced(stray, MarkerSize::DEFAULT).is_empty());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;
        use crate::conflict::scan::{scan_except, Chunk};
        use crate::conflict::split::split;

        /// One block of an article: a paragraph line (only `=======` of the
        /// marker lines, a setext underline) or a fenced block of lines.
        #[derive(Clone, Debug)]
        enum Piece {
            Para(&'static str),
            Fence(&'static str, Vec<&'static str>),
        }

        fn piece() -> impl Strategy<Value = Piece> {
            let para = prop::sample::select(vec!["text", "Title", "=======", "words here"]);
            let code = prop::sample::select(vec![
                "<<<<<<< HEAD",
                "<<<<<<< Updated upstream",
                "=======",
                "||||||| base",
                ">>>>>>> feature",
                ">>>>>>> Stashed changes",
                "code",
                "",
            ]);
            prop_oneof![
                para.prop_map(Piece::Para),
                (
                    prop::sample::select(vec!["```", "~~~", "````"]),
                    prop::collection::vec(code, 0..7)
                )
                    .prop_map(|(f, lines)| Piece::Fence(f, lines)),
            ]
        }

        /// The article's lines.
        fn lines(pieces: &[Piece]) -> Vec<String> {
            let mut out: Vec<String> = vec!["---".into(), "title: A".into(), "---".into()];
            for p in pieces {
                out.push(String::new());
                match p {
                    Piece::Para(l) => out.push((*l).into()),
                    Piece::Fence(f, body) => {
                        out.push(format!("{f}text"));
                        out.extend(body.iter().map(|l| l.to_string()));
                        out.push((*f).into());
                    }
                }
            }
            out
        }

        fn text(lines: &[String]) -> String {
            lines.iter().map(|l| format!("{l}\n")).collect()
        }

        proptest! {
            /// A committed article: every marker line is an example, so
            /// both scans find nothing.
            #[test]
            fn a_committed_article_has_no_conflict(pieces in prop::collection::vec(piece(), 0..8)) {
                let t = text(&lines(&pieces));
                let e = Examples::known(&t, MarkerSize::DEFAULT, &[&t]);
                let chunks = scan_except(&t, MarkerSize::DEFAULT, &e).unwrap();
                let texts_only = chunks.iter().all(|c| matches!(c, Chunk::Text { .. }));
                prop_assert!(texts_only, "{:?}", chunks);
                prop_assert!(lenient(&t, MarkerSize::DEFAULT, &e).is_empty());
            }

            /// git's conflict on one line (a paragraph or a line of code,
            /// beside examples): the scan finds exactly it, and the sides
            /// rebuild upstream's and the stash's texts.
            #[test]
            fn a_real_conflict_beside_examples_is_found_exactly(
                pieces in prop::collection::vec(piece(), 1..8),
                pick in any::<prop::sample::Index>(),
                diff3 in any::<bool>(),
            ) {
                // At least one line to edit, wherever the pieces put examples.
                let mut pieces = pieces;
                pieces.push(Piece::Para("text"));
                let base = lines(&pieces);
                let editable: Vec<usize> = (3..base.len())
                    .filter(|&i| matches!(base[i].as_str(), "text" | "code" | "words here"))
                    .collect();
                let at = editable[pick.index(editable.len())];
                let with = |l: &str| {
                    let mut v = base.clone();
                    v[at] = l.into();
                    text(&v)
                };
                let (up, st) = (with("upstream edit"), with("stashed edit"));
                let mut marked = base.clone();
                let mut conflict = vec![
                    "<<<<<<< Updated upstream".to_string(),
                    "upstream edit".into(),
                ];
                if diff3 {
                    conflict.extend(["||||||| Stash base".to_string(), base[at].clone()]);
                }
                conflict.extend([
                    "=======".to_string(),
                    "stashed edit".into(),
                    ">>>>>>> Stashed changes".into(),
                ]);
                marked.splice(at..at + 1, conflict);
                let t = text(&marked);
                let b = text(&base);
                let e = Examples::known(&t, MarkerSize::DEFAULT, &[&up, &b, &st]);
                let chunks = scan_except(&t, MarkerSize::DEFAULT, &e).unwrap();
                let conflicts: Vec<_> = chunks
                    .iter()
                    .filter_map(|c| match c {
                        Chunk::Conflict(c) => Some((c.upstream, c.stashed)),
                        Chunk::Text { .. } => None,
                    })
                    .collect();
                prop_assert_eq!(conflicts, vec![("upstream edit\n", "stashed edit\n")]);
                let sides = split(&chunks).sides;
                prop_assert_eq!(&sides.upstream.text, &up);
                prop_assert_eq!(&sides.stashed.text, &st);
            }
        }
    }
}
