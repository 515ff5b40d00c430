//! Property tests on generated articles, calling the library directly.
//!
//! Articles have frontmatter with plain, quoted, block-scalar, sequence and
//! JSON values, bodies of Cyrillic and Latin text with setext headings and
//! `---` rules, an optional related-links section, LF or CRLF, an optional
//! BOM. Two sides are made from one base article by random edits, and the
//! conflict between them is written as git writes it.

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::SizeRange;

use frontmerge::article::{self, ArticleOptions};
use frontmerge::conflict::scan;
use frontmerge::conflict::sides::Side;
use frontmerge::decide::{PreferStep, Reason};
use frontmerge::pipeline::{self, Options, Outcome};

// ---------------------------------------------------------------- articles

#[derive(Clone, Debug)]
struct Spec {
    bom: bool,
    crlf: bool,
    frontmatter: Option<Vec<(String, String)>>,
    body: Vec<String>,
    links: Option<Links>,
}

#[derive(Clone, Debug)]
struct Links {
    heading: String,
    bullet: &'static str,
    items: Vec<(String, String)>,
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z]{1,8}", "[а-яА-ЯёЁ]{1,8}"]
}

fn words(n: impl Into<SizeRange>) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), n).prop_map(|w| w.join(" "))
}

/// What follows `key:` on its line (and the continuation lines).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        words(1..5).prop_map(|w| format!(" {w}")),
        words(1..5).prop_map(|w| format!(" \"{w}\"")),
        words(1..5).prop_map(|w| format!(" '{w}'")),
        (words(1..4), words(1..4)).prop_map(|(a, b)| format!(" >-\n  {a}\n  {b}")),
        (words(1..4), words(0..4)).prop_map(|(a, b)| format!(" |\n  {a}\n\n  {b}")),
        prop::collection::vec(words(1..3), 1..4)
            .prop_map(|items| items.iter().map(|i| format!("\n- {i}")).collect()),
        prop::collection::vec(word(), 1..3)
            .prop_map(|items| items.iter().map(|i| format!("\n  - \"{i}\"")).collect()),
        (words(1..3), 0..100u32).prop_map(|(n, c)| format!(
            " {{\"@type\": \"Article\", \"name\": \"{n}\", \"rating\": {{\"count\": {c}}}}}"
        )),
        (1..28u32).prop_map(|d| format!(" 2025-07-{d:02}T20:24:28.496Z")),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title".to_owned()),
        Just("description".to_owned()),
        Just("pubDate".to_owned()),
        Just("tags".to_owned()),
        Just("schema".to_owned()),
        "[a-z][a-zA-Z0-9_]{0,8}",
    ]
}

/// One body block; `setext7` allows a setext underline of exactly 7 `=`,
/// which git's markers make ambiguous inside a conflict.
fn block(setext7: bool) -> impl Strategy<Value = String> {
    let underline = if setext7 { 3..12usize } else { 8..12usize };
    prop_oneof![
        prop::collection::vec(words(1..8), 1..4).prop_map(|l| l.join("\n")),
        (words(1..4), underline).prop_map(|(t, n)| format!("{t}\n{}", "=".repeat(n))),
        (words(1..4), 3..6usize).prop_map(|(t, n)| format!("{t}\n{}", "=".repeat(n))),
        words(1..4).prop_map(|t| format!("{t}\n---")),
        words(1..4).prop_map(|t| format!("## {t}")),
        Just("---".to_owned()),
        Just("* * *".to_owned()),
        prop::collection::vec(words(1..4), 1..4).prop_map(|l| l
            .iter()
            .map(|i| format!("- {i}"))
            .collect::<Vec<_>>()
            .join("\n")),
    ]
}

fn links() -> impl Strategy<Value = Links> {
    (
        prop::sample::select(vec![
            "Читайте также",
            "Related",
            "See also",
            "Похожие статьи",
        ]),
        prop::sample::select(vec!["- ", "*   ", "* "]),
        prop::collection::vec((words(1..4), "[a-z]{1,8}"), 0..4),
    )
        .prop_map(|(h, bullet, items)| Links {
            heading: format!("## {h}"),
            bullet,
            items: items
                .into_iter()
                .map(|(t, slug)| (t, format!("/blog/{slug}/")))
                .collect(),
        })
}

fn spec(setext7: bool) -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::weighted(0.85, prop::collection::vec((key(), value()), 0..7)),
        prop::collection::vec(block(setext7), 1..6),
        prop::option::of(links()),
    )
        .prop_map(|(bom, crlf, fm, body, links)| Spec {
            bom,
            crlf,
            frontmatter: fm.map(|entries| {
                let mut seen = std::collections::HashSet::new();
                entries
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .collect()
            }),
            body,
            links,
        })
}

