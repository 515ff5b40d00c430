//! Conflicts in git's default (two-way) style from a diff3-style text,
//! each as narrow as the sides allow.
//!
//! git writes its default style from its diff3 hunks in two steps: it
//! refines each hunk (the lines both sides share move out of it, so that
//! one hunk may become several), then joins conflicts that stand three
//! lines or fewer apart into one. For git's own merge of two versions the
//! join keeps the file readable; for the renderings of a merged frontmatter
//! it undoes the engine's work: two values left open three lines apart
//! would be written as one conflict spanning the lines between, which the
//! engine already merged, and wider than git's own conflicts. So the
//! renderings are merged by git in diff3 style and refined here, without
//! the join.
//!
//! ```text
//! <<<<<<< ours            <<<<<<< ours
//! date: 1                 date: 1
//! draft: false            =======
//! x: 5          ──▶       date: 2
//! ||||||| base            >>>>>>> theirs
//! …                       draft: false
//! =======                 <<<<<<< ours
//! date: 2                 x: 5
//! draft: false            =======
//! x: 13                   x: 13
//! >>>>>>> theirs          >>>>>>> theirs
//! ```

use similar::DiffOp;

use super::marker_size::MarkerSize;
use super::scan::{self, Chunk, MarkerKind};

/// `diff3` (git's diff3 style, marker size `size`) in the default style:
/// base sections dropped, each conflict refined by the lines its sides
/// share, conflicts never joined. `None` when the text does not scan.
///
/// `eof`: whether ours' and theirs' versions end without a newline. git
/// ends a section at the end of the file with one, and such a last line is
/// no line of the other side that has its newline (as git's own diff reads
/// them): it is shared only with a last line that lacks one too.
pub fn two_way(diff3: &str, size: MarkerSize, eof: [bool; 2]) -> Option<String> {
    let chunks = scan::scan(diff3, size).ok()?;
    let mut out = String::with_capacity(diff3.len());
    let last = chunks.len().saturating_sub(1);
    for (i, chunk) in chunks.into_iter().enumerate() {
        match chunk {
            Chunk::Text { text, .. } => out.push_str(text),
            Chunk::Conflict(c) => {
                let span = &diff3[c.span.clone()];
                let mut lines = span.split_inclusive('\n');
                let open = lines.next()?;
                let close = lines.next_back()?;
                let (_, eol) = scan::split_eol(open);
                let separator = format!("{}{eol}", MarkerKind::Separator.repeat(size));
                let eof = eof.map(|e| e && i == last);
                refine(
                    &mut out,
                    c.upstream,
                    c.stashed,
                    [open, &separator, close],
                    eof,
                );
            }
        }
    }
    Some(out)
}

/// A section's lines as compared: each with whether it is a last line
/// that lacks its newline in its version (`eof`), git having given it one.
fn keyed(section: &str, eof: bool) -> Vec<(&str, bool)> {
    let lines: Vec<&str> = section.split_inclusive('\n').collect();
    let n = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (l, eof && i + 1 == n))
        .collect()
}

/// `diff3` (git's diff3 style, marker size `size`) with each conflict
/// whose base section is empty (both sides put lines in where the base has
/// none) as narrow as its sides allow: lines both put in alike at its start
/// and end stand outside it, as git's zdiff3 writes them; the base section
/// stays empty, and is still what the base had there. Other conflicts are
/// git's. `None` when the text does not scan.
pub fn both_added(diff3: &str, size: MarkerSize, eof: [bool; 2]) -> Option<String> {
    shared_edges_out(diff3, size, str::is_empty, eof)
}

