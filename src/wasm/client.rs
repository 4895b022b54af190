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

/// Reads options with serde-wasm-bindgen; a field of the wrong type is an
/// `AtlasValidationError` naming it (code `type`), never its value.
fn read_options<T: DeserializeOwned + Default>(value: &JsValue, locale: Locale) -> Result<T, ClientError> {
    if js::is_nullish(value) {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(wrong_option_type("options", locale));
    }
    let deserializer = serde_wasm_bindgen::Deserializer::from(value.clone());
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        wrong_option_type(if path == "." { "options" } else { &path }, locale)
    })
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
        self.operation(&opts, &[("groupId", &group_id)], None, |ids, _| Operation::GetUserSecurity { group_id: &ids[0] })
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
        self.operation(&opts, &[("groupId", &group_id)], Some(&body), |ids, body| Operation::UpdateUserSecurity {
            group_id: &ids[0],
            body,
        })
    }

    /// Disables customer-managed X.509 (`DELETE userSecurity/customerX509`).
    #[wasm_bindgen(js_name = disableCustomerX509, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn disable_customer_x509(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(&opts, &[("groupId", &group_id)], None, |ids, _| Operation::DisableCustomerX509 { group_id: &ids[0] })
    }

    /// Removes the user-to-DN mapping (`DELETE userSecurity/ldap/userToDNMapping`).
    #[wasm_bindgen(js_name = deleteLdapUserToDnMapping, unchecked_return_type = "Promise<UserSecurity>")]
    pub fn delete_ldap_user_to_dn_mapping(
        &self,
        #[wasm_bindgen(js_name = groupId, unchecked_param_type = "string")] group_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] opts: JsValue,
    ) -> Promise {
        self.operation(&opts, &[("groupId", &group_id)], None, |ids, _| Operation::DeleteLdapUserToDnMapping {
            group_id: &ids[0],
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
        self.operation(&opts, &[("groupId", &group_id)], Some(&params), |ids, params| Operation::VerifyLdap {
            group_id: &ids[0],
            params,
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
        self.operation(&opts, &[("groupId", &group_id), ("requestId", &request_id)], None, |ids, _| {
            Operation::GetLdapVerifyStatus { group_id: &ids[0], request_id: &ids[1] }
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
        let prepared = (|| {
            let ids = self.ids(&[("groupId", &group_id), ("requestId", &request_id)])?;
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
            Ok((ids, wait, signal, on_progress)) => self.driver.call(signal, on_progress, |engine, now| {
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
        self.operation(&opts, &[("groupId", &group_id), ("userId", &user_id)], Some(&body), |ids, body| {
            Operation::UpdateUserRoles { group_id: &ids[0], user_id: &ids[1], body }
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
        let ids = [("groupId", &group_id), ("userId", &user_id), ("groupRole", &role)];
        self.operation(&opts, &ids, None, |ids, _| Operation::AddUserRole {
            group_id: &ids[0],
            user_id: &ids[1],
            role: &ids[2],
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
        let ids = [("groupId", &group_id), ("userId", &user_id), ("groupRole", &role)];
        self.operation(&opts, &ids, None, |ids, _| Operation::RemoveUserRole {
            group_id: &ids[0],
            user_id: &ids[1],
            role: &ids[2],
        })
    }

    /// Revokes the cached service-account token (`POST /api/oauth/revoke`); the next call
    /// fetches a new one. Resolves at once for the other authentication modes.
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(&self) -> Promise {
        self.driver.call(None, None, |engine, now| engine.start_revoke(now))
    }
}

impl AtlasClient {
    /// Reads the arguments and options of an operation, then starts it.
    fn operation(
        &self,
        opts: &JsValue,
        ids: &[(&'static str, &JsValue)],
        body: Option<&JsValue>,
        operation: impl for<'a> FnOnce(&'a [String], &'a Value) -> Operation<'a>,
    ) -> Promise {
        let prepared = (|| {
            let ids = self.ids(ids)?;
            let body = body.map(|b| self.body(b)).transpose()?.unwrap_or(Value::Null);
            let options = read_options::<CallOptions>(opts, self.locale)?.into_request(self.locale)?;
            let signal = signal_option(opts).map_err(|_| wrong_option_type("signal", self.locale))?;
            Ok((ids, body, options, signal))
        })();
        match prepared {
            Ok((ids, body, options, signal)) => self.driver.call(signal, None, |engine, now| {
                engine.start_operation(now, operation(&ids, &body), &options)
            }),
            Err(error) => Promise::reject(&to_js(&error, None)),
        }
    }

    /// String arguments; one that is not a string is a `type` issue at its name.
    fn ids(&self, ids: &[(&'static str, &JsValue)]) -> Result<Vec<String>, ClientError> {
        let mut out = Vec::with_capacity(ids.len());
        let mut issues = Vec::new();
        for (path, value) in ids {
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
    /// are left out and `toJSON` is honoured); what JSON cannot hold is a `type` issue.
    fn body(&self, value: &JsValue) -> Result<Value, ClientError> {
        let text = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string());
        text.and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| ClientError::Validation { issues: validate::wrong_type("", "object", self.locale).issues })
    }
}
