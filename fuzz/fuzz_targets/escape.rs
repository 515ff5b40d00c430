//! Fuzz target: the escaping of text for a terminal (`cli/report/escape.rs`)
//! and the `diff` view of arbitrary conflicted text under an arbitrary file
//! name. Nothing shown may hold a control character but the layout's own
//! newlines, tabs and CRLF endings, and with colour on only colour (SGR)
//! sequences may start with ESC; text without control characters is shown
//! unchanged.
#![no_main]

use std::path::Path;

use frontmerge::cli::fuzzing::{diff_view, escape_inline, escape_lines, escape_styled};
use frontmerge::pipeline::{Conflicted, Options};
use libfuzzer_sys::fuzz_target;

/// The command line's layouts (crate-private there), each with what it keeps.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Layout {
    /// Inside a line: every control character escaped.
    Inline,
    /// Lines: newlines, tabs and CRLF endings kept.
    Lines,
    /// Styled lines: as `Lines`, and with colours on, SGR sequences kept.
    Styled,
}

/// `text` escaped for `layout`.
fn escape_in(text: &str, layout: Layout) -> String {
    match layout {
        Layout::Inline => escape_inline(text),
        Layout::Lines => escape_lines(text),
        Layout::Styled => escape_styled(text),
    }
}

/// The control characters `shown` may keep in `layout`, given colour.
fn assert_shown(shown: &str, layout: Layout, colour: bool) {
    let b = shown.as_bytes();
    for (i, c) in shown.char_indices() {
        let ok = match c {
            '\n' | '\t' => layout != Layout::Inline,
            '\r' => layout != Layout::Inline && b.get(i + 1) == Some(&b'\n'),
            '\u{1b}' => {
                layout == Layout::Styled && colour && {
                    let rest = &shown[i + 1..];
                    let params = rest
                        .strip_prefix('[')
                        .map(|r| r.bytes().take_while(|b| b.is_ascii_digit() || *b == b';'));
                    params.is_some_and(|p| rest.as_bytes().get(1 + p.count()) == Some(&b'm'))
                }
            }
            c => !c.is_control(),
        };
        assert!(ok, "{c:?} at {i} shown raw in {layout:?}: {shown:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let colour = first & 1 == 1;
    console::set_colors_enabled(colour);
    console::set_colors_enabled_stderr(colour);
    for layout in [Layout::Inline, Layout::Lines, Layout::Styled] {
        let shown = escape_in(&text, layout);
        assert_shown(&shown, layout, colour);
        if !text.chars().any(char::is_control) {
            assert_eq!(shown, text, "plain text changed");
        }
    }
    // The diff view of the text as a conflicted article, named by its
    // first line: every piece from the file escaped.
    let name = text.lines().next().unwrap_or_default();
    let opts = Options::default();
    let Ok(Some(c)) = Conflicted::scan(&text, opts.marker_size) else {
        return;
    };
    let Ok(arts) = c.articles(&opts.article) else {
        return;
    };
    let cmp = frontmerge::merge::compare::compare(arts.as_ref());
    let view = diff_view(Path::new(name), 1, c.labels(), &arts, &cmp, 80);
    assert_shown(&view, Layout::Styled, colour);
});
