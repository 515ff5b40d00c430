//! One rule applied to one key: the decision, or why the rule cannot settle
//! it (then the key is asked about, and the message says why).
//!
//! ```text
//! lastmod   newest   "2025-08-10" vs "2025-08-12T16:45Z"   → stashed's bytes
//! tags      union    [a, b] vs [b, c]                      → [a, b, c] in upstream's list style
//! keywords  words    "a, b" vs "b, c"                      → "a, b, c" in upstream's quoting
//! schema    schema.dateModified=newest, schema.name=stashed
//!                    → upstream's schema text, with those two inner values copied from
//!                      the side each rule picked, every other byte unchanged
//! [taxonomies] taxonomies.tags=union → upstream's table, its `tags = [...]` value
//!                      replaced by the merged list written in its style
//! ```
//!
//! Inside a mapping (a TOML table, a JSON object, a YAML mapping), a
//! difference no rule covers is settled by the base when only one side
//! changed it, so that a rule on one inner key is not defeated by an edit
//! beside it; without a base, or when both changed it, the key is asked.
//!
//! A side taken whole is written from its original bytes; a merged value is
//! the smallest new text (the preferred side's key line and quoting), checked
//! by parsing it back.

use super::combine::{merge_values, Merged};
use super::{Rule, RuleEntry, RuleSet};
use crate::article::Value;
use crate::article::{Article, Entry, KeyPath};
use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::decide::dates;
use crate::decide::{Decision, Reason, Resolution};
use crate::worded;

/// What a rule made of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// No rule, or `ask`: the key is asked about.
    NoRule,
    /// A rule applies but cannot settle this key; the message says why.
    Fallback(Worded),
    /// The rule's answer.
    Decided(Decision),
}

fn rule_decision(resolution: Resolution, why: Worded) -> Applied {
    Applied::Decided(Decision {
        resolution,
        reason: Reason::Rule(why),
    })
}

/// Applies the rules in `set` to the value at `path` (a top-level key, or
/// a value inside one: the tree merge leaves only values both sides changed,
/// at any depth). `preferred` is the side whose writing style merged values
/// follow (and which wins a tie).
pub fn apply(
    articles: &Sides<Article<'_>>,
    path: &KeyPath,
    set: &RuleSet,
    preferred: Side,
) -> Applied {
    let same = Some(path.clone());
    let at = Sides::new(same.clone(), same.clone(), Some(same));
    apply_at(articles, path, &at, set, preferred)
}

/// [`apply`] to the value the merge names `path`, which is `at` in each
/// version (an item may stand elsewhere on a side: see
/// [`crate::merge::compare::KeyDiff::at`]).
pub fn apply_at(
    articles: &Sides<Article<'_>>,
    path: &KeyPath,
    at: &Sides<Option<KeyPath>>,
    set: &RuleSet,
    preferred: Side,
) -> Applied {
    fn entry<'a>(a: &Article<'a>, p: &Option<KeyPath>) -> Option<Entry<'a>> {
        p.as_ref().and_then(|p| a.entry_at(p))
    }
    let names = path.rule_names();
    // No rule for this path whatever its values are: nothing to look up (a
    // value inside a flow collection is found by reading that collection).
    let ruled = |sequences| {
        set.best(&names, sequences)
            .is_some_and(|m| m.entry.rule != Rule::Ask)
    };
    if !ruled(false) && !ruled(true) {
        return Applied::NoRule;
    }
    let (u, s) = (
        entry(&articles.upstream, &at.upstream),
        entry(&articles.stashed, &at.stashed),
    );
    let base = match (&articles.base, &at.base) {
        (Some(b), Some(p)) => entry(b, p),
        _ => None,
    };
    let value = |e: &Option<Entry<'_>>| e.as_ref().map(|e| e.value.clone());
    if value(&u) == value(&s) {
        return Applied::NoRule;
    }
    let sequences = [&u, &s]
        .iter()
        .all(|e| e.as_ref().is_some_and(|e| e.value.sequence().is_some()));
    match set.best(&names, sequences) {
        Some(m) if m.entry.rule != Rule::Ask => whole(
            articles,
            &path.to_string(),
            m.entry,
            Sides::new(u.as_ref(), s.as_ref(), Some(base.as_ref())),
            preferred,
        ),
        _ => Applied::NoRule,
    }
}

