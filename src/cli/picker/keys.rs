//! The question for one frontmatter key: both values with their labels and
//! the words that differ, then upstream / stashed / edit / leave unresolved /
//! back / quit.
//!
//! ```text
//! [1/7] title  changed
//!   upstream · Updated upstream
//!     Сервисный подход: [-ключ к успеху-] ButlerSPB
//!   stashed · Stashed changes
//!     Сервисный подход: {+как мы работаем в+} ButlerSPB
//! ```
//!
//! For mapping and JSON values (the seed's `schema`) only the inner keys that
//! differ are shown, each with both values. A key group both sides changed
//! is one question: every key's two values, one side for all of them, or
//! all its keys edited together in the editor.

use anyhow::Result;

use super::edit::{self, EditJob, Edited};
use super::text::{
    against, columns, excerpt, inline_blocks, inline_lines, paint_lines, plain_lines, side_by_side,
    SIDE_BY_SIDE, THREE_COLUMNS,
};
use super::{previous_key, Ctx, How, Menu, Prompter, Step};
use crate::article::{self, Article, ArticleOptions, Format, KeyPath, Seg, Value};
use crate::cli::report;
use crate::conflict::sides::{Side, Sides};
use crate::decide::{Decisions, Resolution};
use crate::merge::compare::{Change, Comparison, Part};

/// The value the merge names `key`, as `side` has it (an item may stand
/// elsewhere there: see [`crate::merge::compare::KeyDiff::at`]).
fn value<'a>(
    cmp: &Comparison,
    arts: &'a Sides<Article<'_>>,
    side: Side,
    key: &KeyPath,
) -> Option<&'a Value> {
    cmp.value_on(arts, key, side)
}

/// The value the merge names `key` as the base has it: `None` without a
/// base, `Some(None)` when the base has no such value.
fn base_value<'a>(
    cmp: &Comparison,
    arts: &'a Sides<Article<'_>>,
    key: &KeyPath,
) -> Option<Option<&'a Value>> {
    let base = arts.base.as_ref()?;
    let path = match cmp.keys.get(key) {
        Some(k) => k.base_path().cloned(),
        None => Some(key.clone()),
    };
    Some(path.and_then(|p| base.value_at(&p)))
}

/// The entry's original lines in `side` (comments above it included), or
/// "" when absent.
fn entry_text(cmp: &Comparison, arts: &Sides<Article<'_>>, side: Side, key: &KeyPath) -> String {
    cmp.path_on(key, side)
        .and_then(|p| arts.get(side).entry_at(&p))
        .map(|e| format!("{}{}", e.lead, e.text))
        .unwrap_or_default()
}

/// A value as the reader sees it: strings as they are, sequences one item a line.
fn value_text(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return s.to_owned();
    }
    if let Some(items) = v.sequence() {
        return items_text(items.iter());
    }
    v.display()
}

/// Items as the reader sees them: one a line, after a dash.
fn items_text<'v>(items: impl Iterator<Item = &'v Value>) -> String {
    items.map(|i| format!("- {}\n", i.display())).collect()
}

