//! The check: conflict leftovers and broken frontmatter in one file's text,
//! each finding with its line and column. Pure: when the committed version of
//! the file matters (markers inside fenced code blocks), the caller passes it in.
//!
//! ```text
//! <<<<<<< Updated upstream     error: conflict marker (every marker line of a block)
//! ...
//! =======
//! ...
//! >>>>>>> Stashed changes
//! >>>>>>> Stashed changes      error: lone marker (no opening); same for a lone `<<<<<<<`
//! ---                          error: frontmatter never closed, not YAML, duplicate key
//! title: A
//! ---
//! ---                          error: a second frontmatter block right after the first
//! title: B
//! ---
//! Title
//! =======                      fine: a setext heading outside a conflict
//! ---                          fine: a rule
//! ## Читайте также
//! *   [>-](/blog/x/)           warning: the title is only a block-scalar indicator
//! ```
//!
//! Unlike the strict scan, which stops at the first malformed marker, the
//! check reads every marker line with the same grammar's lenient mode
//! (`conflict::scan::lenient`) and reports them all. Inside conflict blocks
//! the frontmatter and links are checked on each side, the sides rebuilt by
//! `conflict::split::split_lenient`, as `resolve` would read them.

mod fences;
mod frontmatter;
mod links;

use serde::Serialize;

use crate::article::{self, ArticleOptions, Format};
use crate::conflict::scan::lines_with_offsets;
use crate::conflict::split::{split_lenient, SideText};
use crate::error::Error;
use crate::git::operation::{MarkerLabels, Operation};
use crate::pipeline::Options;

use fences::{marker_findings, Markers, GROUP_KINDS};
use frontmatter::article_findings;

pub(crate) use fences::has_fenced_markers;

/// How bad a finding is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// Must not be committed: `check` exits 1.
    Error,
    /// Worth a look: `check` exits 0 unless `--strict`.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a finding is about; stable names for tools (`--json`, serialised
/// as [`Code::as_str`] says).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// A marker line of a whole conflict block (`<<<<<<<` … `=======` … `>>>>>>>`).
    ConflictMarker,
    /// A `<<<<<<<`, `|||||||` or `>>>>>>>` line outside any whole conflict block.
    LoneMarker,
    /// The `---` at the top is never closed.
    UnclosedFrontmatter,
    /// The frontmatter is not valid in its format (`invalid-yaml`,
    /// `invalid-toml`, `invalid-json`).
    Invalid(Format),
    /// A frontmatter key appears twice.
    DuplicateKey,
    /// A second frontmatter block right after the first.
    SecondFrontmatter,
    /// A related-link title that is only `>-`, `|` or the like.
    ScalarIndicatorTitle,
    /// A related-links heading with no links under it.
    EmptyLinks,
    /// Not UTF-8 text, or binary.
    NotText,
    /// A value inside a mapping key (`schema.name`) that no longer equals the key it mirrors.
    DerivedMismatch,
    /// A path still unmerged in the index whose file holds no markers: git
    /// did not merge it line by line (a `merge` or `binary` attribute, a
    /// failed driver), or it was resolved by hand and not `git add`ed.
    Unmerged,
}

/// The finding for a path still unmerged in the index without markers;
/// `quoted` is the path as a shell reads it, `sparse` a sparse checkout
/// (where `git add` needs `--sparse` for a path outside the cone).
pub(crate) fn unmerged(quoted: &str, sparse: bool) -> Finding {
    let flag = if sparse { " --sparse" } else { "" };
    Finding {
        severity: Severity::Error,
        line: 1,
        column: 1,
        code: Code::Unmerged,
        message: format!(
            "still unmerged in the index, with no conflict markers: git did not merge it line by \
             line (a `merge` or `binary` attribute), or it was resolved by hand and not added; \
             `git frontmerge {quoted}` merges it from its stages, `git add{flag} -- {quoted}` \
             keeps it as it is"
        ),
    }
}

