//! The borrowed JSON tree the `*_json` validators read: `serde_json` parses the text and
//! [`build`] only shapes what it reports into one `Vec` in text order, with no map nodes and
//! no owned strings unless a string has escapes. Reading a body this way costs about half of
//! building a `serde_json::Value` (bench/PROFILE.md, item 4).

mod build;
mod surrogates;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use std::borrow::Cow;

use serde_json::Number;

pub(crate) use surrogates::replace_lone_surrogates;

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
    /// Parses `text`, a whole JSON text with optional surrounding whitespace, exactly as
    /// `serde_json::from_str` does (it is the parser).
    pub(crate) fn parse(text: &'a str) -> Result<Doc<'a>, serde_json::Error> {
        build::entries(text).map(|entries| Doc { entries })
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
        // A plain loop: the validators call this a dozen times per body, and at opt-level
        // "z" the iterator adaptors it replaces were calls.
        let Node::Object { end } = *self.node() else {
            return None;
        };
        let mut found = None;
        let mut at = self.at + 1;
        while let Some(entry) = self.entries.get(at).filter(|_| at < end) {
            if entry.key == key {
                found = Some(at);
            }
            at = entry.next_sibling(at);
        }
        found.map(|at| Json {
            entries: self.entries,
            at,
        })
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
        let at = self.next;
        self.next = self.entries.get(at)?.next_sibling(at);
        Some(Json {
            entries: self.entries,
            at,
        })
    }
}

impl Entry<'_> {
    /// Where the next sibling of this entry (at `at`) starts: after its own members.
    fn next_sibling(&self, at: usize) -> usize {
        match self.node {
            Node::Array { end } | Node::Object { end } => end,
            _ => at + 1,
        }
        .max(at + 1)
    }
}
