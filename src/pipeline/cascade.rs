//! THE chain of deciders, built here and nowhere else: the base first
//! (three-way), then the field rules, then whatever finishes the job:
//! `--prefer`, a person (the picker), conflict markers (the merge driver), or
//! nothing (the part stays a decision). `resolve`, `merge-driver` and `diff`
//! ([`preview`]) all run this one chain.
//!
//! ```text
//! ThreeWay ──▶ Rules ──▶ Last::Prefer | Last::Ask | Last::Conflicts | Last::Open
//! ```

use crate::decide::{
    Decider, Decision, Decisions, FileView, Flow, LeaveConflicts, PreferPolicy, ThreeWay,
};
use crate::diff::Part;
use crate::rules::{Mode, RuleSet, Rules};

/// What settles the parts the base and the rules left open.
pub enum Last<'p> {
    /// Nothing: they stay open, each one a decision to make.
    Open,
    /// `--prefer` (and `--links`); its failure (no dates) is an error.
    Prefer(PreferPolicy),
    /// A person: the picker.
    Ask(&'p mut dyn Decider),
    /// The merge driver: `--prefer` when given (its failure only becomes a
    /// note), then markers around every part still open.
    Conflicts(Option<PreferPolicy>),
}

/// The chain: [`ThreeWay`], the field [`Rules`], then [`Last`].
pub struct Cascade<'p> {
    three_way: ThreeWay,
    rules: Rules,
    last: Last<'p>,
}

impl<'p> Cascade<'p> {
    /// The chain with these rules (settling or suggesting) and this last step.
    pub fn new(rules: Rules, last: Last<'p>) -> Cascade<'p> {
        Cascade {
            three_way: ThreeWay,
            rules,
            last,
        }
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
) -> anyhow::Result<Flow> {
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
struct Lenient<'a>(&'a mut PreferPolicy);

impl Decider for Lenient<'_> {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> anyhow::Result<Flow> {
        if let Err(e) = self.0.decide(file, decisions) {
            decisions.note(None, format!("{e:#}; leaving those parts as conflicts"));
        }
        Ok(Flow::Continue)
    }
}

impl Decider for Cascade<'_> {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> anyhow::Result<Flow> {
        let (three_way, rules) = (&mut self.three_way, &mut self.rules);
        match &mut self.last {
            Last::Open => run(&mut [three_way, rules], file, decisions),
            Last::Prefer(p) => {
                let flow = run(&mut [three_way, rules, p], file, decisions)?;
                // `--links` wins over the base's set merge of the links.
                if flow == Flow::Continue {
                    p.settle_links(file, decisions)?;
                }
                Ok(flow)
            }
            Last::Ask(person) => run(&mut [three_way, rules, *person], file, decisions),
            Last::Conflicts(prefer) => {
                let mut leave = LeaveConflicts;
                match prefer {
                    Some(p) => run(
                        &mut [three_way, rules, &mut Lenient(p), &mut leave],
                        file,
                        decisions,
                    ),
                    None => run(&mut [three_way, rules, &mut leave], file, decisions),
                }
            }
        }
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
    pub notes: Vec<String>,
    /// The questions the picker asks (a held key group is one; a key a rule
    /// answers is asked with that answer preselected): the count of decisions.
    pub asked: usize,
    /// Of those, the questions a rule has an answer for.
    pub answered: usize,
}

/// Runs the chain as batch `resolve` would without `--prefer` (the base,
/// then the field rules settling), and reports instead of writing.
pub fn preview(file: &FileView<'_, '_>, set: &RuleSet) -> Preview {
    let rules = Rules {
        set: set.clone(),
        mode: Mode::Settle,
        prefer: None,
        date_fields: Vec::new(),
    };
    let mut decisions = Decisions::default();
    // Neither the base nor the rules fail: they only fill in decisions.
    let _ = Cascade::new(rules, Last::Open).decide(file, &mut decisions);
    // As the picker sees the file: the rules suggesting, not settling.
    let mut suggested = Decisions::default();
    let rules = Rules {
        set: set.clone(),
        mode: Mode::Suggest,
        prefer: None,
        date_fields: Vec::new(),
    };
    let _ = Cascade::new(rules, Last::Open).decide(file, &mut suggested);
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
        notes: decisions.notes().map(|(_, t)| t.to_owned()).collect(),
        asked: asked.len(),
        answered,
    }
}
