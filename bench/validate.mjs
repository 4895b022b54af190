// 2. Whole-body validation: validateUserSecurity against ajv + ajv-formats compiled from the
//    official spec's UserSecurity schema.
// 2b. validateUserSecurity against its floor: JSON.stringify + TextEncoder.encodeInto of the
//    same body.
// 3. Single fields: validateGroupId and validateHostname against the equivalent RegExp.test.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { BODIES, GROUP_IDS, HOSTNAMES, VALID_BODIES } from "./bodies.mjs";
import { compareSync, PKG, ROOT } from "./lib.mjs";

const require = createRequire(join(ROOT, "package.json"));
const SPEC = join(ROOT, "..", "shared", "reference", "atlas-ldap-openapi.json");

/** ajv the way a JavaScript user would set it up: the spec's components as one schema. */
export function ajvValidator({ allErrors = true } = {}) {
  const Ajv = require("ajv");
  const addFormats = require("ajv-formats");
  const spec = JSON.parse(readFileSync(SPEC, "utf8"));
  // strict: false ignores the OpenAPI-only keywords (example, externalDocs, readOnly, …).
  // unicodeRegExp (ajv's default) compiles patterns with the `u` flag, which accepts the
  // spec's `(?<name>…)` groups.
  const ajv = new Ajv({ strict: false, allErrors, unicodeRegExp: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "atlas-spec", components: spec.components });
  return { validate: ajv.compile({ $ref: "atlas-spec#/components/schemas/UserSecurity" }), spec };
}

export function runValidate(pkg, { rounds = 7, roundMs = 150 } = {}) {
  const { validate: ajv, spec } = ajvValidator();
  const { validate: ajvFirst } = ajvValidator({ allErrors: false });
  let sink = 0;
  const loop = (inputs, f) => (n) => {
    const k = inputs.length;
    for (let i = 0; i < n; i++) sink += f(inputs[i % k]) ? 1 : 0;
  };

  // Whole bodies. Each "operation" validates one body of the set, cycling through it.
  const agree = BODIES.map((b) => pkg.validateUserSecurity(b).ok === ajv(b));
  const body = compareSync(
    {
      "atlas-ldap validateUserSecurity": loop(BODIES, (b) => pkg.validateUserSecurity(b).ok),
      "ajv (allErrors)": loop(BODIES, (b) => ajv(b)),
      "ajv (first error)": loop(BODIES, (b) => ajvFirst(b)),
    },
    { rounds, roundMs },
  );
  const bodyValid = compareSync(
    {
      "atlas-ldap validateUserSecurity": loop(VALID_BODIES, (b) => pkg.validateUserSecurity(b).ok),
      "ajv (allErrors)": loop(VALID_BODIES, (b) => ajv(b)),
    },
    { rounds, roundMs },
  );

  // The floor of any wasm validator of a JS object: its JSON text, written into a buffer as
  // the package's wrapper writes it into wasm memory (scripts/gen-wrappers.mjs).
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(1 << 16);
  const floor = compareSync(
    {
      "atlas-ldap validateUserSecurity": loop(BODIES, (b) => pkg.validateUserSecurity(b).ok),
      "JSON.stringify + TextEncoder.encodeInto": loop(BODIES, (b) => encoder.encodeInto(JSON.stringify(b), buffer).written > 0),
    },
    { rounds, roundMs },
  );

  // Single fields against the regular expressions a user would write: the spec's groupId
  // pattern, and the spec's hostname pattern applied as a whole-input match.
  const props = spec.components.schemas.LDAPSecuritySettings.properties;
  const groupRe = /^([a-f0-9]{24})$/;
  const hostRe = new RegExp(`^(?:${props.hostname.pattern})$`);
  const groupId = compareSync(
    {
      "atlas-ldap validateGroupId": loop(GROUP_IDS, (s) => pkg.validateGroupId(s).ok),
      "RegExp.test": loop(GROUP_IDS, (s) => groupRe.test(s)),
    },
    { rounds, roundMs },
  );
  const hostname = compareSync(
    {
      "atlas-ldap validateHostname": loop(HOSTNAMES, (s) => pkg.validateHostname(s).ok),
      "RegExp.test": loop(HOSTNAMES, (s) => hostRe.test(s)),
    },
    { rounds, roundMs },
  );
  if (sink < 0) console.log(sink); // keeps the results alive
  const ratio = (r, a, b) => r[a].opsPerSec / r[b].opsPerSec;
  return {
    bodies: { count: BODIES.length, valid: VALID_BODIES.length, verdictsAgreeWithAjv: agree.filter(Boolean).length },
    body,
    bodyValid,
    floor,
    // The same comparison in nanoseconds per body.
    floorNsPerCall: {
      "JSON.stringify + TextEncoder.encodeInto": 1e9 / floor["JSON.stringify + TextEncoder.encodeInto"].opsPerSec,
      "atlas-ldap validateUserSecurity": 1e9 / floor["atlas-ldap validateUserSecurity"].opsPerSec,
    },
    groupId,
    hostname,
    ratios: {
      bodyVsAjv: ratio(body, "atlas-ldap validateUserSecurity", "ajv (allErrors)"),
      bodyVsAjvFirstError: ratio(body, "atlas-ldap validateUserSecurity", "ajv (first error)"),
      validBodyVsAjv: ratio(bodyValid, "atlas-ldap validateUserSecurity", "ajv (allErrors)"),
      // How many times the floor one validateUserSecurity costs (time, so floor ÷ ours).
      bodyCostVsFloor: ratio(floor, "JSON.stringify + TextEncoder.encodeInto", "atlas-ldap validateUserSecurity"),
      groupIdVsRegExp: ratio(groupId, "atlas-ldap validateGroupId", "RegExp.test"),
      hostnameVsRegExp: ratio(hostname, "atlas-ldap validateHostname", "RegExp.test"),
    },
  };
}

export const loadNodePkg = () => require(join(PKG, "node", "index.cjs"));

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(runValidate(loadNodePkg(), { rounds: 5, roundMs: 100 }), null, 1));
}
