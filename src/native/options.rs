//! Per-call options of the native client. They are checked by the core's own option
//! checks (`CallOptions::into_request`, `WaitCallOptions::into_wait`), as the npm
//! package's are.

use std::fmt;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::client::{self, CallOptions, WaitCallOptions};
use crate::model::LdapVerifyJob;
use crate::validate::Locale;

use super::AtlasError;

/// Called with every verification job a wait reads, pending or final.
pub type ProgressFn = Arc<dyn Fn(&LdapVerifyJob) + Send + Sync>;

/// Options of one call (the npm package's `RequestOptions`).
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Ask Atlas to wrap the answer in an envelope; the client unwraps it.
    pub envelope: bool,
    /// Ask Atlas for indented JSON.
    pub pretty: bool,
    /// Another API version, `YYYY-MM-DD` (default: the operation's version in the spec).
    pub version_date: Option<String>,
    /// Bounds this call as a whole (overrides the client's `deadline_ms`), in milliseconds.
    pub deadline_ms: Option<u32>,
    /// Cancels the call (its waits and retries too): it fails with
    /// [`AtlasError::AbortError`].
    pub cancel: Option<CancellationToken>,
}

/// Options of [`super::AtlasClient::wait_for_ldap_verify`] (the npm package's `WaitOptions`).
#[derive(Clone, Default)]
pub struct WaitOptions {
    /// Between two status requests, in milliseconds. Default 2000.
    pub interval_ms: Option<u32>,
    /// For the whole wait, in milliseconds; then [`AtlasError::AtlasTimeoutError`]. Default 300000.
    pub timeout_ms: Option<u32>,
    /// Cancels the wait.
    pub cancel: Option<CancellationToken>,
    /// Called with every job read.
    pub on_progress: Option<ProgressFn>,
}

impl WaitOptions {
    /// These options with `callback` as the progress callback.
    pub fn on_progress(mut self, callback: impl Fn(&LdapVerifyJob) + Send + Sync + 'static) -> WaitOptions {
        self.on_progress = Some(Arc::new(callback));
        self
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval_ms", &self.interval_ms)
            .field("timeout_ms", &self.timeout_ms)
            .field("cancel", &self.cancel)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl RequestOptions {
    /// The engine's options, checked, and the cancellation token.
    pub(crate) fn into_core(self, locale: Locale) -> Result<(client::RequestOptions, Option<CancellationToken>), AtlasError> {
        let options = CallOptions {
            envelope: Some(self.envelope),
            pretty: Some(self.pretty),
            signal: None,
            version_date: self.version_date,
            deadline_ms: self.deadline_ms.map(f64::from),
        };
        Ok((options.into_request(locale)?, self.cancel))
    }
}

impl WaitOptions {
    /// The engine's wait options, checked.
    pub(crate) fn to_core(&self, locale: Locale) -> Result<client::WaitOptions, AtlasError> {
        let options = WaitCallOptions {
            interval_ms: self.interval_ms.map(f64::from),
            timeout_ms: self.timeout_ms.map(f64::from),
            signal: None,
            on_progress: None,
        };
        Ok(options.into_wait(locale)?)
    }
}
