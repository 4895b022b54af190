// What the settings section does, with its outcomes beside the actions (a sticky bar):
// the settings load by themselves once a connection and a project are set; nothing can
// write before that. "Verify and save" verifies the form's values and saves only after a
// SUCCESS; "Save without verifying" asks first; both send only what changed. "Revert" goes
// back to the loaded values; leaving with unsaved changes asks first.
import { $, isAvailable, setAvailable, busy, isBusy } from "./dom.js";
import { t, getLocale, onLocaleChange } from "./i18n.js";
import { createStatusLine } from "./status-line.js";
import { createErrorBox } from "./errors.js";
import { confirmAction } from "./confirm.js";
import { fieldName } from "./messages.js";
import { runVerification, createVerifyResult } from "./verify.js";
import { VERIFIED } from "./settings-values.js";

/** Wait after the last keystroke in the connection before loading by itself. */
const AUTOLOAD_DELAY_MS = 400;

export function createSettingsActions(pkg, conn, form, top) {
  const section = $("#settings");
  const buttons = {
    verifySave: $("#btn-verify-save"), save: $("#btn-save"), revert: $("#btn-revert"),
    deleteMapping: $("#btn-delete-mapping"), disableX509: $("#btn-disable-x509"),
  };
  const cancel = $("#btn-cancel-verify");
  const progress = $("#verify-progress");
  const blocked = $("#save-blocked");
  const locked = $("#settings-locked");
  const status = createStatusLine($("#settings-status"));
  const context = () => ({ baseUrl: conn.baseUrl });
  const errors = createErrorBox($("#settings-error"), context);
  const connErrors = createErrorBox($("#conn-error"), context);
  const result = createVerifyResult($("#verify-result"));
  let loadedKey = null;
  let loadedProject = null;
  let loads = 0;
  let timer = null;
  let controller = null;

  const loadedNow = () => loadedKey !== null && loadedKey === conn.key();

  /**
   * Which actions can run now, and why not: native `disabled` until loaded (with a note
   * saying so; the fields can be typed into already), `aria-disabled` otherwise.
   */
  function update() {
    const loaded = loadedNow();
    const working = isBusy(section);
    const dirty = loaded && form.changed().length > 0;
    const errorsShown = loaded && form.hasErrors;
    for (const b of Object.values(buttons)) b.disabled = !loaded;
    setAvailable(buttons.verifySave, !working && !errorsShown);
    setAvailable(buttons.save, !working && !errorsShown && dirty);
    setAvailable(buttons.revert, !working && dirty);
    setAvailable(buttons.deleteMapping, !working);
    setAvailable(buttons.disableX509, !working);
    form.lock(working);
    blocked.hidden = !errorsShown;
    for (const b of [buttons.verifySave, buttons.save]) {
      if (errorsShown) b.setAttribute("aria-describedby", blocked.id);
      else b.removeAttribute("aria-describedby");
    }
    locked.hidden = loaded;
    locked.textContent = t(conn.ready() ? "ldap.locked.loading" : "ldap.locked");
  }

  /** What the top of the page says about a failed connection test. */
  function connectionProblem(e) {
    if (e?.name === "AtlasApiError" && (e.status === 401 || e.status === 403)) return t("conn.refused", { status: e.status });
    if (e?.name === "AtlasApiError" && e.status === 404) return t("conn.noProject", { id: conn.projectId });
    if (e?.name === "AtlasNetworkError" || e?.name === "AtlasTimeoutError") return t("conn.unreachable", { baseUrl: conn.baseUrl });
    return t("conn.failed");
  }

  /**
   * Loads the project's settings; the answer becomes the baseline. Edits stay when only the
   * credentials changed, unless `discard` (the user chose to reload).
   */
  async function load({ discard = false } = {}) {
    clearTimeout(timer);
    if (!conn.ready()) {
      top.show(() => t(conn.missing()), "info");
      update();
      return;
    }
    const key = conn.key();
    const mine = ++loads;
    const id = conn.projectId;
    top.show(() => t("conn.testing", { baseUrl: conn.baseUrl }), "info");
    try {
      const us = await conn.run((client, groupId) => client.getUserSecurity(groupId));
      if (mine !== loads || conn.key() !== key) return; // a newer load or connection took over
      // What the user typed stays (now measured against this answer): before the first answer,
      // and when only the credentials changed; not for another project, nor on a chosen reload.
      const keep = discard || (loadedProject !== null && id !== loadedProject) ? [] : form.touched();
      form.setBaseline(us, { keep });
      loadedKey = key;
      loadedProject = id;
      result.clear();
      errors.clear();
      connErrors.clear();
      status.clear(); // the top of the page says it; the bar is for what the user does here
      const host = new URL(conn.baseUrl).host;
      top.show(() => t("conn.ok", { id, baseUrl: host }), "ok");
    } catch (e) {
      if (mine !== loads || conn.key() !== key) return;
      loadedKey = null;
      loadedProject = null;
      form.clear({ keep: form.touched() });
      result.clear();
      status.clear();
      top.show(() => connectionProblem(e), "error");
      connErrors.show(e);
    } finally {
      if (mine === loads) update();
    }
  }

  /** After a change of the connection: nothing can be saved until the new one has loaded. */
  function connectionChanged() {
    if (conn.key() === loadedKey) { update(); return; }
    loads += 1; // an answer for the old connection no longer counts
    update();
    clearTimeout(timer);
    if (conn.ready()) timer = setTimeout(() => load(), AUTOLOAD_DELAY_MS);
    else {
      loadedKey = null;
      top.show(() => t(conn.missing()), "info");
    }
  }

  async function connectNow() {
    if (loadedNow() && form.changed().length && !(await confirmAction("discard.title", "discard.body"))) return;
    loadedKey = null;
    if (!conn.ready()) conn.focusFirstMissing();
    await load({ discard: true });
  }

  /** Runs `task` with the section busy and the outcome beside the actions. */
  async function act(task) {
    errors.clear();
    await busy(section, async () => {
      update();
      try {
        await task();
      } catch (e) {
        status.clear();
        errors.show(e);
      }
    });
    update();
  }

  async function save(patch) {
    const us = await conn.run((client, groupId) => client.updateUserSecurity(groupId, patch));
    form.setBaseline(us);
  }

  /** The fields a verification still needs, as an error beside the actions; false when none. */
  function missingForVerify(params) {
    if (params.bindPassword === "" && params.hostname && params.bindUsername) {
      status.show(() => t(form.passwordSaved ? "verify.needPassword.saved" : "verify.needPassword"), "error");
      form.fieldFor("bindPassword").focus();
      return true;
    }
    const issues = pkg.validateLdapVerifyParams(params, { locale: getLocale() }).issues.filter((i) => i.severity === "error");
    if (!issues.length) return false;
    const paths = issues.map((i) => i.path);
    status.show(() => t("verify.invalid", { fields: [...new Set(paths)].map(fieldName).join(t("list.sep")) }), "error");
    form.fieldFor(paths[0])?.focus();
    return true;
  }

  async function verifyAndSave() {
    if (!loadedNow() || !isAvailable(buttons.verifySave)) return;
    const params = form.verifyParams();
    if (missingForVerify(params)) return;
    const patch = form.patch();
    const key = conn.key();
    await act(async () => {
      controller = new AbortController();
      cancel.hidden = false;
      progress.hidden = false;
      result.clear();
      status.show(() => t("verify.starting"));
      try {
        const { job, reasons } = await runVerification(conn, params, {
          signal: controller.signal,
          onProgress: (p) => status.show(() => t("verify.pending", p)),
        });
        result.show(job, reasons);
        if (job.status !== "SUCCESS") {
          const check = result.failedCheck();
          status.show(() => t("verify.failedNotSaved", { status: job.status ?? "?", check }), "error");
          $("#verify-result").scrollIntoView({ block: "start" });
          return;
        }
        if (!Object.keys(patch).length) {
          status.show(() => t("verify.okNothingToSave"), "ok");
          return;
        }
        // What was verified belongs to the connection and project it was verified with.
        if (conn.key() !== key) {
          status.show(() => t("verify.connectionChanged"), "error");
          return;
        }
        status.show(() => t("status.saving"));
        await save(patch);
        status.show(() => t("status.verifiedSaved"), "ok");
      } finally {
        controller = null;
        cancel.hidden = true;
        progress.hidden = true;
        // Cancel disappears: its focus goes back to the action it cancelled.
        if (document.activeElement === cancel || document.activeElement === document.body) buttons.verifySave.focus();
      }
    });
  }

  async function saveUnverified() {
    if (!loadedNow() || !isAvailable(buttons.save)) return;
    const patch = form.patch();
    if (!Object.keys(patch).length) return;
    status.clear(); // the last action's outcome is not this one's, while the dialog asks
    if (!(await confirmAction("save.title", "save.body")) || !loadedNow()) return;
    await act(async () => {
      status.show(() => t("status.saving"));
      await save(patch);
      status.show(() => t("status.saved"), "ok");
    });
  }

  /** Delete mapping and Disable X.509: the answer is the new baseline; other edits stay. */
  async function removal(button, name, titleKey, call, doneKey) {
    if (!loadedNow() || !isAvailable(button)) return;
    status.clear();
    if (!(await confirmAction(titleKey, `${titleKey.replace(/\.title$/, "")}.body`)) || !loadedNow()) return;
    await act(async () => {
      status.show(() => t("status.working"));
      const us = await conn.run(call);
      form.setBaseline(us, { keep: form.changed().filter((n) => n !== name && n !== "bindPassword") });
      status.show(() => t(doneKey), "ok");
    });
  }

  buttons.verifySave.addEventListener("click", verifyAndSave);
  buttons.save.addEventListener("click", saveUnverified);
  buttons.revert.addEventListener("click", () => {
    if (!loadedNow() || !isAvailable(buttons.revert)) return;
    const changed = form.changed();
    form.revert();
    if (changed.some((n) => VERIFIED.includes(n))) result.stale();
    status.show(() => t("status.reverted"), "info");
    update();
  });
  buttons.deleteMapping.addEventListener("click", () => removal(buttons.deleteMapping, "mapping", "deleteMapping.title",
    (client, groupId) => client.deleteLdapUserToDnMapping(groupId), "status.mappingDeleted"));
  buttons.disableX509.addEventListener("click", () => removal(buttons.disableX509, "cas", "disableX509.title",
    (client, groupId) => client.disableCustomerX509(groupId), "status.x509Disabled"));
  cancel.addEventListener("click", () => controller?.abort("cancelled by the user"));

  form.onEdit((names) => {
    if (names.some((n) => VERIFIED.includes(n))) result.stale();
    update();
  });
  conn.onChange(connectionChanged);
  onLocaleChange(update);
  conn.onSubmit(connectNow);
  window.addEventListener("beforeunload", (event) => {
    if (loadedNow() && form.changed().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  update();
  keepFieldsAboveTheBar($("#settings-actions"));

  return {
    /** Loads now (at start-up). */
    load,
    /** After Disconnect: forget the loaded settings. */
    forget() {
      loadedKey = null;
      loadedProject = null;
      loads += 1;
      form.clear();
      result.clear();
      status.clear();
      errors.clear();
      connErrors.clear();
      update();
    },
    /** Whether there are unsaved changes. */
    get dirty() { return loadedNow() && form.changed().length > 0; },
  };
}

/**
 * Keeps the field being worked on above the sticky action bar: when it gets the focus
 * behind the bar, or an outcome makes the bar taller over it, the page scrolls just enough.
 * (CSS scroll padding would do the first, but also make focusing the bar's own buttons
 * scroll the page.)
 */
function keepFieldsAboveTheBar(bar) {
  let field = null;
  const uncover = () => {
    if (!field?.isConnected) return;
    const covered = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (covered > -8) window.scrollBy(0, covered + 16);
  };
  new ResizeObserver(uncover).observe(bar);
  bar.parentElement.addEventListener("focusin", (event) => {
    if (bar.contains(event.target)) return;
    field = event.target;
    uncover();
  });
}
