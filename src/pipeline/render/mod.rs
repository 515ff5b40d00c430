//! Renders decisions into the resolved file, from the original bytes of the
//! chosen sides. Nothing is re-serialised.
//!
//! The skeleton side (the `--prefer` side, or the side most parts came from)
//! frames the output: BOM, fences, key order, the text around the links. Each
//! part is then copied from the side chosen for it. Choosing one side for
//! every part therefore gives exactly that side, byte for byte.
//!
//! A part left unresolved is written as a conflict around just that part:
//!
//! ```text
//! ---
//! <<<<<<< Updated upstream
//! title: "A"
//! =======
//! title: "B"
//! >>>>>>> Stashed changes
//! description: "same on both sides"
//! ---
//! ```

use crate::article::{Article, KeyPath, Links};
use crate::conflict::scan::{Labels, MarkerKind};
use crate::conflict::sides::{Side, Sides};
use crate::decide::{Decisions, LinkRef, Resolution};
use crate::diff::{self, Change, Comparison, Part};
use crate::merge::diff3::{self, Merge3};
use crate::merge::tree::Ver;

pub mod frontmatter;

use crate::merge::tree::FrontmatterMerge;
use frontmatter::Fill;

/// How conflict markers are written for unresolved parts.
#[derive(Clone, Debug)]
pub struct MarkerStyle<'l> {
    /// Marker size, as git's `conflict-marker-size`.
    pub size: usize,
    /// Labels to write after the markers.
    pub labels: Labels<'l>,
    /// git's line merge, to place markers where git would (none: this
    /// crate's own line merge, as in unit tests).
    pub merger: Option<LineMerger>,
}

/// A line merge of `[ours, base, theirs]` with labels `[ours, base,
/// theirs]`, a marker size, in diff3 style or not: the text with git's
/// markers, `None` when it cannot run.
pub type LineMerger = fn([&str; 3], [&str; 3], usize, bool) -> Option<String>;

