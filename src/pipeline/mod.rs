//! The pure pipeline for one file: scan, split, parse, compare, decide,
//! render, validate. No I/O: text in, text out.

pub mod prepare;
pub mod render;

use std::path::Path;

use self::render::MarkerStyle;
use crate::article::{self, Article, ArticleOptions, FileLine};
use crate::conflict::fences::Examples;
use crate::conflict::scan::{self, Labels};
use crate::conflict::sides::{Side, Sides};
use crate::conflict::split::{self, SideText, Split};
use crate::decide::{cascade, Decider, Decisions, FileView, Flow, Resolution};
use crate::derived::{self, DerivedOptions};
use crate::diff::{self, Comparison, Part};
use crate::error::Error;

/// What the pipeline needs to know.
#[derive(Clone, Debug)]
pub struct Options {
    /// Conflict marker size (git's `conflict-marker-size`).
    pub marker_size: usize,
    /// How articles are recognised.
    pub article: ArticleOptions,
    /// Derived fields: the configured mirrors, and `--sync-derived`.
    pub derived: DerivedOptions,
    /// The rules that say which lists merge as sets (`tags`, a `union`
    /// rule); every other list merges item by item.
    pub sets: crate::rules::RuleSet,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            marker_size: scan::DEFAULT_MARKER_SIZE,
            article: ArticleOptions::default(),
            derived: DerivedOptions::default(),
            sets: crate::rules::RuleSet::defaults(),
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
        notes: Vec<String>,
    },
    /// The user quit.
    Quit,
}

/// A resolved file.
#[derive(Debug)]
pub struct Resolved {
    /// The new file text.
    pub output: String,
    /// One line per decided part, e.g. `title ← stashed (--prefer)`, with
    /// [`Side::placeholder`](crate::conflict::sides::Side::placeholder)s for
    /// the sides: shown through [`Resolved::summary_lines`].
    pub summary: Vec<String>,
    /// The counts for the summary line.
    pub tally: crate::decide::Tally,
    /// True when some part was left as a conflict on purpose.
    pub unresolved: bool,
    /// Messages: rules that fell back to asking, derived fields out of step.
    pub notes: Vec<String>,
}

impl Resolved {
    /// The summary lines with the sides called as `names` says.
    pub fn summary_lines(&self, names: crate::report::SideNames) -> Vec<String> {
        let name =
            |l: &String| crate::conflict::sides::name_sides(l, names.upstream, names.stashed);
        self.summary.iter().map(name).collect()
    }
}

/// A conflicted file cut into its sides.
pub struct Conflicted<'a> {
    /// The sides and labels.
    pub split: Split<'a>,
}

impl<'a> Conflicted<'a> {
    /// Scans `text`; `None` when it holds no conflict.
    pub fn scan(text: &'a str, marker_size: usize) -> Result<Option<Conflicted<'a>>, Error> {
        Conflicted::scan_except(text, marker_size, &Examples::none())
    }

    /// Scans `text` with the `examples` (fenced examples known to a clean
    /// version) read as text; `None` when it holds no conflict, which is the
    /// case of a file whose only marker lines are such examples.
    pub fn scan_except(
        text: &'a str,
        marker_size: usize,
        examples: &Examples,
    ) -> Result<Option<Conflicted<'a>>, Error> {
        if !scan::has_open_marker(text, marker_size) {
            // Still reject stray end markers: a half-resolved file is not clean.
            scan::scan_except(text, marker_size, examples)?;
            // Nor is a conflict git wrote with another conflict-marker-size.
            if let Some((found, line)) = scan::other_marker_size(text, marker_size) {
                return Err(Error::MarkerSize {
                    line,
                    found,
                    expected: marker_size,
                });
            }
            return Ok(None);
        }
        let chunks = scan::scan_except(text, marker_size, examples)?;
        if !chunks.iter().any(|c| matches!(c, scan::Chunk::Conflict(_))) {
            return Ok(None);
        }
        Ok(Some(Conflicted {
            split: split::split(&chunks),
        }))
    }

