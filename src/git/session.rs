//! The git side of `resolve`: which files to work on (the unmerged Markdown
//! files when no path is given), each file's repository, base (the index's
//! stage 1) and marker size (`conflict-marker-size` attribute), and marking files
//! resolved in their own repository's index once they are written.
//!
//! Each file is handled with the repository that holds it, wherever the
//! command runs; files outside any repository are plain files: no base
//! from the index, nothing marked.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::index::{renamed_apart, RenamedApart};
use super::operation::{marker_labels, MarkerLabels};
use super::{relative_to, GitError, Operation, Repos, Result, Unmerged};
use crate::conflict::marker_size::MarkerSize;
use crate::error::{chain, decode};
use crate::files::{is_markdown, Found, Skipped, MAX_FILE_SIZE};

/// What git knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileContext {
    /// The common ancestor's text (index stage 1), when the path is unmerged.
    pub base: Option<String>,
    /// The `conflict-marker-size` attribute, unless `--marker-size` was given.
    pub marker_size: Option<MarkerSize>,
    /// The path has unmerged entries in the index.
    pub unmerged: bool,
    /// The operation that left it unmerged (what its sides are called).
    pub operation: Option<Operation>,
    /// The kind of that merge (for conditional rules).
    pub kind: Option<super::kind::MergeKind>,
    /// The path's three versions and git's own merge of them, when it is
    /// unmerged with both sides' stages.
    pub stages: Option<super::stages::Stages>,
    /// For a path unmerged with one side's stage missing (a modify/delete
    /// conflict): what happened and what `git add` and `git rm` keep. Such a
    /// file holds no markers and is still a conflict.
    pub one_side_deleted: Option<String>,
    /// For a path of a rename/rename conflict (the old path, deleted on both
    /// sides and absent from the work tree, or a new name): what happened
    /// and how to keep one name. Nothing to read or resolve: the choice is
    /// between names, made with `git add` and `git rm`.
    pub renamed_apart: Option<String>,
    /// Unmerged with a symlink or a submodule on a side: no article, and
    /// the work-tree path never followed.
    pub special: bool,
    /// Unmerged with a stage over the size limit, never read: what to say.
    /// The file is refused, as a work-tree file over the limit is, whatever
    /// its own size (a huge base can leave a small merge).
    pub too_large: Option<String>,
}

