//! The client engine's decisions, natively and without a network: a test plays the
//! transport, feeding events and reading the commands.

use atlas_ldap::client::{
    Answer, BaseUrl, CallId, ClientConfig, ClientError, Command, Credentials, DigestCredentials, Engine, Event, ExchangeId,
    HttpRequest, HttpResponse, Operation, Reply, RequestOptions, TimerId, WaitOptions,
};
use atlas_ldap::model::{LdapVerifyJob, Secret, UserSecurity};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const REQUEST: &str = "6a7b8c9d0e1f2a3b4c5d6e7f";
const SECRET: &str = "mdb_sa_sk_do-not-leak";
const TOKEN: &str = "issued-token-do-not-leak";
const SECURITY: &str = r#"{"ldap":{"authenticationEnabled":true,"hostname":"ldap.example.com","port":636}}"#;

fn config() -> ClientConfig {
    ClientConfig::new(BaseUrl::parse("https://cloud.mongodb.com", false).unwrap())
}

fn account() -> Credentials {
    Credentials::ServiceAccount { client_id: "mdb_sa_id_x".into(), client_secret: Secret::new(SECRET) }
}

/// Plays the transport: keeps what the engine asked for, in order.
struct Transport {
    engine: Engine,
    now: f64,
    log: Vec<Command>,
}

#[derive(Debug)]
struct Sent {
    exchange: ExchangeId,
    call: Option<CallId>,
    request: HttpRequest,
}

impl Transport {
    fn new(config: ClientConfig, credentials: Credentials) -> Transport {
        Transport { engine: Engine::new(config, credentials, 42), now: 1_000_000.0, log: Vec::new() }
    }

    fn get(&mut self) -> CallId {
        self.engine.start_operation(self.now, Operation::GetUserSecurity { group_id: GROUP }, &RequestOptions::default())
    }

    fn patch(&mut self, options: &RequestOptions) -> CallId {
        let body = serde_json::json!({ "ldap": { "authenticationEnabled": false } });
        self.engine.start_operation(self.now, Operation::UpdateUserSecurity { group_id: GROUP, body: &body }, options)
    }

    /// Drains the engine's commands into the log; returns them.
    fn drain(&mut self) -> Vec<&Command> {
        let start = self.log.len();
        while let Some(c) = self.engine.poll_command() {
            self.log.push(c);
        }
        self.log[start..].iter().collect()
    }

    /// The requests sent since the last call, in order.
    fn sent(&mut self) -> Vec<Sent> {
        self.drain()
            .into_iter()
            .filter_map(|c| match c {
                Command::Send { exchange, call, request, .. } => {
                    Some(Sent { exchange: *exchange, call: *call, request: request.clone() })
                }
                _ => None,
            })
            .collect()
    }

    fn answer(&mut self, exchange: ExchangeId, status: u16, body: &str) {
        self.answer_with(exchange, status, body, None, None);
    }

    fn answer_with(&mut self, exchange: ExchangeId, status: u16, body: &str, retry_after: Option<&str>, www: Option<&str>) {
        let response = HttpResponse {
            status,
            retry_after: retry_after.map(str::to_owned),
            www_authenticate: www.map(str::to_owned),
            body: body.into(),
        };
        self.engine.handle(self.now, Event::Answered { exchange, response });
    }

    fn fire(&mut self, timer: TimerId, after_ms: f64) {
        self.now += after_ms;
        self.engine.handle(self.now, Event::TimerFired(timer));
    }

    /// The timers started since the last drain, with their delays.
    fn timers(&self) -> Vec<(TimerId, u32)> {
        self.log.iter().filter_map(|c| if let Command::StartTimer { timer, ms } = c { Some((*timer, *ms)) } else { None }).collect()
    }

    fn finished(&mut self, call: CallId) -> Option<Result<Reply, ClientError>> {
        self.drain();
        self.log.iter().find_map(|c| match c {
            Command::Finish { call: c, outcome } if *c == call => Some(outcome.clone()),
            _ => None,
        })
    }
}

fn authorization(request: &HttpRequest) -> Option<&str> {
    request.header("authorization")
}

fn token_answer(expires_in: u64) -> String {
    format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":{expires_in}}}"#)
}

#[test]
fn a_static_token_is_sent_and_the_answer_decoded() {
    let mut t = Transport::new(config(), Credentials::Bearer(Secret::new("static-token")));
    let call = t.get();
    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(authorization(&sent[0].request), Some("Bearer static-token"));
    assert!(sent[0].request.url.ends_with(&format!("/groups/{GROUP}/userSecurity")));
    t.answer(sent[0].exchange, 200, SECURITY);
    let Some(Ok(reply)) = t.finished(call) else { panic!("{:?}", t.log) };
    let us: UserSecurity = reply.model();
    assert_eq!(us.ldap.unwrap().port, Some(636));
    assert_eq!(t.engine.calls_in_flight(), 0);
}

