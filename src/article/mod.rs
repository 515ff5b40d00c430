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
//!                                  links.heading ┐ (the blank lines
//! ## Related                       links.heading │  before it too)
//!                                  links.heading ┘
//! *   [One](/blog/one/)            links.items[0]
//! *   [Two](/blog/two/)            links.items[1]
//!                                  links.tail
//! ```
//!
//! Concatenating the pieces in order gives the side's text back, byte for byte.

pub mod frontmatter;
pub mod links;
pub mod value;

pub use frontmatter::layout::{self, KeyPath, Seg};
pub use frontmatter::{ArticleError, Entry, Format, Frontmatter};
pub use links::{is_block_scalar_indicator, LinkItem, Links, DEFAULT_LINK_HEADINGS};
pub use value::Value;

use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::worded;

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

impl<'a> Article<'a> {
    /// The entry for `key`, when the frontmatter has that key.
    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        self.frontmatter.as_ref()?.get(key)
    }

    /// The value of `key`, when the frontmatter has that key.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }

    /// The frontmatter's layout tree: where every value is written, at
    /// every depth (see [`layout`]). `None` without frontmatter. Built anew
    /// on each call: keep it where it is used more than once.
    pub fn tree(&self) -> Option<layout::Node<'a>> {
        self.frontmatter.as_ref().map(layout::tree)
    }

    /// The value at `path` (a top-level key, or a value inside one).
    pub fn value_at(&self, path: &KeyPath) -> Option<&Value> {
        let (first, rest) = path.segs().split_first()?;
        let Seg::Key(key) = first else { return None };
        rest.iter()
            .try_fold(self.value(key)?, |v, seg| match (seg, v) {
                (Seg::Key(k), Value::Map(m)) => m.get(k),
                (Seg::Index(i), Value::Seq(items)) => items.get(*i),
                _ => None,
            })
    }

    /// The entry at `path`: a top-level key's own entry, or a value inside
    /// one as an entry of its own (its lines or its `key: value` text in
    /// the parent, the parent's format). `None` where nothing is written.
    pub fn entry_at(&self, path: &KeyPath) -> Option<Entry<'a>> {
        if path.is_top() {
            return self.entry(path.top()?).cloned();
        }
        let fm = self.frontmatter.as_ref()?;
        let child = layout::child_at(fm, path)?;
        let (lead, text) = layout::split_lead(child.outer);
        let line = 1 + self.text[..offset_in(self.text, text)]
            .matches('\n')
            .count();
        Some(Entry {
            key: child.key.clone().unwrap_or_else(|| path.last_name()),
            lead,
            text,
            format: fm.format,
            section: child.section,
            value: child.node.value.clone(),
            line,
        })
    }

    /// Whether the frontmatter was read as one entry, [`WHOLE_FRONTMATTER`]
    /// (a TOML key whose lines are in two places).
    pub fn read_whole(&self) -> bool {
        self.frontmatter
            .as_ref()
            .is_some_and(|f| f.len() == 1 && f.get(WHOLE_FRONTMATTER).is_some())
    }

    /// The frontmatter keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.frontmatter.iter().flat_map(|f| f.keys())
    }

    /// The frontmatter entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry<'a>> + '_ {
        self.frontmatter.iter().flat_map(|f| f.entries())
    }

    /// The related links, in order (empty without a links section).
    pub fn links(&self) -> &[LinkItem<'a>] {
        self.links.as_ref().map_or(&[], |l| l.items.as_slice())
    }

    /// The frontmatter's format, when there is frontmatter.
    pub fn format(&self) -> Option<Format> {
        self.frontmatter.as_ref().map(|f| f.format)
    }

    /// The pieces concatenated in order: the side's text again, byte for
    /// byte (the invariant the parser keeps, checked by tests and fuzzing).
    pub fn reassembled(&self) -> String {
        let mut s = String::with_capacity(self.text.len());
        s.push_str(self.bom);
        if let Some(fm) = &self.frontmatter {
            s.push_str(fm.open);
            for e in fm.entries() {
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

/// Parses one side's text.
pub fn parse<'a>(text: &'a str, opts: &ArticleOptions) -> Result<Article<'a>, ArticleError> {
    parse_like(text, opts, None)
}

/// [`parse`], taking the frontmatter of `known` (an article parsed with the
/// same `opts`) where `text` has the same bytes up to the end of that
/// frontmatter's closing line: the same block, not read again. A side
/// rebuilt from git's line merge mostly has the frontmatter of its version.
pub fn parse_like<'a>(
    text: &'a str,
    opts: &ArticleOptions,
    known: Option<&Article<'_>>,
) -> Result<Article<'a>, ArticleError> {
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
    let (frontmatter, body_start) = match known.and_then(|k| same_frontmatter(k, text)) {
        Some(found) => found,
        None => frontmatter::parse(rest, opts.values)?,
    };
    let body_all = &rest[body_start..];
    let body_line = 1 + rest[..body_start].matches('\n').count();
    let links = links::find_links(body_all, body_line, &opts.link_headings);
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

