//! What every command needs before deciding anything, made once: where
//! the versions come from ([`Input`]), the versions rebuilt from git's line
//! merge or from the file's markers ([`prepare`], [`Versions`]), parsed, and
//! compared part by part with their frontmatter trees merged ([`compare`]).
//! `resolve`, the merge driver, `diff`, the picker and replay all go
//! through here.
//!
//! ```text
//! Input::Three ──git's line merge clean──▶ Prepared::Clean (git's bytes)
//!      │                 └─conflicts──▶ Versions (git's merge with each side's sections)
//! Input::Conflicted ──markers──▶ Versions (the file's sections; its base sections, if any)
//! Versions ──articles──▶ Sides<Article> ──compare──▶ Compared { fm merge, comparison }
//! ```

use std::borrow::Cow;

use crate::article::layout::{KeyPath, Node};
use crate::article::Seg;
use crate::article::{self, Article, ArticleOptions, FileLine, Format, Value};
use crate::conflict::fences::Examples;
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::refine;
use crate::conflict::scan::{self, Labels};
use crate::conflict::sides::{Side, Sides};
use crate::conflict::split::{self, SideText, Split};
use crate::conflict::worded::Worded;
use crate::error::Error;
use crate::merge::compare::{Change, Comparison, KeyDiff, Part};
use crate::merge::tree::{sub_nodes, ConflictKind, FrontmatterMerge, Kid, Nodes, Plan, Strategy};
use crate::worded;

use super::Options;

/// Where the versions of a file come from: every path builds one of these
/// and calls [`super::resolve`]; there is no other way to merge.
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
        /// The names any markers written are labelled with (a base label:
        /// git's diff3 style).
        labels: Labels<'t>,
    },
    /// A conflicted text alone (a loose file, a person's edited conflict):
    /// two ways from its markers, or three with their own diff3 sections.
    Conflicted {
        /// The file's text.
        text: &'t str,
        /// Clean versions of the file git knows (HEAD, stages): marker lines
        /// they show in fenced code blocks are examples, not markers.
        known: &'t [String],
    },
}

/// git's line merge of three versions.
#[derive(Clone, Copy, Debug)]
pub struct LineMerge<'t> {
    /// Its text, in diff3 style.
    pub text: &'t str,
    /// The marker size it was written with (longer than any run of marker
    /// characters in the versions, so that no line of theirs reads as one).
    pub marker_size: MarkerSize,
}

/// What a file comes to before anything is decided.
pub enum Prepared<'t> {
    /// No conflict in it: left alone.
    NoConflicts,
    /// git merged the versions cleanly, and validly: its bytes are the result.
    Clean(&'t str),
    /// git merged them cleanly into frontmatter that no longer reads (a key
    /// both sides added, each at its own line): never a clean result, but a
    /// conflict around what broke it, for a person.
    Broken {
        /// git's result with markers around the offending entries.
        text: String,
        /// What broke.
        why: String,
        /// The same conflicts in diff3 style (each entry's base section:
        /// none, or the base's frontmatter): merged by the engine as git's
        /// line merge of the versions, so that `--prefer`, the rules and a
        /// person decide them like any value both sides changed. `None`
        /// where the base's frontmatter does not read.
        diff3: Option<String>,
    },
    /// Versions to compare and decide.
    Versions(Box<Versions<'t>>),
}

/// The versions of one file, as the engine compares them.
pub struct Versions<'t> {
    source: Source<'t>,
    labels: Labels<'t>,
    notes: Vec<String>,
}

/// A rebuilt version that does not read, with the two sides when only the
/// base does not.
type BaseUnread<'a> = (Error, Option<Box<Sides<Article<'a>>>>);

/// The versions as parsed for comparing ([`Versions::articles_with`]).
pub struct Read<'a> {
    /// The sides rebuilt from git's hunks, or the versions themselves.
    pub articles: Sides<Article<'a>>,
    /// Why the versions themselves were parsed, when they were.
    pub note: Option<String>,
    /// The two sides rebuilt from git's hunks, where the versions
    /// themselves were parsed because only the rebuilt base did not read:
    /// where git's merge is read from (see `merge::tree`'s `git_merged`).
    pub git: Option<Sides<Article<'a>>>,
}

enum Source<'t> {
    /// Rebuilt from a conflicted text: git's line merge of three versions
    /// (everything it merged is in every side), or the file's markers.
    Split {
        conflicted: Box<Conflicted<'t>>,
        /// The three versions themselves, when known: for when the rebuilt
        /// sides do not read (git's hunks cut a moved key off its old place).
        versions: Option<Sides<&'t str>>,
        /// The rebuilt sides' lines are lines of the file a person sees.
        in_file: bool,
    },
}

