//! `replay`: walks past merge commits, re-merges them, runs the merge
//! driver's automatic decisions on each conflicted article, and compares
//! part by part with what the merge commit holds (the human's answer).
//!
//! ```text
//! conflicts seen   parts both sides changed since the base, differently
//! as the human     frontmerge settled it, to the committed value
//! differently      frontmerge settled it, to another value (the dangerous number)
//! left             frontmerge left it for a person (conflict markers)
//! ```
//!
//! Whole files count the same four ways: settled as the human (no markers
//! and every part equal as data), differently, or left.
//!
//! A key only one side changed is no conflict, but where people undid that
//! change (kept the other side's value) frontmerge, which keeps every
//! one-sided change, settles it differently: such keys are counted apart
//! (`undone`), so that `learn` can learn from them (key groups).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::article::{self, Article, ArticleOptions};
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan;
use crate::conflict::sides::Sides;
use crate::decide::rules::when::{merged_names, MergeKind};
use crate::files::{MARKDOWN_EXTENSIONS, MAX_FILE_SIZE};
use crate::merge::compare::{self, Comparison, Part};
use crate::pipeline::driver::DriverSettings;
use crate::pipeline::{Conflicted, Outcome};

use super::history::{History, HistoryError, Merge, Remerge};

/// Which merges to replay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    /// A revision range (`main~200..main`); `None`: every ref.
    pub(crate) rev_range: Option<String>,
    /// At most this many merges, the newest.
    pub(crate) max_merges: Option<usize>,
    /// Only merges committed before this time (seconds since the epoch).
    pub(crate) before: Option<i64>,
    /// Only merges committed at or after this time.
    pub(crate) after: Option<i64>,
}

/// One conflicted article of one merge: the three versions and the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileCase {
    /// The merge commit.
    pub(crate) merge: String,
    /// Its committer date.
    pub(crate) time: i64,
    /// The path in the merge.
    pub(crate) path: String,
    /// The merge base's version, when the file existed there.
    pub(crate) base: Option<String>,
    /// The first parent's version (upstream, `ours`).
    pub(crate) ours: String,
    /// The merged parent's version (stashed, `theirs`).
    pub(crate) theirs: String,
    /// What the merge commit holds.
    pub(crate) human: String,
    /// The names of the branch it merged, from its subject (the kind of
    /// merge for conditional rules; empty: not known).
    pub(crate) merging: Vec<String>,
}

impl FileCase {
    /// The kind of merge, as conditional rules see it.
    pub(crate) fn kind(&self) -> MergeKind {
        MergeKind {
            operation: crate::git::Operation::Merge,
            merging: self.merging.clone(),
        }
    }
}

/// How frontmerge did on one part or file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// Settled as the human did.
    AsHuman,
    /// Settled, differently from the human.
    Differently,
    /// Left for a person.
    Left,
}

/// The four counts of a part or of whole files.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    /// Conflicts seen.
    pub(crate) conflicts: usize,
    /// Settled as the human did.
    pub(crate) as_human: usize,
    /// Settled differently (the dangerous number).
    pub(crate) differently: usize,
    /// Left for a person.
    pub(crate) left: usize,
}

impl Counts {
    /// Counts one verdict.
    pub(crate) fn add(&mut self, v: Verdict) {
        self.conflicts += 1;
        match v {
            Verdict::AsHuman => self.as_human += 1,
            Verdict::Differently => self.differently += 1,
            Verdict::Left => self.left += 1,
        }
    }

    /// Adds another set of counts.
    pub(crate) fn merge(&mut self, o: &Counts) {
        self.conflicts += o.conflicts;
        self.as_human += o.as_human;
        self.differently += o.differently;
        self.left += o.left;
    }
}

/// One conflicted part (or one-sided change people undid) and what
/// became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PartCase {
    /// The merge commit.
    pub(crate) merge: String,
    /// The file.
    pub(crate) path: String,
    /// The part.
    #[serde(flatten)]
    pub(crate) part: Part,
    /// How frontmerge did.
    pub(crate) verdict: Verdict,
    /// Only one side changed it, and people undid that change: no conflict
    /// for git or frontmerge (which keeps the change).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) undone: bool,
    /// The first parent's value (the entry's text for a key).
    pub(crate) ours: Option<String>,
    /// The merged parent's value.
    pub(crate) theirs: Option<String>,
    /// frontmerge's value (none when left).
    pub(crate) frontmerge: Option<String>,
    /// The human's value.
    pub(crate) human: Option<String>,
}

