//! One HTTP exchange over the global `fetch`, with a per-attempt timeout and the caller's
//! `AbortSignal`. Whatever the signal's reason is (an Error, a string, anything), it is only
//! carried, never interpreted, so no abort can trap the module.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::constant::constant;
use super::js::{self, AbortController, AbortSignal, Response};
use super::timer::once;
use crate::client::HttpRequest;

/// What came back.
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    /// The same body as the JavaScript string `text()` gave, to parse without a copy back.
    pub body_js: JsValue,
    pub retry_after: Option<String>,
    pub www_authenticate: Option<String>,
}

/// Why no response came back.
pub enum Failure {
    /// `fetch` rejected: its error, to keep as `cause`.
    Network(JsValue),
    /// The attempt's timer fired first.
    Timeout,
    /// The caller aborted: the signal's reason.
    Aborted(JsValue),
}

/// Sends `request` with an optional `Authorization` value.
pub async fn send(
    request: &HttpRequest,
    authorization: Option<&str>,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<RawResponse, Failure> {
    if let Some(s) = signal.filter(|s| s.aborted()) {
        return Err(Failure::Aborted(s.reason()));
    }
    let controller = Rc::new(AbortController::new());
    let timed_out = Rc::new(Cell::new(false));
    // The timer's closure is owned here and dropped after `clearTimeout`: a `once_into_js`
    // closure is freed only when it runs, so every request that beat its timeout leaked it.
    let fire = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = js::set_timeout(fire.as_ref().unchecked_ref(), f64::from(timeout_ms));
    let forward = signal.map(|s| {
        let controller = controller.clone();
        let on_abort = Closure::<dyn FnMut()>::new(move || controller.abort());
        s.add_event_listener("abort", on_abort.as_ref().unchecked_ref(), &once());
        on_abort
    });

    let result = exchange(request, authorization, &controller.signal()).await;

    js::clear_timeout(&timer);
    drop(fire);
    if let (Some(s), Some(on_abort)) = (signal, forward) {
        s.remove_event_listener("abort", on_abort.as_ref().unchecked_ref());
    }
    result.map_err(|error| match signal {
        Some(s) if s.aborted() => Failure::Aborted(s.reason()),
        _ if timed_out.get() => Failure::Timeout,
        _ => Failure::Network(error),
    })
}

async fn exchange(request: &HttpRequest, authorization: Option<&str>, signal: &AbortSignal) -> Result<RawResponse, JsValue> {
    let headers = Object::new();
    for (name, value) in &request.headers {
        let value = if matches!(*name, "accept" | "content-type") { js::media_type(value) } else { JsValue::from_str(value) };
        js::set(&headers, name, &value);
    }
    if let Some(value) = authorization {
        js::set(&headers, "authorization", &JsValue::from_str(value));
    }
    let init = Object::new();
    js::set(&init, "method", &constant(request.method.as_str()));
    js::set(&init, "headers", &headers);
    if let Some(body) = &request.body {
        js::set(&init, "body", &JsValue::from_str(body));
    }
    js::set(&init, "signal", signal);
    // A redirect could carry the Authorization header to another origin: refuse it.
    js::set(&init, "redirect", &constant("error"));
    js::set(&init, "credentials", &constant("omit"));

    let response: Response = JsFuture::from(js::fetch(&request.url, &init)).await?.unchecked_into();
    let headers = response.headers();
    let text: Promise = response.text()?;
    let body_js = JsFuture::from(text).await?;
    Ok(RawResponse {
        status: response.status(),
        body: body_js.as_string().unwrap_or_default(),
        body_js,
        retry_after: headers.get(&constant("retry-after")),
        www_authenticate: headers.get(&constant("www-authenticate")),
    })
}
