//! `.frontmerge.toml`: a repository's field rules and derived fields, read
//! from the top of the work tree (outside a repository: the current folder),
//! or from `--config FILE`.
//!
//! ```toml
//! [rules]
//! lastmod = "newest"
//! "ms.date" = "newest"        # a key with a dot: quote it (a TOML table reads the same)
//! "cSpell:ignore" = "words"
//! pubDate = "oldest"
//! "schema.dateModified" = "newest"
//!
//! [derived]
//! "schema.name" = "title"     # schema's `name` mirrors the `title` key
//! "schema.image.url" = "heroImage"
//!
//! [groups.translation]        # keys decided as one unit (see rules::groups)
//! keys = ["source_commit", "drifted"]
//! leader = "source_commit"
//!
//! [when.main-into-branch]      # rules for merges of a kind (see rules::when)
//! operation = "merge"
//! merging = "main"
//! rules = { "ms.date" = "upstream" }
//! ```

use std::path::{Path, PathBuf};

use super::groups::{Group, GroupError};
use super::when::{Condition, ConditionError};
use super::{Rule, UnknownRule};

/// The file name looked for at the top of the work tree.
pub const FILE_NAME: &str = ".frontmerge.toml";

/// What a `.frontmerge.toml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    /// `[rules]`: key or pattern, rule; in file order.
    pub rules: Vec<(String, Rule)>,
    /// `[derived]`: a dotted field inside a mapping key, the key it mirrors.
    pub derived: Vec<(String, String)>,
    /// `[groups.NAME]`: keys decided as one unit.
    pub groups: Vec<Group>,
    /// `[when.NAME]`: rules for merges of one kind.
    pub conditional: Vec<Conditional>,
}

/// One `[when.NAME]` table: a condition and the rules that hold under it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conditional {
    /// The table's name.
    pub name: String,
    /// When the rules apply.
    pub condition: Condition,
    /// Key or pattern, rule; in file order.
    pub rules: Vec<(String, Rule)>,
}

/// A string or an array of strings (`merging = "main"`, `merging = ["main", "dev"]`).
fn strings(v: &toml::Value, what: &str) -> Result<Vec<String>, BadSetting> {
    match v {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(a) => a
            .iter()
            .map(|i| match i {
                toml::Value::String(s) => Ok(s.clone()),
                _ => Err(BadSetting::NotStrings {
                    what: what.to_owned(),
                }),
            })
            .collect(),
        other => Err(BadSetting::NotStringOrList {
            what: what.to_owned(),
            found: other.type_str(),
        }),
    }
}

/// Reads `[when]`: one table per kind of merge, `operation` and/or
/// `merging`, and `rules`.
fn parse_conditional(table: &toml::Table) -> Result<Vec<Conditional>, BadSetting> {
    let mut out = Vec::new();
    for (name, v) in table {
        let toml::Value::Table(t) = v else {
            return Err(BadSetting::WhenNotTable { name: name.clone() });
        };
        let mut c = Conditional {
            name: name.clone(),
            ..Conditional::default()
        };
        for (k, v) in t {
            let what = format!("[when.{name}] `{k}`");
            match (k.as_str(), v) {
                ("operation", v) => c.condition.operations = strings(v, &what)?,
                ("merging", v) => c.condition.merging = strings(v, &what)?,
                ("rules", toml::Value::Table(r)) => {
                    let mut pairs = Vec::new();
                    flatten("", r, &format!("when.{name}.rules"), &mut pairs)?;
                    for (key, rule) in pairs {
                        let rule = rule.parse::<Rule>().map_err(|error| BadSetting::WhenRule {
                            name: name.clone(),
                            key: key.clone(),
                            error,
                        })?;
                        c.rules.push((key, rule));
                    }
                }
                ("rules", other) => {
                    return Err(BadSetting::WhenRulesNotTable {
                        what,
                        found: other.type_str(),
                    })
                }
                _ => {
                    return Err(BadSetting::WhenUnknownSetting {
                        name: name.clone(),
                        key: k.clone(),
                    })
                }
            }
        }
        c.condition
            .validate()
            .map_err(|error| BadSetting::WhenCondition {
                name: name.clone(),
                error,
            })?;
        if c.rules.is_empty() {
            return Err(BadSetting::WhenNoRules { name: name.clone() });
        }
        out.push(c);
    }
    Ok(out)
}

