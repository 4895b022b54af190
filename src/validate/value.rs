//! The JSON values the body validators read: a `serde_json::Value` from Rust callers, or the
//! borrowed tree of [`super::tree`] when the body arrives as JSON text. One walk serves both
//! (one copy of the validators' code in the wasm), asking each value the same few questions.

use serde_json::{Number, Value};

use super::tree::{Children, Json};

/// A JSON value of either kind, as a cheap copyable reference.
#[derive(Clone, Copy)]
pub(crate) enum JsonRef<'v> {
    Value(&'v Value),
    Text(Json<'v>),
}

/// The elements of an array of either kind.
pub(crate) enum Elements<'v> {
    Value(std::slice::Iter<'v, Value>),
    Text(Children<'v>),
}

impl<'v> Iterator for Elements<'v> {
    type Item = JsonRef<'v>;

    fn next(&mut self) -> Option<JsonRef<'v>> {
        match self {
            Elements::Value(items) => items.next().map(JsonRef::Value),
            Elements::Text(items) => items.next().map(JsonRef::Text),
        }
    }
}

impl<'v> JsonRef<'v> {
    pub(crate) fn is_object(self) -> bool {
        match self {
            JsonRef::Value(v) => v.is_object(),
            JsonRef::Text(v) => v.is_object(),
        }
    }

    /// The member `key` of an object (the last one if the name repeats); `None` when missing
    /// or when this is not an object.
    pub(crate) fn get(self, key: &str) -> Option<JsonRef<'v>> {
        match self {
            JsonRef::Value(v) => v.as_object()?.get(key).map(JsonRef::Value),
            JsonRef::Text(v) => v.get(key).map(JsonRef::Text),
        }
    }

    pub(crate) fn as_array(self) -> Option<Elements<'v>> {
        match self {
            JsonRef::Value(v) => v.as_array().map(|a| Elements::Value(a.iter())),
            JsonRef::Text(v) => v.as_array().map(Elements::Text),
        }
    }

    pub(crate) fn as_str(self) -> Option<&'v str> {
        match self {
            JsonRef::Value(v) => v.as_str(),
            JsonRef::Text(v) => v.as_str(),
        }
    }

    pub(crate) fn as_bool(self) -> Option<bool> {
        match self {
            JsonRef::Value(v) => v.as_bool(),
            JsonRef::Text(v) => v.as_bool(),
        }
    }

    pub(crate) fn as_number(self) -> Option<&'v Number> {
        match self {
            JsonRef::Value(Value::Number(n)) => Some(n),
            JsonRef::Value(_) => None,
            JsonRef::Text(v) => v.as_number(),
        }
    }
}
