//! Field rules: what a frontmatter key means decides how a conflict on it is
//! settled, so that only real decisions are left to a person.
//!
//! ```text
//! rule      a key both sides changed becomes
//! ask       a question (picker), --prefer's side, or a conflict   (the default)
//! upstream  upstream's value
//! stashed   the stash's value
//! newest    the later date     lastmod, last_modified, modified, updated, updatedAt,
//!                              updated_at, dateModified, ms.date (built in)
//! oldest    the earlier date
//! union     both lists merged as a set, order kept (with the base when known)
//!                              tags, categories, aliases, keywords as lists, and
//!                              every list in Zola's [taxonomies] (built in)
//! words     both strings of words merged as a set: `cSpell:ignore: foo bar`, `keywords: "a, b"`
//! concat    both texts joined, the preferred side's first
//! ```
//!
//! Rules come from `--rule KEY=RULE`, then `.frontmerge.toml`, then the built-in
//! defaults: any rule from a stronger source wins. Within one source an exact
//! key beats a pattern, a rule on a nested key (`schema.dateModified`) beats
//! one on its parent, then the longer pattern and, on a tie, the later one.
//! Patterns use `*` (any characters, dots included) and `?` (one character).
//! A conditional rule (`[when.NAME]`, see [`when`]) applies only in merges of
//! its kind, and there beats an unconditional one from the same source.
//!
//! [`Rules`] runs right after the three-way decider: it sees only conflicts
//! the base could not settle. In batch it settles them; for the picker it only
//! suggests, and the picker preselects the rule's answer.

pub mod apply;
mod combine;
pub mod config;
mod glob;
pub mod groups;
pub mod scalar;
pub mod when;
pub mod words;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::decide::{Decider, Decision, Decisions, FileView, Flow, Reason, Resolution};
use crate::merge::compare::Part;
use crate::worded;

use glob::wildcard;

/// How a key's conflict is settled.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// Not settled by a rule: asked, `--prefer`, or left as a conflict.
    Ask,
    /// Upstream's value.
    Upstream,
    /// The stash's value.
    Stashed,
    /// The later date.
    Newest,
    /// The earlier date.
    Oldest,
    /// YAML sequences merged as a set.
    Union,
    /// Strings of words merged as a set of words.
    Words,
    /// Both texts joined.
    Concat,
}

impl Rule {
    /// Every rule, in the order docs/rules.md lists them.
    pub const ALL: [Rule; 8] = [
        Rule::Ask,
        Rule::Upstream,
        Rule::Stashed,
        Rule::Newest,
        Rule::Oldest,
        Rule::Union,
        Rule::Words,
        Rule::Concat,
    ];

