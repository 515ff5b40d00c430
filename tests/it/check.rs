//! End-to-end tests of `git frontmerge check` and `install --hook`: the built
//! binary on the seed files, on temporary repositories after a real
//! `git stash pop`, and as a real git pre-commit hook.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{bin, binary, code, fixtures, path_with_bin, stderr, stdout, Repo};

fn case(name: &str, file: &str) -> String {
    fs::read_to_string(fixtures().join("cases").join(name).join(file)).unwrap()
}

/// Lines of `path:line:col: severity:` prefixes, in order.
fn locations(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(|l| {
            let end = l
                .find(": error: ")
                .or_else(|| l.find(": warning: "))
                .unwrap();
            let sev = if l[end..].starts_with(": error") {
                "error"
            } else {
                "warning"
            };
            format!("{} {sev}", &l[..end])
        })
        .collect()
}

/// A repository with `post.md` in the middle of a real stash-pop conflict.
fn conflicted_repo() -> Repo {
    let r = Repo::new();
    let o = r.stash_pop_conflict(
        "post.md",
        &case("title-both", "base.md"),
        &case("title-both", "upstream.md"),
        &case("title-both", "stashed.md"),
        "merge",
    );
    assert!(!o.status.success(), "the pop must conflict");
    assert!(r
        .read_string("post.md")
        .contains("<<<<<<< Updated upstream"));
    r
}

#[test]
fn conflicted_seed_fails_with_its_marker_lines() {
    let seed = fixtures().join("seeds/stash-pop-conflict.md");
    let o = bin().arg("check").arg(&seed).output().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let errors: Vec<String> = locations(&out)
        .into_iter()
        .filter(|l| l.ends_with("error"))
        .collect();
    let want: Vec<String> = [2, 109, 214, 220, 224, 228]
        .iter()
        .map(|l| format!("{}:{l}:1 error", seed.display()))
        .collect();
    assert_eq!(errors, want, "{out}");
    assert!(out.contains(":2:1: error: conflict marker `<<<<<<< Updated upstream`"));
    assert!(
        out.trim_end()
            .ends_with("checked 1 file: 6 errors, 2 warnings"),
        "{out}"
    );
}

#[test]
fn resolved_seed_passes_with_block_scalar_warnings() {
    let seed = fixtures().join("seeds/resolved-article.md");
    let o = bin().arg("check").arg(&seed).output().unwrap();
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        locations(&out),
        [format!("{}:104:6 warning", seed.display())],
        "{out}"
    );
    assert!(out.contains("[>-]") || out.contains("`>-`"), "{out}");
    // Warnings fail only with --strict.
    let o = bin()
        .args(["check", "--strict"])
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
}

#[test]
fn json_output_lists_every_finding() {
    let seed = fixtures().join("seeds/stash-pop-conflict.md");
    let o = bin().args(["check", "--json"]).arg(&seed).output().unwrap();
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"], 1);
    assert_eq!(v["errors"], 6);
    assert_eq!(v["warnings"], 2);
    let f = &v["findings"][0];
    assert_eq!(f["path"], seed.display().to_string());
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 1);
    assert_eq!(f["severity"], "error");
    assert_eq!(f["code"], "conflict-marker");
    assert_eq!(v["findings"][4]["code"], "scalar-indicator-title");
}

