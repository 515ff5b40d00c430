//! A string entry as a side wrote it, so that a merged value can be written
//! back the same way: the same key line, the same quoting, the same comment.
//! How the format writes a string (quotes, block scalars, comments) is the
//! format's (`Syntax::string_text` cuts the entry, `Syntax::string_written`
//! writes a value in a style, see [`StringText`]); this module chooses the
//! style and checks the result.
//!
//! What is written is parsed back before it is used: a value that does not
//! read back as exactly the intended string is refused (then double quotes
//! are tried, then the caller falls back to asking).

use crate::article::frontmatter::{StringStyle, StringText};
use crate::article::{Entry, Format};

/// A scalar entry cut into the text around its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarText<'a> {
    key: String,
    format: Format,
    /// The key line, the quoting, what follows the value.
    cut: StringText<'a>,
}

impl<'a> ScalarText<'a> {
    /// Cuts a string entry; `None` for anything else or a layout not followed
    /// (tags, anchors, explicit indentation indicators).
    pub fn parse(entry: &Entry<'a>) -> Option<ScalarText<'a>> {
        entry.value.as_str()?;
        let cut = entry.format.syntax().string_text(entry.text, &entry.key)?;
        Some(ScalarText {
            key: entry.key.clone(),
            format: entry.format,
            cut,
        })
    }

    fn reads_back(&self, text: &str, value: &str, block: bool) -> bool {
        let Ok(map) = self.format.parse_keys(text) else {
            return false;
        };
        let [(k, v)] = map.as_slice() else {
            return false;
        };
        let Some(got) = v.as_str() else {
            return false;
        };
        k == &self.key
            && (got == value
                || (block && got.trim_end_matches('\n') == value.trim_end_matches('\n')))
    }

    /// The entry with `value` in this style (double quotes when this style
    /// cannot hold it); `None` when neither reads back as `value`.
    pub fn write(&self, value: &str) -> Option<String> {
        let syntax = self.format.syntax();
        for style in [self.cut.style, StringStyle::Double] {
            let block = matches!(style, StringStyle::Block { .. });
            if let Some(t) = syntax.string_written(&self.cut, style, value) {
                if self.reads_back(&t, value, block) {
                    return Some(t);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::frontmatter::yaml::value_start;
    use crate::article::{parse, ArticleOptions};

    fn rewrite(entry: &str, value: &str) -> Option<String> {
        let doc = format!("---\n{entry}---\n");
        let a = parse(&doc, &ArticleOptions::default()).unwrap();
        let e = a.entries().next().unwrap();
        ScalarText::parse(e)?.write(value)
    }

    #[test]
    fn finds_where_the_value_starts() {
        assert_eq!(value_start("title: x\n", "title"), Some(7));
        assert_eq!(
            value_start("cSpell:ignore: a b\n", "cSpell:ignore"),
            Some(15)
        );
        assert_eq!(value_start("\"a: b\":   x\n", "a: b"), Some(10));
        assert_eq!(value_start("ms.date: 01/02/2025\n", "ms.date"), Some(9));
        assert_eq!(value_start("tags:\n  - a\n", "tags"), Some(5));
    }

    #[test]
    fn keeps_each_quoting_style_and_comment() {
        assert_eq!(
            rewrite("keywords: \"a, b\"  # seo\n", "a, b, c").as_deref(),
            Some("keywords: \"a, b, c\"  # seo\n")
        );
        assert_eq!(
            rewrite("cSpell:ignore: foo bar\n", "foo bar baz").as_deref(),
            Some("cSpell:ignore: foo bar baz\n")
        );
        assert_eq!(
            rewrite("k:   'it''s'\n", "it's ok").as_deref(),
            Some("k:   'it''s ok'\n")
        );
        assert_eq!(
            rewrite("k: a b # why\n", "a b c").as_deref(),
            Some("k: a b c # why\n")
        );
        assert_eq!(
            rewrite("d: >-\n  folded\n  text\n", "new text").as_deref(),
            Some("d: >-\n  new text\n")
        );
        assert_eq!(
            rewrite("d: |\n    one\n    two\n", "one\ntwo\nthree\n").as_deref(),
            Some("d: |\n    one\n    two\n    three\n")
        );
        assert_eq!(
            rewrite("d:\n  plain on the next line\n", "other").as_deref(),
            Some("d:\n  other\n")
        );
    }

    #[test]
    fn falls_back_to_double_quotes_when_the_style_cannot_hold_it() {
        assert_eq!(
            rewrite("k: a b\n", "a: b #c").as_deref(),
            Some("k: \"a: b #c\"\n")
        );
        assert_eq!(
            rewrite("k: 'x'\n", "line\nbreak").as_deref(),
            Some("k: \"line\\nbreak\"\n")
        );
        assert_eq!(
            rewrite("k: \"x\"\r\n", "q\"\\").as_deref(),
            Some("k: \"q\\\"\\\\\"\r\n")
        );
    }

    #[test]
    fn toml_literal_and_basic_strings_keep_their_quoting() {
        let rewrite = |entry: &str, value: &str| {
            let doc = format!("+++\n{entry}+++\n");
            let a = parse(&doc, &ArticleOptions::default()).unwrap();
            let e = a.entries().next().unwrap().clone();
            ScalarText::parse(&e)?.write(value)
        };
        assert_eq!(
            rewrite("k = 'a b'  # c\n", "a b c").as_deref(),
            Some("k = 'a b c'  # c\n")
        );
        assert_eq!(
            rewrite("k = 'a'\n", "it's").as_deref(),
            Some("k = \"it's\"\n"),
            "a literal string cannot hold a quote"
        );
        assert_eq!(
            rewrite("k = \"a\"\r\n", "x\\y").as_deref(),
            Some("k = \"x\\\\y\"\r\n")
        );
        assert_eq!(rewrite("k = '''\nlong\n'''\n", "x"), None);
        assert_eq!(
            rewrite("k = 2024-01-02\n", "x"),
            None,
            "a date is no string"
        );
    }

    #[test]
    fn what_cannot_be_followed_is_refused() {
        assert_eq!(rewrite("k: !!str x\n", "y"), None);
        assert_eq!(rewrite("k: &a x\n", "y"), None);
        assert_eq!(rewrite("k: [a]\n", "y"), None);
        assert_eq!(rewrite("k: 12\n", "y"), None, "not a string");
        assert_eq!(rewrite("k: |2\n  x\n", "y"), None);
    }
}
