//! The JSON values the body validators read: a `serde_json::Value` from Rust callers, or the
//! borrowed tree of [`crate::json`] when the body arrives as JSON text. Both answer the same
//! few questions, so one walk serves both.

use serde_json::{Number, Value};

use crate::json::{Elements, Json};

/// A JSON value, as a cheap copyable reference into its document.
pub(crate) trait JsonValue<'v>: Copy {
    /// The elements of an array.
    type Elements: Iterator<Item = Self>;

    fn is_object(self) -> bool;
    /// The member `key` of an object (the last one if the name repeats); `None` when missing
    /// or when this is not an object.
    fn get(self, key: &str) -> Option<Self>;
    fn as_array(self) -> Option<Self::Elements>;
    fn as_str(self) -> Option<&'v str>;
    fn as_bool(self) -> Option<bool>;
    fn as_number(self) -> Option<&'v Number>;
}

impl<'v> JsonValue<'v> for &'v Value {
    type Elements = std::slice::Iter<'v, Value>;

    fn is_object(self) -> bool {
        Value::is_object(self)
    }

    fn get(self, key: &str) -> Option<Self> {
        Value::as_object(self)?.get(key)
    }

    fn as_array(self) -> Option<Self::Elements> {
        Value::as_array(self).map(|a| a.iter())
    }

    fn as_str(self) -> Option<&'v str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn as_number(self) -> Option<&'v Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
}

impl<'v, 'a> JsonValue<'v> for Json<'v, 'a> {
    type Elements = Elements<'v, 'a>;

    fn is_object(self) -> bool {
        Json::is_object(self)
    }

    fn get(self, key: &str) -> Option<Self> {
        Json::get(self, key)
    }

    fn as_array(self) -> Option<Self::Elements> {
        Json::as_array(self)
    }

    fn as_str(self) -> Option<&'v str> {
        Json::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Json::as_bool(self)
    }

    fn as_number(self) -> Option<&'v Number> {
        Json::as_number(self)
    }
}
