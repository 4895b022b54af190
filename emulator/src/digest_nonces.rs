//! The nonce counts (`nc`) already used with each Digest nonce, so a captured
//! `Authorization` header is not accepted a second time (the digest of `qop=auth` does
//! not cover the body, so a replay could carry another one). Counts may arrive out of
//! order, as concurrent requests do, within a window of [`WINDOW`] below the highest.

use std::collections::HashMap;
use std::sync::Mutex;

/// How far below the highest count of a nonce a late count is still accepted.
const WINDOW: u64 = 64;
/// Nonces remembered at once; past it the oldest are forgotten and refused as stale.
const MAX_NONCES: usize = 4096;

struct Counts {
    issued_ms: u64,
    highest: u64,
    /// Bit `i` set: count `highest - i` was used.
    used: u64,
}

#[derive(Default)]
struct Table {
    nonces: HashMap<String, Counts>,
    /// Nonces issued at or before this time that are not in the table were forgotten.
    horizon_ms: u64,
}

/// What [`NonceCounts::record`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Count {
    Fresh,
    /// This count of this nonce was used before.
    Replayed,
    /// The nonce is too old to be tracked any more: the client should get a new one.
    Forgotten,
}

#[derive(Default)]
pub struct NonceCounts {
    table: Mutex<Table>,
}

impl NonceCounts {
    /// Records count `nc` of `nonce` (issued at `issued_ms`, valid until `lifetime_ms` later).
    pub fn record(
        &self,
        nonce: &str,
        issued_ms: u64,
        nc: u64,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> Count {
        if nc == 0 {
            return Count::Replayed;
        }
        let mut t = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = t.nonces.get_mut(nonce) {
            if nc > c.highest {
                let shift = nc - c.highest;
                c.used = if shift >= WINDOW { 0 } else { c.used << shift } | 1;
                c.highest = nc;
                return Count::Fresh;
            }
            let back = c.highest - nc;
            if back >= WINDOW || c.used & (1 << back) != 0 {
                return Count::Replayed;
            }
            c.used |= 1 << back;
            return Count::Fresh;
        }
        if issued_ms <= t.horizon_ms {
            return Count::Forgotten;
        }
        if t.nonces.len() >= MAX_NONCES {
            t.nonces
                .retain(|_, c| now_ms.saturating_sub(c.issued_ms) <= lifetime_ms);
        }
        if t.nonces.len() >= MAX_NONCES {
            let oldest = t.nonces.values().map(|c| c.issued_ms).min().unwrap_or(0);
            t.horizon_ms = t.horizon_ms.max(oldest);
            let horizon = t.horizon_ms;
            t.nonces.retain(|_, c| c.issued_ms > horizon);
            if issued_ms <= horizon {
                return Count::Forgotten;
            }
        }
        t.nonces.insert(
            nonce.to_owned(),
            Counts {
                issued_ms,
                highest: nc,
                used: 1,
            },
        );
        Count::Fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFE: u64 = 300_000;

    #[test]
    fn counts_are_used_once_in_any_order() {
        let n = NonceCounts::default();
        assert_eq!(n.record("a", 1, 1, 2, LIFE), Count::Fresh);
        assert_eq!(n.record("a", 1, 1, 2, LIFE), Count::Replayed);
        assert_eq!(n.record("a", 1, 3, 2, LIFE), Count::Fresh);
        assert_eq!(
            n.record("a", 1, 2, 2, LIFE),
            Count::Fresh,
            "late but unused"
        );
        assert_eq!(n.record("a", 1, 2, 2, LIFE), Count::Replayed);
        assert_eq!(n.record("a", 1, 100, 2, LIFE), Count::Fresh);
        assert_eq!(
            n.record("a", 1, 36, 2, LIFE),
            Count::Replayed,
            "below the window"
        );
        assert_eq!(n.record("a", 1, 0, 2, LIFE), Count::Replayed);
        assert_eq!(n.record("b", 1, 1, 2, LIFE), Count::Fresh, "another nonce");
    }

    #[test]
    fn the_table_is_bounded_and_forgets_oldest_first() {
        let n = NonceCounts::default();
        for i in 0..MAX_NONCES as u64 + 10 {
            assert_eq!(
                n.record(&format!("n{i}"), 10 + i, 1, 20, LIFE),
                Count::Fresh
            );
        }
        assert!(n.table.lock().unwrap().nonces.len() <= MAX_NONCES);
        assert_eq!(n.record("n0", 10, 1, 20, LIFE), Count::Forgotten);
        assert_eq!(n.record("n0", 10, 2, 20, LIFE), Count::Forgotten);
        let last = MAX_NONCES as u64 + 9;
        assert_eq!(
            n.record(&format!("n{last}"), 10 + last, 1, 20, LIFE),
            Count::Replayed
        );
    }
}
