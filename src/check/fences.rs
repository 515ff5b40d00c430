//! Conflict-marker leftovers in the check: the lenient grouping of marker lines
//! and the fenced code blocks that may hold them as examples.

use std::collections::HashSet;

use similar::DiffOp;

use super::{lines_of, Role};
use crate::conflict::scan::{marker, split_eol, MarkerKind};

/// True when some conflict marker line stands inside a fenced code block, so
/// the verdict depends on [`Committed`] (the caller fetches HEAD only then).
pub fn has_fenced_markers(text: &str, marker_size: usize) -> bool {
    if !crate::conflict::scan::has_marker(text, marker_size, GROUP_KINDS) {
        return false;
    }
    let lines = lines_of(text);
    let fences = fence_regions(&lines);
    groups(&lines, marker_size)
        .iter()
        .any(|g| fence_of(g, &fences).is_some())
}

/// File lines (0-based) that are unchanged since `head`: a line diff's equal runs.
pub(super) fn lines_in(head: Option<&str>, text: &str) -> HashSet<usize> {
    let Some(head) = head else {
        return HashSet::new();
    };
    crate::diff::line_diff(head, text)
        .ops()
        .iter()
        .filter_map(|op| match *op {
            DiffOp::Equal { new_index, len, .. } => Some(new_index..new_index + len),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A whole conflict block: 0-based lines of its markers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Block {
    pub(super) open: usize,
    pub(super) base: Option<usize>,
    pub(super) sep: usize,
    pub(super) close: usize,
}

impl Block {
    pub(super) fn lines(&self) -> Vec<usize> {
        let mut v = vec![self.open];
        v.extend(self.base);
        v.extend([self.sep, self.close]);
        v
    }

    /// Which side each line of the block belongs to.
    pub(super) fn assign_roles(&self, roles: &mut [Role]) {
        let upstream_end = self.base.unwrap_or(self.sep);
        for (l, role) in roles
            .iter_mut()
            .enumerate()
            .take(self.close + 1)
            .skip(self.open)
        {
            *role = if l > self.open && l < upstream_end {
                Role::Upstream
            } else if l > self.sep && l < self.close {
                Role::Stashed
            } else {
                Role::Neither // markers and the base section
            };
        }
    }
}

/// Markers that can start a group; a lone `=======` is a setext underline.
pub(super) const GROUP_KINDS: &[MarkerKind] =
    &[MarkerKind::Open, MarkerKind::Base, MarkerKind::Close];

/// Marker lines, grouped: whole blocks, or single lines that belong to none.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Group {
    Block(Block),
    Lone(usize, MarkerKind),
}

impl Group {
    pub(super) fn lines(&self) -> Vec<usize> {
        match self {
            Group::Block(b) => b.lines(),
            Group::Lone(l, _) => vec![*l],
        }
    }
}

/// The tolerant pass over marker lines: unlike the scanner it never stops.
///
/// A block is `<<<<<<<`, an optional `|||||||`, `=======`, `>>>>>>>` in that
/// order; a second `=======` or `|||||||` after the separator is content. An
/// opening that another opening, a `>>>>>>>` before any separator, or the end
/// of the file cuts short is lone; so are `>>>>>>>` and `|||||||` outside a
/// block. `=======` outside a block is text (a setext heading underline).
pub(super) fn groups(lines: &[&str], size: usize) -> Vec<Group> {
    struct Open {
        open: usize,
        base: Option<usize>,
        sep: Option<usize>,
    }
    let mut out = Vec::new();
    let mut cur: Option<Open> = None;
    let abandon = |o: Open, out: &mut Vec<Group>| {
        out.push(Group::Lone(o.open, MarkerKind::Open));
        if let Some(b) = o.base {
            out.push(Group::Lone(b, MarkerKind::Base));
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let Some((kind, _)) = marker(line, size) else {
            continue;
        };
        cur = match (cur, kind) {
            (None, MarkerKind::Open) => Some(Open {
                open: i,
                base: None,
                sep: None,
            }),
            (None, MarkerKind::Separator) => None,
            (None, k) => {
                out.push(Group::Lone(i, k));
                None
            }
            (Some(o), MarkerKind::Open) => {
                abandon(o, &mut out);
                Some(Open {
                    open: i,
                    base: None,
                    sep: None,
                })
            }
            (Some(mut o), MarkerKind::Base) => {
                if o.sep.is_none() && o.base.is_none() {
                    o.base = Some(i);
                }
                Some(o)
            }
            (Some(mut o), MarkerKind::Separator) => {
                o.sep.get_or_insert(i);
                Some(o)
            }
            (Some(o), MarkerKind::Close) => {
                match o.sep {
                    Some(sep) => out.push(Group::Block(Block {
                        open: o.open,
                        base: o.base,
                        sep,
                        close: i,
                    })),
                    None => {
                        abandon(o, &mut out);
                        out.push(Group::Lone(i, MarkerKind::Close));
                    }
                }
                None
            }
        };
    }
    if let Some(o) = cur {
        abandon(o, &mut out);
    }
    out
}

/// A fenced code block delimiter: up to 3 spaces, then 3 or more backticks
/// (no backtick in the info string) or tildes. Returns the character and count.
pub(super) fn fence_open(line: &str) -> Option<(u8, usize)> {
    let content = split_eol(line).0;
    let t = content.trim_start_matches(' ');
    if content.len() - t.len() > 3 {
        return None;
    }
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    if n < 3 || (c == b'`' && t[n..].contains('`')) {
        return None;
    }
    Some((c, n))
}

pub(super) fn fence_closes(line: &str, c: u8, n: usize) -> bool {
    let content = split_eol(line).0;
    let t = content.trim_start_matches(' ');
    let run = t.bytes().take_while(|&b| b == c).count();
    content.len() - t.len() <= 3 && run >= n && t[run..].trim().is_empty()
}

/// For each line, the id of the closed fenced code block it is inside of
/// (delimiters excluded). An unclosed fence counts as none, so a leftover
/// after a stray fence opener is still an error.
pub(super) fn fence_regions(lines: &[&str]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    let mut i = 0;
    let mut id = 0;
    while i < lines.len() {
        let Some((c, n)) = fence_open(lines[i]) else {
            i += 1;
            continue;
        };
        match (i + 1..lines.len()).find(|&j| fence_closes(lines[j], c, n)) {
            Some(j) => {
                out[i + 1..j].fill(Some(id));
                id += 1;
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The fenced block that holds every line of the group, if one does.
pub(super) fn fence_of(group: &Group, fences: &[Option<usize>]) -> Option<usize> {
    let lines = group.lines();
    let first = fences[lines[0]]?;
    lines
        .iter()
        .all(|&l| fences[l] == Some(first))
        .then_some(first)
}
