//! Performs the engine's commands with tokio: requests as tasks running reqwest, timers as
//! tasks sleeping, the caller's token function, progress callbacks, and each call's
//! outcome through a oneshot channel. It decides nothing: every event goes back to the
//! engine, which says what is next (the npm package's `src/wasm/driver.rs`, natively).

use std::collections::HashMap;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::task::AbortHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::options::ProgressFn;
use super::transport::{exchange, Failure};
use super::AtlasError;
use crate::client::{Answer, CallId, Command, Engine, Event, ExchangeId, Reply, TimerId};
use crate::model::{LdapVerifyJob, Secret};

/// The caller's bearer-token function: a token, or `None` when it has none.
pub(crate) type TokenFn = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Option<String>> + Send>> + Send + Sync>;

/// The engine of one client and what is under way for it.
pub(crate) struct Driver {
    state: Mutex<State>,
    http: reqwest::Client,
    token_function: Option<TokenFn>,
    /// The runtime of the first call: tasks are spawned there, even from a `Drop`.
    runtime: OnceLock<Handle>,
    /// The engine's clock starts here.
    epoch: Instant,
}

struct State {
    engine: Engine,
    calls: HashMap<CallId, PendingCall>,
    exchanges: HashMap<ExchangeId, AbortHandle>,
    timers: HashMap<TimerId, AbortHandle>,
}

/// Where a call's outcome goes, and what it listens to.
struct PendingCall {
    reply: oneshot::Sender<Result<Reply, AtlasError>>,
    on_progress: Option<ProgressFn>,
    /// The reqwest error behind the last network failure, as the error's `source`.
    cause: Option<Arc<reqwest::Error>>,
}

/// What is done once the state is unlocked, in the engine's order: the caller's code
/// (a progress callback, the task awaiting an outcome) never runs under the lock.
enum Deferred {
    Progress(ProgressFn, LdapVerifyJob),
    Finish(oneshot::Sender<Result<Reply, AtlasError>>, Result<Reply, AtlasError>),
}

/// Reports `Event::Aborted` when a call's future is dropped before its outcome came.
struct CallGuard<'a> {
    driver: &'a Arc<Driver>,
    call: CallId,
    armed: bool,
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.driver.drive(|state, now| state.engine.handle(now, Event::Aborted(self.call)));
        }
    }
}

impl Driver {
    pub(crate) fn new(engine: Engine, http: reqwest::Client, token_function: Option<TokenFn>) -> Arc<Driver> {
        Arc::new(Driver {
            state: Mutex::new(State {
                engine,
                calls: HashMap::new(),
                exchanges: HashMap::new(),
                timers: HashMap::new(),
            }),
            http,
            token_function,
            runtime: OnceLock::new(),
            epoch: Instant::now(),
        })
    }

    /// How many calls the engine is running.
    pub(crate) fn calls_in_flight(&self) -> usize {
        self.lock().engine.calls_in_flight()
    }

