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
pub fn set_merge<T: PartialEq>(base: &[T], upstream: &[T], stashed: &[T]) -> SetMerge {
    let mut items = Vec::new();
    let mut out: Vec<&T> = Vec::new();
    let (mut added_upstream, mut added_stashed) = (0, 0);
    for (i, x) in upstream.iter().enumerate() {
        let in_base = base.contains(x);
        if in_base && !stashed.contains(x) {
            continue;
        }
        added_upstream += usize::from(!in_base);
        items.push((Side::Upstream, i));
        out.push(x);
    }
    for (j, x) in stashed.iter().enumerate() {
        if !base.contains(x) && !out.contains(&x) {
            added_stashed += 1;
            items.push((Side::Stashed, j));
            out.push(x);
        }
    }
    let removed = base.iter().filter(|x| !out.contains(x)).count();
    SetMerge {
        items,
        added_upstream,
        added_stashed,
        removed,
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
}
