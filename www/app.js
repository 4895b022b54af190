// Entry point: loads the package's browser build, reads the emulator's console.json (when
// served by `make console`) to prefill the connection, and wires the sections together.
import { $, setStatus } from "./dom.js";
import { t, applyTranslations, setLocale, getLocale, onLocaleChange } from "./i18n.js";
import { createConnection } from "./connection.js";
import { createSettingsForm } from "./settings-form.js";
import { createVerify } from "./verify.js";
import { createRoles } from "./roles.js";
import { wireConfirmDialog } from "./confirm.js";

const PKG_URL = "/pkg/web/index.js";

/** The emulator's description of itself, or null (404 when not served by the emulator). */
async function consoleConfig() {
  try {
    const res = await fetch("/__emulator/console.json", { cache: "no-store", headers: { Accept: "application/json" } });
    if (!res.ok) return null;
    const json = await res.json();
    return json && typeof json === "object" ? json : null;
  } catch {
    return null;
  }
}

function wireLanguage() {
  const buttons = [...document.querySelectorAll("[data-locale]")];
  const show = () => { for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.locale === getLocale())); };
  for (const b of buttons) b.addEventListener("click", () => setLocale(b.dataset.locale));
  onLocaleChange(show);
  show();
}

async function main() {
  const status = $("#app-status");
  applyTranslations(document);
  wireLanguage();
  setStatus(status, t("app.loading"), "info");

  let pkg;
  try {
    pkg = await import(PKG_URL);
    await pkg.init();
  } catch (e) {
    setStatus(status, `${t("app.loadFailed")} (${e?.message ?? e})`, "error");
    document.body.dataset.ready = "failed";
    return;
  }

  const config = await consoleConfig();
  const str = (v) => (typeof v === "string" ? v : undefined);
  let defaults = {};
  let readyKey = "app.ready.plain";
  if (config?.mode === "emulator") {
    defaults = { mode: "token", baseUrl: str(config.baseUrl), projectId: str(config.groupId), token: str(config.accessToken) };
    readyKey = "app.ready.emulator";
  } else if (config?.mode === "upstream") {
    defaults = { baseUrl: str(config.baseUrl) };
    readyKey = "app.ready.upstream";
  }
  for (const k of Object.keys(defaults)) if (defaults[k] === undefined) delete defaults[k];

  wireConfirmDialog();
  const conn = createConnection(pkg);
  conn.restore(defaults);
  const settings = createSettingsForm(pkg, conn);
  createVerify(pkg, conn, settings);
  const roles = createRoles(pkg, conn);
  if (config?.mode === "emulator") roles.setUserId(str(config.userId));

  const showReady = () => setStatus(status, t(readyKey), "ok");
  onLocaleChange(showReady);
  showReady();
  $("#main").inert = false;
  document.body.dataset.ready = "true";
}

main();
