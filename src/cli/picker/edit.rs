//! Editing a part by hand: the temporary file the editor opens, reading the
//! result back, and the loop that asks again while the result is refused.
//!
//! The file holds only the text to edit: both versions between conflict
//! markers labelled as git labelled them (or, after a refused edit, that
//! edit). The explanation is shown in the terminal before the editor opens,
//! never as comment lines in the file: an editor that continues comments
//! (vim's `o` on a `#` line) would otherwise turn the user's new line into a
//! comment, and a YAML value into nothing.
//!
//! ```text
//! <<<<<<< Updated upstream
//! title: "A"
//! =======
//! title: "B"
//! >>>>>>> Stashed changes
//! ```

use anyhow::Result;

use super::{Ctx, Menu, Prompter, Reply};
use crate::conflict::fences::Examples;
use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::{self, Chunk};
use crate::pipeline::render::{self, MarkerStyle};

/// The explanation shown in the terminal before the editor opens, one
/// sentence a line.
pub(crate) fn explanation(
    what: &str,
    path: &str,
    rule: &str,
    refused: Option<&str>,
) -> Vec<String> {
    let mut h = Vec::new();
    if let Some(why) = refused {
        h.push(format!("Your last edit was refused: {why}"));
    }
    h.push(format!(
        "Edit {what} of {path} in your editor, then save and close it."
    ));
    if refused.is_none() {
        h.push("Both versions are between conflict markers, labelled as git labelled them: keep what you want, merge by hand, delete the rest and the marker lines.".into());
    }
    h.push(rule.to_owned());
    h.push("An empty file cancels the edit.".into());
    h
}

/// Both versions between conflict markers.
pub(crate) fn both(up: &str, st: &str, markers: &MarkerStyle<'_>, eol: &str) -> String {
    let mut s = String::new();
    render::conflict(&mut s, markers, eol, up, None, st);
    s
}

/// The edited text with `eol` line ends; a final line end is added when
/// `final_eol`. Empty when nothing but whitespace is left.
pub(crate) fn content(edited: &str, eol: &str, final_eol: bool) -> String {
    if edited.trim().is_empty() {
        return String::new();
    }
    let lf = edited.replace("\r\n", "\n");
    let mut out = if eol == "\r\n" {
        lf.replace('\n', "\r\n")
    } else {
        lf
    };
    if final_eol && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out
}

/// The line of the first conflict marker in `text`, if any is left. Marker
/// lines a `clean` version (a side's body, the base's) shows inside a
/// fenced code block are examples, text as when the file was read: an
/// article that documents git's markers keeps them through an edit.
pub(crate) fn marker_line(text: &str, size: MarkerSize, clean: &[&str]) -> Option<usize> {
    let examples = Examples::known(text, size, clean);
    match scan::scan_except(text, size, &examples) {
        Err(e) => Some(e.opened_at.unwrap_or(e.line)),
        Ok(chunks) => chunks.iter().find_map(|c| match c {
            Chunk::Conflict(c) => Some(c.line),
            Chunk::Text { .. } => None,
        }),
    }
}

/// How an edit ended.
pub(crate) enum Edited {
    /// The accepted text.
    Done(String),
    /// The user cancelled (empty result, editor failed, or chose to go back).
    Cancelled,
    /// The user quit.
    Quit,
}

/// What is being edited, for the editor file and the checks.
pub(crate) struct EditJob<'j> {
    /// E.g. "`title`" or "the body".
    pub(crate) what: &'j str,
    /// The rule the result must follow, one line.
    pub(crate) rule: &'j str,
    /// The versions between markers (see [`both`]).
    pub(crate) body: String,
    /// File suffix, for the editor's syntax highlighting.
    pub(crate) suffix: &'j str,
    /// Add a final line end to the result.
    pub(crate) final_eol: bool,
    /// The clean versions whose fenced examples of git's markers the
    /// result may show (the sides' and the base's bodies for the body and
    /// its hunks; none for a value, which is no Markdown).
    pub(crate) clean: Vec<&'j str>,
}

