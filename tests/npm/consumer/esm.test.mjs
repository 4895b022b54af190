// The package through ESM `import`, as a Node user gets it.
import test from "node:test";
import assert from "node:assert/strict";
import * as atlas from "atlas-ldap";
import { init, validateGroupId, SPEC_PATTERNS } from "atlas-ldap";

test("ESM: init resolves at once and validateGroupId follows the rules", async () => {
  await init();
  assert.equal(validateGroupId("32b6e34b3d91647abb20e7b8").ok, true);
  const bad = validateGroupId("32B6E34B3D91647ABB20E7B8");
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.issues.map((i) => [i.path, i.code, i.severity]), [["groupId", "pattern", "error"]]);
});

test("ESM: no input throws", () => {
  for (const v of [undefined, null, 42, {}, [], Symbol("x"), 10n, () => 1]) {
    const r = validateGroupId(v);
    assert.equal(r.ok, false);
    assert.equal(r.issues[0].code, "type");
  }
});

test("ESM: SPEC_PATTERNS are the spec's sources, verbatim", () => {
  assert.equal(SPEC_PATTERNS.groupId, "^([a-f0-9]{24})$");
  assert.ok(Object.isFrozen(SPEC_PATTERNS));
});

test("ESM and CJS expose the same names, and no internal ones", async () => {
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)("atlas-ldap");
  assert.deepEqual(Object.keys(atlas).sort(), Object.keys(cjs).sort());
  assert.ok(!Object.keys(atlas).some((k) => k.startsWith("__")));
  // One module instance for both: no dual-package hazard.
  assert.equal(atlas.validateGroupId, cjs.validateGroupId);
});

test("ESM: atlas-ldap/validators has the validators, init and SPEC_PATTERNS, and no client", async () => {
  const validators = await import("atlas-ldap/validators");
  assert.deepEqual(Object.keys(validators).sort(), [
    "SPEC_PATTERNS", "init", "validateBindUsername", "validateGroupId", "validateGroupRoles", "validateHostname",
    "validateLdapVerifyParams", "validateRequestId", "validateUserId", "validateUserSecurity",
  ]);
  // In Node it is the main entry's instance.
  assert.equal(validators.validateGroupId, validateGroupId);
});
