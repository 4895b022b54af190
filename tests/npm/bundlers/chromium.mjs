// Headless Chromium through playwright-core (the root's dev dependency), with the flags that
// work on these machines (DESIGN.md), and a page runner that collects what went wrong.
import { createRequire } from "node:module";
import { join } from "node:path";

const { chromium } = createRequire(join(process.env.ROOT, "package.json"))("playwright-core");

/** Starts Chromium; closes it when the test `t` ends. */
export async function launch(t) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.after(() => browser.close());
  return browser;
}

/**
 * Opens `url` in a fresh page and waits for the app's `window.result`. Returns it with the
 * page's uncaught errors, its console warnings and errors, and every response it got.
 */
export async function openApp(browser, url) {
  const tab = await browser.newPage();
  const errors = [];
  const console = [];
  const responses = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  tab.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.push(`${m.text()} (${m.location().url})`); });
  tab.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  tab.on("response", (r) => responses.push({ url: new URL(r.url()).pathname, status: r.status(), type: r.headers()["content-type"] }));
  try {
    await tab.goto(url);
    const handle = await tab.waitForFunction(() => window.result, null, { timeout: 20000 }).catch((e) => {
      throw new Error(`${url} set no result (${e.message}); page errors: ${JSON.stringify([...errors, ...console])}`);
    });
    return { result: await handle.jsonValue(), errors, console, responses };
  } finally {
    await tab.close();
  }
}
