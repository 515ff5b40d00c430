//! Where every value of a frontmatter sits in its text, at every depth: the
//! layout tree the structured merge walks and splices from.
//!
//! ```text
//! params:                 child "params"     outer: the three lines
//!   author: Nina          ├─ child "author"  outer: "  author: Nina\n", node text "Nina"
//!   tags: [a, b]          └─ child "tags"    node text "[a, b]": flow, items "a" and "b"
//! ```
//!
//! A node is the value's own text and its data; its children, when the merge
//! may go inside it, come with their whole text in the parent (`outer`: lead
//! comments, key, value, line ending). Two ways to lay children out:
//! - [`Layout::Lines`]: children are whole lines, one after the other
//!   (YAML block mappings and sequences, TOML tables and arrays of tables);
//!   the node's text is exactly its children's outer texts in order.
//! - [`Layout::Flow`]: children sit between brackets with separators
//!   (`{a: 1, b: 2}`, `[1, 2]`, TOML inline tables and arrays, JSON).
//!
//! Every node is checked against the data the format's own parser read: a
//! mapping whose children's keys are not the data's keys, or a sequence whose
//! item count differs, is a leaf (never descended into, merged whole). The
//! layout can therefore be wrong only by being coarser than it could be.

mod dress;
mod flow;
mod toml;
mod yaml;

pub use dress::{realign, redress};

use std::fmt;

use serde::Serialize;

use super::{Entry, Format, Frontmatter};
use crate::article::offset_in;
use crate::article::value::Value;

/// One step of a [`KeyPath`]: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A key of a mapping (a table, an object).
    Key(String),
    /// An item of a sequence, 0-based.
    Index(usize),
}

/// Where a value is in the frontmatter: `title`, `params.author`,
/// `authors[1].email`. The first segment is always a top-level key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(Vec<Seg>);

impl KeyPath {
    /// The path of a top-level key.
    pub fn key(key: impl Into<String>) -> KeyPath {
        KeyPath(vec![Seg::Key(key.into())])
    }

    /// The empty path: the frontmatter itself.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path with `seg` appended.
    pub fn child(&self, seg: Seg) -> KeyPath {
        let mut v = self.0.clone();
        v.push(seg);
        KeyPath(v)
    }

    /// The segments.
    pub fn segs(&self) -> &[Seg] {
        &self.0
    }

    /// The top-level key the path starts with.
    pub fn top(&self) -> Option<&str> {
        match self.0.first()? {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }

    /// True for a top-level key.
    pub fn is_top(&self) -> bool {
        self.0.len() == 1
    }

    /// True when `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &KeyPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The last segment's key, or its index written `[i]`.
    pub fn last_name(&self) -> String {
        match self.0.last() {
            Some(Seg::Key(k)) => k.clone(),
            Some(Seg::Index(i)) => format!("[{i}]"),
            None => String::new(),
        }
    }

    /// The names field rules match this path by, shallowest first: every
    /// ancestor and the path itself, with the sequence indexes left out
    /// (`authors[1].email` → `authors`, `authors.email`), so that a rule on
    /// `authors.email` covers every item.
    pub fn rule_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut acc = String::new();
        for seg in &self.0 {
            if let Seg::Key(k) = seg {
                if !acc.is_empty() {
                    acc.push('.');
                }
                acc.push_str(k);
                out.push(acc.clone());
            }
        }
        out
    }

