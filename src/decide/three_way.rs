//! Three-way decisions: with the common ancestor (the base) known, a part
//! that only one side changed takes that side, and only parts both sides
//! changed differently remain conflicts.
//!
//! ```text
//! part            base   upstream   stashed    decided
//! title           A      A2         A          upstream   (only upstream changed it)
//! description     D      D          D2         stashed    (only stashed changed it)
//! updated         -      -          2025-08-02 stashed    (only stashed added it)
//! tags            [a]    [a, u]     [a, s]     [a, u, s]  (merged as a set)
//! body            ...    ¶1 edited  ¶3 edited  both edits (merged by lines)
//! schema          {..}   {name..}   {desc..}   conflict   (scalars are never merged as text)
//! ```
//!
//! [`ThreeWay`] runs first in the cascade and does nothing without a base,
//! so two-way behaviour is unchanged. YAML sequences and the related links
//! merge as sets ([`sets`]), the body by lines ([`diff3`]).

use crate::article::Value;
use crate::article::{Article, Entry};
use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::merge::compare::{self, Part};
use crate::merge::{diff3, links, seq, sets};
use crate::worded;

use super::{Decider, Decision, Decisions, FileView, Flow, LinkRef, Reason, Resolution};

/// The three-way decider: settles every part that does not really conflict.
#[derive(Copy, Clone, Debug, Default)]
pub struct ThreeWay;

impl Decider for ThreeWay {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, crate::decide::DecideError> {
        // The frontmatter: what the structured merge settled, at any depth
        // (set merges are a rule's answer: the rules decider gives them).
        // Not what git's line merge settled itself (see `tree_keys`).
        for s in file.fm.merge.settled.iter().filter(|s| !s.by_rule) {
            if !file.comparison.keys.contains_key(&s.path) {
                continue;
            }
            let part = Part::Key(s.path.clone());
            if decisions.covers(&part) {
                continue;
            }
            if let Some(key) = s.path.top().filter(|_| s.path.is_top()) {
                if let Some(why) = rename_clash(file.articles, key) {
                    decisions.note(Some(part.clone()), why);
                    continue;
                }
            }
            let resolution = Resolution::from(&s.took);
            let reason = Reason::ThreeWay(s.why.clone());
            decisions.set(part, Decision { resolution, reason });
        }
        if file.articles.base.is_none() {
            return Ok(Flow::Continue);
        }
        for part in decisions.open(file.comparison) {
            match part {
                Part::Key(_) => {}
                Part::Body => {
                    if let Some(mut d) = decide_part(file.bodies(), &part) {
                        d.resolution = file.body_resolution(d.resolution);
                        decisions.set(part, d);
                    }
                }
                Part::Links => {
                    if let Some(mut d) = decide_part(file.bodies(), &part) {
                        d.resolution = file.links_resolution(d.resolution);
                        decisions.set(part, d);
                    }
                }
            }
        }
        Ok(Flow::Continue)
    }
}

/// A key one side added that is another key renamed (the base's value moved
/// under the new name, the old key gone on that side) while the other side
/// removed or changed the old key: a decision, not a silent addition.
pub(crate) fn rename_clash(articles: &Sides<Article<'_>>, key: &str) -> Option<Worded> {
    let base = articles.base.as_ref()?;
    if base.entry(key).is_some() {
        return None;
    }
    let side = match (articles.upstream.entry(key), articles.stashed.entry(key)) {
        (Some(_), None) => Side::Upstream,
        (None, Some(_)) => Side::Stashed,
        _ => return None,
    };
    let (renaming, other) = (articles.get(side), articles.get(side.other()));
    let value = &renaming.entry(key)?.value;
    base.entries().find_map(|old| {
        let moved = &old.value == value && renaming.entry(&old.key).is_none();
        let touched = match other.entry(&old.key) {
            None => Some("removed"),
            Some(e) if e.text != old.text => Some("changed"),
            Some(_) => None,
        };
        moved.then_some(())?;
        Some(worded![
            format!("`{key}` looks like `{}` renamed by ", old.key),
            side,
            ", while ",
            side.other(),
            format!(" {} `{}`", touched?, old.key),
        ])
    })
}

/// Leaves every open part as a conflict with its own markers: the merge
/// driver's last step, after the three-way decisions and `--prefer`. What
/// both sides wrote alike as data but in their own bytes (and nobody
/// changed alone) is framed by the current side, as git keeps "ours".
#[derive(Copy, Clone, Debug, Default)]
pub struct LeaveConflicts;