/// Finds what `input` comes to: no conflict, git's clean merge, or the
/// versions to compare.
pub fn prepare<'t>(input: Input<'t>, opts: &Options) -> Result<Prepared<'t>, Error> {
    match input {
        Input::Conflicted { text, known } => {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let examples = Examples::known(text, opts.marker_size, &known);
            let Some(mut conflicted) = Conflicted::scan_except(text, opts.marker_size, &examples)?
            else {
                return Ok(Prepared::NoConflicts);
            };
            let notes = conflicted.endings_converted().map(str::to_owned);
            Ok(Prepared::Versions(Box::new(Versions {
                labels: conflicted.labels(),
                source: Source::Split {
                    conflicted: Box::new(conflicted),
                    versions: None,
                    in_file: true,
                },
                notes: notes.into_iter().collect(),
            })))
        }
        Input::Three {
            versions,
            merged,
            labels,
        } => {
            let Some(mut conflicted) = Conflicted::scan(merged.text, merged.marker_size)? else {
                // git merged it cleanly: its bytes, unless they are no
                // longer valid frontmatter (a key both sides added).
                return Ok(match clean_merge_fault(merged.text, versions, opts) {
                    None => Prepared::Clean(merged.text),
                    Some(fault) => {
                        let [text, diff3] = [false, true].map(|diff3| {
                            let size = if diff3 {
                                merged.marker_size
                            } else {
                                opts.marker_size
                            };
                            let style = (size, diff3);
                            conflict_for_fault(merged.text, &fault, versions, labels, opts, style)
                        });
                        Prepared::Broken {
                            text: text.unwrap_or_default(),
                            why: format!(
                                "git's line merge is clean but {fault}: left as a conflict around it"
                            ),
                            diff3,
                        }
                    }
                });
            };
            conflicted.last_lines_as(versions, &merged);
            let versions = match no_base_frontmatter(versions) {
                Some(empty) => {
                    if let Some(b) = conflicted
                        .split
                        .sides
                        .base
                        .as_mut()
                        .filter(|b| b.text.is_empty())
                    {
                        *b = SideText::whole(empty);
                    }
                    Sides {
                        base: Some(empty),
                        ..versions
                    }
                }
                None => versions,
            };
            Ok(Prepared::Versions(Box::new(Versions {
                source: Source::Split {
                    conflicted: Box::new(conflicted),
                    versions: Some(versions),
                    in_file: false,
                },
                labels,
                notes: Vec::new(),
            })))
        }
    }
}

impl<'t> Versions<'t> {
    /// The labels markers are written with.
    pub fn labels(&self) -> Labels<'t> {
        self.labels
    }

    /// Messages about how the versions were found.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The versions parsed, with a note when the rebuilt sides did not read
    /// and the versions themselves were parsed instead. Errors name the
    /// side and the file line.
    pub fn articles(
        &self,
        opts: &ArticleOptions,
    ) -> Result<(Sides<Article<'_>>, Option<String>), Error> {
        self.articles_with(opts, self.versions(opts).as_ref())
            .map(|r| (r.articles, r.note))
    }

    /// [`Versions::articles`] with `whole`, [`Versions::versions`] as the
    /// caller parsed them once: a rebuilt side whose frontmatter is its
    /// version's takes that frontmatter as read there.
    pub fn articles_with(
        &self,
        opts: &ArticleOptions,
        whole: Option<&Sides<Article<'t>>>,
    ) -> Result<Read<'_>, Error> {
        let read = |articles, note: Option<&str>| Read {
            articles,
            note: note.map(str::to_owned),
            git: None,
        };
        match &self.source {
            Source::Split {
                conflicted,
                versions,
                ..
            } => match (conflicted.read_like(opts, whole), versions) {
                // git's hunks cut a moved link off its old place: the rebuilt
                // sides list it twice. The versions themselves.
                (Ok(a), Some(_)) if links_twice(&a) => match whole {
                    Some(whole) if !links_twice(whole) => Ok(read(
                        whole.clone(),
                        Some("git's conflicts cut through the related links where a side moved one: merged link by link from the three versions"),
                    )),
                    _ => Ok(read(a, None)),
                },
                // git's hunks cut a moved key off its old place and the
                // rebuilt sides, still valid (TOML tables may be written in
                // two places), write it twice: the versions themselves.
                (Ok(a), Some(_)) if split_key(&a) => match whole {
                    Some(whole) if !split_key(whole) => Ok(read(whole.clone(), Some(MOVED_KEY))),
                    _ => Ok(read(a, None)),
                },
                (Ok(a), _) => Ok(read(a, None)),
                // A side that does not read as git left it nor as a whole
                // version: the error as git left it, its lines the file's
                // (git's rendering of the stages is the file's). Where only
                // the base does not read (its section of a hunk holds the old
                // lines of a key a side moved, which git's merged lines hold
                // too: that key twice), what git merged is read from the two
                // sides (bench/props.py seed 355902).
                (Err((e, git)), Some(_)) => Ok(Read {
                    git: git.map(|g| *g),
                    ..read(whole.cloned().ok_or(e)?, Some(MOVED_KEY))
                }),
                (Err((e, _)), None) => Err(e),
            },
        }
    }

    /// `opts` for reading these versions: with the headings that make each
    /// version's trailing links section read alike in all of them (see
    /// [`crate::article::links::headings_alike`]).
    pub fn options<'o>(&self, opts: &'o ArticleOptions) -> Cow<'o, ArticleOptions> {
        let Source::Split {
            conflicted,
            versions,
            ..
        } = &self.source;
        let texts: Vec<&str> = match versions {
            Some(v) => [Some(v.upstream), Some(v.stashed), v.base]
                .into_iter()
                .flatten()
                .collect(),
            None => {
                let s = &conflicted.split.sides;
                [Some(&s.upstream), Some(&s.stashed), s.base.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(|t| t.text.as_str())
                    .collect()
            }
        };
        let more = crate::article::links::headings_alike(&texts, &opts.link_headings);
        if more.is_empty() {
            return Cow::Borrowed(opts);
        }
        let mut o = opts.clone();
        o.link_headings.extend(more);
        Cow::Owned(o)
    }

    /// The three versions themselves, parsed, when known and readable:
    /// what the frontmatter is merged from (see [`compare_with`]).
    pub fn versions(&self, opts: &ArticleOptions) -> Option<Sides<Article<'t>>> {
        match &self.source {
            Source::Split {
                versions: Some(v), ..
            } => parse_versions(*v, opts).ok(),
            Source::Split { versions: None, .. } => None,
        }
    }

    /// The file line of a line of one version (`None`: the base), when the
    /// versions are the file's own sections.
    pub fn file_line(&self, side: Option<Side>, line: usize) -> Option<usize> {
        match &self.source {
            Source::Split {
                conflicted,
                in_file: true,
                ..
            } => conflicted.file_line(side, line),
            _ => None,
        }
    }
}

