//! The client engine: every decision of an Atlas call, as a state machine without I/O.
//!
//! A transport (the npm package's fetch shell, the native reqwest one) drives it:
//!
//! 1. it starts calls ([`Engine::start_operation`], [`Engine::start_wait`],
//!    [`Engine::start_revoke`]) and reports what happened ([`Engine::handle`]: an answer
//!    arrived, an exchange failed, a timer fired, the caller aborted, a token was given);
//! 2. after each of those it drains [`Engine::poll_command`] and performs every
//!    [`Command`]: send this request, start or stop this timer, ask the caller's function
//!    for a token, report progress, finish this call with this outcome.
//!
//! The engine owns the three authentication modes (a static or function bearer token; a
//! service account whose token is cached, shared by concurrent calls through one token
//! request, renewed before expiry and once on a 401, and revoked; HTTP Digest with the
//! challenge and nonce count), retries with backoff and `Retry-After`, the per-attempt
//! timeout, the whole-call deadline, and verification polling. Time is the transport's
//! monotonic clock in milliseconds, passed with every event.

use std::collections::VecDeque;

use serde_json::Value;

use crate::model::{JobStatus, Secret};

use super::digest::{hex, DigestChallenge, DigestCredentials};
use super::operation::Answer;
use super::poll::{PollDecision, VerifyWait};
use super::reply::{decode_answer, Reply};
use super::table::Table;
use super::retry::{retry_decision, AttemptOutcome, RetryDecision};
use super::token::{parse_token_response, revoke_request, token_request, AccessToken};
use super::{ClientConfig, ClientError, HttpRequest, Operation, RequestOptions};

/// How requests are authenticated.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// No `Authorization` header (a same-origin proxy adds one).
    None,
    /// A fixed bearer token.
    Bearer(Secret),
    /// A bearer token the caller's function gives before every request
    /// ([`Command::ProvideToken`]).
    BearerFunction,
    /// OAuth client credentials of a service account.
    ServiceAccount {
        /// The client id (`mdb_sa_id_…`).
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// An API key pair, for HTTP Digest.
    Digest(DigestCredentials),
}

/// Identifies a call the engine runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CallId(pub u64);

/// Identifies one HTTP exchange (request and answer) the transport performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExchangeId(pub u64);

/// Identifies a timer the transport runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u64);

/// What the transport read of an answer: its status, the headers the engine reads, and
/// the body as text (at most [`Command::Send`]'s `max_response_bytes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
    /// The `WWW-Authenticate` header.
    pub www_authenticate: Option<String>,
    /// The body, decoded as UTF-8.
    pub body: String,
}

/// Something that happened, reported by the transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The answer of an exchange, read whole.
    Answered {
        /// The exchange.
        exchange: ExchangeId,
        /// What came back.
        response: HttpResponse,
    },
    /// The answer's body is larger than the `max_response_bytes` of the exchange; the
    /// transport stopped reading it.
    TooLarge {
        /// The exchange.
        exchange: ExchangeId,
        /// The answer's HTTP status.
        status: u16,
    },
    /// The exchange failed before a whole answer arrived (DNS, connection, TLS, a dropped
    /// connection). `message` describes it and must not hold a secret.
    Failed {
        /// The exchange.
        exchange: ExchangeId,
        /// What went wrong, for the error message.
        message: String,
    },
    /// A timer fired.
    TimerFired(TimerId),
    /// The caller aborted the call.
    Aborted(CallId),
    /// The caller's token function answered [`Command::ProvideToken`]: a token, or `None`
    /// when it threw, rejected or gave something that is not a non-empty string.
    TokenProvided {
        /// The call that asked.
        call: CallId,
        /// The token.
        token: Option<Secret>,
    },
}

