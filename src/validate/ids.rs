//! The 24-hex-digit ids of projects (`groupId`), users (`userId`) and verify jobs (`requestId`).

use super::issue::{Locale, Validation};
use super::messages::{Code, Format};
use super::report::{run, Path, Report};

/// Validates a project id: exactly 24 lowercase hexadecimal digits, not trimmed.
/// Issues: `required` when empty, `pattern` otherwise. Path `groupId`.
pub fn group_id(value: &str, locale: Locale) -> Validation {
    run(locale, |r| check_id(value, &Path::Root("groupId"), r))
}

/// Validates a user id, like [`group_id`]. Path `userId`.
pub fn user_id(value: &str, locale: Locale) -> Validation {
    run(locale, |r| check_id(value, &Path::Root("userId"), r))
}

/// Validates the id of an LDAP verify job, like [`group_id`]. Path `requestId`.
pub fn request_id(value: &str, locale: Locale) -> Validation {
    run(locale, |r| check_id(value, &Path::Root("requestId"), r))
}

/// Whether `value` is exactly 24 lowercase hexadecimal digits (`^([a-f0-9]{24})$`).
pub fn is_id(value: &str) -> bool {
    value.len() == 24
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) fn check_id(value: &str, path: &Path, r: &mut Report) {
    if value.is_empty() {
        r.add(path, Code::Required);
    } else if !is_id(value) {
        let format = Format::Id.describe(r.locale());
        r.add_with(path, Code::Pattern, &[format]);
    }
}
