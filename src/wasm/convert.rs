//! Conversions between JavaScript values and the core's types.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::constant::constant;
use crate::validate::{Locale, Severity, Validation};

/// Reads `opts.locale`; anything that is not an options object means English.
pub(crate) fn locale(opts: &JsValue) -> Locale {
    if !opts.is_object() {
        return Locale::En;
    }
    match Reflect::get(opts, &constant("locale")) {
        Ok(v) => v.as_string().map_or(Locale::En, |tag| Locale::parse(&tag)),
        Err(_) => Locale::En, // a throwing getter is the caller's bug, not a reason to throw
    }
}

/// The `JSON.stringify` text of a JavaScript value; `None` for what JSON cannot hold (a
/// cycle, a BigInt, `undefined` at the top).
pub(crate) fn json_text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// Builds the plain `{ ok, issues: [{ path, code, severity, message }] }` object, with the
/// property names made once (see [`constant`]). The validators' text path (`text_path.rs`)
/// does not come here for a clean value or up to 32 issues.
pub(crate) fn validation(v: &Validation) -> JsValue {
    let issues = js_sys::Array::new();
    for issue in &v.issues {
        let o = js_sys::Object::new();
        let severity = match issue.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        for (key, value) in [
            ("path", JsValue::from_str(&issue.path)),
            ("code", JsValue::from_str(&issue.code)),
            ("severity", constant(severity)),
            ("message", JsValue::from_str(&issue.message)),
        ] {
            let _ = Reflect::set(&o, &constant(key), &value);
        }
        issues.push(&o);
    }
    let out = js_sys::Object::new();
    let _ = Reflect::set(&out, &constant("ok"), &JsValue::from_bool(v.ok));
    let _ = Reflect::set(&out, &constant("issues"), &issues);
    out.into()
}
