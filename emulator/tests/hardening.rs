//! Regressions of the attacks the emulator once failed (issue 14), one test per item:
//! cross-origin pages, slow connections, upstream credentials, the state file's temporary
//! file, unsaved changes, `envelope`/`pretty` values, the console token, static-file
//! links, Digest replay and OAuth secret guessing.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

fn us() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/userSecurity")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-emu-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn control(emu: &Emulator, method: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    let mut h: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if body.is_some() {
        h.push(("Content-Type".into(), "text/plain".into()));
    }
    try_send(
        &emu.addr,
        method,
        "/__emulator/faults",
        &h,
        body.map(str::as_bytes),
    )
    .unwrap()
}

#[test]
fn pages_of_other_origins_cannot_drive_the_emulator() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    let evil = [("Origin", "https://evil.example")];
    // The form post that once installed "drop every request".
    let drop_all = r#"{"path":"*","drop":true,"always":true}"#;
    let r = control(&emu, "POST", &evil, Some(drop_all));
    assert_api_error(&spec, &r, 403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(control(&emu, "GET", &[], None).json(), json!([]));
    assert_eq!(emu.req("GET", &us()).send().status, 200);
    // No CORS for anyone by default: API answers, preflights and foreign posts.
    let r = emu
        .req("GET", &us())
        .header("Origin", "https://evil.example")
        .send();
    assert_api_error(&spec, &r, 403);
    let r = emu
        .req("OPTIONS", &us())
        .no_auth()
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PATCH")
        .send();
    assert_eq!(r.status, 403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(
        emu.req("GET", &us())
            .send()
            .header("access-control-allow-origin"),
        None
    );
    let r = emu
        .req("POST", "/api/oauth/token")
        .no_auth()
        .header("Origin", "https://evil.example")
        .raw(
            b"grant_type=client_credentials&client_id=mdb_sa_id_demo&client_secret=x".to_vec(),
            "application/x-www-form-urlencoded",
        )
        .send();
    assert_eq!(r.status, 403, "a foreign form post reaches nothing");
    // The emulator's own pages (the console) may program faults; a foreign Host may not.
    let own = format!("http://{}", emu.addr);
    let r = control(&emu, "POST", &[("Origin", &own)], Some(r#"{"status":503}"#));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        control(&emu, "DELETE", &[("Origin", &own)], None).status,
        200
    );
    for host in ["evil.example:80", "10.0.0.5:8080", "0.0.0.0:8080"] {
        let r = control(&emu, "GET", &[("Host", host)], None);
        assert_eq!(r.status, 403, "{host}");
        let spoofed = format!("http://{host}");
        let r = control(
            &emu,
            "POST",
            &[("Host", host), ("Origin", &spoofed)],
            Some(drop_all),
        );
        assert_eq!(
            r.status, 403,
            "a rebinding page posing as this origin: {host}"
        );
    }
    // The pending rules are capped: 200,000 of them made every request 60x slower.
    let rule = json!({"path": "/nothing-matches", "status": 500});
    let many = |n: usize| serde_json::to_string(&vec![rule.clone(); n]).unwrap();
    let r = control(&emu, "POST", &[], Some(&many(1001)));
    assert_api_error(&spec, &r, 400);
    assert_eq!(control(&emu, "POST", &[], Some(&many(1000))).status, 201);
    assert_eq!(control(&emu, "POST", &[], Some(&many(1))).status, 400);
    assert_eq!(
        control(&emu, "GET", &[], None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1000
    );
    assert_eq!(emu.req("GET", &us()).send().status, 200);

    // --cors-origin lets the named origins in, and only them.
    let emu = Emulator::start(&[
        "--cors-origin",
        "http://localhost:5173",
        "--cors-origin",
        "https://app.example:8443/",
    ]);
    let preflight = |origin: &str| {
        emu.req("OPTIONS", &us())
            .no_auth()
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "PATCH")
            .send()
    };
    let r = preflight("http://localhost:5173");
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(r.header("vary"), Some("Origin"));
    assert_eq!(preflight("https://evil.example").status, 403);
    let r = emu
        .req("GET", &us())
        .header("Origin", "https://app.example:8443")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example:8443")
    );
    let r = control(
        &emu,
        "POST",
        &[("Origin", "http://localhost:5173")],
        Some(r#"{"status":503}"#),
    );
    assert_eq!(r.status, 201, "a listed origin may program faults");

    // `*` opens the API to every origin, never the control endpoints.
    let emu = Emulator::start(&["--cors-origin", "*"]);
    let r = emu
        .req("GET", &us())
        .header("Origin", "https://anyone.example")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(control(&emu, "POST", &evil, Some(drop_all)).status, 403);
}

/// Reads one response with a `Content-Length` body from a keep-alive connection.
fn read_response(stream: &mut TcpStream) -> std::io::Result<(u16, Vec<u8>)> {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body)?;
    Ok((status, body))
}

/// Whether the server closed `stream` within `within` (reading nothing).
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn slow_and_silent_connections_are_closed() {
    let emu = Emulator::start_with_file_limit(
        64,
        &["--head-timeout-ms", "400", "--idle-timeout-ms", "1200"],
    );
    // More silent connections than the process has descriptors.
    let mut silent: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(&emu.addr).unwrap())
        .collect();
    let start = Instant::now();
    let r = emu.req("GET", "/__emulator/health").send();
    assert_eq!(r.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    for (i, s) in silent.iter_mut().enumerate() {
        assert!(
            closed_within(s, Duration::from_secs(5)),
            "silent connection {i}"
        );
    }
    assert!(
        emu.stderr().contains("at most 32 connections"),
        "{}",
        emu.stderr()
    );

    // A head trickled a byte at a time is closed at the head timeout all the same.
    let mut slow = TcpStream::connect(&emu.addr).unwrap();
    let mut writer = slow.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        let _ = writer.write_all(b"GET /__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for _ in 0..40 {
            if writer.write_all(b"X").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let start = Instant::now();
    assert!(closed_within(&mut slow, Duration::from_secs(3)));
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "{took:?}"
    );
    trickle.join().unwrap();

    // An idle keep-alive connection lives for the idle timeout, not the head timeout.
    let mut keep = TcpStream::connect(&emu.addr).unwrap();
    keep.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let get = format!(
        "GET /__emulator/health HTTP/1.1\r\nHost: {}\r\n\r\n",
        emu.addr
    );
    keep.write_all(get.as_bytes()).unwrap();
    assert_eq!(read_response(&mut keep).unwrap().0, 200);
    std::thread::sleep(Duration::from_millis(700));
    keep.write_all(get.as_bytes()).unwrap();
    assert_eq!(
        read_response(&mut keep).unwrap().0,
        200,
        "still open after 700 ms"
    );
    let start = Instant::now();
    assert!(closed_within(&mut keep, Duration::from_secs(4)));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(1000), "{took:?}");
}

