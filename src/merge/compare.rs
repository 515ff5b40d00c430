//! The field-aware differ: compares two articles part by part.
//!
//! Parts are each top-level frontmatter key (compared as YAML data, so quoting
//! alone is no change), the body (line diff) and the related links (by URL).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::time::Duration;

use indexmap::IndexMap;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::article::frontmatter::layout::KeyPath;
use crate::article::{Article, LinkItem};
use crate::conflict::sides::{Side, Sides};

/// A differ deadline: past it `similar` falls back to a coarser diff, so a
/// rewritten multi-megabyte body still compares in bounded time.
pub const DIFF_DEADLINE: Duration = Duration::from_millis(300);

/// One resolvable part of an article.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase", tag = "part", content = "key")]
pub enum Part {
    /// A frontmatter value: a top-level key, or a value inside one
    /// (`params.author`, `authors[1]`).
    Key(KeyPath),
    /// The body between frontmatter and related links.
    Body,
    /// The related-links section.
    Links,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Key(k) => write!(f, "{k}"),
            Part::Body => f.write_str("body"),
            Part::Links => f.write_str("links"),
        }
    }
}

/// How a part differs between the two sides.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Equal as data on both sides.
    Same,
    /// Present on both sides with different values.
    Changed,
    /// Present only upstream.
    OnlyUpstream,
    /// Present only in the stash.
    OnlyStashed,
}

impl Change {
    /// True unless [`Change::Same`].
    pub fn differs(self) -> bool {
        self != Change::Same
    }

    fn of<T>(up: Option<T>, st: Option<T>, eq: impl FnOnce(&T, &T) -> bool) -> Change {
        match (up, st) {
            (Some(a), Some(b)) if eq(&a, &b) => Change::Same,
            (Some(_), Some(_)) => Change::Changed,
            (Some(_), None) => Change::OnlyUpstream,
            (None, Some(_)) => Change::OnlyStashed,
            (None, None) => Change::Same,
        }
    }
}

/// The comparison of one frontmatter key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyDiff {
    /// The key, or the path of a value inside one.
    pub key: KeyPath,
    /// How it differs.
    pub change: Change,
    /// For mapping or JSON values: dotted paths of the inner keys that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inner: Vec<String>,
    /// Where the value is in each version (`None`: not there): an item's
    /// place differs where a side put items before it. [`KeyDiff::key`]
    /// names it as the merge does.
    #[serde(skip)]
    pub at: Sides<Option<KeyPath>>,
}

impl KeyDiff {
    /// The value's path in `side`'s version.
    pub fn path_on(&self, side: Side) -> Option<&KeyPath> {
        self.at.get(side).as_ref()
    }

    /// The value's path in the base (`None`: no base, or not there).
    pub fn base_path(&self) -> Option<&KeyPath> {
        self.at.base.as_ref()?.as_ref()
    }
}

/// The comparison of the bodies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BodyDiff {
    /// Same or changed.
    pub change: Change,
    /// Lines only in the stashed body.
    pub added: usize,
    /// Lines only in the upstream body.
    pub removed: usize,
    /// Number of changed regions.
    pub hunks: usize,
    /// False when only `change` was computed ([`compare_parts`]): the
    /// counts are then zero and a view must count them itself.
    #[serde(skip)]
    pub counted: bool,
}

/// How one related link differs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkStatus {
    /// Same URL and title on both sides.
    Both,
    /// Same URL, different title.
    Retitled,
    /// Only upstream has it.
    OnlyUpstream,
    /// Only the stash has it.
    OnlyStashed,
}

/// One related link, by URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkDiff {
    /// The URL.
    pub url: String,
    /// How it differs.
    pub status: LinkStatus,
    /// Upstream's title, when upstream has the link.
    pub upstream_title: Option<String>,
    /// The stash's title, when the stash has the link.
    pub stashed_title: Option<String>,
}

/// The comparison of the related-links sections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinksDiff {
    /// How the sections differ as a whole (order and titles count).
    pub change: Change,
    /// Every link of both sides, upstream order first, stashed additions after.
    pub links: Vec<LinkDiff>,
}

