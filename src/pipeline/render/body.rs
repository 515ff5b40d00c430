//! The body of the result: the side decided, a text written for it, or
//! markers around just the hunks both sides changed (with a base).

use crate::article::Article;
use crate::conflict::refine::shared_ends;
use crate::conflict::sides::Sides;
use crate::decide::Resolution;
use crate::merge::diff3::{self, Merge3};

use super::markers::{conflict, shown_or, MarkerStyle};

/// Writes the body as `resolution` says.
pub(super) fn write(
    out: &mut String,
    articles: &Sides<Article<'_>>,
    resolution: Resolution,
    markers: &MarkerStyle<'_>,
    eol: &str,
) {
    match resolution {
        Resolution::Take(s) => out.push_str(articles.get(s).body),
        Resolution::TakeBase => out.push_str(articles.base.as_ref().map_or("", |b| b.body)),
        Resolution::Text(t) | Resolution::Partly(t) => out.push_str(&t),
        Resolution::Links(_) | Resolution::Merged | Resolution::Both(_) => {
            unreachable!("link lists and tree merges are no body's")
        }
        // With a base, markers go around just the hunks both sides changed:
        // as git's own line merge of the three bodies puts them where git
        // is at hand (its alignment of repeated and blank lines is its own,
        // and its conflicts are the ones not to be wider than), else as the
        // same merge computed here.
        Resolution::Unresolved => match (markers.merger, articles.base.as_ref()) {
            // The bodies rebuilt from git's hunks can merge cleanly where the
            // versions did not: git writes a last line that lacks its newline
            // with one inside a conflict, and the change that was (the
            // newline, beside the other side's edit) is gone. A body left
            // open is never a merge nobody decided: one conflict between the
            // lines the sides share at its start and end, as git's own was.
            // In diff3 style, lines both sides' sections end (or start) with
            // stand outside, as for the frontmatter: git's alignment of the
            // rebuilt bodies can take a blank line its alignment of the
            // whole versions left outside.
            (Some(_), Some(base)) => {
                let texts = [articles.upstream.body, base.body, articles.stashed.body];
                out.push_str(&shown_or(
                    texts[0],
                    Some(texts[1]),
                    texts[2],
                    markers,
                    eol,
                    || between_shared_ends(texts, markers, eol),
                ));
            }
            _ => unresolved(out, articles, markers, eol),
        },
    }
}

/// One conflict between ours and theirs of `[ours, base, theirs]`, the
/// lines they share at their start and end outside it; its base section
/// (diff3 style) what the base holds between the same lines, when it has
/// them too.
fn between_shared_ends(texts: [&str; 3], markers: &MarkerStyle<'_>, eol: &str) -> String {
    let mut out = String::new();
    let [u, b, s] = texts.map(|t| t.split_inclusive('\n').collect::<Vec<_>>());
    let (head, tail) = shared_ends(&u, &s);
    let base = (b.len() >= head + tail
        && b[..head] == u[..head]
        && b[b.len() - tail..] == u[u.len() - tail..])
        .then(|| b[head..b.len() - tail].concat());
    u[..head].iter().for_each(|l| out.push_str(l));
    conflict(
        &mut out,
        markers,
        eol,
        &u[head..u.len() - tail].concat(),
        base.as_deref(),
        &s[head..s.len() - tail].concat(),
    );
    u[u.len() - tail..].iter().for_each(|l| out.push_str(l));
    out
}

/// The body left open, merged here: markers around the hunks both sides
/// changed, or around the whole body where it cannot be merged exactly.
fn unresolved(
    out: &mut String,
    articles: &Sides<Article<'_>>,
    markers: &MarkerStyle<'_>,
    eol: &str,
) {
    match body_hunks(articles) {
        Some(m) => {
            out.push_str(&m.write(|o, up, base, st| conflict(o, markers, eol, up, Some(base), st)))
        }
        None => conflict(
            out,
            markers,
            eol,
            articles.upstream.body,
            articles.base.as_ref().map(|b| b.body),
            articles.stashed.body,
        ),
    }
}

/// The body's three-way merge, when there is a base and some hunk conflicts.
fn body_hunks<'t>(articles: &'t Sides<Article<'_>>) -> Option<Merge3<'t>> {
    let base = articles.base.as_ref()?;
    let m = diff3::merge3(base.body, articles.upstream.body, articles.stashed.body)?;
    (m.conflicts() > 0).then_some(m)
}

/// False when the body would be left in conflict but its three-way merge
/// cannot be computed exactly: markers around the whole body would then be
/// coarser than git's own.
pub fn body_conflicts_exact(articles: &Sides<Article<'_>>) -> bool {
    match articles.base.as_ref() {
        Some(base) => {
            diff3::merge3(base.body, articles.upstream.body, articles.stashed.body).is_some()
        }
        None => true,
    }
}
