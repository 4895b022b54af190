//! Builds the entries of a [`Doc`](super::Doc) from what `serde_json` reports: a
//! `DeserializeSeed` per value, pushing into one shared `Vec` (no derive, no `Value`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::{Entry, Node};

/// The entries of the tree of `text` in text order, the root first.
pub(super) fn entries(text: &str) -> Result<Vec<Entry<'_>>, serde_json::Error> {
    // About one value per 16 bytes of a body, so the list rarely grows.
    let mut entries = Vec::with_capacity(text.len() / 16 + 1);
    let mut de = serde_json::Deserializer::from_str(text);
    Member {
        entries: &mut entries,
        key: Cow::Borrowed(""),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(entries)
}

/// One value to read, named `key` in its object, with everything inside it.
struct Member<'e, 'a> {
    entries: &'e mut Vec<Entry<'a>>,
    key: Cow<'a, str>,
}

impl<'a> Member<'_, 'a> {
    fn push<E>(self, node: Node<'a>) -> Result<(), E> {
        self.entries.push(Entry {
            key: self.key,
            node,
        });
        Ok(())
    }

    /// The container's entry, then its members (`read` pushes them), then its `end`.
    fn container<E>(
        self,
        object: bool,
        read: impl FnOnce(&mut Vec<Entry<'a>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let at = self.entries.len();
        self.entries.push(Entry {
            key: self.key,
            node: Node::Null,
        });
        read(self.entries)?;
        let end = self.entries.len();
        if let Some(entry) = self.entries.get_mut(at) {
            entry.node = if object {
                Node::Object { end }
            } else {
                Node::Array { end }
            };
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Member<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Member<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        self.push(Node::Null)
    }

    fn visit_bool<E: Error>(self, b: bool) -> Result<(), E> {
        self.push(Node::Bool(b))
    }

    // serde_json reports non-negative integers as u64, negative ones as i64 and every other
    // number as a finite f64: the classification of `serde_json::Value`.
    fn visit_u64<E: Error>(self, n: u64) -> Result<(), E> {
        self.push(Node::Number(Number::from(n)))
    }

    fn visit_i64<E: Error>(self, n: i64) -> Result<(), E> {
        self.push(Node::Number(Number::from(n)))
    }

    fn visit_f64<E: Error>(self, f: f64) -> Result<(), E> {
        self.push(Number::from_f64(f).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E: Error>(self, s: &'de str) -> Result<(), E> {
        self.push(Node::String(Cow::Borrowed(s)))
    }

    /// A string with escapes, which serde_json decoded into its scratch buffer.
    fn visit_str<E: Error>(self, s: &str) -> Result<(), E> {
        self.push(Node::String(Cow::Owned(s.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.container(false, |entries| {
            while let Some(()) = seq.next_element_seed(Member {
                entries: &mut *entries,
                key: Cow::Borrowed(""),
            })? {}
            Ok(())
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.container(true, |entries| {
            while let Some(key) = map.next_key_seed(Key)? {
                map.next_value_seed(Member {
                    entries: &mut *entries,
                    key,
                })?;
            }
            Ok(())
        })
    }
}

/// A member's name: borrowed from the text unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: Error>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}