/// Which date wins under `rule`; `Err` names the side whose value is no date.
fn pick_date(
    key: &str,
    rule: Rule,
    u: &Value,
    s: &Value,
    preferred: Side,
) -> Result<(Side, Worded), Worded> {
    let (ut, st) = (u.display(), s.display());
    let parsed = |side: Side, t: &str| {
        dates::parse(t).ok_or_else(|| {
            worded![
                format!("`{key}`: rule `{rule}` compares dates, but the value on "),
                side,
                format!(" ({t:?}) is not a date; falling back to `ask`"),
            ]
        })
    };
    let (a, b) = (parsed(Side::Upstream, &ut)?, parsed(Side::Stashed, &st)?);
    let later = match a.cmp(&b) {
        std::cmp::Ordering::Greater => Side::Upstream,
        std::cmp::Ordering::Less => Side::Stashed,
        std::cmp::Ordering::Equal => {
            return Ok((
                preferred,
                worded!["equal dates, the value on ", preferred, " kept"],
            ));
        }
    };
    let side = if rule == Rule::Oldest {
        later.other()
    } else {
        later
    };
    let text = |s: Side| if s == Side::Upstream { &ut } else { &st };
    let op = if rule == Rule::Oldest { "<" } else { ">" };
    Ok((
        side,
        worded![format!("{} {op} {}", text(side), text(side.other()))],
    ))
}

