//! The native client (`--features native`) against `atlas-emulator`, started per test on a
//! free port, and against small raw-TCP servers for answers the emulator never gives (a
//! stalled body, an endless one). The emulator binary must be built first
//! (`cargo build -p atlas-emulator`; `make test-native` does it).
#![cfg(feature = "native")]

mod native_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_ldap::client::{ClientOptions, DigestOptions, ServiceAccountOptions};
use atlas_ldap::model::{GroupRoles, JobStatus, LdapSecuritySettings, LdapVerifyParams, UserSecurity, UserToDnMapping};
use atlas_ldap::native::{AtlasClient, AtlasError, CancellationToken, RequestOptions, WaitOptions};
use native_support::{raw_server, Emulator, API_KEY, GROUP, SERVICE_ACCOUNT, TOKEN, USER, USER2};

const USER_SECURITY: &str = "/userSecurity ";
const TOKEN_PATH: &str = "/api/oauth/token ";

fn options(url: &str) -> ClientOptions {
    ClientOptions { base_url: Some(url.to_owned()), ..ClientOptions::default() }
}

fn bearer(url: &str) -> AtlasClient {
    AtlasClient::with_access_token(options(url), TOKEN).expect("client")
}

fn service_account(url: &str, secret: &str) -> AtlasClient {
    let account = ServiceAccountOptions { client_id: SERVICE_ACCOUNT.0.into(), client_secret: secret.into() };
    AtlasClient::new(ClientOptions { service_account: Some(account), ..options(url) }).expect("client")
}

fn digest(url: &str, private_key: &str) -> AtlasClient {
    let key = DigestOptions { public_key: API_KEY.0.into(), private_key: private_key.into() };
    AtlasClient::new(ClientOptions { digest: Some(key), ..options(url) }).expect("client")
}

fn none() -> RequestOptions {
    RequestOptions::default()
}

fn ldap_settings(hostname: &str) -> UserSecurity {
    UserSecurity {
        ldap: Some(LdapSecuritySettings {
            authentication_enabled: Some(true),
            authorization_enabled: Some(false),
            hostname: Some(hostname.into()),
            port: Some(636),
            bind_username: Some("CN=BindUser,CN=Users,DC=example,DC=com".into()),
            bind_password: Some("s3cret-bind-pw".into()),
            user_to_dn_mapping: Some(vec![UserToDnMapping {
                match_: "(.+)@example\\.com".into(),
                substitution: Some("CN={0},CN=Users,DC=example,DC=com".into()),
                ldap_query: None,
            }]),
            ..LdapSecuritySettings::default()
        }),
        ..UserSecurity::default()
    }
}

