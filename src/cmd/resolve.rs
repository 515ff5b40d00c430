//! `git frontmerge resolve` (the default command): settle conflicted articles
//! with a cascade of deciders, then write, print or preview the result.
//!
//! Each file is handled on its own: an error in one is reported with its file
//! and line, leaves that file untouched, and does not stop the others.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use console::style;

use crate::cli::ResolveArgs;
use crate::cmd::index::{FileContext, IndexSession};
use crate::cmd::{apply_color, location, options};
use crate::decide::{Decider, LinksPolicy, PreferPolicy, DEFAULT_DATE_FIELDS};
use crate::error::decode;
use crate::exit;
use crate::files::{self, WriteOptions};
use crate::merge::ThreeWay;
use crate::picker::{self, Picker, PickerOptions, TerminalPrompter};
use crate::pipeline::{self, Options, Outcome};
use crate::rules::{Mode, Rules};

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
    /// The paths named on the command line (none: the unmerged files).
    pub paths: Vec<PathBuf>,
    /// Ask a person at the terminal (the picker) where `--prefer` is not given.
    pub interactive: bool,
    /// `--links`, which presets the picker's links checklist.
    pub links: Option<LinksPolicy>,
    /// The field rules (settled in batch, suggested in the picker).
    pub rules: Rules,
}

impl Config {
    /// Validates the arguments; the picker runs when a person is at the terminal.
    pub fn from_args(args: &ResolveArgs) -> Result<Config> {
        Config::from_args_attended(args, picker::terminal::attended())
    }

