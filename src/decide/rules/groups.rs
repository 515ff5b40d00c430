//! Key groups: frontmatter keys decided as one unit, so that keys which
//! travel together (a translation's source commit and its `drifted` flag)
//! never end up half from one side and half from the other.
//!
//! ```toml
//! [groups.translation]
//! keys = ["source_commit", "drifted"]
//! leader = "source_commit"    # optional
//! ```
//!
//! ```text
//! only one side changed keys of the group     the whole group from that side
//! both did, and only one changed the leader   the whole group from the leader's side
//! both changed the leader                     the leader's rule, if it takes a side
//! otherwise                                   one decision: the keys are asked (or left
//!                                             as conflicts), never settled key by key
//! ```
//!
//! Without a base nobody knows which side changed what: the group is then
//! one decision as soon as its keys differ.

use std::collections::HashSet;

use crate::article::Article;
use crate::article::KeyPath;
use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::decide::{Decision, Decisions, FileView, Reason, Resolution};
use crate::merge::compare::Part;
use crate::worded;

use super::apply::{self, Applied};
use super::{Mode, RuleSet};

/// Keys decided as one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The group's name (its table name in `.frontmerge.toml`).
    pub name: String,
    /// The keys, at least two.
    pub keys: Vec<String>,
    /// The key whose changer wins the group, when set.
    pub leader: Option<String>,
}

impl Group {
    /// Checks a group read from a file: two keys or more, no repeats, the
    /// leader among the keys.
    pub fn validate(&self) -> Result<(), GroupError> {
        let error = |problem| GroupError {
            group: self.name.clone(),
            problem,
        };
        if self.keys.len() < 2 {
            return Err(error(GroupProblem::TooFewKeys));
        }
        let mut seen = HashSet::new();
        if let Some(k) = self.keys.iter().find(|k| !seen.insert(k.as_str())) {
            return Err(error(GroupProblem::Twice(k.clone())));
        }
        match &self.leader {
            Some(l) if !self.keys.contains(l) => Err(error(GroupProblem::LeaderNotAKey(l.clone()))),
            _ => Ok(()),
        }
    }
}

/// Why a group read from a file cannot be used: its name and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("[groups.{group}]: {problem}")]
pub struct GroupError {
    /// The group's name.
    pub group: String,
    /// What is wrong.
    pub problem: GroupProblem,
}

/// What is wrong with a group.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GroupProblem {
    /// Fewer than two keys.
    #[error("a group needs two keys or more")]
    TooFewKeys,
    /// A key listed twice.
    #[error("`{0}` is listed twice")]
    Twice(String),
    /// A leader that is none of the keys.
    #[error("the leader `{0}` is not one of the keys")]
    LeaderNotAKey(String),
}

/// Whether `side` changed `key` since the base; without a base, any key
/// that differs between the sides counts as changed by both.
fn changed(articles: &Sides<Article<'_>>, side: Side, key: &str) -> bool {
    match &articles.base {
        Some(base) => articles.get(side).value(key) != base.value(key),
        None => articles.upstream.value(key) != articles.stashed.value(key),
    }
}

/// What one group comes to in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    /// The keys do not differ: nothing to do.
    Nothing,
    /// The whole group from this side, why, and whether only a rule
    /// (the leader's) decided it.
    Side(Side, Worded, bool),
    /// One decision nobody could take automatically.
    Held,
}