/// The context shown above the key's menu.
fn context<P: Prompter>(cx: &Ctx<'_, P>, key: &KeyPath, pos: &str) -> String {
    let arts = cx.file.keyed();
    let kd = cx.file.comparison.keys.get(key);
    let change = kd.map_or(Change::Same, |k| k.change);
    let inner = kd.map(|k| k.inner.as_slice()).unwrap_or_default();
    let look = cx.look;
    let mut head = format!(
        "{} {}  {}",
        look.head(pos),
        look.bold(&report::escape(&key.to_string())),
        look.change(change, cx.opts.names)
    );
    if !inner.is_empty() {
        head.push_str(&format!(": {}", report::escape(&inner.join(", "))));
    }
    let mut s = format!("\n{}", report::wrap(&head, cx.width(), "  "));
    // New items both sides put at one place: each side's, none in the base.
    if let Some(items) = cx.file.fm.inserted_items(key) {
        let list = |xs: &Vec<&crate::article::frontmatter::layout::Child<'_>>| {
            items_text(xs.iter().map(|c| &c.node.value))
        };
        s.push_str(&format!(
            "  {}\n",
            look.dim("both sides put new items here: keep both, in either order, or one side's")
        ));
        both_values(
            cx,
            &mut s,
            Some(list(&items.upstream)),
            Some(list(&items.stashed)),
            Some(None),
            "  ",
        );
        return s;
    }
    let (up, st) = (
        value(cx.file.comparison, arts, Side::Upstream, key),
        value(cx.file.comparison, arts, Side::Stashed, key),
    );
    match (up, st) {
        (Some(u), Some(v)) if !inner.is_empty() => {
            let base = base_value(cx.file.comparison, arts, key);
            for path in inner {
                s.push_str(&format!("  {}\n", look.bold(&report::escape(path))));
                let text = |x: &Value| x.get_path(path).map(value_text);
                let b = base.map(|b| b.and_then(text));
                both_values(cx, &mut s, text(u), text(v), b, "    ");
            }
        }
        _ => {
            let base = base_value(cx.file.comparison, arts, key).map(|b| b.map(value_text));
            both_values(
                cx,
                &mut s,
                up.map(value_text),
                st.map(value_text),
                base,
                "  ",
            )
        }
    }
    if let (Some(a), Some(b)) = (up, st) {
        if crate::merge::tree::same_but_normalization(a, b) {
            s.push_str(&format!(
                "  {} {}\n",
                look.warn("note:"),
                report::NORMALIZATION_NOTE
            ));
        }
    }
    s
}

/// Both sides' versions of one value, each under its side's title at
/// `indent`, the changed words marked; `None` is shown as absent. With a
/// `base` (`Some(None)`: the base has no such value), each side's words are
/// marked against it and it is shown too: a column of its own from
/// [`THREE_COLUMNS`], else under the two sides.
fn both_values<P: Prompter>(
    cx: &Ctx<'_, P>,
    s: &mut String,
    a: Option<String>,
    b: Option<String>,
    base: Option<Option<String>>,
    indent: &str,
) {
    let look = cx.look;
    let deeper = format!("{indent}  ");
    let (ta, tb) = (a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""));
    if let Some(base) = base {
        let look = look.against_base();
        let tbase = base.as_deref().unwrap_or("");
        let (la, lb) = (against(tbase, ta), against(tbase, tb));
        let lbase = plain_lines(tbase)
            .into_iter()
            .map(excerpt)
            .collect::<Vec<_>>();
        let absent = |v: &Option<String>| v.is_none().then_some("(absent)");
        let base_title = look.dim("base");
        let titles = [
            cx.side_title(Side::Upstream),
            cx.side_title(Side::Stashed),
            base_title.clone(),
        ];
        if cx.width() >= THREE_COLUMNS {
            s.push_str(&columns(
                &[&titles[2], &titles[0], &titles[1]],
                &[
                    (&lbase, None, absent(&base)),
                    (&la, Some(Side::Upstream), absent(&a)),
                    (&lb, Some(Side::Stashed), absent(&b)),
                ],
                look,
                cx.width(),
                indent,
            ));
            return;
        }
        if cx.width() >= SIDE_BY_SIDE {
            s.push_str(&columns(
                &[&titles[0], &titles[1]],
                &[
                    (&la, Some(Side::Upstream), absent(&a)),
                    (&lb, Some(Side::Stashed), absent(&b)),
                ],
                look,
                cx.width(),
                indent,
            ));
        } else {
            for (side, got, lines) in [(Side::Upstream, &a, &la), (Side::Stashed, &b, &lb)] {
                s.push_str(&format!("{indent}{}\n", cx.side_title(side)));
                if got.is_none() {
                    s.push_str(&format!("{deeper}{}\n", look.dim("(absent)")));
                } else {
                    s.push_str(&paint_lines(lines, Some(side), look, cx.width(), &deeper));
                }
            }
        }
        s.push_str(&format!("{indent}{base_title}\n"));
        if base.is_none() {
            s.push_str(&format!("{deeper}{}\n", look.dim("(absent)")));
        } else {
            s.push_str(&paint_lines(&lbase, None, look, cx.width(), &deeper));
        }
        return;
    }
    if cx.width() >= SIDE_BY_SIDE {
        // Wide enough: the two versions side by side, line against line.
        let titles = [cx.side_title(Side::Upstream), cx.side_title(Side::Stashed)];
        s.push_str(&side_by_side(
            [&titles[0], &titles[1]],
            &inline_blocks(ta, tb),
            [a.is_none(), b.is_none()].map(|gone| gone.then_some("(absent)")),
            look,
            cx.width(),
            indent,
        ));
        return;
    }
    let (la, lb) = inline_lines(ta, tb);
    for (side, got, lines) in [(Side::Upstream, &a, la), (Side::Stashed, &b, lb)] {
        s.push_str(&format!("{indent}{}\n", cx.side_title(side)));
        if got.is_none() {
            s.push_str(&format!("{deeper}{}\n", look.dim("(absent)")));
        } else {
            s.push_str(&paint_lines(&lines, Some(side), look, cx.width(), &deeper));
        }
    }
}

