//! The related-links section of the result: its heading, list style and
//! tail from the side that alone changed them, its items as decided (each
//! in the bytes of the side that changed it), or markers around the items
//! that differ.

use crate::article::{Article, Links};
use crate::conflict::sides::{Side, Sides};
use crate::decide::{LinkRef, Resolution};
use crate::merge::compare;

use super::markers::{conflict, conflicts_shown, MarkerStyle};
use super::piece_side;

/// The section as `resolution` says (empty for none).
pub(super) fn section(
    articles: &Sides<Article<'_>>,
    resolution: Resolution,
    skel_side: Side,
    markers: &MarkerStyle<'_>,
    eol: &str,
) -> String {
    let section = |a: &Article<'_>| {
        a.links
            .as_ref()
            .map(|l| section_text(a, l))
            .unwrap_or_default()
    };
    // A side's section, with the heading and what follows the list taken
    // from the side that alone changed them (the other side's links).
    let own_section = |s: Side| match articles.base {
        Some(_) => frame_links(articles, s, |_| {
            compare::links(articles.get(s))
                .iter()
                .map(|i| i.text)
                .collect()
        }),
        None => section(articles.get(s)),
    };
    match resolution {
        Resolution::Take(s) => own_section(s),
        Resolution::TakeBase => articles.base.as_ref().map(section).unwrap_or_default(),
        Resolution::Text(t) => frame_links(articles, skel_side, |_| t.clone()),
        Resolution::Merged | Resolution::Both(_) | Resolution::Partly(_) => {
            unreachable!("tree merges and hunks left are no links'")
        }
        // No link kept: with a base, both sides kept the heading (a side
        // without the section reads it as body text), so it stays over no
        // link, as git keeps it, in the bytes of the side that alone changed
        // it; without one, no section rather than a heading over nothing.
        Resolution::Links(refs) if refs.is_empty() && articles.base.is_none() => String::new(),
        Resolution::Links(refs) => {
            let exact = Side::BOTH.into_iter().find(|&s| {
                let n = compare::links(articles.get(s)).len();
                articles.get(s).links.is_some()
                    && refs.len() == n
                    && refs
                        .iter()
                        .enumerate()
                        .all(|(i, r)| r.side == s && r.index == i)
            });
            match exact {
                Some(s) => own_section(s),
                // With a base, each item keeps the bytes (bullet included)
                // of the side that changed it, as git would; only a two-way
                // union writes the other side's items in the frame's style.
                None => frame_links(articles, skel_side, |frame| {
                    let frame = frame.filter(|_| articles.base.is_none());
                    refs.iter()
                        .map(|r| item_text(articles, *r, frame, eol))
                        .collect()
                }),
            }
        }
        // With a base, markers around the items that differ, where git
        // would put them; without one, around both lists, as they came.
        Resolution::Unresolved => frame_links(articles, skel_side, |_| {
            let items =
                |a: &Article<'_>| compare::links(a).iter().map(|i| i.text).collect::<String>();
            let (up, st) = (items(&articles.upstream), items(&articles.stashed));
            match articles.base.as_ref().map(items) {
                Some(base) => conflicts_shown(&up, Some(&base), &st, markers, eol),
                None => {
                    let mut s = String::new();
                    conflict(&mut s, markers, eol, &up, None, &st);
                    s
                }
            }
        }),
    }
}

/// The section's text as `a` writes it, heading to tail.
pub(super) fn section_text(a: &Article<'_>, l: &Links<'_>) -> String {
    let start = crate::article::offset_in(a.text, l.heading);
    a.text[start..start + l.text_len()].to_owned()
}

/// The section around `items`: its heading, list style and tail each from
/// the side that alone changed it (with a base), else from the skeleton's
/// section (or the other's).
fn frame_links(
    articles: &Sides<Article<'_>>,
    skel: Side,
    items: impl FnOnce(Option<&Links<'_>>) -> String,
) -> String {
    let has = |s: Side| articles.get(s).links.is_some();
    let skel = if has(skel) { skel } else { skel.other() };
    if !has(skel) {
        return String::new();
    }
    let links = |s: Side| articles.get(s).links.as_ref();
    let from = |f: &dyn Fn(&Links<'_>) -> String| {
        let side = piece_side(articles, skel, &|a| a.links.as_ref().map(f));
        links(side).or(links(skel)).map(f).unwrap_or_default()
    };
    let style_side = piece_side(articles, skel, &|a| {
        a.links.as_ref()?.items.first().map(|i| i.bullet.to_owned())
    });
    let frame = links(style_side)
        .filter(|l| !l.items.is_empty())
        .or(links(skel));
    let mut s = from(&|l| l.heading.to_owned());
    s.push_str(&items(frame));
    s.push_str(&from(&|l| l.tail.to_owned()));
    s
}

/// One item's text in the line ending of the result; in the frame's list
/// style when a frame is given (a two-way union only).
fn item_text(
    articles: &Sides<Article<'_>>,
    r: LinkRef,
    frame: Option<&Links<'_>>,
    eol: &str,
) -> String {
    let item = &compare::links(articles.get(r.side))[r.index];
    let frame_bullet = frame.and_then(|f| f.items.first()).map(|i| i.bullet);
    let mut text = match frame_bullet {
        Some(b) if is_unordered(b) && is_unordered(item.bullet) && b != item.bullet => {
            format!("{b}{}", &item.text[item.bullet.len()..])
        }
        _ => item.text.to_owned(),
    };
    if eol == "\r\n" && !text.contains("\r\n") {
        text = text.replace('\n', "\r\n");
    } else if eol == "\n" && text.contains("\r\n") {
        text = text.replace("\r\n", "\n");
    }
    if !text.ends_with('\n') {
        text.push_str(eol);
    }
    text
}

fn is_unordered(bullet: &str) -> bool {
    matches!(
        bullet.trim_start().as_bytes().first(),
        Some(b'-' | b'*' | b'+')
    )
}
