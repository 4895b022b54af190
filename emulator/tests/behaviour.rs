//! Error paths, authentication, faults, CORS, static files, the upstream proxy and the
//! state file, over HTTP.

mod common;

use common::*;
use serde_json::json;

fn us() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/userSecurity")
}

#[test]
fn bad_input_gets_api_errors() {
    let spec = spec();
    let emu = Emulator::start(&["--max-body-bytes", "2000"]);
    let e = assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .raw(b"{\"ldap\":".to_vec(), "application/json")
            .send(),
        400,
    );
    assert_eq!(e["errorCode"], "MALFORMED_JSON");
    assert_eq!(e["reason"], "Bad Request");
    let e = assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .json(&json!({"ldap": {"port": "636"}}))
            .send(),
        400,
    );
    assert_eq!(e["errorCode"], "INVALID_JSON_ATTRIBUTE");
    assert_eq!(e["badRequestDetail"]["fields"][0]["field"], "ldap.port");
    let secret = "p4ssw0rd-never-shown";
    let r = emu
        .req("POST", &format!("{}/ldap/verify", us()))
        .json(&json!({"hostname": "h.example.com", "port": 636, "bindUsername": "CN=a,DC=b", "bindPassword": [secret]}))
        .send();
    assert_api_error(&spec, &r, 400);
    assert!(!r.text().contains(secret));
    let e = assert_api_error(
        &spec,
        &emu.req("POST", &format!("{}/ldap/verify", us()))
            .json(&json!({"hostname": "h"}))
            .send(),
        400,
    );
    assert!(e["detail"].as_str().unwrap().contains("is required"));
    assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .json(&json!({"ldap": {"authenticationEnabled": false, "authorizationEnabled": true}}))
            .send(),
        400,
    );
    // Enabling authentication without a server is refused and changes nothing.
    assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .json(&json!({"ldap": {"authenticationEnabled": true}}))
            .send(),
        400,
    );
    assert_eq!(
        emu.req("GET", &us()).send().json()["ldap"]["authenticationEnabled"],
        false
    );
    assert_api_error(
        &spec,
        &emu.req("PATCH", &us()).json(&json!([1, 2])).send(),
        400,
    );
    let big = format!(
        "{{\"ldap\":{{\"caCertificate\":\"{}\"}}}}",
        "A".repeat(5000)
    );
    assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .raw(big.into_bytes(), "application/json")
            .send(),
        413,
    );
    let e = assert_api_error(
        &spec,
        &emu.req("GET", "/api/atlas/v2/groups/XYZ/userSecurity")
            .send(),
        400,
    );
    assert_eq!(e["errorCode"], "INVALID_GROUP_ID");
    assert_api_error(
        &spec,
        &emu.req("GET", &format!("{}/ldap/verify/123", us())).send(),
        400,
    );
    assert_api_error(
        &spec,
        &emu.req(
            "PUT",
            &format!("/api/atlas/v2/groups/{GROUP}/users/nope/roles"),
        )
        .json(&json!({"groupRoles": ["GROUP_OWNER"]}))
        .send(),
        400,
    );
    assert_api_error(
        &spec,
        &emu.req(
            "PUT",
            &format!("/api/atlas/v2/groups/{GROUP}/users/{USER}/roles"),
        )
        .json(&json!({"groupRoles": []}))
        .send(),
        400,
    );
    assert_api_error(
        &spec,
        &emu.req(
            "PUT",
            &format!("/api/atlas/v2/groups/{GROUP}/users/{USER}/roles"),
        )
        .json(&json!({"groupRoles": ["GROUP_OWNER", "GROUP_OWNER"]}))
        .send(),
        400,
    );
    assert_api_error(
        &spec,
        &emu.req(
            "GET",
            "/api/atlas/v2/groups/aaaaaaaaaaaaaaaaaaaaaaaa/userSecurity",
        )
        .send(),
        404,
    );
    assert_api_error(
        &spec,
        &emu.req("GET", "/api/atlas/v2/nothing/here").send(),
        404,
    );
    assert_api_error(&spec, &emu.req("GET", "/nothing").send(), 404);
    let r = emu.req("DELETE", &us()).send();
    assert_api_error(&spec, &r, 405);
    assert_eq!(r.header("allow"), Some("GET, PATCH"));
    // Media types.
    assert_api_error(
        &spec,
        &emu.req("GET", &us())
            .header("Accept", "application/vnd.atlas.2022-01-01+json")
            .send(),
        406,
    );
    assert_api_error(
        &spec,
        &emu.req("GET", &us()).header("Accept", "text/html").send(),
        406,
    );
    assert_eq!(
        emu.req("GET", &us())
            .header("Accept", "application/vnd.atlas.2025-03-12+json")
            .send()
            .status,
        200
    );
    let r = emu
        .req("GET", &us())
        .header("Accept", "application/json")
        .send();
    assert_eq!(
        (r.status, r.header("content-type")),
        (200, Some("application/vnd.atlas.2023-01-01+json"))
    );
    assert_api_error(
        &spec,
        &emu.req("PATCH", &us())
            .raw(b"{}".to_vec(), "text/plain")
            .send(),
        415,
    );
    let add = format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:addRole");
    let r = emu
        .req("POST", &add)
        .header("Accept", "application/vnd.atlas.2023-01-01+json")
        .raw(
            br#"{"groupRole":"GROUP_OWNER"}"#.to_vec(),
            "application/json",
        )
        .send();
    assert_api_error(&spec, &r, 406);
    let r = emu
        .req("POST", &add)
        .raw(
            br#"{"groupRole":"GROUP_READ_ONLY"}"#.to_vec(),
            "application/vnd.atlas.2023-01-01+json",
        )
        .send();
    assert_api_error(&spec, &r, 415);
    // The server is still fine, and the log has no secrets or bodies.
    assert_eq!(emu.req("GET", &us()).send().status, 200);
    let log = emu.stderr();
    assert!(
        log.contains("PATCH /api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/userSecurity 413"),
        "{log}"
    );
    assert!(!log.contains(secret) && !log.contains(TOKEN), "{log}");
}

fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

#[test]
fn oauth_tokens_and_bearer_checks() {
    let spec = spec();
    let emu = Emulator::start(&[
        "--service-account",
        "mdb_sa_id_x:sekret",
        "--token-ttl",
        "1",
    ]);
    // Without demo credentials the demo token is refused.
    let r = emu.req("GET", &us()).send();
    assert_api_error(&spec, &r, 401);
    let r = emu.req("GET", &us()).no_auth().send();
    assert_api_error(&spec, &r, 401);
    let challenge = r.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Digest realm=\"MMS Public API\"")
            && challenge.contains("qop=\"auth\""),
        "{challenge}"
    );

    let form = b"grant_type=client_credentials".to_vec();
    let r = emu
        .req("POST", "/api/oauth/token")
        .header("Authorization", &basic("mdb_sa_id_x", "nope"))
        .raw(form.clone(), "application/x-www-form-urlencoded")
        .send();
    assert_api_error(&spec, &r, 401);
    let r = emu
        .req("POST", "/api/oauth/token")
        .header("Authorization", &basic("mdb_sa_id_x", "sekret"))
        .raw(
            b"grant_type=password".to_vec(),
            "application/x-www-form-urlencoded",
        )
        .send();
    assert_api_error(&spec, &r, 400);
    let r = emu
        .req("POST", "/api/oauth/token")
        .header("Authorization", &basic("mdb_sa_id_x", "sekret"))
        .raw(form.clone(), "application/x-www-form-urlencoded")
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    let answer = r.json();
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 1);
    let token = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        emu.req("GET", &us())
            .header("Authorization", &format!("Bearer {token}"))
            .send()
            .status,
        200
    );
    // Revoked tokens stop working.
    let r = emu
        .req("POST", "/api/oauth/revoke")
        .header("Authorization", &basic("mdb_sa_id_x", "sekret"))
        .raw(
            format!("token={token}").into_bytes(),
            "application/x-www-form-urlencoded",
        )
        .send();
    assert_eq!(r.status, 200);
    let r = emu
        .req("GET", &us())
        .header("Authorization", &format!("Bearer {token}"))
        .send();
    assert_api_error(&spec, &r, 401);
    // Expired tokens too.
    let r = emu
        .req("POST", "/api/oauth/token")
        .header("Authorization", &basic("mdb_sa_id_x", "sekret"))
        .raw(form, "application/x-www-form-urlencoded")
        .send();
    let token = r.json()["access_token"].as_str().unwrap().to_owned();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r = emu
        .req("GET", &us())
        .header("Authorization", &format!("Bearer {token}"))
        .send();
    let e = assert_api_error(&spec, &r, 401);
    assert!(e["detail"].as_str().unwrap().contains("expired"));
    assert!(!r.text().contains(&token));
}

