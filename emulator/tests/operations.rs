//! Every operation of the spec subset (and the legacy v1.0 paths) over HTTP, with every
//! answer checked against the spec's schemas.

mod common;

use common::*;
use serde_json::{json, Value};

const US: &str = "/api/atlas/v2/groups/{groupId}/userSecurity";
const X509: &str = "/api/atlas/v2/groups/{groupId}/userSecurity/customerX509";
const MAPPING: &str = "/api/atlas/v2/groups/{groupId}/userSecurity/ldap/userToDNMapping";
const VERIFY: &str = "/api/atlas/v2/groups/{groupId}/userSecurity/ldap/verify";
const VERIFY_STATUS: &str = "/api/atlas/v2/groups/{groupId}/userSecurity/ldap/verify/{requestId}";
const ROLES: &str = "/api/atlas/v2/groups/{groupId}/users/{userId}/roles";
const ADD: &str = "/api/atlas/v2/groups/{groupId}/users/{userId}:addRole";
const REMOVE: &str = "/api/atlas/v2/groups/{groupId}/users/{userId}:removeRole";

fn us_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/userSecurity")
}

/// The PATCH request example of the docs (seed 001) and the verify example (seed 003), as
/// printed: their certificates are the placeholder "string", which is not PEM.
fn docs_patch_example() -> Value {
    json!({"customerX509":{"cas":"string"},"ldap":{"authenticationEnabled":true,"authorizationEnabled":true,"authzQueryTemplate":"{USER}?memberOf?base","bindPassword":"string","bindUsername":"CN=BindUser,CN=Users,DC=myldapserver,DC=mycompany,DC=com","caCertificate":"string","hostname":"string","port":636,"userToDNMapping":[{"ldapQuery":"string","match":"(.*)","substitution":"CN={0},CN=Users,DC=my-atlas-ldap-server,DC=example,DC=com"}]}})
}

fn docs_verify_example() -> Value {
    json!({"authzQueryTemplate":"{USER}?memberOf?base","bindPassword":"string","bindUsername":"CN=BindUser,CN=Users,DC=myldapserver,DC=mycompany,DC=com","caCertificate":"string","hostname":"string","port":636})
}

/// The docs' examples with a real-looking PEM certificate in place of "string".
fn patch_example() -> Value {
    let mut v = docs_patch_example();
    v["customerX509"]["cas"] = json!(CERT);
    v["ldap"]["caCertificate"] = json!(CERT);
    v
}

fn verify_example() -> Value {
    let mut v = docs_verify_example();
    v["caCertificate"] = json!(CERT);
    v
}

#[test]
fn docs_placeholder_certificates_are_refused() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    for (path, body, fields) in [
        (
            us_path(),
            docs_patch_example(),
            vec!["customerX509.cas", "ldap.caCertificate"],
        ),
        (
            format!("{}/ldap/verify", us_path()),
            docs_verify_example(),
            vec!["caCertificate"],
        ),
    ] {
        let method = if path.ends_with("verify") {
            "POST"
        } else {
            "PATCH"
        };
        let r = emu.req(method, &path).json(&body).send();
        let e = assert_api_error(&spec, &r, 400);
        assert_eq!(e["errorCode"], "VALIDATION_ERROR");
        let got: Vec<_> = e["badRequestDetail"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(got, fields);
        assert!(e["badRequestDetail"]["fields"][0]["description"]
            .as_str()
            .unwrap()
            .contains("PEM"));
    }
    // Nothing changed and no job started.
    assert_eq!(
        emu.req("GET", &us_path()).send().json()["ldap"]["authenticationEnabled"],
        false
    );
}

#[test]
fn every_error_issue_is_listed_and_warnings_pass() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    let secret = "hunter2-never-echoed";
    let body = json!({"ldap": {"hostname": "ldaps://ldap.example.com:636", "port": 0, "bindUsername": "not a dn", "bindPassword": secret, "caCertificate": secret, "authzQueryTemplate": "{USER}?memberOf?everywhere"}});
    let r = emu.req("PATCH", &us_path()).json(&body).send();
    let e = assert_api_error(&spec, &r, 400);
    assert_eq!(e["errorCode"], "VALIDATION_ERROR");
    let got: Vec<_> = e["badRequestDetail"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            "ldap.hostname",
            "ldap.port",
            "ldap.bindUsername",
            "ldap.caCertificate",
            "ldap.authzQueryTemplate"
        ]
    );
    assert!(
        !r.text().contains(secret) && !r.text().contains("ldaps://"),
        "{}",
        r.text()
    );
    // Warnings only (a mapping with both templates, a template without {USER}): accepted.
    let r = emu
        .req("PATCH", &us_path())
        .json(&json!({"ldap": {"authzQueryTemplate": "DC=example?memberOf?base", "userToDNMapping": [{"match": "(.*)", "substitution": "CN={0},DC=x", "ldapQuery": "DC=x??sub?(uid={0})"}]}}))
        .send();
    assert_eq!(r.status, 202, "{}", r.text());
}

