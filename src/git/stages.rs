//! The three versions of each unmerged path, and git's own merge of them,
//! for many paths at once, three git processes running side by side:
//!
//! ```text
//! stage ids ──cat-file --batch──────────────────▶ base, ours, theirs (no filter applies)
//! index copy ──checkout-index --stage=all --temp─▶ base, ours, theirs (filters applied)
//!            ──checkout --conflict=diff3─────────▶ git's line merge, diff3 style
//! stages read ──git merge-file --diff3 (a path with a merge driver)──▶ the same
//! ```
//!
//! Everything happens in a temporary work tree outside the repository, with
//! a copy of the index: the real work tree and index are never touched, and
//! hooks do not run. A few git processes for any number of paths (a process
//! per file would double the time of a batch `resolve`); blobs git converts
//! nothing for are read through a pipe, not written to temporary files and
//! read back (on bench.py's 2,000 conflicted articles, `checkout-index` of
//! every path was 1.2 s of git's 2.8 s; `bench/ab.py`: the batch `resolve`
//! 7 to 10% faster this way).

use std::path::{Path, PathBuf};

use super::{command, nul_input, path_from_bytes, run, GitError, Repo, Result};
use crate::conflict::marker_size::MarkerSize;

/// The versions of one unmerged path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageTexts {
    /// Stage 1 (the base), 2 (ours) and 3 (theirs), as they would be checked
    /// out (line endings and smudge filters applied); `None` where absent.
    pub stages: [Option<Vec<u8>>; 3],
    /// git's line merge of them in diff3 style (labels `ours`, `base`,
    /// `theirs`), at the path's `conflict-marker-size`.
    pub diff3: Option<Vec<u8>>,
    /// The size of each stage over the size limit: then no stage of the
    /// path is read, nor merged.
    pub too_large: [Option<u64>; 3],
}

impl Repo {
    /// The path of the index this repository uses.
    fn index_file(&self) -> PathBuf {
        match std::env::var_os("GIT_INDEX_FILE").filter(|_| self.own_env) {
            Some(f) => {
                let f = PathBuf::from(f);
                if f.is_absolute() {
                    f
                } else {
                    self.top.join(f)
                }
            }
            None => self.git_dir.join("index"),
        }
    }

    /// The folder of this repository's objects, as git finds it from
    /// `--git-dir` alone: a linked work tree's are its common folder's.
    fn objects_dir(&self) -> PathBuf {
        let common = std::fs::read_to_string(self.git_dir.join("commondir"))
            .ok()
            .map(|c| c.trim_end_matches(['\n', '\r']).to_owned())
            .filter(|c| !c.is_empty());
        match common {
            Some(c) => self.git_dir.join(c),
            None => self.git_dir.clone(),
        }
        .join("objects")
    }

    /// A git command on a temporary work tree `wt` with the index copy
    /// `index` and the object folder `objects` (hooks and file monitors
    /// off, pathspecs literal): the repository's objects are read, and what
    /// git writes (`checkout --conflict` stores each merge it makes) goes
    /// to `objects`, uncompressed, never into the repository.
    fn scratch_git(&self, wt: &Path, index: &Path, objects: &Path) -> std::process::Command {
        let mut c = command(wt, false);
        c.env("GIT_OBJECT_DIRECTORY", objects)
            .env(
                "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                alternate(&self.objects_dir()),
            )
            .args(["-c", "core.looseCompression=0"]);
        c.arg(format!("--git-dir={}", self.git_dir.display()))
            .arg(format!("--work-tree={}", wt.display()))
            .arg("--literal-pathspecs")
            .args(["-c", "core.hooksPath=/dev/null"])
            .args(["-c", "core.fsmonitor=false"])
            .args(["-c", "core.sparseCheckout=false"])
            // The scratch work tree is empty: nothing to lstat ahead in
            // threads (git would start a dozen per call).
            .args(["-c", "core.preloadIndex=false"])
            // The index copy is thrown away: `checkout` writes it without
            // its checksum (a SHA-1 of the whole index, every entry of the
            // repository, each batch). Older gits ignore the setting.
            .args(["-c", "index.skipHash=true"])
            .env("GIT_INDEX_FILE", index);
        c
    }

