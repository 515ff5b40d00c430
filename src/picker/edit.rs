//! Editing a part by hand: the temporary file the editor opens, reading the
//! result back, and the loop that asks again while the result is refused.
//!
//! The file holds a short header, git's scissors line, then both versions
//! between conflict markers labelled as git labelled them:
//!
//! ```text
//! # frontmerge: edit `title` of post.md, then save and close the editor.
//! # ...
//! # ------------------------ >8 ------------------------
//! <<<<<<< Updated upstream
//! title: "A"
//! =======
//! title: "B"
//! >>>>>>> Stashed changes
//! ```
//!
//! Everything down to the scissors line is dropped when the file is read back.

use anyhow::Result;

use super::{Ctx, Menu, Prompter, Reply};
use crate::conflict::scan::{self, Chunk};
use crate::render::{self, MarkerStyle};

/// git's scissors line: everything above it is instructions.
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// The header lines (without line ends) for editing `what`.
pub fn header(what: &str, path: &str, rule: &str, refused: Option<&str>) -> Vec<String> {
    let mut h = Vec::new();
    if let Some(why) = refused {
        h.push(format!("# Your last edit was refused: {why}"));
        h.push("#".to_owned());
    }
    h.push(format!(
        "# frontmerge: edit {what} of {path}, then save and close the editor."
    ));
    h.push(
        "# Both versions are below between conflict markers, labelled as git labelled them.".into(),
    );
    h.push("# Keep what you want, merge by hand, and delete the rest and the marker lines.".into());
    h.push(format!("# {rule}"));
    h.push(
        "# An empty result cancels the edit. Everything down to the scissors line is ignored."
            .into(),
    );
    h.push(SCISSORS.to_owned());
    h
}

/// The file for the editor: header, then `body`, with `eol` line ends.
pub fn file(header: &[String], body: &str, eol: &str) -> String {
    let mut s = String::new();
    for line in header {
        s.push_str(line);
        s.push_str(eol);
    }
    s.push_str(body);
    s
}

/// Both versions between conflict markers.
pub fn both(up: &str, st: &str, markers: &MarkerStyle<'_>, eol: &str) -> String {
    let mut s = String::new();
    render::conflict(&mut s, markers, eol, up, None, st);
    s
}

/// What the user left below the scissors line (or, when they deleted it,
/// the whole file without the header lines we wrote), with `eol` line ends;
/// a final line end is added when `final_eol`. Empty when nothing but
/// whitespace is left.
pub fn content(edited: &str, header: &[String], eol: &str, final_eol: bool) -> String {
    let lf = edited.replace("\r\n", "\n");
    let mut lines = lf.split_inclusive('\n').peekable();
    let rest: String = if lf.lines().any(|l| l.trim_end() == SCISSORS) {
        lines.by_ref().find(|l| l.trim_end() == SCISSORS);
        lines.collect()
    } else {
        while lines
            .peek()
            .is_some_and(|l| header.iter().any(|h| h == l.trim_end()))
        {
            lines.next();
        }
        lines.collect()
    };
    if rest.trim().is_empty() {
        return String::new();
    }
    let mut out = if eol == "\r\n" {
        rest.replace('\n', "\r\n")
    } else {
        rest
    };
    if final_eol && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out
}

/// The line of the first conflict marker in `text`, if any is left.
pub fn marker_line(text: &str, size: usize) -> Option<usize> {
    match scan::scan(text, size) {
        Err(e) => Some(e.opened_at.unwrap_or(e.line)),
        Ok(chunks) => chunks.iter().find_map(|c| match c {
            Chunk::Conflict(c) => Some(c.line),
            Chunk::Text { .. } => None,
        }),
    }
}

/// How an edit ended.
pub enum Edited {
    /// The accepted text.
    Done(String),
    /// The user cancelled (empty result, editor failed, or chose to go back).
    Cancelled,
    /// The user quit.
    Quit,
}

/// What is being edited, for the editor file and the checks.
pub struct EditJob<'j> {
    /// E.g. "`title`" or "the body".
    pub what: &'j str,
    /// The rule the result must follow, one line.
    pub rule: &'j str,
    /// The versions between markers (see [`both`]).
    pub body: String,
    /// File suffix, for the editor's syntax highlighting.
    pub suffix: &'j str,
    /// Add a final line end to the result.
    pub final_eol: bool,
}

