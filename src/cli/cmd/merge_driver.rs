//! `git frontmerge merge-driver %O %A %B %L %P`: the same field-aware
//! three-way merge, run by git itself inside `git merge`, `rebase`,
//! `cherry-pick` and `stash pop`.
//!
//! The result goes to %A. Exit 0 when clean, 1 when conflicts remain; then
//! markers surround only the conflicting part (one key, one body hunk, or
//! the links), in git's diff3 style when `merge.conflictStyle` asks for it:
//!
//! ```text
//! ---
//! <<<<<<< HEAD
//! title: "Ours"
//! =======
//! title: "Theirs"
//! >>>>>>> topic
//! description: "merged: only one side changed it"
//! ---
//! ```
//!
//! The driver never exits with a code git would take for a crash: on input
//! it cannot read as articles (or on any failure) it falls back to git's own
//! line merge, `git merge-file`, and says so on stderr.

use std::io::Write;
use std::path::Path;

use anyhow::{anyhow, Context, Result};

use crate::cli::args::MergeDriverArgs;
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::Labels;
use crate::conflict::sides::{SideNames, Sides};
use crate::decide::rules::Mode;
use crate::decide::Tally;
use crate::error::decode;
use crate::git;
use crate::pipeline::driver::{merge_three, DriverSettings};
use crate::pipeline::{Outcome, Policy};

/// Exit code: merged cleanly.
const CLEAN: i32 = 0;
/// Exit code: conflicts remain (git's convention for merge drivers).
const CONFLICTS: i32 = 1;

/// Labels in `-L` order (current, base, other); placeholders an older git
/// left unexpanded (`%X`) count as absent.
fn labels(args: &MergeDriverArgs) -> [String; 3] {
    let defaults = ["ours", "base", "theirs"];
    std::array::from_fn(|i| match args.labels.get(i).map(String::as_str) {
        Some(l) if !l.is_empty() && !matches!(l, "%X" | "%S" | "%Y") => l.to_owned(),
        _ => defaults[i].to_owned(),
    })
}

/// `%L`, git's conflict-marker size: a placeholder an older git left, or
/// anything but a number, means the default; a number outside the bound
/// `--marker-size` shares ([`MarkerSize::parse`]) is `Err` with the
/// nearest size inside it, which the fallback then uses. Never panics.
fn marker_size(args: &MergeDriverArgs) -> std::result::Result<MarkerSize, MarkerSize> {
    MarkerSize::parse(args.marker_size().as_deref().unwrap_or(""))
}

fn say(line: &str) {
    // Nothing to do if stderr is gone; the exit code still tells git.
    let line = crate::cli::report::escape_lines(line);
    let _ = writeln!(std::io::stderr(), "frontmerge: {line}");
}

/// Runs the driver; always `Ok` with 0 or 1.
pub(crate) fn run(args: &MergeDriverArgs) -> Result<i32> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let style = git::config_get(&cwd, false, "merge.conflictStyle");
    let diff3 = style
        .as_deref()
        .is_some_and(|s| s == "diff3" || s == "zdiff3");
    let zdiff3 = style.as_deref() == Some("zdiff3");
    Ok(drive(args, diff3, zdiff3))
}

/// Merges, or falls back to `git merge-file`; `diff3`: write base sections.
fn drive(args: &MergeDriverArgs, diff3: bool, zdiff3: bool) -> i32 {
    let shown = args.path().unwrap_or(args.current()).to_path_buf();
    let attempt = std::panic::catch_unwind(|| merge(args, &shown, diff3, zdiff3));
    let why = match attempt {
        Ok(Ok(code)) => return code,
        Ok(Err(e)) => format!("{e:#}"),
        Err(_) => "internal error (see above)".to_owned(),
    };
    say(&format!(
        "{}: {why}; falling back to git merge-file",
        shown.display()
    ));
    fallback(args)
}

fn fallback(args: &MergeDriverArgs) -> i32 {
    let [current, base, other] = labels(args);
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let merged = git::merge_file(
        &cwd,
        [&current, &base, &other],
        marker_size(args).unwrap_or_else(|nearest| nearest),
        [args.current(), args.base(), args.other()],
    );
    if let Ok((_, said)) = &merged {
        // git's words, which name files: shown as any other text from a repository.
        crate::cli::report::Stream::Err.print(said);
    }
    match merged {
        Ok((0, _)) => CLEAN,
        Ok(_) => CONFLICTS,
        Err(e) => {
            let e = anyhow::Error::from(e);
            say(&format!("{e:#}; leaving the current version as it is"));
            CONFLICTS
        }
    }
}

