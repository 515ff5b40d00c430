//! Tests of the picker through the pipeline, with the scripted prompter.

use std::path::Path;

use super::scripted::Step::{self, Check, Edit, Pick, Quit};
use super::*;
use crate::pipeline::{resolve, Input, Outcome};

/// Resolves a conflicted text (its markers alone).
fn resolve_text(
    path: &Path,
    text: &str,
    o: &Options,
    deciders: &mut [&mut dyn crate::decide::Decider],
) -> Result<Outcome, crate::error::Error> {
    resolve(path, Input::Conflicted { text, known: &[] }, o, deciders)
}

const UP: &str = "---\ntitle: \"A title\"\nauthor: Same\ntags:\n- a\n---\nIntro.\n\nPara one upstream.\n\nMiddle.\n\nPara two upstream.\n\n## Related\n\n- [One](/one)\n- [Two](/two)\n";
const ST: &str = "---\ntitle: \"B title\"\nauthor: Same\ntags:\n- a\n- b\n---\nIntro.\n\nPara one stashed.\n\nMiddle.\n\nPara two stashed.\n\n## Related\n\n- [Two](/two)\n- [Three](/three)\n";

/// A whole-file conflict between `up` and `st`, as git writes it.
fn conflicted(up: &str, st: &str) -> String {
    format!("<<<<<<< Updated upstream\n{up}=======\n{st}>>>>>>> Stashed changes\n")
}

/// [`conflicted`] with the base's section (git's diff3 style).
fn conflicted3(up: &str, base: &str, st: &str) -> String {
    format!(
        "<<<<<<< Updated upstream\n{up}||||||| base\n{base}=======\n{st}>>>>>>> Stashed changes\n"
    )
}

fn options(links: Option<LinksPolicy>) -> PickerOptions {
    PickerOptions {
        links,
        pipeline: Options::default(),
        writes: true,
        names: SideNames::default(),
        whole: false,
    }
}

/// Runs the pipeline with the picker alone; the outcome and the transcript.
fn run_with(text: &str, links: Option<LinksPolicy>, steps: Vec<Step>) -> (Outcome, String) {
    let mut picker = Picker::new(Scripted::new(steps), options(links));
    let outcome = resolve_text(
        Path::new("post.md"),
        text,
        &Options::default(),
        &mut [&mut picker],
    )
    .expect("pipeline runs");
    let s = picker.prompter();
    assert_eq!(
        s.remaining(),
        0,
        "unused script steps; transcript:\n{}",
        s.transcript()
    );
    (outcome, s.transcript().to_owned())
}

fn run(steps: Vec<Step>) -> (Outcome, String) {
    run_with(&conflicted(UP, ST), None, steps)
}

fn output(outcome: Outcome) -> String {
    match outcome {
        Outcome::Resolved(r) => r.output,
        other => panic!("resolved expected, got {other:?}"),
    }
}

