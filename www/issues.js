// Shows validator issues next to their fields: each field gets its messages in its own
// element, `aria-describedby` pointing at it, and `aria-invalid="true"` when one is an error.
import { el } from "./dom.js";
import { t } from "./i18n.js";

/**
 * `targets`: `{ path, input, msg }` — an issue whose path equals `path` goes into `msg`
 * and marks `input`. Issues with no target go into `other` (a container), prefixed with
 * their path. Returns whether any issue is an error.
 */
export function showIssues(targets, issues, other) {
  const byInput = new Map();
  for (const target of targets) {
    target.msg.replaceChildren();
    target.msg.hidden = true;
    if (!byInput.has(target.input)) byInput.set(target.input, { ids: [], error: false });
  }
  const leftovers = [];
  let anyError = false;
  for (const issue of issues) {
    anyError ||= issue.severity === "error";
    const target = targets.find((x) => x.path === issue.path);
    if (!target) { leftovers.push(issue); continue; }
    target.msg.append(issueLine(issue));
    target.msg.hidden = false;
    const state = byInput.get(target.input);
    if (!state.ids.includes(target.msg.id)) state.ids.push(target.msg.id);
    state.error ||= issue.severity === "error";
  }
  for (const [input, state] of byInput) {
    const hint = input.dataset.hint ? [input.dataset.hint] : [];
    const ids = [...state.ids, ...hint];
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
    if (state.error) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  if (other) {
    other.replaceChildren();
    other.hidden = leftovers.length === 0;
    if (leftovers.length) {
      other.append(el("p", { text: t("issue.other") }),
        el("ul", {}, leftovers.map((i) => el("li", {}, issueLine(i, true)))));
    }
  }
  return anyError;
}

/** One issue as a line of text: "Error: message" (with the path when asked). */
export function issueLine(issue, withPath = false) {
  const error = issue.severity === "error";
  return el("span", { class: `issue ${error ? "issue-error" : "issue-warning"}`, "data-code": issue.code },
    el("strong", { text: t(error ? "issue.error" : "issue.warning") }), " ",
    withPath && issue.path ? el("code", { text: issue.path }) : null, withPath && issue.path ? " " : null,
    issue.message);
}
