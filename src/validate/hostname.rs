//! The LDAP server's `hostname`: a DNS name, an IPv4 address or an IPv6 address.

use super::issue::{Locale, Validation};
use super::messages::{Code, Format};
use super::report::{run, Path, Report};
use super::spec_pattern::hostname_matches_spec;

/// Validates an LDAP host: a DNS name by RFC 1123 (labels of 1–63 letters, digits and inner
/// hyphens, at most 253 characters, the last label not all digits), a dotted-quad IPv4
/// address, or an IPv6 address in any RFC 4291 textual form (`::` compression and an IPv4
/// tail allowed; no brackets or zone). No scheme, port, path, spaces or non-ASCII.
///
/// Errors: `required` (empty), `too_long` (over 253 characters), `label_too_long` (a label
/// over 63 characters), `octet_range` (an IPv4 number above 255), `pattern` (anything else).
/// Warning: `spec_pattern` when valid but the documented spec pattern rejects it (upper case,
/// hyphens, a single label, compressed IPv6 …). Path `hostname`.
pub fn hostname(value: &str, locale: Locale) -> Validation {
    run(locale, |r| {
        check_hostname(value, &Path::Root("hostname"), r)
    })
}

pub(crate) fn check_hostname(value: &str, path: &Path, r: &mut Report) {
    if value.is_empty() {
        return r.add(path, Code::Required);
    }
    let verdict = if value.contains(':') {
        if is_ipv6(value.as_bytes()) {
            Ok(())
        } else {
            Err(Code::Pattern)
        }
    } else if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        ipv4_verdict(value.as_bytes())
    } else {
        return check_dns_name(value, path, r);
    };
    match verdict {
        Ok(()) if !hostname_matches_spec(value) => r.add(path, Code::SpecPattern),
        Ok(()) => {}
        Err(code) => add_hostname_error(path, code, r),
    }
}

fn add_hostname_error(path: &Path, code: Code, r: &mut Report) {
    if code == Code::Pattern {
        let format = Format::Hostname.describe(r.locale());
        r.add_with(path, code, &[format]);
    } else {
        r.add(path, code);
    }
}

/// Digits and dots only: a dotted quad, or else not a host at all (the last DNS label
/// may not be all digits).
fn ipv4_verdict(s: &[u8]) -> Result<(), Code> {
    match parse_ipv4(s) {
        Some(true) => Ok(()),
        Some(false) => Err(Code::OctetRange),
        None => Err(Code::Pattern),
    }
}

/// Whether `s` is a dotted-quad IPv4 address, as the hostname validator reads one.
pub(crate) fn is_ipv4(s: &str) -> bool {
    parse_ipv4(s.as_bytes()) == Some(true)
}

/// `Some(in_range)` when `s` is four dot-separated numbers of 1–3 digits, else `None`.
fn parse_ipv4(s: &[u8]) -> Option<bool> {
    let mut parts = 0;
    let mut in_range = true;
    for p in s.split(|&b| b == b'.') {
        parts += 1;
        if parts > 4 || p.is_empty() || p.len() > 3 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        in_range &= n <= 255;
    }
    (parts == 4).then_some(in_range)
}

/// An IPv6 address in RFC 4291 section 2.2 text form: eight groups of 1–4 hex digits, at most
/// one `::` standing for one or more zero groups, and optionally a dotted-quad tail.
fn is_ipv6(s: &[u8]) -> bool {
    let (head, tail) = match find_double_colon(s) {
        Some(at) => (&s[..at], Some(&s[at + 2..])),
        None => (s, None),
    };
    let Some((head_groups, head_v4)) = ipv6_groups(head) else {
        return false;
    };
    match tail {
        None => head_groups == 8,
        Some(tail) => {
            if head_v4 || find_double_colon(tail).is_some() {
                return false;
            }
            let Some((tail_groups, _)) = ipv6_groups(tail) else {
                return false;
            };
            head_groups + tail_groups <= 7
        }
    }
}

fn find_double_colon(s: &[u8]) -> Option<usize> {
    s.windows(2).position(|w| w == b"::")
}

/// Counts the groups of a `:`-separated run (an IPv4 tail counts as two). `Some((0, false))`
/// for an empty run; `None` when a group is malformed. The flag tells if it ends in IPv4.
fn ipv6_groups(s: &[u8]) -> Option<(usize, bool)> {
    if s.is_empty() {
        return Some((0, false));
    }
    let mut count = 0;
    let mut parts = s.split(|&b| b == b':').peekable();
    while let Some(g) = parts.next() {
        let last = parts.peek().is_none();
        if last && g.contains(&b'.') {
            return (parse_ipv4(g) == Some(true)).then_some((count + 2, true));
        }
        if g.is_empty() || g.len() > 4 || !g.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        count += 1;
    }
    Some((count, false))
}

/// RFC 1123 host name checks, reporting each kind of problem once.
fn check_dns_name(value: &str, path: &Path, r: &mut Report) {
    let bytes = value.as_bytes();
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.';
    if !bytes.iter().all(allowed) {
        return add_hostname_error(path, Code::Pattern, r);
    }
    let mut label_too_long = false;
    let mut malformed = false;
    let mut last_all_digits = false;
    for label in bytes.split(|&b| b == b'.') {
        label_too_long |= label.len() > 63;
        malformed |= label.is_empty() || label.starts_with(b"-") || label.ends_with(b"-");
        last_all_digits = label.iter().all(u8::is_ascii_digit);
    }
    let too_long = bytes.len() > 253;
    malformed |= last_all_digits;
    if too_long {
        r.add(path, Code::TooLong);
    }
    if label_too_long {
        r.add(path, Code::LabelTooLong);
    }
    if malformed {
        add_hostname_error(path, Code::Pattern, r);
    }
    if !(too_long || label_too_long || malformed || hostname_matches_spec(value)) {
        r.add(path, Code::SpecPattern);
    }
}
