//! The options a program passes to the client, as Rust structs (the npm package reads them
//! with serde-wasm-bindgen; their TypeScript declarations are generated from here), and
//! their checks, which turn them into a [`ClientConfig`] and [`Credentials`].

use serde::{Deserialize, Deserializer};

use crate::model::Secret;
use crate::validate::{FieldIssue, Locale, Severity};

use super::{BaseUrl, ClientConfig, ClientError, Credentials, DigestCredentials, RequestOptions, WaitOptions};

/// A value only the JavaScript shell reads (a function, an `AbortSignal`); serde skips it
/// without looking at it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShellValue;

impl<'de> Deserialize<'de> for ShellValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_ignored_any(serde::de::IgnoredAny)?;
        Ok(ShellValue)
    }
}

/// How an `AtlasClient` reaches Atlas. Give at most one of `accessToken`, `serviceAccount`
/// and `digest`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "AtlasClientOptions", rename_all = "camelCase"))]
pub struct ClientOptions {
    /// Default `"https://cloud.mongodb.com"`. Plain `http://` is refused except for
    /// loopback hosts, unless `allowInsecureHttp` is set.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base_url: Option<String>,
    /// A bearer token, or a function giving one (called before every request, and again
    /// once after a 401).
    #[cfg_attr(feature = "ts", ts(optional, type = "string | (() => string | Promise<string>)"))]
    pub access_token: Option<ShellValue>,
    /// OAuth client credentials of a service account: the token is fetched, cached,
    /// shared by concurrent calls, renewed before it expires and once after a 401.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub service_account: Option<ServiceAccountOptions>,
    /// An API key pair, for HTTP Digest.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub digest: Option<DigestOptions>,
    /// Send `userSecurity` GET and PATCH to `/api/atlas/v1.0` with `application/json` (the
    /// older documentation).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub legacy_v1: Option<bool>,
    /// Per attempt, from sending to the last byte of the answer, in milliseconds. Default 30000.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub timeout_ms: Option<f64>,
    /// The whole call: attempts, backoff and `Retry-After` waits, in milliseconds. Default none.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub deadline_ms: Option<f64>,
    /// Retries after the first attempt. Default 3.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub max_retries: Option<f64>,
    /// The largest answer read, in bytes. Default 8 MiB (8388608).
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub max_response_bytes: Option<f64>,
    /// Allow `http://` to a host that is not loopback.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub allow_insecure_http: Option<bool>,
    /// Language of `AtlasValidationError` messages: `"en"` (default) or `"zh"`.
    #[cfg_attr(feature = "ts", ts(optional, type = r#""en" | "zh""#))]
    pub locale: Option<String>,
}

/// The client credentials of an Atlas service account.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase"))]
pub struct ServiceAccountOptions {
    /// The client id (`mdb_sa_id_…`).
    pub client_id: String,
    /// The client secret (`mdb_sa_sk_…`).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub client_secret: Secret,
}

/// An Atlas programmatic API key pair.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "camelCase"))]
pub struct DigestOptions {
    /// The public key (the Digest user name).
    pub public_key: String,
    /// The private key.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub private_key: Secret,
}

/// Per-call options.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RequestOptions", rename_all = "camelCase"))]
pub struct CallOptions {
    /// Ask Atlas to wrap the answer in an envelope; the client unwraps it, so the result is
    /// the same.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub envelope: Option<bool>,
    /// Ask Atlas for indented JSON.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pretty: Option<bool>,
    /// Abort the call: it rejects with an `AbortError` whose `cause` is the signal's reason.
    #[cfg_attr(feature = "ts", ts(optional, type = "AbortSignal"))]
    pub signal: Option<ShellValue>,
    /// Another API version, `"YYYY-MM-DD"` (default: the operation's version in the spec).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version_date: Option<String>,
    /// Bounds this call as a whole (overrides the client's `deadlineMs`), in milliseconds.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub deadline_ms: Option<f64>,
}

