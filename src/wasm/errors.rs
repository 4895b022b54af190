//! Client errors as JavaScript `Error`s: `name` says which, extra fields say what, and the
//! exported type guards check `name` so they work across the Node and browser builds.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::convert::validation;
use super::js::{prop, set};
use crate::client::ClientError;
use crate::validate::Validation;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &'static str = r#"
/** Atlas answered with an error status (a 4xx or 5xx), with its error document's fields. */
export interface AtlasApiError extends Error, ApiError {
  name: "AtlasApiError";
  /** HTTP status, e.g. 404 (the envelope's, with `envelope: true`). */
  status: number;
}
/** An id, body or option failed validation; nothing was sent. */
export interface AtlasValidationError extends Error { name: "AtlasValidationError"; issues: FieldIssue[] }
/** The request did not complete (DNS, connection, TLS, CORS, a dropped connection). */
export interface AtlasNetworkError extends Error { name: "AtlasNetworkError"; cause: unknown }
/** An attempt (or a wait) took longer than its timeout. */
export interface AtlasTimeoutError extends Error { name: "AtlasTimeoutError"; timeoutMs: number }
/** The caller's AbortSignal fired; `cause` is its reason. */
export interface AbortError extends Error { name: "AbortError"; cause: unknown }
/** The answer was not the JSON document the operation returns. */
export interface AtlasDecodeError extends Error { name: "AtlasDecodeError"; status: number; bodySnippet: string }
/** Every error a client call can reject with. */
export type AtlasError = AtlasApiError | AtlasValidationError | AtlasNetworkError | AtlasTimeoutError | AbortError | AtlasDecodeError;
"#;

/// Converts an error; `cause` is the underlying JavaScript error or abort reason, if any.
/// The extra fields are the core's types, serialized with serde-wasm-bindgen.
pub fn to_js(error: &ClientError, cause: Option<JsValue>) -> JsValue {
    let e = js_sys::Error::new(&error.to_string());
    e.set_name(error.name());
    let o: &JsValue = e.as_ref();
    match error {
        ClientError::Api { status, error } => {
            if let Ok(fields) = to_value(error) {
                Object::assign(o.unchecked_ref::<Object>(), fields.unchecked_ref::<Object>());
            }
            set(o, "status", &JsValue::from(*status));
        }
        ClientError::Validation { issues } => {
            // The same objects the validators return, made by the same code.
            let v = Validation { ok: false, issues: issues.clone() };
            set(o, "issues", &prop(&validation(&v), "issues"));
        }
        ClientError::Timeout { timeout_ms } => set(o, "timeoutMs", &JsValue::from(*timeout_ms)),
        ClientError::Decode { status, body_snippet, .. } => {
            set(o, "status", &JsValue::from(*status));
            set(o, "bodySnippet", &JsValue::from_str(body_snippet));
        }
        ClientError::Network { .. } | ClientError::Aborted => {}
    }
    if let Some(cause) = cause {
        set(o, "cause", &cause);
    }
    e.into()
}

/// A value of the core as a plain JavaScript value (objects, not `Map`s).
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

fn is_named(e: &JsValue, name: &str) -> bool {
    (e.is_object() || e.is_function()) && prop(e, "name").as_string().as_deref() == Some(name)
}

/// Whether `e` is an [`AtlasApiError`]: Atlas answered with an error status.
#[wasm_bindgen(js_name = isAtlasApiError, unchecked_return_type = "e is AtlasApiError")]
pub fn is_atlas_api_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AtlasApiError")
}

/// Whether `e` is an [`AtlasValidationError`]: invalid input, nothing was sent.
#[wasm_bindgen(js_name = isAtlasValidationError, unchecked_return_type = "e is AtlasValidationError")]
pub fn is_atlas_validation_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AtlasValidationError")
}

/// Whether `e` is an [`AtlasNetworkError`]: the request did not complete.
#[wasm_bindgen(js_name = isAtlasNetworkError, unchecked_return_type = "e is AtlasNetworkError")]
pub fn is_atlas_network_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AtlasNetworkError")
}

/// Whether `e` is an [`AtlasTimeoutError`]: an attempt or a wait ran out of time.
#[wasm_bindgen(js_name = isAtlasTimeoutError, unchecked_return_type = "e is AtlasTimeoutError")]
pub fn is_atlas_timeout_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AtlasTimeoutError")
}

/// Whether `e` is an [`AbortError`]: the caller's signal fired.
#[wasm_bindgen(js_name = isAbortError, unchecked_return_type = "e is AbortError")]
pub fn is_abort_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AbortError")
}

/// Whether `e` is an [`AtlasDecodeError`]: the answer was not the expected JSON.
#[wasm_bindgen(js_name = isAtlasDecodeError, unchecked_return_type = "e is AtlasDecodeError")]
pub fn is_atlas_decode_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    is_named(&e, "AtlasDecodeError")
}

