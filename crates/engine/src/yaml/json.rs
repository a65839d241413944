//! A document's tree read as the JSON sigs.k8s.io/yaml hands to the API types, without building
//! that JSON: the schema walk and serde's decoders read the tree in place.
//!
//! The JSON of a mapping has one value per key, the last one written; its keys are the scalars'
//! text (a key that is a mapping or a list has none and is dropped); a float that is not finite
//! reads as null. A `serde_json::Map` keeps its keys sorted, and the API types' decoders meet them
//! in that order, which decides which of two wrong values is reported first: [`entries`] gives
//! them in the same order.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

use super::{Node, NodeKind};

/// The entries of a mapping as its JSON holds them: keys sorted, each once with its last value.
/// None where the node is not a mapping.
pub fn entries(node: &Node) -> Option<Vec<(Cow<'_, str>, &Node)>> {
    let NodeKind::Map(pairs) = &node.kind else {
        return None;
    };
    let mut out: Vec<(Cow<'_, str>, &Node)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let key = match &k.kind {
            NodeKind::Str(s) => Cow::Borrowed(s.as_str()),
            _ => match k.key_text() {
                Some(t) => Cow::Owned(t),
                None => continue,
            },
        };
        out.push((key, v));
    }
    // A stable sort keeps a key's values in source order, so the last of a run is the last written.
    // Most mappings hold a handful of keys: an insertion sort, without the index sort's allocation.
    if out.len() <= 16 {
        for i in 1..out.len() {
            let mut j = i;
            while j > 0 && out[j - 1].0 > out[j].0 {
                out.swap(j - 1, j);
                j -= 1;
            }
        }
    } else {
        crate::order::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
    }
    out.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 = later.1;
        }
        same
    });
    Some(out)
}

/// Whether the JSON holds null here.
pub fn is_null(node: &Node) -> bool {
    match node.kind {
        NodeKind::Null => true,
        NodeKind::Float(f) => !f.is_finite(),
        _ => false,
    }
}

/// The value as an integer, as `serde_json::Value::as_i64` reads it.
pub fn as_i64(node: &Node) -> Option<i64> {
    match node.kind {
        NodeKind::Int(i) => Some(i),
        _ => None,
    }
}

/// A decoding error, worded as serde_json words it when it decodes a `Value`.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        Error(format!("invalid type: {}, expected {exp}", Worded(unexp)))
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        Error(format!("invalid value: {}, expected {exp}", Worded(unexp)))
    }
}

/// An unexpected value as serde_json words it: a unit is `null`, a float in JSON's shortest form.
struct Worded<'u>(Unexpected<'u>);

impl fmt::Display for Worded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None => fmt::Display::fmt(&self.0, f),
            },
            unexp => fmt::Display::fmt(&unexp, f),
        }
    }
}

/// A node as a serde deserializer of its JSON (see the module's notes), as `serde_json::Value`
/// deserializes: the same visits, so the API types decode it to the same values and errors.
#[derive(Clone, Copy)]
pub struct Json<'de> {
    node: &'de Node,
}

impl<'de> Json<'de> {
    pub fn new(node: &'de Node) -> Self {
        Json { node }
    }

    fn unexpected(&self) -> Unexpected<'de> {
        match &self.node.kind {
            NodeKind::Null => Unexpected::Unit,
            NodeKind::Bool(b) => Unexpected::Bool(*b),
            NodeKind::Int(i) if *i >= 0 => Unexpected::Unsigned(*i as u64),
            NodeKind::Int(i) => Unexpected::Signed(*i),
            NodeKind::Float(f) if f.is_finite() => Unexpected::Float(*f),
            NodeKind::Float(_) => Unexpected::Unit,
            NodeKind::Str(s) => Unexpected::Str(s),
            NodeKind::Seq(_) => Unexpected::Seq,
            NodeKind::Map(_) => Unexpected::Map,
        }
    }

    // One copy for every decoder, out of their way (page size; serde_json's is cold too).
    #[cold]
    #[inline(never)]
    fn invalid(&self, expected: &dyn de::Expected) -> Error {
        de::Error::invalid_type(self.unexpected(), expected)
    }

    fn visit_seq<V: Visitor<'de>>(self, items: &'de [Node], visitor: V) -> Result<V::Value, Error> {
        let mut access = Items {
            items: items.iter(),
        };
        let value = visitor.visit_seq(&mut access)?;
        match access.items.len() {
            0 => Ok(value),
            _ => Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            )),
        }
    }

    fn visit_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut access = Entries {
            entries: entries(self.node).unwrap_or_default(),
            next: 0,
        };
        let value = visitor.visit_map(&mut access)?;
        match access.entries.len() - access.next {
            0 => Ok(value),
            _ => Err(de::Error::invalid_length(
                access.entries.len(),
                &"fewer elements in map",
            )),
        }
    }
}

