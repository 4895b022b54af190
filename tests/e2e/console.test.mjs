// The web console in Chromium, against the server `make console` starts (the emulator
// serving www/ and pkg/ with the demo project). Run with `make test-e2e`, or
// `node --test tests/e2e/` after `make pkg` and `cargo build --release -p atlas-emulator`.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, CSP, DEMO, api, fieldMessage, launch, openConsole, resetSettings, startServer } from "./helpers.mjs";

let server;
let browser;
let base;
let opened = [];

before(async () => {
  server = await startServer();
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});
beforeEach(async () => {
  await resetSettings(base);
  await fetch(`${base}/__emulator/faults`, { method: "DELETE" });
});
afterEach(async () => {
  for (const { page, context } of opened.splice(0)) {
    assert.deepEqual(page.errors.map(String), [], "no uncaught error in the page");
    await context.close();
  }
});

async function open(options) {
  const o = await openConsole(browser, base, options);
  opened.push(o);
  return o;
}
const shot = (name) => path.join(ARTIFACTS, name);

test("opens ready to use, with findable labels, the CSP and credentials kept out of storage and URL", async () => {
  const { page, described } = await open();
  for (const label of ["Project ID", "Access token", "Hostname", "Port", "Bind username", "Bind password"]) {
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `one field labelled ${label}`);
  }
  for (const name of ["Load", "Save", "Verify"]) {
    assert.equal(await page.getByRole("button", { name, exact: true }).count(), 1, `a button ${name}`);
  }
  assert.equal(await page.getByLabel("Base URL").inputValue(), base);
  if (described) {
    // Served by `make console`: the demo project and token are filled in.
    assert.equal(await page.getByLabel("Project ID").inputValue(), DEMO.groupId);
    assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), DEMO.token);
  }
  assert.equal(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content"), CSP);
  const header = (await fetch(`${base}/`)).headers.get("content-security-policy");
  if (header) assert.equal(header, CSP);

  // Memory only by default; the box copies the connection to sessionStorage, never localStorage.
  assert.equal(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")), null);
  await page.getByLabel(/Keep the connection/).check();
  const kept = JSON.parse(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")));
  assert.equal(kept.token, DEMO.token);
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.ok(!page.url().includes(DEMO.token) && !page.url().includes(DEMO.groupId), "nothing in the URL");
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), DEMO.token, "kept for this tab");
  await page.getByLabel(/Keep the connection/).uncheck();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")), null);
});

test("prefills from the emulator's console.json; in upstream mode only the base URL", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  opened.push({ page: { errors: [] }, context });
  for (const [mode, body] of [
    ["emulator", { mode: "emulator", baseUrl: base, groupId: DEMO.groupId, userId: DEMO.owner, accessToken: DEMO.token }],
    ["upstream", { mode: "upstream", baseUrl: base }],
  ]) {
    const page = await context.newPage();
    await page.route("**/__emulator/console.json", (route) => route.fulfill({ json: body }));
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getByLabel("Base URL").inputValue(), base, mode);
    const token = await page.getByLabel("Access token", { exact: true }).inputValue();
    const project = await page.getByLabel("Project ID").inputValue();
    if (mode === "emulator") {
      assert.deepEqual([token, project, await page.getByLabel("User ID").inputValue()], [DEMO.token, DEMO.groupId, DEMO.owner]);
      await page.getByRole("button", { name: "Load", exact: true }).click();
      await page.locator("#settings-status").getByText(/Loaded/).waitFor();
    } else {
      assert.deepEqual([token, project, await page.getByLabel("User ID").inputValue()], ["", "", ""], "nothing filled in upstream mode");
      assert.ok(await page.getByRole("button", { name: "Save", exact: true }).isDisabled());
    }
    await page.close();
  }
});

test("a service account (client id and secret) works as well as a token", async () => {
  const { page } = await open();
  await page.getByLabel("Service account").check();
  assert.ok(await page.getByLabel("Access token", { exact: true }).isHidden());
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/client ID and secret/).waitFor();
  await page.getByLabel("Client ID").fill("mdb_sa_id_demo");
  await page.getByLabel("Client secret").fill("mdb_sa_sk_demo");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  await page.getByLabel("Client secret").fill("not-the-secret");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-error .error-code").waitFor();
  assert.match(await page.locator("#settings-error").textContent(), /401/);
});

