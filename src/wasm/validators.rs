//! The validator exports: `validateGroupId`, `validateHostname`, … They never throw.

use wasm_bindgen::prelude::*;

use super::convert::{locale, validation};
use crate::validate;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** How serious an issue is: errors make a value invalid, warnings do not. */
export type Severity = "error" | "warning";
/** One problem found in one field. */
export interface FieldIssue {
  /** JSON path of the field, such as `groupId` or `ldap.userToDNMapping[1].match`. */
  path: string;
  /** Stable lower_snake_case code: `required`, `pattern`, `type`, `range`, `spec_pattern`, … */
  code: string;
  severity: Severity;
  /** A sentence for people in the requested locale; it may change between versions. */
  message: string;
}
/** The result of a validator: `ok` is true when no issue has severity `"error"`. */
export interface Validation { ok: boolean; issues: FieldIssue[] }
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

/// The documented patterns as JSON, read once at package build time by `gen-wrappers.mjs`.
#[wasm_bindgen(js_name = __specPatterns, skip_typescript)]
pub fn spec_patterns() -> String {
    let p = &validate::SPEC_PATTERNS;
    serde_json::json!({
        "groupId": p.group_id,
        "hostname": p.hostname,
        "bindUsername": p.bind_username,
    })
    .to_string()
}
