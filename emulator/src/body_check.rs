//! Checks request bodies before they are decoded into the crate's models.
//!
//! The checks look at the JSON itself so their messages name the field and the rule but
//! never echo a value (a mistyped `bindPassword` must not come back in an error).
//! This is the single place to switch to the crate's `atlas_ldap::validate` body
//! validators once they exist.

use atlas_ldap::model::FieldViolation;
use serde_json::{Map, Value};

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
        return Err(Fail::bad_request("MALFORMED_JSON", "The request body is empty; this operation needs a JSON document."));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        Fail::bad_request(
            "MALFORMED_JSON",
            format!("Received JSON is malformed: {} at line {}, column {}.", syntax_kind(&e), e.line(), e.column()),
        )
    })?;
    let mut issues = Issues::default();
    match kind {
        BodyKind::UserSecurity => user_security(&value, &mut issues),
        BodyKind::LdapVerifyParams => ldap_verify_params(&value, &mut issues),
        BodyKind::GroupRoles => group_roles(&value, &mut issues),
        BodyKind::GroupRole => group_role(&value, &mut issues),
    }
    if issues.fields.is_empty() {
        return Ok(value);
    }
    let first = &issues.fields[0];
    let more = match issues.fields.len() - 1 {
        0 => String::new(),
        n => format!(" ({n} more in badRequestDetail)"),
    };
    let code = if issues.type_error { "INVALID_JSON_ATTRIBUTE" } else { "VALIDATION_ERROR" };
    Err(Fail::bad_request(code, format!("Invalid attribute {}: {}.{more}", first.field, first.description)).with_fields(issues.fields))
}

fn syntax_kind(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of input",
        serde_json::error::Category::Syntax => "syntax error",
        _ => "invalid document",
    }
}

#[derive(Default)]
struct Issues {
    fields: Vec<FieldViolation>,
    type_error: bool,
}

impl Issues {
    fn add(&mut self, field: &str, description: impl Into<String>) {
        self.fields.push(FieldViolation { field: field.to_owned(), description: description.into() });
    }
    fn wrong_type(&mut self, field: &str, expected: &str) {
        self.type_error = true;
        self.add(field, format!("must be {expected}"));
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
}

fn object<'a>(v: &'a Value, path: &str, issues: &mut Issues) -> Option<&'a Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        _ => {
            issues.wrong_type(if path.is_empty() { "body" } else { path }, "a JSON object");
            None
        }
    }
}

/// The field when present and not null.
fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    m.get(name).filter(|v| !v.is_null())
}

fn string<'a>(m: &'a Map<String, Value>, prefix: &str, name: &str, issues: &mut Issues) -> Option<&'a str> {
    let v = field(m, name)?;
    match v.as_str() {
        Some(s) => Some(s),
        None => {
            issues.wrong_type(&join(prefix, name), "a string");
            None
        }
    }
}

fn boolean(m: &Map<String, Value>, prefix: &str, name: &str, issues: &mut Issues) -> Option<bool> {
    let v = field(m, name)?;
    match v.as_bool() {
        Some(b) => Some(b),
        None => {
            issues.wrong_type(&join(prefix, name), "true or false");
            None
        }
    }
}

fn port(m: &Map<String, Value>, prefix: &str, issues: &mut Issues) {
    if let Some(v) = field(m, "port") {
        match v.as_u64() {
            Some(1..=65535) => {}
            Some(_) => issues.add(&join(prefix, "port"), "must be a port number from 1 to 65535"),
            None if v.is_number() => issues.add(&join(prefix, "port"), "must be a port number from 1 to 65535"),
            None => issues.wrong_type(&join(prefix, "port"), "an integer"),
        }
    }
}

fn require(m: &Map<String, Value>, prefix: &str, names: &[&str], issues: &mut Issues) {
    for name in names {
        if field(m, name).is_none() {
            issues.add(&join(prefix, name), "is required");
        }
    }
}

