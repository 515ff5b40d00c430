//! Command-line definitions (clap). Parsing only: `app` turns these into a
//! validated configuration and runs it.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::conflict::marker_size::MarkerSize;
use crate::conflict::sides::Side;
use crate::decide::rules::RuleSpec;
use crate::decide::{LinksPolicy, Prefer};

/// After the options of `git frontmerge --help`: the default command and the exit codes.
fn after_help() -> String {
    format!(
        "Without a subcommand, `git frontmerge [PATHS]` means `git frontmerge resolve [PATHS]`.\n\n{}",
        crate::cli::exit::TABLE
    )
}

/// Resolve git conflicts in Markdown articles with YAML, TOML or JSON frontmatter, part by
/// part: each frontmatter key, the body, the related links.
#[derive(Debug, Parser)]
#[command(
    name = "git-frontmerge",
    bin_name = "git frontmerge",
    version,
    args_conflicts_with_subcommands = true,
    after_help = after_help()
)]
pub(crate) struct Cli {
    /// What to do (default: resolve).
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// Options of the default `resolve` command.
    #[command(flatten)]
    pub(crate) resolve: ResolveArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Resolve conflicted articles (the default command).
    Resolve(ResolveArgs),
    /// Show, part by part, how the sides of conflicted articles differ.
    Diff(DiffArgs),
    /// Find conflict leftovers and broken frontmatter (for pre-commit hooks and CI).
    Check(CheckArgs),
    /// Git merge driver: merge %O %A %B field by field into %A (set up by `install --merge-driver`).
    MergeDriver(MergeDriverArgs),
    /// Install the merge driver, the pre-commit hook, shell completions or man pages.
    Install(InstallArgs),
    /// `git mergetool` tool: the picker on $MERGED (set up by `install --mergetool`).
    Mergetool(MergetoolArgs),
    /// Re-merge past merge commits and compare frontmerge's answers with what was committed.
    Replay(ReplayArgs),
    /// Propose .frontmerge.toml rules that reproduce this repository's past merge resolutions.
    Learn(LearnArgs),
}

/// Options shared by every command that reads articles.
#[derive(Debug, Args, Clone)]
pub(crate) struct CommonArgs {
    /// Conflict marker size (git's `conflict-marker-size` attribute).
    #[arg(long, value_name = "N", value_parser = marker_size_flag())]
    pub(crate) marker_size: Option<MarkerSize>,
    /// A heading that opens the related-links section (repeatable; adds to the defaults).
    #[arg(long = "link-heading", value_name = "TEXT")]
    pub(crate) link_headings: Vec<String>,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
}

/// `--marker-size N`: a whole number in [`MarkerSize::MIN`]..=[`MarkerSize::MAX`],
/// parsed once here (clap's own messages for a word or a number outside).
fn marker_size_flag() -> impl clap::builder::TypedValueParser<Value = MarkerSize> {
    use clap::builder::TypedValueParser;
    let bound = |s: MarkerSize| i64::try_from(s.get()).unwrap_or(i64::MAX);
    clap::value_parser!(u8)
        .range(bound(MarkerSize::MIN)..=bound(MarkerSize::MAX))
        .map(|n| MarkerSize::new(usize::from(n)).unwrap_or_default())
}

/// Field rules: `--rule` and `--config` (resolve, diff, merge-driver).
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RuleArgs {
    /// Settle conflicts on KEY by RULE: ask, upstream, stashed, newest, oldest, union, words,
    /// concat (repeatable; KEY may be a dotted path or a pattern with * and ?; beats the config file).
    #[arg(long = "rule", value_name = "KEY=RULE", value_parser = parse_rule_spec)]
    pub(crate) rules: Vec<RuleSpec>,
    /// Read rules, derived fields, key groups and [when.NAME] rules (rules for one kind of
    /// merge: `operation = "merge"`, `merging = "main"`, `rules = { KEY = RULE }`) from FILE
    /// instead of .frontmerge.toml at the repository's top.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

fn parse_rule_spec(s: &str) -> Result<RuleSpec, crate::decide::rules::RuleSpecError> {
    s.parse()
}

/// `--color`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when the output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--prefer`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PreferArg {
    /// The `<<<<<<<` side, also `ours`: HEAD ("Updated upstream" after a stash pop;
    /// in a rebase, the branch being rebased onto).
    #[value(alias = "ours")]
    Upstream,
    /// The `>>>>>>>` side, also `theirs`: the stash, the branch being merged, the
    /// commit being picked or replayed.
    #[value(alias = "theirs")]
    Stashed,
    /// Per file, the side whose date field (`--date-field`) is later.
    Newest,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Prefer {
        match p {
            PreferArg::Upstream => Prefer::Side(Side::Upstream),
            PreferArg::Stashed => Prefer::Side(Side::Stashed),
            PreferArg::Newest => Prefer::Newest,
        }
    }
}