/// Reads `[groups]`: one table per group, `keys` (two or more) and an
/// optional `leader`.
fn parse_groups(table: &toml::Table) -> Result<Vec<Group>, BadSetting> {
    let mut out = Vec::new();
    for (name, v) in table {
        let toml::Value::Table(t) = v else {
            return Err(BadSetting::GroupNotTable { name: name.clone() });
        };
        let mut group = Group {
            name: name.clone(),
            keys: Vec::new(),
            leader: None,
        };
        for (k, v) in t {
            match (k.as_str(), v) {
                ("keys", toml::Value::Array(a)) => {
                    for item in a {
                        let toml::Value::String(s) = item else {
                            return Err(BadSetting::GroupKeysNotStrings { name: name.clone() });
                        };
                        group.keys.push(s.clone());
                    }
                }
                ("leader", toml::Value::String(s)) => group.leader = Some(s.clone()),
                ("keys" | "leader", other) => {
                    return Err(BadSetting::GroupUnexpected {
                        name: name.clone(),
                        key: k.clone(),
                        found: other.type_str(),
                    })
                }
                _ => {
                    return Err(BadSetting::GroupUnknownSetting {
                        name: name.clone(),
                        key: k.clone(),
                    })
                }
            }
        }
        group.validate()?;
        out.push(group);
    }
    Ok(out)
}

/// Flattens nested tables into dotted keys: `ms.date = "x"` (a table `ms`
/// holding `date`) and `"ms.date" = "x"` mean the same key.
fn flatten(
    prefix: &str,
    table: &toml::Table,
    section: &str,
    out: &mut Vec<(String, String)>,
) -> Result<(), BadSetting> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => out.push((key, s.clone())),
            toml::Value::Table(t) => flatten(&key, t, section, out)?,
            other => {
                return Err(BadSetting::NotAString {
                    section: section.to_owned(),
                    key,
                    found: other.type_str(),
                })
            }
        }
    }
    Ok(())
}

/// Parses the text of a config file; errors name the section and key.
pub fn parse(text: &str, path: &Path) -> Result<Config, InvalidConfig> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| syntax_error(text, &e))?;
    Ok(from_table(&table, path)?)
}

/// The config a parsed file holds; errors name the section and key.
fn from_table(table: &toml::Table, path: &Path) -> Result<Config, BadSetting> {
    let mut config = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    for (section, value) in table {
        let toml::Value::Table(t) = value else {
            return Err(BadSetting::NotASection {
                section: section.clone(),
            });
        };
        if section == "groups" {
            config.groups = parse_groups(t)?;
            continue;
        }
        if section == "when" {
            config.conditional = parse_conditional(t)?;
            continue;
        }
        let mut pairs = Vec::new();
        flatten("", t, section, &mut pairs)?;
        match section.as_str() {
            "rules" => {
                for (k, r) in pairs {
                    let rule = r.parse::<Rule>().map_err(|error| BadSetting::Rule {
                        key: k.clone(),
                        error,
                    })?;
                    config.rules.push((k, rule));
                }
            }
            "derived" => {
                for (field, source) in pairs {
                    if !field.contains('.') {
                        return Err(BadSetting::DerivedNotInside { field });
                    }
                    config.derived.push((field, source));
                }
            }
            other => {
                return Err(BadSetting::UnknownSection {
                    section: other.to_owned(),
                })
            }
        }
    }
    let conditional = config.conditional.iter().flat_map(|c| &c.rules);
    let count = (config.rules.iter().chain(conditional))
        .filter(|(k, _)| super::is_wildcard(k))
        .count();
    if count > MAX_PATTERNS {
        return Err(BadSetting::TooManyPatterns { count });
    }
    Ok(config)
}

/// The most a config file may hold: rules are a few hundred bytes.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// The most rules with a pattern (a key with `*` or `?`) a config may
/// hold, in [rules] and [when] together. Each is matched against every key
/// of every conflict: a committed config of 42,000 patterns kept `diff`
/// busy for 80 s of CPU on one article (attacker trial). Real configs hold
/// a few dozen rules; names (keys without `*` or `?`) are looked up, not
/// matched, and are not counted.
pub const MAX_PATTERNS: usize = 256;

