//! `--ldap-verify real`: Atlas's checks run against the directory itself, with ldap3 over
//! LDAPS (TLS from the first byte), each network step bounded by a timeout, and a reason
//! in plain words for every failure. No reason ever contains the bind password.

use std::time::Duration;

use atlas_ldap::model::{LdapVerifyParams, ValidationType as V};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, LdapResult, SearchEntry, StdStream};
use tokio::time::timeout;

use crate::authz_query::{self, Query};
use crate::ldap_tls;
use crate::verify::{Checks, Outcome};

/// The most entries a QUERY_SERVER search asks for: enough to show, never a whole tree.
const SIZE_LIMIT: i32 = 50;
/// How many entries a passed QUERY_SERVER names.
const SHOWN: usize = 5;

/// Runs the checks in Atlas's order, stopping at the first failure; `limit` bounds each
/// network step (DNS lookup, TCP connect, TLS handshake, bind, search).
pub async fn run(params: &LdapVerifyParams, limit: Duration) -> Outcome {
    let mut checks = Checks::default();
    let host = params.hostname.trim();
    if host.is_empty() {
        return checks.fail(V::ServerSpecified, "no hostname was given");
    }
    checks.pass(V::ServerSpecified, None);
    let (mut ldap, connected) =
        match connect(host, params.port, params.ca_certificate.as_deref(), limit).await {
            Ok(done) => done,
            Err(reason) => return checks.fail(V::Connect, reason),
        };
    checks.pass(V::Connect, Some(connected));
    let outcome = session(&mut ldap, params, limit, checks).await;
    // A polite unbind; the connection is closed either way when `ldap` is dropped.
    let _ = timeout(limit.min(Duration::from_secs(1)), ldap.unbind()).await;
    outcome
}

/// AUTHENTICATE and, with a template, the authorization checks, on a connected `ldap`.
async fn session(
    ldap: &mut Ldap,
    params: &LdapVerifyParams,
    limit: Duration,
    mut checks: Checks,
) -> Outcome {
    let dn = params.bind_username.as_str();
    let password = params.bind_password.expose();
    if password.is_empty() {
        return checks.fail(
            V::Authenticate,
            "the bind password is empty: that would be an unauthenticated bind, which proves nothing",
        );
    }
    let bind = match timeout(limit, ldap.simple_bind(dn, password)).await {
        Err(_) => Err(timed_out("the bind", limit)),
        Ok(Err(e)) => Err(ldap_failure("the bind", &e, password)),
        Ok(Ok(res)) if res.rc == 0 => Ok(()),
        Ok(Ok(res)) => Err(bind_refused(&res, dn, password)),
    };
    if let Err(reason) = bind {
        return checks.fail(V::Authenticate, reason);
    }
    checks.pass(V::Authenticate, None);
    let Some(template) = &params.authz_query_template else {
        return checks.succeed();
    };
    checks.pass(V::AuthorizationEnabled, None);
    let query = match authz_query::parse(template, dn) {
        Ok(q) => q,
        Err(reason) => return checks.fail(V::ParseAuthzQueryTemplate, reason),
    };
    checks.pass(V::ParseAuthzQueryTemplate, Some(query.describe()));
    match search(ldap, &query, limit, password).await {
        Ok(found) => {
            checks.pass(V::QueryServer, Some(found));
            checks.succeed()
        }
        Err(reason) => checks.fail(V::QueryServer, reason),
    }
}

