//! Which versions a file is merged from, the same for `resolve` and
//! `diff`: the index's stages while the file still is git's own merge of
//! them (or git did not merge it line by line and left ours), else its own
//! markers.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use anyhow::Result;

use crate::conflict::fences::{may_hold_examples, Examples};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::{has_open_marker, scan, scan_except, Chunk, Conflict, Labels};
use crate::conflict::sides::Sides;
use crate::conflict::split;
use crate::decide::rules::RuleSet;
use crate::git::session::FileContext;
use crate::git::stages::Stages;
use crate::merge::endings::Converted;
use crate::pipeline::{Conflicted, Input, LineMerge};

/// Why a path with a symlink or a submodule on a side is refused.
pub(crate) const SPECIAL: &str = "a symlink or a submodule on a side of its conflict, not an article (never followed): resolve it with git";

/// Said once for a file with markers and no stages.
pub(crate) const NO_STAGES: &str = "no conflict stages in git's index (a loose file, or it was added since): merged from its own markers, two ways unless they have a base section";

/// What one file is merged from, owned: [`FileInput::input`] lends it.
pub(crate) struct FileInput<'c> {
    text: &'c str,
    /// Clean versions git knows (HEAD, stages), for fenced examples.
    clean: Vec<String>,
    three: Option<Three<'c>>,
    /// Why the versions are what they are, when worth saying.
    pub(crate) note: Option<&'static str>,
    /// The file's marker size.
    marker_size: MarkerSize,
}

struct Three<'c> {
    /// git's stages, or (line endings one side converted) the stages read
    /// in its endings.
    stages: Cow<'c, Stages>,
    merged: String,
    marker_size: MarkerSize,
    labels: OwnedLabels,
}

impl Three<'_> {
    /// The same versions, the base and the other side read in the line
    /// endings one side converted the file to (see `merge::endings`), and
    /// git's line merge of them; `None` when no side did.
    fn endings_converted(&self) -> Result<Option<(Three<'static>, Converted)>> {
        let st = &self.stages;
        let versions = Sides::new(st.ours.as_str(), st.theirs.as_str(), st.base.as_deref());
        let Some(c) = Converted::of(&versions) else {
            return Ok(None);
        };
        let v = c.versions(&versions);
        let base = v.base.clone().unwrap_or_default();
        let (merged, size, _) = crate::git::line_merge(
            [v.upstream.as_str(), base.as_str(), v.stashed.as_str()],
            ["ours", "base", "theirs"],
            self.marker_size,
        )?;
        let stages = Stages {
            base: v.base,
            ours: v.upstream,
            theirs: v.stashed,
            diff3: merged.clone(),
        };
        Ok(Some((
            Three {
                stages: Cow::Owned(stages),
                merged,
                marker_size: size,
                labels: self.labels.clone(),
            },
            c,
        )))
    }
}

/// Markers in lines that end in a lone CR (classic Mac): git reads such a
/// file as one line, so its markers are no conflict git can tell apart, and
/// a merge of them would be guessed. `Err` naming the first marker's line,
/// and what to do; the file is left as it is.
fn lone_cr_markers(text: &str, marker_size: MarkerSize) -> Result<()> {
    let Some(lf) = crate::conflict::scan::lone_cr_as_lf(text) else {
        return Ok(());
    };
    if !has_open_marker(&lf, marker_size) {
        return Ok(());
    }
    let line = lf
        .lines()
        .position(|l| has_open_marker(l, marker_size))
        .map_or(1, |i| i + 1);
    anyhow::bail!(
        "line {line}: conflict markers in lines that end in a lone CR, which git reads as one \
         line: convert the line endings to LF or CRLF, then run again"
    )
}