    /// The versions of each path of `rels` (unmerged, with both sides'
    /// stages) and git's merge of them. `ids` are each path's stage object
    /// ids (1, 2, 3), as the index lists them. A path git could not write
    /// gets empty fields: its caller merges it from its markers.
    ///
    /// Three git processes run at once: `checkout --conflict=diff3` (git's
    /// merge), `cat-file --batch` (the stages of the paths git converts
    /// nothing for on checkout, the usual case: the blobs are then byte for
    /// byte what checkout would write, read by id through a pipe) and, only
    /// for the others, `checkout-index --stage=all --temp` (the filters
    /// applied, each stage through a temporary file).
    pub fn stage_texts(
        &self,
        rels: &[PathBuf],
        ids: &[[Option<String>; 3]],
    ) -> Result<Vec<StageTexts>> {
        let mut out = vec![StageTexts::default(); rels.len()];
        if rels.is_empty() {
            return Ok(out);
        }
        let scratch = |what: &str| {
            let what = what.to_owned();
            move |source| GitError::Scratch { what, source }
        };
        let tmp = super::scratch_dir("frontmerge-stages-")
            .map_err(scratch("create a folder for git's merge of the stages"))?;
        let wt = tmp.path().join("wt");
        std::fs::create_dir(&wt).map_err(scratch("create a scratch work tree"))?;
        // checkout-index's temporary files go to the top of its work tree:
        // a folder of their own, never a name the merge writes.
        let temps = tmp.path().join("temps");
        std::fs::create_dir(&temps).map_err(scratch("create a folder for the stages"))?;
        let index = tmp.path().join("index");
        std::fs::copy(self.index_file(), &index).map_err(scratch("copy the index"))?;
        let objects = tmp.path().join("objects");
        std::fs::create_dir(&objects).map_err(scratch("create a scratch object folder"))?;

        // Read as the scratch checkouts below read them: from the index.
        let attrs = self.checkout_attrs(rels, true)?;
        let filtered = &attrs.filtered;
        // A stage over the size limit is neither read nor merged by git in
        // the scratch work tree (a blob of hundreds of MB can compress to
        // a few in `.git`): the path gets empty fields and the sizes over
        // it, and the file is refused (its base alone can be over it while
        // the work-tree file is small).
        let all: Vec<&String> = ids.iter().flatten().flatten().collect();
        let mut sizes = super::batch::cat_file_sizes(self.git(), &all)?.into_iter();
        for (i, s) in ids.iter().enumerate() {
            for (k, _) in s.iter().enumerate().filter(|(_, id)| id.is_some()) {
                out[i].too_large[k] = sizes
                    .next()
                    .flatten()
                    .filter(|&size| size > crate::files::MAX_FILE_SIZE);
            }
        }
        let too_large: Vec<bool> = out.iter().map(|t| t.too_large != [None; 3]).collect();
        let has_both = |i: usize| ids[i][1].is_some() && ids[i][2].is_some() && !too_large[i];
        // A path with a merge driver of the person's is merged by `git
        // merge-file` instead (below): a `checkout --conflict` would run
        // the driver, this tool's own once installed, one process per file
        // and its result no line merge of git's.
        let (driven, both): (Vec<usize>, Vec<usize>) = (0..rels.len())
            .filter(|&i| has_both(i))
            .partition(|&i| attrs.driven[i]);
        let both: Vec<PathBuf> = both.iter().map(|&i| rels[i].clone()).collect();
        let cooked: Vec<PathBuf> = rels
            .iter()
            .zip(filtered)
            .zip(&too_large)
            .filter(|((_, f), over)| **f && !**over)
            .map(|((r, _), _)| r.clone())
            .collect();
        let (raw, slots): (Vec<String>, Vec<(usize, usize)>) = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| !filtered[*i] && !too_large[*i])
            .flat_map(|(i, s)| {
                s.iter()
                    .enumerate()
                    .filter_map(move |(k, id)| id.clone().map(|id| (id, (i, k))))
            })
            .unzip();

