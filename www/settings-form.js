// The LDAP and X.509 settings form: every field of `ldap`, `customerX509.cas` and the
// mapping table; the baseline (the values last loaded or saved) and what differs from it;
// live validation with validateUserSecurity. The fields can be typed into at once (what the
// user typed before the settings arrived stays); they are locked while a save runs.
import { $ } from "./dom.js";
import { t, getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";
import { fieldName } from "./messages.js";
import { createMappingTable } from "./mapping-table.js";
import { valuesOf, changedFields, patchBody, fullBody, verifyParams } from "./settings-values.js";

const LDAP_TEXT = ["hostname", "port", "bindUsername", "bindPassword", "authzQueryTemplate", "caCertificate"];
const PATH = { cas: "customerX509.cas", mapping: "ldap.userToDNMapping" };

export function createSettingsForm(pkg) {
  const f = {
    authenticationEnabled: $("#ldap-authenticationEnabled"),
    authorizationEnabled: $("#ldap-authorizationEnabled"),
    ...Object.fromEntries(LDAP_TEXT.map((n) => [n, $(`#ldap-${n}`)])),
    cas: $("#x509-cas"),
  };
  const fields = $("#settings-fields");
  const other = $("#settings-other");
  const unsaved = $("#unsaved");
  const passwordHint = $("#ldap-bindPassword-hint");
  const listeners = new Set();
  const mapping = createMappingTable(
    { body: $("#mapping-body"), table: $("#mapping-table"), addButton: $("#btn-add-rule"), empty: $("#mapping-empty") },
    () => edited(["mapping"]),
  );
  let baseline = null;
  /** Fields the user edited since the form was last filled: a load keeps what is typed there. */
  const touched = new Set();
  let lastResult = { ok: true, issues: [] };

  const fieldTargets = () => [
    ...Object.entries(f).map(([name, input]) => ({ path: PATH[name] ?? `ldap.${name}`, input, msg: $(`#${input.id}-msg`) })),
    ...mapping.targets(),
  ];

  function values() {
    const v = Object.fromEntries(LDAP_TEXT.map((n) => [n, f[n].value]));
    return {
      ...v,
      authenticationEnabled: f.authenticationEnabled.checked,
      authorizationEnabled: f.authorizationEnabled.checked,
      mapping: mapping.getRows(),
      cas: f.cas.value,
    };
  }

  function fill(v) {
    f.authenticationEnabled.checked = v.authenticationEnabled;
    f.authorizationEnabled.checked = v.authorizationEnabled;
    // Only what differs: writing a password field, even "" over "", wakes Chromium's
    // password manager (about 5 ms on a cold page).
    for (const name of LDAP_TEXT) if (f[name].value !== v[name]) f[name].value = v[name];
    if (f.cas.value !== v.cas) f.cas.value = v.cas;
    mapping.setRows(v.mapping);
  }

  function validate() {
    lastResult = pkg.validateUserSecurity(fullBody(values(), baseline), { locale: getLocale() });
    showIssues(fieldTargets(), lastResult.issues, other);
    return lastResult;
  }

  /** Shows what is unsaved, beside the actions and in the tab's title. */
  function showUnsaved() {
    const names = changedFields(values(), baseline);
    const text = names.length ? t("unsaved.fields", { fields: names.map((n) => fieldName(PATH[n] ?? `ldap.${n}`)).join(t("list.sep")) }) : "";
    if (unsaved.textContent !== text) unsaved.textContent = text;
    unsaved.hidden = !text;
    // Only a change: each new title is a message to the browser, which redraws the tab.
    const title = `${names.length ? "• " : ""}${t("app.title")}`;
    if (document.title !== title) document.title = title;
    // A password is saved, Atlas never returns it, and verification needs it typed again.
    const saved = baseline && baseline.bindUsername !== "";
    passwordHint.textContent = t(saved ? "ldap.bindPassword.hint.saved" : "ldap.bindPassword.hint");
  }

  function refresh() {
    validate();
    showUnsaved();
  }

  function edited(names) {
    for (const name of names) touched.add(name);
    refresh();
    for (const fn of listeners) fn(names);
  }

  for (const [name, input] of Object.entries(f)) {
    input.addEventListener(input.type === "checkbox" ? "change" : "input", () => edited([name]));
  }
  onLocaleChange(refresh);

  refresh();

  return {
    /** Makes a UserSecurity answer the baseline and shows it (`keep`: field names whose edits stay). */
    setBaseline(us, { keep = [] } = {}) {
      const current = values();
      baseline = valuesOf(us);
      const next = { ...baseline };
      for (const name of keep) next[name] = current[name];
      fill(next);
      touched.clear();
      for (const name of keep) touched.add(name);
      refresh();
    },
    /** Forgets the baseline and empties the form, but for the fields named in `keep`. */
    clear({ keep = [] } = {}) {
      const current = values();
      baseline = null;
      const next = valuesOf(null);
      for (const name of keep) next[name] = current[name];
      fill(next);
      touched.clear();
      for (const name of keep) touched.add(name);
      refresh();
    },
    /** Puts every field back to the baseline. */
    revert() {
      if (!baseline) return;
      fill(baseline);
      touched.clear();
      refresh();
    },
    /** The fields edited since the form was last filled. */
    touched() { return [...touched]; },
    get loaded() { return !!baseline; },
    /** Whether the settings in the form have an error (a warning does not count). */
    get hasErrors() { return lastResult.issues.some((i) => i.severity === "error"); },
    changed() { return changedFields(values(), baseline); },
    patch() { return patchBody(values(), baseline); },
    verifyParams() { return verifyParams(values()); },
    /** Whether a bind password is saved on the server (Atlas never returns it). */
    get passwordSaved() { return !!baseline && baseline.bindUsername !== ""; },
    /** Locks or unlocks the fields (while a save runs). */
    lock(on) { fields.disabled = on; },
    /** `fn(names)` after the user edits fields (not when the form is refilled). */
    onEdit(fn) { listeners.add(fn); },
    /** The form field of a verify-params path (e.g. "bindPassword"). */
    fieldFor(path) { return f[path] ?? null; },
    validate,
  };
}
