//! Derived fields: values inside a mapping key (a JSON-LD `schema`, an `seo`
//! block) that mirror other keys, kept consistent when a resolution takes the
//! key from one side and the mapping from the other.
//!
//! ```text
//! title: "New title"                                   ← stashed
//! schema: {"@type":"HowTo","name":"Old title",…}       ← upstream
//!         → schema.name no longer matches title
//! --sync-derived:
//! schema: {"@type":"HowTo","name":"New title",…}       only those bytes change
//! ```
//!
//! Mirrors are found on the sides themselves (an inner string equal to
//! another key's value on that side) and named in `.frontmerge.toml`:
//!
//! ```toml
//! [derived]
//! "schema.name" = "title"
//! ```

use super::render::{self, MarkerStyle};
use crate::article::frontmatter::inner;
use crate::article::KeyPath;
use crate::article::{self, Article, ArticleOptions, Value};
use crate::conflict::sides::{Side, Sides};
use crate::conflict::worded::Worded;
use crate::decide::{Decision, Decisions, Reason, Resolution};
use crate::merge::compare::{Comparison, Part};
use crate::merge::tree::FrontmatterMerge;
use crate::worded;
use indexmap::{IndexMap, IndexSet};
use std::collections::HashMap;

/// An inner value that mirrors a key: `schema.name` = `title`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mirror {
    /// The mapping key holding the value (`schema`).
    pub container: String,
    /// The dotted path inside it (`name`, `image.url`).
    pub path: String,
    /// The key it mirrors (`title`).
    pub source: String,
}

impl Mirror {
    /// `schema.name`.
    pub fn field(&self) -> String {
        format!("{}.{}", self.container, self.path)
    }
}

/// How derived fields are treated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedOptions {
    /// `[derived]` from `.frontmerge.toml`: a dotted field and the key it mirrors.
    pub configured: Vec<(String, String)>,
    /// `--sync-derived`: update mismatched mirrors in place.
    pub sync: bool,
}

/// A mirror that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The mirror.
    pub mirror: Mirror,
    /// The inner value as it is.
    pub found: String,
    /// The key's value, which the inner value should equal.
    pub wanted: String,
}

/// Mirrors each once, in the order found (a set: an article with
/// thousands of keys is not searched through for each).
fn unique(mirrors: impl IntoIterator<Item = Mirror>) -> Vec<Mirror> {
    mirrors
        .into_iter()
        .collect::<IndexSet<_>>()
        .into_iter()
        .collect()
}

/// The mirrors that hold in `a`: each string inside a mapping key that
/// equals another key's string value.
pub fn detect(a: &Article<'_>) -> Vec<Mirror> {
    // The keys of each string value, in key order: looked up by value.
    let mut sources: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in a.entries() {
        if let Some(v) = e.value.as_str().filter(|v| !v.trim().is_empty()) {
            sources.entry(v).or_default().push(&e.key);
        }
    }
    let mut out = Vec::new();
    for e in a.entries().filter(|e| e.value.is_mapping()) {
        for (path, v) in e.value.string_leaves() {
            for k in sources.get(v).into_iter().flatten() {
                if *k != e.key {
                    out.push(Mirror {
                        container: e.key.clone(),
                        path: path.clone(),
                        source: (*k).to_owned(),
                    });
                }
            }
        }
    }
    unique(out)
}

/// The configured mirrors, read against `a`'s keys (the longest key that
/// starts the field is the container: `ms.meta.title` in a key `ms.meta`).
pub fn configured(a: &Article<'_>, list: &[(String, String)]) -> Vec<Mirror> {
    let mut out = Vec::new();
    for (field, source) in list {
        let container = a
            .keys()
            .filter(|k| {
                field.len() > k.len() + 1
                    && field.starts_with(k)
                    && field[k.len()..].starts_with('.')
            })
            .max_by_key(|k| k.len());
        if let Some(k) = container {
            out.push(Mirror {
                container: k.to_owned(),
                path: field[k.len() + 1..].to_owned(),
                source: source.clone(),
            });
        }
    }
    unique(out)
}

