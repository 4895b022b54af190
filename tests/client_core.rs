//! The sans-IO client core, natively: the request of every operation, validation before
//! sending, response decoding, retry decisions, service-account tokens, verify polling, base
//! URLs, and that secrets never reach a `Debug` string.

// `ClientError` is the crate's error type as it is; the helper only passes it on.
#![allow(clippy::result_large_err)]

use atlas_ldap::client::{
    decode_answer, parse_token_response, retry_decision, token_request, AccessToken, Answer, AttemptOutcome, BaseUrl,
    ClientConfig, ClientError, HttpRequest, Method, Operation, PollDecision, RequestOptions, RetryDecision, VerifyWait,
};
use atlas_ldap::model::{GroupRoles, GroupUser, JobStatus, LdapVerifyJob, Secret, UserSecurity};
use atlas_ldap::validate::{Locale, Severity};
use serde_json::{json, Value};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const USER: &str = "5f1c2e3d4b5a69788796a5b4";
const REQUEST: &str = "6a7b8c9d0e1f2a3b4c5d6e7f";
const BIND_PASSWORD: &str = "hunter2-bind-secret";
const V2023: &str = "application/vnd.atlas.2023-01-01+json";
const V2025: &str = "application/vnd.atlas.2025-02-19+json";

fn config() -> ClientConfig {
    ClientConfig::new(BaseUrl::parse("https://cloud.mongodb.com", false).unwrap())
}

fn legacy() -> ClientConfig {
    ClientConfig { legacy_v1: true, ..config() }
}

fn options(envelope: bool, pretty: bool) -> RequestOptions {
    RequestOptions { envelope, pretty, ..RequestOptions::default() }
}

fn request(op: &Operation<'_>, config: &ClientConfig, opts: &RequestOptions) -> HttpRequest {
    op.request(config, opts, Locale::En).unwrap_or_else(|e| panic!("{op:?}: {e}"))
}

fn security_body() -> Value {
    json!({ "ldap": { "authenticationEnabled": false, "authorizationEnabled": false } })
}

fn verify_params() -> Value {
    json!({
        "hostname": "ldap.example.com",
        "port": 636,
        "bindUsername": "CN=BindUser,DC=example,DC=com",
        "bindPassword": BIND_PASSWORD,
    })
}

fn roles_body() -> Value {
    json!({ "groupRoles": ["GROUP_OWNER", "GROUP_READ_ONLY"] })
}