/// Said when git's hunks cut a side's frontmatter where it moved a key.
const MOVED_KEY: &str = "git's conflicts cut through the frontmatter where a side moved a key: merged value by value from the three versions";

/// Whether some version's frontmatter was read whole (a TOML key whose
/// lines are in two places).
fn split_key(a: &Sides<Article<'_>>) -> bool {
    a.upstream.read_whole()
        || a.stashed.read_whole()
        || a.base.as_ref().is_some_and(Article::read_whole)
}

/// Whether some version lists a related link (a URL) twice.
fn links_twice(a: &Sides<Article<'_>>) -> bool {
    let twice = |x: &Article<'_>| {
        let mut seen = std::collections::HashSet::new();
        x.links().iter().any(|l| !seen.insert(l.url))
    };
    twice(&a.upstream) || twice(&a.stashed) || a.base.as_ref().is_some_and(twice)
}

/// Whole versions parsed; errors name the side.
fn parse_versions<'v>(
    v: Sides<&'v str>,
    opts: &ArticleOptions,
) -> Result<Sides<Article<'v>>, Error> {
    let parse = |side: Option<Side>, t| {
        article::parse(t, opts).map_err(|error| Error::Article {
            side,
            line: error.line(),
            error,
        })
    };
    Ok(Sides::new(
        parse(Some(Side::Upstream), v.upstream)?,
        parse(Some(Side::Stashed), v.stashed)?,
        v.base.map(|b| parse(None, b)).transpose()?,
    ))
}

/// What a file comes to once prepared and compared: the one step
/// `resolve` (and through it the driver, replay, mergetool), `diff` and
/// the picker share, so that each sees the file as the others do.
pub enum Ready<'t, R> {
    /// No conflict in it: left alone.
    NoConflicts,
    /// git merged the versions cleanly, and validly: its bytes.
    Clean(&'t str),
    /// git merged them cleanly into frontmatter that no longer reads: a
    /// conflict around what broke it (see [`Prepared::Broken`]).
    Broken {
        /// git's result with markers around the offending entries.
        text: String,
        /// What broke.
        why: String,
        /// What the caller made of the versions compared with those
        /// conflicts as git's line merge (`None` where they could not be:
        /// `text` is all there is). `why` is the first note it is handed.
        compared: Option<R>,
    },
    /// What the caller made of the compared versions.
    Compared(R),
}

/// Prepares `input` ([`prepare`]), parses the versions (falling back to
/// the three versions themselves where git's hunks cut a side apart) and
/// compares them part by part with the frontmatter trees merged
/// ([`compare_with`], lists merging as sets where `sets` says), then hands
/// them to `then` with the notes said so far (how the versions were found,
/// any fallback). `counted`: line counts for the comparison's screens.
/// Where git's clean merge is broken, the versions are compared with the
/// conflict around what broke it as git's merge ([`Ready::Broken`]).
pub fn ready<'t, R>(
    input: Input<'t>,
    opts: &Options,
    sets: &dyn Strategy,
    counted: bool,
    then: impl for<'v> FnOnce(&Versions<'v>, &Compared<'_>, Vec<Worded>) -> R,
) -> Result<Ready<'t, R>, Error> {
    let (text, why, diff3) = match prepare(input, opts)? {
        Prepared::NoConflicts => return Ok(Ready::NoConflicts),
        Prepared::Clean(text) => return Ok(Ready::Clean(text)),
        Prepared::Versions(v) => {
            return compare_then(&v, opts, sets, counted, None, then).map(Ready::Compared)
        }
        Prepared::Broken { text, why, diff3 } => (text, why, diff3),
    };
    let again = match (&diff3, input) {
        (
            Some(diff3),
            Input::Three {
                versions,
                merged,
                labels,
            },
        ) => prepare(
            Input::Three {
                versions,
                merged: LineMerge {
                    text: diff3,
                    marker_size: merged.marker_size,
                },
                labels,
            },
            opts,
        )
        .ok(),
        _ => None,
    };
    let compared = match again {
        Some(Prepared::Versions(v)) => {
            let said = Worded::from(why.clone());
            compare_then(&v, opts, sets, counted, Some(said), then).ok()
        }
        _ => None,
    };
    Ok(Ready::Broken {
        text,
        why,
        compared,
    })
}

