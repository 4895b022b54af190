use serde::{Deserialize, Serialize};

use super::{CustomerX509, LdapSecuritySettings, Link};

/// The `userSecurity` document of a project: its LDAP and self-managed X.509 settings.
///
/// Returned by `GET …/userSecurity`, sent (partially) and returned by `PATCH`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct UserSecurity {
    /// Self-managed X.509 settings.
    #[serde(default, deserialize_with = "super::object::one", rename = "customerX509", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(rename = "customerX509"))]
    pub customer_x509: Option<CustomerX509>,
    /// LDAP-over-TLS settings.
    #[serde(default, deserialize_with = "super::object::one", skip_serializing_if = "Option::is_none")]
    pub ldap: Option<LdapSecuritySettings>,
    /// Related resources; read-only.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
}
