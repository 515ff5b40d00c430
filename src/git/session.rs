//! The git side of `resolve`: which files to work on (the unmerged Markdown
//! files when no path is given), each file's repository, base (the index's
//! stage 1) and marker size (`conflict-marker-size` attribute), and marking files
//! resolved in their own repository's index once they are written.
//!
//! Each file is handled with the repository that holds it, wherever the
//! command runs; files outside any repository are plain files: no base
//! from the index, nothing marked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use console::style;

use super::operation::{marker_labels, MarkerLabels};
use super::{relative_to, Operation, Repos, Unmerged};
use crate::error::decode;
use crate::files::{is_markdown, MAX_FILE_SIZE};

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

/// How `resolve` left one file, as far as the index is concerned.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Handled {
    /// Written whole: to be marked resolved.
    Written,
    /// No conflict markers in it (yet git lists it as unmerged).
    NoMarkers,
    /// Anything else: left as it was, or written with conflicts kept.
    Left,
}

/// What one repository's index says.
#[derive(Debug, Default)]
struct RepoState {
    op: Option<Operation>,
    /// Unmerged entries by path relative to the top.
    unmerged: HashMap<PathBuf, Unmerged>,
    /// In the order git lists them.
    listed: Vec<PathBuf>,
    announced: bool,
    marked: usize,
}

/// The repositories around one `resolve` run.
pub struct IndexSession {
    cwd: PathBuf,
    repos: Repos,
    /// By index into `repos.list`, loaded when a file of it is first met.
    states: HashMap<usize, RepoState>,
    sizes: HashMap<PathBuf, usize>,
    mark: bool,
    errors: usize,
    /// Written but not marked: the path as shown, and how it should be marked.
    not_marked: Vec<(PathBuf, super::Marking)>,
}

