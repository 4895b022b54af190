//! `--ldap-verify real` against a real OpenLDAP (see `slapd/`), and the reasons that
//! `GET /__emulator/verify/{requestId}` gives in both modes. Run with `--nocapture` to see
//! the transcript: each case's checks, reasons, and how long the job took.

mod common;
mod slapd;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use slapd::{Slapd, BIND_DN, BIND_PASSWORD, GROUP_DN};

const VERIFY_STATUS: &str = "/api/atlas/v2/groups/{groupId}/userSecurity/ldap/verify/{requestId}";
const GROUPS: &str = "ou=groups,dc=example,dc=com??one?(member={USER})";

fn verify_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/userSecurity/ldap/verify")
}

/// A finished job: the debug document, the API's answer, and how long it took from the
/// POST until the debug endpoint showed it final (polled every 5 ms).
struct Job {
    debug: Value,
    api: Value,
    took: Duration,
}

fn run_job(emu: &Emulator, spec: &Value, params: &Value) -> Job {
    let started = Instant::now();
    let resp = emu.req("POST", &verify_path()).json(params).send();
    assert_eq!(resp.status, 200, "{}", resp.text());
    let id = resp.json()["requestId"].as_str().unwrap().to_owned();
    let debug = loop {
        let r = emu.req("GET", &format!("/__emulator/verify/{id}")).send();
        assert_eq!(r.status, 200, "{}", r.text());
        let doc = r.json();
        if doc["status"] != "PENDING" {
            break doc;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "job {id} never finished"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = started.elapsed();
    let resp = emu.req("GET", &format!("{}/{id}", verify_path())).send();
    assert_spec(spec, VERIFY_STATUS, "get", &resp);
    let api = resp.json();
    let mut without_reasons = debug.clone();
    for v in without_reasons["validations"].as_array_mut().unwrap() {
        v.as_object_mut().unwrap().remove("reason");
    }
    assert_eq!(
        api, without_reasons,
        "the debug view is the API's answer plus reasons"
    );
    Job { debug, api, took }
}

/// `(type, status)` of every validation, and the reason of the last one.
fn summary(job: &Job) -> (Vec<(String, String)>, String) {
    let v = job.debug["validations"].as_array().unwrap();
    let checks = v
        .iter()
        .map(|c| {
            (
                c["validationType"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let reason = v.last().unwrap()["reason"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    (checks, reason)
}

fn print_transcript(case: &str, job: &Job) {
    println!(
        "--- {case}: {} in {} ms",
        job.debug["status"],
        job.took.as_millis()
    );
    for c in job.debug["validations"].as_array().unwrap() {
        let reason = c["reason"]
            .as_str()
            .map(|r| format!(" — {r}"))
            .unwrap_or_default();
        println!(
            "    {} {}{reason}",
            c["validationType"].as_str().unwrap(),
            c["status"].as_str().unwrap()
        );
    }
}

const SIX: [&str; 6] = [
    "SERVER_SPECIFIED",
    "CONNECT",
    "AUTHENTICATE",
    "AUTHORIZATION_ENABLED",
    "PARSE_AUTHZ_QUERY_TEMPLATE",
    "QUERY_SERVER",
];

/// Checks that the job ran the first `n` of Atlas's checks, all OK but the last, which has
/// `want_last` as its status, and that its last reason contains `want_reason`.
fn expect(job: &Job, n: usize, want_last: &str, want_reason: &str) {
    let (checks, reason) = summary(job);
    let want: Vec<(String, String)> = SIX[..n]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                t.to_string(),
                if i + 1 == n { want_last } else { "OK" }.to_string(),
            )
        })
        .collect();
    assert_eq!(checks, want, "{:#}", job.debug);
    let status = if want_last == "OK" {
        "SUCCESS"
    } else {
        "FAILED"
    };
    assert_eq!(job.api["status"], status);
    assert!(
        reason.contains(want_reason),
        "reason {reason:?} lacks {want_reason:?}"
    );
}

#[test]
fn real_directory_cases() {
    let spec = spec();
    let ldap = Slapd::start();
    let emu = Emulator::start(&["--ldap-verify", "real"]);
    let good = json!({
        "hostname": "127.0.0.1",
        "port": ldap.port,
        "bindUsername": BIND_DN,
        "bindPassword": BIND_PASSWORD,
        "caCertificate": ldap.ca_pem,
        "authzQueryTemplate": GROUPS,
    });
    let with = |changes: Value| {
        let mut p = good.clone();
        for (k, v) in changes.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    let mut texts = Vec::new();

    let job = run_job(&emu, &spec, &good);
    print_transcript("success, all six checks", &job);
    expect(&job, 6, "OK", GROUP_DN);
    texts.push(job.debug.to_string());

    let job = run_job(
        &emu,
        &spec,
        &with(json!({"bindPassword": "not-the-password-99"})),
    );
    print_transcript("wrong password", &job);
    expect(&job, 3, "FAIL", "invalid credentials (LDAP result 49)");
    texts.push(job.debug.to_string());

    let job = run_job(
        &emu,
        &spec,
        &with(json!({"caCertificate": ldap.other_ca_pem})),
    );
    print_transcript("certificate from another CA", &job);
    expect(
        &job,
        2,
        "FAIL",
        "not signed by the given caCertificate (unknown issuer)",
    );

    let job = run_job(&emu, &spec, &with(json!({"port": slapd::free_port()})));
    print_transcript("nothing listening", &job);
    expect(
        &job,
        2,
        "FAIL",
        "connection refused: nothing listens on 127.0.0.1:",
    );

    let job = run_job(
        &emu,
        &spec,
        &with(json!({"authzQueryTemplate": "ou=missing,dc=example,dc=com??one?(member={USER})"})),
    );
    print_transcript("search base that does not exist", &job);
    expect(&job, 6, "FAIL", "no such object (LDAP result 32)");
    assert!(summary(&job).1.contains("ou=missing,dc=example,dc=com"));

    let job = run_job(
        &emu,
        &spec,
        &with(
            json!({"authzQueryTemplate": "ou=groups,dc=example,dc=com??one?(member=uid=jane,ou=people,dc=example,dc=com)"}),
        ),
    );
    print_transcript("template without {USER}", &job);
    expect(&job, 5, "FAIL", "no {USER} placeholder");

    // Beyond the six: the certificate does not name `localhost`; a plain-LDAP port does not
    // speak TLS; without caCertificate the system's roots apply, and they do not
    // know the throwaway CA; without a template the job stops after AUTHENTICATE.
    let job = run_job(&emu, &spec, &with(json!({"hostname": "localhost"})));
    print_transcript("host name not in the certificate", &job);
    expect(
        &job,
        2,
        "FAIL",
        "not valid for the host name localhost (it names 127.0.0.1)",
    );
    let job = run_job(&emu, &spec, &with(json!({"port": ldap.plain_port})));
    print_transcript("plain LDAP port", &job);
    expect(&job, 2, "FAIL", "is this an LDAPS port?");
    let mut p = good.clone();
    p.as_object_mut().unwrap().remove("caCertificate");
    let job = run_job(&emu, &spec, &p);
    print_transcript("no caCertificate (system roots)", &job);
    expect(
        &job,
        2,
        "FAIL",
        "not signed by the system's trusted CAs (unknown issuer)",
    );
    p = good.clone();
    p.as_object_mut().unwrap().remove("authzQueryTemplate");
    let job = run_job(&emu, &spec, &p);
    print_transcript("no authzQueryTemplate", &job);
    expect(&job, 3, "OK", "");

    for text in texts.iter().chain([&emu.stderr()]) {
        assert!(!text.contains(BIND_PASSWORD) && !text.contains("not-the-password-99"));
    }
}

#[test]
fn rules_mode_gives_the_deciding_rule() {
    let spec = spec();
    let emu = Emulator::start(&["--verify-delay-ms", "0"]);
    let params = |host: &str, password: &str, template: Option<&str>| {
        let mut p = json!({"hostname": host, "port": 636, "bindUsername": "cn=b,dc=x", "bindPassword": password});
        if let Some(t) = template {
            p["authzQueryTemplate"] = json!(t);
        }
        p
    };
    let job = run_job(&emu, &spec, &params("ldap.corp.invalid", "pw-1234", None));
    expect(&job, 2, "FAIL", "ends in .invalid");
    let job = run_job(&emu, &spec, &params("ldap.example.com", "wrong-1", None));
    expect(&job, 3, "FAIL", "starts with \"wrong\"");
    assert!(!job.debug.to_string().contains("wrong-1"));
    let job = run_job(
        &emu,
        &spec,
        &params("ldap.example.com", "pw-1234", Some("ou=g??one?(member=x)")),
    );
    expect(&job, 5, "FAIL", "no {USER} placeholder");
    let job = run_job(
        &emu,
        &spec,
        &params(
            "ldap.example.com",
            "pw-1234",
            Some("{USER}?noSuchAttr?base"),
        ),
    );
    expect(&job, 6, "FAIL", "contains \"nosuch\"");
    let job = run_job(
        &emu,
        &spec,
        &params("ldap.example.com", "pw-1234", Some("{USER}?memberOf?base")),
    );
    expect(&job, 6, "OK", "");
    // A passed CONNECT says that nothing was contacted.
    assert!(job.debug["validations"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("nothing was contacted"));
}

#[test]
fn the_debug_endpoint_needs_the_api_credentials() {
    let emu = Emulator::start(&["--verify-delay-ms", "0"]);
    let p = json!({"hostname": "ldap.example.com", "port": 636, "bindUsername": "cn=b,dc=x", "bindPassword": "pw-1234"});
    let id = emu.req("POST", &verify_path()).json(&p).send().json()["requestId"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/__emulator/verify/{id}");
    let r = emu.req("GET", &path).no_auth().send();
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").is_some());
    let r = emu
        .req("GET", &path)
        .header("Authorization", "Bearer nope")
        .send();
    assert_eq!(r.status, 401);
    assert_eq!(emu.req("GET", &path).send().status, 200);
    assert_eq!(
        emu.req("GET", "/__emulator/verify/aaaaaaaaaaaaaaaaaaaaaaaa")
            .send()
            .status,
        404
    );
    assert_eq!(emu.req("GET", "/__emulator/verify/nope").send().status, 400);
}
