//! The body of the result: the side decided, a text written for it, or
//! markers around just the hunks both sides changed (with a base).

use crate::article::Article;
use crate::conflict::sides::Sides;
use crate::decide::Resolution;
use crate::merge::diff3::{self, Merge3};

use super::markers::{conflict, conflicts_between, MarkerStyle};

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
            (Some(_), Some(base)) => out.push_str(&conflicts_between(
                articles.upstream.body,
                Some(base.body),
                articles.stashed.body,
                markers,
                eol,
            )),
            _ => unresolved(out, articles, markers, eol),
        },
    }
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
