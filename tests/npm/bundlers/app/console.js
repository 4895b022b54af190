// The page a bundled app is: the whole package, as an admin console uses it. It runs each
// step and leaves the outcome in `window.result` (and on the page) for the test to read.
import {
  init, AtlasClient, isAtlasApiError, isAtlasValidationError, validateGroupId, validateUserSecurity,
} from "atlas-ldap";
import { report } from "./report.js";

const GROUP = "32b6e34b3d91647abb20e7b8"; // the emulator's demo project
const settings = {
  ldap: {
    authenticationEnabled: true, hostname: "ldap.example.com", port: 636,
    bindUsername: "CN=BindUser,DC=example,DC=com", bindPassword: "s3cret-bind-pw",
  },
};

report(async () => {
  await init();
  await init(); // idempotent
  const out = {
    groupId: validateGroupId(GROUP),
    badGroupIdEn: validateGroupId("32B6E34B3D91647ABB20E7B8"),
    badBodyZh: validateUserSecurity({ ldap: { hostname: "ldap.example.com:636", port: 0 } }, { locale: "zh" }),
  };
  // Same origin: the page and the API come from one server, as users deploy it.
  const client = new AtlasClient({ baseUrl: location.origin, serviceAccount: { clientId: "mdb_sa_id_demo", clientSecret: "mdb_sa_sk_demo" } });
  out.saved = await client.updateUserSecurity(GROUP, settings);
  out.loaded = await client.getUserSecurity(GROUP, { envelope: true });
  const job = await client.verifyLdap(GROUP, { hostname: "ldap.corp.invalid", port: 636, bindUsername: "CN=B,DC=x", bindPassword: "pw" });
  const seen = [];
  out.verified = await client.waitForLdapVerify(GROUP, job.requestId, { intervalMs: 50, onProgress: (j) => seen.push(j.status) });
  out.seen = seen;
  try { await client.getUserSecurity("aaaaaaaaaaaaaaaaaaaaaaaa"); } catch (e) { out.notFound = { api: isAtlasApiError(e), status: e.status }; }
  try { await client.getUserSecurity("not-an-id"); } catch (e) { out.invalid = { validation: isAtlasValidationError(e), codes: e.issues.map((i) => i.code) }; }
  await client.revokeToken();
  return out;
});