/// The part-by-part comparison of two articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Every frontmatter key of both sides, in merged order, by key
    /// (written as a list in `--json`).
    #[serde(serialize_with = "values_as_list")]
    pub keys: IndexMap<KeyPath, KeyDiff>,
    /// The body.
    pub body: BodyDiff,
    /// The related links.
    pub links: LinksDiff,
}

fn values_as_list<S: serde::Serializer>(
    keys: &IndexMap<KeyPath, KeyDiff>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(keys.values())
}

impl Comparison {
    /// Where the value the merge names `key` is in `side`'s version (`key`
    /// itself for a key not compared).
    pub fn path_on(&self, key: &KeyPath, side: Side) -> Option<KeyPath> {
        match self.keys.get(key) {
            Some(k) => k.path_on(side).cloned(),
            None => Some(key.clone()),
        }
    }

    /// The value the merge names `key`, as `side`'s version has it.
    pub fn value_on<'a>(
        &self,
        articles: &'a Sides<Article<'_>>,
        key: &KeyPath,
        side: Side,
    ) -> Option<&'a crate::article::Value> {
        articles.get(side).value_at(&self.path_on(key, side)?)
    }

    /// The value's entry (its lines) in each version.
    pub fn entries_at<'a>(
        &self,
        articles: &Sides<Article<'a>>,
        key: &KeyPath,
    ) -> Sides<Option<crate::article::Entry<'a>>> {
        let base = match self.keys.get(key) {
            Some(k) => k.base_path().cloned(),
            None => Some(key.clone()),
        };
        Sides::new(
            self.path_on(key, Side::Upstream)
                .and_then(|p| articles.upstream.entry_at(&p)),
            self.path_on(key, Side::Stashed)
                .and_then(|p| articles.stashed.entry_at(&p)),
            articles
                .base
                .as_ref()
                .map(|b| base.and_then(|p| b.entry_at(&p))),
        )
    }

    /// The parts that differ, in the order a user is asked about them.
    pub fn differing(&self) -> impl Iterator<Item = Part> + '_ {
        let keys = self
            .keys
            .values()
            .filter(|k| k.change.differs())
            .map(|k| Part::Key(k.key.clone()));
        let body = self.body.change.differs().then_some(Part::Body);
        let links = self.links.change.differs().then_some(Part::Links);
        keys.chain(body).chain(links)
    }

    /// The change of one part.
    pub fn change(&self, part: &Part) -> Change {
        match part {
            Part::Key(k) => self.keys.get(k).map_or(Change::Same, |k| k.change),
            Part::Body => self.body.change,
            Part::Links => self.links.change,
        }
    }
}

/// Merges two orders: `primary` as it is, each item only in `secondary`
/// inserted after the item that precedes it in `secondary`.
///
/// Linear: items only in `secondary` are gathered in one slot per gap of
/// `primary` (slot `i` goes right before `primary[i]`), then interleaved.
pub fn merge_order<T: Eq + Hash + Clone>(primary: &[T], secondary: &[T]) -> Vec<T> {
    merge_order_past(primary, secondary, |_| false)
}

/// [`merge_order`], where an item new in `secondary` that follows an item
/// of `primary` goes past the primary items right after it that `gone`
/// says the secondary side removed: from that side's view they are not
/// between the two, and a key put where one was removed stays beside what
/// it replaced rather than splitting what the other side kept.
pub fn merge_order_past<T: Eq + Hash + Clone>(
    primary: &[T],
    secondary: &[T],
    gone: impl Fn(&T) -> bool,
) -> Vec<T> {
    let mut in_primary: HashMap<&T, usize> = HashMap::with_capacity(primary.len());
    for (i, t) in primary.iter().enumerate() {
        in_primary.entry(t).or_insert(i);
    }
    let mut slots: Vec<Vec<T>> = vec![Vec::new(); primary.len() + 1];
    let mut inserted: HashMap<&T, usize> = HashMap::new(); // item -> its slot
    let (mut slot, mut at) = (0, 0);
    for item in secondary {
        if let Some(&p) = in_primary.get(item) {
            (slot, at) = (p + 1, 0);
            while primary.get(slot).is_some_and(&gone) {
                slot += 1;
            }
        } else if let Some(&s) = inserted.get(item) {
            // A repeated item: go on right after its first copy.
            let i = slots[s].iter().position(|o| o == item).expect("recorded");
            (slot, at) = (s, i + 1);
        } else {
            slots[slot].insert(at, item.clone());
            inserted.insert(item, slot);
            at += 1;
        }
    }
    let mut out = Vec::with_capacity(primary.len() + inserted.len());
    for (i, group) in slots.into_iter().enumerate() {
        out.extend(group);
        if let Some(p) = primary.get(i) {
            out.push(p.clone());
        }
    }
    out
}

