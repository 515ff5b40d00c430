//! `git frontmerge check`: conflict leftovers and broken frontmatter, one
//! line per finding like a compiler (`path:line:col: error: message`), or JSON.
//!
//! Files come from the work tree, from the index (`--staged`, what a
//! pre-commit hook must check) or from standard input (`-`). Git is asked
//! for each file's `conflict-marker-size` attribute and, only when markers
//! stand inside a fenced code block, for the file's committed version.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::iter::{IntoParallelIterator, ParallelBridge, ParallelIterator};
use serde::Serialize;

use crate::check::{self, Code, Committed, Finding, Severity};
use crate::cli::args::CheckArgs;
use crate::cli::cmd::{apply_color, options};
use crate::cli::exit;
use crate::cli::report::{self, errln, Stream};
use crate::conflict::marker_size::MarkerSize;
use crate::error::decode;
use crate::files;
use crate::git::index::Unmerged;
use crate::git::operation::Operation;
use crate::git::session::{operation, shell_quote, without_markers, Renames};
use crate::git::{relative_to, Repo, Repos, Version};

/// Where a file's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    Stdin,
    WorkTree(PathBuf),
    Index,
    /// A path named that has no file but is unmerged in the index: the old
    /// name of a rename/rename conflict. Nothing to read; the index's
    /// conflict is its finding.
    Gone,
}

/// One file to check.
#[derive(Clone, Debug)]
struct Target {
    /// The path as printed.
    shown: String,
    source: Source,
    /// The repository (index into `Repos::list`) and the path inside it.
    repo: Option<(usize, PathBuf)>,
    marker_size: MarkerSize,
    /// The file a symlink in the tracked list leads to (symlinks resolved).
    link: Option<PathBuf>,
}

impl Target {
    /// A target at git's default marker size (the attribute's is applied later).
    fn new(shown: String, source: Source, repo: Option<(usize, PathBuf)>) -> Target {
        Target {
            shown,
            source,
            repo,
            marker_size: MarkerSize::DEFAULT,
            link: None,
        }
    }
}

/// One finding with its file, for `--json`.
#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// A path that could not be checked, for `--json`.
#[derive(Serialize)]
struct JsonProblem<'a> {
    path: &'a str,
    message: &'a str,
}

/// The whole `--json` answer.
#[derive(Serialize)]
struct JsonReport<'a> {
    files: usize,
    /// Entries the walks of named folders left out (hidden, ignored, cycles, ...).
    skipped: usize,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding<'a>>,
    unreadable: Vec<JsonProblem<'a>>,
}