    /// The path from its display form, for the names people write (rules,
    /// `--json` readers): dots split keys, `[i]` are indexes. A top-level key
    /// that itself holds a dot (`ms.date`) is found by [`KeyPath::parse_in`].
    pub fn parse(text: &str) -> KeyPath {
        let mut segs = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_owned()));
            }
            while let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else { break };
                match r[..end].parse() {
                    Ok(i) => segs.push(Seg::Index(i)),
                    Err(_) => segs.push(Seg::Key(format!("[{}]", &r[..end]))),
                }
                rest = &r[end + 1..];
            }
        }
        KeyPath(segs)
    }

    /// Like [`KeyPath::parse`], with the top-level keys of `keys` known: a
    /// name that is a top-level key (`ms.date`) is that key, whole.
    pub fn parse_in<'k>(text: &str, mut keys: impl Iterator<Item = &'k str>) -> KeyPath {
        if keys.any(|k| k == text) {
            return KeyPath::key(text);
        }
        KeyPath::parse(text)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for KeyPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&str> for KeyPath {
    /// A top-level key.
    fn from(key: &str) -> KeyPath {
        KeyPath::key(key)
    }
}

impl From<String> for KeyPath {
    /// A top-level key.
    fn from(key: String) -> KeyPath {
        KeyPath::key(key)
    }
}

/// How a node's children are written.
#[derive(Clone, Debug, PartialEq)]
pub enum Layout {
    /// One child after the other, each on whole lines; the node's text is
    /// their outer texts, concatenated.
    Lines,
    /// Between an opening and a closing text, with separators (commas and
    /// the blanks around them).
    Flow,
    /// The top-level members of a block whose syntax separates them (JSON's
    /// object): each member's lead holds the separator before it, which
    /// [`super::Syntax::join_members`] puts back.
    Members,
}

/// What is inside a node, when the merge may go there.
#[derive(Clone, Debug, PartialEq)]
pub enum Kids<'a> {
    /// A scalar, or a value merged whole.
    Leaf,
    /// A mapping: children with keys, in order.
    Map(Layout, Vec<Child<'a>>),
    /// A sequence: items, in order (no keys).
    Seq(Layout, Vec<Child<'a>>),
}

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    /// The value's own text: a scalar, `[...]` / `{...}`, or a block's lines.
    pub text: &'a str,
    /// The value as data.
    pub value: Value,
    /// Its children, when it has some the merge may go into.
    pub kids: Kids<'a>,
}

/// A child of a mapping or sequence node, with its whole text in the parent.
#[derive(Clone, Debug, PartialEq)]
pub struct Child<'a> {
    /// The key, for a mapping's child.
    pub key: Option<String>,
    /// The child's text in its parent: for [`Layout::Lines`] its lead
    /// (blank lines and comments before it), the key, the value and the line
    /// ending; for [`Layout::Flow`] `key: value` or the item alone.
    pub outer: &'a str,
    /// The value; its text lies inside `outer`.
    pub node: Node<'a>,
    /// A TOML `[table]` or `[[array]]` section, which must follow the plain
    /// `key = value` lines of its table.
    pub section: bool,
}

impl<'a> Child<'a> {
    /// The text of `outer` before the value (lead, key, `: `).
    pub fn prefix(&self) -> &'a str {
        let start = offset_in(self.outer, self.node.text);
        &self.outer[..start]
    }

    /// The text of `outer` after the value (a comment, the line ending).
    pub fn suffix(&self) -> &'a str {
        let end = offset_in(self.outer, self.node.text) + self.node.text.len();
        &self.outer[end..]
    }

    /// Written as key lines outside any section: where another version has
    /// the same table as a TOML `[table]` section, these are its dotted
    /// keys (`params.x = 1`), which have no line of their own.
    pub fn dotted_lines(&self) -> bool {
        !self.section && self.node.layout() == Some(&Layout::Lines)
    }
}

impl<'a> Node<'a> {
    /// A leaf.
    pub fn leaf(text: &'a str, value: Value) -> Node<'a> {
        Node {
            text,
            value,
            kids: Kids::Leaf,
        }
    }

    /// The children (empty for a leaf).
    pub fn children(&self) -> &[Child<'a>] {
        match &self.kids {
            Kids::Leaf => &[],
            Kids::Map(_, c) | Kids::Seq(_, c) => c,
        }
    }

    /// The child under `key`, for a mapping.
    pub fn get(&self, key: &str) -> Option<&Child<'a>> {
        match &self.kids {
            Kids::Map(_, c) => c.iter().find(|c| c.key.as_deref() == Some(key)),
            _ => None,
        }
    }

