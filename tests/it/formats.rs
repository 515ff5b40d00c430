//! TOML (`+++`) and JSON frontmatter end to end, with real git: `git merge`
//! and the merge driver, `check` locations, `diff --json`, and sides whose
//! frontmatter formats differ.

use crate::common::{code, edit, stderr, stdout, Repo};

const TOML_BASE: &str = "+++\ntitle = \"Post\"\ndate = 2025-01-10T09:00:00Z\nlastmod = 2025-01-10T09:00:00Z\ndraft = true\ntags = [\"a\", \"b\"]\n\n[extra]\nimage = \"i.png\"\n+++\n\nBody.\n";

#[test]
fn a_toml_merge_conflict_is_resolved_key_by_key() {
    let repo = Repo::new();
    let main = edit(
        TOML_BASE,
        &[
            ("title = \"Post\"", "title = \"Post (main)\""),
            (
                "lastmod = 2025-01-10T09:00:00Z",
                "lastmod = 2025-02-01T00:00:00Z",
            ),
            ("tags = [\"a\", \"b\"]", "tags = [\"a\", \"b\", \"m\"]"),
        ],
    );
    let topic = edit(
        TOML_BASE,
        &[
            ("title = \"Post\"", "title = \"Post (topic)\""),
            (
                "lastmod = 2025-01-10T09:00:00Z",
                "lastmod = 2025-03-01T00:00:00Z",
            ),
            ("draft = true", "draft = false"),
            ("tags = [\"a\", \"b\"]", "tags = [\"a\", \"b\", \"t\"]"),
        ],
    );
    repo.branches("post.md", TOML_BASE, &main, &topic);
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(!merged.status.success(), "git merge must conflict");
    let o = repo
        .frontmerge()
        .args(["resolve", "--prefer", "upstream", "post.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        edit(
            TOML_BASE,
            &[
                ("title = \"Post\"", "title = \"Post (main)\""),
                (
                    "lastmod = 2025-01-10T09:00:00Z",
                    "lastmod = 2025-03-01T00:00:00Z"
                ),
                ("draft = true", "draft = false"),
                (
                    "tags = [\"a\", \"b\"]",
                    "tags = [\"a\", \"b\", \"m\", \"t\"]"
                ),
            ]
        )
    );
    let err = stderr(&o);
    assert!(err.contains("lastmod ← theirs (rule: newest"), "{err}");
    assert_eq!(repo.git(&["ls-files", "-u"]), "");
}

