//! # atlas-ldap
//!
//! Typed models, validators and a client for the LDAP and X.509 settings of MongoDB Atlas
//! projects (the `userSecurity` resource of the Atlas Administration API), and for the roles
//! of a project's users.
//!
//! The crate is a pure core with no I/O: it compiles natively and to WebAssembly, where the
//! `wasm` module wraps it for JavaScript (the `atlas-ldap` npm package).
//!
//! Read it top-down:
//! - [`model`]: the request and response documents, as Atlas sends and accepts them.
//! - [`validate`]: the validators, with stable issue codes and English and Chinese messages.
//! - [`client`]: the Atlas client's decisions without I/O: requests, responses, retries,
//!   authentication and verification polling.
//! - `native` (Cargo feature `native`): `AtlasClient` for Rust programs, performing the
//!   engine's commands with reqwest and tokio.

#![warn(missing_docs)]

pub mod model;
pub mod validate;
pub mod client;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;

// talc is smaller than the default dlmalloc in the wasm and no slower here (bench/README.md).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