/// Why a config file could not be used. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Over [`MAX_CONFIG_SIZE`] bytes.
    #[error("{}: over {MAX_CONFIG_SIZE} bytes; not a frontmerge config", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// Not UTF-8.
    #[error("{}: not UTF-8 text", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// Not a valid config: bad TOML, an unknown rule or key (the message
    /// quotes at most the one line it is about).
    #[error("{}: {error}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        error: InvalidConfig,
    },
    /// A repository's config that is not a regular file inside its work
    /// tree: refused without reading it.
    #[error(
        "{}: {why}; refused, not read (a repository's config must be a file inside its \
         work tree; --config PATH reads another)",
        path.display()
    )]
    Refused {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: &'static str,
    },
}

/// This module's results.
type Result<T, E = ConfigError> = std::result::Result<T, E>;

/// Reads and parses a config file. An error quotes at most the one line it
/// is about (the output layer escapes it).
pub fn load(path: &Path) -> Result<Config> {
    let path_buf = || path.to_path_buf();
    let cannot = |source| ConfigError::Read {
        path: path_buf(),
        source,
    };
    let file = crate::files::open_regular(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_CONFIG_SIZE + 1),
        &mut bytes,
    )
    .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONFIG_SIZE {
        return Err(ConfigError::TooLarge { path: path_buf() });
    }
    let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 { path: path_buf() })?;
    parse(&text, path).map_err(|error| ConfigError::Invalid {
        path: path_buf(),
        error,
    })
}

/// `message` on one line: a key or value quoted from the file may hold a
/// line break, which must not make the message quote more than one line.
fn one_line(message: &str) -> String {
    message.replace('\r', "\\r").replace('\n', "\\n")
}

/// A TOML syntax error: what, and where with the one line it is about (cut
/// to 120 characters), never more of the file.
fn syntax_error(text: &str, e: &toml::de::Error) -> InvalidConfig {
    let what = e.message().trim().replace('\n', "; ");
    let Some(span) = e.span() else {
        return InvalidConfig::Syntax { what, at: None };
    };
    let at = span.start.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[..at].matches('\n').count() + 1;
    let column = text[start..at].chars().count() + 1;
    let quoted: String = text[start..end]
        .trim_end_matches('\r')
        .chars()
        .take(120)
        .collect();
    let cut = if text[start..end].chars().count() > 120 {
        "…"
    } else {
        ""
    };
    InvalidConfig::Syntax {
        what,
        at: Some(SyntaxAt {
            line,
            column,
            quoted: format!("{quoted}{cut}"),
        }),
    }
}

/// Why the text of a config file makes no config.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidConfig {
    /// Not TOML: what the parser said, and where when it knows.
    #[error("{}", syntax_message(what, at.as_ref()))]
    Syntax {
        /// The parser's words, on one line.
        what: String,
        /// Where.
        at: Option<SyntaxAt>,
    },
    /// TOML, but a section, key or value frontmerge does not read: said on
    /// one line (a key quoted from the file may hold a line break).
    #[error("{}", one_line(&.0.to_string()))]
    Setting(#[from] BadSetting),
}

/// Where a TOML syntax error is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxAt {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The line, cut to 120 characters (then ending in `…`).
    pub quoted: String,
}

/// `line N, column C: what`, then the line quoted under it.
fn syntax_message(what: &str, at: Option<&SyntaxAt>) -> String {
    match at {
        None => what.to_owned(),
        Some(SyntaxAt {
            line,
            column,
            quoted,
        }) => format!("line {line}, column {column}: {what}\n  {line} | {quoted}"),
    }
}

