#!/usr/bin/env python3
"""Writes the committed seed corpora fuzz/seeds/{validators,decoders}/ from the spec subset and
the original documents in ../shared/, plus hand-picked edge cases. Run it again after the
spec or the seeds change: python3 fuzz/make_seeds.py"""
import hashlib, json, os, pathlib, shutil, struct

HERE = pathlib.Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"

def json_docs(text):
    """Every JSON object or array that starts at a '{' or '[' of the text."""
    dec, out = json.JSONDecoder(), []
    i = 0
    while i < len(text):
        if text[i] in "{[":
            try:
                doc, end = dec.raw_decode(text, i)
                if doc:
                    out.append(doc)
                    i = end
                    continue
            except ValueError:
                pass
        i += 1
    return out

def spec_examples(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "example":
                out.append(v)
            else:
                spec_examples(v, out)
    elif isinstance(node, list):
        for v in node:
            spec_examples(v, out)

docs = []
spec_examples(json.loads((SHARED / "reference/atlas-ldap-openapi.json").read_text()), docs)
for seed in sorted((SHARED / "seeds").glob("*.txt")):
    docs.extend(json_docs(seed.read_text()))

strings = [d for d in docs if isinstance(d, str)]
objects = [d for d in docs if not isinstance(d, str)]
strings += [
    "", "32b6e34b3d91647abb20e7b8", "32B6E34B3D91647ABB20E7B8", " 32b6e34b3d91647abb20e7b8",
    "atlas-ldaps-01.ldap.myteam.com", "ldap.example.com:636", "10.0.0.1", "256.1.1.1",
    "::1", "2001:db8::8a2e:370:7334", "fe80::1%eth0", "::ffff:192.0.2.1", "a" * 64 + ".com",
    "cn=admin,dc=example,dc=org", "CN=Bind\\, User+UID=7,OU=x,DC=y", "CN=#04024869", "CN=\\4c\\c3\\a9",
    "2.5.4.3=x", "CN=,DC=x", "CN=a,", "ou=é",
    "{USER}?memberOf?base", "ou=groups,dc=x??sub?(&(objectClass=group)(member={USER}))", "?x?bad?((", "a?b?c?d?e?f",
    "(.+)@(.+)", "(?:x)(?<n>y)[(]\\(", "[", "\\", "(()",
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n",
    "-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n",
    "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", "-----BEGIN CERTIFICATE-----\n",
    "GROUP_OWNER", "GROUP_READ_ONLY", "zh-CN",
    "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"abc\", algorithm=MD5, qop=\"auth\", stale=false",
    "Digest realm=\"x\\\"y\", nonce=n, opaque=\"o\", qop=auth-int", "digest nonce", "Basic realm=x",
    "https://cloud.mongodb.com", "http://localhost:8080/prefix/", "http://127.0.0.1:8080", "http://[::1]:80",
    "https://user:pw@host", "HTTP://LOCALHOST", "https://host?x#y",
    "120", "  5 ", "99999999999",
]
objects += [
    {"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"},
    {"access_token": "tok"}, {"error": "invalid_client"},
    {"status": 200, "content": {"ldap": {"authenticationEnabled": False}}},
    {"status": 404, "content": {"error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": None}},
    {"status": 400, "content": {"error": 400, "errorCode": "VALIDATION_ERROR", "badRequestDetail": {"fields": [{"field": "ldap.port", "description": "range"}]}}},
    {"groupRoles": ["GROUP_OWNER", "GROUP_OWNER", ""]},
    {"ldap": {"authenticationEnabled": False, "authorizationEnabled": True, "port": 0,
              "userToDNMapping": [{"match": "(.+)", "substitution": "CN={1}"}, {"match": "", "ldapQuery": "x?y?z"}]}},
    {"requestId": "32b6e34b3d91647abb20e7b8", "status": "FAILED", "validations": [{"status": "FAIL", "validationType": "PARSE_AUTHZ_QUERY_TEMPLATE"}]},
]

def write(target, items):
    d = HERE / "seeds" / target
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for data in items:
        (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)
    return len(set(items))

texts = [s.encode() for s in strings] + [json.dumps(o).encode() for o in objects]
texts += [json.dumps(o, indent=2).encode() for o in objects[:4]]
n_v = write("validators", texts)
decoder_items = []
for t in texts:
    for status in (200, 400):
        decoder_items.append(struct.pack("<H", status) + t)
n_d = write("decoders", decoder_items)
print(f"seeds: {n_v} validators, {n_d} decoders")
