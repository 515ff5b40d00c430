//! The engine's properties (issue 19), black-box: real git, the built binary,
//! generated triples (base, ours, theirs) of whole articles in YAML, TOML and
//! JSON frontmatter, where ours and theirs are the base with random edits
//! (see `engine_props/model.rs`). Each case commits the three versions in a
//! temporary repository and runs, sharing the git work:
//!
//! - `git merge topic` (ours = main, theirs = topic) in the default style,
//!   then `git frontmerge --leave-conflicts post.md` and `--prefer ours` or
//!   `--prefer theirs` (one per case); the same merge with
//!   `merge.conflictStyle=diff3` and `--leave-conflicts`;
//! - the same two merges with the merge driver installed;
//! - `git stash pop` (upstream commit = ours, stash = theirs, a style per
//!   case), then `--leave-conflicts` and `--prefer upstream` or `--prefer
//!   stashed` (the side of the merge's); and `git stash pop` with the driver
//!   installed.
//!
//! and checks:
//!
//! - P1: where git conflicts, resolve after git and the driver in the same
//!   operation and style give the same bytes and the same status: all settled
//!   (resolve exit 0 and the file marked resolved; driver exit 0, path
//!   merged) or conflicts left for a person (resolve exit 3 with markers
//!   written; driver exit 1, path unmerged). Plain `resolve` (no terminal,
//!   no `--prefer`) writes the same bytes where all settles, else leaves
//!   git's file as it was (exit 3).
//! - P2: where git's line merge is clean and valid (frontmatter parses, no
//!   key twice at any depth), the driver gives git's bytes; where it is clean
//!   but invalid, never git's bytes: the driver leaves a conflict, or settles
//!   it by a rule (a key both sides added is a value both changed: the
//!   built-in set rule for `tags`, docs/merge-driver.md) into a valid
//!   article that loses no one-sided change (P3's check).
//! - P3: every fully settled result (also under `--prefer`) has, at every
//!   depth, each change made on one side only (and what both changed alike or
//!   neither changed). A side changed a part when its data or its own layout
//!   changed (quoting, list or table style, a comment above it, key order): a
//!   value edited on one side and only re-quoted on the other is a conflict,
//!   free for `--prefer`; a mapping or list changed on both sides is compared
//!   inside: mappings key by key; lists item by item where both sides edited
//!   items in place, else by the item-by-item three-way merge (chunks both
//!   sides changed are free), else (a set list, a side moved items, repeated
//!   items) by counts of items. Parts git merged cleanly and validly are
//!   git's business (P2's principle) and not compared.
//! - P4: the lines between markers in resolve's and the driver's results are
//!   never more than in git's own result for the same operation and style
//!   (unless git's clean lines alone are invalid: then the engine may add a
//!   conflict there). The lines counted are the sides' (what a person chooses
//!   between): a diff3 base section shows what the base held where git's
//!   alignment of the whole file put the hunk, and git's histogram alignment
//!   may give an empty one where the engine, which conflicts on the values
//!   alone, shows the base's lines of those values.
//!
//! Cases: `PROPTEST_CASES` (default [`DEFAULT_CASES`]); failures shrink and
//! persist under `tests/proptest-regressions/`. `engine_props_sweep`
//! (ignored) runs seeds one by one without stopping, for `bench/props.py`.

mod model;
mod value;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestRng, TestRunner,
};
use tempfile::TempDir;

use crate::common::{bin, binary, isolate};
use model::{base_article, Article, Edit, Format, KINDS};
use value::{article_layout, is_marker, lost, parse_article, parse_frontmatter, C, L};

/// Cases per run when `PROPTEST_CASES` is not set (CI): the issue asks for
/// a few hundred per property, and every case checks the four properties.
const DEFAULT_CASES: u32 = 300;

/// The article every case merges.
const FILE: &str = "post.md";

/// The resolve option that writes what the engine settled and leaves
/// markers only around what is still open. `ENGINE_PROPS_LEAVE` overrides it
/// (empty: plain `resolve`, to look at today's binary with the same harness).
fn leave_flag() -> Option<String> {
    match std::env::var("ENGINE_PROPS_LEAVE") {
        Ok(s) if s.is_empty() => None,
        Ok(s) => Some(s),
        Err(_) => Some("--leave-conflicts".to_owned()),
    }
}

/// One generated case: the format, the base's seed, each side's edits and
/// the conflict style of the stash pop.
#[derive(Clone, Debug)]
pub struct Case {
    format: Format,
    seed: u64,
    ours: Vec<Edit>,
    theirs: Vec<Edit>,
    stash_style: &'static str,
    /// `--prefer theirs`/`stashed` rather than `ours`/`upstream` (one per case).
    prefer_theirs: bool,
}

