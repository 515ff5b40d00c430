//! The index and the object store: unmerged entries, staged and committed
//! contents, the base (stage 1) of a conflict, and marking paths resolved.
//! Every path is relative to the work tree's top.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::batch::{batchable, cat_file_batch, cat_file_one, cat_file_size_one, cat_file_sizes};
use super::operation::{marker_labels, MarkerLabels};
use super::{nul_input, nul_paths, ok, path_from_bytes, run, GitError, Marking, Repo, Result};
use crate::conflict::fences::{may_hold_examples, Examples};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::{has_open_marker, scan_except, Chunk};
use crate::files::{is_markdown, MAX_FILE_SIZE};

/// One unmerged path of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmerged {
    /// The path relative to the top of the work tree.
    pub path: PathBuf,
    /// Object ids of stage 1 (base), 2 (ours: upstream), 3 (theirs: stashed).
    pub stages: [Option<String>; 3],
    /// A stage is no regular file: a symlink (mode 120000) or a submodule
    /// (160000). Such a conflict is about a link's target or a commit, not
    /// an article's text: git's to resolve, and never a file to follow.
    pub special: bool,
}

impl Unmerged {
    /// The base's object id, when the path has one (not for add/add conflicts).
    pub fn base(&self) -> Option<&str> {
        self.stages[0].as_deref()
    }

    /// One side's stage missing, the other's there: a modify/delete
    /// conflict (the file holds no markers and is still a conflict).
    pub fn one_side_deleted(&self) -> bool {
        self.stages[1].is_none() != self.stages[2].is_none()
    }

    /// The base's stage alone: deleted on both sides. git leaves a path so
    /// only in a rename/rename conflict (each side renamed it to a name of
    /// its own), with no file in the work tree.
    pub fn both_deleted(&self) -> bool {
        self.stages[0].is_some() && self.stages[1].is_none() && self.stages[2].is_none()
    }

    /// A text file's old name in a rename/rename conflict ([`Self::both_deleted`],
    /// no symlink or submodule on a side): the conflict a person names by it.
    pub fn renamed_away(&self) -> bool {
        !self.special && self.both_deleted()
    }

    /// One side's stage alone, no base: the path was added on that side
    /// only (in a rename/rename conflict, the name that side renamed to).
    pub fn added_on_one_side(&self) -> bool {
        self.stages[0].is_none() && self.one_side_deleted()
    }
}

/// A rename/rename conflict: both sides renamed one file, each to a name
/// of its own. git leaves the old path deleted on both sides and each new
/// name added on its side alone, both holding git's merge of the contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenamedApart {
    /// The path both sides renamed.
    pub old: PathBuf,
    /// The name ours (upstream) gave it.
    pub ours: PathBuf,
    /// The name theirs (stashed) gave it.
    pub theirs: PathBuf,
}

/// The rename/rename conflicts among one repository's unmerged entries, as
/// far as they can be told apart: the index does not pair the paths, so a
/// path is paired only when that is certain. One path deleted on both sides
/// and one added on each side make one conflict; among several, an old path
/// pairs with the names whose blob is its base (renames without edits), when
/// exactly one on each side.
pub fn renamed_apart<'u>(entries: impl IntoIterator<Item = &'u Unmerged>) -> Vec<RenamedApart> {
    let entries: Vec<&Unmerged> = entries.into_iter().filter(|u| !u.special).collect();
    let old: Vec<&Unmerged> = entries
        .iter()
        .copied()
        .filter(|u| u.both_deleted())
        .collect();
    let added = |side: usize| -> Vec<&Unmerged> {
        entries
            .iter()
            .copied()
            .filter(|u| u.added_on_one_side() && u.stages[side].is_some())
            .collect()
    };
    let (ours, theirs) = (added(1), added(2));
    if let ([o], [a], [b]) = (&old[..], &ours[..], &theirs[..]) {
        return vec![RenamedApart {
            old: o.path.clone(),
            ours: a.path.clone(),
            theirs: b.path.clone(),
        }];
    }
    let same = |list: &[&Unmerged], side: usize, blob: &Option<String>| -> Option<PathBuf> {
        let found: Vec<&&Unmerged> = list.iter().filter(|u| u.stages[side] == *blob).collect();
        match found[..] {
            [one] => Some(one.path.clone()),
            _ => None,
        }
    };
    old.iter()
        .filter_map(|o| {
            Some(RenamedApart {
                old: o.path.clone(),
                ours: same(&ours, 1, &o.stages[0])?,
                theirs: same(&theirs, 2, &o.stages[0])?,
            })
        })
        .collect()
}

