//! `git frontmerge install --merge-driver [--global] [--prefer SIDE]`: tells
//! git to merge Markdown articles with frontmerge.
//!
//! ```text
//! # git config (the repository's, or --global)
//! [merge "frontmerge"]
//!     name = frontmerge: field-aware merge of Markdown articles
//!     driver = git-frontmerge merge-driver -L %X -L %S -L %Y -- %O %A %B %L %P; s=$?; \
//!              [ $s -le 1 ] && exit $s; echo '...' %P >&2; \
//!              git merge-file --diff-algorithm=histogram -L %X -L %S -L %Y \
//!                  --marker-size=%L %A %O %B
//!
//! # .gitattributes at the top of the work tree (or the global attributes file)
//! *.md merge=frontmerge
//! *.mdx merge=frontmerge
//! *.markdown merge=frontmerge
//! ```
//!
//! Running it again changes nothing. A clone without the git config falls
//! back to git's own merge: the attribute alone is harmless.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use console::style;

use crate::cli::args::{InstallArgs, PreferArg};
use crate::cli::exit;
use crate::files::MARKDOWN_EXTENSIONS;
use crate::git;
use crate::git::session::shell_quote;

/// The driver's name in `merge.<name>.driver` and `merge=<name>`.
pub(crate) const DRIVER: &str = "frontmerge";

/// Runs `install` with the merge-driver flags.
pub(crate) fn run(args: &InstallArgs) -> Result<i32> {
    if !args.merge_driver {
        bail!("nothing to install: pass --merge-driver");
    }
    let cwd = std::env::current_dir()?;
    let attributes = if args.global {
        global_attributes_file(&cwd)?
    } else {
        let repo = git::discover(&cwd, true)?.context(
            "not inside a git repository (use --global to install for every repository)",
        )?;
        let file = repo.top.join(".gitattributes");
        // Found in the repository: never written through a committed symlink.
        crate::files::own_file(&file)?;
        file
    };
    // The label placeholders arrived in git 2.44: an older git would pass
    // `%X` on as it is, and its own fallback merge would write it into the
    // markers. Without them the sides are labelled ours, base, theirs.
    let found = git::version(&cwd);
    let labels = found.is_some_and(|v| v >= LABELS_SINCE);
    if !labels {
        let found = found.map_or(
            "a git whose version could not be read".to_owned(),
            |(a, b)| format!("git {a}.{b}"),
        );
        crate::cli::report::errln!(
            "{}: {found} found: conflict labels (%X %S %Y) need git {}.{} or later, so the \
             driver's conflicts are labelled ours/base/theirs; run this again after upgrading git",
            style("note").yellow().bold(),
            LABELS_SINCE.0,
            LABELS_SINCE.1
        );
    }
    let command = driver_command(&program()?, args.prefer, labels);
    let scope = if args.global { "--global " } else { "" };
    git::config_set(
        &cwd,
        args.global,
        &format!("merge.{DRIVER}.name"),
        "frontmerge: field-aware merge of Markdown articles",
    )?;
    git::config_set(
        &cwd,
        args.global,
        &format!("merge.{DRIVER}.driver"),
        &command,
    )?;
    crate::cli::report::errln!(
        "{}: git config {scope}merge.{DRIVER}.driver = {command}",
        style("installed").green().bold()
    );
    // git hands `-X ours/theirs` to its own line merge only, never to a
    // configured driver: `git merge -X theirs` would stop at conflicts git
    // alone settles, with nothing saying why.
    let instead = if args.prefer.is_some() {
        "this one settles conflicts by the --prefer installed"
    } else {
        "use its --prefer: `git frontmerge install --merge-driver --prefer theirs` (one merge: docs/merge-driver.md)"
    };
    crate::cli::report::errln!(
        "{}: git never passes -X ours/theirs to a merge driver; {instead}",
        style("note").yellow().bold()
    );
    let added = add_attribute_lines(&attributes)?;
    if added == 0 {
        crate::cli::report::errln!("{}: already set up", crate::cli::report::path(&attributes));
    } else {
        crate::cli::report::errln!(
            "{}: added {added} line(s) `*.EXT merge={DRIVER}`{}",
            crate::cli::report::path(&attributes),
            if args.global {
                ""
            } else {
                " (commit it so clones use the driver once they install it)"
            }
        );
    }
    Ok(exit::OK)
}

/// The first git that expands `%X %S %Y` (the conflict labels) in a driver line.
pub(crate) const LABELS_SINCE: (u32, u32) = (2, 44);