/// `(path, code)` of the error issues of a validation failure.
fn validation_errors(res: Result<HttpRequest, ClientError>) -> Vec<(String, String)> {
    match res {
        Err(ClientError::Validation { issues }) => issues
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| (i.path, i.code))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Requests

struct Expected {
    method: Method,
    path: String,
    media: &'static str,
    body: bool,
    pretty: bool,
}

#[test]
fn every_operation_builds_its_request() {
    let (security, params, roles) = (security_body(), verify_params(), roles_body());
    let g = format!("/api/atlas/v2/groups/{GROUP}");
    let cases: Vec<(Operation<'_>, Expected)> = vec![
        (
            Operation::GetUserSecurity { group_id: GROUP },
            Expected { method: Method::Get, path: format!("{g}/userSecurity"), media: V2023, body: false, pretty: true },
        ),
        (
            Operation::UpdateUserSecurity { group_id: GROUP, body: &security },
            Expected { method: Method::Patch, path: format!("{g}/userSecurity"), media: V2023, body: true, pretty: true },
        ),
        (
            Operation::DisableCustomerX509 { group_id: GROUP },
            Expected {
                method: Method::Delete,
                path: format!("{g}/userSecurity/customerX509"),
                media: V2023,
                body: false,
                pretty: false,
            },
        ),
        (
            Operation::DeleteLdapUserToDnMapping { group_id: GROUP },
            Expected {
                method: Method::Delete,
                path: format!("{g}/userSecurity/ldap/userToDNMapping"),
                media: V2023,
                body: false,
                pretty: true,
            },
        ),
        (
            Operation::VerifyLdap { group_id: GROUP, params: &params },
            Expected {
                method: Method::Post,
                path: format!("{g}/userSecurity/ldap/verify"),
                media: V2023,
                body: true,
                pretty: true,
            },
        ),
        (
            Operation::GetLdapVerifyStatus { group_id: GROUP, request_id: REQUEST },
            Expected {
                method: Method::Get,
                path: format!("{g}/userSecurity/ldap/verify/{REQUEST}"),
                media: V2023,
                body: false,
                pretty: true,
            },
        ),
        (
            Operation::UpdateUserRoles { group_id: GROUP, user_id: USER, body: &roles },
            Expected { method: Method::Put, path: format!("{g}/users/{USER}/roles"), media: V2023, body: true, pretty: true },
        ),
        (
            Operation::AddUserRole { group_id: GROUP, user_id: USER, role: "GROUP_OWNER" },
            Expected { method: Method::Post, path: format!("{g}/users/{USER}:addRole"), media: V2025, body: true, pretty: true },
        ),
        (
            Operation::RemoveUserRole { group_id: GROUP, user_id: USER, role: "GROUP_OWNER" },
            Expected {
                method: Method::Post,
                path: format!("{g}/users/{USER}:removeRole"),
                media: V2025,
                body: true,
                pretty: true,
            },
        ),
    ];
    for (op, want) in &cases {
        assert_eq!(op.method(), want.method, "{op:?}");
        for (envelope, pretty) in [(false, false), (true, false), (false, true), (true, true)] {
            let req = request(op, &config(), &options(envelope, pretty));
            let mut query = Vec::new();
            if envelope {
                query.push("envelope=true");
            }
            if pretty && want.pretty {
                query.push("pretty=true");
            }
            let path = if query.is_empty() { want.path.clone() } else { format!("{}?{}", want.path, query.join("&")) };
            let what = format!("{op:?} envelope={envelope} pretty={pretty}");
            assert_eq!(req.method, want.method, "{what}");
            assert_eq!(req.path_and_query, path, "{what}");
            assert_eq!(req.url, format!("https://cloud.mongodb.com{path}"), "{what}");
            assert_eq!(req.header("accept"), Some(want.media), "{what}");
            assert_eq!(req.header("content-type"), want.body.then_some(want.media), "{what}");
            assert_eq!(req.body.is_some(), want.body, "{what}");
            assert_eq!(req.header("authorization"), None, "{what}: the core never adds credentials to an operation");
        }
    }
}

#[test]
fn bodies_are_sent_as_given_with_explicit_false() {
    let body = json!({
        "ldap": { "authenticationEnabled": false, "authorizationEnabled": false, "caCertificate": "" },
        "customerX509": { "cas": "" },
    });
    let req = request(&Operation::UpdateUserSecurity { group_id: GROUP, body: &body }, &config(), &options(false, false));
    let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, body);
    assert!(req.body.as_deref().unwrap().contains(r#""authenticationEnabled":false"#));

    let params = verify_params();
    let req = request(&Operation::VerifyLdap { group_id: GROUP, params: &params }, &config(), &options(false, false));
    let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, params, "the bindPassword is sent");

    let roles = roles_body();
    let req = request(&Operation::UpdateUserRoles { group_id: GROUP, user_id: USER, body: &roles }, &config(), &options(false, false));
    assert_eq!(serde_json::from_str::<Value>(req.body.as_deref().unwrap()).unwrap(), roles);

    let req = request(
        &Operation::AddUserRole { group_id: GROUP, user_id: USER, role: "GROUP_READ_ONLY" },
        &config(),
        &options(false, false),
    );
    assert_eq!(serde_json::from_str::<Value>(req.body.as_deref().unwrap()).unwrap(), json!({ "groupRole": "GROUP_READ_ONLY" }));
}

#[test]
fn version_date_overrides_the_media_type() {
    let opts = RequestOptions { version_date: Some("2024-08-05".into()), ..RequestOptions::default() };
    let body = security_body();
    for op in [
        Operation::GetUserSecurity { group_id: GROUP },
        Operation::UpdateUserSecurity { group_id: GROUP, body: &body },
        Operation::AddUserRole { group_id: GROUP, user_id: USER, role: "GROUP_OWNER" },
    ] {
        let req = request(&op, &config(), &opts);
        assert_eq!(req.header("accept"), Some("application/vnd.atlas.2024-08-05+json"), "{op:?}");
        if req.body.is_some() {
            assert_eq!(req.header("content-type"), Some("application/vnd.atlas.2024-08-05+json"), "{op:?}");
        }
    }
}

#[test]
fn a_malformed_version_date_is_a_validation_error() {
    for bad in ["", "2024-8-5", "20240805", "latest", "2024-08-05x", "2024/08/05", "２０２４-08-05"] {
        let opts = RequestOptions { version_date: Some(bad.into()), ..RequestOptions::default() };
        let res = Operation::GetUserSecurity { group_id: GROUP }.request(&config(), &opts, Locale::En);
        assert_eq!(validation_errors(res), [("versionDate".to_owned(), "pattern".to_owned())], "{bad:?}");
    }
}

#[test]
fn legacy_v1_moves_only_user_security_get_and_patch() {
    let body = security_body();
    let opts = RequestOptions { envelope: true, pretty: true, version_date: Some("2024-08-05".into()), deadline_ms: None };
    let get = request(&Operation::GetUserSecurity { group_id: GROUP }, &legacy(), &opts);
    assert_eq!(get.path_and_query, format!("/api/atlas/v1.0/groups/{GROUP}/userSecurity?envelope=true&pretty=true"));
    assert_eq!(get.header("accept"), Some("application/json"));
    assert_eq!(get.header("content-type"), None);
    let patch = request(&Operation::UpdateUserSecurity { group_id: GROUP, body: &body }, &legacy(), &options(false, false));
    assert_eq!(patch.method, Method::Patch);
    assert_eq!(patch.path_and_query, format!("/api/atlas/v1.0/groups/{GROUP}/userSecurity"));
    assert_eq!(patch.header("accept"), Some("application/json"));
    assert_eq!(patch.header("content-type"), Some("application/json"));

    let params = verify_params();
    for op in [
        Operation::DisableCustomerX509 { group_id: GROUP },
        Operation::DeleteLdapUserToDnMapping { group_id: GROUP },
        Operation::VerifyLdap { group_id: GROUP, params: &params },
        Operation::GetLdapVerifyStatus { group_id: GROUP, request_id: REQUEST },
        Operation::AddUserRole { group_id: GROUP, user_id: USER, role: "GROUP_OWNER" },
    ] {
        let req = request(&op, &legacy(), &options(false, false));
        assert!(req.path_and_query.starts_with("/api/atlas/v2/"), "{op:?}: {}", req.path_and_query);
        assert!(req.header("accept").unwrap().starts_with("application/vnd.atlas."), "{op:?}");
    }
}

#[test]
fn a_base_url_prefix_is_kept() {
    let config = ClientConfig::new(BaseUrl::parse("http://127.0.0.1:8080/atlas/", false).unwrap());
    let req = request(&Operation::GetUserSecurity { group_id: GROUP }, &config, &options(false, false));
    assert_eq!(req.url, format!("http://127.0.0.1:8080/atlas/api/atlas/v2/groups/{GROUP}/userSecurity"));
    assert_eq!(req.path_and_query, format!("/atlas/api/atlas/v2/groups/{GROUP}/userSecurity"));
}

// ---------------------------------------------------------------------------------------
// Validation before sending

#[test]
fn invalid_ids_send_nothing() {
    let e = |path: &str, code: &str| (path.to_owned(), code.to_owned());
    let res = Operation::GetUserSecurity { group_id: "32B6E34B3D91647ABB20E7B8" }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("groupId", "pattern")]);
    let res = Operation::GetUserSecurity { group_id: "" }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("groupId", "required")]);
    let res = Operation::GetLdapVerifyStatus { group_id: GROUP, request_id: "../../x" }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("requestId", "pattern")]);
    let res = Operation::AddUserRole { group_id: "g", user_id: "u", role: "" }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("groupId", "pattern"), e("userId", "pattern"), e("groupRole", "required")]);
}

