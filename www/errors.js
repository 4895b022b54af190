// Explains a failed client call: Atlas's errorCode and detail, invalid fields, and what
// network errors, timeouts and undecodable answers mean. Everything is rendered as text.
import { el } from "./dom.js";
import { t, onLocaleChange } from "./i18n.js";
import { issueLine } from "./issues.js";

/** Replaces the contents of `box` with an explanation of `error` (or clears it when null). */
export function showError(box, error, context = {}) {
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  box.append(...describe(error, context));
}

function describe(e, { baseUrl = "" } = {}) {
  switch (e?.name) {
    case "AtlasApiError": {
      const parts = [el("p", { class: "error-title" },
        el("strong", { text: t("err.api", { status: e.status }) }), " ",
        el("code", { class: "error-code", text: e.errorCode }))];
      if (e.detail) parts.push(el("p", { class: "error-detail", text: e.detail }));
      const fields = e.badRequestDetail?.fields ?? [];
      if (fields.length) {
        parts.push(el("p", { text: t("err.api.fields") }),
          el("ul", {}, fields.map((f) => el("li", {}, el("code", { text: f.field }), ": ", f.description))));
      }
      const hint = hintFor(e.status);
      if (hint) parts.push(el("p", { class: "error-hint", text: hint }));
      return parts;
    }
    case "AtlasValidationError":
      return [el("p", { class: "error-title", text: t("err.validation") }),
        el("ul", {}, (e.issues ?? []).map((i) => el("li", {}, issueLine(i))))];
    case "AtlasNetworkError":
      return [el("p", { class: "error-title", text: t("err.network", { baseUrl }) })];
    case "AtlasTimeoutError":
      return [el("p", { class: "error-title", text: t("err.timeout", { seconds: Math.round((e.timeoutMs ?? 0) / 1000) }) })];
    case "AbortError":
      return [el("p", { class: "error-title", text: t("err.abort") })];
    case "AtlasDecodeError":
      return [el("p", { class: "error-title", text: t("err.decode", { status: e.status }) }),
        e.bodySnippet ? el("p", {}, t("err.decode.snippet"), " ", el("code", { text: e.bodySnippet })) : null]
        .filter(Boolean);
    default:
      return [el("p", { class: "error-title" }, t("err.other"), " ", String(e?.message ?? e))];
  }
}

function hintFor(status) {
  if ([401, 403, 404, 409, 429].includes(status)) return t(`err.hint.${status}`);
  if (status >= 500) return t("err.hint.5xx");
  return "";
}

/** An error box that explains its error again after a language switch: `show(e)`, `clear()`. */
export function createErrorBox(box, context) {
  let current = null;
  onLocaleChange(() => { if (current) showError(box, current, context()); });
  return {
    show(e) { current = e; showError(box, e, context()); },
    clear() { current = null; showError(box, null); },
  };
}