    /// The name used on the command line and in `.frontmerge.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Ask => "ask",
            Rule::Upstream => "upstream",
            Rule::Stashed => "stashed",
            Rule::Newest => "newest",
            Rule::Oldest => "oldest",
            Rule::Union => "union",
            Rule::Words => "words",
            Rule::Concat => "concat",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule name that names no rule (trimmed, as written).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{0}` (expected {names})", names = Rule::names())]
pub struct UnknownRule(pub String);

impl Rule {
    /// Every name a rule goes by, for messages: the rules, then git's names
    /// for the sides outside a stash pop.
    fn names() -> String {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.extend(["ours", "theirs"]);
        names.join(", ")
    }
}

impl FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Rule, UnknownRule> {
        match s.trim() {
            "ours" => Ok(Rule::Upstream),
            "theirs" => Ok(Rule::Stashed),
            t => Rule::ALL
                .into_iter()
                .find(|r| r.name() == t)
                .ok_or_else(|| UnknownRule(t.to_owned())),
        }
    }
}

/// Where a rule comes from; later variants are stronger.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Built in.
    Default,
    /// `.frontmerge.toml` (or `--config FILE`).
    File,
    /// `--rule KEY=RULE`.
    CommandLine,
}

impl Origin {
    /// As shown after a rule, e.g. `from defaults`.
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Default => "from defaults",
            Origin::File => "from .frontmerge.toml",
            Origin::CommandLine => "from --rule",
        }
    }
}

/// When an entry applies at all.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Whatever the values are.
    Always,
    /// Only when both values are sequences (the built-in list keys).
    Sequences,
}

/// One rule for the keys a pattern matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleEntry {
    /// A key, a dotted path, or a pattern with `*` and `?`.
    pub pattern: String,
    /// The rule.
    pub rule: Rule,
    /// Where it was set.
    pub origin: Origin,
    /// When it applies.
    pub when: When,
    /// Only in merges of this kind (`[when.NAME]`).
    pub condition: Option<when::Condition>,
}

impl RuleEntry {
    fn is_glob(&self) -> bool {
        self.pattern.contains(['*', '?'])
    }

    fn literal_len(&self) -> usize {
        self.pattern
            .chars()
            .filter(|c| !matches!(c, '*' | '?'))
            .count()
    }

    /// `newest from defaults`, or with the pattern when it is one:
    /// `stashed (\`*.name\`) from --rule`; a conditional rule says its
    /// condition: `upstream in a merge of main from .frontmerge.toml`.
    pub fn describe(&self) -> String {
        format!("{}{}", self.rule, self.qualifiers())
    }

    /// [`RuleEntry::describe`] as a message, for reasons: a rule that takes
    /// a side names it as the operation calls it (`theirs from --rule` in a
    /// merge), as every message names sides.
    pub fn worded(&self) -> Worded {
        let rule = match self.rule {
            Rule::Upstream => worded![Side::Upstream],
            Rule::Stashed => worded![Side::Stashed],
            other => worded![other.name()],
        };
        rule.and(self.qualifiers())
    }

    /// What follows the rule's name: its pattern, condition and origin.
    fn qualifiers(&self) -> String {
        let mut out = String::new();
        if self.is_glob() {
            out.push_str(&format!(" (`{}`)", self.pattern));
        }
        if let Some(c) = &self.condition {
            out.push_str(&format!(" {c}"));
        }
        format!("{out} {}", self.origin.describe())
    }
}

/// `KEY=RULE` from the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSpec {
    /// The key, dotted path or pattern.
    pub pattern: String,
    /// The rule.
    pub rule: Rule,
}

/// Why a `KEY=RULE` does not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleSpecError {
    /// No `=` (the text as given).
    #[error("`{0}`: expected KEY=RULE, e.g. lastmod=newest")]
    NoEquals(String),
    /// Nothing before the `=` (the text as given).
    #[error("`{0}`: the key is empty")]
    EmptyKey(String),
    /// The rule after the `=` names no rule.
    #[error(transparent)]
    Rule(#[from] UnknownRule),
}

impl FromStr for RuleSpec {
    type Err = RuleSpecError;

    fn from_str(s: &str) -> Result<RuleSpec, RuleSpecError> {
        let (k, r) = s
            .rsplit_once('=')
            .ok_or_else(|| RuleSpecError::NoEquals(s.to_owned()))?;
        let pattern = k.trim();
        if pattern.is_empty() {
            return Err(RuleSpecError::EmptyKey(s.to_owned()));
        }
        Ok(RuleSpec {
            pattern: pattern.to_owned(),
            rule: r.parse()?,
        })
    }
}

/// List keys: `union` by default when both values are sequences; the
/// pattern covers Zola's `[taxonomies]` table (`taxonomies.tags`, ...).
pub const LIST_KEYS: &[&str] = &["tags", "categories", "aliases", "keywords", "taxonomies.*"];

/// A rule that matched a path.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Match<'s> {
    /// The entry.
    pub entry: &'s RuleEntry,
    /// Its position in the set (tells entries apart).
    pub index: usize,
    /// How many of the candidate paths before the matched one (0: the key itself).
    pub depth: usize,
}

/// Every rule in force, from all sources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSet {
    entries: Vec<RuleEntry>,
    /// The entries whose pattern is a name (no wildcard, see
    /// [`is_wildcard`]), by that name: looked up for each path a key asks
    /// about, not compared, so a key costs the same against ten names or
    /// ten thousand.
    names: HashMap<String, Vec<usize>>,
    /// The entries whose pattern has wildcards: matched against each path.
    patterns: Vec<usize>,
    /// Key groups, decided as one unit (see [`groups`]).
    groups: Vec<groups::Group>,
    /// Where each group's name is in `groups`: a group finds the one it
    /// replaces without comparing names with every group before it (a
    /// 1 MiB config holds some 25,000 groups).
    group_at: HashMap<String, usize>,
    /// The kind of merge being settled; `None`: unknown, so no conditional
    /// rule applies.
    kind: Option<when::MergeKind>,
}

