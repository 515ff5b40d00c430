//! The picker's panes (issue 23), end to end in a real pseudo-terminal at
//! 60, 120 and 160 columns: base, ours and theirs side by side from 150
//! columns (two columns and the base below from 100, stacked below), the
//! words each side changed against the base marked; every screen, to the
//! final line, wrapped at word boundaries; long values shown as excerpts
//! around what differs.

use std::fs;

use crate::common::Repo;
use crate::picker::{answer, finish, seed_copy, spawn_sized, QUESTIONS};
use crate::picker_answers::{joined, plain};

/// A merge whose title each side changed in one word of its own.
fn title_merge() -> Repo {
    let repo = Repo::new();
    repo.branches(
        "post.md",
        "---\ntitle: A quick brown fox jumps\ndraft: true\n---\nBody.\n",
        "---\ntitle: A quick red fox jumps\ndraft: true\n---\nBody.\n",
        "---\ntitle: A slow brown fox jumps\ndraft: true\n---\nBody.\n",
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    repo
}

/// Everything the picker showed on [`title_merge`] at `cols` columns, up
/// to and including the title's menu (drawn after its prompt), then quit.
fn title_question(cols: usize) -> String {
    let repo = title_merge();
    let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, cols);
    let shown = answer(&mut p, "[1/1] title: which version?", "q");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    plain(&(shown + &rest))
}

#[test]
fn from_150_columns_base_ours_and_theirs_stand_side_by_side() {
    let text = title_question(160);
    let q = &text[text.find("[1/1] title").expect("asked")..];
    let rows: Vec<&str> = q.lines().collect();
    for r in &rows {
        assert!(console::measure_text_width(r) <= 160, "{r:?}\n{q}");
    }
    // One row holds the three titles, a bar between each.
    let titles = rows
        .iter()
        .find(|r| r.contains("base") && r.contains("ours") && r.contains("theirs"))
        .unwrap_or_else(|| panic!("no row with the three titles:\n{q}"));
    assert_eq!(titles.matches('│').count(), 2, "{titles:?}");
    // The words each side changed, marked against the base.
    let values = rows
        .iter()
        .find(|r| r.contains("fox") && r.matches('│').count() == 2)
        .unwrap_or_else(|| panic!("no row with the three values:\n{q}"));
    let cols: Vec<&str> = values.split('│').map(str::trim).collect();
    assert_eq!(cols[0], "A quick brown fox jumps", "{values:?}");
    assert_eq!(cols[1], "A quick {+red+} fox jumps", "{values:?}");
    assert_eq!(cols[2], "A {+slow+} brown fox jumps", "{values:?}");
}

#[test]
fn below_150_columns_the_base_goes_below_and_below_100_all_are_stacked() {
    for cols in [120, 60] {
        let text = title_question(cols);
        let q = &text[text.find("[1/1] title").expect("asked")..];
        for r in q.lines() {
            assert!(console::measure_text_width(r) <= cols, "{cols}: {r:?}\n{q}");
        }
        let words = joined(q);
        assert!(words.contains("A quick {+red+} fox jumps"), "{cols}:\n{q}");
        assert!(words.contains("A {+slow+} brown fox jumps"), "{cols}:\n{q}");
        // The base, under its own title, after both sides.
        let base = q
            .lines()
            .position(|r| r.trim_start().starts_with("base"))
            .unwrap_or_else(|| panic!("{cols}: no base:\n{q}"));
        let theirs = q.lines().position(|r| r.contains("theirs")).unwrap();
        assert!(base > theirs, "{cols}:\n{q}");
        assert!(
            q.lines()
                .skip(base)
                .any(|r| r.trim() == "A quick brown fox jumps"),
            "{cols}:\n{q}"
        );
        let bars = q.lines().any(|r| r.contains('│'));
        assert_eq!(bars, cols >= 100, "{cols}:\n{q}");
    }
}