    /// The child at `seg`.
    pub fn step(&self, seg: &Seg) -> Option<&Child<'a>> {
        match (seg, &self.kids) {
            (Seg::Key(k), Kids::Map(..)) => self.get(k),
            (Seg::Index(i), Kids::Seq(_, c)) => c.get(*i),
            _ => None,
        }
    }

    /// The child at `path` below this node (the root: the frontmatter).
    pub fn at(&self, path: &KeyPath) -> Option<&Child<'a>> {
        let (first, rest) = path.segs().split_first()?;
        let mut child = self.step(first)?;
        for seg in rest {
            child = child.node.step(seg)?;
        }
        Some(child)
    }

    /// The layout of its children, when it has some.
    pub fn layout(&self) -> Option<&Layout> {
        match &self.kids {
            Kids::Leaf => None,
            Kids::Map(l, _) | Kids::Seq(l, _) => Some(l),
        }
    }

    /// True for a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.kids, Kids::Map(..))
    }

    /// True for a sequence.
    pub fn is_seq(&self) -> bool {
        matches!(self.kids, Kids::Seq(..))
    }
}

/// The layout tree of a whole frontmatter: a mapping whose children are the
/// top-level entries (their lead and text), each laid out as deep as it can be.
pub fn tree<'a>(fm: &Frontmatter<'a>) -> Node<'a> {
    let children: Vec<Child<'a>> = fm
        .entries()
        .map(|e| entry_child(fm.source, e, fm.format))
        .collect();
    let layout = fm.format.syntax().layout();
    let value = Value::Map(
        fm.entries()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect(),
    );
    Node {
        text: fm.source,
        value,
        kids: Kids::Map(layout, children),
    }
}

/// The child at `path` (below the root, as [`Node::at`] on [`tree`]),
/// laid out from its top-level entry alone: a path inside one entry needs
/// no other entry's layout.
pub fn child_at<'a>(fm: &Frontmatter<'a>, path: &KeyPath) -> Option<Child<'a>> {
    let (first, rest) = path.segs().split_first()?;
    let Seg::Key(key) = first else { return None };
    let top = entry_child(fm.source, fm.get(key)?, fm.format);
    let mut child = &top;
    for seg in rest {
        child = child.node.step(seg)?;
    }
    Some(child.clone())
}

/// A top-level entry as a child: its outer text is its lead and its lines.
fn entry_child<'a>(source: &'a str, e: &Entry<'a>, format: Format) -> Child<'a> {
    let outer = if e.lead.is_empty() {
        e.text
    } else {
        let start = offset_in(source, e.lead);
        &source[start..offset_in(source, e.text) + e.text.len()]
    };
    let node = match format {
        Format::Yaml => yaml::entry_value(e.text, &e.value),
        Format::Toml => toml::entry_value(e, &e.value),
        Format::Json => json_member_value(e.text, &e.value),
    }
    .map(|n| checked(n, &e.value))
    .unwrap_or_else(|| Node::leaf(value_text(e.text), e.value.clone()));
    Child {
        key: Some(e.key.clone()),
        outer,
        node,
        section: e.section,
    }
}

/// The text after a key for an entry whose value could not be found: the
/// whole entry (merged whole, never spliced inside).
fn value_text(text: &str) -> &str {
    text
}

/// A JSON member's value: after the key and the colon.
fn json_member_value<'a>(text: &'a str, value: &Value) -> Option<Node<'a>> {
    let b = text.as_bytes();
    let key_end = flow::string_end(b, 0)?;
    let colon = key_end + 1 + text[key_end + 1..].find(':')?;
    let start = colon + 1 + (text[colon + 1..].len() - text[colon + 1..].trim_start().len());
    flow::value(text, start, Format::Json, value)
}

