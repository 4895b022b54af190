//! PEM certificate bundles (`ldap.caCertificate`, `customerX509.cas`).

use super::issue::{Locale, Validation};
use super::messages::Code;
use super::report::{run, Path, Report};

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// Validates a field that holds CA certificates, reporting issues at `path` (such as
/// `ldap.caCertificate`). `""` is valid: it deletes the stored value. Otherwise the text must
/// hold one or more `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----` blocks whose
/// bodies are base64, with `\n` line endings. Text outside the blocks is ignored (RFC 7468),
/// but blocks of any other type (such as a private key) are refused.
///
/// Errors: `crlf` (`\r\n` line endings), `pem` (no certificate block, a block not closed,
/// another block type), `pem_base64` (a body that is not base64).
pub fn pem_certificates(value: &str, path: &str, locale: Locale) -> Validation {
    run(locale, |r| {
        check_pem_certificates(value, &Path::Root(path), r)
    })
}

pub(crate) fn check_pem_certificates(value: &str, path: &Path, r: &mut Report) {
    if value.is_empty() {
        return;
    }
    if value.contains('\r') {
        r.add(path, Code::Crlf);
    }
    let (structure_ok, base64_ok) = scan(value);
    if !structure_ok {
        r.add(path, Code::Pem);
    }
    if !base64_ok {
        r.add(path, Code::PemBase64);
    }
}

/// Returns (well-formed blocks and at least one, every body base64). Lines are read as if
/// `\r\n` were `\n`, so a bundle with only the `crlf` problem reports only that.
fn scan(value: &str) -> (bool, bool) {
    let mut blocks = 0;
    let mut structure_ok = true;
    let mut base64_ok = true;
    // Base64 characters of the open block, or None outside a block.
    let mut body: Option<Base64> = None;
    for line in value.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match body.as_mut() {
            None => {
                if line == BEGIN {
                    body = Some(Base64::default());
                } else if line.starts_with("-----BEGIN") || line.starts_with("-----END") {
                    structure_ok = false;
                }
            }
            Some(b) => {
                if line == END {
                    base64_ok &= b.finish();
                    blocks += 1;
                    body = None;
                } else if line.starts_with("-----") {
                    structure_ok = false;
                    body = None;
                } else {
                    b.line(line.as_bytes());
                }
            }
        }
    }
    if body.is_some() {
        structure_ok = false;
    }
    (structure_ok && blocks > 0, base64_ok)
}

/// Incremental check of a base64 body spread over lines.
#[derive(Default)]
struct Base64 {
    len: usize,
    padding: usize,
    bad: bool,
}

impl Base64 {
    fn line(&mut self, line: &[u8]) {
        for &c in line {
            if c == b'=' {
                self.padding += 1;
            } else if self.padding > 0 || !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/') {
                // Data after padding, whitespace or another character.
                self.bad = true;
            }
            self.len += 1;
        }
    }

    fn finish(&self) -> bool {
        !self.bad && self.len > 0 && self.len % 4 == 0 && self.padding <= 2
    }
}
