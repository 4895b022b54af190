#![cfg(feature = "native")]
