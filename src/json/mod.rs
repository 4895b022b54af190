//! A borrowed JSON tree for the whole-body validators: one parse of the text into one `Vec`,
//! no map nodes, and no owned strings unless a string has escapes.
//!
//! It accepts exactly the JSON that `serde_json::from_str::<Value>` accepts (the same
//! nesting limit of 128, numbers classified the same way), except that an escaped lone
//! surrogate (`"\ud800"`, which `JSON.stringify` writes for a lone surrogate) reads as
//! U+FFFD instead of failing.

mod parse;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use std::borrow::Cow;

use serde_json::Number;

pub(crate) use parse::SyntaxError;

/// A parsed JSON text: its values in text order (pre-order), the root first; a container's
/// members follow it up to its `end`.
pub(crate) struct Doc<'a> {
    entries: Vec<Entry<'a>>,
}

/// A value with the name it has in its object (`""` in an array or at the root).
struct Entry<'a> {
    key: Cow<'a, str>,
    node: Node<'a>,
}

enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    /// Elements from the next entry up to `end` (exclusive).
    Array {
        end: usize,
    },
    /// Members from the next entry up to `end`, in text order.
    Object {
        end: usize,
    },
}

impl<'a> Doc<'a> {
    /// Parses `text`, a whole JSON text with optional surrounding whitespace.
    pub(crate) fn parse(text: &'a str) -> Result<Doc<'a>, SyntaxError> {
        parse::parse(text).map(|entries| Doc { entries })
    }

    /// The top-level value.
    pub(crate) fn root(&self) -> Json<'_> {
        Json {
            entries: &self.entries,
            at: 0,
        }
    }
}

/// One value of a [`Doc`], with the accessors of `serde_json::Value` the validators use.
#[derive(Clone, Copy)]
pub(crate) struct Json<'d> {
    entries: &'d [Entry<'d>],
    at: usize,
}

impl<'d> Json<'d> {
    fn node(self) -> &'d Node<'d> {
        self.entries.get(self.at).map_or(&Node::Null, |e| &e.node)
    }

    /// The direct children of a container; nothing for other values.
    fn children(self) -> Children<'d> {
        let end = match *self.node() {
            Node::Array { end } | Node::Object { end } => end,
            _ => 0,
        };
        Children {
            entries: self.entries,
            next: self.at + 1,
            end,
        }
    }

    pub(crate) fn is_object(self) -> bool {
        matches!(self.node(), Node::Object { .. })
    }

    /// The member named `key` of an object (the last one when the name repeats, as in a
    /// `serde_json::Map`); `None` for a missing member or a value that is not an object.
    pub(crate) fn get(self, key: &str) -> Option<Json<'d>> {
        if !self.is_object() {
            return None;
        }
        let named = |m: &Json| self.entries.get(m.at).is_some_and(|e| e.key == key);
        self.children().filter(named).last()
    }

    /// The elements of an array.
    pub(crate) fn as_array(self) -> Option<Children<'d>> {
        matches!(self.node(), Node::Array { .. }).then(|| self.children())
    }

    pub(crate) fn as_str(self) -> Option<&'d str> {
        match self.node() {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(self) -> Option<bool> {
        match *self.node() {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, classified as `serde_json` classifies it.
    pub(crate) fn as_number(self) -> Option<&'d Number> {
        match self.node() {
            Node::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// The elements of an array or the members of an object, in order.
#[derive(Clone)]
pub(crate) struct Children<'d> {
    entries: &'d [Entry<'d>],
    next: usize,
    end: usize,
}

impl<'d> Iterator for Children<'d> {
    type Item = Json<'d>;

    fn next(&mut self) -> Option<Json<'d>> {
        if self.next >= self.end {
            return None;
        }
        let child = Json {
            entries: self.entries,
            at: self.next,
        };
        // The next sibling starts where this child's own members end.
        self.next = match *child.node() {
            Node::Array { end } | Node::Object { end } => end,
            _ => self.next + 1,
        }
        .max(self.next + 1);
        Some(child)
    }
}

impl Doc<'_> {
    /// The document as a `serde_json::Value`, equal to what `serde_json::from_str` gives.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        self.root().to_value()
    }
}

impl Json<'_> {
    fn to_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self.node() {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.as_ref().to_owned()),
            Node::Array { .. } => Value::Array(self.children().map(Json::to_value).collect()),
            Node::Object { .. } => {
                // Inserting one by one (the last of a repeated name wins, as in serde_json)
                // reuses the map code the wasm has anyway; `collect` would add a bulk build.
                let mut map = serde_json::Map::new();
                for member in self.children() {
                    map.insert(self.entries[member.at].key.as_ref().to_owned(), member.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// Parses JSON text into a `serde_json::Value` with this module's parser: what
/// `serde_json::from_str::<Value>` accepts, and the same value (an escaped lone surrogate
/// aside, which reads as U+FFFD). One JSON parser in the wasm instead of two.
pub(crate) fn parse_value(text: &str) -> Result<serde_json::Value, SyntaxError> {
    Doc::parse(text).map(|doc| doc.to_value())
}
