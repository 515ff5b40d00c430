//! "Never worse than git", as properties against real `git merge-file -p`.
//!
//! An article is a list of slots, each with a few variants (variant 0 is the
//! base's): frontmatter lines with comments, quoting, `True`/`true`, flow and
//! block lists, folded scalars, deleted keys; body paragraphs; related links
//! with other titles or bullets. Upstream and the stash each pick variants.
//!
//! - Where git merges cleanly, the merge driver's function gives git's bytes
//!   (with and without `--prefer`), and `resolve` has nothing to do.
//! - Where git conflicts, `resolve` (default rules, with or without
//!   `--prefer`) keeps every part only one side changed, byte for byte, and
//!   drops what only one side removed.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use frontmerge::conflict::scan::Labels;
use frontmerge::conflict::sides::{Side, Sides};
use frontmerge::decide::rules::{Mode, RuleSet};
use frontmerge::decide::{Decider, Prefer};
use frontmerge::pipeline::cascade::{Cascade, Last};
use frontmerge::pipeline::driver::{merge_three, DriverSettings};
use frontmerge::pipeline::{self, Options, Outcome, Policy};

use crate::common::isolate;

/// The slots of an article: `(part, variants)`. Slots of one part change
/// together as far as the invariant is concerned (a comment belongs to the
/// key below it). An empty variant is the slot's line removed. Paragraphs
/// are kept apart by a blank line nobody changes: edits to touching lines
/// are one hunk, for git as for us, and a real conflict.
const SLOTS: &[(&str, &[&str])] = &[
    ("open", &["---\n"]),
    ("title", &["", "# about the title\n", "# why this title\n"]),
    (
        "title",
        &[
            "title: A\n",
            "title: \"A\"\n",
            "title: B\n",
            "title: 'A' # c\n",
        ],
    ),
    (
        "date",
        &[
            "date: 2025-01-01\n",
            "date: \"2025-01-01\"\n",
            "date: 2025-02-01\n",
        ],
    ),
    (
        "draft",
        &["draft: true\n", "draft: True\n", "draft: false\n", ""],
    ),
    (
        "tags",
        &[
            "tags: [a, b]\n",
            "tags:\n  - a\n  - b\n",
            "tags: [a, b, c]\n",
            "tags:\n  - a\n  - b\n  - d\n",
        ],
    ),
    (
        "description",
        &[
            "description: short\n",
            "description: >\n  folded short\n",
            "",
            "description: longer one # note\n",
        ],
    ),
    ("close", &["---\n"]),
    (
        "p1",
        &[
            "First paragraph.\n",
            "First paragraph, edited.\n",
            "Erster Absatz.\n",
        ],
    ),
    ("p1", &["\n"]),
    ("p2", &["Second paragraph.\n", "Second, rewritten.\n", ""]),
    ("p2", &["\n"]),
    ("p3", &["", "A new paragraph.\n", "Another new one.\n"]),
    ("p3", &["\n"]),
    (
        "p4",
        &[
            "Third paragraph.\n",
            "Third paragraph, edited.\n",
            "Dritter.\n",
        ],
    ),
    ("p4", &["\n"]),
    ("p5", &["Fourth paragraph.\n", "Fourth, changed.\n"]),
    ("p5", &["\n"]),
    ("heading", &["## Related\n", "## See also\n"]),
    ("heading", &["\n"]),
    (
        "link-a",
        &["- [A](/a)\n", "- [A, retitled](/a)\n", "* [A](/a)\n", ""],
    ),
    (
        "link-b",
        &["- [B](/b)\n", "- [B \"quoted\"](/b)\n", "+ [B](/b)\n", ""],
    ),
    ("link-c", &["", "- [C](/c)\n", "- [D](/d)\n"]),
];

/// Variant indices for every slot.
type Pick = Vec<usize>;

fn pick(changes: f64) -> impl Strategy<Value = Pick> {
    let per_slot: Vec<BoxedStrategy<usize>> = SLOTS
        .iter()
        .map(|(_, variants)| {
            let n = variants.len();
            if n == 1 {
                Just(0).boxed()
            } else {
                let keep = ((1.0 - changes) * 100.0) as u32;
                let change = (changes * 100.0) as u32;
                prop_oneof![keep => Just(0), change => 1..n].boxed()
            }
        })
        .collect();
    per_slot
}

