// The validators' text path (TextEncoder.encodeInto into wasm memory, issues cut from one
// string; see src/wasm/text_path.rs) must give exactly what the wasm-bindgen exports give.
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as atlas from "atlas-ldap";

// The raw wasm-bindgen module inside the installed package, past its exports map.
const require = createRequire(import.meta.url);
const raw = require(require.resolve("atlas-ldap").replace(/index\.cjs$/, "atlas_ldap.js"));

const TEXT = ["validateGroupId", "validateUserId", "validateRequestId", "validateHostname", "validateBindUsername"];
const BODY = ["validateUserSecurity", "validateLdapVerifyParams", "validateGroupRoles"];
const LOCALES = [undefined, { locale: "zh" }, { locale: "zh-Hant" }, { locale: "en" }, { locale: 7 }, null, "zh"];

const STRINGS = [
  "", " ", "32b6e34b3d91647abb20e7b8", "32B6E34B3D91647ABB20E7B8", "not-an-id",
  "ldap.example.com", "atlas-ldaps-01.ldap.myteam.com", "ldaps://ldap.example.com:636", "::1", "10.0.0.256",
  "CN=BindUser,CN=Users,DC=example,DC=com", "cn=admin,dc=example,dc=org", "CN=a, DC=b", "CN=\\",
  "é", "ldap.例子.com", "CN=Jürgen,DC=例子", "\u{1F600}", "\uD800", "a\uDC00b", "x".repeat(300), "a.".repeat(200),
];
const BODIES = [
  {}, [], null, 3, "text", { ldap: null }, { ldap: { port: 0, hostname: "h:636" } },
  { ldap: { hostname: "ldap.例子.com", bindUsername: "CN=Jürgen\uD800", port: 70000, authzQueryTemplate: "{USER}?memberOf?base" } },
  { customerX509: { cas: "not pem" }, ldap: { caCertificate: "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----" } },
  { ldap: { userToDNMapping: Array.from({ length: 40 }, (_, i) => ({ match: `(.+)@x${i}`, substitution: "{9}" })) } },
  { hostname: "ldap.example.com", port: 636, bindUsername: "CN=B,DC=x", bindPassword: "pw" },
  { groupRoles: ["GROUP_OWNER", "GROUP_OWNER", "", "GROUP_MADE_UP"] }, { groupRoles: "GROUP_OWNER" },
];

test("text path: every string validator agrees with the wasm export", () => {
  for (const name of TEXT) {
    for (const value of STRINGS) {
      for (const opts of LOCALES) {
        assert.deepEqual(atlas[name](value, opts), raw[name](value, opts), `${name}(${JSON.stringify(value)}, ${JSON.stringify(opts)})`);
      }
    }
  }
});

test("text path: every body validator agrees with the wasm export, including > 32 issues", () => {
  for (const name of BODY) {
    for (const body of BODIES) {
      for (const opts of LOCALES) {
        assert.deepEqual(atlas[name](body, opts), raw[name](body, opts), `${name}(${JSON.stringify(body)})`);
      }
    }
  }
  assert.ok(atlas.validateUserSecurity(BODIES[9]).issues.length > 32);
});

test("text path: a lone UTF-16 surrogate reads as U+FFFD on both paths, not as a non-object body", () => {
  const body = { groupRoles: ["GROUP_OWNER", "\ud800"] };
  const expected = atlas.validateGroupRoles({ groupRoles: ["GROUP_OWNER", "\ufffd"] });
  assert.deepEqual(atlas.validateGroupRoles(body), expected);
  assert.deepEqual(raw.validateGroupRoles(body), expected);
  assert.equal(expected.issues[0].code, "unknown_role");
});

test("text path: values that are not text take the export's path", () => {
  const cycle = {};
  cycle.self = cycle;
  for (const value of [undefined, 42, 10n, Symbol("s"), cycle, () => 1]) {
    assert.deepEqual(atlas.validateGroupId(value), raw.validateGroupId(value));
    assert.deepEqual(atlas.validateUserSecurity(value), raw.validateUserSecurity(value));
  }
  const throwing = { get locale() { throw new Error("boom"); } };
  assert.deepEqual(atlas.validateGroupId("x", throwing), raw.validateGroupId("x", throwing));
});

test("text path: a growing wasm memory and long inputs keep results right", () => {
  for (let n = 1; n <= 1 << 20; n *= 4) {
    const host = "a".repeat(n);
    assert.deepEqual(atlas.validateHostname(host), raw.validateHostname(host));
    // The buffer grew; a short input after a long one reads only its own bytes.
    assert.deepEqual(atlas.validateGroupId("32b6e34b3d91647abb20e7b8"), { ok: true, issues: [] });
  }
});
