// The web console in Chromium, against the server `make console` starts (the emulator
// serving www/ and pkg/ with the demo project): what it shows, where credentials go, the
// connection forms, errors and markup. Run with `make test-e2e`, or `node --test tests/e2e/`
// after `make pkg` and `cargo build --release -p atlas-emulator`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CSP_HEADER, CSP_META, DEMO, LDAP_ON, actions, api, consoleSuite, settingsLoaded } from "./helpers.mjs";

let base;
let browser;
const { open, opened } = consoleSuite((ready) => ({ base, browser } = ready));

test("opens connected and loaded, with findable labels and buttons, the CSP, credentials kept out of storage and URL", async () => {
  const { page } = await open();
  for (const label of ["Project ID", "Access token", "Hostname", "Port", "Bind username", "Bind password", "User ID"]) {
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `one field labelled ${label}`);
  }
  for (const name of ["Verify and save", "Save without verifying", "Revert", "Disconnect", "English", "中文"]) {
    assert.equal(await page.getByRole("button", { name, exact: true }).count(), 1, `a button ${name}`);
  }
  assert.equal(await page.getByLabel("Base URL").inputValue(), base);
  assert.equal(await page.getByLabel("Project ID").inputValue(), DEMO.groupId);
  assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), DEMO.token);
  assert.match(await page.locator("#app-status").textContent(), /^Connected to .*32b6e34b3d91647abb20e7b8/);
  // Drawn once the settings have loaded (index.html: the CJK font is not on the first screen's path).
  assert.equal(await page.getByRole("button", { name: "中文" }).textContent(), "中文");

  // The <meta> policy is the header's without frame-ancestors, which a <meta> cannot set.
  assert.equal(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content"), CSP_META);
  assert.equal((await fetch(`${base}/`)).headers.get("content-security-policy"), CSP_HEADER);

  // Memory only by default; the box copies the connection to sessionStorage, never localStorage.
  assert.equal(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")), null);
  await page.getByLabel(/Keep the connection/).check();
  const kept = JSON.parse(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")));
  assert.equal(kept.token, DEMO.token);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.ok(!page.url().includes(DEMO.token) && !page.url().includes(DEMO.groupId), "nothing in the URL");
  await page.reload();
  await settingsLoaded(page);
  assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), DEMO.token, "kept for this tab");
  await page.getByLabel(/Keep the connection/).uncheck();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("atlas-ldap-console.connection")), null);
});

test("prefills from the emulator's console.json; in upstream mode only the base URL, and nothing loads", async () => {
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
      await settingsLoaded(page);
    } else {
      assert.deepEqual([token, project, await page.getByLabel("User ID").inputValue()], ["", "", ""], "nothing filled in upstream mode");
      assert.match(await page.locator("#app-status").textContent(), /your own credentials/);
      assert.match(await page.locator("#settings-locked").textContent(), /nothing can be saved/);
      for (const name of ["Verify and save", "Save without verifying", "Revert", "Delete mapping", "Disable X.509"]) {
        assert.ok(await page.getByRole("button", { name, exact: true }).isDisabled(), `${name} before a load`);
      }
    }
    await page.close();
  }
});

test("a service account (client id and secret) works as well as a token; a wrong secret says so at the top", async () => {
  const { page } = await open();
  await page.getByLabel("Service account").check();
  assert.ok(await page.getByLabel("Access token", { exact: true }).isHidden());
  await page.locator("#app-status").getByText(/client ID and secret/).waitFor();
  assert.ok(await actions(page).verifySave.isDisabled(), "another connection: nothing saves until it has loaded");
  await page.getByLabel("Client ID").fill(DEMO.clientId);
  await page.getByLabel("Client secret").fill(DEMO.clientSecret);
  await settingsLoaded(page);
  assert.ok(page.sent.some((r) => r.method === "POST" && r.path === "/api/oauth/token"), "a token was fetched");
  await page.getByLabel("Client secret").fill("not-the-secret");
  await page.locator("#app-status").getByText(/refused the credentials/).waitFor();
  assert.equal(await page.locator("#app-status").getAttribute("data-kind"), "error");
  assert.match(await page.locator("#conn-error").textContent(), /401/);
  assert.ok(await actions(page).verifySave.isDisabled());
});

