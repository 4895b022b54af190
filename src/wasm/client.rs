//! `AtlasClient`: every operation of the Atlas Administration API this package covers. The
//! engine (`crate::client::Engine`) decides everything; this file reads the JavaScript
//! arguments into Rust values and hands the call to the driver.

use std::rc::Rc;

use js_sys::{Function, Promise};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::driver::{signal_option, Driver};
use super::errors::to_js;
use super::js::{self, prop};
use crate::client::{
    wrong_option_type, CallOptions, ClientError, ClientOptions, Engine, Operation, RequestOptions, TokenSource,
    WaitCallOptions,
};
use crate::model::Secret;
use crate::validate::{self, Locale};

/// A client of the Atlas Administration API for LDAP and X.509 settings and project roles.
///
/// Every id and body is validated before anything is sent; every rejection is an `Error`
/// whose `name` tells what happened (`isAtlasApiError(e)` …).
#[wasm_bindgen]
pub struct AtlasClient {
    driver: Rc<Driver>,
    locale: Locale,
}

/// Reads options with serde-wasm-bindgen; an option of the wrong type is an
/// `AtlasValidationError` naming it (code `type`), never its value.
fn read_options<T: DeserializeOwned + Default>(value: &JsValue, locale: Locale) -> Result<T, ClientError> {
    if js::is_nullish(value) {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(wrong_option_type("options", locale));
    }
    serde_wasm_bindgen::from_value(value.clone()).map_err(|_| wrong_option_type(&culprit::<T>(value), locale))
}

/// The option that makes `options` unreadable: each own key is read alone, with the same
/// deserializer, until one fails (serde-wasm-bindgen's errors do not say where they are).
#[inline(never)]
fn culprit<T: DeserializeOwned>(options: &JsValue) -> String {
    let keys = js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>());
    for key in keys.iter() {
        let alone = js_sys::Object::new();
        let value = js_sys::Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
        let _ = js_sys::Reflect::set(&alone, &key, &value);
        if serde_wasm_bindgen::from_value::<T>(alone.into()).is_err() {
            return key.as_string().unwrap_or_default();
        }
    }
    "options".into()
}

fn locale_of(options: &JsValue) -> Locale {
    prop(options, "locale").as_string().map_or(Locale::En, |l| Locale::parse(&l))
}

#[wasm_bindgen]
impl AtlasClient {
    /// Creates a client. Throws an `AtlasValidationError` for a bad `baseUrl`, option or
    /// credentials.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "AtlasClientOptions")] options: JsValue,
    ) -> Result<AtlasClient, JsValue> {
        let locale = locale_of(&options);
        let fail = |e: ClientError| to_js(&e, None);
        let parsed: ClientOptions = read_options(&options, locale).map_err(fail)?;
        let token = prop(&options, "accessToken");
        let (source, function) = if js::is_nullish(&token) {
            (None, None)
        } else if let Some(t) = token.as_string() {
            (Some(TokenSource::Static(Secret::new(t))), None)
        } else if token.is_function() {
            (Some(TokenSource::Function), Some(token.unchecked_into::<Function>()))
        } else {
            (Some(TokenSource::Invalid), None)
        };
        let (config, credentials) = parsed.into_client(source).map_err(fail)?;
        let locale = config.locale;
        let engine = Engine::new(config, credentials, js::seed());
        Ok(AtlasClient { driver: Driver::new(engine, function), locale })
    }

    /// Reads the project's LDAP and X.509 settings (`GET userSecurity`). Never holds `bindPassword`.
    #[wasm_bindgen(js_name = getUserSecurity, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn get_user_security(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(Kind::GetUserSecurity, &opts, &[&group_id], None)
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
        self.operation(Kind::UpdateUserSecurity, &opts, &[&group_id], Some(&body))
    }

    /// Disables customer-managed X.509 (`DELETE userSecurity/customerX509`).
    #[wasm_bindgen(js_name = disableCustomerX509, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn disable_customer_x509(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(Kind::DisableCustomerX509, &opts, &[&group_id], None)
    }

    /// Removes the user-to-DN mapping (`DELETE userSecurity/ldap/userToDNMapping`).
    #[wasm_bindgen(js_name = deleteLdapUserToDnMapping, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn delete_ldap_user_to_dn_mapping(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(Kind::DeleteLdapUserToDnMapping, &opts, &[&group_id], None)
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
        self.operation(Kind::VerifyLdap, &opts, &[&group_id], Some(&params))
    }

    /// Reads a verification job (`GET userSecurity/ldap/verify/{requestId}`).
    #[wasm_bindgen(js_name = getLdapVerifyStatus, unchecked_return_type = "Promise<LdapVerifyJob>")]
    pub fn get_ldap_verify_status(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(js_name = requestId, unchecked_param_type = "string")] request_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(Kind::GetLdapVerifyStatus, &opts, &[&group_id, &request_id], None)
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
        let prepared = (|| {
            let ids = self.ids(&["groupId", "requestId"], &[&group_id, &request_id])?;
            let wait = read_options::<WaitCallOptions>(&opts, self.locale)?.into_wait(self.locale)?;
            let signal = signal_option(&opts).map_err(|_| wrong_option_type("signal", self.locale))?;
            let on_progress = prop(&opts, "onProgress");
            let on_progress = match on_progress.is_function() {
                true => Some(on_progress.unchecked_into::<Function>()),
                false if js::is_nullish(&on_progress) => None,
                false => return Err(wrong_option_type("onProgress", self.locale)),
            };
            Ok((ids, wait, signal, on_progress))
        })();
        match prepared {
            Ok((ids, wait, signal, on_progress)) => self.driver.call(signal, on_progress, &mut |engine, now| {
                engine.start_wait(now, &ids[0], &ids[1], wait, &RequestOptions::default())
            }),
            Err(error) => Promise::reject(&to_js(&error, None)),
        }
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
        self.operation(Kind::UpdateUserRoles, &opts, &[&group_id, &user_id], Some(&body))
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
        self.operation(Kind::AddUserRole, &opts, &[&group_id, &user_id, &role], None)
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
        self.operation(Kind::RemoveUserRole, &opts, &[&group_id, &user_id, &role], None)
    }

    /// Revokes the cached service-account token (`POST /api/oauth/revoke`); the next call
    /// fetches a new one. Resolves at once for the other authentication modes.
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(&self) -> Promise {
        self.driver.call(None, None, &mut |engine, _| engine.start_revoke())
    }
}