/// Runs `check`.
pub(crate) fn run(args: &CheckArgs) -> Result<i32> {
    apply_color(args.common.color);
    let mut opts = options(&args.common);
    // Findings need keys and validity, not values: skip building them.
    opts.article.values = false;
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut repos = Repos::new(&cwd)?;
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut skipped = crate::files::Skipped::default();
    let mut targets = collect(args, &cwd, &mut repos, &mut problems, &mut skipped)?;
    if args.common.marker_size.is_none() {
        apply_marker_sizes(&mut targets, &repos, args.staged);
    } else {
        for t in &mut targets {
            t.marker_size = opts.marker_size;
        }
    }

    let top = repos.here().map(|r| r.top.clone());
    opts.derived.configured =
        crate::cli::cmd::rules::derived_only(args.config.as_deref(), top.as_deref())?;
    let progress = progress_bar(targets.len(), args.json);
    let outcomes = check_all(&targets, (&repos, &cwd), &opts, &progress)?;
    progress.finish_and_clear();
    let mut results: Vec<(String, Vec<Finding>)> = Vec::new();
    let mut checked = 0;
    let mut refused = 0;
    for (i, outcome) in outcomes {
        let t = &targets[i];
        match outcome {
            Ok(findings) => {
                checked += 1;
                if !findings.is_empty() {
                    results.push((t.shown.clone(), findings));
                }
            }
            Err(e) => {
                // Too large to check: the file is not handled (1), as
                // `resolve` leaves such a file; other failures are fatal (2).
                if let Some(files::FileError::OverLimit(_)) = e.downcast_ref() {
                    refused += 1;
                }
                problems.push((t.shown.clone(), format!("{e:#}")));
            }
        }
    }
    let count = |s: Severity| {
        results
            .iter()
            .flat_map(|(_, f)| f)
            .filter(|f| f.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    print_report(
        args,
        &results,
        &problems,
        &skipped,
        checked,
        [errors, warnings],
    )?;
    if errors > 0 && !args.json {
        hints(&results, args.staged, &repos);
    }
    Ok(if problems.len() > refused {
        exit::USAGE
    } else if refused > 0 || errors > 0 || (args.strict && warnings > 0) {
        exit::FAILED
    } else {
        exit::OK
    })
}

/// Prints the findings (JSON, or a line each and the summary) on stdout,
/// then what could not be checked on stderr; `counts`: errors, warnings.
fn print_report(
    args: &CheckArgs,
    results: &[(String, Vec<Finding>)],
    problems: &[(String, String)],
    skipped: &crate::files::Skipped,
    checked: usize,
    counts: [usize; 2],
) -> Result<()> {
    let [errors, warnings] = counts;
    if args.json {
        let report = JsonReport {
            files: checked,
            skipped: skipped.total(),
            errors,
            warnings,
            findings: results
                .iter()
                .flat_map(|(path, fs)| fs.iter().map(move |finding| JsonFinding { path, finding }))
                .collect(),
            unreadable: problems
                .iter()
                .map(|(path, message)| JsonProblem { path, message })
                .collect(),
        };
        report::print_json(&report::json_text(serde_json::to_string_pretty(&report)?))?;
    } else {
        // One write of every finding: a run over thousands of files prints
        // (and escapes) its lines at once.
        let mut out = String::new();
        for (path, findings) in results {
            for f in findings {
                out.push_str(&line(path, f));
                out.push('\n');
            }
        }
        out.push_str(&summary(checked, errors, warnings));
        // A file that could not be checked is not "no problems".
        if !problems.is_empty() {
            out.push_str(&format!("; {} not checked (see below)", problems.len()));
        }
        if let Some(s) = report::skipped::summary(skipped) {
            out.push_str(&format!("; {s}"));
        }
        out.push('\n');
        Stream::Out.print(&out);
    }
    for (path, why) in problems {
        // Messages that name the file already are not prefixed twice.
        let why = why.strip_prefix(&format!("{path}: ")).unwrap_or(why);
        errln!(
            "{}: {}: {}",
            style("error").red().bold(),
            report::escape(path),
            report::escape_lines(why)
        );
    }
    Ok(())
}

/// The hints after errors: how to compare and resolve conflicts, and with
/// `--staged` (the pre-commit hook) the commands that fix and stage each file.
fn hints(results: &[(String, Vec<Finding>)], staged: bool, repos: &Repos) {
    let conflicts = results
        .iter()
        .flat_map(|(_, f)| f)
        .any(|f| f.code == Code::ConflictMarker);
    if conflicts {
        errln!(
            "{} `git frontmerge diff PATH` compares the sides part by part; \
             `git frontmerge PATH` resolves them",
            style("hint:").cyan()
        );
    }
    if staged {
        staged_hints(results, repos);
    }
}

/// The hook's hints: files staged with conflict markers resolved then
/// staged, a lone marker's lines named, and how to stage the fixes.
fn staged_hints(results: &[(String, Vec<Finding>)], repos: &Repos) {
    // Files staged with conflict markers: the exact commands that
    // resolve each one and stage the result.
    // In a sparse checkout git stages a path outside the cone only
    // with --sparse (and takes it for any other path).
    let add = if repos.here().is_some_and(|r| r.sparse()) {
        "git add --sparse --"
    } else {
        "git add --"
    };
    let has = |f: &[Finding], code: Code| {
        f.iter()
            .any(|f| f.severity == Severity::Error && f.code == code)
    };
    let staged_conflicts: Vec<String> = results
        .iter()
        .filter(|(_, f)| has(f, Code::ConflictMarker))
        .map(|(path, _)| report::escape(&shell_quote(path)).into_owned())
        .collect();
    // A marker without its pair is no conflict frontmerge can
    // resolve: the line itself is what to remove.
    for (path, f) in results
        .iter()
        .filter(|(_, f)| has(f, Code::LoneMarker) && !has(f, Code::ConflictMarker))
    {
        let lines: Vec<String> = f
            .iter()
            .filter(|f| f.code == Code::LoneMarker)
            .map(|f| format!("{}:{}", report::escape(path), f.line))
            .collect();
        errln!(
            "{} {} holds a conflict marker without its pair (left from a half-done \
             resolution, which `git frontmerge` cannot resolve): delete that line in an \
             editor, keeping the text you want, then `{add} {}`",
            style("hint:").cyan(),
            lines.join(", "),
            report::escape(&shell_quote(path))
        );
    }
    if !staged_conflicts.is_empty() {
        let names = staged_conflicts.join(" ");
        errln!(
            "{} staged with conflict markers: resolve, then stage the result: \
             `git frontmerge {names}` then `{add} {names}` \
             (`git frontmerge` with no paths finds and stages them during a merge)",
            style("hint:").cyan()
        );
    }
    errln!(
        "{} fix the lines above and `{}` them; `git commit --no-verify` skips this check",
        style("hint:").cyan(),
        add.trim_end_matches(" --")
    );
}

/// `path:line:col: error: message [code]`.
fn line(path: &str, f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => style(f.severity.as_str()).red().bold(),
        Severity::Warning => style(f.severity.as_str()).yellow().bold(),
    };
    format!(
        "{}: {severity}: {} [{}]",
        style(format!("{}:{}:{}", report::escape(path), f.line, f.column)).bold(),
        report::escape(&f.message),
        f.code.as_str()
    )
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The closing line, e.g. `checked 3 files: 6 errors, 2 warnings`.
fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let what = if errors == 0 && warnings == 0 {
        "no problems".to_owned()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    };
    format!("checked {}: {what}", plural(files, "file"))
}

/// The files the arguments name. Usage errors end the run; paths that do
/// not exist are collected in `problems`.
fn collect(
    args: &CheckArgs,
    cwd: &Path,
    repos: &mut Repos,
    problems: &mut Vec<(String, String)>,
    skipped: &mut crate::files::Skipped,
) -> Result<Vec<Target>> {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.staged {
        bail!("`-` (standard input) cannot be combined with --staged");
    }
    if args.staged {
        let Some(repo) = repos.here() else {
            bail!(
                "--staged needs a git repository, and {} is not in one",
                cwd.display()
            );
        };
        return staged_targets(&args.paths, cwd, repo, problems);
    }
    if args.paths.is_empty() {
        let Some(repo) = repos.here() else {
            bail!(
                "no paths given and {} is not in a git repository: name files or folders, \
                 or `-` for standard input",
                cwd.display()
            );
        };
        let mut out = tracked_targets(cwd, repo, skipped)?;
        skip_ignored_links(&mut out, repos, skipped);
        return Ok(out);
    }
    let mut out = Vec::new();
    if stdin {
        out.push(Target::new("<stdin>".into(), Source::Stdin, None));
    }
    let named: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let (found, missing, walked) = files::expand_counting(&named, |t| repos.ignored_targets(t));
    *skipped = walked;
    report::skipped::warnings(skipped);
    for (p, why) in missing {
        match repos.for_file(&cwd.join(&p)) {
            Ok(Some((ri, rel))) if renamed_away(&repos.list[ri], &rel) => {
                out.push(Target::new(
                    p.display().to_string(),
                    Source::Gone,
                    Some((ri, rel)),
                ));
            }
            _ => problems.push((p.display().to_string(), why)),
        }
    }
    for f in found {
        let r = repos.for_file(&cwd.join(&f.path))?;
        out.push(Target::new(
            f.path.display().to_string(),
            Source::WorkTree(f.path),
            r,
        ));
    }
    Ok(out)
}

/// Whether `rel`, which has no file, is unmerged in `repo`'s index as the
/// old name of a rename/rename conflict (deleted on both sides).
fn renamed_away(repo: &Repo, rel: &Path) -> bool {
    repo.unmerged()
        .is_ok_and(|all| all.iter().any(|u| u.path == rel && u.renamed_away()))
}

/// `--staged`: the staged copies of the Markdown files named (a folder: those
/// below it), or of every one with no `paths`; a path outside the
/// repository is a problem.
fn staged_targets(
    paths: &[PathBuf],
    cwd: &Path,
    repo: &Repo,
    problems: &mut Vec<(String, String)>,
) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    let show = |rel: &Path| relative_to(&repo.top.join(rel), cwd).display().to_string();
    if paths.is_empty() {
        for rel in repo.staged_markdown(&[])? {
            out.push(Target::new(show(&rel), Source::Index, Some((0, rel))));
        }
    }
    for p in paths {
        let abs = cwd.join(p);
        let Some(rel) = repo.relative(&abs) else {
            problems.push((p.display().to_string(), "outside the repository".into()));
            continue;
        };
        if abs.is_dir() {
            let spec = if rel.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                rel
            };
            for rel in repo.staged_markdown(&[spec])? {
                out.push(Target::new(show(&rel), Source::Index, Some((0, rel))));
            }
        } else {
            out.push(Target::new(
                p.display().to_string(),
                Source::Index,
                Some((0, rel)),
            ));
        }
    }
    Ok(out)
}

