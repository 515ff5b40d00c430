//! Conflict markers in the result: how they are written (git's marker
//! size and labels), and where, when a part is left for a person.
//!
//! ```text
//! <<<<<<< Updated upstream
//! title: "A"
//! ||||||| Stash base           (diff3 style only: git wrote a base label)
//! title: "O"
//! =======
//! title: "B"
//! >>>>>>> Stashed changes
//! ```

use crate::conflict::marker_size::MarkerSize;
use crate::conflict::refine;
use crate::conflict::scan::{self, Labels, MarkerKind};
use crate::merge::diff3;

/// How conflict markers are written for unresolved parts.
#[derive(Clone, Debug)]
pub struct MarkerStyle<'l> {
    /// Marker size, as git's `conflict-marker-size`.
    pub size: MarkerSize,
    /// Labels to write after the markers.
    pub labels: Labels<'l>,
    /// git's line merge, to place markers where git would (none: this
    /// crate's own line merge, as in unit tests).
    pub merger: Option<LineMerger>,
}

#[cfg(test)]
impl MarkerStyle<'static> {
    /// Default-size markers labelled `ours` and `theirs`, no base section,
    /// this crate's own line merge: what the unit tests write.
    pub(crate) fn ours_theirs() -> Self {
        MarkerStyle {
            size: MarkerSize::DEFAULT,
            labels: Labels {
                upstream: "ours",
                base: None,
                stashed: "theirs",
            },
            merger: None,
        }
    }
}

impl MarkerStyle<'_> {
    /// git's line merge of `[ours, base, theirs]` written with these
    /// markers (base sections where a base label is set); `None` without
    /// git at hand, or where it cannot run.
    pub fn git_merge(&self, texts: [&str; 3]) -> Option<String> {
        let merge = self.merger?;
        let labels = [
            self.labels.upstream,
            self.labels.base.unwrap_or("base"),
            self.labels.stashed,
        ];
        merge(texts, labels, self.size, self.labels.base.is_some())
    }
}

/// A line merge of `[ours, base, theirs]` with labels `[ours, base,
/// theirs]`, a marker size, in diff3 style or not: the text with git's
/// markers, `None` when it cannot run.
pub type LineMerger = fn([&str; 3], [&str; 3], MarkerSize, bool) -> Option<String>;

/// [`conflicts_between`] for a part left for a person: when the line merge
/// comes out clean (the base's text agrees with one side's where the sides
/// differ, the other side's change made alike elsewhere), it would quietly
/// take that change; a conflict left is a conflict shown, two ways, around
/// the lines the sides differ in.
///
/// In diff3 style, lines both renderings share at a conflict's edges stand
/// outside it (as zdiff3 writes them), whatever the base's rendering has
/// there: they are no difference of the sides but of the layout around the
/// open value (a JSON member both sides follow with a new one carries a
/// comma the base's last member has not), and git's own conflict around
/// the same lines did not hold them.
pub(super) fn conflicts_shown(
    up: &str,
    base: Option<&str>,
    st: &str,
    markers: &MarkerStyle<'_>,
    eol: &str,
) -> String {
    shown_or(up, base, st, markers, eol, || {
        conflicts_between(up, None, st, markers, eol)
    })
}

/// [`conflicts_shown`] with `clean` the conflict shown where the line
/// merge comes out clean (the body's: one conflict as git wrote it).
pub(super) fn shown_or(
    up: &str,
    base: Option<&str>,
    st: &str,
    markers: &MarkerStyle<'_>,
    eol: &str,
    clean: impl FnOnce() -> String,
) -> String {
    let text = conflicts_between(up, base, st, markers, eol);
    if base.is_none() || up == st {
        return text;
    }
    if scan::has_open_marker(&text, markers.size) {
        return match markers.labels.base {
            Some(_) => match refine::shared_edges_out(
                &text,
                markers.size,
                |_| true,
                [up, st].map(refine::lacks_final_newline),
            ) {
                Some(narrowed) => refine::ends_as_sides(narrowed, up, st, markers.size),
                None => text,
            },
            None => text,
        };
    }
    clean()
}