impl Spec {
    fn render(&self) -> String {
        let mut s = String::new();
        if let Some(fm) = &self.frontmatter {
            s.push_str("---\n");
            for (k, v) in fm {
                s.push_str(&format!("{k}:{v}\n"));
            }
            s.push_str("---\n");
        } else if self.body[0].starts_with("---") {
            // Without frontmatter a leading `---` would open one.
            s.push_str("Intro.\n\n");
        }
        s.push_str(&self.body.join("\n\n"));
        s.push('\n');
        if let Some(l) = &self.links {
            s.push('\n');
            s.push_str(&l.heading);
            s.push_str("\n\n");
            for (t, u) in &l.items {
                s.push_str(&format!("{}[{t}]({u})\n", l.bullet));
            }
        }
        if self.crlf {
            s = s.replace('\n', "\r\n");
        }
        if self.bom {
            s.insert(0, '\u{feff}');
        }
        s
    }

    /// This article with the parts that `mask` picks taken from `other`.
    fn edited(&self, other: &Spec, mask: &[bool]) -> Spec {
        let mut bits = mask.iter().copied().cycle();
        let mut pick = || bits.next().unwrap_or(false);
        let mut out = self.clone();
        if pick() {
            out.bom = other.bom;
        }
        if pick() {
            out.crlf = other.crlf;
        }
        match (&mut out.frontmatter, &other.frontmatter) {
            (Some(mine), Some(theirs)) => {
                for (i, (_, v)) in mine.iter_mut().enumerate() {
                    if pick() {
                        if let Some((_, w)) = theirs.get(i) {
                            *v = w.clone();
                        }
                    }
                }
                if pick() && !mine.is_empty() {
                    mine.remove(0);
                }
                for (k, v) in theirs {
                    if pick() && !mine.iter().any(|(m, _)| m == k) {
                        mine.push((k.clone(), v.clone()));
                    }
                }
            }
            (fm, theirs) => {
                if pick() {
                    *fm = theirs.clone();
                }
            }
        }
        for (i, b) in out.body.iter_mut().enumerate() {
            if pick() {
                if let Some(o) = other.body.get(i) {
                    *b = o.clone();
                }
            }
        }
        if pick() {
            out.body.push(other.body[0].clone());
        }
        if pick() {
            out.links = other.links.clone();
        }
        out
    }
}

/// A base article and two sides edited from it.
fn sides(setext7: bool) -> impl Strategy<Value = (String, String)> {
    (
        spec(setext7),
        spec(setext7),
        spec(setext7),
        prop::collection::vec(prop::bool::weighted(0.3), 24),
        prop::collection::vec(prop::bool::weighted(0.3), 24),
    )
        .prop_map(|(base, a, b, ma, mb)| {
            (base.edited(&a, &ma).render(), base.edited(&b, &mb).render())
        })
}

// ---------------------------------------------------------------- conflicts

/// The conflict git writes between two versions (an add/add merge, so each
/// side of the result is exactly one version): common lines stay, each run
/// of differing lines becomes one hunk.
fn conflict(upstream: &str, stashed: &str) -> String {
    let eol = if upstream.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let a: Vec<&str> = scan::lines_with_offsets(upstream).map(|(_, l)| l).collect();
    let b: Vec<&str> = scan::lines_with_offsets(stashed).map(|(_, l)| l).collect();
    let diff = similar::TextDiff::from_slices(&a, &b);
    let mut out = String::new();
    let (mut hunk_a, mut hunk_b) = (String::new(), String::new());
    let flush = |out: &mut String, ha: &mut String, hb: &mut String| {
        if ha.is_empty() && hb.is_empty() {
            return;
        }
        out.push_str(&format!(
            "<<<<<<< Updated upstream{eol}{ha}======={eol}{hb}>>>>>>> Stashed changes{eol}"
        ));
        ha.clear();
        hb.clear();
    };
    for op in diff.ops() {
        match op.tag() {
            similar::DiffTag::Equal => {
                flush(&mut out, &mut hunk_a, &mut hunk_b);
                for l in &a[op.old_range()] {
                    out.push_str(l);
                }
            }
            _ => {
                hunk_a.extend(a[op.old_range()].iter().copied());
                hunk_b.extend(b[op.new_range()].iter().copied());
            }
        }
    }
    flush(&mut out, &mut hunk_a, &mut hunk_b);
    out
}

