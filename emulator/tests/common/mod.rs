//! Test harness: runs the emulator binary on an ephemeral port, a raw HTTP/1.1 client, and
//! a checker for the spec's JSON-schema subset.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const USER: &str = "5b6e34b3d91647abb20e7b81";
pub const TOKEN: &str = "demo-access-token";
/// A syntactically valid PEM certificate (the emulator checks the form, not the contents).
pub const CERT: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0+/\nTUlJQg==\n-----END CERTIFICATE-----\n";

/// A running emulator; killed when dropped.
pub struct Emulator {
    child: Child,
    pub addr: String,
    pub stderr_path: std::path::PathBuf,
}

impl Emulator {
    pub fn start(args: &[&str]) -> Emulator {
        Self::spawn(Command::new(env!("CARGO_BIN_EXE_atlas-emulator")), args)
    }

    /// Starts it with its open-file limit (`ulimit -n`) set to `files`.
    pub fn start_with_file_limit(files: u32, args: &[&str]) -> Emulator {
        let mut sh = Command::new("sh");
        sh.args([
            "-c",
            &format!("ulimit -n {files} && exec \"$0\" \"$@\""),
            env!("CARGO_BIN_EXE_atlas-emulator"),
        ]);
        Self::spawn(sh, args)
    }

    fn spawn(mut command: Command, args: &[&str]) -> Emulator {
        let dir = std::env::temp_dir().join(format!(
            "atlas-emu-test-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let stderr_path = dir.join("stderr.log");
        let mut child = command
            .args(["--port", "0", "--verify-delay-ms", "100"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .expect("the emulator binary");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("banner: {line:?}"))
            .to_owned();
        Emulator {
            child,
            addr,
            stderr_path,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    pub fn req(&self, method: &str, path: &str) -> Req<'_> {
        Req {
            emu: self,
            method: method.into(),
            path: path.into(),
            headers: vec![("Authorization".into(), format!("Bearer {TOKEN}"))],
            body: None,
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

pub struct Req<'a> {
    emu: &'a Emulator,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Req<'_> {
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn no_auth(mut self) -> Self {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        self
    }
    pub fn json(self, v: &Value) -> Self {
        self.raw(
            serde_json::to_vec(v).unwrap(),
            "application/vnd.atlas.2023-01-01+json",
        )
    }
    pub fn raw(mut self, body: Vec<u8>, content_type: &str) -> Self {
        self.body = Some(body);
        self.header("Content-Type", content_type)
    }
    pub fn send(self) -> Resp {
        try_send(
            &self.emu.addr,
            &self.method,
            &self.path,
            &self.headers,
            self.body.as_deref(),
        )
        .expect("an HTTP answer")
    }
    pub fn send_raw(self) -> std::io::Result<Resp> {
        try_send(
            &self.emu.addr,
            &self.method,
            &self.path,
            &self.headers,
            self.body.as_deref(),
        )
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// One request on its own connection (`Connection: close`), read to the end.
pub fn try_send(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(b) = body {
        stream.write_all(b)?;
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed without an answer",
        ));
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut map = HashMap::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim().to_owned();
            map.entry(k)
                .and_modify(|e: &mut String| {
                    e.push_str(", ");
                    e.push_str(&v)
                })
                .or_insert(v);
        }
    }
    let mut body = raw[split + 4..].to_vec();
    if map
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(Resp {
        status,
        headers: map,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + size]);
        b = &b[end + 2 + size + 2..];
    }
    out
}

/// The `nonce` of the Digest challenge of a 401.
pub fn digest_nonce(resp: &Resp) -> String {
    let challenge = resp.header("www-authenticate").expect("a challenge");
    challenge
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a nonce")
        .to_owned()
}

pub fn md5(s: &str) -> String {
    format!("{:x}", md5::compute(s.as_bytes()))
}

// ---------------------------------------------------------------------------------------
// The spec and a checker for its JSON-schema subset.

pub fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/atlas-ldap-openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("the spec beside the repository"))
        .unwrap()
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut cur = spec;
            for part in r.trim_start_matches("#/").split('/') {
                cur = &cur[part];
            }
            resolve(spec, cur)
        }
        None => v,
    }
}

/// The schema of the answer of `method` on the spec path `template` with `status`.
pub fn response_schema<'a>(
    spec: &'a Value,
    template: &str,
    method: &str,
    status: u16,
) -> &'a Value {
    let op = &spec["paths"][template][method];
    assert!(
        op.is_object(),
        "no operation {method} {template} in the spec"
    );
    let resp = resolve(spec, &op["responses"][status.to_string()]);
    assert!(
        resp.is_object(),
        "the spec documents no {status} for {method} {template}"
    );
    let content = resp["content"].as_object().unwrap();
    let (_, media) = content.iter().next().unwrap();
    &media["schema"]
}

