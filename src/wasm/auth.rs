//! The three ways to authenticate: an access token (or a function that gives one), a
//! service account (OAuth client credentials: the token is cached, shared by concurrent
//! calls and renewed), and an API key pair (HTTP Digest).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::{failure_to_js, to_js};
use super::js::{self, AbortSignal};
use super::timer::{abortable, Interrupted};
use super::transport::send;
use crate::client::{
    parse_token_response, revoke_request, token_request, AccessToken, BaseUrl, ClientError, DigestChallenge,
    DigestCredentials, HttpRequest,
};
use crate::model::Secret;

/// How requests are authenticated.
pub enum Auth {
    /// No credentials (a same-origin proxy adds them).
    None,
    /// A fixed bearer token.
    Token(Secret),
    /// A function returning a bearer token or a promise of one, called for every request.
    TokenProvider(Function),
    ServiceAccount(ServiceAccount),
    Digest(Digest),
}

pub struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    state: Rc<RefCell<TokenState>>,
}

#[derive(Default)]
struct TokenState {
    /// The token and its lifetime in milliseconds.
    cached: Option<(AccessToken, u64)>,
    /// The token request under way, shared by every call that needs a token meanwhile.
    pending: Option<Promise>,
}

pub struct Digest {
    credentials: DigestCredentials,
    /// The last challenge, and how many requests have used its nonce.
    challenge: RefCell<Option<(DigestChallenge, u32)>>,
}

impl ServiceAccount {
    pub fn new(client_id: String, client_secret: Secret) -> ServiceAccount {
        ServiceAccount { client_id, client_secret, state: Rc::default() }
    }

    /// A valid token: the cached one while fresh, else the one a shared request brings.
    async fn token(&self, base: &BaseUrl, timeout_ms: u32, signal: Option<&AbortSignal>) -> Result<String, JsValue> {
        if let Some(token) = self.fresh_token() {
            return Ok(token);
        }
        let pending = self.state.borrow().pending.clone();
        let promise = pending.unwrap_or_else(|| {
            let request = token_request(base, &self.client_id, &self.client_secret);
            let state = self.state.clone();
            let p = future_to_promise(async move {
                let outcome = fetch_token(&request, timeout_ms).await;
                let mut state = state.borrow_mut();
                state.pending = None;
                state.cached = Some(outcome?);
                Ok(JsValue::UNDEFINED)
            });
            self.state.borrow_mut().pending = Some(p.clone());
            p
        });
        // The caller's signal ends this call's wait, not the request other calls share.
        match abortable(promise, signal).await {
            Ok(_) => self.fresh_token().ok_or_else(|| {
                to_js(&ClientError::Decode { status: 200, body_snippet: String::new(), message: "the new token is already expired".into() }, None)
            }),
            Err(Interrupted::Aborted(reason)) => Err(to_js(&ClientError::Aborted, Some(reason))),
            Err(Interrupted::Rejected(error)) => Err(error),
        }
    }

    fn fresh_token(&self) -> Option<String> {
        let state = self.state.borrow();
        let (token, lifetime) = state.cached.as_ref()?;
        token.is_fresh(js::now_ms() as u64, *lifetime).then(|| token.value.expose().to_owned())
    }
}

async fn fetch_token(request: &HttpRequest, timeout_ms: u32) -> Result<(AccessToken, u64), JsValue> {
    let raw = send(request, None, timeout_ms, None).await.map_err(|f| failure_to_js(f, timeout_ms))?;
    parse_token_response(raw.status, &raw.body, js::now_ms() as u64).map_err(|e| to_js(&e, None))
}

impl Digest {
    pub fn new(credentials: DigestCredentials) -> Digest {
        Digest { credentials, challenge: RefCell::default() }
    }
}

impl Auth {
    /// The `Authorization` value for `request`, if the mode has one ready.
    pub async fn header(
        &self,
        base: &BaseUrl,
        request: &HttpRequest,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
    ) -> Result<Option<String>, JsValue> {
        match self {
            Auth::None => Ok(None),
            Auth::Token(token) => Ok(Some(format!("Bearer {}", token.expose()))),
            Auth::TokenProvider(provide) => {
                let value = provide.call0(&JsValue::UNDEFINED).map_err(provider_error)?;
                let value = abortable(Promise::resolve(&value), signal).await.map_err(|e| match e {
                    Interrupted::Aborted(reason) => to_js(&ClientError::Aborted, Some(reason)),
                    Interrupted::Rejected(error) => provider_error(error),
                })?;
                match value.as_string() {
                    Some(token) if !token.is_empty() => Ok(Some(format!("Bearer {token}"))),
                    _ => Err(provider_error(JsValue::UNDEFINED)),
                }
            }
            Auth::ServiceAccount(account) => {
                Ok(Some(format!("Bearer {}", account.token(base, timeout_ms, signal).await?)))
            }
            Auth::Digest(digest) => Ok(digest.challenge.borrow_mut().as_mut().map(|(challenge, nc)| {
                *nc += 1;
                challenge.authorization(&digest.credentials, request.method, &request.path_and_query, *nc, &cnonce())
            })),
        }
    }

    /// After a 401: whether new credentials could make a retry succeed (a new token, or a
    /// digest challenge to answer). The caller asks at most once per call.
    pub fn renew_after_unauthorized(&self, www_authenticate: Option<&str>) -> bool {
        match self {
            Auth::ServiceAccount(account) => {
                account.state.borrow_mut().cached = None;
                true
            }
            Auth::Digest(digest) => match www_authenticate.and_then(DigestChallenge::parse) {
                Some(challenge) => {
                    *digest.challenge.borrow_mut() = Some((challenge, 0));
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Revokes the cached service-account token, if there is one; other modes have
    /// nothing to revoke.
    pub async fn revoke(&self, base: &BaseUrl, timeout_ms: u32) -> Result<(), JsValue> {
        let Auth::ServiceAccount(account) = self else { return Ok(()) };
        let Some((token, _)) = account.state.borrow_mut().cached.take() else { return Ok(()) };
        let request = revoke_request(base, &account.client_id, &account.client_secret, &token.value);
        let raw = send(&request, None, timeout_ms, None).await.map_err(|f| failure_to_js(f, timeout_ms))?;
        match parse_token_response(raw.status, &raw.body, 0) {
            Err(error @ ClientError::Api { .. }) => Err(to_js(&error, None)),
            _ => Ok(()),
        }
    }
}

fn cnonce() -> String {
    let part = || ((js::random() * 4_294_967_296.0) as u32).to_be_bytes();
    crate::client::hex(&[part(), part()].concat())
}

fn provider_error(cause: JsValue) -> JsValue {
    let error = ClientError::Network { message: "the accessToken function did not give a token".into() };
    to_js(&error, (!cause.is_undefined()).then_some(cause))
}
