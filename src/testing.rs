//! What the unit tests share.

use proptest::prelude::*;

/// An item of `pool` drawn by a small deterministic generator (`seed`
/// steps as a 64-bit linear congruential generator): varied test inputs
/// that are the same on every run, without a dependency.
pub(crate) fn pick<'p, T>(seed: &mut u64, pool: &'p [T]) -> &'p T {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    &pool[(*seed >> 33) as usize % pool.len()]
}

/// Lines that matter to the conflict scanner and the frontmatter parsers
/// (markers of every kind and size, fences, YAML, TOML and JSON lines, a
/// links section, a code fence, a BOM), mixed with noise: the text the
/// "nothing panics" properties of `check` and of the pipeline run on.
pub(crate) fn marker_soup() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("<<<<<<< Updated upstream\n".to_owned()),
        Just("||||||| Stash base\n".to_owned()),
        Just("=======\n".to_owned()),
        Just(">>>>>>> Stashed changes\n".to_owned()),
        Just("<<<<<<<<< x\n".to_owned()),
        Just(">>>>>>>>>\r\n".to_owned()),
        Just("---\n".to_owned()),
        Just("---\r\n".to_owned()),
        Just("...\n".to_owned()),
        Just("+++\n".to_owned()),
        Just("{\n".to_owned()),
        Just("}\n".to_owned()),
        Just("title: x\n".to_owned()),
        Just("title = \"x\"\n".to_owned()),
        Just("\"title\": \"x\",\n".to_owned()),
        Just("title: [y\n".to_owned()),
        Just("  - a\n".to_owned()),
        Just("\tb: c\n".to_owned()),
        Just("a: &x [*x]\n".to_owned()),
        Just("d: >-\n".to_owned()),
        Just("## Related\n".to_owned()),
        Just("- [Заголовок](/a/)\n".to_owned()),
        Just("*   [>-](/b/)\n".to_owned()),
        Just("```\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\n".to_owned()),
        ".{0,12}\n",
        ".{0,6}",
    ];
    prop::collection::vec(line, 0..40).prop_map(|l| l.concat())
}
