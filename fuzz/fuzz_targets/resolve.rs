//! Fuzz target: the whole resolve pipeline on arbitrary bytes, as the binary
//! runs it on a file with markers (decode, scan, split, parse, compare,
//! decide, render, validate) with each batch policy. It must never panic,
//! and whatever it would write must pass the same validation as a write.
#![no_main]

use std::path::Path;

use frontmerge::conflict::sides::Side;
use frontmerge::decide::{Decider, LinksPolicy, Prefer};
use frontmerge::pipeline::decode;
use frontmerge::pipeline::cascade::{Cascade, Last};
use frontmerge::pipeline::{self, Input, Options, Outcome, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data) else {
        return;
    };
    let opts = Options::default();
    let input = Input::Conflicted { text, known: &[] };
    let policies = [
        (Some(Prefer::Side(Side::Upstream)), None),
        (Some(Prefer::Side(Side::Stashed)), Some(LinksPolicy::Union)),
        (Some(Prefer::Newest), Some(LinksPolicy::Side(Side::Upstream))),
        // Without --prefer: only what needs no decision is settled.
        (None, None),
    ];
    for (prefer, links) in policies {
        let policy = Policy::default()
            .with_prefer(prefer, &["pubDate".into(), "date".into()])
            .with_links(links);
        let mut chain = Cascade::new(policy, Last::Open);
        let mut deciders: Vec<&mut dyn Decider> = vec![&mut chain];
        let r = pipeline::resolve(Path::new("fuzz.md"), input, &opts, &mut deciders);
        if let Ok(Outcome::Resolved(r)) = r {
            assert!(pipeline::validate(&r.output, &opts, r.unresolved).is_ok());
        }
    }
});
