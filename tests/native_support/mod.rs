//! For `tests/native.rs`: `atlas-emulator` on a free port with its request log, raw TCP
//! servers for answers the emulator never gives, and runs of `examples/verify_ldap.rs`.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const USER: &str = "5b6e34b3d91647abb20e7b81";
pub const USER2: &str = "5b6e34b3d91647abb20e7b82";
pub const TOKEN: &str = "demo-access-token";
pub const SERVICE_ACCOUNT: (&str, &str) = ("mdb_sa_id_demo", "mdb_sa_sk_demo");
pub const API_KEY: (&str, &str) = ("demopublickey", "demo-private-key");

/// `target/debug` (or the profile directory this test was built in).
fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent().and_then(|deps| deps.parent()).expect("target/debug").to_path_buf()
}

/// A running emulator; stopped when dropped.
pub struct Emulator {
    pub url: String,
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Emulator {
    /// Starts `atlas-emulator --port 0` with `flags` and waits for its `listening on` line.
    pub fn start(flags: &[&str]) -> Emulator {
        let binary = std::env::var_os("ATLAS_EMULATOR").map_or_else(|| build_dir().join("atlas-emulator"), PathBuf::from);
        assert!(
            binary.exists(),
            "{} is missing: build it first with `cargo build -p atlas-emulator` (make test-native does)",
            binary.display()
        );
        let mut child = Command::new(&binary)
            .args(["--port", "0"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("first line");
        let url = first.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("emulator said {first:?}")).to_owned();
        // Keep reading stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || for _ in stdout.lines() {});
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&log);
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Emulator { url, child, log }
    }

    /// The request log so far (`METHOD PATH STATUS TIME`), without other stderr lines.
    pub fn lines(&self) -> Vec<String> {
        const METHODS: [&str; 6] = ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "OPTIONS "];
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| METHODS.iter().any(|m| l.starts_with(m))).cloned().collect()
    }

    /// Requests logged with `method` whose path contains `path` (end it with a space to
    /// anchor it at the path's end).
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.lines().iter().filter(|l| l.starts_with(&format!("{method} ")) && l.contains(path)).count()
    }

    /// The count once at least `expected` requests were logged (or 3 s passed) and a
    /// little more time, so that one too many would show.
    pub async fn settled_count(&self, method: &str, path: &str, expected: usize) -> usize {
        let until = Instant::now() + Duration::from_secs(3);
        while self.count(method, path) < expected && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.count(method, path)
    }

    /// Asserts that no more such requests come (a cancelled call polls no more).
    pub async fn assert_quiet(&self, method: &str, path: &str) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let before = self.count(method, path);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(self.count(method, path), before, "requests after the call ended: {:?}", self.lines());
    }

    /// Programs a fault (`POST /__emulator/faults`), over a plain socket: the test needs
    /// no HTTP client of its own.
    pub async fn fault(&self, rule: &str) {
        let address = self.url.trim_start_matches("http://");
        let mut socket = tokio::net::TcpStream::connect(address).await.expect("connect");
        let request = format!(
            "POST /__emulator/faults HTTP/1.1\r\nhost: {address}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{rule}",
            rule.len()
        );
        socket.write_all(request.as_bytes()).await.expect("send the fault");
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await.expect("read the answer");
        assert!(answer.starts_with("HTTP/1.1 201"), "{rule}: {answer}");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server that answers every request head with what `respond` gives (by connection
/// number), then, with `hold`, keeps the connection open without another byte.
pub struct RawServer {
    pub url: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

pub async fn raw_server<F, Fut>(respond: F, hold: bool) -> RawServer
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<u8>> + Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let respond = Arc::clone(&respond);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => head.extend_from_slice(&buf[..k]),
                    }
                }
                if socket.write_all(&respond(n).await).await.is_err() || !hold {
                    return;
                }
                // Hold the connection until the client gives up on it.
                while matches!(socket.read(&mut buf).await, Ok(k) if k > 0) {}
            });
        }
    });
    RawServer { url, connections }
}

/// What a run of the example printed, and its exit status.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `examples/verify_ldap.rs` (built by `cargo test` with the `native` feature)
/// against `url` with only the environment given (plus the bind password).
pub fn example(url: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let binary = build_dir().join("examples").join("verify_ldap");
    assert!(binary.exists(), "{} is missing: cargo test --features native builds it", binary.display());
    let mut command = Command::new(binary);
    for name in [
        "ATLAS_ACCESS_TOKEN",
        "ATLAS_CLIENT_ID",
        "ATLAS_CLIENT_SECRET",
        "ATLAS_PUBLIC_KEY",
        "ATLAS_PRIVATE_KEY",
        "ATLAS_BASE_URL",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env.iter().filter(|(name, _)| !name.is_empty()) {
        command.env(name, value);
    }
    command.env("LDAP_BIND_PASSWORD", "s3cret-bind-pw");
    command.args(["--base-url", url, "--bind-username", "CN=BindUser,CN=Users,DC=example,DC=com"]).args(args);
    let output = command.output().expect("run the example");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