/// The longest pattern (in characters) whose `*` and `?` are wildcards,
/// and the longest key such a pattern is matched against. A committed
/// `.frontmerge.toml` with a 40 KB pattern took 84 s on one 400 KB key
/// when matching took their product in steps (attacker trial); matching
/// is now linear in the key (`glob.rs`), and these caps keep its masks to
/// four words. Key names and patterns are a few dozen characters; past
/// these, a pattern is a name taken literally and a key is matched by its
/// exact name only.
pub const GLOB_PATTERN_MAX: usize = 256;
/// See [`GLOB_PATTERN_MAX`].
pub const GLOB_KEY_MAX: usize = 4096;

/// True when `pattern`'s `*` and `?` are wildcards: it has one, within
/// [`GLOB_PATTERN_MAX`]. Any other pattern matches only its exact name.
pub fn is_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?']) && pattern.chars().count() <= GLOB_PATTERN_MAX
}

/// `*` matches any characters (dots included), `?` one character; within
/// [`GLOB_PATTERN_MAX`] and [`GLOB_KEY_MAX`].
pub fn glob_match(pattern: &str, text: &str) -> bool {
    #[cfg(test)]
    GLOB_MATCHES.with(|c| c.set(c.get() + 1));
    // Asked for every rule and key of every file: no allocation where the
    // pattern is a plain key or both are ASCII (nearly always).
    if !is_wildcard(pattern) {
        return pattern == text;
    }
    if text.chars().count() > GLOB_KEY_MAX {
        return false;
    }
    if pattern.is_ascii() && text.is_ascii() {
        return wildcard(pattern.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let (p, t) = glob::ids(pattern, text);
    wildcard(&p, &t, glob::STAR, glob::ANY)
}

#[cfg(test)]
thread_local! {
    /// How many times [`glob_match`] ran on this thread: the work a rule
    /// lookup does, for tests.
    static GLOB_MATCHES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
thread_local! {
    /// Groups looked at on this thread to find the one a pushed group
    /// replaces: the work adding groups does, for tests.
    static GROUP_LOOKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl RuleSet {
    /// No rules at all.
    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in defaults.
    pub fn defaults() -> RuleSet {
        let mut set = RuleSet::empty();
        for k in crate::decide::dates::MODIFIED_KEYS {
            set.push(k, Rule::Newest, Origin::Default, When::Always);
        }
        for k in LIST_KEYS {
            set.push(k, Rule::Union, Origin::Default, When::Sequences);
        }
        set
    }

    /// Adds a rule.
    pub fn push(&mut self, pattern: &str, rule: Rule, origin: Origin, when: When) {
        self.add(RuleEntry {
            pattern: pattern.to_owned(),
            rule,
            origin,
            when,
            condition: None,
        });
    }

    /// Adds an entry, indexed by name or listed as a pattern.
    fn add(&mut self, entry: RuleEntry) {
        let index = self.entries.len();
        if is_wildcard(&entry.pattern) {
            self.patterns.push(index);
        } else {
            self.names
                .entry(entry.pattern.clone())
                .or_default()
                .push(index);
        }
        self.entries.push(entry);
    }

    /// Adds a rule that applies only in merges meeting `condition`.
    pub fn push_if(
        &mut self,
        pattern: &str,
        rule: Rule,
        origin: Origin,
        condition: when::Condition,
    ) {
        self.add(RuleEntry {
            pattern: pattern.to_owned(),
            rule,
            origin,
            when: When::Always,
            condition: Some(condition),
        });
    }

    /// Whether any rule has a condition (then the kind of merge is worth finding).
    pub fn has_conditions(&self) -> bool {
        self.entries.iter().any(|e| e.condition.is_some())
    }

    /// Says which kind of merge is being settled (`None`: unknown).
    pub fn set_kind(&mut self, kind: Option<when::MergeKind>) {
        self.kind = kind;
    }

    /// The kind of merge being settled, when known.
    pub fn kind(&self) -> Option<&when::MergeKind> {
        self.kind.as_ref()
    }

    /// Every entry, in the order they were added.
    pub fn entries(&self) -> &[RuleEntry] {
        &self.entries
    }

    /// Adds a key group; a later group with the same name replaces it.
    pub fn push_group(&mut self, group: groups::Group) {
        #[cfg(test)]
        GROUP_LOOKS.with(|c| c.set(c.get() + 1));
        if let Some(i) = self.group_at.remove(&group.name) {
            // The replaced group goes and the new one comes last, as with
            // a fresh push. Only `learn`'s proposals replace (a file's
            // group names are TOML keys, unique), so this stays rare.
            self.groups.remove(i);
            #[cfg(test)]
            GROUP_LOOKS.with(|c| c.set(c.get() + self.group_at.len()));
            for at in self.group_at.values_mut().filter(|at| **at > i) {
                *at -= 1;
            }
        }
        self.group_at.insert(group.name.clone(), self.groups.len());
        self.groups.push(group);
    }

    /// The key groups.
    pub fn groups(&self) -> &[groups::Group] {
        &self.groups
    }

    /// The strongest rule for the last of `paths`, which lists the key and
    /// then deeper and deeper paths into it (`schema`, `schema.image`,
    /// `schema.image.url`): a rule on a parent covers its children.
    /// `sequences`: both values of the key are YAML sequences.
    pub fn best(&self, paths: &[String], sequences: bool) -> Option<Match<'_>> {
        // Source, conditional over not, exact over pattern, deeper path,
        // longer pattern, later entry.
        type Rank = (Origin, bool, bool, usize, usize, usize);
        let mut best: Option<(Match<'_>, Rank)> = None;
        // The names each path has, at its depth (an entry found at several
        // depths ranks highest at the deepest, as matching finds it), then
        // every pattern.
        let named = paths.iter().enumerate().flat_map(|(depth, p)| {
            let found = self.names.get(p.as_str()).into_iter().flatten();
            found.map(move |&index| (index, Some(depth)))
        });
        let patterns = self.patterns.iter().map(|&index| (index, None));
        for (index, depth) in named.chain(patterns) {
            let entry = &self.entries[index];
            if entry.when == When::Sequences && !sequences {
                continue;
            }
            if let Some(c) = &entry.condition {
                if !self.kind.as_ref().is_some_and(|k| c.matches(k)) {
                    continue;
                }
            }
            let Some(depth) =
                depth.or_else(|| paths.iter().rposition(|p| glob_match(&entry.pattern, p)))
            else {
                continue;
            };
            let rank = (
                entry.origin,
                entry.condition.is_some(),
                !entry.is_glob(),
                depth,
                entry.literal_len(),
                index,
            );
            if best.as_ref().is_none_or(|(_, r)| rank > *r) {
                best = Some((
                    Match {
                        entry,
                        index,
                        depth,
                    },
                    rank,
                ));
            }
        }
        best.map(|(m, _)| m)
    }
}

/// Whether rule answers are taken or only offered.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Batch and merge driver: the rule's answer is the decision.
    Settle,
    /// The picker: the rule's answer is preselected, the person decides.
    Suggest,
}

/// The rules decider: runs after the three-way decisions, before `--prefer`
/// or the picker.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The rules in force.
    pub set: RuleSet,
    /// Settle or suggest.
    pub mode: Mode,
    /// The side whose writing style merged values follow (separator,
    /// quoting, list style): `--prefer`'s side worked out for the file
    /// (the newest for `--prefer newest`), else upstream.
    pub preferred: Side,
}

impl Rules {
    /// The rules `set`, settling or suggesting, upstream's style.
    pub fn new(set: RuleSet, mode: Mode) -> Rules {
        Rules {
            set,
            mode,
            preferred: Side::Upstream,
        }
    }
}

impl Decider for Rules {
    fn decide(
        &mut self,
        file: &FileView<'_, '_>,
        decisions: &mut Decisions,
    ) -> Result<Flow, crate::decide::DecideError> {
        let preferred = self.preferred;
        // Groups first: they may take back three-way decisions on their keys.
        let held = groups::decide(file, decisions, &self.set, preferred, self.mode);
        // Lists a rule merges as sets: merged by the tree merge, the rule's answer.
        for s in file.fm.merge.settled.iter().filter(|s| s.by_rule) {
            let part = Part::Key(s.path.clone());
            if decisions.covers(&part) || s.path.top().is_some_and(|t| held.contains(t)) {
                continue;
            }
            let d = Decision {
                resolution: Resolution::Merged,
                reason: Reason::Rule(s.why.clone()),
            };
            match self.mode {
                Mode::Settle => decisions.set(part, d),
                Mode::Suggest => decisions.suggest(part, d),
            }
        }
        for part in decisions.open(file.comparison) {
            let Part::Key(path) = &part else { continue };
            if path.top().is_some_and(|top| held.contains(top)) {
                continue;
            }
            let at = match file.comparison.keys.get(path) {
                Some(k) => k.at.clone(),
                None => {
                    let same = Some(path.clone());
                    Sides::new(same.clone(), same.clone(), Some(same))
                }
            };
            match apply::apply_at(file.keyed(), path, &at, &self.set, preferred) {
                apply::Applied::NoRule => {}
                apply::Applied::Fallback(note) => decisions.note(Some(part.clone()), note),
                apply::Applied::Decided(d) => match self.mode {
                    Mode::Settle => decisions.set(part, d),
                    Mode::Suggest => decisions.suggest(part, d),
                },
            }
        }
        Ok(Flow::Continue)
    }
}

/// Sequences merge as sets where a `union` rule (or a default, `tags` and
/// the like) covers them; every other sequence item by item, in order.
impl crate::merge::tree::Strategy for RuleSet {
    fn seq_kind(&self, path: &crate::article::KeyPath) -> crate::merge::tree::SeqKind {
        match self.best(&path.rule_names(), true) {
            Some(m) if m.entry.rule == Rule::Union => {
                crate::merge::tree::SeqKind::Set(m.entry.describe())
            }
            _ => crate::merge::tree::SeqKind::Ordered,
        }
    }
}

/// Builds the rule set: command line, then the file's rules, then defaults.
pub fn rule_set(cli: &[RuleSpec], file: Option<&config::Config>) -> RuleSet {
    let mut set = RuleSet::defaults();
    if let Some(c) = file {
        for (pattern, rule) in &c.rules {
            set.push(pattern, *rule, Origin::File, When::Always);
        }
        for g in &c.groups {
            set.push_group(g.clone());
        }
        for w in &c.conditional {
            for (pattern, rule) in &w.rules {
                set.push_if(pattern, *rule, Origin::File, w.condition.clone());
            }
        }
    }
    for r in cli {
        set.push(&r.pattern, r.rule, Origin::CommandLine, When::Always);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    fn rule(set: &RuleSet, p: &[&str], seq: bool) -> Option<(Rule, Origin)> {
        set.best(&paths(p), seq)
            .map(|m| (m.entry.rule, m.entry.origin))
    }

    #[test]
    fn long_patterns_are_names_and_long_keys_match_only_by_name() {
        let long_pattern = format!("*{}b", "a".repeat(GLOB_PATTERN_MAX));
        let key = format!("x{}b", "a".repeat(GLOB_PATTERN_MAX));
        assert!(!glob_match(&long_pattern, &key), "a wildcard no longer");
        assert!(glob_match(&long_pattern, &long_pattern), "a name");
        let short = format!("*{}b", "a".repeat(GLOB_PATTERN_MAX - 2));
        assert!(glob_match(&short, &key));
        let long_key = "a".repeat(GLOB_KEY_MAX + 1);
        assert!(!glob_match("*", &long_key));
        assert!(glob_match(&long_key, &long_key), "by its exact name");
        assert!(glob_match("*", &"a".repeat(GLOB_KEY_MAX)));
        // Characters, not bytes.
        let wide = "é".repeat(GLOB_KEY_MAX);
        assert!(glob_match("*", &wide));
        assert!(!glob_match("*", &format!("{wide}é")));
    }

    #[test]
    fn a_key_is_matched_against_the_patterns_not_against_every_name() {
        let mut set = RuleSet::empty();
        for i in 0..1000 {
            set.push(&format!("k{i}"), Rule::Stashed, Origin::File, When::Always);
        }
        set.push("*.date", Rule::Newest, Origin::File, When::Always);
        set.push("k7", Rule::Upstream, Origin::CommandLine, When::Always);
        GLOB_MATCHES.with(|c| c.set(0));
        assert_eq!(
            rule(&set, &["k500"], false),
            Some((Rule::Stashed, Origin::File))
        );
        assert_eq!(
            rule(&set, &["k7"], false),
            Some((Rule::Upstream, Origin::CommandLine))
        );
        assert_eq!(
            rule(&set, &["k7", "k7.date"], false),
            Some((Rule::Upstream, Origin::CommandLine))
        );
        assert_eq!(
            rule(&set, &["ms", "ms.date"], false),
            Some((Rule::Newest, Origin::File))
        );
        assert_eq!(rule(&set, &["x"], false), None);
        // The one pattern, against each path asked: names are looked up.
        assert!(GLOB_MATCHES.with(|c| c.get()) <= 7);
    }

    #[test]
    fn a_group_replaces_the_one_of_its_name_without_looking_at_every_group() {
        let group = |name: &str, key: &str| groups::Group {
            name: name.into(),
            keys: vec![key.into(), "other".into()],
            leader: None,
        };
        let mut set = RuleSet::empty();
        GROUP_LOOKS.with(|c| c.set(0));
        for i in 0..2000 {
            set.push_group(group(&format!("g{i}"), "a"));
        }
        // A few per group, not one per earlier group (about 2,000,000).
        let looks = GROUP_LOOKS.with(|c| c.get());
        assert!(looks <= 2 * 2000, "{looks}");
        // A later group of a name replaces it and goes last, as it always did.
        set.push_group(group("g5", "b"));
        set.push_group(group("g0", "c"));
        set.push_group(group("g1999", "d"));
        set.push_group(group("g5", "e"));
        let names: Vec<&str> = set.groups().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names.len(), 2000);
        assert_eq!(&names[..3], ["g1", "g2", "g3"]);
        assert_eq!(&names[1996..], ["g1998", "g0", "g1999", "g5"]);
        let keys: Vec<&str> = set.groups()[1997..]
            .iter()
            .map(|g| g.keys[0].as_str())
            .collect();
        assert_eq!(keys, ["c", "d", "e"]);
    }

    #[test]
    fn globs_match_dots_and_single_characters() {
        assert!(glob_match("*", "ms.date"));
        assert!(glob_match("schema.*", "schema.image.url"));
        assert!(glob_match("*date*", "ms.date"));
        assert!(glob_match("update?_at", "updated_at"));
        assert!(!glob_match("schema.*", "schema"));
        assert!(!glob_match("tag", "tags"));
        assert!(glob_match("**", ""));
        // Non-ASCII keys: `?` is one character, not one byte.
        assert!(glob_match("дата?", "датаX"));
        assert!(glob_match("?ата", "дата"));
        assert!(!glob_match("?ата", "ддата"));
        assert!(glob_match("*.дата", "schema.дата"));
        assert!(glob_match("ключ", "ключ") && !glob_match("ключ", "ключи"));
    }

    #[test]
    fn parses_rules_and_specs() {
        assert_eq!("newest".parse(), Ok(Rule::Newest));
        assert_eq!("ours".parse(), Ok(Rule::Upstream));
        let e = "newer".parse::<Rule>().unwrap_err().to_string();
        assert!(
            e.contains("expected ask") && e.ends_with(", ours, theirs)"),
            "{e}"
        );
        let s: RuleSpec = "cSpell:ignore=words".parse().unwrap();
        assert_eq!((s.pattern.as_str(), s.rule), ("cSpell:ignore", Rule::Words));
        assert!("title"
            .parse::<RuleSpec>()
            .unwrap_err()
            .to_string()
            .contains("KEY=RULE"));
        assert!("=ask".parse::<RuleSpec>().is_err());
    }

    #[test]
    fn command_line_beats_file_beats_defaults() {
        let file = config::Config {
            rules: vec![
                ("lastmod".into(), Rule::Oldest),
                ("title".into(), Rule::Stashed),
            ],
            ..config::Config::default()
        };
        let cli = [RuleSpec {
            pattern: "title".into(),
            rule: Rule::Upstream,
        }];
        let set = rule_set(&cli, Some(&file));
        assert_eq!(
            rule(&set, &["lastmod"], false),
            Some((Rule::Oldest, Origin::File))
        );
        assert_eq!(
            rule(&set, &["title"], false),
            Some((Rule::Upstream, Origin::CommandLine))
        );
        assert_eq!(
            rule(&set, &["updated"], false),
            Some((Rule::Newest, Origin::Default))
        );
        assert_eq!(rule(&set, &["date"], false), None, "no default for pubDate");
        assert_eq!(rule(&set, &["pubDate"], false), None);
        // `*=ask` on the command line silences every default and file rule.
        let set = rule_set(
            &[RuleSpec {
                pattern: "*".into(),
                rule: Rule::Ask,
            }],
            Some(&file),
        );
        assert_eq!(
            rule(&set, &["lastmod"], false),
            Some((Rule::Ask, Origin::CommandLine))
        );
    }

    #[test]
    fn list_defaults_apply_to_sequences_only() {
        let set = RuleSet::defaults();
        assert_eq!(
            rule(&set, &["tags"], true),
            Some((Rule::Union, Origin::Default))
        );
        assert_eq!(rule(&set, &["keywords"], false), None);
        assert_eq!(
            rule(&set, &["taxonomies", "taxonomies.tags"], true),
            Some((Rule::Union, Origin::Default))
        );
        assert_eq!(rule(&set, &["taxonomies", "taxonomies.tags"], false), None);
        assert_eq!(
            rule(&set, &["taxonomies"], true),
            None,
            "not the table itself"
        );
    }

    #[test]
    fn exact_beats_pattern_and_deeper_beats_parent() {
        let mut set = RuleSet::empty();
        set.push("schema.*", Rule::Newest, Origin::File, When::Always);
        set.push("schema", Rule::Upstream, Origin::File, When::Always);
        set.push("schema.name", Rule::Stashed, Origin::File, When::Always);
        set.push("*", Rule::Ask, Origin::File, When::Always);
        let p = |inner: &str| {
            let mut v = vec!["schema".to_string()];
            let mut acc = "schema".to_string();
            for seg in inner.split('.') {
                acc = format!("{acc}.{seg}");
                v.push(acc.clone());
            }
            v
        };
        let got = |inner: &str| set.best(&p(inner), false).map(|m| m.entry.rule);
        assert_eq!(got("name"), Some(Rule::Stashed));
        assert_eq!(
            got("image.url"),
            Some(Rule::Upstream),
            "exact parent over glob"
        );
        assert_eq!(
            set.best(&paths(&["title"]), false).map(|m| m.entry.rule),
            Some(Rule::Ask)
        );
        // Among patterns: the longer, then the later.
        let mut set = RuleSet::empty();
        set.push("*", Rule::Upstream, Origin::File, When::Always);
        set.push("*date", Rule::Newest, Origin::File, When::Always);
        set.push("*.dat?", Rule::Oldest, Origin::File, When::Always);
        assert_eq!(
            set.best(&paths(&["pubDate"]), false).map(|m| m.entry.rule),
            Some(Rule::Upstream)
        );
        assert_eq!(
            set.best(&paths(&["ms.date"]), false).map(|m| m.entry.rule),
            Some(Rule::Oldest)
        );
    }

    #[test]
    fn conditional_rules_apply_only_in_merges_of_their_kind() {
        use crate::git::Operation;
        let file = config::parse(
            "[rules]\n\"ms.date\" = \"stashed\"\n[when.sync]\noperation = \"merge\"\nmerging = \"main\"\nrules = { \"ms.*\" = \"upstream\" }\n",
            std::path::Path::new("f"),
        )
        .unwrap();
        let mut set = rule_set(&[], Some(&file));
        assert!(set.has_conditions());
        let got = |set: &RuleSet| {
            set.best(&paths(&["ms.date"]), false)
                .map(|m| m.entry.describe())
        };
        // Unknown kind: the condition does not hold.
        assert_eq!(got(&set).as_deref(), Some("stashed from .frontmerge.toml"));
        let kind = |op, name: &str| {
            Some(when::MergeKind {
                operation: op,
                merging: vec![name.to_owned()],
            })
        };
        set.set_kind(kind(Operation::Merge, "main"));
        // A conditional pattern beats an unconditional exact key of the same source.
        assert_eq!(
            got(&set).as_deref(),
            Some("upstream (`ms.*`) in a merge of main from .frontmerge.toml")
        );
        set.set_kind(kind(Operation::Merge, "feature"));
        assert_eq!(got(&set).as_deref(), Some("stashed from .frontmerge.toml"));
        set.set_kind(kind(Operation::Rebase, "main"));
        assert_eq!(got(&set).as_deref(), Some("stashed from .frontmerge.toml"));
        // --rule still beats it.
        let mut set = rule_set(
            &[RuleSpec {
                pattern: "ms.date".into(),
                rule: Rule::Oldest,
            }],
            Some(&file),
        );
        set.set_kind(kind(Operation::Merge, "main"));
        assert_eq!(got(&set).as_deref(), Some("oldest from --rule"));
    }
}
