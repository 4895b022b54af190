//! `PATCH …/userSecurity` the way Atlas applies it, and the views a GET returns.

use atlas_ldap::model::{CustomerX509, LdapSecuritySettings, Link, UserSecurity};

use crate::reply::Fail;

/// Applies a partial document: absent fields keep their values, present ones replace
/// them, `caCertificate: ""` deletes the certificate, `customerX509.cas: ""` disables
/// self-managed X.509, and an empty `userToDNMapping` removes the mapping. The result must
/// be consistent (authorization needs authentication; enabled authentication needs a
/// server and bind credentials), otherwise nothing changes and a 400 explains why.
pub fn apply_patch(current: &mut UserSecurity, patch: UserSecurity) -> Result<(), Fail> {
    if let Some(x509) = patch.customer_x509 {
        match x509.cas {
            Some(cas) if cas.is_empty() => current.customer_x509 = None,
            Some(cas) => {
                current.customer_x509 = Some(CustomerX509 {
                    cas: Some(cas),
                    links: None,
                })
            }
            None => {}
        }
    }
    if let Some(p) = patch.ldap {
        let ldap = current
            .ldap
            .get_or_insert_with(LdapSecuritySettings::default);
        macro_rules! take {
            ($($field:ident),*) => { $( if p.$field.is_some() { ldap.$field = p.$field; } )* };
        }
        take!(
            authentication_enabled,
            authorization_enabled,
            authz_query_template,
            bind_password,
            bind_username,
            hostname,
            port
        );
        if let Some(ca) = p.ca_certificate {
            ldap.ca_certificate = if ca.is_empty() { None } else { Some(ca) };
        }
        if let Some(mapping) = p.user_to_dn_mapping {
            ldap.user_to_dn_mapping = if mapping.is_empty() {
                None
            } else {
                Some(mapping)
            };
        }
        if ldap.authorization_enabled == Some(true) && ldap.authentication_enabled != Some(true) {
            return Err(Fail::bad_request(
                "LDAP_AUTHORIZATION_REQUIRES_AUTHENTICATION",
                "LDAP authorization can only be enabled together with LDAP authentication.",
            ));
        }
        if ldap.authentication_enabled == Some(true) {
            let mut missing = Vec::new();
            if ldap.hostname.as_deref().unwrap_or("").is_empty() {
                missing.push("ldap.hostname");
            }
            if ldap.bind_username.as_deref().unwrap_or("").is_empty() {
                missing.push("ldap.bindUsername");
            }
            if ldap.bind_password.is_none() {
                missing.push("ldap.bindPassword");
            }
            if !missing.is_empty() {
                return Err(Fail::bad_request(
                    "MISSING_ATTRIBUTE",
                    format!("Enabling LDAP authentication needs {}.", missing.join(", ")),
                ));
            }
            ldap.port.get_or_insert(636);
        }
    }
    Ok(())
}

/// The document as GET and PATCH return it: without `bindPassword`, with links.
pub fn view(stored: &UserSecurity, self_href: &str) -> UserSecurity {
    let link = |href: String| {
        Some(vec![Link {
            href: Some(href),
            rel: Some("self".into()),
        }])
    };
    let mut out = stored.clone();
    if let Some(ldap) = &mut out.ldap {
        ldap.bind_password = None;
        ldap.links = link(format!("{self_href}/ldap"));
    }
    if let Some(x) = &mut out.customer_x509 {
        x.links = link(format!("{self_href}/customerX509"));
    }
    out.links = link(self_href.to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(current: &mut UserSecurity, body: serde_json::Value) -> Result<(), Fail> {
        apply_patch(current, serde_json::from_value(body).unwrap())
    }

    #[test]
    fn merges_like_atlas() {
        let mut us = UserSecurity::default();
        patch(&mut us, json!({"ldap": {"authenticationEnabled": true, "hostname": "h.example.com", "bindUsername": "CN=a,DC=b", "bindPassword": "p", "caCertificate": "PEM"}})).unwrap();
        let ldap = us.ldap.as_ref().unwrap();
        assert_eq!(ldap.port, Some(636));
        patch(
            &mut us,
            json!({"ldap": {"caCertificate": "", "authorizationEnabled": true}}),
        )
        .unwrap();
        let ldap = us.ldap.as_ref().unwrap();
        assert_eq!(ldap.ca_certificate, None);
        assert_eq!(ldap.hostname.as_deref(), Some("h.example.com"));
        assert!(patch(&mut us, json!({"ldap": {"authenticationEnabled": false}})).is_err());
        patch(
            &mut us,
            json!({"ldap": {"authenticationEnabled": false, "authorizationEnabled": false}}),
        )
        .unwrap();
        assert_eq!(
            us.ldap.as_ref().unwrap().authentication_enabled,
            Some(false)
        );
        let v = serde_json::to_value(view(&us, "http://x/g")).unwrap();
        assert!(v["ldap"].get("bindPassword").is_none());
    }
}
