//! Every JSON example of the spec subset and of the original documents decodes into the
//! right model and re-encodes to equal JSON.
//!
//! The models keep read-only fields (`links`, `requestId` …) and send the write-only
//! `bindPassword`, so a round trip is exact: re-encoding drops nothing and adds nothing.
//! The one documented difference, a `null` in a nullable field decoding as `None` and then
//! being left out, occurs in none of the examples.

use atlas_ldap::model::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/atlas-ldap-openapi.json");
const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");

fn spec() -> Value {
    let text = std::fs::read_to_string(SPEC).expect("the spec file beside the repository");
    serde_json::from_str(&text).expect("the spec is JSON")
}

/// Decodes `value` as `T`, re-encodes it and asserts both JSON documents are equal.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value, what: &str) -> T {
    let model: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what}: does not decode as {}: {e}", std::any::type_name::<T>()));
    let again = serde_json::to_value(&model).unwrap();
    assert_eq!(&again, value, "{what}: re-encoding as {} changed the JSON", std::any::type_name::<T>());
    model
}

/// Decodes a document into the model its shape says it is, and checks the round trip.
fn round_trip_by_shape(value: &Value, what: &str) -> &'static str {
    let obj = value.as_object().unwrap_or_else(|| panic!("{what}: not an object"));
    if obj.contains_key("error") && obj.contains_key("errorCode") {
        round_trip::<ApiError>(value, what);
        "ApiError"
    } else if obj.contains_key("requestId") {
        round_trip::<LdapVerifyJob>(value, what);
        "LdapVerifyJob"
    } else if obj.contains_key("hostname") && obj.contains_key("bindPassword") {
        round_trip::<LdapVerifyParams>(value, what);
        "LdapVerifyParams"
    } else if obj.contains_key("ldap") || obj.contains_key("customerX509") {
        round_trip::<UserSecurity>(value, what);
        "UserSecurity"
    } else {
        panic!("{what}: unrecognised example {value}")
    }
}

/// Pulls the JSON documents out of a seed page: blocks whose first line is `{`, one-line
/// `--data '{…}'` bodies of curl examples, and `N| ` numbered listings.
fn seed_documents(text: &str) -> Vec<Value> {
    let mut docs = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "{" {
            let mut depth = 0i32;
            let mut block = String::new();
            let mut j = i;
            while j < lines.len() {
                depth += lines[j].matches('{').count() as i32 - lines[j].matches('}').count() as i32;
                block.push_str(lines[j]);
                block.push('\n');
                if depth == 0 {
                    break;
                }
                j += 1;
            }
            if let Ok(v) = serde_json::from_str::<Value>(&block) {
                docs.push(v);
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    for part in text.split("--data '").skip(1) {
        if let Some(end) = part.find('\'') {
            if let Ok(v) = serde_json::from_str::<Value>(&part[..end]) {
                docs.push(v);
            }
        }
    }
    let numbered: String = text
        .lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let (num, rest) = t.split_once('|')?;
            num.parse::<u32>().ok()?;
            Some(rest.trim_end().to_owned() + "\n")
        })
        .collect();
    if !numbered.trim().is_empty() {
        docs.push(serde_json::from_str(&numbered).expect("a numbered JSON listing in a seed"));
    }
    docs
}

#[test]
fn spec_response_examples_round_trip() {
    let spec = spec();
    let responses = spec["components"]["responses"].as_object().unwrap();
    let mut count = 0;
    for (name, response) in responses {
        for (media, content) in response["content"].as_object().unwrap() {
            if let Some(example) = content.get("example") {
                let kind = round_trip_by_shape(example, &format!("responses/{name} {media}"));
                assert_eq!(kind, "ApiError");
                count += 1;
            }
        }
    }
    assert_eq!(count, 7, "every error response of the spec has an example");
}

/// Builds a document of a schema from its property-level `example`s, with `fill` for
/// required properties that have none.
fn from_property_examples(spec: &Value, schema: &str, fill: Value) -> Value {
    let mut doc = fill;
    let props = spec["components"]["schemas"][schema]["properties"].as_object().unwrap();
    for (name, prop) in props {
        if let Some(example) = prop.get("example") {
            doc[name] = example.clone();
        }
    }
    doc
}

