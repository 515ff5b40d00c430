//! `git config`: reading and writing one key, in the repository of a folder
//! or the user's global file.

use std::path::Path;

use super::Result;
use super::{command, ok, run};

/// `git config --get KEY` in `cwd` (`--global` when `global`), `None` when unset.
pub fn config_get(cwd: &Path, global: bool, key: &str) -> Option<String> {
    let mut c = command(cwd, true);
    c.arg("config");
    if global {
        c.arg("--global");
    }
    c.args(["--get", key]);
    let out = run(c, None).ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
}

/// `git config [--global] KEY VALUE` in `cwd`.
pub fn config_set(cwd: &Path, global: bool, key: &str, value: &str) -> Result<()> {
    let mut c = command(cwd, true);
    c.arg("config");
    if global {
        c.arg("--global");
    }
    c.args([key, value]);
    ok(c, None).map(|_| ())
}
