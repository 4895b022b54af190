use serde_json::Value;

use crate::model::Secret;

use super::reply::{api_error, snippet};
use super::{BaseUrl, ClientError, HttpRequest, Method};

/// A service-account access token and when it stops being valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    /// The bearer token.
    pub value: Secret,
    /// On the caller's clock, in milliseconds.
    pub expires_at_ms: u64,
}

/// Tokens are renewed this long before they expire (or at half their life, if shorter),
/// so a request never leaves with a token that dies on the way.
const RENEW_MARGIN_MS: u64 = 60_000;

impl AccessToken {
    /// Whether the token can still be sent at `now_ms`.
    pub fn is_fresh(&self, now_ms: u64, lifetime_ms: u64) -> bool {
        let margin = RENEW_MARGIN_MS.min(lifetime_ms / 2);
        now_ms.saturating_add(margin) < self.expires_at_ms
    }
}

/// `POST {baseUrl}/api/oauth/token` with HTTP Basic client credentials and
/// `grant_type=client_credentials`.
pub fn token_request(base: &BaseUrl, client_id: &str, client_secret: &Secret) -> HttpRequest {
    form_request(base, "/api/oauth/token", client_id, client_secret, "grant_type=client_credentials".into())
}

/// `POST {baseUrl}/api/oauth/revoke` for an access token.
pub fn revoke_request(base: &BaseUrl, client_id: &str, client_secret: &Secret, token: &Secret) -> HttpRequest {
    let body = format!("token={}&token_type_hint=access_token", form_encode(token.expose()));
    form_request(base, "/api/oauth/revoke", client_id, client_secret, body)
}

fn form_request(base: &BaseUrl, path: &str, client_id: &str, client_secret: &Secret, body: String) -> HttpRequest {
    let credentials = format!("{}:{}", form_encode(client_id), form_encode(client_secret.expose()));
    HttpRequest {
        method: Method::Post,
        url: base.join(path),
        path_and_query: base.server_path(path),
        headers: vec![
            ("authorization", format!("Basic {}", base64(credentials.as_bytes()))),
            ("content-type", "application/x-www-form-urlencoded".into()),
            ("accept", "application/json".into()),
        ],
        body: Some(body),
    }
}

/// Reads the token endpoint's answer. Returns the token and its lifetime in milliseconds.
/// A malformed answer's snippet is never kept: it could hold the token.
pub fn parse_token_response(status: u16, body: &str, now_ms: u64) -> Result<(AccessToken, u64), ClientError> {
    if status >= 400 {
        let document: Option<Value> = serde_json::from_str(body).ok();
        let error = document.and_then(|d| api_error(d, status)).unwrap_or_else(|| crate::model::ApiError {
            error: status,
            error_code: "OAUTH_TOKEN_REQUEST_FAILED".into(),
            detail: Some(snippet(body)),
            ..Default::default()
        });
        return Err(ClientError::Api { status, error: Box::new(error) });
    }
    let (access_token, expires_in) = token_answer(body).ok_or_else(|| ClientError::Decode {
        status,
        body_snippet: String::new(),
        message: "the token endpoint did not answer with an access_token".into(),
    })?;
    let lifetime_ms = expires_in.unwrap_or(3600).saturating_mul(1000);
    let token = AccessToken { value: Secret::new(access_token), expires_at_ms: now_ms.saturating_add(lifetime_ms) };
    Ok((token, lifetime_ms))
}

/// `access_token` (a string) and `expires_in` (seconds; absent or `null` when not given) of
/// a token answer (RFC 6749 section 5.1). Other fields are ignored.
fn token_answer(body: &str) -> Option<(String, Option<u64>)> {
    let answer: Value = serde_json::from_str(body).ok()?;
    let answer = answer.as_object()?;
    let access_token = answer.get("access_token")?.as_str()?.to_owned();
    let expires_in = match answer.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(seconds) => Some(seconds.as_u64()?),
    };
    Some((access_token, expires_in))
}

/// `application/x-www-form-urlencoded` encoding (RFC 6749 asks it for client credentials too).
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
    out
}

/// Standard base64 with padding; small enough not to need a crate.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn form_encoding_escapes_reserved_characters() {
        assert_eq!(form_encode("a b&c=d:é"), "a+b%26c%3Dd%3A%C3%A9");
    }
}
