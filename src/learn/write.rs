//! `learn --write`: a proposal merged into the text of a `.frontmerge.toml`,
//! every line, comment and blank of it kept.
//!
//! ```text
//! a key or group not in the file   added, with its evidence as a comment (`# learned: …`)
//! the same rule or group already   left as it is; a `# learned:` comment on it is brought
//!                                  up to date
//! another rule for the key, or a   kept, and said; with --force replaced, the old line kept
//! group sharing a key               above it as a comment (a group: its table removed, said)
//! ```

use toml_edit::{value, Array, DocumentMut, Item, Table, TableLike};

use crate::decide::rules::when::Condition;
use crate::decide::rules::Rule;

use super::learn::{evidence_text, rule_name, toml_key, GroupProposal, Proposal, RuleProposal};

/// What writing a proposal into a file gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Written {
    /// The file's new text.
    pub(crate) text: String,
    /// What was kept back or replaced, one line each.
    pub(crate) notes: Vec<String>,
}

/// The start of every comment `learn` writes: how its own lines are told
/// from a person's.
const MARK: &str = "# learned:";

fn comment(r: &RuleProposal) -> String {
    format!(
        "{MARK} {}",
        evidence_text(&r.evidence, r.held_back.as_ref(), r.rule == Rule::Ask)
    )
}

fn group_comment(g: &GroupProposal) -> String {
    format!(
        "{MARK} {}",
        evidence_text(&g.evidence, g.held_back.as_ref(), false)
    )
}

/// Whether a decor's text is a comment learn wrote.
fn is_learned(decor: Option<&str>) -> bool {
    decor.is_some_and(|d| d.trim_start().starts_with(MARK))
}

/// Whether a `[when.NAME]` table has exactly `c`'s condition.
fn holds(table: &Item, c: &Condition) -> bool {
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

/// The entry for `key` in a rules table: the quoted key, or the same key
/// written as dotted tables (`ms.date = …` or `[rules.ms] date = …`).
fn entry<'t>(rules: &'t mut dyn TableLike, key: &str) -> Option<&'t mut Item> {
    if rules.contains_key(key) {
        return rules.get_mut(key);
    }
    let (head, rest) = key.split_once('.')?;
    let inner = rules.get_mut(head)?.as_table_like_mut()?;
    entry(inner, rest)
}

/// Sets `r` in one rules table (`section` names it in notes).
fn set_rule(
    rules: &mut dyn TableLike,
    r: &RuleProposal,
    section: &str,
    force: bool,
    notes: &mut Vec<String>,
) {
    let name = rule_name(r.rule);
    let shown = format!("{} = \"{name}\"", toml_key(&r.key));
    let Some(item) = entry(rules, &r.key) else {
        rules.insert(&r.key, value(name));
        if let Some(v) = rules.get_mut(&r.key).and_then(Item::as_value_mut) {
            v.decor_mut().set_suffix(format!("  {}", comment(r)));
        }
        return;
    };
    let old = item.as_str().map(str::to_owned);
    let old_comment = item
        .as_value()
        .and_then(|v| v.decor().suffix())
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    let learned = is_learned(old_comment.as_deref());
    if old.as_deref().and_then(|o| o.parse::<Rule>().ok()) == Some(r.rule) {
        if learned {
            if let Some(v) = item.as_value_mut() {
                v.decor_mut().set_suffix(format!("  {}", comment(r)));
            }
        }
        return;
    }
    let was = match &old {
        Some(o) => format!("{} = \"{o}\"", toml_key(&r.key)),
        None => format!("{} = {}", toml_key(&r.key), item.to_string().trim()),
    };
    if !force && !learned {
        notes.push(format!(
            "kept {was} in [{section}]: learn proposes {shown} (--force replaces it)"
        ));
        return;
    }
    *item = value(name);
    if let Some(v) = item.as_value_mut() {
        v.decor_mut().set_suffix(format!("  {}", comment(r)));
    }
    if learned {
        notes.push(format!(
            "replaced {was} (learned earlier) in [{section}] by {shown}"
        ));
        return;
    }
    // A person's line stays in the file, as a comment above the new one.
    let old_line = format!("{was}{}", old_comment.unwrap_or_default().trim_end());
    if let Some(mut k) = rules.key_mut(&r.key) {
        let prefix = k
            .leaf_decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned();
        let indent = prefix.len() - prefix.trim_end_matches([' ', '\t']).len();
        let (before, ws) = prefix.split_at(prefix.len() - indent);
        k.leaf_decor_mut().set_prefix(format!(
            "{before}{ws}# replaced by learn --force: {old_line}\n{ws}"
        ));
    }
    notes.push(format!(
        "replaced {was} in [{section}] by {shown} (--force)"
    ));
}

