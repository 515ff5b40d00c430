//! `git frontmerge learn`: replays past merges, proposes the
//! `.frontmerge.toml` rules and key groups that reproduce what people
//! committed, with their evidence, and with `--write` merges them into the
//! file (comments and layout kept). Without `--write` nothing is written.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use console::style;

use crate::cli::LearnArgs;
use crate::cmd::merge_driver::DriverSettings;
use crate::cmd::replay::{collect, cwd, header, row, selection, settings, summary};
use crate::exit;
use crate::learn::cochange::CoChange;
use crate::learn::history::History;
use crate::learn::learn::{propose, write_into, Evidence, Proposal, RuleProposal, Thresholds};
use crate::report::{self, errln, outln};
use crate::rules::config::FILE_NAME;
use crate::rules::when::Condition;

fn evidence(e: &Evidence, unit: &str) -> String {
    format!(
        "{} {unit}: {} as the human with it ({} wrong), {} without ({} wrong)",
        e.cases, e.right_with, e.wrong_with, e.right_without, e.wrong_without
    )
}

/// The proposal as text.
pub fn render(p: &Proposal) -> String {
    let mut out = summary(&p.before);
    out.push(format!(
        "thresholds: --min-cases {} --min-agreement {}",
        p.thresholds.min_cases, p.thresholds.min_agreement
    ));
    out.push(String::new());
    if p.rules.is_empty() && p.groups.is_empty() {
        out.push("nothing to propose: no key's history is consistent enough".into());
    }
    let rule_line = |r: &RuleProposal, unit: &str| {
        format!(
            "{} = \"{}\"    # {}",
            toml_key(&r.key),
            r.rule,
            evidence(&r.evidence, unit)
        )
    };
    let general: Vec<&RuleProposal> = p.rules.iter().filter(|r| r.condition.is_none()).collect();
    if !general.is_empty() {
        out.push(style("[rules]").bold().to_string());
        for r in general {
            out.push(rule_line(r, "conflicts"));
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
        for r in p.rules.iter().filter(|r| r.condition.as_ref() == Some(c)) {
            out.push(rule_line(r, &report::escape(&format!("conflicts {c}"))));
        }
    }
    for g in &p.groups {
        out.push(String::new());
        out.push(
            style(format!("[groups.{}]", toml_key(&g.name)))
                .bold()
                .to_string(),
        );
        out.push(format!("# {}", evidence(&g.evidence, "files")));
        let keys: Vec<String> = g.keys.iter().map(|k| toml_string(k)).collect();
        out.push(format!("keys = [{}]", keys.join(", ")));
        if let Some(l) = &g.leader {
            out.push(format!("leader = {}", toml_string(l)));
        }
    }
    out.push(String::new());
    out.push(style(header("replay score")).bold().to_string());
    out.push(row("keys, today", &p.before.all_keys()));
    out.push(row("keys, with the proposal", &p.after.all_keys()));
    out.push(row("files, today", &p.before.files));
    out.push(row("files, with the proposal", &p.after.files));
    out.join("\n")
}

fn toml_key(k: &str) -> String {
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
fn toml_string(s: &str) -> String {
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

fn write(path: &Path, p: &Proposal) -> Result<()> {
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
    let new = write_into(text, p).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    match old {
        Some(old) => crate::files::write_atomic(path, &old, new.as_bytes(), Default::default()),
        None => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            let mut tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")))
                .with_context(|| format!("cannot write {}", path.display()))?;
            std::io::Write::write_all(&mut tmp, new.as_bytes())?;
            tmp.persist_noclobber(path)
                .map(|_| ())
                .with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// Runs `learn`.
pub fn run(args: &LearnArgs) -> Result<i32> {
    crate::cmd::apply_color(args.color);
    if args.min_cases == 0 {
        bail!("--min-cases must be at least 1");
    }
    // `--config FILE --write` may create FILE: the rules in force are then the defaults.
    let settings = match &args.rules.config {
        Some(p) if args.write && !p.exists() => DriverSettings {
            rules: crate::rules::rule_set(&args.rules.rules, None),
            ..DriverSettings::default()
        },
        _ => settings(&args.rules)?,
    };
    let history = History::open(&cwd())?;
    // Known before the long part: a bare repository without a work tree.
    let target = args.write.then(|| target(args, &history)).transpose()?;
    let collected = collect(&history, &selection(&args.selection), args.json)?;
    let thresholds = Thresholds {
        min_cases: args.min_cases,
        min_agreement: args.min_agreement,
    };
    // Which keys change together in the same commits (for key groups).
    let co = CoChange::collect(&history, &collected)?;
    let proposal = propose(&collected, &co, &settings, thresholds);
    if args.json {
        println!(
            "{}",
            report::json_text(serde_json::to_string_pretty(&proposal)?)
        );
    } else {
        outln!("{}", render(&proposal));
    }
    let empty = proposal.rules.is_empty() && proposal.groups.is_empty();
    match target {
        Some(path) if !empty => {
            write(&path, &proposal)?;
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