#[test]
fn get_and_patch_user_security() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    let r = emu
        .req("GET", &us_path())
        .header("Accept", "application/vnd.atlas.2023-01-01+json")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    assert_spec(&spec, US, "get", &r);
    assert_eq!(r.json()["ldap"]["authenticationEnabled"], false);

    // The documented request example is accepted; the answer never has bindPassword.
    let r = emu.req("PATCH", &us_path()).json(&patch_example()).send();
    assert_eq!(r.status, 202, "{}", r.text());
    assert_spec(&spec, US, "patch", &r);
    let body = r.json();
    assert!(body["ldap"].get("bindPassword").is_none());
    assert_eq!(body["ldap"]["hostname"], "string");
    assert_eq!(body["customerX509"]["cas"], CERT);
    assert!(!r.text().contains("\"string\",\"bindPassword\""));

    // Partial update: absent fields keep their values, "" deletes caCertificate,
    // explicit false turns flags off.
    let r = emu
        .req("PATCH", &us_path())
        .json(&json!({"ldap": {"caCertificate": "", "authorizationEnabled": false, "port": 3636}}))
        .send();
    assert_eq!(r.status, 202, "{}", r.text());
    let ldap = &r.json()["ldap"];
    assert!(ldap.get("caCertificate").is_none());
    assert_eq!(ldap["authorizationEnabled"], false);
    assert_eq!(ldap["authenticationEnabled"], true);
    assert_eq!(ldap["port"], 3636);
    assert_eq!(ldap["hostname"], "string");
    assert_eq!(ldap["userToDNMapping"][0]["match"], "(.*)");

    let r = emu.req("GET", &us_path()).send();
    assert_spec(&spec, US, "get", &r);
    assert_eq!(r.json()["ldap"]["port"], 3636);
    assert!(!r.text().contains("bindPassword"));

    let r = emu
        .req("PATCH", &us_path())
        .json(&json!({"ldap": {"authenticationEnabled": false}}))
        .send();
    assert_eq!(r.status, 202);
    assert_eq!(r.json()["ldap"]["authenticationEnabled"], false);
}

#[test]
fn delete_mapping_and_disable_x509() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    assert_eq!(
        emu.req("PATCH", &us_path())
            .json(&patch_example())
            .send()
            .status,
        202
    );
    let r = emu
        .req("DELETE", &format!("{}/ldap/userToDNMapping", us_path()))
        .send();
    assert_eq!(r.status, 202);
    assert_spec(&spec, MAPPING, "delete", &r);
    assert!(r.json()["ldap"].get("userToDNMapping").is_none());
    assert_eq!(r.json()["ldap"]["hostname"], "string");

    let r = emu
        .req("DELETE", &format!("{}/customerX509", us_path()))
        .send();
    assert_eq!(r.status, 202);
    assert_spec(&spec, X509, "delete", &r);
    assert!(r.json().get("customerX509").is_none());
    let r = emu.req("GET", &us_path()).send();
    assert!(r.json().get("customerX509").is_none());
    assert!(r.json()["ldap"].get("userToDNMapping").is_none());
}

