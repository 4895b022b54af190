//! Versioned media types: `application/vnd.atlas.YYYY-MM-DD+json`.
//!
//! A request names a version date; it is served by the latest version of the operation
//! dated on or before it (so `2025-03-12` reaches an operation whose only version is
//! `2023-01-01`, as the Atlas docs' own examples do). A date before the operation's first
//! version is refused: 406 for `Accept`, 415 for `Content-Type`. `application/json`,
//! `*/*`, `application/*` and a missing header are served with the operation's latest
//! version. The legacy v1.0 paths speak plain `application/json`.

use hyper::StatusCode;

use crate::reply::Fail;

/// The versions an operation has, oldest first; empty for the v1.0 operations.
pub type Versions = &'static [&'static str];

/// The media type of one version date.
pub fn versioned(date: &str) -> String {
    format!("application/vnd.atlas.{date}+json")
}

/// What a media type names: a version date, plain JSON, or something else.
enum Named<'a> {
    Version(&'a str),
    AnyJson,
    Other,
}

fn classify(media: &str) -> Named<'_> {
    let essence = media.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json")
        || essence == "*/*"
        || essence.eq_ignore_ascii_case("application/*")
    {
        return Named::AnyJson;
    }
    match essence
        .strip_prefix("application/vnd.atlas.")
        .and_then(|r| r.strip_suffix("+json"))
    {
        Some(date) if atlas_ldap::client::is_version_date(date) => Named::Version(date),
        _ => Named::Other,
    }
}

/// The version of `versions` that serves a request dated `date`.
fn resolve(date: &str, versions: Versions) -> Option<&'static str> {
    versions.iter().rev().find(|v| **v <= date).copied()
}

/// The response media type for an `Accept` header, or a 406.
pub fn negotiate_accept(accept: Option<&str>, versions: Versions) -> Result<String, Fail> {
    let latest = versions.last().copied();
    let default = || {
        latest
            .map(versioned)
            .unwrap_or_else(|| crate::reply::JSON.to_owned())
    };
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Ok(default());
    };
    for media in accept.split(',') {
        match classify(media) {
            Named::AnyJson => return Ok(default()),
            Named::Version(date) if !versions.is_empty() => {
                if let Some(v) = resolve(date, versions) {
                    return Ok(versioned(v));
                }
            }
            _ => {}
        }
    }
    Err(Fail::new(
        StatusCode::NOT_ACCEPTABLE,
        "INVALID_VERSION_DATE",
        match latest {
            Some(_) => format!(
                "The Accept header names no supported version of this resource; use {} (or a later version date).",
                versioned(versions[0])
            ),
            None => "This resource only produces application/json.".to_owned(),
        },
    ))
}

/// Checks the `Content-Type` of a request body, or answers 415.
pub fn check_content_type(content_type: Option<&str>, versions: Versions) -> Result<(), Fail> {
    let Some(ct) = content_type.filter(|c| !c.trim().is_empty()) else {
        return Ok(());
    };
    let ok = match classify(ct) {
        Named::AnyJson => {
            !ct.trim_start().starts_with('*') && !ct.trim_start().starts_with("application/*")
        }
        Named::Version(date) => !versions.is_empty() && resolve(date, versions).is_some(),
        Named::Other => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Fail::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            match versions.first() {
                Some(first) => format!(
                    "Unsupported Content-Type; send {} (or application/json).",
                    versioned(first)
                ),
                None => "Unsupported Content-Type; send application/json.".to_owned(),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const V1: Versions = &["2023-01-01"];
    const ROLE: Versions = &["2025-02-19"];

    #[test]
    fn accept_resolution() {
        assert_eq!(
            negotiate_accept(Some("application/vnd.atlas.2023-01-01+json"), V1).unwrap(),
            versioned("2023-01-01")
        );
        assert_eq!(
            negotiate_accept(Some("application/vnd.atlas.2025-03-12+json"), V1).unwrap(),
            versioned("2023-01-01")
        );
        assert_eq!(
            negotiate_accept(None, ROLE).unwrap(),
            versioned("2025-02-19")
        );
        assert_eq!(
            negotiate_accept(Some("*/*"), V1).unwrap(),
            versioned("2023-01-01")
        );
        assert_eq!(
            negotiate_accept(Some("application/json"), &[]).unwrap(),
            "application/json"
        );
        assert_eq!(
            negotiate_accept(Some("application/vnd.atlas.2023-01-01+json"), ROLE)
                .unwrap_err()
                .status,
            406
        );
        assert_eq!(
            negotiate_accept(Some("text/html"), V1).unwrap_err().status,
            406
        );
        assert_eq!(
            negotiate_accept(Some("application/vnd.atlas.2023-1-01+json"), V1)
                .unwrap_err()
                .status,
            406
        );
        assert_eq!(
            negotiate_accept(Some("application/vnd.atlas.2023-01-01+json"), &[])
                .unwrap_err()
                .status,
            406
        );
    }

    #[test]
    fn content_type_check() {
        assert!(check_content_type(Some("application/json; charset=utf-8"), V1).is_ok());
        assert!(check_content_type(Some("application/vnd.atlas.2023-01-01+json"), V1).is_ok());
        assert_eq!(
            check_content_type(Some("application/vnd.atlas.2023-01-01+json"), ROLE)
                .unwrap_err()
                .status,
            415
        );
        assert_eq!(
            check_content_type(Some("text/plain"), V1)
                .unwrap_err()
                .status,
            415
        );
        assert!(check_content_type(None, V1).is_ok());
    }
}
