//! `learn`: from a replay, the `.frontmerge.toml` rules and key groups that
//! reproduce what a repository's people committed, each with its evidence,
//! checked on merges it did not learn from.
//!
//! ```text
//! split     the conflicted merges, oldest first; the newest --holdout share (30%) is
//!           held back
//! learn     from the older merges:
//!   per key    every candidate rule replayed on the key's past conflicts; the best one when
//!              it settles at least --min-agreement of them as people did, from at least
//!              --min-merges merges, better than today's rules; `ask` where people disagree
//!              with each other and asking removes more wrong answers than it loses right ones
//!   per kind   the same within the merges of one branch (`merging = "main"`): a conditional
//!              rule ([when.NAME]) where that kind has its own habit
//!   groups     keys people took from the side that changed a leading key (see
//!              [`super::groups`]), kept when more files come out as people committed them
//!              and none worse
//! check     the held-back merges replayed with and without each of them (see [`super::check`])
//! propose   learned again from every merge: what passed the check, with the evidence of
//!           every merge
//! ```
//!
//! Evidence is counted in merges: one merge of twenty files is one piece of
//! evidence, not twenty. Rules name keys, a policy and a kind of merge,
//! never a value or a commit; sides are named as in a merge (ours, theirs).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::decide::rules::groups::Group;
use crate::decide::rules::when::Condition;
use crate::decide::rules::{Origin, Rule, When};
use crate::git::Operation;
use crate::merge::compare::Part;
use crate::pipeline::driver::DriverSettings;

pub(crate) use super::thresholds::Thresholds;

use super::check::{self, HeldBack, Summary, Trial};
use super::groups::{self, Facts};
use super::replay::{
    judge_all, report, score, tally, Collected, Counts, FileCase, FileResult, Report,
};

/// What one proposal rests on, over every merge learned from.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Evidence {
    /// Distinct merges.
    pub(crate) merges: usize,
    /// Conflicted files.
    pub(crate) files: usize,
    /// Parts of those files it acts on (conflicts, and for a group the
    /// one-sided changes people undid).
    pub(crate) parts: usize,
    /// Parts settled as people did, with the proposal.
    pub(crate) right_with: usize,
    /// Parts settled differently, with the proposal.
    pub(crate) wrong_with: usize,
    /// Parts settled as people did by today's rules.
    pub(crate) right_without: usize,
    /// Parts settled differently by today's rules.
    pub(crate) wrong_without: usize,
    /// A group's supporting evidence: files in which one commit changed the
    /// leader and a follower together, of the files looked at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) together: Option<Together>,
}

/// Files whose commits changed a group's keys together (supporting evidence).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Together {
    /// Files where one commit changed the leader and a follower.
    pub(crate) files: usize,
    /// Files looked at (a sample of the group's files).
    pub(crate) looked_at: usize,
}

impl Evidence {
    fn of(cases: &[&FileCase], with: Counts, without: Counts) -> Evidence {
        Evidence {
            merges: merges_in(cases),
            files: cases.len(),
            parts: with.conflicts,
            right_with: with.as_human,
            wrong_with: with.differently,
            right_without: without.as_human,
            wrong_without: without.differently,
            together: None,
        }
    }

    /// Wrong answers it removes (for `ask`).
    pub(crate) fn wrong_removed(&self) -> usize {
        self.wrong_without.saturating_sub(self.wrong_with)
    }

    /// Right answers it loses (for `ask`).
    pub(crate) fn right_lost(&self) -> usize {
        self.right_without.saturating_sub(self.right_with)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A proposal's evidence in words, as its comment says it:
/// `12 merges, 40 files, 40 parts: 40 as people did (0 differently), today
/// 0 (40 differently); held back: 5 files better, 0 worse`; for `ask`, the
/// wrong answers it removes and the right ones it loses.
pub(crate) fn evidence_text(e: &Evidence, held_back: Option<&HeldBack>, ask: bool) -> String {
    let mut out = format!(
        "{}, {}, {}: ",
        plural(e.merges, "merge", "merges"),
        plural(e.files, "file", "files"),
        plural(e.parts, "part", "parts")
    );
    if ask {
        out.push_str(&format!(
            "asking removes {} and loses {}",
            plural(e.wrong_removed(), "wrong answer", "wrong answers"),
            plural(e.right_lost(), "right one", "right ones")
        ));
    } else {
        out.push_str(&format!(
            "{} as people did ({} differently), today {} ({} differently)",
            e.right_with, e.wrong_with, e.right_without, e.wrong_without
        ));
    }
    if let Some(t) = e.together {
        out.push_str(&format!(
            "; one commit changed the leader and a follower together in {} of {} looked at",
            t.files,
            plural(t.looked_at, "file", "files")
        ));
    }
    match (held_back, ask) {
        (Some(h), false) => out.push_str(&format!(
            "; held back: {} better, {} worse",
            plural(h.better, "file", "files"),
            h.worse
        )),
        (Some(h), true) => out.push_str(&format!(
            "; held back: removes {} wrong, loses {} right",
            h.wrong_removed, h.right_lost
        )),
        (None, _) => {}
    }
    out
}

/// A rule's name as a merge names its sides: `ours`, `theirs`, `newest`.
pub(crate) fn rule_name(rule: Rule) -> &'static str {
    let [ours, theirs] = Operation::Merge.side_names();
    match rule {
        Rule::Upstream => ours,
        Rule::Stashed => theirs,
        other => other.name(),
    }
}

fn serialize_rule<S: Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule_name(*rule))
}

