//! `git frontmerge mergetool BASE LOCAL REMOTE MERGED`: the picker as git's
//! merge tool, and `install --mergetool`, which registers it:
//!
//! ```text
//! [mergetool "frontmerge"]
//!     cmd = git-frontmerge mergetool "$BASE" "$LOCAL" "$REMOTE" "$MERGED"
//!     trustExitCode = true
//! ```
//!
//! `git mergetool --tool=frontmerge` (or `merge.tool = frontmerge`) then runs
//! the picker on each conflicted file. The versions are git's files, as the
//! mergetool contract has it: $BASE (empty when there is no common
//! ancestor), $LOCAL and $REMOTE, merged into $MERGED; the index is not
//! read for them. $MERGED is then handled as `git frontmerge MERGED` handles
//! a file with those stages: git's own merge of them is merged part by part,
//! a $MERGED a person edited since is merged from its own markers, and what
//! is written is what the picker writes. The index is left to git: it marks
//! the file resolved when the tool exits 0 (a file written whole), and puts
//! $MERGED back when it does not (quit), answers and all: so the picker
//! offers no "leave unresolved" here.

use anyhow::{bail, Context, Result};
use clap::Parser;
use console::style;

use crate::cli::args::{Cli, MergetoolArgs};
use crate::cli::exit;
use crate::conflict::marker_size::MarkerSize;
use crate::git;
use crate::git::stages::Stages;

/// The tool's name in git's config: `mergetool.frontmerge.*`.
pub(crate) const TOOL: &str = "frontmerge";

/// The command git runs for the tool (through `sh`, with git's variables).
pub(crate) fn command(program: &str) -> String {
    format!("{program} mergetool \"$BASE\" \"$LOCAL\" \"$REMOTE\" \"$MERGED\"")
}

/// Registers the tool in the repository's git config (or the user's, `global`).
pub(crate) fn install(global: bool) -> Result<()> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    if !global && git::discover(&cwd, true)?.is_none() {
        bail!(
            "--mergetool: {} is not in a git repository (or pass --global)",
            cwd.display()
        );
    }
    let program = crate::cli::cmd::install_driver::program()?;
    let cmd = command(&program);
    let scope = if global { "--global " } else { "" };
    git::config_set(&cwd, global, &format!("mergetool.{TOOL}.cmd"), &cmd)?;
    git::config_set(
        &cwd,
        global,
        &format!("mergetool.{TOOL}.trustExitCode"),
        "true",
    )?;
    crate::cli::report::errln!(
        "{}: git config {scope}mergetool.{TOOL}.cmd = {cmd} (trustExitCode = true)",
        style("installed").green().bold()
    );
    crate::cli::report::errln!(
        "run it with `git mergetool --tool={TOOL}`, or make it git's default: \
         `git config {scope}merge.tool {TOOL}`"
    );
    Ok(())
}

/// Reads one of git's files, held to the bounds of every file.
fn read(what: &str, path: &std::path::Path) -> Result<String> {
    let bytes = crate::files::read(path).with_context(|| what.to_owned())?;
    String::from_utf8(bytes).with_context(|| format!("{what} {} is not UTF-8", path.display()))
}

/// The three versions git wrote, and git's line merge of them at
/// `marker_size` (diff3 style, labelled as git labels its own), as
/// [`Stages`] hold the index's: an empty $BASE is no common ancestor.
fn stages(args: &MergetoolArgs, marker_size: MarkerSize) -> Result<Stages> {
    let base = read("$BASE", &args.base)?;
    let ours = read("$LOCAL", &args.local)?;
    let theirs = read("$REMOTE", &args.remote)?;
    let (diff3, _) = git::merge_file_texts(
        [ours.as_bytes(), base.as_bytes(), theirs.as_bytes()],
        ["ours", "base", "theirs"],
        marker_size,
    )?;
    Ok(Stages {
        base: (!base.is_empty()).then_some(base),
        ours,
        theirs,
        diff3: String::from_utf8(diff3).context("git merge-file wrote invalid UTF-8")?,
    })
}

/// Runs the picker on `MERGED` for `git mergetool`, from `BASE`, `LOCAL`
/// and `REMOTE`; exits 0 only when the file was written whole (git then
/// marks it resolved).
pub(crate) fn run(args: &MergetoolArgs) -> Result<i32> {
    for (what, path) in [
        ("$BASE", &args.base),
        ("$LOCAL", &args.local),
        ("$REMOTE", &args.remote),
    ] {
        // git writes an empty $BASE when there is no common ancestor.
        if !path.is_file() {
            bail!("{what} {} is not a file git wrote", path.display());
        }
    }
    if !crate::cli::picker::terminal::attended() {
        bail!("the picker needs a terminal (run `git mergetool` in one)");
    }
    let merged = args.merged.as_os_str();
    let cli = Cli::try_parse_from([
        std::ffi::OsStr::new("git-frontmerge"),
        std::ffi::OsStr::new("--no-index"),
        std::ffi::OsStr::new("--"),
        merged,
    ])?;
    let given = |size: MarkerSize| stages(args, size);
    let code = crate::cli::cmd::resolve::run_given(&cli.resolve, Some(&given))?;
    Ok(if code == exit::OK { exit::OK } else { code })
}