#[test]
fn mixed_choices_give_each_sides_bytes() {
    let (o, t) = run(vec![
        Pick('s'), // title
        Pick('u'), // tags
        Pick('u'), // body
        Pick('c'), // links: checklist
        Check(None),
        Pick('w'),
    ]);
    assert_eq!(
        output(o),
        "---\ntitle: \"B title\"\nauthor: Same\ntags:\n- a\n---\nIntro.\n\nPara one upstream.\n\nMiddle.\n\nPara two upstream.\n\n## Related\n\n- [One](/one)\n- [Two](/two)\n- [Three](/three)\n"
    );
    // Identical parts are never asked about; differing ones in key order, then body, links.
    assert!(!t.contains("author: which"), "{t}");
    let order: Vec<usize> = ["[1/4] title", "[2/4] tags", "[3/4] body", "[4/4] links"]
        .iter()
        .map(|q| t.find(q).unwrap_or_else(|| panic!("{q} not asked:\n{t}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{t}");
    // The question shows both labelled values with the changed words marked.
    assert!(
        t.contains("upstream · Updated upstream\n    [-A-] title\n"),
        "{t}"
    );
    assert!(
        t.contains("stashed · Stashed changes\n    {+B+} title\n"),
        "{t}"
    );
    assert!(
        t.contains("Summary: 2 from upstream, 1 from stashed, 1 merged\n"),
        "{t}"
    );
}

#[test]
fn sides_differing_only_in_layout_ask_whose_version() {
    // Same keys, body and links; only the quoting of the title differs.
    let up = "---\ntitle: \"A\"\n---\nBody.\n";
    let st = "---\ntitle: 'A'\n---\nBody.\n";
    for (k, want) in [('u', up), ('s', st)] {
        let (o, t) = run_with(&conflicted(up, st), None, vec![Pick(k), Pick('w')]);
        assert!(t.contains("differ only in layout"), "{t}");
        assert_eq!(output(o), want);
    }
    let (o, _) = run_with(&conflicted(up, st), None, vec![Pick('q')]);
    assert!(matches!(o, Outcome::Quit), "{o:?}");
}

#[test]
fn choosing_one_side_everywhere_gives_that_side_exactly() {
    for (k, want) in [('u', UP), ('s', ST)] {
        let (o, _) = run(vec![Pick(k), Pick(k), Pick(k), Pick(k), Pick('w')]);
        assert_eq!(output(o), want);
    }
}

#[test]
fn back_goes_to_the_previous_question_and_keeps_later_answers_open() {
    let (o, t) = run(vec![
        Pick('b'), // at the first question: stays there
        Pick('s'), // title
        Pick('b'), // tags: back to title
        Pick('u'), // title again, changed
        Pick('s'), // tags
        Pick('s'), // body
        Pick('s'), // links
        Pick('b'), // confirm: back to links
        Pick('u'), // links
        Pick('w'),
    ]);
    assert!(t.contains("(this is the first question)"), "{t}");
    let out = output(o);
    assert!(
        out.starts_with("---\ntitle: \"A title\"\nauthor: Same\ntags:\n- a\n- b\n---\n"),
        "{out}"
    );
    assert!(out.contains("Para one stashed."), "{out}");
    assert!(out.ends_with("- [One](/one)\n- [Two](/two)\n"), "{out}");
}

#[test]
fn an_invalid_edit_is_refused_and_asked_again() {
    let (o, t) = run(vec![
        Pick('e'),
        Edit(Some("title: [unclosed\n".into())),
        Pick('e'), // edit again
        Edit(Some("title: \"A title\"\nextra: 1\n".into())),
        Pick('e'),
        Edit(Some("title: \"Merged title\"".into())),
        Pick('u'),
        Pick('u'),
        Pick('u'),
        Pick('w'),
    ]);
    // The editor first held both versions between labelled markers.
    assert!(t.contains(
        "<<<<<<< Updated upstream\ntitle: \"A title\"\n=======\ntitle: \"B title\"\n>>>>>>> Stashed changes\n[/editor]"
    ), "{t}");
    assert!(t.contains("refused: not valid YAML"), "{t}");
    // Why the last edit was refused is said in the terminal, not in the file.
    assert!(
        t.contains("Your last edit was refused: it defines 2 keys (title, extra)"),
        "{t}"
    );
    // The second editor session starts from the refused text, and only that.
    assert!(
        t.contains("[editor *.yaml]\ntitle: [unclosed\n[/editor]"),
        "{t}"
    );
    assert!(
        !t.contains("[editor *.yaml]\n#"),
        "no comment lines in the file: {t}"
    );
    let out = output(o);
    assert!(
        out.starts_with("---\ntitle: \"Merged title\"\nauthor: Same\n"),
        "{out}"
    );
    assert!(t.contains("1 edited"), "{t}");
}

#[test]
fn an_edit_over_the_file_bounds_is_refused_and_the_question_asked_again() {
    let big = format!(
        "title: \"{}\"\n",
        "a".repeat(crate::files::MAX_FILE_SIZE as usize)
    );
    let (o, t) = run(vec![
        Pick('e'),
        Edit(Some(big)),
        Pick('b'), // refused: back to the question
        Pick('s'),
        Pick('u'),
        Pick('u'),
        Pick('u'),
        Pick('w'),
    ]);
    assert!(t.contains("your edit is over the limit of"), "{t}");
    assert!(output(o).starts_with("---\ntitle: \"B title\"\n"));
}

#[test]
fn back_to_an_edited_body_enter_keeps_it_and_e_reopens_it() {
    let edited = "Intro.\n\nBy hand.\n\n";
    let (o, t) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('e'), // body
        Edit(Some(edited.into())),
        Pick('b'), // links: back to the body
        Pick('e'), // the editor opens on the edit
        Edit(Some(edited.into())),
        Pick('b'),
        Step::Enter, // the edit is preselected: kept
        Pick('u'),
        Pick('w'),
    ]);
    let opened: Vec<&str> = t.split("[editor *.md]\n").skip(1).collect();
    assert_eq!(opened.len(), 2, "{t}");
    assert!(opened[1].starts_with(&format!("{edited}[/editor]")), "{t}");
    assert!(t.contains("keep your edit of the body"), "{t}");
    let out = output(o);
    assert!(out.contains("\n---\nIntro.\n\nBy hand.\n"), "{out}");
    assert!(t.contains("body   ← edited"), "{t}");
}

#[test]
fn an_edit_can_be_cancelled_and_a_failed_editor_changes_nothing() {
    let (o, t) = run(vec![
        Pick('e'),
        Edit(Some("\n".into())), // empty: cancelled, asked again
        Pick('e'),
        Edit(None), // the editor failed: asked again
        Pick('e'),
        Edit(Some("<<<<<<< Updated upstream\ntitle: x\n=======\n".into())),
        Pick('b'), // refused (markers left): back to the question
        Pick('s'),
        Pick('u'),
        Pick('u'),
        Pick('u'),
        Pick('w'),
    ]);
    assert!(t.contains("empty edit"), "{t}");
    assert!(t.contains("the editor failed"), "{t}");
    assert!(
        t.contains("conflict markers are still there (line 1 of your edit)"),
        "{t}"
    );
    assert!(output(o).starts_with("---\ntitle: \"B title\"\n"));
}

