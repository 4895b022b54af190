//! Whole request bodies: the `userSecurity` PATCH body and the LDAP verify POST body.

use serde_json::Value;

use super::dn::check_bind_username;
use super::hostname::check_hostname;
use super::issue::{Locale, Validation};
use super::json::{as_bool, as_object, as_str, wrong_type_at};
use super::mapping::check_user_to_dn_mapping;
use super::messages::Code;
use super::pem::check_pem_certificates;
use super::port::check_port;
use super::query::check_query_template;
use super::report::{run, Path, Report};
use super::value::JsonRef;

/// Validates the body of "update LDAP or X.509 configuration" (`PATCH …/userSecurity`), any
/// JSON value. Every member is optional; present members must have their JSON type (`type`)
/// and pass the rules of their field: `ldap.hostname` ([`hostname`](super::hostname)),
/// `ldap.port` ([`port`](super::port)), `ldap.bindUsername`
/// ([`bind_username`](super::bind_username)), `ldap.authzQueryTemplate`
/// ([`authz_query_template`](super::authz_query_template)), `ldap.caCertificate` and
/// `customerX509.cas` ([`pem_certificates`](super::pem_certificates)),
/// `ldap.userToDNMapping` ([`user_to_dn_mapping`](super::user_to_dn_mapping)).
/// `ldap.authorizationEnabled: true` with `ldap.authenticationEnabled: false` is an error
/// (`authorization_without_authentication`). `bindPassword` must be a string; its value never
/// appears in a message. Unknown and read-only members (`links`) are ignored.
pub fn user_security(body: &Value, locale: Locale) -> Validation {
    run(locale, |r| check_user_security(JsonRef::Value(body), r))
}

pub(crate) fn check_user_security<'v>(body: JsonRef<'v>, r: &mut Report) {
    let root = Path::Root("");
    let Some(body) = as_object(body, &root, r) else {
        return;
    };
    if let Some(x509) = body.get("customerX509") {
        let path = root.key("customerX509");
        if let Some(x509) = as_object(x509, &path, r) {
            if let Some(cas) = x509.get("cas") {
                let path = path.key("cas");
                if let Some(cas) = as_str(cas, &path, r) {
                    check_pem_certificates(cas, &path, r);
                }
            }
        }
    }
    if let Some(ldap) = body.get("ldap") {
        let path = root.key("ldap");
        if let Some(ldap) = as_object(ldap, &path, r) {
            check_ldap(ldap, &path, r);
        }
    }
}

fn check_ldap<'v>(ldap: JsonRef<'v>, path: &Path, r: &mut Report) {
    let flag =
        |name: &str, r: &mut Report| ldap.get(name).and_then(|v| as_bool(v, &path.key(name), r));
    let authentication = flag("authenticationEnabled", r);
    let authorization = flag("authorizationEnabled", r);
    if authorization == Some(true) && authentication == Some(false) {
        r.add(
            &path.key("authorizationEnabled"),
            Code::AuthorizationWithoutAuthentication,
        );
    }
    check_connection(ldap, path, Presence::Optional, r);
    check_optional_query(ldap, path, authorization == Some(true), r);
    if let Some(mapping) = ldap.get("userToDNMapping") {
        check_user_to_dn_mapping(mapping, &path.key("userToDNMapping"), r);
    }
}

/// Validates the body of "verify LDAP configuration" (`POST …/ldap/verify`), any JSON value.
/// `hostname`, `port`, `bindUsername` and `bindPassword` are required (`required` when missing
/// or an empty string); `authzQueryTemplate` and `caCertificate` are optional. Each member
/// follows the same field rules as in [`user_security`]; since the verify job runs the
/// authorization query whenever one is given, a template without `{USER}` is a
/// `query_missing_user` warning. Paths are the member names (`hostname`, `port`, …).
pub fn ldap_verify_params(body: &Value, locale: Locale) -> Validation {
    run(locale, |r| {
        check_ldap_verify_params(JsonRef::Value(body), r)
    })
}

pub(crate) fn check_ldap_verify_params<'v>(body: JsonRef<'v>, r: &mut Report) {
    let root = Path::Root("");
    let Some(body) = as_object(body, &root, r) else {
        return;
    };
    check_connection(body, &root, Presence::Required, r);
    check_optional_query(body, &root, true, r);
}

/// Reports a single `type` issue at `path`: the value must be `expected` (`"string"`,
/// `"object"`, `"array"`, `"boolean"` or `"integer"` get localized names). For a JavaScript
/// caller that passed, say, a number where a string id belongs.
pub fn wrong_type(path: &str, expected: &str, locale: Locale) -> Validation {
    run(locale, |r| wrong_type_at(&Path::Root(path), expected, r))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Optional,
    Required,
}

/// The members shared by the LDAP settings and the verify parameters: `hostname`, `port`,
/// `bindUsername`, `bindPassword`, `caCertificate`.
fn check_connection<'v>(obj: JsonRef<'v>, path: &Path, presence: Presence, r: &mut Report) {
    let required = presence == Presence::Required;
    let member = |name: &'static str, r: &mut Report| -> Option<JsonRef<'v>> {
        let v = obj.get(name);
        if v.is_none() && required {
            r.add(&path.key(name), Code::Required);
        }
        v
    };
    if let Some(v) = member("hostname", r) {
        let p = path.key("hostname");
        if let Some(s) = as_str(v, &p, r) {
            check_hostname(s, &p, r);
        }
    }
    if let Some(v) = member("port", r) {
        check_port(v, &path.key("port"), r);
    }
    if let Some(v) = member("bindUsername", r) {
        let p = path.key("bindUsername");
        if let Some(s) = as_str(v, &p, r) {
            check_bind_username(s, &p, r);
        }
    }
    if let Some(v) = member("bindPassword", r) {
        // Only the type and, when required, emptiness: the value itself is never inspected
        // further nor echoed.
        let p = path.key("bindPassword");
        if as_str(v, &p, r) == Some("") && required {
            r.add(&p, Code::Required);
        }
    }
    if let Some(v) = obj.get("caCertificate") {
        let p = path.key("caCertificate");
        if let Some(s) = as_str(v, &p, r) {
            check_pem_certificates(s, &p, r);
        }
    }
}

fn check_optional_query<'v>(obj: JsonRef<'v>, path: &Path, needs_user: bool, r: &mut Report) {
    if let Some(v) = obj.get("authzQueryTemplate") {
        let p = path.key("authzQueryTemplate");
        if let Some(s) = as_str(v, &p, r) {
            check_query_template(s, &p, needs_user, r);
        }
    }
}