/// `--links`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum LinksArg {
    /// The `<<<<<<<` side's list (also `ours`).
    #[value(alias = "ours")]
    Upstream,
    /// The `>>>>>>>` side's list (also `theirs`).
    #[value(alias = "theirs")]
    Stashed,
    /// The preferred side's links, then the other side's new URLs.
    Union,
}

impl From<LinksArg> for LinksPolicy {
    fn from(l: LinksArg) -> LinksPolicy {
        match l {
            LinksArg::Upstream => LinksPolicy::Side(Side::Upstream),
            LinksArg::Stashed => LinksPolicy::Side(Side::Stashed),
            LinksArg::Union => LinksPolicy::Union,
        }
    }
}

/// `resolve` options.
#[derive(Debug, Args, Clone)]
#[command(after_help = crate::cli::exit::TABLE)]
pub(crate) struct ResolveArgs {
    /// Files or folders (folders are walked for *.md, *.mdx, *.markdown);
    /// none: the unmerged Markdown files of the repository.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Settle every differing part with this side, without asking: upstream (or
    /// ours), stashed (or theirs), newest.
    #[arg(long, value_enum, value_name = "SIDE")]
    pub(crate) prefer: Option<PreferArg>,
    /// How to settle the related links (default: follows --prefer).
    #[arg(long, value_enum, value_name = "POLICY")]
    pub(crate) links: Option<LinksArg>,
    /// Date key for `--prefer newest`, looked at before the defaults (repeatable; the
    /// first key whose dates differ decides; defaults: the modification dates updatedDate,
    /// updated, lastmod, modified, ms.date, last_modified_at, last_modified, lastUpdated,
    /// updatedAt, updated_at, dateModified, each also `newest` when both sides changed it,
    /// then pubDate, date, publishDate, published).
    #[arg(long = "date-field", value_name = "KEY")]
    pub(crate) date_fields: Vec<String>,
    /// Print the result to standard output instead of writing the file.
    #[arg(long, conflicts_with_all = ["dry_run", "backup"])]
    pub(crate) stdout: bool,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Keep the original conflicted file as FILE.orig.
    #[arg(long)]
    pub(crate) backup: bool,
    /// Flush each written file to disk before replacing it (survives a power
    /// cut on any filesystem; several milliseconds per file).
    #[arg(long)]
    pub(crate) fsync: bool,
    /// Leave git's index alone: do not mark written files resolved.
    #[arg(long)]
    pub(crate) no_index: bool,
    /// Update values inside a mapping key (schema.name) that mirror a key taken from the other side.
    #[arg(long)]
    pub(crate) sync_derived: bool,
    /// Write everything that settles and leave conflict markers only around the
    /// values both sides changed (in the file's own conflict style, as the merge
    /// driver writes them), to finish in an editor; exit 3 when markers remain.
    #[arg(long)]
    pub(crate) leave_conflicts: bool,
    /// Field rules.
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// Shared options.
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `diff` options.
#[derive(Debug, Args, Clone)]
#[command(after_help = crate::cli::exit::TABLE)]
pub(crate) struct DiffArgs {
    /// Conflicted files or folders; none: the unmerged Markdown files of the repository.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Print the comparison as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Field rules (the view marks the keys a rule would settle).
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// Shared options.
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `mergetool` arguments, git's `$BASE $LOCAL $REMOTE $MERGED`.
#[derive(Debug, Args, Clone)]
pub(crate) struct MergetoolArgs {
    /// The common ancestor's version ($BASE).
    #[arg(value_name = "BASE")]
    pub(crate) base: PathBuf,
    /// Our version ($LOCAL).
    #[arg(value_name = "LOCAL")]
    pub(crate) local: PathBuf,
    /// Their version ($REMOTE).
    #[arg(value_name = "REMOTE")]
    pub(crate) remote: PathBuf,
    /// The conflicted file in the work tree ($MERGED); the result is written here.
    #[arg(value_name = "MERGED")]
    pub(crate) merged: PathBuf,
}

/// `merge-driver` arguments, in the order of git's `%O %A %B %L %P`.
#[derive(Debug, Args, Clone)]
pub(crate) struct MergeDriverArgs {
    // One list, and from its first value on every argument belongs to it,
    // even one shaped like an option: `%P` is a name the repository
    // chooses (`--config=.env`, `--help`), and a line an older `install`
    // wrote passes it with no `--` before it.
    /// git's %O %A %B %L %P: the common ancestor's version, the current one (upstream; the
    /// result is written here), the other one (stashed), the conflict marker size (anything but
    /// a number means 7) and the path being merged, for messages; the last two may be left out.
    #[arg(
        value_names = ["BASE", "CURRENT", "OTHER", "MARKER_SIZE", "PATH"],
        num_args = 3..=5,
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub(crate) versions: Vec<PathBuf>,
    /// Labels for the current, base and other versions, in that order (as `git merge-file -L`).
    #[arg(short = 'L', value_name = "LABEL", action = clap::ArgAction::Append)]
    pub(crate) labels: Vec<String>,
    /// Settle what both sides changed with this side instead of leaving markers.
    #[arg(long, value_enum, value_name = "SIDE")]
    pub(crate) prefer: Option<PreferArg>,
    /// Date key for `--prefer newest` (repeatable).
    #[arg(long = "date-field", value_name = "KEY")]
    pub(crate) date_fields: Vec<String>,
    /// Update values inside a mapping key (schema.name) that mirror a key taken from the other side.
    #[arg(long)]
    pub(crate) sync_derived: bool,
    /// Field rules.
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

impl MergeDriverArgs {
    /// The common ancestor's version (%O).
    pub(crate) fn base(&self) -> &Path {
        &self.versions[0]
    }

