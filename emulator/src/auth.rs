//! Authentication as Atlas does it: OAuth client-credentials tokens for service accounts,
//! static bearer tokens, and HTTP Digest (MD5, qop=auth, realm "MMS Public API") for API
//! keys. Secrets are compared in constant time and never put in a message. Failed
//! client secrets are limited per client id, the issued tokens per client, and each Digest
//! nonce count is accepted once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use hyper::header::{HeaderName, CACHE_CONTROL, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::http::request::Parts;
use hyper::StatusCode;
use serde::Serialize;

use crate::client_lockout::ClientLockout;
use crate::digest_nonces::{Count, NonceCounts};
use crate::reply::Fail;
use crate::util::{md5_hex, now_ms, parse_pairs, random_hex, same_secret};

pub const REALM: &str = "MMS Public API";
const NONCE_LIFETIME_MS: u64 = 300_000;
/// Live tokens per client: issuing one more forgets that client's oldest.
pub const MAX_TOKENS_PER_CLIENT: usize = 100;

/// The credentials the emulator accepts.
#[derive(Debug, Default, Clone)]
pub struct Credentials {
    pub access_tokens: Vec<String>,
    /// client id -> client secret
    pub service_accounts: Vec<(String, String)>,
    /// public key -> private key
    pub api_keys: Vec<(String, String)>,
}

pub struct Auth {
    creds: Credentials,
    token_ttl: Duration,
    /// token -> (client id, expiry)
    tokens: Mutex<HashMap<String, (String, Instant)>>,
    nonce_secret: String,
    nonce_counts: NonceCounts,
    lockout: ClientLockout,
}

/// The answer of `POST /api/oauth/token`.
#[derive(Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
}

impl Auth {
    pub fn new(creds: Credentials, token_ttl: Duration) -> Self {
        Auth {
            creds,
            token_ttl,
            tokens: Mutex::new(HashMap::new()),
            nonce_secret: random_hex(16),
            nonce_counts: NonceCounts::default(),
            lockout: ClientLockout::default(),
        }
    }

    /// The `WWW-Authenticate` value that starts a Digest handshake.
    pub fn digest_challenge(&self, stale: bool) -> String {
        let ts = format!("{:x}", now_ms());
        let mac = &md5_hex(&format!("{ts}:{}", self.nonce_secret))[..16];
        format!(
            "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{ts}{mac}\", algorithm=MD5, qop=\"auth\", stale={stale}"
        )
    }

    fn unauthorized(&self, detail: &str, challenge: String) -> Fail {
        Fail::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", detail)
            .with_header(WWW_AUTHENTICATE, challenge)
            .raw_status()
    }