/// What the session found worth telling a person, in the order found:
/// `cli` words and prints it ([`IndexSession::take_said`]).
#[derive(Debug)]
pub enum Said {
    /// Something about `path` that did not stop the run (a repository's
    /// index unreadable, no base in the index, a staged copy with markers).
    Warning {
        /// The file or repository it is about.
        path: PathBuf,
        /// What happened, and what was done instead.
        message: String,
    },
    /// A path skipped, and why: a symlink to outside the work tree, or to
    /// a file git ignores.
    Skipped {
        /// The path as shown.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// Unmerged files of the repository that are not Markdown, left to git.
    NotMarkdown(Vec<PathBuf>),
    /// Unmerged paths that are symlinks or submodules in a stage, left to git.
    NotFiles(Vec<PathBuf>),
    /// Files staged with conflict markers (`git add`ed before they were
    /// resolved).
    StagedWithMarkers(Vec<PathBuf>),
    /// The repository has no unmerged Markdown file.
    NoUnmergedMarkdown,
    /// The operation in progress, said once per repository.
    InProgress(Operation),
    /// `path` was written but git could not mark it resolved.
    NotMarked {
        /// The file.
        path: PathBuf,
        /// git's words.
        message: String,
    },
    /// Marking `files` files resolved failed as a whole.
    MarkFailed {
        /// How many files were written.
        files: usize,
        /// Why.
        error: GitError,
    },
    /// `count` files were marked resolved, the way `marking` says; `alone`:
    /// the only file handled (its own line says the rest).
    Marked {
        /// How many.
        count: usize,
        /// How.
        marking: super::Marking,
        /// The only file of the run.
        alone: bool,
    },
    /// Files written but not marked resolved, and the command that marks them.
    MarkLater {
        /// How they are to be marked.
        marking: super::Marking,
        /// In a sparse checkout: `git add` needs `--sparse`.
        sparse: bool,
        /// The paths as shown.
        paths: Vec<PathBuf>,
    },
    /// Files resolved whose staged copy keeps its markers.
    StagedLeft {
        /// How their staged copy is to be updated.
        marking: super::Marking,
        /// In a sparse checkout: `git add` needs `--sparse`.
        sparse: bool,
        /// The paths as shown.
        paths: Vec<PathBuf>,
    },
    /// Paths still unmerged in a repository where files were marked.
    StillUnmerged {
        /// How many.
        left: usize,
        /// The repository, when not the current folder's.
        place: Option<PathBuf>,
    },
    /// Every conflict of a repository resolved: what comes next.
    AllResolved {
        /// The operation in progress there.
        operation: Operation,
        /// After a stash pop/apply, the entry applied (`stash@{1}`), when
        /// the stash list tells it.
        stash: Option<String>,
        /// The repository, when not the current folder's.
        place: Option<PathBuf>,
    },
}

fn warn(said: &mut Vec<Said>, path: &Path, message: &str) {
    said.push(Said::Warning {
        path: path.to_path_buf(),
        message: message.to_owned(),
    });
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
    /// The operation with the branch being merged (MERGE_MSG).
    kind: Option<super::kind::MergeKind>,
    /// Unmerged entries by path relative to the top.
    unmerged: HashMap<PathBuf, Unmerged>,
    /// Its rename/rename conflicts.
    renames: Renames,
    /// In the order git lists them.
    listed: Vec<PathBuf>,
    /// Paths whose staged copy (stage 0) has conflict markers: `git add`ed
    /// before they were resolved.
    staged: HashSet<PathBuf>,
    /// In the order found.
    staged_listed: Vec<PathBuf>,
    /// Paths whose staged copy was looked at (with markers or not).
    staged_checked: HashSet<PathBuf>,
    announced: bool,
    marked: usize,
}

/// The repositories around one `resolve` run.
pub struct IndexSession {
    cwd: PathBuf,
    repos: Repos,
    /// By index into `repos.list`, loaded when a file of it is first met.
    states: HashMap<usize, RepoState>,
    sizes: HashMap<PathBuf, MarkerSize>,
    mark: bool,
    errors: usize,
    /// Written but not marked: the path as shown, and how it should be marked.
    not_marked: Vec<(PathBuf, super::Marking, bool)>,
    /// Resolved in the work tree while the staged copy keeps its markers
    /// (not updated here): the path as shown, and the command that updates it.
    staged_left: Vec<(PathBuf, super::Marking, bool)>,
    /// What to tell a person, not yet taken.
    said: Vec<Said>,
}

/// `s` quoted for `sh` when it holds anything but safe characters.
pub fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The operation in progress in `repo`, whose unmerged paths are `rels`:
/// its state files, or the labels of the first of them with markers (a
/// stash pop leaves no state file). What every screen calls the sides by.
pub fn operation(repo: &super::Repo, rels: impl IntoIterator<Item = PathBuf>) -> Operation {
    Operation::detect(&repo.git_dir, || {
        rels.into_iter()
            .find_map(|rel| labels_of(&repo.top.join(rel)))
    })
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

/// The commit whose version of a file is the base of operation `op` in
/// progress (what git merged the two sides from), as a revision; `None`
/// where git's state does not name one exactly (a stash: which entry was
/// popped is not recorded; several merge bases; an octopus).
fn staged_base_rev(repo: &super::Repo, op: Operation) -> Option<String> {
    let has = |name: &str| repo.git_dir.join(name).is_file();
    match op {
        Operation::Merge => {
            let heads = std::fs::read_to_string(repo.git_dir.join("MERGE_HEAD")).ok()?;
            if heads.lines().count() != 1 {
                return None;
            }
            let mut c = repo.git();
            c.args(["merge-base", "--all", "HEAD", "MERGE_HEAD"]);
            let out = super::ok(c, None).ok()?;
            let text = String::from_utf8(out).ok()?;
            let bases: Vec<&str> = text.lines().collect();
            (bases.len() == 1).then(|| bases[0].to_owned())
        }
        Operation::CherryPick if has("CHERRY_PICK_HEAD") => Some("CHERRY_PICK_HEAD^".into()),
        Operation::Revert if has("REVERT_HEAD") => Some("REVERT_HEAD".into()),
        Operation::Rebase if has("REBASE_HEAD") => Some("REBASE_HEAD^".into()),
        _ => None,
    }
}

/// The command that updates the staged copy of `path` once it is resolved:
/// `git add`, or after a stash pop `git reset -q` (the changes stay
/// unstaged, as after a clean pop).
pub fn staged_command(how: super::Marking, path: &Path, sparse: bool) -> String {
    format!(
        "{} {}",
        marking_command(how, sparse),
        shell_quote(&path.to_string_lossy())
    )
}

/// The command that marks paths resolved, before the paths: in a sparse
/// checkout (`sparse`) `git add` names `--sparse`, which git needs for a
/// path outside the cone and accepts for any other (`git reset` needs none).
pub fn marking_command(how: super::Marking, sparse: bool) -> &'static str {
    match (how, sparse) {
        (super::Marking::Add, false) => "git add --",
        (super::Marking::Add, true) => "git add --sparse --",
        (super::Marking::ResetToHead, _) => "git reset -q --",
    }
}

/// What to do with an unmerged file that holds no markers. After a
/// modify/delete conflict the file is the changed side's version: `git add`
/// keeps it and `git rm` keeps the deletion, whichever side `--prefer` named.
/// In a sparse checkout (`sparse`) the commands name `--sparse`, which git
/// needs for a path outside the cone and accepts for any other.
pub fn without_markers(u: &Unmerged, op: Option<Operation>, path: &Path, sparse: bool) -> String {
    let [up, st] = op.unwrap_or(Operation::Unknown).side_names();
    let quoted = shell_quote(&path.to_string_lossy());
    let flag = if sparse { " --sparse" } else { "" };
    let (deleted, changed) = match (&u.stages[1], &u.stages[2]) {
        // No base: nobody deleted it, one side added it.
        (None, Some(_)) | (Some(_), None) if u.base().is_none() => {
            let added = if u.stages[1].is_some() { up } else { st };
            return format!(
                "only {added} has it (added there, no base; no markers): \
                 `git add{flag} -- {quoted}` keeps it, `git rm{flag} -- {quoted}` drops it"
            );
        }
        (None, Some(_)) => (up, st),
        (Some(_), None) => (st, up),
        _ => {
            return format!(
                "no conflict markers, but git still lists it as unmerged: check it, then run \
                 `git add{flag} -- {quoted}`"
            )
        }
    };
    format!(
        "{deleted} deleted it and {changed} changed it (a modify/delete conflict: no markers, \
         the file is the changed version); `git add{flag} -- {quoted}` keeps the changed version, \
         `git rm{flag} -- {quoted}` keeps the deletion"
    )
}

/// Why a file is refused whose index stages (base, ours, theirs) have the
/// sizes `over` where over the size limit, its sides named as `op` names
/// them; `None` when none is.
fn stages_too_large(over: [Option<u64>; 3], op: Option<Operation>) -> Option<String> {
    let [up, st] = op.unwrap_or(Operation::Unknown).side_names();
    let said: Vec<String> = over
        .into_iter()
        .zip(["its base", up, st])
        .enumerate()
        .filter_map(|(k, (size, name))| {
            Some(format!("{name} (stage {}) is {} bytes", k + 1, size?))
        })
        .collect();
    (!said.is_empty()).then(|| {
        format!(
            "in git's index, {}, {}: never read, the file not merged",
            said.join(" and "),
            crate::files::over_the_limit()
        )
    })
}

/// A repository's rename/rename conflicts (see [`RenamedApart`]), to say
/// what git left at each of their paths.
#[derive(Debug, Default)]
pub struct Renames {
    /// Those whose paths could be paired.
    found: Vec<RenamedApart>,
    /// Some path is deleted on both sides: a path added on one side alone
    /// is then taken for the new name of a rename/rename conflict.
    both_deleted: bool,
}

impl Renames {
    /// The rename/rename conflicts among one repository's unmerged entries.
    pub fn of<'u>(entries: impl IntoIterator<Item = &'u Unmerged>) -> Renames {
        let entries: Vec<&Unmerged> = entries.into_iter().collect();
        Renames {
            found: renamed_apart(entries.iter().copied()),
            both_deleted: entries.iter().any(|u| u.renamed_away()),
        }
    }

