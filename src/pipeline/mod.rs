//! The pure pipeline for one file: scan, split, parse, compare, decide,
//! render, validate. No I/O: text in, text out; but [`driver`], the merge
//! driver's merge, which runs git's line merge before the pipeline.

pub mod cascade;
pub mod derived;
pub mod driver;
pub mod policy;
pub mod prepare;
pub mod render;

pub use policy::Policy;
pub use prepare::{Compared, Conflicted, Input, LineMerge, Prepared, Ready};

use std::path::Path;

use self::render::MarkerStyle;
use crate::article::{self, Article, ArticleOptions};
use crate::conflict::fences::Examples;
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::{self, Labels};
use crate::conflict::sides::Sides;
use crate::conflict::worded::Worded;
use crate::decide::{Decider, Decisions, FileView, Flow, Resolution};
pub use crate::error::{decode, Error};
use crate::merge::compare::Part;
use derived::DerivedOptions;

/// What the pipeline needs to know.
#[derive(Clone, Debug)]
pub struct Options {
    /// Conflict marker size (git's `conflict-marker-size`).
    pub marker_size: MarkerSize,
    /// How articles are recognised.
    pub article: ArticleOptions,
    /// Derived fields: the configured mirrors, and `--sync-derived`.
    pub derived: DerivedOptions,
    /// The rules that say which lists merge as sets (`tags`, a `union`
    /// rule); every other list merges item by item.
    pub sets: crate::decide::rules::RuleSet,
    /// git's line merge, where markers are written around what is left
    /// (none: this crate's own, as in unit tests).
    pub line_merger: Option<render::LineMerger>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            marker_size: MarkerSize::DEFAULT,
            article: ArticleOptions::default(),
            derived: DerivedOptions::default(),
            sets: crate::decide::rules::RuleSet::defaults(),
            line_merger: None,
        }
    }
}

/// The result of resolving one file.
#[derive(Debug)]
pub enum Outcome {
    /// No conflict markers: the file is left alone.
    NoConflicts,
    /// Every part is decided (some perhaps left unresolved on purpose).
    Resolved(Resolved),
    /// Some parts need a decision nobody made.
    NeedsDecision {
        /// The parts still open; empty when the sides differ only outside
        /// the parts (BOM, comments, quoting, the links heading).
        open: Vec<Part>,
        /// The labels git wrote.
        labels: (String, String),
        /// Why some part was not settled automatically (a rule that could not apply).
        notes: Vec<Worded>,
    },
    /// The user quit.
    Quit,
}

/// A resolved file.
#[derive(Debug)]
pub struct Resolved {
    /// The new file text.
    pub output: String,
    /// One line per decided part, e.g. `title ← stashed (--prefer)`: shown
    /// through [`Resolved::summary_lines`].
    pub summary: Vec<Worded>,
    /// The counts for the summary line.
    pub tally: crate::decide::Tally,
    /// True when some part was left as a conflict on purpose.
    pub unresolved: bool,
    /// True when a person decided some part (the picker, an edit): the
    /// result is theirs, never given up for git's conflicts.
    pub chosen: bool,
    /// True when some part was settled by more than the base (`--prefer`,
    /// `--links`, a rule, a person).
    pub decided: bool,
    /// Messages: rules that fell back to asking, derived fields out of step.
    pub notes: Vec<Worded>,
}

impl Resolved {
    /// The summary lines with the sides called as `names` says.
    pub fn summary_lines(&self, names: crate::conflict::sides::SideNames) -> Vec<String> {
        self.summary.iter().map(|l| l.named(names)).collect()
    }
}

/// Checks a result before it is written: markers only where a part was left
/// unresolved on purpose, frontmatter that parses, no duplicate keys.
pub fn validate(output: &str, opts: &Options, unresolved: bool) -> Result<(), Error> {
    validate_with(output, &[], opts, unresolved)
}

/// [`validate`], with the marker lines that a `clean` version (a side, the
/// base) shows inside a fenced code block read as text: examples.
pub fn validate_with(
    output: &str,
    clean: &[&str],
    opts: &Options,
    unresolved: bool,
) -> Result<(), Error> {
    validated(output, clean, opts, unresolved, None).map(|_| ())
}

/// [`validate_with`], giving the result parsed (when it was: not for a
/// result left with conflicts), for the checks that follow to read it
/// without parsing it again. `known`: the same result read before (the
/// derived fields' check), whose frontmatter is taken as read.
fn validated<'o>(
    output: &'o str,
    clean: &[&str],
    opts: &Options,
    unresolved: bool,
    known: Option<&Article<'_>>,
) -> Result<Option<Article<'o>>, Error> {
    let examples = Examples::known(output, opts.marker_size, clean);
    let chunks = scan::scan_except(output, opts.marker_size, &examples)
        .map_err(|e| Error::InvalidResult(format!("line {}: {e}", e.line)))?;
    if unresolved {
        return Ok(None);
    }
    if let Some(c) = chunks.iter().find_map(|c| match c {
        scan::Chunk::Conflict(c) => Some(c),
        scan::Chunk::Text { .. } => None,
    }) {
        return Err(Error::InvalidResult(format!(
            "line {}: conflict markers left",
            c.line
        )));
    }
    article::parse_like(output, &opts.article, known)
        .map(Some)
        .map_err(|e| Error::InvalidResult(format!("line {}: {e}", e.line())))
}

