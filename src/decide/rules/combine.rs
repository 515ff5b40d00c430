//! Values combined by a rule: `union` (lists merged as sets, written in the
//! preferred side's list style), `words` (a string of words, merged as a
//! set of words) and `concat` (both texts, one after the other). A result
//! one side already holds is that side; any other is the smallest new text,
//! checked by parsing it back.

use crate::article::{Entry, Value};
use crate::conflict::sides::Side;
use crate::conflict::worded::Worded;
use crate::merge::seq::{self, SeqText};
use crate::merge::sets::set_merge;
use crate::worded;

use super::scalar::ScalarText;
use super::{words, Rule};

/// A value merged by `union`, `words` or `concat`.
pub(super) enum Merged {
    /// One side's value already is the result.
    Take(Side),
    /// The merged entry's text (no lead); from [`merge_words`] and
    /// [`merge_concat`],
    /// the merged string, not yet written.
    Text(String),
}

/// Merges two entries by `union`, `words` or `concat`: `pe` is the
/// preferred side's (whose style the result follows), `oe` the other's,
/// `base` the base's value. `name` is the key or dotted path for messages.
/// `Ok` holds the result and its detail for the reason; `Err` why the rule
/// cannot settle it (the message for the fallback to `ask`).
pub(super) fn merge_values(
    name: &str,
    rule: Rule,
    (pe, oe): (&Entry<'_>, &Entry<'_>),
    base: Option<&Value>,
    preferred: Side,
    eol: &str,
) -> Result<(Merged, Worded), Worded> {
    match rule {
        Rule::Union => merge_union(name, (pe, oe), base, preferred, eol),
        Rule::Words | Rule::Concat => {
            let (Some(pv), Some(ov)) = (pe.value.as_str(), oe.value.as_str()) else {
                return Err(worded![format!(
                    "`{name}`: rule `{rule}` works on text, but it is not a string on both sides; falling back to `ask`"
                )]);
            };
            let (merged, why) = if rule == Rule::Words {
                merge_words(name, pv, ov, base, preferred)?
            } else {
                merge_concat(pv, ov, preferred)
            };
            let merged = match merged {
                Merged::Take(side) => return Ok((Merged::Take(side), why)),
                Merged::Text(t) => t,
            };
            match ScalarText::parse(pe).and_then(|t| t.write(&merged)) {
                Some(text) => Ok((Merged::Text(text), why)),
                None => Err(worded![
                    format!("`{name}`: the merged text cannot be written in the style of "),
                    preferred,
                    "; falling back to `ask`",
                ]),
            }
        }
        other => unreachable!("`{other}` merges no values"),
    }
}

/// `union`: the two lists merged as a set with the base, written in the
/// preferred side's list style.
fn merge_union(
    name: &str,
    (pe, oe): (&Entry<'_>, &Entry<'_>),
    base: Option<&Value>,
    preferred: Side,
    eol: &str,
) -> Result<(Merged, Worded), Worded> {
    let (Some(pl), Some(ol)) = (pe.value.sequence(), oe.value.sequence()) else {
        let strings = pe.value.as_str().is_some() && oe.value.as_str().is_some();
        let hint = if strings {
            "it is a string on both sides (for a string of words, use `words`)"
        } else {
            "it is not a list on both sides"
        };
        return Err(worded![format!(
            "`{name}`: rule `union` merges lists, but {hint}; falling back to `ask`"
        )]);
    };
    let bl = base.and_then(Value::sequence).unwrap_or(&[]);
    let m = set_merge(bl, pl, ol);
    let expected: Vec<&Value> = m
        .items
        .iter()
        .map(|&(first, i)| {
            if first == Side::Upstream {
                &pl[i]
            } else {
                &ol[i]
            }
        })
        .collect();
    let why = m.why_for(preferred);
    if pl.iter().eq(expected.iter().copied()) {
        return Ok((Merged::Take(preferred), why));
    }
    if ol.iter().eq(expected.iter().copied()) {
        return Ok((Merged::Take(preferred.other()), why));
    }
    let written = SeqText::parse(pe)
        .zip(SeqText::parse(oe))
        .and_then(|(p, o)| seq::write_merged(&pe.key, &p, &o, &m.items, &expected, eol));
    let multi_line = [pe, oe]
        .into_iter()
        .find(|e| e.format.syntax().list_relaid(e.text));
    match (written, multi_line) {
        (Some(text), _) => Ok((Merged::Text(text), why)),
        // A set merge inside a multi-line TOML or JSON array would
        // re-lay the array out: asked, never re-serialised.
        (None, Some(e)) => Err(worded![format!(
            "`{name}`: merging inside a multi-line {} array would rewrite its layout; falling back to `ask`",
            e.format.name()
        )]),
        (None, None) => Err(worded![
            format!("`{name}`: the merged list cannot be written in the list style of "),
            preferred,
            "; falling back to `ask`",
        ]),
    }
}

/// `words`: the two strings merged as sets of words with the base's.
fn merge_words(
    name: &str,
    pv: &str,
    ov: &str,
    base: Option<&Value>,
    preferred: Side,
) -> Result<(Merged, Worded), Worded> {
    let bv = base.and_then(Value::as_str);
    let Some(m) = words::merge(bv, pv, ov) else {
        return Err(worded![
            format!("`{name}`: some words would not survive the separator of "),
            preferred,
            "; falling back to `ask`",
        ]);
    };
    let why = worded![
        format!("{} words (", m.words.len()),
        m.merge.counts(preferred),
        ")",
    ];
    let same = |t: &str| words::split(t).items == m.words;
    if same(pv) {
        return Ok((Merged::Take(preferred), why));
    }
    if same(ov) {
        return Ok((Merged::Take(preferred.other()), why));
    }
    Ok((Merged::Text(m.text), why))
}

/// `concat`: the preferred side's text, then the other's (one already
/// holding the other's: that one).
fn merge_concat(pv: &str, ov: &str, preferred: Side) -> (Merged, Worded) {
    let (p, o) = (pv.trim_end_matches('\n'), ov.trim_end_matches('\n'));
    if p.contains(o) {
        return (
            Merged::Take(preferred),
            worded!["the text on ", preferred, " already holds the other's"],
        );
    }
    if o.contains(p) {
        let other = preferred.other();
        return (
            Merged::Take(other),
            worded!["the text on ", other, " already holds the other's"],
        );
    }
    let joined = if p.contains('\n') || o.contains('\n') {
        format!("{p}\n\n{o}")
    } else {
        format!("{p} {o}")
    };
    (
        Merged::Text(joined),
        worded![
            "the text on ",
            preferred,
            ", then the text on ",
            preferred.other(),
        ],
    )
}