    /// What happened at `u` (shown as `path`) and how to keep one name,
    /// when it belongs to a rename/rename conflict; `show` turns a path
    /// relative to the top into one as shown. The other paths are named
    /// when they could be paired, else `git status` is pointed to. In a
    /// sparse checkout (`sparse`) the commands name `--sparse`.
    pub fn note(
        &self,
        u: &Unmerged,
        op: Option<Operation>,
        path: &Path,
        show: impl Fn(&Path) -> PathBuf,
        sparse: bool,
    ) -> Option<String> {
        if u.special || !(u.both_deleted() || (self.both_deleted && u.added_on_one_side())) {
            return None;
        }
        let [up, st] = op.unwrap_or(Operation::Unknown).side_names();
        let flag = if sparse { " --sparse" } else { "" };
        let q = |p: &Path| shell_quote(&p.to_string_lossy());
        let found = self
            .found
            .iter()
            .find(|r| [&r.old, &r.ours, &r.theirs].contains(&&u.path));
        let Some(r) = found else {
            return Some(if u.both_deleted() {
                format!(
                    "deleted on both sides, only its base left in the index: a rename/rename \
                     conflict (each side renamed it to a name of its own; `git status` lists \
                     both names); keep one name: `git add{flag}` it, `git rm{flag}` the other \
                     and `git rm{flag} -- {}`",
                    q(path)
                )
            } else {
                let this = if u.stages[1].is_some() { up } else { st };
                format!(
                    "{this} added it with no base while git lists a path deleted on both sides: \
                     a rename/rename conflict (each side renamed the file to a name of its own; \
                     `git status` lists the other name and the old path); keep one name: \
                     `git add{flag}` it, `git rm{flag}` the other and the old path"
                )
            });
        };
        let (old, ours, theirs) = (q(&show(&r.old)), q(&show(&r.ours)), q(&show(&r.theirs)));
        let keep = |kept: &str, dropped: &str| {
            format!("`git add{flag} -- {kept} && git rm{flag} -- {dropped} {old}`")
        };
        let (keep_ours, keep_theirs) = (keep(&ours, &theirs), keep(&theirs, &ours));
        Some(if u.both_deleted() {
            format!(
                "both sides renamed it: {up} to {ours}, {st} to {theirs} (a rename/rename \
                 conflict: no file under the old name); keep one name: {keep_ours} or \
                 {keep_theirs}"
            )
        } else {
            let ((this, this_name, keep_this), (other, other_name, keep_other)) = {
                let ours = (up, &ours, &keep_ours);
                let theirs = (st, &theirs, &keep_theirs);
                if u.stages[1].is_some() {
                    (ours, theirs)
                } else {
                    (theirs, ours)
                }
            };
            format!(
                "{this} renamed {old} to {this_name} and {other} renamed it to {other_name} \
                 (a rename/rename conflict: each name holds git's merge of the contents, with \
                 conflict markers where the edits clash); keep one name: {keep_this} keeps \
                 this one, {keep_other} the other"
            )
        })
    }
}

