//! What the person at the terminal sees (issue 15), end to end: the picker in
//! a real pseudo-terminal at 60 and 120 columns, with NO_COLOR and with colour,
//! and the messages of `resolve` and `diff` through the built binary.

use std::fs;
use std::process::{Output, Stdio};

use crate::common::{bin, stderr, stdout, Repo};
use crate::picker::{answer, finish, seed_copy, spawn_sized, QUESTIONS};

/// What the terminal showed as text: rexpect hands over each byte as a
/// char, so the bytes are put back together as UTF-8; escape sequences out,
/// each terminal row on its own line.
fn plain(shown: &str) -> String {
    let bytes: Vec<u8> = shown.chars().map(|c| c as u32 as u8).collect();
    let text = String::from_utf8_lossy(&bytes);
    let esc = regex::Regex::new("\u{1b}\\[[0-9;?]*[A-Za-z]").unwrap();
    esc.replace_all(&text, "").replace('\r', "\n")
}

/// The picker on `post.md` in `dir`, in a terminal `cols` wide, coloured
/// (`--color always`) or with NO_COLOR.
fn picker_at(dir: &std::path::Path, color: bool, cols: usize) -> rexpect::session::PtySession {
    let args: &[&str] = if color {
        &["--color", "always", "post.md"]
    } else {
        &["post.md"]
    };
    spawn_sized(dir, args, &[], color, cols)
}

/// The terminal widths and colour settings every screen is checked at.
const LOOKS: [(usize, bool); 4] = [(60, false), (60, true), (120, false), (120, true)];

#[test]
fn the_overview_and_questions_fit_and_show_what_differs() {
    for (cols, color) in LOOKS {
        let (dir, path, bytes) = seed_copy();
        let mut p = picker_at(dir.path(), color, cols);
        let mut shown = String::new();
        // The seven values, then quit at the body.
        for (q, k) in QUESTIONS.iter().zip(["u", "u", "u", "u", "u", "u", "u"]) {
            shown += &answer(&mut p, q, k);
        }
        shown += &answer(&mut p, QUESTIONS[7], "q");
        let (rest, code) = finish(p);
        shown += &rest;
        assert_eq!(code, 130, "{rest}");
        assert!(fs::read(&path).unwrap() == bytes, "the file changed");
        let text = plain(&shown);
        let at = format!("{cols} columns, colour {color}");
        // Every row fits: nothing is cut or wrapped by the terminal.
        for row in text.lines() {
            let w = console::measure_text_width(row);
            assert!(w <= cols, "{at}: {w} columns: {row:?}\n{text}");
        }
        // Words are wrapped whole: the header, the hints.
        for words in [
            "(Updated upstream ↔ Stashed changes)",
            "b goes back, z undoes the last answer.",
            "Esc, Ctrl-C or q quits",
            "without writing anything.",
        ] {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(joined.contains(words), "{at}: {words:?} split:\n{text}");
        }
        // The changed title shows the words that differ, not the common start
        // (beside the key at 120 columns, one row a side below it at 60).
        assert!(
            text.contains("ключ к успеху…\"") && text.contains("как мы работаем в…\""),
            "{at}:\n{text}"
        );
        let stacked = text
            .lines()
            .any(|l| l.trim_start().starts_with("upstream \"…") && l.ends_with("ключ к успеху…\""));
        assert_eq!(stacked, cols < 100, "{at}:\n{text}");
        // The body's counts are the real ones, the same in the overview and the question.
        assert_eq!(
            text.matches("+60 −62 lines in 34 hunks").count(),
            2,
            "{at}:\n{text}"
        );
    }
}

