// A fast first load: compressed static files (the .wasm above all), everything requested at
// once (modulepreload, a preloaded .wasm and console.json), and the time to "interactive" —
// the first validation message works — cold (a new browser context each run) on loopback,
// as a median of several runs, written to tests/artifacts/interactive.json; measured both with
// a lean DevTools driver (lean-chromium.mjs) and under Playwright.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ARTIFACTS, launch, resetSettings, startServer } from "./helpers.mjs";
import { launchLean } from "./lean-chromium.mjs";

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

/**
 * Types into Hostname as soon as it can be typed into, and says on the console when its
 * message appears: the console is told, not asked, so the page never waits on the driver.
 */
function probe() {
  const step = () => {
    const input = document.getElementById("ldap-hostname");
    const msg = document.getElementById("ldap-hostname-msg");
    if (input && document.body.dataset.ready === "true" && !input.closest("fieldset:disabled")) {
      if (input.value !== "ldap..example.com") {
        input.value = "ldap..example.com";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (msg && !msg.hidden && msg.textContent) {
        console.debug(`__interactive ${performance.now()}`);
        return;
      }
    }
    setTimeout(step, 1);
  };
  step();
}
const TOLD = "__interactive ";
/** What the page says after the probe: its message and its performance marks. */
const AFTER = `({ message: document.getElementById("ldap-hostname-msg").textContent,
  marks: Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime])) })`;

/** One cold load with the lean driver: { ms, message, marks }. */
async function leanLoad(lean) {
  const { text, value } = await lean.coldLoad(`${base}/`, { probe: probe.toString(), prefix: TOLD, evaluate: AFTER });
  return { ms: Number(text.slice(TOLD.length)), ...value };
}

/**
 * One cold load driven by Playwright, as the rest of the suite is. Its console event is
 * waited for, not `page.waitForFunction`, which would first make Playwright compile its
 * injected script in the page, 8–13 ms of the main thread in the middle of the start-up.
 */
async function playwrightLoad() {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(probe);
    const told = page.waitForEvent("console", { predicate: (m) => m.text().startsWith(TOLD), timeout: 15000 });
    await page.goto(`${base}/`);
    const ms = Number((await told).text().slice(TOLD.length));
    return { ms, ...(await page.evaluate(AFTER)) };
  } finally {
    await context.close();
  }
}

test(`interactive (the first validation message works): median of ${RUNS} cold runs, reported against ${TARGET_MS} ms`, async () => {
  // Each round loads the page once with each driver, so both see the same machine. The
  // target is judged on the lean driver's loads: Playwright following every request is the
  // test's own work, not the page's (about 45–70 ms of the median on 2 cores when measured).
  const lean = launchLean();
  const sides = { lean: { load: () => leanLoad(lean) }, playwright: { load: playwrightLoad } };
  for (const side of Object.values(sides)) Object.assign(side, { times: [], cpu: [], steps: {} });
  try {
    await leanLoad(lean); // the lean browser's first start-up, as the suite's browser has had
    for (let i = 0; i < RUNS; i++) {
      for (const side of i % 2 ? [sides.playwright, sides.lean] : [sides.lean, sides.playwright]) {
        const cpuBefore = childrenCpuMs();
        const { ms, message, marks } = await side.load();
        if (cpuBefore !== null) side.cpu.push(Math.round(childrenCpuMs() - cpuBefore));
        assert.match(message, /^Error:/);
        side.times.push(Math.round(ms));
        for (const [name, at] of Object.entries(marks)) (side.steps[name] ??= []).push(Math.round(at));
      }
    }
  } finally {
    await lean.close();
  }
  const medianOf = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const summary = (side) => ({
    runs: side.times,
    median: medianOf(side.times),
    steps: Object.fromEntries(Object.entries(side.steps).map(([name, list]) => [name, medianOf(list)])),
    // Chromium's CPU from navigation to interactive, all its processes: with 2 cores, a load
    // that uses about twice its time in CPU is bound by the machine, not by waiting.
    chromiumCpuMs: side.cpu.length ? medianOf(side.cpu) : null,
  });
  const leanSummary = summary(sides.lean);
  const underPlaywright = summary(sides.playwright);
  const { median } = leanSummary;
  const loadAverage = os.loadavg()[0];
  const met = median <= TARGET_MS;
  writeFileSync(path.join(ARTIFACTS, "interactive.json"),
    `${JSON.stringify({ ...leanSummary, targetMs: TARGET_MS, met, loadAverage, cores: os.availableParallelism(), underPlaywright }, null, 1)}\n`);
  const line = (r) => `median ${r.median} ms (${r.runs.join(", ")} ms), Chromium's CPU per load ${r.chromiumCpuMs ?? "n/a"} ms, ` +
    `marks ${Object.entries(r.steps).map(([n, v]) => `${n} ${v} ms`).join(", ")}`;
  console.log(`# interactive over ${RUNS} cold loads: target ${TARGET_MS} ms ${met ? "met" : "NOT met"}; ` +
    `load average ${loadAverage.toFixed(1)} on ${os.availableParallelism()} cores`);
  console.log(`#   lean DevTools driver (judged): ${line(leanSummary)}`);
  console.log(`#   driven by Playwright: ${line(underPlaywright)}`);
  assert.ok(median < BROKEN_MS, `median ${median} ms: the page does not become interactive`);
});
