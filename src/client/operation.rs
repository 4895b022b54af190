use serde_json::Value;

use crate::validate::{self, Locale, Validation};

use super::{ClientConfig, ClientError, HttpRequest, Method, RequestOptions};

const V2: &str = "/api/atlas/v2";
const V1: &str = "/api/atlas/v1.0";
const VERSION_2023: &str = "2023-01-01";
const VERSION_2025: &str = "2025-02-19";

/// One Atlas operation with its inputs. [`Operation::request`] validates every id and body
/// and builds the HTTP request; invalid input is an error before anything is sent.
#[derive(Clone, Copy, Debug)]
pub enum Operation<'a> {
    /// `GET /groups/{groupId}/userSecurity`
    GetUserSecurity {
        /// The project (24 hex digits).
        group_id: &'a str,
    },
    /// `PATCH /groups/{groupId}/userSecurity`
    UpdateUserSecurity {
        /// The project.
        group_id: &'a str,
        /// The changes: a `UserSecurity` document.
        body: &'a Value,
    },
    /// `DELETE /groups/{groupId}/userSecurity/customerX509`
    DisableCustomerX509 {
        /// The project (24 hex digits).
        group_id: &'a str,
    },
    /// `DELETE /groups/{groupId}/userSecurity/ldap/userToDNMapping`
    DeleteLdapUserToDnMapping {
        /// The project (24 hex digits).
        group_id: &'a str,
    },
    /// `POST /groups/{groupId}/userSecurity/ldap/verify`
    VerifyLdap {
        /// The project.
        group_id: &'a str,
        /// The `LdapVerifyParams` document.
        params: &'a Value,
    },
    /// `GET /groups/{groupId}/userSecurity/ldap/verify/{requestId}`
    GetLdapVerifyStatus {
        /// The project.
        group_id: &'a str,
        /// The job (24 hex digits).
        request_id: &'a str,
    },
    /// `PUT /groups/{groupId}/users/{userId}/roles` (deprecated by Atlas; sunset 2027-07-01)
    UpdateUserRoles {
        /// The project.
        group_id: &'a str,
        /// The user (24 hex digits).
        user_id: &'a str,
        /// `{ "groupRoles": [...] }`.
        body: &'a Value,
    },
    /// `POST /groups/{groupId}/users/{userId}:addRole`
    AddUserRole {
        /// The project.
        group_id: &'a str,
        /// The user (24 hex digits).
        user_id: &'a str,
        /// The project role, such as `GROUP_READ_ONLY`.
        role: &'a str,
    },
    /// `POST /groups/{groupId}/users/{userId}:removeRole`
    RemoveUserRole {
        /// The project.
        group_id: &'a str,
        /// The user (24 hex digits).
        user_id: &'a str,
        /// The project role, such as `GROUP_READ_ONLY`.
        role: &'a str,
    },
}

/// What a successful answer of an operation decodes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `UserSecurity`
    UserSecurity,
    /// `LdapVerifyJob`
    VerifyJob,
    /// `GroupRoles`
    GroupRoles,
    /// `GroupUser`
    GroupUser,
}