/// Which operation a method starts: the methods share one reader of arguments and options.
#[derive(Clone, Copy)]
enum Kind {
    GetUserSecurity,
    UpdateUserSecurity,
    DisableCustomerX509,
    DeleteLdapUserToDnMapping,
    VerifyLdap,
    GetLdapVerifyStatus,
    UpdateUserRoles,
    AddUserRole,
    RemoveUserRole,
}

impl Kind {
    /// The names of the string arguments, for `type` issues.
    fn arguments(self) -> &'static [&'static str] {
        match self {
            Kind::GetLdapVerifyStatus => &["groupId", "requestId"],
            Kind::UpdateUserRoles => &["groupId", "userId"],
            Kind::AddUserRole | Kind::RemoveUserRole => &["groupId", "userId", "groupRole"],
            _ => &["groupId"],
        }
    }

    fn operation<'a>(self, ids: &'a [String], body: &'a Value) -> Operation<'a> {
        let id = |i: usize| ids.get(i).map_or("", String::as_str);
        match self {
            Kind::GetUserSecurity => Operation::GetUserSecurity { group_id: id(0) },
            Kind::UpdateUserSecurity => Operation::UpdateUserSecurity { group_id: id(0), body },
            Kind::DisableCustomerX509 => Operation::DisableCustomerX509 { group_id: id(0) },
            Kind::DeleteLdapUserToDnMapping => Operation::DeleteLdapUserToDnMapping { group_id: id(0) },
            Kind::VerifyLdap => Operation::VerifyLdap { group_id: id(0), params: body },
            Kind::GetLdapVerifyStatus => Operation::GetLdapVerifyStatus { group_id: id(0), request_id: id(1) },
            Kind::UpdateUserRoles => Operation::UpdateUserRoles { group_id: id(0), user_id: id(1), body },
            Kind::AddUserRole => Operation::AddUserRole { group_id: id(0), user_id: id(1), role: id(2) },
            Kind::RemoveUserRole => Operation::RemoveUserRole { group_id: id(0), user_id: id(1), role: id(2) },
        }
    }
}

impl AtlasClient {
    /// Reads the arguments and options of an operation, then starts it.
    #[inline(never)]
    fn operation(&self, kind: Kind, opts: &JsValue, args: &[&JsValue], body: Option<&JsValue>) -> Promise {
        let prepared = (|| {
            let ids = self.ids(kind.arguments(), args)?;
            let body = body.map(|b| self.body(b)).transpose()?.unwrap_or(Value::Null);
            let options = read_options::<CallOptions>(opts, self.locale)?.into_request(self.locale)?;
            let signal = signal_option(opts).map_err(|_| wrong_option_type("signal", self.locale))?;
            Ok((ids, body, options, signal))
        })();
        match prepared {
            Ok((ids, body, options, signal)) => self.driver.call(signal, None, &mut |engine, now| {
                engine.start_operation(now, kind.operation(&ids, &body), &options)
            }),
            Err(error) => Promise::reject(&to_js(&error, None)),
        }
    }

    /// String arguments; one that is not a string is a `type` issue at its name.
    fn ids(&self, names: &[&'static str], values: &[&JsValue]) -> Result<Vec<String>, ClientError> {
        let mut out = Vec::with_capacity(values.len());
        let mut issues = Vec::new();
        for (path, value) in names.iter().zip(values) {
            match value.as_string() {
                Some(s) => out.push(s),
                None => {
                    issues.extend(validate::wrong_type(path, "string", self.locale).issues);
                    out.push(String::new());
                }
            }
        }
        if issues.is_empty() {
            Ok(out)
        } else {
            Err(ClientError::Validation { issues })
        }
    }

    /// A body through its JSON form, as `JSON.stringify` gives it (so `undefined` members
    /// are left out and `toJSON` is honoured); what JSON cannot hold is a `type` issue. A
    /// lone surrogate in a string reads as U+FFFD, as the validators read it.
    fn body(&self, value: &JsValue) -> Result<Value, ClientError> {
        let text = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string());
        let parse = |t: &str| serde_json::from_str(t).ok();
        text.and_then(|t| parse(&t).or_else(|| validate::replace_lone_surrogates(&t).and_then(|t| parse(&t))))
            .ok_or_else(|| ClientError::Validation { issues: validate::wrong_type("", "object", self.locale).issues })
    }
}