#[test]
fn leaving_a_part_unresolved_puts_markers_around_just_that_part() {
    let (o, t) = run(vec![Pick('l'), Pick('u'), Pick('u'), Pick('u'), Pick('w')]);
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert!(r.unresolved);
    assert_eq!(
        r.output,
        UP.replace(
            "title: \"A title\"\n",
            "<<<<<<< Updated upstream\ntitle: \"A title\"\n=======\ntitle: \"B title\"\n>>>>>>> Stashed changes\n"
        )
    );
    assert!(t.contains("1 left as conflicts"), "{t}");
    // The result is still a conflict the scanner sees (so `check` catches it).
    assert!(crate::pipeline::Conflicted::scan(
        &r.output,
        crate::conflict::marker_size::MarkerSize::DEFAULT
    )
    .unwrap()
    .is_some());
}

#[test]
fn body_and_links_left_unresolved_keep_markers_around_each() {
    let (o, _) = run(vec![Pick('u'), Pick('u'), Pick('l'), Pick('l'), Pick('w')]);
    let out = output(o);
    let opens = out.matches("<<<<<<< Updated upstream\n").count();
    assert_eq!(opens, 2, "{out}");
    // The frontmatter and the links heading stay outside the markers.
    assert!(out.starts_with("---\ntitle: \"A title\"\n"), "{out}");
    assert!(out.contains("## Related\n\n<<<<<<< Updated upstream\n- [One](/one)\n- [Two](/two)\n=======\n- [Two](/two)\n- [Three](/three)\n>>>>>>> Stashed changes\n"), "{out}");
}

#[test]
fn quitting_anywhere_decides_nothing() {
    let scripts: Vec<Vec<Step>> = vec![
        vec![Pick('q')],
        vec![Pick('s'), Quit],
        vec![Pick('s'), Pick('u'), Pick('h'), Pick('s'), Quit],
        vec![Pick('s'), Pick('u'), Pick('u'), Pick('c'), Quit],
        vec![Pick('e'), Quit],
        vec![Pick('u'), Pick('u'), Pick('u'), Pick('u'), Pick('q')],
    ];
    for steps in scripts {
        let (o, t) = run(steps);
        assert!(matches!(o, Outcome::Quit), "{o:?}");
        assert!(t.contains("quit: post.md: nothing written"), "{t}");
    }
}

#[test]
fn hunk_by_hunk_with_back_both_and_edit() {
    let (o, t) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('h'),
        Pick('s'), // hunk 1
        Pick('b'), // hunk 2: back to hunk 1
        Pick('u'), // hunk 1 again
        Pick('a'), // hunk 2: both
        Pick('u'),
        Pick('w'),
    ]);
    let out = output(o);
    assert!(out.contains("Intro.\n\nPara one upstream.\n\nMiddle.\n\nPara two upstream.\nPara two stashed.\n\n## Related"), "{out}");
    assert!(t.contains("hunk 2/2"), "{t}");
    // Context lines around the hunk are shown.
    assert!(
        t.contains("    Middle.\n\n  − Para two [-upstream.-]\n  + Para two {+stashed.+}\n"),
        "{t}"
    );
    let (o, _) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('h'),
        Pick('e'),
        Edit(Some("Para one, by hand.\n".into())),
        Pick('s'),
        Pick('u'),
        Pick('w'),
    ]);
    assert!(output(o).contains("Intro.\n\nPara one, by hand.\n\nMiddle.\n\nPara two stashed.\n"));
}

#[test]
fn body_choices_all_hunks_one_side_count_as_that_side() {
    let (o, t) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('h'),
        Pick('s'),
        Pick('s'),
        Pick('u'),
        Pick('w'),
    ]);
    assert!(output(o).contains("Para one stashed.\n\nMiddle.\n\nPara two stashed."));
    assert!(t.contains("  body   ← stashed"), "{t}");
}

#[test]
fn the_full_diff_and_previews_go_to_the_pager() {
    let (o, t) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('v'),
        Pick('s'),
        Pick('u'),
        Pick('u'), // preview against upstream
        Pick('s'), // preview against stashed
        Pick('r'), // the whole result
        Pick('w'),
    ]);
    let written = output(o);
    assert!(
        t.contains(&format!("[pager]\n{written}[/pager]")),
        "the whole result is shown before writing: {t}"
    );
    assert!(
        t.contains("[pager]\n--- upstream (Updated upstream)\n+++ stashed (Stashed changes)\n"),
        "{t}"
    );
    assert!(
        t.contains("-Para one upstream.\n+Para one stashed.\n"),
        "{t}"
    );
    assert!(
        t.contains("[pager]\n--- upstream (Updated upstream)\n+++ result\n"),
        "{t}"
    );
    assert!(
        t.contains("[pager]\n--- stashed (Stashed changes)\n+++ result\n"),
        "{t}"
    );
}

