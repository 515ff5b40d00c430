//! The trailing related-links section of an article: its heading, items and tail.

use std::sync::LazyLock;

use regex::Regex;

use crate::conflict::scan::{lines_rev, split_eol};

use super::offset_in;

/// Headings that open a related-links section, compared case-insensitively.
pub const DEFAULT_LINK_HEADINGS: &[&str] = &[
    "Читайте также",
    "Похожие статьи",
    "См. также",
    "Смотрите также",
    "Related",
    "Related posts",
    "Related articles",
    "Related links",
    "See also",
    "Read also",
    "Read more",
];

/// The trailing related-links section.
#[derive(Clone, Debug, PartialEq)]
pub struct Links<'a> {
    /// The blank lines before the heading, the heading line and the blank
    /// lines before the first item.
    pub heading: &'a str,
    /// The list items.
    pub items: Vec<LinkItem<'a>>,
    /// Blank lines after the last item.
    pub tail: &'a str,
    /// 1-based line of the heading.
    pub line: usize,
}

impl Links<'_> {
    /// The whole section's text.
    pub fn text_len(&self) -> usize {
        self.heading.len()
            + self.items.iter().map(|i| i.text.len()).sum::<usize>()
            + self.tail.len()
    }
}

/// One related link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkItem<'a> {
    /// The item's lines, blank lines up to the next item included.
    pub text: &'a str,
    /// The list marker and the spaces after it, e.g. `*   ` or `- `.
    pub bullet: &'a str,
    /// The link text.
    pub title: &'a str,
    /// The link target, the key links are compared by.
    pub url: &'a str,
    /// 1-based line in the side's text.
    pub line: usize,
}

impl LinkItem<'_> {
    /// True when the title is only a YAML block-scalar indicator such as `>-`,
    /// the trace of a generator that copied a folded `title: >-` literally.
    pub fn title_is_scalar_indicator(&self) -> bool {
        is_block_scalar_indicator(self.title)
    }
}

/// True for `>`, `>-`, `|`, `|+`, `>2-` and the like.
pub fn is_block_scalar_indicator(s: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[>|](?:[1-9]?[+-]?|[+-][1-9])$").expect("valid regex"));
    RE.is_match(s.trim())
}

pub(crate) fn heading_text(line: &str) -> Option<&str> {
    let (content, _) = split_eol(line);
    let t = content.trim_start_matches(' ');
    if content.len() - t.len() > 3 {
        return None;
    }
    let text = if let Some(rest) = t.strip_prefix('#') {
        let hashes = 1 + rest.len() - rest.trim_start_matches('#').len();
        if hashes > 6 {
            return None;
        }
        let rest = &t[hashes..];
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            return None;
        }
        rest.trim().trim_end_matches('#').trim()
    } else if t.len() > 4 && t.starts_with("**") && t.trim_end().ends_with("**") {
        t.trim_end()
            .trim_start_matches('*')
            .trim_end_matches('*')
            .trim()
    } else {
        return None;
    };
    Some(text)
}

/// Whether some line of `body` is a related-links heading (a section that
/// no longer reads as one leaves its heading there).
pub fn has_links_heading(body: &str, headings: &[String]) -> bool {
    body.split_inclusive('\n')
        .any(|l| heading_text(l).is_some_and(|t| heading_matches(t, headings)))
}

fn heading_matches(text: &str, headings: &[String]) -> bool {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches([':', '.', '!'])
            .trim_matches('*')
            .trim()
            .to_lowercase()
    };
    let t = norm(text);
    headings.iter().any(|h| norm(h) == t)
}

/// The list marker of an item line and the spaces after it (`*   `, `- `,
/// `12. `): up to 3 spaces of indent, `-`, `*`, `+` or 1 to 9 digits with
/// `.` or `)`, then at least one space or tab.
fn bullet(content: &str) -> Option<&str> {
    let b = content.as_bytes();
    let indent = b.iter().take_while(|&&c| c == b' ').count();
    if indent > 3 {
        return None;
    }
    let marker_end = match b.get(indent)? {
        b'-' | b'*' | b'+' => indent + 1,
        c if c.is_ascii_digit() => {
            let digits = b[indent..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits > 9 || !matches!(b.get(indent + digits), Some(b'.' | b')')) {
                return None;
            }
            indent + digits + 1
        }
        _ => return None,
    };
    let spaces = b[marker_end..]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    (spaces > 0).then(|| &content[..marker_end + spaces])
}

/// The first Markdown link `[title](url "optional title")` in `text`:
/// titles may hold one level of nested brackets, the URL may be in `<>`.
fn first_link(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'[', &b[from..]).map(|i| from + i) {
        from = open + 1;
        if let Some(found) = link_at(text, open) {
            return Some(found);
        }
    }
    None
}

