//! Data-driven tests over `fixtures/cases/*`: one folder per case, conflicted
//! files produced by real `git stash pop` and by a real `git merge` of the
//! same edits as branches (see `scripts/gen-fixtures.sh`).
//!
//! For every conflicted file (stash pop and merge, default and diff3 style):
//! - without a base (default style, a loose file) and with the field rules
//!   turned off (`--rule '*=ask'`), `--prefer upstream` gives exactly
//!   `upstream-side.md` and `--prefer stashed` exactly `stashed-side.md`
//!   (what `git merge-file --ours/--theirs` gives); with the default rules
//!   `--prefer` must only succeed; with
//!   the diff3 base, parts only one side changed come from that side, so
//!   there `--prefer` must only succeed;
//! - when the case has `args` and `expected.md` (`expected.diff3.md` for the
//!   diff3 files, when it differs; `expected.merge.md` /
//!   `expected.merge.diff3.md` for a merge, when it differs from the stash
//!   pop's), resolving with those flags gives exactly that;
//! - every result is clean: resolving it again finds no conflicts.
//!
//! A case's `decisions` file (a person's answers in the picker) is replayed
//! by the picker's unit test `cli::picker::recorded`.
//!
//! A mismatch prints the case name and a coloured diff.

use std::fs;
use std::path::Path;

use console::style;
use similar::{ChangeTag, TextDiff};

fn show_diff(expected: &str, got: &str) -> String {
    let mut out = String::new();
    for change in TextDiff::from_lines(expected, got).iter_all_changes() {
        let (sign, s) = match change.tag() {
            ChangeTag::Delete => ("-", style(change.to_string()).red()),
            ChangeTag::Insert => ("+", style(change.to_string()).green()),
            ChangeTag::Equal => continue,
        };
        out.push_str(&format!("{sign}{s}"));
    }
    out
}

/// Each file git produces for a case, with the expected results that apply
/// to it, the most specific first.
const RECORDED: [(&str, &[&str]); 4] = [
    ("conflicted.md", &["expected.md"]),
    ("conflicted.diff3.md", &["expected.diff3.md", "expected.md"]),
    ("conflicted.merge.md", &["expected.merge.md", "expected.md"]),
    (
        "conflicted.merge.diff3.md",
        &[
            "expected.merge.diff3.md",
            "expected.diff3.md",
            "expected.md",
        ],
    ),
];

fn resolve(file: &Path, args: &[&str]) -> (i32, String, String) {
    let o = crate::common::bin()
        .args(args)
        .arg("--stdout")
        .arg(file)
        .output()
        .expect("binary runs");
    (
        o.status.code().unwrap_or(-1),
        crate::common::stdout(&o),
        crate::common::stderr(&o),
    )
}

#[test]
fn every_case_resolves_as_recorded() {
    let cases = crate::common::fixtures().join("cases");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut names: Vec<_> = fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for case in names {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        // Recorded both ways whenever there are inputs to record from.
        if case.join("base.md").exists() {
            for f in RECORDED {
                if !case.join(f.0).exists() {
                    failures.push(format!(
                        "{name}: {} missing: run scripts/gen-fixtures.sh {name}",
                        f.0
                    ));
                }
            }
        }
        for (file, expected_names) in RECORDED {
            let conflicted = case.join(file);
            if !conflicted.exists() {
                continue;
            }
            let mut check = |what: String, args: Vec<&str>, want: Option<String>| {
                checked += 1;
                let (code, got, err) = resolve(&conflicted, &args);
                let want = want.unwrap_or_else(|| got.clone());
                if code != 0 || got != want {
                    failures.push(format!(
                        "{} {file} {what} (exit {code}):\n{err}{}",
                        style(&name).bold(),
                        show_diff(&want, &got)
                    ));
                    return;
                }
                // The result is clean and stays as it is.
                let again = tempfile::NamedTempFile::new().unwrap();
                fs::write(again.path(), &got).unwrap();
                let (code, out, err) = resolve(again.path(), &["--prefer", "upstream"]);
                if code != 0 || out != got || !err.contains("no conflicts") {
                    failures.push(format!("{name} {file} {what}: result is not clean: {err}"));
                }
            };
            for side in ["upstream", "stashed"] {
                let want = case.join(format!("{side}-side.md"));
                if let Ok(want) = fs::read_to_string(&want) {
                    // Without a base: exactly git's side for every conflict.
                    let exact = !file.contains("diff3");
                    // With every field rule off, one side everywhere is exactly that side.
                    check(
                        format!("--prefer {side} --rule *=ask"),
                        vec!["--prefer", side, "--rule", "*=ask"],
                        exact.then_some(want),
                    );
                    // With the default rules (lastmod newest, tags union) it must still resolve.
                    check(format!("--prefer {side}"), vec!["--prefer", side], None);
                }
            }
            let args_file = case.join("args");
            let expected = expected_names
                .iter()
                .map(|n| case.join(n))
                .find(|p| p.exists())
                .unwrap_or_else(|| case.join("expected.md"));
            if let (Ok(args), Ok(want)) = (
                fs::read_to_string(&args_file),
                fs::read_to_string(&expected),
            ) {
                let args: Vec<&str> = args.split_whitespace().collect();
                check(format!("with args {args:?}"), args.clone(), Some(want));
            }
        }
    }
    assert!(checked > 80, "only {checked} checks ran: fixtures missing?");
    assert!(
        failures.is_empty(),
        "{} failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
