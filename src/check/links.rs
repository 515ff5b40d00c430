//! Related-links findings: an empty section, titles that are only a YAML
//! block-scalar indicator.

use super::{lines_of, Code, Finding, Severity};
use crate::article::{offset_in, Article};
use crate::conflict::scan::split_eol;

/// Warnings about the related-links section.
pub(super) fn link_findings(a: &Article<'_>, map: &dyn Fn(usize) -> usize) -> Vec<Finding> {
    let Some(links) = &a.links else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if links.items.is_empty() {
        let first = lines_of(links.heading)
            .into_iter()
            .find(|l| !l.trim().is_empty());
        let heading = split_eol(first.unwrap_or("")).0.trim();
        out.push(Finding::new(
            Severity::Warning,
            map(links.line),
            1,
            Code::EmptyLinks,
            format!("related-links section `{heading}` has no links: add some or remove it"),
        ));
    }
    for item in links.items.iter().filter(|i| i.title_is_scalar_indicator()) {
        let column = 1 + item.text[..offset_in(item.text, item.title)]
            .chars()
            .count();
        out.push(Finding::new(
            Severity::Warning,
            map(item.line),
            column,
            Code::ScalarIndicatorTitle,
            format!(
                "related-link title `{}` is only a YAML block-scalar indicator (a generator \
                 copied `title: {}` literally): write the linked article's title",
                item.title.trim(),
                item.title.trim()
            ),
        ));
    }
    out
}