/// One file's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileResult {
    /// The whole file's verdict.
    pub(crate) verdict: Verdict,
    /// Each conflicted part, then each one-sided change people undid.
    pub(crate) parts: Vec<PartCase>,
}

/// Everything `replay` found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Report {
    /// Merge commits selected.
    pub(crate) merges: usize,
    /// Of those, merges git re-merges cleanly.
    pub(crate) clean_merges: usize,
    /// Merges and files skipped, by reason.
    pub(crate) skipped: BTreeMap<String, usize>,
    /// Whole conflicted articles.
    pub(crate) files: Counts,
    /// Per frontmatter key.
    pub(crate) keys: BTreeMap<String, Counts>,
    /// The body.
    pub(crate) body: Counts,
    /// The related links.
    pub(crate) links: Counts,
    /// Per frontmatter key, one-sided changes people undid.
    pub(crate) undone: BTreeMap<String, Counts>,
    /// Every conflicted part (and undone one-sided change) with its values.
    pub(crate) cases: Vec<PartCase>,
}

impl Report {
    /// All frontmatter keys together.
    pub(crate) fn all_keys(&self) -> Counts {
        let mut c = Counts::default();
        for k in self.keys.values() {
            c.merge(k);
        }
        c
    }

    /// Every part: conflicted keys, body, links and undone one-sided changes.
    pub(crate) fn parts(&self) -> Counts {
        let mut c = self.all_keys();
        c.merge(&self.body);
        c.merge(&self.links);
        for k in self.undone.values() {
            c.merge(k);
        }
        c
    }

    /// The wrong answers (settled differently).
    pub(crate) fn wrong(&self) -> impl Iterator<Item = &PartCase> {
        self.cases
            .iter()
            .filter(|c| c.verdict == Verdict::Differently)
    }
}

/// What the history walk collected: the cases, and what it had to skip.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collected {
    /// Conflicted articles, oldest merge first.
    pub(crate) cases: Vec<FileCase>,
    /// Merge commits selected.
    pub(crate) merges: usize,
    /// Merges git re-merges cleanly.
    pub(crate) clean_merges: usize,
    /// Skipped merges and files, by reason.
    pub(crate) skipped: BTreeMap<String, usize>,
    /// The two parents of each merge that has cases (for `learn`'s look at
    /// the commits in between).
    pub(crate) parents: BTreeMap<String, [String; 2]>,
}