        let mut merge = self.scratch_git(&wt, &index, &objects);
        merge.args([
            "checkout",
            "--conflict=diff3",
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ]);
        let mut stages = self.scratch_git(&temps, &index, &objects);
        stages.args(["checkout-index", "--stage=all", "--temp", "-z", "--stdin"]);
        let (merged, listed, read) = std::thread::scope(|s| {
            let merged = s.spawn(|| run(merge, Some(&nul_input(&both))));
            let listed = s.spawn(|| {
                if cooked.is_empty() {
                    return Ok(None);
                }
                run(stages, Some(&nul_input(&cooked))).map(Some)
            });
            let specs: Vec<&String> = raw.iter().collect();
            let mut k = 0;
            let read = super::batch::cat_file_batch(self.git(), &[], &specs, |blob| {
                let (i, stage) = slots[k];
                k += 1;
                out[i].stages[stage] = blob;
                Ok::<(), GitError>(())
            });
            (joined(merged), joined(listed), read)
        });
        read?;
        // A path git refuses is left out below; the others are written.
        merged?;
        if let Some(listed) = listed? {
            for record in listed.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
                let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                    continue;
                };
                let rel = path_from_bytes(&record[tab + 1..]);
                let Some(i) = rels.iter().position(|r| *r == rel) else {
                    continue;
                };
                let names = String::from_utf8_lossy(&record[..tab]).into_owned();
                for (k, name) in names.split(' ').enumerate().take(3) {
                    if name == "." {
                        continue;
                    }
                    let temp = temps.join(name);
                    out[i].stages[k] = std::fs::read(&temp).ok();
                    let _ = std::fs::remove_file(&temp);
                }
            }
        }
        for (i, rel) in rels.iter().enumerate() {
            if !attrs.driven[i] {
                out[i].diff3 = std::fs::read(wt.join(rel)).ok();
            }
        }
        for i in driven {
            let [base, ours, theirs] = &out[i].stages;
            let (Some(ours), Some(theirs)) = (ours, theirs) else {
                continue;
            };
            let texts = [ours.as_slice(), base.as_deref().unwrap_or_default(), theirs];
            let size = attrs.marker_sizes[i].unwrap_or(MarkerSize::DEFAULT);
            out[i].diff3 = super::merge_file_texts(texts, ["ours", "base", "theirs"], size)
                .ok()
                .map(|(merged, _)| merged);
        }
        Ok(out)
    }
}

/// A scoped thread's result; its panic goes on in the caller.
fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// `dir` as one entry of `GIT_ALTERNATE_OBJECT_DIRECTORIES`: C-quoted
/// when the separator of entries (`:`, `;` on Windows) or a leading `"`
/// would misread it.
fn alternate(dir: &Path) -> std::ffi::OsString {
    let bytes = dir.as_os_str().as_encoded_bytes();
    let separator = if cfg!(windows) { b';' } else { b':' };
    if !bytes.contains(&separator) && !bytes.starts_with(b"\"") {
        return dir.as_os_str().to_owned();
    }
    let mut quoted = vec![b'"'];
    for &b in bytes {
        match b {
            b'"' | b'\\' => quoted.extend([b'\\', b]),
            b'\n' => quoted.extend(*b"\\n"),
            _ => quoted.push(b),
        }
    }
    quoted.push(b'"');
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(quoted)
    }
    #[cfg(not(unix))]
    {
        String::from_utf8_lossy(&quoted).into_owned().into()
    }
}