/// A rule applied to the whole value of `key`.
fn whole(
    articles: &Sides<Article<'_>>,
    key: &str,
    rule: &RuleEntry,
    entries: Sides<Option<&Entry<'_>>>,
    preferred: Side,
) -> Applied {
    let d = rule.worded();
    let (u, s) = (entries.upstream, entries.stashed);
    let base = entries.base.flatten();
    match rule.rule {
        Rule::Ask => return Applied::NoRule,
        Rule::Upstream => return rule_decision(Resolution::Take(Side::Upstream), worded![d]),
        Rule::Stashed => return rule_decision(Resolution::Take(Side::Stashed), worded![d]),
        _ => {}
    }
    let (Some(ue), Some(se)) = (u, s) else {
        let has = if u.is_some() {
            Side::Upstream
        } else {
            Side::Stashed
        };
        return Applied::Fallback(worded![
            format!("`{key}`: only "),
            has,
            format!(
                " has it, and rule `{}` needs a value on both sides; falling back to `ask`",
                rule.rule
            ),
        ]);
    };
    let by_side = |side: Side| if side == Side::Upstream { ue } else { se };
    let (pe, oe) = (by_side(preferred), by_side(preferred.other()));
    let eol = articles.get(preferred).eol;
    match rule.rule {
        Rule::Newest | Rule::Oldest => {
            match pick_date(key, rule.rule, &ue.value, &se.value, preferred) {
                Ok((side, detail)) => {
                    rule_decision(Resolution::Take(side), worded![d, ", ", detail])
                }
                Err(e) => Applied::Fallback(e),
            }
        }
        Rule::Union | Rule::Words | Rule::Concat => {
            let bv = base.map(|b| &b.value);
            match merge_values(key, rule.rule, (pe, oe), bv, preferred, eol) {
                Ok((Merged::Take(side), why)) => {
                    rule_decision(Resolution::Take(side), worded![d, ", ", why])
                }
                Ok((Merged::Text(text), why)) => rule_decision(
                    Resolution::Text(format!("{}{text}", pe.lead)),
                    worded![d, ", ", why],
                ),
                Err(e) => Applied::Fallback(e),
            }
        }
        Rule::Ask | Rule::Upstream | Rule::Stashed => unreachable!("settled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::conflict::sides::SideNames;
    use crate::decide::rules::{Origin, When};

    fn set(rules: &[(&str, Rule)]) -> RuleSet {
        let mut s = RuleSet::defaults();
        for (p, r) in rules {
            s.push(p, *r, Origin::CommandLine, When::Always);
        }
        s
    }

    fn run(
        up: &str,
        st: &str,
        base: Option<&str>,
        key: &str,
        rules: &[(&str, Rule)],
        pref: Side,
    ) -> Applied {
        let yaml = |fm: &str| format!("---\n{fm}---\n");
        let b = base.map(yaml);
        run_docs(&yaml(up), &yaml(st), b.as_deref(), key, rules, pref)
    }

    fn decided(a: Applied) -> (Resolution, String) {
        match a {
            Applied::Decided(d) => (d.resolution, d.reason.named(SideNames::STASH)),
            other => panic!("decided expected, got {other:?}"),
        }
    }

    fn text(t: &str) -> Resolution {
        Resolution::Text(t.into())
    }

    #[test]
    fn a_side_rule_names_its_side_as_the_operation_calls_it() {
        let merge = SideNames {
            upstream: "ours",
            stashed: "theirs",
        };
        for (rule, said) in [(Rule::Upstream, "ours"), (Rule::Stashed, "theirs")] {
            let a = run(
                "t: a\n",
                "t: b\n",
                None,
                "t",
                &[("t", rule)],
                Side::Upstream,
            );
            let Applied::Decided(d) = a else {
                panic!("decided expected, got {a:?}")
            };
            assert_eq!(d.reason.named(merge), format!("rule: {said} from --rule"));
        }
    }

    #[test]
    fn side_rules_take_that_side_even_when_the_key_is_missing() {
        let (r, why) = decided(run(
            "t: a\n",
            "t: b\n",
            None,
            "t",
            &[("t", Rule::Stashed)],
            Side::Upstream,
        ));
        assert_eq!(r, Resolution::Take(Side::Stashed));
        assert_eq!(why, "rule: stashed from --rule");
        let (r, _) = decided(run(
            "t: a\n",
            "x: 1\n",
            None,
            "t",
            &[("t", Rule::Upstream)],
            Side::Upstream,
        ));
        assert_eq!(r, Resolution::Take(Side::Upstream));
        assert!(matches!(
            run("t: a\n", "x: 1\n", None, "t", &[("t", Rule::Newest)], Side::Upstream),
            Applied::Fallback(m)
                if m.named(SideNames::STASH).contains("only upstream has it")
        ));
    }

    #[test]
    fn newest_and_oldest_compare_every_date_format() {
        for (a, b) in [
            ("2025-08-10", "2025-08-12"),
            (
                "\"2025-08-10T08:00:00.000Z\"",
                "\"2025-08-12T16:45:10.512Z\"",
            ),
            ("2025-08-10T23:00:00+03:00", "2025-08-10T21:00:00Z"),
            ("2025-08-10 08:00:00", "2025-08-10T08:00:01"),
            ("2025-08-10 23:00:00 +03:00", "2025-08-10 20:30:00Z"),
            ("2025-08-10t08:00:00.5-01:00", "2025-08-10T09:00:00.6"),
            ("08/10/2025", "08/12/2025"),
            ("07/31/2025", "2025-08-01"),
        ] {
            let (up, st) = (format!("lastmod: {a}\n"), format!("lastmod: {b}\n"));
            let (r, why) = decided(run(&up, &st, None, "lastmod", &[], Side::Upstream));
            assert_eq!(r, Resolution::Take(Side::Stashed), "{a} vs {b}");
            assert!(why.starts_with("rule: newest from defaults, "), "{why}");
            let (r, _) = decided(run(
                &up,
                &st,
                None,
                "lastmod",
                &[("lastmod", Rule::Oldest)],
                Side::Upstream,
            ));
            assert_eq!(r, Resolution::Take(Side::Upstream), "{a} vs {b}");
        }
        let (r, why) = decided(run(
            "ms.date: 01/02/2025\n",
            "ms.date: 2025-01-02\n",
            None,
            "ms.date",
            &[],
            Side::Stashed,
        ));
        assert_eq!(r, Resolution::Take(Side::Stashed));
        assert!(
            why.ends_with("equal dates, the value on stashed kept"),
            "{why}"
        );
        let Applied::Fallback(m) = run(
            "updated: soon\n",
            "updated: 2025-01-01\n",
            None,
            "updated",
            &[],
            Side::Upstream,
        ) else {
            panic!("fallback expected")
        };
        let m = m.named(SideNames::STASH);
        assert_eq!(m, "`updated`: rule `newest` compares dates, but the value on upstream (\"soon\") is not a date; falling back to `ask`");
    }

    #[test]
    fn publication_dates_have_no_default_rule() {
        for k in ["date", "pubDate", "published"] {
            let (u, s) = (format!("{k}: 2025-01-01\n"), format!("{k}: 2025-02-01\n"));
            assert_eq!(
                run(&u, &s, None, k, &[], Side::Upstream),
                Applied::NoRule,
                "{k}"
            );
        }
    }

    #[test]
    fn union_merges_lists_with_and_without_the_base() {
        let (r, why) = decided(run(
            "tags:\n  - a\n  - u\n",
            "tags:\n  - s\n  - a\n",
            None,
            "tags",
            &[],
            Side::Upstream,
        ));
        assert_eq!(r, text("tags:\n  - a\n  - u\n  - s\n"));
        assert_eq!(
            why,
            "rule: union from defaults, merged as a set (+2 from upstream, +1 from stashed)"
        );
        // The stash preferred: its order and style first.
        let (r, _) = decided(run(
            "tags: [a, u]\n",
            "tags:\n- s\n- a\n",
            None,
            "tags",
            &[],
            Side::Stashed,
        ));
        assert_eq!(r, text("tags:\n- s\n- a\n- u\n"));
        // With a base, a removal on one side is kept.
        let (r, _) = decided(run(
            "tags: [a, b, u]\n",
            "tags: [a, s]\n",
            Some("tags: [a, b]\n"),
            "tags",
            &[],
            Side::Upstream,
        ));
        assert_eq!(r, text("tags: [a, u, s]\n"));
        // One side already holds the union: its bytes.
        let (r, _) = decided(run(
            "tags: [a]\n",
            "tags: [ a, b ]\n",
            None,
            "tags",
            &[],
            Side::Upstream,
        ));
        assert_eq!(r, Resolution::Take(Side::Stashed));
        // A keywords string is no list: no default rule, and `union` says why.
        assert_eq!(
            run(
                "keywords: a, b\n",
                "keywords: a, c\n",
                None,
                "keywords",
                &[],
                Side::Upstream
            ),
            Applied::NoRule
        );
        let Applied::Fallback(m) = run(
            "keywords: a, b\n",
            "keywords: a, c\n",
            None,
            "keywords",
            &[("keywords", Rule::Union)],
            Side::Upstream,
        ) else {
            panic!("fallback expected")
        };
        let m = m.named(SideNames::STASH);
        assert!(m.contains("use `words`"), "{m}");
    }

    #[test]
    fn words_merge_in_the_preferred_sides_separator_and_quoting() {
        let (r, why) = decided(run(
            "cSpell:ignore: foo bar\n",
            "cSpell:ignore: bar baz\n",
            None,
            "cSpell:ignore",
            &[("cSpell:ignore", Rule::Words)],
            Side::Upstream,
        ));
        assert_eq!(r, text("cSpell:ignore: foo bar baz\n"));
        assert_eq!(
            why,
            "rule: words from --rule, 3 words (+2 from upstream, +1 from stashed)"
        );
        let (r, _) = decided(run(
            "# seo\nkeywords: 'a, b'\n",
            "keywords: \"b,c\"  # new\n",
            None,
            "keywords",
            &[("keywords", Rule::Words)],
            Side::Stashed,
        ));
        assert_eq!(r, text("keywords: \"b,c,a\"  # new\n"));
        let (r, _) = decided(run(
            "keywords: 'a, b, x'\n",
            "keywords: a, c\n",
            Some("keywords: a, b\n"),
            "keywords",
            &[("key*", Rule::Words)],
            Side::Upstream,
        ));
        assert_eq!(r, text("keywords: 'a, x, c'\n"));
    }

    #[test]
    fn concat_joins_free_text_only_when_asked() {
        assert_eq!(
            run("d: one\n", "d: two\n", None, "d", &[], Side::Upstream),
            Applied::NoRule
        );
        let (r, _) = decided(run(
            "d: \"One.\"\n",
            "d: Two.\n",
            None,
            "d",
            &[("d", Rule::Concat)],
            Side::Upstream,
        ));
        assert_eq!(r, text("d: \"One. Two.\"\n"));
        let (r, _) = decided(run(
            "d: |\n  a1\n  a2\n",
            "d: |\n  b\n",
            None,
            "d",
            &[("d", Rule::Concat)],
            Side::Stashed,
        ));
        assert_eq!(r, text("d: |\n  b\n\n  a1\n  a2\n"));
        let (r, _) = decided(run(
            "d: One.\n",
            "d: One. Two.\n",
            None,
            "d",
            &[("d", Rule::Concat)],
            Side::Upstream,
        ));
        assert_eq!(r, Resolution::Take(Side::Stashed));
    }

    /// What the base and the rules (no `--prefer`) make of whole articles:
    /// the result, or the parts left open.
    fn settle(
        up: &str,
        st: &str,
        base: Option<&str>,
        rules: &[(&str, Rule)],
    ) -> Result<String, Vec<String>> {
        use crate::pipeline::cascade::{Cascade, Last};
        use crate::pipeline::{decide, prepare, Options, Outcome};
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse(up, &o).unwrap(),
            parse(st, &o).unwrap(),
            base.map(|b| parse(b, &o).unwrap()),
        );
        let set = set(rules);
        let opts = Options {
            sets: set.clone(),
            ..Options::default()
        };
        let policy = crate::pipeline::Policy::new(set, crate::decide::rules::Mode::Settle);
        let mut chain = Cascade::new(policy, Last::Open);
        let labels = crate::conflict::scan::Labels::default();
        let none = |_: Option<Side>, _: usize| None;
        let compared = prepare::compare(&arts, &none, &opts.article, &opts.sets, false);
        match decide(
            std::path::Path::new("a.md"),
            labels,
            &compared,
            &opts,
            &mut [&mut chain],
        )
        .unwrap()
        {
            Outcome::Resolved(r) => Ok(r.output),
            Outcome::NeedsDecision { open, .. } => {
                Err(open.iter().map(|p| p.to_string()).collect())
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rules_on_nested_keys_settle_mapping_values() {
        let yaml = |fm: &str| format!("---\n{fm}---\n");
        let up = yaml("schema: {\"name\":\"U\",\"dateModified\":\"2025-01-02\",\"r\":{\"c\":1}}\n");
        let st = yaml("schema: {\"name\":\"S\",\"dateModified\":\"2025-03-04\",\"r\":{\"c\":2}}\n");
        // Not every difference has a rule: those are left open, value by value.
        assert_eq!(
            settle(&up, &st, None, &[("schema.dateModified", Rule::Newest)]),
            Err(vec!["schema.name".into(), "schema.r.c".into()])
        );
        let rules = [
            ("schema.dateModified", Rule::Newest),
            ("schema.name", Rule::Upstream),
            ("schema.r", Rule::Stashed),
        ];
        assert_eq!(
            settle(&up, &st, None, &rules).unwrap(),
            yaml("schema: {\"name\":\"U\",\"dateModified\":\"2025-03-04\",\"r\":{\"c\":2}}\n")
        );
        // A rule on the key itself covers every value inside it.
        assert_eq!(
            settle(&up, &st, None, &[("schema", Rule::Upstream)]).unwrap(),
            up
        );
        // Block mappings too.
        assert_eq!(
            settle(
                &yaml("seo:\n  title: A\n  updated: 2025-01-01\n"),
                &yaml("seo:\n  title: B\n  updated: 2025-02-01\n"),
                None,
                &[("seo.title", Rule::Upstream), ("seo.updated", Rule::Newest)],
            )
            .unwrap(),
            yaml("seo:\n  title: A\n  updated: 2025-02-01\n")
        );
    }

    /// [`run`] on whole frontmatter blocks of any format.
    fn run_docs(
        up: &str,
        st: &str,
        base: Option<&str>,
        key: &str,
        rules: &[(&str, Rule)],
        pref: Side,
    ) -> Applied {
        let o = ArticleOptions::default();
        let arts = Sides::new(
            parse(up, &o).unwrap(),
            parse(st, &o).unwrap(),
            base.map(|b| parse(b, &o).unwrap()),
        );
        apply(&arts, &KeyPath::key(key), &set(rules), pref)
    }

    /// `+++` around `fm`.
    fn toml(fm: &str) -> String {
        format!("+++\ntitle = \"T\"\n{fm}+++\nBody\n")
    }

    #[test]
    fn rules_on_keys_of_a_toml_table_splice_only_those_values() {
        let base = toml("[extra]\nupdated = 2024-01-01\nimage = \"b.png\" # hero\n[extra.seo]\nupdated = 2024-01-01T00:00:00Z\n");
        let up = toml("[extra]\nupdated = 2024-01-02\nimage = \"u.png\" # hero\n[extra.seo]\nupdated = 2024-01-01T00:00:00Z\n");
        let st = toml("[extra]\nupdated = 2024-01-03T08:00:00+02:00\nimage = 'b.png' # hero\n[extra.seo]\nupdated = 2024-03-01T00:00:00Z\n");
        let rules = [
            ("extra.updated", Rule::Newest),
            ("extra.seo.updated", Rule::Newest),
        ];
        // Without the base, `extra.image` has no rule: left open.
        assert_eq!(
            settle(&up, &st, None, &rules),
            Err(vec!["extra.image".into()])
        );
        // Both sides changed it: open too.
        let both = st.replace("'b.png'", "'s.png'");
        assert_eq!(
            settle(&up, &both, Some(&base), &rules),
            Err(vec!["extra.image".into()])
        );
        assert_eq!(
            settle(&up, &st, Some(&base), &rules).unwrap(),
            toml("[extra]\nupdated = 2024-01-03T08:00:00+02:00\nimage = \"u.png\" # hero\n[extra.seo]\nupdated = 2024-03-01T00:00:00Z\n")
        );
        // Oldest compares the TOML dates as data, not as text.
        assert_eq!(
            settle(
                &toml("[extra]\nupdated = 2024-01-02T23:00:00-05:00\nx = 1\n"),
                &toml("[extra]\nupdated = 2024-01-03T01:00:00Z\nx = 2\n"),
                None,
                &[("extra.updated", Rule::Oldest), ("extra.x", Rule::Upstream)],
            )
            .unwrap(),
            toml("[extra]\nupdated = 2024-01-03T01:00:00Z\nx = 1\n"),
            "01:00Z is before 23:00-05:00 (04:00Z)"
        );
    }

    #[test]
    fn rules_reach_into_toml_inline_tables_and_dotted_keys() {
        let rules = [
            ("extra.updated", Rule::Newest),
            ("extra.note", Rule::Upstream),
        ];
        for (up, st, want) in [
            (
                "extra = { updated = 2024-01-02, note = \"u\" }  # why\n",
                "extra = {updated=2024-02-02,note=\"s\"}\n",
                "extra = { updated=2024-02-02, note = \"u\" }  # why\n",
            ),
            (
                "extra.updated = 2024-01-02\nextra.note = \"u\"\n",
                "extra.updated = 2024-02-02\nextra.note = \"s\"\n",
                "extra.updated = 2024-02-02\nextra.note = \"u\"\n",
            ),
        ] {
            assert_eq!(
                settle(&toml(up), &toml(st), None, &rules).unwrap(),
                toml(want)
            );
        }
    }

    #[test]
    fn taxonomies_merge_as_sets_inside_the_table() {
        let base = toml("[taxonomies]\ntags = [\"a\"]\ncategories = [\"c\"]\n");
        let up = toml("[taxonomies]\ntags = [\"a\", \"u\"]\ncategories = [\"c\"]\n");
        let st = toml("[taxonomies]\ntags = ['s', 'a']\ncategories = [\"c\", \"d\"]\n");
        // Each item as the side that wrote it wrote it: `'a'` is the
        // stash's requoting of the base's `"a"`, which upstream kept.
        assert_eq!(
            settle(&up, &st, Some(&base), &[]).unwrap(),
            toml("[taxonomies]\ntags = ['a', \"u\", 's']\ncategories = [\"c\", \"d\"]\n")
        );
        // A multi-line array with comments: its items merge in its layout,
        // each comment staying with its item.
        let up = toml("[taxonomies]\ntags = [\n  \"a\", # first\n  \"u\",\n]\n");
        let st = toml("[taxonomies]\ntags = [\"a\", \"s\"]\n");
        assert_eq!(
            settle(&up, &st, None, &[]).unwrap(),
            toml("[taxonomies]\ntags = [\n  \"a\", # first\n  \"u\",\n  \"s\",\n]\n")
        );
        // Words inside a table, in the preferred side's quoting.
        assert_eq!(
            settle(
                &toml("[extra]\nkeywords = 'a b'\n"),
                &toml("[extra]\nkeywords = \"b c\"\n"),
                None,
                &[("extra.keywords", Rule::Words)],
            )
            .unwrap(),
            toml("[extra]\nkeywords = 'a b c'\n")
        );
    }

    #[test]
    fn rules_reach_into_nested_json_objects() {
        let doc =
            |extra: &str| format!("{{\n  \"title\": \"T\",\n  \"extra\": {extra}\n}}\nBody\n");
        let up = doc("{\n    \"updated\": \"2024-01-02\",\n    \"seo\": {\"tags\": [\"a\", \"u\"], \"n\": 1}\n  }");
        let st = doc("{\n    \"updated\": \"2024-03-02\",\n    \"seo\": {\"tags\": [\"a\", \"s\"], \"n\": 2}\n  }");
        assert_eq!(
            settle(
                &up,
                &st,
                None,
                &[
                    ("extra.updated", Rule::Newest),
                    ("extra.seo.tags", Rule::Union),
                    ("extra.seo.n", Rule::Upstream),
                ],
            )
            .unwrap(),
            doc("{\n    \"updated\": \"2024-03-02\",\n    \"seo\": {\"tags\": [\"a\", \"u\", \"s\"], \"n\": 1}\n  }")
        );
    }
}
