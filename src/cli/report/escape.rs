//! Control characters made visible. Text that came from a file, a path, a
//! marker label, a branch name, a commit subject or a config reaches a
//! terminal only through [`escape_in`] (and its short forms): a value such
//! as `"\e]0;pwned\a"` cannot retitle the window, write the clipboard
//! (OSC 52) or clear the screen. JSON output is not escaped: it is exact.
//!
//! ```text
//! title: "T \e]0;pwned\a\e[2J"     is shown as     T \x1b]0;pwned\x07\x1b[2J
//! ```
//!
//! Escaped: C0 controls (`\x00`–`\x1f`) but the layout's own line breaks and
//! tabs, DEL (`\x7f`) and C1 controls (U+0080–U+009F, `\u{9b}`), which some
//! terminals read as ESC sequences; and the characters that reorder or hide
//! text (bidirectional controls, zero-width spaces: [`invisible`]). A backslash is left as it is: the forms
//! only need to be visible, not reversible.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

/// What the text is, and so which characters it may keep.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One piece inside a line: a path, a value, a label, a key. Line
    /// breaks, carriage returns and tabs are escaped too (`\n`, `\r`,
    /// `\t`), so a piece can never start a line of its own.
    Inline,
    /// Lines of text (a message, a diff): newlines and tabs kept, and a
    /// carriage return that ends a line (CRLF); a lone one is escaped.
    Lines,
    /// Lines the tool has styled: as [`Layout::Lines`], and when colours are
    /// on, the tool's colour sequences (SGR: `ESC [ digits ; … m`) kept.
    /// Every other ESC is escaped: no title, clipboard or cursor sequence
    /// gets through, whoever wrote it.
    Styled,
}

/// `text` as it may be shown in `layout`: borrowed when nothing needed
/// escaping (the usual case), else with each control character written as
/// `\n`, `\r`, `\t`, `\xHH` (C0, DEL) or `\u{HH}` (C1).
pub(crate) fn escape_in(text: &str, layout: Layout) -> Cow<'_, str> {
    escape_with(text, layout, layout == Layout::Styled && colors_on())
}

