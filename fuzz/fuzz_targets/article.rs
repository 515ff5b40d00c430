//! Fuzz target: the article parser on arbitrary text. It must never panic,
//! and on success its pieces must reassemble into the input.
#![no_main]

use frontmerge::article::{parse, ArticleOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(a) = parse(text, &ArticleOptions::default()) else {
        return;
    };
    assert_eq!(a.reassembled(), text, "pieces reassemble to the text");
});