#[test]
fn http_digest_with_api_keys() {
    let spec = spec();
    let emu = Emulator::start(&[
        "--api-key",
        "pubkey:privkey",
        "--access-token",
        "static-token",
    ]);
    assert_eq!(
        emu.req("GET", &us())
            .header("Authorization", "Bearer static-token")
            .send()
            .status,
        200
    );
    let path = format!("{}?pretty=true", us());
    let r = emu.req("GET", &path).no_auth().send();
    assert_eq!(r.status, 401);
    let nonce = digest_nonce(&r);
    let digest = |user: &str, key: &str, method: &str, uri: &str| {
        let ha1 = md5(&format!("{user}:MMS Public API:{key}"));
        let ha2 = md5(&format!("{method}:{uri}"));
        let response = md5(&format!("{ha1}:{nonce}:00000001:abcdef:auth:{ha2}"));
        format!("Digest username=\"{user}\", realm=\"MMS Public API\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"abcdef\", response=\"{response}\"")
    };
    let r = emu
        .req("GET", &path)
        .header("Authorization", &digest("pubkey", "privkey", "GET", &path))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    let r = emu
        .req("GET", &path)
        .header("Authorization", &digest("pubkey", "wrong", "GET", &path))
        .send();
    assert_api_error(&spec, &r, 401);
    // The digest covers method and URI.
    let r = emu
        .req("DELETE", &format!("{}/customerX509", us()))
        .header("Authorization", &digest("pubkey", "privkey", "GET", &path))
        .send();
    assert_api_error(&spec, &r, 401);
    let forged =
        digest("pubkey", "privkey", "GET", &path).replace(&nonce, "0000000000000000000000");
    assert_api_error(
        &spec,
        &emu.req("GET", &path)
            .header("Authorization", &forged)
            .send(),
        401,
    );
}

