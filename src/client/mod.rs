//! The Atlas client's decisions, without any I/O (sans-IO): which HTTP request an operation
//! is, what a response means, whether and when to retry, how to authenticate, and when a
//! verification job is done. The wasm layer performs the `fetch` calls and timers these
//! functions ask for; native code can drive them with any HTTP stack.

mod api_error;
mod config;
mod digest;
mod error;
mod http;
mod operation;
mod poll;
mod response;
mod retry;
mod shape;
mod token;

pub use config::{BaseUrl, ClientConfig, RequestOptions};
pub use digest::{DigestChallenge, DigestCredentials};
#[cfg(all(target_arch = "wasm32", feature = "wasm-client"))]
pub(crate) use digest::hex;
pub use error::ClientError;
pub use http::{HttpRequest, Method};
pub use operation::{is_version_date, Answer, Operation};
pub use poll::{PollDecision, VerifyWait};
pub use response::{decode_response, ResponseParts};
pub use retry::{retry_decision, RetryDecision, AttemptOutcome};
pub use token::{token_request, revoke_request, parse_token_response, AccessToken};