/// Parses `git ls-files -u -z`: `<mode> <oid> <stage>\t<path>\0`, grouped by path.
pub fn parse_unmerged(bytes: &[u8]) -> Vec<Unmerged> {
    let mut out: Vec<Unmerged> = Vec::new();
    for rec in bytes.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let Some(tab) = rec.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let meta = String::from_utf8_lossy(&rec[..tab]);
        let path = path_from_bytes(&rec[tab + 1..]);
        let mut meta = meta.split(' ');
        let (Some(mode), Some(oid), Some(stage)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        let Some(slot) = stage.parse::<usize>().ok().and_then(|s| s.checked_sub(1)) else {
            continue;
        };
        if slot > 2 {
            continue;
        }
        if out.last().is_none_or(|u| u.path != path) {
            out.push(Unmerged {
                path,
                stages: Default::default(),
                special: false,
            });
        }
        if let Some(u) = out.last_mut() {
            u.stages[slot] = Some(oid.to_owned());
            u.special |= !matches!(mode, "100644" | "100755");
        }
    }
    out
}

/// Blobs over the size limit, not read: `(index in the paths asked, size)`.
pub type TooLarge = Vec<(usize, u64)>;

/// Which version of a file to read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// The index: what the next commit will hold.
    Index,
    /// The last commit.
    Head,
}

impl Repo {
    /// Every unmerged path of the repository.
    pub fn unmerged(&self) -> Result<Vec<Unmerged>> {
        let mut c = self.git();
        c.args(["ls-files", "-u", "-z"]);
        Ok(parse_unmerged(&ok(c, None)?))
    }

    /// Markdown files staged for commit (added, copied, modified, renamed,
    /// unmerged; not deleted), limited to `pathspecs` when given.
    pub fn staged_markdown(&self, pathspecs: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let mut c = self.git();
        c.args([
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=d",
            "--",
        ])
        .args(pathspecs);
        let out = ok(c, None)?;
        Ok(nul_paths(&out).filter(|p| is_markdown(p)).collect())
    }

    /// Every tracked Markdown file, once each.
    pub fn tracked_markdown(&self) -> Result<Vec<PathBuf>> {
        let mut c = self.git();
        c.args(["ls-files", "-z"]);
        let out = ok(c, None)?;
        let mut seen = HashSet::new();
        // An unmerged file is listed once per stage.
        Ok(nul_paths(&out)
            .filter(|p| is_markdown(p) && seen.insert(p.clone()))
            .collect())
    }

    /// Paths whose staged (`staged`) or work-tree content differs from HEAD:
    /// one `git diff --name-only`, which trusts the index's stat data
    /// instead of reading unchanged files.
    pub fn changed_since_head(&self, staged: bool) -> Result<HashSet<PathBuf>> {
        let mut c = self.git();
        c.args(["diff", "--name-only", "-z", "--no-renames"]);
        if staged {
            c.arg("--cached");
        }
        c.args(["HEAD", "--"]);
        let out = ok(c, None)?;
        Ok(nul_paths(&out).collect())
    }

    /// True when `rel` has unmerged (conflicted) entries in the index.
    pub fn is_unmerged(&self, rel: &Path) -> Result<bool> {
        let mut c = self.git();
        c.args(["ls-files", "-u", "-z", "--"]).arg(rel);
        Ok(!ok(c, None)?.is_empty())
    }

    /// The contents of each path in the index or at HEAD: `None` where that
    /// version has no such file, or one over the size limit (not read).
    pub fn blobs(&self, rels: &[PathBuf], version: Version) -> Result<Vec<Option<Vec<u8>>>> {
        let mut out = vec![None; rels.len()];
        self.each_blob(rels, version, |i, blob| {
            out[i] = blob;
            Ok::<(), GitError>(())
        })?;
        Ok(out)
    }