/// Renders the resolved text. Parts without a decision are written as
/// conflicts, like parts decided [`Resolution::Unresolved`].
pub fn render<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &Decisions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> String {
    let skel_side = decisions.skeleton();
    let skel = articles.get(skel_side);
    let other = articles.get(skel_side.other());
    let eol = skel.eol;
    let mut out = String::with_capacity(skel.text.len() + other.text.len() / 8);
    let piece = |f: &dyn Fn(&Article<'t>) -> Option<String>| piece_side(articles, skel_side, f);
    out.push_str(articles.get(piece(&|a| Some(a.bom.to_owned()))).bom);
    // A part the sides agree on may still be decided: a derived field
    // updated to match the key it mirrors. Undecided, it takes the bytes of
    // the side that alone changed them (a comment, quoting, a list style).
    let resolution = |part: &Part| -> Resolution {
        if let Some(d) = decisions.get(part) {
            return d.resolution.clone();
        }
        if cmp.change(part) == Change::Same {
            return Resolution::Take(match part {
                // Keys are the frontmatter merge's (below).
                Part::Key(_) => skel_side,
                Part::Body => piece(&|a| Some(a.body.to_owned())),
                // Both sides changed the section's bytes (one a bullet, the
                // other a removal): merged item by item with the base, so
                // each item keeps the bytes of the side that changed it.
                Part::Links => {
                    if let Some(d) = crate::decide::three_way::decide_part(articles, part) {
                        return d.resolution;
                    }
                    piece(&|a| a.links.as_ref().map(|l| section_text(a, l)))
                }
            });
        }
        Resolution::Unresolved
    };

    // Frontmatter.
    out.push_str(&frontmatter_block(
        articles, fm, decisions, markers, skel_side,
    ));

    // Body.
    match resolution(&Part::Body) {
        Resolution::Take(s) => out.push_str(articles.get(s).body),
        Resolution::TakeBase => out.push_str(articles.base.as_ref().map_or("", |b| b.body)),
        Resolution::Text(t) | Resolution::Partly(t) => out.push_str(&t),
        Resolution::Links(_) | Resolution::Merged | Resolution::Both(_) => {
            unreachable!("link lists and tree merges are no body's")
        }
        // With a base, markers go around just the hunks both sides changed.
        Resolution::Unresolved => match body_hunks(articles) {
            Some(m) => out.push_str(
                &m.write(|o, up, base, st| conflict(o, markers, eol, up, Some(base), st)),
            ),
            None => conflict(
                &mut out,
                markers,
                eol,
                articles.upstream.body,
                articles.base.as_ref().map(|b| b.body),
                articles.stashed.body,
            ),
        },
    }

    // Related links.
    let section = |a: &Article<'_>| {
        a.links
            .as_ref()
            .map(|l| section_text(a, l))
            .unwrap_or_default()
    };
    // A side's section, with the heading and what follows the list taken
    // from the side that alone changed them (the other side's links).
    let own_section = |s: Side| match articles.base {
        Some(_) => frame_links(articles, s, |_| {
            diff::links(articles.get(s))
                .iter()
                .map(|i| i.text)
                .collect()
        }),
        None => section(articles.get(s)),
    };
    let links = match resolution(&Part::Links) {
        Resolution::Take(s) => own_section(s),
        Resolution::TakeBase => articles.base.as_ref().map(section).unwrap_or_default(),
        Resolution::Text(t) => frame_links(articles, skel_side, |_| t.clone()),
        Resolution::Merged | Resolution::Both(_) | Resolution::Partly(_) => {
            unreachable!("tree merges and hunks left are no links'")
        }
        // No link kept: with a base, both sides kept the heading (a side
        // without the section reads it as body text), so it stays over no
        // link, as git keeps it, in the bytes of the side that alone changed
        // it; without one, no section rather than a heading over nothing.
        Resolution::Links(refs) if refs.is_empty() && articles.base.is_none() => String::new(),
        Resolution::Links(refs) => {
            let exact = Side::BOTH.into_iter().find(|&s| {
                let n = diff::links(articles.get(s)).len();
                articles.get(s).links.is_some()
                    && refs.len() == n
                    && refs
                        .iter()
                        .enumerate()
                        .all(|(i, r)| r.side == s && r.index == i)
            });
            match exact {
                Some(s) => own_section(s),
                // With a base, each item keeps the bytes (bullet included)
                // of the side that changed it, as git would; only a two-way
                // union writes the other side's items in the frame's style.
                None => frame_links(articles, skel_side, |frame| {
                    let frame = frame.filter(|_| articles.base.is_none());
                    refs.iter()
                        .map(|r| item_text(articles, *r, frame, eol))
                        .collect()
                }),
            }
        }
        // With a base, markers around the items that differ, where git
        // would put them; without one, around both lists, as they came.
        Resolution::Unresolved => frame_links(articles, skel_side, |_| {
            let items = |a: &Article<'_>| diff::links(a).iter().map(|i| i.text).collect::<String>();
            let (up, st) = (items(&articles.upstream), items(&articles.stashed));
            match articles.base.as_ref().map(items) {
                Some(base) => conflicts_shown(&up, Some(&base), &st, markers, eol),
                None => {
                    let mut s = String::new();
                    conflict(&mut s, markers, eol, &up, None, &st);
                    s
                }
            }
        }),
    };
    if !links.is_empty() && !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&links);
    out
}

/// True when some frontmatter conflict is left for a person: undecided,
/// or decided [`Resolution::Unresolved`] (on itself or a value around it).
pub fn frontmatter_unresolved(fm: &FrontmatterMerge<'_>, decisions: &Decisions) -> bool {
    let decided = |p: &KeyPath| decisions.get(&Part::Key(p.clone())).map(|d| &d.resolution);
    let left = |p: &KeyPath| {
        let mut at = KeyPath::root();
        for seg in p.segs() {
            at = at.child(seg.clone());
            match decided(&at) {
                Some(Resolution::Unresolved) => return true,
                Some(Resolution::Merged) | None => {}
                Some(_) => return false,
            }
        }
        true
    };
    fm.merge.conflicts.iter().any(|c| left(&c.path))
        || decisions
            .iter()
            .any(|(p, d)| matches!(p, Part::Key(_)) && d.resolution == Resolution::Unresolved)
}