#[test]
fn every_screen_to_the_final_line_wraps_at_word_boundaries() {
    for cols in [60, 120, 160] {
        let (dir, path, _) = seed_copy();
        let mut p = spawn_sized(dir.path(), &["post.md"], &[], false, cols);
        let mut shown = String::new();
        for (q, k) in QUESTIONS
            .iter()
            .zip(["s", "u", "u", "u", "u", "u", "u", "h"])
        {
            shown += &answer(&mut p, q, k);
        }
        shown += &answer(&mut p, "hunk 1/34: which lines?", "a");
        for n in 2..=34 {
            shown += &answer(&mut p, &format!("hunk {n}/34: which lines?"), "s");
        }
        shown += &answer(&mut p, QUESTIONS[8], "c");
        shown += &answer(&mut p, "links to keep, in write order", "\r");
        shown += &answer(&mut p, "Update them inside their key, in place?", "n");
        shown += &answer(&mut p, "Write post.md?", "w");
        let (rest, code) = finish(p);
        shown += &rest;
        let text = plain(&shown);
        assert_eq!(code, 0, "{cols}: {text}");
        assert!(fs::read(&path).unwrap().starts_with(b"---\ntitle: "));
        // Every row fits: the terminal cuts no word.
        for row in text.lines() {
            let w = console::measure_text_width(row);
            assert!(w <= cols, "{cols}: {w} columns: {row:?}");
        }
        // The derived-fields line, the summary and the final line included.
        let words = joined(&text);
        for said in [
            "schema.name no longer matches title",
            "Summary: 6 from upstream, 1 from stashed, 2 merged",
            "post.md: resolved (6 from upstream, 1 from stashed, 2 merged)",
            "--sync-derived updates it in place",
        ] {
            assert!(words.contains(said), "{cols}: {said:?}:\n{text}");
        }
    }
}

#[test]
fn a_long_value_differing_in_one_character_is_shown_as_an_excerpt() {
    let long = |c: char| {
        let words: Vec<String> = (0..2500).map(|i| format!("w{i}")).collect();
        let mut s = words.join(" ");
        s.insert(5000, c);
        s
    };
    let (a, b) = (long('X'), long('Y'));
    assert!(a.len() > 9000);
    let repo = Repo::new();
    repo.branches(
        "post.md",
        &format!("---\ntitle: T\ndescription: {}\n---\nBody.\n", long('Z')),
        &format!("---\ntitle: T\ndescription: {a}\n---\nBody.\n"),
        &format!("---\ntitle: T\ndescription: {b}\n---\nBody.\n"),
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    for cols in [60, 120, 160] {
        let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, cols);
        let shown = answer(&mut p, "[1/1] description: which version?", "q");
        let (rest, _) = finish(p);
        let text = plain(&(shown + &rest));
        let q = &text[text.find("[1/1] description").expect("asked")..];
        // Each side's excerpt holds its character, with a little context.
        assert!(q.contains('X') && q.contains('Y'), "{cols}:\n{q}");
        assert!(q.contains('…'), "{cols}:\n{q}");
        assert!(
            q.chars().count() < 3000,
            "{cols}: {} characters shown:\n{q}",
            q.chars().count()
        );
    }
}

#[test]
fn a_body_hunk_shows_the_base_too_marked_against_it_at_every_width() {
    for cols in [160, 120, 60] {
        let repo = Repo::new();
        repo.branches(
            "post.md",
            "---\ntitle: T\n---\nLine one.\n\nThe quick brown fox.\n\nLine three.\n",
            "---\ntitle: T\n---\nLine one.\n\nThe quick red fox.\n\nLine three.\n",
            "---\ntitle: T\n---\nLine one.\n\nThe slow brown fox.\n\nLine three.\n",
        );
        assert!(!repo.git_output(&["merge", "topic"]).status.success());
        let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, cols);
        let shown = answer(&mut p, "[1/1] body: which version?", "q");
        let (rest, code) = finish(p);
        assert_eq!(code, 130, "{rest}");
        let text = plain(&(shown + &rest));
        let q = &text[text.find("hunk 1/1").expect("the first hunk at once")..];
        for r in q.lines() {
            assert!(console::measure_text_width(r) <= cols, "{cols}: {r:?}\n{q}");
        }
        if cols >= 150 {
            let row = q
                .lines()
                .find(|r| r.contains("fox") && r.matches('│').count() == 2)
                .unwrap_or_else(|| panic!("{cols}: no three columns:\n{q}"));
            let c: Vec<&str> = row.split('│').map(str::trim).collect();
            assert_eq!(
                c,
                [
                    "The quick brown fox.",
                    "The quick {+red+} fox.",
                    "The {+slow+} brown fox."
                ],
                "{q}"
            );
        } else {
            let words = joined(q);
            assert!(words.contains("The quick {+red+} fox."), "{cols}:\n{q}");
            assert!(words.contains("The {+slow+} brown fox."), "{cols}:\n{q}");
            let base = q
                .lines()
                .position(|r| r.trim() == "base")
                .unwrap_or_else(|| panic!("{cols}: no base:\n{q}"));
            assert_eq!(
                q.lines()
                    .skip(base + 1)
                    .map(str::trim)
                    .find(|r| !r.is_empty()),
                Some("The quick brown fox."),
                "{cols}:\n{q}"
            );
            assert_eq!(
                q.lines().any(|r| r.contains('│')),
                cols >= 100,
                "{cols}:\n{q}"
            );
        }
    }
}

