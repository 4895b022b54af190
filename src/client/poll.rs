use crate::model::JobStatus;

/// Following a verification job until it is final.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerifyWait {
    /// Between two status requests.
    pub interval_ms: u32,
    /// When to give up, on the caller's clock (milliseconds).
    pub deadline_ms: f64,
}

/// What to do after reading the job's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollDecision {
    /// The job is final (any status but `PENDING`, including unknown ones).
    Done,
    /// Ask again after this many milliseconds.
    PollIn(u32),
    /// The deadline passes before the next poll could answer.
    TimedOut,
}

impl VerifyWait {
    /// Defaults: a status request every 2 s, for at most 5 minutes.
    pub fn new(now_ms: f64, interval_ms: Option<u32>, timeout_ms: Option<u32>) -> VerifyWait {
        VerifyWait {
            interval_ms: interval_ms.unwrap_or(2_000),
            deadline_ms: now_ms + f64::from(timeout_ms.unwrap_or(300_000)),
        }
    }

    /// Decides after a status was read at `now_ms`. A job without a status is treated as
    /// still pending.
    pub fn next(&self, status: Option<&JobStatus>, now_ms: f64) -> PollDecision {
        if status.is_some_and(JobStatus::is_final) {
            return PollDecision::Done;
        }
        let left = self.deadline_ms - now_ms;
        if left <= 0.0 {
            PollDecision::TimedOut
        } else {
            PollDecision::PollIn((f64::from(self.interval_ms)).min(left) as u32)
        }
    }
}
