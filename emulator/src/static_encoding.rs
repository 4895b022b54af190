//! Content encoding of static files: brotli or gzip, chosen by the request's
//! `Accept-Encoding`, each file compressed once per version (its length and modification
//! time) and kept in memory, so the console's `.wasm` costs its compressed size on the wire.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use bytes::Bytes;

/// A content coding the emulator can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// The token of this coding in `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }
}

/// Files smaller than this are sent as they are: the headers would cost more than the gain.
const MIN_BYTES: usize = 512;
/// Files larger than this are sent as they are, so the cache stays small.
const MAX_BYTES: usize = 16 << 20;

/// Whether a file of this MIME type is worth compressing (text, JSON, SVG and wasm are).
pub fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.starts_with("application/json")
        || mime == "application/wasm"
        || mime == "image/svg+xml"
}

/// The coding to answer with for an `Accept-Encoding` value: brotli when it is accepted,
/// else gzip, else none (identity). Codings with `q=0` are refused; `*` accepts both.
pub fn negotiate(accept_encoding: &str) -> Option<Encoding> {
    let mut brotli = None;
    let mut gzip = None;
    let mut any = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0_f32;
        for param in parts {
            if let Some((k, v)) = param.split_once('=') {
                if k.trim().eq_ignore_ascii_case("q") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
        }
        let accepted = q > 0.0;
        match coding.as_str() {
            "br" => brotli = Some(accepted),
            "gzip" | "x-gzip" => gzip = Some(accepted),
            "*" => any = Some(accepted),
            _ => {}
        }
    }
    if brotli.or(any) == Some(true) {
        Some(Encoding::Brotli)
    } else if gzip.or(any) == Some(true) {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

#[derive(PartialEq, Eq, Hash)]
struct Key {
    path: PathBuf,
    encoding: Encoding,
}

struct Entry {
    len: u64,
    modified: Option<SystemTime>,
    data: Bytes,
}

fn cache() -> &'static Mutex<HashMap<Key, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Entry>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// What [`compressed`] answers when it needs no work: `Some(answer)` when the file is not
/// worth compressing or this version of it was compressed before, `None` when it must be
/// compressed (call [`compressed`] off the async workers).
pub fn cached(path: &Path, meta: &Metadata, bytes: &[u8], encoding: Encoding) -> Option<Option<Bytes>> {
    if !(MIN_BYTES..=MAX_BYTES).contains(&bytes.len()) {
        return Some(None);
    }
    let key = Key {
        path: path.to_path_buf(),
        encoding,
    };
    let map = cache().lock().unwrap_or_else(|e| e.into_inner());
    let entry = map.get(&key)?;
    (entry.len == meta.len() && entry.modified == meta.modified().ok())
        .then(|| (entry.data.len() < bytes.len()).then(|| entry.data.clone()))
}

/// `bytes` (the file at `path`, described by `meta`) in `encoding`, from the cache when this
/// version of the file was compressed before. `None` when it is not worth it (too small, too
/// large, or no smaller once compressed).
pub fn compressed(path: &Path, meta: &Metadata, bytes: &[u8], encoding: Encoding) -> Option<Bytes> {
    if let Some(known) = cached(path, meta, bytes, encoding) {
        return known;
    }
    let key = Key {
        path: path.to_path_buf(),
        encoding,
    };
    let (len, modified) = (meta.len(), meta.modified().ok());
    // Compressed outside the lock: two first requests may both compress; the result is the same.
    let data = Bytes::from(compress(bytes, encoding)?);
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    map.insert(
        key,
        Entry {
            len,
            modified,
            data: data.clone(),
        },
    );
    (data.len() < bytes.len()).then_some(data)
}

fn compress(bytes: &[u8], encoding: Encoding) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Gzip => {
            let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            out.write_all(bytes).ok()?;
            out.finish().ok()
        }
        Encoding::Brotli => {
            // Quality 5 compresses the console's 170 KB .wasm in about 11 ms to 75 KB; 11 would
            // save 7 KB more but take 330 ms, which the first visitor after a start would wait.
            let params = brotli::enc::BrotliEncoderParams {
                quality: 5,
                lgwin: 22,
                ..Default::default()
            };
            let mut out = Vec::new();
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        assert_eq!(negotiate("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(negotiate("gzip, deflate"), Some(Encoding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip;q=0"), None);
        assert_eq!(negotiate("*"), Some(Encoding::Brotli));
        assert_eq!(negotiate("*;q=0"), None);
        assert_eq!(negotiate("identity"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("GZIP;Q=1"), Some(Encoding::Gzip));
        assert_eq!(negotiate("gzip;q=nonsense"), None);
    }

    #[test]
    fn compressible_types() {
        assert!(compressible("application/wasm"));
        assert!(compressible("text/javascript; charset=utf-8"));
        assert!(!compressible("image/png"));
    }
}
