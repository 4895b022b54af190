// The package through CJS `require`, as a Node user gets it.
const test = require("node:test");
const assert = require("node:assert/strict");

test("CJS: validateGroupId follows the rules", async () => {
  const atlas = require("atlas-ldap");
  await atlas.init();
  assert.equal(atlas.validateGroupId("32b6e34b3d91647abb20e7b8").ok, true);
  const bad = atlas.validateGroupId("32B6E34B3D91647ABB20E7B8");
  assert.equal(bad.ok, false);
  assert.equal(bad.issues[0].code, "pattern");
  assert.equal(atlas.validateGroupId("nope", { locale: "zh" }).issues[0].path, "groupId");
});

test("CJS: atlas-ldap/validators is the same functions as the main entry", async () => {
  const atlas = require("atlas-ldap");
  const validators = require("atlas-ldap/validators");
  await validators.init();
  assert.equal(validators.validateHostname, atlas.validateHostname);
  assert.equal(validators.SPEC_PATTERNS, atlas.SPEC_PATTERNS);
  assert.equal(validators.AtlasClient, undefined);
});
