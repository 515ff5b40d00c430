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

use super::input::FileInput;
use crate::cli::args::ResolveArgs;
use crate::cli::cmd::{apply_color, error_location, location, options};
use crate::cli::exit;
use crate::cli::picker::{self, Picker, PickerOptions, TerminalPrompter};
use crate::cli::report::{self, SideNames};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::has_open_marker;
use crate::conflict::worded::Worded;
use crate::decide::rules::Mode;
use crate::decide::Decider;
use crate::error::decode;
use crate::files::{self, WriteOptions};
use crate::git::session::{FileContext, Handled, IndexSession};
use crate::git::stages::Stages;
use crate::pipeline::cascade::{Cascade, Last};
use crate::pipeline::{self, Options, Outcome, Policy};

/// Where results go.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum OutputMode {
    /// Write files in place (atomically).
    Write(WriteOptions),
    /// Print the result to standard output.
    Stdout,
    /// Print a unified diff; write nothing.
    DryRun,
}

/// The validated configuration of one `resolve` run.
#[derive(Debug)]
pub(crate) struct Config {
    /// Pipeline options.
    pub(crate) opts: Options,
    /// How conflicting leaves are decided: the field rules (settled in
    /// batch, suggested in the picker), `--prefer` with its date keys,
    /// `--links` (with `--prefer`, or the picker's links checklist preset).
    pub(crate) policy: Policy,
    /// Where results go.
    pub(crate) output: OutputMode,
    /// The paths named on the command line (none: the unmerged files).
    pub(crate) paths: Vec<PathBuf>,
    /// Ask a person at the terminal (the picker) where `--prefer` is not given.
    pub(crate) interactive: bool,
    /// `--leave-conflicts`: what nothing settles is written as conflicts.
    pub(crate) leave_conflicts: bool,
}

impl Config {
    /// Validates the arguments; the picker runs when a person is at the terminal.
    pub(crate) fn from_args(args: &ResolveArgs) -> Result<Config> {
        Config::from_args_attended(args, picker::terminal::attended())
    }

    /// Validates the arguments; `attended`: a person can be asked.
    pub(crate) fn from_args_attended(args: &ResolveArgs, attended: bool) -> Result<Config> {
        if args.links.is_some() && args.prefer.is_none() && !attended {
            bail!(
                "--links needs --prefer to settle the other parts (or run in a terminal, where it presets the links checklist)"
            );
        }
        let loaded = crate::cli::cmd::rules::load(&args.rules)?;
        let sets = loaded.set.clone();
        let interactive = attended && args.prefer.is_none() && !args.leave_conflicts;
        let mode = if interactive {
            Mode::Suggest
        } else {
            Mode::Settle
        };
        let policy = Policy::new(loaded.set, mode)
            .with_prefer(args.prefer.map(Into::into), &args.date_fields)
            .with_links(args.links.map(Into::into));
        let mut opts = options(&args.common);
        opts.sets = sets;
        opts.derived.configured = loaded.derived;
        opts.derived.sync = args.sync_derived;
        let output = if args.stdout {
            OutputMode::Stdout
        } else if args.dry_run {
            OutputMode::DryRun
        } else {
            OutputMode::Write(WriteOptions {
                backup: args.backup,
                fsync: args.fsync,
            })
        };
        Ok(Config {
            opts,
            policy,
            output,
            paths: args.paths.clone(),
            interactive,
            leave_conflicts: args.leave_conflicts,
        })
    }
}

/// How one file ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileStatus {
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
    /// Left untouched: one side deleted it (a modify/delete conflict), a
    /// choice between `git add` and `git rm`.
    OneSideDeleted,
    /// Left untouched: no conflict markers, yet git lists it as unmerged (a
    /// file resolved by hand, or written and not marked): to check, then add.
    StillUnmerged,
    /// Left untouched: a path of a rename/rename conflict (both sides
    /// renamed the file, each to a name of its own), a choice between names.
    RenamedApart,
}

impl FileStatus {
    /// What the index needs to know about it.
    fn handled(self) -> Handled {
        match self {
            FileStatus::Resolved => Handled::Written,
            FileStatus::NoConflicts | FileStatus::StillUnmerged => Handled::NoMarkers,
            _ => Handled::Left,
        }
    }
}

