//! The request pipeline: logging, the origin check and CORS, control endpoints, static
//! files, faults, rate limit, latency, then either the upstream proxy or the emulated API.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue, RETRY_AFTER};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::auth::{token_headers, Auth};
use crate::cli::Config;
use crate::faults::{FaultAction, FaultRule, Faults, RateLimiter};
use crate::media;
use crate::origin::OriginPolicy;
use crate::reply::{self, Body, Fail, Shape};
use crate::routes;
use crate::static_files;
use crate::store::Store;
use crate::upstream::Upstream;
use crate::util::parse_pairs;
use crate::verify::Verifier;

/// The answer when a fault asks for the connection to be dropped.
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a programmed fault")
    }
}
impl std::error::Error for DropConnection {}

pub struct App {
    pub store: Arc<Store>,
    pub auth: Auth,
    pub faults: Faults,
    limiter: Option<RateLimiter>,
    upstream: Option<Upstream>,
    latency: Duration,
    verifier: Verifier,
    max_body: usize,
    www: Option<PathBuf>,
    pkg: Option<PathBuf>,
    /// What `/__emulator/console.json` hands the web console: the project it opens on and
    /// the first static bearer token (none in `--upstream` mode).
    console_group: Option<String>,
    console_token: Option<String>,
    origins: OriginPolicy,
    /// How long a request body may take to arrive (the idle timeout).
    body_timeout: Duration,
}

/// Marks an answer that must not carry CORS headers (readable by same-origin pages only).
#[derive(Clone, Copy)]
struct SameOriginOnly;

/// The Content-Security-Policy of every HTML page served from `--www` / `--pkg`.
pub const CONSOLE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

impl App {
    pub fn new(cfg: &Config) -> Result<Self, String> {
        let faults = Faults::default();
        faults.add_all(cfg.faults.clone())?;
        Ok(App {
            store: Arc::new(Store::open(cfg.state.clone(), &cfg.projects)?),
            auth: Auth::new(cfg.creds.clone(), cfg.token_ttl),
            faults,
            limiter: cfg.rate_limit.map(RateLimiter::new),
            upstream: cfg
                .upstream
                .as_deref()
                .map(|url| Upstream::new(url, cfg.upstream_timeout))
                .transpose()?,
            latency: cfg.latency,
            verifier: Verifier::new(cfg.ldap_verify, cfg.verify_delay),
            max_body: cfg.max_body_bytes,
            www: cfg.www.clone(),
            pkg: cfg.pkg.clone(),
            console_group: cfg.projects.first().cloned(),
            console_token: if cfg.upstream.is_some() {
                None
            } else {
                cfg.creds.access_tokens.first().cloned()
            },
            origins: OriginPolicy::new(&cfg.cors_origins, &cfg.host),
            body_timeout: cfg.limits.idle_timeout,
        })
    }