/// [`ready`]'s comparing of `versions`, `first` the first note said.
fn compare_then<'v, R>(
    versions: &Versions<'v>,
    opts: &Options,
    sets: &dyn Strategy,
    counted: bool,
    first: Option<Worded>,
    then: impl FnOnce(&Versions<'v>, &Compared<'_>, Vec<Worded>) -> R,
) -> Result<R, Error> {
    let article = versions.options(&opts.article);
    let whole = versions.versions(&article);
    let Read {
        articles,
        note: fell_back,
        git,
    } = versions.articles_with(&article, whole.as_ref())?;
    let compared = compare_with(
        &articles,
        whole.as_ref(),
        git.as_ref(),
        &|s, l| versions.file_line(s, l),
        &article,
        sets,
        counted,
    );
    let said = first
        .into_iter()
        .chain(
            versions
                .notes()
                .iter()
                .cloned()
                .chain(fell_back)
                .map(Worded::from),
        )
        .collect();
    Ok(then(versions, &compared, said))
}

/// A conflicted file cut into its sides.
pub struct Conflicted<'a> {
    /// The sides and labels.
    pub split: Split<'a>,
}

impl<'a> Conflicted<'a> {
    /// git's rendering `merged` of `versions` ends in a conflict: each
    /// section runs to its version's end, and git ends a section whose last
    /// line lacks its newline with one (the marker after it stays on its
    /// own line). The rebuilt sides end as their versions do, so that what
    /// nobody changed (the last line's missing newline) is written as it
    /// was (PowerShell-Docs' jea/role-capabilities.md: the driver added it).
    fn last_lines_as(&mut self, versions: Sides<&str>, merged: &super::LineMerge<'_>) {
        if !refine::ends_in_conflict(merged.text, merged.marker_size) {
            return;
        }
        let sides = &mut self.split.sides;
        let pairs = [
            (Some(&mut sides.upstream), Some(versions.upstream)),
            (Some(&mut sides.stashed), Some(versions.stashed)),
            (sides.base.as_mut(), versions.base),
        ];
        for (side, version) in pairs {
            if let (Some(side), Some(version)) = (side, version) {
                if refine::lacks_final_newline(version) {
                    refine::drop_added_newline(&mut side.text, version);
                }
            }
        }
    }

    /// Line endings one side converted, the whole file (see
    /// `merge::endings`), read from the file's own diff3 sections: the
    /// other side and the base read in the new endings, as from the stages
    /// (line for line, so every line keeps its place in the file). What is
    /// said, when so.
    fn endings_converted(&mut self) -> Option<&'static str> {
        use crate::merge::endings::{convert, Converted};
        let s = &mut self.split.sides;
        let base = s.base.as_ref()?;
        let c = Converted::of(&Sides::new(
            s.upstream.text.as_str(),
            s.stashed.text.as_str(),
            Some(base.text.as_str()),
        ))?;
        let conv = |t: &mut String| *t = convert(t, c.to);
        match c.side {
            Side::Upstream => conv(&mut s.stashed.text),
            Side::Stashed => conv(&mut s.upstream.text),
        }
        if let Some(b) = s.base.as_mut() {
            conv(&mut b.text);
        }
        Some(c.said())
    }

    /// Scans `text`; `None` when it holds no conflict.
    pub fn scan(text: &'a str, marker_size: MarkerSize) -> Result<Option<Conflicted<'a>>, Error> {
        Conflicted::scan_except(text, marker_size, &Examples::none())
    }

    /// Scans `text` with the `examples` (fenced examples known to a clean
    /// version) read as text; `None` when it holds no conflict, which is the
    /// case of a file whose only marker lines are such examples.
    pub fn scan_except(
        text: &'a str,
        marker_size: MarkerSize,
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
        self.articles_like(opts, None)
    }

    /// [`Conflicted::articles`], each side taking the frontmatter of its
    /// article in `known` (parsed with the same `opts`) where its text
    /// starts with the same block (see [`article::parse_like`]).
    pub fn articles_like(
        &self,
        opts: &ArticleOptions,
        known: Option<&Sides<Article<'_>>>,
    ) -> Result<Sides<Article<'_>>, Error> {
        self.read_like(opts, known).map_err(|(e, _)| e)
    }

    /// [`Conflicted::articles_like`], with the two sides (no base) beside
    /// the error when only the base does not read.
    fn read_like(
        &self,
        opts: &ArticleOptions,
        known: Option<&Sides<Article<'_>>>,
    ) -> Result<Sides<Article<'_>>, BaseUnread<'_>> {
        fn parse<'t>(
            side: Option<Side>,
            t: &'t SideText,
            opts: &ArticleOptions,
            known: Option<&Article<'_>>,
        ) -> Result<Article<'t>, Error> {
            article::parse_like(&t.text, opts, known).map_err(|e| {
                let error = e.map_lines(|l| t.file_line(l));
                Error::Article {
                    side,
                    line: error.line(),
                    error,
                }
            })
        }
        let s = &self.split.sides;
        let side = |side, t, k| parse(Some(side), t, opts, k).map_err(|e| (e, None));
        let mut two = Sides::new(
            side(Side::Upstream, &s.upstream, known.map(|k| &k.upstream))?,
            side(Side::Stashed, &s.stashed, known.map(|k| &k.stashed))?,
            None,
        );
        if let Some(b) = &s.base {
            match parse(None, b, opts, known.and_then(|k| k.base.as_ref())) {
                Ok(b) => two.base = Some(b),
                Err(e) => return Err((e, Some(Box::new(two)))),
            }
        }
        Ok(two)
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

