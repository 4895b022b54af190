//! The shape of Atlas's answers, checked over [`serde_json::Value`] without the typed models.
//!
//! The tables below are read from the models in `crate::model` and accept exactly what their
//! serde derives accept (unknown fields are ignored, an `Option` field may be `null`), except
//! that an array is never taken for an object: serde would read a struct from an array of its
//! fields in order. Checking by table instead of decoding keeps serde's `Deserialize` code
//! out of the WebAssembly build.
//!
//! Messages name the field with a JSON path (`ldap.port`, `validations[1].status`) and the
//! kinds involved, never a value: a value could be a secret such as `bindPassword`.

use std::fmt::Write;

use serde_json::{Map, Value};

use super::Answer;
use Kind::{Array, Bool, Object, OpenEnum, Text, U16};

/// What a field's value must be.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// Anything, even `null` (`serde_json::Value`).
    Any,
    Bool,
    /// A string.
    Text,
    /// A string enum that takes any value, known or not ([`crate::model::JobStatus`] …).
    OpenEnum,
    /// An integer from 0 to 65535: a port, an HTTP status.
    U16,
    /// An object with these fields; an array is not one.
    Object(&'static [Field]),
    /// An array whose every item is of this kind.
    Array(&'static Kind),
}

/// Whether a field may be left out, and whether `null` stands for leaving it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presence {
    /// A plain field: present, and not `null`.
    Required,
    /// An `Option` field: absent, `null`, or of its kind.
    Optional,
    /// A `#[serde(default)]` field that is not an `Option`: absent, or of its kind.
    Defaulted,
}

/// One field of an object, under its JSON name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub presence: Presence,
}

pub(crate) const fn required(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, presence: Presence::Required }
}

pub(crate) const fn optional(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, presence: Presence::Optional }
}

const fn defaulted(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, presence: Presence::Defaulted }
}

/// `Link`
const LINK: &[Field] = &[optional("href", Text), optional("rel", Text)];
const LINKS: Field = optional("links", Array(&Object(LINK)));

/// `UserSecurity`
const USER_SECURITY: &[Field] = &[
    optional("customerX509", Object(CUSTOMER_X509)),
    optional("ldap", Object(LDAP_SECURITY_SETTINGS)),
    LINKS,
];

/// `CustomerX509`
const CUSTOMER_X509: &[Field] = &[optional("cas", Text), LINKS];

/// `LdapSecuritySettings`
const LDAP_SECURITY_SETTINGS: &[Field] = &[
    optional("authenticationEnabled", Bool),
    optional("authorizationEnabled", Bool),
    optional("authzQueryTemplate", Text),
    optional("bindPassword", Text),
    optional("bindUsername", Text),
    optional("caCertificate", Text),
    optional("hostname", Text),
    optional("port", U16),
    optional("userToDNMapping", Array(&Object(USER_TO_DN_MAPPING))),
    LINKS,
];

/// `UserToDnMapping`
const USER_TO_DN_MAPPING: &[Field] =
    &[required("match", Text), optional("substitution", Text), optional("ldapQuery", Text)];

/// `LdapVerifyJob`
const LDAP_VERIFY_JOB: &[Field] = &[
    optional("groupId", Text),
    LINKS,
    optional("request", Object(LDAP_VERIFY_REQUEST)),
    optional("requestId", Text),
    optional("status", OpenEnum),
    optional("validations", Array(&Object(LDAP_VERIFY_VALIDATION))),
];

/// `LdapVerifyRequest`
const LDAP_VERIFY_REQUEST: &[Field] = &[
    optional("authzQueryTemplate", Text),
    optional("bindUsername", Text),
    optional("caCertificate", Text),
    optional("hostname", Text),
    LINKS,
    optional("port", U16),
];

/// `LdapVerifyValidation`
const LDAP_VERIFY_VALIDATION: &[Field] = &[optional("status", OpenEnum), optional("validationType", OpenEnum)];

/// `GroupRoles`
const GROUP_ROLES: &[Field] = &[optional("groupRoles", Array(&Text)), LINKS];

/// `GroupUser`
const GROUP_USER: &[Field] = &[
    required("id", Text),
    required("orgMembershipStatus", OpenEnum),
    defaulted("roles", Array(&Text)),
    required("username", Text),
    optional("country", Text),
    optional("createdAt", Text),
    optional("firstName", Text),
    optional("lastAuth", Text),
    optional("lastName", Text),
    optional("mobileNumber", Text),
    optional("invitationCreatedAt", Text),
    optional("invitationExpiresAt", Text),
    optional("inviterUsername", Text),
];

/// Checks that `document` has the shape of `answer`'s model. The error is a message that
/// names the first field found wrong.
pub(crate) fn check_answer(answer: Answer, document: &Value) -> Result<(), String> {
    let fields = match answer {
        Answer::UserSecurity => USER_SECURITY,
        Answer::VerifyJob => LDAP_VERIFY_JOB,
        Answer::GroupRoles => GROUP_ROLES,
        Answer::GroupUser => GROUP_USER,
    };
    check(fields, document)
}

/// Checks that `document` is an object with `fields`.
pub(crate) fn check(fields: &'static [Field], document: &Value) -> Result<(), String> {
    check_value(Object(fields), document, &mut String::new())
}

/// `path` is where `value` sits; it is left as it was on success.
fn check_value(kind: Kind, value: &Value, path: &mut String) -> Result<(), String> {
    let fits = match (kind, value) {
        (Kind::Any, _) | (Bool, Value::Bool(_)) | (Text | OpenEnum, Value::String(_)) => true,
        (U16, Value::Number(n)) => n.as_u64().is_some_and(|n| n <= u64::from(u16::MAX)),
        (Object(fields), Value::Object(map)) => return check_object(fields, map, path),
        (Array(item), Value::Array(items)) => {
            let len = path.len();
            for (index, value) in items.iter().enumerate() {
                let _ = write!(path, "[{index}]");
                check_value(*item, value, path)?;
                path.truncate(len);
            }
            return Ok(());
        }
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(at(path, format!("expected {}, found {}", expected(kind), found(kind, value))))
    }
}

fn check_object(fields: &[Field], map: &Map<String, Value>, path: &mut String) -> Result<(), String> {
    // In the document's order, as serde reports the first bad field; unknown keys are skipped.
    for (key, value) in map {
        let Some(field) = fields.iter().find(|f| f.name == key) else { continue };
        if value.is_null() && field.presence == Presence::Optional {
            continue;
        }
        let len = path.len();
        if len > 0 {
            path.push('.');
        }
        path.push_str(field.name);
        check_value(field.kind, value, path)?;
        path.truncate(len);
    }
    match fields.iter().find(|f| f.presence == Presence::Required && !map.contains_key(f.name)) {
        Some(missing) => Err(at(path, format!("missing field `{}`", missing.name))),
        None => Ok(()),
    }
}

fn at(path: &str, problem: String) -> String {
    if path.is_empty() {
        problem
    } else {
        format!("{path}: {problem}")
    }
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Any => "any value",
        Bool => "true or false",
        Text | OpenEnum => "a string",
        U16 => "an integer from 0 to 65535",
        Object(_) => "an object",
        Array(_) => "an array",
    }
}

fn found(kind: Kind, value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a floating-point number",
        Value::Number(n) if matches!(kind, U16) && n.as_u64().is_none() => "a negative integer",
        Value::Number(_) if matches!(kind, U16) => "an integer above 65535",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
