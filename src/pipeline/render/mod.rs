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

use crate::article::Article;
use crate::conflict::sides::{Side, Sides};
use crate::decide::{Decisions, Resolution};
use crate::merge::compare::{Change, Comparison, Part};
use crate::merge::tree::FrontmatterMerge;

mod body;
pub mod frontmatter;
mod links;
mod markers;

pub use body::body_conflicts_exact;
pub use frontmatter::frontmatter_unresolved;
pub use markers::{conflict, conflicts_between, LineMerger, MarkerStyle};

/// Whether the side framing the file (key order, fences, layout the parts
/// do not cover) changes what [`render`] writes for `decisions`: always
/// without a base; with one, only where both sides changed such a piece,
/// each piece otherwise taking the bytes of the side that alone changed
/// it. The pipeline and the picker ask whose frame only then.
pub fn frame_matters<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &Decisions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> bool {
    let framed = |side| {
        let mut d = decisions.clone();
        d.skeleton = Some(side);
        render(articles, cmp, &d, markers, fm)
    };
    articles.base.is_none() || framed(Side::Upstream) != framed(Side::Stashed)
}

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
    let bom_side = piece_side(articles, skel_side, &|a| Some(a.bom.to_owned()));
    out.push_str(articles.get(bom_side).bom);
    let start = out.len();
    let resolution = |part: &Part| resolution(articles, cmp, decisions, skel_side, part);
    out.push_str(&frontmatter::block(
        articles, fm, decisions, markers, skel_side,
    ));
    let mut body = String::new();
    body::write(&mut body, articles, resolution(&Part::Body), markers, eol);
    push_part(&mut out, start, &body, eol);
    let links = links::section(articles, resolution(&Part::Links), skel_side, markers, eol);
    push_part(&mut out, start, &links, eol);
    out
}

/// Appends `part` (the body, the links section) to `out` on a line of its
/// own: after the article's text so far (from `start`, past the BOM) whose
/// last line lacks its newline (a closing fence or a body that ended its
/// side, the side whose next part is not written), one goes between them,
/// as git puts one in a conflict section that lacks it.
fn push_part(out: &mut String, start: usize, part: &str, eol: &str) {
    if !part.is_empty() && crate::conflict::refine::lacks_final_newline(&out[start..]) {
        out.push_str(eol);
    }
    out.push_str(part);
}

/// What a part becomes: its decision; for a part the sides agree on, which
/// may still be decided (a derived field updated to match the key it
/// mirrors), undecided, the bytes of the side that alone changed them (a
/// comment, quoting, a list style); otherwise a conflict.
fn resolution(
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    decisions: &Decisions,
    skel_side: Side,
    part: &Part,
) -> Resolution {
    if let Some(d) = decisions.get(part) {
        return d.resolution.clone();
    }
    if cmp.change(part) != Change::Same {
        return Resolution::Unresolved;
    }
    let piece = |f: &dyn Fn(&Article<'_>) -> Option<String>| piece_side(articles, skel_side, f);
    Resolution::Take(match part {
        // Keys are the frontmatter merge's.
        Part::Key(_) => skel_side,
        Part::Body => piece(&|a| Some(a.body.to_owned())),
        // Both sides changed the section's bytes (one a bullet, the other a
        // removal): merged item by item with the base, so each item keeps
        // the bytes of the side that changed it.
        Part::Links => {
            if let Some(d) = crate::decide::three_way::decide_part(articles, part) {
                return d.resolution;
            }
            piece(&|a| a.links.as_ref().map(|l| links::section_text(a, l)))
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::conflict::marker_size::MarkerSize;
    use crate::conflict::scan::Labels;
    use crate::decide::{Decision, Reason};

    #[test]
    fn a_part_after_a_line_without_its_newline_starts_a_line() {
        let o = ArticleOptions::default();
        let (up, st) = ("---\na: 1\n---", "---\na: 1\n---\nBody\n");
        let arts = Sides::new(parse(up, &o).unwrap(), parse(st, &o).unwrap(), None);
        let m = MarkerStyle::ours_theirs();
        let written = |resolution: Resolution| {
            let (mut out, mut b) = (up.to_owned(), String::new());
            body::write(&mut b, &arts, resolution, &m, "\n");
            push_part(&mut out, 0, &b, "\n");
            out
        };
        assert_eq!(written(Resolution::Take(Side::Stashed)), st);
        // Ours' body is empty: nothing to put a line in for.
        assert_eq!(written(Resolution::Take(Side::Upstream)), up);
        assert_eq!(
            written(Resolution::Unresolved),
            "---\na: 1\n---\n<<<<<<< ours\n=======\nBody\n>>>>>>> theirs\n"
        );
        // A BOM is no line: a part right after it stays there.
        let mut out = "\u{feff}".to_owned();
        let start = out.len();
        push_part(&mut out, start, "## Related\n", "\n");
        assert_eq!(out, "\u{feff}## Related\n");
    }

    const UP: &str = "---\ntitle: \"A\"\nkeep: 1\nold: x\n---\nbody A\n## Related\n\n*   [One](/1)\n*   [Two](/2)\n";
    const ST: &str =
        "---\ntitle: 'B'\nkeep: 1\nnew: y\n---\nbody B\n## Related\n\n- [Two](/2)\n- [Three](/3)\n";

    fn with<'a>(f: impl FnOnce(&Sides<Article<'a>>, &Comparison) -> Decisions) -> String {
        let o = ArticleOptions::default();
        let arts = Sides::new(parse(UP, &o).unwrap(), parse(ST, &o).unwrap(), None);
        let (fm, cmp) = crate::pipeline::prepare::parts(
            &arts,
            &crate::decide::rules::RuleSet::defaults(),
            true,
        );
        let d = f(&arts, &cmp);
        let m = MarkerStyle {
            size: MarkerSize::DEFAULT,
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
        let (fm, cmp) = crate::pipeline::prepare::parts(
            &arts,
            &crate::decide::rules::RuleSet::defaults(),
            true,
        );
        let mut d = Decisions::default();
        d.set(
            Part::Body,
            Decision {
                resolution: Resolution::Unresolved,
                reason: Reason::User,
            },
        );
        let mut m = MarkerStyle::ours_theirs();
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
        let (fm, cmp) = crate::pipeline::prepare::parts(
            &arts,
            &crate::decide::rules::RuleSet::defaults(),
            true,
        );
        let mut d = Decisions::default();
        d.set(
            Part::Links,
            Decision {
                resolution: Resolution::Unresolved,
                reason: Reason::User,
            },
        );
        let m = MarkerStyle::ours_theirs();
        assert_eq!(
            render(&arts, &cmp, &d, &m, &fm),
            format!("{head}<<<<<<< ours\n=======\n- [Alpha retold](/delta/)\n>>>>>>> theirs\n- [Kappa](/kappa/)\n")
        );
    }
}