/// `node` when its children agree with `value` (same keys in the same order,
/// or as many items), recursively; otherwise the same text as a leaf.
fn checked<'a>(mut node: Node<'a>, value: &Value) -> Node<'a> {
    node.value = value.clone();
    let ok = match (&mut node.kids, value) {
        (Kids::Leaf, _) => true,
        (Kids::Map(_, kids), Value::Map(m)) => {
            kids.len() == m.len()
                && kids
                    .iter()
                    .zip(m.keys())
                    .all(|(c, k)| c.key.as_deref() == Some(k.as_str()))
        }
        (Kids::Seq(_, kids), Value::Seq(items)) => kids.len() == items.len(),
        _ => false,
    };
    if !ok {
        node.kids = Kids::Leaf;
        return node;
    }
    match (&mut node.kids, value) {
        (Kids::Map(_, kids), Value::Map(m)) => {
            for (c, v) in kids.iter_mut().zip(m.values()) {
                let n = std::mem::replace(&mut c.node, Node::leaf("", Value::Null));
                c.node = checked(n, v);
            }
        }
        (Kids::Seq(_, kids), Value::Seq(items)) => {
            for (c, v) in kids.iter_mut().zip(items) {
                let n = std::mem::replace(&mut c.node, Node::leaf("", Value::Null));
                c.node = checked(n, v);
            }
        }
        _ => {}
    }
    node
}

/// The value of `node` written on one line in flow style, whatever its own
/// layout: a scalar or a one-line flow collection as it is written, a block
/// mapping or list (or a TOML table) as `{k: v, ...}` / `[a, ...]` of its
/// children written so. `None` where a child spans lines (a block scalar, a
/// multi-line flow) or a key cannot be told.
pub fn flow_value(node: &Node<'_>) -> Option<String> {
    match &node.kids {
        Kids::Leaf | Kids::Map(Layout::Flow, _) | Kids::Seq(Layout::Flow, _) => {
            (!node.text.contains('\n')).then(|| node.text.to_owned())
        }
        Kids::Map(Layout::Lines, kids) => {
            let parts: Option<Vec<String>> = kids
                .iter()
                .map(|c| Some(format!("{}{}", key_part(c)?, flow_value(&c.node)?)))
                .collect();
            Some(format!("{{{}}}", parts?.join(", ")))
        }
        Kids::Seq(Layout::Lines, kids) => {
            let parts: Option<Vec<String>> = kids.iter().map(|c| flow_value(&c.node)).collect();
            Some(format!("[{}]", parts?.join(", ")))
        }
        Kids::Map(Layout::Members, _) | Kids::Seq(Layout::Members, _) => None,
    }
}

/// A mapping child's key and separator as written before its value on its
/// line (`author: `, `"author": `, `author = `), lead and indentation aside;
/// for a TOML `[table]` section or a mapping of dotted key lines
/// (`social.site = ..` as `social`), `key = `. `None` for items.
pub fn key_part(child: &Child<'_>) -> Option<String> {
    let key = child.key.as_ref()?;
    // A TOML section, or a mapping written as dotted key lines, written as
    // one key of an inline table.
    if child.section || dotted_map(child).is_some() {
        return Some(if bare_key(key) {
            format!("{key} = ")
        } else {
            format!("{key:?} = ")
        });
    }
    let prefix = split_lead(child.prefix()).1.trim_start();
    if prefix.is_empty() {
        return None;
    }
    // A YAML key whose value starts on the next line (`social:` over a
    // block mapping): the key line, a space after its colon.
    if let Some((line, _)) = prefix.split_once('\n') {
        let line = line.trim_end_matches(['\r', ' ']);
        return line.ends_with(':').then(|| format!("{line} "));
    }
    Some(last_dotted(prefix, key).to_owned())
}

/// What a key line writes before its own key: `social.` for the dotted
/// `social.site = "x"`, nothing for `site = "x"` in a `[social]` section
/// (or any YAML or JSON key). `None` where the key part is not read
/// from the line itself.
pub fn key_head<'a>(child: &Child<'a>) -> Option<&'a str> {
    if child.section {
        return None;
    }
    let written = split_lead(child.prefix()).1.trim_start();
    let own = key_part(child)?;
    written.strip_suffix(own.as_str())
}