#[test]
fn links_checklist_is_preset_by_the_links_policy_and_marks_origins() {
    let (o, t) = run_with(
        &conflicted(UP, ST),
        Some(LinksPolicy::Side(Side::Stashed)),
        vec![
            Pick('u'),
            Pick('u'),
            Pick('u'),
            Pick('c'),
            Check(None),
            Pick('w'),
        ],
    );
    assert!(
        t.contains(
            "  [x] both      Two  /two\n  [x] stashed   Three  /three\n  [ ] upstream  One  /one\n"
        ),
        "{t}"
    );
    assert!(output(o).ends_with("## Related\n\n- [Two](/two)\n- [Three](/three)\n"));
    // A chosen subset is written in the order of the list.
    let (o, _) = run(vec![
        Pick('u'),
        Pick('u'),
        Pick('u'),
        Pick('c'),
        Check(Some(vec![2, 0])),
        Pick('w'),
    ]);
    assert!(output(o).ends_with("## Related\n\n- [One](/one)\n- [Three](/three)\n"));
}

#[test]
fn block_scalar_indicator_titles_are_flagged() {
    let up = "t\n## Related\n- [>-](/a)\n";
    let st = "t\n## Related\n- [B](/b)\n";
    let (o, t) = run_with(
        &conflicted(up, st),
        None,
        vec![Pick('c'), Check(None), Pick('w')],
    );
    assert!(
        t.contains("[x] upstream  >-  ⚠ title is only a YAML block-scalar indicator  /a\n"),
        "{t}"
    );
    output(o);
}

#[test]
fn keys_on_one_side_can_be_left_out_and_mappings_show_inner_keys() {
    let up = "---\nschema: {\"name\":\"A\",\"r\":{\"c\":1}}\nold: x\n---\n";
    let st = "---\nschema: {\"name\":\"B\",\"r\":{\"c\":2}}\n---\n";
    let (o, t) = run_with(
        &conflicted(up, st),
        None,
        vec![Pick('s'), Pick('s'), Pick('s'), Pick('w')],
    );
    assert_eq!(output(o), st);
    // A mapping both sides changed is asked value by value.
    assert!(
        t.contains("schema.name  changed\n  upstream · Updated upstream\n    [-A-]\n"),
        "{t}"
    );
    assert!(t.contains("schema.r.c  changed"), "{t}");
    assert!(
        t.contains("u: upstream: keep `old`") || t.contains("s: stashed: leave `old` out"),
        "{t}"
    );
}

#[test]
fn edits_keep_the_files_line_endings() {
    let up = UP.replace('\n', "\r\n");
    let st = ST.replace('\n', "\r\n");
    let text =
        format!("<<<<<<< Updated upstream\r\n{up}=======\r\n{st}>>>>>>> Stashed changes\r\n");
    let (o, t) = run_with(
        &text,
        None,
        vec![
            Pick('e'),
            Edit(Some("title: \"E\"\n".into())),
            Pick('u'),
            Pick('u'),
            Pick('u'),
            Pick('w'),
        ],
    );
    assert!(
        t.contains("title: \"A title\"\r\n"),
        "the editor file keeps CRLF"
    );
    assert_eq!(output(o), up.replace("title: \"A title\"", "title: \"E\""));
}

#[test]
fn deciders_before_the_picker_are_not_asked_again() {
    // A policy that settles everything but the links leaves the picker only those.
    struct Keys;
    impl Decider for Keys {
        fn decide(
            &mut self,
            file: &FileView<'_, '_>,
            d: &mut Decisions,
        ) -> std::result::Result<Flow, crate::decide::DecideError> {
            for p in d.open(file.comparison) {
                if p != Part::Links {
                    d.set(
                        p,
                        Decision {
                            resolution: Resolution::Take(Side::Stashed),
                            reason: Reason::Rule("test".into()),
                        },
                    );
                }
            }
            Ok(Flow::Continue)
        }
    }
    let mut picker = Picker::new(Scripted::new([Pick('u'), Pick('w')]), options(None));
    let text = conflicted(UP, ST);
    let o = resolve_text(
        Path::new("post.md"),
        &text,
        &Options::default(),
        &mut [&mut Keys, &mut picker],
    )
    .unwrap();
    let t = picker.prompter().transcript();
    assert!(
        t.contains(": 1 decision (") && t.contains("[1/1] links"),
        "{t}"
    );
    assert!(t.contains("title  ← stashed (rule: test)"), "{t}");
    assert!(output(o).starts_with("---\ntitle: \"B title\"\n"));
}

#[test]
fn menus_number_their_entries_by_shortcut() {
    let m = Menu::new("x")
        .choice('u', "up")
        .choice('s', "st")
        .default_key(Some('s'));
    assert_eq!(m.default, 1);
    assert_eq!(m.position('u'), Some(0));
    assert_eq!(
        Menu::new("y")
            .choice('u', "up")
            .default_key(Some('z'))
            .default,
        0
    );
}

