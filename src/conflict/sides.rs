//! `Sides<T>`: one value per side of a conflict (upstream, stashed, optional base).
//!
//! Every stage of the pipeline carries its data in this one shape: side texts,
//! parsed articles, frontmatter values, bodies and link lists alike.

use std::fmt;
use std::str::FromStr;

/// Which side of a conflict.
///
/// The names follow git's labels for `git stash pop`: `<<<<<<< Updated upstream`
/// is [`Side::Upstream`] (git's "ours"), `>>>>>>> Stashed changes` is
/// [`Side::Stashed`] (git's "theirs").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The `<<<<<<<` side: what the branch or upstream had (`ours`).
    Upstream,
    /// The `>>>>>>>` side: the stash or the merged branch (`theirs`).
    Stashed,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Upstream => Side::Stashed,
            Side::Stashed => Side::Upstream,
        }
    }

    /// Both sides, upstream first.
    pub const BOTH: [Side; 2] = [Side::Upstream, Side::Stashed];

    /// The lower-case name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Side::Upstream => "upstream",
            Side::Stashed => "stashed",
        }
    }
}

/// What the two sides are called on screen: `upstream`/`stashed` after a
/// stash pop, git's `ours`/`theirs` in a merge, rebase or cherry-pick.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SideNames {
    /// The `<<<<<<<` side.
    pub upstream: &'static str,
    /// The `>>>>>>>` side.
    pub stashed: &'static str,
}

impl SideNames {
    /// `upstream` and `stashed`: a stash pop, or files outside any operation.
    pub const STASH: SideNames = SideNames {
        upstream: "upstream",
        stashed: "stashed",
    };

    /// The name of `side`.
    pub fn get(self, side: Side) -> &'static str {
        match side {
            Side::Upstream => self.upstream,
            Side::Stashed => self.stashed,
        }
    }
}

impl Default for SideNames {
    fn default() -> Self {
        SideNames::STASH
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A side name that names no side (as written).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown side `{0}` (expected upstream|stashed, or ours|theirs)")]
pub struct UnknownSide(pub String);

impl FromStr for Side {
    type Err = UnknownSide;

    fn from_str(s: &str) -> Result<Side, UnknownSide> {
        match s {
            "upstream" | "ours" => Ok(Side::Upstream),
            "stashed" | "theirs" => Ok(Side::Stashed),
            _ => Err(UnknownSide(s.to_owned())),
        }
    }
}

/// One value for each side of a conflict; `base` is present when the common
/// ancestor is known (diff3 markers, index stages, merge driver).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Sides<T> {
    /// The `<<<<<<<` side (git's "ours").
    pub upstream: T,
    /// The `>>>>>>>` side (git's "theirs").
    pub stashed: T,
    /// The common ancestor, when known.
    pub base: Option<T>,
}

impl<T> Sides<T> {
    /// Builds sides from their parts.
    pub fn new(upstream: T, stashed: T, base: Option<T>) -> Self {
        Sides {
            upstream,
            stashed,
            base,
        }
    }

    /// Applies `f` to every side, base included.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Sides<U> {
        Sides {
            upstream: f(self.upstream),
            stashed: f(self.stashed),
            base: self.base.map(f),
        }
    }

    /// Like [`Sides::map`], stopping at the first error.
    pub fn try_map<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<Sides<U>, E> {
        Ok(Sides {
            upstream: f(self.upstream)?,
            stashed: f(self.stashed)?,
            base: self.base.map(f).transpose()?,
        })
    }

    /// Borrows every side.
    pub fn as_ref(&self) -> Sides<&T> {
        Sides {
            upstream: &self.upstream,
            stashed: &self.stashed,
            base: self.base.as_ref(),
        }
    }

    /// Pairs two `Sides`; the base is present only when both have one.
    pub fn zip<U>(self, other: Sides<U>) -> Sides<(T, U)> {
        Sides {
            upstream: (self.upstream, other.upstream),
            stashed: (self.stashed, other.stashed),
            base: self.base.zip(other.base),
        }
    }

    /// The value of one side.
    pub fn get(&self, side: Side) -> &T {
        match side {
            Side::Upstream => &self.upstream,
            Side::Stashed => &self.stashed,
        }
    }

    /// Drops the base: what the two-way comparison sees.
    pub fn without_base(self) -> Sides<T> {
        Sides { base: None, ..self }
    }
}

impl<T: PartialEq> Sides<T> {
    /// "Only one side changed it": with a base, the side to take because the
    /// other one still equals the base (the stash when neither changed it);
    /// `None` without a base or when both sides changed it.
    pub fn trivial(&self) -> Option<Side> {
        let base = self.base.as_ref()?;
        if self.upstream == *base {
            Some(Side::Stashed)
        } else if self.stashed == *base {
            Some(Side::Upstream)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_zip_and_get_keep_sides_apart() {
        let s = Sides::new(1, 2, Some(0)).map(|n| n * 10);
        assert_eq!(s, Sides::new(10, 20, Some(0)));
        let z = s.as_ref().zip(Sides::new("a", "b", None));
        assert_eq!(z.base, None);
        assert_eq!(*z.get(Side::Stashed), (&20, "b"));
    }

    #[test]
    fn trivial_names_the_only_side_that_changed() {
        assert_eq!(Sides::new(1, 2, Some(1)).trivial(), Some(Side::Stashed));
        assert_eq!(Sides::new(2, 1, Some(1)).trivial(), Some(Side::Upstream));
        assert_eq!(Sides::new(1, 1, Some(1)).trivial(), Some(Side::Stashed));
        assert_eq!(Sides::new(2, 3, Some(1)).trivial(), None);
        assert_eq!(Sides::new(2, 3, None).trivial(), None);
    }

    #[test]
    fn side_names_accept_git_synonyms() {
        assert_eq!("ours".parse::<Side>(), Ok(Side::Upstream));
        assert_eq!("theirs".parse::<Side>(), Ok(Side::Stashed));
        assert!("left".parse::<Side>().is_err());
        assert_eq!(Side::Upstream.other(), Side::Stashed);
    }

    #[test]
    fn try_map_stops_at_first_error() {
        let r: Result<Sides<i32>, &str> =
            Sides::new("1", "x", None).try_map(|s| s.parse::<i32>().map_err(|_| "bad"));
        assert_eq!(r, Err("bad"));
    }
}