fn is_markdown(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Picks the merges of `selection`, newest `max_merges` last.
pub(crate) fn select(mut merges: Vec<Merge>, selection: &Selection) -> Vec<Merge> {
    merges.retain(|m| {
        selection.before.is_none_or(|b| m.time < b) && selection.after.is_none_or(|a| m.time >= a)
    });
    // Newest first for the cut, oldest first for the replay.
    merges.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    if let Some(n) = selection.max_merges {
        merges.truncate(n);
    }
    merges.reverse();
    merges
}

/// Walks the history: re-merges each selected merge (in parallel) and reads
/// the versions of every conflicted article. `tick` is called once per
/// merge done (for a progress bar); `total` first, with the count.
pub(crate) fn collect(
    history: &History,
    selection: &Selection,
    total: &(dyn Fn(usize) + Sync),
    tick: &(dyn Fn() + Sync),
) -> Result<Collected, HistoryError> {
    let merges = select(history.merges(selection.rev_range.as_deref())?, selection);
    total(merges.len());
    let remerged: Vec<(Merge, Remerge)> = merges
        .into_par_iter()
        .map(|m| {
            let r = history.remerge(&m);
            tick();
            (m, r)
        })
        .collect();
    let mut c = Collected {
        merges: remerged.len(),
        ..Collected::default()
    };
    let mut skip = |reason: &str| *c.skipped.entry(reason.to_owned()).or_default() += 1;
    // (merge, path, base?, [names to read])
    let mut wanted = Vec::new();
    let mut clean = 0;
    for (m, r) in &remerged {
        match r {
            Remerge::Clean => clean += 1,
            Remerge::Skipped(why) => skip(why),
            Remerge::Conflicts(files) => {
                for f in files.iter().filter(|f| is_markdown(&f.path)) {
                    let (Some(ours), Some(theirs)) = (&f.ours, &f.theirs) else {
                        skip("file deleted on one side");
                        continue;
                    };
                    wanted.push((m, f.path.clone(), f.base.clone(), ours, theirs));
                }
            }
        }
    }
    let mut names = Vec::with_capacity(wanted.len() * 4);
    for (m, path, base, ours, theirs) in &wanted {
        names.push(base.clone().unwrap_or_else(|| ours.to_string()));
        names.push(ours.to_string());
        names.push(theirs.to_string());
        names.push(format!("{}:{path}", m.id));
    }
    let objects = history.read_objects(&names, MAX_FILE_SIZE)?;
    let mut cases = Vec::new();
    for ((m, path, base, _, _), blobs) in wanted.iter().zip(objects.chunks(4)) {
        let text = |i: usize| -> Result<String, &'static str> {
            let bytes = blobs[i].as_ref().map_err(|e| match *e {
                "missing" if i == 3 => "deleted or moved in the merge commit",
                other => other,
            })?;
            crate::error::decode(bytes)
                .map(str::to_owned)
                .map_err(|e| match e {
                    crate::error::Error::Binary { .. } => "binary",
                    _ => "not UTF-8 text",
                })
        };
        let read = (|| {
            Ok::<_, &'static str>(FileCase {
                merge: m.id.clone(),
                time: m.time,
                path: path.clone(),
                base: base.as_ref().map(|_| text(0)).transpose()?,
                ours: text(1)?,
                theirs: text(2)?,
                human: text(3)?,
                merging: merged_names(&m.subject),
            })
        })();
        match read.and_then(|case| check(&case).map(|()| case)) {
            Ok(case) => cases.push(case),
            Err(why) => skip(why),
        }
    }
    c.clean_merges = clean;
    let with_cases: std::collections::HashSet<&str> =
        cases.iter().map(|c| c.merge.as_str()).collect();
    for (m, _) in &remerged {
        if let ([p1, p2], true) = (m.parents.as_slice(), with_cases.contains(m.id.as_str())) {
            c.parents.insert(m.id.clone(), [p1.clone(), p2.clone()]);
        }
    }
    c.cases = cases;
    Ok(c)
}

fn parse<'t>(text: &'t str) -> Option<Article<'t>> {
    article::parse(text, &ArticleOptions::default()).ok()
}

/// Whether a case can be judged at all; the reason it is skipped otherwise.
pub(crate) fn check(case: &FileCase) -> Result<(), &'static str> {
    const SIDE: &str = "a side is not a readable article";
    let up = parse(&case.ours).ok_or(SIDE)?;
    let st = parse(&case.theirs).ok_or(SIDE)?;
    if let Some(b) = &case.base {
        parse(b).ok_or(SIDE)?;
    }
    if up.frontmatter.is_none() && st.frontmatter.is_none() {
        return Err("no frontmatter");
    }
    if scan::has_open_marker(&case.human, MarkerSize::DEFAULT) {
        return Err("committed with conflict markers");
    }
    parse(&case.human).ok_or("the merge commit's version is not a readable article")?;
    Ok(())
}

