//! A three-way line merge (diff3) over `similar`'s line diffs.
//!
//! Both sides are diffed against the base. Base lines that both diffs match
//! are sync points; between two sync points lies one region, which is clean
//! when at most one side changed it (or both changed it alike) and a conflict
//! otherwise. Lines shared at the start or end of both sides of a conflict
//! are taken out of it, as git's "zealous" merge does, so markers surround
//! only what really differs:
//!
//! ```text
//! base      upstream   stashed          merged
//! a         a          a                a
//! b         B          b                B            (only upstream changed b)
//! c         c          c                c
//! d         D1         D2               <<<<<<< / D1 / ======= / D2 / >>>>>>>
//! e         e          e                e
//! ```
//!
//! Adjacent changes (no unchanged line between them) conflict, as in git.
//! Text is kept byte for byte: lines carry their own line endings.
//!
//! The merge is exact or nothing: the diffs run without a deadline that
//! would coarsen them, up to [`MERGE_LIMIT`] of work; past it [`merge3`]
//! gives `None` and the caller leaves the text as git merged it.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use crate::article::links::heading_text;
use crate::conflict::refine::shared_ends;
use crate::conflict::sides::Side;

/// How long the two diffs of one three-way merge may take. A merge that
/// needs longer (tens of thousands of lines rewritten on both sides) is not
/// computed approximately: [`merge3`] says it cannot, and the text stays as
/// git's own line merge left it.
pub const MERGE_LIMIT: Duration = Duration::from_secs(1);

/// Where the lines of a clean region come from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Nobody changed them: the base's lines.
    Unchanged,
    /// Only upstream changed them.
    Upstream,
    /// Only the stash changed them.
    Stashed,
    /// Both sides made the same change.
    Both,
}

/// One region of the merge, as line ranges into the texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    /// Lines that need no decision; the range indexes the lines of `origin`'s
    /// text (upstream's for [`Origin::Both`], the base's for [`Origin::Unchanged`]).
    Clean {
        /// Whose lines.
        origin: Origin,
        /// Which lines.
        lines: Range<usize>,
    },
    /// Both sides changed the same base lines differently.
    Conflict {
        /// Upstream's lines.
        upstream: Range<usize>,
        /// The base's lines.
        base: Range<usize>,
        /// The stash's lines.
        stashed: Range<usize>,
    },
}

/// The result of a three-way line merge.
#[derive(Clone, Debug)]
pub struct Merge3<'a> {
    base: Vec<&'a str>,
    upstream: Vec<&'a str>,
    stashed: Vec<&'a str>,
    regions: Vec<Region>,
}

/// The lines of `text`, each with its line ending.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// For every base line, the line of `side` it is matched with, if any.
/// Patience aligns prose on unique lines (headings, paragraphs) the way
/// git's histogram diff does; Myers is the other alignment tried where that
/// one leaves conflicts. The deadline only bounds the work: a diff that
/// reached it may be coarser than exact, and is thrown away. The lines are
/// given as their [`numbered`] numbers (`distinct` of them).
fn matches(
    base: &[u32],
    side: &[u32],
    distinct: usize,
    deadline: Instant,
    algorithm: Algorithm,
) -> Vec<Option<usize>> {
    let mut m = vec![None; base.len()];
    if !share_a_number(base, side, distinct) {
        return m;
    }
    for op in capture_diff_slices_deadline(algorithm, base, side, Some(deadline)) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                m[old_index + k] = Some(new_index + k);
            }
        }
    }
    m
}

/// The lines of three texts as numbers, equal lines (in any of them) the
/// same number, numbered from 0 in order of appearance; and how many
/// distinct lines there are. The diffs then hash and compare numbers where
/// they hashed and compared whole lines, and find the same matches: two
/// numbers are equal exactly when their lines are.
fn numbered(texts: [&[&str]; 3]) -> ([Vec<u32>; 3], usize) {
    let mut number: foldhash::HashMap<&str, u32> = foldhash::HashMap::with_capacity_and_hasher(
        texts[0].len() + texts[1].len(),
        Default::default(),
    );
    let lines = texts.map(|t| {
        t.iter()
            .map(|&l| {
                let next = number.len() as u32;
                *number.entry(l).or_insert(next)
            })
            .collect()
    });
    (lines, number.len())
}

