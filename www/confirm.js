// A modal confirmation with the page's <dialog>: resolves true only when "Confirm" is chosen
// (Cancel and Escape resolve false).
import { $ } from "./dom.js";
import { t } from "./i18n.js";

export function confirmAction(titleKey, bodyKey, params = {}) {
  const dialog = $("#confirm-dialog");
  $("#confirm-title").textContent = t(titleKey, params);
  $("#confirm-body").textContent = t(bodyKey, params);
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      opener?.focus?.({ preventScroll: true });
      resolve(dialog.returnValue === "confirm");
    }, { once: true });
    dialog.showModal();
    $("#confirm-cancel").focus({ preventScroll: true });
  });
}

export function wireConfirmDialog() {
  const dialog = $("#confirm-dialog");
  $("#confirm-ok").addEventListener("click", () => dialog.close("confirm"));
  $("#confirm-cancel").addEventListener("click", () => dialog.close("cancel"));
}