/// The link whose `[` is at byte `open`, if one starts there.
fn link_at(text: &str, open: usize) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    // Title: anything but brackets, or a nested `[...]` without brackets.
    let mut i = open + 1;
    loop {
        match *b.get(i)? {
            b']' => break,
            b'[' => {
                i += 1
                    + b[i + 1..]
                        .iter()
                        .position(|&c| c == b']' || c == b'[')
                        .filter(|&n| b[i + 1 + n] == b']')?
                    + 1
            }
            _ => i += 1,
        }
    }
    let title = &text[open + 1..i];
    if b.get(i + 1) != Some(&b'(') {
        return None;
    }
    let rest = &text[i + 2..];
    let after_ws = rest.trim_start();
    let (angle, after_angle) = match after_ws.strip_prefix('<') {
        Some(r) => (true, r),
        None => (false, after_ws),
    };
    let url_len = after_angle
        .find(|c: char| c == ')' || c == '>' || c.is_whitespace())
        .unwrap_or(after_angle.len());
    let url = &after_angle[..url_len];
    let mut tail = &after_angle[url_len..];
    if let Some(t) = tail.strip_prefix('>') {
        tail = t;
    } else if angle && tail.starts_with('>') {
        return None;
    }
    // Optional link title after at least one space: "..." or '...'.
    let trimmed = tail.trim_start();
    if trimmed.len() < tail.len() {
        if let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let close = trimmed[1..].find(q)?;
            tail = &trimmed[1 + close + 1..];
        }
    }
    tail.trim_start().starts_with(')').then_some((title, url))
}

/// Parses a list item line that holds a Markdown link: bullet, title, URL.
fn link_item(line: &str) -> Option<(&str, &str, &str)> {
    let (content, _) = split_eol(line);
    let bullet = bullet(content)?;
    let (title, url) = first_link(&content[bullet.len()..])?;
    Some((bullet, title, url))
}

/// The heading and link targets of the section that ends `text` when it
/// holds only link items (blank and continuation lines aside), whatever the
/// heading says: the walk of [`find_links`] without its list of headings.
fn trailing_section(text: &str) -> Option<(&str, Vec<&str>)> {
    let mut urls = Vec::new();
    for (_, line) in lines_rev(text) {
        if let Some((_, _, url)) = link_item(line) {
            urls.push(url);
        } else if !line.trim().is_empty() && !line.starts_with([' ', '\t']) {
            let heading = heading_text(line)?;
            return (!urls.is_empty()).then_some((heading, urls));
        }
    }
    None
}

/// Headings to read as related-links headings besides `headings` in the
/// versions `texts` of one article, so that all of them cut it alike: the
/// heading of a section that ends a version and shares a link with a
/// related-links section that ends another (a side renamed `## Related
/// content` to `## See also`: read as links on that side only, its items
/// were a body removed there and a links section added, both kept).
pub fn headings_alike(texts: &[&str], headings: &[String]) -> Vec<String> {
    let sections: Vec<(&str, Vec<&str>)> =
        texts.iter().filter_map(|t| trailing_section(t)).collect();
    // The known sections' links as a set (a list of thousands searched
    // for each link was quadratic).
    let known: std::collections::HashSet<&str> = sections
        .iter()
        .filter(|(h, _)| heading_matches(h, headings))
        .flat_map(|(_, urls)| urls.iter().copied())
        .collect();
    let mut more: Vec<String> = Vec::new();
    for (heading, urls) in &sections {
        let shares = urls.iter().any(|u| known.contains(u));
        if shares && !heading_matches(heading, headings) && !more.iter().any(|m| m == heading) {
            more.push((*heading).to_owned());
        }
    }
    more
}

