// The console once its modules have arrived: takes the package and the emulator's
// console.json (both started by app.js), prefills the connection, wires the sections
// together; the settings then load by themselves.
import { $ } from "./dom.js";
import { t, applyTranslations, setLocale, getLocale, onLocaleChange } from "./i18n.js";
import { createStatusLine } from "./status-line.js";
import { createConnection } from "./connection.js";
import { createSettingsForm } from "./settings-form.js";
import { createSettingsActions } from "./settings-actions.js";
import { confirmAction, wireConfirmDialog } from "./confirm.js";

/**
 * What the first screen leaves for later: the labels drawn with the CJK font (see
 * index.html) and the secrets of password fields (see connection.js).
 */
function finishFirstScreen(conn) {
  for (const node of document.querySelectorAll("[data-label]")) node.textContent = node.dataset.label;
  conn.showSecrets();
}

function wireLanguage() {
  const buttons = [...document.querySelectorAll("[data-locale]")];
  const show = () => { for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.locale === getLocale())); };
  for (const b of buttons) b.addEventListener("click", () => setLocale(b.dataset.locale));
  onLocaleChange(show);
  show();
}

/** Says at the top that a part of the console did not load, and why. */
function showLoadFailed(top, e) {
  const detail = String(e?.message ?? e);
  top.show(() => `${t("app.loadFailed")} (${detail})`, "error");
}

/**
 * The roles section, wired once the first screen works: its module is fetched only then
 * (each module the first screen waits for costs it about 2 ms on a cold load), and the
 * section stays inert (index.html) until it is wired, so nothing typed there is lost.
 */
async function wireRoles(pkg, conn, userId, top) {
  try {
    const { createRoles } = await import("./roles.js");
    const roles = createRoles(pkg, conn);
    if (userId) roles.setUserId(userId);
    $("#roles").inert = false;
  } catch (e) {
    showLoadFailed(top, e);
  }
}

/**
 * Starts the console: `loading` resolves with the initialised package, `config` with
 * console.json or null. Marks "console:package-ready", "console:wired" and
 * "console:loaded" (performance.mark) time the start-up; the end-to-end suite reports them.
 */
export async function start(loading, config) {
  const top = createStatusLine($("#app-status"));
  applyTranslations(document);
  wireLanguage();
  top.show(() => t("app.loading"));

  let pkg;
  try {
    pkg = await loading;
    performance.mark("console:package-ready");
  } catch (e) {
    showLoadFailed(top, e);
    document.body.dataset.ready = "failed";
    return;
  }

  const cfg = await config;
  const str = (v) => (typeof v === "string" ? v : undefined);
  let defaults = {};
  if (cfg?.mode === "emulator") {
    defaults = { mode: "token", baseUrl: str(cfg.baseUrl), projectId: str(cfg.groupId), token: str(cfg.accessToken) };
  } else if (cfg?.mode === "upstream") {
    defaults = { baseUrl: str(cfg.baseUrl) };
  }
  for (const k of Object.keys(defaults)) if (defaults[k] === undefined) delete defaults[k];

  wireConfirmDialog();
  const conn = createConnection(pkg);
  conn.restore(defaults);
  const form = createSettingsForm(pkg);
  const actions = createSettingsActions(pkg, conn, form, top);

  $("#btn-disconnect").addEventListener("click", async () => {
    if (actions.dirty && !(await confirmAction("discard.title", "discard.body"))) return;
    await conn.disconnect();
    actions.forget();
    top.show(() => t("conn.disconnected"), "info");
  });

  // The settings are asked for before the page is unlocked, so the answer is on its way
  // while the browser draws it.
  const settingsLoad = conn.ready() ? actions.load() : null;
  $("#main").inert = false;
  document.body.dataset.ready = "true";
  performance.mark("console:wired");
  wireRoles(pkg, conn, cfg?.mode === "emulator" ? str(cfg.userId) : undefined, top);
  if (settingsLoad) {
    await settingsLoad;
    performance.mark("console:loaded");
    finishFirstScreen(conn);
  } else {
    finishFirstScreen(conn);
    // Not a closure over cfg: it holds the emulator's token, which Disconnect must not leave behind.
    const readyKey = cfg?.mode === "upstream" ? "app.ready.upstream" : "app.ready.plain";
    top.show(() => t(readyKey), "info");
  }
}
