// A fast first load: compressed static files (the .wasm above all), everything requested at
// once (modulepreload, a preloaded .wasm and console.json), and the time to "interactive" —
// the first validation message works — cold (a new browser profile each run) on loopback,
// as a median of several runs, written to tests/artifacts/interactive.json.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ARTIFACTS, launch, resetSettings, startServer } from "./helpers.mjs";

const RUNS = 15;
/** The target: reported against, not asserted (speed is measured, never a test's pass mark). */
const TARGET_MS = 250;
/** A page that takes this long is broken, not slow. */
const BROKEN_MS = 5000;

/**
 * CPU milliseconds used so far by the processes this test started (Chromium's browser,
 * renderer, GPU and utility processes), from /proc; null where there is none. A cold load
 * is reported with what it cost the machine, since on 2 cores that decides its time.
 */
function childrenCpuMs() {
  if (!existsSync("/proc/self/stat")) return null;
  const parent = new Map();
  const cpu = new Map();
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(pid), Number(fields[1]));
      cpu.set(Number(pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // USER_HZ is 100 on Linux
    } catch { /* the process ended meanwhile */ }
  }
  const mine = (pid) => { for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true; return false; };
  let total = 0;
  for (const [pid, ms] of cpu) if (mine(pid)) total += ms;
  return total;
}

let server;
let browser;
let base;

before(async () => {
  server = await startServer();
  base = server.url;
  browser = await launch();
  await resetSettings(base);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("static files come compressed, and the first screen's requests start together", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const encodings = new Map();
  page.on("response", async (res) => {
    const url = new URL(res.url());
    encodings.set(url.pathname, (await res.allHeaders())["content-encoding"] ?? "");
  });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => !document.querySelector("#settings-fields").disabled);
  assert.equal(encodings.get("/pkg/web/atlas_ldap_bg.wasm"), "br", "the .wasm");
  for (const file of ["/", "/app.js", "/i18n.js", "/styles.css", "/pkg/web/atlas_ldap.js"]) {
    assert.ok(["br", "gzip"].includes(encodings.get(file)), `${file}: ${encodings.get(file)}`);
  }
  const entries = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("resource")
    .map((e) => [new URL(e.name).pathname, { start: e.startTime, end: e.responseEnd, size: e.transferSize, body: e.decodedBodySize }])));
  // Preloaded means requested while the page is parsed: app.js (a deferred module) runs only
  // once it is, and only then would ask for the package, its .wasm, console.json and
  // console.js, whose own imports would come later still.
  const parsed = await page.evaluate(() => performance.getEntriesByType("navigation")[0].domInteractive);
  const wasm = entries["/pkg/web/atlas_ldap_bg.wasm"];
  for (const file of ["/pkg/web/index.js", "/pkg/web/atlas_ldap.js", "/pkg/web/atlas_ldap_bg.wasm", "/__emulator/console.json",
    "/console.js", "/settings-actions.js", "/messages.js", "/i18n.js"]) {
    assert.ok(entries[file].start < parsed, `${file} is requested while the page is parsed (preloaded): ${entries[file].start} < ${parsed} ms`);
  }
  // The roles section is wired after the first screen: its module is fetched only then.
  const wired = await page.evaluate(() => performance.getEntriesByName("console:wired")[0]?.startTime);
  await page.locator("#roles:not([inert])").waitFor();
  const roles = await page.evaluate(() => performance.getEntriesByType("resource").find((e) => e.name.endsWith("/roles.js"))?.startTime);
  assert.ok(roles >= wired, `roles.js is fetched once the first screen is wired: ${roles} >= ${wired} ms`);
  const configRequests = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/__emulator/console.json")).length);
  assert.equal(configRequests, 1, "console.json once: the preload is used");
  assert.ok(wasm.size < wasm.body / 2, `the .wasm travels compressed: ${wasm.size} of ${wasm.body} bytes`);
  console.log(`# wasm on the wire: ${wasm.size} bytes for ${wasm.body}`);
  await context.close();
});

test(`interactive (the first validation message works): median of ${RUNS} cold runs, reported against ${TARGET_MS} ms`, async () => {
  const times = [];
  const cpu = [];
  const steps = {};
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Types into Hostname as soon as it can be typed into, and notes when its message appears.
    await page.addInitScript(() => {
      const probe = () => {
        const input = document.getElementById("ldap-hostname");
        const msg = document.getElementById("ldap-hostname-msg");
        if (input && document.body.dataset.ready === "true" && !input.closest("fieldset:disabled")) {
          if (input.value !== "ldap..example.com") {
            input.value = "ldap..example.com";
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }
          if (msg && !msg.hidden && msg.textContent) {
            // Told through the console, which the page does not wait on: waiting with
            // page.waitForFunction would first make Playwright compile its injected script in
            // the page, 8–13 ms of the main thread in the middle of the start-up being timed.
            console.debug(`__interactive ${performance.now()}`);
            return;
          }
        }
        setTimeout(probe, 1);
      };
      probe();
    });
    const told = page.waitForEvent("console", { predicate: (m) => m.text().startsWith("__interactive "), timeout: 15000 });
    const cpuBefore = childrenCpuMs();
    await page.goto(`${base}/`);
    const ms = Number((await told).text().split(" ")[1]);
    if (cpuBefore !== null) cpu.push(Math.round(childrenCpuMs() - cpuBefore));
    assert.match(await page.locator("#ldap-hostname-msg").textContent(), /^Error:/);
    times.push(Math.round(ms));
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime])));
    for (const [name, at] of Object.entries(marks)) (steps[name] ??= []).push(Math.round(at));
    await context.close();
  }
  const medianOf = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const median = medianOf(times);
  const stepMedians = Object.fromEntries(Object.entries(steps).map(([name, list]) => [name, medianOf(list)]));
  const loadAverage = os.loadavg()[0];
  const met = median <= TARGET_MS;
  // Chromium's CPU from navigation to interactive, all its processes: with 2 cores, a load
  // that uses about twice its time in CPU is bound by the machine, not by waiting.
  const chromiumCpuMs = cpu.length ? medianOf(cpu) : null;
  writeFileSync(path.join(ARTIFACTS, "interactive.json"),
    `${JSON.stringify({ runs: times, median, steps: stepMedians, targetMs: TARGET_MS, met, loadAverage, cores: os.availableParallelism(), chromiumCpuMs }, null, 1)}\n`);
  console.log(`# interactive: median ${median} ms over ${RUNS} cold runs (${times.join(", ")} ms), ` +
    `target ${TARGET_MS} ms ${met ? "met" : "NOT met"}; load average ${loadAverage.toFixed(1)} on ${os.availableParallelism()} cores; ` +
    `Chromium's CPU per load ${chromiumCpuMs ?? "n/a"} ms (median); ` +
    `median marks ${Object.entries(stepMedians).map(([n, v]) => `${n} ${v} ms`).join(", ")}`);
  assert.ok(median < BROKEN_MS, `median ${median} ms: the page does not become interactive`);
});