impl<'c> FileInput<'c> {
    /// The versions of `text`, the work-tree file at `path`, given what git
    /// knows of it (`ctx`) and its marker size.
    pub(crate) fn of(
        path: &Path,
        text: &'c str,
        ctx: &'c FileContext,
        marker_size: MarkerSize,
        sets: &RuleSet,
    ) -> Result<FileInput<'c>> {
        if ctx.stages.is_none() {
            lone_cr_markers(text, marker_size)?;
        }
        let (three, note) = match &ctx.stages {
            Some(st) => choose(path, text, st, marker_size, sets)?,
            // A loose file, or its stages gone (`git add` ran, the
            // operation was aborted): the markers are all there is.
            None if has_open_marker(text, marker_size) => (None, Some(NO_STAGES)),
            None => (None, None),
        };
        let (three, note) = match three {
            Some(t) => match t.endings_converted()? {
                Some((t, c)) => (Some(t), note.or(Some(c.said()))),
                None => (Some(t), note),
            },
            None => (None, note),
        };
        // Marker lines in fenced examples that a clean version of the file
        // (HEAD, the index's sides) shows are text; fetched only when it matters.
        let clean = if three.is_none() && may_hold_examples(text, marker_size) {
            crate::git::index::clean_texts(path)
        } else {
            Vec::new()
        };
        Ok(FileInput {
            text,
            clean,
            three,
            note,
            marker_size,
        })
    }

    /// How many conflicts the file itself holds: its `<<<<<<<` lines at
    /// its marker size, marker lines in fenced examples a clean version
    /// shows aside; 0 when it does not scan. What a person counts in the
    /// file, whatever its versions are read from: git's re-merge of the
    /// stages, in diff3 style, keeps apart conflicts a few lines apart that
    /// the file's default style joined.
    pub(crate) fn own_conflicts(&self) -> usize {
        let clean: Vec<&str> = match &self.three {
            Some(t) => [
                Some(&t.stages.ours),
                Some(&t.stages.theirs),
                t.stages.base.as_ref(),
            ]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
            None => self.clean.iter().map(String::as_str).collect(),
        };
        let examples = Examples::known(self.text, self.marker_size, &clean);
        scan_except(self.text, self.marker_size, &examples).map_or(0, |chunks| {
            chunks
                .iter()
                .filter(|c| matches!(c, Chunk::Conflict(_)))
                .count()
        })
    }

    /// The input for the engine.
    pub(crate) fn input(&self) -> Input<'_> {
        match &self.three {
            Some(t) => Input::Three {
                versions: Sides::new(
                    t.stages.ours.as_str(),
                    t.stages.theirs.as_str(),
                    Some(t.stages.base.as_deref().unwrap_or("")),
                ),
                merged: LineMerge {
                    text: &t.merged,
                    marker_size: t.marker_size,
                },
                labels: t.labels.as_ref(),
            },
            None => Input::Conflicted {
                text: self.text,
                known: &self.clean,
            },
        }
    }
}

