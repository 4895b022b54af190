use serde::{Deserialize, Serialize};

use super::Link;

/// The project roles of one user, as `PUT …/users/{userId}/roles` takes and returns them
/// (the spec's `UpdateGroupRolesForUser`). The list replaces the user's roles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct GroupRoles {
    /// Unique project role names, such as `GROUP_OWNER` or `GROUP_READ_ONLY`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub group_roles: Option<Vec<String>>,
    /// Related resources; read-only.
    #[serde(default, deserialize_with = "super::object::list", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
}

/// The body of `POST …/users/{userId}:addRole` and `:removeRole`: one project role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase"))]
pub struct AddOrRemoveGroupRole {
    /// The project role to add or remove, such as `GROUP_READ_ONLY`.
    #[serde(deserialize_with = "super::object::lenient")]
    pub group_role: String,
}
