// Feedback where the user looks: outcomes beside the actions, Disconnect, roles, messages
// for people in both languages, keyboard and screen readers (axe-core finds nothing), the
// emulator's verification reasons, and screenshots at 1280 and 390 px in English and 中文.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, DEMO, LDAP_ON, actions, api, axeViolations, consoleSuite, fieldMessage, fillServer, inViewport,
  resetSettings, settingsLoaded, unobscured } from "./helpers.mjs";

let base;
const { open, opened } = consoleSuite((ready) => ({ base } = ready));
const shot = (name) => path.join(ARTIFACTS, name);

test("outcomes appear beside the actions, in view, at 1280 and 390 px", async () => {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await resetSettings(base);
    const { page } = await open({ width, height });
    const a = actions(page);
    const port = page.getByLabel("Port", { exact: true });
    // Tabbing through the form, every field comes into view above the sticky actions.
    await page.getByLabel("Hostname").focus();
    for (const id of ["ldap-port", "ldap-bindUsername", "ldap-bindPassword", "ldap-authzQueryTemplate", "ldap-caCertificate"]) {
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.id), id);
      assert.ok(await unobscured(page, `#${id}`), `${width}: #${id} is not hidden behind the actions`);
    }
    for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "ldap-port");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("1636");
    assert.ok(await inViewport(page, "#btn-save"), `${width}: the actions are in view while editing`);
    // Pressed where it is seen (a mouse click in Playwright would first scroll the page to
    // the bar's place in the document).
    await a.save.press("Enter");
    await a.confirm.press("Enter");
    await page.locator("#settings-status").getByText(/^Saved/).waitFor();
    assert.ok(await inViewport(page, "#settings-status"), `${width}: the outcome is in view`);
    assert.ok(await unobscured(page, "#ldap-port"), `${width}: and so is the field that was edited`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${width}: no sideways scrolling`);
  }
});

test("Disconnect clears the credentials from the fields, memory and sessionStorage and revokes a service-account token", async () => {
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("Service account").check();
  await page.getByLabel("Client ID").fill(DEMO.clientId);
  await page.getByLabel("Client secret").fill(DEMO.clientSecret);
  await page.getByLabel(/Keep the connection/).check();
  await settingsLoaded(page);
  await a.disconnect.click();
  await page.locator("#app-status").getByText(/^Disconnected/).waitFor();
  const revoke = page.sent.find((r) => r.method === "POST" && r.path === "/api/oauth/revoke");
  assert.ok(revoke, "the service account's token was revoked");
  for (const label of ["Client ID", "Client secret"]) assert.equal(await page.getByLabel(label).inputValue(), "", label);
  await page.getByLabel("Bearer token").check();
  assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), "");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")), null);
  assert.ok(!(await page.getByLabel(/Keep the connection/).isChecked()));
  assert.equal(await page.getByLabel("Hostname").inputValue(), "", "the loaded settings are gone too");
  assert.ok(await a.verifySave.isDisabled());
  // Nothing of the credentials stays in the page's memory as a JS value either.
  const html = await page.content();
  assert.ok(!html.includes(DEMO.clientSecret));

  // With unsaved changes, Disconnect asks first.
  await page.getByLabel("Access token", { exact: true }).fill(DEMO.token);
  await settingsLoaded(page);
  await page.getByLabel("Hostname").fill("changed.example.com");
  await a.disconnect.click();
  await page.getByRole("dialog").getByText(/Discard the unsaved changes/).waitFor();
  await a.cancel.click();
  assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), DEMO.token, "Cancel keeps everything");
});

test("roles: another user clears the boxes and the last answer; replacing the whole set asks first; pasted ids are trimmed", async () => {
  const { page } = await open();
  const a = actions(page);
  const user = page.getByLabel("User ID");
  await user.fill(` ${DEMO.reader}\n`);
  assert.equal(await user.inputValue(), DEMO.reader, "trimmed");
  assert.equal(await user.getAttribute("aria-invalid"), null);
  await page.getByLabel(/GROUP_CLUSTER_MANAGER/).check();
  await page.getByLabel(/GROUP_READ_ONLY\b/).check();
  await page.getByRole("button", { name: "Update roles" }).click();
  await page.getByRole("dialog").getByText(/Replace every role/).waitFor();
  assert.match(await page.getByRole("dialog").textContent(), /GROUP_READ_ONLY, GROUP_CLUSTER_MANAGER/);
  await a.cancel.click();
  assert.equal(page.sent.filter((r) => r.method === "PUT").length, 0, "Cancel sends nothing");
  await page.getByRole("button", { name: "Update roles" }).click();
  await a.confirm.click();
  await page.locator("#roles-status").getByText("Roles updated.").waitFor();
  assert.deepEqual(page.sent.filter((r) => r.method === "PUT").map((r) => r.body), [{ groupRoles: ["GROUP_READ_ONLY", "GROUP_CLUSTER_MANAGER"] }]);
  assert.match(await page.locator("#roles-known").textContent(), /GROUP_READ_ONLY, GROUP_CLUSTER_MANAGER|GROUP_CLUSTER_MANAGER, GROUP_READ_ONLY/);

  await page.getByLabel("Role", { exact: true }).selectOption("GROUP_BACKUP_MANAGER");
  await page.getByRole("button", { name: "Add role" }).click();
  await page.locator("#roles-known").getByText(/GROUP_BACKUP_MANAGER/).waitFor();
  assert.ok(await page.getByLabel(/GROUP_BACKUP_MANAGER/).isChecked());

  // Another user: nothing of the previous one stays.
  await user.fill(DEMO.owner);
  assert.equal(await page.locator("#roles-list input:checked").count(), 0, "no box stays ticked");
  assert.doesNotMatch(await page.locator("#roles-known").textContent(), /GROUP_BACKUP_MANAGER/);
  assert.ok(await page.locator("#roles-status").isHidden());

  // Removing a role the user does not have: Atlas's 409, shown with its code.
  await page.getByRole("button", { name: "Remove role" }).click();
  await page.locator("#roles-error .error-code").getByText("USER_DOES_NOT_HAVE_ROLE").waitFor();
});

test("messages for people: no JSON paths, rules numbered as shown, specific fixes, the DN warning in plain words", async () => {
  const { page } = await open();
  const host = page.getByLabel("Hostname");
  const port = page.getByLabel("Port", { exact: true });
  const cases = [
    [host, "ldap.corp:636", /^Error: Remove “:636” from the hostname and put 636 in the Port field\.$/],
    [host, "ldaps://ldap.corp", /^Error: Remove “ldaps:\/\/”: the hostname is the server's name alone, without a scheme\.$/],
    [host, "ldap.corp/dc=x", /^Error: Remove the path after “\/”/],
    [host, "ldap..corp", /^Error: Hostname has the wrong format: it must be a host name/],
    [host, "atlas-ldaps-01.ldap.myteam.com", /^Warning: A valid host name, but outside the pattern/],
    [port, "-5", /^Error: A port cannot be negative: it is a whole number from 1 to 65535/],
    [port, "70000", /^Error: Out of range/],
    [port, "", /^Error: Enter a port from 1 to 65535/],
    [port, "63a", /^Error: Digits only/],
    [page.getByLabel("Bind username"), "cn=BindUser,dc=example,dc=com", /^Warning: A valid DN, but Atlas's documentation writes CN=, OU= and DC= in capitals/],
  ];
  for (const [input, value, expected] of cases) {
    await input.fill(value);
    const message = await fieldMessage(page, input);
    assert.match(message, expected, value);
    assert.doesNotMatch(message, /`|ldap\.(hostname|port|bindUsername)|customerX509/, `${value}: no JSON path`);
  }
  await host.fill("ldap.example.com");
  await port.fill("636");

  // A mapping error names the rule as the table numbers it.
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Match (rule 1)").fill("(.+)");
  await page.getByLabel("Substitution (rule 1)").fill("CN={0}");
  await page.getByLabel("Match (rule 2)").fill("(x)");
  const rule2 = await fieldMessage(page, page.getByLabel("Match (rule 2)"));
  assert.match(rule2, /^Error: Rule 2 needs a substitution or an LDAP query\.$/);
  await page.getByLabel("Substitution (rule 2)").fill("CN={3}");
  assert.match(await fieldMessage(page, page.getByLabel("Substitution (rule 2)")), /^Error: Substitution \(rule 2\) uses `\{3\}`/);
  assert.doesNotMatch(await page.locator("#settings").textContent(), /userToDNMapping\[/);

  // Authorization without authentication: what to tick.
  await page.getByLabel(/LDAP authorization enabled/).check();
  assert.match(await fieldMessage(page, page.getByLabel(/LDAP authorization enabled/)), /tick “LDAP authentication enabled” too/);
});

