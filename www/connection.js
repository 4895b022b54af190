// The connection: base URL, credentials (an access token or a service account) and the
// project ID. Credentials stay in memory; only when the user ticks "keep" are they copied
// to sessionStorage (this tab only). Never localStorage, never the URL.
import { $ } from "./dom.js";
import { getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";

const STORAGE_KEY = "atlas-ldap-console.connection";
const FIELDS = ["baseUrl", "token", "clientId", "clientSecret", "projectId"];

export function createConnection(pkg) {
  const input = Object.fromEntries(FIELDS.map((name) => [name, $(`#conn-${name}`)]));
  const modeRadios = [...document.querySelectorAll('input[name="conn-mode"]')];
  const keep = $("#conn-keep");
  const listeners = new Set();
  let client = null;
  let clientKey = "";
  let projectOk = false;

  const mode = () => modeRadios.find((r) => r.checked)?.value ?? "token";

  function showMode() {
    const sa = mode() === "serviceAccount";
    $("#conn-token-row").hidden = sa;
    $("#conn-sa-rows").hidden = !sa;
  }

  function validateProject() {
    const value = input.projectId.value;
    const result = value === "" ? { ok: false, issues: [] } : pkg.validateGroupId(value, { locale: getLocale() });
    showIssues([{ path: "groupId", input: input.projectId, msg: $("#conn-projectId-msg") }], result.issues);
    projectOk = result.ok;
  }

  function snapshot() {
    return { mode: mode(), ...Object.fromEntries(FIELDS.map((n) => [n, input[n].value])) };
  }

  function persist() {
    try {
      if (keep.checked) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(snapshot()));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch { /* storage unavailable: memory only */ }
  }

  function fill(values) {
    for (const name of FIELDS) if (typeof values[name] === "string") input[name].value = values[name];
    if (values.mode) for (const r of modeRadios) r.checked = r.value === values.mode;
    showMode();
    validateProject();
  }

  function changed() {
    persist();
    for (const fn of listeners) fn();
  }

  for (const name of FIELDS) input[name].addEventListener("input", () => {
    if (name === "projectId") validateProject();
    changed();
  });
  for (const r of modeRadios) r.addEventListener("change", () => { showMode(); changed(); });
  keep.addEventListener("change", persist);
  onLocaleChange(() => { validateProject(); client = null; });

  return {
    /** Fills the form from sessionStorage (when the user chose to keep it) or `defaults`. */
    restore(defaults) {
      let saved = null;
      try { saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null"); } catch { saved = null; }
      if (saved && typeof saved === "object") {
        keep.checked = true;
        fill(saved);
        return "session";
      }
      fill({ baseUrl: location.origin, ...defaults });
      return "defaults";
    },
    onChange(fn) { listeners.add(fn); },
    get projectId() { return input.projectId.value; },
    get projectOk() { return projectOk; },
    get baseUrl() { return input.baseUrl.value.trim() || location.origin; },
    /** The client for the current values (reused while they do not change). */
    client() {
      const s = snapshot();
      const options = { baseUrl: this.baseUrl, timeoutMs: 20000, maxRetries: 2, locale: getLocale() };
      if (s.mode === "serviceAccount") options.serviceAccount = { clientId: s.clientId, clientSecret: s.clientSecret };
      else options.accessToken = s.token;
      const key = JSON.stringify(options);
      if (client && key === clientKey) return client;
      try { client?.free(); } catch { /* already freed */ }
      client = null;
      client = new pkg.AtlasClient(options);
      clientKey = key;
      return client;
    },
    /** A reason the connection is not usable yet (a translation key), or "". */
    missing() {
      const s = snapshot();
      if (s.mode === "serviceAccount" && (!s.clientId || !s.clientSecret)) return "conn.missingClient";
      if (s.mode !== "serviceAccount" && !s.token) return "conn.missingToken";
      if (!s.projectId) return "conn.missingProject";
      return "";
    },
    focusFirstMissing() {
      const s = snapshot();
      const order = s.mode === "serviceAccount" ? ["clientId", "clientSecret", "projectId"] : ["token", "projectId"];
      const name = order.find((n) => !s[n]);
      if (name) input[name].focus();
    },
  };
}
