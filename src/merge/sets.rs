//! Lists merged as sets with their base: tags, categories, aliases, any YAML
//! sequence, and the related links (by URL).
//!
//! ```text
//! base      [a, b, c]
//! upstream  [a, c, u]        removed b, added u
//! stashed   [a, b, c, s]     added s
//! merged    [a, c, u, s]     upstream's order, then the stash's additions
//! ```

use crate::conflict::sides::Side;
use crate::conflict::worded::Worded;
use crate::worded;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::article::value::Value;

/// The outcome of a set merge: which items, from which side, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetMerge {
    /// `(side, index in that side's list)`, in output order.
    pub items: Vec<(Side, usize)>,
    /// Items upstream added that are kept.
    pub added_upstream: usize,
    /// Items the stash added that are kept.
    pub added_stashed: usize,
    /// Base items dropped because a side removed them.
    pub removed: usize,
}

impl SetMerge {
    /// A short account for the summary, e.g. `merged as a set (+1 from
    /// upstream, +2 from stashed, -1 removed)`.
    pub fn why(&self) -> Worded {
        self.why_for(Side::Upstream)
    }

    /// [`SetMerge::why`] when the first list merged was `first`'s (a rule
    /// merges the preferred side's list first).
    pub fn why_for(&self, first: Side) -> Worded {
        worded!["merged as a set (", self.counts(first), ")"]
    }

    /// The counts alone: `+1 from upstream, -1 removed`, the first list
    /// merged being `first`'s.
    pub fn counts(&self, first: Side) -> Worded {
        let mut parts = Vec::new();
        for (n, side) in [
            (self.added_upstream, first),
            (self.added_stashed, first.other()),
        ] {
            if n > 0 {
                parts.push(worded![format!("+{n} from "), side]);
            }
        }
        if self.removed > 0 {
            parts.push(worded![format!("-{} removed", self.removed)]);
        }
        Worded::join(parts, ", ")
    }
}

/// Merges two lists descended from `base` as sets: every item upstream kept
/// unless the stash removed it, then every item the stash added. An item
/// present in the base is removed when either side removed it.
///
/// Linear in the lists' lengths (membership by [`Item::bucket`]): a list
/// of tens of thousands of tags merges at once.
pub fn set_merge<T: Item>(base: &[T], upstream: &[T], stashed: &[T]) -> SetMerge {
    let (in_base, in_stashed) = (Members::of(base), Members::of(stashed));
    let mut items = Vec::new();
    let mut out = Members::default();
    let (mut added_upstream, mut added_stashed) = (0, 0);
    for (i, x) in upstream.iter().enumerate() {
        // Each item's bucket worked out once (a value's walks it whole).
        let k = x.bucket();
        let was = in_base.contains(k, x);
        if was && !in_stashed.contains(k, x) {
            continue;
        }
        added_upstream += usize::from(!was);
        items.push((Side::Upstream, i));
        out.insert(k, x);
    }
    for (j, x) in stashed.iter().enumerate() {
        let k = x.bucket();
        if !in_base.contains(k, x) && out.insert(k, x) {
            added_stashed += 1;
            items.push((Side::Stashed, j));
        }
    }
    let removed = base.iter().filter(|x| !out.contains(x.bucket(), x)).count();
    SetMerge {
        items,
        added_upstream,
        added_stashed,
        removed,
    }
}

/// An item of a set: equal as the merge means it (`PartialEq`: a value's
/// float is not `Eq`, a mapping's keys compare in any order), with a
/// bucket that equal items share. Unequal items may share one too: it only
/// narrows the search.
pub trait Item: PartialEq {
    /// The item's bucket.
    fn bucket(&self) -> u64;
}

impl Item for String {
    fn bucket(&self) -> u64 {
        hash_of(self)
    }
}

impl Item for &str {
    fn bucket(&self) -> u64 {
        hash_of(*self)
    }
}

impl Item for Value {
    fn bucket(&self) -> u64 {
        let mut h = DefaultHasher::new();
        feed(self, &mut h);
        h.finish()
    }
}

/// Feeds what equal values share into `h`.
fn feed(v: &Value, h: &mut impl Hasher) {
    std::mem::discriminant(v).hash(h);
    match v {
        // `0.0 == -0.0`: every float in one bucket (floats are rare items).
        Value::Null | Value::Float(_) => {}
        Value::Bool(b) => b.hash(h),
        Value::Int(i) => i.hash(h),
        Value::String(s) | Value::Date(s) => s.hash(h),
        Value::Seq(items) => items.iter().for_each(|x| feed(x, h)),
        // Keys compare in any order: their entries' hashes summed.
        Value::Map(m) => m
            .iter()
            .fold(0u64, |sum, (k, x)| {
                let mut e = DefaultHasher::new();
                k.hash(&mut e);
                feed(x, &mut e);
                sum.wrapping_add(e.finish())
            })
            .hash(h),
        Value::Tagged(t, x) => {
            t.hash(h);
            feed(x, h);
        }
    }
}

