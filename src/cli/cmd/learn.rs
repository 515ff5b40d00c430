//! `git frontmerge learn`: replays past merges, proposes the
//! `.frontmerge.toml` rules and key groups that reproduce what people
//! committed, with their evidence, and with `--write` merges them into the
//! file (comments and layout kept). Without `--write` nothing is written.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use console::style;

use crate::cli::args::LearnArgs;
use crate::cli::cmd::replay::{collect, cwd, header, row, selection, settings, summary};
use crate::cli::exit;
use crate::cli::report::{self, errln, outln};
use crate::decide::rules::config::FILE_NAME;
use crate::decide::rules::when::Condition;
use crate::decide::rules::Rule;
use crate::learn::cochange::CoChange;
use crate::learn::history::History;
use crate::learn::learn::{
    evidence_text, propose, rule_name, toml_key, toml_string, Proposal, RuleProposal, Thresholds,
    Together,
};
use crate::learn::replay::Collected;
use crate::learn::write::write_into;
use crate::pipeline::driver::DriverSettings;

/// How many of a group's files (the newest) are looked at for commits
/// that changed its keys together: supporting evidence, one `git log` per
/// merge, so a sample.
const TOGETHER_SAMPLE: usize = 32;

/// The proposal as text.
pub(crate) fn render(p: &Proposal) -> String {
    let mut out = summary(&p.before);
    out.extend(checked(p));
    out.push(String::new());
    out.extend(proposed(p));
    out.push(String::new());
    out.push(
        style(header("replay score, every merge"))
            .bold()
            .to_string(),
    );
    out.push(row("parts, today", &p.before.parts()));
    out.push(row("parts, with the proposal", &p.after.parts()));
    out.push(row("files, today", &p.before.files));
    out.push(row("files, with the proposal", &p.after.files));
    out.join("\n")
}

/// How the proposal did on the merges held back, and the thresholds.
fn checked(p: &Proposal) -> Vec<String> {
    let mut out = Vec::new();
    let t = &p.thresholds;
    match &p.check {
        Some(c) => {
            out.push(format!(
                "checked on the newest {} merge{} it held back: {} → {} parts as people did, {} → {} differently, before → after",
                c.merges,
                if c.merges == 1 { "" } else { "s" },
                c.before.as_human,
                c.after.as_human,
                c.before.differently,
                c.after.differently,
            ));
            out.push(format!(
                "  (learned from the {} older conflicted merge{}; whole files: {} → {} as people did, {} → {} differently)",
                c.learned_from,
                if c.learned_from == 1 { "" } else { "s" },
                c.files_before.as_human,
                c.files_after.as_human,
                c.files_before.differently,
                c.files_after.differently,
            ));
            for n in &c.not_kept {
                let h = &n.held_back;
                out.push(format!(
                    "  not kept: {} (held back: {} file{} better, {} worse; {} wrong answer{} removed, {} right one{} lost)",
                    report::escape(&n.what),
                    h.better,
                    if h.better == 1 { "" } else { "s" },
                    h.worse,
                    h.wrong_removed,
                    if h.wrong_removed == 1 { "" } else { "s" },
                    h.right_lost,
                    if h.right_lost == 1 { "" } else { "s" },
                ));
            }
        }
        None if t.holdout > 0.0 => {
            out.push("not checked: too few conflicted merges to hold any back".into())
        }
        None => out.push("not checked: --holdout 0".into()),
    }
    out.push(format!(
        "thresholds: --min-merges {} --min-agreement {} --holdout {}",
        t.min_merges, t.min_agreement, t.holdout
    ));
    out
}

/// The proposed `.frontmerge.toml`: the rules, one `[when.…]` table per kind
/// of merge, the key groups; or why there is nothing to propose.
fn proposed(p: &Proposal) -> Vec<String> {
    let mut out = Vec::new();
    if p.rules.is_empty() && p.groups.is_empty() {
        let why = match &p.check {
            Some(c) if !c.not_kept.is_empty() => {
                "nothing to propose: what the older merges suggest did not pass the check on the newer ones"
            }
            _ => "nothing to propose: no key's history is consistent enough (--min-merges, --min-agreement)",
        };
        out.push(why.into());
    }
    let rule_line = |r: &RuleProposal| {
        format!(
            "{} = \"{}\"    # {}",
            toml_key(&r.key),
            rule_name(r.rule),
            evidence_text(&r.evidence, r.held_back.as_ref(), r.rule == Rule::Ask)
        )
    };
    let general: Vec<&RuleProposal> = p.rules.iter().filter(|r| r.condition.is_none()).collect();
    if !general.is_empty() {
        out.push(style("[rules]").bold().to_string());
        for r in general {
            out.push(rule_line(r));
        }
    }
    // Conditional rules, one table per kind of merge, in the order found.
    let mut kinds: Vec<&Condition> = Vec::new();
    for c in p.rules.iter().filter_map(|r| r.condition.as_ref()) {
        if !kinds.contains(&c) {
            kinds.push(c);
        }
    }
    for c in kinds {
        let name = toml_key(&c.table_name());
        out.push(String::new());
        out.push(style(format!("[when.{name}]")).bold().to_string());
        let list = |v: &[String]| {
            let q: Vec<String> = v.iter().map(|s| toml_string(s)).collect();
            if q.len() == 1 {
                q[0].clone()
            } else {
                format!("[{}]", q.join(", "))
            }
        };
        if !c.operations.is_empty() {
            out.push(format!("operation = {}", list(&c.operations)));
        }
        if !c.merging.is_empty() {
            out.push(format!("merging = {}", list(&c.merging)));
        }
        out.push(style(format!("[when.{name}.rules]")).bold().to_string());
        out.push(report::escape(&format!("# the conflicts {c} only")).into_owned());
        for r in p.rules.iter().filter(|r| r.condition.as_ref() == Some(c)) {
            out.push(rule_line(r));
        }
    }
    for g in &p.groups {
        out.push(String::new());
        out.push(
            style(format!("[groups.{}]", toml_key(&g.name)))
                .bold()
                .to_string(),
        );
        out.push(format!(
            "# {}",
            evidence_text(&g.evidence, g.held_back.as_ref(), false)
        ));
        let keys: Vec<String> = g.keys.iter().map(|k| toml_string(k)).collect();
        out.push(format!("keys = [{}]", keys.join(", ")));
        if let Some(l) = &g.leader {
            out.push(format!("leader = {}", toml_string(l)));
        }
    }
    out
}

