//! `Worded`: a message that names sides, kept as data until it is shown.
//!
//! The library explains itself before it knows what the person calls the
//! sides: "only stashed changed it" after a stash pop is "only theirs
//! changed it" in a merge. So a message is a list of pieces, literal text
//! and [`Side`]s, built where the library decides; the command line turns
//! it into words with [`Worded::named`] and the operation's [`SideNames`]
//! (`upstream`/`stashed`, `ours`/`theirs`, …), and nowhere else.
//!
//! ```text
//! worded!["only ", Side::Stashed, " changed it"]
//!     .named(SideNames::STASH)          "only stashed changed it"
//!     .named(SideNames::of(Some(Merge)))  "only theirs changed it"
//! ```
//!
//! Why this shape: a message stays comparable (the summary lists parts
//! settled for the same reason together, so equal messages must be equal
//! values: adjacent text pieces are always joined) and cheap (literal text
//! is borrowed), and no text a file brings in can be mistaken for a side,
//! as a stand-in character written into a `String` could. The base is not
//! a piece: it is called `the base` in every operation.

use std::borrow::Cow;

use crate::conflict::sides::{Side, SideNames};

/// A message made of literal text and sides, named only when shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Worded {
    /// Never two text pieces in a row, never an empty one: equal messages
    /// are equal values.
    pieces: Vec<Piece>,
}

/// One piece of a [`Worded`] message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Piece {
    Text(Cow<'static, str>),
    Side(Side),
}

impl Worded {
    /// An empty message.
    pub fn new() -> Self {
        Worded::default()
    }

    /// Appends `words`: text, a side or another message.
    pub fn push(&mut self, words: impl Words) {
        words.add_to(self);
    }

    /// `self` followed by `words`.
    pub fn and(mut self, words: impl Words) -> Self {
        self.push(words);
        self
    }

    /// Whether the message says nothing.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// `items` with `sep` between them.
    pub fn join(items: impl IntoIterator<Item = Worded>, sep: &'static str) -> Worded {
        let mut out = Worded::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push(item);
        }
        out
    }

    /// The message with each side called as `names` says.
    pub fn named(&self, names: SideNames) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            out.push_str(match piece {
                Piece::Text(t) => t,
                Piece::Side(s) => names.get(*s),
            });
        }
        out
    }

    fn push_text(&mut self, text: Cow<'static, str>) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Text(last)) => last.to_mut().push_str(&text),
            _ => self.pieces.push(Piece::Text(text)),
        }
    }
}

/// What a [`Worded`] message is built from: literal text (`&'static str`,
/// `String`), a [`Side`], or another message.
pub trait Words {
    /// Appends `self` to `to`.
    fn add_to(self, to: &mut Worded);
}

impl Words for &'static str {
    fn add_to(self, to: &mut Worded) {
        to.push_text(Cow::Borrowed(self));
    }
}

impl Words for String {
    fn add_to(self, to: &mut Worded) {
        to.push_text(Cow::Owned(self));
    }
}

impl Words for Side {
    fn add_to(self, to: &mut Worded) {
        to.pieces.push(Piece::Side(self));
    }
}

impl Words for Worded {
    fn add_to(self, to: &mut Worded) {
        if to.pieces.is_empty() {
            *to = self;
            return;
        }
        for piece in self.pieces {
            match piece {
                Piece::Text(t) => to.push_text(t),
                Piece::Side(s) => to.pieces.push(Piece::Side(s)),
            }
        }
    }
}

impl Words for &Worded {
    fn add_to(self, to: &mut Worded) {
        self.clone().add_to(to);
    }
}

impl From<&'static str> for Worded {
    fn from(text: &'static str) -> Self {
        Worded::new().and(text)
    }
}

impl From<String> for Worded {
    fn from(text: String) -> Self {
        Worded::new().and(text)
    }
}

impl From<Side> for Worded {
    fn from(side: Side) -> Self {
        Worded::new().and(side)
    }
}

/// A [`Worded`] message from its pieces, in order: text (`&'static str`,
/// `String`), [`Side`]s and other messages.
///
/// ```
/// use frontmerge::conflict::sides::{Side, SideNames};
/// use frontmerge::worded;
///
/// let w = worded!["only ", Side::Stashed, " changed ", format!("`{}`", "title")];
/// assert_eq!(w.named(SideNames::STASH), "only stashed changed `title`");
/// ```
#[macro_export]
macro_rules! worded {
    ($($piece:expr),* $(,)?) => {{
        #[allow(unused_mut)] // `worded![]` pushes nothing
        let mut w = $crate::conflict::worded::Worded::new();
        $( w.push($piece); )*
        w
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERGE: SideNames = SideNames {
        upstream: "ours",
        stashed: "theirs",
    };

    #[test]
    fn sides_are_named_only_when_shown() {
        let w = worded!["only ", Side::Stashed, " changed it"];
        assert_eq!(w.named(SideNames::STASH), "only stashed changed it");
        assert_eq!(w.named(MERGE), "only theirs changed it");
    }

    #[test]
    fn equal_messages_are_equal_however_they_were_built() {
        let a = worded!["a ", String::from("b "), Side::Upstream, "", " c"];
        let b = worded![worded!["a b "], Side::Upstream, " c"];
        assert_eq!(a, b);
        assert_eq!(
            Worded::join([worded![Side::Upstream], worded!["x"]], " and ").named(MERGE),
            "ours and x"
        );
        assert!(worded![].is_empty() && worded![""].is_empty());
    }
}