impl Decider for LeaveConflicts {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, crate::decide::DecideError> {
        for part in decisions.open(file.comparison) {
            decisions.set(
                part,
                Decision {
                    resolution: Resolution::Unresolved,
                    reason: Reason::ThreeWay(worded!["both sides changed it differently"]),
                },
            );
        }
        decisions.skeleton.get_or_insert(Side::Upstream);
        Ok(Flow::Continue)
    }
}

fn three_way(resolution: Resolution, why: Worded) -> Decision {
    Decision {
        resolution,
        reason: Reason::ThreeWay(why),
    }
}

/// Why a one-sided change was taken: `only stashed added it` and the like.
fn one_side<T>(side: Side, base: Option<T>, theirs: Option<T>) -> Worded {
    match (base.is_some(), theirs.is_some()) {
        (false, true) => worded!["only ", side, " added it"],
        (true, false) => worded!["only ", side, " removed it"],
        _ => worded!["only ", side, " changed it"],
    }
}

/// Decides one part from the base; `None` when both sides changed it
/// differently (or there is no base).
pub fn decide_part(articles: &Sides<Article<'_>>, part: &Part) -> Option<Decision> {
    let base = articles.base.as_ref()?;
    match part {
        Part::Key(key) => decide_key(articles, base, &key.to_string()),
        Part::Body => decide_body(articles, base),
        Part::Links => decide_links(articles, base),
    }
}

fn decide_key(articles: &Sides<Article<'_>>, base: &Article<'_>, key: &str) -> Option<Decision> {
    let (b, u, s) = (
        base.entry(key),
        articles.upstream.entry(key),
        articles.stashed.entry(key),
    );
    // Bytes, not data: a change of quoting, a comment or a list style is a
    // change, and it is kept when it is the only one.
    fn raw<'e>(e: Option<&'e Entry<'_>>) -> Option<(&'e str, &'e str)> {
        e.map(|e| (e.lead, e.text))
    }
    if let Some(side) = Sides::new(raw(u), raw(s), Some(raw(b))).trivial() {
        let why = one_side(side, b, *Sides::new(u, s, None).get(side));
        return Some(three_way(Resolution::Take(side), why));
    }
    // Both changed it. Only sequences merge; a key removed on one side and
    // changed on the other, or any scalar or mapping, stays a conflict.
    let (u, s) = (u?, s?);
    let empty: &[Value] = &[];
    let bv = match b {
        Some(b) => b.value.sequence()?,
        None => empty,
    };
    let (us, ss) = (u.value.sequence()?, s.value.sequence()?);
    let merged = sets::set_merge(bv, us, ss);
    let expected: Vec<&Value> = merged
        .items
        .iter()
        .map(|&(side, i)| match side {
            Side::Upstream => &us[i],
            Side::Stashed => &ss[i],
        })
        .collect();
    let why = merged.why();
    for (side, list) in [(Side::Upstream, us), (Side::Stashed, ss)] {
        if list.iter().eq(expected.iter().copied()) {
            return Some(three_way(Resolution::Take(side), why));
        }
    }
    let (ut, st) = (seq::SeqText::parse(u)?, seq::SeqText::parse(s)?);
    let text = seq::write_merged(
        key,
        &ut,
        &st,
        &merged.items,
        &expected,
        articles.upstream.eol,
    )?;
    Some(three_way(
        Resolution::Text(format!("{}{text}", u.lead)),
        why,
    ))
}

fn decide_body(articles: &Sides<Article<'_>>, base: &Article<'_>) -> Option<Decision> {
    let (b, u, s) = (base.body, articles.upstream.body, articles.stashed.body);
    if let Some(side) = Sides::new(u, s, Some(b)).trivial() {
        return Some(three_way(
            Resolution::Take(side),
            worded!["only ", side, " changed it"],
        ));
    }
    // Too long to merge exactly: left open, as git left it.
    let m = diff3::merge3(b, u, s)?;
    let text = m.clean_text()?;
    let why = worded![
        format!(
            "merged by lines ({} from ",
            changes(m.changes_from(Side::Upstream))
        ),
        Side::Upstream,
        format!(", {} from ", changes(m.changes_from(Side::Stashed))),
        Side::Stashed,
        ")",
    ];
    Some(three_way(Resolution::Text(text), why))
}

