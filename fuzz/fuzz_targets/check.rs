//! Fuzz target: `check` on arbitrary text, reading frontmatter with and
//! without values. It must never panic, and both readings must agree on
//! which findings are errors.
#![no_main]

use frontmerge::check::{check, Committed, Severity};
use frontmerge::pipeline::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let full = check(text, &Options::default(), Committed::NoRepository);
    let mut keys_only = Options::default();
    keys_only.article.values = false;
    let fast = check(text, &keys_only, Committed::NoRepository);
    let errors = |f: &[frontmerge::check::Finding]| {
        f.iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.line, f.code))
            .collect::<Vec<_>>()
    };
    assert_eq!(errors(&full), errors(&fast), "key-only reading disagrees");
});