impl Case {
    /// Base, ours, theirs.
    fn articles(&self) -> [Article; 3] {
        let base = base_article(self.format, self.seed);
        let mut ours = base.clone();
        for e in &self.ours {
            ours.apply(*e);
        }
        let mut theirs = base.clone();
        for e in &self.theirs {
            theirs.apply(*e);
        }
        [base, ours, theirs]
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    (0..KINDS, any::<u16>(), any::<u16>(), any::<u16>()).prop_map(|(kind, a, b, c)| Edit {
        kind,
        a,
        b,
        c,
    })
}

/// Cases; theirs' edits often aim at ours' targets (same kind or not), so
/// that the sides overlap and git conflicts in a good share of cases; some
/// cases end with a twin edit on both sides (see below).
fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![Just(Format::Yaml), Just(Format::Toml), Just(Format::Json)],
        any::<u64>(),
        prop::collection::vec(edit(), 1..=4),
        prop::collection::vec((edit(), 0u8..4), 1..=4),
        prop_oneof![Just("merge"), Just("diff3"), Just("zdiff3")],
        prop::option::weighted(
            0.15,
            (prop_oneof![Just(4u8), Just(7)], edit(), any::<u16>()),
        ),
        any::<bool>(),
    )
        .prop_map(
            |(format, seed, mut ours, theirs, stash_style, twin, prefer_theirs)| {
                let mut theirs: Vec<Edit> = theirs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (e, mirror))| match (mirror, ours.get(i)) {
                        (1, Some(o)) => Edit { a: o.a, ..e },
                        (2, Some(o)) => Edit {
                            kind: o.kind,
                            a: o.a,
                            ..e
                        },
                        _ => e,
                    })
                    .collect();
                // Both sides add the same key, or move the same key, at two
                // places: git's line merge is often clean and defines it twice.
                if let Some((kind, e, other)) = twin {
                    ours.truncate(1);
                    theirs.truncate(1);
                    ours.push(Edit { kind, ..e });
                    theirs.push(Edit {
                        kind,
                        b: other,
                        c: other.wrapping_add(e.c),
                        ..e
                    });
                }
                Case {
                    format,
                    seed,
                    ours,
                    theirs,
                    stash_style,
                    prefer_theirs,
                }
            },
        )
}

/// A finished command and the file after it.
#[derive(Clone, Debug)]
struct Run {
    code: i32,
    text: String,
    unmerged: bool,
    stderr: String,
}

/// A temporary folder: the repository, the attributes file and the log of
/// the driver's exit codes.
struct Scratch {
    dir: TempDir,
    repo: PathBuf,
}

