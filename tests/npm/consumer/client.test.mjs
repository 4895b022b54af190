// AtlasClient from the installed package, in Node, against atlas-emulator.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import {
  AtlasClient, isAtlasApiError, isAtlasValidationError, isAtlasNetworkError, isAtlasTimeoutError,
  isAbortError, isAtlasDecodeError, validateGroupId,
} from "atlas-ldap";
import { startEmulator, ldapSettings, GROUP, USER, TOKEN, SERVICE_ACCOUNT, API_KEY } from "./emulator.mjs";

const SECRETS = [TOKEN, SERVICE_ACCOUNT.clientSecret, API_KEY.privateKey, "s3cret-bind-pw"];

/** Rejection of `promise`, asserting it has the given name and leaks no secret. */
async function rejection(promise, name) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Error, "rejects with an Error");
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    const seen = [String(e), e.message, e.stack ?? "", JSON.stringify(e), JSON.stringify(e.issues ?? null)].join("\n");
    for (const secret of SECRETS) assert.ok(!seen.includes(secret), `${name} leaks a secret`);
    return e;
  }
  assert.fail(`expected ${name}`);
}

test("every operation with a bearer token", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });

  const before = await client.getUserSecurity(GROUP);
  assert.equal(before.ldap.authenticationEnabled, false);

  const saved = await client.updateUserSecurity(GROUP, ldapSettings());
  assert.equal(saved.ldap.hostname, "ldap.example.com");
  assert.equal(saved.ldap.bindPassword, undefined, "Atlas never returns bindPassword");

  // An explicit false is sent and turns LDAP off.
  const off = await client.updateUserSecurity(GROUP, { ldap: { authenticationEnabled: false } });
  assert.equal(off.ldap.authenticationEnabled, false);
  assert.equal(off.ldap.hostname, "ldap.example.com", "absent fields keep their values");

  const unmapped = await client.deleteLdapUserToDnMapping(GROUP);
  assert.equal(unmapped.ldap.userToDNMapping, undefined);
  const x509 = await client.disableCustomerX509(GROUP);
  assert.equal(x509.customerX509?.cas, undefined);

  const roles = await client.updateUserRoles(GROUP, USER, { groupRoles: ["GROUP_OWNER", "GROUP_READ_ONLY"] });
  assert.deepEqual([...roles.groupRoles].sort(), ["GROUP_OWNER", "GROUP_READ_ONLY"]);
  const added = await client.addUserRole(GROUP, USER, "GROUP_CLUSTER_MANAGER");
  assert.ok(added.roles.includes("GROUP_CLUSTER_MANAGER"));
  const removed = await client.removeUserRole(GROUP, USER, "GROUP_READ_ONLY");
  assert.ok(!removed.roles.includes("GROUP_READ_ONLY"));
  assert.equal(removed.id, USER);
});

test("verify: PENDING, then waitForLdapVerify to SUCCESS and to FAILED with progress", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  const params = { hostname: "ldap.example.com", port: 636, bindUsername: "CN=B,DC=example,DC=com", bindPassword: "s3cret-bind-pw" };

  const job = await client.verifyLdap(GROUP, params);
  assert.equal(job.status, "PENDING");
  assert.equal(validateGroupId(job.requestId).ok, true);
  const progress = [];
  const done = await client.waitForLdapVerify(GROUP, job.requestId, { intervalMs: 50, onProgress: (j) => progress.push(j.status) });
  assert.equal(done.status, "SUCCESS");
  assert.ok(progress.length >= 2 && progress[0] === "PENDING" && progress.at(-1) === "SUCCESS", progress.join());
  assert.ok(done.validations.every((v) => v.status === "OK"));

  const bad = await client.verifyLdap(GROUP, { ...params, hostname: "ldap.corp.invalid" });
  const failed = await client.waitForLdapVerify(GROUP, bad.requestId, { intervalMs: 50 });
  assert.equal(failed.status, "FAILED");
  assert.deepEqual(failed.validations.map((v) => [v.validationType, v.status]), [["SERVER_SPECIFIED", "OK"], ["CONNECT", "FAIL"]]);
  assert.equal(JSON.stringify(failed).includes("s3cret-bind-pw"), false);
});

