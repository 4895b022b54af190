//! How an emulated LDAP verification ends. No network is touched: the outcome follows
//! from the parameters by the rules below (also listed in the README), checked in Atlas's
//! order and stopping at the first failure.
//!
//! | check                      | fails when                                                        |
//! |----------------------------|-------------------------------------------------------------------|
//! | SERVER_SPECIFIED           | `hostname` is blank                                               |
//! | CONNECT                    | `hostname` is `invalid` or ends in `.invalid`; or `caCertificate` is non-empty without a `-----BEGIN CERTIFICATE-----` block |
//! | AUTHENTICATE               | `bindPassword` is empty or starts with `wrong`                    |
//! | AUTHORIZATION_ENABLED      | never; this and the next checks run only with an `authzQueryTemplate` |
//! | PARSE_AUTHZ_QUERY_TEMPLATE | the template lacks `{USER}` or has unbalanced parentheses         |
//! | QUERY_SERVER               | the template contains `nosuch` (any case)                          |

use atlas_ldap::model::{
    JobStatus, LdapVerifyParams, LdapVerifyValidation, ValidationStatus, ValidationType,
};

/// The validations a job reports once it finishes, and its final status.
pub fn outcome(params: &LdapVerifyParams) -> (JobStatus, Vec<LdapVerifyValidation>) {
    let host = params.hostname.trim().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let password = params.bind_password.expose();
    let ca = params.ca_certificate.as_deref().unwrap_or("");
    let mut checks: Vec<(ValidationType, bool)> = vec![
        (ValidationType::ServerSpecified, !host.is_empty()),
        (
            ValidationType::Connect,
            host != "invalid"
                && !host.ends_with(".invalid")
                && (ca.is_empty() || ca.contains("-----BEGIN CERTIFICATE-----")),
        ),
        (
            ValidationType::Authenticate,
            !password.is_empty() && !password.starts_with("wrong"),
        ),
    ];
    if let Some(template) = &params.authz_query_template {
        checks.push((ValidationType::AuthorizationEnabled, true));
        checks.push((
            ValidationType::ParseAuthzQueryTemplate,
            template.contains("{USER}") && balanced(template),
        ));
        checks.push((
            ValidationType::QueryServer,
            !template.to_ascii_lowercase().contains("nosuch"),
        ));
    }
    let mut validations = Vec::new();
    for (kind, ok) in checks {
        validations.push(LdapVerifyValidation {
            status: Some(if ok {
                ValidationStatus::Ok
            } else {
                ValidationStatus::Fail
            }),
            validation_type: Some(kind),
        });
        if !ok {
            return (JobStatus::Failed, validations);
        }
    }
    (JobStatus::Success, validations)
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
    use atlas_ldap::model::Secret;

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
        let (status, v) = outcome(p);
        (
            status,
            v.last()
                .unwrap()
                .validation_type
                .as_ref()
                .unwrap()
                .to_string(),
            v.len(),
        )
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