    /// Parses every side into an article; errors name the side and file line.
    pub fn articles(&self, opts: &ArticleOptions) -> Result<Sides<Article<'_>>, Error> {
        fn parse<'t>(
            side: Option<Side>,
            t: &'t SideText,
            opts: &ArticleOptions,
        ) -> Result<Article<'t>, Error> {
            article::parse(&t.text, opts).map_err(|e| {
                let error = e.map_lines(|l| t.file_line(l));
                Error::Article {
                    side,
                    line: error.line(),
                    error,
                }
            })
        }
        let parse = |side, t| parse(side, t, opts);
        let s = &self.split.sides;
        Ok(Sides::new(
            parse(Some(Side::Upstream), &s.upstream)?,
            parse(Some(Side::Stashed), &s.stashed)?,
            s.base.as_ref().map(|b| parse(None, b)).transpose()?,
        ))
    }

    /// The labels of the first conflict.
    pub fn labels(&self) -> Labels<'a> {
        self.split.labels
    }

    /// The file line of a line of one version (`None`: the base), when
    /// that version is in the file (a base that is not in the markers is not).
    pub fn file_line(&self, side: Option<Side>, line: usize) -> Option<usize> {
        let s = &self.split.sides;
        match side {
            Some(side) => Some(s.get(side).file_line(line)),
            None => s.base.as_ref().map(|b| b.file_line(line)),
        }
    }
}

/// Whole texts (the merge driver's without a base) are no file a person
/// sees: no line is named.
fn no_file_line(_: Option<Side>, _: usize) -> Option<usize> {
    None
}

/// Where the versions of a file come from: every path builds one of these
/// and calls [`resolve`]; there is no other way to merge.
#[derive(Clone, Copy, Debug)]
pub enum Input<'t> {
    /// The three versions (the index's stages after a stash pop, merge,
    /// rebase, cherry-pick, revert or am; the merge driver's `%O %A %B`; a
    /// merge replayed), with git's own line merge of them.
    Three {
        /// Ours (upstream), theirs (stashed) and the base (`""` when the
        /// versions have no common ancestor).
        versions: Sides<&'t str>,
        /// `git merge-file --diff3` of them: where it is clean, its bytes are
        /// the result; where it conflicts, only that is settled.
        merged: LineMerge<'t>,
    },
    /// A conflicted text alone (a loose file, a person's edited conflict):
    /// two ways from its markers, or three with their own diff3 sections.
    Conflicted {
        /// The file's text.
        text: &'t str,
        /// Clean versions of the file git knows (HEAD, stages): marker lines
        /// they show in fenced code blocks are examples, not markers.
        known: &'t [&'t str],
    },
}

/// git's line merge of three versions.
#[derive(Clone, Copy, Debug)]
pub struct LineMerge<'t> {
    /// Its text, in diff3 style.
    pub text: &'t str,
    /// The marker size it was written with (longer than any run of marker
    /// characters in the versions, so that no line of theirs reads as one).
    pub marker_size: usize,
}

/// Merges one file: the one entry point of every path (resolve, the merge
/// driver, replay, mergetool). `labels` name the sides in any markers
/// written (a base label: git's diff3 style).
pub fn resolve(
    path: &Path,
    input: Input<'_>,
    labels: Labels<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    match input {
        Input::Conflicted { text, known } => {
            resolve_text_known(path, text, None, known, opts, deciders)
        }
        Input::Three { versions, merged } => {
            let Some(conflicted) = Conflicted::scan(merged.text, merged.marker_size)? else {
                // git merged it cleanly: its bytes, unless they are no
                // longer valid frontmatter (a key both sides added).
                match clean_merge_fault(merged.text, versions, opts) {
                    None => {
                        return Ok(Outcome::Resolved(Resolved {
                            output: merged.text.to_owned(),
                            summary: vec!["merged by lines, exactly as git merge-file".into()],
                            tally: crate::decide::Tally::default(),
                            unresolved: false,
                            notes: Vec::new(),
                        }))
                    }
                    Some(fault) => {
                        let note = format!(
                            "git's line merge is clean but {fault}: merged value by value instead"
                        );
                        return resolve_versions(path, versions, labels, opts, deciders, note);
                    }
                }
            };
            match conflicted.articles(&opts.article) {
                Ok(articles) => {
                    let file_line = |_: Option<Side>, _: usize| None;
                    resolve_articles((path, labels, &file_line), &articles, opts, deciders)
                }
                // git's hunks cut a moved key off its old place: the sides
                // it rebuilds define it twice. The versions themselves.
                Err(e) => {
                    let e = e.named(Side::Upstream.placeholder(), Side::Stashed.placeholder());
                    let note = format!(
                        "git's conflicts split the frontmatter where a side moved it ({e}): merged value by value from the versions"
                    );
                    resolve_versions(path, versions, labels, opts, deciders, note)
                }
            }
        }
    }
}

