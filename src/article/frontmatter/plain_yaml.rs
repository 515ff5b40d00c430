//! The plain YAML most frontmatter is written in, read line by line without
//! the YAML library: `check` reads thousands of files only to know they are
//! valid and which keys they hold, and the library's reader is most of that
//! time. Only text that is surely valid YAML is read here; anything else
//! (nested mappings, multi-line plain or quoted scalars, anchors, tags,
//! tabs, flow collections that are not JSON...) gives `None` and the
//! library decides, with its own message.
//!
//! ```text
//! title: "A \"quoted\" title"        double- or single-quoted, on one line
//! draft: false                       a plain scalar on one line (` # comment` after it)
//! summary: >-                        a block scalar, its lines indented
//!   Folded text.
//! tags:                              a block sequence of such scalars
//!   - a
//! schema: {"@type": "HowTo"}         JSON on one line (YAML reads JSON alike)
//! # a comment
//! ```

use std::collections::HashSet;

/// The top-level keys of `text`, in order, when all of it is plain YAML as
/// above with no key twice at any level; `None` otherwise.
pub fn keys(text: &str) -> Option<Vec<String>> {
    if !printable(text.as_bytes()) {
        return None;
    }
    let crlf = memchr::memchr(b'\r', text.as_bytes()).is_some();
    let mut lines = Vec::new();
    for raw in text.split_inclusive('\n') {
        let mut line = raw.strip_suffix('\n').unwrap_or(raw);
        if crlf {
            line = line.strip_suffix('\r').unwrap_or(line);
            // A CR anywhere else is a line break to YAML, not to this reader.
            if line.contains('\r') {
                return None;
            }
        }
        lines.push(line);
    }
    let mut keys: Vec<String> = Vec::new();
    // Keys seen so far: a few dozen are scanned (faster than hashing
    // them), more go into a set (scanning thousands was quadratic).
    let (mut few, mut many): (Vec<&str>, HashSet<&str>) = (Vec::new(), HashSet::new());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if is_blank_or_comment(line) {
            continue;
        }
        let (key, rest) = key_line(line)?;
        let fresh = if few.len() < 48 && many.is_empty() {
            let fresh = !few.contains(&key);
            few.push(key);
            fresh
        } else {
            many.extend(few.drain(..));
            many.insert(key)
        };
        if !fresh {
            return None;
        }
        keys.push(key.to_owned());
        let rest = rest.trim_start_matches(' ');
        if rest.is_empty() || rest.starts_with('#') {
            i = sequence(&lines, i)?;
        } else if let Some(header) = rest.strip_prefix(['|', '>']) {
            block_header(header)?;
            i = block_scalar(&lines, i)?;
        } else {
            one_line_value(rest)?;
            i = no_continuation(&lines, i)?;
        }
    }
    Some(keys)
}

