//! Helpers shared by the end-to-end tests: the built binary, fixtures, and
//! temporary git repositories isolated from the user's git configuration.

#![allow(dead_code)] // each test crate uses a different subset of these helpers

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The built `git-frontmerge` binary, with colour off and a clean environment.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("git-frontmerge").expect("binary built");
    isolate(&mut c);
    c.env("NO_COLOR", "1");
    c
}

/// Keeps a command away from the user's and the machine's git configuration.
pub fn isolate(c: &mut Command) {
    // In cargo's scratch folder for integration tests (target/tmp), not the
    // system temp folder: the tests leave nothing behind there.
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("frontmerge-test-home");
    let _ = fs::create_dir_all(&home);
    c.env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("PAGER")
        .env_remove("GIT_EDITOR")
        .env_remove("VISUAL")
        .env_remove("EDITOR");
}

/// The binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_git-frontmerge"))
}

/// PATH with the built binary's folder first, so that `git frontmerge`,
/// hooks and the merge driver run it.
pub fn path_with_bin() -> std::ffi::OsString {
    let mut paths = vec![binary().parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// `base` with each `(from, to)` replaced once (each must be there).
pub fn edit(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = base.to_owned();
    for (from, to) in pairs {
        assert!(s.contains(from), "{from:?} not in the article");
        s = s.replacen(from, to, 1);
    }
    s
}

/// The exit code (-1 when killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Text of a finished command's stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Text of a finished command's stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A git repository: a temporary one, or one inside another's folder.
pub struct Repo {
    dir: Option<TempDir>,
    path: PathBuf,
}

impl Repo {
    /// `git init` in a new temporary folder, branch `main`, no autocrlf.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_path_buf();
        let r = Repo {
            dir: Some(dir),
            path,
        };
        r.git(&["init", "-q", "-b", "main"]);
        r.git(&["config", "core.autocrlf", "false"]);
        r
    }

    /// The repository whose work tree is `path` (a submodule or a linked
    /// work tree of another test repository, which removes it).
    pub fn at(path: PathBuf) -> Repo {
        Repo { dir: None, path }
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        let _ = &self.dir; // kept only to remove the folder when dropped
        &self.path
    }

    /// Runs git and returns its output, whatever the exit code.
    pub fn git_output(&self, args: &[&str]) -> Output {
        let mut c = Command::new("git");
        isolate(&mut c);
        c.args(args)
            .current_dir(self.path())
            .output()
            .expect("git runs")
    }

    /// Runs git and panics unless it succeeds; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let o = self.git_output(args);
        assert!(
            o.status.success(),
            "git {args:?} failed: {}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(p, content).unwrap();
    }

    /// Reads a file.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path().join(rel)).unwrap()
    }

    /// Reads a file as text.
    pub fn read_string(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).unwrap()
    }

    /// `git add -A && git commit`.
    pub fn commit_all(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }

    /// The frontmerge binary, run inside the repository.
    pub fn frontmerge(&self) -> Command {
        let mut c = bin();
        c.current_dir(self.path());
        c
    }

    /// Runs frontmerge in folder `dir` of the repository ("" for the top),
    /// never interactive.
    pub fn run(&self, dir: &str, args: &[&str]) -> Output {
        self.frontmerge()
            .current_dir(self.path().join(dir))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("binary runs")
    }

    /// Runs frontmerge at the top of the repository like [`Repo::run`],
    /// asserts that it exits with `want`, and returns its stderr.
    pub fn run_exits(&self, args: &[&str], want: i32) -> String {
        let o = self.run("", args);
        assert_eq!(code(&o), want, "{args:?}: {}{}", stdout(&o), stderr(&o));
        stderr(&o)
    }

    /// Runs frontmerge at the top of the repository like [`Repo::run`],
    /// asserts that it exits with `want` (its stderr shown when not), and
    /// returns its stdout: what `--stdout` wrote.
    pub fn run_stdout(&self, args: &[&str], want: i32) -> String {
        let o = self.run("", args);
        assert_eq!(code(&o), want, "{args:?}: {}", stderr(&o));
        stdout(&o)
    }

    /// `git ARGS` with the built binary on PATH (hooks and drivers run it).
    pub fn git_with_bin(&self, args: &[&str]) -> Output {
        let mut c = Command::new("git");
        isolate(&mut c);
        c.env("PATH", path_with_bin())
            .env("NO_COLOR", "1")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }

    /// `git ls-files -u`: the unmerged entries, empty when there are none.
    pub fn unmerged(&self) -> String {
        self.git(&["ls-files", "-u"])
    }

    /// Commits `base` as `rel` on `main`, then `topic` on a branch `topic`
    /// and `main` on `main` (checked out at the end): ready for `git merge topic`.
    pub fn branches(&self, rel: &str, base: &str, main: &str, topic: &str) {
        self.branches_bytes(rel, base.as_bytes(), main.as_bytes(), topic.as_bytes());
    }

    /// [`Repo::branches`] of versions that need not be UTF-8.
    pub fn branches_bytes(&self, rel: &str, base: &[u8], main: &[u8], topic: &[u8]) {
        self.write(rel, base);
        self.commit_all("base");
        self.git(&["checkout", "-q", "-b", "topic"]);
        self.write(rel, topic);
        self.commit_all("topic");
        self.git(&["checkout", "-q", "main"]);
        self.write(rel, main);
        self.commit_all("main");
    }

    /// Sets up the stash-pop conflict git users meet: `base` committed,
    /// `stashed` stashed, `upstream` committed, then `git stash pop`
    /// (with `conflict_style` such as "merge" or "diff3"). Returns the pop's output.
    pub fn stash_pop_conflict(
        &self,
        rel: &str,
        base: &str,
        upstream: &str,
        stashed: &str,
        conflict_style: &str,
    ) -> Output {
        self.write(rel, base);
        self.commit_all("base");
        self.write(rel, stashed);
        self.git(&["stash", "-q"]);
        self.write(rel, upstream);
        self.commit_all("upstream");
        let style = format!("merge.conflictStyle={conflict_style}");
        self.git_output(&["-c", &style, "stash", "pop"])
    }
}

/// A run of the binary held just before its first rename, through the
/// binary's test hook (`FRONTMERGE_TEST_PAUSE_BEFORE_RENAME`): what happens
/// to a file meanwhile, or a signal then, is what the test is about.
pub struct Paused {
    /// The run, its output piped.
    pub child: Child,
    hook: TempDir,
}

impl Paused {
    /// Starts `c` and waits until it has paused.
    pub fn start(mut c: Command) -> Paused {
        let hook = tempfile::tempdir().unwrap();
        let child = c
            .env("FRONTMERGE_TEST_PAUSE_BEFORE_RENAME", hook.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while !hook.path().join("paused").exists() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "never paused"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Paused { child, hook }
    }

    /// Lets the run go on and waits for its end.
    pub fn resume(self) -> Output {
        fs::write(self.hook.path().join("resume"), b"").unwrap();
        self.child.wait_with_output().unwrap()
    }
}

/// How many entries of folder `dir` have a name starting with `prefix`.
pub fn count_named(dir: &Path, prefix: &str) -> usize {
    fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .count()
}
