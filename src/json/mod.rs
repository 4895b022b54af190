//! A borrowed JSON tree for the whole-body validators: one parse of the text, no map nodes
//! and no owned strings unless a string has escapes.
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

/// A parsed JSON text: every value of the tree, children before their container, so the
/// members of a container are one contiguous run of [`Doc::entries`].
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
    /// Elements at `entries[first..first + len]`.
    Array {
        first: usize,
        len: usize,
    },
    /// Members at `entries[first..first + len]`, in text order.
    Object {
        first: usize,
        len: usize,
    },
}

impl<'a> Doc<'a> {
    /// Parses `text`, a whole JSON text with optional surrounding whitespace.
    pub(crate) fn parse(text: &'a str) -> Result<Doc<'a>, SyntaxError> {
        parse::parse(text).map(|entries| Doc { entries })
    }

    /// The top-level value.
    pub(crate) fn root(&self) -> Json<'_, 'a> {
        // The parser always ends with the root entry.
        let entry = self.entries.last().unwrap_or(&NULL);
        Json { doc: self, entry }
    }

    fn children(&self, first: usize, len: usize) -> &[Entry<'a>] {
        self.entries.get(first..first + len).unwrap_or(&[])
    }
}

static NULL: Entry<'static> = Entry {
    key: Cow::Borrowed(""),
    node: Node::Null,
};

/// One value of a [`Doc`], with the accessors of `serde_json::Value` the validators use.
#[derive(Clone, Copy)]
pub(crate) struct Json<'d, 'a> {
    doc: &'d Doc<'a>,
    entry: &'d Entry<'a>,
}

impl<'d, 'a> Json<'d, 'a> {
    fn at(self, entry: &'d Entry<'a>) -> Json<'d, 'a> {
        Json {
            doc: self.doc,
            entry,
        }
    }

    pub(crate) fn is_object(self) -> bool {
        matches!(self.entry.node, Node::Object { .. })
    }

    /// The member named `key` of an object (the last one when the name repeats, as in a
    /// `serde_json::Map`); `None` for a missing member or a value that is not an object.
    pub(crate) fn get(self, key: &str) -> Option<Json<'d, 'a>> {
        let Node::Object { first, len } = self.entry.node else {
            return None;
        };
        let members = self.doc.children(first, len);
        members
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| self.at(m))
    }

    /// The elements of an array.
    pub(crate) fn as_array(self) -> Option<Elements<'d, 'a>> {
        let Node::Array { first, len } = self.entry.node else {
            return None;
        };
        let entries = self.doc.children(first, len).iter();
        Some(Elements {
            doc: self.doc,
            entries,
        })
    }

    pub(crate) fn as_str(self) -> Option<&'d str> {
        match &self.entry.node {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(self) -> Option<bool> {
        match self.entry.node {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, classified as `serde_json` classifies it.
    pub(crate) fn as_number(self) -> Option<&'d Number> {
        match &self.entry.node {
            Node::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// The elements of an array, in order.
pub(crate) struct Elements<'d, 'a> {
    doc: &'d Doc<'a>,
    entries: std::slice::Iter<'d, Entry<'a>>,
}

impl<'d, 'a> Iterator for Elements<'d, 'a> {
    type Item = Json<'d, 'a>;

    fn next(&mut self) -> Option<Json<'d, 'a>> {
        let entry = self.entries.next()?;
        Some(Json {
            doc: self.doc,
            entry,
        })
    }
}
