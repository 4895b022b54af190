//! A real OpenLDAP server for the tests: Debian's `slapd` on free loopback ports (LDAPS,
//! and plain LDAP to show what a non-TLS port does), with an mdb database filled by `slapadd` and a throwaway CA and server certificate
//! made by `openssl` at start. `scripts/bootstrap.sh ldap` installs them (`make test-native`
//! runs it); without them the tests fail, they never skip.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SUFFIX: &str = "dc=example,dc=com";
pub const BIND_DN: &str = "cn=atlas-bind,ou=people,dc=example,dc=com";
pub const BIND_PASSWORD: &str = "bind-secret-4711";
pub const USER_DN: &str = "uid=jane,ou=people,dc=example,dc=com";
pub const GROUP_DN: &str = "cn=dbadmins,ou=groups,dc=example,dc=com";

/// The tree: the bind user, a user, and a group both belong to.
const TREE: &str = "\
dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: cn=atlas-bind,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
cn: atlas-bind
sn: bind
userPassword: bind-secret-4711

dn: uid=jane,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: jane
cn: Jane Doe
sn: Doe

dn: cn=dbadmins,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: dbadmins
member: cn=atlas-bind,ou=people,dc=example,dc=com
member: uid=jane,ou=people,dc=example,dc=com
";

/// A running slapd; stopped and its directory removed when dropped.
pub struct Slapd {
    child: Child,
    /// The LDAPS port.
    pub port: u16,
    /// A plain-LDAP port of the same server.
    pub plain_port: u16,
    pub dir: PathBuf,
    /// The CA that signed the server's certificate.
    pub ca_pem: String,
    /// A CA that did not.
    pub other_ca_pem: String,
}

impl Slapd {
    pub fn start() -> Slapd {
        let slapd = find("slapd");
        let slapadd = find("slapadd");
        let dir = std::env::temp_dir().join(format!(
            "atlas-slapd-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("db")).unwrap();
        make_certificates(&dir);
        let conf = dir.join("slapd.conf");
        std::fs::write(&conf, config(&dir)).unwrap();
        std::fs::write(dir.join("tree.ldif"), TREE).unwrap();
        run(Command::new(&slapadd)
            .arg("-f")
            .arg(&conf)
            .arg("-l")
            .arg(dir.join("tree.ldif")));
        let ca_pem = std::fs::read_to_string(dir.join("ca.pem")).unwrap();
        let other_ca_pem = std::fs::read_to_string(dir.join("other-ca.pem")).unwrap();
        // A free port can be taken by someone else before slapd binds it: try a few.
        for _ in 0..3 {
            let (port, plain_port) = (free_port(), free_port());
            let log = std::fs::File::create(dir.join("slapd.log")).unwrap();
            let mut child = Command::new(&slapd)
                .arg("-f")
                .arg(&conf)
                .arg("-h")
                .arg(format!(
                    "ldaps://127.0.0.1:{port}/ ldap://127.0.0.1:{plain_port}/"
                ))
                .args(["-d", "0"]) // stay in the foreground, so the test owns the process
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", slapd.display()));
            if wait_listening(&mut child, port) {
                return Slapd {
                    child,
                    port,
                    plain_port,
                    dir,
                    ca_pem,
                    other_ca_pem,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "slapd did not start; its log:\n{}",
            std::fs::read_to_string(dir.join("slapd.log")).unwrap_or_default()
        );
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return p;
        }
    }
    panic!("{name} is not installed: run `scripts/bootstrap.sh ldap` (make test-native does)");
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    run(Command::new("openssl").current_dir(dir).args(args));
}

/// ca.pem signs server.pem, valid for 127.0.0.1 only (not for `localhost`); other-ca.pem
/// signs nothing.
fn make_certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for (name, cn) in [
        ("ca", "atlas-ldap test CA"),
        ("other-ca", "another test CA"),
    ] {
        let (key, pem, subj) = (
            format!("{name}.key"),
            format!("{name}.pem"),
            format!("/CN={cn}"),
        );
        let mut args = vec!["req", "-x509"];
        args.extend(ec);
        args.extend([
            "-keyout",
            &key,
            "-out",
            &pem,
            "-days",
            "2",
            "-subj",
            &subj,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        openssl(dir, &args);
    }
    let mut args = vec!["req"];
    args.extend(ec);
    args.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &args);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

fn config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile \"{d}/slapd.pid\"
TLSCACertificateFile \"{d}/ca.pem\"
TLSCertificateFile \"{d}/server.pem\"
TLSCertificateKeyFile \"{d}/server.key\"
database mdb
suffix \"{SUFFIX}\"
rootdn \"cn=admin,{SUFFIX}\"
directory \"{d}/db\"
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"
    )
}

fn wait_listening(child: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
