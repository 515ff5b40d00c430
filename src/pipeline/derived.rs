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
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

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

/// Mirrors by field, each field with the keys it may mirror: it holds when
/// it equals one of them. The keys holding one value on a side are one
/// list, shared by every field holding that value. A record for each field
/// and key would grow with the square of the article: `n` keys `kI: x` and
/// `n` values `schema.mI: x` are `n` × `n` pairs, gigabytes for a 60 KB
/// file; fields and lists grow with it.
#[derive(Clone, Debug, Default)]
pub struct Mirrors {
    /// Lists of keys: those holding one value on one side, or one
    /// configured key.
    lists: Vec<Vec<String>>,
    /// Each field (container, path), in the order first found, with its
    /// lists in order.
    fields: IndexMap<(String, String), Vec<usize>>,
}

impl Mirrors {
    /// Adds a list of keys; its index.
    fn list(&mut self, keys: Vec<String>) -> usize {
        self.lists.push(keys);
        self.lists.len() - 1
    }

    /// The field `container.path` mirrors the keys of list `list`.
    fn add(&mut self, container: &str, path: &str, list: usize) {
        self.fields
            .entry((container.to_owned(), path.to_owned()))
            .or_default()
            .push(list);
    }

    /// `other`'s mirrors after these (its lists after these lists).
    fn extend(&mut self, other: Mirrors) {
        let base = self.lists.len();
        self.lists.extend(other.lists);
        for (field, lists) in other.fields {
            self.fields
                .entry(field)
                .or_default()
                .extend(lists.into_iter().map(|l| base + l));
        }
    }

    /// True when there is no mirror.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The records held: fields, their lists, and the keys in the lists.
    #[cfg(test)]
    fn size(&self) -> usize {
        self.fields.values().map(|l| 1 + l.len()).sum::<usize>()
            + self.lists.iter().map(Vec::len).sum::<usize>()
    }

    /// Each field and key it mirrors, once, in order (as many as fields
    /// times keys: for tests).
    #[cfg(test)]
    fn pairs(&self) -> Vec<Mirror> {
        let all = self.fields.iter().flat_map(|((container, path), lists)| {
            lists
                .iter()
                .flat_map(|&l| &self.lists[l])
                .map(|source| Mirror {
                    container: container.clone(),
                    path: path.clone(),
                    source: source.clone(),
                })
        });
        all.collect::<indexmap::IndexSet<_>>().into_iter().collect()
    }
}

/// The mirrors that hold in `a`: each string inside a mapping key that
/// equals another key's string value.
pub fn detect(a: &Article<'_>) -> Mirrors {
    // The keys of each string value, in key order: looked up by value.
    let mut sources: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in a.entries() {
        if let Some(v) = e.value.as_str().filter(|v| !v.trim().is_empty()) {
            sources.entry(v).or_default().push(&e.key);
        }
    }
    let mut out = Mirrors::default();
    // The list of each value mirrored, made once. A mapping's key is not in
    // any (its value is no string): no field mirrors its own container.
    let mut lists: HashMap<&str, usize> = HashMap::new();
    for e in a.entries().filter(|e| e.value.is_mapping()) {
        for (path, v) in e.value.string_leaves() {
            let Some(keys) = sources.get(v) else {
                continue;
            };
            let list = *lists
                .entry(v)
                .or_insert_with(|| out.list(keys.iter().map(|k| (*k).to_owned()).collect()));
            out.add(&e.key, &path, list);
        }
    }
    out
}

/// The configured mirrors, read against `a`'s keys (the longest key that
/// starts the field is the container: `ms.meta.title` in a key `ms.meta`).
pub fn configured(a: &Article<'_>, list: &[(String, String)]) -> Mirrors {
    let mut out = Mirrors::default();
    for (field, source) in list {
        // Looked up at each dot from the right, not matched against each key.
        let container = field
            .rmatch_indices('.')
            .map(|(i, _)| i)
            .find(|&i| i + 1 < field.len() && a.entry(&field[..i]).is_some());
        if let Some(i) = container {
            let l = out.list(vec![source.clone()]);
            out.add(&field[..i], &field[i + 1..], l);
        }
    }
    out
}

