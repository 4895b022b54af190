//! The JavaScript face of the crate (compiled only for `wasm32`): the exports of the
//! `atlas-ldap` npm package. Everything here converts between JavaScript values and the
//! pure core, and performs the `fetch` calls and timers the core asks for; no decision is
//! made in this layer.

#[cfg(feature = "wasm-client")]
mod auth;
#[cfg(feature = "wasm-client")]
pub mod client;
mod constant;
mod convert;
#[cfg(feature = "wasm-client")]
pub mod errors;
#[cfg(feature = "wasm-client")]
mod js;
mod text_path;
#[cfg(feature = "wasm-client")]
mod timer;
#[cfg(feature = "wasm-client")]
mod transport;
pub mod validators;
