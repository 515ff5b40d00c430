//! `--prefer` and `--links`: the step that settles every part the base and
//! the field rules left open, with the side `--prefer` names (or the side
//! with the later date), worked out once per file ([`preferred`]). The
//! policy they belong to is `pipeline::Policy`.

use std::collections::HashSet;

use crate::article::Article;
use crate::conflict::sides::{Side, Sides};
use crate::decide::dates;
use crate::error::{DateTie, NoNewest, PreferError};
use crate::merge::compare::Part;
use crate::merge::{diff3, links};

use super::three_way::{links_resolution, rename_clash};
use super::{
    DecideError, Decider, Decision, Decisions, FileView, Flow, LinkRef, Reason, Resolution,
};

/// `--links`: how the related links are settled.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LinksPolicy {
    /// The preferred side's list.
    Side(Side),
    /// The preferred side's links, then the other side's new URLs.
    Union,
}

/// `--prefer`: the side that wins every differing part.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Prefer {
    /// Always this side.
    Side(Side),
    /// Per file, the side whose date field is later.
    Newest,
}

/// `--prefer` worked out for one file, once: the side that wins and why
/// (the side named, or the side whose date is later), or why no date
/// tells the sides apart. Every step of the chain that needs the preferred
/// side (the rules' writing style, `--prefer`, `--links`) reads this one.
pub type Preferred = Result<(Side, Reason), PreferError>;

/// Works `prefer` out for the file whose sides are `articles`, with the
/// date keys `date_fields` (see [`date_fields`]).
pub fn preferred(
    prefer: Prefer,
    articles: &Sides<Article<'_>>,
    date_fields: &[String],
) -> Preferred {
    match prefer {
        Prefer::Side(s) => Ok((s, Reason::Prefer)),
        Prefer::Newest => newest_side(articles, date_fields)
            .map(|(s, why)| (s, Reason::Newest(why)))
            .map_err(PreferError::Newest),
    }
}

/// The `--prefer` step of the chain for one file: every part still open
/// goes to the preferred side (only the conflicting hunks, where the base
/// is known), and `--links` settles the links.
#[derive(Clone, Debug)]
pub struct PreferStep {
    /// The preferred side, worked out for this file.
    pub preferred: Preferred,
    /// `--links`; `None` follows the preferred side.
    pub links: Option<LinksPolicy>,
}

/// Date keys `--prefer newest` looks at by default, in order: the
/// modification dates (the list the `newest` rule defaults to), then the
/// publication dates.
pub fn default_date_fields() -> std::iter::Copied<
    std::iter::Chain<
        std::slice::Iter<'static, &'static str>,
        std::slice::Iter<'static, &'static str>,
    >,
> {
    crate::decide::dates::MODIFIED_KEYS
        .iter()
        .chain(crate::decide::dates::PUBLISHED_KEYS)
        .copied()
}

/// The date keys to consult: those given (`--date-field`) first, then the
/// defaults not already named, so files without the given key still work.
pub fn date_fields(given: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in given
        .iter()
        .map(String::as_str)
        .chain(default_date_fields())
    {
        if !out.iter().any(|o| o == f) {
            out.push(f.to_owned());
        }
    }
    out
}

/// The side whose date is later, by the first of `fields` that tells the
/// sides apart: a field missing on a side, equal on both or not a date on
/// both is passed over. The error says what each field found.
pub fn newest_side(
    articles: &Sides<Article<'_>>,
    fields: &[String],
) -> Result<(Side, String), NoNewest> {
    let value = |a: &Article<'_>, k: &str| a.value(k).map(|v| v.display());
    let mut passed = Vec::new();
    for field in fields {
        let (Some(u), Some(s)) = (
            value(&articles.upstream, field),
            value(&articles.stashed, field),
        ) else {
            continue;
        };
        match dates::compare(&u, &s) {
            Some(std::cmp::Ordering::Less) => {
                return Ok((Side::Stashed, format!("{field} {s} > {u}")))
            }
            Some(std::cmp::Ordering::Greater) => {
                return Ok((Side::Upstream, format!("{field} {u} > {s}")))
            }
            Some(std::cmp::Ordering::Equal) => passed.push(DateTie::Same {
                field: field.clone(),
                date: u,
            }),
            None => passed.push(DateTie::NotDates {
                field: field.clone(),
                upstream: u,
                stashed: s,
            }),
        }
    }
    if passed.is_empty() {
        Err(NoNewest::NoField {
            looked: fields.to_vec(),
        })
    } else {
        Err(NoNewest::NoneApart { passed })
    }
}