/// A one-shot upstream: records the request it gets and answers `answer` (or nothing).
fn upstream(answer: Option<&'static str>) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(b"\r\n\r\n") {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        match answer {
            Some(a) => s.write_all(a.as_bytes()).unwrap(),
            None => std::thread::sleep(Duration::from_secs(3)),
        }
        String::from_utf8_lossy(&got).to_ascii_lowercase()
    });
    (addr, handle)
}

#[test]
fn upstream_credentials_cookies_and_slowness() {
    // Refused at start (an emulator that starts anyway is killed after 5 s).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-emulator"))
        .args([
            "--port",
            "0",
            "--upstream",
            "http://alice:hunter2@127.0.0.1:9",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("must not contain user:password@"),
        "{stderr}"
    );
    let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(!all.contains("hunter2"), "{all}");

    let (addr, seen) = upstream(Some(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: sid=1\r\nX-Forwarded-Host: up\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    ));
    let proxy = Emulator::start(&["--upstream", &format!("http://{addr}")]);
    let r = proxy
        .req("GET", &us())
        .header("X-Forwarded-Host", "evil.example")
        .header("Cookie", "session=1")
        .send();
    assert_eq!((r.status, r.text().as_str()), (200, "{}"));
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(r.header("x-forwarded-host"), None);
    let request = seen.join().unwrap();
    assert!(request.contains(&format!("host: {addr}\r\n")), "{request}");
    assert!(
        !request.contains("x-forwarded-host") && !request.contains("cookie"),
        "{request}"
    );

    // An upstream that never answers gets its own timeout.
    let (addr, _silent) = upstream(None);
    let proxy = Emulator::start(&[
        "--upstream",
        &format!("http://{addr}"),
        "--upstream-timeout-ms",
        "300",
    ]);
    let start = Instant::now();
    let r = proxy.req("GET", &us()).send();
    let e = assert_api_error(&spec(), &r, 504);
    assert_eq!(e["errorCode"], "UPSTREAM_TIMEOUT");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[cfg(unix)]
#[test]
fn the_state_files_temporary_file_is_private() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = temp_dir("tmpfile");
    let file = dir.join("state.json");
    let (outside, stale) = (dir.join("outside"), dir.join(".state.json.tmp.1234"));
    std::fs::write(&outside, "").unwrap();
    std::fs::write(&stale, "left by a crash").unwrap();
    symlink(&outside, dir.join(".state.json.tmp.link")).unwrap();
    let emu = Emulator::start(&["--state", file.to_str().unwrap()]);
    assert!(
        !stale.exists(),
        "stale temporary files are removed at start"
    );
    assert!(!dir.join(".state.json.tmp.link").exists());
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "");

    // The old name was predictable (.NAME.tmp.PID): plant a link, then a 0666 file, there.
    let planted = dir.join(format!(".state.json.tmp.{}", emu.pid()));
    symlink(&outside, &planted).unwrap();
    let patch = json!({"ldap": {"hostname": "kept.example.com", "bindPassword": "pw-on-disk"}});
    assert_eq!(emu.req("PATCH", &us()).json(&patch).send().status, 202);
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "",
        "the link was not followed"
    );
    let meta = std::fs::symlink_metadata(&file).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("pw-on-disk"));
    std::fs::remove_file(&planted).unwrap();
    std::fs::write(&planted, "").unwrap();
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_eq!(emu.req("PATCH", &us()).json(&patch).send().status, 202);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "state, outside, the planted file: {names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_change_that_cannot_be_saved_is_not_applied() {
    let dir = temp_dir("unsaved");
    let sub = dir.join("state");
    std::fs::create_dir_all(&sub).unwrap();
    let file = sub.join("state.json");
    let emu = Emulator::start(&["--state", file.to_str().unwrap()]);
    let host = |h: &str| json!({"ldap": {"hostname": h}});
    assert_eq!(
        emu.req("PATCH", &us())
            .json(&host("saved.example.com"))
            .send()
            .status,
        202
    );
    // Take the directory away: the temporary file cannot be created (root ignores modes).
    std::fs::rename(&sub, dir.join("away")).unwrap();
    let r = emu
        .req("PATCH", &us())
        .json(&host("unsaved.example.com"))
        .send();
    assert_api_error(&spec(), &r, 500);
    let role = format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:addRole");
    let add_role = || {
        emu.req("POST", &role)
            .raw(
                br#"{"groupRole":"GROUP_READ_ONLY"}"#.to_vec(),
                "application/vnd.atlas.2025-02-19+json",
            )
            .send()
    };
    let r = add_role();
    assert_eq!(r.status, 500);
    let now = emu.req("GET", &us()).send().json();
    assert_eq!(now["ldap"]["hostname"], "saved.example.com");
    std::fs::rename(dir.join("away"), &sub).unwrap();
    let r = add_role();
    assert_eq!(
        r.status,
        200,
        "the refused role was never added: {}",
        r.text()
    );
    assert_eq!(
        emu.req("PATCH", &us())
            .json(&host("later.example.com"))
            .send()
            .status,
        202
    );
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("later.example.com"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn envelope_and_pretty_are_true_or_false() {
    let spec = spec();
    let emu = Emulator::start(&[]);
    for q in ["pretty=", "envelope=", "envelope", "pretty", "pretty=yes"] {
        let r = emu.req("GET", &format!("{}?{q}", us())).send();
        let e = assert_api_error(&spec, &r, 400);
        assert_eq!(e["errorCode"], "INVALID_QUERY_PARAMETER", "{q}");
    }
    // With envelope=true the refusal comes in the envelope too.
    let r = emu
        .req("GET", &format!("{}?envelope=true&pretty=bogus", us()))
        .send();
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["status"], 400);
    assert_eq!(body["content"]["errorCode"], "INVALID_QUERY_PARAMETER");
    let r = emu
        .req("GET", &format!("{}?envelope=TRUE&pretty=false", us()))
        .send();
    assert_eq!((r.status, r.json()["status"].as_u64()), (200, Some(200)));
    assert!(!r.text().contains('\n'));
}

