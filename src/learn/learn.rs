//! `learn`: from a replay, the `.frontmerge.toml` rules that reproduce what
//! a repository's people committed, each with its evidence, and the file
//! edit that adds them (comments and layout kept).
//!
//! ```text
//! per key   every candidate rule is replayed on the key's past conflicts; the best
//!           one is proposed when it settles at least --min-agreement of at least
//!           --min-cases conflicts the human's way and beats today's rules; `ask`
//!           when people disagree with each other and today's rules guess wrong
//! per kind  the same within the merges of one branch (`merging = "main"`, seen in
//!           at least --min-cases merges): a conditional rule ([when.NAME]) where
//!           that kind has its own habit, better than the rule for every merge
//! groups    keys that one commit changed together (in at least --min-cases files),
//!           which people then took from one side together, become a group (with
//!           the leader that replays best), proposed when more files come out as
//!           the human's and none worse
//! ```
//!
//! Rules name keys and a policy, never a value or a commit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::article::{self, Article, ArticleOptions};
use crate::cmd::merge_driver::DriverSettings;
use crate::conflict::sides::Side;
use crate::rules::groups::Group;
use crate::rules::when::Condition;
use crate::rules::{Origin, Rule, When};

use super::cochange::CoChange;
use super::replay::{score, Collected, Counts, FileCase, Report};

/// How consistent the history must be before a rule is proposed.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct Thresholds {
    /// At least this many past conflicts on the key (or the group).
    pub min_cases: usize,
    /// At least this share of them settled as the human did.
    pub min_agreement: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_cases: 3,
            min_agreement: 0.9,
        }
    }
}

/// The replay counts that back one proposal.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Past conflicts on the key (files, for a group).
    pub cases: usize,
    /// Settled as the human did with the proposal.
    pub right_with: usize,
    /// Settled differently with the proposal.
    pub wrong_with: usize,
    /// Settled as the human did by today's rules.
    pub right_without: usize,
    /// Settled differently by today's rules.
    pub wrong_without: usize,
}

/// One proposed field rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleProposal {
    /// The key.
    pub key: String,
    /// The rule.
    pub rule: Rule,
    /// Only in merges of this kind (`[when.NAME]`); `None`: every merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Why (for a conditional rule: the conflicts of its kind only).
    pub evidence: Evidence,
}

impl RuleProposal {
    fn learned(&self) -> Learned {
        (self.key.clone(), self.rule, self.condition.clone())
    }
}

/// A key, its rule, and the condition it holds under (`None`: every merge).
pub type Learned = (String, Rule, Option<Condition>);

/// One proposed key group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupProposal {
    /// The group's name.
    pub name: String,
    /// Its keys.
    pub keys: Vec<String>,
    /// Its leader, if any.
    pub leader: Option<String>,
    /// Why (whole files).
    pub evidence: Evidence,
}

impl GroupProposal {
    /// As a rule-set group.
    pub fn group(&self) -> Group {
        Group {
            name: self.name.clone(),
            keys: self.keys.clone(),
            leader: self.leader.clone(),
        }
    }
}

/// What `learn` proposes.
#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// Field rules.
    pub rules: Vec<RuleProposal>,
    /// Key groups.
    pub groups: Vec<GroupProposal>,
    /// The replay with today's rules.
    pub before: Report,
    /// The replay with the proposal added.
    pub after: Report,
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
pub fn with(settings: &DriverSettings, rules: &[Learned], groups: &[Group]) -> DriverSettings {
    let mut s = settings.clone();
    for (k, r, c) in rules {
        match c {
            None => s.rules.push(k, *r, Origin::File, When::Always),
            Some(c) => s.rules.push_if(k, *r, Origin::File, c.clone()),
        }
    }
    for g in groups {
        s.rules.push_group(g.clone());
    }
    s
}

fn subset(collected: &Collected, keep: impl Fn(&FileCase) -> bool) -> Collected {
    Collected {
        cases: collected
            .cases
            .iter()
            .filter(|c| keep(c))
            .cloned()
            .collect(),
        ..Collected::default()
    }
}