/// Numbers visit what the number is, as serde_json's `Number` does; anything else is refused.
macro_rules! numbers {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.node.kind {
                    NodeKind::Int(i) if i >= 0 => visitor.visit_u64(i as u64),
                    NodeKind::Int(i) => visitor.visit_i64(i),
                    NodeKind::Float(f) if f.is_finite() => visitor.visit_f64(f),
                    _ => Err(self.invalid(&visitor)),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Json<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            // serde_json keeps a non-negative integer as unsigned.
            NodeKind::Int(i) if *i >= 0 => visitor.visit_u64(*i as u64),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::Float(f) if f.is_finite() => visitor.visit_f64(*f),
            NodeKind::Float(_) => visitor.visit_unit(),
            NodeKind::Str(s) => visitor.visit_borrowed_str(s),
            NodeKind::Seq(items) => self.visit_seq(items, visitor),
            NodeKind::Map(_) => self.visit_map(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if is_null(self.node) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => self.visit_seq(items, visitor),
            NodeKind::Map(_) => self.visit_map(visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // Each of these visits only what its type can take, as serde_json's `Value` does: a visitor
    // that takes text does not carry the walk of lists and mappings (page size).
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_borrowed_str(s),
            NodeKind::Seq(items) => self.visit_seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match is_null(self.node) {
            true => visitor.visit_unit(),
            false => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => self.visit_seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(_) => self.visit_map(visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }
}

struct Items<'de> {
    items: std::slice::Iter<'de, Node>,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(node) => seed.deserialize(Json { node }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping's entries, visited in place: keys are lent, never moved out, so that the code each
/// struct's decoder carries holds no drop of a key (page size).
struct Entries<'de> {
    entries: Vec<(Cow<'de, str>, &'de Node)>,
    /// The entry whose key comes next; its value is the one before.
    next: usize,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.get(self.next) {
            Some((key, _)) => {
                self.next += 1;
                // Visited as borrowed text whatever the key's source, so that a struct's field
                // names are matched by one copy of its code (page size).
                seed.deserialize(StrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.next.checked_sub(1).and_then(|i| self.entries.get(i)) {
            Some((_, node)) => seed.deserialize(Json { node }),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn tree(text: &str) -> Node {
        let (mut docs, error) = super::super::read_documents(text);
        assert!(error.is_none(), "{error:?}");
        docs.remove(0).root.unwrap()
    }

    /// The tree read in place is the JSON `Node::to_json` builds: keys written twice keep their
    /// last value, keys are the scalars' text, a collection as a key is dropped; `.nan` and
    /// `-.inf` stay text, as sigs.k8s.io/yaml cannot write them as JSON numbers.
    #[test]
    fn the_tree_reads_as_its_json() {
        let text = "zeta: 1\nalpha: [a, {b: c, a: d}]\nzeta: 2\n1: one\ntrue: yes\n~: n\n? [x]\n: dropped\nnotanumber: .nan\ninf: -.inf\nbig: 9223372036854775807\nneg: -3\nf: 2.50\nnested:\n  k: v\n  k: w\n";
        let node = tree(text);
        let through_tree = serde_json::Value::deserialize(Json::new(&node)).unwrap();
        assert_eq!(through_tree, node.to_json());
        assert_eq!(through_tree["zeta"], 2);
        assert_eq!(through_tree["nested"]["k"], "w");
        assert_eq!(through_tree["notanumber"], ".nan");
        assert_eq!(through_tree["1"], "one");
        let keys: Vec<_> = entries(&node)
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let mut sorted = keys.clone();
        crate::order::sort(&mut sorted);
        sorted.dedup();
        assert_eq!(keys, sorted);
    }

    /// Longer mappings are sorted by the index sort, with the same result.
    #[test]
    fn long_mappings_keep_the_last_value_of_each_key() {
        let text: String = (0..40)
            .map(|i| format!("k{}: {i}\n", (i * 7) % 25))
            .collect();
        let node = tree(&text);
        let through_tree = serde_json::Value::deserialize(Json::new(&node)).unwrap();
        assert_eq!(through_tree, node.to_json());
        assert_eq!(entries(&node).unwrap().len(), 25);
    }

    /// Errors are worded as serde_json words them.
    #[test]
    fn errors_are_worded_as_serde_json_words_them() {
        for text in [
            "x: ~\n",
            "x: 2.5\n",
            "x: [1]\n",
            "x: -4\n",
            "x: {a: 1}\n",
            "x: 1e9\n",
        ] {
            let node = tree(text);
            #[derive(Deserialize, Debug)]
            #[allow(dead_code)]
            struct S {
                x: String,
            }
            let ours = S::deserialize(Json::new(&node)).unwrap_err().to_string();
            let theirs = serde_json::from_value::<S>(node.to_json())
                .unwrap_err()
                .to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
