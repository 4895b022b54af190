//! `AtlasClient`: every operation of the npm package's client as an async method. The
//! engine decides everything; this file turns arguments into the engine's inputs and its
//! replies into the models.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::driver::{Driver, TokenFn};
use super::options::{RequestOptions, WaitOptions};
use super::transport::http_client;
use super::AtlasError;
use crate::client::{ClientOptions, Engine, Operation, TokenSource};
use crate::model::{GroupRoles, GroupUser, LdapVerifyJob, LdapVerifyParams, Secret, UserSecurity};
use crate::validate::{self, Locale};

/// A client of the Atlas Administration API for LDAP and X.509 settings and project roles,
/// on reqwest and tokio. Cloning it is cheap: clones share the connections, the
/// service-account token and the Digest nonce.
///
/// Every id and body is validated before anything is sent. Results are the crate's
/// models, read leniently (a missing or unknown field never fails a call Atlas answered
/// with 2xx).
#[derive(Clone)]
pub struct AtlasClient {
    driver: Arc<Driver>,
    locale: Locale,
    origin: String,
}

impl AtlasClient {
    /// A client with the credentials of `options` (`service_account`, `digest`, or none;
    /// `access_token` there is the npm package's and is ignored: use
    /// [`AtlasClient::with_access_token`]). Fails with an `AtlasValidationError` for a bad
    /// `base_url`, option or credentials.
    pub fn new(options: ClientOptions) -> Result<AtlasClient, AtlasError> {
        AtlasClient::build(options, None, None)
    }

    /// A client sending a fixed bearer token.
    pub fn with_access_token(options: ClientOptions, token: impl Into<Secret>) -> Result<AtlasClient, AtlasError> {
        AtlasClient::build(options, Some(TokenSource::Static(token.into())), None)
    }

    /// A client asking `provider` for a bearer token before every request (and again once
    /// after a 401). `None` fails the call with an `AtlasNetworkError`.
    pub fn with_token_provider<F, Fut>(options: ClientOptions, provider: F) -> Result<AtlasClient, AtlasError>
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Option<String>> + Send + 'static,
    {
        let function: TokenFn = Arc::new(move || Box::pin(provider()));
        AtlasClient::build(options, Some(TokenSource::Function), Some(function))
    }

    fn build(options: ClientOptions, token: Option<TokenSource>, function: Option<TokenFn>) -> Result<AtlasClient, AtlasError> {
        let (config, credentials) = options.into_client(token)?;
        let (locale, origin) = (config.locale, config.base_url.origin().to_owned());
        let engine = Engine::new(config, credentials, seed());
        Ok(AtlasClient { driver: Driver::new(engine, http_client()?, function), locale, origin })
    }

    /// How many calls are under way (a dropped or cancelled call is not).
    pub fn calls_in_flight(&self) -> usize {
        self.driver.calls_in_flight()
    }

    /// Reads the project's LDAP and X.509 settings (`GET userSecurity`). Never holds `bindPassword`.
    pub async fn get_user_security(&self, group_id: &str, options: RequestOptions) -> Result<UserSecurity, AtlasError> {
        self.operation(options, Operation::GetUserSecurity { group_id }).await
    }

    /// Changes the settings (`PATCH userSecurity`): absent fields keep their values, an
    /// explicit `false` turns a flag off, `ca_certificate: Some("")` deletes it. Atlas
    /// restarts the project's nodes one by one.
    pub async fn update_user_security(
        &self,
        group_id: &str,
        body: &UserSecurity,
        options: RequestOptions,
    ) -> Result<UserSecurity, AtlasError> {
        let body = self.json(body)?;
        self.operation(options, Operation::UpdateUserSecurity { group_id, body: &body }).await
    }

    /// Disables customer-managed X.509 (`DELETE userSecurity/customerX509`).
    pub async fn disable_customer_x509(&self, group_id: &str, options: RequestOptions) -> Result<UserSecurity, AtlasError> {
        self.operation(options, Operation::DisableCustomerX509 { group_id }).await
    }

    /// Removes the user-to-DN mapping (`DELETE userSecurity/ldap/userToDNMapping`).
    pub async fn delete_ldap_user_to_dn_mapping(
        &self,
        group_id: &str,
        options: RequestOptions,
    ) -> Result<UserSecurity, AtlasError> {
        self.operation(options, Operation::DeleteLdapUserToDnMapping { group_id }).await
    }

