//! The structured three-way merge of frontmatter values, at every depth:
//! mappings key by key, sequences item by item, scalars as leaves.
//!
//! ```text
//! path            base        upstream     stashed      plan
//! title           A           A            B            take stashed   (only it changed)
//! params.author   Nina        Ann          Nina         take upstream  (inside a table both changed)
//! params.toc      true        true         false        take stashed
//! steps           [m, b, s]   [m, b, r, s] [p, m, b, s] [p, m, b, r, s] (inserts at their places)
//! tags            [a, b, c]   [a, c, b]    [a, b, c, d] [a, c, b, d]    (a set: the defaults say so)
//! authors[0]      {Alice..}   {Alice..}    {Alice'..}   take stashed   (items edited in place)
//! lastmod         2024-01     2024-03      2024-05      open           (both changed it)
//! ```
//!
//! The merge never writes text: it returns a [`Plan`] per child saying which
//! version's bytes to take, where to go inside, and which leaves are
//! [`Conflict`]s for a decider. A node is compared by its bytes (a comment,
//! quoting or layout change is a change, kept when it is the only one); data
//! only tells that both sides made the same change. A node is entered only
//! when both sides changed it and every version lays its children out the
//! same way; otherwise it is a leaf.

use std::collections::{HashMap, HashSet};

use similar::DiffOp;

use crate::article::frontmatter::layout::{self, Child, KeyPath, Kids, Layout, Node, Seg};
use crate::article::value::Value;
use crate::article::Article;
use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::worded;

/// A version of a value: one side, or the base.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ver {
    /// One side.
    Side(Side),
    /// The common ancestor.
    Base,
}

/// A child in each version: absent where the version has none.
pub type Three<'n, 'a> = Sides<Option<&'n Child<'a>>>;

impl Ver {
    /// The child of `three` in this version.
    pub fn of<'n, 'a>(self, three: &Three<'n, 'a>) -> Option<&'n Child<'a>> {
        match self {
            Ver::Side(s) => *three.get(s),
            Ver::Base => three.base.flatten(),
        }
    }
}

/// What one child of the result is.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// As written in that version (nothing, where it has no such child).
    Take(Ver),
    /// Both sides changed it: its children merged one by one, inside the
    /// text around them (key, lead, brackets) of `frame`.
    Merge {
        /// The side whose text frames the children; `None`: the side that
        /// frames the output (both changed it, or there is no base).
        frame: Option<Side>,
        /// The children follow the framing side's order rather than the
        /// order below (nothing tells whose order to keep: no base, or both
        /// sides reordered).
        by_frame: bool,
        /// The children, in the result's order.
        kids: Vec<Kid>,
    },
    /// A conflict for a decider: the index into [`TreeMerge::conflicts`].
    Open(usize),
    /// Equal as data on both sides, each in its own bytes (quoting, a
    /// comment): the side that frames the output.
    Frame,
    /// A leaf line put together from the versions' parts, each changed by
    /// one side at most: the bytes before the value (the comments above
    /// it, the key) from `before`, the value from `value` (`None`: equal
    /// as data on both sides, the side that frames the output), the bytes
    /// after it (a comment on its line, the line ending) from `after`.
    Parts {
        /// The version whose bytes before the value are taken.
        before: Ver,
        /// The version whose value is taken; `None`: the framing side's.
        value: Option<Ver>,
        /// The version whose bytes after the value are taken.
        after: Ver,
    },
}

/// One child of a merged node: where it is, and what it becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct Kid {
    /// Its key, or its index (upstream's, else the stash's, else the base's).
    pub seg: Seg,
    /// The child in each version, by index into its parent's children.
    pub at: Sides<Option<usize>>,
    /// What it becomes.
    pub plan: Plan,
}

/// A conflict: a leaf both sides changed differently, or items both
/// sides inserted at one place of a sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// Where it is.
    pub path: KeyPath,
    /// What clashes.
    pub kind: ConflictKind,
}

/// The two kinds of conflict.
#[derive(Clone, Debug, PartialEq)]
pub enum ConflictKind {
    /// One value changed on both sides differently (or removed on one side
    /// and changed on the other). The children are reached by [`Kid::at`]
    /// of the kid whose plan is this conflict.
    Value,
    /// New items both sides put at the same place of a sequence (indexes
    /// into each side's items); choosing a side takes its items.
    Inserts(Sides<Vec<usize>>),
    /// Both sides reordered a sequence's items differently: its items
    /// merged three ways in each side's order ([`Sides::base`] unused: the
    /// base is the base's list); choosing a side takes its order with the
    /// other side's added, removed and edited items.
    Order(Sides<Vec<Kid>>),
}

/// How a settled part was settled, for the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Took {
    /// One side's value.
    Side(Side),
    /// Assembled from both (a set, a sequence's items).
    Merged,
}

/// A part the merge settled without asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// Where.
    pub path: KeyPath,
    /// What it took.
    pub took: Took,
    /// Why: `only stashed changed it`.
    pub why: Worded,
    /// True when a rule said how (a set merge): then `why` names the rule.
    pub by_rule: bool,
}

/// How a sequence merges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeqKind {
    /// Item by item, in order.
    Ordered,
    /// As a set (a rule or a default says so); the text names the rule.
    Set(String),
}

/// What the merge asks of the person's rules.
pub trait Strategy {
    /// How the sequence at `path` merges.
    fn seq_kind(&self, path: &KeyPath) -> SeqKind;
}

/// Every sequence ordered: the merge without rules.
pub struct Ordered;

impl Strategy for Ordered {
    fn seq_kind(&self, _: &KeyPath) -> SeqKind {
        SeqKind::Ordered
    }
}

/// The merge of three frontmatter trees.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeMerge {
    /// The top-level children, in the result's order.
    pub kids: Vec<Kid>,
    /// The top-level keys follow the framing side's order (see [`Plan::Merge`]).
    pub by_frame: bool,
    /// The leaves left for deciders.
    pub conflicts: Vec<Conflict>,
    /// What was settled, and why.
    pub settled: Vec<Settled>,
}

/// The roots of the three trees.
pub type Roots<'n, 'a> = Sides<&'n Node<'a>>;

/// Merges the frontmatter trees `roots` (a base of `None`: two ways, every
/// difference a conflict unless a set merge settles it).
pub fn merge(roots: Roots<'_, '_>, strategy: &dyn Strategy) -> TreeMerge {
    merge_after_git(roots, strategy, None)
}

/// [`merge`] of the versions themselves, with `git` the sides rebuilt from
/// git's line merge of them: new items both sides put at one place of a
/// list git merged cleanly go in git's order (see [`Merger::git_order`]).
fn merge_after_git<'s>(
    roots: Roots<'_, '_>,
    strategy: &'s dyn Strategy,
    git: Option<&'s Sides<Article<'s>>>,
) -> TreeMerge {
    let mut m = Merger {
        strategy,
        three_way: roots.base.is_some(),
        git,
        out: TreeMerge {
            kids: Vec::new(),
            by_frame: false,
            conflicts: Vec::new(),
            settled: Vec::new(),
        },
    };
    let nodes = Sides::new(
        Some(roots.upstream),
        Some(roots.stashed),
        roots.base.map(Some),
    );
    let (kids, by_frame) = m.map_kids(&KeyPath::root(), &nodes);
    m.out.kids = kids;
    m.out.by_frame = by_frame;
    // Decisions are keyed by these names: each names one part.
    debug_assert!(
        {
            let mut names: Vec<&KeyPath> = m.out.settled.iter().map(|s| &s.path).collect();
            names.extend(m.out.conflicts.iter().map(|c| &c.path));
            let n = names.len();
            names.sort_by_key(|p| p.to_string());
            names.dedup();
            names.len() == n
        },
        "two parts of one name: {:?} {:?}",
        m.out.settled,
        m.out.conflicts
    );
    m.out
}

/// The lengths of a [`TreeMerge`]'s records at some point of the merge.
#[derive(Clone, Copy)]
struct Mark {
    conflicts: usize,
    settled: usize,
}

struct Merger<'s> {
    strategy: &'s dyn Strategy,
    three_way: bool,
    /// The sides rebuilt from git's line merge, when the trees are the
    /// versions themselves (see [`Merger::git_order`]).
    git: Option<&'s Sides<Article<'s>>>,
    out: TreeMerge,
}

/// The canonical text of a value: what items are matched by. Strings are
/// compared in Unicode normalization form C.
/// A mapping's fields as tokens (`None` for other values).
fn fields(v: &Value) -> Option<HashSet<String>> {
    match v {
        Value::Map(m) => Some(
            m.iter()
                .map(|(k, v)| format!("{k}\u{2}{}", token(v)))
                .collect(),
        ),
        _ => None,
    }
}

/// How much two mappings are one item edited: the fields they share, when
/// that is at least half of the base item's; 0 when they are not.
fn similar_items(base: &Option<HashSet<String>>, side: &Option<HashSet<String>>) -> usize {
    let (Some(b), Some(s)) = (base, side) else {
        return 0;
    };
    let shared = b.intersection(s).count();
    if shared > 0 && 2 * shared >= b.len() {
        shared
    } else {
        0
    }
}

fn token(v: &Value) -> String {
    use unicode_normalization::UnicodeNormalization;
    match v {
        Value::String(s) => format!("s{}", s.nfc().collect::<String>()),
        Value::Seq(items) => {
            let inner: Vec<String> = items.iter().map(token).collect();
            format!("[{}]", inner.join("\u{1}"))
        }
        // As data: the keys' order is how a mapping is written, not what.
        Value::Map(m) => {
            let mut inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}\u{2}{}", token(v)))
                .collect();
            inner.sort_unstable();
            format!("{{{}}}", inner.join("\u{1}"))
        }
        other => format!("{other:?}"),
    }
}

/// Whether two different values are the same text once Unicode-normalized
/// (NFC): `Café` written with `é` and with `e` and a combining accent.
pub fn same_but_normalization(a: &Value, b: &Value) -> bool {
    a != b && token(a) == token(b)
}

/// Whether the nodes are all mappings or all sequences, laid out alike or
/// (`across`) with leaves the renderer can write in either layout.
fn same_layout(nodes: &[&Node<'_>], across: bool) -> bool {
    let kind = |n: &Node<'_>| match &n.kids {
        Kids::Leaf => None,
        Kids::Map(l, _) => Some((true, l.clone())),
        Kids::Seq(l, _) => Some((false, l.clone())),
    };
    let first = kind(nodes[0]);
    if first.is_some() && nodes.iter().all(|n| kind(n) == first) {
        return true;
    }
    // A flow list against a block list (or mapping): children that can be
    // written on one line can be written in either layout; not the
    // sections of a TOML array of tables.
    let flowable = |n: &Node<'_>| {
        n.children().iter().all(|c| {
            crate::article::layout::flow_value(&c.node).is_some()
                && (c.key.is_none() || crate::article::layout::key_part(c).is_some())
        }) && !matches!(n.layout(), Some(Layout::Members))
    };
    across
        && first.is_some()
        && nodes
            .iter()
            .all(|n| kind(n).map(|k| k.0) == first.as_ref().map(|k| k.0))
        && nodes.iter().all(|n| flowable(n))
}

