//! An `authzQueryTemplate` turned into the search Atlas runs: the bind DN put in place of
//! `{USER}`, then read as an RFC 4516 LDAP URL (`base?attributes?scope?filter?extensions`,
//! the `ldap:///` prefix optional, as in Atlas's default `{USER}?memberOf?base`).

use std::fmt::Write as _;

use ldap3::Scope;
use url::Url;

/// The search a template asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub base: String,
    pub scope: Scope,
    pub attrs: Vec<String>,
    pub filter: String,
}

impl Query {
    /// The search in plain words, for a passed PARSE_AUTHZ_QUERY_TEMPLATE.
    pub fn describe(&self) -> String {
        let scope = match self.scope {
            Scope::Base => "base",
            Scope::OneLevel => "one",
            Scope::Subtree => "sub",
        };
        format!(
            "search base \"{}\", scope {scope}, attributes {}, filter {}",
            self.base,
            self.attrs.join(","),
            self.filter
        )
    }
}

/// Parses `template` with `user_dn` in place of `{USER}`; the error says what is wrong.
pub fn parse(template: &str, user_dn: &str) -> Result<Query, String> {
    if !template.contains("{USER}") {
        return Err(
            "the template has no {USER} placeholder: Atlas puts the user's DN there, \
                    so without it the query cannot find the user's groups"
                .into(),
        );
    }
    // The parts are split before substituting, so a DN's own characters stay data: in the
    // filter the DN is escaped as an RFC 4515 value, and everywhere it is percent-encoded
    // where the URL syntax would otherwise read it.
    // A full URL keeps its scheme and host (the search still goes to the connected server).
    let lower = template.to_ascii_lowercase();
    let (prefix, rest) = match ["ldap://", "ldaps://"]
        .iter()
        .find(|s| lower.starts_with(**s))
    {
        Some(scheme) => match template[scheme.len()..].find('/') {
            Some(i) => template.split_at(scheme.len() + i + 1),
            None => (template, ""),
        },
        None => ("ldap:///", template),
    };
    let mut text = String::from(prefix);
    for (i, part) in rest.splitn(5, '?').enumerate() {
        if i > 0 {
            text.push('?');
        }
        let value = if i == 3 {
            url_escape(&ldap3::ldap_escape(user_dn))
        } else {
            url_escape(user_dn)
        };
        text.push_str(&part.replace("{USER}", &value));
    }
    let url =
        Url::parse(&text).map_err(|e| format!("the template is not an RFC 4516 LDAP URL ({e})"))?;
    let params = ldap3::get_url_params(&url).map_err(|e| match e {
        ldap3::LdapError::InvalidScopeString(s) => {
            format!("the scope \"{s}\" is none of base, one and sub")
        }
        ldap3::LdapError::DecodingUTF8 => {
            "a percent-encoded part of the template is not UTF-8".into()
        }
        other => format!("the template is not an RFC 4516 LDAP URL ({other})"),
    })?;
    if ldap3::parse_filter(params.filter.as_ref()).is_err() {
        return Err(format!(
            "the filter {} is not a valid RFC 4515 search filter",
            params.filter
        ));
    }
    Ok(Query {
        base: params.base.into_owned(),
        scope: params.scope,
        attrs: params.attrs.iter().map(|a| a.to_string()).collect(),
        filter: params.filter.into_owned(),
    })
}

/// Percent-encodes the characters that would end or change a part of an LDAP URL.
fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | '?' | '#' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DN: &str = "cn=Bind User,ou=people,dc=example,dc=com";

    #[test]
    fn atlas_default_and_group_search() {
        let q = parse("{USER}?memberOf?base", DN).unwrap();
        assert_eq!(q.base, DN);
        assert_eq!(q.scope, Scope::Base);
        assert_eq!(q.attrs, ["memberOf"]);
        assert_eq!(q.filter, "(objectClass=*)");
        let q = parse(
            "ldap:///ou=groups,dc=example,dc=com??one?(member={USER})",
            DN,
        )
        .unwrap();
        assert_eq!(q.base, "ou=groups,dc=example,dc=com");
        assert_eq!(q.scope, Scope::OneLevel);
        assert_eq!(q.attrs, ["*"]);
        assert_eq!(q.filter, format!("(member={DN})"));
        assert!(q.describe().contains("scope one"));
        let full = "LDAP://ldap.example.com:389/ou=groups,dc=example,dc=com??sub?(member={USER})";
        let q = parse(full, DN).unwrap();
        assert_eq!(
            (q.base.as_str(), q.scope),
            ("ou=groups,dc=example,dc=com", Scope::Subtree)
        );
    }

    #[test]
    fn dn_characters_stay_data() {
        let dn = "cn=a?b#c%d (x*),dc=example,dc=com";
        let q = parse("ou=g,dc=example,dc=com??sub?(member={USER})", dn).unwrap();
        assert_eq!(
            q.filter,
            "(member=cn=a?b#c%d \\28x\\2a\\29,dc=example,dc=com)"
        );
        assert_eq!(parse("{USER}?cn?base", dn).unwrap().base, dn);
    }

    #[test]
    fn failures_say_why() {
        assert!(parse("ou=groups,dc=example,dc=com??one?(member=x)", DN)
            .unwrap_err()
            .contains("{USER}"));
        assert!(parse("{USER}?memberOf?deep", DN)
            .unwrap_err()
            .contains("\"deep\""));
        assert!(parse("ou=g??one?(member={USER}", DN)
            .unwrap_err()
            .contains("RFC 4515"));
        assert!(parse("{USER}????!1.2.3=x", DN).is_err());
    }
}
