//! Bad input, odd files and races, through the built binary: every failure
//! names the file (and line), exits with the documented code, never panics,
//! and leaves the file exactly as it was: bytes, permissions, owner and
//! modification time.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{bin, stderr, Paused, Repo};

/// Exit codes (docs/resolving.md).
const OK: i32 = 0;
const FAILED: i32 = 1;

const CONFLICT: &str = "---\n<<<<<<< Updated upstream\ntitle: \"Upstream title\"\n=======\ntitle: \"Stashed title\"\n>>>>>>> Stashed changes\nauthor: A\n---\nBody.\n";
const UPSTREAM: &str = "---\ntitle: \"Upstream title\"\nauthor: A\n---\nBody.\n";
const STASHED: &str = "---\ntitle: \"Stashed title\"\nauthor: A\n---\nBody.\n";

/// Everything about a file a failed run must not change.
#[derive(Debug, PartialEq)]
struct Snapshot {
    bytes: Vec<u8>,
    mode: u32,
    owner: (u32, u32),
    modified: SystemTime,
    inode: u64,
}

impl Snapshot {
    fn of(path: &Path) -> Snapshot {
        let m = fs::metadata(path).unwrap();
        Snapshot {
            bytes: fs::read(path).unwrap(),
            mode: m.permissions().mode(),
            owner: (m.uid(), m.gid()),
            modified: m.modified().unwrap(),
            inode: m.ino(),
        }
    }
}

/// A temporary folder with files whose modification time lies in the past,
/// so that any write, even within the same clock tick, would show.
struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: impl AsRef<Path>, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, content).unwrap();
        let past = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(past)
            .unwrap();
        p
    }

    fn run(&self, args: &[&OsStr]) -> Output {
        bin()
            .current_dir(self.path())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn resolve(&self, name: &str) -> Output {
        self.run(&["--prefer".as_ref(), "upstream".as_ref(), name.as_ref()])
    }

    fn diff(&self, name: &str) -> Output {
        self.run(&["diff".as_ref(), name.as_ref()])
    }
}

fn no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_ne!(o.status.code(), Some(101), "panic exit code: {err}");
    assert!(o.status.code().is_some(), "killed by a signal: {err}");
}

/// Runs `resolve --prefer upstream` and `diff` on `content` saved as `name`
/// and checks both fail cleanly, saying `message` at `name:line`.
fn refused(name: &str, content: &[u8], line: Option<usize>, message: &str) {
    let d = Dir::new();
    let p = d.file(name, content);
    let before = Snapshot::of(&p);
    let at = match line {
        Some(l) => format!("{name}:{l}: "),
        None => format!("{name}: "),
    };
    for o in [d.resolve(name), d.diff(name)] {
        no_panic(&o);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(FAILED), "{err}");
        assert!(err.contains(&at), "expected {at:?} in {err}");
        assert!(err.contains(message), "expected {message:?} in {err}");
        assert_eq!(Snapshot::of(&p), before, "{name} was touched");
    }
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "stray files");
}

/// [`refused`], and in bounded time: a hang guard for inputs built to be
/// slow (a wall-clock bound far above any machine's time, not a benchmark).
fn refused_in_bounded_time(name: &str, content: &[u8], line: Option<usize>, message: &str) {
    let start = Instant::now();
    refused(name, content, line, message);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

/// Runs `resolve --prefer upstream` on `content` and checks it is left alone
/// with exit code 0 and `message`.
fn left_alone(name: &str, content: &[u8], message: &str) {
    let d = Dir::new();
    let p = d.file(name, content);
    let before = Snapshot::of(&p);
    let o = d.resolve(name);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(stderr(&o).contains(message), "{}", stderr(&o));
    assert_eq!(Snapshot::of(&p), before);
}

#[test]
fn unterminated_conflict() {
    let t = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n---\nBody.\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(7),
        "conflict never closed: no `>>>>>>>` marker (conflict opened at line 2)",
    );
}

#[test]
fn end_marker_without_an_opening() {
    let t = "---\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n---\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(5),
        "`>>>>>>>` end marker without an opening `<<<<<<<` (a separator `=======` stands at line 3)",
    );
}

#[test]
fn base_marker_without_an_opening() {
    let t = "text\n||||||| Stash base\nmore\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(2),
        "`|||||||` base marker without",
    );
}

#[test]
fn separator_without_an_opening_is_a_setext_heading() {
    // Markdown's setext underline: text, not a conflict. Nothing to do.
    left_alone(
        "a.md",
        b"---\ntitle: A\n---\nHeading\n=======\n\nText.\n",
        "a.md: no conflicts, left alone",
    );
}

