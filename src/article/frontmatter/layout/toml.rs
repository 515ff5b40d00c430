//! TOML layouts: a `[table]` entry's key lines and sub-tables, an array of
//! tables' `[[items]]`, dotted keys, inline tables and arrays.
//!
//! ```text
//! [params]            ← the entry "params": header line, then its children
//! author = "Nina"     ← child "author"
//!
//! [params.seo]        ← child "seo": a sub-table, with its blank lead line
//! title = "T"
//! [[resources]]       ← the entry "resources": a sequence, one item per header
//! name = "a"
//! ```

use super::{flow, Child, Kids, Layout, Node};
use crate::article::frontmatter::toml::statements;
use crate::article::value::Value;
use crate::article::{Entry, Format};

/// The value of a top-level entry.
pub(super) fn entry_value<'a>(e: &Entry<'a>, _value: &Value) -> Option<Node<'a>> {
    let units = units(e.text)?;
    if e.section {
        return section_entry(e.text, &units, &e.key);
    }
    match units.as_slice() {
        [one] if one.path.len() == 1 => key_value(e.text, one),
        // Dotted keys of one table (`site.name`, `site.url`): a mapping
        // written a line each.
        many => {
            if many.iter().any(|u| u.path.len() < 2 || u.header.is_some()) {
                return None;
            }
            let units: Vec<&Unit> = many.iter().collect();
            Some(Node {
                text: e.text,
                value: Value::Null,
                kids: Kids::Map(Layout::Lines, dotted_kids(e.text, &units, 1)?),
            })
        }
    }
}

/// The children written by key lines `units`, their dotted paths read from
/// `depth`: a line whose path ends there is a key with its value; lines
/// that share the next key (`social.site`, `social.handle`) are a mapping
/// written a line each, and must stand together. `None` where they do not.
fn dotted_kids<'a>(text: &'a str, units: &[&Unit], depth: usize) -> Option<Vec<Child<'a>>> {
    let mut kids = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let key = u.path.get(depth)?;
        if u.header.is_some() || !seen.insert(key) {
            return None;
        }
        if u.path.len() == depth + 1 {
            kids.push(Child {
                key: Some(key.clone()),
                outer: &text[u.lead..u.end],
                node: key_value(text, u)?,
                section: false,
            });
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < units.len() && units[j].path.len() > depth + 1 && units[j].path[depth] == *key {
            j += 1;
        }
        let group = &units[i..j];
        let end = group.last()?.end;
        // The mapping's text is its lines, lead included: its first line's
        // comments are that line's own.
        kids.push(Child {
            key: Some(key.clone()),
            outer: &text[u.lead..end],
            node: Node {
                text: &text[u.lead..end],
                value: Value::Null,
                kids: Kids::Map(Layout::Lines, dotted_kids(text, group, depth + 1)?),
            },
            section: false,
        });
        i = j;
    }
    Some(kids)
}

/// One statement: a `key = value` (its continuation lines included) or a
/// table header, with the blank and comment lines before it.
struct Unit {
    lead: usize,
    start: usize,
    end: usize,
    /// The key's (or the header's) dotted path.
    path: Vec<String>,
    /// For a header: `Some(true)` for `[[array]]`, `Some(false)` for `[table]`.
    header: Option<bool>,
    /// For a key line: where its value starts.
    value_at: usize,
}

/// The statements of `text` as the TOML library read them
/// ([`statements`]), each with the blank and comment lines before it.
fn units(text: &str) -> Option<Vec<Unit>> {
    // A byte order mark before the first key is not read as a key line.
    if text.starts_with('\u{feff}') {
        return None;
    }
    let mut out: Vec<Unit> = Vec::new();
    let mut after = 0;
    for st in statements(text)? {
        out.push(Unit {
            lead: after,
            start: st.start,
            end: st.end,
            path: st.path,
            header: st.header,
            value_at: st.value_at,
        });
        after = st.end;
    }
    // Blank or comment lines after the last statement stay with it.
    if after < text.len() {
        out.last_mut()?.end = text.len();
    }
    Some(out)
}

/// A `key = value` statement's value.
fn key_value<'a>(text: &'a str, u: &Unit) -> Option<Node<'a>> {
    let stmt = &text[..u.end];
    // The value alone: up to the statement's end, its comment aside.
    flow::value(stmt, u.value_at, Format::Toml, &Value::Null)
}

/// A `[table]` entry (with its sub-tables) or an array of tables.
fn section_entry<'a>(text: &'a str, units: &[Unit], key: &str) -> Option<Node<'a>> {
    let first = units.first()?;
    if first.header.is_none() || first.path.first()? != key {
        return None;
    }
    let path = vec![key.to_owned()];
    if first.header == Some(true) && first.path == path {
        return array_node(text, units, &path);
    }
    table_node(text, units, &path)
}