impl Code {
    /// The kebab-case name, as printed after a finding.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::ConflictMarker => "conflict-marker",
            Code::Unmerged => "unmerged",
            Code::LoneMarker => "lone-marker",
            Code::UnclosedFrontmatter => "unclosed-frontmatter",
            Code::Invalid(format) => format.syntax().invalid_code(),
            Code::DuplicateKey => "duplicate-key",
            Code::SecondFrontmatter => "second-frontmatter",
            Code::ScalarIndicatorTitle => "scalar-indicator-title",
            Code::EmptyLinks => "empty-links",
            Code::NotText => "not-text",
            Code::DerivedMismatch => "derived-mismatch",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem at one place in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Finding {
    /// Error or warning.
    pub(crate) severity: Severity,
    /// 1-based line in the file.
    pub(crate) line: usize,
    /// 1-based column, in characters.
    pub(crate) column: usize,
    /// What kind of problem.
    pub(crate) code: Code,
    /// One line for a person.
    pub(crate) message: String,
}

impl Finding {
    fn new(severity: Severity, line: usize, column: usize, code: Code, message: String) -> Self {
        Finding {
            severity,
            line,
            column,
            code,
            message,
        }
    }

    /// True for errors.
    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What is known about the committed version of the file: it decides whether
/// conflict markers inside a fenced code block are an example or a leftover.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Committed<'a> {
    /// Not in a git repository: such markers are warnings.
    NoRepository,
    /// In a repository; the file's clean versions git holds: HEAD's, and
    /// while the file is unmerged the index's stages (as for `resolve`).
    /// Fenced markers whose lines a clean version shows are examples and
    /// not reported; the markers git inserts are never in one, so they are
    /// errors.
    InRepository {
        /// The clean versions' texts (none for a new file).
        clean: &'a [&'a str],
    },
}

/// The finding for a file that is not UTF-8 text.
pub(crate) fn not_text(error: &Error) -> Finding {
    Finding::new(
        Severity::Error,
        error.line().unwrap_or(1),
        1,
        Code::NotText,
        error.to_string(),
    )
}

/// True when `text` is an article with a mapping key (`schema`) whose values
/// may mirror other keys: only then is its committed version worth fetching
/// for [`derived_findings`].
pub(crate) fn has_derived_candidates(text: &str, opts: &Options) -> bool {
    article::parse(text, &opts.article).is_ok_and(|a| a.entries().any(|e| e.value.is_mapping()))
}

/// Warnings for values inside a mapping key that no longer equal the key
/// they mirror (`schema.name` and `title`): mirrors that held in `head`, the
/// committed version, and those configured under `[derived]`.
pub(crate) fn derived_findings(text: &str, opts: &Options, head: Option<&str>) -> Vec<Finding> {
    crate::pipeline::derived::check_text(text, head, &opts.derived.configured, &opts.article)
        .into_iter()
        .map(|m| {
            let why = if m.was_equal {
                "they were equal in the committed version"
            } else {
                "[derived] in .frontmerge.toml"
            };
            let mm = &m.mismatch;
            Finding::new(
                Severity::Warning,
                m.line,
                m.column,
                Code::DerivedMismatch,
                format!(
                    "`{}` no longer matches `{}`: {} ≠ {} ({why}); make them equal",
                    mm.mirror.field(),
                    mm.mirror.source,
                    crate::pipeline::derived::quote(&mm.found),
                    crate::pipeline::derived::quote(&mm.wanted)
                ),
            )
        })
        .collect()
}

/// Every finding in `text`, ordered by line and column.
pub(crate) fn check(text: &str, opts: &Options, committed: Committed<'_>) -> Vec<Finding> {
    // The common case, an article with no marker that can start a group:
    // no line table, no side copies.
    if !crate::conflict::scan::has_marker(text, opts.marker_size, GROUP_KINDS) {
        if let Some(found) = lone_cr_markers(text, opts, committed) {
            return found;
        }
        let mut out = article_findings(text, &opts.article, &|l| l);
        out.sort_by_key(|f| (f.line, f.column, f.severity));
        return out;
    }
    let Markers {
        findings: mut out,
        conflicts,
        labels,
    } = marker_findings(text, opts, committed);
    // The sides as the one grammar's lenient mode cuts them.
    let sides = split_lenient(text, &conflicts);
    match labels {
        // No conflict block: the upstream side is the text without the
        // lone markers, as is the stashed one.
        None => out.extend(side_findings(&sides.upstream, &opts.article)),
        Some((up_label, st_label)) => {
            let (up, st) = (
                side_findings(&sides.upstream, &opts.article),
                side_findings(&sides.stashed, &opts.article),
            );
            // Named as the operation that wrote the labels names its sides.
            let op = match MarkerLabels::of(up_label.as_bytes(), st_label.as_bytes()) {
                MarkerLabels::Stash => Operation::Stash,
                _ => Operation::Unknown,
            };
            let [up_name, st_name] = op.side_names();
            let prefix = |name: &str, label: &str, f: &Finding| Finding {
                message: format!("{name} side ({label}): {}", f.message),
                ..f.clone()
            };
            for f in &up {
                if st.contains(f) {
                    out.push(f.clone());
                } else {
                    out.push(prefix(up_name, &up_label, f));
                }
            }
            for f in st.iter().filter(|f| !up.contains(f)) {
                out.push(prefix(st_name, &st_label, f));
            }
        }
    }
    out.sort_by_key(|f| (f.line, f.column, f.severity));
    out
}

