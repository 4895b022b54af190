//! Conversions between JavaScript values and the core's types.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::validate::{Locale, Severity, Validation};

/// Reads `opts.locale`; anything that is not an options object means English.
pub(crate) fn locale(opts: &JsValue) -> Locale {
    if !opts.is_object() {
        return Locale::En;
    }
    match LOCALE_KEY.with(|key| Reflect::get(opts, key)) {
        Ok(v) => v.as_string().map_or(Locale::En, |tag| Locale::parse(&tag)),
        Err(_) => Locale::En, // a throwing getter is the caller's bug, not a reason to throw
    }
}

/// A JavaScript value through its JSON form, as `JSON.stringify` gives it; `None` for what JSON
/// cannot hold (a cycle, a BigInt, `undefined` at the top). Functions and symbols inside
/// objects are left out, as `JSON.stringify` does.
#[cfg(feature = "wasm-client")]
pub(crate) fn json_value(value: &JsValue) -> Option<serde_json::Value> {
    let text = json_text(value)?;
    // JSON.stringify output always parses; only nesting deeper than serde_json's limit fails.
    crate::json::parse_value(&text).ok()
}

/// The `JSON.stringify` text of a JavaScript value; `None` as for [`json_value`].
pub(crate) fn json_text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// Builds the plain `{ ok, issues: [{ path, code, severity, message }] }` object.
///
/// The property names are JavaScript strings made once: decoding a key from wasm memory on
/// every call cost most of a valid `validateGroupId` (bench/PROFILE.md). The validators' fast
/// path (`text_path.rs`) does not come here for a clean value or up to 32 issues.
pub(crate) fn validation(v: &Validation) -> JsValue {
    KEYS.with(|k| {
        let issues = js_sys::Array::new();
        for issue in &v.issues {
            let o = js_sys::Object::new();
            let severity = match issue.severity {
                Severity::Error => &k.error,
                Severity::Warning => &k.warning,
            };
            for (key, value) in [
                (&k.path, &JsValue::from_str(&issue.path)),
                (&k.code, &JsValue::from_str(&issue.code)),
                (&k.severity, severity),
                (&k.message, &JsValue::from_str(&issue.message)),
            ] {
                let _ = Reflect::set(&o, key, value);
            }
            issues.push(&o);
        }
        let out = js_sys::Object::new();
        let _ = Reflect::set(&out, &k.ok, &JsValue::from_bool(v.ok));
        let _ = Reflect::set(&out, &k.issues, &issues);
        out.into()
    })
}

struct Keys {
    ok: JsValue,
    issues: JsValue,
    path: JsValue,
    code: JsValue,
    severity: JsValue,
    message: JsValue,
    error: JsValue,
    warning: JsValue,
}

thread_local! {
    static LOCALE_KEY: JsValue = JsValue::from_str("locale");
    static KEYS: Keys = Keys {
        ok: "ok".into(),
        issues: "issues".into(),
        path: "path".into(),
        code: "code".into(),
        severity: "severity".into(),
        message: "message".into(),
        error: "error".into(),
        warning: "warning".into(),
    };
}
