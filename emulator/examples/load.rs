//! A bounded load run against a local atlas-emulator.
//!
//! ```sh
//! cargo build --release -p atlas-emulator --examples
//! target/release/atlas-emulator --port 8080 --verify-delay-ms 100 &
//! target/release/examples/load --port 8080 --clients 32 --seconds 10 --pid $!
//! ```
//!
//! Each client keeps one HTTP/1.1 connection to 127.0.0.1 (never any other host) and sends
//! `GET …/userSecurity` with the bearer token; every `--patch-every`-th request is a `PATCH`
//! that sets `ldap.hostname`. A client stops at the deadline or after `--max-per-client`
//! requests, whichever comes first. Prints requests/second, latency percentiles, errors by
//! kind, and, with `--pid`, the emulator's VmRSS before and after.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;

struct Opts {
    port: u16,
    clients: usize,
    seconds: u64,
    token: String,
    group: String,
    patch_every: u64,
    max_per_client: u64,
    pid: Option<u32>,
}

fn parse() -> Result<Opts, String> {
    let mut o = Opts {
        port: 8080,
        clients: 32,
        seconds: 10,
        token: "demo-access-token".into(),
        group: "32b6e34b3d91647abb20e7b8".into(),
        patch_every: 10,
        max_per_client: 2_000_000,
        pid: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--port" => o.port = num(value()?)? as u16,
            "--clients" => o.clients = num(value()?)? as usize,
            "--seconds" => o.seconds = num(value()?)?,
            "--token" => o.token = value()?,
            "--group" => o.group = value()?,
            "--patch-every" => o.patch_every = num(value()?)?,
            "--max-per-client" => o.max_per_client = num(value()?)?,
            "--pid" => o.pid = Some(num(value()?)? as u32),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if !(1..=256).contains(&o.clients) || !(1..=60).contains(&o.seconds) || o.max_per_client == 0 {
        return Err("--clients must be 1..=256, --seconds 1..=60, --max-per-client > 0".into());
    }
    Ok(o)
}

#[derive(Default)]
struct Tally {
    ok: u64,
    gets: u64,
    patches: u64,
    bad_status: u64,
    io_errors: u64,
    latencies_us: Vec<u32>,
}

async fn client(o: &Opts, id: usize, deadline: Instant) -> Tally {
    let mut t = Tally::default();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], o.port));
    let path = format!("/api/atlas/v2/groups/{}/userSecurity", o.group);
    let host = format!("127.0.0.1:{}", o.port);
    let auth = format!("Bearer {}", o.token);
    let patch_body = Bytes::from(format!(
        r#"{{"ldap":{{"hostname":"ldap{id}.example.com"}}}}"#
    ));
    let mut sender = None;
    let mut n: u64 = 0;
    while n < o.max_per_client && Instant::now() < deadline {
        n += 1;
        if sender.is_none() {
            let Ok(stream) = tokio::net::TcpStream::connect(addr).await else {
                t.io_errors += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            match hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
                .await
            {
                Ok((s, conn)) => {
                    tokio::spawn(conn);
                    sender = Some(s);
                }
                Err(_) => {
                    t.io_errors += 1;
                    continue;
                }
            }
        }
        let s = sender.as_mut().expect("connected");
        let patch = o.patch_every > 0 && n.is_multiple_of(o.patch_every);
        let req = Request::builder()
            .method(if patch { Method::PATCH } else { Method::GET })
            .uri(&path)
            .header("host", &host)
            .header("authorization", &auth)
            .header("accept", "application/vnd.atlas.2023-01-01+json");
        let req = if patch {
            req.header("content-type", "application/vnd.atlas.2023-01-01+json")
                .body(Full::new(patch_body.clone()))
        } else {
            req.body(Full::new(Bytes::new()))
        }
        .expect("a request");
        let start = Instant::now();
        let result = async {
            s.ready().await?;
            let resp = s.send_request(req).await?;
            let status = resp.status();
            resp.into_body().collect().await?;
            Ok::<_, hyper::Error>(status)
        }
        .await;
        t.latencies_us
            .push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
        match result {
            Ok(status) if status.as_u16() == if patch { 202 } else { 200 } => {
                t.ok += 1;
                if patch {
                    t.patches += 1
                } else {
                    t.gets += 1
                }
            }
            Ok(_) => t.bad_status += 1,
            Err(_) => {
                t.io_errors += 1;
                sender = None;
            }
        }
    }
    t
}

fn vm_rss(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l["VmRSS:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::main]
async fn main() {
    let o = match parse() {
        Ok(o) => std::sync::Arc::new(o),
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    if let Some(pid) = o.pid {
        println!("emulator VmRSS at start: {}", vm_rss(pid));
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(o.seconds);
    let tasks: Vec<_> = (0..o.clients)
        .map(|id| {
            let o = o.clone();
            tokio::spawn(async move { client(&o, id, deadline).await })
        })
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.expect("a client task");
        all.ok += t.ok;
        all.gets += t.gets;
        all.patches += t.patches;
        all.bad_status += t.bad_status;
        all.io_errors += t.io_errors;
        all.latencies_us.extend(t.latencies_us);
    }
    let secs = started.elapsed().as_secs_f64();
    let total = all.ok + all.bad_status + all.io_errors;
    all.latencies_us.sort_unstable();
    let pct = |p: f64| {
        let l = &all.latencies_us;
        if l.is_empty() {
            0.0
        } else {
            l[((l.len() - 1) as f64 * p) as usize] as f64 / 1000.0
        }
    };
    println!(
        "clients {}, {:.2} s, requests {total} ({} GET, {} PATCH ok)",
        o.clients, secs, all.gets, all.patches
    );
    println!("throughput {:.0} requests/s", total as f64 / secs);
    println!(
        "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "errors: {} (unexpected status {}, connection {})",
        all.bad_status + all.io_errors,
        all.bad_status,
        all.io_errors
    );
    if let Some(pid) = o.pid {
        println!("emulator VmRSS at end: {}", vm_rss(pid));
    }
    if all.bad_status + all.io_errors > 0 {
        std::process::exit(1);
    }
}
