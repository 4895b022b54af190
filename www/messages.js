// Validator issues in words for people: the field's own name instead of its JSON path,
// mapping rules numbered as the table shows them (from 1), and a specific fix where the
// value shows what went wrong (a scheme or a port in the hostname, a negative port). A
// message does not repeat the typed value, so it is not announced again at each keystroke.
import { t, has, getLocale } from "./i18n.js";

/** The UI string of each path the console validates (body paths and verify-param paths). */
const FIELD_KEYS = {
  "ldap.authenticationEnabled": "field.authenticationEnabled",
  "ldap.authorizationEnabled": "field.authorizationEnabled",
  "ldap.hostname": "ldap.hostname", hostname: "ldap.hostname",
  "ldap.port": "ldap.port", port: "ldap.port",
  "ldap.bindUsername": "ldap.bindUsername", bindUsername: "ldap.bindUsername",
  "ldap.bindPassword": "ldap.bindPassword", bindPassword: "ldap.bindPassword",
  "ldap.authzQueryTemplate": "ldap.authzQueryTemplate", authzQueryTemplate: "ldap.authzQueryTemplate",
  "ldap.caCertificate": "ldap.caCertificate", caCertificate: "ldap.caCertificate",
  "customerX509.cas": "field.cas",
  "ldap.userToDNMapping": "map.title",
  groupId: "conn.projectId",
  userId: "roles.userId",
  groupRoles: "roles.legend",
};

const RULE = /^ldap\.userToDNMapping\[(\d+)\](?:\.(match|substitution|ldapQuery))?$/;

/** The name people see for a validator path, e.g. "Match (rule 2)" for `ldap.userToDNMapping[1].match`. */
export function fieldName(path) {
  const rule = RULE.exec(path);
  if (rule) {
    const n = Number(rule[1]) + 1;
    return rule[2] ? `${t(`map.${rule[2]}`)} (${t("map.rule", { n })})` : t("map.ruleName", { n });
  }
  const role = /^groupRoles\[(\d+)\]$/.exec(path);
  if (role) return t("field.role", { n: Number(role[1]) + 1 });
  return FIELD_KEYS[path] ? t(FIELD_KEYS[path]) : path;
}

/** The message for `issue`; `value` is the text of its field, when there is one. */
export function issueText(issue, value) {
  const field = fieldName(issue.path);
  const specific = specificFix(issue, typeof value === "string" ? value : "");
  if (specific) return specific;
  const key = `msg.${issue.code}.${kindOf(issue.path)}`;
  if (has(key)) return t(key, { field });
  if (has(`msg.${issue.code}`)) return t(`msg.${issue.code}`, { field });
  return withName(issue.message, issue.path, field);
}

/** Which kind of field a path is, for messages that differ by field (`spec_pattern`). */
function kindOf(path) {
  const last = path.replace(/^.*\./, "");
  return RULE.test(path) ? "rule" : last;
}

/** The validator's own message with the field's name in place of its path. */
function withName(message, path, field) {
  const quoted = `\`${path}\``;
  if (!message.includes(quoted)) return message;
  // Chinese runs on without a space between the name and the text after it.
  const zh = getLocale() === "zh";
  return message.replace(zh ? new RegExp(`${escape(quoted)} ?`) : quoted, field);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function specificFix(issue, value) {
  if (issue.severity !== "error") return "";
  const kind = kindOf(issue.path);
  const v = value.trim();
  if (kind === "hostname" && issue.code === "pattern") {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v);
    const bare = v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/.*$/, "");
    const port = /^([^:]+):(\d+)$/.exec(bare);
    if (scheme) return t("fix.hostname.scheme", { scheme: `${scheme[1]}://` });
    if (port) return t("fix.hostname.port", { port: port[2] });
    if (v.includes("/")) return t("fix.hostname.path");
    if (/\s/.test(value)) return t("fix.hostname.space");
  }
  if (kind === "port") {
    if (/^-\d+$/.test(v)) return t("fix.port.negative");
    if (issue.code === "range") return t("fix.port.range");
    if (issue.code === "type") return t(v === "" ? "fix.port.empty" : "fix.port.digits");
  }
  return "";
}