fn prefer(side: Side) -> PreferStep {
    PreferStep {
        preferred: Ok((side, Reason::Prefer)),
        links: None,
    }
}

fn resolve(text: &str, side: Side) -> Result<Outcome, frontmerge::pipeline::Error> {
    let mut p = prefer(side);
    pipeline::resolve(
        Path::new("a.md"),
        pipeline::Input::Conflicted { text, known: &[] },
        &Options::default(),
        &mut [&mut p],
    )
}

/// Checks that preferring each side of `conflicted` gives exactly that side.
fn each_side_comes_back(conflicted: &str, up: &str, st: &str) -> Result<(), TestCaseError> {
    for (side, want) in [(Side::Upstream, up), (Side::Stashed, st)] {
        match resolve(conflicted, side) {
            Ok(Outcome::Resolved(r)) => {
                prop_assert!(!r.unresolved);
                prop_assert_eq!(&r.output, want, "--prefer {:?}", side);
            }
            Ok(Outcome::NoConflicts) => prop_assert_eq!(up, st, "no conflict found"),
            Ok(other) => prop_assert!(false, "--prefer {:?}: {:?}", side, other),
            Err(e) => prop_assert!(false, "--prefer {:?}: {} (line {:?})", side, e, e.line()),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn preferring_a_side_gives_exactly_that_side((up, st) in sides(false)) {
        let conflicted = conflict(&up, &st);
        each_side_comes_back(&conflicted, &up, &st)?;
    }

    #[test]
    fn a_file_without_conflicts_is_never_changed(a in spec(true)) {
        let text = a.render();
        for side in [Side::Upstream, Side::Stashed] {
            prop_assert!(matches!(resolve(&text, side), Ok(Outcome::NoConflicts)));
        }
        let input = pipeline::Input::Conflicted { text: &text, known: &[] };
        let prepared = pipeline::prepare::prepare(input, &Options::default());
        prop_assert!(matches!(prepared, Ok(pipeline::Prepared::NoConflicts)));
    }

    #[test]
    fn generated_articles_parse_and_reassemble(a in spec(true)) {
        let text = a.render();
        let art = article::parse(&text, &ArticleOptions::default());
        prop_assert!(art.is_ok(), "{:?}", art.err());
        let art = art.unwrap();
        prop_assert_eq!(art.frontmatter.is_some(), a.frontmatter.is_some());
        prop_assert_eq!(art.links.is_some(), a.links.is_some());
        prop_assert_eq!(art.reassembled(), text);
    }
}

// ------------------------------------------------------------ real git

/// `git merge-file` with an empty base: an add/add conflict, each side of
/// which is exactly one version; `diff3` adds an (empty) base section.
fn git_merge_file(up: &str, st: &str, diff3: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("up"), up).unwrap();
    std::fs::write(p("base"), "").unwrap();
    std::fs::write(p("st"), st).unwrap();
    let mut c = std::process::Command::new("git");
    c.args(["merge-file", "-p"]);
    if diff3 {
        c.arg("--diff3");
    }
    let o = c
        .args([
            "-L",
            "Updated upstream",
            "-L",
            "Stash base",
            "-L",
            "Stashed changes",
        ])
        .args([p("up"), p("base"), p("st")])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        o.status.code().is_some_and(|c| (0..128).contains(&c)),
        "git merge-file failed"
    );
    String::from_utf8(o.stdout).unwrap()
}

proptest! {
    // Slower: one git process per case.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn git_merge_file_conflicts_resolve_to_each_side((up, st) in sides(false)) {
        let conflicted = git_merge_file(&up, &st, false);
        each_side_comes_back(&conflicted, &up, &st)?;
    }

    // With a base section (here the empty base of an add/add conflict) the
    // merge is three-way: lists merge as sets with the base, so preferring a
    // side no longer gives that side whole. It must still resolve cleanly.
    #[test]
    fn git_merge_file_diff3_conflicts_resolve_cleanly((up, st) in sides(false)) {
        let conflicted = git_merge_file(&up, &st, true);
        for side in [Side::Upstream, Side::Stashed] {
            match resolve(&conflicted, side) {
                Ok(Outcome::Resolved(r)) => {
                    prop_assert!(!r.unresolved);
                    prop_assert!(pipeline::validate(&r.output, &Options::default(), false).is_ok());
                }
                Ok(Outcome::NoConflicts) => prop_assert_eq!(&up, &st, "no conflict found"),
                Ok(other) => prop_assert!(false, "--prefer {:?}: {:?}", side, other),
                Err(e) => prop_assert!(false, "--prefer {:?}: {} (line {:?})", side, e, e.line()),
            }
        }
    }
}
