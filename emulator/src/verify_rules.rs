//! `--ldap-verify rules` (the default): how an emulated LDAP verification ends. No network
//! is touched: the outcome follows from the parameters by the rules below (also listed in
//! the README), checked in Atlas's order and stopping at the first failure. Each failure's
//! reason names the rule.
//!
//! | check                      | fails when                                                        |
//! |----------------------------|-------------------------------------------------------------------|
//! | SERVER_SPECIFIED           | `hostname` is blank                                               |
//! | CONNECT                    | `hostname` is `invalid` or ends in `.invalid`; or `caCertificate` is non-empty without a `-----BEGIN CERTIFICATE-----` block |
//! | AUTHENTICATE               | `bindPassword` is empty or starts with `wrong`                    |
//! | AUTHORIZATION_ENABLED      | never; this and the next checks run only with an `authzQueryTemplate` |
//! | PARSE_AUTHZ_QUERY_TEMPLATE | the template lacks `{USER}` or has unbalanced parentheses         |
//! | QUERY_SERVER               | the template contains `nosuch` (any case)                          |

use atlas_ldap::model::{LdapVerifyParams, ValidationType};

use crate::verify::{Checks, Outcome};

/// Said of a passed CONNECT, so nobody takes a rules-mode success for a reached server.
const NOT_CONTACTED: &str = "rules mode: nothing was contacted (the host name does not end in .invalid); run the emulator with --ldap-verify real to check the directory itself";

/// The checks a job reports once it finishes, each failure with the rule that decided it.
pub fn outcome(params: &LdapVerifyParams) -> Outcome {
    let host = params.hostname.trim().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let password = params.bind_password.expose();
    let ca = params.ca_certificate.as_deref().unwrap_or("");
    let mut checks = Checks::default();
    if host.is_empty() {
        return checks.fail(
            ValidationType::ServerSpecified,
            "rules mode: no hostname was given",
        );
    }
    checks.pass(ValidationType::ServerSpecified, None);
    if host == "invalid" || host.ends_with(".invalid") {
        return checks.fail(
            ValidationType::Connect,
            "rules mode: the host name is invalid or ends in .invalid, which the emulator treats as unreachable",
        );
    }
    if !ca.is_empty() && !ca.contains("-----BEGIN CERTIFICATE-----") {
        return checks.fail(
            ValidationType::Connect,
            "rules mode: caCertificate has no -----BEGIN CERTIFICATE----- block",
        );
    }
    checks.pass(ValidationType::Connect, Some(NOT_CONTACTED.into()));
    if password.is_empty() {
        return checks.fail(
            ValidationType::Authenticate,
            "rules mode: the bind password is empty",
        );
    }
    if password.starts_with("wrong") {
        return checks.fail(
            ValidationType::Authenticate,
            "rules mode: the bind password starts with \"wrong\"",
        );
    }
    checks.pass(ValidationType::Authenticate, None);
    let Some(template) = &params.authz_query_template else {
        return checks.succeed();
    };
    checks.pass(ValidationType::AuthorizationEnabled, None);
    if !template.contains("{USER}") {
        return checks.fail(
            ValidationType::ParseAuthzQueryTemplate,
            "rules mode: the template has no {USER} placeholder",
        );
    }
    if !balanced(template) {
        return checks.fail(
            ValidationType::ParseAuthzQueryTemplate,
            "rules mode: the template's parentheses are unbalanced",
        );
    }
    checks.pass(ValidationType::ParseAuthzQueryTemplate, None);
    if template.to_ascii_lowercase().contains("nosuch") {
        return checks.fail(
            ValidationType::QueryServer,
            "rules mode: the template contains \"nosuch\"",
        );
    }
    checks.pass(ValidationType::QueryServer, None);
    checks.succeed()
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_ldap::model::{JobStatus, Secret, ValidationStatus};

    fn params(host: &str, password: &str, template: Option<&str>) -> LdapVerifyParams {
        LdapVerifyParams {
            authz_query_template: template.map(str::to_owned),
            bind_password: Secret::new(password),
            bind_username: "CN=Bind,DC=example,DC=com".into(),
            ca_certificate: None,
            hostname: host.into(),
            port: 636,
            links: None,
        }
    }

    fn last(p: &LdapVerifyParams) -> (JobStatus, String, usize) {
        let o = outcome(p);
        let check = o.checks.last().unwrap();
        assert_eq!(
            check.reason.is_some(),
            check.status == ValidationStatus::Fail
                || check.validation_type == ValidationType::Connect
        );
        (o.status, check.validation_type.to_string(), o.checks.len())
    }

    #[test]
    fn every_outcome() {
        assert_eq!(
            last(&params("ldap.example.com", "s3cret", None)),
            (JobStatus::Success, "AUTHENTICATE".into(), 3)
        );
        assert_eq!(
            last(&params("", "s3cret", None)),
            (JobStatus::Failed, "SERVER_SPECIFIED".into(), 1)
        );
        assert_eq!(
            last(&params("ldap.invalid", "s3cret", None)),
            (JobStatus::Failed, "CONNECT".into(), 2)
        );
        assert_eq!(
            last(&params("ldap.example.com", "wrong-password", None)),
            (JobStatus::Failed, "AUTHENTICATE".into(), 3)
        );
        let t = Some("{USER}?memberOf?base");
        assert_eq!(
            last(&params("ldap.example.com", "s3cret", t)),
            (JobStatus::Success, "QUERY_SERVER".into(), 6)
        );
        assert_eq!(
            last(&params(
                "ldap.example.com",
                "s3cret",
                Some("ou=groups?memberOf?base")
            )),
            (JobStatus::Failed, "PARSE_AUTHZ_QUERY_TEMPLATE".into(), 5)
        );
        assert_eq!(
            last(&params(
                "ldap.example.com",
                "s3cret",
                Some("{USER}?noSuchAttr?base")
            )),
            (JobStatus::Failed, "QUERY_SERVER".into(), 6)
        );
        let mut p = params("ldap.example.com", "s3cret", None);
        p.ca_certificate = Some("not a cert".into());
        assert_eq!(last(&p).1, "CONNECT");
    }
}
