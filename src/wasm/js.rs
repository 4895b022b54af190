//! The JavaScript globals the client needs beyond web-sys: `setTimeout` and `clearTimeout`
//! bound as globals (as gloo-timers does), because `web_sys::window()` is `None` in Node.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::constant::constant;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);
}

/// The clock of the engine, in milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A seed for the engine's jitter and Digest client nonces.
pub fn seed() -> u64 {
    let part = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    part() << 32 | part()
}

/// Reads `obj[key]`; a missing object or a throwing getter reads as `undefined`.
pub fn prop(obj: &JsValue, key: &'static str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(obj, &constant(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sets `obj[key]` on an object this crate created.
pub fn set(obj: &JsValue, key: &'static str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &constant(key), value);
}

/// Whether `v` is `undefined` or `null`.
pub fn is_nullish(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}