/// The whole frontmatter block: fences and the text after the last key
/// from the side that alone changed them, the keys as the merge and the
/// decisions say. Conflicts left for a person: the block rendered with each
/// of them from upstream, from the stash and from the base, merged by lines,
/// markers around the lines that differ.
fn frontmatter_block<'t>(
    articles: &Sides<Article<'t>>,
    fm: &FrontmatterMerge<'t>,
    decisions: &Decisions,
    markers: &MarkerStyle<'_>,
    skel_side: Side,
) -> String {
    let skel = articles.get(skel_side);
    let other = articles.get(skel_side.other());
    let eol = skel.eol;
    let frame = skel.frontmatter.as_ref().or(other.frontmatter.as_ref());
    let Some(frame) = frame else {
        return String::new();
    };
    let format = frame.format;
    let fence = |f: fn(&crate::article::Frontmatter<'t>) -> &'t str| {
        let side = piece_side(articles, skel_side, &|a| {
            a.frontmatter.as_ref().map(|m| f(m).to_owned())
        });
        articles
            .get(side)
            .frontmatter
            .as_ref()
            .or(skel.frontmatter.as_ref())
            .or(other.frontmatter.as_ref())
            .map(f)
            .unwrap_or_default()
    };
    let block = |fill: Fill| -> String {
        let keys = frontmatter::inner(fm, decisions, fill, format, eol)
            .unwrap_or_else(|u| panic!("{} is undecided yet not open", u.0));
        if skel.frontmatter.is_none() && keys.is_empty() {
            return String::new();
        }
        format!(
            "{}{keys}{}{}",
            fence(|f| f.open),
            fence(|f| f.trailer),
            fence(|f| f.close)
        )
    };
    if !frontmatter_unresolved(fm, decisions) {
        return block(Fill::Decided);
    }
    let up = block(Fill::With(Ver::Side(Side::Upstream)));
    let st = block(Fill::With(Ver::Side(Side::Stashed)));
    let base = articles.base.as_ref().map(|_| block(Fill::With(Ver::Base)));
    conflicts_shown(&up, base.as_deref(), &st, markers, eol)
}

/// [`conflicts_between`] for a part left for a person: when the line merge
/// comes out clean (the base's text agrees with one side's where the sides
/// differ, the other side's change made alike elsewhere), it would quietly
/// take that change; a conflict left is a conflict shown, two ways, around
/// the lines the sides differ in.
fn conflicts_shown(
    up: &str,
    base: Option<&str>,
    st: &str,
    markers: &MarkerStyle<'_>,
    eol: &str,
) -> String {
    let text = conflicts_between(up, base, st, markers, eol);
    if base.is_none() || has_markers(&text, markers.size) || up == st {
        return text;
    }
    conflicts_between(up, None, st, markers, eol)
}

/// True when `text` has a line opening a conflict of `size` markers.
fn has_markers(text: &str, size: usize) -> bool {
    text.split('\n').any(|l| {
        l.len() >= size
            && l.as_bytes()[..size].iter().all(|&b| b == b'<')
            && matches!(l.as_bytes().get(size), None | Some(b' ' | b'\r'))
    })
}

/// Markers around the lines where `up` and `st` differ (three ways with
/// the base's text, as git writes them; two ways without).
pub fn conflicts_between(
    up: &str,
    base: Option<&str>,
    st: &str,
    markers: &MarkerStyle<'_>,
    eol: &str,
) -> String {
    if let Some(base) = base {
        if let Some(merge) = markers.merger {
            let labels = [
                markers.labels.upstream,
                markers.labels.base.unwrap_or("base"),
                markers.labels.stashed,
            ];
            let diff3 = markers.labels.base.is_some();
            if let Some(text) = merge([up, base, st], labels, markers.size, diff3) {
                return text;
            }
        }
        if let Some(m) = diff3::merge3(base, up, st) {
            return m.write(|o, u, b, s| conflict(o, markers, eol, u, Some(b), s));
        }
    }
    let mut out = String::new();
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(up, st);
    let (mut a, mut b) = (String::new(), String::new());
    let flush = |out: &mut String, a: &mut String, b: &mut String| {
        if !a.is_empty() || !b.is_empty() {
            conflict(out, markers, eol, a, None, b);
            a.clear();
            b.clear();
        }
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => {
                flush(&mut out, &mut a, &mut b);
                out.push_str(change.value());
            }
            similar::ChangeTag::Delete => a.push_str(change.value()),
            similar::ChangeTag::Insert => b.push_str(change.value()),
        }
    }
    flush(&mut out, &mut a, &mut b);
    out
}