#[test]
fn invalid_bodies_send_nothing_and_name_their_fields() {
    let e = |path: &str, code: &str| (path.to_owned(), code.to_owned());
    let body = json!({ "ldap": { "port": 0, "userToDNMapping": [{ "match": "(.+)", "substitution": "CN={0}" }, { "match": "" }] } });
    let res = Operation::UpdateUserSecurity { group_id: GROUP, body: &body }.request(&config(), &Default::default(), Locale::En);
    let errors = validation_errors(res);
    assert!(errors.contains(&e("ldap.port", "range")), "{errors:?}");
    assert!(errors.iter().any(|(p, _)| p.starts_with("ldap.userToDNMapping[1]")), "{errors:?}");

    let params = json!({ "hostname": "ldap.example.com", "port": 636, "bindUsername": "CN=x" });
    let res = Operation::VerifyLdap { group_id: GROUP, params: &params }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("bindPassword", "required")]);

    let roles = json!({ "groupRoles": ["GROUP_OWNER", "GROUP_OWNER"] });
    let res = Operation::UpdateUserRoles { group_id: GROUP, user_id: USER, body: &roles }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("groupRoles[1]", "duplicate")]);

    let not_an_object = json!(3);
    let res = Operation::UpdateUserSecurity { group_id: GROUP, body: &not_an_object }.request(&config(), &Default::default(), Locale::En);
    assert_eq!(validation_errors(res), [e("", "type")]);
}

#[test]
fn a_validation_error_never_holds_the_bind_password() {
    let params = json!({ "hostname": "not a host", "port": 0, "bindUsername": "x", "bindPassword": BIND_PASSWORD });
    let err = Operation::VerifyLdap { group_id: GROUP, params: &params }
        .request(&config(), &Default::default(), Locale::Zh)
        .unwrap_err();
    assert_eq!(err.name(), "AtlasValidationError");
    assert!(!format!("{err:?}").contains(BIND_PASSWORD));
    assert!(!err.to_string().contains(BIND_PASSWORD));
}

#[test]
fn warnings_alone_do_not_stop_a_request() {
    let body = json!({ "ldap": { "hostname": "atlas-ldaps-01.ldap.myteam.com" } });
    let req = request(&Operation::UpdateUserSecurity { group_id: GROUP, body: &body }, &config(), &options(false, false));
    assert!(req.body.is_some());
    request(&Operation::AddUserRole { group_id: GROUP, user_id: USER, role: "GROUP_FUTURE_ROLE" }, &config(), &options(false, false));
}

