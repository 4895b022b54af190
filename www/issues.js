// Shows validator issues next to their fields: each field gets its messages in its own
// element, `aria-describedby` pointing at it, and `aria-invalid="true"` when one is an error.
// A message element (a live region) is rewritten only when its text changes, so a keystroke
// is announced once, by the field it changed.
import { el } from "./dom.js";
import { t, getLocale } from "./i18n.js";
import { issueText } from "./messages.js";

/**
 * `targets`: `{ path, input, msg }` — an issue whose path equals `path` goes into `msg`
 * and marks `input`. Issues with no target go into `other` (a container), named by their
 * field's name. Returns whether any issue is an error.
 */
export function showIssues(targets, issues, other) {
  const byMsg = new Map(targets.map((target) => [target.msg, { target, issues: [] }]));
  const byInput = new Map(targets.map((target) => [target.input, { ids: [], error: false }]));
  const leftovers = [];
  let anyError = false;
  for (const issue of issues) {
    anyError ||= issue.severity === "error";
    const target = targets.find((x) => x.path === issue.path);
    if (!target) { leftovers.push(issue); continue; }
    byMsg.get(target.msg).issues.push(issue);
    const state = byInput.get(target.input);
    if (!state.ids.includes(target.msg.id)) state.ids.push(target.msg.id);
    state.error ||= issue.severity === "error";
  }
  for (const [msg, { target, issues: mine }] of byMsg) {
    render(msg, mine.map((issue) => issueLine(issue, target.input.value)));
  }
  for (const [input, state] of byInput) {
    const ids = [...state.ids, ...(input.dataset.hint ? [input.dataset.hint] : [])].join(" ");
    setAttr(input, "aria-describedby", ids || null);
    setAttr(input, "aria-invalid", state.error ? "true" : null);
  }
  if (other) {
    render(other, leftovers.length
      ? [el("p", { text: t("issue.other") }), el("ul", {}, leftovers.map((i) => el("li", {}, issueLine(i))))]
      : []);
  }
  return anyError;
}

/** Replaces the children of `node` with `nodes` only when the text differs. */
function render(node, nodes) {
  const text = nodes.map((n) => n.textContent).join("\n");
  if (node.dataset.shown === text && node.hidden === (nodes.length === 0)) return;
  node.dataset.shown = text;
  node.replaceChildren(...nodes);
  node.hidden = nodes.length === 0;
}

function setAttr(node, name, value) {
  if (value == null) { if (node.hasAttribute(name)) node.removeAttribute(name); }
  else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** One issue as a line of text: "Error: message"; `value` is its field's text, when known. */
export function issueLine(issue, value) {
  const error = issue.severity === "error";
  return el("span", { class: `issue ${error ? "issue-error" : "issue-warning"}`, "data-code": issue.code },
    // "Error: …" / "错误：…" (a full-width colon carries its own space).
    el("strong", { text: t(error ? "issue.error" : "issue.warning") }), getLocale() === "zh" ? "" : " ",
    issueText(issue, value));
}