/// One proposed field rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct RuleProposal {
    /// The key.
    pub(crate) key: String,
    /// The rule.
    #[serde(serialize_with = "serialize_rule")]
    pub(crate) rule: Rule,
    /// Only in merges of this kind (`[when.NAME]`); `None`: every merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) condition: Option<Condition>,
    /// Why (for a conditional rule: the conflicts of its kind only).
    pub(crate) evidence: Evidence,
    /// What it did on the held-back merges (`None`: not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) held_back: Option<HeldBack>,
}

impl RuleProposal {
    fn learned(&self) -> Learned {
        (self.key.clone(), self.rule, self.condition.clone())
    }

    /// As it is written: `lastmod = "oldest"`.
    pub(crate) fn describe(&self) -> String {
        let mut out = format!("{} = \"{}\"", toml_key(&self.key), rule_name(self.rule));
        if let Some(c) = &self.condition {
            out.push_str(&format!(" ({c})"));
        }
        out
    }
}

/// A key, its rule, and the condition it holds under (`None`: every merge).
pub(crate) type Learned = (String, Rule, Option<Condition>);

/// One proposed key group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct GroupProposal {
    /// The group's name.
    pub(crate) name: String,
    /// Its keys.
    pub(crate) keys: Vec<String>,
    /// Its leader.
    pub(crate) leader: Option<String>,
    /// Why (the parts of its keys in the files where it applies).
    pub(crate) evidence: Evidence,
    /// What it did on the held-back merges (`None`: not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) held_back: Option<HeldBack>,
    /// The files it rests on (merge, path), newest last.
    #[serde(skip)]
    pub(crate) files: Vec<(String, String)>,
}

impl GroupProposal {
    /// As a rule-set group.
    pub(crate) fn group(&self) -> Group {
        Group {
            name: self.name.clone(),
            keys: self.keys.clone(),
            leader: self.leader.clone(),
        }
    }

    /// As it is named in a report: `group source_commit (drifted, source_commit)`.
    pub(crate) fn describe(&self) -> String {
        format!("group {} ({})", self.name, self.keys.join(", "))
    }
}

/// What `learn` proposes.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Proposal {
    /// The thresholds used.
    pub(crate) thresholds: Thresholds,
    /// Field rules.
    pub(crate) rules: Vec<RuleProposal>,
    /// Key groups.
    pub(crate) groups: Vec<GroupProposal>,
    /// The check on the held-back merges (`None`: nothing held back).
    pub(crate) check: Option<Summary>,
    /// The replay with today's rules.
    pub(crate) before: Report,
    /// The replay with the proposal added.
    pub(crate) after: Report,
}

/// Rules tried on every key.
const CANDIDATES: [Rule; 6] = [
    Rule::Upstream,
    Rule::Stashed,
    Rule::Newest,
    Rule::Oldest,
    Rule::Union,
    Rule::Words,
];

/// `settings` plus `rules` and `groups`, the additions beating the file's
/// rules for their keys (but not `--rule`).
pub(crate) fn with(
    settings: &DriverSettings,
    rules: &[Learned],
    groups: &[Group],
) -> DriverSettings {
    let mut s = settings.clone();
    for (k, r, c) in rules {
        match c {
            None => s.policy.rules.push(k, *r, Origin::File, When::Always),
            Some(c) => s.policy.rules.push_if(k, *r, Origin::File, c.clone()),
        }
    }
    for g in groups {
        s.policy.rules.push_group(g.clone());
    }
    s
}

/// Replays `cases` under `settings`.
fn replay(cases: &[&FileCase], settings: &DriverSettings) -> Report {
    tally(judge_all(cases, settings))
}

fn key_counts(r: &Report, key: &str) -> Counts {
    r.keys.get(key).copied().unwrap_or_default()
}