fn run_verify(emu: &Emulator, params: &Value) -> Value {
    let spec = spec();
    let r = emu
        .req("POST", &format!("{}/ldap/verify", us_path()))
        .json(params)
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_spec(&spec, VERIFY, "post", &r);
    let job = r.json();
    assert_eq!(job["status"], "PENDING");
    assert!(!r.text().contains("bindPassword"));
    assert!(job["request"].get("authzQueryTemplate").is_none());
    let id = job["requestId"].as_str().unwrap().to_owned();
    for _ in 0..100 {
        let r = emu
            .req("GET", &format!("{}/ldap/verify/{id}", us_path()))
            .send();
        assert_eq!(r.status, 200);
        assert_spec(&spec, VERIFY_STATUS, "get", &r);
        let job = r.json();
        if job["status"] != "PENDING" {
            return job;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the job never finished")
}

fn types(job: &Value) -> Vec<String> {
    job["validations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{}:{}",
                v["validationType"].as_str().unwrap(),
                v["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn verify_outcomes() {
    let emu = Emulator::start(&[]);
    let ok = json!({"hostname": "ldap.example.com", "port": 636, "bindUsername": "CN=Bind,DC=example,DC=com", "bindPassword": "s3cret", "authzQueryTemplate": "{USER}?memberOf?base"});
    let job = run_verify(&emu, &ok);
    assert_eq!(job["status"], "SUCCESS");
    assert_eq!(
        types(&job),
        [
            "SERVER_SPECIFIED:OK",
            "CONNECT:OK",
            "AUTHENTICATE:OK",
            "AUTHORIZATION_ENABLED:OK",
            "PARSE_AUTHZ_QUERY_TEMPLATE:OK",
            "QUERY_SERVER:OK"
        ]
    );
    let mut p = ok.clone();
    p["bindPassword"] = json!("wrong-password");
    let job = run_verify(&emu, &p);
    assert_eq!(job["status"], "FAILED");
    assert_eq!(
        types(&job),
        ["SERVER_SPECIFIED:OK", "CONNECT:OK", "AUTHENTICATE:FAIL"]
    );
    let mut p = ok.clone();
    p["hostname"] = json!("ldap.corp.invalid");
    assert_eq!(
        types(&run_verify(&emu, &p)),
        ["SERVER_SPECIFIED:OK", "CONNECT:FAIL"]
    );
    let mut p = ok.clone();
    p["authzQueryTemplate"] = json!("ou=groups?memberOf?base");
    assert_eq!(
        types(&run_verify(&emu, &p)).last().unwrap(),
        "PARSE_AUTHZ_QUERY_TEMPLATE:FAIL"
    );
    let mut p = ok.clone();
    p["authzQueryTemplate"] = json!("{USER}?noSuchAttribute?base");
    assert_eq!(
        types(&run_verify(&emu, &p)).last().unwrap(),
        "QUERY_SERVER:FAIL"
    );
    // The docs' example body, with a PEM certificate, passes every check.
    let job = run_verify(&emu, &verify_example());
    assert_eq!(job["status"], "SUCCESS");
    assert_eq!(job["request"]["hostname"], "string");
    assert_eq!(job["request"]["caCertificate"], CERT);
}

#[test]
fn only_the_latest_verify_job_is_kept() {
    let spec = spec();
    let emu = Emulator::start(&["--verify-delay-ms", "0"]);
    let p = json!({"hostname": "ldap.example.com", "port": 636, "bindUsername": "CN=a,DC=b", "bindPassword": "x"});
    let first = emu
        .req("POST", &format!("{}/ldap/verify", us_path()))
        .json(&p)
        .send()
        .json();
    let second = emu
        .req("POST", &format!("{}/ldap/verify", us_path()))
        .json(&p)
        .send()
        .json();
    assert_ne!(first["requestId"], second["requestId"]);
    let r = emu
        .req(
            "GET",
            &format!(
                "{}/ldap/verify/{}",
                us_path(),
                first["requestId"].as_str().unwrap()
            ),
        )
        .send();
    assert_api_error(&spec, &r, 404);
    let r = emu
        .req(
            "GET",
            &format!(
                "{}/ldap/verify/{}",
                us_path(),
                second["requestId"].as_str().unwrap()
            ),
        )
        .send();
    assert_eq!(r.json()["status"], "SUCCESS");
}

#[test]
fn roles_operations() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    let roles = format!("/api/atlas/v2/groups/{GROUP}/users/{USER}/roles");
    let r = emu
        .req("PUT", &roles)
        .json(&json!({"groupRoles": ["GROUP_READ_ONLY", "GROUP_CLUSTER_MANAGER"]}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_spec(&spec, ROLES, "put", &r);
    assert_eq!(
        r.json()["groupRoles"],
        json!(["GROUP_READ_ONLY", "GROUP_CLUSTER_MANAGER"])
    );

    let v = "application/vnd.atlas.2025-02-19+json";
    let add = format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:addRole");
    let remove = format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:removeRole");
    let send = |path: &str, role: &str| {
        emu.req("POST", path)
            .header("Accept", v)
            .raw(serde_json::to_vec(&json!({"groupRole": role})).unwrap(), v)
            .send()
    };
    let r = send(&add, "GROUP_OWNER");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some(v));
    assert_spec(&spec, ADD, "post", &r);
    assert_eq!(
        r.json()["roles"],
        json!(["GROUP_READ_ONLY", "GROUP_CLUSTER_MANAGER", "GROUP_OWNER"])
    );
    assert_api_error(&spec, &send(&add, "GROUP_OWNER"), 409);
    let r = send(&remove, "GROUP_READ_ONLY");
    assert_eq!(r.status, 200);
    assert_spec(&spec, REMOVE, "post", &r);
    assert_eq!(
        r.json()["roles"],
        json!(["GROUP_CLUSTER_MANAGER", "GROUP_OWNER"])
    );
    assert_api_error(&spec, &send(&remove, "GROUP_READ_ONLY"), 409);
    send(&remove, "GROUP_OWNER");
    // The last role cannot go.
    assert_api_error(&spec, &send(&remove, "GROUP_CLUSTER_MANAGER"), 409);
    assert_api_error(&spec, &send(&add, "GROUP_EMPEROR"), 400);
    // A pending user's answer has the pending shape.
    let r = send(
        &format!("/api/atlas/v2/groups/{GROUP}/users/5b6e34b3d91647abb20e7b83:addRole"),
        "GROUP_OWNER",
    );
    assert_spec(&spec, ADD, "post", &r);
    assert_eq!(r.json()["orgMembershipStatus"], "PENDING");
    // Unknown user: 404.
    assert_api_error(
        &spec,
        &send(
            &format!("/api/atlas/v2/groups/{GROUP}/users/aaaaaaaaaaaaaaaaaaaaaaaa:addRole"),
            "GROUP_OWNER",
        ),
        404,
    );
}

#[test]
fn legacy_v1_paths() {
    let emu = Emulator::start(&[]);
    let path = format!("/api/atlas/v1.0/groups/{GROUP}/userSecurity");
    let r = emu
        .req("PATCH", &path)
        .raw(
            serde_json::to_vec(&patch_example()).unwrap(),
            "application/json",
        )
        .send();
    assert_eq!(r.status, 202, "{}", r.text());
    let r = emu
        .req("GET", &format!("{path}?pretty=true"))
        .header("Accept", "application/json")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.text().contains("\n  \"ldap\": {"), "{}", r.text());
    assert_eq!(
        r.json()["ldap"]["bindUsername"],
        "CN=BindUser,CN=Users,DC=myldapserver,DC=mycompany,DC=com"
    );
    assert_eq!(
        emu.req("GET", &path)
            .header("Accept", "application/vnd.atlas.2023-01-01+json")
            .send()
            .status,
        406
    );
}

#[test]
fn envelope_and_pretty() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    let r = emu
        .req("GET", &format!("{}?envelope=true&pretty=true", us_path()))
        .send();
    assert_eq!(r.status, 200);
    assert!(r.text().contains("\n  \"status\": 200"), "{}", r.text());
    let body = r.json();
    assert_eq!(body["status"], 200);
    let mut errors = Vec::new();
    validate(
        &spec,
        response_schema(&spec, US, "get", 200),
        &body["content"],
        "$",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    // PATCH answers 202 inside the envelope, 200 on the wire.
    let r = emu
        .req("PATCH", &format!("{}?envelope=true", us_path()))
        .json(&json!({"ldap": {"port": 636}}))
        .send();
    assert_eq!((r.status, r.json()["status"].as_u64()), (200, Some(202)));
    // Errors are enveloped too.
    let r = emu
        .req(
            "GET",
            "/api/atlas/v2/groups/aaaaaaaaaaaaaaaaaaaaaaaa/userSecurity?envelope=true",
        )
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["content"]["error"], 404);
    assert_eq!(r.json()["status"], 404);
    assert_eq!(
        emu.req("GET", &format!("{}?envelope=maybe", us_path()))
            .send()
            .status,
        400
    );
}

#[test]
fn projects_are_separate() {
    let emu = Emulator::start(&[
        "--project",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        "--project",
        "bbbbbbbbbbbbbbbbbbbbbbbb",
    ]);
    let a = "/api/atlas/v2/groups/aaaaaaaaaaaaaaaaaaaaaaaa/userSecurity";
    let b = "/api/atlas/v2/groups/bbbbbbbbbbbbbbbbbbbbbbbb/userSecurity";
    emu.req("PATCH", a)
        .json(&json!({"ldap": {"hostname": "a.example.com"}}))
        .send();
    assert_eq!(
        emu.req("GET", a).send().json()["ldap"]["hostname"],
        "a.example.com"
    );
    assert!(emu.req("GET", b).send().json()["ldap"]
        .get("hostname")
        .is_none());
    // The demo project only exists when no project is named.
    assert_eq!(emu.req("GET", &us_path()).send().status, 404);
}
