//! The emulated operations of the spec subset plus the legacy v1.0 `userSecurity` paths.

use std::sync::Arc;

use atlas_ldap::model::{
    AddOrRemoveGroupRole, GroupRoles, GroupUser, LdapVerifyParams, Link, UserSecurity,
};
use atlas_ldap::validate::is_id as is_object_id;
use bytes::Bytes;
use hyper::http::request::Parts;
use hyper::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::body_check::{self, BodyKind};
use crate::media::Versions;
use crate::merge;
use crate::reply::Fail;
use crate::store::{Project, Store};
use crate::util::{now_ms, percent_decode};
use crate::verify::{job_view, Verifier};

const V2023: Versions = &["2023-01-01"];
const V2025: Versions = &["2025-02-19"];
const LEGACY: Versions = &[];

/// The project roles the emulator knows.
pub const PROJECT_ROLES: &[&str] = &[
    "GROUP_OWNER",
    "GROUP_BACKUP_MANAGER",
    "GROUP_CLUSTER_MANAGER",
    "GROUP_DATA_ACCESS_ADMIN",
    "GROUP_DATA_ACCESS_READ_ONLY",
    "GROUP_DATA_ACCESS_READ_WRITE",
    "GROUP_DATABASE_ACCESS_ADMIN",
    "GROUP_OBSERVABILITY_VIEWER",
    "GROUP_READ_ONLY",
    "GROUP_SEARCH_INDEX_EDITOR",
    "GROUP_STREAM_PROCESSING_OWNER",
];

/// One operation, with its path parameters.
#[derive(Debug)]
pub enum Op {
    GetUserSecurity { group: String },
    UpdateUserSecurity { group: String },
    DisableCustomerX509 { group: String },
    DeleteUserToDnMapping { group: String },
    VerifyLdap { group: String },
    GetVerifyStatus { group: String, request: String },
    UpdateRoles { group: String, user: String },
    AddRole { group: String, user: String },
    RemoveRole { group: String, user: String },
}

impl Op {
    /// The media type versions of the operation (empty: plain JSON, v1.0).
    pub fn versions(&self, legacy: bool) -> Versions {
        match self {
            _ if legacy => LEGACY,
            Op::AddRole { .. } | Op::RemoveRole { .. } => V2025,
            _ => V2023,
        }
    }

    pub fn body(&self) -> Option<BodyKind> {
        match self {
            Op::UpdateUserSecurity { .. } => Some(BodyKind::UserSecurity),
            Op::VerifyLdap { .. } => Some(BodyKind::LdapVerifyParams),
            Op::UpdateRoles { .. } => Some(BodyKind::GroupRoles),
            Op::AddRole { .. } | Op::RemoveRole { .. } => Some(BodyKind::GroupRole),
            _ => None,
        }
    }
}

/// A matched API route: the operation and whether it is a legacy v1.0 path.
pub struct Matched {
    pub op: Op,
    pub legacy: bool,
}

/// Finds the operation of a method and path: 404 for an unknown path, 405 for a known
/// path with another method, 400 for malformed ids.
pub fn match_route(method: &Method, path: &str) -> Result<Matched, Fail> {
    let segs: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .map(|s| percent_decode(s, false))
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let not_found = || {
        Fail::not_found(
            "RESOURCE_NOT_FOUND",
            format!("Cannot find resource {path}."),
        )
    };
    let (legacy, rest) = match s.as_slice() {
        ["api", "atlas", "v2", "groups", rest @ ..] => (false, rest),
        ["api", "atlas", "v1.0", "groups", rest @ ..] => (true, rest),
        _ => return Err(not_found()),
    };
    let Some((group, rest)) = rest.split_first() else {
        return Err(not_found());
    };
    let g = group.to_string();
    // (allowed method, operation) pairs of the path.
    let candidates: Vec<(Method, Op)> = match (legacy, rest) {
        (_, ["userSecurity"]) => vec![
            (Method::GET, Op::GetUserSecurity { group: g.clone() }),
            (Method::PATCH, Op::UpdateUserSecurity { group: g }),
        ],
        (false, ["userSecurity", "customerX509"]) => {
            vec![(Method::DELETE, Op::DisableCustomerX509 { group: g })]
        }
        (false, ["userSecurity", "ldap", "userToDNMapping"]) => {
            vec![(Method::DELETE, Op::DeleteUserToDnMapping { group: g })]
        }
        (false, ["userSecurity", "ldap", "verify"]) => {
            vec![(Method::POST, Op::VerifyLdap { group: g })]
        }
        (false, ["userSecurity", "ldap", "verify", r]) => {
            vec![(
                Method::GET,
                Op::GetVerifyStatus {
                    group: g,
                    request: r.to_string(),
                },
            )]
        }
        (false, ["users", u, "roles"]) => vec![(
            Method::PUT,
            Op::UpdateRoles {
                group: g,
                user: u.to_string(),
            },
        )],
        (false, ["users", last]) => match last.rsplit_once(':') {
            Some((u, "addRole")) => vec![(
                Method::POST,
                Op::AddRole {
                    group: g,
                    user: u.to_owned(),
                },
            )],
            Some((u, "removeRole")) => vec![(
                Method::POST,
                Op::RemoveRole {
                    group: g,
                    user: u.to_owned(),
                },
            )],
            _ => return Err(not_found()),
        },
        _ => return Err(not_found()),
    };
    let allowed: Vec<String> = candidates.iter().map(|(m, _)| m.to_string()).collect();
    let Some((_, op)) = candidates.into_iter().find(|(m, _)| m == method) else {
        return Err(Fail::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!(
                "{method} is not supported on {path}; use {}.",
                allowed.join(" or ")
            ),
        )
        .with_header(hyper::header::ALLOW, allowed.join(", ")));
    };
    check_ids(&op)?;
    Ok(Matched { op, legacy })
}

