//! The request and response documents of the Atlas Administration API operations this crate
//! covers, with the spec's camelCase names.