/// A section, key or value of a config file frontmerge does not read:
/// where (section, key) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadSetting {
    /// Not a table at the top: `[rules]`, `[derived]`, `[groups]`, `[when]`.
    #[error("`{section}`: expected a section [rules], [derived], [groups] or [when]")]
    NotASection {
        /// The name.
        section: String,
    },
    /// A section frontmerge does not know.
    #[error("unknown section [{section}] (expected [rules], [derived], [groups] or [when])")]
    UnknownSection {
        /// The name.
        section: String,
    },
    /// A key whose value is not a string (a rule, a mirrored key).
    #[error("[{section}] `{key}`: expected a string, found {found}")]
    NotAString {
        /// The section, dotted (`when.NAME.rules`).
        section: String,
        /// The key, dotted.
        key: String,
        /// The TOML type found.
        found: &'static str,
    },
    /// `[rules]`: a rule that names no rule.
    #[error("[rules] `{key}`: {error}")]
    Rule {
        /// The key.
        key: String,
        /// Why.
        error: UnknownRule,
    },
    /// `[derived]`: a field that is not inside a mapping key.
    #[error(
        "[derived] `{field}`: name a field inside a mapping key, e.g. \"schema.name\" = \"title\""
    )]
    DerivedNotInside {
        /// The field.
        field: String,
    },
    /// `[groups]`: an entry that is not a table.
    #[error("[groups] `{name}`: expected a table, e.g. [groups.{name}] keys = [\"a\", \"b\"]")]
    GroupNotTable {
        /// The group's name.
        name: String,
    },
    /// `[groups.NAME] keys`: an item that is not a string.
    #[error("[groups.{name}] keys: expected strings")]
    GroupKeysNotStrings {
        /// The group's name.
        name: String,
    },
    /// `[groups.NAME]`: `keys` or `leader` of the wrong type.
    #[error("[groups.{name}] `{key}`: unexpected {found}")]
    GroupUnexpected {
        /// The group's name.
        name: String,
        /// `keys` or `leader`.
        key: String,
        /// The TOML type found.
        found: &'static str,
    },
    /// `[groups.NAME]`: a setting other than `keys` and `leader`.
    #[error("[groups.{name}]: unknown setting `{key}` (expected keys, leader)")]
    GroupUnknownSetting {
        /// The group's name.
        name: String,
        /// The setting.
        key: String,
    },
    /// A group that does not hold together.
    #[error(transparent)]
    Group(#[from] GroupError),
    /// `[when]`: an entry that is not a table.
    #[error("[when] `{name}`: expected a table, e.g. [when.{name}] merging = \"main\"")]
    WhenNotTable {
        /// The table's name.
        name: String,
    },
    /// `[when.NAME]`: `operation` or `merging` holding something other than strings.
    #[error("{what}: expected strings")]
    NotStrings {
        /// Where: ``[when.NAME] `key` ``.
        what: String,
    },
    /// `[when.NAME]`: `operation` or `merging` neither a string nor a list.
    #[error("{what}: expected a string or a list of strings, found {found}")]
    NotStringOrList {
        /// Where: ``[when.NAME] `key` ``.
        what: String,
        /// The TOML type found.
        found: &'static str,
    },
    /// `[when.NAME] rules` not a table.
    #[error("{what}: expected a table, found {found}")]
    WhenRulesNotTable {
        /// Where: ``[when.NAME] `rules` ``.
        what: String,
        /// The TOML type found.
        found: &'static str,
    },
    /// `[when.NAME.rules]`: a rule that names no rule.
    #[error("[when.{name}.rules] `{key}`: {error}")]
    WhenRule {
        /// The table's name.
        name: String,
        /// The key.
        key: String,
        /// Why.
        error: UnknownRule,
    },
    /// `[when.NAME]`: a setting other than `operation`, `merging`, `rules`.
    #[error("[when.{name}]: unknown setting `{key}` (expected operation, merging, rules)")]
    WhenUnknownSetting {
        /// The table's name.
        name: String,
        /// The setting.
        key: String,
    },
    /// `[when.NAME]`: a condition that does not hold together.
    #[error("[when.{name}]: {error}")]
    WhenCondition {
        /// The table's name.
        name: String,
        /// Why.
        error: ConditionError,
    },
    /// `[when.NAME]` without rules.
    #[error("[when.{name}]: no rules, e.g. rules = {{ \"ms.date\" = \"upstream\" }}")]
    WhenNoRules {
        /// The table's name.
        name: String,
    },
    /// Over [`MAX_PATTERNS`] rules with a pattern.
    #[error(
        "{count} rules with `*` or `?` in their key; a config holds at most {MAX_PATTERNS} \
         (keys without them are not counted)"
    )]
    TooManyPatterns {
        /// How many the file holds, in [rules] and [when] together.
        count: usize,
    },
}

/// The `.frontmerge.toml` that applies in `cwd`: at the top of its work
/// tree, else in `cwd` itself; `None` when there is none. A clone chooses
/// the file's content, not what else is read: the file must be a regular
/// file, or a symlink to a file inside that folder its repository tracks
/// (any file there outside a repository); anything else is refused
/// without reading it.
pub fn discover(cwd: &Path) -> Result<Option<PathBuf>> {
    let dir = crate::git::discover(cwd, true)
        .ok()
        .flatten()
        .map_or_else(|| cwd.to_path_buf(), |r| r.top);
    discover_in(&dir)
}

