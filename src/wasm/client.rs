//! `AtlasClient`: every operation over `fetch`, with authentication, retries, timeouts and
//! typed errors. The decisions are the core's (`crate::client`); this file sequences them.

use std::rc::Rc;

use js_sys::{Function, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::auth::{Auth, Digest, ServiceAccount};
use super::convert::json_value;
use super::errors::{failure_to_js, json, to_js};
use super::js::{self, prop, AbortSignal};
use super::timer::sleep;
use super::transport::{send, Failure};
use crate::client::{
    decode_response, retry_decision, AttemptOutcome, BaseUrl, ClientConfig, ClientError, DigestCredentials,
    Operation, PollDecision, RequestOptions, ResponseParts, RetryDecision, VerifyWait,
};
use crate::model::{JobStatus, Secret};
use crate::validate::{self, FieldIssue, Locale, Severity};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** How an `AtlasClient` reaches Atlas. Give at most one of `accessToken`, `serviceAccount`, `digest`. */
export interface AtlasClientOptions {
  /** Default "https://cloud.mongodb.com". Plain http:// is refused except for loopback hosts. */
  baseUrl?: string;
  /** A bearer token, or a function giving one (called before every request). */
  accessToken?: string | (() => string | Promise<string>);
  /** OAuth client credentials of a service account: the token is fetched, cached, shared and renewed. */
  serviceAccount?: { clientId: string; clientSecret: string };
  /** An API key pair, for HTTP Digest. */
  digest?: { publicKey: string; privateKey: string };
  /** Send userSecurity GET and PATCH to /api/atlas/v1.0 with application/json (the older docs). */
  legacyV1?: boolean;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Allow http:// to a host that is not loopback. */
  allowInsecureHttp?: boolean;
  /** Language of validation messages in AtlasValidationError: "en" (default) or "zh". */
  locale?: "en" | "zh";
}
/** Per-call options. */
export interface RequestOptions {
  /** Ask Atlas to wrap the answer in an envelope; the client unwraps it, so the result is the same. */
  envelope?: boolean;
  /** Ask Atlas for indented JSON. */
  pretty?: boolean;
  /** Abort the call: it rejects with an AbortError whose cause is the signal's reason. */
  signal?: AbortSignal;
  /** Use another API version, "YYYY-MM-DD" (default: the operation's version in the spec). */
  versionDate?: string;
}
/** Options of `waitForLdapVerify`. */
export interface WaitOptions {
  /** Between two status requests. Default 2000. */
  intervalMs?: number;
  /** For the whole wait; then it rejects with an AtlasTimeoutError. Default 300000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with every job read, pending or final. */
  onProgress?: (job: LdapVerifyJob) => void;
}
"#;

struct Inner {
    config: ClientConfig,
    auth: Auth,
    locale: Locale,
}

/// A client of the Atlas Administration API for LDAP and X.509 settings and project roles.
///
/// Every id and body is validated before anything is sent; every rejection is an `Error`
/// whose `name` tells what happened (`isAtlasApiError(e)` …).
#[wasm_bindgen]
pub struct AtlasClient {
    inner: Rc<Inner>,
}

/// The parsed per-call options.
struct CallOptions {
    request: RequestOptions,
    signal: Option<AbortSignal>,
}

#[wasm_bindgen]
impl AtlasClient {
    /// Creates a client. Throws an `AtlasValidationError` for a bad `baseUrl` or credentials.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_optional_param_type = "AtlasClientOptions")] options: JsValue) -> Result<AtlasClient, JsValue> {
        let locale = prop(&options, "locale").as_string().map_or(Locale::En, |l| Locale::parse(&l));
        let base = prop(&options, "baseUrl").as_string().unwrap_or_else(|| "https://cloud.mongodb.com".into());
        let insecure = prop(&options, "allowInsecureHttp").is_truthy();
        let base_url = BaseUrl::parse(&base, insecure).map_err(|e| to_js(&e, None))?;
        let mut config = ClientConfig::new(base_url);
        config.legacy_v1 = prop(&options, "legacyV1").is_truthy();
        if let Some(ms) = prop(&options, "timeoutMs").as_f64() {
            config.timeout_ms = positive(ms, "timeoutMs", locale)?;
        }
        if let Some(n) = prop(&options, "maxRetries").as_f64() {
            config.max_retries = if n >= 0.0 && n <= 100.0 && n.fract() == 0.0 { n as u32 } else { return Err(option_error("maxRetries", locale)) };
        }
        let auth = auth_from(&options, locale)?;
        Ok(AtlasClient { inner: Rc::new(Inner { config, auth, locale }) })
    }

    /// Reads the project's LDAP and X.509 settings (`GET userSecurity`). Never holds `bindPassword`.
    #[wasm_bindgen(js_name = getUserSecurity, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn get_user_security(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let g = string(&group_id);
            inner.call(Operation::GetUserSecurity { group_id: &g }, &o).await
        })
    }

    /// Changes the settings (`PATCH userSecurity`): absent fields keep their values, an explicit
    /// `false` turns a flag off, `caCertificate: ""` deletes it. Atlas restarts the project's
    /// nodes one by one (a rolling restart).
    #[wasm_bindgen(js_name = updateUserSecurity, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn update_user_security(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "UserSecurity")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, body) = (string(&group_id), inner.body(&body)?);
            inner.call(Operation::UpdateUserSecurity { group_id: &g, body: &body }, &o).await
        })
    }

    /// Disables customer-managed X.509 (`DELETE userSecurity/customerX509`).
    #[wasm_bindgen(js_name = disableCustomerX509, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn disable_customer_x509(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let g = string(&group_id);
            inner.call(Operation::DisableCustomerX509 { group_id: &g }, &o).await
        })
    }

    /// Removes the user-to-DN mapping (`DELETE userSecurity/ldap/userToDNMapping`).
    #[wasm_bindgen(js_name = deleteLdapUserToDnMapping, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn delete_ldap_user_to_dn_mapping(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let g = string(&group_id);
            inner.call(Operation::DeleteLdapUserToDnMapping { group_id: &g }, &o).await
        })
    }

    /// Starts verifying LDAP settings (`POST userSecurity/ldap/verify`): resolves with a
    /// `PENDING` job; follow it with `waitForLdapVerify`. Never retried on 5xx.
    #[wasm_bindgen(js_name = verifyLdap, unchecked_return_type = "Promise<LdapVerifyJob>")]
    pub fn verify_ldap(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LdapVerifyParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, params) = (string(&group_id), inner.body(&params)?);
            inner.call(Operation::VerifyLdap { group_id: &g, params: &params }, &o).await
        })
    }

    /// Reads a verification job (`GET userSecurity/ldap/verify/{requestId}`).
    #[wasm_bindgen(js_name = getLdapVerifyStatus, unchecked_return_type = "Promise<LdapVerifyJob>")]
    pub fn get_ldap_verify_status(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = requestId, unchecked_param_type = "string")] request_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, r) = (string(&group_id), string(&request_id));
            inner.call(Operation::GetLdapVerifyStatus { group_id: &g, request_id: &r }, &o).await
        })
    }

    /// Follows a verification job until it is final (any status but `PENDING`), reporting
    /// each read to `onProgress`. Rejects with an `AtlasTimeoutError` after `timeoutMs`.
    #[wasm_bindgen(js_name = waitForLdapVerify, unchecked_return_type = "Promise<LdapVerifyJob>")]
    pub fn wait_for_ldap_verify(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = requestId, unchecked_param_type = "string")] request_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitOptions")] opts: JsValue,
    ) -> Promise {
        let on_progress = prop(&opts, "onProgress").dyn_into::<Function>().ok();
        let interval = prop(&opts, "intervalMs").as_f64().map(clamp_ms);
        let timeout = prop(&opts, "timeoutMs").as_f64().map(clamp_ms);
        self.run(opts, move |inner, o| async move {
            let (g, r) = (string(&group_id), string(&request_id));
            let wait = VerifyWait::new(js::now_ms(), interval, timeout);
            loop {
                let job = inner.call(Operation::GetLdapVerifyStatus { group_id: &g, request_id: &r }, &o).await?;
                let status = job.value.get("status").and_then(Value::as_str).map(JobStatus::from);
                if let Some(f) = &on_progress {
                    // A throwing callback is the caller's bug; it must not break the wait.
                    let _ = f.call1(&JsValue::UNDEFINED, &job.to_js());
                }
                match wait.next(status.as_ref(), js::now_ms()) {
                    PollDecision::Done => return Ok(job),
                    PollDecision::TimedOut => {
                        return Err(to_js(&ClientError::Timeout { timeout_ms: timeout.unwrap_or(300_000) }, None))
                    }
                    PollDecision::PollIn(ms) => {
                        sleep(ms, o.signal.as_ref()).await.map_err(|reason| to_js(&ClientError::Aborted, Some(reason)))?
                    }
                }
            }
        })
    }

    /// Replaces a project user's roles (`PUT users/{userId}/roles`). Deprecated by Atlas
    /// (sunset 2027-07-01): prefer `addUserRole` and `removeUserRole`.
    #[wasm_bindgen(js_name = updateUserRoles, unchecked_return_type = "Promise<GroupRoles>")]
    pub fn update_user_roles(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ groupRoles: string[] }")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, u, body) = (string(&group_id), string(&user_id), inner.body(&body)?);
            inner.call(Operation::UpdateUserRoles { group_id: &g, user_id: &u, body: &body }, &o).await
        })
    }

    /// Gives a project user one more role (`POST users/{userId}:addRole`).
    #[wasm_bindgen(js_name = addUserRole, unchecked_return_type = "Promise<GroupUser>")]
    pub fn add_user_role(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] role: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, u, role) = (string(&group_id), string(&user_id), string(&role));
            inner.call(Operation::AddUserRole { group_id: &g, user_id: &u, role: &role }, &o).await
        })
    }

    /// Takes one role from a project user (`POST users/{userId}:removeRole`).
    #[wasm_bindgen(js_name = removeUserRole, unchecked_return_type = "Promise<GroupUser>")]
    pub fn remove_user_role(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] role: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.run(opts, move |inner, o| async move {
            let (g, u, role) = (string(&group_id), string(&user_id), string(&role));
            inner.call(Operation::RemoveUserRole { group_id: &g, user_id: &u, role: &role }, &o).await
        })
    }

    /// Revokes the cached service-account token (`POST /api/oauth/revoke`); the next call
    /// fetches a new one. Resolves at once for the other authentication modes.
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            inner.auth.revoke(&inner.config.base_url, inner.config.timeout_ms).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl AtlasClient {
    fn run<F, Fut>(&self, opts: JsValue, body: F) -> Promise
    where
        F: FnOnce(Rc<Inner>, CallOptions) -> Fut,
        Fut: std::future::Future<Output = Result<Decoded, JsValue>> + 'static,
    {
        let inner = self.inner.clone();
        let options = CallOptions {
            request: RequestOptions {
                envelope: prop(&opts, "envelope").is_truthy(),
                pretty: prop(&opts, "pretty").is_truthy(),
                version_date: prop(&opts, "versionDate").as_string(),
            },
            signal: Some(prop(&opts, "signal")).filter(|s| s.is_object()).map(|s| s.unchecked_into()),
        };
        let call = body(inner, options);
        future_to_promise(async move { call.await.map(|answer| answer.to_js()) })
    }
}