#[test]
fn quitting_at_the_first_file_says_what_happened() {
    let (dir, path, bytes) = seed_copy();
    fs::copy(&path, dir.path().join("second.md")).unwrap();
    for (cols, color) in LOOKS {
        let mut p = spawn_sized(dir.path(), &["post.md", "second.md"], &[], color, cols);
        answer(&mut p, QUESTIONS[0], "q");
        let (rest, code) = finish(p);
        let text = plain(&rest);
        assert_eq!(code, 130, "{text}");
        assert!(!text.contains("no files"), "{text}");
        assert!(
            text.contains("frontmerge: quit at 1, left as it was, 1 not reached"),
            "{text}"
        );
        assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    }
}

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_dry_run_ends_with_what_it_would_resolve() {
    let (dir, path, bytes) = seed_copy();
    fs::copy(&path, dir.path().join("second.md")).unwrap();
    let o = run(
        dir.path(),
        &["--prefer", "stashed", "--dry-run", "post.md", "second.md"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        err.lines().last(),
        Some("frontmerge: would resolve 2"),
        "{err}"
    );
    assert!(stdout(&o).contains("+++ b/post.md"));
    assert!(fs::read(&path).unwrap() == bytes, "the file changed");
    // One file too.
    let o = run(dir.path(), &["--prefer", "stashed", "--dry-run", "post.md"]);
    assert_eq!(
        stderr(&o).lines().last(),
        Some("frontmerge: would resolve 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_without_paths_compares_the_unmerged_articles_with_their_marker_size() {
    let repo = Repo::new();
    repo.write(".gitattributes", "*.md conflict-marker-size=10\n");
    repo.write("post.md", "---\ntitle: Base\n---\nbody\n");
    repo.write("other.md", "---\ntitle: Clean\n---\nbody\n");
    repo.commit_all("base");
    repo.git(&["checkout", "-qb", "topic"]);
    repo.write("post.md", "---\ntitle: Topic\n---\nbody\n");
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", "---\ntitle: Main\n---\nbody\n");
    repo.commit_all("main");
    let merge = repo.git_output(&["merge", "topic"]);
    assert!(!merge.status.success(), "the merge conflicts");
    assert!(repo.read_string("post.md").contains("<<<<<<<<<< HEAD"));
    let o = repo
        .frontmerge()
        .arg("diff")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.starts_with("post.md: 1 decision (HEAD ↔ topic)"),
        "{out}"
    );
    assert!(
        out.contains("title  changed  \"Main\" → \"Topic\""),
        "{out}"
    );
    assert!(!out.contains("other.md"), "only unmerged files: {out}");
    // Named, the same file gets the same marker size.
    let o = repo
        .frontmerge()
        .args(["diff", "post.md"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(stdout(&o), out, "{}", stderr(&o));
}

#[test]
fn the_links_checklist_shows_its_cursor_and_whole_prompt() {
    for (cols, color) in LOOKS {
        let (dir, _, _) = seed_copy();
        let mut p = picker_at(dir.path(), color, cols);
        for (q, k) in QUESTIONS
            .iter()
            .zip(["u", "u", "u", "u", "u", "u", "u", "u", "c"])
        {
            answer(&mut p, q, k);
        }
        let shown = answer(&mut p, "links to keep, in write order", "");
        // The list as drawn first (cursor on the first item), then quit.
        let first = p.exp_string("upstream").unwrap() + "upstream";
        std::thread::sleep(std::time::Duration::from_millis(200));
        p.send_control('c').unwrap();
        let (rest, _) = finish(p);
        let text = plain(&(shown + &first + &rest));
        let at = format!("{cols} columns, colour {color}");
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("(space toggles, a: all, Enter confirms)"),
            "{at}: the keys are shown whole:\n{text}"
        );
        // Without colour the cursor is `>`, with colour `❯`: never colour alone.
        let cursor = if color {
            "❯ ✔ upstream"
        } else {
            "> [x] upstream"
        };
        assert!(text.contains(cursor), "{at}:\n{text}");
        for row in text.lines() {
            assert!(console::measure_text_width(row) <= cols, "{at}: {row:?}");
        }
    }
}

const ARTICLE: &str = "---\ntitle: Base\n---\nBody.\n\n## Related\n\n- [A](/a/)\n";

/// A repository in the middle of `op` ("merge", "rebase" or "cherry-pick")
/// with post.md conflicted: each side retitles it and adds a link.
fn conflicted_by(op: &str) -> Repo {
    let repo = Repo::new();
    repo.write("post.md", ARTICLE);
    repo.commit_all("base");
    repo.git(&["checkout", "-qb", "topic"]);
    repo.write("post.md", ARTICLE.replace("Base", "Topic") + "- [B](/b/)\n");
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", ARTICLE.replace("Base", "Main") + "- [C](/c/)\n");
    repo.commit_all("main");
    let o = match op {
        "rebase" => {
            repo.git(&["checkout", "-q", "topic"]);
            repo.git_output(&["rebase", "main"])
        }
        other => repo.git_output(&[other, "topic"]),
    };
    assert!(!o.status.success(), "{op} conflicts");
    repo
}

#[test]
fn in_a_merge_the_picker_calls_the_sides_ours_and_theirs() {
    for (cols, color) in LOOKS {
        let repo = conflicted_by("merge");
        let mut p = picker_at(repo.path(), color, cols);
        // The links are merged with the base; only the title is asked.
        let mut shown = answer(&mut p, "[1/1] title: which version?", "s");
        shown += &answer(&mut p, "Write post.md?", "q");

        let (rest, code) = finish(p);
        let text = plain(&(shown + &rest));
        let at = format!("{cols} columns, colour {color}");
        assert_eq!(code, 130, "{at}: {text}");
        assert!(
            text.contains("git: merge in progress: ours = HEAD"),
            "{at}:\n{text}"
        );
        // The operation line too wraps at word boundaries.
        for row in text.lines() {
            let w = console::measure_text_width(row);
            assert!(w <= cols, "{at}: {w} columns: {row:?}\n{text}");
        }
        for want in [
            "ours · HEAD",
            "theirs · topic",
            "✔ [1/1] title: which version? theirs",
            "only theirs",
        ] {
            assert!(text.contains(want), "{at}: {want:?} missing:\n{text}");
        }
        assert!(
            text.contains("Summary: 0 from ours, 1 from theirs"),
            "{at}:\n{text}"
        );
        assert!(!text.contains("u  upstream"), "{at}:\n{text}");
    }
}

#[test]
fn diff_names_the_sides_of_a_rebase_and_a_cherry_pick_as_git_does() {
    for op in ["rebase", "cherry-pick"] {
        let repo = conflicted_by(op);
        let o = repo
            .frontmerge()
            .arg("diff")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let (out, err) = (stdout(&o), stderr(&o));
        assert_eq!(o.status.code(), Some(0), "{op}: {err}");
        assert!(
            out.contains("links  changed  1 in both, 1 only ours, 1 only theirs"),
            "{op}:\n{out}"
        );
        assert!(
            err.contains(&format!("git: {op} in progress: ours = HEAD")),
            "{op}: {err}"
        );
        // --prefer theirs is the `>>>>>>>` side: the replayed or picked commit's title.
        let o = repo
            .frontmerge()
            .args(["--prefer", "theirs", "post.md"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{op}: {}", stderr(&o));
        assert!(repo.read_string("post.md").contains("title: Topic"), "{op}");
    }
    // After a stash pop the names stay upstream and stashed.
    let (dir, _, _) = seed_copy();
    let o = run(dir.path(), &["diff", "post.md"]);
    assert!(
        stdout(&o).contains("3 only upstream, 3 only stashed"),
        "{}",
        stdout(&o)
    );
}

/// An editor that behaves like vim's `o` on the file's first line with comment
/// continuation on: the new line starts with `# ` when that line is a `#`
/// comment. It replaces the file with that one new line.
const VIM_LIKE: &str = "#!/bin/sh\nfirst=$(head -n 1 \"$1\")\ncase \"$first\" in\n  '#'*) prefix='# ' ;;\n  *) prefix='' ;;\nesac\nprintf '%stitle: \"By vim\"\\n' \"$prefix\" > \"$1\"\n";

#[test]
fn the_editor_file_invites_no_comment_continuation_into_the_value() {
    for (cols, color) in LOOKS {
        let (dir, path, _) = seed_copy();
        let editor = dir.path().join("vim-like.sh");
        fs::write(&editor, VIM_LIKE).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let env = [("GIT_EDITOR", editor.to_str().unwrap())];
        let mut p = spawn_sized(dir.path(), &["post.md"], &env, color, cols);
        answer(&mut p, QUESTIONS[0], "e");
        // Accepted at once: the next question comes, no "again?".
        let shown = answer(&mut p, QUESTIONS[1], "q");
        let (rest, code) = finish(p);
        let text = plain(&(shown + &rest));
        let at = format!("{cols} columns, colour {color}");
        assert_eq!(code, 130, "{at}: {text}");
        assert!(!text.contains("refused"), "{at}:\n{text}");
        // The explanation was in the terminal, wrapped to it.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("Edit `title` of post.md in your editor, then save and close it."),
            "{at}:\n{text}"
        );
        for row in text.lines() {
            assert!(console::measure_text_width(row) <= cols, "{at}: {row:?}");
        }
        assert!(fs::read(&path).is_ok());
    }
}

/// One side of [`SUMMED`]: its value per key, and its body.
fn side_of(text: &str) -> (Vec<(String, String)>, String) {
    let rest = text.strip_prefix("---\n").unwrap();
    let (front, body) = rest.split_once("---\n").unwrap();
    let keys = front
        .lines()
        .map(|l| {
            let (k, v) = l.split_once(": ").unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    (keys, body.to_owned())
}

const SUMMED_UP: &str = "---\ntitle: Up title\ndescription: Up words\ntags: [a, b]\npubDate: 2025-01-02\n---\nUp body.\n";
const SUMMED_ST: &str = "---\ntitle: St title\ndescription: St words\ntags: [a, c]\npubDate: 2025-01-03\n---\nSt body.\n";

#[test]
fn every_summary_line_matches_the_file_on_disk() {
    let conflict = format!(
        "<<<<<<< Updated upstream\n{SUMMED_UP}=======\n{SUMMED_ST}>>>>>>> Stashed changes\n"
    );
    for args in [
        &["--prefer", "stashed"][..],
        &["--prefer", "upstream"],
        &["--prefer", "newest", "--rule", "title=upstream"],
        &[
            "--prefer",
            "upstream",
            "--rule",
            "description=stashed",
            "--rule",
            "tags=union",
        ],
    ] {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.md"), &conflict).unwrap();
        let mut all = args.to_vec();
        all.push("a.md");
        let o = run(d.path(), &all);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        let written = fs::read_to_string(d.path().join("a.md")).unwrap();
        let (keys, body) = side_of(&written);
        let sides = [
            ("upstream", side_of(SUMMED_UP)),
            ("stashed", side_of(SUMMED_ST)),
        ];
        let mut checked = 0;
        for line in err.lines().filter(|l| l.contains(" ← ")) {
            let (parts, what) = line.trim().split_once(" ← ").unwrap();
            for part in parts.split(", ") {
                checked += 1;
                let got = if part == "body" {
                    body.clone()
                } else {
                    let v = keys.iter().find(|(k, _)| k == part);
                    v.unwrap_or_else(|| panic!("{args:?}: {part} not written"))
                        .1
                        .clone()
                };
                match sides
                    .iter()
                    .find(|(name, _)| what.starts_with(&format!("{name} (")))
                {
                    Some((name, (skeys, sbody))) => {
                        let want = if part == "body" {
                            sbody.clone()
                        } else {
                            skeys.iter().find(|(k, _)| k == part).unwrap().1.clone()
                        };
                        assert_eq!(got, want, "{args:?}: {line:?} says {name}");
                    }
                    // Merged: different from both sides' values.
                    None => {
                        assert!(what.starts_with("merged"), "{args:?}: {line:?}");
                        for (_, (skeys, _)) in &sides {
                            let v = &skeys.iter().find(|(k, _)| k == part).unwrap().1;
                            assert_ne!(&got, v, "{args:?}: {line:?}");
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 5, "{args:?}: every part has a line:\n{err}");
    }
}

/// `--prefer side post.md` in `repo`: it succeeds and stderr has each of
/// `wants`; the stderr.
fn resolved_saying(repo: &Repo, side: &str, wants: &[&str]) -> String {
    let o = repo
        .frontmerge()
        .args(["--prefer", side, "post.md"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for want in wants {
        assert!(err.contains(want), "{want:?} missing:\n{err}");
    }
    err
}

#[test]
fn the_written_summary_names_the_sides_of_the_operation() {
    // In a merge: ours/theirs in every summary line, never upstream/stashed.
    let repo = conflicted_by("merge");
    let err = resolved_saying(
        &repo,
        "theirs",
        &[
            "title ← theirs (--prefer)",
            "(0 from ours, 1 from theirs, 1 merged)",
            "(+1 from ours, +1 from theirs)",
        ],
    );
    assert!(
        !err.contains("upstream") && !err.contains("stashed"),
        "{err}"
    );

    // After a stash pop: upstream/stashed.
    let repo = Repo::new();
    let base = ARTICLE.to_owned();
    let o = repo.stash_pop_conflict(
        "post.md",
        &base,
        &(ARTICLE.replace("Base", "Main") + "- [C](/c/)\n"),
        &(ARTICLE.replace("Base", "Topic") + "- [B](/b/)\n"),
        "diff3",
    );
    assert!(!o.status.success(), "stash pop conflicts");
    let err = resolved_saying(
        &repo,
        "stashed",
        &[
            "title ← stashed (--prefer)",
            "(0 from upstream, 1 from stashed, 1 merged)",
            "(+1 from upstream, +1 from stashed)",
        ],
    );
    assert!(!err.contains("theirs"), "{err}");
}

/// A description changed at its start and at its end, far apart.
const TWO_CHANGES: &str = "<<<<<<< Updated upstream\n---\ntitle: T\ndescription: \"Our first guide to typed Markdown content collections in Astro, with schemas, loaders, references and the image helper for every blog\"\n---\nBody.\n=======\n---\ntitle: T\ndescription: \"Our complete guide to typed Markdown content collections in Astro, with schemas, loaders, references and the image helper for every docs site\"\n---\nBody.\n>>>>>>> Stashed changes\n";

#[test]
fn a_value_changed_in_two_places_shows_both_changes() {
    for (cols, color) in LOOKS {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("post.md"), TWO_CHANGES).unwrap();
        let mut p = picker_at(dir.path(), color, cols);
        let shown = answer(&mut p, "[1/1] description: which version?", "q");
        let (rest, code) = finish(p);
        let text = plain(&(shown + &rest));
        let at = format!("{cols} columns, colour {color}");
        assert_eq!(code, 130, "{at}: {text}");
        // The overview: both changed places on each side, the common words
        // between them left out.
        let overview = &text[..text.find("Asking about").expect("the overview")];
        for want in ["first", "blog", "complete", "docs site", " … "] {
            assert!(overview.contains(want), "{at}: {want:?}:\n{overview}");
        }
        assert!(
            !overview.contains("references and the"),
            "{at}:\n{overview}"
        );
        // The question marks both changes on each side.
        if !color {
            for want in ["[-first-]", "[-blog-]", "{+complete+}", "{+docs site+}"] {
                assert!(text.contains(want), "{at}: {want:?}:\n{text}");
            }
        }
        for row in text.lines() {
            assert!(console::measure_text_width(row) <= cols, "{at}: {row:?}");
        }
    }
    // `diff` in a pipe (100 columns) shows both too.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("post.md"), TWO_CHANGES).unwrap();
    let out = stdout(&run(dir.path(), &["diff", "post.md"]));
    for want in ["first", "blog", "complete", "docs site"] {
        assert!(out.contains(want), "{want:?}:\n{out}");
    }
}

/// A description where every other word changed: many marked words, rows
/// to wrap at any width.
fn every_other_word() -> String {
    let words: Vec<String> = (1..=40).map(|i| format!("word{i}")).collect();
    let changed: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i % 2 == 1 {
                w.to_uppercase()
            } else {
                w.clone()
            }
        })
        .collect();
    format!(
        "<<<<<<< Updated upstream\n---\ntitle: T\ndescription: \"{}\"\n---\nBody.\n=======\n---\ntitle: T\ndescription: \"{}\"\n---\nBody.\n>>>>>>> Stashed changes\n",
        words.join(" "),
        changed.join(" ")
    )
}

#[test]
fn marked_words_wrap_with_their_markers() {
    for (cols, color) in LOOKS {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("post.md"), every_other_word()).unwrap();
        let mut p = picker_at(dir.path(), color, cols);
        let shown = answer(&mut p, "[1/1] description: which version?", "q");
        let (rest, code) = finish(p);
        let text = plain(&(shown + &rest));
        let at = format!("{cols} columns, colour {color}");
        assert_eq!(code, 130, "{at}: {text}");
        let question = &text[text.find("[1/1] description").expect("the question")..];
        for line in question.lines() {
            assert!(console::measure_text_width(line) <= cols, "{at}: {line:?}");
            // Side by side (wide terminals), each column wraps on its own.
            for row in line.split('│').map(str::trim) {
                for open in ["[-", "{+"] {
                    assert!(!row.ends_with(open), "{at}: {row:?}\n{question}");
                }
                for close in ["-]", "+}"] {
                    assert!(!row.starts_with(close), "{at}: {row:?}\n{question}");
                }
            }
        }
        if !color {
            // Every changed word is marked, its markers whole.
            let joined = question.split_whitespace().collect::<Vec<_>>().join(" ");
            for i in (2..=40).step_by(2) {
                assert!(
                    joined.contains(&format!("[-word{i}-]")),
                    "{at}: {i}\n{question}"
                );
                assert!(
                    joined.contains(&format!("{{+WORD{i}+}}")),
                    "{at}: {i}\n{question}"
                );
            }
        }
    }
}

#[test]
fn diff_json_tells_what_the_screen_shows_with_the_sides_named() {
    let repo = conflicted_by("merge");
    let run_diff = |json: bool| {
        let args: &[&str] = if json { &["diff", "--json"] } else { &["diff"] };
        let o = repo.run("", args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let (screen, raw) = (run_diff(false), run_diff(true));
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let f = &v[0];
    assert_eq!(f["operation"], "merge", "{f}");
    assert_eq!(f["sides"]["upstream"], "ours");
    assert_eq!(f["sides"]["stashed"], "theirs");
    assert_eq!(f["decisions"], 1);
    assert!(screen.starts_with("post.md: 1 decision"), "{screen}");
    // No side placeholder and no stash word leaks into a merge's JSON.
    assert!(
        !raw.contains('\u{E000}') && !raw.contains('\u{E001}'),
        "{raw}"
    );
    assert!(
        !raw.contains("only stashed") && !raw.contains("from stashed"),
        "{raw}"
    );
    let parts = f["parts"].as_array().unwrap();
    let part = |name: &str| {
        parts
            .iter()
            .find(|p| p["part"] == name)
            .unwrap_or_else(|| panic!("{name} in {f}"))
    };
    // The title is the one decision, with its changed words.
    assert_eq!(part("title")["status"], "open");
    assert_eq!(part("title")["changes"][0]["upstream"], "Main");
    assert_eq!(part("title")["changes"][0]["stashed"], "Topic");
    // The links are settled by the base, the reason worded as on screen.
    let links = part("links");
    assert_eq!(links["status"], "settled");
    assert_eq!(links["by"], "base");
    assert_eq!(links["result"], "merged");
    let reason = links["reason"].as_str().unwrap();
    assert!(reason.contains("+1 from ours, +1 from theirs"), "{reason}");
    // (The row wraps at spaces to the screen's width.)
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&screen).contains(&words(&format!("[{reason} → merged]"))),
        "{reason}:\n{screen}"
    );
    // As many open parts as decisions counted.
    let open = parts.iter().filter(|p| p["status"] == "open").count();
    assert_eq!(f["decisions"], open);
    // Counts are the screen's: the seed's body.
    let (dir, _, _) = seed_copy();
    let o = run(dir.path(), &["diff", "--json", "post.md"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let body = &v[0]["body"];
    assert_eq!(
        (&body["added"], &body["removed"], &body["hunks"]),
        (&60.into(), &62.into(), &34.into())
    );
    assert!(stdout(&run(dir.path(), &["diff", "post.md"])).contains("+60 −62 lines in 34 hunks"));
    assert_eq!(v[0]["operation"], serde_json::Value::Null);
    assert_eq!(v[0]["sides"]["stashed"], "stashed");
    let parts = v[0]["parts"].as_array().unwrap();
    let names: Vec<_> = parts.iter().map(|p| p["part"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "title",
            "description",
            "keywords",
            "pubDate",
            "schema.name",
            "schema.description",
            "schema.aggregateRating.reviewCount",
            "body",
            "links"
        ],
        "{}",
        v[0]
    );
    let keywords = parts.iter().find(|p| p["part"] == "keywords").unwrap();
    assert!(
        !keywords["changes"].as_array().unwrap().is_empty(),
        "{keywords}"
    );
}

#[test]
fn notes_read_right_whatever_the_sides_are_called() {
    // A date rule meets a value that is not a date on the merged branch.
    let repo = Repo::new();
    repo.branches(
        "post.md",
        "---\ntitle: A\nupdated: 2025-01-01\n---\nBody.\n",
        "---\ntitle: A\nupdated: 2025-02-01\n---\nBody.\n",
        "---\ntitle: A\nupdated: soon\n---\nBody.\n",
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    let out = stdout(&repo.run("", &["diff", "--rule", "updated=newest", "post.md"]));
    assert!(
        out.contains("but the value on theirs (\"soon\") is not a date"),
        "{out}"
    );
    assert!(!out.contains("'s value"), "{out}");
}

#[test]
fn wide_terminals_show_the_sides_side_by_side_and_z_undoes_the_last_answer() {
    for (cols, color) in LOOKS {
        let (dir, path, bytes) = seed_copy();
        let mut p = picker_at(dir.path(), color, cols);
        answer(&mut p, QUESTIONS[0], "u");
        let shown = answer(&mut p, QUESTIONS[1], "z");
        // The title asked again after the undo, then a different answer.
        let undone = answer(&mut p, QUESTIONS[0], "s");
        let rest_shown = answer(&mut p, QUESTIONS[1], "q");
        let (rest, code) = finish(p);
        let at = format!("{cols} columns, colour {color}");
        assert_eq!(code, 130, "{at}: {rest}");
        assert!(fs::read(&path).unwrap() == bytes, "{at}: the file changed");
        let text = plain(&(shown.clone() + &undone + &rest_shown + &rest));
        for row in text.lines() {
            let w = console::measure_text_width(row);
            assert!(w <= cols, "{at}: {w} columns: {row:?}\n{text}");
        }
        let question = plain(&shown);
        let question = &question[question.rfind("[2/9] description").expect("asked")..];
        let titles = question
            .lines()
            .find(|r| r.contains("upstream · Updated upstream"));
        let titles = titles.unwrap_or_else(|| panic!("{at}:\n{question}"));
        if cols >= 100 {
            // One row holds both titles, a column each; the words beside.
            assert!(
                titles.contains(" │ stashed · Stashed changes"),
                "{at}: {titles:?}"
            );
            assert!(
                question
                    .lines()
                    .any(|r| r.contains("Разбираем") && r.contains("│ В ButlerSPB")),
                "{at}:\n{question}"
            );
        } else {
            assert!(
                !question.contains('│'),
                "{at}: stacked below 100:\n{question}"
            );
            assert!(
                question.contains("\n  stashed · Stashed changes"),
                "{at}:\n{question}"
            );
        }
        // The menu offers the undo, naming the answer; undo says what it undid.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("z undo the last answer (title ← upstream)"),
            "{at}:\n{text}"
        );
        assert!(joined.contains("undone: title ← upstream"), "{at}:\n{text}");
        assert!(
            joined.contains("✔ [1/9] title: which version? stashed"),
            "{at}:\n{text}"
        );
    }
}

#[test]
fn a_side_that_cannot_be_read_is_named_as_the_operation_names_it() {
    let repo = Repo::new();
    repo.branches(
        "post.md",
        "---\ntitle: Base\n---\nBody.\n",
        "---\ntitle: Main\n---\nBody.\n",
        "---\ntitle: Topic\ntitle: Again\n---\nBody.\n",
    );
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    for args in [&["post.md"][..], &["diff", "post.md"]] {
        let err = stderr(&repo.run("", args));
        assert!(
            err.contains("on theirs: duplicate frontmatter key `title`"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("stashed"), "{args:?}: {err}");
    }
}
