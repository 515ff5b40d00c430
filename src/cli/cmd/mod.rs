//! One module per subcommand: each turns its clap arguments into a validated
//! configuration, runs it over the files, and returns an exit code.

pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod input;
pub(crate) mod install;
pub(crate) mod install_driver;
pub(crate) mod learn;
pub(crate) mod merge_driver;
pub(crate) mod mergetool;
pub(crate) mod replay;
pub(crate) mod resolve;
pub(crate) mod rules;

use crate::article::ArticleOptions;
use crate::cli::args::{ColorChoice, CommonArgs};
use crate::pipeline::Options;

/// Applies `--color` and NO_COLOR to both output streams.
pub(crate) fn apply_color(choice: ColorChoice) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => {
            console::set_colors_enabled(true);
            console::set_colors_enabled_stderr(true);
        }
        ColorChoice::Never => {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        ColorChoice::Auto if no_color => {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        ColorChoice::Auto => {}
    }
}

/// Pipeline options from the shared arguments.
pub(crate) fn options(common: &CommonArgs) -> Options {
    let mut article = ArticleOptions::default();
    article
        .link_headings
        .extend(common.link_headings.iter().cloned());
    Options {
        marker_size: common.marker_size.unwrap_or_default(),
        article,
        // Markers around what is left go where git's own merge puts them,
        // in the repository's conflict style.
        line_merger: Some(crate::git::line_merger_for(
            &std::env::current_dir().unwrap_or_else(|_| ".".into()),
        )),
        ..Options::default()
    }
}

/// `path:line:column` (or less, as far as the error knows) for messages.
pub(crate) fn error_location(path: &std::path::Path, e: &crate::error::Error) -> String {
    match (e.line(), e.column()) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
        (line, _) => location(path, line),
    }
}

/// `path:line: ` or `path: ` for messages.
pub(crate) fn location(path: &std::path::Path, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{}:{l}", path.display()),
        None => path.display().to_string(),
    }
}