impl IndexSession {
    /// Looks at the repository of the current folder. With no `paths`, a
    /// repository is required. `mark`: mark written files resolved.
    pub fn open(paths: &[PathBuf], mark: bool) -> Result<IndexSession> {
        let cwd = std::env::current_dir()?;
        let repos = Repos::new(&cwd)?;
        if paths.is_empty() && repos.here().is_none() {
            return Err(GitError::NoRepository);
        }
        let mut session = IndexSession {
            cwd,
            repos,
            states: HashMap::new(),
            sizes: HashMap::new(),
            mark,
            errors: 0,
            not_marked: Vec::new(),
            staged_left: Vec::new(),
            said: Vec::new(),
        };
        if session.repos.here().is_some() {
            session.load(0, paths.is_empty())?;
            if paths.is_empty() {
                session.find_staged(0)?;
            }
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
                let top = repo.top.clone();
                warn(
                    &mut self.said,
                    &top,
                    &format!("{}; resolving without the index", chain(&e)),
                );
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut state = RepoState::default();
        if !entries.is_empty() {
            // Only files: a link's target is not the repository's to read.
            let listed = entries
                .iter()
                .filter(|u| !u.special)
                .map(|u| u.path.clone());
            state.op = Some(operation(repo, listed));
            state.kind = state
                .op
                .map(|op| super::kind::in_progress(&repo.git_dir, op));
        }
        state.renames = Renames::of(&entries);
        for u in entries {
            state.listed.push(u.path.clone());
            state.unmerged.insert(u.path.clone(), u);
        }
        self.states.insert(ri, state);
        Ok(())
    }

    /// Finds the Markdown files of repository `ri` whose staged copy has
    /// conflict markers (no unmerged entries left to find them by).
    fn find_staged(&mut self, ri: usize) -> Result<()> {
        let repo = &self.repos.list[ri];
        let state = self.states.get(&ri).expect("loaded");
        let candidates: Vec<PathBuf> = repo
            .staged_markdown(&[])?
            .into_iter()
            .filter(|rel| !state.unmerged.contains_key(rel))
            .collect();
        self.note_staged(ri, &candidates)?;
        Ok(())
    }

    /// Records which of `rels` (in repository `ri`) are staged with conflict
    /// markers; the operation, when no unmerged file told it, is judged by
    /// their labels. Returns them.
    fn note_staged(&mut self, ri: usize, rels: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let repo = &self.repos.list[ri];
        let found = repo.staged_with_markers(rels)?;
        let state = self.states.get_mut(&ri).expect("loaded");
        state.staged_checked.extend(rels.iter().cloned());
        if state.op.is_none() {
            if let Some((_, labels)) = found.first() {
                let labels = *labels;
                state.op = Some(Operation::detect(&repo.git_dir, || Some(labels)));
                state.kind = state
                    .op
                    .map(|op| super::kind::in_progress(&repo.git_dir, op));
            }
        }
        let mut out = Vec::new();
        for (rel, _) in found {
            if state.staged.insert(rel.clone()) {
                state.staged_listed.push(rel.clone());
            }
            out.push(rel);
        }
        Ok(out)
    }

    /// The repository of `path` (loaded) and the path inside it.
    fn locate(&mut self, path: &Path) -> Option<(usize, PathBuf)> {
        let found = match self.repos.for_file(&self.cwd.join(path)) {
            Ok(f) => f,
            Err(e) => {
                warn(
                    &mut self.said,
                    path,
                    &format!("{}; resolving without the index", chain(&e)),
                );
                None
            }
        }?;
        self.load(found.0, false).ok()?;
        Some(found)
    }

    /// The named paths that do not exist (`missing`: each with why) split:
    /// those the index holds unmerged without a file, the old name of a
    /// rename/rename conflict (deleted on both sides), which are that
    /// conflict as without paths, and the others, missing.
    pub fn unmerged_without_file(
        &mut self,
        missing: Vec<(PathBuf, String)>,
    ) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
        let (gone, missing): (Vec<_>, Vec<_>) =
            missing.into_iter().partition(|(p, _)| self.renamed_away(p));
        (gone.into_iter().map(|(p, _)| p).collect(), missing)
    }

