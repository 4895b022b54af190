use serde::{Deserialize, Serialize};

use super::{JobStatus, Link, ValidationStatus, ValidationType};

/// An LDAP verification job, as `POST …/ldap/verify` starts it and
/// `GET …/ldap/verify/{requestId}` reports it.
///
/// Poll until [`JobStatus::is_final`]; Atlas keeps only the latest job of a project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct LdapVerifyJob {
    /// The project (24 hex digits).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Related resources.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// The parameters that were verified, without the password.
    #[serde(default, deserialize_with = "super::object::one", skip_serializing_if = "Option::is_none")]
    pub request: Option<LdapVerifyRequest>,
    /// Identifies the job (24 hex digits); pass it to the status call.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `PENDING` until the checks finish, then `SUCCESS` or `FAILED` (spec: `FAIL`).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
    /// The checks run so far, in order, stopping at the first failure.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub validations: Option<Vec<LdapVerifyValidation>>,
}

/// The verified parameters as a job echoes them: never with `bindPassword`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct LdapVerifyRequest {
    /// The query template, when Atlas echoes it (the spec marks it write-only).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub authz_query_template: Option<String>,
    /// Full DN Atlas bound with.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub bind_username: Option<String>,
    /// PEM CA certificate that verifies the LDAP server.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate: Option<String>,
    /// Host name or IP address of the LDAP server.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Related resources.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// Port of the LDAP server.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// The result of one check of a verification job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct LdapVerifyValidation {
    /// `OK` or `FAIL`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ValidationStatus>,
    /// Which check this is.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub validation_type: Option<ValidationType>,
}
