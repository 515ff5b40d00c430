//! `git frontmerge install`: the git hooks that check what is committed
//! (pre-commit, pre-merge-commit, prepare-commit-msg for `git rebase
//! --continue`, pre-applypatch for `git am`), shell completions and man
//! pages, all generated from what this binary knows.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use console::style;

use crate::cli::args::{Cli, InstallArgs};
use crate::cli::exit;
use crate::git;

/// The pre-commit hook `install --hook` writes.
pub(crate) const HOOK: &str = "#!/bin/sh
# Installed by `git frontmerge install --hook`: stops a commit whose staged
# Markdown files hold conflict markers or broken frontmatter.
# Skip it once with `git commit --no-verify`.
if ! command -v git-frontmerge >/dev/null 2>&1; then
    echo 'pre-commit: git-frontmerge is not on PATH: install frontmerge, or commit with --no-verify' >&2
    exit 1
fi
exec git frontmerge check --staged
";

/// The pre-merge-commit hook `install --hook` also writes: git does not run
/// pre-commit for the merges it commits itself, so a merge whose clean line
/// merge left broken frontmatter (a key added twice) would be committed.
pub(crate) const MERGE_HOOK: &str = "#!/bin/sh
# Installed by `git frontmerge install --hook`: stops a merge whose staged
# Markdown files hold conflict markers or broken frontmatter before git
# commits it (git runs pre-commit only for commits, not for merges).
# Skip it once with `git merge --no-verify`.
if ! command -v git-frontmerge >/dev/null 2>&1; then
    echo 'pre-merge-commit: git-frontmerge is not on PATH: install frontmerge, or merge with --no-verify' >&2
    exit 1
fi
exec git frontmerge check --staged
";