/// A merged value, one line, for a menu entry.
fn merged_preview(format: Format, key: &KeyPath, text: &str) -> String {
    let key = key.last_name();
    let text = format.syntax().alone(text);
    let value = format
        .parse_keys(text)
        .ok()
        .and_then(|m| m.into_iter().find(|(k, _)| *k == key).map(|(_, v)| v));
    let shown = value.map_or_else(|| text.trim().to_owned(), |v| v.display());
    console::truncate_str(&shown.replace('\n', " "), 60, "…").into_owned()
}

/// The rule's answer for a key (preselected and marked) and the messages of
/// rules that could not settle it.
fn rule_context<P: Prompter>(cx: &Ctx<'_, P>, part: &Part, decisions: &Decisions) -> String {
    let mut s = String::new();
    if let Some(d) = decisions.suggestion(part) {
        let names = cx.opts.names;
        let what = match &d.resolution {
            Resolution::Take(side) => names.get(*side).to_owned(),
            _ => "merged".to_owned(),
        };
        let reason = d.reason.named(names);
        s.push_str(&format!(
            "  {}\n",
            cx.look.head(&format!("◀ {reason} → {what} (preselected)"))
        ));
    }
    for (p, note) in decisions.notes() {
        if p == Some(part) {
            let note = note.named(cx.opts.names);
            s.push_str(&format!("  {} {note}\n", cx.look.warn("note:")));
        }
    }
    s
}

