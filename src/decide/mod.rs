//! Decisions: what each differing part becomes, and who decided it. Types
//! only; the deciders live beside this file (three-way, prefer, the field
//! rules, key groups, `[when]` kinds and config in [`rules`]; the dates
//! found in frontmatter in [`dates`]) and are chained in one place,
//! `pipeline::cascade`.
//!
//! ```text
//! three-way (the base) ──▶ field rules ──▶ --prefer | picker | conflict markers
//! ```
//!
//! Each decider fills in only what is still open. The pipeline never knows
//! which decider it is talking to.

pub mod dates;
pub mod prefer;
pub mod rules;
pub mod three_way;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use indexmap::{IndexMap, IndexSet};
use serde::Serialize;

use crate::article::Article;
use crate::conflict::scan::Labels;
use crate::conflict::sides::{Side, SideNames, Sides};
use crate::conflict::worded::Worded;
pub use crate::error::{DateTie, DecideError, NoNewest, PreferError};
use crate::merge::compare::{self, Change, Comparison, Part};
use crate::merge::tree::FrontmatterMerge;
use crate::worded;

pub use crate::merge::links::LinkRef;
pub use prefer::{
    date_fields, links_union, newest_side, preferred, LinksPolicy, Prefer, PreferStep, Preferred,
};
pub use three_way::{LeaveConflicts, ThreeWay};

/// What a part becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// That side's bytes for the part (absent there: the part is dropped).
    Take(Side),
    /// The base's bytes for the part (both sides reverted the same way).
    TakeBase,
    /// New bytes for the part: an edit, a merged body, a merged sequence.
    /// For a key, the whole entry (`key: value` lines); for links, the items.
    Text(String),
    /// A related-links list assembled from both sides, in this order.
    Links(Vec<LinkRef>),
    /// Left as a conflict: markers around just this part.
    Unresolved,
    /// The body as a person assembled it hunk by hunk, some hunks left
    /// between conflict markers on purpose: the file stays conflicted.
    Partly(String),
    /// As the structured merge put it together from both sides (a set, the
    /// items of a list): nothing to choose.
    Merged,
    /// New items both sides put at one place of a list: this side's, then
    /// the other side's (what `--prefer` makes of such a clash: neither
    /// side's items are a choice against the other's).
    Both(Side),
}

/// What the structured merge took for a part it settled: that side, or
/// its merge of both.
impl From<&crate::merge::tree::Took> for Resolution {
    fn from(took: &crate::merge::tree::Took) -> Resolution {
        match took {
            crate::merge::tree::Took::Side(side) => Resolution::Take(*side),
            crate::merge::tree::Took::Merged => Resolution::Merged,
        }
    }
}

/// Why a part was decided the way it was; the details name sides as data
/// ([`Worded`]), the command line names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// `--prefer` on the command line.
    Prefer,
    /// `--prefer newest`: the side with the later date.
    Newest(String),
    /// `--links`.
    LinksPolicy,
    /// Only one side changed it since the base, or both changed it alike.
    ThreeWay(Worded),
    /// A field rule: which rule, from where, and what it found.
    Rule(Worded),
    /// A derived field updated to match the key it mirrors (`--sync-derived`).
    Derived(Worded),
    /// The user, in the picker.
    User,
    /// The user wrote the part by hand in their editor (from the picker).
    Edited,
}

impl Reason {
    /// The reason with the sides called as `names` says.
    pub fn named(&self, names: SideNames) -> String {
        self.worded().named(names)
    }

    /// Who or what decided, one word: `prefer`, `newest`, `links-policy`,
    /// `base`, `rule`, `synced`, `you`, `edited`.
    pub fn by(&self) -> &'static str {
        match self {
            Reason::Prefer => "prefer",
            Reason::Newest(_) => "newest",
            Reason::LinksPolicy => "links-policy",
            Reason::ThreeWay(_) => "base",
            Reason::Rule(_) => "rule",
            Reason::Derived(_) => "synced",
            Reason::User => "you",
            Reason::Edited => "edited",
        }
    }

    /// The reason as one message: `base: only stashed changed it`.
    pub fn worded(&self) -> Worded {
        match self {
            Reason::Prefer => worded!["--prefer"],
            Reason::Newest(d) => worded![format!("newest: {d}")],
            Reason::LinksPolicy => worded!["--links"],
            Reason::ThreeWay(why) => worded!["base: ", why],
            Reason::Rule(r) => worded!["rule: ", r],
            Reason::Derived(d) => worded!["synced: ", d],
            Reason::User => worded!["you"],
            Reason::Edited => worded!["you, in your editor"],
        }
    }
}

