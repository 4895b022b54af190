//! Distinguished names (RFC 4514), such as the LDAP `bindUsername`.

use super::issue::{Locale, Validation};
use super::messages::Code;
use super::report::{run, Path, Report};
use super::spec_pattern::bind_username_matches_spec;

/// Validates the bind user's distinguished name by RFC 4514: `type=value` RDNs joined by `,`,
/// multi-valued RDNs joined by `+`, attribute types that are names (`CN`, `ou`, `msDS-x`) or
/// numeric OIDs (`2.5.4.3`), values with `\`-escapes or `#` followed by hex pairs.
///
/// Errors: `required` (empty), `dn_empty_rdn`, `dn_attribute_type`, `dn_unescaped`,
/// `dn_escape`, `dn_hexstring` (see [`Code`]); only the first syntax error is reported.
/// Warning: `spec_pattern` when valid but the documented pattern (upper-case `CN`/`OU`/`DC`
/// only) rejects it, as for `cn=admin,dc=example,dc=org`. Path `bindUsername`.
pub fn bind_username(value: &str, locale: Locale) -> Validation {
    run(locale, |r| {
        check_bind_username(value, &Path::Root("bindUsername"), r)
    })
}

/// Whether `value` is a syntactically valid, non-empty RFC 4514 distinguished name.
pub fn is_distinguished_name(value: &str) -> bool {
    !value.is_empty() && parse_dn(value.as_bytes()).is_ok()
}

pub(crate) fn check_bind_username(value: &str, path: &Path, r: &mut Report) {
    if value.is_empty() {
        r.add(path, Code::Required);
    } else if let Err(code) = parse_dn(value.as_bytes()) {
        r.add(path, code);
    } else if !bind_username_matches_spec(value) {
        r.add(path, Code::SpecPattern);
    }
}

/// Parses a non-empty DN, returning the code of the first syntax error.
fn parse_dn(s: &[u8]) -> Result<(), Code> {
    let mut i = 0;
    loop {
        i = attribute_type(s, i)?;
        if s.get(i) != Some(&b'=') {
            return Err(Code::DnAttributeType);
        }
        i = attribute_value(s, i + 1)?;
        match s.get(i) {
            None => return Ok(()),
            // A separator must be followed by another attribute.
            Some(_) if i + 1 == s.len() => return Err(Code::DnEmptyRdn),
            Some(_) => i += 1,
        }
    }
}

/// `descr` (a letter, then letters, digits, hyphens) or `numericoid` (`1.2.840`).
fn attribute_type(s: &[u8], start: usize) -> Result<usize, Code> {
    match s.get(start) {
        None | Some(b',') | Some(b'+') => Err(Code::DnEmptyRdn),
        Some(b) if b.is_ascii_alphabetic() => {
            let len = s[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            Ok(start + len)
        }
        Some(b) if b.is_ascii_digit() => numeric_oid(s, start),
        Some(_) => Err(Code::DnAttributeType),
    }
}

/// `number 1*( "." number )` where a number has no leading zero.
fn numeric_oid(s: &[u8], start: usize) -> Result<usize, Code> {
    let mut i = start;
    let mut numbers = 0;
    loop {
        let digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && s[i] == b'0') {
            return Err(Code::DnAttributeType);
        }
        i += digits;
        numbers += 1;
        if s.get(i) == Some(&b'.') {
            i += 1;
        } else {
            break;
        }
    }
    if numbers < 2 {
        return Err(Code::DnAttributeType);
    }
    Ok(i)
}

/// A value up to the next unescaped `,` or `+` (or the end); returns that position.
fn attribute_value(s: &[u8], start: usize) -> Result<usize, Code> {
    if s.get(start) == Some(&b'#') {
        return hex_string(s, start + 1);
    }
    let mut i = start;
    let mut trailing_space = false;
    while let Some(&b) = s.get(i) {
        match b {
            b',' | b'+' => break,
            b'\\' => {
                let next = s.get(i + 1).copied();
                match next {
                    Some(c) if is_escapable(c) => i += 2,
                    Some(c) if c.is_ascii_hexdigit() => {
                        if !s.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
                            return Err(Code::DnEscape);
                        }
                        i += 3;
                    }
                    _ => return Err(Code::DnEscape),
                }
                trailing_space = false;
                continue;
            }
            b'"' | b';' | b'<' | b'>' | 0 => return Err(Code::DnUnescaped),
            b' ' if i == start => return Err(Code::DnUnescaped),
            _ => {}
        }
        trailing_space = b == b' ';
        i += 1;
    }
    if trailing_space {
        return Err(Code::DnUnescaped);
    }
    Ok(i)
}

/// The characters that RFC 4514 lets a backslash escape by themselves.
fn is_escapable(c: u8) -> bool {
    matches!(
        c,
        b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' | b'=' | b'#' | b' '
    )
}

/// `#` followed by one or more hex pairs, up to `,`, `+` or the end.
fn hex_string(s: &[u8], start: usize) -> Result<usize, Code> {
    let len = s[start..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    let end = start + len;
    let at_boundary = matches!(s.get(end), None | Some(b',') | Some(b'+'));
    if len == 0 || len % 2 != 0 || !at_boundary {
        return Err(Code::DnHexstring);
    }
    Ok(end)
}
