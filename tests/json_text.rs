//! The `*_json` validators, which read JSON text in place, give exactly what the validators
//! of a parsed `serde_json::Value` give, in both locales, for compact and pretty text.

use atlas_ldap::validate::{self as v, Locale, Validation};
use proptest::prelude::*;
use serde_json::{json, Value};

mod support;
use support::{arb_body, arb_json};

type OnValue = fn(&Value, Locale) -> Validation;
type OnText = fn(&str, Locale) -> Validation;

const BODIES: [(&str, OnValue, OnText); 3] = [
    ("userSecurity", v::user_security, v::user_security_json),
    (
        "ldapVerifyParams",
        v::ldap_verify_params,
        v::ldap_verify_params_json,
    ),
    ("groupRoles", v::group_roles, v::group_roles_json),
];

fn same_on_text(value: &Value) -> Result<(), TestCaseError> {
    let texts = [
        serde_json::to_string(value).unwrap(),
        serde_json::to_string_pretty(value).unwrap(),
    ];
    for (name, on_value, on_text) in BODIES {
        for locale in [Locale::En, Locale::Zh] {
            let expected = on_value(value, locale);
            for text in &texts {
                prop_assert_eq!(&on_text(text, locale), &expected, "{} of {}", name, text);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn text_and_value_give_the_same_validation(value in prop_oneof![arb_json(), arb_body()]) {
        same_on_text(&value)?;
        if let Some(ldap) = value.get("ldap") {
            same_on_text(ldap)?;
        }
    }

    #[test]
    fn any_text_is_validated_without_panicking(text in ".{0,200}") {
        for (_, _, on_text) in BODIES {
            let res = on_text(&text, Locale::En);
            prop_assert_eq!(res.ok, res.errors().next().is_none());
        }
    }
}

#[test]
fn text_that_is_not_json_is_a_type_issue_at_the_root() {
    for text in [
        "",
        "{",
        "{\"ldap\":{}}}",
        "[1,]",
        "{'a':1}",
        &"[".repeat(200),
    ] {
        for (name, _, on_text) in BODIES {
            assert_eq!(
                on_text(text, Locale::Zh),
                v::wrong_type("", "object", Locale::Zh),
                "{name} {text:?}"
            );
        }
    }
}

#[test]
fn a_lone_surrogate_is_checked_as_the_replacement_character() {
    // What JSON.stringify writes for a string holding a lone UTF-16 surrogate.
    let text = r#"{"groupRoles":["GROUP_OWNER","\ud800"]}"#;
    let expected = v::group_roles(
        &json!({ "groupRoles": ["GROUP_OWNER", "\u{fffd}"] }),
        Locale::En,
    );
    assert_eq!(v::group_roles_json(text, Locale::En), expected);
    assert_eq!(expected.issues[0].code, "unknown_role");
}

#[test]
fn a_repeated_member_counts_once_with_its_last_value() {
    let text = r#"{"ldap":{"port":0,"port":636},"ldap":{"port":70000}}"#;
    let res = v::user_security_json(text, Locale::En);
    assert_eq!(
        res,
        v::user_security(&json!({ "ldap": { "port": 70000 } }), Locale::En)
    );
}