    /// Whether `path`, which has no file, is unmerged in its repository's
    /// index as the old name of a rename/rename conflict.
    fn renamed_away(&mut self, path: &Path) -> bool {
        if std::fs::symlink_metadata(self.cwd.join(path)).is_ok() {
            return false;
        }
        let Some((ri, rel)) = self.locate(path) else {
            return false;
        };
        self.states[&ri]
            .unmerged
            .get(&rel)
            .is_some_and(Unmerged::renamed_away)
    }

    /// Whether `path` is a symlink that its repository's index holds
    /// unmerged with a symlink or a submodule on a side (named by the
    /// person, it is still never followed).
    fn unmerged_link(&mut self, path: &Path) -> bool {
        let abs = self.cwd.join(path);
        if !std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) {
            return false;
        }
        let Ok(Some((ri, rel))) = self.repos.for_link_itself(&abs) else {
            return false;
        };
        self.load(ri, false).is_ok()
            && self.states[&ri]
                .unmerged
                .get(&rel)
                .is_some_and(|u| u.special)
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
    pub fn unmerged_markdown(&mut self) -> Vec<PathBuf> {
        let Some(repo) = self.repos.here() else {
            return Vec::new();
        };
        let Some(state) = self.states.get(&0) else {
            return Vec::new();
        };
        // A symlink or submodule conflict is git's (a link's target, a
        // commit), whatever its name: never followed to a file.
        let show = |rels: Vec<&PathBuf>| -> Vec<PathBuf> {
            rels.into_iter()
                .map(|rel| relative_to(&repo.top.join(rel), &self.cwd))
                .collect()
        };
        let (special, files): (Vec<&PathBuf>, Vec<&PathBuf>) = state
            .listed
            .iter()
            .partition(|rel| state.unmerged.get(*rel).is_some_and(|u| u.special));
        let (shown, special) = (show(files), show(special));
        let (md, other): (Vec<&PathBuf>, Vec<&PathBuf>) =
            shown.iter().partition(|p| is_markdown(p));
        if !special.is_empty() {
            self.said.push(Said::NotFiles(special));
        }
        if !other.is_empty() {
            self.said
                .push(Said::NotMarkdown(other.into_iter().cloned().collect()));
        }
        let staged: Vec<PathBuf> = state
            .staged_listed
            .iter()
            .map(|rel| relative_to(&repo.top.join(rel), &self.cwd))
            .collect();
        if !staged.is_empty() {
            self.said.push(Said::StagedWithMarkers(staged.clone()));
        }
        if md.is_empty() && staged.is_empty() {
            self.said.push(Said::NoUnmergedMarkdown);
        }
        // A link in the work tree to a file outside it (or hidden in it, or
        // one git ignores) is not the repository's to have written: skipped
        // and named.
        let mut outside = crate::files::Skipped::default();
        let inside: Vec<PathBuf> = md
            .into_iter()
            .cloned()
            .chain(staged)
            .filter(
                |p| match crate::files::link_away(&self.cwd.join(p), &repo.top) {
                    Some(why) => {
                        outside.away_link(p, why);
                        false
                    }
                    None => true,
                },
            )
            .collect();
        let left_out = self.ignored_links(&inside, &mut outside);
        for (path, why) in outside.take_warnings() {
            self.said.push(Said::Skipped { path, why });
        }
        inside
            .into_iter()
            .filter(|p| !left_out.contains(p))
            .collect()
    }

    /// Which of `paths` (from the current folder) are symlinks to a file
    /// git ignores, recorded in `skipped`: git asked once, and not at all
    /// when none is a link.
    fn ignored_links(&mut self, paths: &[PathBuf], skipped: &mut Skipped) -> HashSet<PathBuf> {
        let links: Vec<(PathBuf, PathBuf)> = paths
            .iter()
            .filter_map(|p| {
                let abs = self.cwd.join(p);
                let link = std::fs::symlink_metadata(&abs)
                    .ok()?
                    .file_type()
                    .is_symlink();
                link.then(|| Some((p.clone(), std::fs::canonicalize(&abs).ok()?)))?
            })
            .collect();
        crate::files::links_to_skip(&links, skipped, |t| self.repos.ignored_targets(t))
    }

