//! Property tests: no decoder panics on arbitrary input, what decodes re-encodes to the
//! same document, and the client's hand-written readers of answers accept exactly what the
//! serde models accept. (The coverage-guided counterpart is `fuzz/fuzz_targets/decoders.rs`.)

use atlas_ldap::client::{decode_answer, parse_token_response, Answer, ClientError, DigestChallenge};
use atlas_ldap::model::{ApiError, GroupRoles, GroupUser, LdapVerifyJob, LdapVerifyParams, UserSecurity};
use proptest::prelude::*;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Map, Value};

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
            let result = decode_answer(answer, envelope, status, &body);
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
            if let Ok(reply) = decode_answer(answer, envelope, status, &body) {
                prop_assert!(reply.document().is_some_and(Value::is_object), "a success is a JSON object");
                // Reading it as any model never fails or panics.
                let _: UserSecurity = reply.model();
                let _: GroupUser = reply.model();
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

// ---------------------------------------------------------------------------------------
// The shape check against serde

/// The shape of a model, to generate documents near it: each field present or not, of its
/// kind or of another, `null`, unknown fields, and arrays where objects belong. Written from
/// the models; it only guides generation, serde is what the readers are compared with.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Any,
    Bool,
    Text,
    Enum(&'static [&'static str]),
    U16,
    U64,
    Object(&'static [(&'static str, Shape)]),
    Array(&'static Shape),
}

const LINKS: (&str, Shape) = ("links", Shape::Array(&Shape::Object(&[("href", Shape::Text), ("rel", Shape::Text)])));
const USER_SECURITY: Shape = Shape::Object(&[
    ("customerX509", Shape::Object(&[("cas", Shape::Text), LINKS])),
    (
        "ldap",
        Shape::Object(&[
            ("authenticationEnabled", Shape::Bool),
            ("authorizationEnabled", Shape::Bool),
            ("authzQueryTemplate", Shape::Text),
            ("bindPassword", Shape::Text),
            ("bindUsername", Shape::Text),
            ("caCertificate", Shape::Text),
            ("hostname", Shape::Text),
            ("port", Shape::U16),
            (
                "userToDNMapping",
                Shape::Array(&Shape::Object(&[
                    ("match", Shape::Text),
                    ("substitution", Shape::Text),
                    ("ldapQuery", Shape::Text),
                ])),
            ),
            LINKS,
        ]),
    ),
    LINKS,
]);
const VERIFY_JOB: Shape = Shape::Object(&[
    ("groupId", Shape::Text),
    LINKS,
    (
        "request",
        Shape::Object(&[
            ("authzQueryTemplate", Shape::Text),
            ("bindUsername", Shape::Text),
            ("caCertificate", Shape::Text),
            ("hostname", Shape::Text),
            LINKS,
            ("port", Shape::U16),
        ]),
    ),
    ("requestId", Shape::Text),
    ("status", Shape::Enum(&["PENDING", "SUCCESS", "FAIL", "FAILED"])),
    (
        "validations",
        Shape::Array(&Shape::Object(&[
            ("status", Shape::Enum(&["OK", "FAIL"])),
            ("validationType", Shape::Enum(&["CONNECT", "PARSE_AUTHZ_QUERY_TEMPLATE"])),
        ])),
    ),
]);
const GROUP_ROLES: Shape = Shape::Object(&[("groupRoles", Shape::Array(&Shape::Text)), LINKS]);
const GROUP_USER: Shape = Shape::Object(&[
    ("id", Shape::Text),
    ("orgMembershipStatus", Shape::Enum(&["ACTIVE", "PENDING", "INVITATION_EXPIRED"])),
    ("roles", Shape::Array(&Shape::Text)),
    ("username", Shape::Text),
    ("country", Shape::Text),
    ("createdAt", Shape::Text),
    ("firstName", Shape::Text),
    ("lastAuth", Shape::Text),
    ("lastName", Shape::Text),
    ("mobileNumber", Shape::Text),
    ("invitationCreatedAt", Shape::Text),
    ("invitationExpiresAt", Shape::Text),
    ("inviterUsername", Shape::Text),
]);
const API_ERROR: Shape = Shape::Object(&[
    ("error", Shape::U16),
    ("errorCode", Shape::Text),
    ("detail", Shape::Text),
    ("reason", Shape::Text),
    ("parameters", Shape::Array(&Shape::Any)),
    (
        "badRequestDetail",
        Shape::Object(&[(
            "fields",
            Shape::Array(&Shape::Object(&[("field", Shape::Text), ("description", Shape::Text)])),
        )]),
    ),
]);
const TOKEN_ANSWER: Shape =
    Shape::Object(&[("access_token", Shape::Text), ("expires_in", Shape::U64), ("token_type", Shape::Text)]);

