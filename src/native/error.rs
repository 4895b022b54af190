//! The native client's error: one variant per error `name` of the npm package, with the
//! same fields (snake_case), so code and logs read the same in Rust and JavaScript.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::client::ClientError;
use crate::model::{ApiError, BadRequestDetail};
use crate::validate::FieldIssue;

/// Why a call of [`super::AtlasClient`] failed. No variant ever holds a secret.
///
/// It is the engine's [`ClientError`] with the npm package's names and fields, plus the
/// underlying reqwest error of a network failure as [`std::error::Error::source`].
#[allow(clippy::enum_variant_names)] // the names of the JavaScript errors, on purpose
#[derive(Clone, Debug)]
pub enum AtlasError {
    /// Atlas answered with an error status (a 4xx or 5xx), with its error document.
    AtlasApiError {
        /// The HTTP status, e.g. 404.
        status: u16,
        /// Atlas's stable error code, e.g. `RESOURCE_NOT_FOUND`.
        error_code: String,
        /// What went wrong, for people.
        detail: Option<String>,
        /// The HTTP reason phrase.
        reason: Option<String>,
        /// Values the message refers to.
        parameters: Option<Vec<Value>>,
        /// Per-field violations of a bad request.
        bad_request_detail: Option<BadRequestDetail>,
    },
    /// An id, body or option failed validation; nothing was sent.
    AtlasValidationError {
        /// Every issue found.
        issues: Vec<FieldIssue>,
    },
    /// The request did not complete (DNS, connection, TLS, a dropped connection).
    AtlasNetworkError {
        /// What went wrong.
        message: String,
        /// The underlying error (JavaScript's `cause`), when reqwest gave one.
        source: Option<Arc<reqwest::Error>>,
    },
    /// An attempt (or a wait, or the deadline) took longer than its timeout.
    AtlasTimeoutError {
        /// The timeout that ran out, in milliseconds.
        timeout_ms: u32,
    },
    /// The call was cancelled (its cancellation token) or its future dropped.
    AbortError,
    /// The answer was not the JSON document the operation returns.
    AtlasDecodeError {
        /// The HTTP status.
        status: u16,
        /// The first characters of the body.
        body_snippet: String,
        /// What was wrong with it.
        message: String,
    },
}

impl AtlasError {
    /// The error's name in the npm package: `AtlasApiError`, `AtlasValidationError`,
    /// `AtlasNetworkError`, `AtlasTimeoutError`, `AbortError` or `AtlasDecodeError`.
    pub fn name(&self) -> &'static str {
        self.core().name()
    }

    /// The engine's error, with `source` the reqwest error behind a network failure.
    pub(crate) fn from_core(error: ClientError, source: Option<Arc<reqwest::Error>>) -> AtlasError {
        match error {
            ClientError::Api { status, error } => {
                let error = *error;
                AtlasError::AtlasApiError {
                status,
                error_code: error.error_code,
                detail: error.detail,
                reason: error.reason,
                parameters: error.parameters,
                bad_request_detail: error.bad_request_detail,
                }
            }
            ClientError::Validation { issues } => AtlasError::AtlasValidationError { issues },
            ClientError::Network { message } => AtlasError::AtlasNetworkError { message, source },
            ClientError::Timeout { timeout_ms } => AtlasError::AtlasTimeoutError { timeout_ms },
            ClientError::Aborted => AtlasError::AbortError,
            ClientError::Decode { status, body_snippet, message } => {
                AtlasError::AtlasDecodeError { status, body_snippet, message }
            }
        }
    }

    /// Back to the engine's error, whose `Display` is the message of both clients.
    fn core(&self) -> ClientError {
        match self.clone() {
            AtlasError::AtlasApiError { status, error_code, detail, reason, parameters, bad_request_detail } => {
                let error = ApiError { error: status, error_code, detail, reason, parameters, bad_request_detail };
                ClientError::Api { status, error: Box::new(error) }
            }
            AtlasError::AtlasValidationError { issues } => ClientError::Validation { issues },
            AtlasError::AtlasNetworkError { message, .. } => ClientError::Network { message },
            AtlasError::AtlasTimeoutError { timeout_ms } => ClientError::Timeout { timeout_ms },
            AtlasError::AbortError => ClientError::Aborted,
            AtlasError::AtlasDecodeError { status, body_snippet, message } => {
                ClientError::Decode { status, body_snippet, message }
            }
        }
    }
}

impl From<ClientError> for AtlasError {
    fn from(error: ClientError) -> AtlasError {
        AtlasError::from_core(error, None)
    }
}

impl fmt::Display for AtlasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core().fmt(f)
    }
}

impl std::error::Error for AtlasError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AtlasError::AtlasNetworkError { source: Some(source), .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}