/// No tab, and nothing YAML does not take as printable text: C0 controls
/// but LF and CR, DEL, C1 controls (`C2 80`–`C2 9F` in UTF-8), a byte order
/// mark inside, U+FFFE and U+FFFF. Read as bytes: this runs over every file.
fn printable(b: &[u8]) -> bool {
    let c0 = b
        .iter()
        .any(|&x| (x < 0x20 && x != b'\n' && x != b'\r') || x == 0x7f);
    let c1 = || {
        memchr::memchr_iter(0xc2, b).any(|i| b.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
    };
    let special = || {
        memchr::memchr_iter(0xef, b).any(|i| {
            matches!(
                b.get(i + 1..i + 3),
                Some([0xbb, 0xbf] | [0xbf, 0xbe] | [0xbf, 0xbf])
            )
        })
    };
    !c0 && !c1() && !special()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

/// `key:` at column 0: a key of letters, digits, `_`, `-` and `.` that
/// starts with a letter or `_` and is no YAML word for true, false or null;
/// the text after the colon (which must be followed by a space or the end).
fn key_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let (key, rest) = (&line[..colon], &line[colon + 1..]);
    let first = key.chars().next()?;
    let ok = (first.is_ascii_alphabetic() || first == '_')
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let word = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|w| key.eq_ignore_ascii_case(w));
    (ok && !word && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// After `key:` with nothing on its line: the items of a block sequence
/// (`- scalar`, all at one indentation), or nothing. Returns the next line.
fn sequence(lines: &[&str], mut i: usize) -> Option<usize> {
    let mut indent = None;
    while i < lines.len() {
        let line = lines[i];
        if is_blank_or_comment(line) {
            i += 1;
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let item = line[spaces..]
            .strip_prefix("- ")
            .or_else(|| (&line[spaces..] == "-").then_some(""));
        let Some(item) = item else {
            // A key at column 0 ends it; anything indented is not plain.
            return (spaces == 0).then_some(i);
        };
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        let item = item.trim_start_matches(' ');
        // `- ` alone (null), or `- - x` and `- key: x` (not plain).
        if item.is_empty() || item.starts_with('#') || item.starts_with('-') {
            return None;
        }
        if item.starts_with(['[', '{']) {
            return None;
        }
        one_line_value(item)?;
        i += 1;
    }
    Some(i)
}

/// `|` or `>` with an optional chomping `-` or `+`, then nothing or a
/// comment (an indentation digit is left to the library).
fn block_header(header: &str) -> Option<()> {
    let rest = header.strip_prefix(['-', '+']).unwrap_or(header);
    (rest.is_empty() || rest.starts_with(" #") || rest.trim_start_matches(' ').is_empty())
        .then_some(())
}

/// The lines of a block scalar: each non-blank one indented at least as
/// far as the first (which is indented), up to a line at column 0.
fn block_scalar(lines: &[&str], mut i: usize) -> Option<usize> {
    let mut indent = None;
    while i < lines.len() {
        let line = lines[i];
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if spaces == line.len() {
            // An all-space line before the first text line must not be
            // longer than that line's indentation: left to the library.
            if indent.is_none() && spaces > 0 {
                return None;
            }
            i += 1;
            continue;
        }
        if spaces == 0 {
            return Some(i);
        }
        match indent {
            None => indent = Some(spaces),
            Some(n) if spaces < n => return None,
            Some(_) => {}
        }
        i += 1;
    }
    Some(i)
}

/// After a value on the key's line: no indented line may follow it (it
/// would continue a plain scalar, or be an error), comments aside.
fn no_continuation(lines: &[&str], mut i: usize) -> Option<usize> {
    while i < lines.len() {
        let line = lines[i];
        if is_blank_or_comment(line) {
            i += 1;
            continue;
        }
        return (!line.starts_with(' ')).then_some(i);
    }
    Some(i)
}

/// A value that ends on its line: a quoted scalar, JSON, or a plain scalar,
/// each optionally followed by ` # comment`.
fn one_line_value(v: &str) -> Option<()> {
    let after = match v.as_bytes()[0] {
        b'"' => double_quoted(v)?,
        b'\'' => single_quoted(v)?,
        b'[' | b'{' => return json(v),
        _ => return plain(v),
    };
    comment_or_nothing(after)
}

/// Nothing but spaces, or a comment after at least one space.
fn comment_or_nothing(rest: &str) -> Option<()> {
    let t = rest.trim_start_matches(' ');
    (t.is_empty() || (t.starts_with('#') && t.len() < rest.len())).then_some(())
}

/// A double-quoted scalar closed on this line with YAML's escapes; the rest
/// of the line after it.
fn double_quoted(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some(&v[i + 1..]),
            b'\\' => {
                let hex = match *b.get(i + 1)? {
                    b'0' | b'a' | b'b' | b't' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
                    | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
                    b'x' => 2,
                    b'u' => 4,
                    b'U' => 8,
                    _ => return None,
                };
                let digits = b.get(i + 2..i + 2 + hex)?;
                if !digits.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                // A code point that is not a character (a surrogate, past
                // U+10FFFF): left to the library.
                if hex > 0 {
                    let n = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
                    char::from_u32(n)?;
                }
                i += 2 + hex;
            }
            _ => i += 1,
        }
    }
    None
}

/// A single-quoted scalar (`''` is a quote) closed on this line; the rest.
fn single_quoted(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(&v[i + 1..]);
        }
        i += 1;
    }
    None
}

