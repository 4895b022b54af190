//! The client's transport as wasm, in Node by default and in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1`: the global `fetch` is replaced by a function that answers
//! with real `Response` objects (or never), so the tests need no server.
#![cfg(all(target_arch = "wasm32", feature = "wasm-client"))]

use atlas_ldap::wasm::client::AtlasClient;
use atlas_ldap::wasm::validators::validate_group_id;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Runs JavaScript source as a function body.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::UNDEFINED).expect("the test's JavaScript runs")
}

/// Installs a `fetch` stub from JavaScript source (a function of the `Request` that
/// `fetch(input, init)` makes first, as the real one does), keeping a log of the requests
/// in `globalThis.__fetchLog`.
fn stub_fetch(handler: &str) {
    js(&format!(
        "globalThis.__realFetch ??= globalThis.fetch; globalThis.__fetchLog = [];
         const handler = {handler};
         globalThis.fetch = (input, init) => {{
           const request = new Request(input, init);
           globalThis.__fetchLog.push({{ url: request.url, authorization: request.headers.get('authorization') }});
           return handler(request);
         }};"
    ));
}

/// Whether the module still answers: a validator, then a call over a plain stub.
async fn still_works() {
    assert_eq!(get(&validate_group_id(GROUP.into(), JsValue::UNDEFINED), "ok"), JsValue::TRUE);
    stub_fetch("() => Promise.resolve(new Response('{}', { status: 200 }))");
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't' }");
    let answer = settle(c.get_user_security(GROUP.into(), JsValue::UNDEFINED)).await.expect("a later call works");
    assert!(answer.is_object());
}

/// The error a call over a stub `fetch` (JavaScript source of the whole function) ends with.
async fn network_error_of(fetch: &str) -> JsValue {
    js(&format!("globalThis.__realFetch ??= globalThis.fetch; globalThis.fetch = {fetch};"));
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't', maxRetries: 0 }");
    settle(c.get_user_security(GROUP.into(), JsValue::UNDEFINED)).await.expect_err("a network error")
}

#[wasm_bindgen_test]
async fn a_fetch_that_answers_with_something_else_than_a_response_is_a_network_error() {
    // gloo-net's `send` panicked here (`fetch returned …, not Response`), which killed the
    // module, and in Node the process: a test double of fetch often answers a plain object.
    let error = network_error_of("async () => ({ ok: true, status: 200, json: async () => ({}) })").await;
    assert_eq!(get(&error, "name"), "AtlasNetworkError");
    assert!(get(&error, "message").as_string().unwrap().contains("not a Response"));
    still_works().await;
}

#[wasm_bindgen_test]
async fn a_body_that_fails_with_a_string_is_a_network_error() {
    // gloo-net's `Response::text` reached `unreachable!` on a rejection that is not an Error.
    for headers in ["{ 'content-length': '5' }", "{}"] {
        let error = network_error_of(&format!(
            "async () => new Response(new ReadableStream({{ start(c) {{ c.error('boom'); }} }}), {{ headers: {headers} }})"
        ))
        .await;
        // Node passes the stream's reason on ("boom"); Chromium says "Failed to fetch".
        assert_eq!(get(&error, "name"), "AtlasNetworkError", "{:?}", get(&error, "message"));
    }
    still_works().await;
}

#[wasm_bindgen_test]
async fn a_fetch_that_throws_or_rejects_with_a_string_is_a_network_error() {
    for fetch in ["() => { throw 'sync'; }", "async () => { throw 'async'; }", "undefined"] {
        let error = network_error_of(fetch).await;
        assert_eq!(get(&error, "name"), "AtlasNetworkError", "{fetch}");
    }
    still_works().await;
}

#[wasm_bindgen_test]
async fn a_body_already_read_is_a_network_error() {
    let error = network_error_of(
        "(() => { const used = new Response('{}'); used.text(); return async () => used; })()",
    )
    .await;
    assert_eq!(get(&error, "name"), "AtlasNetworkError");
    still_works().await;
}

fn fetch_log() -> js_sys::Array {
    js("return globalThis.__fetchLog").unchecked_into()
}