/// A decoded answer: the checked document, and the body as received when it is that
/// document (no envelope).
struct Decoded {
    value: Value,
    text: Option<JsValue>,
}

impl Decoded {
    fn to_js(&self) -> JsValue {
        match &self.text {
            Some(text) => js::parse_json(text).unwrap_or_else(|_| json(&self.value)),
            None => json(&self.value),
        }
    }
}

impl Inner {
    /// A JavaScript body as JSON, or a validation error at the root.
    fn body(&self, value: &JsValue) -> Result<Value, JsValue> {
        json_value(value).ok_or_else(|| {
            let v = validate::wrong_type("", "object", self.locale);
            to_js(&ClientError::Validation { issues: v.issues }, None)
        })
    }

    /// One operation: validate, send with authentication, retry as the core decides, decode.
    async fn call(&self, op: Operation<'_>, o: &CallOptions) -> Result<Decoded, JsValue> {
        let request = op.request(&self.config, &o.request, self.locale).map_err(|e| to_js(&e, None))?;
        let signal = o.signal.as_ref();
        let timeout_ms = self.config.timeout_ms;
        let (mut retries, mut renewed) = (0, false);
        loop {
            let authorization = self.auth.header(&self.config.base_url, &request, timeout_ms, signal).await?;
            let outcome = send(&request, authorization.as_deref(), timeout_ms, signal).await;
            let attempt = match &outcome {
                Ok(raw) if raw.status == 401 && !renewed => {
                    renewed = true;
                    if self.auth.renew_after_unauthorized(raw.www_authenticate.as_deref()) {
                        continue;
                    }
                    AttemptOutcome::Status { status: 401, retry_after: None }
                }
                Ok(raw) => AttemptOutcome::Status { status: raw.status, retry_after: raw.retry_after.as_deref() },
                Err(Failure::Aborted(reason)) => return Err(to_js(&ClientError::Aborted, Some(reason.clone()))),
                Err(Failure::Timeout) => AttemptOutcome::Timeout,
                Err(Failure::Network(_)) => AttemptOutcome::Network,
            };
            match retry_decision(request.method, retries, self.config.max_retries, attempt, js::random()) {
                RetryDecision::Retry { delay_ms } => {
                    sleep(delay_ms, signal).await.map_err(|reason| to_js(&ClientError::Aborted, Some(reason)))?;
                    retries += 1;
                }
                RetryDecision::Stop => {
                    let raw = outcome.map_err(|f| failure_to_js(f, timeout_ms))?;
                    let parts = ResponseParts { status: raw.status, body: &raw.body };
                    let value = decode_response(op.answer(), o.request.envelope, parts).map_err(|e| to_js(&e, None))?;
                    // Without an envelope the body is the document itself: JavaScript parses it
                    // as received rather than a re-serialized copy of `value`.
                    let text = (!o.request.envelope).then_some(raw.body_js);
                    return Ok(Decoded { value, text });
                }
            }
        }
    }
}