/// The sorted keys of a `[groups.NAME]` table and its leader.
fn group_of(item: &Item) -> (Vec<String>, Option<String>) {
    let mut keys: Vec<String> = item
        .get("keys")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    let leader = item.get("leader").and_then(Item::as_str).map(str::to_owned);
    (keys, leader)
}

fn set_group(groups: &mut dyn TableLike, g: &GroupProposal, force: bool, notes: &mut Vec<String>) {
    let mut mine = g.keys.clone();
    mine.sort();
    let mut clashing = Vec::new();
    for (name, item) in groups.iter() {
        let (keys, leader) = group_of(item);
        if keys == mine && leader == g.leader {
            clashing.clear();
            clashing.push((name.to_owned(), true, false));
            break;
        }
        if keys.iter().any(|k| mine.contains(k)) {
            let learned = item
                .as_table()
                .and_then(|t| t.decor().prefix())
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.lines().any(|l| is_learned(Some(l))));
            clashing.push((name.to_owned(), false, learned));
        }
    }
    let fresh = || {
        let mut t = Table::new();
        let keys: Array = g.keys.iter().map(String::as_str).collect();
        t.insert("keys", value(keys));
        if let Some(l) = &g.leader {
            t.insert("leader", value(l.as_str()));
        }
        t.decor_mut()
            .set_prefix(format!("\n{}\n", group_comment(g)));
        t
    };
    if let Some((name, true, _)) = clashing.first() {
        // The same group: a comment of learn's is brought up to date.
        if let Some(t) = groups.get_mut(name).and_then(Item::as_table_mut) {
            let prefix = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
            if prefix.lines().any(|l| is_learned(Some(l))) {
                t.decor_mut()
                    .set_prefix(format!("\n{}\n", group_comment(g)));
            }
        }
        return;
    }
    let shown = g.describe();
    for (name, _, learned) in &clashing {
        if !force && !learned {
            notes.push(format!(
                "kept [groups.{}]: it shares keys with the learned {shown} (--force replaces it)",
                toml_key(name)
            ));
            return;
        }
    }
    for (name, _, learned) in &clashing {
        groups.remove(name);
        notes.push(format!(
            "replaced [groups.{}]{} by the learned {shown}{}",
            toml_key(name),
            if *learned { " (learned earlier)" } else { "" },
            if *learned { "" } else { " (--force)" }
        ));
    }
    let name = (1..)
        .map(|i| {
            if i == 1 {
                g.name.clone()
            } else {
                format!("{}-{i}", g.name)
            }
        })
        .find(|n| !groups.contains_key(n))
        .unwrap_or_else(|| g.name.clone());
    groups.insert(&name, Item::Table(fresh()));
}

/// Why the proposal could not be written into a config file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The file is not TOML: the parser's words.
    #[error(transparent)]
    Toml(toml_edit::TomlError),
    /// A table the proposal goes in is something else in the file: its name.
    #[error("`{0}` is not a table")]
    NotATable(String),
}