/// Runs the rules (suggesting) and then the picker on `text`.
fn run_rules(text: &str, steps: Vec<Step>, sync: bool) -> (Outcome, String) {
    let mut opts = Options::default();
    opts.derived.sync = sync;
    let mut rules = crate::decide::rules::Rules::new(
        crate::decide::rules::RuleSet::defaults(),
        crate::decide::rules::Mode::Suggest,
    );
    let mut picker = Picker::new(
        Scripted::new(steps),
        PickerOptions {
            links: None,
            pipeline: opts.clone(),
            writes: true,
            names: SideNames::default(),
            whole: false,
        },
    );
    let outcome = resolve_text(
        Path::new("post.md"),
        text,
        &opts,
        &mut [&mut rules, &mut picker],
    )
    .expect("pipeline runs");
    let s = picker.prompter();
    assert_eq!(s.remaining(), 0, "unused steps:\n{}", s.transcript());
    (outcome, s.transcript().to_owned())
}

#[test]
fn a_rules_answer_is_preselected_and_marked() {
    let up = "---\ntitle: A\nlastmod: 2025-08-10\ntags: [a, u]\n---\nbody\n";
    let st = "---\ntitle: B\nlastmod: 2025-08-12\ntags: [a, s]\n---\nbody\n";
    let (o, t) = run_rules(
        &conflicted(up, st),
        vec![Pick('s'), Step::Enter, Step::Enter, Pick('w')],
        false,
    );
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert_eq!(
        r.output,
        "---\ntitle: B\nlastmod: 2025-08-12\ntags: [a, u, s]\n---\nbody\n"
    );
    // The overview marks the keys a rule has an answer for.
    assert!(t.contains("lastmod  changed  [rule → stashed]"), "{t}");
    assert!(t.contains("tags     changed  [rule → merged]"), "{t}");
    // Still asked, in key order, with the rule's answer marked and preselected.
    assert!(t.contains("[2/3] lastmod"), "{t}");
    assert!(
        t.contains("◀ rule: newest from defaults, 2025-08-12 > 2025-08-10 → stashed (preselected)"),
        "{t}"
    );
    assert!(t.contains(" ⏎ s: stashed  ◀ rule"), "{t}");
    assert!(
        t.contains(" ⏎ r: merged by the rule: [\"a\",\"u\",\"s\"]  ◀ rule"),
        "{t}"
    );
    // Taking the rule's answer keeps the rule as the reason.
    assert!(
        r.summary_lines(SideNames::STASH)
            .iter()
            .any(|l| l == "lastmod ← stashed (rule: newest from defaults, 2025-08-12 > 2025-08-10)"),
        "{:?}",
        r.summary_lines(SideNames::STASH)
    );
    assert!(
        r.summary_lines(SideNames::STASH)
            .iter()
            .any(|l| l.starts_with("title ← stashed (you)")),
        "{:?}",
        r.summary_lines(SideNames::STASH)
    );
}

#[test]
fn a_rule_that_cannot_apply_says_why_in_the_question() {
    let up = "---\nupdated: soon\n---\nbody\n";
    let st = "---\nupdated: 2025-01-01\n---\nbody\n";
    let (_, t) = run_rules(&conflicted(up, st), vec![Pick('u'), Pick('w')], false);
    assert!(
        t.contains("note: `updated`: rule `newest` compares dates, but the value on upstream (\"soon\") is not a date; falling back to `ask`"),
        "{t}"
    );
}

const MIRROR_UP: &str =
    "---\ntitle: \"Old\"\nschema: {\"@type\":\"HowTo\",\"name\":\"Old\",\"n\":1}\n---\nbody\n";
const MIRROR_ST: &str =
    "---\ntitle: \"New\"\nschema: {\"@type\":\"HowTo\",\"name\":\"New\",\"n\":1}\n---\nbody\n";