test("waitForLdapVerify: its own timeout, and abort", async (t) => {
  const emu = await startEmulator(t, "--verify-delay-ms", "60000");
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  const job = await client.verifyLdap(GROUP, { hostname: "ldap.example.com", port: 636, bindUsername: "CN=B,DC=x", bindPassword: "pw" });
  const timeout = await rejection(client.waitForLdapVerify(GROUP, job.requestId, { intervalMs: 20, timeoutMs: 150 }), "AtlasTimeoutError");
  assert.equal(timeout.timeoutMs, 150);
  const controller = new AbortController();
  setTimeout(() => controller.abort("user left"), 80);
  const aborted = await rejection(client.waitForLdapVerify(GROUP, job.requestId, { intervalMs: 20, signal: controller.signal }), "AbortError");
  assert.equal(aborted.cause, "user left");
});

test("options: envelope, pretty, versionDate and legacyV1 give the same value", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  const plain = await client.getUserSecurity(GROUP);
  assert.deepEqual(await client.getUserSecurity(GROUP, { envelope: true }), plain);
  assert.deepEqual(await client.getUserSecurity(GROUP, { pretty: true }), plain);
  assert.deepEqual(await client.getUserSecurity(GROUP, { versionDate: "2023-01-01" }), plain);
  const legacy = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN, legacyV1: true });
  assert.deepEqual((await legacy.getUserSecurity(GROUP)).ldap.authenticationEnabled, plain.ldap.authenticationEnabled);
  await legacy.updateUserSecurity(GROUP, { ldap: { authenticationEnabled: false } });
  assert.equal(emu.count("PATCH", `/api/atlas/v1.0/groups/${GROUP}/userSecurity`), 1);
  assert.equal(emu.count("GET", `/api/atlas/v1.0/groups/${GROUP}/userSecurity`), 1);
  // An enveloped error is still an AtlasApiError with the inner status.
  const missing = await rejection(client.getUserSecurity("aaaaaaaaaaaaaaaaaaaaaaaa", { envelope: true }), "AtlasApiError");
  assert.equal(missing.status, 404);
  const bad = await rejection(client.getUserSecurity(GROUP, { versionDate: "yesterday" }), "AtlasValidationError");
  assert.equal(bad.issues[0].path, "versionDate");
});

test("validation: invalid input rejects with AtlasValidationError and sends nothing", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN, locale: "zh" });
  const e1 = await rejection(client.getUserSecurity("32B6E34B3D91647ABB20E7B8"), "AtlasValidationError");
  assert.deepEqual(e1.issues.map((i) => [i.path, i.code]), [["groupId", "pattern"]]);
  const e2 = await rejection(client.updateUserSecurity(GROUP, { ldap: { port: 70000, bindPassword: "s3cret-bind-pw", hostname: "a b" } }), "AtlasValidationError");
  assert.ok(e2.issues.some((i) => i.path === "ldap.port" && i.code === "range"));
  await rejection(client.verifyLdap(GROUP, { hostname: "ldap.example.com" }), "AtlasValidationError");
  await rejection(client.updateUserRoles(GROUP, USER, { groupRoles: "GROUP_OWNER" }), "AtlasValidationError");
  await rejection(client.addUserRole(GROUP, 42, "GROUP_OWNER"), "AtlasValidationError");
  await rejection(client.updateUserSecurity(GROUP, 10n), "AtlasValidationError");
  assert.ok(isAtlasValidationError(e1) && !isAtlasApiError(e1));
  assert.equal(emu.log.filter((l) => l.includes("/api/atlas/")).length, 0, "nothing was sent");
  assert.throws(() => new AtlasClient({ baseUrl: "http://example.com", accessToken: TOKEN }), (e) => e.name === "AtlasValidationError" && e.issues[0].path === "baseUrl");
  assert.throws(() => new AtlasClient({ accessToken: TOKEN, digest: API_KEY }), (e) => e.name === "AtlasValidationError");
  new AtlasClient({ baseUrl: "http://example.com", allowInsecureHttp: true });
});