/// The parts of `keys`: their conflicts and the one-sided changes people undid.
fn part_counts(r: &Report, keys: &[String]) -> Counts {
    let mut c = Counts::default();
    for k in keys {
        for map in [&r.keys, &r.undone] {
            if let Some(n) = map.get(k) {
                c.merge(n);
            }
        }
    }
    c
}

/// The best rule for one key (under `condition`): (rule, counts), most
/// right answers first, then fewest wrong ones.
fn best_rule(
    cases: &[&FileCase],
    settings: &DriverSettings,
    key: &str,
    condition: Option<&Condition>,
) -> Option<(Rule, Counts)> {
    CANDIDATES
        .par_iter()
        .map(|&rule| {
            let s = with(settings, &[(key.to_owned(), rule, condition.cloned())], &[]);
            (rule, key_counts(&replay(cases, &s), key))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .max_by_key(|(_, c)| (c.as_human, std::cmp::Reverse(c.differently)))
}

/// More right answers, or as many and fewer wrong ones.
fn beats(got: Counts, was: Counts) -> bool {
    (got.as_human, std::cmp::Reverse(got.differently))
        > (was.as_human, std::cmp::Reverse(was.differently))
}

/// How many distinct merges the cases come from.
fn merges_in(cases: &[&FileCase]) -> usize {
    cases
        .iter()
        .map(|c| c.merge.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// The branches merged in at least `min` of the cases' merges, the most
/// merged first, a shorter name (`main` before `origin/main`) on a tie.
fn kinds(cases: &[&FileCase], min: usize) -> Vec<String> {
    let mut merges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in cases {
        for n in &c.merging {
            merges.entry(n).or_default().insert(&c.merge);
        }
    }
    let mut out: Vec<(usize, &str)> = merges
        .into_iter()
        .filter(|(_, m)| m.len() >= min)
        .map(|(n, m)| (m.len(), n))
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    out.into_iter().map(|(_, n)| n.to_owned()).collect()
}

type CaseId<'c> = (&'c str, &'c str);

fn id<'c>(c: &'c FileCase) -> CaseId<'c> {
    (&c.merge, &c.path)
}

/// One conditional candidate: its condition, rule, cases and counts (with
/// it, and with today's rules).
struct KindRule<'c> {
    condition: Condition,
    rule: Rule,
    cases: Vec<&'c FileCase>,
    got: Counts,
    was: Counts,
}

fn agreement(right: usize, cases: usize) -> f64 {
    if cases == 0 {
        0.0
    } else {
        right as f64 / cases as f64
    }
}

/// The rules proposed for one key (`now`: its counts today, over `cases`,
/// the files where it conflicts): per kind of merge, then for every merge.
fn rules_for_key(
    key: &str,
    now: Counts,
    cases: &[&FileCase],
    settings: &DriverSettings,
    t: &Thresholds,
) -> Vec<RuleProposal> {
    let counts_with = |sub: &[&FileCase], learned: &[Learned]| {
        key_counts(&replay(sub, &with(settings, learned, &[])), key)
    };
    let proposal = |rule, condition, sub: &[&FileCase], got, was| RuleProposal {
        key: key.to_owned(),
        rule,
        condition,
        evidence: Evidence::of(sub, got, was),
        held_back: None,
    };
    // Kinds with a habit of their own, each case counted under one kind.
    let mut per_kind: Vec<KindRule<'_>> = Vec::new();
    let mut covered: BTreeSet<CaseId<'_>> = BTreeSet::new();
    for name in kinds(cases, t.min_merges) {
        let condition = Condition::merging(&name);
        let sub: Vec<&FileCase> = cases
            .iter()
            .filter(|c| !covered.contains(&id(c)) && condition.matches(&c.kind()))
            .copied()
            .collect();
        if merges_in(&sub) < t.min_merges {
            continue;
        }
        let Some((rule, got)) = best_rule(&sub, settings, key, Some(&condition)) else {
            continue;
        };
        let was = counts_with(&sub, &[]);
        if agreement(got.as_human, sub.len()) >= t.min_agreement && beats(got, was) {
            covered.extend(sub.iter().map(|c| id(c)));
            per_kind.push(KindRule {
                condition,
                rule,
                cases: sub,
                got,
                was,
            });
        }
    }
    // The rule for every merge, judged on all of the key's conflicts.
    let whole = (merges_in(cases) >= t.min_merges)
        .then(|| best_rule(cases, settings, key, None))
        .flatten();
    let general = whole.filter(|(_, got)| {
        agreement(got.as_human, now.conflicts) >= t.min_agreement && beats(*got, now)
    });
    if let Some((rule, _)) = general {
        // A kind keeps its own rule only where the general one does worse there.
        per_kind.retain(|k| {
            k.rule != rule
                && beats(
                    k.got,
                    counts_with(&k.cases, &[(key.to_owned(), rule, None)]),
                )
        });
    }
    let kept: BTreeSet<CaseId<'_>> = per_kind
        .iter()
        .flat_map(|k| k.cases.iter().map(|c| id(c)))
        .collect();
    let mut out: Vec<RuleProposal> = per_kind
        .iter()
        .map(|k| proposal(k.rule, Some(k.condition.clone()), &k.cases, k.got, k.was))
        .collect();
    let rest: Vec<&FileCase> = cases
        .iter()
        .filter(|c| !kept.contains(&id(c)))
        .copied()
        .collect();
    if rest.is_empty() {
        return out;
    }
    let was = if kept.is_empty() {
        now
    } else {
        counts_with(&rest, &[])
    };
    if let Some((rule, got_all)) = general {
        let got = if kept.is_empty() {
            got_all
        } else {
            counts_with(&rest, &[(key.to_owned(), rule, None)])
        };
        if beats(got, was) {
            out.push(proposal(rule, None, &rest, got, was));
        }
        return out;
    }
    if merges_in(&rest) < t.min_merges {
        return out;
    }
    let best = if kept.is_empty() {
        whole
    } else {
        best_rule(&rest, settings, key, None)
    };
    let Some((rule, got)) = best else { return out };
    if agreement(got.as_human, rest.len()) >= t.min_agreement && beats(got, was) {
        out.push(proposal(rule, None, &rest, got, was));
    } else if was.differently > 0
        && agreement(was.as_human, was.as_human + was.differently) < t.min_agreement
        && agreement(got.as_human, rest.len()) < t.min_agreement
    {
        // People disagree with each other here: asking may beat guessing,
        // if it removes more wrong answers than it loses right ones.
        let asked = counts_with(&rest, &[(key.to_owned(), Rule::Ask, None)]);
        let e = Evidence::of(&rest, asked, was);
        if e.wrong_removed() > 0 && e.right_lost() <= e.wrong_removed() {
            out.push(proposal(Rule::Ask, None, &rest, asked, was));
        }
    }
    out
}

/// The groups learned from `cases` (facts beside them), on top of `settings`
/// (today's rules plus the rules learned).
fn groups_for(
    cases: &[&FileCase],
    facts: &[&Facts],
    settings: &DriverSettings,
    t: &Thresholds,
) -> Vec<GroupProposal> {
    let mut out = Vec::new();
    for cand in groups::candidates(cases, facts, t) {
        let sub: Vec<&FileCase> = cases
            .iter()
            .zip(facts)
            .filter(|(_, f)| {
                f.contains_key(&cand.leader) && cand.followers.iter().any(|k| f.contains_key(k))
            })
            .map(|(c, _)| *c)
            .collect();
        if merges_in(&sub) < t.min_merges {
            continue;
        }
        let group = |followers: &[String]| {
            let mut keys: Vec<String> = followers.to_vec();
            keys.push(cand.leader.clone());
            keys.sort();
            Group {
                name: cand.leader.clone(),
                keys,
                leader: Some(cand.leader.clone()),
            }
        };
        let now = replay(&sub, settings);
        let mut followers = cand.followers.clone();
        let mut got = replay(&sub, &with(settings, &[], &[group(&followers)]));
        // The smallest group that does as well: a follower people did not
        // need (another rule already settles it their way) is left out.
        for f in cand.followers.iter().rev() {
            if followers.len() < 2 {
                break;
            }
            let fewer: Vec<String> = followers.iter().filter(|x| *x != f).cloned().collect();
            let r = replay(&sub, &with(settings, &[], &[group(&fewer)]));
            if r.files.as_human >= got.files.as_human
                && r.files.differently <= got.files.differently
            {
                followers = fewer;
                got = r;
            }
        }
        if got.files.as_human > now.files.as_human && got.files.differently <= now.files.differently
        {
            let g = group(&followers);
            let evidence =
                Evidence::of(&sub, part_counts(&got, &g.keys), part_counts(&now, &g.keys));
            out.push(GroupProposal {
                name: g.name,
                keys: g.keys,
                leader: g.leader,
                evidence,
                held_back: None,
                files: sub
                    .iter()
                    .map(|c| (c.merge.clone(), c.path.clone()))
                    .collect(),
            });
        }
    }
    out
}

/// What to learn: every rule and group, or only those on some keys (once
/// the check has said which can be proposed at all).
#[derive(Clone, Debug, Default)]
struct Only {
    /// Keys whose rules are worth learning.
    keys: BTreeSet<String>,
    /// Whether groups are.
    groups: bool,
}

/// Rules and groups learned from `cases` (`facts` beside them, and
/// `today`: their replay with `settings`); with `only`, just those.
fn learn_from(
    cases: &[&FileCase],
    facts: &[&Facts],
    today: &[&Result<FileResult, &'static str>],
    settings: &DriverSettings,
    t: &Thresholds,
    only: Option<&Only>,
) -> (Vec<RuleProposal>, Vec<GroupProposal>) {
    // Each key's conflicted files.
    let mut per_key: BTreeMap<String, Vec<&FileCase>> = BTreeMap::new();
    for (case, r) in cases.iter().zip(today) {
        let Ok(f) = r else { continue };
        for p in f.parts.iter().filter(|p| !p.undone) {
            if let Part::Key(k) = &p.part {
                per_key.entry(k.to_string()).or_default().push(case);
            }
        }
    }
    let before = tally(today.iter().map(|r| (*r).clone()));
    let mut rules = Vec::new();
    for (key, mine) in &per_key {
        if merges_in(mine) < t.min_merges || only.is_some_and(|o| !o.keys.contains(key)) {
            continue;
        }
        // A rule's key is a pattern (`*`, `?`) with no escape: a key
        // literally named `*` would be written as a rule for every key.
        if key.contains(['*', '?']) {
            continue;
        }
        rules.extend(rules_for_key(
            key,
            key_counts(&before, key),
            mine,
            settings,
            t,
        ));
    }
    if only.is_some_and(|o| !o.groups) {
        return (rules, Vec::new());
    }
    let learned: Vec<Learned> = rules.iter().map(RuleProposal::learned).collect();
    let groups = groups_for(cases, facts, &with(settings, &learned, &[]), t);
    (rules, groups)
}

/// What makes two proposals the same one (learned from the older merges,
/// and from all).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Identity {
    Rule(String, &'static str, Option<(Vec<String>, Vec<String>)>),
    Group(Vec<String>, Option<String>),
}

fn rule_identity(r: &RuleProposal) -> Identity {
    Identity::Rule(
        r.key.clone(),
        r.rule.name(),
        r.condition
            .as_ref()
            .map(|c| (c.operations.clone(), c.merging.clone())),
    )
}

fn group_identity(g: &GroupProposal) -> Identity {
    Identity::Group(g.keys.clone(), g.leader.clone())
}

/// The check's trials: every rule, then every group, as learned; with
/// their identities.
fn trials(rules: &[RuleProposal], groups: &[GroupProposal]) -> (Vec<Identity>, Vec<Trial>) {
    let mut out = Vec::new();
    for r in rules {
        let learned = r.learned();
        out.push((
            rule_identity(r),
            Trial {
                what: r.describe(),
                add: Box::new(move |s| with(s, std::slice::from_ref(&learned), &[])),
                keys: vec![r.key.clone()],
                rule: Some(r.rule),
            },
        ));
    }
    for g in groups {
        let group = g.group();
        out.push((
            group_identity(g),
            Trial {
                what: g.describe(),
                add: Box::new(move |s| with(s, &[], std::slice::from_ref(&group))),
                keys: g.keys.clone(),
                rule: None,
            },
        ));
    }
    out.into_iter().unzip()
}

/// Proposes rules and groups from `collected` on top of `settings`: learned
/// from the older merges and checked on the newest (`t.holdout`), then
/// learned from all of them, keeping what passed.
pub(crate) fn propose(collected: &Collected, settings: &DriverSettings, t: Thresholds) -> Proposal {
    let _memo = super::engine::remember_line_merges();
    let mut cases: Vec<&FileCase> = collected.cases.iter().collect();
    cases.sort_by(|a, b| (a.time, &a.merge).cmp(&(b.time, &b.merge)));
    let facts: Vec<Facts> = cases.par_iter().map(|c| groups::facts(c)).collect();
    let facts: Vec<&Facts> = facts.iter().collect();
    // Every file replayed once with today's rules, for every step below.
    let today = judge_all(&cases, settings);
    let today: Vec<&Result<FileResult, &'static str>> = today.iter().collect();
    // The conflicted merges, oldest first; the newest are held back.
    let mut merges: Vec<&str> = Vec::new();
    for c in &cases {
        // Sorted by time then id: a merge's files are next to each other.
        if merges.last() != Some(&c.merge.as_str()) {
            merges.push(&c.merge);
        }
    }
    let n_held = check::held_back(merges.len(), t.holdout);
    let held: BTreeSet<&str> = merges[merges.len() - n_held..].iter().copied().collect();
    let checked = (n_held > 0).then(|| {
        type Split<'a, 'c> = (
            Vec<&'c FileCase>,
            Vec<&'c Facts>,
            Vec<&'a Result<FileResult, &'static str>>,
        );
        let split = |keep_held: bool| -> Split<'_, '_> {
            let mut out: Split<'_, '_> = (Vec::new(), Vec::new(), Vec::new());
            for ((c, f), r) in cases.iter().zip(&facts).zip(&today) {
                if held.contains(c.merge.as_str()) == keep_held {
                    out.0.push(c);
                    out.1.push(f);
                    out.2.push(r);
                }
            }
            out
        };
        let (older, older_facts, older_today) = split(false);
        let (newer, newer_facts, newer_today) = split(true);
        let (rules, groups) = learn_from(&older, &older_facts, &older_today, settings, &t, None);
        let (identities, trials) = trials(&rules, &groups);
        let (verdicts, summary) = check::run(
            &newer,
            &newer_facts,
            newer_today.into_iter().cloned().collect(),
            settings,
            &trials,
            merges.len() - n_held,
        );
        let passed: BTreeMap<Identity, HeldBack> = identities
            .into_iter()
            .zip(verdicts)
            .filter(|(_, (kept, _))| *kept)
            .map(|(identity, (_, hb))| (identity, hb))
            .collect();
        (passed, summary)
    });
    // From every merge: what passed (everything, without a check).
    let only = checked.as_ref().map(|(passed, _)| Only {
        keys: passed
            .keys()
            .filter_map(|i| match i {
                Identity::Rule(k, ..) => Some(k.clone()),
                Identity::Group(..) => None,
            })
            .collect(),
        groups: passed.keys().any(|i| matches!(i, Identity::Group(..))),
    });
    let (mut rules, mut groups) = learn_from(&cases, &facts, &today, settings, &t, only.as_ref());
    let mut summary = None;
    if let Some((passed, s)) = checked {
        rules.retain_mut(|r| {
            r.held_back = passed.get(&rule_identity(r)).copied();
            r.held_back.is_some()
        });
        groups.retain_mut(|g| {
            g.held_back = passed.get(&group_identity(g)).copied();
            g.held_back.is_some()
        });
        summary = Some(s);
    }
    let learned: Vec<Learned> = rules.iter().map(RuleProposal::learned).collect();
    let all_groups: Vec<Group> = groups.iter().map(GroupProposal::group).collect();
    let before = report(collected, today.iter().map(|r| (*r).clone()));
    let after = if learned.is_empty() && all_groups.is_empty() {
        before.clone()
    } else {
        score(collected, &with(settings, &learned, &all_groups))
    };
    Proposal {
        thresholds: t,
        rules,
        groups,
        check: summary,
        before,
        after,
    }
}

/// A TOML key as written: bare when it can be, else quoted (see [`toml_string`]).
pub(crate) fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_owned()
    } else {
        toml_string(k)
    }
}