    /// [`crate::files::expand_counting`] of the paths named: a link a walk
    /// finds to a file git ignores is skipped, its repository asked once.
    pub fn expand(&mut self, paths: &[PathBuf]) -> (Vec<Found>, Vec<(PathBuf, String)>, Skipped) {
        crate::files::expand_counting(paths, |t| self.repos.ignored_targets(t))
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
                Err(e) => {
                    let top = repo.top.clone();
                    warn(
                        &mut self.said,
                        &top,
                        &format!("{}; using the default marker size", chain(&e)),
                    );
                }
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
        let mut loose: HashMap<usize, Vec<(usize, PathBuf)>> = HashMap::new();
        for (i, p) in paths.iter().enumerate() {
            if self.unmerged_link(p) {
                out[i].unmerged = true;
                out[i].special = true;
                continue;
            }
            let Some((ri, rel)) = self.locate(p) else {
                continue;
            };
            let state = self.states.get_mut(&ri).expect("loaded by locate");
            if let Some(u) = state.unmerged.get(&rel) {
                out[i].unmerged = true;
                out[i].operation = state.op;
                out[i].kind = state.kind.clone();
                if u.special {
                    out[i].special = true;
                    continue;
                }
                let repo = &self.repos.list[ri];
                let show = |rel: &Path| relative_to(&repo.top.join(rel), &self.cwd);
                let renamed = state.renames.note(u, state.op, p, show, repo.sparse());
                if renamed.is_none() && u.one_side_deleted() {
                    let sparse = repo.sparse();
                    out[i].one_side_deleted = Some(without_markers(u, state.op, p, sparse));
                }
                if !state.announced {
                    state.announced = true;
                    if let Some(op) = state.op {
                        self.said.push(Said::InProgress(op));
                    }
                }
                if renamed.is_some() {
                    // No versions to read: the choice is between names.
                    out[i].renamed_apart = renamed;
                    continue;
                }
                if u.base().is_some() || (u.stages[1].is_some() && u.stages[2].is_some()) {
                    with_base.entry(ri).or_default().push((i, rel));
                }
            } else {
                loose.entry(ri).or_default().push((i, rel));
            }
        }
        for (ri, files) in loose {
            self.staged_contexts(ri, files, &mut out);
        }
        for (ri, files) in with_base {
            self.stage_contexts(ri, files, paths, &mut out);
        }
        out
    }

    /// The contexts of `files` (`(index in out, path in the repository)`)
    /// of repository `ri` that are not unmerged: those `git add`ed with their
    /// markers during the operation get its names for the sides, and the
    /// base its state files name.
    fn staged_contexts(
        &mut self,
        ri: usize,
        files: Vec<(usize, PathBuf)>,
        out: &mut [FileContext],
    ) {
        let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
        let unchecked: Vec<PathBuf> = {
            let state = &self.states[&ri];
            rels.iter()
                .filter(|r| !state.staged_checked.contains(*r))
                .cloned()
                .collect()
        };
        if let Err(e) = self.note_staged(ri, &unchecked) {
            let top = self.repos.list[ri].top.clone();
            warn(
                &mut self.said,
                &top,
                &format!(
                    "{}; staged copies not checked for conflict markers",
                    chain(&e)
                ),
            );
            return;
        }
        let state = &self.states[&ri];
        let staged: Vec<(usize, PathBuf)> = files
            .into_iter()
            .filter(|(_, rel)| state.staged.contains(rel))
            .collect();
        for (i, _) in &staged {
            out[*i].operation = state.op;
            out[*i].kind = state.kind.clone();
        }
        let repo = &self.repos.list[ri];
        let Some(rev) = state.op.and_then(|op| staged_base_rev(repo, op)) else {
            return;
        };
        let rels: Vec<PathBuf> = staged.iter().map(|(_, r)| r.clone()).collect();
        // Only where git converts nothing on checkout: a committed blob
        // is then byte for byte what the sides were merged from. One over
        // the size limit is not read: compared two ways.
        let read = repo.unfiltered_blobs(&format!("{rev}:"), &rels, |k, blob| {
            let i = staged[k].0;
            if let Some(Ok(text)) = blob.map(|b| decode(&b).map(str::to_owned)) {
                out[i].base = Some(text);
            }
            Ok::<(), GitError>(())
        });
        if let Err(e) = read {
            warn(
                &mut self.said,
                &repo.top,
                &format!("{}; comparing two ways", chain(&e)),
            );
        }
    }

