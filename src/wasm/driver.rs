//! Performs the engine's commands in JavaScript: requests with `fetch` (`transport`),
//! timers with the global `setTimeout`, the caller's token function, `onProgress`, and the
//! promises of the calls. It decides nothing: every event goes back to the engine, which
//! says what is next. JavaScript calls back through `callbacks`, never through a closure
//! or a future made for one call.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader};

use super::callbacks::{self, Waiting};
use super::errors::{to_js, to_value};
use super::js::{self, prop};
use super::transport::{self, Body, Failure, Head};
use crate::client::table::Table;
use crate::client::{CallId, ClientError, Command, Engine, Event, ExchangeId, HttpResponse, Reply, TimerId};
use crate::model::Secret;

/// The engine of one client and what is under way for it in JavaScript.
pub struct Driver {
    engine: RefCell<Engine>,
    token_function: Option<Function>,
    calls: RefCell<Table<CallId, PendingCall>>,
    exchanges: RefCell<Table<ExchangeId, Exchange>>,
    timers: RefCell<Table<TimerId, Timer>>,
}

/// A running `setTimeout`: its handle, and the ticket its callback is bound to.
struct Timer {
    handle: JsValue,
    ticket: u32,
}

/// A request under way: how to abort it, and its answer as far as it was read.
struct Exchange {
    controller: AbortController,
    call: Option<CallId>,
    max_bytes: u64,
    head: Option<Head>,
    /// The body's reader, when its length was not declared.
    reader: Option<ReadableStreamDefaultReader>,
    bytes: Vec<u8>,
}

/// Where a body stands after one read.
enum Read {
    /// All of it, as text.
    Whole(String),
    /// More to come: the next `read()`.
    More(Promise),
}

/// A call's promise and what it listens to.
struct PendingCall {
    resolve: Function,
    reject: Function,
    /// The caller's signal, the listener added to it, and the listener's ticket.
    signal: Option<(AbortSignal, Function, u32)>,
    on_progress: Option<Function>,
    /// The JavaScript error behind the last failure, kept as the rejection's `cause`.
    cause: Option<JsValue>,
}

impl Driver {
    pub fn new(engine: Engine, token_function: Option<Function>) -> Rc<Driver> {
        Rc::new(Driver {
            engine: RefCell::new(engine),
            token_function,
            calls: RefCell::default(),
            exchanges: RefCell::default(),
            timers: RefCell::default(),
        })
    }

    /// Starts a call with `start` and returns its promise. A signal that has already fired
    /// rejects at once, before the engine sees the call.
    pub fn call(
        self: &Rc<Self>,
        signal: Option<AbortSignal>,
        on_progress: Option<Function>,
        start: &mut dyn FnMut(&mut Engine, f64) -> CallId,
    ) -> Promise {
        if let Some(s) = signal.as_ref().filter(|s| s.aborted()) {
            return Promise::reject(&to_js(&ClientError::Aborted, Some(s.reason())));
        }
        let (promise, settle) = callbacks::deferred();
        let Some((resolve, reject)) = settle else { return promise };
        let id = start(&mut self.engine.borrow_mut(), js::now_ms());
        let signal = signal.map(|s| {
            let (ticket, on_abort) = callbacks::callback(self, Waiting::Abort(id));
            let _ = s.add_event_listener_with_callback("abort", &on_abort);
            (s, on_abort, ticket)
        });
        self.calls.borrow_mut().insert(id, PendingCall { resolve, reject, signal, on_progress, cause: None });
        self.pump();
        promise
    }

    fn handle(self: &Rc<Self>, event: Event) {
        self.engine.borrow_mut().handle(js::now_ms(), event);
        self.pump();
    }

    /// Performs every command the engine has for now.
    fn pump(self: &Rc<Self>) {
        loop {
            let Some(command) = self.engine.borrow_mut().poll_command() else { break };
            self.perform(command);
        }
    }

