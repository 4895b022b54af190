// No accidental writes: nothing saves before the settings loaded; a save sends only what
// changed; "Verify and save" saves only after SUCCESS; "Save without verifying" asks first;
// Revert, the unsaved-changes marker and the leave-page guard.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, DEMO, LDAP_ON, actions, api, consoleSuite, fieldMessage, fillServer, settingsLoaded, unobscured } from "./helpers.mjs";

let base;
const { open } = consoleSuite((ready) => ({ base } = ready));
const patches = (page) => page.sent.filter((r) => r.method === "PATCH");

/** Every way a person (or a script) could press a write button, whether it looks enabled or not. */
async function pressEverything(page) {
  for (const id of ["btn-verify-save", "btn-save", "btn-revert", "btn-delete-mapping", "btn-disable-x509"]) {
    await page.evaluate((bid) => {
      const b = document.getElementById(bid);
      b.disabled = false;
      b.removeAttribute("aria-disabled");
      b.closest("fieldset")?.removeAttribute("disabled");
      b.click();
    }, id);
    // A confirmation, if one opened, is confirmed: the guard must not be the dialog.
    if (await page.locator("#confirm-dialog[open]").count()) await actions(page).confirm.click();
  }
  await page.waitForTimeout(300);
}

test("a page whose load failed sends no PATCH, whatever is pressed", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  await fetch(`${base}/__emulator/faults`, { method: "POST", body: JSON.stringify({ method: "GET", path: "/userSecurity$", status: 500, always: true }) });
  const { page } = await open({ waitLoaded: false });
  const a = actions(page);
  await page.locator("#app-status[data-kind=error]").waitFor({ timeout: 20000 });
  for (const b of [a.verifySave, a.save, a.revert, a.deleteMapping, a.disableX509]) assert.ok(await b.isDisabled());
  assert.match(await page.locator("#settings-locked").textContent(), /nothing can be saved/);
  // Typing a port into it, as in the report that LDAP was turned off this way.
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await pressEverything(page);
  assert.deepEqual(patches(page), [], "no PATCH");
  assert.equal(page.sent.filter((r) => r.method !== "GET").length, 0, "no write of any kind");
  await fetch(`${base}/__emulator/faults`, { method: "DELETE" });
  const { json } = await api(base, "GET", "/userSecurity");
  assert.equal(json.ldap.authenticationEnabled, true, "LDAP stayed on");
});

test("before the load answers nothing can write; a wrong token never unlocks the form", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  const { page } = await open({
    waitLoaded: false,
    setup: (p) => p.route("**/__emulator/console.json", (route) => route.fulfill({
      json: { mode: "emulator", baseUrl: base, groupId: "32b6e34b3d91647abb20e7b8", accessToken: "not-the-token" },
    })),
  });
  await page.locator("#app-status").getByText(/refused the credentials \(HTTP 401\)/).waitFor();
  assert.doesNotMatch(await page.locator("#app-status").textContent(), /^Connected/);
  await page.screenshot({ path: path.join(ARTIFACTS, "console-en-1280-wrong-token.png") });
  await pressEverything(page);
  assert.deepEqual(patches(page), []);
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.authenticationEnabled, true);
});

test("changing one field sends a one-field PATCH, and the answer becomes the baseline", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("Port", { exact: true }).fill("1636");
  assert.match(await page.locator("#unsaved").textContent(), /Unsaved changes: Port\./);
  await a.save.click();
  const dialog = page.getByRole("dialog");
  assert.match(await dialog.textContent(), /without checking the LDAP server.*rolling restart/s);
  await a.cancel.click();
  assert.deepEqual(patches(page), [], "Cancel sends nothing");

  await a.save.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/^Saved without verification/).waitFor();
  assert.deepEqual(patches(page).map((p) => p.body), [{ ldap: { port: 1636 } }], "only the port, no flag");
  const { json } = await api(base, "GET", "/userSecurity");
  assert.deepEqual([json.ldap.port, json.ldap.authenticationEnabled, json.ldap.authorizationEnabled], [1636, true, true]);
  assert.ok(await page.locator("#unsaved").isHidden(), "saved: nothing unsaved");
  assert.ok(await a.save.isDisabled(), "nothing left to save");

  // A flag goes only when it was changed, and alone.
  await page.getByLabel(/LDAP authorization enabled/).uncheck();
  await a.save.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.deepEqual(patches(page).at(-1).body, { ldap: { authorizationEnabled: false } });

  // Removing the only mapping rule sends the empty mapping; a typed password is sent, never read back.
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Match (rule 1)").fill("(.+)");
  await page.getByLabel("Substitution (rule 1)").fill("CN={0},DC=example,DC=com");
  await page.getByLabel("Bind password").fill("n3w-secret");
  await a.save.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.deepEqual(patches(page).at(-1).body,
    { ldap: { bindPassword: "n3w-secret", userToDNMapping: [{ match: "(.+)", substitution: "CN={0},DC=example,DC=com" }] } });
  assert.equal(await page.getByLabel("Bind password").inputValue(), "", "the saved password leaves the page");
});

