//! The native Rust client (Cargo feature `native`, not on wasm32): [`AtlasClient`] performs
//! the commands of the same engine as the npm package (`crate::client::Engine`) with
//! reqwest (rustls on `ring`) and tokio.
//!
//! Every decision — authentication, token caching and renewal, retries and `Retry-After`,
//! the per-attempt timeout, the deadline, verification polling — is the engine's; this
//! module only sends requests, runs timers, calls the caller's token function and progress
//! callback, and hands each call its outcome.
//!
//! ```no_run
//! use atlas_ldap::client::{ClientOptions, ServiceAccountOptions};
//! use atlas_ldap::native::{AtlasClient, RequestOptions};
//!
//! # async fn run() -> Result<(), atlas_ldap::native::AtlasError> {
//! let client = AtlasClient::new(ClientOptions {
//!     service_account: Some(ServiceAccountOptions {
//!         client_id: "mdb_sa_id_…".into(),
//!         client_secret: std::env::var("ATLAS_CLIENT_SECRET").unwrap_or_default().into(),
//!     }),
//!     ..Default::default()
//! })?;
//! let settings = client.get_user_security("32b6e34b3d91647abb20e7b8", RequestOptions::default()).await?;
//! println!("LDAP authentication: {:?}", settings.ldap.and_then(|l| l.authentication_enabled));
//! # Ok(()) }
//! ```
//!
//! Calls need a Tokio runtime. Dropping a call's future aborts it (its request and timers
//! are stopped); so does cancelling the `cancel` token of its options.

mod client;
mod driver;
mod error;
mod options;
mod transport;

pub use client::AtlasClient;
pub use error::AtlasError;
pub use options::{ProgressFn, RequestOptions, WaitOptions};
pub use tokio_util::sync::CancellationToken;
