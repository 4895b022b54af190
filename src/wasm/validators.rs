//! The validator exports: `validateGroupId`, `validateHostname`, … They never throw.

use wasm_bindgen::prelude::*;

use super::convert::{json_text, locale, validation};
use crate::validate;

// `FieldIssue`, `Severity` and `Validation` are generated from `crate::validate` (ts-rs).
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Options of every validator. */
export interface ValidateOptions {
  /** Language of the messages: `"en"` (default) or `"zh"`. */
  locale?: "en" | "zh";
}
"#;

/// Applies a string validator to a JavaScript value: a non-string is a `type` issue.
fn string_field(
    value: &JsValue,
    opts: &JsValue,
    path: &str,
    check: fn(&str, validate::Locale) -> validate::Validation,
) -> JsValue {
    let loc = locale(opts);
    let result = match value.as_string() {
        Some(s) => check(&s, loc),
        None => validate::wrong_type(path, "string", loc),
    };
    validation(&result)
}

/// Checks a project (group) id: 24 lower-case hexadecimal digits. Issues use path `groupId`.
#[wasm_bindgen(js_name = validateGroupId, unchecked_return_type = "Validation")]
pub fn validate_group_id(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    string_field(&value, &opts, "groupId", validate::group_id)
}

/// Checks a user id: 24 lower-case hexadecimal digits. Issues use path `userId`.
#[wasm_bindgen(js_name = validateUserId, unchecked_return_type = "Validation")]
pub fn validate_user_id(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    string_field(&value, &opts, "userId", validate::user_id)
}

/// Checks a verification job's request id: 24 lower-case hexadecimal digits. Path `requestId`.
#[wasm_bindgen(js_name = validateRequestId, unchecked_return_type = "Validation")]
pub fn validate_request_id(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    string_field(&value, &opts, "requestId", validate::request_id)
}

/// Checks an LDAP host: a DNS name (RFC 1123), an IPv4 address or an IPv6 address, without
/// scheme, port or path. A valid host that the spec's documented pattern rejects (hyphens,
/// upper case, one label, compressed IPv6) gets a `spec_pattern` warning. Path `hostname`.
#[wasm_bindgen(js_name = validateHostname, unchecked_return_type = "Validation")]
pub fn validate_hostname(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    string_field(&value, &opts, "hostname", validate::hostname)
}

/// Checks a bind DN (RFC 4514), e.g. `CN=BindUser,CN=Users,DC=example,DC=com`. A valid DN
/// that the spec's documented pattern rejects (lower-case `cn=`, other attribute types) gets a
/// `spec_pattern` warning. Path `bindUsername`.
#[wasm_bindgen(js_name = validateBindUsername, unchecked_return_type = "Validation")]
pub fn validate_bind_username(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    string_field(&value, &opts, "bindUsername", validate::bind_username)
}

/// Applies a whole-body validator to any JavaScript value, through its JSON text (read as the
/// package's wrappers read it): a value JSON cannot hold is a `type` issue at the root.
fn json_body(
    value: &JsValue,
    opts: &JsValue,
    check: fn(&str, validate::Locale) -> validate::Validation,
) -> JsValue {
    let loc = locale(opts);
    let result = match json_text(value) {
        Some(text) => check(&text, loc),
        None => validate::wrong_type("", "object", loc),
    };
    validation(&result)
}

/// Checks the body of `updateUserSecurity` (PATCH `userSecurity`): every field of `ldap` and
/// `customerX509`, reporting every issue with its JSON path, e.g.
/// `ldap.userToDNMapping[1].match`.
#[wasm_bindgen(js_name = validateUserSecurity, unchecked_return_type = "Validation")]
pub fn validate_user_security(
    #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    json_body(&body, &opts, validate::user_security_json)
}

/// Checks the body of `verifyLdap`: `hostname`, `port`, `bindUsername` and `bindPassword` are
/// required; `authzQueryTemplate` and `caCertificate` are checked when given.
#[wasm_bindgen(js_name = validateLdapVerifyParams, unchecked_return_type = "Validation")]
pub fn validate_ldap_verify_params(
    #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    json_body(&body, &opts, validate::ldap_verify_params_json)
}

/// Checks the body of `updateUserRoles`: `{ groupRoles: [...] }` with unique, non-empty role
/// names; a name outside the documented project roles gets an `unknown_role` warning.
#[wasm_bindgen(js_name = validateGroupRoles, unchecked_return_type = "Validation")]
pub fn validate_group_roles(
    #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: JsValue,
) -> JsValue {
    json_body(&body, &opts, validate::group_roles_json)
}

/// The documented patterns as JSON, read once at package build time by `gen-wrappers.mjs`.
#[wasm_bindgen(js_name = __specPatterns, skip_typescript)]
pub fn spec_patterns() -> String {
    let p = &validate::SPEC_PATTERNS;
    let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
    format!(
        r#"{{"groupId":{},"hostname":{},"bindUsername":{}}}"#,
        text(p.group_id),
        text(p.hostname),
        text(p.bind_username)
    )
}