/// [`crate::merge::compare::share_a_line`] on [`numbered`] lines (numbers below `distinct`).
fn share_a_number(a: &[u32], b: &[u32], distinct: usize) -> bool {
    if !a.is_empty() && (a.first() == b.first() || a.last() == b.last()) {
        return true;
    }
    let mut in_a = vec![false; distinct];
    for &n in a {
        in_a[n as usize] = true;
    }
    b.iter().any(|&n| in_a[n as usize])
}

/// Texts and limit, per thread, of the last merge that ran out of time.
type GaveUp = Option<([(usize, usize); 3], Duration, u64)>;

/// Texts, limit and regions, per thread, of the last merge computed.
type Last = Option<([String; 3], Duration, Vec<Region>)>;

thread_local! {
    static GAVE_UP: std::cell::Cell<GaveUp> = const { std::cell::Cell::new(None) };
    static LAST: std::cell::RefCell<Last> = const { std::cell::RefCell::new(None) };
}

/// Merges `upstream` and `stashed`, both descended from `base`; `None` when
/// the exact merge would take longer than [`MERGE_LIMIT`].
pub fn merge3<'a>(base: &'a str, upstream: &'a str, stashed: &'a str) -> Option<Merge3<'a>> {
    merge3_within(base, upstream, stashed, MERGE_LIMIT)
}

/// [`merge3`] with another limit.
pub fn merge3_within<'a>(
    base: &'a str,
    upstream: &'a str,
    stashed: &'a str,
    limit: Duration,
) -> Option<Merge3<'a>> {
    // The same three texts (the same bytes in memory) are asked for by
    // several deciders of one file; once a merge of them ran out of time,
    // it is not run again to run out of time again.
    // Same address and length, then same bytes (memory is reused).
    let key = [base, upstream, stashed].map(|t| (t.as_ptr() as usize, t.len()));
    let digest = || {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (base, upstream, stashed).hash(&mut h);
        h.finish()
    };
    if GAVE_UP.with(|g| {
        g.get()
            .is_some_and(|(k, l, d)| k == key && l == limit && d == digest())
    }) {
        return None;
    }
    let (b, u, s) = (lines(base), lines(upstream), lines(stashed));
    // The deciders and the rendering of one file ask for the same merge up
    // to five times; the diffs are most of its cost.
    let texts = [base, upstream, stashed];
    if let Some(regions) = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(t, l, _)| *l == limit && t.iter().zip(texts).all(|(a, b)| a == b))
            .map(|(_, _, r)| r.clone())
    }) {
        return Some(Merge3 {
            base: b,
            upstream: u,
            stashed: s,
            regions,
        });
    }
    let deadline = Instant::now() + limit;
    let ([bn, un, sn], distinct) = numbered([&b, &u, &s]);
    let mut best: Option<Vec<Region>> = None;
    // Blank lines and other repeated lines align more than one way: of
    // the alignments tried, the one that leaves the fewest lines in
    // conflict (`[First, "", Second]` against `[First, edited]` and
    // `[First, "", Second, rewritten]` conflicts on Second alone).
    for algorithm in [Algorithm::Patience, Algorithm::Myers] {
        let (mu, ms) = (
            matches(&bn, &un, distinct, deadline, algorithm),
            matches(&bn, &sn, distinct, deadline, algorithm),
        );
        if Instant::now() >= deadline {
            let d = digest();
            GAVE_UP.with(|g| g.set(Some((key, limit, d))));
            return None;
        }
        let regions = regions_of(&b, &u, &s, &mu, &ms);
        let cost = |r: &[Region]| -> usize {
            r.iter()
                .map(|r| match r {
                    Region::Conflict {
                        upstream, stashed, ..
                    } => upstream.len() + stashed.len(),
                    _ => 0,
                })
                .sum()
        };
        let clean = cost(&regions) == 0;
        if best.as_ref().is_none_or(|b| cost(&regions) < cost(b)) {
            best = Some(regions);
        }
        if clean {
            break;
        }
    }
    let regions = best.expect("one alignment at least");
    LAST.with(|l| *l.borrow_mut() = Some((texts.map(str::to_owned), limit, regions.clone())));
    Some(Merge3 {
        base: b,
        upstream: u,
        stashed: s,
        regions,
    })
}