    /// Streams the contents of each path to `each(index in rels, content)`,
    /// one blob in memory at a time, in no promised order. A blob over the
    /// size limit is not read (see [`Repo::raw_blobs`]): returned instead.
    pub fn each_blob<E: From<GitError>>(
        &self,
        rels: &[PathBuf],
        version: Version,
        each: impl FnMut(usize, Option<Vec<u8>>) -> Result<(), E>,
    ) -> Result<TooLarge, E> {
        let prefix = match version {
            Version::Index => ":",
            Version::Head => "HEAD:",
        };
        self.raw_blobs(prefix, rels, each)
    }

    /// Blobs named `prefix` + path: one `cat-file --batch` for the names a
    /// batch line can carry, one `cat-file blob` each for the others
    /// (newlines, non-UTF-8 bytes). Their sizes are asked first: a blob
    /// over the size limit (hundreds of MB can compress to a few in `.git`)
    /// is never read, and `each` is not called for it. Returns those, as
    /// `(index in rels, size)`, for the caller to say why.
    fn raw_blobs<E: From<GitError>>(
        &self,
        prefix: &str,
        rels: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<(), E>,
    ) -> Result<TooLarge, E> {
        let (fit, over) = self.fitting(prefix, rels)?;
        let (batch, single): (Vec<usize>, Vec<usize>) =
            fit.into_iter().partition(|&i| batchable(&rels[i]));
        let specs: Vec<String> = batch
            .iter()
            .map(|&i| format!("{prefix}{}", rels[i].to_string_lossy()))
            .collect();
        let refs: Vec<&String> = specs.iter().collect();
        let mut k = 0;
        cat_file_batch(self.git(), &[], &refs, |blob| {
            let i = batch[k];
            k += 1;
            each(i, blob)
        })?;
        for i in single {
            each(i, cat_file_one(self.git(), prefix, &rels[i])?)?;
        }
        Ok(over)
    }

    /// The paths whose blob `prefix` + path fits the size limit (or git has
    /// none), and the others with their sizes: indices into `rels`.
    fn fitting(&self, prefix: &str, rels: &[PathBuf]) -> Result<(Vec<usize>, TooLarge)> {
        let mut fit = Vec::new();
        let mut over = Vec::new();
        for (i, size) in self.blob_sizes(prefix, rels)?.into_iter().enumerate() {
            match size {
                Some(size) if size > MAX_FILE_SIZE => over.push((i, size)),
                _ => fit.push(i),
            }
        }
        Ok((fit, over))
    }

    /// The size of each blob `prefix` + path, `None` where git has none:
    /// one `cat-file --batch-check` for the names a batch line can carry,
    /// one `cat-file -s` each for the others.
    fn blob_sizes(&self, prefix: &str, rels: &[PathBuf]) -> Result<Vec<Option<u64>>> {
        let (batch, single): (Vec<usize>, Vec<usize>) =
            (0..rels.len()).partition(|&i| batchable(&rels[i]));
        let specs: Vec<String> = batch
            .iter()
            .map(|&i| format!("{prefix}{}", rels[i].to_string_lossy()))
            .collect();
        let refs: Vec<&String> = specs.iter().collect();
        let mut out = vec![None; rels.len()];
        for (&i, size) in batch.iter().zip(cat_file_sizes(self.git(), &refs)?) {
            out[i] = size;
        }
        for i in single {
            out[i] = cat_file_size_one(self.git(), prefix, &rels[i])?;
        }
        Ok(out)
    }