/// The side whose bytes a piece nobody decided takes (`f` reads the piece):
/// with a base, the side that alone changed it, so that a one-sided edit
/// survives byte for byte; otherwise, or when both changed it, `skel`.
fn piece_side<'t>(
    articles: &Sides<Article<'t>>,
    skel: Side,
    f: &dyn Fn(&Article<'t>) -> Option<String>,
) -> Side {
    let Some(base) = articles.base.as_ref() else {
        return skel;
    };
    let (u, s) = (f(&articles.upstream), f(&articles.stashed));
    if u == s {
        return skel;
    }
    Sides::new(u, s, Some(f(base))).trivial().unwrap_or(skel)
}

/// The body's three-way merge, when there is a base and some hunk conflicts.
fn body_hunks<'t>(articles: &'t Sides<Article<'_>>) -> Option<Merge3<'t>> {
    let base = articles.base.as_ref()?;
    let m = diff3::merge3(base.body, articles.upstream.body, articles.stashed.body)?;
    (m.conflicts() > 0).then_some(m)
}

/// False when the body would be left in conflict but its three-way merge
/// cannot be computed exactly: markers around the whole body would then be
/// coarser than git's own.
pub fn body_conflicts_exact(articles: &Sides<Article<'_>>) -> bool {
    match articles.base.as_ref() {
        Some(base) => {
            diff3::merge3(base.body, articles.upstream.body, articles.stashed.body).is_some()
        }
        None => true,
    }
}

fn section_text(a: &Article<'_>, l: &Links<'_>) -> String {
    let start = crate::article::offset_in(a.text, l.heading);
    a.text[start..start + l.text_len()].to_owned()
}

