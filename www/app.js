// Entry point. It has no static imports, so it runs as soon as it arrives: it starts the
// package (its .wasm is fetched and compiled) and the emulator's console.json at once,
// while the console's own modules load, then hands both to console.js.
const PKG_URL = "/pkg/web/index.js";

async function loadPackage() {
  const pkg = await import(PKG_URL);
  await pkg.init();
  return pkg;
}

/** The emulator's description of itself, or null (404 when not served by the emulator). */
async function consoleConfig() {
  try {
    // The same request as the page's <link rel="preload">, so the preloaded answer is used.
    const res = await fetch("/__emulator/console.json", { credentials: "same-origin", mode: "cors" });
    if (!res.ok) return null;
    const json = await res.json();
    return json && typeof json === "object" ? json : null;
  } catch {
    return null;
  }
}

// Kept only until start() takes them: console.json may hold a token that Disconnect clears.
const started = [loadPackage(), consoleConfig()];
started[0].catch(() => { /* reported by start() */ });
const { start } = await import("./console.js");
await start(...started.splice(0));
