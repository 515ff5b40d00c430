//! Human and JSON renderings of comparisons: the at-a-glance `diff` view.
//!
//! ```text
//! post.md: 2 conflicts (Updated upstream ↔ Stashed changes)
//!   title        changed  "Version A" → "Version B"
//!   author       same
//!   schema       changed: name, description
//!   body         changed  +102 −95 lines in 30 hunks
//!   links        3 only upstream, 3 only stashed
//! ```

use std::borrow::Cow;
use std::path::Path;

use console::{measure_text_width, style, truncate_str};
use serde::Serialize;

use crate::article::{Article, Value};
use crate::conflict::scan::Labels;
use crate::conflict::sides::{Side, Sides};
use crate::diff::{BodyDiff, Change, Comparison, LinkStatus};
use crate::git::Operation;

fn value<'a>(a: &'a Article<'_>, key: &str) -> Option<&'a Value> {
    a.value(key)
}

/// The body's line counts: the comparison's when it counted them, else
/// counted now (the overview and the body question show these same numbers).
pub fn body_counts<'a>(cmp: &'a Comparison, articles: &Sides<Article<'_>>) -> Cow<'a, BodyDiff> {
    if cmp.body.counted {
        Cow::Borrowed(&cmp.body)
    } else {
        Cow::Owned(crate::diff::compare_body(
            articles.upstream.body,
            articles.stashed.body,
        ))
    }
}

/// A value on one line, as the overview quotes it.
fn one_line(v: &Value) -> String {
    v.display().replace('\n', " ")
}

/// Both values of a changed key, each at most `room` columns, quoted: when
/// they do not fit, the words that differ are shown and the common start and
/// end become `…`, so two long values never look the same.
///
/// ```text
/// "…подход: ключ к успеху…" → "…подход: как мы работаем в…"
/// ```
pub fn changed_values(up: Option<&Value>, st: Option<&Value>, room: usize) -> (String, String) {
    match (up.map(one_line), st.map(one_line)) {
        (Some(a), Some(b)) => {
            let (a, b) = excerpts(&a, &b, room.saturating_sub(2));
            (format!("\"{a}\""), format!("\"{b}\""))
        }
        (a, b) => {
            let quote = |v: Option<String>| match v {
                None => "(absent)".to_owned(),
                Some(v) => format!("\"{}\"", truncate_str(&v, room.saturating_sub(2), "…")),
            };
            (quote(a), quote(b))
        }
    }
}

