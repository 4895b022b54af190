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

fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON")
}

fn issues(v: &JsValue) -> Vec<(String, String, String)> {
    Array::from(&get(v, "issues"))
        .iter()
        .map(|i| {
            let s = |k| get(&i, k).as_string().unwrap();
            (s("path"), s("code"), s("severity"))
        })
        .collect()
}

#[wasm_bindgen_test]
fn hostname_examples_of_the_docs() {
    let v = validate_hostname("atlas-ldaps-01.ldap.myteam.com".into(), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::TRUE);
    assert_eq!(issues(&v), [("hostname".into(), "spec_pattern".into(), "warning".into())]);
    let v = validate_hostname("ldap.example.com:636".into(), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn lower_case_bind_dn_is_ok_with_a_warning() {
    let v = validate_bind_username("cn=admin,dc=example,dc=org".into(), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::TRUE);
    assert_eq!(codes(&v), ["spec_pattern"]);
}

#[wasm_bindgen_test]
fn user_security_of_the_v1_example_response_has_one_warning() {
    let body = obj(r#"{"ldap":{"authenticationEnabled":true,"authorizationEnabled":true,
        "authzQueryTemplate":"{USER}?memberOf?base",
        "bindUsername":"CN=Administrator,CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com",
        "hostname":"atlas-ldaps-01.ldap.myteam.com","port":636,
        "userToDNMapping":[{"match":"(.*)","substitution":"CN={0},CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com"}]}}"#);
    let v = validate_user_security(body, JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::TRUE);
    assert_eq!(issues(&v), [("ldap.hostname".into(), "spec_pattern".into(), "warning".into())]);
}

#[wasm_bindgen_test]
fn whole_bodies_of_any_type_never_throw() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let odd = [JsValue::from_f64(1.0), JsValue::NULL, JsValue::UNDEFINED, "x".into(), cyclic.into(),
               js_sys::BigInt::from(1u32).into(), obj(r#"{"ldap": 5}"#), obj(r#"[1, 2]"#)];
    for value in odd {
        for v in [validate_user_security(value.clone(), zh()), validate_ldap_verify_params(value.clone(), zh()),
                  validate_group_roles(value.clone(), zh())] {
            assert_eq!(get(&v, "ok"), JsValue::FALSE);
            assert!(codes(&v).contains(&"type".to_string()) || codes(&v).contains(&"required".to_string()), "{:?}", codes(&v));
        }
    }
}

#[wasm_bindgen_test]
fn verify_params_and_roles() {
    let v = validate_ldap_verify_params(obj(r#"{"hostname":"ldap.example.com","port":65536}"#), JsValue::UNDEFINED);
    let got = issues(&v);
    for want in [("port", "range"), ("bindUsername", "required"), ("bindPassword", "required")] {
        assert!(got.iter().any(|(p, c, _)| p == want.0 && c == want.1), "{want:?} in {got:?}");
    }
    let v = validate_group_roles(obj(r#"{"groupRoles":["GROUP_OWNER","GROUP_OWNER","NOT_A_ROLE"]}"#), JsValue::UNDEFINED);
    assert_eq!(get(&v, "ok"), JsValue::FALSE);
    let got = codes(&v);
    assert!(got.contains(&"duplicate".into()) && got.contains(&"unknown_role".into()), "{got:?}");
}
