//! Line endings one side converted, the whole file: an editor, a
//! formatter or `core.autocrlf` turned every CRLF into LF (or back) while
//! the other side kept the base's and edited. Line by line every line then
//! changed on the converting side, so git conflicts over the whole file, and
//! whatever the other side added arrives in the old endings: a result with
//! both. The conversion is a change of the whole file's layout, made by one
//! side: the other side's text and the base are read in the new endings
//! before anything is merged, so that its edits merge as edits and the
//! result has the converting side's endings throughout.
//!
//! ```text
//! base      title: A␍␊ draft: false␍␊     CRLF
//! upstream  title: A␊  draft: false␊      LF, nothing else
//! stashed   title: B␍␊ draft: false␍␊     CRLF, title edited
//! merged    title: B␊  draft: false␊      the edit, in LF
//! ```
//!
//! Only where it is that plain: the base and the other side each in one
//! style, the converting side in the other. Mixed endings anywhere, or both
//! sides converting, are merged as they are.

use crate::conflict::sides::{Side, Sides};

/// A file's line endings, all alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eol {
    /// `\n`.
    Lf,
    /// `\r\n`.
    Crlf,
}

/// The endings of `text` when all are alike and it has one; `None` for a
/// text with both, with a lone CR, or without a line ending.
pub fn style(text: &str) -> Option<Eol> {
    let b = text.as_bytes();
    let lf = memchr::memchr_iter(b'\n', b).count();
    let cr = memchr::memchr_iter(b'\r', b).count();
    if lf == 0 {
        return None;
    }
    if cr == 0 {
        return Some(Eol::Lf);
    }
    let crlf = memchr::memmem::find_iter(b, b"\r\n").count();
    (crlf == lf && cr == lf).then_some(Eol::Crlf)
}

/// `text` with every line ending written `to` (its endings all alike).
pub fn convert(text: &str, to: Eol) -> String {
    match to {
        Eol::Lf => text.replace("\r\n", "\n"),
        Eol::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
    }
}

/// One side's conversion of the whole file's line endings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Converted {
    /// The side that converted them.
    pub side: Side,
    /// To what.
    pub to: Eol,
}

impl Converted {
    /// The conversion in `versions`, if one side made it (see the module).
    pub fn of(versions: &Sides<&str>) -> Option<Converted> {
        let was = style(versions.base?)?;
        let (up, st) = (style(versions.upstream), style(versions.stashed));
        let (side, to) = match (up, st) {
            (Some(u), Some(s)) if u != was && s == was => (Side::Upstream, u),
            (Some(u), Some(s)) if s != was && u == was => (Side::Stashed, s),
            _ => return None,
        };
        Some(Converted { side, to })
    }

    /// The versions to merge: the base and the other side in the new
    /// endings, the converting side as it is.
    pub fn versions(self, versions: &Sides<&str>) -> Sides<String> {
        let conv = |t: &str| convert(t, self.to);
        let (up, st) = match self.side {
            Side::Upstream => (versions.upstream.to_owned(), conv(versions.stashed)),
            Side::Stashed => (conv(versions.upstream), versions.stashed.to_owned()),
        };
        Sides::new(up, st, versions.base.map(conv))
    }

    /// What a person is told: `one side converted every line ending to LF:
    /// merged in LF`.
    pub fn said(self) -> &'static str {
        match self.to {
            Eol::Lf => "one side converted every line ending to LF, the other kept CRLF: the other's changes are merged in LF",
            Eol::Crlf => "one side converted every line ending to CRLF, the other kept LF: the other's changes are merged in CRLF",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_read_only_where_every_ending_is_alike() {
        assert_eq!(style("a\nb\n"), Some(Eol::Lf));
        assert_eq!(style("a\r\nb"), Some(Eol::Crlf));
        assert_eq!(style("a\r\nb\n"), None);
        assert_eq!(style("a\rb\r\n"), None);
        assert_eq!(style("no ending"), None);
        assert_eq!(convert("a\r\nb\r\n", Eol::Lf), "a\nb\n");
        assert_eq!(convert("a\nb", Eol::Crlf), "a\r\nb");
    }

    #[test]
    fn the_side_that_converted_gives_the_endings() {
        let (crlf, lf) = ("t: A\r\nx: 1\r\n", "t: A\nx: 1\n");
        let edited = "t: B\r\nx: 1\r\ny: 2\r\n";
        let v = Sides::new(lf, edited, Some(crlf));
        let c = Converted::of(&v).unwrap();
        assert_eq!(
            c,
            Converted {
                side: Side::Upstream,
                to: Eol::Lf
            }
        );
        let n = c.versions(&v);
        assert_eq!(
            (n.upstream.as_str(), n.stashed.as_str(), n.base.as_deref()),
            (lf, "t: B\nx: 1\ny: 2\n", Some(lf))
        );
        // Back the other way, from the stash.
        let v = Sides::new("t: B\nx: 1\n", "t: A\r\nx: 1\r\n", Some(lf));
        assert_eq!(
            Converted::of(&v),
            Some(Converted {
                side: Side::Stashed,
                to: Eol::Crlf
            })
        );
        // Nothing to say: no base, both converted, mixed endings, alike.
        for v in [
            Sides::new(lf, crlf, None),
            Sides::new(lf, lf, Some(crlf)),
            Sides::new(lf, "t: A\r\nx: 1\n", Some(crlf)),
            Sides::new(lf, lf, Some(lf)),
        ] {
            assert_eq!(Converted::of(&v), None, "{v:?}");
        }
    }
}
