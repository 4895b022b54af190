// 4. Client overhead: AtlasClient against hand-written fetch calls doing the same requests
// (same URL, method, headers, media types, redirect and credentials modes, JSON body), against
// the release atlas-emulator on 127.0.0.1. Sequential and concurrent GET and PATCH; the two
// sides alternate round by round in one process.
import { GROUP, median, quantile, TOKEN } from "./lib.mjs";

const MEDIA = "application/vnd.atlas.2023-01-01+json";
export const PATCH_BODY = {
  ldap: {
    authenticationEnabled: true,
    authorizationEnabled: false,
    hostname: "ldap.example.com",
    port: 636,
    bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com",
    bindPassword: "s3cret-bind-pw",
    userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" }],
  },
};

/** What a careful user writes by hand: the same request, status check and JSON decode. */
export function handWritten(baseUrl) {
  const url = `${baseUrl}/api/atlas/v2/groups/${GROUP}/userSecurity`;
  const call = async (method, body) => {
    const headers = { accept: MEDIA, authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers["content-type"] = MEDIA;
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "error",
      credentials: "omit",
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  return { get: () => call("GET"), patch: (body) => call("PATCH", body) };
}

export function packageClient(pkg, baseUrl) {
  const client = new pkg.AtlasClient({ baseUrl, accessToken: TOKEN });
  return { get: () => client.getUserSecurity(GROUP), patch: (body) => client.updateUserSecurity(GROUP, body) };
}

/** Runs `total` calls with `concurrency` in flight; returns per-call latencies (ms) and wall time. */
async function drive(call, total, concurrency) {
  const lat = new Array(total);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const s = performance.now();
      await call();
      lat[i] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { lat, ms: performance.now() - t0 };
}

export async function runClient(pkg, baseUrl, { rounds = 5, perRound = 300, concurrency = 16 } = {}) {
  const sides = { "atlas-ldap AtlasClient": packageClient(pkg, baseUrl), "hand-written fetch": handWritten(baseUrl) };
  // Same answer from both sides before timing anything.
  const a = await sides["atlas-ldap AtlasClient"].patch(PATCH_BODY);
  const b = await sides["hand-written fetch"].get();
  if (a.ldap.hostname !== b.ldap.hostname) throw new Error("the two clients disagree");

  const scenarios = [];
  for (const [op, c] of [["GET", 1], ["PATCH", 1], ["GET", concurrency], ["PATCH", concurrency]]) {
    const names = Object.keys(sides);
    const make = (name) => (op === "GET" ? () => sides[name].get() : () => sides[name].patch(PATCH_BODY));
    const lat = Object.fromEntries(names.map((n) => [n, []]));
    const tput = Object.fromEntries(names.map((n) => [n, []]));
    for (const n of names) await drive(make(n), Math.min(100, perRound), c); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const n of r % 2 ? [...names].reverse() : names) {
        const { lat: l, ms } = await drive(make(n), perRound, c);
        lat[n].push(...l);
        tput[n].push((perRound / ms) * 1000);
      }
    }
    const result = Object.fromEntries(
      names.map((n) => [n, { p50Ms: quantile(lat[n], 0.5), p99Ms: quantile(lat[n], 0.99), reqPerSec: median(tput[n]) }]),
    );
    scenarios.push({
      op,
      concurrency: c,
      requests: rounds * perRound,
      ...result,
      ratio: result["atlas-ldap AtlasClient"].reqPerSec / result["hand-written fetch"].reqPerSec,
    });
  }
  return { scenarios, target: { minRatio: 0.95, met: scenarios.every((s) => s.ratio >= 0.95) } };
}
