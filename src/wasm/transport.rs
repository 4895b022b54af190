//! One HTTP exchange: the request the engine built, sent with the global `fetch(url, init)`
//! (web-sys's `RequestInit` and `Headers`), and the answer read through gloo-net's
//! `Response` up to a size limit. The engine decides timeouts and retries; this only sends
//! and reads.

use gloo_net::http::Response;
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, RequestRedirect};

use super::constant::constant;
use crate::client::{HttpRequest, HttpResponse};

// web-sys's `Headers` seen with names as JavaScript strings: the header names are the
// crate's constants, made once (`constant`), instead of decoded out of wasm memory on
// every call (bench/README.md, "Client CPU").
#[wasm_bindgen]
extern "C" {
    // The global `fetch`, bound as gloo-net binds it, but with `(url, init)` and `catch`.
    // gloo-net's `Request::send` is not used: it panics (killing the wasm instance, and a
    // Node process with it) when `fetch` answers with anything but a `Response`, as a
    // test's stub may, and it can only send a `Request` object, which in Node costs about
    // 25 µs of CPU per call to build with a signal (bench/README.md, "Client CPU").
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;

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
    /// The request failed; gloo-net's description of the JavaScript error.
    Network { name: String, message: String },
}

/// Sends `request` with `signal` (an internal controller's, aborted without a reason: see
/// DESIGN.md on gloo-net and non-Error rejections) and reads at most `max_bytes` of body.
pub async fn exchange(request: &HttpRequest, signal: &AbortSignal, max_bytes: u64) -> Result<HttpResponse, Failure> {
    // web-sys builds the request (gloo-net's builder re-parses the URL and its query,
    // which the engine already made); gloo-net sends it.
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
    let answer = JsFuture::from(Promise::resolve(&sent)).await.map_err(js_failure)?;
    let raw = match answer.dyn_into::<web_sys::Response>() {
        Ok(raw) => raw,
        Err(_) => {
            let message = "fetch answered with something that is not a Response".to_owned();
            return Err(Failure::Network { name: "TypeError".into(), message });
        }
    };
    // `Clone::clone`: `raw.clone()` would be `Response.prototype.clone`, which tees the body.
    let response = Response::from(Clone::clone(&raw));
    let status = response.status();
    let headers: NamedHeaders = response.headers().into_raw().unchecked_into();
    let header = |name| headers.get(&constant(name)).ok().flatten();
    let declared = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let body = match declared {
        Some(length) if length > max_bytes => {
            cancel_body(&response);
            return Err(Failure::TooLarge { status });
        }
        // The length is known and allowed: the body is read whole by the runtime.
        Some(_) => read_text(&raw).await?,
        None => read_limited(&response, max_bytes).await?,
    };
    Ok(HttpResponse {
        status,
        retry_after: header("retry-after"),
        www_authenticate: header("www-authenticate"),
        body,
    })
}

/// The whole body as text, through web-sys: gloo-net's `Response::text` reaches
/// `unreachable!` (killing the instance) when the body fails with a value that is not an
/// `Error`, as a stream errored with a string does.
async fn read_text(response: &web_sys::Response) -> Result<String, Failure> {
    let promise = response.text().map_err(js_failure)?;
    let text = JsFuture::from(promise).await.map_err(js_failure)?;
    Ok(text.as_string().unwrap_or_default())
}

fn cancel_body(response: &Response) {
    if let Some(stream) = response.body() {
        let _ = stream.cancel();
    }
}

/// Reads a body of unknown length chunk by chunk, stopping (and cancelling the stream) as
/// soon as it passes `max_bytes`, so a huge answer is never held whole.
async fn read_limited(response: &Response, max_bytes: u64) -> Result<String, Failure> {
    let status = response.status();
    let Some(stream) = response.body() else { return Ok(String::new()) };
    if stream.locked() {
        // `getReader` would throw: the body was read before it reached the client.
        return Err(Failure::Network { name: "TypeError".into(), message: "the body was already read".into() });
    }
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(js_failure)?;
        if Reflect::get(&chunk, &constant("done")).is_ok_and(|d| d.is_truthy()) {
            break;
        }
        let value = Reflect::get(&chunk, &constant("value")).unwrap_or(JsValue::UNDEFINED);
        let part: Uint8Array = value.unchecked_into();
        if bytes.len() as u64 + u64::from(part.length()) > max_bytes {
            let _ = reader.cancel();
            return Err(Failure::TooLarge { status });
        }
        let start = bytes.len();
        bytes.resize(start + part.length() as usize, 0);
        part.copy_to(&mut bytes[start..]);
    }
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A rejection of a stream read: whatever it is, only its name and message are kept.
fn js_failure(error: JsValue) -> Failure {
    let text = |key| Reflect::get(&error, &constant(key)).ok().and_then(|v| v.as_string());
    Failure::Network {
        name: text("name").unwrap_or_else(|| "Error".into()),
        message: text("message").or_else(|| error.as_string()).unwrap_or_else(|| "the body could not be read".into()),
    }
}