#[test]
fn invalid_input_finishes_before_anything_is_sent() {
    let mut t = Transport::new(config(), Credentials::None);
    let call = t.engine.start_operation(t.now, Operation::GetUserSecurity { group_id: "nope" }, &RequestOptions::default());
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(call), Some(Err(ClientError::Validation { .. }))));
}

#[test]
fn concurrent_calls_share_one_token_request() {
    let mut t = Transport::new(config(), account());
    let calls: Vec<CallId> = (0..50).map(|_| t.get()).collect();
    let sent = t.sent();
    assert_eq!(sent.len(), 1, "one token request for 50 cold calls");
    assert!(sent[0].request.url.ends_with("/api/oauth/token"));
    assert_eq!(sent[0].call, None);
    assert!(authorization(&sent[0].request).unwrap().starts_with("Basic "));
    t.answer(sent[0].exchange, 200, &token_answer(3600));
    let sent = t.sent();
    assert_eq!(sent.len(), 50);
    assert!(sent.iter().all(|s| authorization(&s.request) == Some(&format!("Bearer {TOKEN}"))));
    for s in &sent {
        t.answer(s.exchange, 200, SECURITY);
    }
    assert!(calls.iter().all(|c| matches!(t.finished(*c), Some(Ok(_)))));
    // A later call uses the cached token.
    t.get();
    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].request.url.ends_with("/api/oauth/token"));
}

#[test]
fn the_token_is_renewed_before_it_expires() {
    let mut t = Transport::new(config(), account());
    t.get();
    let token = t.sent().remove(0);
    t.answer(token.exchange, 200, &token_answer(600));
    let call = t.sent().remove(0);
    t.answer(call.exchange, 200, SECURITY);
    t.now += 520_000.0; // 80 s before expiry: still fresh
    t.get();
    assert!(!t.sent()[0].request.url.ends_with("/oauth/token"));
    t.now += 30_000.0; // 50 s before expiry: inside the 60 s margin
    t.get();
    assert!(t.sent()[0].request.url.ends_with("/oauth/token"));
}

