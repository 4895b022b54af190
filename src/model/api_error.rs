use serde::{Deserialize, Serialize};

/// The error document Atlas answers a failed request with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct ApiError {
    /// The HTTP status code, e.g. 400.
    #[serde(deserialize_with = "super::object::lenient")]
    pub error: u16,
    /// Stable application error code, e.g. `VALIDATION_ERROR` or `RESOURCE_NOT_FOUND`.
    #[serde(deserialize_with = "super::object::lenient")]
    pub error_code: String,
    /// What went wrong, for people. `null` decodes as `None`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The HTTP reason phrase, e.g. `Bad Request`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Values the error message refers to.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<serde_json::Value>>,
    /// Per-field violations of a bad request.
    #[serde(default, deserialize_with = "super::object::one", skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
}

/// Per-field detail of a 400 answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields))]
pub struct BadRequestDetail {
    /// Every violation found in the request.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldViolation>>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldViolation {
    /// Path of the field in the request body.
    #[serde(deserialize_with = "super::object::lenient")]
    pub field: String,
    /// Why the field is invalid.
    #[serde(deserialize_with = "super::object::lenient")]
    pub description: String,
}
