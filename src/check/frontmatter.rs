//! Frontmatter findings of one side's text: unclosed, invalid or duplicated
//! keys, and a second frontmatter block left from keeping both sides.

use std::collections::HashSet;

use super::links::link_findings;
use super::{lines_of, Code, Finding, Severity};
use crate::article::frontmatter::{is_fence, yaml};
use crate::article::{self, ArticleError, ArticleOptions, Format};
use crate::conflict::scan::{lines_with_offsets, split_eol};

/// Frontmatter and related-links findings of one side's text. Lines are
/// mapped to file lines with `map`. Each frontmatter error is reported, then
/// the lines at fault are blanked and the text read again, so one broken key
/// does not hide the next (line numbers stay, blank lines are harmless YAML).
pub(super) fn article_findings(
    text: &str,
    opts: &ArticleOptions,
    map: &dyn Fn(usize) -> usize,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // Copied only when a broken key must be blanked for another round.
    let mut work = std::borrow::Cow::Borrowed(text);
    let mut seen = HashSet::new();
    if let Some(f) = second_frontmatter(text, map) {
        out.push(f);
    }
    loop {
        let next = match article::parse(&work, opts) {
            Ok(a) => {
                out.extend(link_findings(&a, map));
                None
            }
            Err(ArticleError::UnclosedFrontmatter { line, format }) => {
                let message = format!(
                    "frontmatter opened with `{}` is never closed: add {}",
                    format.opener(),
                    format.syntax().closer_hint()
                );
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    1,
                    Code::UnclosedFrontmatter,
                    message,
                ));
                None
            }
            // One finding per block in TOML and JSON: their libraries stop at
            // the first fault, and blanking lines is a YAML repair.
            Err(ArticleError::Syntax {
                format,
                line,
                column,
                message,
            }) => {
                let code = Code::Invalid(format);
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    column,
                    code,
                    format!("frontmatter is not valid {}: {message}", format.name()),
                ));
                None
            }
            Err(ArticleError::DuplicateKey { key, line, first }) => {
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    1,
                    Code::DuplicateKey,
                    format!(
                        "duplicate frontmatter key `{key}` (first at line {}): keep one",
                        map(first)
                    ),
                ));
                // Blanking lines is a repair where entries are cut by
                // indentation; TOML and JSON stop at their first fault.
                let indented = Format::detect(&work).is_some_and(|f| f.syntax().indented());
                indented.then(|| blank_entry(&work, line))
            }
            Err(ArticleError::Yaml { line, message }) => {
                out.push(Finding::new(
                    Severity::Error,
                    map(line),
                    1,
                    Code::Invalid(Format::detect(&work).unwrap_or_default()),
                    format!(
                        "frontmatter is not valid YAML: {}",
                        without_location(&message)
                    ),
                ));
                Some(blank_frontmatter(&work))
            }
        };
        match next {
            // Each round blanks at least one more line; stop if it did not.
            Some(n) if n != *work && seen.insert(n.clone()) => work = std::borrow::Cow::Owned(n),
            _ => break,
        }
    }
    out
}

/// The YAML library's message without its `at line L column C` parts, whose
/// numbers count from the frontmatter, not the file.
pub(super) fn without_location(message: &str) -> String {
    let mut out = message.to_owned();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let n = digits(rest);
        let mut end = i + " at line ".len() + n;
        if let Some(col) = out[end..].strip_prefix(" column ") {
            end += " column ".len() + digits(col);
        }
        if n == 0 {
            break;
        }
        out.replace_range(i..end, "");
    }
    out
}

/// Index of the closing fence of the frontmatter that opens `lines`, if it has one.
pub(super) fn frontmatter_close(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?.trim_start_matches('\u{feff}');
    if !is_fence(first, "---") {
        return None;
    }
    (1..lines.len()).find(|&i| is_fence(lines[i], "---") || is_fence(lines[i], "..."))
}

/// `text` with the lines for which `blank` is true emptied (line endings kept).
pub(super) fn blank_lines(text: &str, blank: impl Fn(usize, &str) -> bool) -> String {
    lines_of(text)
        .into_iter()
        .enumerate()
        .map(|(i, l)| if blank(i + 1, l) { split_eol(l).1 } else { l })
        .collect()
}

/// Blanks the frontmatter entry whose key is on `line` (1-based): the key line
/// and its continuation lines.
pub(super) fn blank_entry(text: &str, line: usize) -> String {
    let lines = lines_of(text);
    let close = frontmatter_close(&lines).unwrap_or(lines.len());
    let end = (line..close)
        .find(|&i| yaml::starts_key(lines[i]))
        .unwrap_or(close);
    // `end` is a 0-based index: lines `line..=end` (1-based) are the entry.
    blank_lines(text, |n, _| n >= line && n <= end)
}

/// Blanks everything between the frontmatter fences.
pub(super) fn blank_frontmatter(text: &str) -> String {
    let lines = lines_of(text);
    let Some(close) = frontmatter_close(&lines) else {
        return text.to_owned();
    };
    blank_lines(text, |n, _| n > 1 && n <= close)
}

/// Top-level keys named on column-0 lines of a YAML text, read line by line
/// so that a broken document still gives its keys.
pub(super) fn keys_by_line(lines: &[&str]) -> HashSet<String> {
    lines
        .iter()
        .filter(|l| yaml::starts_key(l))
        .filter_map(|l| yaml::single_key(l))
        .collect()
}

/// A second `---` block right after the frontmatter (blank lines between
/// allowed) that is YAML sharing a key with the first: the trace of keeping
/// both sides' frontmatter. A rule followed by a paragraph shares no key.
pub(super) fn second_frontmatter(text: &str, map: &dyn Fn(usize) -> usize) -> Option<Finding> {
    if !text.trim_start_matches('\u{feff}').starts_with("---") {
        return None;
    }
    // Lines are read only as far as needed: through the first block, and the
    // second one only when `---` follows right after it.
    fn upto<'t>(
        iter: &mut impl Iterator<Item = &'t str>,
        lines: &mut Vec<&'t str>,
        stop: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        loop {
            let l = iter.next()?;
            lines.push(l);
            if stop(l) {
                return Some(lines.len() - 1);
            }
        }
    }
    let mut iter = lines_with_offsets(text).map(|(_, l)| l);
    let mut lines: Vec<&str> = Vec::new();
    upto(&mut iter, &mut lines, |_| true)?;
    if !is_fence(lines[0].trim_start_matches('\u{feff}'), "---") {
        return None;
    }
    let close = upto(&mut iter, &mut lines, |l| {
        is_fence(l, "---") || is_fence(l, "...")
    })?;
    let start = upto(&mut iter, &mut lines, |l| !l.trim().is_empty())?;
    if !is_fence(lines[start], "---") {
        return None;
    }
    let end = upto(&mut iter, &mut lines, |l| is_fence(l, "---"))?;
    let second: String = lines[start + 1..end].concat();
    let keys = yaml::parse_mapping(&second).ok()?;
    let first = keys_by_line(&lines[1..close]);
    if !keys.iter().any(|(k, _)| first.contains(k)) {
        return None;
    }
    Some(Finding::new(
        Severity::Error,
        map(start + 1),
        1,
        Code::SecondFrontmatter,
        format!(
            "a second frontmatter block (lines {}-{}) follows the first (lines {}-{}): keep one",
            map(start + 1),
            map(end + 1),
            map(1),
            map(close + 1)
        ),
    ))
}