/// No paths: the tracked Markdown files of the work tree, as shown from
/// `cwd`; a committed link leading outside is skipped, never read. A link
/// inside keeps its target in its [`Target::link`], for
/// [`skip_ignored_links`].
fn tracked_targets(
    cwd: &Path,
    repo: &Repo,
    skipped: &mut crate::files::Skipped,
) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    // Each path as shown from the current folder, worked out once for
    // all: resolving every file's path costs a call per component.
    let cwd_in_top = repo.relative(cwd);
    let top_from_cwd = relative_to(&repo.top, cwd);
    let shown = |rel: &Path| match cwd_in_top.as_deref().map(|c| rel.strip_prefix(c)) {
        Some(Ok(below)) => below.to_path_buf(),
        _ if top_from_cwd == Path::new(".") => rel.to_path_buf(),
        _ => top_from_cwd.join(rel),
    };
    for rel in repo.tracked_markdown()? {
        let abs = repo.top.join(&rel);
        let mut link = None;
        // One `lstat` for a plain file; a link is followed only inside.
        let file = match std::fs::symlink_metadata(&abs) {
            Ok(m) if m.file_type().is_symlink() => {
                // A committed link to a file outside (or hidden: `.env`,
                // `.git/config`): never read, never quoted.
                if let Some(why) = files::link_away(&abs, &repo.top) {
                    skipped.away_link(&shown(&rel), why);
                    report::skipped::warnings(skipped);
                    continue;
                }
                link = std::fs::canonicalize(&abs).ok();
                abs.is_file()
            }
            Ok(m) => m.is_file(),
            // A tracked file deleted from the work tree has nothing to check.
            Err(_) => false,
        };
        if file {
            // Tracked here, so this repository's (no lookup per folder).
            let mut t = Target::new(
                shown(&rel).display().to_string(),
                Source::WorkTree(abs),
                Some((0, rel)),
            );
            t.link = link;
            out.push(t);
        }
    }
    Ok(out)
}

