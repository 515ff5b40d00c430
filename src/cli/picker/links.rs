//! The related-links question: a checklist of every link of both sides,
//! marked with where it comes from, each URL once, in the order the links
//! will be written, preselected by `--links` (default: union).
//!
//! ```text
//! [x] Долговая яма: как выбраться и не попасть снова  /blog/dolgovaya-yama/  (upstream)
//! [x] >-  /blog/plyusy-i-minusy-…/  (upstream) ⚠ title is only a YAML block-scalar indicator
//! [x] Документы для ДУ: полный список от ButlerSPB  /blog/dokumenty-du/  (stashed)
//! ```

use anyhow::Result;

use super::edit::{self, EditJob, Edited};
use super::{Checklist, Ctx, How, Menu, Prompter, Reply, Step};
use crate::article::Article;
use crate::cli::report::escape;
use crate::cli::report::{links_summary, SideNames};
use crate::conflict::sides::{Side, Sides};
use crate::decide::{Decisions, LinkRef, LinksPolicy, Resolution};
use crate::merge::compare::{links, Part};

/// Where a link of the checklist comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Only one side has it.
    Only(Side),
    /// Both sides have the URL.
    Both,
}

/// One line of the checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    /// The link that is written when the item is kept.
    pub(crate) link: LinkRef,
    /// Its title.
    pub(crate) title: String,
    /// Its URL.
    pub(crate) url: String,
    /// Where it comes from.
    pub(crate) origin: Origin,
    /// The other side's title, when both have the URL under different titles.
    pub(crate) other_title: Option<String>,
    /// True when a title is only a YAML block-scalar indicator such as `>-`.
    pub(crate) indicator: bool,
}

/// Every link of both sides, each URL once: `primary`'s links in its order,
/// then the other side's new ones in theirs.
pub(crate) fn items(arts: &Sides<Article<'_>>, primary: Side) -> Vec<Item> {
    let other = primary.other();
    let (mine, theirs) = (links(arts.get(primary)), links(arts.get(other)));
    let mut out: Vec<Item> = Vec::new();
    for (side, list) in [(primary, mine), (other, theirs)] {
        for (index, l) in list.iter().enumerate() {
            if out.iter().any(|i| i.url == l.url) {
                continue;
            }
            let twin = links(arts.get(side.other()))
                .iter()
                .find(|t| t.url == l.url);
            out.push(Item {
                link: LinkRef { side, index },
                title: l.title.to_owned(),
                url: l.url.to_owned(),
                origin: if twin.is_some() {
                    Origin::Both
                } else {
                    Origin::Only(side)
                },
                other_title: twin
                    .filter(|t| t.title != l.title)
                    .map(|t| t.title.to_owned()),
                indicator: l.title_is_scalar_indicator()
                    || twin.is_some_and(|t| t.title_is_scalar_indicator()),
            });
        }
    }
    out
}

/// Which items `--links` keeps.
pub(crate) fn preset(items: &[Item], policy: Option<LinksPolicy>) -> Vec<bool> {
    items
        .iter()
        .map(|i| match policy {
            None | Some(LinksPolicy::Union) => true,
            Some(LinksPolicy::Side(s)) => i.origin == Origin::Both || i.origin == Origin::Only(s),
        })
        .collect()
}

/// `Take(side)` when `refs` is exactly one side's whole list, else the list.
pub(crate) fn resolution(arts: &Sides<Article<'_>>, refs: Vec<LinkRef>) -> (Resolution, How) {
    for side in Side::BOTH {
        let n = links(arts.get(side)).len();
        let whole = arts.get(side).links.is_some()
            && refs.len() == n
            && refs
                .iter()
                .enumerate()
                .all(|(i, r)| r.side == side && r.index == i);
        if whole {
            return (Resolution::Take(side), How::Side);
        }
    }
    (Resolution::Links(refs), How::Merged)
}

const INDICATOR: &str = "⚠ title is only a YAML block-scalar indicator";

/// One checklist line, plain: the checklist widget paints it.
fn line(item: &Item, names: SideNames) -> String {
    let origin = match item.origin {
        Origin::Both => "both",
        Origin::Only(s) => names.get(s),
    };
    let mut s = format!("{origin:<8}  {}", escape(&item.title));
    if item.indicator {
        s.push_str(&format!("  {INDICATOR}"));
    }
    s.push_str(&format!("  {}", escape(&item.url)));
    if let Some(t) = &item.other_title {
        s.push_str(&format!(
            "  ({} calls it \"{}\")",
            names.get(item.link.side.other()),
            escape(t)
        ));
    }
    s
}

fn context<P: Prompter>(cx: &Ctx<'_, P>, pos: &str) -> String {
    let look = cx.look;
    let cmp = cx.file.comparison;
    let mut s = format!(
        "\n{} {}  {}  {}\n",
        look.head(pos),
        look.bold("links"),
        look.change(cmp.links.change, cx.opts.names),
        links_summary(cmp, cx.opts.names)
    );
    for side in Side::BOTH {
        s.push_str(&format!("  {}\n", cx.side_title(side)));
        let list = links(cx.file.articles.get(side));
        if list.is_empty() {
            s.push_str(&format!("    {}\n", look.dim("(no related links)")));
        }
        for l in list {
            let mut row = format!("    {}  {}", look.side(side, l.title), look.dim(l.url));
            if l.title_is_scalar_indicator() {
                row.push_str(&format!("  {}", look.warn(INDICATOR)));
            }
            // Wrapped, a long URL broken at the width: shown whole.
            s.push_str(&crate::cli::report::wrap(
                &row,
                cx.width().saturating_sub(1),
                "      ",
            ));
        }
    }
    s
}