#[test]
fn a_401_renews_the_token_once() {
    let mut t = Transport::new(config(), account());
    let call = t.get();
    let token = t.sent().remove(0);
    t.answer(token.exchange, 200, &token_answer(3600));
    let first = t.sent().remove(0);
    t.answer(first.exchange, 401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#);
    let renewal = t.sent();
    assert_eq!(renewal.len(), 1);
    assert!(renewal[0].request.url.ends_with("/api/oauth/token"), "a new token after a 401");
    t.answer(renewal[0].exchange, 200, &token_answer(3600));
    let second = t.sent().remove(0);
    t.answer(second.exchange, 401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#);
    assert!(t.sent().is_empty(), "only once");
    let Some(Err(ClientError::Api { status: 401, .. })) = t.finished(call) else { panic!() };
}

#[test]
fn a_401_does_not_drop_a_token_another_call_renewed() {
    let mut t = Transport::new(config(), account());
    let (a, b) = (t.get(), t.get());
    let token = t.sent().remove(0);
    t.answer(token.exchange, 200, &token_answer(3600));
    let sent = t.sent();
    // Call a is refused: the token is dropped and renewed.
    t.answer(sent[0].exchange, 401, "");
    let renewal = t.sent().remove(0);
    t.answer(renewal.exchange, 200, &token_answer(3600));
    let a_again = t.sent().remove(0);
    // Call b's refusal comes with the old token: the new one stays.
    t.answer(sent[1].exchange, 401, "");
    let b_again = t.sent();
    assert_eq!(b_again.len(), 1);
    assert!(!b_again[0].request.url.ends_with("/oauth/token"), "no second token request");
    t.answer(a_again.exchange, 200, SECURITY);
    t.answer(b_again[0].exchange, 200, SECURITY);
    assert!(matches!(t.finished(a), Some(Ok(_))));
    assert!(matches!(t.finished(b), Some(Ok(_))));
}

#[test]
fn a_failed_token_request_fails_every_waiting_call() {
    let mut t = Transport::new(config(), account());
    let calls = [t.get(), t.get()];
    let token = t.sent().remove(0);
    t.answer(token.exchange, 401, r#"{"error":401,"errorCode":"INVALID_CLIENT","detail":"bad secret"}"#);
    for call in calls {
        let Some(Err(ClientError::Api { status: 401, error })) = t.finished(call) else { panic!() };
        assert_eq!(error.error_code, "INVALID_CLIENT");
    }
    assert!(t.sent().is_empty());
}

#[test]
fn revoking_sends_the_cached_token_and_forgets_it() {
    let mut t = Transport::new(config(), account());
    t.get();
    let token = t.sent().remove(0);
    t.answer(token.exchange, 200, &token_answer(3600));
    let call = t.sent().remove(0);
    t.answer(call.exchange, 200, SECURITY);
    let revoke = t.engine.start_revoke();
    let sent = t.sent().remove(0);
    assert!(sent.request.url.ends_with("/api/oauth/revoke"));
    assert!(sent.request.body.as_deref().unwrap().contains(TOKEN));
    t.answer(sent.exchange, 200, "");
    assert!(matches!(t.finished(revoke), Some(Ok(Reply::Done))));
    t.get();
    assert!(t.sent()[0].request.url.ends_with("/api/oauth/token"), "a new token after revoking");
    // Nothing to revoke: done at once.
    let mut t = Transport::new(config(), Credentials::Bearer(Secret::new("x")));
    let revoke = t.engine.start_revoke();
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(revoke), Some(Ok(Reply::Done))));
}

const CHALLENGE: &str = r#"Digest realm="MMS Public API", nonce="n0nce", algorithm=MD5, qop="auth""#;

#[test]
fn digest_answers_the_challenge_and_counts_the_nonce() {
    let key = DigestCredentials { public_key: "pub".into(), private_key: Secret::new("priv-do-not-leak") };
    let mut t = Transport::new(config(), Credentials::Digest(key));
    let call = t.get();
    let first = t.sent().remove(0);
    assert_eq!(authorization(&first.request), None, "the first request brings the challenge");
    t.answer_with(first.exchange, 401, "", None, Some(CHALLENGE));
    let second = t.sent().remove(0);
    let header = authorization(&second.request).unwrap().to_owned();
    assert!(header.starts_with("Digest username=\"pub\""), "{header}");
    assert!(header.contains("nc=00000001") && header.contains("qop=auth"), "{header}");
    assert!(!header.contains("priv-do-not-leak"));
    t.answer(second.exchange, 200, SECURITY);
    assert!(matches!(t.finished(call), Some(Ok(_))));
    t.get();
    let third = t.sent().remove(0);
    assert!(authorization(&third.request).unwrap().contains("nc=00000002"));
    let cnonce = |h: &str| h.split("cnonce=\"").nth(1).map(|r| r[..16].to_owned());
    assert_ne!(cnonce(&header), cnonce(authorization(&third.request).unwrap()));
}

#[test]
fn digest_without_a_challenge_stops_at_the_401() {
    let key = DigestCredentials { public_key: "pub".into(), private_key: Secret::new("p") };
    let mut t = Transport::new(config(), Credentials::Digest(key));
    let call = t.get();
    let first = t.sent().remove(0);
    t.answer(first.exchange, 401, "");
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(call), Some(Err(ClientError::Api { status: 401, .. }))));
}

#[test]
fn a_token_function_is_asked_before_every_request() {
    let mut t = Transport::new(config(), Credentials::BearerFunction);
    let call = t.get();
    let commands = t.drain();
    assert!(matches!(commands[..], [Command::ProvideToken(c)] if *c == call));
    t.engine.handle(t.now, Event::TokenProvided { call, token: Some(Secret::new("from-function")) });
    let sent = t.sent().remove(0);
    assert_eq!(authorization(&sent.request), Some("Bearer from-function"));
    // A function that gives nothing fails the call without sending.
    let call = t.get();
    t.drain();
    t.engine.handle(t.now, Event::TokenProvided { call, token: None });
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(call), Some(Err(ClientError::Network { .. }))));
}

#[test]
fn server_errors_are_retried_for_get_with_backoff() {
    let mut t = Transport::new(config(), Credentials::None);
    let call = t.get();
    let first = t.sent().remove(0);
    t.answer(first.exchange, 503, "");
    t.drain();
    let (timer, ms) = *t.timers().last().unwrap();
    assert!((125..=250).contains(&ms), "first backoff {ms}");
    assert!(t.sent().is_empty());
    t.fire(timer, f64::from(ms));
    let second = t.sent().remove(0);
    t.answer(second.exchange, 200, SECURITY);
    assert!(matches!(t.finished(call), Some(Ok(_))));
}

