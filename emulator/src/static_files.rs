//! Static files: the web console (`--www`, at `/`) and the npm package (`--pkg`, at `/pkg/`).

use std::path::{Path, PathBuf};

use hyper::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, VARY,
};
use hyper::{Response, StatusCode};

use crate::reply::{full, Body};
use crate::static_encoding;
use crate::util::percent_decode;

/// The MIME type of a file name.
pub fn mime(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs" | "cjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("wasm") => "application/wasm",
        Some("ts" | "mts" | "cts") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path below a mount point to a file inside `root`, refusing anything that
/// could leave it.
fn resolve(root: &Path, rel: &str) -> Option<PathBuf> {
    let decoded = percent_decode(rel, false);
    let mut path = root.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg == ".." || seg.contains('\\') || seg.contains('\0') || seg.starts_with('.') {
            return None;
        }
        path.push(seg);
    }
    Some(path)
}

/// `path` with every symbolic link resolved, if that is still inside `root`: a link may
/// point elsewhere in the directory, never out of it.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let real = std::fs::canonicalize(path).ok()?;
    real.starts_with(&root).then_some(real)
}

/// The file behind `rel`, its metadata and its bytes. Read with `std::fs` on the async
/// worker: the files are small and local, and each `tokio::fs` call is a hop to the blocking
/// pool that cost more than the call itself (about 1 ms per request, 10 ms after an idle
/// spell, measured with the console's 21 first requests).
fn read(root: &Path, rel: &str) -> Option<(PathBuf, PathBuf, std::fs::Metadata, bytes::Bytes)> {
    let mut path = resolve(root, rel)?;
    let mut meta = std::fs::metadata(&path).ok()?;
    if meta.is_dir() {
        path.push("index.html");
        meta = std::fs::metadata(&path).ok()?;
    }
    let real = inside(root, &path)?;
    let bytes = bytes::Bytes::from(std::fs::read(&real).ok()?);
    Some((path, real, meta, bytes))
}

/// Serves `rel` from `root`, brotli- or gzip-compressed when `accept_encoding` (the request's
/// `Accept-Encoding`) allows it; `None` when there is no such file.
pub async fn serve(
    root: &Path,
    rel: &str,
    head: bool,
    accept_encoding: &str,
) -> Option<Response<Body>> {
    let (path, real, meta, bytes) = read(root, rel)?;
    let compressible = static_encoding::compressible(mime(&path));
    let mut encoding = static_encoding::negotiate(accept_encoding).filter(|_| compressible);
    let mut body = bytes.clone();
    if let Some(enc) = encoding {
        let compressed = match static_encoding::cached(&real, &meta, &bytes, enc) {
            Some(known) => known,
            // Compressing takes milliseconds of CPU: off the async workers.
            None => tokio::task::spawn_blocking(move || static_encoding::compressed(&real, &meta, &bytes, enc))
                .await
                .ok()
                .flatten(),
        };
        match compressed {
            Some(data) => body = data,
            None => encoding = None,
        }
    }
    let len = body.len();
    let mut resp = Response::new(if head {
        crate::reply::empty()
    } else {
        full(body)
    });
    *resp.status_mut() = StatusCode::OK;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(mime(&path)));
    if compressible {
        resp.headers_mut()
            .insert(VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Some(enc) = encoding {
        resp.headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static(enc.token()));
    }
    resp.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if mime(&path).starts_with("text/html") {
        resp.headers_mut().insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::app::CONSOLE_CSP),
        );
    }
    if head {
        resp.headers_mut()
            .insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    Some(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        let root = Path::new("/srv");
        assert_eq!(resolve(root, "a/b.js"), Some(PathBuf::from("/srv/a/b.js")));
        assert_eq!(resolve(root, "../etc/passwd"), None);
        assert_eq!(resolve(root, "%2e%2e/etc"), None);
        assert_eq!(resolve(root, ".git/config"), None);
        assert_eq!(mime(Path::new("x.wasm")), "application/wasm");
        assert!(mime(Path::new("x.mjs")).starts_with("text/javascript"));
    }
}
