//! Shared by the test crates: generators of Atlas-shaped JSON bodies.

use proptest::prelude::*;
use serde_json::{json, Value};

/// A PEM block with one (made-up) certificate.
pub const CERT: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0+/\nTUlJQg==\n-----END CERTIFICATE-----\n";

/// Any JSON value, with the member names and string values the validators look at.
pub fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        (0u64..70000).prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("(.*)"),
            Just("{USER}?memberOf?base"),
            Just("CN={0}"),
            Just(""),
            Just("string"),
            Just("ldap.example.com"),
            Just("CN=a,DC=b"),
            Just(CERT),
            Just("GROUP_OWNER"),
            Just("(?<n>a)(b"),
            Just("-----BEGIN CERTIFICATE-----\r\n"),
            Just("[(]{1}"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    let keys = prop_oneof![
        Just("ldap"),
        Just("customerX509"),
        Just("cas"),
        Just("hostname"),
        Just("port"),
        Just("bindUsername"),
        Just("bindPassword"),
        Just("caCertificate"),
        Just("authzQueryTemplate"),
        Just("authenticationEnabled"),
        Just("authorizationEnabled"),
        Just("userToDNMapping"),
        Just("match"),
        Just("substitution"),
        Just("ldapQuery"),
        Just("groupRoles"),
        Just("links"),
        Just("other"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_string), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Body-shaped values: the object members where the validators look for them.
pub fn arb_body() -> impl Strategy<Value = Value> {
    (arb_json(), arb_json(), arb_json(), arb_json()).prop_map(|(ldap, x509, mapping, roles)| {
        let mut ldap = if ldap.is_object() {
            ldap
        } else {
            json!({ "port": ldap })
        };
        ldap["userToDNMapping"] = mapping.clone();
        json!({
            "ldap": ldap,
            "customerX509": x509,
            "groupRoles": roles,
            "hostname": mapping,
        })
    })
}