/// [`discover`] in `dir`, the top of the work tree (or the folder standing
/// for it outside a repository), the same refusals.
pub fn discover_in(dir: &Path) -> Result<Option<PathBuf>> {
    let dir = dir.to_path_buf();
    let path = dir.join(FILE_NAME);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    let refuse = |why: &'static str| ConfigError::Refused {
        path: path.clone(),
        why,
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(&path)
            .map_err(|_| refuse("a symlink to a file that does not exist"))?;
        let top = std::fs::canonicalize(&dir).unwrap_or(dir);
        if !target.starts_with(&top) {
            return Err(refuse("a symlink to outside the work tree"));
        }
        if !target.is_file() {
            return Err(refuse("a symlink to something other than a regular file"));
        }
        // Inside a repository, only to a file the repository holds: not
        // its git folder, not an untracked or ignored file of the person's
        // (`.env`, `.npmrc`), whose lines an error would quote.
        if let Ok(Some(repo)) = crate::git::discover(&top, false) {
            if !crate::git::is_tracked(&repo, &target) {
                return Err(refuse(
                    "a symlink to a file the repository does not track (an untracked or ignored file, or inside .git)",
                ));
            }
        }
    } else if !meta.is_file() {
        return Err(refuse("not a regular file"));
    }
    Ok(Some(path))
}

