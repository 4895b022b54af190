//! The LDAP server's TCP `port`.

use serde_json::Value;

use super::issue::{Locale, Validation};
use super::json::wrong_type_at;
use super::messages::Code;
use super::report::{run, Path, Report};
use super::value::JsonRef;

/// Validates a port number: an integer from 1 to 65535. A JSON number with no fractional
/// part counts as an integer (`636.0` is what JavaScript's `636` may arrive as).
///
/// Errors: `type` (not an integer: `636.5`, `"636"`, `true`, `null`), `range` (outside
/// 1–65535). Path `port`.
pub fn port(value: &Value, locale: Locale) -> Validation {
    run(locale, |r| {
        check_port(JsonRef::Value(value), &Path::Root("port"), r)
    })
}

pub(crate) fn check_port<'v>(value: JsonRef<'v>, path: &Path, r: &mut Report) {
    let Some(number) = value.as_number() else {
        return wrong_type_at(path, "integer", r);
    };
    let in_range = if let Some(n) = number.as_u64() {
        (1..=65535).contains(&n)
    } else if number.is_i64() {
        false // negative
    } else if let Some(f) = number.as_f64().filter(|f| f.fract() == 0.0) {
        (1.0..=65535.0).contains(&f)
    } else {
        return wrong_type_at(path, "integer", r);
    };
    if !in_range {
        r.add(path, Code::Range);
    }
}