impl Scratch {
    /// The three versions committed: `base`, `main` (ours) and `topic`
    /// (theirs) on top of it; nothing checked out yet.
    fn new(texts: &[String; 3]) -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        fs::create_dir(&repo).unwrap();
        let s = Scratch { dir, repo };
        s.ok(&["init", "-q", "-b", "main"]);
        let mut config = fs::OpenOptions::new()
            .append(true)
            .open(s.repo.join(".git/config"))
            .unwrap();
        // Kept as a pack: no `git unpack-objects` per repository.
        config
            .write_all(b"[core]\n\tautocrlf = false\n[fastimport]\n\tunpackLimit = 0\n")
            .unwrap();
        fs::write(s.dir.path().join("attributes"), "*.md merge=frontmerge\n").unwrap();
        let mut stream = String::new();
        let who = "Test <test@example.invalid> 1767225600 +0000";
        for (mark, text) in texts.iter().enumerate() {
            stream += &format!("blob\nmark :{}\ndata {}\n{text}\n", mark + 1, text.len());
        }
        for (branch, mark, from) in [
            ("base", 1, ""),
            ("main", 2, "from :11\n"),
            ("topic", 3, "from :11\n"),
        ] {
            stream += &format!(
                "commit refs/heads/{branch}\nmark :1{mark}\nauthor {who}\ncommitter {who}\ndata {}\n{branch}\n{from}M 100644 :{mark} {FILE}\n\n",
                branch.len()
            );
        }
        let mut c = s.command("git");
        c.args(["fast-import", "--quiet"]).stdin(Stdio::piped());
        let mut child = c.stdout(Stdio::null()).spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "git fast-import");
        fs::write(s.dir.path().join("theirs"), &texts[2]).unwrap();
        s
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        isolate(&mut c);
        c.current_dir(&self.repo);
        c
    }

    fn git(&self, args: &[&str]) -> Output {
        self.command("git")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) {
        let o = self.git(args);
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    fn read(&self) -> String {
        fs::read_to_string(self.repo.join(FILE)).unwrap_or_default()
    }

    fn unmerged(&self) -> bool {
        !self.git(&["ls-files", "-u", "--", FILE]).stdout.is_empty()
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("driver-exits")
    }

    /// `-c` options that install the merge driver for this command only
    /// (the line `install --merge-driver` writes, with the exit code logged).
    fn driver_config(&self) -> Vec<String> {
        let _ = fs::remove_file(self.log());
        let line = format!(
            "'{}' merge-driver -L %X -L %S -L %Y %O %A %B %L %P; s=$?; echo $s >> '{}'; exit $s",
            binary().display(),
            self.log().display()
        );
        vec![
            "-c".to_owned(),
            format!("merge.frontmerge.driver={line}"),
            "-c".to_owned(),
            format!(
                "core.attributesFile={}",
                self.dir.path().join("attributes").display()
            ),
        ]
    }

    /// The driver's last exit code (none when git did not need it).
    fn driver_exit(&self) -> Option<i32> {
        let log = fs::read_to_string(self.log()).ok()?;
        log.lines().last().and_then(|l| l.trim().parse().ok())
    }

    /// A git operation with `style` (and the driver), and the file after it.
    /// The style is the repository's, as a person sets it: `resolve` after
    /// the operation writes what is left in it too.
    fn operation(&self, style: &str, driver: bool, args: &[&str]) -> Run {
        let set = self.git(&["config", "merge.conflictStyle", style]);
        assert!(set.status.success(), "git config");
        let mut all: Vec<String> = Vec::new();
        if driver {
            all.extend(self.driver_config());
        }
        all.extend(args.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = self.git(&all);
        Run {
            code: o.status.code().unwrap_or(-1),
            text: self.read(),
            unmerged: self.unmerged(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    fn resolve(&self, args: &[&str]) -> Run {
        let o = bin()
            .current_dir(&self.repo)
            .args(args)
            .arg(FILE)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            text: self.read(),
            unmerged: self.unmerged(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// The index and the file, to run resolve again on the same conflict.
    fn snapshot(&self) -> (Vec<u8>, Vec<u8>) {
        (
            fs::read(self.repo.join(".git/index")).unwrap(),
            fs::read(self.repo.join(FILE)).unwrap_or_default(),
        )
    }

    fn restore(&self, s: &(Vec<u8>, Vec<u8>)) {
        fs::write(self.repo.join(".git/index"), &s.0).unwrap();
        fs::write(self.repo.join(FILE), &s.1).unwrap();
    }

    /// The runs of resolve on git's conflict: `--leave-conflicts`, then each `--prefer`.
    fn resolves(&self, prefer: &[&str]) -> (Run, Option<Run>, Vec<(String, Run)>) {
        let snap = self.snapshot();
        let leave: Vec<String> = leave_flag().into_iter().collect();
        let leave: Vec<&str> = leave.iter().map(String::as_str).collect();
        let left = self.resolve(&leave);
        // Plain `resolve` too, where the option was given (else `left` is it).
        let plain = (!leave.is_empty()).then(|| {
            self.restore(&snap);
            self.resolve(&[])
        });
        let mut prefers = Vec::new();
        for side in prefer {
            self.restore(&snap);
            prefers.push((
                format!("--prefer {side}"),
                self.resolve(&["--prefer", side]),
            ));
        }
        (left, plain, prefers)
    }

    fn stash(&self) {
        self.ok(&["checkout", "-q", "-f", "base"]);
        fs::write(
            self.repo.join(FILE),
            fs::read(self.dir.path().join("theirs")).unwrap(),
        )
        .unwrap();
        self.ok(&["stash", "-q"]);
        self.ok(&["checkout", "-q", "-f", "main"]);
    }
}

/// One operation: git's own result, resolve's runs after it, the driver's.
struct Scenario {
    name: String,
    git: Run,
    left: Option<Run>,
    /// Plain `resolve` (no terminal, no `--prefer`) after git.
    plain: Option<Run>,
    prefers: Vec<(String, Run)>,
    driver: Run,
    driver_exit: Option<i32>,
    /// Lines of the versions that read as markers (a `|||||||` table rule
    /// in a real article: OfficeDocs-Exchange): text, not markers.
    own: Vec<String>,
}

impl Scenario {
    /// Whether `line` is a conflict marker (not a line the versions hold).
    fn is_marker(&self, line: &str) -> bool {
        is_marker(line) && !self.own.iter().any(|o| o == line)
    }

    /// Whether `text` holds conflict markers.
    fn markers(&self, text: &str) -> bool {
        text.lines().any(|l| self.is_marker(l))
    }
}

fn merge_scenario(s: &Scratch, style: &str, prefer: &[&str]) -> Scenario {
    s.ok(&["reset", "-q", "--hard"]);
    let merge = ["merge", "-q", "--no-commit", "--no-ff", "topic"];
    let git = s.operation(style, false, &merge);
    let (left, plain, prefers) = if git.unmerged {
        let (l, plain, p) = s.resolves(prefer);
        (Some(l), plain, p)
    } else {
        (None, None, Vec::new())
    };
    s.ok(&["reset", "-q", "--hard"]);
    let driver = s.operation(style, true, &merge);
    Scenario {
        name: format!("git merge ({style})"),
        git,
        left,
        plain,
        prefers,
        driver,
        driver_exit: s.driver_exit(),
        own: Vec::new(),
    }
}

fn stash_scenario(s: &Scratch, style: &str, prefer: &str) -> Scenario {
    s.stash();
    let git = s.operation(style, false, &["stash", "pop"]);
    let (left, plain, prefers) = if git.unmerged {
        let (l, plain, p) = s.resolves(&[prefer]);
        (Some(l), plain, p)
    } else {
        (None, None, Vec::new())
    };
    s.ok(&["reset", "-q", "--hard"]);
    if s.git(&["stash", "list"]).stdout.is_empty() {
        s.stash();
    }
    let driver = s.operation(style, true, &["stash", "pop"]);
    Scenario {
        name: format!("git stash pop ({style})"),
        git,
        left,
        plain,
        prefers,
        driver,
        driver_exit: s.driver_exit(),
        own: Vec::new(),
    }
}

/// What a result leaves to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Settled,
    Open,
}

fn resolve_status(sc: &Scenario, r: &Run) -> Result<Status, String> {
    match r.code {
        0 if !r.unmerged && !sc.markers(&r.text) => Ok(Status::Settled),
        3 if sc.markers(&r.text) && r.unmerged => Ok(Status::Open),
        c => Err(format!(
            "resolve exited {c} ({}, {}): {}",
            if sc.markers(&r.text) {
                "markers in the file"
            } else {
                "no markers"
            },
            if r.unmerged {
                "still unmerged"
            } else {
                "marked resolved"
            },
            said(&r.stderr)
        )),
    }
}

fn driver_status(sc: &Scenario) -> Result<Status, String> {
    let d = &sc.driver;
    let markers = sc.markers(&d.text);
    match (sc.driver_exit, d.unmerged, markers) {
        (Some(0) | None, false, false) => Ok(Status::Settled),
        (Some(1), true, true) => Ok(Status::Open),
        (e, u, m) => Err(format!(
            "driver exit {e:?}, path {}, {} (git exit {}): {}",
            if u { "unmerged" } else { "merged" },
            if m {
                "markers in the file"
            } else {
                "no markers"
            },
            d.code,
            said(&d.stderr)
        )),
    }
}

/// What a command said that matters for a failure message: its first few
/// lines, without the operation banner and usage text.
fn said(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("git: ") && !l.starts_with("Usage:"))
        .take(3)
        .collect();
    lines.join(" / ")
}

/// Lines between markers in the sides' sections (not the base sections,
/// not the markers).
fn conflict_lines(sc: &Scenario, text: &str) -> usize {
    let is_marker = |l: &str| sc.is_marker(l);
    let mut inside = false;
    let mut base = false;
    let mut n = 0;
    for line in text.lines() {
        if line.starts_with("<<<<<<<") && is_marker(line) {
            (inside, base) = (true, false);
        } else if line.starts_with("|||||||") && is_marker(line) {
            base = true;
        } else if line.starts_with("=======") && is_marker(line) {
            base = false;
        } else if line.starts_with(">>>>>>>") && is_marker(line) {
            inside = false;
        } else if inside && !base && !is_marker(line) {
            n += 1;
        }
    }
    n
}

/// git's result with every conflict taken from one side (0 = ours, 1 = theirs).
fn take_side(sc: &Scenario, text: &str, side: usize) -> String {
    let mut out = String::new();
    let mut section = None;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches('\n');
        if sc.is_marker(l) {
            section = match &l[..7] {
                "<<<<<<<" => Some(0),
                "|||||||" => Some(2),
                "=======" => Some(1),
                _ => None,
            };
            continue;
        }
        if section.is_none() || section == Some(side) {
            out.push_str(line);
        }
    }
    out
}

/// Whether git's result is clean and valid in its frontmatter, and clean in
/// the rest: those parts are git's and not compared by P3. And its related
/// links where git merged them cleanly (see [`clean_links`]).
fn git_clean_parts(format: Format, text: &str) -> (bool, bool, Option<String>) {
    let (open, close) = match format {
        Format::Yaml => ("---", "---"),
        Format::Toml => ("+++", "+++"),
        Format::Json => ("{", "}"),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Wherever the frontmatter ends (git's conflicts may hold its closing
    // line): the model's frontmatter has no such heading.
    let links = clean_links(&lines);
    if lines.first().map(|l| l.trim_end()) != Some(open) {
        return (false, false, links);
    }
    let (mut inside, mut markers) = (false, false);
    for (i, line) in lines.iter().enumerate().skip(1) {
        let l = line.trim_end_matches('\n');
        if is_marker(l) {
            markers = true;
            inside = !l.starts_with(">>>>>>>");
            continue;
        }
        if l == close && !inside {
            let fm = if format == Format::Json {
                lines[..=i].concat()
            } else {
                lines[1..i].concat()
            };
            let fm_ok = !markers && parse_frontmatter(format, &fm).is_ok();
            let rest_ok = !lines[i + 1..]
                .iter()
                .any(|l| is_marker(l.trim_end_matches('\n')));
            return (fm_ok, rest_ok, links);
        }
    }
    (false, false, links)
}

/// The related-links section (the model's `## Related` heading and what
/// follows) where git left it outside its conflicts with each URL listed
/// once: git's lines, which the engine keeps (the body and the links are
/// git's where its line merge of them is clean, as a clean file is git's).
fn clean_links(lines: &[&str]) -> Option<String> {
    let mut inside = false;
    for (i, line) in lines.iter().enumerate() {
        let l = line.trim_end_matches('\n');
        if is_marker(l) {
            inside = !l.starts_with(">>>>>>>");
        } else if l == "## Related" && !inside {
            let after = &lines[i..];
            let urls: Vec<&str> = after
                .iter()
                .filter_map(|l| l.trim_end().strip_suffix(')')?.rsplit_once("]("))
                .map(|(_, u)| u)
                .collect();
            let once = urls.iter().collect::<BTreeSet<_>>().len() == urls.len();
            let clean = !after.iter().any(|l| is_marker(l.trim_end_matches('\n')));
            return (once && clean).then(|| after.concat());
        }
    }
    None
}

/// Counts over a run (printed at the end).
#[derive(Default)]
struct Tally {
    cases: AtomicUsize,
    trivial: AtomicUsize,
    merge_conflicted: AtomicUsize,
    stash_conflicted: AtomicUsize,
    clean_invalid: AtomicUsize,
    p4_skipped: AtomicUsize,
    failed: AtomicUsize,
    /// Non-trivial cases where a side changed, added, removed or moved a multi-line string.
    text_changed: AtomicUsize,
    /// Of those, both sides did so.
    text_both: AtomicUsize,
    /// Of those, `git merge` conflicted.
    text_conflicted: AtomicUsize,
}

impl Tally {
    fn line(&self) -> String {
        let n = |a: &AtomicUsize| a.load(Ordering::Relaxed);
        let cases = n(&self.cases).max(1);
        format!(
            "{} cases ({} trivial: a side unchanged or both alike); git merge conflicted in {} ({:.0}%), git stash pop in {} ({:.0}%); git clean but invalid in {} operations; P4 not compared in {} (git's clean lines invalid); multi-line strings changed in {} (both sides {}, git merge conflicted {}); {} cases failed",
            n(&self.cases),
            n(&self.trivial),
            n(&self.merge_conflicted),
            100.0 * n(&self.merge_conflicted) as f64 / cases as f64,
            n(&self.stash_conflicted),
            100.0 * n(&self.stash_conflicted) as f64 / cases as f64,
            n(&self.clean_invalid),
            n(&self.p4_skipped),
            n(&self.text_changed),
            n(&self.text_both),
            n(&self.text_conflicted),
            n(&self.failed),
        )
    }
}

fn texts_of(articles: &[Article; 3]) -> [String; 3] {
    [
        articles[0].render(),
        articles[1].render(),
        articles[2].render(),
    ]
}

/// Runs one case; returns the violations, each named by its property.
fn check_case(case: &Case, tally: &Tally) -> Vec<String> {
    tally.cases.fetch_add(1, Ordering::Relaxed);
    let articles = case.articles();
    let texts = texts_of(&articles);
    let values: Vec<L> = articles.iter().map(article_layout).collect();
    for (name, (text, want)) in ["base", "ours", "theirs"]
        .iter()
        .zip(texts.iter().zip(&values))
    {
        let got = parse_article(case.format, text)
            .unwrap_or_else(|e| panic!("harness: {name} does not parse: {e}\n{text}"));
        assert_eq!(
            got,
            want.value(),
            "harness: {name} reads back other than its model:\n{text}"
        );
    }
    if texts[1] == texts[0] || texts[2] == texts[0] || texts[1] == texts[2] {
        tally.trivial.fetch_add(1, Ordering::Relaxed);
        return Vec::new();
    }
    let scenarios = run_scenarios(&texts, case.stash_style, case.prefer_theirs);
    if scenarios[1].git.unmerged {
        tally.merge_conflicted.fetch_add(1, Ordering::Relaxed);
    }
    // How much the multi-line strings are exercised (see `Tally::line`).
    let base_texts = articles[0].texts();
    let changed = [1, 2].map(|i| articles[i].texts() != base_texts);
    if changed[0] || changed[1] {
        tally.text_changed.fetch_add(1, Ordering::Relaxed);
        if changed[0] && changed[1] {
            tally.text_both.fetch_add(1, Ordering::Relaxed);
        }
        if scenarios[1].git.unmerged {
            tally.text_conflicted.fetch_add(1, Ordering::Relaxed);
        }
    }
    if scenarios[0].git.unmerged {
        tally.stash_conflicted.fetch_add(1, Ordering::Relaxed);
    }
    let mut fails = Vec::new();
    let v = [&values[0], &values[1], &values[2]];
    for sc in &scenarios {
        check_scenario(case.format, sc, Some(v), true, tally, &mut fails);
    }
    fails
}

/// The three operations of a case, each in its own repository, side by
/// side: `git stash pop` (in `stash_style`), `git merge` (default style,
/// with `--prefer` of the case's side) and `git merge` in diff3 style.
fn run_scenarios(texts: &[String; 3], stash_style: &str, prefer_theirs: bool) -> [Scenario; 3] {
    std::thread::scope(|scope| {
        let (side, stashed) = if prefer_theirs {
            ("theirs", "stashed")
        } else {
            ("ours", "upstream")
        };
        let stash = scope.spawn(|| stash_scenario(&Scratch::new(texts), stash_style, stashed));
        let merge = scope.spawn(|| merge_scenario(&Scratch::new(texts), "merge", &[side]));
        let diff3 = merge_scenario(&Scratch::new(texts), "diff3", &[]);
        let own: Vec<String> = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter(|l| is_marker(l))
            .map(str::to_owned)
            .collect();
        [stash.join().unwrap(), merge.join().unwrap(), diff3].map(|mut sc| {
            sc.own.clone_from(&own);
            sc
        })
    })
}

/// Checks one operation. `v` are the versions' models with their layouts,
/// for P3; without them (triples from real history, `engine_props_triples`)
/// P3 checks only that every settled result is a valid article. Where a
/// version is itself invalid (`versions_valid` false: real history has a key
/// written twice in all three), git's clean merge did not make it so, and
/// its bytes are the result.
fn check_scenario(
    format: Format,
    sc: &Scenario,
    v: Option<[&L; 3]>,
    versions_valid: bool,
    tally: &Tally,
    fails: &mut Vec<String>,
) {
    let name = &sc.name;
    let driver = driver_status(sc);
    if let Err(e) = &driver {
        fails.push(format!("P1 {name}: the driver: {e}"));
    }
    if !sc.git.unmerged {
        // P2: git's line merge is clean.
        if sc.markers(&sc.git.text) || sc.git.code != 0 {
            fails.push(format!(
                "harness {name}: git exit {} with markers {} and no unmerged path: {}",
                sc.git.code,
                sc.markers(&sc.git.text),
                sc.git.stderr
            ));
            return;
        }
        match parse_article(format, &sc.git.text) {
            Err(e) if versions_valid => {
                tally.clean_invalid.fetch_add(1, Ordering::Relaxed);
                let settled = driver == Ok(Status::Settled) && sc.driver.text != sc.git.text;
                match parse_article(format, &sc.driver.text) {
                    _ if driver == Ok(Status::Open) => {}
                    Ok(C::Map(r)) if settled => {
                        let Some(v) = v else { return };
                        let mut out = Vec::new();
                        for part in ["fm", "body", "links", "stray"] {
                            let [b, o, t] = v.map(|x| x.get(part));
                            lost(part, [b, o, t], r.get(part), false, &mut out);
                        }
                        for line in out {
                            fails.push(format!("P2 {name}: the driver settled git's clean but invalid merge: {line}"));
                        }
                    }
                    _ => fails.push(format!(
                        "P2 {name}: git merged cleanly into invalid frontmatter ({e}); the driver must leave a conflict or settle it validly, got {driver:?}:\n{}",
                        sc.driver.text
                    )),
                }
            }
            _ => {
                if sc.driver.text != sc.git.text || driver != Ok(Status::Settled) {
                    fails.push(format!(
                        "P2 {name}: git merged cleanly and validly; the driver ({driver:?}) differs from git's bytes:\n{}",
                        diff(&sc.git.text, &sc.driver.text)
                    ));
                }
            }
        }
        return;
    }
    let (fm_git, rest_git, links_git) = git_clean_parts(format, &sc.git.text);
    let mut settled: Vec<(String, &Run)> = Vec::new();
    // P1: resolve after git = the driver.
    // A version git's stages hold that does not read (real history has
    // keys written twice in all three): resolve refuses the file, leaving
    // git's conflict untouched (exit 1), and the driver falls back to git's.
    let refused = |r: &Run| {
        !versions_valid
            && r.code == 1
            && r.unmerged
            && r.text == sc.git.text
            && sc.driver.text == sc.git.text
            && driver == Ok(Status::Open)
    };
    if let Some(left) = sc.left.as_ref().filter(|l| !refused(l)) {
        match resolve_status(sc, left) {
            Err(e) => fails.push(format!(
                "P1 {name}: resolve {}: {e}",
                leave_flag().unwrap_or_default()
            )),
            Ok(st) => {
                if Ok(st) != driver || left.text != sc.driver.text {
                    fails.push(format!(
                        "P1 {name}: resolve {} ({st:?}) and the driver ({driver:?}) differ (- resolve, + driver):\n{}",
                        leave_flag().unwrap_or_default(),
                        diff(&left.text, &sc.driver.text)
                    ));
                }
                if st == Status::Settled {
                    settled.push((
                        format!("resolve {}", leave_flag().unwrap_or_default()),
                        left,
                    ));
                }
                // Plain `resolve`: the same bytes where everything settles,
                // else the file as git left it (exit 3).
                if let Some(plain) = &sc.plain {
                    let want = match st {
                        Status::Settled => (0, &left.text),
                        Status::Open => (3, &sc.git.text),
                    };
                    if (plain.code, &plain.text) != want {
                        fails.push(format!(
                            "P1 {name}: plain resolve exited {} ({st:?} expected) (- expected, + plain resolve):\n{}",
                            plain.code,
                            diff(want.1, &plain.text)
                        ));
                    }
                }
            }
        }
    }
    if driver == Ok(Status::Settled) {
        settled.push(("the driver".to_owned(), &sc.driver));
    }
    for (what, run) in sc.prefers.iter().filter(|(_, r)| !refused(r)) {
        match resolve_status(sc, run) {
            Ok(Status::Settled) => settled.push((format!("resolve {what}"), run)),
            other => fails.push(format!(
                "P3 {name}: resolve {what} did not settle the file: {other:?}"
            )),
        }
    }
    // P3: no one-sided change lost.
    for (what, run) in &settled {
        match parse_article(format, &run.text) {
            Err(e) if versions_valid => fails.push(format!(
                "P3 {name}: {what}: the settled result is not a valid article ({e}):\n{}",
                run.text
            )),
            // A version was already invalid: so may the result be.
            Err(_) => {}
            Ok(C::Map(r)) => {
                let Some(v) = v else { continue };
                let mut out = Vec::new();
                for part in ["fm", "body", "links", "stray"] {
                    if (part == "fm" && fm_git)
                        || (part != "fm" && rest_git)
                        || (part == "links" && links_git.is_some())
                    {
                        continue;
                    }
                    let [b, o, t] = v.map(|x| x.get(part));
                    lost(part, [b, o, t], r.get(part), false, &mut out);
                }
                if let Some(git) = links_git.as_deref().filter(|_| !rest_git) {
                    let kept = run
                        .text
                        .find("\n## Related\n")
                        .map(|at| &run.text[at + 1..]);
                    if kept != Some(git) {
                        out.push(format!(
                            "links: git merged them cleanly, want its lines:\n{git}got:\n{}",
                            kept.unwrap_or("(no section)")
                        ));
                    }
                }
                for line in out {
                    fails.push(format!("P3 {name}: {what}: {line}"));
                }
            }
            Ok(_) => unreachable!("articles are mappings"),
        }
    }
    // P4: no wider than git.
    let invalid_clean = [0, 1]
        .iter()
        .any(|&side| parse_article(format, &take_side(sc, &sc.git.text, side)).is_err());
    if invalid_clean {
        tally.p4_skipped.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let git_lines = conflict_lines(sc, &sc.git.text);
    let mut ours: Vec<(String, &Run)> = vec![("the driver".to_owned(), &sc.driver)];
    if let Some(left) = &sc.left {
        ours.push((
            format!("resolve {}", leave_flag().unwrap_or_default()),
            left,
        ));
    }
    for (what, run) in ours {
        let n = conflict_lines(sc, &run.text);
        if n > git_lines {
            fails.push(format!(
                "P4 {name}: {what} leaves {n} lines between markers, git {git_lines}:\n{}",
                run.text
            ));
        }
    }
}

/// A unified diff of two texts, for failure messages.
fn diff(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .to_string()
}

/// The failure message of a case: the versions, then each violation.
fn describe(case: &Case, fails: &[String]) -> String {
    let texts = texts_of(&case.articles());
    let mut m = format!(
        "{} violation(s) on this {:?} case:\n",
        fails.len(),
        case.format
    );
    for (name, t) in ["base", "ours (main, upstream)", "theirs (topic, stash)"]
        .iter()
        .zip(&texts)
    {
        m += &format!("----- {name}\n{t}");
    }
    m += "-----\n";
    for f in fails {
        m += &format!("* {f}\n");
    }
    m
}

fn cases_from_env(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn engine_properties_hold_on_generated_merges() {
    let config = Config {
        cases: cases_from_env(DEFAULT_CASES),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        // Each case runs git and the binary some thirty times: shrink briefly.
        max_shrink_iters: 48,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let tally = Tally::default();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&case(), |case| {
        let fails = check_case(&case, &tally);
        if fails.is_empty() {
            Ok(())
        } else {
            tally.failed.fetch_add(1, Ordering::Relaxed);
            Err(TestCaseError::fail(describe(&case, &fails)))
        }
    });
    eprintln!("engine properties: {}", tally.line());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Every version the generator writes reads back as its model (what
/// `check_case` asserts before running git), here without git over many
/// seeds, with every edit of multi-line strings applied on top; and such
/// strings are in a moderate share of the bases.
#[test]
fn generated_articles_read_back_as_their_models() {
    let check = |a: &Article, what: &str| {
        let text = a.render();
        let got = parse_article(a.format, &text)
            .unwrap_or_else(|e| panic!("{what} does not parse: {e}\n{text}"));
        assert_eq!(
            got,
            article_layout(a).value(),
            "{what} reads back other than its model:\n{text}"
        );
    };
    let n = 2000;
    let mut with_text = 0;
    for seed in 0..n {
        let case = case_of_seed(seed);
        let [base, ours, theirs] = case.articles();
        with_text += usize::from(base.has_text());
        check(&base, &format!("seed {seed} base"));
        check(&ours, &format!("seed {seed} ours"));
        check(&theirs, &format!("seed {seed} theirs"));
        let mut a = base;
        for k in 0..24u16 {
            let e = Edit {
                kind: if k % 4 == 3 {
                    (seed as u8).wrapping_add(k as u8) % KINDS
                } else {
                    20
                },
                a: k / 6,
                b: k.wrapping_mul(7).wrapping_add(seed as u16),
                c: (seed as u16).wrapping_mul(31).wrapping_add(k),
            };
            a.apply(e);
            check(&a, &format!("seed {seed} after {k} more edits ({e:?})"));
        }
    }
    let share = with_text * 100 / n as usize;
    assert!(
        (20..=45).contains(&share),
        "{share}% of the bases hold a multi-line string"
    );
}

/// `bench/props.py`: `ENGINE_PROPS_SWEEP` cases from seed `ENGINE_PROPS_FIRST_SEED`
/// (0), over `ENGINE_PROPS_JOBS` threads (1), each failure printed with its seed
/// and its versions written under `ENGINE_PROPS_OUT` when set; never stops early.
#[test]
#[ignore = "a long run for bench/props.py"]
fn engine_props_sweep() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let (n, first, jobs) = (
        env("ENGINE_PROPS_SWEEP", 100),
        env("ENGINE_PROPS_FIRST_SEED", 0),
        env("ENGINE_PROPS_JOBS", 1).max(1),
    );
    let out = std::env::var_os("ENGINE_PROPS_OUT").map(PathBuf::from);
    let tally = Tally::default();
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(u64, Vec<String>)>> = Mutex::new(Vec::new());
    let by_property: Mutex<std::collections::BTreeMap<String, usize>> = Mutex::default();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                if i >= n {
                    break;
                }
                if i > 0 && i % 500 == 0 {
                    eprintln!("PROGRESS {i}/{n}");
                }
                let seed = first + i;
                let case = case_of_seed(seed);
                let fails = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    check_case(&case, &tally)
                }))
                .unwrap_or_else(|p| {
                    vec![format!(
                        "harness panic: {}",
                        p.downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default()
                    )]
                });
                if fails.is_empty() {
                    continue;
                }
                tally.failed.fetch_add(1, Ordering::Relaxed);
                {
                    let mut props = by_property.lock().unwrap();
                    let mut seen = BTreeSet::new();
                    for f in &fails {
                        let p = f.split_whitespace().next().unwrap_or("?").to_owned();
                        if seen.insert(p.clone()) {
                            *props.entry(p).or_insert(0) += 1;
                        }
                    }
                }
                println!("FAIL seed={seed}");
                for f in &fails {
                    println!("  {}", f.lines().next().unwrap_or(""));
                }
                if let Some(dir) = &out {
                    save_case(dir, seed, &case, &fails);
                }
                failures.lock().unwrap().push((seed, fails));
            });
        }
    });
    let props = by_property.into_inner().unwrap();
    println!("SUMMARY {}", tally.line());
    println!(
        "BY-PROPERTY {}",
        props
            .iter()
            .map(|(p, n)| format!("{p}={n}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed (seeds: {:?})",
        failures.len(),
        failures.iter().map(|(s, _)| s).collect::<Vec<_>>()
    );
}

/// The case a sweep's seed stands for.
/// `bench/props_real.py`: P1, P2 and P4 (and, for P3, that every settled
/// result is a valid article) on triples from real history: each folder
/// under `ENGINE_PROPS_TRIPLES` (default `fixtures/real`) that holds
/// `base.md`, `ours.md` and `theirs.md`, in name order, over `ENGINE_PROPS_JOBS` threads (1). The
/// stash style and the side `--prefer` takes turn from folder to folder.
/// Each failure is printed with its folder and written to `failures.txt`
/// in it; never stops early. P3's one-sided changes need the generator's
/// models (what each side changed, layout included) and are not checked.
#[test]
#[ignore = "a long run for bench/props_real.py"]
fn engine_props_triples() {
    // Without one (CI runs the ignored tests too): the real triples kept
    // as fixtures.
    let root = std::env::var_os("ENGINE_PROPS_TRIPLES")
        .map_or_else(|| crate::common::fixtures().join("real"), PathBuf::from);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("ENGINE_PROPS_TRIPLES reads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|d| d.join("base.md").is_file())
        .collect();
    dirs.sort();
    let jobs = std::env::var("ENGINE_PROPS_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1usize)
        .max(1);
    let tally = Tally::default();
    let next = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(dir) = dirs.get(i) else { break };
                let read = |name: &str| {
                    fs::read(dir.join(name))
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                };
                let (Some(base), Some(ours), Some(theirs)) =
                    (read("base.md"), read("ours.md"), read("theirs.md"))
                else {
                    skipped.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let format = match base.lines().next().map(str::trim_end) {
                    Some("---") => Format::Yaml,
                    Some("+++") => Format::Toml,
                    Some("{") => Format::Json,
                    _ => {
                        skipped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                };
                tally.cases.fetch_add(1, Ordering::Relaxed);
                let texts = [base, ours, theirs];
                let valid = texts.iter().all(|t| parse_article(format, t).is_ok());
                let style = ["merge", "diff3", "zdiff3"][i % 3];
                let fails = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let scenarios = run_scenarios(&texts, style, i % 2 == 1);
                    if scenarios[1].git.unmerged {
                        tally.merge_conflicted.fetch_add(1, Ordering::Relaxed);
                    }
                    if scenarios[0].git.unmerged {
                        tally.stash_conflicted.fetch_add(1, Ordering::Relaxed);
                    }
                    let mut fails = Vec::new();
                    for sc in &scenarios {
                        check_scenario(format, sc, None, valid, &tally, &mut fails);
                    }
                    fails
                }))
                .unwrap_or_else(|_| vec!["harness panic (see stderr)".to_owned()]);
                if fails.is_empty() {
                    let _ = fs::remove_file(dir.join("failures.txt"));
                    continue;
                }
                tally.failed.fetch_add(1, Ordering::Relaxed);
                println!("FAIL {}", dir.display());
                for f in &fails {
                    println!("  {}", f.lines().next().unwrap_or(""));
                }
                let _ = fs::write(dir.join("failures.txt"), fails.join("\n"));
            });
        }
    });
    println!(
        "SUMMARY {} ({} skipped: not UTF-8 or no frontmatter fence on the base's first line)",
        tally.line(),
        skipped.into_inner()
    );
    let failed = tally.failed.load(Ordering::Relaxed);
    assert_eq!(failed, 0, "{failed} of {} triples failed", dirs.len());
}

fn case_of_seed(seed: u64) -> Case {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    case().new_tree(&mut runner).unwrap().current()
}

fn save_case(dir: &Path, seed: u64, case: &Case, fails: &[String]) {
    let d = dir.join(format!("seed-{seed}"));
    let _ = fs::create_dir_all(&d);
    let texts = texts_of(&case.articles());
    for (name, t) in ["base.md", "ours.md", "theirs.md"].iter().zip(&texts) {
        let _ = fs::write(d.join(name), t);
    }
    let _ = fs::write(d.join("failures.txt"), describe(case, fails));
}
