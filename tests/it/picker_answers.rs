//! The picker's answers as the person gave them (issue 23), end to end in a
//! real pseudo-terminal on the seed article: going back to an edited answer
//! keeps it, an edit is named edited, one count of decisions on every screen
//! (diff, the picker's header, its summary, the final line), the body
//! question showing its first hunk, and a hunk left unresolved.

use std::fs;
use std::path::Path;

use crate::picker::{answer, finish, seed_copy, spawn_sized, QUESTIONS};

/// What the terminal showed as text: bytes put back together as UTF-8,
/// escape sequences out, one terminal row a line.
pub(crate) fn plain(shown: &str) -> String {
    let bytes: Vec<u8> = shown.chars().map(|c| c as u32 as u8).collect();
    let text = String::from_utf8_lossy(&bytes);
    let esc = regex::Regex::new("\u{1b}\\[[0-9;?]*[A-Za-z]").unwrap();
    esc.replace_all(&text, "").replace('\r', "\n")
}

/// Words joined by single spaces: a phrase is found whatever the wrapping.
pub(crate) fn joined(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An editor (a shell script in `dir`) that replaces the file with `text`.
pub(crate) fn editor(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    let body = text.replace('\'', "'\\''");
    fs::write(&path, format!("#!/bin/sh\nprintf '%s' '{body}' > \"$1\"\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.to_str().unwrap().to_owned()
}

/// The numbers of a tally (`8 from upstream, 1 from stashed, 0 merged`), summed.
fn total(tally: &str) -> usize {
    tally
        .split(", ")
        .filter_map(|p| p.split_whitespace().next()?.parse::<usize>().ok())
        .sum()
}

/// A tally as the summary and the final line write it, wrapped or not.
const TALLY: &str =
    r"(\d+ from \w+, \d+ from \w+(?:, \d+ edited)?, \d+ merged(?:, \d+ left as conflicts)?)";

/// The tally on the final line, `post.md: resolved (…)`.
fn final_tally(text: &str) -> String {
    let re = regex::Regex::new(&format!(r"post\.md: (?:partly )?resolved \({TALLY}\)")).unwrap();
    let words = joined(text);
    let c = re
        .captures_iter(&words)
        .last()
        .unwrap_or_else(|| panic!("no final line:\n{text}"));
    c[1].to_owned()
}

/// The tally of the picker's last summary, `Summary: …`.
fn summary_tally(text: &str) -> String {
    let re = regex::Regex::new(&format!(r"Summary: {TALLY}")).unwrap();
    let words = joined(text);
    let c = re
        .captures_iter(&words)
        .last()
        .unwrap_or_else(|| panic!("no summary:\n{text}"));
    c[1].to_owned()
}

#[test]
fn back_to_an_edited_answer_keeps_the_edit_and_enter_takes_it() {
    for cols in [60, 120, 160] {
        back_to_an_edited_answer_at(cols);
    }
}

fn back_to_an_edited_answer_at(cols: usize) {
    let (dir, path, _) = seed_copy();
    let ed = editor(dir.path(), "editor.sh", "title: \"Edited by hand\"\n");
    let env = [("GIT_EDITOR", ed.as_str())];
    let mut p = spawn_sized(dir.path(), &["post.md"], &env, false, cols);
    answer(&mut p, QUESTIONS[0], "e");
    answer(&mut p, QUESTIONS[1], "b");
    // Back at the title: the edit is preselected, Enter keeps it.
    answer(&mut p, QUESTIONS[0], "\r");
    // The menu is drawn after its prompt: it is in what came next.
    let menu = plain(&answer(&mut p, QUESTIONS[1], "u"));
    assert!(
        menu.lines()
            .any(|l| l.starts_with("❯ k") && l.contains("keep your edit: Edited by hand")),
        "{menu}"
    );
    assert!(
        menu.contains("✔ [1/9] title: which version? keep your edit"),
        "{menu}"
    );
    let mut shown = String::new();
    for q in &QUESTIONS[2..] {
        shown += &answer(&mut p, q, "u");
    }
    // schema.name no longer matches the edited title: keep it as chosen.
    shown += &answer(&mut p, "Update them inside their key, in place?", "n");
    shown += &answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    let text = plain(&(shown + &rest));
    assert_eq!(code, 0, "{text}");
    let out = fs::read_to_string(&path).unwrap();
    assert!(out.starts_with("---\ntitle: \"Edited by hand\"\n"), "{out}");
    // Named edited, and counted the same in the summary and the final line.
    assert!(
        joined(&text).contains("title ← edited"),
        "the summary names the edit:\n{text}"
    );
    let (summary, last) = (summary_tally(&text), final_tally(&text));
    assert!(summary.contains("1 edited"), "{summary}");
    assert_eq!(summary, last, "{text}");
    assert_eq!(total(&last), 9, "{text}");
    for row in menu.lines().chain(text.lines()) {
        assert!(console::measure_text_width(row) <= cols, "{cols}: {row:?}");
    }
}

#[test]
fn one_count_of_decisions_on_every_screen() {
    let (dir, path, _) = seed_copy();
    let args = ["--rule", "title=stashed", "post.md"];
    let diff = crate::common::bin()
        .arg("diff")
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let diff_head = crate::common::stdout(&diff)
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let json = crate::common::bin()
        .args(["diff", "--json"])
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut p = spawn_sized(dir.path(), &args, &[], false, 120);
    let intro = plain(&answer(&mut p, QUESTIONS[0], "\r"));
    let mut shown = String::new();
    for q in &QUESTIONS[1..] {
        shown += &answer(&mut p, q, "u");
    }
    shown += &answer(&mut p, "Update them inside their key, in place?", "n");
    shown += &answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    let text = plain(&(shown + &rest));
    assert_eq!(code, 0, "{text}");
    assert!(fs::read(&path).unwrap().starts_with(b"---\ntitle: \"\xd0"));
    let picker_head = intro
        .lines()
        .find(|l| l.starts_with("post.md: "))
        .unwrap_or_else(|| panic!("{intro}"));
    // The same words, the same number, in diff and in the picker.
    assert!(
        diff_head.starts_with("post.md: 9 decisions, 1 answered by a rule "),
        "{diff_head}"
    );
    assert!(
        picker_head.starts_with("post.md: 9 decisions, 1 answered by a rule "),
        "{picker_head}"
    );
    assert_eq!(json[0]["decisions"], 9, "{json}");
    let (summary, last) = (summary_tally(&text), final_tally(&text));
    assert_eq!(summary, last, "{text}");
    assert_eq!(total(&summary), 9, "{text}");
}

/// The seed's body hunks: how many, as the picker counts them.
const HUNKS: usize = 34;

#[test]
fn the_body_question_shows_its_first_hunk_and_a_hunk_edited_is_named_edited() {
    let (dir, path, bytes) = seed_copy();
    let ed = editor(dir.path(), "editor.sh", "Edited by hand.\n");
    let env = [("GIT_EDITOR", ed.as_str())];
    let mut p = spawn_sized(dir.path(), &["post.md"], &env, false, 120);
    for q in &QUESTIONS[..7] {
        answer(&mut p, q, "u");
    }
    let body = plain(&answer(&mut p, QUESTIONS[7], "h"));
    let body = &body[body.rfind("[8/9] body").unwrap()..];
    // The first hunk is on screen before any key is pressed.
    assert!(body.contains(&format!("hunk 1/{HUNKS}")), "{body}");
    answer(&mut p, &format!("hunk 1/{HUNKS}: which lines?"), "e");
    for n in 2..=HUNKS {
        answer(&mut p, &format!("hunk {n}/{HUNKS}: which lines?"), "u");
    }
    answer(&mut p, QUESTIONS[8], "u");
    let summary = plain(&answer(&mut p, "Write post.md?", "q"));
    let (_, code) = finish(p);
    assert_eq!(code, 130);
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    let rows = joined(&summary);
    assert!(rows.contains("body ← edited"), "{summary}");
    assert!(!rows.contains("merged from both sides"), "{summary}");
    assert!(summary_tally(&summary).contains("1 edited"), "{summary}");
}

#[test]
fn a_hunk_left_unresolved_stays_between_markers_and_nothing_else_does() {
    for cols in [60, 120, 160] {
        a_hunk_left_unresolved_at(cols);
    }
}

fn a_hunk_left_unresolved_at(cols: usize) {
    let (dir, path, _) = seed_copy();
    let mut p = spawn_sized(dir.path(), &["post.md"], &[], false, cols);
    for q in &QUESTIONS[..7] {
        answer(&mut p, q, "u");
    }
    answer(&mut p, QUESTIONS[7], "h");
    answer(&mut p, &format!("hunk 1/{HUNKS}: which lines?"), "l");
    // The menu is drawn after its prompt: it is in what came next.
    let menu = plain(&answer(
        &mut p,
        &format!("hunk 2/{HUNKS}: which lines?"),
        "u",
    ));
    assert!(
        joined(&menu).contains("l leave this hunk unresolved"),
        "{menu}"
    );
    for n in 3..=HUNKS {
        answer(&mut p, &format!("hunk {n}/{HUNKS}: which lines?"), "u");
    }
    answer(&mut p, QUESTIONS[8], "u");
    let mut shown = answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    shown += &rest;
    let text = plain(&shown);
    for row in menu.lines().chain(text.lines()) {
        assert!(console::measure_text_width(row) <= cols, "{cols}: {row:?}");
    }
    // Partly resolved: the file stays conflicted (exit 3).
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("post.md: partly resolved ("), "{text}");
    assert!(summary_tally(&text).contains("1 left"), "{text}");
    let out = fs::read_to_string(&path).unwrap();
    assert_eq!(
        out.matches("<<<<<<< Updated upstream\n").count(),
        1,
        "{out}"
    );
    assert_eq!(out.matches("\n=======\n").count(), 1, "{out}");
    assert_eq!(out.matches(">>>>>>> Stashed changes\n").count(), 1, "{out}");
    // Upstream's lines of the hunk kept, the rest is all upstream's.
    let open = out.find("<<<<<<< Updated upstream\n").unwrap();
    let mid = out.find("\n=======\n").unwrap();
    let close = out.find(">>>>>>> Stashed changes\n").unwrap();
    let ours = &out[open + "<<<<<<< Updated upstream\n".len()..=mid];
    let taken = format!(
        "{}{ours}{}",
        &out[..open],
        &out[close + ">>>>>>> Stashed changes\n".len()..]
    );
    let upstream = crate::common::bin()
        .args(["--prefer", "upstream", "--stdout"])
        .arg(crate::common::fixtures().join("seeds/stash-pop-conflict.md"))
        .output()
        .unwrap();
    assert!(
        taken == crate::common::stdout(&upstream),
        "outside the hunk the file is not upstream's"
    );
    // `check` still catches it.
    let check = crate::common::bin()
        .args(["check", "post.md"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!check.status.success(), "{}", crate::common::stdout(&check));
}

/// Found by the picker's trial: a body hunk left unresolved hunk by hunk
/// was written with 7-character markers and no base section, whatever the
/// file's style; with `conflict-marker-size=10` the next run refused the
/// file. The hunk is now written as git wrote it: the file's marker size,
/// its diff3 base section, git's labels.
#[test]
fn a_hunk_left_unresolved_keeps_the_files_marker_size_and_base_section() {
    let repo = crate::common::Repo::new();
    repo.git(&["config", "merge.conflictStyle", "diff3"]);
    repo.write(".gitattributes", "*.md conflict-marker-size=10\n");
    let base = "---\ntitle: T\n---\n\nIntro.\n\nPara A base.\n\nMid 1.\nMid 2.\nMid 3.\n\nPara B base.\n\nEnd.\n";
    let ours = base.replace("A base", "A ours").replace("B base", "B ours");
    let theirs = base
        .replace("A base", "A theirs")
        .replace("B base", "B theirs");
    repo.branches("post.md", base, &ours, &theirs);
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    let git = repo.read_string("post.md");
    // git's first conflict, as it wrote it: 10-character markers, a base section.
    let first = &git[git.find("<<<<<<<<<< HEAD\n").expect("git's markers")..];
    let first = &first[..first.find(">>>>>>>>>> topic\n").unwrap() + ">>>>>>>>>> topic\n".len()];
    assert!(first.contains("\n|||||||||| "), "{git}");
    let mut p = spawn_sized(repo.path(), &["post.md"], &[], false, 120);
    answer(&mut p, "[1/1] body: which version?", "h");
    answer(&mut p, "hunk 1/2: which lines?", "l");
    answer(&mut p, "hunk 2/2: which lines?", "u");
    answer(&mut p, "Write post.md?", "w");
    let (rest, code) = finish(p);
    assert_eq!(code, 3, "{}", plain(&rest));
    let out = repo.read_string("post.md");
    assert!(out.contains(first), "not as git wrote it:\n{out}");
    assert!(out.contains("\nPara B ours.\n"), "{out}");
    assert!(!out.contains("\n<<<<<<< "), "7-character markers:\n{out}");
    // The next run and `check` find the conflict at the file's size.
    let check = repo.run("", &["check", "post.md"]);
    assert_eq!(
        crate::common::code(&check),
        1,
        "{}",
        crate::common::stdout(&check)
    );
    assert!(
        crate::common::stdout(&check).contains("post.md:7:"),
        "{}",
        crate::common::stdout(&check)
    );
    let again = repo.run("", &["--prefer", "theirs", "--dry-run", "post.md"]);
    assert!(
        !crate::common::stderr(&again).contains("characters long"),
        "{}",
        crate::common::stderr(&again)
    );
}

/// Found by the picker's trial: an article that shows git's markers in a
/// fenced code example could not have its body edited: every edit was
/// refused ("conflict markers are still there") at the example, which the
/// picker itself had read as text. The example's lines are text in an edit
/// too, as in the file: where a clean version has them fenced.
#[test]
fn a_body_edit_keeps_a_fenced_example_of_gits_markers() {
    let fence = "```text\n<<<<<<< HEAD\nmine\n=======\nyours\n>>>>>>> topic\n```\n";
    let body = |para: &str| format!("\nIntro.\n\nWhat git writes:\n\n{fence}\n{para}\n\nEnd.\n");
    let art = |para: &str| format!("---\ntitle: T\n---\n{}", body(para));
    let repo = crate::common::Repo::new();
    repo.branches(
        "post.md",
        &art("Para A base."),
        &art("Para A ours."),
        &art("Para A theirs."),
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    let ed = editor(repo.path(), "editor.sh", &body("Para A merged."));
    let env = [("GIT_EDITOR", ed.as_str())];
    let mut p = spawn_sized(repo.path(), &["post.md"], &env, false, 120);
    answer(&mut p, "[1/1] body: which version?", "e");
    let summary = plain(&answer(&mut p, "Write post.md?", "w"));
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{summary}{}", plain(&rest));
    assert!(!summary.contains("refused"), "{summary}");
    assert!(joined(&summary).contains("body ← edited"), "{summary}");
    assert_eq!(repo.read_string("post.md"), art("Para A merged."));
    assert_eq!(repo.unmerged(), "");
}
