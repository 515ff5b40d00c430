//! The generated articles of the engine properties: a small model of an
//! article (frontmatter tree with its layout, body paragraphs, related
//! links), a base built from a seed, random edits applied to it, and the
//! rendering of a model as YAML, TOML or JSON frontmatter.
//! Multi-line strings ([`Text`]) are in about a third of the bases: YAML
//! block scalars (`|`, `>`, chomping `+`/`-`, in mappings and as list
//! items), TOML `"""`/`'''` strings, JSON strings with `\n`.
//!
//! Every version is rendered from a model, so it is valid by construction;
//! the properties still parse each one back and compare it with the model
//! (a rendering bug is a harness bug, reported as such).

use std::fmt::Write as _;

/// The frontmatter format of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

/// How a string is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// YAML plain scalar (TOML and JSON write it double-quoted).
    Plain,
    Double,
    /// YAML `'…'`, TOML literal string (JSON writes it double-quoted).
    Single,
}

/// How a list is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStyle {
    /// On one line: `[a, b]`.
    Flow,
    /// One item a line (YAML `- a`, a multi-line TOML/JSON array).
    Block,
    /// TOML `[[key]]` sections when every item is a table (else `Block`).
    Tables,
}

/// How a mapping is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapStyle {
    /// YAML nested block, TOML `[table]`, JSON object over several lines.
    Block,
    /// YAML `{a: 1}`, TOML inline table, JSON object on one line.
    Inline,
    /// TOML dotted keys `a.b = 1` (YAML and JSON write it as `Block`).
    Dotted,
}

/// A frontmatter value with its layout.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Str(String, Quote),
    Int(i64),
    Bool(bool),
    /// `2025-01-02`: a TOML local date, a YAML plain scalar, a JSON string.
    Date(String),
    List(List),
    Map(Map),
    /// A multi-line string: a YAML block scalar, a TOML multi-line string.
    Text(Text),
}

/// How a multi-line string ends: YAML's chomping indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chomp {
    /// `|`: one line break after the last line.
    Clip,
    /// `|+`: the last line break and the empty lines after it.
    Keep,
    /// `|-`: no line break after the last line.
    Strip,
}

/// A multi-line string and how it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// Its lines: the first and the last not empty, the first not indented
    /// (YAML finds a block scalar's indentation on its first line).
    pub lines: Vec<String>,
    pub chomp: Chomp,
    /// Empty lines after the last line (`Keep` only).
    pub trail: usize,
    /// YAML folded `>` (lines joined by spaces), TOML literal `'''`; never in JSON.
    pub alt: bool,
}

impl Text {
    /// The string the format's parser reads.
    pub fn value(&self, format: Format) -> String {
        let mut s = String::new();
        let folded = format == Format::Yaml && self.alt;
        // A blank line between two lines is an empty string here.
        let mut empties = 0;
        let mut prev: Option<&str> = None;
        for l in &self.lines {
            if l.is_empty() {
                empties += 1;
                continue;
            }
            if let Some(p) = prev {
                // YAML folds a line break between two lines that do not start
                // with a space: a space, or the empty lines alone.
                let fold = folded && !p.starts_with(' ') && !l.starts_with(' ');
                if fold && empties == 0 {
                    s.push(' ');
                } else {
                    s.push_str(&"\n".repeat(empties + usize::from(!fold)));
                }
            }
            s.push_str(l);
            prev = Some(l);
            empties = 0;
        }
        match self.chomp {
            Chomp::Clip => s.push('\n'),
            Chomp::Keep => s.push_str(&"\n".repeat(1 + self.trail)),
            Chomp::Strip => {}
        }
        s
    }

    /// How it is written beyond its value (what a side changed when it differs).
    pub fn layout(&self, format: Format) -> String {
        match format {
            // Folded lines may join to the same value: the lines are layout too.
            Format::Yaml => format!(
                "text {} {:?} {:?} {}",
                if self.alt { '>' } else { '|' },
                self.chomp,
                self.lines,
                self.trail
            ),
            // Written from the value: only the delimiter is layout.
            Format::Toml => format!("text {}", if self.alt { "'''" } else { "\"\"\"" }),
            Format::Json => "text".to_owned(),
        }
    }

    /// Restores the invariants after an edit.
    fn normalize(&mut self, format: Format) {
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        while self.lines.first().is_some_and(|l| l.is_empty()) {
            self.lines.remove(0);
        }
        match self.lines.first_mut() {
            Some(first) => *first = first.trim_start().to_owned(),
            None => self.lines.push("alpha".to_owned()),
        }
        if self.chomp != Chomp::Keep {
            self.trail = 0;
        }
        self.trail = self.trail.min(2);
        if format == Format::Json {
            self.alt = false;
        }
    }

    /// One edit chosen by `op` with its new words from `n`: a line changed,
    /// a line put in, the last line taken out, a trailing empty line added or
    /// taken out, the chomping changed, YAML `|`/`>` or TOML `"""`/`'''` swapped.
    fn edit(&mut self, op: usize, n: usize, format: Format) {
        let len = self.lines.len();
        match op % 6 {
            2 if len >= 2 => {
                self.lines.pop();
            }
            1 => {
                let i = n % (len + 1);
                self.lines.insert(i, text_line(n, i == 0 || i == len));
            }
            3 => match self.chomp {
                Chomp::Keep if self.trail == 2 || (self.trail > 0 && n % 2 == 0) => self.trail -= 1,
                Chomp::Keep => self.trail += 1,
                _ => {
                    self.chomp = Chomp::Keep;
                    self.trail = 1;
                }
            },
            4 => {
                (self.chomp, self.trail) = match self.chomp {
                    Chomp::Clip => (Chomp::Strip, 0),
                    Chomp::Strip => (Chomp::Keep, n % 3),
                    Chomp::Keep => (Chomp::Clip, 0),
                }
            }
            5 if format != Format::Json => self.alt = !self.alt,
            _ => {
                let i = n % len;
                let mut new = text_line(n, i == 0 || i + 1 == len);
                if new == self.lines[i] {
                    new = format!("{new} x");
                }
                self.lines[i] = new;
            }
        }
        self.normalize(format);
    }
}