test("中文 everywhere: labels, validator messages with full-width punctuation, status lines", async () => {
  const { page } = await open();
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await actions(page).save.click();
  await actions(page).confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  await page.getByLabel("Hostname").fill("ldap..corp");
  await page.getByRole("button", { name: "中文" }).click();
  assert.equal(await page.locator("html").getAttribute("lang"), "zh-Hans");
  assert.equal(await page.locator('label[for="ldap-hostname"]').textContent(), "主机名");
  for (const sel of ["#app-status", "#settings-status", "#unsaved", "#save-blocked"]) {
    const text = await page.locator(sel).textContent();
    assert.match(text, /[\u4e00-\u9fff]/, `${sel} in Chinese: ${text}`);
    assert.doesNotMatch(text, /\b(the|Saved|Connected|Unsaved)\b/, `${sel} has no English left: ${text}`);
  }
  const message = await fieldMessage(page, page.locator("#ldap-hostname"));
  assert.match(message, /^错误：主机名格式不正确：必须是主机名（如 ldap\.example\.com）/);
  // Outside code spans, the Chinese validator messages use full-width punctuation.
  for (const [input, value] of [["#ldap-hostname", "ldap..corp"], ["#ldap-bindUsername", "CN=a,,DC=b"], ["#ldap-authzQueryTemplate", "{USER}?a?wide"]]) {
    await page.locator(input).fill(value);
    const text = (await fieldMessage(page, page.locator(input))).replace(/`[^`]*`/g, "").replace(/ldap\.example\.com|0-9|a-f/g, "");
    assert.doesNotMatch(text, /[,:;()]/, `${value}: ${text}`);
  }
  await page.getByRole("button", { name: "English" }).click();
  assert.match(await page.locator("#settings-status").textContent(), /^Saved/);
});

test("keyboard: Enter submits the connection form; a busy button keeps focus; only the changed field's live message updates", async () => {
  const { page } = await open({ width: 390, height: 844 });
  const loadsBefore = page.sent.filter((r) => r.method === "GET" && r.path.endsWith("/userSecurity")).length;
  await page.getByLabel("Project ID").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/userSecurity")).length > n, loadsBefore);
  await settingsLoaded(page);

  await page.getByLabel("Hostname").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "ldap-port");

  // Which live regions change when one field is typed into.
  await page.evaluate(() => {
    window.__liveChanges = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const region = (r.target.nodeType === 1 ? r.target : r.target.parentElement).closest("[aria-live]");
        if (region) window.__liveChanges.push(region.id);
      }
    });
    for (const node of document.querySelectorAll("[aria-live]")) observer.observe(node, { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
    window.__liveObserver = observer;
  });
  const live = async () => {
    await page.waitForTimeout(50);
    const seen = await page.evaluate(() => [...new Set(window.__liveChanges.splice(0))]);
    return seen.filter((id) => id !== "unsaved");
  };
  await page.keyboard.press("Home");
  await page.keyboard.type("-");
  assert.deepEqual(await live(), ["ldap-port-msg"], "one keystroke, one live region");
  await page.keyboard.press("End");
  await page.keyboard.type("1");
  assert.deepEqual(await live(), [], "the same message again is not announced again");
  await page.keyboard.press("Home");
  await page.keyboard.press("Delete");
  await page.keyboard.press("End");
  await page.keyboard.press("Backspace");
  assert.deepEqual(await live(), ["ldap-port-msg"], "the message goes away");
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "636");

  // Verify and save from the keyboard: focus stays on the busy button.
  await fillServer(page, "ldap.example.com", "correct-horse");
  const button = page.getByRole("button", { name: "Verify and save" });
  await button.focus();
  await page.keyboard.press("Enter");
  await page.locator("#settings-status").getByText(/PENDING/).waitFor();
  assert.equal(await button.getAttribute("aria-disabled"), "true", "busy");
  assert.equal(await page.evaluate(() => document.activeElement.id), "btn-verify-save", "focus stays while busy");
  await page.keyboard.press("Enter");
  await page.locator("#settings-status").getByText(/Verified and saved/).waitFor({ timeout: 15000 });
  assert.equal(page.sent.filter((r) => r.method === "POST" && r.path.endsWith("/ldap/verify")).length, 1, "Enter on a busy button starts nothing");
  assert.equal(await page.evaluate(() => document.activeElement.id), "btn-verify-save", "and after");

  // The confirmation dialog returns focus to its opener.
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await page.getByRole("button", { name: "Save without verifying" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "btn-save", "focus returns to Save without verifying");
});

test("the emulator's reason is shown under the failed check; a 404 shows nothing extra", async () => {
  const { page } = await open();
  let asked = null;
  await page.route("**/__emulator/verify/*", async (route) => {
    asked = route.request().headers().authorization;
    const id = route.request().url().split("/").pop();
    await route.fulfill({ json: { groupId: DEMO.groupId, requestId: id, status: "FAILED", validations: [
      { validationType: "SERVER_SPECIFIED", status: "OK", reason: "a hostname was given" },
      { validationType: "CONNECT", status: "FAIL", reason: "TLS: the server's certificate is not signed by the given CA <b>x</b>" },
    ] } });
  });
  await fillServer(page, "ldap.corp.invalid", "correct-horse");
  await actions(page).verifySave.click();
  const reason = page.locator("#verify-result tr.check-failed .reason");
  await reason.waitFor({ timeout: 15000 });
  assert.equal(await reason.textContent(), "Reason: TLS: the server's certificate is not signed by the given CA <b>x</b>");
  assert.equal(await page.locator("#verify-result .reason").count(), 1, "only under the failed check");
  assert.equal(asked, `Bearer ${DEMO.token}`, "same auth as the API");
  await page.locator("#verify-result").screenshot({ path: shot("verify-reason-1280.png") });

  // A real Atlas behind --upstream, or an older emulator: 404, nothing extra.
  await page.unroute("**/__emulator/verify/*");
  await page.route("**/__emulator/verify/*", (route) => route.fulfill({ status: 404, json: { error: 404 } }));
  await actions(page).verifySave.click();
  await page.locator("#settings-status").getByText(/at the CONNECT check/).waitFor({ timeout: 15000 });
  await page.locator("#verify-result tr.check-failed").waitFor();
  assert.equal(await page.locator("#verify-result .reason").count(), 0);
  assert.match(await page.locator("#verify-result tr.check-failed").textContent(), /Check the hostname and port/);
});

test("with this emulator's own GET /__emulator/verify/{requestId}, its reason appears under the failed check", async () => {
  const { page } = await open();
  await fillServer(page, "ldap.corp.invalid", "correct-horse");
  await actions(page).verifySave.click();
  await page.locator("#settings-status").getByText(/at the CONNECT check/).waitFor({ timeout: 15000 });
  const reason = page.locator("#verify-result tr.check-failed .reason");
  await reason.waitFor();
  assert.match(await reason.textContent(), /^Reason: .*\.invalid/);
  assert.doesNotMatch(await page.locator("#verify-result").textContent(), /correct-horse/, "never the password");
});

test("axe-core finds no violation, in English and 中文, with errors, a verification result and the dialog open", async () => {
  const { page } = await open();
  const report = [];
  const check = async (state) => {
    const v = await axeViolations(page);
    if (v.length) report.push({ state, v });
  };
  await check("loaded");
  await page.getByLabel("Hostname").fill("ldap..corp");
  await page.getByLabel("Port", { exact: true }).fill("-1");
  await page.getByRole("button", { name: "Add rule" }).click();
  await check("errors");
  await page.getByRole("button", { name: "Remove rule 1" }).click();
  await fillServer(page, "ldap.corp.invalid", "correct-horse");
  await actions(page).verifySave.click();
  await page.locator("#verify-result tr.check-failed").waitFor({ timeout: 15000 });
  await check("verification failed");
  await page.getByRole("button", { name: "中文" }).click();
  await check("中文");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByLabel("Bind password").fill("");
  await actions(page).save.click();
  await page.getByRole("dialog").waitFor();
  await check("dialog");
  await actions(page).cancel.click();
  await page.setViewportSize({ width: 390, height: 844 });
  await check("390 px");
  assert.deepEqual(report, [], JSON.stringify(report, null, 1));
});

test("screenshots at 1280 and 390 px, in English and 中文", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: { ...LDAP_ON, userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" }] } });
  for (const [lang, locale] of [["en", "en-US"], ["zh", "zh-CN"]]) {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const { page, context } = await open({ width, height, locale });
      assert.equal(await page.locator("html").getAttribute("lang"), lang === "zh" ? "zh-Hans" : "en");
      await page.screenshot({ path: shot(`console-${lang}-${width}-1-connected.png`) });
      // An edit with a specific fix, and the sticky actions beside it.
      await page.locator("#ldap-hostname").fill("ldap.corp:636");
      await page.locator("#ldap-port").fill("-636");
      await page.evaluate(() => {
        document.querySelector("#ldap-hostname").scrollIntoView({ block: "start" });
        window.scrollBy(0, -90);
      });
      await page.screenshot({ path: shot(`console-${lang}-${width}-2-errors.png`) });
      // A failed verification with the checks, beside the actions.
      await page.locator("#ldap-hostname").fill("ldap.corp.invalid");
      await page.locator("#ldap-port").fill("636");
      await page.locator("#ldap-bindPassword").fill("correct-horse");
      await page.locator("#btn-verify-save").click();
      await page.locator("#verify-result tr.check-failed").waitFor({ timeout: 15000 });
      await page.waitForTimeout(100);
      await page.screenshot({ path: shot(`console-${lang}-${width}-3-verify-failed.png`) });
      assert.deepEqual(page.errors.map(String), []);
      await context.close();
      opened.pop();
    }
  }
});
