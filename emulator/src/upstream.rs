//! `--upstream URL`: forwards `/api/*` to a real Atlas instead of emulating it, the
//! same-origin proxy a browser console needs (cloud.mongodb.com sends no CORS headers).
//! The URL may not carry credentials (they would travel in `Host`, the banner and error
//! bodies); cookies and forwarding headers are not passed on either way.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue, HOST};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

use crate::reply::{Body, BoxError, Fail, Shape};

#[cfg(feature = "upstream-tls")]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
#[cfg(not(feature = "upstream-tls"))]
type Connector = HttpConnector;

pub struct Upstream {
    scheme: String,
    authority: String,
    prefix: String,
    client: Client<Connector, Full<Bytes>>,
    timeout: Duration,
}

const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "origin",
    "referer",
    "cookie",
    "set-cookie",
    "forwarded",
];

/// Headers never passed on, either way: these and the ones in [`HOP_BY_HOP`].
fn withheld(name: &str) -> bool {
    HOP_BY_HOP.contains(&name)
        || name.starts_with("access-control-")
        || name.starts_with("x-forwarded-")
}

impl Upstream {
    /// `url` without its credentials is also how error messages name it; a URL that has
    /// `user:password@` is refused without being repeated.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, String> {
        let uri: Uri = url
            .parse()
            .map_err(|_| "--upstream is not a valid URL".to_owned())?;
        let scheme = uri.scheme_str().unwrap_or("").to_ascii_lowercase();
        let authority = uri
            .authority()
            .ok_or_else(|| "--upstream has no host".to_owned())?;
        if authority.as_str().contains('@') {
            return Err("--upstream must not contain user:password@; the proxy passes on each request's own Authorization header".into());
        }
        let authority = authority.to_string();
        let prefix = uri.path().trim_end_matches('/').to_owned();
        let client = Client::builder(TokioExecutor::new()).build(connector(&scheme)?);
        Ok(Upstream {
            scheme,
            authority,
            prefix,
            client,
            timeout,
        })
    }

    /// Sends the request on and streams the answer back.
    pub async fn forward(&self, parts: Parts, body: Bytes) -> Response<Body> {
        let pq = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!("{}://{}{}{}", self.scheme, self.authority, self.prefix, pq);
        let mut builder = Request::builder().method(parts.method.clone()).uri(target);
        for (name, value) in &parts.headers {
            if !withheld(name.as_str()) {
                builder = builder.header(name, value);
            }
        }
        builder = builder.header(
            HOST,
            HeaderValue::from_str(&self.authority).unwrap_or(HeaderValue::from_static("")),
        );
        let Ok(request) = builder.body(Full::new(body)) else {
            return Fail::new(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "The request could not be forwarded.",
            )
            .into_response(Shape::default());
        };
        match tokio::time::timeout(self.timeout, self.client.request(request)).await {
            Err(_) => Fail::new(
                StatusCode::GATEWAY_TIMEOUT,
                "UPSTREAM_TIMEOUT",
                format!(
                    "The upstream {} did not answer within {} ms.",
                    self.authority,
                    self.timeout.as_millis()
                ),
            )
            .into_response(Shape::default()),
            Ok(Ok(resp)) => {
                let (mut parts, body) = resp.into_parts();
                let drop: Vec<HeaderName> = parts
                    .headers
                    .keys()
                    .filter(|n| withheld(n.as_str()))
                    .cloned()
                    .collect();
                for name in drop {
                    parts.headers.remove(name);
                }
                Response::from_parts(parts, body.map_err(|e| Box::new(e) as BoxError).boxed())
            }
            Ok(Err(_)) => Fail::new(
                StatusCode::BAD_GATEWAY,
                "UPSTREAM_UNREACHABLE",
                format!("The upstream {} could not be reached.", self.authority),
            )
            .into_response(Shape::default()),
        }
    }
}

#[cfg(feature = "upstream-tls")]
fn connector(scheme: &str) -> Result<Connector, String> {
    if scheme != "http" && scheme != "https" {
        return Err("--upstream must be an http:// or https:// URL".into());
    }
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build())
}

#[cfg(not(feature = "upstream-tls"))]
fn connector(scheme: &str) -> Result<Connector, String> {
    match scheme {
        "http" => Ok(HttpConnector::new()),
        "https" => Err("this atlas-emulator was built without the `upstream-tls` feature; only http:// upstreams work".into()),
        _ => Err("--upstream must be an http:// or https:// URL".into()),
    }
}
