//! `git frontmerge diff`: the part-by-part comparison, for people or as JSON.

use std::io::Write;

use anyhow::Result;
use console::{style, Term};

use crate::cli::DiffArgs;
use crate::cmd::{apply_color, location, options};
use crate::diff::compare;
use crate::error::decode;
use crate::exit;
use crate::files;
use crate::pipeline::Conflicted;
use crate::report::{diff_view, DiffJson};

/// Runs `diff`.
pub fn run(args: &DiffArgs) -> Result<i32> {
    apply_color(args.common.color);
    let opts = options(&args.common);
    let (found, missing) = files::expand(&args.paths);
    let mut failed = !missing.is_empty();
    for (p, why) in &missing {
        eprintln!("{}: {}: {why}", style("error").red().bold(), p.display());
    }
    let width = Term::stdout()
        .size_checked()
        .map_or(100, |(_, w)| usize::from(w));
    let mut json = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for f in found {
        let result = files::read(&f.path).and_then(|bytes| {
            let text = decode(&bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", location(&f.path, e.line())))?;
            let Some(c) = Conflicted::scan(text, opts.marker_size)
                .map_err(|e| anyhow::anyhow!("{}: {e}", location(&f.path, e.line())))?
            else {
                if !args.json {
                    writeln!(stdout, "{}: no conflicts", f.path.display())?;
                }
                return Ok(());
            };
            let arts = c
                .articles(&opts.article)
                .map_err(|e| anyhow::anyhow!("{}: {e}", location(&f.path, e.line())))?;
            let cmp = compare(arts.as_ref());
            if args.json {
                json.push(serde_json::to_value(DiffJson {
                    path: f.path.display().to_string(),
                    conflicts: c.split.conflicts,
                    labels: c.labels().into(),
                    comparison: &cmp,
                })?);
            } else {
                let view = diff_view(&f.path, c.split.conflicts, c.labels(), &arts, &cmp, width);
                write!(stdout, "{view}")?;
            }
            Ok(())
        });
        if let Err(e) = result {
            failed = true;
            eprintln!("{}: {e:#}", style("error").red().bold());
        }
    }
    if args.json {
        writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
    }
    Ok(if failed { exit::FAILED } else { exit::OK })
}
