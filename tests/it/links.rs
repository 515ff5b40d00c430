//! The related-links section: never two sections or duplicated links, set
//! merge only while both sides still have the section, `--links` over the
//! base, each side's own bytes (repro 07-links.sh).

use std::process::{Output, Stdio};

use crate::common::{stderr, stdout, Repo};

const BASE: &str =
    "---\ntitle: A\n---\nBody text.\n\n## See also\n\n- [One](/one/)\n- [Two](/two/)\n";

fn run(repo: &Repo, args: &[&str]) -> Output {
    repo.frontmerge()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// `main` commits `main`, branch `topic` commits `topic`, then `git merge topic`
/// (which conflicts).
fn merged(base: &str, main: &str, topic: &str) -> Repo {
    let repo = Repo::new();
    repo.write("post.md", base);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("post.md", topic);
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("post.md", main);
    repo.commit_all("main");
    let o = repo.git_output(&["merge", "-q", "topic", "-m", "merge"]);
    assert!(!o.status.success(), "git alone conflicts");
    repo
}

fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

#[test]
fn repro_07_a_note_after_the_list_never_gives_two_sections() {
    let topic = BASE.replace("title: A", "title: T") + "\nThanks for reading!\n";
    let main = BASE.replace("title: A", "title: M") + "- [Three](/three/)\n";
    // Both appended at the end of the file: one text conflict, which
    // `--prefer upstream` settles with main's lines.
    let repo = merged(BASE, &main, &topic);
    // `diff` reads the section as `resolve` does: body text, no links part.
    let o = run(&repo, &["diff", "post.md"]);
    let shown = stdout(&o);
    assert!(shown.contains("body"), "{shown}");
    assert!(
        !shown
            .lines()
            .any(|l| l.trim_start().starts_with("links") && l.contains("upstream")),
        "{shown}"
    );
    let o = run(&repo, &["--prefer", "upstream"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = repo.read_string("post.md");
    assert_eq!(count(&out, "## See also"), 1, "{out}");
    for link in ["(/one/)", "(/two/)", "(/three/)"] {
        assert_eq!(count(&out, link), 1, "{link}: {out}");
    }
    assert_eq!(out, main);

    // Without --prefer, the section is a decision; the file stays as git left it.
    let repo = merged(BASE, &main, &topic);
    let before = repo.read_string("post.md");
    let o = run(&repo, &[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_eq!(repo.read_string("post.md"), before);
}

#[test]
fn an_intro_line_under_the_heading_merges_as_text_with_a_new_link() {
    let topic = BASE
        .replace("title: A", "title: T")
        .replace("## See also\n\n", "## See also\n\nFurther reading:\n\n");
    let main = BASE.replace("title: A", "title: M") + "- [Three](/three/)\n";
    let repo = merged(BASE, &main, &topic);
    let o = run(&repo, &["--prefer", "upstream"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = repo.read_string("post.md");
    assert_eq!(
        out,
        "---\ntitle: M\n---\nBody text.\n\n## See also\n\nFurther reading:\n\n- [One](/one/)\n- [Two](/two/)\n- [Three](/three/)\n"
    );
    // Git's line merge took the intro and the new link (they do not
    // touch): only the title was left to decide, no note about the links.
    assert!(
        stderr(&o).contains(
            "post.md: resolved (1 from ours, 0 from theirs, 0 merged)\n  title ← ours (--prefer)\n  marked resolved"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explicit_links_wins_over_the_bases_set_merge_and_the_summary_says_so() {
    let topic = BASE.replace("title: A", "title: T") + "- [Four](/four/)\n";
    let main = BASE.replace("title: A", "title: M") + "- [Three](/three/)\n";

    let repo = merged(BASE, &main, &topic);
    let o = run(&repo, &["--prefer", "upstream"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        main.clone() + "- [Four](/four/)\n",
        "the base merges the links as a set"
    );
    assert!(
        stderr(&o).contains("links ← 4 links (base: merged as a set"),
        "{}",
        stderr(&o)
    );

    let repo = merged(BASE, &main, &topic);
    let o = run(&repo, &["--prefer", "upstream", "--links", "stashed"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        main.replace("- [Three](/three/)\n", "- [Four](/four/)\n"),
        "--links stashed: exactly the stashed list"
    );
    assert!(
        stderr(&o).contains("links ← theirs (--links)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn list_markers_titles_and_heading_keep_the_bytes_of_the_side_that_changed_them() {
    // topic restyles the list and the heading, retitles One; main adds a
    // link, which keeps main's bytes (its bullet): the new list style is
    // topic's change to its own items, not to main's.
    let topic = BASE
        .replace("title: A", "title: T")
        .replace("## See also", "## See Also")
        .replace("- [One](/one/)", "* [One, retitled](/one/)")
        .replace("- [Two]", "* [Two]");
    let main = BASE.replace("title: A", "title: M") + "- [Three](/three/)\n";
    let repo = merged(BASE, &main, &topic);
    let o = run(&repo, &["--prefer", "upstream"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        repo.read_string("post.md"),
        "---\ntitle: M\n---\nBody text.\n\n## See Also\n\n* [One, retitled](/one/)\n* [Two](/two/)\n- [Three](/three/)\n"
    );
}

/// An article with a BOM and nothing but its links section (no frontmatter,
/// an empty body): preferring a side gives exactly that side. The newline
/// that starts a part after a line without one was put after the BOM too.
#[test]
fn a_links_section_right_after_the_bom_stays_there() {
    let repo = Repo::new();
    let text = "\u{feff}## Related\n\n<<<<<<< Updated upstream\n- [A](/a/)\n=======\n- [B](/b/)\n>>>>>>> Stashed changes\n";
    repo.write("post.md", text);
    let out = repo.run_stdout(&["--prefer", "stashed", "--stdout", "post.md"], 0);
    assert_eq!(out, "\u{feff}## Related\n\n- [B](/b/)\n");
}
