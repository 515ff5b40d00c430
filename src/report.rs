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

use std::path::Path;

use console::{measure_text_width, style, truncate_str};
use serde::Serialize;

use crate::article::{Article, Value};
use crate::conflict::scan::Labels;
use crate::conflict::sides::Sides;
use crate::diff::{Change, Comparison, LinkStatus};

fn value<'a>(a: &'a Article<'_>, key: &str) -> Option<&'a Value> {
    a.value(key)
}

fn short(v: Option<&Value>, width: usize) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let s = v.display().replace('\n', " ");
            format!("\"{}\"", truncate_str(&s, width, "…"))
        }
    }
}

/// One line describing a change, coloured.
pub fn change_word(change: Change) -> String {
    match change {
        Change::Same => style("same").dim().to_string(),
        Change::Changed => style("changed").yellow().to_string(),
        Change::OnlyUpstream => style("only upstream").red().to_string(),
        Change::OnlyStashed => style("only stashed").green().to_string(),
    }
}

/// The links line, e.g. `2 in both, 3 only upstream, 3 only stashed`.
pub fn links_summary(cmp: &Comparison) -> String {
    let count = |s: LinkStatus| cmp.links.links.iter().filter(|l| l.status == s).count();
    let mut parts = Vec::new();
    for (s, word) in [
        (LinkStatus::Both, "in both"),
        (LinkStatus::Retitled, "retitled"),
        (LinkStatus::OnlyUpstream, "only upstream"),
        (LinkStatus::OnlyStashed, "only stashed"),
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
    let mut out = format!(
        "{}: {} conflict{} ({} ↔ {})\n",
        style(path.display()).bold(),
        conflicts,
        if conflicts == 1 { "" } else { "s" },
        style(labels.upstream).red(),
        style(labels.stashed).green(),
    );
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
            change_word(k.change)
        );
        let mark = marks
            .iter()
            .find(|(key, _)| *key == k.key)
            .map(|(_, m)| format!("[{m}]"));
        if let Some(m) = &mark {
            line.push_str(&format!("  {}", style(m).cyan()));
        }
        let mark_w = mark.as_deref().map_or(0, |m| measure_text_width(m) + 2);
        if k.change == Change::Changed {
            if k.inner.is_empty() {
                let room = width.saturating_sub(name_w + 20 + mark_w) / 2;
                if room >= 8 {
                    line.push_str(&format!(
                        "  {} → {}",
                        short(value(&articles.upstream, &k.key), room),
                        short(value(&articles.stashed, &k.key), room)
                    ));
                }
            } else {
                line.push_str(&format!(": {}", k.inner.join(", ")));
            }
        }
        out.push_str(&truncate_str(&line, width.max(20), "…"));
        out.push('\n');
    }
    let counted;
    let b = if cmp.body.counted {
        &cmp.body
    } else {
        counted = crate::diff::compare_body(articles.upstream.body, articles.stashed.body);
        &counted
    };
    let body = match b.change {
        Change::Same => change_word(Change::Same),
        c => format!(
            "{}  {} {} lines in {} hunk{}",
            change_word(c),
            style(format!("+{}", b.added)).green(),
            style(format!("−{}", b.removed)).red(),
            b.hunks,
            if b.hunks == 1 { "" } else { "s" }
        ),
    };
    out.push_str(&format!("  {}  {body}\n", pad("body")));
    let links = match cmp.links.change {
        Change::Same if cmp.links.links.is_empty() => style("none").dim().to_string(),
        Change::Same => format!("{}  {}", change_word(Change::Same), links_summary(cmp)),
        c => format!("{}  {}", change_word(c), links_summary(cmp)),
    };
    out.push_str(&format!("  {}  {links}\n", pad("links")));
    out
}

/// The JSON form of one file's comparison.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    /// The file.
    pub path: String,
    /// Number of conflict hunks.
    pub conflicts: usize,
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
    /// The key.
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
        assert_eq!(lines[0], "p.md: 1 conflict (up ↔ st)");
        assert_eq!(lines[1], "  title  changed  \"A\" → \"B\"");
        assert_eq!(lines[2], "  x      same");
        assert_eq!(lines[3], "  body   changed  +1 −1 lines in 1 hunk");
        assert_eq!(
            lines[4],
            "  links  changed  1 only upstream, 1 only stashed"
        );
    }
}
