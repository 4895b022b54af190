// The settings as plain values, and what a save sends: only what differs from the values
// last loaded (or saved), so a field the user did not touch is never written, and a flag is
// sent only when it was changed. No DOM here.

/** The fields of the form, in the order they are shown (names of `values()` objects). */
export const FIELDS = ["authenticationEnabled", "authorizationEnabled", "hostname", "port", "bindUsername",
  "bindPassword", "authzQueryTemplate", "caCertificate", "mapping", "cas"];

/** The fields a verification uses: editing one makes its result stale. */
export const VERIFIED = ["hostname", "port", "bindUsername", "bindPassword", "authzQueryTemplate", "caCertificate"];

/** Form values of a UserSecurity answer (the password is never returned, so it is empty). */
export function valuesOf(us) {
  const l = us?.ldap ?? {};
  const str = (v) => (typeof v === "string" ? v : "");
  return {
    authenticationEnabled: l.authenticationEnabled === true,
    authorizationEnabled: l.authorizationEnabled === true,
    hostname: str(l.hostname),
    port: l.port == null ? "" : String(l.port),
    bindUsername: str(l.bindUsername),
    bindPassword: "",
    authzQueryTemplate: str(l.authzQueryTemplate),
    caCertificate: str(l.caCertificate),
    mapping: normalRules(Array.isArray(l.userToDNMapping) ? l.userToDNMapping : []),
    cas: str(us?.customerX509?.cas),
  };
}

/** Rules as the API takes them: `match` always, the other two when not empty. */
export function normalRules(rules) {
  return rules.map((r) => {
    const rule = { match: typeof r?.match === "string" ? r.match : "" };
    if (typeof r?.substitution === "string" && r.substitution !== "") rule.substitution = r.substitution;
    if (typeof r?.ldapQuery === "string" && r.ldapQuery !== "") rule.ldapQuery = r.ldapQuery;
    return rule;
  });
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The names of the fields whose form value differs from the baseline (a typed password counts). */
export function changedFields(form, baseline) {
  if (!baseline) return [];
  return FIELDS.filter((name) => (name === "bindPassword" ? form.bindPassword !== "" : !same(form[name], baseline[name])));
}

/** A port as the API takes it: digits (with a minus sign) as a number, anything else as text so the validator explains it. */
function port(text) {
  return /^-?[0-9]{1,6}$/.test(text) ? Number(text) : text;
}

/** The value of one field in the API's terms. */
function apiValue(name, form) {
  if (name === "port") return port(form.port);
  if (name === "mapping") return form.mapping;
  return form[name];
}

const API_NAME = { mapping: "userToDNMapping" };

/** The PATCH body of the changes (`{}` parts left out); `{}` when nothing changed. */
export function patchBody(form, baseline) {
  const ldap = {};
  let cas;
  for (const name of changedFields(form, baseline)) {
    if (name === "cas") cas = form.cas;
    else ldap[API_NAME[name] ?? name] = apiValue(name, form);
  }
  const body = {};
  if (Object.keys(ldap).length) body.ldap = ldap;
  if (cas !== undefined) body.customerX509 = { cas };
  return body;
}

/**
 * The whole settings as a body, for validation: every field the form has a value for,
 * and an emptied field that the baseline had (as "", so the validator says what it needs).
 */
export function fullBody(form, baseline) {
  const had = (name) => baseline && baseline[name] !== "";
  const ldap = {
    authenticationEnabled: form.authenticationEnabled,
    authorizationEnabled: form.authorizationEnabled,
  };
  for (const name of ["hostname", "port", "bindUsername", "bindPassword", "authzQueryTemplate", "caCertificate"]) {
    if (form[name] !== "" || had(name)) ldap[name] = apiValue(name, form);
  }
  if (form.mapping.length || baseline?.mapping.length) ldap.userToDNMapping = form.mapping;
  const body = { ldap };
  if (form.cas !== "" || had("cas")) body.customerX509 = { cas: form.cas };
  return body;
}

/** The verification parameters of the form's values. */
export function verifyParams(form) {
  const params = { hostname: form.hostname, port: form.port === "" ? 636 : port(form.port),
    bindUsername: form.bindUsername, bindPassword: form.bindPassword };
  if (form.authzQueryTemplate) params.authzQueryTemplate = form.authzQueryTemplate;
  if (form.caCertificate) params.caCertificate = form.caCertificate;
  return params;
}
