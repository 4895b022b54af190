// Verify the LDAP server with the values in the form: start a job, show progress while it
// is PENDING (the page stays usable; the wait can be cancelled), then a table of the checks
// with what each means and what to fix when it failed.
import { $, el, setStatus } from "./dom.js";
import { t, has, getLocale, onLocaleChange } from "./i18n.js";
import { issueLine } from "./issues.js";
import { showError } from "./errors.js";

export function createVerify(pkg, conn, settings) {
  const button = $("#btn-verify");
  const cancel = $("#btn-cancel-verify");
  const status = $("#verify-status");
  const progress = $("#verify-progress");
  const issuesBox = $("#verify-issues");
  const errorBox = $("#verify-error");
  const resultBox = $("#verify-result");
  let controller = null;
  let lastJob = null;
  let lastError = null;
  let lastIssues = null;

  function showParamIssues(issues) {
    issuesBox.replaceChildren();
    issuesBox.hidden = !issues;
    if (!issues) return;
    issuesBox.append(el("p", { text: t("verify.invalid") }), el("ul", {}, issues.map((issue) => {
      const input = settings.fieldFor(issue.path);
      const label = input ? document.querySelector(`label[for="${input.id}"]`)?.textContent : issue.path;
      return el("li", {}, el("strong", { text: `${label}: ` }), issueLine(issue));
    })));
  }

  function showResult(job) {
    resultBox.replaceChildren();
    resultBox.hidden = !job;
    if (!job) return;
    const ok = job.status === "SUCCESS";
    const validations = job.validations ?? [];
    resultBox.append(
      el("h3", { class: ok ? "result-ok" : "result-failed", text: ok ? t("verify.success") : t("verify.failed", { status: job.status ?? "?" }) }),
      job.requestId ? el("p", { class: "muted", text: t("verify.request", { id: job.requestId }) }) : null,
    );
    if (!validations.length) {
      resultBox.append(el("p", { text: t("verify.noValidations") }));
      return;
    }
    const head = el("tr", {}, ["check", "result", "meaning", "fix"].map((c) => el("th", { scope: "col", text: t(`verify.col.${c}`) })));
    const rows = validations.map((v) => {
      const type = String(v.validationType ?? "");
      const known = type !== "" && has(`check.${type}`);
      const passed = v.status === "OK";
      const resultText = v.status === "OK" || v.status === "FAIL" ? t(`result.${v.status}`) : String(v.status ?? "?");
      return el("tr", { class: passed ? "check-ok" : "check-failed" },
        el("th", { scope: "row", "data-label": t("verify.col.check") }, el("code", { text: type })),
        el("td", { "data-label": t("verify.col.result") }, el("span", { class: `badge ${passed ? "badge-ok" : "badge-failed"}`, text: resultText })),
        el("td", { "data-label": t("verify.col.meaning"), text: known ? t(`check.${type}`) : t("check.unknown") }),
        el("td", { "data-label": t("verify.col.fix"), text: passed ? "" : known ? t(`check.${type}.fix`) : t("check.unknown.fix") }),
      );
    });
    resultBox.append(el("div", { class: "table-wrap" }, el("table", { class: "checks" },
      el("caption", { class: "visually-hidden", text: t("verify.title") }),
      el("thead", {}, head), el("tbody", {}, rows))));
    if (!ok) resultBox.append(el("p", { class: "muted", text: t("verify.stops") }));
  }

  async function start() {
    const missing = conn.missing();
    if (missing) {
      setStatus(status, t(missing), "error");
      conn.focusFirstMissing();
      return;
    }
    const params = settings.verifyParams();
    const check = pkg.validateLdapVerifyParams(params, { locale: getLocale() });
    lastJob = null; lastError = null; lastIssues = null;
    showResult(null);
    showError(errorBox, null);
    const errors = check.issues.filter((i) => i.severity === "error");
    if (errors.length) {
      lastIssues = errors;
      showParamIssues(errors);
      setStatus(status, "", "info");
      settings.fieldFor(errors[0].path)?.focus();
      return;
    }
    showParamIssues(null);

    controller = new AbortController();
    const { signal } = controller;
    const started = Date.now();
    let reads = 0;
    let current = "PENDING";
    const tick = () => setStatus(status, t("verify.pending", {
      status: current, seconds: Math.round((Date.now() - started) / 1000), reads,
    }), "info");
    button.disabled = true;
    cancel.hidden = false;
    progress.hidden = false;
    setStatus(status, t("verify.starting"), "info");
    const timer = setInterval(tick, 1000);
    try {
      const client = conn.client();
      const groupId = conn.projectId;
      let job = await client.verifyLdap(groupId, params, { signal });
      current = job.status ?? "PENDING";
      tick();
      if (job.status === "PENDING" && job.requestId) {
        job = await client.waitForLdapVerify(groupId, job.requestId, {
          intervalMs: 1000, timeoutMs: 120000, signal,
          onProgress: (j) => { reads += 1; current = j.status ?? current; tick(); },
        });
      }
      lastJob = job;
      setStatus(status, "", "info");
      showResult(job);
      resultBox.querySelector("h3")?.setAttribute("tabindex", "-1");
      resultBox.querySelector("h3")?.focus();
    } catch (e) {
      lastError = e;
      setStatus(status, "", "info");
      showError(errorBox, e, { baseUrl: conn.baseUrl });
    } finally {
      clearInterval(timer);
      controller = null;
      button.disabled = false;
      cancel.hidden = true;
      progress.hidden = true;
      if (document.activeElement === cancel || document.activeElement === document.body) button.focus();
    }
  }

  button.addEventListener("click", start);
  cancel.addEventListener("click", () => controller?.abort("cancelled by the user"));
  onLocaleChange(() => {
    if (lastJob) showResult(lastJob);
    if (lastError) showError(errorBox, lastError, { baseUrl: conn.baseUrl });
    if (lastIssues) {
      // Re-run the validator so the messages come in the new language.
      const check = pkg.validateLdapVerifyParams(settings.verifyParams(), { locale: getLocale() });
      lastIssues = check.issues.filter((i) => i.severity === "error");
      showParamIssues(lastIssues.length ? lastIssues : null);
    }
  });
}