fn user_security(v: &Value, issues: &mut Issues) {
    let Some(body) = object(v, "", issues) else { return };
    if let Some(x) = field(body, "customerX509") {
        if let Some(x) = object(x, "customerX509", issues) {
            string(x, "customerX509", "cas", issues);
        }
    }
    let Some(ldap) = field(body, "ldap") else { return };
    let Some(ldap) = object(ldap, "ldap", issues) else { return };
    let authn = boolean(ldap, "ldap", "authenticationEnabled", issues);
    let authz = boolean(ldap, "ldap", "authorizationEnabled", issues);
    if authz == Some(true) && authn == Some(false) {
        issues.add("ldap.authorizationEnabled", "cannot be true while authenticationEnabled is false");
    }
    for name in ["authzQueryTemplate", "bindPassword", "bindUsername", "caCertificate"] {
        string(ldap, "ldap", name, issues);
    }
    if let Some(host) = string(ldap, "ldap", "hostname", issues) {
        if host.trim().is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            issues.add("ldap.hostname", "must be a host name or IP address without scheme, port or spaces");
        }
    }
    port(ldap, "ldap", issues);
    if let Some(list) = field(ldap, "userToDNMapping") {
        match list.as_array() {
            None => issues.wrong_type("ldap.userToDNMapping", "an array"),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("ldap.userToDNMapping[{i}]");
                    let Some(rule) = object(item, &path, issues) else { continue };
                    match string(rule, &path, "match", issues) {
                        Some("") => issues.add(&join(&path, "match"), "must not be empty"),
                        None if field(rule, "match").is_none() => issues.add(&join(&path, "match"), "is required"),
                        _ => {}
                    }
                    let sub = string(rule, &path, "substitution", issues);
                    let query = string(rule, &path, "ldapQuery", issues);
                    if sub.is_none() && query.is_none() && field(rule, "substitution").is_none() && field(rule, "ldapQuery").is_none() {
                        issues.add(&path, "needs a substitution or an ldapQuery");
                    }
                }
            }
        }
    }
}

fn ldap_verify_params(v: &Value, issues: &mut Issues) {
    let Some(body) = object(v, "", issues) else { return };
    require(body, "", &["hostname", "port", "bindUsername", "bindPassword"], issues);
    for name in ["authzQueryTemplate", "bindPassword", "bindUsername", "caCertificate", "hostname"] {
        string(body, "", name, issues);
    }
    port(body, "", issues);
}

fn group_roles(v: &Value, issues: &mut Issues) {
    let Some(body) = object(v, "", issues) else { return };
    let Some(roles) = field(body, "groupRoles") else {
        issues.add("groupRoles", "is required");
        return;
    };
    let Some(roles) = roles.as_array() else {
        issues.wrong_type("groupRoles", "an array of role names");
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for (i, role) in roles.iter().enumerate() {
        match role.as_str() {
            None => issues.wrong_type(&format!("groupRoles[{i}]"), "a string"),
            Some("") => issues.add(&format!("groupRoles[{i}]"), "must not be empty"),
            Some(r) if !seen.insert(r) => issues.add(&format!("groupRoles[{i}]"), "repeats a role"),
            _ => {}
        }
    }
}

fn group_role(v: &Value, issues: &mut Issues) {
    let Some(body) = object(v, "", issues) else { return };
    match string(body, "", "groupRole", issues) {
        Some("") => issues.add("groupRole", "must not be empty"),
        None if field(body, "groupRole").is_none() => issues.add("groupRole", "is required"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_never_echo_values() {
        let e = check(BodyKind::LdapVerifyParams, br#"{"hostname":"h","port":636,"bindUsername":"CN=a","bindPassword":12345678}"#).unwrap_err();
        assert_eq!(e.code, "INVALID_JSON_ATTRIBUTE");
        assert!(!e.detail.contains("12345678"), "{}", e.detail);
        assert!(e.detail.contains("bindPassword"));
    }

    #[test]
    fn rules() {
        assert!(check(BodyKind::UserSecurity, br#"{"ldap":{"port":70000}}"#).is_err());
        assert!(check(BodyKind::UserSecurity, br#"{"ldap":{"authenticationEnabled":false,"authorizationEnabled":true}}"#).is_err());
        assert!(check(BodyKind::UserSecurity, br#"{"ldap":{"userToDNMapping":[{"match":"(.*)"}]}}"#).is_err());
        assert!(check(BodyKind::UserSecurity, br#"{"ldap":{"caCertificate":"","authenticationEnabled":false}}"#).is_ok());
        assert!(check(BodyKind::GroupRoles, br#"{"groupRoles":["A","A"]}"#).is_err());
        assert_eq!(check(BodyKind::GroupRole, b"{").unwrap_err().code, "MALFORMED_JSON");
        assert!(check(BodyKind::GroupRole, b"[]").is_err());
    }
}