/// Asks about one frontmatter key.
pub(super) fn ask<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    key: &KeyPath,
    pos: &str,
    prev: Option<&Resolution>,
    decisions: &Decisions,
) -> Result<Step> {
    let part = Part::Key(key.clone());
    let change = cx.file.comparison.change(&part);
    let (up, st) = (cx.name(Side::Upstream), cx.name(Side::Stashed));
    let inserts = cx.file.fm.inserts_at(key);
    let (up_label, st_label) = match change {
        _ if inserts => (
            format!("{up}: only its new items"),
            format!("{st}: only its new items"),
        ),
        Change::OnlyUpstream => (
            format!("{up}: keep `{key}`"),
            format!("{st}: leave `{key}` out"),
        ),
        Change::OnlyStashed => (
            format!("{up}: leave `{key}` out"),
            format!("{st}: add `{key}`"),
        ),
        _ => (up.to_owned(), st.to_owned()),
    };
    // A field rule's answer is preselected and marked; a merged one is an entry of its own.
    let suggested = decisions.suggestion(&part).map(|d| d.resolution.clone());
    let mark = |label: String, side: Side| match &suggested {
        Some(Resolution::Take(s)) if *s == side => format!("{label}  ◀ rule"),
        _ => label,
    };
    let (up_label, st_label) = (
        mark(up_label, Side::Upstream),
        mark(st_label, Side::Stashed),
    );
    let rule_key = |r: &Resolution| match r {
        Resolution::Take(Side::Upstream) => Some('u'),
        Resolution::Take(Side::Stashed) => Some('s'),
        Resolution::Text(_) | Resolution::Merged | Resolution::Both(_) => Some('r'),
        _ => None,
    };
    // An edit given before (going back to it) is an entry of its own,
    // preselected: Enter keeps it.
    let kept = match prev {
        Some(r @ Resolution::Text(t)) if cx.hows.get(&part) == Some(&How::Edited) => {
            Some((r.clone(), t.clone()))
        }
        _ => None,
    };
    let default = match (prev, &suggested) {
        _ if kept.is_some() => Some('k'),
        (Some(p), Some(r)) if p == r => rule_key(r),
        (Some(Resolution::Both(Side::Upstream)), _) if inserts => Some('a'),
        (Some(Resolution::Both(Side::Stashed)), _) if inserts => Some('o'),
        (Some(p), _) => previous_key(Some(p)),
        (None, Some(r)) => rule_key(r),
        // Both sides' items kept: nothing lost unless the person says so.
        (None, None) if inserts => Some('a'),
        (None, None) => None,
    };
    // Laid out at the width the terminal has when it is drawn.
    let screen = |cx: &Ctx<'_, P>| {
        format!(
            "{}{}",
            context(cx, key, pos),
            rule_context(cx, &part, decisions)
        )
    };
    loop {
        let mut menu = Menu::new(format!("{pos} {key}: which version?"));
        if inserts {
            menu = menu
                .choice('a', format!("both, {up} first"))
                .choice('o', format!("both, {st} first"));
        }
        let mut menu = menu
            .choice('u', up_label.clone())
            .choice('s', st_label.clone());
        match &suggested {
            Some(Resolution::Text(t)) => {
                menu = menu.choice(
                    'r',
                    format!(
                        "merged by the rule: {}  ◀ rule",
                        merged_preview(format_of(cx.file.articles), key, t)
                    ),
                );
            }
            Some(Resolution::Merged) => {
                menu = menu.choice('r', "merged by the rule: both sides' items  ◀ rule");
            }
            _ => {}
        }
        if let Some((_, text)) = &kept {
            menu = menu.choice(
                'k',
                format!(
                    "keep your edit: {}",
                    merged_preview(format_of(cx.file.articles), key, text)
                ),
            );
        }
        let menu = menu
            .choice('e', if kept.is_some() { "edit again" } else { "edit" })
            .leave(
                cx.opts,
                "leave unresolved (conflict markers around this key)",
            )
            .choice('b', "back")
            .choice('q', "quit without writing")
            .undo(cx.last.as_deref())
            .default_key(default);
        return Ok(match cx.ask(&screen, &menu)? {
            Some('u') => Step::Decided(Resolution::Take(Side::Upstream), How::Side),
            Some('s') => Step::Decided(Resolution::Take(Side::Stashed), How::Side),
            Some('a') if inserts => Step::Decided(Resolution::Both(Side::Upstream), How::Merged),
            Some('o') if inserts => Step::Decided(Resolution::Both(Side::Stashed), How::Merged),
            Some('r') => match &suggested {
                Some(r) => Step::Decided(r.clone(), How::Merged),
                None => continue,
            },
            Some('k') => match &kept {
                Some((r, _)) => Step::Decided(r.clone(), How::Edited),
                None => continue,
            },
            Some('l') => Step::Decided(Resolution::Unresolved, How::Unresolved),
            Some('b') => Step::Back,
            Some('z') => Step::Undo,
            Some('e') => {
                match edit_key(cx, key, kept.as_ref().map(|(_, t)| t.as_str()), decisions)? {
                    Edited::Done(text) => Step::Decided(Resolution::Text(text), How::Edited),
                    Edited::Cancelled => continue,
                    Edited::Quit => Step::Quit,
                }
            }
            _ => Step::Quit,
        });
    }
}

