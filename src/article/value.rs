//! The value of a frontmatter key as data: the project's own type, the same
//! for YAML, TOML and JSON, so no library's value type leaks past `article`.
//!
//! Values are compared as data: `"a"`, `'a'` and `a` are equal in YAML, and
//! a TOML datetime is a [`Value::Date`], not a string.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};

/// The key the `toml` crate uses to pass a datetime through serde.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// A frontmatter value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~`, or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer (wide enough for both `i64` and `u64`).
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A string, unquoted.
    String(String),
    /// A date or datetime that the format types as one (TOML), in its text form.
    Date(String),
    /// A sequence (YAML sequence, TOML or JSON array).
    Seq(Vec<Value>),
    /// A mapping (YAML mapping, TOML table, JSON object), in order.
    Map(IndexMap<String, Value>),
    /// A YAML value with a tag (`!tag value`).
    Tagged(String, Box<Value>),
}

impl Value {
    /// A string value, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string or a date: what date rules read.
    pub fn as_date_text(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Date(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence value.
    pub fn sequence(&self) -> Option<&[Value]> {
        match self {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a mapping value.
    pub fn mapping(&self) -> Option<&IndexMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// True when the value is a mapping (a block mapping, table or object).
    pub fn is_mapping(&self) -> bool {
        matches!(self, Value::Map(_))
    }

    /// The value at a dotted path inside nested mappings (`image.url`).
    pub fn get_path(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(self, |v, k| v.mapping()?.get(k))
    }

    /// Replaces the value at a dotted path inside nested mappings; false
    /// when some key on the path is missing.
    pub fn set_path(&mut self, path: &str, new: Value) -> bool {
        let mut cur = self;
        for k in path.split('.') {
            match cur {
                Value::Map(m) => match m.get_mut(k) {
                    Some(v) => cur = v,
                    None => return false,
                },
                _ => return false,
            }
        }
        *cur = new;
        true
    }

    /// Dotted paths of the inner keys that differ between two mappings, e.g.
    /// `name`, `aggregateRating.reviewCount`. Empty when either is not a mapping.
    pub fn inner_differences(&self, other: &Value) -> Vec<String> {
        fn walk(
            a: &IndexMap<String, Value>,
            b: &IndexMap<String, Value>,
            prefix: &str,
            out: &mut Vec<String>,
        ) {
            for (k, va) in a {
                match b.get(k) {
                    None => out.push(format!("{prefix}{k}")),
                    Some(vb) if va == vb => {}
                    Some(vb) => match (va.mapping(), vb.mapping()) {
                        (Some(ma), Some(mb)) => walk(ma, mb, &format!("{prefix}{k}."), out),
                        _ => out.push(format!("{prefix}{k}")),
                    },
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    out.push(format!("{prefix}{k}"));
                }
            }
        }
        let mut out = Vec::new();
        if let (Some(a), Some(b)) = (self.mapping(), other.mapping()) {
            walk(a, b, "", &mut out);
        }
        out
    }

    /// The string values inside nested mappings, with their dotted paths, in
    /// order (`name`, `image.url`). Sequences are not entered.
    pub fn string_leaves(&self) -> Vec<(String, &str)> {
        fn walk<'v>(
            m: &'v IndexMap<String, Value>,
            prefix: &str,
            out: &mut Vec<(String, &'v str)>,
        ) {
            for (k, v) in m {
                let path = format!("{prefix}{k}");
                match v {
                    Value::String(s) => out.push((path, s)),
                    Value::Map(inner) => walk(inner, &format!("{path}."), out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        if let Some(m) = self.mapping() {
            walk(m, "", &mut out);
        }
        out
    }

    /// The value as JSON, for `--json` output.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => i64::try_from(*i)
                .map(J::from)
                .or_else(|_| u64::try_from(*i).map(J::from))
                .unwrap_or_else(|_| J::String(i.to_string())),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) | Value::Date(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Tagged(tag, v) => {
                let mut m = serde_json::Map::new();
                m.insert(tag.clone(), v.to_json());
                J::Object(m)
            }
        }
    }

    /// A short one-line rendering, for summaries.
    pub fn display(&self) -> String {
        self.to_string()
    }

    /// The text of a value used as a mapping key (YAML allows `1: one`).
    pub fn key_text(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// The names of one mapping's keys, as they are read. A key is named by its
/// text ([`Value::key_text`]); but YAML's `1: a` and `"1": b` are two keys
/// (an integer and a string), so when a string key and a key of another
/// type share a text, the string one is named with its double quotes
/// (`"1"`), whichever of the two comes first.
#[derive(Debug, Default)]
pub(crate) struct KeyNames {
    /// Each name given, and whether its key is a string.
    given: IndexMap<String, bool>,
}

/// The name [`KeyNames::add`] gives a key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct KeyName {
    /// The key's name.
    pub name: String,
    /// An earlier key renamed on the way (its old name, its new one).
    pub renamed: Option<(String, String)>,
}

impl KeyNames {
    /// Names `key`; `Err` with its name when the mapping already has it.
    pub(crate) fn add(&mut self, key: &Value) -> Result<KeyName, DuplicateKey> {
        let text = key.key_text();
        let string = matches!(key, Value::String(_));
        let quoted = format!("\"{text}\"");
        let mut renamed = None;
        let name = match (string, self.given.get(&text).copied()) {
            (_, None) if !string || !self.given.contains_key(&quoted) => text,
            // A string key after a key of another type with its text.
            (true, Some(false)) if !self.given.contains_key(&quoted) => quoted,
            // Another type after a string key with its text: that one
            // takes the quotes.
            (false, Some(true)) => {
                self.given.shift_remove(&text);
                self.given.insert(quoted.clone(), true);
                renamed = Some((text.clone(), quoted));
                text
            }
            _ => return Err(DuplicateKey(text)),
        };
        self.given.insert(name.clone(), string);
        Ok(KeyName { name, renamed })
    }
}

/// A key a mapping already has, by its name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("duplicate entry with key \"{0}\"")]
pub(crate) struct DuplicateKey(pub(crate) String);

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) if x.is_nan() => f.write_str(".nan"),
            Value::Float(x) if x.is_infinite() => {
                f.write_str(if *x > 0.0 { ".inf" } else { "-.inf" })
            }
            // `1.0` stays `1.0`, as the YAML library wrote it.
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e16 => write!(f, "{x:.1}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::String(s) | Value::Date(s) => f.write_str(s),
            Value::Tagged(tag, v) => write!(f, "{tag} {v}"),
            Value::Seq(_) | Value::Map(_) => {
                f.write_str(&serde_json::to_string(&self.to_json()).unwrap_or_default())
            }
        }
    }
}

/// Reads any self-describing format (YAML, TOML, JSON) into a [`Value`];
/// a key that appears twice in one mapping is an error in every format
/// (JSON libraries would silently keep the last).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i.into()))
    }
    fn visit_u64<E>(self, i: u64) -> Result<Value, E> {
        Ok(Value::Int(i.into()))
    }
    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Value::Float(x))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = IndexMap::new();
        let mut names = KeyNames::default();
        while let Some(key) = map.next_key::<Value>()? {
            if matches!(&key, Value::String(k) if k == TOML_DATETIME) {
                let text: String = map.next_value()?;
                return Ok(Value::Date(text));
            }
            let value = map.next_value()?;
            let name = names.add(&key).map_err(de::Error::custom)?;
            if let Some((old, new)) = name.renamed {
                if let Some(i) = m.get_index_of(&old) {
                    let (_, v) = m.shift_remove_index(i).expect("index just found");
                    m.shift_insert(i, new, v);
                }
            }
            m.insert(name.name, value);
        }
        Ok(Value::Map(m))
    }
    // A tagged YAML value (`!tag x`).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, variant) = data.variant::<String>()?;
        Ok(Value::Tagged(tag, Box::new(variant.newtype_variant()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn names_inner_keys_that_differ() {
        let a = map(&[
            ("name", "A".into()),
            ("r", map(&[("c", Value::Int(1)), ("v", "4".into())])),
            ("x", Value::Int(1)),
        ]);
        let b = map(&[
            ("name", "B".into()),
            ("r", map(&[("c", Value::Int(2)), ("v", "4".into())])),
            ("y", Value::Int(1)),
        ]);
        assert_eq!(a.inner_differences(&b), ["name", "r.c", "x", "y"]);
        assert_eq!(a.get_path("r.v").unwrap().display(), "4");
    }

    #[test]
    fn paths_inside_mappings_are_read_and_replaced() {
        let mut a = map(&[
            ("name", "A".into()),
            ("image", map(&[("url", "u".into()), ("w", Value::Int(1))])),
            ("l", Value::Seq(vec!["x".into()])),
        ]);
        assert_eq!(
            a.string_leaves(),
            [("name".to_string(), "A"), ("image.url".to_string(), "u")]
        );
        assert!(a.set_path("image.url", "v".into()));
        assert_eq!(a.get_path("image.url").unwrap().display(), "v");
        assert!(!a.set_path("image.alt", "v".into()));
        assert!(a.is_mapping() && !Value::from("x").is_mapping());
        assert_eq!(
            a.display(),
            r#"{"name":"A","image":{"url":"v","w":1},"l":["x"]}"#
        );
    }

    #[test]
    fn dates_are_text_for_date_rules_but_not_strings() {
        let d = Value::Date("2025-07-25T20:24:28Z".into());
        assert_eq!(d.as_date_text(), Some("2025-07-25T20:24:28Z"));
        assert_eq!(d.as_str(), None);
        assert_ne!(d, Value::from("2025-07-25T20:24:28Z"));
        assert_eq!(Value::Float(1.0).display(), "1.0");
    }
}
