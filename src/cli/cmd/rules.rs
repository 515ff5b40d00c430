//! The field rules a command runs with: `--rule`, then `--config FILE` or
//! the `.frontmerge.toml` at the top of the work tree, then the defaults.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::args::RuleArgs;
use crate::decide::rules::config::{self, Config};
use crate::decide::rules::{rule_set, Origin, RuleSet, When};

/// Rules and derived fields, loaded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Loaded {
    /// Every rule in force.
    pub(crate) set: RuleSet,
    /// `[derived]` from the config file.
    pub(crate) derived: Vec<(String, String)>,
}

impl Loaded {
    fn from(args: &RuleArgs, file: Option<Config>) -> Loaded {
        Loaded {
            set: rule_set(&args.rules, file.as_ref()),
            derived: file.as_ref().map(|c| c.derived.clone()).unwrap_or_default(),
        }
    }
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| ".".into())
}

/// Loads the rules; a config file that cannot be read is an error.
pub(crate) fn load(args: &RuleArgs) -> Result<Loaded> {
    let file = config::find(args.config.as_deref(), &cwd())?;
    Ok(Loaded::from(args, file))
}

/// The `[derived]` list for `check` (`--config FILE` or the discovered
/// file); `top`: the work tree's top when the caller knows it already.
pub(crate) fn derived_only(
    explicit: Option<&Path>,
    top: Option<&Path>,
) -> Result<Vec<(String, String)>> {
    let file = match (explicit, top) {
        (None, Some(top)) => config::discover_in(top)?
            .map(|p| config::load(&p))
            .transpose()?,
        _ => config::find(explicit, &cwd())?,
    };
    Ok(file.map(|c| c.derived).unwrap_or_default())
}

/// Loads the rules for the merge driver, which must not fail: when the
/// config file cannot be read, only `--rule` applies (the file may have
/// turned defaults off), and `say` is told why.
pub(crate) fn load_lenient(args: &RuleArgs, say: impl Fn(&str)) -> Loaded {
    match config::find(args.config.as_deref(), &cwd()) {
        Ok(file) => Loaded::from(args, file),
        Err(e) => {
            let e = anyhow::Error::from(e);
            say(&format!("{e:#}; only --rule applies"));
            let mut set = RuleSet::empty();
            for r in &args.rules {
                set.push(&r.pattern, r.rule, Origin::CommandLine, When::Always);
            }
            Loaded {
                set,
                ..Loaded::default()
            }
        }
    }
}