fn text(p: &Pick) -> String {
    SLOTS.iter().zip(p).map(|((_, v), &i)| v[i]).collect()
}

/// `git merge-file -p` (with `--diff3` when asked): git's own line merge.
fn git_merge(base: &str, up: &str, st: &str, diff3: bool) -> (usize, String) {
    let dir = tempfile::tempdir().unwrap();
    for (n, t) in [("current", up), ("base", base), ("other", st)] {
        std::fs::write(dir.path().join(n), t).unwrap();
    }
    let mut c = Command::new("git");
    isolate(&mut c);
    // As `git merge` merges (merge-ort diffs with histogram), and the
    // driver with it.
    c.current_dir(dir.path())
        .args(["merge-file", "-p", "--diff-algorithm=histogram"]);
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
        .args(["current", "base", "other"])
        .output()
        .unwrap();
    let code = o.status.code().unwrap();
    assert!((0..128).contains(&code), "git merge-file failed");
    (code as usize, String::from_utf8(o.stdout).unwrap())
}

fn labels() -> Labels<'static> {
    Labels {
        upstream: "Updated upstream",
        base: None,
        stashed: "Stashed changes",
    }
}

fn driver(base: &str, up: &str, st: &str, prefer: Option<Side>) -> Outcome {
    let settings = DriverSettings {
        policy: Policy::new(RuleSet::defaults(), Mode::Settle)
            .with_prefer(prefer.map(Prefer::Side), &[]),
        ..DriverSettings::default()
    };
    merge_three(
        Path::new("post.md"),
        Sides::new(up, st, Some(base)),
        labels(),
        &settings,
    )
    .expect("the driver merges generated articles")
}

/// `resolve` on `input` (the index's stages, or a file's diff3 markers).
fn resolve(input: pipeline::Input<'_>, prefer: Option<Side>) -> Outcome {
    let policy =
        Policy::new(RuleSet::defaults(), Mode::Settle).with_prefer(prefer.map(Prefer::Side), &[]);
    let mut chain = Cascade::new(policy, Last::Open);
    let mut deciders: Vec<&mut dyn Decider> = vec![&mut chain];
    pipeline::resolve(
        Path::new("post.md"),
        input,
        &Options::default(),
        &mut deciders,
    )
    .expect("resolve reads generated articles")
}

/// The parts only one side changed: `(part, that side)`.
fn one_sided(base: &Pick, up: &Pick, st: &Pick) -> Vec<(&'static str, Side)> {
    let mut parts: Vec<&str> = SLOTS.iter().map(|(p, _)| *p).collect();
    parts.dedup();
    let changed = |side: &Pick, part: &str| {
        SLOTS
            .iter()
            .enumerate()
            .any(|(i, (p, v))| *p == part && v[side[i]] != v[base[i]])
    };
    // A paragraph put in or taken out leaves two blank lines side by side
    // (or takes them apart): which blank line is whose is then git's guess,
    // and its hunk may reach the next paragraph. A paragraph a side put in
    // or took out beside one the other side changed is a touching edit, as
    // edits to touching lines are: one hunk, a real conflict. So is a
    // paragraph changed beside one the other side put in or took out, and
    // one changed beside one the same side took out where the other side
    // changed that one (the removal, its blank line git's guess, may join
    // the change beside it into the conflict with the other side's edit).
    let paragraphs = ["p1", "p2", "p3", "p4", "p5"];
    let emptied = |side: &Pick, part: &str| {
        SLOTS.iter().enumerate().any(|(i, (p, v))| {
            *p == part
                && v[side[i]] != v[base[i]]
                && (v[side[i]].is_empty() || v[base[i]].is_empty())
        })
    };
    // A paragraph no version has is not there: the ones around it touch.
    let nowhere = |part: &str| {
        SLOTS.iter().enumerate().all(|(i, (p, v))| {
            *p != part || [base, up, st].iter().all(|x| v[x[i]].trim().is_empty())
        })
    };
    let touching = |side: &Pick, other: &Pick, part: &str| {
        let Some(k) = paragraphs.iter().position(|p| *p == part) else {
            return false;
        };
        let neighbours = || {
            let before = paragraphs[..k].iter().rev().find(|p| !nowhere(p));
            let after = paragraphs[k + 1..].iter().find(|p| !nowhere(p));
            before.into_iter().chain(after)
        };
        (emptied(side, part) && neighbours().any(|n| changed(other, n)))
            || neighbours().any(|n| emptied(other, n))
            || neighbours().any(|n| emptied(side, n) && changed(other, n))
            // Between a paragraph the same side took out and one the other
            // side changed: the removal's blank line is git's guess, and
            // with it whether the edit lines up with the neighbour the
            // other side changed (histogram, as git's merges diff, may pair
            // them into one hunk even where both changed that one alike).
            || (neighbours().any(|n| emptied(side, n))
                && neighbours().any(|n| changed(other, n)))
    };
    parts
        .into_iter()
        .filter_map(|part| match (changed(up, part), changed(st, part)) {
            (true, false) if !touching(up, st, part) => Some((part, Side::Upstream)),
            (false, true) if !touching(st, up, part) => Some((part, Side::Stashed)),
            _ => None,
        })
        .collect()
}