/// Asks about the related links.
pub(super) fn ask<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    pos: &str,
    prev: Option<&Resolution>,
    decisions: &Decisions,
) -> Result<Step> {
    let arts = cx.file.articles;
    let primary = match cx.opts.links {
        Some(LinksPolicy::Side(s)) => s,
        _ => decisions.skeleton(),
    };
    let list = items(arts, primary);
    loop {
        let menu = Menu::new(format!("{pos} links: which ones?"))
            .choice(
                'c',
                format!("choose from a checklist of all {} links", list.len()),
            )
            .choice('u', format!("{}: the whole list", cx.name(Side::Upstream)))
            .choice('s', format!("{}: the whole list", cx.name(Side::Stashed)))
            .choice('e', "edit")
            .leave(
                cx.opts,
                "leave unresolved (conflict markers around the list)",
            )
            .choice('b', "back")
            .choice('q', "quit without writing")
            .undo(cx.last.as_deref())
            .default_key(match prev {
                Some(Resolution::Take(Side::Upstream)) => Some('u'),
                Some(Resolution::Take(Side::Stashed)) => Some('s'),
                Some(Resolution::Unresolved) => Some('l'),
                _ => Some('c'),
            });
        match cx.ask(&|cx| context(cx, pos), &menu)? {
            Some('u') => return Ok(Step::Decided(Resolution::Take(Side::Upstream), How::Side)),
            Some('s') => return Ok(Step::Decided(Resolution::Take(Side::Stashed), How::Side)),
            Some('l') => return Ok(Step::Decided(Resolution::Unresolved, How::Unresolved)),
            Some('b') => return Ok(Step::Back),
            Some('z') => return Ok(Step::Undo),
            Some('c') => {
                let checked = match prev {
                    Some(Resolution::Links(refs)) => {
                        list.iter().map(|i| refs.contains(&i.link)).collect()
                    }
                    _ => preset(&list, cx.opts.links),
                };
                let check = Checklist {
                    prompt: format!(
                        "{pos} links to keep, in write order (space toggles, a: all, Enter confirms)"
                    ),
                    items: list.iter().map(|i| line(i, cx.opts.names)).collect(),
                    checked,
                };
                match cx.p.checklist(&check)? {
                    Reply::Quit => return Ok(Step::Quit),
                    // The links question again, laid out anew.
                    Reply::Redraw => continue,
                    Reply::Given(mut kept) => {
                        // Kept links are written in the checklist's order.
                        kept.sort_unstable();
                        kept.dedup();
                        let refs: Vec<LinkRef> = kept
                            .iter()
                            .filter_map(|&k| list.get(k).map(|i| i.link))
                            .collect();
                        let (res, how) = resolution(arts, refs);
                        return Ok(Step::Decided(res, how));
                    }
                }
            }
            Some('e') => {
                let text = |a: &Article<'_>| links(a).iter().map(|i| i.text).collect::<String>();
                let (up, st) = (text(&arts.upstream), text(&arts.stashed));
                let job = EditJob {
                    what: "the related links",
                    rule: "The result is the list of links (Markdown list items), without conflict markers.",
                    body: edit::both(&up, &st, &cx.markers(), arts.upstream.eol),
                    suffix: ".md",
                    final_eol: true,
                    clean: Vec::new(),
                };
                match edit::edit_loop(cx, job, |cx, text| {
                    cx.check_whole(decisions, &Part::Links, &Resolution::Text(text.to_owned()))?;
                    Ok(text.to_owned())
                })? {
                    Edited::Done(t) => return Ok(Step::Decided(Resolution::Text(t), How::Edited)),
                    Edited::Cancelled => {}
                    Edited::Quit => return Ok(Step::Quit),
                }
            }
            _ => return Ok(Step::Quit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};

    const UP: &str = "x\n## Related\n- [A](/a)\n- [>-](/b)\n- [C](/c)\n";
    const ST: &str = "x\n## Related\n- [B](/b)\n- [D](/d)\n- [D again](/d)\n";

    fn arts() -> Sides<Article<'static>> {
        let o = ArticleOptions::default();
        Sides::new(parse(UP, &o).unwrap(), parse(ST, &o).unwrap(), None)
    }

    #[test]
    fn every_url_once_in_write_order_with_origin() {
        let a = arts();
        let list = items(&a, Side::Upstream);
        let urls: Vec<_> = list.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(urls, ["/a", "/b", "/c", "/d"]);
        assert_eq!(list[0].origin, Origin::Only(Side::Upstream));
        assert_eq!(list[1].origin, Origin::Both);
        assert_eq!(list[1].other_title.as_deref(), Some("B"));
        assert!(list[1].indicator && !list[0].indicator);
        assert_eq!(list[3].origin, Origin::Only(Side::Stashed));
        let st_first: Vec<_> = items(&a, Side::Stashed)
            .into_iter()
            .map(|i| i.url)
            .collect();
        assert_eq!(st_first, ["/b", "/d", "/a", "/c"]);
    }

    #[test]
    fn links_policy_presets_the_checklist() {
        let a = arts();
        let list = items(&a, Side::Upstream);
        assert_eq!(preset(&list, None), [true; 4]);
        assert_eq!(
            preset(&list, Some(LinksPolicy::Side(Side::Stashed))),
            [false, true, false, true]
        );
    }

    #[test]
    fn a_whole_side_is_taken_as_that_side() {
        let a = arts();
        let up: Vec<_> = (0..3)
            .map(|index| LinkRef {
                side: Side::Upstream,
                index,
            })
            .collect();
        assert_eq!(resolution(&a, up).0, Resolution::Take(Side::Upstream));
        let some = vec![LinkRef {
            side: Side::Stashed,
            index: 1,
        }];
        assert!(matches!(resolution(&a, some).0, Resolution::Links(_)));
    }
}