/// DNS lookup, TCP connect, TLS handshake; on success, what was verified.
async fn connect(
    host: &str,
    port: u16,
    ca: Option<&str>,
    limit: Duration,
) -> Result<(Ldap, String), String> {
    let trust = ldap_tls::trust(ca)?;
    if host.contains(':') {
        return Err(format!(
            "{host} is an IPv6 address literal, which the LDAP client (ldap3) cannot check a \
             certificate for; use a host name"
        ));
    }
    let url = url::Url::parse(&format!("ldaps://{host}:{port}"))
        .ok()
        .filter(|u| u.host_str().is_some_and(|h| h.eq_ignore_ascii_case(host)))
        .ok_or_else(|| format!("{host:?} is not a host name or IP address"))?;
    let addrs: Vec<_> = match timeout(limit, tokio::net::lookup_host((host, port))).await {
        Err(_) => return Err(timed_out(&format!("the DNS lookup of {host}"), limit)),
        Ok(Err(e)) => return Err(format!("the host name {host} cannot be resolved ({e})")),
        Ok(Ok(addrs)) => addrs.collect(),
    };
    let tcp = match timeout(limit, tokio::net::TcpStream::connect(&addrs[..])).await {
        Err(_) => {
            return Err(timed_out(
                &format!("the TCP connection to {host}:{port}"),
                limit,
            ))
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err(format!(
                "connection refused: nothing listens on {host}:{port}"
            ))
        }
        Ok(Err(e)) => return Err(format!("no TCP connection to {host}:{port} ({e})")),
        Ok(Ok(tcp)) => tcp,
    };
    // Small requests and answers: without this, Nagle and delayed ACKs add ~40 ms a step.
    let _ = tcp.set_nodelay(true);
    // The address reached, when the name alone does not say it.
    let peer = match tcp.peer_addr() {
        Ok(a) if a.ip().to_string() != host => format!(" ({a})"),
        _ => String::new(),
    };
    let std_tcp = tcp
        .into_std()
        .map_err(|e| format!("the TCP connection cannot be handed over ({e})"))?;
    let settings = LdapConnSettings::new()
        .set_config(trust.config.clone())
        .set_std_stream(StdStream::Tcp(std_tcp));
    match timeout(limit, LdapConnAsync::from_url_with_settings(settings, &url)).await {
        Err(_) => Err(
            timed_out(&format!("the TLS handshake with {host}:{port}"), limit)
                + "; is this an LDAPS port?",
        ),
        Ok(Err(e)) => Err(handshake_failure(&e, host, trust.source)),
        Ok(Ok((conn, ldap))) => {
            ldap3::drive!(conn);
            Ok((
                ldap,
                format!(
                    "LDAPS to {host}:{port}{peer}; its certificate chains to {} and is valid for {host}",
                    trust.source
                ),
            ))
        }
    }
}