#[test]
fn the_picker_offers_to_update_derived_fields_in_place() {
    let text = conflicted(MIRROR_UP, MIRROR_ST);
    let (o, t) = run_rules(
        &text,
        vec![Pick('s'), Pick('u'), Pick('y'), Pick('w')],
        false,
    );
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert_eq!(
        r.output,
        "---\ntitle: \"New\"\nschema: {\"@type\":\"HowTo\",\"name\":\"New\",\"n\":1}\n---\nbody\n"
    );
    assert!(
        t.contains("schema.name no longer matches title: \"Old\" ≠ \"New\""),
        "{t}"
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    // Declined: written as chosen, and the summary says what is out of step.
    let (o, _) = run_rules(
        &text,
        vec![Pick('s'), Pick('u'), Pick('n'), Pick('w')],
        false,
    );
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert!(r.output.contains("\"name\":\"Old\""));
    assert_eq!(
        r.notes.iter().map(|n| n.named(SideNames::STASH)).collect::<Vec<_>>(),
        ["schema.name no longer matches title (\"Old\" ≠ \"New\"); --sync-derived updates it in place"]
    );
    // With --sync-derived, no question: it is done.
    let (o, t) = run_rules(&text, vec![Pick('s'), Pick('u'), Pick('w')], true);
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert!(
        r.output.contains("\"name\":\"New\",\"n\":1"),
        "{}",
        r.output
    );
    assert!(!t.contains("Update them"), "{t}");
}

#[test]
fn edited_and_dropped_parts_are_named_the_same_before_and_after_writing() {
    let up = "---\ntitle: \"A\"\nold: x\n---\nBody.\n";
    let st = "---\ntitle: \"B\"\n---\nBody.\n";
    let (o, t) = run_with(
        &conflicted(up, st),
        None,
        vec![
            Pick('e'),
            Edit(Some("title: \"By hand\"\n".into())),
            Pick('s'),
            Pick('w'),
        ],
    );
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected: {t}")
    };
    // Before writing, the picker's summary; after, the pipeline's lines.
    assert!(t.contains("title  ← edited\n"), "{t}");
    assert!(t.contains("old    ← dropped (stashed)\n"), "{t}");
    assert!(
        r.summary_lines(SideNames::STASH)
            .iter()
            .any(|l| l == "title ← edited (you, in your editor)"),
        "{:?}",
        r.summary_lines(SideNames::STASH)
    );
    assert!(
        r.summary_lines(SideNames::STASH)
            .iter()
            .any(|l| l == "old ← dropped (stashed) (you)"),
        "{:?}",
        r.summary_lines(SideNames::STASH)
    );
    assert_eq!(r.output, "---\ntitle: \"By hand\"\n---\nBody.\n");
}

#[test]
fn a_held_group_is_one_question_where_its_first_open_key_stands() {
    let k = |s: &str| Part::Key(s.into());
    let parts = [k("title"), k("commit"), k("tags"), k("drifted"), Part::Body];
    let held = [
        ("sync".to_owned(), vec![k("commit"), k("drifted")]),
        // Only one of its keys is still open: asked as that key alone.
        ("other".to_owned(), vec![k("tags"), k("gone")]),
    ];
    let qs = questions(&parts, &held);
    let shape: Vec<Vec<String>> = qs
        .iter()
        .map(|q| q.parts().iter().map(|p| p.to_string()).collect())
        .collect();
    assert_eq!(
        shape,
        [
            vec!["title"],
            vec!["commit", "drifted"],
            vec!["tags"],
            vec!["body"]
        ]
    );
    assert!(matches!(&qs[1], Question::Group(name, _) if name == "sync"));
    assert!(matches!(&qs[2], Question::One(_)));
}

#[test]
fn undo_restores_the_decisions_before_the_last_answer_and_asks_again() {
    use super::scripted::Step::Enter;
    let (o, t) = run(vec![
        Pick('s'), // title
        Pick('b'), // tags: back to the title...
        Enter,     // ...whose answer is kept and preselected: stashed
        Pick('s'), // tags
        Pick('z'), // body: undo the tags answer
        Enter,     // tags again, nothing preselected now: upstream
        Pick('u'), // body
        Pick('u'), // links
        Pick('z'), // confirm: undo the links answer
        Pick('s'), // links again
        Pick('w'),
    ]);
    assert!(
        t.contains(" ⏎ s: stashed"),
        "back keeps the answer preselected:\n{t}"
    );
    assert!(
        t.contains("z: undo the last answer (tags ← stashed)"),
        "{t}"
    );
    assert!(t.contains("undone: tags ← stashed"), "{t}");
    assert!(
        t.contains(" ⏎ u: upstream"),
        "after undo the question starts afresh:\n{t}"
    );
    assert!(t.contains("undone: links ← upstream"), "{t}");
    // The same file as answering title s, tags u, body u, links s at once.
    let (plain, _) = run(vec![Pick('s'), Pick('u'), Pick('u'), Pick('s'), Pick('w')]);
    assert_eq!(output(o), output(plain));
    // Nothing to undo before the first answer: no entry for it.
    let (_, t) = run(vec![Quit]);
    assert!(t.contains("title: which version? [uselbq]"), "{t}");
}

#[test]
fn going_back_and_keeping_an_answer_is_no_second_answer_to_undo() {
    use super::scripted::Step::Enter;
    let (_, t) = run(vec![
        Pick('s'), // title
        Pick('u'), // tags
        Pick('b'), // body: back to the tags...
        Enter,     // ...whose answer is kept: upstream
        Pick('z'), // body: undo the tags answer
        Pick('z'), // tags: undo the title answer (not the tags one again)
        Quit,
    ]);
    assert_eq!(t.matches("undone: tags ← upstream").count(), 1, "{t}");
    assert!(t.contains("undone: title ← stashed"), "{t}");
    // A changed answer on the way back is one: undone, the old one is back.
    let (_, t) = run(vec![
        Pick('s'), // title
        Pick('u'), // tags
        Pick('b'), // body: back to the tags...
        Pick('s'), // ...answered otherwise
        Pick('z'), // body: undo it
        Enter,     // tags: the answer before it, preselected
        Pick('z'), // body: undo that one
        Quit,
    ]);
    assert!(t.contains("undone: tags ← stashed"), "{t}");
    assert!(t.contains(" ⏎ u: upstream"), "{t}");
    assert!(t.contains("undone: tags ← upstream"), "{t}");
}

