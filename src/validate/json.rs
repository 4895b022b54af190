//! Typed access to members of an arbitrary JSON body: a wrong type is a `type` issue.

use serde_json::{Map, Value};

use super::messages::{expected_type, Code};
use super::report::{Path, Report};

/// Records a `type` issue: `path` must be `expected` ("string", "object", …).
pub(crate) fn wrong_type_at(path: &Path, expected: &str, r: &mut Report) {
    let name = expected_type(expected, r.locale());
    r.add_with(path, Code::Type, &[name]);
}

pub(crate) fn as_object<'v>(
    v: &'v Value,
    path: &Path,
    r: &mut Report,
) -> Option<&'v Map<String, Value>> {
    let o = v.as_object();
    if o.is_none() {
        wrong_type_at(path, "object", r);
    }
    o
}

pub(crate) fn as_array<'v>(v: &'v Value, path: &Path, r: &mut Report) -> Option<&'v [Value]> {
    let a = v.as_array().map(Vec::as_slice);
    if a.is_none() {
        wrong_type_at(path, "array", r);
    }
    a
}

pub(crate) fn as_str<'v>(v: &'v Value, path: &Path, r: &mut Report) -> Option<&'v str> {
    let s = v.as_str();
    if s.is_none() {
        wrong_type_at(path, "string", r);
    }
    s
}

pub(crate) fn as_bool(v: &Value, path: &Path, r: &mut Report) -> Option<bool> {
    let b = v.as_bool();
    if b.is_none() {
        wrong_type_at(path, "boolean", r);
    }
    b
}