/// The versions to merge `text` from (its stages `st`), and a note when it
/// is worth saying: the stages while the file is git's own merge of them (or
/// git did not merge it line by line and left ours), else (`None`) its
/// markers. git's merge of the stages is first the scratch work tree's
/// rendering; when that does not tell (its Myers alignment against the
/// histogram one git's merges use), `git merge-file` as git's merges align.
fn choose<'c>(
    path: &Path,
    text: &str,
    st: &'c Stages,
    marker_size: MarkerSize,
    sets: &RuleSet,
) -> Result<(Option<Three<'c>>, Option<&'static str>)> {
    let versions = Sides::new(st.ours.as_str(), st.theirs.as_str(), st.base.as_deref());
    // The file read once: its sides, compared with git's merges, and its
    // own labels (git's merge of the stages says ours/theirs).
    let chunks = scan(text, marker_size).ok();
    let file = chunks
        .as_deref()
        .filter(|c| c.iter().any(|c| matches!(c, Chunk::Conflict(_))))
        .map(|c| Conflicted {
            split: split::split(c),
        });
    let file_sides = file.as_ref().map(|c| {
        let s = &c.split.sides;
        (s.upstream.text.as_str(), s.stashed.text.as_str())
    });
    let labels = file_labels(file.as_ref());
    let three = |merged: String, size: MarkerSize| Three {
        stages: Cow::Borrowed(st),
        merged,
        marker_size: size,
        labels: labels.clone(),
    };
    // The scratch rendering aligns as Myers does, git's merges as the
    // histogram diff does: both can make the same sides out of different
    // hunks (dapr/docs, PowerShell-Docs), and the driver merges from
    // `git merge-file` aligned as git's merges are. The scratch rendering
    // serves first only where each of the file's conflicts lies within one
    // of its own (git's default style narrows diff3's conflicts, never
    // moves them); else `git merge-file`'s, and the scratch one when that
    // does not make the file's sides either.
    let scratch = same_sides(file_sides, &st.diff3, marker_size);
    let within = match (scratch.as_deref(), chunks.as_deref()) {
        (Some(git), Some(file)) => conflicts_within(file, git),
        _ => false,
    };
    if within {
        let (merged, size) = line_merge_of(st, versions, marker_size)?;
        return Ok((Some(three(merged, size)), None));
    }
    let all = [
        versions.upstream,
        versions.base.unwrap_or(""),
        versions.stashed,
    ];
    let (merged, size, _) = crate::git::line_merge(all, ["ours", "base", "theirs"], marker_size)?;
    if !has_open_marker(text, marker_size) && text == st.ours {
        return Ok((
            Some(three(merged, size)),
            Some("git did not merge it line by line (a `merge` or `binary` attribute): merged from its stages"),
        ));
    }
    if same_sides(file_sides, &merged, size).is_some() {
        return Ok((Some(three(merged, size)), None));
    }
    if scratch.is_some() {
        let (merged, size) = line_merge_of(st, versions, marker_size)?;
        return Ok((Some(three(merged, size)), None));
    }
    // The merge driver's own result (its conflicts narrowed to the parts
    // it left, the rest settled): merged from the same stages, as the
    // driver's guide promises, never taken for a person's edit.
    if file.is_some() && driver_wrote(path, text, versions, &labels, marker_size, sets) {
        return Ok((Some(three(merged, size)), None));
    }
    Ok((
        None,
        Some("differs from git's merge of its stages (edited since?): merged from its own markers, two ways unless they have a base section"),
    ))
}

/// Whether `text` is what the merge driver (installed without `--prefer`,
/// reading the same rules `sets`) writes for these stages with these
/// labels: the engine's merge of them with the conflicts it leaves, in the
/// default, diff3 or zdiff3 style, byte for byte. A person's edit of it
/// changes a byte.
fn driver_wrote(
    path: &Path,
    text: &str,
    versions: Sides<&str>,
    labels: &OwnedLabels,
    marker_size: MarkerSize,
    sets: &RuleSet,
) -> bool {
    use crate::decide::rules::Mode;
    use crate::pipeline::driver::{merge_three, DriverSettings};
    use crate::pipeline::{Outcome, Policy};
    let styles: &[bool] = if labels.base.is_some() {
        &[false, true]
    } else {
        &[false]
    };
    styles.iter().any(|&zdiff3| {
        let settings = DriverSettings {
            policy: Policy::new(sets.clone(), Mode::Settle),
            marker_size,
            zdiff3,
            ..DriverSettings::default()
        };
        matches!(
            merge_three(path, versions, labels.as_ref(), &settings),
            Ok(Outcome::Resolved(r)) if r.unresolved && r.output == text
        )
    })
}

/// Whether a conflicted text holds the sides of the file (`file`: its
/// ours and theirs, every conflict taken from one side): then the file is
/// git's merge of the stages whatever its conflict style, labels or the
/// width git gave each conflict; any edit of a person's changes one side
/// or the other. Some: `git` scanned.
fn same_sides<'g>(
    file: Option<(&str, &str)>,
    git: &'g str,
    git_size: MarkerSize,
) -> Option<Vec<Chunk<'g>>> {
    let (upstream, stashed) = file?;
    // git's sides are not rebuilt: each of the file's is matched piece by
    // piece against the text and conflict sections that would make it (as
    // `Conflicted::scan` would find them: a text with an open marker, that
    // scans, and holds a conflict).
    if !has_open_marker(git, git_size) {
        return None;
    }
    let chunks = scan(git, git_size).ok()?;
    let made = chunks.iter().any(|c| matches!(c, Chunk::Conflict(_)))
        && made_of(upstream, &chunks, |c| c.upstream)
        && made_of(stashed, &chunks, |c| c.stashed);
    made.then_some(chunks)
}

