// 4. Client overhead: AtlasClient against hand-written fetch calls doing the same requests
// (same URL, method, headers, media types, redirect and credentials modes, JSON body), against
// the release atlas-emulator on 127.0.0.1. Sequential and concurrent GET and PATCH; the two
// sides alternate round by round in one process.
import { VALID_BODIES } from "./bodies.mjs";
import { GROUP, median, quantile, TOKEN } from "./lib.mjs";

const MEDIA = "application/vnd.atlas.2023-01-01+json";
// The PATCH sends the first realistic body of the validation benchmark.
export const PATCH_BODY = VALID_BODIES[0];

/**
 * What a careful user writes by hand: the same request, status check and JSON decode. With
 * `timeoutMs`, also the per-attempt timeout AtlasClient has (an AbortController and a timer).
 */
export function handWritten(baseUrl, { timeoutMs } = {}) {
  const url = `${baseUrl}/api/atlas/v2/groups/${GROUP}/userSecurity`;
  const call = async (method, body) => {
    const headers = { accept: MEDIA, authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers["content-type"] = MEDIA;
    const controller = timeoutMs ? new AbortController() : undefined;
    const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "error",
        credentials: "omit",
        signal: controller?.signal,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      return JSON.parse(text);
    } finally {
      clearTimeout(timer);
    }
  };
  return { get: () => call("GET"), patch: (body) => call("PATCH", body) };
}

export function packageClient(pkg, baseUrl) {
  const client = new pkg.AtlasClient({ baseUrl, accessToken: TOKEN });
  return { get: () => client.getUserSecurity(GROUP), patch: (body) => client.updateUserSecurity(GROUP, body) };
}

/** Runs `total` calls with `concurrency` in flight; returns per-call latencies (ms), wall time and CPU time. */
async function drive(call, total, concurrency) {
  const lat = new Array(total);
  let next = 0;
  const cpu = process.cpuUsage();
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
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { lat, ms, cpuUs: (used.user + used.system) / total };
}

const PKG_SIDE = "atlas-ldap AtlasClient";
const FETCH_SIDE = "hand-written fetch";
const FETCH_TIMEOUT_SIDE = "hand-written fetch + timeout";

export async function runClient(pkg, baseUrl, { rounds = 10, perRound = 200, concurrency = 16 } = {}) {
  const sides = {
    [PKG_SIDE]: packageClient(pkg, baseUrl),
    [FETCH_SIDE]: handWritten(baseUrl),
    [FETCH_TIMEOUT_SIDE]: handWritten(baseUrl, { timeoutMs: 30000 }),
  };
  // Same answer from both sides before timing anything.
  const a = await sides[PKG_SIDE].patch(PATCH_BODY);
  const b = await sides[FETCH_SIDE].get();
  if (a.ldap.hostname !== b.ldap.hostname) throw new Error("the two clients disagree");

  const scenarios = [];
  for (const [op, c] of [["GET", 1], ["PATCH", 1], ["GET", concurrency], ["PATCH", concurrency]]) {
    const names = Object.keys(sides);
    const make = (name) => (op === "GET" ? () => sides[name].get() : () => sides[name].patch(PATCH_BODY));
    const lat = Object.fromEntries(names.map((n) => [n, []]));
    const tput = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (const n of names) await drive(make(n), Math.min(100, perRound), c); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const n of r % 2 ? [...names].reverse() : names) {
        const { lat: l, ms, cpuUs } = await drive(make(n), perRound, c);
        lat[n].push(...l);
        tput[n].push((perRound / ms) * 1000);
        cpu[n].push(cpuUs);
      }
    }
    const result = Object.fromEntries(
      names.map((n) => [
        n,
        { p50Ms: quantile(lat[n], 0.5), p99Ms: quantile(lat[n], 0.99), reqPerSec: median(tput[n]), cpuUsPerReq: median(cpu[n]) },
      ]),
    );
    // The ratio is the median of the rounds' ratios: the two sides of a round ran back to
    // back, under the same load from the rest of the machine.
    const ratioTo = (other) => median(tput[PKG_SIDE].map((x, i) => x / tput[other][i]));
    scenarios.push({
      op,
      concurrency: c,
      requests: rounds * perRound,
      ...result,
      ratio: ratioTo(FETCH_SIDE),
      ratioToFetchWithTimeout: ratioTo(FETCH_TIMEOUT_SIDE),
    });
  }
  return {
    scenarios,
    withoutNetwork: await overheadWithoutNetwork(pkg),
    target: { minRatio: 0.95, met: scenarios.every((s) => s.ratio >= 0.95) },
  };
}

/**
 * The client's own cost, without the network: CPU microseconds per call when `fetch` is a
 * stub that answers at once with the emulator's document, for AtlasClient and for the
 * hand-written call. The real `fetch` is put back afterwards.
 */
async function overheadWithoutNetwork(pkg, { calls = 20000 } = {}) {
  const realFetch = globalThis.fetch;
  const body = JSON.stringify({ ldap: { ...PATCH_BODY.ldap, bindPassword: undefined }, links: [{ href: `http://127.0.0.1/api/atlas/v2/groups/${GROUP}/userSecurity`, rel: "self" }] });
  const headers = new Headers({ "content-type": MEDIA });
  globalThis.fetch = async () => ({ status: 200, ok: true, headers, text: async () => body });
  try {
    const sides = { [PKG_SIDE]: packageClient(pkg, "http://127.0.0.1:9"), [FETCH_SIDE]: handWritten("http://127.0.0.1:9"), [FETCH_TIMEOUT_SIDE]: handWritten("http://127.0.0.1:9", { timeoutMs: 30000 }) };
    const out = {};
    for (const op of ["GET", "PATCH"]) {
      const samples = Object.fromEntries(Object.keys(sides).map((n) => [n, []]));
      for (let r = -1; r < 5; r++) {
        for (const [n, side] of Object.entries(sides)) {
          const call = op === "GET" ? () => side.get() : () => side.patch(PATCH_BODY);
          const cpu = process.cpuUsage();
          for (let i = 0; i < calls / 5; i++) await call();
          const used = process.cpuUsage(cpu);
          if (r >= 0) samples[n].push((used.user + used.system) / (calls / 5));
        }
      }
      out[op] = Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, { cpuUsPerCall: median(xs) }]));
    }
    return out;
  } finally {
    globalThis.fetch = realFetch;
  }
}
