//! Key groups from how people resolved: keys that people took, across
//! merges, from the side that changed a leading key, including where that
//! undid the other side's one-sided change of a follower.
//!
//! ```text
//! per file    for each key L that one side S alone changed, and that people took from S,
//!             each other key F whose sides differ is
//!               for L, mattering    people took F from S too, though the other side changed F
//!                                   (a conflict, or a one-sided change they undid): key by key,
//!                                   the merge gets F wrong; as a group, right
//!               for L               people took F from S, which alone changed F
//!               against L           people took F from the other side (or neither)
//! candidate   (L, F) mattering in at least --min-merges merges, and mattering in at least
//!             --min-agreement of the files where it matters or goes against
//! group       a leader with its candidate followers, each key in one group
//! ```
//!
//! No commit need change both keys: a re-sync on one branch and a flag set
//! on the other are enough. Which keys one commit changed together is
//! supporting evidence only (see [`super::cochange`]); the replay, and the
//! held-back check after it, keep spurious groups out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::article::{self, Article, ArticleOptions};
use crate::conflict::sides::Side;

use super::replay::FileCase;
use super::thresholds::Thresholds;

/// Per-key facts of one file: which sides changed the key since the base,
/// and the side the human took it from (`None`: neither, or both alike).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyFacts {
    /// Changed by ours, by theirs (without a base: both).
    pub(crate) changed: [bool; 2],
    /// The side people took it from.
    pub(crate) taken: Option<Side>,
}

/// The facts of every key whose value differs between a file's sides.
pub(crate) type Facts = BTreeMap<String, KeyFacts>;

fn index(side: Side) -> usize {
    match side {
        Side::Upstream => 0,
        Side::Stashed => 1,
    }
}

impl KeyFacts {
    /// The one side that changed the key, if only one did.
    pub(crate) fn changed_alone(&self) -> Option<Side> {
        match self.changed {
            [true, false] => Some(Side::Upstream),
            [false, true] => Some(Side::Stashed),
            _ => None,
        }
    }

    /// Whether `side` changed the key.
    pub(crate) fn changed_by(&self, side: Side) -> bool {
        self.changed[index(side)]
    }
}

/// For each key that differs between the sides of a case, its facts.
pub(crate) fn facts(case: &FileCase) -> Facts {
    fn parse(t: &str) -> Option<Article<'_>> {
        article::parse(t, &ArticleOptions::default()).ok()
    }
    let (Some(ours), Some(theirs), Some(human)) =
        (parse(&case.ours), parse(&case.theirs), parse(&case.human))
    else {
        return Facts::new();
    };
    let base = case.base.as_deref().and_then(parse);
    let keys: BTreeSet<&str> = ours.keys().chain(theirs.keys()).collect();
    let mut out = Facts::new();
    for k in keys {
        let (o, t) = (ours.value(k), theirs.value(k));
        if o == t {
            continue;
        }
        let changed = match &base {
            Some(b) => [o != b.value(k), t != b.value(k)],
            None => [true, true],
        };
        let h = human.value(k);
        let taken = match (h == o, h == t) {
            (true, false) => Some(Side::Upstream),
            (false, true) => Some(Side::Stashed),
            _ => None,
        };
        out.insert(k.to_owned(), KeyFacts { changed, taken });
    }
    out
}

/// What the files say of one (leader, follower) pair.
#[derive(Clone, Debug, Default)]
struct Pair<'c> {
    /// Merges of the files where it matters (people followed the leader
    /// where key by key would not).
    merges: BTreeSet<&'c str>,
    /// Files where it matters.
    matters: usize,
    /// Files where people took the follower from the other side.
    against: usize,
}

/// A leader and the keys that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The key whose changer people followed.
    pub(crate) leader: String,
    /// The keys that followed it.
    pub(crate) followers: Vec<String>,
    /// Files where following the leader matters, summed over the followers.
    pub(crate) strength: usize,
}

