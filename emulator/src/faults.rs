//! Faults on request, for testing clients: programmed failures (`--fail`, the
//! `/__emulator/faults` control endpoint) and a request-rate limit (`--rate-limit`).

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::bucket::TokenBucket;

/// What a matching request gets instead of its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultAction {
    /// An error status with an `ApiError` body.
    Status(u16),
    /// The connection is closed without an answer.
    Drop,
}

/// One programmed fault: the next `count` requests whose method and path match get `action`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// `GET`, `POST` … or `*` for any method but `OPTIONS`.
    #[serde(default = "any")]
    pub method: String,
    /// Matches when the request path contains it; a trailing `$` anchors it at the end of
    /// the path. Empty or `*` matches every path.
    #[serde(default)]
    pub path: String,
    /// An HTTP status from 400 to 599 to answer with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Close the connection without answering.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop: bool,
    /// How many requests it applies to (default 1); `null` with `always: true` for all.
    #[serde(default = "one")]
    pub count: u32,
    /// Applies to every matching request until cleared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub always: bool,
    /// Seconds sent in a `Retry-After` header with the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

fn any() -> String {
    "*".into()
}
fn one() -> u32 {
    1
}

impl FaultRule {
    /// Parses the `--fail` flag: `METHOD PATH STATUS|drop [COUNT|*]`.
    pub fn parse_flag(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let usage = || format!("--fail expects \"METHOD PATH STATUS|drop [COUNT|*]\", got {s:?}");
        if !(3..=4).contains(&parts.len()) {
            return Err(usage());
        }
        let (status, drop) = if parts[2].eq_ignore_ascii_case("drop") {
            (None, true)
        } else {
            (Some(parts[2].parse::<u16>().map_err(|_| usage())?), false)
        };
        let (count, always) = match parts.get(3) {
            None => (1, false),
            Some(&"*") => (0, true),
            Some(n) => (n.parse::<u32>().map_err(|_| usage())?, false),
        };
        let rule = FaultRule {
            method: parts[0].to_ascii_uppercase(),
            path: parts[1].to_owned(),
            status,
            drop,
            count,
            always,
            retry_after: None,
        };
        rule.check()?;
        Ok(rule)
    }

    /// Whether the rule is well formed.
    pub fn check(&self) -> Result<(), String> {
        if self.path.len() > MAX_PATH_LEN || self.method.len() > 16 {
            return Err(format!(
                "a fault path may have at most {MAX_PATH_LEN} bytes"
            ));
        }
        match (self.status, self.drop) {
            (Some(s), false) if (400..=599).contains(&s) => Ok(()),
            (Some(_), false) => Err("a fault status must be from 400 to 599".into()),
            (None, true) => Ok(()),
            _ => Err("a fault needs exactly one of status or drop".into()),
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = if self.method == "*" {
            method != "OPTIONS"
        } else {
            self.method.eq_ignore_ascii_case(method)
        };
        let path_ok = match self.path.as_str() {
            "" | "*" => true,
            p => match p.strip_suffix('$') {
                Some(end) => path.ends_with(end),
                None => path.contains(p),
            },
        };
        method_ok && path_ok
    }

    fn action(&self) -> FaultAction {
        match self.status {
            Some(s) if !self.drop => FaultAction::Status(s),
            _ => FaultAction::Drop,
        }
    }
}

/// How many rules may be pending at once: every API request is matched against them all.
pub const MAX_RULES: usize = 1000;
const MAX_PATH_LEN: usize = 1024;

/// The programmed faults, applied first-registered first.
#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    /// Adds checked rules, all or none: refused when more than [`MAX_RULES`] would be pending.
    pub fn add_all(&self, new: Vec<FaultRule>) -> Result<(), String> {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        if rules.len() + new.len() > MAX_RULES {
            return Err(format!(
                "at most {MAX_RULES} fault rules may be pending ({} are); clear them with DELETE /__emulator/faults",
                rules.len()
            ));
        }
        rules.extend(new);
        Ok(())
    }

    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Consumes one use of the first rule matching the request.
    pub fn take(&self, method: &str, path: &str) -> Option<(FaultAction, Option<u64>)> {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let i = rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut rules[i];
        let found = (rule.action(), rule.retry_after);
        if !rule.always {
            rule.count = rule.count.saturating_sub(1);
            if rule.count == 0 {
                rules.remove(i);
            }
        }
        Some(found)
    }
}

/// The `--rate-limit`: `per_minute` API requests, refilled evenly over a minute.
pub struct RateLimiter {
    per_minute: u32,
    bucket: Mutex<TokenBucket>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            bucket: Mutex::new(TokenBucket::new(per_minute)),
        }
    }

    pub fn limit(&self) -> u32 {
        self.per_minute
    }

    /// `Ok(remaining)` when the request may go ahead, `Err(seconds to wait)` otherwise.
    pub fn take(&self) -> Result<u32, u64> {
        self.bucket.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_and_matching() {
        let f = Faults::default();
        f.add_all(vec![
            FaultRule::parse_flag("GET /userSecurity$ 503 2").unwrap(),
            FaultRule::parse_flag("* * drop").unwrap(),
        ])
        .unwrap();
        assert_eq!(
            f.take("GET", "/api/atlas/v2/groups/x/userSecurity")
                .unwrap()
                .0,
            FaultAction::Status(503)
        );
        assert_eq!(
            f.take("GET", "/api/atlas/v2/groups/x/userSecurity/ldap/verify/1")
                .unwrap()
                .0,
            FaultAction::Drop
        );
        assert_eq!(
            f.take("GET", "/api/atlas/v2/groups/x/userSecurity")
                .unwrap()
                .0,
            FaultAction::Status(503)
        );
        assert!(f
            .take("GET", "/api/atlas/v2/groups/x/userSecurity")
            .is_none());
        assert!(FaultRule::parse_flag("GET / 200").is_err());
        assert!(FaultRule::parse_flag("GET /").is_err());
        let many = vec![FaultRule::parse_flag("GET /x 500").unwrap(); MAX_RULES - 1];
        assert!(f.add_all(many.clone()).is_ok());
        assert!(f.add_all(many[..2].to_vec()).is_err(), "all or none");
        assert_eq!(f.list().len(), MAX_RULES - 1);
        let long = format!("GET /{} 500", "x".repeat(MAX_PATH_LEN));
        assert!(FaultRule::parse_flag(&long).is_err());
    }

    #[test]
    fn rate_limit() {
        let l = RateLimiter::new(2);
        assert!(l.take().is_ok());
        assert!(l.take().is_ok());
        assert_eq!(l.take(), Err(30));
    }
}