fn changes(n: usize) -> String {
    match n {
        1 => "1 change".into(),
        n => format!("{n} changes"),
    }
}

/// `Take(side)` when `refs` is exactly that side's list, else `Links(refs)`.
pub(crate) fn links_resolution(articles: &Sides<Article<'_>>, refs: Vec<LinkRef>) -> Resolution {
    for side in Side::BOTH {
        let n = compare::links(articles.get(side)).len();
        let exact = refs.len() == n
            && refs
                .iter()
                .enumerate()
                .all(|(i, r)| r.side == side && r.index == i);
        if exact {
            return Resolution::Take(side);
        }
    }
    Resolution::Links(refs)
}

fn decide_links(articles: &Sides<Article<'_>>, base: &Article<'_>) -> Option<Decision> {
    // The section's bytes (heading, items, bullets, what follows), not only
    // its links: a retitled heading is a change like a new link.
    fn section<'t>(a: &Article<'t>) -> Option<&'t str> {
        let l = a.links.as_ref()?;
        let start = crate::article::offset_in(a.text, l.heading);
        Some(&a.text[start..start + l.text_len()])
    }
    let sections = Sides::new(
        section(&articles.upstream),
        section(&articles.stashed),
        Some(section(base)),
    );
    if let Some(side) = sections.trivial() {
        let why = one_side(side, base.links.as_ref(), articles.get(side).links.as_ref());
        return Some(three_way(Resolution::Take(side), why));
    }
    if articles.upstream.links.is_none() || articles.stashed.links.is_none() {
        return None;
    }
    let (refs, merged) = links::merge_links(articles, None)?;
    Some(three_way(links_resolution(articles, refs), merged.why()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::conflict::scan::Labels;
    use crate::conflict::sides::SideNames;
    use std::path::Path;

    fn decide(b: &str, u: &str, s: &str) -> Decisions {
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse(u, &o).unwrap(),
            parse(s, &o).unwrap(),
            Some(parse(b, &o).unwrap()),
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
        ThreeWay.decide(&view, &mut d).unwrap();
        d
    }

    fn res(d: &Decisions, part: Part) -> Option<(Resolution, String)> {
        d.get(&part)
            .map(|d| (d.resolution.clone(), d.reason.named(SideNames::STASH)))
    }

    fn key(k: &str) -> Part {
        Part::Key(k.into())
    }

    #[test]
    fn one_sided_key_changes_are_taken() {
        let d = decide(
            "---\ntitle: A\ndesc: D\ngone: x\nauthor: a\n---\n",
            "---\ntitle: A2\ndesc: D\nauthor: a\n---\n",
            "---\ntitle: A\ndesc: \"D2\"\ngone: x\nnew: 1\nauthor: b\n---\n",
        );
        let take = |s| Resolution::Take(s);
        assert_eq!(
            res(&d, key("title")),
            Some((
                take(Side::Upstream),
                "base: only upstream changed it".into()
            ))
        );
        assert_eq!(
            res(&d, key("desc")),
            Some((take(Side::Stashed), "base: only stashed changed it".into()))
        );
        assert_eq!(
            res(&d, key("gone")),
            Some((
                take(Side::Upstream),
                "base: only upstream removed it".into()
            ))
        );
        assert_eq!(
            res(&d, key("new")),
            Some((take(Side::Stashed), "base: only stashed added it".into()))
        );
        assert_eq!(res(&d, key("author")).unwrap().0, take(Side::Stashed));
    }

    #[test]
    fn bytes_one_side_alone_changed_are_a_decision_the_summary_names() {
        // The stash quoted the date and commented draft: equal as data, its
        // bytes; upstream changed the title.
        let d = decide(
            "---\ntitle: A\ndate: 2025-01-01\ndraft: false\n---\n",
            "---\ntitle: U\ndate: 2025-01-01\ndraft: false\n---\n",
            "---\ntitle: A\ndate: \"2025-01-01\"\ndraft: false # why\n---\n",
        );
        let why = "base: only stashed changed its bytes, the same as data";
        for k in ["date", "draft"] {
            assert_eq!(
                res(&d, key(k)),
                Some((Resolution::Take(Side::Stashed), why.into())),
                "{k}"
            );
        }
        assert_eq!(crate::decide::Tally::of(&d).stashed, 2);
    }

    #[test]
    fn keys_both_sides_changed_stay_open_unless_they_are_lists() {
        let d = decide(
            "---\nt: A\ns: {\"a\":1,\"b\":1}\nx: 1\ntags:\n  - a\n---\n",
            "---\nt: B\ns: {\"a\":2,\"b\":1}\ntags:\n  - a\n  - u\n---\n",
            "---\nt: C\ns: {\"a\":1,\"b\":2}\nx: 2\ntags:\n  - a\n  - s\n---\n",
        );
        assert_eq!(res(&d, key("t")), None);
        // Inside a mapping both changed, each value by the side that changed it.
        assert_eq!(res(&d, key("s")), None, "the mapping itself is no part");
        let inner = |k: &str| Part::Key(crate::article::KeyPath::parse(k));
        assert_eq!(
            res(&d, inner("s.a")),
            Some((
                Resolution::Take(Side::Upstream),
                "base: only upstream changed it".into()
            ))
        );
        assert_eq!(
            res(&d, inner("s.b")).map(|r| r.0),
            Some(Resolution::Take(Side::Stashed))
        );
        assert_eq!(
            res(&d, key("x")),
            None,
            "removed on one side, changed on the other"
        );
        // A list merged as a set is a rule's answer: the rules decider gives it.
        assert_eq!(res(&d, key("tags")), None);
    }

    #[test]
    fn a_rename_against_a_removal_or_a_change_is_a_decision() {
        let base = "---\nauthor: Ann\nt: x\n---\n";
        let renamed = "---\nwriter: Ann\nt: x\n---\n";
        for other in ["---\nt: x\n---\n", "---\nauthor: Bob\nt: x\n---\n"] {
            let d = decide(base, renamed, other);
            assert_eq!(res(&d, key("writer")), None, "{other}");
            assert!(
                d.notes().any(|(_, t)| t
                    .named(SideNames::STASH)
                    .contains("`writer` looks like `author` renamed")),
                "{other}"
            );
        }
        // The other side left `author` alone: the rename is one-sided.
        let d = decide(base, renamed, base);
        assert_eq!(
            res(&d, key("writer")).unwrap().0,
            Resolution::Take(Side::Upstream)
        );
    }

    #[test]
    fn a_section_one_side_retitled_keeps_the_other_sides_link_change() {
        // Upstream renames the heading, the stash retitles a link: the links
        // alone look one-sided, the section's bytes are not.
        let base = "x\n## Related\n- [A](/a)\n- [B](/b)\n";
        let up = "x\n## See also\n- [A](/a)\n- [B](/b)\n";
        let st = "x\n## Related\n- [A](/a)\n- [B 2](/b)\n";
        let d = decide(base, up, st);
        assert_ne!(
            res(&d, Part::Links).map(|r| r.0),
            Some(Resolution::Take(Side::Stashed)),
            "upstream's heading would be lost"
        );
    }

    #[test]
    fn body_merges_by_lines_and_conflicts_only_on_overlap() {
        let fm = "---\nt: a\n---\n";
        let b = format!("{fm}one\n\ntwo\n\nthree\n");
        let u = format!("{fm}ONE\n\ntwo\n\nthree\n");
        let s = format!("{fm}one\n\ntwo\n\nTHREE\n");
        let d = decide(&b, &u, &s);
        assert_eq!(
            res(&d, Part::Body),
            Some((
                Resolution::Text("ONE\n\ntwo\n\nTHREE\n".into()),
                "base: merged by lines (1 change from upstream, 1 change from stashed)".into()
            ))
        );
        let s2 = format!("{fm}One!\n\ntwo\n\nTHREE\n");
        assert_eq!(res(&decide(&b, &u, &s2), Part::Body), None);
    }

    #[test]
    fn links_merge_with_the_base() {
        let d = decide(
            "x\n## Related\n- [A](/a)\n- [B](/b)\n",
            "x\n## Related\n- [A](/a)\n- [B](/b)\n- [U](/u)\n",
            "x\n## Related\n- [B](/b)\n",
        );
        let (r, why) = res(&d, Part::Links).unwrap();
        assert_eq!(
            r,
            Resolution::Links(vec![
                LinkRef {
                    side: Side::Upstream,
                    index: 1
                },
                LinkRef {
                    side: Side::Upstream,
                    index: 2
                }
            ])
        );
        assert_eq!(why, "base: merged as a set (+1 from upstream, -1 removed)");
    }
}