/// The keys of an article's frontmatter, in order.
pub fn keys<'a>(a: &'a Article<'_>) -> Vec<&'a str> {
    a.keys().collect()
}

/// The links of an article.
pub fn links<'b, 'a>(a: &'b Article<'a>) -> &'b [LinkItem<'a>] {
    a.links()
}

/// Compares the frontmatter keys of two articles.
pub fn compare_keys(up: &Article<'_>, st: &Article<'_>) -> Vec<KeyDiff> {
    let order = merge_order(&keys(up), &keys(st));
    let entry = |a: &Article<'_>, k: &str| a.value(k).cloned();
    order
        .into_iter()
        .map(|key| {
            let (a, b) = (entry(up, key), entry(st, key));
            let inner = match (&a, &b) {
                (Some(a), Some(b)) if a != b => a.inner_differences(b),
                _ => Vec::new(),
            };
            let path = KeyPath::key(key);
            KeyDiff {
                at: Sides::new(
                    Some(path.clone()),
                    Some(path.clone()),
                    Some(Some(path.clone())),
                ),
                key: path,
                change: Change::of(a, b, |a, b| a == b),
                inner,
            }
        })
        .collect()
}

/// Line diff of two bodies with the deadline applied.
pub fn line_diff<'a>(a: &'a str, b: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_lines(a, b)
}

/// Compares two bodies by lines.
pub fn compare_body(a: &str, b: &str) -> BodyDiff {
    if a == b {
        return BodyDiff {
            change: Change::Same,
            added: 0,
            removed: 0,
            hunks: 0,
            counted: true,
        };
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (
        a.split_inclusive('\n').collect(),
        b.split_inclusive('\n').collect(),
    );
    if !share_a_line(&la, &lb) {
        // Rewritten from scratch: one hunk, every line out and in.
        return BodyDiff {
            change: Change::Changed,
            added: lb.len(),
            removed: la.len(),
            hunks: 1,
            counted: true,
        };
    }
    let diff = line_diff(a, b);
    let (mut added, mut removed) = (0, 0);
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            match change.tag() {
                ChangeTag::Insert => added += 1,
                ChangeTag::Delete => removed += 1,
                ChangeTag::Equal => {}
            }
        }
    }
    BodyDiff {
        change: Change::Changed,
        added,
        removed,
        hunks: diff.grouped_ops(0).len(),
        counted: true,
    }
}

/// The title of each URL's first item.
fn titles<'a>(list: &[LinkItem<'a>]) -> HashMap<&'a str, &'a str> {
    let mut m = HashMap::with_capacity(list.len());
    for l in list {
        m.entry(l.url).or_insert(l.title);
    }
    m
}