/// Options of `waitForLdapVerify`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "WaitOptions", rename_all = "camelCase"))]
pub struct WaitCallOptions {
    /// Between two status requests, in milliseconds. Default 2000.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub interval_ms: Option<f64>,
    /// For the whole wait, in milliseconds; then it rejects with an `AtlasTimeoutError`.
    /// Default 300000.
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub timeout_ms: Option<f64>,
    /// Abort the wait.
    #[cfg_attr(feature = "ts", ts(optional, type = "AbortSignal"))]
    pub signal: Option<ShellValue>,
    /// Called with every job read, pending or final.
    #[cfg_attr(feature = "ts", ts(optional, type = "(job: LdapVerifyJob) => void"))]
    pub on_progress: Option<ShellValue>,
}

/// What the `accessToken` option holds, as the shell found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSource {
    /// A string.
    Static(Secret),
    /// A function that gives a token.
    Function,
    /// Anything else.
    Invalid,
}

impl ClientOptions {
    /// Checks the options: the client's configuration and credentials, or an
    /// [`ClientError::Validation`] naming the option. `access_token` is what the shell found
    /// in `accessToken` (serde cannot read a function).
    pub fn into_client(self, access_token: Option<TokenSource>) -> Result<(ClientConfig, Credentials), ClientError> {
        let locale = self.locale.as_deref().map_or(Locale::En, Locale::parse);
        let base = self.base_url.as_deref().unwrap_or("https://cloud.mongodb.com");
        let base_url = BaseUrl::parse(base, self.allow_insecure_http.unwrap_or(false))?;
        let mut config = ClientConfig::new(base_url);
        config.locale = locale;
        config.legacy_v1 = self.legacy_v1.unwrap_or(false);
        if let Some(ms) = self.timeout_ms {
            config.timeout_ms = milliseconds(ms, "timeoutMs", locale)?;
        }
        if let Some(ms) = self.deadline_ms {
            config.deadline_ms = Some(milliseconds(ms, "deadlineMs", locale)?);
        }
        if let Some(n) = self.max_retries {
            config.max_retries = whole(n, 0.0, 100.0).ok_or_else(|| invalid_option("maxRetries", locale))? as u32;
        }
        if let Some(n) = self.max_response_bytes {
            config.max_response_bytes =
                whole(n, 1.0, 9_007_199_254_740_991.0).ok_or_else(|| invalid_option("maxResponseBytes", locale))? as u64;
        }
        let given = [access_token.is_some(), self.service_account.is_some(), self.digest.is_some()];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(invalid_option("accessToken", locale));
        }
        let credentials = match (access_token, self.service_account, self.digest) {
            (Some(TokenSource::Static(token)), _, _) if !token.is_empty() => Credentials::Bearer(token),
            (Some(TokenSource::Function), _, _) => Credentials::BearerFunction,
            (Some(_), _, _) => return Err(invalid_option("accessToken", locale)),
            (_, Some(account), _) => {
                if account.client_id.is_empty() || account.client_secret.is_empty() {
                    return Err(invalid_option("serviceAccount", locale));
                }
                Credentials::ServiceAccount { client_id: account.client_id, client_secret: account.client_secret }
            }
            (_, _, Some(key)) => {
                if key.public_key.is_empty() || key.private_key.is_empty() {
                    return Err(invalid_option("digest", locale));
                }
                Credentials::Digest(DigestCredentials { public_key: key.public_key, private_key: key.private_key })
            }
            (None, None, None) => Credentials::None,
        };
        Ok((config, credentials))
    }
}

impl CallOptions {
    /// Checks the per-call options.
    pub fn into_request(self, locale: Locale) -> Result<RequestOptions, ClientError> {
        Ok(RequestOptions {
            envelope: self.envelope.unwrap_or(false),
            pretty: self.pretty.unwrap_or(false),
            version_date: self.version_date,
            deadline_ms: self.deadline_ms.map(|ms| milliseconds(ms, "deadlineMs", locale)).transpose()?,
        })
    }
}

