//! `--upstream URL`: forwards `/api/*` to a real Atlas instead of emulating it, the
//! same-origin proxy a browser console needs (cloud.mongodb.com sends no CORS headers).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue, HOST};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

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
];

impl Upstream {
    pub fn new(url: &str) -> Result<Self, String> {
        let uri: Uri = url
            .parse()
            .map_err(|_| format!("--upstream: {url:?} is not a URL"))?;
        let scheme = uri.scheme_str().unwrap_or("").to_ascii_lowercase();
        let authority = uri
            .authority()
            .map(|a| a.to_string())
            .ok_or_else(|| format!("--upstream: {url:?} has no host"))?;
        let prefix = uri.path().trim_end_matches('/').to_owned();
        let client = Client::builder(TokioExecutor::new()).build(connector(&scheme)?);
        Ok(Upstream {
            scheme,
            authority,
            prefix,
            client,
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
            if !HOP_BY_HOP.contains(&name.as_str()) && !name.as_str().starts_with("access-control-")
            {
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
        match self.client.request(request).await {
            Ok(resp) => {
                let (mut parts, body) = resp.into_parts();
                let drop: Vec<HeaderName> = parts
                    .headers
                    .keys()
                    .filter(|n| {
                        HOP_BY_HOP.contains(&n.as_str())
                            || n.as_str().starts_with("access-control-")
                    })
                    .cloned()
                    .collect();
                for name in drop {
                    parts.headers.remove(name);
                }
                Response::from_parts(parts, body.map_err(|e| Box::new(e) as BoxError).boxed())
            }
            Err(_) => Fail::new(
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
