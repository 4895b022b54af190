//! Validators for ids, LDAP fields and whole request bodies.
//!
//! Every validator returns a [`Validation`]: it never panics and never stops at the first
//! problem. Each [`FieldIssue`] names the JSON path of the field, a stable lower_snake_case
//! code, a severity, and a message in the requested [`Locale`].

mod issue;

pub use issue::{FieldIssue, Locale, Severity, Validation};
