//! The few JavaScript globals the package uses, bound by hand (no web-sys): they exist in
//! Node 20 and in browsers and workers alike.

use js_sys::{Function, Object, Promise};

use super::constant::constant;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    pub fn fetch(url: &str, init: &Object) -> Promise;

    /// `JSON.parse` of a string that is already in JavaScript.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    /// A `fetch` answer.
    pub type Response;
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &Response) -> u16;
    #[wasm_bindgen(method, getter)]
    pub fn headers(this: &Response) -> Headers;
    #[wasm_bindgen(method, catch)]
    pub fn text(this: &Response) -> Result<Promise, JsValue>;

    pub type Headers;
    #[wasm_bindgen(method)]
    pub fn get(this: &Headers, name: &JsValue) -> Option<String>;

    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    pub fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, getter)]
    pub fn reason(this: &AbortSignal) -> JsValue;
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_event_listener(this: &AbortSignal, kind: &str, listener: &Function, options: &JsValue);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    pub fn remove_event_listener(this: &AbortSignal, kind: &str, listener: &Function);

    pub type AbortController;
    #[wasm_bindgen(constructor)]
    pub fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController);
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A random number in `[0, 1)`.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Reads `obj[key]`; a missing object or a throwing getter reads as `undefined`.
pub fn prop(obj: &JsValue, key: &'static str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(obj, &constant(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sets `obj[key]` on an object this crate created.
pub fn set(obj: &Object, key: &'static str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &constant(key), value);
}

thread_local! {
    /// The media types the client sent lately.
    static MEDIA_TYPES: std::cell::RefCell<Vec<(String, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A media type (`application/vnd.atlas.2023-01-01+json`) as a JavaScript string: a client
/// sends the same one or two on every call, so the last few are kept (never secrets: only
/// `accept` and `content-type` values come here).
pub fn media_type(s: &str) -> JsValue {
    MEDIA_TYPES.with_borrow_mut(|list| {
        if let Some((_, v)) = list.iter().find(|(k, _)| k == s) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        if list.len() == 8 {
            list.remove(0);
        }
        list.push((s.to_owned(), v.clone()));
        v
    })
}