#[test]
fn stdin_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("blog")).unwrap();
    fs::write(dir.path().join("blog/ok.md"), "---\ntitle: A\n---\nText\n").unwrap();
    fs::write(
        dir.path().join("blog/dup.mdx"),
        "---\ntitle: A\ntitle: B\n---\nText\n",
    )
    .unwrap();
    fs::write(dir.path().join("blog/notes.txt"), "<<<<<<< x\n").unwrap();
    let o = bin()
        .current_dir(dir.path())
        .args(["check", "blog"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert_eq!(locations(&stdout(&o)), ["blog/dup.mdx:3:1 error"]);
    assert!(stdout(&o).contains("checked 2 files: 1 error, 0 warnings"));

    let mut child = bin()
        .current_dir(dir.path())
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b">>>>>>> Stashed changes\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 1);
    assert_eq!(locations(&stdout(&o)), ["<stdin>:1:1 error"]);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| bin().current_dir(dir.path()).args(args).output().unwrap();
    let o = run(&["check"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("not in a git repository"),
        "{}",
        stderr(&o)
    );
    assert_eq!(code(&run(&["check", "--staged"])), 2);
    assert_eq!(code(&run(&["check", "--staged", "-"])), 2);
    let o = run(&["check", "missing.md"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("missing.md"));
    assert_eq!(code(&run(&["check", "--no-such-flag"])), 2);
    assert_eq!(code(&run(&["install"])), 2);
}

#[test]
fn staged_checks_the_index_not_the_work_tree() {
    let r = conflicted_repo();
    // Unmerged right after the pop: the leftover in the work tree is checked.
    let o = r.frontmerge().args(["check", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(locations(&stdout(&o)).contains(&"post.md:2:1 error".to_string()));

    // Staged with the markers, then fixed in the work tree only: still refused.
    r.git(&["add", "post.md"]);
    let o = r
        .frontmerge()
        .args(["--prefer", "upstream", "post.md"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = r.frontmerge().args(["check", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 1, "the index still holds the markers");
    assert!(stderr(&o).contains("--no-verify"));
    // Without --staged, the work tree (all tracked Markdown files) is clean.
    let o = r.frontmerge().arg("check").output().unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("checked 1 file: no problems"));

    // Staged: clean. The converse: a broken work tree, a clean index.
    r.git(&["add", "post.md"]);
    let o = r.frontmerge().args(["check", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let text = r.read_string("post.md");
    r.write("post.md", format!("{text}>>>>>>> Stashed changes\n"));
    assert_eq!(
        code(&r.frontmerge().args(["check", "--staged"]).output().unwrap()),
        0
    );
    assert_eq!(code(&r.frontmerge().arg("check").output().unwrap()), 1);
    // A named file with --staged is read from the index too.
    let o = r
        .frontmerge()
        .args(["check", "--staged", "post.md"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn without_paths_only_tracked_or_staged_markdown_is_checked() {
    let r = Repo::new();
    r.write("docs/a.md", "---\ntitle: A\n---\n");
    r.write("notes.txt", "<<<<<<< not markdown\n");
    r.commit_all("init");
    r.write("untracked.md", "<<<<<<< untracked\n");
    r.write("docs/b.md", "---\ntitle: B\n");
    r.git(&["add", "docs/b.md"]);
    // From a subfolder: paths are shown relative to it.
    let sub = r.path().join("docs");
    let o = bin().current_dir(&sub).arg("check").output().unwrap();
    assert_eq!(code(&o), 1);
    assert_eq!(locations(&stdout(&o)), ["b.md:1:1 error"]);
    assert!(stdout(&o).contains("checked 2 files"));
    let o = bin()
        .current_dir(&sub)
        .args(["check", "--staged"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert_eq!(locations(&stdout(&o)), ["b.md:1:1 error"]);
    assert!(stdout(&o).contains("checked 1 file"));
}

const DOC: &str = "---\ntitle: Resolving conflicts\n---\nGit writes:\n\n```text\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n```\n";

#[test]
fn fenced_examples_pass_once_committed_and_warn_outside_a_repository() {
    let r = Repo::new();
    r.write("doc.md", DOC);
    // Not committed yet: the lines are not in HEAD.
    let o = r.frontmerge().args(["check", "doc.md"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("not in the committed version (HEAD)"));
    r.commit_all("doc");
    let o = r.frontmerge().args(["check", "doc.md"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems"));

    // A real conflict inside the code fence is caught all the same.
    let r = Repo::new();
    let base = DOC.replace("mine\n", "mine\nshared\n");
    let up = DOC.replace("mine\n", "mine\nupstream\n");
    let st = DOC.replace("mine\n", "mine\nstashed\n");
    let o = r.stash_pop_conflict("doc.md", &base, &up, &st, "merge");
    assert!(!o.status.success());
    let o = r.frontmerge().args(["check", "doc.md"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let errors = locations(&stdout(&o));
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.iter().all(|e| e.ends_with("error")));

    // Outside a repository: warnings.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("doc.md"), DOC).unwrap();
    let o = bin()
        .current_dir(dir.path())
        .args(["check", "doc.md"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        locations(&stdout(&o)),
        [
            "doc.md:7:1 warning",
            "doc.md:9:1 warning",
            "doc.md:11:1 warning"
        ]
    );
}

#[test]
fn conflict_marker_size_attribute_is_honoured() {
    let r = Repo::new();
    r.write(".gitattributes", "*.md conflict-marker-size=9\n");
    r.commit_all("attributes");
    let o = r.stash_pop_conflict(
        "post.md",
        &case("setext-heading", "base.md"),
        &case("setext-heading", "upstream.md"),
        &case("setext-heading", "stashed.md"),
        "merge",
    );
    assert!(!o.status.success());
    let text = r.read_string("post.md");
    assert!(text.contains("<<<<<<<<< Updated upstream"), "{text}");
    let o = r.frontmerge().args(["check", "post.md"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let first = text
        .lines()
        .position(|l| l.starts_with("<<<<<<<<<"))
        .unwrap();
    assert!(locations(&stdout(&o)).contains(&format!("post.md:{}:1 error", first + 1)));
    // `=======` setext underlines in the body stay quiet.
    assert!(text.contains("\n=======\n"));
    assert!(!stdout(&o).contains("`=======`"), "{}", stdout(&o));
}

fn hooks_of(r: &Repo) -> PathBuf {
    r.path().join(".git/hooks")
}

fn head(r: &Repo) -> String {
    r.git(&["rev-parse", "HEAD"])
}

/// Resolves the leftover in `post.md`, stages it and commits through the
/// hook, which must now let the commit through; the commit's output.
fn resolve_and_commit(r: &Repo) -> String {
    let o = r
        .frontmerge()
        .args(["--prefer", "stashed", "post.md"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    r.git(&["add", "post.md"]);
    let o = r.git_with_bin(&["commit", "-m", "resolved"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(code(&o), 0, "{all}");
    all
}

#[test]
fn installed_hook_refuses_a_stash_pop_leftover_in_a_real_commit() {
    let r = conflicted_repo();
    let o = r.frontmerge().args(["install", "--hook"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("installed"), "{}", stdout(&o));
    assert!(stdout(&o).contains(install_chain_line()));
    let hook = hooks_of(&r).join("pre-commit");
    assert!(fs::read_to_string(&hook)
        .unwrap()
        .contains("git frontmerge check --staged"));

    let before = head(&r);
    r.git(&["add", "post.md"]);
    let o = r.git_with_bin(&["commit", "-m", "leftover"]);
    assert_ne!(code(&o), 0, "the commit must be refused");
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("post.md:2:1: error: conflict marker"), "{all}");
    assert_eq!(head(&r), before, "nothing committed");

    // `git commit -a` (a temporary index) is checked too.
    let o = r.git_with_bin(&["commit", "-a", "-m", "leftover"]);
    assert_ne!(code(&o), 0);
    assert!(stderr(&o).contains("post.md:2:1: error"), "{}", stderr(&o));
    assert_eq!(head(&r), before);

    let all = resolve_and_commit(&r);
    assert_ne!(head(&r), before, "{all}");
}

fn install_chain_line() -> &'static str {
    "git frontmerge check --staged || exit 1"
}

#[test]
fn hook_honours_core_hooks_path_and_keeps_other_hooks() {
    let r = Repo::new();
    r.git(&["config", "core.hooksPath", ".githooks"]);
    fs::create_dir_all(r.path().join("docs")).unwrap();
    // Run from a subfolder: the relative hooksPath is the work tree's.
    let o = bin()
        .current_dir(r.path().join("docs"))
        .args(["install", "--hook"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let hook = r.path().join(".githooks/pre-commit");
    assert!(hook.is_file());
    assert!(!hooks_of(&r).join("pre-commit").exists());

    // The hook runs from there in a real commit.
    r.write("a.md", "---\ntitle: A\ntitle: B\n---\n");
    r.git(&["add", "a.md"]);
    let o = r.git_with_bin(&["commit", "-m", "dup"]);
    assert_ne!(code(&o), 0);
    // git sends a hook's output to stderr.
    assert!(
        stderr(&o).contains("a.md:3:1: error: duplicate frontmatter key `title`"),
        "{}",
        stderr(&o)
    );

    // A different hook is never replaced without --force.
    let other = "#!/bin/sh\necho other hook\n";
    fs::write(&hook, other).unwrap();
    let o = r.frontmerge().args(["install", "--hook"]).output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains(install_chain_line()), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&hook).unwrap(), other);
    let o = r
        .frontmerge()
        .args(["install", "--hook", "--force"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        fs::read_to_string(r.path().join(".githooks/pre-commit.old")).unwrap(),
        other
    );
    assert!(fs::read_to_string(&hook)
        .unwrap()
        .contains("check --staged"));
}

/// git runs no pre-commit hook when `git rebase --continue` or `git am
/// --continue` commits a resolved conflict (found by a newcomer's trial:
/// both committed a file still full of markers). The hooks `install --hook`
/// writes stop them too: prepare-commit-msg (which git runs there) checks
/// while a rebase is in progress, pre-applypatch for `git am`. Outside a
/// rebase a commit is checked once, by pre-commit.
#[test]
fn installed_hooks_stop_markers_in_rebase_continue_and_am_continue() {
    let r = Repo::new();
    r.branches(
        "post.md",
        "---\ntitle: Hello\n---\nBody\n",
        "---\ntitle: Hello main\n---\nBody\n",
        "---\ntitle: Hello topic\n---\nBody\n",
    );
    let o = r.frontmerge().args(["install", "--hook"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let markers = |r: &Repo| r.git(&["show", "HEAD:post.md"]).contains("<<<<<<<");

    // A rebase of topic onto main, its conflict staged with the markers.
    r.git(&["checkout", "-q", "-b", "moved", "topic"]);
    assert!(!r.git_with_bin(&["rebase", "main"]).status.success());
    r.git(&["add", "post.md"]);
    let o = r.git_with_bin(&["-c", "core.editor=true", "rebase", "--continue"]);
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("post.md:4:1: error: conflict marker"),
        "{}",
        stderr(&o)
    );
    assert!(!markers(&r), "nothing committed with markers");
    // Resolved, it goes on.
    let o = r
        .frontmerge()
        .args(["--prefer", "theirs", "post.md"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    r.git(&["add", "post.md"]);
    let o = r.git_with_bin(&["-c", "core.editor=true", "rebase", "--continue"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!markers(&r));

    // `git am -3` of topic's commit on main, the same.
    r.git(&["checkout", "-q", "main"]);
    let patches = tempfile::tempdir().unwrap();
    let dir = patches.path().to_str().unwrap();
    r.git(&["format-patch", "-q", "-1", "topic", "-o", dir]);
    let patch = fs::read_dir(patches.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let patch = patch.to_str().unwrap();
    assert!(!r.git_with_bin(&["am", "-3", patch]).status.success());
    r.git(&["add", "post.md"]);
    let before = head(&r);
    let o = r.git_with_bin(&["am", "--continue"]);
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("conflict marker"), "{}", stderr(&o));
    assert_eq!(head(&r), before, "nothing committed");
    r.git(&["am", "--abort"]);

    // An ordinary commit: checked by pre-commit alone (one line said).
    r.write("post.md", "---\ntitle: Clean\n---\nBody\n");
    r.git(&["add", "post.md"]);
    let o = r.git_with_bin(&["commit", "-m", "clean"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).matches("checked ").count() <= 1,
        "{}",
        stderr(&o)
    );
}

#[test]
fn install_writes_completions_and_man_pages() {
    let dir = tempfile::tempdir().unwrap();
    let comp = dir.path().join("completions");
    let man = dir.path().join("man/man1");
    let o = bin()
        .args(["install", "--completions"])
        .arg(&comp)
        .arg("--man")
        .arg(&man)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for f in ["git-frontmerge", "_git-frontmerge", "git-frontmerge.fish"] {
        assert!(comp.join(f).is_file(), "{f}");
    }
    for f in [
        "git-frontmerge.1",
        "git-frontmerge-check.1",
        "git-frontmerge-install.1",
    ] {
        assert!(man.join(f).is_file(), "{f}");
    }
    // The folder to put on the man path is the one above DIR (found by a
    // newcomer's trial: the hint named DIR itself, where `man` finds nothing).
    let said = stdout(&o);
    assert!(
        said.contains(&format!(
            "once {} is on the man path",
            dir.path().join("man").display()
        )),
        "{said}"
    );
    // `man git-frontmerge` finds the page through MANPATH, as `git frontmerge --help` would.
    if Command::new("man").arg("--version").output().is_ok() {
        let o = Command::new("man")
            .env("MANPATH", dir.path().join("man"))
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .args(["git-frontmerge-check"])
            .output()
            .unwrap();
        if o.status.success() {
            assert!(stdout(&o).contains("staged"), "{}", stdout(&o));
        }
    }
}

/// Runs the real pre-commit framework (https://pre-commit.com) with this
/// hook. `.ci/run` installs it from PyPI into `target/ci-venv` and sets
/// FRONTMERGE_PRE_COMMIT.
///
/// The hook is a `repo: local` hook with `language: system` whose entry is
/// the binary this test run built: `language: rust` would make pre-commit
/// `cargo install` this repository into its cache, a second full build
/// (minutes on CI's two cores) of a binary other than the one under test.
/// The published manifest, `.pre-commit-hooks.yaml`, is checked with
/// pre-commit's own `validate-manifest`, and its `entry`/`types` are the
/// ones used here.
#[test]
#[ignore = "needs the pre-commit framework: run `bash .ci/run`, which installs it and sets FRONTMERGE_PRE_COMMIT"]
fn pre_commit_framework_refuses_a_stash_pop_leftover() {
    let Some(pre_commit) = std::env::var_os("FRONTMERGE_PRE_COMMIT") else {
        panic!(
            "FRONTMERGE_PRE_COMMIT is not set: run `bash .ci/run` (it installs pre-commit from \
             PyPI into target/ci-venv and runs this test), or set it to a pre-commit executable"
        );
    };
    let pre_commit = PathBuf::from(pre_commit);
    assert!(
        pre_commit.is_file(),
        "{} does not exist",
        pre_commit.display()
    );
    let cache = tempfile::tempdir().unwrap();
    let run = |r: &Repo, args: &[&str]| -> Output {
        let mut c = Command::new(&pre_commit);
        crate::common::isolate(&mut c);
        c.env("PRE_COMMIT_HOME", cache.path())
            .env("PATH", path_with_bin())
            .args(args)
            .current_dir(r.path())
            .output()
            .unwrap()
    };

    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let r = Repo::new();
    let o = run(&r, &["validate-manifest", manifest.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let text = fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("id: frontmerge-check"));
    assert!(text.contains("entry: git-frontmerge check"));
    assert!(text.contains("types: [markdown]"));

    let binary = binary();
    let config = format!(
        "repos:\n- repo: local\n  hooks:\n  - id: frontmerge-check\n    name: frontmerge check\n    \
         language: system\n    entry: {} check\n    types: [markdown]\n",
        binary.display()
    );
    r.write(".pre-commit-config.yaml", &config);
    r.git(&["add", ".pre-commit-config.yaml"]);
    r.git(&["commit", "-q", "-m", "pre-commit config"]);
    let o = run(&r, &["install"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));

    let o = r.stash_pop_conflict(
        "post.md",
        &case("title-both", "base.md"),
        &case("title-both", "upstream.md"),
        &case("title-both", "stashed.md"),
        "merge",
    );
    assert!(!o.status.success(), "the pop must conflict");
    r.git(&["add", "post.md"]);
    let before = head(&r);
    let o = r.git_with_bin(&["commit", "-m", "leftover"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_ne!(code(&o), 0, "pre-commit must refuse the commit: {all}");
    assert!(all.contains("frontmerge check"), "{all}");
    assert!(all.contains("Failed"), "{all}");
    assert!(all.contains("post.md:2:1: error: conflict marker"), "{all}");
    assert_eq!(head(&r), before);

    let all = resolve_and_commit(&r);
    assert!(all.contains("Passed"), "{all}");
    assert_ne!(head(&r), before);
}

/// A Markdown table of six columns with an empty header and empty rows
/// (MicrosoftDocs/OfficeDocs-Exchange and OfficeDocs-SharePoint write
/// them): each such row is `|||||||`, seven pipes like a base marker. Found
/// by bench/props_real.py: `check` called the header a lone marker and
/// `resolve` refused the file. Rows beside a row are table rows, in a
/// clean file and in a conflict's sides alike.
#[test]
fn rows_of_empty_table_cells_are_no_markers() {
    let article = |title: &str, row: &str| {
        format!(
            "---\ntitle: {title}\n---\nIntro.\n\n|||||||\n|---|---|---|---|---|---|\n{row}\n|||||||\n\nEnd.\n"
        )
    };
    let base = article("T", "|||||||");
    let r = Repo::new();
    r.write("clean.md", &base);
    let o = r.frontmerge().args(["check", "clean.md"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let upstream = article("U", "|a|b|c|d|e|f|");
    let stashed = article("S", "|g|h|i|j|k|l|");
    for style in ["merge", "diff3"] {
        let r = Repo::new();
        let o = r.stash_pop_conflict("post.md", &base, &upstream, &stashed, style);
        assert!(!o.status.success());
        let o = r.frontmerge().args(["check", "post.md"]).output().unwrap();
        assert_eq!(code(&o), 1, "{style}: {}", stdout(&o));
        assert!(
            !stdout(&o).contains("lone-marker"),
            "{style}: {}",
            stdout(&o)
        );
        let o = r
            .frontmerge()
            .args(["--prefer", "stashed", "post.md"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{style}: {}", stderr(&o));
        assert_eq!(r.read_string("post.md"), stashed, "{style}");
        let o = r.frontmerge().args(["check", "post.md"]).output().unwrap();
        assert_eq!(code(&o), 0, "{style}: {}", stdout(&o));
    }
}