/// Merges a proposal into the text of a `.frontmerge.toml` (empty for a new
/// file). A rule or group of the file's own that the proposal would change
/// is kept and named in the notes, unless `force`.
pub(crate) fn write_into(
    text: &str,
    proposal: &Proposal,
    force: bool,
) -> Result<Written, WriteError> {
    let mut doc: DocumentMut = text.parse().map_err(WriteError::Toml)?;
    let mut notes = Vec::new();
    let (general, conditional): (Vec<&RuleProposal>, Vec<&RuleProposal>) =
        proposal.rules.iter().partition(|r| r.condition.is_none());
    if !general.is_empty() {
        let rules = doc
            .entry("rules")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or_else(|| WriteError::NotATable("rules".into()))?;
        for r in general {
            set_rule(rules, r, "rules", force, &mut notes);
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
            .ok_or_else(|| WriteError::NotATable("when".into()))?;
        for r in conditional {
            let Some(c) = &r.condition else { continue };
            // A table with this condition, whatever its name; else a new one
            // (a table of that name with another condition is not ours).
            let base = c.table_name();
            let same = when
                .iter()
                .find(|(_, t)| holds(t, c))
                .map(|(n, _)| n.to_owned());
            let name = same.unwrap_or_else(|| {
                (1..)
                    .map(|i| {
                        if i == 1 {
                            base.clone()
                        } else {
                            format!("{base}-{i}")
                        }
                    })
                    .find(|n| !when.contains_key(n))
                    .unwrap_or(base)
            });
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
                .ok_or_else(|| WriteError::NotATable(format!("when.{name}")))?;
            let rules = kind
                .entry("rules")
                .or_insert_with(|| Item::Table(Table::new()))
                .as_table_like_mut()
                .ok_or_else(|| WriteError::NotATable(format!("when.{name}.rules")))?;
            set_rule(rules, r, &format!("when.{name}.rules"), force, &mut notes);
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
            .ok_or_else(|| WriteError::NotATable("groups".into()))?;
        for g in &proposal.groups {
            set_group(groups, g, force, &mut notes);
        }
    }
    Ok(Written {
        text: doc.to_string(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::rules::config;
    use crate::learn::check::HeldBack;
    use crate::learn::learn::Evidence;
    use crate::learn::replay::Report;
    use std::path::Path;

    fn evidence() -> Evidence {
        Evidence {
            merges: 4,
            files: 6,
            parts: 6,
            right_with: 6,
            wrong_without: 6,
            ..Evidence::default()
        }
    }

    fn rule(key: &str, rule: Rule, condition: Option<Condition>) -> RuleProposal {
        RuleProposal {
            key: key.into(),
            rule,
            condition,
            evidence: evidence(),
            held_back: Some(HeldBack {
                better: 2,
                ..HeldBack::default()
            }),
        }
    }

    fn group(keys: &[&str], leader: &str) -> GroupProposal {
        GroupProposal {
            name: leader.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            leader: Some(leader.into()),
            evidence: evidence(),
            held_back: None,
            files: Vec::new(),
        }
    }

    fn proposal(rules: Vec<RuleProposal>, groups: Vec<GroupProposal>) -> Proposal {
        Proposal {
            thresholds: Default::default(),
            rules,
            groups,
            check: None,
            before: Report::default(),
            after: Report::default(),
        }
    }

    const EVIDENCE: &str = "# learned: 4 merges, 6 files, 6 parts: 6 as people did (0 differently), today 0 (6 differently)";

    #[test]
    fn writing_keeps_comments_and_layout_and_adds_the_evidence() {
        let p = proposal(
            vec![rule("ms.date", Rule::Oldest, None)],
            vec![group(&["commit", "drifted"], "commit")],
        );
        let text = "# our rules\n[rules]\ntitle = \"ask\"   # keep asking\n\n[derived]\n\"schema.name\" = \"title\"\n";
        let w = write_into(text, &p, false).unwrap();
        let out = &w.text;
        assert!(w.notes.is_empty(), "{:?}", w.notes);
        assert!(
            out.starts_with("# our rules\n[rules]\ntitle = \"ask\"   # keep asking\n\"ms.date\" = \"oldest\"  # learned: 4 merges, 6 files, 6 parts: 6 as people did (0 differently), today 0 (6 differently); held back: 2 files better, 0 worse\n"),
            "{out}"
        );
        assert!(
            out.contains("[derived]\n\"schema.name\" = \"title\"\n"),
            "{out}"
        );
        assert!(
            out.contains(&format!("\n{EVIDENCE}\n[groups.commit]\nkeys = [\"commit\", \"drifted\"]\nleader = \"commit\"\n")),
            "{out}"
        );
        let c = config::parse(out, Path::new("f")).unwrap();
        assert!(c.rules.contains(&("ms.date".into(), Rule::Oldest)));
        assert_eq!(c.groups[0].leader.as_deref(), Some("commit"));
        // Written again into its own output: nothing changes.
        assert_eq!(write_into(out, &p, false).unwrap().text, *out);
        let fresh = write_into("", &p, false).unwrap().text;
        config::parse(&fresh, Path::new("f")).unwrap();
        assert!(write_into("rules = 1\n", &p, false).is_err());
    }

    #[test]
    fn sides_are_named_as_in_a_merge() {
        let p = proposal(vec![rule("title", Rule::Stashed, None)], vec![]);
        let out = write_into("", &p, false).unwrap().text;
        assert!(
            out.starts_with("[rules]\ntitle = \"theirs\"  # learned:"),
            "{out}"
        );
        let c = config::parse(&out, Path::new("f")).unwrap();
        assert_eq!(c.rules, [("title".to_string(), Rule::Stashed)]);
    }

    #[test]
    fn a_hand_written_rule_is_kept_and_named_unless_forced() {
        let p = proposal(vec![rule("title", Rule::Stashed, None)], vec![]);
        let text = "[rules]\n# asked on purpose\ntitle = \"ask\"  # always ask\n";
        let w = write_into(text, &p, false).unwrap();
        assert_eq!(w.text, text);
        assert_eq!(
            w.notes,
            ["kept title = \"ask\" in [rules]: learn proposes title = \"theirs\" (--force replaces it)"]
        );
        // The same rule written by hand (`upstream` for ours) is left alone.
        let same = "[rules]\ntitle = \"stashed\"  # mine\n";
        let w = write_into(same, &p, false).unwrap();
        assert_eq!((w.text.as_str(), w.notes.len()), (same, 0));
        // Dotted keys are the same key.
        let dotted = "[rules]\nms.date = \"newest\"\n";
        let p2 = proposal(vec![rule("ms.date", Rule::Oldest, None)], vec![]);
        let w = write_into(dotted, &p2, false).unwrap();
        assert_eq!(w.text, dotted);
        assert!(
            w.notes[0].starts_with("kept \"ms.date\" = \"newest\""),
            "{:?}",
            w.notes
        );
        // --force: replaced, the old line kept above as a comment, and said.
        let w = write_into(text, &p, true).unwrap();
        assert_eq!(
            w.text,
            "[rules]\n# asked on purpose\n# replaced by learn --force: title = \"ask\"  # always ask\ntitle = \"theirs\"  # learned: 4 merges, 6 files, 6 parts: 6 as people did (0 differently), today 0 (6 differently); held back: 2 files better, 0 worse\n"
        );
        assert_eq!(
            w.notes,
            ["replaced title = \"ask\" in [rules] by title = \"theirs\" (--force)"]
        );
        let w = write_into(dotted, &p2, true).unwrap();
        assert!(w.text.contains("\"oldest\""), "{}", w.text);
        config::parse(&w.text, Path::new("f")).unwrap();
    }

    #[test]
    fn a_rule_learn_wrote_is_brought_up_to_date() {
        let old = "[rules]\ntitle = \"ours\"  # learned: 1 merge\nlastmod = \"oldest\"  # learned: 2 merges\n";
        let p = proposal(
            vec![
                rule("title", Rule::Stashed, None),
                rule("lastmod", Rule::Oldest, None),
            ],
            vec![],
        );
        let w = write_into(old, &p, false).unwrap();
        assert!(
            w.text
                .starts_with("[rules]\ntitle = \"theirs\"  # learned: 4 merges"),
            "{}",
            w.text
        );
        assert!(
            w.text
                .contains("\nlastmod = \"oldest\"  # learned: 4 merges"),
            "{}",
            w.text
        );
        assert_eq!(
            w.notes,
            ["replaced title = \"ours\" (learned earlier) in [rules] by title = \"theirs\""]
        );
    }

    #[test]
    fn conditional_rules_go_to_their_kind_of_merge() {
        let p = proposal(
            vec![rule(
                "ms.date",
                Rule::Upstream,
                Some(Condition::merging("main")),
            )],
            vec![],
        );
        let text = write_into("", &p, false).unwrap().text;
        assert!(
            text.contains("[when.merging-main]\noperation = \"merge\"\nmerging = \"main\"\n"),
            "{text}"
        );
        assert!(
            text.contains("\"ms.date\" = \"ours\"  # learned:"),
            "{text}"
        );
        let cfg = config::parse(&text, Path::new("f")).unwrap();
        assert_eq!(
            cfg.conditional[0].rules,
            [("ms.date".to_string(), Rule::Upstream)]
        );
        assert_eq!(write_into(&text, &p, false).unwrap().text, text);
        // A table of that name with another condition is left alone.
        let other = "[when.merging-main]\nmerging = \"main\"\noperation = \"rebase\"\nrules = { title = \"ours\" }\n";
        let out = write_into(other, &p, false).unwrap().text;
        assert!(out.starts_with(other), "{out}");
        assert!(out.contains("[when.merging-main-2]"), "{out}");
        // A hand-written rule of that kind is kept.
        let mine = "[when.sync]\noperation = \"merge\"\nmerging = \"main\"\nrules = { \"ms.date\" = \"newest\" }\n";
        let p2 = proposal(
            vec![rule(
                "ms.date",
                Rule::Upstream,
                Some(Condition::merging("main")),
            )],
            vec![],
        );
        let w = write_into(mine, &p2, false).unwrap();
        assert!(w.text.starts_with(mine), "{}", w.text);
        assert!(!w.text.contains("merging-main"), "{}", w.text);
        assert!(w.notes[0].contains("[when.sync.rules]"), "{:?}", w.notes);
    }

    #[test]
    fn a_group_sharing_keys_with_a_hand_written_one_is_not_written_unless_forced() {
        let p = proposal(vec![], vec![group(&["commit", "drifted"], "commit")]);
        let mine = "[groups.tr]  # by hand\nkeys = [\"commit\", \"drifted\", \"status\"]\n";
        let w = write_into(mine, &p, false).unwrap();
        assert_eq!(w.text, mine);
        assert!(w.notes[0].starts_with("kept [groups.tr]"), "{:?}", w.notes);
        let w = write_into(mine, &p, true).unwrap();
        assert!(!w.text.contains("[groups.tr]"), "{}", w.text);
        assert!(w.text.contains("[groups.commit]"), "{}", w.text);
        assert_eq!(
            w.notes,
            ["replaced [groups.tr] by the learned group commit (commit, drifted) (--force)"]
        );
        // The same group under another name: left alone.
        let same = "[groups.translation]\nkeys = [\"drifted\", \"commit\"]\nleader = \"commit\"\n";
        let w = write_into(same, &p, false).unwrap();
        assert_eq!((w.text.as_str(), w.notes.len()), (same, 0));
        // An unrelated group holding the name: another name.
        let taken = "[groups.commit]\nkeys = [\"a\", \"b\"]\n";
        let w = write_into(taken, &p, false).unwrap();
        assert!(w.text.contains("[groups.commit-2]"), "{}", w.text);
        config::parse(&w.text, Path::new("f")).unwrap();
    }
}
