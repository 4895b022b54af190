//! Conversions between JavaScript values and the core's types.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::validate::{Locale, Severity, Validation};

/// Reads `opts.locale`; anything that is not an options object means English.
pub(crate) fn locale(opts: &JsValue) -> Locale {
    if !opts.is_object() {
        return Locale::En;
    }
    match Reflect::get(opts, &JsValue::from_str("locale")) {
        Ok(v) => v.as_string().map_or(Locale::En, |tag| Locale::parse(&tag)),
        Err(_) => Locale::En, // a throwing getter is the caller's bug, not a reason to throw
    }
}

/// Builds the plain `{ ok, issues: [{ path, code, severity, message }] }` object.
pub(crate) fn validation(v: &Validation) -> JsValue {
    let out = Object::new();
    set(&out, "ok", &JsValue::from_bool(v.ok));
    let issues = Array::new_with_length(v.issues.len() as u32);
    for (i, issue) in v.issues.iter().enumerate() {
        let o = Object::new();
        set(&o, "path", &JsValue::from_str(&issue.path));
        set(&o, "code", &JsValue::from_str(&issue.code));
        let severity = match issue.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        set(&o, "severity", &JsValue::from_str(severity));
        set(&o, "message", &JsValue::from_str(&issue.message));
        issues.set(i as u32, o.into());
    }
    set(&out, "issues", &issues);
    out.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Defining a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
