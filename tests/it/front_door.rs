//! What a newcomer meets at the front door (issue 23): a mistyped subcommand,
//! output cut by a closed pipe, the side names of hints, the install of the
//! merge driver and hooks for the git found, and hints that work as written.

use std::io::Read;
use std::process::Stdio;

use crate::common::*;

const BASE: &str = "---\ntitle: Base\n---\nbody\n";

/// A repository with `post.md` conflicted by `git merge topic`.
fn merge_conflict() -> Repo {
    let r = Repo::new();
    r.branches(
        "post.md",
        BASE,
        &edit(BASE, &[("Base", "Ours")]),
        &edit(BASE, &[("Base", "Theirs")]),
    );
    let o = r.git_output(&["merge", "topic"]);
    assert!(!o.status.success(), "the merge conflicts");
    r
}

#[test]
fn a_missing_path_one_edit_from_a_subcommand_is_a_usage_error_naming_it() {
    let r = merge_conflict();
    for (typed, meant) in [("dif", "diff"), ("chek", "check"), ("resolv", "resolve")] {
        let o = r.git_with_bin(&["frontmerge", typed]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{typed}: {err}");
        assert!(
            err.contains(&format!("'{meant}'")) && !err.contains("No such file"),
            "{typed}: {err}"
        );
    }
    // Nothing was resolved meanwhile.
    assert!(!r.unmerged().is_empty());
    // A file of that name is a path, as before.
    r.write("dif", "not an article\n");
    let o = r.git_with_bin(&["frontmerge", "dif"]);
    assert!(!stderr(&o).contains("'diff'"), "{}", stderr(&o));
    // Far from every subcommand: a missing file, exit 1 as for any path.
    let o = r.git_with_bin(&["frontmerge", "nothing-here.md"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
}

/// Runs frontmerge in `r` with its standard output a pipe whose reader is
/// already gone (`... | head -0`), and returns (exit code, stderr).
fn into_a_closed_pipe(r: &Repo, args: &[&str]) -> (i32, String) {
    let mut child = r
        .frontmerge()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), err)
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let r = merge_conflict();
    for args in [
        &["diff", "--json"][..],
        &["diff"],
        &["check", "--json"],
        &["replay", "--json"],
        &["learn", "--json"],
    ] {
        let (code, err) = into_a_closed_pipe(&r, args);
        assert!(
            !err.to_lowercase().contains("broken pipe") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        // check finds the markers (1); the others did what was asked.
        let want = if args[0] == "check" { 1 } else { 0 };
        assert_eq!(code, want, "{args:?}: {err}");
    }
}

#[test]
fn every_description_names_yaml_toml_and_json() {
    let formats = "YAML, TOML or JSON frontmatter";
    let help = bin().arg("-h").output().unwrap();
    assert!(stdout(&help).contains(formats), "{}", stdout(&help));
    let man = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["install", "--man"])
        .arg(man.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = std::fs::read_to_string(man.path().join("git-frontmerge.1")).unwrap();
    // roff escapes nothing in these words; a line may break between them.
    let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(page.contains(formats), "{page}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["Cargo.toml", "README.md"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(formats), "{file}");
    }
}

#[test]
fn hints_name_the_sides_as_the_operation_does() {
    // A merge: ours and theirs, in every line said.
    let r = merge_conflict();
    let err = r.run_exits(&[], 3);
    assert!(err.contains("--prefer ours|theirs|newest"), "{err}");
    assert!(
        !err.contains("upstream") && !err.contains("stashed"),
        "{err}"
    );
    // A stash pop: upstream and stashed, as git labels them.
    let r = Repo::new();
    let o = r.stash_pop_conflict(
        "post.md",
        BASE,
        &edit(BASE, &[("Base", "Upstream")]),
        &edit(BASE, &[("Base", "Stashed")]),
        "merge",
    );
    assert!(!o.status.success());
    let err = r.run_exits(&[], 3);
    assert!(err.contains("--prefer upstream|stashed|newest"), "{err}");
    assert!(!err.contains("ours") && !err.contains("theirs"), "{err}");
}

#[test]
fn astros_updated_date_bumped_on_both_sides_settles_to_the_newest() {
    let base = "---\ntitle: Post\npubDate: 2025-01-01\nupdatedDate: 2025-02-01\n---\nbody\n";
    let r = Repo::new();
    r.branches(
        "src/content/blog/post.md",
        base,
        &edit(
            base,
            &[("2025-02-01", "2025-03-05"), ("body", "body, ours")],
        ),
        &edit(base, &[("2025-02-01", "2025-03-09")]),
    );
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    // Without a terminal and without --prefer: nothing is asked, nothing waits.
    let err = r.run_exits(&[], 0);
    let out = r.read_string("src/content/blog/post.md");
    assert!(out.contains("updatedDate: 2025-03-09\n"), "{out}\n{err}");
    assert!(out.contains("body, ours"), "{out}");
    assert!(r.unmerged().is_empty());
}

#[test]
fn astros_blog_template_dates_settle_to_the_newest_too() {
    // Astro's blog template writes dates as JavaScript reads them.
    let base =
        "---\ntitle: 'First post'\npubDate: 'Jul 08 2022'\nupdatedDate: 'Jul 10 2022'\n---\nbody\n";
    let r = Repo::new();
    r.branches(
        "src/content/blog/first-post.md",
        base,
        &edit(base, &[("Jul 10 2022", "Jul 15 2022")]),
        &edit(
            base,
            &[("Jul 10 2022", "Jul 12 2022"), ("body", "body, theirs")],
        ),
    );
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    let err = r.run_exits(&[], 0);
    let out = r.read_string("src/content/blog/first-post.md");
    assert!(out.contains("updatedDate: 'Jul 15 2022'\n"), "{out}\n{err}");
    assert!(out.contains("body, theirs"), "{out}");
    assert!(!err.contains("not a date"), "{err}");
    assert!(r.unmerged().is_empty());
}

#[test]
fn jekylls_last_modified_at_decides_prefer_newest() {
    let base = "---\ntitle: Post\ndate: 2025-01-01\nlast_modified_at: 2025-02-01\n---\nbody\n";
    let r = Repo::new();
    r.branches(
        "_posts/post.md",
        base,
        &edit(base, &[("Post", "Ours"), ("2025-02-01", "2025-03-09")]),
        &edit(base, &[("Post", "Theirs"), ("2025-02-01", "2025-03-05")]),
    );
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    let err = r.run_exits(&["--prefer", "newest"], 0);
    let out = r.read_string("_posts/post.md");
    assert!(
        out.contains("title: Ours\n") && out.contains("last_modified_at: 2025-03-09\n"),
        "{out}\n{err}"
    );
}

#[test]
fn the_help_lists_the_modification_date_keys() {
    let help = stdout(&bin().args(["resolve", "--help"]).output().unwrap());
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for key in [
        "lastmod",
        "updated",
        "updatedDate",
        "last_modified_at",
        "ms.date",
    ] {
        assert!(help.contains(&format!(" {key},")), "{key}: {help}");
    }
}

/// A folder holding a `git` that says it is `version` and otherwise runs
/// the real git: what `install` finds on a machine with an older git.
fn git_saying(version: &str) -> tempfile::TempDir {
    let real = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("git"))
        .find(|g| g.is_file())
        .expect("git on PATH");
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'git version {version}'; exit 0; fi\nexec '{}' \"$@\"\n",
        real.display()
    );
    let path = dir.path().join("git");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// PATH with `first` in front of the built binary's folder and the rest.
fn path_with(first: &std::path::Path, rest: std::ffi::OsString) -> std::ffi::OsString {
    let mut dirs = vec![first.to_path_buf()];
    dirs.extend(std::env::split_paths(&rest));
    std::env::join_paths(dirs).unwrap()
}

/// PATH without the built binary (an IDE, a GUI client, CI).
fn path_without_bin() -> std::ffi::OsString {
    let dirs: Vec<_> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("git-frontmerge").exists())
        .filter(|d| Some(d.as_path()) != binary().parent())
        .collect();
    std::env::join_paths(dirs).unwrap()
}

