//! The JavaScript exports, run as wasm by wasm-bindgen-test: in Node by default and in
//! headless Chromium with `WASM_BINDGEN_USE_BROWSER=1` (one suite, both ways).
#![cfg(target_arch = "wasm32")]

use atlas_ldap::wasm::validators::*;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property")
}

fn codes(v: &JsValue) -> Vec<String> {
    Array::from(&get(v, "issues"))
        .iter()
        .map(|i| get(&i, "code").as_string().expect("code is a string"))
        .collect()
}

fn zh() -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"locale".into(), &"zh".into()).unwrap();
    o.into()
}

#[wasm_bindgen_test]
fn group_id_accepts_24_lower_hex_digits() {
    let v = validate_group_id("32b6e34b3d91647abb20e7b8".into(), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::TRUE);
    assert!(codes(&v).is_empty());
}

#[wasm_bindgen_test]
fn group_id_rejects_upper_case_with_pattern_at_its_path() {
    let v = validate_group_id("32B6E34B3D91647ABB20E7B8".into(), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::FALSE);
    assert_eq!(codes(&v), ["pattern"]);
    let issue = Array::from(&get(&v, "issues")).get(0);
    assert_eq!(get(&issue, "path").as_string().unwrap(), "groupId");
    assert_eq!(get(&issue, "severity").as_string().unwrap(), "error");
}

#[wasm_bindgen_test]
fn a_non_string_is_a_type_issue_not_an_exception() {
    for value in [JsValue::from_f64(42.0), JsValue::NULL, JsValue::UNDEFINED, Object::new().into()] {
        let v = validate_group_id(value, JsValue::UNDEFINED);
        assert_eq!(get(&v, "ok"), JsValue::FALSE);
        assert_eq!(codes(&v), ["type"]);
    }
}

#[wasm_bindgen_test]
fn messages_follow_the_locale_option() {
    let en = validate_group_id("nope".into(), JsValue::UNDEFINED);
    let zh = validate_group_id("nope".into(), zh());
    let msg = |v: &JsValue| get(&Array::from(&get(v, "issues")).get(0), "message").as_string().unwrap();
    assert!(msg(&en).is_ascii(), "English message: {}", msg(&en));
    assert!(!msg(&zh).is_ascii(), "Chinese message: {}", msg(&zh));
    // A locale that is not an options object, or an unknown tag, falls back to English.
    assert_eq!(msg(&validate_group_id("nope".into(), "zh".into())), msg(&en));
}