    /// The current version (%A), where the result goes.
    pub(crate) fn current(&self) -> &Path {
        &self.versions[1]
    }

    /// The other version (%B).
    pub(crate) fn other(&self) -> &Path {
        &self.versions[2]
    }

    /// The conflict marker size as given (%L).
    pub(crate) fn marker_size(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.versions.get(3).map(|p| p.to_string_lossy())
    }

    /// The path being merged (%P).
    pub(crate) fn path(&self) -> Option<&Path> {
        self.versions.get(4).map(PathBuf::as_path)
    }
}

/// `check` options.
#[derive(Debug, Args, Clone)]
#[command(
    after_help = "Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors found, \
                        2 usage error or a path that could not be read."
)]
pub(crate) struct CheckArgs {
    /// Files or folders (`-` reads standard input). Default, inside a repository:
    /// the staged Markdown files with --staged, else every tracked one.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Check the content staged for commit (the index), not the work tree.
    #[arg(long)]
    pub(crate) staged: bool,
    /// Print the findings as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Read [derived] fields from FILE instead of .frontmerge.toml at the repository's top.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Shared options.
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// Which past merges `replay` and `learn` look at.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct SelectionArgs {
    /// Only merges in this revision range (e.g. `main~500..main`; default: all refs).
    #[arg(long, value_name = "RANGE")]
    pub(crate) rev_range: Option<String>,
    /// At most N merges, the newest.
    #[arg(long, value_name = "N")]
    pub(crate) max_merges: Option<usize>,
    /// Only merges committed before DATE (ISO 8601: 2025-06-01, 2025-06-01T12:00:00Z).
    #[arg(long, value_name = "DATE", value_parser = crate::learn::parse_date)]
    pub(crate) before: Option<i64>,
    /// Only merges committed at or after DATE (ISO 8601).
    #[arg(long, value_name = "DATE", value_parser = crate::learn::parse_date)]
    pub(crate) after: Option<i64>,
}

/// `replay` options.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReplayArgs {
    /// Which merges.
    #[command(flatten)]
    pub(crate) selection: SelectionArgs,
    /// Show up to N wrong answers (settled differently from the human).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) examples: usize,
    /// Print everything as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Field rules to replay with.
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
}

/// `learn` options.
#[derive(Debug, Args, Clone)]
pub(crate) struct LearnArgs {
    /// Which merges.
    #[command(flatten)]
    pub(crate) selection: SelectionArgs,
    /// Propose a rule or key group only when it rests on at least N distinct merges
    /// (one merge of many files is one piece of evidence).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(crate) min_merges: usize,
    /// Propose a rule only when it settles at least this share of its conflicts as people did.
    #[arg(long, value_name = "SHARE", default_value_t = 0.9, value_parser = parse_share)]
    pub(crate) min_agreement: f64,
    /// Hold back this share of the conflicted merges (the newest), learn from the rest, and
    /// keep only what makes no held-back file worse and at least one better (0: no check).
    #[arg(long, value_name = "SHARE", default_value_t = 0.3, value_parser = parse_holdout)]
    pub(crate) holdout: f64,
    /// Merge the proposal into .frontmerge.toml at the top of the work tree
    /// (or the --config file), keeping its comments and layout, with the evidence as comments.
    #[arg(long)]
    pub(crate) write: bool,
    /// With --write, replace the file's own rules and groups where the proposal differs
    /// (without it they are kept, and named).
    #[arg(long, requires = "write")]
    pub(crate) force: bool,
    /// Print the proposal and its evidence as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// The rules in force today (the proposal adds to them).
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
}