    /// The contexts of the unmerged `files` (`(index in out, path in the
    /// repository)`) of repository `ri` that have a base or both sides: the
    /// three versions and git's merge of them from the index's stages, else
    /// (when a version is not UTF-8 text) the base alone.
    fn stage_contexts(
        &mut self,
        ri: usize,
        files: Vec<(usize, PathBuf)>,
        paths: &[PathBuf],
        out: &mut [FileContext],
    ) {
        let repo = &self.repos.list[ri];
        let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
        let unmerged = &self.states[&ri].unmerged;
        let ids: Vec<[Option<String>; 3]> = rels
            .iter()
            .map(|r| {
                unmerged
                    .get(r)
                    .map(|u| u.stages.clone())
                    .unwrap_or_default()
            })
            .collect();
        let op = self.states[&ri].op;
        // Both sides' stages: the three versions and git's merge of them.
        match repo.stage_texts(&rels, &ids) {
            Ok(all) => {
                for (k, t) in all.into_iter().enumerate() {
                    // Not read: the file is refused, not merged from its
                    // markers with no stages (it has them).
                    if let Some(why) = stages_too_large(t.too_large, op) {
                        out[files[k].0].too_large = Some(why);
                        continue;
                    }
                    // SIMD validation and a copy: std's validator is
                    // several times slower on non-ASCII prose.
                    let text = |b: Option<Vec<u8>>| {
                        b.and_then(|b| simdutf8::basic::from_utf8(&b).ok().map(str::to_owned))
                    };
                    let [base, ours, theirs] = t.stages;
                    let (Some(ours), Some(theirs), Some(diff3)) =
                        (text(ours), text(theirs), text(t.diff3))
                    else {
                        continue;
                    };
                    out[files[k].0].base = text(base.clone());
                    out[files[k].0].stages = Some(super::stages::Stages {
                        base: text(base),
                        ours,
                        theirs,
                        diff3,
                    });
                }
            }
            Err(e) => warn(
                &mut self.said,
                &repo.top,
                &format!("{}; comparing from the markers", chain(&e)),
            ),
        }
        let files: Vec<(usize, PathBuf)> = files
            .into_iter()
            .filter(|(i, _)| out[*i].stages.is_none() && out[*i].too_large.is_none())
            .collect();
        let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
        let read = repo.base_texts(&rels, |k, blob| {
            let i = files[k].0;
            let path = &paths[i];
            match blob.map(|b| decode(&b).map(str::to_owned)) {
                // Parsed once, by the pipeline, and only when the markers
                // have no base of their own; an unreadable one is noted there.
                Some(Ok(text)) => out[i].base = Some(text),
                Some(Err(e)) => warn(
                    &mut self.said,
                    path,
                    &format!("the base in the index: {e}; comparing two ways"),
                ),
                None => warn(
                    &mut self.said,
                    path,
                    "no base in the index; comparing two ways",
                ),
            }
            Ok::<(), GitError>(())
        });
        match read {
            // Sized first, not read (when the stages could not be): refused.
            Ok(over) => {
                for (k, size) in over {
                    out[files[k].0].too_large = stages_too_large([Some(size), None, None], op);
                }
            }
            Err(e) => warn(
                &mut self.said,
                &repo.top,
                &format!("{}; comparing two ways", chain(&e)),
            ),
        }
    }