/// Asks about a key group both sides changed, as one decision: every key's
/// two values, then one side for all of them (or all left unresolved).
pub(super) fn ask_group<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    name: &str,
    parts: &[Part],
    pos: &str,
    prev: Option<&Resolution>,
    decisions: &Decisions,
) -> Result<Step> {
    let keys: Vec<&KeyPath> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Key(k) => Some(k),
            _ => None,
        })
        .collect();
    let listed = keys
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // Laid out at the width the terminal has when it is drawn.
    let screen = |cx: &Ctx<'_, P>| {
        let look = cx.look;
        let head = format!(
            "{} {}  {}",
            look.head(pos),
            look.bold(&format!("group `{name}`: {listed}")),
            "both sides changed it: one decision for all its keys"
        );
        let mut ctx = format!("\n{}", report::wrap(&head, cx.width(), "  "));
        let arts = cx.file.keyed();
        for key in &keys {
            ctx.push_str(&format!("  {}\n", look.bold(&key.to_string())));
            let (up, st) = (
                value(cx.file.comparison, arts, Side::Upstream, key),
                value(cx.file.comparison, arts, Side::Stashed, key),
            );
            let base = base_value(cx.file.comparison, arts, key).map(|b| b.map(value_text));
            both_values(
                cx,
                &mut ctx,
                up.map(value_text),
                st.map(value_text),
                base,
                "    ",
            );
        }
        for (p, note) in decisions.notes() {
            let note = note.named(cx.opts.names);
            if p.is_none() && note.contains(&format!("group `{name}`")) {
                ctx.push_str(&format!("  {} {note}\n", look.warn("note:")));
            }
        }
        ctx
    };
    let (up, st) = (cx.name(Side::Upstream), cx.name(Side::Stashed));
    // The group edited before (going back to it): Enter keeps that edit.
    let kept: Option<Vec<(Part, Resolution)>> = parts
        .iter()
        .map(|p| match (cx.hows.get(p), decisions.get(p)) {
            (Some(How::Edited), Some(d)) => Some((p.clone(), d.resolution.clone())),
            _ => None,
        })
        .collect();
    let mut menu = Menu::new(format!(
        "{pos} group `{name}`: which side for all of {listed}?"
    ))
    .choice('u', format!("{up}: all of {listed}"))
    .choice('s', format!("{st}: all of {listed}"));
    if kept.is_some() {
        menu = menu.choice('k', format!("keep your edit of {listed}"));
    }
    let menu = menu
        .choice('e', format!("edit {listed} together"))
        .leave(
            cx.opts,
            "leave unresolved (conflict markers around each of its keys)",
        )
        .choice('b', "back")
        .choice('q', "quit without writing")
        .undo(cx.last.as_deref())
        .default_key(if kept.is_some() {
            Some('k')
        } else {
            previous_key(prev)
        });
    loop {
        return Ok(match cx.ask(&screen, &menu)? {
            Some('u') => Step::Decided(Resolution::Take(Side::Upstream), How::Side),
            Some('s') => Step::Decided(Resolution::Take(Side::Stashed), How::Side),
            Some('k') => match &kept {
                Some(each) => Step::DecidedEach(each.clone(), How::Edited),
                None => continue,
            },
            Some('l') => Step::Decided(Resolution::Unresolved, How::Unresolved),
            Some('b') => Step::Back,
            Some('z') => Step::Undo,
            Some('e') => match edit_group(cx, &keys, decisions)? {
                GroupEdit::Done(each) => Step::DecidedEach(each, How::Edited),
                GroupEdit::Cancelled => continue,
                GroupEdit::Quit => Step::Quit,
            },
            _ => Step::Quit,
        });
    }
}

/// How editing a key group ended.
enum GroupEdit {
    /// Each key's resolution: its edited entry, or the side without it.
    Done(Vec<(Part, Resolution)>),
    /// Back to the group's question.
    Cancelled,
    /// The user quit.
    Quit,
}