/// Properties an object of `schema` may have (its own plus those of allOf/oneOf members).
fn allowed_properties(
    spec: &Value,
    schema: &Value,
    out: &mut Vec<String>,
    seen: &mut Vec<*const Value>,
) {
    let schema = resolve(spec, schema);
    if seen.contains(&(schema as *const Value)) {
        return;
    }
    seen.push(schema as *const Value);
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        out.extend(p.keys().cloned());
    }
    for key in ["allOf", "oneOf"] {
        for s in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            allowed_properties(spec, s, out, seen);
        }
    }
}

/// Validates `value` against `schema`: type, properties (no unknown ones), required, enum
/// (open for job `status` and `validationType`, per x-subset-notes), items, $ref, allOf,
/// oneOf, nullable, the 24-hex id pattern, and no writeOnly property in a response.
pub fn validate(spec: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    validate_in(spec, schema, value, path, errors, &mut Vec::new());
}

/// `active`: the schemas already applied to this same value through allOf/oneOf, which
/// breaks the GroupUserResponse <-> Group*UserResponse cycle.
fn validate_in(
    spec: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
    active: &mut Vec<*const Value>,
) {
    let schema = resolve(spec, schema);
    if active.contains(&(schema as *const Value)) {
        return;
    }
    // Unknown properties are judged against the whole schema of a value, not each part.
    let top = active.is_empty();
    active.push(schema as *const Value);
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        validate_in(spec, s, value, path, errors, active);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = options
            .iter()
            .filter(|s| {
                let mut e = Vec::new();
                validate_in(spec, s, value, path, &mut e, &mut active.clone());
                e.is_empty()
            })
            .count();
        if passing == 0 {
            errors.push(format!("{path}: matches none of oneOf"));
        }
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let ok = match ty {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !ok {
        errors.push(format!("{path}: expected {}, got {value}", ty.unwrap()));
        return;
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        let open = path.ends_with(".status") || path.ends_with(".validationType");
        if !open && !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if schema.get("pattern").and_then(Value::as_str) == Some("^([a-f0-9]{24})$") {
        let s = value.as_str().unwrap_or("");
        if s.len() != 24
            || !s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            errors.push(format!("{path}: {s:?} is not a 24-hex id"));
        }
    }
    if let Some(obj) = value.as_object() {
        let mut allowed = Vec::new();
        allowed_properties(spec, schema, &mut allowed, &mut Vec::new());
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            if top && !allowed.is_empty() && !allowed.contains(k) {
                errors.push(format!("{path}.{k}: not a property of the schema"));
            }
            if let Some(p) = props.and_then(|p| p.get(k)) {
                if resolve(spec, p).get("writeOnly") == Some(&Value::Bool(true)) {
                    errors.push(format!("{path}.{k}: writeOnly property in a response"));
                }
                validate(spec, p, v, &format!("{path}.{k}"), errors);
            }
        }
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            // OpenAPI: a required writeOnly property is required in requests only.
            let write_only = props
                .and_then(|p| p.get(r.as_str().unwrap()))
                .is_some_and(|p| resolve(spec, p).get("writeOnly") == Some(&Value::Bool(true)));
            if !write_only && !obj.contains_key(r.as_str().unwrap()) {
                errors.push(format!("{path}: required property {r} is missing"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(spec, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// Asserts that an answer of an operation is what the spec documents for its status.
pub fn assert_spec(spec: &Value, template: &str, method: &str, resp: &Resp) {
    let schema = response_schema(spec, template, method, resp.status);
    let mut errors = Vec::new();
    validate(spec, schema, &resp.json(), "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{method} {template} {}: {errors:#?}\n{}",
        resp.status,
        resp.text()
    );
}

/// Asserts an `ApiError` body with this status.
pub fn assert_api_error(spec: &Value, resp: &Resp, status: u16) -> Value {
    assert_eq!(resp.status, status, "{}", resp.text());
    let body = resp.json();
    let mut errors = Vec::new();
    validate(
        spec,
        &serde_json::json!({"$ref": "#/components/schemas/ApiError"}),
        &body,
        "$",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(body["error"], status);
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    body
}
