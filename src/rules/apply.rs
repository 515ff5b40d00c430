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
//! ```
//!
//! A side taken whole is written from its original bytes; a merged value is
//! the smallest new text (the preferred side's key line and quoting), checked
//! by parsing it back.

use crate::article::Value;
use crate::article::{Article, Entry, Format};
use crate::conflict::sides::{Side, Sides};
use crate::dates;
use crate::decide::{Decision, Reason, Resolution};
use crate::merge::seq::{self, SeqText};
use crate::merge::sets::{set_merge, SetMerge};

use super::scalar::ScalarText;
use super::{inner, words, Match, Rule, RuleEntry, RuleSet};

/// What a rule made of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// No rule, or `ask`: the key is asked about.
    NoRule,
    /// A rule applies but cannot settle this key; the message says why.
    Fallback(String),
    /// The rule's answer.
    Decided(Decision),
}

fn rule_decision(resolution: Resolution, why: String) -> Applied {
    Applied::Decided(Decision {
        resolution,
        reason: Reason::Rule(why),
    })
}

/// `key`, then each deeper path down to `key.inner` (`schema`,
/// `schema.image`, `schema.image.url`).
pub fn ancestors(key: &str, inner: &str) -> Vec<String> {
    let mut out = vec![key.to_owned()];
    let mut acc = key.to_owned();
    for seg in inner.split('.') {
        acc = format!("{acc}.{seg}");
        out.push(acc.clone());
    }
    out
}

/// `merged as a set (+1 from upstream, …)`, naming sides whichever came first.
fn set_why(m: &SetMerge, first: Side) -> String {
    let mut parts = Vec::new();
    for (n, side) in [(m.added_upstream, first), (m.added_stashed, first.other())] {
        if n > 0 {
            parts.push(format!("+{n} from {}", side.placeholder()));
        }
    }
    if m.removed > 0 {
        parts.push(format!("-{} removed", m.removed));
    }
    format!("merged as a set ({})", parts.join(", "))
}