/// The parts both sides changed since the base, differently (without a
/// base: every part that differs), then the keys only one side changed
/// where `human` holds the other side's value (people undid the change).
fn judged_parts(arts: &Sides<Article<'_>>, human: &Article<'_>) -> (Vec<Part>, Vec<Part>) {
    let between = compare::compare_parts(arts.as_ref().without_base());
    let Some(base) = &arts.base else {
        return (between.differing().collect(), Vec::new());
    };
    let from_base = |a: &Article<'_>| compare::compare_parts(Sides::new(a, base, None));
    let (up, st) = (from_base(&arts.upstream), from_base(&arts.stashed));
    let mut conflicted = Vec::new();
    let mut undone = Vec::new();
    for p in between.differing() {
        match (up.change(&p).differs(), st.change(&p).differs(), &p) {
            (true, true, _) => conflicted.push(p),
            (true, false, Part::Key(k)) if human.value_at(k) == arts.stashed.value_at(k) => {
                undone.push(p)
            }
            (false, true, Part::Key(k)) if human.value_at(k) == arts.upstream.value_at(k) => {
                undone.push(p)
            }
            _ => {}
        }
    }
    (conflicted, undone)
}

/// A part's value as text, for examples: the key's lines, the links' lines,
/// for the body its first line that differs from `other`'s.
fn shown(a: &Article<'_>, part: &Part, other: Option<&Article<'_>>) -> Option<String> {
    match part {
        Part::Key(k) => Some(a.entry_at(k)?.text.trim_end().to_owned()),
        Part::Links => Some(
            a.links()
                .iter()
                .map(|i| i.text.trim_end())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Part::Body => {
            let theirs: Vec<&str> = other.map(|o| o.body.lines().collect()).unwrap_or_default();
            let line = a
                .body
                .lines()
                .enumerate()
                .find(|(i, l)| theirs.get(*i) != Some(l))
                .map(|(i, l)| format!("line {}: {l}", i + 1))
                .unwrap_or_else(|| format!("({} lines)", a.body.lines().count()));
            Some(line)
        }
    }
}

/// Judges one case with the driver's automatic decisions under `settings`.
pub(crate) fn judge(
    case: &FileCase,
    settings: &DriverSettings,
) -> Result<FileResult, &'static str> {
    check(case)?;
    // Conditional rules see this merge's kind, as the driver would have.
    let with_kind;
    let settings = if settings.policy.rules.has_conditions() {
        let mut s = settings.clone();
        s.policy.rules.set_kind(Some(case.kind()));
        with_kind = s;
        &with_kind
    } else {
        settings
    };
    let (up, st, human) = (
        parse(&case.ours).ok_or("unreadable")?,
        parse(&case.theirs).ok_or("unreadable")?,
        parse(&case.human).ok_or("unreadable")?,
    );
    let base = case.base.as_deref().and_then(parse);
    let arts = Sides::new(up, st, base);
    let (parts, undone) = judged_parts(&arts, &human);
    let versions = Sides::new(
        case.ours.as_str(),
        case.theirs.as_str(),
        case.base.as_deref(),
    );
    let out = super::engine::merge(&case.path, versions, settings);
    // frontmerge's two sides: equal where it settled, different where it left markers.
    let sides: Option<(String, String)> = match &out {
        Ok(Outcome::Resolved(r)) if !r.unresolved => Some((r.output.clone(), r.output.clone())),
        Ok(Outcome::Resolved(r)) => Conflicted::scan(&r.output, MarkerSize::DEFAULT)
            .ok()
            .flatten()
            .map(|c| {
                let s = &c.split.sides;
                (s.upstream.text.clone(), s.stashed.text.clone())
            }),
        // The driver falls back to git's line merge: everything is left.
        _ => None,
    };
    let fm = sides
        .as_ref()
        .and_then(|(a, b)| Some((parse(a)?, parse(b)?)));
    let mut results = Vec::with_capacity(parts.len() + undone.len());
    let open: Option<Comparison> = fm
        .as_ref()
        .map(|(a, b)| compare::compare_parts(Sides::new(a, b, None)));
    let vs_human: Option<Comparison> = fm
        .as_ref()
        .map(|(a, _)| compare::compare_parts(Sides::new(a, &human, None)));
    let tagged = parts
        .into_iter()
        .map(|p| (p, false))
        .chain(undone.into_iter().map(|p| (p, true)));
    for (part, one_sided) in tagged {
        let verdict = match (&open, &vs_human) {
            (Some(open), Some(h)) if !open.change(&part).differs() => {
                if h.change(&part).differs() {
                    Verdict::Differently
                } else {
                    Verdict::AsHuman
                }
            }
            _ => Verdict::Left,
        };
        let frontmerge = match (verdict, &fm) {
            (Verdict::Left, _) | (_, None) => None,
            (_, Some((a, _))) => shown(a, &part, Some(&human)),
        };
        results.push(PartCase {
            merge: case.merge.clone(),
            path: case.path.clone(),
            verdict,
            undone: one_sided,
            ours: shown(&arts.upstream, &part, None),
            theirs: shown(&arts.stashed, &part, None),
            human: shown(&human, &part, fm.as_ref().map(|(a, _)| a)),
            frontmerge,
            part,
        });
    }
    let verdict = match (&sides, &vs_human) {
        (Some((a, b)), Some(h)) if a == b => {
            if h.differing().next().is_some() {
                Verdict::Differently
            } else {
                Verdict::AsHuman
            }
        }
        _ => Verdict::Left,
    };
    Ok(FileResult {
        verdict,
        parts: results,
    })
}