/// The node of the table at `path`, written by `units` (which all lie
/// inside it): its own key lines, then its sub-tables, each a child.
fn table_node<'a>(text: &'a str, units: &[Unit], path: &[String]) -> Option<Node<'a>> {
    let own_header = units
        .first()
        .is_some_and(|u| u.header.is_some() && u.path == path);
    let (text_start, rest) = if own_header {
        (units[0].end_of_header(text), &units[1..])
    } else {
        (units.first()?.lead, units)
    };
    let mut kids = Vec::new();
    let mut i = 0;
    // Its key lines.
    while i < rest.len() && rest[i].header.is_none() {
        i += 1;
    }
    let lines: Vec<&Unit> = rest[..i].iter().collect();
    kids.extend(dotted_kids(text, &lines, 0)?);
    // Its sub-tables, grouped by the next key of their path.
    while i < rest.len() {
        let u = &rest[i];
        if u.header.is_none() || u.path.len() <= path.len() || u.path[..path.len()] != *path {
            return None;
        }
        let seg = &u.path[path.len()];
        let mut j = i + 1;
        while j < rest.len()
            && (rest[j].header.is_none()
                || (rest[j].path.len() > path.len() && rest[j].path[path.len()] == *seg))
        {
            j += 1;
        }
        let group = &rest[i..j];
        let mut sub = path.to_vec();
        sub.push(seg.clone());
        let node = if u.header == Some(true) && u.path == sub {
            array_node(text, group, &sub)?
        } else {
            table_node(text, group, &sub)?
        };
        kids.push(Child {
            key: Some(seg.clone()),
            outer: &text[group[0].lead..group.last()?.end],
            node,
            section: true,
        });
        i = j;
    }
    let end = rest.last().map_or(text_start, |u| u.end).max(text_start);
    Some(Node {
        text: &text[text_start..end],
        value: Value::Null,
        kids: Kids::Map(Layout::Lines, kids),
    })
}

/// An array of tables at `path`: one item per `[[path]]` header, with the
/// sub-tables that follow it.
fn array_node<'a>(text: &'a str, units: &[Unit], path: &[String]) -> Option<Node<'a>> {
    let mut kids = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        if u.header != Some(true) || u.path != path {
            return None;
        }
        let mut j = i + 1;
        while j < units.len() && !(units[j].header == Some(true) && units[j].path == path) {
            j += 1;
        }
        let item = &units[i..j];
        // The item's own key lines and sub-tables, after its header.
        let node = table_node(text, item, path)?;
        kids.push(Child {
            key: None,
            outer: &text[u.lead..item.last()?.end],
            node,
            section: true,
        });
        i = j;
    }
    let start = units.first()?.lead;
    Some(Node {
        text: &text[start..units.last()?.end],
        value: Value::Null,
        kids: Kids::Seq(Layout::Lines, kids),
    })
}

impl Unit {
    /// Where the line after a header starts.
    fn end_of_header(&self, text: &str) -> usize {
        text[self.start..self.end]
            .find('\n')
            .map_or(self.end, |i| self.start + i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(text: &'a str, key: &str, section: bool) -> Entry<'a> {
        Entry {
            key: key.into(),
            lead: "",
            text,
            format: Format::Toml,
            section,
            value: Value::Null,
            line: 1,
        }
    }

    fn outers<'a>(n: &Node<'a>) -> Vec<&'a str> {
        n.children().iter().map(|c| c.outer).collect()
    }

    #[test]
    fn a_table_with_sub_tables_and_an_array_inside() {
        let t = "[extra]\nimage = \"i.png\"\n[extra.social]\nx = 1\n[[extra.links]]\nu = \"/\"\n\n[[extra.links]]\nu = \"/b\"\n";
        let n = entry_value(&entry(t, "extra", true), &Value::Null).unwrap();
        assert_eq!(
            outers(&n),
            [
                "image = \"i.png\"\n",
                "[extra.social]\nx = 1\n",
                "[[extra.links]]\nu = \"/\"\n\n[[extra.links]]\nu = \"/b\"\n"
            ]
        );
        let links = &n.children()[2].node;
        assert_eq!(
            outers(links),
            [
                "[[extra.links]]\nu = \"/\"\n",
                "\n[[extra.links]]\nu = \"/b\"\n"
            ]
        );
        assert_eq!(outers(&links.children()[1].node), ["u = \"/b\"\n"]);
    }

    #[test]
    fn deeper_dotted_keys_are_mappings_inside() {
        let t = "p.a = 1\n# s\np.social.site = 's'\np.social.handle = \"h\"\np.b = 2\n";
        let n = entry_value(&entry(t, "p", false), &Value::Null).unwrap();
        assert_eq!(
            outers(&n),
            [
                "p.a = 1\n",
                "# s\np.social.site = 's'\np.social.handle = \"h\"\n",
                "p.b = 2\n"
            ]
        );
        let social = &n.children()[1];
        assert_eq!(social.prefix(), "");
        assert_eq!(
            outers(&social.node),
            ["# s\np.social.site = 's'\n", "p.social.handle = \"h\"\n"]
        );
        assert_eq!(
            super::super::key_part(&social.node.children()[0]).as_deref(),
            Some("site = ")
        );
        // Lines of one mapping apart: not a tree.
        let t = "p.s.x = 1\np.a = 1\np.s.y = 2\n";
        assert!(entry_value(&entry(t, "p", false), &Value::Null).is_none());
    }

    #[test]
    fn dotted_keys_and_inline_values() {
        let t = "site.name = \"n\"\nsite.url = \"u\" # where\n";
        let n = entry_value(&entry(t, "site", false), &Value::Null).unwrap();
        let kids: Vec<(Option<String>, &str)> = n
            .children()
            .iter()
            .map(|c| (c.key.clone(), c.node.text))
            .collect();
        assert_eq!(
            kids,
            [
                (Some("name".into()), "\"n\""),
                (Some("url".into()), "\"u\"")
            ]
        );
        let t = "p = { a = 1, b = [1, 2] }\n";
        let n = entry_value(&entry(t, "p", false), &Value::Null).unwrap();
        assert_eq!(n.text, "{ a = 1, b = [1, 2] }");
        assert_eq!(outers(&n), ["a = 1", "b = [1, 2]"]);
        // A byte order mark before the key: no layout.
        let t = "\u{feff}p = { a = 1 }\n";
        assert!(entry_value(&entry(t, "p", false), &Value::Null).is_none());
    }
}
