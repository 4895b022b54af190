// The installed package in headless Chromium, loaded through its `browser` export: the page's
// import map points "atlas-ldap" at the file the package's exports give browsers.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize } from "node:path";

const pkgDir = join(process.cwd(), "node_modules", "atlas-ldap");
const { chromium } = createRequire(join(process.env.ROOT, "package.json"))("playwright-core");
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

async function page() {
  const manifest = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
  const entry = manifest.exports["."].browser.default;
  assert.ok(entry, "package.json has a browser export");
  return `<!doctype html><meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports: { "atlas-ldap": `/pkg/${entry.replace(/^\.\//, "")}` } })}</script>
<script type="module">
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
  } catch (e) { window.result = { error: String(e) }; }
</script>`;
}

test("Chromium: the browser export loads, init() then validateGroupId", async (t) => {
  const html = await page();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x").pathname;
    if (url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(html);
    const file = normalize(url).replace(/^\/pkg\//, "");
    try {
      const body = await readFile(join(pkgDir, file));
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.after(() => browser.close());
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await tab.waitForFunction(() => window.result, null, { timeout: 20000 }).then((h) => h.jsonValue());
  assert.deepEqual(errors, []);
  assert.equal(result.error, undefined);
  assert.equal(result.good.ok, true);
  assert.equal(result.bad.ok, false);
  assert.equal(result.bad.issues[0].code, "pattern");
  assert.equal(result.odd.issues[0].code, "type");
  assert.equal(result.groupIdPattern, "^([a-f0-9]{24})$");
});
