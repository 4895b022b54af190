// The installed package in headless Chromium, loaded through its `browser` export: the page's
// import map points "atlas-ldap" at the file the package's exports give browsers.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize } from "node:path";
import { startEmulator, GROUP } from "./emulator.mjs";

const pkgDir = join(process.cwd(), "node_modules", "atlas-ldap");
const { chromium } = createRequire(join(process.env.ROOT, "package.json"))("playwright-core");
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

async function page(script = DEFAULT_SCRIPT) {
  const manifest = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
  const entry = manifest.exports["."].browser.default;
  const validators = manifest.exports["./validators"].browser.default;
  assert.ok(entry && validators, "package.json has browser exports");
  const imports = { "atlas-ldap": `/pkg/${entry.replace(/^\.\//, "")}`, "atlas-ldap/validators": `/pkg/${validators.replace(/^\.\//, "")}` };
  return `<!doctype html><meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module" src="/test.js"></script>`;
}

const DEFAULT_SCRIPT = `
  import { init, validateGroupId, SPEC_PATTERNS } from "atlas-ldap";
  try {
    await init();
    await init(); // idempotent
    window.result = {
      good: validateGroupId("32b6e34b3d91647abb20e7b8"),
      bad: validateGroupId("32B6E34B3D91647ABB20E7B8", { locale: "zh" }),
      odd: validateGroupId(42),
      groupIdPattern: SPEC_PATTERNS.groupId,
    };
  } catch (e) { window.result = { error: String(e) }; }`;

/**
 * Serves the installed package and a page running \`script\` (or the script \`script(origin)\`
 * resolves to, given the page's origin), opens it in Chromium, returns window.result.
 */
async function runInChromium(t, script, served = []) {
  const html = await page();
  let source = script;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x").pathname;
    served.push(url);
    if (url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(html);
    if (url === "/test.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(source);
    const file = normalize(url).replace(/^\/pkg\//, "");
    try {
      const body = await readFile(join(pkgDir, file));
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const origin = `http://127.0.0.1:${server.address().port}`;
  if (typeof script === "function") source = await script(origin);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.after(() => browser.close());
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  await tab.goto(`${origin}/`);
  const result = await tab.waitForFunction(() => window.result, null, { timeout: 30000 }).then((h) => h.jsonValue());
  assert.deepEqual(errors, []);
  return result;
}

test("Chromium: the browser export loads, init() then validateGroupId", async (t) => {
  const result = await runInChromium(t, DEFAULT_SCRIPT);
  assert.equal(result.error, undefined);
  assert.equal(result.good.ok, true);
  assert.equal(result.bad.ok, false);
  assert.equal(result.bad.issues[0].code, "pattern");
  assert.equal(result.odd.issues[0].code, "type");
  assert.equal(result.groupIdPattern, "^([a-f0-9]{24})$");
});

test("Chromium: atlas-ldap/validators loads its own small module and validates", async (t) => {
  const served = [];
  const result = await runInChromium(t, `
    import { init, validateUserSecurity, validateGroupId, SPEC_PATTERNS } from "atlas-ldap/validators";
    try {
      await init();
      window.result = {
        body: validateUserSecurity({ ldap: { hostname: "ldap.example.com:636", port: 0 } }, { locale: "zh" }),
        id: validateGroupId("32b6e34b3d91647abb20e7b8"),
        groupIdPattern: SPEC_PATTERNS.groupId,
      };
    } catch (e) { window.result = { error: String(e) }; }`, served);
  assert.equal(result.error, undefined);
  assert.deepEqual(result.body.issues.map((i) => [i.path, i.code]), [["ldap.hostname", "pattern"], ["ldap.port", "range"]]);
  assert.match(result.body.issues[0].message, /格式不正确/);
  assert.deepEqual(result.id, { ok: true, issues: [] });
  assert.equal(result.groupIdPattern, "^([a-f0-9]{24})$");
  const wasm = served.filter((u) => u.endsWith(".wasm"));
  assert.deepEqual(wasm, ["/pkg/validators/atlas_ldap_bg.wasm"]);
});

test("Chromium: AtlasClient against atlas-emulator across origins (CORS)", async (t) => {
  let emu;
  // The emulator lets no other origin in unless told which: here, the test page's.
  const result = await runInChromium(t, async (origin) => {
    emu = await startEmulator(t, "--cors-origin", origin);
    return `
    import { init, AtlasClient, isAtlasApiError } from "atlas-ldap";
    const out = {};
    try {
      await init();
      const base = ${JSON.stringify(emu.url)};
      const client = new AtlasClient({ baseUrl: base, serviceAccount: { clientId: "mdb_sa_id_demo", clientSecret: "mdb_sa_sk_demo" } });
      const g = "${GROUP}";
      out.saved = await client.updateUserSecurity(g, { ldap: { authenticationEnabled: true, hostname: "ldap.example.com", port: 636,
        bindUsername: "CN=B,DC=example,DC=com", bindPassword: "s3cret-bind-pw" } });
      out.loaded = await client.getUserSecurity(g, { envelope: true });
      const job = await client.verifyLdap(g, { hostname: "ldap.corp.invalid", port: 636, bindUsername: "CN=B,DC=x", bindPassword: "pw" });
      const seen = [];
      out.failed = await client.waitForLdapVerify(g, job.requestId, { intervalMs: 50, onProgress: (j) => seen.push(j.status) });
      out.seen = seen;
      try { await client.getUserSecurity("aaaaaaaaaaaaaaaaaaaaaaaa"); } catch (e) { out.notFound = { api: isAtlasApiError(e), status: e.status }; }
      const c = new AbortController();
      const pending = client.getUserSecurity(g, { signal: c.signal });
      c.abort("a string reason");
      try { await pending; } catch (e) { out.aborted = { name: e.name, cause: e.cause }; }
      out.after = (await client.getUserSecurity(g)).ldap.hostname;
      const digest = new AtlasClient({ baseUrl: base, digest: { publicKey: "demopublickey", privateKey: "demo-private-key" } });
      out.digest = (await digest.getUserSecurity(g)).ldap.port;
      await client.revokeToken();
    } catch (e) { out.error = e.name + ": " + e.message; }
    window.result = out;`;
  });
  assert.equal(result.error, undefined);
  assert.equal(result.saved.ldap.hostname, "ldap.example.com");
  assert.equal(result.loaded.ldap.bindPassword, undefined);
  assert.equal(result.failed.status, "FAILED");
  assert.equal(result.seen.at(-1), "FAILED");
  assert.deepEqual(result.notFound, { api: true, status: 404 });
  assert.deepEqual(result.aborted, { name: "AbortError", cause: "a string reason" });
  assert.equal(result.after, "ldap.example.com");
  assert.equal(result.digest, 636);
  assert.equal(emu.count("POST", "/api/oauth/token"), 1);
});
