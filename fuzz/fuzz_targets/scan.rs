//! Fuzz target: the conflict-marker scanner on arbitrary text, at the marker
//! size the first byte picks. It must never panic, and what it cuts must put
//! back together into the input. The lenient scan and the fenced examples
//! (the text as its own clean version) must not panic either.
#![no_main]

use frontmerge::conflict::fences::{self, Examples};
use frontmerge::conflict::marker_size::MarkerSize;
use frontmerge::conflict::scan::{self, Chunk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Some(size) = MarkerSize::new(3 + usize::from(first % 10)) else {
        return;
    };
    let _ = scan::other_marker_size(text, size);
    let _ = scan::has_open_marker(text, size);
    let _ = fences::may_hold_examples(text, size);
    let examples = Examples::known(text, size, &[text]);
    let _ = scan::lenient(text, size, &examples);
    let _ = scan::scan_except(text, size, &examples);
    if let Ok(chunks) = scan::scan(text, size) {
        let mut end = 0;
        for c in &chunks {
            match c {
                Chunk::Text { text: t, .. } => {
                    assert_eq!(scan_offset(text, t), end);
                    end += t.len();
                }
                Chunk::Conflict(c) => {
                    assert_eq!(c.span.start, end);
                    end = c.span.end;
                }
            }
        }
        assert_eq!(end, text.len(), "chunks cover the input");
    }
});

fn scan_offset(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}
