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
//! The entry was parsed whole by the TOML library before it gets here, so
//! the text is valid TOML: this reader only finds where values are written.

use super::{Kind, Span};

/// A cursor over an entry's text.
struct Reader<'t> {
    t: &'t str,
    b: &'t [u8],
    i: usize,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, s: &str) -> bool {
        self.b[self.i..].starts_with(s.as_bytes())
    }

    /// Spaces and tabs.
    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Spaces, line endings and comments.
    fn gaps(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.i += 1,
                Some(b'#') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// One key segment, unquoted.
    fn segment(&mut self) -> Option<String> {
        let start = self.i;
        match self.peek()? {
            b'"' => {
                let end = self.basic_end(self.i)?;
                self.i = end;
                let raw = &self.t[start..end];
                let doc = format!("{raw} = 1");
                let parsed = ::toml::from_str::<crate::article::Value>(&doc).ok()?;
                parsed.mapping()?.keys().next().cloned()
            }
            b'\'' => {
                let end = start + 1 + self.t[start + 1..].find('\'')?;
                self.i = end + 1;
                Some(self.t[start + 1..end].to_owned())
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                {
                    self.i += 1;
                }
                (self.i > start).then(|| self.t[start..self.i].to_owned())
            }
        }
    }

    /// A dotted key (`a`, `a.b`, `"a.b".c`), one string per segment.
    fn key(&mut self) -> Option<Vec<String>> {
        let mut segs = vec![self.segment()?];
        loop {
            self.blanks();
            if self.peek() != Some(b'.') {
                return Some(segs);
            }
            self.i += 1;
            self.blanks();
            segs.push(self.segment()?);
        }
    }

    /// One past the `"` closing the basic string opening at `open`.
    fn basic_end(&self, open: usize) -> Option<usize> {
        let mut i = open + 1;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                b'\n' => return None,
                _ => i += 1,
            }
        }
        None
    }

    /// One past the closing quotes of a multi-line string opening at the
    /// cursor (`"""` or `'''`); up to two more quotes belong to the string.
    fn multi_end(&self, q: u8) -> Option<usize> {
        let fence = [q, q, q];
        let mut i = self.i + 3;
        while i < self.b.len() {
            if q == b'"' && self.b[i] == b'\\' {
                i += 2;
                continue;
            }
            if self.b[i..].starts_with(&fence) {
                let mut end = i + 3;
                while end < self.b.len() && self.b[end] == q && end < i + 5 {
                    end += 1;
                }
                return Some(end);
            }
            i += 1;
        }
        None
    }

    /// The value at the cursor: its span, and the cursor after it.
    fn value(&mut self) -> Option<Span> {
        let start = self.i;
        let (end, kind) = match self.peek()? {
            q @ (b'"' | b'\'') if self.at(if q == b'"' { "\"\"\"" } else { "'''" }) => {
                (self.multi_end(q)?, Kind::Multiline)
            }
            b'"' => (self.basic_end(start)?, Kind::Double),
            b'\'' => {
                let close = start + 1 + self.t[start + 1..].find(['\'', '\n'])?;
                if self.b[close] != b'\'' {
                    return None;
                }
                (close + 1, Kind::Single)
            }
            b'[' => {
                self.i += 1;
                loop {
                    self.gaps();
                    if self.peek()? == b']' {
                        break;
                    }
                    self.value()?;
                    self.gaps();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => break,
                        _ => return None,
                    }
                }
                (self.i + 1, Kind::Collection)
            }
            b'{' => {
                self.table_members(&[], &[])?;
                (self.i, Kind::Collection)
            }
            _ => {
                let mut end = start;
                while self.b.get(end).is_some_and(|&c| {
                    !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#')
                }) {
                    end += 1;
                }
                // `1979-05-27 07:32:00Z`: a date and a time apart by one space.
                let date = &self.t[start..end];
                let is_date = date.len() == 10 && date.as_bytes()[4] == b'-';
                if is_date && self.b.get(end) == Some(&b' ') {
                    let time = &self.b[end + 1..];
                    if time.len() >= 3
                        && time[..2].iter().all(u8::is_ascii_digit)
                        && time[2] == b':'
                    {
                        end += 1;
                        while self.b.get(end).is_some_and(|&c| {
                            !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#')
                        }) {
                            end += 1;
                        }
                    }
                }
                (end, Kind::Plain)
            }
        };
        if end <= start {
            return None;
        }
        self.i = end;
        Some(Span { start, end, kind })
    }

    /// Reads the inline table at the cursor (`{ a = 1, b.c = 2 }`), whose
    /// own path is `prefix`; returns the span at `target` when it is in it.
    /// The cursor ends after the `}`.
    fn table_members(&mut self, prefix: &[String], target: &[String]) -> Option<Option<Span>> {
        self.i += 1; // `{`
        let mut found = None;
        loop {
            self.gaps();
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(found);
            }
            let segs = self.key()?;
            self.blanks();
            if self.peek()? != b'=' {
                return None;
            }
            self.i += 1;
            self.gaps();
            let full: Vec<String> = prefix.iter().chain(&segs).cloned().collect();
            if let Some(s) = self.member(&full, target)? {
                found.get_or_insert(s);
            }
            self.gaps();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {}
                _ => return None,
            }
        }
    }

    /// Reads the value of the key `full` at the cursor: its span when `full`
    /// is `target`, or the span at `target` inside it when it is an inline
    /// table on the way there.
    fn member(&mut self, full: &[String], target: &[String]) -> Option<Option<Span>> {
        let on_the_way = target.len() > full.len() && target.starts_with(full);
        if on_the_way && self.peek() == Some(b'{') {
            return self.table_members(full, target);
        }
        let span = self.value()?;
        Some((full == target).then_some(span))
    }
}

/// Where the value at `path` (dotted, inside the key `key`) is written in a
/// TOML entry's `text`.
pub fn locate(text: &str, key: &str, path: &str) -> Option<Span> {
    let target: Vec<String> = std::iter::once(key)
        .chain(path.split('.'))
        .map(str::to_owned)
        .collect();
    let mut r = Reader {
        t: text,
        b: text.as_bytes(),
        i: 0,
    };
    // The table the next key lines belong to; `None` under `[[array]]`.
    let mut table: Option<Vec<String>> = Some(Vec::new());
    loop {
        r.gaps();
        // The end of the text: the path is not there.
        r.peek()?;
        if r.peek() == Some(b'[') {
            let array = r.at("[[");
            r.i += if array { 2 } else { 1 };
            r.blanks();
            let path = r.key()?;
            r.blanks();
            if !r.at(if array { "]]" } else { "]" }) {
                return None;
            }
            r.i += if array { 2 } else { 1 };
            table = (!array).then_some(path);
            continue;
        }
        let segs = r.key()?;
        r.blanks();
        if r.peek()? != b'=' {
            return None;
        }
        r.i += 1;
        r.blanks();
        match &table {
            Some(t) => {
                let full: Vec<String> = t.iter().chain(&segs).cloned().collect();
                if let Some(span) = r.member(&full, &target)? {
                    return Some(span);
                }
            }
            None => {
                r.value()?;
            }
        }
    }
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
