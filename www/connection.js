// The connection: base URL, credentials (an access token or a service account) and the
// project ID. Credentials stay in memory; only when the user ticks "keep" are they copied
// to sessionStorage (this tab only). Never localStorage, never the URL. Disconnect clears
// them everywhere, revokes a service account's token and frees the client.
import { $ } from "./dom.js";
import { getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";

const STORAGE_KEY = "atlas-ldap-console.connection";
const FIELDS = ["baseUrl", "token", "clientId", "clientSecret", "projectId"];
const SECRETS = ["token", "clientId", "clientSecret"];

export function createConnection(pkg) {
  const input = Object.fromEntries(FIELDS.map((name) => [name, $(`#conn-${name}`)]));
  const modeRadios = [...document.querySelectorAll('input[name="conn-mode"]')];
  const keep = $("#conn-keep");
  const form = $("#conn-form");
  const listeners = { change: new Set(), submit: new Set() };
  let client = null;
  let clientKey = "";
  let inFlight = 0;
  const retired = [];
  let projectOk = false;
  // Secrets that restore() gave to password fields, written into them by showSecrets():
  // the first value set in a form's password field costs Chromium's password manager
  // 5–20 ms on a cold page, which the first screen need not wait for. Until then they are
  // read from here.
  let staged = {};
  const value = (name) => (name in staged ? staged[name] : input[name].value);

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
    return { mode: mode(), ...Object.fromEntries(FIELDS.map((n) => [n, value(n)])) };
  }

  function persist() {
    try {
      if (keep.checked) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(snapshot()));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch { /* storage unavailable: memory only */ }
  }

  function fill(values) {
    for (const name of FIELDS) {
      if (typeof values[name] !== "string") continue;
      if (input[name].type === "password") staged[name] = values[name];
      else input[name].value = values[name];
    }
    if (values.mode) for (const r of modeRadios) r.checked = r.value === values.mode;
    showMode();
    validateProject();
  }

  function changed() {
    persist();
    for (const fn of listeners.change) fn();
  }

  /** Frees clients that are no longer current once no call uses them. */
  function freeRetired() {
    if (inFlight > 0) return;
    for (const old of retired.splice(0)) {
      try { old.free(); } catch { /* already freed */ }
    }
  }

  for (const name of FIELDS) input[name].addEventListener("input", () => {
    delete staged[name]; // what the user typed counts
    // Ids pasted with a space or a line break around them are meant without it.
    if (name === "projectId" && input.projectId.value !== input.projectId.value.trim()) {
      input.projectId.value = input.projectId.value.trim();
    }
    if (name === "projectId") validateProject();
    changed();
  });
  for (const r of modeRadios) r.addEventListener("change", () => { showMode(); changed(); });
  keep.addEventListener("change", persist);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const fn of listeners.submit) fn();
  });
  onLocaleChange(validateProject);

  const conn = {
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
    /** `fn()` after any change of the connection's fields. */
    onChange(fn) { listeners.change.add(fn); },
    /** `fn()` when the user submits the connection form (Enter, or Connect). */
    onSubmit(fn) { listeners.submit.add(fn); },
    get projectId() { return input.projectId.value; },
    get projectOk() { return projectOk; },
    get mode() { return mode(); },
    get baseUrl() { return input.baseUrl.value.trim() || location.origin; },
    /** The bearer token typed in, in token mode (for the emulator's own endpoints). */
    get accessToken() { return mode() === "token" ? value("token") : ""; },
    /** Writes the secrets restore() kept back into their fields (see `staged`). */
    showSecrets() {
      for (const [name, v] of Object.entries(staged)) if (input[name].value === "") input[name].value = v;
      staged = {};
    },
    /** Identifies the connection and project: a load is valid only for the key it was made with. */
    key() {
      const s = snapshot();
      const secret = s.mode === "serviceAccount" ? [s.clientId, s.clientSecret] : [s.token];
      return JSON.stringify([this.baseUrl, s.mode, ...secret, s.projectId]);
    },
    /** Whether the connection is complete enough to call the API. */
    ready() { return this.missing() === "" && projectOk; },
    /**
     * Runs `fn(client, projectId)` with the client for the current values (reused while they
     * do not change; a replaced client is freed once no call uses it).
     */
    async run(fn) {
      const groupId = this.projectId;
      const c = this.client();
      inFlight += 1;
      try {
        return await fn(c, groupId);
      } finally {
        inFlight -= 1;
        freeRetired();
      }
    },
    client() {
      const s = snapshot();
      const options = { baseUrl: this.baseUrl, timeoutMs: 20000, maxRetries: 2, locale: getLocale() };
      if (s.mode === "serviceAccount") options.serviceAccount = { clientId: s.clientId, clientSecret: s.clientSecret };
      else options.accessToken = s.token;
      const key = JSON.stringify(options);
      if (client && key === clientKey) return client;
      if (client) retired.push(client);
      client = new pkg.AtlasClient(options);
      clientKey = key;
      freeRetired();
      return client;
    },
    /** A reason the connection is not usable yet (a translation key), or "". */
    missing() {
      const s = snapshot();
      if (s.mode === "serviceAccount" && (!s.clientId || !s.clientSecret)) return "conn.missingClient";
      if (s.mode !== "serviceAccount" && !s.token) return "conn.missingToken";
      if (!s.projectId) return "conn.missingProject";
      if (!projectOk) return "conn.badProject";
      return "";
    },
    focusFirstMissing() {
      const s = snapshot();
      const order = s.mode === "serviceAccount" ? ["clientId", "clientSecret", "projectId"] : ["token", "projectId"];
      const name = order.find((n) => !s[n]) ?? (projectOk ? null : "projectId");
      if (name) input[name].focus();
    },
    /**
     * Forgets the credentials: revokes a service account's token, frees the client, and
     * clears the fields and sessionStorage. The base URL and project ID stay.
     */
    async disconnect() {
      const current = client;
      client = null;
      clientKey = "";
      if (current) {
        if (mode() === "serviceAccount") {
          try { await current.revokeToken(); } catch { /* the token expires by itself */ }
        }
        retired.push(current);
      }
      staged = {};
      for (const name of SECRETS) input[name].value = "";
      keep.checked = false;
      try { sessionStorage.removeItem(STORAGE_KEY); } catch { /* storage unavailable */ }
      freeRetired();
      for (const fn of listeners.change) fn();
    },
  };
  return conn;
}