/// Candidate groups from the files of `cases` (`facts` beside them), the
/// strongest first; each key in one group at most.
pub(crate) fn candidates(cases: &[&FileCase], facts: &[&Facts], t: &Thresholds) -> Vec<Candidate> {
    let mut pairs: HashMap<(&str, &str), Pair<'_>> = HashMap::new();
    for (case, f) in cases.iter().zip(facts) {
        for (leader, lf) in f.iter() {
            let Some(side) = lf.changed_alone().filter(|s| lf.taken == Some(*s)) else {
                continue;
            };
            for (follower, ff) in f.iter().filter(|(k, _)| *k != leader) {
                let p = pairs.entry((leader, follower)).or_default();
                if ff.taken != Some(side) {
                    p.against += 1;
                } else if ff.changed_by(side.other()) {
                    p.matters += 1;
                    p.merges.insert(&case.merge);
                }
            }
        }
    }
    let mut by_leader: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for ((leader, follower), p) in &pairs {
        let share = p.matters as f64 / (p.matters + p.against) as f64;
        if p.merges.len() >= t.min_merges && share >= t.min_agreement {
            by_leader
                .entry(leader)
                .or_default()
                .push((follower, p.matters));
        }
    }
    let mut found: Vec<Candidate> = by_leader
        .into_iter()
        .map(|(leader, mut followers)| {
            followers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            Candidate {
                leader: leader.to_owned(),
                strength: followers.iter().map(|f| f.1).sum(),
                followers: followers.into_iter().map(|f| f.0.to_owned()).collect(),
            }
        })
        .collect();
    found.sort_by(|a, b| b.strength.cmp(&a.strength).then(a.leader.cmp(&b.leader)));
    // Each key in one group: the stronger group keeps it.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for mut c in found {
        if used.contains(&c.leader) {
            continue;
        }
        c.followers.retain(|f| !used.contains(f));
        if c.followers.is_empty() {
            continue;
        }
        used.insert(c.leader.clone());
        used.extend(c.followers.iter().cloned());
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(i: usize, base: &str, ours: &str, theirs: &str, human: &str) -> FileCase {
        let doc = |fm: &str| format!("---\n{fm}---\nbody\n");
        FileCase {
            merge: format!("m{i}"),
            time: i as i64,
            path: "a.md".into(),
            base: Some(doc(base)),
            ours: doc(ours),
            theirs: doc(theirs),
            human: doc(human),
            merging: Vec::new(),
        }
    }

    fn found(cases: &[FileCase]) -> Vec<Candidate> {
        let f: Vec<Facts> = cases.iter().map(facts).collect();
        let refs: Vec<&FileCase> = cases.iter().collect();
        let frefs: Vec<&Facts> = f.iter().collect();
        candidates(&refs, &frefs, &Thresholds::default())
    }

    #[test]
    fn a_resync_on_one_side_leads_a_flag_set_on_the_other() {
        // Ours re-syncs (source), theirs marks the page drifted; people keep
        // the re-sync whole, undoing theirs' flag. No commit changes both.
        let cases: Vec<FileCase> = (0..3)
            .map(|i| {
                case(
                    i,
                    "source: a\ndrifted: false\n",
                    "source: b\ndrifted: false\n",
                    "source: a\ndrifted: true\n",
                    "source: b\ndrifted: false\n",
                )
            })
            .collect();
        let f = facts(&cases[0]);
        assert_eq!(f["source"].changed_alone(), Some(Side::Upstream));
        assert_eq!(f["drifted"].changed_alone(), Some(Side::Stashed));
        assert_eq!(f["drifted"].taken, Some(Side::Upstream));
        let c = found(&cases);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            (c[0].leader.as_str(), c[0].followers.as_slice()),
            ("source", &["drifted".to_string()][..])
        );
        // Two merges are too few.
        assert!(found(&cases[..2]).is_empty());
    }

    #[test]
    fn people_keeping_each_change_is_no_group() {
        // Each side changed its own key and people kept both: key by key is right.
        let cases: Vec<FileCase> = (0..4)
            .map(|i| {
                case(
                    i,
                    "title: a\ndescription: a\n",
                    "title: b\ndescription: a\n",
                    "title: a\ndescription: c\n",
                    "title: b\ndescription: c\n",
                )
            })
            .collect();
        assert!(found(&cases).is_empty());
        // One file of four going the other way is below 0.9 agreement.
        let mut mixed: Vec<FileCase> = (0..4)
            .map(|i| {
                case(
                    i,
                    "title: a\ndescription: a\n",
                    "title: b\ndescription: a\n",
                    "title: a\ndescription: c\n",
                    "title: b\ndescription: a\n",
                )
            })
            .collect();
        assert_eq!(found(&mixed).len(), 1);
        mixed.push(case(
            9,
            "title: a\ndescription: a\n",
            "title: b\ndescription: a\n",
            "title: a\ndescription: c\n",
            "title: b\ndescription: c\n",
        ));
        assert!(found(&mixed).is_empty());
    }
}