/// `diff3` with the lines both sides share at the start and end of each
/// conflict whose base section `which` takes standing outside it, as git's
/// zdiff3 writes them; the base section stays whole. A conflict whose
/// sides are alike is no conflict. `None` when the text does not scan.
/// `eof` as for [`two_way`].
pub fn shared_edges_out(
    diff3: &str,
    size: MarkerSize,
    which: impl Fn(&str) -> bool,
    eof: [bool; 2],
) -> Option<String> {
    let chunks = scan::scan(diff3, size).ok()?;
    let mut out = String::with_capacity(diff3.len());
    let last = chunks.len().saturating_sub(1);
    for (i, chunk) in chunks.into_iter().enumerate() {
        let eof = eof.map(|e| e && i == last);
        match chunk {
            Chunk::Text { text, .. } => out.push_str(text),
            Chunk::Conflict(c) if !c.base.is_some_and(&which) => {
                out.push_str(&diff3[c.span.clone()])
            }
            // Alike on both sides: no conflict left.
            Chunk::Conflict(c) if c.upstream == c.stashed && eof[0] == eof[1] => {
                out.push_str(c.upstream)
            }
            Chunk::Conflict(c) => {
                let (uk, b, sk) = (
                    keyed(c.upstream, eof[0]),
                    c.base.map_or(0, |b| b.split_inclusive('\n').count()),
                    keyed(c.stashed, eof[1]),
                );
                let (head, tail) = shared_ends(&uk, &sk);
                let u: Vec<&str> = uk.iter().map(|k| k.0).collect();
                let s: Vec<&str> = sk.iter().map(|k| k.0).collect();
                // The marker lines: `<<<`, ours, `|||`, base, `===`, theirs, `>>>`.
                let lines: Vec<&str> = diff3[c.span.clone()].split_inclusive('\n').collect();
                let open = *lines.first()?;
                let close = *lines.last()?;
                let base = lines.get(1 + u.len()..2 + u.len() + b)?;
                let separator = *lines.get(2 + u.len() + b)?;
                u[..head].iter().for_each(|l| out.push_str(l));
                out.push_str(open);
                u[head..u.len() - tail].iter().for_each(|l| out.push_str(l));
                base.iter().for_each(|l| out.push_str(l));
                out.push_str(separator);
                s[head..s.len() - tail].iter().for_each(|l| out.push_str(l));
                out.push_str(close);
                u[u.len() - tail..].iter().for_each(|l| out.push_str(l));
            }
        }
    }
    Some(out)
}

/// `out`, a rendering of a merge of `up` and `st` whose conflicts were
/// narrowed here, ending as the sides end: git ends a section whose last
/// line lacks its newline with one (the marker after it stays on its own
/// line), and a last line both sides share, taken out of such a conflict,
/// is written as the sides have it, without (as git's own narrowing
/// writes it; PowerShell-Docs' jea/role-capabilities.md).
pub fn ends_as_sides(mut out: String, up: &str, st: &str, size: MarkerSize) -> String {
    if lacks_final_newline(up)
        && lacks_final_newline(st)
        && out.ends_with('\n')
        && !ends_in_conflict(&out, size)
    {
        drop_added_newline(&mut out, up);
    }
    out
}

/// Whether `text` is not empty and its last line lacks its newline.
pub fn lacks_final_newline(text: &str) -> bool {
    !text.is_empty() && !text.ends_with('\n')
}

/// Whether the last line of `text` (a rendering with markers of size
/// `size`) closes a conflict.
pub fn ends_in_conflict(text: &str, size: MarkerSize) -> bool {
    let rest = text.strip_suffix('\n').unwrap_or(text);
    let last = &rest[rest.rfind('\n').map_or(0, |i| i + 1)..];
    last.starts_with(&MarkerKind::Close.repeat(size))
}

/// Takes off the newline git gave the last line of `text`, which `version`
/// ends without: `\n`, or `\r\n` (a version's own last `\r` stays).
pub fn drop_added_newline(text: &mut String, version: &str) {
    let Some(rest) = text.strip_suffix('\n') else {
        return;
    };
    let rest = match rest.strip_suffix('\r') {
        Some(r) if !version.ends_with('\r') => r,
        _ => rest,
    };
    text.truncate(rest.len());
}

/// How many items two sides share at their start, and (of what is left
/// after those) at their end: the lines that stand outside a conflict
/// between them.
pub fn shared_ends<T: PartialEq>(a: &[T], b: &[T]) -> (usize, usize) {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (head, tail)
}

