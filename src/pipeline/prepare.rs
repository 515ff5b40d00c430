//! What every command needs before deciding anything, made once: the
//! versions rebuilt from git's line merge (or the file's markers), parsed,
//! their frontmatter trees merged, and the parts that differ.

use crate::article::layout::{KeyPath, Node};
use crate::article::Value;
use crate::diff::{Change, KeyDiff};
use crate::merge::tree::{sub_nodes, FrontmatterMerge, Kid, Nodes, Plan};

/// The frontmatter merge of `articles` and the comparison of their parts,
/// the frontmatter's at every depth (body lines counted when `counted`:
/// what screens show; resolving only needs to know the bodies differ).
pub fn parts<'a>(
    articles: &crate::conflict::sides::Sides<crate::article::Article<'a>>,
    sets: &dyn crate::merge::tree::Strategy,
    counted: bool,
) -> (FrontmatterMerge<'a>, crate::diff::Comparison) {
    let fm = crate::merge::tree::of_articles(articles, sets);
    let cmp = if counted {
        crate::diff::compare(articles.as_ref())
    } else {
        crate::diff::compare_parts(articles.as_ref())
    };
    let cmp = cmp.with_keys(tree_keys(&fm));
    (fm, cmp)
}

/// The frontmatter's parts that differ, in the result's order: every value
/// the merge settled from one side or assembled, and every conflict.
pub fn tree_keys(fm: &FrontmatterMerge<'_>) -> Vec<KeyDiff> {
    let mut out = Vec::new();
    let settled: std::collections::HashSet<&KeyPath> =
        fm.merge.settled.iter().map(|s| &s.path).collect();
    walk(
        &KeyPath::root(),
        &fm.merge.kids,
        &fm.nodes(),
        &settled,
        &mut out,
    );
    out
}

fn walk(
    parent: &KeyPath,
    kids: &[Kid],
    n: &Nodes<'_, '_>,
    settled: &std::collections::HashSet<&KeyPath>,
    out: &mut Vec<KeyDiff>,
) {
    let pick = |x: Option<&Node<'_>>, i: Option<usize>| -> Option<Value> {
        i.and_then(|i| x?.children().get(i))
            .map(|c| c.node.value.clone())
    };
    for kid in kids {
        let path = parent.child(kid.seg.clone());
        let (u, s) = (
            pick(n.upstream, kid.at.upstream),
            pick(n.stashed, kid.at.stashed),
        );
        let diff = |change| KeyDiff {
            key: path.clone(),
            change,
            inner: match (&u, &s) {
                (Some(a), Some(b)) if a != b => a.inner_differences(b),
                _ => Vec::new(),
            },
        };
        let change = match (&u, &s) {
            (Some(_), Some(_)) => Change::Changed,
            (Some(_), None) => Change::OnlyUpstream,
            (None, Some(_)) => Change::OnlyStashed,
            (None, None) => Change::Changed,
        };
        if settled.contains(&path) {
            out.push(diff(change));
            continue;
        }
        match &kid.plan {
            Plan::Open(_) => out.push(diff(change)),
            Plan::Merge { kids, .. } => walk(&path, kids, &sub_nodes(kid, n), settled, out),
            Plan::Take(_) | Plan::Frame => {}
        }
    }
}
