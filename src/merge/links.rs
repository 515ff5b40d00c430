//! The related links merged with their base: a set of URLs, as in
//! [`super::sets`] (upstream's order, then the stash's additions), where each
//! kept link takes the bytes (title, list marker, trailing words) of the side
//! that changed it.

use serde::Serialize;

use crate::article::{Article, LinkItem};
use crate::conflict::sides::{Side, Sides};
use crate::merge::compare::links;
use crate::merge::sets::SetMerge;

/// A reference to one related link of one side.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    /// The side the link comes from.
    pub side: Side,
    /// Its index in that side's list.
    pub index: usize,
}

/// The item's own bytes, trailing blank lines and line ending aside: what
/// tells whether a side changed a link (its title, list marker, the words
/// after it).
fn bytes<'a>(i: &LinkItem<'a>) -> &'a str {
    i.text.trim_end()
}

fn item<'a>(l: &[LinkItem<'a>], url: &str) -> Option<&'a str> {
    l.iter().find(|i| i.url == url).map(bytes)
}

/// The merged list, or `None` when a link conflicts and no `tie` side is
/// given to settle it. A link conflicts when both sides changed it
/// differently, or one side removed it and the other changed it (the
/// change is an edit that would otherwise be lost without a word).
pub fn merge_links(
    articles: &Sides<Article<'_>>,
    tie: Option<Side>,
) -> Option<(Vec<LinkRef>, SetMerge)> {
    let base = articles.base.as_ref()?;
    let (b, u, s) = (
        links(base),
        links(&articles.upstream),
        links(&articles.stashed),
    );
    let mut refs: Vec<LinkRef> = Vec::with_capacity(u.len() + s.len());
    let mut m = SetMerge {
        items: Vec::new(),
        added_upstream: 0,
        added_stashed: 0,
        removed: 0,
    };
    let at = |side, index| LinkRef { side, index };
    for (i, it) in u.iter().enumerate() {
        let (bt, st) = (item(b, it.url), s.iter().position(|x| x.url == it.url));
        let r = match (bt, st) {
            (None, None) => {
                m.added_upstream += 1;
                Some(at(Side::Upstream, i))
            }
            // The stash removed it: gone, unless upstream changed it.
            (Some(bt), None) if bt == bytes(it) || tie? == Side::Stashed => None,
            (Some(_), None) => Some(at(Side::Upstream, i)),
            // Both have it: the bytes of the side that changed it.
            (bt, Some(j)) => {
                let (ut, stt) = (bytes(it), bytes(&s[j]));
                if ut == stt || bt == Some(stt) {
                    Some(at(Side::Upstream, i))
                } else if bt == Some(ut) || tie? == Side::Stashed {
                    Some(at(Side::Stashed, j))
                } else {
                    Some(at(Side::Upstream, i))
                }
            }
        };
        refs.extend(r);
    }
    for (j, it) in s.iter().enumerate() {
        if u.iter().any(|x| x.url == it.url) {
            continue;
        }
        match item(b, it.url) {
            None => {
                m.added_stashed += 1;
                refs.push(at(Side::Stashed, j));
            }
            // Upstream removed it: gone, unless the stash changed it.
            Some(bt) if bt == bytes(it) || tie? == Side::Upstream => {}
            Some(_) => refs.push(at(Side::Stashed, j)),
        }
    }
    let url = |r: &LinkRef| match r.side {
        Side::Upstream => u[r.index].url,
        Side::Stashed => s[r.index].url,
    };
    m.removed = b
        .iter()
        .filter(|x| !refs.iter().any(|r| url(r) == x.url))
        .count();
    m.items = refs.iter().map(|r| (r.side, r.index)).collect();
    Some((refs, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};

    fn arts<'a>(b: &'a str, u: &'a str, s: &'a str) -> Sides<Article<'a>> {
        let o = ArticleOptions::default();
        Sides::new(
            parse(u, &o).unwrap(),
            parse(s, &o).unwrap(),
            Some(parse(b, &o).unwrap()),
        )
    }

    fn order(refs: &[LinkRef]) -> Vec<(Side, usize)> {
        refs.iter().map(|r| (r.side, r.index)).collect()
    }

    #[test]
    fn links_merge_as_sets_and_follow_the_retitling_side() {
        let a = arts(
            "t\n## Related\n- [A](/a)\n- [B](/b)\n- [C](/c)\n",
            "t\n## Related\n- [A](/a)\n- [C](/c)\n- [U](/u)\n",
            "t\n## Related\n- [A2](/a)\n- [B](/b)\n- [C](/c)\n- [S](/s)\n",
        );
        let (refs, m) = merge_links(&a, None).unwrap();
        assert_eq!(
            order(&refs),
            [
                (Side::Stashed, 0),
                (Side::Upstream, 1),
                (Side::Upstream, 2),
                (Side::Stashed, 3)
            ]
        );
        assert_eq!(m.removed, 1);
    }

    #[test]
    fn a_link_changed_on_one_side_only_takes_that_sides_bytes() {
        // The stash changed the list marker of A and the words after B; the
        // titles are the same everywhere.
        let a = arts(
            "t\n## Related\n- [A](/a)\n- [B](/b)\n",
            "t\n## Related\n- [A](/a)\n- [B](/b)\n- [U](/u)\n",
            "t\n## Related\n* [A](/a)\n- [B](/b): the sequel\n",
        );
        let (refs, _) = merge_links(&a, None).unwrap();
        assert_eq!(
            order(&refs),
            [(Side::Stashed, 0), (Side::Stashed, 1), (Side::Upstream, 2)]
        );
        // Removed on one side, reworded on the other: a conflict.
        let a = arts(
            "t\n## Related\n- [A](/a)\n- [B](/b)\n",
            "t\n## Related\n- [A](/a)\n",
            "t\n## Related\n- [A](/a)\n- [B](/b): the sequel\n",
        );
        assert!(merge_links(&a, None).is_none());
    }

    #[test]
    fn both_retitled_differently_needs_a_tie_breaker() {
        let a = arts(
            "t\n## Related\n- [A](/a)\n",
            "t\n## Related\n- [Up](/a)\n",
            "t\n## Related\n- [St](/a)\n- [N](/n)\n",
        );
        assert!(merge_links(&a, None).is_none());
        let (refs, _) = merge_links(&a, Some(Side::Stashed)).unwrap();
        assert_eq!(order(&refs), [(Side::Stashed, 0), (Side::Stashed, 1)]);
    }

    #[test]
    fn removed_on_one_side_and_retitled_on_the_other_conflicts() {
        let a = arts(
            "t\n## Related\n- [A](/a)\n- [B](/b)\n",
            "t\n## Related\n- [B](/b)\n",
            "t\n## Related\n- [A2](/a)\n- [B](/b)\n",
        );
        assert!(merge_links(&a, None).is_none());
        let (refs, m) = merge_links(&a, Some(Side::Upstream)).unwrap();
        assert_eq!(order(&refs), [(Side::Upstream, 0)]);
        assert_eq!(m.removed, 1);
        let (refs, _) = merge_links(&a, Some(Side::Stashed)).unwrap();
        assert_eq!(order(&refs), [(Side::Upstream, 0), (Side::Stashed, 0)]);
    }
}