fn check_ids(op: &Op) -> Result<(), Fail> {
    let (group, user, request) = match op {
        Op::GetUserSecurity { group }
        | Op::UpdateUserSecurity { group }
        | Op::DisableCustomerX509 { group }
        | Op::DeleteUserToDnMapping { group }
        | Op::VerifyLdap { group } => (group, None, None),
        Op::GetVerifyStatus { group, request } => (group, None, Some(request)),
        Op::UpdateRoles { group, user }
        | Op::AddRole { group, user }
        | Op::RemoveRole { group, user } => (group, Some(user), None),
    };
    let bad = |code, what: &str, id: &str| {
        Fail::bad_request(
            code,
            format!(
                "The {what} {} is invalid: it must be 24 lowercase hexadecimal digits.",
                shorten(id)
            ),
        )
    };
    if !is_object_id(group) {
        return Err(bad("INVALID_GROUP_ID", "group ID", group));
    }
    if let Some(u) = user.filter(|u| !is_object_id(u)) {
        return Err(bad("INVALID_USER_ID", "user ID", u));
    }
    if let Some(r) = request.filter(|r| !is_object_id(r)) {
        return Err(bad("INVALID_REQUEST_ID", "request ID", r));
    }
    Ok(())
}

/// Ids are echoed in errors, but never at length.
fn shorten(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    let cut: String = cut
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().count() > 40 {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

/// Checks and decodes a body into its model.
fn decode<T: DeserializeOwned>(kind: BodyKind, body: &Bytes) -> Result<T, Fail> {
    let value = body_check::check(kind, body)?;
    serde_json::from_value(value).map_err(|_| {
        Fail::bad_request(
            "INVALID_JSON_ATTRIBUTE",
            "The request body does not match the expected document.",
        )
    })
}

/// What an operation answers: a status and a JSON document.
pub type Answer = (StatusCode, Value);

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Runs one operation. `base` is the scheme and host the links point at.
pub async fn run(
    store: &Arc<Store>,
    verifier: &Verifier,
    op: Op,
    parts: &Parts,
    body: Bytes,
    base: &str,
) -> Result<Answer, Fail> {
    let path = parts.uri.path();
    let self_href = format!("{base}{path}");
    let adding = matches!(op, Op::AddRole { .. });
    match op {
        Op::GetUserSecurity { group } => {
            let us = store.read(&group, |p| Ok(merge::view(&p.user_security, &self_href)))?;
            Ok((StatusCode::OK, to_value(&us)))
        }
        Op::UpdateUserSecurity { group } => {
            let patch: UserSecurity = decode(BodyKind::UserSecurity, &body)?;
            let us = store
                .update(&group, |p| {
                    merge::apply_patch(&mut p.user_security, patch)?;
                    Ok(merge::view(&p.user_security, &self_href))
                })
                .await?;
            Ok((StatusCode::ACCEPTED, to_value(&us)))
        }
        Op::DisableCustomerX509 { group } => {
            let href = self_href.trim_end_matches("/customerX509").to_owned();
            let us = store
                .update(&group, |p| {
                    p.user_security.customer_x509 = None;
                    Ok(merge::view(&p.user_security, &href))
                })
                .await?;
            Ok((StatusCode::ACCEPTED, to_value(&us)))
        }
        Op::DeleteUserToDnMapping { group } => {
            let href = self_href
                .trim_end_matches("/ldap/userToDNMapping")
                .to_owned();
            let us = store
                .update(&group, |p| {
                    if let Some(ldap) = &mut p.user_security.ldap {
                        ldap.user_to_dn_mapping = None;
                    }
                    Ok(merge::view(&p.user_security, &href))
                })
                .await?;
            Ok((StatusCode::ACCEPTED, to_value(&us)))
        }
        Op::VerifyLdap { group } => {
            let params: LdapVerifyParams = decode(BodyKind::LdapVerifyParams, &body)?;
            let job = verifier.start(store, &group, params).await?;
            Ok((StatusCode::OK, to_value(&job_view(&group, &job, base, 0))))
        }
        Op::GetVerifyStatus { group, request } => {
            let job = store.read(&group, |p: &Project| {
                p.verify_job.clone().filter(|j| j.request_id == request).ok_or_else(|| {
                    Fail::not_found(
                        "RESOURCE_NOT_FOUND",
                        format!("No LDAP verification request {request} exists in group {group}; only the latest request of a project is kept."),
                    )
                })
            })?;
            Ok((
                StatusCode::OK,
                to_value(&job_view(&group, &job, base, now_ms())),
            ))
        }
        Op::UpdateRoles { group, user } => {
            let body: GroupRoles = decode(BodyKind::GroupRoles, &body)?;
            let roles = body.group_roles.unwrap_or_default();
            check_roles(&roles)?;
            if roles.is_empty() {
                return Err(Fail::bad_request(
                    "USER_MUST_HAVE_ROLE",
                    "A user must have at least one project role.",
                ));
            }
            let roles = store
                .update(&group, |p| {
                    let u = find_user(p, &group, &user)?;
                    u.roles = roles;
                    Ok(u.roles.clone())
                })
                .await?;
            let answer = GroupRoles {
                group_roles: Some(roles),
                links: Some(vec![Link {
                    href: Some(self_href),
                    rel: Some("self".into()),
                }]),
            };
            Ok((StatusCode::OK, to_value(&answer)))
        }
        Op::AddRole { group, user } | Op::RemoveRole { group, user } => {
            let body: AddOrRemoveGroupRole = decode(BodyKind::GroupRole, &body)?;
            let role = body.group_role;
            check_roles(std::slice::from_ref(&role))?;
            let u: GroupUser = store
                .update(&group, |p| {
                    let u = find_user(p, &group, &user)?;
                    let has = u.roles.contains(&role);
                    match (adding, has) {
                        (true, true) => {
                            return Err(Fail::new(StatusCode::CONFLICT, "USER_ALREADY_HAS_ROLE", format!("The user already has the role {role}.")))
                        }
                        (true, false) => u.roles.push(role),
                        (false, false) => {
                            return Err(Fail::new(StatusCode::CONFLICT, "USER_DOES_NOT_HAVE_ROLE", format!("The user does not have the role {role}.")))
                        }
                        (false, true) if u.roles.len() == 1 => {
                            return Err(Fail::new(
                                StatusCode::CONFLICT,
                                "USER_MUST_HAVE_ROLE",
                                "A user must have at least one project role: add the new role before removing the last one.",
                            ))
                        }
                        (false, true) => u.roles.retain(|r| *r != role),
                    }
                    Ok(u.clone())
                })
                .await?;
            Ok((StatusCode::OK, to_value(&u)))
        }
    }
}

fn check_roles(roles: &[String]) -> Result<(), Fail> {
    match roles.iter().find(|r| !PROJECT_ROLES.contains(&r.as_str())) {
        Some(r) => Err(Fail::bad_request(
            "INVALID_ROLE",
            format!(
                "{} is not a project role; use one of {}.",
                shorten(r),
                PROJECT_ROLES.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

fn find_user<'a>(p: &'a mut Project, group: &str, user: &str) -> Result<&'a mut GroupUser, Fail> {
    p.users.iter_mut().find(|u| u.id == user).ok_or_else(|| {
        Fail::not_found(
            "USER_NOT_IN_GROUP",
            format!("No user with ID {user} exists in group {group}."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let g = "32b6e34b3d91647abb20e7b8";
        let u = "5b6e34b3d91647abb20e7b81";
        let m = |method: Method, p: &str| {
            match_route(&method, p)
                .map(|m| format!("{:?}", m.op))
                .map_err(|f| f.status.as_u16())
        };
        assert!(m(
            Method::GET,
            &format!("/api/atlas/v2/groups/{g}/userSecurity")
        )
        .unwrap()
        .starts_with("GetUserSecurity"));
        assert!(m(
            Method::PATCH,
            &format!("/api/atlas/v1.0/groups/{g}/userSecurity")
        )
        .unwrap()
        .starts_with("UpdateUserSecurity"));
        assert!(m(
            Method::POST,
            &format!("/api/atlas/v2/groups/{g}/users/{u}:addRole")
        )
        .unwrap()
        .starts_with("AddRole"));
        assert!(m(
            Method::POST,
            &format!("/api/atlas/v2/groups/{g}/users/{u}%3AremoveRole")
        )
        .unwrap()
        .starts_with("RemoveRole"));
        assert_eq!(
            m(
                Method::DELETE,
                &format!("/api/atlas/v2/groups/{g}/userSecurity")
            ),
            Err(405)
        );
        assert_eq!(
            m(Method::GET, "/api/atlas/v2/groups/nope/userSecurity"),
            Err(400)
        );
        assert_eq!(
            m(
                Method::GET,
                &format!("/api/atlas/v1.0/groups/{g}/userSecurity/customerX509")
            ),
            Err(404)
        );
        assert_eq!(m(Method::GET, "/api/atlas/v2/whatever"), Err(404));
    }
}
