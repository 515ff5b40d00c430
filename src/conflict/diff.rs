//! Diffs of item sequences (lines, a list's items) in bounded time: what
//! the frontmatter's list merge and the narrowing of conflicts compare
//! sides with.
//!
//! Myers' diff takes time in proportion to the items times the edits: two
//! sides that rewrote every item of a list of 20,000 took seconds per
//! diff, git's own line merge of the same a few milliseconds. Past
//! [`LONG`] items, the items one side has and the other does not are set
//! aside first (no diff can keep them: git's xdiff does the same), so a
//! rewrite costs what its shared items cost; and what is left runs against
//! [`DEADLINE`], past which `similar` settles for a coarser diff (a
//! list reordered at length on both sides). Shorter sequences are diffed
//! exactly as before.

use std::collections::HashSet;
use std::hash::Hash;
use std::time::{Duration, Instant};

use similar::{capture_diff_slices, capture_diff_slices_deadline, Algorithm, DiffOp};

/// From this many items on both sides together, items the other side does
/// not have are set aside before diffing.
pub const LONG: usize = 4096;

/// How long the diff of what is left may take before it coarsens.
pub const DEADLINE: Duration = Duration::from_millis(500);

/// The Myers diff of `old` and `new` (runs of equal items, the rest
/// deleted, inserted or replaced), bounded as the module says.
pub fn items<T: Hash + Ord>(old: &[T], new: &[T]) -> Vec<DiffOp> {
    if old.len() + new.len() < LONG {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let (in_old, in_new): (HashSet<&T>, HashSet<&T>) = (old.iter().collect(), new.iter().collect());
    let kept_old: Vec<usize> = (0..old.len())
        .filter(|&i| in_new.contains(&old[i]))
        .collect();
    let kept_new: Vec<usize> = (0..new.len())
        .filter(|&j| in_old.contains(&new[j]))
        .collect();
    let (o, n): (Vec<&T>, Vec<&T>) = (
        kept_old.iter().map(|&i| &old[i]).collect(),
        kept_new.iter().map(|&j| &new[j]).collect(),
    );
    let deadline = Instant::now() + DEADLINE;
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    for op in capture_diff_slices_deadline(Algorithm::Myers, &o, &n, Some(deadline)) {
        let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        else {
            continue;
        };
        for k in 0..len {
            let (a, b) = (kept_old[old_index + k], kept_new[new_index + k]);
            gap(&mut out, i..a, j..b);
            match out.last_mut() {
                Some(DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                }) if *old_index + *len == a && *new_index + *len == b => *len += 1,
                _ => out.push(DiffOp::Equal {
                    old_index: a,
                    new_index: b,
                    len: 1,
                }),
            }
            (i, j) = (a + 1, b + 1);
        }
    }
    gap(&mut out, i..old.len(), j..new.len());
    out
}

/// The op for `old` items giving way to `new` ones, if any.
fn gap(out: &mut Vec<DiffOp>, old: std::ops::Range<usize>, new: std::ops::Range<usize>) {
    let (old_index, new_index) = (old.start, new.start);
    let (old_len, new_len) = (old.len(), new.len());
    match (old_len, new_len) {
        (0, 0) => {}
        (_, 0) => out.push(DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        }),
        (0, _) => out.push(DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        }),
        _ => out.push(DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ops` make of `old`: `new` again, every item accounted for.
    fn apply<'a>(ops: &[DiffOp], old: &[&'a str], new: &[&'a str]) -> Vec<&'a str> {
        let (mut at_old, mut at_new) = (0, 0);
        let mut out = Vec::new();
        for op in ops {
            assert_eq!(op.old_range().start, at_old, "{ops:?}");
            assert_eq!(op.new_range().start, at_new, "{ops:?}");
            if let DiffOp::Equal { .. } = op {
                assert_eq!(old[op.old_range()], new[op.new_range()]);
            }
            out.extend(&new[op.new_range()]);
            (at_old, at_new) = (op.old_range().end, op.new_range().end);
        }
        assert_eq!((at_old, at_new), (old.len(), new.len()));
        out
    }

    fn kept(ops: &[DiffOp]) -> usize {
        ops.iter()
            .map(|op| match op {
                DiffOp::Equal { len, .. } => *len,
                _ => 0,
            })
            .sum()
    }

    #[test]
    fn a_long_rewrite_keeps_what_it_shares_and_accounts_for_every_item() {
        let n = LONG;
        let old: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
        // Every item rewritten but every tenth, which stays in place.
        let new: Vec<String> = (0..n)
            .map(|i| {
                if i % 10 == 0 {
                    format!("b{i}")
                } else {
                    format!("o{i}")
                }
            })
            .collect();
        let (old, new): (Vec<&str>, Vec<&str>) = (
            old.iter().map(String::as_str).collect(),
            new.iter().map(String::as_str).collect(),
        );
        let ops = items(&old, &new);
        assert_eq!(apply(&ops, &old, &new), new);
        assert_eq!(kept(&ops), n.div_ceil(10));
        // Nothing shared: one replacement.
        let other: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
        let other: Vec<&str> = other.iter().map(String::as_str).collect();
        let ops = items(&old, &other);
        assert_eq!(
            ops,
            [DiffOp::Replace {
                old_index: 0,
                old_len: n,
                new_index: 0,
                new_len: n
            }]
        );
    }

    #[test]
    fn short_sequences_are_myers_exactly() {
        let (old, new) = (["a", "b", "c", "a", "b"], ["b", "a", "c", "x", "b"]);
        assert_eq!(
            items(&old, &new),
            capture_diff_slices(Algorithm::Myers, &old, &new)
        );
    }
}
