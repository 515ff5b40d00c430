//! What the walks of named folders skipped, as a person reads it: a
//! warning per path skipped for a reason worth knowing, and one summary line.

use std::path::PathBuf;

use console::style;

use crate::files::{shown, Skipped};

use super::errln;

/// `warning: PATH: WHY; skipped` on stderr for each warning recorded in
/// `skipped` since the last call.
pub(crate) fn warnings(skipped: &mut Skipped) {
    for (path, why) in skipped.take_warnings() {
        errln!(
            "{}: {}: {}; skipped",
            style("warning").yellow().bold(),
            super::path(&path),
            super::escape(&why)
        );
    }
}

/// `skipped 3: 1 hidden (.changeset), 2 symlink cycles`, or `None`.
pub(crate) fn summary(skipped: &Skipped) -> Option<String> {
    fn named(n: usize, what: &str, paths: &[PathBuf]) -> Option<String> {
        if n == 0 {
            return None;
        }
        // A few names tell where to look; all of them would flood the line.
        let names: Vec<String> = paths
            .iter()
            .take(3)
            .map(|p| super::path(shown(p)))
            .collect();
        let more = if n > 3 { ", ..." } else { "" };
        Some(format!("{n} {what} ({}{more})", names.join(", ")))
    }
    let unreadable: Vec<PathBuf> = skipped.unreadable.iter().map(|(p, _)| p.clone()).collect();
    let cycles = if skipped.cycles.len() == 1 {
        "symlink cycle"
    } else {
        "symlink cycles"
    };
    let parts: Vec<String> = [
        named(skipped.hidden.len(), "hidden", &skipped.hidden),
        named(skipped.ignored.len(), "git-ignored", &skipped.ignored),
        named(skipped.cycles.len(), cycles, &skipped.cycles),
        named(unreadable.len(), "unreadable", &unreadable),
        named(
            skipped.outside.len(),
            "symlinked outside the work tree or hidden",
            &skipped.outside,
        ),
        named(
            skipped.ignored_links.len(),
            "symlinked to a file git ignores",
            &skipped.ignored_links,
        ),
        named(
            skipped.not_files.len(),
            if skipped.not_files.len() == 1 {
                "not a regular file"
            } else {
                "not regular files"
            },
            &skipped.not_files,
        ),
        (skipped.duplicates > 0)
            .then(|| format!("{} already reached by another path", skipped.duplicates)),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| format!("skipped {}: {}", skipped.total(), parts.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_summary_counts_every_reason_and_names_a_few() {
        assert_eq!(summary(&Skipped::default()), None);
        let s = Skipped {
            hidden: ["./.a", "./.b", "./.c", "./.d"].map(PathBuf::from).to_vec(),
            ignored: vec![PathBuf::from("drafts")],
            cycles: vec![PathBuf::from("up")],
            unreadable: vec![(PathBuf::from("gone.md"), "No such file".into())],
            outside: vec![PathBuf::from("./link.md")],
            ignored_links: vec![PathBuf::from("./notes.md")],
            not_files: vec![PathBuf::from("pipe.md")],
            duplicates: 2,
            warnings: vec![],
        };
        assert_eq!(s.total(), 12);
        assert_eq!(
            summary(&s).unwrap(),
            "skipped 12: 4 hidden (.a, .b, .c, ...), 1 git-ignored (drafts), 1 symlink cycle \
             (up), 1 unreadable (gone.md), 1 symlinked outside the work tree or hidden (link.md), \
             1 symlinked to a file git ignores (notes.md), 1 not a regular file (pipe.md), \
             2 already reached by another path"
        );
    }
}