/// Whether `whole` is one side of `chunks` (`pick`'s sections). git ends
/// a section whose last line lacks its newline with one: where `chunks`
/// end in a conflict, a side that ends without one (as its version does, a
/// narrower rendering having taken the shared last line out of it) is made
/// of the same pieces and that newline.
fn made_of<'a>(whole: &str, chunks: &'a [Chunk<'a>], pick: fn(&Conflict<'a>) -> &'a str) -> bool {
    if pieces_make(whole, side(chunks, pick)) {
        return true;
    }
    matches!(chunks.last(), Some(Chunk::Conflict(_)))
        && crate::conflict::refine::lacks_final_newline(whole)
        && ["\n", "\r\n"]
            .iter()
            .any(|eol| pieces_make(&format!("{whole}{eol}"), side(chunks, pick)))
}

/// The pieces one side of `chunks` is made of: every text, and `pick`'s
/// section of every conflict.
fn side<'a>(
    chunks: &'a [Chunk<'a>],
    pick: fn(&Conflict<'a>) -> &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    chunks.iter().map(move |c| match c {
        Chunk::Text { text, .. } => *text,
        Chunk::Conflict(c) => pick(c),
    })
}

/// Whether each conflict of `file` lies within a conflict of `git` (the
/// same sides', see [`same_sides`]): its ours and theirs lines inside that
/// conflict's, the sides' line numbers counted as each text rebuilds them,
/// and, where the file's conflict has a base section (diff3 or zdiff3
/// style, which narrows the sides but keeps the base whole), the same base
/// (two alignments can make the same sides out of different base lines:
/// PowerShell-Docs' Invoke-WebRequest.md). Or, without a base section,
/// within a run of git's conflicts that git's default style joins into one
/// (the lines between each two at most three, or none with a letter or a
/// digit: xdiff's `xdl_simplify_non_conflicts`, which diff3 style never
/// applies), beginning in the run's first and ending in its last; else
/// every file left in git's default style after a stash pop whose
/// frontmatter has two conflicts three lines apart or less paid a `git
/// merge-file`.
fn conflicts_within(file: &[Chunk<'_>], git: &[Chunk<'_>]) -> bool {
    let (inner, outer) = (spans(file), spans(git));
    let joined = joinable(git);
    inner.iter().all(|(fb, [o, t])| {
        (0..outer.len()).any(|first| {
            let (gb, [go, gt]) = &outer[first];
            (first..outer.len())
                .take_while(|&last| last == first || joined[last - 1])
                .any(|last| {
                    let [lo, lt] = &outer[last].1;
                    // A base section: one conflict of git's, the same base.
                    let base = fb.is_none_or(|fb| last == first && Some(fb) == *gb);
                    base && from_to(o, go, lo) && from_to(t, gt, lt)
                })
        })
    })
}

/// Whether line range `f` begins in `first` and ends in `last` (an empty
/// one at either end of them too): within `first` when it is `last`.
fn from_to(f: &Range<usize>, first: &Range<usize>, last: &Range<usize>) -> bool {
    (first.start..=first.end).contains(&f.start) && (last.start..=last.end).contains(&f.end)
}

