// A verification of the LDAP server with the form's values: start the job, follow it while it
// is PENDING, then a table of the checks with what each means and what to fix when it
// failed, and, when the emulator explains its checks (GET /__emulator/verify/{requestId}),
// the reason under the failed one. A result turns stale when a field it used is edited.
import { el } from "./dom.js";
import { t, has, onLocaleChange } from "./i18n.js";

/**
 * Runs a verification: `onProgress({status, seconds, reads})` while it waits. Resolves with
 * the final job and, when the emulator gives them, a reason per check type.
 */
export async function runVerification(conn, params, { signal, onProgress }) {
  const started = Date.now();
  let reads = 0;
  let status = "PENDING";
  const tick = () => onProgress({ status, seconds: Math.round((Date.now() - started) / 1000), reads });
  const timer = setInterval(tick, 1000);
  try {
    const job = await conn.run(async (client, groupId) => {
      let j = await client.verifyLdap(groupId, params, { signal });
      status = j.status ?? status;
      tick();
      if (j.status === "PENDING" && j.requestId) {
        j = await client.waitForLdapVerify(groupId, j.requestId, {
          intervalMs: 1000, timeoutMs: 120000, signal,
          onProgress: (p) => { reads += 1; status = p.status ?? status; tick(); },
        });
      }
      return j;
    });
    return { job, reasons: await reasonsOf(conn, job) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The emulator's reasons for a finished job, by validation type; empty when it has none to
 * give (a 404 from a real Atlas behind --upstream or an older emulator, another origin, or
 * a service account, whose token stays inside the client).
 */
async function reasonsOf(conn, job) {
  const reasons = new Map();
  const token = conn.accessToken;
  if (!job?.requestId || !token) return reasons;
  try {
    // The token goes only to the origin it is for, and that is the emulator only when it serves this page.
    if (new URL(conn.baseUrl).origin !== location.origin) return reasons;
    const res = await fetch(`/__emulator/verify/${encodeURIComponent(job.requestId)}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      cache: "no-store",
    });
    if (!res.ok) return reasons;
    const explained = await res.json();
    for (const v of Array.isArray(explained?.validations) ? explained.validations : []) {
      if (typeof v?.reason === "string" && v.reason !== "" && typeof v.validationType === "string") {
        reasons.set(v.validationType, v.reason);
      }
    }
  } catch { /* no reasons: the table shows Atlas's answer alone */ }
  return reasons;
}

/** The result area: `show(job, reasons)`, `stale()`, `clear()`; re-rendered on a language switch. */
export function createVerifyResult(box) {
  let shown = null;
  let isStale = false;

  function render() {
    box.replaceChildren();
    box.hidden = !shown;
    box.classList.toggle("stale", isStale);
    if (!shown) return;
    const { job, reasons } = shown;
    const ok = job.status === "SUCCESS";
    const validations = Array.isArray(job.validations) ? job.validations : [];
    box.append(...[
      el("h3", { id: "verify-heading", tabindex: "-1", class: ok ? "result-ok" : "result-failed",
        text: ok ? t("verify.success") : t("verify.failed", { status: job.status ?? "?" }) }),
      isStale ? el("p", { class: "note stale-note", text: t("verify.stale") }) : null,
      job.requestId ? el("p", { class: "muted", text: t("verify.request", { id: job.requestId }) }) : null,
    ].filter(Boolean));
    if (!validations.length) {
      box.append(el("p", { text: t("verify.noValidations") }));
      return;
    }
    const head = el("tr", {}, ["check", "result", "meaning", "fix"].map((c) => el("th", { scope: "col", text: t(`verify.col.${c}`) })));
    const rows = validations.map((v) => {
      const type = String(v.validationType ?? "");
      const known = type !== "" && has(`check.${type}`);
      const passed = v.status === "OK";
      const resultText = v.status === "OK" || v.status === "FAIL" ? t(`result.${v.status}`) : String(v.status ?? "?");
      const reason = passed ? "" : reasons.get(type) ?? "";
      return el("tr", { class: passed ? "check-ok" : "check-failed" },
        el("th", { scope: "row", "data-label": t("verify.col.check") }, el("code", { text: type })),
        el("td", { "data-label": t("verify.col.result") }, el("span", { class: `badge ${passed ? "badge-ok" : "badge-failed"}`, text: resultText })),
        el("td", { "data-label": t("verify.col.meaning"), text: known ? t(`check.${type}`) : t("check.unknown") }),
        el("td", { "data-label": t("verify.col.fix") },
          passed ? "" : known ? t(`check.${type}.fix`) : t("check.unknown.fix"),
          reason ? el("p", { class: "reason" }, el("strong", { text: t("verify.reason") }), " ", reason) : null),
      );
    });
    box.append(el("div", { class: "table-wrap" }, el("table", { class: "checks" },
      el("caption", { class: "visually-hidden", text: t("verify.caption") }),
      el("thead", {}, head), el("tbody", {}, rows))));
    if (!ok) box.append(el("p", { class: "muted", text: t("verify.stops") }));
  }

  onLocaleChange(render);
  return {
    show(job, reasons = new Map()) { shown = { job, reasons }; isStale = false; render(); },
    /** Marks the result as no longer describing the form (a field it used was edited). */
    stale() { if (shown && !isStale) { isStale = true; render(); } },
    clear() { shown = null; isStale = false; render(); },
    /** The first failed check's type, or "". */
    failedCheck() {
      const v = (shown?.job.validations ?? []).find((x) => x.status !== "OK");
      return v ? String(v.validationType ?? "") : "";
    },
  };
}
