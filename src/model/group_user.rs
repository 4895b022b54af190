use serde::{Deserialize, Serialize};

open_enum! {
    /// A user's membership in the organization that owns the project.
    #[derive(Default)]
    #[cfg_attr(
        feature = "ts",
        derive(ts_rs::TS),
        ts(export, type = r#""ACTIVE" | "PENDING" | "INVITATION_EXPIRED" | "INVITATION_REJECTED" | (string & {})"#)
    )]
    pub enum OrgMembershipStatus {
        /// A member.
        #[default]
        Active => "ACTIVE",
        /// Invited, not yet joined.
        Pending => "PENDING",
        /// The invitation expired.
        InvitationExpired => "INVITATION_EXPIRED",
        /// The invitation was declined.
        InvitationRejected => "INVITATION_REJECTED",
    }
}

/// A project user, as `:addRole` and `:removeRole` return it (the spec's
/// `GroupUserResponse`).
///
/// Active users carry their name and dates; pending (invited) users carry the invitation
/// fields. Both shapes decode into this one struct, with the other shape's fields `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase", optional_fields))]
pub struct GroupUser {
    /// The user's id (24 hex digits).
    #[serde(deserialize_with = "super::object::lenient")]
    pub id: String,
    /// Membership status; decides which of the optional fields are present.
    #[cfg_attr(feature = "ts", ts(optional = false))]
    #[serde(deserialize_with = "super::object::lenient")]
    pub org_membership_status: OrgMembershipStatus,
    /// The user's project roles.
    #[serde(deserialize_with = "super::object::lenient", default)]
    pub roles: Vec<String>,
    /// The user's email address.
    #[serde(deserialize_with = "super::object::lenient")]
    pub username: String,
    /// Active users: ISO 3166-1 alpha-2 country code.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Active users: when the account was created (ISO 8601, UTC).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Active users: first name.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Active users: when the user last authenticated (ISO 8601, UTC).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub last_auth: Option<String>,
    /// Active users: last name.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Active users: mobile phone number.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// Pending users: when the invitation was sent (ISO 8601, UTC).
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub invitation_created_at: Option<String>,
    /// Pending users: when the invitation expires; Atlas sends `null` for a rejected
    /// invitation, which decodes as `None`.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub invitation_expires_at: Option<String>,
    /// Pending users: who sent the invitation.
    #[serde(deserialize_with = "super::object::lenient", default, skip_serializing_if = "Option::is_none")]
    pub inviter_username: Option<String>,
}