#[test]
fn the_merge_driver_merges_toml_and_leaves_markers_around_one_key() {
    let repo = Repo::new();
    let main = edit(
        TOML_BASE,
        &[("title = \"Post\"", "title = \"Post (main)\"")],
    );
    let topic = edit(
        TOML_BASE,
        &[
            ("title = \"Post\"", "title = \"Post (topic)\""),
            ("image = \"i.png\"", "image = \"t.png\""),
        ],
    );
    repo.branches("post.md", TOML_BASE, &main, &topic);
    let o = repo
        .frontmerge()
        .args(["install", "--merge-driver"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    repo.commit_all("attributes");
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(!merged.status.success(), "the title conflicts");
    let got = repo.read_string("post.md");
    // Markers around just `title`; the [extra] table only topic changed is merged.
    assert!(
        got.starts_with("+++\n<<<<<<< ")
            && got.contains("title = \"Post (main)\"\n=======\ntitle = \"Post (topic)\"\n>>>>>>> ")
            && got.contains("[extra]\nimage = \"t.png\"\n+++\n"),
        "{got}"
    );
    assert_eq!(got.matches("<<<<<<<").count(), 1, "{got}");
}

#[test]
fn a_json_stash_pop_is_resolved_with_commas_where_members_land() {
    let repo = Repo::new();
    let base = "{\n  \"title\": \"Post\",\n  \"draft\": true\n}\n\nBody.\n";
    // Upstream adds a key at the end; the stash changes the title.
    let upstream = "{\n  \"title\": \"Post\",\n  \"draft\": true,\n  \"weight\": 3\n}\n\nBody.\n";
    let stashed = "{\n  \"title\": \"Post, stashed\",\n  \"draft\": true\n}\n\nBody edited.\n";
    repo.stash_pop_conflict("post.md", base, upstream, stashed, "merge");
    let o = repo
        .frontmerge()
        .args(["resolve", "--prefer", "stashed", "post.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = repo.read_string("post.md");
    assert_eq!(
        got,
        "{\n  \"title\": \"Post, stashed\",\n  \"draft\": true,\n  \"weight\": 3\n}\n\nBody edited.\n"
    );
    serde_json::from_str::<serde_json::Value>(&got[..got.find("}\n").unwrap() + 1]).unwrap();
}

#[test]
fn check_names_line_and_column_of_toml_and_json_faults() {
    let repo = Repo::new();
    repo.write("bad.md", "+++\ntitle = \"a\"\ndraft = tru\n+++\nx\n");
    repo.write("dup.md", "+++\ntitle = \"a\"\ntitle = \"b\"\n+++\nx\n");
    repo.write("open.md", "+++\ntitle = \"a\"\n");
    repo.write(
        "bad.json.md",
        "{\n  \"title\": \"a\",\n  \"draft\": tru\n}\nx\n",
    );
    repo.write("dup.json.md", "{\n  \"a\": 1,\n  \"a\": 2\n}\nx\n");
    repo.write("ok.md", "+++\ntitle = \"a\"\n[extra]\nx = 1\n+++\nx\n");
    // Keys twice inside tables, strings left open, BOM and CRLF, `{` never closed.
    repo.write(
        "inner-dup.md",
        "+++\n[extra]\nimage = 1\ntoc = true\nimage = 2\n+++\nx\n",
    );
    repo.write(
        "table-dup.md",
        "+++\n[extra]\na = 1\n[extra]\nb = 2\n+++\nx\n",
    );
    repo.write("string.md", "+++\ntitle = \"a\ndraft = true\n+++\nx\n");
    repo.write(
        "bom-crlf.md",
        "\u{feff}+++\r\ntitle = \"a\"\r\ndraft = tru\r\n+++\r\nx\r\n",
    );
    repo.write(
        "open.json.md",
        "{\n  \"title\": \"a\",\n  \"draft\": true\n",
    );
    repo.write(
        "inner-dup.json.md",
        "{\n  \"title\": \"a\",\n  \"extra\": {\"x\": 1, \"x\": 2}\n}\nx\n",
    );
    repo.commit_all("files");
    let o = repo.frontmerge().args(["check"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    for want in [
        "bad.md:3:9: error: frontmatter is not valid TOML",
        "invalid-toml",
        "dup.md:3:1: error: duplicate frontmatter key `title` (first at line 2)",
        "open.md:1:1: error: frontmatter opened with `+++` is never closed",
        "bad.json.md:3:15: error: frontmatter is not valid JSON",
        "invalid-json",
        "dup.json.md:3:1: error: duplicate frontmatter key `a` (first at line 2)",
        "inner-dup.md:5:1: error: duplicate frontmatter key `extra.image` (first at line 3): keep one [duplicate-key]",
        "table-dup.md:4:1: error: duplicate frontmatter key `extra` (first at line 2)",
        "string.md:2:11: error: frontmatter is not valid TOML",
        "bom-crlf.md:3:9: error: frontmatter is not valid TOML",
        "open.json.md:1:1: error: frontmatter opened with `{` is never closed",
        "inner-dup.json.md:3:27: error: frontmatter is not valid JSON: duplicate entry with key \"x\"",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(!out.contains("ok.md"), "{out}");
    // A side that is no valid TOML: diff and resolve name path:line:col too.
    repo.stash_pop_conflict(
        "post.md",
        TOML_BASE,
        &edit(TOML_BASE, &[("title = \"Post\"", "title = \"Post")]),
        &edit(TOML_BASE, &[("title = \"Post\"", "title = \"Post 2\"")]),
        "merge",
    );
    let o = repo.run("", &["diff", "post.md"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("post.md:3:14: on upstream: frontmatter is not valid TOML"),
        "{}",
        stderr(&o)
    );
    let err = repo.run_exits(&["resolve", "--prefer", "stashed", "post.md"], 1);
    assert!(
        err.contains("post.md:3:14: on upstream: frontmatter is not valid TOML"),
        "{err}"
    );
}

/// `diff --json` of post.md after a stash pop from `base` of `upstream` and
/// `stashed`: the path of each value that differs, and how.
fn diff_json_keys(base: &str, upstream: &str, stashed: &str) -> Vec<(String, String)> {
    let repo = Repo::new();
    repo.stash_pop_conflict("post.md", base, upstream, stashed, "merge");
    let o = repo.run("", &["diff", "--json", "post.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let file = if v.is_array() { &v[0] } else { &v };
    file["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["key"].as_str().unwrap().to_owned(),
                k["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn diff_json_lists_toml_keys_and_inner_table_keys() {
    // Both sides change the title and `[extra]`'s image; only the stash
    // changes `draft`, which git's line merge takes: no row for it.
    let upstream = edit(
        TOML_BASE,
        &[
            ("title = \"Post\"", "title = \"Post (u)\""),
            ("image = \"i.png\"", "image = \"u.png\""),
        ],
    );
    let stashed = edit(
        TOML_BASE,
        &[
            ("title = \"Post\"", "title = \"Post (s)\""),
            ("image = \"i.png\"", "image = \"s.png\""),
            ("draft = true", "draft = false"),
        ],
    );
    let keys = diff_json_keys(TOML_BASE, &upstream, &stashed);
    assert_eq!(
        keys,
        [
            ("title".to_owned(), "changed".to_owned()),
            ("extra.image".to_owned(), "changed".to_owned()),
        ]
    );
    // JSON members: the values inside a nested object by dotted path, the
    // one both sides changed and the one only the stash changed (settled,
    // listed: git's conflict held the whole line).
    let base = "{\n  \"title\": \"Post\",\n  \"extra\": {\"seo\": {\"image\": \"i\", \"n\": 1}, \"toc\": true}\n}\n\nBody.\n";
    let keys = diff_json_keys(
        base,
        &edit(base, &[("\"i\"", "\"u\"")]),
        &edit(
            base,
            &[("\"i\"", "\"s\""), ("\"toc\": true", "\"toc\": false")],
        ),
    );
    assert_eq!(
        keys,
        [
            ("extra.seo.image".to_owned(), "changed".to_owned()),
            ("extra.toc".to_owned(), "changed".to_owned()),
        ]
    );
}

#[test]
fn sides_in_different_formats_are_decided_as_a_whole_frontmatter() {
    let repo = Repo::new();
    let yaml = "---\ntitle: Post\n---\n\nBody.\n";
    let toml = "+++\ntitle = \"Post\"\n+++\n\nBody.\n";
    let yaml_edit = "---\ntitle: Post (yaml)\n---\n\nBody.\n";
    repo.stash_pop_conflict("post.md", yaml, yaml_edit, toml, "merge");
    let o = repo
        .frontmerge()
        .args(["resolve", "--prefer", "stashed", "post.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the frontmatter formats differ (YAML on upstream, TOML on stashed, YAML on the base): the frontmatter is decided as a whole, as `(frontmatter)`, never mixed"),
        "{err}"
    );
    assert_eq!(repo.read_string("post.md"), toml);
}

const YAML_BASE: &str = "---\ntitle: Post\ndraft: true\n---\n\nBody.\n";

#[test]
fn one_side_without_frontmatter_is_a_whole_frontmatter_decision() {
    let repo = Repo::new();
    let upstream = "---\ntitle: Post (up)\ndraft: true\n---\n\nBody.\n";
    let stashed = "Body, no frontmatter.\n";
    repo.stash_pop_conflict("post.md", YAML_BASE, upstream, stashed, "merge");
    let note = "not every version has frontmatter (YAML on upstream, stashed has none, YAML on the base): the frontmatter is decided as a whole, as `(frontmatter)`, never mixed";
    // Asked as one part, never key by key.
    let err = repo.run_exits(&["resolve", "post.md"], 3);
    assert!(
        err.contains("post.md: needs a decision on (frontmatter)") && err.contains(note),
        "{err}"
    );
    let o = repo.run("", &["diff", "post.md"]);
    assert!(
        stdout(&o).contains("(frontmatter)  only upstream"),
        "{}",
        stdout(&o)
    );
    // --prefer: the chosen side's whole block (or none); the body three-way.
    let o = repo.run(
        "",
        &["resolve", "--prefer", "upstream", "--stdout", "post.md"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "---\ntitle: Post (up)\ndraft: true\n---\nBody, no frontmatter.\n"
    );
    let _ = repo.run_exits(&["resolve", "--prefer", "stashed", "post.md"], 0);
    assert_eq!(repo.read_string("post.md"), stashed);
}

#[test]
fn a_merge_with_toml_on_one_side_and_json_on_the_other_names_both() {
    let repo = Repo::new();
    let main = edit(
        TOML_BASE,
        &[("title = \"Post\"", "title = \"Post (main)\"")],
    );
    let topic = "{\n  \"title\": \"Post\",\n  \"draft\": true\n}\n\nBody.\n";
    repo.branches("post.md", TOML_BASE, &main, topic);
    assert!(!repo
        .git_output(&["merge", "topic", "-m", "merge"])
        .status
        .success());
    let err = repo.run_exits(&["resolve", "--prefer", "theirs", "post.md"], 0);
    assert!(
        err.contains(
            "the frontmatter formats differ (TOML on ours, JSON on theirs, TOML on the base)"
        ) && err.contains("(frontmatter) ← theirs (--prefer)"),
        "{err}"
    );
    assert_eq!(repo.read_string("post.md"), topic);
}

#[test]
fn the_merge_driver_with_one_side_without_frontmatter_is_never_worse_than_git() {
    let repo = Repo::new();
    let _ = repo.run_exits(&["install", "--merge-driver"], 0);
    repo.commit_all("attributes");
    // Topic drops the frontmatter; main edits only the body: git's line
    // merge is clean, and so is the driver's, with git's bytes.
    let base = "---\ntitle: Post\ndraft: true\n---\n\nBody.\n\nMore.\n";
    let main = edit(base, &[("More.", "More, from main.")]);
    let topic = "Body.\n\nMore.\n";
    repo.branches("clean.md", base, &main, topic);
    let merged = repo.git_with_bin(&["merge", "topic", "-m", "merge"]);
    assert!(
        merged.status.success(),
        "{}{}",
        stdout(&merged),
        stderr(&merged)
    );
    assert_eq!(repo.read_string("clean.md"), "Body.\n\nMore, from main.\n");
    // Main edits the title topic dropped: one conflict around the whole
    // blocks (main's, and none), never a block mixing the two; the blank
    // line topic dropped with its block is body, settled three-way.
    repo.git(&["checkout", "-q", "-b", "topic2", "main~1"]);
    repo.write("post.md", base);
    repo.commit_all("base 2");
    repo.write("post.md", topic);
    repo.commit_all("topic 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "topic2~1", "-m", "base 2"]);
    repo.write(
        "post.md",
        edit(base, &[("title: Post", "title: Post (main)")]),
    );
    repo.commit_all("main 2");
    let merged = repo.git_with_bin(&["merge", "topic2", "-m", "merge 2"]);
    assert!(!merged.status.success(), "the frontmatter conflicts");
    let got = repo.read_string("post.md");
    assert_eq!(
        got,
        "<<<<<<< HEAD\n---\ntitle: Post (main)\ndraft: true\n---\n=======\n>>>>>>> topic2\nBody.\n\nMore.\n",
        "{got}"
    );
    let err = stderr(&merged);
    assert!(
        err.contains(
            "post.md: not every version has frontmatter (YAML on ours, theirs has none, YAML on the base)"
        ),
        "{err}"
    );
}