/// A decision for one part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// What the part becomes.
    pub resolution: Resolution,
    /// Who decided.
    pub reason: Reason,
}

/// The decisions for one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    /// In the order they were made, with O(1) lookups by part.
    entries: IndexMap<Part, Decision>,
    /// The side whose layout frames the output (key order, fences, list style).
    /// `None`: the side most decisions took, upstream on a tie.
    pub skeleton: Option<Side>,
    /// Answers offered but not taken: a field rule's, for the picker to preselect.
    suggestions: Vec<(Part, Decision)>,
    /// Messages for the person: why a rule fell back to asking, and the
    /// like; each once, in the order they were added.
    notes: IndexSet<(Option<Part>, Worded)>,
    /// Key groups held for one decision: the group's name and its parts,
    /// for the picker to ask as one question.
    held: Vec<(String, Vec<Part>)>,
    /// The names in `held`, so that holding a group does not read all the
    /// others (a config may hold thousands of groups).
    held_names: HashSet<String>,
}

impl Decisions {
    /// The decision for `part`.
    pub fn get(&self, part: &Part) -> Option<&Decision> {
        self.entries.get(part)
    }

    /// Sets (or replaces) the decision for `part`.
    pub fn set(&mut self, part: Part, decision: Decision) {
        self.entries.insert(part, decision);
    }

    /// Removes the decision for `part` (the picker's "back").
    pub fn unset(&mut self, part: &Part) {
        self.entries.shift_remove(part);
    }

    /// All decisions, in the order they were made.
    pub fn iter(&self) -> impl Iterator<Item = (&Part, &Decision)> {
        self.entries.iter()
    }

    /// The differing parts that have no decision yet (a value inside a key
    /// is decided when the key around it is).
    pub fn open(&self, cmp: &Comparison) -> Vec<Part> {
        cmp.differing().filter(|p| !self.covers(p)).collect()
    }

    /// Whether `part`, or a value around it, has a decision.
    pub fn covers(&self, part: &Part) -> bool {
        if self.get(part).is_some() {
            return true;
        }
        let Part::Key(path) = part else { return false };
        let segs = path.segs();
        (1..segs.len()).any(|n| {
            let mut p = crate::article::KeyPath::root();
            for s in &segs[..n] {
                p = p.child(s.clone());
            }
            self.get(&Part::Key(p)).is_some()
        })
    }

    /// True when some part is left as a conflict on purpose.
    pub fn has_unresolved(&self) -> bool {
        self.entries
            .values()
            .any(|d| matches!(d.resolution, Resolution::Unresolved | Resolution::Partly(_)))
    }

    /// True when some part was settled by more than the base: `--prefer`,
    /// `--links`, a rule or a person.
    pub fn decided(&self) -> bool {
        self.entries
            .values()
            .any(|d| !matches!(d.reason, Reason::ThreeWay(_) | Reason::Derived(_)))
    }

    /// True when a person decided some part: chose it in the picker or
    /// wrote it in the editor.
    pub fn chosen(&self) -> bool {
        self.entries
            .values()
            .any(|d| matches!(d.reason, Reason::User | Reason::Edited))
    }

    /// Offers `decision` for `part` without taking it (the picker preselects it).
    pub fn suggest(&mut self, part: Part, decision: Decision) {
        self.suggestions.retain(|(p, _)| *p != part);
        self.suggestions.push((part, decision));
    }

    /// The answer offered for `part`, if any.
    pub fn suggestion(&self, part: &Part) -> Option<&Decision> {
        self.suggestions
            .iter()
            .find(|(p, _)| p == part)
            .map(|(_, d)| d)
    }

    /// Adds a message about `part` (or the whole file) for the person.
    pub fn note(&mut self, part: Option<Part>, text: impl Into<Worded>) {
        let text = text.into();
        self.notes.insert((part, text));
    }

    /// Holds `parts` as one decision named `name` (a key group both sides changed).
    pub fn hold(&mut self, name: impl Into<String>, parts: Vec<Part>) {
        let name = name.into();
        if !self.held_names.insert(name.clone()) {
            self.held.retain(|(n, _)| *n != name);
        }
        self.held.push((name, parts));
    }