#[test]
fn second_opening_inside_a_conflict() {
    let t = "<<<<<<< Updated upstream\na\n<<<<<<< Updated upstream\nb\n=======\nc\n>>>>>>> Stashed changes\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(3),
        "second `<<<<<<<` opening inside a conflict (conflict opened at line 1)",
    );
}

#[test]
fn second_separator_inside_a_conflict() {
    let t = "<<<<<<< Updated upstream\na\n=======\nb\n=======\nc\n>>>>>>> Stashed changes\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(5),
        "second `=======` separator in one conflict",
    );
}

#[test]
fn markers_of_the_wrong_size() {
    // git with conflict-marker-size=9 (a .gitattributes setting) ...
    let nine = CONFLICT
        .replace("<<<<<<<", "<<<<<<<<<")
        .replace("=======", "=========")
        .replace(">>>>>>>", ">>>>>>>>>");
    refused(
        "a.md",
        nine.as_bytes(),
        Some(2),
        "conflict markers here are 9 characters long, not 7; pass --marker-size 9",
    );
    // ... or a hand-edited marker one character short.
    let short = CONFLICT.replace("<<<<<<< Updated", "<<<<<< Updated");
    refused(
        "b.md",
        short.as_bytes(),
        Some(6),
        "`>>>>>>>` end marker without an opening `<<<<<<<` (a separator `=======` stands at line 4)",
    );
}

#[test]
fn mixed_lf_and_crlf_are_kept_byte_for_byte() {
    // Upstream edited on Windows (CRLF), the stash on Linux (LF): each side's
    // bytes come back as they were, line endings included.
    let up = "---\r\ntitle: \"Upstream\"\r\nauthor: A\r\n---\r\nBody.\r\n";
    let st = "---\ntitle: \"Stashed\"\nauthor: A\n---\nBody.\n";
    let t = format!("<<<<<<< Updated upstream\r\n{up}=======\n{st}>>>>>>> Stashed changes\n");
    for (side, want) in [("upstream", up), ("stashed", st)] {
        let d = Dir::new();
        let p = d.file("a.md", &t);
        let o = d.run(&["--prefer".as_ref(), side.as_ref(), "a.md".as_ref()]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
        assert!(stderr(&o).contains("a.md: resolved"), "{}", stderr(&o));
        assert_eq!(fs::read(&p).unwrap(), want.as_bytes(), "--prefer {side}");
    }
    // A CRLF marker line inside an LF file is still a marker.
    let d = Dir::new();
    let p = d.file("b.md", CONFLICT.replace("=======\n", "=======\r\n"));
    let o = d.resolve("b.md");
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap(), UPSTREAM);
}

#[test]
fn non_utf8_bytes() {
    let mut t = CONFLICT.as_bytes().to_vec();
    t.extend_from_slice(b"caf\xe9 (Latin-1)\n");
    refused("a.md", &t, Some(10), "not valid UTF-8");
}

#[test]
fn binary_file_with_nul_bytes() {
    let mut t = b"\x89PNG\r\n\x1a\n".to_vec();
    t.extend_from_slice(CONFLICT.as_bytes());
    t.extend_from_slice(b"\0\0\x01\x02");
    refused("a.md", &t, Some(12), "binary file (NUL byte)");
}

#[test]
fn empty_file() {
    left_alone("a.md", b"", "a.md: no conflicts, left alone");
}

#[test]
fn frontmatter_that_never_closes() {
    let t = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\nBody.\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(1),
        "on upstream: frontmatter opened with `---` is never closed",
    );
}

#[test]
fn invalid_yaml_tab_on_one_side() {
    let t = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n\tsubtitle: C\n>>>>>>> Stashed changes\n---\nBody.\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(6),
        "on stashed: frontmatter is not valid YAML: found a tab character",
    );
}

#[test]
fn invalid_yaml_bad_indentation_on_one_side() {
    let t = "---\n<<<<<<< Updated upstream\ntitle: A\n  subtitle: C\n=======\ntitle: B\n>>>>>>> Stashed changes\n---\nBody.\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(4),
        "on upstream: frontmatter is not valid YAML: mapping values are not allowed",
    );
}

#[test]
fn duplicate_keys_on_one_side() {
    let t = "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\ntitle: C\n>>>>>>> Stashed changes\n---\nBody.\n";
    refused(
        "a.md",
        t.as_bytes(),
        Some(6),
        "on stashed: duplicate frontmatter key `title` (first at line 5)",
    );
}

