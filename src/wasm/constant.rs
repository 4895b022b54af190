//! The crate's constant strings (property names, header names, `"omit"` …) as JavaScript
//! strings, each made once.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

thread_local! {
    /// JavaScript strings already made from the crate's constants, by address.
    static CONSTANTS: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// A constant of the crate as a JavaScript string, made once: decoding a string out of wasm
/// memory costs more than the property access it is for (bench/PROFILE.md). The crate has a
/// few dozen such constants, so a list searched by address is enough.
pub(crate) fn constant(s: &'static str) -> JsValue {
    let id = s.as_ptr() as usize ^ (s.len() << 24);
    CONSTANTS.with_borrow_mut(|list| {
        if let Some((_, v)) = list.iter().find(|(k, _)| *k == id) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        list.push((id, v.clone()));
        v
    })
}