/// Counts per status, and the exit code they add up to.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    counts: [usize; 9],
    /// What the sides of the files left for a decision are called (one
    /// entry per naming met), for the closing hint.
    left_named: Vec<SideNames>,
}

impl Totals {
    fn index(s: FileStatus) -> usize {
        s as usize
    }

    /// Adds one file.
    pub(crate) fn add(&mut self, s: FileStatus) {
        self.counts[Self::index(s)] += 1;
    }

    /// Notes what the sides of a file left for a decision are called.
    fn left_for_a_decision(&mut self, names: SideNames) {
        if !self.left_named.contains(&names) {
            self.left_named.push(names);
        }
    }

    /// How many files ended with `s`.
    pub(crate) fn count(&self, s: FileStatus) -> usize {
        self.counts[Self::index(s)]
    }

    /// The exit code: the most serious of interrupted (130), failed (1) and
    /// left for a decision (3).
    pub(crate) fn exit_code(&self) -> i32 {
        let code = |s: FileStatus, c: i32| if self.count(s) > 0 { c } else { exit::OK };
        exit::most_serious([
            code(FileStatus::Quit, exit::INTERRUPTED),
            code(FileStatus::Failed, exit::FAILED),
            code(FileStatus::NeedsDecision, exit::DECIDE),
            // Written with markers: still a decision for a person.
            code(FileStatus::PartlyResolved, exit::DECIDE),
            code(FileStatus::OneSideDeleted, exit::DECIDE),
            code(FileStatus::StillUnmerged, exit::DECIDE),
            code(FileStatus::RenamedApart, exit::DECIDE),
        ])
    }

    /// The closing summary line for a run over `files` files: every file is
    /// counted once, files after a quit as not reached; a dry run says what it
    /// would do.
    pub(crate) fn summary(&self, files: usize, dry_run: bool) -> String {
        let n = |s: FileStatus| self.count(s);
        let handled: usize = self.counts.iter().sum();
        let mut parts: Vec<String> = Vec::new();
        let mut say = |count: usize, text: String| {
            if count > 0 {
                parts.push(text);
            }
        };
        let (resolved, partly) = (n(FileStatus::Resolved), n(FileStatus::PartlyResolved));
        if dry_run {
            say(resolved, format!("would resolve {resolved}"));
            say(
                partly,
                format!("would partly resolve {partly} (conflicts left on purpose)"),
            );
        } else {
            say(resolved, format!("{resolved} resolved"));
            say(
                partly,
                format!("{partly} partly resolved (conflicts left on purpose)"),
            );
        }
        let none = n(FileStatus::NoConflicts);
        say(none, format!("{none} without conflicts"));
        let decide = n(FileStatus::NeedsDecision);
        say(decide, format!("{decide} need a decision"));
        let failed = n(FileStatus::Failed);
        say(failed, format!("{failed} failed"));
        let deleted = n(FileStatus::OneSideDeleted);
        say(
            deleted,
            format!("{deleted} deleted on one side (git add or git rm)"),
        );
        let unmerged = n(FileStatus::StillUnmerged);
        say(
            unmerged,
            format!("{unmerged} still unmerged without conflict markers (check, then git add)"),
        );
        let renamed = n(FileStatus::RenamedApart);
        say(
            renamed,
            format!("{renamed} in a rename/rename conflict (keep one name: git add it, git rm the others)"),
        );
        let quit = n(FileStatus::Quit);
        say(quit, "quit at 1, left as it was".to_owned());
        let rest = files.saturating_sub(handled);
        say(rest, format!("{rest} not reached"));
        if parts.is_empty() {
            if dry_run {
                "would resolve 0".into()
            } else {
                "no files".into()
            }
        } else {
            parts.join(", ")
        }
    }
}

/// Runs `resolve` over the named paths with the deciders of `config`.
pub(crate) fn run(args: &ResolveArgs) -> Result<i32> {
    run_given(args, None)
}

/// The three versions of a file given by its caller instead of the index's
/// stages (`git mergetool`'s `$BASE $LOCAL $REMOTE`): the stages from the
/// file's marker size. git mergetool keeps the file only when written whole,
/// so the picker then offers no "leave unresolved".
pub(crate) type Given<'g> = &'g dyn Fn(MarkerSize) -> Result<Stages>;