#[test]
fn a_patch_is_never_repeated_after_a_server_error_or_a_timeout() {
    let mut t = Transport::new(config(), Credentials::None);
    let call = t.patch(&RequestOptions::default());
    let first = t.sent().remove(0);
    t.answer(first.exchange, 503, "");
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(call), Some(Err(ClientError::Api { status: 503, .. }))));

    let call = t.patch(&RequestOptions::default());
    t.sent();
    let (attempt_timer, ms) = *t.timers().last().unwrap();
    assert_eq!(ms, 30_000);
    t.fire(attempt_timer, 30_000.0);
    let commands = t.drain();
    assert!(commands.iter().any(|c| matches!(c, Command::Cancel(_))), "the exchange is stopped");
    assert!(!commands.iter().any(|c| matches!(c, Command::Send { .. })));
    assert!(matches!(t.finished(call), Some(Err(ClientError::Timeout { timeout_ms: 30_000 }))));
}

#[test]
fn an_attempt_timeout_is_retried_for_get() {
    let mut t = Transport::new(ClientConfig { timeout_ms: 1_000, ..config() }, Credentials::None);
    let call = t.get();
    t.sent();
    let (attempt, _) = *t.timers().last().unwrap();
    t.fire(attempt, 1_000.0);
    t.drain();
    let (backoff, ms) = *t.timers().last().unwrap();
    t.fire(backoff, f64::from(ms));
    let again = t.sent();
    assert_eq!(again.len(), 1, "a GET is tried again after a timeout");
    t.answer(again[0].exchange, 200, SECURITY);
    assert!(matches!(t.finished(call), Some(Ok(_))));
}

