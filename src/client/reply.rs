//! Reading Atlas's answers into the models, leniently: an answer Atlas gave with a 2xx
//! never fails because a field is missing, unknown or of another type than the model's.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{ApiError, BadRequestDetail, FieldViolation};
#[cfg(test)]
use crate::model::{GroupUser, LdapVerifyJob, UserSecurity};

use super::operation::Answer;
use super::ClientError;

/// The value a call finished with: the document Atlas answered (unwrapped from its
/// envelope), checked to be a JSON object. Read it as the operation's model with
/// [`Reply::model`]; the npm package hands the document itself to JavaScript, so fields
/// this version does not know reach the caller too.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// A JSON object, of the kind the operation returns.
    Document {
        /// What the operation returns.
        answer: Answer,
        /// The object as Atlas sent it.
        document: Value,
    },
    /// Nothing to return (a revoked token).
    Done,
}

impl Reply {
    /// The document as a model, read leniently: a missing field takes its default, an
    /// unknown one is ignored, and one of the wrong type is left out (see `model::object`).
    /// `Done` reads as the model's default.
    pub fn model<T: DeserializeOwned + Default>(&self) -> T {
        match self {
            Reply::Document { document, .. } => crate::model::object::document(document).unwrap_or_default(),
            Reply::Done => T::default(),
        }
    }

    /// The document, if there is one.
    pub fn document(&self) -> Option<&Value> {
        match self {
            Reply::Document { document, .. } => Some(document),
            Reply::Done => None,
        }
    }
}

const SNIPPET_CHARS: usize = 200;

/// Turns an answer into the operation's model or a typed error.
///
/// - With `envelope`, `{ "status": …, "content": … }` is unwrapped and its `status` is the
///   one that counts (Atlas answers HTTP 200 for enveloped errors).
/// - A status of 400 or more is a [`ClientError::Api`], with Atlas's error document when
///   the body holds one.
/// - A success must be a JSON object, or it is a [`ClientError::Decode`]. Missing fields
///   take their defaults, unknown ones are ignored, and a field of the wrong type is left
///   out (as if Atlas had not sent it), so a write Atlas reports as done never fails here.
pub fn decode_answer(answer: Answer, envelope: bool, status: u16, body: &str) -> Result<Reply, ClientError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let (status, document) = match parsed {
        Some(Value::Object(mut map)) if envelope && map.contains_key("content") => {
            let inner = map.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
            (inner.unwrap_or(status), map.remove("content"))
        }
        other => (status, other),
    };
    if status >= 400 {
        let error = document.and_then(|d| api_error(d, status)).unwrap_or_else(|| ApiError {
            error: status,
            error_code: format!("HTTP_{status}"),
            detail: (!body.trim().is_empty()).then(|| snippet(body)),
            ..ApiError::default()
        });
        return Err(ClientError::Api { status, error: Box::new(error) });
    }
    match document {
        Some(document @ Value::Object(_)) => Ok(Reply::Document { answer, document }),
        Some(_) => Err(decode_error(status, body, "the answer is not a JSON object".into())),
        None if body.trim().is_empty() => Err(decode_error(status, body, "empty body".into())),
        None => Err(decode_error(status, body, "the body is not JSON".into())),
    }
}