/// A document for the serde models to compare with: the JSON, and whether an array stands
/// where the model has an object (serde may read it as the object's fields in order; the
/// client always refuses it).
type Generated = (Value, bool);

/// Small values of every JSON kind, with the numbers at the edges of `u16` and `u64`.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![Just(-1i64), Just(i64::MIN), any::<i64>()].prop_map(|n| json!(n)),
        prop_oneof![Just(0u64), Just(65535), Just(65536), Just(u64::MAX), any::<u64>()].prop_map(|n| json!(n)),
        prop_oneof![Just(636.0), Just(-0.0), Just(0.5), Just(1e300)].prop_map(|f: f64| json!(f)),
        "[a-z]{0,4}".prop_map(Value::String),
        Just(json!([])),
        Just(json!(["x", 1])),
        Just(json!({})),
        Just(json!({ "unknownField": [1] })),
    ]
}

fn generated(shape: Shape) -> BoxedStrategy<Generated> {
    let fitting = match shape {
        Shape::Any => any_value().prop_map(|v| (v, false)).boxed(),
        Shape::Bool => any::<bool>().prop_map(|b| (json!(b), false)).boxed(),
        Shape::Text => "[a-z]{0,6}".prop_map(|s| (json!(s), false)).boxed(),
        Shape::Enum(known) => prop_oneof![prop::sample::select(known).prop_map(str::to_owned), "[A-Z_]{1,8}"]
            .prop_map(|s| (json!(s), false))
            .boxed(),
        Shape::U16 => {
            prop_oneof![Just(0u16), Just(636), Just(u16::MAX), any::<u16>()].prop_map(|n| (json!(n), false)).boxed()
        }
        Shape::U64 => {
            prop_oneof![Just(0u64), Just(3600), Just(u64::MAX), any::<u64>()].prop_map(|n| (json!(n), false)).boxed()
        }
        Shape::Array(item) => prop::collection::vec(generated(*item), 0..4)
            .prop_map(|items| {
                let array_for_object = items.iter().any(|(_, a)| *a);
                (Value::Array(items.into_iter().map(|(v, _)| v).collect()), array_for_object)
            })
            .boxed(),
        Shape::Object(fields) => {
            let members: Vec<_> = fields
                .iter()
                .map(|&(name, shape)| prop::option::weighted(0.75, generated(shape).prop_map(move |g| (name, g))))
                .collect();
            let object = (members, prop::option::of(any_value())).prop_map(|(members, unknown)| {
                let mut map = Map::new();
                let mut array_for_object = false;
                for (name, (value, a)) in members.into_iter().flatten() {
                    array_for_object |= a;
                    map.insert(name.to_owned(), value);
                }
                if let Some(value) = unknown {
                    map.insert("unknownField".to_owned(), value);
                }
                (Value::Object(map), array_for_object)
            });
            // The sequence form serde also reads: the first fields' values in order.
            let sequence = (0..=fields.len())
                .prop_flat_map(move |n| fields[..n].iter().map(|&(_, shape)| generated(shape)).collect::<Vec<_>>())
                .prop_map(|items| (Value::Array(items.into_iter().map(|(v, _)| v).collect()), true));
            prop_oneof![6 => object, 1 => sequence].boxed()
        }
    };
    let is_object = matches!(shape, Shape::Object(_));
    let other = any_value().prop_map(move |v| {
        let array_for_object = is_object && v.is_array();
        (v, array_for_object)
    });
    prop_oneof![8 => fitting, 1 => other].boxed()
}

