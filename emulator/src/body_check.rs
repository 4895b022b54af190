//! Checks request bodies with the crate's validators (`atlas_ldap::validate`) before they
//! are decoded into the crate's models, so the emulator refuses exactly what the client
//! library and the web console flag as errors.
//!
//! Error-severity issues become a 400 `ApiError` whose `badRequestDetail.fields` lists
//! every one of them (`field` = the issue's JSON path, `description` = its message);
//! warnings (an undocumented role, a host name the spec's pattern misses, …) never block.
//! The validators' messages name the field and the rule but never contain a submitted
//! value, so a mistyped `bindPassword` cannot come back in an error.

use atlas_ldap::model::FieldViolation;
use atlas_ldap::validate::{self, Locale, Severity, Validation};
use serde_json::Value;

use crate::reply::Fail;

/// The request bodies the emulator accepts.
#[derive(Debug, Clone, Copy)]
pub enum BodyKind {
    UserSecurity,
    LdapVerifyParams,
    GroupRoles,
    GroupRole,
}

/// Parses and checks a body; on success returns the JSON, ready to decode into the model.
pub fn check(kind: BodyKind, bytes: &[u8]) -> Result<Value, Fail> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Fail::bad_request(
            "MALFORMED_JSON",
            "The request body is empty; this operation needs a JSON document.",
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        Fail::bad_request(
            "MALFORMED_JSON",
            format!(
                "Received JSON is malformed: {} at line {}, column {}.",
                syntax_kind(&e),
                e.line(),
                e.column()
            ),
        )
    })?;
    let result = match kind {
        BodyKind::UserSecurity => validate::user_security(&value, Locale::En),
        BodyKind::LdapVerifyParams => validate::ldap_verify_params(&value, Locale::En),
        BodyKind::GroupRoles => validate::group_roles(&value, Locale::En),
        BodyKind::GroupRole => group_role_body(&value),
    };
    match rejection(&result) {
        None => Ok(value),
        Some(fail) => Err(fail),
    }
}

/// `{"groupRole": "NAME"}`: the validator checks the name; the envelope is checked here
/// with the validator's own wording.
fn group_role_body(value: &Value) -> Validation {
    let Some(body) = value.as_object() else {
        return validate::wrong_type("", "object", Locale::En);
    };
    match body.get("groupRole") {
        None => validate::group_role("", Locale::En),
        Some(Value::String(name)) => validate::group_role(name, Locale::En),
        Some(_) => validate::wrong_type("groupRole", "string", Locale::En),
    }
}

/// The 400 for a validation with errors, or None when only warnings (or nothing) remain.
/// A wrong JSON type anywhere makes it `INVALID_JSON_ATTRIBUTE`, as Atlas answers for a
/// value its decoder cannot read; any other rule is `VALIDATION_ERROR`.
fn rejection(v: &Validation) -> Option<Fail> {
    let errors: Vec<_> = v
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    let first = errors.first()?;
    let code = if errors.iter().any(|i| i.code == "type") {
        "INVALID_JSON_ATTRIBUTE"
    } else {
        "VALIDATION_ERROR"
    };
    let more = match errors.len() - 1 {
        0 => String::new(),
        n => format!(" ({n} more in badRequestDetail.fields.)"),
    };
    let fields = errors
        .iter()
        .map(|i| FieldViolation {
            field: if i.path.is_empty() {
                "body".into()
            } else {
                i.path.clone()
            },
            description: i.message.clone(),
        })
        .collect();
    Some(Fail::bad_request(code, format!("{}{more}", first.message)).with_fields(fields))
}