test("the settings load by themselves and fill every field", async () => {
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: { ...LDAP_ON, port: 1636,
      userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" },
        { match: "(.+)", ldapQuery: "DC=example,DC=com??sub?(userPrincipalName={0})" }] },
  });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const { page } = await open();
  assert.equal(await page.getByLabel("Hostname").inputValue(), "ldap.example.com");
  assert.equal(await page.getByLabel("Port", { exact: true }).inputValue(), "1636");
  assert.equal(await page.getByLabel("Bind username").inputValue(), "CN=BindUser,CN=Users,DC=example,DC=com");
  assert.equal(await page.getByLabel("Bind password").inputValue(), "", "never returned");
  assert.match(await page.locator("#ldap-bindPassword-hint").textContent(), /type it again to verify/);
  assert.ok(await page.getByLabel("LDAP authentication enabled").isChecked());
  assert.ok(await page.getByLabel(/LDAP authorization enabled/).isChecked());
  assert.equal(await page.getByLabel("Match (rule 1)").inputValue(), "(.+)@example\\.com");
  assert.equal(await page.getByLabel("Substitution (rule 1)").inputValue(), "CN={0},CN=Users,DC=example,DC=com");
  assert.equal(await page.getByLabel("LDAP query (rule 2)").inputValue(), "DC=example,DC=com??sub?(userPrincipalName={0})");
  assert.ok(await actions(page).verifySave.isEnabled());
  assert.ok(await actions(page).save.isDisabled(), "nothing changed: nothing to save");
  assert.equal(page.sent.filter((x) => x.method === "GET" && x.path.endsWith("/userSecurity")).length, 1, "one load");
});

test("Disable X.509 clears customerX509.cas after confirmation; clearing the CA certificate deletes it", async () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUW6Wc\n-----END CERTIFICATE-----\n";
  const r = await api(base, "PATCH", "/userSecurity", { customerX509: { cas: pem }, ldap: { caCertificate: pem } });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const { page } = await open();
  const a = actions(page);
  assert.equal(await page.getByLabel(/customerX509\.cas/).inputValue(), pem);
  assert.equal(await page.getByLabel("CA certificate (PEM)").inputValue(), pem);
  await a.disableX509.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/X.509 was disabled/).waitFor();
  assert.equal(await page.getByLabel(/customerX509\.cas/).inputValue(), "");
  assert.equal((await api(base, "GET", "/userSecurity")).json.customerX509?.cas ?? "", "");

  await page.getByLabel("CA certificate (PEM)").fill("");
  await a.save.click();
  await a.confirm.click();
  await page.locator("#settings-status").getByText(/^Saved/).waitFor();
  assert.deepEqual(page.sent.filter((x) => x.method === "PATCH").at(-1).body, { ldap: { caCertificate: "" } });
  assert.equal((await api(base, "GET", "/userSecurity")).json.ldap.caCertificate ?? "", "");
});

test("API errors show errorCode and detail; a malformed id never leaves the page; network failures are explained", async () => {
  const { page } = await open();
  await page.getByLabel("Project ID").fill("0123456789abcdef01234567");
  const box = page.locator("#conn-error");
  await box.locator(".error-code").getByText("GROUP_NOT_FOUND").waitFor();
  assert.match(await box.textContent(), /404/);
  assert.ok((await box.locator(".error-detail").textContent()).length > 0, "the detail is shown");
  assert.match(await page.locator("#app-status").textContent(), /not found/);

  const before = page.sent.length;
  await page.getByLabel("Project ID").fill("not-a-project");
  assert.equal(await page.getByLabel("Project ID").getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.locator("#app-status").getByText(/not valid yet/).waitFor();
  assert.equal(page.sent.length, before, "nothing sent for a malformed id");

  // The server drops every connection: a network error, explained at the top.
  await fetch(`${base}/__emulator/faults`, { method: "POST", body: JSON.stringify({ path: "/userSecurity$", drop: true, always: true }) });
  await page.getByLabel("Project ID").fill(DEMO.groupId);
  await page.locator("#app-status").getByText(/did not answer/).waitFor({ timeout: 20000 });
  assert.match(await box.textContent(), /did not reach/);
  await fetch(`${base}/__emulator/faults`, { method: "DELETE" });
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await settingsLoaded(page);
});

test("markup in a server value is shown as text and never runs", async () => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const r = await api(base, "PATCH", "/userSecurity", {
    ldap: { userToDNMapping: [{ match: "(.+)", substitution: `CN={0}${payload},DC=example,DC=com` }] },
  });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const violations = [];
  const { page } = await open({
    setup: async (p) => {
      await p.exposeFunction("__cspViolation", (v) => violations.push(v));
      await p.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(e.violatedDirective)));
    },
  });
  assert.equal(await page.getByLabel("Substitution (rule 1)").inputValue(), `CN={0}${payload},DC=example,DC=com`);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "nothing ran");
  assert.equal(await page.locator("img").count(), 0, "no element was created from the value");
  assert.deepEqual(violations, [], "not even an attempt the CSP had to block");
});