/// A line of a multi-line string: words, a `# note`, an indented line or an
/// empty one (not at an end: `end`).
fn text_line(n: usize, end: bool) -> String {
    match (n % 6, end) {
        (2, _) => format!("# note {}", word(n / 6)),
        (3, false) => format!("  {} {}", word(n / 6), word(n / 60)),
        (4, false) => String::new(),
        (5, _) => format!(
            "{} {} {}",
            capital(word(n / 6)),
            word(n / 60),
            word(n / 600)
        ),
        _ => format!("{} {}", word(n / 6), word(n / 60)),
    }
}

/// A multi-line string of 1–4 lines.
fn new_text(r: &mut Rng, format: Format) -> Text {
    let n = 1 + r.below(4);
    let lines = (0..n)
        .map(|i| text_line(r.below(6000), i == 0 || i + 1 == n))
        .collect();
    let chomp = [Chomp::Clip, Chomp::Clip, Chomp::Keep, Chomp::Strip][r.below(4)];
    let mut t = Text {
        lines,
        chomp,
        trail: r.below(3),
        alt: r.chance(25),
    };
    t.normalize(format);
    t
}

/// Holds a multi-line string at any depth.
fn holds_text(n: &Node) -> bool {
    match n {
        Node::Text(_) => true,
        Node::List(l) => l.items.iter().any(holds_text),
        Node::Map(m) => m.entries.iter().any(|e| holds_text(&e.node)),
        _ => false,
    }
}

/// A list and its style.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub items: Vec<Node>,
    pub style: ListStyle,
}

/// A mapping (entries in document order) and its style.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    pub entries: Vec<Entry>,
    pub style: MapStyle,
}

/// One key of a mapping, with the comment line written above it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub node: Node,
    pub comment: Option<String>,
}

/// A whole article.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub format: Format,
    pub fm: Map,
    pub paragraphs: Vec<String>,
    /// `None`: no related-links section.
    pub links: Option<Vec<(String, String)>>,
}

const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "kappa", "sigma", "omega", "zeta", "lambda", "theta",
];
/// Keys a side may add at the top.
const TOP_KEYS: &[&str] = &[
    "summary", "slug", "series", "lang", "layout", "image", "weight", "draft", "banner",
];
/// Keys a side may add inside a mapping.
const INNER_KEYS: &[&str] = &["theme", "color", "size", "mode", "note", "level", "role"];
/// Lists that the engine merges as sets by default (by their key).
pub const SET_KEYS: &[&str] = &["tags", "categories", "keywords", "aliases", "taxonomies"];

/// splitmix64: the base article from one seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn word(i: usize) -> &'static str {
    WORDS[i % WORDS.len()]
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// `Alpha beta`: a two-word string from two numbers.
fn phrase(a: usize, b: usize) -> String {
    format!("{} {}", capital(word(a)), word(b))
}

fn quote_for(format: Format, i: usize) -> Quote {
    match format {
        Format::Yaml => [Quote::Plain, Quote::Double, Quote::Single][i % 3],
        Format::Toml => [Quote::Double, Quote::Single][i % 2],
        Format::Json => Quote::Double,
    }
}

fn entry(key: &str, node: Node) -> Entry {
    Entry {
        key: key.to_owned(),
        node,
        comment: None,
    }
}

fn list_style(format: Format, r: &mut Rng) -> ListStyle {
    let _ = format;
    if r.chance(50) {
        ListStyle::Flow
    } else {
        ListStyle::Block
    }
}

fn map_style(format: Format, r: &mut Rng) -> MapStyle {
    match (format, r.below(3)) {
        (_, 0) => MapStyle::Inline,
        (Format::Toml, 1) => MapStyle::Dotted,
        _ => MapStyle::Block,
    }
}

fn words_list(r: &mut Rng, n: usize) -> Vec<Node> {
    let start = r.below(WORDS.len());
    (0..n)
        .map(|i| Node::Str(word(start + i).to_owned(), Quote::Plain))
        .collect()
}

