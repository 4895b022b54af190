//! Every decoder on arbitrary input. The first two bytes are an HTTP status (little endian,
//! any value), the rest is the body or header text.
//!
//! Checked: no panic; `decode_answer` only returns JSON objects, which read as the answer's
//! model, errors for error statuses, and body snippets of bounded length; models that decode
//! re-encode and decode to the same value; nothing parsed from the input is given back in a
//! token's `Debug`.
#![no_main]

use atlas_ldap::client::{
    decode_answer, parse_token_response, retry_decision, AttemptOutcome, Answer, BaseUrl, ClientError,
    DigestChallenge, DigestCredentials, Method,
};
use atlas_ldap::model::*;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

const ANSWERS: [Answer; 4] = [Answer::UserSecurity, Answer::VerifyJob, Answer::GroupRoles, Answer::GroupUser];
/// Snippets are 200 characters and an ellipsis at most.
const SNIPPET_MAX_CHARS: usize = 201;

fn responses(status: u16, body: &str) {
    for answer in ANSWERS {
        for envelope in [false, true] {
            let res = decode_answer(answer, envelope, status, body);
            match &res {
                Ok(reply) => {
                    assert!(status < 400 || envelope, "{answer:?}: a {status} answer decoded as a success");
                    let doc = reply.document().expect("a document");
                    assert!(doc.is_object(), "{answer:?}: a success that is not an object: {doc}");
                    // Read leniently as any model, it never fails or panics.
                    let _: UserSecurity = reply.model();
                    let _: LdapVerifyJob = reply.model();
                    let _: GroupRoles = reply.model();
                    let _: GroupUser = reply.model();
                }
                Err(ClientError::Api { status: s, .. }) => assert!(*s >= 400, "an Api error with status {s}"),
                Err(ClientError::Decode { body_snippet, .. }) => {
                    assert!(
                        body_snippet.chars().count() <= SNIPPET_MAX_CHARS,
                        "a snippet of {} characters",
                        body_snippet.chars().count()
                    );
                }
                Err(other) => panic!("decode_answer returned {other:?}"),
            }
            if let Err(e) = &res {
                let _ = (e.to_string(), e.name());
            }
        }
    }
}

/// Decodes `T`; when it decodes, encoding and decoding again must give the same value.
fn model<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(body: &str) {
    if let Ok(first) = serde_json::from_str::<T>(body) {
        let text = serde_json::to_string(&first).expect("a decoded model encodes");
        let again: T = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} re-encoded as {text} does not decode: {e}", std::any::type_name::<T>()));
        assert_eq!(first, again, "{} changed in a round trip", std::any::type_name::<T>());
    }
}

fn models(body: &str) {
    model::<UserSecurity>(body);
    model::<LdapSecuritySettings>(body);
    model::<CustomerX509>(body);
    model::<UserToDnMapping>(body);
    model::<LdapVerifyJob>(body);
    model::<LdapVerifyParams>(body);
    model::<GroupRoles>(body);
    model::<AddOrRemoveGroupRole>(body);
    model::<GroupUser>(body);
    model::<JobStatus>(body);
    model::<ValidationStatus>(body);
    model::<ValidationType>(body);
    // `parameters` holds arbitrary JSON numbers, which need not survive a float round trip:
    // only decoding and encoding are checked.
    if let Ok(error) = serde_json::from_str::<ApiError>(body) {
        serde_json::to_string(&error).expect("an ApiError encodes");
    }
    let _ = serde_json::from_str::<Value>(body);
}

fn headers_and_urls(status: u16, text: &str) {
    if let Some(challenge) = DigestChallenge::parse(text) {
        assert!(!challenge.nonce.is_empty());
        let credentials = DigestCredentials { public_key: text.to_owned(), private_key: Secret::new("fuzz-private-key") };
        let header = challenge.authorization(&credentials, Method::Get, text, u32::from(status), text);
        assert!(!header.contains("fuzz-private-key"));
    }
    match parse_token_response(status, text, u64::from(status) << 40) {
        Ok((token, lifetime_ms)) => {
            assert!(status < 400);
            let _ = token.is_fresh(u64::MAX - u64::from(status), lifetime_ms);
            let _ = token.is_fresh(0, lifetime_ms);
            assert!(format!("{token:?}").contains("value: [redacted]"), "a token's Debug shows its value");
        }
        Err(ClientError::Decode { body_snippet, .. }) => assert!(body_snippet.is_empty()),
        Err(ClientError::Api { .. }) => assert!(status >= 400),
        Err(other) => panic!("parse_token_response returned {other:?}"),
    }
    for allow in [false, true] {
        if let Ok(base) = BaseUrl::parse(text, allow) {
            let origin = base.origin();
            assert!(origin.starts_with("https://") || origin.starts_with("http://"), "{origin}");
            assert!(!origin.contains('@'), "user info kept in {origin}");
            let url = base.join("/api/atlas/v2/groups");
            assert!(url.starts_with(origin));
            let _ = base.server_path("/api/oauth/token");
        }
    }
    for method in [Method::Get, Method::Post, Method::Patch] {
        let outcome = AttemptOutcome::Status { status, retry_after: Some(text) };
        let _ = retry_decision(method, u32::from(status) % 8, 3, outcome, f64::from(status) / 65536.0);
    }
}

fuzz_target!(|data: &[u8]| {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => return,
    };
    let text = String::from_utf8_lossy(rest);
    responses(status, &text);
    models(&text);
    headers_and_urls(status, &text);
});