/// The whole texts of the sides (and the base): the clean versions whose
/// fenced examples a result may show.
pub fn side_texts<'t>(articles: &Sides<Article<'t>>) -> Vec<&'t str> {
    let mut out = vec![articles.upstream.text, articles.stashed.text];
    out.extend(articles.base.as_ref().map(|b| b.text));
    out
}

/// Merges one file: the one entry point of every path (resolve, the merge
/// driver, replay, mergetool).
pub fn resolve(
    path: &Path,
    input: Input<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let given = input;
    let ready = prepare::ready(
        input,
        opts,
        &opts.sets,
        false,
        |versions, compared, said| {
            let mut outcome = decide(path, versions.labels(), compared, opts, deciders)?;
            if let Outcome::Resolved(Resolved { notes, .. })
            | Outcome::NeedsDecision { notes, .. } = &mut outcome
            {
                notes.splice(0..0, said);
            }
            Ok::<_, Error>(outcome)
        },
    )?;
    let outcome = match ready {
        Ready::Compared(outcome) => outcome?,
        Ready::NoConflicts => Outcome::NoConflicts,
        Ready::Clean(text) => Outcome::Resolved(Resolved {
            output: text.to_owned(),
            summary: vec!["merged by lines, exactly as git merge-file".into()],
            tally: crate::decide::Tally::default(),
            unresolved: false,
            chosen: false,
            decided: false,
            notes: Vec::new(),
        }),
        Ready::Broken {
            text,
            why,
            compared,
        } => {
            let chooses = deciders.iter().any(|d| d.chooses_sides());
            match compared {
                // What the engine made of it, unless it settled it without
                // anyone choosing: git's clean merge was no valid result,
                // and a key both sides added alike is still theirs to place.
                Some(Ok(Outcome::Resolved(r))) if r.unresolved || r.decided || chooses => {
                    Outcome::Resolved(r)
                }
                Some(Ok(o @ (Outcome::NeedsDecision { .. } | Outcome::Quit))) => o,
                _ => Outcome::Resolved(Resolved {
                    output: text,
                    summary: Vec::new(),
                    tally: crate::decide::Tally {
                        unresolved: 1,
                        ..Default::default()
                    },
                    unresolved: true,
                    chosen: false,
                    decided: false,
                    notes: vec![why.into()],
                }),
            }
        }
    };
    Ok(no_wider_than_git(outcome, given, opts))
}

/// A result left with conflicts spans no more lines between markers than
/// git's own merge of the same versions: where the engine's conflicts
/// would (the sides' lines, what a person chooses between), git's
/// conflicts are the result, and the summary says why. Not where a person
/// decided some part (the picker's answers are never undone).
///
/// The engine conflicts on values, and a value can need more lines than
/// git's hunk: an item one side moved and edited, read as removed against
/// the other side's edit, is written with its neighbour when a JSON comma
/// or a YAML indent depends on it. git's narrower hunk is then the better
/// place for the person to start. Not where a side of git's conflicts
/// leaves an invalid article (a key twice, frontmatter that no longer
/// parses: git's clean lines are wrong there, and the engine's wider
/// conflict around the offending entries is the answer).
///
/// git's merge: for three versions, git's line merge of them in the
/// result's style, narrowed as the engine narrows its own conflicts (git's
/// refinement, never joining conflicts three lines apart); for a conflicted
/// text alone, that text, as the person has it.
fn no_wider_than_git(outcome: Outcome, input: Input<'_>, opts: &Options) -> Outcome {
    let Outcome::Resolved(r) = outcome else {
        return outcome;
    };
    if !r.unresolved || r.chosen {
        return Outcome::Resolved(r);
    }
    let (git, clean) = match input {
        Input::Three {
            versions, labels, ..
        } => {
            let base = versions.base.unwrap_or("");
            let texts = [versions.upstream, base, versions.stashed];
            let markers = MarkerStyle {
                size: opts.marker_size,
                labels,
                merger: opts.line_merger,
            };
            match markers.git_merge(texts) {
                Some(text) => (std::borrow::Cow::Owned(text), texts.to_vec()),
                None => return Outcome::Resolved(r),
            }
        }
        Input::Conflicted { text, known } => (
            std::borrow::Cow::Borrowed(text),
            known.iter().map(String::as_str).collect(),
        ),
    };
    let engine = side_lines(&r.output, opts.marker_size, &clean);
    let gits = side_lines(&git, opts.marker_size, &clean);
    let (Some((engine, _)), Some((lines, chunks))) = (engine, gits) else {
        return Outcome::Resolved(r);
    };
    if engine <= lines || lines == 0 {
        return Outcome::Resolved(r);
    }
    let sides = crate::conflict::split::split(&chunks).sides;
    let valid = |side: &str| article::parse(side, &opts.article).is_ok();
    if !valid(&sides.upstream.text) || !valid(&sides.stashed.text) {
        return Outcome::Resolved(r);
    }
    let conflicts = chunks
        .iter()
        .filter(|c| matches!(c, scan::Chunk::Conflict(_)))
        .count();
    let output = git.into_owned();
    Outcome::Resolved(Resolved {
        output,
        summary: vec![format!(
            "left as git merged it: field by field its conflicts would span {engine} lines, git's {lines}"
        )
        .into()],
        tally: crate::decide::Tally {
            unresolved: conflicts,
            ..Default::default()
        },
        unresolved: true,
        chosen: false,
        decided: false,
        notes: r.notes,
    })
}

