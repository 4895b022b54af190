// Shared by the end-to-end tests: the server under test, the browser, direct API calls to
// the emulator (to arrange state and to check what the console did), the requests a page
// sent, and axe-core.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { after, afterEach, before, beforeEach } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = path.join(ROOT, "tests/artifacts");
export const DEMO = {
  groupId: "32b6e34b3d91647abb20e7b8",
  token: "demo-access-token",
  owner: "5b6e34b3d91647abb20e7b81",
  reader: "5b6e34b3d91647abb20e7b82",
  clientId: "mdb_sa_id_demo",
  clientSecret: "mdb_sa_sk_demo",
};
/** The policy the emulator sends as a header; the page's <meta> has it without frame-ancestors (ignored there). */
export const CSP_HEADER = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
export const CSP_META = CSP_HEADER.replace(/; frame-ancestors 'none'$/, "");
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
/** Playwright's default viewport, which the suite's browser contexts have. */
export const VIEWPORT = { width: 1280, height: 720 };

/**
 * The console's URL: CONSOLE_URL when `make test-e2e` (tests/e2e/run.sh) started the
 * server, else a server started here the same way, on a free port.
 */
export async function startServer() {
  if (process.env.CONSOLE_URL) return { url: process.env.CONSOLE_URL.replace(/\/$/, ""), stop: async () => {} };
  const child = spawn(path.join(ROOT, "target/release/atlas-emulator"),
    ["--port", "0", "--www", "www", "--pkg", "pkg"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
  const url = await new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (chunk) => {
      buf += chunk;
      const m = /^listening on (\S+)/m.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`atlas-emulator exited with ${code}; run make pkg and cargo build --release -p atlas-emulator`)));
    child.on("error", reject);
  });
  return { url, stop: async () => { child.kill(); } };
}

export async function launch() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Calls the emulator's API directly with the demo token. */
export async function api(base, method, rel, body) {
  const res = await fetch(`${base}/api/atlas/v2/groups/${DEMO.groupId}${rel}`, {
    method,
    headers: {
      Authorization: `Bearer ${DEMO.token}`,
      Accept: "application/vnd.atlas.2023-01-01+json",
      ...(body ? { "Content-Type": "application/vnd.atlas.2023-01-01+json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/**
 * Puts the demo project back to LDAP off with a known server (Atlas has no way to delete a
 * hostname, so one is always there), no mapping, no CA and no X.509.
 */
export async function resetSettings(base) {
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: { authorizationEnabled: false, authenticationEnabled: false, userToDNMapping: [], caCertificate: "",
      hostname: "ldap.example.com", port: 636, bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com",
      authzQueryTemplate: "{USER}?memberOf?base" },
    customerX509: { cas: "" },
  });
  if (r.status !== 202) throw new Error(`reset failed: ${r.status} ${JSON.stringify(r.json)}`);
}

/** Settings of a project with LDAP on: what a person would not want turned off by accident. */
export const LDAP_ON = {
  authenticationEnabled: true, authorizationEnabled: true, hostname: "ldap.example.com", port: 636,
  bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com", bindPassword: "s3cret",
  authzQueryTemplate: "{USER}?memberOf?base",
};

/** Every API request the page sends, as `{ method, path, body }` (body parsed when JSON). */
export function recordRequests(page) {
  const sent = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith("/api/")) return;
    let body = req.postData();
    try { body = body ? JSON.parse(body) : null; } catch { /* form-encoded (OAuth) */ }
    sent.push({ method: req.method(), path: url.pathname, body });
  });
  return sent;
}

/**
 * A page with the console open, the settings loaded (in emulator mode). Collects uncaught
 * page errors in `page.errors`. `locale` is the browser's language.
 */
export async function openConsole(browser, base, { width = 1280, height = 900, locale = "en-US", waitLoaded = true, setup } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e));
  page.sent = recordRequests(page);
  if (setup) await setup(page);
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-ready]");
  if ((await page.getAttribute("body", "data-ready")) !== "true") {
    throw new Error(`the console did not start: ${await page.textContent("#app-status")}`);
  }
  if (waitLoaded) await settingsLoaded(page);
  return { page, context };
}

/**
 * The hooks every console test file needs: one server and one browser for the file; the
 * demo project's settings reset and the fault rules cleared around each test; each page
 * opened with the returned `open` (or pushed to the returned `opened`) checked for uncaught
 * errors and closed after its test.
 * `onReady` receives `{ base, browser }` once they are up.
 */
export function consoleSuite(onReady) {
  let server;
  let browser;
  let base;
  const opened = [];
  const clearFaults = () => fetch(`${base}/__emulator/faults`, { method: "DELETE" });
  before(async () => {
    server = await startServer();
    base = server.url;
    browser = await launch();
    onReady({ base, browser });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    await resetSettings(base);
    await clearFaults();
  });
  afterEach(async () => {
    await clearFaults();
    for (const { page, context } of opened.splice(0)) {
      assert.deepEqual(page.errors.map(String), [], "no uncaught error in the page");
      await context.close();
    }
  });
  /** Opens the console (see `openConsole`) for the current test. */
  async function open(options) {
    const o = await openConsole(browser, base, options);
    opened.push(o);
    return o;
  }
  // `opened` is the list checked and closed after each test.
  return { open, opened };
}

/** Waits until the settings are loaded and editable. */
export async function settingsLoaded(page) {
  await page.waitForFunction(() => !document.querySelector("#settings-fields").disabled
    && document.querySelector("#app-status").dataset.kind === "ok");
}

/** The text of the message elements a field's aria-describedby points at. */
export async function fieldMessage(page, locator) {
  const ids = ((await locator.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-msg"));
  const texts = [];
  for (const id of ids) texts.push((await page.locator(`#${id}`).textContent()) ?? "");
  return texts.join("\n");
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA and best practices). */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  })).violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })));
  return violations;
}

/** The page's buttons by their fixed names. */
export function actions(page) {
  const button = (name) => page.getByRole("button", { name, exact: true });
  return {
    verifySave: button("Verify and save"),
    save: button("Save without verifying"),
    revert: button("Revert"),
    disconnect: button("Disconnect"),
    connect: button("Connect"),
    deleteMapping: button("Delete mapping"),
    disableX509: button("Disable X.509"),
    confirm: page.getByRole("dialog").getByRole("button", { name: "Confirm", exact: true }),
    cancel: page.getByRole("dialog").getByRole("button", { name: "Cancel", exact: true }),
  };
}

/** Fills the server fields the rules emulator verifies (a `.invalid` host fails CONNECT, a `wrong…` password AUTHENTICATE). */
export async function fillServer(page, hostname, password) {
  await page.getByLabel("Hostname").fill(hostname);
  await page.getByLabel("Port", { exact: true }).fill("636");
  await page.getByLabel("Bind username").fill("CN=BindUser,CN=Users,DC=example,DC=com");
  await page.getByLabel("Bind password").fill(password);
}

/** Whether the element is inside the visible part of the page. */
export async function inViewport(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  }, selector);
}

/** Whether the element is in view and not covered (by the sticky action bar, say). */
export async function unobscured(page, selector) {
  return page.evaluate((sel) => {
    const node = document.querySelector(sel);
    const r = node.getBoundingClientRect();
    if (r.height === 0 || r.top < 0 || r.bottom > window.innerHeight) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit === node || node.contains(hit);
  }, selector);
}
