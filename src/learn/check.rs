//! learn's self-check: the newest conflicted merges are held back, and
//! each rule or group learned from the older ones is replayed on them with
//! and without it, one after another.
//!
//! ```text
//! better   a file, or a part of it, settled as people did where it was not, or left
//!          where it was settled differently
//! worse    a file, or a part, settled differently where it was not, or left where it
//!          was settled as people did
//! kept     a rule or group: no held-back file worse, at least one better
//!          `ask`: it removes wrong answers, loses no more right ones than it removes,
//!          and does no other harm
//! ```
//!
//! Each one kept joins the rules the next one is judged against, so that
//! two proposals that each look good alone cannot undo each other.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::decide::rules::Rule;
use crate::merge::compare::Part;
use crate::pipeline::driver::DriverSettings;

use super::groups::Facts;
use super::replay::{judge_all, tally, Counts, FileCase, FileResult, Verdict};

/// What one proposal did to the held-back merges.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct HeldBack {
    /// Files that came out better.
    pub(crate) better: usize,
    /// Files that came out worse.
    pub(crate) worse: usize,
    /// Parts no longer settled differently.
    pub(crate) wrong_removed: usize,
    /// Parts settled as people did before, left now.
    pub(crate) right_lost: usize,
}

/// What the check found over all the held-back merges.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct Summary {
    /// Conflicted merges held back (the newest).
    pub(crate) merges: usize,
    /// Conflicted merges learned from (the older).
    pub(crate) learned_from: usize,
    /// Parts of the held-back merges with today's rules.
    pub(crate) before: Counts,
    /// The same with every rule and group that passed.
    pub(crate) after: Counts,
    /// Whole files with today's rules.
    pub(crate) files_before: Counts,
    /// Whole files with what passed.
    pub(crate) files_after: Counts,
    /// What was learned from the older merges and did not pass, and why.
    pub(crate) not_kept: Vec<NotKept>,
}

/// A rule or group the check turned down.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct NotKept {
    /// What it was, as it would be written (`title = "theirs"`, `group source_commit: …`).
    pub(crate) what: String,
    /// What it did on the held-back merges.
    pub(crate) held_back: HeldBack,
}

/// One rule or group to check: the settings it adds, and the keys it may touch.
pub(crate) struct Trial {
    /// As it would be written, for [`NotKept`].
    pub(crate) what: String,
    /// Today's settings plus this: applied to what passed before it.
    pub(crate) add: Box<dyn Fn(&DriverSettings) -> DriverSettings + Sync>,
    /// The keys it acts on (a file where none differs is left alone).
    pub(crate) keys: Vec<String>,
    /// `ask`: judged by wrong answers removed against right ones lost.
    pub(crate) rule: Option<Rule>,
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Differently => 0,
        Verdict::Left => 1,
        Verdict::AsHuman => 2,
    }
}

/// How one file changed: (better, worse, wrong removed, right lost, harm
/// besides right answers left for a person on `keys`).
fn compare(
    old: &FileResult,
    new: &FileResult,
    keys: &[String],
) -> (bool, bool, usize, usize, bool) {
    let (mut better, mut worse, mut removed, mut lost, mut harm) = (false, false, 0, 0, false);
    let mut step = |a: Verdict, b: Verdict, own: bool| {
        let (ra, rb) = (rank(a), rank(b));
        better |= rb > ra;
        worse |= rb < ra;
        if a == Verdict::Differently && b != a {
            removed += 1;
        }
        match (a, b) {
            (Verdict::AsHuman, Verdict::Left) if own => lost += 1,
            _ if rb < ra => harm = true,
            _ => {}
        }
    };
    for (p, q) in old.parts.iter().zip(&new.parts) {
        debug_assert_eq!((&p.part, p.undone), (&q.part, q.undone));
        let own = matches!(&p.part, Part::Key(k) if keys.contains(&k.to_string()));
        step(p.verdict, q.verdict, own);
    }
    // The whole file: a part left for a person leaves the file too.
    let (a, b) = (old.verdict, new.verdict);
    better |= rank(b) > rank(a);
    worse |= rank(b) < rank(a);
    if rank(b) < rank(a) && !(a == Verdict::AsHuman && b == Verdict::Left && lost > 0) {
        harm = true;
    }
    (better && !worse, worse, removed, lost, harm)
}

/// Runs the check: `trials` one after another on the held-back `cases`
/// (`facts` beside them, and `today`: their replay under `settings`), each
/// judged against `settings` plus the trials kept before it. Returns, for
/// each trial, whether it was kept and what it did; and the summary.
pub(crate) fn run(
    cases: &[&FileCase],
    facts: &[&Facts],
    today: Vec<Result<FileResult, &'static str>>,
    settings: &DriverSettings,
    trials: &[Trial],
    learned_from: usize,
) -> (Vec<(bool, HeldBack)>, Summary) {
    let merges: BTreeSet<&str> = cases.iter().map(|c| c.merge.as_str()).collect();
    let mut current = settings.clone();
    let mut results = today;
    let before = tally(results.iter().cloned());
    let mut verdicts = Vec::with_capacity(trials.len());
    let mut not_kept = Vec::new();
    for trial in trials {
        let touched: Vec<usize> = (0..cases.len())
            .filter(|&i| trial.keys.iter().any(|k| facts[i].contains_key(k)))
            .collect();
        let with = (trial.add)(&current);
        let sub: Vec<&FileCase> = touched.iter().map(|&i| cases[i]).collect();
        let new = judge_all(&sub, &with);
        let mut hb = HeldBack::default();
        let mut harm = false;
        for (&i, n) in touched.iter().zip(&new) {
            let (Ok(old), Ok(n)) = (&results[i], n) else {
                continue;
            };
            let (better, worse, removed, lost, h) = compare(old, n, &trial.keys);
            hb.better += usize::from(better);
            hb.worse += usize::from(worse);
            hb.wrong_removed += removed;
            hb.right_lost += lost;
            harm |= h;
        }
        let kept = if trial.rule == Some(Rule::Ask) {
            hb.wrong_removed > 0 && hb.right_lost <= hb.wrong_removed && !harm
        } else {
            hb.worse == 0 && hb.better > 0
        };
        if kept {
            current = with;
            for (i, n) in touched.into_iter().zip(new) {
                results[i] = n;
            }
        } else {
            not_kept.push(NotKept {
                what: trial.what.clone(),
                held_back: hb,
            });
        }
        verdicts.push((kept, hb));
    }
    let after = tally(results);
    let summary = Summary {
        merges: merges.len(),
        learned_from,
        before: before.parts(),
        after: after.parts(),
        files_before: before.files,
        files_after: after.files,
        not_kept,
    };
    (verdicts, summary)
}

/// How many of `n` conflicted merges to hold back for `share`: rounded,
/// at least one and at most all but one (none for a share of 0 or fewer
/// than two merges).
pub(crate) fn held_back(n: usize, share: f64) -> usize {
    if share <= 0.0 || n < 2 {
        return 0;
    }
    ((n as f64 * share).round() as usize).clamp(1, n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_share_rounded_keeping_one_on_each_side() {
        assert_eq!(held_back(10, 0.3), 3);
        assert_eq!(held_back(4, 0.3), 1);
        assert_eq!(held_back(5, 0.3), 2);
        assert_eq!(held_back(2, 0.3), 1);
        assert_eq!(held_back(1, 0.3), 0);
        assert_eq!(held_back(10, 0.0), 0);
        assert_eq!(held_back(10, 0.99), 9);
    }
}