test("Load fills every field from the server", async () => {
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: {
      authenticationEnabled: true, authorizationEnabled: true, hostname: "ldap.example.com", port: 1636,
      bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com", bindPassword: "s3cret",
      authzQueryTemplate: "{USER}?memberOf?base",
      userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" },
        { match: "(.+)", ldapQuery: "DC=example,DC=com??sub?(userPrincipalName={0})" }],
    },
  });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const { page } = await open();
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  assert.equal(await page.getByLabel("Hostname").inputValue(), "ldap.example.com");
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636");
  assert.equal(await page.getByLabel("Bind username").inputValue(), "CN=BindUser,CN=Users,DC=example,DC=com");
  assert.equal(await page.getByLabel("Bind password").inputValue(), "", "never returned");
  assert.ok(await page.getByLabel("LDAP authentication enabled").isChecked());
  assert.ok(await page.getByLabel(/LDAP authorization enabled/).isChecked());
  assert.equal(await page.getByLabel("Match (rule 1)").inputValue(), "(.+)@example\\.com");
  assert.equal(await page.getByLabel("Substitution (rule 1)").inputValue(), "CN={0},CN=Users,DC=example,DC=com");
  assert.equal(await page.getByLabel("LDAP query (rule 2)").inputValue(), "DC=example,DC=com??sub?(userPrincipalName={0})");
  assert.equal(await page.getByRole("button", { name: "Save", exact: true }).isEnabled(), true);
});