/// The lines inside the conflicts of `text` (its sides', base sections
/// not counted) and its chunks; `None` when it does not scan.
fn side_lines<'t>(
    text: &'t str,
    size: MarkerSize,
    clean: &[&str],
) -> Option<(usize, Vec<scan::Chunk<'t>>)> {
    let examples = Examples::known(text, size, clean);
    let chunks = scan::scan_except(text, size, &examples).ok()?;
    let lines = chunks
        .iter()
        .map(|c| match c {
            scan::Chunk::Conflict(c) => c.upstream.lines().count() + c.stashed.lines().count(),
            scan::Chunk::Text { .. } => 0,
        })
        .sum();
    Some((lines, chunks))
}

/// Runs the deciders over compared versions, renders and validates.
pub fn decide(
    path: &Path,
    labels: Labels<'_>,
    compared: &Compared<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let articles = &compared.articles;
    let fm = &compared.fm;
    let comparison = &compared.comparison;
    let view = FileView {
        path,
        articles,
        comparison,
        labels,
        fm,
        whole: compared.whole.as_ref(),
        keyed: Some(compared.keyed()),
    };
    let mut decisions = Decisions::default();
    for (part, note) in &compared.notes {
        decisions.note(part.clone(), note.clone());
    }
    if cascade::run(deciders, &view, &mut decisions).map_err(Error::Decide)? == Flow::Quit {
        return Ok(Outcome::Quit);
    }
    let texts_differ = articles.upstream.text != articles.stashed.text;
    let open = decisions.open(comparison);
    let notes = |d: &Decisions| d.notes().map(|(_, t)| t.clone()).collect::<Vec<_>>();
    // Nothing differs part by part, yet the sides do (a comment, a BOM, the
    // links heading): without a decider choosing a side, writing either one
    // would drop the other's bytes undecided. `open` is empty then.
    // With a base, each such piece takes the bytes of the side that alone
    // changed it: the framing side then makes no difference, nothing is asked.
    let layout_only = texts_differ && comparison.differing().next().is_none();
    let markers = MarkerStyle {
        size: opts.marker_size,
        labels,
        merger: opts.line_merger,
    };
    let frame_matters = || render::frame_matters(articles, comparison, &decisions, &markers, fm);
    if !open.is_empty() || (layout_only && decisions.skeleton.is_none() && frame_matters()) {
        return Ok(Outcome::NeedsDecision {
            open,
            labels: (labels.upstream.to_owned(), labels.stashed.to_owned()),
            notes: notes(&decisions),
        });
    }
    // The result so far, rendered and read once: the derived fields are
    // checked on it and, when they change nothing, it is the output.
    let checked = derived::result_to_check(
        articles,
        comparison,
        &decisions,
        &opts.derived,
        &markers,
        fm,
    );
    let read = checked
        .as_deref()
        .and_then(|t| article::parse(t, &opts.article).ok());
    let changed = derived::settle_read(
        articles,
        comparison,
        &mut decisions,
        &opts.derived,
        &opts.article,
        &markers,
        fm,
        read.as_ref(),
    );
    let body_left = decisions
        .get(&Part::Body)
        .is_some_and(|d| d.resolution == Resolution::Unresolved);
    if body_left && !render::body_conflicts_exact(articles) {
        return Err(Error::InvalidResult(format!(
            "the body is too long to merge exactly (over {} s of diffing); left as git merged it",
            crate::merge::diff3::MERGE_LIMIT.as_secs()
        )));
    }
    let output = match &checked {
        Some(text) if !changed => text.clone(),
        _ => render::render(articles, comparison, &decisions, &markers, fm),
    };
    let unresolved = decisions.has_unresolved();
    let known = read.as_ref().filter(|_| !changed);
    let parsed = validated(&output, &side_texts(articles), opts, unresolved, known)?;
    if !unresolved {
        // Read with values (check's options build none): parsed again only then.
        let parsed = parsed.filter(|_| opts.article.values);
        reads_as_merged(&output, parsed, fm, &decisions, opts)?;
    }
    let summary = crate::decide::summarize(&decisions, comparison);
    Ok(Outcome::Resolved(Resolved {
        output,
        summary,
        tally: crate::decide::Tally::of(&decisions),
        unresolved,
        chosen: decisions.chosen(),
        decided: decisions.decided(),
        notes: notes(&decisions),
    }))
}