    /// The clean versions of `rel` git holds: HEAD's, and while it is
    /// unmerged the index's stages 1 to 3 (base, ours, theirs). Absent ones
    /// are left out; all are read in one `git cat-file --batch`.
    pub fn clean_versions(&self, rel: &Path) -> Result<Vec<Vec<u8>>> {
        let prefixes = ["HEAD:", ":1:", ":2:", ":3:"];
        let mut out = Vec::new();
        // A version over the size limit (a blob of hundreds of MB can
        // compress to a few in `.git`) is not read: no example in it counts.
        let fits = |size: Option<u64>| size.is_some_and(|s| s <= crate::files::MAX_FILE_SIZE);
        if batchable(rel) {
            let specs: Vec<String> = prefixes
                .iter()
                .map(|p| format!("{p}{}", rel.to_string_lossy()))
                .collect();
            let specs: Vec<&String> = specs.iter().collect();
            let sizes = super::batch::cat_file_sizes(self.git(), &specs)?;
            let specs: Vec<&String> = specs
                .into_iter()
                .zip(sizes)
                .filter(|(_, size)| fits(*size))
                .map(|(spec, _)| spec)
                .collect();
            cat_file_batch(self.git(), &[], &specs, |blob| {
                out.extend(blob);
                Ok::<(), GitError>(())
            })?;
        } else {
            for p in prefixes {
                if fits(super::batch::cat_file_size_one(self.git(), p, rel)?) {
                    out.extend(cat_file_one(self.git(), p, rel)?);
                }
            }
        }
        Ok(out)
    }

