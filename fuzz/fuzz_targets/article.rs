//! Fuzz target: the article parser on arbitrary text. It must never panic,
//! and on success its pieces must reassemble into the input.
#![no_main]

use frontmerge::article::{parse, ArticleOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(a) = parse(text, &ArticleOptions::default()) else {
        return;
    };
    let mut s = String::from(a.bom);
    if let Some(fm) = &a.frontmatter {
        s.push_str(fm.open);
        for e in &fm.entries {
            s.push_str(e.lead);
            s.push_str(e.text);
        }
        s.push_str(fm.trailer);
        s.push_str(fm.close);
    }
    s.push_str(a.body);
    if let Some(l) = &a.links {
        s.push_str(l.heading);
        for i in &l.items {
            s.push_str(i.text);
        }
        s.push_str(l.tail);
    }
    assert_eq!(s, text, "pieces reassemble to the text");
});