fn parse_holdout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}`: expected a share from 0 up to (not including) 1, e.g. 0.3"
        )),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}`: expected a share between 0 and 1, e.g. 0.9")),
    }
}

/// `install` options: one or more things to install.
#[derive(Debug, Args, Clone)]
pub(crate) struct InstallArgs {
    /// Install git hooks running `git frontmerge check --staged` before a commit,
    /// a merge, `git rebase --continue` and `git am` (honours core.hooksPath).
    #[arg(long)]
    pub(crate) hook: bool,
    /// Replace an existing, different hook (the old one is kept beside it as `.old`).
    #[arg(long)]
    pub(crate) force: bool,
    /// Write bash, zsh and fish completions into DIR.
    #[arg(long, value_name = "DIR")]
    pub(crate) completions: Option<PathBuf>,
    /// Write man pages (git-frontmerge.1 and one per subcommand) into DIR.
    #[arg(long, value_name = "DIR")]
    pub(crate) man: Option<PathBuf>,
    /// Configure git to merge *.md, *.mdx, *.markdown with frontmerge.
    #[arg(long)]
    pub(crate) merge_driver: bool,
    /// Register `git mergetool --tool=frontmerge` (mergetool.frontmerge.cmd, trustExitCode).
    #[arg(long)]
    pub(crate) mergetool: bool,
    /// Install for every repository of this user (global git config and attributes).
    #[arg(long)]
    pub(crate) global: bool,
    /// Pass --prefer SIDE to the merge driver: what both sides changed is settled, not marked.
    #[arg(long, value_enum, value_name = "SIDE", requires = "merge_driver")]
    pub(crate) prefer: Option<PreferArg>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_date_field_help_lists_the_date_keys() {
        let help = Cli::command()
            .find_subcommand_mut("resolve")
            .unwrap()
            .render_long_help()
            .to_string();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        for keys in [
            crate::decide::dates::MODIFIED_KEYS,
            crate::decide::dates::PUBLISHED_KEYS,
        ] {
            let listed = keys.join(", ");
            assert!(help.contains(&listed), "{listed}\n{help}");
        }
    }

    #[test]
    fn resolve_is_the_default_command() {
        let cli = Cli::try_parse_from(["git-frontmerge", "--prefer", "ours", "a.md"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.resolve.prefer, Some(PreferArg::Upstream));
        let cli = Cli::try_parse_from(["git-frontmerge", "diff", "a.md", "--json"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Diff(ref d)) if d.json));
        assert!(Cli::try_parse_from(["git-frontmerge", "--stdout", "--dry-run", "a"]).is_err());
    }

    #[test]
    fn merge_driver_takes_gits_placeholders_in_order() {
        let cli = Cli::try_parse_from([
            "git-frontmerge",
            "merge-driver",
            "-L",
            "HEAD",
            "-L",
            "base",
            "-L",
            "topic",
            "--prefer",
            "theirs",
            ".merge_file_O",
            ".merge_file_A",
            ".merge_file_B",
            "7",
            "blog/a post.md",
        ])
        .unwrap();
        let Some(Command::MergeDriver(m)) = cli.command else {
            panic!("merge-driver expected")
        };
        assert_eq!(m.current(), Path::new(".merge_file_A"));
        assert_eq!(m.labels, ["HEAD", "base", "topic"]);
        assert_eq!(m.marker_size().as_deref(), Some("7"));
        assert_eq!(m.prefer, Some(PreferArg::Stashed));
        assert!(Cli::try_parse_from(["git-frontmerge", "install", "--prefer", "ours"]).is_err());
    }

    #[test]
    fn the_merge_driver_takes_an_option_shaped_path_as_a_path() {
        for path in ["--config=.env", "--help", "-notes.md", "--", "-L"] {
            for escape in [&["--"][..], &[]] {
                let versions = ["O", "A", "B", "7", path];
                let args = ["git-frontmerge", "merge-driver", "--prefer", "ours"]
                    .iter()
                    .chain(escape)
                    .chain(&versions);
                let cli = Cli::try_parse_from(args).unwrap();
                let Some(Command::MergeDriver(m)) = cli.command else {
                    panic!("merge-driver expected")
                };
                assert_eq!(m.path(), Some(Path::new(path)), "{escape:?}");
                assert_eq!(m.rules.config, None, "{path} {escape:?}");
                assert_eq!(m.prefer, Some(PreferArg::Upstream));
            }
        }
        let too_many = [
            "git-frontmerge",
            "merge-driver",
            "O",
            "A",
            "B",
            "7",
            "p",
            "--x",
        ];
        assert!(Cli::try_parse_from(too_many).is_err());
    }
}