/// The parts of `a` and `b` that differ, each cut to `room` columns: the
/// common start and end are replaced by `…` at word boundaries, keeping one
/// word of context before the change when it fits.
pub fn excerpts(a: &str, b: &str, room: usize) -> (String, String) {
    if measure_text_width(a) <= room && measure_text_width(b) <= room {
        return (a.to_owned(), b.to_owned());
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shortest = ca.len().min(cb.len());
    let mut pre = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let mut suf = ca
        .iter()
        .rev()
        .zip(cb.iter().rev())
        .take(shortest - pre)
        .take_while(|(x, y)| x == y)
        .count();
    // Whole words: the common start ends after a space, the common end
    // starts with one (a changed word is shown whole).
    while pre > 0 && !ca[pre - 1].is_whitespace() {
        pre -= 1;
    }
    while suf > 0 && !ca[ca.len() - suf].is_whitespace() {
        suf -= 1;
    }
    // One word of context before the change, when there is a common start.
    let mut ctx = pre;
    if pre > 0 {
        ctx -= 1;
        while ctx > 0 && !ca[ctx - 1].is_whitespace() {
            ctx -= 1;
        }
    }
    let cut = |cs: &[char], from: usize| -> String {
        let middle: String = cs[from..cs.len() - suf].iter().collect();
        let lead = if from > 0 { "…" } else { "" };
        let tail = if suf > 0 { "…" } else { "" };
        let whole = format!("{lead}{middle}{tail}");
        if measure_text_width(&whole) <= room {
            whole
        } else {
            let keep = room.saturating_sub(measure_text_width(lead));
            format!("{lead}{}", truncate_str(&middle, keep, "…"))
        }
    };
    let fits = |from: usize| {
        [&ca, &cb].iter().all(|cs| {
            let middle = cs.len() - suf - from;
            let marks = usize::from(from > 0) + usize::from(suf > 0);
            measure_text_width(&cs[from..from + middle].iter().collect::<String>()) + marks <= room
        })
    };
    // The change itself too wide at word boundaries (one long word such as a
    // timestamp): start a few characters before the first that differs.
    let raw = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let from = if pre > 0 && fits(ctx) {
        ctx
    } else if fits(pre) || raw - pre < 4 {
        pre
    } else {
        raw.saturating_sub(3)
    };
    (cut(&ca, from), cut(&cb, from))
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

    /// The names for `op` (none: [`SideNames::STASH`]).
    pub fn of(op: Option<Operation>) -> SideNames {
        op.map_or(SideNames::STASH, |op| {
            let [upstream, stashed] = op.side_names();
            SideNames { upstream, stashed }
        })
    }

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

/// One line describing a change, coloured.
pub fn change_word(change: Change, names: SideNames) -> String {
    match change {
        Change::Same => style("same").dim().to_string(),
        Change::Changed => style("changed").yellow().to_string(),
        Change::OnlyUpstream => style(format!("only {}", names.upstream)).red().to_string(),
        Change::OnlyStashed => style(format!("only {}", names.stashed)).green().to_string(),
    }
}

/// The links line, e.g. `2 in both, 3 only upstream, 3 only stashed`.
pub fn links_summary(cmp: &Comparison, names: SideNames) -> String {
    let count = |s: LinkStatus| cmp.links.links.iter().filter(|l| l.status == s).count();
    let mut parts = Vec::new();
    for (s, word) in [
        (LinkStatus::Both, "in both".to_owned()),
        (LinkStatus::Retitled, "retitled".to_owned()),
        (LinkStatus::OnlyUpstream, format!("only {}", names.upstream)),
        (LinkStatus::OnlyStashed, format!("only {}", names.stashed)),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// The at-a-glance comparison of one conflicted file, `width` columns wide.
pub fn diff_view(
    path: &Path,
    conflicts: usize,
    labels: Labels<'_>,
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    width: usize,
) -> String {
    diff_view_marked(path, conflicts, labels, articles, cmp, width, &[])
}

/// [`diff_view`] with a mark after some keys, e.g. `[newest from defaults → stashed]`:
/// `marks` pairs a key with its mark.
pub fn diff_view_marked(
    path: &Path,
    conflicts: usize,
    labels: Labels<'_>,
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    width: usize,
    marks: &[(String, String)],
) -> String {
    diff_header(path, conflicts, labels, width)
        + &diff_rows(articles, cmp, width, marks, SideNames::STASH)
}

/// The view's first line, `post.md: 2 decisions (Updated upstream ↔ Stashed
/// changes)`: the parts neither the base nor a rule settles, what `resolve`
/// would ask about. Wrapped at words to `width` columns.
pub fn diff_header(path: &Path, decisions: usize, labels: Labels<'_>, width: usize) -> String {
    wrap_words(
        &format!(
            "{}: {} decision{} ({} ↔ {})",
            style(path.display()).bold(),
            decisions,
            if decisions == 1 { "" } else { "s" },
            style(labels.upstream).red(),
            style(labels.stashed).green(),
        ),
        width,
        "  ",
    )
}

/// The rows of [`diff_view_marked`] below its header: one per key, then body and links.
pub fn diff_rows(
    articles: &Sides<Article<'_>>,
    cmp: &Comparison,
    width: usize,
    marks: &[(String, String)],
    names: SideNames,
) -> String {
    let mut out = String::new();
    let name_w = cmp
        .keys
        .values()
        .map(|k| measure_text_width(&k.key))
        .chain([5])
        .max()
        .unwrap_or(5)
        .min(24);
    let pad = |s: &str| format!("{s:<name_w$}");
    for k in cmp.keys.values() {
        let mut line = format!(
            "  {}  {}",
            pad(&truncate_str(&k.key, name_w, "…")),
            change_word(k.change, names)
        );
        let mark = marks
            .iter()
            .find(|(key, _)| *key == k.key)
            .map(|(_, m)| format!("[{m}]"));
        if let Some(m) = &mark {
            line.push_str(&format!("  {}", style(m).cyan()));
        }
        let indent = name_w + 4;
        if k.change == Change::Changed && k.inner.is_empty() {
            let (up, st) = (
                value(&articles.upstream, &k.key),
                value(&articles.stashed, &k.key),
            );
            // Beside the name when both values get 20 columns, else on a row of their own.
            let beside = width.saturating_sub(measure_text_width(&line) + 2 + 3) / 2;
            let below = width.saturating_sub(indent + 3) / 2;
            let need = [up, st]
                .iter()
                .map(|v| v.map_or(8, |v| measure_text_width(&one_line(v)) + 2))
                .max()
                .unwrap_or(0);
            let (room, sep) = if need <= beside || beside >= 20 || beside >= below {
                (beside, "  ".to_owned())
            } else {
                (below, format!("\n{}", " ".repeat(indent)))
            };
            let (a, b) = changed_values(up, st, room);
            line.push_str(&format!("{sep}{} → {}", style(a).red(), style(b).green()));
            out.push_str(&line);
        } else if k.change == Change::Changed {
            line.push(':');
            out.push_str(&wrap_list(&line, &k.inner, width, indent));
        } else {
            out.push_str(&truncate_str(&line, width.max(20), "…"));
        }
        out.push('\n');
    }
    let b = body_counts(cmp, articles);
    let body = match b.change {
        Change::Same => change_word(Change::Same, names),
        c => format!(
            "{}  {} {} lines in {} hunk{}",
            change_word(c, names),
            style(format!("+{}", b.added)).green(),
            style(format!("−{}", b.removed)).red(),
            b.hunks,
            if b.hunks == 1 { "" } else { "s" }
        ),
    };
    // How the base or a rule settles the body and the links, when it does.
    let mark = |part: &str| {
        marks
            .iter()
            .find(|(p, _)| p == part)
            .map(|(_, m)| format!("  {}", style(format!("[{m}]")).cyan()))
            .unwrap_or_default()
    };
    out.push_str(&format!("  {}  {body}{}\n", pad("body"), mark("body")));
    let links = match cmp.links.change {
        Change::Same if cmp.links.links.is_empty() => style("none").dim().to_string(),
        Change::Same => format!(
            "{}  {}",
            change_word(Change::Same, names),
            links_summary(cmp, names)
        ),
        c => format!("{}  {}", change_word(c, names), links_summary(cmp, names)),
    };
    out.push_str(&format!("  {}  {links}{}\n", pad("links"), mark("links")));
    out
}

/// `text` wrapped at spaces to `width` columns (escape codes take none),
/// each row after the first starting with `indent`, ending in a newline. A
/// word wider than a row is left whole on its own row.
pub fn wrap_words(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for (n, para) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // Tokens: a word with the spaces after it (leading spaces stay with
        // the first token, so a row's indentation is kept).
        let mut row = String::new();
        let mut used = 0;
        let mut words = 0;
        let mut start = 0;
        let bytes = para.as_bytes();
        let mut i = para.len() - para.trim_start_matches(' ').len();
        while start < para.len() {
            while i < para.len() && bytes[i] != b' ' {
                i += 1;
            }
            while i < para.len() && bytes[i] == b' ' {
                i += 1;
            }
            let token = &para[start..i];
            let w = measure_text_width(token.trim_end());
            if words > 0 && used + w > width {
                out.push_str(row.trim_end_matches(' '));
                out.push('\n');
                row = indent.to_owned();
                used = measure_text_width(indent);
            }
            words += 1;
            row.push_str(token);
            used += measure_text_width(token);
            start = i;
        }
        out.push_str(row.trim_end_matches(' '));
    }
    out.push('\n');
    out
}

/// `head` followed by `items` separated by commas, wrapped at `width`
/// between items; continuation rows start `indent` columns in.
fn wrap_list(head: &str, items: &[String], width: usize, indent: usize) -> String {
    let mut out = head.to_owned();
    let mut used = measure_text_width(head);
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let w = measure_text_width(&piece);
        if used + 1 + w > width && used > indent {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            used = indent;
        } else {
            out.push(' ');
            used += 1;
        }
        out.push_str(&piece);
        used += w;
    }
    out
}

/// The JSON form of one file's comparison.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    /// The file.
    pub path: String,
    /// Number of conflict hunks.
    pub conflicts: usize,
    /// Number of parts left to decide (neither the base nor a rule settles them).
    pub decisions: usize,
    /// Every differing part settled without asking: by the base or a rule, and how.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settled: Vec<RuleJson>,
    /// Labels git wrote.
    pub labels: LabelsJson<'a>,
    /// The comparison.
    #[serde(flatten)]
    pub comparison: &'a Comparison,
    /// The keys a field rule would settle.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleJson>,
    /// Rules that cannot settle their key, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A key a field rule would settle, as JSON.
#[derive(Serialize)]
pub struct RuleJson {
    /// The key (or `body`, `links`).
    pub key: String,
    /// `upstream`, `stashed` or `merged`.
    pub result: String,
    /// The rule, where it comes from, and what it found.
    pub reason: String,
}

/// Labels as JSON.
#[derive(Serialize)]
pub struct LabelsJson<'a> {
    /// After `<<<<<<<`.
    pub upstream: &'a str,
    /// After `|||||||`.
    pub base: Option<&'a str>,
    /// After `>>>>>>>`.
    pub stashed: &'a str,
}

impl<'a> From<Labels<'a>> for LabelsJson<'a> {
    fn from(l: Labels<'a>) -> Self {
        LabelsJson {
            upstream: l.upstream,
            base: l.base,
            stashed: l.stashed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::diff::compare;

    #[test]
    fn one_line_per_key_then_body_and_links() {
        console::set_colors_enabled(false);
        let o = ArticleOptions::default();
        let a = parse("---\ntitle: A\nx: 1\n---\nb\n## Related\n- [a](/a)\n", &o).unwrap();
        let b = parse("---\ntitle: B\nx: 1\n---\nc\n## Related\n- [b](/b)\n", &o).unwrap();
        let arts = Sides::new(a, b, None);
        let cmp = compare(arts.as_ref());
        let labels = Labels {
            upstream: "up",
            base: None,
            stashed: "st",
        };
        let v = diff_view(Path::new("p.md"), 1, labels, &arts, &cmp, 100);
        let lines: Vec<_> = v.lines().collect();
        assert_eq!(lines[0], "p.md: 1 decision (up ↔ st)");
        assert_eq!(lines[1], "  title  changed  \"A\" → \"B\"");
        assert_eq!(lines[2], "  x      same");
        assert_eq!(lines[3], "  body   changed  +1 −1 lines in 1 hunk");
        assert_eq!(
            lines[4],
            "  links  changed  1 only upstream, 1 only stashed"
        );
    }

    #[test]
    fn long_values_show_the_words_that_differ() {
        let (a, b) = excerpts(
            "Сервисный подход: ключ к успеху ButlerSPB",
            "Сервисный подход: как мы работаем в ButlerSPB",
            30,
        );
        assert_eq!(a, "…подход: ключ к успеху…");
        assert_eq!(b, "…подход: как мы работаем в…");
        // Short values are shown whole.
        assert_eq!(excerpts("A", "B", 30), ("A".into(), "B".into()));
        // A change at the end: no trailing ellipsis.
        let (a, b) = excerpts(
            "one two three four five six",
            "one two three four five seven",
            12,
        );
        assert_eq!((a.as_str(), b.as_str()), ("…five six", "…five seven"));
        // A change wider than the room is cut, still starting where it differs.
        let (a, b) = excerpts(
            "same start then alpha beta gamma",
            "same start then delta",
            12,
        );
        assert!(
            a.starts_with("…then alpha") || a.starts_with("…alpha"),
            "{a}"
        );
        assert!(
            measure_text_width(&a) <= 12 && measure_text_width(&b) <= 12,
            "{a} {b}"
        );
        assert_ne!(a, b);
    }

    #[test]
    fn words_wrap_at_spaces_with_an_indent() {
        let w = wrap_words(
            "post.md: 7 parts to decide (Updated upstream ↔ Stashed changes)",
            40,
            "  ",
        );
        assert_eq!(
            w,
            "post.md: 7 parts to decide (Updated\n  upstream ↔ Stashed changes)\n"
        );
        assert_eq!(wrap_words("  a  b", 40, ""), "  a  b\n");
        assert_eq!(
            wrap_words(&"x".repeat(50), 40, "  "),
            format!("{}\n", "x".repeat(50))
        );
        for row in wrap_words(&"word ".repeat(40), 60, "    ").lines() {
            assert!(measure_text_width(row) <= 60, "{row:?}");
        }
    }
}