    /// Checks the `Authorization` header of an API request.
    pub fn check(&self, parts: &Parts) -> Result<(), Fail> {
        let header = parts
            .headers
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            let token = rest.trim();
            let bearer_fail = |detail: &str| {
                self.unauthorized(
                    detail,
                    format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                )
            };
            if self
                .creds
                .access_tokens
                .iter()
                .any(|t| same_secret(t, token))
            {
                return Ok(());
            }
            let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
            return match tokens.get(token) {
                Some((_, expiry)) if *expiry > Instant::now() => Ok(()),
                Some(_) => Err(bearer_fail(
                    "The access token has expired; request a new one.",
                )),
                None => Err(bearer_fail("The access token is not valid.")),
            };
        }
        if scheme.eq_ignore_ascii_case("digest") {
            return self.check_digest(parts, rest);
        }
        Err(self.unauthorized(
            "You are not authenticated: send a Bearer token or use HTTP Digest with an API key.",
            self.digest_challenge(false),
        ))
    }

    fn check_digest(&self, parts: &Parts, params: &str) -> Result<(), Fail> {
        let p = parse_digest(params);
        let get = |k: &str| p.get(k).map(String::as_str);
        let fail =
            |detail: &str, stale: bool| self.unauthorized(detail, self.digest_challenge(stale));
        let (Some(user), Some(nonce), Some(uri), Some(response)) =
            (get("username"), get("nonce"), get("uri"), get("response"))
        else {
            return Err(fail("Incomplete Digest credentials.", false));
        };
        if get("realm") != Some(REALM) {
            return Err(fail("Digest realm must be \"MMS Public API\".", false));
        }
        if !matches!(get("algorithm"), None | Some("MD5") | Some("md5")) {
            return Err(fail("Only the MD5 Digest algorithm is supported.", false));
        }
        // The nonce is ours (a keyed hash of its timestamp) and not too old.
        if nonce.len() <= 16 || !nonce.is_char_boundary(nonce.len() - 16) {
            return Err(fail("Unknown Digest nonce.", false));
        }
        let (ts, mac) = nonce.split_at(nonce.len() - 16);
        if !same_secret(mac, &md5_hex(&format!("{ts}:{}", self.nonce_secret))[..16]) {
            return Err(fail("Unknown Digest nonce.", false));
        }
        let issued = u64::from_str_radix(ts, 16).unwrap_or(0);
        if now_ms().saturating_sub(issued) > NONCE_LIFETIME_MS {
            return Err(fail("The Digest nonce has expired.", true));
        }
        let target = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        if uri != target {
            return Err(fail("The Digest uri does not match the request.", false));
        }
        let Some((_, private)) = self
            .creds
            .api_keys
            .iter()
            .find(|(public, _)| public == user)
        else {
            return Err(fail("Invalid API key.", false));
        };
        let ha1 = md5_hex(&format!("{user}:{REALM}:{private}"));
        let ha2 = md5_hex(&format!("{}:{uri}", parts.method));
        if get("qop") != Some("auth") {
            return Err(fail("Digest qop=auth is required.", false));
        }
        let (Some(nc), Some(cnonce)) = (get("nc"), get("cnonce")) else {
            return Err(fail("Digest qop=auth needs nc and cnonce.", false));
        };
        let count = match u32::from_str_radix(nc, 16) {
            Ok(n) if nc.len() <= 8 => n as u64,
            _ => return Err(fail("The Digest nc must be up to 8 hex digits.", false)),
        };
        let expected = md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
        if !same_secret(&expected, response) {
            return Err(fail("Invalid API key.", false));
        }
        match self
            .nonce_counts
            .record(nonce, issued, count, now_ms(), NONCE_LIFETIME_MS)
        {
            Count::Fresh => Ok(()),
            Count::Replayed => Err(fail(
                "This Digest nonce count was already used; send a higher nc or use a new nonce.",
                true,
            )),
            Count::Forgotten => Err(fail("The Digest nonce is no longer valid.", true)),
        }
    }

    /// The client id and secret of a Basic header or, failing that, of the form body.
    fn client(&self, parts: &Parts, form: &[(String, String)]) -> Option<(String, String)> {
        let header = parts
            .headers
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some((scheme, b64)) = header.split_once(' ') {
            if scheme.eq_ignore_ascii_case("basic") {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .ok()?;
                let text = String::from_utf8(raw).ok()?;
                let (id, secret) = text.split_once(':')?;
                return Some((id.to_owned(), secret.to_owned()));
            }
        }
        let find = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        Some((find("client_id")?, find("client_secret")?))
    }

    fn authenticate_client(
        &self,
        parts: &Parts,
        form: &[(String, String)],
    ) -> Result<String, Fail> {
        let bad = || {
            Fail::new(
                StatusCode::UNAUTHORIZED,
                "INVALID_CLIENT",
                "Invalid service account client id or secret.",
            )
            .raw_status()
        };
        let (id, secret) = self.client(parts, form).ok_or_else(bad)?;
        if let Err(wait) = self.lockout.check(&id) {
            return Err(Fail::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                "Too many failed attempts for this client id: retry after the Retry-After delay.",
            )
            .with_header(RETRY_AFTER, wait.to_string())
            .raw_status());
        }
        match self
            .creds
            .service_accounts
            .iter()
            .find(|(cid, _)| *cid == id)
        {
            Some((_, s)) if same_secret(s, &secret) => Ok(id),
            _ => {
                self.lockout.failed(&id);
                Err(bad())
            }
        }
    }

    /// `POST /api/oauth/token` with `grant_type=client_credentials`.
    pub fn issue_token(&self, parts: &Parts, body: &[u8]) -> Result<TokenAnswer, Fail> {
        let form = parse_pairs(&String::from_utf8_lossy(body));
        let client = self.authenticate_client(parts, &form)?;
        let grant = form
            .iter()
            .find(|(k, _)| k == "grant_type")
            .map(|(_, v)| v.as_str());
        if grant != Some("client_credentials") {
            return Err(Fail::bad_request(
                "UNSUPPORTED_GRANT_TYPE",
                "Send grant_type=client_credentials as an application/x-www-form-urlencoded body.",
            ));
        }
        let token = format!("emu_{}", random_hex(24));
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, (_, expiry)| *expiry > now);
        let mine = || tokens.iter().filter(|(_, (owner, _))| *owner == client);
        if mine().count() >= MAX_TOKENS_PER_CLIENT {
            if let Some(oldest) = mine()
                .min_by_key(|(_, (_, expiry))| *expiry)
                .map(|(t, _)| t.clone())
            {
                tokens.remove(&oldest);
            }
        }
        tokens.insert(token.clone(), (client, now + self.token_ttl));
        Ok(TokenAnswer {
            access_token: token,
            token_type: "Bearer",
            expires_in: self.token_ttl.as_secs(),
        })
    }

    /// `POST /api/oauth/revoke` with `token=…`: forgets a token issued to this client
    /// (RFC 7009: an unknown token is not an error).
    pub fn revoke(&self, parts: &Parts, body: &[u8]) -> Result<(), Fail> {
        let form = parse_pairs(&String::from_utf8_lossy(body));
        let client = self.authenticate_client(parts, &form)?;
        let Some((_, token)) = form.iter().find(|(k, _)| k == "token") else {
            return Err(Fail::bad_request(
                "MISSING_TOKEN",
                "Send token=<access token> as a form body.",
            ));
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if tokens.get(token).is_some_and(|(owner, _)| *owner == client) {
            tokens.remove(token);
        }
        Ok(())
    }
}

/// Headers of a token answer: it must not be cached.
pub fn token_headers() -> [(HeaderName, &'static str); 1] {
    [(CACHE_CONTROL, "no-store")]
}

/// Parses `k=v, k2="v 2"` Digest parameters (commas inside quotes are kept).
fn parse_digest(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(r) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = r.char_indices();
            let mut end = r.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            v.push(n);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => v.push(c),
                }
            }
            value = v;
            rest = r[end.min(r.len())..].trim_start();
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        out.insert(key, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_digest_parameters() {
        let p = parse_digest(
            r#"username="pub", realm="MMS Public API", nonce="abc", uri="/a?b=1,2", qop=auth, nc=00000001, cnonce="x\"y", response="r""#,
        );
        assert_eq!(p["username"], "pub");
        assert_eq!(p["uri"], "/a?b=1,2");
        assert_eq!(p["qop"], "auth");
        assert_eq!(p["nc"], "00000001");
        assert_eq!(p["cnonce"], "x\"y");
        assert_eq!(p["response"], "r");
    }
}