/// The three versions merged value by value, without git's line merge as
/// the frame (whose result could not be used); `note` says why.
fn resolve_versions(
    path: &Path,
    versions: Sides<&str>,
    labels: Labels<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
    note: String,
) -> Result<Outcome, Error> {
    let parse = |side: Option<Side>, t| {
        article::parse(t, &opts.article).map_err(|error| Error::Article {
            side,
            line: error.line(),
            error,
        })
    };
    let articles = Sides::new(
        parse(Some(Side::Upstream), versions.upstream)?,
        parse(Some(Side::Stashed), versions.stashed)?,
        versions.base.map(|b| parse(None, b)).transpose()?,
    );
    let mut outcome = resolve_articles((path, labels, &no_file_line), &articles, opts, deciders)?;
    if let Outcome::Resolved(Resolved { notes, .. }) | Outcome::NeedsDecision { notes, .. } =
        &mut outcome
    {
        notes.insert(0, note);
    }
    Ok(outcome)
}

/// Why a clean line merge is no valid result: its frontmatter no longer
/// reads (a key defined twice, broken syntax) while every version's did.
/// `None`: it is valid (or some version was already broken: nothing better
/// can be made of it than git's bytes).
fn clean_merge_fault(merged: &str, versions: Sides<&str>, opts: &Options) -> Option<String> {
    let reads = |t: &str| article::parse(t, &opts.article).is_ok();
    let err = article::parse(merged, &opts.article).err()?;
    let all = [
        Some(versions.upstream),
        Some(versions.stashed),
        versions.base,
    ];
    all.into_iter()
        .flatten()
        .all(reads)
        .then(|| err.to_string())
}

/// Compares the sides of a conflicted text (the `diff` command).
pub fn compare_text<'t>(
    text: &'t str,
    opts: &Options,
) -> Result<Option<(Comparison, Labels<'t>)>, Error> {
    let Some(c) = Conflicted::scan(text, opts.marker_size)? else {
        return Ok(None);
    };
    let arts = c.articles(&opts.article)?;
    let whole = article::whole_when_formats_differ(&arts, &|s, l| c.file_line(s, l));
    let arts = whole.as_ref().map_or(&arts, |(a, _)| a);
    Ok(Some((diff::compare(arts.as_ref()), c.labels())))
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
    let examples = Examples::known(output, opts.marker_size, clean);
    let chunks = scan::scan_except(output, opts.marker_size, &examples)
        .map_err(|e| Error::InvalidResult(format!("line {}: {e}", e.line)))?;
    if unresolved {
        return Ok(());
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
    article::parse(output, &opts.article)
        .map(|_| ())
        .map_err(|e| Error::InvalidResult(format!("line {}: {e}", e.line())))
}

/// The whole texts of the sides (and the base): the clean versions whose
/// fenced examples a result may show.
pub fn side_texts<'t>(articles: &Sides<Article<'t>>) -> Vec<&'t str> {
    let mut out = vec![articles.upstream.text, articles.stashed.text];
    out.extend(articles.base.as_ref().map(|b| b.text));
    out
}

/// Resolves one file's text with a cascade of deciders.
pub fn resolve_text(
    path: &Path,
    text: &str,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    resolve_text_with_base(path, text, None, opts, deciders)
}

/// Parses a whole base text (an index stage, the merge driver's `%O`).
pub fn parse_base<'t>(text: &'t str, opts: &Options) -> Result<Article<'t>, Error> {
    article::parse(text, &opts.article).map_err(|error| Error::Article {
        side: None,
        line: error.line(),
        error,
    })
}

/// Like [`resolve_text`], with the common ancestor's whole text (git's index
/// stage 1) used when the markers have no base section of their own.
pub fn resolve_text_with_base(
    path: &Path,
    text: &str,
    base: Option<&str>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    resolve_text_known(path, text, base, &[], opts, deciders)
}

