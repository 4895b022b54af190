// 5. Start-up: import plus init() in fresh Node child processes, and in headless Chromium on
// fresh page loads (a new browser context each time, so nothing is cached).
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { median, PKG, ROOT } from "./lib.mjs";

const run = promisify(execFile);
const require = createRequire(join(ROOT, "package.json"));

const NODE_SCRIPTS = {
  // ESM entry, as `import { init } from "atlas-ldap"` resolves in Node.
  "atlas-ldap import + init()": `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(join(PKG, "node", "index.mjs")).href)});
    await m.init();
    m.validateGroupId("32b6e34b3d91647abb20e7b8");
    const t1 = performance.now();
    console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1 }));`,
  // For scale: the JavaScript alternative's start-up, import plus compiling the spec schema.
  "ajv + ajv-formats import + compile": `
    const t0 = performance.now();
    const { ajvValidator } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "bench", "validate.mjs")).href)});
    ajvValidator().validate({});
    const t1 = performance.now();
    console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1 }));`,
  // For scale: an empty Node process.
  "empty node process": `console.log(JSON.stringify({ ms: 0, sinceStart: performance.now() }));`,
};

async function nodeStartup(rounds) {
  const names = Object.keys(NODE_SCRIPTS);
  const s = Object.fromEntries(names.map((n) => [n, { ms: [], sinceStart: [], wall: [] }]));
  for (let r = -1; r < rounds; r++) {
    for (const n of r % 2 ? [...names].reverse() : names) {
      const t = performance.now();
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", NODE_SCRIPTS[n]], { cwd: ROOT });
      const wall = performance.now() - t;
      if (r < 0) continue; // warm-up round: the file system cache
      const o = JSON.parse(stdout);
      s[n].ms.push(o.ms);
      s[n].sinceStart.push(o.sinceStart);
      s[n].wall.push(wall);
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { importInitMs: median(s[n].ms), sinceProcessStartMs: median(s[n].sinceStart), spawnToExitMs: median(s[n].wall) }]),
  );
}

/** A page timing import + init() + one call of the browser module at `entry`. */
const page = (entry) => `<!doctype html><meta charset="utf-8"><script type="module">
  const t0 = performance.now();
  const m = await import("${entry}");
  await m.init();
  m.validateGroupId("32b6e34b3d91647abb20e7b8");
  const t1 = performance.now();
  window.result = { ms: t1 - t0, sinceNavigation: t1 };
</script>`;
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

const PAGES = { "/": page("/pkg/web/index.js"), "/validators": page("/pkg/validators/index.js") };

async function chromiumStartup(rounds, path) {
  const { chromium } = require("playwright-core");
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x").pathname;
    if (PAGES[url]) return res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" }).end(PAGES[url]);
    try {
      const file = normalize(url).replace(/^\/pkg\//, "");
      const body = await readFile(join(PKG, file));
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const ms = [], since = [];
    for (let r = -1; r < rounds; r++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const errors = [];
      tab.on("pageerror", (e) => errors.push(String(e)));
      await tab.goto(`http://127.0.0.1:${server.address().port}${path}`);
      const result = await tab.waitForFunction(() => window.result, null, { timeout: 30000 }).then((h) => h.jsonValue());
      await context.close();
      if (errors.length) throw new Error(errors.join("\n"));
      if (r < 0) continue;
      ms.push(result.ms);
      since.push(result.sinceNavigation);
    }
    return { importInitMs: median(ms), sinceNavigationMs: median(since), rounds };
  } finally {
    await browser.close();
    server.close();
  }
}

export async function runStartup({ nodeRounds = 10, chromiumRounds = 10 } = {}) {
  return {
    node: await nodeStartup(nodeRounds),
    chromium: await chromiumStartup(chromiumRounds, "/"),
    chromiumValidators: await chromiumStartup(chromiumRounds, "/validators"),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runStartup({ nodeRounds: 3, chromiumRounds: 3 }), null, 1));
}