/// Checks that the written frontmatter reads as the merge says it should
/// (every value where the plan put it): a splice the layout got wrong is
/// refused here, never written.
pub(crate) fn reads_as_merged(
    output: &str,
    parsed: Option<Article<'_>>,
    fm: &crate::merge::tree::FrontmatterMerge<'_>,
    decisions: &Decisions,
    opts: &Options,
) -> Result<(), Error> {
    let whole = |n: &crate::article::layout::Node<'_>| n.get(article::WHOLE_FRONTMATTER).is_some();
    if whole(&fm.roots.upstream) || whole(&fm.roots.stashed) {
        return Ok(());
    }
    let result = match parsed {
        Some(a) => a,
        None => {
            let mut vopts = opts.article.clone();
            vopts.values = true;
            let Ok(a) = article::parse(output, &vopts) else {
                return Ok(()); // validate_with said why already
            };
            a
        }
    };
    let value = crate::article::Value::Map(
        result
            .entries()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect(),
    );
    if render::frontmatter::expected(fm, decisions).matches(&value) {
        Ok(())
    } else {
        Err(Error::InvalidResult(
            "the merged frontmatter would not read as merged (a layout this splice cannot follow); left as it is".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::sides::{Side, SideNames};
    use crate::decide::{Prefer, PreferStep, Reason};

    const MERGE: SideNames = SideNames {
        upstream: "ours",
        stashed: "theirs",
    };

    const T: &str = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\nx: 1\n---\nbody\n";

    /// Resolves a conflicted text (its markers alone).
    fn resolve_text(
        path: &Path,
        text: &str,
        o: &Options,
        deciders: &mut [&mut dyn Decider],
    ) -> Result<Outcome, Error> {
        resolve(path, Input::Conflicted { text, known: &[] }, o, deciders)
    }

    fn prefer(side: Side) -> PreferStep {
        PreferStep {
            preferred: Ok((side, Reason::Prefer)),
            links: None,
        }
    }

    #[test]
    fn prefer_resolves_and_clean_files_are_left_alone() {
        let o = Options::default();
        let mut p = prefer(Side::Stashed);
        let Outcome::Resolved(r) = resolve_text(Path::new("a"), T, &o, &mut [&mut p]).unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntitle: B\nx: 1\n---\nbody\n");
        assert!(matches!(
            resolve_text(Path::new("a"), "# clean\n", &o, &mut [&mut p]).unwrap(),
            Outcome::NoConflicts
        ));
        let Outcome::NeedsDecision { open, .. } =
            resolve_text(Path::new("a"), T, &o, &mut []).unwrap()
        else {
            panic!("needs decision expected")
        };
        assert_eq!(open, [Part::Key("title".into())]);
    }

    #[test]
    fn a_yaml_block_list_merged_to_nothing_is_written_empty() {
        // Each side removed one tag: the set merge leaves none.
        let merged = "---\ntags:\n<<<<<<< ours\n  - b\n||||||| base\n  - a\n  - b\n=======\n  - a\n>>>>>>> theirs\nx: 1\n---\nbody\n";
        let (base, up, st) = (
            "---\ntags:\n  - a\n  - b\nx: 1\n---\nbody\n",
            "---\ntags:\n  - b\nx: 1\n---\nbody\n",
            "---\ntags:\n  - a\nx: 1\n---\nbody\n",
        );
        let input = Input::Three {
            versions: Sides::new(up, st, Some(base)),
            merged: LineMerge {
                text: merged,
                marker_size: MarkerSize::DEFAULT,
            },
            labels: Labels::default(),
        };
        let o = Options::default();
        let mut rules = crate::decide::rules::Rules::new(
            crate::decide::rules::RuleSet::defaults(),
            crate::decide::rules::Mode::Settle,
        );
        let Outcome::Resolved(r) = resolve(Path::new("a"), input, &o, &mut [&mut rules]).unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntags: []\nx: 1\n---\nbody\n");
    }

    #[test]
    fn three_versions_settle_adjacent_keys_and_markers_alone_stay_two_way() {
        // Git's merge of the three: both keys in one hunk.
        let merged = "---\n<<<<<<< ours\ntitle: A2\ndesc: D\n||||||| base\ntitle: A\ndesc: D\n=======\ntitle: A\ndesc: D2\n>>>>>>> theirs\n---\nbody\n";
        let (base, up, st) = (
            "---\ntitle: A\ndesc: D\n---\nbody\n",
            "---\ntitle: A2\ndesc: D\n---\nbody\n",
            "---\ntitle: A\ndesc: D2\n---\nbody\n",
        );
        let input = Input::Three {
            versions: Sides::new(up, st, Some(base)),
            merged: LineMerge {
                text: merged,
                marker_size: MarkerSize::DEFAULT,
            },
            labels: Labels::default(),
        };
        let o = Options::default();
        let mut three_way = crate::decide::ThreeWay;
        let Outcome::Resolved(r) =
            resolve(Path::new("a"), input, &o, &mut [&mut three_way]).unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntitle: A2\ndesc: D2\n---\nbody\n");
        assert_eq!(
            r.summary_lines(crate::conflict::sides::SideNames::STASH),
            [
                "title ← upstream (base: only upstream changed it)",
                "desc ← stashed (base: only stashed changed it)"
            ]
        );
        // The 2-way markers alone: no base, two decisions.
        let text = "---\n<<<<<<< Updated upstream\ntitle: A2\ndesc: D\n=======\ntitle: A\ndesc: D2\n>>>>>>> Stashed changes\n---\nbody\n";
        let Outcome::NeedsDecision { open, .. } =
            resolve_text(Path::new("a"), text, &o, &mut [&mut three_way]).unwrap()
        else {
            panic!("needs decision expected")
        };
        assert_eq!(open.len(), 2);
    }

    #[test]
    fn a_clean_line_merge_is_gits_bytes_unless_it_no_longer_reads() {
        let o = Options::default();
        let three = |up: &'static str, st: &'static str, merged: &'static str| Input::Three {
            versions: Sides::new(up, st, Some("---\na: 1\n---\nb\n")),
            merged: LineMerge {
                text: merged,
                marker_size: MarkerSize::DEFAULT,
            },
            labels: Labels::default(),
        };
        let clean = "---\na: 1\nx: 1\ny: 2\n---\nb\n";
        let Outcome::Resolved(r) = resolve(
            Path::new("a"),
            three(
                "---\na: 1\nx: 1\n---\nb\n",
                "---\na: 1\ny: 2\n---\nb\n",
                clean,
            ),
            &o,
            &mut [],
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(r.output, clean);
        // Both added `w` at different lines: git is clean, the result defines
        // it twice: never a clean result, but `w` a value both sides changed.
        let both = || {
            three(
                "---\nw: 1\na: 1\n---\nb\n",
                "---\na: 1\nw: 2\n---\nb\n",
                "---\nw: 1\na: 1\nw: 2\n---\nb\n",
            )
        };
        let Outcome::NeedsDecision { open, notes, .. } = resolve(
            Path::new("a"),
            both(),
            &o,
            &mut [&mut crate::decide::ThreeWay],
        )
        .unwrap() else {
            panic!("a decision")
        };
        assert_eq!(open, [Part::Key(crate::article::layout::KeyPath::key("w"))]);
        assert!(
            notes[0].named(SideNames::STASH).contains("duplicate"),
            "{notes:?}"
        );
        let Outcome::Resolved(r) = resolve(
            Path::new("a"),
            both(),
            &o,
            &mut [
                &mut crate::decide::ThreeWay,
                &mut crate::decide::LeaveConflicts,
            ],
        )
        .unwrap() else {
            panic!()
        };
        assert!(r.unresolved);
        assert_eq!(
            r.output,
            "---\n<<<<<<<\nw: 1\n=======\nw: 2\n>>>>>>>\na: 1\n---\nb\n"
        );
        // Both added it alike: nobody chose, so still no clean result: a
        // conflict around each definition, on the side that wrote it.
        let Outcome::Resolved(r) = resolve(
            Path::new("a"),
            three(
                "---\na: 1\nw: 1\n---\nb\n",
                "---\nw: 1\na: 1\n---\nb\n",
                "---\nw: 1\na: 1\nw: 1\n---\nb\n",
            ),
            &o,
            &mut [&mut crate::decide::ThreeWay],
        )
        .unwrap() else {
            panic!()
        };
        assert!(r.unresolved);
        assert_eq!(
            r.output,
            "---\n<<<<<<<\n=======\nw: 1\n>>>>>>>\na: 1\n<<<<<<<\nw: 1\n=======\n>>>>>>>\n---\nb\n"
        );
    }

    #[test]
    fn prefer_picks_the_side_when_only_layout_differs() {
        // Regression (found by tests/it/properties.rs): no part differed, so the
        // policy never ran and upstream's BOM and quoting were written.
        let o = Options::default();
        let t = "<<<<<<< a\n\u{feff}---\ntitle: \"A\"\n=======\n---\ntitle: A\n>>>>>>> b\n---\nx\n";
        let mut p = prefer(Side::Stashed);
        let Outcome::Resolved(r) = resolve_text(Path::new("a"), t, &o, &mut [&mut p]).unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntitle: A\n---\nx\n");
    }

    #[test]
    fn layout_only_differences_need_a_decision() {
        // Regression: a comment added on one side was dropped undecided.
        let o = Options::default();
        let t = "---\n<<<<<<< a\ntitle: A\n=======\n# why\ntitle: A\n>>>>>>> b\n---\nx\n";
        let Outcome::NeedsDecision { open, .. } =
            resolve_text(Path::new("a"), t, &o, &mut []).unwrap()
        else {
            panic!("needs decision expected")
        };
        assert!(open.is_empty());
        let mut p = prefer(Side::Stashed);
        let Outcome::Resolved(r) = resolve_text(Path::new("a"), t, &o, &mut [&mut p]).unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\n# why\ntitle: A\n---\nx\n");
    }

    #[test]
    fn errors_point_at_file_lines() {
        let o = Options::default();
        let bad = "---\n<<<<<<< a\ntitle: [x\n=======\ntitle: B\n>>>>>>> b\n---\n";
        let e = resolve_text(Path::new("a"), bad, &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(3), "{e}");
        assert!(e.to_string().starts_with("on upstream: "), "{e}");
        assert!(e.named(MERGE).starts_with("on ours: "), "{e}");
        let e = resolve_text(Path::new("a"), "x\n>>>>>>> b\n", &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(2));
        // Both lines of a duplicate key are file lines, and the message says it once.
        let dup = "---\nt: 1\n<<<<<<< a\nx: 1\n=======\nx: 2\nt: 2\n>>>>>>> b\n---\n";
        let e = resolve_text(Path::new("a"), dup, &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(7), "{e}");
        assert_eq!(
            crate::error::chain(&e),
            "on stashed: duplicate frontmatter key `t` (first at line 2)"
        );
        // Regression: the first occurrence was named by its line in the side.
        let dup = "---\n<<<<<<< a\ntitle: A\n=======\ntitle: B\ntitle: C\n>>>>>>> b\n---\n";
        let e = resolve_text(Path::new("a"), dup, &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(6));
        assert!(e.to_string().ends_with("(first at line 5)"), "{e}");
    }

    /// A result left open, as the engine would write it around `conflict`.
    fn left_open(output: &str) -> Outcome {
        Outcome::Resolved(Resolved {
            output: output.to_owned(),
            summary: vec!["tags: left as a conflict".into()],
            tally: crate::decide::Tally {
                unresolved: 1,
                ..Default::default()
            },
            unresolved: true,
            chosen: false,
            decided: false,
            notes: Vec::new(),
        })
    }

    #[test]
    fn conflicts_wider_than_gits_give_way_to_gits() {
        let o = Options::default();
        let fm = |tags: &str| format!("---\ntitle: T\ntags:\n{tags}---\nBody.\n");
        let git = fm("  - a\n<<<<<<< ours\n  - b\n=======\n  - c\n>>>>>>> theirs\n");
        let input = Input::Conflicted {
            text: &git,
            known: &[],
        };
        let wide = fm("<<<<<<< ours\n  - a\n  - b\n=======\n  - a\n  - c\n>>>>>>> theirs\n");
        let Outcome::Resolved(r) = no_wider_than_git(left_open(&wide), input, &o) else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, git);
        assert!(r.unresolved);
        assert_eq!(r.tally.unresolved, 1);
        let said = r.summary_lines(MERGE).join("\n");
        assert!(said.contains("would span 4 lines, git's 2"), "{said}");
        // As wide as git's, or narrower: the engine's stands.
        let same = fm("  - a\n<<<<<<< ours\n  - b\n=======\n  - d\n>>>>>>> theirs\n");
        let Outcome::Resolved(r) = no_wider_than_git(left_open(&same), input, &o) else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, same);
        // A settled result is never touched.
        let mut settled = left_open("---\ntitle: T\n---\nBody.\n");
        if let Outcome::Resolved(r) = &mut settled {
            r.unresolved = false;
        }
        let Outcome::Resolved(r) = no_wider_than_git(settled, input, &o) else {
            panic!("resolved expected")
        };
        assert!(!r.unresolved && r.output == "---\ntitle: T\n---\nBody.\n");
    }

    /// A person in the picker: takes theirs' title, leaves the rest open
    /// (as the merge driver leaves it).
    struct Person;

    impl Decider for Person {
        fn decide(
            &mut self,
            file: &FileView<'_, '_>,
            decisions: &mut Decisions,
        ) -> Result<Flow, crate::decide::DecideError> {
            let title = Part::Key("title".into());
            if decisions.open(file.comparison).contains(&title) {
                let resolution = Resolution::Take(Side::Stashed);
                let reason = Reason::User;
                decisions.set(title, crate::decide::Decision { resolution, reason });
            }
            crate::decide::LeaveConflicts.decide(file, decisions)
        }
    }

    #[test]
    fn a_persons_choices_stand_beside_a_conflict_wider_than_gits() {
        // In each list theirs moved Bob up and edited him, ours edited him
        // in place and removed Carol: left open, the engine's conflict holds
        // Alice's line too (3 lines against git's 2, 9 against 8 with the
        // title's), yet the title a person took stays.
        let git = "{\n<<<<<<< ours\n  \"title\": \"U\",\n||||||| base\n  \"title\": \"T\",\n=======\n  \"title\": \"V\",\n>>>>>>> theirs\n  \"authors\": [\n    {\"name\": \"Bob\", \"theme\": \"Sigma\", \"email\": \"gamma\"},\n    {\"name\": \"Alice\", \"email\": \"delta\"},\n<<<<<<< ours\n    {\"theme\": true, \"name\": \"Bob\", \"email\": \"gamma\"}\n||||||| base\n    {\"name\": \"Bob\", \"email\": \"gamma\"},\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n=======\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n>>>>>>> theirs\n  ],\n  \"editors\": [\n    {\"name\": \"Bob\", \"theme\": \"Sigma\", \"email\": \"gamma\"},\n    {\"name\": \"Alice\", \"email\": \"delta\"},\n<<<<<<< ours\n    {\"theme\": true, \"name\": \"Bob\", \"email\": \"gamma\"}\n||||||| base\n    {\"name\": \"Bob\", \"email\": \"gamma\"},\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n=======\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n>>>>>>> theirs\n  ],\n  \"reviewers\": [\n    {\"name\": \"Bob\", \"theme\": \"Sigma\", \"email\": \"gamma\"},\n    {\"name\": \"Alice\", \"email\": \"delta\"},\n<<<<<<< ours\n    {\"theme\": true, \"name\": \"Bob\", \"email\": \"gamma\"}\n||||||| base\n    {\"name\": \"Bob\", \"email\": \"gamma\"},\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n=======\n    {\"name\": \"Carol\", \"email\": \"theta\"}\n>>>>>>> theirs\n  ]\n}\n\nBody.\n";
        let input = Input::Conflicted {
            text: git,
            known: &[],
        };
        let o = Options::default();
        let Outcome::Resolved(r) = resolve(
            Path::new("a"),
            input,
            &o,
            &mut [&mut crate::decide::ThreeWay, &mut Person],
        )
        .unwrap() else {
            panic!("resolved expected")
        };
        assert!(r.unresolved, "{}", r.output);
        assert!(
            r.output.contains("\"title\": \"V\",\n  \"authors\""),
            "{}",
            r.output
        );
        // Without a person, the same conflicts are git's.
        let Outcome::Resolved(r) = resolve(
            Path::new("a"),
            input,
            &o,
            &mut [
                &mut crate::decide::ThreeWay,
                &mut crate::decide::LeaveConflicts,
            ],
        )
        .unwrap() else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, git);
    }

    #[test]
    fn a_wider_conflict_stands_where_a_side_of_gits_is_invalid() {
        // Taking ours of git's conflict writes `title` twice: git's clean
        // lines are wrong, the engine's wider conflict is the answer.
        let o = Options::default();
        let git =
            "---\ntitle: T\n<<<<<<< ours\ntitle: U\n=======\nx: 1\n>>>>>>> theirs\n---\nBody.\n";
        let input = Input::Conflicted {
            text: git,
            known: &[],
        };
        let wide =
            "---\n<<<<<<< ours\ntitle: U\n=======\ntitle: T\nx: 1\n>>>>>>> theirs\n---\nBody.\n";
        let Outcome::Resolved(r) = no_wider_than_git(left_open(wide), input, &o) else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, wide);
    }

    #[test]
    fn a_links_section_one_side_no_longer_has_is_read_as_body_text_everywhere() {
        let o = ArticleOptions::default();
        let p = |t| article::parse(t, &o).unwrap();
        let base = "---\na: 1\n---\nx\n\n## See also\n\n- [A](/a/)\n";
        let noted = base.to_owned() + "\nThanks!\n";
        let more = base.to_owned() + "- [B](/b/)\n";
        // Both still have it: a set merge, nothing read again.
        let arts = Sides::new(p(base), p(&more), Some(p(base)));
        assert!(prepare::links_as_text(&arts, &o).0.is_none());
        // One side lost it: every side's section is body text.
        let arts = Sides::new(p(&more), p(&noted), Some(p(base)));
        let (again, why) = prepare::links_as_text(&arts, &o);
        let again = again.unwrap();
        assert!(again.upstream.links.is_none() && again.stashed.links.is_none());
        assert!(again.base.as_ref().unwrap().links.is_none());
        assert!(again.upstream.body.ends_with("- [B](/b/)\n"));
        let why = why.unwrap().named(MERGE);
        assert!(why.contains(": theirs has no links section"), "{why}");
        // Both lost it, the base had it: the base's is body text too.
        let arts = Sides::new(p(&noted), p(&noted), Some(p(base)));
        assert!(prepare::links_as_text(&arts, &o)
            .0
            .unwrap()
            .base
            .unwrap()
            .links
            .is_none());
        // Nobody has one.
        let arts = Sides::new(p(&noted), p(&noted), Some(p(&noted)));
        assert!(prepare::links_as_text(&arts, &o).0.is_none());
    }

    /// The three-way merge of whole texts with the default chain (no
    /// `--prefer`): what `resolve` and the driver write for `title`, which
    /// both sides changed, aside.
    fn three_way(base: &str, up: &str, st: &str) -> String {
        use crate::decide::rules::{Mode, RuleSet};
        use crate::pipeline::cascade::{Cascade, Last};
        let policy = Policy::new(RuleSet::defaults(), Mode::Settle)
            .with_prefer(Some(Prefer::Side(Side::Upstream)), &[]);
        let mut chain = Cascade::new(policy, Last::Open);
        let labels = Labels {
            upstream: "Updated upstream",
            base: None,
            stashed: "Stashed changes",
        };
        let o = Options::default();
        let p = |t| article::parse(t, &o.article).unwrap();
        let arts = Sides::new(p(up), p(st), Some(p(base)));
        let compared = prepare::compare(&arts, &|_, _| None, &o.article, &o.sets, false);
        match decide(Path::new("a"), labels, &compared, &o, &mut [&mut chain]).unwrap() {
            Outcome::Resolved(r) => r.output,
            _ => panic!("resolved expected"),
        }
    }

    #[test]
    fn a_bullet_changed_on_one_side_stays_on_that_item_only() {
        // The stash changed A's bullet; upstream added C. Git merges the
        // section as: A with `*`, B and C with `-`.
        let base = "---\ntitle: T\n---\nx\n\n## Related\n\n- [A](/a/)\n- [B](/b/)\n";
        let up = "---\ntitle: U\n---\nx\n\n## Related\n\n- [A](/a/)\n- [B](/b/)\n- [C](/c/)\n";
        let st = "---\ntitle: S\n---\nx\n\n## Related\n\n* [A](/a/)\n- [B](/b/)\n";
        assert!(
            three_way(base, up, st).ends_with("## Related\n\n* [A](/a/)\n- [B](/b/)\n- [C](/c/)\n")
        );
        // And the other way round: upstream's bullet on B, the stash's new C.
        let up2 = "---\ntitle: U\n---\nx\n\n## Related\n\n- [A](/a/)\n+ [B](/b/)\n";
        let st2 = "---\ntitle: S\n---\nx\n\n## Related\n\n- [A](/a/)\n- [B](/b/)\n- [C](/c/)\n";
        assert!(three_way(base, up2, st2)
            .ends_with("## Related\n\n- [A](/a/)\n+ [B](/b/)\n- [C](/c/)\n"));
        // Both removed A, the stash also changed B's bullet: the same links
        // as data, the stash's bytes for B.
        let up3 = "---\ntitle: U\n---\nx\n\n## Related\n\n- [B](/b/)\n";
        let st3 = "---\ntitle: S\n---\nx\n\n## Related\n\n+ [B](/b/)\n";
        assert!(three_way(base, up3, st3).ends_with("## Related\n\n+ [B](/b/)\n"));
    }

    #[test]
    fn a_heading_changed_on_one_side_survives_when_no_link_is_left() {
        // Upstream retitled the section and removed B, the stash removed A:
        // git keeps upstream's heading over no link.
        let base = "---\ntitle: T\n---\nx\n\n## Related\n\n- [A](/a/)\n- [B](/b/)\n";
        let up = "---\ntitle: U\n---\nx\n\n## See also\n\n- [A](/a/)\n";
        let st = "---\ntitle: S\n---\nx\n\n## Related\n\n- [B](/b/)\n";
        assert_eq!(
            three_way(base, up, st),
            "---\ntitle: U\n---\nx\n\n## See also\n\n"
        );
    }

    #[test]
    fn fenced_examples_in_the_sides_are_no_leftovers_in_a_result() {
        let o = Options::default();
        let doc = "---\na: 1\n---\n```text\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n```\n";
        assert!(validate(doc, &o, false).is_err());
        assert!(validate_with(doc, &[doc], &o, false).is_ok());
        let clean = "---\na: 1\n---\nno example\n";
        assert!(validate_with(doc, &[clean], &o, false).is_err());
    }

    #[test]
    fn validation_refuses_duplicate_keys_and_leftover_markers() {
        let o = Options::default();
        assert!(validate("---\na: 1\na: 2\n---\n", &o, false).is_err());
        assert!(validate("<<<<<<< a\n=======\n>>>>>>> b\n", &o, false).is_err());
        assert!(validate("<<<<<<< a\n=======\n>>>>>>> b\n", &o, true).is_ok());
        assert!(validate("---\na: 1\n---\nTitle\n=======\n", &o, false).is_ok());
    }
}

