//! `MarkerSize`: how long a conflict marker is (`<<<<<<<` is 7), within the
//! one bound `--marker-size` and the merge driver's `%L` share, parsed once
//! where it enters.

use std::fmt;

/// A conflict marker's length: [`MarkerSize::MIN`]..=[`MarkerSize::MAX`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MarkerSize(u8);

impl MarkerSize {
    /// Git's default.
    pub const DEFAULT: MarkerSize = MarkerSize(7);
    /// The smallest size frontmerge takes (`--marker-size`, `%L`).
    pub const MIN: MarkerSize = MarkerSize(3);
    /// The largest: far above any real use, small enough that a marker line
    /// can never cost memory (an absurd `conflict-marker-size` once made the
    /// merge driver allocate gigabytes).
    pub const MAX: MarkerSize = MarkerSize(64);

    /// `n` when it lies in the bound, else the nearest end of it, as `Err`.
    pub fn bounded(n: u128) -> Result<MarkerSize, MarkerSize> {
        let clamped = n.clamp(u128::from(Self::MIN.0), u128::from(Self::MAX.0));
        // At most 64: the cast keeps it.
        let size = MarkerSize(clamped as u8);
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

    /// The length in characters.
    pub const fn get(self) -> usize {
        self.0 as usize
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
}
