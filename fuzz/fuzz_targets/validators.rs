//! Every validator on arbitrary input: as a string to the string validators, as JSON text to
//! the text body validators, as JSON (when the bytes parse) to the body validators, and as
//! every string field inside the bodies.
//!
//! Checked: no panic, `ok` is exactly "no issue of severity error", every issue has a code and
//! a message, the boolean helpers agree with their validators, and the text body validators
//! agree with the value ones.
#![no_main]

use atlas_ldap::validate::{self as v, Locale, Severity, Validation};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn check(what: &str, input: &str, res: &Validation) {
    let has_error = res.issues.iter().any(|i| i.severity == Severity::Error);
    assert_eq!(res.ok, !has_error, "{what}: ok disagrees with the issues for {input:?}: {res:?}");
    for issue in &res.issues {
        // The path is "" for the body itself (a body of the wrong JSON type).
        assert!(
            !issue.code.is_empty() && !issue.message.is_empty(),
            "{what}: an issue without a code or a message for {input:?}: {issue:?}"
        );
    }
}

fn strings(s: &str, locale: Locale) {
    let id = v::group_id(s, locale);
    check("groupId", s, &id);
    assert_eq!(id.ok, v::is_id(s), "is_id disagrees with groupId for {s:?}");
    check("userId", s, &v::user_id(s, locale));
    check("requestId", s, &v::request_id(s, locale));
    check("hostname", s, &v::hostname(s, locale));
    let dn = v::bind_username(s, locale);
    check("bindUsername", s, &dn);
    assert_eq!(dn.ok, v::is_distinguished_name(s), "is_distinguished_name disagrees for {s:?}");
    check("groupRole", s, &v::group_role(s, locale));
    check("authzQueryTemplate", s, &v::authz_query_template(s, "ldap.authzQueryTemplate", true, locale));
    check("authzQueryTemplate", s, &v::authz_query_template(s, "ldap.authzQueryTemplate", false, locale));
    check("caCertificate", s, &v::pem_certificates(s, "ldap.caCertificate", locale));
    check("port", s, &v::port(&Value::String(s.to_owned()), locale));
    let _ = v::capture_groups(s);
    let _ = v::hostname_matches_spec(s);
    let _ = v::bind_username_matches_spec(s);
    let _ = Locale::parse(s);

    // The same string in every string field of the bodies.
    let mapping = json!([
        { "match": s, "substitution": s },
        { "match": s, "ldapQuery": s },
        { "match": s, "substitution": s, "ldapQuery": s },
    ]);
    check("userToDNMapping", s, &v::user_to_dn_mapping(&mapping[0], "ldap.userToDNMapping[0]", locale));
    check("userToDNMapping", s, &v::user_to_dn_mapping(&mapping[1], "ldap.userToDNMapping[1]", locale));
    let body = json!({
        "ldap": {
            "authenticationEnabled": true,
            "authorizationEnabled": true,
            "hostname": s,
            "port": 636,
            "bindUsername": s,
            "bindPassword": s,
            "caCertificate": s,
            "authzQueryTemplate": s,
            "userToDNMapping": mapping,
        },
        "customerX509": { "cas": s },
    });
    check("userSecurity", s, &v::user_security(&body, locale));
    let params = json!({
        "hostname": s, "port": 636, "bindUsername": s, "bindPassword": s,
        "caCertificate": s, "authzQueryTemplate": s,
    });
    check("ldapVerifyParams", s, &v::ldap_verify_params(&params, locale));
    check("groupRoles", s, &v::group_roles(&json!({ "groupRoles": [s, s, "GROUP_OWNER"] }), locale));
}

fn bodies(text: &str, body: &Value, locale: Locale) {
    check("userSecurity", text, &v::user_security(body, locale));
    check("userSecurity.ldap", text, &v::user_security(&json!({ "ldap": body }), locale));
    check(
        "userSecurity.ldap.userToDNMapping",
        text,
        &v::user_security(&json!({ "ldap": { "userToDNMapping": body } }), locale),
    );
    check("ldapVerifyParams", text, &v::ldap_verify_params(body, locale));
    check("groupRoles", text, &v::group_roles(body, locale));
    check("groupRoles.groupRoles", text, &v::group_roles(&json!({ "groupRoles": body }), locale));
    check("userToDNMapping", text, &v::user_to_dn_mapping(body, "ldap.userToDNMapping[0]", locale));
    check("port", text, &v::port(body, locale));
}

/// The bodies as JSON text: the same result as on the parsed value whenever serde_json parses
/// the text (it refuses a few texts the text readers accept: escaped lone surrogates).
fn texts(text: &str, body: Option<&Value>, locale: Locale) {
    let pairs: [(&str, fn(&str, Locale) -> Validation, fn(&Value, Locale) -> Validation); 3] = [
        ("userSecurity", v::user_security_json, v::user_security),
        ("ldapVerifyParams", v::ldap_verify_params_json, v::ldap_verify_params),
        ("groupRoles", v::group_roles_json, v::group_roles),
    ];
    for (what, on_text, on_value) in pairs {
        let res = on_text(text, locale);
        check(what, text, &res);
        if let Some(body) = body {
            assert_eq!(res, on_value(body, locale), "{what}: text and value disagree for {text:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // One locale per input, so both message tables are reached without doubling the cost.
    let locale = if data.first().is_some_and(|b| b & 1 == 1) { Locale::Zh } else { Locale::En };
    strings(&text, locale);
    let body = serde_json::from_str::<Value>(&text).ok();
    texts(&text, body.as_ref(), locale);
    if let Some(body) = &body {
        bodies(&text, body, locale);
    }
});