    /// Starts verifying LDAP settings (`POST userSecurity/ldap/verify`): a `PENDING` job;
    /// follow it with [`AtlasClient::wait_for_ldap_verify`]. Never retried on 5xx.
    pub async fn verify_ldap(
        &self,
        group_id: &str,
        params: &LdapVerifyParams,
        options: RequestOptions,
    ) -> Result<LdapVerifyJob, AtlasError> {
        let params = self.json(params)?;
        self.operation(options, Operation::VerifyLdap { group_id, params: &params }).await
    }

    /// Reads a verification job (`GET userSecurity/ldap/verify/{requestId}`).
    pub async fn get_ldap_verify_status(
        &self,
        group_id: &str,
        request_id: &str,
        options: RequestOptions,
    ) -> Result<LdapVerifyJob, AtlasError> {
        self.operation(options, Operation::GetLdapVerifyStatus { group_id, request_id }).await
    }

    /// Follows a verification job until it is final (any status but `PENDING`), giving
    /// each job read to `on_progress`. Fails with an `AtlasTimeoutError` after `timeout_ms`.
    pub async fn wait_for_ldap_verify(
        &self,
        group_id: &str,
        request_id: &str,
        options: WaitOptions,
    ) -> Result<LdapVerifyJob, AtlasError> {
        let wait = options.to_core(self.locale)?;
        let request = crate::client::RequestOptions::default();
        let reply = self
            .driver
            .call(options.cancel, options.on_progress, |engine, now| {
                engine.start_wait(now, group_id, request_id, wait, &request)
            })
            .await?;
        Ok(reply.model())
    }

    /// Replaces a project user's roles (`PUT users/{userId}/roles`). Deprecated by Atlas
    /// (sunset 2027-07-01): prefer [`AtlasClient::add_user_role`] and
    /// [`AtlasClient::remove_user_role`].
    pub async fn update_user_roles(
        &self,
        group_id: &str,
        user_id: &str,
        body: &GroupRoles,
        options: RequestOptions,
    ) -> Result<GroupRoles, AtlasError> {
        let body = self.json(body)?;
        self.operation(options, Operation::UpdateUserRoles { group_id, user_id, body: &body }).await
    }

    /// Gives a project user one more role (`POST users/{userId}:addRole`).
    pub async fn add_user_role(
        &self,
        group_id: &str,
        user_id: &str,
        role: &str,
        options: RequestOptions,
    ) -> Result<GroupUser, AtlasError> {
        self.operation(options, Operation::AddUserRole { group_id, user_id, role }).await
    }

    /// Takes one role from a project user (`POST users/{userId}:removeRole`).
    pub async fn remove_user_role(
        &self,
        group_id: &str,
        user_id: &str,
        role: &str,
        options: RequestOptions,
    ) -> Result<GroupUser, AtlasError> {
        self.operation(options, Operation::RemoveUserRole { group_id, user_id, role }).await
    }

    /// Revokes the cached service-account token (`POST /api/oauth/revoke`); the next call
    /// fetches a new one. Ends at once for the other authentication modes.
    pub async fn revoke_token(&self) -> Result<(), AtlasError> {
        self.driver.call(None, None, |engine, _| engine.start_revoke()).await.map(|_| ())
    }

    async fn operation<T: DeserializeOwned + Default>(
        &self,
        options: RequestOptions,
        operation: Operation<'_>,
    ) -> Result<T, AtlasError> {
        let (request, cancel) = options.into_core(self.locale)?;
        let reply = self
            .driver
            .call(cancel, None, |engine, now| engine.start_operation(now, operation, &request))
            .await?;
        Ok(reply.model())
    }

    /// A model as the JSON the engine validates and sends.
    fn json(&self, body: &impl Serialize) -> Result<Value, AtlasError> {
        serde_json::to_value(body)
            .map_err(|_| AtlasError::AtlasValidationError { issues: validate::wrong_type("", "object", self.locale).issues })
    }
}

impl fmt::Debug for AtlasClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtlasClient").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// Fresh randomness for the engine's jitter and Digest client nonces, from the standard
/// library's per-process random hash keys and the time.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.finish()
}
