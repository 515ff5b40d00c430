//! Fuzz target: `check` on arbitrary text, reading frontmatter with and
//! without values. It must never panic, and both readings must agree on
//! which findings are errors. The plain YAML reader `check` uses must read
//! the same keys as the YAML library from whatever text it accepts.
#![no_main]

use frontmerge::cli::fuzzing::check_errors;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let full = check_errors(text, true);
    let fast = check_errors(text, false);
    assert_eq!(full, fast, "key-only reading disagrees");
    if let Some(keys) = frontmerge::article::frontmatter::plain_yaml::keys(text) {
        let library = frontmerge::article::frontmatter::yaml::parse_mapping(text)
            .map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
        assert_eq!(Ok(keys), library.map_err(|e| e.message), "plain reader disagrees");
    }
});