impl Merger<'_> {
    fn open(&mut self, path: KeyPath, kind: ConflictKind) -> Plan {
        self.out.conflicts.push(Conflict { path, kind });
        Plan::Open(self.out.conflicts.len() - 1)
    }

    /// Records how [`parts`] settled a line: one side's (the other's
    /// change was its value's quoting alone), or put together from both.
    fn settle_parts(&mut self, path: &KeyPath, c: &Three<'_, '_>, plan: &Plan) {
        match plan {
            Plan::Take(Ver::Side(side)) => {
                let same_data = matches!(
                    (c.get(side.other()), c.base.flatten()),
                    (Some(x), Some(y)) if x.node.value == y.node.value && x.node.text != y.node.text
                );
                let why = if same_data {
                    worded![
                        "only ",
                        *side,
                        " changed its value (",
                        side.other(),
                        " only rewrote it)"
                    ]
                } else {
                    worded!["only ", *side, " changed it"]
                };
                self.settle(path, Took::Side(*side), why);
            }
            Plan::Parts { value, .. } => {
                let why = match value {
                    Some(Ver::Side(v)) => worded![
                        "its value from ",
                        *v,
                        ", the comment or layout around it from ",
                        v.other(),
                        " (each changed its own)"
                    ],
                    _ => worded![
                        "both changed it alike as data; the comment or layout around it \
                         changed on one side"
                    ],
                };
                self.settle(path, Took::Merged, why);
            }
            _ => {}
        }
    }

    fn settle(&mut self, path: &KeyPath, took: Took, why: Worded) {
        self.out.settled.push(Settled {
            path: path.clone(),
            took,
            why,
            by_rule: false,
        });
    }

    /// How far the merge has got: what [`Merger::undo`] goes back to.
    fn mark(&self) -> Mark {
        Mark {
            conflicts: self.out.conflicts.len(),
            settled: self.out.settled.len(),
        }
    }

    /// Forgets the conflicts and settlements recorded since `mark` (their
    /// kids are thrown away with them).
    fn undo(&mut self, mark: Mark) {
        self.out.conflicts.truncate(mark.conflicts);
        self.out.settled.truncate(mark.settled);
    }

    /// A value left open: unless git's line merge settled it, the value it
    /// merged being one side's whichever way its conflicts are taken (the
    /// engine settles only what git left in conflict; a side removed the
    /// key that the other moved and edited, both lines gone from where they
    /// were, the new one the mover's alone: git keeps the edit, and so does
    /// the engine, with or without another conflict in the file; bench/
    /// props.py seed 341738).
    fn open_value(&mut self, path: &KeyPath, c: &Three<'_, '_>) -> Plan {
        if let Some(side) = self.git_merged(path, c) {
            let why = worded!["both changed it; git merged it as ", side, " has it"];
            self.settle(path, Took::Side(side), why);
            return Plan::Take(Ver::Side(side));
        }
        self.open(path.clone(), ConflictKind::Value)
    }

    /// The side whose value at `path` (`None`: no value) both sides rebuilt
    /// from git's line merge hold. Only under mapping keys: a result's item
    /// index is no place in git's text.
    fn git_merged(&self, path: &KeyPath, c: &Three<'_, '_>) -> Option<Side> {
        let git = self.git?;
        let segs = path.segs();
        if segs.iter().any(|s| matches!(s, Seg::Index(_))) {
            return None;
        }
        let (gu, gs) = (git.upstream.value_at(path), git.stashed.value_at(path));
        let same = |a: Option<&Value>, b: Option<&Value>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b && token(a) == token(b),
            _ => false,
        };
        if !same(gu, gs) {
            return None;
        }
        if gu.is_none() {
            // Gone from git's merge, not merely out of reach: its mapping
            // is there on both sides.
            let (_, parent) = segs.split_last()?;
            let there = |a: &Article<'_>| match parent {
                [] => a.frontmatter.is_some(),
                _ => {
                    let p = parent
                        .iter()
                        .fold(KeyPath::root(), |p, s| p.child(s.clone()));
                    matches!(a.value_at(&p), Some(Value::Map(_)))
                }
            };
            if !(there(&git.upstream) && there(&git.stashed)) {
                return None;
            }
        }
        [Side::Upstream, Side::Stashed]
            .into_iter()
            .find(|&side| same(c.get(side).map(|x| &x.node.value), gu))
    }

    /// One child, present in some versions.
    fn child(&mut self, path: &KeyPath, c: &Three<'_, '_>) -> Plan {
        // A child's own bytes: not the indentation before its first line,
        // which is where its parent put it (the first key of a mapping
        // opening on its item's dash line sits after the dash), nor the
        // comma that joins a JSON member to the one before it.
        fn bytes<'a>(x: Option<&Child<'a>>) -> Option<&'a str> {
            x.map(|c| {
                let o = c.outer;
                o.strip_prefix(',')
                    .map_or(o, |r| r.trim_start_matches(['\r', '\n']))
                    .trim_start_matches(' ')
            })
        }
        let (u, s) = (c.upstream, c.stashed);
        if bytes(u) == bytes(s) {
            return Plan::Take(Ver::Side(Side::Upstream));
        }
        if self.three_way {
            let b = c.base.flatten();
            let only = Sides::new(bytes(u), bytes(s), Some(bytes(b))).trivial();
            // Both changed a line: its parts may each have been changed by
            // one side (a comment above it or on it by one, the value by
            // the other): both changes kept, or a conflict, never one of
            // them dropped (a comment is a person's text).
            if only.is_none() {
                match parts(c) {
                    PartsMerge::Apart => {}
                    PartsMerge::Merged(plan) => {
                        self.settle_parts(path, c, &plan);
                        return plan;
                    }
                    PartsMerge::Clash => return self.open_value(path, c),
                }
            }
            // One side changed the value or removed it, the other only how
            // it is written (quoting, a comment, its list's layout): the
            // value's change wins (a comment on a removed item goes with it).
            let same_as_base = |x: Option<&Child<'_>>| match (x, b) {
                (Some(x), Some(b)) => x.node.value == b.node.value,
                _ => false,
            };
            let rewritten_only = only.is_none();
            let only = only.or(match (same_as_base(u), same_as_base(s)) {
                (true, false) => Some(Side::Stashed),
                (false, true) => Some(Side::Upstream),
                _ => None,
            });
            // A mapping or list one side only rewrote (a comment above a
            // key, quoting, key order) and the other changed inside: each
            // change may be its own child's, and entering keeps both where
            // every child then settles; else the data's change wins, as
            // for a leaf.
            if let (true, Some(_)) = (rewritten_only, only) {
                if let Some(plan) = self.enter_settled(path, c) {
                    return plan;
                }
            }
            if let Some(side) = only {
                let same_data = matches!(
                    (c.get(side), b),
                    (Some(x), Some(y)) if x.node.value == y.node.value
                );
                let why = if same_data {
                    worded!["only ", side, " changed its bytes, the same as data"]
                } else if rewritten_only {
                    // Both changed its bytes: the other only how it is
                    // written (trial J: "only theirs changed it" read as if
                    // ours' re-indent had not been seen).
                    worded![
                        "only ",
                        side,
                        " changed its data; ",
                        side.other(),
                        " only how it is written"
                    ]
                } else {
                    one_side(side, b.is_some(), c.get(side).is_some())
                };
                self.settle(path, Took::Side(side), why);
                return Plan::Take(Ver::Side(side));
            }
        }
        let (Some(u), Some(s)) = (u, s) else {
            return self.open_value(path, c);
        };
        // Both changed it alike as data, in their own bytes: whichever
        // side frames the output. A mapping or list each side rewrote on
        // its own lines (a comment above one key, another key's quotes or
        // order) has its children merged first: taking one side's bytes
        // whole dropped the other's, outside any marker (trial K, cases 2
        // and 3).
        if u.node.value == s.node.value && token(&u.node.value) == token(&s.node.value) {
            if self.three_way {
                if let Some(plan) = self.enter_settled(path, c) {
                    return plan;
                }
            }
            return Plan::Frame;
        }
        self.enter(path, c, u, s)
    }

    /// The mapping or list `c`, laid out alike in all three versions,
    /// merged child by child where every child then settles; `None` (and
    /// nothing recorded) otherwise.
    fn enter_settled(&mut self, path: &KeyPath, c: &Three<'_, '_>) -> Option<Plan> {
        let (u, s, b) = (c.upstream?, c.stashed?, c.base.flatten()?);
        let alike =
            |n: &Node<'_>| (u.node.is_map() && n.is_map()) || (u.node.is_seq() && n.is_seq());
        if !(alike(&s.node) && alike(&b.node) && same_layout(&[&u.node, &s.node, &b.node], false)) {
            return None;
        }
        let mark = self.mark();
        let plan = self.enter(path, c, u, s);
        if matches!(plan, Plan::Merge { .. }) && self.out.conflicts.len() == mark.conflicts {
            return Some(plan);
        }
        self.undo(mark);
        None
    }

    /// Both sides changed the node `c` (`u`, `s` its sides'): its children
    /// merged one by one where every version lays them out alike, else a
    /// value left open.
    fn enter<'n, 'a>(
        &mut self,
        path: &KeyPath,
        c: &Three<'n, 'a>,
        u: &'n Child<'a>,
        s: &'n Child<'a>,
    ) -> Plan {
        let base = c.base.flatten();
        let mut nodes: Vec<&Node<'_>> = vec![&u.node, &s.node];
        nodes.extend(base.map(|b| &b.node));
        let nodes_three: Nodes<'_, '_> = Sides::new(
            Some(&u.node),
            Some(&s.node),
            c.base.map(|b| b.map(|b| &b.node)),
        );
        if u.node.is_seq() && s.node.is_seq() {
            if let SeqKind::Set(rule) = self.strategy.seq_kind(path) {
                // Its brackets and the line around them (`] # note`) from
                // the side that alone changed them.
                let frame = frame_side(u, s, base).unwrap_or(Side::Upstream);
                if let Some(plan) = self.set(path, &nodes_three, &rule, frame) {
                    return plan;
                }
            }
        }
        if !same_layout(&nodes, true) || !same_column(&nodes) {
            return self.open_value(path, c);
        }
        // A TOML `[table]` on one side and dotted keys (`params.x = 1`) on
        // the other: their lines cannot be mixed (an inline table can).
        let versions = [Some(u), Some(s), base].into_iter().flatten();
        let mixed =
            versions.clone().any(|c| c.section) && versions.clone().any(|c| c.dotted_lines());
        // Unless every line is one key and a one-line value: each is then
        // written as the frame writes its lines (`theme = true` in the
        // section, `social.theme = true` among the dotted keys). The sides'
        // lines, that is: the base's are written only where a child is
        // left open (its base rendering) or merged inside, checked below.
        let movable =
            |n: &Node<'_>| !n.children().is_empty() && n.children().iter().all(layout::reheadable);
        // Where only one side's lines all are and the other side writes
        // the table as a `[params]` section, that section frames it: its
        // own lines (a `[params.social]` section among them) stay as they
        // are, and each line of the first side is written as the section
        // writes its lines (bench/props.py seed 149589). Dotted keys could
        // not frame a section's lines: such a table stays one decision.
        // (Read only where the layouts are mixed: every line is looked at.)
        let mut framer = None;
        if mixed {
            let (mu, ms) = (movable(&u.node), movable(&s.node));
            framer = (u.node.is_map() && mu != ms)
                .then_some(if mu { Side::Stashed } else { Side::Upstream })
                .filter(|&x| c.get(x).is_some_and(|ch| ch.section));
            // (A mapping's base lines are looked at one by one below.)
            let base_fits = u.node.is_map() || base.is_none_or(|b| movable(&b.node));
            if !((mu && ms || framer.is_some()) && base_fits) {
                return self.open_value(path, c);
            }
        }
        // The text around the children (the key, a comment, brackets) from
        // the side that alone changed it.
        let alone = frame_side(u, s, base);
        let mut frame = framer.or(alone);
        let (kids, by_frame) = if u.node.is_map() {
            let mark = self.mark();
            let (kids, by_frame) = self.map_kids(path, &nodes_three);
            // A base line that may be written (a child left open) must be
            // movable too: a `[params.social]` section the one side removed
            // and the other only wrote as an inline table is gone from the
            // result, whatever its layout (bench/props.py seed 143841).
            if mixed && base.is_some_and(|b| base_unfit(&kids, &b.node)) {
                self.undo(mark);
                return self.open_value(path, c);
            }
            // The side that alone made the section dotted keys frames the
            // merge after all where every line the children may write can
            // go among its lines: its rewrite is kept with the other's
            // changes (bench/props.py seed 523081: the section's
            // `[params.social]` was that side's inline table in the merge).
            if let (Some(f), Some(a)) = (framer, alone) {
                if f != a && fit_under(&kids, &nodes_three, a) {
                    frame = Some(a);
                }
            }
            (kids, by_frame)
        } else if self.three_way {
            match self.seq_kids(path, &nodes_three) {
                Some(Seq::Kids(k)) => (k, false),
                Some(Seq::Orders(o)) => return self.open(path.clone(), ConflictKind::Order(o)),
                None => return self.open_value(path, c),
            }
        } else {
            return self.open_value(path, c);
        };
        Plan::Merge {
            frame,
            by_frame,
            kids,
        }
    }

    /// The children of mappings, key by key, in a merged order (and whether
    /// that order is the framing side's to choose).
    fn map_kids(&mut self, path: &KeyPath, n: &Nodes<'_, '_>) -> (Vec<Kid>, bool) {
        let keys = |x: Option<&Node<'_>>| -> Vec<String> {
            x.map(|x| x.children().iter().filter_map(|c| c.key.clone()).collect())
                .unwrap_or_default()
        };
        let (u, s) = (keys(n.upstream), keys(n.stashed));
        let b = n.base.map(keys);
        let (order, by_frame) = key_order(b.as_deref(), &u, &s);
        let index = |x: Option<&Node<'_>>| -> HashMap<String, usize> {
            x.map(|x| {
                x.children()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| c.key.clone().map(|k| (k, i)))
                    .collect()
            })
            .unwrap_or_default()
        };
        let (iu, is, ib) = (index(n.upstream), index(n.stashed), index(n.base.flatten()));
        let mut kids = Vec::with_capacity(order.len());
        for key in order {
            let at: Sides<Option<usize>> = Sides::new(
                iu.get(&key).copied(),
                is.get(&key).copied(),
                n.base.map(|_| ib.get(&key).copied()),
            );
            let three: Three<'_, '_> = Sides::new(
                at.upstream.and_then(|i| n.upstream?.children().get(i)),
                at.stashed.and_then(|i| n.stashed?.children().get(i)),
                n.base
                    .map(|b| at.base.flatten().and_then(|i| b?.children().get(i))),
            );
            let sub = path.child(Seg::Key(key.clone()));
            let plan = self.child(&sub, &three);
            kids.push(Kid {
                seg: Seg::Key(key),
                at,
                plan,
            });
        }
        (kids, by_frame)
    }

    /// A sequence merged as a set, framed by `frame`: `None` when it
    /// cannot be (no items).
    fn set<'n, 'a>(
        &mut self,
        path: &KeyPath,
        n: &Nodes<'n, 'a>,
        rule: &str,
        frame: Side,
    ) -> Option<Plan> {
        let (u, s) = (n.upstream?, n.stashed?);
        let tokens = |x: &Node<'_>| -> Vec<String> {
            x.value
                .sequence()
                .map(|items| items.iter().map(token).collect())
                .unwrap_or_default()
        };
        // Items of both sides are written side by side: not where one
        // side re-indented the list (trial L, case 5).
        if !same_layout(&[u, s], true) || !same_column(&[u, s]) {
            return None;
        }
        let empty = Vec::new();
        let b = n.base.flatten().map(tokens);
        let (ut, st) = (tokens(u), tokens(s));
        let m = crate::merge::sets::set_merge(b.as_ref().unwrap_or(&empty), &ut, &st);
        // Each token's first place in a list, found at once (not searched
        // item by item: quadratic on a long list).
        fn first_at(l: &[String]) -> HashMap<&str, usize> {
            let mut at = HashMap::new();
            for (i, t) in l.iter().enumerate() {
                at.entry(t.as_str()).or_insert(i);
            }
            at
        }
        let (u_at, s_at) = (first_at(&ut), first_at(&st));
        let b_at = b.as_deref().map(first_at);
        let kids = m
            .items
            .iter()
            .enumerate()
            .map(|(position, &(side, i))| {
                let tok = match side {
                    Side::Upstream => &ut[i],
                    Side::Stashed => &st[i],
                };
                // An item both kept takes the bytes of the side that changed them.
                let other = match side {
                    Side::Upstream => s_at.get(tok.as_str()).copied(),
                    Side::Stashed => u_at.get(tok.as_str()).copied(),
                };
                let in_base = b_at.as_ref().and_then(|b| b.get(tok.as_str()).copied());
                let mut at: Sides<Option<usize>> = Sides::new(None, None, n.base.map(|_| in_base));
                match side {
                    Side::Upstream => (at.upstream, at.stashed) = (Some(i), other),
                    Side::Stashed => (at.upstream, at.stashed) = (other, Some(i)),
                }
                // The item as the side it is listed from writes it (that
                // list's quoting throughout), unless only the other side
                // changed its bytes (a comment written above it, its
                // quotes): trial J finding 4.
                let bytes = |x: Option<&'n Node<'a>>, i: Option<usize>| -> Option<&'a str> {
                    Some(x?.children().get(i?)?.outer)
                };
                let other = side.other();
                let was = bytes(n.base.flatten(), in_base);
                let mine = bytes(*n.get(side), *at.get(side));
                let yours = bytes(*n.get(other), *at.get(other));
                let writer =
                    if was.is_some() && mine == was && yours.is_some_and(|y| Some(y) != was) {
                        other
                    } else {
                        side
                    };
                Kid {
                    seg: Seg::Index(position),
                    at,
                    plan: Plan::Take(Ver::Side(writer)),
                }
            })
            .collect();
        self.out.settled.push(Settled {
            path: path.clone(),
            took: Took::Merged,
            why: worded![format!("{rule}, "), m.why()],
            by_rule: true,
        });
        Some(Plan::Merge {
            frame: Some(frame),
            by_frame: false,
            kids,
        })
    }

    /// The items of ordered sequences, three ways: each side's edits
    /// (items kept, removed, replaced, inserted) put together base item by
    /// base item; `None` when they cannot be (then the sequence is a leaf).
    fn seq_kids(&mut self, path: &KeyPath, n: &Nodes<'_, '_>) -> Option<Seq> {
        let e = SeqEdits::of(n)?;
        if e.tangled() {
            // Unless one side's list is the other's, item for item and in
            // its order, with only new items added: then the fuller list
            // holds both sides' changes (both moved an item alike, one also
            // added), whichever way a diff lines the moves up. Else items
            // are followed by who they are, wherever each side put them.
            let three = [&e.bt[..], &e.ut[..], &e.st[..]];
            if let Some(kids) = self.superset_kids(path, n, three, [&e.es, &e.eu]) {
                return Some(Seq::Kids(kids));
            }
            return self.identity_kids(path, n, three, [&e.eu, &e.es]);
        }
        Some(Seq::Kids(self.placed_kids(path, n, &e)))
    }

    /// The items of a sequence whose edits are not tangled, base item by
    /// base item: what each side put before it, then the item as each side
    /// left it (an item a side moved: at its new place).
    fn placed_kids(&mut self, path: &KeyPath, n: &Nodes<'_, '_>, e: &SeqEdits) -> Vec<Kid> {
        let (to_u, to_s) = (e.moved_to(&e.mu, &e.eu), e.moved_to(&e.ms, &e.es));
        let placed: HashSet<usize> = to_u.values().chain(to_s.values()).copied().collect();
        let up = |a: usize| match to_u.get(&a) {
            Some(&i) => [Some(a), e.es.of_base[i], Some(i)],
            None => [Some(a), None, None],
        };
        let st_ = |b: usize| match to_s.get(&b) {
            Some(&i) => [e.eu.of_base[i], Some(b), Some(i)],
            None => [None, Some(b), None],
        };
        let mut kids = Vec::new();
        for g in 0..=e.bt.len() {
            // What each side put before base item `g`.
            let (iu, is) = (&e.eu.inserts[g], &e.es.inserts[g]);
            // Both sides' items put in here, upstream's first or not.
            let both = |ours_first: bool, us: &[usize], ss: &[usize]| {
                let us: Vec<_> = us.iter().map(|&a| up(a)).collect();
                let ss: Vec<_> = ss.iter().map(|&b| st_(b)).collect();
                if ours_first {
                    [us, ss].concat()
                } else {
                    [ss, us].concat()
                }
            };
            if e.moved_and_added(g) {
                for at in both(all_moved(iu, &e.back_u, true), iu, is) {
                    kids.push(self.item(path, next_index(&kids), at, n));
                }
            } else {
                let (head, tail) = e.alike(g);
                let (mu_, ms_) = (&iu[head..iu.len() - tail], &is[head..is.len() - tail]);
                for (&a, &b) in iu[..head].iter().zip(is) {
                    kids.push(self.item(path, next_index(&kids), [Some(a), Some(b), None], n));
                }
                // One side's items alone go in as they are; both sides' in
                // git's order where it merged them cleanly.
                let order = if mu_.is_empty() || ms_.is_empty() {
                    Some(true)
                } else {
                    self.git_order(path, e, mu_, ms_)
                };
                if let Some(ours_first) = order {
                    for at in both(ours_first, mu_, ms_) {
                        kids.push(self.item(path, next_index(&kids), at, n));
                    }
                } else {
                    let index = next_index(&kids);
                    let sub = path.child(Seg::Index(index));
                    let plan = self.open(
                        sub,
                        ConflictKind::Inserts(Sides::new(mu_.to_vec(), ms_.to_vec(), None)),
                    );
                    kids.push(Kid {
                        seg: Seg::Index(index),
                        at: Sides::new(None, None, None),
                        plan,
                    });
                }
                for (&a, &b) in iu[iu.len() - tail..].iter().zip(&is[is.len() - tail..]) {
                    kids.push(self.item(path, next_index(&kids), [Some(a), Some(b), None], n));
                }
            }
            if g == e.bt.len() {
                break;
            }
            // Base item `g` as each side left it (where it moved from: at
            // its new place).
            if placed.contains(&g) {
                continue;
            }
            kids.push(self.item(
                path,
                next_index(&kids),
                [e.eu.of_base[g], e.es.of_base[g], Some(g)],
                n,
            ));
        }
        kids
    }

    /// The items of a sequence one side left as the other's plus new items
    /// (in no version's base): the fuller side's, each item matched to where
    /// the other side and the base have it. `None` when neither list holds
    /// the other so.
    fn superset_kids(
        &mut self,
        path: &KeyPath,
        n: &Nodes<'_, '_>,
        [bt, ut, st]: [&[String]; 3],
        [es, eu]: [&Edits; 2],
    ) -> Option<Vec<Kid>> {
        for (full, part, part_edits, full_is_up) in [(ut, st, es, true), (st, ut, eu, false)] {
            let e = Edits::of(part, full, &|_, _| 0);
            let whole = (0..part.len()).all(|k| e.of_base[k].is_some_and(|j| full[j] == part[k]));
            let added_new = e.inserts.iter().flatten().all(|&j| !bt.contains(&full[j]));
            if !whole || !added_new || full.len() == part.len() {
                continue;
            }
            // The part side's item `k` stands for base item `i` when the
            // part side's edits say so and they are the same item.
            let mut base_of = vec![None; part.len()];
            for (i, j) in part_edits.of_base.iter().enumerate() {
                if let Some(j) = *j {
                    if part[j] == bt[i] {
                        base_of[j] = Some(i);
                    }
                }
            }
            let mut part_of = vec![None; full.len()];
            for (k, j) in e.of_base.iter().enumerate() {
                part_of[j.expect("checked: whole")] = Some(k);
            }
            let kids = (0..full.len())
                .map(|j| {
                    let k = part_of[j];
                    let b = k.and_then(|k| base_of[k]);
                    let at = if full_is_up {
                        [Some(j), k, b]
                    } else {
                        [k, Some(j), b]
                    };
                    self.item(path, j, at, n)
                })
                .collect();
            return Some(kids);
        }
        None
    }

    /// The items of a sequence followed by identity (an item is the one a
    /// side kept, edited in place or moved), merged three ways: an item one
    /// side removed and the other left alone is gone, new items follow the
    /// item they follow on their side, and the order is the one side's that
    /// changed it; when both sides reordered the items both kept, each
    /// side's order is a choice ([`Seq::Orders`]). `None` (the sequence a
    /// decision) when a side removed an item the other edited, or items
    /// conflict inside a sequence both reordered.
    fn identity_kids(
        &mut self,
        path: &KeyPath,
        n: &Nodes<'_, '_>,
        [bt, ut, st]: [&[String]; 3],
        [eu, es]: [&Edits; 2],
    ) -> Option<Seq> {
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        enum Id {
            Base(usize),
            /// A new item, by its place on upstream's side (both sides'
            /// alike new items are upstream's) or stashed's.
            New(Side, usize),
        }
        let (iu, is) = (eu.identities(bt, ut), es.identities(bt, st));
        let mut kept = vec![false; bt.len()];
        for i in 0..bt.len() {
            match (iu[i], is[i]) {
                (Some(_), Some(_)) => kept[i] = true,
                (None, None) => {}
                (Some(j), None) if ut[j] != bt[i] => return None,
                (None, Some(k)) if st[k] != bt[i] => return None,
                _ => {}
            }
        }
        let ids = |of_base: &[Option<usize>], len: usize, side: Side| -> Vec<Id> {
            let mut v: Vec<Id> = (0..len).map(|j| Id::New(side, j)).collect();
            for (i, j) in of_base.iter().enumerate() {
                if let Some(j) = j {
                    v[*j] = Id::Base(i);
                }
            }
            v
        };
        let (mut u_ids, mut s_ids) = (
            ids(&iu, ut.len(), Side::Upstream),
            ids(&is, st.len(), Side::Stashed),
        );
        // New items alike on both sides are one item.
        let mut partner: HashMap<usize, usize> = HashMap::new();
        for k in 0..st.len() {
            if s_ids[k] != Id::New(Side::Stashed, k) {
                continue;
            }
            let twin = (0..ut.len()).find(|&j| {
                u_ids[j] == Id::New(Side::Upstream, j)
                    && ut[j] == st[k]
                    && !partner.contains_key(&j)
            });
            if let Some(j) = twin {
                partner.insert(j, k);
                s_ids[k] = Id::New(Side::Upstream, j);
            }
        }
        let present = |id: &Id| !matches!(id, Id::Base(i) if !kept[*i]);
        u_ids.retain(present);
        s_ids.retain(present);
        let bases = |o: &[Id]| -> Vec<Id> {
            o.iter()
                .copied()
                .filter(|x| matches!(x, Id::Base(_)))
                .collect()
        };
        let base_order: Vec<Id> = (0..bt.len()).filter(|&i| kept[i]).map(Id::Base).collect();
        let (ou, os) = (bases(&u_ids), bases(&s_ids));
        let (ru, rs) = (ou != base_order, os != base_order);
        // A new item both sides put in, each at another place among the
        // items both kept, is placed by each side as a move would be:
        // neither place is the base's, so each side's order is a choice
        // (`--prefer` takes its side's), not upstream's silently. Unless
        // those items repeat one: then places are no places (which `1` of
        // `[1, 1, 2]` did a `4` follow?) and the item goes where upstream
        // put it.
        let token_of = |id: &Id| match *id {
            Id::Base(i) => &bt[i],
            Id::New(Side::Upstream, j) => &ut[j],
            Id::New(Side::Stashed, k) => &st[k],
        };
        let shared = |o: &[Id]| -> Vec<Id> {
            o.iter()
                .copied()
                .filter(|x| match x {
                    Id::Base(_) => true,
                    Id::New(Side::Upstream, j) => partner.contains_key(j),
                    Id::New(Side::Stashed, _) => false,
                })
                .collect()
        };
        let placed_apart = !ru && !rs && !partner.is_empty() && {
            let shared_u = shared(&u_ids);
            shared_u != shared(&s_ids) && !repeats(shared_u.iter().map(token_of))
        };
        let at = |id: Id| match id {
            Id::Base(i) => [iu[i], is[i], Some(i)],
            Id::New(Side::Upstream, j) => [Some(j), partner.get(&j).copied(), None],
            Id::New(Side::Stashed, k) => [None, Some(k), None],
        };
        if !(placed_apart || ru && rs && ou != os) {
            let order = if rs && !ru {
                crate::merge::compare::merge_order(&s_ids, &u_ids)
            } else {
                crate::merge::compare::merge_order(&u_ids, &s_ids)
            };
            let kids = order
                .into_iter()
                .enumerate()
                .map(|(index, id)| self.item(path, index, at(id), n))
                .collect();
            return Some(Seq::Kids(kids));
        }
        // Both reordered: the items merged once (named by their place in
        // upstream's order), laid out in each side's order. An item that
        // conflicts inside makes the whole sequence one decision.
        let mark = self.mark();
        let order_u = crate::merge::compare::merge_order(&u_ids, &s_ids);
        let mut by_id: HashMap<Id, Kid> = HashMap::new();
        for (index, id) in order_u.iter().enumerate() {
            by_id.insert(*id, self.item(path, index, at(*id), n));
        }
        if self.out.conflicts.len() > mark.conflicts {
            self.undo(mark);
            return None;
        }
        let lay = |order: &[Id]| -> Vec<Kid> {
            order
                .iter()
                .enumerate()
                .map(|(index, id)| {
                    let mut k = by_id[id].clone();
                    k.seg = Seg::Index(index);
                    k
                })
                .collect()
        };
        Some(Seq::Orders(Sides::new(
            lay(&order_u),
            lay(&crate::merge::compare::merge_order(&s_ids, &u_ids)),
            None,
        )))
    }

    /// One item of an ordered sequence, the `index`-th of the result, given
    /// where it is in each version (upstream, stashed, base).
    fn item(
        &mut self,
        path: &KeyPath,
        index: usize,
        [up, st, base]: [Option<usize>; 3],
        n: &Nodes<'_, '_>,
    ) -> Kid {
        fn pick<'n, 'a>(x: Option<&'n Node<'a>>, i: Option<usize>) -> Option<&'n Child<'a>> {
            i.and_then(|i| x?.children().get(i))
        }
        let three: Three<'_, '_> = Sides::new(
            pick(n.upstream, up),
            pick(n.stashed, st),
            // Items put in by a side have no base: known absent.
            Some(pick(n.base.flatten(), base)),
        );
        let sub = path.child(Seg::Index(index));
        let plan = self.child(&sub, &three);
        Kid {
            seg: Seg::Index(index),
            at: Sides::new(up, st, Some(base)),
            plan,
        }
    }

    /// Whether upstream's new items `ours` go before stashed's `theirs`,
    /// both put at one place of the list at `path`: as git's line merge
    /// wrote them, where it merged them cleanly, else `None` (a question).
    /// Clean there when both sides rebuilt from git's merge hold every one
    /// of these items once, each side's in its own order, one side's all
    /// before the other's, alike in both: git's text outside its conflicts
    /// is in both, a side's own sections in one only. (Both sides appended
    /// an `[[authors]]` table, upstream after editing the last one: git's
    /// lines merged the three edits cleanly, the items asked their order.
    /// Found by bench/props.py, seed 160614.) Only items no other version
    /// of the list holds, and only lists under mapping keys: a result's
    /// item index is no place in git's text.
    fn git_order(
        &self,
        path: &KeyPath,
        e: &SeqEdits,
        ours: &[usize],
        theirs: &[usize],
    ) -> Option<bool> {
        if path.segs().iter().any(|s| matches!(s, Seg::Index(_))) {
            return None;
        }
        let git = self.git?;
        let ours: Vec<&String> = ours.iter().map(|&a| &e.ut[a]).collect();
        let theirs: Vec<&String> = theirs.iter().map(|&b| &e.st[b]).collect();
        let elsewhere = |t: &String, other: &[String]| e.bt.contains(t) || other.contains(t);
        if ours.iter().any(|t| elsewhere(t, &e.st)) || theirs.iter().any(|t| elsewhere(t, &e.ut)) {
            return None;
        }
        let mut answer = None;
        for side in [&git.upstream, &git.stashed] {
            let Some(Value::Seq(items)) = side.value_at(path) else {
                return None;
            };
            let list: Vec<String> = items.iter().map(token).collect();
            // Where the item is, when it is there once.
            let at = |t: &String| {
                let mut found = (0..list.len()).filter(|&i| list[i] == *t);
                let first = found.next()?;
                found.next().is_none().then_some(first)
            };
            let pu: Vec<usize> = ours.iter().map(|t| at(t)).collect::<Option<_>>()?;
            let ps: Vec<usize> = theirs.iter().map(|t| at(t)).collect::<Option<_>>()?;
            if !pu.is_sorted() || !ps.is_sorted() {
                return None;
            }
            let first = match (pu.first(), pu.last(), ps.first(), ps.last()) {
                (Some(_), Some(u1), Some(s0), _) if u1 < s0 => true,
                (Some(u0), _, _, Some(s1)) if s1 < u0 => false,
                _ => return None,
            };
            if answer.is_some_and(|a| a != first) {
                return None;
            }
            answer = Some(first);
        }
        answer
    }
}

