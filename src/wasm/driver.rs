//! Performs the engine's commands in JavaScript: requests with gloo-net, timers with the
//! global `setTimeout`, the caller's token function, `onProgress`, and the promises of the
//! calls. It decides nothing: every event goes back to the engine, which says what is next.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, AbortSignal};

use super::errors::{to_js, to_value};
use super::js::{self, prop};
use super::transport::{exchange, Failure};
use crate::client::table::Table;
use crate::client::{CallId, ClientError, Command, Engine, Event, ExchangeId, Reply, TimerId};
use crate::model::Secret;

/// The engine of one client and what is under way for it in JavaScript.
pub struct Driver {
    engine: RefCell<Engine>,
    token_function: Option<Function>,
    calls: RefCell<Table<CallId, PendingCall>>,
    exchanges: RefCell<Table<ExchangeId, AbortController>>,
    timers: RefCell<Table<TimerId, Timer>>,
}

/// A running `setTimeout`: its handle, and the closure it calls (kept alive until then).
type Timer = (JsValue, Closure<dyn FnMut()>);

/// A call's promise and what it listens to.
struct PendingCall {
    resolve: Function,
    reject: Function,
    signal: Option<(AbortSignal, Closure<dyn FnMut()>)>,
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
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        let Some((resolve, reject)) = settle else { return promise };
        let id = start(&mut self.engine.borrow_mut(), js::now_ms());
        let signal = signal.map(|s| {
            let driver = Rc::clone(self);
            let on_abort = Closure::<dyn FnMut()>::new(move || driver.handle(Event::Aborted(id)));
            let _ = s.add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
            (s, on_abort)
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
                let controller = match AbortController::new() {
                    Ok(c) => c,
                    Err(_) => {
                        let message = "AbortController is not available".to_owned();
                        return self.handle(Event::Failed { exchange: id, message });
                    }
                };
                let signal = controller.signal();
                self.exchanges.borrow_mut().insert(id, controller);
                let driver = Rc::clone(self);
                spawn_local(async move {
                    let outcome = exchange(&request, &signal, max_response_bytes).await;
                    if driver.exchanges.borrow_mut().remove(&id).is_none() {
                        return; // cancelled: the engine has moved on
                    }
                    let event = match outcome {
                        Ok(response) => Event::Answered { exchange: id, response },
                        Err(Failure::TooLarge { status }) => Event::TooLarge { exchange: id, status },
                        Err(Failure::Network { name, message }) => {
                            let mut calls = driver.calls.borrow_mut();
                            if let Some(pending) = call.and_then(|c| calls.get_mut(&c)) {
                                let cause = js_sys::Error::new(&message);
                                cause.set_name(&name);
                                pending.cause = Some(cause.into());
                            }
                            Event::Failed { exchange: id, message }
                        }
                    };
                    driver.handle(event);
                });
            }
            Command::Cancel(id) => {
                if let Some(controller) = self.exchanges.borrow_mut().remove(&id) {
                    controller.abort();
                }
            }
            Command::StartTimer { timer, ms } => {
                let driver = Rc::clone(self);
                let fire = Closure::<dyn FnMut()>::new(move || {
                    // Dropped on the next turn: a closure must not free itself while running.
                    if let Some(entry) = driver.timers.borrow_mut().remove(&timer) {
                        spawn_local(async move { drop(entry) });
                    }
                    driver.handle(Event::TimerFired(timer));
                });
                let handle = js::set_timeout(fire.as_ref().unchecked_ref(), f64::from(ms));
                self.timers.borrow_mut().insert(timer, (handle, fire));
            }
            Command::StopTimer(timer) => {
                if let Some((handle, _fire)) = self.timers.borrow_mut().remove(&timer) {
                    js::clear_timeout(&handle);
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
                if let Some((signal, on_abort)) = &pending.signal {
                    let _ = signal.remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
                }
                let _ = match outcome {
                    Ok(Reply::Done) => pending.resolve.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED),
                    Ok(Reply::Document { document, .. }) => match to_value(&document) {
                        Ok(value) => pending.resolve.call1(&JsValue::UNDEFINED, &value),
                        Err(_) => pending.reject.call1(&JsValue::UNDEFINED, &to_js(&reply_error(), None)),
                    },
                    Err(error) => {
                        let cause = match &error {
                            ClientError::Aborted => pending.signal.as_ref().map(|(s, _)| s.reason()),
                            ClientError::Network { .. } => pending.cause.clone(),
                            _ => None,
                        };
                        pending.reject.call1(&JsValue::UNDEFINED, &to_js(&error, cause))
                    }
                };
            }
        }
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
        let driver = Rc::clone(self);
        spawn_local(async move {
            let token = match JsFuture::from(promise).await {
                Ok(value) => value.as_string().map(Secret::new),
                Err(thrown) => {
                    if let Some(p) = driver.calls.borrow_mut().get_mut(&call) {
                        p.cause = (!thrown.is_undefined()).then_some(thrown);
                    }
                    None
                }
            };
            driver.handle(Event::TokenProvided { call, token });
        });
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
