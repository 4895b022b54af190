//! The validation rules of docs/API.md, one table per rule, both sides of every boundary,
//! plus properties: no validator panics, `ok` agrees with the issues, and the hand-written
//! spec-pattern matchers agree with the `regex` crate under whole-input semantics.

use atlas_ldap::validate::{self as v, Code, Locale, Severity, Validation};
use proptest::prelude::*;
use serde_json::{json, Value};

mod support;
use support::{arb_body, arb_json, CERT};

const EN: Locale = Locale::En;

/// `(path, code)` of every issue of `severity`.
fn of(res: &Validation, severity: Severity) -> Vec<(String, String)> {
    res.issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| (i.path.clone(), i.code.clone()))
        .collect()
}

fn error_codes(res: &Validation) -> Vec<String> {
    of(res, Severity::Error)
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

fn warning_codes(res: &Validation) -> Vec<String> {
    of(res, Severity::Warning)
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

/// Expected `(path, code)` pairs.
type Expect<'a> = &'a [(&'a str, &'a str)];

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

/// Checks a table of `(input, errors, warnings)` for a string validator.
fn table(validator: fn(&str, Locale) -> Validation, rows: &[(&str, &[&str], &[&str])]) {
    for (input, errors, warnings) in rows {
        let res = validator(input, EN);
        assert_eq!(error_codes(&res), *errors, "errors of {input:?}: {res:#?}");
        assert_eq!(
            warning_codes(&res),
            *warnings,
            "warnings of {input:?}: {res:#?}"
        );
        assert_eq!(res.ok, errors.is_empty(), "ok of {input:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Ids

#[test]
fn ids_are_24_lowercase_hex_digits_untrimmed() {
    let rows: &[(&str, &[&str], &[&str])] = &[
        ("32b6e34b3d91647abb20e7b8", &[], &[]),
        ("000000000000000000000000", &[], &[]),
        ("ffffffffffffffffffffffff", &[], &[]),
        ("", &["required"], &[]),
        ("32b6e34b3d91647abb20e7b", &["pattern"], &[]), // 23
        ("32b6e34b3d91647abb20e7b80", &["pattern"], &[]), // 25
        ("32B6E34B3D91647ABB20E7B8", &["pattern"], &[]), // upper case
        ("32b6e34b3d91647abb20e7bg", &["pattern"], &[]), // g
        (" 32b6e34b3d91647abb20e7b8", &["pattern"], &[]), // no trimming
        ("32b6e34b3d91647abb20e7b8\n", &["pattern"], &[]),
        ("32b6e34b3d91647abb20e7é", &["pattern"], &[]), // 24 bytes, not 24 hex
    ];
    for validator in [v::group_id, v::user_id, v::request_id] {
        table(validator, rows);
    }
    assert_eq!(v::group_id("x", EN).issues[0].path, "groupId");
    assert_eq!(v::user_id("x", EN).issues[0].path, "userId");
    assert_eq!(v::request_id("x", EN).issues[0].path, "requestId");
}

// ---------------------------------------------------------------------------------------
// hostname

fn labels(n: usize, len: usize) -> String {
    vec!["a".repeat(len); n].join(".")
}

#[test]
fn hostname_must_show_examples() {
    let res = v::hostname("atlas-ldaps-01.ldap.myteam.com", EN);
    assert!(res.ok);
    assert_eq!(
        of(&res, Severity::Warning),
        pairs(&[("hostname", "spec_pattern")])
    );
    assert_eq!(res.issues.len(), 1);

    let res = v::hostname("ldap.example.com:636", EN);
    assert!(!res.ok);
    assert_eq!(error_codes(&res), ["pattern"]);
}

#[test]
fn hostname_table() {
    let label63 = format!("{}.com", "a".repeat(63));
    let label64 = format!("{}.com", "a".repeat(64));
    // 4 labels of 62 + 3 dots = 251, plus ".b" = 253; one more letter = 254.
    let total253 = format!("{}.b", labels(4, 62));
    let total254 = format!("{}.bc", labels(4, 62));
    assert_eq!((total253.len(), total254.len()), (253, 254));
    let long_label_and_total = format!("{}.com", "a".repeat(300));
    let rows: &[(&str, &[&str], &[&str])] = &[
        // DNS names
        ("ldap.example.com", &[], &[]),
        ("a.b", &[], &[]),
        ("string", &[], &["spec_pattern"]), // a single label is valid
        ("LDAP.Example.com", &[], &["spec_pattern"]),
        ("atlas-ldaps-01.ldap.myteam.com", &[], &["spec_pattern"]),
        ("1ldap.example.com", &[], &[]),
        ("ldap.example.c0m", &[], &["spec_pattern"]),
        ("a.b.c.d.e.f.g.h.i.j.k", &[], &[]), // 11 labels: the spec allows 1-10 + last
        ("a.b.c.d.e.f.g.h.i.j.k.l", &[], &["spec_pattern"]), // 12 labels
        (&label63, &[], &[]),
        (&label64, &["label_too_long"], &[]),
        (&total253, &[], &[]),
        (&total254, &["too_long"], &[]),
        (&long_label_and_total, &["too_long", "label_too_long"], &[]),
        ("-ldap.example.com", &["pattern"], &[]),
        ("ldap-.example.com", &["pattern"], &[]),
        ("ldap..example.com", &["pattern"], &[]),
        (".ldap.example.com", &["pattern"], &[]),
        ("ldap.example.com.", &["pattern"], &[]),
        ("ldap.example.123", &["pattern"], &[]), // last label all digits
        ("ldap_1.example.com", &["pattern"], &[]),
        ("ldaps://ldap.example.com", &["pattern"], &[]),
        ("ldap.example.com/path", &["pattern"], &[]),
        ("ldap.example.com:636", &["pattern"], &[]),
        ("ldap example.com", &["pattern"], &[]),
        (" ldap.example.com", &["pattern"], &[]),
        ("ldap.exämple.com", &["pattern"], &[]),
        ("ldap.例子.com", &["pattern"], &[]),
        ("", &["required"], &[]),
        // IPv4
        ("0.0.0.0", &[], &[]),
        ("192.168.0.1", &[], &[]),
        ("255.255.255.255", &[], &[]),
        ("256.255.255.255", &["octet_range"], &[]),
        ("255.255.255.256", &["octet_range"], &[]),
        ("999.1.1.1", &["octet_range"], &[]),
        ("1.2.3", &["pattern"], &[]),
        ("1.2.3.4.5", &["pattern"], &[]),
        ("1.2.3.1000", &["pattern"], &[]),
        ("1..3.4", &["pattern"], &[]),
        ("1.2.3.4.", &["pattern"], &[]),
        ("1.2.3.4a", &[], &["spec_pattern"]), // a DNS name whose last label is not all digits
        // IPv6
        ("2001:db8:0:0:0:0:2:1", &[], &[]),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", &[], &[]),
        ("2001:DB8:0:0:0:0:2:1", &[], &["spec_pattern"]),
        ("2001:db8::2:1", &[], &["spec_pattern"]),
        ("::1", &[], &["spec_pattern"]),
        ("::", &[], &["spec_pattern"]),
        ("fe80::", &[], &["spec_pattern"]),
        ("1:2:3:4:5:6:7::", &[], &["spec_pattern"]),
        ("::ffff:192.0.2.128", &[], &["spec_pattern"]),
        ("0:0:0:0:0:ffff:192.0.2.128", &[], &["spec_pattern"]),
        ("1:2:3:4:5:6:7:8:9", &["pattern"], &[]),
        ("1:2:3:4:5:6:7", &["pattern"], &[]),
        ("1:2:3:4:5:6:7::8", &["pattern"], &[]), // :: must stand for at least one group
        ("1::2::3", &["pattern"], &[]),
        (":::1", &["pattern"], &[]),
        (":1:2:3:4:5:6:7", &["pattern"], &[]),
        ("1:2:3:4:5:6:7:", &["pattern"], &[]),
        ("12345::1", &["pattern"], &[]),
        ("::ffff:192.0.2.256", &["pattern"], &[]),
        ("::ffff:192.0.2", &["pattern"], &[]),
        ("1.2.3.4::", &["pattern"], &[]),
        ("0:0:0:0:0:0:ffff:192.0.2.128", &["pattern"], &[]), // 6 groups + IPv4 = 8 max
        ("[::1]", &["pattern"], &[]),
        ("fe80::1%eth0", &["pattern"], &[]),
        ("g::1", &["pattern"], &[]),
    ];
    table(v::hostname, rows);
}

// ---------------------------------------------------------------------------------------
// bindUsername

#[test]
fn bind_username_table() {
    let rows: &[(&str, &[&str], &[&str])] = &[
        (
            "CN=BindUser,CN=Users,DC=myldapserver,DC=mycompany,DC=com",
            &[],
            &[],
        ),
        (
            "CN=Administrator,CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com",
            &[],
            &[],
        ),
        ("cn=admin,dc=example,dc=org", &[], &["spec_pattern"]),
        ("UID=jsmith,DC=example,DC=net", &[], &["spec_pattern"]),
        ("DC=com", &[], &[]),
        (
            "CN=Steve Kille,O=Isode Limited,C=GB",
            &[],
            &["spec_pattern"],
        ),
        ("OU=Sales+CN=J. Smith,DC=example,DC=net", &[], &[]), // the spec's [^,]+ takes the +
        ("2.5.4.3=x,DC=com", &[], &["spec_pattern"]),
        ("msDS-Name=x,DC=com", &[], &["spec_pattern"]),
        ("CN=,DC=com", &[], &[]),    // an empty value is allowed by RFC 4514
        ("CN=a=b,DC=com", &[], &[]), // '=' may appear unescaped in a value
        ("CN=a#b,DC=com", &[], &[]), // '#' only needs escaping at the start
        ("CN=a b,DC=com", &[], &[]),
        ("CN=Lučić,DC=com", &[], &[]),
        ("CN=#04024869,DC=com", &[], &[]),
        // Every escape of RFC 4514.
        ("CN=a\\,b,DC=com", &[], &["spec_pattern"]), // the spec splits at any comma
        ("CN=a\\+b,DC=com", &[], &[]),
        ("CN=a\\\"b,DC=com", &[], &[]),
        ("CN=a\\\\b,DC=com", &[], &[]),
        ("CN=a\\<b,DC=com", &[], &[]),
        ("CN=a\\>b,DC=com", &[], &[]),
        ("CN=a\\;b,DC=com", &[], &[]),
        ("CN=a\\=b,DC=com", &[], &[]),
        ("CN=\\#a,DC=com", &[], &[]),
        ("CN=\\ a,DC=com", &[], &[]),
        ("CN=a\\ ,DC=com", &[], &[]),
        ("CN=a\\4Ab,DC=com", &[], &[]),
        ("CN=a\\4ab,DC=com", &[], &[]),
        ("CN=\\C4\\8D,DC=com", &[], &[]),
        // The same characters unescaped, and bad escapes.
        ("CN=a,b,DC=com", &["dn_attribute_type"], &[]),
        ("CN=a+b,DC=com", &["dn_attribute_type"], &[]),
        ("CN=a\"b,DC=com", &["dn_unescaped"], &[]),
        ("CN=a<b,DC=com", &["dn_unescaped"], &[]),
        ("CN=a>b,DC=com", &["dn_unescaped"], &[]),
        ("CN=a;b,DC=com", &["dn_unescaped"], &[]),
        ("CN= a,DC=com", &["dn_unescaped"], &[]),
        ("CN=a ,DC=com", &["dn_unescaped"], &[]),
        ("CN=a,DC=com ", &["dn_unescaped"], &[]),
        ("CN=a\\,DC=com\\", &["dn_escape"], &[]),
        ("CN=a\\x,DC=com", &["dn_escape"], &[]),
        ("CN=a\\4,DC=com", &["dn_escape"], &[]),
        ("CN=a\\4G,DC=com", &["dn_escape"], &[]),
        ("CN=a\\é,DC=com", &["dn_escape"], &[]),
        ("CN=#,DC=com", &["dn_hexstring"], &[]),
        ("CN=#0,DC=com", &["dn_hexstring"], &[]),
        ("CN=#0x,DC=com", &["dn_hexstring"], &[]),
        // Structure.
        ("", &["required"], &[]),
        (",DC=com", &["dn_empty_rdn"], &[]),
        ("CN=a,,DC=com", &["dn_empty_rdn"], &[]),
        ("CN=a,DC=com,", &["dn_empty_rdn"], &[]),
        ("CN=a+,DC=com", &["dn_empty_rdn"], &[]),
        ("CN=a,DC=com+", &["dn_empty_rdn"], &[]),
        ("+CN=a", &["dn_empty_rdn"], &[]),
        ("CN=a, DC=com", &["dn_attribute_type"], &[]),
        ("CN =a,DC=com", &["dn_attribute_type"], &[]),
        ("CN", &["dn_attribute_type"], &[]),
        ("=a,DC=com", &["dn_attribute_type"], &[]),
        ("1CN=a", &["dn_attribute_type"], &[]),
        ("2=a", &["dn_attribute_type"], &[]),
        ("2.05.4=a", &["dn_attribute_type"], &[]),
        ("2.5.=a", &["dn_attribute_type"], &[]),
        ("C_N=a", &["dn_attribute_type"], &[]),
        ("admin", &["dn_attribute_type"], &[]),
        ("CN=a\0b", &["dn_unescaped"], &[]),
    ];
    table(v::bind_username, rows);
    assert!(v::is_distinguished_name("CN=x,DC=y"));
    assert!(!v::is_distinguished_name(""));
}

// ---------------------------------------------------------------------------------------
// port

#[test]
fn port_table() {
    let rows: &[(Value, &[&str])] = &[
        (json!(0), &["range"]),
        (json!(1), &[]),
        (json!(636), &[]),
        (json!(65535), &[]),
        (json!(65536), &["range"]),
        (json!(-1), &["range"]),
        (json!(-636.0), &["range"]),
        (json!(u64::MAX), &["range"]),
        (json!(636.0), &[]), // what a JavaScript 636 may arrive as
        (json!(65536.0), &["range"]),
        (json!(636.5), &["type"]),
        (json!(1e300), &["range"]),
        (json!("636"), &["type"]),
        (json!(true), &["type"]),
        (Value::Null, &["type"]),
        (json!([636]), &["type"]),
    ];
    for (value, errors) in rows {
        let res = v::port(value, EN);
        assert_eq!(error_codes(&res), *errors, "port {value}");
        assert!(res.issues.iter().all(|i| i.path == "port"));
    }
}

// ---------------------------------------------------------------------------------------
// authzQueryTemplate

#[test]
fn authz_query_template_table() {
    let rows: &[(&str, bool, &[&str], &[&str])] = &[
        ("{USER}?memberOf?base", true, &[], &[]),
        ("{USER}?memberOf?one", true, &[], &[]),
        ("{USER}?memberOf?sub", true, &[], &[]),
        ("{USER}?memberOf?SUB", true, &[], &[]),
        ("{USER}?memberOf", true, &[], &[]),
        ("{USER}", true, &[], &[]),
        ("{USER}?memberOf??", true, &[], &[]),
        ("{USER}?memberOf?subtree", true, &["query_scope"], &[]),
        ("{USER}?memberOf?bas", true, &["query_scope"], &[]),
        (
            "DC=example,DC=com?cn?sub?(&(objectClass=group)(member={USER}))",
            true,
            &[],
            &[],
        ),
        (
            "DC=example,DC=com?cn?sub?(&(objectClass=group)(member={USER})",
            true,
            &["query_filter"],
            &[],
        ),
        (
            "DC=example,DC=com?cn?sub?(member={USER}))",
            true,
            &["query_filter"],
            &[],
        ),
        (
            "DC=example,DC=com?cn?sub?)(member={USER}",
            true,
            &["query_filter"],
            &[],
        ),
        (
            "DC=example,DC=com?cn?sub?(member=\\28{USER}\\29)?ext",
            true,
            &[],
            &[],
        ),
        ("{USER}?a?base?(x)?ext?more", true, &["query_syntax"], &[]),
        (
            "DC=example,DC=com?memberOf?base",
            true,
            &[],
            &["query_missing_user"],
        ),
        ("DC=example,DC=com?memberOf?base", false, &[], &[]),
        ("", true, &[], &["query_missing_user"]),
        ("?a?x?(", false, &["query_scope", "query_filter"], &[]),
    ];
    for (input, authz, errors, warnings) in rows {
        let res = v::authz_query_template(input, "authzQueryTemplate", *authz, EN);
        assert_eq!(error_codes(&res), *errors, "errors of {input:?}");
        assert_eq!(warning_codes(&res), *warnings, "warnings of {input:?}");
    }
}

// ---------------------------------------------------------------------------------------
// userToDNMapping

#[test]
fn capture_group_counting() {
    let rows: &[(&str, Option<usize>)] = &[
        ("(.*)", Some(1)),
        ("(.+)@(.+)", Some(2)),
        ("(?:a)(b)", Some(1)),
        ("(?=a)(?!b)(?<=c)(?<!d)(e)", Some(1)),
        ("(?<user>.+)@(?<domain>.+)", Some(2)),
        ("\\((a)\\)", Some(1)),
        ("[(](a)[)]", Some(1)),
        ("[\\]()](a)", Some(1)),
        ("[^]()](a)", Some(2)), // ECMAScript: [^] is a class, then "()", "]" and "(a)"
        ("[]()", Some(1)),      // ECMAScript: [] is an empty class, then an empty group
        ("((a)(b))", Some(3)),
        ("abc", Some(0)),
        ("", Some(0)),
        ("(a", None),
        ("a)", None),
        ("(a))(", None),
        ("[abc", None),
        ("[(]", Some(0)),
        ("a\\", None),
        ("[a\\]", None),
    ];
    for (pattern, groups) in rows {
        assert_eq!(v::capture_groups(pattern), *groups, "groups of {pattern:?}");
    }
}

#[test]
fn user_to_dn_mapping_table() {
    let rows: &[(Value, Expect, Expect)] = &[
        (
            json!([{"match": "(.+)@example.com", "substitution": "CN={0},DC=example,DC=com"}]),
            &[],
            &[],
        ),
        (
            json!([{"match": "(.+)", "ldapQuery": "DC=example,DC=com??sub?(userPrincipalName={0})"}]),
            &[],
            &[],
        ),
        (json!([]), &[], &[]),
        (
            json!([{"match": "(.+)", "substitution": "CN={0}", "ldapQuery": "DC=x??sub?(uid={0})"}]),
            &[],
            &[("m[0].ldapQuery", "mapping_both_templates")],
        ),
        (
            json!([{"match": "(.+)"}]),
            &[("m[0]", "mapping_template_missing")],
            &[],
        ),
        (
            json!([{"substitution": "CN=x"}]),
            &[("m[0].match", "required")],
            &[],
        ),
        (
            json!([{"match": "", "substitution": "CN=x"}]),
            &[("m[0].match", "required")],
            &[],
        ),
        (
            json!([{"match": "(.+", "substitution": "CN={0}"}]),
            &[("m[0].match", "regex_syntax")],
            &[],
        ),
        (
            json!([{"match": "[a-z", "substitution": "CN=x"}]),
            &[("m[0].match", "regex_syntax")],
            &[],
        ),
        // Placeholders: {n} must be below the group count.
        (
            json!([{"match": "(a)(b)", "substitution": "CN={1}"}]),
            &[],
            &[],
        ),
        (
            json!([{"match": "(a)(b)", "substitution": "CN={2}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": ".*", "substitution": "CN={0}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "(?:a)(b)", "substitution": "CN={0}"}]),
            &[],
            &[],
        ),
        (
            json!([{"match": "(?:a)(b)", "substitution": "CN={1}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "\\((b)\\)", "substitution": "{1}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "[(](b)", "substitution": "{1}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "(?<u>.+)", "substitution": "{0}"}]),
            &[],
            &[],
        ),
        (
            json!([{"match": "(?=x)(.+)", "substitution": "{1}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "(.+)", "ldapQuery": "DC=x??sub?(uid={1})"}]),
            &[("m[0].ldapQuery", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "(.+)", "ldapQuery": "DC=x??bad?(uid={0}"}]),
            &[
                ("m[0].ldapQuery", "query_scope"),
                ("m[0].ldapQuery", "query_filter"),
            ],
            &[],
        ),
        (
            json!([{"match": "(.+)", "substitution": "{99999999999999999999999}"}]),
            &[("m[0].substitution", "placeholder_range")],
            &[],
        ),
        (
            json!([{"match": "(.+)", "substitution": "{x} {} {0"}]),
            &[],
            &[],
        ),
        // Types.
        (json!({"match": "(.+)"}), &[("m", "type")], &[]),
        (
            json!([null, 3, {"match": 1, "substitution": false}]),
            &[
                ("m[0]", "type"),
                ("m[1]", "type"),
                ("m[2].match", "type"),
                ("m[2].substitution", "type"),
            ],
            &[],
        ),
    ];
    for (value, errors, warnings) in rows {
        let res = v::user_to_dn_mapping(value, "m", EN);
        assert_eq!(
            of(&res, Severity::Error),
            pairs(errors),
            "errors of {value}"
        );
        assert_eq!(
            of(&res, Severity::Warning),
            pairs(warnings),
            "warnings of {value}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// PEM certificates

#[test]
fn pem_table() {
    let two = format!("{CERT}{CERT}");
    let with_text = format!("subject=CN=Example CA\n{CERT}\n");
    let crlf = CERT.replace('\n', "\r\n");
    let crlf_bad = crlf.replace("TUlJQg==", "TUl*Qg==");
    let no_newline = CERT.trim_end().to_string();
    let rows: &[(&str, &[&str])] = &[
        ("", &[]),
        (CERT, &[]),
        (&two, &[]),
        (&with_text, &[]),
        (&no_newline, &[]),
        ("string", &["pem"]),
        (&crlf, &["crlf"]),
        (&crlf_bad, &["crlf", "pem_base64"]),
        (
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            &["pem_base64"],
        ),
        (
            "-----BEGIN CERTIFICATE-----\nTUl JQg==\n-----END CERTIFICATE-----\n",
            &["pem_base64"],
        ),
        (
            "-----BEGIN CERTIFICATE-----\nTUlJQg=\n-----END CERTIFICATE-----\n",
            &["pem_base64"],
        ),
        (
            "-----BEGIN CERTIFICATE-----\nTU=lJQg=\n-----END CERTIFICATE-----\n",
            &["pem_base64"],
        ),
        ("-----BEGIN CERTIFICATE-----\nTUlJQg==\n", &["pem"]),
        ("TUlJQg==\n-----END CERTIFICATE-----\n", &["pem"]),
        (
            "-----BEGIN PRIVATE KEY-----\nTUlJQg==\n-----END PRIVATE KEY-----\n",
            &["pem"],
        ),
        (
            &format!("{CERT}-----BEGIN PRIVATE KEY-----\nTUlJQg==\n-----END PRIVATE KEY-----\n"),
            &["pem"],
        ),
        (
            "-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----BEGIN CERTIFICATE-----\n",
            &["pem"],
        ),
    ];
    for (input, errors) in rows {
        let res = v::pem_certificates(input, "ldap.caCertificate", EN);
        assert_eq!(error_codes(&res), *errors, "errors of {input:?}");
        assert!(res.issues.iter().all(|i| i.path == "ldap.caCertificate"));
    }
}

// ---------------------------------------------------------------------------------------
// groupRoles and groupRole

#[test]
fn group_roles_table() {
    let rows: &[(Value, Expect, Expect)] = &[
        (
            json!({"groupRoles": ["GROUP_OWNER", "GROUP_READ_ONLY"]}),
            &[],
            &[],
        ),
        (json!({"groupRoles": []}), &[], &[]),
        (
            json!({"groupRoles": ["GROUP_OWNER"], "links": []}),
            &[],
            &[],
        ),
        (
            json!({"groupRoles": ["GROUP_OWNER", "GROUP_OWNER"]}),
            &[("groupRoles[1]", "duplicate")],
            &[],
        ),
        (
            json!({"groupRoles": ["GROUP_OWNER", "", "GROUP_OWNER", ""]}),
            &[
                ("groupRoles[1]", "required"),
                ("groupRoles[2]", "duplicate"),
                ("groupRoles[3]", "required"),
            ],
            &[],
        ),
        (
            json!({"groupRoles": ["group_owner"]}),
            &[],
            &[("groupRoles[0]", "unknown_role")],
        ),
        (
            json!({"groupRoles": ["ORG_OWNER", "ORG_OWNER"]}),
            &[("groupRoles[1]", "duplicate")],
            &[("groupRoles[0]", "unknown_role")],
        ),
        (
            json!({"groupRoles": [1, null, ["GROUP_OWNER"]]}),
            &[
                ("groupRoles[0]", "type"),
                ("groupRoles[1]", "type"),
                ("groupRoles[2]", "type"),
            ],
            &[],
        ),
        (
            json!({"groupRoles": "GROUP_OWNER"}),
            &[("groupRoles", "type")],
            &[],
        ),
        (json!({}), &[("groupRoles", "required")], &[]),
        (json!(["GROUP_OWNER"]), &[("", "type")], &[]),
        (Value::Null, &[("", "type")], &[]),
    ];
    for (value, errors, warnings) in rows {
        let res = v::group_roles(value, EN);
        assert_eq!(
            of(&res, Severity::Error),
            pairs(errors),
            "errors of {value}"
        );
        assert_eq!(
            of(&res, Severity::Warning),
            pairs(warnings),
            "warnings of {value}"
        );
    }
    assert_eq!(v::PROJECT_ROLES.len(), 11);
    for role in v::PROJECT_ROLES {
        assert!(v::group_role(role, EN).issues.is_empty());
    }
    table(
        v::group_role,
        &[
            ("", &["required"], &[]),
            ("GROUP_ADMIN", &[], &["unknown_role"]),
        ],
    );
    assert_eq!(v::group_role("", EN).issues[0].path, "groupRole");
}

// ---------------------------------------------------------------------------------------
// userSecurity bodies

/// The `ldap` object of the example response in seeds/002 (the legacy GET docs).
fn seed_002_ldap() -> Value {
    json!({
        "authenticationEnabled": true,
        "authorizationEnabled": true,
        "authzQueryTemplate": "{USER}?memberOf?base",
        "bindUsername": "CN=Administrator,CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com",
        "hostname": "atlas-ldaps-01.ldap.myteam.com",
        "port": 636,
        "userToDNMapping": [{
            "match": "(.*)",
            "substitution": "CN={0},CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com"
        }]
    })
}

/// The request example of seeds/001 (the PATCH docs).
fn seed_001_request() -> Value {
    json!({
        "customerX509": {"cas": "string"},
        "ldap": {
            "authenticationEnabled": true,
            "authorizationEnabled": true,
            "authzQueryTemplate": "{USER}?memberOf?base",
            "bindPassword": "string",
            "bindUsername": "CN=BindUser,CN=Users,DC=myldapserver,DC=mycompany,DC=com",
            "caCertificate": "string",
            "hostname": "string",
            "port": 636,
            "userToDNMapping": [{
                "ldapQuery": "string",
                "match": "(.*)",
                "substitution": "CN={0},CN=Users,DC=my-atlas-ldap-server,DC=example,DC=com"
            }]
        }
    })
}

#[test]
fn seed_002_response_ldap_has_only_the_hostname_warning() {
    let res = v::user_security(&json!({"ldap": seed_002_ldap()}), EN);
    assert!(res.ok, "{res:#?}");
    assert_eq!(res.issues.len(), 1);
    assert_eq!(
        of(&res, Severity::Warning),
        pairs(&[("ldap.hostname", "spec_pattern")])
    );
}

#[test]
fn seed_001_request_errors_are_only_the_placeholder_certificates() {
    let res = v::user_security(&seed_001_request(), EN);
    assert!(!res.ok);
    assert_eq!(
        of(&res, Severity::Error),
        pairs(&[("customerX509.cas", "pem"), ("ldap.caCertificate", "pem")])
    );
    assert_eq!(
        of(&res, Severity::Warning),
        pairs(&[
            ("ldap.hostname", "spec_pattern"),
            (
                "ldap.userToDNMapping[0].ldapQuery",
                "mapping_both_templates"
            ),
        ])
    );
}

#[test]
fn seed_001_response_with_links_is_read_the_same() {
    let mut body = seed_001_request();
    body["links"] = json!([{"href": "https://cloud.mongodb.com/api/atlas", "rel": "self"}]);
    body["ldap"]["links"] = body["links"].clone();
    body["customerX509"]["links"] = body["links"].clone();
    body["ldap"].as_object_mut().unwrap().remove("bindPassword");
    let res = v::user_security(&body, EN);
    assert_eq!(error_codes(&res), ["pem", "pem"]);
}

#[test]
fn user_security_reports_every_issue_with_paths() {
    let body = json!({
        "customerX509": {"cas": "string\r\n"},
        "ldap": {
            "authenticationEnabled": false,
            "authorizationEnabled": true,
            "authzQueryTemplate": "DC=x?memberOf?everything",
            "bindPassword": 12,
            "bindUsername": "admin",
            "caCertificate": CERT,
            "hostname": "ldap.example.com:636",
            "port": 0,
            "userToDNMapping": [
                {"match": "(.+)", "substitution": "CN={0}"},
                {"match": "(.+", "substitution": "CN={0}"},
                {"match": "(.+)"}
            ]
        }
    });
    let res = v::user_security(&body, EN);
    assert_eq!(
        of(&res, Severity::Error),
        pairs(&[
            ("customerX509.cas", "crlf"),
            ("customerX509.cas", "pem"),
            (
                "ldap.authorizationEnabled",
                "authorization_without_authentication"
            ),
            ("ldap.hostname", "pattern"),
            ("ldap.port", "range"),
            ("ldap.bindUsername", "dn_attribute_type"),
            ("ldap.bindPassword", "type"),
            ("ldap.authzQueryTemplate", "query_scope"),
            ("ldap.userToDNMapping[1].match", "regex_syntax"),
            ("ldap.userToDNMapping[2]", "mapping_template_missing"),
        ])
    );
    assert_eq!(
        of(&res, Severity::Warning),
        pairs(&[("ldap.authzQueryTemplate", "query_missing_user")])
    );
}

#[test]
fn authorization_needs_authentication_only_when_explicitly_false() {
    let cases = [
        (
            json!({"authenticationEnabled": false, "authorizationEnabled": true}),
            false,
        ),
        (
            json!({"authenticationEnabled": true, "authorizationEnabled": true}),
            true,
        ),
        (json!({"authorizationEnabled": true}), true),
        (
            json!({"authenticationEnabled": false, "authorizationEnabled": false}),
            true,
        ),
        (json!({"authenticationEnabled": false}), true),
    ];
    for (ldap, ok) in cases {
        let res = v::user_security(&json!({ "ldap": ldap }), EN);
        assert_eq!(res.ok, ok, "{ldap}");
    }
}

#[test]
fn user_security_wrong_types_are_type_issues() {
    let rows: &[(Value, &[(&str, &str)])] = &[
        (json!(null), &[("", "type")]),
        (json!(3), &[("", "type")]),
        (json!("ldap"), &[("", "type")]),
        (json!([]), &[("", "type")]),
        (json!({}), &[]),
        (
            json!({"ldap": 1, "customerX509": []}),
            &[("customerX509", "type"), ("ldap", "type")],
        ),
        (
            json!({"customerX509": {"cas": null}}),
            &[("customerX509.cas", "type")],
        ),
        (
            json!({"ldap": {
                "authenticationEnabled": "true", "authorizationEnabled": 1,
                "authzQueryTemplate": [], "bindPassword": null, "bindUsername": {},
                "caCertificate": 5, "hostname": false, "port": "636", "userToDNMapping": {}
            }}),
            &[
                ("ldap.authenticationEnabled", "type"),
                ("ldap.authorizationEnabled", "type"),
                ("ldap.hostname", "type"),
                ("ldap.port", "type"),
                ("ldap.bindUsername", "type"),
                ("ldap.bindPassword", "type"),
                ("ldap.caCertificate", "type"),
                ("ldap.authzQueryTemplate", "type"),
                ("ldap.userToDNMapping", "type"),
            ],
        ),
        (
            json!({"ldap": {"caCertificate": "", "bindPassword": ""}, "customerX509": {"cas": ""}}),
            &[],
        ),
        (json!({"unknown": 1, "links": "x"}), &[]),
    ];
    for (value, errors) in rows {
        let res = v::user_security(value, EN);
        assert_eq!(
            of(&res, Severity::Error),
            pairs(errors),
            "errors of {value}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// LDAP verify params

#[test]
fn verify_params_table() {
    let good = json!({
        "hostname": "ldap.example.com",
        "port": 636,
        "bindUsername": "CN=BindUser,DC=example,DC=com",
        "bindPassword": "hunter2-secret",
    });
    assert_eq!(
        v::ldap_verify_params(&good, EN),
        Validation {
            ok: true,
            issues: vec![]
        }
    );

    let mut with_optional = good.clone();
    with_optional["authzQueryTemplate"] = json!("{USER}?memberOf?base");
    with_optional["caCertificate"] = json!(CERT);
    assert!(v::ldap_verify_params(&with_optional, EN).issues.is_empty());

    let res = v::ldap_verify_params(&json!({}), EN);
    assert_eq!(
        of(&res, Severity::Error),
        pairs(&[
            ("hostname", "required"),
            ("port", "required"),
            ("bindUsername", "required"),
            ("bindPassword", "required"),
        ])
    );

    let res = v::ldap_verify_params(
        &json!({"hostname": "", "port": 65536, "bindUsername": "", "bindPassword": "",
                "authzQueryTemplate": "DC=x?memberOf?base", "caCertificate": "string"}),
        EN,
    );
    assert_eq!(
        of(&res, Severity::Error),
        pairs(&[
            ("hostname", "required"),
            ("port", "range"),
            ("bindUsername", "required"),
            ("bindPassword", "required"),
            ("caCertificate", "pem"),
        ])
    );
    assert_eq!(
        of(&res, Severity::Warning),
        pairs(&[("authzQueryTemplate", "query_missing_user")])
    );

    let res = v::ldap_verify_params(&json!("x"), EN);
    assert_eq!(of(&res, Severity::Error), pairs(&[("", "type")]));
}

#[test]
fn wrong_type_is_a_single_type_error() {
    let res = v::wrong_type("groupId", "string", EN);
    assert!(!res.ok);
    assert_eq!(of(&res, Severity::Error), pairs(&[("groupId", "type")]));
    assert!(res.issues[0].message.contains("groupId"));
    assert!(res.issues[0].message.contains("a string"));
    let zh = v::wrong_type("groupId", "string", Locale::Zh);
    assert!(zh.issues[0].message.contains("字符串"));
}

// ---------------------------------------------------------------------------------------
// Messages

#[test]
fn every_code_has_english_and_chinese_messages() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL {
        let s = code.as_str();
        assert!(seen.insert(s), "duplicate code {s}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{s}"
        );
        let en = code.message(Locale::En, "ldap.port", &["7", "1"]);
        let zh = code.message(Locale::Zh, "ldap.port", &["7", "1"]);
        assert!(
            en.contains("ldap.port") && zh.contains("ldap.port"),
            "{s} names the field"
        );
        assert!(en.is_ascii(), "{s}: English message is English: {en}");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{s}: Chinese message has Chinese text: {zh}"
        );
        assert!(
            !en.contains('%') && !zh.contains('%'),
            "{s}: no unfilled template"
        );
        assert_ne!(en, zh);
    }
    for code in [
        "required",
        "type",
        "pattern",
        "range",
        "spec_pattern",
        "crlf",
        "duplicate",
        "unknown_role",
    ] {
        assert!(seen.contains(code), "{code}");
    }
}

#[test]
fn messages_follow_the_locale() {
    let en = v::hostname("ldap.example.com:636", Locale::En);
    let zh = v::hostname("ldap.example.com:636", Locale::Zh);
    assert_eq!(en.issues[0].code, zh.issues[0].code);
    assert!(en.issues[0].message.contains("IPv4"));
    assert!(zh.issues[0].message.contains("主机名"));
    assert_eq!(Locale::parse("zh-CN"), Locale::Zh);
    let body = v::user_security(&json!(1), Locale::Zh);
    assert!(body.issues[0].message.contains("请求体"));
}

// ---------------------------------------------------------------------------------------
// Spec patterns

#[test]
fn spec_patterns_are_verbatim() {
    // Copied from components.schemas.LDAPSecuritySettings of the spec.
    assert_eq!(v::SPEC_PATTERNS.group_id, r"^([a-f0-9]{24})$");
    assert_eq!(
        v::SPEC_PATTERNS.hostname,
        r"^([0-9]{1,3}\.){3}[0-9]{1,3}|([0-9a-f]{1,4}:){7}([0-9a-f]{1,4})|(([a-z0-9]+\.){1,10}[a-z]+)?$"
    );
    assert_eq!(
        v::SPEC_PATTERNS.bind_username,
        r"^(?:(?<cn>CN=(?<name>[^,]*)),)?(?:(?<path>(?:(?:CN|OU)=[^,]+,?)+),)?(?<domain>(?:DC=[^,]+,?)+)$"
    );
    // And against the spec file itself where the shared reference is checked out beside us.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/atlas-ldap-openapi.json"
    );
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    let spec: Value = serde_json::from_str(&text).unwrap();
    for schema in [
        "LDAPSecuritySettings",
        "LDAPVerifyConnectivityJobRequestParams",
    ] {
        let props = &spec["components"]["schemas"][schema]["properties"];
        assert_eq!(props["hostname"]["pattern"], v::SPEC_PATTERNS.hostname);
        assert_eq!(
            props["bindUsername"]["pattern"],
            v::SPEC_PATTERNS.bind_username
        );
    }
    assert!(text.contains(&serde_json::to_string(v::SPEC_PATTERNS.group_id).unwrap()));
}

fn whole(pattern: &str) -> regex::Regex {
    regex::Regex::new(&format!("^(?:{pattern})$")).unwrap()
}

#[test]
fn spec_matchers_agree_with_regex_on_examples() {
    let host = whole(v::SPEC_PATTERNS.hostname);
    let dn = whole(v::SPEC_PATTERNS.bind_username);
    let hosts = [
        "",
        "1.2.3.4",
        "1.2.3.400",
        "1.2.3",
        "1234.1.1.1",
        "a:b:c:d:e:f:0:1",
        "a:b:c:d:e:f:0:12345",
        "A:b:c:d:e:f:0:1",
        "::1",
        "a.b",
        "a",
        "a1.b2",
        "a1.b",
        "a.b.c.d.e.f.g.h.i.j.k",
        "a.b.c.d.e.f.g.h.i.j.k.l",
        "a-b.c",
        "atlas-ldaps-01.ldap.myteam.com",
        "x.y.",
        ".x.y",
    ];
    for h in hosts {
        assert_eq!(
            v::hostname_matches_spec(h),
            host.is_match(h),
            "hostname {h:?}"
        );
    }
    let dns = [
        "",
        "DC=com",
        "DC=",
        "CN=,DC=com",
        "CN=a,DC=com",
        "OU=a,DC=com",
        "OU=a,,DC=com",
        "CN=a,,DC=com",
        "CN=,,DC=com",
        "CN=a,OU=b,CN=c,DC=d,DC=e,",
        "DC=a,",
        "DC=a,,",
        "DC=aDC=b",
        "OU=aDC=b",
        "OU=a,DC=b,OU=c",
        "cn=admin,dc=example,dc=org",
        ",DC=a",
        "CN=a,OU=b",
        "CN=Administrator,CN=Users,DC=atlas-ldaps-01,DC=myteam,DC=com",
    ];
    for d in dns {
        assert_eq!(
            v::bind_username_matches_spec(d),
            dn.is_match(d),
            "bindUsername {d:?}"
        );
    }
}

/// Strings built from the pieces that matter to the hostname pattern.
fn host_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("."),
        Just(":"),
        Just("::"),
        Just("0"),
        Just("9"),
        Just("12"),
        Just("255"),
        Just("a"),
        Just("f"),
        Just("z"),
        Just("abc"),
        Just("db8"),
        Just("A"),
        Just("-"),
        Just("g1"),
        Just("1234"),
        Just("é"),
    ];
    prop::collection::vec(piece, 0..20).prop_map(|p| p.concat())
}

/// Strings built from the pieces that matter to the bindUsername pattern.
fn dn_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("CN="),
        Just("OU="),
        Just("DC="),
        Just(","),
        Just(",,"),
        Just("="),
        Just("a"),
        Just("x y"),
        Just("C"),
        Just("N"),
        Just("D"),
        Just("O"),
        Just("U"),
        Just("cn="),
        Just("\\,"),
        Just("+"),
        Just("é"),
        Just("\n"),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn hostname_matcher_equals_regex(s in prop_oneof![host_like(), "[0-9a-f.:]{0,40}", ".{0,30}"]) {
        let re = whole(v::SPEC_PATTERNS.hostname);
        prop_assert_eq!(v::hostname_matches_spec(&s), re.is_match(&s), "{:?}", s);
    }

    #[test]
    fn bind_username_matcher_equals_regex(s in prop_oneof![dn_like(), "[CNOUD=,a]{0,30}", ".{0,30}"]) {
        let re = whole(v::SPEC_PATTERNS.bind_username);
        prop_assert_eq!(v::bind_username_matches_spec(&s), re.is_match(&s), "{:?}", s);
    }

    #[test]
    fn id_validators_agree_with_the_id_pattern(s in prop_oneof!["[a-f0-9]{24}", "[a-fA-F0-9 ]{22,26}", ".{0,30}"]) {
        let re = regex::Regex::new(v::SPEC_PATTERNS.group_id).unwrap();
        let res = v::group_id(&s, EN);
        prop_assert_eq!(res.ok, re.is_match(&s));
    }
}

// ---------------------------------------------------------------------------------------
// Robustness properties

fn check_shape(res: &Validation) -> Result<(), TestCaseError> {
    let any_error = res.issues.iter().any(|i| i.severity == Severity::Error);
    prop_assert_eq!(res.ok, !any_error);
    for issue in &res.issues {
        prop_assert!(
            Code::ALL.iter().any(|c| c.as_str() == issue.code),
            "{}",
            issue.code
        );
        prop_assert!(!issue.message.is_empty());
        if !issue.path.is_empty() {
            prop_assert!(issue.message.contains(issue.path.as_str()), "{:?}", issue);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn string_validators_never_panic(s in prop_oneof![".{0,80}", "[\\x00-\\x7f]{0,80}", host_like(), dn_like()], zh in any::<bool>()) {
        let locale = if zh { Locale::Zh } else { Locale::En };
        for res in [
            v::group_id(&s, locale), v::user_id(&s, locale), v::request_id(&s, locale),
            v::hostname(&s, locale), v::bind_username(&s, locale), v::group_role(&s, locale),
            v::pem_certificates(&s, "cas", locale),
            v::authz_query_template(&s, "q", zh, locale),
            v::wrong_type(&s, &s, locale),
        ] {
            check_shape(&res)?;
        }
        let _ = v::capture_groups(&s);
        let mapping = json!([{ "match": s, "substitution": s, "ldapQuery": s }]);
        check_shape(&v::user_to_dn_mapping(&mapping, "m", locale))?;
    }

    #[test]
    fn body_validators_never_panic(value in prop_oneof![arb_json(), arb_body()], zh in any::<bool>()) {
        let locale = if zh { Locale::Zh } else { Locale::En };
        for res in [
            v::user_security(&value, locale),
            v::ldap_verify_params(&value, locale),
            v::group_roles(&value, locale),
            v::port(&value, locale),
            v::user_to_dn_mapping(&value, "m", locale),
        ] {
            check_shape(&res)?;
        }
        if let Some(ldap) = value.get("ldap") {
            check_shape(&v::ldap_verify_params(ldap, locale))?;
        }
    }

    #[test]
    fn bind_password_never_appears_in_messages(value in arb_body(), zh in any::<bool>()) {
        const SECRET: &str = "Pa55w0rd-Secret-7f3a";
        let locale = if zh { Locale::Zh } else { Locale::En };
        let mut body = value;
        if let Some(ldap) = body.get_mut("ldap").and_then(Value::as_object_mut) {
            ldap.insert("bindPassword".into(), json!(SECRET));
        }
        let mut verify = body["ldap"].clone();
        verify["bindPassword"] = json!(SECRET);
        for res in [v::user_security(&body, locale), v::ldap_verify_params(&verify, locale)] {
            for issue in &res.issues {
                prop_assert!(!issue.message.contains(SECRET) && !issue.path.contains(SECRET));
            }
        }
    }
}
