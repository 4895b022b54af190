use serde::{Deserialize, Serialize};

use super::{Link, Secret};

/// The body of `POST …/userSecurity/ldap/verify`: the LDAP server to test.
///
/// `hostname`, `port`, `bindUsername` and `bindPassword` are required. Its `Debug` output
/// never shows the password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct LdapVerifyParams {
    /// LDAP query template that lists a user's groups; `{USER}` stands for the user.
    /// Atlas's default is `{USER}?memberOf?base`. Write-only.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub authz_query_template: Option<String>,
    /// Password of `bindUsername`. Write-only: sent, never returned, never printed.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(deserialize_with = "super::object::lenient")]
    pub bind_password: Secret,
    /// Full DN Atlas binds with.
    #[serde(deserialize_with = "super::object::lenient")]
    pub bind_username: String,
    /// PEM CA certificate that verifies the LDAP server.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate: Option<String>,
    /// Host name or IP address of the LDAP server.
    #[serde(deserialize_with = "super::object::lenient")]
    pub hostname: String,
    /// Port of the LDAP server, usually 636.
    #[serde(deserialize_with = "super::object::lenient")]
    pub port: u16,
    /// Related resources; read-only, ignored in requests.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
}