fn verdict(
    group: &Group,
    file: &FileView<'_, '_>,
    set: &RuleSet,
    preferred: Side,
) -> (Verdict, Vec<String>) {
    let differing: Vec<String> = group
        .keys
        .iter()
        .filter(|k| {
            file.comparison
                .change(&Part::Key(KeyPath::key(k.as_str())))
                .differs()
        })
        .cloned()
        .collect();
    if differing.is_empty() {
        return (Verdict::Nothing, differing);
    }
    let arts = file.articles;
    let by = |side| group.keys.iter().any(|k| changed(arts, side, k));
    let verdict = match (by(Side::Upstream), by(Side::Stashed)) {
        (true, false) => Verdict::Side(
            Side::Upstream,
            worded!["only ", Side::Upstream, " changed it"],
            false,
        ),
        (false, true) => Verdict::Side(
            Side::Stashed,
            worded!["only ", Side::Stashed, " changed it"],
            false,
        ),
        (false, false) => Verdict::Nothing,
        (true, true) => match &group.leader {
            None => Verdict::Held,
            Some(l) => match (
                changed(arts, Side::Upstream, l),
                changed(arts, Side::Stashed, l),
            ) {
                (true, false) => Verdict::Side(
                    Side::Upstream,
                    worded![Side::Upstream, format!(" changed {l}")],
                    false,
                ),
                (false, true) => Verdict::Side(
                    Side::Stashed,
                    worded![Side::Stashed, format!(" changed {l}")],
                    false,
                ),
                (false, false) => Verdict::Held,
                (true, true) => match apply::apply(arts, &KeyPath::key(l.as_str()), set, preferred)
                {
                    Applied::Decided(Decision {
                        resolution: Resolution::Take(s),
                        ..
                    }) => Verdict::Side(s, worded![format!("{l}'s rule took "), s], true),
                    _ => Verdict::Held,
                },
            },
        },
    };
    (verdict, differing)
}