/// `s` as a TOML basic string: quotes, backslashes and control characters
/// escaped, so the text shown is the TOML `--write` would write, and a key
/// from history cannot drive the terminal.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(i: usize, base: &str, ours: &str, theirs: &str, human: &str) -> FileCase {
        FileCase {
            merge: format!("m{i:02}"),
            time: i as i64,
            path: "a.md".into(),
            base: Some(base.into()),
            ours: ours.into(),
            theirs: theirs.into(),
            human: human.into(),
            merging: Vec::new(),
        }
    }

    fn doc(fm: &str) -> String {
        format!("---\n{fm}---\nbody\n")
    }

    fn settings() -> DriverSettings {
        DriverSettings {
            policy: crate::pipeline::Policy::default(),
            ..DriverSettings::default()
        }
    }

    fn collected(cases: Vec<FileCase>) -> Collected {
        Collected {
            cases,
            ..Collected::default()
        }
    }

    /// `n` merges where people keep the older `lastmod` (the default takes the newer).
    fn older_dates(n: usize) -> Vec<FileCase> {
        (0..n)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{}\n", i % 10);
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&d(2)))
            })
            .collect()
    }

    #[test]
    fn finds_oldest_where_people_keep_the_older_date_and_checks_it() {
        let c = collected(older_dates(5));
        let p = propose(&c, &settings(), Thresholds::default());
        assert_eq!(p.rules.len(), 1, "{:?}", p.rules);
        let r = &p.rules[0];
        assert_eq!((r.key.as_str(), r.rule), ("lastmod", Rule::Oldest));
        let e = r.evidence;
        assert_eq!(
            (
                e.merges,
                e.files,
                e.parts,
                e.right_with,
                e.right_without,
                e.wrong_without
            ),
            (5, 5, 5, 5, 0, 5)
        );
        // Learned from the older 3 merges, checked on the newest 2.
        let check = p.check.as_ref().unwrap();
        assert_eq!((check.merges, check.learned_from), (2, 3));
        assert_eq!((check.before.as_human, check.after.as_human), (0, 2));
        assert_eq!((check.before.differently, check.after.differently), (2, 0));
        assert_eq!(r.held_back.unwrap().better, 2);
        assert_eq!(p.before.all_keys().differently, 5);
        assert_eq!(p.after.all_keys().differently, 0);
        let text = evidence_text(&e, r.held_back.as_ref(), false);
        assert_eq!(
            text,
            "5 merges, 5 files, 5 parts: 5 as people did (0 differently), today 0 (5 differently); held back: 2 files better, 0 worse"
        );
    }

    #[test]
    fn one_merge_of_many_files_is_one_piece_of_evidence() {
        // Twenty files of one merge (and one of another): two merges, too few.
        let mut cases: Vec<FileCase> = older_dates(2);
        for (j, c) in older_dates(20).into_iter().enumerate() {
            cases.push(FileCase {
                merge: "m01".into(),
                time: 1,
                path: format!("f{j}.md"),
                ..c
            });
        }
        let p = propose(
            &collected(cases.clone()),
            &settings(),
            Thresholds::default(),
        );
        assert!(p.rules.is_empty(), "{:?}", p.rules);
        let loose = Thresholds {
            min_merges: 2,
            holdout: 0.0,
            ..Thresholds::default()
        };
        let p = propose(&collected(cases), &settings(), loose);
        assert!(p.check.is_none());
        let e = p.rules[0].evidence;
        assert_eq!((e.merges, e.files, e.parts), (2, 22, 22));
    }

    #[test]
    fn what_the_held_back_merges_contradict_is_not_proposed() {
        // The older merges keep the older date; the newest ones the newer.
        let mut cases = older_dates(7);
        for c in cases.iter_mut().skip(5) {
            c.human = c.theirs.clone();
        }
        let p = propose(&collected(cases), &settings(), Thresholds::default());
        assert!(p.rules.is_empty(), "{:?}", p.rules);
        let check = p.check.unwrap();
        assert_eq!(check.merges, 2);
        assert_eq!(check.not_kept.len(), 1, "{:?}", check.not_kept);
        assert_eq!(check.not_kept[0].what, "lastmod = \"oldest\"");
        assert_eq!(check.not_kept[0].held_back.worse, 2);
        assert_eq!(check.before, check.after);
    }

    /// Merges of a date where people took ours (even) or theirs (odd) of
    /// two dates, `against` of every ten going against the default (newest).
    fn disputed(n: usize, against: usize) -> Vec<FileCase> {
        (0..n)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{}\n", i % 10);
                let human = if i % 10 < against { d(2) } else { d(3) };
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&human))
            })
            .collect()
    }

    #[test]
    fn asks_where_people_disagree_if_it_removes_more_wrong_answers_than_it_loses() {
        // A third of the people took the newer date, the others the older:
        // no rule reaches 0.9, and asking removes more wrong answers than
        // it loses right ones.
        let cases: Vec<FileCase> = (0..12)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{}\n", i % 10);
                let human = if i % 3 == 0 { d(3) } else { d(2) };
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&human))
            })
            .collect();
        let p = propose(&collected(cases), &settings(), Thresholds::default());
        assert_eq!(p.rules.len(), 1, "{:?}", p.rules);
        let r = &p.rules[0];
        assert_eq!(r.rule, Rule::Ask);
        assert_eq!(
            (r.evidence.wrong_removed(), r.evidence.right_lost()),
            (8, 4)
        );
        let hb = r.held_back.unwrap();
        assert_eq!((hb.wrong_removed, hb.right_lost), (3, 1));
        assert_eq!(p.after.all_keys().differently, 0);
        assert_eq!(
            evidence_text(&r.evidence, r.held_back.as_ref(), true),
            "12 merges, 12 files, 12 parts: asking removes 8 wrong answers and loses 4 right ones; held back: removes 3 wrong, loses 1 right"
        );
        // Half and half: the newest merges lose as many right answers as
        // asking removes wrong ones there... or more: not proposed.
        let halves: Vec<FileCase> = (0..10)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{}\n", i % 10);
                let human = if i % 2 == 0 { d(2) } else { d(3) };
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&human))
            })
            .collect();
        let p = propose(&collected(halves), &settings(), Thresholds::default());
        assert!(p.rules.is_empty(), "{:?}", p.rules);
        assert_eq!(p.check.unwrap().not_kept[0].what, "lastmod = \"ask\"");
        // 2 of 10 against today's rule: asking would turn 8 right and 2
        // wrong into 0 settled. Not proposed.
        let p = propose(
            &collected(disputed(20, 2)),
            &settings(),
            Thresholds::default(),
        );
        assert!(p.rules.is_empty(), "{:?}", p.rules);
        // Fewer merges than --min-merges: nothing.
        let strict = Thresholds {
            min_merges: 11,
            ..Thresholds::default()
        };
        let cases: Vec<FileCase> = disputed(10, 5);
        assert!(propose(&collected(cases), &settings(), strict)
            .rules
            .is_empty());
    }

    /// One side re-syncs a translation (its commit), the other marks it
    /// drifted; people keep the re-sync whole, undoing the flag. Which side
    /// re-syncs alternates.
    fn resyncs(n: usize) -> Vec<FileCase> {
        (0..n)
            .map(|i| {
                let base = doc(&format!("commit: c{i}\ndrifted: false\n"));
                let resync = doc(&format!("commit: n{i}\ndrifted: false\n"));
                let drift = doc(&format!("commit: c{i}\ndrifted: true\n"));
                if i % 2 == 0 {
                    case(i, &base, &resync, &drift, &resync)
                } else {
                    case(i, &base, &drift, &resync, &resync)
                }
            })
            .collect()
    }

    #[test]
    fn finds_a_group_from_how_people_resolved() {
        let c = collected(resyncs(5));
        // No key conflicts: frontmerge keeps both one-sided changes, and
        // gets every file wrong; the flag is a change people undid.
        let p = propose(&c, &settings(), Thresholds::default());
        assert_eq!(p.before.files.differently, 5);
        assert_eq!(p.before.undone["drifted"].differently, 5);
        assert!(p.rules.is_empty(), "{:?}", p.rules);
        assert_eq!(p.groups.len(), 1, "{:?}", p.groups);
        let g = &p.groups[0];
        assert_eq!(g.keys, ["commit", "drifted"]);
        assert_eq!(g.leader.as_deref(), Some("commit"));
        let e = g.evidence;
        assert_eq!((e.merges, e.files, e.parts), (5, 5, 5));
        assert_eq!((e.right_without, e.right_with), (0, 5));
        assert_eq!(g.held_back.unwrap().better, 2);
        assert_eq!(p.after.files.as_human, 5);
        assert_eq!(g.files.len(), 5);
    }

    #[test]
    fn a_group_people_did_not_keep_on_the_newer_merges_is_not_proposed() {
        // The newest two merges keep the flag the other side set.
        let mut cases = resyncs(7);
        for c in cases.iter_mut().skip(5) {
            let f = super::groups::facts(c);
            assert!(f.contains_key("drifted"));
            c.human = c.human.replace("drifted: false", "drifted: true");
        }
        let p = propose(&collected(cases), &settings(), Thresholds::default());
        assert!(p.groups.is_empty(), "{:?}", p.groups);
        let check = p.check.unwrap();
        assert_eq!(check.not_kept.len(), 1);
        assert!(check.not_kept[0].what.starts_with("group commit"));
    }

    #[test]
    fn finds_the_habit_of_one_kind_of_merge() {
        // Merging main into a branch, people keep the branch's date (ours);
        // merging a feature branch, they take the feature's (theirs).
        // Which side is newer varies: no date rule explains it.
        let cases: Vec<FileCase> = (0..12)
            .map(|i| {
                let d = |m| format!("ms.date: 0{m}/1{}/2024\n", i % 10);
                let sync = i % 2 == 0;
                let (ours, theirs) = if i % 4 < 2 {
                    (d(3), d(2))
                } else {
                    (d(2), d(3))
                };
                let human = if sync { &ours } else { &theirs };
                let mut c = case(i, &doc(&d(1)), &doc(&ours), &doc(&theirs), &doc(human));
                c.merging = if sync {
                    vec!["origin/main".into(), "main".into()]
                } else {
                    vec![format!("feature-{i}")]
                };
                c
            })
            .collect();
        let c = collected(cases);
        let p = propose(&c, &settings(), Thresholds::default());
        let got: Vec<(Rule, Option<String>, usize, usize, usize)> = p
            .rules
            .iter()
            .map(|r| {
                (
                    r.rule,
                    r.condition.as_ref().map(|c| c.to_string()),
                    r.evidence.merges,
                    r.evidence.right_with,
                    r.evidence.right_without,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Rule::Upstream, Some("in a merge of main".into()), 6, 6, 3),
                (Rule::Stashed, None, 6, 6, 3)
            ]
        );
        assert_eq!(p.before.all_keys().as_human, 6);
        assert_eq!(p.after.all_keys().as_human, 12);
        assert_eq!(
            p.rules[0].describe(),
            "\"ms.date\" = \"ours\" (in a merge of main)"
        );
        // Too few merges of a kind: no conditional rule.
        let strict = Thresholds {
            min_merges: 7,
            holdout: 0.0,
            ..Thresholds::default()
        };
        assert!(propose(&c, &settings(), strict)
            .rules
            .iter()
            .all(|r| r.condition.is_none()));
    }
}
