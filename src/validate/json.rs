//! Typed access to members of an arbitrary JSON body: a wrong type is a `type` issue.

use super::messages::{expected_type, Code};
use super::report::{Path, Report};
use super::value::{Elements, JsonRef};

/// Records a `type` issue: `path` must be `expected` ("string", "object", …).
pub(crate) fn wrong_type_at(path: &Path, expected: &str, r: &mut Report) {
    let name = expected_type(expected, r.locale());
    r.add_with(path, Code::Type, &[name]);
}

/// `v` itself when it is an object, whose members [`JsonRef::get`] then reads.
pub(crate) fn as_object<'v>(v: JsonRef<'v>, path: &Path, r: &mut Report) -> Option<JsonRef<'v>> {
    if v.is_object() {
        Some(v)
    } else {
        wrong_type_at(path, "object", r);
        None
    }
}

pub(crate) fn as_array<'v>(v: JsonRef<'v>, path: &Path, r: &mut Report) -> Option<Elements<'v>> {
    let a = v.as_array();
    if a.is_none() {
        wrong_type_at(path, "array", r);
    }
    a
}

pub(crate) fn as_str<'v>(v: JsonRef<'v>, path: &Path, r: &mut Report) -> Option<&'v str> {
    let s = v.as_str();
    if s.is_none() {
        wrong_type_at(path, "string", r);
    }
    s
}

pub(crate) fn as_bool<'v>(v: JsonRef<'v>, path: &Path, r: &mut Report) -> Option<bool> {
    let b = v.as_bool();
    if b.is_none() {
        wrong_type_at(path, "boolean", r);
    }
    b
}
