use serde_json::Value;

use crate::model::ApiError;

use super::api_error::api_error;
use super::operation::Answer;
use super::shape::check_answer;
use super::ClientError;

/// What the transport read of a response.
#[derive(Clone, Copy, Debug)]
pub struct ResponseParts<'a> {
    pub status: u16,
    pub body: &'a str,
}

const SNIPPET_CHARS: usize = 200;

/// Turns a response into the operation's document or a typed error.
///
/// - With `envelope`, `{ "status": …, "content": … }` is unwrapped and its `status` is the
///   one that counts (Atlas answers HTTP 200 for enveloped errors).
/// - A status of 400 or more is an [`ClientError::Api`], with Atlas's error document when
///   the body holds one.
/// - A success must be JSON of the operation's shape, or it is a [`ClientError::Decode`].
///
/// The returned value is the JSON as Atlas sent it, so fields this version does not know
/// survive; it has been checked to decode into the typed model (an array where the model
/// has an object is refused, although serde would take it for the object's fields).
pub fn decode_response(answer: Answer, envelope: bool, response: ResponseParts<'_>) -> Result<Value, ClientError> {
    let parsed = crate::json::parse_value(response.body);
    let (status, document) = match parsed {
        Ok(Value::Object(mut map)) if envelope && map.contains_key("content") => {
            let status = map
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(response.status);
            (status, Some(map.remove("content").unwrap_or(Value::Null)))
        }
        Ok(value) => (response.status, Some(value)),
        Err(_) => (response.status, None),
    };
    if status >= 400 {
        let error = document
            .and_then(|d| api_error(&d))
            .unwrap_or_else(|| ApiError {
                error: status,
                error_code: format!("HTTP_{status}"),
                detail: (!response.body.trim().is_empty()).then(|| snippet(response.body)),
                ..ApiError::default()
            });
        return Err(ClientError::Api { status, error });
    }
    let Some(document) = document else {
        let message = if response.body.trim().is_empty() { "empty body" } else { "the body is not JSON" };
        return Err(decode_error(status, response.body, message.to_owned()));
    };
    match check_answer(answer, &document) {
        Ok(()) => Ok(document),
        Err(message) => Err(decode_error(status, response.body, message)),
    }
}

fn decode_error(status: u16, body: &str, message: String) -> ClientError {
    ClientError::Decode { status, body_snippet: snippet(body), message }
}

/// The first characters of a body, cut on a character boundary.
pub(crate) fn snippet(body: &str) -> String {
    match body.char_indices().nth(SNIPPET_CHARS) {
        Some((i, _)) => format!("{}…", &body[..i]),
        None => body.to_owned(),
    }
}