    /// Runs a call that `start` begins, until the engine finishes it. A token that is
    /// already cancelled fails at once, before the engine sees the call.
    pub(crate) async fn call(
        self: &Arc<Self>,
        cancel: Option<CancellationToken>,
        on_progress: Option<ProgressFn>,
        start: impl FnOnce(&mut Engine, f64) -> CallId,
    ) -> Result<Reply, AtlasError> {
        if cancel.as_ref().is_some_and(CancellationToken::is_cancelled) {
            return Err(AtlasError::AbortError);
        }
        if self.runtime.get().is_none() {
            let Ok(handle) = Handle::try_current() else {
                let message = "atlas_ldap::native::AtlasClient needs a Tokio runtime".to_owned();
                return Err(AtlasError::AtlasNetworkError { message, source: None });
            };
            let _ = self.runtime.set(handle);
        }
        let (reply, mut outcome) = oneshot::channel();
        let call = self.drive(|state, now| {
            let call = start(&mut state.engine, now);
            state.calls.insert(call, PendingCall { reply, on_progress, cause: None });
            call
        });
        let mut guard = CallGuard { driver: self, call, armed: true };
        let received = match &cancel {
            Some(token) => match token.run_until_cancelled(&mut outcome).await {
                Some(received) => received,
                None => {
                    self.drive(|state, now| state.engine.handle(now, Event::Aborted(call)));
                    (&mut outcome).await
                }
            },
            None => (&mut outcome).await,
        };
        guard.armed = false;
        received.unwrap_or_else(|_| {
            let message = "the client stopped before the call ended".to_owned();
            Err(AtlasError::AtlasNetworkError { message, source: None })
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere never leaves the tables half-changed: keep going.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reports what `f` does to the engine (at the engine's clock, read under the lock so
    /// it never goes back), then performs every command it has for now.
    fn drive<R>(self: &Arc<Self>, f: impl FnOnce(&mut State, f64) -> R) -> R {
        let mut deferred = Vec::new();
        let result = {
            let mut state = self.lock();
            let now = self.now();
            let result = f(&mut state, now);
            while let Some(command) = state.engine.poll_command() {
                self.perform(&mut state, command, &mut deferred);
            }
            result
        };
        for action in deferred {
            match action {
                Deferred::Progress(callback, job) => {
                    // A panicking callback is the caller's bug; it must not break the wait.
                    let _ = catch_unwind(AssertUnwindSafe(|| callback(&job)));
                }
                Deferred::Finish(reply, outcome) => {
                    let _ = reply.send(outcome); // a dropped future no longer listens
                }
            }
        }
        result
    }

    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) -> Option<AbortHandle> {
        let handle = self.runtime.get().cloned().or_else(|| Handle::try_current().ok())?;
        Some(handle.spawn(task).abort_handle())
    }

    fn perform(self: &Arc<Self>, state: &mut State, command: Command, deferred: &mut Vec<Deferred>) {
        match command {
            Command::Send { exchange: id, call, request, max_response_bytes } => {
                let driver = Arc::downgrade(self);
                let http = self.http.clone();
                let task = async move {
                    let outcome = exchange(&http, request, max_response_bytes).await;
                    report(&driver, move |state, now| {
                        if state.exchanges.remove(&id).is_none() {
                            return; // cancelled: the engine has moved on
                        }
                        let event = match outcome {
                            Ok(response) => Event::Answered { exchange: id, response },
                            Err(Failure::TooLarge { status }) => Event::TooLarge { exchange: id, status },
                            Err(Failure::Network { message, source }) => {
                                if let Some(pending) = call.and_then(|c| state.calls.get_mut(&c)) {
                                    pending.cause = Some(source);
                                }
                                Event::Failed { exchange: id, message }
                            }
                        };
                        state.engine.handle(now, event);
                    });
                };
                match self.spawn(task) {
                    Some(handle) => {
                        state.exchanges.insert(id, handle);
                    }
                    None => {
                        let message = "no Tokio runtime to send the request on".to_owned();
                        state.engine.handle(self.now(), Event::Failed { exchange: id, message });
                    }
                }
            }
            Command::Cancel(id) => {
                if let Some(task) = state.exchanges.remove(&id) {
                    task.abort();
                }
            }
            Command::StartTimer { timer, ms } => {
                let driver = Arc::downgrade(self);
                let task = async move {
                    tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
                    report(&driver, move |state, now| {
                        if state.timers.remove(&timer).is_some() {
                            state.engine.handle(now, Event::TimerFired(timer));
                        }
                    });
                };
                if let Some(handle) = self.spawn(task) {
                    state.timers.insert(timer, handle);
                }
            }
            Command::StopTimer(timer) => {
                if let Some(task) = state.timers.remove(&timer) {
                    task.abort();
                }
            }
            Command::ProvideToken(call) => {
                let driver = Arc::downgrade(self);
                let function = self.token_function.clone();
                let task = async move {
                    let token = match function {
                        Some(function) => function().await,
                        None => None,
                    };
                    let token = token.map(Secret::new);
                    report(&driver, move |state, now| state.engine.handle(now, Event::TokenProvided { call, token }));
                };
                if self.spawn(task).is_none() {
                    state.engine.handle(self.now(), Event::TokenProvided { call, token: None });
                }
            }
            Command::Progress { call, job } => {
                if let Some(callback) = state.calls.get(&call).and_then(|p| p.on_progress.clone()) {
                    let job = Reply::Document { answer: Answer::VerifyJob, document: job }.model();
                    deferred.push(Deferred::Progress(callback, job));
                }
            }
            Command::Finish { call, outcome } => {
                let Some(pending) = state.calls.remove(&call) else { return };
                let outcome = outcome.map_err(|error| AtlasError::from_core(error, pending.cause));
                deferred.push(Deferred::Finish(pending.reply, outcome));
            }
        }
    }

    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64() * 1000.0
    }
}

/// Reports an event from a task, if the client still exists.
fn report(driver: &Weak<Driver>, f: impl FnOnce(&mut State, f64)) {
    if let Some(driver) = driver.upgrade() {
        driver.drive(f);
    }
}

impl Drop for Driver {
    /// Nothing outlives the client: its requests and timers stop with it.
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        for task in state.exchanges.drain().map(|e| e.1).chain(state.timers.drain().map(|t| t.1)) {
            task.abort();
        }
    }
}
