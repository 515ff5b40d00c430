//! A child written as the children of another node are: dressed for a
//! parent laid out another way (a flow item as a block list's `- ` line, an
//! inline table as an item of a TOML array of tables, a key among dotted
//! key lines with their head), or moved to the column of a mapping that
//! opens on its item's dash line. What render asks where the versions lay a
//! parent out differently.

use super::{flow_value, key_part, lines_head, split_lead, Child, Layout, Node};

/// `child`, written for a parent laid out another way, dressed as the
/// frame's own children are: `'kappa'` from a flow list becomes `  - 'kappa'`
/// in a block list, and back. Only a value written on one line is dressed;
/// `None` otherwise (the result is then checked, and a merge that does not
/// read falls back).
pub fn redress(child: &Child<'_>, frame: &Node<'_>) -> Option<String> {
    let value = flow_value(&child.node)?;
    let key_text = match child.key {
        Some(_) => Some(key_part(child)?),
        None => None,
    };
    match frame.layout()? {
        Layout::Flow => Some(format!("{}{value}", key_text.unwrap_or_default())),
        Layout::Lines => {
            // The frame's first child: its indentation (and dash for a list).
            let model = frame.children().first()?;
            let eol = if model.outer.ends_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            if model.section {
                // An item of a TOML array of tables: the frame's `[[name]]`
                // header, then a line per key of the inline table.
                if model.key.is_some() || !child.node.is_map() {
                    return None;
                }
                let rest = split_lead(model.outer).1;
                let header = &rest[..rest.find('\n')? + 1];
                let mut text = header.to_owned();
                for k in child.node.children() {
                    text.push_str(&key_part(k)?);
                    text.push_str(&flow_value(&k.node)?);
                    text.push_str(eol);
                }
                return Some(text);
            }
            let line = split_lead(model.prefix()).1;
            let indent = &line[..line.len() - line.trim_start().len()];
            match key_text {
                // Written with the head the frame's key lines have
                // (`params.social.` among TOML dotted keys).
                Some(k) => {
                    let head = lines_head(frame).map(|h| h.0).unwrap_or_default();
                    Some(format!("{indent}{head}{k}{value}{eol}"))
                }
                None => {
                    let dash = line.trim_start();
                    dash.starts_with('-')
                        .then(|| format!("{indent}{dash}{value}{eol}"))
                }
            }
        }
        Layout::Members => None,
    }
}

/// A child of a mapping that opens on its item's dash line (`- name: x`),
/// the `first` of them or not: the first key follows the dash, without
/// indentation; every other key sits at `column`, whichever place the child
/// had in its own version. Lines that continue a key keep theirs (written
/// for that same column).
pub fn realign(piece: &str, first: bool, column: usize) -> String {
    let (lead, rest) = split_lead(piece);
    let body = rest.trim_start_matches(' ');
    if first {
        format!("{lead}{body}")
    } else {
        format!("{lead}{}{body}", " ".repeat(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::frontmatter::layout::{tree, KeyPath};
    use crate::article::{parse, ArticleOptions};

    #[test]
    fn an_item_is_dressed_as_the_frame_lays_its_children_out() {
        let flow = "---\ntags: ['kappa', b]\n---\n";
        let block = "---\ntags:\n  - a\n  - b\n---\n";
        let opts = ArticleOptions::default();
        let (flow, block) = (parse(flow, &opts).unwrap(), parse(block, &opts).unwrap());
        let (flow, block) = (
            tree(flow.frontmatter.as_ref().unwrap()),
            tree(block.frontmatter.as_ref().unwrap()),
        );
        let path = KeyPath::parse("tags");
        let (flow_list, block_list) = (flow.at(&path).unwrap(), block.at(&path).unwrap());
        let kappa = &flow_list.node.children()[0];
        assert_eq!(
            redress(kappa, &block_list.node).as_deref(),
            Some("  - 'kappa'\n")
        );
        let a = &block_list.node.children()[0];
        assert_eq!(redress(a, &flow_list.node).as_deref(), Some("a"));
    }

    #[test]
    fn keys_after_the_dash_move_to_its_column() {
        assert_eq!(realign("    name: x\n", true, 2), "name: x\n");
        assert_eq!(realign("\n    email: y\n", false, 2), "\n  email: y\n");
    }
}
