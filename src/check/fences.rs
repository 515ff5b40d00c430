//! Conflict-marker leftovers in the check: every marker line the lenient scan
//! groups, except fenced examples the committed version already shows.

use super::{lines_of, Code, Committed, Finding, Severity};
use crate::conflict::fences::{fenced_lines, may_hold_examples, Examples, Unclosed};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::{self, marker, split_eol, Group, MarkerKind};
use crate::pipeline::Options;

/// Markers that can start a group; a lone `=======` is a setext underline.
pub(super) const GROUP_KINDS: &[MarkerKind] =
    &[MarkerKind::Open, MarkerKind::Base, MarkerKind::Close];

/// True when some conflict-marker line may be a fenced example, so the
/// verdict depends on [`Committed`] (the caller fetches HEAD only then).
pub(crate) fn has_fenced_markers(text: &str, marker_size: MarkerSize) -> bool {
    may_hold_examples(text, marker_size)
}

/// What the marker lines of a text say.
pub(super) struct Markers {
    /// One finding per marker line.
    pub(crate) findings: Vec<Finding>,
    /// The groups that are errors: the conflicts the sides are rebuilt
    /// from ([`crate::conflict::split::split_lenient`]).
    pub(crate) conflicts: Vec<Group>,
    /// The labels of the first conflict block that is an error.
    pub(crate) labels: Option<(String, String)>,
}

/// The findings of every marker line of `text`. In a repository, marker
/// lines that HEAD has inside a fenced code block are examples, never
/// reported; the markers git writes are never in HEAD. Outside one, a group
/// inside one of the text's own fenced blocks is only a warning.
pub(super) fn marker_findings(text: &str, opts: &Options, committed: Committed<'_>) -> Markers {
    let size = opts.marker_size;
    let lines = lines_of(text);
    let examples = match committed {
        Committed::NoRepository => Examples::none(),
        Committed::InRepository { clean } => Examples::known(text, size, clean),
    };
    // Each line's fenced block in the text as it is, for the message.
    let mut fence = vec![None; lines.len()];
    for (id, block) in fenced_lines(text, Unclosed::Skip).into_iter().enumerate() {
        fence[block].fill(Some(id));
    }
    let fence_of = |g: &Group| {
        let ls = g.lines();
        let first = fence[ls[0]]?;
        ls.iter().all(|&l| fence[l] == Some(first)).then_some(first)
    };
    let mut out = Markers {
        findings: Vec::new(),
        conflicts: Vec::new(),
        labels: None,
    };
    for group in scan::lenient(text, size, &examples) {
        let fenced = fence_of(&group).is_some();
        let severity = match (fenced, committed) {
            (true, Committed::NoRepository) => Severity::Warning,
            _ => Severity::Error,
        };
        let fence_note = match (fenced, severity) {
            (false, _) => "",
            (true, Severity::Warning) => {
                " inside a fenced code block; outside a git repository an example cannot be \
                 told from a leftover"
            }
            (true, Severity::Error) => {
                " inside a fenced code block, but not in the committed version (HEAD); \
                 an example is accepted once committed (`git commit --no-verify`)"
            }
        };
        match group {
            Group::Block(b) => {
                let span = format!("conflict at lines {}-{}", b.open + 1, b.close + 1);
                for l in b.lines() {
                    out.findings.push(Finding::new(
                        severity,
                        l + 1,
                        1,
                        Code::ConflictMarker,
                        format!("conflict marker `{}` ({span}){fence_note}", shown(lines[l])),
                    ));
                }
                if severity == Severity::Error {
                    out.conflicts.push(group);
                    out.labels.get_or_insert_with(|| {
                        (label(lines[b.open], size), label(lines[b.close], size))
                    });
                }
            }
            Group::Lone(l, kind) => {
                let why = match kind {
                    MarkerKind::Open => "without its `=======` and closing marker",
                    MarkerKind::Close => "without an opening marker",
                    MarkerKind::Base | MarkerKind::Separator => "outside a conflict",
                };
                out.findings.push(Finding::new(
                    severity,
                    l + 1,
                    1,
                    Code::LoneMarker,
                    format!(
                        "lone conflict marker `{}` {why}: left from a half-done resolution{fence_note}",
                        shown(lines[l])
                    ),
                ));
                if severity == Severity::Error {
                    out.conflicts.push(group);
                }
            }
        }
    }
    out
}

/// A marker line as shown in a message (without its line ending, shortened).
fn shown(line: &str) -> String {
    let content = split_eol(line).0;
    if content.chars().count() > 60 {
        format!("{}…", content.chars().take(60).collect::<String>())
    } else {
        content.to_owned()
    }
}

fn label(line: &str, size: MarkerSize) -> String {
    marker(line, size)
        .map(|(_, l)| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "no label".into())
}