/// `s` quoted for `sh` when it holds anything but safe characters.
fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The labels of the first conflict in the work-tree file `path`; `None`
/// when it has none or is not a regular file that fits the size limit.
fn labels_of(path: &Path) -> Option<MarkerLabels> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_SIZE {
        return None;
    }
    marker_labels(&std::fs::read(path).ok()?)
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
        let repos = Repos::new(&cwd)?;
        if paths.is_empty() && repos.here().is_none() {
            bail!(
                "not inside a git repository, and no paths given: name the conflicted files or folders"
            );
        }
        let mut session = IndexSession {
            cwd,
            repos,
            states: HashMap::new(),
            sizes: HashMap::new(),
            mark,
            errors: 0,
            not_marked: Vec::new(),
        };
        if session.repos.here().is_some() {
            session.load(0, paths.is_empty())?;
        }
        Ok(session)
    }

    /// Reads repository `ri`'s unmerged entries once; `required`: a failure
    /// is fatal (nothing named to fall back on).
    fn load(&mut self, ri: usize, required: bool) -> Result<()> {
        if self.states.contains_key(&ri) {
            return Ok(());
        }
        let repo = &self.repos.list[ri];
        let entries = match repo.unmerged() {
            Ok(e) => e,
            Err(e) if !required => {
                // Named files can still be resolved as plain files.
                warn(&repo.top, &format!("{e:#}; resolving without the index"));
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut state = RepoState::default();
        if !entries.is_empty() {
            let top = repo.top.clone();
            let listed: Vec<PathBuf> = entries.iter().map(|u| u.path.clone()).collect();
            state.op = Some(Operation::detect(&repo.git_dir, || {
                listed.iter().find_map(|rel| labels_of(&top.join(rel)))
            }));
        }
        for u in entries {
            state.listed.push(u.path.clone());
            state.unmerged.insert(u.path.clone(), u);
        }
        self.states.insert(ri, state);
        Ok(())
    }

    /// The repository of `path` (loaded) and the path inside it.
    fn locate(&mut self, path: &Path) -> Option<(usize, PathBuf)> {
        let found = match self.repos.for_file(&self.cwd.join(path)) {
            Ok(f) => f,
            Err(e) => {
                warn(path, &format!("{e:#}; resolving without the index"));
                None
            }
        }?;
        self.load(found.0, false).ok()?;
        Some(found)
    }

    /// The operation in progress in the repository of `path`, when `path` is
    /// unmerged there (what the sides of its markers are called).
    pub fn operation(&mut self, path: &Path) -> Option<Operation> {
        let (ri, rel) = self.locate(path)?;
        let state = self.states.get(&ri)?;
        state.unmerged.get(&rel)?;
        state.op
    }

    /// The unmerged Markdown files of the current folder's repository,
    /// relative to the current folder; says which unmerged files are left
    /// to git because they are not Markdown.
    pub fn unmerged_markdown(&self) -> Vec<PathBuf> {
        let Some(repo) = self.repos.here() else {
            return Vec::new();
        };
        let Some(state) = self.states.get(&0) else {
            return Vec::new();
        };
        let shown: Vec<PathBuf> = state
            .listed
            .iter()
            .map(|rel| relative_to(&repo.top.join(rel), &self.cwd))
            .collect();
        let (md, other): (Vec<&PathBuf>, Vec<&PathBuf>) =
            shown.iter().partition(|p| is_markdown(p));
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

    /// Reads the `conflict-marker-size` attribute of each file from its own
    /// repository (skipped when `--marker-size` is given).
    pub fn load_marker_sizes(&mut self, paths: &[PathBuf]) {
        let mut by_repo: HashMap<usize, Vec<(PathBuf, PathBuf)>> = HashMap::new();
        for p in paths {
            if let Some((ri, rel)) = self.locate(p) {
                by_repo.entry(ri).or_default().push((p.clone(), rel));
            }
        }
        for (ri, files) in by_repo {
            let repo = &self.repos.list[ri];
            let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
            match repo.marker_sizes(&rels, false) {
                Ok(sizes) => {
                    for ((p, _), size) in files.iter().zip(sizes) {
                        if let Some(n) = size {
                            self.sizes.insert(p.clone(), n);
                        }
                    }
                }
                Err(e) => warn(&repo.top, &format!("{e:#}; using the default marker size")),
            }
        }
    }

    /// What git knows about `path`: its marker size, whether it is unmerged,
    /// and its base (index stage 1) when it has one.
    pub fn context(&mut self, path: &Path) -> FileContext {
        self.contexts(std::slice::from_ref(&path.to_path_buf()))
            .pop()
            .unwrap_or_default()
    }

    /// [`IndexSession::context`] for many files, their bases read from each
    /// repository's index in one git call.
    pub fn contexts(&mut self, paths: &[PathBuf]) -> Vec<FileContext> {
        let mut out: Vec<FileContext> = paths
            .iter()
            .map(|p| FileContext {
                marker_size: self.sizes.get(p).copied(),
                ..FileContext::default()
            })
            .collect();
        let mut with_base: HashMap<usize, Vec<(usize, PathBuf)>> = HashMap::new();
        for (i, p) in paths.iter().enumerate() {
            let Some((ri, rel)) = self.locate(p) else {
                continue;
            };
            let state = self.states.get_mut(&ri).expect("loaded by locate");
            if let Some(u) = state.unmerged.get(&rel) {
                out[i].unmerged = true;
                if !state.announced {
                    state.announced = true;
                    if let Some(op) = state.op {
                        eprintln!("{}: {op}", style("git").bold());
                    }
                }
                if u.base().is_some() {
                    with_base.entry(ri).or_default().push((i, rel));
                }
            }
        }
        for (ri, files) in with_base {
            let repo = &self.repos.list[ri];
            let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
            let read = repo.base_texts(&rels, |k, blob| {
                let i = files[k].0;
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
        }
        out
    }

    /// After files were handled: marks the written ones resolved, one git
    /// call per repository, and says so in one line each.
    pub fn after_many(&mut self, done: &[(PathBuf, Handled)]) {
        let mut by_repo: HashMap<usize, Vec<(PathBuf, PathBuf)>> = HashMap::new();
        for (path, handled) in done {
            let Some((ri, rel)) = self.locate(path) else {
                continue;
            };
            if !self.states[&ri].unmerged.contains_key(&rel) {
                continue;
            }
            match handled {
                Handled::NoMarkers => warn(
                    path,
                    "no conflict markers, but git still lists it as unmerged: check it, then `git add` it",
                ),
                Handled::Written if self.mark => {
                    by_repo.entry(ri).or_default().push((path.clone(), rel))
                }
                _ => {}
            }
        }
        for (ri, files) in by_repo {
            let repo = &self.repos.list[ri];
            let state = self.states.get_mut(&ri).expect("loaded by locate");
            let Some(op) = state.op else { continue };
            let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
            match repo.mark_resolved(&rels, op.marking()) {
                Ok((still, message)) => {
                    for (p, rel) in &files {
                        if still.contains(rel) {
                            self.errors += 1;
                            self.not_marked.push((p.clone(), op.marking()));
                            eprintln!(
                                "{}: {}: written, but git could not mark it resolved: {message}",
                                style("error").red().bold(),
                                p.display()
                            );
                        }
                    }
                    let marked = files.len() - still.len();
                    state.marked += marked;
                    let how = match op.marking() {
                        super::Marking::Add => "(git add)",
                        super::Marking::ResetToHead => {
                            "(the changes stay unstaged, as after a clean stash pop)"
                        }
                    };
                    if marked == 0 {
                        // Nothing to report beyond the errors above.
                    } else if files.len() == 1 && done.len() == 1 {
                        eprintln!("  {}", style(format!("marked resolved {how}")).dim());
                    } else {
                        eprintln!("frontmerge: marked {marked} file(s) resolved {how}");
                    }
                }
                Err(e) => {
                    self.errors += 1;
                    for (p, _) in &files {
                        self.not_marked.push((p.clone(), op.marking()));
                    }
                    eprintln!(
                        "{}: {} file(s) written, but git could not mark them resolved: {e:#}",
                        style("error").red().bold(),
                        files.len()
                    );
                }
            }
        }
    }

    /// After one file was handled: marks it resolved when it was written whole.
    pub fn after(&mut self, path: &Path, handled: Handled) {
        self.after_many(&[(path.to_path_buf(), handled)]);
    }

    /// How many files were marked resolved, in every repository.
    pub fn marked(&self) -> usize {
        self.states.values().map(|s| s.marked).sum()
    }

    /// True when marking some file resolved failed.
    pub fn had_errors(&self) -> bool {
        self.errors > 0
    }

    /// The next step in each repository where files were marked, once its
    /// last conflict is resolved. The stash is never dropped here: that
    /// stays the user's call.
    pub fn finish(&self) {
        for how in [super::Marking::Add, super::Marking::ResetToHead] {
            let paths: Vec<String> = self
                .not_marked
                .iter()
                .filter(|(_, m)| *m == how)
                .map(|(p, _)| shell_quote(&p.to_string_lossy()))
                .collect();
            if paths.is_empty() {
                continue;
            }
            let command = match how {
                super::Marking::Add => "git add --",
                super::Marking::ResetToHead => "git reset -q --",
            };
            eprintln!(
                "{}: {} file(s) written but not marked resolved (their new content is in place); \
                 once git can (no other git running, no stale .git/index.lock, the path inside a \
                 sparse checkout), run:\n    {command} {}",
                style("hint").cyan().bold(),
                paths.len(),
                paths.join(" ")
            );
        }
        let mut order: Vec<&usize> = self.states.keys().collect();
        order.sort();
        for ri in order {
            let state = &self.states[ri];
            let (Some(op), true) = (state.op, state.marked > 0) else {
                continue;
            };
            let repo = &self.repos.list[*ri];
            let left = repo.unmerged().map(|u| u.len()).unwrap_or(0);
            let place = if self.repos.is_here(*ri) {
                String::new()
            } else {
                format!(" in {}", relative_to(&repo.top, &self.cwd).display())
            };
            if left > 0 {
                eprintln!("frontmerge: {left} path(s) still unmerged{place} (see `git status`)");
                continue;
            }
            eprintln!(
                "{}: all conflicts resolved{place}: {}",
                style("hint").cyan().bold(),
                op.next_step()
            );
        }
    }
}
