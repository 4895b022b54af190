use serde::{Deserialize, Serialize};

use super::Link;

/// Self-managed X.509 settings: the certificate authorities that sign the certificates
/// database users authenticate with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields))]
pub struct CustomerX509 {
    /// One or more concatenated PEM `CERTIFICATE` blocks. `""` removes the CAs.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub cas: Option<String>,
    /// Related resources; read-only.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
}
