// The same headless Chromium the suite uses, driven over its DevTools pipe with only what a
// cold-load measurement needs: a new browser context per load, a script run before the page's
// own, and its console. Playwright also follows every request (four to six events each, about
// 130 KB of JSON per load of the console, parsed in this process): on 2 cores that work
// competes with the page it times, so the speed test measures with this as well.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from "./helpers.mjs";

/** Rejects after `ms` with `what` in the message. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Starts Chromium with `--remote-debugging-pipe`; `close()` ends it. */
export function launchLean() {
  const profile = mkdtempSync(path.join(tmpdir(), "atlas-ldap-lean-"));
  const proc = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank"],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
  const [toBrowser, fromBrowser] = [proc.stdio[3], proc.stdio[4]];
  const pending = new Map();
  const listeners = new Set();
  let lastId = 0;
  let buffered = "";
  let ended = null;
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf("\0"); end >= 0; end = buffered.indexOf("\0")) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiter = pending.get(message.id);
      if (waiter) {
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter.resolve(message.result);
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const end = (error) => {
    ended ??= error;
    for (const waiter of pending.values()) waiter.reject(ended);
    pending.clear();
  };
  proc.on("error", (e) => end(new Error(`chromium could not start: ${e.message}`)));
  proc.on("exit", (code, signal) => end(new Error(`chromium exited (${code ?? signal})`)));

  const send = (method, params = {}, sessionId = undefined) => {
    if (ended) return Promise.reject(ended);
    const id = ++lastId;
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return within(15000, method, new Promise((resolve, reject) => pending.set(id, { method, resolve, reject })));
  };

  return {
    /**
     * One cold load of `url` in a new browser context at the suite's viewport: runs `probe`
     * (a function's source) before the page's scripts, and resolves with the first console
     * message starting with `prefix`, then `evaluate` (an expression) in the page.
     */
    async coldLoad(url, { probe, prefix, evaluate }) {
      const { browserContextId } = await send("Target.createBrowserContext", { disposeOnDetach: true });
      try {
        const { targetId } = await send("Target.createTarget", { url: "about:blank", browserContextId });
        const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
        await send("Page.enable", {}, sessionId);
        await send("Emulation.setDeviceMetricsOverride",
          { width: VIEWPORT.width, height: VIEWPORT.height, deviceScaleFactor: 1, mobile: false }, sessionId);
        await send("Page.addScriptToEvaluateOnNewDocument", { source: `(${probe})()` }, sessionId);
        let listener;
        const told = new Promise((resolve) => {
          listener = (m) => {
            if (m.sessionId !== sessionId || m.method !== "Runtime.consoleAPICalled") return;
            const text = m.params.args?.[0]?.value;
            if (typeof text === "string" && text.startsWith(prefix)) resolve(text);
          };
          listeners.add(listener);
        });
        await send("Runtime.enable", {}, sessionId);
        await send("Page.navigate", { url }, sessionId);
        const text = await within(15000, `${prefix.trim()} from ${url}`, told).finally(() => listeners.delete(listener));
        const { result } = await send("Runtime.evaluate", { expression: evaluate, returnByValue: true }, sessionId);
        return { text, value: result.value };
      } finally {
        await send("Target.disposeBrowserContext", { browserContextId }).catch(() => {});
      }
    },
    async close() {
      if (!ended) {
        await send("Browser.close").catch(() => {});
        await within(5000, "chromium exit", new Promise((resolve) => proc.once("exit", resolve))).catch(() => proc.kill("SIGKILL"));
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
