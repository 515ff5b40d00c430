//! `git frontmerge resolve` (the default command): settle conflicted articles
//! with a cascade of deciders, then write, print or preview the result.
//!
//! Each file is handled on its own: an error in one is reported with its file
//! and line, leaves that file untouched, and does not stop the others.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use console::style;

use crate::cli::ResolveArgs;
use crate::cmd::{apply_color, location, options};
use crate::decide::{Decider, PreferPolicy, DEFAULT_DATE_FIELDS};
use crate::error::decode;
use crate::exit;
use crate::files::{self, WriteOptions};
use crate::pipeline::{self, Options, Outcome};

/// Where results go.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OutputMode {
    /// Write files in place (atomically).
    Write(WriteOptions),
    /// Print the result to standard output.
    Stdout,
    /// Print a unified diff; write nothing.
    DryRun,
}

/// The validated configuration of one `resolve` run.
#[derive(Debug)]
pub struct Config {
    /// Pipeline options.
    pub opts: Options,
    /// `--prefer` and `--links`, when given.
    pub policy: Option<PreferPolicy>,
    /// Where results go.
    pub output: OutputMode,
    /// The paths named on the command line.
    pub paths: Vec<PathBuf>,
}

impl Config {
    /// Validates the arguments.
    pub fn from_args(args: &ResolveArgs) -> Result<Config> {
        let date_fields = if args.date_fields.is_empty() {
            DEFAULT_DATE_FIELDS.iter().map(|s| s.to_string()).collect()
        } else {
            args.date_fields.clone()
        };
        if args.links.is_some() && args.prefer.is_none() {
            bail!("--links needs --prefer (or the interactive picker) to settle the other parts");
        }
        let policy = args.prefer.map(|p| PreferPolicy {
            prefer: p.into(),
            links: args.links.map(Into::into),
            date_fields,
        });
        let output = if args.stdout {
            OutputMode::Stdout
        } else if args.dry_run {
            OutputMode::DryRun
        } else {
            OutputMode::Write(WriteOptions {
                backup: args.backup,
            })
        };
        if args.paths.is_empty() {
            bail!("no paths given: name the conflicted files or folders");
        }
        Ok(Config {
            opts: options(&args.common),
            policy,
            output,
            paths: args.paths.clone(),
        })
    }
}

/// How one file ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Resolved and written (or printed).
    Resolved,
    /// Written with some parts left as conflicts on purpose.
    PartlyResolved,
    /// Had no conflicts.
    NoConflicts,
    /// Left untouched: parts need a decision.
    NeedsDecision,
    /// Left untouched: an error.
    Failed,
    /// The user quit.
    Quit,
}

/// Counts per status, and the exit code they add up to.
#[derive(Debug, Default)]
pub struct Totals {
    counts: [usize; 6],
}

impl Totals {
    fn index(s: FileStatus) -> usize {
        s as usize
    }

    /// Adds one file.
    pub fn add(&mut self, s: FileStatus) {
        self.counts[Self::index(s)] += 1;
    }

    /// How many files ended with `s`.
    pub fn count(&self, s: FileStatus) -> usize {
        self.counts[Self::index(s)]
    }

    /// The exit code: 130 on quit, 2 when files wait for a decision, 1 on errors.
    pub fn exit_code(&self) -> i32 {
        if self.count(FileStatus::Quit) > 0 {
            exit::INTERRUPTED
        } else if self.count(FileStatus::NeedsDecision) > 0 {
            exit::USAGE
        } else if self.count(FileStatus::Failed) > 0 {
            exit::FAILED
        } else {
            exit::OK
        }
    }