/// For versions with no common ancestor (`""`: an article both sides
/// added, git's add/add), whose sides open frontmatter in one format: an
/// empty block of it, to stand for the base. Every key is then new on
/// both sides, merged key by key (the same added alike, a `tags` rule's
/// union), not the frontmatter decided as a whole because "the base has
/// none".
fn no_base_frontmatter(versions: Sides<&str>) -> Option<&'static str> {
    if versions.base != Some("") {
        return None;
    }
    let format = Format::detect(versions.upstream)?;
    if Format::detect(versions.stashed) != Some(format) {
        return None;
    }
    Some(format.empty_block(versions.upstream.contains("\r\n")))
}

/// Why a clean line merge is no valid result: its frontmatter no longer
/// reads (a key defined twice, broken syntax) while every version's did.
/// `None`: it is valid (or some version was already broken: nothing better
/// can be made of it than git's bytes).
fn clean_merge_fault(
    merged: &str,
    versions: Sides<&str>,
    opts: &Options,
) -> Option<article::ArticleError> {
    let reads = |t: &str| article::parse(t, &opts.article).is_ok();
    let err = article::parse(merged, &opts.article).err()?;
    let all = [
        Some(versions.upstream),
        Some(versions.stashed),
        versions.base,
    ];
    all.into_iter().flatten().all(reads).then_some(err)
}

/// git's clean but broken result with a conflict around what broke it: a
/// key defined twice gets each of its two definitions in a conflict of its
/// own, on the side that wrote it (keep one, drop the other); anything
/// else, the frontmatter as each side wrote it, git's body kept. Two ways,
/// or with `diff3` in diff3 style: each definition's base section empty
/// (both are new: a version with both would not read), the frontmatter's
/// the base's (`None` where the base has none that reads). `style`: the
/// marker size, and whether diff3.
fn conflict_for_fault(
    merged: &str,
    fault: &article::ArticleError,
    versions: Sides<&str>,
    labels: Labels<'_>,
    opts: &Options,
    (size, diff3): (MarkerSize, bool),
) -> Option<String> {
    let lines: Vec<&str> = merged.split_inclusive('\n').collect();
    let eol = if merged.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let markers = super::render::MarkerStyle {
        size,
        labels: Labels {
            base: diff3.then(|| labels.base.unwrap_or("base")),
            ..labels
        },
        merger: None,
    };
    if let article::ArticleError::DuplicateKey { line, first, .. } = fault {
        let format = Format::detect(merged).unwrap_or_default();
        let (a, b) = (
            entry_lines(&lines, *first, format),
            entry_lines(&lines, *line, format),
        );
        if a.end <= b.start {
            let first_side = wrote(&lines, &a, versions);
            let mut out = String::new();
            let mut at = 0;
            for (range, side) in [(a, first_side), (b, first_side.other())] {
                out.extend(lines[at..range.start].iter().copied());
                let entry: String = lines[range.clone()].concat();
                let (up, st) = match side {
                    Side::Upstream => (entry.as_str(), ""),
                    Side::Stashed => ("", entry.as_str()),
                };
                super::render::conflict(&mut out, &markers, eol, up, diff3.then_some(""), st);
                at = range.end;
            }
            out.extend(lines[at..].iter().copied());
            return Some(out);
        }
    }
    // The frontmatter block of git's result, replaced by each side's.
    let block = |t: &str| -> Option<(usize, usize)> {
        let a = article::parse(t, &opts.article).ok()?;
        let fm = a.frontmatter.as_ref()?;
        let start = article::offset_in(t, fm.open);
        Some((start, article::offset_in(t, fm.close) + fm.close.len()))
    };
    let fence_end = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| {
            let l = l.trim_end();
            Format::ALL
                .iter()
                .any(|f| f.syntax().closers().contains(&l))
        })
        .map(|(i, _)| lines[..=i].iter().map(|l| l.len()).sum::<usize>());
    let whole = |up: &str, base: Option<&str>, st: &str| {
        let mut out = String::new();
        super::render::conflict(&mut out, &markers, eol, up, base, st);
        out
    };
    match (block(versions.upstream), block(versions.stashed), fence_end) {
        (Some((us, ue)), Some((ss, se)), Some(end)) => {
            let rest = &merged[end..];
            let (up, st) = (&versions.upstream[us..ue], &versions.stashed[ss..se]);
            if !diff3 {
                let (up, st) = (format!("{up}{rest}"), format!("{st}{rest}"));
                return Some(super::render::conflicts_between(
                    &up, None, &st, &markers, eol,
                ));
            }
            let base = versions.base?;
            let (bs, be) = block(base)?;
            Some(whole(up, Some(&base[bs..be]), st) + rest)
        }
        _ if diff3 => None,
        _ => Some(super::render::conflicts_between(
            versions.upstream,
            None,
            versions.stashed,
            &markers,
            eol,
        )),
    }
}

