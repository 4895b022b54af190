//! The whole-body validators on JSON text, for bodies that arrive as text (such as
//! `JSON.stringify` output): they read the text in place instead of building a
//! `serde_json::Value` first, and give the same result as parsing it and calling the
//! validator on the value.

use super::body::{check_ldap_verify_params, check_user_security, wrong_type};
use super::issue::{Locale, Validation};
use super::report::{run, Report};
use super::roles::check_group_roles;
use super::tree::{replace_lone_surrogates, Doc};
use super::value::JsonRef;

/// [`user_security`](super::user_security) on the JSON text of a body. Text that is not JSON
/// is a single `type` issue at the root (path `""`), as for a body that is not an object.
///
/// `serde_json` reads the text, with one difference: an escaped UTF-16 surrogate without its
/// partner (`"\ud800"`, which `JSON.stringify` writes for a lone surrogate) is read as U+FFFD
/// where `serde_json` refuses the text. When a member name repeats, the last one counts.
///
/// ```
/// use atlas_ldap::validate::{user_security_json, Locale};
///
/// let v = user_security_json(r#"{ "ldap": { "port": 0 } }"#, Locale::En);
/// assert_eq!(v.issues[0].path, "ldap.port");
/// assert_eq!(v.issues[0].code, "range");
///
/// let v = user_security_json("{ \"ldap\": ", Locale::En);
/// assert_eq!((v.issues[0].path.as_str(), v.issues[0].code.as_str()), ("", "type"));
/// ```
pub fn user_security_json(text: &str, locale: Locale) -> Validation {
    body(text, locale, check_user_security)
}

/// [`ldap_verify_params`](super::ldap_verify_params) on the JSON text of a body; text that is
/// not JSON is a `type` issue at the root. The text is read as by [`user_security_json`].
pub fn ldap_verify_params_json(text: &str, locale: Locale) -> Validation {
    body(text, locale, check_ldap_verify_params)
}

/// [`group_roles`](super::group_roles) on the JSON text of a body; text that is not JSON is a
/// `type` issue at the root. The text is read as by [`user_security_json`].
pub fn group_roles_json(text: &str, locale: Locale) -> Validation {
    body(text, locale, check_group_roles)
}

/// One copy for the three bodies: `check` is a plain function, not a generic closure.
fn body(text: &str, locale: Locale, check: fn(JsonRef, &mut Report)) -> Validation {
    let checked = |doc: &Doc| run(locale, |r| check(JsonRef::Text(doc.root()), r));
    if let Ok(doc) = Doc::parse(text) {
        return checked(&doc);
    }
    // Refused: perhaps only for a lone surrogate, which JSON.stringify writes as an escape.
    if let Some(text) = replace_lone_surrogates(text) {
        if let Ok(doc) = Doc::parse(&text) {
            return checked(&doc);
        }
    }
    wrong_type("", "object", locale)
}
