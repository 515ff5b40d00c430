//! `git frontmerge diff`: the part-by-part comparison, for people or as JSON.

use anyhow::Result;
use console::{style, Term};

use std::path::{Path, PathBuf};

use crate::cli::args::DiffArgs;
use crate::cli::cmd::input::FileInput;
use crate::cli::cmd::rules::Loaded;
use crate::cli::cmd::{apply_color, error_location, options};
use crate::cli::exit;
use crate::cli::report::{
    self, diff_header, diff_rows, errln, key_changes, outln, DiffJson, PartJson, RuleJson,
    SideNames, Stream,
};
use crate::conflict::worded::Worded;
use crate::decide::rules::RuleSet;
use crate::decide::{Decision, FileView, Reason, Resolution};
use crate::error::decode;
use crate::files;
use crate::git::session::{FileContext, IndexSession};
use crate::git::Operation;
use crate::merge::compare::Part;
use crate::pipeline::cascade::{preview, Preview};
use crate::pipeline::prepare::{ready, Compared, Ready, Versions};

/// Runs `diff`.
pub(crate) fn run(args: &DiffArgs) -> Result<i32> {
    apply_color(args.common.color);
    let opts = options(&args.common);
    let loaded = crate::cli::cmd::rules::load(&args.rules)?;
    // No paths: the unmerged articles of the repository, as `resolve` does.
    let mut index = IndexSession::open(&args.paths, false)?;
    report::index::said(&mut index);
    let (found, missing, skipped) = files_to_compare(args, &mut index);
    let contexts = index.contexts(&found);
    report::index::said(&mut index);
    let operations: Vec<_> = found.iter().map(|p| index.operation(p)).collect();
    report::index::said(&mut index);
    let mut failed = !missing.is_empty();
    for (p, why) in &missing {
        errln!(
            "{}: {}: {}",
            style("error").red().bold(),
            report::path(p),
            report::escape(why)
        );
    }
    // At a terminal, its width; in a pipe, 100 columns and a header that is
    // never wrapped (scripts read it as one line).
    let term = Term::stdout().size_checked().map(|(_, w)| usize::from(w));
    let mut json = Vec::new();
    for ((path, ctx), op) in found.iter().zip(&contexts).zip(operations) {
        let how = How {
            args,
            opts: &opts,
            loaded: &loaded,
            term,
        };
        match compare_one(&how, path, ctx, op) {
            Ok(Some(value)) => json.push(value),
            Ok(None) => {}
            Err(e) => {
                failed = true;
                errln!("{}: {}", style("error").red().bold(), report::error(&e));
                // A script reading the JSON learns of the file too, not only
                // the person reading stderr.
                if args.json {
                    json.push(serde_json::json!({
                        "path": path.display().to_string(),
                        "error": format!("{e:#}"),
                    }));
                }
            }
        }
    }
    if args.json {
        report::print_json(&report::json_text(serde_json::to_string_pretty(&json)?))?;
    }
    // What the folder walks left out, as `check` and `resolve` say it (on
    // stderr: the diff itself, or its JSON, stays on stdout).
    if let Some(s) = report::skipped::summary(&skipped) {
        errln!("{s}");
    }
    Ok(if failed { exit::FAILED } else { exit::OK })
}

/// The files to compare (the named ones, else the repository's unmerged
/// articles), those named that are missing, and what the walks left out;
/// their marker sizes loaded into `index` unless given.
fn files_to_compare(
    args: &DiffArgs,
    index: &mut IndexSession,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>, files::Skipped) {
    let (found, missing, skipped) = if args.paths.is_empty() {
        let found = index.unmerged_markdown();
        report::index::said(index);
        (found, Vec::new(), files::Skipped::default())
    } else {
        let (found, missing, mut skipped) = index.expand(&args.paths);
        report::skipped::warnings(&mut skipped);
        let (gone, missing) = index.unmerged_without_file(missing);
        let found = found.into_iter().map(|f| f.path).chain(gone).collect();
        (found, missing, skipped)
    };
    // The same marker size as `resolve` and `check`: the attribute, unless given.
    if args.common.marker_size.is_none() {
        index.load_marker_sizes(&found);
        report::index::said(index);
    }
    (found, missing, skipped)
}

/// How every file is compared and shown.
struct How<'h> {
    args: &'h DiffArgs,
    opts: &'h crate::pipeline::Options,
    loaded: &'h Loaded,
    /// The terminal's width, `None` in a pipe.
    term: Option<usize>,
}