/// The links of `winner` first, then the other side's links with new URLs.
pub fn links_union(articles: &Sides<Article<'_>>, winner: Side) -> Vec<LinkRef> {
    let list = |s: Side| crate::merge::compare::links(articles.get(s));
    let mut out: Vec<LinkRef> = (0..list(winner).len())
        .map(|index| LinkRef {
            side: winner,
            index,
        })
        .collect();
    let loser = winner.other();
    let mut seen: HashSet<&str> = list(winner).iter().map(|w| w.url).collect();
    for (index, l) in list(loser).iter().enumerate() {
        if seen.insert(l.url) {
            out.push(LinkRef { side: loser, index });
        }
    }
    out
}

impl Decider for PreferStep {
    fn chooses_sides(&self) -> bool {
        true
    }

    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, DecideError> {
        let (side, reason) = match &self.preferred {
            Ok((s, why)) => (*s, why.clone()),
            // Nothing says which side is newer: the parts stay open, a
            // decision as without --prefer, and the note says why.
            Err(e) => {
                decisions.note(None, format!("{e}; left for a decision"));
                return Ok(Flow::Continue);
            }
        };
        decisions.skeleton.get_or_insert(side);
        for part in decisions.open(file.comparison) {
            if let Some(d) = one_sided(file, &part) {
                decisions.set(part, d);
                continue;
            }
            let decision = match (&part, self.links_decision(file, side)) {
                (Part::Links, Some(d)) => d,
                // With a base, only the body hunks or link titles both sides
                // changed go to `side`; the other side's separate edits stay.
                // New items both sides put at one place of a list: both,
                // the preferred side's first (neither is a choice against
                // the other).
                (Part::Key(path), _) if file.fm.inserts_at(path) => Decision {
                    resolution: Resolution::Both(side),
                    reason: reason.clone(),
                },
                // Merged from the whole versions where known; too long
                // to merge: the side's hunks in git's merge.
                (Part::Body, _) => Decision {
                    resolution: match prefer_with_base(file.bodies(), &part, side) {
                        Some(r) => file.body_resolution(r),
                        None => Resolution::Take(side),
                    },
                    reason: reason.clone(),
                },
                (Part::Links, _) => Decision {
                    resolution: match prefer_with_base(file.bodies(), &part, side) {
                        Some(r) => file.links_resolution(r),
                        None => Resolution::Take(side),
                    },
                    reason: reason.clone(),
                },
                _ => Decision {
                    resolution: prefer_with_base(file.articles, &part, side)
                        .unwrap_or(Resolution::Take(side)),
                    reason: reason.clone(),
                },
            };
            decisions.set(part, decision);
        }
        Ok(Flow::Continue)
    }
}

/// A change only one side made survives every `--prefer`: a key the
/// structured merge settled from one side, left open only as a question
/// for a person because it looks like a key renamed while the other side
/// removed or changed the old one ([`rename_clash`]), takes the side that
/// added it, not the preferred one (the old key is decided as usual). Other
/// parts left open on purpose (a key group both sides changed) go to the
/// preferred side whole.
fn one_sided(file: &FileView<'_, '_>, part: &Part) -> Option<Decision> {
    let Part::Key(path) = part else { return None };
    rename_clash(file.articles, path.top().filter(|_| path.is_top())?)?;
    let s = file
        .fm
        .merge
        .settled
        .iter()
        .find(|s| !s.by_rule && &s.path == path)?;
    Some(Decision {
        resolution: Resolution::from(&s.took),
        reason: Reason::ThreeWay(s.why.clone()),
    })
}

impl PreferStep {
    /// The links as an explicit `--links` settles them; `None` without it.
    fn links_decision(&self, file: &FileView<'_, '_>, winner: Side) -> Option<Decision> {
        let resolution = match self.links? {
            LinksPolicy::Union => Resolution::Links(links_union(file.articles, winner)),
            LinksPolicy::Side(s) => Resolution::Take(s),
        };
        Some(Decision {
            resolution,
            reason: Reason::LinksPolicy,
        })
    }

    /// An explicit `--links` wins over whatever settled the links before
    /// it (the base's set merge, a rule): the user named how, and the
    /// summary then says `--links`. Nothing when the links do not differ.
    pub fn settle_links(
        &self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.links.is_none() || !file.comparison.differing().any(|p| p == Part::Links) {
            return Ok(());
        }
        let winner = match &self.preferred {
            Ok((s, _)) => *s,
            Err(e) => return Err(DecideError::Prefer(e.clone())),
        };
        if let Some(d) = self.links_decision(file, winner) {
            decisions.set(Part::Links, d);
        }
        Ok(())
    }
}

