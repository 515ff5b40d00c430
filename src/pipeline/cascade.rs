//! THE chain of deciders, built here and nowhere else from a [`Policy`]:
//! the base first (three-way), then the field rules, then `--prefer` when
//! the policy has it, then whatever finishes the job: a person (the
//! picker), conflict markers (the merge driver), or nothing (the part stays
//! a decision). `resolve`, `merge-driver` and `diff` ([`preview`]) all run
//! this one chain.
//!
//! ```text
//! ThreeWay ──▶ Rules ──▶ PreferStep (--prefer) ──▶ Last::Ask | Last::Conflicts | Last::Open
//! ```

use crate::conflict::sides::Side;
use crate::decide::rules::{Mode, RuleSet, Rules};
use crate::decide::{
    Decider, Decision, Decisions, FileView, Flow, LeaveConflicts, PreferStep, ThreeWay,
};
use crate::merge::compare::Part;

use super::Policy;

/// What settles the parts the base, the rules and `--prefer` left open.
pub enum Last<'p> {
    /// Nothing: they stay open, each one a decision to make.
    Open,
    /// A person: the picker.
    Ask(&'p mut dyn Decider),
    /// The merge driver (and `resolve --leave-conflicts`): markers around
    /// every part still open; a `--prefer` that cannot apply (no date tells
    /// the sides apart) only becomes a note.
    Conflicts,
}

/// The chain: [`ThreeWay`], the field [`Rules`], `--prefer` when the
/// policy has it, then [`Last`].
pub struct Cascade<'p> {
    policy: Policy,
    last: Last<'p>,
}

impl<'p> Cascade<'p> {
    /// The chain carrying out `policy`, with this last step.
    pub fn new(policy: Policy, last: Last<'p>) -> Cascade<'p> {
        Cascade { policy, last }
    }
}

/// Runs `chain` in order until nothing is left to decide. Sides can differ
/// only outside the parts (a BOM, quoting, a comment): then the chain goes on
/// until some decider picks the side whose bytes frame the output, so that
/// `--prefer stashed` gives exactly the stashed side.
pub fn run(
    chain: &mut [&mut dyn Decider],
    file: &FileView<'_, '_>,
    decisions: &mut Decisions,
) -> Result<Flow, crate::decide::DecideError> {
    let texts_differ = file.articles.upstream.text != file.articles.stashed.text;
    for d in chain.iter_mut() {
        let settled = decisions.open(file.comparison).is_empty();
        if settled && (decisions.skeleton.is_some() || !texts_differ) {
            break;
        }
        if d.decide(file, decisions)? == Flow::Quit {
            return Ok(Flow::Quit);
        }
    }
    Ok(Flow::Continue)
}

/// `--prefer` inside the merge driver: a failure leaves the parts open (they
/// become conflicts) and says why in a note.
struct Lenient<'a>(&'a mut PreferStep);

impl Decider for Lenient<'_> {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, crate::decide::DecideError> {
        if let Err(e) = &self.0.preferred {
            decisions.note(None, format!("{e}; leaving those parts as conflicts"));
            return Ok(Flow::Continue);
        }
        self.0.decide(file, decisions)
    }
}