/// Atlas's error document, or `None` when the body is not one (an object with a non-empty
/// `errorCode` string): then the caller makes one from the HTTP status.
///
/// Read field by field with `serde_json::Value`, as leniently as the model's own
/// `Deserialize` (a property test holds the two equal): the derive would add 6 KB gzip to
/// the npm package's wasm, which reads no other model.
pub(crate) fn api_error(document: Value, status: u16) -> Option<ApiError> {
    let Value::Object(mut object) = document else { return None };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let error_code = text(object.get("errorCode")).filter(|c| !c.is_empty())?;
    let violation = |v: &Value| {
        let v = v.as_object()?;
        let field = text(v.get("field")).unwrap_or_default();
        Some(FieldViolation { field, description: text(v.get("description")).unwrap_or_default() })
    };
    let bad_request_detail = object.get("badRequestDetail").and_then(Value::as_object).map(|detail| BadRequestDetail {
        fields: detail.get("fields").and_then(Value::as_array).map(|items| items.iter().filter_map(violation).collect()),
    });
    Some(ApiError {
        error: object.get("error").and_then(Value::as_u64).and_then(|e| u16::try_from(e).ok()).filter(|e| *e != 0).unwrap_or(status),
        error_code,
        detail: text(object.get("detail")),
        reason: text(object.get("reason")),
        parameters: match object.remove("parameters") {
            Some(Value::Array(items)) => Some(items),
            _ => None,
        },
        bad_request_detail,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_user_without_id_is_read() {
        // addUserRole against a mock of the spec: 200 without `id` must not fail the write.
        let reply = decode_answer(Answer::GroupUser, false, 200, r#"{"roles":["GROUP_OWNER"],"username":"a@b.c"}"#);
        let user: GroupUser = reply.expect("read").model();
        assert_eq!(user.roles, ["GROUP_OWNER"]);
        assert_eq!(user.id, "");
    }

    #[test]
    fn a_field_of_the_wrong_type_is_left_out() {
        let body = r#"{"ldap":{"hostname":"h.example.com","port":"636","authenticationEnabled":true},"customerX509":[1]}"#;
        let us: UserSecurity = decode_answer(Answer::UserSecurity, false, 202, body).unwrap().model();
        let ldap = us.ldap.expect("ldap");
        assert_eq!(ldap.hostname.as_deref(), Some("h.example.com"));
        assert_eq!(ldap.port, None);
        assert_eq!(ldap.authentication_enabled, Some(true));
        assert_eq!(us.customer_x509, None);
    }

    #[test]
    fn an_array_is_never_read_as_an_object() {
        // serde's derives would read `[true, false]` as the first two fields in order.
        let body = r#"{"ldap":[true,false],"links":[["https://x","self"]]}"#;
        let us: UserSecurity = decode_answer(Answer::UserSecurity, false, 200, body).unwrap().model();
        assert_eq!((us.ldap, us.links), (None, Some(vec![])));
        let body = r#"{"ldap":{"userToDNMapping":[["(.*)"],{"match":"(.+)","substitution":"CN={0}"}]}}"#;
        let us: UserSecurity = decode_answer(Answer::UserSecurity, false, 200, body).unwrap().model();
        let mapping = us.ldap.unwrap().user_to_dn_mapping.unwrap();
        assert_eq!(mapping.len(), 1);
        assert_eq!(mapping[0].match_, "(.+)");
    }

    #[test]
    fn a_bad_element_is_dropped_from_a_list() {
        let body = r#"{"status":"FAILED","validations":[{"status":"OK","validationType":"CONNECT"},7,{"status":"FAIL","validationType":9}]}"#;
        let job: LdapVerifyJob = decode_answer(Answer::VerifyJob, false, 200, body).unwrap().model();
        let validations = job.validations.expect("validations");
        assert_eq!(validations.len(), 2);
        assert_eq!(validations[1].validation_type, None);
    }

    #[test]
    fn a_success_that_is_not_an_object_is_a_decode_error() {
        for body in ["[]", "[1,2]", "\"x\"", "3", "null", "", "<html>"] {
            let error = decode_answer(Answer::UserSecurity, false, 200, body).unwrap_err();
            assert_eq!(error.name(), "AtlasDecodeError", "{body}");
        }
    }

    #[test]
    fn an_enveloped_error_counts_with_its_inner_status() {
        let body = r#"{"status":404,"content":{"error":404,"errorCode":"GROUP_NOT_FOUND","detail":"no"}}"#;
        let Err(ClientError::Api { status, error }) = decode_answer(Answer::UserSecurity, true, 200, body) else {
            panic!()
        };
        assert_eq!((status, error.error_code.as_str()), (404, "GROUP_NOT_FOUND"));
    }

    #[test]
    fn an_error_without_a_document_is_named_after_the_status() {
        let Err(ClientError::Api { status, error }) = decode_answer(Answer::UserSecurity, false, 503, "busy") else {
            panic!()
        };
        assert_eq!((status, error.error_code.as_str(), error.detail.as_deref()), (503, "HTTP_503", Some("busy")));
    }
}