test("Verify and save verifies the form's values, then saves only the change after SUCCESS", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: { hostname: "old.example.com", port: 389,
    bindUsername: "CN=Old,DC=example,DC=com", authzQueryTemplate: "{USER}?memberOf?one" } });
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("LDAP authentication enabled").check();
  await fillServer(page, "ldap.example.com", "correct-horse");
  await page.getByLabel("Authorization query template").fill("{USER}?memberOf?base");
  await a.verifySave.click();
  await page.locator("#verify-progress").waitFor({ state: "visible" });
  await page.locator("#settings-status").getByText(/PENDING/).waitFor();
  assert.deepEqual(patches(page), [], "nothing saved while verifying");
  await page.locator("#settings-status").getByText("Verified and saved.", { exact: false }).waitFor({ timeout: 15000 });
  const rows = page.locator("#verify-result tbody tr");
  assert.deepEqual(await rows.locator("th").allTextContents(),
    ["SERVER_SPECIFIED", "CONNECT", "AUTHENTICATE", "AUTHORIZATION_ENABLED", "PARSE_AUTHZ_QUERY_TEMPLATE", "QUERY_SERVER"]);
  for (const text of await rows.locator("td:nth-of-type(1)").allTextContents()) assert.equal(text, "OK");
  const verify = page.sent.find((r) => r.method === "POST" && r.path.endsWith("/ldap/verify"));
  assert.deepEqual(verify.body, { hostname: "ldap.example.com", port: 636, bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com",
    bindPassword: "correct-horse", authzQueryTemplate: "{USER}?memberOf?base" });
  assert.deepEqual(patches(page).map((p) => p.body), [{ ldap: { authenticationEnabled: true, hostname: "ldap.example.com", port: 636,
    bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com", bindPassword: "correct-horse", authzQueryTemplate: "{USER}?memberOf?base" } }]);
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.hostname, "ldap.example.com");

  // Editing a verified field marks the result as stale.
  assert.equal(await page.locator("#verify-result .stale-note").count(), 0);
  await page.getByLabel("Hostname").fill("ldap2.example.com");
  await page.locator("#verify-result .stale-note").getByText(/edited after this verification/).waitFor();
  assert.ok(await page.locator("#verify-result").evaluate((n) => n.classList.contains("stale")));
});

test("Verify and save to FAILED saves nothing and explains the failed check beside the actions", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  const { page } = await open();
  const a = actions(page);
  await fillServer(page, "ldap.corp.invalid", "correct-horse");
  await a.verifySave.click();
  await page.locator("#settings-status").getByText(/Not saved: verification finished with FAILED at the CONNECT check/).waitFor({ timeout: 15000 });
  const failed = page.locator("#verify-result tbody tr.check-failed");
  assert.equal(await failed.locator("th").textContent(), "CONNECT");
  assert.match(await failed.textContent(), /Check the hostname and port/);
  assert.doesNotMatch(await page.locator("#verify-result").textContent(), /null|undefined/);
  assert.ok(await unobscured(page, "#verify-result tr.check-failed"), "the failed check is in sight, above the actions");
  assert.deepEqual(patches(page), [], "a failed verification saves nothing");
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.hostname, "ldap.example.com");
  assert.ok(await page.locator("#unsaved").isVisible(), "the edits are still there, unsaved");

  // A wrong password fails AUTHENTICATE instead.
  await fillServer(page, "ldap.example.com", "wrong-password");
  await a.verifySave.click();
  await page.locator("#settings-status").getByText(/at the AUTHENTICATE check/).waitFor({ timeout: 15000 });
  assert.deepEqual(patches(page), []);
});

test("after a load, verification says plainly that it needs the saved password typed again", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  const { page } = await open();
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await actions(page).verifySave.click();
  await page.locator("#settings-status").getByText(/needs the bind password.*never returns it/).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "ldap-bindPassword", "focus goes where it is needed");
  assert.equal(page.sent.filter((r) => r.method === "POST").length, 0, "nothing sent");
  assert.deepEqual(patches(page), []);
  // Missing values are named as the form names them, not as JSON paths.
  await page.getByLabel("Hostname").fill("");
  assert.equal(await fieldMessage(page, page.getByLabel("Hostname")), "Error: Hostname is required.");
});