/// The regions of a three-way merge, given each side's matches.
fn regions_of(
    b: &[&str],
    u: &[&str],
    s: &[&str],
    mu: &[Option<usize>],
    ms: &[Option<usize>],
) -> Vec<Region> {
    let mut regions = Vec::new();
    let (mut o, mut a, mut c) = (0, 0, 0);
    loop {
        let start = o;
        while o < b.len() && mu[o] == Some(a) && ms[o] == Some(c) {
            o += 1;
            a += 1;
            c += 1;
        }
        if o > start {
            regions.push(Region::Clean {
                origin: Origin::Unchanged,
                lines: start..o,
            });
        }
        if o == b.len() && a == u.len() && c == s.len() {
            break;
        }
        // The next base line both sides kept closes the unstable region.
        let mut k = o;
        while k < b.len() && (mu[k].is_none() || ms[k].is_none()) {
            k += 1;
        }
        let (a2, c2) = match (mu.get(k).copied().flatten(), ms.get(k).copied().flatten()) {
            (Some(x), Some(y)) => (x, y),
            _ => (u.len(), s.len()),
        };
        classify(b, u, s, o..k, a..a2, c..c2, &mut regions);
        (o, a, c) = (k, a2, c2);
    }
    regions
}

fn classify(
    b: &[&str],
    u: &[&str],
    s: &[&str],
    base: Range<usize>,
    up: Range<usize>,
    st: Range<usize>,
    out: &mut Vec<Region>,
) {
    let (bl, ul, sl) = (&b[base.clone()], &u[up.clone()], &s[st.clone()]);
    let clean = |origin, lines| Region::Clean { origin, lines };
    if ul == bl {
        out.push(if sl == bl {
            clean(Origin::Unchanged, base)
        } else {
            clean(Origin::Stashed, st)
        });
    } else if sl == bl {
        out.push(clean(Origin::Upstream, up));
    } else if ul == sl {
        out.push(clean(Origin::Both, up));
    } else {
        // Lines both sides agree on at the edges are not part of the conflict.
        let (prefix, suffix) = shared_ends(ul, sl);
        if prefix > 0 {
            out.push(clean(Origin::Both, up.start..up.start + prefix));
        }
        let (u2, s2) = (
            up.start + prefix..up.end - suffix,
            st.start + prefix..st.end - suffix,
        );
        let edges_only =
            |mine: &[&str], other: &[&str]| edges_only(bl, mine, other, prefix, suffix);
        if base.is_empty() && (u2.is_empty() || s2.is_empty()) {
            // Both inserted here, one side's lines all the other's first
            // (or last) ones: only the other side added the rest.
            if u2.is_empty() {
                out.push(clean(Origin::Stashed, s2));
            } else {
                out.push(clean(Origin::Upstream, u2));
            }
        } else if edges_only(&s[s2.clone()], &u[u2.clone()]) {
            out.push(clean(Origin::Upstream, u2));
        } else if edges_only(&u[u2.clone()], &s[s2.clone()]) {
            out.push(clean(Origin::Stashed, s2));
        } else if let Some((inserting, k)) = beside(bl, &s[s2.clone()], prefix + suffix)
            .filter(|&k| same_section(k, bl.len(), (s, s2.clone()), (u, u2.clone())))
            .map(|k| (Side::Stashed, k))
            .or_else(|| {
                beside(bl, &u[u2.clone()], prefix + suffix)
                    .filter(|&k| same_section(k, bl.len(), (u, u2.clone()), (s, s2.clone())))
                    .map(|k| (Side::Upstream, k))
            })
        {
            // One side only put lines before (k > 0) or after the base's
            // lines, which the other changed: both changes, side by side.
            let (origin, mine, theirs, other) = match inserting {
                Side::Stashed => (Origin::Stashed, s2, u2, Origin::Upstream),
                Side::Upstream => (Origin::Upstream, u2, s2, Origin::Stashed),
            };
            // The other side's region even when empty: it is its removal.
            if k > 0 {
                out.push(clean(origin, mine.start..mine.start + k));
            }
            out.push(clean(other, theirs));
            if mine.start + k + bl.len() < mine.end {
                out.push(clean(origin, mine.start + k + bl.len()..mine.end));
            }
        } else {
            out.push(Region::Conflict {
                upstream: u2,
                base,
                stashed: s2,
            });
        }
        if suffix > 0 {
            out.push(clean(Origin::Both, up.end - suffix..up.end));
        }
    }
}

