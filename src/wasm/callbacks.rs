//! How JavaScript calls the client back. Every promise the driver waits on (a fetch, a body,
//! a token), every timer and every abort listener calls one of two closures made once per
//! module instance, bound (`Function.prototype.bind`) to a ticket that says which driver
//! waits for what. Making wasm-bindgen closures and futures for every call cost about
//! 18 µs of CPU per GET in Node (bench/README.md, "Client CPU per call"); binding a
//! closure that already exists is one native call.
//!
//! A ticket holds its driver, so a client whose calls are still under way lives until they
//! end, even if the program has dropped it. The closures are never freed: a late callback
//! (the rejection of a cancelled fetch) always finds them.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::driver::Driver;
use crate::client::{CallId, ExchangeId, TimerId};

/// What a ticket waits for.
#[derive(Clone, Copy)]
pub enum Waiting {
    /// The `fetch` promise of an exchange.
    Fetch(ExchangeId),
    /// The body of an exchange: `text()`, or the next `read()` of its reader.
    Body(ExchangeId),
    /// The caller's token function.
    Token(CallId),
    /// A timer.
    Timer(TimerId),
    /// The caller's signal.
    Abort(CallId),
}

struct Ticket {
    driver: Rc<Driver>,
    waiting: Waiting,
}

/// Tickets by number; freed numbers are reused (a ticket is freed only when nothing in
/// JavaScript can call back with it any more).
#[derive(Default)]
struct Tickets {
    slots: Vec<Option<Ticket>>,
    free: Vec<u32>,
}

struct Callbacks {
    /// Called with `(ticket, value)`: a promise fulfilled, a timer fired, a signal aborted.
    done: Closure<dyn Fn(u32, JsValue)>,
    /// Called with `(ticket, reason)`: a promise rejected.
    failed: Closure<dyn Fn(u32, JsValue)>,
    /// The executor of the calls' promises: keeps their `resolve` and `reject` in `SETTLE`.
    executor: Closure<dyn Fn(Function, Function)>,
}

thread_local! {
    static TICKETS: RefCell<Tickets> = RefCell::default();
    static SETTLE: RefCell<Option<(Function, Function)>> = const { RefCell::new(None) };
    // `Fn`, not `FnMut`: a caller's `onProgress` or token function may abort its signal,
    // which calls back while a callback runs, and wasm-bindgen refuses to re-enter `FnMut`.
    static CALLBACKS: Callbacks = Callbacks {
        done: Closure::new(|ticket, value| settle(ticket, Ok(value))),
        failed: Closure::new(|ticket, reason| settle(ticket, Err(reason))),
        executor: Closure::new(|resolve, reject| SETTLE.set(Some((resolve, reject)))),
    };
}

#[wasm_bindgen]
extern "C" {
    /// A promise, seen by the one method used of it.
    type Thenable;

    #[wasm_bindgen(method)]
    fn then(this: &Thenable, done: &Function, failed: &Function);

    /// One of the two callbacks, seen by the one method used of it.
    type Bindable;

    #[wasm_bindgen(method)]
    fn bind(this: &Bindable, context: &JsValue, ticket: u32) -> Function;

    #[wasm_bindgen(js_name = Promise)]
    type PromiseConstructor;

    #[wasm_bindgen(constructor, js_class = "Promise")]
    fn new(executor: &Function) -> PromiseConstructor;
}

fn settle(ticket: u32, outcome: Result<JsValue, JsValue>) {
    let taken = TICKETS.with_borrow_mut(|t| {
        let taken = t.slots.get_mut(ticket as usize).and_then(Option::take);
        if taken.is_some() {
            t.free.push(ticket);
        }
        taken
    });
    if let Some(Ticket { driver, waiting }) = taken {
        driver.settled(waiting, outcome);
    }
}

fn issue(driver: &Rc<Driver>, waiting: Waiting) -> u32 {
    let ticket = Ticket { driver: Rc::clone(driver), waiting };
    TICKETS.with_borrow_mut(|t| match t.free.pop() {
        Some(n) => {
            t.slots[n as usize] = Some(ticket);
            n
        }
        None => {
            t.slots.push(Some(ticket));
            (t.slots.len() - 1) as u32
        }
    })
}

fn bound(closure: &Closure<dyn Fn(u32, JsValue)>, ticket: u32) -> Function {
    closure.as_ref().unchecked_ref::<Bindable>().bind(&JsValue::NULL, ticket)
}

/// Calls `driver.settled(waiting, …)` when `promise` settles.
pub fn wait(driver: &Rc<Driver>, waiting: Waiting, promise: &Promise) {
    let ticket = issue(driver, waiting);
    CALLBACKS.with(|c| {
        promise.unchecked_ref::<Thenable>().then(&bound(&c.done, ticket), &bound(&c.failed, ticket));
    });
}

/// A function that calls `driver.settled(waiting, Ok(its argument))` once, for a timer or
/// a listener; its ticket must be given back with [`release`] if it is never called.
pub fn callback(driver: &Rc<Driver>, waiting: Waiting) -> (u32, Function) {
    let ticket = issue(driver, waiting);
    (ticket, CALLBACKS.with(|c| bound(&c.done, ticket)))
}

/// Frees the ticket of a [`callback`] that can no longer be called (its timer cleared,
/// its listener removed). A ticket already used is left alone.
pub fn release(ticket: u32) {
    TICKETS.with_borrow_mut(|t| {
        if t.slots.get_mut(ticket as usize).and_then(Option::take).is_some() {
            t.free.push(ticket);
        }
    });
}

/// A new promise with its `resolve` and `reject` (`None` only if a replaced global
/// `Promise` did not call its executor at once).
pub fn deferred() -> (Promise, Option<(Function, Function)>) {
    SETTLE.set(None);
    let promise = CALLBACKS.with(|c| PromiseConstructor::new(c.executor.as_ref().unchecked_ref()));
    (promise.unchecked_into(), SETTLE.take())
}