// ---------------------------------------------------------------------------------------
// Responses

fn decode(answer: Answer, envelope: bool, status: u16, body: &str) -> Result<Value, ClientError> {
    decode_answer(answer, envelope, status, body).map(|reply| reply.document().cloned().expect("a document"))
}

#[test]
fn a_success_is_returned_as_sent_with_or_without_envelope() {
    let doc = json!({
        "ldap": { "authenticationEnabled": true, "hostname": "ldap.example.com", "port": 636, "futureField": [1, 2] },
        "customerX509": {},
        "links": [{ "href": "https://cloud.mongodb.com/api/atlas", "rel": "self" }],
        "newTopLevel": "kept",
    });
    assert_eq!(decode(Answer::UserSecurity, false, 200, &doc.to_string()).unwrap(), doc, "unknown fields are preserved");
    let enveloped = json!({ "status": 200, "content": doc }).to_string();
    assert_eq!(decode(Answer::UserSecurity, true, 200, &enveloped).unwrap(), doc);
    let pretty = serde_json::to_string_pretty(&doc).unwrap();
    assert_eq!(decode(Answer::UserSecurity, true, 200, &pretty).unwrap(), doc, "envelope asked for, none sent");

    let job = json!({ "groupId": GROUP, "requestId": REQUEST, "status": "FAILED", "validations": [
        { "status": "FAIL", "validationType": "PARSE_AUTHZ_QUERY_TEMPLATE" }
    ] });
    assert_eq!(decode(Answer::VerifyJob, false, 200, &job.to_string()).unwrap(), job);
    let roles = roles_body();
    assert_eq!(decode(Answer::GroupRoles, false, 200, &roles.to_string()).unwrap(), roles);
}

#[test]
fn api_errors_are_decoded() {
    let body = json!({
        "error": 400,
        "errorCode": "VALIDATION_ERROR",
        "detail": "Invalid port.",
        "reason": "Bad Request",
        "parameters": ["port"],
        "badRequestDetail": { "fields": [{ "field": "ldap.port", "description": "must be at most 65535" }] },
    });
    let Err(ClientError::Api { status, error }) = decode(Answer::UserSecurity, false, 400, &body.to_string()) else {
        panic!("expected an Api error")
    };
    assert_eq!(status, 400);
    assert_eq!(error.error_code, "VALIDATION_ERROR");
    assert_eq!(error.detail.as_deref(), Some("Invalid port."));
    assert_eq!(error.reason.as_deref(), Some("Bad Request"));
    assert_eq!(error.parameters, Some(vec![json!("port")]));
    let fields = error.bad_request_detail.unwrap().fields.unwrap();
    assert_eq!((fields[0].field.as_str(), fields[0].description.as_str()), ("ldap.port", "must be at most 65535"));
}

