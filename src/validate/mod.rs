//! Validators for ids, LDAP fields and whole request bodies.
//!
//! Every validator returns a [`Validation`]: it never panics and never stops at the first
//! problem. Each [`FieldIssue`] names the JSON path of the field, a stable lower_snake_case
//! code (see [`Code`]), a severity, and a message in the requested [`Locale`].
//!
//! - Ids: [`group_id`], [`user_id`], [`request_id`].
//! - LDAP fields: [`hostname`], [`bind_username`], [`port`], [`authz_query_template`],
//!   [`pem_certificates`], [`user_to_dn_mapping`].
//! - Whole bodies (any JSON value): [`user_security`], [`ldap_verify_params`], [`group_roles`];
//!   one role: [`group_role`]. The same bodies as JSON text, read in place without building a
//!   `serde_json::Value`: [`user_security_json`], [`ldap_verify_params_json`],
//!   [`group_roles_json`].
//! - The patterns the Atlas spec documents: [`SPEC_PATTERNS`]. Values that are valid but that
//!   those patterns reject (applied to the whole input) get a `spec_pattern` warning.
//!
//! ```
//! use atlas_ldap::validate::{hostname, user_security, Locale, Severity};
//!
//! let v = hostname("atlas-ldaps-01.ldap.myteam.com", Locale::En);
//! assert!(v.ok);
//! assert_eq!(v.issues[0].code, "spec_pattern");
//! assert_eq!(v.issues[0].severity, Severity::Warning);
//!
//! let body = serde_json::json!({ "ldap": { "port": 0, "hostname": "ldap.example.com:636" } });
//! let v = user_security(&body, Locale::Zh);
//! assert!(!v.ok);
//! assert_eq!(v.issues[0].path, "ldap.hostname");
//! assert_eq!(v.issues[1].path, "ldap.port");
//! ```

mod body;
mod dn;
mod hostname;
mod ids;
mod issue;
mod json;
mod mapping;
mod messages;
mod pem;
mod port;
mod query;
mod report;
mod roles;
mod spec_pattern;
mod text;
mod tree;
pub(crate) use hostname::is_ipv4;
#[cfg(all(target_arch = "wasm32", feature = "wasm-client"))]
pub(crate) use tree::replace_lone_surrogates;
mod value;

pub use body::{ldap_verify_params, user_security, wrong_type};
pub use dn::{bind_username, is_distinguished_name};
pub use hostname::hostname;
pub use ids::{group_id, is_id, request_id, user_id};
pub use issue::{FieldIssue, Locale, Severity, Validation};
pub use mapping::{capture_groups, user_to_dn_mapping};
pub use messages::Code;
pub use pem::pem_certificates;
pub use port::port;
pub use query::authz_query_template;
pub use roles::{group_role, group_roles, PROJECT_ROLES};
pub use text::{group_roles_json, ldap_verify_params_json, user_security_json};
pub use spec_pattern::{
    bind_username_matches_spec, hostname_matches_spec, SpecPatterns, SPEC_PATTERNS,
};