/// Markers in a file whose lines end in a lone CR (classic Mac): git, and
/// every other reader of lines, sees one long line, so the markers are not
/// found line by line; read with CR as the line end they are, and each
/// finding says why. `None` when the file has no lone CR, or no marker that
/// way either. CR and LF are one byte each: lines and columns stay right.
fn lone_cr_markers(text: &str, opts: &Options, committed: Committed<'_>) -> Option<Vec<Finding>> {
    let lf = crate::conflict::scan::lone_cr_as_lf(text)?;
    if !crate::conflict::scan::has_marker(&lf, opts.marker_size, GROUP_KINDS) {
        return None;
    }
    let mut found = check(&lf, opts, committed);
    for f in &mut found {
        f.message.push_str(
            " (the file's lines end in a lone CR, which git reads as one line: \
             convert them to LF or CRLF)",
        );
    }
    Some(found)
}

/// The text's lines, line endings included.
pub(super) fn lines_of(text: &str) -> Vec<&str> {
    lines_with_offsets(text).map(|(_, l)| l).collect()
}

/// The frontmatter and links findings of one side, at file lines.
fn side_findings(side: &SideText, opts: &ArticleOptions) -> Vec<Finding> {
    article_findings(&side.text, opts, &|l| side.file_line(l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::marker_size::MarkerSize;

    fn run(text: &str, committed: Committed<'_>) -> Vec<Finding> {
        check(text, &Options::default(), committed)
    }

    fn plain(text: &str) -> Vec<Finding> {
        run(text, Committed::NoRepository)
    }

    fn summary(findings: &[Finding]) -> Vec<(usize, usize, Severity, Code)> {
        findings
            .iter()
            .map(|f| (f.line, f.column, f.severity, f.code))
            .collect()
    }

    const E: Severity = Severity::Error;
    const W: Severity = Severity::Warning;

    #[test]
    fn clean_article_has_no_findings() {
        let t = "---\ntitle: A\n---\n# Title\n\nText\n\n## Related\n\n- [One](/one/)\n";
        assert_eq!(plain(t), []);
        assert_eq!(plain(""), []);
    }

    #[test]
    fn every_marker_line_of_a_block_is_an_error() {
        let t = "---\ntitle: A\n---\n<<<<<<< Updated upstream\nup\n||||||| Stash base\nbase\n=======\nst\n>>>>>>> Stashed changes\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [
                (4, 1, E, Code::ConflictMarker),
                (6, 1, E, Code::ConflictMarker),
                (8, 1, E, Code::ConflictMarker),
                (10, 1, E, Code::ConflictMarker)
            ]
        );
        assert!(f[0].message.contains("`<<<<<<< Updated upstream`"));
        assert!(f[0].message.contains("conflict at lines 4-10"));
    }

    #[test]
    fn all_blocks_and_lone_markers_are_reported_not_just_the_first() {
        let t = "a\n>>>>>>> Stashed changes\nb\n<<<<<<< x\n1\n=======\n2\n>>>>>>> y\nc\n<<<<<<< Updated upstream\nd\n||||||| base\n";
        assert_eq!(
            summary(&plain(t)),
            [
                (2, 1, E, Code::LoneMarker),
                (4, 1, E, Code::ConflictMarker),
                (6, 1, E, Code::ConflictMarker),
                (8, 1, E, Code::ConflictMarker),
                (10, 1, E, Code::LoneMarker),
                (12, 1, E, Code::LoneMarker)
            ]
        );
        // An opening cut short by another opening, a close without separator.
        let t = "<<<<<<< a\nx\n<<<<<<< b\ny\n>>>>>>> c\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [
                (1, 1, E, Code::LoneMarker),
                (3, 1, E, Code::LoneMarker),
                (5, 1, E, Code::LoneMarker)
            ]
        );
        assert!(
            f[2].message.contains("without an opening"),
            "{}",
            f[2].message
        );
        assert!(f[0].message.contains("half-done resolution"));
    }

    #[test]
    fn setext_headings_and_rules_are_not_alarms() {
        let t = "---\ntitle: A\n---\nTitle\n=======\n\ntext\n\n---\n\nSub\n-------\n\n***\n";
        assert_eq!(plain(t), []);
    }

    #[test]
    fn marker_size_is_honoured() {
        let t = "Heading\n=======\n<<<<<<<<< ours\n=======\nx\n=========\ny\n>>>>>>>>> theirs\n";
        let opts = Options {
            marker_size: MarkerSize::new(9).unwrap(),
            ..Options::default()
        };
        let f = check(t, &opts, Committed::NoRepository);
        assert_eq!(
            f.iter().map(|f| f.line).collect::<Vec<_>>(),
            [3, 6, 8],
            "{f:?}"
        );
        // With the default size, the 9-character markers are plain text.
        assert_eq!(plain(t), []);
    }

    #[test]
    fn crlf_markers() {
        let t = "<<<<<<< a\r\nx\r\n=======\r\ny\r\n>>>>>>> b\r\n";
        assert_eq!(plain(t).len(), 3);
        assert!(!plain(t)[0].message.contains('\r'));
    }

    const FENCED: &str = "# Resolving conflicts\n\nGit writes:\n\n```text\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n```\n\nDone.\n";

    #[test]
    fn fenced_markers_outside_a_repository_are_warnings() {
        let f = plain(FENCED);
        assert_eq!(
            summary(&f).iter().map(|s| (s.0, s.2)).collect::<Vec<_>>(),
            [(6, W), (8, W), (10, W)]
        );
        assert!(
            f[0].message.contains("fenced code block"),
            "{}",
            f[0].message
        );
        assert!(has_fenced_markers(FENCED, MarkerSize::DEFAULT));
        assert!(!has_fenced_markers(
            "<<<<<<< a\n=======\n>>>>>>> b\n",
            MarkerSize::DEFAULT
        ));
    }

    #[test]
    fn fenced_markers_already_in_head_are_examples() {
        let head = Committed::InRepository { clean: &[FENCED] };
        assert_eq!(run(FENCED, head), []);
        // The same lines, edited around: still the committed lines.
        let edited = FENCED.replace("Done.", "Done, and more text.");
        assert_eq!(run(&edited, head), []);
        // A new file, or a file whose HEAD lacks the example: errors.
        let f = run(FENCED, Committed::InRepository { clean: &[] });
        assert_eq!(f.len(), 3);
        assert!(f.iter().all(Finding::is_error));
        assert!(f[0].message.contains("not in the committed version"));
    }

    #[test]
    fn a_real_conflict_inside_a_code_fence_is_still_caught() {
        // HEAD has one example; a stash pop then conflicts inside the fence.
        let head = "```text\nline\n```\n";
        let now = "```text\n<<<<<<< Updated upstream\nline\n=======\nother\n>>>>>>> Stashed changes\n```\n";
        let f = run(now, Committed::InRepository { clean: &[head] });
        assert_eq!(f.iter().map(|f| f.line).collect::<Vec<_>>(), [2, 4, 6]);
        assert!(f.iter().all(Finding::is_error));
        // Marker lines shared with the committed example do not excuse the new ones.
        let head = FENCED;
        let now = FENCED.replace(
            "mine\n",
            "mine\n<<<<<<< Updated upstream\nx\n=======\ny\n>>>>>>> Stashed changes\n",
        );
        let f = run(&now, Committed::InRepository { clean: &[head] });
        assert!(!f.is_empty() && f.iter().all(Finding::is_error), "{f:?}");
    }

    #[test]
    fn a_conflict_that_cuts_through_a_fence_is_not_an_example() {
        // The upstream side opens a fence: the markers are not all in one fenced block.
        let t = "<<<<<<< a\n```\ncode\n=======\ntext\n>>>>>>> b\n```\n";
        let f = plain(t);
        assert_eq!(f.len(), 3);
        assert!(f.iter().all(Finding::is_error), "{f:?}");
        // An unclosed fence excuses nothing.
        let t = "```\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
        assert!(plain(t).iter().all(Finding::is_error));
    }

    #[test]
    fn unclosed_frontmatter() {
        let f = plain("---\ntitle: A\n# Body\n");
        assert_eq!(summary(&f), [(1, 1, E, Code::UnclosedFrontmatter)]);
    }

    #[test]
    fn invalid_yaml_names_the_key_line_without_library_positions() {
        let f = plain("---\ntitle: A\nbroken: [1\nx: 2\n---\nbody\n");
        assert_eq!(summary(&f), [(3, 1, E, Code::Invalid(Format::Yaml))]);
        assert!(!f[0].message.contains(" at line "), "{}", f[0].message);
    }

    #[test]
    fn every_duplicate_key_is_reported() {
        let t =
            "---\ntitle: A\ndescription: >-\n  one\ntitle: B\ndescription: >-\n  two\n---\nbody\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [(5, 1, E, Code::DuplicateKey), (6, 1, E, Code::DuplicateKey)]
        );
        assert!(
            f[0].message.contains("`title` (first at line 2)"),
            "{}",
            f[0].message
        );
        assert!(f[1].message.contains("`description` (first at line 3)"));
    }

    #[test]
    fn yaml_error_after_a_duplicate_is_reported_too_and_links_still_checked() {
        let t = "---\ntitle: A\ntitle: B\nbad: [1\n---\n## Related\n\n- [>-](/x/)\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [
                (3, 1, E, Code::DuplicateKey),
                (4, 1, E, Code::Invalid(Format::Yaml)),
                (8, 4, W, Code::ScalarIndicatorTitle)
            ]
        );
    }

    #[test]
    fn second_frontmatter_block() {
        let t = "---\ntitle: A\n---\n\n---\ntitle: B\ndate: 2025-01-01\n---\n# Body\n";
        let f = plain(t);
        assert_eq!(summary(&f), [(5, 1, E, Code::SecondFrontmatter)]);
        assert!(f[0].message.contains("lines 5-8"), "{}", f[0].message);
        // A rule then a setext heading that happens to read as YAML is not one.
        let t = "---\ntitle: A\n---\n---\nNote: a paragraph\n---\n";
        assert_eq!(plain(t), []);
        // A rule right after the frontmatter is fine.
        assert_eq!(plain("---\ntitle: A\n---\n---\ntext\n"), []);
    }

    #[test]
    fn link_warnings() {
        let t = "---\ntitle: A\n---\ntext\n\n## Читайте также\n\n*   [>-](/blog/a/)\n*   [Fine](/blog/b/)\n-   [|](/blog/c/)\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [
                (8, 6, W, Code::ScalarIndicatorTitle),
                (10, 6, W, Code::ScalarIndicatorTitle)
            ]
        );
        assert!(f[0].message.contains("`>-`"));
        let f = plain("text\n\n## See also\n\n");
        assert_eq!(summary(&f), [(3, 1, W, Code::EmptyLinks)]);
        assert!(f[0].message.contains("`## See also`"));
    }

    #[test]
    fn sides_of_a_conflict_are_checked_with_file_lines() {
        // Both sides keep `title`, the stashed side adds a duplicate.
        let t = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\ntitle: C\n>>>>>>> Stashed changes\n---\n## Related\n\n- [>-](/x/)\n";
        let f = plain(t);
        assert_eq!(
            summary(&f),
            [
                (2, 1, E, Code::ConflictMarker),
                (4, 1, E, Code::ConflictMarker),
                (6, 1, E, Code::DuplicateKey),
                (7, 1, E, Code::ConflictMarker),
                (11, 4, W, Code::ScalarIndicatorTitle)
            ]
        );
        assert!(
            f[2].message
                .starts_with("stashed side (Stashed changes): duplicate")
                && f[2].message.contains("first at line 5"),
            "{}",
            f[2].message
        );
        // Shared text is reported once, without a side.
        assert!(
            f[4].message.starts_with("related-link title"),
            "{}",
            f[4].message
        );
        // In a merge, the sides are git's ours and theirs.
        let merge = t
            .replace("Updated upstream", "HEAD")
            .replace("Stashed changes", "topic");
        let f = plain(&merge);
        assert!(
            f[2].message.starts_with("theirs side (topic): duplicate"),
            "{}",
            f[2].message
        );
    }

    #[test]
    fn lone_markers_do_not_spoil_the_frontmatter_check() {
        let t = "---\ntitle: A\n>>>>>>> Stashed changes\n---\nbody\n";
        assert_eq!(summary(&plain(t)), [(3, 1, E, Code::LoneMarker)]);
    }

    #[test]
    fn not_text_finding_names_the_line() {
        let e = crate::error::decode(b"a\nb\xff").unwrap_err();
        let f = not_text(&e);
        assert_eq!((f.line, f.code, f.severity), (2, Code::NotText, E));
    }

    fn seed(name: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/seeds")
            .join(name);
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn conflicted_seed_fails_at_its_marker_lines() {
        let f = plain(&seed("stash-pop-conflict.md"));
        let errors: Vec<usize> = f.iter().filter(|f| f.is_error()).map(|f| f.line).collect();
        assert_eq!(errors, [2, 109, 214, 220, 224, 228], "{f:#?}");
        assert!(f
            .iter()
            .filter(|f| f.is_error())
            .all(|f| f.code == Code::ConflictMarker));
        // Each side's `[>-]` link is a warning at its own file line.
        let warnings: Vec<(usize, Code)> = f
            .iter()
            .filter(|f| !f.is_error())
            .map(|f| (f.line, f.code))
            .collect();
        assert_eq!(
            warnings,
            [
                (223, Code::ScalarIndicatorTitle),
                (226, Code::ScalarIndicatorTitle)
            ]
        );
    }

    #[test]
    fn resolved_seed_passes_with_scalar_indicator_warnings() {
        let text = seed("resolved-article.md");
        let f = plain(&text);
        assert!(!f.is_empty());
        assert!(
            f.iter().all(|f| f.code == Code::ScalarIndicatorTitle),
            "{f:#?}"
        );
        let line = text.lines().position(|l| l.contains("[>-]")).unwrap() + 1;
        assert_eq!((f[0].line, f[0].column), (line, 6));
    }

    #[test]
    fn derived_fields_out_of_step_are_warnings() {
        let opts = Options::default();
        let head = "---\ntitle: Old\nschema: {\"@type\":\"HowTo\",\"name\":\"Old\"}\n---\nbody\n";
        let now = "---\ntitle: New\nschema: {\"@type\":\"HowTo\",\"name\":\"Old\"}\n---\nbody\n";
        assert!(has_derived_candidates(now, &opts));
        assert!(!has_derived_candidates("---\ntitle: x\n---\n", &opts));
        let f = derived_findings(now, &opts, Some(head));
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].line, f[0].column, f[0].severity),
            (3, 33, Severity::Warning)
        );
        assert_eq!(f[0].code.as_str(), "derived-mismatch");
        assert_eq!(
            f[0].message,
            "`schema.name` no longer matches `title`: \"Old\" ≠ \"New\" (they were equal in the committed version); make them equal"
        );
        assert!(derived_findings(head, &opts, Some(head)).is_empty());
        assert!(
            derived_findings(now, &opts, None).is_empty(),
            "nothing to go by"
        );
        let mut conf = Options::default();
        conf.derived.configured = vec![("schema.name".into(), "title".into())];
        assert!(derived_findings(now, &conf, None)[0]
            .message
            .contains("[derived] in .frontmerge.toml"));
    }
}

/// `check` never panics, whatever the text, both ways it reads frontmatter
/// (with and without values), in a repository or not. (It ran in the
/// integration tests' `properties` while `check` was public.)
#[cfg(test)]
mod nothing_panics {
    use proptest::prelude::*;

    use super::*;

    fn check_runs(text: &str) {
        let mut keys_only = Options::default();
        keys_only.article.values = false;
        for (opts, committed) in [
            (&Options::default(), Committed::NoRepository),
            (&keys_only, Committed::InRepository { clean: &[text] }),
        ] {
            let _ = check(text, opts, committed);
            let _ = derived_findings(text, opts, Some(text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn on_marker_soup(text in crate::testing::marker_soup()) {
            check_runs(&text);
        }

        #[test]
        fn on_arbitrary_strings(text in any::<String>()) {
            check_runs(&text);
        }

        #[test]
        fn on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(text) = crate::error::decode(&bytes) {
                check_runs(text);
            }
        }
    }
}