/// [`escape_in`], colour sequences kept when `styling`.
fn escape_with(text: &str, layout: Layout, styling: bool) -> Cow<'_, str> {
    let first = text
        .char_indices()
        .find(|&(i, c)| !keeps(text, i, c, layout, styling));
    let Some((start, _)) = first else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..start]);
    let mut chars = text[start..].char_indices().map(|(i, c)| (start + i, c));
    while let Some((i, c)) = chars.next() {
        if !keeps(text, i, c, layout, styling) {
            visible(&mut out, c);
        } else if c == '\u{1b}' {
            // A colour sequence kept whole: its bytes are all ASCII.
            let len = sgr_len(&text[i..]);
            out.push_str(&text[i..i + len]);
            for _ in 1..len {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape_in`] for one piece inside a line (a path, a value, a label).
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    escape_in(text, Layout::Inline)
}

/// [`escape_in`] for lines of text (a message, a diff).
pub(crate) fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_in(text, Layout::Lines)
}

/// A path as shown: [`escape`]d, as [`Path::display`] writes it.
///
/// [`Path::display`]: std::path::Path::display
pub(crate) fn path(p: &std::path::Path) -> String {
    escape(&p.to_string_lossy()).into_owned()
}

/// An error with its causes (`{:#}`), as shown: [`escape_lines`]d.
pub(crate) fn error(e: &anyhow::Error) -> String {
    escape_lines(&format!("{e:#}")).into_owned()
}

/// True when either stream may carry colour: the tool's own styles are then
/// in the text (some are made for stdout and written to stderr).
fn colors_on() -> bool {
    console::colors_enabled() || console::colors_enabled_stderr()
}

/// Whether the character at `i` may stand as it is.
fn keeps(text: &str, i: usize, c: char, layout: Layout, styling: bool) -> bool {
    match c {
        '\n' | '\t' => layout != Layout::Inline,
        '\r' => layout != Layout::Inline && text[i + 1..].starts_with('\n'),
        '\u{1b}' => styling && sgr_len(&text[i..]) > 0,
        c => !c.is_control() && !invisible(c),
    }
}

/// Characters that reorder what a terminal shows (bidirectional overrides,
/// isolates and marks: `notes\u{202e}txt.md` reads as "notesdm.txt") or
/// show nothing at all (a zero-width space in a URL): a difference a person
/// could not see. Joiners that scripts and emoji need (U+200C, U+200D) stay.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The length of the colour sequence `text` starts with (`ESC [ 1 ; 31 m`),
/// 0 when it starts with anything else.
fn sgr_len(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("\u{1b}[") else {
        return 0;
    };
    let params = rest
        .bytes()
        .take(32)
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    if rest.as_bytes().get(params) == Some(&b'm') {
        2 + params + 1
    } else {
        0
    }
}

/// `text` without the colour sequences ([`sgr_len`]) in it; every other
/// escape byte stays, for [`escape_in`] to show.
fn without_colours(text: &str) -> Cow<'_, str> {
    if !text.contains("\u{1b}[") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let len = sgr_len(&rest[i..]);
        if len == 0 {
            out.push('\u{1b}');
            rest = &rest[i + 1..];
        } else {
            rest = &rest[i + len..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Writes the visible form of control character `c`.
fn visible(out: &mut String, c: char) {
    // Writing into a String cannot fail.
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

/// Where human output goes. Everything printed for a person passes through
/// [`Stream::print`]: styled text from the tool, escaped as
/// [`Layout::Styled`], so that nothing a file says can drive the terminal
/// even where a piece was not escaped on its own.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    /// Standard output.
    Out,
    /// Standard error.
    Err,
}

impl Stream {
    /// Writes `text` escaped as [`Layout::Styled`] (a broken pipe is not an
    /// error worth more than the output lost).
    pub(crate) fn print(self, text: &str) {
        // Styles follow the stream written to: the tool styles some text
        // by standard output's terminal, and `2>log` must get none.
        let colored = match self {
            Stream::Out => console::colors_enabled(),
            Stream::Err => console::colors_enabled_stderr(),
        };
        let text = if colored {
            Cow::Borrowed(text)
        } else {
            without_colours(text)
        };
        let shown = escape_in(&text, Layout::Styled);
        // At a terminal, no row is cut by it: long rows wrap at words.
        let term = match self {
            Stream::Out => console::Term::stdout(),
            Stream::Err => console::Term::stderr(),
        };
        let shown = match term.size_checked() {
            Some((_, w)) if w > 0 => super::fit_rows(&shown, usize::from(w)).into(),
            _ => shown,
        };
        let _ = match self {
            Stream::Out => std::io::stdout().lock().write_all(shown.as_bytes()),
            Stream::Err => std::io::stderr().lock().write_all(shown.as_bytes()),
        };
    }
}

/// Writes `text` and a newline to standard output as it is: JSON, made safe
/// by [`json_text`] already. A reader that went away (`| head -1`) ends the
/// output quietly, as git's does; any other failure (a full disk) is an error.
pub(crate) fn print_json(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// `println!` for a person: the line through [`Stream::print`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::report::Stream::Out.print(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` for a person: the line through [`Stream::print`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::report::Stream::Err.print(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, outln};

/// Control characters in a JSON text written as `\u00XX` escapes: serde
/// escapes C0 already, DEL and C1 it leaves raw. The value read back is the
/// same (JSON stays exact); the text holds no control character a terminal
/// would act on.
pub(crate) fn json_text(json: String) -> String {
    // serde's own newlines and indentation are the only controls it leaves
    // outside strings; inside them it has escaped every C0 already.
    let raw = |c: char| c.is_control() && c != '\n';
    if !json.chars().any(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(
            escape("T \u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "T \\x1b]0;pwned\\x07\\x1b[2J"
        );
        assert_eq!(escape("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(escape("del\u{7f} csi\u{9b}"), "del\\x7f csi\\u{9b}");
        assert!(matches!(escape("plain — ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_that_reorders_or_hides_itself_becomes_visible() {
        // Found by an attacker's trial: a right-to-left override in a file
        // name, a zero-width space in a URL.
        assert_eq!(escape("notes\u{202e}txt.md"), "notes\\u{202e}txt.md");
        assert_eq!(
            escape_lines("https://exam\u{200b}ple.com\n"),
            "https://exam\\u{200b}ple.com\n"
        );
        assert_eq!(
            escape("\u{feff}a\u{2066}b\u{2069}"),
            "\\u{feff}a\\u{2066}b\\u{2069}"
        );
        // Joiners scripts and emoji need stay.
        assert!(matches!(
            escape("می\u{200c}خواهم 👨\u{200d}👩"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn colours_come_off_for_a_stream_without_them_and_nothing_else_does() {
        // Found by the picker's trial: `2>log` at a terminal got colours.
        assert_eq!(
            without_colours("\u{1b}[1;31merror\u{1b}[0m: x \u{1b}]0;t\u{7}"),
            "error: x \u{1b}]0;t\u{7}"
        );
        assert_eq!(
            escape_with(
                &without_colours("\u{1b}\u{1b}[0m]0;t"),
                Layout::Styled,
                false
            ),
            "\\x1b]0;t"
        );
        assert!(matches!(without_colours("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn lines_keep_their_layout_and_crlf_but_not_a_lone_cr() {
        assert_eq!(escape_lines("a\r\n\tb\n"), "a\r\n\tb\n");
        assert_eq!(escape_lines("over\rwrite\n"), "over\\rwrite\n");
        assert_eq!(escape_lines("end\r"), "end\\r");
    }

    #[test]
    fn styled_text_keeps_only_colour_sequences_and_only_with_colour() {
        let text = "\u{1b}[1;31merror\u{1b}[0m: \u{1b}]52;c;eA==\u{7} \u{1b}[2J";
        assert_eq!(
            escape_with(text, Layout::Styled, true),
            "\u{1b}[1;31merror\u{1b}[0m: \\x1b]52;c;eA==\\x07 \\x1b[2J"
        );
        assert_eq!(
            escape_with(text, Layout::Styled, false),
            "\\x1b[1;31merror\\x1b[0m: \\x1b]52;c;eA==\\x07 \\x1b[2J"
        );
    }

    #[test]
    fn json_keeps_its_value_and_loses_raw_controls() {
        let v = serde_json::json!({"t": "a\u{7f}\u{9b}\u{1b}b\nc"});
        let text = json_text(serde_json::to_string_pretty(&v).unwrap());
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
