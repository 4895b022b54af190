use md5::{Digest, Md5};

use crate::model::Secret;

use super::Method;

/// An Atlas API key pair for HTTP Digest authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestCredentials {
    /// The public key: the Digest user name.
    pub public_key: String,
    /// The private key: the Digest password.
    pub private_key: Secret,
}

/// The server's `WWW-Authenticate: Digest …` challenge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DigestChallenge {
    /// The protection space (`MMS Public API` on Atlas).
    pub realm: String,
    /// The server's nonce, counted with `nc` per request.
    pub nonce: String,
    /// An opaque value to send back as it is.
    pub opaque: Option<String>,
    /// Whether the server offers `qop=auth`.
    pub qop_auth: bool,
    /// The server says the nonce expired while the credentials were right.
    pub stale: bool,
}

impl DigestChallenge {
    /// Reads a `WWW-Authenticate` header; `None` unless it is an MD5 Digest challenge.
    pub fn parse(header: &str) -> Option<DigestChallenge> {
        let rest = header.trim_start();
        let (scheme, params) = rest.split_at(rest.find(' ').unwrap_or(rest.len()));
        if !scheme.eq_ignore_ascii_case("digest") {
            return None;
        }
        let mut challenge = DigestChallenge::default();
        let mut algorithm_ok = true;
        for (key, value) in auth_params(params) {
            match key.to_ascii_lowercase().as_str() {
                "realm" => challenge.realm = value,
                "nonce" => challenge.nonce = value,
                "opaque" => challenge.opaque = Some(value),
                "qop" => challenge.qop_auth = value.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")),
                "stale" => challenge.stale = value.eq_ignore_ascii_case("true"),
                "algorithm" => algorithm_ok = value.eq_ignore_ascii_case("md5"),
                _ => {}
            }
        }
        (algorithm_ok && !challenge.nonce.is_empty()).then_some(challenge)
    }

    /// The `Authorization` header value for one request. `nc` counts the requests made with
    /// this nonce (from 1); `cnonce` is a fresh random string.
    pub fn authorization(
        &self,
        credentials: &DigestCredentials,
        method: Method,
        uri: &str,
        nc: u32,
        cnonce: &str,
    ) -> String {
        let ha1 = md5_hex(&[&credentials.public_key, &self.realm, credentials.private_key.expose()]);
        let ha2 = md5_hex(&[method.as_str(), uri]);
        let nc = hex(&nc.to_be_bytes());
        let mut header = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm=MD5",
            quote(&credentials.public_key),
            quote(&self.realm),
            quote(&self.nonce),
            quote(uri)
        );
        let response = if self.qop_auth {
            header.push_str(&format!(", qop=auth, nc={nc}, cnonce=\"{}\"", quote(cnonce)));
            md5_hex(&[&ha1, &self.nonce, &nc, cnonce, "auth", &ha2])
        } else {
            md5_hex(&[&ha1, &self.nonce, &ha2])
        };
        header.push_str(&format!(", response=\"{response}\""));
        if let Some(opaque) = &self.opaque {
            header.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
        }
        header
    }
}

fn md5_hex(parts: &[&str]) -> String {
    let mut hasher = Md5::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update(b":");
        }
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Lower-case hexadecimal, two digits per byte (by hand: `{:02x}` links the integer
/// formatting machinery into the wasm for this one use).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `key=value` and `key="quoted value"` pairs separated by commas.
fn auth_params(input: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if key.trim().is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value.extend(std::iter::from_fn(|| chars.next_if(|c| *c != ',')));
            value = value.trim().to_owned();
        }
        out.push((key.trim().to_owned(), value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_2617_example_response() {
        // RFC 2617 section 3.5 (its example uses qop=auth and MD5).
        let challenge = DigestChallenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .unwrap();
        let creds = DigestCredentials { public_key: "Mufasa".into(), private_key: Secret::new("Circle Of Life") };
        let header = challenge.authorization(&creds, Method::Get, "/dir/index.html", 1, "0a4f113b");
        assert!(header.contains(r#"response="6629fae49393a05397450978507c4ef1""#), "{header}");
        assert!(!header.contains("Circle Of Life"));
    }

    #[test]
    fn atlas_challenge_is_read() {
        let c = DigestChallenge::parse(
            r#"Digest realm="MMS Public API", domain="", nonce="abc", algorithm=MD5, qop="auth", stale=false"#,
        )
        .unwrap();
        assert_eq!((c.realm.as_str(), c.nonce.as_str(), c.qop_auth, c.stale), ("MMS Public API", "abc", true, false));
        assert!(DigestChallenge::parse("Basic realm=x").is_none());
        assert!(DigestChallenge::parse("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256").is_none());
    }
}