/// [`run`], the versions of each file `given` (see [`Given`]) when not `None`.
pub(crate) fn run_given(args: &ResolveArgs, given: Option<Given<'_>>) -> Result<i32> {
    apply_color(args.common.color);
    let config = Config::from_args(args)?;
    let mark = !args.no_index && matches!(config.output, OutputMode::Write(_));
    let mut index = IndexSession::open(&config.paths, mark)?;
    report::index::said(&mut index);
    let (paths, missing, skipped) = if config.paths.is_empty() {
        let found = index.unmerged_markdown();
        report::index::said(&mut index);
        (found, Vec::new(), files::Skipped::default())
    } else {
        let (found, missing, mut skipped) = index.expand(&config.paths);
        report::skipped::warnings(&mut skipped);
        let (gone, missing) = index.unmerged_without_file(missing);
        let paths = found.into_iter().map(|f| f.path).chain(gone).collect();
        (paths, missing, skipped)
    };
    if args.common.marker_size.is_none() {
        index.load_marker_sizes(&paths);
        report::index::said(&mut index);
    }
    let mut totals = Totals::default();
    for (p, why) in &missing {
        report::Stream::Err.print(&error_line(&location(p, None), why));
        totals.add(FileStatus::Failed);
    }
    if config.output == OutputMode::Stdout && paths.len() + missing.len() > 1 {
        bail!(
            "--stdout takes exactly one file ({} given)",
            paths.len() + missing.len()
        );
    }
    if !config.interactive {
        // Without the picker (which has its own Ctrl-C), a signal stops the
        // run between files; see `interrupt`.
        crate::cli::interrupt::catch();
    } else {
        crate::cli::interrupt::stop_on_termination();
    }
    let started = if config.interactive || paths.len() <= 1 {
        one_by_one(&paths, &config, &mut index, &mut totals, given)
    } else {
        in_parallel(&paths, &config, &mut index, &mut totals)
    };
    finish(
        &totals,
        paths.len() + missing.len(),
        config.output == OutputMode::DryRun,
        report::skipped::summary(&skipped),
    );
    index.finish();
    report::index::said(&mut index);
    let marking = if index.had_errors() {
        exit::NOT_MARKED
    } else {
        exit::OK
    };
    let code = exit::combine(totals.exit_code(), marking);
    Ok(match crate::cli::interrupt::received() {
        Some(sig) => {
            interrupted(sig, &totals, index.marked(), paths.len() - started);
            exit::combine(code, exit::signal(sig))
        }
        None => code,
    })
}

/// Says what an interrupted run did: files written, marked, not started.
fn interrupted(sig: i32, totals: &Totals, marked: usize, not_started: usize) {
    let written = totals.count(FileStatus::Resolved) + totals.count(FileStatus::PartlyResolved);
    report::errln!(
        "{}: interrupted by {}: {written} file(s) written ({marked} marked resolved in git), \
         {not_started} not started; every file holds its old or its new content. \
         Run the same command again to go on.",
        style("frontmerge").bold(),
        crate::cli::interrupt::name(sig)
    );
}

/// The one chain every file goes through (see [`Cascade`]): the base, the
/// field rules, then `--prefer`, `ask` (the picker) or nothing.
fn cascade<'p>(
    config: &Config,
    ctx: &FileContext,
    ask: Option<&'p mut dyn Decider>,
) -> Cascade<'p> {
    let last = match ask {
        Some(person) if config.policy.prefer.is_none() => Last::Ask(person),
        _ if config.leave_conflicts && config.policy.prefer.is_none() => Last::Conflicts,
        _ => Last::Open,
    };
    // Conditional rules apply in merges of their kind: this file's.
    Cascade::new(config.policy.for_kind(ctx.kind.clone()), last)
}