/// `known`'s frontmatter read from `text` and where `text`'s body starts
/// (after the BOM), when `text` has the same bytes up to the end of its
/// closing line: what reading `text` would find, since where a block ends
/// and what it holds depend only on its lines (a block closed at the very
/// end of a text without a line ending is read again).
fn same_frontmatter<'a>(
    known: &Article<'_>,
    text: &'a str,
) -> Option<(Option<Frontmatter<'a>>, usize)> {
    let fm = known.frontmatter.as_ref()?;
    if !fm.close.ends_with('\n') {
        return None;
    }
    let end = offset_in(known.text, fm.close) + fm.close.len();
    if text.as_bytes().get(..end)? != known.text.as_bytes().get(..end)? {
        return None;
    }
    Some((Some(fm.rebased(known.text, text)?), end - known.bom.len()))
}

/// The key under which a frontmatter is decided as a whole, when the sides
/// write it in different formats.
pub const WHOLE_FRONTMATTER: &str = "(frontmatter)";

/// Maps a line of a version (`Some(side)`, or `None` for the base) to the
/// line of the file a person sees (a conflicted file's line), for messages;
/// `None` when that version is not in the file (a base read from the index).
pub type FileLine<'f> = &'f dyn Fn(Option<Side>, usize) -> Option<usize>;

/// When the versions do not all write their frontmatter in the same format
/// (one TOML, one YAML; one side or the base without any), each side's whole
/// block as one entry [`WHOLE_FRONTMATTER`], so it is decided as a whole and
/// never mixed; with the message saying so, naming each version's format and
/// the `file_line` where its block starts. `None` when they all agree.
pub fn whole_when_formats_differ<'a>(
    sides: &Sides<Article<'a>>,
    file_line: FileLine<'_>,
) -> Option<(Sides<Article<'a>>, Worded)> {
    let start_line = |a: &Article<'_>| -> Option<usize> {
        let fm = a.frontmatter.as_ref()?;
        Some(1 + a.text[..offset_in(a.text, fm.open)].matches('\n').count())
    };
    let mut versions: Vec<(Option<Side>, &Article<'a>)> = Side::BOTH
        .into_iter()
        .map(|s| (Some(s), sides.get(s)))
        .collect();
    versions.extend(sides.base.as_ref().map(|b| (None, b)));
    // A block read as one entry already (a TOML key whose lines are in two
    // places) pairs only with whole blocks.
    let whole_already = Article::read_whole;
    let formats_differ = versions
        .windows(2)
        .any(|w| w[0].1.format() != w[1].1.format());
    let layouts_differ = versions
        .windows(2)
        .any(|w| whole_already(w[0].1) != whole_already(w[1].1));
    if !formats_differ && !layouts_differ {
        return None;
    }
    let whole = |a: &Article<'a>| -> Article<'a> {
        let mut a = a.clone();
        if let Some(fm) = a.frontmatter.as_mut() {
            let start = offset_in(a.text, fm.open);
            let end = offset_in(a.text, fm.close) + fm.close.len();
            *fm = fm.as_whole(
                &a.text[start..end],
                1 + a.text[..start].matches('\n').count(),
            );
        }
        a
    };
    let names: Vec<Worded> = versions
        .iter()
        .map(|&(side, a)| {
            let who = side.map_or(worded!["the base"], Worded::from);
            match (a.format(), start_line(a).and_then(|l| file_line(side, l))) {
                (Some(f), Some(line)) => {
                    worded![format!("{} on ", f.name()), who, format!(" at line {line}")]
                }
                (Some(f), None) => worded![format!("{} on ", f.name()), who],
                (None, _) => worded![who, " has none"],
            }
        })
        .collect();
    let what = if !versions.iter().all(|(_, a)| a.frontmatter.is_some()) {
        "not every version has frontmatter"
    } else if formats_differ {
        "the frontmatter formats differ"
    } else {
        "a version writes a key's lines in two places"
    };
    Some((
        Sides::new(
            whole(&sides.upstream),
            whole(&sides.stashed),
            sides.base.as_ref().map(whole),
        ),
        worded![
            format!("{what} ("),
            Worded::join(names, ", "),
            format!(
                "): the frontmatter is decided as a whole, as `{WHOLE_FRONTMATTER}`, never mixed"
            ),
        ],
    ))
}

