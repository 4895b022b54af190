//! LDAP query templates: RFC 4516 relative URLs `dn?attributes?scope?filter?extensions`
//! (`authzQueryTemplate`, `userToDNMapping[i].ldapQuery`).

use super::issue::{Locale, Validation};
use super::messages::Code;
use super::report::{run, Path, Report};

/// Validates an LDAP query template, reporting issues at `path`. The scope (third part), where
/// given, must be `base`, `one` or `sub` (any case, as RFC 4516's ABNF allows); the filter
/// (fourth part), where given, must have balanced parentheses; at most five parts.
///
/// Errors: `query_syntax`, `query_scope`, `query_filter`. Warning: `query_missing_user` when
/// `authorization_enabled` and the template lacks the `{USER}` placeholder.
pub fn authz_query_template(
    value: &str,
    path: &str,
    authorization_enabled: bool,
    locale: Locale,
) -> Validation {
    run(locale, |r| {
        check_query_template(value, &Path::Root(path), authorization_enabled, r)
    })
}

pub(crate) fn check_query_template(value: &str, path: &Path, needs_user: bool, r: &mut Report) {
    let mut parts = value.split('?');
    let _dn = parts.next();
    let _attributes = parts.next();
    let scope = parts.next().unwrap_or("");
    let filter = parts.next().unwrap_or("");
    let _extensions = parts.next();
    if parts.next().is_some() {
        r.add(path, Code::QuerySyntax);
    }
    let scope_ok = scope.is_empty()
        || ["base", "one", "sub"]
            .iter()
            .any(|s| scope.eq_ignore_ascii_case(s));
    if !scope_ok {
        r.add(path, Code::QueryScope);
    }
    if !balanced_parentheses(filter) {
        r.add(path, Code::QueryFilter);
    }
    if needs_user && !value.contains("{USER}") {
        r.add(path, Code::QueryMissingUser);
    }
}

/// Parentheses never close more than were opened and all are closed at the end. (Inside
/// filter values, parentheses are escaped as `\28` and `\29`, so literal ones are structure.)
fn balanced_parentheses(filter: &str) -> bool {
    let mut depth: usize = 0;
    for b in filter.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}