/// The keys of a group in the editor at once: both sides' entries between
/// conflict markers; the result is checked in the frontmatter's format like
/// a single key's edit, must define only the group's keys, and may leave out
/// a key only where a side has none.
fn edit_group<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    keys: &[&KeyPath],
    decisions: &Decisions,
) -> Result<GroupEdit> {
    let arts = cx.file.keyed();
    let eol = arts.upstream.eol;
    let format = format_of(arts);
    let cmp = cx.file.comparison;
    let side = |sd: Side| -> String {
        let entries: Vec<String> = keys
            .iter()
            .map(|k| entry_text(cmp, arts, sd, k))
            .filter(|t| !t.is_empty())
            .collect();
        format.syntax().join_entries(&entries, eol)
    };
    let body = edit::both(
        &side(Side::Upstream),
        &side(Side::Stashed),
        &cx.markers(),
        eol,
    );
    let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    let listed = names.join("`, `");
    let what = format!("`{listed}`");
    let suffix = format!(".{}", format.extension());
    let rule = format!(
        "The result must be valid {} that defines `{listed}` and nothing else (a key only one side has may be left out).",
        format.name()
    );
    let job = EditJob {
        what: &what,
        rule: &rule,
        body,
        suffix: &suffix,
        final_eol: true,
        clean: Vec::new(),
    };
    let mut each = Vec::new();
    let outcome = edit::edit_loop(cx, job, |cx, text| {
        let named: Vec<&str> = names.iter().map(String::as_str).collect();
        let pieces = group_entries(format, &named, text)?;
        each.clear();
        for key in keys {
            let part = Part::Key((*key).clone());
            let name = key.to_string();
            let res = match pieces.iter().find(|(k, _)| *k == name) {
                Some((_, piece)) => {
                    check_key(format, &name, piece)?;
                    Resolution::Text(piece.clone())
                }
                None => match Side::BOTH.into_iter().find(|s| entry_text(cmp, arts, *s, key).is_empty()) {
                    Some(without) => Resolution::Take(without),
                    None => {
                        return Err(format!(
                            "`{key}` is missing, and both sides have it (to keep one side's, copy its line back)"
                        ))
                    }
                },
            };
            each.push((part, res));
        }
        cx.check_all(decisions, &each)?;
        Ok(text.to_owned())
    })?;
    Ok(match outcome {
        Edited::Done(_) => GroupEdit::Done(each),
        Edited::Cancelled => GroupEdit::Cancelled,
        Edited::Quit => GroupEdit::Quit,
    })
}

/// An edited group cut into its entries, each as a single key's edit gives
/// it (YAML and TOML lines with their line ends, a JSON member without its
/// comma), in the frontmatter's format; refused when it is not valid there
/// or defines a key outside the group.
fn group_entries(
    format: Format,
    keys: &[&str],
    text: &str,
) -> Result<Vec<(String, String)>, String> {
    let name = format.name();
    format.parse_keys(text).map_err(|e| {
        format!(
            "not valid {name} (line {} of your edit): {}",
            e.line, e.message
        )
    })?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let doc = format.syntax().block_around(text, eol);
    let fm = article::parse(&doc, &ArticleOptions::default())
        .map_err(|e| format!("not {name} frontmatter entries: {e}"))?
        .frontmatter
        .ok_or_else(|| format!("no {name} entries"))?;
    let mut out = Vec::new();
    for i in 0..fm.len() {
        let e = fm.entry_at(i).expect("an entry below len");
        if !keys.contains(&e.key.as_str()) {
            return Err(format!(
                "it defines `{}`, which is not in the group (only `{}` belong here)",
                e.key,
                keys.join("`, `")
            ));
        }
        if out.iter().any(|(k, _): &(String, String)| *k == e.key) {
            return Err(format!("it defines `{}` twice", e.key));
        }
        let mut piece = format!("{}{}", e.lead, e.text);
        if !format.syntax().entries_end_lines() {
            piece.truncate(piece.trim_end_matches(['\r', '\n']).len());
        } else if !piece.ends_with('\n') {
            piece.push_str(eol);
        }
        out.push((e.key.clone(), piece));
    }
    Ok(out)
}

/// The sides' frontmatter format (YAML when neither has frontmatter).
fn format_of(arts: &crate::conflict::sides::Sides<Article<'_>>) -> Format {
    arts.upstream
        .format()
        .or(arts.stashed.format())
        .unwrap_or_default()
}