    /// Handles one request and logs one line (method, path, status, ms) to stderr.
    pub async fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
    ) -> Result<Response<Body>, DropConnection> {
        let start = Instant::now();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let origin = req.headers().get(header::ORIGIN).cloned();
        let result = self.dispatch(req).await;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let shown: String = path
            .chars()
            .take(200)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        match result {
            Ok(mut resp) => {
                if resp.extensions().get::<SameOriginOnly>().is_none() {
                    self.origins.apply(&mut resp, origin.as_ref());
                }
                resp.headers_mut().insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                eprintln!("{method} {shown} {} {ms:.1}ms", resp.status().as_u16());
                Ok(resp)
            }
            Err(drop) => {
                eprintln!("{method} {shown} dropped {ms:.1}ms");
                Err(drop)
            }
        }
    }

    async fn dispatch(&self, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
        let path = req.uri().path().to_owned();
        let control = path.strip_prefix("/__emulator/");
        if let Err(refused) = self.origins.check(req.headers(), control.is_some()) {
            return Ok(refused.into_response(Shape::default()));
        }
        if req.method() == Method::OPTIONS
            && req
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
        {
            return Ok(self.origins.preflight(req.headers().get(header::ORIGIN)));
        }
        if let Some(rest) = control {
            return Ok(self.control(rest, req).await);
        }
        if path.starts_with("/api/") {
            return self.api(req).await;
        }
        let head = req.method() == Method::HEAD;
        if req.method() == Method::GET || head {
            let accept = req
                .headers()
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if let (Some(dir), Some(rel)) = (&self.pkg, path.strip_prefix("/pkg/")) {
                if let Some(resp) = static_files::serve(dir, rel, head, accept).await {
                    return Ok(resp);
                }
            } else if let Some(dir) = &self.www {
                if let Some(resp) = static_files::serve(dir, &path, head, accept).await {
                    return Ok(resp);
                }
            }
        }
        Ok(Fail::not_found(
            "RESOURCE_NOT_FOUND",
            format!("Cannot find resource {}.", short(&path)),
        )
        .into_response(Shape::default()))
    }

    async fn api(&self, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let method = req.method().as_str().to_owned();
        if let Some((action, retry_after)) = self.faults.take(&method, req.uri().path()) {
            return match action {
                FaultAction::Drop => Err(DropConnection),
                FaultAction::Status(status) => Ok(fault_response(status, retry_after)),
            };
        }
        if let Some(limiter) = &self.limiter {
            if let Err(wait) = limiter.take() {
                return Ok(Fail::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    "Too many requests: slow down and retry after the Retry-After delay.",
                )
                .with_header(RETRY_AFTER, wait.to_string())
                .with_header(
                    header::HeaderName::from_static("ratelimit-limit"),
                    limiter.limit().to_string(),
                )
                .with_header(header::HeaderName::from_static("ratelimit-remaining"), "0")
                .raw_status()
                .into_response(Shape::default()));
            }
        }
        let (parts, body) = req.into_parts();
        if let Some(upstream) = &self.upstream {
            return Ok(match self.read_body(&parts, body).await {
                Ok(bytes) => upstream.forward(parts, bytes).await,
                Err(fail) => fail.into_response(Shape::default()),
            });
        }
        Ok(self.emulate(parts, body).await)
    }

    async fn emulate(&self, parts: Parts, body: Incoming) -> Response<Body> {
        let (shape, bad_query) = shape(&parts);
        if let Some(fail) = bad_query {
            return fail.into_response(shape);
        }
        match self.emulate_inner(&parts, body, shape).await {
            Ok(resp) => resp,
            Err(fail) => fail.into_response(shape),
        }
    }

    async fn emulate_inner(
        &self,
        parts: &Parts,
        body: Incoming,
        shape: Shape,
    ) -> Result<Response<Body>, Fail> {
        let path = parts.uri.path();
        if path == "/api/oauth/token" || path == "/api/oauth/revoke" {
            if parts.method != Method::POST {
                return Err(Fail::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "METHOD_NOT_ALLOWED",
                    "Use POST.",
                )
                .with_header(header::ALLOW, "POST"));
            }
            let bytes = self.read_body(parts, body).await?;
            if path.ends_with("/token") {
                let answer = self.auth.issue_token(parts, &bytes)?;
                let mut resp = reply::json(StatusCode::OK, reply::JSON, &answer, Shape::default());
                for (name, value) in token_headers() {
                    resp.headers_mut()
                        .insert(name, HeaderValue::from_static(value));
                }
                return Ok(resp);
            }
            self.auth.revoke(parts, &bytes)?;
            let mut resp = Response::new(reply::empty());
            *resp.status_mut() = StatusCode::OK;
            return Ok(resp);
        }
        let matched = routes::match_route(&parts.method, path)?;
        self.auth.check(parts)?;
        let versions = matched.op.versions(matched.legacy);
        let accept = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        let content_type = media::negotiate_accept(accept, versions)?;
        let bytes = match matched.op.body() {
            Some(_) => {
                let ct = parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok());
                media::check_content_type(ct, versions)?;
                self.read_body(parts, body).await?
            }
            None => Bytes::new(),
        };
        let base = crate::util::base_url(&parts.headers);
        let (status, value) =
            routes::run(&self.store, &self.verifier, matched.op, parts, bytes, &base).await?;
        Ok(reply::json(status, &content_type, &value, shape))
    }

    /// Reads a body of at most `--max-body-bytes`, or fails with 413.
    async fn read_body(&self, parts: &Parts, body: Incoming) -> Result<Bytes, Fail> {
        let too_large = || {
            Fail::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "REQUEST_TOO_LARGE",
                format!(
                    "The request body is larger than the limit of {} bytes.",
                    self.max_body
                ),
            )
        };
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body as u64) {
            return Err(too_large());
        }
        let collect = Limited::new(body, self.max_body).collect();
        let Ok(collected) = tokio::time::timeout(self.body_timeout, collect).await else {
            return Err(Fail::new(
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                format!(
                    "The request body did not arrive within {} ms.",
                    self.body_timeout.as_millis()
                ),
            ));
        };
        match collected {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
            Err(_) => Err(Fail::bad_request(
                "INVALID_REQUEST",
                "The request body could not be read.",
            )),
        }
    }

    /// `/__emulator/…`: health and run-time fault programming (no authentication), and
    /// verification jobs with reasons (the API's credentials); only for requests to a
    /// loopback host from no page or this origin's, see [`OriginPolicy`].
    async fn control(&self, rest: &str, req: Request<Incoming>) -> Response<Body> {
        let method = req.method().clone();
        let shape = Shape {
            envelope: false,
            pretty: true,
        };
        match (method, rest) {
            (Method::GET | Method::HEAD, "console.json") => self.console(&req),
            (Method::GET, r) if r.starts_with("verify/") => {
                crate::verify_debug::answer(&self.store, &self.auth, &r[7..], req)
            }
            (Method::GET, "health") => reply::json(
                StatusCode::OK,
                reply::JSON,
                &json!({"status": "ok", "projects": self.store.project_ids()}),
                shape,
            ),
            (Method::GET, "faults") => {
                reply::json(StatusCode::OK, reply::JSON, &self.faults.list(), shape)
            }
            (Method::DELETE, "faults") => {
                self.faults.clear();
                reply::json(StatusCode::OK, reply::JSON, &self.faults.list(), shape)
            }
            (Method::POST, "faults") => {
                let (parts, body) = req.into_parts();
                let bytes = match self.read_body(&parts, body).await {
                    Ok(b) => b,
                    Err(f) => return f.into_response(shape),
                };
                let rules: Result<Vec<FaultRule>, String> =
                    match serde_json::from_slice::<serde_json::Value>(&bytes) {
                        Ok(v @ serde_json::Value::Array(_)) => {
                            serde_json::from_value(v).map_err(|e| e.to_string())
                        }
                        Ok(v) => serde_json::from_value::<FaultRule>(v)
                            .map(|r| vec![r])
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                match rules
                    .and_then(|rules| rules.iter().try_for_each(FaultRule::check).map(|_| rules))
                    .and_then(|rules| self.faults.add_all(rules))
                {
                    Ok(()) => {
                        reply::json(StatusCode::CREATED, reply::JSON, &self.faults.list(), shape)
                    }
                    Err(e) => Fail::bad_request("INVALID_FAULT", format!("Invalid fault: {e}."))
                        .into_response(shape),
                }
            }
            (_, "health" | "faults" | "console.json") => Fail::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "Method not allowed.",
            )
            .into_response(shape),
            _ => Fail::not_found(
                "RESOURCE_NOT_FOUND",
                "Unknown control endpoint; see /__emulator/health and /__emulator/faults.",
            )
            .into_response(shape),
        }
    }
}

