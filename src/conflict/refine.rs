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

use similar::{Algorithm, DiffOp};

use super::marker_size::MarkerSize;
use super::scan::{self, Chunk, MarkerKind};

/// `diff3` (git's diff3 style, marker size `size`) in the default style:
/// base sections dropped, each conflict refined by the lines its sides
/// share, conflicts never joined. `None` when the text does not scan.
pub fn two_way(diff3: &str, size: MarkerSize) -> Option<String> {
    let chunks = scan::scan(diff3, size).ok()?;
    let mut out = String::with_capacity(diff3.len());
    for chunk in chunks {
        match chunk {
            Chunk::Text { text, .. } => out.push_str(text),
            Chunk::Conflict(c) => {
                let span = &diff3[c.span.clone()];
                let mut lines = span.split_inclusive('\n');
                let open = lines.next()?;
                let close = lines.next_back()?;
                let (_, eol) = scan::split_eol(open);
                let separator = format!("{}{eol}", MarkerKind::Separator.repeat(size));
                refine(&mut out, c.upstream, c.stashed, [open, &separator, close]);
            }
        }
    }
    Some(out)
}

/// `diff3` (git's diff3 style, marker size `size`) with each conflict
/// whose base section is empty (both sides put lines in where the base has
/// none) as narrow as its sides allow: lines both put in alike at its start
/// and end stand outside it, as git's zdiff3 writes them; the base section
/// stays empty, and is still what the base had there. Other conflicts are
/// git's. `None` when the text does not scan.
pub fn both_added(diff3: &str, size: MarkerSize) -> Option<String> {
    shared_edges_out(diff3, size, str::is_empty)
}

/// `diff3` with the lines both sides share at the start and end of each
/// conflict whose base section `which` takes standing outside it, as git's
/// zdiff3 writes them; the base section stays whole. A conflict whose
/// sides are alike is no conflict. `None` when the text does not scan.
pub fn shared_edges_out(
    diff3: &str,
    size: MarkerSize,
    which: impl Fn(&str) -> bool,
) -> Option<String> {
    let chunks = scan::scan(diff3, size).ok()?;
    let mut out = String::with_capacity(diff3.len());
    for chunk in chunks {
        match chunk {
            Chunk::Text { text, .. } => out.push_str(text),
            Chunk::Conflict(c) if !c.base.is_some_and(&which) => {
                out.push_str(&diff3[c.span.clone()])
            }
            // Alike on both sides: no conflict left.
            Chunk::Conflict(c) if c.upstream == c.stashed => out.push_str(c.upstream),
            Chunk::Conflict(c) => {
                let (u, b, s): (Vec<&str>, usize, Vec<&str>) = (
                    c.upstream.split_inclusive('\n').collect(),
                    c.base.map_or(0, |b| b.split_inclusive('\n').count()),
                    c.stashed.split_inclusive('\n').collect(),
                );
                let (head, tail) = shared_ends(&u, &s);
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
fn refine(out: &mut String, up: &str, st: &str, markers: [&str; 3]) {
    let (u, s): (Vec<&str>, Vec<&str>) = (
        up.split_inclusive('\n').collect(),
        st.split_inclusive('\n').collect(),
    );
    let ops = similar::capture_diff_slices(Algorithm::Myers, &u, &s);
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
    fn conflicts_three_lines_apart_stay_apart() {
        let diff3 = "t\n<<<<<<< o\ndate: 1\ndraft: f\nm: [\n  [5, 4],\n||||||| b\ndate: 0\ndraft: f\nm: [\n  [3, 4],\n=======\ndate: 2\ndraft: f\nm: [\n  [13, 4],\n>>>>>>> t\n]\n";
        assert_eq!(
            two_way(diff3, MarkerSize::default()).unwrap(),
            "t\n<<<<<<< o\ndate: 1\n=======\ndate: 2\n>>>>>>> t\ndraft: f\nm: [\n<<<<<<< o\n  [5, 4],\n=======\n  [13, 4],\n>>>>>>> t\n]\n"
        );
    }

    #[test]
    fn lines_both_sides_put_in_alike_stand_outside_an_empty_base() {
        let diff3 = "a\n<<<<<<< o\n[[r]]\nname = l\nsrc = b\n||||||| b\n=======\n[[r]]\nname = d\nsrc = b\n>>>>>>> t\nz\n<<<<<<< o\nx\n||||||| b\ny\n=======\nx\n>>>>>>> t\n";
        assert_eq!(
            both_added(diff3, MarkerSize::default()).unwrap(),
            "a\n[[r]]\n<<<<<<< o\nname = l\n||||||| b\n=======\nname = d\n>>>>>>> t\nsrc = b\nz\n<<<<<<< o\nx\n||||||| b\ny\n=======\nx\n>>>>>>> t\n"
        );
        // Alike on both sides: no conflict.
        let diff3 = "<<<<<<< o\nq\n||||||| b\n=======\nq\n>>>>>>> t\n";
        assert_eq!(both_added(diff3, MarkerSize::default()).unwrap(), "q\n");
    }

    #[test]
    fn shared_edges_stand_outside_a_conflict_with_a_base_too() {
        let diff3 = "a\n<<<<<<< o\nx,\ny\nz\n||||||| b\nx\n=======\nx,\nw\nz\n>>>>>>> t\nc\n";
        let out = shared_edges_out(diff3, MarkerSize::default(), |_| true).unwrap();
        assert_eq!(
            out,
            "a\nx,\n<<<<<<< o\ny\n||||||| b\nx\n=======\nw\n>>>>>>> t\nz\nc\n"
        );
        // Only the conflicts `which` takes; both_added takes empty bases.
        assert_eq!(both_added(diff3, MarkerSize::default()).unwrap(), diff3);
    }

    #[test]
    fn a_side_with_nothing_and_crlf_markers() {
        let diff3 = "a\r\n<<<<<<< o\r\nx\r\n||||||| b\r\ny\r\n=======\r\n>>>>>>> t\r\nz\r\n";
        assert_eq!(
            two_way(diff3, MarkerSize::default()).unwrap(),
            "a\r\n<<<<<<< o\r\nx\r\n=======\r\n>>>>>>> t\r\nz\r\n"
        );
    }
}
