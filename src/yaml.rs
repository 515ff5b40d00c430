//! Every call into the YAML library lives here.
//!
//! The crate is `serde_yaml` by name and `serde_norway` underneath (the
//! maintained fork of the archived upstream). Frontmatter is never
//! re-serialised: YAML is parsed only to validate and to compare values.

use serde_yaml::{Mapping, Value};

/// A YAML value, compared as data (`"a"`, `'a'` and `a` are equal).
pub type YamlValue = Value;

/// A YAML syntax error, with a 1-based line relative to the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text, when the library knows it.
    pub line: Option<usize>,
    /// The library's message.
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn error(e: serde_yaml::Error) -> YamlError {
    // The library's positions count from the start of the parsed text, not
    // the file; callers report the file line, so they are dropped here.
    static POSITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r" at line \d+ column \d+").expect("valid regex")
    });
    let mut message = POSITION.replace_all(&e.to_string(), "").into_owned();
    if message.contains("repetition limit exceeded") {
        message = "aliases (`*name`) expand to too much data (repetition limit exceeded)".into();
    }
    YamlError {
        line: e.location().map(|l| l.line()),
        message,
    }
}

/// How deep `[`/`{` may nest. The library refuses documents nested deeper
/// than 128 levels, but only after its scanner has spent time quadratic in
/// the depth (100,000 nested `[` took 90 s): [`check_depth`] refuses first.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Refuses text whose `[`/`{` nest deeper than [`MAX_FLOW_DEPTH`], counting
/// every bracket (also in strings: an over-estimate only for text with more
/// than a hundred unmatched brackets inside quotes). Linear time.
pub fn check_depth(text: &str) -> Result<(), YamlError> {
    let (mut depth, mut line) = (0usize, 1);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
        if depth > MAX_FLOW_DEPTH {
            return Err(YamlError {
                line: Some(line),
                message: format!("`[`/`{{` nested deeper than {MAX_FLOW_DEPTH} levels"),
            });
        }
    }
    Ok(())
}

/// Parses a frontmatter document into its top-level keys and values, in order.
///
/// An empty document is an empty mapping. Duplicate keys, a document that is
/// not a mapping, and syntax errors are errors.
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    check_depth(text)?;
    let value: Value = serde_yaml::from_str(text).map_err(error)?;
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Mapping(m) => Ok(m.into_iter().map(|(k, v)| (key_text(&k), v)).collect()),
        _ => Err(YamlError {
            line: Some(1),
            message: "frontmatter is not a mapping of keys to values".into(),
        }),
    }
}

/// Parses one value in isolation (a field edited by the user, say).
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    check_depth(text)?;
    serde_yaml::from_str(text).map_err(error)
}

/// The text of a mapping key as the user wrote it, unquoted.
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim_end().to_owned())
            .unwrap_or_default(),
    }
}

/// A short one-line rendering of a value, for summaries.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Tagged(t) => format!("{} {}", t.tag, display(&t.value)),
        Value::Sequence(_) | Value::Mapping(_) => {
            serde_json::to_string(&to_json(value)).unwrap_or_default()
        }
    }
}

/// The value as JSON, for `--json` output.
pub fn to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The items of a sequence value, or `None` when it is not a sequence.
pub fn sequence(value: &Value) -> Option<&[Value]> {
    value.as_sequence().map(|s| s.as_slice())
}

/// A string value, when the value is one.
pub fn as_str(value: &Value) -> Option<&str> {
    value.as_str()
}

/// Dotted paths of the inner keys that differ between two mappings, e.g.
/// `name`, `aggregateRating.reviewCount`. Empty when either is not a mapping.
pub fn inner_differences(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (a.as_mapping(), b.as_mapping()) {
        diff_mappings(a, b, "", &mut out);
    }
    out
}

fn diff_mappings(a: &Mapping, b: &Mapping, prefix: &str, out: &mut Vec<String>) {
    let path = |k: &Value| format!("{prefix}{}", key_text(k));
    for (k, va) in a {
        match b.get(k) {
            None => out.push(path(k)),
            Some(vb) if va == vb => {}
            Some(vb) => match (va.as_mapping(), vb.as_mapping()) {
                (Some(ma), Some(mb)) => diff_mappings(ma, mb, &format!("{}.", path(k)), out),
                _ => out.push(path(k)),
            },
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            out.push(path(k));
        }
    }
}

/// The value at a dotted path inside nested mappings (`image.url`).
pub fn get_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, k| v.as_mapping()?.get(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_alone_does_not_change_a_value() {
        let a = parse_value("\"Привет\"").unwrap();
        let b = parse_value("'Привет'").unwrap();
        let c = parse_value("Привет").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_ne!(
            parse_value("\"2025\"").unwrap(),
            parse_value("2025").unwrap()
        );
    }

    #[test]
    fn mapping_keeps_key_order_and_rejects_duplicates() {
        let m = parse_mapping("b: 1\na: >-\n  folded\n  text\n").unwrap();
        assert_eq!(m[0].0, "b");
        assert_eq!(m[1], ("a".into(), Value::String("folded text".into())));
        let e = parse_mapping("title: a\ntitle: b\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert!(parse_mapping("- a\n- b\n").is_err());
        let e = parse_mapping("a: [1\n").unwrap_err();
        assert!(e.line.is_some());
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert!(parse_mapping("\n").unwrap().is_empty());
    }

    #[test]
    fn names_inner_json_keys_that_differ() {
        let a = parse_value(r#"{"name":"A","r":{"c":1,"v":"4"},"x":1}"#).unwrap();
        let b = parse_value(r#"{"name":"B","r":{"c":2,"v":"4"},"y":1}"#).unwrap();
        assert_eq!(inner_differences(&a, &b), ["name", "r.c", "x", "y"]);
        assert_eq!(display(get_path(&a, "r.v").unwrap()), "4");
    }

    #[test]
    fn deep_nesting_is_refused_before_the_library_sees_it() {
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let start = std::time::Instant::now();
        let e = parse_mapping(&deep).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert!(
            e.message.contains("nested deeper than 128"),
            "{}",
            e.message
        );
        let ok = format!("x: {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_mapping(&ok).is_ok());
        let flat = format!("x: [{}]\n", vec!["[1]"; 10_000].join(", "));
        assert!(parse_mapping(&flat).is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse_mapping(&doc).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
    }
}
