//! The integration tests: one crate (one link, one binary to run), a module
//! per area, and the helpers they share in `common`.

mod common;

mod atomicity;
mod check;
mod cli_resolve;
mod driver;
mod engine_props;
mod engine_repros;
mod exit_codes;
mod fences;
mod files_edges;
mod fixtures;
mod formats;
mod front_door;
mod git;
mod groups;
mod house;
mod inner_keys;
mod interrupt;
mod kinds;
mod learn;
mod links;
mod mergetool;
mod never_worse;
mod never_worse_props;
mod newest;
mod operations;
mod picker;
mod picker_answers;
mod picker_panes;
mod picker_terminal;
mod properties;
mod reliability;
mod repos;
mod rules;
mod screens;
mod staged;
mod terminal;
mod untrusted;
mod valid_frontmatter;
mod walks;