/// Looks, for a sample of each group's files, at the commits behind them:
/// how many changed the leader and a follower in one commit.
fn add_together(history: &History, collected: &Collected, p: &mut Proposal) -> Result<()> {
    for g in &mut p.groups {
        let Some(leader) = g.leader.clone() else {
            continue;
        };
        let sample: Vec<(&str, &str)> = g
            .files
            .iter()
            .rev()
            .take(TOGETHER_SAMPLE)
            .map(|(m, f)| (m.as_str(), f.as_str()))
            .collect();
        let co = CoChange::collect(history, &sample, &collected.parents)?;
        let followers: Vec<&str> = g.keys.iter().map(String::as_str).collect();
        let files = sample
            .iter()
            .filter(|(m, f)| co.any_together(m, f, &leader, &followers))
            .count();
        g.evidence.together = Some(Together {
            files,
            looked_at: sample.len(),
        });
    }
    Ok(())
}

/// Where `--write` writes: `--config FILE`, else `.frontmerge.toml` at the
/// top of the work tree.
fn target(args: &LearnArgs, history: &History) -> Result<PathBuf> {
    if let Some(p) = &args.rules.config {
        return Ok(p.clone());
    }
    let top = history.work_tree().ok_or_else(|| {
        anyhow!("a bare repository has no work tree to write {FILE_NAME} into; set GIT_WORK_TREE or pass --config FILE")
    })?;
    let path = top.join(FILE_NAME);
    // The repository's file, not the person's choice: written only as a
    // regular file in the work tree, never through a committed symlink.
    crate::files::own_file(&path)?;
    Ok(path)
}

/// Writes the proposal into `path`; returns what was kept back or replaced.
fn write(path: &Path, p: &Proposal, force: bool) -> Result<Vec<String>> {
    let old = match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let text = match &old {
        Some(b) => std::str::from_utf8(b)
            .with_context(|| format!("{} is not UTF-8 text", path.display()))?,
        None => "",
    };
    let written = write_into(text, p, force).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let new = written.text;
    if old.as_deref() == Some(new.as_bytes()) {
        return Ok(written.notes);
    }
    match old {
        Some(old) => Ok(crate::files::write_atomic(
            path,
            &old,
            new.as_bytes(),
            Default::default(),
        )?),
        None => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            let mut tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")))
                .with_context(|| format!("cannot write {}", path.display()))?;
            std::io::Write::write_all(&mut tmp, new.as_bytes())?;
            tmp.persist_noclobber(path)
                .map(|_| ())
                .with_context(|| format!("cannot write {}", path.display()))
        }
    }?;
    Ok(written.notes)
}

/// Runs `learn`.
pub(crate) fn run(args: &LearnArgs) -> Result<i32> {
    crate::cli::cmd::apply_color(args.color);
    if args.min_merges == 0 {
        bail!("--min-merges must be at least 1");
    }
    // `--config FILE --write` may create FILE: the rules in force are then the defaults.
    let settings = match &args.rules.config {
        Some(p) if args.write && !p.exists() => DriverSettings {
            policy: crate::pipeline::Policy::new(
                crate::decide::rules::rule_set(&args.rules.rules, None),
                crate::decide::rules::Mode::Settle,
            ),
            ..DriverSettings::default()
        },
        _ => settings(&args.rules)?,
    };
    let history = History::open(&cwd())?;
    // Known before the long part: a bare repository without a work tree.
    let target = args.write.then(|| target(args, &history)).transpose()?;
    let collected = collect(&history, &selection(&args.selection), args.json)?;
    let thresholds = Thresholds {
        min_merges: args.min_merges,
        min_agreement: args.min_agreement,
        holdout: args.holdout,
    };
    let mut proposal = propose(&collected, &settings, thresholds);
    add_together(&history, &collected, &mut proposal)?;
    if args.json {
        report::print_json(&report::json_text(serde_json::to_string_pretty(&proposal)?))?;
    } else {
        outln!("{}", render(&proposal));
    }
    let empty = proposal.rules.is_empty() && proposal.groups.is_empty();
    match target {
        Some(path) if !empty => {
            for n in write(&path, &proposal, args.force)? {
                errln!("{}: {}", style("frontmerge").bold(), report::escape(&n));
            }
            errln!(
                "{}: wrote {}",
                style("frontmerge").bold(),
                report::path(&path)
            );
        }
        Some(_) => errln!("{}: nothing to write", style("frontmerge").bold()),
        None if !empty && !args.json => errln!(
            "{}: add these to {FILE_NAME} with --write",
            style("hint").cyan().bold()
        ),
        None => {}
    }
    Ok(exit::OK)
}