#[test]
fn programmed_faults() {
    let spec = spec();
    let emu = Emulator::start(&["--fail", "PATCH /userSecurity$ 500 1"]);
    let r = emu.req("PATCH", &us()).json(&json!({})).send();
    assert_api_error(&spec, &r, 500);
    assert_eq!(emu.req("PATCH", &us()).json(&json!({})).send().status, 202);

    // "the next 2 GETs of /userSecurity answer 503" and "the next request drops".
    let addr = emu.addr.clone();
    let ctl = |method: &str, body: Option<&serde_json::Value>| {
        let b = body.map(|b| serde_json::to_vec(b).unwrap());
        try_send(
            &addr,
            method,
            "/__emulator/faults",
            &[("Content-Type".into(), "application/json".into())],
            b.as_deref(),
        )
        .unwrap()
    };
    let r = ctl(
        "POST",
        Some(
            &json!({"method": "GET", "path": "/userSecurity$", "status": 503, "count": 2, "retryAfter": 3}),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    for _ in 0..2 {
        let r = emu.req("GET", &us()).send();
        assert_api_error(&spec, &r, 503);
        assert_eq!(r.header("retry-after"), Some("3"));
    }
    assert_eq!(emu.req("GET", &us()).send().status, 200);
    ctl("POST", Some(&json!([{"path": "*", "drop": true}])));
    assert!(
        emu.req("GET", &us()).send_raw().is_err(),
        "the connection is dropped"
    );
    assert_eq!(emu.req("GET", &us()).send().status, 200);
    ctl(
        "POST",
        Some(&json!({"method": "*", "path": "/ldap/verify", "status": 502, "always": true})),
    );
    assert_eq!(ctl("GET", None).json().as_array().unwrap().len(), 1);
    assert_eq!(
        emu.req(
            "GET",
            &format!("{}/ldap/verify/aaaaaaaaaaaaaaaaaaaaaaaa", us())
        )
        .send()
        .status,
        502
    );
    assert_eq!(
        emu.req(
            "GET",
            &format!("{}/ldap/verify/aaaaaaaaaaaaaaaaaaaaaaaa", us())
        )
        .send()
        .status,
        502
    );
    ctl("DELETE", None);
    assert_eq!(
        emu.req(
            "GET",
            &format!("{}/ldap/verify/aaaaaaaaaaaaaaaaaaaaaaaa", us())
        )
        .send()
        .status,
        404
    );
    assert_eq!(ctl("POST", Some(&json!({"status": 200}))).status, 400);
    assert_eq!(
        ctl("POST", Some(&json!({"status": 500, "drop": true}))).status,
        400
    );
    assert!(emu.stderr().contains("dropped"));
}

#[test]
fn rate_limit_and_latency() {
    let spec = spec();
    let emu = Emulator::start(&[
        "--rate-limit",
        "3",
        "--latency-ms",
        "150",
        "--cors-origin",
        "http://app.localhost:3000",
    ]);
    let start = std::time::Instant::now();
    for _ in 0..3 {
        assert_eq!(emu.req("GET", &us()).send().status, 200);
    }
    assert!(start.elapsed() >= std::time::Duration::from_millis(450));
    let r = emu
        .req("GET", &us())
        .header("Origin", "http://app.localhost:3000")
        .send();
    assert_api_error(&spec, &r, 429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
}

#[test]
fn cors_and_static_files() {
    let dir = std::env::temp_dir().join(format!("atlas-emu-static-{}", std::process::id()));
    let (www, pkg) = (dir.join("www"), dir.join("pkg"));
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(pkg.join("web")).unwrap();
    std::fs::write(www.join("index.html"), "<h1>console</h1>").unwrap();
    std::fs::write(www.join("app.mjs"), "export {}").unwrap();
    std::fs::write(pkg.join("web/atlas_ldap_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("index.js"), "export {}").unwrap();
    std::fs::write(dir.join("secret.txt"), "top").unwrap();
    let emu = Emulator::start(&[
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
        "--cors-origin",
        "http://localhost:5173",
    ]);
    let get = |p: &str| emu.req("GET", p).no_auth().send();
    let r = get("/");
    assert_eq!(
        (r.status, r.header("content-type")),
        (200, Some("text/html; charset=utf-8"))
    );
    assert_eq!(r.text(), "<h1>console</h1>");
    assert_eq!(
        get("/app.mjs").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        get("/pkg/web/atlas_ldap_bg.wasm").header("content-type"),
        Some("application/wasm")
    );
    assert_eq!(
        get("/pkg/index.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(get("/../secret.txt").status, 404);
    assert_eq!(get("/%2e%2e/secret.txt").status, 404);
    assert_eq!(get("/pkg/../secret.txt").status, 404);
    assert_eq!(get("/missing.js").status, 404);
    // HTML pages carry the console's strict CSP; every answer has nosniff.
    const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    for p in ["/", "/index.html"] {
        let r = get(p);
        assert_eq!(r.header("content-security-policy"), Some(CSP), "{p}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{p}");
    }
    let r = get("/app.mjs");
    assert_eq!(
        (
            r.header("content-security-policy"),
            r.header("x-content-type-options")
        ),
        (None, Some("nosniff"))
    );
    assert_eq!(
        get("/pkg/index.js").header("x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(
        emu.req("GET", &us())
            .send()
            .header("x-content-type-options"),
        Some("nosniff")
    );

    let r = emu
        .req("OPTIONS", &us())
        .no_auth()
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send();
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("authorization, content-type, accept")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PATCH"));
    let r = emu
        .req("GET", &us())
        .no_auth()
        .header("Origin", "http://localhost:5173")
        .send();
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("WWW-Authenticate"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn console_settings() {
    let emu = Emulator::start(&[
        "--project",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        "--project",
        "32b6e34b3d91647abb20e7b8",
    ]);
    let r = emu
        .req("GET", "/__emulator/console.json")
        .no_auth()
        .header("Origin", &format!("http://{}", emu.addr))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "never readable across origins"
    );
    assert_eq!(
        r.json(),
        json!({"mode": "emulator", "baseUrl": format!("http://{}", emu.addr), "groupId": "aaaaaaaaaaaaaaaaaaaaaaaa", "userId": USER, "accessToken": TOKEN})
    );
    // The console's settings work against the API as they are.
    let c = r.json();
    let path = format!(
        "/api/atlas/v2/groups/{}/users/{}/roles",
        c["groupId"].as_str().unwrap(),
        c["userId"].as_str().unwrap()
    );
    let r = emu
        .req("PUT", &path)
        .header(
            "Authorization",
            &format!("Bearer {}", c["accessToken"].as_str().unwrap()),
        )
        .json(&json!({"groupRoles": ["GROUP_OWNER"]}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    let r = emu
        .req("GET", "/__emulator/console.json")
        .header("Host", "localhost:9")
        .send();
    assert_eq!(r.json()["baseUrl"], "http://localhost:9");
    // A DNS-rebinding page (a foreign host name) gets nothing.
    let r = emu
        .req("GET", "/__emulator/console.json")
        .header("Host", "attacker.example:8080")
        .send();
    assert_eq!(r.status, 403);
    assert!(!r.text().contains(TOKEN));
    assert_eq!(
        emu.req("POST", "/__emulator/console.json").send().status,
        405
    );

    // Own tokens: the first one is handed out; only API keys: no token at all.
    let emu = Emulator::start(&[
        "--access-token",
        "first-token",
        "--access-token",
        "second-token",
    ]);
    let c = emu.req("GET", "/__emulator/console.json").send().json();
    assert_eq!(
        (c["accessToken"].as_str(), c["groupId"].as_str()),
        (Some("first-token"), Some(GROUP))
    );
    let emu = Emulator::start(&["--api-key", "pub:priv"]);
    let c = emu.req("GET", "/__emulator/console.json").send().json();
    assert!(
        c.get("accessToken").is_none() && c["mode"] == "emulator",
        "{c}"
    );

    // Upstream mode: the mode and the origin, no credentials.
    let emu = Emulator::start(&[
        "--upstream",
        "http://127.0.0.1:9",
        "--access-token",
        "never-shown",
    ]);
    let r = emu.req("GET", "/__emulator/console.json").send();
    assert_eq!(
        r.json(),
        json!({"mode": "upstream", "baseUrl": format!("http://{}", emu.addr)})
    );
}

#[test]
fn upstream_proxy_forwards_api_calls() {
    let atlas = Emulator::start(&["--access-token", "real-token"]);
    let url = format!("http://{}", atlas.addr);
    let proxy = Emulator::start(&[
        "--upstream",
        &url,
        "--fail",
        "GET /never 503",
        "--cors-origin",
        "http://console",
    ]);
    let r = proxy
        .req("GET", &us())
        .header("Authorization", "Bearer real-token")
        .header("Origin", "http://console")
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://console")
    );
    let r = proxy
        .req("PATCH", &us())
        .header("Authorization", "Bearer real-token")
        .json(&json!({"ldap": {"hostname": "via.proxy.example"}}))
        .send();
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(
        atlas
            .req("GET", &us())
            .header("Authorization", "Bearer real-token")
            .send()
            .json()["ldap"]["hostname"],
        "via.proxy.example"
    );
    // The upstream decides about authentication.
    assert_eq!(proxy.req("GET", &us()).send().status, 401);
    assert_eq!(proxy.req("GET", "/api/never").send().status, 503);
    drop(atlas);
    assert_eq!(proxy.req("GET", &us()).send().status, 502);
}

#[test]
fn state_file_survives_restarts() {
    let dir = std::env::temp_dir().join(format!("atlas-emu-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let args = ["--state", file.to_str().unwrap()];
    {
        let emu = Emulator::start(&args);
        let r = emu.req("PATCH", &us()).json(&json!({"ldap": {"hostname": "kept.example.com", "bindPassword": "pw-on-disk"}, "customerX509": {"cas": CERT}})).send();
        assert_eq!(r.status, 202, "{}", r.text());
        let r = emu
            .req(
                "POST",
                &format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:addRole"),
            )
            .raw(
                br#"{"groupRole":"GROUP_READ_ONLY"}"#.to_vec(),
                "application/vnd.atlas.2025-02-19+json",
            )
            .send();
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary files are left: {leftovers:?}"
    );
    let emu = Emulator::start(&args);
    let body = emu.req("GET", &us()).send().json();
    assert_eq!(body["ldap"]["hostname"], "kept.example.com");
    assert_eq!(body["customerX509"]["cas"], CERT);
    let r = emu
        .req(
            "POST",
            &format!("/api/atlas/v2/groups/{GROUP}/users/{USER}:removeRole"),
        )
        .raw(
            br#"{"groupRole":"GROUP_READ_ONLY"}"#.to_vec(),
            "application/vnd.atlas.2025-02-19+json",
        )
        .send();
    assert_eq!(r.status, 200, "the role added before the restart is there");
    drop(emu);
    // A corrupt state file is refused, not overwritten.
    std::fs::write(&file, "{not json").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-emulator"))
        .args(["--port", "0", "--state", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{not json");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_and_bad_flags() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--state",
        "--verify-delay-ms",
        "--fail",
        "--rate-limit",
        "--upstream",
        "--www",
        "--pkg",
        "--api-key",
        "--cors-origin",
        "--max-connections",
        "--head-timeout-ms",
        "--idle-timeout-ms",
        "--upstream-timeout-ms",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-emulator"))
        .arg("--frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