    /// Validates the arguments; `attended`: a person can be asked.
    pub fn from_args_attended(args: &ResolveArgs, attended: bool) -> Result<Config> {
        let date_fields = if args.date_fields.is_empty() {
            DEFAULT_DATE_FIELDS.iter().map(|s| s.to_string()).collect()
        } else {
            args.date_fields.clone()
        };
        if args.links.is_some() && args.prefer.is_none() && !attended {
            bail!(
                "--links needs --prefer to settle the other parts (or run in a terminal, where it presets the links checklist)"
            );
        }
        let policy = args.prefer.map(|p| PreferPolicy {
            prefer: p.into(),
            links: args.links.map(Into::into),
            date_fields: date_fields.clone(),
        });
        let loaded = crate::cmd::rules::load(&args.rules)?;
        let interactive = attended && args.prefer.is_none();
        let rules = Rules {
            set: loaded.set,
            mode: if interactive {
                Mode::Suggest
            } else {
                Mode::Settle
            },
            prefer: args.prefer.map(Into::into),
            date_fields,
        };
        let mut opts = options(&args.common);
        opts.derived.configured = loaded.derived;
        opts.derived.sync = args.sync_derived;
        let output = if args.stdout {
            OutputMode::Stdout
        } else if args.dry_run {
            OutputMode::DryRun
        } else {
            OutputMode::Write(WriteOptions {
                backup: args.backup,
            })
        };
        Ok(Config {
            opts,
            policy,
            output,
            paths: args.paths.clone(),
            interactive,
            links: args.links.map(Into::into),
            rules,
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
    let mark = !args.no_index && matches!(config.output, OutputMode::Write(_));
    let mut index = IndexSession::open(&config.paths, mark)?;
    let (paths, missing) = if config.paths.is_empty() {
        (index.unmerged_markdown(), Vec::new())
    } else {
        let (found, missing) = files::expand(&config.paths);
        (found.into_iter().map(|f| f.path).collect(), missing)
    };
    if args.common.marker_size.is_none() {
        index.load_marker_sizes(&paths);
    }
    let mut totals = Totals::default();
    for (p, why) in &missing {
        report_error(p, None, why);
        totals.add(FileStatus::Failed);
    }
    if config.output == OutputMode::Stdout && paths.len() + missing.len() > 1 {
        bail!(
            "--stdout takes exactly one file ({} given)",
            paths.len() + missing.len()
        );
    }
    let mut policy = config.policy.clone();
    let mut picker = config.interactive.then(|| {
        let options = PickerOptions {
            links: config.links,
            pipeline: config.opts.clone(),
            writes: matches!(config.output, OutputMode::Write(_)),
        };
        Picker::new(TerminalPrompter::new(), options)
    });
    // The base settles what only one side changed before anyone is asked;
    // then the field rules, before --prefer or the picker.
    let mut three_way = ThreeWay;
    let mut rules = config.rules.clone();
    let mut deciders: Vec<&mut dyn Decider> = vec![&mut three_way, &mut rules];
    if let Some(p) = policy.as_mut() {
        deciders.push(p);
    } else if let Some(p) = picker.as_mut() {
        deciders.push(p);
    }
    for path in &paths {
        let ctx = index.context(path, &config.opts);
        let status = resolve_one_with(path, &config, &ctx, &mut deciders);
        index.after(path, &ctx, status);
        totals.add(status);
        if status == FileStatus::Quit {
            break;
        }
    }
    finish(&totals, paths.len() + missing.len());
    index.finish();
    Ok(match totals.exit_code() {
        exit::OK if index.had_errors() => exit::FAILED,
        code => code,
    })
}

fn finish(totals: &Totals, files: usize) {
    if files > 1 || totals.count(FileStatus::NeedsDecision) > 0 {
        eprintln!("{}: {}", style("frontmerge").bold(), totals.summary());
    }
    if totals.count(FileStatus::NeedsDecision) > 0 {
        eprintln!(
            "{}: pass --prefer upstream|stashed|newest to settle them in batch, set a field rule (--rule KEY=RULE, .frontmerge.toml), or run in a terminal to decide part by part",
            style("hint").cyan().bold()
        );
    }
}

/// Prints the pipeline's messages (rules that fell back, derived fields).
fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("  {} {n}", style("note:").yellow());
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
    resolve_one_with(path, config, &FileContext::default(), deciders)
}

/// [`resolve_one`] with what git knows about the file (base, marker size).
pub fn resolve_one_with(
    path: &Path,
    config: &Config,
    ctx: &FileContext,
    deciders: &mut [&mut dyn Decider],
) -> FileStatus {
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
    let opts = match ctx.marker_size {
        Some(n) => Cow::Owned(Options {
            marker_size: n,
            ..config.opts.clone()
        }),
        None => Cow::Borrowed(&config.opts),
    };
    let outcome =
        match pipeline::resolve_text_with_base(path, text, ctx.base.as_deref(), &opts, deciders) {
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
        Outcome::NeedsDecision {
            open,
            labels,
            notes,
        } => {
            let parts: Vec<String> = open.iter().map(|p| p.to_string()).collect();
            eprintln!(
                "{}: needs a decision on {} ({} ↔ {}); left untouched",
                path.display(),
                style(parts.join(", ")).yellow(),
                labels.0,
                labels.1
            );
            print_notes(&notes);
            FileStatus::NeedsDecision
        }
        Outcome::Resolved(r) => {
            let done = match config.output {
                OutputMode::Stdout => std::io::stdout()
                    .write_all(r.output.as_bytes())
                    .map_err(anyhow::Error::from),
                OutputMode::DryRun => {
                    let diff = similar::TextDiff::from_lines(text, r.output.as_str());
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
            print_notes(&r.notes);
            if r.unresolved {
                FileStatus::PartlyResolved
            } else {
                FileStatus::Resolved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(line: &[&str]) -> ResolveArgs {
        let mut all = vec!["git-frontmerge"];
        all.extend_from_slice(line);
        crate::cli::Cli::try_parse_from(all).unwrap().resolve
    }

    #[test]
    fn the_picker_runs_only_for_a_person_and_without_prefer() {
        let a = args(&["a.md"]);
        assert!(Config::from_args_attended(&a, true).unwrap().interactive);
        assert!(!Config::from_args_attended(&a, false).unwrap().interactive);
        let a = args(&["--prefer", "upstream", "a.md"]);
        assert!(!Config::from_args_attended(&a, true).unwrap().interactive);
    }

    #[test]
    fn links_without_prefer_presets_the_picker_but_needs_a_terminal() {
        let a = args(&["--links", "stashed", "a.md"]);
        let c = Config::from_args_attended(&a, true).unwrap();
        assert_eq!(
            c.links,
            Some(LinksPolicy::Side(crate::sides::Side::Stashed))
        );
        assert!(c.policy.is_none());
        let e = Config::from_args_attended(&a, false).unwrap_err();
        assert!(e.to_string().contains("--links needs --prefer"), "{e}");
    }
}
