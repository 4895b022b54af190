//! `userToDNMapping`: rules that turn an LDAP user name into a DN with a regular expression.

use serde_json::Value;

use super::issue::{Locale, Validation};
use super::json::{as_array, as_object, as_str};
use super::messages::Code;
use super::query::check_query_template;
use super::report::{run, Path, Report};
use super::value::JsonRef;

/// Validates a `userToDNMapping` array, reporting issues under `path` (such as
/// `ldap.userToDNMapping`, giving `ldap.userToDNMapping[1].match`).
///
/// For each element: `match` is required and non-empty, an ECMAScript-style regular
/// expression with balanced groups and character classes (`regex_syntax`); one of
/// `substitution` or `ldapQuery` is required (`mapping_template_missing`) and giving both is a
/// warning (`mapping_both_templates`: only `substitution` takes effect); every `{n}`
/// placeholder must name a capture group of `match` (`placeholder_range`); an `ldapQuery`
/// must also be a valid query template (see [`authz_query_template`](super::authz_query_template)).
/// Wrong JSON types are `type` issues.
pub fn user_to_dn_mapping(value: &Value, path: &str, locale: Locale) -> Validation {
    run(locale, |r| {
        check_user_to_dn_mapping(JsonRef::Value(value), &Path::Root(path), r)
    })
}

/// The number of capture groups in an ECMAScript-style regular expression, or `None` when
/// its groups or character classes are unbalanced or it ends with a lone `\`.
///
/// `(…)` and named groups `(?<name>…)` count; `(?:…)`, lookarounds `(?=…)`, `(?!…)`,
/// `(?<=…)`, `(?<!…)`, escaped `\(` and parentheses inside `[…]` do not.
pub fn capture_groups(pattern: &str) -> Option<usize> {
    let s = pattern.as_bytes();
    let mut groups = 0;
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        match b {
            b'\\' => {
                s.get(i + 1)?;
                i += 2;
                continue;
            }
            b'[' => {
                i = class_end(s, i + 1)?;
            }
            b'(' => {
                depth += 1;
                if s.get(i + 1) != Some(&b'?') {
                    groups += 1;
                } else if s.get(i + 2) == Some(&b'<')
                    && !matches!(s.get(i + 3), Some(b'=') | Some(b'!'))
                {
                    groups += 1; // (?<name>…)
                }
            }
            b')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then_some(groups)
}

/// The index of the `]` closing a class whose content starts at `i`. As in ECMAScript, a `]`
/// right after `[` or `[^` closes the class (`[]` matches nothing, `[^]` anything).
fn class_end(s: &[u8], mut i: usize) -> Option<usize> {
    if s.get(i) == Some(&b'^') {
        i += 1;
    }
    loop {
        match *s.get(i)? {
            b'\\' => i += 2,
            b']' => return Some(i),
            _ => i += 1,
        }
    }
}

pub(crate) fn check_user_to_dn_mapping<'v>(value: JsonRef<'v>, path: &Path, r: &mut Report) {
    let Some(items) = as_array(value, path, r) else {
        return;
    };
    for (i, item) in items.enumerate() {
        let at = path.index(i);
        if let Some(mapping) = as_object(item, &at, r) {
            check_one(mapping, &at, r);
        }
    }
}

fn check_one<'v>(mapping: JsonRef<'v>, at: &Path, r: &mut Report) {
    let match_path = at.key("match");
    let groups = match mapping.get("match") {
        None => {
            r.add(&match_path, Code::Required);
            None
        }
        Some(v) => match as_str(v, &match_path, r) {
            Some("") => {
                r.add(&match_path, Code::Required);
                None
            }
            Some(pattern) => {
                let groups = capture_groups(pattern);
                if groups.is_none() {
                    r.add(&match_path, Code::RegexSyntax);
                }
                groups
            }
            None => None,
        },
    };

    let substitution = mapping.get("substitution");
    let ldap_query = mapping.get("ldapQuery");
    match (substitution, ldap_query) {
        (None, None) => r.add(at, Code::MappingTemplateMissing),
        (Some(_), Some(_)) => r.add(&at.key("ldapQuery"), Code::MappingBothTemplates),
        _ => {}
    }
    if let Some(v) = substitution {
        let p = at.key("substitution");
        if let Some(template) = as_str(v, &p, r) {
            check_placeholders(template, groups, &p, r);
        }
    }
    if let Some(v) = ldap_query {
        let p = at.key("ldapQuery");
        if let Some(template) = as_str(v, &p, r) {
            check_query_template(template, &p, false, r);
            check_placeholders(template, groups, &p, r);
        }
    }
}

/// Reports the largest `{n}` of `template` when `match` has no group `n`. Nothing is checked
/// when the group count is unknown (`match` missing or invalid, reported already).
fn check_placeholders(template: &str, groups: Option<usize>, path: &Path, r: &mut Report) {
    let Some(groups) = groups else { return };
    let Some(max) = max_placeholder(template) else {
        return;
    };
    if max >= groups {
        let (n, g) = (max.to_string(), groups.to_string());
        r.add_with(path, Code::PlaceholderRange, &[&n, &g]);
    }
}

/// The largest `n` of the `{n}` placeholders (decimal digits in braces) in `template`.
fn max_placeholder(template: &str) -> Option<usize> {
    let s = template.as_bytes();
    let mut max = None;
    let mut i = 0;
    while let Some(open) = s[i..].iter().position(|&b| b == b'{') {
        let start = i + open + 1;
        let digits = s[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        let end = start + digits;
        if digits > 0 && s.get(end) == Some(&b'}') {
            let n = s[start..end].iter().fold(0usize, |n, &d| {
                n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
            });
            max = max.max(Some(n));
        }
        i = start;
    }
    max
}
