//! LDAP verification jobs: how they start, how their checks end (by rules on the input, or
//! against the real directory), and how they are shown — to the API as Atlas answers, and
//! to `GET /__emulator/verify/{requestId}` with a reason on each check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_ldap::model::{
    JobStatus, LdapVerifyJob, LdapVerifyParams, LdapVerifyRequest, LdapVerifyValidation, Link,
    ValidationStatus, ValidationType,
};
use serde::{Deserialize, Serialize};

use crate::reply::Fail;
use crate::store::{Store, StoredJob};
use crate::util::{new_object_id, now_ms};
use crate::{ldap_check, verify_rules};

/// How long each network step of a real verification may take (DNS lookup, TCP connect,
/// TLS handshake, bind, search).
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);

/// `--ldap-verify`: how a job's checks are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// By rules on the input; no network is touched (the default: the offline demo).
    Rules,
    /// Against the directory at `hostname:port`, over LDAPS.
    Real,
}

impl Mode {
    /// Parses the value of `--ldap-verify`.
    pub fn parse(value: &str) -> Result<Mode, String> {
        match value {
            "rules" => Ok(Mode::Rules),
            "real" => Ok(Mode::Real),
            other => Err(format!(
                "--ldap-verify: {other:?} is neither rules nor real"
            )),
        }
    }
}

/// One check of a job, with the reason the emulator can give for its result (never with a
/// password). Stored in the state file; the API shows it without `reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub validation_type: ValidationType,
    pub status: ValidationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How a job ended: `SUCCESS` or `FAILED`, and its checks in Atlas's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: JobStatus,
    pub checks: Vec<Check>,
}

/// The checks of a job so far; it ends at the first failure or when every check passed.
#[derive(Debug, Default)]
pub struct Checks(Vec<Check>);

impl Checks {
    /// Records a passed check (`reason` only when it tells something useful).
    pub fn pass(&mut self, kind: ValidationType, reason: Option<String>) {
        self.0.push(Check {
            validation_type: kind,
            status: ValidationStatus::Ok,
            reason,
        });
    }

    /// Records a failed check: the job ends `FAILED` with it.
    pub fn fail(mut self, kind: ValidationType, reason: impl Into<String>) -> Outcome {
        self.0.push(Check {
            validation_type: kind,
            status: ValidationStatus::Fail,
            reason: Some(reason.into()),
        });
        Outcome {
            status: JobStatus::Failed,
            checks: self.0,
        }
    }

    /// Every check passed: the job ends `SUCCESS`.
    pub fn succeed(self) -> Outcome {
        Outcome {
            status: JobStatus::Success,
            checks: self.0,
        }
    }
}

/// Starts jobs in the configured mode. In `real` mode each job runs as a task of its own,
/// and a new job of a project cancels the project's previous one (Atlas keeps only the
/// latest job of a project).
pub struct Verifier {
    mode: Mode,
    delay_ms: u64,
    running: Mutex<HashMap<String, tokio::task::AbortHandle>>,
}

