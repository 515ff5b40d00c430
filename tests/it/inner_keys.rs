//! Field rules and derived fields on keys inside TOML tables and JSON
//! objects, end to end with real git and the built binary: `[extra]` and
//! `[taxonomies]` of a Zola article in a `git merge` (resolve and the merge
//! driver), `--sync-derived` in a TOML table, a nested JSON object after a
//! stash pop, and a set merge inside a multi-line array (in its layout).

use crate::common::{edit, stderr, stdout, Repo};

/// A Zola article: TOML between `+++`, `[taxonomies]` and `[extra]`.
const ZOLA: &str = "+++\ntitle = \"Post\"\ndate = 2025-01-10\ndraft = false\naliases = [\"/old/\"]\n\n[taxonomies]\ntags = [\"rust\", \"git\"]\ncategories = [\"dev\"]\n\n[extra]\nupdated = 2025-01-10T09:00:00Z\nimage = \"i.png\" # hero\ntoc = true\n+++\n\nBody.\n";

/// Main bumps `extra.updated` and adds a tag; topic bumps it later (a
/// datetime with an offset), changes the image and adds another tag.
fn zola_sides() -> (String, String) {
    let main = edit(
        ZOLA,
        &[
            (
                "tags = [\"rust\", \"git\"]",
                "tags = [\"rust\", \"git\", \"main\"]",
            ),
            (
                "updated = 2025-01-10T09:00:00Z",
                "updated = 2025-02-01T00:00:00Z",
            ),
        ],
    );
    let topic = edit(
        ZOLA,
        &[
            (
                "tags = [\"rust\", \"git\"]",
                "tags = ['topic', \"rust\", \"git\"]",
            ),
            (
                "updated = 2025-01-10T09:00:00Z",
                "updated = 2025-03-01T10:00:00+02:00",
            ),
            ("image = \"i.png\"", "image = \"t.png\""),
        ],
    );
    (main, topic)
}

/// What both ways of merging must give: main's bytes, with topic's
/// `extra.updated` (newer) and image (only topic changed it), and the tags
/// merged as a set in main's list style.
fn zola_merged() -> String {
    edit(
        ZOLA,
        &[
            (
                "tags = [\"rust\", \"git\"]",
                "tags = [\"rust\", \"git\", \"main\", 'topic']",
            ),
            (
                "updated = 2025-01-10T09:00:00Z",
                "updated = 2025-03-01T10:00:00+02:00",
            ),
            ("image = \"i.png\"", "image = \"t.png\""),
        ],
    )
}

const EXTRA_RULE: &str = "[rules]\n\"extra.updated\" = \"newest\"\n";

