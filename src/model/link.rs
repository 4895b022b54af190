use serde::{Deserialize, Serialize};

/// A link to a related API resource (RFC 5988), as Atlas adds to every response.
/// Read-only: Atlas ignores links sent in a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields))]
pub struct Link {
    /// URL of the related resource, usually starting with `https://cloud.mongodb.com/api/atlas`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The relationship, such as `self`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}
