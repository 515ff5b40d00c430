//! `learn --write`: a proposal merged into the text of a `.frontmerge.toml`,
//! every line, comment and blank of it kept.

use crate::rules::when::Condition;

use super::learn::{rule_name, Proposal, RuleProposal};

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
            rules.insert(&r.key, value(rule_name(r.rule)));
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
            rules.insert(&r.key, value(rule_name(r.rule)));
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
    use crate::learn::learn::{Evidence, GroupProposal, Thresholds};
    use crate::learn::replay::Report;
    use crate::rules::{config, Rule};

    #[test]
    fn writing_keeps_comments_and_layout() {
        let p = Proposal {
            thresholds: Thresholds::default(),
            rules: vec![RuleProposal {
                key: "ms.date".into(),
                rule: Rule::Oldest,
                condition: None,
                evidence: Evidence::default(),
                held_back: None,
            }],
            groups: vec![GroupProposal {
                name: "commit".into(),
                keys: vec!["commit".into(), "drifted".into()],
                leader: Some("commit".into()),
                evidence: Evidence::default(),
                held_back: None,
                files: Vec::new(),
            }],
            check: None,
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
        let c = config::parse(&out, std::path::Path::new("f")).unwrap();
        assert!(c.rules.contains(&("ms.date".into(), Rule::Oldest)));
        assert_eq!(c.groups[0].leader.as_deref(), Some("commit"));
        let fresh = write_into("", &p).unwrap();
        config::parse(&fresh, std::path::Path::new("f")).unwrap();
        assert!(write_into("rules = 1\n", &p).is_err());
    }
}
