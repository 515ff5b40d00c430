//! What the index session said (`git::session::Said`), worded for a person:
//! warnings, notes, what was marked resolved and the next step.

use console::style;

use crate::git::session::{marking_command, shell_quote, staged_command, IndexSession, Said};
use crate::git::Marking;

use super::{errln, error, escape, path, wrap, Stream};

/// Prints what `index` said since the last call, on stderr.
pub(crate) fn said(index: &mut IndexSession) {
    for said in index.take_said() {
        print(said);
    }
}

/// ` in DIR` for a repository other than the current folder's.
fn place(p: &Option<std::path::PathBuf>) -> String {
    p.as_deref()
        .map_or_else(String::new, |p| format!(" in {}", path(p)))
}

fn print(said: Said) {
    match said {
        Said::Warning { path: p, message } => errln!(
            "{}: {}: {message}",
            style("warning").yellow().bold(),
            path(&p)
        ),
        Said::Skipped { path: p, why } => errln!(
            "{}: {}: {}; skipped",
            style("warning").yellow().bold(),
            path(&p),
            escape(&why)
        ),
        Said::NotMarkdown(other) => note_paths(
            "unmerged file(s) are not Markdown; resolve them with git",
            &other,
        ),
        Said::NotFiles(other) => note_paths(
            "unmerged path(s) are a symlink or a submodule on a side, not an article (never followed); resolve them with git",
            &other,
        ),
        Said::StagedWithMarkers(staged) => note_paths(
            "file(s) staged with conflict markers (`git add`ed before they were resolved)",
            &staged,
        ),
        Said::NoUnmergedMarkdown => errln!("frontmerge: no unmerged Markdown files"),
        Said::InProgress(op) => {
            // Wrapped at word boundaries at a terminal (a pipe keeps one line).
            let line = format!("{}: {op}", style("git").bold());
            match console::Term::stderr().size_checked() {
                Some((_, w)) => Stream::Err.print(&wrap(&line, usize::from(w), "  ")),
                None => errln!("{line}"),
            }
        }
        Said::NotMarked { path: p, message } => errln!(
            "{}: {}: written, but git could not mark it resolved: {message}",
            style("error").red().bold(),
            path(&p)
        ),
        Said::MarkFailed { files, error: e } => errln!(
            "{}: {} file(s) written, but git could not mark them resolved: {}",
            style("error").red().bold(),
            files,
            error(&e.into())
        ),
        Said::Marked {
            count,
            marking,
            alone,
        } => marked(count, marking, alone),
        Said::MarkLater {
            marking,
            sparse,
            paths,
        } => mark_later(marking, sparse, &paths),
        Said::StagedLeft {
            marking,
            sparse,
            paths,
        } => staged_left(marking, sparse, &paths),
        Said::StillUnmerged { left, place: p } => errln!(
            "frontmerge: {left} path(s) still unmerged{} (see `git status`)",
            place(&p)
        ),
        Said::AllResolved {
            operation,
            stash,
            place: p,
        } => errln!(
            "{}: all conflicts resolved{}: {}",
            style("hint").cyan().bold(),
            place(&p),
            operation.next_step_for(stash.as_deref())
        ),
    }
}

/// `count` files marked resolved the way `marking` says: a dim line under
/// the file's own when it was the only one (`alone`).
fn marked(count: usize, marking: Marking, alone: bool) {
    let how = match marking {
        Marking::Add => "(git add)",
        Marking::ResetToHead => "(the changes stay unstaged, as after a clean stash pop)",
    };
    if alone {
        errln!("  {}", style(format!("marked resolved {how}")).dim());
    } else {
        errln!("frontmerge: marked {count} file(s) resolved {how}");
    }
}

/// Files written but not marked resolved: the command that marks them.
fn mark_later(marking: Marking, sparse: bool, paths: &[std::path::PathBuf]) {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| escape(&shell_quote(&p.to_string_lossy())).into_owned())
        .collect();
    let command = marking_command(marking, sparse);
    errln!(
        "{}: {} file(s) written but not marked resolved (their new content is in place); \
         once git can (no other git running, no stale .git/index.lock, the path inside a \
         sparse checkout), run:\n    {command} {}",
        style("hint").cyan().bold(),
        paths.len(),
        paths.join(" ")
    );
}

/// Files resolved whose staged copy still has markers: the commands that
/// stage them, or put the index back as the operation leaves it.
fn staged_left(marking: Marking, sparse: bool, paths: &[std::path::PathBuf]) {
    let why = match marking {
        Marking::Add => "not staged (the index was left alone)",
        Marking::ResetToHead => {
            "not staged: after a stash pop the changes stay unstaged, and this puts the index back to HEAD"
        }
    };
    let commands: Vec<String> = paths
        .iter()
        .map(|p| escape(&staged_command(marking, p, sparse)).into_owned())
        .collect();
    errln!(
        "{}: {} file(s) resolved whose staged copy still has conflict markers, {why}; run:\n    {}",
        style("hint").cyan().bold(),
        paths.len(),
        commands.join("\n    ")
    );
}

/// `note: N <what>: a.md, b.md`, the paths as shown.
fn note_paths(what: &str, paths: &[std::path::PathBuf]) {
    let names: Vec<String> = paths.iter().map(|p| path(p)).collect();
    errln!(
        "{}: {} {what}: {}",
        style("note").cyan().bold(),
        paths.len(),
        names.join(", ")
    );
}