/// Files one after the other, in the terminal's order: the picker asks
/// about each, and git marks each as soon as it is written. Returns how
/// many were started (all, unless interrupted).
fn one_by_one(
    paths: &[PathBuf],
    config: &Config,
    index: &mut IndexSession,
    totals: &mut Totals,
    given: Option<Given<'_>>,
) -> usize {
    let mut picker = config.interactive.then(|| {
        let options = PickerOptions {
            links: config.policy.links,
            pipeline: config.opts.clone(),
            writes: matches!(config.output, OutputMode::Write(_)),
            names: SideNames::default(),
            // Versions given by the caller: `git mergetool`'s (see `Given`).
            whole: given.is_some(),
        };
        Picker::new(TerminalPrompter::new(), options)
    });
    let mut started = 0;
    for path in paths {
        if crate::cli::interrupt::received().is_some() {
            break;
        }
        started += 1;
        let mut ctx = index.context(path);
        report::index::said(index);
        if let Some(given) = given {
            // The caller's versions, not the index's: at the file's marker size.
            let size = ctx.marker_size.unwrap_or(config.opts.marker_size);
            match given(size) {
                Ok(stages) => {
                    ctx.base = stages.base.clone();
                    ctx.stages = Some(stages);
                }
                Err(e) => {
                    report::Stream::Err
                        .print(&error_line(&location(path, None), &format!("{e:#}")));
                    totals.add(FileStatus::Failed);
                    continue;
                }
            }
        }
        // The picker names the sides as git does for this file's operation.
        if let Some(p) = picker.as_mut() {
            p.set_names(SideNames::of(index.operation(path)));
            p.set_marker_size(ctx.marker_size.unwrap_or(config.opts.marker_size));
            report::index::said(index);
        }
        let mut chain = cascade(config, &ctx, picker.as_mut().map(|p| p as &mut dyn Decider));
        let mut deciders: Vec<&mut dyn Decider> = vec![&mut chain];
        let mut report = Report::default();
        let status = resolve_one_with(path, config, &ctx, &mut deciders, &mut report);
        report.print();
        // A written file's staged copy may hold markers even when it is
        // not unmerged (`git add`ed too early): the session looks.
        if ctx.unmerged || writes(config) {
            index.after(path, status.handled());
            report::index::said(index);
        }
        totals.add(status);
        if status == FileStatus::NeedsDecision {
            totals.left_for_a_decision(SideNames::of(ctx.operation));
        }
        if status == FileStatus::Quit {
            break;
        }
    }
    started
}

/// Files per batch: their bases are read in one git call and the batch is
/// resolved on all cores; memory holds one batch, whatever the file count.
const BATCH: usize = 64;

/// Many files without a person to ask: each batch's bases come from one
/// `git cat-file`, files are resolved in parallel, reports printed in order,
/// and the written files marked resolved in one git call at the end (also
/// when a signal stops the run: files not started then are skipped, files
/// being written finish). Returns how many files were started.
fn in_parallel(
    paths: &[PathBuf],
    config: &Config,
    index: &mut IndexSession,
    totals: &mut Totals,
) -> usize {
    use rayon::prelude::*;
    let progress = progress_bar(paths.len());
    let mut done: Vec<(PathBuf, Handled)> = Vec::new();
    let mut started = 0;
    let batches: Vec<&[PathBuf]> = paths.chunks(BATCH).collect();
    let mut next = batches.first().map(|b| index.contexts(b));
    for (k, batch) in batches.iter().enumerate() {
        if crate::cli::interrupt::received().is_some() {
            break;
        }
        let contexts = next.take().unwrap_or_default();
        report::index::said(index);
        // The next batch's versions are read from git (its processes and
        // the decoding of what they wrote) while this batch is resolved:
        // git's work is most of a batch's, and would otherwise leave the
        // cores idle. Its warnings wait in the session until it is printed.
        let (results, fetched) = std::thread::scope(|s| {
            let ahead = batches.get(k + 1).map(|b| {
                let index = &mut *index;
                s.spawn(move || index.contexts(b))
            });
            let results: Vec<Option<(FileStatus, Report)>> = batch
                .par_iter()
                .zip(contexts.par_iter())
                .map(|(path, ctx)| {
                    // Checked before each file: a signal stops the run
                    // between files, never inside one.
                    if crate::cli::interrupt::received().is_some() {
                        return None;
                    }
                    let mut chain = cascade(config, ctx, None);
                    let mut deciders: Vec<&mut dyn Decider> = vec![&mut chain];
                    let mut report = Report::default();
                    let status = resolve_one_with(path, config, ctx, &mut deciders, &mut report);
                    progress.inc(1);
                    Some((status, report))
                })
                .collect();
            // A panic while reading ahead is the reading's own bug: it
            // propagates as it would have without the thread.
            let fetched = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (results, fetched)
        });
        next = fetched;
        progress.suspend(|| {
            for (_, report) in results.iter().flatten() {
                report.print();
            }
        });
        for ((path, ctx), result) in batch.iter().zip(&contexts).zip(&results) {
            let Some((status, _)) = result else { continue };
            started += 1;
            totals.add(*status);
            if *status == FileStatus::NeedsDecision {
                totals.left_for_a_decision(SideNames::of(ctx.operation));
            }
            if ctx.unmerged || writes(config) {
                done.push((path.clone(), status.handled()));
            }
        }
    }
    progress.finish_and_clear();
    index.after_many(&done);
    report::index::said(index);
    started
}