/// The prepare-commit-msg hook `install --hook` also writes: `git rebase
/// --continue` commits a resolved conflict without running pre-commit, but
/// runs this one, which can stop the commit. It checks only while a rebase
/// is in progress: other commits were checked by pre-commit already.
pub(crate) const REBASE_HOOK: &str = "#!/bin/sh
# Installed by `git frontmerge install --hook`: stops `git rebase --continue`
# from committing staged Markdown files that hold conflict markers or broken
# frontmatter (git runs no pre-commit hook there, but runs this one). Other
# commits are checked by the pre-commit hook.
# Skip it once with `git -c core.hooksPath=/dev/null rebase --continue`.
rebase=$(git rev-parse --git-path rebase-merge) || exit 1
[ -d \"$rebase\" ] || exit 0
if ! command -v git-frontmerge >/dev/null 2>&1; then
    echo 'prepare-commit-msg: git-frontmerge is not on PATH: install frontmerge, or continue with git -c core.hooksPath=/dev/null rebase --continue' >&2
    exit 1
fi
exec git frontmerge check --staged
";

/// The pre-applypatch hook `install --hook` also writes: `git am` (and `git
/// am --continue` after a conflict) commits without running pre-commit.
pub(crate) const APPLY_HOOK: &str = "#!/bin/sh
# Installed by `git frontmerge install --hook`: stops `git am` (and `git am
# --continue`) from committing staged Markdown files that hold conflict
# markers or broken frontmatter (git runs no pre-commit hook there).
# Skip it once with `git am --no-verify`.
if ! command -v git-frontmerge >/dev/null 2>&1; then
    echo 'pre-applypatch: git-frontmerge is not on PATH: install frontmerge, or apply with --no-verify' >&2
    exit 1
fi
exec git frontmerge check --staged
";

/// The hooks `install --hook` writes: each name and its text.
pub(crate) const HOOKS: [(&str, &str); 4] = [
    ("pre-commit", HOOK),
    ("pre-merge-commit", MERGE_HOOK),
    ("prepare-commit-msg", REBASE_HOOK),
    ("pre-applypatch", APPLY_HOOK),
];

/// The line to add to an existing hook to run the check from it.
pub(crate) const CHAIN_LINE: &str = "git frontmerge check --staged || exit 1";

/// Lets `git frontmerge <TAB>` use the completions: git's bash completion
/// calls `_git_frontmerge` for the subcommand (after loading this file by
/// the name `git-frontmerge`), with its own `words`/`cword`.
const BASH_GIT_SHIM: &str = r#"
# `git frontmerge <TAB>`: git's completion calls _git_frontmerge.
_git_frontmerge() {
    local i=${__git_cmd_idx:-1}
    local COMP_WORDS=(git-frontmerge "${words[@]:i+1}")
    local COMP_CWORD=$((cword - i))
    local COMP_LINE="${COMP_WORDS[*]}"
    local COMP_POINT=${#COMP_LINE}
    _git__frontmerge git-frontmerge "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}
"#;

/// Runs `install`.
pub(crate) fn run(args: &InstallArgs) -> Result<i32> {
    if !args.hook
        && !args.merge_driver
        && !args.mergetool
        && args.completions.is_none()
        && args.man.is_none()
    {
        bail!(
            "nothing to install: pass --merge-driver, --mergetool, --hook, --completions DIR or --man DIR"
        );
    }
    if args.global && !args.merge_driver && !args.mergetool {
        bail!("--global goes with --merge-driver or --mergetool");
    }
    if args.force && !args.hook {
        bail!("--force goes with --hook");
    }
    if let Some(dir) = &args.completions {
        for path in completions(dir)? {
            crate::cli::report::outln!("wrote {}", crate::cli::report::path(&path));
        }
    }
    if let Some(dir) = &args.man {
        for path in man_pages(dir)? {
            crate::cli::report::outln!("wrote {}", crate::cli::report::path(&path));
        }
        // `man` looks for `man1/` in each folder of the man path.
        let above = dir.parent().filter(|p| !p.as_os_str().is_empty());
        crate::cli::report::outln!(
            "`git frontmerge --help` opens `man git-frontmerge` once {} is on the man path \
             (e.g. DIR = ~/.local/share/man/man1); `git frontmerge -h` always works",
            crate::cli::report::path(above.unwrap_or(Path::new(".")))
        );
    }
    if args.merge_driver {
        crate::cli::cmd::install_driver::run(args)?;
    }
    if args.mergetool {
        crate::cli::cmd::mergetool::install(args.global)?;
    }
    if args.hook {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let Some(repo) = git::discover(&cwd, true)? else {
            bail!("--hook: {} is not in a git repository", cwd.display());
        };
        let dir = repo.hooks_dir()?;
        refuse_hooks_dir_linked_outside(&repo, &dir)?;
        return hook(&dir, args.force);
    }
    Ok(exit::OK)
}

/// Refuses a hooks folder inside the work tree that a link leads out of
/// the work tree and the git folder: with `core.hooksPath` there (husky's
/// `.husky/_`, `.githooks`), a clone could commit the folder as a link to
/// any folder of the person's, for `--hook` to write into. A folder named
/// outside the work tree (`core.hooksPath = ~/.githooks`) is the person's own.
fn refuse_hooks_dir_linked_outside(repo: &git::Repo, dir: &Path) -> Result<()> {
    if !dir.starts_with(&repo.top) {
        return Ok(());
    }
    let real = git::canonical_lenient(dir);
    let within = [&repo.top, &repo.git_dir].map(|d| git::canonical_lenient(d));
    if within.iter().any(|d| real.starts_with(d)) {
        return Ok(());
    }
    bail!(
        "--hook: the hooks folder {} is a symbolic link to outside the work tree and the git \
         folder ({}); no hook is written through it",
        crate::cli::report::path(dir),
        crate::cli::report::path(&real)
    )
}

/// Writes the completion scripts into `dir`: `git-frontmerge` (bash, the
/// name bash-completion loads on demand), `_git-frontmerge` (zsh),
/// `git-frontmerge.fish` (fish).
pub(crate) fn completions(dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = Cli::command();
    let mut written = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "git-frontmerge"),
        (Shell::Zsh, "_git-frontmerge"),
        (Shell::Fish, "git-frontmerge.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "git-frontmerge", &mut buf);
        if shell == Shell::Bash {
            // clap_complete spells the subcommand states of a hyphenated bin
            // name two ways (clap-rs/clap#6421), so options after a
            // subcommand never complete; one spelling fixes it.
            let text = String::from_utf8_lossy(&buf).replace(
                "git__subcmd__frontmerge__subcmd__",
                "git__frontmerge__subcmd__",
            );
            buf = text.into_bytes();
            buf.extend_from_slice(BASH_GIT_SHIM.as_bytes());
        }
        let path = dir.join(name);
        fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `git-frontmerge.1` and one page per subcommand
/// (`git-frontmerge-check.1`, ...) into `dir`.
pub(crate) fn man_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    let mut pages = vec![cmd.clone()];
    pages.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    for page in pages {
        let man = clap_mangen::Man::new(page);
        let path = dir.join(man.get_filename());
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Installs [`HOOKS`] into `dir`; a
/// different hook already there is replaced only with `force`, and then kept
/// as `NAME.old`.
pub(crate) fn hook(dir: &Path, force: bool) -> Result<i32> {
    let mut code = exit::OK;
    for (name, text) in HOOKS {
        code = exit::most_serious([code, one_hook(dir, name, text, force)?]);
    }
    Ok(code)
}

/// Installs `text` as `dir/name` (see [`hook`]).
fn one_hook(dir: &Path, name: &str, text: &str, force: bool) -> Result<i32> {
    let path = dir.join(name);
    let shown = crate::cli::report::path(&path);
    // The hooks folder may hold a clone's files (`core.hooksPath` inside the
    // work tree): a link there would have a file of the person's, anywhere,
    // read as the old hook and copied beside it, or written over.
    let not_a_file = match fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => Some("a symbolic link"),
        Ok(m) if !m.is_file() => Some("not a regular file"),
        _ => None,
    };
    if let Some(what) = not_a_file {
        crate::cli::report::errln!(
            "{}: {shown} is {what}: no hook is read or written through it; left as it is",
            style("error").red().bold()
        );
        return Ok(exit::FAILED);
    }
    match fs::read(&path) {
        Ok(existing) if existing == text.as_bytes() => {
            crate::cli::report::outln!("the {name} hook is already installed: {shown}");
            return Ok(exit::OK);
        }
        Ok(existing) if !force => {
            crate::cli::report::errln!(
                "{}: {shown} already holds a different {name} hook; left as it is",
                style("error").red().bold()
            );
            let text = String::from_utf8_lossy(&existing);
            if text.contains("pre-commit.com") || text.contains("generated by pre-commit") {
                crate::cli::report::errln!(
                    "{} it is the pre-commit framework's hook: add the `frontmerge-check` hook \
                     to .pre-commit-config.yaml instead (see docs/checking.md)",
                    style("hint:").cyan()
                );
            }
            crate::cli::report::errln!(
                "{} to run both, add this line to that hook, before any `exec`:\n    {CHAIN_LINE}\n\
                 or replace it with `git frontmerge install --hook --force` (it is kept as {name}.old)",
                style("hint:").cyan()
            );
            return Ok(exit::FAILED);
        }
        Ok(existing) => {
            let old = free_name(dir, &format!("{name}.old"));
            // A new file only: never through a link that appeared meanwhile.
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&old)
                .and_then(|mut f| f.write_all(&existing))
                .with_context(|| format!("cannot keep the old hook as {}", old.display()))?;
            copy_mode(&path, &old);
            crate::cli::report::outln!(
                "kept the previous hook as {}",
                crate::cli::report::path(&old)
            );
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".frontmerge-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())?;
    make_executable(tmp.path())?;
    tmp.persist(&path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {shown}"))?;
    let when = match name {
        "pre-commit" => "every commit",
        "pre-merge-commit" => "every merge git commits",
        "prepare-commit-msg" => "every `git rebase --continue`",
        _ => "every patch `git am` commits",
    };
    crate::cli::report::outln!(
        "installed {shown}: {when} now runs `git frontmerge check --staged`"
    );
    crate::cli::report::outln!("to chain it from another hook instead, call: {CHAIN_LINE}");
    Ok(exit::OK)
}

/// `dir/name`, or `dir/name.1`, `dir/name.2`, ... whichever is not taken
/// yet; a link, even one to nothing, takes its name (`exists` follows it,
/// and a write would create its target).
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let free = |p: &PathBuf| fs::symlink_metadata(p).is_err();
    let first = dir.join(name);
    if free(&first) {
        return first;
    }
    (1..)
        .map(|n| dir.join(format!("{name}.{n}")))
        .find(free)
        .expect("an unused name")
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}

fn copy_mode(from: &Path, to: &Path) {
    // Best effort: the saved hook keeps its content either way.
    if let Ok(m) = fs::metadata(from) {
        let _ = fs::set_permissions(to, m.permissions());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_is_installed_once_and_never_overwrites_another() {
        let dir = tempfile::tempdir().unwrap();
        let hooks = dir.path().join("hooks");
        assert_eq!(hook(&hooks, false).unwrap(), exit::OK);
        let p = hooks.join("pre-commit");
        assert_eq!(fs::read_to_string(&p).unwrap(), HOOK);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o755
            );
        }
        assert_eq!(
            fs::read_to_string(hooks.join("pre-merge-commit")).unwrap(),
            MERGE_HOOK
        );
        assert_eq!(hook(&hooks, false).unwrap(), exit::OK, "idempotent");

        fs::write(&p, "#!/bin/sh\nmake lint\n").unwrap();
        assert_eq!(hook(&hooks, false).unwrap(), exit::FAILED);
        assert_eq!(fs::read_to_string(&p).unwrap(), "#!/bin/sh\nmake lint\n");

        assert_eq!(hook(&hooks, true).unwrap(), exit::OK);
        assert_eq!(fs::read_to_string(&p).unwrap(), HOOK);
        let old = hooks.join("pre-commit.old");
        assert_eq!(fs::read_to_string(&old).unwrap(), "#!/bin/sh\nmake lint\n");

        // A second forced replacement keeps both older hooks.
        fs::write(&p, "#!/bin/sh\nother\n").unwrap();
        assert_eq!(hook(&hooks, true).unwrap(), exit::OK);
        assert_eq!(
            fs::read_to_string(hooks.join("pre-commit.old.1")).unwrap(),
            "#!/bin/sh\nother\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_takes_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        std::os::unix::fs::symlink(&gone, dir.path().join("x.old")).unwrap();
        assert_eq!(free_name(dir.path(), "x.old"), dir.path().join("x.old.1"));
        assert_eq!(free_name(dir.path(), "y.old"), dir.path().join("y.old"));
    }

    #[test]
    fn completions_and_man_pages_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let files = completions(dir.path()).unwrap();
        assert_eq!(files.len(), 3);
        let bash = dir.path().join("git-frontmerge");
        // Completing in a real bash: `git-frontmerge ch<TAB>`, and through
        // git's own completion (`git frontmerge check --st`).
        let script = format!(
            "source '{}'\n\
             COMP_WORDS=(git-frontmerge ch); COMP_CWORD=1\n\
             _git__frontmerge git-frontmerge ch git-frontmerge; echo \"${{COMPREPLY[*]}}\"\n\
             words=(git frontmerge check --st); cword=3; __git_cmd_idx=1\n\
             _git_frontmerge; echo \"${{COMPREPLY[*]}}\"\n",
            bash.display()
        );
        let out = std::process::Command::new("bash")
            .args(["--norc", "-c", &script])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines, ["check", "--staged --strict"], "{out}");
        let zsh = fs::read_to_string(dir.path().join("_git-frontmerge")).unwrap();
        assert!(zsh.starts_with("#compdef git-frontmerge"), "{}", &zsh[..40]);
        let fish = fs::read_to_string(dir.path().join("git-frontmerge.fish")).unwrap();
        assert!(fish.contains("complete -c git-frontmerge"));

        let pages = man_pages(&dir.path().join("man1")).unwrap();
        let names: Vec<String> = pages
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for want in [
            "git-frontmerge.1",
            "git-frontmerge-check.1",
            "git-frontmerge-install.1",
            "git-frontmerge-resolve.1",
            "git-frontmerge-diff.1",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
        }
        let check = fs::read_to_string(dir.path().join("man1/git-frontmerge-check.1")).unwrap();
        assert!(
            check.contains(".TH git-frontmerge-check 1"),
            "{}",
            &check[..200]
        );
        assert!(check.contains("staged"));
    }
}
