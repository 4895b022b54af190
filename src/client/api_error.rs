//! Atlas's error document, read from JSON without the model's `Deserialize` (see `shape`).

use serde_json::Value;

use crate::model::{ApiError, BadRequestDetail, FieldViolation};

use super::shape::{self, optional, required, Field, Kind};

/// `ApiError`
const API_ERROR: &[Field] = &[
    required("error", Kind::U16),
    required("errorCode", Kind::Text),
    optional("detail", Kind::Text),
    optional("reason", Kind::Text),
    optional("parameters", Kind::Array(&Kind::Any)),
    optional("badRequestDetail", Kind::Object(BAD_REQUEST_DETAIL)),
];

/// `BadRequestDetail`
const BAD_REQUEST_DETAIL: &[Field] = &[optional("fields", Kind::Array(&Kind::Object(FIELD_VIOLATION)))];

/// `FieldViolation`
const FIELD_VIOLATION: &[Field] = &[required("field", Kind::Text), required("description", Kind::Text)];

/// The error document in `document`, or `None` when it is not one (then the caller makes
/// one from the HTTP status).
pub(crate) fn api_error(document: &Value) -> Option<ApiError> {
    shape::check(API_ERROR, document).ok()?;
    // The shape is checked: from here on, a missing or `null` field is `None`.
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let fields = |detail: &Value| {
        let fields = detail.get("fields")?.as_array()?;
        let violation = |v: &Value| FieldViolation {
            field: text(v, "field").unwrap_or_default(),
            description: text(v, "description").unwrap_or_default(),
        };
        Some(fields.iter().map(violation).collect())
    };
    Some(ApiError {
        error: document.get("error")?.as_u64()?.try_into().ok()?,
        error_code: text(document, "errorCode")?,
        detail: text(document, "detail"),
        reason: text(document, "reason"),
        parameters: document.get("parameters").and_then(Value::as_array).cloned(),
        bad_request_detail: document
            .get("badRequestDetail")
            .filter(|d| d.is_object())
            .map(|d| BadRequestDetail { fields: fields(d) }),
    })
}
