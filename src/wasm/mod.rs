//! The JavaScript face of the crate (compiled only for `wasm32`): the exports of the
//! `atlas-ldap` npm package. Everything here converts between JavaScript values and the
//! pure core, and performs the `fetch` calls and timers the core asks for; no decision is
//! made in this layer.

mod auth;
pub mod client;
mod convert;
pub mod errors;
mod js;
mod text_path;
mod timer;
mod transport;
pub mod validators;