/// How `--prefer side` settles the body or the links when the base is known:
/// the three-way merge with only the conflicting hunks (or link titles)
/// taken from `side`, so the other side's separate changes are kept.
/// `None` for keys and without a base (then the whole side is taken).
pub fn prefer_with_base(
    articles: &Sides<Article<'_>>,
    part: &Part,
    side: Side,
) -> Option<Resolution> {
    let base = articles.base.as_ref()?;
    match part {
        Part::Key(_) => None,
        Part::Body => {
            // Too long to merge exactly: the side's body as the markers give
            // it, which is git's own merge with that side's hunks.
            let text = diff3::merge3(base.body, articles.upstream.body, articles.stashed.body)?
                .resolved_with(side);
            Some(if text == articles.get(side).body {
                Resolution::Take(side)
            } else {
                Resolution::Text(text)
            })
        }
        Part::Links => {
            if articles.upstream.links.is_none() || articles.stashed.links.is_none() {
                return None;
            }
            let (refs, _) = links::merge_links(articles, Some(side))?;
            Some(links_resolution(articles, refs))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::conflict::scan::Labels;

    fn articles<'a>(a: &'a str, b: &'a str) -> Sides<Article<'a>> {
        let o = ArticleOptions::default();
        Sides::new(parse(a, &o).unwrap(), parse(b, &o).unwrap(), None)
    }

    #[test]
    fn prefer_decides_every_open_part_and_links_union() {
        let arts = articles(
            "---\nt: a\n---\nx\n## Related\n- [A](/a)\n- [B](/b)\n",
            "---\nt: b\n---\ny\n## Related\n- [C](/c)\n- [A](/a)\n",
        );
        let (fm, cmp) = crate::pipeline::prepare::parts(
            &arts,
            &crate::decide::rules::RuleSet::defaults(),
            true,
        );
        let view = FileView {
            path: Path::new("a.md"),
            articles: &arts,
            comparison: &cmp,
            labels: Labels::default(),
            fm: &fm,
            whole: None,
            keyed: None,
        };
        let mut d = Decisions::default();
        let mut p = PreferStep {
            preferred: preferred(Prefer::Side(Side::Stashed), &arts, &[]),
            links: Some(LinksPolicy::Union),
        };
        assert_eq!(p.decide(&view, &mut d).unwrap(), Flow::Continue);
        assert!(d.open(&cmp).is_empty());
        assert_eq!(
            d.get(&Part::Body).unwrap().resolution,
            Resolution::Take(Side::Stashed)
        );
        let Resolution::Links(refs) = &d.get(&Part::Links).unwrap().resolution else {
            panic!("links union expected")
        };
        let order: Vec<_> = refs.iter().map(|r| (r.side, r.index)).collect();
        assert_eq!(
            order,
            [(Side::Stashed, 0), (Side::Stashed, 1), (Side::Upstream, 1)]
        );
        assert_eq!(d.skeleton(), Side::Stashed);
    }

    #[test]
    fn newest_picks_the_later_date() {
        let arts = articles(
            "---\npubDate: \"2025-07-25T20:24:28.496Z\"\n---\n",
            "---\npubDate: \"2025-07-25T20:20:29.748Z\"\n---\n",
        );
        let f = vec!["updated".to_string(), "pubDate".to_string()];
        assert_eq!(newest_side(&arts, &f).unwrap().0, Side::Upstream);
        let e = newest_side(&arts, &["lastmod".to_string()]).unwrap_err();
        assert!(e.to_string().contains("lastmod"));
        let bad = articles("---\ndate: soon\n---\n", "---\ndate: 2025-01-01\n---\n");
        assert!(newest_side(&bad, &["date".to_string()])
            .unwrap_err()
            .to_string()
            .contains("not a date"));
    }

    #[test]
    fn prefer_keeps_the_other_sides_separate_body_changes() {
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse("ONE\n\ntwo\n\nthree-u\n", &o).unwrap(),
            parse("one\n\nTWO\n\nthree-s\n", &o).unwrap(),
            Some(parse("one\n\ntwo\n\nthree\n", &o).unwrap()),
        );
        assert_eq!(
            prefer_with_base(&arts, &Part::Body, Side::Stashed),
            Some(Resolution::Text("ONE\n\nTWO\n\nthree-s\n".into()))
        );
        assert_eq!(
            prefer_with_base(&arts, &Part::Key("t".into()), Side::Stashed),
            None
        );
        let two_way = Sides::new(arts.upstream.clone(), arts.stashed.clone(), None);
        assert_eq!(prefer_with_base(&two_way, &Part::Body, Side::Stashed), None);
    }
}