/// Found by the picker's trial: a tab in a value or a body line was written
/// raw into the panes, and the terminal's tab stops pushed that row's `│`
/// out of line. Tabs are shown `\t` in the panes, as the overview shows
/// them: every divided row has its bars in the same columns.
#[test]
fn a_tab_is_shown_as_backslash_t_and_the_panes_stay_aligned() {
    let base = "---\ntitle: \"a\\tb base\"\n---\n\nIntro.\n\nPara\tx\tbase end.\n\nEnd.\n";
    for cols in [120, 160] {
        let repo = Repo::new();
        repo.branches(
            "post.md",
            base,
            &base.replace("base", "ours"),
            &base.replace("base", "theirs"),
        );
        assert!(!repo.git_output(&["merge", "topic"]).status.success());
        let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, cols);
        let title = plain(&answer(&mut p, "[1/2] title: which version?", "u"));
        let body = plain(&answer(&mut p, "[2/2] body: which version?", "q"));
        let (rest, code) = finish(p);
        assert_eq!(code, 130, "{rest}");
        for (what, q, shown) in [
            (
                "title",
                &title[title.rfind("[1/2] title").unwrap()..],
                "a\\tb {+ours+}",
            ),
            (
                "body",
                &body[body.rfind("[2/2] body").unwrap()..],
                "Para\\tx\\t{+ours+} end.",
            ),
        ] {
            assert!(!q.contains('\t'), "{cols} {what}: a raw tab:\n{q}");
            assert!(q.contains(shown), "{cols} {what}:\n{q}");
            let at: Vec<usize> = q
                .lines()
                .filter_map(|l| {
                    let i = l.find('│')?;
                    Some(console::measure_text_width(&l[..i]))
                })
                .collect();
            assert!(at.len() >= 2, "{cols} {what}:\n{q}");
            assert!(at.iter().all(|&c| c == at[0]), "{cols} {what}: {at:?}\n{q}");
        }
    }
}

/// Found by the picker's trial: sides that differ only in trailing
/// whitespace (ours ends a line with two spaces, a Markdown hard line
/// break) read the same, `First line │ First line`, the change marked
/// around nothing. Trailing spaces a side changed are shown `·`.
#[test]
fn trailing_spaces_a_side_changed_are_shown() {
    let base = "---\ntitle: T\n---\n\nIntro.\n\nFirst line base\nsecond line.\n\nEnd.\n";
    for cols in [60, 120, 160] {
        let repo = Repo::new();
        repo.branches(
            "post.md",
            base,
            &base.replace("First line base", "First line  "),
            &base.replace("First line base", "First line"),
        );
        assert!(!repo.git_output(&["merge", "topic"]).status.success());
        let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, cols);
        let body = plain(&answer(&mut p, "[1/1] body: which version?", "q"));
        let (rest, code) = finish(p);
        assert_eq!(code, 130, "{rest}");
        let q = &body[body.rfind("[1/1] body").unwrap()..];
        assert!(q.contains("First line{+··+}"), "{cols}:\n{q}");
        // Theirs has none: only ours' two are shown.
        assert_eq!(q.matches("··").count(), 1, "{cols}:\n{q}");
    }
}