fn client(options: &str) -> AtlasClient {
    let options = js(&format!("return {options}"));
    AtlasClient::new(options).unwrap_or_else(|e| panic!("client: {:?}", get(&e, "message")))
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
async fn an_abort_with_a_string_reason_rejects_and_the_module_lives_on() {
    // A fetch that answers only by rejecting with the signal's reason once aborted, as real
    // fetch does: `fetch` only ever sees the internal controller's signal.
    stub_fetch("(r) => new Promise((_, reject) => r.signal.addEventListener('abort', () => reject(r.signal.reason)))");
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't' }");
    let controller = js("return new AbortController()");
    let options = Object::new();
    Reflect::set(&options, &"signal".into(), &get(&controller, "signal")).unwrap();
    let call = c.get_user_security(GROUP.into(), options.into());
    let abort: Function = get(&controller, "abort").unchecked_into();
    abort.call1(&controller, &"stop, a string".into()).unwrap();
    let error = settle(call).await.expect_err("aborted");
    assert_eq!(get(&error, "name"), "AbortError");
    assert_eq!(get(&error, "cause"), "stop, a string");
    still_works().await;
}

#[wasm_bindgen_test]
async fn an_attempt_that_never_answers_times_out() {
    stub_fetch("() => new Promise(() => {})");
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't', timeoutMs: 50, maxRetries: 0 }");
    let error = settle(c.get_user_security(GROUP.into(), JsValue::UNDEFINED)).await.expect_err("timed out");
    assert_eq!(get(&error, "name"), "AtlasTimeoutError");
    assert_eq!(get(&error, "timeoutMs"), 50);
}

#[wasm_bindgen_test]
async fn a_401_renews_the_service_account_token_once() {
    stub_fetch(
        "(() => { let issued = 0; return (r) => {
           if (r.url.endsWith('/api/oauth/token')) {
             issued += 1;
             return Promise.resolve(new Response(JSON.stringify({ access_token: 'tok' + issued, expires_in: 3600 }), { status: 200 }));
           }
           const ok = r.headers.get('authorization') === 'Bearer tok2';
           return Promise.resolve(new Response(ok ? '{\"ldap\":{\"port\":636}}' : '{\"error\":401,\"errorCode\":\"UNAUTHORIZED\"}', { status: ok ? 200 : 401 }));
         }; })()",
    );
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', serviceAccount: { clientId: 'id', clientSecret: 'secret' } }");
    let answer = settle(c.get_user_security(GROUP.into(), JsValue::UNDEFINED)).await.expect("renewed");
    assert_eq!(get(&get(&answer, "ldap"), "port"), 636);
    let urls: Vec<String> = fetch_log().iter().map(|e| get(&e, "url").as_string().unwrap()).collect();
    assert_eq!(urls.iter().filter(|u| u.ends_with("/api/oauth/token")).count(), 2, "{urls:?}");
    assert_eq!(urls.len(), 4, "token, refused call, token, call: {urls:?}");
}

#[wasm_bindgen_test]
async fn a_signal_that_is_not_an_abort_signal_is_a_validation_error() {
    stub_fetch("() => Promise.resolve(new Response('{}'))");
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't' }");
    let options = js("return { signal: { aborted: false } }");
    let error = settle(c.get_user_security(GROUP.into(), options)).await.expect_err("refused");
    assert_eq!(get(&error, "name"), "AtlasValidationError");
    let issue = js_sys::Array::from(&get(&error, "issues")).get(0);
    assert_eq!((get(&issue, "path"), get(&issue, "code")), ("signal".into(), "type".into()));
    assert_eq!(fetch_log().length(), 0, "nothing sent");
}

#[wasm_bindgen_test]
async fn a_non_string_id_is_a_type_issue() {
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't' }");
    let error = settle(c.get_user_security(JsValue::from(42), JsValue::UNDEFINED)).await.expect_err("refused");
    let issue = js_sys::Array::from(&get(&error, "issues")).get(0);
    assert_eq!((get(&issue, "path"), get(&issue, "code")), ("groupId".into(), "type".into()));
}

#[wasm_bindgen_test]
async fn an_answer_larger_than_the_limit_is_a_decode_error() {
    // A body of unknown length (a stream), read until it passes the limit.
    stub_fetch(
        "() => Promise.resolve(new Response(new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(4096).fill(32)); } }), { status: 200 }))",
    );
    let c = client("{ baseUrl: 'https://cloud.mongodb.com', accessToken: 't', maxResponseBytes: 10000 }");
    let error = settle(c.get_user_security(GROUP.into(), JsValue::UNDEFINED)).await.expect_err("too large");
    assert_eq!(get(&error, "name"), "AtlasDecodeError");
}
