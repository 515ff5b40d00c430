//! The git side of `resolve`: which files to work on (the unmerged Markdown
//! files when no path is given), each file's base (index stage 1) and marker
//! size (`conflict-marker-size` attribute), and marking files resolved in
//! the index once they are written.
//!
//! Paths outside the repository of the current folder, and runs outside any
//! repository, are plain files: no base from the index, nothing marked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use console::style;

use crate::cmd::resolve::FileStatus;
use crate::error::decode;
use crate::files::is_markdown;
use crate::git::{Operation, Repo, Unmerged};

/// What git knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileContext {
    /// The common ancestor's text (index stage 1), when the path is unmerged.
    pub base: Option<String>,
    /// The `conflict-marker-size` attribute, unless `--marker-size` was given.
    pub marker_size: Option<usize>,
    /// The path has unmerged entries in the index.
    pub unmerged: bool,
}

/// The repository around one `resolve` run.
pub struct IndexSession {
    repo: Option<Repo>,
    op: Option<Operation>,
    /// Unmerged entries by canonical path.
    unmerged: HashMap<PathBuf, Unmerged>,
    /// In the order git lists them.
    listed: Vec<PathBuf>,
    sizes: HashMap<PathBuf, usize>,
    mark: bool,
    announced: bool,
    marked: usize,
    errors: usize,
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn warn(path: &Path, message: &str) {
    eprintln!(
        "{}: {}: {message}",
        style("warning").yellow().bold(),
        path.display()
    );
}

impl IndexSession {
    /// Looks at the repository of the current folder. With no `paths`, a
    /// repository is required. `mark`: mark written files resolved.
    pub fn open(paths: &[PathBuf], mark: bool) -> Result<IndexSession> {
        let cwd = std::env::current_dir()?;
        let repo = Repo::discover(&cwd);
        if paths.is_empty() && repo.is_none() {
            bail!(
                "not inside a git repository, and no paths given: name the conflicted files or folders"
            );
        }
        let mut session = IndexSession {
            repo,
            op: None,
            unmerged: HashMap::new(),
            listed: Vec::new(),
            sizes: HashMap::new(),
            mark,
            announced: false,
            marked: 0,
            errors: 0,
        };
        if let Some(repo) = &session.repo {
            let entries = match repo.unmerged() {
                Ok(e) => e,
                Err(e) if !paths.is_empty() => {
                    // Named files can still be resolved as plain files.
                    warn(&repo.top, &format!("{e:#}; resolving without the index"));
                    Vec::new()
                }
                Err(e) => return Err(e),
            };
            if !entries.is_empty() {
                session.op = Some(repo.operation());
            }
            for u in entries {
                session.listed.push(u.path.clone());
                session.unmerged.insert(canonical(&u.path), u);
            }
        }
        Ok(session)
    }

    /// The unmerged Markdown files, relative to the current folder; says
    /// which unmerged files are left to git because they are not Markdown.
    pub fn unmerged_markdown(&self) -> Vec<PathBuf> {
        let (md, other): (Vec<&PathBuf>, Vec<&PathBuf>) =
            self.listed.iter().partition(|p| is_markdown(p));
        if !other.is_empty() {
            let names: Vec<String> = other.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "{}: {} unmerged file(s) are not Markdown; resolve them with git: {}",
                style("note").cyan().bold(),
                other.len(),
                names.join(", ")
            );
        }
        if md.is_empty() {
            eprintln!("frontmerge: no unmerged Markdown files");
        }
        md.into_iter().cloned().collect()
    }

    /// Reads the `conflict-marker-size` attribute of the files inside the
    /// work tree (skipped when `--marker-size` is given).
    pub fn load_marker_sizes(&mut self, paths: &[PathBuf]) {
        let Some(repo) = &self.repo else { return };
        let top = canonical(&repo.top);
        let inside: Vec<PathBuf> = paths
            .iter()
            .filter(|p| canonical(p).starts_with(&top))
            .cloned()
            .collect();
        match repo.marker_sizes(&inside) {
            Ok(sizes) => {
                for (p, (_, size)) in inside.iter().zip(sizes) {
                    if let Some(n) = size {
                        self.sizes.insert(p.clone(), n);
                    }
                }
            }
            Err(e) => warn(&repo.top, &format!("{e:#}; using the default marker size")),
        }
    }

    /// What git knows about `path`: its marker size, whether it is unmerged,
    /// and its base (index stage 1) when it has one.
    pub fn context(&mut self, path: &Path) -> FileContext {
        self.contexts(std::slice::from_ref(&path.to_path_buf()))
            .pop()
            .unwrap_or_default()
    }