/// Compares the related links by URL.
pub fn compare_links(up: &Article<'_>, st: &Article<'_>) -> LinksDiff {
    let (a, b) = (links(up), links(st));
    let urls = merge_order(
        &a.iter().map(|l| l.url).collect::<Vec<_>>(),
        &b.iter().map(|l| l.url).collect::<Vec<_>>(),
    );
    let (titles_a, titles_b) = (titles(a), titles(b));
    let title = |m: &HashMap<&str, &str>, url: &str| m.get(url).map(|t| (*t).to_owned());
    let links = urls
        .into_iter()
        .map(|url| {
            let (ta, tb) = (title(&titles_a, url), title(&titles_b, url));
            let status = match (&ta, &tb) {
                (Some(x), Some(y)) if x == y => LinkStatus::Both,
                (Some(_), Some(_)) => LinkStatus::Retitled,
                (Some(_), None) => LinkStatus::OnlyUpstream,
                _ => LinkStatus::OnlyStashed,
            };
            LinkDiff {
                url: url.to_owned(),
                status,
                upstream_title: ta,
                stashed_title: tb,
            }
        })
        .collect();
    let same_items = a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.url == y.url && x.title == y.title);
    let change = Change::of(up.links.as_ref(), st.links.as_ref(), |_, _| same_items);
    LinksDiff { change, links }
}

/// Compares two articles part by part.
pub fn compare(articles: Sides<&Article<'_>>) -> Comparison {
    let (up, st) = (articles.upstream, articles.stashed);
    Comparison::new(
        compare_keys(up, st),
        compare_body(up.body, st.body),
        compare_links(up, st),
    )
}

impl Comparison {
    /// The same comparison with `keys` as its frontmatter parts (the
    /// structured merge's, at every depth).
    pub fn with_keys(mut self, keys: Vec<KeyDiff>) -> Comparison {
        self.keys = keys.into_iter().map(|k| (k.key.clone(), k)).collect();
        self
    }

    /// Assembles a comparison, indexing its keys for lookups.
    fn new(keys: Vec<KeyDiff>, body: BodyDiff, links: LinksDiff) -> Comparison {
        Comparison {
            keys: keys.into_iter().map(|k| (k.key.clone(), k)).collect(),
            body,
            links,
        }
    }
}

/// Like [`compare`] without counting body lines: resolving only needs to
/// know whether the bodies differ, and a line diff of two long bodies is the
/// costliest step of a comparison.
pub fn compare_parts(articles: Sides<&Article<'_>>) -> Comparison {
    let (up, st) = (articles.upstream, articles.stashed);
    let change = if up.body == st.body {
        Change::Same
    } else {
        Change::Changed
    };
    Comparison::new(
        compare_keys(up, st),
        BodyDiff {
            change,
            added: 0,
            removed: 0,
            hunks: 0,
            counted: false,
        },
        compare_links(up, st),
    )
}

/// The side that has a part in a one-sided change.
pub fn only_side(change: Change) -> Option<Side> {
    match change {
        Change::OnlyUpstream => Some(Side::Upstream),
        Change::OnlyStashed => Some(Side::Stashed),
        _ => None,
    }
}

