//! Inner values of a TOML entry, found by dotted path: keys of a `[table]`
//! section and its sub-tables, dotted keys, and inline tables.
//!
//! ```text
//! [extra]                          entry "extra"
//! updated = 2024-01-02             extra.updated      (a key of the section)
//! seo.title = "T"                  extra.seo.title    (a dotted key in it)
//! links = { home = "/" }           extra.links.home   (an inline table)
//! [extra.social]
//! x = 'x'                          extra.social.x     (a sub-table)
//! [[extra.menu]]                   arrays of tables: no path reaches inside
//! name = "m"
//! ```
//!
//! The TOML library reads the entry and says where each value is written
//! (its spans): nothing is re-derived by hand.

use toml_edit::TableLike;

use super::{Kind, Span};

/// Where the value at `path` (dotted, inside the key `key`) is written in a
/// TOML entry's `text`: the span the TOML library read it from. `None` for
/// a table written as a section of its own, an array of tables, or a path
/// that is not there.
pub fn locate(text: &str, key: &str, path: &str) -> Option<Span> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let segs: Vec<&str> = std::iter::once(key).chain(path.split('.')).collect();
    let (last, parents) = segs.split_last()?;
    let mut table: &dyn TableLike = doc.as_table();
    for seg in parents {
        table = table.get(seg)?.as_table_like()?;
    }
    let range = table.get(last)?.as_value()?.span()?;
    let raw = text.get(range.clone())?;
    let kind = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        Kind::Multiline
    } else {
        match raw.as_bytes().first()? {
            b'"' => Kind::Double,
            b'\'' => Kind::Single,
            b'[' | b'{' => Kind::Collection,
            _ => Kind::Plain,
        }
    };
    Some(Span {
        start: range.start,
        end: range.end,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, key: &str, path: &str) -> Option<String> {
        locate(text, key, path).map(|s| text[s.start..s.end].to_owned())
    }

    const EXTRA: &str = "[extra]\nupdated = 2024-01-02 # bumped\n\"odd key\" = 'x'\nseo.title = \"T \\\" q\"\nlinks = { home = \"/\", deep = { a = 1979-05-27 07:32:00Z }, list = [1, 2] }\nlong = \"\"\"\nno = \"key\"\n\"\"\"\n[extra.social]\nx = 'lit'\ntags = [\n  \"a\", # one\n  \"b\",\n]\n[[extra.menu]]\nname = \"m\"\n[extra.after]\nz = 3\n";

    #[test]
    fn finds_values_in_sections_sub_tables_dotted_keys_and_inline_tables() {
        assert_eq!(at(EXTRA, "extra", "updated").as_deref(), Some("2024-01-02"));
        assert_eq!(at(EXTRA, "extra", "odd key").as_deref(), Some("'x'"));
        assert_eq!(
            at(EXTRA, "extra", "seo.title").as_deref(),
            Some("\"T \\\" q\"")
        );
        assert_eq!(at(EXTRA, "extra", "links.home").as_deref(), Some("\"/\""));
        assert_eq!(
            at(EXTRA, "extra", "links.deep.a").as_deref(),
            Some("1979-05-27 07:32:00Z")
        );
        assert_eq!(at(EXTRA, "extra", "links.list").as_deref(), Some("[1, 2]"));
        assert_eq!(
            at(EXTRA, "extra", "long").as_deref(),
            Some("\"\"\"\nno = \"key\"\n\"\"\"")
        );
        assert_eq!(at(EXTRA, "extra", "social.x").as_deref(), Some("'lit'"));
        assert_eq!(
            at(EXTRA, "extra", "social.tags").as_deref(),
            Some("[\n  \"a\", # one\n  \"b\",\n]")
        );
        assert_eq!(at(EXTRA, "extra", "after.z").as_deref(), Some("3"));
        // Not values written in place: tables, array items, missing keys.
        assert_eq!(at(EXTRA, "extra", "social"), None);
        assert_eq!(at(EXTRA, "extra", "menu.name"), None);
        assert_eq!(at(EXTRA, "extra", "name"), None);
        assert_eq!(at(EXTRA, "extra", "no"), None);
        assert_eq!(
            at(EXTRA, "extra", "links").as_deref(),
            Some("{ home = \"/\", deep = { a = 1979-05-27 07:32:00Z }, list = [1, 2] }")
        );
    }

    #[test]
    fn dotted_and_inline_entries_at_the_top() {
        let dotted = "extra.updated = 2024-01-02T10:00:00+02:00\nextra.seo.title = 'T'\n";
        assert_eq!(
            at(dotted, "extra", "updated").as_deref(),
            Some("2024-01-02T10:00:00+02:00")
        );
        assert_eq!(at(dotted, "extra", "seo.title").as_deref(), Some("'T'"));
        let inline = "extra = {updated=2024-01-02,seo={title=\"T\"}}  # c\n";
        assert_eq!(
            at(inline, "extra", "updated").as_deref(),
            Some("2024-01-02")
        );
        assert_eq!(at(inline, "extra", "seo.title").as_deref(), Some("\"T\""));
        assert_eq!(at(inline, "other", "updated"), None);
        let crlf = "[taxonomies]\r\ntags = [\"a\", \"b\"]\r\n";
        assert_eq!(
            at(crlf, "taxonomies", "tags").as_deref(),
            Some("[\"a\", \"b\"]")
        );
    }
}