    /// [`IndexSession::context`] for many files, their bases read from the
    /// index in one git call.
    pub fn contexts(&mut self, paths: &[PathBuf]) -> Vec<FileContext> {
        let mut out: Vec<FileContext> = paths
            .iter()
            .map(|p| FileContext {
                marker_size: self.sizes.get(p).copied(),
                ..FileContext::default()
            })
            .collect();
        let Some(repo) = &self.repo else { return out };
        let mut with_base = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            if let Some(u) = self.unmerged.get(&canonical(p)) {
                out[i].unmerged = true;
                // A path with a newline cannot be named in a batch: no base.
                if u.base().is_some() && !p.as_os_str().as_encoded_bytes().contains(&b'\n') {
                    with_base.push(i);
                }
            }
        }
        if out.iter().any(|c| c.unmerged) && !self.announced {
            self.announced = true;
            if let Some(op) = self.op {
                eprintln!("{}: {op}", style("git").bold());
            }
        }
        let asked: Vec<PathBuf> = with_base.iter().map(|&i| paths[i].clone()).collect();
        let read = repo.base_texts(&asked, |k, blob| {
            let i = with_base[k];
            let path = &paths[i];
            match blob.map(|b| decode(&b).map(str::to_owned)) {
                // Parsed once, by the pipeline, and only when the markers
                // have no base of their own; an unreadable one is noted there.
                Some(Ok(text)) => out[i].base = Some(text),
                Some(Err(e)) => warn(
                    path,
                    &format!("the base in the index: {e}; comparing two ways"),
                ),
                None => warn(path, "no base in the index; comparing two ways"),
            }
            Ok(())
        });
        if let Err(e) = read {
            warn(&repo.top, &format!("{e:#}; comparing two ways"));
        }
        out
    }

    /// After many files were handled: marks the written ones resolved in one
    /// git call, and says so in one line.
    pub fn after_many(&mut self, done: &[(PathBuf, FileStatus)]) {
        let (Some(repo), Some(op)) = (&self.repo, self.op) else {
            return;
        };
        for (path, status) in done {
            if *status == FileStatus::NoConflicts {
                warn(
                    path,
                    "no conflict markers, but git still lists it as unmerged: check it, then `git add` it",
                );
            }
        }
        if !self.mark {
            return;
        }
        let resolved: Vec<PathBuf> = done
            .iter()
            .filter(|(_, s)| *s == FileStatus::Resolved)
            .map(|(p, _)| p.clone())
            .collect();
        if resolved.is_empty() {
            return;
        }
        match repo.mark_resolved_many(&resolved, op) {
            Ok(still) => {
                for p in &still {
                    self.errors += 1;
                    eprintln!(
                        "{}: could not mark {} resolved",
                        style("error").red().bold(),
                        p.display()
                    );
                }
                let marked = resolved.len() - still.len();
                self.marked += marked;
                let how = if op.stages_result() {
                    "(git add)"
                } else {
                    "(the changes stay unstaged, as after a clean stash pop)"
                };
                eprintln!("frontmerge: marked {marked} file(s) resolved {how}");
            }
            Err(e) => {
                self.errors += 1;
                eprintln!("{}: {e:#}", style("error").red().bold());
            }
        }
    }

    /// After a file was handled: marks it resolved when it was written whole.
    pub fn after(&mut self, path: &Path, ctx: &FileContext, status: FileStatus) {
        let (Some(repo), Some(op), true) = (&self.repo, self.op, ctx.unmerged) else {
            return;
        };
        match status {
            FileStatus::Resolved if self.mark => match repo.mark_resolved(path, op) {
                Ok(()) => {
                    self.marked += 1;
                    let how = if op.stages_result() {
                        "marked resolved (git add)"
                    } else {
                        "marked resolved; the change stays unstaged, as after a clean stash pop"
                    };
                    eprintln!("  {}", style(how).dim());
                }
                Err(e) => {
                    self.errors += 1;
                    eprintln!("{}: {e:#}", style("error").red().bold());
                }
            },
            FileStatus::NoConflicts => warn(
                path,
                "no conflict markers, but git still lists it as unmerged: check it, then `git add` it",
            ),
            _ => {}
        }
    }

    /// True when marking some file resolved failed.
    pub fn had_errors(&self) -> bool {
        self.errors > 0
    }

    /// The next step, once the last conflict is resolved. The stash is never
    /// dropped here: that stays the user's call.
    pub fn finish(&self) {
        let (Some(repo), Some(op)) = (&self.repo, self.op) else {
            return;
        };
        if self.marked == 0 {
            return;
        }
        let left = repo.unmerged().map(|u| u.len()).unwrap_or(0);
        if left > 0 {
            eprintln!("frontmerge: {left} path(s) still unmerged (see `git status`)");
            return;
        }
        let next = match op {
            Operation::StashApply => {
                "all conflicts resolved; the stash was kept: check the result, then drop it with `git stash drop`"
            }
            Operation::Merge => "all conflicts resolved: `git commit` to conclude the merge",
            Operation::Rebase => "all conflicts resolved: `git rebase --continue`",
            Operation::CherryPick => "all conflicts resolved: `git cherry-pick --continue`",
            Operation::Revert => "all conflicts resolved: `git revert --continue`",
        };
        eprintln!("{}: {next}", style("hint").cyan().bold());
    }
}
