//! The requests the client core builds conform to the official spec: method, path template,
//! query parameters, media types, and a body that validates against the operation's schema.

use atlas_ldap::client::{BaseUrl, ClientConfig, HttpRequest, Operation, RequestOptions};
use atlas_ldap::validate::Locale;
use serde_json::{json, Value};

const SPEC: &str = include_str!("../../shared/reference/atlas-ldap-openapi.json");
const G: &str = "32b6e34b3d91647abb20e7b8";
const U: &str = "5b6e34b3d91647abb20e7b81";
const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUOq==\n-----END CERTIFICATE-----\n";

fn spec() -> Value {
    serde_json::from_str(SPEC).expect("spec JSON")
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r.trim_start_matches("#/").split('/').fold(spec, |node, key| &node[key]),
        None => v,
    }
}

/// Checks `value` against the spec's schema subset: type, properties (no unknown ones, no
/// read-only ones in a request), required, items, uniqueItems.
fn check(spec: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
    let ok = match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => true,
    };
    if !ok {
        errors.push(format!("{path}: not a {ty}"));
        return;
    }
    if let (Some(props), Some(obj)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
        for (key, v) in obj {
            match props.get(key) {
                Some(p) if resolve(spec, p).get("readOnly") == Some(&Value::Bool(true)) => {
                    errors.push(format!("{path}.{key}: read-only in a request"))
                }
                Some(p) => check(spec, p, v, &format!("{path}.{key}"), errors),
                None => errors.push(format!("{path}.{key}: not in the schema")),
            }
        }
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !obj.contains_key(required.as_str().unwrap_or("")) {
                errors.push(format!("{path}.{required}: required"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(spec, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// Finds the spec operation a request is, by method and path template.
fn operation<'a>(spec: &'a Value, req: &HttpRequest) -> (&'a str, &'a Value) {
    let path = req.path_and_query.split('?').next().unwrap();
    let method = req.method.as_str().to_ascii_lowercase();
    for (template, ops) in spec["paths"].as_object().unwrap() {
        let pattern = template.replace("{groupId}", G).replace("{userId}", U).replace("{requestId}", G);
        if pattern == path {
            if let Some(op) = ops.get(&method) {
                return (template, op);
            }
        }
    }
    panic!("{} {path} is not an operation of the spec", req.method.as_str());
}

fn conforms(op: Operation<'_>, options: &RequestOptions) -> String {
    let spec = spec();
    let config = ClientConfig::new(BaseUrl::parse("https://cloud.mongodb.com", false).unwrap());
    let req = op.request(&config, options, Locale::En).expect("valid input");
    let (template, spec_op) = operation(&spec, &req);
    let accept = req.header("accept").unwrap();
    let responses = spec_op["responses"].as_object().unwrap();
    let success = responses.iter().find(|(code, _)| code.starts_with('2')).expect("a 2xx answer").1;
    assert!(success["content"].get(accept).is_some(), "{template}: Accept {accept} is not a documented answer");
    match (&req.body, spec_op.get("requestBody")) {
        (Some(body), Some(rb)) => {
            let content_type = req.header("content-type").unwrap();
            let media = rb["content"].get(content_type).unwrap_or_else(|| panic!("{template}: {content_type}"));
            let mut errors = Vec::new();
            check(&spec, &media["schema"], &serde_json::from_str(body).unwrap(), "body", &mut errors);
            assert!(errors.is_empty(), "{template}: {errors:?}");
        }
        (None, None) => {}
        (body, rb) => panic!("{template}: body {} but spec requestBody {}", body.is_some(), rb.is_some()),
    }
    let documented: Vec<String> = spec_op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| resolve(&spec, p))
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    if let Some((_, query)) = req.url.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap();
            assert!(documented.iter().any(|d| d == name), "{template}: query {name} is not documented");
        }
    }
    template.to_owned()
}

#[test]
fn every_operation_conforms_to_the_spec() {
    let settings = json!({
        "customerX509": { "cas": PEM },
        "ldap": {
            "authenticationEnabled": true, "authorizationEnabled": false,
            "authzQueryTemplate": "{USER}?memberOf?base", "bindPassword": "pw",
            "bindUsername": "CN=BindUser,CN=Users,DC=example,DC=com", "caCertificate": "",
            "hostname": "ldap.example.com", "port": 636,
            "userToDNMapping": [{ "match": "(.+)", "substitution": "CN={0},DC=example,DC=com" }]
        }
    });
    let params = json!({ "hostname": "ldap.example.com", "port": 636, "bindUsername": "CN=B,DC=example,DC=com",
        "bindPassword": "pw", "caCertificate": PEM, "authzQueryTemplate": "{USER}?memberOf?base" });
    let roles = json!({ "groupRoles": ["GROUP_OWNER"] });
    let ops = [
        Operation::GetUserSecurity { group_id: G },
        Operation::UpdateUserSecurity { group_id: G, body: &settings },
        Operation::DisableCustomerX509 { group_id: G },
        Operation::DeleteLdapUserToDnMapping { group_id: G },
        Operation::VerifyLdap { group_id: G, params: &params },
        Operation::GetLdapVerifyStatus { group_id: G, request_id: G },
        Operation::UpdateUserRoles { group_id: G, user_id: U, body: &roles },
        Operation::AddUserRole { group_id: G, user_id: U, role: "GROUP_OWNER" },
        Operation::RemoveUserRole { group_id: G, user_id: U, role: "GROUP_OWNER" },
    ];
    let all = RequestOptions { envelope: true, pretty: true, ..RequestOptions::default() };
    let mut seen: Vec<String> = Vec::new();
    for op in ops {
        seen.push(conforms(op, &RequestOptions::default()));
        conforms(op, &all);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), spec()["paths"].as_object().unwrap().len(), "every path of the spec is covered");
}

#[test]
fn a_document_read_with_get_can_be_sent_back_without_its_read_only_links() {
    let link = json!([{ "href": "https://cloud.mongodb.com/api/atlas", "rel": "self" }]);
    let read = json!({
        "customerX509": { "cas": PEM, "links": link },
        "ldap": { "authenticationEnabled": false, "hostname": "ldap.example.com", "port": 636, "links": link },
        "links": link
    });
    let config = ClientConfig::new(BaseUrl::parse("https://cloud.mongodb.com", false).unwrap());
    let req = Operation::UpdateUserSecurity { group_id: G, body: &read }
        .request(&config, &RequestOptions::default(), Locale::En)
        .unwrap();
    let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, json!({
        "customerX509": { "cas": PEM },
        "ldap": { "authenticationEnabled": false, "hostname": "ldap.example.com", "port": 636 }
    }));
    conforms(Operation::UpdateUserSecurity { group_id: G, body: &read }, &RequestOptions::default());
}
