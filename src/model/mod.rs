//! The request and response documents of the Atlas Administration API operations this crate
//! covers, with the spec's camelCase names.
//!
//! Conventions shared by every model:
//! - Every optional field is an [`Option`] and is left out of the JSON when it is `None`;
//!   an explicit `false`, `0` or `""` is always sent (`authenticationEnabled: false` turns
//!   LDAP off, `caCertificate: ""` deletes the certificate).
//! - Unknown fields are ignored when decoding, so a newer Atlas never breaks an older client.
//! - Fields the spec marks read-only (`links`, `requestId`, job `status` …) are still
//!   modelled, so a response decodes and re-encodes to the same JSON; Atlas ignores them in
//!   requests. The write-only `bindPassword` is a [`Secret`]: it is sent, but Atlas never
//!   returns it.
//! - Status-like strings are open enums ([`JobStatus`], [`ValidationStatus`],
//!   [`ValidationType`], [`OrgMembershipStatus`]): values the spec does not list, such as
//!   the `FAILED` and `PARSE_AUTHZ_QUERY_TEMPLATE` the live service sends, decode into an
//!   `Other` variant or a named one and survive a round trip unchanged.

#[macro_use]
mod open_enum;

mod api_error;
mod customer_x509;
mod group_roles;
mod group_user;
mod ldap_settings;
mod link;
pub(crate) mod object;
mod secret;
mod user_security;
mod user_to_dn_mapping;
mod verify_job;
mod verify_params;
mod verify_status;

pub use api_error::{ApiError, BadRequestDetail, FieldViolation};
pub use customer_x509::CustomerX509;
pub use group_roles::{AddOrRemoveGroupRole, GroupRoles};
pub use group_user::{GroupUser, OrgMembershipStatus};
pub use ldap_settings::LdapSecuritySettings;
pub use link::Link;
pub use secret::Secret;
pub use user_security::UserSecurity;
pub use user_to_dn_mapping::UserToDnMapping;
pub use verify_job::{LdapVerifyJob, LdapVerifyRequest, LdapVerifyValidation};
pub use verify_params::LdapVerifyParams;
pub use verify_status::{JobStatus, ValidationStatus, ValidationType};
