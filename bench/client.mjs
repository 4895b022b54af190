// 4. Client overhead: AtlasClient against hand-written fetch calls doing the same requests
// (same URL, method, headers, media types, redirect and credentials modes, JSON body), against
// the release atlas-emulator on 127.0.0.1. Sequential and concurrent GET and PATCH; the two
// sides alternate round by round in one process.
import { VALID_BODIES } from "./bodies.mjs";
import { GROUP, median, quantile, TOKEN } from "./lib.mjs";

const MEDIA = "application/vnd.atlas.2023-01-01+json";
// The PATCH sends the first realistic body of the validation benchmark.
export const PATCH_BODY = VALID_BODIES[0];
/** µs of CPU per call above a hand-written `fetch` + `JSON.parse`: the goal, and issue 11's limit. */
export const CPU_GOAL_US = 5;
export const CPU_LIMIT_US = 16;

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

/**
 * The hand-written call done the way the package's transport does it: `fetch(url, init)`
 * with a `Headers` object and the signal of the attempt's AbortController, a timer per
 * attempt (the engine's), redirects refused, credentials omitted. Only in the stubbed
 * measurement, to split what AtlasClient costs into what these JavaScript objects cost and
 * what the wasm and its glue cost.
 */
export function handWrittenLikeTransport(baseUrl, { timeoutMs = 30000 } = {}) {
  const url = `${baseUrl}/api/atlas/v2/groups/${GROUP}/userSecurity`;
  const call = async (method, body) => {
    const headers = new Headers();
    headers.set("accept", MEDIA);
    headers.set("authorization", `Bearer ${TOKEN}`);
    if (body !== undefined) headers.set("content-type", MEDIA);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "error",
        credentials: "omit",
        signal: controller.signal,
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

/**
 * What the stubbed `fetch` answers: a new `Response` each time, holding the emulator's
 * document with its `content-type` and `content-length`.
 */
function stubAnswer() {
  const body = JSON.stringify({ ldap: { ...PATCH_BODY.ldap, bindPassword: undefined }, links: [{ href: `http://127.0.0.1/api/atlas/v2/groups/${GROUP}/userSecurity`, rel: "self" }] });
  const headers = { "content-type": MEDIA, "content-length": String(Buffer.byteLength(body)) };
  return () => new Response(body, { status: 200, headers });
}

/**
 * A stand-in for `AbortController` that only holds a signal-shaped object, for
 * `abortControllerShare`, where nothing is ever aborted.
 */
class PlainAbortController {
  constructor() { this.signal = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} }; }
  abort() {}
}

/**
 * What the per-attempt `AbortController` alone costs AtlasClient: CPU µs per call with the
 * real global and with `PlainAbortController` in its place, over the stub that answers a
 * `Response` (which never looks at the signal), alternating round by round. Node's
 * `AbortController` builds each signal as a transferable object; every attempt has one,
 * because the per-attempt timeout must be able to end a request that never answers.
 */
export async function abortControllerShare(pkg, { calls = 4000, rounds = 15 } = {}) {
  const realFetch = globalThis.fetch;
  const RealAbortController = globalThis.AbortController;
  const answer = stubAnswer();
  globalThis.fetch = async () => answer();
  try {
    const side = packageClient(pkg, "http://127.0.0.1:9");
    const out = {};
    for (const op of ["GET", "PATCH"]) {
      const call = op === "GET" ? () => side.get() : () => side.patch(PATCH_BODY);
      const samples = { real: [], plain: [] };
      for (let r = -1; r < rounds; r++) {
        for (const name of r % 2 ? ["plain", "real"] : ["real", "plain"]) {
          globalThis.AbortController = name === "real" ? RealAbortController : PlainAbortController;
          const cpu = process.cpuUsage();
          for (let i = 0; i < calls; i++) await call();
          const used = process.cpuUsage(cpu);
          if (r >= 0) samples[name].push((used.user + used.system) / calls);
        }
        globalThis.AbortController = RealAbortController;
      }
      const diffs = samples.real.map((x, i) => x - samples.plain[i]);
      out[op] = { realUs: median(samples.real), plainUs: median(samples.plain), shareUs: median(diffs) };
    }
    return out;
  } finally {
    globalThis.fetch = realFetch;
    globalThis.AbortController = RealAbortController;
  }
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
const FETCH_REQUEST_SIDE = "hand-written fetch written as the transport: Headers, a signal, a timeout";

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
  const withoutNetwork = await overheadWithoutNetwork(pkg);
  const abortController = await abortControllerShare(pkg);
  // The targets (issue 16: the goal; issue 11: the limit) are on CPU above the bare
  // hand-written call over the stub that only answers, the worse of GET and PATCH.
  const worstOverUs = Math.max(...Object.values(withoutNetwork.response).map((r) => r.overUs.fetch));
  return {
    scenarios,
    withoutNetwork,
    abortController,
    target: { goalUs: CPU_GOAL_US, limitUs: CPU_LIMIT_US, worstOverUs, goalMet: worstOverUs <= CPU_GOAL_US, limitMet: worstOverUs <= CPU_LIMIT_US },
  };
}