/// A TOML key line of one leaf written with `head` before its own key (a
/// `[table]` section's line as a dotted key of the same mapping and back:
/// `theme = true` and `social.theme = true`), its comments, value and
/// the rest of its line kept. `None` where the line is more than one leaf.
///
/// The leaf may go on over more lines (a `"""` string, an array written
/// one item a line): only its first line holds the key, and TOML reads the
/// others the same under any key or indentation (bench/props.py seed
/// 545013: a `[params]` section holding a multi-line string was one
/// decision against the other side's dotted keys). Key heads are TOML's
/// alone: a YAML or JSON key's head is empty in every version, so no line
/// of theirs is ever written under another one.
pub fn with_key_head(child: &Child<'_>, indent: &str, head: &str) -> Option<String> {
    with_key_head_and(child, indent, head, child.node.text, child.suffix())
}

/// [`with_key_head`] with another value and rest of the line (a line
/// merged by its parts: `child` gives the bytes before its value).
pub fn with_key_head_and(
    child: &Child<'_>,
    indent: &str,
    head: &str,
    value: &str,
    rest: &str,
) -> Option<String> {
    let leaf = matches!(
        child.node.kids,
        Kids::Leaf | Kids::Map(Layout::Flow, _) | Kids::Seq(Layout::Flow, _)
    );
    if !leaf {
        return None;
    }
    let lead = split_lead(child.outer).0;
    let own = key_part(child)?;
    Some(format!("{lead}{indent}{head}{own}{value}{rest}"))
}

/// Whether [`with_key_heads`] can write `child` under another head: a key
/// line of one leaf, or a mapping written as dotted key lines
/// (`social.site`, `social.handle`) whose lines all are.
pub fn reheadable(child: &Child<'_>) -> bool {
    if key_head(child).is_some() && with_key_head(child, "", "").is_some() {
        return true;
    }
    dotted_map(child).is_some_and(|kids| kids.iter().all(reheadable))
}

/// The lines of a mapping written as dotted key lines, for a key that needs
/// no quotes (`social` of `social.site = "x"`); `None` otherwise.
fn dotted_map<'c, 'a>(child: &'c Child<'a>) -> Option<&'c [Child<'a>]> {
    let key = child.key.as_deref()?;
    match &child.node.kids {
        Kids::Map(Layout::Lines, kids)
            if bare_key(key) && !child.section && child.prefix().is_empty() && !kids.is_empty() =>
        {
            Some(kids)
        }
        _ => None,
    }
}

/// The head and indentation a mapping's key lines are written with (`""`
/// in a `[params]` section, `params.` among the top-level dotted keys),
/// read from its first key line or mapping of dotted key lines: `None`
/// where it has none.
pub fn lines_head<'a>(node: &Node<'a>) -> Option<(String, &'a str)> {
    // Items have no key head: a long list is not read through for one.
    if !node.is_map() {
        return None;
    }
    node.children().iter().find_map(own_head)
}

/// What a key line (or each line of a mapping of dotted key lines) writes
/// before the child's own key, and its indentation: `params.` and `""` for
/// `params.social.site = "x"` as the child `social`.
pub fn own_head<'a>(child: &Child<'a>) -> Option<(String, &'a str)> {
    if let Some(head) = key_head(child) {
        let line = split_lead(child.prefix()).1;
        return Some((
            head.to_owned(),
            &line[..line.len() - line.trim_start().len()],
        ));
    }
    dotted_map(child)?;
    let (head, indent) = lines_head(&child.node)?;
    let own = format!("{}.", child.key.as_deref()?);
    Some((head.strip_suffix(&own)?.to_owned(), indent))
}

/// [`with_key_head`] for a key line of one leaf or, line by line, for a
/// mapping written as dotted key lines: `social.site = "x"` under the head
/// `params.` becomes `params.social.site = "x"`. `None` where a line is more
/// than one leaf.
pub fn with_key_heads(child: &Child<'_>, indent: &str, head: &str) -> Option<String> {
    if key_head(child).is_some() {
        return with_key_head(child, indent, head);
    }
    let kids = dotted_map(child)?;
    let head = format!("{head}{}.", child.key.as_deref()?);
    kids.iter()
        .map(|k| with_key_heads(k, indent, &head))
        .collect()
}