test("Revert returns to the loaded values; the unsaved marker and the leave-page guard follow the edits", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  const { page } = await open();
  const a = actions(page);
  assert.ok(await page.locator("#unsaved").isHidden());
  assert.ok(await a.revert.isDisabled(), "nothing to revert");
  await page.getByLabel("Hostname").click();
  await page.getByLabel("Hostname").fill("other.example.com");
  await page.getByLabel("LDAP authentication enabled").uncheck();
  assert.match(await page.locator("#unsaved").textContent(), /LDAP authentication, Hostname/);
  assert.match(await page.title(), /^• /, "the tab's title shows it too");

  // Leaving asks first (beforeunload).
  let asked = null;
  page.once("dialog", async (d) => { asked = d.type(); await d.dismiss(); });
  await page.close({ runBeforeUnload: true });
  await page.waitForTimeout(300);
  assert.equal(asked, "beforeunload");
  assert.ok(!page.isClosed(), "staying was possible");

  await a.revert.click();
  assert.equal(await page.getByLabel("Hostname").inputValue(), "ldap.example.com");
  assert.ok(await page.getByLabel("LDAP authentication enabled").isChecked());
  assert.ok(await page.locator("#unsaved").isHidden());
  assert.doesNotMatch(await page.title(), /^• /);
  assert.equal(await page.evaluate(() => document.activeElement.id), "btn-revert", "focus stays on Revert");
  assert.deepEqual(patches(page), []);
});

test("Delete mapping answers become the baseline and keep the other edits", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: { ...LDAP_ON, userToDNMapping: [{ match: "(.+)", substitution: "CN={0},DC=x" }] } });
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await a.deleteMapping.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/mapping was deleted/).waitFor();
  assert.equal(await page.getByLabel("Match (rule 1)").count(), 0);
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.userToDNMapping ?? null, null);
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636", "the other edit stays");
  assert.match(await page.locator("#unsaved").textContent(), /Port/);
  assert.deepEqual(patches(page), []);
});

test("another project or connection reloads by itself; nothing saves until it has", async () => {
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("Project ID").fill("0123456789abcdef01234567");
  assert.ok(await a.verifySave.isDisabled(), "disabled at once");
  await page.locator("#app-status").getByText(/not found/).waitFor();
  await page.getByLabel("Project ID").fill("32b6e34b3d91647abb20e7b8");
  await settingsLoaded(page);
  assert.ok(await a.verifySave.isEnabled());
  const loads = page.sent.filter((r) => r.method === "GET" && r.path.endsWith("/userSecurity"));
  assert.equal(loads.length, 3, "loaded at start, for the other project, and back");
});

test("new credentials for the same project reload it and keep the edits, measured against the new answer", async () => {
  const { page } = await open();
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await page.getByLabel("Service account").check();
  await page.getByLabel("Client ID").fill(DEMO.clientId);
  await page.getByLabel("Client secret").fill(DEMO.clientSecret);
  await settingsLoaded(page);
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636");
  assert.match(await page.locator("#unsaved").textContent(), /Unsaved changes: Port\./);
  await actions(page).save.click();
  await actions(page).confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.deepEqual(patches(page).map((p) => p.body), [{ ldap: { port: 1636 } }]);
});

test("Connect with unsaved changes asks first, then reloads what the server has", async () => {
  const { page } = await open();
  const a = actions(page);
  await page.getByLabel("Port", { exact: true }).fill("1636");
  await a.connect.click();
  await page.getByRole("dialog").getByText(/Discard the unsaved changes/).waitFor();
  await a.cancel.click();
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636", "Cancel keeps the edit");
  await a.connect.click();
  await a.confirm.click();
  await page.waitForFunction(() => document.querySelector("#ldap-port").value === "636");
  assert.ok(await page.locator("#unsaved").isHidden());
  assert.deepEqual(patches(page), []);
});

test("a project changed during the verification is not written to", async () => {
  const { page } = await open();
  await fillServer(page, "ldap.example.com", "correct-horse");
  await actions(page).verifySave.click();
  await page.locator("#settings-status").getByText(/PENDING/).waitFor();
  await page.getByLabel("Project ID").fill("0123456789abcdef01234567");
  await page.locator("#settings-status").getByText(/not saved: the connection or project changed/).waitFor({ timeout: 15000 });
  assert.deepEqual(patches(page), [], "nothing saved, to either project");
});

test("what is typed before the settings arrive stays, and becomes a change against them", async () => {
  await api(base, "PATCH", "/userSecurity", { ldap: LDAP_ON });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { page } = await open({
    waitLoaded: false,
    setup: (p) => p.route("**/userSecurity", async (route) => {
      if (route.request().method() === "GET") await held;
      await route.continue();
    }),
  });
  await page.getByLabel("Port", { exact: true }).fill("1636");
  assert.ok(await actions(page).save.isDisabled(), "nothing saves before the answer");
  release();
  await settingsLoaded(page);
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636", "the typed port stays");
  assert.equal(await page.getByLabel("Hostname").inputValue(), "ldap.example.com", "the rest is the server's");
  assert.ok(await page.getByLabel("LDAP authentication enabled").isChecked(), "LDAP stays on");
  assert.match(await page.locator("#unsaved").textContent(), /Unsaved changes: Port\./);
  await actions(page).save.click();
  await actions(page).confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.deepEqual(patches(page).map((p) => p.body), [{ ldap: { port: 1636 } }]);
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.authenticationEnabled, true);
});