/// Whether a base line of `base` (the base's node of a merged mapping or
/// list) that [`Plan::Merge`]'s `kids` may write cannot be written under
/// another head (see [`layout::reheadable`]). A kid left open, or taken
/// from the base, may write its base lines; a kid merged inside writes
/// only those of its own kids that may (bench/props.py seed 207601: ours
/// edited a key of a `[params.social]` section theirs made an inline
/// table, among `params.*` dotted keys; the section's merge, framed by
/// ours, writes no base line, yet the base's section made all of
/// `[params]` one decision, and `--prefer theirs` dropped ours' edit).
fn base_unfit(kids: &[Kid], base: &Node<'_>) -> bool {
    kids.iter().any(|k| {
        let Some(b) = k.at.base.flatten().and_then(|i| base.children().get(i)) else {
            return false;
        };
        match &k.plan {
            Plan::Take(Ver::Side(_)) | Plan::Frame | Plan::Parts { .. } => false,
            Plan::Merge { kids, .. } => base_unfit(kids, &b.node),
            Plan::Take(Ver::Base) | Plan::Open(_) => !layout::reheadable(b),
        }
    })
}

/// Whether the children of the versions laid out line by line start at
/// one column: a mapping or list re-indented on one side (`  a:` against
/// `    a:`, `  - a` against `- a`) cannot have its children written side by
/// side from both versions, which YAML would read by their indentation
/// (data-integrity trial J: every way of resolving refused).
fn same_column(nodes: &[&Node<'_>]) -> bool {
    let column = |n: &&Node<'_>| -> Option<usize> {
        if n.layout() != Some(&Layout::Lines) {
            return None;
        }
        let rest = layout::split_lead(n.children().first()?.outer).1;
        Some(rest.len() - rest.trim_start_matches(' ').len())
    };
    let mut columns = nodes.iter().filter_map(column);
    let first = columns.next();
    columns.all(|c| Some(c) == first)
}