/// The sides' names for the driver's messages: git labels a stash's sides
/// `Updated upstream`/`Stashed changes` (the driver has no other trace of the
/// operation); anything else is ours/theirs.
fn driver_names(current: &str, other: &str) -> SideNames {
    if current == "Updated upstream" && other == "Stashed changes" {
        SideNames::STASH
    } else {
        SideNames::of(Some(git::operation::Operation::Merge))
    }
}

fn text<'b>(bytes: &'b [u8], which: &str) -> Result<&'b str> {
    decode(bytes).map_err(|e| anyhow!("{which} version, line {}: {e}", e.line().unwrap_or(1)))
}

fn merge(args: &MergeDriverArgs, shown: &Path, diff3: bool, zdiff3: bool) -> Result<i32> {
    // Held to the limit every file is, checked before reading: a version
    // over it is left to git's own merge.
    let read = |p: &Path, which: &str| -> Result<Vec<u8>> {
        let f = std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        Ok(crate::files::read_limited(
            f,
            size,
            &format!("the {which} version"),
            "not read",
        )?)
    };
    let (o, a, b) = (
        read(args.base(), "base")?,
        read(args.current(), "current")?,
        read(args.other(), "other")?,
    );
    let texts = Sides::new(
        text(&a, "current")?,
        text(&b, "other")?,
        Some(text(&o, "base")?),
    );
    let [current, base, other] = labels(args);
    let labels = Labels {
        upstream: &current,
        base: diff3.then_some(base.as_str()),
        stashed: &other,
    };
    let loaded = crate::cli::cmd::rules::load_lenient(&args.rules, say);
    let mut set = loaded.set;
    if set.has_conditions() {
        // Only then is the kind of merge worth finding (it may run git).
        let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
        let raw: [&str; 3] = std::array::from_fn(|i| args.labels.get(i).map_or("", String::as_str));
        set.set_kind(git::kind::in_driver(&cwd, raw));
    }
    let settings = DriverSettings {
        policy: Policy::new(set, Mode::Settle)
            .with_prefer(args.prefer.map(Into::into), &args.date_fields),
        derived: loaded.derived,
        sync_derived: args.sync_derived,
        marker_size: marker_size(args).map_err(|nearest| {
            anyhow!(
                "conflict-marker-size {} is outside {}..={}, the bound \
                 resolve and check share (git merge-file then uses {nearest})",
                args.marker_size().as_deref().unwrap_or_default().trim(),
                MarkerSize::MIN,
                MarkerSize::MAX
            )
        })?,
        zdiff3,
    };
    let names = driver_names(&current, &other);
    let outcome =
        merge_three(shown, texts, labels, &settings).map_err(|e| anyhow!("{}", e.named(names)))?;
    let Outcome::Resolved(r) = outcome else {
        return Err(anyhow!("the merge did not settle every part"));
    };
    for note in &r.notes {
        say(&format!("{}: {}", shown.display(), note.named(names)));
    }
    if r.output.as_bytes() != a.as_slice() {
        // git reads %A back after we exit; an interrupted write must leave
        // its input whole (git then reports the merge as failed).
        crate::files::write_atomic(args.current(), &a, r.output.as_bytes(), Default::default())
            .with_context(|| format!("cannot write {}", args.current().display()))?;
    }
    say(&format!(
        "{}: {} ({})",
        shown.display(),
        if r.unresolved {
            "merged field by field, conflicts left"
        } else if r.tally == Tally::default() {
            "merged by lines, as git does"
        } else {
            "merged field by field"
        },
        r.tally.named(names)
    ));
    for line in r.summary_lines(names) {
        say(&format!("  {line}"));
    }
    Ok(if r.unresolved { CONFLICTS } else { CLEAN })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn args(dir: &Path, o: &str, a: &str, b: &str) -> MergeDriverArgs {
        let w = |n: &str, t: &str| {
            let p = dir.join(n);
            fs::write(&p, t).unwrap();
            p
        };
        MergeDriverArgs {
            versions: vec![
                w("o", o),
                w("a", a),
                w("b", b),
                "7".into(),
                "post.md".into(),
            ],
            labels: vec!["%X".into(), "%S".into(), "topic".into()],
            prefer: None,
            date_fields: vec![],
            sync_derived: false,
            rules: crate::cli::args::RuleArgs::default(),
        }
    }

    #[test]
    fn labels_fall_back_when_git_left_placeholders() {
        let d = tempfile::tempdir().unwrap();
        let a = args(d.path(), "", "", "");
        assert_eq!(labels(&a), ["ours", "base", "topic"]);
        let mut a = a;
        a.versions[3] = "%L".into();
        assert_eq!(marker_size(&a), Ok(MarkerSize::DEFAULT));
        for (given, want) in [
            ("12", Ok(12)),
            ("2000000000", Err(64)),
            ("18446744073709551615", Err(64)),
            ("99999999999999999999999999999999999999999999", Err(64)),
            ("0", Err(3)),
            ("-5", Ok(7)),
            ("", Ok(7)),
        ] {
            a.versions[3] = given.into();
            let got = marker_size(&a)
                .map(MarkerSize::get)
                .map_err(MarkerSize::get);
            assert_eq!(got, want, "{given}");
        }
    }

    #[test]
    fn merges_fields_and_marks_only_the_conflicting_key() {
        let d = tempfile::tempdir().unwrap();
        let a = args(
            d.path(),
            "---\ntitle: A\ndesc: D\n---\nbody\n",
            "---\ntitle: A1\ndesc: D\n---\nbody\n",
            "---\ntitle: A2\ndesc: D2\n---\nbody\n",
        );
        assert_eq!(drive(&a, false, false), CONFLICTS);
        assert_eq!(
            fs::read_to_string(a.current()).unwrap(),
            "---\n<<<<<<< ours\ntitle: A1\n=======\ntitle: A2\n>>>>>>> topic\ndesc: D2\n---\nbody\n"
        );
        fs::write(a.current(), "---\ntitle: A1\ndesc: D\n---\nbody\n").unwrap();
        assert_eq!(drive(&a, true, false), CONFLICTS);
        assert!(fs::read_to_string(a.current())
            .unwrap()
            .contains("title: A1\n||||||| base\ntitle: A\n=======\n"));
        let a = args(
            d.path(),
            "---\ntitle: A\ndesc: D\n---\nbody\n",
            "---\ntitle: A1\ndesc: D\n---\nbody\n",
            "---\ntitle: A\ndesc: D2\n---\nbody\n",
        );
        assert_eq!(drive(&a, false, false), CLEAN);
        assert_eq!(
            fs::read_to_string(a.current()).unwrap(),
            "---\ntitle: A1\ndesc: D2\n---\nbody\n"
        );
    }

    #[test]
    fn rules_settle_what_both_changed_and_derived_fields_follow() {
        let d = tempfile::tempdir().unwrap();
        let mut a = args(
            d.path(),
            "---\ntitle: A\nlastmod: 2025-01-01\nschema: {\"name\":\"A\"}\n---\nbody\n",
            "---\ntitle: B\nlastmod: 2025-03-01\nschema: {\"name\":\"B\"}\n---\nbody\n",
            "---\ntitle: C\nlastmod: 2025-02-01\nschema: {\"name\":\"A\",\"x\":1}\n---\nbody\n",
        );
        a.rules.rules = vec![
            "title=theirs".parse().unwrap(),
            "schema=ours".parse().unwrap(),
        ];
        a.sync_derived = true;
        assert_eq!(drive(&a, false, false), CLEAN);
        assert_eq!(
            fs::read_to_string(a.current()).unwrap(),
            // The rule takes ours' schema where both changed it; theirs'
            // new `x` is a change of its own, kept.
            "---\ntitle: C\nlastmod: 2025-03-01\nschema: {\"name\":\"C\",\"x\":1}\n---\nbody\n"
        );
    }

    #[test]
    fn unreadable_input_falls_back_to_git_merge_file() {
        let d = tempfile::tempdir().unwrap();
        // Broken YAML on one side: not an article, so git's line merge runs.
        let a = args(
            d.path(),
            "---\nt: a\n---\nx\nm\ny\n",
            "---\nt: [a\n---\nX\nm\ny\n",
            "---\nt: a\n---\nx\nm\nY\n",
        );
        assert_eq!(drive(&a, false, false), CLEAN);
        assert_eq!(
            fs::read_to_string(a.current()).unwrap(),
            "---\nt: [a\n---\nX\nm\nY\n"
        );
        // Where git conflicts, the broken side cannot be read part by part:
        // git's own result, markers and all, never a partial one.
        let a = args(
            d.path(),
            "---\nt: a\n---\nx\nm\ny\n",
            "---\nt: [a\n---\nX\nm\ny\n",
            "---\nt: b\n---\nx\nm\nY\n",
        );
        assert_eq!(drive(&a, false, false), CONFLICTS);
        assert_eq!(
            fs::read_to_string(a.current()).unwrap(),
            "---\n<<<<<<< ours\nt: [a\n=======\nt: b\n>>>>>>> topic\n---\nX\nm\nY\n"
        );
    }
}
