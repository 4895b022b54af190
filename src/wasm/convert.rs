//! Conversions between JavaScript values and the core's types.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::validate::{Locale, Validation};

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
pub(crate) fn json_value(value: &JsValue) -> Option<serde_json::Value> {
    let text = json_text(value)?;
    // JSON.stringify output always parses; only nesting deeper than serde_json's limit fails.
    serde_json::from_str(&text).ok()
}

/// The `JSON.stringify` text of a JavaScript value; `None` as for [`json_value`].
pub(crate) fn json_text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// Builds the plain `{ ok, issues: [{ path, code, severity, message }] }` object.
///
/// It crosses into JavaScript as one JSON string that `JSON.parse` turns into the object:
/// one string decode instead of one per key and value plus a `Reflect.set` per property
/// (3–4× faster for a valid result, more for results with issues; see `make bench`).
pub(crate) fn validation(v: &Validation) -> JsValue {
    if v.ok && v.issues.is_empty() {
        return valid();
    }
    // Serializing plain strings and a bool cannot fail.
    let json = serde_json::to_string(v).unwrap_or_default();
    js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL)
}

thread_local! {
    static LOCALE_KEY: JsValue = JsValue::from_str("locale");
    /// The keys of the valid result, made once: decoding a key from wasm memory on every
    /// call cost most of a valid `validateGroupId` (bench/PROFILE.md).
    static VALID_KEYS: (JsValue, JsValue) = (JsValue::from_str("ok"), JsValue::from_str("issues"));
}

/// A fresh `{ ok: true, issues: [] }` (fresh, so a caller may change it).
fn valid() -> JsValue {
    let out = js_sys::Object::new();
    VALID_KEYS.with(|(ok, issues)| {
        let _ = Reflect::set(&out, ok, &JsValue::TRUE);
        let _ = Reflect::set(&out, issues, &js_sys::Array::new());
    });
    out.into()
}