/// Whether every line [`Plan::Merge`]'s `kids` of the mapping `n` may
/// write is `side`'s own or can be written under another head (see
/// [`layout::reheadable`]): `side`'s lines can then frame them all. A kid
/// merged inside is not looked into: it stays with the section that holds
/// its lines.
fn fit_under(kids: &[Kid], n: &Nodes<'_, '_>, side: Side) -> bool {
    kids.iter().all(|k| {
        let c = k.children(n);
        let own = |v: Ver| v == Ver::Side(side) || v.of(&c).is_none_or(layout::reheadable);
        let sides = || own(Ver::Side(Side::Upstream)) && own(Ver::Side(Side::Stashed));
        match &k.plan {
            Plan::Take(v) => own(*v),
            Plan::Frame | Plan::Parts { .. } => sides(),
            Plan::Open(_) => sides() && own(Ver::Base),
            Plan::Merge { .. } => false,
        }
    })
}

/// The name of the next item of a merged sequence: its place in the merged
/// list, the items a side removed counted (each item's name is its own;
/// screens find it in each version through [`Kid::at`]).
fn next_index(kids: &[Kid]) -> usize {
    kids.len()
}

/// The items of a sequence merged three ways.
enum Seq {
    /// In one order.
    Kids(Vec<Kid>),
    /// In each side's order (both reordered): see [`ConflictKind::Order`].
    Orders(Sides<Vec<Kid>>),
}

/// What each side did to an ordered sequence, read against the base: the
/// three versions' items as tokens, each side's [`Edits`], and the items
/// each side moved (removed here, put back elsewhere).
struct SeqEdits {
    bt: Vec<String>,
    ut: Vec<String>,
    st: Vec<String>,
    eu: Edits,
    es: Edits,
    /// For each base item, where upstream put it back when it moved it.
    mu: Vec<Option<usize>>,
    /// Upstream's items that are base items it moved.
    back_u: HashSet<usize>,
    /// As `mu`, for the stash.
    ms: Vec<Option<usize>>,
    /// As `back_u`, for the stash.
    back_s: HashSet<usize>,
    /// The sequence is written on one line in all three versions.
    one_line: bool,
}

impl SeqEdits {
    /// Each side's edits of the base's items; `None` without a base or a
    /// side.
    fn of(n: &Nodes<'_, '_>) -> Option<SeqEdits> {
        let base = n.base.flatten()?;
        let (u, s) = (n.upstream?, n.stashed?);
        let tokens = |x: &Node<'_>| -> Vec<String> {
            x.children().iter().map(|c| token(&c.node.value)).collect()
        };
        let (bt, ut, st) = (tokens(base), tokens(u), tokens(s));
        let fields = |x: &Node<'_>| -> Vec<Option<HashSet<String>>> {
            x.children().iter().map(|c| fields(&c.node.value)).collect()
        };
        let (bf, uf, sf) = (fields(base), fields(u), fields(s));
        let mut eu = Edits::of(&bt, &ut, &|b, n| similar_items(&bf[b], &uf[n]));
        let mut es = Edits::of(&bt, &st, &|b, n| similar_items(&bf[b], &sf[n]));
        // An item one side edited in place into a value the other side put
        // in as a new item (keeping the base's): the same new item on both
        // sides, and the base's item removed on the first (`[1, 2]` to
        // `[1, 4]` against `[1, 2, 4]`: `[1, 4]`).
        let new_tokens = |e: &Edits, side: &[String]| -> HashSet<String> {
            e.inserts
                .iter()
                .flatten()
                .map(|&j| side[j].clone())
                .filter(|t| !bt.contains(t))
                .collect()
        };
        // Of a run of equal items a side removed some copies of: which
        // ones is no choice of its; the last ones, on both sides alike.
        eu.removed_last(&bt, &ut);
        es.removed_last(&bt, &st);
        // An edit read against the other side's removal where it could be
        // read as an edit of an item the other side kept.
        let (eu0, es0) = (eu.clone(), es.clone());
        eu.agree(&bt, &es0, &st, &|b, n| similar_items(&bf[b], &uf[n]));
        es.agree(&bt, &eu0, &ut, &|b, n| similar_items(&bf[b], &sf[n]));
        // Each side read against the other's edits as they stood before.
        let (eu0, es0) = (eu.clone(), es.clone());
        eu.realign(&bt, &ut, &es0, &st);
        es.realign(&bt, &st, &eu0, &ut);
        // In a list a side reordered, a value a side wrote by editing a base
        // item in place is new too: places there do not line up, and the
        // other side's edit of another item into the same value is the same
        // change (`[mix, bake, rest]` to `[mix, theta, rest]` and to `[rest,
        // theta, bake]`: `theta` once).
        let reordered = [(&eu, &ut), (&es, &st)]
            .iter()
            .any(|(e, side)| e.moves(&bt, side).0.iter().any(Option::is_some));
        let edited_tokens = |e: &Edits, side: &[String]| -> HashSet<String> {
            e.of_base
                .iter()
                .flatten()
                .map(|&j| side[j].clone())
                .filter(|t| reordered && !bt.contains(t))
                .collect()
        };
        let (new_u, new_s) = (
            &new_tokens(&eu, &ut) | &edited_tokens(&eu, &ut),
            &new_tokens(&es, &st) | &edited_tokens(&es, &st),
        );
        let (eu0, es0) = (eu.clone(), es.clone());
        eu.unedit(&bt, &ut, &new_s, &es0, &st);
        es.unedit(&bt, &st, &new_u, &eu0, &ut);
        // A new item both sides put in once each, at places apart only by
        // base items one of them took away from between: one place. (Read
        // after the above: an edit in place it undid is such an item.)
        let (new_u, new_s) = (new_tokens(&eu, &ut), new_tokens(&es, &st));
        for t in new_u.intersection(&new_s) {
            Edits::one_place(&mut eu, &ut, &mut es, &st, t);
        }
        let ((mu, back_u), (ms, back_s)) = (eu.moves(&bt, &ut), es.moves(&bt, &st));
        let one_line = [base, u, s].iter().all(|x| !x.text.contains('\n'));
        Some(SeqEdits {
            bt,
            ut,
            st,
            eu,
            es,
            mu,
            back_u,
            ms,
            back_s,
            one_line,
        })
    }

    /// True when an item one side moved (removed here, put back
    /// elsewhere) was moved too, removed or edited by the other side: no
    /// order or value can keep both changes. The sequence is a leaf: a
    /// decision, or git's.
    fn tangled(&self) -> bool {
        let SeqEdits {
            bt,
            ut,
            st,
            eu,
            es,
            mu,
            back_u,
            ms,
            back_s,
            one_line,
        } = self;
        // Where each side put in its new items (items it moved aside).
        let new_at =
            |e: &Edits, back: &HashSet<usize>, side: &[String]| -> HashMap<String, usize> {
                e.inserts
                    .iter()
                    .enumerate()
                    .flat_map(|(g, v)| v.iter().map(move |&j| (j, g)))
                    .filter(|(j, _)| !back.contains(j))
                    .map(|(j, g)| (side[j].clone(), g))
                    .collect()
            };
        let (nu, ns) = (new_at(eu, back_u, ut), new_at(es, back_s, st));
        // The same new item put in by each side at a different place: one
        // item (both sides changed it alike), where the places are no plain
        // places: among items the base repeats (which `1` of `[1, 1, 2]`
        // did it follow?) or a copy of one the base has; in a list written
        // on one line (which git's line merge conflicts on whole), among
        // items any version repeats (`[1, 2]` to `[4, 2, 2]` and `[1, 2,
        // 4]`); in a list a side reordered, whose places the other side's
        // do not line up with (`[a, b, c]` to `[a, b, c, z]` and `[z, a,
        // c, b]`); where the other side put in different items at the
        // same place (`[[1, 2], [3, 4]]` to `[.., [7, 8]]` and to `[[7, 8],
        // .., [1, 2]]`: git keeps no two copies there, its conflict holds
        // one of them against the other side's item; seed 328667). Else
        // two insertions, both kept, as git keeps them.
        let (in_base, anywhere) = (repeats(bt), [bt, ut, st].iter().any(|v| repeats(*v)));
        let (moved_u, moved_s) = (
            mu.iter().any(Option::is_some),
            ms.iter().any(Option::is_some),
        );
        let ambiguous =
            |t: &String| in_base || bt.contains(t) || (*one_line && anywhere) || moved_u || moved_s;
        let placed_apart = nu.iter().any(|(t, &g)| {
            ns.get(t)
                .is_some_and(|&h| h != g && (ambiguous(t) || self.clash(g) || self.clash(h)))
        });
        // Both sides moved items: whose order is the question.
        let both_moved = moved_u && moved_s;
        placed_apart
            || both_moved
            || (0..bt.len()).any(|i| {
                (mu[i].is_some() && (ms[i].is_some() || !es.kept(bt, st, i)))
                    || (ms[i].is_some() && !eu.kept(bt, ut, i))
            })
    }

    /// True when one side put back items it moved at place `g` and the
    /// other added new ones there: two changes, both kept (the moved items
    /// first).
    fn moved_and_added(&self, g: usize) -> bool {
        let (iu, is) = (&self.eu.inserts[g], &self.es.inserts[g]);
        !iu.is_empty()
            && !is.is_empty()
            && ((all_moved(iu, &self.back_u, true) && all_moved(is, &self.back_s, false))
                || (all_moved(iu, &self.back_u, false) && all_moved(is, &self.back_s, true)))
    }

    /// How many items both sides put at place `g` alike, at its start and
    /// (of the rest) at its end: one item each; only what lies between
    /// clashes (git's zdiff3 shows the same).
    fn alike(&self, g: usize) -> (usize, usize) {
        let (iu, is) = (&self.eu.inserts[g], &self.es.inserts[g]);
        let eq = |a: usize, b: usize| {
            self.ut[a] == self.st[b] && self.back_u.contains(&a) == self.back_s.contains(&b)
        };
        let head = iu.iter().zip(is).take_while(|(a, b)| eq(**a, **b)).count();
        let tail = iu[head..]
            .iter()
            .rev()
            .zip(is[head..].iter().rev())
            .take_while(|(a, b)| eq(**a, **b))
            .count();
        (head, tail)
    }

    /// True when both sides put different items at place `g`.
    fn clash(&self, g: usize) -> bool {
        let (head, tail) = self.alike(g);
        !self.moved_and_added(g)
            && self.eu.inserts[g].len() > head + tail
            && self.es.inserts[g].len() > head + tail
    }

    /// An item a side moved is the base's item at its new place, merged
    /// with the other side's (which kept it, maybe restyled): unless its
    /// new place is a clash of inserts, where it stays a new item. The
    /// side's item for each base item so placed.
    fn moved_to(&self, moved: &[Option<usize>], e: &Edits) -> HashMap<usize, usize> {
        let place: HashMap<usize, usize> = e
            .inserts
            .iter()
            .enumerate()
            .flat_map(|(g, v)| v.iter().map(move |&j| (j, g)))
            .collect();
        moved
            .iter()
            .enumerate()
            .filter_map(|(i, j)| Some((j.as_ref().copied()?, i)))
            .filter(|(j, _)| !self.clash(place[j]))
            .collect()
    }
}

