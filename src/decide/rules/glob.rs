//! Wildcard matching for rule patterns: `*` any run of units (dots
//! included), `?` exactly one, everything else literal. Units are bytes
//! when pattern and key are ASCII, chars otherwise ([`ids`]).
//!
//! Linear in the key for each pattern: the pattern is cut at its `*`s into
//! pieces; the first must match at the start, the last at the end, and each
//! one between at its leftmost place after the previous one (taking the
//! leftmost leaves the most room for the rest, so it never loses a match).
//! A middle piece is found by shift-and over the key, one bit per unit of
//! the piece, so a piece of up to 64 units costs one word a unit of key.
//! The greedy backtracking matcher this replaces took up to pattern × key
//! steps: 256 committed patterns against 400 keys of 1,000 characters ran
//! past 90 s (attacker trial).

use super::GLOB_PATTERN_MAX;

/// `*` as an id ([`ids`]); also every char of a key that the pattern does
/// not hold as a literal, which no piece contains.
pub(super) const STAR: u16 = 0;
/// `?` as an id ([`ids`]).
pub(super) const ANY: u16 = 1;

/// Mask table size: every byte, and every id [`ids`] gives (literals from
/// 2, at most [`GLOB_PATTERN_MAX`] - 1 of them beside the wildcard).
const UNITS: usize = GLOB_PATTERN_MAX + 2;

/// Words of a mask: a piece is shorter than a wildcard pattern.
const WORDS: usize = GLOB_PATTERN_MAX.div_ceil(64);

