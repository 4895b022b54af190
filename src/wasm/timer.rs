//! Waiting on timers and promises while honouring the caller's `AbortSignal`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::js::{self, AbortSignal};

/// Why a wait ended early.
pub enum Interrupted {
    /// The caller's signal fired; its reason, whatever type it is.
    Aborted(JsValue),
    /// The awaited promise rejected.
    Rejected(JsValue),
}

/// Awaits `promise`, or stops as soon as `signal` aborts.
pub async fn abortable(promise: Promise, signal: Option<&AbortSignal>) -> Result<JsValue, Interrupted> {
    let Some(signal) = signal else {
        return JsFuture::from(promise).await.map_err(Interrupted::Rejected);
    };
    if signal.aborted() {
        return Err(Interrupted::Aborted(signal.reason()));
    }
    let listener: Rc<RefCell<Option<Closure<dyn FnMut()>>>> = Rc::default();
    let on_abort = Promise::new(&mut |_resolve, reject: Function| {
        let s = signal.clone();
        let close = Closure::<dyn FnMut()>::new(move || {
            let _ = reject.call1(&JsValue::UNDEFINED, &s.reason());
        });
        signal.add_event_listener("abort", close.as_ref().unchecked_ref(), &once());
        *listener.borrow_mut() = Some(close);
    });
    let race = Promise::race(&Array::of2(&promise, &on_abort));
    let result = JsFuture::from(race).await;
    if let Some(close) = listener.borrow_mut().take() {
        signal.remove_event_listener("abort", close.as_ref().unchecked_ref());
    }
    result.map_err(|e| if signal.aborted() { Interrupted::Aborted(signal.reason()) } else { Interrupted::Rejected(e) })
}

/// Waits `ms` milliseconds, or less if `signal` aborts (then `Err(reason)`).
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    let timer_id: Rc<RefCell<JsValue>> = Rc::default();
    let timer = Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        *timer_id.borrow_mut() = js::set_timeout(done.unchecked_ref(), f64::from(ms));
    });
    let result = abortable(timer, signal).await;
    js::clear_timeout(&timer_id.borrow());
    match result {
        Ok(_) => Ok(()),
        Err(Interrupted::Aborted(reason) | Interrupted::Rejected(reason)) => Err(reason),
    }
}

/// `{ once: true }` for addEventListener.
pub fn once() -> JsValue {
    let o = js_sys::Object::new();
    js::set(&o, "once", &JsValue::TRUE);
    o.into()
}
