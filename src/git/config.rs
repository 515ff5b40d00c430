//! `git config`: reading and writing one key, in the repository of a folder
//! or the user's global file; reading several at once.

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

/// The values of `keys` (lower case, as git names them) in `cwd`, from one
/// `git config --get-regexp`: each key's last value (as `--get` answers),
/// `""` for a key set without one; unset keys are missing.
pub fn config_values(cwd: &Path, keys: &[&str]) -> std::collections::HashMap<String, String> {
    let mut found = std::collections::HashMap::new();
    if keys.is_empty() {
        return found;
    }
    let alternatives: Vec<String> = keys.iter().map(|k| k.replace('.', "\\.")).collect();
    let mut c = command(cwd, true);
    c.args(["config", "-z", "--get-regexp"])
        .arg(format!("^({})$", alternatives.join("|")));
    // Nothing set: exit 1 and nothing listed.
    let Ok(out) = run(c, None) else {
        return found;
    };
    for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let (key, value) = entry.split_once('\n').unwrap_or((&entry, ""));
        found.insert(key.to_owned(), value.trim_end().to_owned());
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_values_are_read_as_get_reads_each() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let o = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", dir.path())
                .output()
                .unwrap();
            assert!(o.status.success(), "{args:?}");
        };
        git(&["init", "-q"]);
        git(&["config", "core.autocrlf", "true"]);
        git(&["config", "--add", "core.eol", "lf"]);
        git(&["config", "--add", "core.eol", "crlf"]);
        git(&["config", "merge.frontmerge.driver", "x"]);
        let config = dir.path().join(".git/config");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, format!("{text}[merge]\n\tdefault\n")).unwrap();
        let keys = [
            "core.autocrlf",
            "core.eol",
            "merge.default",
            "core.ignorecase.x",
        ];
        let values = config_values(dir.path(), &keys);
        for key in keys {
            assert_eq!(
                values.get(key).map(String::as_str),
                config_get(dir.path(), false, key).as_deref(),
                "{key}"
            );
        }
        assert_eq!(values.get("core.eol").map(String::as_str), Some("crlf"));
        assert_eq!(values.get("merge.default").map(String::as_str), Some(""));
        assert_eq!(values.len(), 3, "{values:?}");
        assert!(config_values(dir.path(), &[]).is_empty());
    }
}