/// Applies every group of `set` to a file, after the three-way decisions
/// (which it overrides for group keys). Returns the keys held for one
/// decision: per-key rules must leave them alone.
pub fn decide(
    file: &FileView<'_, '_>,
    decisions: &mut Decisions,
    set: &RuleSet,
    preferred: Side,
    mode: Mode,
) -> HashSet<String> {
    let mut held = HashSet::new();
    for group in set.groups() {
        let (verdict, differing) = verdict(group, file, set, preferred);
        match verdict {
            Verdict::Nothing => {}
            Verdict::Side(side, why, by_rule) => {
                for k in differing {
                    let decision = Decision {
                        resolution: Resolution::Take(side),
                        reason: Reason::Rule(worded![format!("group `{}`: ", group.name), &why]),
                    };
                    // A person still confirms what only a rule decided.
                    match (mode, by_rule) {
                        (Mode::Suggest, true) => {
                            decisions.suggest(Part::Key(KeyPath::key(k)), decision)
                        }
                        _ => decisions.set(Part::Key(KeyPath::key(k)), decision),
                    }
                }
            }
            Verdict::Held => {
                for k in &differing {
                    decisions.unset(&Part::Key(KeyPath::key(k.as_str())));
                }
                decisions.note(
                    None,
                    format!(
                        "group `{}` ({}): both sides changed it; decide it as one",
                        group.name,
                        differing.join(", ")
                    ),
                );
                decisions.hold(
                    group.name.clone(),
                    differing
                        .iter()
                        .map(|k| Part::Key(KeyPath::key(k.as_str())))
                        .collect(),
                );
                held.extend(differing);
            }
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{self, ArticleOptions};
    use crate::conflict::scan::Labels;
    use crate::decide::rules::{Origin, Rule, Rules, When};
    use crate::decide::Decider;
    use std::path::Path;

    fn run(set: &RuleSet, base: &str, up: &str, st: &str) -> (Decisions, Vec<String>) {
        let opts = ArticleOptions::default();
        let parse = |t| article::parse(t, &opts).unwrap();
        let arts = Sides::new(parse(up), parse(st), Some(parse(base)));
        let (fm, cmp) = crate::pipeline::prepare::parts(&arts, set, false);
        let view = FileView {
            path: Path::new("a.md"),
            articles: &arts,
            comparison: &cmp,
            fm: &fm,
            whole: None,
            keyed: None,
            labels: Labels {
                upstream: "u",
                base: None,
                stashed: "s",
            },
        };
        let mut d = Decisions::default();
        crate::decide::ThreeWay.decide(&view, &mut d).unwrap();
        let mut rules = Rules::new(set.clone(), Mode::Settle);
        rules.decide(&view, &mut d).unwrap();
        let open = d.open(&cmp).into_iter().map(|p| p.to_string()).collect();
        (d, open)
    }

    fn took(d: &Decisions, key: &str) -> Option<Resolution> {
        d.get(&Part::Key(key.into())).map(|d| d.resolution.clone())
    }

    fn set(leader: Option<&str>) -> RuleSet {
        let mut set = RuleSet::defaults();
        set.push_group(Group {
            name: "tr".into(),
            keys: vec!["commit".into(), "drifted".into()],
            leader: leader.map(Into::into),
        });
        set
    }

    const BASE: &str = "---\ncommit: a\ndrifted: false\ntitle: T\n---\nbody\n";

    #[test]
    fn one_side_changing_the_group_takes_it_whole() {
        // Upstream re-synced (commit and flag), stashed only touched the title.
        let up = "---\ncommit: b\ndrifted: true\ntitle: T\n---\nbody\n";
        let st = "---\ncommit: a\ndrifted: false\ntitle: T2\n---\nbody\n";
        let (d, open) = run(&set(None), BASE, up, st);
        assert!(open.is_empty());
        assert_eq!(took(&d, "commit"), Some(Resolution::Take(Side::Upstream)));
        assert_eq!(took(&d, "drifted"), Some(Resolution::Take(Side::Upstream)));
    }

    #[test]
    fn the_leaders_changer_wins_the_group() {
        // Key by key this would be commit from stashed, drifted from upstream.
        let up = "---\ncommit: a\ndrifted: true\ntitle: T\n---\nbody\n";
        let st = "---\ncommit: c\ndrifted: false\ntitle: T\n---\nbody\n";
        let (d, _) = run(&RuleSet::defaults(), BASE, up, st);
        assert_eq!(took(&d, "drifted"), Some(Resolution::Take(Side::Upstream)));
        let (d, open) = run(&set(Some("commit")), BASE, up, st);
        assert!(open.is_empty());
        assert_eq!(took(&d, "commit"), Some(Resolution::Take(Side::Stashed)));
        assert_eq!(took(&d, "drifted"), Some(Resolution::Take(Side::Stashed)));
    }

    #[test]
    fn both_sides_changing_a_leaderless_group_is_one_open_decision() {
        let up = "---\ncommit: a\ndrifted: true\ntitle: T\n---\nbody\n";
        let st = "---\ncommit: c\ndrifted: false\ntitle: T\n---\nbody\n";
        let (d, open) = run(&set(None), BASE, up, st);
        assert_eq!(open, vec!["commit", "drifted"]);
        assert!(d.notes().any(|(_, t)| t
            .named(crate::conflict::sides::SideNames::STASH)
            .contains("group `tr`")));
        let keys = vec![Part::Key("commit".into()), Part::Key("drifted".into())];
        assert_eq!(d.held(), &[("tr".to_owned(), keys)]);
    }

    #[test]
    fn a_rule_on_the_leader_settles_the_group_when_both_changed_it() {
        let base = "---\nlastmod: 2024-01-01\nstatus: draft\n---\nb\n";
        let up = "---\nlastmod: 2024-03-01\nstatus: draft\n---\nb\n";
        let st = "---\nlastmod: 2024-02-01\nstatus: final\n---\nb\n";
        let mut s = RuleSet::defaults();
        s.push("lastmod", Rule::Newest, Origin::File, When::Always);
        s.push_group(Group {
            name: "g".into(),
            keys: vec!["lastmod".into(), "status".into()],
            leader: Some("lastmod".into()),
        });
        let (d, open) = run(&s, base, up, st);
        assert!(open.is_empty());
        assert_eq!(took(&d, "status"), Some(Resolution::Take(Side::Upstream)));
    }

    #[test]
    fn validation_names_the_group() {
        let g = |keys: &[&str], leader: Option<&str>| Group {
            name: "g".into(),
            keys: keys.iter().map(|s| s.to_string()).collect(),
            leader: leader.map(Into::into),
        };
        assert!(g(&["a"], None)
            .validate()
            .unwrap_err()
            .to_string()
            .contains("two keys"));
        assert!(g(&["a", "a"], None)
            .validate()
            .unwrap_err()
            .to_string()
            .contains("twice"));
        assert!(g(&["a", "b"], Some("c"))
            .validate()
            .unwrap_err()
            .to_string()
            .contains("[groups.g]"));
        assert!(g(&["a", "b"], Some("b")).validate().is_ok());
    }
}