/// Leaves out of `targets` the links to a file git ignores (the person's
/// `secrets.md`, never the repository's article), named in `skipped`: git
/// asked once, and not at all without a link.
fn skip_ignored_links(targets: &mut Vec<Target>, repos: &mut Repos, skipped: &mut files::Skipped) {
    let links: Vec<(PathBuf, PathBuf)> = targets
        .iter()
        .filter_map(|t| Some((PathBuf::from(&t.shown), t.link.clone()?)))
        .collect();
    let left_out = files::links_to_skip(&links, skipped, |t| repos.ignored_targets(t));
    report::skipped::warnings(skipped);
    targets.retain(|t| !left_out.contains(Path::new(&t.shown)));
}

/// Sets each target's marker size from git's `conflict-marker-size`
/// attribute (one `git check-attr` per repository).
fn apply_marker_sizes(targets: &mut [Target], repos: &Repos, staged: bool) {
    for (ri, repo) in repos.list.iter().enumerate() {
        let picked: Vec<usize> = (0..targets.len())
            .filter(|&i| targets[i].repo.as_ref().is_some_and(|(r, _)| *r == ri))
            .collect();
        let rels: Vec<PathBuf> = picked
            .iter()
            .filter_map(|&i| targets[i].repo.as_ref().map(|(_, rel)| rel.clone()))
            .collect();
        match repo.marker_sizes(&rels, staged) {
            Ok(sizes) => {
                for (&i, size) in picked.iter().zip(sizes) {
                    if let Some(s) = size {
                        targets[i].marker_size = s;
                    }
                }
            }
            // Not fatal: the default size is what git uses without the attribute.
            Err(e) => errln!(
                "{}: {}; using marker size {}",
                style("warning").yellow().bold(),
                report::error(&e.into()),
                MarkerSize::DEFAULT
            ),
        }
    }
}