/// The mirrors of `mirrors` that do not hold in `a`. A value that mirrors
/// several keys is fine when it equals one of them.
pub fn mismatches(a: &Article<'_>, mirrors: &[Mirror]) -> Vec<Mismatch> {
    let value = |k: &str| a.value(k);
    // The mirrors of each field, fields in the order first named.
    let mut fields: IndexMap<(&str, &str), Vec<&Mirror>> = IndexMap::new();
    for m in mirrors {
        fields.entry((&m.container, &m.path)).or_default().push(m);
    }
    let mut out: Vec<Mismatch> = Vec::new();
    for ((container, path), of_field) in fields {
        let Some(found) = value(container)
            .and_then(|v| v.get_path(path))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let sources: Vec<(&Mirror, &str)> = of_field
            .into_iter()
            .filter_map(|o| Some((o, value(&o.source).and_then(Value::as_str)?)))
            .collect();
        if sources.is_empty() || sources.iter().any(|(_, v)| *v == found) {
            continue;
        }
        out.push(Mismatch {
            mirror: sources[0].0.clone(),
            found: found.to_owned(),
            wanted: sources[0].1.to_owned(),
        });
    }
    out
}

/// The mirrors to keep in a resolution: those holding on either side, and
/// the configured ones.
fn mirrors_of(
    articles: &Sides<Article<'_>>,
    result: &Article<'_>,
    opts: &DerivedOptions,
) -> Vec<Mirror> {
    unique(
        detect(&articles.upstream)
            .into_iter()
            .chain(detect(&articles.stashed))
            .chain(configured(result, &opts.configured)),
    )
}

/// The text the decisions give.
fn result_text<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &Decisions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> String {
    render::render(articles, cmp, decisions, markers, fm)
}

/// True when no mirror can matter: none configured, and neither side
/// holds one.
fn quick(articles: &Sides<Article<'_>>, opts: &DerivedOptions) -> bool {
    opts.configured.is_empty()
        && detect(&articles.upstream).is_empty()
        && detect(&articles.stashed).is_empty()
}

/// The mirrors the decisions would break.
pub fn find<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &Decisions,
    opts: &DerivedOptions,
    article_opts: &ArticleOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> Vec<Mismatch> {
    if quick(articles, opts) {
        return Vec::new();
    }
    let out = result_text(articles, cmp, decisions, markers, fm);
    let Ok(result) = article::parse(&out, article_opts) else {
        return Vec::new();
    };
    mismatches(&result, &mirrors_of(articles, &result, opts))
}

/// `"text"`, shortened for a message.
pub fn quote(s: &str) -> String {
    const MAX: usize = 48;
    if s.chars().count() > MAX {
        format!("\"{}…\"", s.chars().take(MAX).collect::<String>())
    } else {
        format!("\"{s}\"")
    }
}

/// How a part was decided, for the synced decision's reason.
fn previous(decisions: &Decisions, key: &str, skeleton: Side) -> Worded {
    match decisions
        .get(&Part::Key(KeyPath::key(key)))
        .map(|d| &d.resolution)
    {
        Some(Resolution::Take(s)) => worded![format!("{key} from "), *s],
        None => worded![format!("{key} from "), skeleton],
        Some(_) => worded![format!("the merged {key}")],
    }
}

/// Updates each mismatched mirror inside its mapping's text in place, as a
/// new decision for that key. Returns one message per mirror that could not
/// be updated.
pub fn sync<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &mut Decisions,
    found: &[Mismatch],
    article_opts: &ArticleOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> Vec<String> {
    let out = result_text(articles, cmp, decisions, markers, fm);
    let Ok(result) = article::parse(&out, article_opts) else {
        return vec!["the result is not an article yet; derived fields left as they are".into()];
    };
    // Taking a key's decision away must not change which side frames the file.
    let skeleton = decisions.skeleton();
    decisions.skeleton = Some(skeleton);
    let mut failed = Vec::new();
    let mut containers: Vec<&str> = Vec::new();
    for m in found {
        if !containers.contains(&m.mirror.container.as_str()) {
            containers.push(&m.mirror.container);
        }
    }
    for container in containers {
        let Some(entry) = result.entry(container) else {
            continue;
        };
        let group: Vec<&Mismatch> = found
            .iter()
            .filter(|m| m.mirror.container == container)
            .collect();
        let updates: Vec<(String, String)> = group
            .iter()
            .map(|m| (m.mirror.path.clone(), m.wanted.clone()))
            .collect();
        match inner::set_strings(entry, &updates) {
            Ok(text) => {
                let what: Vec<String> = group
                    .iter()
                    .map(|m| format!("{} ← {}", m.mirror.path, m.mirror.source))
                    .collect();
                let reason = worded![
                    previous(decisions, container, skeleton),
                    ", ",
                    what.join(", "),
                ];
                decisions.set(
                    Part::Key(KeyPath::key(container)),
                    Decision {
                        resolution: Resolution::Text(format!("{}{text}", entry.lead)),
                        reason: Reason::Derived(reason),
                    },
                );
            }
            Err(e) => failed.push(format!("cannot update {container} in place: {e}")),
        }
    }
    failed
}