/// The driver command line git runs (through `sh`); with `labels`, `%X %S
/// %Y` pass on git's conflict labels (git 2.44 or later), else the sides are
/// labelled ours, base and theirs.
///
/// The driver itself always exits 0 (merged) or 1 (conflicts left). Any
/// other status means it did not run: not on `PATH` (127) in an IDE, a GUI
/// client or CI, not executable (126), killed by a signal (128+N), or
/// refused its arguments (2). Then git's own `git merge-file` merges with
/// normal markers, so git's conflict is never an empty one holding only
/// HEAD's version. `--` before git's arguments: `%P` is a name the
/// repository chooses, which may look like an option (`--config=.env`).
pub(crate) fn driver_command(program: &str, prefer: Option<PreferArg>, labels: bool) -> String {
    let prefer = match prefer {
        Some(PreferArg::Upstream) => " --prefer upstream",
        Some(PreferArg::Stashed) => " --prefer stashed",
        Some(PreferArg::Newest) => " --prefer newest",
        None => "",
    };
    // git 2.44 brought both the labels and `merge-file --diff-algorithm`:
    // there the fallback aligns as git's own merges do (histogram).
    let (driver_labels, fallback_labels) = if labels {
        (
            " -L %X -L %S -L %Y",
            "--diff-algorithm=histogram -L %X -L %S -L %Y",
        )
    } else {
        ("", "-L ours -L base -L theirs")
    };
    format!(
        "{program} merge-driver{prefer}{driver_labels} -- %O %A %B %L %P; s=$?; \
         [ $s -le 1 ] && exit $s; \
         echo 'frontmerge: the merge driver could not run; git merge-file merged' %P >&2; \
         git merge-file {fallback_labels} --marker-size=%L %A %O %B"
    )
}

/// How the driver calls this program: `git-frontmerge` when that name on
/// PATH is this very binary, else the absolute path, quoted for the shell.
pub(crate) fn program() -> Result<String> {
    let exe = std::env::current_exe().context("cannot tell where frontmerge is installed")?;
    let exe = fs::canonicalize(&exe).unwrap_or(exe);
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("git-frontmerge"))
            .find(|c| c.is_file())
    });
    if on_path.and_then(|p| fs::canonicalize(p).ok()).as_ref() == Some(&exe) {
        return Ok("git-frontmerge".into());
    }
    Ok(shell_quote(&exe.to_string_lossy()))
}

/// `core.attributesFile`, or git's default `$XDG_CONFIG_HOME/git/attributes`
/// (`~/.config/git/attributes`).
fn global_attributes_file(cwd: &Path) -> Result<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(f) = git::config_get(cwd, true, "core.attributesFile") {
        return Ok(match (f.strip_prefix("~/"), &home) {
            (Some(rest), Some(h)) => h.join(rest),
            _ => PathBuf::from(f),
        });
    }
    let config = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(x) => PathBuf::from(x),
        None => home.context("HOME is not set")?.join(".config"),
    };
    Ok(config.join("git").join("attributes"))
}

/// Appends the missing `*.EXT merge=frontmerge` lines; returns how many.
pub(crate) fn add_attribute_lines(file: &Path) -> Result<usize> {
    let old = match fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    let have: Vec<&str> = old.lines().map(str::trim).collect();
    let missing: Vec<String> = MARKDOWN_EXTENSIONS
        .iter()
        .map(|ext| format!("*.{ext} merge={DRIVER}"))
        .filter(|l| !have.contains(&l.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let mut new = old.clone();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    for l in &missing {
        new.push_str(l);
        new.push('\n');
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // The attributes file is the user's: a crash must leave the old file
    // or the new one, never half of it.
    if old.is_empty() && !file.exists() {
        // A new file holds only our lines: nothing of the user's to lose.
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
            .with_context(|| format!("cannot create {}", file.display()))?;
        std::io::Write::write_all(&mut f, new.as_bytes())
            .with_context(|| format!("cannot write {}", file.display()))?;
    } else {
        crate::files::write_atomic(file, old.as_bytes(), new.as_bytes(), Default::default())?;
    }
    Ok(missing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_and_quoting() {
        let old_git = driver_command("git-frontmerge", None, false);
        assert!(
            old_git.starts_with("git-frontmerge merge-driver -- %O %A %B %L %P; ")
                && old_git.ends_with(
                    "git merge-file -L ours -L base -L theirs --marker-size=%L %A %O %B"
                ),
            "{old_git}"
        );
        let line = driver_command("git-frontmerge", Some(PreferArg::Stashed), true);
        assert!(
            line.starts_with(
                "git-frontmerge merge-driver --prefer stashed -L %X -L %S -L %Y -- %O %A %B %L %P; "
            ),
            "{line}"
        );
        assert!(line.ends_with(
            "git merge-file --diff-algorithm=histogram -L %X -L %S -L %Y --marker-size=%L %A %O %B"
        ));
        assert_eq!(
            shell_quote("/usr/bin/git-frontmerge"),
            "/usr/bin/git-frontmerge"
        );
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }

    #[test]
    fn attribute_lines_are_added_once() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("sub/.gitattributes");
        assert_eq!(add_attribute_lines(&f).unwrap(), 3);
        assert_eq!(add_attribute_lines(&f).unwrap(), 0);
        let f2 = d.path().join("attrs");
        fs::write(&f2, "*.png binary\n*.md merge=frontmerge").unwrap();
        assert_eq!(add_attribute_lines(&f2).unwrap(), 2);
        assert_eq!(
            fs::read_to_string(&f2).unwrap(),
            "*.png binary\n*.md merge=frontmerge\n*.mdx merge=frontmerge\n*.markdown merge=frontmerge\n"
        );
    }
}