fn syntax_kind(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of input",
        serde_json::error::Category::Syntax => "syntax error",
        _ => "invalid document",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0+/\nTUlJQg==\n-----END CERTIFICATE-----\n";

    fn fields(e: &Fail) -> Vec<&str> {
        e.fields.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn type_errors_never_echo_values() {
        let e = check(
            BodyKind::LdapVerifyParams,
            br#"{"hostname":"h","port":636,"bindUsername":"CN=a","bindPassword":12345678}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, "INVALID_JSON_ATTRIBUTE");
        assert_eq!(fields(&e), ["bindPassword"]);
        let all = serde_json::to_string(&e.to_api_error()).unwrap();
        assert!(!all.contains("12345678"), "{all}");
    }

    #[test]
    fn rule_errors_never_echo_values() {
        let body = br#"{"ldap":{"hostname":"ldaps://secret-host.example:636","bindUsername":"not a dn secret-user","bindPassword":"hunter2-secret","caCertificate":"secret-cert","port":0}}"#;
        let e = check(BodyKind::UserSecurity, body).unwrap_err();
        assert_eq!(e.code, "VALIDATION_ERROR");
        assert_eq!(
            fields(&e),
            [
                "ldap.hostname",
                "ldap.port",
                "ldap.bindUsername",
                "ldap.caCertificate"
            ]
        );
        let all = serde_json::to_string(&e.to_api_error()).unwrap();
        assert!(!all.contains("secret"), "{all}");
        assert!(e.detail.contains("3 more"), "{}", e.detail);
    }

    #[test]
    fn rules() {
        assert!(check(BodyKind::UserSecurity, br#"{"ldap":{"port":70000}}"#).is_err());
        let e = check(
            BodyKind::UserSecurity,
            br#"{"ldap":{"authenticationEnabled":false,"authorizationEnabled":true}}"#,
        )
        .unwrap_err();
        assert_eq!(fields(&e), ["ldap.authorizationEnabled"]);
        let e = check(
            BodyKind::UserSecurity,
            br#"{"ldap":{"userToDNMapping":[{"match":"(.*)"}]}}"#,
        )
        .unwrap_err();
        assert_eq!(fields(&e), ["ldap.userToDNMapping[0]"]);
        assert!(check(
            BodyKind::UserSecurity,
            br#"{"ldap":{"caCertificate":"","authenticationEnabled":false}}"#
        )
        .is_ok());
        // The docs' placeholder certificate is not PEM: refused, as Atlas refuses it.
        let e = check(
            BodyKind::UserSecurity,
            br#"{"customerX509":{"cas":"string"},"ldap":{"caCertificate":"string"}}"#,
        )
        .unwrap_err();
        assert_eq!(fields(&e), ["customerX509.cas", "ldap.caCertificate"]);
        let ok =
            serde_json::json!({"customerX509": {"cas": CERT}, "ldap": {"caCertificate": CERT}});
        assert!(check(BodyKind::UserSecurity, ok.to_string().as_bytes()).is_ok());
        let e = check(
            BodyKind::GroupRoles,
            br#"{"groupRoles":["GROUP_OWNER","GROUP_OWNER"]}"#,
        )
        .unwrap_err();
        assert_eq!(fields(&e), ["groupRoles[1]"]);
        assert_eq!(
            check(BodyKind::GroupRole, b"{").unwrap_err().code,
            "MALFORMED_JSON"
        );
        assert_eq!(
            fields(&check(BodyKind::GroupRole, b"[]").unwrap_err()),
            ["body"]
        );
        assert_eq!(
            fields(&check(BodyKind::GroupRole, b"{}").unwrap_err()),
            ["groupRole"]
        );
        assert_eq!(
            check(BodyKind::GroupRole, br#"{"groupRole":7}"#)
                .unwrap_err()
                .code,
            "INVALID_JSON_ATTRIBUTE"
        );
    }

    #[test]
    fn warnings_never_block() {
        // An undocumented role name and a mapping with both templates are warnings only;
        // the role is then refused by the route as INVALID_ROLE, not here.
        assert!(check(BodyKind::GroupRole, br#"{"groupRole":"GROUP_NOT_A_ROLE"}"#).is_ok());
        assert!(check(
            BodyKind::GroupRoles,
            br#"{"groupRoles":["GROUP_NOT_A_ROLE"]}"#
        )
        .is_ok());
        let both = br#"{"ldap":{"userToDNMapping":[{"match":"(.*)","substitution":"CN={0},DC=x","ldapQuery":"q"}]}}"#;
        assert!(check(BodyKind::UserSecurity, both).is_ok());
        let no_user = br#"{"hostname":"h.example.com","port":636,"bindUsername":"CN=a,DC=b","bindPassword":"p","authzQueryTemplate":"DC=x??base"}"#;
        assert!(check(BodyKind::LdapVerifyParams, no_user).is_ok());
    }
}