/// The mirrors of `mirrors` that do not hold in `a`. A value that mirrors
/// several keys is fine when it equals one of them.
pub fn mismatches(a: &Article<'_>, mirrors: &Mirrors) -> Vec<Mismatch> {
    mismatches_in(a, mirrors)
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

/// [`mismatches`], each with the list its key was named in.
fn mismatches_in(a: &Article<'_>, mirrors: &Mirrors) -> Vec<(Mismatch, usize)> {
    /// A list read in `a`: its first key with a string value and that
    /// value, and the values of all its keys.
    type Read<'m> = (Option<(&'m str, &'m str)>, HashSet<&'m str>);
    // Each list is read once, however many fields share it.
    let mut read: Vec<Option<Read<'_>>> = mirrors.lists.iter().map(|_| None).collect();
    let mut out = Vec::new();
    for ((container, path), lists) in &mirrors.fields {
        let Some(found) = a
            .value(container)
            .and_then(|v| v.get_path(path))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let mut first = None;
        let mut holds = false;
        for &l in lists {
            let (key, values) = read[l].get_or_insert_with(|| {
                let valued = mirrors.lists[l]
                    .iter()
                    .filter_map(|k| Some((k.as_str(), a.value(k)?.as_str()?)));
                (valued.clone().next(), valued.map(|(_, v)| v).collect())
            });
            first = first.or(key.map(|k| (k, l)));
            holds |= values.contains(found);
        }
        let Some(((source, wanted), l)) = first.filter(|_| !holds) else {
            continue;
        };
        out.push((
            Mismatch {
                mirror: Mirror {
                    container: container.clone(),
                    path: path.clone(),
                    source: source.to_owned(),
                },
                found: found.to_owned(),
                wanted: wanted.to_owned(),
            },
            l,
        ));
    }
    out
}

/// The mirrors to keep in a resolution: those holding on either side, and
/// the configured ones.
fn mirrors_of(
    articles: &Sides<Article<'_>>,
    result: &Article<'_>,
    opts: &DerivedOptions,
) -> Mirrors {
    let mut all = detect(&articles.upstream);
    all.extend(detect(&articles.stashed));
    all.extend(configured(result, &opts.configured));
    all
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
    // The mismatches of each container, containers in the order first named.
    let mut containers: IndexMap<&str, Vec<&Mismatch>> = IndexMap::new();
    for m in found {
        containers.entry(&m.mirror.container).or_default().push(m);
    }
    for (container, group) in containers {
        let Some(entry) = result.entry(container) else {
            continue;
        };
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
    let mut all = head
        .and_then(|h| article::parse(h, article_opts).ok())
        .map(|h| detect(&h))
        .unwrap_or_default();
    // The lists that held come first: a mismatch names a key of theirs
    // when the field mirrored one there.
    let held = all.lists.len();
    all.extend(configured(&a, configured_list));
    mismatches_in(&a, &all)
        .into_iter()
        .map(|(m, list)| {
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
            let was_equal = list < held;
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
            .pairs()
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
        let conf = conf.pairs();
        assert_eq!(conf.len(), 1);
        assert_eq!(conf[0].path, "image.url");
    }

    /// `n` keys `kI: {keys}` and `n` values `schema.mI: x`.
    fn one_value_everywhere(n: usize, keys: &str) -> String {
        let keys: String = (0..n).map(|i| format!("k{i}: {keys}\n")).collect();
        let inner: String = (0..n).map(|i| format!("  m{i}: x\n")).collect();
        format!("---\ntitle: T\n{keys}schema:\n{inner}---\nbody\n")
    }

    #[test]
    fn mirrors_of_one_value_under_many_keys_grow_with_the_article() {
        let n = 300;
        let text = one_value_everywhere(n, "x");
        let a = parse(&text, &ArticleOptions::default()).unwrap();
        let found = detect(&a);
        // n fields and n keys, not a record for each of the n × n pairs.
        assert!(found.size() <= 3 * n, "{} records", found.size());
        // A field still holds while it equals any of its keys, and names
        // the first key it no longer equals.
        let ao = ArticleOptions::default();
        let some = text.replacen("k0: x", "k0: y", 1);
        assert!(check_text(&some, Some(&text), &[], &ao).is_empty());
        let got = check_text(&one_value_everywhere(n, "y"), Some(&text), &[], &ao);
        assert_eq!(got.len(), n);
        assert!(got
            .iter()
            .all(|m| m.was_equal && m.mismatch.mirror.source == "k0" && m.mismatch.wanted == "y"));
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
            .pairs()
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