/// The base article of a case.
pub fn base_article(format: Format, seed: u64) -> Article {
    let r = &mut Rng::new(seed);
    let q = |r: &mut Rng| quote_for(format, r.below(6));
    let mut top = vec![entry(
        "title",
        Node::Str(phrase(r.below(10), r.below(10)), q(r)),
    )];
    let mut optional: Vec<Entry> = Vec::new();
    if r.chance(60) {
        optional.push(entry(
            "date",
            Node::Date(format!("2025-01-0{}", 1 + r.below(9))),
        ));
    }
    if r.chance(50) {
        optional.push(entry("draft", Node::Bool(r.chance(50))));
    }
    if r.chance(40) {
        optional.push(entry("weight", Node::Int(1 + r.below(9) as i64)));
    }
    if r.chance(50) {
        optional.push(entry(
            "description",
            Node::Str(phrase(r.below(10), r.below(10)), q(r)),
        ));
    }
    if r.chance(70) {
        let n = 2 + r.below(3);
        let mut items = words_list(r, n);
        for it in &mut items {
            if let Node::Str(_, quote) = it {
                *quote = q(r);
            }
        }
        optional.push(entry(
            "tags",
            Node::List(List {
                items,
                style: list_style(format, r),
            }),
        ));
    }
    if r.chance(30) {
        let n = 1 + r.below(3);
        optional.push(entry(
            "categories",
            Node::List(List {
                items: words_list(r, n),
                style: list_style(format, r),
            }),
        ));
    }
    if r.chance(50) {
        let names = ["prep", "mix", "bake", "rest", "serve", "cool"];
        let n = 3 + r.below(2);
        let start = r.below(2);
        let items = names[start..start + n]
            .iter()
            .map(|s| Node::Str((*s).to_owned(), q(r)))
            .collect();
        optional.push(entry(
            "steps",
            Node::List(List {
                items,
                style: list_style(format, r),
            }),
        ));
    }
    if r.chance(30) {
        let items = [1, 1, 2].iter().map(|&n| Node::Int(n)).collect();
        optional.push(entry(
            "scores",
            Node::List(List {
                items,
                style: ListStyle::Flow,
            }),
        ));
    }
    if r.chance(25) {
        let row = |a: i64, b: i64| {
            Node::List(List {
                items: vec![Node::Int(a), Node::Int(b)],
                style: ListStyle::Flow,
            })
        };
        optional.push(entry(
            "matrix",
            Node::List(List {
                items: vec![row(1, 2), row(3, 4)],
                style: if r.chance(50) {
                    ListStyle::Flow
                } else {
                    ListStyle::Block
                },
            }),
        ));
    }
    if r.chance(50) {
        let person = |r: &mut Rng, name: &str| {
            Node::Map(Map {
                entries: vec![
                    entry("name", Node::Str(name.to_owned(), Quote::Double)),
                    entry(
                        "email",
                        Node::Str(word(r.below(10)).to_owned(), Quote::Double),
                    ),
                ],
                style: MapStyle::Inline,
            })
        };
        let mut items = vec![person(r, "Alice"), person(r, "Bob")];
        if r.chance(40) {
            items.push(person(r, "Carol"));
        }
        let style = match (format, r.below(3)) {
            (Format::Toml, 0) => ListStyle::Tables,
            (_, 1) => ListStyle::Flow,
            _ => ListStyle::Block,
        };
        if style != ListStyle::Flow && format == Format::Yaml && r.chance(50) {
            for it in &mut items {
                if let Node::Map(m) = it {
                    m.style = MapStyle::Block;
                }
            }
        }
        optional.push(entry("authors", Node::List(List { items, style })));
    }
    if r.chance(60) {
        let mut entries = vec![
            entry("author", Node::Str(phrase(r.below(10), r.below(10)), q(r))),
            entry("toc", Node::Bool(r.chance(50))),
        ];
        if r.chance(50) {
            entries.push(entry("level", Node::Int(1 + r.below(5) as i64)));
        }
        if r.chance(40) {
            entries.push(entry(
                "social",
                Node::Map(Map {
                    entries: vec![
                        entry("site", Node::Str(word(r.below(10)).to_owned(), q(r))),
                        entry("handle", Node::Str(word(r.below(10)).to_owned(), q(r))),
                    ],
                    style: map_style(format, r),
                }),
            ));
        }
        optional.push(entry(
            "params",
            Node::Map(Map {
                entries,
                style: map_style(format, r),
            }),
        ));
    }
    if r.chance(35) {
        let res = |n: &str, r: &mut Rng| {
            Node::Map(Map {
                entries: vec![
                    entry("name", Node::Str(n.to_owned(), q(r))),
                    entry("src", Node::Str(format!("{n}.png"), q(r))),
                ],
                style: MapStyle::Block,
            })
        };
        let items = vec![res("a", r), res("b", r)];
        optional.push(entry(
            "resources",
            Node::List(List {
                items,
                style: if format == Format::Toml {
                    ListStyle::Tables
                } else {
                    ListStyle::Block
                },
            }),
        ));
    }
    // A few swaps: not every article has its keys in the template's order.
    for _ in 0..r.below(3) {
        if optional.len() >= 2 {
            let a = r.below(optional.len());
            let b = r.below(optional.len());
            optional.swap(a, b);
        }
    }
    top.extend(optional);
    if format != Format::Json {
        for e in &mut top {
            if r.chance(12) {
                e.comment = Some(format!("about {}", word(r.below(10))));
            }
        }
    }
    let paragraphs = (0..2 + r.below(4))
        .map(|i| format!("Paragraph {i} is about {}.", word(r.below(10))))
        .collect();
    let links = r.chance(60).then(|| {
        (0..1 + r.below(4))
            .map(|i| (capital(word(i + 3)), format!("/{}/", word(i + 3))))
            .collect()
    });
    add_texts(
        format,
        &mut Rng::new(seed ^ 0xB10C_5CA1_A12E_0001),
        &mut top,
    );
    Article {
        format,
        fm: Map {
            entries: top,
            style: MapStyle::Block,
        },
        paragraphs,
        links,
    }
}

