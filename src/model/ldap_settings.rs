use serde::{Deserialize, Serialize};

use super::{Link, Secret, UserToDnMapping};

/// The LDAP-over-TLS settings of one project.
///
/// In an update (`PATCH`) every field is optional: an absent field keeps its current
/// value, an explicit `false` turns a flag off and `caCertificate: ""` deletes the
/// certificate. Atlas never returns `bindPassword`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct LdapSecuritySettings {
    /// Whether database users can authenticate with LDAP.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub authentication_enabled: Option<bool>,
    /// Whether database users are authorized through LDAP groups. Requires authentication.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub authorization_enabled: Option<bool>,
    /// LDAP query template (RFC 4515/4516) that lists a user's groups; `{USER}` stands for
    /// the authenticated user. Atlas's default is `{USER}?memberOf?base`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub authz_query_template: Option<String>,
    /// Password of `bindUsername`. Write-only: sent, never returned, never printed.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string", optional))]
    pub bind_password: Option<Secret>,
    /// Full DN Atlas binds with, e.g. `CN=BindUser,CN=Users,DC=example,DC=com`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub bind_username: Option<String>,
    /// PEM CA certificate that verifies the LDAP server; `""` deletes it.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate: Option<String>,
    /// Host name or IP address of the LDAP server.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Port of the LDAP server; Atlas's default is 636.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Rules that map usernames to DNs, tried in order.
    #[serde(default, deserialize_with = "super::object::list", rename = "userToDNMapping", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(rename = "userToDNMapping"))]
    pub user_to_dn_mapping: Option<Vec<UserToDnMapping>>,
    /// Related resources; read-only.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
}