impl Operation<'_> {
    /// The kind of document a successful answer holds.
    pub fn answer(&self) -> Answer {
        match self {
            Operation::GetUserSecurity { .. }
            | Operation::UpdateUserSecurity { .. }
            | Operation::DisableCustomerX509 { .. }
            | Operation::DeleteLdapUserToDnMapping { .. } => Answer::UserSecurity,
            Operation::VerifyLdap { .. } | Operation::GetLdapVerifyStatus { .. } => Answer::VerifyJob,
            Operation::UpdateUserRoles { .. } => Answer::GroupRoles,
            Operation::AddUserRole { .. } | Operation::RemoveUserRole { .. } => Answer::GroupUser,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        match self {
            Operation::GetUserSecurity { .. } | Operation::GetLdapVerifyStatus { .. } => Method::Get,
            Operation::UpdateUserSecurity { .. } => Method::Patch,
            Operation::DisableCustomerX509 { .. } | Operation::DeleteLdapUserToDnMapping { .. } => Method::Delete,
            Operation::VerifyLdap { .. } | Operation::AddUserRole { .. } | Operation::RemoveUserRole { .. } => {
                Method::Post
            }
            Operation::UpdateUserRoles { .. } => Method::Put,
        }
    }

    /// Validates the inputs, then builds the request. Messages of validation issues are in
    /// `locale`.
    pub fn request(
        &self,
        config: &ClientConfig,
        options: &RequestOptions,
        locale: Locale,
    ) -> Result<HttpRequest, ClientError> {
        self.validate(options, locale)?;
        let legacy = config.legacy_v1
            && matches!(self, Operation::GetUserSecurity { .. } | Operation::UpdateUserSecurity { .. });
        let (path, body, version, pretty_allowed) = self.parts(legacy);
        let mut path = path;
        let mut sep = '?';
        if options.envelope {
            path.push(sep);
            path.push_str("envelope=true");
            sep = '&';
        }
        // The spec gives every operation `pretty` except disabling X.509.
        if options.pretty && pretty_allowed {
            path.push(sep);
            path.push_str("pretty=true");
        }
        let media = if legacy {
            "application/json".to_owned()
        } else {
            let date = options.version_date.as_deref().unwrap_or(version);
            format!("application/vnd.atlas.{date}+json")
        };
        let mut headers = vec![("accept", media.clone())];
        if body.is_some() {
            headers.push(("content-type", media));
        }
        Ok(HttpRequest {
            method: self.method(),
            url: config.base_url.join(&path),
            path_and_query: config.base_url.server_path(&path),
            headers,
            body,
        })
    }

    fn validate(&self, options: &RequestOptions, locale: Locale) -> Result<(), ClientError> {
        let mut all = Validation { ok: true, issues: Vec::new() };
        let mut add = |v: Validation| {
            all.ok &= v.ok;
            all.issues.extend(v.issues);
        };
        let (group_id, user_id) = match *self {
            Operation::GetUserSecurity { group_id }
            | Operation::UpdateUserSecurity { group_id, .. }
            | Operation::DisableCustomerX509 { group_id }
            | Operation::DeleteLdapUserToDnMapping { group_id }
            | Operation::VerifyLdap { group_id, .. }
            | Operation::GetLdapVerifyStatus { group_id, .. } => (group_id, None),
            Operation::UpdateUserRoles { group_id, user_id, .. }
            | Operation::AddUserRole { group_id, user_id, .. }
            | Operation::RemoveUserRole { group_id, user_id, .. } => (group_id, Some(user_id)),
        };
        add(validate::group_id(group_id, locale));
        if let Some(user_id) = user_id {
            add(validate::user_id(user_id, locale));
        }
        match *self {
            Operation::UpdateUserSecurity { body, .. } => add(validate::user_security(body, locale)),
            Operation::VerifyLdap { params, .. } => add(validate::ldap_verify_params(params, locale)),
            Operation::GetLdapVerifyStatus { request_id, .. } => add(validate::request_id(request_id, locale)),
            Operation::UpdateUserRoles { body, .. } => add(validate::group_roles(body, locale)),
            Operation::AddUserRole { role, .. } | Operation::RemoveUserRole { role, .. } => {
                add(validate::group_role(role, locale))
            }
            _ => {}
        }
        if let Some(date) = &options.version_date {
            if !is_version_date(date) {
                add(Validation {
                    ok: false,
                    issues: vec![crate::validate::FieldIssue {
                        path: "versionDate".into(),
                        code: "pattern".into(),
                        severity: crate::validate::Severity::Error,
                        message: match locale {
                            Locale::En => "versionDate must be a date such as 2023-01-01.".into(),
                            Locale::Zh => "versionDate 必须是 2023-01-01 这样的日期。".into(),
                        },
                    }],
                })
            }
        }
        if all.ok {
            Ok(())
        } else {
            Err(ClientError::Validation { issues: all.issues })
        }
    }

    /// Path, body, default version, and whether the spec lists `pretty`.
    fn parts(&self, legacy: bool) -> (String, Option<String>, &'static str, bool) {
        let root = if legacy { V1 } else { V2 };
        match *self {
            Operation::GetUserSecurity { group_id } => {
                (format!("{root}/groups/{group_id}/userSecurity"), None, VERSION_2023, true)
            }
            Operation::UpdateUserSecurity { group_id, body } => {
                (format!("{root}/groups/{group_id}/userSecurity"), Some(without_links(body)), VERSION_2023, true)
            }
            Operation::DisableCustomerX509 { group_id } => {
                (format!("{V2}/groups/{group_id}/userSecurity/customerX509"), None, VERSION_2023, false)
            }
            Operation::DeleteLdapUserToDnMapping { group_id } => {
                (format!("{V2}/groups/{group_id}/userSecurity/ldap/userToDNMapping"), None, VERSION_2023, true)
            }
            Operation::VerifyLdap { group_id, params } => (
                format!("{V2}/groups/{group_id}/userSecurity/ldap/verify"),
                Some(without_links(params)),
                VERSION_2023,
                true,
            ),
            Operation::GetLdapVerifyStatus { group_id, request_id } => (
                format!("{V2}/groups/{group_id}/userSecurity/ldap/verify/{request_id}"),
                None,
                VERSION_2023,
                true,
            ),
            Operation::UpdateUserRoles { group_id, user_id, body } => {
                (format!("{V2}/groups/{group_id}/users/{user_id}/roles"), Some(without_links(body)), VERSION_2023, true)
            }
            Operation::AddUserRole { group_id, user_id, role } => (
                format!("{V2}/groups/{group_id}/users/{user_id}:addRole"),
                Some(group_role_body(role)),
                VERSION_2025,
                true,
            ),
            Operation::RemoveUserRole { group_id, user_id, role } => (
                format!("{V2}/groups/{group_id}/users/{user_id}:removeRole"),
                Some(group_role_body(role)),
                VERSION_2025,
                true,
            ),
        }
    }
}

/// `{"groupRole": role}`.
fn group_role_body(role: &str) -> String {
    format!(r#"{{"groupRole":{}}}"#, json_text(&Value::from(role)))
}

/// A value as JSON text. Through `to_string` rather than `Display`, and without `json!`
/// (whose `unwrap` formats serde_json's error type): either would link serde_json's I/O error
/// texts and formatting into the wasm for an error a `Value` can never produce.
fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The body as JSON without the read-only `links` (at the top and one level down, where the
/// spec has them), so a document read with GET can be edited and sent back as it is.
fn without_links(body: &Value) -> String {
    let Some(top) = body.as_object() else { return json_text(body) };
    if !top.contains_key("links") && !top.values().any(|v| v.get("links").is_some()) {
        return json_text(body);
    }
    let mut body = body.clone();
    if let Some(top) = body.as_object_mut() {
        top.remove("links");
        for value in top.values_mut() {
            if let Some(inner) = value.as_object_mut() {
                inner.remove("links");
            }
        }
    }
    json_text(&body)
}

/// Whether `s` has the shape of an Atlas API version, `YYYY-MM-DD`.
pub fn is_version_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
