// Shared by the end-to-end tests: the server under test, the browser, and direct API calls
// to the emulator (to arrange state and to check what the console did).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = path.join(ROOT, "tests/artifacts");
export const DEMO = {
  groupId: "32b6e34b3d91647abb20e7b8",
  token: "demo-access-token",
  owner: "5b6e34b3d91647abb20e7b81",
  reader: "5b6e34b3d91647abb20e7b82",
};
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

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
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
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

/** Puts the demo project back to LDAP off with no mapping, no CA and no X.509. */
export async function resetSettings(base) {
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: { authorizationEnabled: false, authenticationEnabled: false, userToDNMapping: [], caCertificate: "" },
    customerX509: { cas: "" },
  });
  if (r.status !== 202) throw new Error(`reset failed: ${r.status} ${JSON.stringify(r.json)}`);
}

/**
 * A page with the console open and ready. Collects uncaught page errors in
 * `page.errors`. When the server does not describe itself (no console.json yet), fills
 * the demo connection in, as a person would.
 */
export async function openConsole(browser, base, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "en-US" });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e));
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-ready]");
  if ((await page.getAttribute("body", "data-ready")) !== "true") {
    throw new Error(`the console did not start: ${await page.textContent("#app-status")}`);
  }
  const described = (await fetch(`${base}/__emulator/console.json`)).ok;
  if (!described) {
    await page.getByLabel("Access token", { exact: true }).fill(DEMO.token);
    await page.getByLabel("Project ID", { exact: true }).fill(DEMO.groupId);
  }
  return { page, context, described };
}

/** The text of the message element a field's aria-describedby points at first. */
export async function fieldMessage(page, locator) {
  const ids = ((await locator.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-msg"));
  if (!ids.length) return "";
  return (await page.locator(`#${ids[0]}`).textContent()) ?? "";
}
