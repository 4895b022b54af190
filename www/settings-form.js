// The LDAP and X.509 settings form: every field of `ldap`, `customerX509.cas` and the
// mapping table; live validation with validateUserSecurity; Load, Save (after a
// confirmation), Delete mapping and Disable X.509.
import { $ } from "./dom.js";
import { t, getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";
import { sectionCaller } from "./section-call.js";
import { createMappingTable } from "./mapping-table.js";
import { confirmAction } from "./confirm.js";

const LDAP_TEXT = ["hostname", "port", "bindUsername", "bindPassword", "authzQueryTemplate", "caCertificate"];

export function createSettingsForm(pkg, conn) {
  const f = {
    authenticationEnabled: $("#ldap-authenticationEnabled"),
    authorizationEnabled: $("#ldap-authorizationEnabled"),
    ...Object.fromEntries(LDAP_TEXT.map((n) => [n, $(`#ldap-${n}`)])),
    cas: $("#x509-cas"),
  };
  const section = $("#settings");
  const status = $("#settings-status");
  const errorBox = $("#settings-error");
  const other = $("#settings-other");
  const blockedNote = $("#save-blocked");
  const buttons = {
    load: $("#btn-load"), save: $("#btn-save"),
    deleteMapping: $("#btn-delete-mapping"), disableX509: $("#btn-disable-x509"),
  };
  const mapping = createMappingTable(
    { body: $("#mapping-body"), table: $("#mapping-table"), addButton: $("#btn-add-rule"), empty: $("#mapping-empty") },
    () => validate(),
  );
  // Which optional values the server had at the last Load/Save: clearing one sends "" (or
  // an empty mapping) so that it is deleted; otherwise an empty field is left out.
  let loaded = { caCertificate: false, cas: false, mapping: false };
  let hasErrors = false;

  const fieldTargets = () => [
    ...Object.entries(f).map(([name, input]) => ({
      path: name === "cas" ? "customerX509.cas" : `ldap.${name}`,
      input, msg: $(`#${input.id}-msg`),
    })),
    ...mapping.targets(),
  ];

  /** The PATCH body the form describes. */
  function body() {
    const ldap = {
      authenticationEnabled: f.authenticationEnabled.checked,
      authorizationEnabled: f.authorizationEnabled.checked,
    };
    for (const name of ["hostname", "bindUsername", "bindPassword", "authzQueryTemplate"]) {
      if (f[name].value !== "") ldap[name] = f[name].value;
    }
    // A port that is not a whole number goes as text, so the validator explains it.
    if (f.port.value !== "") ldap.port = /^[0-9]{1,6}$/.test(f.port.value) ? Number(f.port.value) : f.port.value;
    if (f.caCertificate.value !== "" || loaded.caCertificate) ldap.caCertificate = f.caCertificate.value;
    if (mapping.length || loaded.mapping) ldap.userToDNMapping = mapping.getRows();
    const out = { ldap };
    if (f.cas.value !== "" || loaded.cas) out.customerX509 = { cas: f.cas.value };
    return out;
  }

  function validate() {
    const result = pkg.validateUserSecurity(body(), { locale: getLocale() });
    hasErrors = showIssues(fieldTargets(), result.issues, other);
    updateSaveState();
    return result;
  }

  function updateSaveState() {
    const blocked = hasErrors || !conn.projectOk;
    buttons.save.disabled = blocked || section.getAttribute("aria-busy") === "true";
    blockedNote.hidden = !hasErrors;
    // Described by the note only while it shows (a hidden description is still read out).
    if (hasErrors) buttons.save.setAttribute("aria-describedby", blockedNote.id);
    else buttons.save.removeAttribute("aria-describedby");
  }

  function fill(us, { keepPassword = false } = {}) {
    const l = us?.ldap ?? {};
    f.authenticationEnabled.checked = l.authenticationEnabled === true;
    f.authorizationEnabled.checked = l.authorizationEnabled === true;
    for (const name of ["hostname", "bindUsername", "authzQueryTemplate", "caCertificate"]) f[name].value = l[name] ?? "";
    f.port.value = l.port == null ? "" : String(l.port);
    if (!keepPassword) f.bindPassword.value = "";
    f.cas.value = us?.customerX509?.cas ?? "";
    mapping.setRows(l.userToDNMapping ?? []);
    loaded = { caCertificate: !!l.caCertificate, cas: !!us?.customerX509?.cas, mapping: (l.userToDNMapping ?? []).length > 0 };
    validate();
  }

  const call = sectionCaller({ conn, section, buttons: Object.values(buttons), status, errorBox });
  /** Runs one API call for this section, then updates whether Save is possible. */
  async function run(workingKey, request, doneStatus) {
    await call(workingKey, request, doneStatus);
    updateSaveState();
  }

  for (const input of Object.values(f)) input.addEventListener(input.type === "checkbox" ? "change" : "input", validate);
  conn.onChange(updateSaveState);
  onLocaleChange(() => {
    validate();
  });

  buttons.load.addEventListener("click", () => run("status.loading", async (client, groupId) => {
    fill(await client.getUserSecurity(groupId));
  }, () => t("status.loaded", { id: conn.projectId })));

  buttons.save.addEventListener("click", async () => {
    if (!validate().ok || !conn.projectOk) return;
    if (!(await confirmAction("save.title", "save.body"))) return;
    await run("status.saving", async (client, groupId) => {
      fill(await client.updateUserSecurity(groupId, body()), { keepPassword: true });
    }, () => t("status.saved"));
  });

  buttons.deleteMapping.addEventListener("click", async () => {
    if (!(await confirmAction("deleteMapping.title", "deleteMapping.body"))) return;
    await run("status.working", async (client, groupId) => {
      fill(await client.deleteLdapUserToDnMapping(groupId), { keepPassword: true });
    }, () => t("status.mappingDeleted"));
  });

  buttons.disableX509.addEventListener("click", async () => {
    if (!(await confirmAction("disableX509.title", "disableX509.body"))) return;
    await run("status.working", async (client, groupId) => {
      fill(await client.disableCustomerX509(groupId), { keepPassword: true });
    }, () => t("status.x509Disabled"));
  });

  validate();

  return {
    /** The verification parameters the form describes (the fields verify needs). */
    verifyParams() {
      const b = body().ldap;
      const params = { hostname: b.hostname ?? "", port: b.port ?? 636, bindUsername: b.bindUsername ?? "", bindPassword: b.bindPassword ?? "" };
      if (b.authzQueryTemplate) params.authzQueryTemplate = b.authzQueryTemplate;
      if (f.caCertificate.value) params.caCertificate = f.caCertificate.value;
      return params;
    },
    /** The form field a verify-params path (e.g. "bindPassword") belongs to. */
    fieldFor(path) { return f[path] ?? null; },
  };
}