/// The pipeline's step after the deciders: reports the mirrors the
/// decisions break, or with `--sync-derived` updates them; messages go to
/// the decisions' notes.
pub fn settle<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &mut Decisions,
    opts: &DerivedOptions,
    article_opts: &ArticleOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) {
    let found = find(articles, cmp, decisions, opts, article_opts, markers, fm);
    settle_found(
        articles,
        cmp,
        decisions,
        &found,
        opts,
        article_opts,
        markers,
        fm,
    );
}

/// The result the decisions make so far, rendered, where [`find`] would
/// read it (`None` where no mirror can matter: then nothing is rendered).
pub fn result_to_check<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &Decisions,
    opts: &DerivedOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) -> Option<String> {
    (!quick(articles, opts)).then(|| result_text(articles, cmp, decisions, markers, fm))
}

/// [`settle`] given what [`find`] would render and read: `result`, the
/// text of [`result_to_check`] read as an article (`None` when it was not
/// rendered or does not read). True when some mirror was found (the
/// decisions, or their notes, changed); false leaves them as they were.
#[allow(clippy::too_many_arguments)] // settle's arguments and the result it reads
pub fn settle_read<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &mut Decisions,
    opts: &DerivedOptions,
    article_opts: &ArticleOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
    result: Option<&Article<'_>>,
) -> bool {
    let found = match result {
        Some(result) if !quick(articles, opts) => {
            mismatches(result, &mirrors_of(articles, result, opts))
        }
        _ => Vec::new(),
    };
    settle_found(
        articles,
        cmp,
        decisions,
        &found,
        opts,
        article_opts,
        markers,
        fm,
    );
    !found.is_empty()
}

/// [`settle`] once the mismatches are `found`.
#[allow(clippy::too_many_arguments)] // settle's arguments and what it found
fn settle_found<'t>(
    articles: &Sides<Article<'t>>,
    cmp: &Comparison,
    decisions: &mut Decisions,
    found: &[Mismatch],
    opts: &DerivedOptions,
    article_opts: &ArticleOptions,
    markers: &MarkerStyle<'_>,
    fm: &FrontmatterMerge<'t>,
) {
    if found.is_empty() {
        return;
    }
    if !opts.sync {
        for m in found {
            decisions.note(
                Some(Part::Key(KeyPath::key(m.mirror.container.as_str()))),
                format!(
                    "{} no longer matches {} ({} ≠ {}); --sync-derived updates it in place",
                    m.mirror.field(),
                    m.mirror.source,
                    quote(&m.found),
                    quote(&m.wanted)
                ),
            );
        }
        return;
    }
    for note in sync(articles, cmp, decisions, found, article_opts, markers, fm) {
        decisions.note(None, note);
    }
}

/// A mismatch in a clean file, where it is in the file, and why it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMismatch {
    /// The mismatch.
    pub mismatch: Mismatch,
    /// 1-based line of the inner value (of the key when it cannot be found).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// True when the mirror held in the committed version; false: configured.
    pub was_equal: bool,
}

