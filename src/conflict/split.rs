//! Rebuilds each whole side of a conflicted file from its chunks.
//!
//! Upstream is every text chunk plus the `<<<<<<<` section of every conflict,
//! stashed the same with the `>>>>>>>` sections, and the base exists only when
//! every conflict has a `|||||||` section (diff3 / zdiff3 markers).
//!
//! Two modes, as the scanner has: [`split`] rebuilds the sides from the
//! strict scan's chunks; [`split_lenient`] from the groups the lenient scan
//! found (`check`, which reads on past malformed markers).

use crate::conflict::scan::{lines_with_offsets, Chunk, Group, Labels};
use crate::conflict::sides::Sides;

/// One rebuilt side, remembering where its lines came from in the file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SideText {
    /// The side's whole text.
    pub text: String,
    /// `(first line in side, first line in file)` for each copied piece, 1-based.
    origins: Vec<(usize, usize)>,
}

impl SideText {
    /// A side that is the file itself (no conflicts).
    pub fn whole(text: &str) -> SideText {
        SideText {
            text: text.to_owned(),
            origins: vec![(1, 1)],
        }
    }

    /// Appends `piece`, copied from `file_line` (1-based) of the file;
    /// `side_line` is the side's next line, moved past the piece. A piece
    /// that continues the previous one's lines adds no origin.
    pub fn push(&mut self, piece: &str, file_line: usize, side_line: &mut usize) {
        if piece.is_empty() {
            return;
        }
        let continues = self
            .origins
            .last()
            .is_some_and(|&(s, f)| file_line == f + (*side_line - s));
        if !continues {
            self.origins.push((*side_line, file_line));
        }
        self.text.push_str(piece);
        *side_line += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
    }

    /// The file line that side line `line` (1-based) was copied from.
    pub fn file_line(&self, line: usize) -> usize {
        let i = self.origins.partition_point(|&(s, _)| s <= line);
        match i.checked_sub(1).map(|i| self.origins[i]) {
            Some((s, f)) => f + (line - s),
            None => line,
        }
    }
}

/// The sides of a conflicted file and the labels git wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// Each side's text.
    pub sides: Sides<SideText>,
    /// Labels of the first conflict (the ones shown to the user).
    pub labels: Labels<'a>,
    /// How many conflicts the file had.
    pub conflicts: usize,
}

/// Rebuilds the sides from scanned chunks.
pub fn split<'a>(chunks: &[Chunk<'a>]) -> Split<'a> {
    let all_have_base = chunks.iter().all(|c| match c {
        Chunk::Conflict(c) => c.base.is_some(),
        Chunk::Text { .. } => true,
    });
    let conflicts = chunks
        .iter()
        .filter(|c| matches!(c, Chunk::Conflict(_)))
        .count();
    // Each side's length, for its text to be allocated once.
    let mut len = Sides::new(0, 0, Some(0));
    for chunk in chunks {
        let (up, st, base) = match chunk {
            Chunk::Text { text, .. } => (text.len(), text.len(), text.len()),
            Chunk::Conflict(c) => (
                c.upstream.len(),
                c.stashed.len(),
                c.base.map_or(0, str::len),
            ),
        };
        len.upstream += up;
        len.stashed += st;
        len.base = len.base.map(|b| b + base);
    }
    let side = |len: usize| SideText {
        text: String::with_capacity(len),
        origins: Vec::new(),
    };
    let mut sides = Sides::new(
        side(len.upstream),
        side(len.stashed),
        (all_have_base && conflicts > 0).then(|| side(len.base.unwrap_or(0))),
    );
    let mut next = Sides::new(1, 1, Some(1));
    let mut labels = None;
    for chunk in chunks {
        match chunk {
            Chunk::Text { text, line } => {
                sides.upstream.push(text, *line, &mut next.upstream);
                sides.stashed.push(text, *line, &mut next.stashed);
                if let (Some(b), Some(n)) = (sides.base.as_mut(), next.base.as_mut()) {
                    b.push(text, *line, n);
                }
            }
            Chunk::Conflict(c) => {
                labels.get_or_insert(c.labels);
                sides
                    .upstream
                    .push(c.upstream, c.line + 1, &mut next.upstream);
                let base_lines = c.base.map_or(0, |b| b.matches('\n').count() + 1);
                let stashed_line = c.line + 1 + c.upstream.matches('\n').count() + 1 + base_lines;
                sides
                    .stashed
                    .push(c.stashed, stashed_line, &mut next.stashed);
                if let (Some(b), Some(n), Some(text)) =
                    (sides.base.as_mut(), next.base.as_mut(), c.base)
                {
                    let base_line = c.line + 1 + c.upstream.matches('\n').count() + 1;
                    b.push(text, base_line, n);
                }
            }
        }
    }
    Split {
        sides,
        labels: labels.unwrap_or_default(),
        conflicts,
    }
}