/// Every part only one side changed is in `output` as that side wrote it,
/// and what it removed is gone.
fn assert_one_sided_survive(output: &str, base: &Pick, up: &Pick, st: &Pick) {
    for (part, side) in one_sided(base, up, st) {
        let chosen = if side == Side::Upstream { up } else { st };
        for (i, (p, v)) in SLOTS.iter().enumerate() {
            if *p != part || v[chosen[i]] == v[base[i]] {
                continue;
            }
            let (new, old) = (v[chosen[i]], v[base[i]]);
            if !new.is_empty() {
                assert!(
                    output.contains(new),
                    "{side}'s change to {part} is lost: {new:?} not in\n{output}"
                );
            }
            if !old.is_empty() && !new.contains(old) {
                assert!(
                    !output.contains(old),
                    "{side}'s change to {part} is undone: {old:?} still in\n{output}"
                );
            }
        }
    }
}

proptest! {
    // Slow: git runs for every case.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn where_git_merges_cleanly_the_driver_gives_gits_bytes(
        b in pick(0.0), u in pick(0.3), s in pick(0.3),
    ) {
        let (base, up, st) = (text(&b), text(&u), text(&s));
        let (conflicts, merged) = git_merge(&base, &up, &st, false);
        for prefer in [None, Some(Side::Upstream), Some(Side::Stashed)] {
            let Outcome::Resolved(r) = driver(&base, &up, &st, prefer) else {
                panic!("the driver always settles");
            };
            if conflicts == 0 {
                prop_assert_eq!(&r.output, &merged, "prefer {:?}", prefer);
            } else if !r.unresolved {
                assert_one_sided_survive(&r.output, &b, &u, &s);
            }
        }
    }

    #[test]
    fn resolve_never_loses_a_one_sided_change(
        b in pick(0.0), u in pick(0.3), s in pick(0.3), diff3 in any::<bool>(),
    ) {
        let (base, up, st) = (text(&b), text(&u), text(&s));
        let (conflicts, merged) = git_merge(&base, &up, &st, true);
        // From the index's stages; and from the file's own markers when they
        // carry the base (diff3 style).
        let stages = pipeline::Input::Three {
            versions: Sides::new(up.as_str(), st.as_str(), Some(base.as_str())),
            merged: pipeline::LineMerge { text: &merged, marker_size: frontmerge::conflict::marker_size::MarkerSize::DEFAULT },
            labels: labels(),
        };
        let markers = pipeline::Input::Conflicted { text: &merged, known: &[] };
        let inputs = if diff3 { vec![stages, markers] } else { vec![stages] };
        for input in inputs {
            for prefer in [None, Some(Side::Upstream), Some(Side::Stashed)] {
                match resolve(input, prefer) {
                    Outcome::NoConflicts => prop_assert_eq!(conflicts, 0),
                    Outcome::Resolved(r) => {
                        if conflicts == 0 {
                            prop_assert_eq!(&r.output, &merged);
                        } else {
                            assert_one_sided_survive(&r.output, &b, &u, &s);
                        }
                    }
                    Outcome::NeedsDecision { .. } => prop_assert!(prefer.is_none()),
                    Outcome::Quit => unreachable!("nobody quits"),
                }
            }
        }
    }
}