    fn perform(self: &Rc<Self>, command: Command) {
        match command {
            Command::Send { exchange: id, call, request, max_response_bytes } => {
                let Ok(controller) = AbortController::new() else {
                    let message = "AbortController is not available".to_owned();
                    return self.handle(Event::Failed { exchange: id, message });
                };
                let sent = transport::send(&request, &controller.signal());
                let exchange =
                    Exchange { controller, call, max_bytes: max_response_bytes, head: None, reader: None, bytes: Vec::new() };
                self.exchanges.borrow_mut().insert(id, exchange);
                match sent {
                    Ok(answer) => callbacks::wait(self, Waiting::Fetch(id), &answer),
                    Err(failure) => self.failed(id, failure),
                }
            }
            Command::Cancel(id) => {
                if let Some(exchange) = self.exchanges.borrow_mut().remove(&id) {
                    exchange.controller.abort();
                }
            }
            Command::StartTimer { timer, ms } => {
                let (ticket, fire) = callbacks::callback(self, Waiting::Timer(timer));
                let handle = js::set_timeout(&fire, f64::from(ms));
                self.timers.borrow_mut().insert(timer, Timer { handle, ticket });
            }
            Command::StopTimer(timer) => {
                if let Some(Timer { handle, ticket }) = self.timers.borrow_mut().remove(&timer) {
                    js::clear_timeout(&handle);
                    callbacks::release(ticket);
                }
            }
            Command::ProvideToken(call) => self.provide_token(call),
            Command::Progress { call, job } => {
                let callback = self.calls.borrow().get(&call).and_then(|p| p.on_progress.clone());
                if let (Some(callback), Ok(job)) = (callback, to_value(&job)) {
                    // A throwing callback is the caller's bug; it must not break the wait.
                    let _ = callback.call1(&JsValue::UNDEFINED, &job);
                }
            }
            Command::Finish { call, outcome } => {
                let Some(pending) = self.calls.borrow_mut().remove(&call) else { return };
                if let Some((signal, on_abort, ticket)) = &pending.signal {
                    let _ = signal.remove_event_listener_with_callback("abort", on_abort);
                    callbacks::release(*ticket);
                }
                let _ = match outcome {
                    Ok(Reply::Done) => pending.resolve.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED),
                    Ok(Reply::Document { document, .. }) => match to_value(&document) {
                        Ok(value) => pending.resolve.call1(&JsValue::UNDEFINED, &value),
                        Err(_) => pending.reject.call1(&JsValue::UNDEFINED, &to_js(&reply_error(), None)),
                    },
                    Err(error) => {
                        let cause = match &error {
                            ClientError::Aborted => pending.signal.as_ref().map(|(s, _, _)| s.reason()),
                            ClientError::Network { .. } => pending.cause.clone(),
                            _ => None,
                        };
                        pending.reject.call1(&JsValue::UNDEFINED, &to_js(&error, cause))
                    }
                };
            }
        }
    }

    /// What JavaScript called back with, for what the ticket waited for.
    pub fn settled(self: &Rc<Self>, waiting: Waiting, outcome: Result<JsValue, JsValue>) {
        match waiting {
            Waiting::Fetch(id) => self.fetched(id, outcome),
            Waiting::Body(id) => self.body_read(id, outcome),
            Waiting::Token(call) => self.token_given(call, outcome),
            Waiting::Timer(timer) => {
                if self.timers.borrow_mut().remove(&timer).is_some() {
                    self.handle(Event::TimerFired(timer));
                }
            }
            Waiting::Abort(call) => self.handle(Event::Aborted(call)),
        }
    }

    /// `fetch` settled: read the head, then wait for the body.
    fn fetched(self: &Rc<Self>, id: ExchangeId, outcome: Result<JsValue, JsValue>) {
        // No entry: cancelled, the engine has moved on.
        let Some(max_bytes) = self.exchanges.borrow().get(&id).map(|e| e.max_bytes) else { return };
        let read = outcome.map_err(transport::js_failure).and_then(|answer| transport::answer(answer, max_bytes));
        let (head, body) = match read {
            Ok(read) => read,
            Err(failure) => return self.failed(id, failure),
        };
        let next = {
            let mut exchanges = self.exchanges.borrow_mut();
            let Some(exchange) = exchanges.get_mut(&id) else { return };
            exchange.head = Some(head);
            match body {
                Body::Whole(text) => text,
                Body::Chunks(reader) => {
                    let next = reader.read();
                    exchange.reader = Some(reader);
                    next
                }
            }
        };
        callbacks::wait(self, Waiting::Body(id), &next);
    }

    /// The body, or its next chunk, arrived.
    fn body_read(self: &Rc<Self>, id: ExchangeId, outcome: Result<JsValue, JsValue>) {
        let value = match outcome {
            Ok(value) => value,
            Err(error) => return self.failed(id, transport::js_failure(error)),
        };
        let step = {
            let mut exchanges = self.exchanges.borrow_mut();
            let Some(exchange) = exchanges.get_mut(&id) else { return };
            let status = exchange.head.as_ref().map_or(0, |h| h.status);
            match &exchange.reader {
                None => Ok(Read::Whole(value.as_string().unwrap_or_default())),
                Some(reader) => transport::chunk(reader, &value, &mut exchange.bytes, exchange.max_bytes, status).map(|done| {
                    if done {
                        Read::Whole(transport::decode(std::mem::take(&mut exchange.bytes)))
                    } else {
                        Read::More(reader.read())
                    }
                }),
            }
        };
        match step {
            Ok(Read::Whole(body)) => self.answered(id, body),
            Ok(Read::More(next)) => callbacks::wait(self, Waiting::Body(id), &next),
            Err(failure) => self.failed(id, failure),
        }
    }

    fn answered(self: &Rc<Self>, id: ExchangeId, body: String) {
        let Some(Exchange { head: Some(head), .. }) = self.exchanges.borrow_mut().remove(&id) else { return };
        let response =
            HttpResponse { status: head.status, retry_after: head.retry_after, www_authenticate: head.www_authenticate, body };
        self.handle(Event::Answered { exchange: id, response });
    }

    fn failed(self: &Rc<Self>, id: ExchangeId, failure: Failure) {
        let Some(exchange) = self.exchanges.borrow_mut().remove(&id) else { return };
        let event = match failure {
            Failure::TooLarge { status } => Event::TooLarge { exchange: id, status },
            Failure::Network { name, message, thrown } => {
                let mut calls = self.calls.borrow_mut();
                if let Some(pending) = exchange.call.and_then(|c| calls.get_mut(&c)) {
                    pending.cause = Some(thrown.unwrap_or_else(|| {
                        let cause = js_sys::Error::new(&message);
                        cause.set_name(&name);
                        cause.into()
                    }));
                }
                Event::Failed { exchange: id, message }
            }
        };
        self.handle(event);
    }

    /// Calls the caller's token function; whatever it throws or gives is reported as it is.
    fn provide_token(self: &Rc<Self>, call: CallId) {
        let given = match &self.token_function {
            Some(f) => f.call0(&JsValue::UNDEFINED),
            None => Err(JsValue::UNDEFINED),
        };
        let promise = match given {
            Ok(value) => Promise::resolve(&value),
            Err(thrown) => Promise::reject(&thrown),
        };
        callbacks::wait(self, Waiting::Token(call), &promise);
    }

    fn token_given(self: &Rc<Self>, call: CallId, outcome: Result<JsValue, JsValue>) {
        let token = match outcome {
            Ok(value) => value.as_string().map(Secret::new),
            Err(thrown) => {
                if let Some(p) = self.calls.borrow_mut().get_mut(&call) {
                    p.cause = (!thrown.is_undefined()).then_some(thrown);
                }
                None
            }
        };
        self.handle(Event::TokenProvided { call, token });
    }
}

/// serde-wasm-bindgen cannot fail on the models; if it ever did, the call still ends.
fn reply_error() -> ClientError {
    ClientError::Decode { status: 0, body_snippet: String::new(), message: "the answer could not be converted".into() }
}

/// The `signal` option: absent, an `AbortSignal`, or an error. Checked by what the client
/// uses of it (`aborted`, `addEventListener`), not by `instanceof`, which fails across realms.
pub fn signal_option(options: &JsValue) -> Result<Option<AbortSignal>, ()> {
    let signal = prop(options, "signal");
    if js::is_nullish(&signal) {
        return Ok(None);
    }
    let usable = prop(&signal, "aborted").as_bool().is_some()
        && prop(&signal, "addEventListener").is_function()
        && prop(&signal, "removeEventListener").is_function();
    if usable {
        Ok(Some(signal.unchecked_into()))
    } else {
        Err(())
    }
}
