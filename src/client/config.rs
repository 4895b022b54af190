use crate::validate::{FieldIssue, Severity};

use super::ClientError;

/// The origin (and optional path prefix) every request goes to, e.g. `https://cloud.mongodb.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    /// `scheme://host[:port]`, lower-cased scheme and host.
    origin: String,
    /// A path prefix without a trailing slash, usually empty.
    prefix: String,
}

impl BaseUrl {
    /// Parses a base URL. Plain `http://` is refused unless the host is a loopback address
    /// (`localhost`, `127.0.0.0/8`, `[::1]`) or `allow_insecure_http` is set: credentials
    /// would otherwise cross the network in clear text.
    pub fn parse(input: &str, allow_insecure_http: bool) -> Result<BaseUrl, ClientError> {
        let invalid = |code: &str, message: &str| ClientError::Validation {
            issues: vec![FieldIssue {
                path: "baseUrl".into(),
                code: code.into(),
                severity: Severity::Error,
                message: message.into(),
            }],
        };
        let (scheme, rest) = match input.split_once("://") {
            Some((s, r)) if s.eq_ignore_ascii_case("https") => ("https", r),
            Some((s, r)) if s.eq_ignore_ascii_case("http") => ("http", r),
            _ => return Err(invalid("pattern", "baseUrl must start with https:// (or http:// for a loopback host).")),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if path.contains(['?', '#']) {
            return Err(invalid("pattern", "baseUrl must not have a query or a fragment."));
        }
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@' || !c.is_ascii();
        if authority.is_empty() || authority.contains(bad_char) || path.contains(bad_char) {
            return Err(invalid("pattern", "baseUrl must be an absolute URL with a host, without user info."));
        }
        let authority = authority.to_ascii_lowercase();
        if scheme == "http" && !allow_insecure_http && !is_loopback(&authority) {
            return Err(invalid(
                "insecure_http",
                "baseUrl uses http:// for a host that is not loopback; use https:// or set allowInsecureHttp.",
            ));
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{authority}"),
            prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    /// `scheme://host[:port]`: the only origin that receives the Authorization header.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The absolute URL of a path (which starts with `/`).
    pub fn join(&self, path_and_query: &str) -> String {
        format!("{}{}{}", self.origin, self.prefix, path_and_query)
    }

    /// The path as the server sees it, including any prefix.
    pub fn server_path(&self, path_and_query: &str) -> String {
        format!("{}{}", self.prefix, path_and_query)
    }
}

fn is_loopback(authority: &str) -> bool {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        match rest.split_once(']') {
            // After the bracket only a port may follow: `[::1]evil.com` is no loopback.
            Some((host, tail)) if tail.is_empty() || port_only(tail) => host,
            _ => return false,
        }
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host == "localhost"
        || host == "::1"
        // 127.0.0.0/8, read as the hostname validator reads IPv4 addresses.
        || (host.starts_with("127.") && crate::validate::is_ipv4(host))
}

fn port_only(tail: &str) -> bool {
    tail.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Settings of a client that do not change between calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Where every request goes.
    pub base_url: BaseUrl,
    /// Send `userSecurity` GET and PATCH to `/api/atlas/v1.0` with `application/json`, as the
    /// older documentation does.
    pub legacy_v1: bool,
    /// Per attempt, in milliseconds: from sending the request to the last byte of the answer.
    pub timeout_ms: u32,
    /// The whole call, in milliseconds: every attempt, backoff and `Retry-After` wait.
    pub deadline_ms: Option<u32>,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The largest answer body read, in bytes; a larger one fails the call.
    pub max_response_bytes: u64,
    /// The language of validation messages.
    pub locale: crate::validate::Locale,
}

/// The default of [`ClientConfig::max_response_bytes`]: 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

impl ClientConfig {
    /// Defaults: v2 paths, 30 s per attempt, no deadline, 3 retries, answers up to 8 MiB,
    /// English messages.
    pub fn new(base_url: BaseUrl) -> ClientConfig {
        ClientConfig {
            base_url,
            legacy_v1: false,
            timeout_ms: 30_000,
            deadline_ms: None,
            max_retries: 3,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            locale: crate::validate::Locale::En,
        }
    }
}

/// Per-call options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Ask Atlas to wrap the answer in `{ status, content }`; the client unwraps it.
    pub envelope: bool,
    /// Ask Atlas for indented JSON.
    pub pretty: bool,
    /// Overrides the operation's API version, as `YYYY-MM-DD`.
    pub version_date: Option<String>,
    /// Overrides the client's [`ClientConfig::deadline_ms`] for this call.
    pub deadline_ms: Option<u32>,
}