/// Whether one side (`mine`, its lines between the `prefix` and `suffix`
/// both sides share) changed only the edges of the base's lines `bl`, the
/// way the other side changed them too: its middle is the base's lines
/// with as many cut from the front as the shared prefix has (and from the
/// back as the suffix has), and the other side did not keep those cut
/// lines beside the shared ones. Then the other side's lines hold both
/// changes: `[First, "", Second]` against `[First, edited]` and
/// `[First, edited, "", Second]` is the second side's removal of Second.
fn edges_only(bl: &[&str], mine: &[&str], other: &[&str], prefix: usize, suffix: usize) -> bool {
    if prefix + suffix == 0 || prefix + suffix > bl.len() {
        return false;
    }
    let middle = &bl[prefix..bl.len() - suffix];
    // The cut lines nowhere in the other side's lines: kept a line or a
    // blank line away from the shared ones, they still are kept.
    let keeps = |cut: &[&str]| !cut.is_empty() && other.windows(cut.len()).any(|w| w == cut);
    mine == middle && !keeps(&bl[..prefix]) && !keeps(&bl[bl.len() - suffix..])
}

/// Whether one side's lines (`mine`) are the base's lines `bl` whole, with
/// lines put only before them or only after them: `Some(number of lines
/// before)`. The other side changed `bl` (else this is no conflict), and
/// lines put beside what it changed are a change of their own, as git's
/// merges see lines put beside lines the other side did not touch.
/// Nothing when both sides share edge lines (`shared`: the trimmed
/// conflict no longer lines up with the base), or when the base's lines
/// are blank.
fn beside(bl: &[&str], mine: &[&str], shared: usize) -> Option<usize> {
    // Blank lines alone say nothing of where lines were put: which of two
    // blank lines a side kept is a guess.
    let said = bl.iter().any(|l| !l.trim().is_empty());
    if shared > 0 || !said || mine.len() <= bl.len() {
        return None;
    }
    if mine.ends_with(bl) {
        Some(mine.len() - bl.len())
    } else if mine.starts_with(bl) {
        Some(0)
    } else {
        None
    }
}

/// Whether lines [`beside`] finds one side (`mine`, its lines and the
/// region's range in them) put `k` lines before (or, when `k` is 0, after)
/// the base's `base_len` lines stay in the section they are in on that
/// side when set before (after) the other side's change of them: as many
/// headings above them in both. Text goes into the section of the heading
/// before it; where the other side started a section above that place (an
/// empty `## Related` put last, a paragraph appended on this side), the
/// text would stand under a heading neither side put it under: asked.
fn same_section(
    k: usize,
    base_len: usize,
    (mine, m): (&[&str], Range<usize>),
    (other, o): (&[&str], Range<usize>),
) -> bool {
    let headings = |lines: &[&str]| lines.iter().filter(|l| heading_text(l).is_some()).count();
    if k > 0 {
        headings(&mine[..m.start]) == headings(&other[..o.start])
    } else {
        headings(&mine[..m.start + base_len]) == headings(&other[..o.end])
    }
}

impl<'a> Merge3<'a> {
    /// The regions, in order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// How many regions conflict.
    pub fn conflicts(&self) -> usize {
        self.regions
            .iter()
            .filter(|r| matches!(r, Region::Conflict { .. }))
            .count()
    }

    /// How many clean regions hold a change from `side` (alone or alike on both).
    pub fn changes_from(&self, side: Side) -> usize {
        let own = match side {
            Side::Upstream => Origin::Upstream,
            Side::Stashed => Origin::Stashed,
        };
        self.regions
            .iter()
            .filter(|r| matches!(r, Region::Clean { origin, .. } if *origin == own || *origin == Origin::Both))
            .count()
    }

    fn clean_lines(&self, origin: Origin, range: &Range<usize>) -> &[&'a str] {
        let from = match origin {
            Origin::Unchanged => &self.base,
            Origin::Upstream | Origin::Both => &self.upstream,
            Origin::Stashed => &self.stashed,
        };
        &from[range.clone()]
    }

    /// Writes the merge; each conflict is written by `conflict(out, upstream, base, stashed)`.
    pub fn write(&self, mut conflict: impl FnMut(&mut String, &str, &str, &str)) -> String {
        let mut out = String::new();
        for r in &self.regions {
            match r {
                Region::Clean { origin, lines } => {
                    out.extend(self.clean_lines(*origin, lines).iter().copied());
                }
                Region::Conflict {
                    upstream,
                    base,
                    stashed,
                } => conflict(
                    &mut out,
                    &self.upstream[upstream.clone()].concat(),
                    &self.base[base.clone()].concat(),
                    &self.stashed[stashed.clone()].concat(),
                ),
            }
        }
        out
    }

