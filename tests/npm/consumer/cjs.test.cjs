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
