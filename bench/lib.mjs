// Shared helpers of the benchmarks: paths, timing with warm-up, interleaved rounds and medians,
// percentiles, the emulator, and a description of the machine.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PKG = join(ROOT, "pkg");
export const EMULATOR = process.env.ATLAS_EMULATOR ?? join(ROOT, "target", "release", "atlas-emulator");
export const GROUP = "32b6e34b3d91647abb20e7b8";
export const TOKEN = "demo-access-token";

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The q-quantile (0..1) of xs, nearest rank. */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

const now = () => process.hrtime.bigint();

/** How many calls of fn take about `ms` milliseconds (at least `min`). */
function calibrate(fn, ms) {
  let n = 1;
  for (;;) {
    const t = now();
    fn(n);
    const el = Number(now() - t) / 1e6;
    if (el >= ms / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * ms) / Math.max(el, 0.01)));
    n *= 4;
  }
}

/**
 * Compares synchronous functions in one process. Each entry is `(n) => void` running n
 * operations. After warm-up, the sides run in alternating order for `rounds` rounds of about
 * `roundMs` each; the result per side is the median of the rounds' operations per second.
 */
export function compareSync(sides, { rounds = 7, roundMs = 150, warmupRounds = 2 } = {}) {
  const names = Object.keys(sides);
  const iters = {};
  for (const name of names) iters[name] = calibrate(sides[name], roundMs);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmupRounds + rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const t = now();
      sides[name](iters[name]);
      const el = Number(now() - t) / 1e9;
      if (r >= warmupRounds) samples[name].push(iters[name] / el);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { opsPerSec: median(samples[n]), rounds: samples[n].map(Math.round) }]));
}

/** Starts the release emulator on a free loopback port; returns { url, stop }. */
export async function startEmulator(...flags) {
  const child = spawn(EMULATOR, ["--port", "0", "--verify-delay-ms", "100", ...flags], {
    stdio: ["ignore", "pipe", "ignore"], // the request log (stderr) is not needed
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => { throw new Error(`atlas-emulator exited with ${code}`); }),
  ]);
  const url = first.match(/listening on (http:\/\/\S+)/)?.[1];
  if (!url) throw new Error(`atlas-emulator did not start: ${first}`);
  lines.on("line", () => {}); // keep draining stdout
  return { url, stop: () => child.kill() };
}

export function machine() {
  let model = cpus()[0]?.model ?? "unknown";
  try {
    model = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? model;
  } catch {}
  return { date: new Date().toISOString(), nproc: cpus().length, cpu: model, node: process.version, platform: `${process.platform}-${process.arch}` };
}

export const fmt = (x, digits = 0) =>
  x === undefined || x === null || Number.isNaN(x) ? "–" : Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