    /// The groups held for one decision, in the order they were held.
    pub fn held(&self) -> &[(String, Vec<Part>)] {
        &self.held
    }

    /// The messages, in the order they were added.
    pub fn notes(&self) -> impl Iterator<Item = (Option<&Part>, &Worded)> {
        self.notes.iter().map(|(p, t)| (p.as_ref(), t))
    }

    /// The side that frames the output.
    pub fn skeleton(&self) -> Side {
        if let Some(s) = self.skeleton {
            return s;
        }
        let count = |side| {
            self.entries
                .values()
                .filter(|d| d.resolution == Resolution::Take(side))
                .count()
        };
        if count(Side::Stashed) > count(Side::Upstream) {
            Side::Stashed
        } else {
            Side::Upstream
        }
    }
}

/// What a decider sees of one file.
pub struct FileView<'v, 'a> {
    /// The file, for messages.
    pub path: &'v Path,
    /// The parsed sides.
    pub articles: &'v Sides<Article<'a>>,
    /// The comparison.
    pub comparison: &'v Comparison,
    /// The labels git wrote.
    pub labels: Labels<'v>,
    /// The frontmatter trees and their structured merge.
    pub fm: &'v FrontmatterMerge<'a>,
    /// The three versions themselves, when known and cut into the same
    /// parts as [`FileView::articles`] (git's hunks rebuilt into sides can
    /// hide how a side's blank lines align with the base's).
    pub whole: Option<&'v Sides<Article<'a>>>,
    /// The versions the comparison's key paths are places in
    /// ([`crate::pipeline::Compared::keyed`]), where not `articles`.
    pub keyed: Option<&'v Sides<Article<'a>>>,
}

impl<'a> FileView<'_, 'a> {
    /// The versions a key's value is looked up in by the comparison's
    /// paths (see [`crate::merge::compare::Comparison::value_on`]).
    pub fn keyed(&self) -> &Sides<Article<'a>> {
        self.keyed.unwrap_or(self.articles)
    }

    /// The versions the body is merged from: the whole versions when
    /// known, else the sides as the conflicts give them.
    pub fn bodies(&self) -> &Sides<Article<'a>> {
        self.whole.unwrap_or(self.articles)
    }

    /// A body decision made on [`FileView::bodies`], for the sides as the
    /// conflicts give them: a side taken whose body reads otherwise there
    /// is its whole body, as text.
    pub fn body_resolution(&self, r: Resolution) -> Resolution {
        match r {
            Resolution::Take(s) if self.articles.get(s).body != self.bodies().get(s).body => {
                Resolution::Text(self.bodies().get(s).body.to_owned())
            }
            r => r,
        }
    }

    /// A links decision made on [`FileView::bodies`], for the sides as the
    /// conflicts give them. Where git's hunks cut a moved link off its old
    /// place, the rebuilt lists read otherwise than the versions' (a link
    /// one side moved and the other removed reads as added by the mover):
    /// the decided items, as text, from the versions.
    pub fn links_resolution(&self, r: Resolution) -> Resolution {
        let Some(whole) = self.whole else {
            return r;
        };
        let item = |a: &Article<'_>, i: usize| {
            let it = &compare::links(a)[i];
            let mut t = it.text.to_owned();
            if !t.ends_with('\n') {
                t.push_str(if a.text.contains("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                });
            }
            t
        };
        let items = |a: &Article<'_>| {
            (0..compare::links(a).len())
                .map(|i| item(a, i))
                .collect::<String>()
        };
        let same = |s: Side| items(self.articles.get(s)) == items(whole.get(s));
        match r {
            Resolution::Take(s) if !same(s) => Resolution::Text(items(whole.get(s))),
            Resolution::Links(refs) if !Side::BOTH.into_iter().all(same) => Resolution::Text(
                refs.iter()
                    .map(|r| item(whole.get(r.side), r.index))
                    .collect(),
            ),
            r => r,
        }
    }
}

/// Whether to go on after a decider ran.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// The user quit: write nothing, stop the run.
    Quit,
}

/// Something that decides parts: a policy, the base, a rule set, a person.
pub trait Decider {
    /// Fills in decisions for open parts; may leave some open.
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, DecideError>;