/// A TOML key written without quotes (`social`, not `"a b"`).
fn bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A TOML dotted key line's key part (`params.social.site = `) cut to its
/// last key (`site = `), as it is written inside the mapping it belongs to;
/// any other key part as it is (`ms.date: ` names the key `ms.date`).
fn last_dotted<'p>(prefix: &'p str, key: &str) -> &'p str {
    let name = prefix.trim_end().trim_end_matches([':', '=']).trim_end();
    if name == key {
        return prefix;
    }
    let b = prefix.as_bytes();
    let (mut i, mut last_dot) = (0, None);
    while i < b.len() {
        match b[i] {
            b'"' => match flow::string_end(b, i) {
                Some(end) => i = end,
                None => return prefix,
            },
            b'\'' => match b[i + 1..].iter().position(|&c| c == b'\'') {
                Some(n) => i += n + 1,
                None => return prefix,
            },
            b'.' => last_dot = Some(i),
            b'=' | b':' => break,
            _ => {}
        }
        i += 1;
    }
    match last_dot {
        Some(d) => prefix[d + 1..].trim_start(),
        None => prefix,
    }
}

/// A child's outer text cut into its lead (whole blank and comment lines
/// before it) and the rest.
pub fn split_lead(outer: &str) -> (&str, &str) {
    let mut at = 0;
    for line in outer.split_inclusive('\n') {
        let t = line.trim_start();
        if !(t.is_empty() || t.starts_with('#')) || !line.ends_with('\n') {
            break;
        }
        at += line.len();
    }
    outer.split_at(at)
}

/// The separators of a flow node: the text before the first child, between
/// each two, and after the last. `None` for other layouts.
pub fn flow_parts<'a>(node: &Node<'a>) -> Option<FlowParts<'a>> {
    if node.layout() != Some(&Layout::Flow) {
        return None;
    }
    let kids = node.children();
    let text = node.text;
    let Some(first) = kids.first() else {
        // `[]`, `{}`, `[ ]`: the opening bracket, then the rest.
        let open_len = text.find(['[', '{']).map_or(0, |i| i + 1);
        return Some(FlowParts {
            open: &text[..open_len],
            seps: Vec::new(),
            close: &text[open_len..],
        });
    };
    let start = |c: &Child<'a>| offset_in(text, c.outer);
    let end = |c: &Child<'a>| start(c) + c.outer.len();
    let open = &text[..start(first)];
    let seps = kids
        .windows(2)
        .map(|w| &text[end(&w[0])..start(&w[1])])
        .collect();
    let last = kids.last().expect("a first child");
    Some(FlowParts {
        open,
        seps,
        close: &text[end(last)..],
    })
}