/// The key in the editor: both sides' entries between markers, or `start`
/// (the edit given before) when there is one.
fn edit_key<P: Prompter>(
    cx: &mut Ctx<'_, P>,
    key: &KeyPath,
    start: Option<&str>,
    decisions: &Decisions,
) -> Result<Edited> {
    let arts = cx.file.keyed();
    let eol = arts.upstream.eol;
    let format = format_of(arts);
    // A JSON member is edited without the comma that joins it to the one
    // before: the renderer puts commas where the member lands.
    let cmp = cx.file.comparison;
    let side = |sd: Side| {
        format
            .syntax()
            .alone(&entry_text(cmp, arts, sd, key))
            .to_owned()
    };
    let body = match start {
        Some(t) => t.to_owned(),
        None => edit::both(
            &side(Side::Upstream),
            &side(Side::Stashed),
            &cx.markers(),
            eol,
        ),
    };
    let what = format!("`{key}`");
    let suffix = format!(".{}", format.extension());
    let rule = format!(
        "The result must be valid {} that defines `{key}` and nothing else.",
        format.name()
    );
    let job = EditJob {
        what: &what,
        rule: &rule,
        body,
        suffix: &suffix,
        final_eol: format.syntax().entries_end_lines(),
        clean: Vec::new(),
    };
    // The indentation both sides give an inner key's lines: an edit written
    // at the left edge gets it back (a YAML key inside a mapping).
    let indent_of = |t: &str| {
        t.lines()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
    };
    let want = (format.syntax().indentation_nests() && !key.is_top())
        .then(|| indent_of(&side(Side::Upstream)).max(indent_of(&side(Side::Stashed))))
        .filter(|&n| n > 0);
    edit::edit_loop(cx, job, |cx, text| {
        let text = if format.syntax().entries_end_lines() {
            text
        } else {
            text.trim_end_matches(['\r', '\n'])
        };
        let reindented;
        let text = match want {
            Some(n) if indent_of(text) < n => {
                let pad = " ".repeat(n - indent_of(text));
                reindented = text
                    .split_inclusive('\n')
                    .map(|l| {
                        if l.trim().is_empty() {
                            l.to_owned()
                        } else {
                            format!("{pad}{l}")
                        }
                    })
                    .collect::<String>();
                reindented.as_str()
            }
            _ => text,
        };
        // A value inside a key is checked by the whole result below; an
        // item of a list has no key of its own to check.
        if key.is_top() {
            check_key(format, &key.to_string(), text)?;
        } else if let Some(Seg::Key(k)) = key.segs().last() {
            check_inner_key(format, k, text)?;
        }
        cx.check_whole(
            decisions,
            &Part::Key(key.clone()),
            &Resolution::Text(text.to_owned()),
        )?;
        Ok(text.to_owned())
    })
}

/// Checks an edited value inside a key: `key: value` (or `key = value`) of
/// exactly that key, valid in the format once its indentation is taken off.
fn check_inner_key(format: Format, key: &str, text: &str) -> Result<(), String> {
    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
    let dedented: String = text
        .split_inclusive('\n')
        .map(|l| {
            l.get(indent..)
                .filter(|_| l[..indent].trim().is_empty())
                .unwrap_or(l.trim_start())
        })
        .collect();
    let name = format.name();
    let map = format.parse_keys(&dedented).map_err(|e| {
        format!(
            "not valid {name} (line {} of your edit): {}",
            e.line, e.message
        )
    })?;
    match map.as_slice() {
        [(k, _)] if k == key => Ok(()),
        _ => Err(format!("write `{key}` and its value, and nothing else")),
    }
}