#[test]
fn the_console_token_is_only_for_loopback_hosts() {
    let emu = Emulator::start(&[]);
    let console = |host: &str| {
        emu.req("GET", "/__emulator/console.json")
            .no_auth()
            .header("Host", host)
            .send()
    };
    for host in [
        "10.1.2.3:80",
        "192.168.1.5:8080",
        "0.0.0.0:8080",
        "[2001:db8::1]:80",
        "evil.example",
    ] {
        let r = console(host);
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains(TOKEN), "{host}");
    }
    for host in [
        "127.0.0.1:8080",
        "127.0.0.2",
        "[::1]:8080",
        "localhost:1",
        "console.localhost",
    ] {
        let r = console(host);
        assert_eq!(r.status, 200, "{host}");
        assert_eq!(r.json()["accessToken"], TOKEN, "{host}");
    }
}

#[cfg(unix)]
#[test]
fn static_files_do_not_follow_links_out() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("links");
    let (www, pkg) = (dir.join("www"), dir.join("pkg"));
    std::fs::create_dir_all(www.join("sub")).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(dir.join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::write(www.join("index.html"), "<h1>console</h1>").unwrap();
    symlink(dir.join("secret.txt"), www.join("leak.txt")).unwrap();
    symlink(&dir, www.join("up")).unwrap();
    symlink(dir.join("secret.txt"), www.join("sub/index.html")).unwrap();
    symlink(dir.join("secret.txt"), pkg.join("index.js")).unwrap();
    symlink(www.join("index.html"), www.join("alias.html")).unwrap();
    let emu = Emulator::start(&[
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
    ]);
    for p in ["/leak.txt", "/up/secret.txt", "/sub/", "/pkg/index.js"] {
        let r = emu.req("GET", p).no_auth().send();
        assert_eq!(r.status, 404, "{p}");
        assert!(!r.text().contains("TOP SECRET"), "{p}");
    }
    let r = emu.req("GET", "/alias.html").no_auth().send();
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "<h1>console</h1>"),
        "links inside are fine"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn digest_headers_cannot_be_replayed() {
    let spec = spec();
    let emu = Emulator::start(&["--api-key", "pubkey:privkey", "--access-token", TOKEN]);
    let r = emu.req("GET", &us()).no_auth().send();
    let nonce = digest_nonce(&r);
    let (method, uri) = ("PATCH", us());
    let ha1 = md5("pubkey:MMS Public API:privkey");
    let ha2 = md5(&format!("{method}:{uri}"));
    let digest = |nc: &str| {
        let response = md5(&format!("{ha1}:{nonce}:{nc}:c0ffee:auth:{ha2}"));
        format!("Digest username=\"pubkey\", realm=\"MMS Public API\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, qop=auth, nc={nc}, cnonce=\"c0ffee\", response=\"{response}\"")
    };
    let patch = |auth: &str, host: &str| {
        emu.req(method, &uri)
            .header("Authorization", auth)
            .json(&json!({"ldap": {"hostname": host}}))
            .send()
    };
    let first = digest("00000001");
    assert_eq!(patch(&first, "first.example.com").status, 202);
    // The captured header, sent again with another body.
    let r = patch(&first, "replayed.example.com");
    assert_api_error(&spec, &r, 401);
    assert!(r.header("www-authenticate").unwrap().contains("stale=true"));
    let now = emu.req("GET", &us()).send().json();
    assert_eq!(now["ldap"]["hostname"], "first.example.com");
    // Counts may come out of order (concurrent requests), each once.
    assert_eq!(patch(&digest("00000003"), "third.example.com").status, 202);
    assert_eq!(patch(&digest("00000002"), "second.example.com").status, 202);
    assert_eq!(patch(&digest("00000002"), "again.example.com").status, 401);
    // RFC 2069 digests (no qop, so no count) are refused.
    let response = md5(&format!("{ha1}:{nonce}:{ha2}"));
    let old = format!("Digest username=\"pubkey\", realm=\"MMS Public API\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\"");
    let e = assert_api_error(&spec, &patch(&old, "old.example.com"), 401);
    assert!(e["detail"].as_str().unwrap().contains("qop=auth"), "{e}");
}