impl Decider for Cascade<'_> {
    fn chooses_sides(&self) -> bool {
        self.policy.prefer.is_some() || matches!(self.last, Last::Ask(_))
    }

    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, crate::decide::DecideError> {
        // `--prefer` worked out once for the file: the rules' writing
        // style, `--prefer` and `--links` all read this one.
        let preferred = self.policy.preferred(file.articles);
        let mut rules = Rules {
            set: std::mem::take(&mut self.policy.rules),
            mode: self.policy.mode,
            preferred: match &preferred {
                Some(Ok((side, _))) => *side,
                _ => Side::Upstream,
            },
        };
        let mut prefer = preferred.map(|preferred| PreferStep {
            preferred,
            links: self.policy.links,
        });
        let mut three_way = ThreeWay;
        let flow = match (&mut self.last, prefer.as_mut()) {
            (Last::Conflicts, Some(p)) => run(
                &mut [
                    &mut three_way,
                    &mut rules,
                    &mut Lenient(p),
                    &mut LeaveConflicts,
                ],
                file,
                decisions,
            ),
            (Last::Conflicts, None) => run(
                &mut [&mut three_way, &mut rules, &mut LeaveConflicts],
                file,
                decisions,
            ),
            (last, Some(p)) => {
                let flow = match last {
                    Last::Ask(person) => run(
                        &mut [&mut three_way, &mut rules, &mut *p, *person],
                        file,
                        decisions,
                    ),
                    _ => run(&mut [&mut three_way, &mut rules, &mut *p], file, decisions),
                };
                // `--links` wins over the base's set merge of the links.
                match flow {
                    Ok(Flow::Continue) => p.settle_links(file, decisions).map(|()| Flow::Continue),
                    other => other,
                }
            }
            (Last::Ask(person), None) => {
                run(&mut [&mut three_way, &mut rules, *person], file, decisions)
            }
            (Last::Open, None) => run(&mut [&mut three_way, &mut rules], file, decisions),
        };
        self.policy.rules = rules.set;
        // A file settled without anyone choosing a side (the base, the
        // rules) is framed by the current side, as git keeps "ours" and as
        // the merge driver and `--leave-conflicts` frame it: plain `resolve`
        // writes the driver's bytes (both sides reordered the keys, more
        // parts taken from the stash: the stash framed it here only).
        let chosen = decisions.chosen();
        // (Without a base, sides that differ only in layout are a
        // decision: the chain above leaves it open.)
        let has_base = file.articles.base.is_some();
        if has_base
            && decisions.skeleton.is_none()
            && !chosen
            && decisions.open(file.comparison).is_empty()
        {
            decisions.skeleton = Some(Side::Upstream);
        }
        flow
    }
}

/// What `diff` tells: the differing parts the chain settles without asking
/// (by the base, by a rule), those left to decide, and the rules' notes.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    /// Settled parts, in the order they are shown, with how.
    pub settled: Vec<(Part, Decision)>,
    /// The decisions to make: what `resolve` would ask about.
    pub open: Vec<Part>,
    /// Why a rule could not settle its key, and the like.
    pub notes: Vec<crate::conflict::worded::Worded>,
    /// The questions the picker asks (a held key group is one; a key a rule
    /// answers is asked with that answer preselected): the count of decisions.
    pub asked: usize,
    /// Of those, the questions a rule has an answer for.
    pub answered: usize,
}

/// Runs the chain as batch `resolve` would without `--prefer` (the base,
/// then the field rules settling), and reports instead of writing.
pub fn preview(file: &FileView<'_, '_>, set: &RuleSet) -> Preview {
    let mut decisions = Decisions::default();
    // Neither the base nor the rules fail: they only fill in decisions.
    let settle = Policy::new(set.clone(), Mode::Settle);
    let _ = Cascade::new(settle, Last::Open).decide(file, &mut decisions);
    // As the picker sees the file: the rules suggesting, not settling.
    let mut suggested = Decisions::default();
    let suggest = Policy::new(set.clone(), Mode::Suggest);
    let _ = Cascade::new(suggest, Last::Open).decide(file, &mut suggested);
    let asked = crate::decide::questions(&suggested.open(file.comparison), suggested.held());
    let answered = asked
        .iter()
        .filter(|q| q.parts.iter().any(|p| suggested.suggestion(p).is_some()))
        .count();
    Preview {
        settled: file
            .comparison
            .differing()
            .filter_map(|p| decisions.get(&p).map(|d| (p.clone(), d.clone())))
            .collect(),
        open: decisions.open(file.comparison),
        notes: decisions.notes().map(|(_, t)| t.clone()).collect(),
        asked: asked.len(),
        answered,
    }
}