/// The section around `items`: its heading, list style and tail each from
/// the side that alone changed it (with a base), else from the skeleton's
/// section (or the other's).
fn frame_links(
    articles: &Sides<Article<'_>>,
    skel: Side,
    items: impl FnOnce(Option<&Links<'_>>) -> String,
) -> String {
    let has = |s: Side| articles.get(s).links.is_some();
    let skel = if has(skel) { skel } else { skel.other() };
    if !has(skel) {
        return String::new();
    }
    let links = |s: Side| articles.get(s).links.as_ref();
    let from = |f: &dyn Fn(&Links<'_>) -> String| {
        let side = piece_side(articles, skel, &|a| a.links.as_ref().map(f));
        links(side).or(links(skel)).map(f).unwrap_or_default()
    };
    let style_side = piece_side(articles, skel, &|a| {
        a.links.as_ref()?.items.first().map(|i| i.bullet.to_owned())
    });
    let frame = links(style_side)
        .filter(|l| !l.items.is_empty())
        .or(links(skel));
    let mut s = from(&|l| l.heading.to_owned());
    s.push_str(&items(frame));
    s.push_str(&from(&|l| l.tail.to_owned()));
    s
}

/// One item's text in the line ending of the result; in the frame's list
/// style when a frame is given (a two-way union only).
fn item_text(
    articles: &Sides<Article<'_>>,
    r: LinkRef,
    frame: Option<&Links<'_>>,
    eol: &str,
) -> String {
    let item = &diff::links(articles.get(r.side))[r.index];
    let frame_bullet = frame.and_then(|f| f.items.first()).map(|i| i.bullet);
    let mut text = match frame_bullet {
        Some(b) if is_unordered(b) && is_unordered(item.bullet) && b != item.bullet => {
            format!("{b}{}", &item.text[item.bullet.len()..])
        }
        _ => item.text.to_owned(),
    };
    if eol == "\r\n" && !text.contains("\r\n") {
        text = text.replace('\n', "\r\n");
    } else if eol == "\n" && text.contains("\r\n") {
        text = text.replace("\r\n", "\n");
    }
    if !text.ends_with('\n') {
        text.push_str(eol);
    }
    text
}

fn is_unordered(bullet: &str) -> bool {
    matches!(
        bullet.trim_start().as_bytes().first(),
        Some(b'-' | b'*' | b'+')
    )
}

/// Writes a conflict around `up` and `st`, as git would; the base section
/// only when `m.labels.base` is set (git's diff3 style).
pub fn conflict(
    out: &mut String,
    m: &MarkerStyle<'_>,
    eol: &str,
    up: &str,
    base: Option<&str>,
    st: &str,
) {
    let line = |out: &mut String, kind: MarkerKind, label: &str| {
        out.push_str(&kind.repeat(m.size));
        if !label.is_empty() {
            out.push(' ');
            out.push_str(label);
        }
        out.push_str(eol);
    };
    let section = |out: &mut String, text: &str| {
        out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push_str(eol);
        }
    };
    line(out, MarkerKind::Open, m.labels.upstream);
    section(out, up);
    // A base section only in diff3 style: when git wrote one (a base label).
    if let (Some(b), Some(label)) = (base, m.labels.base) {
        line(out, MarkerKind::Base, label);
        section(out, b);
    }
    line(out, MarkerKind::Separator, "");
    section(out, st);
    line(out, MarkerKind::Close, m.labels.stashed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::decide::{Decision, Reason};

    const UP: &str = "---\ntitle: \"A\"\nkeep: 1\nold: x\n---\nbody A\n## Related\n\n*   [One](/1)\n*   [Two](/2)\n";
    const ST: &str =
        "---\ntitle: 'B'\nkeep: 1\nnew: y\n---\nbody B\n## Related\n\n- [Two](/2)\n- [Three](/3)\n";

    fn with<'a>(f: impl FnOnce(&Sides<Article<'a>>, &Comparison) -> Decisions) -> String {
        let o = ArticleOptions::default();
        let arts = Sides::new(parse(UP, &o).unwrap(), parse(ST, &o).unwrap(), None);
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&arts, &crate::rules::RuleSet::defaults(), true);
        let d = f(&arts, &cmp);
        let m = MarkerStyle {
            size: 7,
            labels: Labels {
                upstream: "Updated upstream",
                base: None,
                stashed: "Stashed changes",
            },
            merger: None,
        };
        render(&arts, &cmp, &d, &m, &fm)
    }

    fn all(side: Side) -> impl FnOnce(&Sides<Article<'_>>, &Comparison) -> Decisions {
        move |_, cmp| {
            let mut d = Decisions::default();
            for p in cmp.differing() {
                d.set(
                    p,
                    Decision {
                        resolution: Resolution::Take(side),
                        reason: Reason::User,
                    },
                );
            }
            d
        }
    }

    #[test]
    fn one_side_everywhere_is_that_side_exactly() {
        assert_eq!(with(all(Side::Upstream)), UP);
        assert_eq!(with(all(Side::Stashed)), ST);
    }

    #[test]
    fn mixed_choices_keep_each_sides_bytes() {
        let out = with(|arts, cmp| {
            let mut d = all(Side::Upstream)(arts, cmp);
            let user = |r| Decision {
                resolution: r,
                reason: Reason::User,
            };
            d.set(
                Part::Key("title".into()),
                user(Resolution::Take(Side::Stashed)),
            );
            d.set(
                Part::Key("new".into()),
                user(Resolution::Take(Side::Stashed)),
            );
            d.set(
                Part::Links,
                user(Resolution::Links(crate::decide::links_union(
                    arts,
                    Side::Upstream,
                ))),
            );
            d
        });
        assert_eq!(
            out,
            "---\ntitle: 'B'\nkeep: 1\nnew: y\nold: x\n---\nbody A\n## Related\n\n*   [One](/1)\n*   [Two](/2)\n*   [Three](/3)\n"
        );
    }

    #[test]
    fn with_a_base_an_unresolved_body_is_marked_hunk_by_hunk() {
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse("---\nt: a\n---\nONE\n\ntwo\n\nthree-u\n", &o).unwrap(),
            parse("---\nt: a\n---\none\n\nTWO\n\nthree-s\n", &o).unwrap(),
            Some(parse("---\nt: a\n---\none\n\ntwo\n\nthree\n", &o).unwrap()),
        );
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&arts, &crate::rules::RuleSet::defaults(), true);
        let mut d = Decisions::default();
        d.set(
            Part::Body,
            Decision {
                resolution: Resolution::Unresolved,
                reason: Reason::User,
            },
        );
        let mut m = MarkerStyle {
            size: 7,
            labels: Labels {
                upstream: "ours",
                base: None,
                stashed: "theirs",
            },
            merger: None,
        };
        assert_eq!(
            render(&arts, &cmp, &d, &m, &fm),
            "---\nt: a\n---\nONE\n\nTWO\n\n<<<<<<< ours\nthree-u\n=======\nthree-s\n>>>>>>> theirs\n"
        );
        // A base label (git's diff3 style) adds the base section.
        m.labels.base = Some("base");
        assert!(render(&arts, &cmp, &d, &m, &fm)
            .contains("three-u\n||||||| base\nthree\n=======\nthree-s\n"));
    }

    #[test]
    fn no_links_kept_drops_the_section() {
        let out = with(|arts, cmp| {
            let mut d = all(Side::Upstream)(arts, cmp);
            d.set(
                Part::Links,
                Decision {
                    resolution: Resolution::Links(Vec::new()),
                    reason: Reason::User,
                },
            );
            d
        });
        assert!(out.ends_with("---\nbody A\n"), "{out}");
    }

    #[test]
    fn unresolved_parts_get_their_own_markers() {
        let out = with(|arts, cmp| {
            let mut d = all(Side::Upstream)(arts, cmp);
            d.set(
                Part::Key("title".into()),
                Decision {
                    resolution: Resolution::Unresolved,
                    reason: Reason::User,
                },
            );
            d
        });
        assert!(out.starts_with(
            "---\n<<<<<<< Updated upstream\ntitle: \"A\"\n=======\ntitle: 'B'\n>>>>>>> Stashed changes\nkeep: 1\n"
        ), "{out}");
    }

    #[test]
    fn unresolved_links_are_marked_where_they_differ() {
        let o = ArticleOptions::default();
        let head = "---\nt: a\n---\nbody\n\n## Related\n\n";
        let [b, u, st] = [
            format!("{head}- [Delta](/delta/)\n- [Kappa](/kappa/)\n"),
            format!("{head}- [Kappa](/kappa/)\n"),
            format!("{head}- [Alpha retold](/delta/)\n- [Kappa](/kappa/)\n"),
        ];
        let arts = Sides::new(
            parse(&u, &o).unwrap(),
            parse(&st, &o).unwrap(),
            Some(parse(&b, &o).unwrap()),
        );
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&arts, &crate::rules::RuleSet::defaults(), true);
        let mut d = Decisions::default();
        d.set(
            Part::Links,
            Decision {
                resolution: Resolution::Unresolved,
                reason: Reason::User,
            },
        );
        let m = MarkerStyle {
            size: 7,
            labels: Labels {
                upstream: "ours",
                base: None,
                stashed: "theirs",
            },
            merger: None,
        };
        assert_eq!(
            render(&arts, &cmp, &d, &m, &fm),
            format!("{head}<<<<<<< ours\n=======\n- [Alpha retold](/delta/)\n>>>>>>> theirs\n- [Kappa](/kappa/)\n")
        );
    }

    #[test]
    fn a_conflict_left_is_shown_even_where_the_line_merge_is_clean() {
        let m = MarkerStyle {
            size: 7,
            labels: Labels {
                upstream: "ours",
                base: None,
                stashed: "theirs",
            },
            merger: None,
        };
        // The base's text is theirs: a line merge takes ours quietly.
        let out = conflicts_shown("a: 1\n", Some("a: 2\n"), "a: 2\n", &m, "\n");
        assert_eq!(out, "<<<<<<< ours\na: 1\n=======\na: 2\n>>>>>>> theirs\n");
        assert!(has_markers(&out, 7) && !has_markers("<<<<<<<< x\n", 7));
    }
}