/// For each two conflicts of `chunks` one after the other, whether git's
/// default style would join them into one: at most three lines between
/// them, or none holding a letter or a digit.
fn joinable(chunks: &[Chunk<'_>]) -> Vec<bool> {
    let mut out = Vec::new();
    let mut between: Option<(usize, bool)> = None;
    for c in chunks {
        match c {
            Chunk::Text { text, .. } => {
                if let Some((lines, alnum)) = between.as_mut() {
                    *lines += memchr::memchr_iter(b'\n', text.as_bytes()).count();
                    *alnum |= text.chars().any(char::is_alphanumeric);
                }
            }
            Chunk::Conflict(_) => {
                if let Some((lines, alnum)) = between {
                    out.push(lines <= 3 || !alnum);
                }
                between = Some((0, false));
            }
        }
    }
    out
}

/// Each conflict's base section and its ours and theirs lines, as line
/// ranges of the sides the chunks rebuild.
fn spans<'c>(chunks: &[Chunk<'c>]) -> Vec<(Option<&'c str>, [Range<usize>; 2])> {
    let lines = |t: &str| memchr::memchr_iter(b'\n', t.as_bytes()).count();
    let (mut o, mut t, mut out) = (0, 0, Vec::new());
    for c in chunks {
        match c {
            Chunk::Text { text, .. } => {
                o += lines(text);
                t += lines(text);
            }
            Chunk::Conflict(c) => {
                let (no, nt) = (lines(c.upstream), lines(c.stashed));
                out.push((c.base, [o..o + no, t..t + nt]));
                o += no;
                t += nt;
            }
        }
    }
    out
}