#[test]
fn enveloped_errors_use_the_envelope_status() {
    let body = json!({
        "status": 404,
        "content": { "error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": "No group.", "reason": "Not Found" },
    });
    match decode(Answer::UserSecurity, true, 200, &body.to_string()) {
        Err(ClientError::Api { status: 404, error }) => assert_eq!(error.error_code, "RESOURCE_NOT_FOUND"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_statuses_without_an_error_document_still_are_api_errors() {
    match decode(Answer::UserSecurity, false, 502, "<html>Bad gateway</html>") {
        Err(ClientError::Api { status: 502, error }) => {
            assert_eq!(error.error_code, "HTTP_502");
            assert_eq!(error.detail.as_deref(), Some("<html>Bad gateway</html>"));
        }
        other => panic!("{other:?}"),
    }
    match decode(Answer::GroupUser, false, 401, "") {
        Err(ClientError::Api { status: 401, error }) => {
            assert_eq!(error.error_code, "HTTP_401");
            assert_eq!(error.detail, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_json_and_empty_successes_are_decode_errors() {
    match decode(Answer::UserSecurity, false, 200, "<html>login</html>") {
        Err(ClientError::Decode { status: 200, body_snippet, message }) => {
            assert_eq!(body_snippet, "<html>login</html>");
            assert_eq!(message, "the body is not JSON");
        }
        other => panic!("{other:?}"),
    }
    match decode(Answer::VerifyJob, false, 200, "  \n") {
        Err(ClientError::Decode { message, .. }) => assert_eq!(message, "empty body"),
        other => panic!("{other:?}"),
    }
    let err = decode(Answer::VerifyJob, true, 200, "").unwrap_err();
    assert_eq!(err.name(), "AtlasDecodeError");
}

#[test]
fn long_snippets_are_cut_on_a_character_boundary() {
    for unit in ["é", "日", "🦀", "a"] {
        let body = format!("x{}", unit.repeat(500));
        let Err(ClientError::Decode { body_snippet, .. }) = decode(Answer::UserSecurity, false, 200, &body) else {
            panic!("expected a decode error")
        };
        assert_eq!(body_snippet.chars().count(), 201, "200 characters and an ellipsis");
        assert!(body_snippet.ends_with('…'));
        assert!(body.starts_with(body_snippet.trim_end_matches('…')));
    }
}

#[test]
fn a_success_that_is_not_an_object_is_a_decode_error() {
    for (answer, body) in [
        (Answer::UserSecurity, "[]"),
        (Answer::UserSecurity, "[{\"ldap\": {}}]"),
        (Answer::VerifyJob, "\"PENDING\""),
        (Answer::GroupUser, "null"),
        (Answer::GroupUser, "42"),
        (Answer::GroupRoles, "true"),
    ] {
        match decode(answer, false, 200, body) {
            Err(ClientError::Decode { status: 200, body_snippet, message }) => {
                assert_eq!(body_snippet, body);
                assert_eq!(message, "the answer is not a JSON object");
            }
            other => panic!("{answer:?} {body}: {other:?}"),
        }
    }
}

/// The model of a 200 answer.
fn model<T: serde::de::DeserializeOwned + Default>(answer: Answer, body: Value) -> T {
    decode_answer(answer, false, 200, &body.to_string()).unwrap_or_else(|e| panic!("{body}: {e:?}")).model()
}

#[test]
fn fields_of_the_wrong_type_never_fail_a_success() {
    // A write Atlas answered with 2xx is never reported as a failure: such fields are left out.
    let us: UserSecurity = model(Answer::UserSecurity, json!({ "ldap": { "port": "636", "hostname": "h.example.com" } }));
    let ldap = us.ldap.unwrap();
    assert_eq!((ldap.port, ldap.hostname.as_deref()), (None, Some("h.example.com")));
    let us: UserSecurity = model(Answer::UserSecurity, json!({ "ldap": 5, "customerX509": { "cas": 1 } }));
    assert_eq!(us.ldap, None);
    assert_eq!(us.customer_x509.unwrap().cas, None);
    let job: LdapVerifyJob = model(Answer::VerifyJob, json!({ "validations": {}, "status": "FAILED" }));
    assert_eq!((job.validations, job.status.map(|s| s.as_str().to_owned())), (None, Some("FAILED".into())));
    let roles: GroupRoles = model(Answer::GroupRoles, json!({ "groupRoles": "GROUP_OWNER" }));
    assert_eq!(roles.group_roles, None);
    // Missing required fields take their defaults (addRole against a mock of the spec).
    let user: GroupUser = model(Answer::GroupUser, json!({ "roles": ["GROUP_OWNER"] }));
    assert_eq!((user.id.as_str(), user.roles.len()), ("", 1));
}

#[test]
fn documents_are_returned_as_sent() {
    let same = |answer: Answer, body: Value| {
        let decoded = decode(answer, false, 200, &body.to_string()).unwrap_or_else(|e| panic!("{body}: {e:?}"));
        assert_eq!(decoded, body);
    };
    same(Answer::UserSecurity, json!({}));
    same(Answer::UserSecurity, json!({ "ldap": null, "customerX509": null, "links": null }));
    same(Answer::UserSecurity, json!({ "ldap": { "port": "not a number", "unknown": [[1]] } }));
    same(Answer::VerifyJob, json!({ "status": "SOMETHING_NEW", "validations": [{ "validationType": "NEW_CHECK" }] }));
    same(Answer::GroupUser, json!({ "id": USER, "orgMembershipStatus": "SUSPENDED", "username": "a" }));
}

#[test]
fn an_array_is_never_read_as_an_object() {
    // serde's derives would read each of these as the object's fields in order.
    let us: UserSecurity = model(Answer::UserSecurity, json!({ "ldap": [true, false], "links": [["https://x", "self"]] }));
    assert_eq!((us.ldap, us.links), (None, Some(vec![])));
    let us: UserSecurity = model(Answer::UserSecurity, json!({ "ldap": { "userToDNMapping": [["(.*)"]] } }));
    assert_eq!(us.ldap.unwrap().user_to_dn_mapping, Some(vec![]));
    let job: LdapVerifyJob = model(Answer::VerifyJob, json!({ "request": [], "validations": [["OK"]] }));
    assert_eq!((job.request, job.validations), (None, Some(vec![])));
}

#[test]
fn error_documents_are_read_leniently_or_fall_back_to_the_status() {
    let error_of = |body: Value| match decode(Answer::UserSecurity, false, 400, &body.to_string()) {
        Err(ClientError::Api { status: 400, error }) => error,
        other => panic!("{body}: {other:?}"),
    };
    // Without an errorCode string it is not an error document.
    for body in [json!({ "error": 400 }), json!({ "error": 400, "errorCode": 7 }), json!([400, "VALIDATION_ERROR"])] {
        let error = error_of(body.clone());
        assert_eq!((error.error, error.error_code.as_str()), (400, "HTTP_400"), "{body}");
        assert_eq!(error.detail, Some(body.to_string()));
    }
    // With one, odd fields are left out and the status fills in.
    let error = error_of(json!({
        "error": "400", "errorCode": "VALIDATION_ERROR", "detail": 5, "reason": null, "parameters": [null, 1.5, {}],
        "badRequestDetail": { "fields": [{ "field": "x" }, 3] }, "extra": true,
    }));
    assert_eq!((error.error, error.error_code.as_str()), (400, "VALIDATION_ERROR"));
    assert_eq!((error.detail, error.reason), (None, None));
    assert_eq!(error.parameters, Some(vec![Value::Null, json!(1.5), json!({})]));
    let fields = error.bad_request_detail.unwrap().fields.unwrap();
    assert_eq!((fields.len(), fields[0].field.as_str(), fields[0].description.as_str()), (1, "x", ""));
    let error = error_of(json!({ "error": 400, "errorCode": "X", "badRequestDetail": [] }));
    assert_eq!(error.bad_request_detail, None);
}

// ---------------------------------------------------------------------------------------
// Retries

fn status(status: u16, retry_after: Option<&str>) -> AttemptOutcome<'_> {
    AttemptOutcome::Status { status, retry_after }
}

#[test]
fn too_many_requests_honours_retry_after_for_every_method() {
    for method in [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete] {
        assert_eq!(retry_decision(method, 0, 3, status(429, Some("2")), 0.3), RetryDecision::Retry { delay_ms: 2000 });
        assert_eq!(retry_decision(method, 2, 3, status(429, Some(" 120 ")), 0.3), RetryDecision::Retry { delay_ms: 120_000 });
        // Without a usable Retry-After, the backoff.
        for retry_after in [None, Some("Wed, 21 Oct 2026 07:28:00 GMT"), Some("-1")] {
            match retry_decision(method, 0, 3, status(429, retry_after), 0.0) {
                RetryDecision::Retry { delay_ms } => assert_eq!(delay_ms, 125, "{method:?} {retry_after:?}"),
                RetryDecision::Stop => panic!("{method:?} {retry_after:?}"),
            }
        }
    }
}

#[test]
fn a_retry_after_too_long_to_wait_stops() {
    for value in ["121", "3600", "4294968", "99999999999", "18446744073709551616"] {
        for method in [Method::Get, Method::Post] {
            assert_eq!(retry_decision(method, 0, 3, status(429, Some(value)), 0.5), RetryDecision::Stop, "{method:?} {value}");
        }
        assert_eq!(retry_decision(Method::Get, 0, 3, status(503, Some(value)), 0.5), RetryDecision::Stop, "503 {value}");
    }
}

#[test]
fn server_and_network_failures_are_retried_only_when_idempotent() {
    let outcomes = [status(502, None), status(503, None), status(504, None), AttemptOutcome::Network, AttemptOutcome::Timeout];
    for outcome in outcomes {
        for method in [Method::Get, Method::Put, Method::Delete] {
            assert!(matches!(retry_decision(method, 0, 3, outcome, 0.5), RetryDecision::Retry { .. }), "{method:?} {outcome:?}");
        }
        for method in [Method::Post, Method::Patch] {
            assert_eq!(retry_decision(method, 0, 3, outcome, 0.5), RetryDecision::Stop, "{method:?} {outcome:?}");
        }
    }
    assert_eq!(retry_decision(Method::Get, 0, 3, status(503, Some("7")), 0.5), RetryDecision::Retry { delay_ms: 7000 });
    for other in [200, 400, 401, 404, 409, 500, 501, 505] {
        assert_eq!(retry_decision(Method::Get, 0, 3, status(other, None), 0.5), RetryDecision::Stop, "{other}");
    }
}

#[test]
fn retries_stop_after_max_retries() {
    for outcome in [status(429, Some("1")), status(503, None), AttemptOutcome::Network] {
        assert!(matches!(retry_decision(Method::Get, 2, 3, outcome, 0.5), RetryDecision::Retry { .. }));
        assert_eq!(retry_decision(Method::Get, 3, 3, outcome, 0.5), RetryDecision::Stop);
        assert_eq!(retry_decision(Method::Get, 0, 0, outcome, 0.5), RetryDecision::Stop);
    }
}

#[test]
fn backoff_grows_exponentially_within_jitter_bounds() {
    let delay = |retries: u32, jitter: f64| match retry_decision(Method::Get, retries, 100, AttemptOutcome::Timeout, jitter) {
        RetryDecision::Retry { delay_ms } => delay_ms,
        RetryDecision::Stop => panic!("stopped"),
    };
    let mut previous_low = 0;
    for retries in 0..40 {
        let ceiling = (250u64 << retries.min(20)).min(8_000) as u32;
        let low = delay(retries, 0.0);
        let high = delay(retries, 0.999_999);
        assert_eq!(low, ceiling / 2, "retry {retries}");
        assert!(high <= ceiling && high >= ceiling - 1, "retry {retries}: {high} vs {ceiling}");
        for jitter in [0.1, 0.5, 0.9] {
            let d = delay(retries, jitter);
            assert!((low..=high).contains(&d), "retry {retries} jitter {jitter}: {d}");
        }
        assert!(low >= previous_low, "the backoff never shrinks");
        previous_low = low;
    }
    assert_eq!(delay(0, 0.0), 125);
    assert_eq!(delay(1, 0.0), 250);
    assert_eq!(delay(2, 0.0), 500);
    // Out-of-range jitter is clamped; NaN is the middle.
    assert_eq!(delay(0, -5.0), 125);
    assert_eq!(delay(0, 7.0), 250);
    assert_eq!(delay(0, f64::NAN), 187);
}

// ---------------------------------------------------------------------------------------
// Service-account tokens

const CLIENT_ID: &str = "mdb_sa_id_1";
const CLIENT_SECRET: &str = "mdb_sa_sk_s3cr3t/";

#[test]
fn the_token_request_uses_basic_client_credentials() {
    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    let req = token_request(&base, CLIENT_ID, &Secret::new(CLIENT_SECRET));
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://cloud.mongodb.com/api/oauth/token");
    assert_eq!(req.path_and_query, "/api/oauth/token");
    // base64("mdb_sa_id_1:mdb_sa_sk_s3cr3t%2F"): both parts form-encoded first (RFC 6749 2.3.1).
    assert_eq!(req.header("authorization"), Some("Basic bWRiX3NhX2lkXzE6bWRiX3NhX3NrX3MzY3IzdCUyRg=="));
    assert_eq!(req.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.body.as_deref(), Some("grant_type=client_credentials"));
}

#[test]
fn token_answers_are_parsed() {
    let (token, lifetime) =
        parse_token_response(200, r#"{"access_token":"eyJ.abc","expires_in":3600,"token_type":"Bearer"}"#, 1_000).unwrap();
    assert_eq!(token.value.expose(), "eyJ.abc");
    assert_eq!((token.expires_at_ms, lifetime), (3_601_000, 3_600_000));
    assert!(!format!("{token:?}").contains("eyJ.abc"));

    let (token, lifetime) = parse_token_response(200, r#"{"access_token":"t"}"#, 0).unwrap();
    assert_eq!((token.expires_at_ms, lifetime), (3_600_000, 3_600_000), "expires_in defaults to an hour");

    let (_, lifetime) = parse_token_response(200, r#"{"access_token":"t","expires_in":null}"#, 0).unwrap();
    assert_eq!(lifetime, 3_600_000, "a null expires_in is the default");

    for body in [
        "",
        "not json",
        r#"{"token":"x"}"#,
        r#"{"access_token":5}"#,
        r#"{"access_token":null}"#,
        r#"{"access_token":"t","expires_in":"3600"}"#,
        r#"{"access_token":"t","expires_in":3600.0}"#,
        r#"{"access_token":"t","expires_in":-1}"#,
        r#"["t", 3600]"#,
    ] {
        match parse_token_response(200, body, 0) {
            Err(ClientError::Decode { status: 200, body_snippet, .. }) => assert_eq!(body_snippet, "", "{body:?}"),
            other => panic!("{body:?}: {other:?}"),
        }
    }
    match parse_token_response(401, r#"{"error":"invalid_client"}"#, 0) {
        Err(ClientError::Api { status: 401, error }) => assert_eq!(error.error_code, "OAUTH_TOKEN_REQUEST_FAILED"),
        other => panic!("{other:?}"),
    }
    match parse_token_response(400, r#"{"error":400,"errorCode":"INVALID_GRANT"}"#, 0) {
        Err(ClientError::Api { status: 400, error }) => assert_eq!(error.error_code, "INVALID_GRANT"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tokens_are_renewed_before_they_expire() {
    let token = AccessToken { value: Secret::new("t"), expires_at_ms: 3_601_000 };
    let lifetime = 3_600_000;
    assert!(token.is_fresh(1_000, lifetime));
    assert!(token.is_fresh(3_601_000 - 60_001, lifetime), "just before the one-minute margin");
    assert!(!token.is_fresh(3_601_000 - 60_000, lifetime), "at the margin");
    assert!(!token.is_fresh(3_601_000, lifetime));
    assert!(!token.is_fresh(u64::MAX, lifetime));
    // A short-lived token is renewed at half its life.
    let short = AccessToken { value: Secret::new("t"), expires_at_ms: 10_000 };
    assert!(short.is_fresh(4_999, 10_000));
    assert!(!short.is_fresh(5_000, 10_000));
}

// ---------------------------------------------------------------------------------------
// Verify polling

#[test]
fn verify_wait_polls_pending_jobs_until_final_or_deadline() {
    let wait = VerifyWait::new(1_000.0, Some(1_000), Some(5_000));
    let pending = JobStatus::Pending;
    assert_eq!(wait.next(Some(&pending), 1_000.0), PollDecision::PollIn(1_000));
    assert_eq!(wait.next(None, 1_000.0), PollDecision::PollIn(1_000), "no status yet is pending");
    assert_eq!(wait.next(Some(&pending), 5_500.0), PollDecision::PollIn(500), "never past the deadline");
    assert_eq!(wait.next(Some(&pending), 6_000.0), PollDecision::TimedOut);
    assert_eq!(wait.next(Some(&pending), 9_000.0), PollDecision::TimedOut);
    for status in [JobStatus::Success, JobStatus::Fail, JobStatus::Failed, JobStatus::from("SOMETHING_NEW")] {
        assert_eq!(wait.next(Some(&status), 1_000.0), PollDecision::Done, "{status:?}");
        assert_eq!(wait.next(Some(&status), 99_000.0), PollDecision::Done, "{status:?} after the deadline");
    }
    let defaults = VerifyWait::new(0.0, None, None);
    assert_eq!((defaults.interval_ms, defaults.deadline_ms), (2_000, 300_000.0));
}

// ---------------------------------------------------------------------------------------
// Base URLs

#[test]
fn http_is_refused_unless_loopback_or_allowed() {
    for url in ["http://cloud.mongodb.com", "http://10.0.0.1:8080", "http://localhost.example.com", "http://[::2]", "http://0.0.0.0"] {
        match BaseUrl::parse(url, false) {
            Err(ClientError::Validation { issues }) => {
                assert_eq!((issues[0].path.as_str(), issues[0].code.as_str()), ("baseUrl", "insecure_http"), "{url}")
            }
            other => panic!("{url}: {other:?}"),
        }
        assert!(BaseUrl::parse(url, true).is_ok(), "{url} with allowInsecureHttp");
    }
    for (url, origin) in [
        ("http://localhost", "http://localhost"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("HTTP://LocalHost:8080/", "http://localhost:8080"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.9.9.9", "http://127.9.9.9"),
        ("http://[::1]:80", "http://[::1]:80"),
        ("http://[::1]", "http://[::1]"),
        ("https://cloud.mongodb.com", "https://cloud.mongodb.com"),
        ("https://cloud.mongodb.com:443/", "https://cloud.mongodb.com:443"),
    ] {
        let base = BaseUrl::parse(url, false).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(base.origin(), origin);
    }
}

#[test]
fn malformed_base_urls_and_user_info_are_refused() {
    for url in [
        "",
        "cloud.mongodb.com",
        "ftp://cloud.mongodb.com",
        "https://",
        "https:///path",
        "https://user:pw@cloud.mongodb.com",
        "https://user@cloud.mongodb.com",
        "http://127.0.0.1@evil.example",
        "https://cloud.mongodb.com?x=1",
        "https://cloud.mongodb.com/#frag",
        "https://cloud mongodb.com",
        "https://clöud.mongodb.com",
    ] {
        match BaseUrl::parse(url, true) {
            Err(ClientError::Validation { issues }) => {
                assert_eq!((issues[0].path.as_str(), issues[0].code.as_str()), ("baseUrl", "pattern"), "{url}")
            }
            other => panic!("{url}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Secrets in Debug

#[test]
fn debug_of_requests_never_shows_secrets() {
    let params = verify_params();
    let verify = request(&Operation::VerifyLdap { group_id: GROUP, params: &params }, &config(), &options(true, true));
    assert!(verify.body.as_deref().unwrap().contains(BIND_PASSWORD), "the password is sent");
    let shown = format!("{verify:?} {verify:#?}");
    assert!(!shown.contains(BIND_PASSWORD), "{shown}");
    assert!(shown.contains("ldap/verify"), "{shown}");

    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    let token = token_request(&base, CLIENT_ID, &Secret::new(CLIENT_SECRET));
    let shown = format!("{token:?} {token:#?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(!shown.contains(token.header("authorization").unwrap()), "{shown}");
    assert!(!shown.contains("bWRiX3NhX2lk"), "{shown}");
}

#[test]
fn a_bracketed_host_with_trailing_text_is_not_loopback() {
    use atlas_ldap::client::BaseUrl;
    assert!(BaseUrl::parse("http://[::1]:8080", false).is_ok());
    assert!(BaseUrl::parse("http://[::1]evil.com", false).is_err());
    assert!(BaseUrl::parse("http://[::1]:80x", false).is_err());
}
