//! `git frontmerge replay`: how frontmerge would have done on this
//! repository's past merge conflicts, key by key, against what people
//! committed. Reads history only: writes nothing, touches no ref, index or
//! work tree.

use std::path::PathBuf;

use anyhow::Result;
use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::args::{ReplayArgs, RuleArgs, SelectionArgs};
use crate::cli::exit;
use crate::learn::history::History;
use crate::learn::replay::{self, Collected, Counts, PartCase, Report, Selection};
use crate::merge::compare::Part;
use crate::pipeline::driver::DriverSettings;

/// The current folder.
pub(crate) fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| ".".into())
}

/// The selection flags as a [`Selection`].
pub(crate) fn selection(args: &SelectionArgs) -> Selection {
    Selection {
        rev_range: args.rev_range.clone(),
        max_merges: args.max_merges,
        before: args.before,
        after: args.after,
    }
}

/// The rules a replay runs with: the merge driver's, from `--rule`,
/// `--config` or `.frontmerge.toml`, and the defaults.
pub(crate) fn settings(args: &RuleArgs) -> Result<DriverSettings> {
    let loaded = crate::cli::cmd::rules::load(args)?;
    Ok(DriverSettings {
        policy: crate::pipeline::Policy::new(loaded.set, crate::decide::rules::Mode::Settle),
        derived: loaded.derived,
        ..DriverSettings::default()
    })
}

/// Walks the history with a progress bar on a terminal's stderr.
pub(crate) fn collect(history: &History, selection: &Selection, quiet: bool) -> Result<Collected> {
    let bar = if quiet || !console::Term::stderr().is_term() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("re-merging {bar:30} {pos}/{len} merges ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    let total = |n: usize| bar.set_length(n as u64);
    let tick = || bar.inc(1);
    let c = replay::collect(history, selection, &total, &tick);
    bar.finish_and_clear();
    Ok(c?)
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / of as f64)
    }
}

/// One table row: name, conflicts, as human, differently, left.
pub(crate) fn row(name: &str, c: &Counts) -> String {
    format!(
        "  {name:<28} {:>9} {:>9} {:>5} {:>11} {:>5} {:>7}",
        c.conflicts,
        c.as_human,
        pct(c.as_human, c.conflicts),
        c.differently,
        pct(c.differently, c.conflicts),
        c.left
    )
}

/// The table's header line.
pub(crate) fn header(first: &str) -> String {
    format!(
        "  {first:<28} {:>9} {:>15} {:>17} {:>7}",
        "conflicts", "as human", "differently", "left"
    )
}

/// The first lines of the report: what was replayed, what was skipped.
pub(crate) fn summary(r: &Report) -> Vec<String> {
    let mut out = vec![format!(
        "replayed {} merge{} ({} clean in git); {} conflicted article{}",
        r.merges,
        if r.merges == 1 { "" } else { "s" },
        r.clean_merges,
        r.files.conflicts,
        if r.files.conflicts == 1 { "" } else { "s" },
    )];
    for (why, n) in &r.skipped {
        out.push(format!(
            "  skipped {n}: {}",
            crate::cli::report::escape(why)
        ));
    }
    out
}

