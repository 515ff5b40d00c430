//! Where git runs hooks from.

use std::path::PathBuf;

use super::Result;
use super::{ok, path_from_bytes, Repo};

impl Repo {
    /// The folder git runs hooks from: `core.hooksPath` when set (relative to
    /// the work tree's top, where hooks run), else the repository's `hooks`.
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let mut c = self.git();
        c.args(["rev-parse", "--git-path", "hooks"]);
        let mut out = ok(c, None)?;
        while out.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
            out.pop();
        }
        let p = path_from_bytes(&out);
        Ok(if p.is_absolute() { p } else { self.top.join(p) })
    }
}