/// Like [`resolve_text_with_base`], with the clean versions of the file git
/// knows (`clean`: HEAD, the index stages): marker lines that one of them,
/// or the base, shows inside a fenced code block are text, not markers.
pub fn resolve_text_known(
    path: &Path,
    text: &str,
    base: Option<&str>,
    clean: &[&str],
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let known: Vec<&str> = clean.iter().copied().chain(base).collect();
    let examples = Examples::known(text, opts.marker_size, &known);
    let Some(conflicted) = Conflicted::scan_except(text, opts.marker_size, &examples)? else {
        return Ok(Outcome::NoConflicts);
    };
    let mut articles = conflicted.articles(&opts.article)?;
    // The markers' own base wins; the external one is parsed only without it.
    // An unreadable external base is no error: the file is compared two ways.
    let mut note = None;
    if articles.base.is_none() {
        match base.map(|b| parse_base(b, opts)).transpose() {
            Ok(b) => articles.base = b,
            Err(e) => {
                note = Some(format!(
                    "the base in the index is not a readable article ({e}); comparing two ways"
                ))
            }
        }
    }
    let file_line = |s, l| conflicted.file_line(s, l);
    let view = (path, conflicted.labels(), &file_line as FileLine<'_>);
    let mut outcome = resolve_articles(view, &articles, opts, deciders)?;
    if let (
        Some(note),
        Outcome::Resolved(Resolved { notes, .. }) | Outcome::NeedsDecision { notes, .. },
    ) = (note, &mut outcome)
    {
        notes.insert(0, note);
    }
    Ok(outcome)
}

/// Merges three whole texts (the merge driver's `%A`, `%B` and `%O`).
pub fn merge_texts(
    path: &Path,
    texts: Sides<&str>,
    labels: Labels<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let parse = |side: Option<Side>, t| {
        article::parse(t, &opts.article).map_err(|error| Error::Article {
            side,
            line: error.line(),
            error,
        })
    };
    let articles = Sides::new(
        parse(Some(Side::Upstream), texts.upstream)?,
        parse(Some(Side::Stashed), texts.stashed)?,
        texts.base.map(|b| parse(None, b)).transpose()?,
    );
    resolve_articles((path, labels, &no_file_line), &articles, opts, deciders)
}

/// Settles the conflicts of git's own line merge (`git merge-file --diff3`,
/// markers of `scan_size`): the sides and the base are read from git's
/// sections, so only what git left in conflict is decided; every line git
/// merged is in both sides and stays as git wrote it. Unresolved parts are
/// written with `labels` and `opts.marker_size`, the user's.
pub fn settle_conflicts(
    path: &Path,
    merged: &str,
    scan_size: usize,
    labels: Labels<'_>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let Some(conflicted) = Conflicted::scan(merged, scan_size)? else {
        return Ok(Outcome::NoConflicts);
    };
    let articles = conflicted.articles(&opts.article)?;
    let file_line = |s, l| conflicted.file_line(s, l);
    resolve_articles((path, labels, &file_line), &articles, opts, deciders)
}

/// The sides read again without a related-links section when one side no
/// longer has one (a line after the list, an intro under the heading) where
/// the other side or the base has it. The section is then body text on
/// every side and merges as text, three-way, never as a second section
/// beside a set of links. `None` when both sides still have it (a set
/// merge) or no version has it; else the sides and why, for a note.
pub fn links_as_text<'t>(
    articles: &Sides<Article<'t>>,
    opts: &ArticleOptions,
) -> (Option<Sides<Article<'t>>>, Option<String>) {
    let has = |a: &Article<'_>| a.links.is_some();
    let (u, s) = (has(&articles.upstream), has(&articles.stashed));
    let b = articles.base.as_ref().map(has);
    // Both sides still have it: a set merge (against the base's list, or an
    // empty one). Neither has it, nor the base: nothing to read again.
    if (u && s) || (!u && !s && b != Some(true)) {
        return (None, None);
    }
    let without = ArticleOptions {
        link_headings: Vec::new(),
        ..opts.clone()
    };
    let parse = |a: &Article<'t>| article::parse(a.text, &without).ok();
    let (Some(up), Some(st)) = (parse(&articles.upstream), parse(&articles.stashed)) else {
        return (None, None);
    };
    let base = match &articles.base {
        Some(b) => match parse(b) {
            Some(b) => Some(b),
            None => return (None, None),
        },
        None => None,
    };
    let lacking: Vec<&str> = [
        (Side::Upstream.placeholder(), Some(u)),
        (Side::Stashed.placeholder(), Some(s)),
        ("the base", b),
    ]
    .into_iter()
    .filter(|(_, has)| *has == Some(false))
    .map(|(name, _)| name)
    .collect();
    let why = format!(
        "the related-links section is merged as text with the body: {} {} no \
         links section where the other has one (a line after the list or under its heading)",
        lacking.join(" and "),
        if lacking.len() == 1 { "has" } else { "have" }
    );
    (Some(Sides::new(up, st, base)), Some(why))
}

