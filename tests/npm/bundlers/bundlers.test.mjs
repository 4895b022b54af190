// The packed tarball in a Vite app and in a webpack app, as users install and deploy it: each
// app is built, served by atlas-emulator itself (`--www dist`, so page and API share an
// origin) and driven in headless Chromium: init(), validators in English and Chinese, and the
// client. The Vite dev server (pre-bundling, with the README's `optimizeDeps.exclude`) too.
//
// Needs ROOT (the repository), EMULATOR (the atlas-emulator binary), TARBALL (the packed
// package) and WORK (a scratch folder).
import test from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { createInterface } from "node:readline";
import { startEmulator } from "../consumer/emulator.mjs";
import { bundleSizes, prepareApp } from "./app.mjs";
import { launch, openApp } from "./chromium.mjs";

const { TARBALL, WORK } = process.env;
const CJK = /[\u4e00-\u9fff]/;

/** A loopback port free at the moment of asking. */
async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The address a vite dev server prints ("Local: http://…"), read from its output; fails with
 * what it printed if it exits or prints none within `ms`.
 */
async function viteAddress(vite, ms) {
  const seen = [];
  const lines = createInterface({ input: vite.stdout });
  const address = new Promise((resolve, reject) => {
    lines.on("line", (raw) => {
      const line = stripVTControlCharacters(raw);
      seen.push(line);
      const origin = line.match(/Local:\s+(http:\/\/\S+?)\/?$/)?.[1];
      if (origin) resolve(origin);
    });
    vite.on("exit", (code) => reject(new Error(`vite exited with ${code}:\n${seen.join("\n")}`)));
  });
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`vite printed no address within ${ms} ms:\n${seen.join("\n")}`)), ms);
  });
  try {
    return await Promise.race([address, late]);
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

/** Which of the package's two modules (`web`, `validators`) `bytes` is, by content. */
async function wasmKind(appDir, bytes) {
  for (const kind of ["web", "validators"]) {
    const shipped = await readFile(join(appDir, "node_modules/atlas-ldap", kind, "atlas_ldap_bg.wasm")).catch(() => null);
    if (shipped?.equals(bytes)) return kind;
  }
  return "unknown";
}

/** The modules of the .wasm files a page fetched, each checked to be served as application/wasm. */
async function wasmFetched(appDir, origin, page) {
  const kinds = [];
  for (const r of page.responses.filter((r) => r.url.endsWith(".wasm"))) {
    assert.equal(r.status, 200, `${r.url} answered ${r.status}`);
    assert.equal(r.type, "application/wasm", `${r.url} is served as ${r.type}`);
    const bytes = Buffer.from(await (await fetch(origin + r.url)).arrayBuffer());
    kinds.push(await wasmKind(appDir, bytes));
  }
  return kinds;
}

/** Nothing went wrong on the page but 404s for the favicon and the project asked for on purpose. */
function assertClean(page) {
  assert.deepEqual(page.errors, [], "uncaught errors or failed requests");
  const unexpected = page.console.filter((m) => !/status of 404 .*(\/favicon\.ico|\/groups\/a{24}\/userSecurity)\)$/.test(m));
  assert.deepEqual(unexpected, [], "console warnings or errors");
}

/** The console page (the whole package): validators in both languages and the client. */
async function checkConsolePage(browser, origin, appDir, emu) {
  const page = await openApp(browser, `${origin}/`);
  const r = page.result;
  assert.equal(r.error, undefined, `the page failed: ${r.error}`);
  assertClean(page);
  assert.deepEqual(r.groupId, { ok: true, issues: [] });
  assert.deepEqual(r.badGroupIdEn.issues.map((i) => [i.path, i.code]), [["groupId", "pattern"]]);
  assert.match(r.badGroupIdEn.issues[0].message, /has the wrong format/);
  assert.deepEqual(r.badBodyZh.issues.map((i) => [i.path, i.code]), [["ldap.hostname", "pattern"], ["ldap.port", "range"]]);
  assert.match(r.badBodyZh.issues[0].message, /格式不正确/);
  assert.equal(r.saved.ldap.hostname, "ldap.example.com");
  assert.equal(r.loaded.ldap.port, 636);
  assert.equal(r.loaded.ldap.bindPassword, undefined, "Atlas never returns bindPassword");
  assert.equal(r.verified.status, "FAILED");
  assert.equal(r.seen.at(-1), "FAILED");
  assert.deepEqual(r.notFound, { api: true, status: 404 });
  assert.deepEqual(r.invalid, { validation: true, codes: ["pattern"] });
  assert.equal(emu.count("POST", "/api/oauth/token"), 1, "one token for the whole session");
  assert.equal(emu.count("POST", "/api/oauth/revoke"), 1);
  assert.equal(emu.count("GET", "/api/atlas/v2/groups/not-an-id/userSecurity"), 0, "a bad id is never sent");
  assert.deepEqual(await wasmFetched(appDir, origin, page), ["web"]);
  return page;
}