/// Something the transport must do, in the order the engine gives them.
#[derive(Debug)]
pub enum Command {
    /// Send `request` and report [`Event::Answered`], [`Event::TooLarge`] or
    /// [`Event::Failed`] for `exchange`. Stop reading a body past `max_response_bytes`.
    Send {
        /// Names the exchange in the events about it.
        exchange: ExchangeId,
        /// The call it is for; `None` for the token request shared by several calls.
        call: Option<CallId>,
        /// What to send (with its `Authorization` header, when there is one).
        request: HttpRequest,
        /// The largest body to read.
        max_response_bytes: u64,
    },
    /// Stop an exchange whose answer is no longer wanted; events about it are ignored.
    Cancel(ExchangeId),
    /// Report [`Event::TimerFired`] after `ms` milliseconds.
    StartTimer {
        /// Names the timer.
        timer: TimerId,
        /// The delay.
        ms: u32,
    },
    /// The timer is no longer needed; it may still fire (it is then ignored).
    StopTimer(TimerId),
    /// Call the caller's token function and report [`Event::TokenProvided`].
    ProvideToken(CallId),
    /// A verification job was read while waiting for it (`onProgress`).
    Progress {
        /// The waiting call.
        call: CallId,
        /// The job as read (an `LdapVerifyJob` document).
        job: Value,
    },
    /// The call is over: resolve or reject it. Nothing more comes for this call.
    Finish {
        /// The call.
        call: CallId,
        /// Its value or its error.
        outcome: Result<Reply, ClientError>,
    },
}

/// Options of [`Engine::start_wait`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitOptions {
    /// Between two status requests; default 2000.
    pub interval_ms: Option<u32>,
    /// For the whole wait, then [`ClientError::Timeout`]; default 300000.
    pub timeout_ms: Option<u32>,
}

/// The engine of one client: its configuration, its credentials' state, and its calls.
#[derive(Debug)]
pub struct Engine {
    config: ClientConfig,
    credentials: Credentials,
    rng: u64,
    next_id: u64,
    calls: Table<CallId, Call>,
    exchanges: Table<ExchangeId, Owner>,
    timers: Table<TimerId, Purpose>,
    token: TokenState,
    /// The last Digest challenge and how many requests have used its nonce.
    digest: Option<(DigestChallenge, u32)>,
    commands: VecDeque<Command>,
}

#[derive(Debug)]
struct Call {
    job: Job,
    retries: u32,
    /// Credentials were renewed once after a 401 in this attempt sequence.
    renewed: bool,
    /// When the call gives up, and the deadline it was given (for the error).
    deadline: Option<(f64, u32)>,
    deadline_timer: Option<TimerId>,
    step: Step,
}

#[derive(Debug)]
enum Job {
    Operation { request: HttpRequest, answer: Answer, envelope: bool },
    Wait { request: HttpRequest, envelope: bool, wait: VerifyWait },
    Revoke,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Between steps (never seen by the transport).
    Idle,
    /// Waiting for the shared service-account token request.
    AwaitingToken,
    /// Waiting for the caller's token function.
    AwaitingProvider,
    /// A request is out; `token` is the generation of the service-account token it carries.
    Sending { exchange: ExchangeId, timer: TimerId, token: Option<u64> },
    /// A backoff or a poll interval.
    Waiting(TimerId),
}

#[derive(Debug, Clone, Copy)]
enum Owner {
    Call(CallId),
    TokenRequest,
}

#[derive(Debug, Clone, Copy)]
enum Purpose {
    AttemptTimeout(CallId),
    Wake(CallId),
    Deadline(CallId),
    TokenTimeout,
}

#[derive(Debug, Default)]
struct TokenState {
    /// The token, its lifetime in milliseconds, and its generation.
    cached: Option<(AccessToken, u64, u64)>,
    generation: u64,
    /// The token request under way and its timer.
    fetching: Option<(ExchangeId, TimerId)>,
    /// Calls waiting for that request.
    waiters: Vec<CallId>,
}

/// The default interval between two status requests of a wait.
pub const DEFAULT_POLL_INTERVAL_MS: u32 = 2_000;
/// The default length of a wait.
pub const DEFAULT_WAIT_TIMEOUT_MS: u32 = 300_000;

impl Engine {
    /// An engine for one client. `seed` feeds the backoff jitter and the Digest client
    /// nonce: pass fresh randomness.
    pub fn new(config: ClientConfig, credentials: Credentials, seed: u64) -> Engine {
        Engine {
            config,
            credentials,
            rng: seed | 1,
            next_id: 0,
            calls: Table::default(),
            exchanges: Table::default(),
            timers: Table::default(),
            token: TokenState::default(),
            digest: None,
            commands: VecDeque::new(),
        }
    }

