//! Which web pages may call the emulator. By default none of another origin may: answers
//! carry CORS headers only for the origins given with `--cors-origin` (or every origin
//! with `--cors-origin '*'`), and a request whose `Origin` is neither one of those nor the
//! emulator's own is refused, so a page of some other site cannot even send a form post.
//! The control endpoints (`/__emulator/…`) are stricter: their `Host` must name the loopback
//! interface and `*` does not open them, so neither another site nor a DNS-rebinding page
//! posing as this origin can program faults or read the console's token.

use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Response, StatusCode};

use crate::reply::{self, Body, Fail, Shape};

/// The cross-origin callers allowed by `--cors-origin`.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    /// Normalized origins (`scheme://host[:port]`, lowercase).
    listed: Vec<String>,
    /// `--cors-origin '*'` was given.
    any: bool,
    /// `--host`: pages served from it count as this emulator's own.
    bind_host: String,
}

impl OriginPolicy {
    /// `origins` are values already checked by [`parse_origin`].
    pub fn new(origins: &[String], bind_host: &str) -> Self {
        OriginPolicy {
            listed: origins.iter().filter(|o| *o != "*").cloned().collect(),
            any: origins.iter().any(|o| o == "*"),
            bind_host: bind_host.to_ascii_lowercase(),
        }
    }

    fn listed(&self, origin: &str) -> bool {
        self.listed.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    fn allows(&self, origin: &str) -> bool {
        self.any || self.listed(origin)
    }

    /// Whether `origin` is the page origin of this very request, on a host name that cannot
    /// be a rebinding attacker's (loopback, or the `--host` address).
    fn own(&self, origin: &str, host: &str) -> bool {
        let trusted =
            is_loopback_host(host) || host_name(host).is_some_and(|n| n == self.bind_host);
        trusted && origin.eq_ignore_ascii_case(&format!("http://{host}"))
    }

    /// Refuses (403) a request carrying the `Origin` of a page that may not call the
    /// emulator; `control` applies the rules of the `/__emulator/` endpoints.
    pub fn check(&self, headers: &HeaderMap, control: bool) -> Result<(), Fail> {
        let host = text(headers, header::HOST).unwrap_or("");
        if control && !is_loopback_host(host) {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                "UNTRUSTED_HOST",
                "The /__emulator/ endpoints only answer requests to localhost or a loopback address.",
            ));
        }
        let Some(origin) = headers.get(header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or("");
        let ok = self.own(origin, host)
            || if control {
                self.listed(origin)
            } else {
                self.allows(origin)
            };
        if ok {
            Ok(())
        } else {
            Err(Fail::new(
                StatusCode::FORBIDDEN,
                "ORIGIN_NOT_ALLOWED",
                "Pages of this origin may not call the emulator; start it with --cors-origin ORIGIN to allow one.",
            ))
        }
    }

    /// Adds the CORS headers an allowed cross-origin caller needs to read `resp`.
    pub fn apply(&self, resp: &mut Response<Body>, origin: Option<&HeaderValue>) {
        let h = resp.headers_mut();
        if !self.listed.is_empty() && !self.any {
            h.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        let Some(origin) = origin.filter(|o| o.to_str().is_ok_and(|o| self.allows(o))) else {
            return;
        };
        let allow = if self.any {
            HeaderValue::from_static("*")
        } else {
            origin.clone()
        };
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(
                "Retry-After, WWW-Authenticate, RateLimit-Limit, RateLimit-Remaining",
            ),
        );
    }

    /// The answer to a CORS preflight (its `Origin` already passed [`Self::check`]); the
    /// CORS headers themselves are added by [`Self::apply`].
    pub fn preflight(&self, origin: Option<&HeaderValue>) -> Response<Body> {
        if origin
            .and_then(|o| o.to_str().ok())
            .is_none_or(|o| !self.allows(o))
        {
            // The page's own origin needs no preflight; anything else is not allowed.
            return Fail::new(
                StatusCode::FORBIDDEN,
                "ORIGIN_NOT_ALLOWED",
                "Cross-origin calls are off; start the emulator with --cors-origin ORIGIN to allow a page's origin.",
            )
            .into_response(Shape::default());
        }
        let mut resp = Response::new(reply::empty());
        *resp.status_mut() = StatusCode::NO_CONTENT;
        let h = resp.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type, accept"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        resp
    }
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks and normalizes a `--cors-origin` value: `*`, or `http[s]://host[:port]` with no
/// path, query or credentials (a trailing `/` is dropped, as browsers never send one).
pub fn parse_origin(value: &str) -> Result<String, String> {
    if value == "*" {
        return Ok(value.to_owned());
    }
    let bad = || {
        format!("--cors-origin expects * or an origin like http://localhost:5173, got {value:?}")
    };
    let v = value
        .strip_suffix('/')
        .unwrap_or(value)
        .to_ascii_lowercase();
    let (scheme, authority) = v.split_once("://").ok_or_else(bad)?;
    let valid = matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && authority.parse::<hyper::http::uri::Authority>().is_ok()
        && !authority.contains(['@', '/', '?', '#']);
    if !valid {
        return Err(bad());
    }
    let default_port = if scheme == "http" { ":80" } else { ":443" };
    Ok(format!(
        "{scheme}://{}",
        authority.strip_suffix(default_port).unwrap_or(authority)
    ))
}

/// The host name of a `Host` header without its port (an IPv6 literal keeps its brackets).
fn host_name(host: &str) -> Option<String> {
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next()?
    } else {
        match host.rsplit_once(':') {
            Some((n, port)) if port.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => host,
        }
    };
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Whether a `Host` header names the loopback interface: `localhost`, a `*.localhost` name
/// (which resolves to loopback), an address of 127.0.0.0/8, or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| a.is_loopback());
    }
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1:8080",
            "127.1.2.3",
            "localhost:8080",
            "LOCALHOST",
            "console.localhost:1",
            "[::1]:8080",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "10.0.0.5:80",
            "0.0.0.0:8080",
            "devbox:8080",
            "evil.example:8080",
            "",
            "localhost.evil.example",
            "[evil]:80",
            "[::2]:80",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn cors_origin_values() {
        assert_eq!(parse_origin("*").unwrap(), "*");
        assert_eq!(
            parse_origin("HTTP://LocalHost:5173/").unwrap(),
            "http://localhost:5173"
        );
        assert_eq!(
            parse_origin("https://a.example:443").unwrap(),
            "https://a.example"
        );
        for bad in [
            "localhost:5173",
            "http://",
            "ftp://x",
            "http://a/b",
            "http://u:p@a",
            "http://a?x",
            "null",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn own_origin_needs_a_trusted_host() {
        let p = OriginPolicy::new(&[], "127.0.0.1");
        assert!(p.own("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(!p.own("http://evil.example:8080", "evil.example:8080"));
        let lan = OriginPolicy::new(&[], "192.168.1.5");
        assert!(lan.own("http://192.168.1.5:8080", "192.168.1.5:8080"));
    }
}