/// An unmerged path's versions and git's merge of them (see
/// [`Repo::stage_texts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Stage 1, when there is a common ancestor.
    pub base: Option<String>,
    /// Stage 2.
    pub ours: String,
    /// Stage 3.
    pub theirs: String,
    /// git's line merge of them, diff3 style (labels `ours`/`base`/`theirs`).
    pub diff3: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_folders_are_quoted_only_where_git_would_misread_them() {
        assert_eq!(
            alternate(Path::new("/repo/.git/objects")),
            "/repo/.git/objects"
        );
        if cfg!(unix) {
            assert_eq!(
                alternate(Path::new("/a:b/.git/objects")),
                "\"/a:b/.git/objects\""
            );
            assert_eq!(
                alternate(Path::new("/a:\\\"b\n/objects")),
                "\"/a:\\\\\\\"b\\n/objects\""
            );
        }
    }

    fn git(dir: &Path, args: &[&str]) {
        let out = command(dir, false)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_repository_whose_folder_holds_a_colon_is_merged_outside_it() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("a:b");
        std::fs::create_dir(&dir).unwrap();
        let write = |text: &str| std::fs::write(dir.join("post.md"), text).unwrap();
        git(&dir, &["init", "-q", "-b", "main"]);
        write("a\nbase\nz\n");
        git(&dir, &["add", "post.md"]);
        git(&dir, &["commit", "-q", "-m", "base"]);
        git(&dir, &["checkout", "-q", "-b", "side"]);
        write("a\ntheirs\nz\n");
        git(&dir, &["commit", "-q", "-am", "theirs"]);
        git(&dir, &["checkout", "-q", "main"]);
        write("a\nours\nz\n");
        git(&dir, &["commit", "-q", "-am", "ours"]);
        git(&dir, &["merge", "-q", "side"]);
        let loose = |dir: &Path| {
            std::fs::read_dir(dir.join(".git/objects"))
                .unwrap()
                .filter(|e| e.as_ref().unwrap().file_name().len() == 2)
                .flat_map(|e| std::fs::read_dir(e.unwrap().path()).unwrap())
                .count()
        };
        let before = loose(&dir);
        let repo = super::super::discover(&dir, false)
            .unwrap()
            .expect("a repository");
        let ids = stage_ids(&repo, "post.md");
        let texts = repo
            .stage_texts(&[PathBuf::from("post.md")], &[ids])
            .unwrap();
        assert_eq!(
            texts[0].stages,
            [
                Some(b"a\nbase\nz\n".to_vec()),
                Some(b"a\nours\nz\n".to_vec()),
                Some(b"a\ntheirs\nz\n".to_vec())
            ]
        );
        let diff3 = String::from_utf8(texts[0].diff3.clone().unwrap()).unwrap();
        assert_eq!(
            diff3,
            "a\n<<<<<<< ours\nours\n||||||| base\nbase\n=======\ntheirs\n>>>>>>> theirs\nz\n"
        );
        assert_eq!(
            loose(&dir),
            before,
            "git's merge stored nothing in the repository"
        );
    }

    /// `git merge-file`'s diff3 merge of `[ours, base, theirs]`, aligned
    /// as git's merges align (`--diff-algorithm=histogram`).
    fn merge_file(dir: &Path, texts: [&str; 3]) -> Vec<u8> {
        let t = tempfile::tempdir_in(dir).unwrap();
        let names = ["ours", "base", "theirs"];
        for (name, text) in names.iter().zip(texts) {
            std::fs::write(t.path().join(name), text).unwrap();
        }
        let out = command(t.path(), false)
            .args(["merge-file", "-p", "--diff3", "--diff-algorithm=histogram"])
            .args(["-L", "ours", "-L", "base", "-L", "theirs"])
            .args(names)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 128), "{out:?}");
        out.stdout
    }

    #[test]
    fn git_s_merge_of_the_stages_is_git_merge_file_s_whatever_the_shape() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        let write = |rel: &str, text: &str| std::fs::write(dir.join(rel), text).unwrap();
        // [base, ours, theirs] (`None`: added on both sides).
        let cases: [(&str, [Option<&str>; 3]); 4] = [
            (
                "added.md",
                [None, Some("a\nours\nz\n"), Some("a\ntheirs\nz\n")],
            ),
            (
                "noeol.md",
                [Some("a\nbase"), Some("a\nours"), Some("a\ntheirs")],
            ),
            (
                "crlf.md",
                [
                    Some("a\r\nbase\r\nz\r\n"),
                    Some("a\r\nours\r\nz\r\n"),
                    Some("a\r\ntheirs\r\nz\r\n"),
                ],
            ),
            (
                "union.md",
                [
                    Some("a\nbase\nz\n"),
                    Some("a\nours\nz\n"),
                    Some("a\ntheirs\nz\n"),
                ],
            ),
        ];
        git(dir, &["init", "-q", "-b", "main"]);
        for (rel, [base, _, _]) in &cases {
            if let Some(base) = base {
                write(rel, base);
            }
        }
        git(dir, &["add", "."]);
        git(dir, &["commit", "-q", "-m", "base"]);
        git(dir, &["checkout", "-q", "-b", "side"]);
        for (rel, [_, _, theirs]) in &cases {
            write(rel, theirs.unwrap());
        }
        git(dir, &["add", "."]);
        git(dir, &["commit", "-q", "-m", "theirs"]);
        git(dir, &["checkout", "-q", "main"]);
        for (rel, [_, ours, _]) in &cases {
            write(rel, ours.unwrap());
        }
        git(dir, &["add", "."]);
        git(dir, &["commit", "-q", "-m", "ours"]);
        git(dir, &["merge", "-q", "side"]);
        // Staged since: git's merge of the stages reads the index's
        // attributes.
        write(".gitattributes", "union.md merge=union\n");
        git(dir, &["add", ".gitattributes"]);
        let repo = super::super::discover(dir, false)
            .unwrap()
            .expect("a repository");
        let rels: Vec<PathBuf> = cases.iter().map(|(r, _)| PathBuf::from(r)).collect();
        let ids: Vec<_> = cases.iter().map(|(r, _)| stage_ids(&repo, r)).collect();
        let texts = repo.stage_texts(&rels, &ids).unwrap();
        for ((rel, [base, ours, theirs]), got) in cases.iter().zip(&texts) {
            let (ours, theirs) = (ours.unwrap(), theirs.unwrap());
            let want = if *rel == "union.md" {
                // The path's own merge attribute holds, as in git's merges.
                b"a\nours\ntheirs\nz\n".to_vec()
            } else {
                merge_file(dir, [ours, base.unwrap_or(""), theirs])
            };
            assert_eq!(
                got.diff3.as_deref().map(String::from_utf8_lossy),
                Some(String::from_utf8_lossy(&want)),
                "{rel}"
            );
            assert_eq!(got.stages[1].as_deref(), Some(ours.as_bytes()), "{rel}");
        }
    }

    /// The stage ids of `rel` in the repository's index.
    fn stage_ids(repo: &Repo, rel: &str) -> [Option<String>; 3] {
        let all = repo.unmerged().unwrap();
        let path = PathBuf::from(rel);
        all.into_iter()
            .find(|u| u.path == path)
            .map(|u| u.stages)
            .unwrap_or_default()
    }

    #[test]
    fn stages_git_converts_on_checkout_are_read_as_checked_out_the_others_raw() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        let write = |rel: &str, text: &str| std::fs::write(dir.join(rel), text).unwrap();
        git(dir, &["init", "-q", "-b", "main"]);
        write(".gitattributes", "crlf.md text eol=crlf\n");
        write("crlf.md", "a\nbase\nz\n");
        write("raw.md", "a\nbase\nz\n");
        git(dir, &["add", "."]);
        git(dir, &["commit", "-q", "-m", "base"]);
        git(dir, &["checkout", "-q", "-b", "side"]);
        write("crlf.md", "a\ntheirs\nz\n");
        write("raw.md", "a\ntheirs\nz\n");
        git(dir, &["commit", "-q", "-am", "theirs"]);
        git(dir, &["checkout", "-q", "main"]);
        write("crlf.md", "a\nours\nz\n");
        write("raw.md", "a\nours\nz\n");
        git(dir, &["commit", "-q", "-am", "ours"]);
        git(dir, &["merge", "-q", "side"]);
        // Edited in the work tree, not staged: the checkouts read the
        // index's attributes, and so must the choice of what is read raw.
        write(".gitattributes", "");
        let repo = super::super::discover(dir, false)
            .unwrap()
            .expect("a repository");
        let rels = [PathBuf::from("crlf.md"), PathBuf::from("raw.md")];
        let ids = [stage_ids(&repo, "crlf.md"), stage_ids(&repo, "raw.md")];
        assert!(ids.iter().flatten().all(Option::is_some), "{ids:?}");
        let texts = repo.stage_texts(&rels, &ids).unwrap();
        let crlf = |s: &str| s.replace('\n', "\r\n").into_bytes();
        assert_eq!(
            texts[0].stages,
            [
                Some(crlf("a\nbase\nz\n")),
                Some(crlf("a\nours\nz\n")),
                Some(crlf("a\ntheirs\nz\n"))
            ],
            "through the filters"
        );
        assert_eq!(
            texts[1].stages,
            [
                Some(b"a\nbase\nz\n".to_vec()),
                Some(b"a\nours\nz\n".to_vec()),
                Some(b"a\ntheirs\nz\n".to_vec())
            ],
            "raw"
        );
        let diff3 =
            "a\n<<<<<<< ours\nours\n||||||| base\nbase\n=======\ntheirs\n>>>>>>> theirs\nz\n";
        assert_eq!(texts[0].diff3, Some(crlf(diff3)));
        assert_eq!(texts[1].diff3, Some(diff3.as_bytes().to_vec()));
    }
}