/// The mirrors broken in `text`: those that held in `head` (the committed
/// version) and the configured ones.
pub fn check_text(
    text: &str,
    head: Option<&str>,
    configured_list: &[(String, String)],
    article_opts: &ArticleOptions,
) -> Vec<FileMismatch> {
    let Ok(a) = article::parse(text, article_opts) else {
        return Vec::new();
    };
    let held = head
        .and_then(|h| article::parse(h, article_opts).ok())
        .map(|h| detect(&h))
        .unwrap_or_default();
    let all = unique(held.iter().cloned().chain(configured(&a, configured_list)));
    mismatches(&a, &all)
        .into_iter()
        .map(|m| {
            let entry = a.entry(&m.mirror.container);
            let (line, column) = entry.map_or((1, 1), |e| match inner::locate(e, &m.mirror.path) {
                Some(span) => {
                    let before = &e.text[..span.start];
                    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                    (
                        e.line + before.matches('\n').count(),
                        before[line_start..].chars().count() + 1,
                    )
                }
                None => (e.line, 1),
            });
            let was_equal = held.iter().any(|h| h == &m.mirror);
            FileMismatch {
                mismatch: m,
                line,
                column,
                was_equal,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::parse;
    use crate::conflict::marker_size::MarkerSize;
    use crate::conflict::scan::Labels;
    use crate::decide::Reason;

    const UP: &str = "---\ntitle: \"Old\"\ndescription: D\nheroImage: /a.jpg\nschema: {\"@type\":\"HowTo\",\"name\":\"Old\",\"description\":\"D\",\"image\":{\"url\":\"/a.jpg\"},\"n\":1}\n---\nbody\n";
    const ST: &str = "---\ntitle: \"New \\\"one\\\"\"\ndescription: D\nheroImage: /a.jpg\nschema: {\"@type\":\"HowTo\",\"name\":\"New \\\"one\\\"\",\"description\":\"D\",\"image\":{\"url\":\"/a.jpg\"},\"n\":2}\n---\nbody\n";

    fn arts<'a>(u: &'a str, s: &'a str) -> Sides<Article<'a>> {
        let o = ArticleOptions::default();
        Sides::new(parse(u, &o).unwrap(), parse(s, &o).unwrap(), None)
    }

    fn markers() -> MarkerStyle<'static> {
        MarkerStyle {
            size: MarkerSize::DEFAULT,
            labels: Labels::default(),
            merger: None,
        }
    }

    fn take(d: &mut Decisions, key: &str, side: Side) {
        d.set(
            Part::Key(key.into()),
            Decision {
                resolution: Resolution::Take(side),
                reason: Reason::Prefer,
            },
        );
    }

    #[test]
    fn mirrors_are_found_on_a_side() {
        let a = arts(UP, ST);
        let found: Vec<String> = detect(&a.upstream)
            .iter()
            .map(|m| format!("{}={}", m.field(), m.source))
            .collect();
        assert_eq!(
            found,
            [
                "schema.name=title",
                "schema.description=description",
                "schema.image.url=heroImage"
            ]
        );
        let conf = configured(
            &a.upstream,
            &[
                ("schema.image.url".into(), "heroImage".into()),
                ("nope.x".into(), "title".into()),
            ],
        );
        assert_eq!(conf.len(), 1);
        assert_eq!(conf[0].path, "image.url");
    }

    #[test]
    fn settling_on_the_result_read_once_is_settling() {
        let a = arts(UP, ST);
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&a, &crate::decide::rules::RuleSet::defaults(), true);
        let ao = ArticleOptions::default();
        let report = DerivedOptions::default();
        let sync = DerivedOptions {
            sync: true,
            ..DerivedOptions::default()
        };
        let mut broken = Decisions::default();
        take(&mut broken, "title", Side::Stashed);
        take(&mut broken, "schema", Side::Upstream);
        let mut kept = Decisions::default();
        take(&mut kept, "title", Side::Upstream);
        take(&mut kept, "schema", Side::Upstream);
        for (d, opts, finds) in [
            (&broken, &report, true),
            (&broken, &sync, true),
            (&kept, &report, false),
        ] {
            let mut settled = d.clone();
            settle(&a, &cmp, &mut settled, opts, &ao, &markers(), &fm);
            let text = result_to_check(&a, &cmp, d, opts, &markers(), &fm).unwrap();
            assert_eq!(text, render::render(&a, &cmp, d, &markers(), &fm));
            let read = article::parse(&text, &ao).unwrap();
            let mut once = d.clone();
            let found = settle_read(&a, &cmp, &mut once, opts, &ao, &markers(), &fm, Some(&read));
            assert_eq!(found, finds);
            assert_eq!(once, settled);
            assert_eq!(found, once != *d);
        }
    }

    #[test]
    fn a_mixed_resolution_is_reported_and_synced_in_place() {
        let a = arts(UP, ST);
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&a, &crate::decide::rules::RuleSet::defaults(), true);
        let mut d = Decisions::default();
        take(&mut d, "title", Side::Stashed);
        take(&mut d, "schema", Side::Upstream);
        let opts = DerivedOptions::default();
        let ao = ArticleOptions::default();
        let mut report = d.clone();
        settle(&a, &cmp, &mut report, &opts, &ao, &markers(), &fm);
        let notes: Vec<String> = report
            .notes()
            .map(|(_, t)| t.named(crate::conflict::sides::SideNames::STASH))
            .collect();
        assert_eq!(
            notes,
            ["schema.name no longer matches title (\"Old\" ≠ \"New \"one\"\"); --sync-derived updates it in place"]
        );
        assert_eq!(
            report.get(&Part::Key("schema".into())),
            d.get(&Part::Key("schema".into()))
        );
        let sync = DerivedOptions {
            sync: true,
            ..DerivedOptions::default()
        };
        settle(&a, &cmp, &mut d, &sync, &ao, &markers(), &fm);
        let out = render::render(&a, &cmp, &d, &markers(), &fm);
        assert_eq!(
            out,
            "---\ntitle: \"New \\\"one\\\"\"\ndescription: D\nheroImage: /a.jpg\nschema: {\"@type\":\"HowTo\",\"name\":\"New \\\"one\\\"\",\"description\":\"D\",\"image\":{\"url\":\"/a.jpg\"},\"n\":1}\n---\nbody\n"
        );
        assert_eq!(
            d.get(&Part::Key("schema".into()))
                .unwrap()
                .reason
                .named(crate::conflict::sides::SideNames::STASH),
            "synced: schema from upstream, name ← title"
        );
        assert!(find(&a, &cmp, &d, &sync, &ao, &markers(), &fm).is_empty());
    }

    #[test]
    fn one_side_everywhere_breaks_nothing() {
        let a = arts(UP, ST);
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&a, &crate::decide::rules::RuleSet::defaults(), true);
        let mut d = Decisions::default();
        take(&mut d, "title", Side::Stashed);
        take(&mut d, "schema", Side::Stashed);
        assert!(find(
            &a,
            &cmp,
            &d,
            &DerivedOptions::default(),
            &ArticleOptions::default(),
            &markers(),
            &fm
        )
        .is_empty());
    }

    #[test]
    fn check_reports_what_the_committed_version_kept_equal() {
        let ao = ArticleOptions::default();
        let now = "---\ntitle: New\nschema:\n  name: Old\n  x: 1\n---\n";
        let head = "---\ntitle: Old\nschema:\n  name: Old\n  x: 1\n---\n";
        let got = check_text(now, Some(head), &[], &ao);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].line, got[0].column, got[0].was_equal), (4, 9, true));
        assert!(check_text(now, None, &[], &ao).is_empty());
        let conf = [("schema.name".to_string(), "title".to_string())];
        let got = check_text(now, None, &conf, &ao);
        assert_eq!((got.len(), got[0].was_equal), (1, false));
        assert!(check_text(head, None, &conf, &ao).is_empty());
    }

    /// `title` from the stash, `extra` from upstream, mirrors synced: the result.
    fn synced_title_with_upstreams_extra(up: &str, st: &str) -> String {
        let a = arts(up, st);
        let (fm, cmp) =
            crate::pipeline::prepare::parts(&a, &crate::decide::rules::RuleSet::defaults(), true);
        let mut d = Decisions::default();
        take(&mut d, "title", Side::Stashed);
        take(&mut d, "extra", Side::Upstream);
        let sync = DerivedOptions {
            sync: true,
            ..DerivedOptions::default()
        };
        let ao = ArticleOptions::default();
        settle(&a, &cmp, &mut d, &sync, &ao, &markers(), &fm);
        render::render(&a, &cmp, &d, &markers(), &fm)
    }

    #[test]
    fn mirrors_inside_toml_tables_are_synced_in_place() {
        let up = "+++\ntitle = \"Old\"\ndraft = true\n[extra]\nog_title = 'Old'  # social\nn = 1\n+++\nbody\n";
        let st = "+++\ntitle = \"New 'one'\"\ndraft = true\n[extra]\nog_title = \"New 'one'\"  # social\nn = 2\n+++\nbody\n";
        let found: Vec<String> = detect(&arts(up, st).upstream)
            .iter()
            .map(Mirror::field)
            .collect();
        assert_eq!(found, ["extra.og_title"]);
        // A quote does not fit in a TOML literal string: a basic string then.
        assert_eq!(
            synced_title_with_upstreams_extra(up, st),
            "+++\ntitle = \"New 'one'\"\ndraft = true\n[extra]\nog_title = \"New 'one'\"  # social\nn = 1\n+++\nbody\n"
        );
        let now = "+++\ntitle = \"New\"\n[extra]\nseo = { og_title = 'Old', n = 1 }\n+++\n";
        let head = "+++\ntitle = \"Old\"\n[extra]\nseo = { og_title = 'Old', n = 1 }\n+++\n";
        let got = check_text(now, Some(head), &[], &ArticleOptions::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].line, got[0].column), (4, 20));
        assert_eq!(got[0].mismatch.mirror.field(), "extra.seo.og_title");
    }

    #[test]
    fn mirrors_inside_json_objects_are_synced_in_place() {
        let up = "{\n  \"title\": \"Old\",\n  \"extra\": {\n    \"og\": {\"title\": \"Old\"},\n    \"n\": 1\n  }\n}\nbody\n";
        let st = "{\n  \"title\": \"New\",\n  \"extra\": {\n    \"og\": {\"title\": \"New\"},\n    \"n\": 2\n  }\n}\nbody\n";
        assert_eq!(
            synced_title_with_upstreams_extra(up, st),
            "{\n  \"title\": \"New\",\n  \"extra\": {\n    \"og\": {\"title\": \"New\"},\n    \"n\": 1\n  }\n}\nbody\n"
        );
    }
}