#[test]
fn spec_property_examples_round_trip() {
    let spec = spec();
    let link = from_property_examples(&spec, "Link", json!({}));
    assert_eq!(link, json!({"href": "https://cloud.mongodb.com/api/atlas", "rel": "self"}));
    round_trip::<Link>(&link, "Link");

    let mapping = from_property_examples(&spec, "UserToDNMapping", json!({}));
    let m: UserToDnMapping = round_trip(&mapping, "UserToDNMapping");
    assert_eq!(m.match_, "(.*)");

    let mut ldap = from_property_examples(&spec, "LDAPSecuritySettings", json!({}));
    ldap["userToDNMapping"] = json!([mapping]);
    ldap["links"] = json!([link]);
    round_trip::<LdapSecuritySettings>(&ldap, "LDAPSecuritySettings");
    round_trip::<UserSecurity>(&json!({"ldap": ldap, "links": [link]}), "UserSecurity");

    let params = from_property_examples(
        &spec,
        "LDAPVerifyConnectivityJobRequestParams",
        json!({"bindPassword": "s3cret", "hostname": "ldap.example.com", "port": 636}),
    );
    round_trip::<LdapVerifyParams>(&params, "LDAPVerifyConnectivityJobRequestParams");

    let mut job = from_property_examples(&spec, "LDAPVerifyConnectivityJobRequest", json!({}));
    job["status"] = json!("PENDING");
    job["request"] = json!({"bindUsername": params["bindUsername"], "hostname": "ldap.example.com", "port": 636});
    let job: LdapVerifyJob = round_trip(&job, "LDAPVerifyConnectivityJobRequest");
    assert_eq!(job.request_id.as_deref(), Some("32b6e34b3d91647abb20e7b8"));

    let user = from_property_examples(
        &spec,
        "GroupUserResponse",
        json!({"orgMembershipStatus": "ACTIVE", "roles": ["GROUP_OWNER"], "username": "jane@example.com"}),
    );
    round_trip::<GroupUser>(&user, "GroupUserResponse");
    let mut active = from_property_examples(&spec, "GroupUserResponse", user.clone());
    for (k, v) in spec["components"]["schemas"]["GroupActiveUserResponse"]["allOf"][1]["properties"]
        .as_object()
        .unwrap()
    {
        if let Some(e) = v.get("example") {
            active[k] = e.clone();
        }
    }
    active["createdAt"] = json!("2024-01-02T03:04:05Z");
    let u: GroupUser = round_trip(&active, "GroupActiveUserResponse");
    assert_eq!(u.first_name.as_deref(), Some("John"));
}

#[test]
fn seed_examples_round_trip() {
    let mut kinds = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(SEEDS).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, doc) in seed_documents(&text).iter().enumerate() {
            let what = format!("{} #{i}", path.file_name().unwrap().to_string_lossy());
            kinds.push(round_trip_by_shape(doc, &what));
        }
    }
    let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
    // 000: curl body + 202; 001: request + 202 + 5 errors; 002: v1.0 GET body;
    // 003: verify request + job + 5 errors.
    assert!(count("UserSecurity") >= 4, "{kinds:?}");
    assert_eq!(count("LdapVerifyParams"), 1, "{kinds:?}");
    assert_eq!(count("LdapVerifyJob"), 1, "{kinds:?}");
    assert!(count("ApiError") >= 10, "{kinds:?}");
}

#[test]
fn seed_verify_job_decodes_into_typed_values() {
    let text = std::fs::read_to_string(format!("{SEEDS}/003_624b32df95fbfc7a.txt")).unwrap();
    let job = seed_documents(&text).into_iter().find(|d| d.get("requestId").is_some()).unwrap();
    let job: LdapVerifyJob = serde_json::from_value(job).unwrap();
    assert_eq!(job.status, Some(JobStatus::Fail));
    assert!(job.status.as_ref().unwrap().is_final());
    let v = &job.validations.as_ref().unwrap()[0];
    assert_eq!(v.status, Some(ValidationStatus::Fail));
    assert_eq!(v.validation_type, Some(ValidationType::Authenticate));
    assert_eq!(job.request.unwrap().port, Some(636));
}

