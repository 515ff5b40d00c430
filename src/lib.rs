//! frontmerge: resolve git conflicts in Markdown articles with YAML, TOML or JSON frontmatter,
//! part by part: each frontmatter key, the body, the related links.
//!
//! ```text
//! bytes ──scan──▶ chunks ──split──▶ Sides<text> ──parse──▶ Sides<Article> ──diff──▶ parts
//!                                                                                │
//!       file ◀──write── resolved bytes ◀──render── Decisions ◀──decide (policy / picker)
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod article;
pub(crate) mod check;
pub mod cli;
pub mod conflict;
pub mod decide;
mod error;
pub mod files;
pub mod git;
pub(crate) mod learn;
pub mod merge;
pub mod pipeline;
#[cfg(test)]
mod testing;