/// True when every item of `v` is (`moved`) or is not (`!moved`) one the
/// side put back from elsewhere.
fn all_moved(v: &[usize], back: &HashSet<usize>, moved: bool) -> bool {
    v.iter().all(|j| back.contains(j) == moved)
}

/// What one side did to a sequence, base item by base item.
#[derive(Clone)]
struct Edits {
    /// For each base item, the side's item standing for it (kept, or
    /// replaced one for one); `None`: removed.
    of_base: Vec<Option<usize>>,
    /// For each place before base item `g` (and after the last), the side's
    /// new items there.
    inserts: Vec<Vec<usize>>,
}

impl Edits {
    /// Where this side put in the new item `t`: `(place, index among the
    /// items put in there)` of each copy.
    fn places_of(&self, side: &[String], t: &str) -> Vec<(usize, usize)> {
        self.inserts
            .iter()
            .enumerate()
            .flat_map(|(g, v)| {
                v.iter()
                    .enumerate()
                    .filter(|(_, &j)| side[j] == t)
                    .map(move |(p, _)| (g, p))
            })
            .collect()
    }

    /// The new item `t`, put in once by each side at places `g1 < g2`:
    /// where one side took away every base item between the two places
    /// (moved or removed) and put nothing else there, its two places are
    /// one, and its item goes to the other side's place (with the items it
    /// put in after it, or before it, so its own order stays): both sides
    /// then put the same item at one place, and it is written once. (`[a,
    /// b]` to `[a, b, x]` on one side and `[b, a, x]` on the other, read as
    /// `b` moved to the front and `x` put after `a`: `x` once, not twice.
    /// Found by the engine properties with a random seed.)
    fn one_place(eu: &mut Edits, ut: &[String], es: &mut Edits, st: &[String], t: &str) {
        let (pu, ps) = (eu.places_of(ut, t), es.places_of(st, t));
        let (&[(gu, iu)], &[(gs, is)]) = (pu.as_slice(), ps.as_slice()) else {
            return;
        };
        let (lo, hi) = (gu.min(gs), gu.max(gs));
        if gu == gs {
            return;
        }
        if es.cleared(lo, hi) {
            es.shift(gs, is, gu);
        } else if eu.cleared(lo, hi) {
            eu.shift(gu, iu, gs);
        }
    }

    /// True when this side took away every base item of `lo..hi` (moved or
    /// removed) and put nothing in between them: places `lo` and `hi` are
    /// one place on this side.
    fn cleared(&self, lo: usize, hi: usize) -> bool {
        (lo..hi).all(|b| self.of_base[b].is_none())
            && (lo + 1..hi).all(|g| self.inserts[g].is_empty())
    }

    /// Moves the item put in at `(from, index)` to place `to`, with the
    /// items this side put in on the way (after it going forward, before
    /// it going back), their order kept.
    fn shift(&mut self, from: usize, index: usize, to: usize) {
        if to > from {
            let moved: Vec<usize> = self.inserts[from].drain(index..).collect();
            self.inserts[to].splice(0..0, moved);
        } else {
            let moved: Vec<usize> = self.inserts[from].drain(..=index).collect();
            self.inserts[to].extend(moved);
        }
    }

    /// A base item `i` this side removed, with a value it put in near `i`'s
    /// place (only base items it removed between, nothing else put in
    /// there), where the other side edited `i` in place into that same
    /// value: this side edited `i` alike. (`[[1, 2], [3, 4]]` to `[[4]]`
    /// against `[[9, 2], [4]]`: `[3, 4]` became `[4]` on both sides; read as
    /// removed here and `[4]` new, picking theirs wrote `[4]` twice. Found
    /// by bench/props.py, seed 112691.)
    fn realign(&mut self, base: &[String], side: &[String], other: &Edits, other_side: &[String]) {
        for i in 0..base.len() {
            let Some(j) = other.of_base[i] else { continue };
            let v = &other_side[j];
            if self.of_base[i].is_some() || *v == base[i] || base.contains(v) {
                continue;
            }
            let places = self.places_of(side, v);
            let &[(g, p)] = places.as_slice() else {
                continue;
            };
            // Place `g` and item `i`'s own places are one place here.
            if !self.cleared(g.min(i), g.max(i + 1)) {
                continue;
            }
            let item = self.inserts[g][p];
            if g <= i {
                // Put in after it: now after base item `i`.
                let after: Vec<usize> = self.inserts[g].drain(p..).skip(1).collect();
                self.inserts[i + 1].splice(0..0, after);
            } else {
                // Put in before it: now before base item `i`.
                let before: Vec<usize> = self.inserts[g].drain(..=p).collect();
                self.inserts[i].extend(&before[..p]);
            }
            self.of_base[i] = Some(item);
        }
    }

    /// In each run of equal base items that this side kept some of as they
    /// are and removed the others (nothing put in between), the kept ones
    /// are the first: `[1, 1, 2]` to `[1, 2]` removed the second `1`.
    fn removed_last(&mut self, base: &[String], side: &[String]) {
        let mut r0 = 0;
        while r0 < base.len() {
            let mut r1 = r0 + 1;
            while r1 < base.len() && base[r1] == base[r0] {
                r1 += 1;
            }
            let inside_clear = (r0 + 1..r1).all(|g| self.inserts[g].is_empty());
            let kept: Vec<usize> = self.of_base[r0..r1].iter().flatten().copied().collect();
            let as_they_are = kept.iter().all(|&j| side[j] == base[r0]);
            if r1 - r0 > 1 && inside_clear && as_they_are && kept.len() < r1 - r0 {
                for (k, slot) in self.of_base[r0..r1].iter_mut().enumerate() {
                    *slot = kept.get(k).copied();
                }
            }
            r0 = r1;
        }
    }

    /// Base items this side edited in place into a value among `new`
    /// (the other side's new items) where the other side kept the base's
    /// item (in place or moved): removed here, the value put in as a new
    /// item at its place.
    fn unedit(
        &mut self,
        base: &[String],
        side: &[String],
        new: &HashSet<String>,
        other: &Edits,
        other_side: &[String],
    ) {
        // The other side's item for each base item, kept in place or moved.
        let other_ids = other.identities(base, other_side);
        for (i, b) in base.iter().enumerate() {
            let Some(j) = self.of_base[i] else { continue };
            let kept_there = other_ids[i].is_some_and(|k| other_side[k] == *b);
            if side[j] != *b && new.contains(&side[j]) && kept_there {
                self.of_base[i] = None;
                self.inserts[i].push(j);
            }
        }
    }

    /// Whether this side kept base item `i` as it was (in place).
    fn kept(&self, base: &[String], side: &[String], i: usize) -> bool {
        self.of_base[i].is_some_and(|j| side[j] == base[i])
    }

    /// A side item this side's diff paired with base item `i` (an edit in
    /// place) that shares as many fields with base item `k`, which this
    /// side removed and the other side kept as it was, where the other side
    /// removed `i`: it stands for `k` instead, when every base item between
    /// the two is removed here and nothing was put in between. Both sides
    /// then removed `i` alike and the edit of `k` is this side's alone;
    /// read the other way, the edit met the removal and was a conflict git's
    /// line merge does not have (Bob removed on ours; theirs' item after
    /// Alice shares Bob's name and Carol's email: Carol renamed; seed
    /// 362594).
    fn agree(
        &mut self,
        base: &[String],
        other: &Edits,
        other_side: &[String],
        similar: &dyn Fn(usize, usize) -> usize,
    ) {
        for i in 0..base.len() {
            let Some(j) = self.of_base[i] else { continue };
            if other.of_base[i].is_some() || similar(i, j) == 0 {
                continue;
            }
            let fits = |k: usize| {
                let (lo, hi) = (i.min(k), i.max(k));
                self.of_base[k].is_none()
                    && other.kept(base, other_side, k)
                    && similar(k, j) == similar(i, j)
                    && (lo + 1..hi).all(|m| self.of_base[m].is_none())
                    && self.inserts[lo + 1..=hi].iter().all(Vec::is_empty)
            };
            // Only where one such item does.
            if let [k] = (0..base.len())
                .filter(|&k| k != i && fits(k))
                .collect::<Vec<_>>()[..]
            {
                self.of_base[i] = None;
                self.of_base[k] = Some(j);
            }
        }
    }

    /// For each base item, where the side put it back when it moved it
    /// (removed it from its place and put the same item in elsewhere), and
    /// the side's items that put the moved ones back.
    fn moves(
        &self,
        base: &[String],
        side: &[String],
    ) -> (Vec<Option<usize>>, std::collections::HashSet<usize>) {
        let mut put: HashMap<&str, Vec<usize>> = HashMap::new();
        for &j in self.inserts.iter().flatten() {
            put.entry(side[j].as_str()).or_default().push(j);
        }
        let mut back = std::collections::HashSet::new();
        let moved = base
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if self.of_base[i].is_some() {
                    return None;
                }
                let j = put.get_mut(t.as_str()).and_then(Vec::pop)?;
                back.insert(j);
                Some(j)
            })
            .collect();
        (moved, back)
    }

    /// For each base item, the side's item that is it: kept, edited in
    /// place, or moved; `None`: removed.
    fn identities(&self, base: &[String], side: &[String]) -> Vec<Option<usize>> {
        let (moved, _) = self.moves(base, side);
        self.of_base
            .iter()
            .zip(moved)
            .map(|(k, m)| k.or(m))
            .collect()
    }

    /// `similar(b, n)`: how much base item `b` and side item `n` are one
    /// item edited, 0 when they are not (see [`similar_items`]).
    fn of(base: &[String], side: &[String], similar: &dyn Fn(usize, usize) -> usize) -> Edits {
        let mut e = Edits {
            of_base: vec![None; base.len()],
            inserts: vec![Vec::new(); base.len() + 1],
        };
        let in_base: HashSet<&str> = base.iter().map(String::as_str).collect();
        let in_side: HashSet<&str> = side.iter().map(String::as_str).collect();
        // A base item this side no longer has and a new item of the side
        // that share fields, each the other's only such match, are one item
        // to the diff (Carol renamed while Alice moved past her): an edit is
        // then not read as a removal and an insertion, which a line merge
        // of the same versions would not either.
        let mut copies: HashMap<&str, usize> = HashMap::new();
        for t in base {
            *copies.entry(t.as_str()).or_default() += 1;
        }
        let gone: Vec<usize> = (0..base.len())
            .filter(|&b| !in_side.contains(base[b].as_str()) && copies[base[b].as_str()] == 1)
            .collect();
        let new: Vec<usize> = (0..side.len())
            .filter(|&n| !in_base.contains(side[n].as_str()))
            .collect();
        let side_strs: Vec<&str> = side.iter().map(String::as_str).collect();
        let mut aligned = side_strs.clone();
        let mut paired = 0;
        // Past PAIRING pairs to weigh, no item is paired by its fields.
        let gone: &[usize] = if gone.len().saturating_mul(new.len()) > PAIRING {
            &[]
        } else {
            &gone
        };
        for &b in gone {
            if let [n] = new
                .iter()
                .copied()
                .filter(|&n| similar(b, n) > 0)
                .collect::<Vec<_>>()[..]
            {
                if gone.iter().filter(|&&g| similar(g, n) > 0).count() == 1 {
                    aligned[n] = base[b].as_str();
                    paired += 1;
                }
            }
        }
        let base_strs: Vec<&str> = base.iter().map(String::as_str).collect();
        let kept = |ops: &[DiffOp]| -> usize {
            ops.iter()
                .map(|op| match op {
                    DiffOp::Equal { len, .. } => *len,
                    _ => 0,
                })
                .sum()
        };
        let plain = crate::conflict::diff::items(&base_strs, &side_strs);
        let ops = if paired == 0 {
            plain
        } else {
            // Only where each pair stands in order with the items kept as
            // they are: a pair that would make another item move (Alice
            // renamed and put last against `[Alice, Bob]`) is a removal and
            // a new item, as the diff reads it.
            let with = crate::conflict::diff::items(&base_strs, &aligned);
            if kept(&with) >= kept(&plain) + paired {
                with
            } else {
                plain
            }
        };
        // Where the base stands after the ops so far: an insertion goes
        // there (similar can name an earlier place for an insertion that
        // follows an equal run after a deletion: `[1, 2]` to `[2, 2, 1]`
        // read as 1 removed, 2 kept, `2, 1` put in before the kept 2).
        let mut old_at = 0;
        for op in ops {
            old_at = old_at.max(op.old_range().end);
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        e.of_base[old_index + k] = Some(new_index + k);
                    }
                }
                DiffOp::Delete { .. } => {}
                DiffOp::Insert {
                    new_index, new_len, ..
                } => e.inserts[old_at].extend(new_index..new_index + new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    e.replaced(
                        base,
                        side,
                        [&in_base, &in_side],
                        similar,
                        (old_index, old_len),
                        (new_index, new_len),
                    );
                }
            }
        }
        e
    }

    /// A stretch of `old_len` base items at `old_index` the diff read as
    /// replaced by `new_len` side items at `new_index`: which of them are
    /// base items edited in place (and into which side item), which new.
    fn replaced(
        &mut self,
        base: &[String],
        side: &[String],
        [in_base, in_side]: [&HashSet<&str>; 2],
        similar: &dyn Fn(usize, usize) -> usize,
        (old_index, old_len): (usize, usize),
        (new_index, new_len): (usize, usize),
    ) {
        // Mappings that share fields (a `name` kept, an `email` changed)
        // are one item edited, in order.
        let gone: Vec<usize> = (old_index..old_index + old_len)
            .filter(|&b| !in_side.contains(base[b].as_str()))
            .collect();
        let new: Vec<usize> = (new_index..new_index + new_len)
            .filter(|&n| !in_base.contains(side[n].as_str()))
            .collect();
        let mut pairs = paired_in_order(&gone, &new, (old_index, new_index), similar);
        if pairs.is_empty() && old_len != new_len {
            // Items moved in or out of the stretch aside, as many gone as
            // new: edited in place, in order (`[prep, mix, rest]` to
            // `[gamma, rest, mix]`: `prep` edited into `gamma`, `rest`
            // moved; read as `prep` removed, both sides' alike edit of it
            // would be written twice).
            if gone.len() == new.len() {
                pairs.extend(gone.into_iter().zip(new));
            }
        }
        if !pairs.is_empty() {
            // Between those, gaps as long on both sides are items edited
            // in place, one for one.
            let mut bounds = vec![(old_index, new_index)];
            bounds.extend(pairs.iter().map(|&(b, n)| (b + 1, n + 1)));
            let mut ends: Vec<(usize, usize)> = pairs.clone();
            ends.push((old_index + old_len, new_index + new_len));
            for ((b0, n0), (b1, n1)) in bounds.into_iter().zip(ends) {
                if b1 - b0 == n1 - n0 {
                    for k in 0..b1 - b0 {
                        let (b, n) = (b0 + k, n0 + k);
                        if !in_side.contains(base[b].as_str())
                            && !in_base.contains(side[n].as_str())
                        {
                            pairs.push((b, n));
                        }
                    }
                }
            }
            pairs.sort_unstable();
            let mut next = pairs.iter().peekable();
            for n in new_index..new_index + new_len {
                while next.peek().is_some_and(|p| p.1 < n) {
                    next.next();
                }
                match next.peek() {
                    Some(&&(b, m)) if m == n => self.of_base[b] = Some(n),
                    Some(&&(b, _)) => self.inserts[b].push(n),
                    None => self.inserts[old_index + old_len].push(n),
                }
            }
        } else if old_len == new_len {
            // Edited in place, item for item; not an item the
            // side has elsewhere (moved away) or one the base
            // has elsewhere (moved here).
            for k in 0..old_len {
                let (b, n) = (old_index + k, new_index + k);
                if in_side.contains(base[b].as_str()) || in_base.contains(side[n].as_str()) {
                    self.inserts[b].push(n);
                } else {
                    self.of_base[b] = Some(n);
                }
            }
        } else {
            self.inserts[old_index].extend(new_index..new_index + new_len);
        }
    }
}

