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
    // Fewer brackets than the limit cannot nest past it: the usual case,
    // found at memory speed.
    if memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count() <= MAX_FLOW_DEPTH {
        return Ok(());
    }
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

/// Validates a frontmatter document like [`parse_mapping`] and returns its
/// top-level keys in order, each with `Value::Null`: the same errors
/// (syntax, not a mapping, duplicate keys) without building values, for
/// callers that only check.
pub fn parse_keys(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    check_depth(text)?;
    match serde_yaml::from_str::<Keys>(text) {
        Ok(keys) => Ok(keys.0),
        Err(e) if e.to_string().contains("a mapping of keys to values") => Err(YamlError {
            line: Some(1),
            message: "frontmatter is not a mapping of keys to values".into(),
        }),
        Err(e) => Err(error(e)),
    }
}

/// The top-level keys of a document, read by [`parse_keys`].
struct Keys(Vec<(String, Value)>);

/// A value walked only to find what [`parse_mapping`] would refuse in it:
/// duplicate keys in nested mappings. Scalars are not kept.
struct Checked;

/// Checks a mapping's keys are unique, walking its values; returns the keys.
fn unique_keys<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Vec<Value>, A::Error> {
    let mut keys: Vec<Value> = Vec::new();
    while let Some(key) = map.next_key::<Value>()? {
        if keys.contains(&key) {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate entry with key \"{}\"",
                key_text(&key)
            )));
        }
        map.next_value::<Checked>()?;
        keys.push(key);
    }
    Ok(keys)
}

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Keys, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Keys, A::Error> {
                let keys = unique_keys(map)?;
                Ok(Keys(
                    keys.iter().map(|k| (key_text(k), Value::Null)).collect(),
                ))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        use serde::de::{EnumAccess, SeqAccess, VariantAccess};
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Checked;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_unit<E>(self) -> Result<Checked, E> {
                Ok(Checked)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
                while seq.next_element::<Checked>()?.is_some() {}
                Ok(Checked)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Checked, A::Error> {
                unique_keys(map).map(|_| Checked)
            }
            // A tagged value (`!tag x`).
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Checked, A::Error> {
                let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
                variant.newtype_variant::<Checked>()
            }
        }
        d.deserialize_any(V)
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

/// Replaces the value at a dotted path inside nested mappings; false when
/// some key on the path is missing.
pub fn set_path(value: &mut Value, path: &str, new: Value) -> bool {
    let mut cur = value;
    for k in path.split('.') {
        match cur.as_mapping_mut().and_then(|m| m.get_mut(k)) {
            Some(v) => cur = v,
            None => return false,
        }
    }
    *cur = new;
    true
}

/// True when the value is a mapping (a block mapping or a JSON object).
pub fn is_mapping(value: &Value) -> bool {
    value.is_mapping()
}

/// The string values inside nested mappings, with their dotted paths, in
/// order (`name`, `image.url`). Sequences are not entered.
pub fn string_leaves(value: &Value) -> Vec<(String, &str)> {
    fn walk<'v>(m: &'v Mapping, prefix: &str, out: &mut Vec<(String, &'v str)>) {
        for (k, v) in m {
            let path = format!("{prefix}{}", key_text(k));
            match v {
                Value::String(s) => out.push((path, s)),
                Value::Mapping(inner) => walk(inner, &format!("{path}."), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Some(m) = value.as_mapping() {
        walk(m, "", &mut out);
    }
    out
}

/// A string value as YAML data, for [`set_path`].
pub fn string(s: &str) -> Value {
    Value::String(s.to_owned())
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
    fn key_only_parse_agrees_with_the_full_parse() {
        for doc in [
            "b: 1\na: >-\n  folded\n  text\n",
            "title: a\ntitle: b\n",
            "- a\n- b\n",
            "a: [1\n",
            "\n",
            "x: &a {k: 1}\ny: *a\n",
            "schema: {\"@context\":\"https://schema.org\",\"n\":{\"x\":[1,2]}}\n",
            "just a string\n",
            "1: one\n",
            "schema: {\"a\": 1, \"a\": 2}\n",
            "x:\n  y: 1\n  y: 2\n",
            "x: [{a: 1}, {b: 1, b: 2}]\n",
            "x: !custom {a: 1}\ny: !!str 12\n",
            "x: 1.5\ny: -3\nz: ~\nw: true\n",
        ] {
            let full =
                parse_mapping(doc).map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
            let keys = parse_keys(doc).map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
            assert_eq!(full.is_ok(), keys.is_ok(), "{doc:?}: {full:?} vs {keys:?}");
            if let (Ok(a), Ok(b)) = (&full, &keys) {
                assert_eq!(a, b, "{doc:?}");
            }
            if let (Err(a), Err(b)) = (&full, &keys) {
                assert_eq!(
                    a.message.contains("duplicate"),
                    b.message.contains("duplicate"),
                    "{doc:?}"
                );
                assert_eq!(a.line.is_some(), b.line.is_some(), "{doc:?}");
            }
        }
    }

    #[test]
    fn names_inner_json_keys_that_differ() {
        let a = parse_value(r#"{"name":"A","r":{"c":1,"v":"4"},"x":1}"#).unwrap();
        let b = parse_value(r#"{"name":"B","r":{"c":2,"v":"4"},"y":1}"#).unwrap();
        assert_eq!(inner_differences(&a, &b), ["name", "r.c", "x", "y"]);
        assert_eq!(display(get_path(&a, "r.v").unwrap()), "4");
    }

    #[test]
    fn paths_inside_mappings_are_read_and_replaced() {
        let mut a = parse_value(r#"{"name":"A","image":{"url":"u","w":1},"l":["x"]}"#).unwrap();
        assert_eq!(
            string_leaves(&a),
            [("name".to_string(), "A"), ("image.url".to_string(), "u")]
        );
        assert!(set_path(&mut a, "image.url", string("v")));
        assert_eq!(display(get_path(&a, "image.url").unwrap()), "v");
        assert!(!set_path(&mut a, "image.alt", string("v")));
        assert!(is_mapping(&a) && !is_mapping(&string("x")));
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