impl Verifier {
    /// A verifier; `delay` is how long a `rules` job stays `PENDING` (a `real` job is
    /// `PENDING` exactly while its checks run).
    pub fn new(mode: Mode, delay: Duration) -> Self {
        Verifier {
            mode,
            delay_ms: delay.as_millis() as u64,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// Stores a new `PENDING` job for `params` in `group` (replacing the previous one) and
    /// returns it; in `real` mode its checks start in the background.
    pub async fn start(
        &self,
        store: &Arc<Store>,
        group: &str,
        params: LdapVerifyParams,
    ) -> Result<StoredJob, Fail> {
        let request = LdapVerifyRequest {
            authz_query_template: None, // write-only in the spec: never echoed
            bind_username: Some(params.bind_username.clone()),
            ca_certificate: params.ca_certificate.clone().filter(|c| !c.is_empty()),
            hostname: Some(params.hostname.clone()),
            links: None,
            port: Some(params.port),
        };
        let (final_status, validations, ready_at_ms) = match self.mode {
            Mode::Rules => {
                let outcome = verify_rules::outcome(&params);
                (outcome.status, outcome.checks, now_ms() + self.delay_ms)
            }
            Mode::Real => (JobStatus::Pending, Vec::new(), u64::MAX),
        };
        let job = StoredJob {
            request_id: new_object_id(),
            request,
            final_status,
            validations,
            ready_at_ms,
        };
        store
            .update(group, |p| {
                p.verify_job = Some(job.clone());
                Ok(())
            })
            .await?;
        if self.mode == Mode::Real {
            self.run_real(
                store.clone(),
                group.to_owned(),
                job.request_id.clone(),
                params,
            );
        }
        Ok(job)
    }

    fn run_real(
        &self,
        store: Arc<Store>,
        group: String,
        request_id: String,
        params: LdapVerifyParams,
    ) {
        let key = group.clone();
        let task = tokio::spawn(async move {
            let outcome = ldap_check::run(&params, NETWORK_TIMEOUT).await;
            let _ = store
                .update(&group, |p| {
                    if let Some(job) = p.verify_job.as_mut().filter(|j| j.request_id == request_id)
                    {
                        job.final_status = outcome.status;
                        job.validations = outcome.checks;
                        job.ready_at_ms = now_ms();
                    }
                    Ok(())
                })
                .await;
        });
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|_, t| !t.is_finished());
        if let Some(previous) = running.insert(key, task.abort_handle()) {
            previous.abort();
        }
    }
}

/// The job as the API shows it at time `now` (0: as just started): `PENDING` with no
/// validations until it is ready, then its final status and checks, without reasons.
pub fn job_view(group: &str, job: &StoredJob, base: &str, now: u64) -> LdapVerifyJob {
    let done = is_done(job, now);
    LdapVerifyJob {
        group_id: Some(group.to_owned()),
        links: Some(vec![Link {
            href: Some(format!(
                "{base}/api/atlas/v2/groups/{group}/userSecurity/ldap/verify/{}",
                job.request_id
            )),
            rel: Some("self".into()),
        }]),
        request: Some(job.request.clone()),
        request_id: Some(job.request_id.clone()),
        status: Some(if done {
            job.final_status.clone()
        } else {
            JobStatus::Pending
        }),
        validations: Some(if done {
            job.validations
                .iter()
                .map(|c| LdapVerifyValidation {
                    status: Some(c.status.clone()),
                    validation_type: Some(c.validation_type.clone()),
                })
                .collect()
        } else {
            Vec::new()
        }),
    }
}

/// The job as `GET /__emulator/verify/{requestId}` shows it: [`job_view`] with each
/// validation's `reason`.
pub fn debug_view(group: &str, job: &StoredJob, base: &str, now: u64) -> serde_json::Value {
    let mut doc = serde_json::to_value(job_view(group, job, base, now)).unwrap_or_default();
    if is_done(job, now) {
        doc["validations"] = serde_json::to_value(&job.validations).unwrap_or_default();
    }
    doc
}

fn is_done(job: &StoredJob, now: u64) -> bool {
    now != 0 && job.final_status.is_final() && now >= job.ready_at_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(Mode::parse("rules"), Ok(Mode::Rules));
        assert_eq!(Mode::parse("real"), Ok(Mode::Real));
        assert!(Mode::parse("REAL").is_err());
    }

    #[test]
    fn views_hide_reasons_from_the_api_only() {
        let mut checks = Checks::default();
        checks.pass(ValidationType::ServerSpecified, None);
        let outcome = checks.fail(ValidationType::Connect, "connection refused");
        let job = StoredJob {
            request_id: "aaaaaaaaaaaaaaaaaaaaaaaa".into(),
            request: LdapVerifyRequest::default(),
            final_status: outcome.status,
            validations: outcome.checks,
            ready_at_ms: 10,
        };
        let api = serde_json::to_value(job_view("g", &job, "http://h", 11)).unwrap();
        assert_eq!(api["status"], "FAILED");
        assert_eq!(
            api["validations"],
            serde_json::json!([
                {"status": "OK", "validationType": "SERVER_SPECIFIED"},
                {"status": "FAIL", "validationType": "CONNECT"}
            ])
        );
        let debug = debug_view("g", &job, "http://h", 11);
        assert_eq!(debug["validations"][1]["reason"], "connection refused");
        assert!(debug["validations"][0].get("reason").is_none());
        assert_eq!(debug["requestId"], api["requestId"]);
        let pending = debug_view("g", &job, "http://h", 9);
        assert_eq!(pending["status"], "PENDING");
        assert_eq!(pending["validations"], serde_json::json!([]));
    }
}