/// The search of a parsed template; on success, what it found.
async fn search(
    ldap: &mut Ldap,
    query: &Query,
    limit: Duration,
    password: &str,
) -> Result<String, String> {
    let options = ldap3::SearchOptions::new().sizelimit(SIZE_LIMIT);
    let attrs: Vec<&str> = query.attrs.iter().map(String::as_str).collect();
    let result = timeout(
        limit,
        ldap.with_search_options(options)
            .search(&query.base, query.scope, &query.filter, attrs),
    )
    .await;
    let ldap3::SearchResult(entries, res) = match result {
        Err(_) => return Err(timed_out("the search", limit)),
        Ok(Err(e)) => return Err(ldap_failure("the search", &e, password)),
        Ok(Ok(r)) => r,
    };
    let more = match res.rc {
        0 => "",
        4 => " or more (the size limit was reached)",
        32 => {
            let mut reason = format!(
                "no such object (LDAP result 32): the search base \"{}\" does not exist",
                query.base
            );
            if !res.matched.is_empty() {
                reason += &format!("; the nearest existing entry is \"{}\"", res.matched);
            }
            return Err(reason);
        }
        _ => {
            return Err(format!(
                "the search failed: {}",
                result_words(&res, password)
            ))
        }
    };
    let dns: Vec<String> = entries
        .into_iter()
        .take(SHOWN)
        .map(|e| SearchEntry::construct(e).dn)
        .collect();
    let count = dns.len();
    Ok(match count {
        0 => "the search ran and found no entry".into(),
        _ => format!(
            "the search found {}{more}: {}",
            plural(count, "entry", "entries"),
            dns.join("; ")
        ),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn timed_out(step: &str, limit: Duration) -> String {
    format!(
        "timeout: {step} did not finish within {} s",
        limit.as_secs_f64()
    )
}

fn handshake_failure(e: &LdapError, host: &str, trusted: &str) -> String {
    match e {
        LdapError::Rustls { source } => ldap_tls::describe(source, host, trusted),
        LdapError::Io { source } => {
            match source.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                Some(tls) => ldap_tls::describe(tls, host, trusted),
                None if source.kind() == std::io::ErrorKind::UnexpectedEof
                    || source.kind() == std::io::ErrorKind::ConnectionReset =>
                {
                    "TLS: the server closed the connection during the handshake; is this an LDAPS port?".into()
                }
                None => format!("TLS handshake failed ({source})"),
            }
        }
        LdapError::DNSName { .. } => format!("{host} is not a name a TLS certificate can carry"),
        other => format!("TLS handshake failed ({other})"),
    }
}

/// A failure below the LDAP protocol (the connection broke, the answer was not LDAP).
fn ldap_failure(step: &str, e: &LdapError, password: &str) -> String {
    match e {
        LdapError::LdapResult { result } => {
            format!("{step} failed: {}", result_words(result, password))
        }
        LdapError::FilterParsing => format!("{step} failed: the filter is not valid"),
        LdapError::ResultRecv { .. } | LdapError::OpSend { .. } | LdapError::EndOfStream => {
            format!("the server closed the connection during {step}")
        }
        other => scrub(&format!("{step} failed ({other})"), password),
    }
}

fn bind_refused(res: &LdapResult, dn: &str, password: &str) -> String {
    match res.rc {
        49 => format!(
            "invalid credentials (LDAP result 49): the server refused the password of \"{dn}\" \
             (a wrong password, or no such bind user)"
        ),
        _ => format!(
            "the bind as \"{dn}\" was refused: {}",
            result_words(res, password)
        ),
    }
}

/// An LDAP result code in words, with the server's own message when it has one.
fn result_words(res: &LdapResult, password: &str) -> String {
    let words = match res.rc {
        1 => "operations error",
        2 => "protocol error",
        3 => "time limit exceeded",
        7 => "authentication method not supported",
        8 => "stronger authentication required",
        10 => "referral",
        11 => "administrative limit exceeded",
        13 => "confidentiality required",
        16 => "no such attribute",
        17 => "undefined attribute type",
        18 => "inappropriate matching",
        32 => "no such object",
        34 => "invalid DN syntax",
        48 => "inappropriate authentication",
        49 => "invalid credentials",
        50 => "insufficient access rights",
        51 => "the server is busy",
        52 => "the server is unavailable",
        53 => "the server is unwilling to perform it",
        80 => "other error",
        _ => "error",
    };
    let mut text = format!("{words} (LDAP result {})", res.rc);
    let said = scrub(res.text.trim(), password);
    if !said.is_empty() {
        text += &format!(": the server says \"{said}\"");
    }
    if res.rc == 10 && !res.refs.is_empty() {
        text += &format!(" to {}", res.refs.join(", "));
    }
    text
}

/// Text from the server, with the password taken out should it ever appear; with a
/// password too short to take out safely, the text is left out altogether.
fn scrub(text: &str, password: &str) -> String {
    if password.is_empty() || !text.contains(password) {
        text.to_owned()
    } else if password.chars().count() < 4 {
        String::new()
    } else {
        text.replace(password, "[password]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_ldap::model::{JobStatus, Secret};

    fn params(port: u16) -> LdapVerifyParams {
        LdapVerifyParams {
            authz_query_template: None,
            bind_password: Secret::new("s3cret-pw"),
            bind_username: "cn=bind,dc=example,dc=com".into(),
            ca_certificate: None,
            hostname: "127.0.0.1".into(),
            port,
            links: None,
        }
    }

    fn last_reason(o: &Outcome) -> String {
        o.checks.last().unwrap().reason.clone().unwrap_or_default()
    }

    /// A listener that accepts TCP but never speaks: the TLS handshake must time out, and
    /// the reason must name that step.
    #[tokio::test]
    async fn a_silent_server_times_out_naming_the_handshake() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let started = std::time::Instant::now();
        let o = run(&params(port), Duration::from_millis(300)).await;
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(o.status, JobStatus::Failed);
        assert_eq!(o.checks.len(), 2);
        assert_eq!(
            last_reason(&o),
            format!("timeout: the TLS handshake with 127.0.0.1:{port} did not finish within 0.3 s; is this an LDAPS port?")
        );
        drop(listener);
    }

    #[tokio::test]
    async fn hosts_that_cannot_be_used() {
        let mut p = params(636);
        p.hostname = "a@b".into();
        assert!(last_reason(&run(&p, Duration::from_secs(1)).await).contains("not a host name"));
        p.hostname = "::1".into();
        assert!(last_reason(&run(&p, Duration::from_secs(1)).await).contains("IPv6"));
        p.hostname = " ".into();
        let o = run(&p, Duration::from_secs(1)).await;
        assert_eq!(o.checks.len(), 1);
        assert_eq!(last_reason(&o), "no hostname was given");
    }

    #[test]
    fn server_text_never_carries_the_password() {
        assert_eq!(
            scrub("bad pw s3cret-pw here", "s3cret-pw"),
            "bad pw [password] here"
        );
        assert_eq!(scrub("contains abc", "abc"), "");
        assert_eq!(scrub("fine", "abc"), "fine");
        let res = LdapResult {
            rc: 49,
            matched: String::new(),
            text: "pw s3cret-pw".into(),
            refs: vec![],
            ctrls: vec![],
        };
        assert!(!result_words(&res, "s3cret-pw").contains("s3cret"));
    }
}
