//! The answers of a person in the picker, recorded in `fixtures/cases/*/decisions`
//! (the [`Scripted`] prompter's script), replayed on `conflicted.md` and on
//! `conflicted.merge.md`: the result must be exactly `expected.decisions.md`
//! (`expected.merge.decisions.md` for the merge, when its labels show), and
//! every answer must be used.

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use console::style;
    use similar::{ChangeTag, TextDiff};

    use crate::cli::picker::{Picker, PickerOptions, Scripted};
    use crate::cli::report::SideNames;
    use crate::pipeline::{resolve, Input, Options, Outcome};

    /// The lines of `got` that differ from `expected`, coloured.
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

    #[test]
    fn decisions_in_the_picker_resolve_as_recorded() {
        let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases");
        let mut failures = Vec::new();
        let mut checked = 0;
        let mut names: Vec<_> = fs::read_dir(&cases)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for case in names {
            let Ok(script) = fs::read_to_string(case.join("decisions")) else {
                continue;
            };
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let want = fs::read_to_string(case.join("expected.decisions.md"))
                .unwrap_or_else(|e| panic!("{name}: decisions without expected.decisions.md: {e}"));
            for (file, own) in [
                ("conflicted.md", "expected.decisions.md"),
                ("conflicted.merge.md", "expected.merge.decisions.md"),
            ] {
                let Ok(text) = fs::read_to_string(case.join(file)) else {
                    continue;
                };
                // A part left unresolved keeps the file's own labels.
                let want = fs::read_to_string(case.join(own)).unwrap_or_else(|_| want.clone());
                let prompter = Scripted::parse(&script, &case).unwrap();
                let options = PickerOptions {
                    links: None,
                    pipeline: Options::default(),
                    writes: true,
                    names: SideNames::default(),
                    whole: false,
                };
                let mut picker = Picker::new(prompter, options);
                checked += 1;
                let outcome = resolve(
                    Path::new("article.md"),
                    Input::Conflicted {
                        text: &text,
                        known: &[],
                    },
                    &Options::default(),
                    &mut [&mut picker],
                );
                let transcript = picker.prompter().transcript();
                match outcome {
                    Ok(Outcome::Resolved(r))
                        if r.output == want && picker.prompter().remaining() == 0 => {}
                    Ok(Outcome::Resolved(r)) => failures.push(format!(
                        "{} {file} ({} answers unused):\n{}\n{transcript}",
                        style(&name).bold(),
                        picker.prompter().remaining(),
                        show_diff(&want, &r.output)
                    )),
                    other => failures.push(format!("{name} {file}: {other:?}\n{transcript}")),
                }
            }
        }
        assert!(
            checked >= 6,
            "only {checked} decisions runs: fixtures missing?"
        );
        assert!(
            failures.is_empty(),
            "{} failures:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