/// Compares one file and prints it, or returns its JSON with `--json`. A
/// file without conflicts, or one git merges cleanly, is said in one line.
fn compare_one(
    how: &How<'_>,
    path: &Path,
    ctx: &FileContext,
    op: Option<Operation>,
) -> Result<Option<serde_json::Value>> {
    let (args, opts) = (how.args, how.opts);
    let names = SideNames::of(op);
    let marker_size = ctx.marker_size.unwrap_or(opts.marker_size);
    if ctx.special {
        // Before any read: its link may lead out of the work tree.
        anyhow::bail!("{}: {}", path.display(), super::input::SPECIAL);
    }
    // A version in the index over the size limit: refused unread, as a
    // file over it is, whatever the work-tree file's size.
    if let Some(why) = &ctx.too_large {
        anyhow::bail!("{}: {why}; left untouched", path.display());
    }
    // Before any read: the old path of a rename/rename conflict has no file.
    if let Some(what) = &ctx.renamed_apart {
        if !args.json {
            outln!("{}: {what}", report::path(path));
        }
        return Ok(None);
    }
    let bytes = files::read(path)?;
    let text = decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", error_location(path, &e)))?;
    // The versions as `resolve` takes them: the index's stages while
    // the file is git's merge of them, else its markers.
    let mut set = how.loaded.set.clone();
    set.set_kind(ctx.kind.clone());
    let input = FileInput::of(path, text, ctx, marker_size, &set)
        .map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))?;
    let popts = crate::pipeline::Options {
        marker_size,
        article: opts.article.clone(),
        ..Default::default()
    };
    let fail = |e: crate::error::Error| {
        let why = e.named(names);
        anyhow::anyhow!("{}: {why}", error_location(path, &e))
    };
    let compared = ready(
        input.input(),
        &popts,
        &set,
        true,
        |versions, compared, said| {
            let shown = Shown::new(
                path,
                op,
                names,
                (versions, compared),
                &set,
                (input.note, said),
                input.own_conflicts(),
            );
            if args.json {
                return Ok(Some(shown.json()?));
            }
            shown.print(how.term);
            anyhow::Ok(None)
        },
    );
    let said = match compared.map_err(fail)? {
        Ready::Compared(shown) => return shown,
        Ready::NoConflicts => match &ctx.one_side_deleted {
            Some(what) => what.clone(),
            None => "no conflicts".to_owned(),
        },
        Ready::Clean(_) => {
            "git merges its versions cleanly (`git frontmerge` writes that)".to_owned()
        }
        Ready::Broken {
            compared: Some(shown),
            ..
        } => return shown,
        Ready::Broken { why, .. } => report::escape(&why).into_owned(),
    };
    if !args.json {
        outln!("{}: {said}", report::path(path));
    }
    Ok(None)
}

/// One file's comparison as `diff` shows it: its parts, what the rules and
/// the base settle, and the notes about how it was read.
struct Shown<'s, 't, 'c> {
    path: &'s Path,
    op: Option<Operation>,
    /// What the operation calls the sides (on screen; JSON says `upstream`
    /// and `stashed`).
    names: SideNames,
    versions: &'s Versions<'t>,
    compared: &'s Compared<'c>,
    preview: Preview,
    /// With the sides named.
    notes: Vec<String>,
    /// The file's own conflicts ([`FileInput::own_conflicts`]).
    conflicts: usize,
}

impl<'s, 't, 'c> Shown<'s, 't, 'c> {
    /// What the rules and the base settle in the `compared` versions, and
    /// every note: how the file was read (`said`: its input's own note,
    /// then the versions'), how it was compared, what the rules could not do.
    fn new(
        path: &'s Path,
        op: Option<Operation>,
        names: SideNames,
        (versions, compared): (&'s Versions<'t>, &'s Compared<'c>),
        set: &RuleSet,
        said: (Option<&str>, Vec<Worded>),
        conflicts: usize,
    ) -> Self {
        let file = FileView {
            path,
            articles: &compared.articles,
            comparison: &compared.comparison,
            labels: versions.labels(),
            fm: &compared.fm,
            whole: compared.whole.as_ref(),
            keyed: Some(compared.keyed()),
        };
        let preview = preview(&file, set);
        let mut notes: Vec<Worded> = said
            .0
            .map(|n| Worded::from(n.to_owned()))
            .into_iter()
            .chain(said.1)
            .chain(compared.notes.iter().map(|(_, n)| n.clone()))
            .collect();
        notes.extend(preview.notes.iter().cloned());
        notes.dedup();
        let notes = notes.iter().map(|n| n.named(names)).collect();
        Shown {
            path,
            op,
            names,
            versions,
            compared,
            preview,
            notes,
            conflicts,
        }
    }

