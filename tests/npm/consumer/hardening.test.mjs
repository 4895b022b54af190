// AtlasClient from the installed package against misbehaving local servers: the deadline,
// a body that stalls, an answer too large to hold, bad option types, the mock of the spec
// whose role answers lack `id`.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { AtlasClient } from "atlas-ldap";

const GROUP = "32b6e34b3d91647abb20e7b8";
const USER = "5b6e34b3d91647abb20e7b81";

/** A loopback server answering with `handler`; closed after the test. */
async function serve(t, handler) {
  const sockets = new Set();
  const server = createServer(handler);
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => { for (const s of sockets) s.destroy(); server.close(); });
  return `http://127.0.0.1:${server.address().port}`;
}

async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

test("deadlineMs bounds retries and Retry-After waits", async (t) => {
  let requests = 0;
  const url = await serve(t, (req, res) => {
    requests += 1;
    res.writeHead(429, { "retry-after": "100", "content-type": "application/json" }).end('{"error":429,"errorCode":"RATE_LIMITED"}');
  });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t", deadlineMs: 1500 });
  const started = performance.now();
  const e = await rejects(client.getUserSecurity(GROUP));
  const took = performance.now() - started;
  assert.equal(e.name, "AtlasTimeoutError");
  assert.equal(e.timeoutMs, 1500);
  assert.ok(took < 1500, `gave up when the wait passed the deadline, after ${took.toFixed(0)} ms`);
  assert.equal(requests, 1);
  // The per-call option overrides the client's.
  const e2 = await rejects(client.getUserSecurity(GROUP, { deadlineMs: 700 }));
  assert.equal(e2.timeoutMs, 700);
});

test("deadlineMs also cuts an attempt that is still under way", async (t) => {
  const url = await serve(t, () => {}); // never answers
  const client = new AtlasClient({ baseUrl: url, accessToken: "t", timeoutMs: 60000, deadlineMs: 300 });
  const started = performance.now();
  const e = await rejects(client.getUserSecurity(GROUP));
  const took = performance.now() - started;
  assert.equal(e.name, "AtlasTimeoutError");
  assert.equal(e.timeoutMs, 300);
  assert.ok(took >= 290 && took < 1500, `${took.toFixed(0)} ms`);
});

test("the attempt timeout covers a body that stalls after the headers, on every attempt", async (t) => {
  const url = await serve(t, (req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
    res.write('{"ldap":');
    // ...and nothing more until the client gives up.
  });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t", timeoutMs: 150, maxRetries: 0 });
  for (let i = 0; i < 25; i++) {
    const started = performance.now();
    const e = await rejects(client.getUserSecurity(GROUP));
    const took = performance.now() - started;
    assert.equal(e.name, "AtlasTimeoutError", `attempt ${i}: ${e.name}`);
    assert.ok(took < 1000, `attempt ${i} took ${took.toFixed(0)} ms`);
  }
});

test("an answer larger than maxResponseBytes is refused without being held", async (t) => {
  const chunk = Buffer.alloc(1 << 20, 0x20);
  const url = await serve(t, (req, res) => {
    res.on("error", () => {});
    const declared = req.url.includes("declared");
    res.writeHead(200, declared ? { "content-length": String(100 << 20) } : {});
    let sent = 0;
    const pump = () => {
      while (sent < 100 && res.write(chunk)) sent += 1;
      if (sent < 100) res.once("drain", pump);
      else res.end();
    };
    pump();
  });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t", maxRetries: 0 });
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const e = await rejects(client.getUserSecurity(GROUP)); // chunked: counted while read
  assert.equal(e.name, "AtlasDecodeError");
  assert.match(e.message, /larger than 8388608 bytes/);
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 60 << 20, `RSS grew by ${(grown / 1048576).toFixed(0)} MiB for a 100 MiB answer`);
  const small = new AtlasClient({ baseUrl: `${url}/declared`, accessToken: "t", maxResponseBytes: 1024, maxRetries: 0 });
  const e2 = await rejects(small.getUserSecurity(GROUP)); // Content-Length says it at once
  assert.equal(e2.name, "AtlasDecodeError");
});

test("a signal that is not an AbortSignal and a non-string id are validation errors, nothing sent", async (t) => {
  let requests = 0;
  const url = await serve(t, (req, res) => { requests += 1; res.end("{}"); });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t" });
  const e = await rejects(client.getUserSecurity(GROUP, { signal: { aborted: false } }));
  assert.equal(e.name, "AtlasValidationError");
  assert.deepEqual(e.issues.map((i) => [i.path, i.code]), [["signal", "type"]]);
  const e2 = await rejects(client.getUserSecurity(1234));
  assert.deepEqual(e2.issues.map((i) => [i.path, i.code]), [["groupId", "type"]]);
  const e3 = await rejects(client.getUserSecurity(GROUP, { envelope: "yes" }));
  assert.deepEqual(e3.issues.map((i) => [i.path, i.code]), [["envelope", "type"]]);
  assert.throws(() => new AtlasClient({ baseUrl: url, timeoutMs: "fast" }), (err) => err.issues[0].path === "timeoutMs");
  assert.equal(requests, 0);
});

test("addUserRole and removeUserRole resolve when the answer lacks id (a mock of the spec)", async (t) => {
  let writes = 0;
  const url = await serve(t, (req, res) => {
    writes += 1;
    res.writeHead(200, { "content-type": "application/vnd.atlas.2025-02-19+json" })
      .end('{"roles":["GROUP_OWNER","GROUP_READ_ONLY"],"username":"jane@example.com"}');
  });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t" });
  const added = await client.addUserRole(GROUP, USER, "GROUP_READ_ONLY");
  assert.deepEqual(added.roles, ["GROUP_OWNER", "GROUP_READ_ONLY"]);
  const removed = await client.removeUserRole(GROUP, USER, "GROUP_READ_ONLY");
  assert.equal(removed.username, "jane@example.com");
  assert.equal(writes, 2, "each write sent once: no retry of a write that happened");
});

test("options and body fields set to undefined count as absent", async (t) => {
  const bodies = [];
  const url = await serve(t, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => { bodies.push(body); res.writeHead(202).end('{"ldap":{"port":636}}'); });
  });
  const client = new AtlasClient({ baseUrl: url, accessToken: "t", timeoutMs: undefined, deadlineMs: undefined, digest: undefined });
  await client.updateUserSecurity(GROUP, { ldap: { hostname: undefined, port: 636 } }, { envelope: undefined, signal: undefined });
  assert.deepEqual(JSON.parse(bodies[0]), { ldap: { port: 636 } });
});