/**
 * The client's own cost, without the network: CPU microseconds per call when `fetch` is a
 * stub that answers at once with a real `Response` holding the emulator's document (with its
 * `content-type` and `content-length`), for AtlasClient and for the hand-written calls. The
 * transport reads the `Response` through gloo-net and web-sys, so the stub must be a real
 * one. A second stub also builds `new Request(input, init)` first, as the real `fetch` does
 * before it touches the network, which charges every side for what it passes (a signal
 * costs undici most). The real `fetch` is put back afterwards.
 */
export async function overheadWithoutNetwork(pkg, { calls = 20000, rounds = 5 } = {}) {
  const realFetch = globalThis.fetch;
  const answer = stubAnswer();
  const stubs = {
    response: async () => answer(),
    requestAndResponse: async (input, init) => {
      if (!(new Request(input, init).url)) throw new Error("no url");
      return answer();
    },
  };
  try {
    const base = "http://127.0.0.1:9";
    const sides = {
      [PKG_SIDE]: packageClient(pkg, base),
      [FETCH_SIDE]: handWritten(base),
      [FETCH_TIMEOUT_SIDE]: handWritten(base, { timeoutMs: 30000 }),
      [FETCH_REQUEST_SIDE]: handWrittenLikeTransport(base),
    };
    const out = {};
    for (const [stub, fetch] of Object.entries(stubs)) {
      globalThis.fetch = fetch;
      out[stub] = {};
      for (const op of ["GET", "PATCH"]) {
        const samples = Object.fromEntries(Object.keys(sides).map((n) => [n, []]));
        // Round -1 is the warm-up; the sides alternate in order round by round.
        for (let r = -1; r < rounds; r++) {
          const names = Object.keys(sides);
          for (const n of r % 2 ? names.reverse() : names) {
            const side = sides[n];
            const call = op === "GET" ? () => side.get() : () => side.patch(PATCH_BODY);
            const cpu = process.cpuUsage();
            for (let i = 0; i < calls / rounds; i++) await call();
            const used = process.cpuUsage(cpu);
            if (r >= 0) samples[n].push((used.user + used.system) / (calls / rounds));
          }
        }
        const med = Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, { cpuUsPerCall: median(xs), rounds: xs.map((x) => +x.toFixed(2)) }]));
        // What AtlasClient costs above the hand-written calls, from the medians.
        const over = (side) => med[PKG_SIDE].cpuUsPerCall - med[side].cpuUsPerCall;
        med.overUs = { fetch: over(FETCH_SIDE), fetchWithTimeout: over(FETCH_TIMEOUT_SIDE), fetchOfRequest: over(FETCH_REQUEST_SIDE) };
        out[stub][op] = med;
      }
    }
    return out;
  } finally {
    globalThis.fetch = realFetch;
  }
}

// `node bench/client.mjs [pkg/node/index.cjs]`: only the stubbed measurement, for A/B runs.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { createRequire } = await import("node:module");
  const pkg = createRequire(import.meta.url)(process.argv[2] ?? "../pkg/node/index.cjs");
  const r = await overheadWithoutNetwork(pkg, { calls: +(process.env.CALLS ?? 20000) });
  const a = await abortControllerShare(pkg);
  for (const [op, m] of Object.entries(a)) console.log(`AbortController ${op}: ${m.realUs.toFixed(1)} µs with it, ${m.plainUs.toFixed(1)} with a plain object: ${m.shareUs.toFixed(1)} µs`);
  for (const [stub, ops] of Object.entries(r)) {
    for (const [op, m] of Object.entries(ops)) {
      console.log(stub, op, Object.entries(m).map(([n, v]) => `${n}: ${v.cpuUsPerCall?.toFixed(1) ?? Object.values(v).map((x) => x.toFixed(1)).join(" / ")}`).join(", "));
    }
  }
}