#[test]
fn yaml_alias_bomb_in_bounded_time() {
    // A billion laughs: 10^12 strings if the aliases were expanded.
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let t = format!("---\n<<<<<<< Updated upstream\ntitle: A\n{bomb}=======\ntitle: B\n>>>>>>> Stashed changes\n---\nBody.\n");
    refused_in_bounded_time(
        "a.md",
        t.as_bytes(),
        Some(5),
        "aliases (`*name`) expand to too much data",
    );
}

#[test]
fn deeply_nested_yaml_in_bounded_time() {
    // The YAML scanner is quadratic in nesting depth: refused before it runs.
    let deep = format!("x: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
    let t = format!("---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n{deep}---\n");
    refused_in_bounded_time(
        "a.md",
        t.as_bytes(),
        Some(7),
        "nested deeper than 128 levels",
    );
}

/// Runs the binary on `dir/name` with `ulimit -v` (address space) of
/// `limit_mb`, timing it.
fn run_bounded(dir: &Path, name: &str, limit_mb: u64) -> (Output, Duration) {
    let start = Instant::now();
    let c = bin();
    let program = c.get_program().to_owned();
    let mut sh = Command::new("sh");
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let o = sh
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", limit_mb * 1024))
        .arg(program)
        .args(["--prefer", "stashed", name])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (o, start.elapsed())
}

#[test]
fn file_of_100_mb_is_refused_by_the_size_limit() {
    let d = Dir::new();
    let p = d.file("big.md", CONFLICT);
    let chunk = "Строка текста про сервисный подход, and some Latin words too.\n".repeat(16_000);
    let mut f = fs::File::options().append(true).open(&p).unwrap();
    for _ in 0..100_000_000 / chunk.len() + 1 {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let before = Snapshot::of(&p);
    assert!(before.bytes.len() > 100_000_000);
    let (o, took) = run_bounded(d.path(), "big.md", 256);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("big.md: file is {} bytes", before.bytes.len()))
            && stderr(&o)
                .contains("bytes, over the limit of 16777216 bytes (16 MiB); left untouched"),
        "{}",
        stderr(&o)
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(Snapshot::of(&p), before);
}

#[test]
fn file_just_under_the_size_limit_resolves_in_bounded_time_and_memory() {
    let d = Dir::new();
    let mut t = CONFLICT.as_bytes().to_vec();
    let (up, st) = (
        "Upstream: строка текста про сервисный подход.\n",
        "Stashed: строка текста про сервисный подход.\n",
    );
    let mut body_up = String::new();
    let mut body_st = String::new();
    while body_up.len() + body_st.len() < 15 * 1024 * 1024 {
        body_up.push_str(up);
        body_st.push_str(st);
    }
    t.extend_from_slice(
        format!("<<<<<<< Updated upstream\n{body_up}=======\n{body_st}>>>>>>> Stashed changes\n")
            .as_bytes(),
    );
    let p = d.file("big.md", &t);
    // 15 MiB of conflict in 512 MB of address space (release: 0.6 s, 48 MB).
    let (o, took) = run_bounded(d.path(), "big.md", 512);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(took < Duration::from_secs(30), "{took:?}");
    let out = fs::read_to_string(&p).unwrap();
    assert_eq!(out.len(), STASHED.len() + body_st.len());
    assert!(out.starts_with(STASHED) && out.ends_with(st));
}

#[test]
fn more_lines_than_the_limit_are_refused() {
    let mut t = CONFLICT.as_bytes().to_vec();
    t.resize(t.len() + 1_000_000, b'\n');
    refused(
        "a.md",
        &t,
        None,
        "lines, over the limit of 1000000 lines; left untouched",
    );
}

#[test]
fn one_megabyte_single_line_resolves() {
    let d = Dir::new();
    let line = "слово word ".repeat(1024 * 1024 / 15);
    let t = format!("---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n---\n{line}");
    let p = d.file("a.md", &t);
    let (o, took) = run_bounded(d.path(), "a.md", 256);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        format!("---\ntitle: B\n---\n{line}")
    );
}