#[test]
fn undo_of_an_edit_restores_how_the_part_was_reached() {
    let (o, t) = run(vec![
        Pick('e'),
        Edit(Some("title: \"By hand\"\n".into())),
        Pick('z'), // tags: undo the edit
        Pick('u'), // title again
        Pick('u'),
        Pick('u'),
        Pick('u'),
        Pick('w'),
    ]);
    assert!(t.contains("undone: title ← edited"), "{t}");
    assert!(
        t.contains("Summary: 4 from upstream, 0 from stashed, 0 merged\n"),
        "{t}"
    );
    assert!(!output(o).contains("By hand"));
}

#[test]
fn undo_from_the_derived_fields_and_after_a_sync_restores_the_answers_state() {
    let text = conflicted(MIRROR_UP, MIRROR_ST);
    // Title from the stash, schema from upstream: out of step. Undo the
    // schema answer there, take the stash's schema: nothing to sync.
    let (o, t) = run_rules(
        &text,
        vec![Pick('s'), Pick('u'), Pick('z'), Pick('s'), Pick('w')],
        false,
    );
    assert!(t.contains("undone: schema.name ← upstream"), "{t}");
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert_eq!(r.output, MIRROR_ST);
    // Synced in place, then undone at the confirmation: the synced schema
    // goes with the answer, and the stash's schema is taken whole.
    let (o, t) = run_rules(
        &text,
        vec![
            Pick('s'),
            Pick('u'),
            Pick('y'),
            Pick('z'),
            Pick('s'),
            Pick('w'),
        ],
        false,
    );
    assert!(t.contains("undone: schema.name ← upstream"), "{t}");
    let Outcome::Resolved(r) = o else {
        panic!("resolved expected")
    };
    assert_eq!(r.output, MIRROR_ST);
    let last = &t[t.rfind("Summary:").unwrap()..];
    assert!(
        last.starts_with("Summary: 0 from upstream, 2 from stashed, 0 merged\n"),
        "{last}"
    );
}

/// The segment of a transcript from the `n`-th (0-based) occurrence of
/// `from` to the next `? ` menu line.
fn screen_at(t: &str, from: &str, n: usize) -> String {
    let at = t
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}th {from:?} in:\n{t}"))
        .0;
    let rest = &t[at..];
    let end = rest.find("\n? ").map_or(rest.len(), |e| e + 1);
    rest[..end].to_owned()
}

#[test]
fn a_resize_lays_the_current_question_out_again_at_once() {
    let base = "---\ntitle: \"Base title\"\nauthor: Same\ntags:\n- a\n---\nIntro.\n\nPara one.\n\nMiddle.\n\nPara two.\n\n## Related\n\n- [Two](/two)\n";
    let text = format!(
        "<<<<<<< Updated upstream\n{UP}||||||| Stash base\n{base}=======\n{ST}>>>>>>> Stashed changes\n"
    );
    let steps = vec![
        Step::Resize(120),
        Step::Resize(60),
        Pick('u'), // title
        Pick('u'), // tags
        Pick('u'), // body
        Pick('u'), // links
        Step::Resize(40),
        Pick('w'),
    ];
    let mut picker = Picker::new(Scripted::new(steps).with_width(160), options(None));
    let outcome = resolve_text(
        Path::new("post.md"),
        &text,
        &Options::default(),
        &mut [&mut picker],
    )
    .expect("pipeline runs");
    let t = picker.prompter().transcript().to_owned();
    assert!(matches!(outcome, Outcome::Resolved(_)), "{t}");
    let bars = |screen: &str| -> Vec<usize> {
        screen
            .lines()
            .filter(|l| l.contains('│'))
            .map(|l| l.matches('│').count())
            .collect()
    };
    // 160 columns: base, ours and theirs side by side.
    let wide = screen_at(&t, "[1/4] title  changed", 0);
    assert!(
        !bars(&wide).is_empty() && bars(&wide).iter().all(|&n| n == 2),
        "{wide}"
    );
    // Resized to 120, at once: two columns, the base below them.
    let mid = screen_at(&t, "[1/4] title  changed", 1);
    assert!(t.find("(resized to 120 columns)").unwrap() < t.find(&mid).unwrap());
    assert!(
        !bars(&mid).is_empty() && bars(&mid).iter().all(|&n| n == 1),
        "{mid}"
    );
    assert!(mid.lines().any(|l| l.trim() == "base"), "{mid}");
    // Resized to 60: stacked, every row within 60 columns.
    let narrow = screen_at(&t, "[1/4] title  changed", 2);
    assert!(bars(&narrow).is_empty(), "{narrow}");
    for row in narrow.lines() {
        assert!(console::measure_text_width(row) <= 60, "{row:?}\n{narrow}");
    }
    // The summary, resized to 40 while asked: drawn again, wrapped at 40.
    assert_eq!(t.matches("Summary:").count(), 2, "{t}");
    let summary = screen_at(&t, "Summary:", 1);
    assert!(t.find("(resized to 40 columns)").unwrap() < t.rfind("Summary:").unwrap());
    for row in summary.lines() {
        assert!(console::measure_text_width(row) <= 40, "{row:?}\n{summary}");
    }
    assert!(
        summary.lines().next().unwrap().len()
            < "Summary: 4 from upstream, 0 from stashed, 0 merged".len(),
        "{summary}"
    );
}

