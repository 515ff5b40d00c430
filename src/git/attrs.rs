//! Attributes: `conflict-marker-size`, and which paths git converts on
//! checkout (line endings, filters), through `git check-attr`.

use std::path::PathBuf;

use super::Result;
use super::{config_values, nul_input, ok, path_from_bytes, Repo};
use crate::conflict::marker_size::MarkerSize;

/// Parses `git check-attr -z ATTR`: `<path>\0<attr>\0<value>\0` triples,
/// the value as a marker size ([`MarkerSize::of_attribute`]: `None` when
/// unset or not a positive number).
pub fn parse_marker_sizes(bytes: &[u8]) -> Vec<(PathBuf, Option<MarkerSize>)> {
    let f: Vec<&[u8]> = bytes
        .strip_suffix(b"\0")
        .unwrap_or(bytes)
        .split(|&b| b == 0)
        .collect();
    f.chunks_exact(3)
        .map(|c| {
            let size = std::str::from_utf8(c[2])
                .ok()
                .and_then(MarkerSize::of_attribute);
            (path_from_bytes(c[0]), size)
        })
        .collect()
}

impl Repo {
    /// The `conflict-marker-size` attribute of each path (relative to the
    /// top), from the index's `.gitattributes` when `cached`.
    pub fn marker_sizes(&self, rels: &[PathBuf], cached: bool) -> Result<Vec<Option<MarkerSize>>> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.git();
        c.args(["check-attr", "-z", "--stdin"]);
        if cached {
            c.arg("--cached");
        }
        c.arg("conflict-marker-size");
        let out = ok(c, Some(&nul_input(rels)))?;
        // Triples in the order asked.
        Ok(parse_marker_sizes(&out)
            .into_iter()
            .map(|(_, s)| s)
            .chain(std::iter::repeat(None))
            .take(rels.len())
            .collect())
    }

    /// Which paths (relative to the top) git converts on checkout: an eol,
    /// text, filter, ident or working-tree-encoding attribute, or
    /// `core.autocrlf`/`core.eol` asking for CRLF; which a merge driver of
    /// the person's merges (see [`CheckoutAttrs::driven`]); and each one's
    /// `conflict-marker-size`. One `git
    /// check-attr`, from the index's `.gitattributes` alone when `cached`
    /// (as a checkout into an empty work tree reads them).
    pub fn checkout_attrs(&self, rels: &[PathBuf], cached: bool) -> Result<CheckoutAttrs> {
        let config = self
            .checkout_config
            .get_or_init(|| CheckoutConfig::read(&self.top));
        let (autocrlf, eol_crlf) = (config.autocrlf, config.eol_crlf);
        let mut c = self.git();
        c.args(["check-attr", "-z", "--stdin"]);
        if cached {
            c.arg("--cached");
        }
        c.args([
            "text",
            "eol",
            "filter",
            "ident",
            "working-tree-encoding",
            "merge",
            "conflict-marker-size",
        ]);
        let out = ok(c, Some(&nul_input(rels)))?;
        let mut attrs = CheckoutAttrs {
            filtered: vec![false; rels.len()],
            driven: vec![false; rels.len()],
            marker_sizes: vec![None; rels.len()],
        };
        let fields: Vec<&[u8]> = out.split(|&b| b == 0).collect();
        for triple in fields.chunks_exact(3) {
            let path = path_from_bytes(triple[0]);
            let (attr, value) = (triple[1], triple[2]);
            let Some(i) = rels.iter().position(|r| *r == path) else {
                continue;
            };
            match attr {
                b"conflict-marker-size" => {
                    attrs.marker_sizes[i] = std::str::from_utf8(value)
                        .ok()
                        .and_then(MarkerSize::of_attribute);
                }
                b"merge" => {
                    attrs.driven[i] = match value {
                        b"unspecified" => config.default_driver,
                        _ => driver_named(value),
                    };
                }
                // Unset `text` (binary) converts nothing; set or auto
                // converts line endings when CRLF is asked for.
                b"text" => {
                    attrs.filtered[i] |= match value {
                        b"unset" => false,
                        b"unspecified" => autocrlf,
                        _ => autocrlf || eol_crlf,
                    }
                }
                _ => attrs.filtered[i] |= value != b"unspecified" && value != b"unset",
            }
        }
        Ok(attrs)
    }
}

/// What a checkout of the stages takes from the configuration: one `git
/// config` for the three keys (each its own process, a single-file resolve
/// paid three).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct CheckoutConfig {
    /// `core.autocrlf` is `true`.
    autocrlf: bool,
    /// `core.eol` is `crlf`.
    eol_crlf: bool,
    /// `merge.default` names a merge driver (see [`driver_named`]).
    default_driver: bool,
}

impl CheckoutConfig {
    fn read(top: &std::path::Path) -> CheckoutConfig {
        let values = config_values(top, &["core.autocrlf", "core.eol", "merge.default"]);
        let is = |key: &str, value: &str| values.get(key).is_some_and(|v| v == value);
        CheckoutConfig {
            autocrlf: is("core.autocrlf", "true"),
            eol_crlf: is("core.eol", "crlf"),
            default_driver: values
                .get("merge.default")
                .is_some_and(|d| driver_named(d.as_bytes())),
        }
    }
}

/// Whether a `merge` attribute's value (or `merge.default`) names a merge
/// driver of the person's (`merge.NAME.driver`, this tool's own once
/// installed): not git's built-in `text`, `binary` or `union`, nor set
/// (text) or unset (binary). A name no driver is configured for merges as
/// text in git; it is counted as a driver all the same (its merge is then
/// `git merge-file`'s, the same text merge).
fn driver_named(value: &[u8]) -> bool {
    !matches!(
        value,
        b"set" | b"unset" | b"unspecified" | b"text" | b"binary" | b"union"
    )
}

/// What [`Repo::checkout_attrs`] found for each path asked about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckoutAttrs {
    /// git converts it on checkout (line endings, filters).
    pub filtered: Vec<bool>,
    /// Its merges run a merge driver of the person's (`merge=NAME` with
    /// `merge.NAME.driver`): a `checkout --conflict` of it would run that
    /// driver, whose result is not git's line merge.
    pub driven: Vec<bool>,
    /// Its `conflict-marker-size` (`None` unset or not a positive number).
    pub marker_sizes: Vec<Option<MarkerSize>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_attribute_names_a_driver_unless_git_s_own() {
        for own in ["set", "unset", "unspecified", "text", "binary", "union"] {
            assert!(!driver_named(own.as_bytes()), "{own}");
        }
        for driver in ["frontmerge", "mergiraf", "Text"] {
            assert!(driver_named(driver.as_bytes()), "{driver}");
        }
    }

    #[test]
    fn marker_size_attributes() {
        let raw = b"a b.md\x00conflict-marker-size\x0012\x00c.md\x00conflict-marker-size\x00unspecified\x00";
        assert_eq!(
            parse_marker_sizes(raw),
            [
                (PathBuf::from("a b.md"), MarkerSize::new(12)),
                (PathBuf::from("c.md"), None)
            ]
        );
    }
}
