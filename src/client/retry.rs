use super::Method;

/// How one attempt ended, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome<'a> {
    /// An HTTP answer with its status and `Retry-After` header, if any.
    Status {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header.
        retry_after: Option<&'a str>,
    },
    /// The connection failed or dropped before an answer.
    Network,
    /// The attempt timed out.
    Timeout,
}

/// Whether to try again, and after how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after `delay_ms` milliseconds.
    Retry {
        /// The wait before the next attempt.
        delay_ms: u32,
    },
    /// Give the outcome to the caller.
    Stop,
}

const BASE_DELAY_MS: f64 = 250.0;
const MAX_BACKOFF_MS: f64 = 8_000.0;
/// A `Retry-After` longer than this is not waited for: the 429 goes back to the caller.
pub const MAX_RETRY_AFTER_MS: u32 = 120_000;

/// Decides about attempt number `retries_done + 1`.
///
/// - 429 honours `Retry-After` (seconds) for every method: the limit is on requests, so
///   nothing was done.
/// - 502, 503, 504, network failures and timeouts are retried only for GET, PUT and DELETE,
///   after a jittered exponential backoff (or `Retry-After` when a 503 gives one).
/// - `jitter` is a random number in `[0, 1)`.
pub fn retry_decision(
    method: Method,
    retries_done: u32,
    max_retries: u32,
    outcome: AttemptOutcome<'_>,
    jitter: f64,
) -> RetryDecision {
    if retries_done >= max_retries {
        return RetryDecision::Stop;
    }
    let backoff = || {
        let exp = BASE_DELAY_MS * 2f64.powi(retries_done.min(16) as i32);
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
        RetryDecision::Retry { delay_ms: (exp.min(MAX_BACKOFF_MS) * (0.5 + jitter / 2.0)) as u32 }
    };
    match outcome {
        AttemptOutcome::Status { status: 429, retry_after } => match retry_after.map(parse_retry_after) {
            Some(Some(ms)) if ms > MAX_RETRY_AFTER_MS => RetryDecision::Stop,
            Some(Some(ms)) => RetryDecision::Retry { delay_ms: ms },
            _ => backoff(),
        },
        AttemptOutcome::Status { status: 502..=504, retry_after } if method.is_idempotent() => {
            match retry_after.and_then(parse_retry_after) {
                Some(ms) if ms <= MAX_RETRY_AFTER_MS => RetryDecision::Retry { delay_ms: ms },
                Some(_) => RetryDecision::Stop,
                None => backoff(),
            }
        }
        AttemptOutcome::Network | AttemptOutcome::Timeout if method.is_idempotent() => backoff(),
        _ => RetryDecision::Stop,
    }
}

/// `Retry-After` as delay-seconds (`1*DIGIT`), in milliseconds, saturating: a value too large
/// for any integer type is still "too long to wait". (Atlas sends seconds; an HTTP date is not
/// interpreted and falls back to the backoff.)
fn parse_retry_after(value: &str) -> Option<u32> {
    let digits = value.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = digits.parse().unwrap_or(u64::MAX);
    Some(u32::try_from(secs.saturating_mul(1000)).unwrap_or(u32::MAX))
}