#[test]
fn oauth_secret_guessing_is_limited_per_client() {
    let spec = spec();
    let emu = Emulator::start(&[
        "--service-account",
        "mdb_sa_id_a:secret-a",
        "--service-account",
        "mdb_sa_id_b:secret-b",
    ]);
    let token = |id: &str, secret: &str| {
        emu.req("POST", "/api/oauth/token")
            .no_auth()
            .raw(
                format!("grant_type=client_credentials&client_id={id}&client_secret={secret}")
                    .into_bytes(),
                "application/x-www-form-urlencoded",
            )
            .send()
    };
    for i in 0..10 {
        assert_eq!(
            token("mdb_sa_id_a", &format!("guess-{i}")).status,
            401,
            "guess {i}"
        );
    }
    let r = token("mdb_sa_id_a", "guess-10");
    let e = assert_api_error(&spec, &r, 429);
    assert_eq!(e["errorCode"], "RATE_LIMITED");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=6).contains(&wait), "{wait}");
    assert_eq!(
        token("mdb_sa_id_a", "secret-a").status,
        429,
        "the secret is not even checked"
    );
    let revoke = emu
        .req("POST", "/api/oauth/revoke")
        .no_auth()
        .raw(
            b"client_id=mdb_sa_id_a&client_secret=guess&token=x".to_vec(),
            "application/x-www-form-urlencoded",
        )
        .send();
    assert_eq!(revoke.status, 429);
    // Other clients are not affected.
    let first = token("mdb_sa_id_b", "secret-b");
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json()["access_token"].as_str().unwrap().to_owned();

    // The issued tokens are bounded: 100 per client, the oldest forgotten first.
    let mut last = String::new();
    for _ in 0..100 {
        last = token("mdb_sa_id_b", "secret-b").json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let bearer = |t: &str| {
        emu.req("GET", &us())
            .header("Authorization", &format!("Bearer {t}"))
            .send()
            .status
    };
    assert_eq!(bearer(&first), 401);
    assert_eq!(bearer(&last), 200);
}
