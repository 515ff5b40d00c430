//! Field rules and derived fields on keys inside TOML tables and JSON
//! objects, end to end with real git and the built binary: `[extra]` and
//! `[taxonomies]` of a Zola article in a `git merge` (resolve and the merge
//! driver), `--sync-derived` in a TOML table, a nested JSON object after a
//! stash pop, and a set merge that would re-lay a multi-line array (asked).

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
    // Without a rule on `extra.updated`, [extra] is a decision.
    let _ = repo.run_exits(
        &[
            "resolve",
            "--rule",
            "extra.updated=ask",
            "--stdout",
            "post.md",
        ],
        3,
    );
    let err = repo.run_exits(&["resolve", "post.md"], 0);
    assert_eq!(repo.read_string("post.md"), zola_merged());
    for want in [
        "extra.updated newest from .frontmerge.toml, 2025-03-01T10:00:00+02:00 > 2025-02-01T00:00:00Z",
        "extra.image base: only theirs changed it",
        "taxonomies.tags union (`taxonomies.*`) from defaults, merged as a set",
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
fn a_set_merge_inside_a_multi_line_toml_array_is_asked_with_the_reason() {
    let base = "+++\ntitle = \"Post\"\n\n[taxonomies]\ntags = [\n  \"rust\", # the language\n  \"git\",\n]\n+++\n\nBody.\n";
    let main = edit(base, &[("  \"git\",\n", "  \"git\",\n  \"main\",\n")]);
    let topic = edit(base, &[("  \"git\",\n", "  \"git\",\n  \"topic\",\n")]);
    let repo = Repo::new();
    repo.branches("post.md", base, &main, &topic);
    assert!(!repo
        .git_output(&["merge", "topic", "-m", "merge"])
        .status
        .success());
    let err = repo.run_exits(&["resolve", "post.md"], 3);
    assert!(
        err.contains("`taxonomies.tags`: merging inside a multi-line TOML array would rewrite its layout; falling back to `ask`"),
        "{err}"
    );
    // --prefer takes one side's table whole, as written.
    let _ = repo.run_exits(&["resolve", "--prefer", "theirs", "post.md"], 0);
    assert_eq!(repo.read_string("post.md"), topic);
}

#[test]
fn sync_derived_updates_a_mirror_inside_a_toml_table() {
    let base =
        "+++\ntitle = \"Old\"\n[extra]\nog_title = 'Old' # social cards\nn = 1\n+++\n\nBody.\n";
    let upstream = edit(base, &[("n = 1", "n = 2")]);
    let stashed = edit(
        base,
        &[
            ("title = \"Old\"", "title = \"New\""),
            ("og_title = 'Old'", "og_title = 'New'"),
        ],
    );
    let repo = Repo::new();
    repo.stash_pop_conflict("post.md", base, &upstream, &stashed, "diff3");
    // [extra] from upstream, the title from the stash: og_title no longer
    // mirrors it, and only its bytes are updated.
    let err = repo.run_exits(
        &["resolve", "--prefer", "upstream", "--stdout", "post.md"],
        0,
    );
    assert!(
        err.contains("extra.og_title no longer matches title (\"Old\" ≠ \"New\")"),
        "{err}"
    );
    let _ = repo.run_exits(
        &[
            "resolve",
            "--prefer",
            "upstream",
            "--sync-derived",
            "post.md",
        ],
        0,
    );
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