/// Up to `n` wrong answers, one part after another so that a single noisy
/// key does not fill the list.
fn examples(r: &Report, n: usize) -> Vec<&PartCase> {
    let mut by_part: Vec<(Part, Vec<&PartCase>)> = Vec::new();
    for c in r.wrong() {
        match by_part.iter_mut().find(|(p, _)| *p == c.part) {
            Some((_, v)) => v.push(c),
            None => by_part.push((c.part.clone(), vec![c])),
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < n && by_part.iter().any(|(_, v)| i < v.len()) {
        for (_, v) in &by_part {
            if let Some(c) = v.get(i) {
                if out.len() < n {
                    out.push(*c);
                }
            }
        }
        i += 1;
    }
    out
}

/// A value for an example: its first lines, indented under the label.
fn indent(value: Option<&str>) -> String {
    const LINES: usize = 6;
    const WIDTH: usize = 160;
    let Some(v) = value else {
        return style("(absent)").dim().to_string();
    };
    let lines: Vec<&str> = v.lines().collect();
    let mut shown: Vec<String> = lines
        .iter()
        .take(LINES)
        .map(|l| match l.char_indices().nth(WIDTH) {
            Some((i, _)) => format!("{}…", crate::cli::report::escape(&l[..i])),
            None => crate::cli::report::escape(l).into_owned(),
        })
        .collect();
    if lines.len() > LINES {
        shown.push(format!("… {} more lines", lines.len() - LINES));
    }
    shown.join("\n                ")
}

/// The whole text report.
pub(crate) fn render(r: &Report, n_examples: usize) -> String {
    let mut out = summary(r);
    out.push(String::new());
    out.push(style(header("part")).bold().to_string());
    out.push(row("all frontmatter keys", &r.all_keys()));
    let mut keys: Vec<(&String, &Counts)> = r.keys.iter().collect();
    keys.sort_by(|a, b| b.1.conflicts.cmp(&a.1.conflicts).then(a.0.cmp(b.0)));
    const SHOWN: usize = 25;
    for (k, c) in keys.iter().take(SHOWN) {
        out.push(row(&format!("  {}", crate::cli::report::escape(k)), c));
    }
    if keys.len() > SHOWN {
        out.push(format!(
            "    … {} more keys (--json lists all)",
            keys.len() - SHOWN
        ));
    }
    out.push(row("body", &r.body));
    out.push(row("links", &r.links));
    let undone = r.undone.values().fold(Counts::default(), |mut a, c| {
        a.merge(c);
        a
    });
    if undone.conflicts > 0 {
        // Not conflicts: keys one side changed and people set back.
        out.push(row("one-sided, people undid", &undone));
    }
    out.push(row("whole files", &r.files));
    let wrong = r.wrong().count();
    if n_examples > 0 && wrong > 0 {
        let shown = examples(r, n_examples);
        out.push(String::new());
        out.push(
            style(format!(
                "settled differently from the human ({} of {wrong}):",
                shown.len()
            ))
            .bold()
            .to_string(),
        );
        for c in shown {
            out.push(format!(
                "  {} {}  {}{}",
                style(crate::cli::report::escape(
                    &c.merge[..c.merge.len().min(12)]
                ))
                .yellow(),
                crate::cli::report::escape(&c.path),
                style(crate::cli::report::escape(&c.part.to_string())).bold(),
                if c.undone {
                    " (one side changed it; people undid that)"
                } else {
                    ""
                }
            ));
            out.push(format!("    ours:       {}", indent(c.ours.as_deref())));
            out.push(format!("    theirs:     {}", indent(c.theirs.as_deref())));
            out.push(format!(
                "    frontmerge: {}",
                indent(c.frontmerge.as_deref())
            ));
            out.push(format!("    human:      {}", indent(c.human.as_deref())));
        }
    }
    out.join("\n")
}

/// Runs `replay`.
pub(crate) fn run(args: &ReplayArgs) -> Result<i32> {
    crate::cli::cmd::apply_color(args.color);
    let settings = settings(&args.rules)?;
    let history = History::open(&cwd())?;
    let collected = collect(&history, &selection(&args.selection), args.json)?;
    let report = replay::score(&collected, &settings);
    if args.json {
        let text = crate::cli::report::json_text(serde_json::to_string_pretty(&report)?);
        crate::cli::report::print_json(&text)?;
    } else {
        crate::cli::report::outln!("{}", render(&report, args.examples));
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_in_examples() {
        console::set_colors_enabled(false);
        let long: String = (0..10).map(|i| format!("line {i}\n")).collect();
        let shown = indent(Some(&long));
        assert!(
            shown.starts_with("line 0\n                line 1"),
            "{shown}"
        );
        assert!(shown.ends_with("… 4 more lines"), "{shown}");
        let wide = "x".repeat(200);
        assert_eq!(indent(Some(&wide)).chars().count(), 161);
        assert_eq!(indent(None), "(absent)");
    }
}
