//! A token bucket: `capacity` tokens, refilled evenly over a minute. Used for the
//! `--rate-limit` of API requests and for failed client-secret attempts per client id.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct TokenBucket {
    per_minute: u32,
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(per_minute: u32) -> Self {
        TokenBucket {
            per_minute,
            tokens: per_minute as f64,
            at: Instant::now(),
        }
    }

    fn rate(&self) -> f64 {
        self.per_minute as f64 / 60.0
    }

    fn refill(&mut self) {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * self.rate();
        self.tokens = (self.tokens + refill).min(self.per_minute as f64);
        self.at = now;
    }

    /// The tokens in the bucket now; `capacity` when it is full again.
    pub fn level(&mut self) -> f64 {
        self.refill();
        self.tokens
    }

    /// `Err(seconds to wait)` when the bucket holds less than one token.
    pub fn check(&mut self) -> Result<(), u64> {
        self.refill();
        if self.tokens >= 1.0 {
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - self.tokens) / self.rate());
            Err(wait.as_secs_f64().ceil().max(1.0) as u64)
        }
    }

    /// Takes one token: `Ok(tokens left)`, or `Err(seconds to wait)` taking nothing.
    pub fn take(&mut self) -> Result<u32, u64> {
        self.check()?;
        self.tokens -= 1.0;
        Ok(self.tokens as u32)
    }

    /// Takes one token if there is one (a failure is counted even past the limit).
    pub fn spend(&mut self) {
        self.refill();
        self.tokens = (self.tokens - 1.0).max(0.0);
    }
}