/// Found by the picker's trial: with the base below the sides (under 150
/// columns) the unchanged lines after a body hunk came after the base's,
/// in the same indentation: without colours they read as base. They follow
/// the sides now, the base last.
#[test]
fn the_lines_after_a_hunk_come_before_the_base_below_it() {
    let base = "---\ntitle: T\n---\n\nIntro line.\n\nPara A base.\n\nMiddle one.\nMiddle two.\n";
    let text = conflicted3(
        &base.replace("A base", "A upstream"),
        base,
        &base.replace("A base", "A stashed"),
    );
    let (_, t) = run_with(&text, None, vec![Quit]);
    let hunk = &t[t.find("body  hunk 1/1").expect("a body hunk")..];
    let at = |what: &str| {
        hunk.lines()
            .position(|l| l.trim() == what)
            .unwrap_or_else(|| panic!("{what:?}:\n{hunk}"))
    };
    assert!(at("Middle one.") < at("base"), "{hunk}");
    assert!(at("base") < at("Para A base."), "{hunk}");
    assert!(at("Intro line.") < at("Middle one."), "{hunk}");
}

/// Found by a newcomer's trial: both sides appended a different author.
/// The question showed "(absent)" for every version and taking one side
/// silently dropped the other's author. Each side's new items are shown,
/// "both" is offered in either order and preselected, and one side alone
/// stays a choice.
#[test]
fn items_both_sides_put_at_one_place_are_shown_and_both_can_be_kept() {
    let base = "---\ntitle: A\nauthors:\n  - name: Ann\n---\nBody.\n";
    let up = "---\ntitle: A\nauthors:\n  - name: Ann\n  - name: Mia\n---\nBody.\n";
    let st = "---\ntitle: A\nauthors:\n  - name: Ann\n  - name: Tom\n---\nBody.\n";
    let text = conflicted3(up, base, st);
    let both = |first: &str, second: &str| {
        format!("---\ntitle: A\nauthors:\n  - name: Ann\n  - name: {first}\n  - name: {second}\n---\nBody.\n")
    };
    for (key, want) in [
        (Pick('a'), both("Mia", "Tom")),
        (Pick('o'), both("Tom", "Mia")),
        (Pick('s'), st.to_owned()),
        (Step::Enter, both("Mia", "Tom")),
    ] {
        let (o, t) = run_with(&text, None, vec![key.clone(), Pick('w')]);
        assert!(t.contains("authors[1]"), "{t}");
        assert!(
            t.contains("- {\"name\":\"Mia\"}") && t.contains("- {\"name\":\"Tom\"}"),
            "{t}"
        );
        assert!(t.contains("which version? [aouselbq]"), "{t}");
        assert_eq!(output(o), want, "{key:?}\n{t}");
    }
}

/// Found by the picker's trial: without colour, the words a side changed
/// against the base were marked `[-TWO-]` in upstream's pane, which reads
/// as removed. Against the base, each side's words are its additions.
#[test]
fn words_marked_against_the_base_read_as_added_without_colour() {
    let base = "---\ntitle: one two three\n---\nBody.\n";
    let up = "---\ntitle: one TWO three\n---\nBody.\n";
    let st = "---\ntitle: one two THREE\n---\nBody.\n";
    let text = conflicted3(up, base, st);
    let (_, t) = run_with(&text, None, vec![Pick('u'), Pick('w')]);
    assert!(t.contains("one {+TWO+} three"), "{t}");
    assert!(t.contains("one two {+THREE+}"), "{t}");
    assert!(!t.contains("[-"), "{t}");
}

/// Found by the picker's trial: a nested YAML value edited at the left edge
/// (`count: 13` for `schema.rating.count`) was accepted, then the write
/// failed with every answer lost. The edit gets its lines' indentation back;
/// and an edit that would still not read where it goes is refused at once.
#[test]
fn a_nested_value_edited_at_the_left_edge_is_indented_as_its_lines() {
    let fm = |n: u32| {
        format!("---\ntitle: T\nschema:\n  rating:\n    count: {n}\n    best: 5\n---\nBody.\n")
    };
    let (base, up, st) = (fm(10), fm(11), fm(12));
    let text = conflicted3(&up, &base, &st);
    let (o, t) = run_with(
        &text,
        None,
        vec![Pick('e'), Edit(Some("count: 13\n".into())), Pick('w')],
    );
    assert_eq!(output(o), fm(13), "{t}");
}