fn auth_from(options: &JsValue, locale: Locale) -> Result<Auth, JsValue> {
    let token = prop(options, "accessToken");
    let account = prop(options, "serviceAccount");
    let digest = prop(options, "digest");
    let given = [&token, &account, &digest].iter().filter(|v| !v.is_undefined() && !v.is_null()).count();
    if given > 1 {
        return Err(option_error("accessToken", locale));
    }
    if let Some(t) = token.as_string() {
        return if t.is_empty() { Err(option_error("accessToken", locale)) } else { Ok(Auth::Token(Secret::new(t))) };
    }
    if let Ok(f) = token.clone().dyn_into::<Function>() {
        return Ok(Auth::TokenProvider(f));
    }
    if account.is_object() {
        let id = prop(&account, "clientId").as_string().filter(|s| !s.is_empty());
        let secret = prop(&account, "clientSecret").as_string().filter(|s| !s.is_empty());
        return match (id, secret) {
            (Some(id), Some(secret)) => Ok(Auth::ServiceAccount(ServiceAccount::new(id, Secret::new(secret)))),
            _ => Err(option_error("serviceAccount", locale)),
        };
    }
    if digest.is_object() {
        let public = prop(&digest, "publicKey").as_string().filter(|s| !s.is_empty());
        let private = prop(&digest, "privateKey").as_string().filter(|s| !s.is_empty());
        return match (public, private) {
            (Some(public_key), Some(private)) => {
                Ok(Auth::Digest(Digest::new(DigestCredentials { public_key, private_key: Secret::new(private) })))
            }
            _ => Err(option_error("digest", locale)),
        };
    }
    if given == 1 {
        return Err(option_error("accessToken", locale));
    }
    Ok(Auth::None)
}

fn option_error(path: &str, locale: Locale) -> JsValue {
    let message = match locale {
        Locale::En => format!("{path}: invalid client option."),
        Locale::Zh => format!("{path}：客户端选项无效。"),
    };
    let issue = FieldIssue { path: path.into(), code: "invalid_option".into(), severity: Severity::Error, message };
    to_js(&ClientError::Validation { issues: vec![issue] }, None)
}

fn positive(ms: f64, path: &str, locale: Locale) -> Result<u32, JsValue> {
    if ms.is_finite() && ms >= 1.0 && ms <= 3_600_000.0 { Ok(ms as u32) } else { Err(option_error(path, locale)) }
}

fn clamp_ms(ms: f64) -> u32 {
    if ms.is_finite() { ms.clamp(0.0, 86_400_000.0) as u32 } else { 0 }
}

/// A JavaScript argument as a string for the validators; a non-string becomes a value no
/// id matches, so it is reported as a `pattern` issue at its path rather than thrown.
fn string(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}