/** The validators page: `atlas-ldap/validators` alone, fetching only its own small .wasm. */
async function checkValidatorsPage(browser, origin, appDir) {
  const page = await openApp(browser, `${origin}/validators.html`);
  const r = page.result;
  assert.equal(r.error, undefined, `the page failed: ${r.error}`);
  assertClean(page);
  assert.deepEqual(r.groupId, { ok: true, issues: [] });
  assert.equal(r.hostnameEn.ok, true);
  assert.deepEqual(r.hostnameEn.issues.map((i) => [i.code, i.severity]), [["spec_pattern", "warning"]]);
  const codes = [["ldap.hostname", "pattern"], ["ldap.port", "range"]];
  assert.deepEqual(r.bodyEn.issues.map((i) => [i.path, i.code]), codes);
  assert.deepEqual(r.bodyZh.issues.map((i) => [i.path, i.code]), codes);
  assert.ok(r.bodyEn.issues.every((i) => !CJK.test(i.message)), "English by default");
  assert.ok(r.bodyZh.issues.every((i) => CJK.test(i.message)), "Chinese with locale zh");
  assert.equal(r.groupIdPattern, "^([a-f0-9]{24})$");
  assert.deepEqual(await wasmFetched(appDir, origin, page), ["validators"]);
  return page;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const size = (f) => `${f.bytes} B, ${f.gzip} B gzip, ${f.brotli} B brotli`;

/** One line per emitted .js/.wasm file (naming which package module a .wasm is), then what each page loaded. */
async function sizeReport(app, pages) {
  const files = await bundleSizes(app.dist);
  const lines = [];
  for (const f of files) {
    const kind = f.file.endsWith(".wasm") ? ` (${await wasmKind(app.dir, await readFile(join(app.dist, f.file)))})` : "";
    lines.push(`  ${f.file}${kind}: ${size(f)}`);
  }
  for (const [name, page] of Object.entries(pages)) {
    const loaded = files.filter((f) => page.responses.some((r) => r.url === `/${f.file}`));
    const total = { bytes: 0, gzip: 0, brotli: 0 };
    for (const f of loaded) for (const k in total) total[k] += f[k];
    lines.push(`  the ${name} page loads ${loaded.length} files: ${size(total)}`);
  }
  return lines.join("\n");
}

for (const bundler of ["vite", "webpack"]) {
  test(`${bundler}: the tarball in a built app, served same-origin by atlas-emulator, in Chromium`, async (t) => {
    const app = await prepareApp(bundler, TARBALL, WORK);
    const emu = await startEmulator(t, "--www", app.dist);
    const browser = await launch(t);
    const start = performance.now();
    const pages = {};
    await t.test("console page: init(), validators in en and zh, AtlasClient", async () => {
      pages.console = await checkConsolePage(browser, emu.url, app.dir, emu);
    });
    await t.test("validators page: atlas-ldap/validators and only its .wasm", async () => {
      pages.validators = await checkValidatorsPage(browser, emu.url, app.dir);
    });
    const ms = performance.now() - start;
    t.diagnostic(`${bundler}: install ${seconds(app.ms.install)}, build ${seconds(app.ms.build)}, pages in Chromium ${seconds(ms)}`);
    t.diagnostic(`${bundler} output:\n${await sizeReport(app, pages)}`);
  });
}

test("vite dev server: pre-bundling with the README's optimizeDeps.exclude keeps the .wasm", async (t) => {
  const app = await prepareApp("vite", TARBALL, join(WORK, "dev"), { build: false });
  const readme = await readFile(join(app.dir, "node_modules/atlas-ldap/README.md"), "utf8");
  const advice = readme.match(/\/\/ vite\.config\.js\n.*(optimizeDeps: \{[^}]*\})/)?.[1];
  assert.ok(advice, "the shipped README tells Vite users about optimizeDeps");
  assert.ok((await readFile(join(app.dir, "vite.config.js"), "utf8")).includes(advice), `the app is configured as the README says: ${advice}`);
  // Vite's proxy passes the page's Origin on (and rewrites Host), so the emulator must be
  // told the dev server's origin: its port is chosen first.
  const port = await freePort();
  const emu = await startEmulator(t, "--cors-origin", `http://127.0.0.1:${port}`);
  const start = performance.now();
  // CI machines set CI, which turns vite's colours on even into a pipe: NO_COLOR turns them
  // off, and the address is read with any escape codes stripped all the same.
  const vite = spawn(join(app.dir, "node_modules/.bin/vite"), ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: app.dir, env: { ...process.env, ATLAS_API: emu.url, NO_COLOR: "1", FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => vite.kill());
  const origin = await viteAddress(vite, 60000);
  assert.equal(origin, `http://127.0.0.1:${port}`, "vite printed its address");
  const browser = await launch(t);
  await t.test("console page", () => checkConsolePage(browser, origin, app.dir, emu));
  await t.test("validators page", () => checkValidatorsPage(browser, origin, app.dir));
  t.diagnostic(`vite dev: install ${seconds(app.ms.install)}, server start and pages ${seconds(performance.now() - start)}`);
});