/// Nothing panics, whatever the text: the conflict scanner, the parser,
/// `prepare` and `compare`, `resolve` with each side preferred (what it
/// writes must itself be a clean article) and `--prefer newest` through the
/// cascade. (`check` has its own, `check::nothing_panics`, on the same
/// text.)
#[cfg(test)]
mod nothing_panics {
    use proptest::prelude::*;

    use super::*;
    use crate::conflict::sides::Side;
    use crate::decide::{Prefer, PreferStep, Reason};

    fn everything_runs(text: &str) {
        let _ = scan::scan(text, MarkerSize::DEFAULT);
        let _ = scan::other_marker_size(text, MarkerSize::DEFAULT);
        let opts = ArticleOptions::default();
        let _ = article::parse(text, &opts);
        let conflicted = || Input::Conflicted { text, known: &[] };
        if let Ok(Prepared::Versions(v)) = prepare::prepare(conflicted(), &Options::default()) {
            if let Ok((arts, _)) = v.articles(&opts) {
                let rules = crate::decide::rules::RuleSet::defaults();
                let _ = prepare::compare(&arts, &|_, _| None, &opts, &rules, true);
            }
        }
        for side in [Side::Upstream, Side::Stashed] {
            let mut p = PreferStep {
                preferred: Ok((side, Reason::Prefer)),
                links: None,
            };
            let got = resolve(
                Path::new("a"),
                conflicted(),
                &Options::default(),
                &mut [&mut p],
            );
            if let Ok(Outcome::Resolved(r)) = got {
                assert!(validate(&r.output, &Options::default(), r.unresolved).is_ok());
            }
        }
        let policy = Policy::default()
            .with_prefer(Some(Prefer::Newest), &["title".into()])
            .with_links(Some(crate::decide::LinksPolicy::Union));
        let mut newest = cascade::Cascade::new(policy, cascade::Last::Open);
        let _ = resolve(
            Path::new("a"),
            conflicted(),
            &Options::default(),
            &mut [&mut newest],
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn on_marker_soup(text in crate::testing::marker_soup()) {
            everything_runs(&text);
        }

        #[test]
        fn on_arbitrary_strings(text in any::<String>()) {
            everything_runs(&text);
        }

        #[test]
        fn on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(text) = decode(&bytes) {
                everything_runs(text);
            }
        }
    }
}