test("API errors carry status, errorCode, detail and reason", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN, maxRetries: 0 });
  const e = await rejection(client.getUserSecurity("aaaaaaaaaaaaaaaaaaaaaaaa"), "AtlasApiError");
  assert.equal(e.status, 404);
  assert.equal(typeof e.errorCode, "string");
  assert.equal(typeof e.detail, "string");
  assert.ok(isAtlasApiError(e));
  const conflict = await rejection(client.addUserRole(GROUP, USER, "GROUP_OWNER"), "AtlasApiError");
  assert.equal(conflict.status, 409);
  const unauthorized = new AtlasClient({ baseUrl: emu.url, accessToken: "not-a-token" });
  assert.equal((await rejection(unauthorized.getUserSecurity(GROUP), "AtlasApiError")).status, 401);
});

test("service account: 50 concurrent calls share one token request; renewal on 401 and before expiry", async (t) => {
  const emu = await startEmulator(t, "--token-ttl", "2");
  const client = new AtlasClient({ baseUrl: emu.url, serviceAccount: SERVICE_ACCOUNT });
  const all = await Promise.all(Array.from({ length: 50 }, () => client.getUserSecurity(GROUP)));
  assert.equal(all.length, 50);
  assert.equal(emu.count("POST", "/api/oauth/token"), 1);

  // A 401 for a token the client thinks fresh: one renewal, then success.
  await emu.fault({ method: "GET", path: "/userSecurity$", status: 401, count: 1 });
  await client.getUserSecurity(GROUP);
  assert.equal(emu.count("POST", "/api/oauth/token"), 2);

  // A 2 s token is renewed once half its life has passed, before Atlas would refuse it.
  await new Promise((r) => setTimeout(r, 1100));
  await client.getUserSecurity(GROUP);
  assert.equal(emu.count("POST", "/api/oauth/token"), 3);
  assert.equal(emu.log.filter((l) => / 401 /.test(l) && !l.includes("userSecurity")).length, 0);

  await client.revokeToken();
  assert.equal(emu.count("POST", "/api/oauth/revoke"), 1);
  await client.getUserSecurity(GROUP);
  assert.equal(emu.count("POST", "/api/oauth/token"), 4);

  const wrong = new AtlasClient({ baseUrl: emu.url, serviceAccount: { clientId: "x", clientSecret: "not-the-secret" } });
  const e = await rejection(wrong.getUserSecurity(GROUP), "AtlasApiError");
  assert.equal(e.status, 401);
});

test("digest API keys and a token function", async (t) => {
  const emu = await startEmulator(t);
  const digest = new AtlasClient({ baseUrl: emu.url, digest: API_KEY });
  await digest.getUserSecurity(GROUP);
  await digest.updateUserSecurity(GROUP, { ldap: { authenticationEnabled: false } });
  await digest.getUserSecurity(GROUP);
  // One challenge, then the nonce is reused with a growing count.
  assert.equal(emu.log.filter((l) => / 401 /.test(l)).length, 1);
  const wrong = new AtlasClient({ baseUrl: emu.url, digest: { publicKey: API_KEY.publicKey, privateKey: "nope" } });
  assert.equal((await rejection(wrong.getUserSecurity(GROUP), "AtlasApiError")).status, 401);

  let calls = 0;
  const fn = new AtlasClient({ baseUrl: emu.url, accessToken: async () => { calls++; return TOKEN; } });
  await fn.getUserSecurity(GROUP);
  assert.equal(calls, 1);
  const failing = new AtlasClient({ baseUrl: emu.url, accessToken: () => { throw new Error("vault down"); } });
  const e = await rejection(failing.getUserSecurity(GROUP), "AtlasNetworkError");
  assert.equal(e.cause.message, "vault down");
});

test("retries: 429 honours Retry-After for POST; 503 retried for GET, never for POST verify", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  const params = { hostname: "ldap.example.com", port: 636, bindUsername: "CN=B,DC=x", bindPassword: "pw" };

  await emu.fault({ method: "POST", path: "/ldap/verify", status: 429, count: 1, retryAfter: 1 });
  const started = Date.now();
  await client.verifyLdap(GROUP, params);
  assert.ok(Date.now() - started >= 950, "waited Retry-After");
  assert.equal(emu.count("POST", `/api/atlas/v2/groups/${GROUP}/userSecurity/ldap/verify`), 2);

  await emu.fault({ method: "GET", path: "/userSecurity$", status: 503, count: 2 });
  await client.getUserSecurity(GROUP);
  assert.equal(emu.count("GET", `/api/atlas/v2/groups/${GROUP}/userSecurity`), 3);

  await emu.fault({ method: "POST", path: "/ldap/verify", status: 503, count: 1 });
  const e = await rejection(client.verifyLdap(GROUP, params), "AtlasApiError");
  assert.equal(e.status, 503);
  assert.equal(emu.count("POST", `/api/atlas/v2/groups/${GROUP}/userSecurity/ldap/verify`), 3, "not retried");

  await emu.fault({ method: "GET", path: "/userSecurity$", status: 503, always: true });
  const giveUp = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN, maxRetries: 1 });
  assert.equal((await rejection(giveUp.getUserSecurity(GROUP), "AtlasApiError")).status, 503);
});