/// Which side wrote the entry on `lines` `range` of git's clean merge: the
/// one whose version holds it with more of its neighbouring lines
/// (two sides can add the same entry); ours when that does not tell.
fn wrote(lines: &[&str], range: &std::ops::Range<usize>, versions: Sides<&str>) -> Side {
    let entry: String = lines[range.clone()].concat();
    let before = range.start.checked_sub(1).map(|i| lines[i]);
    let after = lines.get(range.end).copied();
    let score = |version: &str| {
        [
            Some(entry.clone()),
            before.map(|b| format!("{b}{entry}")),
            after.map(|a| format!("{entry}{a}")),
        ]
        .into_iter()
        .flatten()
        .filter(|t| version.contains(t.as_str()))
        .count()
    };
    if score(versions.stashed) > score(versions.upstream) {
        Side::Stashed
    } else {
        Side::Upstream
    }
}

/// The 0-based lines of the entry whose key is on 1-based `line`: it and
/// the lines that continue it in `format` (indented more, or a YAML list
/// under its key).
fn entry_lines(lines: &[&str], line: usize, format: Format) -> std::ops::Range<usize> {
    let start = line.saturating_sub(1).min(lines.len());
    let Some(key) = lines.get(start) else {
        return start..start;
    };
    let syntax = format.syntax();
    let more = lines[start + 1..]
        .iter()
        .take_while(|l| syntax.continues_entry(key, l))
        .count();
    start..start + 1 + more
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
) -> (Option<Sides<Article<'t>>>, Option<Worded>) {
    let has = |a: &Article<'_>| a.links.is_some();
    let (u, s) = (has(&articles.upstream), has(&articles.stashed));
    let b = articles.base.as_ref().map(has);
    // Both sides still have it: a set merge (against the base's list, or an
    // empty one). Neither has it, nor the base: nothing to read again.
    if (u && s) || (!u && !s && b != Some(true)) {
        return (None, None);
    }
    // The versions without it never had its heading: the section is new
    // (or gone) as a whole on the others, a change to the links alone.
    let headings = &opts.link_headings;
    let lacking_heading =
        |a: &Article<'_>| a.links.is_none() && article::links::has_links_heading(a.body, headings);
    let dissolved = lacking_heading(&articles.upstream)
        || lacking_heading(&articles.stashed)
        || articles.base.as_ref().is_some_and(lacking_heading);
    if !dissolved {
        return (None, None);
    }
    let Some(read) = without_links(articles, opts) else {
        return (None, None);
    };
    let lacking: Vec<Worded> = [
        (worded![Side::Upstream], Some(u)),
        (worded![Side::Stashed], Some(s)),
        (worded!["the base"], b),
    ]
    .into_iter()
    .filter(|(_, has)| *has == Some(false))
    .map(|(name, _)| name)
    .collect();
    let have = if lacking.len() == 1 { "has" } else { "have" };
    let why = worded![
        "the related-links section is merged as text with the body: ",
        Worded::join(lacking, " and "),
        format!(
            " {have} no links section where the other has one (a line after the list or \
             under its heading)"
        ),
    ];
    (Some(read), Some(why))
}

/// The sides read again with no related-links section: its lines are
/// body text. `None` when a side does not read so.
fn without_links<'t>(
    articles: &Sides<Article<'t>>,
    opts: &ArticleOptions,
) -> Option<Sides<Article<'t>>> {
    let without = ArticleOptions {
        link_headings: Vec::new(),
        ..opts.clone()
    };
    let parse = |a: &Article<'t>| article::parse(a.text, &without).ok();
    let base = match &articles.base {
        Some(b) => Some(parse(b)?),
        None => None,
    };
    Some(Sides::new(
        parse(&articles.upstream)?,
        parse(&articles.stashed)?,
        base,
    ))
}

/// The versions compared, ready for deciders: the articles as compared
/// (a links section read as body text, frontmatters in different formats
/// as one whole part), their frontmatter trees merged, the parts that differ.
pub struct Compared<'a> {
    /// The articles as compared.
    pub articles: Sides<Article<'a>>,
    /// Their frontmatter merge.
    pub fm: FrontmatterMerge<'a>,
    /// The parts, the frontmatter's at every depth.
    pub comparison: Comparison,
    /// Messages about how they were read.
    pub notes: Vec<(Option<Part>, Worded)>,
    /// The three versions themselves, when known and cut into the same
    /// parts (see [`crate::decide::FileView::whole`]).
    pub whole: Option<Sides<Article<'a>>>,
    /// Whether the frontmatter merge ran on the three versions themselves
    /// (not on `articles`): the comparison's key paths are then places in
    /// them ([`crate::merge::compare::KeyDiff::at`]), and a value is looked
    /// up there ([`Compared::keyed`]).
    keyed_on_versions: bool,
    /// Those versions, where `whole` is not them.
    versions: Option<Sides<Article<'a>>>,
}

impl<'a> Compared<'a> {
    /// The versions the comparison's key paths are places in: the three
    /// versions themselves where the frontmatter merge ran on them (an item
    /// another side's insert moved stands elsewhere in the sides rebuilt
    /// from git's hunks), else `articles`.
    pub fn keyed(&self) -> &Sides<Article<'a>> {
        match (self.keyed_on_versions, &self.whole, &self.versions) {
            (true, _, Some(v)) | (true, Some(v), None) => v,
            _ => &self.articles,
        }
    }
}

/// Compares parsed versions part by part (`counted`: with body line counts,
/// what screens show; resolving only needs to know the bodies differ).
pub fn compare<'a>(
    articles: &Sides<Article<'a>>,
    file_line: FileLine<'_>,
    opts: &ArticleOptions,
    sets: &dyn Strategy,
    counted: bool,
) -> Compared<'a> {
    compare_with(articles, None, None, file_line, opts, sets, counted)
}

