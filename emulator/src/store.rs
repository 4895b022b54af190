//! The emulated projects and their persistence.
//!
//! All state lives in memory behind one mutex (every operation touches one small project).
//! With `--state FILE` each change is written as a whole snapshot to a temporary file in the
//! same directory, fsynced and renamed over FILE, so a crash mid-write leaves either the old
//! or the new state, never a torn file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use atlas_ldap::model::{
    GroupUser, JobStatus, LdapSecuritySettings, LdapVerifyRequest, OrgMembershipStatus,
    UserSecurity,
};
use hyper::StatusCode;
use serde::{Deserialize, Serialize};

use crate::reply::Fail;
use crate::verify::Check;

/// The project seeded when no `--project` is given.
pub const DEMO_PROJECT: &str = "32b6e34b3d91647abb20e7b8";

/// Everything the emulator remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub projects: BTreeMap<String, Project>,
}

/// One project: its `userSecurity` document (with the bind password, which is never
/// returned), its users, and its latest LDAP verification job.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub user_security: UserSecurity,
    pub users: Vec<GroupUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_job: Option<StoredJob>,
}

/// A verification job: `PENDING` until its outcome is known (`final_status`) and `ready_at_ms`
/// has passed; its checks keep their reasons.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredJob {
    pub request_id: String,
    pub request: LdapVerifyRequest,
    pub final_status: JobStatus,
    pub validations: Vec<Check>,
    pub ready_at_ms: u64,
}

impl Project {
    /// A fresh project: LDAP off, no X.509 CA, and three users with roles.
    pub fn seeded() -> Self {
        let user = |id: &str, name: &str, status: OrgMembershipStatus, roles: &[&str]| GroupUser {
            id: id.to_owned(),
            org_membership_status: status,
            roles: roles.iter().map(|r| r.to_string()).collect(),
            username: name.to_owned(),
            ..Default::default()
        };
        let mut jane = user(
            "5b6e34b3d91647abb20e7b81",
            "jane.doe@example.com",
            OrgMembershipStatus::Active,
            &["GROUP_OWNER"],
        );
        jane.first_name = Some("Jane".into());
        jane.last_name = Some("Doe".into());
        jane.country = Some("US".into());
        jane.created_at = Some("2024-01-15T09:30:00Z".into());
        let mut john = user(
            "5b6e34b3d91647abb20e7b82",
            "john.smith@example.com",
            OrgMembershipStatus::Active,
            &["GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY"],
        );
        john.first_name = Some("John".into());
        john.last_name = Some("Smith".into());
        john.created_at = Some("2024-02-20T14:00:00Z".into());
        let mut ada = user(
            "5b6e34b3d91647abb20e7b83",
            "ada.invited@example.com",
            OrgMembershipStatus::Pending,
            &["GROUP_READ_ONLY"],
        );
        ada.invitation_created_at = Some("2025-01-10T08:00:00Z".into());
        ada.invitation_expires_at = Some("2025-02-09T08:00:00Z".into());
        ada.inviter_username = Some("jane.doe@example.com".into());
        Project {
            user_security: UserSecurity {
                ldap: Some(LdapSecuritySettings {
                    authentication_enabled: Some(false),
                    authorization_enabled: Some(false),
                    ..Default::default()
                }),
                ..Default::default()
            },
            users: vec![jane, john, ada],
            verify_job: None,
        }
    }
}

/// The shared store.
pub struct Store {
    state: Mutex<State>,
    path: Option<PathBuf>,
    /// Serializes writers; holds the generation last written.
    written: tokio::sync::Mutex<u64>,
    generation: std::sync::atomic::AtomicU64,
}

impl Store {
    /// Loads `path` when it exists (refusing a corrupt file rather than overwriting it),
    /// then makes sure every id of `projects` exists.
    pub fn open(path: Option<PathBuf>, projects: &[String]) -> Result<Self, String> {
        let mut state = match &path {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("cannot read state file {}: {e}", p.display()))?;
                serde_json::from_str(&text)
                    .map_err(|e| format!("state file {} is not a valid emulator state ({e}); move it away to start afresh", p.display()))?
            }
            _ => State::default(),
        };
        let fresh = state.projects.is_empty();
        let wanted: Vec<String> = if projects.is_empty() && fresh {
            vec![DEMO_PROJECT.to_owned()]
        } else {
            projects.to_vec()
        };
        for id in wanted {
            state.projects.entry(id).or_insert_with(Project::seeded);
        }
        let store = Store {
            state: Mutex::new(state),
            path,
            written: tokio::sync::Mutex::new(0),
            generation: std::sync::atomic::AtomicU64::new(0),
        };
        if let Some(p) = &store.path {
            let bytes = store.snapshot();
            write_atomically(p, &bytes)
                .map_err(|e| format!("cannot write state file {}: {e}", p.display()))?;
        }
        Ok(store)
    }

    fn snapshot(&self) -> Vec<u8> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_vec_pretty(&*state).unwrap_or_default()
    }

    pub fn project_ids(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .projects
            .keys()
            .cloned()
            .collect()
    }

    /// Runs `f` on one project (404 when it does not exist) without changing anything.
    pub fn read<T>(
        &self,
        group_id: &str,
        f: impl FnOnce(&Project) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(state
            .projects
            .get(group_id)
            .ok_or_else(|| group_not_found(group_id))?)
    }

    /// Runs `f` on a copy of one project and keeps the copy (and persists it) only when `f`
    /// succeeds, so a refused request changes nothing.
    pub async fn update<T>(
        &self,
        group_id: &str,
        f: impl FnOnce(&mut Project) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let (value, generation, bytes) = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let project = state
                .projects
                .get(group_id)
                .ok_or_else(|| group_not_found(group_id))?;
            let mut copy = project.clone();
            let value = f(&mut copy)?;
            state.projects.insert(group_id.to_owned(), copy);
            let generation = self
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                + 1;
            let bytes = match self.path {
                Some(_) => serde_json::to_vec_pretty(&*state).unwrap_or_default(),
                None => Vec::new(),
            };
            (value, generation, bytes)
        };
        if let Some(path) = self.path.clone() {
            let mut written = self.written.lock().await;
            if *written < generation {
                let result =
                    tokio::task::spawn_blocking(move || write_atomically(&path, &bytes)).await;
                match result {
                    Ok(Ok(())) => *written = generation,
                    _ => {
                        return Err(Fail::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "UNEXPECTED_ERROR",
                            "The emulator could not save its state file.",
                        ))
                    }
                }
            }
        }
        Ok(value)
    }
}

fn group_not_found(group_id: &str) -> Fail {
    Fail::not_found(
        "GROUP_NOT_FOUND",
        format!("No group with ID {group_id} exists."),
    )
}

/// Writes `bytes` to `path` via a temporary sibling, fsync and rename (then fsyncs the
/// directory), so readers and crashes only ever see a complete file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600); // the file holds bind passwords
        }
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
