//! Client errors as JavaScript `Error`s: `name` says which, extra fields say what, and the
//! exported type guards check `name` so they work across the Node and browser builds.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::convert::validation;
use super::js::{prop, set};
use super::transport::Failure;
use crate::client::ClientError;
use crate::validate::Validation;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &'static str = r#"
/** Atlas answered with an error status (a 4xx or 5xx), with its error document. */
export interface AtlasApiError extends Error {
  name: "AtlasApiError";
  /** HTTP status, e.g. 404. */
  status: number;
  /** Atlas's stable error code, e.g. "RESOURCE_NOT_FOUND". */
  errorCode: string;
  detail?: string;
  reason?: string;
  parameters?: unknown[];
  badRequestDetail?: { fields?: { field: string; description: string }[] };
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
pub fn to_js(error: &ClientError, cause: Option<JsValue>) -> JsValue {
    let e = js_sys::Error::new(&error.to_string());
    e.set_name(error.name());
    let o: &Object = e.as_ref();
    match error {
        ClientError::Api { status, error } => {
            set(o, "status", &JsValue::from(*status));
            set(o, "errorCode", &JsValue::from_str(&error.error_code));
            if let Some(detail) = &error.detail {
                set(o, "detail", &JsValue::from_str(detail));
            }
            if let Some(reason) = &error.reason {
                set(o, "reason", &JsValue::from_str(reason));
            }
            if let Some(parameters) = &error.parameters {
                set(o, "parameters", &json(&serde_json::Value::from(parameters.clone())));
            }
            if let Some(detail) = &error.bad_request_detail {
                let out = Object::new();
                if let Some(fields) = &detail.fields {
                    let list = js_sys::Array::new();
                    for f in fields {
                        let field = Object::new();
                        set(&field, "field", &JsValue::from_str(&f.field));
                        set(&field, "description", &JsValue::from_str(&f.description));
                        list.push(&field);
                    }
                    set(&out, "fields", &list);
                }
                set(o, "badRequestDetail", &out);
            }
        }
        ClientError::Validation { issues } => {
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

/// A JSON value as a plain JavaScript value.
pub fn json(value: &serde_json::Value) -> JsValue {
    // `to_string`, not `Display`: see `json_text` in src/client/operation.rs.
    js_sys::JSON::parse(&serde_json::to_string(value).unwrap_or_default()).unwrap_or(JsValue::NULL)
}

/// A failed exchange as the error to reject with.
pub fn failure_to_js(failure: Failure, timeout_ms: u32) -> JsValue {
    match failure {
        Failure::Network(cause) => to_js(&ClientError::Network { message: describe(&cause) }, Some(cause)),
        Failure::Timeout => to_js(&ClientError::Timeout { timeout_ms }, None),
        Failure::Aborted(reason) => to_js(&ClientError::Aborted, Some(reason)),
    }
}

/// A short description of a `fetch` failure, for the message (the object itself is `cause`).
pub fn describe(cause: &JsValue) -> String {
    let message = prop(cause, "message").as_string().or_else(|| cause.as_string()).unwrap_or_default();
    let inner = prop(&prop(cause, "cause"), "message").as_string();
    match inner {
        Some(inner) if !inner.is_empty() && inner != message => format!("{message} ({inner})"),
        _ if message.is_empty() => "fetch failed".into(),
        _ => message,
    }
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