/// A plain scalar on one line: it starts with no indicator (a `-` only
/// before a digit), holds no `: ` and does not end in `:`; ` #` starts a
/// comment.
fn plain(v: &str) -> Option<()> {
    let value = match v.find(" #") {
        Some(at) => &v[..at],
        None => v,
    };
    let value = value.trim_end_matches(' ');
    let mut chars = value.chars();
    let first = chars.next()?;
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let negative = first == '-' && chars.next().is_some_and(|c| c.is_ascii_digit());
    if (indicator && !negative) || value.contains(": ") || value.ends_with(':') {
        return None;
    }
    Some(())
}

/// A flow collection written as JSON on one line, no key twice in any
/// object, no key longer than YAML's limit; a comment may follow.
fn json(v: &str) -> Option<()> {
    // `\u` escapes may spell surrogates, which YAML refuses: not plain.
    if v.contains("\\u") {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(v).into_iter::<Unique>();
    stream.next()?.ok()?;
    comment_or_nothing(&v[stream.byte_offset()..])
}

/// A JSON value walked to refuse an object with a key twice (serde_json's
/// own value keeps the last silently) or a key of 1,000 bytes or more (a
/// flow mapping's keys are implicit keys, which YAML limits to 1,024
/// characters).
struct Unique;
impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Unique;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_unit<E>(self) -> Result<Unique, E> {
                Ok(Unique)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Unique, A::Error> {
                while seq.next_element::<Unique>()?.is_some() {}
                Ok(Unique)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Unique, A::Error> {
                let mut keys = HashSet::new();
                while let Some(k) = map.next_key::<String>()? {
                    if k.len() >= 1000 || !keys.insert(k) {
                        return Err(serde::de::Error::custom("not plain"));
                    }
                    map.next_value::<Unique>()?;
                }
                Ok(Unique)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(text: &str) -> Option<Vec<String>> {
        super::super::yaml::parse_mapping(text)
            .ok()
            .map(|m| m.into_iter().map(|(k, _)| k).collect())
    }

    /// Whatever this reader accepts, the library reads the same keys from.
    fn agrees(text: &str) -> Option<Vec<String>> {
        let fast = keys(text);
        if let Some(k) = &fast {
            assert_eq!(Some(k.clone()), library(text), "{text:?}");
        }
        fast
    }

    #[test]
    fn plain_frontmatter_is_read_without_the_library() {
        let text = "title: \"A \\\"q\\\" \\u00e9\"\ndraft: false # no\nweight: -1\nsummary: >-\n  Folded\n    more\n\n  text\ntags:\n  - a\n  - 'b''s'\n# note\nschema: {\"@type\": \"HowTo\", \"n\": [1, {\"a\": null}]}\nms.date: 01/18/2026\n";
        assert_eq!(
            agrees(text).unwrap(),
            ["title", "draft", "weight", "summary", "tags", "schema", "ms.date"]
        );
        assert_eq!(
            agrees("list:\n- a\n- b\nnext: 1\n").unwrap(),
            ["list", "next"]
        );
        assert_eq!(agrees("empty:\nafter: x\n").unwrap(), ["empty", "after"]);
    }

    #[test]
    fn a_key_twice_among_many_is_left_to_the_library() {
        let many: String = (0..200).map(|i| format!("k{i}: v\n")).collect();
        assert_eq!(keys(&many).map(|k| k.len()), Some(200));
        // Found again past the few scanned, and among them.
        for again in ["k150: w\n", "k3: w\n"] {
            assert_eq!(keys(&format!("{many}{again}")), None, "{again}");
        }
        assert_eq!(keys("a: 1\nb: 2\na: 3\n"), None);
    }

    use proptest::prelude::*;

    /// Lines that YAML frontmatter is made of, plain or not, to be mixed.
    fn line() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("title"),
            Just("tags"),
            Just("ms.date"),
            Just("a-b"),
            Just("_x"),
            Just("true"),
            Just("1"),
            Just("k:v"),
            Just("title"),
            Just("Yes"),
        ];
        let value = prop_oneof![
            Just(""),
            Just(" x"),
            Just(" \"q \\\" \\u00e9\""),
            Just(" 'it''s'"),
            Just(" -1"),
            Just(" a: b"),
            Just(" a:"),
            Just(" a #c"),
            Just(" a#c"),
            Just(" |"),
            Just(" >-"),
            Just(" |2"),
            Just(" {\"a\": [1, {\"b\": null}]}"),
            Just(" {\"a\":1,\"a\":2}"),
            Just(" [a, b]"),
            Just(" [1, 2] # c"),
            Just(" &x 1"),
            Just(" *x"),
            Just(" !t x"),
            Just(" \"open"),
            Just(" 'open"),
            Just(" %"),
            Just(" @x"),
            Just(" - x"),
            Just(" \"\\ud800\""),
            Just(" \"\\x4g\""),
            Just(" ~"),
            Just(" null"),
            Just(":"),
        ];
        let other = prop_oneof![
            Just("  - a".to_owned()),
            Just("- b".to_owned()),
            Just("  - 'c'".to_owned()),
            Just("    - d".to_owned()),
            Just("  - e: f".to_owned()),
            Just("  text".to_owned()),
            Just("    more text".to_owned()),
            Just(" less".to_owned()),
            Just("".to_owned()),
            Just("  ".to_owned()),
            Just("# c".to_owned()),
            Just("  # c".to_owned()),
            Just("---".to_owned()),
            Just("\tx: 1".to_owned()),
            Just("  key: v".to_owned()),
            Just("  -".to_owned()),
            Just("? x".to_owned()),
            Just("x: y\r".to_owned()),
        ];
        prop_oneof![
            3 => (key, value).prop_map(|(k, v)| format!("{k}:{v}")),
            2 => other,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Whatever the plain reader accepts, the library reads alike.
        #[test]
        fn the_plain_reader_agrees_with_the_library(lines in prop::collection::vec(line(), 0..10)) {
            let text = lines.join("\n") + "\n";
            let _ = agrees(&text);
        }
    }

    #[test]
    fn anything_else_is_left_to_the_library() {
        for text in [
            "a: b\na: c\n",              // duplicate
            "menu:\n  main: x\n",        // nested mapping
            "a: b\n  c\n",               // multi-line plain
            "a: \"open\n  close\"\n",    // multi-line quoted
            "a: &x 1\nb: *x\n",          // anchors
            "a: !tag x\n",               // tags
            "a: b: c\n",                 // not a plain scalar
            "a:\tb\n",                   // tab
            "true: x\n",                 // a bool key
            "a: {\"k\": 1, \"k\": 2}\n", // duplicate inside JSON
            "a: [a, b]\n",               // flow, not JSON
            "a: |2\n  x\n",              // indentation digit
            "a: >\n  x\n y\n",           // less indented
            "- a\n",                     // not a mapping
            "a: \"\\ud83d\"\n",          // a surrogate
            "aliases:\n  - %\n",         // PowerShell-Docs' real defect
            "a: - b\n",                  // plain starting with `- `
            "a:\n  - b: c\n",            // mapping in a sequence
        ] {
            assert_eq!(agrees(text), None, "{text:?}");
        }
    }
}
