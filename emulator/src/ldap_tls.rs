//! TLS for real verifications: which CAs the LDAP server's certificate must chain to, and
//! a TLS failure in plain words naming the certificate problem.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};

/// A client configuration and, in words, what it trusts.
pub struct Trust {
    pub config: Arc<ClientConfig>,
    /// "the given caCertificate" or "the system's trusted CAs".
    pub source: &'static str,
}

/// Trusts exactly the certificates of `ca_pem` when it is given (and not empty), else the
/// system's roots. The error says why the certificate cannot be used.
pub fn trust(ca_pem: Option<&str>) -> Result<Trust, String> {
    let mut roots = RootCertStore::empty();
    let source = match ca_pem.map(str::trim).filter(|p| !p.is_empty()) {
        Some(pem) => {
            let mut count = 0;
            for (i, cert) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
                let cert = cert.map_err(|e| {
                    format!("caCertificate: PEM block {} cannot be read ({e})", i + 1)
                })?;
                roots.add(cert).map_err(|e| {
                    format!(
                        "caCertificate: certificate {} is not a usable X.509 CA certificate ({e})",
                        i + 1
                    )
                })?;
                count += 1;
            }
            if count == 0 {
                return Err("caCertificate holds no PEM certificate".into());
            }
            "the given caCertificate"
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            "the system's trusted CAs"
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up ({e})"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Trust {
        config: Arc::new(config),
        source,
    })
}

/// A TLS handshake failure in plain words; `host` is the name the certificate must carry.
pub fn describe(error: &rustls::Error, host: &str, trusted: &str) -> String {
    use rustls::Error as E;
    match error {
        E::InvalidCertificate(c) => format!("TLS: {}", certificate_problem(c, host, trusted)),
        E::AlertReceived(alert) => {
            format!("TLS: the server ended the handshake with the alert {alert:?}")
        }
        E::InvalidMessage(_)
        | E::InappropriateMessage { .. }
        | E::InappropriateHandshakeMessage { .. } => {
            "TLS: the server did not answer with TLS; is this an LDAPS port (TLS from the first \
             byte, as Atlas connects; StartTLS is not used)?"
                .into()
        }
        E::NoCertificatesPresented => "TLS: the server presented no certificate".into(),
        E::PeerIncompatible(why) => {
            format!("TLS: no protocol version or cipher suite in common with the server ({why:?})")
        }
        other => format!("TLS handshake failed: {other}"),
    }
}

fn certificate_problem(c: &CertificateError, host: &str, trusted: &str) -> String {
    use CertificateError as C;
    match c {
        C::UnknownIssuer => format!(
            "the server's certificate is not signed by {trusted} (unknown issuer){}",
            if trusted.contains("system") {
                "; give its CA as caCertificate"
            } else {
                ""
            }
        ),
        C::NotValidForName => {
            format!("the server's certificate is not valid for the host name {host}")
        }
        C::NotValidForNameContext { presented, .. } => format!(
            "the server's certificate is not valid for the host name {host} (it names {})",
            if presented.is_empty() {
                "no host".to_owned()
            } else {
                presented
                    .iter()
                    .map(|n| plain_name(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        C::Expired | C::ExpiredContext { .. } => {
            format!("the server's certificate has expired ({c})")
        }
        C::NotValidYet | C::NotValidYetContext { .. } => {
            format!("the server's certificate is not valid yet ({c})")
        }
        C::Revoked => "the server's certificate is revoked".into(),
        C::BadSignature => "the server's certificate has a bad signature".into(),
        C::BadEncoding => "the server's certificate cannot be parsed".into(),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "the server's certificate is not for TLS server authentication".into()
        }
        other => format!("the server's certificate was refused ({other})"),
    }
}

/// `DnsName("a.example")` and `IpAddress(192.0.2.1)`, as rustls lists a certificate's
/// names, without the wrapping.
fn plain_name(presented: &str) -> &str {
    presented
        .strip_prefix("DnsName(\"")
        .and_then(|n| n.strip_suffix("\")"))
        .or_else(|| {
            presented
                .strip_prefix("IpAddress(")
                .and_then(|n| n.strip_suffix(')'))
        })
        .unwrap_or(presented)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_that_cannot_be_used() {
        let junk = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0+/\nTUlJQg==\n-----END CERTIFICATE-----\n";
        let err = trust(Some(junk)).err().unwrap();
        assert!(err.contains("certificate 1 is not a usable X.509"), "{err}");
        assert!(trust(Some("no pem here")).err().unwrap().contains("no PEM"));
        assert_eq!(trust(None).ok().unwrap().source, "the system's trusted CAs");
        assert_eq!(
            trust(Some("  ")).ok().unwrap().source,
            "the system's trusted CAs"
        );
    }

    #[test]
    fn problems_in_words() {
        let e = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        assert_eq!(
            describe(&e, "h", "the given caCertificate"),
            "TLS: the server's certificate is not signed by the given caCertificate (unknown issuer)"
        );
        let e = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert!(describe(&e, "ldap.example.com", "x")
            .contains("not valid for the host name ldap.example.com"));
        assert_eq!(plain_name("DnsName(\"a.example\")"), "a.example");
        assert_eq!(plain_name("IpAddress(192.0.2.1)"), "192.0.2.1");
        assert_eq!(plain_name("DirectoryName"), "DirectoryName");
    }
}