/// One conflict's sides, with the lines they share outside markers.
fn refine(out: &mut String, up: &str, st: &str, markers: [&str; 3], eof: [bool; 2]) {
    let (uk, sk) = (keyed(up, eof[0]), keyed(st, eof[1]));
    let ops = super::diff::items(&uk, &sk);
    let u: Vec<&str> = uk.iter().map(|k| k.0).collect();
    let s: Vec<&str> = sk.iter().map(|k| k.0).collect();
    let (mut a, mut b) = (String::new(), String::new());
    let flush = |out: &mut String, a: &mut String, b: &mut String| {
        if a.is_empty() && b.is_empty() {
            return;
        }
        out.push_str(markers[0]);
        out.push_str(a);
        out.push_str(markers[1]);
        out.push_str(b);
        out.push_str(markers[2]);
        a.clear();
        b.clear();
    };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                flush(out, &mut a, &mut b);
                u[old_index..old_index + len]
                    .iter()
                    .for_each(|l| out.push_str(l));
            }
            op => {
                let (old, new) = (op.old_range(), op.new_range());
                u[old].iter().for_each(|l| a.push_str(l));
                s[new].iter().for_each(|l| b.push_str(l));
            }
        }
    }
    flush(out, &mut a, &mut b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_last_line_taken_out_of_a_conflict_ends_as_the_sides_do() {
        let size = MarkerSize::default();
        // git ended both sections with a newline the sides lack.
        let diff3 = "a\n<<<<<<< o\nx\nend\n||||||| b\n=======\ny\nend\n>>>>>>> t\n";
        let two = two_way(diff3, size, [true, true]).unwrap();
        assert_eq!(two, "a\n<<<<<<< o\nx\n=======\ny\n>>>>>>> t\nend\n");
        let (up, st) = ("a\nx\nend", "a\ny\nend");
        assert_eq!(
            ends_as_sides(two.clone(), up, st, size),
            "a\n<<<<<<< o\nx\n=======\ny\n>>>>>>> t\nend"
        );
        // Only theirs' `end` lacks its newline: no line of ours' (git's
        // own diff tells them apart), it stays inside.
        assert_eq!(
            two_way(diff3, size, [false, true]).unwrap(),
            "a\n<<<<<<< o\nx\nend\n=======\ny\nend\n>>>>>>> t\n"
        );
        // A side with its newline, or a conflict last: as it was.
        assert_eq!(ends_as_sides(two.clone(), "a\nx\nend\n", st, size), two);
        let last = "<<<<<<< o\nx\n=======\ny\n>>>>>>> t\n";
        assert_eq!(ends_as_sides(last.into(), "x", "y", size), last);
        // CRLF: git's `\r\n` goes.
        assert_eq!(
            ends_as_sides(
                "<<<<<<< o\r\nx\r\n=======\r\ny\r\n>>>>>>> t\r\nend\r\n".into(),
                "x\r\nend",
                "y\r\nend",
                size
            ),
            "<<<<<<< o\r\nx\r\n=======\r\ny\r\n>>>>>>> t\r\nend"
        );
    }

    #[test]
    fn conflicts_three_lines_apart_stay_apart() {
        let diff3 = "t\n<<<<<<< o\ndate: 1\ndraft: f\nm: [\n  [5, 4],\n||||||| b\ndate: 0\ndraft: f\nm: [\n  [3, 4],\n=======\ndate: 2\ndraft: f\nm: [\n  [13, 4],\n>>>>>>> t\n]\n";
        assert_eq!(
            two_way(diff3, MarkerSize::default(), [false; 2]).unwrap(),
            "t\n<<<<<<< o\ndate: 1\n=======\ndate: 2\n>>>>>>> t\ndraft: f\nm: [\n<<<<<<< o\n  [5, 4],\n=======\n  [13, 4],\n>>>>>>> t\n]\n"
        );
    }

    #[test]
    fn lines_both_sides_put_in_alike_stand_outside_an_empty_base() {
        let diff3 = "a\n<<<<<<< o\n[[r]]\nname = l\nsrc = b\n||||||| b\n=======\n[[r]]\nname = d\nsrc = b\n>>>>>>> t\nz\n<<<<<<< o\nx\n||||||| b\ny\n=======\nx\n>>>>>>> t\n";
        assert_eq!(
            both_added(diff3, MarkerSize::default(), [false; 2]).unwrap(),
            "a\n[[r]]\n<<<<<<< o\nname = l\n||||||| b\n=======\nname = d\n>>>>>>> t\nsrc = b\nz\n<<<<<<< o\nx\n||||||| b\ny\n=======\nx\n>>>>>>> t\n"
        );
        // Alike on both sides: no conflict.
        let diff3 = "<<<<<<< o\nq\n||||||| b\n=======\nq\n>>>>>>> t\n";
        assert_eq!(
            both_added(diff3, MarkerSize::default(), [false; 2]).unwrap(),
            "q\n"
        );
    }

    #[test]
    fn shared_edges_stand_outside_a_conflict_with_a_base_too() {
        let diff3 = "a\n<<<<<<< o\nx,\ny\nz\n||||||| b\nx\n=======\nx,\nw\nz\n>>>>>>> t\nc\n";
        let out = shared_edges_out(diff3, MarkerSize::default(), |_| true, [false; 2]).unwrap();
        assert_eq!(
            out,
            "a\nx,\n<<<<<<< o\ny\n||||||| b\nx\n=======\nw\n>>>>>>> t\nz\nc\n"
        );
        // Only the conflicts `which` takes; both_added takes empty bases.
        assert_eq!(
            both_added(diff3, MarkerSize::default(), [false; 2]).unwrap(),
            diff3
        );
    }

    #[test]
    fn a_side_with_nothing_and_crlf_markers() {
        let diff3 = "a\r\n<<<<<<< o\r\nx\r\n||||||| b\r\ny\r\n=======\r\n>>>>>>> t\r\nz\r\n";
        assert_eq!(
            two_way(diff3, MarkerSize::default(), [false; 2]).unwrap(),
            "a\r\n<<<<<<< o\r\nx\r\n=======\r\n>>>>>>> t\r\nz\r\n"
        );
    }
}
