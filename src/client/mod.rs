//! The Atlas client's decisions, without any I/O (sans-IO): which HTTP request an operation
//! is, what an answer means, whether and when to retry, how to authenticate, and when a
//! verification job is done. [`Engine`] puts them together as one state machine; the npm
//! package's fetch shell and the native reqwest client only perform its commands.

mod config;
mod digest;
mod engine;
mod error;
mod http;
mod operation;
mod options;
mod poll;
mod reply;
mod retry;
pub(crate) mod table;
mod token;

pub use config::{BaseUrl, ClientConfig, RequestOptions, DEFAULT_MAX_RESPONSE_BYTES};
pub use digest::{DigestChallenge, DigestCredentials};
pub use engine::{
    CallId, Command, Credentials, Engine, Event, ExchangeId, HttpResponse, TimerId, WaitOptions,
    DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS,
};
pub use error::ClientError;
pub use http::{HttpRequest, Method};
pub use operation::{is_version_date, Answer, Operation};
pub use options::{
    invalid_option, wrong_option_type, CallOptions, ClientOptions, DigestOptions, ServiceAccountOptions, ShellValue,
    TokenSource, WaitCallOptions,
};
pub use poll::{PollDecision, VerifyWait};
pub use reply::{decode_answer, Reply};
pub use retry::{retry_decision, AttemptOutcome, RetryDecision};
pub use token::{parse_token_response, revoke_request, token_request, AccessToken};