/// Multi-line strings in about a third of the bases, drawn from their own
/// generator so that the rest of each seed's base stays as it was: the
/// description, a list of notes, a string in `params` and in a resource.
/// Never inside a flow list or an inline table (YAML cannot write one there).
fn add_texts(format: Format, t: &mut Rng, top: &mut Vec<Entry>) {
    for e in top.iter_mut() {
        match &mut e.node {
            Node::Str(..) if e.key == "description" && t.chance(25) => {
                e.node = Node::Text(new_text(t, format));
            }
            Node::Map(m) if e.key == "params" && m.style != MapStyle::Inline && t.chance(20) => {
                let at = t.below(m.entries.len() + 1);
                m.entries
                    .insert(at, entry("bio", Node::Text(new_text(t, format))));
            }
            Node::List(l) if e.key == "resources" && t.chance(20) => {
                let i = t.below(l.items.len());
                if let Node::Map(m) = &mut l.items[i] {
                    m.entries
                        .push(entry("caption", Node::Text(new_text(t, format))));
                }
            }
            _ => {}
        }
    }
    if t.chance(10) {
        let mut items: Vec<Node> = (0..1 + t.below(2))
            .map(|_| Node::Text(new_text(t, format)))
            .collect();
        if t.chance(30) {
            items.push(Node::Str(phrase(t.below(10), t.below(10)), Quote::Double));
        }
        let at = 1 + t.below(top.len());
        top.insert(
            at,
            entry(
                "notes",
                Node::List(List {
                    items,
                    style: ListStyle::Block,
                }),
            ),
        );
    }
}

/// One random edit: a kind and three numbers that pick its target and its
/// new value among what the article has when it is applied.
#[derive(Clone, Copy, Debug)]
pub struct Edit {
    pub kind: u8,
    pub a: u16,
    pub b: u16,
    pub c: u16,
}

/// The number of edit kinds.
pub const KINDS: u8 = 21;

/// A step of a path from the frontmatter's root mapping.
#[derive(Clone, Copy, Debug)]
enum Step {
    Key(usize),
    Item(usize),
}

/// What a walk found: the path of a node and facts about its place.
struct Found {
    path: Vec<Step>,
    /// A comment line may be written above it (an entry of a block context).
    commentable: bool,
    /// Inside a list whose key is a set default.
    in_set: bool,
    /// Inside a list.
    in_list: bool,
}