/// Compares parsed sides, runs the deciders, renders and validates. The
/// first argument is the file: its path, its labels, and where the versions'
/// lines are in it.
pub fn resolve_articles(
    (path, labels, file_line): (&Path, Labels<'_>, FileLine<'_>),
    articles: &Sides<Article<'_>>,
    opts: &Options,
    deciders: &mut [&mut dyn Decider],
) -> Result<Outcome, Error> {
    let (as_text, why) = links_as_text(articles, &opts.article);
    let articles = as_text.as_ref().unwrap_or(articles);
    // After the links reading: that one parses the sides' texts again.
    let whole = article::whole_when_formats_differ(articles, file_line);
    let articles = whole.as_ref().map_or(articles, |(a, _)| a);
    let fm = crate::merge::tree::of_articles(articles, &opts.sets);
    let comparison = diff::compare_parts(articles.as_ref()).with_keys(prepare::tree_keys(&fm));
    let view = FileView {
        path,
        articles,
        comparison: &comparison,
        labels,
        fm: &fm,
    };
    let mut decisions = Decisions::default();
    if let Some((_, note)) = &whole {
        decisions.note(None, note.clone());
    }
    if let Some(why) = why {
        decisions.note(Some(Part::Body), why);
    }
    if cascade::run(deciders, &view, &mut decisions).map_err(Error::Decide)? == Flow::Quit {
        return Ok(Outcome::Quit);
    }
    let texts_differ = articles.upstream.text != articles.stashed.text;
    let open = decisions.open(&comparison);
    let notes = |d: &Decisions| d.notes().map(|(_, t)| t.to_owned()).collect::<Vec<_>>();
    // Nothing differs part by part, yet the sides do (a comment, a BOM, the
    // links heading): without a decider choosing a side, writing either one
    // would drop the other's bytes undecided. `open` is empty then.
    // With a base, each such piece takes the bytes of the side that alone
    // changed it: the framing side then makes no difference, nothing is asked.
    let layout_only = texts_differ && comparison.differing().next().is_none();
    let markers = MarkerStyle {
        size: opts.marker_size,
        labels,
    };
    let frame_matters = || {
        let framed = |side| {
            let mut d = decisions.clone();
            d.skeleton = Some(side);
            render::render(articles, &comparison, &d, &markers, &fm)
        };
        articles.base.is_none() || framed(Side::Upstream) != framed(Side::Stashed)
    };
    if !open.is_empty() || (layout_only && decisions.skeleton.is_none() && frame_matters()) {
        return Ok(Outcome::NeedsDecision {
            open,
            labels: (labels.upstream.to_owned(), labels.stashed.to_owned()),
            notes: notes(&decisions),
        });
    }
    derived::settle(
        articles,
        &comparison,
        &mut decisions,
        &opts.derived,
        &opts.article,
        &markers,
        &fm,
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
    let output = render::render(articles, &comparison, &decisions, &markers, &fm);
    let unresolved = decisions.has_unresolved();
    validate_with(&output, &side_texts(articles), opts, unresolved)?;
    let summary = crate::decide::summarize(&decisions, &comparison);
    Ok(Outcome::Resolved(Resolved {
        output,
        summary,
        tally: crate::decide::Tally::of(&decisions),
        unresolved,
        notes: notes(&decisions),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::sides::{name_sides, Side};
    use crate::decide::{Prefer, PreferPolicy};

    const T: &str = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\nx: 1\n---\nbody\n";

    fn prefer(side: Side) -> PreferPolicy {
        PreferPolicy {
            prefer: Prefer::Side(side),
            links: None,
            date_fields: vec![],
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
    fn an_external_base_settles_adjacent_keys_and_no_base_stays_two_way() {
        // Git's default style: both keys in one hunk, no base section.
        let text = "---\n<<<<<<< Updated upstream\ntitle: A2\ndesc: D\n=======\ntitle: A\ndesc: D2\n>>>>>>> Stashed changes\n---\nbody\n";
        let base = "---\ntitle: A\ndesc: D\n---\nbody\n";
        let o = Options::default();
        let mut three_way = crate::decide::ThreeWay;
        let Outcome::Resolved(r) =
            resolve_text_with_base(Path::new("a"), text, Some(base), &o, &mut [&mut three_way])
                .unwrap()
        else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntitle: A2\ndesc: D2\n---\nbody\n");
        assert_eq!(
            r.summary_lines(crate::report::SideNames::STASH),
            [
                "title ← upstream (base: only upstream changed it)",
                "desc ← stashed (base: only stashed changed it)"
            ]
        );
        let Outcome::NeedsDecision { open, .. } =
            resolve_text_with_base(Path::new("a"), text, None, &o, &mut [&mut three_way]).unwrap()
        else {
            panic!("needs decision expected")
        };
        assert_eq!(open.len(), 2);
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
        assert!(e.named("ours", "theirs").starts_with("on ours: "), "{e}");
        let e = resolve_text(Path::new("a"), "x\n>>>>>>> b\n", &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(2));
        // Both lines of a duplicate key are file lines, and the message says it once.
        let dup = "---\nt: 1\n<<<<<<< a\nx: 1\n=======\nx: 2\nt: 2\n>>>>>>> b\n---\n";
        let e = resolve_text(Path::new("a"), dup, &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(7), "{e}");
        assert_eq!(
            format!("{:#}", anyhow::Error::from(e)),
            "on stashed: duplicate frontmatter key `t` (first at line 2)"
        );
        // Regression: the first occurrence was named by its line in the side.
        let dup = "---\n<<<<<<< a\ntitle: A\n=======\ntitle: B\ntitle: C\n>>>>>>> b\n---\n";
        let e = resolve_text(Path::new("a"), dup, &o, &mut []).unwrap_err();
        assert_eq!(e.line(), Some(6));
        assert!(e.to_string().ends_with("(first at line 5)"), "{e}");
    }

    #[test]
    fn an_unreadable_external_base_is_noted_and_the_file_compared_two_ways() {
        let o = Options::default();
        let mut p = prefer(Side::Stashed);
        let Outcome::Resolved(r) = resolve_text_with_base(
            Path::new("a"),
            T,
            Some("---\ntitle: [broken\n---\n"),
            &o,
            &mut [&mut p],
        )
        .unwrap() else {
            panic!("resolved expected")
        };
        assert_eq!(r.output, "---\ntitle: B\nx: 1\n---\nbody\n");
        assert!(
            r.notes[0].contains("not a readable article"),
            "{:?}",
            r.notes
        );
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
        assert!(links_as_text(&arts, &o).0.is_none());
        // One side lost it: every side's section is body text.
        let arts = Sides::new(p(&more), p(&noted), Some(p(base)));
        let (again, why) = links_as_text(&arts, &o);
        let again = again.unwrap();
        assert!(again.upstream.links.is_none() && again.stashed.links.is_none());
        assert!(again.base.as_ref().unwrap().links.is_none());
        assert!(again.upstream.body.ends_with("- [B](/b/)\n"));
        let why = name_sides(&why.unwrap(), "ours", "theirs");
        assert!(why.contains(": theirs has no links section"), "{why}");
        // Both lost it, the base had it: the base's is body text too.
        let arts = Sides::new(p(&noted), p(&noted), Some(p(base)));
        assert!(links_as_text(&arts, &o)
            .0
            .unwrap()
            .base
            .unwrap()
            .links
            .is_none());
        // Nobody has one.
        let arts = Sides::new(p(&noted), p(&noted), Some(p(&noted)));
        assert!(links_as_text(&arts, &o).0.is_none());
    }

    /// The three-way merge of whole texts with the default chain (no
    /// `--prefer`): what `resolve` and the driver write for `title`, which
    /// both sides changed, aside.
    fn three_way(base: &str, up: &str, st: &str) -> String {
        use crate::decide::{Cascade, Last};
        use crate::rules::{Mode, RuleSet, Rules};
        let rules = Rules {
            set: RuleSet::defaults(),
            mode: Mode::Settle,
            prefer: None,
            date_fields: Vec::new(),
        };
        let mut chain = Cascade::new(rules, Last::Prefer(prefer(Side::Upstream)));
        let labels = Labels {
            upstream: "Updated upstream",
            base: None,
            stashed: "Stashed changes",
        };
        let texts = Sides::new(up, st, Some(base));
        let o = Options::default();
        match merge_texts(Path::new("a"), texts, labels, &o, &mut [&mut chain]).unwrap() {
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