    /// Why `d` was settled, the sides named.
    fn reason(&self, d: &Decision) -> String {
        d.reason.named(self.names)
    }

    /// The file's JSON: every differing part, settled or open.
    fn json(&self) -> Result<serde_json::Value> {
        let (arts, cmp) = (self.compared.keyed(), &self.compared.comparison);
        let names = self.names;
        // Canonical in JSON (`upstream`, `stashed`), named on screen.
        let result = |d: &Decision| match &d.resolution {
            Resolution::Take(s) => s.to_string(),
            _ => "merged".to_owned(),
        };
        let settled = &self.preview.settled;
        let parts = cmp
            .differing()
            .map(|part| {
                let settled = settled.iter().find(|(p, _)| *p == part);
                let changes = match &part {
                    Part::Key(k) => key_changes(arts, cmp, k),
                    _ => Vec::new(),
                };
                let (result, side) = match settled.map(|(_, d)| &d.resolution) {
                    None => (None, None),
                    Some(Resolution::Take(s)) => (Some(s.name()), Some(names.get(*s))),
                    Some(Resolution::TakeBase) => (Some("base"), None),
                    Some(_) => (Some("merged"), None),
                };
                PartJson {
                    part: part.to_string(),
                    change: cmp.change(&part),
                    status: if settled.is_some() { "settled" } else { "open" },
                    result,
                    side,
                    by: settled.map(|(_, d)| d.reason.by()),
                    reason: settled.map(|(_, d)| self.reason(d)),
                    changes,
                }
            })
            .collect();
        let rule_json = |(p, d): &(Part, Decision)| RuleJson {
            key: p.to_string(),
            result: result(d),
            reason: self.reason(d),
        };
        Ok(serde_json::to_value(DiffJson {
            path: self.path.display().to_string(),
            operation: self.op.map(|o| o.name()),
            sides: names.into(),
            conflicts: self.conflicts,
            decisions: self.preview.asked,
            answered: self.preview.answered,
            settled: settled.iter().map(rule_json).collect(),
            labels: self.versions.labels().into(),
            comparison: cmp,
            rules: settled
                .iter()
                .filter(|(_, d)| matches!(d.reason, Reason::Rule(_)))
                .map(rule_json)
                .collect(),
            notes: self.notes.clone(),
            parts,
        })?)
    }

    /// Prints the view: the header (wrapped only at a terminal, `term`
    /// columns), a row per part (100 columns in a pipe), then the notes.
    fn print(&self, term: Option<usize>) {
        // The mark names the rule and where it comes from; the details
        // (dates compared, words added) are in the summary of a resolve.
        // Each settled part says how: the rule, or the base and why.
        let marks: Vec<(String, String)> = self
            .preview
            .settled
            .iter()
            .map(|(part, d)| {
                let why = self.reason(d);
                let why = match d.reason {
                    Reason::Rule(_) => why.trim_start_matches("rule: "),
                    _ => why.as_str(),
                };
                let side = match &d.resolution {
                    Resolution::Take(s) => self.names.get(*s),
                    _ => "merged",
                };
                (part.to_string(), format!("{} → {side}", first_clause(why)))
            })
            .collect();
        let (arts, cmp) = (&self.compared.articles, &self.compared.comparison);
        Stream::Out.print(&format!(
            "{}{}",
            diff_header(
                self.path,
                self.preview.asked,
                self.preview.answered,
                self.versions.labels(),
                term.unwrap_or(usize::MAX)
            ),
            diff_rows(
                (arts, self.compared.keyed()),
                cmp,
                term.unwrap_or(100),
                &marks,
                self.names
            )
        ));
        for n in &self.notes {
            outln!("  note: {}", report::escape(n));
        }
    }
}

/// `text` up to its first `, ` outside parentheses: the rule and where it
/// comes from, without the details (`merged as a set (+1 from ours, +1 from
/// theirs)` stays whole).
fn first_clause(text: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && text[i..].starts_with(", ") => return &text[..i],
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::first_clause;

    #[test]
    fn the_first_clause_keeps_parentheses_whole() {
        assert_eq!(
            first_clause("base: merged as a set (+1 from ours, +1 from theirs)"),
            "base: merged as a set (+1 from ours, +1 from theirs)"
        );
        assert_eq!(
            first_clause("newest from defaults, pubDate 2 > 1"),
            "newest from defaults"
        );
    }
}