/// Judges every case of `collected` (in parallel) and adds up the report.
pub(crate) fn score(collected: &Collected, settings: &DriverSettings) -> Report {
    let cases: Vec<&FileCase> = collected.cases.iter().collect();
    report(collected, judge_all(&cases, settings))
}

/// The report of `collected` from its judged files (`results`).
pub(crate) fn report<'r>(
    collected: &Collected,
    results: impl IntoIterator<Item = Result<FileResult, &'r str>>,
) -> Report {
    let mut r = tally(results);
    r.merges = collected.merges;
    r.clean_merges = collected.clean_merges;
    for (why, n) in &collected.skipped {
        *r.skipped.entry(why.clone()).or_default() += n;
    }
    r
}

/// Judges each of `cases` (in parallel), in order.
pub(crate) fn judge_all(
    cases: &[&FileCase],
    settings: &DriverSettings,
) -> Vec<Result<FileResult, &'static str>> {
    cases.par_iter().map(|c| judge(c, settings)).collect()
}

/// Adds up judged files (merges and clean merges are left at 0).
pub(crate) fn tally<'r>(results: impl IntoIterator<Item = Result<FileResult, &'r str>>) -> Report {
    let mut r = Report::default();
    for res in results {
        match res {
            Ok(f) => {
                r.files.add(f.verdict);
                for p in f.parts {
                    let counts = match (&p.part, p.undone) {
                        (Part::Key(k), true) => r.undone.entry(k.to_string()).or_default(),
                        (Part::Key(k), false) => r.keys.entry(k.to_string()).or_default(),
                        (Part::Body, _) => &mut r.body,
                        (Part::Links, _) => &mut r.links,
                    };
                    counts.add(p.verdict);
                    r.cases.push(p);
                }
            }
            Err(why) => *r.skipped.entry(why.to_owned()).or_default() += 1,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(base: &str, ours: &str, theirs: &str, human: &str) -> FileCase {
        FileCase {
            merge: "m".into(),
            time: 0,
            path: "a.md".into(),
            base: Some(base.into()),
            ours: ours.into(),
            theirs: theirs.into(),
            human: human.into(),
            merging: Vec::new(),
        }
    }

    fn settings() -> DriverSettings {
        DriverSettings {
            policy: crate::pipeline::Policy::default(),
            ..DriverSettings::default()
        }
    }

    #[test]
    fn counts_as_human_differently_and_left() {
        let base = "---\ntitle: A\nlastmod: 2024-01-01\n---\nbody\n";
        let ours = "---\ntitle: B\nlastmod: 2024-02-01\n---\nbody\n";
        let theirs = "---\ntitle: C\nlastmod: 2024-03-01\n---\nbody\n";
        // The human kept the older date: `newest` settles it differently.
        let human = "---\ntitle: B\nlastmod: 2024-02-01\n---\nbody\n";
        let f = judge(&case(base, ours, theirs, human), &settings()).unwrap();
        let v: Vec<(String, Verdict)> = f
            .parts
            .iter()
            .map(|p| (p.part.to_string(), p.verdict))
            .collect();
        assert_eq!(
            v,
            vec![
                ("title".to_string(), Verdict::Left),
                ("lastmod".to_string(), Verdict::Differently)
            ]
        );
        assert_eq!(f.verdict, Verdict::Left);
        let wrong = &f.parts[1];
        assert_eq!(wrong.frontmerge.as_deref(), Some("lastmod: 2024-03-01"));
        assert_eq!(wrong.human.as_deref(), Some("lastmod: 2024-02-01"));
        // Where the human took the newer date, frontmerge agrees.
        let human = "---\ntitle: B\nlastmod: 2024-03-01\n---\nbody\n";
        let f = judge(&case(base, ours, theirs, human), &settings()).unwrap();
        assert_eq!(f.parts[1].verdict, Verdict::AsHuman);
    }

    #[test]
    fn one_sided_changes_are_no_conflict_and_a_clean_result_judges_the_file() {
        let base = "---\ntitle: A\ndesc: D\n---\nbody\n";
        let ours = "---\ntitle: B\ndesc: D\n---\nbody\n";
        let theirs = "---\ntitle: A\ndesc: E\n---\nbody\n";
        let human = "---\ntitle: B\ndesc: E\n---\nbody\n";
        let f = judge(&case(base, ours, theirs, human), &settings()).unwrap();
        assert!(f.parts.is_empty());
        assert_eq!(f.verdict, Verdict::AsHuman);
        let human = "---\ntitle: B\ndesc: D\n---\nbody\n";
        let f = judge(&case(base, ours, theirs, human), &settings()).unwrap();
        assert_eq!(f.verdict, Verdict::Differently);
    }

    #[test]
    fn one_sided_changes_people_undid_are_counted_apart() {
        // Theirs marked the page drifted; people kept ours' re-sync whole.
        let base = "---\nsource: a\ndrifted: false\n---\nbody\n";
        let ours = "---\nsource: b\ndrifted: false\n---\nbody\n";
        let theirs = "---\nsource: a\ndrifted: true\n---\nbody\n";
        let f = judge(&case(base, ours, theirs, ours), &settings()).unwrap();
        let v: Vec<(String, Verdict, bool)> = f
            .parts
            .iter()
            .map(|p| (p.part.to_string(), p.verdict, p.undone))
            .collect();
        assert_eq!(v, [("drifted".to_string(), Verdict::Differently, true)]);
        assert_eq!(f.parts[0].theirs.as_deref(), Some("drifted: true"));
        assert_eq!(f.verdict, Verdict::Differently);
        let r = tally([Ok(f)]);
        assert!(r.keys.is_empty());
        assert_eq!(r.undone["drifted"].differently, 1);
        assert_eq!(r.parts().conflicts, 1);
        // A one-sided change people kept is no part at all.
        let f = judge(&case(base, ours, theirs, theirs), &settings()).unwrap();
        let undone: Vec<String> = f.parts.iter().map(|p| p.part.to_string()).collect();
        assert_eq!(undone, ["source"]);
    }

    #[test]
    fn bad_input_is_a_reason_not_a_failure() {
        let ok = "---\ntitle: A\n---\nb\n";
        assert_eq!(
            check(&case(
                ok,
                ok,
                ok,
                "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n"
            )),
            Err("committed with conflict markers")
        );
        assert_eq!(
            check(&case("a\n", "plain\n", "text\n", "x\n")),
            Err("no frontmatter")
        );
        assert_eq!(
            check(&case(ok, "---\na: [\n---\nb\n", ok, ok)),
            Err("a side is not a readable article")
        );
    }

    #[test]
    fn selection_cuts_by_date_then_keeps_the_newest() {
        let m = |id: &str, time| Merge {
            id: id.into(),
            parents: vec![],
            time,
            subject: String::new(),
        };
        let all = vec![m("a", 10), m("b", 20), m("c", 30), m("d", 40)];
        let s = Selection {
            after: Some(20),
            before: Some(40),
            ..Selection::default()
        };
        let ids = |v: Vec<Merge>| v.into_iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(select(all.clone(), &s)), ["b", "c"]);
        let s = Selection {
            max_merges: Some(2),
            ..Selection::default()
        };
        assert_eq!(ids(select(all, &s)), ["c", "d"]);
    }
}