/// The serde derive of the token answer the client used to decode with.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<u64>,
}

/// A 2xx answer is read exactly when it is a JSON object, and its model is what serde
/// reads leniently from it, stable under a round trip.
fn lenient_reading<T: DeserializeOwned + Serialize + Default + PartialEq + std::fmt::Debug>(
    answer: Answer,
    (doc, _): &Generated,
) -> Result<(), TestCaseError> {
    let body = doc.to_string();
    let result = decode_answer(answer, false, 200, &body);
    prop_assert_eq!(result.is_ok(), doc.is_object(), "{:?} {}: {:?}", answer, body, result);
    if let Ok(reply) = result {
        let model: T = reply.model();
        let again: T = serde_json::from_value(serde_json::to_value(&model).unwrap()).unwrap();
        prop_assert_eq!(again, model, "{}", body);
    }
    Ok(())
}

/// The first 200 characters of a body and an ellipsis, as error details hold them.
fn snippet(body: &str) -> String {
    match body.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &body[..i]),
        None => body.to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn answers_are_read_leniently(
        security in generated(USER_SECURITY),
        job in generated(VERIFY_JOB),
        roles in generated(GROUP_ROLES),
        user in generated(GROUP_USER),
    ) {
        lenient_reading::<UserSecurity>(Answer::UserSecurity, &security)?;
        lenient_reading::<LdapVerifyJob>(Answer::VerifyJob, &job)?;
        lenient_reading::<GroupRoles>(Answer::GroupRoles, &roles)?;
        lenient_reading::<GroupUser>(Answer::GroupUser, &user)?;
    }

    #[test]
    fn error_documents_are_read_leniently((doc, _) in generated(API_ERROR)) {
        let body = doc.to_string();
        // Both from the same parsed JSON: parsing need not give back the same floats. An
        // error document is an object with a non-empty errorCode string.
        let parsed: Value = serde_json::from_str(&body).unwrap();
        let is_document = parsed.get("errorCode").and_then(Value::as_str).is_some_and(|c| !c.is_empty());
        let decoded = serde_json::from_value::<ApiError>(parsed).ok().filter(|_| is_document).map(|mut e| {
            if e.error == 0 {
                e.error = 400;
            }
            e
        });
        let fallback = |error_code: &str| ApiError {
            error: 400,
            error_code: error_code.to_owned(),
            detail: Some(snippet(&body)),
            ..ApiError::default()
        };
        match decode_answer(Answer::UserSecurity, false, 400, &body) {
            Err(ClientError::Api { status: 400, error }) => {
                prop_assert_eq!(*error, decoded.clone().unwrap_or_else(|| fallback("HTTP_400")), "{}", body)
            }
            other => prop_assert!(false, "{}: {:?}", body, other),
        }
        match parse_token_response(400, &body, 0) {
            Err(ClientError::Api { status: 400, error }) => {
                prop_assert_eq!(*error, decoded.unwrap_or_else(|| fallback("OAUTH_TOKEN_REQUEST_FAILED")), "{}", body)
            }
            other => prop_assert!(false, "{}: {:?}", body, other),
        }
    }

    #[test]
    fn token_answers_are_read_as_serde_decodes_them(
        (doc, array_for_object) in generated(TOKEN_ANSWER),
        now in any::<u64>(),
    ) {
        let body = doc.to_string();
        let decoded = serde_json::from_value::<TokenAnswer>(doc.clone()).ok().filter(|_| !array_for_object);
        match (parse_token_response(200, &body, now), decoded) {
            (Ok((token, lifetime_ms)), Some(answer)) => {
                let want = answer.expires_in.unwrap_or(3600).saturating_mul(1000);
                prop_assert_eq!(token.value.expose(), answer.access_token.as_str());
                prop_assert_eq!((token.expires_at_ms, lifetime_ms), (now.saturating_add(want), want));
            }
            (Err(ClientError::Decode { status: 200, .. }), None) => {}
            (result, decoded) => prop_assert!(false, "{}: {:?}, serde decoded: {}", body, result, decoded.is_some()),
        }
    }
}