/// A bar on stderr for long runs at a terminal; hidden in pipes and with `--json`.
fn progress_bar(files: usize, json: bool) -> ProgressBar {
    if json || files < 500 || !console::Term::stderr().is_term() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("checking {bar:30} {pos}/{len} files")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Checks every target on all cores, each file read by the worker that
/// checks it (staged ones streamed from one `git cat-file --batch` per
/// repository through a short queue), so memory follows the largest files in
/// flight, not the number of files. Outcomes come back in target order.
fn check_all(
    targets: &[Target],
    (repos, cwd): (&Repos, &Path),
    opts: &crate::pipeline::Options,
    progress: &ProgressBar,
) -> Result<Vec<(usize, Result<Vec<Finding>>)>> {
    // Per repository, the files that differ from HEAD (staged or in the
    // work tree); `None` when that cannot be told (no commit yet).
    let changed: Vec<Option<HashSet<PathBuf>>> = repos
        .list
        .iter()
        .map(|r| r.changed_since_head(staged_run(targets)).ok())
        .collect();
    // Per repository, its unmerged paths: one still unmerged without
    // markers is a conflict git left in the index, not a clean file.
    let unmerged: Vec<HashMap<PathBuf, Unmerged>> = repos
        .list
        .iter()
        .map(|r| {
            r.unmerged()
                .map(|u| u.into_iter().map(|u| (u.path.clone(), u)).collect())
                .unwrap_or_default()
        })
        .collect();
    let renames: Vec<Renames> = unmerged.iter().map(|u| Renames::of(u.values())).collect();
    // The sides called as every other screen calls them.
    let ops: Vec<Option<Operation>> = repos
        .list
        .iter()
        .zip(&unmerged)
        .map(|(repo, u)| {
            let rels = u.values().filter(|u| !u.special).map(|u| u.path.clone());
            (!u.is_empty()).then(|| operation(repo, rels))
        })
        .collect();
    let one = |i: usize, staged: Option<Vec<u8>>| {
        let t = &targets[i];
        let r = read(t, staged, repos).and_then(|bytes| {
            let mut found = match t.source {
                Source::Gone => Vec::new(),
                _ => check_bytes(t, &bytes, opts, repos, &changed)?,
            };
            let in_index = t
                .repo
                .as_ref()
                .and_then(|(ri, rel)| Some((*ri, unmerged[*ri].get(rel)?)));
            if let Some((ri, u)) = in_index {
                if !found.iter().any(|f| f.code == Code::ConflictMarker) {
                    let repo = &repos.list[ri];
                    let sparse = repo.sparse();
                    let shown = Path::new(&t.shown);
                    let mut finding = check::unmerged(&shell_quote(&t.shown), sparse);
                    let show = |rel: &Path| relative_to(&repo.top.join(rel), cwd);
                    // A rename/rename conflict: the names, and how to keep one.
                    if let Some(what) = renames[ri].note(u, ops[ri], shown, show, sparse) {
                        finding.message = format!("still unmerged in the index: {what}");
                    } else if u.one_side_deleted() {
                        // One side deleted it: say so, and what add and rm keep.
                        let what = without_markers(u, ops[ri], shown, sparse);
                        finding.message = format!("still unmerged in the index: {what}");
                    }
                    found.insert(0, finding);
                }
            }
            Ok(found)
        });
        progress.inc(1);
        (i, r)
    };
    let (staged, other): (Vec<usize>, Vec<usize>) =
        (0..targets.len()).partition(|&i| targets[i].source == Source::Index);
    let mut out: Vec<(usize, Result<Vec<Finding>>)> =
        other.into_par_iter().map(|i| one(i, None)).collect();
    for (ri, repo) in repos.list.iter().enumerate() {
        let picked: Vec<(usize, PathBuf)> = staged
            .iter()
            .filter_map(|&i| match &targets[i].repo {
                Some((r, rel)) if *r == ri => Some((i, rel.clone())),
                _ => None,
            })
            .collect();
        if picked.is_empty() {
            continue;
        }
        let rels: Vec<PathBuf> = picked.iter().map(|(_, r)| r.clone()).collect();
        let (tx, rx) = std::sync::mpsc::sync_channel(2 * rayon::current_num_threads());
        let picked = &picked;
        let (got, over) = std::thread::scope(|scope| {
            let producer = scope.spawn(move || {
                repo.each_blob(&rels, Version::Index, |k, blob| {
                    tx.send((picked[k].0, blob))
                        .map_err(|_| anyhow::anyhow!("checking stopped"))
                })
            });
            let got: Vec<_> = rx
                .into_iter()
                .par_bridge()
                .map(|(i, b)| one(i, b))
                .collect();
            producer
                .join()
                .map_err(|_| anyhow::anyhow!("git cat-file reader panicked"))?
                .map(|over| (got, over))
        })?;
        out.extend(got);
        // A staged copy over the size limit was not read (its size asked
        // first): refused as a work-tree file over it is.
        for (k, size) in over {
            let i = picked[k].0;
            let refused = files::too_large(&targets[i].shown, Some(size), "left untouched");
            out.push((i, Err(refused.into())));
            progress.inc(1);
        }
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// True when the targets come from the index (`--staged`).
fn staged_run(targets: &[Target]) -> bool {
    targets.iter().any(|t| t.source == Source::Index)
}

/// The findings of one file's bytes.
fn check_bytes(
    t: &Target,
    bytes: &[u8],
    opts: &crate::pipeline::Options,
    repos: &Repos,
    changed: &[Option<HashSet<PathBuf>>],
) -> Result<Vec<Finding>> {
    Ok(match decode(bytes) {
        Err(e) => vec![check::not_text(&e)],
        Ok(text) => {
            let opts = crate::pipeline::Options {
                marker_size: t.marker_size,
                ..opts.clone()
            };
            let clean = clean_texts(t, text, repos)?;
            let clean: Vec<&str> = clean.iter().map(String::as_str).collect();
            let committed = match &t.repo {
                None => Committed::NoRepository,
                Some(_) => Committed::InRepository { clean: &clean },
            };
            let mut findings = check::check(text, &opts, committed);
            if !findings.iter().any(Finding::is_error) {
                findings.extend(derived(t, text, &opts, repos, changed)?);
                findings.sort_by_key(|f| (f.line, f.column, f.severity));
            }
            findings
        }
    })
}

/// Warnings for mirrored values (`schema.name` and `title`) out of step.
/// Mirrors are learnt from the committed version (HEAD), which is fetched
/// only for files that differ from it: in a file equal to HEAD every mirror
/// that held there still holds. Configured mirrors need no HEAD.
fn derived(
    t: &Target,
    text: &str,
    opts: &crate::pipeline::Options,
    repos: &Repos,
    changed: &[Option<HashSet<PathBuf>>],
) -> Result<Vec<Finding>> {
    let differs = match &t.repo {
        Some((ri, rel)) => changed[*ri].as_ref().is_some_and(|c| c.contains(rel)),
        None => false,
    };
    if !differs && opts.derived.configured.is_empty() {
        return Ok(Vec::new());
    }
    // Values are needed here, unlike for the other findings.
    let mut vopts = opts.clone();
    vopts.article.values = true;
    if !check::has_derived_candidates(text, &vopts) {
        return Ok(Vec::new());
    }
    // A committed version over the size limit is not read (`None`): no
    // mirror is learnt from it.
    let head = match (&t.repo, differs) {
        (Some((ri, rel)), true) => repos.list[*ri]
            .blobs(std::slice::from_ref(rel), Version::Head)?
            .pop()
            .flatten()
            .and_then(|b| String::from_utf8(b).ok()),
        _ => None,
    };
    Ok(check::derived_findings(text, &vopts, head.as_deref()))
}

/// One target's bytes; `staged` is its index content when it has one.
fn read(t: &Target, staged: Option<Vec<u8>>, repos: &Repos) -> Result<Vec<u8>> {
    match &t.source {
        // Bounded as files are: `yes | git frontmerge check -` stops at
        // the limit instead of filling memory.
        Source::Stdin => Ok(files::read_limited(
            std::io::stdin().lock(),
            None,
            "<stdin>",
            "not checked",
        )?),
        Source::WorkTree(p) => Ok(files::read(p)?),
        Source::Gone => Ok(Vec::new()),
        Source::Index => {
            if let Some(b) = staged {
                return Ok(b);
            }
            let (ri, rel) = t.repo.as_ref().context("staged file without repository")?;
            let repo = &repos.list[*ri];
            // An unmerged file has no staged version yet (git refuses to
            // commit it anyway): check what `git add` would stage.
            if repo.is_unmerged(rel)? {
                return Ok(files::read(&repo.top.join(rel))?);
            }
            bail!("not in the index (not staged)")
        }
    }
}

/// The clean versions (HEAD's, the index stages of an unmerged file),
/// fetched only when the verdict depends on them.
fn clean_texts(t: &Target, text: &str, repos: &Repos) -> Result<Vec<String>> {
    let Some((ri, rel)) = &t.repo else {
        return Ok(Vec::new());
    };
    if !check::has_fenced_markers(text, t.marker_size) {
        return Ok(Vec::new());
    }
    Ok(repos.list[*ri]
        .clean_versions(rel)?
        .into_iter()
        .filter_map(|b| String::from_utf8(b).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        assert_eq!(summary(1, 0, 0), "checked 1 file: no problems");
        assert_eq!(summary(3, 6, 1), "checked 3 files: 6 errors, 1 warning");
    }

    #[test]
    fn compiler_style_line() {
        console::set_colors_enabled(false);
        let f = Finding {
            severity: Severity::Error,
            line: 2,
            column: 1,
            code: Code::ConflictMarker,
            message: "conflict marker".into(),
        };
        assert_eq!(
            line("a.md", &f),
            "a.md:2:1: error: conflict marker [conflict-marker]"
        );
    }
}