/// [`compare`], with the frontmatter trees merged from `frontmatters` (the
/// three versions themselves) when given: value by value, structure tells
/// what each side did (a key moved, a block deleted) where git's hunks,
/// which `articles` are rebuilt from, may have aligned lines otherwise.
/// What git merged is read from `git` (the sides rebuilt from its merge)
/// when given, else from `articles`. The body and the links stay git's.
pub fn compare_with<'a>(
    articles: &Sides<Article<'a>>,
    frontmatters: Option<&Sides<Article<'a>>>,
    git: Option<&Sides<Article<'_>>>,
    file_line: FileLine<'_>,
    opts: &ArticleOptions,
    sets: &dyn Strategy,
    counted: bool,
) -> Compared<'a> {
    let mut notes = Vec::new();
    // Where git's hunks cut a version's links section away (its heading
    // line matched into another hunk), the sides rebuilt from them no longer
    // have the parts the versions have, and a side of each hunk would write
    // a paragraph or the links twice: the versions themselves are compared.
    // (Test: engine_repros::a_links_section_gits_hunks_cut_away_is_written_once.)
    let links = |a: &Sides<Article<'a>>| {
        let has = |a: &Article<'_>| a.links.is_some();
        (has(&a.upstream), has(&a.stashed), a.base.as_ref().map(has))
    };
    // Only where the rebuilt sides disagree among themselves: where all of
    // them have the section, or none (git merged an intro line under the
    // heading cleanly), git's reading stands.
    let (u, s, b) = links(articles);
    let mixed = u != s || b.is_some_and(|b| b != u);
    let articles = match frontmatters {
        Some(w) if mixed && links(w) != links(articles) => w,
        _ => articles,
    };
    let (as_text, why) = links_as_text(articles, opts);
    if let Some(why) = why {
        notes.push((Some(Part::Body), why));
    }
    let links_are_text = as_text.is_some();
    let articles = as_text.unwrap_or_else(|| articles.clone());
    // After the links reading: that one parses the sides' texts again.
    let articles = match article::whole_when_formats_differ(&articles, file_line) {
        Some((whole, note)) => {
            notes.insert(0, (None, note));
            whole
        }
        None => articles,
    };
    let whole = notes.iter().any(|(p, _)| p.is_none());
    let mut keyed_on_versions = false;
    let (fm, comparison) = match frontmatters {
        Some(f) if !whole && article::whole_when_formats_differ(f, &|_, _| None).is_none() => {
            let fm = crate::merge::tree::of_articles_after_git(f, git.or(Some(&articles)), sets);
            let cmp = if counted {
                crate::merge::compare::compare(articles.as_ref())
            } else {
                crate::merge::compare::compare_parts(articles.as_ref())
            };
            let cmp = cmp.with_keys(tree_keys(&fm, Some(&articles)));
            keyed_on_versions = true;
            (fm, cmp)
        }
        _ => parts(&articles, sets, counted),
    };
    let same_parts = |w: &Sides<Article<'a>>| {
        let shape = |a: &Article<'_>| (a.links.is_some(), a.frontmatter.is_some());
        shape(&w.upstream) == shape(&articles.upstream)
            && shape(&w.stashed) == shape(&articles.stashed)
            && w.base.as_ref().map(shape) == articles.base.as_ref().map(shape)
    };
    // The versions read as the sides are: where the related links merge as
    // text with the body, they are body text in the versions too (a side
    // that put in a new section, the other a paragraph beside what git
    // merged before it: in the versions the heading is that side's alone).
    let whole = frontmatters
        .and_then(|w| {
            if links_are_text {
                without_links(w, opts)
            } else {
                Some(w.clone())
            }
        })
        .filter(|w| same_parts(w));
    let versions = match (keyed_on_versions, &whole, frontmatters) {
        (true, None, Some(f)) => Some(f.clone()),
        _ => None,
    };
    Compared {
        articles,
        fm,
        comparison,
        notes,
        whole,
        keyed_on_versions,
        versions,
    }
}

/// The frontmatter merge of `articles` and the comparison of their parts,
/// the frontmatter's at every depth (body lines counted when `counted`).
pub fn parts<'a>(
    articles: &Sides<Article<'a>>,
    sets: &dyn Strategy,
    counted: bool,
) -> (FrontmatterMerge<'a>, Comparison) {
    let fm = crate::merge::tree::of_articles(articles, sets);
    let cmp = if counted {
        crate::merge::compare::compare(articles.as_ref())
    } else {
        crate::merge::compare::compare_parts(articles.as_ref())
    };
    let cmp = cmp.with_keys(tree_keys(&fm, None));
    (fm, cmp)
}
/// The frontmatter's parts that differ, in the result's order: every value
/// the merge settled from one side or assembled, and every conflict. With
/// `shown` (the sides as git's line merge left them, when the merge ran on
/// the true versions): not the values git merged itself, which the shown
/// sides already agree on (git's, not a part to tell about).
pub fn tree_keys(fm: &FrontmatterMerge<'_>, shown: Option<&Sides<Article<'_>>>) -> Vec<KeyDiff> {
    let mut out = Vec::new();
    let settled: std::collections::HashSet<&KeyPath> =
        fm.merge.settled.iter().map(|s| &s.path).collect();
    let root = Some(KeyPath::root());
    let at = Sides::new(
        root.clone(),
        root.clone(),
        fm.roots.base.as_ref().map(|_| root),
    );
    walk(
        &KeyPath::root(),
        &at,
        &fm.merge.kids,
        &fm.nodes(),
        (&settled, &fm.merge.conflicts),
        &mut out,
    );
    if let Some(shown) = shown {
        let settled_by_git = |k: &KeyDiff| {
            let text = |s: Side| {
                k.path_on(s)
                    .and_then(|p| shown.get(s).entry_at(p))
                    .map(|e| e.text)
            };
            settled.contains(&k.key) && text(Side::Upstream) == text(Side::Stashed)
        };
        out.retain(|k| !settled_by_git(k));
    }
    out
}

