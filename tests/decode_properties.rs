//! Property tests: no decoder panics on arbitrary input, and what decodes re-encodes to the
//! same document. (The coverage-guided counterpart is `fuzz/fuzz_targets/decoders.rs`.)

use atlas_ldap::client::{decode_response, parse_token_response, Answer, DigestChallenge, ResponseParts};
use atlas_ldap::model::{ApiError, GroupRoles, GroupUser, LdapVerifyJob, LdapVerifyParams, UserSecurity};
use proptest::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const ANSWERS: [Answer; 4] = [Answer::UserSecurity, Answer::VerifyJob, Answer::GroupRoles, Answer::GroupUser];

/// JSON shaped like Atlas documents: their keys, their kinds of values, and wrong ones.
fn arb_document() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..70000).prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![Just("PENDING"), Just("FAILED"), Just("SUCCESS"), Just("OK"), Just("FAIL"), Just("CONNECT"),
                    Just("PARSE_AUTHZ_QUERY_TEMPLATE"), Just("ACTIVE"), Just("GROUP_OWNER")]
            .prop_map(|s| Value::String(s.into())),
    ];
    let keys = prop_oneof![
        Just("ldap"), Just("customerX509"), Just("links"), Just("href"), Just("rel"), Just("cas"), Just("hostname"),
        Just("port"), Just("bindUsername"), Just("authenticationEnabled"), Just("userToDNMapping"), Just("match"),
        Just("status"), Just("validations"), Just("validationType"), Just("requestId"), Just("groupId"),
        Just("request"), Just("groupRoles"), Just("roles"), Just("id"), Just("username"),
        Just("orgMembershipStatus"), Just("error"), Just("errorCode"), Just("detail"), Just("content"),
        Just("unknownField"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_string), inner, 0..7)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Decoding `value` never panics; a success re-encodes and decodes to the same model.
fn round_trips<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(value: &Value) -> Result<(), TestCaseError> {
    if let Ok(model) = serde_json::from_value::<T>(value.clone()) {
        let again: T = serde_json::from_value(serde_json::to_value(&model).unwrap()).unwrap();
        prop_assert_eq!(again, model);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn responses_of_any_text_never_panic(body in ".{0,200}", status in 0u16..700, envelope: bool) {
        for answer in ANSWERS {
            let result = decode_response(answer, envelope, ResponseParts { status, body: &body });
            if status >= 400 && !envelope {
                prop_assert!(result.is_err());
            }
        }
        let _ = parse_token_response(status, &body, 0);
        let _ = DigestChallenge::parse(&body);
    }

    #[test]
    fn documents_of_any_shape_decode_or_fail_cleanly(doc in arb_document(), status in prop_oneof![Just(200u16), Just(202), Just(404), 0u16..700], envelope: bool) {
        let body = doc.to_string();
        for answer in ANSWERS {
            if let Ok(value) = decode_response(answer, envelope, ResponseParts { status, body: &body }) {
                prop_assert!(value.is_object(), "a success is a JSON object");
            }
        }
        round_trips::<UserSecurity>(&doc)?;
        round_trips::<LdapVerifyJob>(&doc)?;
        round_trips::<LdapVerifyParams>(&doc)?;
        round_trips::<GroupRoles>(&doc)?;
        round_trips::<GroupUser>(&doc)?;
        round_trips::<ApiError>(&doc)?;
    }
}