/// True when files are written in place (not `--stdout`, not `--dry-run`).
fn writes(config: &Config) -> bool {
    matches!(config.output, OutputMode::Write(_))
}

/// A bar on stderr for long runs at a terminal; hidden otherwise.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if files < 200 || !console::Term::stderr().is_term() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("resolving {bar:30} {pos}/{len} files")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The closing lines; `skipped` is what the walks left out, always said.
fn finish(totals: &Totals, files: usize, dry_run: bool, skipped: Option<String>) {
    // One file tells its own story, unless something is left to do or skipped.
    let alone = totals.count(FileStatus::Quit) > 0 && files == 1;
    let full = files > 1
        || dry_run
        || totals.count(FileStatus::NeedsDecision) > 0
        || totals.count(FileStatus::OneSideDeleted) > 0
        || totals.count(FileStatus::RenamedApart) > 0;
    if !alone && (full || skipped.is_some()) {
        let mut line = totals.summary(files, dry_run);
        if let Some(s) = skipped {
            line = format!("{line}; {s}");
        }
        report::errln!("{}: {line}", style("frontmerge").bold());
    }
    if totals.count(FileStatus::NeedsDecision) > 0 {
        // The sides as this operation calls them (both namings when the
        // files come from several).
        let mut names = totals.left_named.clone();
        if names.is_empty() {
            names.push(SideNames::default());
        }
        let mut prefer = names
            .iter()
            .map(|n| format!("--prefer {}|{}|newest", n.upstream, n.stashed));
        let first = prefer.next().unwrap_or_default();
        let others: Vec<String> = prefer.collect();
        let prefer = if others.is_empty() {
            first
        } else {
            format!("{first} (or {})", others.join(" or "))
        };
        report::errln!(
            "{}: pass {prefer} to settle them in batch, set a field rule (--rule KEY=RULE, .frontmerge.toml), or run in a terminal to decide part by part",
            style("hint").cyan().bold()
        );
    }
}

/// The pipeline's messages (rules that fell back, derived fields), as lines.
fn note_lines(notes: &[Worded], names: SideNames) -> String {
    notes
        .iter()
        .map(|n| n.named(names))
        .map(|n| format!("  {} {}\n", style("note:").yellow(), report::escape(&n)))
        .collect()
}

/// `error: path:line: message; left untouched`, `at` the location.
pub(crate) fn error_line(at: &str, message: &str) -> String {
    format!(
        "{}: {}: {}; left untouched\n",
        style("error").red().bold(),
        report::escape(at),
        report::escape_lines(message),
    )
}

/// What resolving one file printed: its report for stderr and, with
/// `--stdout` or `--dry-run`, its bytes for stdout. Kept apart so that files
/// resolved in parallel are reported in order.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Lines for standard error.
    pub(crate) err: String,
    /// Bytes for standard output.
    pub(crate) out: Vec<u8>,
}

impl Report {
    /// Writes the report out (stdout first: a diff before its summary).
    pub(crate) fn print(&self) {
        let _ = std::io::stdout().write_all(&self.out);
        report::Stream::Err.print(&self.err);
    }
}

