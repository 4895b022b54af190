//! Verifies a project's LDAP settings against Atlas before you turn them on, follows the
//! verification job, prints each check, and exits non-zero unless every check passed: the
//! Rust twin of `examples/verify-ldap.mjs`, with the same flags and environment.
//!
//! ```sh
//! ATLAS_CLIENT_ID=… ATLAS_CLIENT_SECRET=… LDAP_BIND_PASSWORD=… \
//! cargo run --features native --example verify_ldap -- --project 32b6e34b3d91647abb20e7b8 \
//!   --hostname ldap.example.com --bind-username "CN=Bind,DC=example,DC=com" [--port 636]
//!   [--authz-query-template "{USER}?memberOf?base"] [--ca-certificate-file ca.pem]
//!   [--base-url https://cloud.mongodb.com] [--timeout-ms 300000]
//! ```
//!
//! Credentials come from the environment: `ATLAS_ACCESS_TOKEN`, or `ATLAS_CLIENT_ID` and
//! `ATLAS_CLIENT_SECRET` (a service account), or `ATLAS_PUBLIC_KEY` and `ATLAS_PRIVATE_KEY`
//! (an API key). The bind password comes from `LDAP_BIND_PASSWORD`, never from a flag
//! (flags are visible to every user of the machine). Exit status: 0 when every check
//! passed, 1 when one failed, 2 when the verification could not run.

use std::collections::HashMap;
use std::env;
use std::process::ExitCode;

use atlas_ldap::client::{ClientOptions, DigestOptions, ServiceAccountOptions};
use atlas_ldap::model::{JobStatus, LdapVerifyParams, ValidationStatus};
use atlas_ldap::native::{AtlasClient, AtlasError, RequestOptions, WaitOptions};
use atlas_ldap::validate::Severity;

const FLAGS: [&str; 8] = [
    "project",
    "hostname",
    "port",
    "bind-username",
    "authz-query-template",
    "ca-certificate-file",
    "base-url",
    "timeout-ms",
];

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("verify-ldap: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<ExitCode, String> {
    let flags = parse_flags(env::args().skip(1))?;
    let flag = |name: &str| flags.get(name).cloned();
    let var = |name: &str| env::var(name).ok().filter(|v| !v.is_empty());

    let mut options = ClientOptions {
        base_url: Some(
            flag("base-url").or_else(|| var("ATLAS_BASE_URL")).unwrap_or_else(|| "https://cloud.mongodb.com".into()),
        ),
        ..ClientOptions::default()
    };
    let secret = |name: &str| var(name).unwrap_or_default().into();
    let client = if let Some(token) = var("ATLAS_ACCESS_TOKEN") {
        AtlasClient::with_access_token(options, token)
    } else if let Some(client_id) = var("ATLAS_CLIENT_ID") {
        options.service_account = Some(ServiceAccountOptions { client_id, client_secret: secret("ATLAS_CLIENT_SECRET") });
        AtlasClient::new(options)
    } else if let Some(public_key) = var("ATLAS_PUBLIC_KEY") {
        options.digest = Some(DigestOptions { public_key, private_key: secret("ATLAS_PRIVATE_KEY") });
        AtlasClient::new(options)
    } else {
        return Err("set ATLAS_ACCESS_TOKEN, or ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET, or ATLAS_PUBLIC_KEY and ATLAS_PRIVATE_KEY".into());
    };
    let client = client.map_err(|e| describe(&e))?;

    let port = flag("port").unwrap_or_else(|| "636".into());
    let port = port.parse::<u16>().map_err(|_| format!("--port must be a number from 1 to 65535, not {port:?}"))?;
    let timeout = flag("timeout-ms").unwrap_or_else(|| "300000".into());
    let timeout_ms = timeout.parse::<u32>().map_err(|_| format!("--timeout-ms must be a number, not {timeout:?}"))?;
    let ca_certificate = match flag("ca-certificate-file") {
        Some(path) => Some(std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?),
        None => None,
    };
    let params = LdapVerifyParams {
        hostname: flag("hostname").unwrap_or_default(),
        port,
        bind_username: flag("bind-username").unwrap_or_default(),
        bind_password: secret("LDAP_BIND_PASSWORD"),
        authz_query_template: flag("authz-query-template").filter(|t| !t.is_empty()),
        ca_certificate,
        links: None,
    };

    let project = flag("project").unwrap_or_default();
    let job = client.verify_ldap(&project, &params, RequestOptions::default()).await.map_err(|e| describe(&e))?;
    let request_id = job.request_id.unwrap_or_default();
    println!("verification {request_id} started for {}:{}", params.hostname, params.port);
    let wait = WaitOptions { interval_ms: Some(1000), timeout_ms: Some(timeout_ms), ..WaitOptions::default() }
        .on_progress(|job| {
            if job.status == Some(JobStatus::Pending) {
                println!("  … pending");
            }
        });
    let done = client.wait_for_ldap_verify(&project, &request_id, wait).await.map_err(|e| describe(&e))?;
    let validations = done.validations.unwrap_or_default();
    for v in &validations {
        let mark = if v.status == Some(ValidationStatus::Ok) { "ok  " } else { "FAIL" };
        let name = v.validation_type.as_ref().map_or("", |t| t.as_str());
        println!("  {mark} {name:<27} {}", meaning(name));
    }
    let status = done.status.as_ref().map_or("", |s| s.as_str());
    println!("result: {status}");
    let passed = done.status.as_ref().is_some_and(JobStatus::is_success) && validations.iter().all(|v| v.status == Some(ValidationStatus::Ok));
    Ok(if passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `--name value` and `--name=value`, only the known names, as Node's strict `parseArgs`.
fn parse_flags(mut args: impl Iterator<Item = String>) -> Result<HashMap<String, String>, String> {
    let mut flags = HashMap::new();
    while let Some(arg) = args.next() {
        let Some(name) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument {arg:?}"));
        };
        let (name, value) = match name.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => {
                let value = args.next().ok_or_else(|| format!("--{name} needs a value"))?;
                (name.to_owned(), value)
            }
        };
        if !FLAGS.contains(&name.as_str()) {
            return Err(format!("unknown option --{name}"));
        }
        flags.insert(name, value);
    }
    Ok(flags)
}

fn meaning(validation_type: &str) -> &'static str {
    match validation_type {
        "SERVER_SPECIFIED" => "a server is given",
        "CONNECT" => "Atlas reached the server over TLS",
        "AUTHENTICATE" => "the bind user and password were accepted",
        "AUTHORIZATION_ENABLED" => "authorization settings are present",
        "PARSE_AUTHZ_QUERY_TEMPLATE" => "the authorization query template parses",
        "QUERY_SERVER" => "the authorization query ran on the server",
        _ => "",
    }
}

/// The error for people; like every `AtlasError`, it holds no secret.
fn describe(error: &AtlasError) -> String {
    match error {
        AtlasError::AtlasValidationError { issues } => issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| format!("{}: {}", i.path, i.message))
            .collect::<Vec<_>>()
            .join("\n"),
        AtlasError::AtlasApiError { status, error_code, detail, .. } => {
            format!("Atlas answered {status} {error_code}: {}", detail.as_deref().unwrap_or(""))
        }
        other => format!("{}: {other}", other.name()),
    }
}