    /// The next thing to do, or `None` until the next event.
    pub fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }

    /// How many calls are under way.
    pub fn calls_in_flight(&self) -> usize {
        self.calls.len()
    }

    /// Starts an operation. Its ids and body are validated first: invalid input finishes
    /// the call with [`ClientError::Validation`] before anything is sent.
    pub fn start_operation(&mut self, now: f64, operation: Operation<'_>, options: &RequestOptions) -> CallId {
        let id = CallId(self.id());
        match operation.request(&self.config, options, self.config.locale) {
            Ok(request) => {
                let job = Job::Operation { request, answer: operation.answer(), envelope: options.envelope };
                let deadline = options.deadline_ms.or(self.config.deadline_ms);
                self.admit(now, id, job, deadline);
            }
            Err(error) => self.commands.push_back(Command::Finish { call: id, outcome: Err(error) }),
        }
        id
    }

    /// Starts following a verification job until it is final (any status but `PENDING`),
    /// with a [`Command::Progress`] for every read. The wait's `timeout_ms` bounds it all.
    pub fn start_wait(
        &mut self,
        now: f64,
        group_id: &str,
        request_id: &str,
        wait: WaitOptions,
        options: &RequestOptions,
    ) -> CallId {
        let id = CallId(self.id());
        let operation = Operation::GetLdapVerifyStatus { group_id, request_id };
        match operation.request(&self.config, options, self.config.locale) {
            Ok(request) => {
                let timeout = wait.timeout_ms.unwrap_or(DEFAULT_WAIT_TIMEOUT_MS);
                let wait = VerifyWait::new(now, wait.interval_ms, Some(timeout));
                self.admit(now, id, Job::Wait { request, envelope: options.envelope, wait }, Some(timeout));
            }
            Err(error) => self.commands.push_back(Command::Finish { call: id, outcome: Err(error) }),
        }
        id
    }

    /// Revokes the cached service-account token (`POST /api/oauth/revoke`); the next call
    /// fetches a new one. Finishes at once when there is nothing to revoke.
    pub fn start_revoke(&mut self) -> CallId {
        let id = CallId(self.id());
        let cached = self.token.cached.take();
        let Credentials::ServiceAccount { client_id, client_secret } = &self.credentials else {
            self.commands.push_back(Command::Finish { call: id, outcome: Ok(Reply::Done) });
            return id;
        };
        let Some((token, _, _)) = cached else {
            self.commands.push_back(Command::Finish { call: id, outcome: Ok(Reply::Done) });
            return id;
        };
        let request = revoke_request(&self.config.base_url, client_id, client_secret, &token.value);
        self.calls.insert(id, Call::new(Job::Revoke, None));
        self.send(id, request, None);
        id
    }

    /// Reports an event. Events about finished calls, cancelled exchanges and stopped
    /// timers are ignored.
    pub fn handle(&mut self, now: f64, event: Event) {
        match event {
            Event::Answered { exchange, response } => match self.exchanges.remove(&exchange) {
                Some(Owner::Call(call)) => self.answered(now, call, response),
                Some(Owner::TokenRequest) => self.token_answered(now, Ok(response)),
                None => {}
            },
            Event::TooLarge { exchange, status } => {
                let error = ClientError::Decode {
                    status,
                    body_snippet: String::new(),
                    message: format!("the answer is larger than {} bytes", self.config.max_response_bytes),
                };
                match self.exchanges.remove(&exchange) {
                    Some(Owner::Call(call)) => self.finish(call, Err(error)),
                    Some(Owner::TokenRequest) => self.token_answered(now, Err(error)),
                    None => {}
                }
            }
            Event::Failed { exchange, message } => match self.exchanges.remove(&exchange) {
                Some(Owner::Call(call)) => self.attempt_failed(now, call, AttemptOutcome::Network, message),
                Some(Owner::TokenRequest) => self.token_answered(now, Err(ClientError::Network { message })),
                None => {}
            },
            Event::TimerFired(timer) => match self.timers.remove(&timer) {
                Some(Purpose::AttemptTimeout(call)) => {
                    if let Some(Step::Sending { exchange, .. }) = self.calls.get(&call).map(|c| c.step) {
                        self.exchanges.remove(&exchange);
                        self.commands.push_back(Command::Cancel(exchange));
                        self.attempt_failed(now, call, AttemptOutcome::Timeout, String::new());
                    }
                }
                Some(Purpose::Wake(call)) => self.begin_attempt(now, call),
                Some(Purpose::Deadline(call)) => {
                    if let Some(ms) = self.calls.get(&call).and_then(|c| c.deadline).map(|(_, ms)| ms) {
                        self.finish(call, Err(ClientError::Timeout { timeout_ms: ms }));
                    }
                }
                Some(Purpose::TokenTimeout) => {
                    if let Some((exchange, _)) = self.token.fetching {
                        self.exchanges.remove(&exchange);
                        self.commands.push_back(Command::Cancel(exchange));
                    }
                    let timeout_ms = self.config.timeout_ms;
                    self.token_answered(now, Err(ClientError::Timeout { timeout_ms }));
                }
                None => {}
            },
            Event::Aborted(call) => self.finish(call, Err(ClientError::Aborted)),
            Event::TokenProvided { call, token } => {
                if self.calls.get(&call).map(|c| c.step) != Some(Step::AwaitingProvider) {
                    return;
                }
                match token.filter(|t| !t.is_empty()) {
                    Some(token) => {
                        let header = format!("Bearer {}", token.expose());
                        self.send_with(call, Some(header), None);
                    }
                    None => {
                        let message = "the accessToken function did not give a token".to_owned();
                        self.finish(call, Err(ClientError::Network { message }));
                    }
                }
            }
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A random number in `[0, 1)` (xorshift64*; jitter and nonces need no more).
    fn random(&mut self) -> f64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn admit(&mut self, now: f64, id: CallId, job: Job, deadline_ms: Option<u32>) {
        let mut call = Call::new(job, deadline_ms.map(|ms| (now + f64::from(ms), ms)));
        if let Some(ms) = deadline_ms {
            let timer = TimerId(self.id());
            self.timers.insert(timer, Purpose::Deadline(id));
            self.commands.push_back(Command::StartTimer { timer, ms });
            call.deadline_timer = Some(timer);
        }
        self.calls.insert(id, call);
        self.begin_attempt(now, id);
    }

    /// Sends the call's request with whatever authentication it needs now.
    fn begin_attempt(&mut self, now: f64, id: CallId) {
        let Some(call) = self.calls.get_mut(&id) else { return };
        call.step = Step::Idle;
        match &self.credentials {
            Credentials::None => self.send_with(id, None, None),
            Credentials::Bearer(token) => {
                let header = format!("Bearer {}", token.expose());
                self.send_with(id, Some(header), None);
            }
            Credentials::BearerFunction => {
                self.set_step(id, Step::AwaitingProvider);
                self.commands.push_back(Command::ProvideToken(id));
            }
            Credentials::ServiceAccount { .. } => match self.fresh_token(now) {
                Some((header, generation)) => self.send_with(id, Some(header), Some(generation)),
                None => {
                    self.set_step(id, Step::AwaitingToken);
                    self.token.waiters.push(id);
                    if self.token.fetching.is_none() {
                        self.fetch_token();
                    }
                }
            },
            Credentials::Digest(_) => {
                let header = self.digest_authorization(id);
                self.send_with(id, header, None);
            }
        }
    }

    fn set_step(&mut self, id: CallId, step: Step) {
        if let Some(call) = self.calls.get_mut(&id) {
            call.step = step;
        }
    }

    /// The Digest `Authorization` for the call's request, counting the nonce's use. The
    /// first request goes without one: its 401 brings the challenge.
    fn digest_authorization(&mut self, id: CallId) -> Option<String> {
        let Credentials::Digest(credentials) = &self.credentials else { return None };
        let credentials = credentials.clone();
        let (challenge, nc) = self.digest.as_mut()?;
        *nc += 1;
        let (challenge, nc) = (challenge.clone(), *nc);
        let cnonce = self.cnonce();
        let request = self.request_of(id)?;
        Some(challenge.authorization(&credentials, request.method, &request.path_and_query, nc, &cnonce))
    }

    fn request_of(&self, id: CallId) -> Option<&HttpRequest> {
        match &self.calls.get(&id)?.job {
            Job::Operation { request, .. } | Job::Wait { request, .. } => Some(request),
            Job::Revoke => None,
        }
    }

    fn cnonce(&mut self) -> String {
        let a = (self.random() * 4_294_967_296.0) as u32;
        let b = (self.random() * 4_294_967_296.0) as u32;
        hex(&[a.to_be_bytes(), b.to_be_bytes()].concat())
    }

    fn fresh_token(&self, now: f64) -> Option<(String, u64)> {
        let (token, lifetime, generation) = self.token.cached.as_ref()?;
        let now = if now.is_finite() && now > 0.0 { now as u64 } else { 0 };
        token.is_fresh(now, *lifetime).then(|| (format!("Bearer {}", token.value.expose()), *generation))
    }

    fn fetch_token(&mut self) {
        let Credentials::ServiceAccount { client_id, client_secret } = &self.credentials else { return };
        let request = token_request(&self.config.base_url, client_id, client_secret);
        let exchange = ExchangeId(self.id());
        let timer = TimerId(self.id());
        self.exchanges.insert(exchange, Owner::TokenRequest);
        self.timers.insert(timer, Purpose::TokenTimeout);
        self.token.fetching = Some((exchange, timer));
        let max_response_bytes = self.config.max_response_bytes;
        self.commands.push_back(Command::Send { exchange, call: None, request, max_response_bytes });
        self.commands.push_back(Command::StartTimer { timer, ms: self.config.timeout_ms });
    }

    fn token_answered(&mut self, now: f64, response: Result<HttpResponse, ClientError>) {
        let Some((_, timer)) = self.token.fetching.take() else { return };
        if self.timers.remove(&timer).is_some() {
            self.commands.push_back(Command::StopTimer(timer));
        }
        let clock = if now.is_finite() && now > 0.0 { now as u64 } else { 0 };
        let outcome = response.and_then(|r| parse_token_response(r.status, &r.body, clock));
        let waiters = std::mem::take(&mut self.token.waiters);
        match outcome {
            Ok((token, lifetime)) => {
                self.token.generation += 1;
                let header = format!("Bearer {}", token.value.expose());
                let generation = self.token.generation;
                self.token.cached = Some((token, lifetime, generation));
                for call in waiters {
                    if self.calls.get(&call).map(|c| c.step) == Some(Step::AwaitingToken) {
                        self.send_with(call, Some(header.clone()), Some(generation));
                    }
                }
            }
            Err(error) => {
                for call in waiters {
                    self.finish(call, Err(error.clone()));
                }
            }
        }
    }

    /// Sends the call's request with an `Authorization` value.
    fn send_with(&mut self, id: CallId, authorization: Option<String>, token: Option<u64>) {
        let Some(mut request) = self.request_of(id).cloned() else { return };
        if let Some(value) = authorization {
            request.headers.push(("authorization", value));
        }
        self.send(id, request, token);
    }

    fn send(&mut self, id: CallId, request: HttpRequest, token: Option<u64>) {
        let exchange = ExchangeId(self.id());
        let timer = TimerId(self.id());
        let Some(call) = self.calls.get_mut(&id) else { return };
        call.step = Step::Sending { exchange, timer, token };
        self.exchanges.insert(exchange, Owner::Call(id));
        self.timers.insert(timer, Purpose::AttemptTimeout(id));
        let max_response_bytes = self.config.max_response_bytes;
        self.commands.push_back(Command::Send { exchange, call: Some(id), request, max_response_bytes });
        self.commands.push_back(Command::StartTimer { timer, ms: self.config.timeout_ms });
    }

    /// Ends the attempt under way: stops its timer. Returns the token generation it used.
    fn end_attempt(&mut self, id: CallId) -> Option<u64> {
        let call = self.calls.get_mut(&id)?;
        let Step::Sending { timer, token, .. } = call.step else { return None };
        call.step = Step::Idle;
        if self.timers.remove(&timer).is_some() {
            self.commands.push_back(Command::StopTimer(timer));
        }
        token
    }

    fn answered(&mut self, now: f64, id: CallId, response: HttpResponse) {
        let used_token = self.end_attempt(id);
        let Some(call) = self.calls.get_mut(&id) else { return };
        if matches!(call.job, Job::Revoke) {
            let outcome = match parse_token_response(response.status, &response.body, 0) {
                Err(error @ ClientError::Api { .. }) => Err(error),
                _ => Ok(Reply::Done),
            };
            return self.finish(id, outcome);
        }
        if response.status == 401 && !call.renewed {
            call.renewed = true;
            let retry = match &self.credentials {
                Credentials::ServiceAccount { .. } => {
                    // Drop the token only if no other call has renewed it meanwhile.
                    if self.token.cached.as_ref().map(|c| c.2) == used_token {
                        self.token.cached = None;
                    }
                    true
                }
                Credentials::BearerFunction => true,
                Credentials::Digest(_) => match response.www_authenticate.as_deref().and_then(DigestChallenge::parse) {
                    Some(challenge) => {
                        self.digest = Some((challenge, 0));
                        true
                    }
                    None => false,
                },
                Credentials::None | Credentials::Bearer(_) => false,
            };
            if retry {
                return self.begin_attempt(now, id);
            }
        }
        let outcome = AttemptOutcome::Status { status: response.status, retry_after: response.retry_after.as_deref() };
        if self.retry(now, id, outcome) {
            return;
        }
        let Some(call) = self.calls.get(&id) else { return };
        let (answer, envelope, wait) = match &call.job {
            Job::Operation { answer, envelope, .. } => (*answer, *envelope, None),
            Job::Wait { envelope, wait, .. } => (Answer::VerifyJob, *envelope, Some(*wait)),
            Job::Revoke => return,
        };
        let decoded = decode_answer(answer, envelope, response.status, &response.body);
        let (Some(wait), Ok(Reply::Document { document: job, .. })) = (wait, &decoded) else {
            return self.finish(id, decoded);
        };
        let status = job.get("status").and_then(Value::as_str).map(JobStatus::from);
        let decision = wait.next(status.as_ref(), now);
        self.commands.push_back(Command::Progress { call: id, job: job.clone() });
        match decision {
            PollDecision::Done => self.finish(id, decoded),
            PollDecision::TimedOut => {
                let timeout_ms = self.calls.get(&id).and_then(|c| c.deadline).map_or(0, |d| d.1);
                self.finish(id, Err(ClientError::Timeout { timeout_ms }));
            }
            PollDecision::PollIn(ms) => {
                if let Some(call) = self.calls.get_mut(&id) {
                    call.retries = 0;
                    call.renewed = false;
                }
                self.wake_in(id, ms);
            }
        }
    }

    fn attempt_failed(&mut self, now: f64, id: CallId, outcome: AttemptOutcome<'_>, message: String) {
        self.end_attempt(id);
        // A revocation is never retried (`retry` says so).
        if self.retry(now, id, outcome) {
            return;
        }
        let error = match outcome {
            AttemptOutcome::Timeout => ClientError::Timeout { timeout_ms: self.config.timeout_ms },
            _ => ClientError::Network { message },
        };
        self.finish(id, Err(error));
    }

    /// Schedules another attempt when the retry policy and the deadline allow one. Returns
    /// whether the call goes on (retrying, or finished because the wait passes the deadline).
    fn retry(&mut self, now: f64, id: CallId, outcome: AttemptOutcome<'_>) -> bool {
        let jitter = self.random();
        let Some(call) = self.calls.get(&id) else { return true };
        let method = match &call.job {
            Job::Operation { request, .. } | Job::Wait { request, .. } => request.method,
            Job::Revoke => return false,
        };
        match retry_decision(method, call.retries, self.config.max_retries, outcome, jitter) {
            RetryDecision::Stop => false,
            RetryDecision::Retry { delay_ms } => {
                if let Some((at, ms)) = call.deadline {
                    if now + f64::from(delay_ms) >= at {
                        self.finish(id, Err(ClientError::Timeout { timeout_ms: ms }));
                        return true;
                    }
                }
                if let Some(call) = self.calls.get_mut(&id) {
                    call.retries += 1;
                    call.renewed = false;
                }
                self.wake_in(id, delay_ms);
                true
            }
        }
    }

    fn wake_in(&mut self, id: CallId, ms: u32) {
        let timer = TimerId(self.id());
        let Some(call) = self.calls.get_mut(&id) else { return };
        call.step = Step::Waiting(timer);
        self.timers.insert(timer, Purpose::Wake(id));
        self.commands.push_back(Command::StartTimer { timer, ms });
    }

    /// Ends a call: cancels what it has under way and reports its outcome.
    fn finish(&mut self, id: CallId, outcome: Result<Reply, ClientError>) {
        let Some(call) = self.calls.remove(&id) else { return };
        match call.step {
            Step::Sending { exchange, timer, .. } => {
                if self.exchanges.remove(&exchange).is_some() {
                    self.commands.push_back(Command::Cancel(exchange));
                }
                if self.timers.remove(&timer).is_some() {
                    self.commands.push_back(Command::StopTimer(timer));
                }
            }
            Step::Waiting(timer) => {
                if self.timers.remove(&timer).is_some() {
                    self.commands.push_back(Command::StopTimer(timer));
                }
            }
            Step::AwaitingToken => self.token.waiters.retain(|w| *w != id),
            Step::AwaitingProvider | Step::Idle => {}
        }
        if let Some(timer) = call.deadline_timer {
            if self.timers.remove(&timer).is_some() {
                self.commands.push_back(Command::StopTimer(timer));
            }
        }
        self.commands.push_back(Command::Finish { call: id, outcome });
    }
}

impl Call {
    fn new(job: Job, deadline: Option<(f64, u32)>) -> Call {
        Call { job, retries: 0, renewed: false, deadline, deadline_timer: None, step: Step::Idle }
    }
}