#[test]
fn frontmatter_with_many_keys_resolves_in_linear_time() {
    // Regression: key, link and decision lookups were linear scans inside
    // loops over every key; 20,000 keys took 7 s in a release build.
    // Debug build: 2.6 s now, 55 s before (quadratic).
    let keys: String = (0..30_000).map(|i| format!("k{i}: v{i}\n")).collect();
    let links = |p: &str| -> String {
        (0..2_000)
            .map(|i| format!("- [T{i}](/{p}{i}/)\n"))
            .collect()
    };
    let t = format!(
        "---\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n{keys}---\nBody.\n\n## Related\n\n<<<<<<< Updated upstream\n{}=======\n{}>>>>>>> Stashed changes\n",
        links("u"),
        links("s")
    );
    let d = Dir::new();
    let p = d.file("a.md", &t);
    let start = Instant::now();
    let o = d.run(&[
        "--prefer".as_ref(),
        "stashed".as_ref(),
        "--links".as_ref(),
        "union".as_ref(),
        "a.md".as_ref(),
    ]);
    let took = start.elapsed();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(took < Duration::from_secs(20), "{took:?}");
    let out = fs::read_to_string(&p).unwrap();
    assert!(out.starts_with("---\ntitle: B\nk0: v0\n"));
    assert!(out.ends_with(&format!("{}{}", links("s"), links("u"))));
}

#[test]
fn read_only_file() {
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
    let before = Snapshot::of(&p);
    let o = d.resolve("a.md");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED));
    assert!(
        stderr(&o).contains("a.md: file is read-only; left untouched"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
}

#[test]
fn file_in_a_read_only_folder() {
    let d = Dir::new();
    let p = d.file("ro/a.md", CONFLICT);
    let ro = d.path().join("ro");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    let before = Snapshot::of(&p);
    let o = d.resolve("ro/a.md");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED));
    // Refused by its mode bits, also for root (whom the kernel would let write).
    assert!(
        stderr(&o).contains("ro/a.md: its folder") && stderr(&o).contains("is read-only"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
    assert_eq!(fs::read_dir(&ro).unwrap().count(), 1, "no temporary file");
}

/// `setpriv`'s path when this test runs as root and can drop to `nobody`.
fn setpriv() -> Option<&'static str> {
    let root = fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    let found = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if !root || found.is_none() {
        eprintln!("skipped: needs root and setpriv to run the binary as another user");
    }
    found.filter(|_| root)
}