/// Finds the trailing related-links section: the last matching heading after
/// which come only blank lines and list items holding links (with their
/// indented continuation lines).
pub(super) fn find_links<'a>(
    body: &'a str,
    body_line: usize,
    headings: &[String],
) -> Option<Links<'a>> {
    // Walk back from the end over list items, continuation and blank lines,
    // up to the line before them: the heading, if this is a links section.
    // Only the section's lines are read, not the whole body.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut found_heading = false;
    for (off, line) in lines_rev(body) {
        lines.push((off, line));
        let blank = line.trim().is_empty();
        let cont = line.starts_with([' ', '\t']) && !blank;
        if !(blank || cont || link_item(line).is_some()) {
            found_heading = true;
            break;
        }
    }
    if !found_heading {
        return None;
    }
    lines.reverse();
    let h = 0;
    let (h_off, h_line) = lines[h];
    if !heading_text(h_line).is_some_and(|t| heading_matches(t, headings)) {
        return None;
    }
    // Line numbers count from the body's first line.
    let body_line = body_line + memchr::memchr_iter(b'\n', &body.as_bytes()[..h_off]).count();
    // Continuation lines must follow an item, not the heading.
    let mut j = h + 1;
    while j < lines.len() && lines[j].1.trim().is_empty() {
        j += 1;
    }
    if j < lines.len() && link_item(lines[j].1).is_none() {
        return None;
    }
    let heading_end = lines.get(j).map_or(body.len(), |l| l.0);
    let mut items: Vec<LinkItem<'a>> = Vec::new();
    let mut k = j;
    while k < lines.len() {
        let (off, line) = lines[k];
        let (bullet, title, url) = link_item(line)?;
        let mut end = k + 1;
        while end < lines.len() && link_item(lines[end].1).is_none() {
            end += 1;
        }
        // Blank lines after the last item are the tail, not the item's.
        let mut text_end = end;
        if end == lines.len() {
            while text_end > k + 1 && lines[text_end - 1].1.trim().is_empty() {
                text_end -= 1;
            }
        }
        let end_off = lines.get(text_end).map_or(body.len(), |l| l.0);
        items.push(LinkItem {
            text: &body[off..end_off],
            bullet,
            title,
            url,
            line: body_line + k,
        });
        k = end;
    }
    let tail_start = items
        .last()
        .map_or(heading_end, |l| offset_in(body, l.text) + l.text.len());
    // The blank lines before the heading part the section from the body:
    // the section's, so that a side adding the section (or text at the
    // body's end) changes one part, not both.
    let mut start = h_off;
    while start > 0 {
        let before = &body[..start - 1];
        let prev = before.rfind('\n').map_or(0, |i| i + 1);
        if !body[prev..start].trim().is_empty() {
            break;
        }
        start = prev;
    }
    // A body of blank lines alone keeps its first: the line that parts the
    // frontmatter from the body in every version that has text there, so
    // that a side which took the text out changes the body only (git
    // aligns it so too), not the section's blank lines as well.
    if start == 0 && h_off > 0 {
        let first = body.find('\n').map_or(h_off, |i| i + 1);
        if first < h_off {
            start = first;
        }
    }
    Some(Links {
        heading: &body[start..heading_end],
        items,
        tail: &body[tail_start..],
        line: body_line + h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_sharing_a_link_with_a_links_section_reads_as_one() {
        let known: Vec<String> = DEFAULT_LINK_HEADINGS
            .iter()
            .map(|h| h.to_string())
            .collect();
        let renamed = "Text.\n\n## See also\n\n- [A](/a/)\n- [B](/b/)\n";
        let unknown = "Text.\n\n## Related content\n\n- [A](/a/)\n- [B](/b/)\n";
        assert_eq!(
            headings_alike(&[renamed, unknown, unknown], &known),
            ["Related content"]
        );
        // No known section, or no link in common (a list of steps before a
        // links section one side added): nothing to read alike.
        assert!(headings_alike(&[unknown, unknown], &known).is_empty());
        let steps = "Text.\n\n## Steps\n\n- [Install](/install/)\n";
        let added = format!("{steps}\n## See also\n\n- [C](/c/)\n");
        assert!(headings_alike(&[&added, steps, steps], &known).is_empty());
        // A list of links under no heading is no section.
        assert!(headings_alike(&[renamed, "Text.\n- [A](/a/)\n"], &known).is_empty());
    }

    #[test]
    fn link_items_parse_like_the_markdown_grammar() {
        // The grammar this parser implements, as a regex: the test oracle.
        let item = Regex::new(r"^( {0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)(.*)$").unwrap();
        let link = Regex::new(
            r#"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"#,
        )
        .unwrap();
        let oracle = |l: &'static str| -> Option<(&'static str, &'static str, &'static str)> {
            let c = item.captures(l)?;
            let k = link.captures(c.get(2)?.as_str())?;
            Some((c.get(1)?.as_str(), k.get(1)?.as_str(), k.get(2)?.as_str()))
        };
        for l in [
            "*   [Долговая яма: как выбраться](/blog/dolgovaya-yama/)",
            "- [x](/x \"t\")",
            "- [x](/x 't' )",
            "1. [a [b] c](</y>)",
            "12) see [x](y) and [z](w)",
            "   + [](/empty-title)",
            "    - [too](/indented)",
            "-[x](/no-space)",
            "- [x] (/space-before-paren) [y](/z)",
            "- [a](b c)",
            "- [a [b [c]]](/deep)",
            "- [x](/x \"unclosed)",
            "1234567890. [x](/ten-digits)",
            "- text without a link",
            "* [>-](/blog/x/)",
            "- [a](</b>c)",
        ] {
            assert_eq!(link_item(l), oracle(l), "{l}");
        }
        // Random lines over the grammar's alphabet, deterministic.
        let alphabet: Vec<char> = "[]()<>\"' \t-*+.1)aяx/".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            let mut line = String::from(["- ", "* ", "1. ", " + ", ""][(state % 5) as usize]);
            for _ in 0..(state >> 59) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let line: &'static str = Box::leak(line.into_boxed_str());
            assert_eq!(link_item(line), oracle(line), "{line:?}");
        }
    }

    #[test]
    fn scalar_indicators() {
        for s in [">-", "|", ">", "|+", ">2-", " >- "] {
            assert!(is_block_scalar_indicator(s), "{s}");
        }
        for s in ["a", ">>", "-", ""] {
            assert!(!is_block_scalar_indicator(s), "{s}");
        }
    }
}