/// Resolves one file with what git knows about it (base, marker size),
/// reporting what happened into `report`.
pub(crate) fn resolve_one_with(
    path: &Path,
    config: &Config,
    ctx: &FileContext,
    deciders: &mut [&mut dyn Decider],
    report: &mut Report,
) -> FileStatus {
    // Writing into a String cannot fail: the `let _ =` below drop nothing.
    use std::fmt::Write as _;
    let err = &mut report.err;
    if ctx.special {
        // Before any read: its link may lead out of the work tree.
        err.push_str(&error_line(
            &path.display().to_string(),
            super::input::SPECIAL,
        ));
        return FileStatus::Failed;
    }
    // A version in the index over the size limit: refused unread, as a
    // file over it is, whatever the work-tree file's size.
    if let Some(why) = &ctx.too_large {
        err.push_str(&error_line(&path.display().to_string(), why));
        return FileStatus::Failed;
    }
    // Before any read: the old path of a rename/rename conflict has no file,
    // and no resolving of contents chooses between names.
    if let Some(what) = &ctx.renamed_apart {
        let _ = writeln!(err, "{}: left for you: {what}", report::path(path));
        return FileStatus::RenamedApart;
    }
    let bytes = match files::read(path) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(
                err,
                "{}: {}",
                style("error").red().bold(),
                report::error(&e.into())
            );
            return FileStatus::Failed;
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            err.push_str(&error_line(&error_location(path, &e), &e.to_string()));
            return FileStatus::Failed;
        }
    };
    let mut opts = match ctx.marker_size {
        Some(n) => Cow::Owned(Options {
            marker_size: n,
            ..config.opts.clone()
        }),
        None => Cow::Borrowed(&config.opts),
    };
    if opts.sets.has_conditions() {
        // Conditional rules apply in merges of their kind: this file's.
        opts.to_mut().sets.set_kind(ctx.kind.clone());
    }
    let input = match FileInput::of(path, text, ctx, opts.marker_size, &opts.sets) {
        Ok(i) => i,
        Err(e) => {
            err.push_str(&error_line(&path.display().to_string(), &format!("{e:#}")));
            return FileStatus::Failed;
        }
    };
    let how = input.note;
    let outcome = match pipeline::resolve(path, input.input(), &opts, deciders) {
        Ok(mut o) => {
            if let (
                Some(note),
                Outcome::Resolved(pipeline::Resolved { notes, .. })
                | Outcome::NeedsDecision { notes, .. },
            ) = (how, &mut o)
            {
                notes.insert(0, note.to_owned().into());
            }
            o
        }
        Err(e) => {
            let names = SideNames::of(ctx.operation);
            let why = e.named(names);
            err.push_str(&error_line(&error_location(path, &e), &why));
            return FileStatus::Failed;
        }
    };
    let names = SideNames::of(ctx.operation);
    match outcome {
        Outcome::NoConflicts => {
            left_alone(path, config, ctx, (&bytes, text), opts.marker_size, report)
        }
        Outcome::Quit => FileStatus::Quit,
        Outcome::NeedsDecision {
            open,
            labels,
            notes,
        } => {
            let parts: Vec<String> = open.iter().map(|p| p.to_string()).collect();
            let what = if parts.is_empty() {
                "the sides differ only in layout (BOM, line endings, comments, quoting or the links heading)".to_owned()
            } else {
                parts.join(", ")
            };
            let _ = writeln!(
                err,
                "{}: needs a decision on {} ({} ↔ {}); left untouched",
                report::path(path),
                style(report::escape(&what)).yellow(),
                report::escape(&labels.0),
                report::escape(&labels.1)
            );
            err.push_str(&note_lines(&notes, names));
            FileStatus::NeedsDecision
        }
        Outcome::Resolved(r) => written(path, config, (&bytes, text), &r, names, report),
    }
}

/// A file without conflicts: given back as it is on `--stdout`, and said
/// why it is left alone (one side deleted it, git still lists it, its
/// markers are examples in fenced code, or there are none). `file`: its
/// bytes and text.
fn left_alone(
    path: &Path,
    config: &Config,
    ctx: &FileContext,
    file: (&[u8], &str),
    marker_size: MarkerSize,
    report: &mut Report,
) -> FileStatus {
    use std::fmt::Write as _;
    let (bytes, text) = file;
    let err = &mut report.err;
    if config.output == OutputMode::Stdout {
        report.out.extend_from_slice(bytes);
    }
    // A modify/delete conflict: no markers, yet a conflict (keeping
    // the file or the deletion is the person's call).
    if let Some(what) = &ctx.one_side_deleted {
        let _ = writeln!(err, "{}: left for you: {what}", report::path(path));
        return FileStatus::OneSideDeleted;
    }
    // git still lists it as unmerged: not "no conflicts" (the
    // session names the command that marks it).
    if ctx.unmerged {
        let _ = writeln!(
            err,
            "{}: no conflict markers, but git still lists it as unmerged; left alone",
            report::path(path)
        );
        return FileStatus::StillUnmerged;
    }
    let why = if has_open_marker(text, marker_size) {
        " (its marker lines are examples in fenced code blocks)"
    } else {
        ""
    };
    let _ = writeln!(err, "{}: no conflicts{why}, left alone", report::path(path));
    FileStatus::NoConflicts
}

