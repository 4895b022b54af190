//! The JavaScript face of the crate (compiled only for `wasm32`): the exports of the
//! `atlas-ldap` npm package. Everything here converts between JavaScript values and the
//! pure core, and performs the commands of the client engine (`crate::client::Engine`) with
//! the global `fetch`, web-sys, gloo-net's `Response` and serde-wasm-bindgen; no decision
//! is made in this layer.

#[cfg(feature = "wasm-client")]
pub mod client;
#[cfg(feature = "wasm-client")]
mod callbacks;
mod constant;
mod convert;
#[cfg(feature = "wasm-client")]
mod driver;
#[cfg(feature = "wasm-client")]
pub mod errors;
#[cfg(feature = "wasm-client")]
mod js;
mod text_path;
#[cfg(feature = "wasm-client")]
mod transport;
pub mod validators;