    /// The base (index stage 1) of each path as it would be checked out
    /// (line endings and smudge filters applied, like the work-tree file),
    /// streamed to `each(index in rels, text)`; `None` where git has no
    /// base. Paths no filter applies to (the usual case) are read raw; the
    /// others through one `git checkout-index --temp`, which applies the
    /// filters: git writes each base to a temporary file at the top of the
    /// work tree, read and removed at once. A base over the size limit is
    /// neither read nor written out: returned, with its size, not streamed.
    pub fn base_texts<E: From<GitError>>(
        &self,
        rels: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<(), E>,
    ) -> Result<TooLarge, E> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let (cooked, mut over) = self.unfiltered_blobs(":1:", rels, &mut each)?;
        let cooked_rels: Vec<PathBuf> = cooked.iter().map(|&i| rels[i].clone()).collect();
        let (fit, cooked_over) = self.fitting(":1:", &cooked_rels)?;
        over.extend(cooked_over.into_iter().map(|(k, size)| (cooked[k], size)));
        let fit: Vec<usize> = fit.into_iter().map(|k| cooked[k]).collect();
        let fit_rels: Vec<PathBuf> = fit.iter().map(|&i| rels[i].clone()).collect();
        self.checked_out_bases(&fit_rels, |k, blob| each(fit[k], blob))?;
        Ok(over)
    }

    /// The blobs `prefix` + path of the paths git converts nothing for on
    /// checkout (see [`Repo::checkout_attrs`]), read raw and streamed to
    /// `each(index in rels, blob)`: byte for byte what the work tree would
    /// hold. Returns the indices of the other paths, not read, and those
    /// whose blob is over the size limit with its size, not read either.
    pub fn unfiltered_blobs<E: From<GitError>>(
        &self,
        prefix: &str,
        rels: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<(), E>,
    ) -> Result<(Vec<usize>, TooLarge), E> {
        let filtered = self.checkout_attrs(rels, false)?.filtered;
        let (raw, cooked): (Vec<usize>, Vec<usize>) = (0..rels.len()).partition(|&i| !filtered[i]);
        let raw_rels: Vec<PathBuf> = raw.iter().map(|&i| rels[i].clone()).collect();
        let over = self.raw_blobs(prefix, &raw_rels, |k, blob| each(raw[k], blob))?;
        let over = over.into_iter().map(|(k, size)| (raw[k], size)).collect();
        Ok((cooked, over))
    }

    /// Bases through `git checkout-index --stage=1 --temp`, which applies
    /// the work tree's filters (see [`Repo::base_texts`]).
    fn checked_out_bases<E: From<GitError>>(
        &self,
        rels: &[PathBuf],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<(), E>,
    ) -> Result<(), E> {
        if rels.is_empty() {
            return Ok(());
        }
        let mut c = self.git();
        c.args(["checkout-index", "--stage=1", "--temp", "-z", "--stdin"]);
        let out = run(c, Some(&nul_input(rels)))?;
        // `TEMP \t PATH \0` for each path git could write.
        let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
        for record in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            if let Some(tab) = record.iter().position(|&b| b == b'\t') {
                let temp = self.top.join(path_from_bytes(&record[..tab]));
                temps.push((temp, path_from_bytes(&record[tab + 1..])));
            }
        }
        let mut result = Ok(());
        let mut seen = vec![false; rels.len()];
        for (temp, rel) in &temps {
            let content = std::fs::read(temp);
            let _ = std::fs::remove_file(temp);
            if result.is_err() {
                continue; // still remove the other temporary files
            }
            if let Some(i) = rels.iter().position(|r| r == rel) {
                seen[i] = true;
                result = content
                    .map_err(|source| {
                        GitError::TempCopy {
                            path: rel.clone(),
                            source,
                        }
                        .into()
                    })
                    .and_then(|c| each(i, Some(c)));
            }
        }
        result?;
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
            each(i, None)?;
        }
        Ok(())
    }

    /// Which of `rels` have a staged copy (index stage 0) with a line that
    /// opens a conflict, at each file's `conflict-marker-size` (read from
    /// the index, as the pre-commit check does), with the labels of its
    /// first conflict: files `git add`ed with their markers still in them.
    /// Read in one `git cat-file --batch`; unmerged paths have no stage 0.
    pub fn staged_with_markers(&self, rels: &[PathBuf]) -> Result<Vec<(PathBuf, MarkerLabels)>> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let sizes = self.marker_sizes(rels, true)?;
        let size_of = |i: usize| {
            sizes
                .get(i)
                .copied()
                .flatten()
                .unwrap_or(MarkerSize::DEFAULT)
        };
        let mut found = Vec::new();
        // Copies whose only marker lines may be fenced examples: judged
        // against HEAD's version below, as resolve and check judge them.
        let mut maybe_examples: Vec<(usize, Vec<u8>)> = Vec::new();
        // A staged copy over the size limit is not read (returned, left
        // out here): none is taken to hold markers.
        self.each_blob(rels, Version::Index, |i, blob| {
            let Some(blob) = blob else {
                return Ok::<(), GitError>(());
            };
            let size = size_of(i);
            let text = String::from_utf8_lossy(&blob);
            if has_open_marker(&text, size) {
                if may_hold_examples(&text, size) {
                    maybe_examples.push((i, blob));
                } else {
                    let labels = marker_labels(&blob).unwrap_or(MarkerLabels::Other);
                    found.push((i, labels));
                }
            }
            Ok(())
        })?;
        if !maybe_examples.is_empty() {
            let which: Vec<PathBuf> = maybe_examples
                .iter()
                .map(|(i, _)| rels[*i].clone())
                .collect();
            let mut heads: Vec<Option<Vec<u8>>> = vec![None; which.len()];
            self.each_blob(&which, Version::Head, |j, blob| {
                heads[j] = blob;
                Ok::<(), GitError>(())
            })?;
            for ((i, blob), head) in maybe_examples.into_iter().zip(heads) {
                let size = size_of(i);
                let text = String::from_utf8_lossy(&blob);
                let head = head.map(|h| String::from_utf8_lossy(&h).into_owned());
                let clean: Vec<&str> = head.as_deref().into_iter().collect();
                let examples = Examples::known(&text, size, &clean);
                let conflicted = match scan_except(&text, size, &examples) {
                    Ok(chunks) => chunks.iter().any(|c| matches!(c, Chunk::Conflict(_))),
                    Err(_) => true,
                };
                if conflicted {
                    let labels = marker_labels(&blob).unwrap_or(MarkerLabels::Other);
                    found.push((i, labels));
                }
            }
        }
        // Back in the order of `rels`.
        found.sort_by_key(|(i, _)| *i);
        Ok(found
            .into_iter()
            .map(|(i, l)| (rels[i].clone(), l))
            .collect())
    }

    /// Marks resolved paths in one git call: `git add`, or (after a stash
    /// pop/apply) `git reset -q`, which puts the unmerged entries back to
    /// HEAD so that the change stays unstaged, as after a clean pop. Returns
    /// the paths git still lists as unmerged afterwards, and git's message.
    pub fn mark_resolved(&self, rels: &[PathBuf], how: Marking) -> Result<(Vec<PathBuf>, String)> {
        if rels.is_empty() {
            return Ok((Vec::new(), String::new()));
        }
        let mut c = self.git();
        match how {
            Marking::Add => c.arg("add"),
            Marking::ResetToHead => c.args(["reset", "-q"]),
        };
        // Paths on stdin: no argument-length limit, any byte in a name.
        c.args(["--pathspec-from-file=-", "--pathspec-file-nul"]);
        let mut out = run(c, Some(&nul_input(rels)))?;
        let asked: HashSet<&PathBuf> = rels.iter().collect();
        let mut still: Vec<PathBuf> = self
            .unmerged()?
            .into_iter()
            .map(|u| u.path)
            .filter(|p| asked.contains(p))
            .collect();
        // In a sparse checkout git stages a path outside the cone only when
        // told so: the file was resolved where it is, so it is staged there.
        if how == Marking::Add && (!out.status.success() || !still.is_empty()) && self.sparse() {
            let mut c = self.git();
            c.args([
                "add",
                "--sparse",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
            ]);
            out = run(c, Some(&nul_input(rels)))?;
            let left: HashSet<PathBuf> = self.unmerged()?.into_iter().map(|u| u.path).collect();
            still.retain(|p| left.contains(p));
        }
        let message = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        // `git reset` exits 1 when other paths still need merging; `git add`
        // failing is an error of its own.
        if how == Marking::Add && !out.status.success() && still.is_empty() {
            return Err(GitError::Add(message));
        }
        Ok((still, message))
    }
}