/// Applies the rules in `set` to `key`. `preferred` is the side whose
/// writing style merged values follow (and which wins a tie).
pub fn apply(articles: &Sides<Article<'_>>, key: &str, set: &RuleSet, preferred: Side) -> Applied {
    let (u, s) = (articles.upstream.entry(key), articles.stashed.entry(key));
    let base = articles.base.as_ref().and_then(|b| b.entry(key));
    let value = |e: Option<&Entry<'_>>| e.map(|e| e.value.clone());
    if value(u) == value(s) {
        return Applied::NoRule;
    }
    if let (Some(ue), Some(se)) = (u, s) {
        if ue.value.is_mapping() && se.value.is_mapping() {
            let inner = ue.value.inner_differences(&se.value);
            let mut picks = Vec::new();
            for p in &inner {
                match set.best(&ancestors(key, p), false) {
                    Some(m) if m.entry.rule != Rule::Ask => picks.push((p.as_str(), m)),
                    _ => return Applied::NoRule,
                }
            }
            let whole = picks
                .iter()
                .all(|(_, m)| m.depth == 0 && m.index == picks[0].1.index);
            if !picks.is_empty() && !whole {
                return nested(key, (ue, se), &picks, preferred);
            }
        }
    }
    let sequences = [u, s]
        .iter()
        .all(|e| e.is_some_and(|e| e.value.sequence().is_some()));
    match set.best(&[key.to_owned()], sequences) {
        Some(m) if m.entry.rule != Rule::Ask => whole(
            articles,
            key,
            m.entry,
            Sides::new(u, s, Some(base)),
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
) -> Result<(Side, String), String> {
    let (ut, st) = (u.display(), s.display());
    let parsed = |side: Side, t: &str| {
        dates::parse(t).ok_or_else(|| {
            format!("`{key}`: rule `{rule}` compares dates, but {}'s value {t:?} is not a date; falling back to `ask`", side.placeholder())
        })
    };
    let (a, b) = (parsed(Side::Upstream, &ut)?, parsed(Side::Stashed, &st)?);
    let later = match a.cmp(&b) {
        std::cmp::Ordering::Greater => Side::Upstream,
        std::cmp::Ordering::Less => Side::Stashed,
        std::cmp::Ordering::Equal => {
            return Ok((preferred, format!("equal dates, {preferred}'s kept")));
        }
    };
    let side = if rule == Rule::Oldest {
        later.other()
    } else {
        later
    };
    let text = |s: Side| if s == Side::Upstream { &ut } else { &st };
    let op = if rule == Rule::Oldest { "<" } else { ">" };
    Ok((side, format!("{} {op} {}", text(side), text(side.other()))))
}

/// Inner values of a mapping key settled by rules on nested paths.
fn nested(
    key: &str,
    (ue, se): (&Entry<'_>, &Entry<'_>),
    picks: &[(&str, Match<'_>)],
    preferred: Side,
) -> Applied {
    let mut chosen = Vec::new();
    let mut whys = Vec::new();
    for (p, m) in picks {
        let full = format!("{key}.{p}");
        let (side, detail) = match m.entry.rule {
            Rule::Upstream => (Side::Upstream, None),
            Rule::Stashed => (Side::Stashed, None),
            Rule::Newest | Rule::Oldest => {
                let (Some(a), Some(b)) =
                    (ue.value.get_path(p), se.value.get_path(p))
                else {
                    return Applied::Fallback(format!(
                        "`{full}`: rule `{}` needs a value on both sides; falling back to `ask`",
                        m.entry.rule
                    ));
                };
                match pick_date(&full, m.entry.rule, a, b, preferred) {
                    Ok((side, d)) => (side, Some(d)),
                    Err(e) => return Applied::Fallback(e),
                }
            }
            other => {
                return Applied::Fallback(format!(
                    "`{full}`: rule `{other}` merges whole keys, not values inside `{key}`; falling back to `ask`"
                ))
            }
        };
        let mut why = format!("{full} {}", m.entry.describe());
        if let Some(d) = detail {
            why.push_str(&format!(", {d}"));
        }
        whys.push(why);
        chosen.push((p.to_string(), side));
    }
    let why = whys.join("; ");
    let first = chosen[0].1;
    if chosen.iter().all(|(_, s)| *s == first) {
        return rule_decision(Resolution::Take(first), why);
    }
    let (frame, other) = match preferred {
        Side::Upstream => (ue, se),
        Side::Stashed => (se, ue),
    };
    let copied: Vec<String> = chosen
        .iter()
        .filter(|(_, s)| *s != preferred)
        .map(|(p, _)| p.clone())
        .collect();
    match inner::copy_values(frame, other, &copied) {
        Ok(text) => rule_decision(Resolution::Text(format!("{}{text}", frame.lead)), why),
        Err(e) => Applied::Fallback(format!(
            "`{key}`: its inner values cannot be merged in place ({e}); falling back to `ask`"
        )),
    }
}

/// A rule applied to the whole value of `key`.
fn whole(
    articles: &Sides<Article<'_>>,
    key: &str,
    rule: &RuleEntry,
    entries: Sides<Option<&Entry<'_>>>,
    preferred: Side,
) -> Applied {
    let d = rule.describe();
    let (u, s) = (entries.upstream, entries.stashed);
    let base = entries.base.flatten();
    match rule.rule {
        Rule::Ask => return Applied::NoRule,
        Rule::Upstream => return rule_decision(Resolution::Take(Side::Upstream), d),
        Rule::Stashed => return rule_decision(Resolution::Take(Side::Stashed), d),
        _ => {}
    }
    let (Some(ue), Some(se)) = (u, s) else {
        let has = if u.is_some() { "upstream" } else { "stashed" };
        return Applied::Fallback(format!(
            "`{key}`: only {has} has it, and rule `{}` needs a value on both sides; falling back to `ask`",
            rule.rule
        ));
    };
    let by_side = |side: Side| if side == Side::Upstream { ue } else { se };
    let (pe, oe) = (by_side(preferred), by_side(preferred.other()));
    let eol = articles.get(preferred).eol;
    match rule.rule {
        Rule::Newest | Rule::Oldest => {
            match pick_date(key, rule.rule, &ue.value, &se.value, preferred) {
                Ok((side, detail)) => {
                    rule_decision(Resolution::Take(side), format!("{d}, {detail}"))
                }
                Err(e) => Applied::Fallback(e),
            }
        }
        Rule::Union => {
            let (Some(pl), Some(ol)) = (pe.value.sequence(), oe.value.sequence()) else {
                let strings = ue.value.as_str().is_some() && se.value.as_str().is_some();
                let hint = if strings {
                    "it is a string on both sides (for a string of words, use `words`)"
                } else {
                    "it is not a YAML list on both sides"
                };
                return Applied::Fallback(format!(
                    "`{key}`: rule `union` merges YAML lists, but {hint}; falling back to `ask`"
                ));
            };
            let bl = base.and_then(|b| b.value.sequence()).unwrap_or(&[]);
            let m = set_merge(bl, pl, ol);
            let expected: Vec<&Value> = m
                .items
                .iter()
                .map(|&(first, i)| {
                    if first == Side::Upstream {
                        &pl[i]
                    } else {
                        &ol[i]
                    }
                })
                .collect();
            let why = format!("{d}, {}", set_why(&m, preferred));
            if pl.iter().eq(expected.iter().copied()) {
                return rule_decision(Resolution::Take(preferred), why);
            }
            if ol.iter().eq(expected.iter().copied()) {
                return rule_decision(Resolution::Take(preferred.other()), why);
            }
            let written = SeqText::parse(pe)
                .zip(SeqText::parse(oe))
                .and_then(|(p, o)| seq::write_merged(key, &p, &o, &m.items, &expected, eol));
            match written {
                Some(text) => rule_decision(Resolution::Text(format!("{}{text}", pe.lead)), why),
                // A set merge inside a multi-line TOML or JSON array would
                // re-lay the array out: asked, never re-serialised.
                None if pe.format != Format::Yaml && pe.text.trim_end().contains('\n') => {
                    Applied::Fallback(format!(
                        "`{key}`: merging inside a multi-line {} array would rewrite its layout; falling back to `ask`",
                        pe.format.name()
                    ))
                }
                None => Applied::Fallback(format!(
                    "`{key}`: the merged list cannot be written in {preferred}'s list style; falling back to `ask`"
                )),
            }
        }
        Rule::Words | Rule::Concat => {
            let (Some(pv), Some(ov)) = (pe.value.as_str(), oe.value.as_str()) else {
                return Applied::Fallback(format!(
                    "`{key}`: rule `{}` works on text, but it is not a string on both sides; falling back to `ask`",
                    rule.rule
                ));
            };
            let (merged, why) = if rule.rule == Rule::Words {
                let bv = base.and_then(|b| b.value.as_str());
                let Some(m) = words::merge(bv, pv, ov) else {
                    return Applied::Fallback(format!(
                        "`{key}`: some words would not survive {preferred}'s separator; falling back to `ask`"
                    ));
                };
                let why = format!(
                    "{d}, {} words ({})",
                    m.words.len(),
                    set_why(&m.merge, preferred)
                        .trim_start_matches("merged as a set (")
                        .trim_end_matches(')')
                );
                let same = |t: &str| words::split(t).items == m.words;
                if same(pv) {
                    return rule_decision(Resolution::Take(preferred), why);
                }
                if same(ov) {
                    return rule_decision(Resolution::Take(preferred.other()), why);
                }
                (m.text, why)
            } else {
                let (p, o) = (pv.trim_end_matches('\n'), ov.trim_end_matches('\n'));
                if p.contains(o) {
                    return rule_decision(
                        Resolution::Take(preferred),
                        format!("{d}, {preferred}'s text already holds the other's"),
                    );
                }
                if o.contains(p) {
                    let other = preferred.other();
                    return rule_decision(
                        Resolution::Take(other),
                        format!("{d}, {other}'s text already holds the other's"),
                    );
                }
                let joined = if p.contains('\n') || o.contains('\n') {
                    format!("{p}\n\n{o}")
                } else {
                    format!("{p} {o}")
                };
                (
                    joined,
                    format!("{d}, {preferred}'s text then {}'s", preferred.other()),
                )
            };
            match ScalarText::parse(pe).and_then(|t| t.write(&merged)) {
                Some(text) => rule_decision(Resolution::Text(format!("{}{text}", pe.lead)), why),
                None => Applied::Fallback(format!(
                    "`{key}`: the merged text cannot be written in {preferred}'s style; falling back to `ask`"
                )),
            }
        }
        Rule::Ask | Rule::Upstream | Rule::Stashed => unreachable!("settled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};
    use crate::rules::{Origin, When};

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
        let o = ArticleOptions::default();
        let (u, s) = (format!("---\n{up}---\n"), format!("---\n{st}---\n"));
        let b = base.map(|b| format!("---\n{b}---\n"));
        let arts = Sides::new(
            parse(&u, &o).unwrap(),
            parse(&s, &o).unwrap(),
            b.as_deref().map(|b| parse(b, &o).unwrap()),
        );
        apply(&arts, key, &set(rules), pref)
    }

    fn decided(a: Applied) -> (Resolution, String) {
        match a {
            Applied::Decided(d) => (d.resolution, d.reason.to_string()),
            other => panic!("decided expected, got {other:?}"),
        }
    }

    fn text(t: &str) -> Resolution {
        Resolution::Text(t.into())
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
            Applied::Fallback(m) if m.contains("only upstream has it")
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
        assert!(why.ends_with("equal dates, stashed's kept"), "{why}");
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
        let m = crate::conflict::sides::name_sides(&m, "upstream", "stashed");
        assert_eq!(m, "`updated`: rule `newest` compares dates, but upstream's value \"soon\" is not a date; falling back to `ask`");
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

    #[test]
    fn rules_on_nested_keys_settle_mapping_values() {
        let up = "schema: {\"name\":\"U\",\"dateModified\":\"2025-01-02\",\"r\":{\"c\":1}}\n";
        let st = "schema: {\"name\":\"S\",\"dateModified\":\"2025-03-04\",\"r\":{\"c\":2}}\n";
        // Not every difference has a rule: asked.
        assert_eq!(
            run(
                up,
                st,
                None,
                "schema",
                &[("schema.dateModified", Rule::Newest)],
                Side::Upstream
            ),
            Applied::NoRule
        );
        let rules = [
            ("schema.dateModified", Rule::Newest),
            ("schema.name", Rule::Upstream),
            ("schema.r", Rule::Stashed),
        ];
        let (r, why) = decided(run(up, st, None, "schema", &rules, Side::Upstream));
        assert_eq!(
            r,
            text("schema: {\"name\":\"U\",\"dateModified\":\"2025-03-04\",\"r\":{\"c\":2}}\n")
        );
        assert!(
            why.contains("schema.dateModified newest from --rule, 2025-03-04 > 2025-01-02"),
            "{why}"
        );
        // All inner rules agree: that side's bytes.
        let (r, _) = decided(run(
            up,
            st,
            None,
            "schema",
            &[("schema.*", Rule::Stashed)],
            Side::Upstream,
        ));
        assert_eq!(r, Resolution::Take(Side::Stashed));
        // A rule on the key itself covers it whole.
        let (r, why) = decided(run(
            up,
            st,
            None,
            "schema",
            &[("schema", Rule::Upstream)],
            Side::Stashed,
        ));
        assert_eq!(
            (r, why.as_str()),
            (
                Resolution::Take(Side::Upstream),
                "rule: upstream from --rule"
            )
        );
        // Block mappings too.
        let (r, _) = decided(run(
            "seo:\n  title: A\n  updated: 2025-01-01\n",
            "seo:\n  title: B\n  updated: 2025-02-01\n",
            None,
            "seo",
            &[("seo.title", Rule::Upstream), ("seo.updated", Rule::Newest)],
            Side::Upstream,
        ));
        assert_eq!(r, text("seo:\n  title: A\n  updated: 2025-02-01\n"));
    }
}
