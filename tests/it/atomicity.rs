//! Atomicity under SIGKILL: a batch resolve of a few hundred articles, killed
//! at random moments, leaves every file with either its complete old content
//! or its complete new content; a later run finishes the job.
//!
//! Set `FRONTMERGE_KILL_SEED=N` to replay a run with other kill times.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use crate::common::{bin, stderr};

const FILES: usize = 150;
const ITERATIONS: usize = 6;

/// SplitMix64: a seeded generator, enough for kill times.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The conflicted article number `i` and what `--prefer stashed` makes of it.
/// Sizes vary from a few hundred bytes to ~25 KB, so writes take varied time.
fn article(i: usize) -> (String, String) {
    let body: String = (0..(i % 20) * 20)
        .map(|n| format!("Абзац {n} статьи {i}: text that is long enough to matter.\n"))
        .collect();
    let fm = |title: &str| {
        format!(
            "---\ntitle: \"{title} {i}\"\npubDate: 2025-07-2{}\n",
            i % 10
        )
    };
    let old = format!(
        "---\n<<<<<<< Updated upstream\ntitle: \"Upstream {i}\"\n=======\ntitle: \"Stashed {i}\"\n>>>>>>> Stashed changes\npubDate: 2025-07-2{}\n---\n{body}",
        i % 10
    );
    let new = format!("{}---\n{body}", fm("Stashed"));
    (old, new)
}

fn name(i: usize) -> String {
    format!("post-{i:03}.md")
}

fn populate(dir: &Path) {
    for i in 0..FILES {
        fs::write(dir.join(name(i)), article(i).0).unwrap();
    }
}

fn resolve(dir: &Path) -> std::process::Command {
    let mut c = bin();
    c.current_dir(dir)
        .args(["--prefer", "stashed", "."])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Checks every article is whole (old or new); returns how many are new and
/// the names of the other files in the folder.
fn check(dir: &Path, context: &str) -> (usize, Vec<String>) {
    let mut new = 0;
    for i in 0..FILES {
        let (old_text, new_text) = article(i);
        let got = fs::read(dir.join(name(i))).unwrap();
        if got == new_text.as_bytes() {
            new += 1;
        } else {
            assert!(
                got == old_text.as_bytes(),
                "{context}: {} is torn ({} bytes: neither old nor new)",
                name(i),
                got.len()
            );
        }
    }
    let mut others: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !(n.starts_with("post-") && n.ends_with(".md")))
        .collect();
    others.sort();
    (new, others)
}

#[test]
fn sigkill_during_a_batch_leaves_every_file_whole() {
    let seed = std::env::var("FRONTMERGE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f00d_u64);
    let mut rng = Rng(seed);

    // How long an uninterrupted batch takes here.
    let calib = tempfile::tempdir().unwrap();
    populate(calib.path());
    let start = Instant::now();
    let o = resolve(calib.path()).output().unwrap();
    let full = start.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(check(calib.path(), "calibration"), (FILES, vec![]));

    let mut outcomes = BTreeMap::new();
    for it in 0..ITERATIONS {
        let dir = tempfile::tempdir().unwrap();
        populate(dir.path());
        let delay = full.mul_f64(0.02 + 0.96 * rng.unit());
        let mut child = resolve(dir.path()).spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs
        let status = child.wait().unwrap();
        let context = format!("seed {seed:#x}, iteration {it}, killed after {delay:?}");
        let (new, leftovers) = check(dir.path(), &context);
        for l in &leftovers {
            assert!(
                l.starts_with(".frontmerge-") && l.ends_with(".tmp"),
                "{context}: unexpected file {l}"
            );
        }
        outcomes.insert(it, (new, leftovers.len(), status.code()));

        // A later run finishes the job and never takes a leftover for an
        // article: it is hidden and not `*.md`, so the walk skips it. It is
        // left where it is (it might belong to a run still going).
        let o = resolve(dir.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{context}: {}", stderr(&o));
        assert!(!stderr(&o).contains(".frontmerge-"), "{}", stderr(&o));
        let (new_after, leftovers_after) = check(dir.path(), &context);
        assert_eq!(new_after, FILES, "{context}");
        assert_eq!(leftovers_after, leftovers, "{context}: leftovers untouched");
    }
    eprintln!(
        "seed {seed:#x}, full batch {full:?}: (files new, leftovers, exit) per kill: {outcomes:?}"
    );
    // The kills must have hit mid-batch at least once, or nothing was tested.
    assert!(
        outcomes
            .values()
            .any(|&(new, _, code)| code.is_none() && new > 0 && new < FILES),
        "no kill landed mid-batch: {outcomes:?}"
    );
}
