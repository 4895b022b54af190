//! What is left of the crate's former JSON parser: the one function the client still calls
//! (`src/client`, and `json_value` in `src/wasm/convert.rs`).
//! `serde_json` parses; the client's rewrite calls it directly and deletes this module.

/// Parses JSON text into a `serde_json::Value` with `serde_json`, reading an escaped lone
/// UTF-16 surrogate as U+FFFD (as the validators do) instead of refusing the text.
pub(crate) fn parse_value(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_str(text).or_else(|refused| {
        match crate::validate::replace_lone_surrogates(text) {
            Some(text) => serde_json::from_str(&text),
            None => Err(refused),
        }
    })
}
