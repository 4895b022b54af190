//! The JavaScript face of the crate (compiled only for `wasm32`): the exports of the
//! `atlas-ldap` npm package. Everything here converts between JavaScript values and the
//! pure core; no decision is made in this layer.

mod convert;
pub mod validators;