/// A hash of `x` (the same within one run).
fn hash_of<T: Hash + ?Sized>(x: &T) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// Items of a set by bucket, each compared with its bucket's items only.
struct Members<'a, T> {
    by: HashMap<u64, Vec<&'a T>>,
}

impl<T> Default for Members<'_, T> {
    fn default() -> Self {
        Members { by: HashMap::new() }
    }
}

impl<'a, T: Item> Members<'a, T> {
    fn of(items: &'a [T]) -> Self {
        let mut m = Members::default();
        for x in items {
            m.insert(x.bucket(), x);
        }
        m
    }

    /// Whether an item equal to `x` (its bucket `k`) is there.
    fn contains(&self, k: u64, x: &T) -> bool {
        self.by.get(&k).is_some_and(|b| b.contains(&x))
    }

    /// Adds `x` (its bucket `k`); false when an equal item was there.
    fn insert(&mut self, k: u64, x: &'a T) -> bool {
        let b = self.by.entry(k).or_default();
        if b.contains(&x) {
            return false;
        }
        b.push(x);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(m: &SetMerge, up: &[&'a str], st: &[&'a str]) -> Vec<&'a str> {
        m.items
            .iter()
            .map(|&(s, i)| match s {
                Side::Upstream => up[i],
                Side::Stashed => st[i],
            })
            .collect()
    }

    #[test]
    fn additions_from_both_removals_from_either() {
        let (b, u, s) = (["a", "b", "c"], ["a", "c", "u"], ["a", "b", "c", "s"]);
        let m = set_merge(&b, &u, &s);
        assert_eq!(values(&m, &u, &s), ["a", "c", "u", "s"]);
        assert_eq!((m.added_upstream, m.added_stashed, m.removed), (1, 1, 1));
        assert_eq!(
            m.why().named(crate::conflict::sides::SideNames::STASH),
            "merged as a set (+1 from upstream, +1 from stashed, -1 removed)"
        );
        // The stash removes what upstream kept.
        let (u, s) = (["a", "b", "c"], ["c", "a"]);
        assert_eq!(values(&set_merge(&b, &u, &s), &u, &s), ["a", "c"]);
    }

    #[test]
    fn same_addition_on_both_sides_is_kept_once() {
        let (b, u, s) = (["a"], ["a", "x"], ["x", "a", "y"]);
        let m = set_merge(&b, &u, &s);
        assert_eq!(values(&m, &u, &s), ["a", "x", "y"]);
        let empty: [&str; 0] = [];
        assert_eq!(values(&set_merge(&empty, &u, &s), &u, &s), ["a", "x", "y"]);
    }

    #[test]
    fn values_are_one_item_as_they_compare_equal() {
        use indexmap::IndexMap;
        let map = |kv: &[(&str, i128)]| -> Value {
            Value::Map(
                kv.iter()
                    .map(|(k, v)| ((*k).to_owned(), Value::Int(*v)))
                    .collect::<IndexMap<_, _>>(),
            )
        };
        // A mapping's keys in another order, and -0.0 against 0.0, are the
        // same item: in the same bucket, found equal. 1 and 1.0 are not.
        let b = vec![map(&[("a", 1), ("b", 2)]), Value::Float(0.0)];
        let u = vec![
            map(&[("b", 2), ("a", 1)]),
            Value::Float(-0.0),
            Value::Int(1),
        ];
        let s = vec![
            map(&[("a", 1), ("b", 2)]),
            Value::Float(0.0),
            Value::Float(1.0),
        ];
        let m = set_merge(&b, &u, &s);
        assert_eq!(
            m.items,
            [
                (Side::Upstream, 0),
                (Side::Upstream, 1),
                (Side::Upstream, 2),
                (Side::Stashed, 2)
            ]
        );
        assert_eq!((m.added_upstream, m.added_stashed, m.removed), (1, 1, 0));
        // A NaN equals nothing, not even itself (as `PartialEq` has it):
        // each side's is new, the base's gone.
        let nan = [Value::Float(f64::NAN)];
        let m = set_merge(&nan, &nan, &nan);
        assert_eq!((m.items.len(), m.removed), (2, 1));
    }

    #[test]
    fn long_lists_keep_every_item_once_in_order() {
        let n = 30_000;
        let b: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
        let mut u = b.clone();
        u.retain(|x| x != "b7");
        u.extend((0..n).map(|i| format!("u{i}")));
        let mut s = b.clone();
        s.extend((0..n).map(|i| format!("u{}", i * 2)));
        s.push("s".to_owned());
        let m = set_merge(&b, &u, &s);
        // Upstream's list less b7, then the stash's u-items upstream has
        // not (every other one from u{n}), then `s`.
        assert_eq!(m.items.len(), (n - 1) + n + n / 2 + 1);
        assert_eq!(m.items[2 * n - 1], (Side::Stashed, n + n / 2));
        assert_eq!(m.items.last(), Some(&(Side::Stashed, s.len() - 1)));
        assert_eq!(
            (m.added_upstream, m.added_stashed, m.removed),
            (n, n / 2 + 1, 1)
        );
    }
}
