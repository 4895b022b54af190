//! `atlas-emulator`: a local, stateful emulator of the Atlas Administration API's LDAP,
//! X.509 and project-role operations. See `README.md` beside this crate and `--help`.

mod app;
mod auth;
mod authz_query;
mod body_check;
mod bucket;
mod cli;
mod client_lockout;
mod connection;
mod digest_nonces;
mod faults;
mod ldap_check;
mod ldap_tls;
mod media;
mod merge;
mod origin;
mod reply;
mod routes;
mod static_encoding;
mod static_files;
mod store;
mod upstream;
mod util;
mod verify;
mod verify_debug;
mod verify_rules;

use std::io::Write;
use std::sync::Arc;

use crate::app::App;
use crate::cli::{Command, Config};

fn main() {
    let cfg = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(cfg)) => cfg,
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return;
        }
        Ok(Command::Version) => {
            println!("atlas-emulator {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Err(e) => {
            eprintln!("atlas-emulator: {e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Err(e) = runtime.block_on(serve(*cfg)) {
        eprintln!("atlas-emulator: {e}");
        std::process::exit(1);
    }
}

async fn serve(cfg: Config) -> Result<(), String> {
    let app = Arc::new(App::new(&cfg)?);
    let listener = tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    banner(&cfg, &app, addr);
    connection::accept_loop(listener, cfg.limits, app).await;
    Ok(())
}

fn banner(cfg: &Config, app: &App, addr: std::net::SocketAddr) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on http://{addr}");
    match &cfg.upstream {
        Some(url) => {
            let _ = writeln!(out, "forwarding /api/* to {url}");
        }
        None => {
            let _ = writeln!(out, "projects: {}", app.store.project_ids().join(", "));
        }
    }
    if !cfg.cors_origins.is_empty() {
        let _ = writeln!(
            out,
            "pages allowed across origins: {}",
            cfg.cors_origins.join(", ")
        );
    }
    if cfg.demo_credentials {
        let _ = writeln!(out, "demo credentials (pass --access-token, --service-account or --api-key to use your own):");
        let _ = writeln!(out, "  bearer token:    {}", cli::DEMO_TOKEN);
        let _ = writeln!(
            out,
            "  service account: {}:{}",
            cli::DEMO_CLIENT.0,
            cli::DEMO_CLIENT.1
        );
        let _ = writeln!(
            out,
            "  API key:         {}:{}",
            cli::DEMO_KEY.0,
            cli::DEMO_KEY.1
        );
    } else {
        let c = &cfg.creds;
        let _ = writeln!(
            out,
            "credentials: {} access token(s), service account(s) [{}], API key(s) [{}]",
            c.access_tokens.len(),
            c.service_accounts
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            c.api_keys
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(dir) = &cfg.www {
        let _ = writeln!(out, "console: http://{addr}/ from {}", dir.display());
    }
    if let Some(dir) = &cfg.pkg {
        let _ = writeln!(out, "package: http://{addr}/pkg/ from {}", dir.display());
    }
    let _ = out.flush();
}