/// True when some line of `a` is also a line of `b`. Without one, every
/// line diff of the two is "all removed, all added", known at once: the
/// worst case of the diff algorithms (a body rewritten from scratch), which
/// would otherwise run into their deadlines.
pub fn share_a_line(a: &[&str], b: &[&str]) -> bool {
    // The usual case, at no cost: versions of one article that begin or
    // end alike.
    if !a.is_empty() && (a.first() == b.first() || a.last() == b.last()) {
        return true;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let set: std::collections::HashSet<&str> = small.iter().copied().collect();
    large.iter().any(|l| set.contains(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_rewritten_from_scratch_counts_as_the_line_diff_does() {
        for (a, b) in [
            ("one\ntwo\nthree\n", "four\nfive\n"),
            ("", "x\ny"),
            ("a\r\nb", "a\nb\n"),
        ] {
            let got = compare_body(a, b);
            let diff = line_diff(a, b);
            let count = |tag| diff.iter_all_changes().filter(|c| c.tag() == tag).count();
            assert_eq!(
                (got.added, got.removed, got.hunks),
                (
                    count(ChangeTag::Insert),
                    count(ChangeTag::Delete),
                    diff.grouped_ops(0).len()
                ),
                "{a:?} -> {b:?}"
            );
        }
    }
    use crate::article::{parse, ArticleOptions};

    fn cmp(a: &str, b: &str) -> Comparison {
        let o = ArticleOptions::default();
        let (a, b) = (parse(a, &o).unwrap(), parse(b, &o).unwrap());
        compare(Sides::new(&a, &b, None))
    }

    /// The plain quadratic definition `merge_order` must agree with.
    fn merge_order_reference<T: PartialEq + Clone>(primary: &[T], secondary: &[T]) -> Vec<T> {
        let mut out: Vec<T> = primary.to_vec();
        let mut cursor = 0;
        for item in secondary {
            match out.iter().position(|o| o == item) {
                Some(p) => cursor = p + 1,
                None => {
                    out.insert(cursor, item.clone());
                    cursor += 1;
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn merge_order_matches_its_definition(
            primary in proptest::collection::vec(0u8..12, 0..10),
            secondary in proptest::collection::vec(0u8..12, 0..10),
        ) {
            proptest::prop_assert_eq!(
                merge_order(&primary, &secondary),
                merge_order_reference(&primary, &secondary)
            );
        }
    }

    #[test]
    fn merge_order_inserts_after_predecessor() {
        assert_eq!(
            merge_order(&["a", "b", "c"], &["a", "x", "c", "y"]),
            ["a", "x", "b", "c", "y"]
        );
        assert_eq!(merge_order(&["a"], &["z", "a"]), ["z", "a"]);
    }

    #[test]
    fn a_key_put_where_the_other_side_removed_one_goes_past_it() {
        // Theirs removed `resources` and put `series` after `params`.
        let (ours, theirs) = (
            ["title", "params", "resources"],
            ["title", "params", "series"],
        );
        assert_eq!(
            merge_order_past(&ours, &theirs, |k| *k == "resources"),
            ["title", "params", "resources", "series"]
        );
        assert_eq!(
            merge_order(&ours, &theirs),
            ["title", "params", "series", "resources"]
        );
    }

    #[test]
    fn keys_compare_as_data() {
        let c = cmp(
            "---\ntitle: \"A\"\nold: 1\nschema: {\"n\":\"A\",\"r\":{\"c\":1}}\n---\n",
            "---\ntitle: 'A'\nschema: {\"n\":\"B\",\"r\":{\"c\":2}}\nnew: 2\n---\n",
        );
        let got: Vec<_> = c
            .keys
            .values()
            .map(|k| (k.key.to_string(), k.change))
            .collect::<Vec<_>>();
        let got: Vec<(&str, Change)> = got.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        assert_eq!(
            got,
            [
                ("title", Change::Same),
                ("old", Change::OnlyUpstream),
                ("schema", Change::Changed),
                ("new", Change::OnlyStashed)
            ]
        );
        assert_eq!(c.keys[2].inner, ["n", "r.c"]);
        let parts: Vec<_> = c.differing().collect();
        assert_eq!(
            parts,
            [
                Part::Key("old".into()),
                Part::Key("schema".into()),
                Part::Key("new".into())
            ]
        );
    }

    #[test]
    fn body_counts_lines() {
        let c = cmp("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(c.body.change, Change::Changed);
        assert_eq!((c.body.added, c.body.removed, c.body.hunks), (2, 1, 2));
        assert_eq!(cmp("x\n", "x\n").body.change, Change::Same);
    }

    #[test]
    fn links_compare_by_url() {
        let c = cmp(
            "t\n## Related\n- [A](/a)\n- [B](/b)\n",
            "t\n## Related\n* [A](/a)\n- [B2](/b)\n- [C](/c)\n",
        );
        let st: Vec<_> = c.links.links.iter().map(|l| l.status).collect();
        assert_eq!(
            st,
            [
                LinkStatus::Both,
                LinkStatus::Retitled,
                LinkStatus::OnlyStashed
            ]
        );
        assert_eq!(c.links.change, Change::Changed);
        let same = cmp("t\n## Related\n- [A](/a)\n", "t\n## Related\n*   [A](/a)\n");
        assert_eq!(same.links.change, Change::Same);
        let one = cmp("t\n", "t\n## Related\n- [A](/a)\n");
        assert_eq!(one.links.change, Change::OnlyStashed);
    }
}
