//! Building responses: JSON bodies, Atlas error documents, `envelope` and `pretty`.

use atlas_ldap::model::{ApiError, BadRequestDetail, FieldViolation};
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::Serialize;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Body = BoxBody<Bytes, BoxError>;

pub const JSON: &str = "application/json";

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

pub fn empty() -> Body {
    full(Bytes::new())
}

/// How the caller asked for the body to be shaped (`?envelope=true`, `?pretty=true`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    pub envelope: bool,
    pub pretty: bool,
}

/// A failed request: becomes an Atlas `ApiError` document.
#[derive(Debug)]
pub struct Fail {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub fields: Vec<FieldViolation>,
    pub headers: Vec<(HeaderName, String)>,
    /// Whether `envelope=true` may wrap it (not for auth challenges, rate limits and
    /// injected faults, which must keep their real status).
    pub envelopable: bool,
}

impl Fail {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Fail {
            status,
            code,
            detail: detail.into(),
            fields: Vec::new(),
            headers: Vec::new(),
            envelopable: true,
        }
    }
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }
    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }
    pub fn with_fields(mut self, fields: Vec<FieldViolation>) -> Self {
        self.fields = fields;
        self
    }
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    pub fn raw_status(mut self) -> Self {
        self.envelopable = false;
        self
    }

    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            error: self.status.as_u16(),
            error_code: self.code.to_owned(),
            detail: Some(self.detail.clone()),
            reason: self.status.canonical_reason().map(str::to_owned),
            parameters: Some(Vec::new()),
            bad_request_detail: if self.fields.is_empty() {
                None
            } else {
                Some(BadRequestDetail {
                    fields: Some(self.fields.clone()),
                })
            },
        }
    }

    pub fn into_response(self, shape: Shape) -> Response<Body> {
        let shape = if self.envelopable {
            shape
        } else {
            Shape {
                envelope: false,
                ..shape
            }
        };
        let mut resp = json(self.status, JSON, &self.to_api_error(), shape);
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().append(name, v);
            }
        }
        resp
    }
}

/// A JSON response, wrapped in `{"status": …, "content": …}` with HTTP 200 when the caller
/// asked for an envelope, indented when it asked for `pretty`.
pub fn json<T: Serialize>(
    status: StatusCode,
    content_type: &str,
    value: &T,
    shape: Shape,
) -> Response<Body> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        status: u16,
        content: &'a T,
    }
    let encode = |v: &dyn erased::Ser| {
        if shape.pretty {
            v.pretty()
        } else {
            v.compact()
        }
    };
    let (http_status, bytes) = if shape.envelope {
        (
            StatusCode::OK,
            encode(&Envelope {
                status: status.as_u16(),
                content: value,
            }),
        )
    } else {
        (status, encode(value))
    };
    let mut resp = Response::new(full(bytes));
    *resp.status_mut() = http_status;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static(JSON)),
    );
    resp
}

/// A tiny object-safe view of `Serialize` so `json` can encode either shape.
mod erased {
    pub trait Ser {
        fn compact(&self) -> Vec<u8>;
        fn pretty(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn compact(&self) -> Vec<u8> {
            serde_json::to_vec(self).unwrap_or_default()
        }
        fn pretty(&self) -> Vec<u8> {
            serde_json::to_vec_pretty(self).unwrap_or_default()
        }
    }
}