#[test]
fn folder_the_user_cannot_write_to() {
    // The kernel's own refusal, as a user other than the folder's owner: the
    // binary runs as `nobody` in a root-owned 0755 folder, on a file that
    // `nobody` owns (so the file itself is writable).
    let Some(setpriv) = setpriv() else { return };
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let before = Snapshot::of(&p);
    // A copy `nobody` can run, wherever the build lives (/root is 0700).
    let exe = tempfile::tempdir().unwrap();
    fs::set_permissions(exe.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let binary = exe.path().join("git-frontmerge");
    fs::copy(bin().get_program(), &binary).unwrap();
    let o = Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(binary)
        .args(["--prefer", "upstream", "a.md"])
        .current_dir(d.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a.md: cannot write a temporary file in")
            && stderr(&o).contains("Permission denied"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
}

#[test]
fn another_users_file_keeps_its_owner() {
    // Root (say, in a container) resolving a file the user owns must not
    // hand it over to root.
    if fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
        eprintln!("skipped: needs root to give a file away");
        return;
    }
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    let o = d.resolve("a.md");
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    let m = fs::metadata(&p).unwrap();
    assert_eq!(
        (m.uid(), m.gid(), m.permissions().mode() & 0o7777),
        (65534, 65534, 0o640)
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), UPSTREAM);
}

#[test]
fn symlink_is_written_through_and_kept() {
    let d = Dir::new();
    let real = d.file("posts/real.md", CONFLICT);
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("posts/real.md", d.path().join("link.md")).unwrap();
    let o = d.resolve("link.md");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(stderr(&o).contains("link.md: resolved"), "{}", stderr(&o));
    let link = fs::symlink_metadata(d.path().join("link.md")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        fs::read_link(d.path().join("link.md")).unwrap(),
        Path::new("posts/real.md")
    );
    assert_eq!(fs::read_to_string(&real).unwrap(), UPSTREAM);
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The temporary file went to the target's folder and is gone.
    assert_eq!(fs::read_dir(d.path().join("posts")).unwrap().count(), 1);
}

#[test]
fn dangling_symlink() {
    let d = Dir::new();
    std::os::unix::fs::symlink("nowhere.md", d.path().join("a.md")).unwrap();
    for o in [d.resolve("a.md"), d.diff("a.md")] {
        no_panic(&o);
        assert_eq!(o.status.code(), Some(FAILED));
        assert!(
            stderr(&o).contains("a.md: broken symlink"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(
        fs::read_link(d.path().join("a.md")).unwrap(),
        Path::new("nowhere.md")
    );
    assert!(!d.path().join("nowhere.md").exists(), "nothing created");
}

#[test]
fn symlink_loop() {
    let d = Dir::new();
    std::os::unix::fs::symlink("b.md", d.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", d.path().join("b.md")).unwrap();
    for o in [d.resolve("a.md"), d.diff("a.md")] {
        no_panic(&o);
        assert_eq!(o.status.code(), Some(FAILED));
        let err = stderr(&o);
        assert!(
            err.contains("a.md: broken symlink") && err.contains("symbolic links"),
            "{err}"
        );
    }
    assert_eq!(
        fs::read_link(d.path().join("a.md")).unwrap(),
        Path::new("b.md")
    );
    // A folder holding the loop is walked without hanging.
    let o = d.run(&["--prefer".as_ref(), "upstream".as_ref(), ".".as_ref()]);
    no_panic(&o);
}

#[test]
fn same_file_given_twice() {
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    std::os::unix::fs::symlink("a.md", d.path().join("link.md")).unwrap();
    let o = d.run(&[
        "--prefer".as_ref(),
        "upstream".as_ref(),
        "--backup".as_ref(),
        "a.md".as_ref(),
        "./a.md".as_ref(),
        "link.md".as_ref(),
        ".".as_ref(),
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("resolved (").count(), 1, "once: {err}");
    assert!(!err.contains("no conflicts"), "not read again: {err}");
    assert_eq!(fs::read_to_string(&p).unwrap(), UPSTREAM);
    assert_eq!(
        fs::read_to_string(d.path().join("a.md.orig")).unwrap(),
        CONFLICT
    );
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let d = Dir::new();
    let names: Vec<PathBuf> = vec![
        "my article.md".into(),
        "блог/статья — «ёлка».md".into(),
        "日本語 フォルダ/記事.mdx".into(),
        // Not UTF-8 at all: Latin-1 "café.md".
        PathBuf::from(OsStr::from_bytes(b"caf\xe9.md")),
    ];
    for n in &names {
        d.file(n, CONFLICT);
    }
    let mut args: Vec<&OsStr> = vec!["--prefer".as_ref(), "stashed".as_ref()];
    args.extend(names.iter().map(|n| n.as_os_str()));
    let o = d.run(&args);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    let err = stderr(&o);
    for n in &names {
        assert_eq!(
            fs::read_to_string(d.path().join(n)).unwrap(),
            STASHED,
            "{n:?}"
        );
        assert!(err.contains(&format!("{}: resolved", n.display())), "{err}");
    }
    // And by walking the folders.
    for n in &names {
        d.file(n, CONFLICT);
    }
    let o = d.run(&["--prefer".as_ref(), "upstream".as_ref(), ".".as_ref()]);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    for n in &names {
        assert_eq!(
            fs::read_to_string(d.path().join(n)).unwrap(),
            UPSTREAM,
            "{n:?}"
        );
    }
}

#[test]
fn file_changed_by_another_process_while_resolving() {
    // The binary (a debug build) pauses right before its last look at the
    // file, see `files::test_hook`; meanwhile this process edits the file,
    // as an editor saving would.
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    let mut c = bin();
    c.current_dir(d.path())
        .args(["--prefer", "upstream", "a.md"]);
    let paused = Paused::start(c);
    let edited = format!("{CONFLICT}A line typed in an editor meanwhile.\n");
    fs::write(&p, &edited).unwrap();
    let before = Snapshot::of(&p);
    let o = paused.resume();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "a.md: changed by another process while frontmerge was working; left as it is now"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        Snapshot::of(&p),
        before,
        "the other process's edit survives"
    );
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        1,
        "no temporary file"
    );
}

#[test]
fn existing_orig_file_is_not_clobbered_by_backup() {
    // Regression: --backup replaced any FILE.orig, such as the one git
    // mergetool leaves, losing it.
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    let orig = d.file("a.md.orig", "kept by git mergetool\n");
    let (before, orig_before) = (Snapshot::of(&p), Snapshot::of(&orig));
    let o = d.run(&[
        "--prefer".as_ref(),
        "upstream".as_ref(),
        "--backup".as_ref(),
        "a.md".as_ref(),
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED));
    assert!(
        stderr(&o).contains("a.md.orig already exists and holds something else"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
    assert_eq!(Snapshot::of(&orig), orig_before);
}

#[test]
fn an_orig_name_taken_by_a_link_is_never_read_through_it() {
    // An attacker's trial: a clone commits `a.md.orig` as a link (to
    // /dev/zero: --backup read it whole to compare, memory without bound).
    // A link or anything but a regular file there is no backup of ours:
    // refused, unread, whatever it leads to (here a file holding the very
    // bytes the backup would, which used to count as a backup made).
    let d = Dir::new();
    let p = d.file("a.md", CONFLICT);
    let target = d.file("elsewhere.txt", CONFLICT);
    std::os::unix::fs::symlink(&target, d.path().join("a.md.orig")).unwrap();
    let before = Snapshot::of(&p);
    let o = d.run(&[
        "--prefer".as_ref(),
        "upstream".as_ref(),
        "--backup".as_ref(),
        "a.md".as_ref(),
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a.md.orig already exists and is not a regular file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
    // A regular file holding the same bytes is the backup, made before.
    fs::remove_file(d.path().join("a.md.orig")).unwrap();
    fs::write(d.path().join("a.md.orig"), CONFLICT).unwrap();
    let o = d.run(&[
        "--prefer".as_ref(),
        "upstream".as_ref(),
        "--backup".as_ref(),
        "a.md".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap(), UPSTREAM);
}

#[test]
fn dry_run_of_a_large_rewritten_body_is_bounded() {
    // Regression: --dry-run diffed without the differ's deadline, and a few
    // MB of rewritten lines took minutes.
    let body = |w: &str| -> String {
        (0..60_000)
            .map(|i| format!("{w} {i} строка текста\n"))
            .collect()
    };
    let t = format!(
        "---\ntitle: A\n---\n<<<<<<< Updated upstream\n{}=======\n{}>>>>>>> Stashed changes\n",
        body("up"),
        body("st")
    );
    let d = Dir::new();
    let p = d.file("a.md", &t);
    let before = Snapshot::of(&p);
    let start = Instant::now();
    let o = d.run(&[
        "--prefer".as_ref(),
        "stashed".as_ref(),
        "--dry-run".as_ref(),
        "a.md".as_ref(),
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(Snapshot::of(&p), before);
}

#[test]
fn not_a_regular_file() {
    let d = Dir::new();
    let fifo = d.path().join("pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    // Opening a FIFO would block forever: it must be refused first.
    let o = d.resolve("pipe.md");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(FAILED));
    assert!(
        stderr(&o).contains("pipe.md: not a regular file; left untouched"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_original_conflict_comes_back_with_git_checkout_conflict() {
    // The way back after a resolve (docs/resolving.md): git rewrites the conflict from
    // the index stages a stash pop leaves (labelled ours/theirs).
    let r = Repo::new();
    let base = "---\ntitle: Base\nauthor: A\n---\nBody.\n";
    let o = r.stash_pop_conflict("a.md", base, UPSTREAM, STASHED, "merge");
    assert!(!o.status.success(), "the pop conflicts");
    let conflicted = r.read_string("a.md");
    let o = r
        .frontmerge()
        .args(["--prefer", "stashed", "a.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert_eq!(r.read_string("a.md"), STASHED);
    r.git(&["checkout", "--conflict=merge", "--", "a.md"]);
    let back = r.read_string("a.md");
    assert_eq!(
        back,
        conflicted
            .replace("<<<<<<< Updated upstream", "<<<<<<< ours")
            .replace(">>>>>>> Stashed changes", ">>>>>>> theirs")
    );
    let o = r
        .frontmerge()
        .args(["--prefer", "stashed", "a.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert_eq!(r.read_string("a.md"), STASHED);
}

#[test]
fn layout_only_difference_is_not_dropped_undecided() {
    // Regression: the stash renamed the links heading, nothing else differed
    // part by part, and a run without --prefer wrote upstream's heading.
    let t = "---\ntitle: A\n---\nBody.\n\n<<<<<<< Updated upstream\n## Related\n=======\n## See also\n>>>>>>> Stashed changes\n\n- [x](/x/)\n";
    let d = Dir::new();
    let p = d.file("a.md", t);
    let before = Snapshot::of(&p);
    let o = d.run(&["a.md".as_ref()]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a.md: needs a decision on the sides differ only in layout"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Snapshot::of(&p), before);
    let o = d.run(&["--prefer".as_ref(), "stashed".as_ref(), "a.md".as_ref()]);
    assert_eq!(o.status.code(), Some(OK), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        "---\ntitle: A\n---\nBody.\n\n## See also\n\n- [x](/x/)\n"
    );
}
