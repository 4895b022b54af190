// A project user's roles: the project roles as checkboxes, replaced as a whole with the
// deprecated PUT, or changed one at a time with :addRole / :removeRole.
import { $, el } from "./dom.js";
import { t, getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";
import { sectionCaller } from "./section-call.js";

export const PROJECT_ROLES = [
  "GROUP_OWNER", "GROUP_READ_ONLY", "GROUP_CLUSTER_MANAGER", "GROUP_DATA_ACCESS_ADMIN",
  "GROUP_DATA_ACCESS_READ_WRITE", "GROUP_DATA_ACCESS_READ_ONLY", "GROUP_SEARCH_INDEX_EDITOR",
  "GROUP_BACKUP_MANAGER", "GROUP_OBSERVABILITY_VIEWER", "GROUP_DATABASE_ACCESS_ADMIN",
  "GROUP_STREAM_PROCESSING_OWNER",
];

export function createRoles(pkg, conn) {
  const section = $("#roles");
  const userId = $("#roles-userId");
  const list = $("#roles-list");
  const select = $("#roles-role");
  const status = $("#roles-status");
  const errorBox = $("#roles-error");
  const known = $("#roles-known");
  const buttons = [$("#btn-roles-replace"), $("#btn-role-add"), $("#btn-role-remove")];
  const boxes = new Map();
  const names = new Map();
  let lastRoles = null;

  for (const role of PROJECT_ROLES) {
    const id = `role-${role}`;
    const box = el("input", { type: "checkbox", id, value: role, onchange: validate });
    const name = el("span");
    names.set(role, name);
    boxes.set(role, box);
    list.append(el("div", { class: "check" }, box, el("label", { for: id }, name, " ", el("code", { text: role }))));
    select.append(el("option", { value: role, text: role }));
  }

  function relabel() {
    for (const [role, node] of names) node.textContent = t(`roles.name.${role}`);
    for (const option of select.options) option.textContent = `${t(`roles.name.${option.value}`)} (${option.value})`;
    known.textContent = lastRoles ? t("roles.known", { roles: lastRoles.join(", ") || "—" }) : t("roles.unknown");
  }

  const checked = () => PROJECT_ROLES.filter((r) => boxes.get(r).checked);

  function validate() {
    const locale = getLocale();
    const idIssues = userId.value === "" ? [] : pkg.validateUserId(userId.value, { locale }).issues;
    showIssues([{ path: "userId", input: userId, msg: $("#roles-userId-msg") }], idIssues);
    const roleIssues = pkg.validateGroupRoles({ groupRoles: checked() }, { locale }).issues;
    showIssues([], roleIssues, $("#roles-other"));
  }

  function showRoles(roles) {
    lastRoles = [...roles];
    for (const [role, box] of boxes) box.checked = roles.includes(role);
    relabel();
    validate();
  }

  const call = sectionCaller({ conn, section, buttons, status, errorBox });
  /** Runs a role operation and shows the roles of its answer. */
  const run = (change) => call("status.working", (client, groupId) => change(client, groupId, userId.value),
    (roles) => { showRoles(roles); return t("roles.updated"); });

  buttons[0].addEventListener("click", () => run(async (client, groupId, user) =>
    (await client.updateUserRoles(groupId, user, { groupRoles: checked() })).groupRoles ?? []));
  buttons[1].addEventListener("click", () => run(async (client, groupId, user) =>
    (await client.addUserRole(groupId, user, select.value)).roles ?? []));
  buttons[2].addEventListener("click", () => run(async (client, groupId, user) =>
    (await client.removeUserRole(groupId, user, select.value)).roles ?? []));
  userId.addEventListener("input", validate);
  onLocaleChange(() => {
    relabel();
    validate();
  });
  relabel();
  validate();

  return {
    setUserId(value) { if (typeof value === "string") { userId.value = value; validate(); } },
  };
}
