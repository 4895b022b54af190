//! Project roles of an Atlas user (`groupRoles`, `groupRole`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::issue::{Locale, Validation};
use super::json::{as_array, as_object, as_str};
use super::messages::Code;
use super::report::{run, Path, Report};
use super::value::JsonRef;

/// The project roles that Atlas documents (API and CLI names), from
/// <https://www.mongodb.com/docs/atlas/reference/user-roles/>.
pub const PROJECT_ROLES: &[&str] = &[
    "GROUP_OWNER",
    "GROUP_CLUSTER_MANAGER",
    "GROUP_STREAM_PROCESSING_OWNER",
    "GROUP_DATABASE_ACCESS_ADMIN",
    "GROUP_BACKUP_MANAGER",
    "GROUP_OBSERVABILITY_VIEWER",
    "GROUP_DATA_ACCESS_ADMIN",
    "GROUP_DATA_ACCESS_READ_WRITE",
    "GROUP_DATA_ACCESS_READ_ONLY",
    "GROUP_SEARCH_INDEX_EDITOR",
    "GROUP_READ_ONLY",
];

/// Validates the body of "update project roles for one user": `{"groupRoles": [...]}`.
/// `groupRoles` is required; each role must be a non-empty string (`required`, `type`) and
/// appear once (`duplicate`, reported at the repeat). Warning `unknown_role` for a name outside
/// [`PROJECT_ROLES`]. Other members (such as `links`) are ignored. Paths `groupRoles[i]`.
pub fn group_roles(body: &Value, locale: Locale) -> Validation {
    run(locale, |r| check_group_roles(JsonRef::Value(body), r))
}

pub(crate) fn check_group_roles<'v>(body: JsonRef<'v>, r: &mut Report) {
    let root = Path::Root("");
    let Some(body) = as_object(body, &root, r) else {
        return;
    };
    let path = root.key("groupRoles");
    let Some(roles) = body.get("groupRoles") else {
        return r.add(&path, Code::Required);
    };
    let Some(roles) = as_array(roles, &path, r) else {
        return;
    };
    let mut seen = BTreeSet::new();
    for (i, role) in roles.enumerate() {
        let at = path.index(i);
        if let Some(role) = as_str(role, &at, r) {
            if !role.is_empty() && !seen.insert(role) {
                r.add(&at, Code::Duplicate);
            } else {
                check_role(role, &at, r);
            }
        }
    }
}

/// Validates one role name, as given to "add/remove one project role": non-empty
/// (`required`); warning `unknown_role` outside [`PROJECT_ROLES`]. Path `groupRole`.
pub fn group_role(value: &str, locale: Locale) -> Validation {
    run(locale, |r| check_role(value, &Path::Root("groupRole"), r))
}

fn check_role(role: &str, path: &Path, r: &mut Report) {
    if role.is_empty() {
        r.add(path, Code::Required);
    } else if !PROJECT_ROLES.contains(&role) {
        r.add(path, Code::UnknownRole);
    }
}
