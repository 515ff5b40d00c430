//! Fuzz target: `check` on arbitrary text, reading frontmatter with and
//! without values. It must never panic, and both readings must agree on
//! which findings are errors. The plain YAML reader `check` uses must read
//! the same keys as the YAML library from whatever text it accepts.
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
    if let Some(keys) = frontmerge::article::frontmatter::plain_yaml::keys(text) {
        let library = frontmerge::article::frontmatter::yaml::parse_mapping(text)
            .map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
        assert_eq!(Ok(keys), library.map_err(|e| e.message), "plain reader disagrees");
    }
});
