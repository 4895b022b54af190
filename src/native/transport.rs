//! One HTTP exchange with reqwest: the request the engine built, and the answer read up to
//! a size limit. The engine decides timeouts and retries; this only sends and reads.

use std::sync::Arc;

use super::AtlasError;
use crate::client::{HttpRequest, HttpResponse, Method};

/// Why no whole answer came back.
pub(crate) enum Failure {
    /// The body is larger than the limit; `status` is the answer's.
    TooLarge { status: u16 },
    /// The request failed: a description without secrets, and reqwest's error.
    Network { message: String, source: Arc<reqwest::Error> },
}

/// The HTTP client of one `AtlasClient`: rustls on `ring` with the Mozilla roots, no
/// redirects followed (one could carry the `Authorization` header to another origin), no
/// timeouts of its own (the engine's timers bound every attempt).
pub(crate) fn http_client() -> Result<reqwest::Client, AtlasError> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| AtlasError::AtlasNetworkError { message: format!("TLS cannot be set up: {e}"), source: None })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::custom(|attempt| attempt.error("redirects are not followed")))
        .user_agent(concat!("atlas-ldap/", env!("CARGO_PKG_VERSION"), " (rust)"))
        .build()
        .map_err(|e| {
            let (message, source) = describe(e);
            AtlasError::AtlasNetworkError { message, source: Some(source) }
        })
}

/// Sends `request` and reads at most `max_bytes` of its answer's body.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    request: HttpRequest,
    max_bytes: u64,
) -> Result<HttpResponse, Failure> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = http.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(*name, value);
    }
    if let Some(body) = request.body {
        builder = builder.body(body);
    }
    let mut response = builder.send().await.map_err(network)?;
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (retry_after, www_authenticate) = (header("retry-after"), header("www-authenticate"));
    if response.content_length().is_some_and(|length| length > max_bytes) {
        return Err(Failure::TooLarge { status });
    }
    // Chunk by chunk, so a huge or endless answer is never held whole.
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        if bytes.len() as u64 + chunk.len() as u64 > max_bytes {
            return Err(Failure::TooLarge { status });
        }
        bytes.extend_from_slice(&chunk);
    }
    let body = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(HttpResponse { status, retry_after, www_authenticate, body })
}

/// reqwest's error and its causes, without the URL (the message is the error's, for
/// people; the URL stays in `source`). Neither holds a header or a body.
fn network(error: reqwest::Error) -> Failure {
    let (message, source) = describe(error);
    Failure::Network { message, source }
}

fn describe(error: reqwest::Error) -> (String, Arc<reqwest::Error>) {
    let mut message = String::new();
    let mut part: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(e) = part {
        let text = if std::ptr::addr_eq(e, &error) { strip_url(&error) } else { e.to_string() };
        // hyper repeats its cause's text in its own; say each thing once.
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        part = e.source();
    }
    (message, Arc::new(error))
}

fn strip_url(error: &reqwest::Error) -> String {
    let text = error.to_string();
    match text.find(" for url (") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