/// Whether some item comes twice.
fn repeats<T: Eq + std::hash::Hash>(items: impl IntoIterator<Item = T>) -> bool {
    let mut seen = HashSet::new();
    !items.into_iter().all(|t| seen.insert(t))
}

/// How many (base item, side item) pairs a list's items are weighed in to
/// find which are one item edited ([`similar_items`]; [`paired_in_order`]
/// keeps a table of them): past it, in a list both sides rewrote at
/// length, items are not paired by the fields they share and an edit in
/// place is read by position or as a removal and a new item, so that time
/// and memory stay bounded (20,000 items rewritten a side took 6 GB).
const PAIRING: usize = 1 << 20;

/// Base items `gone` paired with side items `new`, both in order, each pair
/// one item edited (`similar` above 0), so that the pairs share the most
/// fields in all: Bob given a new field pairs with Bob, not with Alice who
/// shares one field with him and was renamed into an item that shares none
/// with her. Between pairings that share as many, the one with more pairs
/// at the same place in the stretch (`at`: where the stretch starts in the
/// base and on the side): Carol whose email became Bob's old one pairs
/// with Carol, third in both, and Bob renamed is left to be edited in
/// place (bench/props.py seed 349035). Then the earlier pairs, as reading
/// in order does.
fn paired_in_order(
    gone: &[usize],
    new: &[usize],
    at: (usize, usize),
    similar: &dyn Fn(usize, usize) -> usize,
) -> Vec<(usize, usize)> {
    let (g, n) = (gone.len(), new.len());
    if g.saturating_mul(n) > PAIRING {
        return Vec::new();
    }
    let level = |i: usize, j: usize| gone[i] - at.0 == new[j] - at.1;
    // A pair's worth: the fields shared, then being level.
    let worth = |i: usize, j: usize| match similar(gone[i], new[j]) {
        0 => None,
        w => Some((w, usize::from(level(i, j)))),
    };
    let add = |(a, b): (usize, usize), (c, d): (usize, usize)| (a + c, b + d);
    // best[i][j]: the most worth pairing gone[i..] with new[j..].
    let mut best = vec![vec![(0usize, 0usize); n + 1]; g + 1];
    for i in (0..g).rev() {
        for j in (0..n).rev() {
            let with = worth(i, j).map_or((0, 0), |w| add(w, best[i + 1][j + 1]));
            best[i][j] = with.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < g && j < n {
        match worth(i, j) {
            Some(w) if add(w, best[i + 1][j + 1]) == best[i][j] => {
                pairs.push((gone[i], new[j]));
                (i, j) = (i + 1, j + 1);
            }
            _ if best[i][j + 1] == best[i][j] => j += 1,
            _ => i += 1,
        }
    }
    pairs
}

/// The side whose text frames a merged node (its key line, lead, brackets):
/// the one that alone changed that text, either when neither did; `None`
/// when both did or there is no base (the side that frames the output).
fn frame_side(u: &Child<'_>, s: &Child<'_>, base: Option<&Child<'_>>) -> Option<Side> {
    fn around<'a>(c: &Child<'a>) -> (&'a str, &'a str, Option<(&'a str, &'a str)>) {
        (c.prefix(), c.suffix(), flow_frame(&c.node))
    }
    if around(u) == around(s) {
        return Some(Side::Upstream);
    }
    Sides::new(around(u), around(s), Some(around(base?))).trivial()
}

/// The brackets of a flow node (its separators aside).
fn flow_frame<'a>(n: &Node<'a>) -> Option<(&'a str, &'a str)> {
    let p = crate::article::frontmatter::layout::flow_parts(n)?;
    Some((p.open, p.close))
}

/// What [`parts`] makes of a line both sides changed.
#[derive(Debug, PartialEq)]
enum PartsMerge {
    /// Not a leaf on a line of its own in every version (a mapping, a
    /// list, a flow item, a value a side removed): merged as a whole.
    Apart,
    /// Each part changed by one side at most: the line put together.
    Merged(Plan),
    /// A part both sides changed differently: a conflict.
    Clash,
}

/// A line both sides changed (no side kept the base's bytes), merged by
/// its parts: the bytes before the value (lead comments, key), the value,
/// the bytes after it (a comment on the line, its ending), each taken from
/// the side that changed it. The value part, changed on one side and only
/// rewritten on the other (quoting: equal to the base as data), is the
/// changer's; changed alike as data on both, the framing side's. Only a
/// leaf written on its own line(s) in all three versions (block YAML,
/// TOML key lines), the line layouts of whose parents agree.
fn parts(c: &Three<'_, '_>) -> PartsMerge {
    let (Some(u), Some(s), Some(Some(b))) = (c.upstream, c.stashed, c.base) else {
        return PartsMerge::Apart;
    };
    let lined =
        |x: &Child<'_>| matches!(x.node.kids, Kids::Leaf) && x.outer.ends_with('\n') && !x.section;
    if ![u, s, b].into_iter().all(lined) {
        return PartsMerge::Apart;
    }
    // The sides whose bytes of a part are the merge's: both where they
    // agree, else the one that changed it; none where both changed it.
    let takers = |get: for<'x> fn(&'x Child<'_>) -> &'x str| -> Option<[bool; 2]> {
        let (pu, ps, pb) = (get(u), get(s), get(b));
        match (pu == ps, pu == pb, ps == pb) {
            (true, _, _) => Some([true, true]),
            (_, _, true) => Some([true, false]),
            (_, true, _) => Some([false, true]),
            _ => None,
        }
    };
    // Before the value: without the indentation its parent gives its first
    // line (as `child` compares whole lines).
    let (Some(before), Some(after)) = (
        takers(|x| x.prefix().trim_start_matches(' ')),
        takers(|x| x.suffix()),
    ) else {
        return PartsMerge::Clash;
    };
    // The value: changed on one side and only rewritten on the other (its
    // quoting: equal to the base as data), the changer's; changed alike
    // as data, either (`None`: the framing side's).
    let value = match takers(|x| x.node.text) {
        Some(t) => Some(t),
        None => {
            let data = |x: &Child<'_>, y: &Child<'_>| {
                x.node.value == y.node.value && token(&x.node.value) == token(&y.node.value)
            };
            match (data(u, b), data(s, b), data(u, s)) {
                (true, false, _) => Some([false, true]),
                (false, true, _) => Some([true, false]),
                (_, _, true) => None,
                _ => return PartsMerge::Clash,
            }
        }
    };
    let side = |t: [bool; 2]| Ver::Side(if t[0] { Side::Upstream } else { Side::Stashed });
    // One side's line whole where its bytes serve for every part.
    for (k, x) in Side::BOTH.into_iter().enumerate() {
        if before[k] && after[k] && value.is_some_and(|v| v[k]) {
            return PartsMerge::Merged(Plan::Take(Ver::Side(x)));
        }
    }
    let (before, after) = (side(before), side(after));
    PartsMerge::Merged(match value {
        // Equal as data, the bytes around it alike on both sides: framed.
        None if before == after
            && u.suffix() == s.suffix()
            && u.prefix().trim_start_matches(' ') == s.prefix().trim_start_matches(' ') =>
        {
            Plan::Frame
        }
        value => Plan::Parts {
            before,
            value: value.map(side),
            after,
        },
    })
}

/// Why one side's version was taken.
fn one_side(side: Side, in_base: bool, in_side: bool) -> Worded {
    match (in_base, in_side) {
        (false, true) => worded!["only ", side, " added it"],
        (true, false) => worded!["only ", side, " removed it"],
        _ => worded!["only ", side, " changed it"],
    }
}

/// The keys of a merged mapping in order: the order of the side that
/// changed the order (upstream when neither did), with the other side's new
/// keys after the key they follow there; and whether the framing side's
/// order is to be used instead (both reordered, or no base to tell).
fn key_order(base: Option<&[String]>, u: &[String], s: &[String]) -> (Vec<String>, bool) {
    use std::collections::HashSet;
    let set = |v: &[String]| -> HashSet<String> { v.iter().cloned().collect() };
    let (in_u, in_s) = (set(u), set(s));
    let in_base = base.map(set);
    let reordered = |side: &[String], in_side: &HashSet<String>| -> bool {
        let (Some(base), Some(in_base)) = (base, &in_base) else {
            return false;
        };
        let common_side = side.iter().filter(|k| in_base.contains(*k));
        let common_base = base.iter().filter(|k| in_side.contains(*k));
        !common_side.eq(common_base)
    };
    let (ru, rs) = (reordered(u, &in_u), reordered(s, &in_s));
    let (primary, secondary) = if rs && !ru { (s, u) } else { (u, s) };
    // A key the secondary side put where it removed one goes past it.
    let in_secondary = set(secondary);
    let gone =
        |k: &String| in_base.as_ref().is_some_and(|b| b.contains(k)) && !in_secondary.contains(k);
    let mut order = crate::merge::compare::merge_order_past(primary, secondary, gone);
    // Keys only the base has (removed by both) are gone; a key one side
    // removed stays in the order: its plan drops it.
    order.retain(|k| in_u.contains(k) || in_s.contains(k));
    let by_frame = base.is_none() || (ru && rs);
    (order, by_frame)
}

impl Layout {
    /// True for [`Layout::Lines`].
    pub fn is_lines(&self) -> bool {
        matches!(self, Layout::Lines)
    }
}

/// The three layout trees and their merge.
#[derive(Clone, Debug)]
pub struct FrontmatterMerge<'a> {
    /// Each version's frontmatter tree (an empty mapping where a version
    /// has no frontmatter).
    pub roots: Sides<Node<'a>>,
    /// Their merge.
    pub merge: TreeMerge,
    /// Where items both sides put at one place conflict (asked once per
    /// part: a lookup, not a pass over every conflict).
    inserts: HashSet<KeyPath>,
}

/// The node of each version (`base`: `None` two ways, `Some(None)` where
/// the base lacks it).
pub type Nodes<'n, 'a> = Sides<Option<&'n Node<'a>>>;

impl<'a> FrontmatterMerge<'a> {
    /// The roots as [`Nodes`].
    pub fn nodes(&self) -> Nodes<'_, 'a> {
        Sides::new(
            Some(&self.roots.upstream),
            Some(&self.roots.stashed),
            self.roots.base.as_ref().map(Some),
        )
    }

    /// Whether the conflict at `path` is items both sides put at one place.
    pub fn inserts_at(&self, path: &KeyPath) -> bool {
        self.inserts.contains(path)
    }

    /// The new items both sides put at one place (the conflict at
    /// `path`), each side's in its order; `None` when that conflict is of
    /// another kind.
    pub fn inserted_items(&self, path: &KeyPath) -> Option<Sides<Vec<&Child<'a>>>> {
        let conflict = self.merge.conflicts.iter().find(|c| c.path == *path)?;
        let ConflictKind::Inserts(items) = &conflict.kind else {
            return None;
        };
        // The list in each version: down the plan from the root.
        let (_, parent) = path.segs().split_last()?;
        let mut nodes = self.nodes();
        let mut kids = &self.merge.kids;
        for seg in parent {
            let kid = kids.iter().find(|k| k.seg == *seg)?;
            nodes = sub_nodes(kid, &nodes);
            kids = match &kid.plan {
                Plan::Merge { kids, .. } => kids,
                _ => return None,
            };
        }
        let of = |s: Side| -> Vec<&Child<'a>> {
            items
                .get(s)
                .iter()
                .filter_map(|&i| nodes.get(s).and_then(|n| n.children().get(i)))
                .collect()
        };
        Some(Sides::new(of(Side::Upstream), of(Side::Stashed), None))
    }

    /// The children at `path` in each version.
    pub fn children_at(&self, path: &KeyPath) -> Sides<Option<&Child<'a>>> {
        Sides::new(
            self.roots.upstream.at(path),
            self.roots.stashed.at(path),
            self.roots.base.as_ref().map(|b| b.at(path)),
        )
    }
}

/// The frontmatter trees of `articles` and their merge; a version without
/// frontmatter is an empty mapping.
pub fn of_articles<'a>(
    articles: &Sides<Article<'a>>,
    strategy: &dyn Strategy,
) -> FrontmatterMerge<'a> {
    of_articles_after_git(articles, None, strategy)
}