/// A resolved file: printed (`--stdout`), shown as a patch (`--dry-run`) or
/// written, then said with what was decided and how. `file`: its bytes and
/// text as read.
fn written(
    path: &Path,
    config: &Config,
    file: (&[u8], &str),
    r: &pipeline::Resolved,
    names: SideNames,
    report: &mut Report,
) -> FileStatus {
    use std::fmt::Write as _;
    let (bytes, text) = file;
    let err = &mut report.err;
    let done = match config.output {
        OutputMode::Stdout => {
            report.out.extend_from_slice(r.output.as_bytes());
            Ok(())
        }
        OutputMode::DryRun => {
            // With the differ's deadline: a plain Myers diff of a large
            // rewritten body can take minutes.
            let diff = crate::merge::compare::line_diff(text, &r.output);
            let a = format!("a/{}", path.display());
            let b = format!("b/{}", path.display());
            let patch = diff
                .unified_diff()
                .context_radius(3)
                .header(&a, &b)
                .to_string();
            report
                .out
                .extend_from_slice(report::escape_lines(&patch).as_bytes());
            Ok(())
        }
        OutputMode::Write(w) => {
            files::write_atomic(path, bytes, r.output.as_bytes(), w).map_err(anyhow::Error::from)
        }
    };
    if let Err(e) = done {
        let _ = writeln!(
            err,
            "{}: {}",
            style("error").red().bold(),
            report::error(&e)
        );
        return FileStatus::Failed;
    }
    let verb = match (config.output, r.unresolved) {
        (OutputMode::DryRun, _) => "would resolve",
        (_, true) => "partly resolved",
        (_, false) => "resolved",
    };
    // The sides as git calls them in this file's operation.
    let _ = writeln!(
        err,
        "{}: {verb} ({})",
        style(report::path(path)).bold(),
        r.tally.named(names)
    );
    for line in r.summary_lines(names) {
        let _ = writeln!(err, "  {}", style(report::escape(&line)).dim());
    }
    err.push_str(&note_lines(&r.notes, names));
    if r.unresolved {
        FileStatus::PartlyResolved
    } else {
        FileStatus::Resolved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(line: &[&str]) -> ResolveArgs {
        let mut all = vec!["git-frontmerge"];
        all.extend_from_slice(line);
        crate::cli::args::Cli::try_parse_from(all).unwrap().resolve
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
            c.policy.links,
            Some(crate::decide::LinksPolicy::Side(
                crate::conflict::sides::Side::Stashed
            ))
        );
        assert!(c.policy.prefer.is_none());
        let e = Config::from_args_attended(&a, false).unwrap_err();
        assert!(e.to_string().contains("--links needs --prefer"), "{e}");
    }

    #[test]
    fn the_summary_counts_every_file_once_and_says_what_a_dry_run_would_do() {
        let mut t = Totals::default();
        assert_eq!(t.summary(0, false), "no files");
        assert_eq!(t.summary(0, true), "would resolve 0");
        t.add(FileStatus::Resolved);
        t.add(FileStatus::Resolved);
        t.add(FileStatus::NeedsDecision);
        assert_eq!(t.summary(3, true), "would resolve 2, 1 need a decision");
        assert_eq!(t.summary(3, false), "2 resolved, 1 need a decision");
        assert_eq!(t.exit_code(), exit::DECIDE);
        let mut q = Totals::default();
        q.add(FileStatus::Quit);
        assert_eq!(
            q.summary(3, false),
            "quit at 1, left as it was, 2 not reached"
        );
        assert_eq!(q.exit_code(), exit::INTERRUPTED);
    }
}