/// The diffs below `parent`, which is `parents` in each version.
fn walk(
    parent: &KeyPath,
    parents: &Sides<Option<KeyPath>>,
    kids: &[Kid],
    n: &Nodes<'_, '_>,
    (settled, conflicts): (
        &std::collections::HashSet<&KeyPath>,
        &[crate::merge::tree::Conflict],
    ),
    out: &mut Vec<KeyDiff>,
) {
    let pick = |x: Option<&Node<'_>>, i: Option<usize>| -> Option<Value> {
        i.and_then(|i| x?.children().get(i))
            .map(|c| c.node.value.clone())
    };
    for kid in kids {
        let path = parent.child(kid.seg.clone());
        let own = |p: &Option<KeyPath>, i: Option<usize>| -> Option<KeyPath> {
            let seg = match &kid.seg {
                Seg::Key(k) => Seg::Key(k.clone()),
                Seg::Index(_) => Seg::Index(i?),
            };
            Some(p.as_ref()?.child(seg))
        };
        // New items both sides put at one place are named by each side's
        // first (the question shows them all): not "absent" on both.
        let inserted = match &kid.plan {
            Plan::Open(i) => match conflicts.get(*i).map(|c| &c.kind) {
                Some(ConflictKind::Inserts(items)) => Some(items),
                _ => None,
            },
            _ => None,
        };
        let first = |s: Side| inserted.and_then(|items| items.get(s).first().copied());
        let (iu, is) = (
            kid.at.upstream.or(first(Side::Upstream)),
            kid.at.stashed.or(first(Side::Stashed)),
        );
        let at = Sides::new(
            own(&parents.upstream, iu),
            own(&parents.stashed, is),
            parents.base.as_ref().map(|p| own(p, kid.at.base.flatten())),
        );
        let (u, s) = (pick(n.upstream, iu), pick(n.stashed, is));
        let inserts = inserted.is_some();
        let diff = |change| KeyDiff {
            key: path.clone(),
            at: at.clone(),
            change,
            inner: match (&u, &s) {
                // Two new items, not one value's inner keys.
                _ if inserts => Vec::new(),
                (Some(a), Some(b)) if a != b => a.inner_differences(b),
                _ => Vec::new(),
            },
        };
        let change = match (&u, &s) {
            (Some(_), Some(_)) => Change::Changed,
            (Some(_), None) => Change::OnlyUpstream,
            (None, Some(_)) => Change::OnlyStashed,
            (None, None) => Change::Changed,
        };
        if settled.contains(&path) {
            out.push(diff(change));
            continue;
        }
        match &kid.plan {
            Plan::Open(_) => out.push(diff(change)),
            Plan::Merge { kids, .. } => walk(
                &path,
                &at,
                kids,
                &sub_nodes(kid, n),
                (settled, conflicts),
                out,
            ),
            Plan::Take(_) | Plan::Frame | Plan::Parts { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_base_is_an_empty_block_of_the_sides_format() {
        let o = ArticleOptions::default();
        for (up, st) in [
            ("---\na: 1\n---\nx\n", "---\nb: 2\n---\ny\n"),
            ("+++\na = 1\n+++\nx\n", "+++\nb = 2\n+++\ny\n"),
            ("{\n\"a\": 1\n}\nx\n", "{\n\"b\": 2\n}\ny\n"),
            ("---\r\na: 1\r\n---\r\nx\r\n", "---\r\nb: 2\r\n---\r\ny\r\n"),
        ] {
            let empty = no_base_frontmatter(Sides::new(up, st, Some(""))).unwrap();
            let a = article::parse(empty, &o).unwrap();
            let side = article::parse(up, &o).unwrap();
            assert_eq!(a.format(), side.format(), "{empty:?}");
            assert_eq!(a.eol, side.eol, "{empty:?}");
            assert!(a.frontmatter.is_some(), "{empty:?}");
            assert_eq!(a.keys().count(), 0, "{empty:?}");
        }
        // A base, formats that differ, a side without frontmatter: as they are.
        for (up, st, base) in [
            ("---\na: 1\n---\n", "---\nb: 2\n---\n", Some("x\n")),
            ("---\na: 1\n---\n", "+++\nb = 2\n+++\n", Some("")),
            ("---\na: 1\n---\n", "just text\n", Some("")),
            ("---\na: 1\n---\n", "---\nb: 2\n---\n", None),
        ] {
            assert_eq!(no_base_frontmatter(Sides::new(up, st, base)), None);
        }
    }
}