fn verify_params(hostname: &str) -> LdapVerifyParams {
    LdapVerifyParams {
        hostname: hostname.into(),
        port: 636,
        bind_username: "CN=BindUser,CN=Users,DC=example,DC=com".into(),
        bind_password: "s3cret-bind-pw".into(),
        ..LdapVerifyParams::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_returns_its_model() {
    let emulator = Emulator::start(&["--verify-delay-ms", "300"]);
    let client = bearer(&emulator.url);

    let settings = client.get_user_security(GROUP, none()).await.expect("get");
    assert_ne!(settings.ldap.as_ref().and_then(|l| l.authentication_enabled), Some(true));

    let updated = client.update_user_security(GROUP, &ldap_settings("ldap.example.com"), none()).await.expect("update");
    let ldap = updated.ldap.expect("ldap");
    assert_eq!(ldap.hostname.as_deref(), Some("ldap.example.com"));
    assert_eq!(ldap.authentication_enabled, Some(true));
    assert!(ldap.bind_password.is_none(), "Atlas never returns bindPassword");
    let enveloped = RequestOptions { envelope: true, pretty: true, ..none() };
    let again = client.get_user_security(GROUP, enveloped).await.expect("get with envelope");
    assert_eq!(again.ldap.and_then(|l| l.hostname).as_deref(), Some("ldap.example.com"));

    let job = client.verify_ldap(GROUP, &verify_params("ldap.example.com"), none()).await.expect("verify");
    assert_eq!(job.status, Some(JobStatus::Pending));
    let request_id = job.request_id.expect("requestId");
    let status = client.get_ldap_verify_status(GROUP, &request_id, none()).await.expect("status");
    assert_eq!(status.request_id.as_deref(), Some(request_id.as_str()));

    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::clone(&seen);
    let wait = WaitOptions { interval_ms: Some(100), ..WaitOptions::default() }
        .on_progress(move |job| progress.lock().unwrap().push(job.status.clone()));
    let done = client.wait_for_ldap_verify(GROUP, &request_id, wait).await.expect("wait");
    assert_eq!(done.status, Some(JobStatus::Success));
    assert_eq!(done.validations.map(|v| v.len()), Some(3));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 2, "pending reads and the final one: {seen:?}");
    assert_eq!(seen.last(), Some(&Some(JobStatus::Success)));
    assert!(seen[..seen.len() - 1].iter().all(|s| *s == Some(JobStatus::Pending)), "{seen:?}");

    let unmapped = client.delete_ldap_user_to_dn_mapping(GROUP, none()).await.expect("delete mapping");
    assert_eq!(unmapped.ldap.and_then(|l| l.user_to_dn_mapping).unwrap_or_default(), vec![]);
    let no_x509 = client.disable_customer_x509(GROUP, none()).await.expect("disable x509");
    assert!(no_x509.customer_x509.and_then(|x| x.cas).is_none());

    let roles = GroupRoles { group_roles: Some(vec!["GROUP_READ_ONLY".into()]), links: None };
    let replaced = client.update_user_roles(GROUP, USER2, &roles, none()).await.expect("update roles");
    assert_eq!(replaced.group_roles, Some(vec!["GROUP_READ_ONLY".to_owned()]));
    let added = client.add_user_role(GROUP, USER, "GROUP_READ_ONLY", none()).await.expect("add role");
    assert!(added.roles.contains(&"GROUP_READ_ONLY".to_owned()), "{:?}", added.roles);
    assert_eq!(added.id, USER);
    let removed = client.remove_user_role(GROUP, USER, "GROUP_READ_ONLY", none()).await.expect("remove role");
    assert!(!removed.roles.contains(&"GROUP_READ_ONLY".to_owned()), "{:?}", removed.roles);

    let conflict = client.remove_user_role(GROUP, USER, "GROUP_READ_ONLY", none()).await.unwrap_err();
    assert!(matches!(conflict, AtlasError::AtlasApiError { status: 409, .. }), "{conflict:?}");

    client.revoke_token().await.expect("revoke is nothing to do for a bearer token");
    assert_eq!(emulator.count("POST", "/api/oauth/revoke "), 0);
    assert_eq!(client.calls_in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_authentication_modes() {
    let emulator = Emulator::start(&[]);
    let url = &emulator.url;

    bearer(url).get_user_security(GROUP, none()).await.expect("bearer");
    let wrong = AtlasClient::with_access_token(options(url), "not-the-token").unwrap();
    let error = wrong.get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasApiError { status: 401, .. }), "{error:?}");
    assert!(!format!("{error} {error:?} {wrong:?}").contains("not-the-token"));

    let account = service_account(url, SERVICE_ACCOUNT.1);
    account.get_user_security(GROUP, none()).await.expect("service account");
    account.get_user_security(GROUP, none()).await.expect("cached token");
    assert_eq!(emulator.settled_count("POST", TOKEN_PATH, 1).await, 1, "the token is cached");
    account.revoke_token().await.expect("revoke");
    assert_eq!(emulator.settled_count("POST", "/api/oauth/revoke ", 1).await, 1);
    account.get_user_security(GROUP, none()).await.expect("a new token after revoking");
    assert_eq!(emulator.settled_count("POST", TOKEN_PATH, 2).await, 2);
    let error = service_account(url, "mdb_sa_sk_wrong").get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasApiError { status: 401, .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("mdb_sa_sk_wrong"));

    let before = emulator.settled_count("GET", USER_SECURITY, 0).await;
    let api_key = digest(url, API_KEY.1);
    api_key.get_user_security(GROUP, none()).await.expect("digest");
    api_key.get_user_security(GROUP, none()).await.expect("digest, the nonce reused");
    // The first request brings the challenge; the second call answers it at once.
    assert_eq!(emulator.settled_count("GET", USER_SECURITY, before + 3).await, before + 3);
    let error = digest(url, "wrong-private-key").get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasApiError { status: 401, .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("wrong-private-key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_function_is_asked_before_every_request_and_again_after_a_401() {
    let emulator = Emulator::start(&["--fail", "GET /userSecurity$ 401 1"]);
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let client = AtlasClient::with_token_provider(options(&emulator.url), move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Some(TOKEN.to_owned())
        }
    })
    .unwrap();
    client.get_user_security(GROUP, none()).await.expect("renewed after the 401");
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let refusing = AtlasClient::with_token_provider(options(&emulator.url), || async { None }).unwrap();
    let error = refusing.get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasNetworkError { .. }), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_with_a_cold_cache_make_one_token_request() {
    let emulator = Emulator::start(&[]);
    let client = service_account(&emulator.url, SERVICE_ACCOUNT.1);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_user_security(GROUP, none()).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("call");
    }
    assert_eq!(emulator.settled_count("GET", USER_SECURITY, 50).await, 50);
    assert_eq!(emulator.settled_count("POST", TOKEN_PATH, 1).await, 1, "{:?}", emulator.lines());
    assert_eq!(client.calls_in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_renews_the_service_account_token_once() {
    let emulator = Emulator::start(&[]);
    let client = service_account(&emulator.url, SERVICE_ACCOUNT.1);
    client.get_user_security(GROUP, none()).await.expect("first");
    emulator.fault(r#"{"method":"GET","path":"/userSecurity$","status":401,"count":1}"#).await;
    client.get_user_security(GROUP, none()).await.expect("renewed");
    assert_eq!(emulator.settled_count("POST", TOKEN_PATH, 2).await, 2);
    assert_eq!(emulator.settled_count("GET", USER_SECURITY, 3).await, 3);
    // Only once: a second 401 in the same call is the answer.
    emulator.fault(r#"{"method":"GET","path":"/userSecurity$","status":401,"count":2}"#).await;
    let error = client.get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasApiError { status: 401, .. }), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_retried_after_its_retry_after() {
    let emulator = Emulator::start(&[]);
    let client = bearer(&emulator.url);
    emulator.fault(r#"{"method":"POST","path":":addRole","status":429,"count":1,"retryAfter":1}"#).await;
    let started = Instant::now();
    let user = client.add_user_role(GROUP, USER, "GROUP_READ_ONLY", none()).await.expect("after the wait");
    let waited = started.elapsed();
    assert!(user.roles.contains(&"GROUP_READ_ONLY".to_owned()));
    assert!(waited >= Duration::from_millis(1000), "Retry-After: 1 honoured, waited {waited:?}");
    assert!(waited < Duration::from_millis(3000), "{waited:?}");
    assert_eq!(emulator.settled_count("POST", ":addRole ", 2).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_of_the_emulator_is_waited_out() {
    // One request a minute: the second call is told to wait; a deadline shorter than the
    // wait ends it at once instead of sleeping.
    let emulator = Emulator::start(&["--rate-limit", "1"]);
    let client = bearer(&emulator.url);
    client.get_user_security(GROUP, none()).await.expect("first");
    let started = Instant::now();
    let error = client.get_user_security(GROUP, RequestOptions { deadline_ms: Some(5000), ..none() }).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasTimeoutError { timeout_ms: 5000 }), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(2000), "{:?}", started.elapsed());
    assert!(emulator.lines().iter().any(|l| l.contains(" 429 ")), "{:?}", emulator.lines());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_times_out_each_attempt() {
    let server = raw_server(|_| async { b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"ldap\":".to_vec() }, true).await;
    let client_options = ClientOptions { timeout_ms: Some(300.0), max_retries: Some(1.0), ..options(&server.url) };
    let client = AtlasClient::with_access_token(client_options, TOKEN).unwrap();
    let started = Instant::now();
    let error = client.get_user_security(GROUP, none()).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(error, AtlasError::AtlasTimeoutError { timeout_ms: 300 }), "{error:?}");
    assert_eq!(server.connections(), 2, "the GET is retried once");
    assert!(took >= Duration::from_millis(600) && took < Duration::from_millis(3000), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_past_max_response_bytes_is_a_decode_error() {
    let emulator = Emulator::start(&[]);
    let small = ClientOptions { max_response_bytes: Some(64.0), ..options(&emulator.url) };
    let client = AtlasClient::with_access_token(small, TOKEN).unwrap();
    let error = client.get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasDecodeError { status: 200, .. }), "{error:?}");

    // Without a length, the body is read chunk by chunk and dropped past the limit.
    let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
    let endless = chunk.repeat(64);
    let server = raw_server(
        move |_| {
            let body = endless.clone();
            async move { format!("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{body}").into_bytes() }
        },
        true,
    )
    .await;
    let limited = ClientOptions {
        max_response_bytes: Some(10_000.0),
        timeout_ms: Some(5000.0),
        max_retries: Some(0.0),
        ..options(&server.url)
    };
    let client = AtlasClient::with_access_token(limited, TOKEN).unwrap();
    let error = client.get_user_security(GROUP, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasDecodeError { status: 200, .. }), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_bounds_every_attempt_and_backoff() {
    let emulator = Emulator::start(&["--fail", "GET /userSecurity$ 503 *"]);
    let patient = ClientOptions { max_retries: Some(20.0), ..options(&emulator.url) };
    let client = AtlasClient::with_access_token(patient, TOKEN).unwrap();
    let started = Instant::now();
    let error = client.get_user_security(GROUP, RequestOptions { deadline_ms: Some(700), ..none() }).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(error, AtlasError::AtlasTimeoutError { timeout_ms: 700 }), "{error:?}");
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(emulator.settled_count("GET", USER_SECURITY, 2).await >= 2, "retried before the deadline");
}

/// An emulator, a bearer client, and a verification job that stays pending for a minute.
async fn pending_job() -> (Emulator, AtlasClient, String) {
    let emulator = Emulator::start(&["--verify-delay-ms", "60000"]);
    let client = bearer(&emulator.url);
    let job = client.verify_ldap(GROUP, &verify_params("ldap.example.com"), none()).await.expect("verify");
    (emulator, client, job.request_id.expect("requestId"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_token_ends_a_wait_and_a_retry() {
    let (emulator, client, request_id) = pending_job().await;

    let cancel = CancellationToken::new();
    let wait = WaitOptions { interval_ms: Some(100), cancel: Some(cancel.clone()), ..WaitOptions::default() };
    let cancel_later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(350)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let error = client.wait_for_ldap_verify(GROUP, &request_id, wait).await.unwrap_err();
    cancel_later.await.unwrap();
    assert!(matches!(error, AtlasError::AbortError), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    assert_eq!(client.calls_in_flight(), 0);
    emulator.assert_quiet("GET", "/ldap/verify/").await;

    // During a Retry-After wait of 30 s.
    emulator.fault(r#"{"method":"GET","path":"/userSecurity$","status":429,"count":1,"retryAfter":30}"#).await;
    let cancel = CancellationToken::new();
    let options = RequestOptions { cancel: Some(cancel.clone()), ..none() };
    let trigger = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let error = client.get_user_security(GROUP, options).await.unwrap_err();
    trigger.await.unwrap();
    assert!(matches!(error, AtlasError::AbortError), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));

    // Already cancelled: nothing is sent.
    let cancel = CancellationToken::new();
    cancel.cancel();
    let before = emulator.settled_count("GET", USER_SECURITY, 0).await;
    let error = client.get_user_security(GROUP, RequestOptions { cancel: Some(cancel), ..none() }).await.unwrap_err();
    assert!(matches!(error, AtlasError::AbortError), "{error:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(emulator.count("GET", USER_SECURITY), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_future_aborts_the_call() {
    let (emulator, client, request_id) = pending_job().await;
    let wait = WaitOptions { interval_ms: Some(100), ..WaitOptions::default() };
    let waited = tokio::time::timeout(Duration::from_millis(350), client.wait_for_ldap_verify(GROUP, &request_id, wait)).await;
    assert!(waited.is_err(), "still pending after 350 ms");
    assert_eq!(client.calls_in_flight(), 0, "the engine was told");
    assert!(emulator.settled_count("GET", "/ldap/verify/", 2).await >= 2);
    emulator.assert_quiet("GET", "/ldap/verify/").await;

    // A request under way is dropped too (the emulator holds every answer for 2 s).
    let slow = Emulator::start(&["--latency-ms", "2000"]);
    let client = bearer(&slow.url);
    let call = tokio::time::timeout(Duration::from_millis(200), client.get_user_security(GROUP, none())).await;
    assert!(call.is_err());
    assert_eq!(client.calls_in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let emulator = Emulator::start(&[]);
    let client = bearer(&emulator.url);
    let error = client.get_user_security("not-a-group-id", none()).await.unwrap_err();
    let AtlasError::AtlasValidationError { issues } = &error else { panic!("{error:?}") };
    assert_eq!(issues[0].path, "groupId");
    assert_eq!(error.name(), "AtlasValidationError");
    let blank = LdapVerifyParams { bind_password: "".into(), ..verify_params("") };
    let error = client.verify_ldap(GROUP, &blank, none()).await.unwrap_err();
    assert!(matches!(error, AtlasError::AtlasValidationError { .. }), "{error:?}");
    let dated = RequestOptions { version_date: Some("2023".into()), ..none() };
    let error = client.get_user_security(GROUP, dated).await.unwrap_err();
    let AtlasError::AtlasValidationError { issues } = &error else { panic!("{error:?}") };
    assert_eq!(issues[0].path, "versionDate");
    let error = AtlasClient::with_access_token(options("http://example.com"), TOKEN).unwrap_err();
    assert!(matches!(error, AtlasError::AtlasValidationError { .. }), "plain http to a remote host");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(emulator.lines().len(), 0, "{:?}", emulator.lines());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_failures_are_retried_for_gets_and_carry_their_source() {
    let emulator = Emulator::start(&["--fail", "GET /userSecurity$ drop 1"]);
    let client = bearer(&emulator.url);
    client.get_user_security(GROUP, none()).await.expect("retried after the dropped connection");
    assert_eq!(emulator.settled_count("GET", USER_SECURITY, 2).await, 2, "{:?}", emulator.lines());
    assert_eq!(emulator.lines().iter().filter(|l| l.contains(" 200 ")).count(), 1, "{:?}", emulator.lines());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let once = ClientOptions { max_retries: Some(0.0), ..options(&url) };
    let error = AtlasClient::with_access_token(once, TOKEN).unwrap().get_user_security(GROUP, none()).await.unwrap_err();
    let AtlasError::AtlasNetworkError { message, source } = &error else { panic!("{error:?}") };
    assert!(source.is_some(), "the reqwest error is kept");
    assert!(std::error::Error::source(&error).is_some());
    assert!(!message.contains(TOKEN));
    assert_eq!(error.name(), "AtlasNetworkError");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_verifies_with_each_authentication_mode() {
    let emulator = Emulator::start(&["--verify-delay-ms", "300"]);
    let modes: [(&str, [(&str, &str); 2]); 3] = [
        ("bearer", [("ATLAS_ACCESS_TOKEN", TOKEN), ("", "")]),
        ("service account", [("ATLAS_CLIENT_ID", SERVICE_ACCOUNT.0), ("ATLAS_CLIENT_SECRET", SERVICE_ACCOUNT.1)]),
        ("API key", [("ATLAS_PUBLIC_KEY", API_KEY.0), ("ATLAS_PRIVATE_KEY", API_KEY.1)]),
    ];
    for (mode, env) in modes {
        for (hostname, code) in [("ldap.example.com", 0), ("ldap.corp.invalid", 1)] {
            let run = native_support::example(&emulator.url, &env, &["--project", GROUP, "--hostname", hostname]);
            let all = format!("{}{}", run.stdout, run.stderr);
            assert_eq!(run.code, Some(code), "{mode} {hostname}:\n{all}");
            for secret in [TOKEN, SERVICE_ACCOUNT.1, API_KEY.1, "s3cret-bind-pw"] {
                assert!(!all.contains(secret), "{mode}: a secret was printed:\n{all}");
            }
            assert!(run.stdout.contains("ok   SERVER_SPECIFIED"), "{all}");
            let connect = if code == 0 { "ok   CONNECT" } else { "FAIL CONNECT" };
            assert!(run.stdout.contains(connect), "{all}");
            if code == 0 {
                assert!(run.stdout.contains("ok   AUTHENTICATE") && run.stdout.contains("result: SUCCESS"), "{all}");
            } else {
                assert!(!run.stdout.contains("AUTHENTICATE") && run.stdout.contains("result: FAILED"), "{all}");
            }
        }
    }
    let before = emulator.lines().len();
    let run = native_support::example(&emulator.url, &[("ATLAS_ACCESS_TOKEN", TOKEN)], &["--project", "nope"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("groupId"), "{}", run.stderr);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(emulator.lines().len(), before, "a bad id sends nothing");
    let run = native_support::example(&emulator.url, &[], &["--project", GROUP]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("set ATLAS_ACCESS_TOKEN"), "{}", run.stderr);
}