/// The clean versions of the file at `path` that its repository holds (see
/// [`Repo::clean_versions`]), as text; none outside a repository, for a
/// file git does not know, or when git cannot be asked.
pub fn clean_texts(path: &Path) -> Vec<String> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(dir) = abs.parent() else {
        return Vec::new();
    };
    let Ok(Some(repo)) = super::discover(dir, false) else {
        return Vec::new();
    };
    let Some(rel) = repo.relative(&abs) else {
        return Vec::new();
    };
    repo.clean_versions(&rel)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|b| String::from_utf8(b).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmerged_entries_group_by_path_and_keep_odd_names() {
        let raw = b"100644 aaa 1\tdir \xc3\xa9/my post.md\x00100644 bbb 2\tdir \xc3\xa9/my post.md\x00\
                    100644 ccc 3\tdir \xc3\xa9/my post.md\x00100644 ddd 2\tnew.md\x00100644 eee 3\tnew.md\x00";
        let u = parse_unmerged(raw);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].path, Path::new("dir é/my post.md"));
        assert_eq!(u[0].base(), Some("aaa"));
        assert_eq!(u[1].base(), None, "add/add has no base");
        assert_eq!(u[1].stages[2].as_deref(), Some("eee"));
    }

    fn entry(path: &str, stages: [Option<&str>; 3]) -> Unmerged {
        Unmerged {
            path: PathBuf::from(path),
            stages: stages.map(|s| s.map(str::to_owned)),
            special: false,
        }
    }

    #[test]
    fn a_rename_rename_conflict_pairs_only_when_certain() {
        let one = [
            entry("p.md", [Some("b"), None, None]),
            entry("ours.md", [None, Some("m"), None]),
            entry("theirs.md", [None, None, Some("m")]),
            entry("edited.md", [Some("b"), Some("x"), Some("y")]),
        ];
        assert!(one[0].both_deleted() && !one[1].both_deleted());
        assert!(one[1].added_on_one_side() && !one[3].added_on_one_side());
        let found = renamed_apart(&one);
        assert_eq!(
            found,
            vec![RenamedApart {
                old: "p.md".into(),
                ours: "ours.md".into(),
                theirs: "theirs.md".into(),
            }]
        );
        // Two at once: paired by blob where the renames kept the contents.
        let two = [
            entry("a.md", [Some("a"), None, None]),
            entry("b.md", [Some("b"), None, None]),
            entry("a1.md", [None, Some("a"), None]),
            entry("a2.md", [None, None, Some("a")]),
            entry("b1.md", [None, Some("b2"), None]),
            entry("b2.md", [None, None, Some("b2")]),
        ];
        let found = renamed_apart(&two);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].old, Path::new("a.md"));
        assert_eq!(found[0].theirs, Path::new("a2.md"));
    }
}
