//! `git frontmerge diff`: the part-by-part comparison, for people or as JSON.

use anyhow::Result;
use console::{style, Term};

use crate::cli::args::DiffArgs;
use crate::cli::cmd::input::FileInput;
use crate::cli::cmd::{apply_color, error_location, options};
use crate::cli::exit;
use crate::cli::report::{
    self, diff_header, diff_rows, errln, key_changes, outln, DiffJson, PartJson, RuleJson,
    SideNames, Stream,
};
use crate::decide::{Decision, FileView, Reason, Resolution};
use crate::diff::Part;
use crate::error::decode;
use crate::files;
use crate::git::session::IndexSession;
use crate::pipeline::cascade::preview;
use crate::pipeline::prepare::{ready, Ready};

/// Runs `diff`.
pub(crate) fn run(args: &DiffArgs) -> Result<i32> {
    apply_color(args.common.color);
    let opts = options(&args.common);
    let loaded = crate::cli::cmd::rules::load(&args.rules)?;
    // No paths: the unmerged articles of the repository, as `resolve` does.
    let mut index = IndexSession::open(&args.paths, false)?;
    report::index::said(&mut index);
    let (found, missing, skipped) = if args.paths.is_empty() {
        let found = index.unmerged_markdown();
        report::index::said(&mut index);
        (found, Vec::new(), files::Skipped::default())
    } else {
        let (found, missing, mut skipped) = files::expand_counting(&args.paths);
        report::skipped::warnings(&mut skipped);
        (
            found.into_iter().map(|f| f.path).collect(),
            missing,
            skipped,
        )
    };
    // The same marker size as `resolve` and `check`: the attribute, unless given.
    if args.common.marker_size.is_none() {
        index.load_marker_sizes(&found);
        report::index::said(&mut index);
    }
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
    let width = term.unwrap_or(100);
    let mut json = Vec::new();
    for ((path, ctx), op) in found.iter().zip(&contexts).zip(operations) {
        let names = SideNames::of(op);
        let marker_size = ctx.marker_size.unwrap_or(opts.marker_size);
        let result = files::read(path)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| {
                let text = decode(&bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", error_location(path, &e)))?;
                // The versions as `resolve` takes them: the index's stages while
                // the file is git's merge of them, else its markers.
                let input = FileInput::of(path, text, ctx, marker_size)
                    .map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))?;
                let mut set = loaded.set.clone();
                set.set_kind(ctx.kind.clone());
                let popts = crate::pipeline::Options {
                    marker_size,
                    article: opts.article.clone(),
                    ..Default::default()
                };
                let fail = |e: crate::error::Error| {
                    let why = e.named(names.upstream, names.stashed);
                    anyhow::anyhow!("{}: {why}", error_location(path, &e))
                };
                let shown = ready(
                    input.input(),
                    &popts,
                    &set,
                    true,
                    |versions, compared, said| {
                        let (arts, cmp) = (&compared.articles, &compared.comparison);
                        let file = FileView {
                            path,
                            articles: arts,
                            comparison: cmp,
                            labels: versions.labels(),
                            fm: &compared.fm,
                            whole: compared.whole.as_ref(),
                        };
                        let shown = preview(&file, &set);
                        let whole: Vec<String> = input
                            .note
                            .map(str::to_owned)
                            .into_iter()
                            .chain(said)
                            .chain(compared.notes.iter().map(|(_, n)| n.clone()))
                            .collect();
                        // Canonical in JSON (`upstream`, `stashed`), named on screen.
                        let result = |d: &Decision| match &d.resolution {
                            Resolution::Take(s) => s.to_string(),
                            _ => "merged".to_owned(),
                        };
                        let shown_result = |d: &Decision| match &d.resolution {
                            Resolution::Take(s) => names.get(*s).to_owned(),
                            _ => "merged".to_owned(),
                        };
                        let reason = |d: &Decision| d.reason.named(names.upstream, names.stashed);
                        let by_rule = |d: &Decision| matches!(d.reason, Reason::Rule(_));
                        let settled: Vec<(String, Decision)> = shown
                            .settled
                            .iter()
                            .filter(|(_, d)| by_rule(d))
                            .map(|(p, d)| (p.to_string(), d.clone()))
                            .collect();
                        let mut notes = shown.notes.clone();
                        notes.splice(0..0, whole);
                        notes.dedup();
                        let notes: Vec<String> = notes
                            .iter()
                            .map(|n| {
                                crate::conflict::sides::name_sides(n, names.upstream, names.stashed)
                            })
                            .collect();
                        if args.json {
                            let parts = cmp
                                .differing()
                                .map(|part| {
                                    let settled = shown.settled.iter().find(|(p, _)| *p == part);
                                    let changes = match &part {
                                        Part::Key(k) => key_changes(arts, cmp, k),
                                        _ => Vec::new(),
                                    };
                                    let (result, side) = match settled.map(|(_, d)| &d.resolution) {
                                        None => (None, None),
                                        Some(Resolution::Take(s)) => {
                                            (Some(s.name()), Some(names.get(*s)))
                                        }
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
                                        reason: settled.map(|(_, d)| reason(d)),
                                        changes,
                                    }
                                })
                                .collect();
                            json.push(serde_json::to_value(DiffJson {
                                path: path.display().to_string(),
                                operation: op.map(|o| o.name()),
                                sides: names.into(),
                                conflicts: versions.conflicts(),
                                decisions: shown.asked,
                                answered: shown.answered,
                                settled: shown
                                    .settled
                                    .iter()
                                    .map(|(p, d)| RuleJson {
                                        key: p.to_string(),
                                        result: result(d),
                                        reason: reason(d),
                                    })
                                    .collect(),
                                labels: versions.labels().into(),
                                comparison: cmp,
                                rules: settled
                                    .iter()
                                    .map(|(key, d)| RuleJson {
                                        key: key.clone(),
                                        result: result(d),
                                        reason: reason(d),
                                    })
                                    .collect(),
                                notes,
                                parts,
                            })?);
                        } else {
                            // The mark names the rule and where it comes from; the details
                            // (dates compared, words added) are in the summary of a resolve.
                            // Each settled part says how: the rule, or the base and why.
                            let marks: Vec<(String, String)> = shown
                                .settled
                                .iter()
                                .map(|(part, d)| {
                                    let why = reason(d);
                                    let why = match by_rule(d) {
                                        true => why.trim_start_matches("rule: "),
                                        false => why.as_str(),
                                    };
                                    let why = first_clause(why);
                                    (part.to_string(), format!("{why} → {}", shown_result(d)))
                                })
                                .collect();
                            let header_width = term.unwrap_or(usize::MAX);
                            Stream::Out.print(&format!(
                                "{}{}",
                                diff_header(
                                    path,
                                    shown.asked,
                                    shown.answered,
                                    versions.labels(),
                                    header_width
                                ),
                                diff_rows(arts, cmp, width, &marks, names)
                            ));
                            for n in &notes {
                                outln!("  note: {}", report::escape(n));
                            }
                        }
                        anyhow::Ok(())
                    },
                );
                match shown.map_err(fail)? {
                    Ready::Compared(shown) => shown,
                    Ready::NoConflicts => {
                        if !args.json {
                            match &ctx.one_side_deleted {
                                Some(what) => outln!("{}: {what}", report::path(path)),
                                None => outln!("{}: no conflicts", report::path(path)),
                            }
                        }
                        Ok(())
                    }
                    Ready::Clean(_) => {
                        if !args.json {
                            outln!(
                            "{}: git merges its versions cleanly (`git frontmerge` writes that)",
                            report::path(path)
                        );
                        }
                        Ok(())
                    }
                    Ready::Broken { why, .. } => {
                        if !args.json {
                            outln!("{}: {}", report::path(path), report::escape(&why));
                        }
                        Ok(())
                    }
                }
            });
        if let Err(e) = result {
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
