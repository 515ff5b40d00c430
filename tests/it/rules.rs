//! End-to-end: field rules and derived fields through the built binary —
//! real `git stash pop` and `git merge` with the merge driver, the
//! precedence of `--rule`, `.frontmerge.toml` and the defaults, `diff`
//! marks, and `check` warnings.

use std::fs;
use std::process::{Output, Stdio};

use crate::common::{bin, fixtures, stderr, stdout, Repo};

const BASE: &str = "---
title: \"Old title\"
lastmod: 2025-07-01
ms.date: 07/01/2025
cSpell:ignore: foo bar
tags: [rent, guide]
schema: {\"@type\":\"HowTo\",\"name\":\"Old title\",\"n\":1}
---
# Heading

Body.
";

/// BASE with each `(from, to)` replaced once.
fn edit(pairs: &[(&str, &str)]) -> String {
    crate::common::edit(BASE, pairs)
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

/// A stash pop where both sides changed the keys of `up` and `st`.
fn popped(up: &[(&str, &str)], st: &[(&str, &str)], style: &str) -> Repo {
    let repo = Repo::new();
    let pop = repo.stash_pop_conflict("post.md", BASE, &edit(up), &edit(st), style);
    assert!(!pop.status.success(), "git alone should conflict");
    repo
}

const UP_LASTMOD: (&str, &str) = ("lastmod: 2025-07-01", "lastmod: 2025-08-10T08:00:00Z");
const ST_LASTMOD: (&str, &str) = ("lastmod: 2025-07-01", "lastmod: 2025-08-12");

#[test]
fn a_stash_pop_where_both_bumped_lastmod_resolves_with_no_question() {
    for style in ["merge", "diff3"] {
        let repo = popped(
            &[UP_LASTMOD, ("ms.date: 07/01/2025", "ms.date: 08/10/2025")],
            &[ST_LASTMOD, ("ms.date: 07/01/2025", "ms.date: 08/02/2025")],
            style,
        );
        let o = repo.run("", &[]);
        assert_eq!(code(&o), Some(0), "{style}: {}", stderr(&o));
        assert_eq!(
            repo.read_string("post.md"),
            edit(&[ST_LASTMOD, ("ms.date: 07/01/2025", "ms.date: 08/10/2025")]),
            "{style}"
        );
        let err = stderr(&o);
        assert!(
            err.contains(
                "lastmod ← stashed (rule: newest from defaults, 2025-08-12 > 2025-08-10T08:00:00Z)"
            ),
            "{err}"
        );
        assert!(
            err.contains(
                "ms.date ← upstream (rule: newest from defaults, 08/10/2025 > 08/02/2025)"
            ),
            "{err}"
        );
        assert_eq!(
            repo.git(&["ls-files", "-u"]),
            "",
            "{style}: marked resolved"
        );
    }
}

#[test]
fn a_value_that_is_not_a_date_falls_back_to_asking() {
    let repo = popped(
        &[("lastmod: 2025-07-01", "lastmod: soon")],
        &[ST_LASTMOD],
        "merge",
    );
    let o = repo.run("", &[]);
    assert_eq!(code(&o), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("needs a decision on lastmod"), "{err}");
    assert!(
        err.contains("note: `lastmod`: rule `newest` compares dates, but the value on upstream (\"soon\") is not a date; falling back to `ask`"),
        "{err}"
    );
    // --prefer settles what the rule could not.
    let o = repo.run("", &["--prefer", "stashed"]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert!(repo
        .read_string("post.md")
        .contains("lastmod: 2025-08-12\n"));
}

#[test]
fn command_line_beats_the_config_file_beats_the_defaults() {
    let up = [UP_LASTMOD, ("title: \"Old title\"", "title: \"Up title\"")];
    let st = [ST_LASTMOD, ("title: \"Old title\"", "title: \"St title\"")];
    let repo = popped(&up, &st, "merge");
    let original = repo.read_string("post.md");
    let lastmod_and_title = |o: &Output| {
        assert_eq!(code(o), Some(0), "{}", stderr(o));
        let out = stdout(o);
        let line = |k: &str| {
            out.lines()
                .find(|l| l.starts_with(k))
                .unwrap_or_default()
                .to_owned()
        };
        (line("lastmod:"), line("title:"))
    };
    // Defaults: lastmod newest; nothing for the title, so --prefer settles it.
    let o = repo.run("", &["--prefer", "upstream", "--stdout", "post.md"]);
    assert_eq!(
        lastmod_and_title(&o),
        ("lastmod: 2025-08-12".into(), "title: \"Up title\"".into())
    );
    // The file overrides the default and adds a rule.
    repo.write(
        ".frontmerge.toml",
        "[rules]\nlastmod = \"oldest\"\ntitle = \"theirs\"\n",
    );
    let o = repo.run("", &["--prefer", "upstream", "--stdout", "post.md"]);
    assert_eq!(
        lastmod_and_title(&o),
        (
            "lastmod: 2025-08-10T08:00:00Z".into(),
            "title: \"St title\"".into()
        )
    );
    assert!(stderr(&o).contains("title ← stashed (rule: stashed from .frontmerge.toml)"));
    // The command line overrides the file; `*=ask` turns every other rule off.
    let o = repo.run(
        "",
        &[
            "--prefer",
            "upstream",
            "--rule",
            "title=ask",
            "--rule",
            "last*=newest",
            "--stdout",
            "post.md",
        ],
    );
    assert_eq!(
        lastmod_and_title(&o),
        ("lastmod: 2025-08-12".into(), "title: \"Up title\"".into())
    );
    let o = repo.run(
        "",
        &[
            "--prefer", "upstream", "--rule", "*=ask", "--stdout", "post.md",
        ],
    );
    assert_eq!(
        lastmod_and_title(&o),
        (
            "lastmod: 2025-08-10T08:00:00Z".into(),
            "title: \"Up title\"".into()
        )
    );
    // --config names another file; a broken one is a usage error naming it.
    repo.write(
        "other.toml",
        "[rules]\ntitle = \"upstream\"\nlastmod = \"ask\"\n",
    );
    let o = repo.run("", &["--config", "other.toml", "--stdout", "post.md"]);
    assert_eq!(code(&o), Some(3), "lastmod is asked: {}", stderr(&o));
    repo.write(".frontmerge.toml", "[rules]\nlastmod = \"latest\"\n");
    let o = repo.run("", &["--prefer", "upstream", "post.md"]);
    assert_eq!(code(&o), Some(2));
    assert!(
        stderr(&o).contains(".frontmerge.toml: [rules] `lastmod`: unknown rule `latest`"),
        "{}",
        stderr(&o)
    );
    let o = repo.run("", &["--rule", "lastmod", "post.md"]);
    assert_eq!(code(&o), Some(2));
    assert!(stderr(&o).contains("expected KEY=RULE"), "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), original, "nothing written");
}

#[test]
fn words_union_and_a_nested_rule_through_the_binary() {
    let up = [
        ("cSpell:ignore: foo bar", "cSpell:ignore: foo bar upword"),
        ("tags: [rent, guide]", "tags: [rent, guide, spb]"),
        ("\"n\":1}", "\"n\":2}"),
    ];
    let st = [
        ("cSpell:ignore: foo bar", "cSpell:ignore: bar stword foo"),
        ("tags: [rent, guide]", "tags: [rent, invest]"),
        ("\"n\":1}", "\"n\":3}"),
    ];
    // No base: a loose file, merged two ways.
    let repo = popped(&up, &st, "merge");
    let text = repo.read_string("post.md");
    let loose = repo.path().join("loose.md");
    fs::write(&loose, &text).unwrap();
    let o = bin()
        .args([
            "--rule",
            "cSpell:ignore=words",
            "--rule",
            "schema.n=newest",
            "--stdout",
        ])
        .arg(&loose)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(3), "schema.n is no date: {}", stderr(&o));
    assert!(
        stderr(&o).contains("`schema.n`: rule `newest` compares dates, but the value on upstream (\"2\") is not a date; falling back to `ask`"),
        "{}",
        stderr(&o)
    );
    let o = bin()
        .args([
            "--rule",
            "cSpell:ignore=words",
            "--rule",
            "schema.n=theirs",
            "--stdout",
        ])
        .arg(&loose)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        edit(&[
            (
                "cSpell:ignore: foo bar",
                "cSpell:ignore: foo bar upword stword"
            ),
            ("tags: [rent, guide]", "tags: [rent, guide, spb, invest]"),
            ("\"n\":1}", "\"n\":3}"),
        ])
    );
    // With the base from the index, the stash's removal of `guide` is kept.
    let o = repo.run(
        "",
        &["--rule", "cSpell:ignore=words", "--rule", "schema.n=theirs"],
    );
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert!(repo
        .read_string("post.md")
        .contains("tags: [rent, spb, invest]\n"));
}

#[test]
fn diff_marks_the_keys_a_rule_would_settle() {
    let repo = popped(
        &[UP_LASTMOD, ("title: \"Old title\"", "title: \"Up\"")],
        &[ST_LASTMOD, ("title: \"Old title\"", "title: \"St\"")],
        "diff3",
    );
    let o = repo.run("", &["diff", "post.md"]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |k: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(k))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        line("lastmod").contains("[newest from defaults → stashed]"),
        "{out}"
    );
    assert!(!line("title").contains('['), "{out}");
    let o = repo.run("", &["diff", "--json", "--rule", "title=ours", "post.md"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules = &v[0]["rules"];
    assert_eq!(rules[0]["key"], "title");
    assert_eq!(rules[0]["result"], "upstream");
    assert_eq!(rules[1]["key"], "lastmod");
    assert_eq!(rules[1]["result"], "stashed");
}

#[test]
fn the_seed_article_keeps_schema_name_in_step_with_the_title() {
    let seed = fixtures().join("seeds/stash-pop-conflict.md");
    let text = fs::read_to_string(&seed).unwrap();
    let schema_line = |s: &str, nth: usize| {
        s.lines()
            .filter(|l| l.starts_with("schema:"))
            .nth(nth)
            .unwrap()
            .to_owned()
    };
    let title = |s: &str, nth: usize| {
        s.lines()
            .filter(|l| l.starts_with("title:"))
            .nth(nth)
            .unwrap()
            .to_owned()
    };
    let (up_schema, st_title) = (schema_line(&text, 0), title(&text, 1));
    let run = |extra: &[&str]| {
        bin()
            .args([
                "--rule",
                "title=stashed",
                "--prefer",
                "upstream",
                "--stdout",
            ])
            .args(extra)
            .arg(&seed)
            .output()
            .unwrap()
    };
    // Reported, not changed, without --sync-derived.
    let o = run(&[]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert_eq!(schema_line(&stdout(&o), 0), up_schema);
    assert!(
        stderr(&o).contains("note: schema.name no longer matches title (\"Сервисный подход: ключ к успеху ButlerSPB\" ≠ \"Сервисный подход: как мы работаем в ButlerSPB\"); --sync-derived updates it in place"),
        "{}",
        stderr(&o)
    );
    // --sync-derived: only the name's bytes change; the rest is upstream's line.
    let o = run(&["--sync-derived"]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(title(&out, 0), st_title);
    let want = up_schema.replacen(
        "\"name\":\"Сервисный подход: ключ к успеху ButlerSPB\"",
        "\"name\":\"Сервисный подход: как мы работаем в ButlerSPB\"",
        1,
    );
    assert_ne!(want, up_schema);
    assert_eq!(schema_line(&out, 0), want);
    assert!(
        stderr(&o).contains("schema ← merged (synced: schema from upstream, name ← title)"),
        "{}",
        stderr(&o)
    );
    // Everything else is upstream's side.
    let o = bin()
        .args(["--prefer", "upstream", "--rule", "*=ask", "--stdout"])
        .arg(&seed)
        .output()
        .unwrap();
    let upstream = stdout(&o);
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("title:") && !l.starts_with("schema:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&out), strip(&upstream));
}

#[test]
fn the_merge_driver_applies_rules_and_the_config_file() {
    let repo = Repo::new();
    repo.write("post.md", BASE);
    repo.write(
        ".frontmerge.toml",
        "[rules]\n\"cSpell:ignore\" = \"words\"\n",
    );
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write(
        "post.md",
        edit(&[
            ST_LASTMOD,
            ("cSpell:ignore: foo bar", "cSpell:ignore: foo bar topicword"),
        ]),
    );
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(
        "post.md",
        edit(&[
            UP_LASTMOD,
            ("cSpell:ignore: foo bar", "cSpell:ignore: foo bar mainword"),
        ]),
    );
    repo.commit_all("main");
    let o = repo.run("", &["install", "--merge-driver"]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let err = stderr(&merged);
    assert!(
        err.contains("lastmod ← theirs (rule: newest from defaults"),
        "{err}"
    );
    assert!(
        err.contains("cSpell:ignore ← merged (rule: words from .frontmerge.toml"),
        "{err}"
    );
    assert_eq!(
        repo.read_string("post.md"),
        edit(&[
            ST_LASTMOD,
            (
                "cSpell:ignore: foo bar",
                "cSpell:ignore: foo bar mainword topicword"
            ),
        ])
    );
    assert_eq!(repo.git(&["ls-files", "-u"]), "");
}

#[test]
fn check_warns_when_a_derived_field_falls_out_of_step() {
    let repo = Repo::new();
    repo.write("post.md", BASE);
    repo.commit_all("base");
    let o = repo.run("", &["check"]);
    assert_eq!(code(&o), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems"));
    repo.write(
        "post.md",
        edit(&[("title: \"Old title\"", "title: \"New title\"")]),
    );
    let o = repo.run("", &["check", "post.md"]);
    assert_eq!(code(&o), Some(0), "warnings only: {}", stdout(&o));
    assert!(
        stdout(&o).contains("post.md:7:33: warning: `schema.name` no longer matches `title`: \"Old title\" ≠ \"New title\" (they were equal in the committed version); make them equal [derived-mismatch]"),
        "{}",
        stdout(&o)
    );
    let o = repo.run("", &["check", "--strict", "post.md"]);
    assert_eq!(code(&o), Some(1));
    // A configured mirror is checked without history too (standard input).
    repo.write("derived.toml", "[derived]\n\"schema.name\" = \"title\"\n");
    let mut c = repo.frontmerge();
    c.args(["check", "--config", "derived.toml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(edit(&[("title: \"Old title\"", "title: \"X\"")]).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        stdout(&o).contains("[derived] in .frontmerge.toml"),
        "{}",
        stdout(&o)
    );
}

/// In a merge the sides are ours and theirs on every screen: a side rule
/// (`title = "theirs"` in the file, `--rule title=ours`) is reported with
/// those names, in `diff`'s mark and JSON and in resolve's summary, never
/// with the stash pop's upstream and stashed.
#[test]
fn a_side_rule_is_named_as_the_merge_names_its_sides() {
    let r = Repo::new();
    r.write(".frontmerge.toml", "[rules]\ntitle = \"theirs\"\n");
    r.branches(
        "p.md",
        "---\ntitle: Hello\nauthor: ann\n---\n\nBody one.\n",
        "---\ntitle: Hello m\nauthor: bob\n---\n\nBody one.\n",
        "---\ntitle: Hello t\nauthor: ann\n---\n\nBody one.\n",
    );
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    let out = r.run_stdout(&["diff"], 0);
    assert!(
        out.contains("[theirs from .frontmerge.toml → theirs]"),
        "{out}"
    );
    let json = r.run_stdout(&["diff", "--json", "--rule", "title=ours"], 0);
    assert!(
        json.contains("\"reason\": \"rule: ours from --rule\""),
        "{json}"
    );
    let err = r.run_exits(&["--dry-run", "--rule", "title=ours"], 0);
    assert!(
        err.contains("title ← ours (rule: ours from --rule)"),
        "{err}"
    );
    for o in [out, err] {
        assert!(!o.contains("upstream") && !o.contains("stashed"), "{o}");
    }
}