#[test]
fn too_many_requests_waits_retry_after_even_for_post() {
    let mut t = Transport::new(config(), Credentials::None);
    let params = serde_json::json!({ "hostname": "ldap.example.com", "port": 636,
        "bindUsername": "CN=b,DC=example,DC=com", "bindPassword": "pw" });
    let call = t.engine.start_operation(t.now, Operation::VerifyLdap { group_id: GROUP, params: &params }, &RequestOptions::default());
    let first = t.sent().remove(0);
    t.answer_with(first.exchange, 429, "", Some("2"), None);
    t.drain();
    let (timer, ms) = *t.timers().last().unwrap();
    assert_eq!(ms, 2_000);
    t.fire(timer, 2_000.0);
    let second = t.sent().remove(0);
    t.answer(second.exchange, 200, r#"{"requestId":"6a7b8c9d0e1f2a3b4c5d6e7f","status":"PENDING"}"#);
    assert!(matches!(t.finished(call), Some(Ok(Reply::Document { answer: Answer::VerifyJob, .. }))));
}

#[test]
fn the_deadline_refuses_a_wait_past_it() {
    let mut t = Transport::new(ClientConfig { deadline_ms: Some(5_000), ..config() }, Credentials::None);
    let call = t.get();
    let first = t.sent().remove(0);
    t.answer_with(first.exchange, 429, "", Some("100"), None);
    let Some(Err(ClientError::Timeout { timeout_ms: 5_000 })) = t.finished(call) else { panic!("{:?}", t.log) };
    assert!(t.log.iter().any(|c| matches!(c, Command::StopTimer(_))), "the deadline timer is stopped");
}

#[test]
fn the_deadline_cuts_an_attempt_short_and_a_call_option_overrides_it() {
    let mut t = Transport::new(ClientConfig { deadline_ms: Some(60_000), ..config() }, Credentials::None);
    let call = t.patch(&RequestOptions { deadline_ms: Some(2_000), ..RequestOptions::default() });
    let sent = t.sent().remove(0);
    let deadline = t.timers().iter().find(|(_, ms)| *ms == 2_000).expect("a 2 s deadline timer").0;
    t.fire(deadline, 2_000.0);
    let commands = t.drain();
    assert!(commands.iter().any(|c| matches!(c, Command::Cancel(e) if *e == sent.exchange)));
    assert!(matches!(t.finished(call), Some(Err(ClientError::Timeout { timeout_ms: 2_000 }))));
    // A late answer is ignored.
    t.answer(sent.exchange, 200, SECURITY);
    assert!(t.drain().is_empty());
}

#[test]
fn aborting_stops_the_exchange_and_its_timers() {
    let mut t = Transport::new(config(), Credentials::None);
    let call = t.get();
    let sent = t.sent().remove(0);
    t.engine.handle(t.now, Event::Aborted(call));
    let commands = t.drain();
    assert!(commands.iter().any(|c| matches!(c, Command::Cancel(e) if *e == sent.exchange)));
    assert!(commands.iter().any(|c| matches!(c, Command::StopTimer(_))));
    assert!(matches!(t.finished(call), Some(Err(ClientError::Aborted))));
}

#[test]
fn network_failures_end_after_max_retries() {
    let mut t = Transport::new(ClientConfig { max_retries: 2, ..config() }, Credentials::None);
    let call = t.get();
    for attempt in 0..3 {
        let sent = t.sent();
        assert_eq!(sent.len(), 1, "attempt {attempt}");
        t.engine.handle(t.now, Event::Failed { exchange: sent[0].exchange, message: "connection refused".into() });
        t.drain();
        if attempt < 2 {
            let (timer, ms) = *t.timers().last().unwrap();
            t.fire(timer, f64::from(ms));
        }
    }
    let Some(Err(ClientError::Network { message })) = t.finished(call) else { panic!() };
    assert_eq!(message, "connection refused");
}

#[test]
fn a_too_large_answer_is_a_decode_error() {
    let mut t = Transport::new(ClientConfig { max_response_bytes: 1024, ..config() }, Credentials::None);
    let call = t.get();
    let commands = t.drain();
    assert!(commands.iter().any(|c| matches!(c, Command::Send { max_response_bytes: 1024, .. })));
    let Command::Send { exchange, .. } = commands[0] else { panic!() };
    let exchange = *exchange;
    t.engine.handle(t.now, Event::TooLarge { exchange, status: 200 });
    let Some(Err(ClientError::Decode { message, .. })) = t.finished(call) else { panic!() };
    assert!(message.contains("1024"), "{message}");
}

#[test]
fn waiting_polls_until_final_and_reports_progress() {
    let mut t = Transport::new(config(), Credentials::None);
    let wait = WaitOptions { interval_ms: Some(500), timeout_ms: Some(10_000) };
    let call = t.engine.start_wait(t.now, GROUP, REQUEST, wait, &RequestOptions::default());
    let first = t.sent().remove(0);
    assert!(first.request.url.ends_with(&format!("/ldap/verify/{REQUEST}")));
    t.answer(first.exchange, 200, r#"{"status":"PENDING"}"#);
    let commands = t.drain();
    assert!(commands.iter().any(|c| matches!(c, Command::Progress { .. })));
    let (timer, ms) = *t.timers().last().unwrap();
    assert_eq!(ms, 500);
    t.fire(timer, 500.0);
    let second = t.sent().remove(0);
    t.answer(second.exchange, 200, r#"{"status":"FAILED","validations":[{"status":"FAIL","validationType":"CONNECT"}]}"#);
    let Some(Ok(reply)) = t.finished(call) else { panic!() };
    let job: LdapVerifyJob = reply.model();
    assert_eq!(job.status.unwrap().as_str(), "FAILED");
    let progress = t.log.iter().filter(|c| matches!(c, Command::Progress { .. })).count();
    assert_eq!(progress, 2);
}

#[test]
fn a_wait_times_out_with_its_own_timeout() {
    let mut t = Transport::new(config(), Credentials::None);
    let wait = WaitOptions { interval_ms: Some(400), timeout_ms: Some(1_000) };
    let call = t.engine.start_wait(t.now, GROUP, REQUEST, wait, &RequestOptions::default());
    let first = t.sent().remove(0);
    let deadline = t.timers()[0].0;
    t.answer(first.exchange, 200, r#"{"status":"PENDING"}"#);
    t.drain();
    t.fire(deadline, 1_000.0);
    let Some(Err(ClientError::Timeout { timeout_ms: 1_000 })) = t.finished(call) else { panic!("{:?}", t.log) };
}

#[test]
fn a_bad_request_id_sends_nothing() {
    let mut t = Transport::new(config(), Credentials::None);
    let call = t.engine.start_wait(t.now, GROUP, "x", WaitOptions::default(), &RequestOptions::default());
    assert!(t.sent().is_empty());
    assert!(matches!(t.finished(call), Some(Err(ClientError::Validation { .. }))));
}

#[test]
fn no_secret_reaches_a_command_or_an_error_debug() {
    let mut t = Transport::new(config(), account());
    let call = t.get();
    let token = t.sent().remove(0);
    t.answer(token.exchange, 200, &token_answer(3600));
    let sent = t.sent().remove(0);
    t.answer(sent.exchange, 500, "oops");
    t.drain();
    let _ = t.finished(call);
    let everything = format!("{:?} {:?}", t.log, t.engine);
    assert!(!everything.contains(SECRET), "client secret in Debug");
    assert!(!everything.contains(TOKEN), "token in Debug");
}
