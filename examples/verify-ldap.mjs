#!/usr/bin/env node
// Verifies a project's LDAP settings against Atlas before you turn them on, follows the
// verification job, prints each check, and exits non-zero unless every check passed.
//
//   ATLAS_CLIENT_ID=… ATLAS_CLIENT_SECRET=… LDAP_BIND_PASSWORD=… \
//   node examples/verify-ldap.mjs --project 32b6e34b3d91647abb20e7b8 \
//     --hostname ldap.example.com --bind-username "CN=Bind,DC=example,DC=com" [--port 636]
//     [--authz-query-template "{USER}?memberOf?base"] [--ca-certificate-file ca.pem]
//     [--base-url https://cloud.mongodb.com] [--timeout-ms 300000]
//
// Credentials come from the environment: ATLAS_ACCESS_TOKEN, or ATLAS_CLIENT_ID and
// ATLAS_CLIENT_SECRET (a service account), or ATLAS_PUBLIC_KEY and ATLAS_PRIVATE_KEY (an
// API key). The bind password comes from LDAP_BIND_PASSWORD, never from a flag (flags are
// visible to every user of the machine).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { AtlasClient, isAtlasApiError, isAtlasValidationError } from "atlas-ldap";

const { values: flags } = parseArgs({
  options: {
    project: { type: "string" },
    hostname: { type: "string" },
    port: { type: "string", default: "636" },
    "bind-username": { type: "string" },
    "authz-query-template": { type: "string" },
    "ca-certificate-file": { type: "string" },
    "base-url": { type: "string", default: process.env.ATLAS_BASE_URL ?? "https://cloud.mongodb.com" },
    "timeout-ms": { type: "string", default: "300000" },
  },
});

const env = process.env;
const auth = env.ATLAS_ACCESS_TOKEN ? { accessToken: env.ATLAS_ACCESS_TOKEN }
  : env.ATLAS_CLIENT_ID ? { serviceAccount: { clientId: env.ATLAS_CLIENT_ID, clientSecret: env.ATLAS_CLIENT_SECRET ?? "" } }
  : env.ATLAS_PUBLIC_KEY ? { digest: { publicKey: env.ATLAS_PUBLIC_KEY, privateKey: env.ATLAS_PRIVATE_KEY ?? "" } }
  : null;
if (!auth) fail("set ATLAS_ACCESS_TOKEN, or ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET, or ATLAS_PUBLIC_KEY and ATLAS_PRIVATE_KEY");

const params = {
  hostname: flags.hostname ?? "",
  port: Number(flags.port),
  bindUsername: flags["bind-username"] ?? "",
  bindPassword: env.LDAP_BIND_PASSWORD ?? "",
};
if (flags["authz-query-template"]) params.authzQueryTemplate = flags["authz-query-template"];
if (flags["ca-certificate-file"]) params.caCertificate = readFileSync(flags["ca-certificate-file"], "utf8");

const meaning = {
  SERVER_SPECIFIED: "a server is given",
  CONNECT: "Atlas reached the server over TLS",
  AUTHENTICATE: "the bind user and password were accepted",
  AUTHORIZATION_ENABLED: "authorization settings are present",
  PARSE_AUTHZ_QUERY_TEMPLATE: "the authorization query template parses",
  QUERY_SERVER: "the authorization query ran on the server",
};

try {
  const client = new AtlasClient({ baseUrl: flags["base-url"], ...auth });
  const project = flags.project ?? "";
  const job = await client.verifyLdap(project, params);
  console.log(`verification ${job.requestId} started for ${params.hostname}:${params.port}`);
  const done = await client.waitForLdapVerify(project, job.requestId, {
    intervalMs: 1000,
    timeoutMs: Number(flags["timeout-ms"]),
    onProgress: (j) => { if (j.status === "PENDING") console.log("  … pending"); },
  });
  for (const v of done.validations ?? []) {
    const mark = v.status === "OK" ? "ok  " : "FAIL";
    console.log(`  ${mark} ${v.validationType.padEnd(27)} ${meaning[v.validationType] ?? ""}`);
  }
  console.log(`result: ${done.status}`);
  process.exit(done.status === "SUCCESS" ? 0 : 1);
} catch (e) {
  if (isAtlasValidationError(e)) fail(e.issues.filter((i) => i.severity === "error").map((i) => `${i.path}: ${i.message}`).join("\n"));
  if (isAtlasApiError(e)) fail(`Atlas answered ${e.status} ${e.errorCode}: ${e.detail ?? ""}`);
  fail(`${e.name}: ${e.message}`);
}

function fail(message) {
  console.error(`verify-ldap: ${message}`);
  process.exit(2);
}