/// Opens the editor until the result passes `check` (which returns the
/// accepted text or why it is refused), or the user gives up.
pub(crate) fn edit_loop<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    job: EditJob<'_>,
    mut check: impl FnMut(&mut Ctx<'_, P>, &str) -> Result<String, String>,
) -> Result<Edited> {
    let eol = cx.file.articles.upstream.eol;
    let path = cx.file.path.display().to_string();
    let mut head = explanation(job.what, &path, job.rule, None);
    let mut text = job.body.clone();
    loop {
        let said: String = head
            .iter()
            .map(|l| crate::cli::report::wrap(&cx.look.dim(l), cx.width(), ""))
            .collect();
        cx.p.show(&said)?;
        let edited = match cx.p.edit(&text, job.suffix)? {
            Reply::Quit => return Ok(Edited::Quit),
            // The editor had the terminal: nothing of ours to lay out again.
            Reply::Redraw => continue,
            Reply::Given(None) => {
                cx.p.show(&format!(
                    "{} {} is unchanged (the editor failed, or its file could not be read back)\n",
                    cx.look.warn("!"),
                    job.what
                ))?;
                return Ok(Edited::Cancelled);
            }
            Reply::Given(Some(t)) => t,
        };
        let result = content(&edited, eol, job.final_eol);
        if result.is_empty() {
            cx.p.show(&format!(
                "{} empty edit: {} is unchanged\n",
                cx.look.dim("·"),
                job.what
            ))?;
            return Ok(Edited::Cancelled);
        }
        let too_large = result.len() as u64 > crate::files::MAX_FILE_SIZE
            || result.lines().count() > crate::files::MAX_LINES;
        let why = match marker_line(&result, cx.opts.pipeline.marker_size, &job.clean) {
            // Held to the bounds of every file: the result must stay readable.
            _ if too_large => format!(
                "your edit is {} or {} lines that every file is held to",
                crate::files::over_the_limit(),
                crate::files::MAX_LINES
            ),
            Some(line) => format!("conflict markers are still there (line {line} of your edit)"),
            None => match check(cx, &result) {
                Ok(accepted) => return Ok(Edited::Done(accepted)),
                Err(why) => why,
            },
        };
        let refused = format!("{} {why}\n", cx.look.warn("refused:"));
        let menu = Menu::new(format!("Edit {} again?", job.what))
            .choice('e', "edit again")
            .choice('b', "back to the question")
            .choice('q', "quit without writing");
        match cx.ask(&|_| refused.clone(), &menu)? {
            Some('e') => {
                head = explanation(job.what, &path, job.rule, Some(&why));
                text = result;
            }
            Some('b') => return Ok(Edited::Cancelled),
            _ => return Ok(Edited::Quit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::scan::Labels;

    fn markers() -> MarkerStyle<'static> {
        MarkerStyle {
            size: MarkerSize::DEFAULT,
            labels: Labels {
                upstream: "Updated upstream",
                base: None,
                stashed: "Stashed changes",
            },
            merger: None,
        }
    }

    #[test]
    fn the_file_holds_only_both_versions_between_labelled_markers() {
        let f = both("title: A\n", "title: B\n", &markers(), "\n");
        assert_eq!(
            f,
            "<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n"
        );
        // No comment line an editor would continue into the value.
        assert!(!f.lines().any(|l| l.starts_with('#')), "{f}");
        assert_eq!(
            marker_line(&content(&f, "\n", true), MarkerSize::DEFAULT, &[]),
            Some(1)
        );
        let said = explanation("`title`", "a.md", "Valid YAML.", Some("not valid YAML"));
        assert_eq!(said[0], "Your last edit was refused: not valid YAML");
    }

    #[test]
    fn content_keeps_the_text_and_the_files_line_ends() {
        assert_eq!(content("t: x\n", "\n", true), "t: x\n");
        assert_eq!(content("t: x\n", "\r\n", true), "t: x\r\n");
        assert_eq!(content("t: x", "\n", true), "t: x\n");
        assert_eq!(content("t: x", "\n", false), "t: x");
        assert_eq!(content("\n  \n", "\n", true), "");
        // A `#` heading in a body is content.
        assert_eq!(content("# Heading\n", "\n", true), "# Heading\n");
    }

    #[test]
    fn markers_are_found_and_setext_underlines_are_not() {
        assert_eq!(
            marker_line(
                "a\n<<<<<<< x\nb\n=======\nc\n>>>>>>> y\n",
                MarkerSize::DEFAULT,
                &[]
            ),
            Some(2)
        );
        assert_eq!(
            marker_line("Title\n=======\n", MarkerSize::DEFAULT, &[]),
            None
        );
        assert_eq!(
            marker_line("a\n>>>>>>> y\n", MarkerSize::DEFAULT, &[]),
            Some(2)
        );
    }

    #[test]
    fn a_fenced_example_a_clean_version_shows_is_text() {
        let fence = "```text\n<<<<<<< HEAD\nmine\n=======\nyours\n>>>>>>> topic\n```\n";
        let clean = format!("Intro.\n\n{fence}\nPara A base.\n");
        let edited = format!("Intro.\n\n{fence}\nPara A merged.\n");
        assert_eq!(marker_line(&edited, MarkerSize::DEFAULT, &[&clean]), None);
        // Without a clean version that shows it, it is a conflict left.
        assert_eq!(marker_line(&edited, MarkerSize::DEFAULT, &[]), Some(4));
        // A real conflict left beside the example is still found.
        let left = format!("{edited}<<<<<<< HEAD\na\n=======\nb\n>>>>>>> topic\n");
        assert_eq!(marker_line(&left, MarkerSize::DEFAULT, &[&clean]), Some(12));
    }
}