    /// Whether it settles what both sides changed by choosing a side
    /// (`--prefer`, a person), not only by the base and the rules: a key
    /// both sides added alike, which git's line merge wrote twice, is then
    /// settled once (see `pipeline::resolve`); else it stays a conflict.
    fn chooses_sides(&self) -> bool {
        false
    }
}

/// A question a person answers: one open part, or the open keys of a held
/// key group (named), settled together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The key group's name, when the question is a group's.
    pub group: Option<String>,
    /// The parts the answer settles.
    pub parts: Vec<Part>,
}

/// The questions for the open `parts`, in their order: the keys of a held
/// group become one question where the group's first open key stands. The
/// one count of decisions: `diff`, the picker's header and its `[n/N]`.
pub fn questions(parts: &[Part], held: &[(String, Vec<Part>)]) -> Vec<Question> {
    // Each part's first group, and the open parts, looked up (a config may
    // hold thousands of groups: comparing each part with every group's
    // parts grew with their product).
    let mut group_of: HashMap<&Part, usize> = HashMap::new();
    for (g, (_, ps)) in held.iter().enumerate() {
        for p in ps {
            group_of.entry(p).or_insert(g);
        }
    }
    let is_open: HashSet<&Part> = parts.iter().collect();
    let mut asked = vec![false; held.len()];
    let mut out = Vec::new();
    for part in parts {
        match group_of.get(part).map(|&g| (g, &held[g])) {
            Some((g, (name, ps))) => {
                if std::mem::replace(&mut asked[g], true) {
                    continue;
                }
                let open: Vec<Part> = ps.iter().filter(|p| is_open.contains(p)).cloned().collect();
                out.push(Question {
                    group: (open.len() > 1).then(|| name.clone()),
                    parts: if open.len() > 1 {
                        open
                    } else {
                        vec![part.clone()]
                    },
                });
            }
            None => out.push(Question {
                group: None,
                parts: vec![part.clone()],
            }),
        }
    }
    out
}

/// Counts of how parts were settled, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Parts taken from upstream.
    pub upstream: usize,
    /// Parts taken from the stash.
    pub stashed: usize,
    /// Parts merged or assembled from both.
    pub merged: usize,
    /// Parts a person wrote by hand in the editor.
    pub edited: usize,
    /// Parts left as conflicts.
    pub unresolved: usize,
}

/// `2 from upstream, 1 from stashed, 0 merged, 1 left as conflicts`.
impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.named(SideNames::STASH))
    }
}

impl Tally {
    /// `2 from ours, 1 from theirs, 0 merged`: the sides called as `names` says.
    pub fn named(&self, names: SideNames) -> String {
        let mut line = format!(
            "{} from {}, {} from {}",
            self.upstream, names.upstream, self.stashed, names.stashed
        );
        if self.edited > 0 {
            line += &format!(", {} edited", self.edited);
        }
        line += &format!(", {} merged", self.merged);
        if self.unresolved > 0 {
            line += &format!(", {} left as conflicts", self.unresolved);
        }
        line
    }

    /// Counts the decisions.
    pub fn of(decisions: &Decisions) -> Tally {
        let mut t = Tally::default();
        for (_, d) in decisions.iter() {
            if d.reason == Reason::Edited && !matches!(d.resolution, Resolution::Partly(_)) {
                t.edited += 1;
                continue;
            }
            match d.resolution {
                Resolution::Take(Side::Upstream) => t.upstream += 1,
                Resolution::Take(Side::Stashed) => t.stashed += 1,
                Resolution::Unresolved | Resolution::Partly(_) => t.unresolved += 1,
                Resolution::TakeBase
                | Resolution::Text(_)
                | Resolution::Links(_)
                | Resolution::Merged
                | Resolution::Both(_) => t.merged += 1,
            }
        }
        t
    }
}

/// A one-line description of a decision, e.g. `title ← stashed (--prefer)`.
pub fn describe(part: &Part, d: &Decision, change: Change) -> Worded {
    worded![part.to_string(), settled_as(d, change)]
}