/// `git ARGS` in `r` with PATH set to `path`.
fn git_on(r: &Repo, path: &std::ffi::OsString, args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new("git");
    isolate(&mut c);
    c.env("PATH", path)
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(r.path())
        .output()
        .unwrap()
}

#[test]
fn the_driver_line_works_with_the_git_it_finds() {
    // A git with the label placeholders (2.44 or later): they are used.
    let r = merge_conflict();
    r.git(&["merge", "--abort"]);
    let o = r.git_with_bin(&["frontmerge", "install", "--merge-driver"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line = r.git(&["config", "merge.frontmerge.driver"]);
    assert!(line.contains("-L %X -L %S -L %Y"), "{line}");

    // An older git leaves %X as it is: the line does without, and says so.
    let r = merge_conflict();
    r.git(&["merge", "--abort"]);
    let old = git_saying("2.43.0");
    // Run directly: `git frontmerge` would put git's own exec-path first.
    let o = r
        .frontmerge()
        .env("PATH", path_with(old.path(), path_with_bin()))
        .args(["install", "--merge-driver"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("2.44"), "{}", stderr(&o));
    let line = r.git(&["config", "merge.frontmerge.driver"]);
    assert!(
        !line.contains("%X") && !line.contains("%S") && !line.contains("%Y"),
        "{line}"
    );
    // Where the binary cannot run, git's own merge writes the markers, with
    // labels a person can read.
    let o = git_on(
        &r,
        &path_with(old.path(), path_without_bin()),
        &["merge", "topic"],
    );
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("could not run"), "{}", stderr(&o));
    let text = r.read_string("post.md");
    assert!(
        text.contains("<<<<<<< ours\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> theirs\n"),
        "{text}"
    );
    // With the binary, the driver merges and labels the sides the same way.
    r.git(&["merge", "--abort"]);
    let o = git_on(
        &r,
        &path_with(old.path(), path_with_bin()),
        &["merge", "topic"],
    );
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("could not run"), "{}", stderr(&o));
    let text = r.read_string("post.md");
    assert!(!text.contains('%'), "{text}");
    assert!(text.contains("<<<<<<< ours\n"), "{text}");
}

#[test]
fn the_hook_stops_a_clean_merge_with_broken_frontmatter_before_it_is_committed() {
    // Both sides add `weight` at different lines: git's line merge is clean,
    // and its result has the key twice (repro 19).
    let base = "---\ntitle: T\ndate: 2025-01-01\ntags: [a]\n---\nbody\n";
    let r = Repo::new();
    r.branches(
        "post.md",
        base,
        &edit(base, &[("title: T\n", "title: T\nweight: 1\n")]),
        &edit(base, &[("tags: [a]\n", "tags: [a]\nweight: 2\n")]),
    );
    let o = r.git_with_bin(&["frontmerge", "install", "--hook"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let hooks = std::path::PathBuf::from(r.git(&["rev-parse", "--git-path", "hooks"]).trim());
    assert!(r.path().join(&hooks).join("pre-merge-commit").is_file());
    let before = r.git(&["rev-parse", "HEAD"]);
    let o = r.git_with_bin(&["merge", "--no-edit", "topic"]);
    assert!(
        !o.status.success(),
        "the merge must be stopped: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("duplicate frontmatter key `weight`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(r.git(&["rev-parse", "HEAD"]), before, "nothing committed");
    // Installing again changes nothing.
    let o = r.git_with_bin(&["frontmerge", "install", "--hook"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}

/// Repro 28: `in/a.md` and `out/b.md` conflicted by `git merge topic` in a
/// sparse checkout whose cone holds `in/` only.
fn sparse_merge() -> Repo {
    let r = Repo::new();
    let art = |t: &str| format!("---\ntitle: {t}\n---\nbody\n");
    for f in ["in/a.md", "out/b.md"] {
        r.write(f, art("Base"));
    }
    r.commit_all("base");
    r.git(&["checkout", "-q", "-b", "topic"]);
    for f in ["in/a.md", "out/b.md"] {
        r.write(f, art("Theirs"));
    }
    r.commit_all("topic");
    r.git(&["checkout", "-q", "main"]);
    for f in ["in/a.md", "out/b.md"] {
        r.write(f, art("Ours"));
    }
    r.commit_all("ours");
    r.git(&["sparse-checkout", "set", "--cone", "in"]);
    assert!(!r.git_output(&["merge", "topic"]).status.success());
    assert!(r.unmerged().contains("out/b.md"));
    r
}

/// Runs every command a hint names on a line of its own (`    git ...`).
fn run_the_hints(r: &Repo, err: &str) {
    for line in err.lines().filter(|l| l.starts_with("    git ")) {
        let words: Vec<&str> = line.split_whitespace().skip(1).collect();
        let o = r.git_output(&words);
        assert!(o.status.success(), "`{line}` fails: {}", stderr(&o));
    }
}

#[test]
fn a_file_outside_a_sparse_cone_is_marked_resolved_or_named_with_a_command_that_works() {
    let r = sparse_merge();
    let o = r.run("", &["--prefer", "theirs"]);
    let err = stderr(&o);
    run_the_hints(&r, &err);
    assert!(r.unmerged().is_empty(), "{err}\n{}", r.unmerged());
    assert!(r.read_string("out/b.md").contains("title: Theirs"));

    // Written but left unmerged (--no-index): the next run never calls it
    // "no conflicts", and the command it names works.
    let r = sparse_merge();
    r.run_exits(&["--prefer", "theirs", "--no-index"], 0);
    let o = r.run("", &["--prefer", "theirs"]);
    let err = stderr(&o);
    assert_ne!(code(&o), 0, "{err}");
    assert!(!err.contains("no conflicts"), "{err}");
    assert!(err.contains("git add --sparse -- out/b.md"), "{err}");
    r.git(&["add", "--sparse", "--", "out/b.md", "in/a.md"]);
    assert!(r.unmerged().is_empty());
}

#[test]
fn the_hooks_hint_for_a_lone_marker_names_what_works_on_that_file() {
    let r = Repo::new();
    r.write("a.md", "---\ntitle: A\n---\nbody\n");
    r.write("b.md", "---\ntitle: B\n---\nbody\n");
    r.commit_all("base");
    let o = r.git_with_bin(&["frontmerge", "install", "--hook"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A half-done resolution: one marker line left, its pair gone.
    r.write(
        "a.md",
        "---\ntitle: A\n---\n<<<<<<< Updated upstream\nbody\n",
    );
    r.git(&["add", "a.md"]);
    let o = r.git_with_bin(&["commit", "-m", "half done"]);
    let err = stderr(&o);
    assert_ne!(code(&o), 0, "{err}");
    // frontmerge cannot resolve such a file: the hint does not send you there.
    assert!(!err.contains("git frontmerge a.md"), "{err}");
    let hint = err
        .lines()
        .find(|l| l.contains("without its pair"))
        .unwrap_or_else(|| panic!("a hint for the lone marker: {err}"));
    assert!(hint.contains("a.md:4"), "{hint}");
    // Doing what it says works.
    assert!(hint.contains("`git add -- a.md`"), "{hint}");
    r.write("a.md", "---\ntitle: A\n---\nbody, fixed\n");
    r.git(&["add", "--", "a.md"]);
    let o = r.git_with_bin(&["commit", "-m", "fixed"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn the_staged_hint_works_outside_a_sparse_cone() {
    let r = sparse_merge();
    // Staged too early, with its markers (outside the cone: --sparse).
    r.git(&["add", "--sparse", "--", "out/b.md", "in/a.md"]);
    let o = r.run("", &["check", "--staged"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("then `git add --sparse -- in/a.md out/b.md`"),
        "{err}"
    );
    r.run_exits(&["--prefer", "theirs", "out/b.md"], 0);
    let o = r.git_output(&["add", "--sparse", "--", "out/b.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(code(&r.run("", &["check", "--staged", "out/b.md"])), 0);
}

/// Every `git add` (or `git rm`) a hint names in `text`, between backticks
/// or on a line of its own, with its arguments.
fn named_commands(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("    git ") {
            out.push(cmd.split_whitespace().map(str::to_owned).collect());
        }
        for (i, piece) in line.split('`').enumerate() {
            if i % 2 == 1 && (piece.starts_with("git add") || piece.starts_with("git rm")) {
                out.push(
                    piece
                        .split_whitespace()
                        .skip(1)
                        .map(str::to_owned)
                        .collect(),
                );
            }
        }
    }
    out
}

/// Runs each command of [`named_commands`] with git and asserts that it
/// works; how many there were.
fn every_named_command_works(r: &Repo, text: &str) -> usize {
    let commands = named_commands(text);
    for words in &commands {
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let o = r.git_output(&args);
        assert!(
            o.status.success(),
            "`git {}` fails: {}\nnamed in:\n{text}",
            words.join(" "),
            stderr(&o)
        );
    }
    commands.len()
}

#[test]
fn the_mark_later_hint_works_outside_a_sparse_cone() {
    let r = sparse_merge();
    // git cannot mark anything now: a stale lock.
    let lock = r.path().join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let o = r.run("", &["--prefer", "theirs"]);
    let err = stderr(&o);
    assert_ne!(code(&o), 0, "{err}");
    assert!(err.contains("not marked resolved"), "{err}");
    std::fs::remove_file(&lock).unwrap();
    assert!(every_named_command_works(&r, &err) > 0, "{err}");
    assert!(r.unmerged().is_empty(), "{err}\n{}", r.unmerged());
}

#[test]
fn the_staged_with_markers_hints_work_outside_a_sparse_cone() {
    // Written, its staged copy left with markers (--no-index): the hint.
    let r = sparse_merge();
    r.git(&["add", "--sparse", "--", "out/b.md", "in/a.md"]);
    let err = r.run_exits(&["--prefer", "theirs", "--no-index", "out/b.md"], 0);
    assert!(
        err.contains("staged copy still has conflict markers"),
        "{err}"
    );
    assert!(every_named_command_works(&r, &err) > 0, "{err}");
    assert_eq!(code(&r.run("", &["check", "--staged", "out/b.md"])), 0);

    // Resolved by hand, its staged copy with markers: the warning's command.
    let r = sparse_merge();
    r.git(&["add", "--sparse", "--", "out/b.md", "in/a.md"]);
    r.write("out/b.md", "---\ntitle: By hand\n---\nbody\n");
    let o = r.run("", &["out/b.md"]);
    let err = stderr(&o);
    assert!(err.contains("its staged copy has them"), "{err}");
    assert!(every_named_command_works(&r, &err) > 0, "{err}");
    assert_eq!(code(&r.run("", &["check", "--staged", "out/b.md"])), 0);

    // Left for a decision, its staged copy with markers: the warning's command
    // works once the file is resolved.
    let r = sparse_merge();
    r.git(&["add", "--sparse", "--", "out/b.md", "in/a.md"]);
    let o = r.run("", &["out/b.md"]);
    let err = stderr(&o);
    assert!(err.contains("once the file is resolved"), "{err}");
    r.run_exits(&["--prefer", "theirs", "--no-index", "out/b.md"], 0);
    assert!(every_named_command_works(&r, &err) > 0, "{err}");
    assert_eq!(code(&r.run("", &["check", "--staged", "out/b.md"])), 0);
}

#[test]
fn checks_hint_for_an_unmerged_file_without_markers_works_outside_a_sparse_cone() {
    let r = sparse_merge();
    // Resolved by hand and not added: still unmerged, no markers.
    r.write("out/b.md", "---\ntitle: By hand\n---\nbody\n");
    let o = r.run("", &["check", "out/b.md"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert_ne!(code(&o), 0, "{out}");
    let adds: Vec<Vec<String>> = named_commands(&out)
        .into_iter()
        .filter(|c| c[0] == "add")
        .collect();
    assert!(!adds.is_empty(), "{out}");
    for words in adds {
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let o = r.git_output(&args);
        assert!(
            o.status.success(),
            "`git {}`: {}",
            words.join(" "),
            stderr(&o)
        );
    }
    assert!(!r.unmerged().contains("out/b.md"), "{}", r.unmerged());
}

/// GitHub's anchor for a heading: lowercase, punctuation out (`-` and `_`
/// kept), spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn the_readme_is_a_front_door_and_every_link_of_the_docs_leads_somewhere() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 500,
        "README: {} lines",
        readme.lines().count()
    );
    for want in [
        "cargo install --locked --path .",
        "cargo run --locked -- --prefer newest --links union --dry-run fixtures/seeds/stash-pop-conflict.md",
        "It builds first",
        "bash .ci/run",
        "## Quick start: after `git stash pop`",
        "## Quick start: batch, without questions",
        "## Quick start: the merge driver",
        "## Quick start: a pre-commit check",
    ] {
        assert!(readme.contains(want), "README lacks {want:?}");
    }
    let mut pages = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let code = regex::Regex::new("`[^`]*`").unwrap();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        // Links in examples (fenced blocks, code spans) are not the page's.
        let mut fenced = false;
        let prose: String = text
            .lines()
            .filter(|l| {
                if l.trim_start().starts_with("```") {
                    fenced = !fenced;
                    return false;
                }
                !fenced
            })
            .map(|l| code.replace_all(l, "") + "\n")
            .collect();
        let name = page.strip_prefix(root).unwrap().display().to_string();
        // A long page opens with its contents.
        if name != "README.md" && text.lines().count() > 150 {
            let head: String = text.lines().take(15).collect::<Vec<_>>().join("\n");
            assert!(
                head.contains("Contents:"),
                "{name}: no contents list at the top"
            );
        }
        for c in link.captures_iter(&prose) {
            let target = &c[1];
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            let (file, frag) = target.split_once('#').unwrap_or((target, ""));
            let dest = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            assert!(dest.exists(), "{name}: {target} leads nowhere");
            if frag.is_empty() || dest.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let headings: Vec<String> = std::fs::read_to_string(&dest)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| anchor(l.trim_start_matches('#')))
                .collect();
            assert!(
                headings.iter().any(|h| h == frag),
                "{name}: {target}: no heading with that anchor in {}",
                dest.display()
            );
        }
    }
}
