//! Failed client-secret attempts per client id at the OAuth endpoints. Atlas allows its
//! token endpoint about 10 requests a minute; here each client id may fail
//! [`FAILURES_PER_MINUTE`] times (refilled evenly over a minute), after which every
//! attempt with that id answers 429 with `Retry-After` until the bucket refills, without
//! the secret being checked, so guessing it is as slow as against Atlas.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::bucket::TokenBucket;

pub const FAILURES_PER_MINUTE: u32 = 10;
/// Client ids remembered at once: unknown ids are tracked too (a 429 for known ids only
/// would tell which exist), so the table is bounded.
const MAX_TRACKED: usize = 1024;
/// Longer ids share the bucket of their first this-many bytes.
const MAX_ID_LEN: usize = 256;

#[derive(Default)]
pub struct ClientLockout {
    failures: Mutex<HashMap<String, TokenBucket>>,
}

fn key(id: &str) -> String {
    let mut end = id.len().min(MAX_ID_LEN);
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    id[..end].to_owned()
}

impl ClientLockout {
    /// `Err(seconds to wait)` while `id` may not try again.
    pub fn check(&self, id: &str) -> Result<(), u64> {
        let mut table = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match table.get_mut(&key(id)) {
            Some(bucket) => bucket.check(),
            None => Ok(()),
        }
    }

    /// Counts one failed attempt of `id`.
    pub fn failed(&self, id: &str) {
        let mut table = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let key = key(id);
        if !table.contains_key(&key) && table.len() >= MAX_TRACKED {
            table.retain(|_, b| b.level() < FAILURES_PER_MINUTE as f64);
            if table.len() >= MAX_TRACKED {
                // Forget the id furthest from being locked out: a flood of made-up ids
                // evicts its own entries before a real id under attack.
                if let Some(k) = table
                    .iter_mut()
                    .map(|(k, b)| (b.level(), k))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| k.clone())
                {
                    table.remove(&k);
                }
            }
        }
        table
            .entry(key)
            .or_insert_with(|| TokenBucket::new(FAILURES_PER_MINUTE))
            .spend();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_one_id_out_and_stays_bounded() {
        let l = ClientLockout::default();
        for _ in 0..FAILURES_PER_MINUTE {
            assert!(l.check("victim").is_ok());
            l.failed("victim");
        }
        let wait = l.check("victim").unwrap_err();
        assert!((1..=6).contains(&wait), "{wait}");
        assert!(l.check("other").is_ok());
        for i in 0..3 * MAX_TRACKED {
            l.failed(&format!("made-up-{i}"));
        }
        assert!(l.failures.lock().unwrap().len() <= MAX_TRACKED);
        assert!(l.check("victim").is_err(), "the locked id is not evicted");
        l.failed(&"é".repeat(300));
    }
}