/// Markers around the lines where `up` and `st` differ (three ways with
/// the base's text, as git writes them; two ways without).
pub fn conflicts_between(
    up: &str,
    base: Option<&str>,
    st: &str,
    markers: &MarkerStyle<'_>,
    eol: &str,
) -> String {
    if let Some(base) = base {
        if let Some(text) = markers.git_merge([up, base, st]) {
            return text;
        }
        if let Some(m) = diff3::merge3(base, up, st) {
            return m.write(|o, u, b, s| conflict(o, markers, eol, u, Some(b), s));
        }
    }
    let mut out = String::new();
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(up, st);
    let (mut a, mut b) = (String::new(), String::new());
    let flush = |out: &mut String, a: &mut String, b: &mut String| {
        if !a.is_empty() || !b.is_empty() {
            conflict(out, markers, eol, a, None, b);
            a.clear();
            b.clear();
        }
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => {
                flush(&mut out, &mut a, &mut b);
                out.push_str(change.value());
            }
            similar::ChangeTag::Delete => a.push_str(change.value()),
            similar::ChangeTag::Insert => b.push_str(change.value()),
        }
    }
    flush(&mut out, &mut a, &mut b);
    out
}

/// Writes a conflict around `up` and `st`, as git would; the base section
/// only when `m.labels.base` is set (git's diff3 style).
pub fn conflict(
    out: &mut String,
    m: &MarkerStyle<'_>,
    eol: &str,
    up: &str,
    base: Option<&str>,
    st: &str,
) {
    let line = |out: &mut String, kind: MarkerKind, label: &str| {
        out.push_str(&kind.repeat(m.size));
        if !label.is_empty() {
            out.push(' ');
            out.push_str(label);
        }
        out.push_str(eol);
    };
    let section = |out: &mut String, text: &str| {
        out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push_str(eol);
        }
    };
    // A marker starts a line: after a last line without its newline (a
    // closing fence at the end of a side whose body is empty), one is put
    // in first, as git puts one in a section that lacks it.
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    line(out, MarkerKind::Open, m.labels.upstream);
    section(out, up);
    // A base section only in diff3 style: when git wrote one (a base label).
    if let (Some(b), Some(label)) = (base, m.labels.base) {
        line(out, MarkerKind::Base, label);
        section(out, b);
    }
    line(out, MarkerKind::Separator, "");
    section(out, st);
    line(out, MarkerKind::Close, m.labels.stashed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_starts_a_line() {
        let m = MarkerStyle::ours_theirs();
        let mut out = "---\r\ntitle: T\r\n---".to_owned();
        conflict(&mut out, &m, "\r\n", "", None, "Body\r\n");
        assert_eq!(
            out,
            "---\r\ntitle: T\r\n---\r\n<<<<<<< ours\r\n=======\r\nBody\r\n>>>>>>> theirs\r\n"
        );
        let mut empty = String::new();
        conflict(&mut empty, &m, "\n", "a\n", None, "b\n");
        assert!(empty.starts_with("<<<<<<< ours\n"), "{empty}");
    }

    #[test]
    fn a_conflict_left_is_shown_even_where_the_line_merge_is_clean() {
        let m = MarkerStyle::ours_theirs();
        // The base's text is theirs: a line merge takes ours quietly.
        let out = conflicts_shown("a: 1\n", Some("a: 2\n"), "a: 2\n", &m, "\n");
        assert_eq!(out, "<<<<<<< ours\na: 1\n=======\na: 2\n>>>>>>> theirs\n");
        assert!(
            scan::has_open_marker(&out, MarkerSize::DEFAULT)
                && !scan::has_open_marker("<<<<<<<< x\n", MarkerSize::DEFAULT)
        );
    }

    #[test]
    fn in_diff3_style_the_lines_both_sides_share_stand_outside() {
        let m = MarkerStyle {
            size: MarkerSize::DEFAULT,
            labels: Labels {
                upstream: "ours",
                base: Some("base"),
                stashed: "theirs",
            },
            merger: None,
        };
        // Both sides add `mode` after `name`, which then needs its comma.
        let obj = |tail: &str| format!("{{\n  \"a\": {{\n    \"name\": \"a\"{tail}\n  }}\n}}\n");
        let (up, base, st) = (
            obj(",\n    \"mode\": 1"),
            obj(""),
            obj(",\n    \"mode\": 2"),
        );
        let out = conflicts_shown(&up, Some(&base), &st, &m, "\n");
        let want = "{\n  \"a\": {\n    \"name\": \"a\",\n<<<<<<< ours\n    \"mode\": 1\n\
                    ||||||| base\n    \"name\": \"a\"\n=======\n    \"mode\": 2\n>>>>>>> theirs\n  }\n}\n";
        assert_eq!(out, want);
        // Two ways, git's refined conflict already holds them out.
        let two = MarkerStyle {
            labels: Labels {
                base: None,
                ..m.labels
            },
            ..m.clone()
        };
        let out = conflicts_shown(&up, Some(&base), &st, &two, "\n");
        assert!(
            out.contains("\"a\",\n<<<<<<< ours\n    \"mode\": 1\n=======\n"),
            "{out}"
        );
    }
}