/// What [`describe`] says after the part: ` ← stashed (--prefer)`.
fn settled_as(d: &Decision, change: Change) -> Worded {
    let what = match &d.resolution {
        Resolution::Take(s) => match (change, s) {
            (Change::OnlyUpstream, Side::Stashed) | (Change::OnlyStashed, Side::Upstream) => {
                worded!["dropped (", *s, ")"]
            }
            _ => worded![*s],
        },
        Resolution::TakeBase => worded!["base"],
        // Named as the picker's summary names it before writing.
        Resolution::Text(_) | Resolution::Links(_) if d.reason == Reason::Edited => {
            worded!["edited"]
        }
        Resolution::Text(_) | Resolution::Merged => worded!["merged"],
        Resolution::Both(s) => worded!["both, ", *s, " first"],
        Resolution::Links(refs) => worded![links_count(refs.len())],
        Resolution::Unresolved => worded!["left unresolved"],
        Resolution::Partly(_) => worded!["some hunks left unresolved"],
    };
    worded![" ← ", what, " (", d.reason.worded(), ")"]
}

/// One line per outcome: parts settled the same way for the same reason are
/// listed together, e.g. `title, body ← upstream (newest: pubDate …)`.
pub fn summarize(decisions: &Decisions, cmp: &Comparison) -> Vec<Worded> {
    // In part order (keys, body, links), whoever decided them.
    let mut order: HashMap<Part, usize> = HashMap::new();
    for (i, p) in cmp.differing().enumerate() {
        order.entry(p).or_insert(i);
    }
    let mut decided: Vec<_> = decisions.iter().collect();
    decided.sort_by_key(|(p, _)| order.get(*p).copied().unwrap_or(usize::MAX));
    let mut groups: Vec<(Worded, Vec<String>)> = Vec::new();
    for (part, d) in decided {
        let tail = settled_as(d, cmp.change(part));
        match groups.iter_mut().find(|(t, _)| *t == tail) {
            Some((_, parts)) => parts.push(part.to_string()),
            None => groups.push((tail, vec![part.to_string()])),
        }
    }
    groups
        .into_iter()
        .map(|(tail, parts)| worded![parts.join(", "), tail])
        .collect()
}

/// `1 link`, `3 links`.
pub(crate) fn links_count(n: usize) -> String {
    match n {
        1 => "1 link".to_owned(),
        n => format!("{n} links"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::merge::compare::compare;

    #[test]
    fn a_part_of_two_groups_is_asked_with_the_first_and_each_group_once() {
        let k = |s: &str| Part::Key(s.into());
        let parts = [k("a"), k("b"), k("c"), k("d")];
        let held = [
            ("one".to_owned(), vec![k("b"), k("d")]),
            ("two".to_owned(), vec![k("c"), k("d")]),
        ];
        let qs = questions(&parts, &held);
        let shape: Vec<(Option<&str>, Vec<String>)> = qs
            .iter()
            .map(|q| {
                let parts = q.parts.iter().map(|p| p.to_string()).collect();
                (q.group.as_deref(), parts)
            })
            .collect();
        assert_eq!(
            shape,
            [
                (None, vec!["a".to_owned()]),
                (Some("one"), vec!["b".to_owned(), "d".to_owned()]),
                (Some("two"), vec!["c".to_owned(), "d".to_owned()]),
            ]
        );
    }

    #[test]
    fn notes_are_kept_once_and_a_group_held_again_moves_last() {
        let mut d = Decisions::default();
        d.note(None, "x");
        d.note(Some(Part::Body), "x");
        d.note(None, "x");
        assert_eq!(d.notes().count(), 2);
        d.hold("g", vec![Part::Body]);
        d.hold("h", vec![]);
        d.hold("g", vec![]);
        let names: Vec<&str> = d.held().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["h", "g"]);
        assert!(d.held()[1].1.is_empty());
    }

    #[test]
    fn summary_groups_parts_settled_alike() {
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse("---\na: 1\nb: 1\nc: 1\n---\n", &o).unwrap(),
            parse("---\na: 2\nb: 2\nc: 2\n---\n", &o).unwrap(),
            None,
        );
        let cmp = compare(arts.as_ref());
        let mut d = Decisions::default();
        let take = |s| Decision {
            resolution: Resolution::Take(s),
            reason: Reason::Prefer,
        };
        d.set(Part::Key("a".into()), take(Side::Stashed));
        d.set(Part::Key("b".into()), take(Side::Upstream));
        d.set(Part::Key("c".into()), take(Side::Stashed));
        let named: Vec<String> = summarize(&d, &cmp)
            .iter()
            .map(|l| l.named(SideNames::STASH))
            .collect();
        assert_eq!(
            named,
            ["a, c ← stashed (--prefer)", "b ← upstream (--prefer)"]
        );
    }
}
