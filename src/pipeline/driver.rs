//! The merge driver's automatic merge of three whole texts: git's own line
//! merge first (`git merge-file`), then the pipeline settles only what git
//! left in conflict. The one library function behind `merge-driver`,
//! `replay` and `learn` (which judge exactly what the driver does).

use std::path::Path;

use crate::conflict::marker_size::MarkerSize;
use crate::conflict::scan::Labels;
use crate::conflict::sides::Sides;
use crate::decide::Decider;
use crate::error::Error;
use crate::git;
use crate::merge::endings::Converted;
use crate::pipeline::cascade::{Cascade, Last};
use crate::pipeline::{self, Options, Outcome, Policy};

/// What the driver's automatic merge runs with: the policy (rules, key
/// groups, `--prefer` and its dates), derived fields, marker size.
#[derive(Clone, Debug, Default)]
pub struct DriverSettings {
    /// How conflicting leaves are decided (the rules settle).
    pub policy: Policy,
    /// `[derived]` fields.
    pub derived: Vec<(String, String)>,
    /// `--sync-derived`.
    pub sync_derived: bool,
    /// Conflict marker size.
    pub marker_size: MarkerSize,
    /// Conflicts left in zdiff3 style (`merge.conflictStyle = zdiff3`)
    /// where the labels carry a base.
    pub zdiff3: bool,
}

/// The merge driver's automatic three-way merge of whole texts, the one
/// library function behind `merge-driver` (and `replay`, which judges
/// exactly what the driver does).
///
/// Git's own line merge comes first (`git merge-file`): where it is clean,
/// its bytes are the result, whatever the rules or `--prefer` say. Where it
/// conflicts, the cascade (three-way per part, field rules, `--prefer`,
/// then markers) settles only what git left in conflict, reading the base
/// from git's own diff3 sections; every line git merged stays as git wrote
/// it. Without a base the texts are merged two ways, part by part.
///
/// The notes (why a `--prefer newest` could not apply, rules that fell
/// back) stay in the outcome for the caller to show. An error means the
/// texts could not be merged exactly: the caller falls back to git.
pub fn merge_three(
    path: &Path,
    texts: Sides<&str>,
    labels: Labels<'_>,
    settings: &DriverSettings,
) -> Result<Outcome, crate::error::Error> {
    let mut opts = Options {
        marker_size: settings.marker_size,
        // Markers around what is left go where git's own merge puts them.
        line_merger: Some(if settings.zdiff3 {
            git::conflict_lines_zealous
        } else {
            git::conflict_lines
        }),
        ..Options::default()
    };
    opts.derived.configured = settings.derived.clone();
    opts.derived.sync = settings.sync_derived;
    opts.sets = settings.policy.rules.clone();
    let mut chain = Cascade::new(settings.policy.clone(), Last::Conflicts);
    let mut deciders: Vec<&mut dyn Decider> = vec![&mut chain];
    // Line endings one side converted: the others read in the new ones
    // (see `merge::endings`), git's line merge included.
    let converted = Converted::of(&texts).map(|c| c.versions(&texts));
    let texts = converted
        .as_ref()
        .map_or(texts, |c| c.as_ref().map(String::as_str));
    let base = texts.base.unwrap_or("");
    let size = crate::conflict::scan::unambiguous_marker_size(
        &[texts.upstream, base, texts.stashed],
        opts.marker_size,
    );
    let (merged, conflicts) = git::merge_file_texts(
        [
            texts.upstream.as_bytes(),
            base.as_bytes(),
            texts.stashed.as_bytes(),
        ],
        [
            labels.upstream,
            labels.base.unwrap_or("base"),
            labels.stashed,
        ],
        size,
    )
    .map_err(|e| Error::Decide(crate::error::DecideError::Outside(Box::new(e))))?;
    let merged = String::from_utf8(merged)
        .map_err(|_| Error::InvalidResult("git merge-file wrote invalid UTF-8".into()))?;
    let _ = conflicts;
    let input = pipeline::Input::Three {
        versions: Sides::new(texts.upstream, texts.stashed, Some(base)),
        merged: pipeline::LineMerge {
            text: &merged,
            marker_size: size,
        },
        labels,
    };
    pipeline::resolve(path, input, &opts, &mut deciders)
}
