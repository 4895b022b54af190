// examples/verify-ldap.mjs, run as a user would, against atlas-emulator.
import test from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { startEmulator, GROUP, SERVICE_ACCOUNT } from "./emulator.mjs";

const run = promisify(execFile);
const script = join(process.cwd(), "verify-ldap.mjs");

async function verify(emu, hostname, password = "s3cret-bind-pw") {
  const env = { ...process.env, ATLAS_CLIENT_ID: SERVICE_ACCOUNT.clientId, ATLAS_CLIENT_SECRET: SERVICE_ACCOUNT.clientSecret, LDAP_BIND_PASSWORD: password };
  const args = [script, "--base-url", emu.url, "--project", GROUP, "--hostname", hostname, "--bind-username", "CN=Bind,CN=Users,DC=example,DC=com"];
  try {
    const { stdout } = await run(process.execPath, args, { env });
    return { code: 0, stdout };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test("verify-ldap.mjs: CONNECT fails for an unreachable host and exits 1", async (t) => {
  const emu = await startEmulator(t);
  const r = await verify(emu, "ldap.corp.invalid");
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL CONNECT/);
  assert.match(r.stdout, /result: FAILED/);
  assert.ok(!r.stdout.includes("s3cret-bind-pw"));
});

test("verify-ldap.mjs: every check passes and exits 0", async (t) => {
  const emu = await startEmulator(t);
  const r = await verify(emu, "ldap.example.com");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ok {3}AUTHENTICATE/);
  assert.match(r.stdout, /result: SUCCESS/);
});

test("verify-ldap.mjs: invalid input exits 2 with the field named", async (t) => {
  const emu = await startEmulator(t);
  const r = await verify(emu, "ldap.example.com:636");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /hostname/);
});
