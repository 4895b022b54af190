use serde::{Deserialize, Serialize};

/// One rule that turns an LDAP username into an LDAP distinguished name (DN).
///
/// Atlas tries the rules in order; the first whose `match` regular expression matches the
/// username applies. Give either `substitution` or `ldapQuery`; when both are given only
/// `substitution` takes effect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct UserToDnMapping {
    /// Regular expression matched against the username; each parenthesised group is a
    /// capture that `substitution` or `ldapQuery` can use as `{0}`, `{1}` …
    /// Example: `(.*)`.
    #[serde(deserialize_with = "super::object::lenient", rename = "match")]
    #[cfg_attr(feature = "ts", ts(rename = "match"))]
    pub match_: String,
    /// DN template filled from the captures, e.g. `CN={0},CN=Users,DC=example,DC=com`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub substitution: Option<String>,
    /// LDAP query template (RFC 4515/4516) filled from the captures, whose result is the DN.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub ldap_query: Option<String>,
}