test("a validation error blocks Save and is announced on its field; the fix clears it; warnings do not block", async () => {
  const { page, context } = await open();
  const host = page.getByLabel("Hostname");
  const save = page.getByRole("button", { name: "Save", exact: true });
  await host.fill("ldap..example.com");
  assert.equal(await host.getAttribute("aria-invalid"), "true");
  const message = await fieldMessage(page, host);
  assert.match(message, /^Error:/);
  assert.ok(await save.isDisabled(), "Save blocked");
  await page.locator("#save-blocked").waitFor();
  assert.equal(await save.getAttribute("aria-describedby"), "save-blocked");
  await page.getByLabel("Port", { exact: true }).fill("70000");
  assert.equal(await page.getByLabel("Port", { exact: true }).getAttribute("aria-invalid"), "true");

  // 中文: the validator's messages and the labels switch language.
  await page.getByRole("button", { name: "中文" }).click();
  assert.match(await fieldMessage(page, page.locator("#ldap-hostname")), /[\u4e00-\u9fff]/);
  assert.equal(await page.locator('label[for="ldap-hostname"]').textContent(), "主机名");
  await page.getByRole("button", { name: "English" }).click();
  assert.equal(await fieldMessage(page, host), message);

  await page.locator("#settings").screenshot({ path: shot("settings-validation-error-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling at 390 px");
  await page.locator("#settings").screenshot({ path: shot("settings-validation-error-390.png") });
  await page.setViewportSize({ width: 1280, height: 900 });

  await host.fill("ldap.example.com");
  await page.getByLabel("Port", { exact: true }).fill("636");
  assert.equal(await host.getAttribute("aria-invalid"), null);
  assert.equal(await fieldMessage(page, host), "");
  assert.ok(await save.isEnabled(), "Save allowed again");
  assert.equal(await save.getAttribute("aria-describedby"), null);

  // The docs' own example host is valid but outside the documented pattern: a warning only.
  await host.fill("atlas-ldaps-01.ldap.myteam.com");
  assert.equal(await host.getAttribute("aria-invalid"), null);
  assert.match(await fieldMessage(page, host), /^Warning:/);
  assert.equal(await page.locator("#ldap-hostname-msg [data-code=spec_pattern]").count(), 1);
  assert.ok(await save.isEnabled(), "a warning does not block");

  // Mapping rows are validated cell by cell.
  await page.getByRole("button", { name: "Add rule" }).click();
  const match = page.getByLabel("Match (rule 1)");
  await match.fill("(unclosed");
  assert.equal(await match.getAttribute("aria-invalid"), "true");
  assert.ok(await save.isDisabled());
  await page.getByRole("button", { name: "Remove rule 1" }).click();
  assert.ok(await save.isEnabled());
  void context;
});

test("Save asks for confirmation (rolling restart), then PATCHes the form", async () => {
  const { page } = await open();
  await page.getByLabel("LDAP authentication enabled").check();
  await page.getByLabel("Hostname").fill("ldap.example.com");
  await page.getByLabel("Port", { exact: true }).fill("636");
  await page.getByLabel("Bind username").fill("CN=BindUser,CN=Users,DC=example,DC=com");
  await page.getByLabel("Bind password").fill("correct-horse");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Match (rule 1)").fill("(.+)@example\\.com");
  await page.getByLabel("Substitution (rule 1)").fill("CN={0},CN=Users,DC=example,DC=com");

  const save = page.getByRole("button", { name: "Save", exact: true });
  const dialog = page.getByRole("dialog");
  await save.click();
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /restarts .* one by one/);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.authenticationEnabled, false, "Cancel sends nothing");

  await save.click();
  await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  const { json } = await api(base, "GET", "/userSecurity");
  assert.equal(json.ldap.authenticationEnabled, true);
  assert.equal(json.ldap.hostname, "ldap.example.com");
  assert.deepEqual(json.ldap.userToDNMapping, [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" }]);

  // Delete mapping, also confirmed.
  await page.getByRole("button", { name: "Delete mapping" }).click();
  await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.locator("#settings-status").getByText(/mapping was deleted/).waitFor();
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.userToDNMapping ?? null, null);
  assert.equal(await page.getByLabel("Match (rule 1)").count(), 0);
});

test("Disable X.509 clears customerX509.cas after confirmation; a CA certificate round-trips", async () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUW6Wc\n-----END CERTIFICATE-----\n";
  const r = await api(base, "PATCH", "/userSecurity", { customerX509: { cas: pem }, ldap: { caCertificate: pem } });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const { page } = await open();
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  assert.equal(await page.getByLabel(/customerX509\.cas/).inputValue(), pem);
  assert.equal(await page.getByLabel("CA certificate (PEM)").inputValue(), pem);
  await page.getByRole("button", { name: "Disable X.509" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm", exact: true }).click();
  await page.locator("#settings-status").getByText(/X.509 was disabled/).waitFor();
  assert.equal(await page.getByLabel(/customerX509\.cas/).inputValue(), "");
  assert.equal((await api(base, "GET", "/userSecurity")).json.customerX509?.cas ?? "", "");

  // Clearing the CA certificate and saving deletes it (sent as "").
  await page.getByLabel("CA certificate (PEM)").fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm", exact: true }).click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.caCertificate ?? "", "");
});

async function fillServer(page, hostname, password) {
  await page.getByLabel("Hostname").fill(hostname);
  await page.getByLabel("Port", { exact: true }).fill("636");
  await page.getByLabel("Bind username").fill("CN=BindUser,CN=Users,DC=example,DC=com");
  await page.getByLabel("Bind password").fill(password);
}

test("Verify shows progress while PENDING, then every check to SUCCESS", async () => {
  const { page } = await open();
  await fillServer(page, "ldap.example.com", "correct-horse");
  await page.getByLabel("Authorization query template").fill("{USER}?memberOf?base");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await page.locator("#verify-progress").waitFor({ state: "visible" });
  await page.locator("#verify-status").getByText(/PENDING/).waitFor();
  // The page stays responsive while waiting.
  await page.getByLabel("Hostname").press("End");
  await page.locator("#verify-result h3").getByText("Verification succeeded").waitFor({ timeout: 15000 });
  assert.ok(await page.locator("#verify-progress").isHidden());
  const rows = page.locator("#verify-result tbody tr");
  assert.deepEqual(await rows.locator("th").allTextContents(),
    ["SERVER_SPECIFIED", "CONNECT", "AUTHENTICATE", "AUTHORIZATION_ENABLED", "PARSE_AUTHZ_QUERY_TEMPLATE", "QUERY_SERVER"]);
  for (const text of await rows.locator("td:nth-of-type(1)").allTextContents()) assert.equal(text, "OK");
  assert.match(await rows.nth(1).textContent(), /TLS handshake/);
});

test("Verify to FAILED explains the failed check and what to fix", async () => {
  const { page } = await open();
  await fillServer(page, "ldap.corp.invalid", "correct-horse");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  const heading = page.locator("#verify-result h3");
  await heading.getByText(/FAILED/).waitFor({ timeout: 15000 });
  const failed = page.locator("#verify-result tbody tr.check-failed");
  assert.equal(await failed.locator("th").textContent(), "CONNECT");
  assert.match(await failed.textContent(), /Failed/);
  assert.match(await failed.textContent(), /Check the hostname and port/);
  await page.locator("#verify").screenshot({ path: shot("verify-failed-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling at 390 px");
  await page.locator("#verify").screenshot({ path: shot("verify-failed-390.png") });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A wrong password fails AUTHENTICATE instead.
  await fillServer(page, "ldap.example.com", "wrong-password");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await heading.getByText(/FAILED/).waitFor({ timeout: 15000 });
  assert.equal(await failed.locator("th").textContent(), "AUTHENTICATE");
  assert.match(await failed.textContent(), /bind password/);

  // Missing required values are caught before anything is sent.
  await page.getByLabel("Bind password").fill("");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await page.locator("#verify-issues").getByText(/Bind password/).waitFor();
  assert.ok(await page.locator("#verify-result").isHidden());
});

test("Verify shows a check type it does not know as it came, with a generic explanation", async () => {
  const { page } = await open();
  // Answer the status reads with a job from a future Atlas.
  await page.route("**/userSecurity/ldap/verify/*", (route) => route.fulfill({
    contentType: "application/vnd.atlas.2023-01-01+json",
    json: { groupId: DEMO.groupId, requestId: "5f0e34b3d91647abb20e7b81", status: "FAILED",
      validations: [{ validationType: "SERVER_SPECIFIED", status: "OK" }, { validationType: "QUANTUM_<b>ENTANGLE</b>", status: "FAIL" }] },
  }));
  await fillServer(page, "ldap.example.com", "correct-horse");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await page.locator("#verify-result h3").getByText(/FAILED/).waitFor({ timeout: 15000 });
  const failed = page.locator("#verify-result tbody tr.check-failed");
  assert.equal(await failed.locator("th").textContent(), "QUANTUM_<b>ENTANGLE</b>");
  assert.match(await failed.textContent(), /does not know/);
  assert.equal(await page.locator("#verify-result b").count(), 0);
});

test("roles: the deprecated whole-set update, then add and remove one role", async () => {
  const { page } = await open();
  await page.getByLabel("User ID").fill(DEMO.reader);
  assert.match(await page.locator("#roles-deprecated").textContent(), /Deprecated.*2027-07-01/);
  await page.getByLabel(/GROUP_CLUSTER_MANAGER/).check();
  await page.getByLabel(/GROUP_READ_ONLY\b/).check();
  await page.getByRole("button", { name: "Update roles" }).click();
  await page.locator("#roles-status").getByText("Roles updated.").waitFor();
  assert.match(await page.locator("#roles-known").textContent(), /GROUP_READ_ONLY, GROUP_CLUSTER_MANAGER|GROUP_CLUSTER_MANAGER, GROUP_READ_ONLY/);

  await page.getByLabel("Role", { exact: true }).selectOption("GROUP_BACKUP_MANAGER");
  await page.getByRole("button", { name: "Add role" }).click();
  await page.locator("#roles-known").getByText(/GROUP_BACKUP_MANAGER/).waitFor();
  assert.ok(await page.getByLabel(/GROUP_BACKUP_MANAGER/).isChecked());

  await page.getByRole("button", { name: "Remove role" }).click();
  await page.locator("#roles-status").getByText("Roles updated.").waitFor();
  assert.doesNotMatch(await page.locator("#roles-known").textContent(), /GROUP_BACKUP_MANAGER/);
  assert.ok(!(await page.getByLabel(/GROUP_BACKUP_MANAGER/).isChecked()));

  // Removing a role the user does not have: Atlas's 409, shown with its code.
  await page.getByRole("button", { name: "Remove role" }).click();
  await page.locator("#roles-error .error-code").getByText("USER_DOES_NOT_HAVE_ROLE").waitFor();
});

test("API errors show errorCode and detail; network failures are explained", async () => {
  const { page } = await open();
  await page.getByLabel("Project ID").fill("0123456789abcdef01234567");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  const box = page.locator("#settings-error");
  await box.locator(".error-code").getByText("GROUP_NOT_FOUND").waitFor();
  assert.match(await box.textContent(), /404/);
  assert.ok((await box.locator(".error-detail").textContent()).length > 0, "the detail is shown");

  // A malformed id never leaves the page.
  await page.getByLabel("Project ID").fill("not-a-project");
  assert.equal(await page.getByLabel("Project ID").getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await box.getByText(/Not sent/).waitFor();

  // The server drops every connection: a network error, explained.
  await page.getByLabel("Project ID").fill(DEMO.groupId);
  await fetch(`${base}/__emulator/faults`, { method: "POST", body: JSON.stringify({ path: "/userSecurity$", drop: true, always: true }) });
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await box.getByText(/did not reach/).waitFor({ timeout: 20000 });
  await fetch(`${base}/__emulator/faults`, { method: "DELETE" });
});

test("markup in a server value is shown as text and never runs", async () => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: { userToDNMapping: [{ match: "(.+)", substitution: `CN={0}${payload},DC=example,DC=com` }] },
  });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const { page } = await open();
  const violations = [];
  await page.exposeFunction("__cspViolation", (v) => violations.push(v));
  await page.evaluate(() => document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(e.violatedDirective)));
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  assert.equal(await page.getByLabel("Substitution (rule 1)").inputValue(), `CN={0}${payload},DC=example,DC=com`);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "nothing ran");
  assert.equal(await page.locator("img").count(), 0, "no element was created from the value");
  assert.deepEqual(violations, [], "not even an attempt the CSP had to block");
});

test("keyboard: the form is reachable and operable without a mouse", async () => {
  const { page } = await open({ width: 390, height: 844 });
  await page.getByLabel("Hostname").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "ldap-port");
  await page.getByRole("button", { name: "Load", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.locator("#settings-status").getByText(/Loaded/).waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "btn-save", "focus returns to Save");
});
