// Starts atlas-emulator on a free loopback port for one test, and reads its request log.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export const GROUP = "32b6e34b3d91647abb20e7b8";
export const USER = "5b6e34b3d91647abb20e7b81";
export const TOKEN = "demo-access-token";
export const SERVICE_ACCOUNT = { clientId: "mdb_sa_id_demo", clientSecret: "mdb_sa_sk_demo" };
export const API_KEY = { publicKey: "demopublickey", privateKey: "demo-private-key" };

/** Starts the emulator with extra flags; stops it when the test ends. */
export async function startEmulator(t, ...flags) {
  const child = spawn(process.env.EMULATOR, ["--port", "0", "--verify-delay-ms", "300", ...flags], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  createInterface({ input: child.stderr }).on("line", (line) => log.push(line));
  const lines = createInterface({ input: child.stdout });
  const [first] = await once(lines, "line");
  const url = first.match(/listening on (http:\/\/\S+)/)?.[1];
  if (!url) throw new Error(`emulator did not start: ${first}`);
  t.after(() => child.kill());
  return {
    url,
    /** Request log lines seen so far, e.g. "POST /api/oauth/token 200 1ms". */
    log,
    count: (method, path) => log.filter((l) => l.includes(`${method} ${path} `)).length,
    fault: (rule) => fetch(`${url}/__emulator/faults`, { method: "POST", body: JSON.stringify(rule) }),
  };
}

export const ldapSettings = (hostname = "ldap.example.com", bindPassword = "s3cret-bind-pw") => ({
  ldap: {
    authenticationEnabled: true,
    authorizationEnabled: false,
    hostname,
    port: 636,
    bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com",
    bindPassword,
    userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" }],
  },
});
