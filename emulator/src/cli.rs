//! Command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::Credentials;
use crate::connection::ConnectionLimits;
use crate::faults::FaultRule;

pub const HELP: &str = "\
atlas-emulator: a local, stateful Atlas Administration API for the LDAP, X.509 and
project-role operations, for trying settings and scripts offline.

USAGE:
    atlas-emulator [FLAGS]

SERVER:
    --host ADDR              address to bind (default 127.0.0.1)
    --port PORT              port to bind; 0 picks a free one (default 8080). The bound
                             address is printed as `listening on http://ADDR:PORT`
    --state FILE             keep the projects in FILE across restarts (atomic writes)
    --project ID             a project (24 hex digits) to serve; repeatable. Without any,
                             the demo project 32b6e34b3d91647abb20e7b8 is created
    --verify-delay-ms MS     how long an LDAP verification stays PENDING (default 1500;
                             rules mode only)
    --ldap-verify rules|real how verifications decide: by rules on the input (default), or
                             by connecting to the real directory over LDAPS. Reasons:
                             GET /__emulator/verify/REQUEST_ID (with the API's credentials)
    --max-body-bytes N       largest request body accepted (default 1048576)
    --max-connections N      connections served at once (default 512; fewer when the
                             open-file limit is lower); more wait to be accepted
    --head-timeout-ms MS     close a connection that sends no complete request head within
                             MS of opening or of starting a request (default 10000)
    --idle-timeout-ms MS     close a keep-alive connection idle for MS (default 60000)
    --cors-origin ORIGIN     let pages of ORIGIN (e.g. http://localhost:5173) call the API
                             across origins; repeatable; * allows every origin. Without
                             it no page of another origin may call the emulator

CREDENTIALS (without any of these, demo credentials are created and printed):
    --access-token TOKEN     a static bearer token to accept; repeatable
    --service-account ID:SECRET
                             an OAuth client for POST /api/oauth/token; repeatable
    --api-key PUBLIC:PRIVATE an API key for HTTP Digest; repeatable
    --token-ttl SECS         lifetime of issued access tokens (default 3600)

FAULTS (off by default):
    --rate-limit N           allow N API requests per minute, then answer 429 + Retry-After
    --latency-ms MS          delay every API request by MS
    --fail \"METHOD PATH STATUS|drop [COUNT|*]\"
                             make matching API requests fail; repeatable. PATH matches as
                             a substring of the request path (a trailing $ anchors it at
                             the end), METHOD may be *, COUNT defaults to 1, * = always.
                             Example: --fail \"GET /userSecurity$ 503 2\"
                             Faults can also be programmed at run time: POST /__emulator/faults

CONSOLE:
    --www DIR                serve DIR at / (the web console)
    --pkg DIR                serve DIR at /pkg/ (the npm package)
    --upstream URL           forward /api/* to URL (e.g. https://cloud.mongodb.com)
                             instead of emulating it; no user:password@ in URL
    --upstream-timeout-ms MS how long to wait for the upstream's answer (default 30000)

    -h, --help               print this help
    -V, --version            print the version
";

#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub state: Option<PathBuf>,
    pub projects: Vec<String>,
    pub verify_delay: Duration,
    pub ldap_verify: crate::verify::Mode,
    pub max_body_bytes: usize,
    pub creds: Credentials,
    pub token_ttl: Duration,
    pub rate_limit: Option<u32>,
    pub latency: Duration,
    pub faults: Vec<FaultRule>,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
    pub upstream: Option<String>,
    /// Whether the demo credentials were added because none were given.
    pub demo_credentials: bool,
    pub limits: ConnectionLimits,
    /// `--cors-origin` values, normalized (`*` for any).
    pub cors_origins: Vec<String>,
    pub upstream_timeout: Duration,
}

pub const DEMO_TOKEN: &str = "demo-access-token";
pub const DEMO_CLIENT: (&str, &str) = ("mdb_sa_id_demo", "mdb_sa_sk_demo");
pub const DEMO_KEY: (&str, &str) = ("demopublickey", "demo-private-key");

/// What the command line asks for.
pub enum Command {
    Run(Box<Config>),
    Help,
    Version,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut cfg = Config {
        host: "127.0.0.1".into(),
        port: 8080,
        state: None,
        projects: Vec::new(),
        verify_delay: Duration::from_millis(1500),
        ldap_verify: crate::verify::Mode::Rules,
        max_body_bytes: 1 << 20,
        creds: Credentials::default(),
        token_ttl: Duration::from_secs(3600),
        rate_limit: None,
        latency: Duration::ZERO,
        faults: Vec::new(),
        www: None,
        pkg: None,
        upstream: None,
        demo_credentials: false,
        limits: ConnectionLimits::default(),
        cors_origins: Vec::new(),
        upstream_timeout: Duration::from_secs(30),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        fn number<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String> {
            v.parse()
                .map_err(|_| format!("{name}: {v:?} is not a valid number"))
        }
        fn millis(name: &str, v: String) -> Result<Duration, String> {
            number(name, v).map(Duration::from_millis)
        }
        fn pair(name: &str, v: String) -> Result<(String, String), String> {
            match v.split_once(':') {
                Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_owned(), b.to_owned())),
                _ => Err(format!("{name} expects ID:SECRET")),
            }
        }
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--host" => cfg.host = value("--host")?,
            "--port" => cfg.port = number("--port", value("--port")?)?,
            "--state" => cfg.state = Some(PathBuf::from(value("--state")?)),
            "--project" => {
                let id = value("--project")?;
                if !atlas_ldap::validate::is_id(&id) {
                    return Err(format!("--project: {id:?} is not 24 lowercase hex digits"));
                }
                cfg.projects.push(id);
            }
            "--verify-delay-ms" => {
                cfg.verify_delay =
                    Duration::from_millis(number("--verify-delay-ms", value("--verify-delay-ms")?)?)
            }
            "--max-body-bytes" => {
                cfg.max_body_bytes = number("--max-body-bytes", value("--max-body-bytes")?)?
            }
            "--access-token" => cfg.creds.access_tokens.push(value("--access-token")?),
            "--service-account" => cfg
                .creds
                .service_accounts
                .push(pair("--service-account", value("--service-account")?)?),
            "--api-key" => cfg
                .creds
                .api_keys
                .push(pair("--api-key", value("--api-key")?)?),
            "--token-ttl" => {
                cfg.token_ttl = Duration::from_secs(number("--token-ttl", value("--token-ttl")?)?)
            }
            "--rate-limit" => {
                let n: u32 = number("--rate-limit", value("--rate-limit")?)?;
                if n == 0 {
                    return Err("--rate-limit must be at least 1".into());
                }
                cfg.rate_limit = Some(n);
            }
            "--latency-ms" => {
                cfg.latency = Duration::from_millis(number("--latency-ms", value("--latency-ms")?)?)
            }
            "--fail" => cfg.faults.push(FaultRule::parse_flag(&value("--fail")?)?),
            "--www" => cfg.www = Some(PathBuf::from(value("--www")?)),
            "--pkg" => cfg.pkg = Some(PathBuf::from(value("--pkg")?)),
            "--upstream" => cfg.upstream = Some(value("--upstream")?),
            "--ldap-verify" => {
                cfg.ldap_verify = crate::verify::Mode::parse(&value("--ldap-verify")?)?
            }
            "--upstream-timeout-ms" => cfg.upstream_timeout = millis(&flag, value(&flag)?)?,
            "--max-connections" => match number(&flag, value(&flag)?)? {
                0 => return Err("--max-connections must be at least 1".into()),
                n => cfg.limits.max_connections = n,
            },
            "--head-timeout-ms" => cfg.limits.head_timeout = millis(&flag, value(&flag)?)?,
            "--idle-timeout-ms" => cfg.limits.idle_timeout = millis(&flag, value(&flag)?)?,
            "--cors-origin" => cfg
                .cors_origins
                .push(crate::origin::parse_origin(&value(&flag)?)?),
            other => return Err(format!("unknown flag {other:?}; see --help")),
        }
    }
    let c = &mut cfg.creds;
    if c.access_tokens.is_empty() && c.service_accounts.is_empty() && c.api_keys.is_empty() {
        c.access_tokens.push(DEMO_TOKEN.into());
        c.service_accounts
            .push((DEMO_CLIENT.0.into(), DEMO_CLIENT.1.into()));
        c.api_keys.push((DEMO_KEY.0.into(), DEMO_KEY.1.into()));
        cfg.demo_credentials = true;
    }
    Ok(Command::Run(Box::new(cfg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Command::Run(c) => Ok(*c),
            _ => Err("not run".into()),
        }
    }

    #[test]
    fn flags() {
        let c = run(&[
            "--port",
            "0",
            "--project=32b6e34b3d91647abb20e7b8",
            "--api-key",
            "p:k",
            "--fail",
            "GET /x drop",
            "--cors-origin",
            "http://localhost:5173/",
            "--head-timeout-ms=250",
        ])
        .unwrap();
        assert_eq!(c.port, 0);
        assert_eq!(c.projects.len(), 1);
        assert!(!c.demo_credentials);
        assert_eq!(c.faults.len(), 1);
        assert_eq!(c.cors_origins, ["http://localhost:5173"]);
        assert_eq!(c.limits.head_timeout, Duration::from_millis(250));
        assert!(run(&["--cors-origin", "localhost"]).is_err());
        assert!(run(&["--max-connections", "0"]).is_err());
        assert!(run(&[]).unwrap().demo_credentials);
        assert_eq!(
            run(&["--ldap-verify=real"]).unwrap().ldap_verify,
            crate::verify::Mode::Real
        );
        assert!(run(&["--ldap-verify", "maybe"]).is_err());
        assert!(run(&["--project", "nope"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--port"]).is_err());
        assert!(run(&["--service-account", "nocolon"]).is_err());
    }
}