fn walk(node: &Node, path: &mut Vec<Step>, ctx: (bool, bool, bool), out: &mut Vec<Found>) {
    let (block, in_set, in_list) = ctx;
    match node {
        Node::Map(m) => {
            let inner_block = block && m.style != MapStyle::Inline;
            for (i, e) in m.entries.iter().enumerate() {
                path.push(Step::Key(i));
                out.push(Found {
                    path: path.clone(),
                    commentable: inner_block,
                    in_set,
                    in_list,
                });
                let set = SET_KEYS.contains(&e.key.as_str());
                walk(&e.node, path, (inner_block, set, in_list), out);
                path.pop();
            }
        }
        Node::List(l) => {
            for (i, it) in l.items.iter().enumerate() {
                path.push(Step::Item(i));
                out.push(Found {
                    path: path.clone(),
                    commentable: false,
                    in_set,
                    in_list: true,
                });
                // Comments inside list items are not written (see the renderers).
                walk(it, path, (false, false, true), out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(node: &'a Node, path: &[Step]) -> &'a Node {
    path.iter().fold(node, |n, s| match (n, s) {
        (Node::Map(m), Step::Key(i)) => &m.entries[*i].node,
        (Node::List(l), Step::Item(i)) => &l.items[*i],
        _ => unreachable!("paths come from a walk"),
    })
}

fn at_mut<'a>(node: &'a mut Node, path: &[Step]) -> &'a mut Node {
    let mut n = node;
    for s in path {
        n = match (n, s) {
            (Node::Map(m), Step::Key(i)) => &mut m.entries[*i].node,
            (Node::List(l), Step::Item(i)) => &mut l.items[*i],
            _ => unreachable!("paths come from a walk"),
        };
    }
    n
}

/// The entry a `Key` path ends at.
fn entry_mut<'a>(root: &'a mut Node, path: &[Step]) -> &'a mut Entry {
    let (last, parent) = path.split_last().expect("an entry path");
    match (at_mut(root, parent), last) {
        (Node::Map(m), Step::Key(i)) => &mut m.entries[*i],
        _ => unreachable!("an entry path ends at a key"),
    }
}

fn is_scalar(n: &Node) -> bool {
    !matches!(n, Node::List(_) | Node::Map(_))
}

fn pick<T>(v: &[T], n: u16) -> Option<&T> {
    (!v.is_empty()).then(|| &v[n as usize % v.len()])
}

/// A new value like `old` (same kind), chosen by `n`.
fn new_scalar(old: &Node, n: usize, format: Format) -> Node {
    match old {
        Node::Str(s, q) => {
            let mut new = if s.contains(' ') {
                phrase(n, n / 10)
            } else {
                word(n).to_owned()
            };
            if new == *s {
                new = format!("{new}x");
            }
            Node::Str(new, *q)
        }
        Node::Int(i) => Node::Int(if (n % 9 + 1) as i64 == *i {
            *i + 10
        } else {
            (n % 9 + 1) as i64
        }),
        Node::Bool(b) => Node::Bool(!b),
        Node::Date(d) => {
            let new = format!("2025-0{}-1{}", 1 + n % 9, n % 10);
            Node::Date(if new == *d {
                "2025-12-31".to_owned()
            } else {
                new
            })
        }
        Node::Text(t) => {
            let mut t = t.clone();
            t.edit(n, n / 6, format);
            Node::Text(t)
        }
        _ => Node::Str(word(n).to_owned(), quote_for(format, n)),
    }
}

/// A new item for a list, like its items.
fn new_item(l: &List, n: usize, format: Format) -> Node {
    match l.items.first() {
        Some(Node::Map(m)) => Node::Map(Map {
            entries: m
                .entries
                .iter()
                .map(|e| entry(&e.key, new_scalar(&e.node, n + e.key.len(), format)))
                .collect(),
            style: m.style,
        }),
        Some(Node::List(row)) => Node::List(List {
            items: (0..row.items.len().max(1))
                .map(|i| Node::Int(((n + i) % 9 + 1) as i64))
                .collect(),
            style: ListStyle::Flow,
        }),
        Some(Node::Int(_)) => Node::Int((n % 5 + 1) as i64),
        Some(Node::Text(_)) => Node::Text(new_text(&mut Rng::new(n as u64), format)),
        Some(first) => {
            // Set and ordered lists of strings keep their items distinct.
            let mut k = n;
            loop {
                let cand = match new_scalar(first, k, format) {
                    Node::Str(s, _) => s,
                    _ => word(k).to_owned(),
                };
                if !l
                    .items
                    .iter()
                    .any(|it| matches!(it, Node::Str(s, _) if *s == cand))
                {
                    return Node::Str(cand, quote_for(format, n));
                }
                k += 1;
                if k > n + 40 {
                    return Node::Str(format!("{cand}{n}"), Quote::Double);
                }
            }
        }
        None => Node::Str(word(n).to_owned(), quote_for(format, n)),
    }
}

impl Article {
    /// Applies one edit (an edit with no target in this article does nothing).
    pub fn apply(&mut self, e: Edit) {
        let format = self.format;
        let mut root = Node::Map(std::mem::replace(
            &mut self.fm,
            Map {
                entries: Vec::new(),
                style: MapStyle::Block,
            },
        ));
        let mut found = Vec::new();
        walk(&root, &mut Vec::new(), (true, false, false), &mut found);
        let (a, b, c) = (e.a, e.b as usize, e.c as usize);
        let maps: Vec<Vec<Step>> = std::iter::once(Vec::new())
            .chain(
                found
                    .iter()
                    .filter(|f| matches!(at(&root, &f.path), Node::Map(_)))
                    .map(|f| f.path.clone()),
            )
            .collect();
        let lists: Vec<&Found> = found
            .iter()
            .filter(|f| matches!(at(&root, &f.path), Node::List(_)))
            .collect();
        let entries: Vec<&Found> = found
            .iter()
            .filter(|f| matches!(f.path.last(), Some(Step::Key(_))))
            .collect();
        match e.kind % KINDS {
            // Scalar edits, the most common kind (top level and nested).
            0..=2 => {
                let scalars: Vec<&Found> = found
                    .iter()
                    .filter(|f| is_scalar(at(&root, &f.path)))
                    .collect();
                if let Some(f) = pick(&scalars, a) {
                    let in_set = f.in_set;
                    let path = f.path.clone();
                    let (_, parent) = path.split_last().unwrap();
                    let new = if in_set {
                        match at(&root, parent) {
                            Node::List(l) => new_item(l, b, format),
                            _ => unreachable!(),
                        }
                    } else {
                        new_scalar(at(&root, &path), b, format)
                    };
                    *at_mut(&mut root, &path) = new;
                }
            }
            // A scalar inside a mapping inside a list (authors, resources).
            3 => {
                let inner: Vec<&Found> = found
                    .iter()
                    .filter(|f| {
                        f.in_list
                            && matches!(f.path.last(), Some(Step::Key(_)))
                            && is_scalar(at(&root, &f.path))
                    })
                    .collect();
                if let Some(f) = pick(&inner, a) {
                    let path = f.path.clone();
                    let new = new_scalar(at(&root, &path), b, format);
                    *at_mut(&mut root, &path) = new;
                }
            }
            // A key added (at the top or inside a mapping).
            4 | 5 => {
                if let Some(path) = pick(&maps, a) {
                    let path = path.clone();
                    let Node::Map(m) = at_mut(&mut root, &path) else {
                        unreachable!()
                    };
                    let pool = if path.is_empty() {
                        TOP_KEYS
                    } else {
                        INNER_KEYS
                    };
                    let free: Vec<&&str> = pool
                        .iter()
                        .filter(|k| !m.entries.iter().any(|e| e.key == **k))
                        .collect();
                    // The key from `a` too: two sides aiming at one mapping add the same key.
                    if let Some(k) = pick(&free, a / 16) {
                        let value = match c % 4 {
                            0 => Node::Int((c % 7 + 1) as i64),
                            1 => Node::Bool(c % 8 < 4),
                            // At the top only: never inside an inline table.
                            3 if path.is_empty() && c % 8 == 7 => {
                                Node::Text(new_text(&mut Rng::new(c as u64), format))
                            }
                            _ => Node::Str(phrase(c, c / 3), quote_for(format, c / 5)),
                        };
                        let pos = b % (m.entries.len() + 1);
                        m.entries.insert(pos, entry(k, value));
                    }
                }
            }
            // A key removed.
            6 => {
                if let Some(f) = pick(&entries, a) {
                    let path = f.path.clone();
                    let (last, parent) = path.split_last().unwrap();
                    if let (Node::Map(m), Step::Key(i)) = (at_mut(&mut root, parent), last) {
                        m.entries.remove(*i);
                    }
                }
            }
            // A key moved (at the top or inside a mapping).
            7 | 8 => {
                let movable: Vec<&Vec<Step>> = maps
                    .iter()
                    .filter(|p| matches!(at(&root, p), Node::Map(m) if m.entries.len() >= 2))
                    .collect();
                if let Some(path) = pick(&movable, a) {
                    let path = (*path).clone();
                    let Node::Map(m) = at_mut(&mut root, &path) else {
                        unreachable!()
                    };
                    let n = m.entries.len();
                    let from = b % n;
                    let mut to = c % n;
                    if to == from {
                        to = (to + 1) % n;
                    }
                    let moved = m.entries.remove(from);
                    m.entries.insert(to, moved);
                }
            }
            // List edits: reorder, append, insert, remove.
            9..=12 => {
                if let Some(f) = pick(&lists, a) {
                    let path = f.path.clone();
                    let Node::List(l) = at_mut(&mut root, &path) else {
                        unreachable!()
                    };
                    let n = l.items.len();
                    match e.kind % KINDS {
                        9 if n >= 2 => {
                            let from = b % n;
                            let mut to = c % n;
                            if to == from {
                                to = (to + 1) % n;
                            }
                            let moved = l.items.remove(from);
                            l.items.insert(to, moved);
                        }
                        10 => {
                            let item = new_item(l, b, format);
                            l.items.push(item);
                        }
                        11 => {
                            let item = new_item(l, b, format);
                            l.items.insert(c % (n + 1), item);
                        }
                        12 if n >= 1 => {
                            l.items.remove(b % n);
                        }
                        _ => {}
                    }
                }
            }
            // A comment line added, changed or removed.
            13 if format != Format::Json => {
                let commentable: Vec<&&Found> = entries.iter().filter(|f| f.commentable).collect();
                if let Some(f) = pick(&commentable, a) {
                    let path = f.path.clone();
                    let en = entry_mut(&mut root, &path);
                    en.comment = match (&en.comment, b % 3) {
                        (Some(_), 0) => None,
                        _ => Some(format!("note {}", word(b))),
                    };
                }
            }
            // Quoting changed.
            14 if format != Format::Json => {
                let strings: Vec<&Found> = found
                    .iter()
                    .filter(|f| matches!(at(&root, &f.path), Node::Str(..)))
                    .collect();
                if let Some(f) = pick(&strings, a) {
                    let path = f.path.clone();
                    if let Node::Str(_, q) = at_mut(&mut root, &path) {
                        *q = match (format, *q) {
                            (Format::Yaml, Quote::Plain) => Quote::Double,
                            (Format::Yaml, Quote::Double) => Quote::Single,
                            (Format::Yaml, Quote::Single) => Quote::Plain,
                            (_, Quote::Single) => Quote::Double,
                            _ => Quote::Single,
                        };
                    }
                }
            }
            // A flow list written as a block list, or back; a table's style.
            15 => {
                if let Some(f) = pick(&lists, a) {
                    let path = f.path.clone();
                    if let Node::List(l) = at_mut(&mut root, &path) {
                        let tables = format == Format::Toml
                            && path.len() == 1
                            && !l.items.is_empty()
                            && l.items.iter().all(|i| matches!(i, Node::Map(_)));
                        let style = match l.style {
                            ListStyle::Flow => ListStyle::Block,
                            ListStyle::Block if tables => ListStyle::Tables,
                            _ => ListStyle::Flow,
                        };
                        // Multi-line strings stay out of flow lists (see `add_texts`).
                        if !(style == ListStyle::Flow && flow_bars_text(format, &l.items)) {
                            l.style = style;
                        }
                    }
                }
            }
            16 => {
                // Nested mappings outside lists only: items keep one style.
                let styled: Vec<&Vec<Step>> = maps
                    .iter()
                    .filter(|p| !p.is_empty() && !p.iter().any(|s| matches!(s, Step::Item(_))))
                    .collect();
                if let Some(path) = pick(&styled, a) {
                    let path = (*path).clone();
                    if let Node::Map(m) = at_mut(&mut root, &path) {
                        let style = match (format, m.style) {
                            (_, MapStyle::Inline) => MapStyle::Block,
                            (Format::Toml, MapStyle::Block) => MapStyle::Dotted,
                            _ => MapStyle::Inline,
                        };
                        let values: Vec<Node> = m.entries.iter().map(|e| e.node.clone()).collect();
                        if !(style == MapStyle::Inline && flow_bars_text(format, &values)) {
                            m.style = style;
                        }
                    }
                }
            }
            // Body paragraphs: edited, inserted, removed.
            17 => {
                let n = self.paragraphs.len();
                match b % 3 {
                    0 if n > 0 => {
                        let i = a as usize % n;
                        self.paragraphs[i] = format!("Paragraph {i} now tells of {}.", word(c));
                    }
                    1 => self.paragraphs.insert(
                        a as usize % (n + 1),
                        format!("A new paragraph on {}.", word(c)),
                    ),
                    _ if n > 0 => {
                        self.paragraphs.remove(a as usize % n);
                    }
                    _ => {}
                }
            }
            // Related links: added, removed, retitled, moved.
            18 | 19 => {
                let links = self.links.get_or_insert_with(Vec::new);
                let n = links.len();
                match b % 4 {
                    0 => {
                        let url = format!("/{}-{}/", word(c), c % 3);
                        if !links.iter().any(|(_, u)| *u == url) {
                            links.insert(a as usize % (n + 1), (capital(word(c)), url));
                        }
                    }
                    1 if n > 0 => {
                        links.remove(a as usize % n);
                    }
                    2 if n > 0 => {
                        links[a as usize % n].0 = format!("{} retold", capital(word(c)));
                    }
                    3 if n >= 2 => {
                        let moved = links.remove(a as usize % n);
                        links.insert(c % n, moved);
                    }
                    _ => {}
                }
            }
            // A multi-line string edited (see `Text::edit`).
            20 => {
                let texts: Vec<&Found> = found
                    .iter()
                    .filter(|f| matches!(at(&root, &f.path), Node::Text(_)))
                    .collect();
                if let Some(f) = pick(&texts, a) {
                    let path = f.path.clone();
                    if let Node::Text(t) = at_mut(&mut root, &path) {
                        t.edit(b, c, format);
                    }
                }
            }
            _ => {}
        }
        let Node::Map(fm) = root else { unreachable!() };
        self.fm = fm;
    }

    /// Holds a multi-line string somewhere in its frontmatter.
    pub fn has_text(&self) -> bool {
        self.fm.entries.iter().any(|e| holds_text(&e.node))
    }

    /// Its multi-line strings in document order (to tell which sides changed one).
    pub fn texts(&self) -> Vec<&Text> {
        fn collect<'a>(n: &'a Node, out: &mut Vec<&'a Text>) {
            match n {
                Node::Text(t) => out.push(t),
                Node::List(l) => l.items.iter().for_each(|i| collect(i, out)),
                Node::Map(m) => m.entries.iter().for_each(|e| collect(&e.node, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        self.fm
            .entries
            .iter()
            .for_each(|e| collect(&e.node, &mut out));
        out
    }

    /// The article's text.
    pub fn render(&self) -> String {
        let mut s = match self.format {
            Format::Yaml => {
                let mut s = "---\n".to_owned();
                yaml_entries(&mut s, 0, &self.fm.entries);
                s + "---\n"
            }
            Format::Toml => {
                let mut s = "+++\n".to_owned();
                toml_table(&mut s, &[], &self.fm);
                s + "+++\n"
            }
            Format::Json => {
                let mut s = String::new();
                json_value(&mut s, 0, &Node::Map(self.fm.clone()), false);
                s + "\n"
            }
        };
        s.push('\n');
        let paras: Vec<String> = self.paragraphs.iter().map(|p| format!("{p}\n")).collect();
        s.push_str(&paras.join("\n"));
        if let Some(links) = &self.links {
            s.push_str("\n## Related\n\n");
            for (t, u) in links {
                let _ = writeln!(s, "- [{t}]({u})");
            }
        }
        s
    }
}

/// A flow list or inline table may not hold these values: a multi-line
/// string is written in block style (JSON writes every string on one line).
fn flow_bars_text(format: Format, values: &[Node]) -> bool {
    format != Format::Json && values.iter().any(holds_text)
}

/// A one-line double-quoted string with `\n` escapes (YAML and JSON alike).
fn escaped(s: &str) -> String {
    format!("\"{}\"", s.replace('\n', "\\n"))
}

/// A YAML block scalar's header (`|`, `>-`, `|+`, …).
fn yaml_header(t: &Text) -> String {
    let style = if t.alt { '>' } else { '|' };
    match t.chomp {
        Chomp::Clip => style.to_string(),
        Chomp::Keep => format!("{style}+"),
        Chomp::Strip => format!("{style}-"),
    }
}

/// A YAML block scalar's lines at `indent` (empty lines left empty).
fn yaml_text(out: &mut String, indent: usize, t: &Text) {
    let pad = " ".repeat(indent);
    for l in &t.lines {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{l}");
        }
    }
    out.push_str(&"\n".repeat(t.trail));
}

/// A TOML multi-line string: the newline after the opening delimiter is
/// not part of it; the words need no escapes.
fn toml_text(t: &Text) -> String {
    let d = if t.alt { "'''" } else { "\"\"\"" };
    format!("{d}\n{}{d}", t.value(Format::Toml))
}

fn yaml_scalar(n: &Node) -> String {
    match n {
        // Only in flow context, which `add_texts` and the edits keep it out of.
        Node::Text(t) => escaped(&t.value(Format::Yaml)),
        Node::Str(s, Quote::Plain) => s.clone(),
        Node::Str(s, Quote::Double) => format!("\"{s}\""),
        Node::Str(s, Quote::Single) => format!("'{s}'"),
        Node::Int(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Date(d) => d.clone(),
        Node::List(l) => {
            let items: Vec<String> = l.items.iter().map(yaml_scalar).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(m) => {
            let items: Vec<String> = m
                .entries
                .iter()
                .map(|e| format!("{}: {}", e.key, yaml_scalar(&e.node)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn yaml_entries(out: &mut String, indent: usize, entries: &[Entry]) {
    let pad = " ".repeat(indent);
    for e in entries {
        if let Some(c) = &e.comment {
            let _ = writeln!(out, "{pad}# {c}");
        }
        match &e.node {
            Node::List(l) if l.style != ListStyle::Flow && !l.items.is_empty() => {
                let _ = writeln!(out, "{pad}{}:", e.key);
                for it in &l.items {
                    yaml_item(out, indent + 2, it);
                }
            }
            Node::Map(m) if m.style != MapStyle::Inline && !m.entries.is_empty() => {
                let _ = writeln!(out, "{pad}{}:", e.key);
                yaml_entries(out, indent + 2, &m.entries);
            }
            Node::Text(t) => {
                let _ = writeln!(out, "{pad}{}: {}", e.key, yaml_header(t));
                yaml_text(out, indent + 2, t);
            }
            n => {
                let _ = writeln!(out, "{pad}{}: {}", e.key, yaml_scalar(n));
            }
        }
    }
}

fn yaml_item(out: &mut String, indent: usize, item: &Node) {
    let pad = " ".repeat(indent);
    match item {
        Node::Map(m)
            if m.style != MapStyle::Inline
                && !m.entries.is_empty()
                && m.entries.iter().all(|e| is_scalar(&e.node)) =>
        {
            for (i, e) in m.entries.iter().enumerate() {
                let lead = if i == 0 {
                    format!("{pad}- ")
                } else {
                    format!("{pad}  ")
                };
                if let Node::Text(t) = &e.node {
                    let _ = writeln!(out, "{lead}{}: {}", e.key, yaml_header(t));
                    yaml_text(out, indent + 4, t);
                } else {
                    let _ = writeln!(out, "{lead}{}: {}", e.key, yaml_scalar(&e.node));
                }
            }
        }
        Node::Text(t) => {
            let _ = writeln!(out, "{pad}- {}", yaml_header(t));
            yaml_text(out, indent + 2, t);
        }
        n => {
            let _ = writeln!(out, "{pad}- {}", yaml_scalar(n));
        }
    }
}

fn toml_inline(n: &Node) -> String {
    match n {
        // Valid in any context, also inside an array.
        Node::Text(t) => toml_text(t),
        Node::Str(s, Quote::Single) => format!("'{s}'"),
        Node::Str(s, _) => format!("\"{s}\""),
        Node::Int(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Date(d) => d.clone(),
        Node::List(l) => {
            let items: Vec<String> = l.items.iter().map(toml_inline).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(m) if m.entries.is_empty() => "{}".to_owned(),
        Node::Map(m) => {
            let items: Vec<String> = m
                .entries
                .iter()
                .map(|e| format!("{} = {}", e.key, toml_inline(&e.node)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

/// Written as a `[table]` or `[[array of tables]]` section, after the plain keys.
fn toml_is_section(n: &Node) -> bool {
    match n {
        Node::Map(m) => m.style == MapStyle::Block,
        Node::List(l) => {
            l.style == ListStyle::Tables
                && !l.items.is_empty()
                && l.items.iter().all(|i| matches!(i, Node::Map(_)))
        }
        _ => false,
    }
}

fn toml_plain(out: &mut String, prefix: &str, e: &Entry) {
    if let Some(c) = &e.comment {
        let _ = writeln!(out, "# {c}");
    }
    match &e.node {
        Node::Map(m) if m.style == MapStyle::Dotted && !m.entries.is_empty() => {
            let prefix = format!("{prefix}{}.", e.key);
            for sub in &m.entries {
                toml_plain(out, &prefix, sub);
            }
        }
        Node::List(l) if l.style != ListStyle::Flow && !l.items.is_empty() => {
            let _ = writeln!(out, "{prefix}{} = [", e.key);
            for it in &l.items {
                let _ = writeln!(out, "  {},", toml_inline(it));
            }
            out.push_str("]\n");
        }
        n => {
            let _ = writeln!(out, "{prefix}{} = {}", e.key, toml_inline(n));
        }
    }
}

fn toml_table(out: &mut String, path: &[&str], m: &Map) {
    for e in m.entries.iter().filter(|e| !toml_is_section(&e.node)) {
        toml_plain(out, "", e);
    }
    for e in m.entries.iter().filter(|e| toml_is_section(&e.node)) {
        let mut p: Vec<&str> = path.to_vec();
        p.push(&e.key);
        let name = p.join(".");
        out.push('\n');
        if let Some(c) = &e.comment {
            let _ = writeln!(out, "# {c}");
        }
        match &e.node {
            Node::Map(sub) => {
                let _ = writeln!(out, "[{name}]");
                toml_table(out, &p, sub);
            }
            Node::List(l) => {
                for (i, it) in l.items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let _ = writeln!(out, "[[{name}]]");
                    if let Node::Map(sub) = it {
                        let flat = Map {
                            entries: sub.entries.clone(),
                            style: MapStyle::Block,
                        };
                        // Items are written flat: their nested values inline.
                        for e in &flat.entries {
                            let _ = writeln!(out, "{} = {}", e.key, toml_inline(&e.node));
                        }
                    }
                }
            }
            _ => unreachable!(),
        }
    }
}

fn json_inline(n: &Node) -> String {
    match n {
        Node::Text(t) => escaped(&t.value(Format::Json)),
        Node::Str(s, _) | Node::Date(s) => format!("\"{s}\""),
        Node::Int(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::List(l) => {
            let items: Vec<String> = l.items.iter().map(json_inline).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(m) => {
            let items: Vec<String> = m
                .entries
                .iter()
                .map(|e| format!("\"{}\": {}", e.key, json_inline(&e.node)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn json_value(out: &mut String, indent: usize, n: &Node, inline: bool) {
    let pad = " ".repeat(indent);
    match n {
        Node::Map(m) if !inline && m.style != MapStyle::Inline && !m.entries.is_empty() => {
            out.push_str("{\n");
            for (i, e) in m.entries.iter().enumerate() {
                let _ = write!(out, "{pad}  \"{}\": ", e.key);
                json_value(out, indent + 2, &e.node, false);
                out.push_str(if i + 1 < m.entries.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{pad}}}");
        }
        Node::List(l) if !inline && l.style != ListStyle::Flow && !l.items.is_empty() => {
            out.push_str("[\n");
            for (i, it) in l.items.iter().enumerate() {
                let _ = write!(out, "{pad}  ");
                json_value(out, indent + 2, it, false);
                out.push_str(if i + 1 < l.items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{pad}]");
        }
        n => out.push_str(&json_inline(n)),
    }
}
