use std::fmt;

use crate::model::ApiError;
use crate::validate::FieldIssue;

/// Why a client call failed. Each variant becomes a JavaScript `Error` whose `name` is
/// [`ClientError::name`]. No variant ever holds a secret: request bodies, passwords, tokens
/// and keys are never copied into an error.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientError {
    /// Atlas answered with an error document (or an error status).
    Api {
        /// The HTTP status (the envelope's, with `envelope`).
        status: u16,
        /// Atlas's error document, or one made from the status.
        error: Box<ApiError>,
    },
    /// An id, a body or an option failed validation; nothing was sent.
    Validation {
        /// Every problem found, errors and warnings.
        issues: Vec<FieldIssue>,
    },
    /// The request did not complete: DNS, connection, TLS, CORS or a dropped connection.
    Network {
        /// What failed, without any secret.
        message: String,
    },
    /// An attempt took longer than the configured timeout.
    Timeout {
        /// The limit that passed: the attempt's timeout, the call's deadline or the wait's timeout.
        timeout_ms: u32,
    },
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The answer was not the JSON document the operation returns.
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// The first 200 characters of the body.
        body_snippet: String,
        /// What was wrong with it.
        message: String,
    },
}

impl ClientError {
    /// The JavaScript error name: `AtlasApiError`, `AtlasValidationError`, `AtlasNetworkError`,
    /// `AtlasTimeoutError`, `AbortError` or `AtlasDecodeError`.
    pub fn name(&self) -> &'static str {
        match self {
            ClientError::Api { .. } => "AtlasApiError",
            ClientError::Validation { .. } => "AtlasValidationError",
            ClientError::Network { .. } => "AtlasNetworkError",
            ClientError::Timeout { .. } => "AtlasTimeoutError",
            ClientError::Aborted => "AbortError",
            ClientError::Decode { .. } => "AtlasDecodeError",
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Api { status, error } => {
                write!(f, "Atlas answered {status} {}", error.error_code)?;
                match &error.detail {
                    Some(detail) if !detail.is_empty() => write!(f, ": {detail}"),
                    _ => Ok(()),
                }
            }
            ClientError::Validation { issues } => {
                f.write_str("invalid input, nothing was sent")?;
                let mut sep = ": ";
                for issue in issues.iter().filter(|i| i.severity == crate::validate::Severity::Error) {
                    write!(f, "{sep}{} ({})", issue.path, issue.code)?;
                    sep = ", ";
                }
                Ok(())
            }
            ClientError::Network { message } => write!(f, "network error: {message}"),
            ClientError::Timeout { timeout_ms } => write!(f, "no answer within {timeout_ms} ms"),
            ClientError::Aborted => f.write_str("the operation was aborted"),
            ClientError::Decode { status, message, .. } => {
                write!(f, "unexpected answer (HTTP {status}): {message}")
            }
        }
    }
}

impl std::error::Error for ClientError {}
