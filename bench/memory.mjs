// 6. Memory: wasm linear memory (memory.buffer.byteLength) and process RSS before and after
// 100,000 validations and 10,000 client calls, after a warm-up pass of the same work. Runs in its own child process
// (`node --expose-gc bench/memory.mjs <emulator url>`), so nothing else in the bench shows up
// in its RSS. The package's instance is caught when the Node glue instantiates it, so the
// package needs no extra export for this.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { promisify } from "node:util";
import { BODIES, GROUP_IDS, HOSTNAMES } from "./bodies.mjs";
import { PATCH_BODY, packageClient } from "./client.mjs";
import { PKG } from "./lib.mjs";

const VALIDATIONS = 100_000;
const CALLS = 10_000;
const PASSES = 4;

/** Least-squares slope (bytes per pass) of RSS and JS heap over the measured passes. */
function trend(warm, first, passes) {
  const points = [first, ...passes];
  const slope = (key) => {
    const n = points.length, xs = points.map((_, i) => i), ys = points.map((p) => p[key]);
    const mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
    return xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  };
  const calls = points.length * CALLS;
  return {
    passes: points.length,
    wasmGrowthBytes: points.at(-1).wasmBytes - warm.wasmBytes,
    heapGrowthBytesPerCall: (points.at(-1).heapUsedBytes - warm.heapUsedBytes) / calls,
    rssGrowthBytesPerCall: (points.at(-1).rssBytes - warm.rssBytes) / calls,
    rssSlopeBytesPerPass: slope("rssBytes"),
    heapSlopeBytesPerPass: slope("heapUsedBytes"),
  };
}

/** Runs the measurement in a fresh process and returns its result. */
export async function runMemory(baseUrl) {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), baseUrl], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout);
}

async function child(baseUrl) {
  const instances = [];
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    instances.push(instance);
    return instance;
  };
  const pkg = createRequire(import.meta.url)(join(PKG, "node", "index.cjs"));
  WebAssembly.Instance = Instance;
  const memory = instances[0]?.exports.memory;
  if (!memory) throw new Error("could not find the wasm memory of the package");

  const snap = () => {
    globalThis.gc();
    globalThis.gc();
    return { wasmBytes: memory.buffer.byteLength, rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed };
  };
  const validations = (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      switch (i % 3) {
        case 0: ok += pkg.validateUserSecurity(BODIES[i % BODIES.length]).ok; break;
        case 1: ok += pkg.validateGroupId(GROUP_IDS[i % GROUP_IDS.length]).ok; break;
        default: ok += pkg.validateHostname(HOSTNAMES[i % HOSTNAMES.length]).ok;
      }
    }
    return ok;
  };
  const client = packageClient(pkg, baseUrl);
  const calls = async (n, concurrency = 16) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        await (i % 2 ? client.get() : client.patch(PATCH_BODY));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  const loaded = snap();
  // Warm-up: one full pass of both, so the JIT, the allocator and undici's pools settle.
  validations(VALIDATIONS);
  await calls(CALLS);
  const warm = snap();
  validations(VALIDATIONS);
  const afterValidations = snap();
  await calls(CALLS);
  const afterCalls = snap();
  // More passes of both: memory that keeps growing shows as a trend across them (single RSS
  // snapshots move by tens of MB either way with GC and undici pool timing).
  const passes = [];
  for (let p = 0; p < PASSES; p++) {
    validations(VALIDATIONS);
    await calls(CALLS);
    passes.push(snap());
  }
  const afterSecondPass = passes[0];
  return { validations: VALIDATIONS, calls: CALLS, loaded, warm, afterValidations, afterCalls, afterSecondPass, passes, trend: trend(warm, afterCalls, passes) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(await child(process.argv[2])));
}