#[test]
fn zola_extra_and_taxonomies_are_settled_by_inner_rules_in_a_merge() {
    let repo = Repo::new();
    repo.write(".frontmerge.toml", EXTRA_RULE);
    let (main, topic) = zola_sides();
    repo.branches("post.md", ZOLA, &main, &topic);
    let merged = repo.git_output(&["merge", "topic", "-m", "merge"]);
    assert!(!merged.status.success(), "git merge must conflict");
    // Without a rule on `extra.updated`, it is a decision (and only it).
    let err = repo.run_exits(
        &[
            "resolve",
            "--rule",
            "extra.updated=ask",
            "--stdout",
            "post.md",
        ],
        3,
    );
    assert!(
        err.contains("post.md: needs a decision on extra.updated (HEAD ↔ topic)"),
        "{err}"
    );
    let err = repo.run_exits(&["resolve", "post.md"], 0);
    assert_eq!(repo.read_string("post.md"), zola_merged());
    for want in [
        "  extra.updated ← theirs (rule: newest from .frontmerge.toml, 2025-03-01T10:00:00+02:00 > 2025-02-01T00:00:00Z)\n",
        "  extra.image ← theirs (base: only theirs changed it)\n",
        "  taxonomies.tags ← merged (rule: union (`taxonomies.*`) from defaults, merged as a set (+1 from ours, +1 from theirs))\n",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(repo.unmerged(), "");
}

#[test]
fn the_merge_driver_settles_inner_keys_of_toml_tables() {
    let repo = Repo::new();
    repo.write(".frontmerge.toml", EXTRA_RULE);
    let _ = repo.run_exits(&["install", "--merge-driver"], 0);
    let (main, topic) = zola_sides();
    repo.branches("post.md", ZOLA, &main, &topic);
    let merged = repo.git_with_bin(&["merge", "topic", "-m", "merge"]);
    assert!(
        merged.status.success(),
        "{}{}",
        stdout(&merged),
        stderr(&merged)
    );
    assert_eq!(repo.read_string("post.md"), zola_merged());
}

#[test]
fn a_set_merge_inside_a_multi_line_toml_array_keeps_its_layout() {
    let base = "+++\ntitle = \"Post\"\n\n[taxonomies]\ntags = [\n  \"rust\", # the language\n  \"git\",\n]\n+++\n\nBody.\n";
    let main = edit(base, &[("  \"git\",\n", "  \"git\",\n  \"main\",\n")]);
    let topic = edit(base, &[("  \"git\",\n", "  \"git\",\n  \"topic\",\n")]);
    // Both items, one a line, in the array's own layout (its comment kept).
    let merged = edit(
        base,
        &[("  \"git\",\n", "  \"git\",\n  \"main\",\n  \"topic\",\n")],
    );
    let repo = Repo::new();
    repo.branches("post.md", base, &main, &topic);
    assert!(!repo
        .git_output(&["merge", "topic", "-m", "merge"])
        .status
        .success());
    let conflicted = repo.read_string("post.md");
    let out = repo.run("", &["resolve", "--stdout", "post.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), merged);
    assert!(
        stderr(&out).contains("  taxonomies.tags ← merged (rule: union (`taxonomies.*`) from defaults, merged as a set (+1 from ours, +1 from theirs))\n"),
        "{}",
        stderr(&out)
    );
    // The rule decides before --prefer does.
    let o = repo.run(
        "",
        &["resolve", "--prefer", "theirs", "--stdout", "post.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), merged);
    assert_eq!(
        repo.read_string("post.md"),
        conflicted,
        "--stdout writes no file"
    );
    // With the rule off, the array merges item by item: both sides
    // inserted an item at the same place, asked; --prefer keeps both (each
    // a change of one side only), the preferred side's first.
    let err = repo.run_exits(&["resolve", "--rule", "taxonomies.tags=ask", "post.md"], 3);
    assert!(
        err.contains("post.md: needs a decision on taxonomies.tags[2] (HEAD ↔ topic)"),
        "{err}"
    );
    let err = repo.run_exits(
        &[
            "resolve",
            "--rule",
            "taxonomies.tags=ask",
            "--prefer",
            "theirs",
            "post.md",
        ],
        0,
    );
    assert!(
        err.contains("taxonomies.tags[2] ← both, theirs first (--prefer)"),
        "{err}"
    );
    assert_eq!(
        repo.read_string("post.md"),
        edit(
            base,
            &[("  \"git\",\n", "  \"git\",\n  \"topic\",\n  \"main\",\n")]
        )
    );
}

#[test]
fn sync_derived_updates_a_mirror_inside_a_toml_table() {
    let base =
        "+++\ntitle = \"Old\"\n[extra]\nog_title = 'Old' # social cards\nn = 1\n+++\n\nBody.\n";
    // Both sides rename the article and its social card alike; upstream
    // also changes `n`.
    let upstream = edit(
        base,
        &[
            ("title = \"Old\"", "title = \"Up\""),
            ("og_title = 'Old'", "og_title = 'Up'"),
            ("n = 1", "n = 2"),
        ],
    );
    let stashed = edit(
        base,
        &[
            ("title = \"Old\"", "title = \"New\""),
            ("og_title = 'Old'", "og_title = 'New'"),
        ],
    );
    let repo = Repo::new();
    repo.stash_pop_conflict("post.md", base, &upstream, &stashed, "diff3");
    // The title from the stash (a rule), `extra.og_title` from upstream:
    // it no longer mirrors the title, and only its bytes are updated.
    let args = ["resolve", "--rule", "title=stashed", "--prefer", "upstream"];
    let err = repo.run_exits(&[&args[..], &["--stdout", "post.md"]].concat(), 0);
    assert!(
        err.contains("extra.og_title no longer matches title (\"Up\" ≠ \"New\")"),
        "{err}"
    );
    let _ = repo.run_exits(&[&args[..], &["--sync-derived", "post.md"]].concat(), 0);
    assert_eq!(
        repo.read_string("post.md"),
        "+++\ntitle = \"New\"\n[extra]\nog_title = 'New' # social cards\nn = 2\n+++\n\nBody.\n"
    );
}

#[test]
fn rules_reach_into_a_nested_json_object_after_a_stash_pop() {
    let base = "{\n  \"title\": \"Post\",\n  \"extra\": {\n    \"updated\": \"2025-01-10\",\n    \"seo\": {\"image\": \"i.png\", \"n\": 1}\n  }\n}\n\nBody.\n";
    let upstream = edit(
        base,
        &[
            ("\"updated\": \"2025-01-10\"", "\"updated\": \"2025-02-01\""),
            ("\"n\": 1", "\"n\": 2"),
        ],
    );
    let stashed = edit(
        base,
        &[
            ("\"updated\": \"2025-01-10\"", "\"updated\": \"2025-03-01\""),
            ("\"image\": \"i.png\"", "\"image\": \"s.png\""),
        ],
    );
    let repo = Repo::new();
    let pop = repo.stash_pop_conflict("post.md", base, &upstream, &stashed, "diff3");
    assert!(!pop.status.success());
    let _ = repo.run_exits(&["resolve", "--rule", "extra.updated=newest", "post.md"], 0);
    assert_eq!(
        repo.read_string("post.md"),
        edit(
            base,
            &[
                ("\"updated\": \"2025-01-10\"", "\"updated\": \"2025-03-01\""),
                ("\"image\": \"i.png\"", "\"image\": \"s.png\""),
                ("\"n\": 1", "\"n\": 2"),
            ]
        )
    );
}

/// One side changed only how a nested table is written (a comment above a
/// key or on it, quoting, key order, spacing), the other a value in it: git
/// conflicts (adjacent lines), and both changes are kept, with or without
/// `--prefer` and in the merge driver. The engine used to take the side
/// that changed the data, whole, and drop the other's edit (found by a
/// data-integrity trial; at the top level both were already kept).
#[test]
fn a_layout_edit_inside_a_table_survives_the_other_side_s_value_edit() {
    // (name, base, ours, theirs, the result)
    let cases = [
        (
            "yaml comment",
            "---\ntitle: T\nseo:\n  title: S\n  # keep under 60 chars\n  desc: D\n---\nBody\n",
            "---\ntitle: T\nseo:\n  title: S\n  # keep under 70 chars\n  desc: D\n---\nBody\n",
            "---\ntitle: T\nseo:\n  title: S\n  # keep under 60 chars\n  desc: D2\n---\nBody\n",
            "---\ntitle: T\nseo:\n  title: S\n  # keep under 70 chars\n  desc: D2\n---\nBody\n",
        ),
        (
            "yaml quoting",
            "---\ntitle: T\nseo:\n  title: S\n  desc: D\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: \"S\"\n  desc: D\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: S\n  desc: D2\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: \"S\"\n  desc: D2\n---\nB\n",
        ),
        (
            "yaml comment on the line",
            "---\ntitle: T\nseo:\n  title: S # short\n  desc: D\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: S # shorter\n  desc: D\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: S # short\n  desc: D2\n---\nB\n",
            "---\ntitle: T\nseo:\n  title: S # shorter\n  desc: D2\n---\nB\n",
        ),
        (
            "yaml key order",
            "---\ntitle: T\nseo:\n  a: 1\n  b: 2\n  c: 3\n---\nB\n",
            "---\ntitle: T\nseo:\n  c: 3\n  a: 1\n  b: 2\n---\nB\n",
            "---\ntitle: T\nseo:\n  a: 1\n  b: 2\n  c: 30\n---\nB\n",
            "---\ntitle: T\nseo:\n  c: 30\n  a: 1\n  b: 2\n---\nB\n",
        ),
        (
            "toml section comment",
            "+++\ntitle = \"T\"\n[extra]\n# note\na = 1\nb = 2\n+++\nB\n",
            "+++\ntitle = \"T\"\n[extra]\n# note edited\na = 1\nb = 2\n+++\nB\n",
            "+++\ntitle = \"T\"\n[extra]\n# note\na = 10\nb = 2\n+++\nB\n",
            "+++\ntitle = \"T\"\n[extra]\n# note edited\na = 10\nb = 2\n+++\nB\n",
        ),
        (
            "toml array of tables",
            "+++\ntitle = \"T\"\n[[authors]]\n# first\nname = \"a\"\nrole = \"x\"\n+++\nB\n",
            "+++\ntitle = \"T\"\n[[authors]]\n# first author\nname = \"a\"\nrole = \"x\"\n+++\nB\n",
            "+++\ntitle = \"T\"\n[[authors]]\n# first\nname = \"b\"\nrole = \"x\"\n+++\nB\n",
            "+++\ntitle = \"T\"\n[[authors]]\n# first author\nname = \"b\"\nrole = \"x\"\n+++\nB\n",
        ),
        (
            "json spacing",
            "{\n  \"title\": \"T\",\n  \"seo\": {\n    \"a\": 1,\n    \"b\": 2\n  }\n}\nB\n",
            "{\n  \"title\": \"T\",\n  \"seo\": {\n    \"a\":   1,\n    \"b\": 2\n  }\n}\nB\n",
            "{\n  \"title\": \"T\",\n  \"seo\": {\n    \"a\": 1,\n    \"b\": 3\n  }\n}\nB\n",
            "{\n  \"title\": \"T\",\n  \"seo\": {\n    \"a\":   1,\n    \"b\": 3\n  }\n}\nB\n",
        ),
    ];
    for (name, base, ours, theirs, want) in cases {
        let r = Repo::new();
        r.branches("post.md", base, ours, theirs);
        let merged = r.git_output(&["merge", "topic"]);
        assert!(!merged.status.success(), "{name}: git conflicts");
        for args in [
            &[][..],
            &["--prefer", "theirs"][..],
            &["--prefer", "ours"][..],
        ] {
            let mut all = args.to_vec();
            all.extend(["--stdout", "post.md"]);
            let o = r.run("", &all);
            assert_eq!(o.status.code(), Some(0), "{name} {args:?}: {}", stderr(&o));
            assert_eq!(stdout(&o), want, "{name} {args:?}: {}", stderr(&o));
        }
        // The merge driver, the same.
        r.git(&["merge", "--abort"]);
        let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = r.git_with_bin(&["merge", "topic", "-m", "merge"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(r.read_string("post.md"), want, "{name}: the driver");
    }
}