test("a dropped connection: retried for GET, a network error for PATCH", async (t) => {
  const emu = await startEmulator(t);
  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  await emu.fault({ method: "GET", path: "/userSecurity$", drop: true, count: 1 });
  await client.getUserSecurity(GROUP);
  await emu.fault({ method: "PATCH", path: "/userSecurity$", drop: true, count: 1 });
  const e = await rejection(client.updateUserSecurity(GROUP, ldapSettings()), "AtlasNetworkError");
  assert.ok(e.cause !== undefined);
  assert.ok(isAtlasNetworkError(e));
  // A port nothing listens on (the one a server just gave back): the cause is fetch's own
  // error, with the system error it holds.
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  const closed = new AtlasClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: TOKEN, maxRetries: 0 });
  const refused = await rejection(closed.getUserSecurity(GROUP), "AtlasNetworkError");
  assert.equal(refused.cause?.name, "TypeError");
  assert.equal(refused.cause?.cause?.code, "ECONNREFUSED");
});

test("per-attempt timeout, and aborts with an Error and with a string reason", async (t) => {
  const emu = await startEmulator(t, "--latency-ms", "400");
  const slow = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN, timeoutMs: 100, maxRetries: 0 });
  const e = await rejection(slow.getUserSecurity(GROUP), "AtlasTimeoutError");
  assert.equal(e.timeoutMs, 100);
  assert.ok(isAtlasTimeoutError(e));

  const client = new AtlasClient({ baseUrl: emu.url, accessToken: TOKEN });
  const reason = new Error("navigated away");
  const c1 = new AbortController();
  setTimeout(() => c1.abort(reason), 50);
  assert.equal((await rejection(client.getUserSecurity(GROUP, { signal: c1.signal }), "AbortError")).cause, reason);
  const c2 = new AbortController();
  setTimeout(() => c2.abort("just a string"), 50);
  const e2 = await rejection(client.getUserSecurity(GROUP, { signal: c2.signal }), "AbortError");
  assert.equal(e2.cause, "just a string");
  assert.ok(isAbortError(e2));
  const already = AbortSignal.abort(42);
  assert.equal((await rejection(client.getUserSecurity(GROUP, { signal: already }), "AbortError")).cause, 42);

  // The module and the process live on.
  assert.equal((await client.getUserSecurity(GROUP)).ldap.authenticationEnabled, false);
  assert.equal(validateGroupId(GROUP).ok, true);
});

test("a success that is not a JSON object is an AtlasDecodeError; odd fields are read leniently", async (t) => {
  const { createServer } = await import("node:http");
  const bodies = ["<html>oops</html>", "", "[1, 2]", '"PENDING"', '{"ldap": 5, "futureField": [1]}', '{"status": 3}'];
  const server = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(bodies.shift()));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const client = new AtlasClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, accessToken: TOKEN });
  const e = await rejection(client.getUserSecurity(GROUP), "AtlasDecodeError");
  assert.equal(e.status, 200);
  assert.equal(e.bodySnippet, "<html>oops</html>");
  assert.ok(isAtlasDecodeError(e));
  await rejection(client.getUserSecurity(GROUP), "AtlasDecodeError");
  await rejection(client.getUserSecurity(GROUP), "AtlasDecodeError");
  const job = await rejection(client.getLdapVerifyStatus(GROUP, GROUP), "AtlasDecodeError");
  assert.match(job.message, /not a JSON object/);
  // A 2xx object is never a failure, whatever its fields: the document comes back as sent.
  assert.deepEqual(await client.getUserSecurity(GROUP), { ldap: 5, futureField: [1] });
  assert.deepEqual(await client.getLdapVerifyStatus(GROUP, GROUP), { status: 3 });
});
