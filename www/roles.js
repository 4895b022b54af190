// A project user's roles: the project roles as checkboxes, replaced as a whole with the
// deprecated PUT (after a confirmation), or changed one at a time with :addRole /
// :removeRole. Another user ID starts from nothing: no boxes ticked, no last answer.
import { $, el, busy, isAvailable, setAvailable } from "./dom.js";
import { t, getLocale, onLocaleChange } from "./i18n.js";
import { showIssues } from "./issues.js";
import { createStatusLine } from "./status-line.js";
import { createErrorBox } from "./errors.js";
import { confirmAction } from "./confirm.js";

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
  const status = createStatusLine($("#roles-status"));
  const errors = createErrorBox($("#roles-error"), () => ({ baseUrl: conn.baseUrl }));
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

  /** Runs a role operation for the user in the field and shows the roles of its answer. */
  async function run(button, change) {
    if (!isAvailable(button)) return;
    const missing = conn.missing();
    if (missing) {
      status.show(() => t(missing), "error");
      conn.focusFirstMissing();
      return;
    }
    errors.clear();
    status.show(() => t("status.working"));
    const user = userId.value;
    await busy(section, async () => {
      for (const b of buttons) setAvailable(b, false);
      try {
        const roles = await conn.run((client, groupId) => change(client, groupId, user));
        if (userId.value !== user) return; // the answer is about a user no longer shown
        showRoles(roles);
        status.show(() => t("roles.updated"), "ok");
      } catch (e) {
        status.clear();
        errors.show(e);
      } finally {
        for (const b of buttons) setAvailable(b, true);
      }
    });
  }

  /** Another user: nothing of the previous one stays on screen. */
  function userChanged() {
    // Ids pasted with a space or a line break around them are meant without it.
    if (userId.value !== userId.value.trim()) userId.value = userId.value.trim();
    lastRoles = null;
    for (const box of boxes.values()) box.checked = false;
    status.clear();
    errors.clear();
    relabel();
    validate();
  }

  buttons[0].addEventListener("click", async () => {
    if (!isAvailable(buttons[0])) return;
    const roles = checked();
    if (!(await confirmAction("roles.confirm.title", "roles.confirm.body", { roles: roles.join(", ") || "—" }))) return;
    await run(buttons[0], async (client, groupId, user) =>
      (await client.updateUserRoles(groupId, user, { groupRoles: roles })).groupRoles ?? []);
  });
  buttons[1].addEventListener("click", () => run(buttons[1], async (client, groupId, user) =>
    (await client.addUserRole(groupId, user, select.value)).roles ?? []));
  buttons[2].addEventListener("click", () => run(buttons[2], async (client, groupId, user) =>
    (await client.removeUserRole(groupId, user, select.value)).roles ?? []));
  userId.addEventListener("input", userChanged);
  onLocaleChange(() => {
    relabel();
    validate();
  });
  relabel();
  validate();

  return {
    /** Fills the user ID (the emulator's demo user). */
    setUserId(value) { if (typeof value === "string") { userId.value = value; userChanged(); } },
  };
}
