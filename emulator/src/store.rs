//! The emulated projects and their persistence.
//!
//! All state lives in memory behind one mutex (every operation touches one small project).
//! With `--state FILE` each change is written as a whole snapshot to a temporary file in the
//! same directory, fsynced and renamed over FILE, so a crash mid-write leaves either the old
//! or the new state, never a torn file; and a change is applied in memory only once it is
//! written, so a request that could not be saved changes nothing. The temporary file has a
//! random name and is created exclusively with mode 0600, never through a symbolic link;
//! ones a crash left behind are removed at start.

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
use crate::util::random_hex;
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
    /// Held by each change from reading the project until it is saved and applied.
    writer: tokio::sync::Mutex<()>,
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
            writer: tokio::sync::Mutex::new(()),
        };
        if let Some(p) = &store.path {
            remove_stale_temporaries(p);
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

    /// Runs `f` on a copy of one project and keeps the copy only when `f` succeeds and,
    /// with a state file, the state with the copy has been saved: a refused or unsaved
    /// request changes nothing.
    pub async fn update<T>(
        &self,
        group_id: &str,
        f: impl FnOnce(&mut Project) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let _writer = self.writer.lock().await;
        let (value, mut copy, bytes) = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let project = state
                .projects
                .get_mut(group_id)
                .ok_or_else(|| group_not_found(group_id))?;
            let mut copy = project.clone();
            let value = f(&mut copy)?;
            if self.path.is_none() {
                *project = copy;
                return Ok(value);
            }
            // Serialize the state as it will be, then put the current project back.
            std::mem::swap(project, &mut copy);
            let bytes = serde_json::to_vec_pretty(&*state).unwrap_or_default();
            if let Some(project) = state.projects.get_mut(group_id) {
                std::mem::swap(project, &mut copy);
            }
            (value, copy, bytes)
        };
        let path = self.path.clone().unwrap_or_default();
        match tokio::task::spawn_blocking(move || write_atomically(&path, &bytes)).await {
            Ok(Ok(())) => {}
            _ => {
                return Err(Fail::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "UNEXPECTED_ERROR",
                    "The emulator could not save its state file; nothing was changed.",
                ))
            }
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(project) = state.projects.get_mut(group_id) {
            std::mem::swap(project, &mut copy);
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

/// The directory of `path` and the prefix of its temporary files (`.NAME.tmp.`).
fn temporaries(path: &Path) -> (&Path, String) {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    (dir, format!(".{name}.tmp."))
}

/// Removes the temporary files of `path` a crash left behind (links themselves, not
/// what they point to).
fn remove_stale_temporaries(path: &Path) {
    let (dir, prefix) = temporaries(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Creates a new file only this user can read and write: it must not exist yet (so a
/// planted file or link is never reused or followed).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Writes `bytes` to `path` via a temporary sibling with a random name, fsync and rename
/// (then fsyncs the directory), so readers and crashes only ever see a complete file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (dir, prefix) = temporaries(path);
    let mut attempts = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!("{prefix}{}", random_hex(8)));
        match create_private(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => {
                attempts += 1
            }
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(bytes).and_then(|_| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn private_files_are_new_files() {
        let dir = std::env::temp_dir().join(format!("atlas-emu-private-{}", random_hex(4)));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("target");
        std::fs::write(&target, "untouched").unwrap();
        let link = dir.join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(create_private(&link).is_err(), "a link is not followed");
        assert!(
            create_private(&target).is_err(),
            "an existing file is not reused"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        use std::os::unix::fs::PermissionsExt;
        let fresh = dir.join("fresh");
        create_private(&fresh).unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