#[test]
fn live_values_and_unknown_values_round_trip() {
    let doc = json!({
        "groupId": "32b6e34b3d91647abb20e7b8",
        "requestId": "5b6e34b3d91647abb20e7b81",
        "status": "FAILED",
        "validations": [
            {"status": "OK", "validationType": "SERVER_SPECIFIED"},
            {"status": "OK", "validationType": "PARSE_AUTHZ_QUERY_TEMPLATE"},
            {"status": "SKIPPED", "validationType": "SOMETHING_NEW"}
        ]
    });
    let job: LdapVerifyJob = round_trip(&doc, "live job");
    assert_eq!(job.status, Some(JobStatus::Failed));
    assert!(job.status.as_ref().unwrap().is_final());
    let v = job.validations.unwrap();
    assert_eq!(v[1].validation_type, Some(ValidationType::ParseAuthzQueryTemplate));
    assert_eq!(v[2].status, Some(ValidationStatus::Other("SKIPPED".into())));
    assert_eq!(v[2].validation_type, Some(ValidationType::Other("SOMETHING_NEW".into())));

    let odd: LdapVerifyJob = round_trip(&json!({"status": "CANCELLED"}), "unknown status");
    assert_eq!(odd.status, Some(JobStatus::Other("CANCELLED".into())));
    assert!(odd.status.unwrap().is_final(), "anything but PENDING is final");
    assert!(!JobStatus::Pending.is_final());
    assert_eq!(JobStatus::from("PENDING"), JobStatus::Pending);
    assert_eq!(JobStatus::from(String::from("FAILED")).to_string(), "FAILED");

    let user: GroupUser = round_trip(
        &json!({"id": "5b6e34b3d91647abb20e7b81", "orgMembershipStatus": "SUSPENDED", "roles": [], "username": "a@b.c"}),
        "unknown membership",
    );
    assert_eq!(user.org_membership_status.as_str(), "SUSPENDED");
}

#[test]
fn unknown_fields_do_not_break_decoding() {
    let us: UserSecurity = serde_json::from_value(json!({
        "ldap": {"hostname": "ldap.example.com", "futureFlag": true, "userToDNMapping": [{"match": "(.*)", "x": 1}]},
        "somethingElse": [1, 2, 3]
    }))
    .unwrap();
    assert_eq!(us.ldap.unwrap().hostname.as_deref(), Some("ldap.example.com"));
}

#[test]
fn bind_password_is_never_in_debug_or_display() {
    let password = "hunter2-very-secret";
    let settings = UserSecurity {
        ldap: Some(LdapSecuritySettings { bind_password: Some(Secret::new(password)), ..Default::default() }),
        ..Default::default()
    };
    let debug = format!("{settings:?} {settings:#?}");
    assert!(!debug.contains(password), "{debug}");
    assert!(debug.contains("[redacted]"));

    let params: LdapVerifyParams = serde_json::from_value(json!({
        "bindPassword": password, "bindUsername": "CN=a,DC=b", "hostname": "h", "port": 636
    }))
    .unwrap();
    assert!(!format!("{params:?}").contains(password));
    assert_eq!(params.bind_password.to_string(), "[redacted]");
    assert_eq!(params.bind_password.expose(), password);
    // ...but it is sent.
    assert_eq!(serde_json::to_value(&params).unwrap()["bindPassword"], password);
}

#[test]
fn explicit_false_zero_and_empty_are_sent() {
    let body = UserSecurity {
        ldap: Some(LdapSecuritySettings {
            authentication_enabled: Some(false),
            authorization_enabled: Some(false),
            ca_certificate: Some(String::new()),
            port: Some(0),
            bind_password: Some(Secret::new("")),
            user_to_dn_mapping: Some(vec![]),
            ..Default::default()
        }),
        customer_x509: Some(CustomerX509 { cas: Some(String::new()), links: None }),
        links: None,
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "ldap": {"authenticationEnabled": false, "authorizationEnabled": false, "caCertificate": "",
                     "port": 0, "bindPassword": "", "userToDNMapping": []},
            "customerX509": {"cas": ""}
        })
    );
    // And nothing else: absent fields stay absent.
    assert_eq!(serde_json::to_string(&UserSecurity::default()).unwrap(), "{}");
    round_trip::<UserSecurity>(&serde_json::to_value(&body).unwrap(), "explicit values");
}

#[test]
fn roles_bodies_round_trip() {
    round_trip::<GroupRoles>(&json!({"groupRoles": ["GROUP_OWNER", "GROUP_READ_ONLY"]}), "roles");
    round_trip::<AddOrRemoveGroupRole>(&json!({"groupRole": "GROUP_READ_ONLY"}), "add role");
    round_trip::<ApiError>(
        &json!({"error": 400, "errorCode": "INVALID_JSON", "badRequestDetail": {"fields": [{"field": "ldap.port", "description": "must be an integer"}]}, "parameters": ["x"]}),
        "bad request detail",
    );
}