impl WaitCallOptions {
    /// Checks the wait's options.
    pub fn into_wait(self, locale: Locale) -> Result<WaitOptions, ClientError> {
        let interval = |ms: f64| whole(ms.floor(), 0.0, 86_400_000.0).map(|ms| ms as u32);
        Ok(WaitOptions {
            interval_ms: self.interval_ms.map(|ms| interval(ms).ok_or_else(|| invalid_option("intervalMs", locale))).transpose()?,
            timeout_ms: self.timeout_ms.map(|ms| milliseconds(ms, "timeoutMs", locale)).transpose()?,
        })
    }
}

/// A duration option: a whole number of milliseconds from 1 to 24 hours (fractions are cut).
fn milliseconds(ms: f64, path: &str, locale: Locale) -> Result<u32, ClientError> {
    whole(ms.floor(), 1.0, 86_400_000.0).map(|ms| ms as u32).ok_or_else(|| invalid_option(path, locale))
}

fn whole(n: f64, min: f64, max: f64) -> Option<f64> {
    (n.is_finite() && n.fract() == 0.0 && n >= min && n <= max).then_some(n)
}

/// An option that is out of range or of the wrong kind (code `invalid_option`).
pub fn invalid_option(path: &str, locale: Locale) -> ClientError {
    let message = match locale {
        Locale::En => format!("{path}: invalid client option."),
        Locale::Zh => format!("{path}：客户端选项无效。"),
    };
    option_error(path, "invalid_option", message)
}

/// An option or argument of the wrong JavaScript type (code `type`).
pub fn wrong_option_type(path: &str, locale: Locale) -> ClientError {
    let message = match locale {
        Locale::En => format!("{path} has the wrong type."),
        Locale::Zh => format!("{path} 的类型不对。"),
    };
    option_error(path, "type", message)
}

fn option_error(path: &str, code: &str, message: String) -> ClientError {
    ClientError::Validation {
        issues: vec![FieldIssue { path: path.into(), code: code.into(), severity: Severity::Error, message }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> ClientOptions {
        serde_json::from_str(json).expect("options")
    }

    #[test]
    fn defaults() {
        let (config, credentials) = options("{}").into_client(None).unwrap();
        assert_eq!(config.base_url.origin(), "https://cloud.mongodb.com");
        assert_eq!((config.timeout_ms, config.deadline_ms, config.max_retries), (30_000, None, 3));
        assert_eq!(config.max_response_bytes, 8_388_608);
        assert!(matches!(credentials, Credentials::None));
    }

    #[test]
    fn ranges_are_checked_and_named() {
        for (json, path) in [
            (r#"{"timeoutMs":0}"#, "timeoutMs"),
            (r#"{"deadlineMs":-5}"#, "deadlineMs"),
            (r#"{"maxRetries":1.5}"#, "maxRetries"),
            (r#"{"maxResponseBytes":0}"#, "maxResponseBytes"),
            (r#"{"serviceAccount":{"clientId":"x"}}"#, "serviceAccount"),
            (r#"{"digest":{"publicKey":"p","privateKey":""}}"#, "digest"),
        ] {
            let Err(ClientError::Validation { issues }) = options(json).into_client(None) else { panic!("{json}") };
            assert_eq!(issues[0].path, path, "{json}");
        }
    }

    #[test]
    fn two_credentials_are_refused() {
        let o = options(r#"{"serviceAccount":{"clientId":"a","clientSecret":"b"}}"#);
        assert!(o.into_client(Some(TokenSource::Static(Secret::new("t")))).is_err());
    }

    #[test]
    fn a_secret_never_reaches_the_error() {
        let o = options(r#"{"digest":{"publicKey":"","privateKey":"do-not-print"}}"#);
        let error = o.into_client(None).unwrap_err();
        assert!(!format!("{error} {error:?}").contains("do-not-print"));
    }
}
