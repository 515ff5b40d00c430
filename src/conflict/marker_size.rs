//! `MarkerSize`: how long a conflict marker is (`<<<<<<<` is 7). Every
//! marker size the code passes around is one; it is parsed once where it
//! enters: `--marker-size` and the merge driver's `%L` within one bound
//! ([`MarkerSize::bounded`], [`MarkerSize::parse`]), git's
//! `conflict-marker-size` attribute as git reads it ([`MarkerSize::of_attribute`]),
//! a run of marker characters found in a text ([`MarkerSize::new`]).

use std::fmt;
use std::num::NonZeroUsize;

/// A conflict marker's length, never zero. Sizes a person gives (the flag,
/// `%L`) lie in [`MarkerSize::MIN`]..=[`MarkerSize::MAX`]; the attribute and
/// sizes read from a text are taken as they are, since git writes markers
/// of that length.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MarkerSize(NonZeroUsize);

/// `n` as a size, in a constant.
const fn size(n: usize) -> MarkerSize {
    match NonZeroUsize::new(n) {
        Some(n) => MarkerSize(n),
        None => panic!("a marker size is never zero"),
    }
}

impl MarkerSize {
    /// Git's default.
    pub const DEFAULT: MarkerSize = size(7);
    /// The smallest size frontmerge takes from a person (`--marker-size`, `%L`).
    pub const MIN: MarkerSize = size(3);
    /// The largest: far above any real use, small enough that a marker line
    /// can never cost memory (an absurd `conflict-marker-size` once made the
    /// merge driver allocate gigabytes).
    pub const MAX: MarkerSize = size(64);

    /// A length found in a text (a run of marker characters); `None` for 0.
    pub const fn new(n: usize) -> Option<MarkerSize> {
        match NonZeroUsize::new(n) {
            Some(n) => Some(MarkerSize(n)),
            None => None,
        }
    }

    /// `n` when it lies in the bound, else the nearest end of it, as `Err`.
    pub fn bounded(n: u128) -> Result<MarkerSize, MarkerSize> {
        let clamped = n.clamp(Self::MIN.0.get() as u128, Self::MAX.0.get() as u128);
        // At most 64: the cast keeps it.
        let size = size(clamped as usize);
        if n == clamped {
            Ok(size)
        } else {
            Err(size)
        }
    }

    /// Git's `%L`: empty, a placeholder an older git left, or anything but
    /// digits means the default; digits outside the bound are `Err` with the
    /// nearest size inside it. Never panics.
    pub fn parse(text: &str) -> Result<MarkerSize, MarkerSize> {
        let given = text.trim();
        if given.is_empty() || !given.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::DEFAULT);
        }
        // Digits only: too many for u128 is simply "too large".
        Self::bounded(given.parse::<u128>().unwrap_or(u128::MAX))
    }

    /// The value of git's `conflict-marker-size` attribute: a positive
    /// number is the size git writes markers with; `None` (git's default)
    /// for anything else (`unspecified`, `unset`, `0`, words).
    pub fn of_attribute(value: &str) -> Option<MarkerSize> {
        value.parse::<usize>().ok().and_then(MarkerSize::new)
    }

    /// The length in characters.
    pub const fn get(self) -> usize {
        self.0.get()
    }
}

impl Default for MarkerSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for MarkerSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bound_for_marker_sizes() {
        let b = |n| {
            MarkerSize::bounded(n)
                .map(MarkerSize::get)
                .map_err(MarkerSize::get)
        };
        assert_eq!(b(7), Ok(7));
        assert_eq!(b(64), Ok(64));
        assert_eq!(b(65), Err(64));
        assert_eq!(b(1), Err(3));
        assert_eq!(b(u128::from(u64::MAX)), Err(64));
    }

    #[test]
    fn percent_l_is_parsed_once_never_panicking() {
        for (given, want) in [
            ("%L", Ok(7)),
            ("12", Ok(12)),
            (" 12\n", Ok(12)),
            ("2000000000", Err(64)),
            ("18446744073709551615", Err(64)),
            ("99999999999999999999999999999999999999999999", Err(64)),
            ("0", Err(3)),
            ("-5", Ok(7)),
            ("", Ok(7)),
        ] {
            let got = MarkerSize::parse(given)
                .map(MarkerSize::get)
                .map_err(MarkerSize::get);
            assert_eq!(got, want, "{given}");
        }
    }

    #[test]
    fn the_attribute_is_any_positive_number() {
        let a = |v| MarkerSize::of_attribute(v).map(MarkerSize::get);
        assert_eq!(a("12"), Some(12));
        assert_eq!(a("100"), Some(100));
        assert_eq!(a("1"), Some(1));
        assert_eq!(a("0"), None);
        assert_eq!(a("unspecified"), None);
        assert_eq!(a("-3"), None);
        assert_eq!(MarkerSize::new(0), None);
        assert_eq!(MarkerSize::new(9).map(MarkerSize::get), Some(9));
    }
}