/// Which side(s) a line of the file goes to in [`split_lenient`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Role {
    Both,
    Upstream,
    Stashed,
    Neither,
}

/// Rebuilds the upstream and stashed sides (no base) of `text` from the
/// lenient scan's `groups` (those the caller counts as conflicts; its other
/// marker lines stay text): every line outside them is both sides'; a
/// block's `<<<<<<<` section is upstream's, its `>>>>>>>` section stashed's
/// (a second `=======` or `|||||||` after the separator included, as the
/// lenient scan reads it); its marker lines and base section, and a lone
/// marker line, are neither side's. Each side knows the file line of each
/// of its lines.
///
/// ```text
/// title: A          both
/// <<<<<<< ours      neither
/// x: 1              upstream
/// ||||||| base      neither
/// x: 0              neither
/// =======           neither
/// x: 2              stashed
/// >>>>>>> theirs    neither
/// >>>>>>> stray     neither (lone)
/// ```
pub fn split_lenient(text: &str, groups: &[Group]) -> Sides<SideText> {
    let lines: Vec<&str> = lines_with_offsets(text).map(|(_, l)| l).collect();
    let mut roles = vec![Role::Both; lines.len()];
    for group in groups {
        match *group {
            Group::Block(b) => {
                let upstream_end = b.base.unwrap_or(b.sep);
                for (l, role) in roles.iter_mut().enumerate().take(b.close + 1).skip(b.open) {
                    *role = if l > b.open && l < upstream_end {
                        Role::Upstream
                    } else if l > b.sep && l < b.close {
                        Role::Stashed
                    } else {
                        Role::Neither
                    };
                }
            }
            Group::Lone(l, _) => roles[l] = Role::Neither,
        }
    }
    let side = |own: Role| {
        let mut out = SideText::default();
        let mut next = 1;
        for (i, (line, &role)) in lines.iter().zip(&roles).enumerate() {
            if role == Role::Both || role == own {
                out.push(line, i + 1, &mut next);
            }
        }
        out
    };
    Sides::new(side(Role::Upstream), side(Role::Stashed), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::marker_size::MarkerSize;
    use crate::conflict::scan::scan;

    const DIFF3: &str = "a\n<<<<<<< up\nu1\nu2\n||||||| base\nb\n=======\ns\n>>>>>>> st\nz\n";

    #[test]
    fn rebuilds_each_side_and_the_base() {
        let chunks = scan(DIFF3, MarkerSize::DEFAULT).unwrap();
        let s = split(&chunks);
        assert_eq!(s.sides.upstream.text, "a\nu1\nu2\nz\n");
        assert_eq!(s.sides.stashed.text, "a\ns\nz\n");
        assert_eq!(s.sides.base.as_ref().unwrap().text, "a\nb\nz\n");
        assert_eq!((s.labels.upstream, s.labels.stashed), ("up", "st"));
        assert_eq!(s.conflicts, 1);
    }

    #[test]
    fn side_lines_map_back_to_file_lines() {
        let chunks = scan(DIFF3, MarkerSize::DEFAULT).unwrap();
        let s = split(&chunks);
        assert_eq!(s.sides.upstream.file_line(2), 3);
        assert_eq!(s.sides.upstream.file_line(4), 10);
        assert_eq!(s.sides.stashed.file_line(2), 8);
        assert_eq!(s.sides.base.as_ref().unwrap().file_line(2), 6);
    }

    #[test]
    fn base_only_when_every_conflict_has_one() {
        let t =
            "<<<<<<< a\nx\n||||||| o\n=======\ny\n>>>>>>> b\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
        let s = split(&scan(t, MarkerSize::DEFAULT).unwrap());
        assert!(s.sides.base.is_none());
        assert_eq!(s.conflicts, 2);
    }

    #[test]
    fn lenient_groups_split_into_sides_with_file_lines() {
        use crate::conflict::examples::Examples;
        use crate::conflict::scan::lenient;
        // A block with a base, a stray close, and a second separator that
        // the lenient scan reads as stashed content.
        let t = "a\n<<<<<<< up\nu\n||||||| base\nb\n=======\ns\n=======\nt\n>>>>>>> st\nz\n>>>>>>> stray\nend\n";
        let groups = lenient(t, MarkerSize::DEFAULT, &Examples::none());
        let sides = split_lenient(t, &groups);
        assert_eq!(sides.upstream.text, "a\nu\nz\nend\n");
        assert_eq!(sides.stashed.text, "a\ns\n=======\nt\nz\nend\n");
        assert!(sides.base.is_none());
        assert_eq!(sides.upstream.file_line(2), 3);
        assert_eq!(sides.upstream.file_line(4), 13);
        assert_eq!(sides.stashed.file_line(2), 7);
        assert_eq!(sides.stashed.file_line(5), 11);
        // Groups left out (fenced examples outside a repository) stay text.
        let kept = split_lenient(t, &[]);
        assert_eq!(kept.upstream.text, t);
        assert_eq!(kept.stashed.text, t);
    }
}