/// Whether `whole` is the `pieces` one after the other.
fn pieces_make<'p>(whole: &str, pieces: impl Iterator<Item = &'p str>) -> bool {
    let mut rest = whole.as_bytes();
    for piece in pieces {
        match rest.strip_prefix(piece.as_bytes()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The labels of the file's first conflict (ours/theirs without one).
fn file_labels(file: Option<&Conflicted<'_>>) -> OwnedLabels {
    let labels = file.map(|c| c.labels());
    OwnedLabels {
        upstream: labels.map_or("ours".into(), |l| l.upstream.to_owned()),
        base: labels.and_then(|l| l.base.map(str::to_owned)),
        stashed: labels.map_or("theirs".into(), |l| l.stashed.to_owned()),
    }
}

/// Labels owned, for a file's merge from its stages.
#[derive(Clone)]
struct OwnedLabels {
    upstream: String,
    base: Option<String>,
    stashed: String,
}

impl OwnedLabels {
    fn as_ref(&self) -> Labels<'_> {
        Labels {
            upstream: &self.upstream,
            base: self.base.as_deref(),
            stashed: &self.stashed,
        }
    }
}

/// git's line merge of the stages: its diff3 rendering when no version
/// holds a line a marker of that size could be mistaken for, else `git
/// merge-file` with longer markers. `(text, marker size)`.
fn line_merge_of(
    st: &Stages,
    versions: Sides<&str>,
    size: MarkerSize,
) -> anyhow::Result<(String, MarkerSize)> {
    let base = versions.base.unwrap_or("");
    let all = [versions.upstream, base, versions.stashed];
    if crate::conflict::scan::unambiguous_marker_size(&all, size) == size {
        return Ok((st.diff3.clone(), size));
    }
    let (text, size, _) = crate::git::line_merge(all, ["ours", "base", "theirs"], size)?;
    Ok((text, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_git_s_default_style_joined_lies_within_the_diff3_ones() {
        let seven = MarkerSize::DEFAULT;
        let within = |file: &str, git: &str| {
            conflicts_within(&scan(file, seven).unwrap(), &scan(git, seven).unwrap())
        };
        // git's diff3 merge: two conflicts a line apart (a stash pop's
        // frontmatter, fixtures/seeds), and the same joined in merge style.
        let diff3 = "---\n<<<<<<< ours\nt: A\n||||||| base\nt: O\n=======\nt: B\n>>>>>>> theirs\nk: x\n<<<<<<< ours\nd: A\n||||||| base\nd: O\n=======\nd: B\n>>>>>>> theirs\n---\n";
        let joined = "---\n<<<<<<< Updated upstream\nt: A\nk: x\nd: A\n=======\nt: B\nk: x\nd: B\n>>>>>>> Stashed changes\n---\n";
        assert!(within(joined, diff3));
        // Each narrowed on its own, as before.
        let apart = "---\n<<<<<<< ours\nt: A\n=======\nt: B\n>>>>>>> theirs\nk: x\n<<<<<<< ours\nd: A\n=======\nd: B\n>>>>>>> theirs\n---\n";
        assert!(within(apart, diff3));
        // Four lines with letters between them: git's default style keeps
        // them apart, so a file that joins them was aligned otherwise.
        let far = diff3.replace("k: x\n", "k: x\nl: y\nm: z\nn: w\n");
        let far_joined = joined.replace("k: x\n", "k: x\nl: y\nm: z\nn: w\n");
        assert!(!within(&far_joined, &far));
        // Four lines without a letter or digit between them are joined
        // (`git merge-file`'s XDL_MERGE_ZEALOUS_ALNUM).
        let blank = diff3.replace("k: x\n", "\n\n-\n\n");
        let blank_joined = joined.replace("k: x\n", "\n\n-\n\n");
        assert!(within(&blank_joined, &blank));
        // A joined conflict with a base section is not diff3's: git never
        // joins them in that style.
        let with_base = "---\n<<<<<<< ours\nt: A\nk: x\nd: A\n||||||| base\nt: O\nk: x\nd: O\n=======\nt: B\nk: x\nd: B\n>>>>>>> theirs\n---\n";
        assert!(!within(with_base, diff3));
        // Nor one that begins between git's two: a join begins in the first.
        let two = diff3.replace("k: x\n", "k: x\nl: y\n");
        let late =
            "---\nt: A\nk: x\n<<<<<<< ours\nl: y\nd: A\n=======\nl: y\nd: B\n>>>>>>> theirs\n---\n";
        assert!(!within(late, &two));
        assert!(within(&joined.replace("k: x\n", "k: x\nl: y\n"), &two));
        // A file conflict that reaches past git's last one is not within.
        let wider = "<<<<<<< ours\n---\nt: A\nk: x\nd: A\n=======\n---\nt: B\nk: x\nd: B\n>>>>>>> theirs\n---\n";
        assert!(!within(wider, diff3));
    }

    #[test]
    fn the_sides_are_matched_as_rebuilding_git_s_would_match_them() {
        // Rebuilt, as the sides were compared before.
        let rebuilt = |file: Option<(&str, &str)>, git: &str, size: MarkerSize| {
            let Some(file) = file else {
                return false;
            };
            Conflicted::scan(git, size).ok().flatten().is_some_and(|c| {
                let s = &c.split.sides;
                file == (s.upstream.text.as_str(), s.stashed.text.as_str())
            })
        };
        let seven = MarkerSize::DEFAULT;
        let gits = [
            "a\n<<<<<<< ours\nu\n||||||| base\nb\n=======\ns\n>>>>>>> theirs\nz\n",
            "a\n<<<<<<< ours\nu\n=======\ns\n>>>>>>> theirs\nz",
            "<<<<<<< ours\n=======\ns\n>>>>>>> theirs\n",
            "a\n<<<<<<< ours\nu\n=======\n",
            "a\nz\n",
            "",
            "a\n<<<<<<< ours\nu\n=======\ns\n>>>>>>> theirs\nm\n<<<<<<< ours\nv\n=======\nt\n>>>>>>> theirs\n",
        ];
        let sides = [
            "a\nu\nz\n",
            "a\ns\nz\n",
            "a\nu\nz",
            "a\ns\nz",
            "",
            "s\n",
            "a\nz\n",
            "a\nu\n",
            "a\nu\nm\nv\n",
            "a\ns\nm\nt\n",
            "a\nu\nz\n\n",
        ];
        let mut agreed = 0;
        for git in gits {
            for up in sides {
                for st in sides {
                    let file = Some((up, st));
                    let want = rebuilt(file, git, seven);
                    assert_eq!(
                        same_sides(file, git, seven).is_some(),
                        want,
                        "{git:?} {up:?} {st:?}"
                    );
                    agreed += usize::from(want);
                }
            }
            assert!(same_sides(None, git, seven).is_none());
        }
        assert!(agreed >= 4, "{agreed}");
    }
}