/// `--config FILE` when given (the person's choice: it must exist), else
/// the discovered file.
pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<Option<Config>> {
    match explicit {
        Some(p) => load(p).map(Some),
        None => discover(cwd)?.map(|p| load(&p)).transpose(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_derived_fields_in_file_order() {
        let c = parse(
            "[rules]\nlastmod = \"newest\"\n\"ms.date\" = \"newest\"\nseo.updated = \"oldest\"\n\"cSpell:ignore\" = \"words\"\n\n[derived]\n\"schema.name\" = \"title\"\n",
            Path::new(".frontmerge.toml"),
        )
        .unwrap();
        assert_eq!(
            c.rules,
            [
                ("lastmod".to_string(), Rule::Newest),
                ("ms.date".to_string(), Rule::Newest),
                ("seo.updated".to_string(), Rule::Oldest),
                ("cSpell:ignore".to_string(), Rule::Words),
            ]
        );
        assert_eq!(c.derived, [("schema.name".into(), "title".into())]);
    }

    #[test]
    fn the_guides_samples_parse() {
        let guide = include_str!("../../../docs/rules.md");
        let blocks: Vec<&str> = guide
            .split("```toml\n")
            .skip(1)
            .map(|b| b.split("```").next().unwrap_or(""))
            .collect();
        assert!(blocks.len() >= 3, "docs/rules.md shows sample configs");
        for b in blocks {
            let c = parse(b, Path::new("docs/rules.md")).unwrap_or_else(|e| panic!("{e}\n{b}"));
            assert!(
                !c.rules.is_empty()
                    || !c.derived.is_empty()
                    || !c.groups.is_empty()
                    || !c.conditional.is_empty(),
                "{b}"
            );
        }
    }

    #[test]
    fn mistakes_are_named() {
        let p = Path::new("x");
        assert!(parse("[rules]\nlastmod = \"newst\"\n", p)
            .unwrap_err()
            .to_string()
            .contains("[rules] `lastmod`: unknown rule `newst`"));
        assert!(parse("[rule]\n", p)
            .unwrap_err()
            .to_string()
            .contains("unknown section [rule]"));
        assert!(parse("[rules]\ntags = 1\n", p)
            .unwrap_err()
            .to_string()
            .contains("expected a string, found integer"));
        assert!(parse("[derived]\nname = \"title\"\n", p)
            .unwrap_err()
            .to_string()
            .contains("inside a mapping key"));
        let e = parse("[rules\n", p).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn a_config_holds_so_many_patterns_and_any_number_of_names() {
        let p = Path::new("x");
        let rules = |n: usize, key: &dyn Fn(usize) -> String| {
            let lines: String = (0..n)
                .map(|i| format!("\"{}\" = \"stashed\"\n", key(i)))
                .collect();
            format!("[rules]\n{lines}")
        };
        let pattern = |i: usize| format!("*q{i}*z");
        assert!(parse(&rules(MAX_PATTERNS, &pattern), p).is_ok());
        let e = parse(&rules(MAX_PATTERNS + 1, &pattern), p).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} rules with `*` or `?` in their key; a config holds at most {MAX_PATTERNS} (keys without them are not counted)",
                MAX_PATTERNS + 1
            )
        );
        // [when] rules count with [rules].
        let text = format!(
            "{}\n[when.m]\nmerging = \"main\"\nrules = {{ \"a*\" = \"upstream\" }}\n",
            rules(MAX_PATTERNS, &pattern)
        );
        assert!(parse(&text, p).is_err());
        // Names are looked up, not matched; a pattern past GLOB_PATTERN_MAX is a name.
        assert!(parse(&rules(MAX_PATTERNS * 3, &|i| format!("k{i}")), p).is_ok());
        let long = |i: usize| format!("*{i}{}", "a".repeat(super::super::GLOB_PATTERN_MAX));
        assert!(parse(&rules(MAX_PATTERNS + 1, &long), p).is_ok());
    }

    #[test]
    fn groups_are_tables_of_keys_with_an_optional_leader() {
        let c = parse(
            "[groups.tr]\nkeys = [\"commit\", \"drifted\"]\nleader = \"commit\"\n\n[groups]\nseo = { keys = [\"title\", \"description\"] }\n",
            Path::new("f"),
        )
        .unwrap();
        assert_eq!(c.groups.len(), 2);
        assert_eq!(c.groups[0].keys, ["commit", "drifted"]);
        assert_eq!(c.groups[0].leader.as_deref(), Some("commit"));
        assert_eq!(c.groups[1].leader, None);
        for (text, msg) in [
            ("[groups]\ng = \"a\"\n", "expected a table"),
            ("[groups.g]\nkeys = [\"a\"]\n", "two keys"),
            (
                "[groups.g]\nkeys = [\"a\", \"b\"]\nleader = \"c\"\n",
                "leader `c`",
            ),
            ("[groups.g]\nkeys = [\"a\", 1]\n", "expected strings"),
            (
                "[groups.g]\nkeys = [\"a\", \"b\"]\nrule = \"x\"\n",
                "unknown setting",
            ),
        ] {
            let e = parse(text, Path::new("f")).unwrap_err().to_string();
            assert!(e.contains(msg), "{text}: {e}");
        }
    }

    #[test]
    fn when_tables_hold_conditional_rules() {
        let c = parse(
            "[when.sync]\noperation = \"merge\"\nmerging = [\"main\", \"release/*\"]\nrules = { \"ms.date\" = \"upstream\", title = \"theirs\" }\n\n[when.picks]\noperation = [\"cherry-pick\", \"rebase\"]\n[when.picks.rules]\nms.date = \"newest\"\n",
            Path::new("f"),
        )
        .unwrap();
        assert_eq!(c.conditional.len(), 2);
        let sync = &c.conditional[0];
        assert_eq!(sync.name, "sync");
        assert_eq!(sync.condition.operations, ["merge"]);
        assert_eq!(sync.condition.merging, ["main", "release/*"]);
        assert_eq!(
            sync.rules,
            [
                ("ms.date".to_string(), Rule::Upstream),
                ("title".to_string(), Rule::Stashed)
            ]
        );
        assert_eq!(
            c.conditional[1].rules,
            [("ms.date".to_string(), Rule::Newest)]
        );
        for (text, msg) in [
            ("[when]\ng = 1\n", "expected a table"),
            (
                "[when.g]\nrules = { a = \"upstream\" }\n",
                "give `operation` or `merging`",
            ),
            (
                "[when.g]\noperation = \"pull\"\nrules = { a = \"upstream\" }\n",
                "unknown operation `pull`",
            ),
            ("[when.g]\nmerging = \"main\"\n", "no rules"),
            (
                "[when.g]\nmerging = 1\nrules = { a = \"upstream\" }\n",
                "found integer",
            ),
            (
                "[when.g]\nmerging = \"m\"\nrules = { a = \"newer\" }\n",
                "[when.g.rules] `a`: unknown rule",
            ),
            (
                "[when.g]\nmerging = \"m\"\nbranch = \"x\"\nrules = { a = \"ours\" }\n",
                "unknown setting `branch`",
            ),
        ] {
            let e = parse(text, Path::new("f")).unwrap_err().to_string();
            assert!(e.contains(msg), "{text}: {e}");
        }
    }
}
