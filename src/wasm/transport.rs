//! One HTTP exchange, step by step: the request the engine built, sent with the global
//! `fetch(url, init)` (web-sys's `RequestInit` and `Headers`), and the answer read through
//! gloo-net's `Response` and web-sys's body reader up to a size limit. Each step returns
//! the promise the driver waits on next; the engine decides timeouts and retries.

use gloo_net::http::Response;
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, RequestRedirect};

use super::constant::constant;
use crate::client::HttpRequest;

#[wasm_bindgen]
extern "C" {
    // The global `fetch`, bound as gloo-net binds it, but with `(url, init)` and `catch`.
    // gloo-net's `Request::send` is not used: it panics (killing the wasm instance, and a
    // Node process with it) when `fetch` answers with anything but a `Response`, as a
    // test's stub may, and it can only send a `Request` object, which in Node costs about
    // 29 µs of CPU per call to build with a signal (bench/README.md, "Client CPU per call").
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;

    // web-sys's `Headers` seen with names as JavaScript strings: the header names are the
    // crate's constants, made once (`constant`), instead of decoded out of wasm memory on
    // every call (bench/README.md, "Client CPU").
    #[wasm_bindgen(js_name = Headers)]
    type NamedHeaders;

    #[wasm_bindgen(method, catch, js_name = get)]
    fn get(this: &NamedHeaders, name: &JsValue) -> Result<Option<String>, JsValue>;

    #[wasm_bindgen(method, catch, js_name = set)]
    fn set(this: &NamedHeaders, name: &JsValue, value: &str) -> Result<(), JsValue>;
}

/// Why no whole answer came back.
pub enum Failure {
    /// The body is larger than the limit; `status` is the answer's.
    TooLarge { status: u16 },
    /// The request failed: the name and message of the JavaScript error, and the value
    /// thrown or rejected with, when there was one (the error's `cause`).
    Network { name: String, message: String, thrown: Option<JsValue> },
}

impl Failure {
    /// A failure the transport found itself, with nothing thrown.
    fn type_error(message: &str) -> Failure {
        Failure::Network { name: "TypeError".into(), message: message.into(), thrown: None }
    }
}

/// What the answer said before its body.
pub struct Head {
    pub status: u16,
    pub retry_after: Option<String>,
    pub www_authenticate: Option<String>,
}

/// How the body is read.
pub enum Body {
    /// Its length is known and allowed: read whole by the runtime (`text()`).
    Whole(Promise),
    /// Its length is unknown: read chunk by chunk with this reader.
    Chunks(ReadableStreamDefaultReader),
}

/// Sends `request` with `signal` (an internal controller's, aborted without a reason: see
/// DESIGN.md on non-Error rejections); the promise settles with what `fetch` answered.
pub fn send(request: &HttpRequest, signal: &AbortSignal) -> Result<Promise, Failure> {
    let init = RequestInit::new();
    // A plain dictionary: the method set as a constant string too.
    let _ = Reflect::set(&init, &constant("method"), &constant(request.method.as_str()));
    init.set_signal(Some(signal));
    // A redirect could carry the Authorization header to another origin: refuse it.
    init.set_redirect(RequestRedirect::Error);
    init.set_credentials(RequestCredentials::Omit);
    let headers = Headers::new().map_err(js_failure)?;
    for (name, value) in &request.headers {
        headers.unchecked_ref::<NamedHeaders>().set(&constant(name), value).map_err(js_failure)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let sent = fetch_with_init(&request.url, &init).map_err(js_failure)?;
    // `Promise.resolve`, so a stub that answers without a promise is read all the same.
    Ok(Promise::resolve(&sent))
}

/// Reads the head of what `fetch` answered, and starts reading its body, at most
/// `max_bytes` of it.
pub fn answer(answer: JsValue, max_bytes: u64) -> Result<(Head, Body), Failure> {
    let raw = answer
        .dyn_into::<web_sys::Response>()
        .map_err(|_| Failure::type_error("fetch answered with something that is not a Response"))?;
    let response = Response::from(raw);
    let headers: NamedHeaders = response.headers().into_raw().unchecked_into();
    let header = |name| headers.get(&constant(name)).ok().flatten();
    let head = Head {
        status: response.status(),
        retry_after: header("retry-after"),
        www_authenticate: header("www-authenticate"),
    };
    let declared = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let raw: web_sys::Response = response.into();
    match declared {
        Some(length) if length > max_bytes => {
            if let Some(stream) = raw.body() {
                let _ = stream.cancel();
            }
            Err(Failure::TooLarge { status: head.status })
        }
        // gloo-net's `Response::text` is not used: it reaches `unreachable!` (killing the
        // instance) when the body fails with a value that is not an `Error`, as a stream
        // errored with a string does.
        Some(_) => Ok((head, Body::Whole(raw.text().map_err(js_failure)?))),
        None => match raw.body() {
            None => Ok((head, Body::Whole(Promise::resolve(&JsValue::from_str(""))))),
            // `getReader` would throw: the body was read before it reached the client.
            Some(stream) if stream.locked() => {
                Err(Failure::type_error("the body was already read"))
            }
            Some(stream) => Ok((head, Body::Chunks(stream.get_reader().unchecked_into()))),
        },
    }
}

/// One result of `reader.read()` added to `bytes`: `Ok(true)` when the body is complete,
/// `Ok(false)` when more is to be read, `TooLarge` (the stream cancelled) past `max_bytes`.
pub fn chunk(
    reader: &ReadableStreamDefaultReader,
    result: &JsValue,
    bytes: &mut Vec<u8>,
    max_bytes: u64,
    status: u16,
) -> Result<bool, Failure> {
    if Reflect::get(result, &constant("done")).is_ok_and(|d| d.is_truthy()) {
        return Ok(true);
    }
    let value = Reflect::get(result, &constant("value")).unwrap_or(JsValue::UNDEFINED);
    let Some(part) = value.dyn_ref::<Uint8Array>() else {
        let _ = reader.cancel();
        return Err(Failure::type_error("the body gave something that is not bytes"));
    };
    if bytes.len() as u64 + u64::from(part.length()) > max_bytes {
        let _ = reader.cancel();
        return Err(Failure::TooLarge { status });
    }
    let start = bytes.len();
    bytes.resize(start + part.length() as usize, 0);
    part.copy_to(&mut bytes[start..]);
    Ok(false)
}

/// A body read chunk by chunk, as text.
pub fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A thrown or rejected JavaScript value: its name and message for the engine, and the
/// value itself for the rejection's `cause` (undici's `TypeError: fetch failed` holds the
/// system error, `ECONNREFUSED` and the like, as its own `cause`).
pub fn js_failure(error: JsValue) -> Failure {
    let text = |key| Reflect::get(&error, &constant(key)).ok().and_then(|v| v.as_string());
    Failure::Network {
        name: text("name").unwrap_or_else(|| "Error".into()),
        message: text("message").or_else(|| error.as_string()).unwrap_or_else(|| "the body could not be read".into()),
        thrown: Some(error),
    }
}
