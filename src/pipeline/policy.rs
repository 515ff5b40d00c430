//! How a file's conflicting leaves are decided, one value for every path:
//! `resolve` (batch and picker), the merge driver, replay, `diff`'s
//! preview. The chain that carries it out is [`super::cascade`].
//!
//! ```text
//! Policy { rules (field rules, key groups, sets), mode, prefer + date keys, links }
//!    └─ per file: Cascade ── works `--prefer` out once ──▶ ThreeWay, Rules, PreferStep
//! ```

use crate::article::Article;
use crate::conflict::sides::Sides;
use crate::decide::rules::{Mode, RuleSet};
use crate::decide::{date_fields, preferred, LinksPolicy, Prefer, Preferred};
use crate::git::kind::MergeKind;

/// The policy of one run.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Field rules and key groups in force (they also say which lists
    /// merge as sets).
    pub rules: RuleSet,
    /// The rules' answers settle (batch, driver) or are suggested (picker).
    pub mode: Mode,
    /// `--prefer`: what both sides changed goes to this side.
    pub prefer: Option<Prefer>,
    /// `--links`: how the related links are settled (with `--prefer`), or
    /// the picker's links checklist preset.
    pub links: Option<LinksPolicy>,
    /// The date keys `--prefer newest` reads: those given first, then the
    /// defaults, worked out once.
    date_fields: Vec<String>,
}

impl Policy {
    /// The rules `rules`, settling or suggesting; no `--prefer`.
    pub fn new(rules: RuleSet, mode: Mode) -> Policy {
        Policy {
            rules,
            mode,
            prefer: None,
            links: None,
            date_fields: date_fields(&[]),
        }
    }

    /// With `--prefer` and the `--date-field` keys given (the defaults
    /// follow them).
    pub fn with_prefer(mut self, prefer: Option<Prefer>, given_date_fields: &[String]) -> Policy {
        self.prefer = prefer;
        self.date_fields = date_fields(given_date_fields);
        self
    }

    /// With `--links`.
    pub fn with_links(mut self, links: Option<LinksPolicy>) -> Policy {
        self.links = links;
        self
    }

    /// The same policy for a merge of `kind`: conditional rules apply in
    /// merges of their kind only.
    pub fn for_kind(&self, kind: Option<MergeKind>) -> Policy {
        let mut p = self.clone();
        p.rules.set_kind(kind);
        p
    }

    /// The date keys `--prefer newest` reads, in order.
    pub fn date_fields(&self) -> &[String] {
        &self.date_fields
    }

    /// `--prefer` worked out for the file whose sides are `articles`;
    /// `None` without `--prefer`.
    pub fn preferred(&self, articles: &Sides<Article<'_>>) -> Option<Preferred> {
        self.prefer
            .map(|p| preferred(p, articles, &self.date_fields))
    }
}

impl Default for Policy {
    /// The default rules, settling, no `--prefer`.
    fn default() -> Policy {
        Policy::new(RuleSet::defaults(), Mode::Settle)
    }
}