impl App {
    /// `GET /__emulator/console.json`: how the web console served by this process should
    /// talk to the API. Emulating: `{mode: "emulator", baseUrl, groupId, userId, accessToken}`
    /// (the first project, its first user, the first static bearer token; `accessToken` is
    /// left out when only service accounts or API keys were configured). With `--upstream`:
    /// `{mode: "upstream", baseUrl}` and nothing else. `baseUrl` is the origin the request
    /// came to. The answer has no CORS headers and `Cache-Control: no-store`, so only pages
    /// of this origin can read the token; and like every control endpoint it is refused
    /// (403) unless the `Host` names the loopback interface, so neither a DNS-rebinding page
    /// nor a machine reaching a `--host 0.0.0.0` emulator by its address gets the token.
    fn console(&self, req: &Request<Incoming>) -> Response<Body> {
        let shape = Shape {
            envelope: false,
            pretty: true,
        };
        // The control endpoints only answer a loopback `Host`, so this names this machine.
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let base_url = format!("http://{host}");
        let body = if self.upstream.is_some() {
            json!({"mode": "upstream", "baseUrl": base_url})
        } else {
            let group = self
                .console_group
                .clone()
                .or_else(|| self.store.project_ids().into_iter().next());
            let user = group.as_deref().and_then(|g| {
                self.store
                    .read(g, |p| Ok(p.users.first().map(|u| u.id.clone())))
                    .ok()
                    .flatten()
            });
            let mut doc =
                json!({"mode": "emulator", "baseUrl": base_url, "groupId": group, "userId": user});
            if let Some(token) = &self.console_token {
                doc["accessToken"] = json!(token);
            }
            doc
        };
        let mut resp = reply::json(StatusCode::OK, reply::JSON, &body, shape);
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp.extensions_mut().insert(SameOriginOnly);
        resp
    }
}

/// `?envelope=` and `?pretty=`: `true` or `false` in any case; anything else (an empty
/// value, a bare name) is a 400, wrapped in an envelope when `envelope=true` was given.
fn shape(parts: &Parts) -> (Shape, Option<Fail>) {
    let mut shape = Shape::default();
    let mut bad = None;
    for (key, value) in parse_pairs(parts.uri.query().unwrap_or("")) {
        let slot = match key.as_str() {
            "envelope" => &mut shape.envelope,
            "pretty" => &mut shape.pretty,
            _ => continue,
        };
        match value.to_ascii_lowercase().as_str() {
            "true" => *slot = true,
            "false" => *slot = false,
            _ => {
                bad.get_or_insert_with(|| {
                    Fail::bad_request(
                        "INVALID_QUERY_PARAMETER",
                        format!("The query parameter {key} must be true or false."),
                    )
                });
            }
        }
    }
    (shape, bad)
}

fn fault_response(status: u16, retry_after: Option<u64>) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        429 => "RATE_LIMITED",
        500 => "UNEXPECTED_ERROR",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        504 => "GATEWAY_TIMEOUT",
        _ => "INJECTED_FAULT",
    };
    let mut fail = Fail::new(
        status,
        code,
        "Injected fault (atlas-emulator fault programming).",
    )
    .raw_status();
    if let Some(s) = retry_after.or(if status.as_u16() == 429 {
        Some(1)
    } else {
        None
    }) {
        fail = fail.with_header(RETRY_AFTER, s.to_string());
    }
    fail.into_response(Shape::default())
}

fn short(path: &str) -> String {
    path.chars()
        .take(100)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