    /// The closing summary line.
    pub fn summary(&self) -> String {
        let words = [
            (FileStatus::Resolved, "resolved"),
            (
                FileStatus::PartlyResolved,
                "partly resolved (conflicts left on purpose)",
            ),
            (FileStatus::NoConflicts, "without conflicts"),
            (FileStatus::NeedsDecision, "need a decision"),
            (FileStatus::Failed, "failed"),
        ];
        let parts: Vec<String> = words
            .iter()
            .filter(|(s, _)| self.count(*s) > 0)
            .map(|(s, w)| format!("{} {w}", self.count(*s)))
            .collect();
        if parts.is_empty() {
            "no files".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Runs `resolve` over the named paths with the deciders of `config`.
pub fn run(args: &ResolveArgs) -> Result<i32> {
    apply_color(args.common.color);
    let config = Config::from_args(args)?;
    let (found, missing) = files::expand(&config.paths);
    let mut totals = Totals::default();
    for (p, why) in &missing {
        report_error(p, None, why);
        totals.add(FileStatus::Failed);
    }
    let paths: Vec<PathBuf> = found.into_iter().map(|f| f.path).collect();
    if config.output == OutputMode::Stdout && paths.len() + missing.len() > 1 {
        bail!(
            "--stdout takes exactly one file ({} given)",
            paths.len() + missing.len()
        );
    }
    let mut policy = config.policy.clone();
    let mut deciders: Vec<&mut dyn Decider> = Vec::new();
    if let Some(p) = policy.as_mut() {
        deciders.push(p);
    }
    for path in &paths {
        let status = resolve_one(path, &config, &mut deciders);
        totals.add(status);
        if status == FileStatus::Quit {
            break;
        }
    }
    finish(&totals, paths.len() + missing.len());
    Ok(totals.exit_code())
}

fn finish(totals: &Totals, files: usize) {
    if files > 1 || totals.count(FileStatus::NeedsDecision) > 0 {
        eprintln!("{}: {}", style("frontmerge").bold(), totals.summary());
    }
    if totals.count(FileStatus::NeedsDecision) > 0 {
        eprintln!(
            "{}: pass --prefer upstream|stashed|newest to settle them in batch, or run in a terminal to decide part by part",
            style("hint").cyan().bold()
        );
    }
}

/// Prints `error: path:line: message`.
pub fn report_error(path: &Path, line: Option<usize>, message: &str) {
    eprintln!(
        "{}: {}: {message}; left untouched",
        style("error").red().bold(),
        location(path, line)
    );
}

/// Resolves one file, reporting what happened on stderr.
pub fn resolve_one(path: &Path, config: &Config, deciders: &mut [&mut dyn Decider]) -> FileStatus {
    let bytes = match files::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e:#}", style("error").red().bold());
            return FileStatus::Failed;
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            report_error(path, e.line(), &e.to_string());
            return FileStatus::Failed;
        }
    };
    let outcome = match pipeline::resolve_text(path, text, &config.opts, deciders) {
        Ok(o) => o,
        Err(e) => {
            report_error(path, e.line(), &e.to_string());
            return FileStatus::Failed;
        }
    };
    match outcome {
        Outcome::NoConflicts => {
            if config.output == OutputMode::Stdout {
                if let Err(e) = std::io::stdout().write_all(&bytes) {
                    eprintln!("{}: {e}", style("error").red().bold());
                    return FileStatus::Failed;
                }
            }
            eprintln!("{}: no conflicts, left alone", path.display());
            FileStatus::NoConflicts
        }
        Outcome::Quit => FileStatus::Quit,
        Outcome::NeedsDecision { open, .. } => {
            let parts: Vec<String> = open.iter().map(|p| p.to_string()).collect();
            let what = if parts.is_empty() {
                "the sides differ only in layout (BOM, line endings, comments, quoting or the links heading)".to_owned()
            } else {
                parts.join(", ")
            };
            eprintln!(
                "{}: needs a decision on {}; left untouched",
                path.display(),
                style(what).yellow()
            );
            FileStatus::NeedsDecision
        }
        Outcome::Resolved(r) => {
            let done = match config.output {
                OutputMode::Stdout => std::io::stdout()
                    .write_all(r.output.as_bytes())
                    .map_err(anyhow::Error::from),
                OutputMode::DryRun => {
                    // With the differ's deadline: a plain Myers diff of a large
                    // rewritten body can take minutes.
                    let diff = crate::diff::line_diff(text, &r.output);
                    let a = format!("a/{}", path.display());
                    let b = format!("b/{}", path.display());
                    let patch = diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&a, &b)
                        .to_string();
                    std::io::stdout()
                        .write_all(patch.as_bytes())
                        .map_err(anyhow::Error::from)
                }
                OutputMode::Write(w) => files::write_atomic(path, &bytes, r.output.as_bytes(), w),
            };
            if let Err(e) = done {
                eprintln!("{}: {e:#}", style("error").red().bold());
                return FileStatus::Failed;
            }
            let verb = match (config.output, r.unresolved) {
                (OutputMode::DryRun, _) => "would resolve",
                (_, true) => "partly resolved",
                (_, false) => "resolved",
            };
            let t = &r.tally;
            eprintln!(
                "{}: {verb} ({} from upstream, {} from stashed, {} merged{})",
                style(path.display()).bold(),
                t.upstream,
                t.stashed,
                t.merged,
                if t.unresolved > 0 {
                    format!(", {} left as conflicts", t.unresolved)
                } else {
                    String::new()
                }
            );
            for line in &r.summary {
                eprintln!("  {}", style(line).dim());
            }
            if r.unresolved {
                FileStatus::PartlyResolved
            } else {
                FileStatus::Resolved
            }
        }
    }
}