#[cfg(test)]
thread_local! {
    /// Units of text looked at on this thread: the work matching does, for tests.
    static STEPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one unit of text looked at (tests only).
#[inline]
fn step() {
    #[cfg(test)]
    STEPS.with(|c| c.set(c.get() + 1));
}

/// A pattern and a key as small numbers, so that chars index the mask table
/// as bytes do: `*` is [`STAR`], `?` [`ANY`], each other char of the pattern
/// a number of its own from 2; a char of the key the pattern lacks (or a `*`
/// or `?` in the key) is [`STAR`], which matches only `?`.
pub(super) fn ids(pattern: &str, key: &str) -> (Vec<u16>, Vec<u16>) {
    let mut literals: Vec<char> = pattern
        .chars()
        .filter(|c| !matches!(c, '*' | '?'))
        .collect();
    literals.sort_unstable();
    literals.dedup();
    // Ids stay below UNITS: a wildcard pattern has at most 255 other chars.
    let id = |c: char| literals.binary_search(&c).map_or(STAR, |i| i as u16 + 2);
    let p = pattern
        .chars()
        .map(|c| match c {
            '*' => STAR,
            '?' => ANY,
            c => id(c),
        })
        .collect();
    (p, key.chars().map(id).collect())
}

/// `*` (any run) and `?` (any one) matching of pattern `p` against `t`, over
/// bytes or [`ids`]; pieces between `*`s must fit [`WORDS`] words.
pub(super) fn wildcard<T: Copy + Eq + Into<usize>>(p: &[T], t: &[T], star: T, any: T) -> bool {
    let Some(first) = p.iter().position(|&u| u == star) else {
        return p.len() == t.len() && fits(p, t, any);
    };
    let last = p.iter().rposition(|&u| u == star).unwrap_or(first);
    let (head, tail) = (&p[..first], &p[last + 1..]);
    if head.len() + tail.len() > t.len() {
        return false;
    }
    let between = &t[head.len()..t.len() - tail.len()];
    fits(head, &t[..head.len()], any)
        && fits(tail, &t[t.len() - tail.len()..], any)
        && (last == first || in_order(&p[first + 1..last], between, star, any))
}

/// Whether `p` (no `*`) matches `t` of the same length unit by unit.
fn fits<T: Copy + Eq>(p: &[T], t: &[T], any: T) -> bool {
    p.iter().zip(t).all(|(&u, &c)| {
        step();
        u == any || u == c
    })
}

/// Whether the pieces of `middle` (cut at `star`) occur in `t` in order,
/// each at its leftmost place after the one before.
fn in_order<T: Copy + Eq + Into<usize>>(middle: &[T], t: &[T], star: T, any: T) -> bool {
    let longest = middle.split(|&u| u == star).map(<[T]>::len).max();
    match longest.unwrap_or(0) {
        // Nearly every piece: one word, a table of 2 KB.
        0..=64 => pieces_in_order::<T, 1>(middle, t, star, any),
        n => {
            assert!(
                n <= 64 * WORDS,
                "a piece of {n} units is longer than a pattern"
            );
            pieces_in_order::<T, WORDS>(middle, t, star, any)
        }
    }
}

/// [`in_order`] with masks of `N` words.
fn pieces_in_order<T: Copy + Eq + Into<usize>, const N: usize>(
    middle: &[T],
    t: &[T],
    star: T,
    any: T,
) -> bool {
    let mut masks = Masks::<N>::new();
    let mut at = 0;
    for piece in middle.split(|&u| u == star).filter(|p| !p.is_empty()) {
        match masks.leftmost_end(piece, &t[at..], any) {
            Some(end) => at += end,
            None => return false,
        }
    }
    true
}

/// Shift-and masks of one piece at a time: bit `i` of a unit's mask is set
/// where the piece's unit `i` is that unit. Zeroed once per match and
/// cleared after each piece of only what it set, so a piece costs its own
/// length, not the table's.
struct Masks<const N: usize> {
    of: [[u64; N]; UNITS],
}

impl<const N: usize> Masks<N> {
    fn new() -> Self {
        Masks {
            of: [[0; N]; UNITS],
        }
    }

    /// Where the leftmost occurrence of `piece` in `t` ends, if any.
    fn leftmost_end<T: Copy + Eq + Into<usize>>(
        &mut self,
        piece: &[T],
        t: &[T],
        any: T,
    ) -> Option<usize> {
        // `?`'s bits, taken by every unit of text.
        let mut wild = [0u64; N];
        for (i, &u) in piece.iter().enumerate() {
            let bits = if u == any {
                &mut wild
            } else {
                &mut self.of[u.into()]
            };
            bits[i / 64] |= 1 << (i % 64);
        }
        let found = self.scan(&wild, piece.len(), t);
        for &u in piece {
            self.of[u.into()] = [0; N];
        }
        found
    }

    /// Shift-and over `t`: the state's bit `i` says the piece's first `i + 1`
    /// units end here; the end of the first unit where all `len` do.
    fn scan<T: Copy + Into<usize>>(&self, wild: &[u64; N], len: usize, t: &[T]) -> Option<usize> {
        let (word, bit) = ((len - 1) / 64, 1u64 << ((len - 1) % 64));
        let mut state = [0u64; N];
        for (j, &c) in t.iter().enumerate() {
            step();
            let mask = &self.of[c.into()];
            // Shift the whole state one bit up, a new start in bit 0.
            let mut carry = 1;
            for w in 0..N {
                let next = ((state[w] << 1) | carry) & (mask[w] | wild[w]);
                carry = state[w] >> 63;
                state[w] = next;
            }
            if state[word] & bit != 0 {
                return Some(j + 1);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::{glob_match, GLOB_KEY_MAX, GLOB_PATTERN_MAX};
    use super::*;
    use proptest::prelude::*;

    /// The matcher this one replaced, kept as the oracle: greedy
    /// backtracking, up to pattern × text steps.
    fn backtracking<T: Copy + PartialEq>(p: &[T], t: &[T], star: T, any: T) -> bool {
        let (mut pi, mut ti) = (0, 0);
        let mut back: Option<(usize, usize)> = None;
        while ti < t.len() {
            step();
            if pi < p.len() && (p[pi] == any || (p[pi] != star && p[pi] == t[ti])) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == star {
                back = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = back {
                pi = sp + 1;
                ti = st + 1;
                back = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&c| c == star)
    }

    /// What the oracle says of `pattern` against `text`, over chars.
    fn oracle(pattern: &str, text: &str) -> bool {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        backtracking(&p, &t, '*', '?')
    }

    /// Steps `f` took on this thread.
    fn steps(f: impl FnOnce() -> bool) -> (bool, usize) {
        STEPS.with(|c| c.set(0));
        let matched = f();
        (matched, STEPS.with(|c| c.get()))
    }

    /// Patterns as long as a wildcard pattern may be, which nearly match a
    /// run of `a`s at every place: many short pieces (`*a*a…*a?b`), one
    /// long last piece (`*aa…a?b`), one long middle piece (`*aa…a?b*`).
    fn hostile(a: char) -> [String; 3] {
        let run = |n: usize| -> String { std::iter::repeat_n(a, n).collect() };
        let many = format!("{}?b", format!("*{a}").repeat((GLOB_PATTERN_MAX - 2) / 2));
        let last = format!("*{}?b", run(GLOB_PATTERN_MAX - 3));
        let middle = format!("*{}?b*", run(GLOB_PATTERN_MAX - 4));
        for p in [&many, &last, &middle] {
            assert_eq!(p.chars().count(), GLOB_PATTERN_MAX);
        }
        [many, last, middle]
    }

    #[test]
    fn a_hostile_pattern_costs_steps_linear_in_the_key() {
        for a in ['a', 'д'] {
            let key: String = std::iter::repeat_n(a, 4000).collect();
            for pattern in hostile(a) {
                let (matched, cost) = steps(|| glob_match(&pattern, &key));
                assert!(!matched && !oracle(&pattern, &key));
                // Each unit of the key is looked at about once, whatever the pattern.
                let bound = key.chars().count() + GLOB_PATTERN_MAX;
                assert!(
                    cost <= bound,
                    "{pattern}: {cost} steps, expected <= {bound}"
                );
            }
        }
        // The backtracking matcher, for scale: pattern × key.
        let key = "a".repeat(4000);
        let (_, old) = steps(|| oracle(&hostile('a')[2], &key));
        assert!(old > 100 * (4000 + GLOB_PATTERN_MAX), "{old}");
    }

    #[test]
    fn a_piece_longer_than_a_word_matches_by_several_words() {
        let piece = format!("{}?{}", "a".repeat(70), "b".repeat(60));
        let pattern = format!("x*{piece}*y");
        let text = format!("x{}{}c{}y", "a".repeat(80), "a".repeat(70), "b".repeat(60));
        assert!(glob_match(&pattern, &text));
        let near = format!("x{}{}c{}y", "a".repeat(80), "a".repeat(70), "b".repeat(59));
        assert!(!glob_match(&pattern, &near));
        assert!(!oracle(&pattern, &near));
        let max = format!("*{}*", "?".repeat(GLOB_PATTERN_MAX - 2));
        assert!(glob_match(&max, &"é".repeat(GLOB_PATTERN_MAX - 2)));
        assert!(!glob_match(&max, &"é".repeat(GLOB_PATTERN_MAX - 3)));
        assert!(glob_match(&max, &"é".repeat(GLOB_KEY_MAX)));
    }

    /// Patterns and texts over a few units that make matching hard: dots,
    /// wide chars, `*` and `?` (also inside texts, where they are literal).
    fn unit(wild: bool) -> impl Strategy<Value = char> {
        let units = if wild {
            vec!['a', 'b', '.', 'é', 'д', '*', '*', '?']
        } else {
            vec!['a', 'b', '.', 'é', 'д', '*', '?']
        };
        prop::sample::select(units)
    }

    fn string(wild: bool, len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(unit(wild), len).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn matches_as_the_backtracking_matcher_did(
            pattern in string(true, 0..12),
            text in string(false, 0..24),
        ) {
            prop_assert_eq!(glob_match(&pattern, &text), oracle(&pattern, &text));
        }

        #[test]
        fn ascii_matches_as_the_backtracking_matcher_did(
            pattern in "[ab.*?]{0,12}",
            text in "[ab.]{0,24}",
        ) {
            let (p, t) = (pattern.as_bytes(), text.as_bytes());
            prop_assert_eq!(wildcard(p, t, b'*', b'?'), backtracking(p, t, b'*', b'?'));
        }

        #[test]
        fn long_pieces_match_as_the_backtracking_matcher_did(
            pieces in prop::collection::vec("[a?]{0,3}a{60,70}[a?]{0,3}", 1..3),
            text in "[ab]{0,3}a{60,140}[ab]{0,3}a{0,70}",
        ) {
            let pattern = format!("*{}*", pieces.join("*"));
            prop_assert_eq!(glob_match(&pattern, &text), oracle(&pattern, &text));
        }
    }
}