/// Byte offset of `part` inside `whole` (`part` must borrow from `whole`).
pub fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(t: &str) -> Article<'_> {
        parse(t, &ArticleOptions::default()).unwrap()
    }

    const ARTICLE: &str = "---\ntitle: \"A\"\n# why\ndescription: >-\n  folded\n\n  more\ntags:\n- a\n- b\nschema: {\"name\":\"A\"}\n\n---\n# H\n\ntext\n\n---\n\n## Читайте также\n\n*   [One](/blog/one/)\n*   [>-](/blog/two/)\n\n";

    /// Every piece of `a` lies in `text` (pointers, not only equal bytes).
    fn borrows_from(a: &Article<'_>, text: &str) -> bool {
        let inside = |p: &str| {
            let (start, end) = (text.as_ptr() as usize, text.as_ptr() as usize + text.len());
            let at = p.as_ptr() as usize;
            at >= start && at + p.len() <= end
        };
        let fm = a.frontmatter.as_ref().unwrap();
        [fm.open, fm.trailer, fm.close, fm.source]
            .into_iter()
            .chain(fm.entries().flat_map(|e| [e.lead, e.text]))
            .all(inside)
    }

    #[test]
    fn a_frontmatter_known_from_a_text_that_starts_the_same_is_taken_as_read() {
        let opts = ArticleOptions::default();
        let known = parse_ok(ARTICLE);
        // Same block, another body: the known block, at home in the new text.
        let other = ARTICLE.replace("# H\n\ntext", "# H\n\nother text\n\nmore");
        let like = parse_like(&other, &opts, Some(&known)).unwrap();
        assert_eq!(like, parse_ok(&other));
        assert!(borrows_from(&like, &other));
        assert_eq!(offset_in(&other, like.body), offset_in(ARTICLE, known.body));
        // With a byte order mark on both.
        let (bom_known, bom_other) = (format!("\u{feff}{ARTICLE}"), format!("\u{feff}{other}"));
        let known_bom = parse_ok(&bom_known);
        let like = parse_like(&bom_other, &opts, Some(&known_bom)).unwrap();
        assert_eq!(like, parse_ok(&bom_other));
        assert!(borrows_from(&like, &bom_other));
        // Another block, or one the known text does not share: read again,
        // its errors included.
        for text in [
            ARTICLE.replace("title: \"A\"", "title: \"B\""),
            format!("\u{feff}{ARTICLE}"),
            ARTICLE.replace("\n---\n# H", "\n--- \n# H"),
        ] {
            let like = parse_like(&text, &opts, Some(&known)).unwrap();
            assert_eq!(like, parse_ok(&text));
            assert!(borrows_from(&like, &text));
        }
        let broken = ARTICLE.replace("title: \"A\"", "title: \"A");
        assert_eq!(
            parse_like(&broken, &opts, Some(&known)).unwrap_err(),
            parse(&broken, &opts).unwrap_err()
        );
        // A TOML key written in two places is read as one entry whose lead
        // the reader makes up: taken over all the same.
        let split = "+++\nextra.a = 1\ntitle = \"M\"\nextra.b = 2\n+++\nbody\n";
        let known_split = parse_ok(split);
        let other = split.replace("body", "other body");
        let like = parse_like(&other, &opts, Some(&known_split)).unwrap();
        assert_eq!(like, parse_ok(&other));
        assert_eq!(like.frontmatter.as_ref().unwrap().len(), 1);
        // A block closed at the very end of the known text: what follows the
        // fence in another text could make it no fence; read again.
        let ends = "---\ntitle: A\n---";
        let known_end = parse_ok(ends);
        let longer = "---\ntitle: A\n----\nbody\n";
        assert_eq!(
            parse_like(longer, &opts, Some(&known_end)),
            parse(longer, &opts)
        );
    }

    #[test]
    fn pieces_reassemble_to_the_text() {
        let a = parse_ok(ARTICLE);
        assert_eq!(a.reassembled(), ARTICLE);
        let fm = a.frontmatter.as_ref().unwrap();
        let keys: Vec<_> = fm.entries().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "description", "tags", "schema"]);
        assert_eq!(fm.entry_at(1).unwrap().lead, "# why\n");
        assert_eq!(
            fm.entry_at(1).unwrap().text,
            "description: >-\n  folded\n\n  more\n"
        );
        assert_eq!(fm.entry_at(2).unwrap().text, "tags:\n- a\n- b\n");
        assert_eq!(fm.trailer, "\n");
        assert_eq!(fm.entry_at(1).unwrap().line, 4);
        let links = a.links.as_ref().unwrap();
        assert_eq!(links.items.len(), 2);
        assert_eq!(links.items[0].url, "/blog/one/");
        assert!(links.items[1].title_is_scalar_indicator());
        assert_eq!(links.tail, "\n");
        assert_eq!(links.line, 20);
        // The blank line before the heading is the section's.
        assert!(a.body.ends_with("---\n"));
        assert!(links.heading.starts_with("\n## "));
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
            a.frontmatter.as_ref().unwrap().entry_at(0).unwrap().text,
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
    fn a_body_of_blank_lines_keeps_the_one_after_the_frontmatter() {
        // As the body with text has it: the blank line after the
        // frontmatter is the body's, those before the heading the section's.
        let with_text = parse_ok("---\na: 1\n---\n\nText.\n\n## Related\n\n- [x](/x)\n");
        assert_eq!(with_text.body, "\nText.\n");
        assert!(with_text
            .links
            .as_ref()
            .unwrap()
            .heading
            .starts_with("\n## "));
        let emptied = parse_ok("---\na: 1\n---\n\n\n## Related\n\n- [x](/x)\n");
        assert_eq!(emptied.body, "\n");
        assert!(emptied.links.as_ref().unwrap().heading.starts_with("\n## "));
        // One blank line alone stays the section's.
        let one = parse_ok("---\na: 1\n---\n\n## Related\n\n- [x](/x)\n");
        assert_eq!(one.body, "");
        for t in [
            "---\na: 1\n---\n\n\n\n## Related\n- [x](/x)\n",
            "\n\n## Related\n- [x](/x)\n",
        ] {
            assert_eq!(parse_ok(t).reassembled(), t);
            assert_eq!(parse_ok(t).body, "\n");
        }
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
            ArticleError::UnclosedFrontmatter {
                line: 1,
                format: Format::Yaml
            }
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
        assert_eq!(fm.len(), 2);
        assert_eq!(fm.entry_at(0).unwrap().text, "schema: {\n  \"a\": 1\n}\n");
        assert_eq!(a.reassembled(), t);
    }

    #[test]
    fn versions_without_frontmatter_or_in_another_format_are_decided_whole() {
        let o = ArticleOptions::default();
        let yaml = "---\ntitle: A\n---\nx\n";
        let yaml2 = "---\ntitle: B\n---\nx\n";
        let toml = "+++\ntitle = \"A\"\n+++\nx\n";
        let none = "x\n";
        let sides = |u: &'static str, s: &'static str, b: Option<&'static str>| {
            Sides::new(
                parse(u, &o).unwrap(),
                parse(s, &o).unwrap(),
                b.map(|b| parse(b, &o).unwrap()),
            )
        };
        let lines = |side: Option<Side>, l: usize| side.map(|_| l + 10);
        assert!(whole_when_formats_differ(&sides(yaml, yaml2, Some(yaml)), &lines).is_none());
        assert!(whole_when_formats_differ(&sides(none, none, None), &lines).is_none());
        let named = |(_, note): (Sides<Article<'_>>, Worded)| {
            note.named(crate::conflict::sides::SideNames {
                upstream: "ours",
                stashed: "theirs",
            })
        };
        // The base alone differs: still one whole part.
        let (a, note) = whole_when_formats_differ(&sides(yaml, yaml2, Some(none)), &lines).unwrap();
        assert_eq!(a.upstream.keys().collect::<Vec<_>>(), [WHOLE_FRONTMATTER]);
        assert_eq!(
            a.upstream.entries().next().unwrap().text,
            "---\ntitle: A\n---\n"
        );
        assert_eq!(
            named((a, note)),
            "not every version has frontmatter (YAML on ours at line 11, YAML on theirs at line 11, the base has none): the frontmatter is decided as a whole, as `(frontmatter)`, never mixed"
        );
        let got = whole_when_formats_differ(&sides(toml, none, Some(yaml)), &lines).unwrap();
        let note = got.1.named(crate::conflict::sides::SideNames::STASH);
        assert!(note.contains("YAML on the base,") || note.contains("YAML on the base)"));
        assert!(got.0.stashed.frontmatter.is_none());
    }
}