/// The fixed texts of a flow node around its children.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowParts<'a> {
    /// From the bracket to the first child.
    pub open: &'a str,
    /// Between each two children.
    pub seps: Vec<&'a str>,
    /// From the last child to the end of the closing bracket.
    pub close: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{parse, ArticleOptions};

    fn root(text: &str) -> Node<'_> {
        let a = parse(text, &ArticleOptions::default()).unwrap();
        let fm = a.frontmatter.unwrap();
        // The test keeps `text` alive; the tree borrows from it only.
        tree(&fm)
    }

    fn show(n: &Node<'_>) -> String {
        match &n.kids {
            Kids::Leaf => format!("{:?}", n.text),
            Kids::Map(l, c) | Kids::Seq(l, c) => {
                let kind = if n.is_map() { "map" } else { "seq" };
                let inner: Vec<String> = c
                    .iter()
                    .map(|c| match &c.key {
                        Some(k) => format!("{k}={}", show(&c.node)),
                        None => show(&c.node),
                    })
                    .collect();
                format!("{kind}{:?}({})", l, inner.join(", "))
            }
        }
    }

    #[test]
    fn paths_display_and_parse() {
        let p = KeyPath::key("authors")
            .child(Seg::Index(1))
            .child(Seg::Key("email".into()));
        assert_eq!(p.to_string(), "authors[1].email");
        assert_eq!(KeyPath::parse("authors[1].email"), p);
        assert_eq!(p.rule_names(), ["authors", "authors.email"]);
        assert_eq!(
            KeyPath::parse_in("ms.date", ["ms.date"].into_iter()),
            KeyPath::key("ms.date")
        );
        assert!(p.starts_with(&KeyPath::key("authors")));
    }

    #[test]
    fn yaml_blocks_flows_and_items_are_laid_out() {
        let t = "---\ntitle: T\n# the author\nparams:\n  author: Nina\n  tags: [a, \"b\"]\nauthors:\n  - name: A\n    email: a@x\n  - {name: B, email: b@x}\n---\nbody\n";
        let r = root(t);
        assert_eq!(
            show(&r),
            "mapLines(title=\"T\", params=mapLines(author=\"Nina\", tags=seqFlow(\"a\", \"\\\"b\\\"\")), authors=seqLines(mapLines(name=\"A\", email=\"a@x\"), mapFlow(name=\"B\", email=\"b@x\")))"
        );
        let params = r.get("params").unwrap();
        assert_eq!(
            params.outer,
            "# the author\nparams:\n  author: Nina\n  tags: [a, \"b\"]\n"
        );
        assert_eq!(params.prefix(), "# the author\nparams:\n");
        let tags = params.node.get("tags").unwrap();
        assert_eq!(tags.outer, "  tags: [a, \"b\"]\n");
        assert_eq!(tags.prefix(), "  tags: ");
        assert_eq!(tags.suffix(), "\n");
        let fp = flow_parts(&tags.node).unwrap();
        assert_eq!((fp.open, fp.seps.clone(), fp.close), ("[", vec![", "], "]"));
        let item = r.at(&KeyPath::parse("authors[0].email")).unwrap();
        assert_eq!(item.outer, "    email: a@x\n");
    }

    #[test]
    fn toml_tables_and_arrays_of_tables_are_laid_out() {
        let t = "+++\ntitle = \"T\"\nsteps = [\"a\", \"b\"]\n\n[params]\nauthor = \"Nina\"\ntoc = true\n\n[[resources]]\nname = \"a\"\n\n[[resources]]\nname = \"b\"\n+++\nbody\n";
        let r = root(t);
        assert_eq!(
            show(&r),
            "mapLines(title=\"\\\"T\\\"\", steps=seqFlow(\"\\\"a\\\"\", \"\\\"b\\\"\"), params=mapLines(author=\"\\\"Nina\\\"\", toc=\"true\"), resources=seqLines(mapLines(name=\"\\\"a\\\"\"), mapLines(name=\"\\\"b\\\"\")))"
        );
        let toc = r.at(&KeyPath::parse("params.toc")).unwrap();
        assert_eq!(toc.outer, "toc = true\n");
        let item = r.at(&KeyPath::parse("resources[1]")).unwrap();
        assert_eq!(item.outer, "\n[[resources]]\nname = \"b\"\n");
    }

    #[test]
    fn json_members_and_nested_objects_are_laid_out() {
        let t = "{\n  \"title\": \"T\",\n  \"params\": {\"a\": 1, \"b\": [1, 2]}\n}\nbody\n";
        let r = root(t);
        assert_eq!(
            show(&r),
            "mapMembers(title=\"\\\"T\\\"\", params=mapFlow(a=\"1\", b=seqFlow(\"1\", \"2\")))"
        );
    }

    #[test]
    fn layouts_that_disagree_with_the_data_are_leaves() {
        // An anchor and an alias: the scanner does not follow them.
        let t = "---\na: &x\n  k: 1\nb: *x\n---\n";
        let r = root(t);
        assert!(matches!(r.get("b").unwrap().node.kids, Kids::Leaf));
    }
}