/// Checks an edited entry: valid in the frontmatter's format, exactly `key`,
/// and readable as one frontmatter entry (continuation lines indented).
pub(super) fn check_key(format: Format, key: &str, text: &str) -> Result<(), String> {
    let name = format.name();
    let map = format.parse_keys(text).map_err(|e| {
        format!(
            "not valid {name} (line {} of your edit): {}",
            e.line, e.message
        )
    })?;
    match map.as_slice() {
        [(k, _)] if k == key => {}
        [] => {
            return Err(format!(
                "no `{key}:` line is left (to leave `{key}` out, choose the side without it)"
            ))
        }
        [(k, _)] => return Err(format!("it defines `{k}` instead of `{key}`")),
        many => {
            let names: Vec<&str> = many.iter().map(|(k, _)| k.as_str()).collect();
            return Err(format!(
                "it defines {} keys ({}); only `{key}` belongs here",
                many.len(),
                names.join(", ")
            ));
        }
    }
    let one = format
        .syntax()
        .cut_as_one_entry(text)
        .map_err(|e| format!("not a frontmatter entry: {e}"))?;
    if !one {
        return Err(format!(
            "not one frontmatter entry: start with `{key}:` at the first column and indent the lines that continue it"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_keys_must_be_that_key_and_valid_yaml() {
        assert_eq!(check_key(Format::Yaml, "title", "title: \"x\"\n"), Ok(()));
        assert_eq!(
            check_key(Format::Yaml, "title", "# why\ntitle: >-\n  a\n  b\n"),
            Ok(())
        );
        assert!(check_key(Format::Yaml, "title", "title: [x\n")
            .unwrap_err()
            .contains("not valid YAML"));
        assert!(check_key(Format::Yaml, "title", "name: x\n")
            .unwrap_err()
            .contains("instead of `title`"));
        assert!(check_key(Format::Yaml, "title", "title: x\nb: 1\n")
            .unwrap_err()
            .contains("2 keys"));
        assert!(check_key(Format::Yaml, "title", "# only a comment\n")
            .unwrap_err()
            .contains("no `title:`"));
        assert!(check_key(Format::Yaml, "tags", "tags:\n- a\n- b\n").is_ok());
    }

    #[test]
    fn edited_keys_are_checked_in_the_frontmatter_format() {
        assert_eq!(check_key(Format::Toml, "title", "title = \"x\"\n"), Ok(()));
        assert_eq!(
            check_key(Format::Toml, "extra", "[extra]\nimage = \"i\"\n"),
            Ok(())
        );
        let e = check_key(Format::Toml, "title", "title = \"x\n").unwrap_err();
        assert!(e.contains("not valid TOML"), "{e}");
        assert!(check_key(Format::Toml, "title", "title: x\n").is_err());
        assert!(check_key(Format::Toml, "title", "title = 1\nx = 2\n")
            .unwrap_err()
            .contains("2 keys"));
        assert_eq!(
            check_key(Format::Json, "title", "  \"title\": \"x\""),
            Ok(())
        );
        let e = check_key(Format::Json, "title", "\"title\": x").unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        assert!(check_key(Format::Json, "title", "\"name\": 1")
            .unwrap_err()
            .contains("instead of `title`"));
    }

    #[test]
    fn an_edited_group_is_cut_into_its_entries_in_its_format() {
        let keys = ["commit", "drifted"];
        assert_eq!(
            group_entries(Format::Yaml, &keys, "# why\ncommit: c\ndrifted:\n  - a\n").unwrap(),
            [
                ("commit".to_owned(), "# why\ncommit: c\n".to_owned()),
                ("drifted".to_owned(), "drifted:\n  - a\n".to_owned())
            ]
        );
        assert_eq!(
            group_entries(Format::Toml, &keys, "commit = \"c\"\n").unwrap(),
            [("commit".to_owned(), "commit = \"c\"\n".to_owned())]
        );
        assert_eq!(
            group_entries(
                Format::Json,
                &keys,
                "  \"commit\": \"c\",\n  \"drifted\": false\n"
            )
            .unwrap()
            .into_iter()
            .map(|(k, t)| (
                k,
                crate::article::frontmatter::json::without_comma(&t)
                    .trim()
                    .to_owned()
            ))
            .collect::<Vec<_>>(),
            [
                ("commit".to_owned(), "\"commit\": \"c\"".to_owned()),
                ("drifted".to_owned(), "\"drifted\": false".to_owned())
            ]
        );
        let e = group_entries(Format::Yaml, &keys, "title: x\n").unwrap_err();
        assert!(e.contains("not in the group"), "{e}");
        let e = group_entries(Format::Yaml, &keys, "commit: [x\n").unwrap_err();
        assert!(e.contains("not valid YAML"), "{e}");
        let e = group_entries(Format::Toml, &keys, "commit = \"c\"\ncommit = \"d\"\n").unwrap_err();
        assert!(e.contains("not valid TOML") || e.contains("twice"), "{e}");
    }

    #[test]
    fn sequences_read_one_item_a_line() {
        let v = crate::article::frontmatter::yaml::parse_value("[a, b]").unwrap();
        assert_eq!(value_text(&v), "- a\n- b\n");
        assert_eq!(
            value_text(&crate::article::frontmatter::yaml::parse_value("\"x\"").unwrap()),
            "x"
        );
    }
}