/// Opens the editor until the result passes `check` (which returns the
/// accepted text or why it is refused), or the user gives up.
pub fn edit_loop<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    job: EditJob<'_>,
    mut check: impl FnMut(&mut Ctx<'_, P>, &str) -> Result<String, String>,
) -> Result<Edited> {
    let eol = cx.file.articles.upstream.eol;
    let path = cx.file.path.display().to_string();
    let mut head = header(job.what, &path, job.rule, None);
    let mut text = file(&head, &job.body, eol);
    loop {
        let edited = match cx.p.edit(&text, job.suffix)? {
            Reply::Quit => return Ok(Edited::Quit),
            Reply::Given(None) => {
                cx.p.show(&format!(
                    "{} the editor failed; {} is unchanged\n",
                    cx.look.warn("!"),
                    job.what
                ))?;
                return Ok(Edited::Cancelled);
            }
            Reply::Given(Some(t)) => t,
        };
        let result = content(&edited, &head, eol, job.final_eol);
        if result.is_empty() {
            cx.p.show(&format!(
                "{} empty edit: {} is unchanged\n",
                cx.look.dim("·"),
                job.what
            ))?;
            return Ok(Edited::Cancelled);
        }
        let why = match marker_line(&result, cx.opts.pipeline.marker_size) {
            Some(line) => format!("conflict markers are still there (line {line} of your edit)"),
            None => match check(cx, &result) {
                Ok(accepted) => return Ok(Edited::Done(accepted)),
                Err(why) => why,
            },
        };
        cx.p.show(&format!("{} {why}\n", cx.look.warn("refused:")))?;
        let menu = Menu::new(format!("Edit {} again?", job.what))
            .choice('e', "edit again")
            .choice('b', "back to the question")
            .choice('q', "quit without writing");
        match cx.choose(&menu)? {
            Some('e') => {
                head = header(job.what, &path, job.rule, Some(&why));
                text = file(&head, &result, eol);
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
            size: 7,
            labels: Labels {
                upstream: "Updated upstream",
                base: None,
                stashed: "Stashed changes",
            },
        }
    }

    #[test]
    fn file_holds_both_versions_with_labels_below_the_scissors() {
        let h = header("`title`", "a.md", "Valid YAML for `title`.", None);
        let f = file(
            &h,
            &both("title: A\n", "title: B\n", &markers(), "\n"),
            "\n",
        );
        assert!(f.contains(
            "# ------------------------ >8 ------------------------\n<<<<<<< Updated upstream\ntitle: A\n=======\ntitle: B\n>>>>>>> Stashed changes\n"
        ), "{f}");
        assert_eq!(marker_line(&content(&f, &h, "\n", true), 7), Some(1));
    }

    #[test]
    fn content_drops_the_header_and_keeps_line_ends() {
        let h = header("`t`", "a.md", "rule", None);
        let f = file(&h, "t: x\n", "\n");
        assert_eq!(content(&f, &h, "\n", true), "t: x\n");
        assert_eq!(content(&f, &h, "\r\n", true), "t: x\r\n");
        // The user deleted the scissors line: our header lines still go.
        let no_scissors: String = f.replace(&format!("{SCISSORS}\n"), "");
        assert_eq!(content(&no_scissors, &h, "\n", true), "t: x\n");
        assert_eq!(content("t: x", &h, "\n", true), "t: x\n");
        assert_eq!(content("t: x", &h, "\n", false), "t: x");
        assert_eq!(content(&file(&h, "\n  \n", "\n"), &h, "\n", true), "");
        // A `#` heading in a body is content, not header.
        assert_eq!(content("# Heading\n", &h, "\n", true), "# Heading\n");
    }

    #[test]
    fn markers_are_found_and_setext_underlines_are_not() {
        assert_eq!(
            marker_line("a\n<<<<<<< x\nb\n=======\nc\n>>>>>>> y\n", 7),
            Some(2)
        );
        assert_eq!(marker_line("Title\n=======\n", 7), None);
        assert_eq!(marker_line("a\n>>>>>>> y\n", 7), Some(2));
    }
}