/// [`of_articles`] of the three versions themselves, `git` the sides
/// rebuilt from git's line merge of them (see [`Merger::git_order`]).
pub fn of_articles_after_git<'a>(
    articles: &Sides<Article<'a>>,
    git: Option<&Sides<Article<'_>>>,
    strategy: &dyn Strategy,
) -> FrontmatterMerge<'a> {
    let empty = || Node {
        text: "",
        value: Value::Map(Default::default()),
        kids: Kids::Map(Layout::Lines, Vec::new()),
    };
    let roots = articles.as_ref().map(|a| a.tree().unwrap_or_else(empty));
    let merge = merge_after_git(roots.as_ref(), strategy, git);
    let inserts = merge
        .conflicts
        .iter()
        .filter(|c| matches!(c.kind, ConflictKind::Inserts(_)))
        .map(|c| c.path.clone())
        .collect();
    FrontmatterMerge {
        roots,
        merge,
        inserts,
    }
}

/// The nodes of a kid's children in each version.
pub fn sub_nodes<'n, 'a>(kid: &Kid, n: &Nodes<'n, 'a>) -> Nodes<'n, 'a> {
    let c = kid.children(n);
    let node = |c: Option<&'n Child<'a>>| c.map(|c| &c.node);
    Sides::new(node(c.upstream), node(c.stashed), c.base.map(node))
}

impl Kid {
    /// The child this kid stands for in each version of the nodes `n` of
    /// its parent (absent where a version has none).
    pub fn children<'n, 'a>(&self, n: &Nodes<'n, 'a>) -> Three<'n, 'a> {
        let pick = |x: Option<&'n Node<'a>>, i: Option<usize>| i.and_then(|i| x?.children().get(i));
        Sides::new(
            pick(n.upstream, self.at.upstream),
            pick(n.stashed, self.at.stashed),
            n.base.map(|b| pick(b, self.at.base.flatten())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::frontmatter::layout;
    use crate::article::{parse, Article, ArticleOptions};

    struct Tags;
    impl Strategy for Tags {
        fn seq_kind(&self, p: &KeyPath) -> SeqKind {
            if p.to_string() == "tags" {
                SeqKind::Set("union (default)".into())
            } else {
                SeqKind::Ordered
            }
        }
    }

    fn arts<'a>(b: &'a str, u: &'a str, s: &'a str) -> [Article<'a>; 3] {
        let o = ArticleOptions::default();
        [
            parse(b, &o).unwrap(),
            parse(u, &o).unwrap(),
            parse(s, &o).unwrap(),
        ]
    }

    fn run(b: &str, u: &str, s: &str) -> (TreeMerge, Vec<String>) {
        let [b, u, s] = arts(b, u, s);
        fn t<'a>(a: &Article<'a>) -> Node<'a> {
            layout::tree(a.frontmatter.as_ref().unwrap())
        }
        let (bt, ut, st) = (t(&b), t(&u), t(&s));
        let m = merge(Sides::new(&ut, &st, Some(&bt)), &Tags);
        let open = m.conflicts.iter().map(|c| c.path.to_string()).collect();
        (m, open)
    }