    /// After files were handled: marks the written ones resolved, one git
    /// call per repository, and says so in one line each.
    pub fn after_many(&mut self, done: &[(PathBuf, Handled)]) {
        let mut by_repo: HashMap<usize, Vec<(PathBuf, PathBuf)>> = HashMap::new();
        let mut located: Vec<(usize, PathBuf, &PathBuf, Handled)> = Vec::new();
        // Files not unmerged whose staged copy was not looked at yet
        // (named ones): is it staged with markers?
        let mut unknown: HashMap<usize, Vec<PathBuf>> = HashMap::new();
        for (path, handled) in done {
            let Some((ri, rel)) = self.locate(path) else {
                continue;
            };
            let state = &self.states[&ri];
            if !state.unmerged.contains_key(&rel) && !state.staged_checked.contains(&rel) {
                unknown.entry(ri).or_default().push(rel.clone());
            }
            located.push((ri, rel, path, *handled));
        }
        for (ri, rels) in unknown {
            if let Err(e) = self.note_staged(ri, &rels) {
                let top = self.repos.list[ri].top.clone();
                warn(
                    &mut self.said,
                    &top,
                    &format!(
                        "{}; staged copies not checked for conflict markers",
                        chain(&e)
                    ),
                );
            }
        }
        for (ri, rel, path, handled) in located {
            let state = &self.states[&ri];
            if state.staged.contains(&rel) {
                let how = state.op.map_or(super::Marking::Add, |op| op.marking());
                let sparse = how == super::Marking::Add && self.repos.list[ri].sparse();
                match handled {
                    Handled::Written if self.mark && how == super::Marking::Add => {
                        by_repo.entry(ri).or_default().push((path.clone(), rel))
                    }
                    Handled::Written => self.staged_left.push((path.clone(), how, sparse)),
                    Handled::NoMarkers => warn(&mut self.said,
                        path,
                        &format!(
                            "no conflict markers in the file, but its staged copy has them: check it, then run `{}`",
                            staged_command(how, path, sparse)
                        ),
                    ),
                    Handled::Left => warn(&mut self.said,
                        path,
                        &format!(
                            "its staged copy has conflict markers too: once the file is resolved, run `{}`",
                            staged_command(how, path, sparse)
                        ),
                    ),
                }
                continue;
            }
            let Some(u) = state.unmerged.get(&rel) else {
                continue;
            };
            match handled {
                Handled::NoMarkers => {
                    let sparse = self.repos.list[ri].sparse();
                    warn(
                        &mut self.said,
                        path,
                        &without_markers(u, state.op, path, sparse),
                    )
                }
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
            let sparse = op.marking() == super::Marking::Add && repo.sparse();
            let rels: Vec<PathBuf> = files.iter().map(|(_, r)| r.clone()).collect();
            match repo.mark_resolved(&rels, op.marking()) {
                Ok((still, message)) => {
                    for (p, rel) in &files {
                        if still.contains(rel) {
                            self.errors += 1;
                            self.not_marked.push((p.clone(), op.marking(), sparse));
                            self.said.push(Said::NotMarked {
                                path: p.clone(),
                                message: message.clone(),
                            });
                        }
                    }
                    let marked = files.len() - still.len();
                    state.marked += marked;
                    if marked > 0 {
                        self.said.push(Said::Marked {
                            count: marked,
                            marking: op.marking(),
                            alone: files.len() == 1 && done.len() == 1,
                        });
                    }
                }
                Err(e) => {
                    self.errors += 1;
                    for (p, _) in &files {
                        self.not_marked.push((p.clone(), op.marking(), sparse));
                    }
                    self.said.push(Said::MarkFailed {
                        files: files.len(),
                        error: e,
                    });
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
    /// last conflict is resolved, and the commands for what git could not
    /// mark. The stash is never dropped here: that stays the user's call.
    pub fn finish(&mut self) {
        let kinds = [
            (super::Marking::Add, false),
            (super::Marking::Add, true),
            (super::Marking::ResetToHead, false),
        ];
        let of = |list: &[(PathBuf, super::Marking, bool)], marking, sparse| -> Vec<PathBuf> {
            list.iter()
                .filter(|(_, m, s)| *m == marking && *s == sparse)
                .map(|(p, _, _)| p.clone())
                .collect()
        };
        for (marking, sparse) in kinds {
            let paths = of(&self.not_marked, marking, sparse);
            if !paths.is_empty() {
                self.said.push(Said::MarkLater {
                    marking,
                    sparse,
                    paths,
                });
            }
        }
        for (marking, sparse) in kinds {
            let paths = of(&self.staged_left, marking, sparse);
            if !paths.is_empty() {
                self.said.push(Said::StagedLeft {
                    marking,
                    sparse,
                    paths,
                });
            }
        }
        let mut order: Vec<&usize> = self.states.keys().collect();
        order.sort();
        for ri in order {
            let state = &self.states[ri];
            let (Some(operation), true) = (state.op, state.marked > 0) else {
                continue;
            };
            let repo = &self.repos.list[*ri];
            let left = repo.unmerged().map(|u| u.len()).unwrap_or(0);
            let place = (!self.repos.is_here(*ri)).then(|| relative_to(&repo.top, &self.cwd));
            let stash = (left == 0 && operation == Operation::Stash)
                .then(|| {
                    // The stashed side of each path as git listed it before
                    // it was marked: the stash entry holds those blobs.
                    let theirs: Vec<(PathBuf, String)> = state
                        .listed
                        .iter()
                        .filter_map(|rel| {
                            let u = state.unmerged.get(rel).filter(|u| !u.special)?;
                            Some((rel.clone(), u.stages[2].clone()?))
                        })
                        .collect();
                    repo.applied_stash(&theirs)
                })
                .flatten();
            self.said.push(if left > 0 {
                Said::StillUnmerged { left, place }
            } else {
                Said::AllResolved {
                    operation,
                    stash,
                    place,
                }
            });
        }
    }

    /// What the session found to tell since the last call, in order.
    pub fn take_said(&mut self) -> Vec<Said> {
        std::mem::take(&mut self.said)
    }
}
