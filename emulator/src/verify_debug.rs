//! `GET /__emulator/verify/{requestId}`: a verification job as Atlas answers it, with a
//! `reason` on each validation. It needs the API's credentials, because reasons may show
//! the directory's structure (DNs, the nearest existing entry, what a search found).

use hyper::body::Incoming;
use hyper::{Request, Response};

use crate::auth::Auth;
use crate::reply::{self, Body, Fail, Shape};
use crate::store::Store;
use crate::util::now_ms;
use crate::verify::debug_view;

/// Answers the job `request_id` of whichever project holds it: 200 with the job, 401 without
/// valid credentials, 400 for an id that is not 24 hex digits, 404 for an unknown or
/// replaced job.
pub fn answer(
    store: &Store,
    auth: &Auth,
    request_id: &str,
    req: Request<Incoming>,
) -> Response<Body> {
    let shape = Shape {
        envelope: false,
        pretty: true,
    };
    let (parts, _) = req.into_parts();
    if let Err(fail) = auth.check(&parts) {
        return fail.into_response(shape);
    }
    if !atlas_ldap::validate::is_id(request_id) {
        return Fail::bad_request(
            "INVALID_REQUEST_ID",
            "The request ID is invalid: it must be 24 lowercase hexadecimal digits.",
        )
        .into_response(shape);
    }
    let base = crate::util::base_url(&parts.headers);
    let found = store.project_ids().into_iter().find_map(|group| {
        store
            .read(&group, |p| {
                Ok(p.verify_job
                    .as_ref()
                    .filter(|j| j.request_id == request_id)
                    .map(|j| debug_view(&group, j, &base, now_ms())))
            })
            .ok()
            .flatten()
    });
    match found {
        Some(doc) => reply::json(hyper::StatusCode::OK, reply::JSON, &doc, shape),
        None => Fail::not_found(
            "RESOURCE_NOT_FOUND",
            format!("No LDAP verification request {request_id} exists; only the latest request of a project is kept."),
        )
        .into_response(shape),
    }
}