fn key_counts(r: &Report, key: &str) -> Counts {
    r.keys.get(key).copied().unwrap_or_default()
}

/// The best rule for one key (under `condition`): (rule, counts), most
/// right answers first, then fewest wrong ones.
fn best_rule(
    sub: &Collected,
    settings: &DriverSettings,
    key: &str,
    condition: Option<&Condition>,
) -> Option<(Rule, Counts)> {
    CANDIDATES
        .par_iter()
        .map(|&rule| {
            let s = with(settings, &[(key.to_owned(), rule, condition.cloned())], &[]);
            (rule, key_counts(&score(sub, &s), key))
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
fn merges_in(sub: &Collected) -> usize {
    sub.cases
        .iter()
        .map(|c| c.merge.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// The branches merged in at least `min` of the cases' merges, the most
/// merged first, a shorter name (`main` before `origin/main`) on a tie.
fn kinds(sub: &Collected, min: usize) -> Vec<String> {
    let mut merges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in &sub.cases {
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

type CaseId = (String, String);

fn id(c: &FileCase) -> CaseId {
    (c.merge.clone(), c.path.clone())
}

/// One conditional candidate: its condition, rule, cases and counts (with
/// it, and with today's rules).
struct KindRule {
    condition: Condition,
    rule: Rule,
    cases: Collected,
    got: Counts,
    was: Counts,
}

/// The rules proposed for one key: per kind of merge, then for every merge.
fn rules_for_key(
    key: &str,
    now: Counts,
    cases: &Collected,
    settings: &DriverSettings,
    t: &Thresholds,
) -> Vec<RuleProposal> {
    let key_counts_with = |sub: &Collected, learned: &[Learned]| {
        key_counts(&score(sub, &with(settings, learned, &[])), key)
    };
    let evidence = |n: usize, got: Counts, was: Counts| Evidence {
        cases: n,
        right_with: got.as_human,
        wrong_with: got.differently,
        right_without: was.as_human,
        wrong_without: was.differently,
    };
    // Kinds with a habit of their own, each case counted under one kind.
    let mut per_kind: Vec<KindRule> = Vec::new();
    let mut covered: BTreeSet<CaseId> = BTreeSet::new();
    for name in kinds(cases, t.min_cases) {
        let condition = Condition::merging(&name);
        let sub = subset(cases, |c| {
            !covered.contains(&id(c)) && condition.matches(&c.kind())
        });
        if merges_in(&sub) < t.min_cases {
            continue;
        }
        let Some((rule, got)) = best_rule(&sub, settings, key, Some(&condition)) else {
            continue;
        };
        let was = key_counts_with(&sub, &[]);
        if agreement(got.as_human, sub.cases.len()) >= t.min_agreement && beats(got, was) {
            covered.extend(sub.cases.iter().map(id));
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
    let whole = best_rule(cases, settings, key, None);
    let general = whole.filter(|(_, got)| {
        agreement(got.as_human, now.conflicts) >= t.min_agreement && beats(*got, now)
    });
    if let Some((rule, _)) = general {
        // A kind keeps its own rule only where the general one does worse there.
        per_kind.retain(|k| {
            k.rule != rule
                && beats(
                    k.got,
                    key_counts_with(&k.cases, &[(key.to_owned(), rule, None)]),
                )
        });
    }
    let kept: BTreeSet<CaseId> = per_kind
        .iter()
        .flat_map(|k| k.cases.cases.iter().map(id))
        .collect();
    let mut out: Vec<RuleProposal> = per_kind
        .iter()
        .map(|k| RuleProposal {
            key: key.to_owned(),
            rule: k.rule,
            condition: Some(k.condition.clone()),
            evidence: evidence(k.cases.cases.len(), k.got, k.was),
        })
        .collect();
    let rest = subset(cases, |c| !kept.contains(&id(c)));
    let n = rest.cases.len();
    if n == 0 {
        return out;
    }
    let was = if kept.is_empty() {
        now
    } else {
        key_counts_with(&rest, &[])
    };
    if let Some((rule, got_all)) = general {
        let got = if kept.is_empty() {
            got_all
        } else {
            key_counts_with(&rest, &[(key.to_owned(), rule, None)])
        };
        if beats(got, was) {
            out.push(RuleProposal {
                key: key.to_owned(),
                rule,
                condition: None,
                evidence: evidence(n, got, was),
            });
        }
        return out;
    }
    if n < t.min_cases {
        return out;
    }
    let best = if kept.is_empty() {
        whole
    } else {
        best_rule(&rest, settings, key, None)
    };
    let Some((rule, got)) = best else { return out };
    if agreement(got.as_human, n) >= t.min_agreement && beats(got, was) {
        out.push(RuleProposal {
            key: key.to_owned(),
            rule,
            condition: None,
            evidence: evidence(n, got, was),
        });
    } else if was.differently > 0
        && agreement(was.as_human, was.as_human + was.differently) < t.min_agreement
        && agreement(got.as_human, n) < t.min_agreement
    {
        // People disagree with each other here: better to ask than to guess.
        let asked = key_counts_with(&rest, &[(key.to_owned(), Rule::Ask, None)]);
        if asked.differently < was.differently {
            out.push(RuleProposal {
                key: key.to_owned(),
                rule: Rule::Ask,
                condition: None,
                evidence: evidence(n, asked, was),
            });
        }
    }
    out
}

fn agreement(right: usize, cases: usize) -> f64 {
    if cases == 0 {
        0.0
    } else {
        right as f64 / cases as f64
    }
}

/// Per-key facts of one file: which sides changed the key since the base,
/// and the side the human took it from (`None`: neither or both alike).
#[derive(Clone, Debug, Default)]
struct KeyFacts {
    changed: [bool; 2],
    taken: Option<Side>,
}

/// For each key that differs between the sides of a case, its facts.
fn facts(case: &FileCase) -> BTreeMap<String, KeyFacts> {
    fn parse(t: &str) -> Option<Article<'_>> {
        article::parse(t, &ArticleOptions::default()).ok()
    }
    let (Some(up), Some(st), Some(h)) =
        (parse(&case.ours), parse(&case.theirs), parse(&case.human))
    else {
        return BTreeMap::new();
    };
    let base = case.base.as_deref().and_then(parse);
    let keys: BTreeSet<String> = up.keys().chain(st.keys()).map(str::to_owned).collect();
    let mut out = BTreeMap::new();
    for k in keys {
        let (u, s) = (up.value(&k), st.value(&k));
        if u == s {
            continue;
        }
        let b = base.as_ref().map(|b| b.value(&k));
        let changed = match b {
            Some(b) => [u != b, s != b],
            None => [true, true],
        };
        let hv = h.value(&k);
        let taken = match (hv == u, hv == s) {
            (true, false) => Some(Side::Upstream),
            (false, true) => Some(Side::Stashed),
            _ => None,
        };
        out.insert(k, KeyFacts { changed, taken });
    }
    out
}

/// For a pair of keys: (files where both moved, files where the human took
/// both from one same side, files where one commit changed both).
type PairCounts = (usize, usize, usize);

/// Candidate groups: keys that one commit changed together (in at least
/// `min_cases` conflicted files, judged on the commits between the merge
/// base and each side, see [`CoChange`]) and that the human took from one
/// same side in at least `min_agreement` of the files where both moved;
/// pairs joined into connected sets. Replaying the group then decides
/// whether it is proposed.
fn group_candidates(collected: &Collected, co: &CoChange, t: &Thresholds) -> Vec<Vec<String>> {
    let per_file: Vec<BTreeMap<String, KeyFacts>> = collected.cases.par_iter().map(facts).collect();
    let mut pairs: HashMap<(String, String), PairCounts> = HashMap::new();
    for (case, f) in collected.cases.iter().zip(&per_file) {
        let keys: Vec<(&String, &KeyFacts)> = f.iter().collect();
        for (i, (a, fa)) in keys.iter().enumerate() {
            for (b, fb) in &keys[i + 1..] {
                // Both keys moved in this merge (each differs between the sides).
                if !(fa.changed.iter().any(|&c| c) && fb.changed.iter().any(|&c| c)) {
                    continue;
                }
                let e = pairs.entry(((*a).clone(), (*b).clone())).or_default();
                e.0 += 1;
                if fa.taken.is_some() && fa.taken == fb.taken {
                    e.1 += 1;
                }
                if co.together(&case.merge, &case.path, a, b) {
                    e.2 += 1;
                }
            }
        }
    }
    // Strongest first: most files changed together, then taken together.
    let mut consistent: Vec<(&(String, String), PairCounts)> = pairs
        .iter()
        .filter(|(_, (n, same, together))| {
            *together >= t.min_cases && agreement(*same, *n) >= t.min_agreement
        })
        .map(|(k, v)| (k, *v))
        .collect();
    consistent.sort_by(|(ka, a), (kb, b)| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(ka.cmp(kb)));
    let linked: std::collections::HashSet<(&str, &str)> = consistent
        .iter()
        .flat_map(|((a, b), _)| [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())])
        .collect();
    // Sets in which every two keys are a consistent pair: a key that changes
    // in every commit (a date) would otherwise chain unrelated keys together.
    let mut sets: Vec<BTreeSet<String>> = Vec::new();
    for ((a, b), _) in consistent {
        let home = |k: &String| sets.iter().position(|s| s.contains(k));
        match (home(a), home(b)) {
            (None, None) => sets.push([a.clone(), b.clone()].into()),
            (Some(i), None) | (None, Some(i)) => {
                let new = if sets[i].contains(a) { b } else { a };
                if sets[i]
                    .iter()
                    .all(|k| linked.contains(&(k.as_str(), new.as_str())))
                {
                    sets[i].insert(new.clone());
                }
            }
            (Some(_), Some(_)) => {}
        }
    }
    let mut out: Vec<Vec<String>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
    out.sort();
    out
}

/// Proposes rules and groups from `collected` on top of `settings`; `co`
/// says which keys changed together in the same commits.
pub fn propose(
    collected: &Collected,
    co: &CoChange,
    settings: &DriverSettings,
    t: Thresholds,
) -> Proposal {
    let _memo = super::engine::remember_line_merges();
    let before = score(collected, settings);
    let mut rules = Vec::new();
    for (key, now) in &before.keys {
        if now.conflicts < t.min_cases {
            continue;
        }
        let mine: BTreeSet<CaseId> = before
            .cases
            .iter()
            .filter(|p| p.part.to_string() == *key)
            .map(|p| (p.merge.clone(), p.path.clone()))
            .collect();
        let cases = subset(collected, |c| mine.contains(&id(c)));
        rules.extend(rules_for_key(key, *now, &cases, settings, &t));
    }
    let learned: Vec<Learned> = rules.iter().map(RuleProposal::learned).collect();
    let with_rules = with(settings, &learned, &[]);
    let mut groups = Vec::new();
    for keys in group_candidates(collected, co, &t) {
        let sub = subset(collected, |c| {
            let f = facts(c);
            keys.iter().filter(|k| f.contains_key(*k)).count() >= 2
        });
        if sub.cases.len() < t.min_cases {
            continue;
        }
        let now = score(&sub, &with_rules).files;
        let name = keys[0].clone();
        let variants: Vec<Option<String>> = std::iter::once(None)
            .chain(keys.iter().cloned().map(Some))
            .collect();
        let best = variants
            .into_par_iter()
            .map(|leader| {
                let g = Group {
                    name: name.clone(),
                    keys: keys.clone(),
                    leader: leader.clone(),
                };
                let got = score(&sub, &with(&with_rules, &[], &[g])).files;
                (leader, got)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .max_by_key(|(l, c)| (c.as_human, std::cmp::Reverse(c.differently), l.is_none()));
        let Some((leader, got)) = best else { continue };
        // The smallest group that does as well: a key another rule already
        // settles the human's way has no business in it.
        let mut keys = keys;
        for k in keys.clone() {
            if keys.len() <= 2 || leader.as_deref() == Some(k.as_str()) {
                continue;
            }
            let fewer: Vec<String> = keys.iter().filter(|x| **x != k).cloned().collect();
            let g = Group {
                name: name.clone(),
                keys: fewer.clone(),
                leader: leader.clone(),
            };
            let c = score(&sub, &with(&with_rules, &[], &[g])).files;
            if c.as_human >= got.as_human && c.differently <= got.differently {
                keys = fewer;
            }
        }
        let name = leader.clone().unwrap_or_else(|| keys[0].clone());
        if got.as_human > now.as_human && got.differently <= now.differently {
            groups.push(GroupProposal {
                name,
                keys,
                leader,
                evidence: Evidence {
                    cases: sub.cases.len(),
                    right_with: got.as_human,
                    wrong_with: got.differently,
                    right_without: now.as_human,
                    wrong_without: now.differently,
                },
            });
        }
    }
    let all_groups: Vec<Group> = groups.iter().map(GroupProposal::group).collect();
    let after = score(collected, &with(settings, &learned, &all_groups));
    Proposal {
        thresholds: t,
        rules,
        groups,
        before,
        after,
    }
}

/// Whether a `[when.NAME]` table has exactly `c`'s condition.
fn holds(table: &toml_edit::Item, c: &Condition) -> bool {
    let strings = |k: &str| -> Vec<String> {
        match table.get(k) {
            None => Vec::new(),
            Some(i) => match (i.as_str(), i.as_array()) {
                (Some(s), _) => vec![s.to_owned()],
                (_, Some(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => vec![String::new()],
            },
        }
    };
    strings("operation") == c.operations && strings("merging") == c.merging
}

/// Merges a proposal into the text of a `.frontmerge.toml` (empty for a new
/// file): `[rules]` entries set, `[groups.NAME]` tables added or replaced,
/// every other line, comment and blank kept.
pub fn write_into(text: &str, proposal: &Proposal) -> Result<String, String> {
    use toml_edit::{value, Array, DocumentMut, Item, Table};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let (general, conditional): (Vec<&RuleProposal>, Vec<&RuleProposal>) =
        proposal.rules.iter().partition(|r| r.condition.is_none());
    if !general.is_empty() {
        let rules = doc
            .entry("rules")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or("`rules` is not a table")?;
        for r in general {
            rules.insert(&r.key, value(r.rule.name()));
        }
    }
    if !conditional.is_empty() {
        let when = doc
            .entry("when")
            .or_insert_with(|| {
                let mut t = Table::new();
                t.set_implicit(true);
                Item::Table(t)
            })
            .as_table_like_mut()
            .ok_or("`when` is not a table")?;
        for r in conditional {
            let Some(c) = &r.condition else { continue };
            // A table of that name with another condition is not ours: a new name.
            let base = c.table_name();
            let name = (1..)
                .map(|i| {
                    if i == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{i}")
                    }
                })
                .find(|n| when.get(n).is_none_or(|t| holds(t, c)))
                .unwrap_or(base);
            let list = |v: &[String]| -> Item {
                match v {
                    [one] => value(one.as_str()),
                    many => value(many.iter().map(String::as_str).collect::<Array>()),
                }
            };
            let kind = when
                .entry(&name)
                .or_insert_with(|| {
                    let mut t = Table::new();
                    if !c.operations.is_empty() {
                        t.insert("operation", list(&c.operations));
                    }
                    if !c.merging.is_empty() {
                        t.insert("merging", list(&c.merging));
                    }
                    Item::Table(t)
                })
                .as_table_like_mut()
                .ok_or_else(|| format!("`when.{name}` is not a table"))?;
            let rules = kind
                .entry("rules")
                .or_insert_with(|| Item::Table(Table::new()))
                .as_table_like_mut()
                .ok_or_else(|| format!("`when.{name}.rules` is not a table"))?;
            rules.insert(&r.key, value(r.rule.name()));
        }
    }
    if !proposal.groups.is_empty() {
        let groups = doc
            .entry("groups")
            .or_insert_with(|| {
                let mut t = Table::new();
                t.set_implicit(true);
                Item::Table(t)
            })
            .as_table_like_mut()
            .ok_or("`groups` is not a table")?;
        for g in &proposal.groups {
            let mut t = Table::new();
            let keys: Array = g.keys.iter().map(String::as_str).collect();
            t.insert("keys", value(keys));
            if let Some(l) = &g.leader {
                t.insert("leader", value(l.as_str()));
            }
            groups.insert(&g.name, Item::Table(t));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(i: usize, base: &str, ours: &str, theirs: &str, human: &str) -> FileCase {
        FileCase {
            merge: format!("m{i}"),
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
            rules: crate::rules::RuleSet::defaults(),
            ..DriverSettings::default()
        }
    }

    #[test]
    fn finds_oldest_where_people_keep_the_older_date() {
        let cases = (0..5)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{i}\n");
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&d(2)))
            })
            .collect();
        let c = Collected {
            cases,
            ..Collected::default()
        };
        let p = propose(&c, &CoChange::default(), &settings(), Thresholds::default());
        assert_eq!(p.rules.len(), 1, "{:?}", p.rules);
        assert_eq!(
            (p.rules[0].key.as_str(), p.rules[0].rule),
            ("lastmod", Rule::Oldest)
        );
        let e = p.rules[0].evidence;
        assert_eq!(
            (e.cases, e.right_with, e.right_without, e.wrong_without),
            (5, 5, 0, 5)
        );
        assert_eq!(p.before.all_keys().differently, 5);
        assert_eq!(p.after.all_keys().differently, 0);
    }

    #[test]
    fn proposes_ask_where_people_disagree_and_nothing_below_the_threshold() {
        let cases = (0..6)
            .map(|i| {
                let d = |m| format!("lastmod: 2024-0{m}-1{i}\n");
                let human = if i % 2 == 0 { d(2) } else { d(3) };
                case(i, &doc(&d(1)), &doc(&d(2)), &doc(&d(3)), &doc(&human))
            })
            .collect();
        let c = Collected {
            cases,
            ..Collected::default()
        };
        let p = propose(&c, &CoChange::default(), &settings(), Thresholds::default());
        assert_eq!(p.rules.len(), 1);
        assert_eq!(p.rules[0].rule, Rule::Ask);
        assert_eq!(p.after.all_keys().differently, 0);
        let strict = Thresholds {
            min_cases: 7,
            ..Thresholds::default()
        };
        assert!(propose(&c, &CoChange::default(), &settings(), strict)
            .rules
            .is_empty());
    }

    #[test]
    fn finds_a_group_with_its_leader() {
        // One side re-syncs the translation (commit and flag); the other marks
        // it drifted. People keep the re-sync whole: commit leads the group.
        let cases = (0..4)
            .map(|i| {
                let base = doc(&format!("commit: c{i}\ndrifted: false\n"));
                let resync = doc(&format!("commit: n{i}\ndrifted: false\n"));
                let drift = doc(&format!("commit: c{i}\ndrifted: true\n"));
                case(i, &base, &resync, &drift, &resync)
            })
            .collect();
        let c = Collected {
            cases,
            ..Collected::default()
        };
        // Moved in the same merges, but no commit ever changed both: no group.
        let apart = propose(&c, &CoChange::default(), &settings(), Thresholds::default());
        assert!(apart.groups.is_empty(), "{:?}", apart.groups);
        // A commit behind each merge re-synced both keys at once.
        let mut co = CoChange::default();
        let both: BTreeSet<String> = ["commit", "drifted"].map(String::from).into();
        for case in &c.cases {
            co.insert(&case.merge, &case.path, vec![both.clone()]);
        }
        let p = propose(&c, &co, &settings(), Thresholds::default());
        assert_eq!(p.groups.len(), 1, "{:?}", p.groups);
        let g = &p.groups[0];
        assert_eq!(g.keys, ["commit", "drifted"]);
        assert_eq!(g.leader.as_deref(), Some("commit"));
        assert_eq!((g.evidence.right_without, g.evidence.right_with), (0, 4));
        assert_eq!(p.before.files.differently, 4);
        assert_eq!(p.after.files.as_human, 4);
    }

    #[test]
    fn finds_the_habit_of_one_kind_of_merge() {
        // Merging main into a branch, people keep the branch's date (ours);
        // merging a feature branch, they take the feature's (theirs).
        // Which side is newer varies: no date rule explains it.
        let cases = (0..8)
            .map(|i| {
                let d = |m| format!("ms.date: 0{m}/1{i}/2024\n");
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
        let c = Collected {
            cases,
            ..Collected::default()
        };
        let p = propose(&c, &CoChange::default(), &settings(), Thresholds::default());
        let got: Vec<(Rule, Option<String>, usize, usize)> = p
            .rules
            .iter()
            .map(|r| {
                (
                    r.rule,
                    r.condition.as_ref().map(|c| c.to_string()),
                    r.evidence.cases,
                    r.evidence.right_with,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Rule::Upstream, Some("in a merge of main".into()), 4, 4),
                (Rule::Stashed, None, 4, 4)
            ]
        );
        assert_eq!(p.before.all_keys().as_human, 4);
        assert_eq!(p.after.all_keys().as_human, 8);
        let text = write_into("", &p).unwrap();
        assert!(
            text.contains("[when.merging-main]\noperation = \"merge\"\nmerging = \"main\"\n"),
            "{text}"
        );
        let cfg = crate::rules::config::parse(&text, std::path::Path::new("f")).unwrap();
        assert_eq!(cfg.rules, [("ms.date".to_string(), Rule::Stashed)]);
        assert_eq!(
            cfg.conditional[0].rules,
            [("ms.date".to_string(), Rule::Upstream)]
        );
        // Written again into its own output: the same table, not a second one.
        let again = write_into(&text, &p).unwrap();
        assert_eq!(again, text);
        // A table of that name with another condition is left alone.
        let other = "[when.merging-main]\nmerging = \"main\"\noperation = \"rebase\"\nrules = { title = \"ours\" }\n";
        let out = write_into(other, &p).unwrap();
        assert!(out.starts_with(other), "{out}");
        assert!(out.contains("[when.merging-main-2]"), "{out}");
        // Too few merges of a kind: no conditional rule.
        let strict = Thresholds {
            min_cases: 5,
            ..Thresholds::default()
        };
        assert!(propose(&c, &CoChange::default(), &settings(), strict)
            .rules
            .iter()
            .all(|r| r.condition.is_none()));
    }

    #[test]
    fn writing_keeps_comments_and_layout() {
        let p = Proposal {
            thresholds: Thresholds::default(),
            rules: vec![RuleProposal {
                key: "ms.date".into(),
                rule: Rule::Oldest,
                condition: None,
                evidence: Evidence::default(),
            }],
            groups: vec![GroupProposal {
                name: "commit".into(),
                keys: vec!["commit".into(), "drifted".into()],
                leader: Some("commit".into()),
                evidence: Evidence::default(),
            }],
            before: Report::default(),
            after: Report::default(),
        };
        let text = "# our rules\n[rules]\ntitle = \"ask\"   # keep asking\n\n[derived]\n\"schema.name\" = \"title\"\n";
        let out = write_into(text, &p).unwrap();
        assert!(
            out.starts_with("# our rules\n[rules]\ntitle = \"ask\"   # keep asking\n"),
            "{out}"
        );
        assert!(out.contains("\"ms.date\" = \"oldest\""), "{out}");
        assert!(
            out.contains("[derived]\n\"schema.name\" = \"title\"\n"),
            "{out}"
        );
        let c = crate::rules::config::parse(&out, std::path::Path::new("f")).unwrap();
        assert!(c.rules.contains(&("ms.date".into(), Rule::Oldest)));
        assert_eq!(c.groups[0].leader.as_deref(), Some("commit"));
        let fresh = write_into("", &p).unwrap();
        crate::rules::config::parse(&fresh, std::path::Path::new("f")).unwrap();
        assert!(write_into("rules = 1\n", &p).is_err());
    }
}
