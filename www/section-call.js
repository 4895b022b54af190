// One API call of a console section: checks the connection first, keeps the section's buttons
// disabled while it runs, shows progress, then the result or an explained error, which is
// shown again in the new language when the language changes.
import { busy, setStatus } from "./dom.js";
import { t, onLocaleChange } from "./i18n.js";
import { showError } from "./errors.js";

/**
 * Returns `call(workingKey, request, doneStatus)`: `request(client, projectId)` performs the
 * API call, `doneStatus(result)` gives the status text shown after it succeeded.
 */
export function sectionCaller({ conn, section, buttons, status, errorBox }) {
  let lastError = null;
  onLocaleChange(() => {
    if (lastError) showError(errorBox, lastError, { baseUrl: conn.baseUrl });
  });
  return async function call(workingKey, request, doneStatus) {
    const missing = conn.missing();
    if (missing) {
      setStatus(status, t(missing), "error");
      conn.focusFirstMissing();
      return;
    }
    lastError = null;
    showError(errorBox, null);
    setStatus(status, t(workingKey), "info");
    await busy(section, buttons, async () => {
      try {
        const result = await request(conn.client(), conn.projectId);
        setStatus(status, doneStatus(result), "ok");
      } catch (e) {
        lastError = e;
        setStatus(status, "", "info");
        showError(errorBox, e, { baseUrl: conn.baseUrl });
      }
    });
  };
}
