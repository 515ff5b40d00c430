//! Fuzz target: the whole resolve pipeline on arbitrary bytes, as the binary
//! runs it (decode, scan, split, parse, compare, decide, render, validate)
//! with each batch policy. It must never panic, and whatever it would write
//! must pass the same validation as a write.
#![no_main]

use std::path::Path;

use frontmerge::decide::{LinksPolicy, Prefer, PreferPolicy};
use frontmerge::error::decode;
use frontmerge::pipeline::{self, Options, Outcome};
use frontmerge::conflict::sides::Side;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data) else {
        return;
    };
    let opts = Options::default();
    let _ = pipeline::compare_text(text, &opts);
    let policies = [
        (Prefer::Side(Side::Upstream), None),
        (Prefer::Side(Side::Stashed), Some(LinksPolicy::Union)),
        (Prefer::Newest, Some(LinksPolicy::Side(Side::Upstream))),
    ];
    for (prefer, links) in policies {
        let mut p = PreferPolicy {
            prefer,
            links,
            date_fields: vec!["pubDate".into(), "date".into()],
        };
        let r = pipeline::resolve_text(Path::new("fuzz.md"), text, &opts, &mut [&mut p]);
        if let Ok(Outcome::Resolved(r)) = r {
            assert!(pipeline::validate(&r.output, &opts, r.unresolved).is_ok());
        }
    }
    // Without a policy: only what needs no decision is settled.
    let _ = pipeline::resolve_text(Path::new("fuzz.md"), text, &opts, &mut []);
});