    /// The merged text when nothing conflicts.
    pub fn clean_text(&self) -> Option<String> {
        (self.conflicts() == 0).then(|| self.write(|_, _, _, _| {}))
    }

    /// The merged text with every conflict settled by `side`.
    pub fn resolved_with(&self, side: Side) -> String {
        self.write(|out, up, _, st| {
            out.push_str(match side {
                Side::Upstream => up,
                Side::Stashed => st,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::compare::share_a_line;

    #[test]
    fn numbered_lines_match_as_the_lines_themselves() {
        // Texts drawn from a few lines (repeats, blank lines, a line
        // without its newline), diffed as lines and as numbers.
        let pool = ["a\n", "b\n", "\n", "c\n", "b", "d\r\n", "e\n"];
        let mut seed = 7u64;
        let mut text = |n: usize| -> Vec<&str> {
            (0..n)
                .map(|_| *crate::testing::pick(&mut seed, &pool))
                .collect()
        };
        let far = Instant::now() + Duration::from_secs(60);
        for case in 0..300 {
            let (b, u, s) = (text(case % 13), text(case % 11), text(case % 7));
            let ([bn, un, sn], distinct) = numbered([&b, &u, &s]);
            for (side, numbers) in [(&u, &un), (&s, &sn)] {
                assert_eq!(
                    share_a_number(&bn, numbers, distinct),
                    share_a_line(&b, side)
                );
                for algorithm in [Algorithm::Patience, Algorithm::Myers] {
                    assert_eq!(
                        capture_diff_slices_deadline(algorithm, &bn, numbers, Some(far)),
                        capture_diff_slices_deadline(algorithm, &b, side, Some(far)),
                        "{b:?} {side:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn sides_that_share_no_line_with_the_base_merge_at_once() {
        assert!(share_a_line(&["a\n", "b\n"], &["c\n", "b\n"]));
        assert!(
            !share_a_line(&["a\n", "b\n"], &["b", "c\n"]),
            "b without its newline"
        );
        // A body rewritten on both sides, far past what the diff's deadline
        // would allow if it were run: one conflict, found without it.
        let side = |tag: &str| -> String { (0..50_000).map(|i| format!("{tag} {i}\n")).collect() };
        let (base, up, st) = (side("base"), side("up"), side("st"));
        let m = merge3(&base, &up, &st).expect("within the limit");
        assert_eq!(m.regions.len(), 1, "{:?}", m.regions.len());
    }

    fn marked(m: &Merge3<'_>) -> String {
        m.write(|out, u, b, s| {
            out.push_str(&format!("<<<\n{u}|||\n{b}===\n{s}>>>\n"));
        })
    }

    #[test]
    fn a_side_whose_change_the_other_made_too_adds_nothing_to_decide() {
        // Both edited the first paragraph alike; ours also removed the
        // second: ours holds both changes.
        let base = "First.\n\nSecond.\n\n\nThird.\n";
        let up = "First, edited.\n\n\n\nThird.\n";
        let st = "First, edited.\n\nSecond.\n\n\nThird.\n";
        let m = merge3(base, up, st).unwrap();
        assert_eq!(m.clean_text().as_deref(), Some(up));
        // Ours kept the line theirs replaced, beside the shared edit: no.
        let m = merge3("x\n", "y\nx\n", "y\n").unwrap();
        assert_eq!(m.conflicts(), 1);
        // Ours replaced P0 by N; theirs put N and a blank line before P0
        // and kept P0 (bench/props.py seed 455954): ours' removal of P0 is
        // a change theirs did not make, whatever lines stand between.
        let m = merge3("\nP0\n\nP1\n", "\nN\n\nP1\n", "\nN\n\nP0\n\nP1\n").unwrap();
        assert_eq!(m.conflicts(), 1);
        let m = merge3("P0\nP1\n", "P0\nN\n", "P0\nP1\n\nN\n").unwrap();
        assert_eq!(m.conflicts(), 1);
    }

    #[test]
    fn changes_on_different_lines_merge_cleanly() {
        let m = merge3("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("a\nB\nc\nD\ne\n"));
        assert_eq!(m.changes_from(Side::Upstream), 1);
        assert_eq!(m.changes_from(Side::Stashed), 1);
    }

    #[test]
    fn overlapping_changes_conflict_and_only_they_do() {
        let m = merge3("a\nb\nc\nd\ne\n", "a\nB\nc\nD1\ne\n", "a\nb\nc\nD2\ne\n").unwrap();
        assert_eq!(m.conflicts(), 1);
        assert_eq!(m.clean_text(), None);
        assert_eq!(marked(&m), "a\nB\nc\n<<<\nD1\n|||\nd\n===\nD2\n>>>\ne\n");
        assert_eq!(m.resolved_with(Side::Stashed), "a\nB\nc\nD2\ne\n");
        assert_eq!(m.resolved_with(Side::Upstream), "a\nB\nc\nD1\ne\n");
    }

    #[test]
    fn same_change_on_both_sides_is_clean() {
        let m = merge3("a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("a\nX\nc\n"));
        assert_eq!(m.changes_from(Side::Upstream), 1);
    }

    #[test]
    fn adjacent_changes_conflict_as_in_git() {
        let m = merge3("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n").unwrap();
        assert_eq!(m.conflicts(), 1);
    }

    #[test]
    fn insertions_at_both_ends_and_deletions() {
        let m = merge3("a\nb\nc\n", "top\na\nb\nc\n", "a\nc\nend\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("top\na\nc\nend\n"));
        // Both sides append different lines at the same place: a conflict.
        let m = merge3("a\n", "a\nx\n", "a\ny\n").unwrap();
        assert_eq!(marked(&m), "a\n<<<\nx\n|||\n===\ny\n>>>\n");
    }

    #[test]
    fn lines_put_beside_lines_the_other_side_changed_are_kept_with_that_change() {
        // Theirs puts two paragraphs before P0; ours removes P0.
        let m = merge3("P0\n\nP1\n", "P1\n", "N\n\nM\n\nP0\n\nP1\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("N\n\nM\n\nP1\n"));
        // Ours appends after b, theirs rewrites b.
        let m = merge3("a\nb\nc\n", "a\nb\nnew\nc\n", "a\nB\nc\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("a\nB\nnew\nc\n"));
        // Both sides rewrite b: still a conflict.
        let m = merge3("a\nb\nc\n", "a\nx\nb2\nc\n", "a\nB\nc\n").unwrap();
        assert_eq!(m.conflicts(), 1);
    }

    #[test]
    fn lines_put_beside_stay_in_their_section() {
        // Theirs puts a paragraph in before P1; ours rewrites P0, starts a
        // section after it and takes P1 out (bench/props.py seed 72214):
        // the new paragraph would stand under ours' heading.
        let (base, up) = ("\nP0\n\nP1\n", "\nP0'\n\n## Related\n\n");
        let m = merge3(base, up, "\nP0\n\nNew.\n\nP1\n").unwrap();
        assert_eq!(m.conflicts(), 1);
        // Put in after a line ours changed into a new section: the same.
        let m = merge3("P0\nP1\n", "P0\n## S\n", "P0\nP1\nNew.\n").unwrap();
        assert_eq!(m.conflicts(), 1);
        // A heading only renamed is the same section.
        let m = merge3("## A\nP0\n", "## B\nP0'\n", "## A\nP0\nNew.\n").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("## B\nP0'\nNew.\n"));
    }

    #[test]
    fn shared_edges_are_taken_out_of_the_conflict() {
        let m = merge3("a\nb\nz\n", "a\nsame\nU\nend\nz\n", "a\nsame\nS\nend\nz\n").unwrap();
        assert_eq!(marked(&m), "a\nsame\n<<<\nU\n|||\nb\n===\nS\n>>>\nend\nz\n");
    }

    #[test]
    fn past_the_limit_there_is_no_merge_rather_than_a_coarse_one() {
        let base: String = (0..300).map(|i| format!("{}\n", i % 7)).collect();
        let up: String = (0..300).map(|i| format!("u{}\n", i % 5)).collect();
        let st: String = (0..300).map(|i| format!("s{}\n", i % 3)).collect();
        assert!(merge3_within(&base, &up, &st, Duration::ZERO).is_none());
        assert!(merge3(&base, &up, &st).is_some());
    }

    #[test]
    fn keeps_bytes_line_endings_and_missing_final_newline() {
        let m = merge3("a\r\nb\r\nc", "A\r\nb\r\nc", "a\r\nb\r\nC").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("A\r\nb\r\nC"));
        let m = merge3("", "x\n", "").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some("x\n"));
        let m = merge3("", "", "").unwrap();
        assert_eq!(m.clean_text().as_deref(), Some(""));
    }
}