    /// The merged values, from the plan (conflicts: upstream's).
    fn eval(m: &TreeMerge, b: &str, u: &str, s: &str) -> Vec<String> {
        let [b, u, s] = arts(b, u, s);
        fn t<'a>(a: &Article<'a>) -> Node<'a> {
            layout::tree(a.frontmatter.as_ref().unwrap())
        }
        let (bt, ut, st) = (t(&b), t(&u), t(&s));
        let nodes = Sides::new(Some(&ut), Some(&st), Some(Some(&bt)));
        fn value(kids: &[Kid], n: &Nodes<'_, '_>, seq: bool) -> Vec<String> {
            let mut out = Vec::new();
            for k in kids {
                fn pick<'n, 'a>(
                    v: Option<&'n Node<'a>>,
                    i: Option<usize>,
                ) -> Option<&'n Child<'a>> {
                    i.and_then(|i| v?.children().get(i))
                }
                let three = Sides::new(
                    pick(n.upstream, k.at.upstream),
                    pick(n.stashed, k.at.stashed),
                    Some(pick(n.base.flatten(), k.at.base.flatten())),
                );
                let text = match &k.plan {
                    Plan::Take(v) => v.of(&three).map(|c| c.node.value.to_string()),
                    Plan::Open(_) | Plan::Frame => three.upstream.map(|c| c.node.value.to_string()),
                    Plan::Parts { value, .. } => value
                        .unwrap_or(Ver::Side(Side::Upstream))
                        .of(&three)
                        .map(|c| c.node.value.to_string()),
                    Plan::Merge { kids, .. } => {
                        let sub = Sides::new(
                            three.upstream.map(|c| &c.node),
                            three.stashed.map(|c| &c.node),
                            Some(three.base.flatten().map(|c| &c.node)),
                        );
                        let is_seq = three.upstream.is_some_and(|c| c.node.is_seq());
                        let inner = value(kids, &sub, is_seq).join(", ");
                        Some(if is_seq {
                            format!("[{inner}]")
                        } else {
                            format!("{{{inner}}}")
                        })
                    }
                };
                if let Some(t) = text {
                    out.push(match (&k.seg, seq) {
                        (Seg::Key(key), false) => format!("{key}: {t}"),
                        _ => t,
                    });
                }
            }
            out
        }
        value(&m.kids, &nodes, false)
    }

    fn took(m: &TreeMerge) -> Vec<String> {
        m.settled
            .iter()
            .map(|s| format!("{} {:?}", s.path, s.took))
            .collect()
    }

    #[test]
    fn inner_keys_changed_on_different_sides_settle() {
        let b = "+++\n[params]\nauthor = \"Nina\"\ntoc = true\n+++\n";
        let u = "+++\n[params]\nauthor = \"Nina K.\"\ntoc = true\n+++\n";
        let s = "+++\n[params]\nauthor = \"Nina\"\ntoc = false\n+++\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            took(&m),
            ["params.author Side(Upstream)", "params.toc Side(Stashed)"]
        );
    }

    #[test]
    fn a_base_section_nobody_writes_does_not_hold_a_table_made_dotted() {
        // The base's `[params.social]` cannot be written among dotted keys,
        // but theirs removed it and ours kept it as it was: it is written
        // nowhere, and the table merges key by key.
        let b = "+++\n[params]\nlevel = 1\n\n[params.social]\nsite = \"l\"\n+++\n";
        let u = "+++\nparams.mode = 6\nparams.level = 1\nparams.social = { site = \"l\" }\n+++\n";
        let s = "+++\n[params]\nlevel = 5\n+++\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["params: {mode: 6, level: 5}"]);
        // Where that child is left open (ours edited it, theirs removed
        // it), its base lines may be written (the base section of a
        // conflict): the table is one decision again.
        let u = "+++\nparams.mode = 6\nparams.level = 1\nparams.social = { site = \"m\" }\n+++\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["params"]);
        assert!(took(&m).is_empty(), "{:?}", took(&m));
    }

    #[test]
    fn a_table_with_a_subsection_frames_one_made_dotted() {
        // Ours' `[params.social]` section cannot go among dotted keys; every
        // line of theirs can go into ours' section: ours frames the table,
        // and only the value both changed is open.
        let b = "+++\n[params]\nauthor = \"Z\"\nsocial = { site = \"d\" }\n+++\n";
        let u = "+++\n[params]\nauthor = \"Z\"\nrole = \"B\"\n[params.social]\nsite = \"d\"\ncolor = true\n+++\n";
        let s = "+++\nparams.author = \"Y\"\nparams.social = { color = 'O', site = \"d\" }\n+++\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["params.social.color"]);
        let Plan::Merge { frame, .. } = &m.kids[0].plan else {
            panic!("{:?}", m.kids[0])
        };
        assert_eq!(*frame, Some(Side::Upstream));
        assert_eq!(
            took(&m),
            [
                "params.author Side(Stashed)",
                "params.role Side(Upstream)",
                "params.social.site Side(Upstream)"
            ]
        );
    }

    #[test]
    fn a_subsection_merged_inside_a_table_made_dotted_writes_no_base_line() {
        // Ours edited `site` in its `[params.social]` section, theirs made
        // `[params]` dotted keys and `social` an inline table with a new
        // key: social merges key by key inside ours' section, and the
        // base's section, which could not go among dotted keys, is not
        // written.
        let b = "+++\n[params]\na = 1\n\n[params.social]\nsite = \"g\"\n+++\n";
        let u = "+++\n[params]\na = 1\n\n[params.social]\nsite = \"k\"\n+++\n";
        let s = "+++\nparams.a = 1\nparams.social = { color = \"Z\", site = \"g\" }\n+++\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            eval(&m, b, u, s),
            ["params: {a: 1, social: {color: Z, site: k}}"]
        );
        // Where `site` is left open (both changed it), its base line is
        // one key line, which goes in any frame: only `site` is asked.
        let u = u.replace("\"k\"", "\"x\"");
        let s = s.replace("site = \"g\"", "site = \"y\"");
        let (_, open) = run(b, &u, &s);
        assert_eq!(open, ["params.social.site"]);
    }

    #[test]
    fn lists_merge_item_by_item_and_sets_as_sets() {
        let b = "---\nsteps: [mix, bake, serve]\ntags: [a, b, c]\n---\n";
        let u = "---\nsteps: [mix, bake, rest, serve]\ntags: [a, c, b]\n---\n";
        let s = "---\nsteps: [prep, mix, bake, serve]\ntags: [a, b, c, d]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        let Plan::Merge { kids, .. } = &m.kids[0].plan else {
            panic!("{:?}", m.kids[0])
        };
        let from: Vec<_> = kids.iter().map(|k| (k.at.upstream, k.at.stashed)).collect();
        assert_eq!(
            from,
            [
                (None, Some(0)),
                (Some(0), Some(1)),
                (Some(1), Some(2)),
                (Some(2), None),
                (Some(3), Some(3))
            ]
        );
        assert!(took(&m).contains(&"tags Merged".to_string()));
    }

    /// The open paths, then the merged values ([`eval`]), of the merge of
    /// `b`, `u`, `s` with `git`, the two sides rebuilt from git's line merge.
    fn run_after_git(b: &str, u: &str, s: &str, git: [&str; 2]) -> Vec<String> {
        let articles = {
            let [b, u, s] = arts(b, u, s);
            Sides::new(u, s, Some(b))
        };
        let o = ArticleOptions::default();
        let [gu, gs] = git.map(|g| parse(g, &o).unwrap());
        let git = Sides::new(gu, gs, None);
        let m = of_articles_after_git(&articles, Some(&git), &Tags);
        let mut out: Vec<String> = m
            .merge
            .conflicts
            .iter()
            .map(|c| c.path.to_string())
            .collect();
        out.extend(eval(&m.merge, b, u, s));
        out
    }

    #[test]
    fn new_items_both_sides_put_at_one_place_go_in_the_order_git_merged_them() {
        let b = "---\nsteps: [a, b]\n---\n";
        let u = "---\nsteps: [a, b, x]\n---\n";
        let s = "---\nsteps: [a, b, y]\n---\n";
        let clean = |order: &str| format!("---\nsteps: [a, b, {order}]\n---\n");
        // Both rebuilt sides hold both items, in one order: git's.
        for (order, want) in [
            ("x, y", "steps: [a, b, x, y]"),
            ("y, x", "steps: [a, b, y, x]"),
        ] {
            let got = run_after_git(b, u, s, [&clean(order), &clean(order)]);
            assert_eq!(got, [want], "{order}");
        }
        // A question wherever git did not merge them cleanly: each side's
        // own section holds its item alone, or the two read differently.
        for git in [
            [u, s],
            [&clean("x, y")[..], &clean("y, x")[..]],
            [&clean("x, y, x")[..], &clean("x, y, x")[..]],
        ] {
            let got = run_after_git(b, u, s, git);
            assert_eq!(got[0], "steps[2]", "{git:?}: {got:?}");
        }
        // Only items no other version holds: `b` is the base's.
        let got = run_after_git(
            b,
            "---\nsteps: [a, b, b]\n---\n",
            s,
            [&clean("b, y"), &clean("b, y")],
        );
        assert_eq!(got[0], "steps[2]", "{got:?}");
    }

    #[test]
    fn a_value_git_merged_cleanly_is_no_question() {
        // Ours removed `tags`, theirs moved it to the top and edited it:
        // removed against edited, but git's lines merged it (both dropped
        // the old line, theirs' new one is theirs alone), and a conflict
        // elsewhere leaves it in every side rebuilt from git's merge.
        let b = "---\ntitle: T\ntags: [a, b]\nname: n\n---\n";
        let u = "---\ntitle: T\nname: m\n---\n";
        let s = "---\ntags: [b]\ntitle: T\nname: o\n---\n";
        let git = |name: &str| format!("---\ntags: [b]\ntitle: T\nname: {name}\n---\n");
        let got = run_after_git(b, u, s, [&git("m"), &git("o")]);
        let open = |got: &[String]| -> Vec<String> {
            got.iter().filter(|l| !l.contains(": ")).cloned().collect()
        };
        assert_eq!(open(&got), ["name"], "{got:?}");
        assert!(got.contains(&"tags: [\"b\"]".to_owned()), "{got:?}");
        // Where git's sides differ there, or its merge is neither side's
        // value, the question stands.
        for g in [
            [git("m"), u.replace(": m", ": o")],
            [
                git("m").replace("[b]", "[c]"),
                git("o").replace("[b]", "[c]"),
            ],
        ] {
            let got = run_after_git(b, u, s, [&g[0], &g[1]]);
            assert_eq!(open(&got), ["tags", "name"], "{g:?}: {got:?}");
        }
        // A key git's merge has on neither side: the removal.
        let s2 = "---\ntitle: T\ntags: [c]\nname: o\n---\n";
        let got = run_after_git(b, u, s2, [u, &u.replace(": m", ": o")]);
        assert_eq!(open(&got), ["name"], "{got:?}");
        assert!(!got.iter().any(|l| l.starts_with("tags")), "{got:?}");
    }

    #[test]
    fn inserts_at_one_place_and_a_scalar_both_changed_conflict() {
        let b = "---\nsteps: [a, b]\ntitle: T\n---\n";
        let u = "---\nsteps: [a, x, b]\ntitle: U\n---\n";
        let s = "---\nsteps: [a, y, b]\ntitle: S\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["steps[1]", "title"]);
        assert!(matches!(m.conflicts[0].kind, ConflictKind::Inserts(_)));
        // Each side's new items, for the question.
        let [ba, ua, sa] = arts(b, u, s);
        let fm = of_articles(&Sides::new(ua, sa, Some(ba)), &Tags);
        let items = fm.inserted_items(&KeyPath::parse("steps[1]")).unwrap();
        let values = |xs: &Vec<&Child<'_>>| -> Vec<String> {
            xs.iter().map(|c| c.node.value.display()).collect()
        };
        assert_eq!(values(&items.upstream), ["x"]);
        assert_eq!(values(&items.stashed), ["y"]);
        assert!(fm.inserted_items(&KeyPath::parse("title")).is_none());
    }

    #[test]
    fn items_of_a_list_of_mappings_are_edited_in_place() {
        let b = "---\nauthors:\n  - {name: A, email: a@old}\n  - {name: B, email: b@old}\n---\n";
        let u = "---\nauthors:\n  - {name: A, email: a@old}\n  - {name: B, email: b@new}\n---\n";
        let s = "---\nauthors:\n  - {name: A, email: a@new}\n  - {name: B, email: b@old}\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            took(&m),
            ["authors[0] Side(Stashed)", "authors[1] Side(Upstream)"]
        );
    }

    #[test]
    fn an_item_edited_in_place_pairs_with_the_base_item_it_shares_most_with() {
        // Ours renames Alice (every field changed) and adds a field to Bob;
        // Bob shares one field with Alice's base item and two with his own:
        // he is Bob edited, not Alice edited with Bob removed (seed 326749).
        let b = "---\nauthors:\n  - {name: Alice, email: d}\n  - {name: Bob, email: d}\n---\n";
        let u =
            "---\nauthors:\n  - {name: l, email: g}\n  - {name: Bob, level: z, email: d}\n---\n";
        let s = "---\nauthors:\n  - {name: t, email: d}\n  - {name: Bob, email: d}\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["authors[0].name"]);
        assert_eq!(
            took(&m),
            [
                "authors[0].email Side(Upstream)",
                "authors[1] Side(Upstream)"
            ]
        );
    }

    #[test]
    fn a_new_item_both_sides_put_at_different_places_is_one_placed_by_a_choice() {
        let b = "---\nm:\n  - [1, 2]\n  - [3, 4]\n---\n";
        let u = "---\nm:\n  - [1, 2]\n  - [3, 4]\n  - [7, 8]\n---\n";
        let s = "---\nm:\n  - [7, 8]\n  - [1, 2]\n  - [3, 4]\n  - [1, 2]\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["m"]);
        let ConflictKind::Order(orders) = &m.conflicts[0].kind else {
            panic!("{:?}", m.conflicts[0].kind);
        };
        // Each side's order holds the row once.
        for kids in [&orders.upstream, &orders.stashed] {
            assert_eq!(kids.len(), 4);
        }
    }

    #[test]
    fn an_item_pairs_with_the_one_at_its_place_when_it_shares_as_much() {
        // Ours renames Bob (dropping his email) and gives Carol Bob's old
        // email; Carol's new item shares one field with each of Bob and
        // Carol: she is Carol, third in both (seed 349035).
        let b = "---\nauthors:\n  - {name: A, email: o}\n  - {name: Bob, email: k}\n  - {name: Carol, email: b}\n---\n";
        let u = "---\nauthors:\n  - {name: A, email: o}\n  - {name: beta}\n  - {name: Carol, email: k}\n---\n";
        let s = "---\nauthors:\n  - {name: A, email: o}\n  - {name: Bob, email: k}\n  - {name: Carol, email: o}\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["authors[2].email"]);
        assert_eq!(took(&m), ["authors[1] Side(Upstream)"]);
    }

    #[test]
    fn an_item_pairs_with_the_one_the_other_side_kept_when_it_shares_as_much() {
        // Ours removes Bob; theirs' one item after Alice shares the name
        // with Bob and the email with Carol, and is read as Carol renamed
        // (Bob removed alike on both sides), not as Bob edited against
        // ours' removal, a conflict git's merge does not have (seed 362594).
        let b = "---\nauthors:\n  - {name: A, email: g}\n  - {name: Bob, email: b}\n  - {name: Carol, email: o}\n---\n";
        let u = "---\nauthors:\n  - {name: A, email: g}\n  - {name: Carol, email: o}\n---\n";
        let s = "---\nauthors:\n  - {name: A, email: g}\n  - {name: Bob, email: o}\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            eval(&m, b, u, s),
            ["authors: [{\"name\":\"A\",\"email\":\"g\"}, {\"name\":\"Bob\",\"email\":\"o\"}]"]
        );
        // Where the other side did not keep that item as it was, the item
        // at its place stands.
        let u2 = "---\nauthors:\n  - {name: A, email: g}\n  - {name: Carol, email: z}\n---\n";
        let (_, open) = run(b, u2, s);
        assert!(!open.is_empty(), "{open:?}");
    }

    #[test]
    fn a_key_moved_on_one_side_and_edited_beside_it() {
        let b = "---\ntitle: t\na: 1\nb: 2\nc: 3\nk: v\n---\n";
        let u = "---\nk: v\ntitle: t\na: 1\nb: 2\nc: 3\n---\n";
        let s = "---\ntitle: t\na: 1\nb: 2\nc: 30\nk: v\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty());
        let order: Vec<String> = m.kids.iter().map(|k| format!("{:?}", k.seg)).collect();
        assert_eq!(order[0], "Key(\"k\")");
        assert_eq!(took(&m), ["c Side(Stashed)"]);
    }

    #[test]
    fn repeated_items_and_nested_lists_are_sequences() {
        let b = "---\nscores: [1, 1, 2]\nmatrix: [[1, 2], [3, 4]]\n---\n";
        let u = "---\nscores: [1, 1, 2, 3]\nmatrix: [[1, 2], [3, 4, 5]]\n---\n";
        let s = "---\nscores: [1, 2]\nmatrix: [[1, 9], [3, 4]]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            eval(&m, b, u, s),
            ["scores: [1, 2, 3]", "matrix: [[1,9], [3,4,5]]"]
        );
    }

    #[test]
    fn both_moved_an_item_alike_and_one_also_added() {
        let b = "---\nres: [a, b]\n---\n";
        let u = "---\nres: [b, a, zeta]\n---\n";
        let s = "---\nres: [b, a]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["res: [b, a, zeta]"]);
        // The other side removed an item instead: removed.
        let s = "---\nres: [b]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["res: [b, zeta]"]);
    }

    #[test]
    fn items_moved_on_both_sides_are_followed_by_who_they_are() {
        // Ours moved b first and put c2 for c (edited in place); theirs
        // moved b last as b2: b is removed there, b2 new. Each side's change
        // is kept, the new items after the item they follow (b2 after c).
        let b = "---\nl: [a, b, c]\n---\n";
        let u = "---\nl: [b, a, c2]\n---\n";
        let s = "---\nl: [a, c, b2]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["l: [a, c2, b2]"]);
        // Both moved d, to different places, and ours added e: whose order
        // is a decision, e kept in either.
        let b = "---\nl: [a, b, c, d]\n---\n";
        let u = "---\nl: [d, a, b, c, e]\n---\n";
        let s = "---\nl: [a, b, d, c]\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["l"]);
        let ConflictKind::Order(orders) = &m.conflicts[0].kind else {
            panic!("{:?}", m.conflicts[0].kind)
        };
        let at = |kids: &[Kid]| -> Vec<_> {
            kids.iter().map(|k| (k.at.upstream, k.at.stashed)).collect()
        };
        assert_eq!(
            at(&orders.upstream),
            [
                (Some(0), Some(2)),
                (Some(1), Some(0)),
                (Some(2), Some(1)),
                (Some(3), Some(3)),
                (Some(4), None)
            ]
        );
        assert_eq!(
            at(&orders.stashed),
            [
                (Some(1), Some(0)),
                (Some(2), Some(1)),
                (Some(0), Some(2)),
                (Some(3), Some(3)),
                (Some(4), None)
            ]
        );
    }

    #[test]
    fn mappings_sharing_fields_are_one_item_edited() {
        let b = "---\nauthors: [{name: A, email: a}, {name: B, email: b}]\n---\n";
        let u = "---\nauthors: [{name: A, email: a}, {name: B, email: k}]\n---\n";
        let s = "---\nauthors: [{name: B, email: z, color: c}]\n---\n";
        let (_, open) = run(b, u, s);
        // Named by its place in the merged list, A (removed) counted.
        assert_eq!(open, ["authors[1].email"]);
        // Beside an item that shares fields, one that shares none is
        // still the item at its place edited.
        let u = "---\nauthors: [{name: A, email: x}, {name: B, email: x}]\n---\n";
        let s = "---\nauthors: [{name: L, email: z}, {name: B, email: l}]\n---\n";
        let (_, open) = run(b, u, s);
        assert_eq!(open, ["authors[0].email", "authors[1].email"]);
    }

    #[test]
    fn an_item_moved_on_one_side_is_merged_with_the_other_sides() {
        // Theirs moved c before b; ours edited a and re-quoted c: c,
        // re-quoted, where theirs put it.
        let b = "---\nl: [a, b, c]\n---\n";
        let u = "---\nl: [a2, b, 'c']\n---\n";
        let s = "---\nl: [a, c, b]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        let Plan::Merge { kids, .. } = &m.kids[0].plan else {
            panic!("{:?}", m.kids[0])
        };
        let from: Vec<_> = kids
            .iter()
            .map(|k| (k.at.upstream, k.at.stashed, k.plan.clone()))
            .collect();
        assert_eq!(
            from,
            [
                (Some(0), Some(0), Plan::Take(Ver::Side(Side::Upstream))),
                (Some(2), Some(1), Plan::Take(Ver::Side(Side::Upstream))),
                (Some(1), Some(2), Plan::Take(Ver::Side(Side::Upstream))),
            ]
        );
    }

    #[test]
    fn the_same_item_put_in_by_both_sides_at_different_places_is_one() {
        let b = "---\nl: [1, 1, 2]\n---\n";
        let u = "---\nl: [1, 4, 1, 2]\n---\n";
        let s = "---\nl: [1, 1, 4, 2]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["l: [1, 4, 1, 2]"]);
    }

    #[test]
    fn repeated_items_removed_on_each_side() {
        let b = "---\nl: [1, 1, 2]\nt: x\n---\n";
        let u = "---\nl: [1, 2]\nt: y\n---\n";
        let s = "---\nl: [1, 1]\nt: x\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["l: [1]", "t: y"]);
    }

    #[test]
    fn items_both_sides_put_in_alike_at_one_place_are_one() {
        let b = "---\nl: [a]\n---\n";
        let (m, open) = run(b, "---\nl: [a, k, z]\n---\n", "---\nl: [a, k]\n---\n");
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(
            eval(&m, b, "---\nl: [a, k, z]\n---\n", "---\nl: [a, k]\n---\n"),
            ["l: [a, k, z]"]
        );
        // Only what lies between the alike ones clashes.
        let (_, open) = run(
            b,
            "---\nl: [a, k, x, e]\n---\n",
            "---\nl: [a, k, y, e]\n---\n",
        );
        assert_eq!(open, ["l[2]"]);
    }

    #[test]
    fn an_item_edited_into_what_the_other_side_added_is_one_item() {
        let b = "---\nl: [1, 1, 2]\n---\n";
        let u = "---\nl: [1, 1, 2, 4]\n---\n";
        let s = "---\nl: [1, 1, 4]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["l: [1, 1, 4]"]);
    }

    #[test]
    fn a_key_one_side_moved_and_the_other_removed_is_removed() {
        let b = "{\n  \"title\": \"T\",\n  \"draft\": false,\n  \"tags\": [\"a\"],\n  \"steps\": [\"m\"]\n}\n";
        let u = "{\n  \"tags\": [\"a\"],\n  \"title\": \"T\",\n  \"draft\": false,\n  \"steps\": [\"m\"]\n}\n";
        let s = "{\n  \"title\": \"T\",\n  \"draft\": false,\n  \"steps\": [\"m\", \"s\"]\n}\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(took(&m), ["tags Side(Stashed)", "steps Side(Stashed)"]);
    }

    #[test]
    fn a_copy_of_an_item_added_by_both_sides_at_different_places_is_one() {
        let (m, _) = run(
            "---\nm: [1, 2]\n---\n",
            "---\nm: [1, 2, 1]\n---\n",
            "---\nm: [1, 1, 2]\n---\n",
        );
        let got = eval(
            &m,
            "---\nm: [1, 2]\n---\n",
            "---\nm: [1, 2, 1]\n---\n",
            "---\nm: [1, 1, 2]\n---\n",
        );
        // Each side has two copies of `1`: so has the result, one `2`.
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].matches('1').count(), got[0].matches('2').count()),
            (2, 1),
            "{got:?}"
        );
    }

    #[test]
    fn each_side_removing_one_copy_of_a_repeated_item_removes_one() {
        let b = "---\nl: [1, 1, 2]\n---\n";
        let u = "---\nl: [1, 2]\n---\n";
        let s = "---\nl: [7, 1, 2]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["l: [7, 1, 2]"]);
    }

    /// Ours takes out the row `[1, 2]` and writes `[4]` for `[3, 4]`
    /// (a diff reads: both removed, `[4]` new); theirs edits both rows in
    /// place, `[3, 4]` into `[4]` too: that row changed alike, once.
    #[test]
    fn an_item_removed_with_the_value_the_other_side_edited_it_into_is_that_edit() {
        let b = "---\nm:\n  - [1, 2]\n  - [3, 4]\n---\n";
        let u = "---\nm:\n  - [4]\n---\n";
        let s = "---\nm:\n  - [9, 2]\n  - [4]\n---\n";
        let (m, open) = run(b, u, s);
        assert_eq!(open, ["m[0]"]);
        assert_eq!(eval(&m, b, u, s), ["m: [[4]]"]);
    }

    /// Ours edits `bake` into `theta` in place; theirs moves `rest` first
    /// and writes `theta` where `mix` stood: one new value both sides put
    /// in, once (it was written twice, `steps[1]` and `steps[2]`).
    #[test]
    fn a_value_both_sides_edited_different_items_into_in_a_reordered_list_is_one() {
        let b = "---\nsteps: [mix, bake, rest]\n---\n";
        let u = "---\nsteps: [mix, theta, rest]\n---\n";
        let s = "---\nsteps: [rest, theta, bake]\n---\n";
        let (m, open) = run(b, u, s);
        assert!(open.is_empty(), "{open:?}");
        assert_eq!(eval(&m, b, u, s), ["steps: [rest, theta]"]);
    }
}
