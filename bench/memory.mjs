// 6. Memory: wasm linear memory (memory.buffer.byteLength) and process RSS before and after
// 100,000 validations and 10,000 client calls, after a warm-up. Runs in its own child process
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
  validations(VALIDATIONS / 10); // warm-up
  await calls(CALLS / 10);
  const warm = snap();
  validations(VALIDATIONS);
  const afterValidations = snap();
  await calls(CALLS);
  const afterCalls = snap();
  // A second pass of both: memory that keeps growing would show here too.
  validations(VALIDATIONS);
  await calls(CALLS);
  const afterSecondPass = snap();
  return { validations: VALIDATIONS, calls: CALLS, loaded, warm, afterValidations, afterCalls, afterSecondPass };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(await child(process.argv[2])));
}
